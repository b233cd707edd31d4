#include "notifier.h"

#include "servercontext.h"

#include <domain/jsoncodec.h>
#include <store/notificationrepository.h>

namespace sb::server {

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
        change.data = toJson(n);
        change.userId = n.userId; // for that user alone
        change.createdAt = n.createdAt;
        changes << change;
    }
    if (Status s = m_context.changes.recordAll(db, changes); !s)
        return s.error();
    return stored;
}

} // namespace sb::server
