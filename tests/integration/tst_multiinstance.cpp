// Two switchboard-server processes on one PostgreSQL database (DESIGN.md "Storage"): running the
// same job at the same moment does each booking's work once, and a WebSocket client of one
// instance receives what was written through the other.
#include <support/seeder.h>
#include <support/testclient.h>
#include <support/testdatabase.h>
#include <support/testsocket.h>

#include <server/passwordhasher.h>
#include <store/userrepository.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <sys/types.h>
#include <vector>

using namespace sb;
using namespace sb::test;

namespace {

constexpr int kPasswordIterations = 1000;
const QString kPassword = QStringLiteral("correct horse battery");

// One switchboard-server process, its log in a file (a pipe nobody reads would fill and block).
struct Instance
{
    std::unique_ptr<QTemporaryDir> dataDir;
    std::unique_ptr<QProcess> process;
    QString baseUrl;

    QString wsUrl() const
    {
        return QString(baseUrl).replace(0, 4, QStringLiteral("ws")) + u"/api/v1/ws";
    }
    QString log() const
    {
        QFile f(dataDir->filePath(QStringLiteral("server.log")));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(4000)) : QString();
    }
};

} // namespace

class tst_MultiInstance : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void twoInstancesEscalatingAtOnceDoTheWorkOnce_data();
    void twoInstancesEscalatingAtOnceDoTheWorkOnce();
    void socketOnOneInstanceReceivesWhatTheOtherWrote();
    void readsOnOneInstanceHaveWhatTheOtherJustWrote();

private:
    Instance startInstance();
    User user(Role role, const QString &name);
    QString signIn(const User &u);
    // POSTs to every instance at once; answers the replies' statuses and bodies.
    QList<TestClient::Reply> postToAll(const QString &path, const QJsonObject &body,
                                       const QString &token);
    int scalar(const QString &sql, const QString &userId = {});

    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
    std::vector<Instance> m_instances;
    User m_admin;
    QNetworkAccessManager m_net;
};

void tst_MultiInstance::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    if (TestStore::backend() != Backend::Postgres)
        QSKIP("needs PostgreSQL: several instances share one PostgreSQL database");
}

void tst_MultiInstance::init()
{
    QString error;
    m_store = TestStore::create(&error);
    QVERIFY2(m_store && m_store->database(), qPrintable(error));
    m_seed = std::make_unique<Seeder>(*m_store->database(),
                                      QDateTime::currentDateTimeUtc().addDays(-5));
    m_admin = user(Role::Admin, QStringLiteral("Admin"));
    // One after the other: each announces its port once its store is open.
    for (int i = 0; i < 2; ++i) {
        m_instances.push_back(startInstance());
        QVERIFY2(!m_instances.back().baseUrl.isEmpty(), qPrintable(m_instances.back().log()));
    }
}

void tst_MultiInstance::cleanup()
{
    for (Instance &instance : m_instances) {
        if (instance.process->state() == QProcess::Running) {
            ::kill(static_cast<pid_t>(instance.process->processId()), SIGTERM);
            if (!instance.process->waitForFinished(10000))
                instance.process->kill();
        }
        if (QTest::currentTestFailed())
            qWarning().noquote() << "server log:\n" << instance.log();
    }
    m_instances.clear();
    m_seed.reset();
    m_store.reset();
}

