#pragma once

#include <domain/result.h>
#include <domain/user.h>
#include <store/userrepository.h>

#include <QDateTime>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace sb::server {

// Auto-assignment for a run of work: the agents' loads are read once, and each piece goes to
// the agent AgentService::chooseAgent picks, counting what this rota already handed out (one
// more active ticket, given work just now), so that a job's tickets spread as if each had been
// assigned on its own.
class AgentRota
{
public:
    // Every active agent (support, admin) with its load, in the caller's transaction.
    static Result<AgentRota> read(QSqlDatabase &db);

    // The agent for the next piece of work at `now`, or nullopt when nobody is online.
    std::optional<User> next(const QDateTime &now);
    // Those next() answered since the last call, once each: their last_assigned_at is due.
    QStringList takeGiven();
    // Every active agent and admin, online or not.
    QStringList everyone() const;

private:
    QList<store::UserRepository::AgentLoad> m_loads;
    QStringList m_given;
};

} // namespace sb::server
