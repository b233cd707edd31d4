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
    // A batch at a time, each in one transaction that claims its bookings (guarded update; FOR
    // UPDATE SKIP LOCKED on PostgreSQL) and writes what follows: two instances never both open
    // a ticket for one booking. A short batch means nothing is left that is not another
    // transaction's. Hundreds of bookings a second this way, against tens one by one.
    int changed = 0;
    for (;;) {
        const Result<int> batch = m_context.db.transaction(
            [&](QSqlDatabase &db) { return workflow.escalateDue(db, now, kJobBatchSize); });
        if (!batch) {
            qCWarning(lcJobs).noquote() << "autoEscalateCompletionRequests: a batch failed ("
                                        << batch.error().message << "); going on one by one";
            break;
        }
        changed += *batch;
        if (*batch < kJobBatchSize)
            return changed;
    }
    // One transaction per booking, so that one that cannot be escalated holds back no other.
    const Result<int> rest = forEachDueRow<Booking>(
        m_context.db, QStringLiteral("autoEscalateCompletionRequests"),
        [&] {
            return store::BookingRepository(m_context.db.connection())
                .dueForEscalation(now, kJobBatchSize);
        },
        [&](QSqlDatabase &db, const Booking &b) {
            return store::JobClaims(db).dueEscalation(b.id, now);
        },
        [&](QSqlDatabase &db, const Booking &b) { return workflow.escalate(db, b, now); });
    if (!rest)
        return rest;
    return changed + *rest;
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
