#include "postgrestestserver.h"

#include <store/sqlquery.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QMultiHash>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cstdlib>

namespace sb::test {

namespace {

const QString kAdminConnection = QStringLiteral("switchboard-test-admin");
const QString kPrefix = QStringLiteral("sbt_");
// A database of a run that crashed before dropping it; any live run is far younger.
constexpr qint64 kStaleAfterSeconds = 6 * 3600;

} // namespace

PostgresTestServer &PostgresTestServer::instance()
{
    static PostgresTestServer server;
    return server;
}

QSqlDatabase PostgresTestServer::admin() const
{
    return QSqlDatabase::database(kAdminConnection, false);
}

Status PostgresTestServer::connect(const store::DatabaseConfig &config)
{
    QMutexLocker lock(&m_mutex);
    if (m_connected)
        return {};
    QSqlDatabase db = store::addConnection(config, kAdminConnection);
    if (!db.open()) {
        const QString why = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(kAdminConnection);
        return Error::make(QStringLiteral("test_database_unavailable"),
                           QStringLiteral("Cannot connect to %1: %2").arg(config.describe(), why));
    }
    (void)store::execDirect(db, QStringLiteral("SET client_min_messages = warning"));
    m_admin = config;
    m_connected = true;
    dropStale();
    // Dropped while QCoreApplication is being destroyed, when the SQL plugins are still loaded
    // (static destructors run too late for that).
    if (QCoreApplication::instance())
        qAddPostRoutine([] { instance().dropAll(); });
    else
        std::atexit([] { instance().dropAll(); });
    return {};
}

Result<QString> PostgresTestServer::createDatabase()
{
    // Only digits, lower-case hex and '_': safe to put in the statement as an identifier.
    const QString name = kPrefix + QString::number(QDateTime::currentSecsSinceEpoch()) + u'_'
        + QString::number(QRandomGenerator::global()->generate64(), 16);
    // template0: never has connections, so CREATE DATABASE cannot fail on a busy template1.
    if (Status s = store::execDirect(
            admin(), QStringLiteral("CREATE DATABASE %1 TEMPLATE template0").arg(name));
        !s) {
        return Error::make(QStringLiteral("test_database_unavailable"),
                           QStringLiteral("Cannot create a test database on %1 (does the role "
                                          "have CREATEDB?).")
                               .arg(m_admin.describe()));
    }
    return name;
}

Result<store::DatabaseConfig> PostgresTestServer::takePooled(bool *created)
{
    QMutexLocker lock(&m_mutex);
    store::DatabaseConfig config = m_admin;
    if (!m_free.isEmpty()) {
        config.database = m_free.takeLast();
        *created = false;
        return config;
    }
    Result<QString> name = createDatabase();
    if (!name)
        return name.error();
    m_pooled << *name;
    config.database = *name;
    *created = true;
    return config;
}

void PostgresTestServer::givePooled(const QString &name, bool reusable)
{
    QMutexLocker lock(&m_mutex);
    if (reusable)
        m_free << name;
}

Result<store::DatabaseConfig> PostgresTestServer::createOwn()
{
    QMutexLocker lock(&m_mutex);
    Result<QString> name = createDatabase();
    if (!name)
        return name.error();
    store::DatabaseConfig config = m_admin;
    config.database = *name;
    return config;
}

void PostgresTestServer::drop(const QString &name)
{
    QMutexLocker lock(&m_mutex);
    // FORCE (PostgreSQL 13+) ends connections a test left open, e.g. on a server's threads.
    (void)store::execDirect(admin(),
                            QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
}

void PostgresTestServer::dropStale()
{
    QSqlQuery q(admin());
    if (!q.exec(QStringLiteral("SELECT datname FROM pg_database WHERE datname LIKE 'sbt\\_%'")))
        return;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QStringList stale;
    while (q.next()) {
        const QString name = q.value(0).toString();
        const QStringList parts = name.split(u'_');
        bool ok = false;
        const qint64 created = parts.value(1).toLongLong(&ok);
        if (parts.size() == 3 && ok && now - created > kStaleAfterSeconds)
            stale << name;
    }
    for (const QString &name : std::as_const(stale)) {
        (void)store::execDirect(
            admin(), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
    }
}

void PostgresTestServer::dropAll()
{
    const QStringList names = m_pooled;
    for (const QString &name : names)
        drop(name);
    m_pooled.clear();
    m_free.clear();
    QMutexLocker lock(&m_mutex);
    if (m_connected) {
        admin().close();
        QSqlDatabase::removeDatabase(kAdminConnection);
        m_connected = false;
    }
}

Status PostgresTestServer::emptyTables(const QSqlDatabase &db)
{
    // DELETE, not TRUNCATE: on tables of a few rows it takes about 6 ms against 220 ms, because
    // TRUNCATE gives every table and index a new file. Children go before their parents, in the
    // order the foreign keys ask for.
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT tablename FROM pg_tables WHERE schemaname = "
                                    "current_schema() AND tablename <> 'schema_migrations'"))) {
        return store::storageError();
    }
    QStringList remaining;
    while (tables.next())
        remaining << tables.value(0).toString();
    QSqlQuery keys(db);
    if (!keys.exec(QStringLiteral("SELECT conrelid::regclass::text, confrelid::regclass::text "
                                  "FROM pg_constraint WHERE contype = 'f' "
                                  "AND conrelid <> confrelid "
                                  "AND connamespace = current_schema()::regnamespace"))) {
        return store::storageError();
    }
    QMultiHash<QString, QString> childrenOf;
    while (keys.next())
        childrenOf.insert(keys.value(1).toString(), keys.value(0).toString());

    QStringList statements {QStringLiteral("BEGIN")};
    while (!remaining.isEmpty()) {
        const qsizetype before = remaining.size();
        for (const QString &table : QStringList(remaining)) {
            const QStringList children = childrenOf.values(table);
            const bool childrenGone
                = std::none_of(children.begin(), children.end(),
                               [&](const QString &c) { return remaining.contains(c); });
            if (childrenGone) {
                statements << u"DELETE FROM " + table;
                remaining.removeAll(table);
            }
        }
        if (remaining.size() == before)
            return store::storageError(); // a cycle of foreign keys: not in this schema
    }
    // Ticket numbers and change seqs start at 1 again, as in a new database.
    statements << QStringLiteral(
        "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
        "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace")
               << QStringLiteral("COMMIT");
    for (const QString &statement : std::as_const(statements)) {
        if (Status s = store::execDirect(db, statement); !s) {
            (void)store::execDirect(db, QStringLiteral("ROLLBACK"));
            return s;
        }
    }
    return {};
}

} // namespace sb::test
