-- Knowledge base. PostgreSQL twin: migrations/postgres/0002_knowledge_base.sql.

CREATE TABLE kb_categories (
    id        INTEGER PRIMARY KEY,
    slug      TEXT    NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES kb_categories (id),
    position  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE kb_category_names (
    category_id INTEGER NOT NULL REFERENCES kb_categories (id) ON DELETE CASCADE,
    lang        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    PRIMARY KEY (category_id, lang)
);

CREATE TABLE kb_articles (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    category_id INTEGER NOT NULL REFERENCES kb_categories (id),
    status      TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    views       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX kb_articles_by_category ON kb_articles (category_id, status);

-- The published text of an article in one language.
CREATE TABLE kb_translations (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    lang       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    tags       TEXT    NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    UNIQUE (article_id, lang)
);

-- Search indexes over analysed tokens (stemmed and folded in Rust, see src/search),
-- one per language so a query never touches another language's rows;
-- rowid = kb_translations.id. Columns are weighted title > summary (+ tags) > body.
CREATE VIRTUAL TABLE kb_search_en USING fts5 (title, summary, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE kb_search_ru USING fts5 (title, summary, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE kb_search_fr USING fts5 (title, summary, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE kb_search_nb USING fts5 (title, summary, body, tokenize = 'unicode61 remove_diacritics 2');

-- "Did this help?": one row per browser per article, changeable.
CREATE TABLE kb_votes (
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    voter_hash TEXT    NOT NULL,
    lang       TEXT    NOT NULL,
    helpful    BOOLEAN NOT NULL,
    reason     TEXT,
    comment    TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, voter_hash)
);
