//! The services a reach check tries: anyone walking a flow reads the list (the
//! diagnostics page tries each address); admins replace it as a whole.

use axum::Json;
use axum::extract::State;
use selfdesk_shared::error::{ErrorBody, FieldError, Reason};
use selfdesk_shared::flows::reach_services::{ReachServices, check_reach_services};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Admin;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::flows::reach_services;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(replace))
}

/// The services, in the order a reach check shows them; empty when none are set.
#[utoipa::path(
    get, path = "/api/v1/reach-services", tag = "flows",
    responses(
        (status = 200, description = "The services", body = ReachServices),
    )
)]
pub async fn list(State(state): State<AppState>) -> Json<ReachServices> {
    Json(state.reach.current().services.clone())
}

/// Replaces the list. Diagnostics pages opened from now on may connect to these sites
/// (every replica within ten seconds).
#[utoipa::path(
    put, path = "/api/v1/staff/reach-services", tag = "flows",
    security(("session" = [])), request_body = ReachServices,
    responses(
        (status = 200, description = "Saved, as stored", body = ReachServices),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "Too many services, or a name or address refused; `field` names the first (`services`, `services.N.name`, `services.N.url`)", body = ErrorBody),
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(request): ApiJson<ReachServices>,
) -> ApiResult<Json<ReachServices>> {
    // Browsers block plain-HTTP requests from an HTTPS page: such an address could
    // never answer.
    let https_only = state.public_url.starts_with("https://");
    let list = check_reach_services(&request, https_only).map_err(|problems| {
        problems
            .into_iter()
            .next()
            .unwrap_or_else(|| FieldError::new("services", Reason::BadFormat))
    })?;
    reach_services::save(&state.db, &state.reach, list.clone())
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(list))
}
