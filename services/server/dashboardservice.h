#pragma once

#include "agentservice.h"
#include "caller.h"

#include <domain/result.h>
#include <store/ticketfilter.h>

#include <QDateTime>
#include <QJsonObject>

namespace sb::server {

struct ServerContext;

// GET /support/dashboard: the figures of DESIGN.md "Resource shapes", each from an aggregate
// query (TicketRepository::stats, a COUNT of pending completions, the agents' grouped loads),
// never by loading tickets. An agent sees the team's figures and its own queue (myActiveTickets).
class DashboardService
{
public:
    explicit DashboardService(ServerContext &context)
        : m_context(context)
    { }

    struct Dashboard
    {
        store::TicketStats tickets;
        qint64 pendingCompletions = 0;
        QList<AgentLoad> agents;
    };

    // from (inclusive) and to (exclusive) bound the tickets by creation time; invalid: open.
    Result<Dashboard> build(const Caller &caller, const QDateTime &from, const QDateTime &to) const;

private:
    ServerContext &m_context;
};

// {activeTickets, unassignedTickets, urgentTickets, myActiveTickets, avgFirstResponseMinutes,
//  avgResolutionMinutes, satisfactionAvg, slaComplianceRate, pendingCompletions, byStatus{},
//  byPriority{}, agents[{id, name, availability, activeTickets}]}; null averages without data.
QJsonObject dashboardJson(const DashboardService::Dashboard &dashboard);

} // namespace sb::server
