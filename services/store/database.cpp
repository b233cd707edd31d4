#include "database.h"

#include "migrator.h"
#include "sqlitestatement.h"
#include "sqlquery.h"
#include "storelog.h"
#include "threadconnections.h"
#include "walcheckpointer.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QStringList>
#include <QThread>

namespace sb::store {

namespace {

QAtomicInt s_instanceCounter;

struct TransactionState
{
    int depth = 0;
    QList<std::function<void()>> hooks;
    QList<qsizetype> hookMarks; // hooks.size() when each savepoint began
    bool group = false; // the outermost transaction is a commit group (openGroup)
    int members = 0; // GroupMember scopes open: their work belongs in the group
    std::function<void()> closeGroup; // what a stranger to the group calls first
};

// Per thread and per Database: a thread's connection has at most one transaction open.
thread_local QHash<const Database *, TransactionState> t_transactions;

// SQLite's own checkpoint, in the commit that crosses it, only when the WAL checkpointer falls
// far behind (its RESTART pass rewinds at 32,768 pages): 512 MB of 4 KB pages.
constexpr int kBackstopCheckpointPages = 131072;
constexpr qint64 kMmapBytes = 256 * 1024 * 1024;

bool hasFile(const DatabaseConfig &config)
{
    return config.dialect == Dialect::Sqlite && !config.sqlitePath.isEmpty()
        && !config.sqlitePath.startsWith(u':') && !config.sqlitePath.startsWith(u"file:");
}

// BEGIN, COMMIT and savepoints run several times per request: on SQLite, prepared once per
// connection (SqlQuery's cache). PostgreSQL cannot prepare them; one round trip either way.
Status execControl(const QSqlDatabase &db, Dialect dialect, const QString &sql)
{
    if (dialect != Dialect::Sqlite)
        return execDirect(db, sql);
    SqlQuery q(db, sql);
    return q.exec();
}

QString savepointSql(const char *verb, int depth)
{
    static const QString names[] = {QStringLiteral("sp0"), QStringLiteral("sp1"),
                                    QStringLiteral("sp2"), QStringLiteral("sp3")};
    const QString name = depth >= 0 && depth < 4 ? names[depth] : u"sp" + QString::number(depth);
    return QLatin1StringView(verb) + name;
}

} // namespace

Database::Database(const DatabaseConfig &config)
    : m_config(config)
    , m_namePrefix(QStringLiteral("switchboard-%1-").arg(s_instanceCounter.fetchAndAddOrdered(1)))
{ }

Database::~Database()
{
    m_checkpointer.reset();
    t_transactions.remove(this);
    const QString name = connectionName();
    threadConnections().remove(name);
}

Result<std::shared_ptr<Database>> Database::open(const DatabaseConfig &config)
{
    if (!QSqlDatabase::isDriverAvailable(config.driverName())) {
        return Error::make(
            QStringLiteral("driver_missing"),
            QStringLiteral("The Qt SQL driver %1 is not installed.").arg(config.driverName()));
    }
    if (config.dialect == Dialect::Sqlite) {
        const QFileInfo file(config.sqlitePath);
        if (!QDir().mkpath(file.absolutePath())) {
            return Error::make(
                QStringLiteral("data_dir_unusable"),
                QStringLiteral("Cannot create the directory %1.").arg(file.absolutePath()));
        }
    }
    std::shared_ptr<Database> db(new Database(config));
    if (Status opened = db->openFirstConnection(); !opened)
        return opened.error();
    Result<int> version = Migrator(*db).migrate();
    if (!version)
        return version.error();
    db->m_schemaVersion = *version;
    if (hasFile(config))
        db->m_checkpointer
            = std::make_unique<WalCheckpointer>(config.sqlitePath, WalCheckpointer::Options {});
    qCInfo(lcStore).noquote() << "store open:" << config.describe() << "schema version"
                              << db->m_schemaVersion;
    return db;
}

Status Database::openFirstConnection()
{
    QSqlDatabase db = connection();
    if (!db.isOpen()) {
        return Error::make(QStringLiteral("store_unavailable"),
                           QStringLiteral("Cannot open the database %1.").arg(m_config.describe()));
    }
    if (m_config.dialect == Dialect::Sqlite) {
        // WAL is a property of the file: set once, readers then never block the writer.
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next()
            || q.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0) {
            qCWarning(lcStore) << "could not switch SQLite to WAL mode";
        }
    }
    return {};
}

QString Database::connectionName() const
{
    return m_namePrefix + QString::number(reinterpret_cast<quintptr>(QThread::currentThreadId()));
}

