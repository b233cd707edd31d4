// Bulk ticket changes over real HTTP, on SQLite and PostgreSQL: each ticket by the rules of the
// single routes, mixed outcomes in one answer, and invalid input.
#include <support/seeder.h>
#include <support/testserver.h>

#include <domain/slaclock.h>
#include <store/changelogrepository.h>
#include <store/ticketrepository.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_BulkApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void mixedResultsReportEachTicket();
    void sameStatusIsANoOp();
    void pendingPausesAndResumesTheSlaClock();
    void resolvingAndReopening();
    void priorityMovesTheDueTimes();
    void changesAreLoggedForTheCustomer();
    void assigneeMustBeAnActiveAgent_data();
    void assigneeMustBeAnActiveAgent();
    void badInputIs400NamingTheField_data();
    void badInputIs400NamingTheField();
    void onlyAgentsUseBulk_data();
    void onlyAgentsUseBulk();

private:
    TestClient::Reply bulk(const QJsonObject &body);
    Ticket stored(const QString &id);
    Ticket seedTicket(const std::function<void(Ticket &)> &tweak = {});

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<Seeder> m_seed;
    TestServer::Account m_agent;
    User m_customer;
};

void tst_BulkApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_seed = std::make_unique<Seeder>(m_server->database());
    m_agent = m_server->account(Role::Support);
    m_customer = m_seed->customer();
}

TestClient::Reply tst_BulkApi::bulk(const QJsonObject &body)
{
    return m_server->client(m_agent)->post(QStringLiteral("/support/tickets/bulk"), body);
}

Ticket tst_BulkApi::stored(const QString &id)
{
    const auto found = store::TicketRepository(m_server->database().connection()).findById(id);
    if (!found || !*found) {
        QTest::qFail("ticket not found", __FILE__, __LINE__);
        return {};
    }
    return **found;
}

Ticket tst_BulkApi::seedTicket(const std::function<void(Ticket &)> &tweak)
{
    return m_seed->ticket(m_customer.id, tweak);
}

static QJsonArray idsOf(const QList<Ticket> &tickets, const QStringList &extra = {})
{
    QJsonArray ids;
    for (const Ticket &t : tickets)
        ids.append(t.id);
    for (const QString &id : extra)
        ids.append(id);
    return ids;
}

