//! A lost tracking link: the requester gives the ticket number and the email address
//! they filed it with, and a fresh link is emailed to that address.
//!
//! The answer never says whether the pair matched — the same 202 and body either way,
//! and the lookup itself runs after the answer is sent, so not even its timing tells.
//! Only the mailbox of the requester learns anything. Each number may be looked up 5
//! times an hour, matched or not, so nobody can flood a requester with emails or try
//! one number against many addresses.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::{TicketLookupAccepted, TicketLookupRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiJson, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::{ticket_lookups, tickets};
use crate::tickets::notify;
use crate::unix_now;

/// Lookups of one number are counted over this long.
pub const WINDOW_SECS: i64 = 60 * 60;
/// Lookups of one number allowed within the window; the next answers 429.
pub const MAX_LOOKUPS_PER_NUMBER: i64 = 5;

pub const ACCEPTED_MESSAGE: &str = "If a ticket with this number was filed with this email address, a new link to it is on its way to that address. It can take a few minutes; look in the spam folder too.";

pub const NO_EMAIL_MESSAGE: &str = "This help desk is not set up to send email, so it cannot send you a new link. Contact your IT department and give them your ticket number.";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(lookup))
}

/// Emails a fresh tracking link to the requester, given the ticket number and the
/// address it was filed with. The answer is the same whether or not they match.
#[utoipa::path(
    post, path = "/api/v1/tickets/lookup", tag = "tickets",
    request_body = TicketLookupRequest,
    responses(
        (status = 202, description = "Taken: if the pair matches a ticket, a new link is emailed to the address. The same answer when nothing matches", body = TicketLookupAccepted),
        (status = 422, description = "`number` is not shaped like SD-2026-000123, or `email` is not an address", body = ErrorBody),
        (status = 429, description = "5 lookups of this number in the last hour, or too many lookups from this address; `Retry-After` gives seconds", body = ErrorBody),
        (status = 503, description = "`unavailable`: this help desk sends no email (no SMTP server configured); nothing was looked up", body = ErrorBody),
    )
)]
pub async fn lookup(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(request): ApiJson<TicketLookupRequest>,
) -> ApiResult<(StatusCode, Json<TicketLookupAccepted>)> {
    // People copy numbers from emails: spaces around and any case are forgiven.
    let Ok(number) = TicketNumber::parse(&request.number.trim().to_ascii_uppercase()) else {
        return Err(FieldError::new("number", Reason::BadFormat)
            .because("A ticket number looks like SD-2026-000123")
            .into());
    };
    let email = EmailAddress::parse(&request.email).map_err(FieldError::from)?;
    // The request is checked first, like every other: a client learns what is wrong
    // with it before it learns the help desk cannot send email.
    if state.mailer.is_none() {
        return Err(ApiError::new(ErrorCode::Unavailable, NO_EMAIL_MESSAGE));
    }

    // Per address as well as per number: one script must not try many numbers.
    rate_limits::take_one(&state, Action::Lookup, &client).await?;
    let now = unix_now();
    let since = now - WINDOW_SECS;
    ticket_lookups::prune_before(&state.db, since).await?;
    if let Some(oldest) =
        ticket_lookups::try_record(&state.db, &number, now, since, MAX_LOOKUPS_PER_NUMBER).await?
    {
        let retry_after = (oldest + WINDOW_SECS - now).max(1);
        return Err(ApiError::rate_limited(retry_after as u64));
    }

    tokio::spawn(send_new_link(state, number, email));
    Ok((
        StatusCode::ACCEPTED,
        Json(TicketLookupAccepted {
            message: ACCEPTED_MESSAGE.to_owned(),
        }),
    ))
}

/// After the answer: find the ticket, and write a token that opens it together with the
/// email that carries it to the outbox. Failures are only logged; the requester has had
/// the same answer as everyone else.
async fn send_new_link(state: AppState, number: TicketNumber, email: EmailAddress) {
    let ticket = match ticket_lookups::find(&state.db, &number, email.as_str()).await {
        Ok(Some(ticket)) => ticket,
        Ok(None) => {
            tracing::debug!(ticket = %number, "lookup: no ticket with this number and address");
            return;
        }
        Err(err) => {
            tracing::warn!(ticket = %number, %err, "lookup: reading the ticket failed");
            return;
        }
    };
    let about = notify::About {
        language: ticket.language,
        number: &ticket.number,
        subject: &ticket.subject,
        requester_name: &ticket.requester_name,
        requester_email: &ticket.requester_email,
    };
    let Some(notification) = notify::new_link(&state, &about, unix_now()) else {
        return;
    };
    match tickets::add_emailed_token(&state.db, ticket.id, &notification).await {
        Ok(()) => state.outbox.wake(),
        Err(err) => {
            tracing::warn!(ticket = %number, %err, "lookup: storing the new link failed");
        }
    }
}
