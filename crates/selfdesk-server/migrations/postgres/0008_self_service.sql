-- Anonymous self-service measurement (selfdesk_shared::self_service). SQLite twin:
-- migrations/sqlite/0008_self_service.sql.
CREATE TABLE self_service_events (
    id           BIGSERIAL PRIMARY KEY,
    -- SHA-256 of the browser's random session id.
    session_hash TEXT   NOT NULL,
    kind         TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX self_service_events_time ON self_service_events (kind, created_at);

-- The session a ticket was filed in, to tell deflected sessions from the rest.
ALTER TABLE tickets ADD COLUMN self_service_session_hash TEXT;
CREATE INDEX tickets_self_service ON tickets (self_service_session_hash);
