// The support dashboard over real HTTP, on SQLite and PostgreSQL: its figures for a known set
// of tickets, the from/to bounds, and who may see it.
#include <support/seeder.h>
#include <support/testserver.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_DashboardApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void supportAgentCanSeeDashboardWithAssignedTickets();
    void dashboardFollowsTicketsMadeThroughTheApi();
    void fromAndToBoundTheFigures();
    void emptyDeskHasNullAverages();
    void onlyAgentsSeeTheDashboard_data();
    void onlyAgentsSeeTheDashboard();
    void badBoundsAre400_data();
    void badBoundsAre400();

private:
    void seedDesk();

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_me;
    TestServer::Account m_colleague;
    // Tickets of January (the seeder's start) and of March.
    const QDateTime m_january = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);
    const QDateTime m_march = QDateTime(QDate(2026, 3, 2), QTime(9, 0), Qt::UTC);
};

void tst_DashboardApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_me = m_server->account(Role::Support, QStringLiteral("Me"));
    m_colleague = m_server->account(Role::Support, QStringLiteral("Colleague"));
}

// January: 4 live tickets (1 open unassigned urgent, 2 of mine, 1 of my colleague's) and
// 2 finished ones with response, resolution and CSAT. March: 1 finished ticket. Plus one overdue
// completion request.
void tst_DashboardApi::seedDesk()
{
    Seeder jan(m_server->database(), m_january);
    const User customer = jan.customer();
    jan.ticket(customer.id, [](Ticket &t) { t.priority = TicketPriority::Urgent; });
    jan.ticket(customer.id, [&](Ticket &t) {
        t.status = TicketStatus::Assigned;
        t.priority = TicketPriority::High;
        t.assignedTo = m_me.user.id;
    });
    jan.ticket(customer.id, [&](Ticket &t) {
        t.status = TicketStatus::InProgress;
        t.assignedTo = m_me.user.id;
    });
    jan.ticket(customer.id, [&](Ticket &t) {
        t.status = TicketStatus::Pending;
        t.priority = TicketPriority::Low;
        t.assignedTo = m_colleague.user.id;
    });
    // Responded after 30 and 90 minutes, resolved after 2 and 4 hours, rated 4 and 2; the
    // second missed its first-response target.
    const struct
    {
        int responseMinutes, resolutionMinutes, rating;
        bool breached;
        TicketStatus status;
    } done[]
        = {{30, 120, 4, false, TicketStatus::Resolved}, {90, 240, 2, true, TicketStatus::Closed}};
    for (const auto &d : done) {
        jan.ticket(customer.id, [&](Ticket &t) {
            t.status = d.status;
            t.assignedTo = m_me.user.id;
            t.sla.firstResponseDueAt = t.createdAt.addSecs(3600);
            t.sla.resolutionDueAt = t.createdAt.addDays(2);
            t.sla.firstResponseAt = t.createdAt.addSecs(60 * d.responseMinutes);
            t.sla.resolvedAt = t.createdAt.addSecs(60 * d.resolutionMinutes);
            t.sla.firstResponseBreached = d.breached;
            t.satisfaction = TicketSatisfaction {d.rating, QString(), t.sla.resolvedAt};
        });
    }

    Seeder mar(m_server->database(), m_march);
    mar.ticket(customer.id, [&](Ticket &t) {
        t.status = TicketStatus::Closed;
        t.priority = TicketPriority::High;
        t.sla.firstResponseDueAt = t.createdAt.addSecs(3600);
        t.sla.resolutionDueAt = t.createdAt.addDays(2);
        t.sla.firstResponseAt = t.createdAt.addSecs(60 * 10);
        t.sla.resolvedAt = t.createdAt.addSecs(60 * 60);
        t.satisfaction = TicketSatisfaction {5, QString(), t.sla.resolvedAt};
    });

    const User technician = jan.technician();
    const QDateTime now = m_server->clock().now();
    jan.booking(customer.id, [&](Booking &b) {
        b.technicianId = technician.id;
        b.status = BookingStatus::Completed;
        CompletionRequest cr;
        cr.requestedBy = technician.id;
        cr.requestedAt = now.addSecs(-50 * 3600);
        cr.escalationDeadline = now.addSecs(-2 * 3600);
        b.completionRequest = cr;
    });
    jan.booking(customer.id); // no completion request
}

