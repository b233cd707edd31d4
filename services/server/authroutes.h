#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// /auth/register, /auth/login, /auth/logout, /auth/me, /auth/password
void registerAuthRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
