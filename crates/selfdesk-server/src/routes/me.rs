//! The signed-in requester: who they are, their tickets, and signing out (here, or on
//! every device). Only a requester session opens these (`auth::requester`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::queue::row_standing;
use selfdesk_shared::requester::{MyTicket, MyTicketAccess, MyTicketList, RequesterMe};
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::TicketStatus;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::requester::{self, Requester};
use crate::auth::session;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::routes::TicketInPath;
use crate::state::AppState;
use crate::store::requesters;
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(my_tickets))
        .routes(routes!(open_my_ticket))
        .routes(routes!(sign_out))
        .routes(routes!(sign_out_everywhere))
}

/// The signed-in requester.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "requester",
    security(("requester_session" = [])),
    responses(
        (status = 200, description = "The signed-in requester", body = RequesterMe),
        (status = 401, description = "Not signed in as a requester, or the session ended", body = ErrorBody),
    )
)]
pub async fn me(who: Requester) -> Json<RequesterMe> {
    Json(RequesterMe {
        email: who.account.email,
        display_name: who.account.display_name,
    })
}

/// Every ticket filed with the requester's verified address — signed in or not, on
/// any device — most recently changed first, at most 500.
#[utoipa::path(
    get, path = "/api/v1/me/tickets", tag = "requester",
    security(("requester_session" = [])),
    responses(
        (status = 200, description = "The requester's tickets", body = MyTicketList),
        (status = 401, description = "Not signed in as a requester, or the session ended", body = ErrorBody),
    )
)]
pub async fn my_tickets(
    State(state): State<AppState>,
    who: Requester,
) -> ApiResult<Json<MyTicketList>> {
    let rows = requesters::tickets_of(&state.db, &who.account.email).await?;
    let now = unix_now();
    let warn = state.sla.current().warn_before_secs;
    let tickets = rows
        .into_iter()
        .filter_map(|r| {
            Some(MyTicket {
                number: TicketNumber::parse(&r.number).ok()?,
                subject: r.subject,
                status: TicketStatus::parse(&r.status).unwrap_or(TicketStatus::New),
                created_at: r.created_at,
                updated_at: r.updated_at,
                sla: row_standing(r.sla_due_at, now, warn),
            })
        })
        .collect();
    Ok(Json(MyTicketList { tickets }))
}

/// A token of this device's own that opens one of the requester's tickets, as its
/// tracking link does: the ticket's pages take it like any other, so a ticket filed on
/// a laptop opens on a phone after signing in. Each call adds a token; "someone else
/// has my link" on the ticket ends them all, like every link.
#[utoipa::path(
    post, path = "/api/v1/me/tickets/{number}/access", tag = "requester",
    params(("number" = String, Path, description = "e.g. SD-2026-000123")),
    security(("requester_session" = [])),
    responses(
        (status = 200, description = "A new access token for the ticket", body = MyTicketAccess),
        (status = 401, description = "Not signed in as a requester, or the session ended", body = ErrorBody),
        (status = 404, description = "No ticket with this number was filed with the requester's address", body = ErrorBody),
    )
)]
pub async fn open_my_ticket(
    State(state): State<AppState>,
    who: Requester,
    ApiPath(number): ApiPath<TicketInPath>,
) -> ApiResult<Json<MyTicketAccess>> {
    let number = number.number()?;
    let token = session::new_token();
    let (subject, created_at) = requesters::open_ticket(
        &state.db,
        number.as_str(),
        &who.account.email,
        &session::token_hash(&token),
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Ticket"))?;
    Ok(Json(MyTicketAccess {
        access_token: token,
        subject,
        created_at,
    }))
}

/// Ends this session (deleted on the server, not only forgotten by the browser).
#[utoipa::path(
    post, path = "/api/v1/me/sign-out", tag = "requester",
    security(("requester_session" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, description = "Not signed in as a requester", body = ErrorBody),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    who: Requester,
    jar: CookieJar,
) -> ApiResult<(StatusCode, CookieJar)> {
    requesters::delete_session(&state.db, &who.session_hash).await?;
    Ok((
        StatusCode::NO_CONTENT,
        jar.add(requester::removal_cookie(requester::secure(&state))),
    ))
}

/// Ends every session of this requester, on every device ("someone else may be
/// signed in as me").
#[utoipa::path(
    post, path = "/api/v1/me/sign-out-everywhere", tag = "requester",
    security(("requester_session" = [])),
    responses(
        (status = 204, description = "Every session ended; the cookie is cleared"),
        (status = 401, description = "Not signed in as a requester", body = ErrorBody),
    )
)]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    who: Requester,
    jar: CookieJar,
) -> ApiResult<(StatusCode, CookieJar)> {
    let ended = requesters::delete_all_sessions(&state.db, who.account.id).await?;
    tracing::info!(
        requester_id = who.account.id,
        sessions = ended,
        "requester signed out everywhere"
    );
    Ok((
        StatusCode::NO_CONTENT,
        jar.add(requester::removal_cookie(requester::secure(&state))),
    ))
}
