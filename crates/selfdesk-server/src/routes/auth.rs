//! Staff sign-in, sign-out and "who am I".

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use selfdesk_shared::auth::{SignInRequest, StaffMember};
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::error::{FieldError, Reason};

use crate::auth::extract::Staff;
use crate::auth::{password, second_factor, session, throttle};
use crate::config::PasswordSignIn;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::state::AppState;
use crate::store::{sessions, staff};

/// Signs a staff member in and sets the session cookie.
#[utoipa::path(
    post, path = "/api/v1/auth/sign-in", tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; the `sd_session` cookie is set", body = StaffMember),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Wrong email or password, or (`field: \"code\"`) a wrong or used two-factor code", body = ErrorBody),
        (status = 403, description = "Password sign-in is off on this portal, or for admins only (`SELFDESK_STAFF_PASSWORD_SIGN_IN`)", body = ErrorBody),
        (status = 422, description = "Email missing or malformed, or (`field: \"code\"`) the account has two-factor sign-in and no code was given", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Too many passwords being checked at once; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientAddr,
    jar: CookieJar,
    ApiJson(request): ApiJson<SignInRequest>,
) -> ApiResult<(CookieJar, Json<StaffMember>)> {
    let email = EmailAddress::parse(&request.email).map_err(FieldError::from)?;
    if request.password.is_empty() {
        return Err(FieldError::new("password", Reason::Required)
            .because("Password is required")
            .into());
    }
    if request.password.chars().count() > selfdesk_shared::auth::MAX_PASSWORD_CHARS {
        return Err(ApiError::validation(
            "password",
            Reason::too_long(selfdesk_shared::auth::MAX_PASSWORD_CHARS),
        ));
    }
    let password_sign_in = state.staff_sign_in.staff_password_sign_in;
    if password_sign_in == PasswordSignIn::Off {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Staff sign in with the organisation's account on this help desk, not with a password",
        ));
    }
    let client_ip = client.key();
    let attempt = throttle::begin(&state.db, email.as_str(), &client_ip).await?;

    let credentials = staff::credentials_by_email(&state.db, email.as_str()).await?;
    let (member, hash) = match credentials {
        Some(c) => (Some(c.member), Some(c.password_hash)),
        None => (None, None),
    };
    let verified = match password::verify(request.password, hash).await {
        Ok(verified) => verified,
        Err(busy) => {
            // Not checked, so not a failure: the attempt is taken back.
            throttle::abandon(&state.db, attempt).await?;
            return Err(busy);
        }
    };
    let member = match member {
        Some(member) if verified && member.active => member,
        _ => {
            throttle::failed(&state.db, email.as_str(), &client_ip, attempt).await?;
            // One message for unknown email, wrong password and deactivated account:
            // the answer must not tell a guesser which emails have accounts.
            return Err(ApiError::new(
                ErrorCode::InvalidCredentials,
                "Email or password is wrong",
            ));
        }
    };
    if !password_sign_in.allows(member.role) {
        throttle::abandon(&state.db, attempt).await?;
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "On this help desk, technicians sign in with the organisation's account; passwords are for admins only",
        ));
    }
    if member.two_factor {
        let code = request.code.as_deref().unwrap_or("").trim();
        if code.is_empty() {
            // The password was right: this is the second step, not a failure.
            throttle::abandon(&state.db, attempt).await?;
            return Err(FieldError::new("code", Reason::Required)
                .because("Enter the 6-digit code from your authenticator app, or a recovery code")
                .into());
        }
        if !second_factor::check(&state.db, member.id, code).await? {
            throttle::failed(&state.db, email.as_str(), &client_ip, attempt).await?;
            return Err(ApiError::new(
                ErrorCode::InvalidCredentials,
                "The code is wrong or was used already; enter the next code your app shows",
            )
            .with_field("code"));
        }
    }
    throttle::succeeded(&state.db, email.as_str(), attempt).await?;
    sessions::delete_expired(&state.db).await?;

    let token = session::new_token();
    let method = if member.two_factor {
        sessions::SignInMethod::PasswordAndCode
    } else {
        sessions::SignInMethod::Password
    };
    sessions::insert(
        &state.db,
        &session::token_hash(&token),
        member.id,
        session::SESSION_TTL_SECS,
        method,
    )
    .await?;
    tracing::info!(staff_id = member.id, "staff signed in");
    Ok((
        jar.add(session::cookie(token, state.cookie_secure)),
        Json(member),
    ))
}

/// Ends the current session (it is deleted on the server, not only forgotten by the browser).
#[utoipa::path(
    post, path = "/api/v1/auth/sign-out", tag = "auth",
    security(("session" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    staff: Staff,
    jar: CookieJar,
) -> ApiResult<(StatusCode, CookieJar)> {
    sessions::delete(&state.db, &staff.session_hash).await?;
    Ok((
        StatusCode::NO_CONTENT,
        jar.add(session::removal_cookie(state.cookie_secure)),
    ))
}

/// The signed-in staff member.
#[utoipa::path(
    get, path = "/api/v1/auth/me", tag = "auth",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in staff member", body = StaffMember),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn me(staff: Staff) -> Json<StaffMember> {
    Json(staff.member)
}
