// GET /support/tickets over real HTTP, on SQLite and PostgreSQL: every filter, the sort
// allowlist, paging, and a customer seeing only its own tickets.
#include "tickettestkit.h"

#include <support/seeder.h>

#include <QTest>
#include <QUrlQuery>

using namespace sb;
using namespace sb::test;

class tst_TicketList : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { m_server.reset(); }

    void filtersNarrowTheList_data();
    void filtersNarrowTheList();
    void sortsByAllowlistedKeys_data();
    void sortsByAllowlistedKeys();
    void pagesWithLimitAndOffset();
    void customerSeesOnlyOwnTickets();
    void listItemsCarryNoMessages();

private:
    QString open(TestClient &customer, const QString &subject, const QString &category,
                 const QString &priority, const QString &booking = {});
    QStringList names(const QJsonArray &items) const;
    static QString query(const QList<std::pair<QString, QString>> &items);

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_alice;
    TestServer::Account m_bob;
    TestServer::Account m_agent1;
    TestServer::Account m_agent2;
    std::unique_ptr<TestClient> m_agent1Client;
    QHash<QString, QString> m_ids; // t1..t4 -> id
    QHash<QString, QJsonObject> m_created; // t1..t4 -> the 201 answer
    QString m_booking;
};

QString tst_TicketList::open(TestClient &customer, const QString &subject, const QString &category,
                             const QString &priority, const QString &booking)
{
    QJsonObject body = ticketBody(priority, subject);
    body.insert(QStringLiteral("category"), category);
    if (!booking.isEmpty())
        body.insert(QStringLiteral("relatedBooking"), booking);
    const auto r = customer.post(QStringLiteral("/support/tickets"), body);
    if (r.status != 201)
        QTest::qFail("could not open a ticket", __FILE__, __LINE__);
    m_server->clock().advance(60); // distinct creation times
    const QString name = u't' + QString::number(m_ids.size() + 1);
    m_ids.insert(name, r.json.value(u"id").toString());
    m_created.insert(name, r.json);
    return r.json.value(u"id").toString();
}

void tst_TicketList::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_alice = m_server->account(Role::Customer, QStringLiteral("Alice"));
    m_bob = m_server->account(Role::Customer, QStringLiteral("Bob"));
    m_agent1 = m_server->account(Role::Support);
    m_agent2 = m_server->account(Role::Support);
    m_agent1Client = m_server->client(m_agent1);
    auto agent2 = m_server->client(m_agent2);
    auto alice = m_server->client(m_alice);
    auto bob = m_server->client(m_bob);
    m_booking = Seeder(m_server->database()).booking(m_alice.user.id).id;

    const QString t1 = open(*alice, QStringLiteral("Refund for double charge"),
                            QStringLiteral("payment"), QStringLiteral("high"));
    open(*alice, QStringLiteral("Technician never came"), QStringLiteral("complaint"),
         QStringLiteral("urgent"), m_booking);
    const QString t3 = open(*bob, QStringLiteral("Password reset email missing"),
                            QStringLiteral("account"), QStringLiteral("low"));
    const QString t4 = open(*bob, QStringLiteral("Invoice shows wrong address"),
                            QStringLiteral("billing"), QStringLiteral("medium"));
    QCOMPARE(driveTo(*m_agent1Client, m_agent1.user.id, t1, QStringLiteral("in_progress")).status,
             200);
    m_server->clock().advance(60); // distinct update times: t1, then t3, then t4
    QCOMPARE(driveTo(*agent2, m_agent2.user.id, t3, QStringLiteral("assigned")).status, 200);
    m_server->clock().advance(60);
    QCOMPARE(driveTo(*m_agent1Client, m_agent1.user.id, t4, QStringLiteral("resolved")).status,
             200);
}

QStringList tst_TicketList::names(const QJsonArray &items) const
{
    QStringList out;
    for (const QString &id : idsOf(items))
        out << m_ids.key(id, QStringLiteral("unknown"));
    return out;
}

QString tst_TicketList::query(const QList<std::pair<QString, QString>> &items)
{
    QUrlQuery q;
    for (const auto &[key, value] : items)
        q.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    return QStringLiteral("/support/tickets?") + q.toString(QUrl::FullyEncoded);
}

