#include "databaseconfig.h"

#include <QSqlDatabase>

#include <QUrl>
#include <QUrlQuery>

namespace sb::store {

DatabaseConfig DatabaseConfig::sqlite(const QString &path)
{
    DatabaseConfig c;
    c.dialect = Dialect::Sqlite;
    c.sqlitePath = path;
    return c;
}

Result<DatabaseConfig> DatabaseConfig::fromUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"postgres" && scheme != u"postgresql")) {
        return Error::make(QStringLiteral("invalid_database_url"),
                           QStringLiteral("The database URL must look like "
                                          "postgres://user:password@host:port/database."));
    }
    DatabaseConfig c;
    c.dialect = Dialect::Postgres;
    c.host = url.host().isEmpty() ? QStringLiteral("127.0.0.1") : url.host();
    c.port = url.port(5432);
    c.database = url.path().mid(1);
    c.user = url.userName(QUrl::FullyDecoded);
    c.password = url.password(QUrl::FullyDecoded);
    if (c.database.isEmpty()) {
        return Error::make(QStringLiteral("invalid_database_url"),
                           QStringLiteral("The database URL names no database."));
    }
    QStringList options;
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key == u"sslmode" || key == u"connect_timeout" || key == u"application_name")
            options << key + u'=' + value;
    }
    c.options = options.join(u';');
    return c;
}

QString DatabaseConfig::toUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("postgres"));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    url.setPassword(password);
    url.setPath(u'/' + database);
    QUrlQuery query;
    for (const QString &option : options.split(u';', Qt::SkipEmptyParts)) {
        const qsizetype eq = option.indexOf(u'=');
        query.addQueryItem(option.left(eq), option.mid(eq + 1));
    }
    if (!query.isEmpty())
        url.setQuery(query);
    return url.toString();
}

QString DatabaseConfig::describe() const
{
    if (dialect == Dialect::Sqlite)
        return QStringLiteral("sqlite:") + sqlitePath;
    return QStringLiteral("postgres://%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

QString DatabaseConfig::driverName() const
{
    return dialect == Dialect::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

QSqlDatabase addConnection(const DatabaseConfig &config, const QString &name)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(config.driverName(), name);
    if (config.dialect == Dialect::Sqlite) {
        db.setDatabaseName(config.sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(config.busyTimeoutMs));
    } else {
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setDatabaseName(config.database);
        db.setUserName(config.user);
        db.setPassword(config.password);
        db.setConnectOptions(config.options);
    }
    return db;
}

} // namespace sb::store
