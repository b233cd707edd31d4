#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// GET /sync/changes?since=&limit=: the change log after a seq, filtered to what the caller may
// see (DESIGN.md "REST conventions"). The console's only bulk read, and how a client catches
// up after a WebSocket gap or reconnect.
void registerSyncRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
