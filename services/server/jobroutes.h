#pragma once

namespace sb::server {

class ApiRouter;
class Scheduler;

// The scheduler's admin routes: GET /admin/jobs (each job, its schedule, next and last run) and
// POST /admin/jobs/:name/run, which runs one now and answers {job, changed, ranAt}.
void registerJobRoutes(ApiRouter &router, Scheduler &scheduler);

} // namespace sb::server
