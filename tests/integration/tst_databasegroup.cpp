// store::Database's commit group (the router's group commit), the same on both stores: the
// members' transactions become savepoints of one transaction; a failed member undoes only its
// own writes; a failed COMMIT undoes all of them and runs none of their hooks; and anything
// that is not a member closes the group before it runs, so it never runs inside it.

#include <store/database.h>
#include <store/sqlquery.h>
#include <support/testdatabase.h>

#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

class TstDatabaseGroup : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup();

    void membersCommitTogetherAndTheirHooksRunAfter();
    void aFailedMemberUndoesOnlyItsOwnWrites();
    void aFailedCommitUndoesEveryMemberAndRunsNoHook();
    void aStrangerClosesTheGroupBeforeItRuns();

private:
    Status insert(const QString &table, int id, int parent = 0);
    int count(const QString &table);
    // A member's transaction: one row, and a hook that records that it ran.
    Status member(const QString &table, int id, int parent = 0);

    std::unique_ptr<TestStore> m_store;
    std::shared_ptr<Database> m_db;
    QStringList m_hooksRun;
};

void TstDatabaseGroup::init()
{
    SB_CREATE_TEST_STORE(m_store);
    m_db = m_store->database();
    QVERIFY(m_db);
    m_hooksRun.clear();
    QSqlDatabase db = m_store->connection();
    // A pooled PostgreSQL database outlives a test: nothing left from the one before.
    QVERIFY(execDirect(db, u"DROP TABLE IF EXISTS grp_child"_s));
    QVERIFY(execDirect(db, u"DROP TABLE IF EXISTS grp_parent"_s));
    QVERIFY(execDirect(db, u"CREATE TABLE grp_parent (id INTEGER PRIMARY KEY)"_s));
    // Checked at COMMIT, not at the statement: how a commit can fail after every member passed.
    QVERIFY(execDirect(db,
                       u"CREATE TABLE grp_child (id INTEGER PRIMARY KEY, parent INTEGER "
                       u"REFERENCES grp_parent (id) DEFERRABLE INITIALLY DEFERRED)"_s));
}

void TstDatabaseGroup::cleanup()
{
    if (!m_store)
        return;
    if (m_db && m_db->groupOpen())
        (void)m_db->closeGroup();
    m_db.reset();
    (void)execDirect(m_store->connection(), u"DROP TABLE IF EXISTS grp_child"_s);
    (void)execDirect(m_store->connection(), u"DROP TABLE IF EXISTS grp_parent"_s);
    m_store.reset();
}

Status TstDatabaseGroup::insert(const QString &table, int id, int parent)
{
    QSqlDatabase db = m_store->connection();
    SqlQuery q(db,
               parent ? u"INSERT INTO "_s + table + u" (id, parent) VALUES (:id, :parent)"_s
                      : u"INSERT INTO "_s + table + u" (id) VALUES (:id)"_s);
    q.bind(u":id"_s, id);
    if (parent)
        q.bind(u":parent"_s, parent);
    return q.exec();
}

int TstDatabaseGroup::count(const QString &table)
{
    QSqlDatabase db = m_store->connection();
    SqlQuery q(db, u"SELECT COUNT(*) FROM "_s + table);
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toInt();
}

Status TstDatabaseGroup::member(const QString &table, int id, int parent)
{
    Database::GroupMember scope(*m_db);
    return m_db->transaction([&](QSqlDatabase &) -> Status {
        if (Status s = insert(table, id, parent); !s)
            return s;
        m_db->afterCommit([this, id] { m_hooksRun.append(QString::number(id)); });
        return {};
    });
}

