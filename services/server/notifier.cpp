#include "notifier.h"

#include "deliverysender.h"
#include "servercontext.h"
#include "serverlog.h"

#include <domain/changejsonwriter.h>
#include <domain/jsoncodec.h>
#include <store/deliveryrepository.h>
#include <store/notificationrepository.h>
#include <store/userrepository.h>

#include <QSet>

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
    auto stored = notifyAll(db, {request});
    if (!stored)
        return stored.error();
    return stored->first();
}

Result<QList<Notification>> Notifier::notifyAll(QSqlDatabase &db,
                                                const QList<NotificationRequest> &requests)
{
    const QDateTime now = m_context.clock.now();
    QList<Notification> stored;
    stored.reserve(requests.size());
    for (const NotificationRequest &request : requests) {
        Notification n;
        n.userId = request.userId;
        n.type = request.type;
        n.title = request.title;
        n.body = request.body;
        n.entity = request.entity;
        n.entityId = request.entityId;
        n.createdAt = now;
        stored << n;
    }
    if (Status s = store::NotificationRepository(db).insertAll(stored); !s)
        return s.error();

    QList<Change> changes;
    changes.reserve(stored.size());
    for (const Notification &n : std::as_const(stored)) {
        Change change;
        change.entity = QStringLiteral("notification");
        change.entityId = n.id;
        change.op = ChangeOp::Created;
        JsonWriter out(512);
        writeJson(out, n);
        change.dataJson = out.take();
        change.userId = n.userId; // for that user alone
        change.createdAt = n.createdAt;
        changes << change;
    }
    if (Status s = m_context.changes.recordAll(db, changes); !s)
        return s.error();
    // Nothing to queue and nothing to log: spare the jobs that notify in bulk the user lookups.
    const ServerSettings &settings = m_context.settings;
    if (settings.smtpUrl.isEmpty() && settings.smsWebhookUrl.isEmpty()
        && !lcNotify().isInfoEnabled())
        return stored;
    // The recipients in one statement, however many the batch has.
    QStringList ids;
    QSet<QString> seen;
    for (const Notification &n : std::as_const(stored)) {
        if (!seen.contains(n.userId)) {
            seen.insert(n.userId);
            ids << n.userId;
        }
    }
    const auto users = store::UserRepository(db).findByIds(ids);
    if (!users)
        return users.error();
    // And the batch's deliveries in a few statements, the sender woken once.
    QList<store::NotificationDelivery> queue;
    for (const Notification &n : std::as_const(stored)) {
        const auto user = users->constFind(n.userId);
        const std::optional<User> recipient
            = user == users->cend() ? std::nullopt : std::optional<User>(*user);
        queueDeliveries(queue, n, recipient);
    }
    if (queue.isEmpty())
        return stored;
    if (Status s = store::DeliveryRepository(db).enqueueAll(queue); !s)
        return s.error();
    if (m_context.deliveries) {
        DeliverySender *sender = m_context.deliveries;
        m_context.db.afterCommit([sender] { sender->kick(); });
    }
    return stored;
}

void Notifier::queueDeliveries(QList<store::NotificationDelivery> &queue, const Notification &n,
                               const std::optional<User> &user)
{
    const ServerSettings &settings = m_context.settings;
    if (!user || !user->active)
        return; // no e-mail or SMS to a deactivated account
    const User &u = *user;

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
        queue << d;
    }
}

} // namespace sb::server
