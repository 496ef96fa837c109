//! The worker every replica runs: claims due rows one at a time, hands each to the
//! mail server, and records the outcome. Woken at once by rows written on this replica
//! and otherwise polling, so rows written elsewhere or due for a retry wait at most
//! [`POLL`].

use std::sync::Arc;
use std::time::Duration;

use super::{Outbox, backoff, store};
use crate::db::Db;
use crate::mail::{Email, Mailer, SendFailure};
use crate::unix_now;
use crate::webhooks::{self, deliver::Delivery};

/// How often the outbox is read when nothing woke the worker.
pub const POLL: Duration = Duration::from_secs(1);

/// Delivered rows are kept this long, for admins and the hourly limit.
const KEEP_SENT_SECS: i64 = 7 * 24 * 60 * 60;

pub fn spawn(db: Db, mailer: Option<Arc<Mailer>>, outbox: Arc<Outbox>) {
    tokio::spawn(async move {
        let mut last_prune = 0;
        loop {
            match deliver_one(&db, mailer.as_deref(), &outbox).await {
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
pub async fn deliver_one(db: &Db, mailer: Option<&Mailer>, outbox: &Outbox) -> sqlx::Result<bool> {
    let lease = crate::auth::session::new_token();
    let Some(row) =
        store::claim(db, &lease, unix_now(), outbox.lease_secs, mailer.is_some()).await?
    else {
        return Ok(false);
    };
    let outcome = match row.channel.as_str() {
        "email" => send_email(mailer, &row).await,
        "webhook" => send_webhook(db, outbox, &row).await?,
        other => Err(SendFailure {
            permanent: true,
            message: format!("unknown channel {other:?}"),
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

async fn send_email(mailer: Option<&Mailer>, row: &store::Claimed) -> Result<(), SendFailure> {
    let Some(mailer) = mailer else {
        return Err(SendFailure {
            permanent: true,
            message: "no mail server is configured (SELFDESK_SMTP_HOST)".into(),
        });
    };
    match serde_json::from_str::<Email>(&row.payload) {
        Ok(email) => mailer.send(&row.recipient, &email, &row.message_id).await,
        Err(err) => Err(SendFailure {
            permanent: true,
            message: format!("the stored message does not read: {err}"),
        }),
    }
}

/// One try of a webhook row, logged with its answer and timing whatever it was.
async fn send_webhook(
    db: &Db,
    outbox: &Outbox,
    row: &store::Claimed,
) -> sqlx::Result<Result<(), SendFailure>> {
    let target = match row.endpoint_id {
        Some(id) => webhooks::store::target(db, id).await?,
        None => None,
    };
    let (Some(endpoint_id), Some((url, secret))) = (row.endpoint_id, target) else {
        return Ok(Err(SendFailure {
            permanent: true,
            message: "the endpoint no longer exists".into(),
        }));
    };
    let attempted_at = unix_now();
    let outcome = webhooks::deliver::deliver(&Delivery {
        url: &url,
        secret: &secret,
        webhook_id: &row.message_id,
        body: &row.payload,
        timestamp: attempted_at,
        allow_private: outbox.allow_private_webhooks,
    })
    .await;
    webhooks::store::log(
        db,
        &webhooks::store::Attempt {
            endpoint_id,
            outbox_id: row.id,
            event_type: &row.purpose,
            webhook_id: &row.message_id,
            attempted_at,
            status_code: outcome.status.map(i64::from),
            duration_ms: outcome.duration_ms,
            error: outcome.error.as_deref(),
        },
    )
    .await?;
    Ok(match outcome.error {
        None => Ok(()),
        Some(message) => Err(SendFailure {
            permanent: outcome.permanent,
            message,
        }),
    })
}
