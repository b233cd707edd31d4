#include "notifier.h"

#include "servercontext.h"

#include <domain/jsoncodec.h>
#include <store/notificationrepository.h>

namespace sb::server {

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
    return stored;
}

} // namespace sb::server
