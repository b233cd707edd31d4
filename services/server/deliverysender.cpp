#include "deliverysender.h"

#include "mailmessage.h"
#include "servercontext.h"
#include "serverlog.h"
#include "smswebhook.h"
#include "smtpclient.h"

#include <store/ids.h>

#include <QCoreApplication>
#include <QSysInfo>

#include <algorithm>
#include <cmath>

namespace sb::server {

namespace {

constexpr int kPollMs = 2000;
constexpr int kBatch = 5; // claimed at once per channel
// A claim outlives the sends of a whole batch (each bounded by its own timeout); a batch not
// begun this close to the end of its lease is given up rather than risk a second sender.
constexpr qint64 kLeaseMs = 15 * 60 * 1000;
constexpr qint64 kLeaseMarginMs = 3 * 60 * 1000;
constexpr qint64 kMetricsEveryMs = 15 * 1000;
constexpr double kMaxBackoffFactor = 120; // 30 s doubling up to 1 h

// Delivery times are real time: moving the business clock neither hurries nor expires them.
QDateTime realNow()
{
    return QDateTime::currentDateTimeUtc();
}

QString newInstanceId()
{
    return QStringLiteral("%1:%2:%3")
        .arg(QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(store::newId().right(8)); // the random end of the id
}

} // namespace

DeliverySender::DeliverySender(ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_instanceId(newInstanceId())
{
    const ServerSettings &settings = context.settings;
    if (!settings.smtpUrl.isEmpty()) {
        if (const auto smtp = SmtpConfig::fromUrl(settings.smtpUrl)) {
            m_smtp = std::make_unique<SmtpClient>(*smtp, this);
            qCInfo(lcNotify).noquote() << "e-mail goes out through" << smtp->describe();
        } else {
            qCWarning(lcNotify).noquote() << smtp.error().message << "E-mail waits in the queue.";
        }
    } else {
        qCInfo(lcNotify) << "e-mail is logged only (SMTP_URL is unset)";
    }
    if (!settings.smsWebhookUrl.isEmpty()) {
        m_sms = std::make_unique<SmsWebhook>(QUrl(settings.smsWebhookUrl), 30000, this);
        qCInfo(lcNotify).noquote() << "SMS go out through" << m_sms->describe();
    } else {
        qCInfo(lcNotify) << "SMS are logged only (SMS_WEBHOOK_URL is unset)";
    }
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &DeliverySender::pumpAll);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &DeliverySender::pumpAll);
}

DeliverySender::~DeliverySender()
{
    stop();
}

qint64 DeliverySender::retryDelayMs(double baseSeconds, int failedAttempts)
{
    const double base = baseSeconds * 1000;
    const double factor = std::pow(2.0, std::clamp(failedAttempts - 1, 0, 30));
    return std::max<qint64>(1, std::llround(base * std::min(factor, kMaxBackoffFactor)));
}

void DeliverySender::start()
{
    if (m_running)
        return;
    m_running = true;
    m_poll.start();
    kick();
}

void DeliverySender::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_poll.stop();
    m_retry.stop();
    if (m_smtp)
        m_smtp->abort();
    if (m_sms)
        m_sms->abort();
    for (Lane *lane : {&m_emailLane, &m_smsLane}) {
        lane->queue.clear();
        lane->current.reset();
    }
    const Status released = m_context.db.transaction(
        [&](QSqlDatabase &db) { return store::DeliveryRepository(db).release(m_instanceId); });
    if (!released) {
        qCWarning(lcNotify).noquote()
            << "could not give back the claimed deliveries:" << released.error().message;
    }
}

void DeliverySender::kick()
{
    if (m_kickPending.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_kickPending = false;
            pumpAll();
        },
        Qt::QueuedConnection);
}

void DeliverySender::pumpAll()
{
    if (!m_running)
        return;
    pump(m_emailLane);
    pump(m_smsLane);
    refreshMetrics();
}

void DeliverySender::pump(Lane &lane)
{
    const bool configured
        = lane.channel == store::DeliveryChannel::Email ? bool(m_smtp) : bool(m_sms);
    if (!m_running || !configured || lane.current)
        return;
    const QDateTime now = realNow();
    if (!lane.queue.isEmpty() && now.msecsTo(lane.leaseEnds) < kLeaseMarginMs)
        lane.queue.clear(); // they come back once the lease ends
    if (lane.queue.isEmpty()) {
        const auto claimed = m_context.db.transaction([&](QSqlDatabase &db) {
            return store::DeliveryRepository(db).claimDue(lane.channel, now, kBatch, m_instanceId,
                                                          kLeaseMs);
        });
        if (!claimed) {
            qCWarning(lcNotify).noquote() << "cannot claim deliveries:" << claimed.error().message;
            return;
        }
        lane.queue = *claimed;
        lane.leaseEnds = now.addMSecs(kLeaseMs);
        if (lane.queue.isEmpty())
            return;
    }
    lane.current = lane.queue.takeFirst();
    transmit(lane);
}

