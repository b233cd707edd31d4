#include <store/database.h>
#include <store/migrator.h>
#include <store/sqlitestatement.h>
#include <store/userrepository.h>
#include <support/testdatabase.h>

#include <QResource>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest/QTest>

#include <sqlite3.h>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

namespace {

// A connection that does not go through Database::open, so it sees the database as it is,
// without migrating it.
class RawConnection
{
public:
    explicit RawConnection(const DatabaseConfig &c)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(
            c.dialect == Dialect::Sqlite ? u"QSQLITE"_s : u"QPSQL"_s, m_name);
        db.setDatabaseName(c.dialect == Dialect::Sqlite ? c.sqlitePath : c.database);
        db.setHostName(c.host);
        db.setPort(c.port);
        db.setUserName(c.user);
        db.setPassword(c.password);
        db.open();
    }
    ~RawConnection() { QSqlDatabase::removeDatabase(m_name); }

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    QStringList tables() const
    {
        QSqlQuery q(db());
        q.exec(db().driverName() == u"QSQLITE"
                   ? u"SELECT name FROM sqlite_master WHERE type = 'table' "
                     "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'tickets_fts%'"_s
                   : u"SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"_s);
        QStringList out;
        while (q.next())
            out << q.value(0).toString();
        out.sort();
        return out;
    }

    QList<qint64> versions() const
    {
        return column(u"SELECT version FROM schema_migrations ORDER BY version"_s);
    }
    QList<qint64> appliedAt() const
    {
        return column(u"SELECT applied_at FROM schema_migrations ORDER BY version"_s);
    }

    bool exec(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql);
    }

    QString text(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql) && q.next() ? q.value(0).toString() : QString();
    }

    // The tickets whose subject or description the FTS5 query `match` finds (SQLite).
    QList<qint64> matches(const QString &match) const
    {
        QSqlQuery q(db());
        q.prepare(u"SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ? ORDER BY rowid"_s);
        q.addBindValue(match);
        QList<qint64> out;
        if (!q.exec())
            return {-1};
        while (q.next())
            out << q.value(0).toLongLong();
        return out;
    }

private:
    QList<qint64> column(const QString &sql) const
    {
        QSqlQuery q(db());
        QList<qint64> out;
        if (!q.exec(sql))
            return {-1};
        while (q.next())
            out << q.value(0).toLongLong();
        return out;
    }

    const QString m_name = u"tst_migrator_raw_"_s + QString::number(quintptr(this));
};

} // namespace

