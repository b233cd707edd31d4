#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// Admins manage users: POST /users, GET /users, GET /users/:id, PUT /users/:id.
void registerUserRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