void tst_DashboardApi::supportAgentCanSeeDashboardWithAssignedTickets()
{
    seedDesk();
    const auto r = m_server->client(m_me)->get(QStringLiteral("/support/dashboard"));
    QCOMPARE(r.status, 200);
    const QJsonObject d = r.json;
    QCOMPARE(d.value(u"activeTickets").toInt(), 4);
    QCOMPARE(d.value(u"unassignedTickets").toInt(), 1);
    QCOMPARE(d.value(u"urgentTickets").toInt(), 1);
    QCOMPARE(d.value(u"myActiveTickets").toInt(), 2);
    QCOMPARE(d.value(u"avgFirstResponseMinutes").toDouble(), (30.0 + 90 + 10) / 3);
    QCOMPARE(d.value(u"avgResolutionMinutes").toDouble(), (120.0 + 240 + 60) / 3);
    QCOMPARE(d.value(u"satisfactionAvg").toDouble(), (4.0 + 2 + 5) / 3);
    QCOMPARE(d.value(u"slaComplianceRate").toDouble(), 2.0 / 3);
    QCOMPARE(d.value(u"pendingCompletions").toInt(), 1);

    const QJsonObject byStatus = d.value(u"byStatus").toObject();
    QCOMPARE(byStatus.size(), 6); // every status, zeros included
    QCOMPARE(byStatus.value(u"open").toInt(), 1);
    QCOMPARE(byStatus.value(u"assigned").toInt(), 1);
    QCOMPARE(byStatus.value(u"in_progress").toInt(), 1);
    QCOMPARE(byStatus.value(u"pending").toInt(), 1);
    QCOMPARE(byStatus.value(u"resolved").toInt(), 1);
    QCOMPARE(byStatus.value(u"closed").toInt(), 2);
    const QJsonObject byPriority = d.value(u"byPriority").toObject();
    QCOMPARE(byPriority.size(), 4);
    QCOMPARE(byPriority.value(u"urgent").toInt(), 1);
    QCOMPARE(byPriority.value(u"high").toInt(), 2);
    QCOMPARE(byPriority.value(u"medium").toInt(), 3);
    QCOMPARE(byPriority.value(u"low").toInt(), 1);

    QHash<QString, QJsonObject> agents;
    for (const QJsonValue &v : d.value(u"agents").toArray())
        agents.insert(v.toObject().value(u"id").toString(), v.toObject());
    QCOMPARE(agents.size(), 2);
    QCOMPARE(agents.value(m_me.user.id).value(u"name").toString(), QStringLiteral("Me"));
    QCOMPARE(agents.value(m_me.user.id).value(u"availability").toString(),
             QStringLiteral("online"));
    QCOMPARE(agents.value(m_me.user.id).value(u"activeTickets").toInt(), 2);
    QCOMPARE(agents.value(m_colleague.user.id).value(u"activeTickets").toInt(), 1);

    // My colleague sees the same team figures and its own queue.
    const auto theirs = m_server->client(m_colleague)->get(QStringLiteral("/support/dashboard"));
    QCOMPARE(theirs.json.value(u"myActiveTickets").toInt(), 1);
    QCOMPARE(theirs.json.value(u"activeTickets").toInt(), 4);
    // An admin without tickets: the whole desk, an empty queue of its own.
    const auto admin = m_server->client(m_server->account(Role::Admin))
                           ->get(QStringLiteral("/support/dashboard"));
    QCOMPARE(admin.status, 200);
    QCOMPARE(admin.json.value(u"myActiveTickets").toInt(-1), 0);
    QCOMPARE(admin.json.value(u"activeTickets").toInt(), 4);
    QCOMPARE(admin.json.value(u"agents").toArray().size(), 3);
}

