// Support conversations over real HTTP, on SQLite and PostgreSQL: with and without a ticket,
// auto-assignment, replies, who sees what, and invalid input.
#include <support/seeder.h>
#include <support/testserver.h>

#include <store/changelogrepository.h>
#include <store/ticketrepository.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_ConversationApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void customerCanCreateSupportConversationWithoutTicket();
    void conversationIsLinkedToTheCustomersTicket();
    void secondConversationOnATicketReusesTheFirst();
    void ticketAssigneeKeepsTheConversation();
    void someoneElsesTicketIsNotFound();
    void nobodyOnlineLeavesItUnassignedUntilSomeoneAnswers();
    void ownerAndAgentsReply();
    void onlyOwnerAndAgentsSeeIt_data();
    void onlyOwnerAndAgentsSeeIt();
    void onlyCustomersStartConversations_data();
    void onlyCustomersStartConversations();
    void changesReachTheCustomerAndAgents();
    void listIsFilteredByRole();
    void badInputIs400NamingTheField_data();
    void badInputIs400NamingTheField();

private:
    TestClient::Reply start(const TestServer::Account &customer, const QJsonObject &body);
    std::unique_ptr<TestServer> m_server;
};

void tst_ConversationApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
}

TestClient::Reply tst_ConversationApi::start(const TestServer::Account &customer,
                                             const QJsonObject &body)
{
    return m_server->client(customer)->post(QStringLiteral("/support/conversation"), body);
}

void tst_ConversationApi::customerCanCreateSupportConversationWithoutTicket()
{
    const auto agent = m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);

    const auto r = start(
        customer, {{QStringLiteral("message"), QStringLiteral("I need help with my booking")}});
    QCOMPARE(r.status, 201);
    const QString id = r.json.value(u"id").toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(r.json.value(u"customerId").toString(), customer.user.id);
    QCOMPARE(r.json.value(u"agentId").toString(), agent.user.id);
    QVERIFY(r.json.value(u"ticketId").isNull());
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("open"));
    QVERIFY(!r.json.value(u"createdAt").toString().isEmpty());
    const QJsonArray messages = r.json.value(u"messages").toArray();
    QCOMPARE(messages.size(), 1);
    const QJsonObject first = messages.first().toObject();
    QCOMPARE(first.value(u"message").toString(), QStringLiteral("I need help with my booking"));
    QCOMPARE(first.value(u"senderId").toString(), customer.user.id);
    QCOMPARE(first.value(u"senderRole").toString(), QStringLiteral("customer"));

    // Stored: the customer and the agent read it back the same.
    for (const auto *account : {&customer, &agent}) {
        const auto got = m_server->client(*account)->get(u"/support/conversation/" + id);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.json, r.json);
    }
}

void tst_ConversationApi::conversationIsLinkedToTheCustomersTicket()
{
    m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    Seeder seed(m_server->database());
    const Ticket ticket = seed.ticket(customer.user.id);

    const auto r = start(customer,
                         {{QStringLiteral("ticketId"), ticket.id},
                          {QStringLiteral("message"), QStringLiteral("About my ticket")}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"ticketId").toString(), ticket.id);

    const auto stored
        = store::TicketRepository(m_server->database().connection()).findById(ticket.id);
    QVERIFY(stored && *stored);
    QCOMPARE((*stored)->conversationId, r.json.value(u"id").toString());
    QCOMPARE((*stored)->version, ticket.version + 1); // a change like any other
}

void tst_ConversationApi::secondConversationOnATicketReusesTheFirst()
{
    m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    Seeder seed(m_server->database());
    const Ticket ticket = seed.ticket(customer.user.id);

    const auto first = start(customer,
                             {{QStringLiteral("ticketId"), ticket.id},
                              {QStringLiteral("message"), QStringLiteral("one")}});
    QCOMPARE(first.status, 201);
    m_server->clock().advance(5);
    const auto second = start(customer,
                              {{QStringLiteral("ticketId"), ticket.id},
                               {QStringLiteral("message"), QStringLiteral("two")}});
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json.value(u"id"), first.json.value(u"id"));
    const QJsonArray messages = second.json.value(u"messages").toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(u"message").toString(), QStringLiteral("one"));
    QCOMPARE(messages.at(1).toObject().value(u"message").toString(), QStringLiteral("two"));

    // Without a ticket, every call starts a new conversation.
    const auto other = start(customer, {{QStringLiteral("message"), QStringLiteral("three")}});
    QCOMPARE(other.status, 201);
    QVERIFY(other.json.value(u"id") != first.json.value(u"id"));
}

