// The rendered-answer cache of GET /support/tickets/:id and the ticket list (TicketReadCache), over
// real HTTP: whatever was read before, an answer never shows less than every write committed
// before it, never shows one viewer what another may see, and a breach flag turns when the clock
// passes the due time even while the answer is kept. Run on SQLite (the cache is on) and on
// PostgreSQL (off: the answers must be the same).
#include "tickettestkit.h"

#include <store/database.h>

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_TicketReadCache : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void aSecondReadIsServedFromTheCache();
    void everyWriteIsSeenByTheNextRead_data();
    void everyWriteIsSeenByTheNextRead();
    void aJobsWriteIsSeenByTheNextRead();
    void customerNeverGetsTheAgentsAnswer();
    void anotherCustomerGets404FromAWarmCache();
    void breachFlagTurnsWhileKept();
    void listSeesNewAndChangedTickets();
    void listIsKeptPerCaller();
    void cacheCanBeTurnedOff();

private:
    double metric(const QString &name);
    QString open(const QString &priority = {});
    TestClient::Reply agentGet(const QString &id) { return m_agent->get(ticketPath(id)); }
    static QStringList messageTexts(const TestClient::Reply &reply);

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_agentAccount;
    TestServer::Account m_customerAccount;
    std::unique_ptr<TestClient> m_customer;
    std::unique_ptr<TestClient> m_agent;
    std::unique_ptr<TestClient> m_admin;
};

void tst_TicketReadCache::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_customerAccount = m_server->account(Role::Customer);
    m_customer = m_server->client(m_customerAccount);
    m_agentAccount = m_server->account(Role::Support);
    m_agent = m_server->client(m_agentAccount);
    m_admin = m_server->client(m_server->account(Role::Admin));
}

double tst_TicketReadCache::metric(const QString &name)
{
    const auto reply = m_admin->get(QStringLiteral("/metrics"));
    const QRegularExpression line(u"(?m)^" + name + uR"( ([0-9.e+]+)$)");
    const auto match = line.match(QString::fromUtf8(reply.body));
    return match.hasMatch() ? match.captured(1).toDouble() : -1;
}

QString tst_TicketReadCache::open(const QString &priority)
{
    const auto r = openTicket(*m_customer, priority);
    if (r.status != 201)
        QTest::qFail("could not open a ticket", __FILE__, __LINE__);
    return r.json.value(u"id").toString();
}

QStringList tst_TicketReadCache::messageTexts(const TestClient::Reply &reply)
{
    QStringList out;
    for (const QJsonValue &m : reply.json.value(u"messages").toArray())
        out << m.toObject().value(u"message").toString();
    return out;
}

void tst_TicketReadCache::aSecondReadIsServedFromTheCache()
{
    const QString id = open();
    const auto first = agentGet(id);
    QCOMPARE(first.status, 200);
    const double hitsBefore = metric(QStringLiteral("switchboard_read_cache_hits"));
    const auto second = agentGet(id);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, first.body);
    QCOMPARE(second.header("ETag"), first.header("ETag"));
    QCOMPARE(metric(QStringLiteral("switchboard_read_cache_hits")), hitsBefore + 1);
}

void tst_TicketReadCache::everyWriteIsSeenByTheNextRead_data()
{
    QTest::addColumn<QString>("write");
    QTest::newRow("customer message") << "customerMessage";
    QTest::newRow("agent reply") << "agentReply";
    QTest::newRow("internal note") << "internalNote";
    QTest::newRow("assign") << "assign";
    QTest::newRow("status") << "status";
    QTest::newRow("priority") << "priority";
    QTest::newRow("bulk priority") << "bulkPriority";
}

