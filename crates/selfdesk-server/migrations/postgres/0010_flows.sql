-- Guided diagnostics (selfdesk_shared::flows). SQLite twin:
-- migrations/sqlite/0010_flows.sql.

-- One row per flow: its draft (TOML as the technician wrote it, parsed or not) and
-- which version is live.
CREATE TABLE flows (
    slug              TEXT PRIMARY KEY,
    -- The English title of the draft or latest version, for the staff list.
    title             TEXT    NOT NULL,
    draft_source      TEXT,
    draft_saved_at    BIGINT,
    draft_saved_by    BIGINT  REFERENCES staff (id),
    published_version BIGINT,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);

-- Every published version stays: walks under way finish on the version they began,
-- and a ticket's transcript names the version walked.
CREATE TABLE flow_versions (
    slug         TEXT    NOT NULL REFERENCES flows (slug),
    version      BIGINT  NOT NULL,
    source       TEXT    NOT NULL,
    -- The parsed flow as JSON, what the portal is served.
    body         TEXT    NOT NULL,
    published_at BIGINT  NOT NULL,
    published_by BIGINT  REFERENCES staff (id),
    PRIMARY KEY (slug, version)
);

-- Anonymous walks: the latest state each browser reported (selfdesk_shared::flows::api).
CREATE TABLE flow_walks (
    walk_hash    TEXT PRIMARY KEY,
    session_hash TEXT,
    flow         TEXT    NOT NULL,
    version      BIGINT  NOT NULL,
    answers      TEXT    NOT NULL,
    node         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    started_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX flow_walks_flow ON flow_walks (flow, started_at);
CREATE INDEX flow_walks_time ON flow_walks (started_at);
