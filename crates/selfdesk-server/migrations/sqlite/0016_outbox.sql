-- The outbox: every message the help desk owes someone (emails, webhook deliveries), written in the same transaction as the change that causes it and
-- delivered afterwards by a worker on any replica. PostgreSQL twin:
-- migrations/postgres/0016_outbox.sql.
--
-- A row is claimed for delivery by moving `next_attempt_at` past now with a fresh
-- `lease` in one conditional UPDATE, so exactly one replica holds it; a replica that
-- dies while delivering leaves the lease to expire and the row is delivered again
-- (at least once, with the same `message_id`, so receivers can tell a repeat).
--
-- `payload` carries the rendered message, tracking link included; it is emptied once
-- delivered, so the database does not keep working links longer than needed.
-- `status`: pending, sent, failed (given up; an admin may retry it) or suppressed (over
-- the per-recipient limit, never sent).
-- Endpoints admins registered for webhooks: the events they want (a JSON array of
-- names, e.g. ["ticket.filed","ticket.resolved"]) and the secret deliveries are signed
-- with (Standard Webhooks, `whsec_…`).
CREATE TABLE webhook_endpoints (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT    NOT NULL,
    events     TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT    NOT NULL,
    purpose         TEXT    NOT NULL,
    ticket_id       INTEGER REFERENCES tickets (id),
    -- Webhook rows: the endpoint (its deliveries go when it is deleted).
    endpoint_id     INTEGER REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    recipient       TEXT    NOT NULL,
    message_id      TEXT    NOT NULL UNIQUE,
    subject         TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    give_up_at      INTEGER NOT NULL,
    lease           TEXT,
    last_error      TEXT,
    delivered_at    INTEGER
);
-- The worker's read: the pending rows due first.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
-- The per-recipient hourly limit.
CREATE INDEX outbox_by_recipient ON outbox (recipient, created_at);

-- Each try of a webhook delivery, as admins see it: the answer's status (NULL when
-- there was none) and how long it took. Kept after the outbox row is pruned.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id  INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    outbox_id    INTEGER NOT NULL,
    event_type   TEXT    NOT NULL,
    webhook_id   TEXT    NOT NULL,
    attempted_at INTEGER NOT NULL,
    status_code  INTEGER,
    duration_ms  INTEGER NOT NULL,
    error        TEXT
);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
