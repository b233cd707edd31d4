#include <store/changelogrepository.h>
#include <support/testdatabase.h>

#include <QScopeGuard>
#include <QSemaphore>
#include <QThread>
#include <QtTest/QTest>

#include <atomic>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

namespace {

const QString kMe = u"me"_s;
const QString kOther = u"other"_s;

// The audience columns of one change-log row.
struct RowAudience
{
    QString customerId;
    QString technicianId;
    QString userId;
    bool internal = false;
};

} // namespace

Q_DECLARE_METATYPE(RowAudience)

class TstChangeLogRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init() { SB_CREATE_TEST_STORE(m_store); }

    void cleanup() { m_store.reset(); }

    void appendAndReadBack()
    {
        ChangeLogRepository log(m_store->connection());
        Change c = change({kMe, {}, {}, false});
        c.op = ChangeOp::Updated;
        c.data = QJsonObject {{u"subject"_s, u"Ünïcode ✓"_s}, {u"n"_s, 42}};
        Result<qint64> seq = log.append(c);
        QVERIFY(seq);
        QCOMPARE(*seq, 1);
        QCOMPARE(*log.latestSeq(), 1);

        const ChangePage page = *log.since(0, 10, {Role::Support, u"agent"_s});
        QCOMPARE(page.changes.size(), 1);
        c.seq = 1;
        const Change &read = page.changes.first();
        QCOMPARE(read.data, c.data);
        QCOMPARE(read.createdAt, c.createdAt);
        QVERIFY(read == c); // every field, audience included
        QCOMPARE(page.next, 1);
        QVERIFY(!page.hasMore);
    }

    void seqIncreases()
    {
        ChangeLogRepository log(m_store->connection());
        qint64 last = 0;
        for (int i = 0; i < 5; ++i) {
            const qint64 seq = *log.append(change({}));
            QVERIFY2(seq > last, qPrintable(QString::number(seq)));
            last = seq;
        }
        QCOMPARE(*log.latestSeq(), last);
    }

    void visibility_data()
    {
        QTest::addColumn<Role>("role");
        QTest::addColumn<RowAudience>("row");
        QTest::addColumn<bool>("visible");

        struct Case
        {
            const char *name;
            RowAudience row;
            bool customer, technician, agent; // agent: support and admin alike
        };
        const Case cases[] = {
            {"about me as customer", {kMe, {}, {}, false}, true, false, true},
            {"about me as customer, internal", {kMe, {}, {}, true}, false, false, true},
            {"about another customer", {kOther, {}, {}, false}, false, false, true},
            {"about me as technician", {{}, kMe, {}, false}, false, true, true},
            {"about me as technician, internal", {{}, kMe, {}, true}, false, false, true},
            {"about another technician", {{}, kOther, {}, false}, false, false, true},
            {"about my customer and technician", {kOther, kMe, {}, false}, false, true, true},
            {"for me only", {{}, {}, kMe, false}, true, true, true},
            {"for me only, internal", {{}, {}, kMe, true}, true, true, true},
            {"for another user", {{}, {}, kOther, false}, false, false, false},
            {"for another user, about me", {kMe, kMe, kOther, false}, false, false, false},
            {"no audience", {{}, {}, {}, false}, false, false, true},
            {"internal, no audience", {{}, {}, {}, true}, false, false, true},
        };
        for (const Case &c : cases) {
            QTest::addRow("customer, %s", c.name) << Role::Customer << c.row << c.customer;
            QTest::addRow("technician, %s", c.name) << Role::Technician << c.row << c.technician;
            QTest::addRow("support, %s", c.name) << Role::Support << c.row << c.agent;
            QTest::addRow("admin, %s", c.name) << Role::Admin << c.row << c.agent;
        }
    }

    void visibility()
    {
        QFETCH(Role, role);
        QFETCH(RowAudience, row);
        QFETCH(bool, visible);
        ChangeLogRepository log(m_store->connection());
        const qint64 seq = *log.append(change(row));
        const ChangePage page = *log.since(0, 100, {role, kMe});
        QCOMPARE(page.changes.size(), visible ? 1 : 0);
        if (visible)
            QCOMPARE(page.changes.first().seq, seq);
    }

    void paging_data()
    {
        QTest::addColumn<int>("visibleRows");
        QTest::addColumn<int>("limit");
        QTest::newRow("fewer than a page") << 3 << 5;
        QTest::newRow("exactly a page") << 5 << 5;
        QTest::newRow("one more than a page") << 6 << 5;
        QTest::newRow("several pages") << 11 << 3;
    }

    // Pages of a customer's changes, with other customers' rows in between: every visible row
    // exactly once, in order, hasMore true on every page but the last.
    void paging()
    {
        QFETCH(int, visibleRows);
        QFETCH(int, limit);
        ChangeLogRepository log(m_store->connection());
        QList<qint64> expected;
        for (int i = 0; i < visibleRows; ++i) {
            QVERIFY(log.append(change({kOther, {}, {}, false})));
            expected << *log.append(change({kMe, {}, {}, false}));
        }
        QVERIFY(log.append(change({kOther, {}, {}, false})));

        QList<qint64> seen;
        qint64 since = 0;
        for (int pages = 0;; ++pages) {
            QVERIFY(pages <= visibleRows); // no endless loop
            const ChangePage page = *log.since(since, limit, {Role::Customer, kMe});
            QVERIFY(page.changes.size() <= limit);
            for (const Change &c : page.changes)
                seen << c.seq;
            if (!page.changes.isEmpty())
                QCOMPARE(page.next, page.changes.last().seq);
            since = page.next;
            if (!page.hasMore)
                break;
            QCOMPARE(page.changes.size(), limit);
        }
        QCOMPARE(seen, expected);
        const ChangePage after = *log.since(since, limit, {Role::Customer, kMe});
        QVERIFY(after.changes.isEmpty());
        QCOMPARE(after.next, since);
    }

    void appendRolledBackLeavesNoRow()
    {
        ChangeLogRepository(m_store->connection()).append(change({})).value();
        const Status s = m_store->database()->transaction([&](QSqlDatabase &db) -> Status {
            if (Result<qint64> seq = ChangeLogRepository(db).append(change({kMe, {}, {}, false}));
                !seq)
                return seq.error();
            return Error::make(u"test_rollback"_s, u"roll back"_s);
        });
        QCOMPARE(s.error().code, u"test_rollback"_s);

        ChangeLogRepository log(m_store->connection());
        QCOMPARE(*log.latestSeq(), 1);
        QCOMPARE(log.since(0, 10, {Role::Admin, kMe})->changes.size(), 1);
        // The log goes on after it (a sequence may leave a gap; order is what matters).
        QVERIFY(*log.append(change({})) > 1);
    }

    // Appenders are serialised until commit, so that seq order is commit order: while one
    // transaction holds an appended, uncommitted row, a second append waits; it then gets the
    // larger seq, and a reader never sees the second row without the first.
    void appendsCommitInSeqOrder()
    {
        std::shared_ptr<Database> db = m_store->database();
        QSemaphore appended;
        QSemaphore release;
        qint64 firstSeq = 0;
        std::unique_ptr<QThread> first(QThread::create([&] {
            const Status s = db->transaction([&](QSqlDatabase &c) -> Status {
                Result<qint64> seq = ChangeLogRepository(c).append(change({}));
                if (!seq)
                    return seq.error();
                firstSeq = *seq;
                appended.release();
                release.acquire(); // holds the transaction open
                return {};
            });
            if (!s)
                appended.release(); // never leave the test waiting
        }));
        first->start();
        std::unique_ptr<QThread> second;
        // A failed check returns at once: let the threads finish rather than hang the test.
        const auto finish = qScopeGuard([&] {
            release.release();
            first->wait();
            if (second)
                second->wait();
        });
        QVERIFY(appended.tryAcquire(1, 10000));
        QVERIFY(firstSeq > 0);

        std::atomic<qint64> secondSeq = 0;
        second.reset(QThread::create([&] {
            (void)db->transaction([&](QSqlDatabase &c) -> Status {
                Result<qint64> seq = ChangeLogRepository(c).append(change({}));
                if (!seq)
                    return seq.error();
                secondSeq = *seq;
                return {};
            });
        }));
        second->start();
        // It must wait for the first transaction (SQLite: the write lock; PostgreSQL: the
        // change log's advisory lock). Without the lock it would be done in milliseconds.
        QVERIFY(!second->wait(300));
        QCOMPARE(
            ChangeLogRepository(db->connection()).since(0, 10, {Role::Admin, kMe})->changes.size(),
            0);

        release.release();
        QVERIFY(first->wait(10000));
        QVERIFY(second->wait(10000));
        QVERIFY2(secondSeq > firstSeq, qPrintable(u"%1 then %2"_s.arg(firstSeq).arg(secondSeq)));
        QCOMPARE(
            ChangeLogRepository(db->connection()).since(0, 10, {Role::Admin, kMe})->changes.size(),
            2);
    }

private:
    static Change change(const RowAudience &a)
    {
        Change c;
        c.entity = u"ticket"_s;
        c.entityId = u"t1"_s;
        c.op = ChangeOp::Created;
        c.data = QJsonObject {{u"id"_s, u"t1"_s}};
        c.customerId = a.customerId;
        c.technicianId = a.technicianId;
        c.userId = a.userId;
        c.internal = a.internal;
        c.createdAt = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
        return c;
    }

    std::unique_ptr<TestStore> m_store;
};

QTEST_GUILESS_MAIN(TstChangeLogRepository)
#include "tst_changelogrepository.moc"
