#include "completionworkflow.h"

#include "bookingservice.h"
#include "notifier.h"
#include "servercontext.h"

#include <domain/bookingstatemachine.h>
#include <domain/jsoncodec.h>
#include <domain/slaclock.h>
#include <domain/timeformat.h>
#include <store/ticketrepository.h>
#include <store/userrepository.h>

#include <algorithm>
#include <cmath>

namespace sb::server {

namespace {

constexpr int kMaxSubject = 200;
constexpr int kMaxSupportRecipients = 500;

QString quoted(const Booking &booking)
{
    return u'"' + booking.service + u'"';
}

qint64 millis(double units, double msPerUnit)
{
    return std::llround(units * msPerUnit);
}

} // namespace

QDateTime CompletionWorkflow::deadlineAfter(const QDateTime &from, double hours)
{
    return from.addMSecs(millis(hours, 3600.0 * 1000.0));
}

int CompletionWorkflow::failedAttempts(const Booking &booking)
{
    if (!booking.completionRequest)
        return 0;
    const auto &attempts = booking.completionRequest->supportFollowUp.contactAttempts;
    return int(std::count_if(attempts.cbegin(), attempts.cend(),
                             [](const ContactAttempt &a) { return !a.reached; }));
}

bool CompletionWorkflow::isFollowUpOpen(const Booking &booking)
{
    if (!booking.completionRequest)
        return false;
    const CompletionRequest &cr = *booking.completionRequest;
    return cr.status == CompletionStatus::Escalated && cr.supportFollowUp.initiated
        && !cr.supportFollowUp.outcome;
}

Result<Booking> CompletionWorkflow::reload(QSqlDatabase &db, const QString &id) const
{
    const auto found = BookingService::load(db, id);
    if (!found)
        return found.error();
    if (!*found)
        return Error::make(QStringLiteral("not_found"), QStringLiteral("No such booking."));
    return **found;
}

Status CompletionWorkflow::notify(QSqlDatabase &db, const QString &userId, NotificationType type,
                                  const QString &title, const QString &body, const Booking &booking)
{
    if (userId.isEmpty())
        return {};
    NotificationRequest request;
    request.userId = userId;
    request.type = type;
    request.title = title;
    request.body = body;
    request.entity = QStringLiteral("booking");
    request.entityId = booking.id;
    const auto sent = Notifier(m_context).notify(db, request);
    return sent ? Status() : Status(sent.error());
}

Status CompletionWorkflow::notifySupport(QSqlDatabase &db, const Booking &booking,
                                         NotificationType type, const QString &title,
                                         const QString &body)
{
    const QString agent = booking.completionRequest
        ? booking.completionRequest->supportFollowUp.supportAgent
        : QString();
    if (!agent.isEmpty())
        return notify(db, agent, type, title, body, booking);
    store::UserFilter filter;
    filter.role = Role::Support;
    filter.active = true;
    filter.limit = kMaxSupportRecipients;
    const auto agents = store::UserRepository(db).list(filter);
    if (!agents)
        return agents.error();
    for (const User &u : agents->items) {
        if (Status s = notify(db, u.id, type, title, body, booking); !s)
            return s;
    }
    return {};
}

Result<Ticket> CompletionWorkflow::openTicket(QSqlDatabase &db, const Booking &booking,
                                              const QString &subject, const QString &description,
                                              const QDateTime &now)
{
    Ticket t;
    t.subject = subject.left(kMaxSubject);
    t.description = description;
    t.category = TicketCategory::Booking;
    t.priority = TicketPriority::High;
    t.status = TicketStatus::Open;
    t.customerId = booking.customerId;
    t.relatedBooking = booking.id;
    t.createdAt = now;
    t.updatedAt = now;
    t.sla = startSla(m_context.slaPolicy, t.priority, now);
    auto created = store::TicketRepository(db).insert(t);
    if (!created)
        return created;
    Change change;
    change.entity = QStringLiteral("ticket");
    change.entityId = created->id;
    change.op = ChangeOp::Created;
    change.data = toJson(*created);
    change.data.remove(QStringLiteral("messages")); // they travel as their own events
    change.customerId = created->customerId;
    change.createdAt = now;
    if (auto seq = m_context.changes.record(db, change); !seq)
        return seq.error();
    return created;
}

Status CompletionWorkflow::requestReview(QSqlDatabase &db, const Booking &booking)
{
    return notify(db, booking.customerId, NotificationType::ReviewRequested,
                  QStringLiteral("How did it go?"),
                  QStringLiteral("%1 is complete. Tell others about it: leave a review.")
                      .arg(quoted(booking)),
                  booking);
}

Result<bool> CompletionWorkflow::escalate(QSqlDatabase &db, const Booking &booking,
                                          const QDateTime &now)
{
    store::BookingRepository bookings(db);
    const auto marked = bookings.markEscalated(booking.id, now);
    if (!marked || !*marked)
        return marked;
    const auto escalated = reload(db, booking.id);
    if (!escalated)
        return escalated.error();
    const Booking &b = *escalated;
    if (Status s = BookingService(m_context).record(db, b, ChangeOp::Updated); !s)
        return s.error();

    const QString deadline = toIsoUtc(b.completionRequest->escalationDeadline);
    const auto ticket = openTicket(
        db, b, QStringLiteral("Completion not confirmed: %1").arg(b.service),
        QStringLiteral("The customer did not answer the completion request for booking %1 (%2) "
                       "before its deadline, %3. Contact the customer to confirm the work.")
            .arg(b.id, quoted(b), deadline),
        now);
    if (!ticket)
        return ticket.error();

    if (Status s = notify(db, b.customerId, NotificationType::CompletionEscalated,
                          QStringLiteral("Our support team will contact you"),
                          QStringLiteral("You did not confirm %1 in time, so our support team "
                                         "will follow it up with you (ticket %2).")
                              .arg(quoted(b), ticket->ticketNumber),
                          b);
        !s)
        return s.error();
    if (Status s = notifySupport(db, b, NotificationType::CompletionEscalated,
                                 QStringLiteral("Completion follow-up needed"),
                                 QStringLiteral("The customer did not confirm %1 by %2. Ticket "
                                                "%3 is open for the follow-up.")
                                     .arg(quoted(b), deadline, ticket->ticketNumber));
        !s)
        return s.error();
    return true;
}

Result<bool> CompletionWorkflow::sendReminder(QSqlDatabase &db, const Booking &booking,
                                              const QDateTime &now)
{
    Q_UNUSED(now) // the guard is "still pending and not reminded", whatever the time
    const auto marked = store::BookingRepository(db).markReminderSent(booking.id);
    if (!marked || !*marked)
        return marked;
    const auto reminded = reload(db, booking.id);
    if (!reminded)
        return reminded.error();
    // Not on the wire, but the version moved: clients must learn it for their next If-Match.
    if (Status s = BookingService(m_context).record(db, *reminded, ChangeOp::Updated); !s)
        return s.error();
    const QDateTime deadline = reminded->completionRequest->escalationDeadline;
    if (Status s = notify(db, reminded->customerId, NotificationType::CompletionReminder,
                          QStringLiteral("Please confirm your completed job"),
                          QStringLiteral("%1 is waiting for your confirmation. Please answer "
                                         "before %2, or our support team will contact you.")
                              .arg(quoted(*reminded), toIsoUtc(deadline)),
                          *reminded);
        !s)
        return s.error();
    return true;
}

Result<bool> CompletionWorkflow::autoComplete(QSqlDatabase &db, const Booking &booking,
                                              const QDateTime &now)
{
    // Decided on the stored booking, not the caller's copy: an attempt that reached the
    // customer may have been logged since the job read its list.
    const auto current = reload(db, booking.id);
    if (!current)
        return current.error();
    Booking b = *current;
    if (!isFollowUpOpen(b))
        return false;
    const SupportFollowUp &fu = b.completionRequest->supportFollowUp;
    const qint64 waitMs = millis(m_context.settings.autoCompleteDays, 86400.0 * 1000.0);
    const bool anyReached = std::any_of(fu.contactAttempts.cbegin(), fu.contactAttempts.cend(),
                                        [](const ContactAttempt &a) { return a.reached; });
    if (!fu.initiatedAt.isValid() || fu.initiatedAt.addMSecs(waitMs) > now || anyReached
        || failedAttempts(b) < m_context.settings.minContactAttempts)
        return false;

    const FollowUpOutcome outcome = FollowUpOutcome::Unreachable;
    const BookingStatus to = bookingStatusForOutcome(outcome);
    if (Status s = checkBookingMove(b.status, to); !s)
        return s.error();
    store::BookingRepository bookings(db);
    const QString notes = QStringLiteral("Completed automatically: the customer was not reached "
                                         "in %1 contact attempts.")
                              .arg(fu.contactAttempts.size());
    const auto completed = bookings.completeFollowUp(b.id, outcome, to, now, QString(), notes);
    if (!completed || !*completed)
        return completed;
    // The guarded update settles the follow-up; the request's own status follows it here.
    const auto settled = reload(db, b.id);
    if (!settled)
        return settled.error();
    b = *settled;
    b.completionRequest->status = completionStatusForOutcome(outcome);
    b.updatedAt = now;
    const auto saved = bookings.update(b, b.version);
    if (!saved)
        return saved.error();
    b = *saved;
    if (Status s = BookingService(m_context).record(db, b, ChangeOp::Updated); !s)
        return s.error();

    const QString title = QStringLiteral("Job completed");
    const QString body = QStringLiteral("%1 was marked completed: we could not reach the "
                                        "customer to confirm it.")
                             .arg(quoted(b));
    for (const QString &user : {b.customerId, b.technicianId}) {
        if (Status s = notify(db, user, NotificationType::AutoCompleted, title, body, b); !s)
            return s.error();
    }
    if (Status s = requestReview(db, b); !s)
        return s.error();
    return true;
}

} // namespace sb::server