void tst_TicketList::filtersNarrowTheList_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value"); // {t2} and friends name a ticket's id or creation time
    QTest::addColumn<QStringList>("expected"); // newest first, the default order
    QTest::newRow("nothing") << QString() << QString() << QStringList {"t4", "t3", "t2", "t1"};
    QTest::newRow("status") << "status"
                            << "open" << QStringList {"t2"};
    QTest::newRow("statuses") << "status"
                              << "open,in_progress" << QStringList {"t2", "t1"};
    QTest::newRow("priorities") << "priority"
                                << "high,urgent" << QStringList {"t2", "t1"};
    QTest::newRow("category") << "category"
                              << "billing" << QStringList {"t4"};
    QTest::newRow("unassigned") << "assignedTo"
                                << "unassigned" << QStringList {"t2"};
    QTest::newRow("me") << "assignedTo"
                        << "me" << QStringList {"t4", "t1"};
    QTest::newRow("an agent") << "assignedTo"
                              << "{agent2}" << QStringList {"t3"};
    QTest::newRow("customer") << "customer"
                              << "{bob}" << QStringList {"t4", "t3"};
    QTest::newRow("booking") << "booking"
                             << "{booking}" << QStringList {"t2"};
    QTest::newRow("q word") << "q"
                            << "refund" << QStringList {"t1"};
    QTest::newRow("q words") << "q"
                             << "password email" << QStringList {"t3"};
    QTest::newRow("q nothing") << "q"
                               << "elephant" << QStringList();
    QTest::newRow("q ticket number") << "q"
                                     << "{t3.number}" << QStringList {"t3"};
    QTest::newRow("from, inclusive") << "from"
                                     << "{t2.createdAt}" << QStringList {"t4", "t3", "t2"};
    QTest::newRow("to, exclusive") << "to"
                                   << "{t2.createdAt}" << QStringList {"t1"};
}

