#pragma once

#include "caller.h"

#include <domain/result.h>
#include <domain/user.h>
#include <store/userrepository.h>

#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>

namespace sb::server {

struct ServerContext;

using AgentLoad = store::UserRepository::AgentLoad;

// Support agents: their availability, their workload, and auto-assignment (DESIGN.md "Support
// agents"): the online agent with the fewest active tickets, then the one idle longest.
class AgentService
{
public:
    explicit AgentService(ServerContext &context)
        : m_context(context)
    { }

    // Picks the agent for a new piece of work and marks it as given work at `now`, in the
    // caller's transaction: the ONLINE active support/admin user with the fewest tickets in
    // assigned, in_progress or pending; ties go to the one idle longest (oldest lastAssignedAt,
    // never assigned first), then to the smallest id. nullopt when nobody is online: the work
    // then waits unassigned, it is never refused for that.
    static Result<std::optional<User>> pickAgent(QSqlDatabase &db, const QDateTime &now);
    // The choice alone, over agentsWithLoad().
    static std::optional<User> chooseAgent(const QList<AgentLoad> &agents);

    // PUT /support/agents/me/availability. expectedVersion from If-Match (412 when stale).
    Result<User> setAvailability(const Caller &caller, Availability availability,
                                 std::optional<int> expectedVersion);
    // Every active agent with its workload, by name.
    Result<QList<AgentLoad>> list() const;

private:
    ServerContext &m_context;
};

// {id, name, email, availability, activeTickets}; without email for the dashboard.
QJsonObject agentLoadJson(const AgentLoad &load, bool withEmail);

} // namespace sb::server
