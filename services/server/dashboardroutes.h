#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// GET /support/dashboard?from=&to= (support, admin; customers 403).
void registerDashboardRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
