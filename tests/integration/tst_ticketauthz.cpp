// Who may do what on the ticket routes, over real HTTP, on SQLite and PostgreSQL: role (the
// ticket's customer, another customer, a technician, support, admin, nobody) x endpoint ->
// status. A refused request changes nothing.
#include "tickettestkit.h"

#include <QTest>

using namespace sb;
using namespace sb::test;

namespace {

enum class Who { Owner, OtherCustomer, Technician, Support, Admin, Anonymous };

struct Endpoint
{
    QByteArray method;
    QString tail; // after /support/tickets/:id; empty with `collection`
    bool collection = false; // on /support/tickets itself
    QString state; // the status the ticket is in first
};

const QHash<QString, Endpoint> &endpoints()
{
    static const QHash<QString, Endpoint> table = {
        {QStringLiteral("create"), {"POST", {}, true, QStringLiteral("open")}},
        {QStringLiteral("list"), {"GET", {}, true, QStringLiteral("open")}},
        {QStringLiteral("get"), {"GET", {}, false, QStringLiteral("open")}},
        {QStringLiteral("message"),
         {"POST", QStringLiteral("/messages"), false, QStringLiteral("open")}},
        {QStringLiteral("note"),
         {"POST", QStringLiteral("/messages"), false, QStringLiteral("open")}},
        {QStringLiteral("assign"),
         {"PUT", QStringLiteral("/assign"), false, QStringLiteral("open")}},
        {QStringLiteral("status"),
         {"PUT", QStringLiteral("/status"), false, QStringLiteral("assigned")}},
        {QStringLiteral("priority"),
         {"PUT", QStringLiteral("/priority"), false, QStringLiteral("open")}},
        {QStringLiteral("close"),
         {"PUT", QStringLiteral("/close"), false, QStringLiteral("in_progress")}},
        {QStringLiteral("escalate"),
         {"PUT", QStringLiteral("/escalate"), false, QStringLiteral("open")}},
        {QStringLiteral("satisfaction"),
         {"POST", QStringLiteral("/satisfaction"), false, QStringLiteral("resolved")}},
    };
    return table;
}

} // namespace

Q_DECLARE_METATYPE(Who)

class tst_TicketAuthz : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { m_server.reset(); }

    void ticketRoutesAuthorizeByRoleAndOwnership_data();
    void ticketRoutesAuthorizeByRoleAndOwnership();
    void unknownTicketIs404ForAgentsToo();

private:
    QJsonObject bodyFor(const QString &endpoint, Who who) const;
    TestClient *clientFor(Who who);

    std::unique_ptr<TestServer> m_server;
    QMap<Who, TestServer::Account> m_accounts;
    QMap<Who, std::shared_ptr<TestClient>> m_clients;
};

void tst_TicketAuthz::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    const QList<std::pair<Who, Role>> roles = {
        {Who::Owner, Role::Customer},        {Who::OtherCustomer, Role::Customer},
        {Who::Technician, Role::Technician}, {Who::Support, Role::Support},
        {Who::Admin, Role::Admin},
    };
    for (const auto &[who, role] : roles) {
        m_accounts.insert(who, m_server->account(role));
        m_clients.insert(who, m_server->client(m_accounts.value(who)));
    }
    m_clients.insert(Who::Anonymous, m_server->anonymousClient());
}

TestClient *tst_TicketAuthz::clientFor(Who who)
{
    return m_clients.value(who).get();
}

QJsonObject tst_TicketAuthz::bodyFor(const QString &endpoint, Who who) const
{
    const QString support = m_accounts.value(Who::Support).user.id;
    const QString admin = m_accounts.value(Who::Admin).user.id;
    if (endpoint == u"create") {
        QJsonObject body = ticketBody();
        if (who == Who::Support || who == Who::Admin)
            body.insert(QStringLiteral("customerId"), m_accounts.value(Who::Owner).user.id);
        return body;
    }
    if (endpoint == u"message")
        return {{QStringLiteral("message"), QStringLiteral("Hello")}};
    if (endpoint == u"note")
        return {{QStringLiteral("message"), QStringLiteral("Note")},
                {QStringLiteral("isInternal"), true}};
    if (endpoint == u"assign")
        return {{QStringLiteral("agentId"), support}};
    if (endpoint == u"status")
        return {{QStringLiteral("status"), QStringLiteral("in_progress")}};
    if (endpoint == u"priority")
        return {{QStringLiteral("priority"), QStringLiteral("urgent")}};
    if (endpoint == u"close")
        return {{QStringLiteral("summary"), QStringLiteral("Done")}};
    if (endpoint == u"escalate")
        return {{QStringLiteral("escalatedTo"), admin},
                {QStringLiteral("reason"), QStringLiteral("Manager")}};
    if (endpoint == u"satisfaction")
        return {{QStringLiteral("rating"), 5}};
    return {};
}

