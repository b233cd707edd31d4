#include "changerecorder.h"

#include <store/changelogrepository.h>

namespace sb::server {

Result<qint64> ChangeRecorder::record(QSqlDatabase &connection, Change change)
{
    store::ChangeLogRepository log(connection);
    const auto seq = log.append(change);
    if (!seq)
        return seq.error();
    change.seq = *seq;
    m_db.afterCommit([publisher = &m_publisher, cache = &m_readCache, change] {
        cache->invalidate(change);
        publisher->publish(change);
    });
    return *seq;
}

Status ChangeRecorder::recordAll(QSqlDatabase &connection, QList<Change> changes)
{
    if (Status s = store::ChangeLogRepository(connection).appendAll(changes); !s)
        return s;
    m_db.afterCommit(
        [publisher = &m_publisher, cache = &m_readCache, changes = std::move(changes)] {
            for (const Change &change : changes) {
                cache->invalidate(change);
                publisher->publish(change);
            }
        });
    return {};
}

} // namespace sb::server
