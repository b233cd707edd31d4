#include <store/sessionrepository.h>
#include <store/userrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

class TstSessionRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_seed = std::make_unique<Seeder>(*m_store->database());
    }

    void cleanup()
    {
        m_seed.reset();
        m_store.reset();
    }

    void findValidAnswersSessionAndUser()
    {
        const User user = m_seed->customer();
        SessionRepository sessions(m_store->connection());
        QVERIFY(sessions.create(u"h1"_s, user.id, m_t0, m_t0.addDays(30)));

        Result<std::optional<AuthenticatedSession>> found = sessions.findValid(u"h1"_s, m_t0);
        QVERIFY(found);
        QVERIFY(found->has_value());
        QCOMPARE((*found)->user.id, user.id);
        QCOMPARE((*found)->user.email, user.email);
        QCOMPARE((*found)->session.expiresAt, m_t0.addDays(30));
        QVERIFY(!sessions.findValid(u"other"_s, m_t0)->has_value());
    }

    void expiry_data()
    {
        QTest::addColumn<qint64>("offsetMs"); // of `now` from the expiry time
        QTest::addColumn<bool>("valid");
        QTest::newRow("1 ms before expiry") << qint64(-1) << true;
        QTest::newRow("at expiry") << qint64(0) << false;
        QTest::newRow("1 ms after expiry") << qint64(1) << false;
    }

    void expiry()
    {
        QFETCH(qint64, offsetMs);
        QFETCH(bool, valid);
        const User user = m_seed->customer();
        SessionRepository sessions(m_store->connection());
        const QDateTime expires = m_t0.addDays(30);
        QVERIFY(sessions.create(u"h"_s, user.id, m_t0, expires));
        QCOMPARE(sessions.findValid(u"h"_s, expires.addMSecs(offsetMs))->has_value(), valid);
    }

    void inactiveUserHasNoValidSession()
    {
        User user = m_seed->customer();
        SessionRepository sessions(m_store->connection());
        QVERIFY(sessions.create(u"h"_s, user.id, m_t0, m_t0.addDays(1)));
        user.active = false;
        QVERIFY(UserRepository(m_store->connection()).update(user, user.version));
        QVERIFY(!sessions.findValid(u"h"_s, m_t0)->has_value());
    }

    void touchWritesOnlyAfterTheInterval()
    {
        const User user = m_seed->customer();
        SessionRepository sessions(m_store->connection());
        QVERIFY(sessions.create(u"h"_s, user.id, m_t0, m_t0.addDays(1)));
        QCOMPARE(*sessions.touch(u"h"_s, m_t0.addSecs(30), 60000), false);
        QCOMPARE((*sessions.findValid(u"h"_s, m_t0))->session.lastSeenAt, m_t0);
        QCOMPARE(*sessions.touch(u"h"_s, m_t0.addSecs(61), 60000), true);
        QCOMPARE((*sessions.findValid(u"h"_s, m_t0))->session.lastSeenAt, m_t0.addSecs(61));
    }

    void revoke()
    {
        const User user = m_seed->customer();
        SessionRepository sessions(m_store->connection());
        QVERIFY(sessions.create(u"h"_s, user.id, m_t0, m_t0.addDays(1)));
        QCOMPARE(*sessions.revoke(u"h"_s), true);
        QCOMPARE(*sessions.revoke(u"h"_s), false);
        QVERIFY(!sessions.findValid(u"h"_s, m_t0)->has_value());
    }

    void revokeAllForUserKeepsTheNamedSessionAndOtherUsers()
    {
        const User alice = m_seed->customer();
        const User bob = m_seed->customer();
        SessionRepository sessions(m_store->connection());
        for (const char *hash : {"a1", "a2", "a3"})
            QVERIFY(sessions.create(QLatin1StringView(hash), alice.id, m_t0, m_t0.addDays(1)));
        QVERIFY(sessions.create(u"b1"_s, bob.id, m_t0, m_t0.addDays(1)));

        QCOMPARE(*sessions.revokeAllForUser(alice.id, u"a2"_s), 2);
        QVERIFY(!sessions.findValid(u"a1"_s, m_t0)->has_value());
        QVERIFY(sessions.findValid(u"a2"_s, m_t0)->has_value());
        QVERIFY(!sessions.findValid(u"a3"_s, m_t0)->has_value());
        QVERIFY(sessions.findValid(u"b1"_s, m_t0)->has_value());

        QCOMPARE(*sessions.revokeAllForUser(alice.id), 1);
        QVERIFY(!sessions.findValid(u"a2"_s, m_t0)->has_value());
        QVERIFY(sessions.findValid(u"b1"_s, m_t0)->has_value());
    }

    void purgeExpired()
    {
        const User user = m_seed->customer();
        SessionRepository sessions(m_store->connection());
        QVERIFY(sessions.create(u"old"_s, user.id, m_t0, m_t0.addSecs(10)));
        QVERIFY(sessions.create(u"new"_s, user.id, m_t0, m_t0.addDays(1)));
        QCOMPARE(*sessions.purgeExpired(m_t0.addSecs(10)), 1);
        QCOMPARE(*sessions.revoke(u"old"_s), false);
        QCOMPARE(*sessions.revoke(u"new"_s), true);
    }

private:
    const QDateTime m_t0 = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
};

QTEST_GUILESS_MAIN(TstSessionRepository)
#include "tst_sessionrepository.moc"
