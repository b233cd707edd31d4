// The WebSocket hub over real sockets, on SQLite and PostgreSQL: the auth frame, events and who
// receives them, ping, bad frames, revocation, and catching up through /sync/changes.
#include <support/testserver.h>
#include <support/testsocket.h>

#include <store/changelogrepository.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_Realtime : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void firstFrameMustAuthenticate_data();
    void firstFrameMustAuthenticate();
    void readyFrameNamesTheUser();
    void socketUpdatesForRealTimeMessaging();
    void eventsReachAgentsInSeqOrder();
    void internalNoteNeverReachesTheCustomer();
    void otherCustomersEventsNeverArrive();
    void pingIsAnsweredWithPong();
    void badFramesAfterAuthKeepTheSocket_data();
    void badFramesAfterAuthKeepTheSocket();
    void oversizeFrameClosesTheSocket();
    void logoutClosesThatTokensSocket();
    void passwordChangeClosesTheOtherSockets();
    void deactivationClosesEverySocket();
    void roleChangeClosesTheSocket();
    void reconnectCatchesUpThroughSync();

private:
    std::unique_ptr<TestSocket> socketOf(const TestServer::Account &account);
    std::unique_ptr<TestSocket> socketWith(const QString &token);
    QString newTicket(const TestServer::Account &customer, const QString &subject);
    QString postMessage(const TestServer::Account &author, const QString &ticketId,
                        const QString &text, bool internal = false);
    QString secondToken(const TestServer::Account &account);

    std::unique_ptr<TestServer> m_server;
};

namespace {

bool mentions(const QJsonObject &frame, const QString &id)
{
    const QJsonObject data = frame.value(u"data").toObject();
    return frame.value(u"id").toString() == id || data.value(u"id").toString() == id
        || data.value(u"ticketId").toString() == id;
}

} // namespace

void tst_Realtime::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
}

std::unique_ptr<TestSocket> tst_Realtime::socketOf(const TestServer::Account &account)
{
    return socketWith(account.token);
}

std::unique_ptr<TestSocket> tst_Realtime::socketWith(const QString &token)
{
    return TestSocket::signedIn(m_server->wsUrl(), token);
}

QString tst_Realtime::newTicket(const TestServer::Account &customer, const QString &subject)
{
    const auto r = m_server->client(customer)->post(
        QStringLiteral("/support/tickets"),
        {{QStringLiteral("subject"), subject},
         {QStringLiteral("description"), QStringLiteral("The technician did not come.")},
         {QStringLiteral("category"), QStringLiteral("booking")}});
    if (r.status != 201)
        QTest::qFail(qPrintable(QStringLiteral("ticket not created: %1 %2")
                                    .arg(r.status)
                                    .arg(QString::fromUtf8(r.body))),
                     __FILE__, __LINE__);
    return r.json.value(u"id").toString();
}

QString tst_Realtime::postMessage(const TestServer::Account &author, const QString &ticketId,
                                  const QString &text, bool internal)
{
    QJsonObject body {{QStringLiteral("message"), text}};
    if (internal)
        body.insert(QStringLiteral("isInternal"), true);
    const auto r = m_server->client(author)->post(
        QStringLiteral("/support/tickets/%1/messages").arg(ticketId), body);
    if (r.status != 201)
        QTest::qFail(qPrintable(QStringLiteral("message not posted: %1").arg(r.status)), __FILE__,
                     __LINE__);
    return r.json.value(u"id").toString();
}

QString tst_Realtime::secondToken(const TestServer::Account &account)
{
    TestClient c(m_server->baseUrl());
    return c.login(account.user.email, account.password) ? c.token() : QString();
}

void tst_Realtime::firstFrameMustAuthenticate_data()
{
    QTest::addColumn<QString>("firstFrame");
    QTest::newRow("ping before auth") << QStringLiteral(R"({"type":"ping"})");
    QTest::newRow("subscribe before auth")
        << QStringLiteral(R"({"type":"subscribe","conversationId":"c1"})");
    QTest::newRow("unknown token") << QStringLiteral(R"({"type":"auth","token":"not-a-token"})");
    QTest::newRow("auth without token") << QStringLiteral(R"({"type":"auth"})");
    QTest::newRow("token not a string") << QStringLiteral(R"({"type":"auth","token":42})");
    QTest::newRow("not JSON") << QStringLiteral("hello");
    QTest::newRow("token in the wrong field")
        << QStringLiteral(R"({"type":"ready","token":"%TOKEN%"})");
}

