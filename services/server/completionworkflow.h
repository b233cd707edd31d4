#pragma once

#include "agentrota.h"

#include <domain/booking.h>
#include <domain/enums.h>
#include <domain/result.h>
#include <domain/ticket.h>

#include <QDateTime>
#include <QSqlDatabase>

#include <optional>

namespace sb::server {

struct ServerContext;

// What one run of the escalation job carries from batch to batch: who takes the next ticket
// (the agents' loads, read at the run's first batch) and how many bookings found nobody online.
struct EscalationRun
{
    std::optional<AgentRota> rota;
    int unassigned = 0;
};

// The steps of the job-completion workflow (spec §2-§4) that the API and the scheduler share:
// the scheduler's three per-booking actions, and the notifications and tickets of every stage.
// Nothing here opens a transaction: each runs in the caller's, on the caller's connection, and
// a failure means the caller rolls back.
class CompletionWorkflow
{
public:
    explicit CompletionWorkflow(ServerContext &context)
        : m_context(context)
    { }

    // --- For the scheduler. Each is idempotent: a guarded update changes the booking only while
    // it is still in the state the job expects, and only then is anything else written or sent.
    // Each answers whether it did the work (false: nothing written, nothing sent).

    // A completion request still pending and past its deadline at `now` becomes escalated
    // (autoEscalated, follow-up initiated at `now`, no supportAgent yet); exactly one high-priority
    // booking ticket is opened for it, assigned to the online agent run.rota picks (fewest active
    // tickets, counting this run's; unassigned when nobody is online); the customer and that
    // agent are notified.
    Result<bool> escalate(QSqlDatabase &db, const Booking &booking, const QDateTime &now,
                          EscalationRun &run);
    // The same for a batch: claims up to `limit` due bookings (store::BookingRepository::
    // claimDueForEscalation) and escalates them together, in a few statements. Answers how many.
    Result<int> escalateDue(QSqlDatabase &db, const QDateTime &now, int limit, EscalationRun &run);
    // After a run whose tickets found nobody online: one notification to every active agent and
    // admin, "N completion requests escalated", instead of one per booking.
    Status sendEscalationDigest(QSqlDatabase &db, const EscalationRun &run);
    // Once per completion request (still pending): reminds the customer (completion_reminder).
    Result<bool> sendReminder(QSqlDatabase &db, const Booking &booking, const QDateTime &now);
    // An open follow-up initiated at least AUTO_COMPLETE_DAYS before `now`, with at least
    // MIN_CONTACT_ATTEMPTS contact attempts and none that reached the customer, is completed
    // with outcome unreachable: booking verified, request auto_approved; the customer and the
    // technician get the final notification (auto_completed), the customer a review request.
    Result<bool> autoComplete(QSqlDatabase &db, const Booking &booking, const QDateTime &now);

    // --- Shared steps of the API, in the caller's transaction.

    // One in-app notification about the booking (entity "booking"); none for an empty userId.
    Status notify(QSqlDatabase &db, const QString &userId, NotificationType type,
                  const QString &title, const QString &body, const Booking &booking);
    // Support hears of a booking through the agent following it up, or, while nobody has taken
    // it, through every active support agent.
    Status notifySupport(QSqlDatabase &db, const Booking &booking, NotificationType type,
                         const QString &title, const QString &body);
    // A high-priority "booking" ticket for the booking's customer, linked to it, its SLA started
    // at `now`, with its change-log row.
    Result<Ticket> openTicket(QSqlDatabase &db, const Booking &booking, const QString &subject,
                              const QString &description, const QDateTime &now);
    // What a booking that just became verified brings: the review request to its customer.
    Status requestReview(QSqlDatabase &db, const Booking &booking);

    // Contact attempts of the current request that did not reach the customer.
    static int failedAttempts(const Booking &booking);
    // Escalated, initiated, and without an outcome: contacts may be logged and it may be closed.
    static bool isFollowUpOpen(const Booking &booking);
    // The deadline for escalation, `hours` (fractions allowed) after `from`.
    static QDateTime deadlineAfter(const QDateTime &from, double hours);

private:
    Result<Booking> reload(QSqlDatabase &db, const QString &id) const;
    // What follows the guarded update of escalated bookings: their changes, a ticket each, and
    // the notifications to the customer and the ticket's agent.
    Status afterEscalation(QSqlDatabase &db, const QList<Booking> &bookings, const QDateTime &now,
                           EscalationRun &run);
    // Who in support hears of the booking (see notifySupport); every active agent is read once
    // into *everyAgent and reused.
    Result<QStringList> supportRecipients(QSqlDatabase &db, const Booking &booking,
                                          std::optional<QStringList> &everyAgent) const;
    Ticket bookingTicket(const Booking &booking, const QString &subject, const QString &description,
                         const QDateTime &now) const;

    ServerContext &m_context;
};

} // namespace sb::server
