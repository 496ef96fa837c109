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
