// GET /sync/changes over real HTTP, on SQLite and PostgreSQL: paging with since/next/hasMore,
// what each role sees, parameter checks, and the same change as the live WebSocket event.
#include <support/testserver.h>
#include <support/testsocket.h>

#include <store/changelogrepository.h>

#include <QJsonArray>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_SyncApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void eachRoleSeesItsOwnChanges_data();
    void eachRoleSeesItsOwnChanges();
    void pagesFollowNextUntilNoMore();
    void limitDefaultsToOneHundred();
    void badParametersAre400_data();
    void badParametersAre400();
    void goodParametersAreAccepted_data();
    void goodParametersAreAccepted();
    void needsSignIn();
    void changeHasTheEventShapeAndNoAudience();

private:
    struct Page
    {
        QStringList ids;
        QJsonArray changes;
        qint64 next = 0;
        bool hasMore = false;
    };
    Page read(const TestServer::Account &who, qint64 since, int limit = 0);
    void append(const Change &change);
    // The seeded log: one change of each kind of audience, after m_baseline.
    void seedAudiences();

    std::unique_ptr<TestServer> m_server;
    QHash<QString, TestServer::Account> m_accounts;
    qint64 m_baseline = 0;
};

void tst_SyncApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_accounts.clear();
    for (const auto &[name, role] :
         {std::pair {"alice", Role::Customer}, std::pair {"bob", Role::Customer},
          std::pair {"tech", Role::Technician}, std::pair {"agent", Role::Support},
          std::pair {"admin", Role::Admin}})
        m_accounts.insert(QLatin1StringView(name), m_server->account(role));
    const auto latest = store::ChangeLogRepository(m_server->database().connection()).latestSeq();
    QVERIFY(latest);
    m_baseline = *latest;
}

void tst_SyncApi::append(const Change &change)
{
    Change c = change;
    c.op = ChangeOp::Created;
    c.data = {{QStringLiteral("id"), c.entityId}};
    c.createdAt = m_server->clock().now();
    const auto seq = m_server->database().transaction(
        [&](QSqlDatabase &db) { return store::ChangeLogRepository(db).append(c); });
    QVERIFY2(seq, qPrintable(seq ? QString() : seq.error().message));
}

void tst_SyncApi::seedAudiences()
{
    const QString alice = m_accounts["alice"].user.id;
    const QString bob = m_accounts["bob"].user.id;
    const QString tech = m_accounts["tech"].user.id;
    const QString agent = m_accounts["agent"].user.id;
    auto change = [](const char *entity, const char *id) {
        Change c;
        c.entity = QLatin1StringView(entity);
        c.entityId = QLatin1StringView(id);
        return c;
    };
    Change c = change("ticket", "T1");
    c.customerId = alice;
    append(c);
    c = change("message", "M1-internal");
    c.customerId = alice;
    c.internal = true;
    append(c);
    c = change("ticket", "T2");
    c.customerId = bob;
    append(c);
    c = change("booking", "B1");
    c.customerId = alice;
    c.technicianId = tech;
    append(c);
    c = change("notification", "N1-alice");
    c.customerId = alice;
    c.userId = alice;
    append(c);
    c = change("notification", "N2-agent");
    c.userId = agent;
    append(c);
    append(change("user", "U1"));
}

tst_SyncApi::Page tst_SyncApi::read(const TestServer::Account &who, qint64 since, int limit)
{
    QString path = QStringLiteral("/sync/changes?since=%1").arg(since);
    if (limit > 0)
        path += QStringLiteral("&limit=%1").arg(limit);
    const auto r = m_server->client(who)->get(path);
    Page page;
    if (r.status != 200) {
        QTest::qFail(qPrintable(QStringLiteral("%1 answered %2").arg(path).arg(r.status)), __FILE__,
                     __LINE__);
        return page;
    }
    page.changes = r.json.value(u"changes").toArray();
    for (const QJsonValue &v : std::as_const(page.changes))
        page.ids << v.toObject().value(u"id").toString();
    page.next = r.json.value(u"next").toInteger(-1);
    page.hasMore = r.json.value(u"hasMore").toBool();
    return page;
}

void tst_SyncApi::eachRoleSeesItsOwnChanges_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("customer: own, not internal, own notification")
        << QStringLiteral("alice") << QStringList {"T1", "B1", "N1-alice"};
    QTest::newRow("other customer") << QStringLiteral("bob") << QStringList {"T2"};
    QTest::newRow("technician: assigned booking") << QStringLiteral("tech") << QStringList {"B1"};
    QTest::newRow("support: all but others' notifications")
        << QStringLiteral("agent")
        << QStringList {"T1", "M1-internal", "T2", "B1", "N2-agent", "U1"};
    QTest::newRow("admin: all but others' notifications")
        << QStringLiteral("admin") << QStringList {"T1", "M1-internal", "T2", "B1", "U1"};
}

void tst_SyncApi::eachRoleSeesItsOwnChanges()
{
    QFETCH(QString, who);
    QFETCH(QStringList, expected);
    seedAudiences();
    const Page page = read(m_accounts[who], m_baseline, 1000);
    QCOMPARE(page.ids, expected);
    QVERIFY(!page.hasMore);
}

