#pragma once

#include <domain/result.h>

#include <QDateTime>
#include <QSqlDatabase>

namespace sb::store {

class SqlFilter;

// Row claims of the scheduler's jobs, so that several server instances on one PostgreSQL
// database do each job's work once. Inside the transaction that will do the work, a claim
// checks the job's guard on the row first and answers whether the row is still due and now this
// transaction's:
// - PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED. The row stays locked until commit; another
//   instance claiming it meanwhile skips it at once (false) instead of waiting, and after the
//   commit the guard no longer holds. The guarded updates behind the claim keep a second run a
//   no-op even without it.
// - SQLite: one writer at a time already (BEGIN IMMEDIATE); the guard check alone decides.
class JobClaims
{
public:
    explicit JobClaims(const QSqlDatabase &db)
        : m_db(db)
    { }

    // A completion request still pending, its deadline at or before now.
    Result<bool> dueEscalation(const QString &bookingId, const QDateTime &now);
    // Still pending, not reminded, the deadline in (now, windowEnd].
    Result<bool> dueReminder(const QString &bookingId, const QDateTime &now,
                             const QDateTime &windowEnd);
    // An open follow-up (escalated, no outcome) initiated at or before `before`.
    Result<bool> openFollowUp(const QString &bookingId, const QDateTime &before);
    // The ticket, still at the version the job read.
    Result<bool> ticketAtVersion(const QString &ticketId, int version);

private:
    Result<bool> claim(const QString &select, const SqlFilter &bindings);

    QSqlDatabase m_db;
};

} // namespace sb::store
