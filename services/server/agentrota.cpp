#include "agentrota.h"

#include "agentservice.h"

#include <utility>

namespace sb::server {

Result<AgentRota> AgentRota::read(QSqlDatabase &db)
{
    auto loads = store::UserRepository(db).agentsWithLoad();
    if (!loads)
        return loads.error();
    AgentRota rota;
    rota.m_loads = std::move(*loads);
    return rota;
}

std::optional<User> AgentRota::next(const QDateTime &now)
{
    std::optional<User> chosen = AgentService::chooseAgent(m_loads);
    if (!chosen)
        return chosen;
    chosen->lastAssignedAt = now;
    for (store::UserRepository::AgentLoad &load : m_loads) {
        if (load.agent.id == chosen->id) {
            ++load.activeTickets;
            load.agent.lastAssignedAt = now;
            break;
        }
    }
    if (!m_given.contains(chosen->id))
        m_given << chosen->id;
    return chosen;
}

QStringList AgentRota::takeGiven()
{
    return std::exchange(m_given, {});
}

QStringList AgentRota::everyone() const
{
    QStringList ids;
    for (const store::UserRepository::AgentLoad &load : m_loads)
        ids << load.agent.id;
    return ids;
}

} // namespace sb::server
