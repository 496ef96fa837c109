-- Insight at 100,000 tickets (`cargo xtask bench insight`): the figures that add up
-- are kept per local day beside the per-ticket facts, so that a year sums a few
-- thousand small rows instead of reading every ticket filed in it. PostgreSQL twin:
-- migrations/postgres/0017_insight_rollups.sql.
--
-- Triggers on ticket_facts keep them, in the transaction that writes the facts, so
-- they are always the sums of ticket_facts however its rows are written or deleted
-- (a ticket's facts rewritten after a reopening or a new category move its count from
-- one day or key to the other).

-- Where the desk's local days begin: the service levels' UTC offset the day numbers
-- below were counted with. When the calendar's offset changes, insight::upkeep counts
-- them again (store::insight::count_days); until then the figures are read from
-- ticket_facts, as they would be without these tables.
CREATE TABLE insight_day_start (
    only_row           INTEGER PRIMARY KEY CHECK (only_row = 1),
    utc_offset_seconds INTEGER NOT NULL
);
INSERT INTO insight_day_start (only_row, utc_offset_seconds) VALUES (1, 0);

-- Tickets filed per local day (`(created_at + utc_offset_seconds) / 86400`), category,
-- repeat contact and resolved-or-closed now. Rows whose count falls to 0 are kept.
CREATE TABLE ticket_days (
    day            INTEGER NOT NULL,
    category       TEXT    NOT NULL,
    repeat_contact INTEGER NOT NULL,
    done           INTEGER NOT NULL,
    tickets        INTEGER NOT NULL,
    PRIMARY KEY (day, category, repeat_contact, done)
) WITHOUT ROWID;

-- Tickets filed per local day whose subject has the word (ticket_facts.subject_words).
CREATE TABLE ticket_word_days (
    day     INTEGER NOT NULL,
    word    TEXT    NOT NULL,
    tickets INTEGER NOT NULL,
    PRIMARY KEY (day, word)
) WITHOUT ROWID;

-- Tickets filed per local day in a browser session that had opened the article
-- (`slug`, a self_service_events subject) before the ticket was filed. Counted when
-- the facts are written: an article view is logged before the filing it precedes.
CREATE TABLE ticket_article_days (
    day     INTEGER NOT NULL,
    slug    TEXT    NOT NULL,
    tickets INTEGER NOT NULL,
    PRIMARY KEY (day, slug)
) WITHOUT ROWID;