void tst_BulkApi::mixedResultsReportEachTicket()
{
    const Ticket a = seedTicket();
    const Ticket b = seedTicket();
    const Ticket closed = seedTicket([](Ticket &t) { t.status = TicketStatus::Closed; });

    const auto assigned
        = bulk({{QStringLiteral("ids"), idsOf({a, closed, b}, {QStringLiteral("nope")})},
                {QStringLiteral("assign"), m_agent.user.id}});
    QCOMPARE(assigned.status, 200);
    const QJsonArray results = assigned.json.value(u"results").toArray();
    QCOMPARE(results.size(), 4);
    const QStringList order {a.id, closed.id, b.id, QStringLiteral("nope")};
    const QStringList expected {QStringLiteral("ok"), QStringLiteral("error"), QStringLiteral("ok"),
                                QStringLiteral("error")};
    for (int i = 0; i < 4; ++i) {
        const QJsonObject r = results.at(i).toObject();
        QCOMPARE(r.value(u"id").toString(), order.at(i));
        QCOMPARE(r.value(u"status").toString(), expected.at(i));
        QCOMPARE(r.contains(u"error"), expected.at(i) == u"error");
    }
    const QJsonObject closedError = results.at(1).toObject().value(u"error").toObject();
    QCOMPARE(closedError.value(u"code").toString(), QStringLiteral("invalid_transition"));
    QVERIFY(!closedError.value(u"message").toString().isEmpty());
    QCOMPARE(results.at(3).toObject().value(u"error").toObject().value(u"code").toString(),
             QStringLiteral("not_found"));

    // Each applied change is what GET answers; the refused one is untouched.
    auto client = m_server->client(m_agent);
    for (const Ticket &t : {a, b}) {
        const auto got = client->get(u"/support/tickets/" + t.id);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.json.value(u"assignedTo").toString(), m_agent.user.id);
        QCOMPARE(got.json.value(u"status").toString(), QStringLiteral("assigned"));
        QCOMPARE(got.json.value(u"version").toInt(), t.version + 1);
    }
    const auto untouched = client->get(u"/support/tickets/" + closed.id);
    QVERIFY(untouched.json.value(u"assignedTo").isNull());
    QCOMPARE(untouched.json.value(u"version").toInt(), closed.version);

    // One invalid move among valid ones: its error names the allowed moves.
    const Ticket open = seedTicket();
    const auto moved = bulk({{QStringLiteral("ids"), idsOf({a, open, b})},
                             {QStringLiteral("status"), QStringLiteral("in_progress")}});
    QCOMPARE(moved.status, 200);
    const QJsonArray second = moved.json.value(u"results").toArray();
    QCOMPARE(second.at(0).toObject().value(u"status").toString(), QStringLiteral("ok"));
    QCOMPARE(second.at(2).toObject().value(u"status").toString(), QStringLiteral("ok"));
    const QJsonObject refused = second.at(1).toObject().value(u"error").toObject();
    QCOMPARE(refused.value(u"code").toString(), QStringLiteral("invalid_transition"));
    QCOMPARE(refused.value(u"details").toObject().value(u"allowed").toArray(),
             QJsonArray {QStringLiteral("assigned")});
    for (const Ticket &t : {a, b}) {
        QCOMPARE(client->get(u"/support/tickets/" + t.id).json.value(u"status").toString(),
                 QStringLiteral("in_progress"));
    }
    const auto stillOpen = client->get(u"/support/tickets/" + open.id);
    QCOMPARE(stillOpen.json.value(u"status").toString(), QStringLiteral("open"));
    QCOMPARE(stillOpen.json.value(u"version").toInt(), open.version);
}

void tst_BulkApi::sameStatusIsANoOp()
{
    const Ticket t = seedTicket([&](Ticket &t) {
        t.status = TicketStatus::Assigned;
        t.assignedTo = m_agent.user.id;
    });
    for (const QJsonObject &change :
         {QJsonObject {{QStringLiteral("status"), QStringLiteral("assigned")}},
          QJsonObject {{QStringLiteral("assign"), m_agent.user.id}},
          QJsonObject {{QStringLiteral("priority"), toString(t.priority)}}}) {
        QJsonObject body = change;
        body.insert(QStringLiteral("ids"), QJsonArray {t.id});
        const auto r = bulk(body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"results").toArray().first().toObject().value(u"status").toString(),
                 QStringLiteral("ok"));
    }
    QCOMPARE(stored(t.id).version, t.version);
}

void tst_BulkApi::pendingPausesAndResumesTheSlaClock()
{
    const QDateTime start = m_server->clock().now();
    const SlaPolicy policy;
    const Ticket t = seedTicket([&](Ticket &t) {
        t.createdAt = start;
        t.status = TicketStatus::InProgress;
        t.assignedTo = m_agent.user.id;
        t.sla = startSla(policy, t.priority, start);
    });
    m_server->clock().advance(600);
    QCOMPARE(bulk({{QStringLiteral("ids"), QJsonArray {t.id}},
                   {QStringLiteral("status"), QStringLiteral("pending")}})
                 .status,
             200);
    const Ticket paused = stored(t.id);
    QCOMPARE(toString(paused.status), QStringLiteral("pending"));
    QCOMPARE(paused.sla.pausedSince, start.addSecs(600));

    m_server->clock().advance(3600);
    QCOMPARE(bulk({{QStringLiteral("ids"), QJsonArray {t.id}},
                   {QStringLiteral("status"), QStringLiteral("in_progress")}})
                 .status,
             200);
    const Ticket resumed = stored(t.id);
    QVERIFY(!resumed.sla.pausedSince.isValid());
    QCOMPARE(resumed.sla.pausedSeconds, qint64(3600));
    QCOMPARE(resumed.sla.resolutionDueAt, t.sla.resolutionDueAt.addSecs(3600));
    QCOMPARE(resumed.version, t.version + 2);
}

