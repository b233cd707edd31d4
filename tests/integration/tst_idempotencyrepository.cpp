#include <store/idempotencyrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QScopeGuard>
#include <QSemaphore>
#include <QThread>
#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

class TstIdempotencyRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init() { SB_CREATE_TEST_STORE(m_store); }

    void cleanup() { m_store.reset(); }

    void storeThenFind()
    {
        IdempotencyRepository keys(m_store->connection());
        const IdempotencyRecord stored = record(u"u1"_s, u"k1"_s, m_t0);
        QVERIFY(keys.store(stored));

        Result<std::optional<IdempotencyRecord>> found = keys.find(u"u1"_s, u"k1"_s);
        QVERIFY(found);
        QVERIFY(found->has_value());
        const IdempotencyRecord &r = **found;
        QCOMPARE(r.method, stored.method);
        QCOMPARE(r.path, stored.path);
        QCOMPARE(r.requestHash, stored.requestHash);
        QCOMPARE(r.statusCode, 201);
        QCOMPARE(r.responseBody, stored.responseBody);
        QCOMPARE(r.createdAt, m_t0);
    }

    void keysArePerCaller()
    {
        IdempotencyRepository keys(m_store->connection());
        QVERIFY(keys.store(record(u"u1"_s, u"k"_s, m_t0)));
        QVERIFY(!keys.find(u"u2"_s, u"k"_s)->has_value());
        QVERIFY(keys.store(record(u"u2"_s, u"k"_s, m_t0)));
    }

    void duplicateIsACleanConflict()
    {
        IdempotencyRepository keys(m_store->connection());
        QVERIFY(keys.store(record(u"u1"_s, u"k"_s, m_t0)));
        IdempotencyRecord again = record(u"u1"_s, u"k"_s, m_t0.addSecs(1));
        again.statusCode = 500;
        const Status second = keys.store(again);
        QVERIFY(!second);
        QCOMPARE(second.error().code, u"idempotency_conflict"_s);
        QCOMPARE((*keys.find(u"u1"_s, u"k"_s))->statusCode, 201); // the first answer stays
    }

    // The duplicate arrives inside a transaction that goes on afterwards: a clean error must not
    // have aborted it (on PostgreSQL a failed statement would poison the transaction).
    void duplicateInsideATransactionLeavesItUsable()
    {
        QVERIFY(IdempotencyRepository(m_store->connection()).store(record(u"u1"_s, u"k"_s, m_t0)));
        Status s = m_store->database()->transaction([&](QSqlDatabase &db) -> Status {
            IdempotencyRepository keys(db);
            const Status dup = keys.store(record(u"u1"_s, u"k"_s, m_t0));
            if (dup || dup.error().code != u"idempotency_conflict")
                return Error::make(u"test"_s, u"expected a conflict"_s);
            return keys.store(record(u"u1"_s, u"k2"_s, m_t0));
        });
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        QVERIFY(IdempotencyRepository(m_store->connection()).find(u"u1"_s, u"k2"_s)->has_value());
    }

    // Two requests with one key at once: the second waits for the first to commit, then gets
    // the clean conflict (the server then answers the stored response), not a driver error.
    void concurrentDuplicateIsACleanConflict()
    {
        std::shared_ptr<Database> db = m_store->database();
        QSemaphore stored;
        QSemaphore release;
        std::unique_ptr<QThread> first(QThread::create([&] {
            (void)db->transaction([&](QSqlDatabase &c) -> Status {
                const Status s = IdempotencyRepository(c).store(record(u"u1"_s, u"k"_s, m_t0));
                stored.release();
                release.acquire();
                return s;
            });
        }));
        QString secondError;
        std::unique_ptr<QThread> second(QThread::create([&] {
            const Status s = db->transaction([&](QSqlDatabase &c) -> Status {
                return IdempotencyRepository(c).store(record(u"u1"_s, u"k"_s, m_t0));
            });
            secondError = s ? u"stored twice"_s : s.error().code;
        }));
        const auto finish = qScopeGuard([&] {
            release.release();
            first->wait();
            second->wait();
        });
        first->start();
        QVERIFY(stored.tryAcquire(1, 10000));
        second->start();
        QVERIFY(!second->wait(300)); // waits for the first transaction
        release.release();
        QVERIFY(first->wait(10000));
        QVERIFY(second->wait(10000));
        QCOMPARE(secondError, u"idempotency_conflict"_s);
        QCOMPARE((*IdempotencyRepository(m_store->connection()).find(u"u1"_s, u"k"_s))->statusCode,
                 201);
    }

    void purgeOlderThan()
    {
        IdempotencyRepository keys(m_store->connection());
        QVERIFY(keys.store(record(u"u1"_s, u"old"_s, m_t0)));
        QVERIFY(keys.store(record(u"u1"_s, u"edge"_s, m_t0.addSecs(10))));
        QVERIFY(keys.store(record(u"u1"_s, u"new"_s, m_t0.addSecs(20))));
        QCOMPARE(*keys.purgeOlderThan(m_t0.addSecs(10)), 1);
        QVERIFY(!keys.find(u"u1"_s, u"old"_s)->has_value());
        QVERIFY(keys.find(u"u1"_s, u"edge"_s)->has_value());
        QVERIFY(keys.find(u"u1"_s, u"new"_s)->has_value());
    }

private:
    static IdempotencyRecord record(const QString &user, const QString &key, const QDateTime &at)
    {
        IdempotencyRecord r;
        r.userId = user;
        r.key = key;
        r.method = u"POST"_s;
        r.path = u"/api/v1/support/tickets"_s;
        r.requestHash = u"abc123"_s;
        r.statusCode = 201;
        r.responseBody = QByteArrayLiteral(R"({"id":"t1","subject":"Ünïcode ✓"})");
        r.createdAt = at;
        return r;
    }

    const QDateTime m_t0 = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    std::unique_ptr<TestStore> m_store;
};

QTEST_GUILESS_MAIN(TstIdempotencyRepository)
#include "tst_idempotencyrepository.moc"
