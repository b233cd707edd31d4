// Group commit over real HTTP (commitgroup.h), on SQLite and PostgreSQL: message POSTs that
// arrive together share one COMMIT, yet each gets its own answer, after the commit, in the order
// of the requests on its connection; a refused one in the group undoes only itself; a read
// behind a write on the same connection sees it; a client that leaves early breaks nothing.
// The requests go out on raw sockets, so that many arrive in one turn of the server's loop.
#include "tickettestkit.h"

#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

using namespace sb;
using namespace sb::test;

namespace {

struct RawAnswer
{
    int status = 0;
    QJsonObject json;
};

QByteArray httpRequest(const QByteArray &method, const QString &path, const QString &token,
                       const QJsonObject &body = {}, const QByteArray &idempotencyKey = {})
{
    const QByteArray payload
        = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray out = method + " /api/v1" + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    out += "Authorization: Bearer " + token.toUtf8() + "\r\n";
    if (!idempotencyKey.isEmpty())
        out += "Idempotency-Key: " + idempotencyKey + "\r\n";
    if (!payload.isEmpty())
        out += "Content-Type: application/json\r\n";
    out += "Content-Length: " + QByteArray::number(payload.size()) + "\r\n\r\n" + payload;
    return out;
}

// Splits what a connection received into answers (each framed by its Content-Length).
QList<RawAnswer> parseAnswers(QByteArray data)
{
    QList<RawAnswer> answers;
    static const QRegularExpression length(QStringLiteral("(?i)\r\ncontent-length: *(\\d+)"));
    while (true) {
        const qsizetype headEnd = data.indexOf("\r\n\r\n");
        if (headEnd < 0)
            break;
        const QString head = QString::fromLatin1(data.left(headEnd));
        const auto m = length.match(head);
        const qsizetype bodySize = m.hasMatch() ? m.captured(1).toLongLong() : 0;
        if (data.size() < headEnd + 4 + bodySize)
            break;
        RawAnswer a;
        a.status = head.section(u' ', 1, 1).toInt();
        a.json = QJsonDocument::fromJson(data.mid(headEnd + 4, bodySize)).object();
        answers.append(a);
        data.remove(0, headEnd + 4 + bodySize);
    }
    return answers;
}

QJsonObject messageBody(const QString &text)
{
    return {{QStringLiteral("message"), text}};
}

} // namespace

class tst_CommitGroup : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void cleanup();

    void postsThatArriveTogetherShareACommitAndEachGetsItsOwnAnswer();
    void aRefusedRequestInTheGroupUndoesOnlyItself();
    void answersOnOneConnectionLeaveInTheOrderOfItsRequests();
    void aClientThatLeavesBeforeItsAnswerBreaksNothing();
    void withGroupCommitOffEveryPostStillWorks();

private:
    void start(const TestServer::Tweak &tweak = {});
    // Connected sockets, accepted by the server (its loop ran after the handshakes).
    bool openSockets(int count);
    // Waits until socket i has received `count` answers each.
    QList<QList<RawAnswer>> answers(const QList<int> &expected, int timeoutMs = 10000);
    QStringList messageTexts(const QString &ticketId);
    double metric(const QString &name);

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_customer;
    TestServer::Account m_agent;
    TestServer::Account m_admin;
    QString m_ticketId;
    std::vector<std::unique_ptr<QTcpSocket>> m_sockets;
    QList<QByteArray> m_received;
};

void tst_CommitGroup::start(const TestServer::Tweak &tweak)
{
    QString error;
    m_server = TestServer::start(&error, tweak);
    QVERIFY2(m_server, qPrintable(error));
    m_customer = m_server->account(Role::Customer);
    m_agent = m_server->account(Role::Support);
    m_admin = m_server->account(Role::Admin);
    const auto opened = openTicket(*m_server->client(m_customer));
    QCOMPARE(opened.status, 201);
    m_ticketId = opened.json.value(QStringLiteral("id")).toString();
}

void tst_CommitGroup::cleanup()
{
    m_sockets.clear();
    m_received.clear();
    m_server.reset();
}

bool tst_CommitGroup::openSockets(int count)
{
    const QUrl base(m_server->baseUrl());
    for (int i = 0; i < count; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        const int index = int(m_sockets.size());
        m_received.append(QByteArray());
        QObject::connect(socket.get(), &QTcpSocket::readyRead, socket.get(),
                         [this, index] { m_received[index] += m_sockets[index]->readAll(); });
        socket->connectToHost(QHostAddress::LocalHost, quint16(base.port()));
        m_sockets.push_back(std::move(socket));
    }
    const bool connected = QTest::qWaitFor([this] {
        return std::all_of(m_sockets.cbegin(), m_sockets.cend(), [](const auto &s) {
            return s->state() == QAbstractSocket::ConnectedState;
        });
    });
    QTest::qWait(50); // the server accepts them
    return connected;
}

