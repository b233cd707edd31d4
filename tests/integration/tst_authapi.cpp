// Sign-in, sessions and account management over real HTTP, on SQLite and PostgreSQL.
#include <support/testserver.h>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_AuthApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void registerAlwaysMakesACustomer_data();
    void registerAlwaysMakesACustomer();
    void registerRefusesBadInput_data();
    void registerRefusesBadInput();
    void loginAnswersTokenAndUser();
    void wrongPasswordAndUnknownAccountLookTheSame();
    void accountIsLockedAfterFiveFailures();
    void addressIsLockedAfterTwentyFailures();
    void throttleHoldsUnderParallelBurst();
    void logoutRevokesTheToken();
    void passwordChangeEndsOtherSessions();
    void deactivationRevokesEveryToken();
    void tokenExpires();
    void fakeClockSignsNobodyOut();
    void adminManagesUsers();
    void staleIfMatchOnUserIs412();
    void rolesThatMayNotManageUsers_data();
    void rolesThatMayNotManageUsers();

private:
    TestClient::Reply login(const QString &email, const QString &password);
    std::unique_ptr<TestServer> m_server;
};

void tst_AuthApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
}

TestClient::Reply tst_AuthApi::login(const QString &email, const QString &password)
{
    return m_server->anonymousClient()->post(
        QStringLiteral("/auth/login"),
        {{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
}

void tst_AuthApi::registerAlwaysMakesACustomer_data()
{
    QTest::addColumn<QString>("askedRole");
    QTest::newRow("no role") << QString();
    QTest::newRow("admin") << QStringLiteral("admin");
    QTest::newRow("support") << QStringLiteral("support");
    QTest::newRow("technician") << QStringLiteral("technician");
}

void tst_AuthApi::registerAlwaysMakesACustomer()
{
    QFETCH(QString, askedRole);
    QJsonObject body {{QStringLiteral("name"), QStringLiteral("Ada")},
                      {QStringLiteral("email"), QStringLiteral("ada@example.com")},
                      {QStringLiteral("password"), QStringLiteral("long enough")}};
    if (!askedRole.isEmpty())
        body.insert(QStringLiteral("role"), askedRole);
    const auto r = m_server->anonymousClient()->post(QStringLiteral("/auth/register"), body);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"role").toString(), QStringLiteral("customer"));
    QVERIFY(!r.json.contains(u"password"));
    QVERIFY(!r.json.contains(u"passwordHash"));
    QVERIFY(!r.body.contains("pbkdf2"));

    const auto signedIn = login(QStringLiteral("ADA@example.com"), QStringLiteral("long enough"));
    QCOMPARE(signedIn.status, 200);
    QCOMPARE(signedIn.json.value(u"user").toObject().value(u"role").toString(),
             QStringLiteral("customer"));

    const auto again = m_server->anonymousClient()->post(QStringLiteral("/auth/register"), body);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.errorCode(), QStringLiteral("email_taken"));
}

void tst_AuthApi::registerRefusesBadInput_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    const QJsonObject ok {{QStringLiteral("name"), QStringLiteral("Ada")},
                          {QStringLiteral("email"), QStringLiteral("ada@example.com")},
                          {QStringLiteral("password"), QStringLiteral("long enough")}};
    auto with = [&](const char *key, const QJsonValue &v) {
        QJsonObject b = ok;
        if (v.isUndefined())
            b.remove(QLatin1StringView(key));
        else
            b.insert(QLatin1StringView(key), v);
        return b;
    };
    QTest::newRow("no name") << with("name", QJsonValue::Undefined) << QStringLiteral("name");
    QTest::newRow("empty name") << with("name", QStringLiteral("  ")) << QStringLiteral("name");
    QTest::newRow("name not a string") << with("name", 42) << QStringLiteral("name");
    QTest::newRow("name too long") << with("name", QString(101, u'x')) << QStringLiteral("name");
    QTest::newRow("no email") << with("email", QJsonValue::Undefined) << QStringLiteral("email");
    QTest::newRow("email without @")
        << with("email", QStringLiteral("ada.example.com")) << QStringLiteral("email");
    QTest::newRow("short password")
        << with("password", QStringLiteral("short")) << QStringLiteral("password");
    QTest::newRow("password not a string") << with("password", true) << QStringLiteral("password");
}

