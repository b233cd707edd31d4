#include "ticketworkflow.h"

#include "ticketmutations.h"
#include "ticketservice.h"

#include <store/userrepository.h>

namespace sb::server {

Result<bool> TicketWorkflow::giveTo(Ticket &ticket, const QString &agentId, const QString &field,
                                    QSqlDatabase &db)
{
    const auto agent = m_tickets.activeAgent(db, agentId, field);
    if (!agent)
        return agent.error();
    const auto changed = applyAssign(ticket, *agent, m_tickets.now());
    if (!changed || !*changed)
        return changed;
    // Manual assignment is work given too: auto-assignment's "idle longest" counts from it.
    if (Status s = store::UserRepository(db).touchLastAssigned(agentId, m_tickets.now()); !s)
        return s.error();
    return true;
}

Result<Ticket> TicketWorkflow::assign(const QString &id, const QString &agentId,
                                      const Caller &caller, std::optional<int> expectedVersion)
{
    return m_tickets.modify(id, caller, expectedVersion,
                            [&](Ticket &ticket, QSqlDatabase &db) -> Result<bool> {
                                return giveTo(ticket, agentId, QStringLiteral("agentId"), db);
                            });
}

Result<Ticket> TicketWorkflow::setStatus(const QString &id, TicketStatus status,
                                         const QString &notes, const Caller &caller,
                                         std::optional<int> expectedVersion)
{
    return m_tickets.modify(
        id, caller, expectedVersion, [&](Ticket &ticket, QSqlDatabase &db) -> Result<bool> {
            const auto changed
                = applyStatus(ticket, status, m_tickets.slaPolicy(), m_tickets.now());
            if (!changed || !*changed)
                return changed; // a no-op stores no note, so a retried PUT adds no copy
            if (!notes.isEmpty()) {
                if (const auto note = m_tickets.addNote(db, ticket, notes, caller); !note)
                    return note.error();
            }
            return true;
        });
}

Result<Ticket> TicketWorkflow::setPriority(const QString &id, TicketPriority priority,
                                           const Caller &caller, std::optional<int> expectedVersion)
{
    return m_tickets.modify(
        id, caller, expectedVersion, [&](Ticket &ticket, QSqlDatabase &) -> Result<bool> {
            return applyPriority(ticket, priority, m_tickets.slaPolicy(), m_tickets.now());
        });
}

Result<Ticket> TicketWorkflow::close(const QString &id, const TicketClosing &closing,
                                     const Caller &caller, std::optional<int> expectedVersion)
{
    return m_tickets.modify(
        id, caller, expectedVersion, [&](Ticket &ticket, QSqlDatabase &) -> Result<bool> {
            // Resolves a ticket in work and closes a resolved one; from anywhere else the move to
            // resolved is refused with the moves allowed from there.
            const bool resolved = ticket.status == TicketStatus::Resolved;
            // The resolution names who resolved the ticket, not who closed it.
            const QString resolvedBy
                = resolved && ticket.resolution && !ticket.resolution->resolvedBy.isEmpty()
                ? ticket.resolution->resolvedBy
                : caller.id();
            const TicketStatus to = resolved ? TicketStatus::Closed : TicketStatus::Resolved;
            if (const auto moved = applyStatus(ticket, to, m_tickets.slaPolicy(), m_tickets.now());
                !moved)
                return moved;
            ticket.resolution
                = TicketResolution {closing.summary, closing.resolutionType,
                                    closing.resolutionNotes, resolvedBy, ticket.sla.resolvedAt};
            return true;
        });
}

Result<Ticket> TicketWorkflow::escalate(const QString &id, const TicketEscalationRequest &request,
                                        const Caller &caller, std::optional<int> expectedVersion)
{
    return m_tickets.modify(
        id, caller, expectedVersion, [&](Ticket &ticket, QSqlDatabase &db) -> Result<bool> {
            if (const auto given
                = giveTo(ticket, request.escalatedTo, QStringLiteral("escalatedTo"), db);
                !given)
                return given;
            ticket.escalation = TicketEscalation {request.escalatedTo, caller.id(), request.reason,
                                                  m_tickets.now()};
            return true;
        });
}

Result<Ticket> TicketWorkflow::rate(const QString &id, int rating, const QString &comment,
                                    const Caller &caller)
{
    if (caller.role() != Role::Customer) {
        return Error::make(QStringLiteral("forbidden"),
                           QStringLiteral("Only the ticket's customer can rate it."));
    }
    return m_tickets.modify(
        id, caller, std::nullopt, [&](Ticket &ticket, QSqlDatabase &) -> Result<bool> {
            if (ticket.satisfaction) {
                return Error::make(QStringLiteral("already_rated"),
                                   QStringLiteral("This ticket has already been rated."));
            }
            if (ticket.status != TicketStatus::Resolved && ticket.status != TicketStatus::Closed) {
                return Error::make(QStringLiteral("not_resolved"),
                                   QStringLiteral("A ticket can be rated once it is resolved."),
                                   {{QStringLiteral("status"), toString(ticket.status)}});
            }
            ticket.satisfaction = TicketSatisfaction {rating, comment, m_tickets.now()};
            return true;
        });
}

} // namespace sb::server
