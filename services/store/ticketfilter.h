#pragma once

#include <domain/enums.h>
#include <domain/ticket.h>

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace sb::store {

// Who a ticket list is restricted to by assignee.
struct AssigneeFilter
{
    enum class Kind { Any, Unassigned, Agent };
    Kind kind = Kind::Any;
    QString agentId {}; // with Kind::Agent

    static AssigneeFilter any() { return {}; }
    static AssigneeFilter unassigned() { return {Kind::Unassigned, {}}; }
    static AssigneeFilter agent(const QString &id) { return {Kind::Agent, id}; }
};

// The sort keys a client may ask for: an allowlist, never a column name from the request.
enum class TicketSortField { CreatedAt, UpdatedAt, Priority, Status, TicketNumber };
enum class SortOrder { Ascending, Descending };

struct TicketFilter
{
    QList<TicketStatus> statuses {}; // empty: any
    QList<TicketPriority> priorities {};
    QList<TicketCategory> categories {};
    AssigneeFilter assignedTo {};
    QString customerId {};
    QString relatedBooking {};
    QString q {}; // words (all must match, as prefixes) or a ticket number: TKT-000042, 42
    QDateTime createdFrom {}; // inclusive
    QDateTime createdTo {}; // exclusive
    TicketSortField sort = TicketSortField::CreatedAt;
    SortOrder order = SortOrder::Descending;
    int limit = 50;
    int offset = 0;
};

struct TicketPage
{
    QList<Ticket> items {}; // without messages and attachments
    qint64 total = 0;
};

struct TicketStatsFilter
{
    QDateTime createdFrom {}; // inclusive; bounds every figure but the live queue counts
    QDateTime createdTo {}; // exclusive
    QString assignedTo {}; // restricts every figure to this agent's tickets; empty: the team
    QString me {}; // the agent whose myActiveTickets is counted; empty: none
    // When set, a ticket not paused whose due time passed before now without the response or
    // resolution counts as breached even before markSlaBreaches has set its flag.
    QDateTime now {};
};

// The ticket figures of the dashboard, computed in SQL.
struct TicketStats
{
    QMap<TicketStatus, qint64> byStatus; // every status, zeros included
    QMap<TicketPriority, qint64> byPriority; // every priority, zeros included
    // Live queue (not bounded by the created range): open, assigned, in_progress, pending.
    qint64 activeTickets = 0;
    qint64 unassignedTickets = 0;
    qint64 urgentTickets = 0;
    qint64 myActiveTickets = 0;
    // Over the tickets created in the range; empty when no ticket contributes.
    std::optional<double> avgFirstResponseMinutes;
    std::optional<double> avgResolutionMinutes;
    std::optional<double> satisfactionAvg;
    std::optional<double> slaComplianceRate; // 0..1, over tickets that have a due time
};

} // namespace sb::store
