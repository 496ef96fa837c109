//! Tickets, requester side: categories, filing (safely retried), the tracking page's
//! data, replies, confirm/reopen/rate, and the live event stream.
//!
//! Access: whoever holds a ticket's access token (from its tracking link) may read
//! and act on that ticket only. The token comes as `Authorization: Bearer <token>`, or
//! as `?access=` on the event stream, which browsers open without custom headers. A
//! wrong token and another ticket's token both answer 404, so guessing numbers
//! reveals nothing.

use std::collections::{BTreeSet, VecDeque};
use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::language::Language;
use selfdesk_shared::tickets::{
    ConfirmRequest, IDEMPOTENCY_HEADER, NewTicket, RatingRequest, ReopenRequest, ReplyRequest,
    TicketCategoryList, TicketCreated, TicketEvent, TicketView, looks_like_number,
};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::session::token_hash;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::store::tickets;
use crate::tickets::{changes, filing, view};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(categories))
        .routes(routes!(file_ticket))
        .routes(routes!(get_ticket))
        .routes(routes!(reply))
        .routes(routes!(confirm))
        .routes(routes!(reopen))
        .routes(routes!(rate))
        .routes(routes!(events))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CategoryParams {
    /// `en`, `ru`, `fr` or `nb`; names fall back to English.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The categories a ticket can be filed under, with the extra fields each asks for.
#[utoipa::path(
    get, path = "/api/v1/tickets/categories", tag = "tickets", params(CategoryParams),
    responses((status = 200, description = "Categories in display order", body = TicketCategoryList))
)]
pub async fn categories(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CategoryParams>,
) -> ApiResult<Json<TicketCategoryList>> {
    let lang = q
        .lang
        .as_deref()
        .and_then(Language::from_tag)
        .unwrap_or(Language::En);
    Ok(Json(TicketCategoryList {
        categories: tickets::categories(&state.db, lang).await?,
    }))
}

/// Files a ticket. Send a random `Idempotency-Key` and keep it for retries: the same
/// key with the same body returns the ticket already filed (200, with a fresh access
/// token) instead of filing it twice.
#[utoipa::path(
    post, path = "/api/v1/tickets", tag = "tickets",
    params(("Idempotency-Key" = String, Header, description = "16–200 printable characters, e.g. a UUID; the same for every retry of one submission")),
    request_body = NewTicket,
    responses(
        (status = 201, description = "Filed", body = TicketCreated),
        (status = 200, description = "Already filed with this key: the same ticket, a fresh token", body = TicketCreated),
        (status = 400, description = "No or malformed Idempotency-Key", body = ErrorBody),
        (status = 409, description = "The key was used for a different ticket", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn file_ticket(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewTicket>,
) -> ApiResult<(StatusCode, Json<TicketCreated>)> {
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok());
    let key = filing::check_key(key)?;
    let (status, created) = filing::file(&state, key, new).await?;
    Ok((status, Json(created)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessParam {
    /// The access token, for clients that cannot send an `Authorization` header
    /// (`EventSource`).
    #[serde(default)]
    pub access: Option<String>,
    /// Resume after this event id (like `Last-Event-ID`).
    #[serde(default)]
    pub after: Option<i64>,
}

/// The ticket `number`, if the request carries a token that opens it.
pub(crate) async fn authorize(
    state: &AppState,
    number: &str,
    headers: &HeaderMap,
    access: Option<&str>,
) -> ApiResult<i64> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(token) = bearer.or(access).map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "Open the ticket through its tracking link (it carries the access token)",
        ));
    };
    let not_found = || ApiError::not_found("Ticket");
    if !looks_like_number(number) || token.len() > 100 {
        return Err(not_found());
    }
    tickets::id_for_token(&state.db, number, &token_hash(token))
        .await?
        .ok_or_else(not_found)
}

async fn requester_view(state: &AppState, id: i64) -> ApiResult<Json<TicketView>> {
    let record = tickets::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Ticket"))?;
    Ok(Json(view::build(state, record, false).await?))
}

