#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// GET /api/v1/ping: liveness, no auth. It answers {"pong":true} without touching the store, so
// that a supervisor can tell "the process serves HTTP" apart from GET /api/v1/health, the
// readiness probe, which also asks the store. Also the benchmark's baseline: the whole request
// pipeline with no work behind it.
void registerPingRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
