//! The articles the help desk marks "available offline": the portal's service worker
//! reads the list and keeps those articles on every device that opens the portal
//! (`public/sw.js`); admins and tier-3 technicians replace it.

use axum::Json;
use axum::extract::State;
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::offline::{OfflineList, check_offline_list};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Expert;
use crate::error::{ApiJson, ApiResult};
use crate::state::AppState;
use crate::store::queue as settings;

const KEY: &str = "offline_articles";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(replace))
}

/// The marked articles, by slug; the seeded three until the help desk changes them. A
/// stored value this server cannot read (a newer version's) counts as the default.
#[utoipa::path(
    get, path = "/api/v1/offline", tag = "kb",
    responses((status = 200, description = "The articles kept for offline use", body = OfflineList))
)]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<OfflineList>> {
    let stored = settings::setting(&state.db, KEY).await?;
    Ok(Json(
        stored
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default(),
    ))
}

/// Replaces the list. Devices take it at their first visit once their saved copy is
/// six hours old (or when a deploy installs the portal's service worker again), and
/// keep every article people read anyway.
#[utoipa::path(
    put, path = "/api/v1/staff/offline", tag = "kb",
    security(("session" = [])), request_body = OfflineList,
    responses(
        (status = 200, description = "Saved, as stored", body = OfflineList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin or tier-3 technician", body = ErrorBody),
        (status = 422, description = "Too many articles, or a slug that is not one; `field` names it (`articles`, `articles.N`)", body = ErrorBody),
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    _expert: Expert,
    ApiJson(request): ApiJson<OfflineList>,
) -> ApiResult<Json<OfflineList>> {
    let list = check_offline_list(&request)?;
    let text = serde_json::to_string(&list).map_err(crate::error::ApiError::internal)?;
    settings::set_setting(&state.db, KEY, &text).await?;
    Ok(Json(list))
}
