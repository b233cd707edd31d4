-- E-mail and SMS deliveries of notifications (DESIGN.md "Notifications"): queued in the
-- transaction that stores the notification, sent and retried by the server's delivery sender.
-- Keep in step with ../sqlite/0002_notification_deliveries.sql.
-- Delivery times (next_attempt_at, locked_until, sent_at, created_at) are real time, not the
-- business clock: moving a fake clock neither hurries nor expires a delivery.

ALTER TABLE users ADD COLUMN phone TEXT;

CREATE TABLE notification_deliveries (
    id TEXT PRIMARY KEY,
    notification_id TEXT REFERENCES notifications (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    -- The instance sending it and until when: another instance takes it over only after that.
    locked_by TEXT,
    locked_until BIGINT
);
-- The sender reads only due pending rows, by time.
CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
CREATE INDEX notification_deliveries_notification ON notification_deliveries (notification_id);
