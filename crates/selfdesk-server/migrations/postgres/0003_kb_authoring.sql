-- Knowledge-base authoring. SQLite twin: migrations/sqlite/0003_kb_authoring.sql.

-- Every save of an article's text in one language. Rows are never updated: restoring
-- an old revision inserts a copy as the newest. `number` counts 1, 2, 3, … per article
-- and language; the UNIQUE constraint is what refuses the second of two concurrent
-- saves made from the same base.
CREATE TABLE kb_revisions (
    id            BIGSERIAL PRIMARY KEY,
    article_id    BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    lang          TEXT   NOT NULL,
    number        BIGINT NOT NULL,
    title         TEXT   NOT NULL,
    summary       TEXT   NOT NULL,
    body          TEXT   NOT NULL,
    tags          TEXT   NOT NULL DEFAULT '',
    category_id   BIGINT NOT NULL REFERENCES kb_categories (id),
    -- NULL for text that predates revisions (seeded or imported articles).
    author_id     BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    restored_from BIGINT,
    created_at    BIGINT NOT NULL,
    UNIQUE (article_id, lang, number)
);

-- Which revision's text is in kb_translations, i.e. what readers see, per language.
CREATE TABLE kb_publications (
    article_id   BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    lang         TEXT   NOT NULL,
    revision     BIGINT NOT NULL,
    published_by BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, lang)
);

-- Images shown in articles, in the database so that every replica serves them and a
-- backup holds them. Named by the SHA-256 of their bytes: the URL never changes
-- meaning, so browsers may cache it forever, and uploading twice stores once.
CREATE TABLE kb_images (
    hash        TEXT   PRIMARY KEY,
    media_type  TEXT   NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    data        BYTEA  NOT NULL,
    size        BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL
);
