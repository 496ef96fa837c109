-- Staff accounts, their server-side sessions, and failed sign-ins for throttling.
-- Timestamps are Unix seconds (INTEGER) so the PostgreSQL twin can use BIGINT.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('tier1', 'tier2', 'tier3', 'admin')),
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    INTEGER NOT NULL
);

-- Only a SHA-256 of the session token is kept: a leaked database cannot be replayed
-- as a cookie.
CREATE TABLE staff_sessions (
    token_hash TEXT    PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);

-- In the database rather than in memory so that throttling holds across restarts
-- and, later, across replicas.
CREATE TABLE sign_in_failures (
    id        INTEGER PRIMARY KEY,
    email     TEXT    NOT NULL,
    client_ip TEXT    NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, failed_at);
CREATE INDEX sign_in_failures_by_ip ON sign_in_failures (client_ip, failed_at);