void tst_AuthApi::registerRefusesBadInput()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    const auto r = m_server->anonymousClient()->post(QStringLiteral("/auth/register"), body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), field);
    QVERIFY(!r.json.value(u"error").toObject().value(u"message").toString().isEmpty());
}

void tst_AuthApi::loginAnswersTokenAndUser()
{
    const auto agent = m_server->account(Role::Support, QStringLiteral("Sam"));
    const auto r = login(agent.user.email, agent.password);
    QCOMPARE(r.status, 200);
    const QString token = r.json.value(u"token").toString();
    QVERIFY(token.size() >= 32);
    QCOMPARE(r.json.value(u"user").toObject().value(u"id").toString(), agent.user.id);

    TestClient client(m_server->baseUrl());
    client.setToken(token);
    const auto me = client.get(QStringLiteral("/auth/me"));
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json.value(u"name").toString(), QStringLiteral("Sam"));
    QCOMPARE(me.json.value(u"availability").toString(), QStringLiteral("online"));

    client.setToken(token + u'x');
    QCOMPARE(client.get(QStringLiteral("/auth/me")).status, 401);
    QCOMPARE(m_server->anonymousClient()->get(QStringLiteral("/auth/me")).status, 401);
}

void tst_AuthApi::wrongPasswordAndUnknownAccountLookTheSame()
{
    const auto customer = m_server->account(Role::Customer);
    QElapsedTimer t;
    t.start();
    const auto wrong = login(customer.user.email, QStringLiteral("not the password"));
    const qint64 wrongMs = t.restart();
    const auto unknown = login(QStringLiteral("nobody@example.com"), QStringLiteral("whatever1"));
    const qint64 unknownMs = t.elapsed();

    QCOMPARE(wrong.status, 401);
    QCOMPARE(unknown.status, 401);
    QCOMPARE(wrong.body, unknown.body);
    QCOMPARE(wrong.errorCode(), QStringLiteral("invalid_credentials"));
    // Both spend one password hash; neither answers in a fraction of the other's time.
    QVERIFY2(unknownMs * 5 + 20 >= wrongMs && wrongMs * 5 + 20 >= unknownMs,
             qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(wrongMs).arg(unknownMs)));
}

void tst_AuthApi::accountIsLockedAfterFiveFailures()
{
    const auto customer = m_server->account(Role::Customer);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(login(customer.user.email, QStringLiteral("wrong-%1").arg(i)).status, 401);
    const auto locked = login(customer.user.email, customer.password);
    QCOMPARE(locked.status, 429);
    QCOMPARE(locked.errorCode(), QStringLiteral("too_many_attempts"));
    const int retryAfter = locked.header("Retry-After").toInt();
    QVERIFY2(retryAfter > 14 * 60 && retryAfter <= 15 * 60,
             locked.header("Retry-After").constData());

    // Another account from the same address still signs in (5 failures < 20 per address).
    const auto other = m_server->account(Role::Customer);
    QCOMPARE(login(other.user.email, other.password).status, 200);
}

void tst_AuthApi::addressIsLockedAfterTwentyFailures()
{
    const auto customer = m_server->account(Role::Customer);
    for (int i = 0; i < 20; ++i) {
        const auto r
            = login(QStringLiteral("ghost%1@example.com").arg(i), QStringLiteral("x-password"));
        QCOMPARE(r.status, 401);
    }
    const auto r = login(customer.user.email, customer.password);
    QCOMPARE(r.status, 429);
    QVERIFY(!r.header("Retry-After").isEmpty());
}

void tst_AuthApi::throttleHoldsUnderParallelBurst()
{
    const auto customer = m_server->account(Role::Customer);
    QNetworkAccessManager net;
    QList<QNetworkReply *> replies;
    const QByteArray body
        = QJsonDocument(
              QJsonObject {{QStringLiteral("email"), customer.user.email},
                           {QStringLiteral("password"), QStringLiteral("wrong password")}})
              .toJson();
    for (int i = 0; i < 30; ++i) {
        QNetworkRequest req(QUrl(m_server->baseUrl() + QStringLiteral("/api/v1/auth/login")));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        replies << net.post(req, body);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(),
                                         [](QNetworkReply *r) { return r->isFinished(); }),
                             30000);
    int unauthorized = 0, throttled = 0;
    for (QNetworkReply *r : std::as_const(replies)) {
        const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        unauthorized += status == 401;
        throttled += status == 429;
        r->deleteLater();
    }
    QCOMPARE(unauthorized, 5);
    QCOMPARE(throttled, 25);
    QCOMPARE(login(customer.user.email, customer.password).status, 429);
}

