#include "completionworkflow.h"

#include "bookingservice.h"
#include "notifier.h"
#include "servercontext.h"
#include "ticketmutations.h"

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

NotificationRequest bookingNotice(const QString &userId, NotificationType type,
                                  const QString &title, const QString &body, const Booking &booking)
{
    NotificationRequest request;
    request.userId = userId;
    request.type = type;
    request.title = title;
    request.body = body;
    request.entity = QStringLiteral("booking");
    request.entityId = booking.id;
    return request;
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
    const auto sent
        = Notifier(m_context).notify(db, bookingNotice(userId, type, title, body, booking));
    return sent ? Status() : Status(sent.error());
}

Result<QStringList>
CompletionWorkflow::supportRecipients(QSqlDatabase &db, const Booking &booking,
                                      std::optional<QStringList> &everyAgent) const
{
    const QString agent = booking.completionRequest
        ? booking.completionRequest->supportFollowUp.supportAgent
        : QString();
    if (!agent.isEmpty())
        return QStringList {agent};
    if (!everyAgent) {
        store::UserFilter filter;
        filter.role = Role::Support;
        filter.active = true;
        filter.limit = kMaxSupportRecipients;
        const auto agents = store::UserRepository(db).list(filter);
        if (!agents)
            return agents.error();
        everyAgent.emplace();
        for (const User &u : agents->items)
            *everyAgent << u.id;
    }
    return *everyAgent;
}

Status CompletionWorkflow::notifySupport(QSqlDatabase &db, const Booking &booking,
                                         NotificationType type, const QString &title,
                                         const QString &body)
{
    std::optional<QStringList> everyAgent;
    const auto recipients = supportRecipients(db, booking, everyAgent);
    if (!recipients)
        return recipients.error();
    QList<NotificationRequest> requests;
    for (const QString &user : *recipients)
        requests << bookingNotice(user, type, title, body, booking);
    const auto sent = Notifier(m_context).notifyAll(db, requests);
    return sent ? Status() : Status(sent.error());
}

Ticket CompletionWorkflow::bookingTicket(const Booking &booking, const QString &subject,
                                         const QString &description, const QDateTime &now) const
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
    return t;
}

Result<Ticket> CompletionWorkflow::openTicket(QSqlDatabase &db, const Booking &booking,
                                              const QString &subject, const QString &description,
                                              const QDateTime &now)
{
    auto created
        = store::TicketRepository(db).insert(bookingTicket(booking, subject, description, now));
    if (!created)
        return created;
    if (auto seq = m_context.changes.record(db, ticketChange(*created, ChangeOp::Created)); !seq)
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
                                          const QDateTime &now, EscalationRun &run)
{
    store::BookingRepository bookings(db);
    const auto marked = bookings.markEscalated(booking.id, now);
    if (!marked || !*marked)
        return marked;
    const auto escalated = reload(db, booking.id);
    if (!escalated)
        return escalated.error();
    if (Status s = afterEscalation(db, {*escalated}, now, run); !s)
        return s.error();
    return true;
}

Result<int> CompletionWorkflow::escalateDue(QSqlDatabase &db, const QDateTime &now, int limit,
                                            EscalationRun &run)
{
    auto claimed = store::BookingRepository(db).claimDueForEscalation(now, limit);
    if (!claimed)
        return claimed.error();
    for (Booking &b : *claimed)
        BookingService::dropEarlierAttempts(b); // as reload() reads them
    if (Status s = afterEscalation(db, *claimed, now, run); !s)
        return s.error();
    return int(claimed->size());
}

Status CompletionWorkflow::afterEscalation(QSqlDatabase &db, const QList<Booking> &bookings,
                                           const QDateTime &now, EscalationRun &run)
{
    if (bookings.isEmpty())
        return {};
    if (!run.rota) {
        auto rota = AgentRota::read(db);
        if (!rota)
            return rota.error();
        run.rota = std::move(*rota);
    }
    QList<Ticket> tickets;
    tickets.reserve(bookings.size());
    for (const Booking &b : bookings) {
        Ticket t = bookingTicket(
            b, QStringLiteral("Completion not confirmed: %1").arg(b.service),
            QStringLiteral("The customer did not answer the completion request for booking %1 "
                           "(%2) before its deadline, %3. Contact the customer to confirm the "
                           "work.")
                .arg(b.id, quoted(b), toIsoUtc(b.completionRequest->escalationDeadline)),
            now);
        if (const std::optional<User> agent = run.rota->next(now)) {
            if (const auto assigned = applyAssign(t, *agent, now); !assigned)
                return assigned.error();
        } else {
            ++run.unassigned;
        }
        tickets << t;
    }
    if (Status s = store::TicketRepository(db).insertAll(tickets); !s)
        return s;
    // Given work: auto-assignment's "idle longest" counts from now for them.
    if (Status s = store::UserRepository(db).touchLastAssigned(run.rota->takeGiven(), now); !s)
        return s;
    QList<Change> changes;
    changes.reserve(bookings.size() * 2);
    for (qsizetype i = 0; i < bookings.size(); ++i) {
        changes << bookingChange(bookings.at(i), ChangeOp::Updated)
                << ticketChange(tickets.at(i), ChangeOp::Created);
    }
    if (Status s = m_context.changes.recordAll(db, changes); !s)
        return s;

    // The notifications name the tickets: one to the customer, one to the ticket's agent (with
    // nobody online, the run's digest tells support instead).
    QList<NotificationRequest> notices;
    notices.reserve(bookings.size() * 2);
    for (qsizetype i = 0; i < bookings.size(); ++i) {
        const Booking &b = bookings.at(i);
        const Ticket &t = tickets.at(i);
        notices << bookingNotice(b.customerId, NotificationType::CompletionEscalated,
                                 QStringLiteral("Our support team will contact you"),
                                 QStringLiteral("You did not confirm %1 in time, so our support "
                                                "team will follow it up with you (ticket %2).")
                                     .arg(quoted(b), t.ticketNumber),
                                 b);
        if (t.assignedTo.isEmpty())
            continue;
        notices << bookingNotice(
            t.assignedTo, NotificationType::CompletionEscalated,
            QStringLiteral("Completion follow-up needed"),
            QStringLiteral("The customer did not confirm %1 by %2. Ticket %3 is yours for the "
                           "follow-up.")
                .arg(quoted(b), toIsoUtc(b.completionRequest->escalationDeadline), t.ticketNumber),
            b);
    }
    const auto sent = Notifier(m_context).notifyAll(db, notices);
    return sent ? Status() : Status(sent.error());
}

Status CompletionWorkflow::sendEscalationDigest(QSqlDatabase &db, const EscalationRun &run)
{
    if (run.unassigned == 0 || !run.rota)
        return {};
    const QString title = run.unassigned == 1
        ? QStringLiteral("1 completion request escalated")
        : QStringLiteral("%1 completion requests escalated").arg(run.unassigned);
    QList<NotificationRequest> notices;
    for (const QString &user : run.rota->everyone()) {
        NotificationRequest request;
        request.userId = user;
        request.type = NotificationType::CompletionEscalated;
        request.title = title;
        request.body = QStringLiteral("Nobody in support was online to take them: their tickets "
                                      "wait unassigned in the queue (category booking).");
        notices << request;
    }
    const auto sent = Notifier(m_context).notifyAll(db, notices);
    return sent ? Status() : Status(sent.error());
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
