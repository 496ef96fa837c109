//! Demo content for a first look at the portal. Only run when asked for
//! (`--seed-demo`, as `cargo xtask run` does): its password is published in the README.
//! `--seed-demo-history` adds 90 days of tickets and self-service (`history`).

pub mod flows;
pub mod history;
pub mod kb;

use selfdesk_shared::auth::StaffRole;

use crate::db::Db;
use crate::store::staff;

pub const DEMO_PASSWORD: &str = "selfdesk-demo";

const DEMO_STAFF: [(&str, &str, StaffRole); 4] = [
    ("tier1@demo.selfdesk", "Tina First-Line", StaffRole::Tier1),
    ("tier2@demo.selfdesk", "Sam Specialist", StaffRole::Tier2),
    ("tier3@demo.selfdesk", "Erin Expert", StaffRole::Tier3),
    ("admin@demo.selfdesk", "Alex Admin", StaffRole::Admin),
];

/// Adds whatever demo data is missing; running it twice changes nothing.
pub async fn demo(db: &Db) -> anyhow::Result<()> {
    kb::load_if_empty(db).await?;
    flows::load_if_empty(db).await?;
    for (email, name, role) in DEMO_STAFF {
        if !staff::exists(db, email).await? {
            staff::create_validated(db, email, name, role, DEMO_PASSWORD)
                .await
                .map_err(|e| anyhow::anyhow!("seeding {email}: {}", e.message()))?;
            tracing::info!(email, "seeded demo staff account");
        }
    }
    Ok(())
}