void tst_TicketList::filtersNarrowTheList()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QStringList, expected);
    value.replace(QStringLiteral("{agent2}"), m_agent2.user.id)
        .replace(QStringLiteral("{bob}"), m_bob.user.id)
        .replace(QStringLiteral("{booking}"), m_booking)
        .replace(QStringLiteral("{t3.number}"),
                 m_created.value(QStringLiteral("t3")).value(u"ticketNumber").toString())
        .replace(QStringLiteral("{t2.createdAt}"),
                 m_created.value(QStringLiteral("t2")).value(u"createdAt").toString());
    const auto r = m_agent1Client->get(key.isEmpty() ? QStringLiteral("/support/tickets")
                                                     : query({{key, value}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(names(r.json.value(u"items").toArray()), expected);
    QCOMPARE(r.json.value(u"total").toInteger(), expected.size());
    QCOMPARE(r.json.value(u"limit").toInt(), 50);
    QCOMPARE(r.json.value(u"offset").toInt(), 0);

    // Filters combine.
    const auto both
        = m_agent1Client->get(query({{QStringLiteral("status"), QStringLiteral("open,in_progress")},
                                     {QStringLiteral("priority"), QStringLiteral("urgent")}}));
    QCOMPARE(names(both.json.value(u"items").toArray()), QStringList {QStringLiteral("t2")});
}

void tst_TicketList::sortsByAllowlistedKeys_data()
{
    QTest::addColumn<QString>("sort");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("createdAt") << "createdAt" << QStringList {"t1", "t2", "t3", "t4"};
    QTest::newRow("-createdAt") << "-createdAt" << QStringList {"t4", "t3", "t2", "t1"};
    QTest::newRow("priority") << "priority" << QStringList {"t3", "t4", "t1", "t2"};
    QTest::newRow("-priority") << "-priority" << QStringList {"t2", "t1", "t4", "t3"};
    // Workflow order: open, assigned, in_progress, resolved.
    QTest::newRow("status") << "status" << QStringList {"t2", "t3", "t1", "t4"};
    QTest::newRow("ticketNumber") << "ticketNumber" << QStringList {"t1", "t2", "t3", "t4"};
    QTest::newRow("-ticketNumber") << "-ticketNumber" << QStringList {"t4", "t3", "t2", "t1"};
    // Changed last: t4 (resolved), then t3 (assigned), then t1.
    QTest::newRow("-updatedAt") << "-updatedAt" << QStringList {"t4", "t3", "t1", "t2"};
}

void tst_TicketList::sortsByAllowlistedKeys()
{
    QFETCH(QString, sort);
    QFETCH(QStringList, expected);
    const auto r = m_agent1Client->get(query({{QStringLiteral("sort"), sort}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(names(r.json.value(u"items").toArray()), expected);
}

void tst_TicketList::pagesWithLimitAndOffset()
{
    const auto first
        = m_agent1Client->get(QStringLiteral("/support/tickets?sort=createdAt&limit=3"));
    QCOMPARE(first.status, 200);
    QCOMPARE(names(first.json.value(u"items").toArray()), (QStringList {"t1", "t2", "t3"}));
    QCOMPARE(first.json.value(u"total").toInteger(), 4);
    QCOMPARE(first.json.value(u"limit").toInt(), 3);
    const auto second
        = m_agent1Client->get(QStringLiteral("/support/tickets?sort=createdAt&limit=3&offset=3"));
    QCOMPARE(names(second.json.value(u"items").toArray()), QStringList {"t4"});
    QCOMPARE(second.json.value(u"offset").toInt(), 3);
    QCOMPARE(second.json.value(u"total").toInteger(), 4);
    const auto past = m_agent1Client->get(QStringLiteral("/support/tickets?offset=10"));
    QCOMPARE(past.status, 200);
    QCOMPARE(past.json.value(u"items").toArray().size(), 0);
    QCOMPARE(past.json.value(u"total").toInteger(), 4);
    QCOMPARE(m_agent1Client->get(QStringLiteral("/support/tickets?limit=100")).status, 200);
}

void tst_TicketList::customerSeesOnlyOwnTickets()
{
    auto alice = m_server->client(m_alice);
    const auto all = alice->get(QStringLiteral("/support/tickets"));
    QCOMPARE(all.status, 200);
    QCOMPARE(names(all.json.value(u"items").toArray()), (QStringList {"t2", "t1"}));
    QCOMPARE(all.json.value(u"total").toInteger(), 2);
    // Other filters narrow within the customer's own tickets.
    QCOMPARE(names(alice->get(QStringLiteral("/support/tickets?status=in_progress"))
                       .json.value(u"items")
                       .toArray()),
             QStringList {"t1"});
    QCOMPARE(alice->get(query({{QStringLiteral("q"), QStringLiteral("password")}}))
                 .json.value(u"total")
                 .toInteger(),
             0);
    QCOMPARE(alice->get(query({{QStringLiteral("assignedTo"), m_agent2.user.id}}))
                 .json.value(u"total")
                 .toInteger(),
             0);
    // Naming herself is fine; naming another customer is refused, not silently ignored.
    QCOMPARE(alice->get(query({{QStringLiteral("customer"), m_alice.user.id}}))
                 .json.value(u"total")
                 .toInteger(),
             2);
    const auto other = alice->get(query({{QStringLiteral("customer"), m_bob.user.id}}));
    QCOMPARE(other.status, 400);
    QCOMPARE(other.errorCode(), QStringLiteral("invalid_field"));
    QCOMPARE(other.field(), QStringLiteral("customer"));
}

void tst_TicketList::listItemsCarryNoMessages()
{
    const auto r = m_agent1Client->get(QStringLiteral("/support/tickets?status=resolved"));
    QCOMPARE(r.status, 200);
    const QJsonObject item = r.json.value(u"items").toArray().first().toObject();
    QVERIFY(!item.contains(u"messages"));
    QVERIFY(!item.contains(u"attachments"));
    for (const char *key : {"id", "ticketNumber", "subject", "status", "priority", "customerId",
                            "assignedTo", "sla", "resolution", "version", "updatedAt"})
        QVERIFY2(item.contains(QLatin1StringView(key)), key);
    QCOMPARE(item.value(u"status").toString(), QStringLiteral("resolved"));
    QCOMPARE(item.value(u"assignedTo").toString(), m_agent1.user.id);
}

QTEST_GUILESS_MAIN(tst_TicketList)
#include "tst_ticketlist.moc"
