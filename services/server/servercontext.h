#pragma once

#include "authenticator.h"
#include "changerecorder.h"
#include "metrics.h"
#include "passwordhasher.h"
#include "serversettings.h"

#include <domain/clock.h>
#include <domain/slapolicy.h>
#include <store/database.h>

#include <functional>
#include <memory>

namespace sb::server {

class ChangeLogPoller;
class DeliverySender;
class WebSocketHub;

// What the services and routes of one server share. Owned by ApiServer; lives as long as it.
struct ServerContext
{
    ServerContext(const ServerSettings &settings, std::shared_ptr<store::Database> database,
                  std::shared_ptr<Clock> businessClock, EventPublisher &publisher)
        : settings(settings)
        , dbHandle(std::move(database))
        , clockHandle(std::move(businessClock))
        , db(*dbHandle)
        , clock(*clockHandle)
        , hasher(settings.passwordIterations)
        , auth(db)
        // On PostgreSQL kept current with other instances' writes through changeFeed.
        , readCache(settings.readCacheMb * 1024 * 1024)
        , changes(db, publisher, readCache)
    { }

    const ServerSettings settings;
    std::shared_ptr<store::Database> dbHandle;
    std::shared_ptr<Clock> clockHandle;
    store::Database &db;
    Clock &clock; // business time
    PasswordHasher hasher;
    Authenticator auth;
    Metrics metrics;
    TicketReadCache readCache;
    ChangeRecorder changes;
    SlaPolicy slaPolicy;
    WebSocketHub *hub = nullptr; // set by ApiServer once the hub exists
    // PostgreSQL: the other instances' changes (set by ApiServer); null on SQLite.
    ChangeLogPoller *changeFeed = nullptr;
    DeliverySender *deliveries = nullptr; // set by ApiServer; kicked when e-mail or SMS is queued
    // Called after POST /admin/clock moved the fake clock: runs the jobs that fell due.
    std::function<void(const QDateTime &from, const QDateTime &to)> onClockAdvanced;
};

} // namespace sb::server
