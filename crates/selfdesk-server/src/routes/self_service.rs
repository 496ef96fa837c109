//! Self-service measurement: the browser reports what helped (anonymously); staff
//! read how many contacts self-service deflected.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::self_service::{SelfServiceEvent, SelfServiceSummary, valid_session};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Staff;
use crate::auth::session::token_hash;
use crate::error::{ApiJson, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::self_service;
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record))
        .routes(routes!(summary))
}

/// Records one self-service event. Answers 204 at once; nothing identifies the
/// visitor (the session id is random and stored hashed).
#[utoipa::path(
    post, path = "/api/v1/self-service/events", tag = "self-service",
    request_body = SelfServiceEvent,
    responses(
        (status = 204, description = "Recorded"),
        (status = 422, description = "Malformed session id or subject", body = ErrorBody),
        (status = 429, description = "Too many events from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn record(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(event): ApiJson<SelfServiceEvent>,
) -> ApiResult<StatusCode> {
    if !valid_session(&event.session) {
        return Err(FieldError::new("session", Reason::BadFormat)
            .because("The session id must be 16 to 100 letters, digits or hyphens")
            .into());
    }
    let subject = event.subject.trim();
    if subject.is_empty() || event.subject.chars().count() > 200 {
        return Err(
            FieldError::new("subject", Reason::text_length(subject, 200))
                .because("The subject must have 1 to 200 characters")
                .into(),
        );
    }
    rate_limits::take_one(&state, Action::SelfServiceEvent, &client).await?;
    self_service::insert_event(
        &state.db,
        &token_hash(&event.session),
        event.kind.as_str(),
        subject,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// The period, in days up to now: 1 to 366, default 30.
    #[serde(default)]
    pub days: Option<i64>,
}

/// Contacts deflected by self-service over the last `days` days.
#[utoipa::path(
    get, path = "/api/v1/staff/self-service/summary", tag = "self-service",
    params(SummaryParams), security(("session" = [])),
    responses(
        (status = 200, description = "The counts", body = SelfServiceSummary),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn summary(
    State(state): State<AppState>,
    _staff: Staff,
    ApiQuery(q): ApiQuery<SummaryParams>,
) -> ApiResult<Json<SelfServiceSummary>> {
    let days = q.days.unwrap_or(30).clamp(1, 366);
    let since = unix_now() - days * 86_400;
    let (sessions, deflected, filed) = self_service::summary(&state.db, since).await?;
    let diagnostics_resolved = crate::store::flows::deflected_walks(&state.db, since).await?;
    Ok(Json(SelfServiceSummary {
        days,
        sessions_with_suggestions: sessions,
        deflected,
        tickets_filed: filed,
        diagnostics_resolved,
    }))
}
