// The spec's three completion jobs (§3) as the scheduler runs them, driven by the fake clock and
// POST /admin/jobs/:name/run, with the boundaries of spec §6: 47 h vs 49 h, inside vs outside the
// reminder window, 2 vs 3 failed attempts, 6 vs 8 days, a customer answering just before the
// deadline, fractional hours. Observed as users see it: bookings, tickets and notifications.
#include <support/bookingflow.h>
#include <support/seeder.h>
#include <support/testserver.h>

#include <domain/timeformat.h>

#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

using namespace sb;
using namespace sb::test;

namespace {

const QString kEscalate = QStringLiteral("autoEscalateCompletionRequests");
const QString kRemind = QStringLiteral("sendCompletionReminders");
const QString kAutoComplete = QStringLiteral("autoCompleteUnreachable");

} // namespace

class tst_EscalationJobs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void autoEscalationWorksAfter48Hours_data();
    void autoEscalationWorksAfter48Hours();
    void remindersOnlyWithin24HoursOfTheDeadline_data();
    void remindersOnlyWithin24HoursOfTheDeadline();
    void autoCompleteWorksAfter7Days_data();
    void autoCompleteWorksAfter7Days();
    void customerAnsweringJustBeforeEscalationIsNotEscalated();
    void escalationHoursAcceptFractions();
    void escalatesEveryDueBookingBeyondOneBatch();
    void escalatedTicketsGoToTheLeastBusyOnlineAgents();
    void nobodyOnlineMeansOneDigestPerRun();

private:
    void startServer(const TestServer::Tweak &tweak = {});
    // Runs the job now as an admin; answers its `changed`, -1 when the run failed.
    int run(const QString &job);
    void advanceClock(qint64 seconds); // POST /admin/clock: the due jobs run
    QJsonObject booking(const QString &id);
    int ticketsFor(const QString &bookingId);
    int count(const QStringList &types, const QString &type) { return int(types.count(type)); }
    void setAvailability(TestClient &agent, const QString &status);
    // SELECT of one integer; :user bound when given.
    int scalar(const QString &sql, const QString &userId = {});
    // The escalation tickets (related to a booking) assigned to userId (empty: unassigned).
    int escalationTicketsOf(const QString &userId);
    // n pending completion requests of the flow's customer, 50 h past their request (due).
    void seedDueBookings(int n);

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_admin;
    std::unique_ptr<BookingFlow> m_flow;
};

void tst_EscalationJobs::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
}

void tst_EscalationJobs::init()
{
    startServer();
}

void tst_EscalationJobs::cleanup()
{
    m_flow.reset();
    m_admin.reset();
    m_server.reset();
}

void tst_EscalationJobs::startServer(const TestServer::Tweak &tweak)
{
    cleanup();
    QString error;
    m_server = TestServer::start(&error, tweak);
    QVERIFY2(m_server, qPrintable(error));
    m_admin = m_server->client(m_server->account(Role::Admin));
    setAvailability(*m_admin, QStringLiteral("offline")); // the flow's agent takes the tickets
    m_flow = std::make_unique<BookingFlow>(*m_server);
}

void tst_EscalationJobs::setAvailability(TestClient &agent, const QString &status)
{
    const auto reply = agent.put(QStringLiteral("/support/agents/me/availability"),
                                 {{QStringLiteral("status"), status}});
    QCOMPARE(reply.status, 200);
}

int tst_EscalationJobs::scalar(const QString &sql, const QString &userId)
{
    QSqlQuery q(m_server->database().connection());
    if (!q.prepare(sql))
        return -1;
    if (!userId.isEmpty())
        q.bindValue(QStringLiteral(":user"), userId);
    return q.exec() && q.next() ? q.value(0).toInt() : -1;
}

void tst_EscalationJobs::seedDueBookings(int n)
{
    const QDateTime now = m_server->clock().now();
    Seeder seed(m_server->database(), now.addDays(-3));
    for (int i = 0; i < n; ++i) {
        seed.awaitingCompletion(m_flow->customer.user.id, m_flow->technician.user.id,
                                now.addSecs(-50 * 3600 - i));
    }
}

