//! Flows, their published versions, and the anonymous walks through them.

use selfdesk_shared::flows::api::{ABANDONED_AFTER_SECS, NodeStats, StaffFlowListItem, WalkReport};
use selfdesk_shared::flows::{Flow, Text};
use selfdesk_shared::kb::FlowHit;
use selfdesk_shared::slug::Slug;
use sqlx::FromRow;

use crate::db::Db;
use crate::{unix_now, with_pool};

#[derive(Debug, FromRow)]
pub struct FlowRow {
    #[sqlx(try_from = "String")]
    pub slug: Slug,
    pub draft_source: Option<String>,
    pub draft_saved_at: Option<i64>,
    pub published_version: Option<i64>,
}

pub async fn get(db: &Db, slug: &str) -> sqlx::Result<Option<FlowRow>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT slug, draft_source, draft_saved_at, published_version FROM flows
             WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

/// A published version's source and parsed body (JSON).
pub async fn version(db: &Db, slug: &str, version: i64) -> sqlx::Result<Option<(String, String)>> {
    with_pool!(db, |pool| {
        sqlx::query_as("SELECT source, body FROM flow_versions WHERE slug = $1 AND version = $2")
            .bind(slug)
            .bind(version)
            .fetch_optional(pool)
            .await
    })
}

/// The live version of a flow, as JSON.
pub async fn published_body(db: &Db, slug: &str) -> sqlx::Result<Option<String>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT v.body FROM flows f
             JOIN flow_versions v ON v.slug = f.slug AND v.version = f.published_version
             WHERE f.slug = $1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

/// Every live flow, parsed; a body that no longer parses (written by a newer
/// server) is left out rather than failing the list.
pub async fn published(db: &Db) -> sqlx::Result<Vec<Flow>> {
    let bodies: Vec<String> = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT v.body FROM flows f
             JOIN flow_versions v ON v.slug = f.slug AND v.version = f.published_version
             ORDER BY f.slug",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(bodies
        .iter()
        .filter_map(|b| serde_json::from_str(b).ok())
        .collect())
}

/// A flow as the portal lists it: where it starts and its title in `lang`.
/// `None` for a flow whose slug is not one (publishing checks it, so none is).
pub fn list_item(flow: &Flow, lang: selfdesk_shared::language::Language) -> Option<FlowHit> {
    Some(FlowHit {
        slug: Slug::parse(&flow.slug).ok()?,
        title: flow.title.resolve(lang).to_owned(),
    })
}

/// Saves a draft, creating the flow if it is new. `title` is the draft's English
/// title when it parses (kept for the staff list), else the one already stored.
pub async fn save_draft(
    db: &Db,
    slug: &str,
    source: &str,
    title: Option<&str>,
    staff_id: i64,
) -> sqlx::Result<i64> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO flows (slug, title, draft_source, draft_saved_at, draft_saved_by,
                                published_version, created_at, updated_at)
             VALUES ($1, COALESCE($2, $1), $3, $4, $5, NULL, $4, $4)
             ON CONFLICT (slug) DO UPDATE SET
                title = COALESCE($2, flows.title), draft_source = $3, draft_saved_at = $4,
                draft_saved_by = $5, updated_at = $4",
        )
        .bind(slug)
        .bind(title)
        .bind(source)
        .bind(now)
        .bind(staff_id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(now)
}

/// Drops the draft: the editor shows the published version again.
pub async fn discard_draft(db: &Db, slug: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE flows SET draft_source = NULL, draft_saved_at = NULL, draft_saved_by = NULL
             WHERE slug = $1 AND published_version IS NOT NULL",
        )
        .bind(slug)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Publishes `flow` (already checked) as the next version, from `source`, in one
/// transaction; the draft is cleared. Returns the version number. A second publish
/// racing this one fails on the primary key rather than overwriting it.
pub async fn publish(
    db: &Db,
    flow: &Flow,
    source: &str,
    staff_id: Option<i64>,
) -> sqlx::Result<i64> {
    let now = unix_now();
    let title = flow.title.resolve(selfdesk_shared::language::Language::En);
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO flows (slug, title, published_version, created_at, updated_at)
                 VALUES ($1, $2, NULL, $3, $3)
                 ON CONFLICT (slug) DO NOTHING",
            )
            .bind(&flow.slug)
            .bind(title)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let current: Option<i64> =
                sqlx::query_scalar("SELECT MAX(version) FROM flow_versions WHERE slug = $1")
                    .bind(&flow.slug)
                    .fetch_one(&mut *tx)
                    .await?;
            let version = current.unwrap_or(0) + 1;
            let mut versioned = flow.clone();
            versioned.version = version;
            let body = serde_json::to_string(&versioned).expect("flows serialise");
            sqlx::query(
                "INSERT INTO flow_versions (slug, version, source, body, published_at, published_by)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&flow.slug)
            .bind(version)
            .bind(source)
            .bind(&body)
            .bind(now)
            .bind(staff_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE flows SET published_version = $2, title = $3, draft_source = NULL,
                    draft_saved_at = NULL, draft_saved_by = NULL, updated_at = $4
                 WHERE slug = $1",
            )
            .bind(&flow.slug)
            .bind(version)
            .bind(title)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(version)
        }
        .await
    })
}

