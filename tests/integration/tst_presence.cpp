// Presence over real sockets, on SQLite and PostgreSQL: who views and who types on a ticket
// (agents only) and in a conversation (its subscribers), typing that runs out, sockets leaving.
#include <support/testserver.h>
#include <support/testsocket.h>

#include <store/conversationrepository.h>

#include <QElapsedTimer>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_Presence : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void viewingReachesAgentsNotCustomers();
    void eachPersonIsListedOnce();
    void typingRunsOutUnlessRefreshed();
    void closingSocketEndsItsPresence();
    void newAgentSeesWhoIsAlreadyThere();
    void customersCannotFeedTicketPresence();
    void conversationTypingReachesItsSubscribers();
    void customerSubscribesOnlyToOwnConversation();
    void typingInAConversationNeedsASubscription();

private:
    std::unique_ptr<TestSocket> socketOf(const TestServer::Account &account);
    QString conversationOf(const TestServer::Account &customer);

    std::unique_ptr<TestServer> m_server;
};

namespace {

const QString kTicket = QStringLiteral("ticket-under-discussion");

QJsonObject frame(const char *type, const QString &key, const QString &id)
{
    return {{QStringLiteral("type"), QLatin1StringView(type)}, {key, id}};
}

QJsonObject onTicket(const char *type)
{
    return frame(type, QStringLiteral("ticketId"), kTicket);
}

// The next presence frame of the room whose list equals ids.
std::optional<QJsonObject> waitForList(TestSocket &socket, const QString &room, const QString &list,
                                       const QStringList &ids, bool conversation = false,
                                       int timeoutMs = 5000)
{
    const auto isRoom = TestSocket::isPresence(room, conversation);
    return socket.waitForFrame(
        [&](const QJsonObject &f) { return isRoom(f) && presenceIds(f, list) == ids; }, timeoutMs);
}

} // namespace

void tst_Presence::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
}

std::unique_ptr<TestSocket> tst_Presence::socketOf(const TestServer::Account &account)
{
    return TestSocket::signedIn(m_server->wsUrl(), account.token);
}

QString tst_Presence::conversationOf(const TestServer::Account &customer)
{
    Conversation c;
    c.customerId = customer.user.id;
    c.createdAt = m_server->clock().now();
    const auto saved = m_server->database().transaction(
        [&](QSqlDatabase &db) { return store::ConversationRepository(db).insert(c); });
    if (!saved) {
        QTest::qFail(qPrintable(saved.error().message), __FILE__, __LINE__);
        return {};
    }
    return saved->id;
}

void tst_Presence::viewingReachesAgentsNotCustomers()
{
    const auto ann = m_server->account(Role::Support, QStringLiteral("Ann"));
    const auto ben = m_server->account(Role::Admin, QStringLiteral("Ben"));
    const auto customer = m_server->account(Role::Customer);
    auto annSocket = socketOf(ann);
    auto benSocket = socketOf(ben);
    auto customerSocket = socketOf(customer);
    QVERIFY(annSocket && benSocket && customerSocket);

    annSocket->sendJson(onTicket("viewing"));
    const auto seen = waitForList(*benSocket, kTicket, QStringLiteral("viewers"), {ann.user.id});
    QVERIFY(seen);
    const QJsonObject viewer = seen->value(u"viewers").toArray().first().toObject();
    QCOMPARE(viewer.value(u"name").toString(), QStringLiteral("Ann"));
    QCOMPARE(viewer.value(u"role").toString(), QStringLiteral("support"));
    QVERIFY(!seen->contains(u"seq")); // not a change-log event
    QVERIFY(waitForList(*annSocket, kTicket, QStringLiteral("viewers"), {ann.user.id}));

    benSocket->sendJson(onTicket("viewing"));
    QVERIFY(
        waitForList(*annSocket, kTicket, QStringLiteral("viewers"), {ann.user.id, ben.user.id}));
    annSocket->sendJson(onTicket("typing"));
    QVERIFY(waitForList(*benSocket, kTicket, QStringLiteral("typing"), {ann.user.id}));
    annSocket->sendJson(onTicket("stopViewing"));
    const auto left = waitForList(*benSocket, kTicket, QStringLiteral("viewers"), {ben.user.id});
    QVERIFY(left);
    QCOMPARE(presenceIds(*left, QStringLiteral("typing")), QStringList()); // leaving ends typing

    QVERIFY(customerSocket->pingPong());
    QVERIFY2(!customerSocket->hasFrame(TestSocket::ofType(QStringLiteral("presence"))),
             "a customer learnt which agents view a ticket");
}

