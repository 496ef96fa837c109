//! Per-client limits on what anyone may send without signing in: filings (retries
//! included: each answer carries a new token), uploads (count and bytes), requester
//! replies, stream and download grants, link replacements, votes, walk reports,
//! search reports, self-service events, link lookups, "already reported?" checks,
//! "affects me too" and sign-ins started with the organisation's provider.
//!
//! Mail read from the help desk's mailbox counts against the same allowances for
//! filings and replies, per sender address instead of per client (`mail_in`).
//!
//! Counters live in the database (`rate_counters`), one row per action, client and
//! hour, so every replica counts against the same allowance. Taking one is a single
//! upsert whose update only happens while the allowance lasts, so concurrent requests
//! can never overshoot it and a refused request consumes nothing. Fixed hourly windows
//! let a client spend up to twice the allowance across a window boundary; the limits
//! are set for scripts, far above any person, so that is accepted for a one-statement
//! check.

use std::fmt;
use std::str::FromStr;

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::state::AppState;
use crate::{unix_now, with_pool};

/// Counting windows are this long.
pub const WINDOW_SECS: i64 = 60 * 60;

/// The anonymous writes that are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Filing,
    Upload,
    Vote,
    /// One walk report (a batch counts each report in it).
    Walk,
    /// One search report (a batch counts each report in it).
    Search,
    SelfServiceEvent,
    Lookup,
    AffectedToo,
    Reply,
    Grant,
    Renewal,
    Check,
    /// A sign-in started with the organisation's provider (each keeps a row for
    /// minutes until the browser comes back).
    SignIn,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::Filing,
        Action::Upload,
        Action::Vote,
        Action::Walk,
        Action::Search,
        Action::SelfServiceEvent,
        Action::Lookup,
        Action::AffectedToo,
        Action::Reply,
        Action::Grant,
        Action::Renewal,
        Action::Check,
        Action::SignIn,
    ];

    /// The name in `SELFDESK_RATE_LIMITS` and in the counter table.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Filing => "filings",
            Self::Upload => "uploads",
            Self::Vote => "votes",
            Self::Walk => "walks",
            Self::Search => "searches",
            Self::SelfServiceEvent => "events",
            Self::Lookup => "lookups",
            Self::AffectedToo => "affected",
            Self::Reply => "replies",
            Self::Grant => "grants",
            Self::Renewal => "renewals",
            Self::Check => "checks",
            Self::SignIn => "sign-ins",
        }
    }
}

/// Allowances per client address and hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    counts: [u32; Action::ALL.len()],
    /// Bytes of uploads per address and hour.
    pub upload_bytes: u64,
}

impl Default for RateLimits {
    /// An office of a hundred people behind one address does not come near these in a
    /// normal hour; a script reaches them within seconds.
    fn default() -> Self {
        let mut counts = [0; Action::ALL.len()];
        for action in Action::ALL {
            counts[action as usize] = match action {
                Action::Filing => 20,
                Action::Upload => 30,
                Action::Vote => 100,
                Action::Walk => 300,
                // The portal reports a search when typing stops, a result is opened
                // or the page is left: a few reports per search.
                Action::Search => 600,
                // One per article read (and per suggestion opened): the most frequent
                // anonymous write. An office of several hundred behind one address,
                // all reading the same article during an outage, stays under it; a
                // refused report is a figure lost without a word, never a page.
                Action::SelfServiceEvent => 3000,
                Action::Lookup => 20,
                Action::AffectedToo => 30,
                Action::Reply => 120,
                // A tracking page asks for one on opening and on each reconnect.
                Action::Grant => 2000,
                Action::Renewal => 20,
                // The new-ticket form asks as the subject is typed (debounced).
                Action::Check => 1000,
                // A whole office signing in on a Monday morning behind one address.
                Action::SignIn => 600,
            };
        }
        Self {
            counts,
            upload_bytes: 100 * 1024 * 1024,
        }
    }
}

impl RateLimits {
    pub fn per_hour(&self, action: Action) -> u32 {
        self.counts[action as usize]
    }

    pub fn with(mut self, action: Action, per_hour: u32) -> Self {
        self.counts[action as usize] = per_hour;
        self
    }
}

