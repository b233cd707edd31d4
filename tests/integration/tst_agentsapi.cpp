// Support agents over real HTTP, on SQLite and PostgreSQL: auto-assignment by workload and idle
// time, availability, and the workload list.
#include <support/seeder.h>
#include <support/testserver.h>

#include <store/userrepository.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

namespace {

// One agent of a scenario: its availability, its tickets in each status, and how long ago it
// was last given work (-1: never).
struct AgentSetup
{
    QString availability;
    QList<TicketStatus> tickets;
    int idleMinutes = -1;
};

} // namespace

Q_DECLARE_METATYPE(AgentSetup)
Q_DECLARE_METATYPE(sb::Role)

class tst_AgentsApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void supportAgentIsAutoAssignedBasedOnWorkload_data();
    void supportAgentIsAutoAssignedBasedOnWorkload();
    void assignmentRotatesAmongEquallyLoadedAgents();
    void deactivatedAgentIsNeverPicked();
    void agentSetsOwnAvailability();
    void availabilityRefusesBadInput_data();
    void availabilityRefusesBadInput();
    void staleIfMatchOnAvailabilityIs412();
    void agentListShowsWorkload();
    void onlyAgentsUseAgentRoutes_data();
    void onlyAgentsUseAgentRoutes();

private:
    QString startConversation(const TestServer::Account &customer);
    std::unique_ptr<TestServer> m_server;
};

void tst_AgentsApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
}

// The agent a new conversation of this customer was given ("" when none).
QString tst_AgentsApi::startConversation(const TestServer::Account &customer)
{
    const auto r
        = m_server->client(customer)->post(QStringLiteral("/support/conversation"),
                                           {{QStringLiteral("message"), QStringLiteral("Help")}});
    if (r.status != 201) {
        QTest::qFail(qPrintable(QStringLiteral("conversation answered %1").arg(r.status)), __FILE__,
                     __LINE__);
        return {};
    }
    return r.json.value(u"agentId").toString();
}

void tst_AgentsApi::supportAgentIsAutoAssignedBasedOnWorkload_data()
{
    using S = TicketStatus;
    QTest::addColumn<QList<AgentSetup>>("agents");
    QTest::addColumn<int>("expected"); // index into agents, -1: nobody

    const QString on = QStringLiteral("online");
    QTest::newRow("fewest active tickets")
        << QList<AgentSetup> {{on, {S::Assigned, S::InProgress}}, {on, {}}, {on, {S::Pending}}}
        << 1;
    QTest::newRow("each active status counts")
        << QList<AgentSetup> {{on, {S::Assigned, S::InProgress, S::Pending}},
                              {on, {S::Pending, S::Pending}}}
        << 1;
    QTest::newRow("open, resolved and closed do not count")
        << QList<AgentSetup> {{on, {S::Resolved, S::Closed, S::Resolved}}, {on, {S::Assigned}}}
        << 0;
    QTest::newRow("away is skipped") << QList<AgentSetup> {{on, {S::Assigned, S::Assigned}},
                                                           {QStringLiteral("away"), {}},
                                                           {on, {S::Assigned}}}
                                     << 2;
    QTest::newRow("offline is skipped")
        << QList<AgentSetup> {{QStringLiteral("offline"), {}}, {on, {S::Assigned, S::Pending}}}
        << 1;
    QTest::newRow("tie goes to the one idle longest") << QList<AgentSetup> {{on, {S::Assigned}, 10},
                                                                            {on, {S::Assigned}, 60},
                                                                            {on, {S::Assigned}, 5}}
                                                      << 1;
    QTest::newRow("tie: never assigned before anyone")
        << QList<AgentSetup> {{on, {}, 600}, {on, {}, -1}} << 1;
    QTest::newRow("workload before idle time")
        << QList<AgentSetup> {{on, {S::Assigned}, 600}, {on, {}, 1}} << 1;
    QTest::newRow("nobody online: unassigned")
        << QList<AgentSetup> {{QStringLiteral("away"), {}}, {QStringLiteral("offline"), {}}} << -1;
}