void tst_AuthApi::logoutRevokesTheToken()
{
    const auto agent = m_server->account(Role::Support);
    auto client = m_server->client(agent);
    auto second = m_server->anonymousClient();
    QVERIFY(second->login(agent.user.email, agent.password));

    QCOMPARE(client->get(QStringLiteral("/auth/me")).status, 200);
    QCOMPARE(client->post(QStringLiteral("/auth/logout")).status, 204);
    QCOMPARE(client->get(QStringLiteral("/auth/me")).status, 401);
    QCOMPARE(second->get(QStringLiteral("/auth/me")).status, 200); // only that session ended
}

void tst_AuthApi::passwordChangeEndsOtherSessions()
{
    const auto customer = m_server->account(Role::Customer);
    auto current = m_server->client(customer);
    auto other = m_server->anonymousClient();
    QVERIFY(other->login(customer.user.email, customer.password));

    const auto wrong
        = current->put(QStringLiteral("/auth/password"),
                       {{QStringLiteral("currentPassword"), QStringLiteral("nope-nope")},
                        {QStringLiteral("newPassword"), QStringLiteral("brand new one")}});
    QCOMPARE(wrong.status, 400);
    QCOMPARE(wrong.field(), QStringLiteral("currentPassword"));
    QCOMPARE(other->get(QStringLiteral("/auth/me")).status, 200);

    const auto changed
        = current->put(QStringLiteral("/auth/password"),
                       {{QStringLiteral("currentPassword"), customer.password},
                        {QStringLiteral("newPassword"), QStringLiteral("brand new one")}});
    QCOMPARE(changed.status, 204);
    QCOMPARE(current->get(QStringLiteral("/auth/me")).status, 200);
    QCOMPARE(other->get(QStringLiteral("/auth/me")).status, 401);
    QCOMPARE(login(customer.user.email, customer.password).status, 401);
    QCOMPARE(login(customer.user.email, QStringLiteral("brand new one")).status, 200);
}

void tst_AuthApi::deactivationRevokesEveryToken()
{
    const auto admin = m_server->account(Role::Admin);
    const auto agent = m_server->account(Role::Support);
    auto agentClient = m_server->client(agent);
    QCOMPARE(agentClient->get(QStringLiteral("/auth/me")).status, 200);

    const auto r = m_server->client(admin)->put(QStringLiteral("/users/") + agent.user.id,
                                                {{QStringLiteral("active"), false}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"active").toBool(), false);
    QCOMPARE(agentClient->get(QStringLiteral("/auth/me")).status, 401);
    QCOMPARE(login(agent.user.email, agent.password).status, 401);
}