void tst_DashboardApi::dashboardFollowsTicketsMadeThroughTheApi()
{
    const auto customer = m_server->account(Role::Customer);
    auto asCustomer = m_server->client(customer);
    QStringList ids;
    for (const char *priority : {"urgent", "low", "medium"}) {
        const auto created = asCustomer->post(
            QStringLiteral("/support/tickets"),
            {{QStringLiteral("subject"), QStringLiteral("Payment fails")},
             {QStringLiteral("description"), QStringLiteral("The card is refused")},
             {QStringLiteral("category"), QStringLiteral("payment")},
             {QStringLiteral("priority"), QLatin1StringView(priority)}});
        QCOMPARE(created.status, 201);
        ids << created.json.value(u"id").toString();
    }
    auto me = m_server->client(m_me);
    for (const QString &id : ids.mid(0, 2)) {
        QCOMPARE(me->put(u"/support/tickets/" + id + u"/assign",
                         {{QStringLiteral("agentId"), m_me.user.id}})
                     .status,
                 200);
    }
    QCOMPARE(me->put(u"/support/tickets/" + ids.at(1) + u"/status",
                     {{QStringLiteral("status"), QStringLiteral("in_progress")}})
                 .status,
             200);

    const auto r = me->get(QStringLiteral("/support/dashboard"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"activeTickets").toInt(), 3);
    QCOMPARE(r.json.value(u"unassignedTickets").toInt(), 1);
    QCOMPARE(r.json.value(u"urgentTickets").toInt(), 1);
    QCOMPARE(r.json.value(u"myActiveTickets").toInt(), 2);
    QCOMPARE(r.json.value(u"byStatus").toObject().value(u"assigned").toInt(), 1);
    QCOMPARE(r.json.value(u"byStatus").toObject().value(u"in_progress").toInt(), 1);
    QCOMPARE(r.json.value(u"byStatus").toObject().value(u"open").toInt(), 1);
    // Every new ticket has due times and none is overdue yet.
    QCOMPARE(r.json.value(u"slaComplianceRate").toDouble(), 1.0);
    QVERIFY(r.json.value(u"avgFirstResponseMinutes").isNull()); // nobody has answered yet
    for (const QJsonValue &v : r.json.value(u"agents").toArray()) {
        const QJsonObject agent = v.toObject();
        const int expected = agent.value(u"id").toString() == m_me.user.id ? 2 : 0;
        QCOMPARE(agent.value(u"activeTickets").toInt(-1), expected);
    }
    QCOMPARE(m_server->client(m_colleague)
                 ->get(QStringLiteral("/support/dashboard"))
                 .json.value(u"myActiveTickets")
                 .toInt(-1),
             0);
    QCOMPARE(asCustomer->get(QStringLiteral("/support/dashboard")).status, 403);
}