void tst_Realtime::firstFrameMustAuthenticate()
{
    QFETCH(QString, firstFrame);
    const auto agent = m_server->account(Role::Support);
    TestSocket socket;
    QVERIFY(socket.connect(m_server->wsUrl()));
    socket.sendText(firstFrame.replace(QStringLiteral("%TOKEN%"), agent.token));
    const auto error = socket.waitForFrame(TestSocket::ofType(QStringLiteral("error")));
    QVERIFY(error);
    QCOMPARE(error->value(u"code").toString(), QStringLiteral("unauthorized"));
    QVERIFY(socket.waitForDisconnected());
    QCOMPARE(int(socket.closeCode()), int(QWebSocketProtocol::CloseCodePolicyViolated));
    QVERIFY(!socket.hasFrame(TestSocket::ofType(QStringLiteral("ready"))));
}

void tst_Realtime::readyFrameNamesTheUser()
{
    const auto agent = m_server->account(Role::Support, QStringLiteral("Sam"));
    newTicket(m_server->account(Role::Customer), QStringLiteral("Before the socket"));
    TestSocket socket;
    const auto ready = socket.signIn(m_server->wsUrl(), agent.token);
    QVERIFY(ready);
    QCOMPARE(ready->value(u"user").toObject().value(u"id").toString(), agent.user.id);
    QCOMPARE(ready->value(u"user").toObject().value(u"name").toString(), QStringLiteral("Sam"));
    // Where the live stream starts: the latest change of the log so far (the ticket's).
    const auto latest = store::ChangeLogRepository(m_server->database().connection()).latestSeq();
    QVERIFY(latest && *latest > 0);
    QCOMPARE(ready->value(u"seq").toInteger(), *latest);
}

// Spec §6 "Socket.io updates for real-time messaging": both sides of a ticket's thread see the
// other's message arrive on their socket, without asking for it.
void tst_Realtime::socketUpdatesForRealTimeMessaging()
{
    const auto agent = m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    auto agentSocket = socketOf(agent);
    auto customerSocket = socketOf(customer);
    QVERIFY(agentSocket && customerSocket);

    const QString ticketId = newTicket(customer, QStringLiteral("Leaking tap"));
    const QString question = postMessage(customer, ticketId, QStringLiteral("Is he coming?"));
    const auto seen
        = agentSocket->waitForFrame(TestSocket::isEvent(QStringLiteral("message"), question));
    QVERIFY(seen);
    QCOMPARE(seen->value(u"data").toObject().value(u"ticketId").toString(), ticketId);
    QCOMPARE(seen->value(u"data").toObject().value(u"message").toString(),
             QStringLiteral("Is he coming?"));

    const QString answer = postMessage(agent, ticketId, QStringLiteral("At 3 pm today."));
    const auto reply
        = customerSocket->waitForFrame(TestSocket::isEvent(QStringLiteral("message"), answer));
    QVERIFY(reply);
    QCOMPARE(reply->value(u"data").toObject().value(u"message").toString(),
             QStringLiteral("At 3 pm today."));
    QCOMPARE(reply->value(u"data").toObject().value(u"senderId").toString(), agent.user.id);
    QVERIFY(reply->value(u"seq").toInteger() > seen->value(u"seq").toInteger());
}