void tst_Presence::eachPersonIsListedOnce()
{
    const auto ann = m_server->account(Role::Support);
    const auto ben = m_server->account(Role::Support);
    auto first = socketOf(ann);
    auto second = socketOf(ann); // the same agent in a second window
    auto benSocket = socketOf(ben);
    QVERIFY(first && second && benSocket);

    first->sendJson(onTicket("viewing"));
    QVERIFY(waitForList(*benSocket, kTicket, QStringLiteral("viewers"), {ann.user.id}));
    second->sendJson(onTicket("viewing"));
    QVERIFY(second->pingPong()); // frames of two sockets may be handled in either order
    first->sendJson(onTicket("stopViewing"));
    QVERIFY(first->pingPong());
    QVERIFY(benSocket->pingPong());
    const auto frames = benSocket->frames();
    const auto presence
        = std::count_if(frames.cbegin(), frames.cend(), TestSocket::isPresence(kTicket));
    QCOMPARE(presence, 1); // still viewing through the second window: no new frame
    second->sendJson(onTicket("stopViewing"));
    QVERIFY(waitForList(*benSocket, kTicket, QStringLiteral("viewers"), {}));
}

void tst_Presence::typingRunsOutUnlessRefreshed()
{
    const auto ann = m_server->account(Role::Support);
    const auto ben = m_server->account(Role::Support);
    auto annSocket = socketOf(ann);
    auto benSocket = socketOf(ben);
    QVERIFY(annSocket && benSocket);

    annSocket->sendJson(onTicket("typing"));
    QVERIFY(waitForList(*benSocket, kTicket, QStringLiteral("typing"), {ann.user.id}));
    QTest::qWait(3000);
    QElapsedTimer sinceRefresh;
    sinceRefresh.start();
    annSocket->sendJson(onTicket("typing")); // refreshed: typing goes on, no new frame
    const auto ended = waitForList(*benSocket, kTicket, QStringLiteral("typing"), {}, false, 10000);
    QVERIFY(ended);
    // About five seconds after the refresh (without it, two seconds after the refresh).
    const qint64 ms = sinceRefresh.elapsed();
    QVERIFY2(ms >= 4500 && ms < 8000, qPrintable(QString::number(ms)));
    const auto frames = benSocket->frames();
    QCOMPARE(std::count_if(frames.cbegin(), frames.cend(), TestSocket::isPresence(kTicket)), 2);
}

void tst_Presence::closingSocketEndsItsPresence()
{
    const auto ann = m_server->account(Role::Support);
    const auto ben = m_server->account(Role::Support);
    auto annSocket = socketOf(ann);
    auto benSocket = socketOf(ben);
    QVERIFY(annSocket && benSocket);

    annSocket->sendJson(onTicket("viewing"));
    annSocket->sendJson(onTicket("typing"));
    QVERIFY(waitForList(*benSocket, kTicket, QStringLiteral("typing"), {ann.user.id}));
    annSocket->close();
    const auto gone = waitForList(*benSocket, kTicket, QStringLiteral("viewers"), {});
    QVERIFY(gone);
    QCOMPARE(presenceIds(*gone, QStringLiteral("typing")), QStringList());
}

void tst_Presence::newAgentSeesWhoIsAlreadyThere()
{
    const auto ann = m_server->account(Role::Support);
    auto annSocket = socketOf(ann);
    QVERIFY(annSocket);
    annSocket->sendJson(onTicket("viewing"));
    QVERIFY(waitForList(*annSocket, kTicket, QStringLiteral("viewers"), {ann.user.id}));

    auto late = socketOf(m_server->account(Role::Support));
    QVERIFY(late);
    QVERIFY(waitForList(*late, kTicket, QStringLiteral("viewers"), {ann.user.id}));
}

void tst_Presence::customersCannotFeedTicketPresence()
{
    const auto customer = m_server->account(Role::Customer);
    auto customerSocket = socketOf(customer);
    auto agentSocket = socketOf(m_server->account(Role::Support));
    QVERIFY(customerSocket && agentSocket);
    for (const char *type : {"viewing", "typing"}) {
        customerSocket->sendJson(onTicket(type));
        const auto error
            = customerSocket->waitForFrame(TestSocket::ofType(QStringLiteral("error")));
        QVERIFY(error);
        QCOMPARE(error->value(u"code").toString(), QStringLiteral("forbidden"));
    }
    QVERIFY(customerSocket->pingPong());
    QVERIFY(agentSocket->pingPong());
    QVERIFY(!agentSocket->hasFrame(TestSocket::ofType(QStringLiteral("presence"))));
    QVERIFY(customerSocket->isConnected());
}

