//! Anonymous self-service events and the deflection count built from them.

use crate::db::Db;
use crate::{unix_now, with_pool};

pub async fn insert_event(
    db: &Db,
    session_hash: &str,
    kind: &str,
    subject: &str,
) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO self_service_events (session_hash, kind, subject, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(session_hash)
        .bind(kind)
        .bind(subject)
        .bind(unix_now())
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Since `since`: sessions that opened a suggested article, those of them that filed
/// no ticket (deflected), and all tickets filed.
pub async fn summary(db: &Db, since: i64) -> sqlx::Result<(i64, i64, i64)> {
    let (sessions, deflected): (i64, i64) = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(DISTINCT e.session_hash),
                    COUNT(DISTINCT CASE WHEN NOT EXISTS (
                        SELECT 1 FROM tickets t WHERE t.self_service_session_hash = e.session_hash
                    ) THEN e.session_hash END)
             FROM self_service_events e
             WHERE e.kind = 'suggestion_opened' AND e.created_at >= $1",
        )
        .bind(since)
        .fetch_one(pool)
        .await
    })?;
    let filed: i64 = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE created_at >= $1")
            .bind(since)
            .fetch_one(pool)
            .await
    })?;
    Ok((sessions, deflected, filed))
}
