// The support ticket API over real HTTP, on SQLite and PostgreSQL: the ticket items of spec §6
// "Support Messaging", who sees what, the change log, If-Match and Idempotency-Key.
#include "tickettestkit.h"

#include <store/attachmentrepository.h>
#include <store/changelogrepository.h>

#include <support/seeder.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_TicketApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void customerCanCreateSupportTicket();
    void agentCreatesTicketForCustomer();
    void customerCanMessageWithinTicket();
    void supportAgentCanRespondToTickets();
    void customerNeverSeesInternalNotes();
    void customerSatisfactionRatingWorks();
    void writesRecordChangesForTheirAudience();
    void staleIfMatchIs412();
    void retriedMessageWithSameKeyCreatesOne();

private:
    QString upload(const QString &userId, const QString &fileName);

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_customer;
    TestServer::Account m_agent;
    std::unique_ptr<TestClient> m_customerClient;
    std::unique_ptr<TestClient> m_agentClient;
};

void tst_TicketApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_customer = m_server->account(Role::Customer);
    m_agent = m_server->account(Role::Support);
    m_customerClient = m_server->client(m_customer);
    m_agentClient = m_server->client(m_agent);
}

// An uploaded file's row, as POST /attachments leaves it.
QString tst_TicketApi::upload(const QString &userId, const QString &fileName)
{
    Attachment a;
    a.fileName = fileName;
    a.contentType = QStringLiteral("image/png");
    a.size = 3;
    a.sha256 = QString(64, u'a');
    a.uploadedBy = userId;
    a.createdAt = m_server->clock().now();
    const auto stored = m_server->database().transaction(
        [&](QSqlDatabase &db) { return store::AttachmentRepository(db).insert(a); });
    if (!stored)
        QTest::qFail("could not store an attachment", __FILE__, __LINE__);
    return stored ? stored->id : QString();
}

void tst_TicketApi::customerCanCreateSupportTicket()
{
    Seeder seed(m_server->database());
    const Booking booking = seed.booking(m_customer.user.id);
    const QString screenshot = upload(m_customer.user.id, QStringLiteral("screen.png"));
    QJsonObject body = ticketBody(QStringLiteral("high"), QStringLiteral("Issue with payment"));
    body.insert(QStringLiteral("relatedBooking"), booking.id);
    body.insert(QStringLiteral("attachments"), QJsonArray {screenshot});
    body.insert(QStringLiteral("customerId"), m_agent.user.id); // ignored: always the caller
    const auto r = m_customerClient->post(QStringLiteral("/support/tickets"), body);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.header("ETag"), QByteArray("\"1\""));
    const QString id = r.json.value(u"id").toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(QRegularExpression(QStringLiteral("^TKT-\\d{6,}$"))
                .match(r.json.value(u"ticketNumber").toString())
                .hasMatch());
    QCOMPARE(r.json.value(u"subject").toString(), QStringLiteral("Issue with payment"));
    QCOMPARE(r.json.value(u"category").toString(), QStringLiteral("payment"));
    QCOMPARE(r.json.value(u"priority").toString(), QStringLiteral("high"));
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("open"));
    QCOMPARE(r.json.value(u"customerId").toString(), m_customer.user.id);
    QVERIFY(r.json.value(u"assignedTo").isNull());
    QCOMPARE(r.json.value(u"relatedBooking").toString(), booking.id);
    QCOMPARE(idsOf(r.json.value(u"attachments").toArray()), QStringList {screenshot});
    QCOMPARE(r.json.value(u"attachments").toArray().first().toObject().value(u"fileName"),
             QJsonValue(QStringLiteral("screen.png")));
    QCOMPARE(r.json.value(u"version").toInt(), 1);
    QVERIFY(timeOf(slaOf(r).value(u"firstResponseDueAt")).isValid());

    // The customer finds it, and so does an agent; priority defaults to medium.
    const auto got = m_customerClient->get(ticketPath(id));
    QCOMPARE(got.status, 200);
    QCOMPARE(got.header("ETag"), QByteArray("\"1\""));
    QCOMPARE(got.json.value(u"subject"), r.json.value(u"subject"));
    QCOMPARE(got.json.value(u"attachments"), r.json.value(u"attachments"));
    QCOMPARE(got.json.value(u"messages").toArray().size(), 0);
    const auto list = m_agentClient->get(QStringLiteral("/support/tickets"));
    QCOMPARE(idsOf(list.json.value(u"items").toArray()), QStringList {id});
    const auto medium = openTicket(*m_customerClient);
    QCOMPARE(medium.json.value(u"priority").toString(), QStringLiteral("medium"));
    // Ticket numbers are unique.
    QVERIFY(medium.json.value(u"ticketNumber") != r.json.value(u"ticketNumber"));
}

