// SLA tracking of tickets over real HTTP, on SQLite and PostgreSQL, with the server's fake
// business clock: due times per priority, first response, breach flags without any job having
// run, the pause while pending, priority changes.
#include "tickettestkit.h"

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_TicketSla : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void slaTrackingWorks_data();
    void slaTrackingWorks();
    void internalNoteIsNoFirstResponse();
    void firstResponseInTimeIsNeverBreached();
    void resolvingInTimeStopsTheResolutionClock();
    void pendingPausesTheClock();
    void priorityChangeMovesTheDueTimes();

private:
    QString open(const QString &priority);
    TestClient::Reply agentGet(const QString &id) { return m_agent->get(ticketPath(id)); }
    void advance(qint64 seconds) { m_server->clock().advance(seconds); }

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_agentAccount;
    std::unique_ptr<TestClient> m_customer;
    std::unique_ptr<TestClient> m_agent;
};

void tst_TicketSla::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_customer = m_server->client(m_server->account(Role::Customer));
    m_agentAccount = m_server->account(Role::Support);
    m_agent = m_server->client(m_agentAccount);
}

QString tst_TicketSla::open(const QString &priority)
{
    const auto r = openTicket(*m_customer, priority);
    if (r.status != 201)
        QTest::qFail("could not open a ticket", __FILE__, __LINE__);
    return r.json.value(u"id").toString();
}

void tst_TicketSla::slaTrackingWorks_data()
{
    QTest::addColumn<QString>("priority");
    QTest::addColumn<int>("firstResponseHours");
    QTest::addColumn<int>("resolutionHours");
    // The default policy (issue 4 "SLA"), on the default 24/7 calendar.
    QTest::newRow("urgent") << QStringLiteral("urgent") << 1 << 4;
    QTest::newRow("high") << QStringLiteral("high") << 4 << 24;
    QTest::newRow("medium") << QStringLiteral("medium") << 8 << 48;
    QTest::newRow("low") << QStringLiteral("low") << 24 << 72;
    QTest::newRow("no priority: medium") << QString() << 8 << 48;
}

void tst_TicketSla::slaTrackingWorks()
{
    QFETCH(QString, priority);
    QFETCH(int, firstResponseHours);
    QFETCH(int, resolutionHours);
    const auto created = openTicket(*m_customer, priority);
    QCOMPARE(created.status, 201);
    const QString id = created.json.value(u"id").toString();
    const QDateTime createdAt = timeOf(created.json.value(u"createdAt"));
    QCOMPARE(createdAt, m_server->clock().now());
    QJsonObject sla = slaOf(created);
    QCOMPARE(timeOf(sla.value(u"firstResponseDueAt")),
             createdAt.addSecs(firstResponseHours * 3600));
    QCOMPARE(timeOf(sla.value(u"resolutionDueAt")), createdAt.addSecs(resolutionHours * 3600));
    QVERIFY(sla.value(u"firstResponseAt").isNull());
    QCOMPARE(sla.value(u"firstResponseBreached").toBool(), false);
    QCOMPARE(sla.value(u"resolutionBreached").toBool(), false);

    // A second before the due time: not breached. A second after: breached in every answer,
    // though no job has run.
    advance(firstResponseHours * 3600 - 1);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), false);
    advance(2);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), true);
    QCOMPARE(slaOf(m_customer->get(ticketPath(id))).value(u"firstResponseBreached").toBool(), true);
    const auto list = m_agent->get(QStringLiteral("/support/tickets"));
    QCOMPARE(list.status, 200);
    const QJsonObject item = list.json.value(u"items").toArray().first().toObject();
    QCOMPARE(item.value(u"id").toString(), id);
    QCOMPARE(item.value(u"sla").toObject().value(u"firstResponseBreached").toBool(), true);
    QCOMPARE(item.value(u"sla").toObject().value(u"resolutionBreached").toBool(), false);

    // A late reply is recorded; the breach stays, and is stored with the write.
    const auto reply = m_agent->post(ticketPath(id, QStringLiteral("/messages")),
                                     {{QStringLiteral("message"), QStringLiteral("Sorry!")}});
    QCOMPARE(reply.status, 201);
    sla = slaOf(agentGet(id));
    QCOMPARE(timeOf(sla.value(u"firstResponseAt")), m_server->clock().now());
    QCOMPARE(sla.value(u"firstResponseBreached").toBool(), true);

    advance((resolutionHours - firstResponseHours) * 3600);
    QCOMPARE(slaOf(agentGet(id)).value(u"resolutionBreached").toBool(), true);
}

void tst_TicketSla::internalNoteIsNoFirstResponse()
{
    const QString id = open(QStringLiteral("high"));
    advance(600);
    const auto note = m_agent->post(ticketPath(id, QStringLiteral("/messages")),
                                    {{QStringLiteral("message"), QStringLiteral("Checking logs")},
                                     {QStringLiteral("isInternal"), true}});
    QCOMPARE(note.status, 201);
    QCOMPARE(note.json.value(u"isInternal").toBool(), true);
    const auto customerMessage
        = m_customer->post(ticketPath(id, QStringLiteral("/messages")),
                           {{QStringLiteral("message"), QStringLiteral("Any news?")}});
    QCOMPARE(customerMessage.status, 201);
    QVERIFY(slaOf(agentGet(id)).value(u"firstResponseAt").isNull());

    advance(600);
    const QDateTime answeredAt = m_server->clock().now();
    QCOMPARE(m_agent
                 ->post(ticketPath(id, QStringLiteral("/messages")),
                        {{QStringLiteral("message"), QStringLiteral("We are on it")}})
                 .status,
             201);
    advance(600);
    QCOMPARE(m_agent
                 ->post(ticketPath(id, QStringLiteral("/messages")),
                        {{QStringLiteral("message"), QStringLiteral("Fixed")}})
                 .status,
             201);
    // Only the first public reply counts.
    QCOMPARE(timeOf(slaOf(agentGet(id)).value(u"firstResponseAt")), answeredAt);
}