void tst_Realtime::eventsReachAgentsInSeqOrder()
{
    const auto support = m_server->account(Role::Support);
    const auto admin = m_server->account(Role::Admin);
    const auto customer = m_server->account(Role::Customer);
    auto supportSocket = socketOf(support);
    auto adminSocket = socketOf(admin);
    QVERIFY(supportSocket && adminSocket);

    const QString ticketId = newTicket(customer, QStringLiteral("Broken boiler"));
    const QString messageId = postMessage(customer, ticketId, QStringLiteral("Any news?"));
    for (TestSocket *socket : {supportSocket.get(), adminSocket.get()}) {
        const auto ticket = socket->waitForFrame(TestSocket::isEvent(QStringLiteral("ticket")));
        QVERIFY(ticket);
        QCOMPARE(ticket->value(u"op").toString(), QStringLiteral("created"));
        QCOMPARE(ticket->value(u"id").toString(), ticketId);
        QCOMPARE(ticket->value(u"data").toObject().value(u"subject").toString(),
                 QStringLiteral("Broken boiler"));
        const auto message
            = socket->waitForFrame(TestSocket::isEvent(QStringLiteral("message"), messageId));
        QVERIFY(message);
        QCOMPARE(message->value(u"data").toObject().value(u"message").toString(),
                 QStringLiteral("Any news?"));
        QVERIFY(message->value(u"seq").toInteger() > ticket->value(u"seq").toInteger());
        QVERIFY(!message->value(u"createdAt").toString().isEmpty());
    }
    // Every event frame of the stream, in the order received, has a larger seq than the last.
    qint64 last = 0;
    for (const QJsonObject &f : supportSocket->frames()) {
        if (f.value(u"type").toString() != u"event")
            continue;
        QVERIFY2(f.value(u"seq").toInteger() > last, "seq must increase");
        last = f.value(u"seq").toInteger();
    }
}

void tst_Realtime::internalNoteNeverReachesTheCustomer()
{
    const auto agent = m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    auto agentSocket = socketOf(agent);
    auto customerSocket = socketOf(customer);
    QVERIFY(agentSocket && customerSocket);

    const QString ticketId = newTicket(customer, QStringLiteral("Refund"));
    const QString noteId
        = postMessage(agent, ticketId, QStringLiteral("Customer is on the watch list"), true);
    const QString replyId = postMessage(agent, ticketId, QStringLiteral("Refund is on its way"));

    const auto note
        = agentSocket->waitForFrame(TestSocket::isEvent(QStringLiteral("message"), noteId));
    QVERIFY(note);
    QCOMPARE(note->value(u"data").toObject().value(u"isInternal").toBool(), true);
    QVERIFY(agentSocket->waitForFrame(TestSocket::isEvent(QStringLiteral("message"), replyId)));

    // The customer's socket works (its ticket and the public reply arrive, in order after the
    // note was sent), and the note is not among its frames.
    QVERIFY(customerSocket->waitForFrame(TestSocket::isEvent(QStringLiteral("ticket"), ticketId)));
    const auto reply
        = customerSocket->waitForFrame(TestSocket::isEvent(QStringLiteral("message"), replyId));
    QVERIFY(reply);
    QCOMPARE(reply->value(u"data").toObject().value(u"message").toString(),
             QStringLiteral("Refund is on its way"));
    QVERIFY(customerSocket->pingPong());
    for (const QJsonObject &f : customerSocket->frames()) {
        QVERIFY2(!mentions(f, noteId), "an internal note reached a customer's socket");
        QVERIFY(!f.value(u"data").toObject().value(u"isInternal").toBool());
        QVERIFY(!QJsonDocument(f).toJson().contains("watch list"));
    }
}

void tst_Realtime::otherCustomersEventsNeverArrive()
{
    const auto alice = m_server->account(Role::Customer);
    const auto bob = m_server->account(Role::Customer);
    const auto agent = m_server->account(Role::Support);
    auto aliceSocket = socketOf(alice);
    QVERIFY(aliceSocket);

    const QString bobsTicket = newTicket(bob, QStringLiteral("Bob's secret"));
    postMessage(bob, bobsTicket, QStringLiteral("my address is ..."));
    postMessage(agent, bobsTicket, QStringLiteral("Hello Bob"));
    const QString alicesTicket = newTicket(alice, QStringLiteral("Alice's own"));

    QVERIFY(aliceSocket->waitForFrame(TestSocket::isEvent(QStringLiteral("ticket"), alicesTicket)));
    QVERIFY(aliceSocket->pingPong());
    for (const QJsonObject &f : aliceSocket->frames()) {
        QVERIFY2(!mentions(f, bobsTicket), "another customer's event reached the socket");
        const QJsonObject data = f.value(u"data").toObject();
        if (data.contains(u"customerId"))
            QCOMPARE(data.value(u"customerId").toString(), alice.user.id);
    }
}

