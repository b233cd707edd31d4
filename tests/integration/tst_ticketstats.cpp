#include <store/ticketrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

// TicketRepository::stats: the dashboard figures, over a fixed set of tickets whose numbers
// can be worked out by hand (see seedTickets()).
class TstTicketStats : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_seed = std::make_unique<Seeder>(*m_store->database());
        seedTickets();
    }

    void cleanup()
    {
        m_seed.reset();
        m_store.reset();
    }

    void teamFigures()
    {
        const TicketStats s = *stats({.me = m_a1.id});
        QCOMPARE(s.byStatus.value(TicketStatus::Open), 1);
        QCOMPARE(s.byStatus.value(TicketStatus::Assigned), 1);
        QCOMPARE(s.byStatus.value(TicketStatus::InProgress), 1);
        QCOMPARE(s.byStatus.value(TicketStatus::Pending), 1);
        QCOMPARE(s.byStatus.value(TicketStatus::Resolved), 1); // S6 is outside the range
        QCOMPARE(s.byStatus.value(TicketStatus::Closed), 1);
        QCOMPARE(s.byStatus.size(), 6);
        QCOMPARE(s.byPriority.value(TicketPriority::Urgent), 2);
        QCOMPARE(s.byPriority.value(TicketPriority::High), 1);
        QCOMPARE(s.byPriority.value(TicketPriority::Medium), 2);
        QCOMPARE(s.byPriority.value(TicketPriority::Low), 1);

        // The live queue ignores the range.
        QCOMPARE(s.activeTickets, 4);
        QCOMPARE(s.unassignedTickets, 1);
        QCOMPARE(s.urgentTickets, 2);
        QCOMPARE(s.myActiveTickets, 2);

        QCOMPARE(s.avgFirstResponseMinutes, std::optional<double>(60.0)); // 30, 90, 60
        QCOMPARE(s.avgResolutionMinutes, std::optional<double>(180.0)); // 120, 240
        QCOMPARE(s.satisfactionAvg, std::optional<double>(3.0)); // 4, 2
        QCOMPARE(s.slaComplianceRate, std::optional<double>(0.8)); // S3 breached of 5
    }

    void overdueCountsAsBreachedWhenNowIsGiven()
    {
        // S7 waits for its first response past its due time; S5 too, but is paused.
        const TicketStats s = *stats({.now = m_base.addSecs(2 * 3600)});
        QCOMPARE(s.slaComplianceRate, std::optional<double>(0.6));
    }

    void oneAgentsFigures()
    {
        const TicketStats s = *stats({.assignedTo = m_a1.id, .me = m_a1.id});
        QCOMPARE(s.byStatus.value(TicketStatus::InProgress), 1);
        QCOMPARE(s.byStatus.value(TicketStatus::Resolved), 1);
        QCOMPARE(s.byStatus.value(TicketStatus::Assigned), 1);
        QCOMPARE(s.byStatus.value(TicketStatus::Open), 0);
        QCOMPARE(s.activeTickets, 2);
        QCOMPARE(s.unassignedTickets, 0);
        QCOMPARE(s.urgentTickets, 0);
        QCOMPARE(s.avgFirstResponseMinutes, std::optional<double>(60.0)); // 30, 90
        QCOMPARE(s.satisfactionAvg, std::optional<double>(4.0));
        QVERIFY(s.slaComplianceRate);
        QVERIFY(qFuzzyCompare(*s.slaComplianceRate, 2.0 / 3.0));
    }

    void emptyRangeHasNoAverages()
    {
        const TicketStats s
            = *stats({.createdFrom = m_base.addYears(1), .createdTo = m_base.addYears(2)});
        QCOMPARE(s.byStatus.value(TicketStatus::Open), 0);
        QVERIFY(!s.avgFirstResponseMinutes);
        QVERIFY(!s.avgResolutionMinutes);
        QVERIFY(!s.satisfactionAvg);
        QVERIFY(!s.slaComplianceRate);
        QCOMPARE(s.activeTickets, 4); // the queue is still there
    }

    void noRangeCountsEverything()
    {
        TicketStatsFilter f;
        const TicketStats s = *TicketRepository(m_store->connection()).stats(f);
        QCOMPARE(s.byStatus.value(TicketStatus::Resolved), 2);
        QVERIFY(s.satisfactionAvg && qFuzzyCompare(*s.satisfactionAvg, 11.0 / 3.0));
    }

private:
    // Bounded to [base, base + 1 day) unless the test says otherwise.
    Result<TicketStats> stats(TicketStatsFilter f)
    {
        if (!f.createdFrom.isValid()) {
            f.createdFrom = m_base;
            f.createdTo = m_base.addDays(1);
        }
        return TicketRepository(m_store->connection()).stats(f);
    }

    void seedTickets()
    {
        const User c = m_seed->customer();
        m_a1 = m_seed->agent();
        const User a2 = m_seed->agent();
        const QDateTime b = m_base;
        auto at = [&](int minutes) {
            return b.addSecs(60 * minutes);
        };
        auto make = [&](TicketStatus status, TicketPriority priority, const QString &agent,
                        const std::function<void(Ticket &)> &more = {}) {
            m_seed->ticket(c.id, [&](Ticket &t) {
                t.createdAt = b;
                t.updatedAt = b;
                t.status = status;
                t.priority = priority;
                t.assignedTo = agent;
                if (more)
                    more(t);
            });
        };
        using S = TicketStatus;
        using P = TicketPriority;
        make(S::Open, P::Urgent, {}); // S1
        make(S::InProgress, P::High, m_a1.id, [&](Ticket &t) { // S2: answered in 30 min
            t.sla.firstResponseDueAt = at(60);
            t.sla.firstResponseAt = at(30);
        });
        make(S::Resolved, P::Medium, m_a1.id, [&](Ticket &t) { // S3: late answer
            t.sla.firstResponseDueAt = at(60);
            t.sla.firstResponseAt = at(90);
            t.sla.firstResponseBreached = true;
            t.sla.resolutionDueAt = at(24 * 60);
            t.sla.resolvedAt = at(120);
            t.satisfaction = TicketSatisfaction {4, {}, at(200)};
        });
        make(S::Closed, P::Low, a2.id, [&](Ticket &t) { // S4
            t.sla.firstResponseDueAt = at(60);
            t.sla.firstResponseAt = at(60);
            t.sla.resolvedAt = at(240);
            t.satisfaction = TicketSatisfaction {2, {}, at(300)};
        });
        make(S::Pending, P::Urgent, a2.id, [&](Ticket &t) { // S5: paused, unanswered
            t.sla.firstResponseDueAt = at(60);
            t.sla.pausedSince = at(10);
        });
        make(S::Resolved, P::Urgent, m_a1.id, [&](Ticket &t) { // S6: ten days before the range
            t.createdAt = b.addDays(-10);
            t.sla.firstResponseAt = t.createdAt.addSecs(600);
            t.sla.resolvedAt = t.createdAt.addSecs(6000);
            t.satisfaction = TicketSatisfaction {5, {}, t.createdAt.addSecs(7000)};
        });
        make(S::Assigned, P::Medium, m_a1.id, [&](Ticket &t) { // S7: unanswered, not paused
            t.sla.firstResponseDueAt = at(60);
        });
    }

    const QDateTime m_base = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);
    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
    User m_a1;
};

QTEST_GUILESS_MAIN(TstTicketStats)
#include "tst_ticketstats.moc"