void tst_TicketReadCache::everyWriteIsSeenByTheNextRead()
{
    QFETCH(QString, write);
    const QString id = open(QStringLiteral("low"));
    // Both views are read (and kept) before the write.
    const auto agentBefore = agentGet(id);
    const auto customerBefore = m_customer->get(ticketPath(id));
    QCOMPARE(agentBefore.status, 200);
    QCOMPARE(customerBefore.status, 200);

    TestClient::Reply done;
    if (write == u"customerMessage") {
        done = m_customer->post(ticketPath(id, QStringLiteral("/messages")),
                                {{QStringLiteral("message"), QStringLiteral("still broken")}});
    } else if (write == u"agentReply" || write == u"internalNote") {
        done = m_agent->post(ticketPath(id, QStringLiteral("/messages")),
                             {{QStringLiteral("message"), QStringLiteral("looking into it")},
                              {QStringLiteral("isInternal"), write == u"internalNote"}});
    } else if (write == u"assign") {
        done = m_agent->put(ticketPath(id, QStringLiteral("/assign")),
                            {{QStringLiteral("agentId"), m_agentAccount.user.id}});
    } else if (write == u"status") {
        done = driveTo(*m_agent, m_agentAccount.user.id, id, QStringLiteral("in_progress"));
    } else if (write == u"priority") {
        done = m_agent->put(ticketPath(id, QStringLiteral("/priority")),
                            {{QStringLiteral("priority"), QStringLiteral("urgent")}});
    } else if (write == u"bulkPriority") {
        done = m_agent->post(QStringLiteral("/support/tickets/bulk"),
                             {{QStringLiteral("ids"), QJsonArray {id}},
                              {QStringLiteral("priority"), QStringLiteral("urgent")}});
    }
    QVERIFY2(done.status == 200 || done.status == 201, done.body.constData());

    const auto agentAfter = agentGet(id);
    const auto customerAfter = m_customer->get(ticketPath(id));
    QCOMPARE(agentAfter.status, 200);
    QCOMPARE(customerAfter.status, 200);
    QVERIFY(agentAfter.body != agentBefore.body);
    if (write == u"customerMessage" || write == u"agentReply") {
        QCOMPARE(messageTexts(agentAfter).size(), messageTexts(agentBefore).size() + 1);
        QCOMPARE(messageTexts(customerAfter).size(), messageTexts(customerBefore).size() + 1);
    } else if (write == u"internalNote") {
        QCOMPARE(messageTexts(agentAfter).size(), messageTexts(agentBefore).size() + 1);
        QCOMPARE(customerAfter.body, customerBefore.body); // nothing a customer may see changed
    } else if (write == u"assign") {
        QCOMPARE(agentAfter.json.value(u"assignedTo").toString(), m_agentAccount.user.id);
        QCOMPARE(customerAfter.json.value(u"assignedTo").toString(), m_agentAccount.user.id);
    } else if (write == u"status") {
        QCOMPARE(agentAfter.json.value(u"status").toString(), QStringLiteral("in_progress"));
        QCOMPARE(customerAfter.json.value(u"status").toString(), QStringLiteral("in_progress"));
    } else {
        QCOMPARE(agentAfter.json.value(u"priority").toString(), QStringLiteral("urgent"));
        QCOMPARE(customerAfter.json.value(u"priority").toString(), QStringLiteral("urgent"));
    }
    // The ETag follows the version the answer shows.
    QCOMPARE(agentAfter.header("ETag"),
             '"' + QByteArray::number(agentAfter.json.value(u"version").toInt()) + '"');
}

void tst_TicketReadCache::aJobsWriteIsSeenByTheNextRead()
{
    const QString id = open();
    QCOMPARE(driveTo(*m_agent, m_agentAccount.user.id, id, QStringLiteral("resolved")).status, 200);
    QCOMPARE(agentGet(id).json.value(u"status").toString(), QStringLiteral("resolved"));
    m_server->clock().advance(8 * 24 * 3600); // past the 7 days of autoCloseResolvedTickets
    const auto run = m_admin->post(QStringLiteral("/admin/jobs/autoCloseResolvedTickets/run"));
    QVERIFY2(run.status == 200, run.body.constData());
    QCOMPARE(agentGet(id).json.value(u"status").toString(), QStringLiteral("closed"));
    QCOMPARE(m_customer->get(ticketPath(id)).json.value(u"status").toString(),
             QStringLiteral("closed"));
}

void tst_TicketReadCache::customerNeverGetsTheAgentsAnswer()
{
    const QString id = open();
    QCOMPARE(m_agent
                 ->post(ticketPath(id, QStringLiteral("/messages")),
                        {{QStringLiteral("message"), QStringLiteral("refund approved internally")},
                         {QStringLiteral("isInternal"), true}})
                 .status,
             201);
    const auto agent = agentGet(id);
    QVERIFY(messageTexts(agent).contains(QStringLiteral("refund approved internally")));
    QVERIFY(messageTexts(agentGet(id)).contains(QStringLiteral("refund approved internally")));
    for (int i = 0; i < 2; ++i) { // the first read fills the customer's view, the second hits it
        const auto customer = m_customer->get(ticketPath(id));
        QCOMPARE(customer.status, 200);
        QVERIFY(!customer.body.contains("refund approved internally"));
        QVERIFY(!customer.body.contains("\"isInternal\":true"));
    }
}

