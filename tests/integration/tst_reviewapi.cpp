// Reviews over real HTTP, on SQLite and PostgreSQL (spec §4 "With Review System"): only the
// booking's customer, only once, only when its completion is verified.
#include <support/bookingflow.h>
#include <support/testserver.h>

#include <domain/timeformat.h>

#include <QJsonArray>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_ReviewApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup();

    void reviewSystemBlocksReviewsUntilVerification();
    void reviewOfAVerifiedBooking();
    void onlyTheBookingsCustomerMayReview();
    void reviewAfterSupportOutcome_data();
    void reviewAfterSupportOutcome();
    void reviewRequestedOnceVerified();

private:
    TestClient::Reply review(TestClient &client, const QString &bookingId, int rating = 5);

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<BookingFlow> m_flow;
};

void tst_ReviewApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_flow = std::make_unique<BookingFlow>(*m_server);
}

void tst_ReviewApi::cleanup()
{
    m_flow.reset();
    m_server.reset();
}

TestClient::Reply tst_ReviewApi::review(TestClient &client, const QString &bookingId, int rating)
{
    return client.post(u"/bookings/" + bookingId + u"/reviews",
                       {{u"rating"_qs, rating}, {u"comment"_qs, u"Tidy and quick"_qs}});
}

void tst_ReviewApi::reviewSystemBlocksReviewsUntilVerification()
{
    // Before verification: completion requested, not yet answered.
    const QString id = BookingFlow::id(m_flow->completed());
    auto r = review(*m_flow->asCustomer, id);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("not_verified"));

    // After a rejection the booking is back in progress: blocked until it is resolved.
    m_flow->step(*m_flow->asCustomer, u"/bookings/" + id + u"/respond-completion",
                 {{u"approved"_qs, false}, {u"issues"_qs, u"Leaks"_qs}});
    r = review(*m_flow->asCustomer, id);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("not_verified"));

    // Resolved: the technician asks again and the customer approves.
    m_flow->step(*m_flow->asTechnician, u"/bookings/" + id + u"/request-completion");
    m_flow->step(*m_flow->asCustomer, u"/bookings/" + id + u"/respond-completion",
                 {{u"approved"_qs, true}});
    r = review(*m_flow->asCustomer, id, 4);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"rating").toInt(), 4);

    // Only once.
    r = review(*m_flow->asCustomer, id, 1);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("already_reviewed"));
    const auto booking = m_flow->asCustomer->get(u"/bookings/" + id).json;
    QCOMPARE(booking.value(u"review").toObject().value(u"rating").toInt(), 4);
}

void tst_ReviewApi::reviewOfAVerifiedBooking()
{
    const QJsonObject verified = m_flow->verified();
    const QString id = BookingFlow::id(verified);
    m_server->clock().advance(90);
    const auto r = review(*m_flow->asCustomer, id, 5);
    QCOMPARE(r.status, 201);
    QVERIFY(!r.json.value(u"id").toString().isEmpty());
    QCOMPARE(r.json.value(u"bookingId").toString(), id);
    QCOMPARE(r.json.value(u"customerId").toString(), m_flow->customer.user.id);
    QCOMPARE(r.json.value(u"technicianId").toString(), m_flow->technician.user.id);
    QCOMPARE(r.json.value(u"comment").toString(), QStringLiteral("Tidy and quick"));
    QCOMPARE(r.json.value(u"createdAt").toString(), toIsoUtc(m_server->clock().now()));

    // The booking carries it, with a new version, and the technician sees both.
    const auto booking = m_flow->asTechnician->get(u"/bookings/" + id);
    QCOMPARE(booking.json.value(u"review").toObject(), r.json);
    QCOMPARE(booking.json.value(u"version").toInt(), verified.value(u"version").toInt() + 1);
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, id),
             QStringList({"completion_approved", "review_received"}));

    // A comment is optional.
    const QString other = BookingFlow::id(m_flow->verified());
    QCOMPARE(
        m_flow->asCustomer->post(u"/bookings/" + other + u"/reviews", {{u"rating"_qs, 1}}).status,
        201);
}

void tst_ReviewApi::onlyTheBookingsCustomerMayReview()
{
    const QString id = BookingFlow::id(m_flow->verified());
    BookingFlow other(*m_server);
    QCOMPARE(review(*other.asCustomer, id).status, 404);
    QCOMPARE(review(*m_flow->asTechnician, id).status, 403);
    QCOMPARE(review(*m_flow->asAgent, id).status, 403);
    QCOMPARE(review(*m_flow->asCustomer, u"no-such-booking"_qs).status, 404);
    // None of those left a review behind.
    QCOMPARE(review(*m_flow->asCustomer, id).status, 201);
}

void tst_ReviewApi::reviewAfterSupportOutcome_data()
{
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<int>("status");
    QTest::newRow("customer_confirmed") << "customer_confirmed" << 201;
    QTest::newRow("auto_completed") << "auto_completed" << 201;
    QTest::newRow("customer_disputed") << "customer_disputed" << 409;
}

void tst_ReviewApi::reviewAfterSupportOutcome()
{
    QFETCH(QString, outcome);
    QFETCH(int, status);
    const QString id = BookingFlow::id(m_flow->followedUp());
    m_flow->step(*m_flow->asAgent, u"/bookings/" + id + u"/complete-by-support",
                 {{u"outcome"_qs, outcome}});
    const auto r = review(*m_flow->asCustomer, id);
    QCOMPARE(r.status, status);
    if (status == 409)
        QCOMPARE(r.errorCode(), QStringLiteral("not_verified"));
}

void tst_ReviewApi::reviewRequestedOnceVerified()
{
    const QString id = BookingFlow::id(m_flow->completed());
    QVERIFY(
        !BookingFlow::notificationTypes(*m_flow->asCustomer, id).contains(u"review_requested"_qs));
    m_flow->step(*m_flow->asCustomer, u"/bookings/" + id + u"/respond-completion",
                 {{u"approved"_qs, true}});
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asCustomer, id).count(u"review_requested"_qs),
             1);
}

QTEST_GUILESS_MAIN(tst_ReviewApi)
#include "tst_reviewapi.moc"
