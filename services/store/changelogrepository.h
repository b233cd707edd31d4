#pragma once

#include <domain/change.h>
#include <domain/enums.h>
#include <domain/result.h>

#include <QSqlDatabase>

namespace sb::store {

// Who is reading the change log.
struct ChangeAudience
{
    Role role = Role::Customer;
    QString userId;
};

struct ChangePage
{
    QList<Change> changes;
    qint64 next = 0; // pass as `since` to read on
    bool hasMore = false;
};

// The change log behind /sync/changes and the WebSocket hub. Visibility:
// - agents (support, admin) see every row except one meant for another user (user_id set);
// - customers see rows about them (customer_id) that are not internal, and rows meant for them;
// - technicians likewise through technician_id.
// A row meant for one user (user_id set) is seen by that user only, whatever else it names.
class ChangeLogRepository
{
public:
    explicit ChangeLogRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    // Call inside the transaction that makes the change, as late as possible in it (on
    // PostgreSQL it serialises appenders until commit). Answers the seq.
    Result<qint64> append(const Change &change);
    // The same for many changes, in a few multi-row statements: sets each change's seq, in list
    // order.
    Status appendAll(QList<Change> &changes);
    // The rows after `since` that the audience may see, at most limit, in seq order.
    Result<ChangePage> since(qint64 since, int limit, const ChangeAudience &audience) const;
    // Every row after `since`, whoever it is for: the change-log poller hands them to the
    // WebSocket hub, which filters per socket.
    Result<ChangePage> allSince(qint64 since, int limit) const;
    Result<qint64> latestSeq() const;

private:
    Status lockForAppend();

    QSqlDatabase m_db;
};

} // namespace sb::store
