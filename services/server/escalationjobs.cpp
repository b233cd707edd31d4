#include "escalationjobs.h"

#include "completionworkflow.h"
#include "jobloop.h"
#include "servercontext.h"

#include <store/bookingrepository.h>
#include <store/jobclaims.h>

#include <cmath>

namespace sb::server {

Result<int> EscalationJobs::autoEscalateCompletionRequests(const QDateTime &now)
{
    CompletionWorkflow workflow(m_context);
    // The claim and the escalation (guarded update, then the ticket) share one transaction: two
    // instances never both open a ticket for one booking.
    return forEachDueRow<Booking>(
        m_context.db, QStringLiteral("autoEscalateCompletionRequests"),
        [&] {
            return store::BookingRepository(m_context.db.connection())
                .dueForEscalation(now, kJobBatchSize);
        },
        [&](QSqlDatabase &db, const Booking &b) {
            return store::JobClaims(db).dueEscalation(b.id, now);
        },
        [&](QSqlDatabase &db, const Booking &b) { return workflow.escalate(db, b, now); });
}

Result<int> EscalationJobs::sendCompletionReminders(const QDateTime &now)
{
    CompletionWorkflow workflow(m_context);
    const QDateTime windowEnd = now.addSecs(qint64(kReminderWindowHours) * 3600);
    return forEachDueRow<Booking>(
        m_context.db, QStringLiteral("sendCompletionReminders"),
        [&] {
            return store::BookingRepository(m_context.db.connection())
                .dueForReminder(now, windowEnd, kJobBatchSize);
        },
        [&](QSqlDatabase &db, const Booking &b) {
            return store::JobClaims(db).dueReminder(b.id, now, windowEnd);
        },
        [&](QSqlDatabase &db, const Booking &b) { return workflow.sendReminder(db, b, now); });
}

Result<int> EscalationJobs::autoCompleteUnreachable(const QDateTime &now)
{
    CompletionWorkflow workflow(m_context);
    const QDateTime before
        = now.addMSecs(-std::llround(m_context.settings.autoCompleteDays * 86400.0 * 1000.0));
    // Follow-ups not yet eligible (too few attempts) stay in the candidate set: page past them.
    QDateTime afterInitiatedAt;
    QString afterId;
    return forEachDueRow<Booking>(
        m_context.db, QStringLiteral("autoCompleteUnreachable"),
        [&]() -> Result<QList<Booking>> {
            auto batch = store::BookingRepository(m_context.db.connection())
                             .openFollowUpsInitiatedBefore(before, kJobBatchSize, afterInitiatedAt,
                                                           afterId);
            if (batch && !batch->isEmpty()) {
                const Booking &last = batch->last();
                afterId = last.id;
                if (last.completionRequest)
                    afterInitiatedAt = last.completionRequest->supportFollowUp.initiatedAt;
            }
            return batch;
        },
        [&](QSqlDatabase &db, const Booking &b) {
            return store::JobClaims(db).openFollowUp(b.id, before);
        },
        // It decides on the stored booking: at least MIN_CONTACT_ATTEMPTS, none reached.
        [&](QSqlDatabase &db, const Booking &b) { return workflow.autoComplete(db, b, now); });
}

} // namespace sb::server
