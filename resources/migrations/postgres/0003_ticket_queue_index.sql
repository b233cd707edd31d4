-- The agents' queue: a list filtered by status and priority. Both columns in one index make the
-- count index-only and let the page come out in the list's order (created_at, then number)
-- without a sort. Keep in step with ../sqlite/0003_ticket_queue_index.sql (number is spelt out
-- here: a PostgreSQL index does not carry it as SQLite's carries the rowid).

CREATE INDEX tickets_status_priority ON tickets (status, priority, created_at, number);
