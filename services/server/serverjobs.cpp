#include "serverjobs.h"

#include "escalationjobs.h"
#include "housekeepingjob.h"
#include "scheduler.h"
#include "servercontext.h"
#include "serverlog.h"
#include "ticketjobs.h"

namespace sb::server {

namespace {

// The settings checked each schedule when it was set; a schedule that still does not parse
// (settings built in code) falls back to the default rather than leaving the job unscheduled.
CronSchedule scheduleOf(const QString &expression, const char *fallback)
{
    if (auto parsed = CronSchedule::parse(expression))
        return *parsed;
    qCWarning(lcJobs).noquote() << "invalid schedule" << expression << "- using" << fallback;
    return *CronSchedule::parse(QString::fromLatin1(fallback));
}

} // namespace

void addServerJobs(Scheduler &scheduler, ServerContext &context)
{
    const ServerSettings &s = context.settings;
    scheduler.add(QStringLiteral("autoEscalateCompletionRequests"),
                  scheduleOf(s.cronAutoEscalate, "0 * * * *"), [&context](const QDateTime &now) {
                      return EscalationJobs(context).autoEscalateCompletionRequests(now);
                  });
    scheduler.add(QStringLiteral("sendCompletionReminders"),
                  scheduleOf(s.cronCompletionReminders, "0 */12 * * *"),
                  [&context](const QDateTime &now) {
                      return EscalationJobs(context).sendCompletionReminders(now);
                  });
    scheduler.add(QStringLiteral("autoCompleteUnreachable"),
                  scheduleOf(s.cronAutoComplete, "0 2 * * *"), [&context](const QDateTime &now) {
                      return EscalationJobs(context).autoCompleteUnreachable(now);
                  });
    scheduler.add(
        QStringLiteral("markSlaBreaches"), scheduleOf(s.cronSlaBreaches, "*/5 * * * *"),
        [&context](const QDateTime &now) { return TicketJobs(context).markSlaBreaches(now); });
    scheduler.add(QStringLiteral("autoCloseResolvedTickets"),
                  scheduleOf(s.cronAutoClose, "0 3 * * *"), [&context](const QDateTime &now) {
                      return TicketJobs(context).autoCloseResolvedTickets(now);
                  });
    scheduler.add(QStringLiteral("purgeExpiredData"), scheduleOf(s.cronPurge, "17 * * * *"),
                  [&context](const QDateTime &now) { return HousekeepingJob(context).run(now); });
}

} // namespace sb::server
