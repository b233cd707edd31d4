#include "escalationfloor.h"

#include <store/ids.h>
#include <store/sqlquery.h>

namespace sb::bench {

namespace {

// The job's payloads on average (its change log after a run: a booking's JSON 848 bytes, a
// ticket's 999, a notification's 417; a notification's title 30 and body 120 characters, a
// ticket's description 210), so that the floor writes as many bytes as the job.
QString text(qsizetype size, char fill)
{
    return QString(size, QChar::fromLatin1(fill));
}

const QString kBookingData = text(848, 'b');
const QString kTicketData = text(999, 't');
const QString kNoticeData = text(417, 'n');
const QString kTitle = text(30, 'i');
const QString kBody = text(120, 'o');
const QString kDescription = text(210, 'd');

// "INSERT ... VALUES (row), (row), ..." for `count` rows, every value bound by position.
class Rows
{
public:
    Rows(QSqlDatabase &db, const QString &head, const QString &row, qsizetype count)
        : m_query(db, head + rowsSql(row, count))
    { }
    Rows &operator<<(const QVariant &value)
    {
        m_query.bindAt(m_next++, value);
        return *this;
    }
    Status exec() { return m_query.exec(); }

private:
    static QString rowsSql(const QString &row, qsizetype count)
    {
        QString sql;
        sql.reserve((row.size() + 2) * count);
        for (qsizetype i = 0; i < count; ++i)
            sql += (i ? u", " : u"") + row;
        return sql;
    }
    store::SqlQuery m_query;
    int m_next = 0;
};

} // namespace

Status EscalationFloor::prepare()
{
    store::SqlQuery q(m_db.connection(),
                      QStringLiteral("SELECT id FROM users WHERE role = 'support' AND active = "
                                     "TRUE ORDER BY id"));
    if (Status s = q.exec(); !s)
        return s;
    while (q.next())
        m_agents << q.value(0).toString();
    if (m_agents.isEmpty())
        return Error::make(QStringLiteral("no_agents"), QStringLiteral("No support agent."));
    return {};
}

Result<int> EscalationFloor::run(const QDateTime &now)
{
    int changed = 0;
    for (;;) {
        const Result<int> batch
            = m_db.transaction([&](QSqlDatabase &db) { return runBatch(db, now); });
        if (!batch)
            return batch;
        changed += *batch;
        if (*batch < m_batch)
            return changed;
    }
}

// The job's claim (the same guarded update through the partial index), answering only what
// the rows below need of each booking.
Result<QList<EscalationFloor::Claimed>> EscalationFloor::claim(QSqlDatabase &db,
                                                               const QDateTime &now)
{
    const bool postgres = m_db.dialect() == store::Dialect::Postgres;
    store::SqlQuery q(
        db,
        u"UPDATE bookings SET cr_status = 'escalated', auto_escalated = TRUE, fu_initiated = "
        u"TRUE, fu_initiated_at = :now, updated_at = :now, version = version + 1 WHERE "
        u"cr_status = 'pending' AND escalation_deadline <= :now AND id IN (SELECT b.id FROM "
        u"bookings b WHERE b.cr_status = 'pending' AND b.escalation_deadline <= :now ORDER BY "
        u"b.escalation_deadline, b.id LIMIT :limit"
            + (postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString())
            + u") RETURNING id, customer_id, technician_id, service");
    q.bind(QStringLiteral(":now"), store::dbTime(now)).bind(QStringLiteral(":limit"), m_batch);
    if (Status s = q.exec(); !s)
        return s.error();
    QList<Claimed> claimed;
    while (q.next())
        claimed << Claimed {q.value(0), q.value(1), q.value(2), q.value(3).toString()};
    return claimed;
}

Result<int> EscalationFloor::runBatch(QSqlDatabase &db, const QDateTime &now)
{
    const Result<QList<Claimed>> claimed = claim(db, now);
    if (!claimed)
        return claimed.error();
    const qsizetype n = claimed->size();
    if (n == 0)
        return 0;
    const QVariant at = store::dbTime(now);
    const QVariant none(QMetaType::fromType<QString>());
    // One agent a batch: which agent a ticket names costs the store nothing more or less.
    const QVariant agent = m_agents.at(m_nextAgent++ % m_agents.size());
    const QString changeHead
        = QStringLiteral("INSERT INTO change_log (entity, entity_id, op, data, customer_id, "
                         "technician_id, user_id, internal, created_at) VALUES ");
    const QString changeRow = QStringLiteral("(?, ?, ?, ?, ?, ?, ?, FALSE, ?)");

    Rows tickets(db,
                 QStringLiteral("INSERT INTO tickets (id, customer_id, subject, description, "
                                "category, priority, priority_rank, status, assigned_to, "
                                "related_booking, first_response_due_at, resolution_due_at, "
                                "last_activity_at, created_at, updated_at) VALUES "),
                 QStringLiteral("(?, ?, ?, ?, 'booking', 'high', 2, 'assigned', ?, ?, ?, ?, ?, ?, "
                                "?)"),
                 n);
    Rows entityChanges(db, changeHead, changeRow, 2 * n);
    Rows notices(db,
                 QStringLiteral("INSERT INTO notifications (id, user_id, type, title, body, "
                                "entity, entity_id, is_read, created_at) VALUES "),
                 QStringLiteral("(?, ?, 'completion_escalated', ?, ?, 'booking', ?, FALSE, ?)"),
                 2 * n);
    Rows noticeChanges(db, changeHead, changeRow, 2 * n);
    const QVariant due1 = store::dbTime(now.addSecs(3600));
    const QVariant due2 = store::dbTime(now.addSecs(86400));
    for (const Claimed &b : *claimed) {
        const QString ticket = store::newId();
        const QString toCustomer = store::newId();
        const QString toAgent = store::newId();
        tickets << ticket << b.customer << QString(u"Completion not confirmed: " + b.service)
                << kDescription << agent << b.id << due1 << due2 << at << at << at;
        entityChanges << QStringLiteral("booking") << b.id << QStringLiteral("updated")
                      << kBookingData << b.customer << b.technician << none << at;
        entityChanges << QStringLiteral("ticket") << ticket << QStringLiteral("created")
                      << kTicketData << b.customer << none << none << at;
        notices << toCustomer << b.customer << kTitle << kBody << b.id << at;
        notices << toAgent << agent << kTitle << kBody << b.id << at;
        noticeChanges << QStringLiteral("notification") << toCustomer << QStringLiteral("created")
                      << kNoticeData << none << none << b.customer << at;
        noticeChanges << QStringLiteral("notification") << toAgent << QStringLiteral("created")
                      << kNoticeData << none << none << agent << at;
    }
    for (Rows *rows : {&tickets, &entityChanges, &notices, &noticeChanges}) {
        if (Status s = rows->exec(); !s)
            return s.error();
    }
    return int(n);
}

} // namespace sb::bench
