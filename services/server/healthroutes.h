#pragma once

#include <domain/clock.h>
#include <store/database.h>

class QHttpServer;

namespace sb::server {

// GET /api/v1/health: no auth; answers 200 when the store answers, 503 when it does not.
void registerHealthRoutes(QHttpServer &http, store::Database &db, const Clock &clock);

} // namespace sb::server
