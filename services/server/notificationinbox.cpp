#include "notificationinbox.h"

#include "apierrors.h"
#include "servercontext.h"

#include <domain/jsoncodec.h>

namespace sb::server {

Result<store::NotificationPage>
NotificationInbox::list(const Caller &caller, const store::NotificationFilter &filter) const
{
    return store::NotificationRepository(m_context.db.connection())
        .listForUser(caller.id(), filter);
}

Result<Notification> NotificationInbox::markRead(const Caller &caller, const QString &id)
{
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<Notification> {
        store::NotificationRepository notifications(db);
        const auto found = notifications.findForUser(id, caller.id());
        if (!found)
            return found.error();
        if (!*found)
            return errors::notFound(QStringLiteral("notification"));
        Notification n = **found;
        if (n.read)
            return n;
        const auto changed = notifications.markRead(id, caller.id());
        if (!changed)
            return changed.error();
        n.read = true;
        // For this user only: the other consoles of the same user clear the badge too.
        Change change;
        change.entity = QStringLiteral("notification");
        change.entityId = n.id;
        change.op = ChangeOp::Updated;
        change.data = toJson(n);
        change.userId = n.userId;
        change.createdAt = m_context.clock.now();
        if (const auto seq = m_context.changes.record(db, change); !seq)
            return seq.error();
        return n;
    });
}

} // namespace sb::server
