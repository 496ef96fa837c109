-- Search moves out of the database into each server's memory (src/search/index.rs):
-- FTS5 scored every match of a common word before sorting, over the latency budget at
-- 10,000 articles. The database keeps the text and counts changes to it, which every
-- server polls to keep its index current. PostgreSQL twin: migrations/postgres/0004.

DROP TABLE kb_search_en;
DROP TABLE kb_search_ru;
DROP TABLE kb_search_fr;
DROP TABLE kb_search_nb;

CREATE TABLE kb_search_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO kb_search_version (id, version) VALUES (1, 0);

CREATE TRIGGER kb_search_translation_inserted AFTER INSERT ON kb_translations
BEGIN UPDATE kb_search_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_search_translation_updated AFTER UPDATE ON kb_translations
BEGIN UPDATE kb_search_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_search_translation_deleted AFTER DELETE ON kb_translations
BEGIN UPDATE kb_search_version SET version = version + 1 WHERE id = 1; END;
-- Not on `views`: reading an article must not make every server re-read the index.
CREATE TRIGGER kb_search_article_updated AFTER UPDATE OF slug, category_id, status ON kb_articles
BEGIN UPDATE kb_search_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_search_article_deleted AFTER DELETE ON kb_articles
BEGIN UPDATE kb_search_version SET version = version + 1 WHERE id = 1; END;

-- Catching up reads the rows changed since a moment.
CREATE INDEX kb_translations_by_update ON kb_translations (updated_at);
CREATE INDEX kb_articles_by_update ON kb_articles (updated_at);