void TstDatabaseGroup::membersCommitTogetherAndTheirHooksRunAfter()
{
    QVERIFY(m_db->openGroup([this] { (void)m_db->closeGroup(); }));
    QVERIFY(member(u"grp_parent"_s, 1));
    QVERIFY(member(u"grp_parent"_s, 2));
    QVERIFY(m_hooksRun.isEmpty()); // nothing is told before the COMMIT
    QVERIFY(m_db->groupOpen());
    QVERIFY(m_db->closeGroup());
    QVERIFY(!m_db->groupOpen());
    QCOMPARE(m_hooksRun, QStringList({u"1"_s, u"2"_s}));
    QCOMPARE(count(u"grp_parent"_s), 2);
}

void TstDatabaseGroup::aFailedMemberUndoesOnlyItsOwnWrites()
{
    QVERIFY(m_db->openGroup([this] { (void)m_db->closeGroup(); }));
    QVERIFY(member(u"grp_parent"_s, 1));
    {
        Database::GroupMember scope(*m_db);
        const Status failed = m_db->transaction([&](QSqlDatabase &) -> Status {
            if (Status s = insert(u"grp_parent"_s, 2); !s)
                return s;
            m_db->afterCommit([this] { m_hooksRun.append(u"refused"_s); });
            return Error::make(u"validation_failed"_s, u"refused after its write"_s);
        });
        QVERIFY(!failed);
    }
    QVERIFY(!member(u"grp_parent"_s, 1)); // a duplicate key: this member's statement fails
    QVERIFY(member(u"grp_parent"_s, 3));
    QVERIFY(m_db->closeGroup());
    QCOMPARE(m_hooksRun, QStringList({u"1"_s, u"3"_s}));
    QCOMPARE(count(u"grp_parent"_s), 2);
}

void TstDatabaseGroup::aFailedCommitUndoesEveryMemberAndRunsNoHook()
{
    QVERIFY(m_db->openGroup([this] { (void)m_db->closeGroup(); }));
    QVERIFY(member(u"grp_parent"_s, 1));
    QVERIFY(member(u"grp_child"_s, 10, 999)); // no parent 999: refused only by the COMMIT
    const Status closed = m_db->closeGroup();
    QVERIFY(!closed);
    QVERIFY(!m_db->groupOpen());
    QVERIFY(m_hooksRun.isEmpty());
    QCOMPARE(count(u"grp_parent"_s), 0);
    QCOMPARE(count(u"grp_child"_s), 0);
    // The connection is usable again, outside any group.
    QVERIFY(m_db->transaction([&](QSqlDatabase &) { return insert(u"grp_parent"_s, 5); }));
    QCOMPARE(count(u"grp_parent"_s), 1);
}

void TstDatabaseGroup::aStrangerClosesTheGroupBeforeItRuns()
{
    int closes = 0;
    QVERIFY(m_db->openGroup([this, &closes] {
        ++closes;
        (void)m_db->closeGroup();
    }));
    QVERIFY(member(u"grp_parent"_s, 1));
    // Not a member (a job, a read, another route): the group is committed first, so the
    // stranger's transaction is its own and sees the member's row as committed.
    int seen = -1;
    const Status stranger = m_db->transaction([&](QSqlDatabase &) -> Status {
        seen = count(u"grp_parent"_s);
        return Error::make(u"validation_failed"_s, u"rolled back on purpose"_s);
    });
    QVERIFY(!stranger);
    QCOMPARE(closes, 1);
    QCOMPARE(seen, 1);
    QVERIFY(!m_db->groupOpen());
    QCOMPARE(m_hooksRun, QStringList({u"1"_s}));
    QCOMPARE(count(u"grp_parent"_s), 1); // the stranger's rollback did not take it back

    // A read is a stranger too.
    QVERIFY(m_db->openGroup([this, &closes] {
        ++closes;
        (void)m_db->closeGroup();
    }));
    QVERIFY(member(u"grp_parent"_s, 2));
    const Result<int> read
        = m_db->read([&](QSqlDatabase &) -> Result<int> { return count(u"grp_parent"_s); });
    QCOMPARE(closes, 2);
    QVERIFY(read);
    QCOMPARE(*read, 2);
}

QTEST_GUILESS_MAIN(TstDatabaseGroup)
#include "tst_databasegroup.moc"