pub async fn published_article_slugs(db: &Db) -> sqlx::Result<Vec<String>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT slug FROM kb_articles WHERE status = 'published'")
            .fetch_all(pool)
            .await
    })
}

pub async fn category_slugs(db: &Db) -> sqlx::Result<Vec<String>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT slug FROM ticket_categories")
            .fetch_all(pool)
            .await
    })
}

pub async fn published_slugs(db: &Db) -> sqlx::Result<Vec<String>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT slug FROM flows WHERE published_version IS NOT NULL")
            .fetch_all(pool)
            .await
    })
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM flows")
            .fetch_one(pool)
            .await
    })
}

/// Keeps the latest report of each walk. A report never moves a finished walk back
/// to under way (a late batch arriving after the final one).
pub async fn record_walk(
    db: &Db,
    walk_hash: &str,
    session_hash: Option<&str>,
    report: &WalkReport,
) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO flow_walks (walk_hash, session_hash, flow, version, answers, node,
                                     state, started_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
             ON CONFLICT (walk_hash) DO UPDATE SET
                answers = $5, node = $6, state = $7, updated_at = $8,
                session_hash = COALESCE($2, flow_walks.session_hash)
             WHERE flow_walks.state = 'under_way' OR $7 <> 'under_way'",
        )
        .bind(walk_hash)
        .bind(session_hash)
        .bind(&report.flow)
        .bind(report.version)
        .bind(&report.answers)
        .bind(&report.node)
        .bind(report.state.as_str())
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Walks since `since`, by how they ended: (walks, resolved, tickets, abandoned).
/// A walk under way for longer than [`ABANDONED_AFTER_SECS`] counts as abandoned.
pub async fn walk_counts(db: &Db, flow: Option<&str>, since: i64) -> sqlx::Result<[i64; 4]> {
    let stale = unix_now() - ABANDONED_AFTER_SECS;
    let row: (i64, i64, i64, i64) = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN state = 'resolved' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state = 'ticket' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state = 'under_way' AND updated_at < $3
                                      THEN 1 ELSE 0 END), 0)
             FROM flow_walks WHERE started_at >= $1 AND ($2 IS NULL OR flow = $2)",
        )
        .bind(since)
        .bind(flow)
        .bind(stale)
        .fetch_one(pool)
        .await
    })?;
    Ok([row.0, row.1, row.2, row.3])
}

/// Where walks were abandoned: per node, most first.
pub async fn abandoned_by_node(db: &Db, flow: &str, since: i64) -> sqlx::Result<Vec<NodeStats>> {
    let stale = unix_now() - ABANDONED_AFTER_SECS;
    let rows: Vec<(String, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT node, COUNT(*) FROM flow_walks
             WHERE flow = $1 AND started_at >= $2 AND state = 'under_way' AND updated_at < $3
             GROUP BY node ORDER BY COUNT(*) DESC, node",
        )
        .bind(flow)
        .bind(since)
        .bind(stale)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(node, abandoned)| NodeStats { node, abandoned })
        .collect())
}

/// Walks that ended resolved in a session that filed no ticket: contacts deflected
/// by diagnostics.
pub async fn deflected_walks(db: &Db, since: i64) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM flow_walks w
             WHERE w.state = 'resolved' AND w.started_at >= $1
               AND (w.session_hash IS NULL OR NOT EXISTS (
                    SELECT 1 FROM tickets t WHERE t.self_service_session_hash = w.session_hash))",
        )
        .bind(since)
        .fetch_one(pool)
        .await
    })
}

#[derive(FromRow)]
struct StaffRow {
    #[sqlx(try_from = "String")]
    slug: Slug,
    title: String,
    published_version: Option<i64>,
    has_draft: bool,
    updated_at: i64,
}

/// Every flow for the staff list, with its walks since `since`.
pub async fn staff_list(db: &Db, since: i64) -> sqlx::Result<Vec<StaffFlowListItem>> {
    let rows: Vec<StaffRow> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT slug, title, published_version, draft_source IS NOT NULL AS has_draft,
                    updated_at
             FROM flows ORDER BY title, slug",
        )
        .fetch_all(pool)
        .await
    })?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let [walks, resolved, tickets, abandoned] =
            walk_counts(db, Some(row.slug.as_str()), since).await?;
        items.push(StaffFlowListItem {
            slug: row.slug,
            title: Text::new(row.title),
            published_version: row.published_version,
            has_draft: row.has_draft,
            updated_at: row.updated_at,
            walks,
            resolved,
            tickets,
            abandoned,
        });
    }
    Ok(items)
}
