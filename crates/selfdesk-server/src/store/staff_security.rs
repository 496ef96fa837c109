//! A staff account's own security: its password, two-factor secret and recovery
//! codes, and the one-time links an admin issues to choose a new password.

use crate::db::Db;
use crate::outbox::store::NewEmail;
use crate::with_pool;

/// How long an admin's password-reset link works: a working day, so that it still
/// works when the colleague reads the email or gets the link handed over.
pub const RESET_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// Inside a transaction `tx` of either database: the account's recovery codes become
/// `hashes` (the old ones stop working).
macro_rules! replace_codes {
    ($tx:ident, $staff_id:expr, $hashes:expr) => {
        sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1")
            .bind($staff_id)
            .execute(&mut *$tx)
            .await?;
        for hash in $hashes {
            sqlx::query("INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)")
                .bind($staff_id)
                .bind(hash)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

/// The account's two-factor standing.
pub struct TwoFactor {
    pub secret: Option<String>,
    pub pending_secret: Option<String>,
    pub last_step: i64,
}

pub async fn two_factor(db: &Db, staff_id: i64) -> sqlx::Result<Option<TwoFactor>> {
    let row: Option<(Option<String>, Option<String>, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT totp_secret, totp_pending_secret, totp_last_step FROM staff WHERE id = $1",
        )
        .bind(staff_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(secret, pending_secret, last_step)| TwoFactor {
        secret,
        pending_secret,
        last_step,
    }))
}

pub async fn set_pending_secret(db: &Db, staff_id: i64, secret: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("UPDATE staff SET totp_pending_secret = $2 WHERE id = $1")
            .bind(staff_id)
            .bind(secret)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Puts the pending secret in use, with fresh recovery codes, if it is still the one
/// the code was checked against (a second set-up in another tab replaces it) and
/// two-factor sign-in is not on already (replacing the app needs turning it off, with
/// the password). The session `keep` counts as having given a code; the account's
/// other sessions, which did not, end.
pub async fn confirm_secret(
    db: &Db,
    staff_id: i64,
    secret: &str,
    step: i64,
    code_hashes: &[String],
    keep: &str,
) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE staff SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                     totp_last_step = $3
                 WHERE id = $1 AND totp_pending_secret = $2 AND totp_secret IS NULL",
            )
            .bind(staff_id)
            .bind(secret)
            .bind(step)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done != 1 {
                return Ok(false);
            }
            replace_codes!(tx, staff_id, code_hashes);
            sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1 AND token_hash <> $2")
                .bind(staff_id)
                .bind(keep)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE staff_sessions SET method = $2 WHERE token_hash = $1")
                .bind(keep)
                .bind(super::sessions::SignInMethod::PasswordAndCode.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        }
        .await
    })
}

pub async fn turn_off(db: &Db, staff_id: i64) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE staff SET totp_secret = NULL, totp_pending_secret = NULL WHERE id = $1",
            )
            .bind(staff_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await
    })
}

pub async fn replace_recovery_codes(
    db: &Db,
    staff_id: i64,
    code_hashes: &[String],
) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            replace_codes!(tx, staff_id, code_hashes);
            tx.commit().await
        }
        .await
    })
}

pub async fn recovery_codes_left(db: &Db, staff_id: i64) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff_recovery_codes WHERE staff_id = $1 AND used_at IS NULL",
        )
        .bind(staff_id)
        .fetch_one(pool)
        .await
    })
}

/// Records `step` as the last code used, unless a code of this or a later step was
/// used already: the update is the check, so one code cannot sign in twice at once.
pub async fn use_step(db: &Db, staff_id: i64, step: i64) -> sqlx::Result<bool> {
    let done = with_pool!(db, |pool| {
        sqlx::query("UPDATE staff SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2")
            .bind(staff_id)
            .bind(step)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Uses a recovery code: only its first use counts.
pub async fn use_recovery_code(
    db: &Db,
    staff_id: i64,
    code_hash: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE staff_recovery_codes SET used_at = $3
             WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(staff_id)
        .bind(code_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn password_hash(db: &Db, staff_id: i64) -> sqlx::Result<Option<String>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_optional(pool)
            .await
    })
}

/// A new password; every session of the account but `keep` (the one that changed
/// it) ends, and reset links not used yet stop working, in the same transaction.
pub async fn set_password(
    db: &Db,
    staff_id: i64,
    hash: &str,
    keep: Option<&str>,
) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
                .bind(staff_id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1 AND token_hash <> $2")
                .bind(staff_id)
                .bind(keep.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM staff_password_resets WHERE staff_id = $1 AND used_at IS NULL",
            )
            .bind(staff_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }
        .await
    })
}

/// A reset link to keep, by the SHA-256 of its token.
pub struct NewReset<'a> {
    pub token_hash: &'a str,
    pub staff_id: i64,
    pub issued_by: i64,
    pub now: i64,
}

/// Keeps the link (and writes its email to the outbox in the same transaction, when
/// it is emailed). Earlier unused links for the account stop working: the newest
/// link is the one the admin just passed on.
pub async fn insert_reset(
    db: &Db,
    reset: &NewReset<'_>,
    email: Option<&NewEmail>,
) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "DELETE FROM staff_password_resets WHERE staff_id = $1 AND used_at IS NULL",
            )
            .bind(reset.staff_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO staff_password_resets
                     (token_hash, staff_id, issued_by, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(reset.token_hash)
            .bind(reset.staff_id)
            .bind(reset.issued_by)
            .bind(reset.now)
            .bind(reset.now + RESET_LIFETIME_SECS)
            .execute(&mut *tx)
            .await?;
            if let Some(email) = email {
                crate::outbox_enqueue!(tx, None::<i64>, email)?;
            }
            tx.commit().await
        }
        .await
    })
}

/// What a reset link was worth when it came back.
#[derive(Debug, PartialEq, Eq)]
pub enum ResetOutcome {
    /// The password is set and every session of the account has ended.
    Done {
        staff_id: i64,
    },
    Used,
    Expired,
    /// Never issued, replaced by a newer link, or its account is deactivated.
    Unknown,
}

/// Uses a link to set a new password: the link's first use only, in time, for an
/// active account. Taking the link, setting the password and ending the account's
/// sessions are one transaction.
pub async fn reset_password(
    db: &Db,
    token_hash: &str,
    new_hash: &str,
    now: i64,
) -> sqlx::Result<ResetOutcome> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let taken: Option<i64> = sqlx::query_scalar(
                "UPDATE staff_password_resets SET used_at = $2
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                   AND staff_id IN (SELECT id FROM staff WHERE active)
                 RETURNING staff_id",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(staff_id) = taken else {
                let row: Option<(Option<i64>, i64, bool)> = sqlx::query_as(
                    "SELECT r.used_at, r.expires_at, m.active FROM staff_password_resets r
                     JOIN staff m ON m.id = r.staff_id WHERE r.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
                return Ok(match row {
                    Some((Some(_), _, _)) => ResetOutcome::Used,
                    Some((None, _, true)) => ResetOutcome::Expired,
                    _ => ResetOutcome::Unknown,
                });
            };
            sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
                .bind(staff_id)
                .bind(new_hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(ResetOutcome::Done { staff_id })
        }
        .await
    })
}