void tst_Presence::conversationTypingReachesItsSubscribers()
{
    const auto customer = m_server->account(Role::Customer, QStringLiteral("Cleo"));
    const auto agent = m_server->account(Role::Support, QStringLiteral("Ann"));
    const auto bystander = m_server->account(Role::Support);
    const QString id = conversationOf(customer);
    auto customerSocket = socketOf(customer);
    auto agentSocket = socketOf(agent);
    auto bystanderSocket = socketOf(bystander);
    QVERIFY(customerSocket && agentSocket && bystanderSocket);
    const QString key = QStringLiteral("conversationId");

    customerSocket->sendJson(frame("subscribe", key, id));
    const auto subscribed
        = customerSocket->waitForFrame(TestSocket::ofType(QStringLiteral("subscribed")));
    QVERIFY(subscribed);
    QCOMPARE(subscribed->value(key).toString(), id);
    agentSocket->sendJson(frame("subscribe", key, id));
    QVERIFY(waitForList(*customerSocket, id, QStringLiteral("viewers"),
                        {agent.user.id, customer.user.id}, true));

    agentSocket->sendJson(frame("typing", key, id));
    const auto typing
        = waitForList(*customerSocket, id, QStringLiteral("typing"), {agent.user.id}, true);
    QVERIFY(typing);
    customerSocket->sendJson(frame("typing", key, id));
    QVERIFY(waitForList(*agentSocket, id, QStringLiteral("typing"),
                        {agent.user.id, customer.user.id}, true));
    agentSocket->sendJson(frame("stopTyping", key, id));
    QVERIFY(waitForList(*customerSocket, id, QStringLiteral("typing"), {customer.user.id}, true));

    agentSocket->sendJson(frame("unsubscribe", key, id));
    QVERIFY(waitForList(*customerSocket, id, QStringLiteral("viewers"), {customer.user.id}, true));
    QVERIFY(bystanderSocket->pingPong());
    QVERIFY2(!bystanderSocket->hasFrame(TestSocket::isPresence(id, true)),
             "conversation presence reached a socket not subscribed to it");
}

void tst_Presence::customerSubscribesOnlyToOwnConversation()
{
    const auto owner = m_server->account(Role::Customer);
    const auto other = m_server->account(Role::Customer);
    const QString id = conversationOf(owner);
    auto otherSocket = socketOf(other);
    auto ownerSocket = socketOf(owner);
    QVERIFY(otherSocket && ownerSocket);
    const QString key = QStringLiteral("conversationId");

    for (const QString &target : {id, QStringLiteral("no-such-conversation")}) {
        otherSocket->sendJson(frame("subscribe", key, target));
        const auto error = otherSocket->waitForFrame(TestSocket::ofType(QStringLiteral("error")));
        QVERIFY(error);
        QCOMPARE(error->value(u"code").toString(), QStringLiteral("not_found"));
    }
    ownerSocket->sendJson(frame("subscribe", key, id));
    QVERIFY(ownerSocket->waitForFrame(TestSocket::ofType(QStringLiteral("subscribed"))));
    ownerSocket->sendJson(frame("typing", key, id));
    QVERIFY(waitForList(*ownerSocket, id, QStringLiteral("typing"), {owner.user.id}, true));
    QVERIFY(otherSocket->pingPong());
    QVERIFY(!otherSocket->hasFrame(TestSocket::isPresence(id, true)));

    auto technician = socketOf(m_server->account(Role::Technician));
    QVERIFY(technician);
    technician->sendJson(frame("subscribe", key, id));
    const auto refused = technician->waitForFrame(TestSocket::ofType(QStringLiteral("error")));
    QVERIFY(refused);
    QCOMPARE(refused->value(u"code").toString(), QStringLiteral("forbidden"));
}

void tst_Presence::typingInAConversationNeedsASubscription()
{
    const auto customer = m_server->account(Role::Customer);
    const QString id = conversationOf(customer);
    auto agentSocket = socketOf(m_server->account(Role::Support));
    QVERIFY(agentSocket);
    agentSocket->sendJson(frame("typing", QStringLiteral("conversationId"), id));
    const auto error = agentSocket->waitForFrame(TestSocket::ofType(QStringLiteral("error")));
    QVERIFY(error);
    QCOMPARE(error->value(u"code").toString(), QStringLiteral("not_subscribed"));
    QVERIFY(agentSocket->isConnected());
}

QTEST_GUILESS_MAIN(tst_Presence)
#include "tst_presence.moc"
