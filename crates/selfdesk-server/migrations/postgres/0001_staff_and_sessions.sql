-- PostgreSQL twin of migrations/sqlite/0001_staff_and_sessions.sql: keep the two in step.
-- Timestamps are Unix seconds (BIGINT) so the same queries work on both databases.

CREATE TABLE staff (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('tier1', 'tier2', 'tier3', 'admin')),
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT  NOT NULL
);

-- Only a SHA-256 of the session token is kept: a leaked database cannot be replayed
-- as a cookie.
CREATE TABLE staff_sessions (
    token_hash TEXT   PRIMARY KEY,
    staff_id   BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);

-- In the database rather than in memory so that throttling holds across restarts
-- and across replicas.
CREATE TABLE sign_in_failures (
    id        BIGSERIAL PRIMARY KEY,
    email     TEXT   NOT NULL,
    client_ip TEXT   NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, failed_at);
CREATE INDEX sign_in_failures_by_ip ON sign_in_failures (client_ip, failed_at);