QList<QList<RawAnswer>> tst_CommitGroup::answers(const QList<int> &expected, int timeoutMs)
{
    QList<QList<RawAnswer>> out;
    // A timeout is not reported here: the caller compares what did arrive.
    (void)QTest::qWaitFor(
        [&] {
            for (int i = 0; i < expected.size(); ++i) {
                if (parseAnswers(m_received.at(i)).size() < expected.at(i))
                    return false;
            }
            return true;
        },
        timeoutMs);
    for (int i = 0; i < expected.size(); ++i)
        out.append(parseAnswers(m_received.at(i)));
    return out;
}

QStringList tst_CommitGroup::messageTexts(const QString &ticketId)
{
    const auto ticket = m_server->client(m_agent)->get(ticketPath(ticketId));
    QStringList texts;
    for (const QJsonValue &m : ticket.json.value(QStringLiteral("messages")).toArray())
        texts.append(m.toObject().value(QStringLiteral("message")).toString());
    return texts;
}

double tst_CommitGroup::metric(const QString &name)
{
    const auto reply = m_server->client(m_admin)->get(QStringLiteral("/metrics"));
    for (const QByteArray &line : reply.body.split('\n')) {
        if (line.startsWith(QByteArray(name.toUtf8() + ' ')))
            return line.mid(name.size() + 1).toDouble();
    }
    return 0; // not rendered: nothing counted yet
}

void tst_CommitGroup::postsThatArriveTogetherShareACommitAndEachGetsItsOwnAnswer()
{
    start();
    constexpr int kPosts = 12;
    QVERIFY(openSockets(kPosts));
    const double groupsBefore = metric(QStringLiteral("switchboard_commit_groups"));
    const double groupedBefore = metric(QStringLiteral("switchboard_grouped_requests"));

    for (int i = 0; i < kPosts; ++i) {
        m_sockets[i]->write(httpRequest(
            "POST", ticketPath(m_ticketId, QStringLiteral("/messages")), m_agent.token,
            messageBody(QStringLiteral("reply %1").arg(i)), "key-" + QByteArray::number(i)));
        m_sockets[i]->flush(); // all of them on the wire before the server's loop runs
    }
    const auto got = answers(QList<int>(kPosts, 1));
    QSet<QString> ids;
    for (int i = 0; i < kPosts; ++i) {
        QCOMPARE(got.at(i).size(), 1);
        QCOMPARE(got.at(i).first().status, 201);
        // Its own answer: the message that socket sent.
        QCOMPARE(got.at(i).first().json.value(QStringLiteral("message")).toString(),
                 QStringLiteral("reply %1").arg(i));
        ids.insert(got.at(i).first().json.value(QStringLiteral("id")).toString());
    }
    QCOMPARE(ids.size(), kPosts);
    QCOMPARE(messageTexts(m_ticketId).size(), kPosts);

    const double grouped = metric(QStringLiteral("switchboard_grouped_requests")) - groupedBefore;
    const double groups = metric(QStringLiteral("switchboard_commit_groups")) - groupsBefore;
    QCOMPARE(grouped, double(kPosts));
    QVERIFY2(groups < kPosts,
             qPrintable(QStringLiteral("%1 commits for %2 posts").arg(groups).arg(kPosts)));
}

void tst_CommitGroup::aRefusedRequestInTheGroupUndoesOnlyItself()
{
    start();
    QVERIFY(openSockets(4));
    const QString messages = ticketPath(m_ticketId, QStringLiteral("/messages"));
    const QString customerToken = m_customer.token;
    // The customer may not write an internal note: refused inside the group, between two
    // accepted messages, with an Idempotency-Key whose stored answer must go with it.
    QJsonObject note = messageBody(QStringLiteral("a note from the customer"));
    note.insert(QStringLiteral("isInternal"), true);
    const QList<QByteArray> requests {
        httpRequest("POST", messages, m_agent.token, messageBody(QStringLiteral("first")), "a"),
        httpRequest("POST", messages, customerToken, note, "b"),
        httpRequest("POST",
                    ticketPath(QStringLiteral("no-such-ticket"), QStringLiteral("/messages")),
                    m_agent.token, messageBody(QStringLiteral("lost")), "c"),
        httpRequest("POST", messages, customerToken, messageBody(QStringLiteral("second")), "d"),
    };
    for (int i = 0; i < requests.size(); ++i) {
        m_sockets[i]->write(requests.at(i));
        m_sockets[i]->flush();
    }
    const auto got = answers({1, 1, 1, 1});
    QCOMPARE(got.at(0).value(0).status, 201);
    QCOMPARE(got.at(1).value(0).status, 403);
    QCOMPARE(got.at(2).value(0).status, 404);
    QCOMPARE(got.at(3).value(0).status, 201);
    const QStringList texts = messageTexts(m_ticketId);
    QVERIFY(texts.contains(QStringLiteral("first")));
    QVERIFY(texts.contains(QStringLiteral("second")));
    QVERIFY(!texts.contains(QStringLiteral("a note from the customer")));

    // The refused request's key stored nothing: the same key, now valid, is judged afresh.
    const auto retried
        = m_server->client(m_customer)
              ->post(messages, messageBody(QStringLiteral("a note from the customer")),
                     {{"Idempotency-Key", "b"}});
    QCOMPARE(retried.status, 201);
    QVERIFY(!retried.header("Idempotent-Replayed").size());
}

