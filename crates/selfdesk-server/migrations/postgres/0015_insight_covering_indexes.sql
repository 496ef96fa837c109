-- Insight at 100,000 tickets (`cargo xtask bench insight`): each of a period's reads
-- is one range of one index and is answered from the index alone, so each index
-- below holds every column its read needs. Durations in ticket_facts are stored up to
-- 1,048,575 business minutes (some 1,900 days of a 9-hour desk's time).
DROP INDEX ticket_facts_first_response;
DROP INDEX ticket_facts_rated;
DROP INDEX ticket_facts_first_response_breach;
DROP INDEX ticket_facts_resolution_breach;
DROP INDEX ticket_resolutions_time;
DROP INDEX ticket_tier_stays_until;
DROP INDEX kb_votes_time;
DROP INDEX self_service_events_by_session;

CREATE INDEX ticket_facts_first_response ON ticket_facts
    (first_response_at, priority, first_response_met, first_responder_id, first_response_minutes)
    WHERE first_response_at IS NOT NULL;
CREATE INDEX ticket_facts_rated ON ticket_facts (rated_at, rating, resolver_id) WHERE rated_at IS NOT NULL;
CREATE INDEX ticket_facts_first_response_breach ON ticket_facts
    (first_response_breach_at, first_response_breach_tier) WHERE first_response_breach_at IS NOT NULL;
CREATE INDEX ticket_facts_resolution_breach ON ticket_facts
    (resolution_breach_at, resolution_breach_tier) WHERE resolution_breach_at IS NOT NULL;
-- The tickets open now: where the backlog is counted back from.
CREATE INDEX ticket_facts_open ON ticket_facts (ticket_id) WHERE done = 0;

CREATE INDEX ticket_resolutions_time ON ticket_resolutions
    (resolved_at, category, priority, tier, met, reopened_soon, first_contact, resolver_id, minutes);
CREATE INDEX ticket_tier_stays_until ON ticket_tier_stays (until_at, tier, ended, minutes);

-- The self-service funnel (and the guided diagnostics' figures) read a period's
-- sessions from each table's index alone.
CREATE INDEX kb_votes_time ON kb_votes (updated_at, session_hash, helpful);
CREATE INDEX search_log_sessions ON search_log (created_at, session_hash);
CREATE INDEX flow_walks_sessions ON flow_walks (started_at, session_hash, state, flow, node, updated_at);
-- Articles read in a period, and those a ticket's session had read before it was filed.
CREATE INDEX self_service_events_articles ON self_service_events (kind, created_at, subject, session_hash);
CREATE INDEX self_service_events_by_session ON self_service_events (session_hash, kind, created_at, subject);
-- The searches that found nothing, per language and query.
CREATE INDEX search_log_no_results ON search_log (lang, query, created_at) WHERE hits = 0;
