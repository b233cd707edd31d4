#include "healthroutes.h"

#include "httpreply.h"

#include <domain/timeformat.h>
#include <store/sqlquery.h>

#include <QCoreApplication>
#include <QHttpServer>

namespace sb::server {

void registerHealthRoutes(QHttpServer &http, store::Database &db, const Clock &clock)
{
    http.route(QStringLiteral("/api/v1/health"), QHttpServerRequest::Method::Get, [&db, &clock] {
        const bool storeOk = store::execDirect(db.connection(), QStringLiteral("SELECT 1")).ok();
        const QJsonObject body {
            {QStringLiteral("status"), storeOk ? QStringLiteral("ok") : QStringLiteral("degraded")},
            {QStringLiteral("version"), QCoreApplication::applicationVersion()},
            {QStringLiteral("database"),
             db.dialect() == store::Dialect::Sqlite ? QStringLiteral("sqlite")
                                                    : QStringLiteral("postgres")},
            {QStringLiteral("schemaVersion"), db.schemaVersion()},
            {QStringLiteral("time"), toIsoUtc(clock.now())},
        };
        return jsonResponse(body, storeOk ? StatusCode::Ok : StatusCode::ServiceUnavailable);
    });
}

} // namespace sb::server
