// The delivery queue on SQLite and PostgreSQL: due order, leases, only the owner settles, and two
// claimers (two server instances) never get the same delivery.
#include <store/deliveryrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QScopeGuard>
#include <QSemaphore>
#include <QSet>
#include <QThread>
#include <QtTest/QTest>

#include <atomic>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

class TstDeliveryRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_user = Seeder(*m_store->database()).customer();
    }

    void cleanup() { m_store.reset(); }

    void claimsDueDeliveriesOfOneChannelOldestFirst()
    {
        const QString late = enqueue(DeliveryChannel::Email, m_t0.addSecs(20));
        const QString early = enqueue(DeliveryChannel::Email, m_t0.addSecs(10));
        enqueue(DeliveryChannel::Email, m_t0.addSecs(3600)); // not due yet
        enqueue(DeliveryChannel::Sms, m_t0); // another channel

        const auto claimed = claim(DeliveryChannel::Email, m_t0.addSecs(60), 10, u"a"_s);
        QCOMPARE(ids(claimed), (QStringList {early, late}));
        QCOMPARE(claimed.first().recipient, u"someone@example.com"_s);
        QCOMPARE(claimed.first().subject, u"Subject"_s);
        QCOMPARE(toString(claimed.first().status), u"pending"_s);
        // Limit respected.
        enqueue(DeliveryChannel::Sms, m_t0);
        QCOMPARE(claim(DeliveryChannel::Sms, m_t0, 1, u"a"_s).size(), 1);
    }

    void enqueueAllQueuesEveryOneInFewStatements()
    {
        // More than one statement's worth on either store (500 or 5,000 values a statement).
        QList<NotificationDelivery> batch;
        for (int i = 0; i < 620; ++i) {
            NotificationDelivery d;
            d.userId = m_user.id;
            d.channel = i % 2 ? DeliveryChannel::Sms : DeliveryChannel::Email;
            d.recipient = u"r%1"_s.arg(i);
            d.body = u"Body %1"_s.arg(i);
            d.createdAt = m_t0.addMSecs(i);
            batch << d;
        }
        QVERIFY(DeliveryRepository(m_store->connection()).enqueueAll(batch));
        QSet<QString> ids;
        for (const NotificationDelivery &d : std::as_const(batch))
            ids.insert(d.id);
        QCOMPARE(ids.size(), 620);
        const auto email = claim(DeliveryChannel::Email, m_t0.addSecs(60), 1000, u"a"_s);
        const auto sms = claim(DeliveryChannel::Sms, m_t0.addSecs(60), 1000, u"a"_s);
        QCOMPARE(email.size(), 310);
        QCOMPARE(sms.size(), 310);
        // Due at creation when no time is given, oldest first, each with its own text.
        QCOMPARE(email.first().nextAttemptAt, m_t0);
        QCOMPARE(email.first().recipient, u"r0"_s);
        QCOMPARE(sms.last().body, u"Body 619"_s);
        QCOMPARE(toString(sms.last().status), u"pending"_s);
    }

    void aLeaseKeepsOthersOutUntilItEnds()
    {
        const QString id = enqueue(DeliveryChannel::Email, m_t0);
        QCOMPARE(ids(claim(DeliveryChannel::Email, m_t0, 10, u"a"_s, 60000)), QStringList {id});
        QVERIFY(claim(DeliveryChannel::Email, m_t0.addSecs(59), 10, u"b"_s).isEmpty());
        // The owner died: after its lease, another takes over, and the old owner can no longer
        // settle it.
        QCOMPARE(ids(claim(DeliveryChannel::Email, m_t0.addSecs(60), 10, u"b"_s)),
                 QStringList {id});
        DeliveryRepository repo(m_store->connection());
        QCOMPARE(*repo.markSent(id, u"a"_s, m_t0.addSecs(61)), false);
        QCOMPARE(*repo.markSent(id, u"b"_s, m_t0.addSecs(61)), true);
        QCOMPARE(*repo.markSent(id, u"b"_s, m_t0.addSecs(62)), false); // settled once
        const NotificationDelivery d = read(id);
        QCOMPARE(toString(d.status), u"sent"_s);
        QCOMPARE(d.attempts, 1);
        QCOMPARE(d.sentAt, m_t0.addSecs(61));
    }

    void failuresRetryLaterOrGiveUp()
    {
        const QString id = enqueue(DeliveryChannel::Sms, m_t0);
        DeliveryRepository repo(m_store->connection());
        QCOMPARE(claim(DeliveryChannel::Sms, m_t0, 10, u"a"_s).size(), 1);
        QVERIFY(*repo.markFailed(id, u"a"_s, m_t0.addSecs(30), u"HTTP 503"_s));
        NotificationDelivery d = read(id);
        QCOMPARE(toString(d.status), u"pending"_s);
        QCOMPARE(d.attempts, 1);
        QCOMPARE(d.nextAttemptAt, m_t0.addSecs(30));
        QCOMPARE(d.lastError, u"HTTP 503"_s);
        QVERIFY(claim(DeliveryChannel::Sms, m_t0.addSecs(29), 10, u"a"_s).isEmpty());

        QCOMPARE(claim(DeliveryChannel::Sms, m_t0.addSecs(30), 10, u"a"_s).size(), 1);
        QVERIFY(*repo.markFailed(id, u"a"_s, std::nullopt, u"HTTP 400"_s));
        d = read(id);
        QCOMPARE(toString(d.status), u"failed"_s);
        QCOMPARE(d.attempts, 2);
        QVERIFY(claim(DeliveryChannel::Sms, m_t0.addDays(10), 10, u"a"_s).isEmpty());

        const auto counts = repo.counts();
        QVERIFY(counts);
        QCOMPARE(counts->failed, 1);
        QCOMPARE(counts->pending, 0);
    }

    void releaseGivesClaimsBack()
    {
        enqueue(DeliveryChannel::Email, m_t0);
        enqueue(DeliveryChannel::Email, m_t0);
        QCOMPARE(claim(DeliveryChannel::Email, m_t0, 10, u"a"_s, 600000).size(), 2);
        QVERIFY(DeliveryRepository(m_store->connection()).release(u"a"_s));
        QCOMPARE(claim(DeliveryChannel::Email, m_t0, 10, u"b"_s).size(), 2);
    }

    // Two instances claiming at once, over and over, until the queue is empty: every delivery
    // is claimed exactly once.
    void concurrentClaimersNeverShareADelivery()
    {
        constexpr int kCount = 200;
        for (int i = 0; i < kCount; ++i)
            enqueue(DeliveryChannel::Email, m_t0);
        std::shared_ptr<Database> db = m_store->database();
        QStringList claimedBy[2];
        std::atomic_bool failed = false;
        const auto worker = [&](int n) {
            const QString owner = u"instance-%1"_s.arg(n);
            for (;;) {
                const auto claimed = db->transaction([&](QSqlDatabase &c) {
                    return DeliveryRepository(c).claimDue(DeliveryChannel::Email, m_t0, 3, owner,
                                                          600000);
                });
                if (!claimed) {
                    failed = true;
                    return;
                }
                if (claimed->isEmpty())
                    return;
                for (const NotificationDelivery &d : *claimed) {
                    claimedBy[n] << d.id;
                    const auto sent = db->transaction([&](QSqlDatabase &c) {
                        return DeliveryRepository(c).markSent(d.id, owner, m_t0);
                    });
                    if (!sent || !*sent)
                        failed = true;
                }
            }
        };
        std::unique_ptr<QThread> a(QThread::create(worker, 0));
        std::unique_ptr<QThread> b(QThread::create(worker, 1));
        a->start();
        b->start();
        QVERIFY(a->wait(60000));
        QVERIFY(b->wait(60000));
        QVERIFY(!failed);
        const QSet<QString> first(claimedBy[0].cbegin(), claimedBy[0].cend());
        const QSet<QString> second(claimedBy[1].cbegin(), claimedBy[1].cend());
        QCOMPARE(first.size(), claimedBy[0].size());
        QCOMPARE(second.size(), claimedBy[1].size());
        QVERIFY(!first.intersects(second));
        QCOMPARE(first.size() + second.size(), kCount);
        QCOMPARE(DeliveryRepository(m_store->connection()).counts()->sent, kCount);
    }

    // While one instance's claim is still uncommitted, another does not wait for it on
    // PostgreSQL (SKIP LOCKED) and takes the other rows; SQLite has a single writer, so the
    // second waits, then sees the first one's claims.
    void aClaimInProgressIsSkipped()
    {
        enqueue(DeliveryChannel::Email, m_t0);
        enqueue(DeliveryChannel::Email, m_t0);
        std::shared_ptr<Database> db = m_store->database();
        QSemaphore claimedFirst;
        QSemaphore release;
        int firstCount = 0;
        std::unique_ptr<QThread> first(QThread::create([&] {
            const auto s = db->transaction([&](QSqlDatabase &c) -> Status {
                const auto claimed = DeliveryRepository(c).claimDue(DeliveryChannel::Email, m_t0, 1,
                                                                    u"a"_s, 600000);
                if (!claimed)
                    return claimed.error();
                firstCount = int(claimed->size());
                claimedFirst.release();
                release.acquire(); // holds the transaction open
                return {};
            });
            if (!s)
                claimedFirst.release();
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
        QVERIFY(claimedFirst.tryAcquire(1, 10000));
        QCOMPARE(firstCount, 1);

        std::atomic_int secondCount = -1;
        second.reset(QThread::create([&] {
            const auto claimed = db->transaction([&](QSqlDatabase &c) {
                return DeliveryRepository(c).claimDue(DeliveryChannel::Email, m_t0, 10, u"b"_s,
                                                      600000);
            });
            secondCount = claimed ? int(claimed->size()) : -2;
        }));
        second->start();
        if (m_store->dialect() == Dialect::Postgres) {
            QVERIFY(second->wait(5000)); // did not wait for the first
            QCOMPARE(secondCount.load(), 1);
            release.release();
        } else {
            QVERIFY(!second->wait(300)); // the write lock
            release.release();
            QVERIFY(second->wait(10000));
            QCOMPARE(secondCount.load(), 1);
        }
        QVERIFY(first->wait(10000));
    }

private:
    QString enqueue(DeliveryChannel channel, const QDateTime &due)
    {
        NotificationDelivery d;
        d.userId = m_user.id;
        d.channel = channel;
        d.recipient
            = channel == DeliveryChannel::Email ? u"someone@example.com"_s : u"+15551234567"_s;
        d.subject = u"Subject"_s;
        d.body = u"Body"_s;
        d.createdAt = m_t0;
        d.nextAttemptAt = due;
        const auto saved = DeliveryRepository(m_store->connection()).enqueue(d);
        if (!saved) {
            QTest::qFail(qPrintable(saved.error().message), __FILE__, __LINE__);
            return {};
        }
        return saved->id;
    }

    QList<NotificationDelivery> claim(DeliveryChannel channel, const QDateTime &now, int limit,
                                      const QString &owner, qint64 leaseMs = 60000)
    {
        const auto claimed = m_store->database()->transaction([&](QSqlDatabase &db) {
            return DeliveryRepository(db).claimDue(channel, now, limit, owner, leaseMs);
        });
        if (!claimed) {
            QTest::qFail(qPrintable(claimed.error().message), __FILE__, __LINE__);
            return {};
        }
        return *claimed;
    }

    NotificationDelivery read(const QString &id)
    {
        const auto found = DeliveryRepository(m_store->connection()).find(id);
        return found && *found ? **found : NotificationDelivery {};
    }

    static QStringList ids(const QList<NotificationDelivery> &deliveries)
    {
        QStringList out;
        for (const NotificationDelivery &d : deliveries)
            out << d.id;
        return out;
    }

    std::unique_ptr<TestStore> m_store;
    User m_user;
    const QDateTime m_t0 = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
};

QTEST_GUILESS_MAIN(TstDeliveryRepository)
#include "tst_deliveryrepository.moc"
