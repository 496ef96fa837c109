use crate::db::Db;

/// What every handler may use. Cloned per request; everything in it is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cookie_secure: bool,
}
