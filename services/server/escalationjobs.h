#pragma once

#include <domain/result.h>

#include <QDateTime>

namespace sb::server {

struct ServerContext;

// The spec's three completion jobs (§3). Each reads its due bookings in batches and handles each
// booking in its own short transaction that first claims the row (store::JobClaims: the guard
// checked, and on PostgreSQL the row locked FOR UPDATE SKIP LOCKED) and then lets
// CompletionWorkflow do the guarded update and everything that follows from it (ticket,
// notifications, change-log rows). Escalation, the one that writes most, claims and escalates a
// whole batch per transaction instead, and goes one by one only when a batch fails. A second
// run, or another instance running the same job, finds nothing left to do. Each answers how
// many bookings it changed.
class EscalationJobs
{
public:
    explicit EscalationJobs(ServerContext &context)
        : m_context(context)
    { }

    // Pending completion requests past their deadline: escalated, one ticket each, assigned to
    // the least-busy online agent (spread over them within the run) who alone is notified; with
    // nobody online the tickets wait unassigned and every agent gets one digest for the run.
    Result<int> autoEscalateCompletionRequests(const QDateTime &now);
    // Pending requests whose deadline falls in the next 24 hours: the customer is reminded once.
    Result<int> sendCompletionReminders(const QDateTime &now);
    // Follow-ups initiated AUTO_COMPLETE_DAYS ago or earlier, with MIN_CONTACT_ATTEMPTS failed
    // attempts and none that reached the customer: completed as unreachable.
    Result<int> autoCompleteUnreachable(const QDateTime &now);

    static constexpr int kReminderWindowHours = 24;

private:
    ServerContext &m_context;
};

} // namespace sb::server