void tst_CommitGroup::answersOnOneConnectionLeaveInTheOrderOfItsRequests()
{
    start();
    QVERIFY(openSockets(1));
    const QString messages = ticketPath(m_ticketId, QStringLiteral("/messages"));
    // Pipelined: two grouped POSTs, then a GET that is not grouped and must see both.
    m_sockets[0]->write(
        httpRequest("POST", messages, m_agent.token, messageBody(QStringLiteral("one")), "1")
        + httpRequest("POST", messages, m_agent.token, messageBody(QStringLiteral("two")), "2")
        + httpRequest("GET", ticketPath(m_ticketId), m_agent.token));
    m_sockets[0]->flush();
    const auto got = answers({3}).first();
    QCOMPARE(got.size(), 3);
    QCOMPARE(got.at(0).status, 201);
    QCOMPARE(got.at(0).json.value(QStringLiteral("message")).toString(), QStringLiteral("one"));
    QCOMPARE(got.at(1).status, 201);
    QCOMPARE(got.at(1).json.value(QStringLiteral("message")).toString(), QStringLiteral("two"));
    QCOMPARE(got.at(2).status, 200);
    QStringList texts;
    for (const QJsonValue &m : got.at(2).json.value(QStringLiteral("messages")).toArray())
        texts.append(m.toObject().value(QStringLiteral("message")).toString());
    QVERIFY2(texts.contains(QStringLiteral("one")) && texts.contains(QStringLiteral("two")),
             qPrintable(texts.join(u", ")));
}

void tst_CommitGroup::aClientThatLeavesBeforeItsAnswerBreaksNothing()
{
    start();
    QVERIFY(openSockets(3));
    const QString messages = ticketPath(m_ticketId, QStringLiteral("/messages"));
    for (int i = 0; i < 3; ++i) {
        m_sockets[i]->write(httpRequest("POST", messages, m_agent.token,
                                        messageBody(QStringLiteral("left %1").arg(i)),
                                        "gone-" + QByteArray::number(i)));
        m_sockets[i]->flush();
    }
    m_sockets[1]->abort(); // gone before the server answers
    const auto got = answers({1, 0, 1});
    QCOMPARE(got.at(0).value(0).status, 201);
    QCOMPARE(got.at(2).value(0).status, 201);
    // The server goes on; the leaver's message is there at most once (it may have been read
    // before the reset), and its retry with the same key does not add a second.
    const auto retried = m_server->client(m_agent)->post(
        messages, messageBody(QStringLiteral("left 1")), {{"Idempotency-Key", "gone-1"}});
    QCOMPARE(retried.status, 201);
    QCOMPARE(messageTexts(m_ticketId).count(QStringLiteral("left 1")), 1);
    QCOMPARE(messageTexts(m_ticketId).count(QStringLiteral("left 0")), 1);
}

void tst_CommitGroup::withGroupCommitOffEveryPostStillWorks()
{
    start([](server::ServerSettings &s) { s.groupCommit = false; });
    QVERIFY(openSockets(6));
    for (int i = 0; i < 6; ++i) {
        m_sockets[i]->write(httpRequest(
            "POST", ticketPath(m_ticketId, QStringLiteral("/messages")), m_agent.token,
            messageBody(QStringLiteral("alone %1").arg(i)), "k" + QByteArray::number(i)));
        m_sockets[i]->flush();
    }
    const auto got = answers(QList<int>(6, 1));
    for (int i = 0; i < 6; ++i)
        QCOMPARE(got.at(i).value(0).status, 201);
    QCOMPARE(messageTexts(m_ticketId).size(), 6);
    QCOMPARE(metric(QStringLiteral("switchboard_commit_groups")), 0.0);
}

QTEST_GUILESS_MAIN(tst_CommitGroup)
#include "tst_commitgroup.moc"