void tst_BulkApi::resolvingAndReopening()
{
    const QDateTime start = m_server->clock().now();
    const Ticket t = seedTicket([&](Ticket &t) {
        t.createdAt = start;
        t.status = TicketStatus::InProgress;
        t.assignedTo = m_agent.user.id;
        t.sla = startSla(SlaPolicy(), t.priority, start);
    });
    m_server->clock().advance(120);
    const QJsonArray ids {t.id};
    QCOMPARE(
        bulk({{QStringLiteral("ids"), ids}, {QStringLiteral("status"), QStringLiteral("resolved")}})
            .status,
        200);
    QCOMPARE(stored(t.id).sla.resolvedAt, start.addSecs(120));

    QCOMPARE(bulk({{QStringLiteral("ids"), ids},
                   {QStringLiteral("status"), QStringLiteral("in_progress")}})
                 .status,
             200);
    const Ticket reopened = stored(t.id);
    QCOMPARE(toString(reopened.status), QStringLiteral("in_progress"));
    QVERIFY(!reopened.sla.resolvedAt.isValid());
}

void tst_BulkApi::priorityMovesTheDueTimes()
{
    const QDateTime start = m_server->clock().now();
    const SlaPolicy policy;
    const Ticket t = seedTicket([&](Ticket &t) {
        t.createdAt = start;
        t.priority = TicketPriority::Low;
        t.sla = startSla(policy, TicketPriority::Low, start);
    });
    const auto r = bulk({{QStringLiteral("ids"), QJsonArray {t.id}},
                         {QStringLiteral("priority"), QStringLiteral("urgent")}});
    QCOMPARE(r.status, 200);
    const Ticket now = stored(t.id);
    QCOMPARE(toString(now.priority), QStringLiteral("urgent"));
    QCOMPARE(now.sla.firstResponseDueAt, start.addSecs(3600));
    QCOMPARE(now.sla.resolutionDueAt, start.addSecs(4 * 3600));
}

void tst_BulkApi::changesAreLoggedForTheCustomer()
{
    const Ticket a = seedTicket();
    const Ticket b = seedTicket();
    const User otherCustomer = m_seed->customer();
    const Ticket theirs = m_seed->ticket(otherCustomer.id);
    QCOMPARE(bulk({{QStringLiteral("ids"), idsOf({a, b, theirs})},
                   {QStringLiteral("priority"), QStringLiteral("high")}})
                 .status,
             200);

    store::ChangeLogRepository log(m_server->database().connection());
    const auto page = log.since(0, 100, {Role::Customer, m_customer.id});
    QVERIFY(page);
    QStringList seen;
    for (const Change &c : page->changes) {
        QCOMPARE(c.entity, QStringLiteral("ticket"));
        QCOMPARE(c.data.value(u"priority").toString(), QStringLiteral("high"));
        QCOMPARE(c.data.value(u"version").toInt(), 2);
        seen << c.entityId;
    }
    QCOMPARE(seen, (QStringList {a.id, b.id}));
}

void tst_BulkApi::assigneeMustBeAnActiveAgent_data()
{
    QTest::addColumn<QString>("who");
    QTest::newRow("customer") << QStringLiteral("customer");
    QTest::newRow("technician") << QStringLiteral("technician");
    QTest::newRow("deactivated agent") << QStringLiteral("inactive");
    QTest::newRow("unknown id") << QStringLiteral("unknown");
}

