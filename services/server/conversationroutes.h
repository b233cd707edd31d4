#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// Support conversations: POST /support/conversation {ticketId?, message} (customers),
// GET /support/conversation/:id, POST /support/conversation/:id/messages {message},
// GET /support/conversations?status=&assignedTo=me|<id>&customer=&ticket=&limit=&offset=.
void registerConversationRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
