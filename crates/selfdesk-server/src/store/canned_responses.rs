//! Canned responses (see `selfdesk_shared::canned`).

use selfdesk_shared::canned::{CannedResponse, CannedResponseInput};

use crate::db::Db;
use crate::with_pool;

type Row = (i64, String, String, Option<i64>);

fn decode((id, title, body, tier): Row) -> CannedResponse {
    CannedResponse {
        id,
        title,
        body,
        tier: tier.map(|t| t.clamp(1, 3) as u8),
    }
}

/// Every response, every-team ones first, then by team and title.
pub async fn list(db: &Db) -> sqlx::Result<Vec<CannedResponse>> {
    let rows: Vec<Row> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, title, body, tier FROM canned_responses
             ORDER BY CASE WHEN tier IS NULL THEN 0 ELSE tier END, title, id",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(decode).collect())
}

pub async fn create(
    db: &Db,
    input: &CannedResponseInput,
    now: i64,
) -> sqlx::Result<CannedResponse> {
    let row: Row = with_pool!(db, |pool| {
        sqlx::query_as(
            "INSERT INTO canned_responses (title, body, tier, updated_at) VALUES ($1, $2, $3, $4)
             RETURNING id, title, body, tier",
        )
        .bind(input.title.trim())
        .bind(&input.body)
        .bind(input.tier.map(i64::from))
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    Ok(decode(row))
}

pub async fn update(
    db: &Db,
    id: i64,
    input: &CannedResponseInput,
    now: i64,
) -> sqlx::Result<Option<CannedResponse>> {
    let row: Option<Row> = with_pool!(db, |pool| {
        sqlx::query_as(
            "UPDATE canned_responses SET title = $1, body = $2, tier = $3, updated_at = $4
             WHERE id = $5 RETURNING id, title, body, tier",
        )
        .bind(input.title.trim())
        .bind(&input.body)
        .bind(input.tier.map(i64::from))
        .bind(now)
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(decode))
}

pub async fn delete(db: &Db, id: i64) -> sqlx::Result<bool> {
    let done = with_pool!(db, |pool| {
        sqlx::query("DELETE FROM canned_responses WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done > 0)
}