void tst_BulkApi::assigneeMustBeAnActiveAgent()
{
    QFETCH(QString, who);
    QString id = QStringLiteral("no-such-user");
    if (who == u"customer")
        id = m_customer.id;
    else if (who == u"technician")
        id = m_seed->technician().id;
    else if (who == u"inactive") {
        const auto admin = m_server->account(Role::Admin);
        const User gone = m_seed->agent();
        QCOMPARE(m_server->client(admin)
                     ->put(u"/users/" + gone.id, {{QStringLiteral("active"), false}})
                     .status,
                 200);
        id = gone.id;
    }
    const Ticket t = seedTicket();
    const auto r
        = bulk({{QStringLiteral("ids"), QJsonArray {t.id}}, {QStringLiteral("assign"), id}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), QStringLiteral("assign"));
    QVERIFY(stored(t.id).assignedTo.isEmpty());
}

void tst_BulkApi::badInputIs400NamingTheField_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    const QJsonArray one {QStringLiteral("some-id")};
    const QString ids = QStringLiteral("ids");
    const QString status = QStringLiteral("status");
    QJsonArray tooMany;
    for (int i = 0; i <= 100; ++i)
        tooMany.append(QStringLiteral("id-%1").arg(i));
    QTest::newRow("no ids") << QJsonObject {{status, QStringLiteral("open")}} << ids;
    QTest::newRow("ids not an array")
        << QJsonObject {{ids, QStringLiteral("a,b")}, {status, QStringLiteral("open")}} << ids;
    QTest::newRow("empty ids") << QJsonObject {{ids, QJsonArray()},
                                               {status, QStringLiteral("open")}}
                               << ids;
    QTest::newRow("id not a string")
        << QJsonObject {{ids, QJsonArray {1}}, {status, QStringLiteral("open")}} << ids;
    QTest::newRow("101 ids") << QJsonObject {{ids, tooMany}, {status, QStringLiteral("open")}}
                             << ids;
    QTest::newRow("no change") << QJsonObject {{ids, one}} << QStringLiteral("assign");
    QTest::newRow("two changes") << QJsonObject {{ids, one},
                                                 {status, QStringLiteral("open")},
                                                 {QStringLiteral("priority"),
                                                  QStringLiteral("low")}}
                                 << QStringLiteral("assign");
    QTest::newRow("unknown status")
        << QJsonObject {{ids, one}, {status, QStringLiteral("done")}} << status;
    QTest::newRow("status not a string") << QJsonObject {{ids, one}, {status, 3}} << status;
    QTest::newRow("unknown priority")
        << QJsonObject {{ids, one}, {QStringLiteral("priority"), QStringLiteral("critical")}}
        << QStringLiteral("priority");
    QTest::newRow("assign not a string")
        << QJsonObject {{ids, one}, {QStringLiteral("assign"), true}} << QStringLiteral("assign");
}

void tst_BulkApi::badInputIs400NamingTheField()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    const auto r = bulk(body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), field);
    QVERIFY(!r.json.contains(u"results"));
    // The server still answers.
    const Ticket t = seedTicket();
    QCOMPARE(bulk({{QStringLiteral("ids"), QJsonArray {t.id}},
                   {QStringLiteral("priority"), QStringLiteral("low")}})
                 .status,
             200);
}

void tst_BulkApi::onlyAgentsUseBulk_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("expected");
    QTest::newRow("customer") << int(Role::Customer) << 403;
    QTest::newRow("technician") << int(Role::Technician) << 403;
    QTest::newRow("admin") << int(Role::Admin) << 200;
}

void tst_BulkApi::onlyAgentsUseBulk()
{
    QFETCH(int, role);
    QFETCH(int, expected);
    const Ticket t = seedTicket();
    const auto r = m_server->client(m_server->account(Role(role)))
                       ->post(QStringLiteral("/support/tickets/bulk"),
                              {{QStringLiteral("ids"), QJsonArray {t.id}},
                               {QStringLiteral("priority"), QStringLiteral("urgent")}});
    QCOMPARE(r.status, expected);
    QCOMPARE(toString(stored(t.id).priority),
             expected == 200 ? QStringLiteral("urgent") : QStringLiteral("medium"));
}

QTEST_GUILESS_MAIN(tst_BulkApi)
#include "tst_bulkapi.moc"
