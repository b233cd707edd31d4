#pragma once

#include <domain/enums.h>
#include <domain/result.h>

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace sb::store {

// What posting a message needs of its ticket: who may see it and whether the message changes
// it (closed refuses it, a first agent answer and a customer's answer to a resolved ticket
// change it). One narrow row instead of the whole ticket and its attachments.
struct MessageTarget
{
    QString customerId;
    TicketStatus status = TicketStatus::Open;
    bool hasFirstResponse = false;

    static Result<std::optional<MessageTarget>> find(const QSqlDatabase &db,
                                                     const QString &ticketId);
};

} // namespace sb::store