void tst_TicketApi::agentCreatesTicketForCustomer()
{
    QJsonObject body = ticketBody();
    const auto withoutCustomer = m_agentClient->post(QStringLiteral("/support/tickets"), body);
    QCOMPARE(withoutCustomer.status, 400);
    QCOMPARE(withoutCustomer.field(), QStringLiteral("customerId"));
    body.insert(QStringLiteral("customerId"), m_customer.user.id);
    const auto r = m_agentClient->post(QStringLiteral("/support/tickets"), body);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"customerId").toString(), m_customer.user.id);
    QCOMPARE(m_customerClient->get(ticketPath(r.json.value(u"id").toString())).status, 200);
}

void tst_TicketApi::customerCanMessageWithinTicket()
{
    const QString id = openTicket(*m_customerClient).json.value(u"id").toString();
    const QString photo = upload(m_customer.user.id, QStringLiteral("leak.jpg"));
    // Stored and answered as plain text, never interpreted.
    const QString text = QStringLiteral("<b>Still</b> failing & <script>alert(1)</script>");
    const auto r = m_customerClient->post(
        ticketPath(id, QStringLiteral("/messages")),
        {{QStringLiteral("message"), text}, {QStringLiteral("attachments"), QJsonArray {photo}}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"message").toString(), text);
    QCOMPARE(r.json.value(u"senderId").toString(), m_customer.user.id);
    QCOMPARE(r.json.value(u"senderRole").toString(), QStringLiteral("customer"));
    QCOMPARE(r.json.value(u"isInternal").toBool(), false);
    QCOMPARE(idsOf(r.json.value(u"attachments").toArray()), QStringList {photo});
    QCOMPARE(timeOf(r.json.value(u"createdAt")), m_server->clock().now());

    const auto got = m_customerClient->get(ticketPath(id));
    const QJsonArray messages = got.json.value(u"messages").toArray();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().toObject(), r.json);
    // A message leaves the ticket's status and version alone.
    QCOMPARE(got.json.value(u"status").toString(), QStringLiteral("open"));
    QCOMPARE(got.json.value(u"version").toInt(), 1);

    // Another customer can neither read nor write it.
    auto other = m_server->client(m_server->account(Role::Customer));
    QCOMPARE(other->get(ticketPath(id)).status, 404);
    QCOMPARE(other
                 ->post(ticketPath(id, QStringLiteral("/messages")),
                        {{QStringLiteral("message"), QStringLiteral("hi")}})
                 .status,
             404);
    QCOMPARE(m_customerClient->get(ticketPath(id)).json.value(u"messages").toArray().size(), 1);
}

void tst_TicketApi::supportAgentCanRespondToTickets()
{
    const QString id = openTicket(*m_customerClient).json.value(u"id").toString();
    m_server->clock().advance(300);
    const auto r = m_agentClient->post(ticketPath(id, QStringLiteral("/messages")),
                                       {{QStringLiteral("message"), QStringLiteral("On it")}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"senderRole").toString(), QStringLiteral("support"));
    QCOMPARE(r.json.value(u"senderId").toString(), m_agent.user.id);

    // The customer sees the reply, and the ticket records its first response.
    const auto seen = m_customerClient->get(ticketPath(id));
    QCOMPARE(idsOf(seen.json.value(u"messages").toArray()),
             QStringList {r.json.value(u"id").toString()});
    QCOMPARE(timeOf(slaOf(seen).value(u"firstResponseAt")), m_server->clock().now());
    QCOMPARE(seen.json.value(u"version").toInt(), 2);

    // An admin answers too.
    auto admin = m_server->client(m_server->account(Role::Admin));
    const auto byAdmin = admin->post(ticketPath(id, QStringLiteral("/messages")),
                                     {{QStringLiteral("message"), QStringLiteral("Escalating")}});
    QCOMPARE(byAdmin.status, 201);
    QCOMPARE(byAdmin.json.value(u"senderRole").toString(), QStringLiteral("admin"));
}

