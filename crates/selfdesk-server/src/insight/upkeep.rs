//! Keeping the stored facts true.
//!
//! - After every change to a ticket (`tickets::changes::act`) and at filing, the
//!   ticket's facts are computed again and written over the revision they were
//!   computed from ([`refresh`]).
//! - At start-up and in the periodic sweep, [`Upkeep::keep_true`] computes the facts
//!   of every ticket that has none or whose facts are older than the ticket: history
//!   written straight into the tables (an import, the demo seed) gets its facts this
//!   way, and so does a ticket whose refresh was lost to a crash.
//! - The per-day totals beside the facts (`ticket_days`, `ticket_word_days`, kept by
//!   triggers on `ticket_facts`) are counted again when the desk's UTC offset moved
//!   where its days begin; the report reads the facts themselves until then.
//! - When the service levels (or the way facts are computed, [`FACTS_VERSION`]) are
//!   not those the stored facts were computed with, every ticket's facts are computed
//!   again; the fingerprint is stored only once all are done, so an interrupted run
//!   starts over at the next start or sweep.

use std::sync::Arc;

use selfdesk_shared::sla::Pause;
use tokio::sync::Mutex;

use super::facts::{self, Event, Ticket};
use crate::db::Db;
use crate::sha256_hex;
use crate::store::{insight as store, queue as settings};
use crate::tickets::SlaPolicy;

/// Bump when what the facts hold or how they are computed changes: every ticket's
/// facts are then computed again at the next start.
pub const FACTS_VERSION: u32 = 1;

const FINGERPRINT_KEY: &str = "insight_facts_sha256";

/// What the stored facts were computed with: the service levels and [`FACTS_VERSION`].
pub fn fingerprint(policy: &SlaPolicy) -> String {
    let basis = serde_json::json!({
        "calendar": policy.calendar,
        "targets": policy.targets,
        "facts_version": FACTS_VERSION,
    });
    sha256_hex(basis.to_string().as_bytes())
}

fn computed(
    policy: &SlaPolicy,
    sources: Vec<(Ticket, Vec<Event>, Vec<Pause>)>,
) -> Vec<facts::TicketFacts> {
    sources
        .iter()
        .map(|(ticket, events, pauses)| facts::facts(ticket, events, pauses, policy))
        .collect()
}

/// Computes and writes one ticket's facts; `false` when the ticket changed meanwhile
/// (that change writes its own) or is gone.
pub async fn refresh(db: &Db, policy: &SlaPolicy, ticket_id: i64) -> anyhow::Result<bool> {
    let sources = store::sources(db, &[ticket_id]).await?;
    Ok(store::write_facts(db, &computed(policy, sources)).await? > 0)
}

/// Which tickets a run goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Those whose facts are missing or older than the ticket.
    Stale,
    Every,
}

async fn run(db: &Db, policy: &SlaPolicy, scope: Scope) -> anyhow::Result<u64> {
    let mut written = 0;
    let mut after = 0;
    loop {
        let ids = match scope {
            Scope::Stale => store::stale_ids(db, after, store::BATCH).await?,
            Scope::Every => store::ids_after(db, after, store::BATCH).await?,
        };
        let Some(&last) = ids.last() else { break };
        after = last;
        let sources = store::sources(db, &ids).await?;
        written += store::write_facts(db, &computed(policy, sources)).await?;
    }
    Ok(written)
}

/// Computes the facts of every ticket whose facts are missing or older than the
/// ticket. Returns how many tickets' facts were written.
pub async fn catch_up(db: &Db, policy: &SlaPolicy) -> anyhow::Result<u64> {
    run(db, policy, Scope::Stale).await
}

/// Computes every ticket's facts again, then records `policy` as the one they were
/// computed with.
pub async fn recompute_all(db: &Db, policy: &SlaPolicy) -> anyhow::Result<u64> {
    let written = run(db, policy, Scope::Every).await?;
    settings::set_setting(db, FINGERPRINT_KEY, &fingerprint(policy)).await?;
    Ok(written)
}

async fn keep_true(db: &Db, policy: &SlaPolicy, force: bool) -> anyhow::Result<u64> {
    // Before the facts: those written next are counted on the desk's days.
    store::count_days(db, i64::from(policy.calendar.utc_offset_minutes) * 60).await?;
    let stored = settings::setting(db, FINGERPRINT_KEY).await?;
    if force || stored.as_deref() != Some(fingerprint(policy).as_str()) {
        recompute_all(db, policy).await
    } else {
        catch_up(db, policy).await
    }
}

/// One replica's upkeep: one run at a time, so a sweep never races a recomputation.
#[derive(Debug, Default)]
pub struct Upkeep {
    running: Mutex<()>,
}

impl Upkeep {
    /// Recomputes every ticket's facts when they were computed with other service
    /// levels (or `force`), else catches up the missing and stale ones. Waits for a
    /// run already under way.
    pub async fn keep_true(&self, db: &Db, policy: &SlaPolicy, force: bool) -> anyhow::Result<u64> {
        let _running = self.running.lock().await;
        keep_true(db, policy, force).await
    }

    /// [`Self::keep_true`] unless a run is under way (`None` then): what the periodic
    /// sweep does, so that it never waits behind a long recomputation.
    pub async fn try_keep_true(&self, db: &Db, policy: &SlaPolicy) -> Option<anyhow::Result<u64>> {
        let _running = self.running.try_lock().ok()?;
        Some(keep_true(db, policy, false).await)
    }

    /// [`Self::keep_true`] in the background, its outcome logged.
    pub fn spawn(self: &Arc<Self>, db: Db, policy: SlaPolicy, force: bool) {
        let upkeep = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match upkeep.keep_true(&db, &policy, force).await {
                Ok(0) => {}
                Ok(tickets) => tracing::info!(
                    tickets,
                    seconds = started.elapsed().as_secs_f64(),
                    "insight: computed ticket facts"
                ),
                Err(err) => {
                    tracing::warn!(err = %format!("{err:#}"), "insight: computing ticket facts failed")
                }
            }
        });
    }
}
