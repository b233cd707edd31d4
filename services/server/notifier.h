#pragma once

#include <domain/notification.h>
#include <domain/result.h>
#include <domain/user.h>
#include <store/deliveryrepository.h>

#include <QSqlDatabase>

#include <optional>

namespace sb::server {

struct ServerContext;

// What to tell one user: the in-app notification of a workflow stage (spec §4).
struct NotificationRequest
{
    QString userId;
    NotificationType type = NotificationType::TicketCreated;
    QString title;
    QString body;
    QString entity; // "ticket", "booking", ...
    QString entityId;
};

// Tells a user something, inside the caller's transaction: stores the notification, records
// its change for that user alone (so it reaches their sockets after commit), and queues its
// e-mail and SMS deliveries, which a retrying sender delivers later (never lost when a channel
// is down). Every workflow stage calls this; nothing else writes notifications.
class Notifier
{
public:
    explicit Notifier(ServerContext &context)
        : m_context(context)
    { }

    Result<Notification> notify(QSqlDatabase &db, const NotificationRequest &request);
    // The same for many users at once (a job's batch), in a few statements.
    Result<QList<Notification>> notifyAll(QSqlDatabase &db,
                                          const QList<NotificationRequest> &requests);

private:
    // An e-mail to the user's address and, when they have a phone, an SMS, appended to `queue`.
    // A channel whose URL is unset queues nothing: its message is logged (switchboard.notify,
    // info) after commit.
    void queueDeliveries(QList<store::NotificationDelivery> &queue,
                         const Notification &notification, const std::optional<User> &user);

    ServerContext &m_context;
};

} // namespace sb::server