/// The ticket as its requester sees it: status, tier, priority, SLA, public timeline.
#[utoipa::path(
    get, path = "/api/v1/tickets/{number}", tag = "tickets",
    params(("number" = String, Path, description = "e.g. SD-2026-000123")),
    security(("ticket_token" = [])),
    responses(
        (status = 200, description = "The ticket", body = TicketView),
        (status = 401, description = "No access token", body = ErrorBody),
        (status = 404, description = "No ticket opens with this token", body = ErrorBody),
    )
)]
pub async fn get_ticket(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Json<TicketView>> {
    let id = authorize(&state, &number, &headers, None).await?;
    requester_view(&state, id).await
}

/// The requester writes to the technicians. Answering while the ticket waits for
/// them puts it back in progress (the SLA clock runs again).
#[utoipa::path(
    post, path = "/api/v1/tickets/{number}/replies", tag = "tickets",
    params(("number" = String, Path)), security(("ticket_token" = [])),
    request_body = ReplyRequest,
    responses(
        (status = 200, description = "Added; the updated ticket", body = TicketView),
        (status = 404, description = "No ticket opens with this token", body = ErrorBody),
        (status = 409, description = "Resolved or closed", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ReplyRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = authorize(&state, &number, &headers, None).await?;
    changes::requester_reply(&state, id, &request.body, &request.attachments).await?;
    requester_view(&state, id).await
}

/// "Yes, it works": closes a resolved ticket, with an optional 1–5 rating.
#[utoipa::path(
    post, path = "/api/v1/tickets/{number}/confirm", tag = "tickets",
    params(("number" = String, Path)), security(("ticket_token" = [])),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Closed; the updated ticket", body = TicketView),
        (status = 409, description = "Not resolved", body = ErrorBody),
        (status = 422, description = "Rating outside 1–5", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = authorize(&state, &number, &headers, None).await?;
    changes::confirm(&state, id, &request).await?;
    requester_view(&state, id).await
}

/// "It still doesn't work": reopens a resolved ticket, with a reason.
#[utoipa::path(
    post, path = "/api/v1/tickets/{number}/reopen", tag = "tickets",
    params(("number" = String, Path)), security(("ticket_token" = [])),
    request_body = ReopenRequest,
    responses(
        (status = 200, description = "Back in progress; the updated ticket", body = TicketView),
        (status = 409, description = "Not resolved", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody),
    )
)]
pub async fn reopen(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ReopenRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = authorize(&state, &number, &headers, None).await?;
    changes::reopen(&state, id, &request.reason).await?;
    requester_view(&state, id).await
}

/// Rates a closed ticket once (if confirming did not already).
#[utoipa::path(
    post, path = "/api/v1/tickets/{number}/rating", tag = "tickets",
    params(("number" = String, Path)), security(("ticket_token" = [])),
    request_body = RatingRequest,
    responses(
        (status = 200, description = "Rated; the updated ticket", body = TicketView),
        (status = 409, description = "Not closed, or already rated", body = ErrorBody),
        (status = 422, description = "Rating outside 1–5", body = ErrorBody),
    )
)]
pub async fn rate(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RatingRequest>,
) -> ApiResult<Json<TicketView>> {
    let id = authorize(&state, &number, &headers, None).await?;
    changes::rate(&state, id, &request).await?;
    requester_view(&state, id).await
}

/// Live updates (Server-Sent Events): one `message` per public timeline event, with
/// the event's JSON as data and its id as the SSE id. A reconnecting client sends
/// `Last-Event-ID` (browsers do) or `?after=` and first receives what it missed.
#[utoipa::path(
    get, path = "/api/v1/tickets/{number}/events", tag = "tickets",
    params(("number" = String, Path), AccessParam),
    responses(
        (status = 200, description = "An endless text/event-stream of TicketEvent JSON", content_type = "text/event-stream", body = TicketEvent),
        (status = 401, description = "No access token", body = ErrorBody),
        (status = 404, description = "No ticket opens with this token", body = ErrorBody),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<String>,
    ApiQuery(q): ApiQuery<AccessParam>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let id = authorize(&state, &number, &headers, q.access.as_deref()).await?;
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.after)
        .unwrap_or(0);
    Ok(Sse::new(event_stream(state, id, last_seen, false)).keep_alive(KeepAlive::default()))
}

/// The events of one ticket: first those after `last_seen`, then each new one as the
/// replica's feed reports it. Each event is sent once, even when it arrives late.
pub fn event_stream(
    state: AppState,
    ticket_id: i64,
    last_seen: i64,
    include_internal: bool,
) -> impl Stream<Item = Result<Event, Infallible>> {
    // Subscribe before the catch-up read, so nothing falls between the two.
    let receiver = state.feed.subscribe();
    let start = StreamState {
        state,
        ticket_id,
        include_internal,
        receiver,
        sent: BTreeSet::new(),
        pending: VecDeque::new(),
        catch_up_after: Some(last_seen),
        last_seen,
    };
    futures_util::stream::unfold(start, |mut s| async move {
        loop {
            if let Some(after) = s.catch_up_after.take() {
                s.load(after).await;
            }
            if let Some(event) = s.pending.pop_front() {
                let sse = Event::default()
                    .id(event.id.to_string())
                    .json_data(&event)
                    .unwrap_or_default();
                return Some((Ok(sse), s));
            }
            match s.receiver.recv().await {
                Ok(row) if row.ticket_id == s.ticket_id && (row.public || s.include_internal) => {
                    s.catch_up_after = Some(row.event_id - 1);
                }
                Ok(_) => {}
                // Fell behind the feed: read the ticket's whole timeline again.
                Err(RecvError::Lagged(_)) => s.catch_up_after = Some(0),
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

struct StreamState {
    state: AppState,
    ticket_id: i64,
    include_internal: bool,
    receiver: tokio::sync::broadcast::Receiver<crate::store::tickets::FeedRow>,
    sent: BTreeSet<i64>,
    pending: VecDeque<TicketEvent>,
    catch_up_after: Option<i64>,
    /// What the client said it already has: never sent again.
    last_seen: i64,
}

impl StreamState {
    async fn load(&mut self, after: i64) {
        let after = after.max(self.last_seen);
        match tickets::events(&self.state.db, self.ticket_id, self.include_internal, after).await {
            Ok(events) => {
                for event in events {
                    if self.sent.insert(event.id) {
                        self.pending.push_back(event);
                    }
                }
            }
            Err(err) => tracing::warn!(%err, "ticket stream: reading events failed"),
        }
    }
}
