//! TEMPORARY build scaffold, replaced by the wt-srv branch at merge.
use selfdesk_shared::search::SynonymGroup;

use crate::db::Db;

pub async fn synonym_groups(_db: &Db) -> sqlx::Result<Vec<SynonymGroup>> {
    Ok(Vec::new())
}
