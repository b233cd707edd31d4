#pragma once

#include "enums.h"
#include "result.h"

#include <QList>

namespace sb {

// Booking status moves (DESIGN.md "REST conventions" and the spec's completion workflow).
//   pending     -> confirmed    support assigns a technician (PUT assign)
//   pending     -> cancelled
//   confirmed   -> in_progress  the assigned technician starts (POST start)
//   confirmed   -> cancelled
//   in_progress -> completed    the technician requests completion
//   in_progress -> cancelled
//   completed   -> verified     the customer approves, or a follow-up outcome other than dispute
//   completed   -> disputed     the follow-up outcome is customer_disputed
//   completed   -> in_progress  the customer rejects: the technician must fix the issues
// verified, disputed and cancelled are final: no endpoint moves them on.
// Unlike tickets, the same status is NOT an allowed move: each booking action is an event, and
// repeating one (a second start or request-completion) is a 409, not a silent no-op.
bool canMoveBooking(BookingStatus from, BookingStatus to);
QList<BookingStatus> allowedBookingMoves(BookingStatus from);
Status checkBookingMove(BookingStatus from, BookingStatus to);

// completionRequest.status moves.
//   pending   -> approved       the customer approves (respond-completion)
//   pending   -> rejected       the customer rejects (respond-completion)
//   pending   -> escalated      the deadline passed (job) or an agent initiates the follow-up
//   escalated -> escalated      initiate-followup hands an escalated request to the calling agent
//   escalated -> approved       outcome customer_confirmed, or the customer approves late
//   escalated -> rejected       outcome customer_disputed, or the customer rejects late
//   escalated -> auto_approved  outcome unreachable or auto_completed (a system decision)
// approved, rejected and auto_approved are final: a new request after a rejection is a new
// sub-document. pending -> auto_approved is refused: the system approves only after support
// tried to reach the customer, which starts with an escalation.
bool canMoveCompletion(CompletionStatus from, CompletionStatus to);
QList<CompletionStatus> allowedCompletionMoves(CompletionStatus from);
Status checkCompletionMove(CompletionStatus from, CompletionStatus to);

// The spec's complete-by-support outcomes: customer_confirmed, unreachable and auto_completed
// verify the booking, customer_disputed disputes it.
BookingStatus bookingStatusForOutcome(FollowUpOutcome outcome);
// The completionRequest.status an outcome settles on: approved, rejected or auto_approved.
CompletionStatus completionStatusForOutcome(FollowUpOutcome outcome);

} // namespace sb
