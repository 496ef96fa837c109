-- Insight (issue 13): the facts the help desk's numbers are computed from.
-- PostgreSQL twin of migrations/sqlite/0014_insight.sql.

-- The browser session a "Did this help?" answer was given in (SHA-256 of the random
-- session id, like self_service_events), so the self-service funnel can count
-- sessions that were helped. NULL for answers given before this column existed.
ALTER TABLE kb_votes ADD COLUMN session_hash TEXT;

-- The searches a requester made in the session they filed the ticket in, oldest
-- first (a JSON array of normalised queries, from search_log at filing): the words
-- the next article must use, shown to the technician.
ALTER TABLE tickets ADD COLUMN search_words TEXT;

-- The funnel reads a period's events per session.
CREATE INDEX self_service_events_session ON self_service_events (created_at, session_hash);

-- One row per ticket: what the insight figures are counted from, worked out in Rust
-- (selfdesk_server::insight::facts) from the ticket, its events and its pauses with
-- the service levels in force, so that no figure recomputes business time when it is
-- read. Rewritten after every change and at filing, only over the ticket `revision`
-- it was computed from; rows missing or older than their ticket are filled in at
-- start-up and by the periodic sweep, and all are recomputed when the service levels
-- change (insight::upkeep). Flags are 0 or 1 (numbers, so the figures' reads can add
-- them up); durations are business minutes, time waiting for the requester left out.
CREATE TABLE ticket_facts (
    ticket_id                  BIGINT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    revision                   BIGINT NOT NULL,
    created_at                 BIGINT NOT NULL,
    category                   TEXT    NOT NULL,
    -- 1 (P1) to 4 (P4): the priority now, by which the deadlines are judged.
    priority                   BIGINT NOT NULL,
    -- The requester's address, lower-cased.
    requester                  TEXT    NOT NULL,
    session_hash               TEXT,
    incident_id                BIGINT,
    -- Resolved or closed now.
    done                       BIGINT NOT NULL,
    -- Another ticket of the same requester in the same category within 7 days before.
    repeat_contact             BIGINT NOT NULL,
    -- The first public reply by staff.
    first_response_at          BIGINT,
    first_responder_id         BIGINT,
    first_response_minutes     BIGINT,
    first_response_met         BIGINT,
    -- When a deadline passed unmet while the ticket was open (possibly still to come:
    -- readers count those before now), and the tier it was at then.
    first_response_breach_at   BIGINT,
    first_response_breach_tier BIGINT,
    resolution_breach_at       BIGINT,
    resolution_breach_tier     BIGINT,
    -- The latest resolution and who made it (every one is in ticket_resolutions).
    resolved_at                BIGINT,
    resolver_id                BIGINT,
    escalated                  BIGINT NOT NULL,
    reopened                   BIGINT NOT NULL,
    rating                     BIGINT,
    rated_at                   BIGINT,
    -- The subject's words worth counting, space-separated (insight::words).
    subject_words              TEXT    NOT NULL
);
-- Each of a period's reads is one range of one of these.
CREATE INDEX ticket_facts_created ON ticket_facts (created_at, category, repeat_contact, done);
CREATE INDEX ticket_facts_first_response ON ticket_facts (first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX ticket_facts_rated ON ticket_facts (rated_at) WHERE rated_at IS NOT NULL;
CREATE INDEX ticket_facts_first_response_breach ON ticket_facts (first_response_breach_at) WHERE first_response_breach_at IS NOT NULL;
CREATE INDEX ticket_facts_resolution_breach ON ticket_facts (resolution_breach_at) WHERE resolution_breach_at IS NOT NULL;
CREATE INDEX ticket_facts_sessions ON ticket_facts (created_at, session_hash) WHERE session_hash IS NOT NULL;
CREATE INDEX ticket_facts_incidents ON ticket_facts (incident_id, created_at) WHERE incident_id IS NOT NULL;

-- Every resolution of a ticket (a ticket resolved twice counts twice), written with
-- its ticket_facts row.
CREATE TABLE ticket_resolutions (
    ticket_id      BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- 1 for the ticket's first resolution.
    seq            BIGINT NOT NULL,
    resolved_at    BIGINT NOT NULL,
    resolver_id    BIGINT,
    category       TEXT    NOT NULL,
    priority       BIGINT NOT NULL,
    -- The tier the ticket was at.
    tier           BIGINT NOT NULL,
    -- From filing to this resolution.
    minutes        BIGINT NOT NULL,
    met            BIGINT NOT NULL,
    -- Public staff replies from filing up to it.
    public_replies BIGINT NOT NULL,
    first_contact  BIGINT NOT NULL,
    reopened_at    BIGINT,
    -- Reopened within 7 days.
    reopened_soon  BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);
CREATE INDEX ticket_resolutions_time ON ticket_resolutions (resolved_at);
CREATE INDEX ticket_resolutions_reopened ON ticket_resolutions (reopened_at) WHERE reopened_at IS NOT NULL;

-- Every stay of a ticket at a tier that ended, and how it ended.
CREATE TABLE ticket_tier_stays (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    seq       BIGINT NOT NULL,
    tier      BIGINT NOT NULL,
    from_at   BIGINT NOT NULL,
    until_at  BIGINT NOT NULL,
    minutes   BIGINT NOT NULL,
    ended     TEXT    NOT NULL CHECK (ended IN ('escalated', 'sent_back', 'resolved')),
    PRIMARY KEY (ticket_id, seq)
);
CREATE INDEX ticket_tier_stays_until ON ticket_tier_stays (until_at);

-- A repeat contact is found at filing: the same address (any case), same category,
-- the 7 days before.
CREATE INDEX tickets_requester_category ON tickets (lower(requester_email), category, created_at);
-- "Did this help?" answers given in a period; article views of a ticket's session.
CREATE INDEX kb_votes_time ON kb_votes (updated_at);
CREATE INDEX self_service_events_by_session ON self_service_events (session_hash, kind, created_at);
