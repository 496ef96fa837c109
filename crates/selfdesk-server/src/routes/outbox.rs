//! The outbox for admins: what is waiting, what was given up and why, and sending a
//! given-up message again (see `outbox`).

use axum::Json;
use axum::extract::State;
use selfdesk_shared::error::{ErrorBody, ErrorCode, FieldError, Reason};
use selfdesk_shared::outbox::{OutboxList, OutboxMessage, OutboxStatus};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Admin;
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use crate::outbox::store::{self, Retried};
use crate::state::AppState;
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_outbox))
        .routes(routes!(retry_message))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// Only messages in this state: `pending`, `sent`, `failed` or `suppressed`.
    #[serde(default)]
    #[param(value_type = Option<OutboxStatus>)]
    pub status: Option<String>,
}

/// The newest 200 messages of the outbox (of one state, or all), with how many are
/// pending and failed in all.
#[utoipa::path(
    get, path = "/api/v1/staff/outbox", tag = "staff",
    security(("session" = [])),
    params(OutboxParams),
    responses(
        (status = 200, description = "Messages, newest first", body = OutboxList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "`status` is not one of the states", body = ErrorBody),
    )
)]
pub async fn list_outbox(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(params): ApiQuery<OutboxParams>,
) -> ApiResult<Json<OutboxList>> {
    let status = match params.status.as_deref() {
        None => None,
        Some(raw) => Some(OutboxStatus::parse(raw).ok_or_else(|| {
            FieldError::new("status", Reason::BadFormat)
                .because("One of pending, sent, failed or suppressed")
        })?),
    };
    Ok(Json(OutboxList {
        messages: store::list(&state.db, status).await?,
        pending: store::count(&state.db, OutboxStatus::Pending).await?,
        failed: store::count(&state.db, OutboxStatus::Failed).await?,
    }))
}

/// Sends a given-up message again: it is due at once and retried for the configured
/// time from now.
#[utoipa::path(
    post, path = "/api/v1/staff/outbox/{id}/retry", tag = "staff",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The message's id")),
    responses(
        (status = 200, description = "Back in line, pending", body = OutboxMessage),
        (status = 400, description = "`id` is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such message", body = ErrorBody),
        (status = 409, description = "The message has not failed (pending, sent or suppressed)", body = ErrorBody),
    )
)]
pub async fn retry_message(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OutboxMessage>> {
    match store::retry(&state.db, id, unix_now(), state.outbox.give_up_secs).await? {
        Retried::Queued => state.outbox.wake(),
        Retried::NotFailed => {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "Only a message that failed can be sent again",
            ));
        }
        Retried::Missing => return Err(ApiError::not_found("Message")),
    }
    let message = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Message"))?;
    Ok(Json(message))
}
