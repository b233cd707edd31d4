#pragma once

#include "caller.h"

#include <domain/conversation.h>
#include <domain/result.h>
#include <domain/ticket.h>
#include <store/conversationrepository.h>

namespace sb::server {

struct ServerContext;

// Support conversations: real-time chat between a customer and an agent, with or without a
// ticket (spec §1 "Create/Get Support Conversation").
class ConversationService
{
public:
    static constexpr int kMaxMessageLength = 10000;

    explicit ConversationService(ServerContext &context)
        : m_context(context)
    { }

    struct Started
    {
        Conversation conversation; // with its messages
        bool reused = false; // an open conversation of the ticket took the message
    };

    // POST /support/conversation by a customer. With ticketId (one of the customer's tickets,
    // else not_found): when the ticket's conversation exists and is open, the message is added
    // to it (reused); otherwise a new conversation is linked to the ticket (ticket.conversationId
    // set, version bumped). A new conversation goes to the ticket's assignee when it has one,
    // else to the agent auto-assignment picks; nobody online leaves it unassigned.
    Result<Started> start(const Caller &customer, const QString &ticketId, const QString &message);
    // Owner customer or agents; anyone else not_found.
    Result<Conversation> find(const Caller &caller, const QString &id) const;
    // A reply by the owner or an agent. An agent answering an unassigned conversation takes it.
    Result<ConversationMessage> addMessage(const Caller &caller, const QString &id,
                                           const QString &message);
    // Agents list any; a customer only its own (the filter's customer is forced).
    Result<store::ConversationPage> list(const Caller &caller,
                                         store::ConversationFilter filter) const;

private:
    Result<Conversation> create(QSqlDatabase &db, const Caller &customer,
                                const std::optional<Ticket> &ticket, const QString &message);
    Result<ConversationMessage> append(QSqlDatabase &db, Conversation conversation,
                                       const Caller &sender, const QString &message);
    Status linkTicket(QSqlDatabase &db, Ticket ticket, const QString &conversationId);
    Result<Conversation> record(QSqlDatabase &db, const QString &conversationId, ChangeOp op);

    ServerContext &m_context;
};

} // namespace sb::server
