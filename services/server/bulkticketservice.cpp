#include "bulkticketservice.h"

#include "apierrors.h"
#include "servercontext.h"
#include "ticketmutations.h"

#include <store/ticketrepository.h>
#include <store/userrepository.h>

namespace sb::server {

Result<QList<BulkTicketService::Outcome>> BulkTicketService::apply(const QStringList &ids,
                                                                   const Change &change)
{
    std::optional<User> agent;
    if (change.assign) {
        const auto found
            = store::UserRepository(m_context.db.connection()).findById(*change.assign);
        if (!found)
            return found.error();
        if (!*found || !(*found)->isAgent() || !(*found)->active) {
            return errors::invalidField(QStringLiteral("assign"),
                                        QStringLiteral("must name an active support agent"));
        }
        agent = **found;
    }
    QList<Outcome> outcomes;
    for (const QString &id : ids) {
        const Status done = applyOne(id, change, agent ? &*agent : nullptr);
        outcomes.append({id, done ? std::nullopt : std::optional<Error>(done.error())});
    }
    return outcomes;
}

Status BulkTicketService::applyOne(const QString &id, const Change &change, const User *agent)
{
    return m_context.db.transaction([&](QSqlDatabase &db) -> Status {
        store::TicketRepository tickets(db);
        const auto found = tickets.findById(id);
        if (!found)
            return found.error();
        if (!*found)
            return errors::notFound(QStringLiteral("ticket"));
        Ticket ticket = **found;
        const QDateTime now = m_context.clock.now();
        Result<bool> changed = false;
        if (agent)
            changed = applyAssign(ticket, *agent, now);
        else if (change.status)
            changed = applyStatus(ticket, *change.status, m_context.slaPolicy, now);
        else if (change.priority)
            changed = applyPriority(ticket, *change.priority, m_context.slaPolicy, now);
        if (!changed)
            return changed.error();
        if (!*changed)
            return {}; // already so: a no-op, as on the single routes
        const auto saved = tickets.update(ticket, (*found)->version);
        if (!saved)
            return saved.error();
        if (agent) {
            // Manual assignment is work given too: "idle longest" counts from it.
            if (Status s = store::UserRepository(db).touchLastAssigned(agent->id, now); !s)
                return s;
        }
        const auto seq = m_context.changes.record(db, ticketChange(*saved));
        return seq ? Status() : Status(seq.error());
    });
}

} // namespace sb::server