void tst_AgentsApi::supportAgentIsAutoAssignedBasedOnWorkload()
{
    QFETCH(QList<AgentSetup>, agents);
    QFETCH(int, expected);

    Seeder seed(m_server->database());
    const auto customer = m_server->account(Role::Customer);
    const User ticketOwner = seed.customer();
    const QDateTime now = m_server->clock().now();
    QStringList ids;
    for (const AgentSetup &setup : std::as_const(agents)) {
        const auto agent = m_server->account(Role::Support);
        ids << agent.user.id;
        const auto set
            = m_server->client(agent)->put(QStringLiteral("/support/agents/me/availability"),
                                           {{QStringLiteral("status"), setup.availability}});
        QCOMPARE(set.status, 200);
        for (const TicketStatus status : setup.tickets) {
            seed.ticket(ticketOwner.id, [&](Ticket &t) {
                t.status = status;
                t.assignedTo = agent.user.id;
            });
        }
        if (setup.idleMinutes >= 0) {
            const Status touched = m_server->database().transaction([&](QSqlDatabase &db) {
                return store::UserRepository(db).touchLastAssigned(
                    agent.user.id, now.addSecs(-60 * setup.idleMinutes));
            });
            QVERIFY(touched);
        }
    }

    const QString chosen = startConversation(customer);
    QCOMPARE(chosen, expected < 0 ? QString() : ids.at(expected));
}

void tst_AgentsApi::assignmentRotatesAmongEquallyLoadedAgents()
{
    const auto customer = m_server->account(Role::Customer);
    const auto a = m_server->account(Role::Support);
    const auto b = m_server->account(Role::Admin); // admins take support work too
    const auto c = m_server->account(Role::Support);

    // Conversations are not tickets, so the loads stay equal and the idle time decides.
    QStringList given;
    for (int i = 0; i < 4; ++i) {
        m_server->clock().advance(60);
        given << startConversation(customer);
    }
    QStringList firstRound = given.mid(0, 3);
    QStringList all {a.user.id, b.user.id, c.user.id};
    firstRound.sort();
    all.sort();
    QCOMPARE(firstRound, all);
    // Then the one given work longest ago.
    QCOMPARE(given.at(3), given.at(0));
}

void tst_AgentsApi::deactivatedAgentIsNeverPicked()
{
    const auto admin = m_server->account(Role::Admin);
    const auto customer = m_server->account(Role::Customer);
    const auto gone = m_server->account(Role::Support);
    // The admin is busier, so only deactivation keeps the idle agent out.
    Seeder seed(m_server->database());
    seed.ticket(seed.customer().id, [&](Ticket &t) {
        t.status = TicketStatus::Assigned;
        t.assignedTo = admin.user.id;
    });
    const auto off = m_server->client(admin)->put(u"/users/" + gone.user.id,
                                                  {{QStringLiteral("active"), false}});
    QCOMPARE(off.status, 200);
    QCOMPARE(startConversation(customer), admin.user.id);
}

void tst_AgentsApi::agentSetsOwnAvailability()
{
    const auto agent = m_server->account(Role::Support);
    const auto customer = m_server->account(Role::Customer);
    auto client = m_server->client(agent);

    const auto away = client->put(QStringLiteral("/support/agents/me/availability"),
                                  {{QStringLiteral("status"), QStringLiteral("away")}});
    QCOMPARE(away.status, 200);
    QCOMPARE(away.json.value(u"id").toString(), agent.user.id);
    QCOMPARE(away.json.value(u"availability").toString(), QStringLiteral("away"));
    QCOMPARE(away.header("ETag"),
             QByteArray('"' + QByteArray::number(away.json.value(u"version").toInt()) + '"'));
    QVERIFY(!away.json.contains(u"passwordHash"));
    QCOMPARE(client->get(QStringLiteral("/auth/me")).json.value(u"availability").toString(),
             QStringLiteral("away"));
    QCOMPARE(startConversation(customer), QString());

    const auto back = client->put(QStringLiteral("/support/agents/me/availability"),
                                  {{QStringLiteral("status"), QStringLiteral("online")}});
    QCOMPARE(back.status, 200);
    QCOMPARE(startConversation(customer), agent.user.id);
}

void tst_AgentsApi::availabilityRefusesBadInput_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("code");
    QTest::newRow("no status") << QJsonObject {} << QStringLiteral("missing_field");
    QTest::newRow("null status") << QJsonObject {{QStringLiteral("status"), QJsonValue::Null}}
                                 << QStringLiteral("missing_field");
    QTest::newRow("unknown status")
        << QJsonObject {{QStringLiteral("status"), QStringLiteral("busy")}}
        << QStringLiteral("invalid_field");
    QTest::newRow("status not a string")
        << QJsonObject {{QStringLiteral("status"), 1}} << QStringLiteral("invalid_field");
    QTest::newRow("status in capitals")
        << QJsonObject {{QStringLiteral("status"), QStringLiteral("ONLINE")}}
        << QStringLiteral("invalid_field");
}

