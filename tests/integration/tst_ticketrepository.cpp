#include <store/ticketrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

// A list filter in the symbolic terms of the data tables: "c1", "a1", "b1", "T2", ...
struct FilterSpec
{
    QStringList statuses {};
    QStringList priorities {};
    QStringList categories {};
    QString assignee {}; // "", "none", "a1", "a2"
    QString customer {}; // "", "c1", "c2"
    QString booking {}; // "", "b1"
    QString q {};
    QString from {}; // a ticket label: created at or after it
    QString to {}; // a ticket label: created before it
};
Q_DECLARE_METATYPE(FilterSpec)

class TstTicketRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_seed = std::make_unique<Seeder>(*m_store->database());
        m_ids.clear();
        m_tickets.clear();
    }

    void cleanup()
    {
        m_seed.reset();
        m_store.reset();
    }

    void numbersAreUniqueAndIncreasing()
    {
        const User c = m_seed->customer();
        static const QRegularExpression format(u"^TKT-\\d{6}$"_s);
        qint64 last = 0;
        QSet<QString> ids;
        for (int i = 0; i < 5; ++i) {
            const Ticket t = m_seed->ticket(c.id);
            QVERIFY2(format.match(t.ticketNumber).hasMatch(), qPrintable(t.ticketNumber));
            const qint64 n = *TicketRepository::parseTicketNumber(t.ticketNumber);
            QVERIFY(n > last);
            last = n;
            ids.insert(t.id);
            QCOMPARE((*repo().findById(t.id))->ticketNumber, t.ticketNumber);
        }
        QCOMPARE(ids.size(), 5);
    }

    void parseTicketNumber_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("number"); // -1: not a number
        QTest::newRow("canonical") << u"TKT-000042"_s << qint64(42);
        QTest::newRow("lower case, short") << u"tkt-42"_s << qint64(42);
        QTest::newRow("bare") << u" 42 "_s << qint64(42);
        QTest::newRow("words") << u"42 pay"_s << qint64(-1);
        QTest::newRow("other prefix") << u"INV-42"_s << qint64(-1);
        QTest::newRow("negative") << u"-42"_s << qint64(-1);
    }

    void parseTicketNumber()
    {
        QFETCH(QString, text);
        QFETCH(qint64, number);
        QCOMPARE(TicketRepository::parseTicketNumber(text).value_or(-1), number);
        if (number > 0)
            QCOMPARE(TicketRepository::formatTicketNumber(number), u"TKT-000042"_s);
    }

    void everyFieldRoundTrips()
    {
        const User c = m_seed->customer();
        const User a = m_seed->agent();
        const QDateTime t0 = m_seed->nextTime();
        Ticket t = m_seed->ticket(c.id, [&](Ticket &t) { fillEveryField(t, a.id, t0); });
        const std::optional<Ticket> found = *repo().findById(t.id);
        QVERIFY(found);
        QVERIFY(found->satisfaction && found->escalation && found->resolution);
        QCOMPARE(found->sla.pausedSeconds, 90);
        QVERIFY(*found == t);
        QVERIFY(!repo().findById(u"missing"_s)->has_value());
    }

    void updateWritesEveryColumnAndIsOptimistic()
    {
        const User c = m_seed->customer();
        const User a = m_seed->agent();
        Ticket t = m_seed->ticket(c.id);
        fillEveryField(t, a.id, m_seed->nextTime());
        t.subject = u"Changed subject"_s;
        t.updatedAt = t.updatedAt.addSecs(60);
        Result<Ticket> updated = repo().update(t, 1);
        QVERIFY2(updated, qPrintable(updated ? QString() : updated.error().message));
        QCOMPARE(updated->version, 2);
        QVERIFY(**repo().findById(t.id) == *updated);

        t.priority = TicketPriority::Low;
        Result<Ticket> stale = repo().update(t, 1);
        QVERIFY(!stale);
        QCOMPARE(stale.error().code, u"version_conflict"_s);
        QVERIFY(**repo().findById(t.id) == *updated);

        t.id = u"missing"_s;
        QCOMPARE(repo().update(t, 2).error().code, u"not_found"_s);
    }

    void searchFollowsSubjectChanges()
    {
        const User c = m_seed->customer();
        Ticket t = m_seed->ticket(c.id, [](Ticket &t) { t.subject = u"Broken heater"_s; });
        t.subject = u"Broken boiler"_s;
        QVERIFY(repo().update(t, 1));
        TicketFilter f;
        f.q = u"heater"_s;
        QCOMPARE(repo().list(f)->total, 0);
        f.q = u"boiler"_s;
        QCOMPARE(repo().list(f)->total, 1);
    }

    void filters_data()
    {
        QTest::addColumn<FilterSpec>("spec");
        QTest::addColumn<QStringList>("expected"); // labels, by ticket number

        auto row = [](const char *name, FilterSpec spec, QStringList expected) {
            QTest::newRow(name) << spec << expected;
        };
        const QStringList all {u"T1"_s, u"T2"_s, u"T3"_s, u"T4"_s, u"T5"_s, u"T6"_s};
        row("no filter", {}, all);
        row("status", {.statuses = {u"open"_s}}, {u"T1"_s});
        row("statuses", {.statuses = {u"assigned"_s, u"in_progress"_s}}, {u"T2"_s, u"T4"_s});
        row("priority", {.priorities = {u"urgent"_s}}, {u"T3"_s, u"T5"_s});
        row("priorities", {.priorities = {u"low"_s, u"urgent"_s}},
            {u"T1"_s, u"T3"_s, u"T5"_s, u"T6"_s});
        row("category", {.categories = {u"payment"_s}}, {u"T1"_s});
        row("categories", {.categories = {u"booking"_s, u"complaint"_s}}, {u"T2"_s, u"T5"_s});
        row("unassigned", {.assignee = u"none"_s}, {u"T1"_s, u"T6"_s});
        row("assignee", {.assignee = u"a1"_s}, {u"T2"_s, u"T3"_s});
        row("customer", {.customer = u"c1"_s}, {u"T1"_s, u"T2"_s, u"T5"_s});
        row("booking", {.booking = u"b1"_s}, {u"T2"_s, u"T5"_s});
        row("created range", {.from = u"T2"_s, .to = u"T4"_s}, {u"T2"_s, u"T3"_s});
        row("created from", {.from = u"T5"_s}, {u"T5"_s, u"T6"_s});

        row("q: prefix of a word", {.q = u"pay"_s}, {u"T1"_s, u"T6"_s});
        row("q: all words must match", {.q = u"payment methods"_s}, {u"T6"_s});
        row("q: word in description", {.q = u"charged"_s}, {u"T4"_s});
        row("q: case-insensitive", {.q = u"CRASH"_s}, {u"T3"_s});
        row("q: apostrophe", {.q = u"didn't"_s}, {u"T5"_s});
        row("q: quotes and OR are words", {.q = u"\"pay\" OR crash"_s}, {});
        row("q: star", {.q = u"pay*"_s}, {u"T1"_s, u"T6"_s});
        row("q: NEAR is a word", {.q = u"NEAR(pay crash)"_s}, {});
        row("q: ! is not NOT", {.q = u"payment & !cash"_s}, {u"T6"_s});
        row("q: - is not NOT", {.q = u"-cash"_s}, {u"T6"_s});
        row("q: column filter syntax", {.q = u"subject:refund"_s}, {});
        row("q: tsquery syntax", {.q = u"pay:* | crash <-> app"_s}, {});
        row("q: SQL", {.q = u"'; DROP TABLE tickets; --"_s}, {});
        row("q: a lone quote", {.q = u"\""_s}, {});
        row("q: punctuation only", {.q = u"'\"*():&|!"_s}, {});
        row("q: ticket number", {.q = u"TKT-000003"_s}, {u"T3"_s});
        row("q: short ticket number", {.q = u"tkt-4"_s}, {u"T4"_s});
        row("q: bare number", {.q = u"5"_s}, {u"T5"_s});

        row("status + customer + category",
            {.statuses = {u"open"_s}, .categories = {u"payment"_s}, .customer = u"c1"_s},
            {u"T1"_s});
        row("assignee + priority", {.priorities = {u"urgent"_s}, .assignee = u"a1"_s}, {u"T3"_s});
        row("customer + q", {.customer = u"c2"_s, .q = u"refund"_s}, {u"T4"_s});
        row("q + status", {.statuses = {u"closed"_s}, .q = u"pay"_s}, {u"T6"_s});
        row("unassigned + customer", {.assignee = u"none"_s, .customer = u"c2"_s}, {u"T6"_s});
        row("booking + status", {.statuses = {u"resolved"_s}, .booking = u"b1"_s}, {u"T5"_s});
        row("no match", {.statuses = {u"open"_s}, .customer = u"c2"_s}, {});
    }

    void filters()
    {
        QFETCH(FilterSpec, spec);
        QFETCH(QStringList, expected);
        seedDataset();
        TicketFilter f = toFilter(spec);
        f.sort = TicketSortField::TicketNumber;
        f.order = SortOrder::Ascending;
        const Result<TicketPage> page = repo().list(f);
        QVERIFY2(page, qPrintable(page ? QString() : page.error().message));
        QCOMPARE(labels(page->items), expected);
        QCOMPARE(page->total, expected.size());
        // The table is still there and whole, whatever q was.
        QCOMPARE(repo().list(TicketFilter {})->total, 6);
    }

    void sort_data()
    {
        QTest::addColumn<TicketSortField>("field");
        QTest::addColumn<SortOrder>("order");
        QTest::addColumn<QStringList>("expected");
        auto labels = [](const char *text) {
            return QString::fromLatin1(text).split(u' ');
        };
        const auto asc = SortOrder::Ascending;
        const auto desc = SortOrder::Descending;
        QTest::newRow("created asc")
            << TicketSortField::CreatedAt << asc << labels("T1 T2 T3 T4 T5 T6");
        QTest::newRow("created desc")
            << TicketSortField::CreatedAt << desc << labels("T6 T5 T4 T3 T2 T1");
        QTest::newRow("updated asc")
            << TicketSortField::UpdatedAt << asc << labels("T6 T5 T4 T3 T2 T1");
        QTest::newRow("updated desc")
            << TicketSortField::UpdatedAt << desc << labels("T1 T2 T3 T4 T5 T6");
        // Ties (T1/T6 low, T3/T5 urgent) broken by number, in the same direction.
        QTest::newRow("priority asc")
            << TicketSortField::Priority << asc << labels("T1 T6 T4 T2 T3 T5");
        QTest::newRow("priority desc")
            << TicketSortField::Priority << desc << labels("T5 T3 T2 T4 T6 T1");
        // Workflow order, not alphabetical.
        QTest::newRow("status asc")
            << TicketSortField::Status << asc << labels("T1 T2 T4 T3 T5 T6");
        QTest::newRow("status desc")
            << TicketSortField::Status << desc << labels("T6 T5 T3 T4 T2 T1");
        QTest::newRow("number asc")
            << TicketSortField::TicketNumber << asc << labels("T1 T2 T3 T4 T5 T6");
        QTest::newRow("number desc")
            << TicketSortField::TicketNumber << desc << labels("T6 T5 T4 T3 T2 T1");
    }

    void sort()
    {
        QFETCH(TicketSortField, field);
        QFETCH(SortOrder, order);
        QFETCH(QStringList, expected);
        seedDataset();
        TicketFilter f;
        f.sort = field;
        f.order = order;
        QCOMPARE(labels(repo().list(f)->items), expected);

        // Paging through the same order, two at a time, gives the same sequence.
        QStringList paged;
        f.limit = 2;
        for (f.offset = 0; f.offset < 8; f.offset += 2)
            paged += labels(repo().list(f)->items);
        QCOMPARE(paged, expected);
    }

    void paging_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("items");
        QTest::newRow("first page") << 4 << 0 << 4;
        QTest::newRow("last page") << 4 << 4 << 2;
        QTest::newRow("past the end") << 4 << 8 << 0;
        QTest::newRow("all") << 100 << 0 << 6;
    }

    void paging()
    {
        QFETCH(int, limit);
        QFETCH(int, offset);
        QFETCH(int, items);
        seedDataset();
        TicketFilter f;
        f.limit = limit;
        f.offset = offset;
        const TicketPage page = *repo().list(f);
        QCOMPARE(page.items.size(), items);
        QCOMPARE(page.total, 6); // the total ignores paging
    }

    void plansUseIndexes_data()
    {
        QTest::addColumn<FilterSpec>("spec");
        QTest::addColumn<QString>("sqliteIndex");
        QTest::addColumn<QString>("postgresIndex");
        QTest::newRow("status") << FilterSpec {.statuses = {u"open"_s}} << u"tickets_status"_s
                                << u"tickets_status"_s;
        QTest::newRow("assignee") << FilterSpec {.assignee = u"a1"_s} << u"tickets_assignee"_s
                                  << u"tickets_assignee"_s;
        QTest::newRow("unassigned")
            << FilterSpec {.assignee = u"none"_s} << u"tickets_assignee"_s << u"tickets_assignee"_s;
        QTest::newRow("customer") << FilterSpec {.customer = u"c1"_s} << u"tickets_customer"_s
                                  << u"tickets_customer"_s;
        QTest::newRow("booking") << FilterSpec {.booking = u"b1"_s} << u"tickets_booking"_s
                                 << u"tickets_booking"_s;
        QTest::newRow("priority") << FilterSpec {.priorities = {u"high"_s}} << u"tickets_priority"_s
                                  << u"tickets_priority"_s;
        // The agents' queue (migration 0003): both columns from one index, not one of them
        // and the other checked row by row.
        QTest::newRow("status and priority")
            << FilterSpec {.statuses = {u"open"_s}, .priorities = {u"high"_s}}
            << u"tickets_status_priority"_s << u"tickets_status_priority"_s;
        QTest::newRow("category") << FilterSpec {.categories = {u"payment"_s}}
                                  << u"tickets_category"_s << u"tickets_category"_s;
        QTest::newRow("q") << FilterSpec {.q = u"refund"_s} << u"VIRTUAL TABLE INDEX"_s
                           << u"tickets_search"_s;
    }

    void plansUseIndexes()
    {
        QFETCH(FilterSpec, spec);
        QFETCH(QString, sqliteIndex);
        QFETCH(QString, postgresIndex);
        seedDataset();
        addFillerTickets(200);
        const Result<QString> plan = repo().explainList(toFilter(spec));
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().message));
        const bool sqlite = m_store->dialect() == Dialect::Sqlite;
        QVERIFY2(plan->contains(sqlite ? sqliteIndex : postgresIndex), qPrintable(*plan));
        QVERIFY2(!plan->contains(u"Seq Scan on tickets"_s), qPrintable(*plan));
        QVERIFY2(!plan->contains(QRegularExpression(u"SCAN tickets($|\\n)"_s)), qPrintable(*plan));
    }

