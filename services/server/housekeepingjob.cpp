#include "housekeepingjob.h"

#include "attachmentservice.h"
#include "jobloop.h"
#include "servercontext.h"
#include "serverlog.h"

#include <store/attachmentrepository.h>
#include <store/idempotencyrepository.h>
#include <store/sessionrepository.h>

#include <QFile>

namespace sb::server {

Result<int> HousekeepingJob::run(const QDateTime &now)
{
    const Result<int> uploads = removeStaleUploads(now);
    if (!uploads)
        return uploads.error();
    // Sessions and stored answers are kept in real time (they are protocol, not business): the
    // fake clock of a test server does not age them.
    const QDateTime realNow = QDateTime::currentDateTimeUtc();
    const Result<int> rows = m_context.db.transaction([&](QSqlDatabase &db) -> Result<int> {
        const auto sessions = store::SessionRepository(db).purgeExpired(realNow);
        if (!sessions)
            return sessions.error();
        const auto keys = store::IdempotencyRepository(db).purgeOlderThan(
            realNow.addSecs(-kIdempotencyKeySeconds));
        if (!keys)
            return keys.error();
        return *sessions + *keys;
    });
    if (!rows)
        return rows.error();
    return *uploads + *rows;
}

// One transaction per upload, which deletes the row only if still unreferenced (a link may have
// arrived since the batch was read). The file goes after the commit and only when no row holds
// its content any more; uploads and this job run on the server's one thread, so no upload of
// the same content can slip in between.
Result<int> HousekeepingJob::removeStaleUploads(const QDateTime &now)
{
    const QDateTime before = now.addSecs(-kUploadGraceSeconds);
    const AttachmentService files(m_context);
    return forEachDueRow<Attachment>(
        m_context.db, QStringLiteral("purgeExpiredData"),
        [&] {
            return store::AttachmentRepository(m_context.db.connection())
                .listUnreferencedOlderThan(before, kJobBatchSize);
        },
        [](QSqlDatabase &, const Attachment &) -> Result<bool> { return true; },
        [&](QSqlDatabase &db, const Attachment &a) -> Result<bool> {
            store::AttachmentRepository repo(db);
            const Result<bool> removed = repo.removeIfUnreferenced(a.id);
            if (!removed || !*removed)
                return removed;
            const Result<bool> inUse = repo.isFileInUse(a.sha256);
            if (!inUse)
                return inUse.error();
            if (!*inUse) {
                const QString path = files.pathFor(a.sha256);
                m_context.db.afterCommit([path] {
                    if (QFile::exists(path) && !QFile::remove(path))
                        qCWarning(lcJobs).noquote() << "could not remove" << path;
                });
            }
            return true;
        });
}

} // namespace sb::server