Instance tst_MultiInstance::startInstance()
{
    Instance s;
    s.dataDir = std::make_unique<QTemporaryDir>();
    s.process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"SWITCHBOARD_"))
            env.remove(key);
    }
    env.insert(QStringLiteral("SWITCHBOARD_DATABASE_URL"), m_store->config().toUrl());
    env.insert(QStringLiteral("SWITCHBOARD_PASSWORD_ITERATIONS"),
               QString::number(kPasswordIterations));
    s.process->setProcessEnvironment(env);
    s.process->setStandardErrorFile(s.dataDir->filePath(QStringLiteral("server.log")));
    s.process->start(QStringLiteral(SWITCHBOARD_SERVER_BINARY),
                     {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                      s.dataDir->path(), QStringLiteral("--fake-clock")});
    if (!s.process->waitForStarted(10000))
        return s;
    static const QRegularExpression line(QStringLiteral(R"(listening on (http://\S+:\d+))"));
    QByteArray out;
    for (int i = 0; i < 150 && !out.contains('\n'); ++i) {
        s.process->waitForReadyRead(100);
        out += s.process->readAllStandardOutput();
        if (s.process->state() != QProcess::Running)
            break;
    }
    if (const auto match = line.match(QString::fromUtf8(out)); match.hasMatch())
        s.baseUrl = match.captured(1);
    return s;
}

User tst_MultiInstance::user(Role role, const QString &name)
{
    User u;
    u.name = name;
    u.email = name.toLower().replace(u' ', u'.') + u"@example.com";
    u.role = role;
    if (u.isAgent())
        u.availability = Availability::Online;
    u.createdAt = QDateTime::currentDateTimeUtc();
    const server::PasswordHasher hasher(kPasswordIterations);
    const auto created = m_store->database()->transaction([&](QSqlDatabase &db) {
        return store::UserRepository(db).insert(u, hasher.hash(kPassword));
    });
    if (!created) {
        QTest::qFail(qPrintable(created.error().message), __FILE__, __LINE__);
        return u;
    }
    return *created;
}

QString tst_MultiInstance::signIn(const User &u)
{
    TestClient client(m_instances.front().baseUrl);
    return client.login(u.email, kPassword) ? client.token() : QString();
}

