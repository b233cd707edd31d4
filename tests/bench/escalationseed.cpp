#include "escalationseed.h"

#include <store/sqlquery.h>

#include <algorithm>
#include <array>
#include <random>

namespace sb::bench {

namespace {

constexpr int kRowsPerStatement = 1000;
constexpr int kStatementsPerTransaction = 50;
constexpr qint64 kHourMs = 3600LL * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr qint64 kDeadlineMs = 48 * kHourMs; // COMPLETION_ESCALATION_HOURS' default

// What a seeded booking is, in the proportions of an established service (per mille of the
// bookings that are not among the due ones).
enum class Kind {
    New,
    Confirmed,
    InProgress,
    Cancelled,
    Waiting,
    FollowUp,
    Disputed,
    Unreachable,
    Approved
};

constexpr std::array<std::pair<Kind, int>, 9> kMix {{
    {Kind::New, 40},
    {Kind::Confirmed, 80},
    {Kind::InProgress, 60},
    {Kind::Cancelled, 80},
    {Kind::Waiting, 30}, // pending completion request, deadline after the last slot
    {Kind::FollowUp, 5}, // escalated, follow-up open
    {Kind::Disputed, 10},
    {Kind::Unreachable, 45}, // escalated, completed as unreachable
    {Kind::Approved, 650},
}};

const QStringList kServices
    = {QStringLiteral("Boiler service"),          QStringLiteral("Leaking tap"),
       QStringLiteral("Washing machine repair"),  QStringLiteral("Rewire kitchen sockets"),
       QStringLiteral("Gutter cleaning"),         QStringLiteral("Fridge not cooling"),
       QStringLiteral("Window lock replacement"), QStringLiteral("Radiator bleed")};

const QString kBookingColumns = QStringLiteral(
    "id, customer_id, technician_id, service, scheduled_at, status, cr_requested_by, "
    "cr_requested_at, cr_status, cr_responded_at, cr_approved, escalation_deadline, "
    "auto_escalated, fu_initiated, fu_initiated_at, fu_outcome, fu_completed_at, created_at, "
    "updated_at");

// A random UUID-shaped id (the production ids' length and spread), from the seeded generator.
QString randomId(std::mt19937_64 &random)
{
    const quint64 a = random();
    const quint64 b = random();
    return QString::asprintf("%08x-%04x-4%03x-a%03x-%012llx", uint(a >> 32), uint(a >> 16) & 0xffff,
                             uint(a) & 0xfff, uint(b >> 52), b & 0xffffffffffffULL);
}

// One row of literal values. Every value is ours (ids, fixed words, numbers): none has a quote.
class Row
{
public:
    Row &text(const QString &v)
    {
        sep();
        m_sql += u'\'' + v + u'\'';
        return *this;
    }
    Row &textOrNull(const QString &v) { return v.isEmpty() ? null() : text(v); }
    Row &number(qint64 v)
    {
        sep();
        m_sql += QString::number(v);
        return *this;
    }
    Row &flag(bool v)
    {
        sep();
        m_sql += v ? u"TRUE" : u"FALSE";
        return *this;
    }
    Row &null()
    {
        sep();
        m_sql += u"NULL";
        return *this;
    }
    QString sql() const { return u'(' + m_sql + u')'; }

private:
    void sep()
    {
        if (!m_sql.isEmpty())
            m_sql += u", ";
    }
    QString m_sql;
};

// INSERTs of rows, kRowsPerStatement a statement, kStatementsPerTransaction a transaction.
class BulkInsert
{
public:
    BulkInsert(store::Database &db, const QString &table, const QString &columns)
        : m_db(db)
        , m_head(u"INSERT INTO " + table + u" (" + columns + u") VALUES ")
    { }

    Status add(const Row &row)
    {
        m_rows << row.sql();
        if (m_rows.size() == kRowsPerStatement) {
            m_statements << m_head + m_rows.join(u", ");
            m_rows.clear();
        }
        return m_statements.size() == kStatementsPerTransaction ? flush() : Status();
    }

