#include "agentservice.h"

#include "agentrota.h"
#include "apierrors.h"
#include "servercontext.h"

#include <domain/jsoncodec.h>

namespace sb::server {

std::optional<User> AgentService::chooseAgent(const QList<AgentLoad> &agents)
{
    const AgentLoad *best = nullptr;
    // Idle longest first: never assigned (invalid time) before any time, then the oldest.
    auto idleBefore = [](const QDateTime &a, const QDateTime &b) {
        if (a.isValid() != b.isValid())
            return !a.isValid();
        return a.isValid() && a < b;
    };
    for (const AgentLoad &candidate : agents) {
        const User &u = candidate.agent;
        if (!u.active || !u.isAgent() || u.availability != Availability::Online)
            continue;
        if (!best || candidate.activeTickets < best->activeTickets) {
            best = &candidate;
            continue;
        }
        if (candidate.activeTickets > best->activeTickets)
            continue;
        const QDateTime &mine = u.lastAssignedAt;
        const QDateTime &theirs = best->agent.lastAssignedAt;
        if (idleBefore(mine, theirs) || (!idleBefore(theirs, mine) && u.id < best->agent.id))
            best = &candidate;
    }
    return best ? std::optional<User>(best->agent) : std::nullopt;
}

Result<std::optional<User>> AgentService::pickAgent(QSqlDatabase &db, const QDateTime &now)
{
    auto rota = AgentRota::read(db);
    if (!rota)
        return rota.error();
    std::optional<User> chosen = rota->next(now);
    if (!chosen)
        return chosen;
    if (Status s = store::UserRepository(db).touchLastAssigned(chosen->id, now); !s)
        return s.error();
    return chosen;
}

Result<User> AgentService::setAvailability(const Caller &caller, Availability availability,
                                           std::optional<int> expectedVersion)
{
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<User> {
        store::UserRepository users(db);
        const auto current = users.findById(caller.id());
        if (!current)
            return current.error();
        if (!*current)
            return errors::notFound(QStringLiteral("user"));
        User u = **current;
        const int version = expectedVersion.value_or(u.version);
        u.availability = availability;
        auto saved = users.update(u, version);
        if (!saved)
            return saved;
        // Agents only (no audience): the consoles show who is online.
        Change change;
        change.entity = QStringLiteral("user");
        change.entityId = saved->id;
        change.op = ChangeOp::Updated;
        change.data = toJson(*saved);
        change.createdAt = m_context.clock.now();
        if (const auto seq = m_context.changes.record(db, change); !seq)
            return seq.error();
        return saved;
    });
}

Result<QList<AgentLoad>> AgentService::list() const
{
    return store::UserRepository(m_context.db.connection()).agentsWithLoad();
}

QJsonObject agentLoadJson(const AgentLoad &load, bool withEmail)
{
    const User &u = load.agent;
    QJsonObject json {
        {QStringLiteral("id"), u.id},
        {QStringLiteral("name"), u.name},
        {QStringLiteral("availability"), toString(u.availability.value_or(Availability::Offline))},
        {QStringLiteral("activeTickets"), load.activeTickets},
    };
    if (withEmail)
        json.insert(QStringLiteral("email"), u.email);
    return json;
}

} // namespace sb::server