QList<TestClient::Reply> tst_MultiInstance::postToAll(const QString &path, const QJsonObject &body,
                                                      const QString &token)
{
    QList<QNetworkReply *> pending;
    for (const Instance &instance : std::as_const(m_instances)) {
        QNetworkRequest request(QUrl(instance.baseUrl + u"/api/v1" + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + token.toUtf8());
        request.setTransferTimeout(60000);
        pending << m_net.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    // Both requests are on the wire before either is answered.
    QList<TestClient::Reply> replies;
    for (QNetworkReply *reply : std::as_const(pending)) {
        // One that never finishes answers status 0, which the caller's checks report.
        static_cast<void>(QTest::qWaitFor([reply] { return reply->isFinished(); }, 60000));
        TestClient::Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
        replies << r;
        reply->deleteLater();
    }
    return replies;
}

int tst_MultiInstance::scalar(const QString &sql, const QString &userId)
{
    QSqlQuery q(m_store->connection());
    if (!q.prepare(sql))
        return -1;
    if (!userId.isEmpty())
        q.bindValue(QStringLiteral(":user"), userId);
    return q.exec() && q.next() ? q.value(0).toInt() : -1;
}

void tst_MultiInstance::twoInstancesEscalatingAtOnceDoTheWorkOnce_data()
{
    QTest::addColumn<bool>("byClock"); // POST /admin/clock instead of running the job by name
    QTest::newRow("POST /admin/jobs/autoEscalateCompletionRequests/run on both") << false;
    QTest::newRow("POST /admin/clock on both: the hourly job falls due on both") << true;
}

void tst_MultiInstance::twoInstancesEscalatingAtOnceDoTheWorkOnce()
{
    QFETCH(bool, byClock);
    constexpr int kBookings = 50;
    const User customer = user(Role::Customer, QStringLiteral("Customer"));
    const User technician = user(Role::Technician, QStringLiteral("Technician"));
    const User agent = user(Role::Support, QStringLiteral("Agent"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < kBookings; ++i)
        m_seed->awaitingCompletion(customer.id, technician.id, now.addSecs(-49 * 3600 - i));
    const QString token = signIn(m_admin);
    QVERIFY(!token.isEmpty());

    const auto replies = byClock
        ? postToAll(QStringLiteral("/admin/clock"), {{QStringLiteral("advanceSeconds"), 3600}},
                    token)
        : postToAll(QStringLiteral("/admin/jobs/autoEscalateCompletionRequests/run"), {}, token);
    QCOMPARE(replies.size(), 2);
    int changed = 0;
    for (const auto &reply : replies) {
        QCOMPARE(reply.status, 200);
        changed += reply.json.value(u"changed").toInt();
    }
    if (!byClock) {
        qInfo() << "instances escalated" << replies[0].json.value(u"changed").toInt() << "and"
                << replies[1].json.value(u"changed").toInt();
        QCOMPARE(changed, kBookings);
    }

    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM bookings WHERE cr_status = "
                                   "'escalated' AND auto_escalated = TRUE")),
             kBookings);
    // Exactly one ticket per booking, and one notification per stage and person.
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM tickets")), kBookings);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(DISTINCT related_booking) FROM tickets")),
             kBookings);
    const QString escalationNotices
        = QStringLiteral("SELECT COUNT(*) FROM notifications WHERE type = 'completion_escalated' "
                         "AND user_id = :user");
    const QString distinctNotices
        = QStringLiteral("SELECT COUNT(DISTINCT entity_id) FROM notifications WHERE type = "
                         "'completion_escalated' AND user_id = :user");
    QCOMPARE(scalar(escalationNotices, customer.id), kBookings);
    QCOMPARE(scalar(distinctNotices, customer.id), kBookings);
    // Support's side: each ticket assigned to one of the two online agents (the agent and the
    // admin), who alone hears of it, once; spread between them (each instance alternates).
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM tickets WHERE assigned_to IS NULL")), 0);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications WHERE type = "
                                   "'completion_escalated' AND user_id <> :user"),
                    customer.id),
             kBookings);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(DISTINCT entity_id) FROM notifications WHERE "
                                   "type = 'completion_escalated' AND user_id <> :user"),
                    customer.id),
             kBookings);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications n JOIN tickets t ON "
                                   "t.related_booking = n.entity_id AND t.assigned_to = n.user_id "
                                   "WHERE n.type = 'completion_escalated'")),
             kBookings);
    const int agentTickets = scalar(escalationNotices, agent.id);
    const int adminTickets = scalar(escalationNotices, m_admin.id);
    QCOMPARE(agentTickets + adminTickets, kBookings);
    QVERIFY2(std::abs(agentTickets - adminTickets) <= 2,
             qPrintable(QStringLiteral("%1 and %2").arg(agentTickets).arg(adminTickets)));

    // Once more on both: nothing left to do.
    const auto again
        = postToAll(QStringLiteral("/admin/jobs/autoEscalateCompletionRequests/run"), {}, token);
    for (const auto &reply : again)
        QCOMPARE(reply.json.value(u"changed").toInt(-1), 0);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM tickets")), kBookings);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM notifications")), 2 * kBookings);
}

void tst_MultiInstance::socketOnOneInstanceReceivesWhatTheOtherWrote()
{
    const User customer = user(Role::Customer, QStringLiteral("Customer"));
    const QString token = signIn(customer);
    QVERIFY(!token.isEmpty());
    const Instance &a = m_instances[0];
    const Instance &b = m_instances[1];

    TestSocket onB;
    QVERIFY(onB.signIn(b.wsUrl(), token));

    TestClient throughA(a.baseUrl);
    throughA.setToken(token);
    const auto ticket = throughA.post(QStringLiteral("/support/tickets"),
                                      {{QStringLiteral("subject"), QStringLiteral("No hot water")},
                                       {QStringLiteral("description"), QStringLiteral("Since 8")},
                                       {QStringLiteral("category"), QStringLiteral("booking")}});
    QCOMPARE(ticket.status, 201);
    const QString ticketId = ticket.json.value(u"id").toString();
    QVERIFY(onB.waitForFrame(TestSocket::isEvent(QStringLiteral("ticket"), ticketId)));

    const auto message = throughA.post(u"/support/tickets/" + ticketId + u"/messages",
                                       {{QStringLiteral("message"), QStringLiteral("Any news?")}});
    QCOMPARE(message.status, 201);
    const auto event = onB.waitForFrame(
        TestSocket::isEvent(QStringLiteral("message"), message.json.value(u"id").toString()));
    QVERIFY2(event, "instance B's socket never heard of the message written through A");
    QCOMPARE(event->value(u"data").toObject().value(u"message").toString(),
             QStringLiteral("Any news?"));
}

