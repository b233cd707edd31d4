#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// GET /api/v1/ping: liveness, no auth. It answers {"pong":true} without touching the store, so a
// supervisor can tell "the process serves HTTP" apart from GET /health, the readiness probe that
// also asks the store. Also the benchmark's baseline: the full pipeline with no work behind it.
void registerPingRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
