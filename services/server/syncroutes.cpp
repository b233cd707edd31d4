#include "syncroutes.h"

#include "apierrors.h"
#include "apirouter.h"
#include "httpreply.h"
#include "servercontext.h"

#include <domain/jsoncodec.h>
#include <store/changelogrepository.h>

#include <QJsonArray>

namespace sb::server {

namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

// A seq is 64-bit, wider than ApiRequest::queryInt reads.
Result<qint64> sinceOf(const ApiRequest &r)
{
    if (!r.hasQuery(QStringLiteral("since")))
        return qint64(0);
    bool ok = false;
    const qint64 since = r.query(QStringLiteral("since")).toLongLong(&ok);
    if (!ok || since < 0) {
        return errors::invalidField(QStringLiteral("since"),
                                    QStringLiteral("must be a change seq, 0 or more"));
    }
    return since;
}

} // namespace

void registerSyncRoutes(ApiRouter &router, ServerContext &context)
{
    router.get(QStringLiteral("/sync/changes"), Access::signedIn(), [&context](ApiRequest &r) {
        const auto since = sinceOf(r);
        const auto limit = r.queryInt(QStringLiteral("limit"), kDefaultLimit, 1, kMaxLimit);
        if (!since || !limit)
            return failure(!since ? since.error() : limit.error());
        const store::ChangeAudience audience {r.caller().role(), r.caller().id()};
        const auto found
            = store::ChangeLogRepository(context.db.connection()).since(*since, *limit, audience);
        if (!found)
            return failure(found.error());
        QJsonArray changes;
        for (const Change &change : found->changes)
            changes.append(toJson(change));
        return jsonResponse(QJsonObject {{QStringLiteral("changes"), changes},
                                         {QStringLiteral("next"), found->next},
                                         {QStringLiteral("hasMore"), found->hasMore}});
    });
}

} // namespace sb::server