void tst_MultiInstance::readsOnOneInstanceHaveWhatTheOtherJustWrote()
{
    // B keeps what it renders (the read cache); A writes. B's very next read, without waiting
    // for B's poller (250 ms), has the write: B serves a kept answer only after the latest seq.
    const User customer = user(Role::Customer, QStringLiteral("Cached Customer"));
    const User agent = user(Role::Support, QStringLiteral("Cached Agent"));
    const Instance &a = m_instances[0];
    const Instance &b = m_instances[1];
    TestClient customerOnA(a.baseUrl);
    customerOnA.setToken(signIn(customer));
    TestClient agentOnA(a.baseUrl);
    agentOnA.setToken(signIn(agent));
    TestClient agentOnB(b.baseUrl);
    agentOnB.setToken(agentOnA.token());
    QVERIFY(!customerOnA.token().isEmpty() && !agentOnA.token().isEmpty());

    const auto created
        = customerOnA.post(QStringLiteral("/support/tickets"),
                           {{QStringLiteral("subject"), QStringLiteral("Oven door stuck")},
                            {QStringLiteral("description"), QStringLiteral("Since Monday")},
                            {QStringLiteral("category"), QStringLiteral("booking")}});
    QCOMPARE(created.status, 201);
    const QString path = u"/support/tickets/" + created.json.value(u"id").toString();
    const QString list = QStringLiteral("/support/tickets?limit=50");
    const QStringList priorities
        = {QStringLiteral("high"), QStringLiteral("urgent"), QStringLiteral("low")};
    for (int round = 0; round < priorities.size(); ++round) {
        // Read twice on B (the second from its cache), then write on A.
        QCOMPARE(agentOnB.get(path).status, 200);
        const auto before = agentOnB.get(path);
        QCOMPARE(before.status, 200);
        QCOMPARE(agentOnB.get(list).status, 200);
        const int messagesBefore = before.json.value(u"messages").toArray().size();
        const QString text = QStringLiteral("Still stuck, day %1").arg(round + 1);
        QCOMPARE(customerOnA.post(path + u"/messages", {{QStringLiteral("message"), text}}).status,
                 201);
        QCOMPARE(
            agentOnA.put(path + u"/priority", {{QStringLiteral("priority"), priorities.at(round)}})
                .status,
            200);

        const auto after = agentOnB.get(path);
        QCOMPARE(after.status, 200);
        const QJsonArray messages = after.json.value(u"messages").toArray();
        QCOMPARE(messages.size(), messagesBefore + 1);
        QVERIFY(std::any_of(messages.begin(), messages.end(), [&](const QJsonValue &m) {
            return m.toObject().value(u"message").toString() == text;
        }));
        QCOMPARE(after.json.value(u"priority").toString(), priorities.at(round));
        QVERIFY(after.json.value(u"version").toInt() > before.json.value(u"version").toInt());
        const auto listed = agentOnB.get(list);
        QCOMPARE(listed.status, 200);
        bool found = false;
        for (const QJsonValue &item : listed.json.value(u"items").toArray()) {
            if (u"/support/tickets/" + item.toObject().value(u"id").toString() == path) {
                found = true;
                QCOMPARE(item.toObject().value(u"priority").toString(), priorities.at(round));
            }
        }
        QVERIFY(found);
    }
}

QTEST_GUILESS_MAIN(tst_MultiInstance)
#include "tst_multiinstance.moc"