class TstMigrator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    // Each test that needs a database makes its own, empty one (makeStore()): on PostgreSQL
    // that is a CREATE DATABASE, not worth paying for the splitter's data rows.
    void init() { m_store.reset(); }

    void cleanup()
    {
        QResource::unregisterResource(QStringLiteral(SB_BROKEN_MIGRATIONS_RCC));
        m_store.reset();
    }

    void freshDatabaseGetsTheLatestVersion()
    {
        QVERIFY(makeStore());
        QVERIFY(RawConnection(m_store->config()).tables().isEmpty());
        Result<std::shared_ptr<Database>> db = Database::open(m_store->config());
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        QCOMPARE((*db)->schemaVersion(), m_latest);

        QList<qint64> every;
        for (const Migration &m : Migrator::available(m_store->dialect()))
            every << m.version;
        const RawConnection raw(m_store->config());
        QCOMPARE(raw.versions(), every);
        QVERIFY(raw.tables().contains(u"tickets"_s));
    }

    void reopeningIsANoOp()
    {
        QVERIFY(makeStore());
        {
            std::shared_ptr<Database> db = *Database::open(m_store->config());
            User u;
            u.name = u"Kept"_s;
            u.email = u"kept@example.test"_s;
            u.createdAt = QDateTime::currentDateTimeUtc();
            QVERIFY(UserRepository(db->connection()).insert(u, u"x"_s));
        }
        const QList<qint64> appliedAt = RawConnection(m_store->config()).appliedAt();

        Result<std::shared_ptr<Database>> again = Database::open(m_store->config());
        QVERIFY(again);
        QCOMPARE((*again)->schemaVersion(), m_latest);
        QCOMPARE(RawConnection(m_store->config()).appliedAt(), appliedAt);
        QCOMPARE(*UserRepository((*again)->connection()).count(), 1);
    }

    void newerSchemaIsRefused()
    {
        QVERIFY(makeStore());
        QVERIFY(Database::open(m_store->config()));
        const RawConnection raw(m_store->config());
        QVERIFY(raw.exec(u"INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (%1, 'from_the_future', 0)"_s.arg(m_latest + 1)));
        const QStringList tables = raw.tables();

        Result<std::shared_ptr<Database>> db = Database::open(m_store->config());
        QVERIFY(!db);
        QCOMPARE(db.error().code, u"schema_too_new"_s);
        QCOMPARE(raw.tables(), tables);
        QCOMPARE(raw.versions().last(), m_latest + 1);
    }

    void failedMigrationLeavesTheDatabaseUnchanged()
    {
        QVERIFY(makeStore());
        QVERIFY(Database::open(m_store->config()));
        const RawConnection raw(m_store->config());
        const QStringList tables = raw.tables();
        const QList<qint64> versions = raw.versions();

        QVERIFY(QResource::registerResource(QStringLiteral(SB_BROKEN_MIGRATIONS_RCC)));
        QCOMPARE(Migrator::available(m_store->dialect()).last().version, 9002);
        Result<std::shared_ptr<Database>> db = Database::open(m_store->config());
        QVERIFY(!db);
        QCOMPARE(db.error().code, u"storage_error"_s);
        // 9001 worked and 9002 half worked: none of it stays.
        QCOMPARE(raw.tables(), tables);
        QCOMPARE(raw.versions(), versions);
        QVERIFY(!tables.contains(u"migrator_probe"_s));
    }

    void failedFirstMigrationLeavesAnEmptyDatabase()
    {
        QVERIFY(makeStore());
        QVERIFY(QResource::registerResource(QStringLiteral(SB_BROKEN_MIGRATIONS_RCC)));
        QVERIFY(!Database::open(m_store->config()));
        QCOMPARE(RawConnection(m_store->config()).tables(), QStringList());
        QResource::unregisterResource(QStringLiteral(SB_BROKEN_MIGRATIONS_RCC));
        // The same database then migrates normally.
        Result<std::shared_ptr<Database>> db = Database::open(m_store->config());
        QVERIFY(db);
        QCOMPARE((*db)->schemaVersion(), m_latest);
    }

    void splitStatements_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QStringList>("statements");
        QTest::newRow("two statements")
            << u"CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n"_s
            << QStringList {u"CREATE TABLE a (x INT);"_s, u"CREATE TABLE b (y INT);"_s};
        QTest::newRow("comments and blank lines")
            << u"-- a comment; with a semicolon\n\nCREATE TABLE a (x INT);\n  -- another\n"_s
            << QStringList {u"CREATE TABLE a (x INT);"_s};
        QTest::newRow("statement over several lines")
            << u"CREATE TABLE a (\n    x INT,\n    y INT\n);\n"_s
            << QStringList {u"CREATE TABLE a (\n    x INT,\n    y INT\n);"_s};
        QTest::newRow("trigger stays whole")
            << u"CREATE TABLE a (x INT);\n"
               "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
               "    INSERT INTO b VALUES (new.x);\n"
               "    DELETE FROM c;\n"
               "END;\n"
               "CREATE INDEX i ON a (x);\n"_s
            << QStringList {u"CREATE TABLE a (x INT);"_s,
                            u"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
                            "    INSERT INTO b VALUES (new.x);\n"
                            "    DELETE FROM c;\n"
                            "END;"_s,
                            u"CREATE INDEX i ON a (x);"_s};
        QTest::newRow("lower-case trigger")
            << u"create trigger t after delete on a begin\n  delete from b;\nend;\n"_s
            << QStringList {u"create trigger t after delete on a begin\n  delete from b;\nend;"_s};
        QTest::newRow("last statement without semicolon")
            << u"CREATE TABLE a (x INT);\nSELECT 1"_s
            << QStringList {u"CREATE TABLE a (x INT);"_s, u"SELECT 1"_s};
    }

    void splitStatements()
    {
        QFETCH(QString, script);
        QFETCH(QStringList, statements);
        QCOMPARE(Migrator::splitStatements(script), statements);
    }

    // The shipped SQLite script: each of its triggers is one statement, from CREATE to END.
    void shippedTriggersStayWhole()
    {
        int triggers = 0;
        for (const Migration &m : Migrator::available(Dialect::Sqlite)) {
            for (const QString &s : m.statements) {
                if (!s.startsWith(u"CREATE TRIGGER"))
                    continue;
                ++triggers;
                QVERIFY2(s.endsWith(u"END;") && s.contains(u"BEGIN"), qPrintable(s));
            }
        }
        QVERIFY(triggers >= 3);
    }

    // Migration 6 rebuilds the tickets' full-text index (rowids only): a store upgraded from
    // version 5 still finds the tickets it had, and the new index finds the next ones.
    // Migration 7 rewrites the CHECKs' IN lists in the stored schema: they still refuse what
    // they refused, and the database is whole.
    void ticketSearchAndChecksSurviveTheirRewrite()
    {
        QVERIFY(makeStore());
        if (m_store->dialect() != Dialect::Sqlite)
            QSKIP("SQLite's FTS5 index; PostgreSQL searches a tsvector column");
        {
            const RawConnection raw(m_store->config());
            QVERIFY(raw.exec(u"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                             "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"_s));
            for (const Migration &m : Migrator::available(Dialect::Sqlite)) {
                if (m.version > 5)
                    break;
                for (const QString &statement : m.statements)
                    QVERIFY2(raw.exec(statement), qPrintable(statement));
                QVERIFY(raw.exec(
                    u"INSERT INTO schema_migrations VALUES (%1, '%2', 0)"_s.arg(m.version).arg(
                        m.name)));
            }
            QVERIFY(raw.exec(u"INSERT INTO users (id, name, email, email_key, password_hash, "
                             "role, created_at, updated_at) VALUES ('u1', 'Ann', 'a@x.test', "
                             "'a@x.test', 'x', 'customer', 0, 0)"_s));
            QVERIFY(raw.exec(ticketInsert(1, u"Leaking tap"_s, u"Water under the café sink"_s)));
        }
        Result<std::shared_ptr<Database>> db = Database::open(m_store->config());
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        QCOMPARE((*db)->schemaVersion(), m_latest);

        const RawConnection raw(m_store->config());
        QVERIFY(raw.text(u"SELECT sql FROM sqlite_master WHERE name = 'tickets_fts'"_s)
                    .contains(u"detail = none"_s));
        QVERIFY(raw.exec(ticketInsert(2, u"Broken boiler"_s,
                                      u"No hot water since the cafe "
                                      "visit"_s)));
        QCOMPARE(raw.matches(u"\"cafe\"*"_s), QList<qint64>({1, 2}));
        QCOMPARE(raw.matches(u"\"leak\"* \"sink\"*"_s), QList<qint64>({1}));
        QCOMPARE(raw.matches(u"\"boiler\"*"_s), QList<qint64>({2}));
        QVERIFY(raw.exec(u"UPDATE tickets SET subject = 'Dripping tap' WHERE number = 1"_s));
        QCOMPARE(raw.matches(u"\"leak\"*"_s), QList<qint64>());
        QCOMPARE(raw.matches(u"\"drip\"*"_s), QList<qint64>({1}));
        QVERIFY(raw.exec(u"DELETE FROM tickets WHERE number = 2"_s));
        QCOMPARE(raw.matches(u"\"cafe\"*"_s), QList<qint64>({1}));

        // Migration 7: the CHECKs are ORs now, and hold as before.
        for (const QString &table : {u"users"_s, u"bookings"_s, u"tickets"_s}) {
            const QString sql
                = raw.text(u"SELECT sql FROM sqlite_schema WHERE name = '%1'"_s.arg(table));
            QVERIFY2(sql.contains(u"CHECK (status = "_s) || table == u"users"_s, qPrintable(sql));
            for (const QString &column : {u"role"_s, u"availability"_s, u"status"_s, u"cr_status"_s,
                                          u"fu_outcome"_s, u"category"_s, u"priority"_s})
                QVERIFY2(!sql.contains(u"CHECK (%1 IN"_s.arg(column)), qPrintable(sql));
        }
        QVERIFY(!raw.exec(ticketInsert(3, u"Bogus"_s, u"x"_s).replace(u"'other'"_s, u"'misc'"_s)));
        QVERIFY(!raw.exec(ticketInsert(3, u"Bogus"_s, u"x"_s).replace(u"'open'"_s, u"'gone'"_s)));
        QVERIFY(!raw.exec(u"UPDATE users SET role = 'owner' WHERE id = 'u1'"_s));
        QVERIFY(raw.exec(u"UPDATE users SET availability = NULL WHERE id = 'u1'"_s));
        QVERIFY(raw.exec(ticketInsert(3, u"Fine"_s, u"x"_s)));
        QCOMPARE(raw.text(u"PRAGMA integrity_check"_s), u"ok"_s);
    }

    // Migration 7 edits sqlite_schema: it goes through on a connection in defensive mode (on in
    // some SQLite builds), which is defensive again afterwards.
    void schemaEditsGoThroughADefensiveConnection()
    {
        QVERIFY(makeStore());
        if (m_store->dialect() != Dialect::Sqlite)
            QSKIP("sqlite_schema and defensive mode are SQLite's");
        Result<std::shared_ptr<Database>> db = Database::open(m_store->config());
        QVERIFY(db);
        {
            const RawConnection raw(m_store->config());
            QVERIFY(raw.exec(u"DELETE FROM schema_migrations WHERE version = 7"_s));
        }
        sqlite3 *handle = sqliteHandle((*db)->connection());
        QVERIFY(handle);
        QCOMPARE(sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr), SQLITE_OK);
        const Result<int> version = Migrator(**db).migrate();
        QVERIFY2(version, qPrintable(version ? QString() : version.error().message));
        QCOMPARE(*version, m_latest);
        int defensive = 0;
        sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
        QCOMPARE(defensive, 1);
        QCOMPARE(RawConnection(m_store->config()).versions().last(), qint64(m_latest));
    }

private:
    static QString ticketInsert(int number, const QString &subject, const QString &description)
    {
        return u"INSERT INTO tickets (number, id, subject, description, category, priority, "
               "priority_rank, status, customer_id, last_activity_at, created_at, updated_at) "
               "VALUES (%1, 't%1', '%2', '%3', 'other', 'low', 0, 'open', 'u1', 0, 0, 0)"_s
                   .arg(number)
                   .arg(subject, description);
    }

    bool makeStore()
    {
        QString error;
        m_store = TestStore::create(&error, TestStore::Schema::Empty);
        if (!m_store) {
            qWarning().noquote() << error;
            return false;
        }
        m_latest = Migrator::available(m_store->dialect()).last().version;
        return true;
    }

    std::unique_ptr<TestStore> m_store;
    int m_latest = 0;
};

QTEST_GUILESS_MAIN(TstMigrator)
#include "tst_migrator.moc"
