//! Checking the second step of a staff password sign-in against the account: an
//! authenticator code (each step's code works once) or a recovery code (each works
//! once).

use crate::auth::two_factor;
use crate::db::Db;
use crate::store::staff_security;
use crate::unix_now;

/// Whether `typed` signs the account in now; a code that does is spent.
pub async fn check(db: &Db, staff_id: i64, typed: &str) -> sqlx::Result<bool> {
    let Some(standing) = staff_security::two_factor(db, staff_id).await? else {
        return Ok(false);
    };
    let Some(secret) = standing.secret else {
        return Ok(false);
    };
    let now = unix_now();
    let last = u64::try_from(standing.last_step).unwrap_or(0);
    if let Some(step) = two_factor::accepted_step(&secret, typed, now.max(0) as u64, last) {
        // Another request may have spent the same code a moment ago: the update decides.
        return staff_security::use_step(db, staff_id, step as i64).await;
    }
    match two_factor::normalised_recovery_code(typed) {
        Some(code) => {
            let hash = two_factor::recovery_code_hash(staff_id, &code);
            staff_security::use_recovery_code(db, staff_id, &hash, now).await
        }
        None => Ok(false),
    }
}
