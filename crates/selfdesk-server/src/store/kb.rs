//! Knowledge-base storage: categories, articles, translations, the search index and
//! votes.

use std::collections::HashMap;

use selfdesk_shared::kb::{ArticleSummary, CategoryNode, Crumb, VoteReason};
use selfdesk_shared::language::Language;
use sqlx::FromRow;

use crate::db::Db;
use crate::search::analyze::{self, Query};
use crate::{unix_now, with_pool};

/// Fills the search index of one translation from its analysed `[title, summary and
/// tags, body]`; called inside the transaction that writes the translation, so text
/// and index never disagree. The two arms are the only SQL that differs by database.
macro_rules! index_translation {
    (sqlite, $tx:expr, $id:expr, $lang:expr, $analysed:expr) => {{
        let table = sqlite_search_table($lang);
        let [title, summary, body] = $analysed;
        sqlx::query(&format!("DELETE FROM {table} WHERE rowid = $1"))
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO {table} (rowid, title, summary, body) VALUES ($1, $2, $3, $4)"
        ))
        .bind($id)
        .bind(title)
        .bind(summary)
        .bind(body)
        .execute(&mut *$tx)
        .await?;
    }};
    (postgres, $tx:expr, $id:expr, $lang:expr, $analysed:expr) => {{
        let [title, summary, body] = $analysed;
        sqlx::query(
            "UPDATE kb_translations SET search =
                 setweight(to_tsvector('simple', $2), 'A') ||
                 setweight(to_tsvector('simple', $3), 'B') ||
                 setweight(to_tsvector('simple', $4), 'C')
             WHERE id = $1",
        )
        .bind($id)
        .bind(title)
        .bind(summary)
        .bind(body)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// The SQLite FTS5 table of one language. A fixed name per enum value: nothing from
/// a request ever becomes part of a table name.
fn sqlite_search_table(lang: Language) -> &'static str {
    match lang {
        Language::En => "kb_search_en",
        Language::Ru => "kb_search_ru",
        Language::Fr => "kb_search_fr",
        Language::Nb => "kb_search_nb",
    }
}

/// Merges the search index's segments after bulk writes. FTS5 appends a segment per
/// transaction, and a query walks them all: after a bulk load of thousands of
/// articles, merging makes searches several times faster. PostgreSQL's GIN index
/// needs no such step.
pub async fn optimize_search_index(db: &Db) -> sqlx::Result<()> {
    if let Db::Sqlite(pool) = db {
        for lang in Language::ALL {
            let table = sqlite_search_table(lang);
            sqlx::query(&format!(
                "INSERT INTO {table} ({table}) VALUES ('optimize')"
            ))
            .execute(pool)
            .await?;
        }
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await?;
    }
    Ok(())
}

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

/// Writes one language of an article and its search index, atomically.
pub async fn upsert_translation(
    db: &Db,
    article_id: i64,
    text: &TranslationText<'_>,
) -> sqlx::Result<()> {
    let tags = text.tags.join(", ");
    let analysed = [
        analyze::index_text(text.title, text.lang),
        analyze::index_text(&format!("{}\n{}", text.summary, tags), text.lang),
        analyze::index_text(text.body, text.lang),
    ];
    let now = unix_now();
    let sql = "INSERT INTO kb_translations (article_id, lang, title, summary, body, tags, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (article_id, lang) DO UPDATE SET title = excluded.title, summary = excluded.summary,
                   body = excluded.body, tags = excluded.tags, updated_at = excluded.updated_at
               RETURNING id";
    // The same transaction on both databases; only the index update differs.
    macro_rules! write_translation {
        ($pool:expr, $backend:ident) => {{
            let mut tx = $pool.begin().await?;
            let id: i64 = sqlx::query_scalar(sql)
                .bind(article_id)
                .bind(text.lang.code())
                .bind(text.title)
                .bind(text.summary)
                .bind(text.body)
                .bind(&tags)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            index_translation!($backend, tx, id, text.lang, analysed);
            tx.commit().await
        }};
    }
    match db {
        Db::Sqlite(pool) => write_translation!(pool, sqlite),
        Db::Postgres(pool) => write_translation!(pool, postgres),
    }
}

#[derive(FromRow)]
struct CategoryRow {
    id: i64,
    slug: String,
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
        trail.push(Crumb { slug, name });
        next = parent;
    }
    trail.reverse();
    Ok(trail)
}