void tst_Realtime::pingIsAnsweredWithPong()
{
    auto socket = socketOf(m_server->account(Role::Customer));
    QVERIFY(socket);
    for (int i = 0; i < 3; ++i)
        QVERIFY(socket->pingPong());
    QVERIFY(socket->isConnected());
}

void tst_Realtime::badFramesAfterAuthKeepTheSocket_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("code");
    QTest::newRow("not JSON") << QStringLiteral("{not json") << QStringLiteral("invalid_json");
    QTest::newRow("JSON array") << QStringLiteral("[1,2]") << QStringLiteral("invalid_json");
    QTest::newRow("unknown type") << QStringLiteral(R"({"type":"dance"})")
                                  << QStringLiteral("unknown_frame");
    QTest::newRow("no type") << QStringLiteral(R"({"ticketId":"t"})")
                             << QStringLiteral("unknown_frame");
    QTest::newRow("second auth") << QStringLiteral(R"({"type":"auth","token":"x"})")
                                 << QStringLiteral("already_authenticated");
    QTest::newRow("subscribe without id")
        << QStringLiteral(R"({"type":"subscribe"})") << QStringLiteral("invalid_field");
    QTest::newRow("viewing without id")
        << QStringLiteral(R"({"type":"viewing"})") << QStringLiteral("invalid_field");
}

void tst_Realtime::badFramesAfterAuthKeepTheSocket()
{
    QFETCH(QString, frame);
    QFETCH(QString, code);
    auto socket = socketOf(m_server->account(Role::Support));
    QVERIFY(socket);
    socket->sendText(frame);
    const auto error = socket->waitForFrame(TestSocket::ofType(QStringLiteral("error")));
    QVERIFY(error);
    QCOMPARE(error->value(u"code").toString(), code);
    QVERIFY(!error->value(u"message").toString().isEmpty());
    QVERIFY(socket->pingPong());
    QVERIFY(socket->isConnected());
}

void tst_Realtime::oversizeFrameClosesTheSocket()
{
    const auto agent = m_server->account(Role::Support);
    auto socket = socketOf(agent);
    QVERIFY(socket);
    socket->sendText(
        QStringLiteral(R"({"type":"ping","pad":"%1"})").arg(QString(128 * 1024, u'x')));
    QVERIFY(socket->waitForDisconnected());
    QCOMPARE(int(socket->closeCode()), int(QWebSocketProtocol::CloseCodeTooMuchData));
    QVERIFY(!socket->hasFrame(TestSocket::ofType(QStringLiteral("pong"))));
    // The server goes on serving.
    QVERIFY(socketOf(agent));
}

void tst_Realtime::logoutClosesThatTokensSocket()
{
    const auto agent = m_server->account(Role::Support);
    const QString other = secondToken(agent);
    auto loggingOut = socketOf(agent);
    auto staying = socketWith(other);
    QVERIFY(loggingOut && staying);

    QCOMPARE(m_server->client(agent)->post(QStringLiteral("/auth/logout")).status, 204);
    QElapsedTimer t;
    t.start();
    QVERIFY(loggingOut->waitForDisconnected(3000));
    QVERIFY2(t.elapsed() < 2500, "a revoked socket closes at once");
    QVERIFY(staying->pingPong());
    QVERIFY(staying->isConnected());
    // The revoked token cannot sign a socket in again.
    TestSocket again;
    QVERIFY(!again.signIn(m_server->wsUrl(), agent.token, 3000));
}

