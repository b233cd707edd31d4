// In-app notifications over real HTTP, on SQLite and PostgreSQL: each user sees and marks only
// its own.
#include <support/testserver.h>

#include <store/changelogrepository.h>
#include <store/notificationrepository.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_NotificationApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void listShowsOnlyOwnNotifications();
    void unreadFilterAndPaging();
    void markReadOwnOnly();
    void markingTwiceChangesNothing();
    void badQueryIs400NamingTheParameter_data();
    void badQueryIs400NamingTheParameter();

private:
    Notification notify(const User &user, const QString &title, bool read = false);

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_me;
    TestServer::Account m_other;
};

void tst_NotificationApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_me = m_server->account(Role::Customer);
    m_other = m_server->account(Role::Technician);
}

// Written straight into the store (the workflows that create them are not under test here),
// one second apart so that the order is known.
Notification tst_NotificationApi::notify(const User &user, const QString &title, bool read)
{
    m_server->clock().advance(1);
    Notification n;
    n.userId = user.id;
    n.type = NotificationType::TicketReply;
    n.title = title;
    n.body = QStringLiteral("body of ") + title;
    n.entity = QStringLiteral("ticket");
    n.entityId = QStringLiteral("t-1");
    n.read = read;
    n.createdAt = m_server->clock().now();
    const auto inserted = m_server->database().transaction(
        [&](QSqlDatabase &db) { return store::NotificationRepository(db).insert(n); });
    if (!inserted) {
        QTest::qFail(qPrintable(inserted.error().message), __FILE__, __LINE__);
        return {};
    }
    return *inserted;
}

void tst_NotificationApi::listShowsOnlyOwnNotifications()
{
    const Notification first = notify(m_me.user, QStringLiteral("first"));
    notify(m_other.user, QStringLiteral("not mine"));
    const Notification second = notify(m_me.user, QStringLiteral("second"), true);

    const auto r = m_server->client(m_me)->get(QStringLiteral("/notifications"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"total").toInt(), 2);
    QCOMPARE(r.json.value(u"unread").toInt(), 1);
    QCOMPARE(r.json.value(u"limit").toInt(), 50);
    QCOMPARE(r.json.value(u"offset").toInt(-1), 0);
    const QJsonArray items = r.json.value(u"items").toArray();
    QCOMPARE(items.size(), 2);
    // Newest first, in the Notification shape.
    const QJsonObject newest = items.at(0).toObject();
    QCOMPARE(newest.value(u"id").toString(), second.id);
    QCOMPARE(newest.value(u"userId").toString(), m_me.user.id);
    QCOMPARE(newest.value(u"type").toString(), QStringLiteral("ticket_reply"));
    QCOMPARE(newest.value(u"title").toString(), QStringLiteral("second"));
    QCOMPARE(newest.value(u"body").toString(), QStringLiteral("body of second"));
    QCOMPARE(newest.value(u"entity").toString(), QStringLiteral("ticket"));
    QCOMPARE(newest.value(u"entityId").toString(), QStringLiteral("t-1"));
    QCOMPARE(newest.value(u"read").toBool(), true);
    QVERIFY(!newest.value(u"createdAt").toString().isEmpty());
    QCOMPARE(items.at(1).toObject().value(u"id").toString(), first.id);

    const auto theirs = m_server->client(m_other)->get(QStringLiteral("/notifications"));
    QCOMPARE(theirs.json.value(u"total").toInt(), 1);
    QCOMPARE(theirs.json.value(u"items").toArray().first().toObject().value(u"title").toString(),
             QStringLiteral("not mine"));
    QCOMPARE(m_server->anonymousClient()->get(QStringLiteral("/notifications")).status, 401);
}

