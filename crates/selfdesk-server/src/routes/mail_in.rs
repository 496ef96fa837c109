//! The mail read from the help desk's mailbox, for admins: what each message became,
//! and above all what was refused and why (the message itself stays in the mailbox,
//! flagged). See `mail_in`.

use axum::Json;
use axum::extract::State;
use selfdesk_shared::error::{ErrorBody, FieldError, Reason};
use selfdesk_shared::mail_in::{MailInList, OUTCOMES};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Admin;
use crate::error::{ApiQuery, ApiResult};
use crate::mail_in::store;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_mail_in))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailInParams {
    /// Only messages with this outcome: `replied`, `reopened`, `filed`, `ignored` or
    /// `rejected`.
    #[serde(default)]
    #[param(pattern = "^(replied|reopened|filed|ignored|rejected)$")]
    pub outcome: Option<String>,
}

/// The newest 200 messages read from the mailbox (of one outcome, or all), newest
/// first.
#[utoipa::path(
    get, path = "/api/v1/staff/mail-in", tag = "staff",
    security(("session" = [])),
    params(MailInParams),
    responses(
        (status = 200, description = "Messages, newest first", body = MailInList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "`outcome` is not one of the outcomes", body = ErrorBody),
    )
)]
pub async fn list_mail_in(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(params): ApiQuery<MailInParams>,
) -> ApiResult<Json<MailInList>> {
    let outcome = params.outcome.as_deref();
    if let Some(outcome) = outcome
        && !OUTCOMES.contains(&outcome)
    {
        return Err(FieldError::new("outcome", Reason::BadFormat)
            .because("One of replied, reopened, filed, ignored or rejected")
            .into());
    }
    Ok(Json(MailInList {
        messages: store::list(&state.db, outcome, 200).await?,
    }))
}
