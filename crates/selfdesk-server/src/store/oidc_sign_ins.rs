//! Sign-ins sent to the OpenID provider and not yet back. In the database rather than
//! in memory, so the provider may send the browser back to any replica.

use sqlx::FromRow;

use crate::db::Db;
use crate::{unix_now, with_pool};

/// Long enough to type a password and answer a second factor; short enough that a
/// leaked `state` is soon worthless.
pub const LIFETIME_SECS: i64 = 10 * 60;

#[derive(Debug, Clone, FromRow)]
pub struct PendingSignIn {
    /// `requester` or `staff`: which session the sign-in ends in.
    pub purpose: String,
    /// SHA-256 of the token in the browser's binding cookie.
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
}

pub async fn insert(db: &Db, state_hash: &str, pending: &PendingSignIn) -> sqlx::Result<()> {
    let now = unix_now();
    with_pool!(db, |pool| {
        // Abandoned sign-ins go here, so the table never grows.
        sqlx::query("DELETE FROM oidc_sign_ins WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await?;
        sqlx::query(
            "INSERT INTO oidc_sign_ins
                 (state_hash, purpose, browser_hash, nonce, pkce_verifier, return_to, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(state_hash)
        .bind(&pending.purpose)
        .bind(&pending.browser_hash)
        .bind(&pending.nonce)
        .bind(&pending.pkce_verifier)
        .bind(&pending.return_to)
        .bind(now + LIFETIME_SECS)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The sign-in started with this `state`, removed as it is read: a `state` works once,
/// whichever replica sees it first and however the rest of the callback goes.
pub async fn take(db: &Db, state_hash: &str) -> sqlx::Result<Option<PendingSignIn>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "DELETE FROM oidc_sign_ins WHERE state_hash = $1 AND expires_at > $2
             RETURNING purpose, browser_hash, nonce, pkce_verifier, return_to",
        )
        .bind(state_hash)
        .bind(unix_now())
        .fetch_optional(pool)
        .await
    })
}