int tst_EscalationJobs::escalationTicketsOf(const QString &userId)
{
    if (userId.isEmpty()) {
        return scalar(QStringLiteral("SELECT COUNT(*) FROM tickets WHERE related_booking IS NOT "
                                     "NULL AND assigned_to IS NULL"));
    }
    return scalar(QStringLiteral("SELECT COUNT(*) FROM tickets WHERE related_booking IS NOT NULL "
                                 "AND assigned_to = :user AND status = 'assigned'"),
                  userId);
}

int tst_EscalationJobs::run(const QString &job)
{
    const auto reply = m_admin->post(u"/admin/jobs/" + job + u"/run");
    if (reply.status != 200) {
        qWarning() << "running" << job << "answered" << reply.status << reply.body;
        return -1;
    }
    return reply.json.value(u"changed").toInt(-1);
}

void tst_EscalationJobs::advanceClock(qint64 seconds)
{
    const auto reply = m_admin->post(QStringLiteral("/admin/clock"),
                                     {{QStringLiteral("advanceSeconds"), seconds}});
    QCOMPARE(reply.status, 200);
}

QJsonObject tst_EscalationJobs::booking(const QString &id)
{
    const auto reply = m_flow->asAgent->get(u"/bookings/" + id);
    return reply.status == 200 ? reply.json : QJsonObject();
}

int tst_EscalationJobs::ticketsFor(const QString &bookingId)
{
    const auto reply = m_flow->asAgent->get(u"/support/tickets?booking=" + bookingId);
    return reply.status == 200 ? reply.json.value(u"total").toInt() : -1;
}

void tst_EscalationJobs::autoEscalationWorksAfter48Hours_data()
{
    QTest::addColumn<int>("hours");
    QTest::addColumn<bool>("escalated");
    QTest::newRow("47 h: still the customer's to answer") << 47 << false;
    QTest::newRow("49 h: escalated to support") << 49 << true;
}

void tst_EscalationJobs::autoEscalationWorksAfter48Hours()
{
    QFETCH(int, hours);
    QFETCH(bool, escalated);
    const QString id = BookingFlow::id(m_flow->completed());
    QVERIFY(!id.isEmpty());

    // The hourly job fires 47 or 49 times in the jump; it runs once, at the time reached.
    advanceClock(qint64(hours) * 3600);
    const QDateTime now = m_server->clock().now();

    const QJsonObject b = booking(id);
    const QJsonObject cr = BookingFlow::completionOf(b);
    const QJsonObject fu = BookingFlow::followUpOf(b);
    QCOMPARE(cr.value(u"status").toString(),
             escalated ? QStringLiteral("escalated") : QStringLiteral("pending"));
    QCOMPARE(cr.value(u"autoEscalated").toBool(), escalated);
    QCOMPARE(fu.value(u"initiated").toBool(), escalated);
    QVERIFY(fu.value(u"supportAgent").isNull()); // until an agent takes it
    if (escalated)
        QCOMPARE(parseIsoUtc(fu.value(u"initiatedAt").toString()).value_or(QDateTime()), now);
    QCOMPARE(ticketsFor(id), escalated ? 1 : 0);
    if (escalated) {
        const auto list = m_flow->asAgent->get(u"/support/tickets?booking=" + id);
        const QJsonObject ticket = list.json.value(u"items").toArray().first().toObject();
        QCOMPARE(ticket.value(u"priority").toString(), QStringLiteral("high"));
        QCOMPARE(ticket.value(u"customerId").toString(), m_flow->customer.user.id);
        // The one agent online has it, and alone hears of it (the admin is off duty).
        QCOMPARE(ticket.value(u"assignedTo").toString(), m_flow->agent.user.id);
        QCOMPARE(ticket.value(u"status").toString(), QStringLiteral("assigned"));
    }
    const QStringList customerSaw = BookingFlow::notificationTypes(*m_flow->asCustomer, id);
    const QStringList agentSaw = BookingFlow::notificationTypes(*m_flow->asAgent, id);
    QCOMPARE(count(customerSaw, QStringLiteral("completion_escalated")), escalated ? 1 : 0);
    QCOMPARE(count(agentSaw, QStringLiteral("completion_escalated")), escalated ? 1 : 0);
    QCOMPARE(
        count(BookingFlow::notificationTypes(*m_admin, id), QStringLiteral("completion_escalated")),
        0);

    // Idempotent: run again, and again through the clock: nothing more.
    QCOMPARE(run(kEscalate), 0);
    advanceClock(3600);
    QCOMPARE(ticketsFor(id), 1); // an hour on (50 h, or exactly 48 h) it is due either way
    QCOMPARE(run(kEscalate), 0);
    QCOMPARE(ticketsFor(id), 1);
    QCOMPARE(count(BookingFlow::notificationTypes(*m_flow->asCustomer, id),
                   QStringLiteral("completion_escalated")),
             1);
}

