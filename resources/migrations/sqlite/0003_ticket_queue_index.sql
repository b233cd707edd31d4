-- The agents' queue: a list filtered by status and priority. With only (status, created_at) and
-- (priority, created_at), SQLite read every ticket of one priority from the table to check its
-- status, for the count and again for the page; with both columns the count is a covering-index
-- count and the page reads its rows in the list's order (created_at, then number: the rowid,
-- which every SQLite index carries). Keep in step with ../postgres/0003_ticket_queue_index.sql.

CREATE INDEX tickets_status_priority ON tickets (status, priority, created_at);
