//! Knowledge-base authoring storage: revisions, which revision readers see, status,
//! and what readers made of an article.
//!
//! Readers only ever read `kb_translations`; this module writes revisions beside it
//! and copies one into it (through `store::kb::upsert_translation`, which also keeps
//! the search index) when a technician publishes.

use std::collections::HashMap;

use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::kb::VoteReason;
use selfdesk_shared::kb_authoring::{
    ArticleStats, ArticleStatus, ArticleText, MAX_STATS_COMMENTS, ReasonCount, Revision,
    RevisionSummary, StaffArticleSort, StaffArticleSummary, VoteComment,
};
use selfdesk_shared::language::Language;
use selfdesk_shared::slug::Slug;
use sqlx::FromRow;

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::{unix_now, with_pool};

/// An article's shell, as staff see it.
#[derive(FromRow)]
pub struct ArticleRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub slug: Slug,
    pub category_id: i64,
    pub category: String,
    status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub views: i64,
}

impl ArticleRow {
    pub fn status(&self) -> ArticleStatus {
        // The CHECK constraint admits only the three names.
        ArticleStatus::parse(&self.status).unwrap_or(ArticleStatus::Draft)
    }
}

/// The article with this slug, whatever its status.
pub async fn article(db: &Db, slug: &str) -> sqlx::Result<Option<ArticleRow>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT a.id, a.slug, a.category_id, c.slug AS category, a.status, a.created_at,
                    a.updated_at, a.views
             FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id
             WHERE a.slug = $1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

fn join_tags(tags: &[String]) -> String {
    tags.join(", ")
}

fn split_tags(tags: &str) -> Vec<String> {
    tags.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Inserts the next revision of one language, but only while the newest is still
/// `base` (0: none yet). One statement, so the check and the insert cannot be split by
/// another save; two saves racing past the check collide on the UNIQUE constraint.
/// Evaluates to the new revision's number, or `None` when `base` is stale.
const INSERT_REVISION: &str = "INSERT INTO kb_revisions
        (article_id, lang, number, title, summary, body, tags, category_id, author_id, restored_from, created_at)
    SELECT $1, $2, COALESCE(MAX(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10
    FROM kb_revisions WHERE article_id = $1 AND lang = $2
    HAVING COALESCE(MAX(number), 0) = $11
    RETURNING number";

macro_rules! insert_revision {
    ($executor:expr, $new:expr) => {{
        let new: &NewRevision<'_> = $new;
        let inserted: sqlx::Result<Option<i64>> = sqlx::query_scalar(INSERT_REVISION)
            .bind(new.article_id)
            .bind(new.text.lang.code())
            .bind(&new.text.title)
            .bind(&new.text.summary)
            .bind(&new.text.body)
            .bind(join_tags(&new.text.tags))
            .bind(new.category_id)
            .bind(new.author_id)
            .bind(new.restored_from)
            .bind(new.created_at)
            .bind(new.base)
            .fetch_optional($executor)
            .await;
        match inserted {
            Err(err) if super::is_unique_violation(&err) => Ok(None),
            other => other,
        }
    }};
}

pub struct NewRevision<'a> {
    pub article_id: i64,
    pub text: &'a ArticleText,
    pub category_id: i64,
    pub author_id: Option<i64>,
    pub restored_from: Option<i64>,
    /// The newest revision the author started from; 0 when the language had none.
    pub base: i64,
    pub created_at: i64,
}

/// Saves a revision; `None` when someone saved a newer one than `base` meanwhile.
pub async fn insert_revision(db: &Db, new: &NewRevision<'_>) -> sqlx::Result<Option<i64>> {
    with_pool!(db, |pool| insert_revision!(pool, new))
}

/// Creates a draft article with its first revision, in one transaction.
pub async fn create_article(
    db: &Db,
    slug: &str,
    category_id: i64,
    text: &ArticleText,
    author_id: i64,
) -> ApiResult<i64> {
    insert_article(db, slug, category_id, text, author_id)
        .await
        .map_err(slug_conflict)
}

async fn insert_article(
    db: &Db,
    slug: &str,
    category_id: i64,
    text: &ArticleText,
    author_id: i64,
) -> sqlx::Result<i64> {
    let now = unix_now();
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kb_articles (slug, category_id, status, created_at, updated_at)
             VALUES ($1, $2, 'draft', $3, $3) RETURNING id",
        )
        .bind(slug)
        .bind(category_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let new = NewRevision {
            article_id: id,
            text,
            category_id,
            author_id: Some(author_id),
            restored_from: None,
            base: 0,
            created_at: now,
        };
        // A brand-new article has no revisions, so this cannot be refused.
        insert_revision!(&mut *tx, &new)?;
        tx.commit().await?;
        Ok(id)
    })
}

