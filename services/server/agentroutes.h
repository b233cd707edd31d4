#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// Support agents: PUT /support/agents/me/availability {status} (the caller's own) and
// GET /support/agents {items:[{id, name, email, availability, activeTickets}]}.
void registerAgentRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