void tst_TicketSla::firstResponseInTimeIsNeverBreached()
{
    const QString id = open(QStringLiteral("urgent"));
    advance(3599);
    QCOMPARE(m_agent
                 ->post(ticketPath(id, QStringLiteral("/messages")),
                        {{QStringLiteral("message"), QStringLiteral("Hello")}})
                 .status,
             201);
    advance(24 * 3600);
    const QJsonObject sla = slaOf(agentGet(id));
    QCOMPARE(sla.value(u"firstResponseBreached").toBool(), false);
    QCOMPARE(sla.value(u"resolutionBreached").toBool(), true); // 4 h, never resolved
}

void tst_TicketSla::resolvingInTimeStopsTheResolutionClock()
{
    const QString id = open(QStringLiteral("urgent"));
    QCOMPARE(driveTo(*m_agent, m_agentAccount.user.id, id, QStringLiteral("in_progress")).status,
             200);
    advance(1800);
    const auto resolved = m_agent->put(ticketPath(id, QStringLiteral("/close")),
                                       {{QStringLiteral("summary"), QStringLiteral("Fixed")}});
    QCOMPARE(resolved.status, 200);
    QCOMPARE(timeOf(slaOf(resolved).value(u"resolvedAt")), m_server->clock().now());
    advance(48 * 3600);
    const QJsonObject sla = slaOf(agentGet(id));
    QCOMPARE(sla.value(u"resolutionBreached").toBool(), false);
    // Never answered publicly: the first response target was missed.
    QCOMPARE(sla.value(u"firstResponseBreached").toBool(), true);
}

void tst_TicketSla::pendingPausesTheClock()
{
    const QString id = open(QStringLiteral("medium")); // 8 h / 48 h
    const QDateTime createdAt = timeOf(agentGet(id).json.value(u"createdAt"));
    QCOMPARE(driveTo(*m_agent, m_agentAccount.user.id, id, QStringLiteral("in_progress")).status,
             200);
    advance(3600);
    const auto paused = putStatus(*m_agent, id, QStringLiteral("pending"));
    QCOMPARE(paused.status, 200);
    QCOMPARE(timeOf(slaOf(paused).value(u"pausedSince")), m_server->clock().now());

    // Ten hours waiting on the customer: past the 8 h due time on the wall clock, not on the
    // SLA clock.
    advance(10 * 3600);
    QJsonObject sla = slaOf(agentGet(id));
    QCOMPARE(sla.value(u"firstResponseBreached").toBool(), false);
    QCOMPARE(slaOf(m_customer->get(ticketPath(id))).value(u"firstResponseBreached").toBool(),
             false);

    // Resuming pushes each running target by the time paused.
    const auto resumed = putStatus(*m_agent, id, QStringLiteral("in_progress"));
    QCOMPARE(resumed.status, 200);
    sla = slaOf(resumed);
    QVERIFY(sla.value(u"pausedSince").isNull());
    QCOMPARE(sla.value(u"pausedSeconds").toInteger(), 10 * 3600);
    QCOMPARE(timeOf(sla.value(u"firstResponseDueAt")), createdAt.addSecs(18 * 3600));
    QCOMPARE(timeOf(sla.value(u"resolutionDueAt")), createdAt.addSecs(58 * 3600));
    QCOMPARE(sla.value(u"firstResponseBreached").toBool(), false);

    // The clock runs again: 7 h later (18 h after creation) it breaches.
    advance(7 * 3600 - 1);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), false);
    advance(2);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), true);
}

void tst_TicketSla::priorityChangeMovesTheDueTimes()
{
    const QString id = open(QStringLiteral("low"));
    const QDateTime createdAt = timeOf(agentGet(id).json.value(u"createdAt"));
    advance(1800);
    const auto raised = m_agent->put(ticketPath(id, QStringLiteral("/priority")),
                                     {{QStringLiteral("priority"), QStringLiteral("urgent")}});
    QCOMPARE(raised.status, 200);
    QCOMPARE(raised.json.value(u"priority").toString(), QStringLiteral("urgent"));
    QCOMPARE(raised.json.value(u"version").toInt(), 2);
    QCOMPARE(timeOf(slaOf(raised).value(u"firstResponseDueAt")), createdAt.addSecs(3600));
    QCOMPARE(timeOf(slaOf(raised).value(u"resolutionDueAt")), createdAt.addSecs(4 * 3600));
    advance(1801);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), true);

    // Lowering it again moves the due times out, but a breach on record stays.
    const auto lowered = m_agent->put(ticketPath(id, QStringLiteral("/priority")),
                                      {{QStringLiteral("priority"), QStringLiteral("low")}});
    QCOMPARE(lowered.status, 200);
    QCOMPARE(timeOf(slaOf(lowered).value(u"firstResponseDueAt")), createdAt.addSecs(24 * 3600));
    QCOMPARE(slaOf(lowered).value(u"firstResponseBreached").toBool(), true);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), true);

    // The same priority again is a no-op.
    const auto same = m_agent->put(ticketPath(id, QStringLiteral("/priority")),
                                   {{QStringLiteral("priority"), QStringLiteral("low")}});
    QCOMPARE(same.status, 200);
    QCOMPARE(same.json.value(u"version"), lowered.json.value(u"version"));
}

QTEST_GUILESS_MAIN(tst_TicketSla)
#include "tst_ticketsla.moc"