/// A UNIQUE violation on `kb_articles` can only be the slug.
fn slug_conflict(err: sqlx::Error) -> ApiError {
    if super::is_unique_violation(&err) {
        slug_taken()
    } else {
        err.into()
    }
}

fn slug_taken() -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        "Another article already uses this slug",
    )
    .with_field("slug")
    .with_reason(selfdesk_shared::error::Reason::Duplicate)
}

/// Gives text that predates revisions (seeded or imported articles, written straight
/// into `kb_translations`) its revision 1, recorded as the published one, so that its
/// history is never empty. Called before any revision is read or written; costs one
/// read when there is nothing to do, and racing callers insert once.
pub async fn adopt_published_text(db: &Db, article_id: i64) -> sqlx::Result<()> {
    let missing: i64 = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM kb_translations t WHERE t.article_id = $1
               AND NOT EXISTS (SELECT 1 FROM kb_revisions r WHERE r.article_id = t.article_id AND r.lang = t.lang)",
        )
        .bind(article_id)
        .fetch_one(pool)
        .await
    })?;
    if missing == 0 {
        return Ok(());
    }
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        // Publications first: the NOT EXISTS still tells which languages are adopted.
        sqlx::query(
            "INSERT INTO kb_publications (article_id, lang, revision, published_at)
             SELECT t.article_id, t.lang, 1, t.updated_at FROM kb_translations t
             WHERE t.article_id = $1
               AND NOT EXISTS (SELECT 1 FROM kb_revisions r WHERE r.article_id = t.article_id AND r.lang = t.lang)
             ON CONFLICT (article_id, lang) DO NOTHING",
        )
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO kb_revisions (article_id, lang, number, title, summary, body, tags, category_id, created_at)
             SELECT t.article_id, t.lang, 1, t.title, t.summary, t.body, t.tags, a.category_id, t.updated_at
             FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id
             WHERE t.article_id = $1
               AND NOT EXISTS (SELECT 1 FROM kb_revisions r WHERE r.article_id = t.article_id AND r.lang = t.lang)
             ON CONFLICT (article_id, lang, number) DO NOTHING",
        )
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })
}

#[derive(FromRow)]
struct RevisionRow {
    number: i64,
    lang: String,
    title: String,
    summary: String,
    body: String,
    tags: String,
    category_id: i64,
    category: String,
    author_id: Option<i64>,
    author_name: Option<String>,
    created_at: i64,
    restored_from: Option<i64>,
}

impl RevisionRow {
    fn into_stored(self) -> StoredRevision {
        StoredRevision {
            category_id: self.category_id,
            revision: Revision {
                number: self.number,
                lang: Language::from_tag(&self.lang).unwrap_or(Language::En),
                title: self.title,
                summary: self.summary,
                body: self.body,
                tags: split_tags(&self.tags),
                category: self.category,
                author_id: self.author_id,
                author_name: self.author_name,
                created_at: self.created_at,
                restored_from: self.restored_from,
            },
        }
    }
}

pub struct StoredRevision {
    pub revision: Revision,
    pub category_id: i64,
}

