#include <store/userrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

class TstUserRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_seed = std::make_unique<Seeder>(*m_store->database());
    }

    void cleanup()
    {
        m_seed.reset();
        m_store.reset();
    }

    void insertAndFind()
    {
        User u = user(u"Ada"_s, u"  Ada@Example.test "_s, Role::Support);
        Result<User> inserted = repo().insert(u, u"hash-1"_s);
        QVERIFY(inserted);
        QVERIFY(!inserted->id.isEmpty());
        QCOMPARE(inserted->email, u"Ada@Example.test"_s); // trimmed, case kept
        QVERIFY(inserted->availability == Availability::Offline); // agents default to offline

        const std::optional<User> found = *repo().findById(inserted->id);
        QVERIFY(found);
        QVERIFY(*found == *inserted);
        QCOMPARE(**repo().passwordHash(inserted->id), u"hash-1"_s);
        QVERIFY(!repo().findById(u"missing"_s)->has_value());
    }

    void customersHaveNoAvailability()
    {
        User u = user(u"Cy"_s, u"cy@example.test"_s, Role::Customer);
        u.availability = Availability::Online;
        QVERIFY(!repo().insert(u, u"h"_s)->availability.has_value());
    }

    void emailIsUniqueWithoutRegardToCase_data()
    {
        QTest::addColumn<QString>("second");
        QTest::newRow("same") << u"bo@example.test"_s;
        QTest::newRow("upper case") << u"BO@EXAMPLE.TEST"_s;
        QTest::newRow("spaces") << u" bo@example.test\t"_s;
    }

    void emailIsUniqueWithoutRegardToCase()
    {
        QFETCH(QString, second);
        QVERIFY(repo().insert(user(u"Bo"_s, u"bo@example.test"_s, Role::Customer), u"h"_s));
        Result<User> again = repo().insert(user(u"Bo 2"_s, second, Role::Customer), u"h"_s);
        QVERIFY(!again);
        QCOMPARE(again.error().code, u"email_taken"_s);
        QCOMPARE(*repo().count(), 1);

        const std::optional<UserCredentials> byEmail = *repo().findByEmail(second);
        QVERIFY(byEmail);
        QCOMPARE(byEmail->user.name, u"Bo"_s);
        QCOMPARE(byEmail->passwordHash, u"h"_s);
    }

    void listFiltersAndPages()
    {
        m_seed->customer(u"Alice Smith"_s);
        m_seed->customer(u"Bob Jones"_s);
        const User inactive = m_seed->customer(u"Carol Smith"_s);
        m_seed->agent(u"Dan Agent"_s);
        m_seed->technician(u"Eve Tech"_s);
        User off = inactive;
        off.active = false;
        QVERIFY(repo().update(off, off.version));

        UserFilter f;
        QCOMPARE(repo().list(f)->total, 5);
        f.role = Role::Customer;
        QCOMPARE(repo().list(f)->total, 3);
        f.active = true;
        QCOMPARE(repo().list(f)->total, 2);
        f = {};
        f.q = u"SMITH"_s;
        QCOMPARE(names(repo().list(f)->items), QStringList({u"Alice Smith"_s, u"Carol Smith"_s}));
        f = {};
        f.limit = 2;
        f.offset = 4;
        const UserPage last = *repo().list(f);
        QCOMPARE(last.total, 5);
        QCOMPARE(names(last.items), QStringList({u"Eve Tech"_s})); // oldest first
    }

    void updateAndSetters()
    {
        User u = m_seed->agent(u"Fay"_s);
        u.name = u"Fay Renamed"_s;
        u.email = u"fay.new@example.test"_s;
        QVERIFY(repo().update(u, u.version));
        QVERIFY(repo().setAvailability(u.id, Availability::Away));
        QVERIFY(repo().setPasswordHash(u.id, u"new-hash"_s));
        const QDateTime at = m_seed->nextTime();
        QVERIFY(repo().touchLastAssigned(u.id, at));

        const User found = **repo().findById(u.id);
        QCOMPARE(found.name, u"Fay Renamed"_s);
        QVERIFY(found.availability == Availability::Away);
        QCOMPARE(found.lastAssignedAt, at);
        QCOMPARE(**repo().passwordHash(u.id), u"new-hash"_s);
        QVERIFY(repo().findByEmail(u"FAY.NEW@example.test"_s)->has_value());
    }

    void updateIsOptimistic()
    {
        User u = m_seed->customer();
        Result<User> first = repo().update(u, u.version);
        QVERIFY(first);
        QCOMPARE(first->version, u.version + 1);
        u.name = u"Stale"_s;
        Result<User> stale = repo().update(u, u.version);
        QVERIFY(!stale);
        QCOMPARE(stale.error().code, u"version_conflict"_s);
        QVERIFY((*repo().findById(u.id))->name != u"Stale"_s);
        u.id = u"missing"_s;
        QCOMPARE(repo().update(u, 1).error().code, u"not_found"_s);
    }

    void agentsWithLoadCountsActiveTickets()
    {
        const User c = m_seed->customer();
        const User busy = m_seed->agent(u"A busy"_s);
        const User idle = m_seed->agent(u"B idle"_s);
        const User admin = m_seed->admin(u"C admin"_s);
        m_seed->technician(); // not an agent
        const TicketStatus statuses[]
            = {TicketStatus::Assigned, TicketStatus::InProgress, TicketStatus::Pending,
               TicketStatus::Resolved, TicketStatus::Closed};
        for (TicketStatus s : statuses) {
            m_seed->ticket(c.id, [&](Ticket &t) {
                t.status = s;
                t.assignedTo = busy.id;
            });
        }
        m_seed->ticket(c.id, [&](Ticket &t) {
            t.status = TicketStatus::Assigned;
            t.assignedTo = admin.id;
        });

        const QList<UserRepository::AgentLoad> loads = *repo().agentsWithLoad();
        QCOMPARE(loads.size(), 3);
        QCOMPARE(loads[0].agent.id, busy.id);
        QCOMPARE(loads[0].activeTickets, 3); // resolved and closed do not count
        QCOMPARE(loads[1].agent.id, idle.id);
        QCOMPARE(loads[1].activeTickets, 0);
        QCOMPARE(loads[2].agent.id, admin.id);
        QCOMPARE(loads[2].activeTickets, 1);
    }

    // The loads come from the partial index of active tickets (migration 5), never from a read
    // of every ticket of those statuses: auto-assignment counts them for each escalation run.
    void agentsWithLoadCountsFromTheActiveTicketsIndex()
    {
        const Result<QString> plan = repo().explainAgentsWithLoad();
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().message));
        QVERIFY2(plan->contains(u"tickets_agent_load"_s), qPrintable(*plan));
        QVERIFY2(!plan->contains(u"Seq Scan on tickets"_s), qPrintable(*plan));
        // The staff through users_role, not a walk of every customer and technician.
        QVERIFY2(plan->contains(u"users_role"_s), qPrintable(*plan));
        QVERIFY2(!plan->contains(u"SCAN users"_s) && !plan->contains(u"Seq Scan on users"_s),
                 qPrintable(*plan));
    }

private:
    UserRepository repo() { return UserRepository(m_store->connection()); }

    User user(const QString &name, const QString &email, Role role)
    {
        User u;
        u.name = name;
        u.email = email;
        u.role = role;
        u.createdAt = m_seed->nextTime();
        return u;
    }

    static QStringList names(const QList<User> &users)
    {
        QStringList out;
        for (const User &u : users)
            out << u.name;
        return out;
    }

    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
};

QTEST_GUILESS_MAIN(TstUserRepository)
#include "tst_userrepository.moc"
