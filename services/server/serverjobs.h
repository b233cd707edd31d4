#pragma once

namespace sb::server {

class Scheduler;
struct ServerContext;

// Adds the server's six jobs to the scheduler, on the schedules of the settings, in the order
// the fake clock runs them: autoEscalateCompletionRequests, sendCompletionReminders,
// autoCompleteUnreachable, markSlaBreaches, autoCloseResolvedTickets, purgeExpiredData.
void addServerJobs(Scheduler &scheduler, ServerContext &context);

} // namespace sb::server
