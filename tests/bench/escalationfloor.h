#pragma once

#include <domain/result.h>
#include <store/database.h>

#include <QDateTime>
#include <QList>
#include <QStringList>
#include <QVariant>

namespace sb::bench {

// The store's share of an escalation run, alone: the rows the job writes for each due booking
// (the booking claimed and updated, a ticket, two notifications, four change-log rows), in the
// job's transactions of `batch` bookings: the job's claim, then one multi-row INSERT a table
// and kind of row, every value bound by position, with payloads of the job's average sizes.
// No domain objects, no JSON, no statement but these five a batch: what is left is what the
// store itself costs for those rows and indexes (and binding their values), the floor under
// any implementation of the job on it
// (tests/bench/README.md, "Escalation job").
class EscalationFloor
{
public:
    EscalationFloor(store::Database &db, int batch)
        : m_db(db)
        , m_batch(batch)
    { }

    // Reads the agents that the tickets go to (once, before the timed runs).
    Status prepare();
    // Escalates what is due at `now`, as the job would; answers how many bookings it took.
    Result<int> run(const QDateTime &now);

private:
    Result<int> runBatch(QSqlDatabase &db, const QDateTime &now);
    struct Claimed
    {
        QVariant id, customer, technician;
        QString service;
    };
    Result<QList<Claimed>> claim(QSqlDatabase &db, const QDateTime &now);

    store::Database &m_db;
    int m_batch;
    QStringList m_agents;
    int m_nextAgent = 0;
};

} // namespace sb::bench
