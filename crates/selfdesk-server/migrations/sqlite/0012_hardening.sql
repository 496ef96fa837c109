-- Hardening: shared per-client limits, upload shares, short-lived grants and idle
-- sessions (see docs/ARCHITECTURE.md, "Threat model").

-- Anonymous writes per client address and hour (protect::rate_limits). One row per
-- action, client and window; the upsert that takes from it refuses past the limit.
CREATE TABLE rate_counters (
    action       TEXT   NOT NULL,
    client       TEXT   NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    PRIMARY KEY (action, client, window_start)
);

-- Who sent an upload that no message has claimed yet: each address may hold only a
-- share of the allowance for unclaimed files.
ALTER TABLE ticket_attachments ADD COLUMN uploader TEXT;
CREATE INDEX ticket_attachments_uploader ON ticket_attachments (uploader) WHERE ticket_id IS NULL;

-- Short-lived, single-purpose grants a requester's page gets with its access token,
-- for the URLs a browser opens without headers (the live stream, downloads), so the
-- token itself never travels in a query string. Revoking the token ends its grants.
CREATE TABLE ticket_grants (
    grant_hash TEXT   PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    token_hash TEXT   NOT NULL REFERENCES ticket_access_tokens (token_hash) ON DELETE CASCADE,
    purpose    TEXT   NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX ticket_grants_expiry ON ticket_grants (expires_at);
CREATE INDEX ticket_access_tokens_ticket ON ticket_access_tokens (ticket_id);

-- A session unused for the idle timeout ends, besides its fixed lifetime.
ALTER TABLE staff_sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
-- Sessions open at the upgrade count as used when they began.
UPDATE staff_sessions SET last_seen_at = created_at;
