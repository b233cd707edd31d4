#include "bulkticketservice.h"

#include "servercontext.h"

namespace sb::server {

BulkTicketService::BulkTicketService(ServerContext &context)
    : m_context(context)
    , m_tickets(context)
    , m_workflow(m_tickets)
{ }

Result<QList<BulkTicketService::Outcome>>
BulkTicketService::apply(const QStringList &ids, const Change &change, const Caller &caller)
{
    if (change.assign) {
        // Checked once, so that a wrong assignee is the request's 400, not each ticket's error.
        QSqlDatabase db = m_context.db.connection();
        const auto agent = m_tickets.activeAgent(db, *change.assign, QStringLiteral("assign"));
        if (!agent)
            return agent.error();
    }
    QList<Outcome> outcomes;
    for (const QString &id : ids) {
        const auto done = applyOne(id, change, caller);
        outcomes.append({id, done ? std::nullopt : std::optional<Error>(done.error())});
    }
    return outcomes;
}

Result<Ticket> BulkTicketService::applyOne(const QString &id, const Change &change,
                                           const Caller &caller)
{
    // No If-Match: each ticket is changed as it stands (a lost race is retried by modify).
    if (change.assign)
        return m_workflow.assign(id, *change.assign, caller, std::nullopt);
    if (change.status)
        return m_workflow.setStatus(id, *change.status, QString(), caller, std::nullopt);
    return m_workflow.setPriority(id, *change.priority, caller, std::nullopt);
}

} // namespace sb::server
