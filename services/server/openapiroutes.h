#pragma once

namespace sb::server {

class ApiRouter;

// GET /openapi.json: the API description (resources/openapi.json), compiled into the server.
void registerOpenApiRoutes(ApiRouter &router);

} // namespace sb::server
