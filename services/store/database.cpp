#include "database.h"

#include "migrator.h"
#include "sqlquery.h"
#include "storelog.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QStringList>
#include <QThread>

namespace sb::store {

namespace {

QAtomicInt s_instanceCounter;

// Connections are per thread; a thread's are removed when it ends, so a later thread that gets
// the same id never inherits a connection that belongs to a dead one.
struct ThreadConnections
{
    QStringList names;
    ~ThreadConnections()
    {
        for (const QString &name : std::as_const(names))
            QSqlDatabase::removeDatabase(name);
    }
};
thread_local ThreadConnections t_connections;

QString driverName(Dialect dialect)
{
    return dialect == Dialect::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

} // namespace

Database::Database(const DatabaseConfig &config)
    : m_config(config)
    , m_namePrefix(QStringLiteral("switchboard-%1-").arg(s_instanceCounter.fetchAndAddOrdered(1)))
{ }

Database::~Database()
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
        t_connections.names.removeAll(name);
    }
}

Result<std::shared_ptr<Database>> Database::open(const DatabaseConfig &config)
{
    if (!QSqlDatabase::isDriverAvailable(driverName(config.dialect))) {
        return Error::make(QStringLiteral("driver_missing"),
                           QStringLiteral("The Qt SQL driver %1 is not installed.")
                               .arg(driverName(config.dialect)));
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

    QSqlDatabase db = QSqlDatabase::addDatabase(driverName(m_config.dialect), name);
    t_connections.names << name;
    if (m_config.dialect == Dialect::Sqlite) {
        db.setDatabaseName(m_config.sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_config.busyTimeoutMs));
    } else {
        db.setHostName(m_config.host);
        db.setPort(m_config.port);
        db.setDatabaseName(m_config.database);
        db.setUserName(m_config.user);
        db.setPassword(m_config.password);
        db.setConnectOptions(m_config.options);
    }
    if (!db.open()) {
        // The driver's text can name the host and user, never the password.
        qCWarning(lcStore).noquote()
            << "cannot open" << m_config.describe() << ":" << db.lastError().text();
        return db;
    }
    if (m_config.dialect == Dialect::Sqlite) {
        (void)execDirect(db, QStringLiteral("PRAGMA foreign_keys=ON"));
        (void)execDirect(db, QStringLiteral("PRAGMA synchronous=NORMAL"));
    } else {
        (void)execDirect(db, QStringLiteral("SET TIME ZONE 'UTC'"));
        (void)execDirect(db, QStringLiteral("SET client_min_messages = warning"));
    }
    return db;
}

Status Database::begin(QSqlDatabase &db) const
{
    if (!db.isOpen())
        return storageError();
    return execDirect(db,
                      m_config.dialect == Dialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE")
                                                          : QStringLiteral("BEGIN"));
}

Status Database::commit(QSqlDatabase &db) const
{
    return execDirect(db, QStringLiteral("COMMIT"));
}

void Database::rollback(QSqlDatabase &db) const
{
    (void)execDirect(db, QStringLiteral("ROLLBACK"));
}

} // namespace sb::store
