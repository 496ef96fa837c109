-- Insight at 100,000 tickets on PostgreSQL (`cargo xtask bench insight`): the figures
-- that add up are kept per local day beside the per-ticket facts, so that a year sums
-- a few thousand small rows instead of reading every ticket filed in it. SQLite twin:
-- migrations/sqlite/0017_insight_rollups.sql.
--
-- Triggers on ticket_facts keep them, in the transaction that writes the facts, so
-- they are always the sums of ticket_facts however its rows are written or deleted
-- (a ticket's facts rewritten after a reopening or a new category move its count from
-- one day or key to the other). Statement triggers with transition tables: a batch of
-- 500 facts is summed once, not row by row.

-- Where the desk's local days begin: the service levels' UTC offset the day numbers
-- below were counted with. When the calendar's offset changes, insight::upkeep counts
-- them again (store::insight::count_days); until then the figures are read from
-- ticket_facts, as they would be without these tables.
CREATE TABLE insight_day_start (
    only_row           BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    utc_offset_seconds BIGINT  NOT NULL
);
INSERT INTO insight_day_start (utc_offset_seconds) VALUES (0);

-- Tickets filed per local day (`(created_at + utc_offset_seconds) / 86400`), category,
-- repeat contact and resolved-or-closed now. Rows whose count falls to 0 are kept.
CREATE TABLE ticket_days (
    day            BIGINT NOT NULL,
    category       TEXT   NOT NULL,
    repeat_contact BIGINT NOT NULL,
    done           BIGINT NOT NULL,
    tickets        BIGINT NOT NULL,
    PRIMARY KEY (day, category, repeat_contact, done)
);

-- Tickets filed per local day whose subject has the word (ticket_facts.subject_words).
CREATE TABLE ticket_word_days (
    day     BIGINT NOT NULL,
    word    TEXT   NOT NULL,
    tickets BIGINT NOT NULL,
    PRIMARY KEY (day, word)
);

-- Tickets filed per local day in a browser session that had opened the article
-- (`slug`, a self_service_events subject) before the ticket was filed. Counted when
-- the facts are written: an article view is logged before the filing it precedes.
CREATE TABLE ticket_article_days (
    day     BIGINT NOT NULL,
    slug    TEXT   NOT NULL,
    tickets BIGINT NOT NULL,
    PRIMARY KEY (day, slug)
);

-- Adds the facts a statement wrote and takes away those it replaced or deleted.
CREATE FUNCTION insight_count_days() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- A parameter, not a join: the join's estimates (a table without statistics) made
    -- the planner compile these small statements with JIT, 100 ms each.
    utc_offset BIGINT := (SELECT utc_offset_seconds FROM insight_day_start);
    -- Both sides of an update in one sum: a row rewritten unchanged adds nothing.
    changed TEXT := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT created_at, category, repeat_contact, done, subject_words, session_hash, 1 AS sign FROM added'
        WHEN 'DELETE' THEN 'SELECT created_at, category, repeat_contact, done, subject_words, session_hash, -1 AS sign FROM removed'
        ELSE 'SELECT created_at, category, repeat_contact, done, subject_words, session_hash, 1 AS sign FROM added
              UNION ALL
              SELECT created_at, category, repeat_contact, done, subject_words, session_hash, -1 FROM removed'
    END;
BEGIN
    EXECUTE format(
        'INSERT INTO ticket_days AS d (day, category, repeat_contact, done, tickets)
         SELECT (c.created_at + $1) / 86400, c.category, c.repeat_contact, c.done, SUM(c.sign)
         FROM (%s) c
         GROUP BY 1, 2, 3, 4 HAVING SUM(c.sign) <> 0
         ON CONFLICT (day, category, repeat_contact, done) DO UPDATE SET tickets = d.tickets + excluded.tickets',
        changed) USING utc_offset;
    EXECUTE format(
        'INSERT INTO ticket_word_days AS d (day, word, tickets)
         SELECT (c.created_at + $1) / 86400, w.word, SUM(c.sign)
         FROM (%s) c, unnest(string_to_array(c.subject_words, '' '')) AS w (word)
         WHERE w.word <> ''''
         GROUP BY 1, 2 HAVING SUM(c.sign) <> 0
         ON CONFLICT (day, word) DO UPDATE SET tickets = d.tickets + excluded.tickets',
        changed) USING utc_offset;
    EXECUTE format(
        'INSERT INTO ticket_article_days AS d (day, slug, tickets)
         SELECT (c.created_at + $1) / 86400, v.subject, SUM(c.sign)
         FROM (%s) c
         JOIN LATERAL (SELECT DISTINCT e.subject FROM self_service_events e
                       WHERE e.session_hash = c.session_hash AND e.kind = ''article_viewed''
                         AND e.created_at <= c.created_at) v ON true
         WHERE c.session_hash IS NOT NULL
         GROUP BY 1, 2 HAVING SUM(c.sign) <> 0
         ON CONFLICT (day, slug) DO UPDATE SET tickets = d.tickets + excluded.tickets',
        changed) USING utc_offset;
    RETURN NULL;
END
$$;

-- One trigger per event: a trigger with transition tables fires on one event only.
CREATE TRIGGER ticket_facts_days_insert AFTER INSERT ON ticket_facts
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION insight_count_days();
CREATE TRIGGER ticket_facts_days_update AFTER UPDATE ON ticket_facts
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION insight_count_days();
CREATE TRIGGER ticket_facts_days_delete AFTER DELETE ON ticket_facts
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION insight_count_days();

-- Facts written before this migration.
INSERT INTO ticket_days (day, category, repeat_contact, done, tickets)
SELECT created_at / 86400, category, repeat_contact, done, COUNT(*)
FROM ticket_facts GROUP BY 1, 2, 3, 4;
INSERT INTO ticket_word_days (day, word, tickets)
SELECT f.created_at / 86400, w.word, COUNT(*)
FROM ticket_facts f, unnest(string_to_array(f.subject_words, ' ')) AS w (word)
WHERE w.word <> ''
GROUP BY 1, 2;

INSERT INTO ticket_article_days (day, slug, tickets)
SELECT f.created_at / 86400, v.subject, COUNT(*)
FROM ticket_facts f
JOIN LATERAL (SELECT DISTINCT e.subject FROM self_service_events e
              WHERE e.session_hash = f.session_hash AND e.kind = 'article_viewed'
                AND e.created_at <= f.created_at) v ON true
WHERE f.session_hash IS NOT NULL
GROUP BY 1, 2;

-- A period's self-service events are read once, grouped by kind and subject, for the
-- sessions that opened something and the sessions per article: from this index alone.
CREATE INDEX self_service_events_period ON self_service_events (created_at, kind, subject, session_hash);
