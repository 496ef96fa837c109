//! Password hashing with Argon2id (the OWASP-recommended default parameters).
//!
//! Each hash takes 19 MiB and a core for tens of milliseconds. Every hash in the
//! process waits for one of [`permits`] places first, so a burst of sign-ins queues
//! instead of running hundreds of hashes (and gigabytes) at once; one that waits too
//! long is answered 503 with `Retry-After`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;

use selfdesk_shared::error::ErrorCode;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// Two hashes per core at once, for the whole process.
pub fn permits() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
}

static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(permits()));
/// A request waits this long for a place before it is told to come back.
const WAIT_FOR_PLACE: Duration = Duration::from_secs(10);

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most hashes that ever ran at once in this process (for tests and logs).
pub fn peak_concurrent_hashes() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Runs one slow hash off the async workers, once a place is free.
async fn with_place<T: Send + 'static>(
    work: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let permit = tokio::time::timeout(WAIT_FOR_PLACE, HASHING.acquire())
        .await
        .map_err(|_| {
            ApiError::new(
                ErrorCode::Unavailable,
                "The server is busy checking passwords; try again in a few seconds",
            )
            .with_retry_after(5)
        })?
        .map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        let result = work();
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        drop(permit);
        result
    })
    .await
    .map_err(ApiError::internal)?
}

/// Hashing is deliberately slow (tens of milliseconds), so it runs off the async workers.
pub async fn hash(password: String) -> ApiResult<String> {
    with_place(move || hash_blocking(&password)).await
}

fn hash_blocking(password: &str) -> ApiResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Checks `password` against `stored`; with no stored hash (unknown account) it checks
/// against a fixed dummy hash so that the answer takes as long either way and timing
/// does not reveal which emails have accounts.
pub async fn verify(password: String, stored: Option<String>) -> ApiResult<bool> {
    with_place(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let parsed = PasswordHash::new(&stored).map_err(ApiError::internal)?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("no account has this password").unwrap_or_default())
}

/// A random 20-character password for `admin create` when none is given.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let a = hash("correct horse battery".into()).await.unwrap();
        let b = hash("correct horse battery".into()).await.unwrap();
        assert_ne!(a, b, "each hash has its own salt");
        assert!(a.starts_with("$argon2id$"));
        assert!(
            verify("correct horse battery".into(), Some(a.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse battery".into(), Some(a)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        assert!(
            !verify("no account has this password".into(), None)
                .await
                .unwrap()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_of_hashes_never_runs_more_than_the_permits_at_once() {
        let stored = hash("burst".into()).await.unwrap();
        // Four times as many as there are places, whatever the machine.
        let checks: Vec<_> = (0..permits() * 4)
            .map(|_| tokio::spawn(verify("wrong".into(), Some(stored.clone()))))
            .collect();
        for check in checks {
            assert!(!check.await.unwrap().unwrap());
        }
        let peak = peak_concurrent_hashes();
        assert!(
            peak >= 1 && peak <= permits(),
            "peak {peak}, permits {}",
            permits()
        );
    }

    #[test]
    fn generated_passwords_are_long_and_distinct() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
