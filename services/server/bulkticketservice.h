#pragma once

#include "caller.h"
#include "ticketservice.h"
#include "ticketworkflow.h"

#include <domain/error.h>
#include <domain/result.h>
#include <domain/ticket.h>

#include <QStringList>

#include <optional>

namespace sb::server {

struct ServerContext;

// POST /support/tickets/bulk: one change applied to many tickets through TicketWorkflow, the
// code of the single routes (state machine, SLA clock, version, change log), each ticket in its
// own transaction (a savepoint when the request runs in one), so that one refusal changes
// nothing of the others.
class BulkTicketService
{
public:
    static constexpr int kMaxIds = 100;

    explicit BulkTicketService(ServerContext &context);

    // Exactly one of them is set.
    struct Change
    {
        std::optional<QString> assign; // agent id
        std::optional<TicketStatus> status;
        std::optional<TicketPriority> priority;
    };

    struct Outcome
    {
        QString id;
        std::optional<Error> error; // none: applied, or already so
    };

    // An assignee that is not an active support/admin user fails the whole request (400 naming
    // "assign"); every other problem is the outcome of its ticket.
    Result<QList<Outcome>> apply(const QStringList &ids, const Change &change,
                                 const Caller &caller);

private:
    Result<Ticket> applyOne(const QString &id, const Change &change, const Caller &caller);

    ServerContext &m_context;
    TicketService m_tickets;
    TicketWorkflow m_workflow;
};

} // namespace sb::server
