#include "migrator.h"

#include "database.h"
#include "sqlitestatement.h"
#include "sqlquery.h"
#include "storelog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <sqlite3.h>

namespace sb::store {

namespace {

// Any constant: serialises two PostgreSQL instances that start at once on an empty database.
constexpr qint64 kMigrationLockKey = 0x5357424d49475254; // "SWBMIGRT"

QString resourceDir(Dialect dialect)
{
    return dialect == Dialect::Sqlite ? QStringLiteral(":/switchboard/migrations/sqlite")
                                      : QStringLiteral(":/switchboard/migrations/postgres");
}

// SQLite migrations may edit sqlite_schema (0007 rewrites CHECKs, SQLite's procedure for
// constraint-only changes), which a connection in defensive mode refuses (SQLITE_DBCONFIG_
// DEFENSIVE: off by default, on in some builds): off while migrating, then as it was.
class SchemaEditsAllowed
{
public:
    explicit SchemaEditsAllowed(const QSqlDatabase &db)
        : m_db(sqliteHandle(db))
    {
        if (m_db && sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, -1, &m_was) == SQLITE_OK)
            sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 0, nullptr);
    }
    ~SchemaEditsAllowed()
    {
        if (m_db && m_was > 0)
            sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, m_was, nullptr);
    }
    SchemaEditsAllowed(const SchemaEditsAllowed &) = delete;
    SchemaEditsAllowed &operator=(const SchemaEditsAllowed &) = delete;

private:
    sqlite3 *m_db;
    int m_was = 0;
};

} // namespace

QList<Migration> Migrator::available(Dialect dialect)
{
    static const QRegularExpression fileName(QStringLiteral(R"(^(\d{4})_(\w+)\.sql$)"));
    QList<Migration> out;
    const QDir dir(resourceDir(dialect));
    const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto match = fileName.match(file);
        if (!match.hasMatch())
            continue;
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        out.append({match.captured(1).toInt(), match.captured(2),
                    splitStatements(QString::fromUtf8(f.readAll()))});
    }
    return out;
}

QStringList Migrator::splitStatements(const QString &script)
{
    QStringList statements;
    QString current;
    bool inTrigger = false;
    const QStringList lines = script.split(u'\n');
    for (const QString &rawLine : lines) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith(u"--"))
            continue;
        if (current.isEmpty() && line.startsWith(u"CREATE TRIGGER", Qt::CaseInsensitive))
            inTrigger = true;
        current += rawLine + u'\n';
        const bool ends
            = inTrigger ? line.compare(u"END;", Qt::CaseInsensitive) == 0 : line.endsWith(u';');
        if (ends) {
            statements << current.trimmed();
            current.clear();
            inTrigger = false;
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

Result<int> Migrator::migrate() const
{
    const QList<Migration> migrations = available(m_db.dialect());
    if (migrations.isEmpty()) {
        qCCritical(lcStore) << "no migrations are compiled into this program";
        return storageError();
    }
    const int latest = migrations.last().version;

    const SchemaEditsAllowed schemaEdits(m_db.connection());
    return m_db.transaction([&](QSqlDatabase &db) -> Result<int> {
        if (m_db.dialect() == Dialect::Postgres) {
            SqlQuery lock(db, QStringLiteral("SELECT pg_advisory_xact_lock(:key)"));
            if (Status s = lock.bind(QStringLiteral(":key"), kMigrationLockKey).exec(); !s)
                return s.error();
        }
        if (Status s
            = execDirect(db,
                         QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                        "version INTEGER PRIMARY KEY, "
                                        "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
            !s)
            return s.error();

        SqlQuery current(db,
                         QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
        if (Status s = current.exec(); !s || !current.next())
            return storageError();
        const int from = current.value(0).toInt();
        current.finish(); // a statement left running keeps SQLite from dropping an index
        if (from > latest) {
            return Error::make(QStringLiteral("schema_too_new"),
                               QStringLiteral("The database has schema version %1, newer than the "
                                              "%2 this program knows. Upgrade Switchboard.")
                                   .arg(from)
                                   .arg(latest));
        }
        for (const Migration &m : migrations) {
            if (m.version <= from)
                continue;
            for (const QString &statement : m.statements) {
                if (Status s = execDirect(db, statement); !s)
                    return s.error();
            }
            SqlQuery record(
                db,
                QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) "
                               "VALUES (:v, :n, :t)"));
            record.bind(QStringLiteral(":v"), m.version)
                .bind(QStringLiteral(":n"), m.name)
                .bind(QStringLiteral(":t"), QDateTime::currentMSecsSinceEpoch());
            if (Status s = record.exec(); !s)
                return s.error();
            qCInfo(lcStore).noquote() << "applied migration" << m.version << m.name;
        }
        return latest;
    });
}

} // namespace sb::store
