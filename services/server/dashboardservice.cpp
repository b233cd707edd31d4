#include "dashboardservice.h"

#include "servercontext.h"

#include <store/bookingrepository.h>
#include <store/ticketrepository.h>

#include <QJsonArray>

namespace sb::server {

namespace {

QJsonValue numberOrNull(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

template<typename E>
QJsonObject countsJson(const QMap<E, qint64> &counts)
{
    QJsonObject json;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        json.insert(toString(it.key()), it.value());
    return json;
}

} // namespace

Result<DashboardService::Dashboard>
DashboardService::build(const Caller &caller, const QDateTime &from, const QDateTime &to) const
{
    const QSqlDatabase db = m_context.db.connection();
    const QDateTime now = m_context.clock.now();
    Dashboard out;

    store::TicketStatsFilter filter;
    filter.createdFrom = from;
    filter.createdTo = to;
    filter.me = caller.id();
    filter.now = now;
    auto stats = store::TicketRepository(db).stats(filter);
    if (!stats)
        return stats.error();
    out.tickets = std::move(*stats);

    // Only the count is wanted: a page of one row.
    const auto pending = store::BookingRepository(db).pendingCompletions(now, 1, 0);
    if (!pending)
        return pending.error();
    out.pendingCompletions = pending->total;

    auto agents = store::UserRepository(db).agentsWithLoad();
    if (!agents)
        return agents.error();
    out.agents = std::move(*agents);
    return out;
}

QJsonObject dashboardJson(const DashboardService::Dashboard &dashboard)
{
    const store::TicketStats &t = dashboard.tickets;
    QJsonArray agents;
    for (const AgentLoad &load : dashboard.agents)
        agents.append(agentLoadJson(load, false));
    return {
        {QStringLiteral("activeTickets"), t.activeTickets},
        {QStringLiteral("unassignedTickets"), t.unassignedTickets},
        {QStringLiteral("urgentTickets"), t.urgentTickets},
        {QStringLiteral("myActiveTickets"), t.myActiveTickets},
        {QStringLiteral("avgFirstResponseMinutes"), numberOrNull(t.avgFirstResponseMinutes)},
        {QStringLiteral("avgResolutionMinutes"), numberOrNull(t.avgResolutionMinutes)},
        {QStringLiteral("satisfactionAvg"), numberOrNull(t.satisfactionAvg)},
        {QStringLiteral("slaComplianceRate"), numberOrNull(t.slaComplianceRate)},
        {QStringLiteral("pendingCompletions"), dashboard.pendingCompletions},
        {QStringLiteral("byStatus"), countsJson(t.byStatus)},
        {QStringLiteral("byPriority"), countsJson(t.byPriority)},
        {QStringLiteral("agents"), agents},
    };
}

} // namespace sb::server
