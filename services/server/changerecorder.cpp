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
    m_db.afterCommit([publisher = &m_publisher, change] { publisher->publish(change); });
    return *seq;
}

} // namespace sb::server
