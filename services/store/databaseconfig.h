#pragma once

#include <domain/result.h>

#include <QString>

class QSqlDatabase;

namespace sb::store {

enum class Dialect { Sqlite, Postgres };

// Where the store lives: a SQLite file (the default, under the data directory) or a PostgreSQL
// database named by a postgres:// URL (SWITCHBOARD_DATABASE_URL).
struct DatabaseConfig
{
    Dialect dialect = Dialect::Sqlite;
    QString sqlitePath;
    QString host;
    int port = 5432;
    QString database;
    QString user;
    QString password;
    QString options; // QPSQL connect options, e.g. "sslmode=require"
    int busyTimeoutMs = 5000;

    static DatabaseConfig sqlite(const QString &path);
    // postgres://user:password@host:port/database?sslmode=...
    static Result<DatabaseConfig> fromUrl(const QString &url);

    // The postgres:// URL that fromUrl reads back (with the password: not for logs).
    QString toUrl() const;
    // For log lines: the URL without its password.
    QString describe() const;
    // The Qt SQL driver of the dialect: QSQLITE or QPSQL.
    QString driverName() const;
};

// A Qt SQL connection named `name` to what config names (the file, or the server, database, user
// and options), not opened yet. Its owner opens it, and removes it by name when done.
QSqlDatabase addConnection(const DatabaseConfig &config, const QString &name);

} // namespace sb::store