void tst_ConversationApi::ticketAssigneeKeepsTheConversation()
{
    const auto owner = m_server->account(Role::Support);
    m_server->account(Role::Support); // idle and less loaded, but not the ticket's agent
    const auto customer = m_server->account(Role::Customer);
    Seeder seed(m_server->database());
    const Ticket ticket = seed.ticket(customer.user.id, [&](Ticket &t) {
        t.status = TicketStatus::InProgress;
        t.assignedTo = owner.user.id;
    });
    const auto r = start(customer,
                         {{QStringLiteral("ticketId"), ticket.id},
                          {QStringLiteral("message"), QStringLiteral("Any news?")}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"agentId").toString(), owner.user.id);
}

void tst_ConversationApi::someoneElsesTicketIsNotFound()
{
    const auto customer = m_server->account(Role::Customer);
    const auto other = m_server->account(Role::Customer);
    Seeder seed(m_server->database());
    const Ticket theirs = seed.ticket(other.user.id);

    for (const QString &ticketId : {theirs.id, QStringLiteral("no-such-ticket")}) {
        const auto r = start(customer,
                             {{QStringLiteral("ticketId"), ticketId},
                              {QStringLiteral("message"), QStringLiteral("hi")}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
    }
    // Nothing was linked to the other customer's ticket.
    const auto stored
        = store::TicketRepository(m_server->database().connection()).findById(theirs.id);
    QVERIFY(stored && *stored);
    QVERIFY((*stored)->conversationId.isEmpty());
    QCOMPARE((*stored)->version, theirs.version);
}

void tst_ConversationApi::nobodyOnlineLeavesItUnassignedUntilSomeoneAnswers()
{
    const auto customer = m_server->account(Role::Customer);
    const auto r = start(customer, {{QStringLiteral("message"), QStringLiteral("Anyone there?")}});
    QCOMPARE(r.status, 201);
    QVERIFY(r.json.value(u"agentId").isNull());
    const QString id = r.json.value(u"id").toString();

    // An agent who answers takes it.
    const auto agent = m_server->account(Role::Support);
    const auto away
        = m_server->client(agent)->put(QStringLiteral("/support/agents/me/availability"),
                                       {{QStringLiteral("status"), QStringLiteral("away")}});
    QCOMPARE(away.status, 200);
    m_server->clock().advance(1);
    const auto reply
        = m_server->client(agent)->post(u"/support/conversation/" + id + u"/messages",
                                        {{QStringLiteral("message"), QStringLiteral("Here!")}});
    QCOMPARE(reply.status, 201);
    const auto got = m_server->client(customer)->get(u"/support/conversation/" + id);
    QCOMPARE(got.json.value(u"agentId").toString(), agent.user.id);

    // A customer writing again once someone is online gets assigned too.
    const auto second = start(customer, {{QStringLiteral("message"), QStringLiteral("New issue")}});
    QVERIFY(second.json.value(u"agentId").isNull());
    const auto online = m_server->account(Role::Support);
    m_server->clock().advance(1);
    const QString secondId = second.json.value(u"id").toString();
    QCOMPARE(m_server->client(customer)
                 ->post(u"/support/conversation/" + secondId + u"/messages",
                        {{QStringLiteral("message"), QStringLiteral("Hello?")}})
                 .status,
             201);
    QCOMPARE(m_server->client(customer)
                 ->get(u"/support/conversation/" + secondId)
                 .json.value(u"agentId")
                 .toString(),
             online.user.id);
}

void tst_ConversationApi::ownerAndAgentsReply()
{
    const auto agent = m_server->account(Role::Support);
    const auto admin = m_server->account(Role::Admin);
    const auto customer = m_server->account(Role::Customer);
    const QString id = start(customer, {{QStringLiteral("message"), QStringLiteral("Hello")}})
                           .json.value(u"id")
                           .toString();
    const QString path = u"/support/conversation/" + id + u"/messages";

    struct Turn
    {
        const TestServer::Account *who;
        QString role;
    };
    for (const Turn &turn :
         {Turn {&agent, QStringLiteral("support")}, Turn {&customer, QStringLiteral("customer")},
          Turn {&admin, QStringLiteral("admin")}}) {
        m_server->clock().advance(1);
        const QString text = u"from " + turn.role;
        const auto r = m_server->client(*turn.who)->post(path, {{QStringLiteral("message"), text}});
        QCOMPARE(r.status, 201);
        QVERIFY(!r.json.value(u"id").toString().isEmpty());
        QCOMPARE(r.json.value(u"conversationId").toString(), id);
        QCOMPARE(r.json.value(u"senderId").toString(), turn.who->user.id);
        QCOMPARE(r.json.value(u"senderRole").toString(), turn.role);
        QCOMPARE(r.json.value(u"message").toString(), text);
    }
    const QJsonArray messages = m_server->client(customer)
                                    ->get(u"/support/conversation/" + id)
                                    .json.value(u"messages")
                                    .toArray();
    QCOMPARE(messages.size(), 4);
    QCOMPARE(messages.at(3).toObject().value(u"message").toString(), QStringLiteral("from admin"));
    // Text is stored as sent, never interpreted.
    const auto html = m_server->client(customer)->post(
        path, {{QStringLiteral("message"), QStringLiteral("<script>alert(1)</script>")}});
    QCOMPARE(html.json.value(u"message").toString(), QStringLiteral("<script>alert(1)</script>"));
}

void tst_ConversationApi::onlyOwnerAndAgentsSeeIt_data()
{
    QTest::addColumn<int>("role"); // Role, or -1 for another customer
    QTest::addColumn<int>("expected");
    QTest::newRow("owner") << int(Role::Customer) << 200;
    QTest::newRow("another customer") << -1 << 404;
    QTest::newRow("support") << int(Role::Support) << 200;
    QTest::newRow("admin") << int(Role::Admin) << 200;
    QTest::newRow("technician") << int(Role::Technician) << 403;
}

void tst_ConversationApi::onlyOwnerAndAgentsSeeIt()
{
    QFETCH(int, role);
    QFETCH(int, expected);
    const auto owner = m_server->account(Role::Customer);
    const QString id = start(owner, {{QStringLiteral("message"), QStringLiteral("Private")}})
                           .json.value(u"id")
                           .toString();
    QVERIFY(!id.isEmpty());
    const auto caller = role == int(Role::Customer) ? owner
        : role < 0                                  ? m_server->account(Role::Customer)
                                                    : m_server->account(Role(role));
    auto client = m_server->client(caller);
    const auto got = client->get(u"/support/conversation/" + id);
    QCOMPARE(got.status, expected);
    const auto posted = client->post(u"/support/conversation/" + id + u"/messages",
                                     {{QStringLiteral("message"), QStringLiteral("Me too")}});
    QCOMPARE(posted.status, expected == 200 ? 201 : expected);
    if (expected == 404) {
        // Exactly what an id that does not exist answers.
        const auto none = client->get(QStringLiteral("/support/conversation/no-such-id"));
        QCOMPARE(none.status, 404);
        QCOMPARE(got.body, none.body);
    }
}

void tst_ConversationApi::onlyCustomersStartConversations_data()
{
    QTest::addColumn<int>("role");
    QTest::newRow("support") << int(Role::Support);
    QTest::newRow("admin") << int(Role::Admin);
    QTest::newRow("technician") << int(Role::Technician);
}

void tst_ConversationApi::onlyCustomersStartConversations()
{
    QFETCH(int, role);
    const auto r
        = start(m_server->account(Role(role)), {{QStringLiteral("message"), QStringLiteral("hi")}});
    QCOMPARE(r.status, 403);
    QCOMPARE(m_server->anonymousClient()
                 ->post(QStringLiteral("/support/conversation"),
                        {{QStringLiteral("message"), QStringLiteral("hi")}})
                 .status,
             401);
}

void tst_ConversationApi::changesReachTheCustomerAndAgents()
{
    const auto agent = m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    const auto other = m_server->account(Role::Customer);
    const QString id = start(customer, {{QStringLiteral("message"), QStringLiteral("Hello")}})
                           .json.value(u"id")
                           .toString();
    m_server->clock().advance(1);
    QCOMPARE(m_server->client(agent)
                 ->post(u"/support/conversation/" + id + u"/messages",
                        {{QStringLiteral("message"), QStringLiteral("Hi")}})
                 .status,
             201);

    auto changesFor = [&](const TestServer::Account &a) {
        store::ChangeLogRepository log(m_server->database().connection());
        const auto page = log.since(0, 100, {a.user.role, a.user.id});
        QList<Change> out;
        for (const Change &c : page->changes) {
            if (c.entity == u"conversation")
                out << c;
        }
        return out;
    };
    for (const auto *reader : {&customer, &agent}) {
        const QList<Change> seen = changesFor(*reader);
        QCOMPARE(seen.size(), 2);
        QCOMPARE(toString(seen.at(0).op), QStringLiteral("created"));
        QCOMPARE(toString(seen.at(1).op), QStringLiteral("updated"));
        QCOMPARE(seen.at(1).entityId, id);
        QCOMPARE(seen.at(1).data.value(u"messages").toArray().size(), 2);
    }
    QVERIFY(changesFor(other).isEmpty());
}

void tst_ConversationApi::listIsFilteredByRole()
{
    const auto a = m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    const auto other = m_server->account(Role::Customer);
    // Equal loads: the two conversations go to a and then to b.
    const QString first = start(customer, {{QStringLiteral("message"), QStringLiteral("1")}})
                              .json.value(u"id")
                              .toString();
    const auto b = m_server->account(Role::Support);
    m_server->clock().advance(1);
    const QString second = start(other, {{QStringLiteral("message"), QStringLiteral("2")}})
                               .json.value(u"id")
                               .toString();

    const auto mine
        = m_server->client(a)->get(QStringLiteral("/support/conversations?assignedTo=me"));
    QCOMPARE(mine.status, 200);
    QCOMPARE(mine.json.value(u"total").toInt(), 1);
    const QJsonObject item = mine.json.value(u"items").toArray().first().toObject();
    QCOMPARE(item.value(u"id").toString(), first);
    QVERIFY(!item.contains(u"messages")); // a list holds no messages

    const auto all
        = m_server->client(b)->get(QStringLiteral("/support/conversations?status=open&limit=1"));
    QCOMPARE(all.json.value(u"total").toInt(), 2);
    QCOMPARE(all.json.value(u"items").toArray().size(), 1);
    QCOMPARE(all.json.value(u"limit").toInt(), 1);

    // A customer sees its own, whatever it asks for.
    const auto own
        = m_server->client(other)->get(u"/support/conversations?customer=" + customer.user.id);
    QCOMPARE(own.status, 200);
    QCOMPARE(own.json.value(u"total").toInt(), 1);
    QCOMPARE(own.json.value(u"items").toArray().first().toObject().value(u"id").toString(), second);

    for (const QString &query : {QStringLiteral("status=pending"), QStringLiteral("limit=0"),
                                 QStringLiteral("limit=101"), QStringLiteral("offset=-1")}) {
        const auto bad = m_server->client(a)->get(u"/support/conversations?" + query);
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.field(), query.section(u'=', 0, 0));
    }
}

void tst_ConversationApi::badInputIs400NamingTheField_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    const QString hi = QStringLiteral("hi");
    QTest::newRow("no message") << QJsonObject {} << QStringLiteral("message");
    QTest::newRow("empty message")
        << QJsonObject {{QStringLiteral("message"), QStringLiteral("  ")}}
        << QStringLiteral("message");
    QTest::newRow("message not a string")
        << QJsonObject {{QStringLiteral("message"), 7}} << QStringLiteral("message");
    QTest::newRow("message too long")
        << QJsonObject {{QStringLiteral("message"), QString(10001, u'x')}}
        << QStringLiteral("message");
    QTest::newRow("ticketId not a string")
        << QJsonObject {{QStringLiteral("message"), hi}, {QStringLiteral("ticketId"), 42}}
        << QStringLiteral("ticketId");
    QTest::newRow("ticketId empty")
        << QJsonObject {{QStringLiteral("message"), hi}, {QStringLiteral("ticketId"), QString()}}
        << QStringLiteral("ticketId");
}

void tst_ConversationApi::badInputIs400NamingTheField()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    const auto customer = m_server->account(Role::Customer);
    const auto r = start(customer, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), field);
    // The same rules for a reply; and the server still answers.
    const auto ok = start(customer, {{QStringLiteral("message"), QString(10000, u'x')}});
    QCOMPARE(ok.status, 201);
    if (field == u"message") {
        const auto reply = m_server->client(customer)->post(
            u"/support/conversation/" + ok.json.value(u"id").toString() + u"/messages", body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.field(), field);
    }
}

QTEST_GUILESS_MAIN(tst_ConversationApi)
#include "tst_conversationapi.moc"
