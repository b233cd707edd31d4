#include <store/conversationrepository.h>
#include <store/notificationrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

// Support conversations and in-app notifications: the two small repositories of the messaging
// side, one test executable.
class TstConversationRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_seed = std::make_unique<Seeder>(*m_store->database());
        m_customer = m_seed->customer();
        m_agent = m_seed->agent();
    }

    void cleanup()
    {
        m_seed.reset();
        m_store.reset();
    }

    void conversationWithMessages()
    {
        const Conversation c = open(m_customer.id);
        QVERIFY(!c.id.isEmpty());
        const ConversationMessage hello = say(c.id, m_customer, u"Hello?"_s);
        const ConversationMessage answer = say(c.id, m_agent, u"Hi, how can I help?"_s);

        const std::optional<Conversation> found = *conversations().findById(c.id);
        QVERIFY(found);
        QCOMPARE(found->customerId, m_customer.id);
        QVERIFY(found->agentId.isEmpty());
        QCOMPARE(found->messages.size(), 2);
        QVERIFY(found->messages[0] == hello);
        QVERIFY(found->messages[1] == answer);
        QVERIFY(!conversations().findById(u"missing"_s)->has_value());
    }

    void messageToAMissingConversationIsNotFound()
    {
        ConversationMessage m;
        m.conversationId = u"missing"_s;
        m.senderId = m_customer.id;
        m.message = u"anyone?"_s;
        m.createdAt = m_seed->nextTime();
        QCOMPARE(conversations().addMessage(m).error().code, u"not_found"_s);
    }

    void updateAssignsAndCloses()
    {
        Conversation c = open(m_customer.id);
        c.agentId = m_agent.id;
        c.status = ConversationStatus::Closed;
        QVERIFY(conversations().update(c, m_seed->nextTime()));
        const Conversation found = **conversations().findById(c.id);
        QCOMPARE(found.agentId, m_agent.id);
        QVERIFY(found.status == ConversationStatus::Closed);
        c.id = u"missing"_s;
        QCOMPARE(conversations().update(c, m_seed->nextTime()).error().code, u"not_found"_s);
    }

    void listFiltersPagesAndPutsRecentActivityFirst()
    {
        const User other = m_seed->customer();
        const Conversation first = open(m_customer.id);
        const Conversation second = open(m_customer.id);
        open(other.id);
        say(first.id, m_customer, u"bump"_s); // first now has the latest activity

        ConversationFilter f;
        f.customerId = m_customer.id;
        ConversationPage page = *conversations().list(f);
        QCOMPARE(page.total, 2);
        QCOMPARE(page.items[0].id, first.id);
        QCOMPARE(page.items[1].id, second.id);
        f.limit = 1;
        f.offset = 1;
        page = *conversations().list(f);
        QCOMPARE(page.total, 2);
        QCOMPARE(page.items.size(), 1);
        QCOMPARE(page.items[0].id, second.id);

        ConversationFilter closed;
        closed.status = ConversationStatus::Closed;
        QCOMPARE(conversations().list(closed)->total, 0);
        QCOMPARE(conversations().list(ConversationFilter {})->total, 3);
    }

    void notificationsPerUserWithUnread()
    {
        const User other = m_seed->customer();
        const Notification a = notify(m_customer.id, u"first"_s);
        const Notification b = notify(m_customer.id, u"second"_s);
        notify(other.id, u"not yours"_s);

        NotificationPage page = *notifications().listForUser(m_customer.id, {});
        QCOMPARE(page.total, 2);
        QCOMPARE(page.unread, 2);
        QCOMPARE(page.items.size(), 2);
        QCOMPARE(page.items[0].id, b.id); // newest first
        QVERIFY(page.items[1] == a);

        QCOMPARE(*notifications().markRead(a.id, m_customer.id), true);
        QCOMPARE(*notifications().markRead(a.id, m_customer.id), false); // already read
        QCOMPARE(notifications().markRead(a.id, other.id).error().code, u"not_found"_s);

        NotificationFilter unread;
        unread.unreadOnly = true;
        page = *notifications().listForUser(m_customer.id, unread);
        QCOMPARE(page.total, 1);
        QCOMPARE(page.unread, 1);
        QCOMPARE(page.items.size(), 1);
        QCOMPARE(page.items[0].id, b.id);

        NotificationFilter paged;
        paged.limit = 1;
        paged.offset = 1;
        page = *notifications().listForUser(m_customer.id, paged);
        QCOMPARE(page.total, 2);
        QCOMPARE(page.items.size(), 1);
        QCOMPARE(page.items[0].id, a.id);
        QVERIFY(page.items[0].read);
    }

private:
    ConversationRepository conversations() { return ConversationRepository(m_store->connection()); }
    NotificationRepository notifications() { return NotificationRepository(m_store->connection()); }

    Conversation open(const QString &customerId)
    {
        Conversation c;
        c.customerId = customerId;
        c.createdAt = m_seed->nextTime().addMSecs(m_clockMs += 1000);
        return *conversations().insert(c);
    }

    ConversationMessage say(const QString &conversationId, const User &sender, const QString &text)
    {
        ConversationMessage m;
        m.conversationId = conversationId;
        m.senderId = sender.id;
        m.senderRole = sender.role;
        m.message = text;
        m.createdAt = m_seed->nextTime().addMSecs(m_clockMs += 1000);
        return *conversations().addMessage(m);
    }

    Notification notify(const QString &userId, const QString &title)
    {
        Notification n;
        n.userId = userId;
        n.type = NotificationType::TicketReply;
        n.title = title;
        n.body = u"body"_s;
        n.entity = u"ticket"_s;
        n.entityId = u"t1"_s;
        n.createdAt = m_seed->nextTime().addMSecs(m_clockMs += 1000);
        return *notifications().insert(n);
    }

    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
    User m_customer;
    User m_agent;
    qint64 m_clockMs = 0;
};

QTEST_GUILESS_MAIN(TstConversationRepository)
#include "tst_conversationrepository.moc"