/// `filings=20,uploads=30,upload-mib=100,votes=100,…`: the named ones change, the rest
/// keep their defaults.
impl FromStr for RateLimits {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut limits = Self::default();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?} is not name=number"))?;
            let (name, value) = (name.trim(), value.trim());
            let number: u64 = value
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name}: {value:?} is not a whole number above 0"))?;
            if name == "upload-mib" {
                // Bounded so that byte sums stay far inside a 64-bit integer.
                limits.upload_bytes = number.min(1 << 30).saturating_mul(1024 * 1024);
                continue;
            }
            let action = Action::ALL
                .into_iter()
                .find(|a| a.name() == name)
                .ok_or_else(|| {
                    let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                    format!(
                        "unknown limit {name:?}; known: {}, upload-mib",
                        known.join(", ")
                    )
                })?;
            limits.counts[action as usize] = u32::try_from(number).unwrap_or(u32::MAX);
        }
        Ok(limits)
    }
}

impl fmt::Display for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for action in Action::ALL {
            write!(f, "{}={},", action.name(), self.per_hour(action))?;
        }
        write!(f, "upload-mib={}", self.upload_bytes / (1024 * 1024))
    }
}

/// Takes one `action` from `client`'s allowance with the server's limits.
pub async fn take_one(state: &AppState, action: Action, client: &ClientAddr) -> ApiResult<()> {
    take(&state.db, &state.protect.rate_limits, action, client, 1, 0).await
}

/// Takes `units` of `action` (of `bytes` in all, for uploads) from `client`'s
/// allowance, or answers 429 with `Retry-After` at the end of the window.
pub async fn take(
    db: &Db,
    limits: &RateLimits,
    action: Action,
    client: &ClientAddr,
    units: u32,
    bytes: u64,
) -> ApiResult<()> {
    if try_take(db, limits, action, &client.key(), units, bytes).await? {
        return Ok(());
    }
    let now = unix_now();
    Err(refused(now - now.rem_euclid(WINDOW_SECS), now))
}

/// Takes `units` of `action` from the allowance of `key` (a client address, or
/// `mail:` and a sender's address for mail read from the mailbox); `false` when it is
/// spent, and then nothing is taken.
pub async fn try_take(
    db: &Db,
    limits: &RateLimits,
    action: Action,
    key: &str,
    units: u32,
    bytes: u64,
) -> sqlx::Result<bool> {
    let now = unix_now();
    let window = now - now.rem_euclid(WINDOW_SECS);
    let max_hits = i64::from(limits.per_hour(action));
    let max_bytes = if action == Action::Upload {
        i64::try_from(limits.upload_bytes).unwrap_or(i64::MAX)
    } else {
        i64::MAX
    };
    let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
    let units = i64::from(units);
    if bytes > max_bytes || units > max_hits {
        return Ok(false);
    }
    // The update (and so the RETURNING row) only happens while both allowances last.
    let taken: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO rate_counters (action, client, window_start, hits, bytes)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (action, client, window_start) DO UPDATE
                SET hits = rate_counters.hits + excluded.hits,
                    bytes = rate_counters.bytes + excluded.bytes
                WHERE rate_counters.hits + excluded.hits <= $6
                  AND rate_counters.bytes + excluded.bytes <= $7
             RETURNING hits",
        )
        .bind(action.name())
        .bind(key)
        .bind(window)
        .bind(units)
        .bind(bytes)
        .bind(max_hits)
        .bind(max_bytes)
        .fetch_optional(pool)
        .await
    })?;
    if taken.is_none() {
        tracing::info!(action = action.name(), client = %key, "rate limit reached");
        return Ok(false);
    }
    // Old windows are dead weight; clearing them now and then keeps the table small.
    if rand::random::<u8>() == 0 {
        prune(db, window - WINDOW_SECS).await?;
    }
    Ok(true)
}

fn refused(window: i64, now: i64) -> ApiError {
    ApiError::rate_limited((window + WINDOW_SECS - now).max(1) as u64)
}

async fn prune(db: &Db, before: i64) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM rate_counters WHERE window_start < $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_limits_change_and_the_rest_keep_defaults() {
        let limits: RateLimits = "filings=5, upload-mib=7".parse().unwrap();
        assert_eq!(limits.per_hour(Action::Filing), 5);
        assert_eq!(limits.upload_bytes, 7 * 1024 * 1024);
        assert_eq!(limits.per_hour(Action::Vote), 100);
        let round_trip: RateLimits = limits.to_string().parse().unwrap();
        assert_eq!(round_trip, limits);
    }

    #[test]
    fn bad_limits_say_what_is_wrong() {
        let err = "filings=0".parse::<RateLimits>().unwrap_err();
        assert!(err.contains("above 0"), "{err}");
        let err = "downloads=3".parse::<RateLimits>().unwrap_err();
        assert!(err.contains("unknown limit \"downloads\""), "{err}");
        assert!("filings".parse::<RateLimits>().is_err());
    }
}
