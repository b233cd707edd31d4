#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// /support/tickets: create, list, get, messages, assign, status, priority, close, escalate and
// satisfaction (spec §1, DESIGN.md "REST conventions").
void registerTicketRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
