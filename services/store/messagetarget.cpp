#include "messagetarget.h"

#include "sqlquery.h"

#include <domain/enumcodec.h>

namespace sb::store {

Result<std::optional<MessageTarget>> MessageTarget::find(const QSqlDatabase &db,
                                                         const QString &ticketId)
{
    SqlQuery q(db,
               QStringLiteral("SELECT customer_id, status, first_response_at IS NOT NULL "
                              "FROM tickets WHERE id = :id"));
    if (Status s = q.bind(QStringLiteral(":id"), ticketId).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<MessageTarget>();
    MessageTarget t;
    t.customerId = q.value(0).toString();
    const auto status = parseEnum<TicketStatus>(q.value(1).toString());
    if (!status)
        return storageError();
    t.status = *status;
    t.hasFirstResponse = q.value(2).toBool();
    return std::optional<MessageTarget>(std::move(t));
}

} // namespace sb::store
