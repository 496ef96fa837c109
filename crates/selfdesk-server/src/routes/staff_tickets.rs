//! One ticket, technician side: reading it whole, replying, notes, status, tier,
//! assignment and priority. Every endpoint requires a signed-in staff member; the
//! tier rules live in `tickets::changes`.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::incidents::{LinkIncidentRequest, LinkedIncident};
use selfdesk_shared::queue::{AssignRequest, PriorityChangeRequest};
use selfdesk_shared::tickets::{
    StaffReplyRequest, StatusChangeRequest, TicketView, TierChangeRequest,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::TicketInPath;
use super::tickets::{last_event_id, sse_event};
use crate::auth::extract::Staff;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::state::AppState;
use crate::store::{incidents, staff, tickets};
use crate::tickets::stream::{Viewer, event_stream};
use crate::tickets::{changes, view};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_ticket))
        .routes(routes!(reply))
        .routes(routes!(set_status))
        .routes(routes!(set_tier))
        .routes(routes!(assign))
        .routes(routes!(set_priority))
        .routes(routes!(link_incident))
        .routes(routes!(events))
}

async fn ticket_id(state: &AppState, number: &TicketInPath) -> ApiResult<i64> {
    tickets::id_for_number(&state.db, number.number()?)
        .await?
        .ok_or_else(|| ApiError::not_found("Ticket"))
}

async fn staff_view(state: &AppState, id: i64) -> ApiResult<Json<TicketView>> {
    let record = tickets::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Ticket"))?;
    Ok(Json(view::build(state, record, true).await?))
}

/// The whole ticket, internal notes included.
#[utoipa::path(
    get, path = "/api/v1/staff/tickets/{number}", tag = "staff-tickets",
    params(("number" = String, Path)), security(("session" = [])),
    responses(
        (status = 200, description = "The ticket with its full timeline", body = TicketView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket", body = ErrorBody),
    )
)]
pub async fn get_ticket(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(number): ApiPath<TicketInPath>,
) -> ApiResult<Json<TicketView>> {
    let id = ticket_id(&state, &number).await?;
    staff_view(&state, id).await
}

/// A public reply (the first one meets the first-response target) or, with
/// `internal: true`, a note only staff see.
#[utoipa::path(
    post, path = "/api/v1/staff/tickets/{number}/replies", tag = "staff-tickets",
    params(("number" = String, Path)), security(("session" = [])),
    request_body = StaffReplyRequest,
    responses(
        (status = 200, description = "Added; the updated ticket", body = TicketView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Closed", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiJson(request): ApiJson<StaffReplyRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = ticket_id(&state, &number).await?;
    changes::staff_reply(&state, id, &staff.member, &request).await?;
    staff_view(&state, id).await
}

/// Moves the ticket: in progress, waiting for the requester (pauses the SLA clock),
/// resolved (with a summary the requester sees), or back in progress.
#[utoipa::path(
    post, path = "/api/v1/staff/tickets/{number}/status", tag = "staff-tickets",
    params(("number" = String, Path)), security(("session" = [])),
    request_body = StatusChangeRequest,
    responses(
        (status = 200, description = "Changed; the updated ticket", body = TicketView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Not a move this status allows", body = ErrorBody),
        (status = 422, description = "Resolving without a summary", body = ErrorBody),
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiJson(request): ApiJson<StatusChangeRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = ticket_id(&state, &number).await?;
    changes::set_status(&state, id, &staff.member, &request).await?;
    staff_view(&state, id).await
}

/// Escalates to the next tier or de-escalates, with a reason.
#[utoipa::path(
    post, path = "/api/v1/staff/tickets/{number}/tier", tag = "staff-tickets",
    params(("number" = String, Path)), security(("session" = [])),
    request_body = TierChangeRequest,
    responses(
        (status = 200, description = "Changed; the updated ticket", body = TicketView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Not open", body = ErrorBody),
        (status = 422, description = "Not one tier away, or no reason", body = ErrorBody),
    )
)]
pub async fn set_tier(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiJson(request): ApiJson<TierChangeRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = ticket_id(&state, &number).await?;
    changes::set_tier(&state, id, &staff.member, &request).await?;
    staff_view(&state, id).await
}

/// Assigns the ticket to a technician at its tier or above (`null`: nobody).
#[utoipa::path(
    post, path = "/api/v1/staff/tickets/{number}/assignee", tag = "staff-tickets",
    params(("number" = String, Path)), security(("session" = [])),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Assigned; the updated ticket", body = TicketView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "The ticket is above the caller's tier", body = ErrorBody),
        (status = 409, description = "Not open, or already so assigned", body = ErrorBody),
        (status = 422, description = "No such active colleague at the ticket's tier", body = ErrorBody),
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiJson(request): ApiJson<AssignRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = ticket_id(&state, &number).await?;
    let assignee = match request.assignee {
        None => None,
        Some(staff_id) => Some(staff::get(&state.db, staff_id).await?.ok_or_else(|| {
            FieldError::new("assignee", Reason::Unknown).because("No such staff member")
        })?),
    };
    changes::assign(&state, id, &staff.member, assignee.as_ref()).await?;
    staff_view(&state, id).await
}

