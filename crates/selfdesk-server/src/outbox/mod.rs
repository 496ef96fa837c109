//! The outbox: every message the help desk owes someone (an email, a webhook
//! delivery) is a row written in the same
//! transaction as the change that causes it (a reply, a resolution, a filing), so a
//! change is never saved without its message nor a message sent for a change that was
//! rolled back. A worker on every replica delivers the rows (`worker`), retrying with
//! growing waits (`backoff`) until the receiver takes the message or the configured
//! time is over; given-up rows stay for admins to see and retry
//! (`routes::outbox`).
//!
//! Delivery is at least once: a row is leased by one replica at a time (`store::claim`),
//! and a replica that dies mid-delivery leaves the lease to expire, after which any
//! replica delivers the row again with the same Message-ID.

pub mod backoff;
pub mod store;
pub mod worker;

use tokio::sync::Notify;

use crate::config::OutboxArgs;

/// An hour, the window of the per-recipient limit.
pub const HOUR_SECS: i64 = 60 * 60;

/// The outbox's settings, and the bell that wakes this replica's worker when a row is
/// written here (rows written by other replicas are found by its poll).
#[derive(Debug)]
pub struct Outbox {
    pub first_retry_secs: i64,
    pub give_up_secs: i64,
    pub per_recipient_hour: i64,
    /// How long a claimed row is its replica's (`SELFDESK_OUTBOX_LEASE_SECS`).
    pub lease_secs: i64,
    /// `SELFDESK_WEBHOOKS_ALLOW_PRIVATE`.
    pub allow_private_webhooks: bool,
    wake: Notify,
}

impl Outbox {
    pub fn new(args: &OutboxArgs) -> Self {
        Self {
            first_retry_secs: i64::from(args.outbox_retry_secs.max(1)),
            give_up_secs: i64::from(args.outbox_give_up_hours.max(1)) * HOUR_SECS,
            per_recipient_hour: i64::from(args.emails_per_recipient_hour.max(1)),
            lease_secs: i64::from(args.outbox_lease_secs.max(1)),
            allow_private_webhooks: args.webhooks_allow_private,
            wake: Notify::new(),
        }
    }

    /// Tells the worker a row was committed; call after the commit.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}