void DeliverySender::transmit(Lane &lane)
{
    const store::NotificationDelivery &d = *lane.current;
    const auto done = [this, &lane](const Status &result) {
        settle(lane, result);
    };
    if (lane.channel == store::DeliveryChannel::Sms) {
        m_sms->send(d.recipient, d.body, done);
        return;
    }
    MailMessage message;
    message.from = m_context.settings.supportEmail;
    message.to = d.recipient;
    message.subject = d.subject;
    message.body = d.body;
    message.date = realNow();
    // The same on every attempt, so that a mail system can spot a copy sent twice.
    message.messageId = d.id + u'@' + message.from.section(u'@', -1);
    m_smtp->send(message, done);
}

void DeliverySender::settle(Lane &lane, const Status &result)
{
    if (!lane.current)
        return;
    const store::NotificationDelivery d = *std::exchange(lane.current, std::nullopt);
    const QDateTime now = realNow();
    const QString what = QStringLiteral("%1 %2 (notification %3, user %4)")
                             .arg(toString(d.channel), d.id, d.notificationId, d.userId);
    if (result) {
        const auto saved = m_context.db.transaction([&](QSqlDatabase &db) {
            return store::DeliveryRepository(db).markSent(d.id, m_instanceId, now);
        });
        if (!saved)
            qCWarning(lcNotify).noquote() << "sent" << what << "but could not record it";
        else if (!*saved)
            qCWarning(lcNotify).noquote() << "sent" << what << "after its claim ran out";
        else
            qCInfo(lcNotify).noquote() << "sent" << what;
    } else {
        const ServerSettings &settings = m_context.settings;
        const int failures = d.attempts + 1;
        const qint64 delay = retryDelayMs(settings.deliveryRetrySeconds, failures);
        const QDateTime next = now.addMSecs(delay);
        const QDateTime deadline
            = d.createdAt.addMSecs(std::llround(settings.deliveryGiveUpHours * 3600 * 1000));
        const bool giveUp = result.error().details.value(u"permanent").toBool() || next > deadline;
        const QString error = result.error().message;
        const auto saved = m_context.db.transaction([&](QSqlDatabase &db) {
            return store::DeliveryRepository(db).markFailed(
                d.id, m_instanceId, giveUp ? std::nullopt : std::optional<QDateTime>(next), error);
        });
        if (!saved) {
            qCWarning(lcNotify).noquote() << "could not record the failure of" << what;
        } else if (giveUp) {
            qCWarning(lcNotify).noquote()
                << "gave up" << what << "after" << failures << "attempt(s):" << error;
        } else {
            qCInfo(lcNotify).noquote() << "attempt" << failures << "of" << what << "failed, next in"
                                       << delay / 1000.0 << "s:" << error;
            scheduleRetry(delay);
        }
    }
    // Later: the channel that called us is still unwinding.
    QTimer::singleShot(0, this, [this, &lane] { pump(lane); });
}

void DeliverySender::scheduleRetry(qint64 delayMs)
{
    if (delayMs >= kPollMs)
        return; // the poll comes first
    if (!m_retry.isActive() || m_retry.remainingTime() > delayMs)
        m_retry.start(static_cast<int>(delayMs));
}

void DeliverySender::refreshMetrics()
{
    const QDateTime now = realNow();
    if (m_metricsAt.isValid() && m_metricsAt.msecsTo(now) < kMetricsEveryMs)
        return;
    m_metricsAt = now;
    const auto counts = store::DeliveryRepository(m_context.db.connection()).counts();
    if (!counts)
        return;
    m_context.metrics.setGauge(QStringLiteral("switchboard_notification_deliveries_pending"),
                               double(counts->pending));
    m_context.metrics.setGauge(QStringLiteral("switchboard_notification_deliveries_sent"),
                               double(counts->sent));
    m_context.metrics.setGauge(QStringLiteral("switchboard_notification_deliveries_failed"),
                               double(counts->failed));
}

} // namespace sb::server
