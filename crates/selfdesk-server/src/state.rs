use crate::db::Pool;

/// What every handler may use. Cloned per request; everything in it is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
    pub cookie_secure: bool,
}
