#include "jobclaims.h"

#include "queryplan.h"
#include "sqlfilter.h"
#include "sqlquery.h"

namespace sb::store {

Result<bool> JobClaims::dueEscalation(const QString &bookingId, const QDateTime &now)
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":id"), bookingId).bind(QStringLiteral(":now"), dbTime(now));
    return claim(QStringLiteral("SELECT id FROM bookings WHERE id = :id AND cr_status = 'pending' "
                                "AND escalation_deadline <= :now"),
                 bindings);
}

Result<bool> JobClaims::dueReminder(const QString &bookingId, const QDateTime &now,
                                    const QDateTime &windowEnd)
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":id"), bookingId)
        .bind(QStringLiteral(":now"), dbTime(now))
        .bind(QStringLiteral(":end"), dbTime(windowEnd));
    return claim(QStringLiteral("SELECT id FROM bookings WHERE id = :id AND cr_status = 'pending' "
                                "AND reminder_sent = FALSE AND escalation_deadline > :now "
                                "AND escalation_deadline <= :end"),
                 bindings);
}

Result<bool> JobClaims::openFollowUp(const QString &bookingId, const QDateTime &before)
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":id"), bookingId).bind(QStringLiteral(":before"), dbTime(before));
    return claim(
        QStringLiteral("SELECT id FROM bookings WHERE id = :id AND cr_status = "
                       "'escalated' AND fu_outcome IS NULL AND fu_initiated_at <= :before"),
        bindings);
}

Result<bool> JobClaims::ticketAtVersion(const QString &ticketId, int version)
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":id"), ticketId).bind(QStringLiteral(":version"), version);
    return claim(QStringLiteral("SELECT id FROM tickets WHERE id = :id AND version = :version"),
                 bindings);
}

Result<bool> JobClaims::claim(const QString &select, const SqlFilter &bindings)
{
    const bool postgres = dialectOf(m_db) == Dialect::Postgres;
    SqlQuery q(m_db, postgres ? select + u" FOR UPDATE SKIP LOCKED" : select);
    bindings.applyTo(q);
    if (Status s = q.exec(); !s)
        return s.error();
    const bool claimed = q.next();
    q.finish();
    return claimed;
}

} // namespace sb::store