void tst_TicketApi::customerNeverSeesInternalNotes()
{
    const QString id = openTicket(*m_customerClient).json.value(u"id").toString();
    const QString secret = upload(m_agent.user.id, QStringLiteral("notes.txt"));
    const auto note = m_agentClient->post(ticketPath(id, QStringLiteral("/messages")),
                                          {{QStringLiteral("message"), QStringLiteral("Fraud?")},
                                           {QStringLiteral("isInternal"), true},
                                           {QStringLiteral("attachments"), QJsonArray {secret}}});
    QCOMPARE(note.status, 201);
    const auto reply = m_agentClient->post(ticketPath(id, QStringLiteral("/messages")),
                                           {{QStringLiteral("message"), QStringLiteral("Hi")}});
    QCOMPARE(reply.status, 201);

    const auto agentView = m_agentClient->get(ticketPath(id));
    QCOMPARE(agentView.json.value(u"messages").toArray().size(), 2);
    const auto customerView = m_customerClient->get(ticketPath(id));
    QCOMPARE(idsOf(customerView.json.value(u"messages").toArray()),
             QStringList {reply.json.value(u"id").toString()});
    QVERIFY(!customerView.body.contains("Fraud?"));
    QVERIFY(!customerView.body.contains(secret.toUtf8()));

    // A customer cannot write one: 403, and nothing is stored.
    const auto forged = m_customerClient->post(
        ticketPath(id, QStringLiteral("/messages")),
        {{QStringLiteral("message"), QStringLiteral("x")}, {QStringLiteral("isInternal"), true}});
    QCOMPARE(forged.status, 403);
    QCOMPARE(forged.errorCode(), QStringLiteral("forbidden"));
    QCOMPARE(m_agentClient->get(ticketPath(id)).json.value(u"messages").toArray().size(), 2);
}

