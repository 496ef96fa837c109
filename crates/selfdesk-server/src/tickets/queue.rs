//! Keeping the queue's stored sort key true: computed on filing and on every change
//! (`changes::act`), and recomputed for every open ticket when the SLA policy the
//! stored keys were computed with is not the one this server runs with.

use selfdesk_shared::queue::queue_due;
use selfdesk_shared::sla::Pause;
use selfdesk_shared::ticket_state::TicketState;
use selfdesk_shared::tickets::TicketStatus;

use super::SlaPolicy;
use crate::db::Db;
use crate::sha256_hex;
use crate::store::{queue as store, tickets::TicketRecord};

/// The sort key once `next` is written at `now`. `pauses` are the ticket's pauses
/// before the change; the change may open or close one.
pub(super) fn due_after(
    policy: &SlaPolicy,
    record: &TicketRecord,
    next: &TicketState,
    mut pauses: Vec<Pause>,
    now: i64,
) -> i64 {
    let waiting = TicketStatus::WaitingForRequester;
    if record.status != waiting && next.status == waiting {
        pauses.push(Pause {
            from: now,
            until: None,
        });
    } else if record.status == waiting && next.status != waiting {
        for pause in pauses.iter_mut().filter(|p| p.until.is_none()) {
            pause.until = Some(now);
        }
    }
    queue_due(
        &policy.calendar,
        &policy.targets,
        record.created_at,
        next.priority,
        next.status,
        next.first_responded_at,
        &pauses,
    )
}

const POLICY_KEY: &str = "sla_policy_sha256";

/// Recomputes the sort key of every open ticket if the stored keys were computed with
/// another policy (or before the column existed), or always with `force`. Replicas
/// doing it together write the same values. The policy must already be the one this
/// replica decides with, so that no change made meanwhile writes an older key.
pub async fn refresh_keys(db: &Db, policy: &SlaPolicy, force: bool) -> anyhow::Result<u64> {
    let fingerprint =
        sha256_hex(serde_json::to_string(&(&policy.calendar, &policy.targets))?.as_bytes());
    if !force && store::setting(db, POLICY_KEY).await?.as_deref() == Some(fingerprint.as_str()) {
        return Ok(0);
    }
    let mut updated = 0;
    let mut after = 0;
    loop {
        let batch = store::open_tickets_after(db, after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let keys: Vec<(i64, i64, i64)> = batch
            .iter()
            .map(|t| {
                let key = queue_due(
                    &policy.calendar,
                    &policy.targets,
                    t.created_at,
                    t.priority,
                    t.status,
                    t.first_responded_at,
                    &t.pauses,
                );
                (t.id, t.revision, key)
            })
            .collect();
        updated += store::set_due_times(db, &keys).await?;
    }
    store::set_setting(db, POLICY_KEY, &fingerprint).await?;
    Ok(updated)
}
