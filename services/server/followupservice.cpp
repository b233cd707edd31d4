#include "followupservice.h"

#include "apierrors.h"
#include "servercontext.h"

#include <domain/bookingstatemachine.h>
#include <domain/timeformat.h>
#include <store/bookingrepository.h>

namespace sb::server {

namespace {

Error noCompletionRequest()
{
    return errors::conflict(QStringLiteral("no_completion_request"),
                            QStringLiteral("The technician has not asked to confirm this job."));
}

Error followUpNotOpen(const Booking &b)
{
    QJsonObject details;
    if (b.completionRequest)
        details.insert(QStringLiteral("completionStatus"), toString(b.completionRequest->status));
    return errors::conflict(
        QStringLiteral("followup_not_open"),
        QStringLiteral("This booking has no open support follow-up: initiate one first, or it "
                       "was settled already."),
        details);
}

QString outcomeMessage(const Booking &b, FollowUpOutcome outcome)
{
    const QString service = u'"' + b.service + u'"';
    switch (outcome) {
    case FollowUpOutcome::CustomerConfirmed:
        return QStringLiteral("Support confirmed with the customer that %1 is complete.")
            .arg(service);
    case FollowUpOutcome::CustomerDisputed:
        return QStringLiteral("%1 is disputed: our support team will agree the next steps with "
                              "you.")
            .arg(service);
    case FollowUpOutcome::Unreachable:
        return QStringLiteral("%1 was marked completed: we could not reach the customer to "
                              "confirm it.")
            .arg(service);
    case FollowUpOutcome::AutoCompleted:
        return QStringLiteral("%1 was marked completed by our support team.").arg(service);
    }
    return {};
}

} // namespace

Result<Booking> FollowUpService::initiate(const QString &id, const Caller &caller)
{
    return m_bookings.modify(id, caller, std::nullopt, [&](Booking &b, QSqlDatabase &) {
        if (!b.completionRequest)
            return Status(noCompletionRequest());
        CompletionRequest &cr = *b.completionRequest;
        const QDateTime now = m_bookings.now();
        if (cr.status == CompletionStatus::Pending && now < cr.escalationDeadline) {
            return Status(errors::conflict(
                QStringLiteral("completion_not_due"),
                QStringLiteral("The customer may still answer until the deadline; a follow-up "
                               "starts after it."),
                {{QStringLiteral("escalationDeadline"), toIsoUtc(cr.escalationDeadline)}}));
        }
        if (Status s = checkCompletionMove(cr.status, CompletionStatus::Escalated); !s)
            return s;
        if (cr.supportFollowUp.outcome)
            return Status(followUpNotOpen(b));
        cr.status = CompletionStatus::Escalated;
        cr.supportFollowUp.initiated = true;
        if (!cr.supportFollowUp.initiatedAt.isValid())
            cr.supportFollowUp.initiatedAt = now;
        cr.supportFollowUp.supportAgent = caller.id();
        return Status();
    });
}

Result<Booking> FollowUpService::logContact(const QString &id, const ContactLog &contact,
                                            const Caller &caller)
{
    return m_bookings.modify(id, caller, std::nullopt, [&](Booking &b, QSqlDatabase &db) {
        if (!CompletionWorkflow::isFollowUpOpen(b))
            return Status(b.completionRequest ? followUpNotOpen(b) : noCompletionRequest());
        ContactAttempt attempt;
        attempt.method = contact.method;
        attempt.attemptedAt = m_bookings.now();
        attempt.reached = contact.reached;
        attempt.notes = contact.notes;
        if (Status s = store::BookingRepository(db).addContactAttempt(b.id, attempt, caller.id());
            !s)
            return s;
        b.completionRequest->supportFollowUp.contactAttempts << attempt;
        return Status();
    });
}

Result<Booking> FollowUpService::complete(const QString &id, FollowUpOutcome outcome,
                                          const QString &notes, const Caller &caller)
{
    return m_bookings.modify(id, caller, std::nullopt, [&](Booking &b, QSqlDatabase &db) {
        if (!CompletionWorkflow::isFollowUpOpen(b))
            return Status(b.completionRequest ? followUpNotOpen(b) : noCompletionRequest());
        const int required = m_bookings.context().settings.minContactAttempts;
        const int failed = CompletionWorkflow::failedAttempts(b);
        if (outcome == FollowUpOutcome::Unreachable && failed < required) {
            return Status(errors::conflict(
                QStringLiteral("insufficient_contact_attempts"),
                QStringLiteral("A customer is unreachable after %1 failed contact attempts; "
                               "this follow-up has %2.")
                    .arg(required)
                    .arg(failed),
                {{QStringLiteral("required"), required}, {QStringLiteral("failed"), failed}}));
        }
        CompletionRequest &cr = *b.completionRequest;
        const BookingStatus to = bookingStatusForOutcome(outcome);
        const CompletionStatus settled = completionStatusForOutcome(outcome);
        if (Status s = checkBookingMove(b.status, to); !s)
            return s;
        if (Status s = checkCompletionMove(cr.status, settled); !s)
            return s;
        SupportFollowUp &fu = cr.supportFollowUp;
        fu.outcome = outcome;
        fu.completedBy = caller.id();
        fu.completedAt = m_bookings.now();
        fu.notes = notes;
        if (fu.supportAgent.isEmpty())
            fu.supportAgent = caller.id(); // whoever settles an untaken follow-up handled it
        cr.status = settled;
        b.status = to;
        return notifyOutcome(db, b);
    });
}

Status FollowUpService::notifyOutcome(QSqlDatabase &db, const Booking &b)
{
    const FollowUpOutcome outcome = *b.completionRequest->supportFollowUp.outcome;
    const QString title = b.status == BookingStatus::Verified ? QStringLiteral("Job completed")
                                                              : QStringLiteral("Job disputed");
    const QString body = outcomeMessage(b, outcome);
    for (const QString &user : {b.customerId, b.technicianId}) {
        if (Status s
            = m_workflow.notify(db, user, NotificationType::FollowUpOutcome, title, body, b);
            !s)
            return s;
    }
    if (b.status == BookingStatus::Verified)
        return m_workflow.requestReview(db, b);
    return {};
}

} // namespace sb::server
