#pragma once

#include "enums.h"
#include "result.h"

#include <QList>

namespace sb {

// Ticket status moves: DESIGN.md "REST conventions" lists them and refuses anything else (409).
//   open        -> assigned     an agent is assigned (PUT assign, auto-assignment)
//   assigned    -> in_progress  the assigned agent starts work
//   in_progress -> pending      waiting on the customer; pauses the SLA clock
//   in_progress -> resolved     the agent resolves it (PUT close, PUT status)
//   pending     -> in_progress  the customer answered, or the agent resumes the clock
//   resolved    -> closed       confirmed, by an agent or by the auto-close job
//   resolved    -> in_progress  reopened, e.g. by a customer's message (DESIGN)
//   closed      -> (nothing)    final
// Refused on purpose: open -> in_progress would leave a ticket in work with no assignee (no
// agent's queue counts it); resolving from open, assigned or pending skips the work and the
// SLA resume that a resolution implies, and a pending ticket resumes in one more call.
// A move to the status a ticket already has is allowed: the route answers it as a 200 no-op.
bool canMoveTicket(TicketStatus from, TicketStatus to);
// The moves out of `from`, in the order above, without the no-op.
QList<TicketStatus> allowedTicketMoves(TicketStatus from);
// An "invalid_transition" Error listing the allowed moves when canMoveTicket is false.
Status checkTicketMove(TicketStatus from, TicketStatus to);

} // namespace sb
