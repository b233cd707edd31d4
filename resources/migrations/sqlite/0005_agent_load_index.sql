-- The agents' loads (the tickets each agent has in assigned, in_progress or pending: the
-- auto-assignment of conversations and escalated bookings, GET /support/agents, the dashboard)
-- counted from the active tickets alone, index-only. Before, SQLite found them through
-- (status, ...) and read each ticket's row for its assignee: one random page per active ticket,
-- per count. The predicate is the readers' (UserRepository::agentsWithLoad), word for word, as
-- SQLite needs to use a partial index. Keep in step with ../postgres/0005_agent_load_index.sql.

CREATE INDEX tickets_agent_load ON tickets (assigned_to)
    WHERE status IN ('assigned', 'in_progress', 'pending');