void tst_EscalationJobs::remindersOnlyWithin24HoursOfTheDeadline_data()
{
    QTest::addColumn<double>("hoursBeforeDeadline");
    QTest::addColumn<int>("reminders");
    QTest::newRow("25 h before: outside the window") << 25.0 << 0;
    QTest::newRow("23 h before: inside") << 23.0 << 1;
    QTest::newRow("1 minute before: inside") << 1.0 / 60 << 1;
    QTest::newRow("past the deadline: escalation's turn") << -0.5 << 0;
}

void tst_EscalationJobs::remindersOnlyWithin24HoursOfTheDeadline()
{
    QFETCH(double, hoursBeforeDeadline);
    QFETCH(int, reminders);
    const QJsonObject b = m_flow->completed();
    const QString id = BookingFlow::id(b);
    QVERIFY(!id.isEmpty());
    m_flow->moveToDeadline(b, -qint64(hoursBeforeDeadline * 3600 * 1000));

    QCOMPARE(run(kRemind), reminders);
    QCOMPARE(run(kRemind), 0); // sent once
    QCOMPARE(count(BookingFlow::notificationTypes(*m_flow->asCustomer, id),
                   QStringLiteral("completion_reminder")),
             reminders);
    // The reminder does not settle anything: the request still waits for the customer.
    QCOMPARE(BookingFlow::completionOf(booking(id)).value(u"status").toString(),
             QStringLiteral("pending"));
}

void tst_EscalationJobs::autoCompleteWorksAfter7Days_data()
{
    QTest::addColumn<int>("failedAttempts");
    QTest::addColumn<bool>("reachedOnce");
    QTest::addColumn<double>("days");
    QTest::addColumn<bool>("completes");
    QTest::newRow("3 failed, 8 days: completed") << 3 << false << 8.0 << true;
    QTest::newRow("2 failed, 8 days: too few attempts") << 2 << false << 8.0 << false;
    QTest::newRow("3 failed, 6 days: too early") << 3 << false << 6.0 << false;
    QTest::newRow("3 failed and 1 reached, 8 days: the customer answered")
        << 3 << true << 8.0 << false;
}

void tst_EscalationJobs::autoCompleteWorksAfter7Days()
{
    QFETCH(int, failedAttempts);
    QFETCH(bool, reachedOnce);
    QFETCH(double, days);
    QFETCH(bool, completes);
    const QJsonObject requested = m_flow->completed();
    const QString id = BookingFlow::id(requested);
    QVERIFY(!id.isEmpty());
    m_flow->moveToDeadline(requested, 1000);
    QCOMPARE(run(kEscalate), 1);
    const QDateTime initiatedAt = m_server->clock().now();
    for (int i = 0; i < failedAttempts; ++i)
        QVERIFY(!m_flow->logContact(id, false).isEmpty());
    if (reachedOnce)
        QVERIFY(!m_flow->logContact(id, true, QStringLiteral("sms")).isEmpty());

    m_server->clock().set(initiatedAt.addSecs(qint64(days * 86400)));
    QCOMPARE(run(kAutoComplete), completes ? 1 : 0);
    QCOMPARE(run(kAutoComplete), 0);

    const QJsonObject b = booking(id);
    const QJsonObject fu = BookingFlow::followUpOf(b);
    QCOMPARE(b.value(u"status").toString(),
             completes ? QStringLiteral("verified") : QStringLiteral("completed"));
    if (completes) {
        QCOMPARE(fu.value(u"outcome").toString(), QStringLiteral("unreachable"));
        QCOMPARE(parseIsoUtc(fu.value(u"completedAt").toString()).value_or(QDateTime()),
                 m_server->clock().now());
    } else {
        QVERIFY(fu.value(u"outcome").isNull());
    }
    QCOMPARE(count(BookingFlow::notificationTypes(*m_flow->asCustomer, id),
                   QStringLiteral("auto_completed")),
             completes ? 1 : 0);
}

