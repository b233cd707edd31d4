#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// POST /support/tickets/bulk {ids, assign | status | priority} (support, admin): 200
// {results:[{id, status: "ok" | "error", error?: {code, message, details?}}]}, even when some
// tickets fail.
void registerBulkRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
