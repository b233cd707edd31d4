#include "adminroutes.h"

#include "bodyreader.h"
#include "replies.h"
#include "servercontext.h"
#include "serverlog.h"
#include "websockethub.h"

#include <domain/timeformat.h>

namespace sb::server {

namespace {

constexpr int kMaxAdvanceSeconds = 366 * 24 * 3600;

} // namespace

void registerAdminRoutes(ApiRouter &router, ServerContext &context)
{
    // Moves the business clock forward (tests and demos; DESIGN.md "Scheduler and configuration").
    router.post(QStringLiteral("/admin/clock"), Access::admins(), [&context](ApiRequest &r) {
        auto *fake = dynamic_cast<FakeClock *>(&context.clock);
        if (!fake) {
            return failure(
                Error::make(QStringLiteral("conflict"),
                            QStringLiteral("The business clock is real; start the server "
                                           "with --fake-clock to move it.")));
        }
        BodyReader body(r.body());
        const auto seconds = body.integer("advanceSeconds", 0, kMaxAdvanceSeconds);
        if (!body.ok())
            return failure(body.error());
        const QDateTime from = fake->now();
        fake->advance(*seconds);
        qCInfo(lcServer).noquote()
            << "business clock moved by" << *seconds << "s to" << toIsoUtc(fake->now());
        if (context.onClockAdvanced)
            context.onClockAdvanced(from, fake->now());
        return jsonResponse(QJsonObject {{QStringLiteral("now"), toIsoUtc(fake->now())},
                                         {QStringLiteral("advancedSeconds"), *seconds}});
    });

    router.get(QStringLiteral("/metrics"), Access::admins(), [&context](ApiRequest &) {
        if (context.hub) {
            context.metrics.setGauge(QStringLiteral("switchboard_websocket_connections"),
                                     context.hub->connectionCount());
        }
        // Counters, but kept by the cache: rendered as gauges of their running totals.
        context.metrics.setGauge(QStringLiteral("switchboard_read_cache_hits"),
                                 double(context.readCache.hits()));
        context.metrics.setGauge(QStringLiteral("switchboard_read_cache_misses"),
                                 double(context.readCache.misses()));
        return QHttpServerResponse(QByteArrayLiteral("text/plain; version=0.0.4"),
                                   context.metrics.render());
    });
}

} // namespace sb::server
