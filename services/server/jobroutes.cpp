#include "jobroutes.h"

#include "apirouter.h"
#include "httpreply.h"
#include "scheduler.h"

#include <domain/timeformat.h>

#include <QJsonArray>

namespace sb::server {

namespace {

QJsonObject runJson(const JobRun &run)
{
    return {{QStringLiteral("job"), run.job},
            {QStringLiteral("changed"), run.changed},
            {QStringLiteral("ranAt"), toIsoUtc(run.ranAt)}};
}

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(toIsoUtc(t)) : QJsonValue(QJsonValue::Null);
}

} // namespace

void registerJobRoutes(ApiRouter &router, Scheduler &scheduler)
{
    router.get(QStringLiteral("/admin/jobs"), Access::admins(), [&scheduler](ApiRequest &) {
        QJsonArray items;
        for (const Scheduler::Job &job : scheduler.jobs()) {
            items.append(QJsonObject {
                {QStringLiteral("name"), job.name},
                {QStringLiteral("schedule"), job.schedule.expression()},
                {QStringLiteral("nextRunAt"), timeOrNull(scheduler.nextRunAt(job))},
                {QStringLiteral("lastRun"),
                 job.lastRun ? QJsonValue(runJson(*job.lastRun)) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("runs"), job.runs},
            });
        }
        return jsonResponse(QJsonObject {{QStringLiteral("items"), items}});
    });

    router.post(QStringLiteral("/admin/jobs/:name/run"), Access::admins(),
                [&scheduler](ApiRequest &r) {
                    const auto ran = scheduler.run(r.arg(0));
                    if (!ran)
                        return failure(ran.error());
                    return jsonResponse(runJson(*ran));
                });
}

} // namespace sb::server