QSqlDatabase Database::connection() const
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);

    QSqlDatabase db = addConnection(m_config, name);
    threadConnections().names << name;
    if (!db.open()) {
        // The driver's text can name the host and user, never the password.
        qCWarning(lcStore).noquote()
            << "cannot open" << m_config.describe() << ":" << db.lastError().text();
        return db;
    }
    if (m_config.dialect == Dialect::Sqlite) {
        (void)execDirect(db, QStringLiteral("PRAGMA foreign_keys=ON"));
        (void)execDirect(db, QStringLiteral("PRAGMA synchronous=NORMAL"));
        // Statement journals (a multi-row INSERT with triggers has one) and the tables behind
        // RETURNING in memory: on disk they were the most written files of the escalation job.
        (void)execDirect(db, QStringLiteral("PRAGMA temp_store=MEMORY"));
        if (hasFile(m_config)) {
            // Pages read through a memory map rather than a pread() each: random tickets and
            // index pages of a store larger than the 2 MB page cache.
            (void)execDirect(db, QStringLiteral("PRAGMA mmap_size=%1").arg(kMmapBytes));
            (void)execDirect(
                db, QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(kBackstopCheckpointPages));
        }
        if (sqlite3 *sqlite = sqliteHandle(db))
            setFineBusyHandler(sqlite, m_config.busyTimeoutMs);
    } else {
        (void)execDirect(db, QStringLiteral("SET TIME ZONE 'UTC'"));
        (void)execDirect(db, QStringLiteral("SET client_min_messages = warning"));
    }
    return db;
}

bool Database::inTransaction() const
{
    const auto it = t_transactions.constFind(this);
    return it != t_transactions.cend() && it->depth > 0;
}

void Database::afterCommit(std::function<void()> hook)
{
    auto it = t_transactions.find(this);
    if (it == t_transactions.end() || it->depth == 0) {
        hook();
        return;
    }
    it->hooks.append(std::move(hook));
}

void Database::closeGroupOfOthers()
{
    const auto it = t_transactions.constFind(this);
    if (it == t_transactions.cend() || !it->group || it->members > 0)
        return;
    const std::function<void()> close = it->closeGroup;
    close(); // commits and answers the group's requests: closeGroup() ends it
    if (groupOpen()) // a `close` that did not close: never leave a stranger inside
        (void)closeGroup();
}

Status Database::openGroup(std::function<void()> close)
{
    closeGroupOfOthers();
    QSqlDatabase db = connection();
    if (inTransaction())
        return Error::make(QStringLiteral("internal_error"),
                           QStringLiteral("A commit group cannot open inside a transaction."));
    if (Status begun = begin(db); !begun)
        return begun;
    TransactionState &state = t_transactions[this];
    state.group = true;
    state.closeGroup = std::move(close);
    return {};
}

Status Database::closeGroup()
{
    const auto it = t_transactions.find(this);
    if (it == t_transactions.end() || !it->group)
        return {};
    it->group = false;
    it->closeGroup = nullptr;
    QSqlDatabase db = connection();
    if (it->depth != 1) { // a member left a savepoint open: never commit half of it
        while (t_transactions[this].depth > 0)
            rollback(db);
        return Error::make(QStringLiteral("internal_error"),
                           QStringLiteral("A request left its transaction open."));
    }
    if (Status committed = commit(db); !committed) {
        rollback(db);
        return committed;
    }
    return {};
}

bool Database::groupOpen() const
{
    const auto it = t_transactions.constFind(this);
    return it != t_transactions.cend() && it->group;
}

Database::GroupMember::GroupMember(Database &db)
    : m_db(db)
{
    ++t_transactions[&m_db].members;
}

Database::GroupMember::~GroupMember()
{
    --t_transactions[&m_db].members;
}

Status Database::begin(QSqlDatabase &db, LockMode mode)
{
    if (!db.isOpen())
        return storageError();
    closeGroupOfOthers();
    TransactionState &state = t_transactions[this];
    if (state.depth > 0) {
        if (Status s = execControl(db, m_config.dialect, savepointSql("SAVEPOINT ", state.depth));
            !s)
            return s;
        state.hookMarks.append(state.hooks.size());
        ++state.depth;
        return {};
    }
    const bool immediate = m_config.dialect == Dialect::Sqlite && mode == LockMode::Immediate;
    const Status s
        = execControl(db, m_config.dialect,
                      immediate ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    if (s)
        state.depth = 1;
    return s;
}

Status Database::commit(QSqlDatabase &db)
{
    TransactionState &state = t_transactions[this];
    if (state.depth > 1) {
        const Status released = execControl(db, m_config.dialect,
                                            savepointSql("RELEASE SAVEPOINT ", state.depth - 1));
        if (released) {
            --state.depth;
            state.hookMarks.removeLast();
        }
        return released;
    }
    if (Status s = execControl(db, m_config.dialect, QStringLiteral("COMMIT")); !s)
        return s;
    state.depth = 0;
    const QList<std::function<void()>> hooks = std::exchange(state.hooks, {});
    for (const auto &hook : hooks)
        hook();
    return {};
}

void Database::rollback(QSqlDatabase &db)
{
    TransactionState &state = t_transactions[this];
    if (state.depth > 1) {
        --state.depth;
        (void)execDirect(db, QStringLiteral("ROLLBACK TO SAVEPOINT sp%1").arg(state.depth));
        (void)execDirect(db, QStringLiteral("RELEASE SAVEPOINT sp%1").arg(state.depth));
        state.hooks.resize(state.hookMarks.takeLast());
        return;
    }
    (void)execDirect(db, QStringLiteral("ROLLBACK"));
    const int members = state.members;
    state = TransactionState {};
    state.members = members;
}

} // namespace sb::store