void tst_EscalationJobs::customerAnsweringJustBeforeEscalationIsNotEscalated()
{
    const QJsonObject requested = m_flow->completed();
    const QString id = BookingFlow::id(requested);
    QVERIFY(!id.isEmpty());
    m_flow->moveToDeadline(requested, -60 * 1000);
    QVERIFY(!m_flow
                 ->step(*m_flow->asCustomer, u"/bookings/" + id + u"/respond-completion",
                        {{QStringLiteral("approved"), true}})
                 .isEmpty());

    advanceClock(2 * 3600); // the hourly job runs past the deadline
    QCOMPARE(run(kEscalate), 0);
    const QJsonObject b = booking(id);
    QCOMPARE(b.value(u"status").toString(), QStringLiteral("verified"));
    QCOMPARE(BookingFlow::completionOf(b).value(u"status").toString(), QStringLiteral("approved"));
    QCOMPARE(BookingFlow::completionOf(b).value(u"autoEscalated").toBool(), false);
    QCOMPARE(ticketsFor(id), 0);
    QCOMPARE(count(BookingFlow::notificationTypes(*m_flow->asCustomer, id),
                   QStringLiteral("completion_escalated")),
             0);
}

void tst_EscalationJobs::escalationHoursAcceptFractions()
{
    // COMPLETION_ESCALATION_HOURS=0.01: 36 seconds.
    startServer([](server::ServerSettings &s) {
        QVERIFY(s.apply({{QStringLiteral("COMPLETION_ESCALATION_HOURS"), QStringLiteral("0.01")}}));
    });
    const QString id = BookingFlow::id(m_flow->completed());
    QVERIFY(!id.isEmpty());
    m_server->clock().advance(35);
    QCOMPARE(run(kEscalate), 0);
    m_server->clock().advance(2);
    QCOMPARE(run(kEscalate), 1);
    QCOMPARE(ticketsFor(id), 1);
}

void tst_EscalationJobs::escalatesEveryDueBookingBeyondOneBatch()
{
    // More due bookings than one batch (200), written straight into the store.
    constexpr int kBookings = 205;
    seedDueBookings(kBookings);
    QCOMPARE(run(kEscalate), kBookings);
    QCOMPARE(run(kEscalate), 0);

    QSqlQuery q(m_server->database().connection());
    QVERIFY(
        q.exec(QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT related_booking) FROM tickets")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), kBookings);
    QCOMPARE(q.value(1).toInt(), kBookings);
    QVERIFY(q.prepare(QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT entity_id) FROM "
                                     "notifications WHERE type = 'completion_escalated' AND "
                                     "user_id = :customer")));
    q.bindValue(QStringLiteral(":customer"), m_flow->customer.user.id);
    QVERIFY(q.exec());
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), kBookings);
    QCOMPARE(q.value(1).toInt(), kBookings);
}

