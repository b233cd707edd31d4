#pragma once

#include <domain/result.h>

#include <QDateTime>

namespace sb::server {

struct ServerContext;

// What the store no longer needs, removed on the scheduler's `purgeExpiredData` job:
// - uploads that nothing references 24 h after they were made (DESIGN.md "Attachments"): the row,
//   and the file once no other upload has the same content;
// - sessions past their expiry and Idempotency-Key answers older than 24 h (DESIGN.md "REST
//   conventions"), both in real time.
class HousekeepingJob
{
public:
    static constexpr qint64 kUploadGraceSeconds = 24 * 3600;
    static constexpr qint64 kIdempotencyKeySeconds = 24 * 3600;

    explicit HousekeepingJob(ServerContext &context)
        : m_context(context)
    { }

    // Answers how many rows it removed.
    Result<int> run(const QDateTime &now);

private:
    Result<int> removeStaleUploads(const QDateTime &now);

    ServerContext &m_context;
};

} // namespace sb::server