void tst_TicketApi::customerSatisfactionRatingWorks()
{
    const QString id = openTicket(*m_customerClient).json.value(u"id").toString();
    const QJsonObject rating {{QStringLiteral("rating"), 4},
                              {QStringLiteral("comment"), QStringLiteral("Quick and kind")}};
    const QString path = ticketPath(id, QStringLiteral("/satisfaction"));
    const auto early = m_customerClient->post(path, rating);
    QCOMPARE(early.status, 409);
    QCOMPARE(early.errorCode(), QStringLiteral("not_resolved"));

    QCOMPARE(driveTo(*m_agentClient, m_agent.user.id, id, QStringLiteral("resolved")).status, 200);
    for (const int bad : {0, 6}) {
        const auto r = m_customerClient->post(path, {{QStringLiteral("rating"), bad}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.field(), QStringLiteral("rating"));
    }
    QCOMPARE(m_agentClient->post(path, rating).status, 403);
    auto other = m_server->client(m_server->account(Role::Customer));
    QCOMPARE(other->post(path, rating).status, 404);

    const auto rated = m_customerClient->post(path, rating);
    QCOMPARE(rated.status, 200);
    const QJsonObject satisfaction = rated.json.value(u"satisfaction").toObject();
    QCOMPARE(satisfaction.value(u"rating").toInt(), 4);
    QCOMPARE(satisfaction.value(u"comment").toString(), QStringLiteral("Quick and kind"));
    QCOMPARE(timeOf(satisfaction.value(u"ratedAt")), m_server->clock().now());
    QCOMPARE(m_agentClient->get(ticketPath(id)).json.value(u"satisfaction").toObject(),
             satisfaction);

    const auto again = m_customerClient->post(path, {{QStringLiteral("rating"), 1}});
    QCOMPARE(again.status, 409);
    QCOMPARE(again.errorCode(), QStringLiteral("already_rated"));
    QCOMPARE(m_customerClient->get(ticketPath(id)).json.value(u"satisfaction").toObject(),
             satisfaction);

    // A closed ticket can be rated too.
    const QString closed = openTicket(*m_customerClient).json.value(u"id").toString();
    QCOMPARE(driveTo(*m_agentClient, m_agent.user.id, closed, QStringLiteral("closed")).status,
             200);
    QCOMPARE(m_customerClient
                 ->post(ticketPath(closed, QStringLiteral("/satisfaction")),
                        {{QStringLiteral("rating"), 5}})
                 .status,
             200);
}

void tst_TicketApi::writesRecordChangesForTheirAudience()
{
    const QString id = openTicket(*m_customerClient).json.value(u"id").toString();
    QCOMPARE(m_agentClient
                 ->post(ticketPath(id, QStringLiteral("/messages")),
                        {{QStringLiteral("message"), QStringLiteral("note")},
                         {QStringLiteral("isInternal"), true}})
                 .status,
             201);
    QCOMPARE(m_agentClient
                 ->post(ticketPath(id, QStringLiteral("/messages")),
                        {{QStringLiteral("message"), QStringLiteral("reply")}})
                 .status,
             201);
    store::ChangeLogRepository log(m_server->database().connection());
    auto entries = [&](Role role, const QString &userId) {
        const auto page = log.since(0, 100, {role, userId});
        QStringList out;
        for (const Change &c : page->changes) {
            if (c.entityId == id || c.data.value(u"ticketId").toString() == id)
                out << c.entity + u' ' + toString(c.op);
        }
        return out;
    };
    // created, the note, the reply, the ticket's first response.
    QCOMPARE(entries(Role::Support, m_agent.user.id),
             (QStringList {QStringLiteral("ticket created"), QStringLiteral("message created"),
                           QStringLiteral("message created"), QStringLiteral("ticket updated")}));
    QCOMPARE(entries(Role::Customer, m_customer.user.id),
             (QStringList {QStringLiteral("ticket created"), QStringLiteral("message created"),
                           QStringLiteral("ticket updated")}));
    const QString stranger = m_server->account(Role::Customer).user.id;
    QCOMPARE(entries(Role::Customer, stranger), QStringList());
}

void tst_TicketApi::staleIfMatchIs412()
{
    const QString id = openTicket(*m_customerClient).json.value(u"id").toString();
    auto second = m_server->client(m_server->account(Role::Support));
    const auto seenByFirst = m_agentClient->get(ticketPath(id));
    const auto seenBySecond = second->get(ticketPath(id));
    QCOMPARE(seenByFirst.header("ETag"), seenBySecond.header("ETag"));
    const QByteArray etag = seenByFirst.header("ETag");

    const auto first = m_agentClient->put(ticketPath(id, QStringLiteral("/priority")),
                                          {{QStringLiteral("priority"), QStringLiteral("high")}},
                                          {{"If-Match", etag}});
    QCOMPARE(first.status, 200);
    QCOMPARE(first.header("ETag"), QByteArray("\"2\""));
    const auto stale
        = second->put(ticketPath(id, QStringLiteral("/priority")),
                      {{QStringLiteral("priority"), QStringLiteral("low")}}, {{"If-Match", etag}});
    QCOMPARE(stale.status, 412);
    QCOMPARE(stale.errorCode(), QStringLiteral("version_conflict"));
    const auto after = second->get(ticketPath(id));
    QCOMPARE(after.json.value(u"priority").toString(), QStringLiteral("high"));
    QCOMPARE(after.json.value(u"version").toInt(), 2);

    // With the fresh version (a bare number is accepted too) the second agent goes through;
    // a stale If-Match is refused even when the change would be a no-op.
    const auto fresh
        = second->put(ticketPath(id, QStringLiteral("/priority")),
                      {{QStringLiteral("priority"), QStringLiteral("low")}}, {{"If-Match", "2"}});
    QCOMPARE(fresh.status, 200);
    QCOMPARE(fresh.json.value(u"version").toInt(), 3);
    const auto noOp = m_agentClient->put(ticketPath(id, QStringLiteral("/status")),
                                         {{QStringLiteral("status"), QStringLiteral("open")}},
                                         {{"If-Match", "\"2\""}});
    QCOMPARE(noOp.status, 412);
}

void tst_TicketApi::retriedMessageWithSameKeyCreatesOne()
{
    const QString id = openTicket(*m_customerClient).json.value(u"id").toString();
    const QJsonObject body {{QStringLiteral("message"), QStringLiteral("Sent from the train")}};
    const TestClient::Headers key {{"Idempotency-Key", "3f6c1f0e-retry-1"}};
    const auto first
        = m_customerClient->post(ticketPath(id, QStringLiteral("/messages")), body, key);
    QCOMPARE(first.status, 201);
    const auto retry
        = m_customerClient->post(ticketPath(id, QStringLiteral("/messages")), body, key);
    QCOMPARE(retry.status, 201);
    QCOMPARE(retry.json, first.json);
    QCOMPARE(retry.header("Idempotent-Replayed"), QByteArray("true"));
    const QJsonArray messages
        = m_customerClient->get(ticketPath(id)).json.value(u"messages").toArray();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().toObject().value(u"id"), first.json.value(u"id"));

    // Another key is another message.
    const auto other = m_customerClient->post(ticketPath(id, QStringLiteral("/messages")), body,
                                              {{"Idempotency-Key", "3f6c1f0e-retry-2"}});
    QCOMPARE(other.status, 201);
    QVERIFY(other.json.value(u"id") != first.json.value(u"id"));
    QCOMPARE(m_customerClient->get(ticketPath(id)).json.value(u"messages").toArray().size(), 2);
}

QTEST_GUILESS_MAIN(tst_TicketApi)
#include "tst_ticketapi.moc"
