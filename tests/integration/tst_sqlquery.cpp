// SqlQuery's contract, the same on both stores: on SQLite its statements run on the sqlite3
// handle itself (SqliteStatement), on PostgreSQL through QtSql. What a repository binds is what
// it reads back, NULL stays NULL, a statement in use can be used again inside its own loop, and
// a multi-row insert numbers its rows in VALUES order.

#include <store/changelogrepository.h>
#include <store/database.h>
#include <store/sqlquery.h>
#include <store/utf8text.h>
#include <support/testdatabase.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

namespace {

#ifdef Q_OS_LINUX
// Whether this process has the file open (its descriptors in /proc/self/fd).
bool processHasOpen(const QString &path)
{
    const QString target = QFileInfo(path).canonicalFilePath();
    const QFileInfoList fds = QDir(u"/proc/self/fd"_s).entryInfoList(QDir::Files | QDir::System);
    return std::any_of(fds.cbegin(), fds.cend(),
                       [&](const QFileInfo &fd) { return fd.symLinkTarget() == target; });
}
#endif

} // namespace

class TstSqlQuery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        // A pooled PostgreSQL database outlives a test: no probe left from the one before.
        QVERIFY(execDirect(m_store->connection(), u"DROP TABLE IF EXISTS probe"_s));
        QVERIFY(execDirect(m_store->connection(),
                           u"CREATE TABLE probe (k INTEGER PRIMARY KEY, t TEXT, n BIGINT, "
                           u"d DOUBLE PRECISION, b BOOLEAN)"_s));
    }

    void cleanup()
    {
        if (m_store)
            (void)execDirect(m_store->connection(), u"DROP TABLE IF EXISTS probe"_s);
        m_store.reset();
    }

    void valuesRoundTrip_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QVariant>("bound");
        QTest::addColumn<QVariant>("expected"); // invalid: read back as NULL
        QTest::addColumn<bool>("isNull");

        QTest::newRow("text") << u"t"_s << QVariant(u"plain"_s) << QVariant(u"plain"_s) << false;
        const QString unicode = u"Zoë’s “dryer” — 修理 🔧"_s;
        QTest::newRow("unicode text") << u"t"_s << QVariant(unicode) << QVariant(unicode) << false;
        QTest::newRow("UTF-8 bytes as text")
            << u"t"_s << utf8Text(unicode.toUtf8()) << QVariant(unicode) << false;
        QTest::newRow("empty text is not NULL")
            << u"t"_s << QVariant(u""_s) << QVariant(u""_s) << false;
        QTest::newRow("null QString is NULL")
            << u"t"_s << QVariant(QString()) << QVariant() << true;
        QTest::newRow("null QVariant is NULL") << u"t"_s << QVariant() << QVariant() << true;
        QTest::newRow("dbRef of no id is NULL") << u"t"_s << dbRef(QString()) << QVariant() << true;
        QTest::newRow("quote and semicolon are data")
            << u"t"_s << QVariant(u"x'); DROP TABLE probe; --"_s)
            << QVariant(u"x'); DROP TABLE probe; --"_s) << false;
        QTest::newRow("64-bit integer") << u"n"_s << QVariant(qlonglong(9007199254740993))
                                        << QVariant(qlonglong(9007199254740993)) << false;
        QTest::newRow("negative integer")
            << u"n"_s << QVariant(-42) << QVariant(qlonglong(-42)) << false;
        QTest::newRow("time of none is NULL")
            << u"n"_s << dbTime(QDateTime()) << QVariant() << true;
        QTest::newRow("time") << u"n"_s
                              << dbTime(QDateTime::fromMSecsSinceEpoch(1795611600123, Qt::UTC))
                              << QVariant(qlonglong(1795611600123)) << false;
        QTest::newRow("double") << u"d"_s << QVariant(2.5) << QVariant(2.5) << false;
        QTest::newRow("true") << u"b"_s << QVariant(true) << QVariant(true) << false;
        QTest::newRow("false") << u"b"_s << QVariant(false) << QVariant(false) << false;
    }

    void valuesRoundTrip()
    {
        QFETCH(QString, column);
        QFETCH(QVariant, bound);
        QFETCH(QVariant, expected);
        QFETCH(bool, isNull);
        const QSqlDatabase db = m_store->connection();
        {
            SqlQuery insert(db, u"INSERT INTO probe (k, "_s + column + u") VALUES (1, :v)"_s);
            insert.bind(u":v"_s, bound);
            QVERIFY(insert.exec());
            QCOMPARE(insert.rowsAffected(), 1);
        }
        SqlQuery read(db,
                      u"SELECT "_s + column + u", "_s + column
                          + u" IS NULL AS is_null FROM "
                            u"probe WHERE k = 1"_s);
        QVERIFY(read.exec());
        QVERIFY(read.next());
        const QVariant value = read.value(0);
        QCOMPARE(value.isNull(), isNull);
        QCOMPARE(read.value(u"is_null"_s).toBool(), isNull);
        QCOMPARE(read.value("is_null"_L1).toBool(), isNull); // by a name in code, no QString
        QCOMPARE(read.value(QLatin1StringView(column.toLatin1())), value);
        QVERIFY(!read.value("no_such_column"_L1).isValid());
        if (isNull)
            return;
        if (expected.typeId() == QMetaType::Bool)
            QCOMPARE(value.toBool(), expected.toBool());
        else if (expected.typeId() == QMetaType::Double)
            QCOMPARE(value.toDouble(), expected.toDouble());
        else if (expected.typeId() == QMetaType::LongLong)
            QCOMPARE(value.toLongLong(), expected.toLongLong());
        else
            QCOMPARE(value.toString(), expected.toString());
        if (expected.typeId() == QMetaType::QString) // stored as TEXT: a BLOB reads as bytes
            QCOMPARE(value.typeId(), int(QMetaType::QString));
        QVERIFY(!read.next());
    }

    // A cached statement is handed to the next user without the last one's values or rows.
    void reusedStatementStartsClean()
    {
        const QSqlDatabase db = m_store->connection();
        const QString sql = u"INSERT INTO probe (k, t, n) VALUES (:k, :t, :n)"_s;
        {
            SqlQuery q(db, sql);
            q.bind(u":k"_s, 1).bind(u":t"_s, u"first"_s).bind(u":n"_s, 7);
            QVERIFY(q.exec());
        }
        {
            SqlQuery q(db, sql); // :n not bound this time: NULL, not the 7 of before
            q.bind(u":k"_s, 2).bind(u":t"_s, u"second"_s);
            QVERIFY(q.exec());
        }
        SqlQuery read(db, u"SELECT t, n FROM probe ORDER BY k"_s);
        QVERIFY(read.exec());
        QVERIFY(read.next());
        QCOMPARE(read.value(u"t"_s).toString(), u"first"_s);
        QCOMPARE(read.value(u"n"_s).toLongLong(), 7);
        QVERIFY(read.next());
        QCOMPARE(read.value(u"t"_s).toString(), u"second"_s);
        QVERIFY(read.value(u"n"_s).isNull());
        QVERIFY(!read.next());
    }

    // The same text used again while a first SqlQuery of it is alive: a statement of its own,
    // which leaves the first one's answer as it was. (Reading two answers at once on one
    // connection is not promised: QtSql's PostgreSQL driver streams a forward-only answer.)
    void nestedUseOfOneText()
    {
        const QSqlDatabase db = m_store->connection();
        for (int k = 1; k <= 3; ++k) {
            SqlQuery q(db, u"INSERT INTO probe (k, n) VALUES (:k, :n)"_s);
            q.bind(u":k"_s, k).bind(u":n"_s, k * 10);
            QVERIFY(q.exec());
        }
        const QString sql = u"SELECT k, n FROM probe WHERE k >= :from ORDER BY k"_s;
        SqlQuery outer(db, sql);
        outer.bind(u":from"_s, 1);
        QVERIFY(outer.exec());
        QList<qint64> keys;
        while (outer.next())
            keys << outer.value(0).toLongLong();
        QCOMPARE(keys, (QList<qint64> {1, 2, 3}));
        QList<int> counts;
        for (qint64 k : std::as_const(keys)) {
            SqlQuery inner(db, sql);
            inner.bind(u":from"_s, k);
            QVERIFY(inner.exec());
            int rows = 0;
            while (inner.next())
                ++rows;
            counts << rows;
        }
        QCOMPARE(counts, (QList<int> {3, 2, 1}));
        // And the first one, run again, still answers.
        outer.bind(u":from"_s, 3);
        QVERIFY(outer.exec());
        QVERIFY(outer.next());
        QCOMPARE(outer.value(1).toLongLong(), 30);
    }

    // Statements are kept per connection name; a connection closed and opened again under the
    // same name must not be handed the statements of the one before (on SQLite they would still
    // run on the old file: here the second file has no probe table, so the count must fail).
    void connectionOpenedAgainGetsNewStatements()
    {
        const QString name = u"tst_sqlquery_again"_s;
        const store::DatabaseConfig config = m_store->config();
        const bool sqlite = config.dialect == Dialect::Sqlite;
        QTemporaryDir other;
        QVERIFY(other.isValid());
        const QString otherPath = other.filePath(u"other.sqlite"_s);
        const auto open = [&](const QString &sqlitePath) {
            store::DatabaseConfig c = config;
            c.sqlitePath = sqlitePath;
            return store::addConnection(c, name).open();
        };
        const QString sql = u"SELECT COUNT(*) FROM probe"_s;
        {
            // SQLite: another file, whose probe has a row; PostgreSQL: the same database.
            QVERIFY(open(sqlite ? otherPath : config.sqlitePath));
            const QSqlDatabase db = QSqlDatabase::database(name, false);
            if (sqlite) {
                QVERIFY(execDirect(db, u"CREATE TABLE probe (k INTEGER PRIMARY KEY)"_s));
                QVERIFY(execDirect(db, u"INSERT INTO probe (k) VALUES (1)"_s));
            }
            SqlQuery q(db, sql);
            QVERIFY(q.exec());
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), sqlite ? 1 : 0);
        }
        QSqlDatabase::removeDatabase(name); // not through the store: its statement stays cached
        {
            QVERIFY(open(config.sqlitePath));
            SqlQuery q(QSqlDatabase::database(name, false), sql);
            QVERIFY(q.exec());
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0); // the store's probe, never the other file's
        }
