use std::sync::Arc;

use crate::db::Db;
use crate::search::SearchIndex;

/// What every handler may use. Cloned per request; everything in it is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// This server's search index (see `search::live`).
    pub search: Arc<SearchIndex>,
    pub cookie_secure: bool,
}
