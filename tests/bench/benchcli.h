#pragma once

#include <store/database.h>
#include <store/databaseconfig.h>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

namespace sb::bench {

// How the bench tools stop on bad input or a failure: "<tool>: message" on stderr, status 1.
[[noreturn]] void die(const QString &message);

// The value of `option` as a whole number of at least `min`; dies otherwise.
int numberOption(const QCommandLineParser &parser, const QCommandLineOption &option, int min);

// The one number a query such as SELECT COUNT(*) answers; dies when it answers none.
qint64 queryNumber(store::Database &db, const QString &sql);

// --data-dir (a SQLite store, where the server keeps it) or --database-url (PostgreSQL): the
// store of the benchmark's data set, for the tools that seed it or work on it.
struct StoreOptions
{
    QCommandLineOption dataDir {QStringLiteral("data-dir"),
                                QStringLiteral("Data directory of a SQLite store."),
                                QStringLiteral("dir")};
    QCommandLineOption url {QStringLiteral("database-url"),
                            QStringLiteral("postgres:// URL of the store."), QStringLiteral("url")};

    // The store the parsed options name; dies when they name none. A data directory that does
    // not exist is made when `makeDir`, refused otherwise.
    store::DatabaseConfig config(const QCommandLineParser &parser, bool makeDir) const;
};

} // namespace sb::bench
