-- Switchboard store, PostgreSQL dialect. Times are UTC milliseconds since the epoch (BIGINT),
-- flags are BOOLEAN (written as TRUE/FALSE in queries, which both dialects accept).
-- Keep in step with ../sqlite/0001_initial.sql: same tables, columns and indexes.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'technician', 'support', 'admin')),
    availability TEXT CHECK (availability IN ('online', 'away', 'offline')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_assigned_at BIGINT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_role ON users (role, active);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE bookings (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES users (id),
    technician_id TEXT REFERENCES users (id),
    service TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    scheduled_at BIGINT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'in_progress', 'completed',
                                           'verified', 'disputed', 'cancelled')),
    -- completionRequest, flattened; cr_status NULL means no request yet
    cr_requested_by TEXT REFERENCES users (id),
    cr_requested_at BIGINT,
    cr_status TEXT CHECK (cr_status IN ('pending', 'approved', 'rejected', 'escalated',
                                        'auto_approved')),
    cr_responded_at BIGINT,
    cr_approved BOOLEAN,
    cr_feedback TEXT,
    cr_issues TEXT,
    escalation_deadline BIGINT,
    auto_escalated BOOLEAN NOT NULL DEFAULT FALSE,
    reminder_sent BOOLEAN NOT NULL DEFAULT FALSE,
    fu_initiated BOOLEAN NOT NULL DEFAULT FALSE,
    fu_initiated_at BIGINT,
    fu_support_agent TEXT REFERENCES users (id),
    fu_outcome TEXT CHECK (fu_outcome IN ('customer_confirmed', 'customer_disputed',
                                          'unreachable', 'auto_completed')),
    fu_completed_by TEXT REFERENCES users (id),
    fu_completed_at BIGINT,
    fu_notes TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX bookings_customer ON bookings (customer_id, created_at);
CREATE INDEX bookings_technician ON bookings (technician_id, created_at);
CREATE INDEX bookings_status ON bookings (status, created_at);
-- The escalation and reminder jobs read only pending requests, by deadline.
CREATE INDEX bookings_escalation_due ON bookings (escalation_deadline) WHERE cr_status = 'pending';
-- Follow-ups still open (pending-completion list, auto-complete job).
CREATE INDEX bookings_followup_open ON bookings (fu_initiated_at)
    WHERE cr_status = 'escalated' AND fu_outcome IS NULL;

CREATE TABLE contact_attempts (
    id TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    agent_id TEXT REFERENCES users (id),
    method TEXT NOT NULL CHECK (method IN ('call', 'sms', 'email', 'in_app')),
    attempted_at BIGINT NOT NULL,
    reached BOOLEAN NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_attempts_booking ON contact_attempts (booking_id, attempted_at);

CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL UNIQUE REFERENCES bookings (id),
    customer_id TEXT NOT NULL REFERENCES users (id),
    technician_id TEXT REFERENCES users (id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX reviews_technician ON reviews (technician_id, created_at);

CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES users (id),
    agent_id TEXT REFERENCES users (id),
    ticket_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX conversations_customer ON conversations (customer_id, created_at);
CREATE INDEX conversations_agent ON conversations (agent_id, created_at);
CREATE INDEX conversations_ticket ON conversations (ticket_id);

CREATE TABLE conversation_messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    sender_id TEXT NOT NULL REFERENCES users (id),
    sender_role TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX conversation_messages_conversation ON conversation_messages (conversation_id, created_at);

-- `number` numbers tickets (TKT-000042); `search` is the full-text document.
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    number BIGSERIAL NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('account', 'booking', 'payment', 'technical',
                                               'billing', 'complaint', 'service_quality', 'other')),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    priority_rank INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'in_progress', 'pending',
                                           'resolved', 'closed')),
    customer_id TEXT NOT NULL REFERENCES users (id),
    assigned_to TEXT REFERENCES users (id),
    related_booking TEXT REFERENCES bookings (id),
    conversation_id TEXT REFERENCES conversations (id),
    first_response_due_at BIGINT,
    resolution_due_at BIGINT,
    first_response_at BIGINT,
    resolved_at BIGINT,
    first_response_breached BOOLEAN NOT NULL DEFAULT FALSE,
    resolution_breached BOOLEAN NOT NULL DEFAULT FALSE,
    paused_seconds BIGINT NOT NULL DEFAULT 0,
    paused_since BIGINT,
    satisfaction_rating INTEGER CHECK (satisfaction_rating BETWEEN 1 AND 5),
    satisfaction_comment TEXT,
    satisfaction_at BIGINT,
    escalated_to TEXT REFERENCES users (id),
    escalated_by TEXT REFERENCES users (id),
    escalation_reason TEXT,
    escalated_at BIGINT,
    resolution_summary TEXT,
    resolution_type TEXT,
    resolution_notes TEXT,
    resolved_by TEXT REFERENCES users (id),
    closed_at BIGINT,
    last_activity_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_status ON tickets (status, created_at);
CREATE INDEX tickets_priority ON tickets (priority, created_at);
CREATE INDEX tickets_category ON tickets (category, created_at);
-- Filter columns lead, created_at follows: a queue filtered by assignee or booking comes out
-- in the list's default order from the index itself, so SQLite never prefers walking
-- tickets_created (which it does when the filter is not selective on average).
CREATE INDEX tickets_assignee ON tickets (assigned_to, created_at);
CREATE INDEX tickets_customer ON tickets (customer_id, created_at);
CREATE INDEX tickets_booking ON tickets (related_booking, created_at);
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_updated ON tickets (updated_at);

ALTER TABLE tickets ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', subject || ' ' || description)) STORED;
CREATE INDEX tickets_search ON tickets USING GIN (search);

CREATE TABLE ticket_messages (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    sender_id TEXT NOT NULL REFERENCES users (id),
    sender_role TEXT NOT NULL,
    body TEXT NOT NULL,
    is_internal BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, created_at);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_sha ON attachments (sha256);
CREATE INDEX attachments_created ON attachments (created_at);

-- owner_type: 'ticket' or 'message'
CREATE TABLE attachment_links (
    attachment_id TEXT NOT NULL REFERENCES attachments (id),
    owner_type TEXT NOT NULL CHECK (owner_type IN ('ticket', 'message')),
    owner_id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attachment_id, owner_type, owner_id)
);
CREATE INDEX attachment_links_owner ON attachment_links (owner_type, owner_id);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    is_read BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Every change, appended in the transaction of the change itself. The audience columns say
-- who may read it; /sync/changes and the WebSocket hub filter on them.
CREATE TABLE change_log (
    seq BIGSERIAL PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL,
    data TEXT NOT NULL,
    customer_id TEXT,
    technician_id TEXT,
    user_id TEXT,
    internal BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX change_log_customer ON change_log (customer_id, seq);
CREATE INDEX change_log_technician ON change_log (technician_id, seq);
CREATE INDEX change_log_user ON change_log (user_id, seq);

CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
