//! The service levels in force. Admins change them at run time (`routes::sla`); they
//! are kept in the database, so every replica follows: the one that saves switches at
//! once, the others within [`FOLLOW`].

use std::sync::Arc;
use std::time::Duration;

use selfdesk_shared::sla::SlaSettings;

use super::SlaPolicy;
use crate::db::Db;
use crate::insight::upkeep::Upkeep;
use crate::replica_copy::ReplicaCopy;
use crate::store::queue as settings;

const KEY: &str = "sla_policy";

/// How often a replica checks for service levels saved by another.
pub const FOLLOW: Duration = Duration::from_secs(10);

/// This replica's copy of the service levels: a caller keeps `current()` for the
/// whole decision, so one request never mixes two policies.
pub type PolicyHolder = ReplicaCopy<SlaPolicy>;

/// What is saved, or the defaults. A stored value this server cannot read (written
/// by a newer version) falls back to the defaults with a warning rather than stopping
/// the portal.
pub async fn load(db: &Db) -> sqlx::Result<SlaPolicy> {
    Ok(match settings::setting(db, KEY).await? {
        None => SlaPolicy::default(),
        Some(text) => match serde_json::from_str::<SlaSettings>(&text) {
            Ok(saved) => SlaPolicy::from_settings(saved),
            Err(err) => {
                tracing::warn!(%err, "unreadable stored service levels; using the defaults");
                SlaPolicy::default()
            }
        },
    })
}

/// Stores new service levels, switches this replica to them, and recomputes the
/// deadlines of every open ticket. Returns how many were recomputed.
pub async fn save(db: &Db, holder: &PolicyHolder, new: SlaSettings) -> anyhow::Result<u64> {
    settings::set_setting(db, KEY, &serde_json::to_string(&new)?).await?;
    let policy = SlaPolicy::from_settings(new);
    // Switched first: a change made while the keys are recomputed uses the new policy.
    holder.replace(policy.clone());
    super::queue::refresh_keys(db, &policy, false).await
}

/// Keeps this replica on the saved service levels.
pub fn follow(db: Db, holder: Arc<PolicyHolder>, insight: Arc<Upkeep>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FOLLOW);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match load(&db).await {
                Ok(policy) => {
                    let current = holder.current();
                    if policy.calendar != current.calendar || policy.targets != current.targets {
                        holder.replace(policy.clone());
                        // Until now this replica may have written keys from the old
                        // policy after the saving replica recomputed them.
                        if let Err(err) = super::queue::refresh_keys(&db, &policy, true).await {
                            tracing::warn!(%err, "recomputing deadlines for new service levels failed");
                        }
                        // And the insight facts, for the same reason.
                        insight.spawn(db.clone(), policy, true);
                    }
                }
                Err(err) => tracing::warn!(%err, "reading the service levels failed"),
            }
        }
    });
}