void tst_AuthApi::tokenExpires()
{
    m_server.reset();
    QString error;
    m_server = TestServer::start(&error, [](server::ServerSettings &s) {
        s.tokenTtlDays = 1.0 / 86400.0; // one second
    });
    QVERIFY2(m_server, qPrintable(error));
    const auto agent = m_server->account(Role::Support);
    auto client = m_server->client(agent);
    QCOMPARE(client->get(QStringLiteral("/auth/me")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(client->get(QStringLiteral("/auth/me")).status, 401, 5000);
}

void tst_AuthApi::fakeClockSignsNobodyOut()
{
    const auto admin = m_server->account(Role::Admin);
    auto client = m_server->client(admin);
    const auto moved = client->post(QStringLiteral("/admin/clock"),
                                    {{QStringLiteral("advanceSeconds"), 60 * 24 * 3600}});
    QCOMPARE(moved.status, 200);
    QCOMPARE(client->get(QStringLiteral("/auth/me")).status, 200);
}

void tst_AuthApi::adminManagesUsers()
{
    const auto admin = m_server->account(Role::Admin);
    auto client = m_server->client(admin);
    const auto created
        = client->post(QStringLiteral("/users"),
                       {{QStringLiteral("name"), QStringLiteral("Tess")},
                        {QStringLiteral("email"), QStringLiteral("tess@example.com")},
                        {QStringLiteral("password"), QStringLiteral("technician1")},
                        {QStringLiteral("role"), QStringLiteral("technician")}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value(u"role").toString(), QStringLiteral("technician"));
    const QString id = created.json.value(u"id").toString();

    const auto list = client->get(QStringLiteral("/users?role=technician"));
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json.value(u"total").toInt(), 1);
    QCOMPARE(list.json.value(u"items").toArray().first().toObject().value(u"id").toString(), id);

    const auto promoted = client->put(QStringLiteral("/users/") + id,
                                      {{QStringLiteral("role"), QStringLiteral("support")}});
    QCOMPARE(promoted.status, 200);
    QCOMPARE(promoted.json.value(u"role").toString(), QStringLiteral("support"));
    QCOMPARE(promoted.json.value(u"availability").toString(), QStringLiteral("offline"));
    QCOMPARE(promoted.header("ETag"), QByteArray("\"2\""));

    QCOMPARE(client
                 ->put(QStringLiteral("/users/") + id,
                       {{QStringLiteral("role"), QStringLiteral("boss")}})
                 .field(),
             QStringLiteral("role"));
    QCOMPARE(client->get(QStringLiteral("/users/no-such-id")).status, 404);
    QCOMPARE(client->get(QStringLiteral("/users?limit=101")).status, 400);
    QCOMPARE(
        client->put(QStringLiteral("/users/") + admin.user.id, {{QStringLiteral("active"), false}})
            .status,
        409);
}

void tst_AuthApi::staleIfMatchOnUserIs412()
{
    const auto admin = m_server->account(Role::Admin);
    const auto agent = m_server->account(Role::Support);
    auto client = m_server->client(admin);
    const QString path = QStringLiteral("/users/") + agent.user.id;
    QCOMPARE(client
                 ->put(path, {{QStringLiteral("name"), QStringLiteral("First")}},
                       {{"If-Match", "\"1\""}})
                 .status,
             200);
    const auto stale = client->put(path, {{QStringLiteral("name"), QStringLiteral("Second")}},
                                   {{"If-Match", "\"1\""}});
    QCOMPARE(stale.status, 412);
    QCOMPARE(stale.errorCode(), QStringLiteral("version_conflict"));
    QCOMPARE(client->get(path).json.value(u"name").toString(), QStringLiteral("First"));
    QCOMPARE(
        client->put(path, {{QStringLiteral("name"), QStringLiteral("Third")}}, {{"If-Match", "2"}})
            .status,
        200);
    QCOMPARE(client->put(path, {}, {{"If-Match", "\"seven\""}}).status, 400);
}

void tst_AuthApi::rolesThatMayNotManageUsers_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    const QList<QPair<QByteArray, QString>> routes = {{"GET", QStringLiteral("/users")},
                                                      {"POST", QStringLiteral("/users")},
                                                      {"PUT", QStringLiteral("/users/x")},
                                                      {"GET", QStringLiteral("/metrics")},
                                                      {"POST", QStringLiteral("/admin/clock")}};
    for (const auto &[method, path] : routes) {
        for (Role role : {Role::Customer, Role::Technician, Role::Support}) {
            QTest::addRow("%s %s as %s", method.constData(), qPrintable(path),
                          qPrintable(toString(role)))
                << int(role) << method << path << 403;
        }
        QTest::addRow("%s %s anonymous", method.constData(), qPrintable(path))
            << -1 << method << path << 401;
    }
}

void tst_AuthApi::rolesThatMayNotManageUsers()
{
    QFETCH(int, role);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    std::unique_ptr<TestClient> client
        = role < 0 ? m_server->anonymousClient() : m_server->client(m_server->account(Role(role)));
    const auto r = client->send(method, path, "{}", {{"Content-Type", "application/json"}});
    QCOMPARE(r.status, status);
    QVERIFY(!r.errorCode().isEmpty());
}

QTEST_GUILESS_MAIN(tst_AuthApi)
#include "tst_authapi.moc"
