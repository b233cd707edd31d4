#pragma once

#include <domain/change.h>
#include <domain/result.h>
#include <domain/slapolicy.h>
#include <domain/ticket.h>
#include <domain/user.h>

#include <QDateTime>

namespace sb::server {

// The rules of one ticket change, shared by the single ticket routes and bulk, so that both
// apply the same state machine and SLA clock. Each edits the ticket in memory (status, SLA,
// breach flags, updatedAt) and answers whether it changed anything: false is the no-op that a
// route answers as it is, without writing. Writing (with the version check), the change log and
// notifications stay with the caller.

// Gives the ticket to `agent` (the caller has checked it is an active support/admin user).
// An open ticket becomes assigned; a closed one refuses (invalid_transition, 409).
Result<bool> applyAssign(Ticket &ticket, const User &agent, const QDateTime &now);

// Moves the ticket through the state machine (409 naming the allowed moves otherwise):
// entering `pending` pauses the SLA clock and leaving it resumes it; `resolved` records the
// resolution time; leaving `resolved` for `in_progress` reopens it (the resolution is cleared).
// `assigned` is reached by assigning, so a move there without an assignee is refused.
Result<bool> applyStatus(Ticket &ticket, TicketStatus status, const SlaPolicy &policy,
                         const QDateTime &now);

// Changes the priority and moves the due times not yet met to the new targets; a breach on
// record stays. A closed ticket refuses (409).
Result<bool> applyPriority(Ticket &ticket, TicketPriority priority, const SlaPolicy &policy,
                           const QDateTime &now);

// The change-log row of an updated ticket: the ticket as its customer may see it (no messages),
// for its customer and the agents.
Change ticketChange(const Ticket &ticket, ChangeOp op = ChangeOp::Updated);

} // namespace sb::server
