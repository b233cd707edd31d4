#include "healthroutes.h"

#include "apirouter.h"
#include "httpreply.h"
#include "servercontext.h"

#include <domain/timeformat.h>
#include <store/sqlquery.h>

#include <QCoreApplication>

namespace sb::server {

void registerHealthRoutes(ApiRouter &router, ServerContext &context)
{
    router.get(QStringLiteral("/health"), Access::everyone(), [&context](ApiRequest &) {
        const bool storeOk
            = store::execDirect(context.db.connection(), QStringLiteral("SELECT 1")).ok();
        const QJsonObject body {
            {QStringLiteral("status"), storeOk ? QStringLiteral("ok") : QStringLiteral("degraded")},
            {QStringLiteral("version"), QCoreApplication::applicationVersion()},
            {QStringLiteral("database"),
             context.db.dialect() == store::Dialect::Sqlite ? QStringLiteral("sqlite")
                                                            : QStringLiteral("postgres")},
            {QStringLiteral("schemaVersion"), context.db.schemaVersion()},
            {QStringLiteral("time"), toIsoUtc(context.clock.now())},
        };
        return jsonResponse(body, storeOk ? StatusCode::Ok : StatusCode::ServiceUnavailable);
    });
}

} // namespace sb::server
