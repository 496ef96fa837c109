//! Knowledge-base storage: categories, articles, translations, the text the search
//! index is built from, and votes.

use std::collections::HashMap;

use selfdesk_shared::kb::{ArticleSummary, CategoryNode, Crumb, VoteReason};
use selfdesk_shared::language::Language;
use selfdesk_shared::slug::Slug;
use sqlx::FromRow;

use crate::db::Db;
use crate::{unix_now, with_pool};

pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub parent: Option<&'a str>,
    pub position: i64,
    pub names: Vec<(Language, String)>,
}

pub async fn upsert_category(db: &Db, category: &NewCategory<'_>) -> sqlx::Result<i64> {
    let parent_id = match category.parent {
        Some(parent) => category_id(db, parent).await?,
        None => None,
    };
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kb_categories (slug, parent_id, position) VALUES ($1, $2, $3)
             ON CONFLICT (slug) DO UPDATE SET parent_id = excluded.parent_id, position = excluded.position
             RETURNING id",
        )
        .bind(category.slug)
        .bind(parent_id)
        .bind(category.position)
        .fetch_one(&mut *tx)
        .await?;
        for (lang, name) in &category.names {
            sqlx::query(
                "INSERT INTO kb_category_names (category_id, lang, name) VALUES ($1, $2, $3)
                 ON CONFLICT (category_id, lang) DO UPDATE SET name = excluded.name",
            )
            .bind(id)
            .bind(lang.code())
            .bind(name)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn category_id(db: &Db, slug: &str) -> sqlx::Result<Option<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM kb_categories WHERE slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await
    })
}

pub async fn article_count(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM kb_articles"
    )
    .fetch_one(pool)
    .await)
}

/// Creates or updates an article's shell and returns its id.
pub async fn upsert_article(
    db: &Db,
    slug: &str,
    category_id: i64,
    status: &str,
) -> sqlx::Result<i64> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO kb_articles (slug, category_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (slug) DO UPDATE SET category_id = excluded.category_id, status = excluded.status,
                 updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(slug)
        .bind(category_id)
        .bind(status)
        .bind(now)
        .fetch_one(pool)
        .await
    })
}

pub struct TranslationText<'a> {
    pub lang: Language,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub tags: &'a [String],
}

