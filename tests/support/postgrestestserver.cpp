#include "postgrestestserver.h"

#include <store/sqlquery.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

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
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), kAdminConnection);
    db.setHostName(config.host);
    db.setPort(config.port);
    db.setDatabaseName(config.database);
    db.setUserName(config.user);
    db.setPassword(config.password);
    db.setConnectOptions(config.options);
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
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT tablename FROM pg_tables WHERE schemaname = "
                                    "current_schema() AND tablename <> 'schema_migrations' "
                                    "ORDER BY tablename"))) {
        return store::storageError();
    }
    QStringList names;
    while (tables.next())
        names << tables.value(0).toString();
    if (names.isEmpty())
        return {};
    // One statement for all tables: far cheaper than one TRUNCATE each, and CASCADE-free
    // of ordering concerns. RESTART IDENTITY: ticket numbers and seqs start at 1 again.
    return store::execDirect(db, u"TRUNCATE " + names.join(u", ") + u" RESTART IDENTITY CASCADE");
}

} // namespace sb::test
