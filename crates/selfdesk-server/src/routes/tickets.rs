//! Tickets, requester side: categories, filing (safely retried), the tracking page's
//! data, replies, confirm/reopen/rate, and the live event stream.
//!
//! Access: whoever holds a ticket's access token (from its tracking link) may read
//! and act on that ticket only. The token comes as `Authorization: Bearer <token>`,
//! never in a URL: the event stream and downloads, which browsers open without
//! headers, take a short-lived single-purpose grant (`?grant=`) that the page asks for
//! with its token. A wrong token and another ticket's token both answer 404, so
//! guessing numbers reveals nothing. A requester who fears their link leaked replaces
//! it: every earlier link, grant and open stream of the ticket stops working.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::language::Language;
use selfdesk_shared::tickets::{
    ConfirmRequest, GrantPurpose, IDEMPOTENCY_HEADER, NewTicket, RatingRequest, ReopenRequest,
    ReplyRequest, TicketAccessRenewed, TicketCategoryList, TicketCreated, TicketEvent, TicketGrant,
    TicketGrantRequest, TicketView,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::TicketInPath;
use crate::auth::session::{new_token, token_hash};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::ticket_grants::{self, Purpose};
use crate::store::tickets;
use crate::tickets::stream::{Viewer, event_stream};
use crate::tickets::{changes, filing, view};

/// A stream grant opens one stream (it is used up on connecting); a page that lost its
/// stream asks for a new one.
pub const EVENTS_GRANT_SECS: i64 = 5 * 60;
/// A requester's stream ends after this long and the page connects again with a new
/// grant, so no stream outlives the grants' checks for long.
pub const REQUESTER_STREAM_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60 * 60);
/// A download grant is asked for when the link is clicked.
pub const DOWNLOAD_GRANT_SECS: i64 = 60;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(categories))
        .routes(routes!(file_ticket))
        .routes(routes!(get_ticket))
        .routes(routes!(reply))
        .routes(routes!(confirm))
        .routes(routes!(reopen))
        .routes(routes!(rate))
        .routes(routes!(grant))
        .routes(routes!(renew_access))
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
    params(("Idempotency-Key" = String, Header, pattern = "^\\s*[!-~]{16,200}\\s*$", description = "16–200 printable characters, e.g. a UUID; the same for every retry of one submission")),
    request_body = NewTicket,
    responses(
        (status = 201, description = "Filed", body = TicketCreated),
        (status = 200, description = "Already filed with this key: the same ticket, a fresh token", body = TicketCreated),
        (status = 400, description = "No or malformed Idempotency-Key", body = ErrorBody),
        (status = 409, description = "The key was used for a different ticket", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
        (status = 429, description = "Too many tickets filed from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn file_ticket(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewTicket>,
) -> ApiResult<(StatusCode, Json<TicketCreated>)> {
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok());
    let key = filing::check_key(key)?;
    let (status, created) = filing::file(&state, &client, key, new).await?;
    Ok((status, Json(created)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GrantParam {
    /// A grant from `POST /api/v1/tickets/{number}/grants`, for clients that cannot
    /// send an `Authorization` header (`EventSource`, a download link).
    #[serde(default)]
    pub grant: Option<String>,
    /// Resume after this event id (like `Last-Event-ID`).
    #[serde(default)]
    pub after: Option<i64>,
}

/// The access token from `Authorization: Bearer`, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The ticket `number` and the hash of the access token that opens it, if the
/// request carries one.
pub(crate) async fn authorize(
    state: &AppState,
    number: &TicketInPath,
    headers: &HeaderMap,
) -> ApiResult<(i64, String)> {
    let Some(token) = bearer(headers) else {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "Open the ticket through its tracking link (it carries the access token)",
        ));
    };
    let number = number.number()?;
    if token.len() > 100 {
        return Err(ApiError::not_found("Ticket"));
    }
    let hash = token_hash(token);
    let id = tickets::id_for_token(&state.db, number, &hash)
        .await?
        .ok_or_else(|| ApiError::not_found("Ticket"))?;
    Ok((id, hash))
}

/// Like [`authorize`], also accepting a grant for `purpose` in the query. Answers
/// with the ticket and the hash of the access token behind the request.
pub(crate) async fn authorize_with_grant(
    state: &AppState,
    number: &TicketInPath,
    headers: &HeaderMap,
    grant: Option<&str>,
    purpose: Purpose,
) -> ApiResult<(i64, String)> {
    let Some(grant) = grant.map(str::trim).filter(|g| !g.is_empty()) else {
        return authorize(state, number, headers).await;
    };
    let number = number.number()?;
    if grant.len() > 100 {
        return Err(ApiError::not_found("Ticket"));
    }
    ticket_grants::take(&state.db, number, &token_hash(grant), purpose)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unauthenticated,
                "This link has expired; reload the ticket's page",
            )
        })
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
    ApiPath(number): ApiPath<TicketInPath>,
    headers: HeaderMap,
) -> ApiResult<Json<TicketView>> {
    let (id, _) = authorize(&state, &number, &headers).await?;
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
        (status = 429, description = "Too many replies from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<TicketInPath>,
    client: ClientAddr,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ReplyRequest>,
) -> ApiResult<Json<TicketView>> {
    let (id, _) = authorize(&state, &number, &headers).await?;
    rate_limits::take_one(&state, Action::Reply, &client).await?;
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
    ApiPath(number): ApiPath<TicketInPath>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> ApiResult<Json<TicketView>> {
    let (id, _) = authorize(&state, &number, &headers).await?;
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
    ApiPath(number): ApiPath<TicketInPath>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ReopenRequest>,
) -> ApiResult<Json<TicketView>> {
    let (id, _) = authorize(&state, &number, &headers).await?;
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
    ApiPath(number): ApiPath<TicketInPath>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RatingRequest>,
) -> ApiResult<Json<TicketView>> {
    let (id, _) = authorize(&state, &number, &headers).await?;
    changes::rate(&state, id, &request).await?;
    requester_view(&state, id).await
}

/// A short-lived grant for the URLs a browser opens without headers: the live
/// stream (`purpose: events`) or a download (`purpose: download`).
#[utoipa::path(
    post, path = "/api/v1/tickets/{number}/grants", tag = "tickets",
    params(("number" = String, Path)), security(("ticket_token" = [])),
    request_body = TicketGrantRequest,
    responses(
        (status = 201, description = "The grant, to send as `?grant=`; it opens one stream or one download", body = TicketGrant),
        (status = 401, description = "No access token", body = ErrorBody),
        (status = 404, description = "No ticket opens with this token", body = ErrorBody),
        (status = 429, description = "Too many grants for this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn grant(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<TicketInPath>,
    client: ClientAddr,
    headers: HeaderMap,
    ApiJson(request): ApiJson<TicketGrantRequest>,
) -> ApiResult<(StatusCode, Json<TicketGrant>)> {
    let (id, token) = authorize(&state, &number, &headers).await?;
    rate_limits::take_one(&state, Action::Grant, &client).await?;
    let (purpose, ttl) = match request.purpose {
        GrantPurpose::Events => (Purpose::Events, EVENTS_GRANT_SECS),
        GrantPurpose::Download => (Purpose::Download, DOWNLOAD_GRANT_SECS),
    };
    let grant = new_token();
    ticket_grants::insert(&state.db, &token_hash(&grant), id, &token, purpose, ttl).await?;
    Ok((
        StatusCode::CREATED,
        Json(TicketGrant {
            grant,
            expires_in: ttl,
        }),
    ))
}

/// "Someone else has my link": replaces every access token of the ticket with a new
/// one. Every earlier link, grant and live stream of the ticket stops working (open
/// streams end within 10 seconds).
#[utoipa::path(
    post, path = "/api/v1/tickets/{number}/access/renew", tag = "tickets",
    params(("number" = String, Path)), security(("ticket_token" = [])),
    responses(
        (status = 200, description = "The new token; the old ones no longer open the ticket", body = TicketAccessRenewed),
        (status = 401, description = "No access token", body = ErrorBody),
        (status = 404, description = "No ticket opens with this token", body = ErrorBody),
        (status = 429, description = "Too many new links from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn renew_access(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<TicketInPath>,
    client: ClientAddr,
    headers: HeaderMap,
) -> ApiResult<Json<TicketAccessRenewed>> {
    let (id, _) = authorize(&state, &number, &headers).await?;
    let number = number.number()?;
    rate_limits::take_one(&state, Action::Renewal, &client).await?;
    let token = new_token();
    ticket_grants::replace_all_tokens(&state.db, id, &token_hash(&token)).await?;
    tracing::info!(ticket = %number, "requester replaced the ticket's links");
    Ok(Json(TicketAccessRenewed {
        tracking_path: format!("/tickets/{number}#access={token}"),
        access_token: token,
    }))
}

/// Live updates (Server-Sent Events): one `message` per public timeline event, with
/// the event's JSON as data and its id as the SSE id. A reconnecting client sends
/// `Last-Event-ID` (browsers do) or `?after=` and first receives what it missed.
#[utoipa::path(
    get, path = "/api/v1/tickets/{number}/events", tag = "tickets",
    params(("number" = String, Path), GrantParam),
    security(("ticket_token" = [])),
    responses(
        (status = 200, description = "An endless text/event-stream of TicketEvent JSON", content_type = "text/event-stream", body = TicketEvent),
        (status = 401, description = "No access token or grant, or the grant expired", body = ErrorBody),
        (status = 404, description = "No ticket opens with this token", body = ErrorBody),
        (status = 429, description = "Too many live connections open on this ticket or from this address", body = ErrorBody),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    ApiPath(number): ApiPath<TicketInPath>,
    ApiQuery(q): ApiQuery<GrantParam>,
    client: ClientAddr,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let (id, token_hash) = authorize_with_grant(
        &state,
        &number,
        &headers,
        q.grant.as_deref(),
        Purpose::Events,
    )
    .await?;
    let slot = state.protect.streams.acquire(Some(id), client.key())?;
    let last_seen = last_event_id(&headers).or(q.after).unwrap_or(0);
    let viewer = Viewer::Requester {
        token_hash,
        until: tokio::time::Instant::now() + REQUESTER_STREAM_LIFETIME,
    };
    let events = event_stream(state, id, last_seen, viewer, slot);
    Ok(Sse::new(events.map(sse_event)).keep_alive(KeepAlive::default()))
}

/// The id a reconnecting browser says it has (`Last-Event-ID`).
pub fn last_event_id(headers: &HeaderMap) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
}

/// One timeline event as an SSE message: its JSON, with its id as the SSE id.
pub fn sse_event(event: TicketEvent) -> Result<Event, Infallible> {
    Ok(Event::default()
        .id(event.id.to_string())
        .json_data(&event)
        .unwrap_or_default())
}
