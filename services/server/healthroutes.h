#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// GET /health: no auth; 200 when the store answers, 503 when it does not.
void registerHealthRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