void tst_AgentsApi::availabilityRefusesBadInput()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, code);
    const auto agent = m_server->account(Role::Support);
    auto client = m_server->client(agent);
    const auto r = client->put(QStringLiteral("/support/agents/me/availability"), body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.field(), QStringLiteral("status"));
    // Unchanged, and the server still answers.
    QCOMPARE(client->get(QStringLiteral("/auth/me")).json.value(u"availability").toString(),
             QStringLiteral("online"));
}

void tst_AgentsApi::staleIfMatchOnAvailabilityIs412()
{
    const auto agent = m_server->account(Role::Support);
    auto client = m_server->client(agent);
    const int version = client->get(QStringLiteral("/auth/me")).json.value(u"version").toInt();
    const QByteArray tag = '"' + QByteArray::number(version) + '"';
    const auto first
        = client->put(QStringLiteral("/support/agents/me/availability"),
                      {{QStringLiteral("status"), QStringLiteral("away")}}, {{"If-Match", tag}});
    QCOMPARE(first.status, 200);
    const auto stale
        = client->put(QStringLiteral("/support/agents/me/availability"),
                      {{QStringLiteral("status"), QStringLiteral("offline")}}, {{"If-Match", tag}});
    QCOMPARE(stale.status, 412);
    QCOMPARE(client->get(QStringLiteral("/auth/me")).json.value(u"availability").toString(),
             QStringLiteral("away"));
}

void tst_AgentsApi::agentListShowsWorkload()
{
    Seeder seed(m_server->database());
    const auto viewer = m_server->account(Role::Support, QStringLiteral("Ada"));
    const auto busy = m_server->account(Role::Admin, QStringLiteral("Bea"));
    m_server->account(Role::Customer, QStringLiteral("Cy"));
    m_server->account(Role::Technician, QStringLiteral("Di"));
    const User owner = seed.customer();
    for (const TicketStatus s :
         {TicketStatus::Assigned, TicketStatus::InProgress, TicketStatus::Pending,
          TicketStatus::Resolved, TicketStatus::Closed}) {
        seed.ticket(owner.id, [&](Ticket &t) {
            t.status = s;
            t.assignedTo = busy.user.id;
        });
    }
    QCOMPARE(m_server->client(busy)
                 ->put(QStringLiteral("/support/agents/me/availability"),
                       {{QStringLiteral("status"), QStringLiteral("offline")}})
                 .status,
             200);

    const auto r = m_server->client(viewer)->get(QStringLiteral("/support/agents"));
    QCOMPARE(r.status, 200);
    const QJsonArray items = r.json.value(u"items").toArray();
    QCOMPARE(items.size(), 2); // agents only: no customer, no technician
    QHash<QString, QJsonObject> byId;
    for (const QJsonValue &v : items)
        byId.insert(v.toObject().value(u"id").toString(), v.toObject());
    const QJsonObject ada = byId.value(viewer.user.id);
    const QJsonObject bea = byId.value(busy.user.id);
    QCOMPARE(ada.value(u"name").toString(), QStringLiteral("Ada"));
    QCOMPARE(ada.value(u"email").toString(), viewer.user.email);
    QCOMPARE(ada.value(u"availability").toString(), QStringLiteral("online"));
    QCOMPARE(ada.value(u"activeTickets").toInt(-1), 0);
    QCOMPARE(bea.value(u"availability").toString(), QStringLiteral("offline"));
    QCOMPARE(bea.value(u"activeTickets").toInt(), 3);
    QStringList keys = ada.keys();
    keys.sort();
    QCOMPARE(keys,
             (QStringList {QStringLiteral("activeTickets"), QStringLiteral("availability"),
                           QStringLiteral("email"), QStringLiteral("id"), QStringLiteral("name")}));
}

void tst_AgentsApi::onlyAgentsUseAgentRoutes_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<int>("expected");
    QTest::newRow("customer") << Role::Customer << 403;
    QTest::newRow("technician") << Role::Technician << 403;
    QTest::newRow("support") << Role::Support << 200;
    QTest::newRow("admin") << Role::Admin << 200;
}

void tst_AgentsApi::onlyAgentsUseAgentRoutes()
{
    QFETCH(Role, role);
    QFETCH(int, expected);
    auto client = m_server->client(m_server->account(role));
    QCOMPARE(client->get(QStringLiteral("/support/agents")).status, expected);
    QCOMPARE(client
                 ->put(QStringLiteral("/support/agents/me/availability"),
                       {{QStringLiteral("status"), QStringLiteral("away")}})
                 .status,
             expected);
    QCOMPARE(m_server->anonymousClient()->get(QStringLiteral("/support/agents")).status, 401);
}

QTEST_GUILESS_MAIN(tst_AgentsApi)
#include "tst_agentsapi.moc"
