#pragma once

namespace sb::server {

class ApiRouter;
struct ServerContext;

// /bookings: create, list, get, assign, start (DESIGN.md "REST conventions"), the completion
// workflow of spec §2 (request-completion, respond-completion, pending-completion,
// initiate-followup, log-contact, complete-by-support) and reviews (spec §4).
void registerBookingRoutes(ApiRouter &router, ServerContext &context);

} // namespace sb::server
