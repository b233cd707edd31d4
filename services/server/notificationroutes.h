#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// The caller's in-app notifications: GET /notifications?unread=true&limit=&offset=
// ({items, total, limit, offset, unread}) and POST /notifications/:id/read (the Notification).
void registerNotificationRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
