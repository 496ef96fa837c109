//! Sign-in with the organisation's OpenID provider: `start` sends the browser to the
//! provider, `callback` is where the provider sends it back (the redirect URL
//! registered there, one for requesters and staff). The protocol is `auth::oidc`;
//! this is the browser's side of it: what is kept between the two, the cookie that
//! ties it to one browser, and the session it ends in — a requester's, or with
//! `staff=true` a staff member's (single sign-on, roles from the provider's groups).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use selfdesk_shared::auth::parse_display_name;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::requester::{SignInFailure, SignInOptions, safe_return_path};
use selfdesk_shared::tickets::MAX_NAME_CHARS;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::oidc::{Identity, Oidc, OidcError};
use crate::auth::{requester, session};
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::{oidc_sign_ins, requesters, sessions, staff};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(options))
        .routes(routes!(start))
        .routes(routes!(callback))
}

/// Which ways of signing in this portal offers, for the pages that show the choices.
#[utoipa::path(
    get, path = "/api/v1/auth/sign-in-options", tag = "auth",
    responses((status = 200, description = "What this portal offers", body = SignInOptions))
)]
pub async fn options(State(state): State<AppState>) -> Json<SignInOptions> {
    let oidc = state.oidc.as_deref();
    Json(SignInOptions {
        organisation: state.offers_organisation_sign_in(),
        staff_organisation: oidc.is_some_and(|o| o.staff_groups().is_some()),
        email: state.offers_email_sign_in(),
    })
}

/// The cookie that ties a sign-in to the browser that started it: a `state` seen
/// elsewhere (a log, a shared link, an attacker's own sign-in planted in someone's
/// browser) is worth nothing without it. Only the OIDC routes ever see it.
const BINDING_COOKIE: &str = "sd_oidc";
const BINDING_PATH: &str = "/api/v1/auth/oidc";

fn binding_cookie(token: String, secure: bool, max_age_secs: i64) -> Cookie<'static> {
    // Lax: the provider's redirect back is a top-level GET another site starts.
    Cookie::build((BINDING_COOKIE, token))
        .path(BINDING_PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(max_age_secs))
        .build()
}

fn provider(state: &AppState) -> Result<&Oidc, OidcError> {
    state.oidc.as_deref().ok_or(OidcError::NotConfigured)
}

fn no_staff_sign_in() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "Staff sign-in with the organisation is not set up on this portal; sign in with your password",
    )
}

fn no_requester_sign_in() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "Requesters do not sign in on this portal (SELFDESK_REQUESTER_SIGN_IN=off)",
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StartParams {
    /// Where to go once signed in: a path on this portal (`/tickets`); the home page
    /// when left out. Anything else (another site, `//host`) is refused.
    #[serde(default)]
    #[param(max_length = 512)]
    pub return_to: Option<String>,
    /// Sign in as staff (single sign-on): the provider's groups give the role. The
    /// staff area by default.
    #[serde(default)]
    pub staff: Option<bool>,
}