#[derive(FromRow)]
struct SummaryRow {
    slug: String,
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
pub async fn published(db: &Db, slug: &str, lang: Language) -> sqlx::Result<Option<StoredArticle>> {
    let sql = format!(
        "SELECT a.id, a.category_id, t.lang, t.title, t.summary, t.body, t.tags, t.updated_at
         FROM kb_articles a JOIN kb_translations t ON {BEST_TRANSLATION}
         WHERE a.slug = $2 AND a.status = 'published'"
    );
    type Row = (i64, i64, String, String, String, String, String, i64);
    let row: Option<Row> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(lang.code())
            .bind(slug)
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
    pub slug: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category: String,
}

/// Published translations in `lang` matching `query`, best first: title matches
/// outweigh summary and tag matches, which outweigh body matches.
pub async fn search(
    db: &Db,
    query: &Query,
    lang: Language,
    limit: i64,
) -> sqlx::Result<Vec<SearchRow>> {
    match db {
        Db::Sqlite(pool) => {
            // Rank inside the language's index first and join only the best few:
            // joining every match would read thousands of article bodies just to sort
            // them. Over-fetch so that unpublished articles filtered out afterwards
            // cannot leave the page short.
            let table = sqlite_search_table(lang);
            let sql = format!(
                "SELECT a.slug, t.lang, t.title, t.summary, t.body, c.slug AS category
                 FROM (SELECT rowid, bm25({table}, 10.0, 4.0, 1.0) AS score FROM {table}
                       WHERE {table} MATCH $1 ORDER BY score LIMIT $2 * 3) s
                 JOIN kb_translations t ON t.id = s.rowid
                 JOIN kb_articles a ON a.id = t.article_id
                 JOIN kb_categories c ON c.id = a.category_id
                 WHERE a.status = 'published'
                 ORDER BY s.score
                 LIMIT $2"
            );
            sqlx::query_as(&sql).bind(query.fts5()).bind(limit).fetch_all(pool).await
        }
        Db::Postgres(pool) => {
            sqlx::query_as(
                "SELECT a.slug, t.lang, t.title, t.summary, t.body, c.slug AS category
                 FROM kb_translations t
                 JOIN kb_articles a ON a.id = t.article_id
                 JOIN kb_categories c ON c.id = a.category_id
                 WHERE t.search @@ to_tsquery('simple', $1) AND t.lang = $2 AND a.status = 'published'
                 ORDER BY ts_rank('{0.1, 0.25, 0.4, 1.0}', t.search, to_tsquery('simple', $1)) DESC, a.id
                 LIMIT $3",
            )
            .bind(query.tsquery())
            .bind(lang.code())
            .bind(limit)
            .fetch_all(pool)
            .await
        }
    }
}

pub struct Vote<'a> {
    pub voter_hash: &'a str,
    pub lang: Language,
    pub helpful: bool,
    pub reason: Option<VoteReason>,
    pub comment: Option<&'a str>,
}

/// Records or changes this browser's vote. Returns false when the article does not
/// exist or is not published.
pub async fn vote(db: &Db, slug: &str, vote: &Vote<'_>) -> sqlx::Result<bool> {
    let now = unix_now();
    let done = with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO kb_votes (article_id, voter_hash, lang, helpful, reason, comment, created_at, updated_at)
             SELECT id, $2, $3, $4, $5, $6, $7, $7 FROM kb_articles WHERE slug = $1 AND status = 'published'
             ON CONFLICT (article_id, voter_hash) DO UPDATE SET lang = excluded.lang, helpful = excluded.helpful,
                 reason = excluded.reason, comment = excluded.comment, updated_at = excluded.updated_at",
        )
        .bind(slug)
        .bind(vote.voter_hash)
        .bind(vote.lang.code())
        .bind(vote.helpful)
        .bind(vote.reason.map(VoteReason::as_str))
        .bind(vote.comment)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}