void tst_SyncApi::pagesFollowNextUntilNoMore()
{
    seedAudiences();
    const auto &agent = m_accounts["agent"];
    const QStringList all = read(agent, m_baseline, 1000).ids;
    QCOMPARE(all.size(), 6);

    QStringList collected;
    qint64 since = m_baseline;
    int pages = 0;
    for (bool more = true; more; ++pages) {
        const Page page = read(agent, since, 4);
        QVERIFY(page.changes.size() <= 4);
        QVERIFY(page.next > since);
        QCOMPARE(page.next, page.changes.last().toObject().value(u"seq").toInteger());
        collected += page.ids;
        since = page.next;
        more = page.hasMore;
        QVERIFY(pages < 3);
    }
    QCOMPARE(pages, 2);
    QCOMPARE(collected, all);

    // Nothing after the end: an empty page that stays where it is.
    const Page end = read(agent, since, 4);
    QVERIFY(end.changes.isEmpty());
    QCOMPARE(end.next, since);
    QVERIFY(!end.hasMore);
}

void tst_SyncApi::limitDefaultsToOneHundred()
{
    for (int i = 0; i < 101; ++i) {
        Change c;
        c.entity = QStringLiteral("ticket");
        c.entityId = QStringLiteral("T%1").arg(i);
        c.customerId = m_accounts["alice"].user.id;
        append(c);
    }
    const Page page = read(m_accounts["alice"], m_baseline);
    QCOMPARE(page.changes.size(), 100);
    QVERIFY(page.hasMore);
    const Page rest = read(m_accounts["alice"], page.next);
    QCOMPARE(rest.ids, QStringList {"T100"});
    QVERIFY(!rest.hasMore);
}

void tst_SyncApi::badParametersAre400_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << QStringLiteral("limit");
    QTest::newRow("limit 1001") << QStringLiteral("limit=1001") << QStringLiteral("limit");
    QTest::newRow("limit negative") << QStringLiteral("limit=-5") << QStringLiteral("limit");
    QTest::newRow("limit not a number") << QStringLiteral("limit=ten") << QStringLiteral("limit");
    QTest::newRow("limit empty") << QStringLiteral("limit=") << QStringLiteral("limit");
    QTest::newRow("since negative") << QStringLiteral("since=-1") << QStringLiteral("since");
    QTest::newRow("since not a number")
        << QStringLiteral("since=yesterday") << QStringLiteral("since");
    QTest::newRow("since fraction") << QStringLiteral("since=1.5") << QStringLiteral("since");
    QTest::newRow("since too large")
        << QStringLiteral("since=99999999999999999999") << QStringLiteral("since");
}

void tst_SyncApi::badParametersAre400()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    const auto r = m_server->client(m_accounts["agent"])->get(u"/sync/changes?" + query);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
    QCOMPARE(r.field(), field);
    // The server still answers.
    QCOMPARE(m_server->client(m_accounts["agent"])->get(QStringLiteral("/sync/changes")).status,
             200);
}

void tst_SyncApi::goodParametersAreAccepted_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("none") << QString();
    QTest::newRow("limit 1") << QStringLiteral("limit=1");
    QTest::newRow("limit 1000") << QStringLiteral("limit=1000");
    QTest::newRow("since 0") << QStringLiteral("since=0");
    QTest::newRow("since beyond 32 bits") << QStringLiteral("since=8589934592");
}

void tst_SyncApi::goodParametersAreAccepted()
{
    QFETCH(QString, query);
    for (const char *who : {"alice", "tech", "agent", "admin"}) {
        const auto r
            = m_server->client(m_accounts[QLatin1StringView(who)])->get(u"/sync/changes?" + query);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value(u"changes").isArray());
        QVERIFY(r.json.value(u"next").isDouble());
        QVERIFY(r.json.value(u"hasMore").isBool());
    }
}

void tst_SyncApi::needsSignIn()
{
    const auto r = m_server->anonymousClient()->get(QStringLiteral("/sync/changes"));
    QCOMPARE(r.status, 401);
}

void tst_SyncApi::changeHasTheEventShapeAndNoAudience()
{
    // A real write (a registration records a user change for agents), seen live and in the log.
    const auto &agent = m_accounts["agent"];
    TestSocket socket;
    QVERIFY(socket.signIn(m_server->wsUrl(), agent.token));
    const auto registered = m_server->anonymousClient()->post(
        QStringLiteral("/auth/register"),
        {{QStringLiteral("name"), QStringLiteral("Newcomer")},
         {QStringLiteral("email"), QStringLiteral("newcomer@example.com")},
         {QStringLiteral("password"), QStringLiteral("long enough")}});
    QCOMPARE(registered.status, 201);
    const QString userId = registered.json.value(u"id").toString();
    auto event = socket.waitForFrame(TestSocket::isEvent(QStringLiteral("user"), userId));
    QVERIFY(event);

    const Page page = read(agent, m_baseline, 1000);
    QCOMPARE(page.ids, QStringList {userId});
    const QJsonObject change = page.changes.first().toObject();
    QStringList keys = change.keys();
    keys.sort();
    QCOMPARE(keys, QStringList({"createdAt", "data", "entity", "id", "op", "seq"}));
    QCOMPARE(change.value(u"op").toString(), QStringLiteral("created"));
    QVERIFY(change.value(u"createdAt").toString().endsWith(u'Z'));
    // The live event is the same change with its frame type.
    event->remove(QStringLiteral("type"));
    QCOMPARE(*event, change);
    // A customer does not see another user's account change.
    QVERIFY(read(m_accounts["alice"], m_baseline, 1000).ids.isEmpty());
}

QTEST_GUILESS_MAIN(tst_SyncApi)
#include "tst_syncapi.moc"