void tst_DashboardApi::fromAndToBoundTheFigures()
{
    seedDesk();
    auto client = m_server->client(m_me);

    // March only: one closed ticket.
    const auto march = client->get(QStringLiteral("/support/dashboard?from=2026-03-01T00:00:00Z"));
    QCOMPARE(march.status, 200);
    QCOMPARE(march.json.value(u"byStatus").toObject().value(u"closed").toInt(), 1);
    QCOMPARE(march.json.value(u"byStatus").toObject().value(u"open").toInt(-1), 0);
    QCOMPARE(march.json.value(u"avgFirstResponseMinutes").toDouble(), 10.0);
    QCOMPARE(march.json.value(u"satisfactionAvg").toDouble(), 5.0);
    QCOMPARE(march.json.value(u"slaComplianceRate").toDouble(), 1.0);
    // The live queue is not bounded by the range.
    QCOMPARE(march.json.value(u"activeTickets").toInt(), 4);
    QCOMPARE(march.json.value(u"myActiveTickets").toInt(), 2);

    // January only; `to` is exclusive.
    const auto january = client->get(
        QStringLiteral("/support/dashboard?from=2026-01-01T00:00:00Z&to=2026-03-02T09:00:00Z"));
    QCOMPARE(january.status, 200);
    QCOMPARE(january.json.value(u"byStatus").toObject().value(u"closed").toInt(), 1);
    QCOMPARE(january.json.value(u"byStatus").toObject().value(u"open").toInt(), 1);
    QCOMPARE(january.json.value(u"avgFirstResponseMinutes").toDouble(), 60.0);
    QCOMPARE(january.json.value(u"slaComplianceRate").toDouble(), 0.5);

    // A range with nothing in it: counts are zero, averages null.
    const auto none = client->get(QStringLiteral("/support/dashboard?to=2025-01-01T00:00:00Z"));
    QCOMPARE(none.status, 200);
    QCOMPARE(none.json.value(u"byPriority").toObject().value(u"high").toInt(-1), 0);
    QVERIFY(none.json.value(u"avgResolutionMinutes").isNull());
    QVERIFY(none.json.value(u"satisfactionAvg").isNull());
}

void tst_DashboardApi::emptyDeskHasNullAverages()
{
    const auto r = m_server->client(m_me)->get(QStringLiteral("/support/dashboard"));
    QCOMPARE(r.status, 200);
    for (const char *key : {"activeTickets", "unassignedTickets", "urgentTickets",
                            "myActiveTickets", "pendingCompletions"}) {
        QVERIFY2(r.json.value(QLatin1StringView(key)).isDouble(), key);
        QCOMPARE(r.json.value(QLatin1StringView(key)).toInt(-1), 0);
    }
    for (const char *key : {"avgFirstResponseMinutes", "avgResolutionMinutes", "satisfactionAvg",
                            "slaComplianceRate"}) {
        QVERIFY2(r.json.contains(QLatin1StringView(key)), key);
        QVERIFY2(r.json.value(QLatin1StringView(key)).isNull(), key);
    }
}

void tst_DashboardApi::onlyAgentsSeeTheDashboard_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("expected");
    QTest::newRow("customer") << int(Role::Customer) << 403;
    QTest::newRow("technician") << int(Role::Technician) << 403;
    QTest::newRow("support") << int(Role::Support) << 200;
    QTest::newRow("admin") << int(Role::Admin) << 200;
}

void tst_DashboardApi::onlyAgentsSeeTheDashboard()
{
    QFETCH(int, role);
    QFETCH(int, expected);
    const auto r = m_server->client(m_server->account(Role(role)))
                       ->get(QStringLiteral("/support/dashboard"));
    QCOMPARE(r.status, expected);
    if (expected == 403) {
        QCOMPARE(r.errorCode(), QStringLiteral("forbidden"));
        QVERIFY(!r.json.contains(u"activeTickets"));
    }
    QCOMPARE(m_server->anonymousClient()->get(QStringLiteral("/support/dashboard")).status, 401);
}

void tst_DashboardApi::badBoundsAre400_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("from not a time") << QStringLiteral("from=yesterday") << QStringLiteral("from");
    QTest::newRow("to not a time")
        << QStringLiteral("to=2026-13-01T00:00:00Z") << QStringLiteral("to");
    QTest::newRow("time without zone")
        << QStringLiteral("from=2026-01-01T00:00:00") << QStringLiteral("from");
    QTest::newRow("to before from")
        << QStringLiteral("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
        << QStringLiteral("to");
}

void tst_DashboardApi::badBoundsAre400()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    auto client = m_server->client(m_me);
    const auto r = client->get(u"/support/dashboard?" + query);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), field);
    QCOMPARE(client->get(QStringLiteral("/support/dashboard")).status, 200);
}

QTEST_GUILESS_MAIN(tst_DashboardApi)
#include "tst_dashboardapi.moc"
