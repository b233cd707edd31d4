// Protocol hygiene of every answer: error shape, limits, media types, headers, CORS, metrics,
// and that no secret reaches a body or a log line.
#include <support/logcapture.h>
#include <support/testserver.h>

#include <QJsonDocument>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_ApiProtocol : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup() { m_server.reset(); }

    void badRequestsGetTheUniformErrorShape_data();
    void badRequestsGetTheUniformErrorShape();
    void everyAnswerCarriesSecurityHeaders_data();
    void everyAnswerCarriesSecurityHeaders();
    void bodyLimitIsConfigurable();
    void idempotencyKeyBoundToItsRequest();
    void corsIsClosedUnlessConfigured();
    void metricsInPrometheusFormat();
    void noSecretInBodiesOrLogs();
    void healthNeedsNoSignIn();

private:
    std::unique_ptr<TestServer> m_server;
};

void tst_ApiProtocol::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    LogCapture::install();
}

void tst_ApiProtocol::init()
{
    QString error;
    m_server = TestServer::start(&error, [](server::ServerSettings &s) {
        s.corsOrigins = {QStringLiteral("https://desk.example.com")};
    });
    QVERIFY2(m_server, qPrintable(error));
}

void tst_ApiProtocol::badRequestsGetTheUniformErrorShape_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    const QByteArray json = "application/json";
    QTest::newRow("unknown route")
        << QByteArray("GET") << QStringLiteral("/no/such/route") << QByteArray() << QByteArray()
        << 404 << QStringLiteral("not_found");
    QTest::newRow("unknown method on a route")
        << QByteArray("DELETE") << QStringLiteral("/auth/me") << QByteArray() << QByteArray() << 404
        << QStringLiteral("not_found");
    QTest::newRow("outside the API")
        << QByteArray("GET") << QStringLiteral("http:/index.html") << QByteArray() << QByteArray()
        << 404 << QStringLiteral("not_found");
    QTest::newRow("malformed JSON")
        << QByteArray("POST") << QStringLiteral("/auth/register") << QByteArray("{\"name\": ")
        << json << 400 << QStringLiteral("malformed_json");
    QTest::newRow("JSON array, not object")
        << QByteArray("POST") << QStringLiteral("/auth/register") << QByteArray("[1,2]") << json
        << 400 << QStringLiteral("malformed_json");
    QTest::newRow("not JSON at all")
        << QByteArray("POST") << QStringLiteral("/auth/register") << QByteArray("name=Ada")
        << QByteArray("application/x-www-form-urlencoded") << 415
        << QStringLiteral("unsupported_media_type");
    QTest::newRow("JSON without content type")
        << QByteArray("POST") << QStringLiteral("/auth/login") << QByteArray("{}") << QByteArray()
        << 415 << QStringLiteral("unsupported_media_type");
    QTest::newRow("body over 1 MiB")
        << QByteArray("POST") << QStringLiteral("/auth/register")
        << QByteArray("{\"name\":\"") + QByteArray(1100 * 1024, 'a') + "\"}" << json << 413
        << QStringLiteral("payload_too_large");
    QTest::newRow("wrong type") << QByteArray("POST") << QStringLiteral("/auth/login")
                                << QByteArray("{\"email\": 5, \"password\": \"x\"}") << json << 400
                                << QStringLiteral("invalid_field");
    QTest::newRow("missing field") << QByteArray("POST") << QStringLiteral("/auth/login")
                                   << QByteArray("{\"email\": \"a@b.example\"}") << json << 400
                                   << QStringLiteral("missing_field");
    QTest::newRow("no token") << QByteArray("GET") << QStringLiteral("/auth/me") << QByteArray()
                              << QByteArray() << 401 << QStringLiteral("unauthorized");
    QTest::newRow("plain GET on the WebSocket path")
        << QByteArray("GET") << QStringLiteral("/ws") << QByteArray() << QByteArray() << 426
        << QStringLiteral("upgrade_required");
}

