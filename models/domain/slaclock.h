#pragma once

#include "enums.h"
#include "slapolicy.h"
#include "ticket.h"

#include <QDateTime>

#include <optional>

// The SLA clock of a ticket, as pure functions over sb::TicketSla: the store keeps the fields,
// these decide what they become. Every due time is an instant; every duration is business time
// of the policy's calendar.
//
// Pausing: while the ticket is `pending` (waiting on the customer) its clock stands still.
// pauseSla notes when; resumeSla adds the business seconds paused to pausedSeconds and pushes each
// target that was still running at the pause by that much business time. A target already missed
// when the pause began is not moved: a breach stays a breach. While paused, everything is judged
// as of the moment the pause began, so a due time passing during the pause is not a breach.
//
// Leaving `pending` for `resolved` directly: call resumeSla, then recordResolution, both with the
// same time (the service does this for every move out of `pending`). Done the other way round the
// result is the same: a target met during a pause counts as met with its clock stopped, and
// resumeSla pushes its due time by the business time paused before it was met.
//
// Breach flags are a record: refreshBreachFlags only ever sets them. A ticket that breached and
// was then moved to a longer target (priority change) keeps its breach, as helpdesks report it.

namespace sb {

// Due times for a new ticket.
TicketSla startSla(const SlaPolicy &policy, TicketPriority priority, const QDateTime &createdAt);

// After a priority change: each target not yet met becomes createdAt + the new target, shifted by
// pausedSeconds, all in business time. Met targets keep their due time (they were judged by it);
// breach flags are left as they are. Only the total of the pauses is kept, so every pause counts,
// even one that resumeSla did not apply because it began after a target was missed.
void recomputeDueTimes(TicketSla &sla, const SlaPolicy &policy, TicketPriority priority,
                       const QDateTime &createdAt);

// The ticket enters `pending`. A second pause while paused keeps the first start.
void pauseSla(TicketSla &sla, const QDateTime &now);
// The ticket leaves `pending`. No-op when not paused.
void resumeSla(TicketSla &sla, const SlaPolicy &policy, const QDateTime &now);

// Only the first response counts; later calls change nothing.
void recordFirstResponse(TicketSla &sla, const QDateTime &at);
void recordResolution(TicketSla &sla, const QDateTime &at);
// A resolved ticket is reopened: the resolution target runs again against the due time it had,
// so the time it spent resolved counts; a breach on record stays.
void reopenSla(TicketSla &sla);

// Evaluations at `now` of the current due times (not of the stored flags): met after the due
// time, or not met and now past it; a paused clock reads the moment the pause began.
bool firstResponseBreached(const TicketSla &sla, const QDateTime &now);
bool resolutionBreached(const TicketSla &sla, const QDateTime &now);
// Sets each flag that the evaluation at `now` finds breached; never clears one.
void refreshBreachFlags(TicketSla &sla, const QDateTime &now);
// The first instant after which refreshBreachFlags would change `sla` (a target not met, not
// flagged and whose clock runs falls due); invalid when nothing can change without a write.
// What a reader may cache an answer until.
QDateTime nextBreachFlagChange(const TicketSla &sla);

// "Time left" for the dashboard: business seconds from now (or the pause start) until the due
// time; negative when overdue, at least -1 so the sign alone says breached. nullopt when the
// target is met or has no due time.
std::optional<qint64> firstResponseSecondsLeft(const TicketSla &sla, const SlaPolicy &policy,
                                               const QDateTime &now);
std::optional<qint64> resolutionSecondsLeft(const TicketSla &sla, const SlaPolicy &policy,
                                            const QDateTime &now);

// When an agent's next reply is due after a customer message (not stored in TicketSla).
QDateTime nextReplyDueAt(const SlaPolicy &policy, TicketPriority priority,
                         const QDateTime &customerMessageAt);

} // namespace sb