impl StoredRevision {
    /// The revision's content, for restoring or publishing it.
    pub fn text(&self) -> ArticleText {
        let r = &self.revision;
        ArticleText {
            lang: r.lang,
            title: r.title.clone(),
            summary: r.summary.clone(),
            body: r.body.clone(),
            tags: r.tags.clone(),
            category: r.category.clone(),
        }
    }
}

const REVISION_COLUMNS: &str =
    "r.number, r.lang, r.title, r.summary, r.body, r.tags, r.category_id,
    c.slug AS category, r.author_id, s.display_name AS author_name, r.created_at, r.restored_from
    FROM kb_revisions r JOIN kb_categories c ON c.id = r.category_id
    LEFT JOIN staff s ON s.id = r.author_id";

pub async fn revision(
    db: &Db,
    article_id: i64,
    lang: Language,
    number: i64,
) -> sqlx::Result<Option<StoredRevision>> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} WHERE r.article_id = $1 AND r.lang = $2 AND r.number = $3"
    );
    let row: Option<RevisionRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(article_id)
            .bind(lang.code())
            .bind(number)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(RevisionRow::into_stored))
}

/// The newest revision of each language, in `Language::ALL` order.
pub async fn latest_revisions(db: &Db, article_id: i64) -> sqlx::Result<Vec<Revision>> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} WHERE r.article_id = $1
           AND r.number = (SELECT MAX(x.number) FROM kb_revisions x WHERE x.article_id = r.article_id AND x.lang = r.lang)"
    );
    let rows: Vec<RevisionRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql).bind(article_id).fetch_all(pool).await
    })?;
    let mut revisions: Vec<Revision> = rows.into_iter().map(|r| r.into_stored().revision).collect();
    revisions.sort_by_key(|r| Language::ALL.iter().position(|l| *l == r.lang));
    Ok(revisions)
}

/// The newest revision number of one language; 0 when it has none.
pub async fn latest_number(db: &Db, article_id: i64, lang: Language) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) FROM kb_revisions WHERE article_id = $1 AND lang = $2",
        )
        .bind(article_id)
        .bind(lang.code())
        .fetch_one(pool)
        .await
    })
}

/// One language's history, newest first.
pub async fn history(
    db: &Db,
    article_id: i64,
    lang: Language,
) -> sqlx::Result<Vec<RevisionSummary>> {
    type Row = (
        i64,
        String,
        String,
        Option<i64>,
        Option<String>,
        i64,
        Option<i64>,
    );
    let rows: Vec<Row> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT r.number, r.title, c.slug, r.author_id, s.display_name, r.created_at, r.restored_from
             FROM kb_revisions r JOIN kb_categories c ON c.id = r.category_id
             LEFT JOIN staff s ON s.id = r.author_id
             WHERE r.article_id = $1 AND r.lang = $2
             ORDER BY r.number DESC",
        )
        .bind(article_id)
        .bind(lang.code())
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(number, title, category, author_id, author_name, created_at, restored_from)| {
                RevisionSummary {
                    number,
                    lang,
                    title,
                    category,
                    author_id,
                    author_name,
                    created_at,
                    restored_from,
                }
            },
        )
        .collect())
}

pub struct Publication {
    pub lang: Language,
    pub revision: i64,
    pub published_at: i64,
}

/// Which revision readers see, per language.
pub async fn publications(db: &Db, article_id: i64) -> sqlx::Result<Vec<Publication>> {
    let rows: Vec<(String, i64, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT lang, revision, published_at FROM kb_publications WHERE article_id = $1",
        )
        .bind(article_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(lang, revision, published_at)| {
            Some(Publication {
                lang: Language::from_tag(&lang)?,
                revision,
                published_at,
            })
        })
        .collect())
}

