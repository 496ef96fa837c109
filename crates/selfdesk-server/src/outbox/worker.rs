//! The worker every replica runs: claims due rows one at a time, hands each to the
//! mail server, and records the outcome. Woken at once by rows written on this replica
//! and otherwise polling, so rows written elsewhere or due for a retry wait at most
//! [`POLL`].

use std::sync::Arc;
use std::time::Duration;

use super::{Outbox, backoff, store};
use crate::db::Db;
use crate::mail::{Email, Mailer};
use crate::unix_now;

/// How often the outbox is read when nothing woke the worker.
pub const POLL: Duration = Duration::from_secs(1);

/// How long a claimed row is this replica's. Longer than the longest SMTP exchange
/// (several commands of at most 30 s each), so a row is never sent twice by two live
/// replicas; a replica that dies holds its rows this long.
pub const LEASE_SECS: i64 = 5 * 60;

/// Delivered rows are kept this long, for admins and the hourly limit.
const KEEP_SENT_SECS: i64 = 7 * 24 * 60 * 60;

pub fn spawn(db: Db, mailer: Arc<Mailer>, outbox: Arc<Outbox>) {
    tokio::spawn(async move {
        let mut last_prune = 0;
        loop {
            match deliver_one(&db, &mailer, &outbox).await {
                // Perhaps more are due.
                Ok(true) => continue,
                Ok(false) => {}
                Err(err) => tracing::warn!(%err, "outbox: reading the outbox failed"),
            }
            let now = unix_now();
            if now - last_prune > 60 * 60 {
                last_prune = now;
                if let Err(err) = store::prune(&db, now - KEEP_SENT_SECS).await {
                    tracing::warn!(%err, "outbox: pruning delivered rows failed");
                }
            }
            tokio::select! {
                () = outbox.woken() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    });
}

/// Claims and tries one due row; `false` when none was due.
pub async fn deliver_one(db: &Db, mailer: &Mailer, outbox: &Outbox) -> sqlx::Result<bool> {
    let lease = crate::auth::session::new_token();
    let Some(row) = store::claim(db, &lease, unix_now(), LEASE_SECS).await? else {
        return Ok(false);
    };
    let outcome = match serde_json::from_str::<Email>(&row.payload) {
        Ok(email) => mailer.send(&row.recipient, &email, &row.message_id).await,
        Err(err) => Err(crate::mail::SendFailure {
            permanent: true,
            message: format!("the stored message does not read: {err}"),
        }),
    };
    let now = unix_now();
    let recorded = match outcome {
        Ok(()) => {
            tracing::debug!(id = row.id, "outbox: delivered");
            store::sent(db, row.id, &lease, now).await?
        }
        Err(failure) => {
            let next = backoff::next_try(
                outbox.first_retry_secs,
                row.attempts,
                now,
                row.give_up_at,
                failure.permanent,
            );
            match next {
                Some(_) => {
                    tracing::info!(id = row.id, attempt = row.attempts, error = %failure.message, "outbox: delivery failed, will retry")
                }
                None => {
                    tracing::warn!(id = row.id, attempt = row.attempts, error = %failure.message, "outbox: delivery failed, given up")
                }
            }
            store::failed(db, row.id, &lease, next, &failure.message).await?
        }
    };
    if !recorded {
        tracing::warn!(
            id = row.id,
            "outbox: the lease ran out during delivery; another replica may send it again"
        );
    }
    Ok(true)
}
