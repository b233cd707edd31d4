#include "testserver.h"

#include <server/passwordhasher.h>
#include <store/userrepository.h>

#include <QUrl>

namespace sb::test {

namespace {

constexpr int kTestPasswordIterations = 1000; // fast sign-ins; production uses 310000

} // namespace

std::unique_ptr<TestServer> TestServer::start(QString *error, const Tweak &tweak)
{
    std::unique_ptr<TestServer> s(new TestServer);
    s->m_store = TestStore::create(error);
    if (!s->m_store)
        return nullptr;
    s->m_dataDir = std::make_unique<QTemporaryDir>();

    server::ServerSettings settings;
    settings.listen = QHostAddress::LocalHost;
    settings.port = 0;
    settings.dataDir = s->m_dataDir->path();
    settings.fakeClock = true;
    settings.passwordIterations = kTestPasswordIterations;
    if (s->m_store->dialect() == store::Dialect::Sqlite)
        settings.dataDir = QFileInfo(s->m_store->config().sqlitePath).absolutePath();
    else
        settings.databaseUrl = s->m_store->config().toUrl();
    if (tweak)
        tweak(settings);

    auto instance = server::ServerInstance::start(settings);
    if (!instance) {
        if (error)
            *error = instance.error().message;
        return nullptr;
    }
    s->m_instance = std::move(*instance);
    return s;
}

TestServer::~TestServer()
{
    m_instance.reset(); // before the store it runs on
}

QString TestServer::wsUrl() const
{
    QString url = baseUrl();
    url.replace(0, 4, QStringLiteral("ws"));
    return url + QStringLiteral("/api/v1/ws");
}

TestServer::Account TestServer::account(Role role, const QString &name)
{
    Account a;
    const int n = ++m_accounts;
    a.password = QStringLiteral("password-%1").arg(n);
    User u;
    u.name = name.isEmpty() ? QStringLiteral("%1 %2").arg(toString(role)).arg(n) : name;
    u.email = QStringLiteral("%1.%2@example.com").arg(toString(role)).arg(n);
    u.role = role;
    if (u.isAgent())
        u.availability = Availability::Online;
    u.createdAt = clock().now();
    const server::PasswordHasher hasher(kTestPasswordIterations);
    const auto created = database().transaction([&](QSqlDatabase &db) {
        return store::UserRepository(db).insert(u, hasher.hash(a.password));
    });
    if (!created) {
        QTest::qFail(qPrintable(created.error().message), __FILE__, __LINE__);
        return a;
    }
    a.user = *created;
    TestClient c(baseUrl());
    if (c.login(a.user.email, a.password))
        a.token = c.token();
    else
        QTest::qFail("could not sign in a test account", __FILE__, __LINE__);
    return a;
}

std::unique_ptr<TestClient> TestServer::client(const Account &account) const
{
    auto c = std::make_unique<TestClient>(baseUrl());
    c->setToken(account.token);
    return c;
}

std::unique_ptr<TestClient> TestServer::anonymousClient() const
{
    return std::make_unique<TestClient>(baseUrl());
}

} // namespace sb::test