/// Records what was just copied into `kb_translations` and makes the article
/// published, in the revision's category. `updated_at` tells watchers that readers'
/// view changed; the other languages' `updated_at` moves too when the article
/// reappears or changes category, since their pages change with it.
pub async fn record_publication(
    db: &Db,
    article: &ArticleRow,
    lang: Language,
    revision: &StoredRevision,
    staff_id: i64,
) -> sqlx::Result<()> {
    let now = unix_now();
    let whole_article_changes =
        article.status() != ArticleStatus::Published || article.category_id != revision.category_id;
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO kb_publications (article_id, lang, revision, published_by, published_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (article_id, lang) DO UPDATE SET revision = excluded.revision,
                 published_by = excluded.published_by, published_at = excluded.published_at",
        )
        .bind(article.id)
        .bind(lang.code())
        .bind(revision.revision.number)
        .bind(staff_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE kb_articles SET status = 'published', category_id = $2, updated_at = $3 WHERE id = $1",
        )
        .bind(article.id)
        .bind(revision.category_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if whole_article_changes {
            sqlx::query("UPDATE kb_translations SET updated_at = $2 WHERE article_id = $1")
                .bind(article.id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

/// How many languages readers could see.
pub async fn published_language_count(db: &Db, article_id: i64) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM kb_translations WHERE article_id = $1")
            .bind(article_id)
            .fetch_one(pool)
            .await
    })
}

/// Sets the status and marks the article and all its translations as changed for
/// readers (they appear or disappear).
pub async fn set_status(db: &Db, article_id: i64, status: ArticleStatus) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE kb_articles SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(article_id)
            .bind(status.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE kb_translations SET updated_at = $2 WHERE article_id = $1")
            .bind(article_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })
}

/// Gives the article a new slug (its readers' URL); 409 when another article has it.
pub async fn rename(db: &Db, article_id: i64, slug: &str) -> ApiResult<()> {
    write_slug(db, article_id, slug)
        .await
        .map_err(slug_conflict)
}

async fn write_slug(db: &Db, article_id: i64, slug: &str) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE kb_articles SET slug = $2, updated_at = $3 WHERE id = $1")
            .bind(article_id)
            .bind(slug)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE kb_translations SET updated_at = $2 WHERE article_id = $1")
            .bind(article_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })
}

#[derive(FromRow)]
struct ListRow {
    id: i64,
    #[sqlx(try_from = "String")]
    slug: Slug,
    title: String,
    category: String,
    status: String,
    updated_at: i64,
    last_edited_at: i64,
    views: i64,
    helpful: i64,
    not_helpful: i64,
}

