#pragma once

#include <domain/result.h>
#include <domain/ticket.h>

#include <QDateTime>
#include <QList>

#include <functional>

namespace sb::server {

struct ServerContext;

// The scheduler's ticket jobs. Like the completion jobs, each handles its due tickets in
// batches, one short transaction per ticket that claims it at the version it read
// (store::JobClaims) and saves at that version: a second run, or another instance, changes
// nothing. Each answers how many tickets it changed.
class TicketJobs
{
public:
    explicit TicketJobs(ServerContext &context)
        : m_context(context)
    { }

    // Stores the SLA breach flags of tickets whose first-response or resolution target passed
    // unmet (or was met late) while the clock ran. The API already answers these flags as true
    // once the clock is past due; this keeps the stored record, the filters and the figures in
    // step. Not an activity: updatedAt stays.
    Result<int> markSlaBreaches(const QDateTime &now);
    // Resolved tickets without activity for autoCloseResolvedDays (setting) become closed
    // through the state machine, each with its change-log row (as helpdesks close solved
    // tickets after a few days).
    Result<int> autoCloseResolvedTickets(const QDateTime &now);

private:
    using Fetch = Result<QList<Ticket>>();
    using Edit = Result<bool>(Ticket &ticket); // in memory; false: nothing to save
    // The due tickets, each claimed at the version read, edited, and saved at that version with
    // its change-log row.
    Result<int> sweep(const QString &job, const QDateTime &now, const std::function<Fetch> &fetch,
                      const std::function<Edit> &edit);

    ServerContext &m_context;
};

} // namespace sb::server
