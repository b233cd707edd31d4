#pragma once

#include "ticketfilter.h"

#include <domain/result.h>

#include <QSqlDatabase>

namespace sb::store {

// The dashboard's ticket figures (TicketRepository::stats), as three aggregate queries: the live
// queue, counts by status and priority, and the averages. Never loads the tickets themselves.
class TicketStatsQuery
{
public:
    explicit TicketStatsQuery(const QSqlDatabase &db)
        : m_db(db)
    { }

    Result<TicketStats> run(const TicketStatsFilter &filter) const;

private:
    Status queue(const TicketStatsFilter &filter, TicketStats &out) const;
    Status counts(const TicketStatsFilter &filter, TicketStats &out) const;
    Status averages(const TicketStatsFilter &filter, TicketStats &out) const;

    QSqlDatabase m_db;
};

} // namespace sb::store
