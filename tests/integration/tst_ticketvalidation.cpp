// Invalid input on the ticket routes, over real HTTP, on SQLite and PostgreSQL: every class
// (missing field, wrong type, value outside its enum, too long, unknown reference, bad list
// parameter, non-JSON, malformed JSON, bad If-Match) answers 400/415 naming the field, changes
// nothing, and the server goes on answering.
#include "tickettestkit.h"

#include <store/attachmentrepository.h>
#include <store/userrepository.h>
#include <support/seeder.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_TicketValidation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { m_server.reset(); }

    void badBodiesNameTheField_data();
    void badBodiesNameTheField();
    void badListParametersNameTheParameter_data();
    void badListParametersNameTheParameter();
    void nonJsonAndMalformedBodies_data();
    void nonJsonAndMalformedBodies();

private:
    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_customer;
    TestServer::Account m_agent;
    std::unique_ptr<TestClient> m_customerClient;
    std::unique_ptr<TestClient> m_agentClient;
    QString m_ticket; // in_progress
    QString m_othersBooking;
    QString m_othersUpload;
    QString m_technician;
    QString m_inactiveAgent;
};

void tst_TicketValidation::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_customer = m_server->account(Role::Customer);
    m_agent = m_server->account(Role::Support);
    m_customerClient = m_server->client(m_customer);
    m_agentClient = m_server->client(m_agent);
    const auto created = openTicket(*m_customerClient);
    QCOMPARE(created.status, 201);
    m_ticket = created.json.value(u"id").toString();
    QCOMPARE(
        driveTo(*m_agentClient, m_agent.user.id, m_ticket, QStringLiteral("in_progress")).status,
        200);

    Seeder seed(m_server->database());
    const User other = seed.customer();
    m_othersBooking = seed.booking(other.id).id;
    m_technician = seed.technician().id;
    User inactive = seed.agent();
    inactive.active = false;
    QVERIFY(m_server->database().transaction([&](QSqlDatabase &db) {
        return store::UserRepository(db).update(inactive, inactive.version);
    }));
    m_inactiveAgent = inactive.id;
    Attachment upload;
    upload.fileName = QStringLiteral("theirs.pdf");
    upload.contentType = QStringLiteral("application/pdf");
    upload.sha256 = QString(64, u'b');
    upload.uploadedBy = other.id;
    upload.createdAt = m_server->clock().now();
    const auto stored = m_server->database().transaction(
        [&](QSqlDatabase &db) { return store::AttachmentRepository(db).insert(upload); });
    QVERIFY(stored);
    m_othersUpload = stored->id;
}

