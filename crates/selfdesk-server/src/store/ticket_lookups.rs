//! Lookups of a ticket by number and email address: the per-number allowance and the
//! match itself (see `routes::ticket_lookup`).

use selfdesk_shared::language::Language;
use sqlx::FromRow;

use crate::db::Db;
use crate::with_pool;

/// Records a lookup of `number` at `now`, unless `limit` lookups of it already fall
/// after `since`. Check and insert are one statement, so two replicas cannot both
/// take the last lookup left. `Ok(None)` when recorded; `Ok(Some(oldest))` when
/// refused, with the time of the oldest lookup still counted (the window reopens
/// when it leaves).
pub async fn try_record(
    db: &Db,
    number: &str,
    now: i64,
    since: i64,
    limit: i64,
) -> sqlx::Result<Option<i64>> {
    let recorded = with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO ticket_lookups (number, requested_at)
             SELECT $1, $2
             WHERE (SELECT COUNT(*) FROM ticket_lookups WHERE number = $1 AND requested_at > $3) < $4",
        )
        .bind(number)
        .bind(now)
        .bind(since)
        .bind(limit)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    if recorded == 1 {
        return Ok(None);
    }
    let oldest: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT MIN(requested_at) FROM ticket_lookups WHERE number = $1 AND requested_at > $2",
        )
        .bind(number)
        .bind(since)
        .fetch_one(pool)
        .await
    })?;
    Ok(Some(oldest.unwrap_or(now)))
}

/// Forgets lookups that no longer count.
pub async fn prune_before(db: &Db, before: i64) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM ticket_lookups WHERE requested_at <= $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// What the new-link email needs of a matched ticket.
#[derive(Debug, Clone)]
pub struct Matched {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub language: Language,
    pub requester_name: String,
    pub requester_email: String,
}

#[derive(FromRow)]
struct MatchedRow {
    id: i64,
    number: String,
    subject: String,
    language: String,
    requester_name: String,
    requester_email: String,
}

/// The ticket `number` if it was filed with `email` (lower-cased, as filing stores it).
pub async fn find(db: &Db, number: &str, email: &str) -> sqlx::Result<Option<Matched>> {
    let row: Option<MatchedRow> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, number, subject, language, requester_name, requester_email
             FROM tickets WHERE number = $1 AND requester_email = $2",
        )
        .bind(number)
        .bind(email)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|r| Matched {
        id: r.id,
        number: r.number,
        subject: r.subject,
        language: Language::from_tag(&r.language).unwrap_or(Language::En),
        requester_name: r.requester_name,
        requester_email: r.requester_email,
    }))
}
