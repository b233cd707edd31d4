#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// Admin-only operations: POST /admin/clock (the fake business clock) and GET /metrics.
void registerAdminRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
