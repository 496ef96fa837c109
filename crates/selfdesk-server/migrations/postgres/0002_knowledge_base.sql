-- Knowledge base. SQLite twin: migrations/sqlite/0002_knowledge_base.sql.

CREATE TABLE kb_categories (
    id        BIGSERIAL PRIMARY KEY,
    slug      TEXT    NOT NULL UNIQUE,
    parent_id BIGINT REFERENCES kb_categories (id),
    position  BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE kb_category_names (
    category_id BIGINT NOT NULL REFERENCES kb_categories (id) ON DELETE CASCADE,
    lang        TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    PRIMARY KEY (category_id, lang)
);

CREATE TABLE kb_articles (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT   NOT NULL UNIQUE,
    category_id BIGINT NOT NULL REFERENCES kb_categories (id),
    status      TEXT   NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    views       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX kb_articles_by_category ON kb_articles (category_id, status);

-- The published text of an article in one language, with its search vector: analysed
-- tokens (stemmed and folded in Rust, see src/search) under the `simple` configuration,
-- weighted title A > summary and tags B > body C.
CREATE TABLE kb_translations (
    id         BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    lang       TEXT   NOT NULL,
    title      TEXT   NOT NULL,
    summary    TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    tags       TEXT   NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    search     TSVECTOR NOT NULL DEFAULT ''::tsvector,
    UNIQUE (article_id, lang)
);
CREATE INDEX kb_translations_search ON kb_translations USING GIN (search);

CREATE TABLE kb_votes (
    article_id BIGINT  NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    voter_hash TEXT    NOT NULL,
    lang       TEXT    NOT NULL,
    helpful    BOOLEAN NOT NULL,
    reason     TEXT,
    comment    TEXT,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (article_id, voter_hash)
);
