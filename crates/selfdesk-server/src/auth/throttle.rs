//! Sign-in throttling: a slow guesser gets nowhere, a fast one gets a 429.

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

/// Refuses the attempt outright when either limit is already reached, without
/// checking the password, so a locked account cannot be probed further.
pub async fn check(db: &Db, email: &str, client_ip: &str) -> ApiResult<()> {
    let since = unix_now() - WINDOW_SECS;
    let by_email = sign_in_failures::for_email(db, email, since).await?;
    let by_ip = sign_in_failures::for_ip(db, client_ip, since).await?;
    refuse_if_over(by_email, MAX_FAILURES_PER_ACCOUNT)?;
    refuse_if_over(by_ip, MAX_FAILURES_PER_IP)
}

/// Records a failure and says whether this one used up the allowance, so the attempt
/// that reaches the limit already answers 429.
pub async fn record_failure(db: &Db, email: &str, client_ip: &str) -> ApiResult<()> {
    let now = unix_now();
    sign_in_failures::prune_before(db, now - WINDOW_SECS).await?;
    sign_in_failures::record(db, email, client_ip, now).await?;
    check(db, email, client_ip).await
}

pub async fn record_success(db: &Db, email: &str) -> ApiResult<()> {
    Ok(sign_in_failures::clear_email(db, email).await?)
}

fn refuse_if_over(window: Window, limit: i64) -> ApiResult<()> {
    if window.count < limit {
        return Ok(());
    }
    let oldest = window.oldest.unwrap_or_else(unix_now);
    let retry_after = (oldest + WINDOW_SECS - unix_now()).max(1);
    Err(ApiError::rate_limited(retry_after as u64))
}