/// Every article (or those in one status) with its reader numbers.
pub async fn list(
    db: &Db,
    status: Option<ArticleStatus>,
    sort: StaffArticleSort,
) -> sqlx::Result<Vec<StaffArticleSummary>> {
    // Fixed text per enum value: nothing from a request becomes SQL.
    let order = match sort {
        StaffArticleSort::UpdatedAt => "a.updated_at DESC",
        StaffArticleSort::LastEditedAt => "last_edited_at DESC",
        StaffArticleSort::Views => "a.views DESC",
        StaffArticleSort::NotHelpful => "not_helpful DESC",
    };
    let sql = format!(
        "SELECT a.id, a.slug, c.slug AS category, a.status, a.updated_at, a.views,
             COALESCE((SELECT MAX(r.created_at) FROM kb_revisions r WHERE r.article_id = a.id), a.updated_at)
                 AS last_edited_at,
             (SELECT COUNT(*) FROM kb_votes v WHERE v.article_id = a.id AND v.helpful) AS helpful,
             (SELECT COUNT(*) FROM kb_votes v WHERE v.article_id = a.id AND NOT v.helpful) AS not_helpful,
             COALESCE(
                 (SELECT r.title FROM kb_revisions r WHERE r.article_id = a.id
                  ORDER BY CASE WHEN r.lang = 'en' THEN 0 ELSE 1 END, r.lang, r.number DESC LIMIT 1),
                 (SELECT t.title FROM kb_translations t WHERE t.article_id = a.id
                  ORDER BY CASE WHEN t.lang = 'en' THEN 0 ELSE 1 END, t.lang LIMIT 1),
                 a.slug) AS title
         FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id
         WHERE ($1 = '' OR a.status = $1)
         ORDER BY {order}, a.id DESC"
    );
    let rows: Vec<ListRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(status.map_or("", ArticleStatus::as_str))
            .fetch_all(pool)
            .await
    })?;
    // Languages of all articles in two small queries, rather than two per article.
    let written: Vec<(i64, String)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT article_id, lang FROM kb_revisions UNION SELECT article_id, lang FROM kb_translations",
        )
        .fetch_all(pool)
        .await
    })?;
    let published: Vec<(i64, String)> = with_pool!(db, |pool| {
        sqlx::query_as("SELECT article_id, lang FROM kb_translations")
            .fetch_all(pool)
            .await
    })?;
    let by_article = |pairs: Vec<(i64, String)>| {
        let mut map: HashMap<i64, Vec<Language>> = HashMap::new();
        for (id, lang) in pairs {
            if let Some(lang) = Language::from_tag(&lang) {
                map.entry(id).or_default().push(lang);
            }
        }
        for langs in map.values_mut() {
            langs.sort_by_key(|l| Language::ALL.iter().position(|x| x == l));
            langs.dedup();
        }
        map
    };
    let mut written = by_article(written);
    let mut published = by_article(published);
    Ok(rows
        .into_iter()
        .map(|row| StaffArticleSummary {
            languages: written.remove(&row.id).unwrap_or_default(),
            published_languages: published.remove(&row.id).unwrap_or_default(),
            status: ArticleStatus::parse(&row.status).unwrap_or(ArticleStatus::Draft),
            slug: row.slug,
            title: row.title,
            category: row.category,
            updated_at: row.updated_at,
            last_edited_at: row.last_edited_at,
            views: row.views,
            helpful: row.helpful,
            not_helpful: row.not_helpful,
        })
        .collect())
}

/// Views and votes: counts, "did not help" reasons, and the newest comments.
pub async fn stats(db: &Db, article: &ArticleRow) -> sqlx::Result<ArticleStats> {
    let (helpful, not_helpful): (i64, i64) = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM kb_votes WHERE article_id = $1 AND helpful),
                    (SELECT COUNT(*) FROM kb_votes WHERE article_id = $1 AND NOT helpful)",
        )
        .bind(article.id)
        .fetch_one(pool)
        .await
    })?;
    let reasons: Vec<(String, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT reason, COUNT(*) FROM kb_votes
             WHERE article_id = $1 AND NOT helpful AND reason IS NOT NULL
             GROUP BY reason ORDER BY COUNT(*) DESC, reason",
        )
        .bind(article.id)
        .fetch_all(pool)
        .await
    })?;
    let comments: Vec<(String, Option<String>, String, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT lang, reason, comment, updated_at FROM kb_votes
             WHERE article_id = $1 AND NOT helpful AND comment IS NOT NULL
             ORDER BY updated_at DESC, voter_hash LIMIT $2",
        )
        .bind(article.id)
        .bind(MAX_STATS_COMMENTS as i64)
        .fetch_all(pool)
        .await
    })?;
    Ok(ArticleStats {
        slug: article.slug.clone(),
        status: article.status(),
        updated_at: article.updated_at,
        views: article.views,
        helpful,
        not_helpful,
        reasons: reasons
            .into_iter()
            .filter_map(|(reason, count)| {
                Some(ReasonCount {
                    reason: parse_reason(&reason)?,
                    count,
                })
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|(lang, reason, comment, at)| VoteComment {
                lang: Language::from_tag(&lang).unwrap_or(Language::En),
                reason: reason.as_deref().and_then(parse_reason),
                comment,
                at,
            })
            .collect(),
    })
}

fn parse_reason(value: &str) -> Option<VoteReason> {
    [
        VoteReason::Outdated,
        VoteReason::DidNotWork,
        VoteReason::HardToFollow,
        VoteReason::Other,
    ]
    .into_iter()
    .find(|r| r.as_str() == value)
}