    Status flush()
    {
        if (!m_rows.isEmpty())
            m_statements << m_head + m_rows.join(u", ");
        m_rows.clear();
        const QStringList statements = std::exchange(m_statements, {});
        if (statements.isEmpty())
            return {};
        return m_db.transaction([&](QSqlDatabase &sql) -> Status {
            for (const QString &statement : statements) {
                if (Status s = store::execDirect(sql, statement); !s)
                    return s;
            }
            return {};
        });
    }

private:
    store::Database &m_db;
    QString m_head;
    QStringList m_rows;
    QStringList m_statements;
};

} // namespace

Status EscalationSeed::run()
{
    // SQLite: a cache that holds the indexes while random ids go in, and no syncs, for the seed
    // only; the connection gets the server's settings back before anything is measured.
    const bool sqlite = m_db.dialect() == store::Dialect::Sqlite;
    QSqlDatabase sql = m_db.connection();
    if (sqlite) {
        (void)store::execDirect(sql, QStringLiteral("PRAGMA cache_size = -524288"));
        (void)store::execDirect(sql, QStringLiteral("PRAGMA synchronous = OFF"));
    }
    Status s = seedUsers();
    if (s)
        s = seedBookings();
    if (s)
        s = analyse();
    if (sqlite) {
        (void)store::execDirect(sql, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        (void)store::execDirect(sql, QStringLiteral("PRAGMA cache_size = -2000")); // default
        (void)store::execDirect(sql, QStringLiteral("PRAGMA synchronous = NORMAL"));
    }
    return s;
}

Status EscalationSeed::seedUsers()
{
    const qint64 at = m_plan.start.toMSecsSinceEpoch() - 800 * kDayMs;
    BulkInsert users(
        m_db, QStringLiteral("users"),
        QStringLiteral("id, name, email, email_key, password_hash, role, availability, "
                       "active, created_at, updated_at"));
    std::mt19937_64 random(20261125);
    const auto add = [&](const QString &role, int count, QStringList *ids) -> Status {
        for (int i = 0; i < count; ++i) {
            const QString id = randomId(random);
            const QString email = QStringLiteral("esc.%1.%2@example.test").arg(role).arg(i);
            Row row;
            row.text(id)
                .text(QStringLiteral("Bench %1 %2").arg(role).arg(i))
                .text(email)
                .text(email);
            row.text(QStringLiteral("not-a-hash")).text(role);
            if (role == u"support")
                row.text(QStringLiteral("online"));
            else
                row.null();
            row.flag(true).number(at).number(at);
            if (Status s = users.add(row); !s)
                return s;
            if (ids)
                *ids << id;
        }
        return {};
    };
    if (Status s = add(QStringLiteral("support"), m_plan.agents, nullptr); !s)
        return s;
    if (Status s = add(QStringLiteral("customer"), m_plan.customers, &m_customers); !s)
        return s;
    if (Status s = add(QStringLiteral("technician"), m_plan.technicians, &m_technicians); !s)
        return s;
    return users.flush();
}

Status EscalationSeed::seedBookings()
{
    std::mt19937_64 random(20261126);
    const auto pick = [&](qint64 from, qint64 to) { // in [from, to)
        return std::uniform_int_distribution<qint64>(from, to - 1)(random);
    };
    // tag >= 0: due in slot `tag`; otherwise the Kind -(tag + 1). Shuffled, so that the due
    // bookings are spread over the table and its indexes as they would be.
    const qint64 dueTotal = qint64(m_plan.due) * (m_plan.laterHours + 1);
    std::vector<int> tags(size_t(m_plan.bookings));
    for (size_t i = 0; i < tags.size(); ++i) {
        if (qint64(i) < dueTotal) {
            tags[i] = int(qint64(i) / m_plan.due);
            continue;
        }
        int roll = int(pick(0, 1000));
        for (const auto &[kind, weight] : kMix) {
            tags[i] = -(int(kind) + 1);
            if (roll < weight)
                break;
            roll -= weight;
        }
    }
    std::shuffle(tags.begin(), tags.end(), random);

    const qint64 t0 = m_plan.start.toMSecsSinceEpoch();
    const qint64 sampleEvery = std::max(1, m_plan.bookings / 1000);
    BulkInsert bookings(m_db, QStringLiteral("bookings"), kBookingColumns);
    for (size_t i = 0; i < tags.size(); ++i) {
        const QString id = randomId(random);
        if (qint64(i) % sampleEvery == 0)
            m_sample << id;
        const QString customer = m_customers.at(qsizetype(pick(0, m_customers.size())));
        const QString technician = m_technicians.at(qsizetype(pick(0, m_technicians.size())));
        const Kind kind = tags[i] >= 0 ? Kind::Waiting : Kind(-tags[i] - 1);
        // The request's deadline decides the rest: pending ones around now, settled ones past.
        qint64 deadline = 0;
        if (tags[i] >= 0)
            deadline = t0 + tags[i] * kHourMs - pick(0, kHourMs); // (slot - 1 h, slot]
        else if (kind == Kind::Waiting)
            deadline = pick(t0 + m_plan.laterHours * kHourMs + 1, t0 + kDeadlineMs);
        else
            deadline = pick(t0 - 700 * kDayMs, t0 - 8 * kDayMs);
        const qint64 requested = deadline - kDeadlineMs;
        const qint64 created = requested - pick(kDayMs, 30 * kDayMs);
        const qint64 scheduled = kind <= Kind::Confirmed ? pick(t0 + kHourMs, t0 + 30 * kDayMs)
            : kind == Kind::InProgress                   ? pick(t0 - 8 * kHourMs, t0)
                                                         : requested - 2 * kHourMs;

        Row row;
        row.text(id).text(customer);
        row.textOrNull(kind == Kind::New ? QString() : technician);
        row.text(kServices.at(qsizetype(i % size_t(kServices.size())))).number(scheduled);
        static const std::array<const char *, 9> statuses
            = {"pending",   "confirmed", "in_progress", "cancelled", "completed",
               "completed", "disputed",  "verified",    "verified"};
        row.text(QString::fromLatin1(statuses[size_t(kind)]));
        if (kind < Kind::Waiting) { // no completion request
            for (int c = 0; c < 6; ++c) // the request's five columns, the deadline
                row.null();
            row.flag(false).flag(false).null().null().null().number(created).number(created);
            if (Status s = bookings.add(row); !s)
                return s;
            continue;
        }
        ++m_withRequest;
        const bool escalated
            = kind == Kind::FollowUp || kind == Kind::Disputed || kind == Kind::Unreachable;
        const qint64 initiated = deadline + pick(0, kHourMs);
        const qint64 completed = initiated + pick(kHourMs, 7 * kDayMs);
        row.text(technician).number(requested);
        if (kind == Kind::Waiting) {
            ++m_pending;
            row.text(QStringLiteral("pending")).null().null();
        } else if (kind == Kind::Approved) {
            row.text(QStringLiteral("approved")).number(requested + pick(kHourMs, 40 * kHourMs));
            row.flag(true);
        } else {
            row.text(kind == Kind::Unreachable ? QStringLiteral("auto_approved")
                                               : QStringLiteral("escalated"))
                .null()
                .null();
        }
        row.number(deadline).flag(escalated).flag(escalated);
        if (escalated)
            row.number(initiated);
        else
            row.null();
        if (kind == Kind::Disputed || kind == Kind::Unreachable) {
            row.text(kind == Kind::Disputed ? QStringLiteral("customer_disputed")
                                            : QStringLiteral("unreachable"))
                .number(completed);
        } else {
            row.null().null();
        }
        row.number(created).number(kind == Kind::Waiting ? requested : completed);
        if (Status s = bookings.add(row); !s)
            return s;
    }
    return bookings.flush();
}

Status EscalationSeed::analyse()
{
    // The planners must know the tables' real sizes before the first EXPLAIN and run.
    const QString sql = m_db.dialect() == store::Dialect::Postgres
        ? QStringLiteral("ANALYZE users, bookings, tickets, notifications, change_log")
        : QStringLiteral("ANALYZE");
    return store::execDirect(m_db.connection(), sql);
}

} // namespace sb::bench