void tst_EscalationJobs::escalatedTicketsGoToTheLeastBusyOnlineAgents()
{
    // Online: the flow's agent with two active tickets already, and two idle agents; one more
    // agent is offline, and so is the admin.
    const TestServer::Account busy = m_flow->agent;
    const TestServer::Account idle1 = m_server->account(Role::Support);
    const TestServer::Account idle2 = m_server->account(Role::Support);
    const TestServer::Account away = m_server->account(Role::Support);
    setAvailability(*m_server->client(away), QStringLiteral("offline"));
    Seeder seed(m_server->database(), m_server->clock().now().addDays(-3));
    for (int i = 0; i < 2; ++i) {
        seed.ticket(m_flow->customer.user.id, [&](Ticket &t) {
            t.status = TicketStatus::InProgress;
            t.assignedTo = busy.user.id;
        });
    }
    constexpr int kBookings = 7;
    seedDueBookings(kBookings);
    QCOMPARE(run(kEscalate), kBookings);

    // Fewest active tickets first, counting the run's own: the idle two reach two each, then
    // each of the three takes one more (2+1, 0+3, 0+3).
    QCOMPARE(escalationTicketsOf(busy.user.id), 1);
    QCOMPARE(escalationTicketsOf(idle1.user.id), 3);
    QCOMPARE(escalationTicketsOf(idle2.user.id), 3);
    QCOMPARE(escalationTicketsOf(away.user.id), 0);
    QCOMPARE(escalationTicketsOf(QString()), 0);
    // Each booking's "follow-up needed" goes to its ticket's agent, and to nobody else.
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications n JOIN tickets t ON "
                                   "t.related_booking = n.entity_id AND t.assigned_to = n.user_id "
                                   "WHERE n.type = 'completion_escalated'")),
             kBookings);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications WHERE type = "
                                   "'completion_escalated' AND user_id <> :user"),
                    m_flow->customer.user.id),
             kBookings);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications WHERE type = "
                                   "'completion_escalated' AND user_id = :user"),
                    m_flow->customer.user.id),
             kBookings);
    // What each agent sees: its own tickets' notifications.
    QCOMPARE(count(BookingFlow::notificationTypes(*m_server->client(idle1), QString()),
                   QStringLiteral("completion_escalated")),
             0); // none without a booking: no digest when someone was online
    const auto inbox = m_server->client(idle1)->get(QStringLiteral("/notifications?limit=100"));
    QCOMPARE(inbox.json.value(u"total").toInt(), 3);
}

void tst_EscalationJobs::nobodyOnlineMeansOneDigestPerRun()
{
    setAvailability(*m_flow->asAgent, QStringLiteral("away"));
    const TestServer::Account other = m_server->account(Role::Support);
    setAvailability(*m_server->client(other), QStringLiteral("offline"));
    // More than one batch (200), so that "per run" is not "per batch".
    constexpr int kBookings = 205;
    seedDueBookings(kBookings);
    QCOMPARE(run(kEscalate), kBookings);
    QCOMPARE(escalationTicketsOf(QString()), kBookings);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM tickets WHERE status = 'open'")),
             kBookings);

    // Every active agent and admin: one notification for the run, about no booking in particular.
    for (TestClient *client : {m_flow->asAgent.get(), m_admin.get()}) {
        const auto inbox = client->get(QStringLiteral("/notifications?limit=100"));
        QCOMPARE(inbox.status, 200);
        const QJsonArray items = inbox.json.value(u"items").toArray();
        QCOMPARE(items.size(), 1);
        const QJsonObject digest = items.first().toObject();
        QCOMPARE(digest.value(u"type").toString(), QStringLiteral("completion_escalated"));
        QCOMPARE(digest.value(u"title").toString(),
                 QStringLiteral("205 completion requests escalated"));
        QVERIFY(digest.value(u"entityId").isNull());
    }
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications WHERE user_id = :user"),
                    other.user.id),
             1);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications WHERE type = "
                                   "'completion_escalated' AND user_id = :user"),
                    m_flow->customer.user.id),
             kBookings);

    // Nothing due: no digest either.
    QCOMPARE(run(kEscalate), 0);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications WHERE user_id = :user"),
                    other.user.id),
             1);
}

QTEST_GUILESS_MAIN(tst_EscalationJobs)
#include "tst_escalationjobs.moc"