void tst_TicketReadCache::anotherCustomerGets404FromAWarmCache()
{
    const QString id = open();
    QCOMPARE(m_customer->get(ticketPath(id)).status, 200); // the customer view is kept
    QCOMPARE(agentGet(id).status, 200); // and the agent view
    const auto stranger = m_server->client(m_server->account(Role::Customer, QStringLiteral("B")));
    const auto reply = stranger->get(ticketPath(id));
    QCOMPARE(reply.status, 404);
    QVERIFY(!reply.body.contains(id.toUtf8()));
    QVERIFY(!reply.body.contains("Cannot pay"));
}

void tst_TicketReadCache::breachFlagTurnsWhileKept()
{
    const QString id = open(QStringLiteral("urgent")); // first response due in 1 business hour
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), false);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), false);
    const QDateTime due = timeOf(slaOf(agentGet(id)).value(u"firstResponseDueAt"));
    m_server->clock().set(due);
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), false); // at, not past
    m_server->clock().set(due.addMSecs(1));
    QCOMPARE(slaOf(agentGet(id)).value(u"firstResponseBreached").toBool(), true);
    const auto page
        = m_agent->get(QStringLiteral("/support/tickets?priority=urgent&limit=10")).json;
    QCOMPARE(page.value(u"items").toArray().at(0).toObject().value(u"sla").toObject().value(
                 u"firstResponseBreached"),
             true);
}

void tst_TicketReadCache::listSeesNewAndChangedTickets()
{
    const QString query = QStringLiteral("/support/tickets?status=open&limit=50");
    open();
    const auto before = m_agent->get(query);
    QCOMPARE(before.status, 200);
    QCOMPARE(m_agent->get(query).body, before.body); // kept, same answer
    const QString second = open();
    const auto afterCreate = m_agent->get(query);
    QCOMPARE(afterCreate.json.value(u"total").toInt(), before.json.value(u"total").toInt() + 1);
    QCOMPARE(driveTo(*m_agent, m_agentAccount.user.id, second, QStringLiteral("assigned")).status,
             200);
    QCOMPARE(m_agent->get(query).json.value(u"total").toInt(), before.json.value(u"total").toInt());
}

void tst_TicketReadCache::listIsKeptPerCaller()
{
    const QString query = QStringLiteral("/support/tickets?limit=50");
    open();
    const auto stranger = m_server->client(m_server->account(Role::Customer, QStringLiteral("B")));
    QCOMPARE(m_customer->get(query).json.value(u"total").toInt(), 1);
    QCOMPARE(m_agent->get(query).json.value(u"total").toInt(), 1);
    QCOMPARE(stranger->get(query).json.value(u"total").toInt(), 0); // same query, other caller
    QCOMPARE(m_customer->get(query).json.value(u"total").toInt(), 1);
    // The same query spelled in another order is the same answer.
    QCOMPARE(m_agent->get(QStringLiteral("/support/tickets?limit=50&sort=-createdAt")).body,
             m_agent->get(QStringLiteral("/support/tickets?sort=-createdAt&limit=50")).body);
}

void tst_TicketReadCache::cacheCanBeTurnedOff()
{
    m_server.reset();
    QString error;
    m_server = TestServer::start(&error, [](server::ServerSettings &s) { s.readCacheMb = 0; });
    QVERIFY2(m_server, qPrintable(error));
    m_customer = m_server->client(m_server->account(Role::Customer));
    m_agent = m_server->client(m_server->account(Role::Support));
    m_admin = m_server->client(m_server->account(Role::Admin));
    const QString id = open();
    QCOMPARE(agentGet(id).status, 200);
    QCOMPARE(agentGet(id).status, 200);
    QCOMPARE(metric(QStringLiteral("switchboard_read_cache_hits")), 0.0);
}

QTEST_GUILESS_MAIN(tst_TicketReadCache)
#include "tst_ticketreadcache.moc"