#ifdef Q_OS_LINUX
        // QtSql could not close the other file while the statement was prepared on it (SQLite
        // refuses); the handle is closed once that statement is dropped, not left open.
        if (sqlite)
            QVERIFY2(!processHasOpen(otherPath), qPrintable(otherPath));
#endif
        QSqlDatabase::removeDatabase(name);
    }

    void failureIsACleanStorageError()
    {
        const QSqlDatabase db = m_store->connection();
        SqlQuery dup(db, u"INSERT INTO probe (k) VALUES (:k)"_s);
        dup.bind(u":k"_s, 1);
        QVERIFY(dup.exec());
        const Status again = dup.exec(); // primary key taken
        QVERIFY(!again);
        QCOMPARE(again.error().code, u"storage_error"_s);
        QVERIFY(!again.error().message.contains(u"probe"_s)); // no SQL in what callers see

        SqlQuery broken(db, u"SELECT nothing FROM nowhere"_s);
        QVERIFY(!broken.exec());
        // Two statements in one text: never run up to the first alone (SQLite refuses the text;
        // QtSql's PostgreSQL driver runs both).
        {
            SqlQuery two(db,
                         u"INSERT INTO probe (k) VALUES (2); INSERT INTO probe (k) VALUES (3)"_s);
            const bool ran = bool(two.exec());
            QCOMPARE(ran, m_store->dialect() == Dialect::Postgres);
        }
        SqlQuery extra(db, u"SELECT COUNT(*) FROM probe WHERE k IN (2, 3)"_s);
        QVERIFY(extra.exec());
        QVERIFY(extra.next());
        QCOMPARE(extra.value(0).toInt(), m_store->dialect() == Dialect::Postgres ? 2 : 0);
        QVERIFY(execDirect(db, u"DELETE FROM probe WHERE k IN (2, 3)"_s));
        // And the connection still works.
        SqlQuery count(db, u"SELECT COUNT(*) FROM probe"_s);
        QVERIFY(count.exec());
        QVERIFY(count.next());
        QCOMPARE(count.value(0).toInt(), 1);
    }

    // Several statements of RowValues, each numbering its rows from the last one's number: the
    // change log's seqs come back in VALUES order, consecutive, and as stored.
    void multiRowInsertNumbersRowsInOrder()
    {
        QSqlDatabase db = m_store->connection();
        constexpr int kChanges = 1200; // more than one statement of 5,000 values
        QList<Change> changes;
        for (int i = 0; i < kChanges; ++i) {
            Change c;
            c.entity = u"ticket"_s;
            c.entityId = u"t-%1"_s.arg(i);
            c.op = ChangeOp::Updated;
            c.dataJson = QByteArray("{}");
            c.createdAt = QDateTime::fromMSecsSinceEpoch(1795611600000 + i, Qt::UTC);
            changes << c;
        }
        const Status appended = m_store->database()->transaction(
            [&](QSqlDatabase &tx) { return ChangeLogRepository(tx).appendAll(changes); });
        QVERIFY(appended);
        for (int i = 1; i < kChanges; ++i)
            QCOMPARE(changes.at(i).seq, changes.at(i - 1).seq + 1);
        SqlQuery read(db, u"SELECT seq, entity_id FROM change_log ORDER BY seq"_s);
        QVERIFY(read.exec());
        int i = 0;
        while (read.next()) {
            QCOMPARE(read.value(0).toLongLong(), changes.at(i).seq);
            QCOMPARE(read.value(1).toString(), changes.at(i).entityId);
            ++i;
        }
        QCOMPARE(i, kChanges);
    }

private:
    std::unique_ptr<TestStore> m_store;
};

QTEST_GUILESS_MAIN(TstSqlQuery)
#include "tst_sqlquery.moc"
