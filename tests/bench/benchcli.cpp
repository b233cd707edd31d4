#include "benchcli.h"

#include <server/serversettings.h>
#include <store/sqlquery.h>

#include <QCoreApplication>
#include <QDir>

#include <cstdio>
#include <cstdlib>

namespace sb::bench {

void die(const QString &message)
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(QCoreApplication::applicationName()),
                 qPrintable(message));
    std::exit(1);
}

int numberOption(const QCommandLineParser &parser, const QCommandLineOption &option, int min)
{
    bool ok = false;
    const int n = parser.value(option).toInt(&ok);
    if (!ok || n < min)
        die(QStringLiteral("--%1 must be a number >= %2").arg(option.names().first()).arg(min));
    return n;
}

qint64 queryNumber(store::Database &db, const QString &sql)
{
    store::SqlQuery q(db.connection(), sql);
    if (!q.exec() || !q.next())
        die(u"no answer to " + sql);
    return q.value(0).toLongLong();
}

store::DatabaseConfig StoreOptions::config(const QCommandLineParser &parser, bool makeDir) const
{
    if (parser.isSet(url)) {
        const auto config = store::DatabaseConfig::fromUrl(parser.value(url));
        if (!config)
            die(config.error().message);
        return *config;
    }
    if (!parser.isSet(dataDir))
        die(QStringLiteral("give --data-dir or --database-url"));
    // The server's own rule for where the SQLite file lives.
    server::ServerSettings settings;
    settings.dataDir = parser.value(dataDir);
    if (makeDir)
        QDir().mkpath(settings.dataDir);
    else if (!QDir(settings.dataDir).exists())
        die(u"no data directory " + settings.dataDir);
    return store::DatabaseConfig::sqlite(settings.sqlitePath());
}

} // namespace sb::bench
