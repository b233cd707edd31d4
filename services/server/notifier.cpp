#include "notifier.h"

#include "deliverysender.h"
#include "servercontext.h"
#include "serverlog.h"

#include <domain/jsoncodec.h>
#include <store/deliveryrepository.h>
#include <store/notificationrepository.h>
#include <store/userrepository.h>

namespace sb::server {

namespace {

constexpr int kSmsChars = 160;

QString emailBody(const Notification &n)
{
    QString body = n.body;
    if (!n.entity.isEmpty())
        body += QStringLiteral("\n\nRegarding %1 %2.").arg(n.entity, n.entityId);
    return body + QStringLiteral("\n\n-- \nSwitchboard support\n");
}

QString smsText(const Notification &n)
{
    const QString text = QString(n.title + QStringLiteral(": ") + n.body).simplified();
    return text.size() <= kSmsChars ? text : QString(text.left(kSmsChars - 1) + QChar(0x2026));
}

} // namespace

Result<Notification> Notifier::notify(QSqlDatabase &db, const NotificationRequest &request)
{
    Notification n;
    n.userId = request.userId;
    n.type = request.type;
    n.title = request.title;
    n.body = request.body;
    n.entity = request.entity;
    n.entityId = request.entityId;
    n.createdAt = m_context.clock.now();
    auto stored = store::NotificationRepository(db).insert(n);
    if (!stored)
        return stored;

    Change change;
    change.entity = QStringLiteral("notification");
    change.entityId = stored->id;
    change.op = ChangeOp::Created;
    change.data = toJson(*stored);
    change.userId = stored->userId; // for that user alone
    change.createdAt = n.createdAt;
    if (auto seq = m_context.changes.record(db, change); !seq)
        return seq.error();
    if (Status queued = queueDeliveries(db, *stored); !queued)
        return queued.error();
    return stored;
}

Status Notifier::queueDeliveries(QSqlDatabase &db, const Notification &n)
{
    const ServerSettings &settings = m_context.settings;
    // Nothing to queue and nothing to log: spare the jobs that notify in bulk the user lookup.
    if (settings.smtpUrl.isEmpty() && settings.smsWebhookUrl.isEmpty()
        && !lcNotify().isInfoEnabled())
        return {};
    const auto user = store::UserRepository(db).findById(n.userId);
    if (!user)
        return user.error();
    if (!*user || !(*user)->active)
        return {}; // no e-mail or SMS to a deactivated account
    const User &u = **user;

    store::NotificationDelivery email;
    email.channel = store::DeliveryChannel::Email;
    email.recipient = u.email;
    email.subject = n.title;
    email.body = emailBody(n);
    QList<store::NotificationDelivery> deliveries {email};
    if (!u.phone.isEmpty()) {
        store::NotificationDelivery sms;
        sms.channel = store::DeliveryChannel::Sms;
        sms.recipient = u.phone;
        sms.body = smsText(n);
        deliveries << sms;
    }

    bool queued = false;
    for (store::NotificationDelivery &d : deliveries) {
        const bool isEmail = d.channel == store::DeliveryChannel::Email;
        if (isEmail ? settings.smtpUrl.isEmpty() : settings.smsWebhookUrl.isEmpty()) {
            // DESIGN.md: an unset channel means "logged only".
            m_context.db.afterCommit([d] {
                qCInfo(lcNotify).noquote()
                    << toString(d.channel) << "to" << d.recipient
                    << "(logged only):" << (d.subject.isEmpty() ? d.body : d.subject);
            });
            continue;
        }
        d.notificationId = n.id;
        d.userId = n.userId;
        d.createdAt = QDateTime::currentDateTimeUtc(); // delivery times are real time
        if (auto saved = store::DeliveryRepository(db).enqueue(d); !saved)
            return saved.error();
        queued = true;
    }
    if (queued && m_context.deliveries) {
        DeliverySender *sender = m_context.deliveries;
        m_context.db.afterCommit([sender] { sender->kick(); });
    }
    return {};
}

} // namespace sb::server
