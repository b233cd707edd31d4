#pragma once

#include "attachment.h"
#include "enums.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace sb {

struct TicketMessage
{
    QString id;
    QString ticketId;
    QString senderId;
    Role senderRole = Role::Customer;
    QString message; // plain text, never interpreted as HTML
    QList<Attachment> attachments;
    bool isInternal = false; // agents' note: never shown to a customer
    QDateTime createdAt;

    bool operator==(const TicketMessage &) const = default;
};

} // namespace sb
