-- The agents' loads (the tickets each agent has in assigned, in_progress or pending: the
-- auto-assignment of conversations and escalated bookings, GET /support/agents, the dashboard)
-- counted from the active tickets alone, index-only, instead of from every ticket of those
-- statuses read through (status, ...). Keep in step with ../sqlite/0005_agent_load_index.sql.

CREATE INDEX tickets_agent_load ON tickets (assigned_to)
    WHERE status IN ('assigned', 'in_progress', 'pending');
