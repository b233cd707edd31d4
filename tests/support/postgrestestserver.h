#pragma once

#include <domain/result.h>
#include <store/databaseconfig.h>

#include <QMutex>
#include <QSqlDatabase>
#include <QStringList>

namespace sb::test {

// The PostgreSQL server of SWITCHBOARD_TEST_DATABASE_URL, seen from the tests: creates and drops
// the databases sbt_<unix time>_<random>, and keeps the pool of migrated ones that TestStore
// reuses within one test executable. Process-wide; its databases are dropped when the
// application ends.
class PostgresTestServer
{
public:
    static PostgresTestServer &instance();

    // Connects once (to the URL's own database, used for CREATE/DROP DATABASE only).
    Status connect(const store::DatabaseConfig &admin);

    // A database of the pool, or a new empty one added to it (*created tells which).
    Result<store::DatabaseConfig> takePooled(bool *created);
    // Back to the pool, or (reusable false) dropped when the application ends.
    void givePooled(const QString &name, bool reusable);
    // A new empty database of its own, not pooled; drop it with drop().
    Result<store::DatabaseConfig> createOwn();
    void drop(const QString &name);

    // Empties every table but schema_migrations and restarts the sequences.
    static Status emptyTables(const QSqlDatabase &db);

private:
    PostgresTestServer() = default;
    QSqlDatabase admin() const;
    Result<QString> createDatabase();
    void dropStale();
    void dropAll();

    QMutex m_mutex;
    store::DatabaseConfig m_admin;
    bool m_connected = false;
    QStringList m_free;
    QStringList m_pooled; // every pooled database, free or taken
};

} // namespace sb::test
