// What the scheduler's jobs write through CompletionWorkflow (escalate, sendReminder,
// autoComplete), run by POST /admin/jobs/:name/run on SQLite and PostgreSQL with the fake clock:
// each does its work once, only when due, and the API then answers what it wrote.
#include <support/bookingflow.h>
#include <support/testserver.h>

#include <domain/timeformat.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_CompletionSteps : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup();

    void escalateOnceWithOneTicket();
    void escalateWaitsForTheDeadline();
    void initiateFollowUpTakesAnAutoEscalatedBooking();
    void reminderSentOnce();
    void autoCompleteNeedsDaysAndFailedAttempts_data();
    void autoCompleteNeedsDaysAndFailedAttempts();

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<BookingFlow> m_flow;
};

void tst_CompletionSteps::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_flow = std::make_unique<BookingFlow>(*m_server);
}

void tst_CompletionSteps::cleanup()
{
    m_flow.reset();
    m_server.reset();
}

void tst_CompletionSteps::escalateOnceWithOneTicket()
{
    const QString id = BookingFlow::id(m_flow->pastDeadline());
    const QDateTime now = m_server->clock().now();
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 1);
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob),
             0); // a second run changes nothing and sends nothing

    const QJsonObject b = m_flow->get(id);
    QCOMPARE(b.value(u"status").toString(), QStringLiteral("completed"));
    const QJsonObject cr = BookingFlow::completionOf(b);
    QCOMPARE(cr.value(u"status").toString(), QStringLiteral("escalated"));
    QCOMPARE(cr.value(u"autoEscalated").toBool(), true);
    const QJsonObject fu = cr.value(u"supportFollowUp").toObject();
    QCOMPARE(fu.value(u"initiated").toBool(), true);
    QCOMPARE(fu.value(u"initiatedAt").toString(), toIsoUtc(now));
    QVERIFY(fu.value(u"supportAgent").isNull());

    const QJsonArray tickets = m_flow->ticketsOf(id);
    QCOMPARE(tickets.size(), 1);
    QCOMPARE(tickets.at(0).toObject().value(u"priority").toString(), QStringLiteral("high"));
    QCOMPARE(tickets.at(0).toObject().value(u"category").toString(), QStringLiteral("booking"));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asCustomer, id),
             BookingFlow::sorted({"completion_requested", "completion_escalated"}));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asAgent, id),
             BookingFlow::sorted({"completion_escalated"}));
    QVERIFY(m_flow->pendingIds().contains(id));
    // The customer's socket learns of it too: the booking change is theirs.
    const auto changes = m_flow->asCustomer->get(QStringLiteral("/sync/changes?since=0"));
    bool seen = false;
    for (const QJsonValue &v : changes.json.value(u"changes").toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(u"entity").toString() == u"booking"
            && BookingFlow::completionOf(c.value(u"data").toObject()).value(u"status").toString()
                == u"escalated")
            seen = true;
    }
    QVERIFY(seen);
}

void tst_CompletionSteps::escalateWaitsForTheDeadline()
{
    const QJsonObject b = m_flow->completed();
    const QString id = BookingFlow::id(b);
    m_flow->moveToDeadline(b, -3600 * 1000); // 47 h after the request
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 0);
    QCOMPARE(BookingFlow::completionOf(m_flow->get(id)).value(u"status").toString(),
             QStringLiteral("pending"));
    m_flow->moveToDeadline(b, 3600 * 1000); // 49 h
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 1);
    QCOMPARE(m_flow->ticketsOf(id).size(), 1);
}

void tst_CompletionSteps::initiateFollowUpTakesAnAutoEscalatedBooking()
{
    const QString id = BookingFlow::id(m_flow->pastDeadline());
    const QDateTime escalatedAt = m_server->clock().now();
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 1);
    m_server->clock().advance(3600);
    const QJsonObject b
        = m_flow->step(*m_flow->asAgent, u"/bookings/" + id + u"/initiate-followup");
    const QJsonObject cr = BookingFlow::completionOf(b);
    QCOMPARE(cr.value(u"status").toString(), QStringLiteral("escalated"));
    QCOMPARE(cr.value(u"autoEscalated").toBool(), true);
    const QJsonObject fu = cr.value(u"supportFollowUp").toObject();
    QCOMPARE(fu.value(u"supportAgent").toString(), m_flow->agent.user.id);
    QCOMPARE(fu.value(u"initiatedAt").toString(), toIsoUtc(escalatedAt));
    QCOMPARE(m_flow->ticketsOf(id).size(), 1); // no second ticket
}

void tst_CompletionSteps::reminderSentOnce()
{
    const QJsonObject b = m_flow->completed();
    const QString id = BookingFlow::id(b);
    m_flow->moveToDeadline(b, -23 * 3600 * 1000);
    QCOMPARE(m_flow->runJob(BookingFlow::kReminderJob), 1);
    QCOMPARE(m_flow->runJob(BookingFlow::kReminderJob), 0);
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asCustomer, id),
             BookingFlow::sorted({"completion_requested", "completion_reminder"}));
    // The version moved with it, and the booking answers it.
    QCOMPARE(m_flow->get(id).value(u"version").toInt(), b.value(u"version").toInt() + 1);
}

void tst_CompletionSteps::autoCompleteNeedsDaysAndFailedAttempts_data()
{
    QTest::addColumn<int>("days");
    QTest::addColumn<int>("failed");
    QTest::addColumn<bool>("reached");
    QTest::addColumn<bool>("completes");
    QTest::newRow("8 days, 3 failed") << 8 << 3 << false << true;
    QTest::newRow("6 days, 3 failed") << 6 << 3 << false << false;
    QTest::newRow("8 days, 2 failed") << 8 << 2 << false << false;
    QTest::newRow("8 days, 3 failed, 1 reached") << 8 << 3 << true << false;
}

void tst_CompletionSteps::autoCompleteNeedsDaysAndFailedAttempts()
{
    QFETCH(int, days);
    QFETCH(int, failed);
    QFETCH(bool, reached);
    QFETCH(bool, completes);

    const QString id = BookingFlow::id(m_flow->pastDeadline());
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 1);
    for (int i = 0; i < failed; ++i)
        m_flow->logContact(id, false);
    if (reached)
        m_flow->logContact(id, true);
    m_server->clock().advance(qint64(days) * 24 * 3600);
    QCOMPARE(m_flow->runJob(BookingFlow::kAutoCompleteJob), completes ? 1 : 0);
    const QJsonObject b = m_flow->get(id);
    QCOMPARE(b.value(u"status").toString(),
             completes ? QStringLiteral("verified") : QStringLiteral("completed"));
    const QJsonObject cr = BookingFlow::completionOf(b);
    QCOMPARE(cr.value(u"status").toString(),
             completes ? QStringLiteral("auto_approved") : QStringLiteral("escalated"));
    if (completes) {
        const QJsonObject fu = cr.value(u"supportFollowUp").toObject();
        QCOMPARE(fu.value(u"outcome").toString(), QStringLiteral("unreachable"));
        QCOMPARE(fu.value(u"completedAt").toString(), toIsoUtc(m_server->clock().now()));
        QCOMPARE(m_flow->runJob(BookingFlow::kAutoCompleteJob), 0);
        QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, id),
                 BookingFlow::sorted({"auto_completed"}));
    }
}

QTEST_GUILESS_MAIN(tst_CompletionSteps)
#include "tst_completionsteps.moc"