void tst_Realtime::passwordChangeClosesTheOtherSockets()
{
    const auto customer = m_server->account(Role::Customer);
    const QString other = secondToken(customer);
    auto current = socketOf(customer);
    auto elsewhere = socketWith(other);
    QVERIFY(current && elsewhere);

    const auto r = m_server->client(customer)->put(
        QStringLiteral("/auth/password"),
        {{QStringLiteral("currentPassword"), customer.password},
         {QStringLiteral("newPassword"), QStringLiteral("a brand new password")}});
    QVERIFY2(r.status == 200 || r.status == 204, r.body.constData());
    QVERIFY(elsewhere->waitForDisconnected(3000));
    QVERIFY(current->pingPong());
    QVERIFY(current->isConnected());
}

void tst_Realtime::deactivationClosesEverySocket()
{
    const auto admin = m_server->account(Role::Admin);
    const auto agent = m_server->account(Role::Support);
    auto first = socketOf(agent);
    auto second = socketWith(secondToken(agent));
    auto adminSocket = socketOf(admin);
    QVERIFY(first && second && adminSocket);

    const auto r = m_server->client(admin)->put(QStringLiteral("/users/%1").arg(agent.user.id),
                                                {{QStringLiteral("active"), false}});
    QCOMPARE(r.status, 200);
    QVERIFY(first->waitForDisconnected(3000));
    QVERIFY(second->waitForDisconnected(3000));
    QVERIFY(adminSocket->pingPong());
    QVERIFY(adminSocket->isConnected());
}

void tst_Realtime::roleChangeClosesTheSocket()
{
    // A demoted agent's socket would keep an agent's view (internal notes): it must reconnect.
    const auto admin = m_server->account(Role::Admin);
    const auto agent = m_server->account(Role::Support);
    auto socket = socketOf(agent);
    QVERIFY(socket);
    const auto r
        = m_server->client(admin)->put(QStringLiteral("/users/%1").arg(agent.user.id),
                                       {{QStringLiteral("role"), QStringLiteral("customer")}});
    QCOMPARE(r.status, 200);
    QVERIFY(socket->waitForDisconnected(3000));
}

void tst_Realtime::reconnectCatchesUpThroughSync()
{
    const auto agent = m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    auto socket = socketOf(agent);
    QVERIFY(socket);
    const QString ticketId = newTicket(customer, QStringLiteral("Leaking tap"));
    const auto seen = socket->waitForFrame(TestSocket::isEvent(QStringLiteral("ticket"), ticketId));
    QVERIFY(seen);
    const qint64 lastSeq = seen->value(u"seq").toInteger();
    socket->close();
    QVERIFY(socket->waitForDisconnected());

    // Missed while away.
    const QString first = postMessage(customer, ticketId, QStringLiteral("Still leaking"));
    const QString second = postMessage(agent, ticketId, QStringLiteral("Plumber booked"));

    TestSocket again;
    const auto ready = again.signIn(m_server->wsUrl(), agent.token);
    QVERIFY(ready);
    const auto missed
        = m_server->client(agent)->get(QStringLiteral("/sync/changes?since=%1").arg(lastSeq));
    QCOMPARE(missed.status, 200);
    QStringList ids;
    qint64 highest = lastSeq;
    for (const QJsonValue &v : missed.json.value(u"changes").toArray()) {
        const QJsonObject c = v.toObject();
        QVERIFY(c.value(u"seq").toInteger() > lastSeq);
        highest = c.value(u"seq").toInteger();
        if (c.value(u"entity").toString() == u"message")
            ids << c.value(u"id").toString();
    }
    QCOMPARE(ids, QStringList({first, second}));
    // The live stream starts after the ready frame's seq, which the fetched page reaches (the
    // log may end with changes this agent does not see, such as the customer's notifications).
    QVERIFY(ready->value(u"seq").toInteger() >= highest);
    const QString third = postMessage(customer, ticketId, QStringLiteral("Thanks"));
    const auto live = again.waitForFrame(TestSocket::isEvent(QStringLiteral("message"), third));
    QVERIFY(live);
    QVERIFY(live->value(u"seq").toInteger() > ready->value(u"seq").toInteger());
}

QTEST_GUILESS_MAIN(tst_Realtime)
#include "tst_realtime.moc"
