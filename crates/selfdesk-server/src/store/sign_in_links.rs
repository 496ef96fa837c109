//! One-time sign-in links sent by email (`routes::email_sign_in`): written together
//! with the email that carries them, used once, counted per address.

use crate::db::Db;
use crate::outbox::store::NewEmail;
use crate::with_pool;

/// How long a link signs someone in.
pub const LIFETIME_SECS: i64 = 15 * 60;
/// Links sent to one address are counted over this long.
pub const WINDOW_SECS: i64 = 60 * 60;
/// Links one address gets within the window; asking for more is refused.
pub const MAX_PER_ADDRESS: i64 = 5;

/// A link to write, by the SHA-256 of its token.
pub struct NewLink<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub return_to: &'a str,
    pub now: i64,
}

/// Keeps the link and writes its email to the outbox in one transaction: a link
/// nobody was sent is never kept, and an email's link always works.
pub async fn insert_with_email(db: &Db, link: &NewLink<'_>, email: &NewEmail) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO requester_sign_in_links
                     (token_hash, email, return_to, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(link.token_hash)
            .bind(link.email)
            .bind(link.return_to)
            .bind(link.now)
            .bind(link.now + LIFETIME_SECS)
            .execute(&mut *tx)
            .await?;
            crate::outbox_enqueue!(tx, None::<i64>, email)?;
            tx.commit().await
        }
        .await
    })
}

/// How many links were sent to `email` since `since`, used or not, and when the
/// oldest of them was.
pub async fn sent_since(db: &Db, email: &str, since: i64) -> sqlx::Result<(i64, Option<i64>)> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at) FROM requester_sign_in_links
             WHERE email = $1 AND created_at > $2",
        )
        .bind(email)
        .bind(since)
        .fetch_one(pool)
        .await
    })
}

/// What a link was worth when it came back.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    /// Unused and in time: now used. The address it was sent to and where to go.
    Valid {
        email: String,
        return_to: String,
    },
    /// Used before (by this person in another tab, or by whoever else has the email).
    Used,
    Expired,
    /// Never sent, or sent so long ago that it is gone.
    Unknown,
}

/// Uses a link: only the first use of an unexpired link signs in. The update is the
/// check, so two uses at once cannot both win.
pub async fn take(db: &Db, token_hash: &str, now: i64) -> sqlx::Result<Taken> {
    let won: Option<(String, String)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "UPDATE requester_sign_in_links SET used_at = $2
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING email, return_to",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await
    })?;
    if let Some((email, return_to)) = won {
        return Ok(Taken::Valid { email, return_to });
    }
    let seen: Option<(Option<i64>,)> = with_pool!(db, |pool| {
        sqlx::query_as("SELECT used_at FROM requester_sign_in_links WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await
    })?;
    Ok(match seen {
        None => Taken::Unknown,
        Some((Some(_),)) => Taken::Used,
        Some((None,)) => Taken::Expired,
    })
}

/// Forgets links older than the counting window (all long expired).
pub async fn prune(db: &Db, now: i64) -> sqlx::Result<u64> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM requester_sign_in_links WHERE created_at <= $1")
            .bind(now - WINDOW_SECS)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}
