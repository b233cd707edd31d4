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
    EscalationRun run;
    int changed = 0;
    bool batched = true;
    for (;;) {
        EscalationRun attempt = run; // a batch rolled back hands no ticket out
        const Result<int> batch = m_context.db.transaction([&](QSqlDatabase &db) {
            return workflow.escalateDue(db, now, kJobBatchSize, attempt);
        });
        if (!batch) {
            qCWarning(lcJobs).noquote() << "autoEscalateCompletionRequests: a batch failed ("
                                        << batch.error().message << "); going on one by one";
            batched = false;
            break;
        }
        run = std::move(attempt);
        changed += *batch;
        if (*batch < kJobBatchSize)
            break;
    }
    if (!batched) {
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
            [&](QSqlDatabase &db, const Booking &b) -> Result<bool> {
                EscalationRun attempt = run;
                const Result<bool> done = workflow.escalate(db, b, now, attempt);
                if (done && *done)
                    run = std::move(attempt);
                return done;
            });
        if (!rest)
            return rest;
        changed += *rest;
    }
    // The run's tickets found nobody online: support hears of them once, not once per booking.
    // A failure here leaves the escalations as they are (the queue shows their tickets).
    if (run.unassigned == 0)
        return changed;
    const Status digest = m_context.db.transaction(
        [&](QSqlDatabase &db) { return workflow.sendEscalationDigest(db, run); });
    if (!digest)
        qCWarning(lcJobs).noquote()
            << "autoEscalateCompletionRequests: no digest sent (" << digest.error().message << ")";
    return changed;
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
