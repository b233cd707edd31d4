-- The change log's technician and user indexes hold only the rows that name one: most changes
-- (messages, tickets without a technician, everything but notifications) name neither, and
-- each such row cost every write two more index pages in the WAL (13 pages a message becomes
-- 11). The readers ask `technician_id = :me` and `user_id = :me`, which imply IS NOT NULL, so
-- they use these indexes as before. Keep in step with ../postgres/0004_change_log_partial_indexes.sql.

DROP INDEX change_log_technician;
DROP INDEX change_log_user;
CREATE INDEX change_log_technician ON change_log (technician_id, seq)
    WHERE technician_id IS NOT NULL;
CREATE INDEX change_log_user ON change_log (user_id, seq) WHERE user_id IS NOT NULL;
