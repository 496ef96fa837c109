-- Search that forgives (issue 20): the synonyms staff teach the search, per language,
-- and the anonymous log of searches that tells staff which ones found nothing.
-- SQLite twin: migrations/sqlite/0013_search_synonyms_and_log.sql.

-- A group of words that mean the same in one language. Every change to a group also
-- moves `kb_search_version` (in the same transaction, store::search), so every
-- replica's index reloads the synonyms on its next search.
CREATE TABLE search_synonym_groups (
    id         BIGSERIAL PRIMARY KEY,
    lang       TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE INDEX search_synonym_groups_lang ON search_synonym_groups (lang);

-- The words of each group, in the order staff gave them. The primary key keeps a word
-- in at most one group of its language.
CREATE TABLE search_synonyms (
    lang     TEXT    NOT NULL,
    -- Byte order, as SQLite compares: lists sort the same on both databases.
    word     TEXT    COLLATE "C" NOT NULL,
    group_id BIGINT  NOT NULL REFERENCES search_synonym_groups (id) ON DELETE CASCADE,
    position BIGINT  NOT NULL,
    PRIMARY KEY (lang, word)
);
CREATE INDEX search_synonyms_group ON search_synonyms (group_id, position);

-- One row per search, keyed by the SHA-256 of the browser's random id for it: the
-- latest report of a search replaces the earlier one. `query` is normalised
-- (selfdesk_shared::search::normalise_query); `opened` is the slug of the article
-- opened from the results, kept once set. Nothing names the person; rows older than
-- SELFDESK_SEARCH_LOG_DAYS are deleted by the periodic sweep.
CREATE TABLE search_log (
    id_hash      TEXT    PRIMARY KEY,
    session_hash TEXT,
    lang         TEXT    NOT NULL,
    -- Byte order, as SQLite compares: ties in the gaps report sort the same on both.
    query        TEXT    COLLATE "C" NOT NULL,
    hits         BIGINT  NOT NULL,
    opened       TEXT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
-- The period a gaps report reads, and the rows the sweep deletes.
CREATE INDEX search_log_time ON search_log (created_at);
-- Gaps are counted per language and query.
CREATE INDEX search_log_query ON search_log (lang, query, created_at);
