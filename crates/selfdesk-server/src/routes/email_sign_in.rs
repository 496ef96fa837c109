//! Signing in by email, for organisations without an identity provider and as a
//! fallback: `start` emails a one-time link to the address, `finish` takes the link's
//! token (the link opens a page of the app, which posts it) and begins a requester
//! session, like a provider's sign-in. Holding the mailbox proves the address.
//!
//! The link opens a page rather than this API: a mail scanner that follows links
//! (many do, to check them) would otherwise spend the link before its owner clicks.
//! The token is in the link's fragment (`#link=`), which never reaches a server log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::{ErrorBody, ErrorCode, FieldError, Reason};
use selfdesk_shared::requester::{
    EmailSignInFinish, EmailSignInRequest, EmailSignInSent, EmailSignedIn, safe_return_path,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{requester, session};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::mail::sign_in_messages;
use crate::outbox::store::NewEmail;
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::requesters;
use crate::store::sign_in_links::{self, NewLink, Taken};
use crate::unix_now;

pub const SENT_MESSAGE: &str = "A link to sign in is on its way to this address. It works once, within 15 minutes. It can take a few minutes; look in the spam folder too.";

pub const NO_EMAIL_MESSAGE: &str =
    "This help desk is not set up to send email, so it cannot send you a link to sign in.";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(finish))
}

/// The page an emailed link opens, with the token in its fragment.
pub fn link_url(public_url: &str, token: &str) -> String {
    format!(
        "{}/tickets/sign-in#link={token}",
        public_url.trim_end_matches('/')
    )
}

/// Emails a one-time link that signs the requester in. Anyone may ask for any
/// address: only its mailbox gets the link, so the answer tells nothing.
#[utoipa::path(
    post, path = "/api/v1/auth/email/start", tag = "auth",
    request_body = EmailSignInRequest,
    responses(
        (status = 202, description = "The link is on its way to the address", body = EmailSignInSent),
        (status = 400, description = "`return_to` is not a path on this portal", body = ErrorBody),
        (status = 422, description = "`email` is not an address", body = ErrorBody),
        (status = 404, description = "Requester sign-in is `off` on this portal", body = ErrorBody),
        (status = 429, description = "5 links to this address in the last hour, or too many sign-ins started from this client (`sign-ins` in `SELFDESK_RATE_LIMITS`); `Retry-After` gives seconds", body = ErrorBody),
        (status = 503, description = "`unavailable`: this help desk sends no email (no SMTP server configured)", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(request): ApiJson<EmailSignInRequest>,
) -> ApiResult<(StatusCode, Json<EmailSignInSent>)> {
    let email = EmailAddress::parse(&request.email).map_err(FieldError::from)?;
    let return_to = match request.return_to.as_deref() {
        None | Some("") => "/tickets",
        Some(path) => safe_return_path(path).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidParameter,
                "return_to must be a path on this portal, such as /tickets",
            )
        })?,
    };
    if !state.requester_sign_in.offered() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "Requesters do not sign in on this portal (SELFDESK_REQUESTER_SIGN_IN=off)",
        ));
    }
    let Some(mailer) = state.mailer.as_ref() else {
        return Err(ApiError::new(ErrorCode::Unavailable, NO_EMAIL_MESSAGE));
    };
    rate_limits::take_one(&state, Action::SignIn, &client).await?;
    let now = unix_now();
    sign_in_links::prune(&state.db, now).await?;
    // Per address too: nobody may flood someone's mailbox from many clients.
    let address = email.as_str().to_lowercase();
    let (sent, oldest) =
        sign_in_links::sent_since(&state.db, &address, now - sign_in_links::WINDOW_SECS).await?;
    if sent >= sign_in_links::MAX_PER_ADDRESS {
        let retry_after = oldest.map_or(1, |t| (t + sign_in_links::WINDOW_SECS - now).max(1));
        return Err(ApiError::rate_limited(retry_after as u64));
    }
    let token = session::new_token();
    let message = sign_in_messages::sign_in_link(
        request.language,
        &link_url(&state.public_url, &token),
        sign_in_links::LIFETIME_SECS / 60,
    );
    let new = NewEmail::new(
        &state.outbox,
        "sign_in_link",
        &address,
        message,
        &mailer.domain(),
        now,
    );
    sign_in_links::insert_with_email(
        &state.db,
        &NewLink {
            token_hash: &session::token_hash(&token),
            email: &address,
            return_to,
            now,
        },
        &new,
    )
    .await?;
    state.outbox.wake();
    Ok((
        StatusCode::ACCEPTED,
        Json(EmailSignInSent {
            message: SENT_MESSAGE.to_owned(),
        }),
    ))
}

/// Signs in with the token of an emailed link: its first use only, within 15
/// minutes. The requester account of the address is created on the first sign-in;
/// its tickets are every ticket filed with the address.
#[utoipa::path(
    post, path = "/api/v1/auth/email/finish", tag = "auth",
    request_body = EmailSignInFinish,
    responses(
        (status = 200, description = "Signed in; the `sd_requester` cookie is set", body = EmailSignedIn),
        (status = 401, description = "The link was used already, has expired, or is not one this portal sent", body = ErrorBody),
        (status = 422, description = "`token` is empty or longer than 100 characters (the link was cut or changed)", body = ErrorBody),
        (status = 429, description = "Too many sign-ins from this client; `Retry-After` gives seconds", body = ErrorBody),
    )
)]
pub async fn finish(
    State(state): State<AppState>,
    client: ClientAddr,
    jar: CookieJar,
    ApiJson(request): ApiJson<EmailSignInFinish>,
) -> ApiResult<(CookieJar, Json<EmailSignedIn>)> {
    if request.token.is_empty() || request.token.chars().count() > 100 {
        return Err(FieldError::new("token", Reason::BadFormat)
            .because("The link is cut short or changed; open it from the email again")
            .into());
    }
    rate_limits::take_one(&state, Action::SignIn, &client).await?;
    let refused = |why: &str| ApiError::new(ErrorCode::Unauthenticated, why);
    let (email, return_to) =
        match sign_in_links::take(&state.db, &session::token_hash(&request.token), unix_now())
            .await?
        {
            Taken::Valid { email, return_to } => (email, return_to),
            Taken::Used => {
                return Err(refused(
                    "This link was used already; each link signs in once. Ask for a new one",
                ));
            }
            Taken::Expired => {
                return Err(refused(
                    "This link has expired (links work for 15 minutes). Ask for a new one",
                ));
            }
            Taken::Unknown => {
                return Err(refused(
                    "This link is not one this help desk sent, or it is too old. Ask for a new one",
                ));
            }
        };
    let account = requesters::sign_in_by_email(&state.db, &email).await?;
    let cookie = requester::begin_session(&state, account.id).await?;
    tracing::info!(requester_id = account.id, "requester signed in by email");
    Ok((jar.add(cookie), Json(EmailSignedIn { return_to })))
}