/// Writes the published text of one language of an article. Database triggers count
/// the change for every replica's search index (`search::live`).
pub async fn upsert_translation(
    db: &Db,
    article_id: i64,
    text: &TranslationText<'_>,
) -> sqlx::Result<()> {
    let tags = text.tags.join(", ");
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO kb_translations (article_id, lang, title, summary, body, tags, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (article_id, lang) DO UPDATE SET title = excluded.title, summary = excluded.summary,
                 body = excluded.body, tags = excluded.tags, updated_at = excluded.updated_at",
        )
        .bind(article_id)
        .bind(text.lang.code())
        .bind(text.title)
        .bind(text.summary)
        .bind(text.body)
        .bind(&tags)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

#[derive(FromRow)]
struct CategoryRow {
    id: i64,
    #[sqlx(try_from = "String")]
    slug: Slug,
    parent_id: Option<i64>,
    name: String,
    article_count: i64,
}

/// All categories as a tree, named in `lang` (English where a name is missing).
pub async fn category_tree(db: &Db, lang: Language) -> sqlx::Result<Vec<CategoryNode>> {
    let rows: Vec<CategoryRow> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT c.id, c.slug, c.parent_id,
                    COALESCE(n.name, e.name, c.slug) AS name,
                    (SELECT COUNT(*) FROM kb_articles a WHERE a.category_id = c.id AND a.status = 'published')
                        AS article_count
             FROM kb_categories c
             LEFT JOIN kb_category_names n ON n.category_id = c.id AND n.lang = $1
             LEFT JOIN kb_category_names e ON e.category_id = c.id AND e.lang = 'en'
             ORDER BY c.position, c.slug",
        )
        .bind(lang.code())
        .fetch_all(pool)
        .await
    })?;
    let mut children: HashMap<Option<i64>, Vec<&CategoryRow>> = HashMap::new();
    for row in &rows {
        children.entry(row.parent_id).or_default().push(row);
    }
    fn build(
        parent: Option<i64>,
        children: &HashMap<Option<i64>, Vec<&CategoryRow>>,
    ) -> Vec<CategoryNode> {
        children
            .get(&parent)
            .map(|rows| {
                rows.iter()
                    .map(|r| CategoryNode {
                        slug: r.slug.clone(),
                        name: r.name.clone(),
                        article_count: r.article_count,
                        children: build(Some(r.id), children),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    Ok(build(None, &children))
}

/// The trail from the top category down to `category_id`.
pub async fn breadcrumbs(db: &Db, category_id: i64, lang: Language) -> sqlx::Result<Vec<Crumb>> {
    let mut trail = Vec::new();
    let mut next = Some(category_id);
    // Depth-limited: a cycle in bad data must not hang a request.
    for _ in 0..8 {
        let Some(id) = next else { break };
        let row: Option<(String, String, Option<i64>)> = with_pool!(db, |pool| {
            sqlx::query_as(
                "SELECT c.slug, COALESCE(n.name, e.name, c.slug), c.parent_id FROM kb_categories c
                 LEFT JOIN kb_category_names n ON n.category_id = c.id AND n.lang = $2
                 LEFT JOIN kb_category_names e ON e.category_id = c.id AND e.lang = 'en'
                 WHERE c.id = $1",
            )
            .bind(id)
            .bind(lang.code())
            .fetch_optional(pool)
            .await
        })?;
        let Some((slug, name, parent)) = row else {
            break;
        };
        trail.push(Crumb {
            slug: super::slug_column(slug)?,
            name,
        });
        next = parent;
    }
    trail.reverse();
    Ok(trail)
}

#[derive(FromRow)]
struct SummaryRow {
    #[sqlx(try_from = "String")]
    slug: Slug,
    lang: String,
    title: String,
    summary: String,
    category: String,
    updated_at: i64,
}

impl SummaryRow {
    fn into_summary(self) -> ArticleSummary {
        ArticleSummary {
            slug: self.slug,
            lang: Language::from_tag(&self.lang).unwrap_or(Language::En),
            title: self.title,
            summary: self.summary,
            category: self.category,
            updated_at: self.updated_at,
        }
    }
}

/// The best translation of each article: `$1` when it exists, else English.
const BEST_TRANSLATION: &str = "t.id = COALESCE(
    (SELECT x.id FROM kb_translations x WHERE x.article_id = a.id AND x.lang = $1),
    (SELECT x.id FROM kb_translations x WHERE x.article_id = a.id AND x.lang = 'en'),
    (SELECT MIN(x.id) FROM kb_translations x WHERE x.article_id = a.id))";

/// Published articles, optionally in one category, best translation first.
pub async fn list_published(
    db: &Db,
    category: Option<&str>,
    lang: Language,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let sql = format!(
        "SELECT a.slug, t.lang, t.title, t.summary, c.slug AS category, a.updated_at
         FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id
         JOIN kb_translations t ON {BEST_TRANSLATION}
         WHERE a.status = 'published' AND ($2 = '' OR c.slug = $2)
         ORDER BY t.title"
    );
    let rows: Vec<SummaryRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(lang.code())
            .bind(category.unwrap_or(""))
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
}

pub struct StoredArticle {
    pub id: i64,
    pub category_id: i64,
    pub lang: Language,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: String,
    pub updated_at: i64,
    pub available: Vec<Language>,
}

/// A published article in `lang`, or in English (else any language) when `lang` is
/// missing. Counts the view.
pub async fn published(
    db: &Db,
    slug: &Slug,
    lang: Language,
) -> sqlx::Result<Option<StoredArticle>> {
    let sql = format!(
        "SELECT a.id, a.category_id, t.lang, t.title, t.summary, t.body, t.tags, t.updated_at
         FROM kb_articles a JOIN kb_translations t ON {BEST_TRANSLATION}
         WHERE a.slug = $2 AND a.status = 'published'"
    );
    type Row = (i64, i64, String, String, String, String, String, i64);
    let row: Option<Row> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(lang.code())
            .bind(slug.as_str())
            .fetch_optional(pool)
            .await
    })?;
    let Some((id, category_id, served, title, summary, body, tags, updated_at)) = row else {
        return Ok(None);
    };
    let langs: Vec<String> = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT lang FROM kb_translations WHERE article_id = $1 ORDER BY lang")
            .bind(id)
            .fetch_all(pool)
            .await
    })?;
    with_pool!(db, |pool| {
        sqlx::query("UPDATE kb_articles SET views = views + 1 WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(Some(StoredArticle {
        id,
        category_id,
        lang: Language::from_tag(&served).unwrap_or(Language::En),
        title,
        summary,
        body,
        tags,
        updated_at,
        available: langs.iter().filter_map(|l| Language::from_tag(l)).collect(),
    }))
}

