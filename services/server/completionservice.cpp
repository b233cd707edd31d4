#include "completionservice.h"

#include "apierrors.h"
#include "servercontext.h"

#include <domain/bookingstatemachine.h>
#include <domain/timeformat.h>

#include <QJsonArray>

namespace sb::server {

namespace {

QString quoted(const Booking &booking)
{
    return u'"' + booking.service + u'"';
}

Error noCompletionRequest()
{
    return errors::conflict(QStringLiteral("no_completion_request"),
                            QStringLiteral("The technician has not asked to confirm this job."));
}

} // namespace

Result<Booking> CompletionService::request(const QString &id, const Caller &caller)
{
    return m_bookings.modify(id, caller, std::nullopt, [&](Booking &b, QSqlDatabase &db) {
        if (Status s = checkBookingAction(b, BookingStatus::InProgress, BookingStatus::Completed);
            !s)
            return s;
        const QDateTime now = m_bookings.now();
        // A request after a rejection starts afresh: the old answer and follow-up are history.
        CompletionRequest cr;
        cr.requestedBy = caller.id();
        cr.requestedAt = now;
        cr.status = CompletionStatus::Pending;
        cr.escalationDeadline = CompletionWorkflow::deadlineAfter(
            now, m_bookings.context().settings.completionEscalationHours);
        b.completionRequest = cr;
        b.status = BookingStatus::Completed;
        return m_workflow.notify(
            db, b.customerId, NotificationType::CompletionRequested,
            QStringLiteral("Please confirm your job is done"),
            QStringLiteral("The technician marked %1 as completed. Please confirm the work, or "
                           "tell us what is wrong, before %2.")
                .arg(quoted(b), toIsoUtc(cr.escalationDeadline)),
            b);
    });
}

Result<Booking> CompletionService::respond(const QString &id, const CompletionAnswer &answer,
                                           const Caller &caller)
{
    return m_bookings.modify(id, caller, std::nullopt, [&](Booking &b, QSqlDatabase &db) {
        if (!b.completionRequest)
            return Status(noCompletionRequest());
        CompletionRequest &cr = *b.completionRequest;
        const CompletionStatus to
            = answer.approved ? CompletionStatus::Approved : CompletionStatus::Rejected;
        if (Status s = checkCompletionMove(cr.status, to); !s)
            return s;
        // An escalated request is still the customer's to answer until support records an
        // outcome, which settles it (approved, rejected or auto_approved) in the same write.
        if (cr.supportFollowUp.outcome) {
            return Status(errors::conflict(
                QStringLiteral("invalid_transition"),
                QStringLiteral("Support has already settled this completion request."),
                {{QStringLiteral("from"), toString(cr.status)},
                 {QStringLiteral("to"), toString(to)},
                 {QStringLiteral("allowed"), QJsonArray()}}));
        }
        cr.status = to;
        cr.customerResponse.respondedAt = m_bookings.now();
        cr.customerResponse.approved = answer.approved;
        cr.customerResponse.feedback = answer.feedback;
        cr.customerResponse.issues = answer.approved ? QString() : answer.issues;
        return answer.approved ? approve(b, db) : reject(b, db);
    });
}

Status CompletionService::approve(Booking &b, QSqlDatabase &db)
{
    if (Status s = checkBookingMove(b.status, BookingStatus::Verified); !s)
        return s;
    b.status = BookingStatus::Verified;
    const QString title = QStringLiteral("Job confirmed");
    const QString body
        = QStringLiteral("The customer confirmed that %1 is complete.").arg(quoted(b));
    if (Status s = m_workflow.notify(db, b.technicianId, NotificationType::CompletionApproved,
                                     title, body, b);
        !s)
        return s;
    // The agent following it up learns that the customer answered after all.
    const QString agent = b.completionRequest->supportFollowUp.supportAgent;
    if (Status s
        = m_workflow.notify(db, agent, NotificationType::CompletionApproved, title, body, b);
        !s)
        return s;
    return m_workflow.requestReview(db, b);
}

Status CompletionService::reject(Booking &b, QSqlDatabase &db)
{
    if (Status s = checkBookingMove(b.status, BookingStatus::InProgress); !s)
        return s;
    b.status = BookingStatus::InProgress;
    const QString issues = b.completionRequest->customerResponse.issues;
    const auto ticket = m_workflow.openTicket(
        db, b, QStringLiteral("Completion disputed: %1").arg(b.service), issues, m_bookings.now());
    if (!ticket)
        return ticket.error();
    const QString title = QStringLiteral("Job not confirmed");
    const QString body = QStringLiteral("The customer reported problems with %1: %2")
                             .arg(quoted(b), issues.left(500));
    if (Status s = m_workflow.notify(db, b.technicianId, NotificationType::CompletionRejected,
                                     title, body, b);
        !s)
        return s;
    return m_workflow.notifySupport(
        db, b, NotificationType::CompletionRejected,
        QStringLiteral("Completion disputed (%1)").arg(ticket->ticketNumber), body);
}

Result<store::BookingPage> CompletionService::pending(int limit, int offset) const
{
    auto page = store::BookingRepository(m_bookings.context().db.connection())
                    .pendingCompletions(m_bookings.now(), limit, offset);
    if (page) {
        for (Booking &b : page->items)
            BookingService::dropEarlierAttempts(b);
    }
    return page;
}

} // namespace sb::server