void tst_NotificationApi::unreadFilterAndPaging()
{
    for (int i = 0; i < 5; ++i)
        notify(m_me.user, QStringLiteral("n%1").arg(i), i % 2 == 1);
    auto client = m_server->client(m_me);

    const auto unread = client->get(QStringLiteral("/notifications?unread=true"));
    QCOMPARE(unread.status, 200);
    QCOMPARE(unread.json.value(u"total").toInt(), 3);
    for (const QJsonValue &v : unread.json.value(u"items").toArray())
        QVERIFY(!v.toObject().value(u"read").toBool());

    const auto all = client->get(QStringLiteral("/notifications?unread=false"));
    QCOMPARE(all.json.value(u"total").toInt(), 5);

    const auto page = client->get(QStringLiteral("/notifications?limit=2&offset=2"));
    QCOMPARE(page.json.value(u"total").toInt(), 5);
    const QJsonArray items = page.json.value(u"items").toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(u"title").toString(), QStringLiteral("n2"));
    QCOMPARE(items.at(1).toObject().value(u"title").toString(), QStringLiteral("n1"));
}

void tst_NotificationApi::markReadOwnOnly()
{
    const Notification mine = notify(m_me.user, QStringLiteral("mine"));
    const Notification theirs = notify(m_other.user, QStringLiteral("theirs"));
    auto client = m_server->client(m_me);

    const auto read = client->post(u"/notifications/" + mine.id + u"/read");
    QCOMPARE(read.status, 200);
    QCOMPARE(read.json.value(u"id").toString(), mine.id);
    QCOMPARE(read.json.value(u"read").toBool(), true);
    QCOMPARE(read.json.value(u"title").toString(), QStringLiteral("mine"));
    QCOMPARE(client->get(QStringLiteral("/notifications")).json.value(u"unread").toInt(-1), 0);

    // Someone else's is not found, exactly like one that does not exist, and stays unread.
    const auto other = client->post(u"/notifications/" + theirs.id + u"/read");
    QCOMPARE(other.status, 404);
    QCOMPARE(other.errorCode(), QStringLiteral("not_found"));
    QCOMPARE(other.body, client->post(QStringLiteral("/notifications/no-such-id/read")).body);
    const auto theirList
        = m_server->client(m_other)->get(QStringLiteral("/notifications?unread=true"));
    QCOMPARE(theirList.json.value(u"total").toInt(), 1);

    // The change reaches only its user.
    store::ChangeLogRepository log(m_server->database().connection());
    QCOMPARE(log.since(0, 100, {Role::Customer, m_me.user.id})->changes.size(), 1);
    QCOMPARE(log.since(0, 100, {Role::Technician, m_other.user.id})->changes.size(), 0);
    QCOMPARE(log.since(0, 100, {Role::Admin, QStringLiteral("some-admin")})->changes.size(), 0);
}

void tst_NotificationApi::markingTwiceChangesNothing()
{
    const Notification n = notify(m_me.user, QStringLiteral("once"));
    auto client = m_server->client(m_me);
    QCOMPARE(client->post(u"/notifications/" + n.id + u"/read").status, 200);
    const auto again = client->post(u"/notifications/" + n.id + u"/read");
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(u"read").toBool(), true);
    store::ChangeLogRepository log(m_server->database().connection());
    QCOMPARE(log.since(0, 100, {Role::Customer, m_me.user.id})->changes.size(), 1);
}

void tst_NotificationApi::badQueryIs400NamingTheParameter_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("unread not a boolean")
        << QStringLiteral("unread=yes") << QStringLiteral("unread");
    QTest::newRow("limit zero") << QStringLiteral("limit=0") << QStringLiteral("limit");
    QTest::newRow("limit too large") << QStringLiteral("limit=101") << QStringLiteral("limit");
    QTest::newRow("limit not a number") << QStringLiteral("limit=ten") << QStringLiteral("limit");
    QTest::newRow("negative offset") << QStringLiteral("offset=-1") << QStringLiteral("offset");
}

void tst_NotificationApi::badQueryIs400NamingTheParameter()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    auto client = m_server->client(m_me);
    const auto r = client->get(u"/notifications?" + query);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), field);
    QCOMPARE(client->get(QStringLiteral("/notifications")).status, 200);
}

QTEST_GUILESS_MAIN(tst_NotificationApi)
#include "tst_notificationapi.moc"
