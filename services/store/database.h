#pragma once

#include "databaseconfig.h"

#include <domain/result.h>

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <type_traits>

namespace sb::store {

class WalCheckpointer;

// The store: opened (and migrated) once, then handing each thread its own named connection, as
// Qt SQL requires. Business operations run inside transaction(), one transaction each.
class Database
{
public:
    static Result<std::shared_ptr<Database>> open(const DatabaseConfig &config);
    ~Database();

    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    Dialect dialect() const { return m_config.dialect; }
    const DatabaseConfig &config() const { return m_config; }
    int schemaVersion() const { return m_schemaVersion; }

    // This thread's connection, opened on first use. Invalid (and logged) if it cannot open.
    QSqlDatabase connection() const;

    // Runs work(db) in one transaction: committed when it answers ok, rolled back otherwise.
    // Called inside another transaction of this thread, it runs in a savepoint: its failure
    // undoes only its own writes, and its success commits with the outer transaction.
    // SQLite takes the write lock up front (BEGIN IMMEDIATE) so that two writers never deadlock
    // on a lock upgrade; the busy timeout makes the second one wait.
    template<typename Work>
    auto transaction(Work &&work) -> std::invoke_result_t<Work, QSqlDatabase &>
    {
        using R = std::invoke_result_t<Work, QSqlDatabase &>;
        QSqlDatabase db = connection();
        if (Status begun = begin(db); !begun)
            return R(begun.error());
        R result = work(db);
        if (!result) {
            rollback(db);
            return result;
        }
        if (Status committed = commit(db); !committed) {
            rollback(db);
            return R(committed.error());
        }
        return result;
    }

    // Runs work(db) as one read: on SQLite in a deferred transaction, so that its statements
    // share one snapshot and take the WAL read lock once (alone, each statement takes its own).
    // On PostgreSQL, where BEGIN and COMMIT would be two more round trips and a statement takes
    // no such lock, work runs as it is (READ COMMITTED: a snapshot per statement). Inside a
    // transaction of this thread it runs in that one. For reads only: a write in it would need
    // the lock upgrade that BEGIN IMMEDIATE exists to avoid.
    template<typename Work>
    auto read(Work &&work) -> std::invoke_result_t<Work, QSqlDatabase &>
    {
        using R = std::invoke_result_t<Work, QSqlDatabase &>;
        closeGroupOfOthers();
        QSqlDatabase db = connection();
        if (m_config.dialect != Dialect::Sqlite || inTransaction())
            return work(db);
        if (Status begun = begin(db, LockMode::Deferred); !begun)
            return R(begun.error());
        R result = work(db);
        if (Status ended = commit(db); !ended) {
            rollback(db);
            if (result)
                return R(ended.error());
        }
        return result;
    }

    // Runs `hook` once the outermost transaction of this thread commits; dropped if the
    // transaction (or the savepoint that registered it) rolls back. Outside a transaction it
    // runs at once. Events reach WebSockets this way: never for writes that did not happen.
    void afterCommit(std::function<void()> hook);
    bool inTransaction() const;

    // Group commit: the transactions of several requests that arrive together share one
    // COMMIT (on SQLite most of a small write's cost is its commit's WAL frames). openGroup()
    // begins the shared transaction; work run inside a GroupMember scope then nests in it, each
    // transaction() in its own savepoint, so that a failed one undoes only its own writes;
    // closeGroup() commits (its afterCommit hooks run then) or rolls all of it back and says why.
    // Anything else that uses this thread's connection while a group is open (a job, a
    // WebSocket's read, another route) calls `close` first: it never runs inside the group.
    Status openGroup(std::function<void()> close);
    Status closeGroup();
    bool groupOpen() const;
    class GroupMember
    {
    public:
        explicit GroupMember(Database &db);
        ~GroupMember();
        GroupMember(const GroupMember &) = delete;
        GroupMember &operator=(const GroupMember &) = delete;

    private:
        Database &m_db;
    };

    // Immediate: SQLite's write lock up front, as transaction() needs; deferred: read() only.
    enum class LockMode { Immediate, Deferred };
    Status begin(QSqlDatabase &db, LockMode mode = LockMode::Immediate);
    Status commit(QSqlDatabase &db);
    void rollback(QSqlDatabase &db);

private:
    explicit Database(const DatabaseConfig &config);
    void closeGroupOfOthers();
    Status openFirstConnection();
    QString connectionName() const;

    DatabaseConfig m_config;
    // SQLite files: checkpoints off the committing thread (walcheckpointer.h).
    std::unique_ptr<WalCheckpointer> m_checkpointer;
    QString m_namePrefix;
    int m_schemaVersion = 0;
};

} // namespace sb::store