void tst_TicketValidation::badBodiesNameTheField_data()
{
    QTest::addColumn<bool>("asAgent");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("tail"); // after /support/tickets/:id; "-" for /support/tickets
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");

    const QJsonObject ticket = ticketBody();
    auto with = [](QJsonObject body, const char *key, const QJsonValue &value) {
        if (value.isUndefined())
            body.remove(QLatin1StringView(key));
        else
            body.insert(QLatin1StringView(key), value);
        return body;
    };
    const QString create = QStringLiteral("-");
    auto row = [&](const char *name, bool asAgent, const char *method, const QString &tail,
                   const QJsonObject &body, const char *field) {
        QTest::newRow(name) << asAgent << QByteArray(method) << tail << body
                            << QString::fromLatin1(field);
    };
    const QJsonValue none(QJsonValue::Undefined);
    const QString long201(201, u'x');
    const QString long10001(10001, u'x');

    row("create: no subject", false, "POST", create, with(ticket, "subject", none), "subject");
    row("create: blank subject", false, "POST", create,
        with(ticket, "subject", QStringLiteral("  ")), "subject");
    row("create: subject a number", false, "POST", create, with(ticket, "subject", 42), "subject");
    row("create: subject too long", false, "POST", create, with(ticket, "subject", long201),
        "subject");
    row("create: no description", false, "POST", create, with(ticket, "description", none),
        "description");
    row("create: description too long", false, "POST", create,
        with(ticket, "description", long10001), "description");
    row("create: no category", false, "POST", create, with(ticket, "category", none), "category");
    row("create: bad category", false, "POST", create,
        with(ticket, "category", QStringLiteral("plumbing")), "category");
    row("create: bad priority", false, "POST", create,
        with(ticket, "priority", QStringLiteral("critical")), "priority");
    row("create: priority a number", false, "POST", create, with(ticket, "priority", 3),
        "priority");
    row("create: unknown booking", false, "POST", create,
        with(ticket, "relatedBooking", QStringLiteral("nope")), "relatedBooking");
    row("create: others' booking", false, "POST", create,
        with(ticket, "relatedBooking", m_othersBooking), "relatedBooking");
    row("create: booking a number", false, "POST", create, with(ticket, "relatedBooking", 7),
        "relatedBooking");
    row("create: attachments not a list", false, "POST", create,
        with(ticket, "attachments", QStringLiteral("a")), "attachments");
    row("create: unknown attachment", false, "POST", create,
        with(ticket, "attachments", QJsonArray {QStringLiteral("nope")}), "attachments");
    row("create: others' upload", false, "POST", create,
        with(ticket, "attachments", QJsonArray {m_othersUpload}), "attachments");
    row("create: agent without customer", true, "POST", create, ticket, "customerId");
    row("create: agent for an agent", true, "POST", create,
        with(ticket, "customerId", m_agent.user.id), "customerId");
    row("create: agent for nobody", true, "POST", create,
        with(ticket, "customerId", QStringLiteral("nope")), "customerId");

    const QString messages = QStringLiteral("/messages");
    row("message: none", false, "POST", messages, {}, "message");
    row("message: blank", false, "POST", messages,
        {{QStringLiteral("message"), QStringLiteral(" ")}}, "message");
    row("message: too long", false, "POST", messages, {{QStringLiteral("message"), long10001}},
        "message");
    row("message: not a string", true, "POST", messages,
        {{QStringLiteral("message"), QJsonArray()}}, "message");
    row("message: isInternal not a bool", true, "POST", messages,
        {{QStringLiteral("message"), QStringLiteral("x")},
         {QStringLiteral("isInternal"), QStringLiteral("yes")}},
        "isInternal");
    row("message: unknown attachment", false, "POST", messages,
        {{QStringLiteral("message"), QStringLiteral("x")},
         {QStringLiteral("attachments"), QJsonArray {QStringLiteral("nope")}}},
        "attachments");

    row("assign: no agent", true, "PUT", QStringLiteral("/assign"), {}, "agentId");
    row("assign: a technician", true, "PUT", QStringLiteral("/assign"),
        {{QStringLiteral("agentId"), m_technician}}, "agentId");
    row("assign: an inactive agent", true, "PUT", QStringLiteral("/assign"),
        {{QStringLiteral("agentId"), m_inactiveAgent}}, "agentId");
    row("status: none", true, "PUT", QStringLiteral("/status"), {}, "status");
    row("status: bad", true, "PUT", QStringLiteral("/status"),
        {{QStringLiteral("status"), QStringLiteral("done")}}, "status");
    row("status: notes too long", true, "PUT", QStringLiteral("/status"),
        {{QStringLiteral("status"), QStringLiteral("pending")},
         {QStringLiteral("notes"), long10001}},
        "notes");
    row("status: notes a number", true, "PUT", QStringLiteral("/status"),
        {{QStringLiteral("status"), QStringLiteral("pending")}, {QStringLiteral("notes"), 1}},
        "notes");
    row("priority: bad", true, "PUT", QStringLiteral("/priority"),
        {{QStringLiteral("priority"), QStringLiteral("p1")}}, "priority");
    row("close: no summary", true, "PUT", QStringLiteral("/close"),
        {{QStringLiteral("resolutionType"), QStringLiteral("solved")}}, "summary");
    row("close: bad resolutionType", true, "PUT", QStringLiteral("/close"),
        {{QStringLiteral("summary"), QStringLiteral("x")},
         {QStringLiteral("resolutionType"), QStringLiteral("magic")}},
        "resolutionType");
    row("escalate: no reason", true, "PUT", QStringLiteral("/escalate"),
        {{QStringLiteral("escalatedTo"), m_agent.user.id}}, "reason");
    row("escalate: to a customer", true, "PUT", QStringLiteral("/escalate"),
        {{QStringLiteral("escalatedTo"), m_customer.user.id},
         {QStringLiteral("reason"), QStringLiteral("x")}},
        "escalatedTo");
    const QString rate = QStringLiteral("/satisfaction");
    row("rating: none", false, "POST", rate, {}, "rating");
    row("rating: 0", false, "POST", rate, {{QStringLiteral("rating"), 0}}, "rating");
    row("rating: 6", false, "POST", rate, {{QStringLiteral("rating"), 6}}, "rating");
    row("rating: 3.5", false, "POST", rate, {{QStringLiteral("rating"), 3.5}}, "rating");
    row("rating: a string", false, "POST", rate, {{QStringLiteral("rating"), QStringLiteral("5")}},
        "rating");
}

void tst_TicketValidation::badBodiesNameTheField()
{
    QFETCH(bool, asAgent);
    QFETCH(QByteArray, method);
    QFETCH(QString, tail);
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    TestClient &client = asAgent ? *m_agentClient : *m_customerClient;
    const auto before = m_agentClient->get(ticketPath(m_ticket));
    const int ticketsBefore
        = m_agentClient->get(QStringLiteral("/support/tickets")).json.value(u"total").toInt();

    const QString path
        = tail == u"-" ? QStringLiteral("/support/tickets") : ticketPath(m_ticket, tail);
    const auto r = method == "PUT" ? client.put(path, body) : client.post(path, body);
    QCOMPARE(r.status, 400);
    QVERIFY2(r.errorCode() == u"invalid_field" || r.errorCode() == u"missing_field",
             qPrintable(r.errorCode()));
    QCOMPARE(r.field(), field);
    QVERIFY(!r.json.value(u"error").toObject().value(u"message").toString().isEmpty());

    // Nothing changed, and the server still answers.
    const auto after = m_agentClient->get(ticketPath(m_ticket));
    QCOMPARE(after.status, 200);
    QCOMPARE(after.json, before.json);
    QCOMPARE(m_agentClient->get(QStringLiteral("/support/tickets")).json.value(u"total").toInt(),
             ticketsBefore);
}

