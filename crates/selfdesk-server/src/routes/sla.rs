//! The help desk's service levels: business hours, holidays and targets per priority.
//! Every technician may read them (the queue's deadlines come from them); admins
//! change them, and every open ticket's deadlines are recomputed at once.

use axum::Json;
use axum::extract::State;
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::sla::{SlaSettings, SlaSettingsSaved};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::{Admin, Staff};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use crate::tickets::policy;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_sla, put_sla))
}

#[utoipa::path(
    get, path = "/api/v1/staff/sla", tag = "staff-tickets", security(("session" = [])),
    responses(
        (status = 200, description = "The service levels in force", body = SlaSettings),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn get_sla(State(state): State<AppState>, _staff: Staff) -> Json<SlaSettings> {
    Json(state.sla.current().settings())
}

#[utoipa::path(
    put, path = "/api/v1/staff/sla", tag = "staff-tickets", security(("session" = [])),
    request_body = SlaSettings,
    responses(
        (status = 200, description = "Saved and in force", body = SlaSettingsSaved),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "Not a usable calendar or targets; `field` says which", body = ErrorBody),
    )
)]
pub async fn put_sla(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(settings): ApiJson<SlaSettings>,
) -> ApiResult<Json<SlaSettingsSaved>> {
    settings.validate()?;
    let mut settings = settings;
    settings.calendar.holidays.sort_unstable();
    settings.calendar.holidays.dedup();
    let recomputed = policy::save(&state.db, &state.sla, settings)
        .await
        .map_err(ApiError::internal)?;
    // The insight facts follow in the background: every ticket's, when the calendar
    // or the targets changed.
    state
        .insight
        .spawn(state.db.clone(), (*state.sla.current()).clone(), false);
    Ok(Json(SlaSettingsSaved {
        settings: state.sla.current().settings(),
        recomputed,
    }))
}