void tst_ApiProtocol::badRequestsGetTheUniformErrorShape()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, code);

    auto client = m_server->anonymousClient();
    TestClient::Headers headers;
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType});
    const QString target = path.startsWith(u"http:") ? m_server->baseUrl() + path.mid(5) : path;
    const auto r = client->send(method, target, body, headers);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject error = r.json.value(u"error").toObject();
    QCOMPARE(error.value(u"code").toString(), code);
    QVERIFY(!error.value(u"message").toString().isEmpty());
    QVERIFY2(!r.body.contains("QSql") && !r.body.contains("SELECT"), r.body.constData());

    // The server still answers afterwards.
    QCOMPARE(client->get(QStringLiteral("/health")).status, 200);
}

void tst_ApiProtocol::everyAnswerCarriesSecurityHeaders_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("200") << QStringLiteral("/health");
    QTest::newRow("401") << QStringLiteral("/auth/me");
    QTest::newRow("404") << QStringLiteral("/nothing-here");
}

void tst_ApiProtocol::everyAnswerCarriesSecurityHeaders()
{
    QFETCH(QString, path);
    const auto r = m_server->anonymousClient()->get(path);
    QVERIFY(r.status > 0);
    QCOMPARE(r.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(r.header("Cache-Control"), QByteArray("no-store"));
}

void tst_ApiProtocol::bodyLimitIsConfigurable()
{
    m_server.reset();
    QString error;
    m_server = TestServer::start(&error, [](server::ServerSettings &s) { s.maxBodyBytes = 2048; });
    QVERIFY2(m_server, qPrintable(error));
    auto client = m_server->anonymousClient();
    const QJsonObject big {{QStringLiteral("name"), QString(3000, u'n')},
                           {QStringLiteral("email"), QStringLiteral("big@example.com")},
                           {QStringLiteral("password"), QStringLiteral("long enough")}};
    const auto r = client->post(QStringLiteral("/auth/register"), big);
    QCOMPARE(r.status, 413);
    QCOMPARE(r.json.value(u"error").toObject().value(u"details").toObject().value(u"limit").toInt(),
             2048);
}

void tst_ApiProtocol::idempotencyKeyBoundToItsRequest()
{
    const auto admin = m_server->account(Role::Admin);
    auto client = m_server->client(admin);
    const QJsonObject user {{QStringLiteral("name"), QStringLiteral("Kim")},
                            {QStringLiteral("email"), QStringLiteral("kim@example.com")},
                            {QStringLiteral("password"), QStringLiteral("password-kim")},
                            {QStringLiteral("role"), QStringLiteral("support")}};
    const auto first
        = client->post(QStringLiteral("/users"), user, {{"Idempotency-Key", "create-kim"}});
    QCOMPARE(first.status, 201);
    const auto replay
        = client->post(QStringLiteral("/users"), user, {{"Idempotency-Key", "create-kim"}});
    QCOMPARE(replay.status, 201);
    QCOMPARE(replay.body, first.body);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
    QCOMPARE(client->get(QStringLiteral("/users?role=support")).json.value(u"total").toInt(), 1);

    QJsonObject other = user;
    other.insert(QStringLiteral("email"), QStringLiteral("kim2@example.com"));
    const auto reused
        = client->post(QStringLiteral("/users"), other, {{"Idempotency-Key", "create-kim"}});
    QCOMPARE(reused.status, 422);
    QCOMPARE(reused.errorCode(), QStringLiteral("idempotency_key_reused"));

    // A refused request stores nothing: after fixing the body, the same key works.
    QJsonObject bad = other;
    bad.insert(QStringLiteral("role"), QStringLiteral("wizard"));
    QCOMPARE(client->post(QStringLiteral("/users"), bad, {{"Idempotency-Key", "k2"}}).status, 400);
    QCOMPARE(client->post(QStringLiteral("/users"), other, {{"Idempotency-Key", "k2"}}).status,
             201);

    // Keys are per caller: another admin's same key is a new request.
    const auto admin2 = m_server->account(Role::Admin);
    QJsonObject third = user;
    third.insert(QStringLiteral("email"), QStringLiteral("kim3@example.com"));
    QCOMPARE(m_server->client(admin2)
                 ->post(QStringLiteral("/users"), third, {{"Idempotency-Key", "create-kim"}})
                 .status,
             201);
    QCOMPARE(
        client->post(QStringLiteral("/users"), user, {{"Idempotency-Key", QByteArray(201, 'k')}})
            .status,
        400);
}

void tst_ApiProtocol::corsIsClosedUnlessConfigured()
{
    auto client = m_server->anonymousClient();
    const auto foreign
        = client->get(QStringLiteral("/health"), {{"Origin", "https://evil.example"}});
    QCOMPARE(foreign.status, 200);
    QVERIFY(foreign.header("Access-Control-Allow-Origin").isEmpty());
    const auto preflightForeign = client->send(
        "OPTIONS", QStringLiteral("/auth/login"), {},
        {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    QVERIFY(preflightForeign.header("Access-Control-Allow-Origin").isEmpty());

    const auto allowed
        = client->get(QStringLiteral("/health"), {{"Origin", "https://desk.example.com"}});
    QCOMPARE(allowed.header("Access-Control-Allow-Origin"), QByteArray("https://desk.example.com"));
    const auto preflight = client->send(
        "OPTIONS", QStringLiteral("/auth/login"), {},
        {{"Origin", "https://desk.example.com"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(preflight.status, 204);
    QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Idempotency-Key"));
}

void tst_ApiProtocol::metricsInPrometheusFormat()
{
    const auto admin = m_server->account(Role::Admin);
    auto client = m_server->client(admin);
    QCOMPARE(client->get(QStringLiteral("/health")).status, 200);
    const auto r = client->get(QStringLiteral("/metrics"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("text/plain"));
    QVERIFY(r.body.contains("# TYPE switchboard_http_requests_total counter"));
    QVERIFY(r.body.contains(
        "switchboard_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1"));
    QVERIFY(r.body.contains("switchboard_http_request_duration_seconds_bucket{method=\"GET\",route="
                            "\"/health\",le=\"+Inf\"} 1"));
}

void tst_ApiProtocol::noSecretInBodiesOrLogs()
{
    LogCapture::clear();
    auto anonymous = m_server->anonymousClient();
    const QString password = QStringLiteral("s3cret-Pa55word");
    const auto registered
        = anonymous->post(QStringLiteral("/auth/register"),
                          {{QStringLiteral("name"), QStringLiteral("Lee")},
                           {QStringLiteral("email"), QStringLiteral("lee@example.com")},
                           {QStringLiteral("password"), password}});
    QCOMPARE(registered.status, 201);
    QVERIFY(anonymous->login(QStringLiteral("lee@example.com"), password));
    const QString token = anonymous->token();
    QCOMPARE(anonymous->get(QStringLiteral("/auth/me")).status, 200);
    QCOMPARE(m_server->anonymousClient()
                 ->post(QStringLiteral("/auth/login"),
                        {{QStringLiteral("email"), QStringLiteral("lee@example.com")},
                         {QStringLiteral("password"), QStringLiteral("wrong-Pa55")}})
                 .status,
             401);

    const auto me = anonymous->get(QStringLiteral("/auth/me"));
    QVERIFY(!me.body.contains(password.toUtf8()));
    QVERIFY(!me.body.contains("pbkdf2"));
    QVERIFY(!me.body.contains(token.toUtf8()));

    const QStringList log = LogCapture::lines();
    QVERIFY(!log.isEmpty()); // the failed sign-in is logged...
    for (const QString &line : log) {
        QVERIFY2(!line.contains(password) && !line.contains(u"wrong-Pa55"), qPrintable(line));
        QVERIFY2(!line.contains(token) && !line.contains(u"pbkdf2"), qPrintable(line));
    }
}

void tst_ApiProtocol::healthNeedsNoSignIn()
{
    const auto r = m_server->anonymousClient()->get(QStringLiteral("/health"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("ok"));
    QCOMPARE(r.json.value(u"database").toString(),
             m_server->store().dialect() == store::Dialect::Sqlite ? QStringLiteral("sqlite")
                                                                   : QStringLiteral("postgres"));
}

QTEST_GUILESS_MAIN(tst_ApiProtocol)
#include "tst_apiprotocol.moc"
