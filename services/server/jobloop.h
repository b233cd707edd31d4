#pragma once

#include "serverlog.h"

#include <domain/result.h>
#include <store/database.h>

#include <QList>
#include <QSet>
#include <QString>

namespace sb::server {

// Rows of a job run: due ones fetched in batches of this size.
inline constexpr int kJobBatchSize = 200;

// The loop every job is: fetch a batch of due rows; handle each in its own transaction, which
// first claims the row (claim: the job's guard still holds, and on PostgreSQL the row is now
// locked for this transaction, see store::JobClaims) and then does the work; fetch again until
// a batch brings no row not seen in this run. Rows handled leave the due set by themselves; a
// row that stays (claimed by another instance, failed, or not eligible) is tried once per run,
// so the loop always ends. A row's failure is logged and does not stop the others.
// claim and work take (QSqlDatabase &, const Row &) and answer Result<bool>; answers how many
// rows work changed.
template<typename Row, typename Fetch, typename Claim, typename Work>
Result<int> forEachDueRow(store::Database &db, const QString &job, Fetch &&fetch, Claim &&claim,
                          Work &&work)
{
    QSet<QString> seen;
    int changed = 0;
    for (;;) {
        const Result<QList<Row>> batch = fetch();
        if (!batch)
            return batch.error();
        bool fresh = false;
        for (const Row &row : *batch) {
            if (seen.contains(row.id))
                continue;
            seen.insert(row.id);
            fresh = true;
            const Result<bool> done = db.transaction([&](QSqlDatabase &c) -> Result<bool> {
                const Result<bool> claimed = claim(c, row);
                if (!claimed || !*claimed)
                    return claimed;
                return work(c, row);
            });
            if (!done)
                qCWarning(lcJobs).noquote()
                    << job << "skipped" << row.id << "for now:" << done.error().message;
            else if (*done)
                ++changed;
        }
        if (!fresh)
            return changed;
    }
}

} // namespace sb::server