private:
    TicketRepository repo() { return TicketRepository(m_store->connection()); }

    static void fillEveryField(Ticket &t, const QString &agentId, const QDateTime &t0)
    {
        t.subject = u"Every field"_s;
        t.description = u"Ünïcode ✓ and 'quotes'"_s;
        t.category = TicketCategory::ServiceQuality;
        t.priority = TicketPriority::Urgent;
        t.status = TicketStatus::Resolved;
        t.assignedTo = agentId;
        t.sla.firstResponseDueAt = t0.addSecs(3600);
        t.sla.resolutionDueAt = t0.addSecs(86400);
        t.sla.firstResponseAt = t0.addSecs(600);
        t.sla.resolvedAt = t0.addSecs(7200);
        t.sla.firstResponseBreached = true;
        t.sla.resolutionBreached = false;
        t.sla.pausedSeconds = 90;
        t.satisfaction = TicketSatisfaction {4, u"ok"_s, t0.addSecs(8000)};
        t.escalation = TicketEscalation {agentId, agentId, u"needs a manager"_s, t0.addSecs(60)};
        t.resolution = TicketResolution {u"fixed"_s, ResolutionType::Workaround, u"notes"_s,
                                         agentId, t.sla.resolvedAt};
    }

    // T1..T6, created one second apart in that order; updated in the reverse order.
    void seedDataset()
    {
        const User c1 = m_seed->customer();
        const User c2 = m_seed->customer();
        const User a1 = m_seed->agent();
        const User a2 = m_seed->agent();
        const Booking b1 = m_seed->booking(c1.id);
        m_ids = {{u"c1"_s, c1.id},
                 {u"c2"_s, c2.id},
                 {u"a1"_s, a1.id},
                 {u"a2"_s, a2.id},
                 {u"b1"_s, b1.id}};
        struct Spec
        {
            const User &customer;
            TicketStatus status;
            TicketPriority priority;
            TicketCategory category;
            QString assignee;
            QString booking;
            QString subject;
            QString description;
        };
        using S = TicketStatus;
        using P = TicketPriority;
        using C = TicketCategory;
        const Spec specs[] = {
            {c1, S::Open, P::Low, C::Payment, {}, {}, u"Cannot pay invoice"_s, u"card declined"_s},
            {c1, S::Assigned, P::High, C::Booking, a1.id, b1.id, u"Plumber never arrived"_s,
             u"waited all day"_s},
            {c2,
             S::Pending,
             P::Urgent,
             C::Technical,
             a1.id,
             {},
             u"App crashes on login"_s,
             u"crash after update"_s},
            {c2,
             S::InProgress,
             P::Medium,
             C::Billing,
             a2.id,
             {},
             u"Refund for double charge"_s,
             u"charged twice for one booking"_s},
            {c1, S::Resolved, P::Urgent, C::Complaint, a2.id, b1.id, u"Rude technician"_s,
             u"he didn't clean up"_s},
            {c2,
             S::Closed,
             P::Low,
             C::Other,
             {},
             {},
             u"Question about payment methods"_s,
             u"do you take cash"_s},
        };
        int i = 0;
        for (const Spec &s : specs) {
            const Ticket t = m_seed->ticket(s.customer.id, [&](Ticket &t) {
                t.status = s.status;
                t.priority = s.priority;
                t.category = s.category;
                t.assignedTo = s.assignee;
                t.relatedBooking = s.booking;
                t.subject = s.subject;
                t.description = s.description;
                t.updatedAt = t.createdAt.addSecs(3600 * (10 - i));
            });
            const QString label = u'T' + QString::number(++i);
            m_ids.insert(label, t.id);
            m_tickets.insert(t.id, label);
            m_created.insert(label, t.createdAt);
        }
    }

    // Closed, low-priority tickets of c2, assigned to a2, with statistics: the shape of a real
    // table, where each filter of plansUseIndexes picks few rows. On six rows the planner may
    // rightly prefer walking tickets_created to any filter's index.
    void addFillerTickets(int count)
    {
        QSqlQuery q(m_store->connection());
        QVERIFY(q.prepare(
            u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count) "
            "INSERT INTO tickets (id, subject, description, category, priority, priority_rank, "
            "status, customer_id, assigned_to, last_activity_at, created_at, updated_at) "
            "SELECT 'filler-' || i, 'Filler', 'nothing to see', 'other', 'low', 0, 'closed', "
            ":customer, :agent, i, i, i FROM n"_s));
        q.bindValue(u":count"_s, count);
        q.bindValue(u":customer"_s, m_ids.value(u"c2"_s));
        q.bindValue(u":agent"_s, m_ids.value(u"a2"_s));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(u"ANALYZE tickets"_s), qPrintable(q.lastError().text()));
    }

    TicketFilter toFilter(const FilterSpec &spec) const
    {
        TicketFilter f;
        for (const QString &s : spec.statuses)
            f.statuses << *parseEnum<TicketStatus>(s);
        for (const QString &p : spec.priorities)
            f.priorities << *parseEnum<TicketPriority>(p);
        for (const QString &c : spec.categories)
            f.categories << *parseEnum<TicketCategory>(c);
        if (spec.assignee == u"none")
            f.assignedTo = AssigneeFilter::unassigned();
        else if (!spec.assignee.isEmpty())
            f.assignedTo = AssigneeFilter::agent(m_ids.value(spec.assignee));
        f.customerId = m_ids.value(spec.customer);
        f.relatedBooking = m_ids.value(spec.booking);
        f.q = spec.q;
        f.createdFrom = m_created.value(spec.from);
        f.createdTo = m_created.value(spec.to);
        return f;
    }

    QStringList labels(const QList<Ticket> &tickets) const
    {
        QStringList out;
        for (const Ticket &t : tickets)
            out << m_tickets.value(t.id, t.id);
        return out;
    }

    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
    QHash<QString, QString> m_ids; // label -> id
    QHash<QString, QString> m_tickets; // id -> label
    QHash<QString, QDateTime> m_created; // label -> createdAt
};

QTEST_GUILESS_MAIN(TstTicketRepository)
#include "tst_ticketrepository.moc"