/// Other published articles in the same category.
pub async fn related(
    db: &Db,
    article_id: i64,
    category_id: i64,
    lang: Language,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let sql = format!(
        "SELECT a.slug, t.lang, t.title, t.summary, c.slug AS category, a.updated_at
         FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id
         JOIN kb_translations t ON {BEST_TRANSLATION}
         WHERE a.status = 'published' AND a.category_id = $2 AND a.id <> $3
         ORDER BY a.views DESC, t.title LIMIT 5"
    );
    let rows: Vec<SummaryRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(lang.code())
            .bind(category_id)
            .bind(article_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
}

/// A search hit before excerpting: the original text, for snippets.
#[derive(FromRow)]
pub struct SearchRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub slug: Slug,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category: String,
}

/// The text of the given translations, in the given order, skipping any that are no
/// longer published (the index may be a moment behind another replica's write).
pub async fn search_rows(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<SearchRow>> {
    // Ids are integers from our own index, bound as parameters all the same.
    let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT t.id, a.slug, t.lang, t.title, t.summary, t.body, c.slug AS category
         FROM kb_translations t
         JOIN kb_articles a ON a.id = t.article_id
         JOIN kb_categories c ON c.id = a.category_id
         WHERE t.id IN ({}) AND a.status = 'published'",
        placeholders.join(", ")
    );
    let mut rows: Vec<SearchRow> = with_pool!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?;
    rows.sort_by_key(|row| ids.iter().position(|&id| id == row.id));
    Ok(rows)
}

/// What the search index is built from: one translation's text, and whether its
/// article is published now.
#[derive(FromRow)]
pub struct IndexText {
    pub id: i64,
    pub article_id: i64,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub tags: String,
    pub body: String,
    pub published: bool,
}

const INDEX_TEXT_COLUMNS: &str = "t.id, t.article_id, t.lang, t.title, t.summary, t.tags, t.body,
    (a.status = 'published') AS published
    FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id";

pub async fn published_index_texts(db: &Db) -> sqlx::Result<Vec<IndexText>> {
    let sql = format!("SELECT {INDEX_TEXT_COLUMNS} WHERE a.status = 'published'");
    with_pool!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
}

/// Translations whose text or article changed at or after `since` (unix seconds),
/// published or not: an archived article must leave the index.
pub async fn index_texts_changed_since(db: &Db, since: i64) -> sqlx::Result<Vec<IndexText>> {
    let sql = format!(
        "SELECT {INDEX_TEXT_COLUMNS} WHERE t.updated_at >= $1
         UNION
         SELECT {INDEX_TEXT_COLUMNS} WHERE a.updated_at >= $1"
    );
    with_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(since)
        .fetch_all(pool)
        .await)
}

pub async fn published_translation_count(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id
         WHERE a.status = 'published'"
    )
    .fetch_one(pool)
    .await)
}

/// How many changes to searchable text the database has seen (kept by triggers).
pub async fn search_version(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT version FROM kb_search_version WHERE id = 1"
    )
    .fetch_one(pool)
    .await)
}

pub struct Vote<'a> {
    pub voter_hash: &'a str,
    pub lang: Language,
    pub helpful: bool,
    pub reason: Option<VoteReason>,
    pub comment: Option<&'a str>,
    /// Hash of the self-service session the answer was given in, if the browser sent one.
    pub session_hash: Option<&'a str>,
}

/// Records or changes this browser's vote. Returns false when the article does not
/// exist or is not published. A changed vote keeps its session unless a new one came.
pub async fn vote(db: &Db, slug: &Slug, vote: &Vote<'_>) -> sqlx::Result<bool> {
    let now = unix_now();
    let done = with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO kb_votes (article_id, voter_hash, lang, helpful, reason, comment, created_at,
                 updated_at, session_hash)
             SELECT id, $2, $3, $4, $5, $6, $7, $7, $8 FROM kb_articles WHERE slug = $1 AND status = 'published'
             ON CONFLICT (article_id, voter_hash) DO UPDATE SET lang = excluded.lang, helpful = excluded.helpful,
                 reason = excluded.reason, comment = excluded.comment, updated_at = excluded.updated_at,
                 session_hash = COALESCE(excluded.session_hash, kb_votes.session_hash)",
        )
        .bind(slug.as_str())
        .bind(vote.voter_hash)
        .bind(vote.lang.code())
        .bind(vote.helpful)
        .bind(vote.reason.map(VoteReason::as_str))
        .bind(vote.comment)
        .bind(now)
        .bind(vote.session_hash)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}
