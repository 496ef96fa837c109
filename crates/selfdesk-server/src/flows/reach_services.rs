//! The services a reach check tries, as admins keep them (`routes::reach_services`).
//! Stored in the database like the service levels, so every replica follows: the one
//! that saves switches at once, the others within [`FOLLOW`]. Each replica also keeps
//! the list's origins, which the diagnostics page's Content Security Policy allows
//! (`spa`): the browser may then try exactly these sites, and no others.

use std::sync::Arc;
use std::time::Duration;

use selfdesk_shared::flows::reach_services::{ReachServices, origin};

use crate::db::Db;
use crate::replica_copy::ReplicaCopy;
use crate::store::queue as settings;

const KEY: &str = "reach_services";

/// How often a replica checks for a list saved by another.
pub const FOLLOW: Duration = Duration::from_secs(10);

/// The list, and the `connect-src` sources it needs (`https://intranet.example.org`
/// …), computed once per change rather than per page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ReachList {
    pub services: ReachServices,
    pub connect_sources: String,
}

impl ReachList {
    pub fn new(services: ReachServices) -> Self {
        let mut origins: Vec<String> = services
            .services
            .iter()
            .filter_map(|s| origin(&s.url))
            .collect();
        origins.sort();
        origins.dedup();
        Self {
            services,
            connect_sources: origins.join(" "),
        }
    }
}

/// This replica's copy of the list.
pub type ReachHolder = ReplicaCopy<ReachList>;

/// What is saved, or an empty list. A stored value this server cannot read (written
/// by a newer version) counts as empty, with a warning, rather than stopping the
/// portal: the reach check then says it could not run.
pub async fn load(db: &Db) -> sqlx::Result<ReachServices> {
    Ok(match settings::setting(db, KEY).await? {
        None => ReachServices::default(),
        Some(text) => serde_json::from_str(&text).unwrap_or_else(|err| {
            tracing::warn!(%err, "unreadable stored reach services; using none");
            ReachServices::default()
        }),
    })
}

/// Stores a checked list and switches this replica to it.
pub async fn save(db: &Db, holder: &ReachHolder, list: ReachServices) -> anyhow::Result<()> {
    settings::set_setting(db, KEY, &serde_json::to_string(&list)?).await?;
    holder.replace(ReachList::new(list));
    Ok(())
}

/// Keeps this replica on the saved list.
pub fn follow(db: Db, holder: Arc<ReachHolder>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FOLLOW);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match load(&db).await {
                Ok(list) if list != holder.current().services => {
                    holder.replace(ReachList::new(list));
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "reading the reach services failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use selfdesk_shared::flows::reach_services::ReachService;

    use super::*;

    #[test]
    fn sources_are_each_origin_once() {
        let service = |url: &str| ReachService {
            name: url.into(),
            url: url.into(),
        };
        let list = ReachList::new(ReachServices {
            services: vec![
                service("https://mail.example.org/owa"),
                service("https://intranet.example.org/"),
                service("https://mail.example.org/status"),
            ],
        });
        assert_eq!(
            list.connect_sources,
            "https://intranet.example.org https://mail.example.org"
        );
    }
}
