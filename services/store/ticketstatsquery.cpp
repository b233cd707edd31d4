#include "ticketstatsquery.h"

#include "sqlfilter.h"
#include "sqlquery.h"

namespace sb::store {

namespace {

const QString kActive = QStringLiteral("status IN ('open', 'assigned', 'in_progress', 'pending')");

SqlFilter rangeFilter(const TicketStatsFilter &f)
{
    SqlFilter where;
    if (f.createdFrom.isValid())
        where.where(QStringLiteral("created_at >= :from"))
            .bind(QStringLiteral(":from"), dbTime(f.createdFrom));
    if (f.createdTo.isValid())
        where.where(QStringLiteral("created_at < :to"))
            .bind(QStringLiteral(":to"), dbTime(f.createdTo));
    if (!f.assignedTo.isEmpty())
        where.where(QStringLiteral("assigned_to = :agent"))
            .bind(QStringLiteral(":agent"), f.assignedTo);
    return where;
}

std::optional<double> optionalDouble(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble());
}

} // namespace

Result<TicketStats> TicketStatsQuery::run(const TicketStatsFilter &filter) const
{
    TicketStats stats;
    if (Status s = queue(filter, stats); !s)
        return s.error();
    if (Status s = counts(filter, stats); !s)
        return s.error();
    if (Status s = averages(filter, stats); !s)
        return s.error();
    return stats;
}

Status TicketStatsQuery::queue(const TicketStatsFilter &filter, TicketStats &out) const
{
    SqlFilter where;
    where.where(kActive);
    if (!filter.assignedTo.isEmpty())
        where.where(QStringLiteral("assigned_to = :agent"))
            .bind(QStringLiteral(":agent"), filter.assignedTo);
    SqlQuery q(m_db,
               u"SELECT COUNT(*), "
               u"SUM(CASE WHEN assigned_to IS NULL THEN 1 ELSE 0 END), "
               u"SUM(CASE WHEN priority = 'urgent' THEN 1 ELSE 0 END), "
               u"SUM(CASE WHEN assigned_to = :me THEN 1 ELSE 0 END) FROM tickets"
                   + where.clause());
    where.applyTo(q);
    q.bind(QStringLiteral(":me"), dbRef(filter.me));
    if (Status s = q.exec(); !s)
        return s;
    if (!q.next())
        return storageError();
    // SUM over no rows is NULL, which reads as 0.
    out.activeTickets = q.value(0).toLongLong();
    out.unassignedTickets = q.value(1).toLongLong();
    out.urgentTickets = q.value(2).toLongLong();
    out.myActiveTickets = q.value(3).toLongLong();
    return {};
}

Status TicketStatsQuery::counts(const TicketStatsFilter &filter, TicketStats &out) const
{
    for (const auto &entry : EnumTraits<TicketStatus>::table)
        out.byStatus[entry.first] = 0;
    for (const auto &entry : EnumTraits<TicketPriority>::table)
        out.byPriority[entry.first] = 0;
    const SqlFilter where = rangeFilter(filter);
    SqlQuery q(m_db,
               u"SELECT status, priority, COUNT(*) FROM tickets" + where.clause()
                   + u" GROUP BY status, priority");
    where.applyTo(q);
    if (Status s = q.exec(); !s)
        return s;
    while (q.next()) {
        const qint64 n = q.value(2).toLongLong();
        if (auto status = parseEnum<TicketStatus>(q.value(0).toString()))
            out.byStatus[*status] += n;
        if (auto priority = parseEnum<TicketPriority>(q.value(1).toString()))
            out.byPriority[*priority] += n;
    }
    return {};
}

Status TicketStatsQuery::averages(const TicketStatsFilter &filter, TicketStats &out) const
{
    QString breached
        = QStringLiteral("first_response_breached = TRUE OR resolution_breached = TRUE");
    if (filter.now.isValid()) {
        // Overdue and still waiting counts as breached at once (DESIGN.md "Running the server"),
        // except while the SLA clock is paused.
        // Each comparison is guarded with IS NOT NULL: a NULL due time must make the term
        // false, not NULL, or NOT (...) below would drop the ticket from the compliant ones.
        breached += QStringLiteral(
            " OR (paused_since IS NULL AND ((first_response_at IS NULL AND "
            "first_response_due_at IS NOT NULL AND first_response_due_at <= :now) OR "
            "(resolved_at IS NULL AND resolution_due_at IS NOT NULL AND "
            "resolution_due_at <= :now)))");
    }
    const QString hasSla
        = QStringLiteral("(first_response_due_at IS NOT NULL OR resolution_due_at IS NOT NULL)");
    const SqlFilter where = rangeFilter(filter);
    SqlQuery q(m_db,
               u"SELECT "
               u"AVG(CASE WHEN first_response_at IS NOT NULL "
               u"THEN (first_response_at - created_at) / 60000.0 END), "
               u"AVG(CASE WHEN resolved_at IS NOT NULL "
               u"THEN (resolved_at - created_at) / 60000.0 END), "
               u"AVG(satisfaction_rating * 1.0), "
               u"SUM(CASE WHEN "
                   + hasSla + u" THEN 1 ELSE 0 END), SUM(CASE WHEN " + hasSla + u" AND NOT ("
                   + breached + u") THEN 1 ELSE 0 END) FROM tickets" + where.clause());
    where.applyTo(q);
    if (filter.now.isValid())
        q.bind(QStringLiteral(":now"), dbTime(filter.now));
    if (Status s = q.exec(); !s)
        return s;
    if (!q.next())
        return storageError();
    out.avgFirstResponseMinutes = optionalDouble(q.value(0));
    out.avgResolutionMinutes = optionalDouble(q.value(1));
    out.satisfactionAvg = optionalDouble(q.value(2));
    const qint64 withSla = q.value(3).toLongLong();
    if (withSla > 0)
        out.slaComplianceRate = double(q.value(4).toLongLong()) / double(withSla);
    return {};
}

} // namespace sb::store