-- The subject's words are letters and digits (insight::words), so quoting them makes
-- a JSON array json_each can split; the escapes are there should that ever change.
CREATE TRIGGER ticket_facts_days_insert AFTER INSERT ON ticket_facts BEGIN
    INSERT INTO ticket_days (day, category, repeat_contact, done, tickets)
    VALUES ((NEW.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400,
            NEW.category, NEW.repeat_contact, NEW.done, 1)
    ON CONFLICT (day, category, repeat_contact, done) DO UPDATE SET tickets = tickets + 1;
    INSERT INTO ticket_word_days (day, word, tickets)
    SELECT (NEW.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400, w.value, 1
    FROM json_each('["' || replace(replace(replace(NEW.subject_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') AS w
    WHERE w.value <> ''
    ON CONFLICT (day, word) DO UPDATE SET tickets = tickets + 1;
    INSERT INTO ticket_article_days (day, slug, tickets)
    SELECT (NEW.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400, e.subject, 1
    FROM self_service_events e
    WHERE NEW.session_hash IS NOT NULL AND e.session_hash = NEW.session_hash
      AND e.kind = 'article_viewed' AND e.created_at <= NEW.created_at
    GROUP BY e.subject
    ON CONFLICT (day, slug) DO UPDATE SET tickets = tickets + 1;
END;

CREATE TRIGGER ticket_facts_days_delete AFTER DELETE ON ticket_facts BEGIN
    UPDATE ticket_days SET tickets = tickets - 1
    WHERE day = (OLD.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400
      AND category = OLD.category AND repeat_contact = OLD.repeat_contact AND done = OLD.done;
    UPDATE ticket_word_days SET tickets = tickets - 1
    WHERE day = (OLD.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400
      AND word IN (SELECT w.value FROM json_each('["' || replace(replace(replace(OLD.subject_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') AS w);
    UPDATE ticket_article_days SET tickets = tickets - 1
    WHERE day = (OLD.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400
      AND slug IN (SELECT e.subject FROM self_service_events e
                   WHERE e.session_hash = OLD.session_hash AND e.kind = 'article_viewed'
                     AND e.created_at <= OLD.created_at);
END;

-- Only when something counted changed: recomputing every ticket's facts for new
-- service levels rewrites rows whose counted columns mostly stay the same.
CREATE TRIGGER ticket_facts_days_update AFTER UPDATE ON ticket_facts
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.category IS NOT NEW.category
  OR OLD.repeat_contact IS NOT NEW.repeat_contact OR OLD.done IS NOT NEW.done
  OR OLD.subject_words IS NOT NEW.subject_words OR OLD.session_hash IS NOT NEW.session_hash
BEGIN
    UPDATE ticket_days SET tickets = tickets - 1
    WHERE day = (OLD.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400
      AND category = OLD.category AND repeat_contact = OLD.repeat_contact AND done = OLD.done;
    UPDATE ticket_word_days SET tickets = tickets - 1
    WHERE day = (OLD.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400
      AND word IN (SELECT w.value FROM json_each('["' || replace(replace(replace(OLD.subject_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') AS w);
    UPDATE ticket_article_days SET tickets = tickets - 1
    WHERE day = (OLD.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400
      AND slug IN (SELECT e.subject FROM self_service_events e
                   WHERE e.session_hash = OLD.session_hash AND e.kind = 'article_viewed'
                     AND e.created_at <= OLD.created_at);
    INSERT INTO ticket_days (day, category, repeat_contact, done, tickets)
    VALUES ((NEW.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400,
            NEW.category, NEW.repeat_contact, NEW.done, 1)
    ON CONFLICT (day, category, repeat_contact, done) DO UPDATE SET tickets = tickets + 1;
    INSERT INTO ticket_word_days (day, word, tickets)
    SELECT (NEW.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400, w.value, 1
    FROM json_each('["' || replace(replace(replace(NEW.subject_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') AS w
    WHERE w.value <> ''
    ON CONFLICT (day, word) DO UPDATE SET tickets = tickets + 1;
    INSERT INTO ticket_article_days (day, slug, tickets)
    SELECT (NEW.created_at + (SELECT utc_offset_seconds FROM insight_day_start)) / 86400, e.subject, 1
    FROM self_service_events e
    WHERE NEW.session_hash IS NOT NULL AND e.session_hash = NEW.session_hash
      AND e.kind = 'article_viewed' AND e.created_at <= NEW.created_at
    GROUP BY e.subject
    ON CONFLICT (day, slug) DO UPDATE SET tickets = tickets + 1;
END;

-- Facts written before this migration.
INSERT INTO ticket_days (day, category, repeat_contact, done, tickets)
SELECT created_at / 86400, category, repeat_contact, done, COUNT(*)
FROM ticket_facts WHERE true GROUP BY 1, 2, 3, 4;
INSERT INTO ticket_word_days (day, word, tickets)
SELECT f.created_at / 86400, w.value, COUNT(*)
FROM ticket_facts f, json_each('["' || replace(replace(replace(f.subject_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') AS w
WHERE w.value <> ''
GROUP BY 1, 2;

INSERT INTO ticket_article_days (day, slug, tickets)
SELECT f.created_at / 86400, v.subject, COUNT(DISTINCT f.ticket_id)
FROM ticket_facts f
JOIN (SELECT DISTINCT session_hash, subject, created_at FROM self_service_events
      WHERE kind = 'article_viewed') v
  ON v.session_hash = f.session_hash AND v.created_at <= f.created_at
WHERE f.session_hash IS NOT NULL
GROUP BY 1, 2;

-- A period's self-service events are read once, grouped by kind and subject, for the
-- sessions that opened something and the sessions per article: from this index alone.
CREATE INDEX self_service_events_period ON self_service_events (created_at, kind, subject, session_hash);
