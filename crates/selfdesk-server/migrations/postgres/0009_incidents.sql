-- Known incidents and "me too" reports. SQLite twin: migrations/sqlite/0009_incidents.sql.

-- A problem technicians already know about ("VPN down for all users since 09:10"),
-- shown to requesters before they file a ticket about it.
CREATE TABLE incidents (
    id              BIGSERIAL PRIMARY KEY,
    title           TEXT   NOT NULL,
    description     TEXT   NOT NULL DEFAULT '',
    -- NULL: whatever category the requester chose.
    category        TEXT   REFERENCES ticket_categories (slug),
    status          TEXT   NOT NULL DEFAULT 'open',
    created_by      BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    closed_at       BIGINT,
    closing_message TEXT
);
CREATE INDEX incidents_open ON incidents (status, created_at);

-- People who said "this affects me too" instead of filing, one row per address.
CREATE TABLE incident_reports (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    name        TEXT   NOT NULL,
    email       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (incident_id, email)
);

-- Finding open tickets like the one being written: same category, recent.
CREATE INDEX tickets_open_by_category ON tickets (category, status, created_at);