/// Starts a sign-in: keeps a fresh `state`, `nonce` and PKCE verifier on the server,
/// ties them to this browser with a short-lived cookie, and sends the browser to the
/// provider's sign-in page.
#[utoipa::path(
    get, path = "/api/v1/auth/oidc/start", tag = "auth", params(StartParams),
    responses(
        (status = 303, description = "To the provider's sign-in page; the `sd_oidc` cookie ties the sign-in to this browser"),
        (status = 400, description = "`return_to` is not a path on this portal", body = ErrorBody),
        (status = 404, description = "No provider is set up (or, with `staff=true`, no staff groups; without it, requester sign-in is `off`)", body = ErrorBody),
        (status = 429, description = "Too many sign-ins started from this address this hour (`sign-ins` in `SELFDESK_RATE_LIMITS`); `Retry-After` gives seconds", body = ErrorBody),
        (status = 503, description = "The provider cannot be reached", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    client: ClientAddr,
    jar: CookieJar,
    ApiQuery(q): ApiQuery<StartParams>,
) -> ApiResult<(CookieJar, Redirect)> {
    // First, so that a portal without a provider answers every start alike.
    let oidc = provider(&state)?;
    let staff = q.staff == Some(true);
    if staff && oidc.staff_groups().is_none() {
        return Err(no_staff_sign_in());
    }
    if !staff && !state.requester_sign_in.offered() {
        return Err(no_requester_sign_in());
    }
    let return_to = match q.return_to.as_deref() {
        None | Some("") if staff => "/staff/tickets",
        None | Some("") => "/",
        Some(path) => safe_return_path(path).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidParameter,
                "return_to must be a path on this portal, such as /tickets",
            )
        })?,
    };
    // Each start keeps a row for minutes: counted, like every anonymous write.
    rate_limits::take_one(&state, Action::SignIn, &client).await?;
    let begun = oidc.begin().await?;
    let binding = session::new_token();
    oidc_sign_ins::insert(
        &state.db,
        &session::token_hash(&begun.state),
        &oidc_sign_ins::PendingSignIn {
            purpose: if staff { "staff" } else { "requester" }.to_owned(),
            browser_hash: session::token_hash(&binding),
            nonce: begun.nonce,
            pkce_verifier: begun.pkce_verifier,
            return_to: return_to.to_owned(),
        },
    )
    .await?;
    let secure = requester::secure(&state);
    Ok((
        jar.add(binding_cookie(
            binding,
            secure,
            oidc_sign_ins::LIFETIME_SECS,
        )),
        Redirect::to(&begun.url),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackParams {
    /// The authorization code.
    #[serde(default)]
    pub code: Option<String>,
    /// The `state` the sign-in was started with.
    #[serde(default)]
    pub state: Option<String>,
    /// Set by the provider when it did not sign the person in (`access_denied`).
    #[serde(default)]
    pub error: Option<String>,
    /// The provider's issuer (RFC 9207), when it sends it.
    #[serde(default)]
    pub iss: Option<String>,
}

/// Where the provider sends the browser back. The `state` must be one this portal
/// handed out, unused and unexpired, to this same browser; the code is exchanged and
/// the ID token validated; the email must be verified. Then the requester account is
/// created or updated, a requester session begins, and the browser goes where it was
/// going. Anything wrong: 401 (403 for an unverified address), nothing created, and
/// the `state` is spent either way.
#[utoipa::path(
    get, path = "/api/v1/auth/oidc/callback", tag = "auth", params(CallbackParams),
    responses(
        (status = 303, description = "Signed in; the `sd_requester` cookie (or, for staff, `sd_session`) is set and the browser goes to `return_to`. A browser (`Accept: text/html`) that is refused goes to the sign-in page instead, with `?failed=refused|unverified|not-staff|unavailable`"),
        (status = 401, description = "The sign-in is unknown, used, expired, from another browser, refused by the provider, or its ID token is not valid", body = ErrorBody),
        (status = 403, description = "The provider did not verify the email address; or, signing in as staff, the person is in no staff group (their staff account is deactivated and its sessions end)", body = ErrorBody),
        (status = 404, description = "No provider is set up", body = ErrorBody),
        (status = 503, description = "The provider cannot be reached", body = ErrorBody),
    )
)]
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiQuery(q): ApiQuery<CallbackParams>,
) -> Response {
    let mut purpose = None;
    match finish(&state, jar, q, &mut purpose).await {
        Ok(signed_in) => signed_in.into_response(),
        // A person's browser is shown the refusal on the page they signed in from, in
        // their language, rather than the API's JSON.
        Err(error) if wants_a_page(&headers) => {
            let page = if purpose.as_deref() == Some("staff") {
                "/staff/sign-in"
            } else {
                "/tickets/sign-in"
            };
            let why = SignInFailure::of(error.code().http_status(), purpose.as_deref());
            Redirect::to(&format!("{page}?failed={}", why.as_str())).into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// Whether the request is a browser navigating (it asks for HTML first), not a client
/// of the API.
fn wants_a_page(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.starts_with("text/html"))
}

/// The callback's work; `purpose` is set as soon as the sign-in is known.
async fn finish(
    state: &AppState,
    jar: CookieJar,
    q: CallbackParams,
    purpose: &mut Option<String>,
) -> ApiResult<(CookieJar, Redirect)> {
    let oidc = provider(state)?;
    let refused = |why: &str| ApiError::from(OidcError::Refused(why.to_owned()));
    let sent_state = q.state.as_deref().ok_or_else(|| refused("no state"))?;
    let pending = oidc_sign_ins::take(&state.db, &session::token_hash(sent_state))
        .await?
        .ok_or_else(|| {
            refused("this sign-in was already used, has expired, or was not started here")
        })?;
    *purpose = Some(pending.purpose.clone());
    let bound = jar
        .get(BINDING_COOKIE)
        .is_some_and(|c| session::token_hash(c.value()) == pending.browser_hash);
    if !bound {
        return Err(refused("it was started in another browser"));
    }
    if let Some(error) = q.error.as_deref() {
        // Only an error code's own alphabet is repeated: the parameter is anyone's text.
        let code: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        return Err(refused(&format!(
            "the provider did not sign you in ({code})"
        )));
    }
    if let Some(iss) = q.iss.as_deref()
        && iss != oidc.issuer()
    {
        return Err(refused("the answer came from another provider"));
    }
    let code = q.code.ok_or_else(|| refused("the provider sent no code"))?;
    let identity = oidc
        .finish(code, pending.pkce_verifier, &pending.nonce)
        .await?;
    let secure = requester::secure(state);
    let jar = jar.add(binding_cookie(String::new(), secure, 0));
    if pending.purpose == "staff" {
        let jar = staff_sign_in(state, oidc, &identity, jar).await?;
        return Ok((jar, Redirect::to(&pending.return_to)));
    }

    // The name a ticket form takes: one line, at most its length.
    let name: String = identity
        .name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let account = requesters::sign_in(
        &state.db,
        &requesters::SignedIn {
            issuer: &identity.issuer,
            subject: &identity.subject,
            email: identity.email.as_str(),
            display_name: &name,
        },
    )
    .await?;
    let cookie = requester::begin_session(state, account.id).await?;
    tracing::info!(requester_id = account.id, "requester signed in");
    Ok((jar.add(cookie), Redirect::to(&pending.return_to)))
}

/// Staff single sign-on: the provider's groups decide. In a staff group: the account
/// is created or its role brought up to date, and a staff session begins (the same
/// session and cookie as a password sign-in). In none: the account, if any, is
/// deactivated, every session of it ends, and the answer is 403.
async fn staff_sign_in(
    state: &AppState,
    oidc: &Oidc,
    identity: &Identity,
    jar: CookieJar,
) -> ApiResult<CookieJar> {
    let groups = oidc.staff_groups().ok_or_else(no_staff_sign_in)?;
    let Some(role) = groups.role(&identity.other) else {
        if let Some(id) = staff::sso_no_longer_staff(&state.db, &identity.email).await? {
            tracing::info!("staff account deactivated: in no staff group at the provider");
            crate::tickets::changes::return_to_pool(state, id).await?;
        }
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "The organisation does not list you in any of the help desk's staff groups, so you cannot sign in as staff",
        ));
    };
    let member =
        staff::sso_sign_in(&state.db, &identity.email, &staff_name(identity), role).await?;
    sessions::delete_expired(&state.db).await?;
    let token = session::new_token();
    sessions::insert(
        &state.db,
        &session::token_hash(&token),
        member.id,
        session::SESSION_TTL_SECS,
        sessions::SignInMethod::Provider,
    )
    .await?;
    tracing::info!(
        staff_id = member.id,
        role = role.as_str(),
        "staff signed in with the provider"
    );
    Ok(jar.add(session::cookie(token, state.cookie_secure)))
}

/// A staff name as the staff rules want it (one line, 1 to 100 characters): the
/// provider's name, else the address's local part.
fn staff_name(identity: &Identity) -> String {
    parse_display_name(&identity.name)
        .or_else(|| {
            let cut: String = identity
                .name
                .chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect();
            parse_display_name(&cut)
        })
        .unwrap_or_else(|| {
            let local = identity.email.as_str().split('@').next().unwrap_or("staff");
            local.chars().take(100).collect()
        })
}
