#pragma once

#include <domain/result.h>
#include <store/database.h>

#include <QDateTime>
#include <QStringList>

namespace sb::bench {

// The data set of the escalation benchmark (tests/bench/README.md, "Escalation job").
struct EscalationSeedPlan
{
    int bookings = 1000000;
    int due = 1000; // due at `start`, and as many more in each of the next `laterHours` hours
    int laterHours = 7;
    int agents = 10; // active support agents: each hears of every escalation
    int customers = 50000;
    int technicians = 5000;
    QDateTime start; // the business time of the first run
};

// Fills a migrated store with users and bookings through multi-row INSERTs of literal values
// (the repositories' one-row statements would take minutes for a million rows), then analyses
// the tables. Bookings come in a realistic mix of statuses and completion requests; exactly
// plan.due of them have a pending request whose deadline falls in the hour before plan.start,
// and plan.due more in each following hour (slot r: deadline in (start + (r-1) h, start + r h]),
// so that the hourly job finds that many due each time the clock moves on an hour. The rest of
// the pending requests fall due later than the last slot.
class EscalationSeed
{
public:
    EscalationSeed(store::Database &db, const EscalationSeedPlan &plan)
        : m_db(db)
        , m_plan(plan)
    { }

    Status run();

    // Some booking ids (for the baseline's primary-key reads).
    const QStringList &sampleIds() const { return m_sample; }
    // Pending requests in the partial index, and how many bookings have a request at all.
    qint64 pendingRequests() const { return m_pending; }
    qint64 withRequest() const { return m_withRequest; }

private:
    Status seedUsers();
    Status seedBookings();
    Status analyse();

    store::Database &m_db;
    EscalationSeedPlan m_plan;
    QStringList m_customers;
    QStringList m_technicians;
    QStringList m_sample;
    qint64 m_pending = 0;
    qint64 m_withRequest = 0;
};

} // namespace sb::bench
