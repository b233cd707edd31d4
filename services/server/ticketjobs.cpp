#include "ticketjobs.h"

#include "jobloop.h"
#include "servercontext.h"
#include "ticketmutations.h"

#include <domain/slaclock.h>
#include <store/jobclaims.h>
#include <store/ticketrepository.h>

#include <cmath>

namespace sb::server {

Result<int> TicketJobs::markSlaBreaches(const QDateTime &now)
{
    return sweep(
        QStringLiteral("markSlaBreaches"), now,
        [&] {
            return store::TicketRepository(m_context.db.connection())
                .dueForBreachFlags(now, kJobBatchSize);
        },
        [&](Ticket &ticket) -> Result<bool> {
            const TicketSla before = ticket.sla;
            refreshBreachFlags(ticket.sla, now);
            return ticket.sla != before;
        });
}

Result<int> TicketJobs::autoCloseResolvedTickets(const QDateTime &now)
{
    const QDateTime before
        = now.addMSecs(-std::llround(m_context.settings.autoCloseResolvedDays * 86400.0 * 1000.0));
    return sweep(
        QStringLiteral("autoCloseResolvedTickets"), now,
        [&] {
            return store::TicketRepository(m_context.db.connection())
                .resolvedInactiveSince(before, kJobBatchSize);
        },
        [&](Ticket &ticket) {
            refreshBreachFlags(ticket.sla, now); // breaches earned by now stay on record
            return applyStatus(ticket, TicketStatus::Closed, m_context.slaPolicy, now);
        });
}

Result<int> TicketJobs::sweep(const QString &job, const QDateTime &now,
                              const std::function<Fetch> &fetch, const std::function<Edit> &edit)
{
    return forEachDueRow<Ticket>(
        m_context.db, job, fetch,
        [](QSqlDatabase &db, const Ticket &due) {
            return store::JobClaims(db).ticketAtVersion(due.id, due.version);
        },
        [&](QSqlDatabase &db, const Ticket &due) -> Result<bool> {
            Ticket ticket = due;
            const Result<bool> edited = edit(ticket);
            if (!edited || !*edited)
                return edited;
            const auto saved = store::TicketRepository(db).update(ticket, due.version);
            if (!saved)
                return saved.error();
            Change change = ticketChange(*saved);
            change.createdAt = now; // markSlaBreaches keeps updatedAt: it is no activity
            if (const auto seq = m_context.changes.record(db, change); !seq)
                return seq.error();
            return true;
        });
}

} // namespace sb::server
