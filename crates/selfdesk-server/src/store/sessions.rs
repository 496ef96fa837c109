//! Server-side staff sessions. The browser holds a random token; we hold its hash.

use selfdesk_shared::auth::StaffMember;

use super::staff;
use crate::db::Pool;
use crate::unix_now;

pub async fn insert(
    pool: &Pool,
    token_hash: &str,
    staff_id: i64,
    ttl_secs: i64,
) -> sqlx::Result<()> {
    let now = unix_now();
    sqlx::query("INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(staff_id)
        .bind(now)
        .bind(now + ttl_secs)
        .execute(pool)
        .await?;
    Ok(())
}

/// The active staff member owning an unexpired session, if any.
pub async fn staff_for(pool: &Pool, token_hash: &str) -> sqlx::Result<Option<StaffMember>> {
    let staff_id: Option<i64> = sqlx::query_scalar(
        "SELECT s.staff_id FROM staff_sessions s JOIN staff m ON m.id = s.staff_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND m.active",
    )
    .bind(token_hash)
    .bind(unix_now())
    .fetch_optional(pool)
    .await?;
    match staff_id {
        Some(id) => staff::get(pool, id).await,
        None => Ok(None),
    }
}

pub async fn delete(pool: &Pool, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_expired(pool: &Pool) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= ?")
            .bind(unix_now())
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
