-- Search moves out of the database into each server's memory (src/search/index.rs):
-- ts_rank read every matching row's tsvector before sorting, over the latency budget
-- at 10,000 articles. The database keeps the text and counts changes to it, which
-- every server polls to keep its index current. SQLite twin: migrations/sqlite/0004.

DROP INDEX kb_translations_search;
ALTER TABLE kb_translations DROP COLUMN search;

CREATE TABLE kb_search_version (
    id      SMALLINT PRIMARY KEY CHECK (id = 1),
    version BIGINT   NOT NULL
);
INSERT INTO kb_search_version (id, version) VALUES (1, 0);

CREATE FUNCTION kb_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE kb_search_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER kb_search_translation_changed AFTER INSERT OR UPDATE OR DELETE ON kb_translations
    FOR EACH STATEMENT EXECUTE FUNCTION kb_search_changed();
-- Not on `views`: reading an article must not make every server re-read the index.
CREATE TRIGGER kb_search_article_changed AFTER UPDATE OF slug, category_id, status OR DELETE ON kb_articles
    FOR EACH STATEMENT EXECUTE FUNCTION kb_search_changed();

-- Catching up reads the rows changed since a moment.
CREATE INDEX kb_translations_by_update ON kb_translations (updated_at);
CREATE INDEX kb_articles_by_update ON kb_articles (updated_at);
