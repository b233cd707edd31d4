#include "ticketmutations.h"

#include <domain/jsoncodec.h>
#include <domain/slaclock.h>
#include <domain/ticketjsonwriter.h>
#include <domain/ticketstatemachine.h>

#include <QJsonArray>

namespace sb::server {

namespace {

// closed is final (DESIGN.md "REST conventions"): no move, no new owner, no new priority.
Status refuseIfClosed(const Ticket &ticket, const QString &to)
{
    if (ticket.status != TicketStatus::Closed)
        return {};
    return Error::make(QStringLiteral("invalid_transition"),
                       QStringLiteral("A closed ticket cannot be changed any more."),
                       {{QStringLiteral("from"), toString(ticket.status)},
                        {QStringLiteral("to"), to},
                        {QStringLiteral("allowed"), QJsonArray()}});
}

void touch(Ticket &ticket, const QDateTime &now)
{
    refreshBreachFlags(ticket.sla, now);
    ticket.updatedAt = now;
}

} // namespace

Result<bool> applyAssign(Ticket &ticket, const User &agent, const QDateTime &now)
{
    if (Status s = refuseIfClosed(ticket, toString(TicketStatus::Assigned)); !s)
        return s.error();
    if (ticket.assignedTo == agent.id)
        return false;
    ticket.assignedTo = agent.id;
    if (ticket.status == TicketStatus::Open)
        ticket.status = TicketStatus::Assigned;
    touch(ticket, now);
    return true;
}

Result<bool> applyStatus(Ticket &ticket, TicketStatus status, const SlaPolicy &policy,
                         const QDateTime &now)
{
    if (ticket.status == status)
        return false;
    if (Status s = checkTicketMove(ticket.status, status); !s)
        return s.error();
    if (status == TicketStatus::Assigned && ticket.assignedTo.isEmpty()) {
        return Error::make(QStringLiteral("invalid_transition"),
                           QStringLiteral("A ticket becomes assigned by assigning it to an agent."),
                           {{QStringLiteral("from"), toString(ticket.status)},
                            {QStringLiteral("to"), toString(status)},
                            {QStringLiteral("allowed"), QJsonArray()}});
    }
    const TicketStatus from = ticket.status;
    // Every move out of pending resumes the clock first, so that a resolution straight from a
    // resumed clock is judged against the pushed due time (slaclock.h).
    if (from == TicketStatus::Pending)
        resumeSla(ticket.sla, policy, now);
    if (from == TicketStatus::Resolved && status == TicketStatus::InProgress) {
        reopenSla(ticket.sla);
        ticket.resolution.reset(); // else the store would keep its resolvedAt
    }
    if (status == TicketStatus::Pending)
        pauseSla(ticket.sla, now);
    if (status == TicketStatus::Resolved)
        recordResolution(ticket.sla, now);
    ticket.status = status;
    touch(ticket, now);
    return true;
}

Result<bool> applyPriority(Ticket &ticket, TicketPriority priority, const SlaPolicy &policy,
                           const QDateTime &now)
{
    if (Status s = refuseIfClosed(ticket, toString(ticket.status)); !s)
        return s.error();
    if (ticket.priority == priority)
        return false;
    ticket.priority = priority;
    // A ticket without due times (seeded or imported) has no SLA to move.
    if (ticket.sla.firstResponseDueAt.isValid() || ticket.sla.resolutionDueAt.isValid())
        recomputeDueTimes(ticket.sla, policy, priority, ticket.createdAt);
    touch(ticket, now);
    return true;
}

Change ticketChange(const Ticket &ticket, ChangeOp op)
{
    Change change;
    change.entity = QStringLiteral("ticket");
    change.entityId = ticket.id;
    change.op = op;
    // The messages travel as their own events; an empty list here would read as "none".
    JsonWriter out(2048);
    writeJson(out, ticket, TicketJsonParts::WithoutMessages);
    change.dataJson = out.take();
    change.customerId = ticket.customerId;
    change.createdAt = ticket.updatedAt;
    return change;
}

} // namespace sb::server