void tst_TicketAuthz::ticketRoutesAuthorizeByRoleAndOwnership_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<Who>("who");
    QTest::addColumn<int>("status");
    const QList<std::pair<Who, const char *>> whos = {
        {Who::Owner, "owner"},           {Who::OtherCustomer, "other customer"},
        {Who::Technician, "technician"}, {Who::Support, "support"},
        {Who::Admin, "admin"},           {Who::Anonymous, "anonymous"},
    };
    // Columns in the order of `whos`.
    const QList<std::pair<const char *, QList<int>>> table = {
        {"create", {201, 201, 403, 201, 201, 401}},
        {"list", {200, 200, 403, 200, 200, 401}},
        {"get", {200, 404, 403, 200, 200, 401}},
        {"message", {201, 404, 403, 201, 201, 401}},
        {"note", {403, 403, 403, 201, 201, 401}},
        {"assign", {403, 403, 403, 200, 200, 401}},
        {"status", {403, 403, 403, 200, 200, 401}},
        {"priority", {403, 403, 403, 200, 200, 401}},
        {"close", {403, 403, 403, 200, 200, 401}},
        {"escalate", {403, 403, 403, 200, 200, 401}},
        {"satisfaction", {200, 404, 403, 403, 403, 401}},
    };
    for (const auto &[endpoint, statuses] : table) {
        for (qsizetype i = 0; i < whos.size(); ++i) {
            QTest::addRow("%s by %s", endpoint, whos.at(i).second)
                << QString::fromLatin1(endpoint) << whos.at(i).first << statuses.at(i);
        }
    }
}

void tst_TicketAuthz::ticketRoutesAuthorizeByRoleAndOwnership()
{
    QFETCH(QString, endpoint);
    QFETCH(Who, who);
    QFETCH(int, status);
    const Endpoint e = endpoints().value(endpoint);
    TestClient &agent = *clientFor(Who::Support);

    const auto created = openTicket(*clientFor(Who::Owner));
    QCOMPARE(created.status, 201);
    const QString id = created.json.value(u"id").toString();
    QCOMPARE(driveTo(agent, m_accounts.value(Who::Support).user.id, id, e.state).status, 200);
    const auto before = agent.get(ticketPath(id));

    const QString path = e.collection ? QStringLiteral("/support/tickets") : ticketPath(id, e.tail);
    const QJsonObject body = bodyFor(endpoint, who);
    TestClient &client = *clientFor(who);
    const auto r = e.method == "GET" ? client.get(path)
        : e.method == "PUT"          ? client.put(path, body)
                                     : client.post(path, body);
    QCOMPARE(r.status, status);

    const auto after = agent.get(ticketPath(id));
    if (status >= 400) {
        QVERIFY(!r.errorCode().isEmpty());
        // Nothing leaks and nothing changes.
        QVERIFY(!r.body.contains(created.json.value(u"subject").toString().toUtf8()));
        QCOMPARE(after.json, before.json);
    } else if (endpoint == u"list") {
        const QStringList ids = idsOf(r.json.value(u"items").toArray());
        QCOMPARE(ids.contains(id), who != Who::OtherCustomer);
    } else if (endpoint == u"get") {
        QCOMPARE(r.json.value(u"id").toString(), id);
    }
}

void tst_TicketAuthz::unknownTicketIs404ForAgentsToo()
{
    for (const Who who : {Who::Owner, Who::Support, Who::Admin}) {
        const auto r = clientFor(who)->get(ticketPath(QStringLiteral("no-such-ticket")));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
    }
    const auto put
        = clientFor(Who::Support)
              ->put(ticketPath(QStringLiteral("no-such-ticket"), QStringLiteral("/priority")),
                    {{QStringLiteral("priority"), QStringLiteral("low")}});
    QCOMPARE(put.status, 404);
}

QTEST_GUILESS_MAIN(tst_TicketAuthz)
#include "tst_ticketauthz.moc"