/// Changes the priority; both deadlines are recomputed from when the ticket was filed.
#[utoipa::path(
    post, path = "/api/v1/staff/tickets/{number}/priority", tag = "staff-tickets",
    params(("number" = String, Path)), security(("session" = [])),
    request_body = PriorityChangeRequest,
    responses(
        (status = 200, description = "Changed; the updated ticket", body = TicketView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "The ticket is above the caller's tier", body = ErrorBody),
        (status = 409, description = "Not open, or already that priority", body = ErrorBody),
    )
)]
pub async fn set_priority(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiJson(request): ApiJson<PriorityChangeRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = ticket_id(&state, &number).await?;
    changes::set_priority(&state, id, &staff.member, request.priority).await?;
    staff_view(&state, id).await
}

/// Links the ticket to an open known incident (`null` to unlink); the requester sees
/// which known problem it is part of.
#[utoipa::path(
    post, path = "/api/v1/staff/tickets/{number}/incident", tag = "staff-tickets",
    params(("number" = String, Path)), security(("session" = [])),
    request_body = LinkIncidentRequest,
    responses(
        (status = 200, description = "Linked; the updated ticket", body = TicketView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Not open, or already so linked", body = ErrorBody),
        (status = 422, description = "No such open incident", body = ErrorBody),
    )
)]
pub async fn link_incident(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiJson(request): ApiJson<LinkIncidentRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = ticket_id(&state, &number).await?;
    let incident = match request.incident {
        None => None,
        Some(incident) => {
            let found = incidents::get(&state.db, incident)
                .await?
                .filter(|i| i.open)
                .ok_or_else(|| {
                    FieldError::new("incident", Reason::Unknown).because("No such open incident")
                })?;
            Some(LinkedIncident {
                id: found.id,
                title: found.title,
            })
        }
    };
    changes::link_incident(&state, id, &staff.member, incident).await?;
    staff_view(&state, id).await
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AfterParam {
    /// Send only the events after this id (like `Last-Event-ID`, which wins when
    /// both are given): a page that has just read the ticket asks for what is newer.
    #[serde(default)]
    pub after: Option<i64>,
}

/// Live updates of one ticket for staff, internal notes included. A client sending
/// `Last-Event-ID` or `?after=` first receives what it missed; one sending neither,
/// the whole timeline.
#[utoipa::path(
    get, path = "/api/v1/staff/tickets/{number}/events", tag = "staff-tickets",
    params(("number" = String, Path), AfterParam), security(("session" = [])),
    responses(
        (status = 200, description = "text/event-stream of TicketEvent JSON; ends within 10 s of the session ending", content_type = "text/event-stream", body = selfdesk_shared::tickets::TicketEvent),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket", body = ErrorBody),
        (status = 429, description = "Too many live connections from this address", body = ErrorBody),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    staff: Staff,
    client: ClientAddr,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiQuery(q): ApiQuery<AfterParam>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let id = ticket_id(&state, &number).await?;
    // Staff streams have their own per-address pool: requesters' tabs from the same
    // office must never keep staff out.
    let slot = state.protect.streams.acquire(None, client.staff_key())?;
    let last_seen = last_event_id(&headers).or(q.after).unwrap_or(0);
    let viewer = Viewer::Staff {
        session_hash: staff.session_hash,
    };
    let events = event_stream(state, id, last_seen, viewer, slot);
    Ok(Sse::new(events.map(sse_event)).keep_alive(KeepAlive::default()))
}
