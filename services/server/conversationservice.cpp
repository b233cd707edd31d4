#include "conversationservice.h"

#include "agentservice.h"
#include "apierrors.h"
#include "authorizer.h"
#include "servercontext.h"
#include "ticketmutations.h"

#include <domain/jsoncodec.h>
#include <store/ticketrepository.h>

namespace sb::server {

using store::ConversationRepository;

Result<ConversationService::Started>
ConversationService::start(const Caller &customer, const QString &ticketId, const QString &message)
{
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<Started> {
        std::optional<Ticket> ticket;
        if (!ticketId.isEmpty()) {
            const auto found = store::TicketRepository(db).findById(ticketId);
            if (!found)
                return found.error();
            if (!*found || !authz::canSeeTicket(customer, **found))
                return errors::notFound(QStringLiteral("ticket"));
            ticket = **found;
        }
        if (ticket && !ticket->conversationId.isEmpty()) {
            const auto existing = ConversationRepository(db).findById(ticket->conversationId);
            if (!existing)
                return existing.error();
            if (*existing && (*existing)->status == ConversationStatus::Open) {
                if (const auto added = append(db, **existing, customer, message); !added)
                    return added.error();
                const auto recorded = record(db, (*existing)->id, ChangeOp::Updated);
                if (!recorded)
                    return recorded.error();
                return Started {*recorded, true};
            }
        }
        const auto created = create(db, customer, ticket, message);
        if (!created)
            return created.error();
        const auto recorded = record(db, created->id, ChangeOp::Created);
        if (!recorded)
            return recorded.error();
        return Started {*recorded, false};
    });
}

Result<Conversation> ConversationService::create(QSqlDatabase &db, const Caller &customer,
                                                 const std::optional<Ticket> &ticket,
                                                 const QString &message)
{
    const QDateTime now = m_context.clock.now();
    Conversation c;
    c.customerId = customer.id();
    c.status = ConversationStatus::Open;
    c.createdAt = now;
    if (ticket) {
        c.ticketId = ticket->id;
        // The agent who owns the ticket's issue keeps its conversation too.
        c.agentId = ticket->assignedTo;
    }
    if (c.agentId.isEmpty()) {
        const auto agent = AgentService::pickAgent(db, now);
        if (!agent)
            return agent.error();
        if (*agent)
            c.agentId = (*agent)->id;
    }
    const auto inserted = ConversationRepository(db).insert(c);
    if (!inserted)
        return inserted;
    if (const auto added = append(db, *inserted, customer, message); !added)
        return added.error();
    if (ticket) {
        if (Status s = linkTicket(db, *ticket, inserted->id); !s)
            return s.error();
    }
    return inserted;
}

Result<ConversationMessage> ConversationService::append(QSqlDatabase &db, Conversation conversation,
                                                        const Caller &sender,
                                                        const QString &message)
{
    const QDateTime now = m_context.clock.now();
    ConversationRepository conversations(db);
    if (conversation.agentId.isEmpty()) {
        // Waiting for an agent: one answering takes it; a customer writing again tries
        // auto-assignment once more, since someone may have come online meanwhile.
        if (sender.isAgent()) {
            conversation.agentId = sender.id();
        } else {
            const auto agent = AgentService::pickAgent(db, now);
            if (!agent)
                return agent.error();
            if (*agent)
                conversation.agentId = (*agent)->id;
        }
        if (!conversation.agentId.isEmpty()) {
            if (Status s = conversations.update(conversation, now); !s)
                return s.error();
        }
    }
    ConversationMessage m;
    m.conversationId = conversation.id;
    m.senderId = sender.id();
    m.senderRole = sender.role();
    m.message = message;
    m.createdAt = now;
    return conversations.addMessage(m);
}

Status ConversationService::linkTicket(QSqlDatabase &db, Ticket ticket,
                                       const QString &conversationId)
{
    ticket.conversationId = conversationId;
    ticket.updatedAt = m_context.clock.now();
    const auto saved = store::TicketRepository(db).update(ticket, ticket.version);
    if (!saved)
        return saved.error();
    const auto seq = m_context.changes.record(db, ticketChange(*saved));
    return seq ? Status() : Status(seq.error());
}

// The conversation as it now stands, messages included, for its customer and the agents.
Result<Conversation> ConversationService::record(QSqlDatabase &db, const QString &conversationId,
                                                 ChangeOp op)
{
    const auto found = ConversationRepository(db).findById(conversationId);
    if (!found)
        return found.error();
    if (!*found)
        return errors::notFound(QStringLiteral("conversation"));
    Change change;
    change.entity = QStringLiteral("conversation");
    change.entityId = conversationId;
    change.op = op;
    change.data = toJson(**found);
    change.customerId = (*found)->customerId;
    change.createdAt = m_context.clock.now();
    if (const auto seq = m_context.changes.record(db, change); !seq)
        return seq.error();
    return **found;
}

Result<Conversation> ConversationService::find(const Caller &caller, const QString &id) const
{
    const auto found = ConversationRepository(m_context.db.connection()).findById(id);
    if (!found)
        return found.error();
    if (!*found || !authz::canSeeConversation(caller, **found))
        return errors::notFound(QStringLiteral("conversation"));
    return **found;
}

Result<ConversationMessage> ConversationService::addMessage(const Caller &caller, const QString &id,
                                                            const QString &message)
{
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<ConversationMessage> {
        const auto found = ConversationRepository(db).findById(id);
        if (!found)
            return found.error();
        if (!*found || !authz::canSeeConversation(caller, **found))
            return errors::notFound(QStringLiteral("conversation"));
        if ((*found)->status == ConversationStatus::Closed) {
            return errors::conflict(
                QStringLiteral("conflict"),
                QStringLiteral("This conversation is closed; start a new one."));
        }
        const auto added = append(db, **found, caller, message);
        if (!added)
            return added;
        if (const auto recorded = record(db, id, ChangeOp::Updated); !recorded)
            return recorded.error();
        return added;
    });
}

Result<store::ConversationPage> ConversationService::list(const Caller &caller,
                                                          store::ConversationFilter filter) const
{
    if (!caller.isAgent())
        filter.customerId = caller.id();
    return ConversationRepository(m_context.db.connection()).list(filter);
}

} // namespace sb::server
