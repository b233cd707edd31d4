#pragma once

#include "enums.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace sb {

struct ConversationMessage
{
    QString id;
    QString conversationId;
    QString senderId;
    Role senderRole = Role::Customer;
    QString message;
    QDateTime createdAt;

    bool operator==(const ConversationMessage &) const = default;
};

struct Conversation
{
    QString id;
    QString customerId;
    QString agentId; // null until an agent is assigned
    QString ticketId; // null when not linked to a ticket
    ConversationStatus status = ConversationStatus::Open;
    QList<ConversationMessage> messages;
    QDateTime createdAt;

    bool operator==(const Conversation &) const = default;
};

} // namespace sb
