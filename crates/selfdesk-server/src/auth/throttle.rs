//! Sign-in throttling: a slow guesser gets nowhere, a fast one gets a 429.
//!
//! An attempt is written down as a failure *before* its password is checked, and then
//! counted with everything written before it. Concurrent guesses therefore see each
//! other: of any number sent at once for one account, only the first
//! [`MAX_FAILURES_PER_ACCOUNT`] to be written get their password checked. A refused
//! attempt takes its row back, and a correct password clears the account's rows.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::store::sign_in_failures::{self, Window};
use crate::unix_now;

/// Failures are remembered this long.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Five wrong passwords for one account within the window lock it for the rest of it.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// One address may fail more often (an office behind one NAT), but not endlessly.
pub const MAX_FAILURES_PER_IP: i64 = 30;

/// An attempt written down and allowed to check its password.
pub struct Attempt {
    row: i64,
}

/// Writes the attempt down, then refuses it (taking the row back) when it is past
/// either limit, so a locked account cannot be probed further.
pub async fn begin(db: &Db, email: &str, client: &str) -> ApiResult<Attempt> {
    let now = unix_now();
    sign_in_failures::prune_before(db, now - WINDOW_SECS).await?;
    let row = sign_in_failures::record(db, email, client, now).await?;
    if let Err(refused) = over_limits(db, email, client, 1).await {
        sign_in_failures::delete(db, row).await?;
        return Err(refused);
    }
    Ok(Attempt { row })
}

/// The password was wrong: the row stays as the failure, and the attempt that used up
/// the allowance already answers 429.
pub async fn failed(db: &Db, email: &str, client: &str, _attempt: Attempt) -> ApiResult<()> {
    over_limits(db, email, client, 0).await
}

/// The password could not be checked (the server was too busy): nothing counts.
pub async fn abandon(db: &Db, attempt: Attempt) -> ApiResult<()> {
    Ok(sign_in_failures::delete(db, attempt.row).await?)
}

/// The password was right: the account's earlier typos are forgiven (not the
/// address's), this attempt's row included.
pub async fn succeeded(db: &Db, email: &str, attempt: Attempt) -> ApiResult<()> {
    sign_in_failures::delete(db, attempt.row).await?;
    Ok(sign_in_failures::clear_email(db, email).await?)
}

/// Refuses when the failures in the window, less `own` rows of this attempt, reach a
/// limit.
async fn over_limits(db: &Db, email: &str, client: &str, own: i64) -> ApiResult<()> {
    let since = unix_now() - WINDOW_SECS;
    let by_email = sign_in_failures::for_email(db, email, since).await?;
    let by_ip = sign_in_failures::for_ip(db, client, since).await?;
    refuse_if_over(by_email, MAX_FAILURES_PER_ACCOUNT + own)?;
    refuse_if_over(by_ip, MAX_FAILURES_PER_IP + own)
}

fn refuse_if_over(window: Window, limit: i64) -> ApiResult<()> {
    if window.count < limit {
        return Ok(());
    }
    let oldest = window.oldest.unwrap_or_else(unix_now);
    let retry_after = (oldest + WINDOW_SECS - unix_now()).max(1);
    Err(ApiError::rate_limited(retry_after as u64))
}
