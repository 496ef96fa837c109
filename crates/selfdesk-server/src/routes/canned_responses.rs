//! Canned responses: every technician reads them (to insert into a reply); admins
//! write them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::canned::{CannedResponse, CannedResponseInput, CannedResponseList, check};
use selfdesk_shared::error::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::{Admin, Staff};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::state::AppState;
use crate::store::canned_responses as store;
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
}

fn checked(input: &CannedResponseInput) -> ApiResult<()> {
    match check(input).into_iter().next() {
        Some(problem) => Err(problem.into()),
        None => Ok(()),
    }
}

/// Every canned response, every-team ones first.
#[utoipa::path(
    get, path = "/api/v1/staff/canned-responses", tag = "staff-tickets",
    security(("session" = [])),
    responses(
        (status = 200, description = "All canned responses", body = CannedResponseList),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _staff: Staff,
) -> ApiResult<Json<CannedResponseList>> {
    Ok(Json(CannedResponseList {
        responses: store::list(&state.db).await?,
    }))
}

#[utoipa::path(
    post, path = "/api/v1/staff/canned-responses", tag = "staff-tickets",
    security(("session" = [])), request_body = CannedResponseInput,
    responses(
        (status = 201, description = "Created", body = CannedResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(input): ApiJson<CannedResponseInput>,
) -> ApiResult<(StatusCode, Json<CannedResponse>)> {
    checked(&input)?;
    let created = store::create(&state.db, &input, unix_now()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    put, path = "/api/v1/staff/canned-responses/{id}", tag = "staff-tickets",
    params(("id" = i64, Path)), security(("session" = [])), request_body = CannedResponseInput,
    responses(
        (status = 200, description = "Saved", body = CannedResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such response", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CannedResponseInput>,
) -> ApiResult<Json<CannedResponse>> {
    checked(&input)?;
    store::update(&state.db, id, &input, unix_now())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Canned response"))
}

#[utoipa::path(
    delete, path = "/api/v1/staff/canned-responses/{id}", tag = "staff-tickets",
    params(("id" = i64, Path)), security(("session" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such response", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    if store::delete(&state.db, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("Canned response"))
    }
}
