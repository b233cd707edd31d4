#pragma once

#include "eventpublisher.h"
#include "ticketreadcache.h"

#include <domain/change.h>
#include <domain/result.h>
#include <store/database.h>

namespace sb::server {

// Appends a change to the log inside the caller's transaction and hands it to the publisher
// once that transaction commits (never if it rolls back). Every write of the API goes through
// here, so /sync/changes and the WebSocket see the same history.
class ChangeRecorder
{
public:
    ChangeRecorder(store::Database &db, EventPublisher &publisher, TicketReadCache &readCache)
        : m_db(db)
        , m_publisher(publisher)
        , m_readCache(readCache)
    { }

    Result<qint64> record(QSqlDatabase &connection, Change change);
    // The same for many, in list order, with one hook for them all.
    Status recordAll(QSqlDatabase &connection, QList<Change> changes);

private:
    store::Database &m_db;
    EventPublisher &m_publisher;
    TicketReadCache &m_readCache; // told first: a read after the commit never gets the old answer
};

} // namespace sb::server