void tst_TicketValidation::badListParametersNameTheParameter_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("status") << "status=bogus"
                            << "status";
    QTest::newRow("one bad status") << "status=open,bogus"
                                    << "status";
    QTest::newRow("empty status") << "status="
                                  << "status";
    QTest::newRow("priority") << "priority=p1"
                              << "priority";
    QTest::newRow("category") << "category=plumbing"
                              << "category";
    QTest::newRow("empty assignedTo") << "assignedTo="
                                      << "assignedTo";
    QTest::newRow("sort column") << "sort=subject"
                                 << "sort";
    QTest::newRow("sort injection") << "sort=createdAt%3BDROP%20TABLE%20tickets"
                                    << "sort";
    QTest::newRow("sort descending unknown") << "sort=-bogus"
                                             << "sort";
    QTest::newRow("sort double minus") << "sort=--createdAt"
                                       << "sort";
    QTest::newRow("limit 0") << "limit=0"
                             << "limit";
    QTest::newRow("limit 101") << "limit=101"
                               << "limit";
    QTest::newRow("limit text") << "limit=ten"
                                << "limit";
    QTest::newRow("offset negative") << "offset=-1"
                                     << "offset";
    QTest::newRow("from not a time") << "from=yesterday"
                                     << "from";
    QTest::newRow("from without zone") << "from=2026-01-05T09:00:00"
                                       << "from";
    QTest::newRow("to before from") << "from=2026-01-05T09:00:00Z&to=2026-01-04T09:00:00Z"
                                    << "to";
    QTest::newRow("q too long") << QString(QStringLiteral("q=") + QString(201, u'x')) << "q";
}

void tst_TicketValidation::badListParametersNameTheParameter()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    const auto r = m_agentClient->get(QStringLiteral("/support/tickets?") + query);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
    QCOMPARE(r.field(), field);
    QCOMPARE(m_agentClient->get(QStringLiteral("/support/tickets")).status, 200);
}

void tst_TicketValidation::nonJsonAndMalformedBodies_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("tail");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("create as text")
        << QByteArray("POST") << QStringLiteral("-") << QByteArray("text/plain")
        << QByteArray("subject=x") << 415 << QStringLiteral("unsupported_media_type");
    QTest::newRow("create as form")
        << QByteArray("POST") << QStringLiteral("-")
        << QByteArray("application/x-www-form-urlencoded") << QByteArray("subject=x") << 415
        << QStringLiteral("unsupported_media_type");
    QTest::newRow("message as text")
        << QByteArray("POST") << QStringLiteral("/messages") << QByteArray("text/plain")
        << QByteArray("hi") << 415 << QStringLiteral("unsupported_media_type");
    QTest::newRow("status as text")
        << QByteArray("PUT") << QStringLiteral("/status") << QByteArray("text/plain")
        << QByteArray("pending") << 415 << QStringLiteral("unsupported_media_type");
    QTest::newRow("create malformed")
        << QByteArray("POST") << QStringLiteral("-") << QByteArray("application/json")
        << QByteArray("{\"subject\": ") << 400 << QStringLiteral("malformed_json");
    QTest::newRow("create an array")
        << QByteArray("POST") << QStringLiteral("-") << QByteArray("application/json")
        << QByteArray("[1, 2]") << 400 << QStringLiteral("malformed_json");
    QTest::newRow("message malformed")
        << QByteArray("POST") << QStringLiteral("/messages") << QByteArray("application/json")
        << QByteArray("{'message': 'x'}") << 400 << QStringLiteral("malformed_json");
    QTest::newRow("priority malformed")
        << QByteArray("PUT") << QStringLiteral("/priority") << QByteArray("application/json")
        << QByteArray("{") << 400 << QStringLiteral("malformed_json");
}

void tst_TicketValidation::nonJsonAndMalformedBodies()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, tail);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const auto before = m_agentClient->get(ticketPath(m_ticket));
    const QString path
        = tail == u"-" ? QStringLiteral("/support/tickets") : ticketPath(m_ticket, tail);
    const auto r = m_agentClient->send(method, path, body, {{"Content-Type", contentType}});
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(m_agentClient->get(ticketPath(m_ticket)).json, before.json);

    // A bad If-Match is a 400 naming it, before anything is read or written.
    const auto badMatch = m_agentClient->put(ticketPath(m_ticket, QStringLiteral("/priority")),
                                             {{QStringLiteral("priority"), QStringLiteral("low")}},
                                             {{"If-Match", "yesterday"}});
    QCOMPARE(badMatch.status, 400);
    QCOMPARE(badMatch.field(), QStringLiteral("If-Match"));
    QCOMPARE(m_agentClient->get(ticketPath(m_ticket)).json, before.json);
}

QTEST_GUILESS_MAIN(tst_TicketValidation)
#include "tst_ticketvalidation.moc"
