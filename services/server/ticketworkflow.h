#pragma once

#include "caller.h"

#include <domain/result.h>
#include <domain/ticket.h>

#include <QSqlDatabase>

#include <optional>

namespace sb::server {

class TicketService;

struct TicketClosing
{
    QString summary;
    ResolutionType resolutionType = ResolutionType::Solved;
    QString resolutionNotes;
};

struct TicketEscalationRequest
{
    QString escalatedTo;
    QString reason;
};

// The agents' actions on a ticket, and the customer's rating. Each runs through
// TicketService::modify: one transaction, If-Match checked, breach flags refreshed, change
// recorded; a request that changes nothing answers the ticket without a new version.
// assign, status and priority apply the rules of ticketmutations.h, which bulk shares.
//
// Rules (DESIGN.md "REST conventions" plus these decisions):
// - assign: an active support/admin user; `open` becomes `assigned`, other statuses stay.
// - status: the state machine (409 with the allowed moves); `assigned` is reached by assigning.
//   notes become an internal note, except on a no-op, which stores nothing (so that a retried
//   PUT adds no copy).
// - close: `in_progress -> resolved`, `resolved -> closed`; anything else is 409 with the moves
//   allowed from there. Both fill `resolution`.
// - escalate: fills `escalation` and reassigns to escalatedTo (`open` becomes `assigned`);
//   priority is kept: PUT priority changes it.
// - assign, priority and escalate refuse a closed ticket (409 invalid_transition): closed is
//   final.
// - rate: the ticket's customer, once, when resolved or closed.
class TicketWorkflow
{
public:
    explicit TicketWorkflow(TicketService &tickets)
        : m_tickets(tickets)
    { }

    Result<Ticket> assign(const QString &id, const QString &agentId, const Caller &caller,
                          std::optional<int> expectedVersion);
    Result<Ticket> setStatus(const QString &id, TicketStatus status, const QString &notes,
                             const Caller &caller, std::optional<int> expectedVersion);
    Result<Ticket> setPriority(const QString &id, TicketPriority priority, const Caller &caller,
                               std::optional<int> expectedVersion);
    Result<Ticket> close(const QString &id, const TicketClosing &closing, const Caller &caller,
                         std::optional<int> expectedVersion);
    Result<Ticket> escalate(const QString &id, const TicketEscalationRequest &request,
                            const Caller &caller, std::optional<int> expectedVersion);
    Result<Ticket> rate(const QString &id, int rating, const QString &comment,
                        const Caller &caller);

private:
    // Gives the ticket to an active support/admin user (else 400 naming `field`) by the rules
    // of ticketmutations.h, and notes the assignment time for auto-assignment.
    Result<bool> giveTo(Ticket &ticket, const QString &agentId, const QString &field,
                        QSqlDatabase &db);

    TicketService &m_tickets;
};

} // namespace sb::server
