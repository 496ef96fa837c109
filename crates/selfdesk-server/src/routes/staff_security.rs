//! A staff member's own sign-in security — their password, two-factor sign-in with an
//! authenticator app and recovery codes — and the one-time links admins issue to set
//! a new password instead of passing one by hand.
//!
//! Turning two-factor sign-in off and making new recovery codes ask for the password
//! again: a session left open on a shared computer must not be enough to weaken the
//! account. Those checks are throttled like sign-ins, by the account's address.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::auth::{
    ChangePasswordRequest, PasswordConfirmation, PasswordResetIssued, PasswordResetRequest,
    RecoveryCodes, SecuritySettings, StaffMember, TwoFactorConfirmation, TwoFactorSetup,
    check_new_password,
};
use selfdesk_shared::error::{ErrorBody, ErrorCode, FieldError, Reason};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::{Admin, Staff};
use crate::auth::{password, session, throttle, two_factor};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::mail::password_reset_messages;
use crate::outbox::store::NewEmail;
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::sessions::SignInMethod;
use crate::store::staff_security::{self, NewReset, RESET_LIFETIME_SECS, ResetOutcome};
use crate::store::{staff, staff_notifications};
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(settings))
        .routes(routes!(change_password))
        .routes(routes!(start_two_factor))
        .routes(routes!(turn_off_two_factor))
        .routes(routes!(confirm_two_factor))
        .routes(routes!(new_recovery_codes))
        .routes(routes!(issue_password_reset))
        .routes(routes!(reset_password))
}

/// The page a reset link opens, with the token in its fragment (never in a log).
pub fn reset_link_url(public_url: &str, token: &str) -> String {
    format!(
        "{}/staff/reset-password#token={token}",
        public_url.trim_end_matches('/')
    )
}

/// How the signed-in member signs in.
#[utoipa::path(
    get, path = "/api/v1/staff/me/security", tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "The member's sign-in settings", body = SecuritySettings),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn settings(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<SecuritySettings>> {
    let left = staff_security::recovery_codes_left(&state.db, staff.member.id).await?;
    Ok(Json(SecuritySettings {
        two_factor: staff.member.two_factor,
        recovery_codes_left: u32::try_from(left).unwrap_or(0),
        // The provider answers for the second factor of its own sign-ins.
        two_factor_required: state.staff_sign_in.require_2fa
            && staff.member.role.is_admin()
            && staff.method != SignInMethod::Provider,
        password_sign_in: state
            .staff_sign_in
            .staff_password_sign_in
            .allows(staff.member.role),
    }))
}

/// Checks the member's password (field `field` when wrong), throttled like a sign-in.
async fn confirm_password(
    state: &AppState,
    client: &ClientAddr,
    member: &StaffMember,
    typed: String,
    field: &'static str,
) -> ApiResult<()> {
    if typed.is_empty() {
        return Err(FieldError::new(field, Reason::Required)
            .because("Enter your current password")
            .into());
    }
    if typed.chars().count() > selfdesk_shared::auth::MAX_PASSWORD_CHARS {
        return Err(ApiError::validation(
            field,
            Reason::too_long(selfdesk_shared::auth::MAX_PASSWORD_CHARS),
        ));
    }
    let client_key = client.key();
    let attempt = throttle::begin(&state.db, &member.email, &client_key).await?;
    let stored = staff_security::password_hash(&state.db, member.id).await?;
    let verified = match password::verify(typed, stored).await {
        Ok(verified) => verified,
        Err(busy) => {
            throttle::abandon(&state.db, attempt).await?;
            return Err(busy);
        }
    };
    if verified {
        throttle::succeeded(&state.db, &member.email, attempt).await?;
        Ok(())
    } else {
        throttle::failed(&state.db, &member.email, &client_key, attempt).await?;
        Err(FieldError::new(field, Reason::NotAllowed)
            .because("This is not your current password")
            .into())
    }
}

fn new_password_problem(plain: &str) -> Option<ApiError> {
    check_new_password(plain).err().map(|err| {
        let mut problem = FieldError::from(err);
        problem.field = "new_password".into();
        problem.into()
    })
}

/// Changes the signed-in member's password. Every other session of the account
/// ends; this one stays signed in.
#[utoipa::path(
    put, path = "/api/v1/staff/me/password", tag = "staff",
    security(("session" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; the account's other sessions have ended"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "`current_password` is not the current password, or `new_password` is too short or too long", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    client: ClientAddr,
    staff: Staff,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    if let Some(problem) = new_password_problem(&request.new_password) {
        return Err(problem);
    }
    confirm_password(
        &state,
        &client,
        &staff.member,
        request.current_password,
        "current_password",
    )
    .await?;
    let hash = password::hash(request.new_password).await?;
    staff_security::set_password(&state.db, staff.member.id, &hash, Some(&staff.session_hash))
        .await?;
    tracing::info!(staff_id = staff.member.id, "staff password changed");
    Ok(StatusCode::NO_CONTENT)
}

/// Starts setting up two-factor sign-in: a new secret for the authenticator app, in
/// use only once a code from it is confirmed. Asking again replaces it.
#[utoipa::path(
    post, path = "/api/v1/staff/me/two-factor", tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "The secret, its otpauth:// link and QR code", body = TwoFactorSetup),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Two-factor sign-in is on already; turn it off first", body = ErrorBody),
    )
)]
pub async fn start_two_factor(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<TwoFactorSetup>> {
    if staff.member.two_factor {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "Two-factor sign-in is on already; turn it off first to use another app",
        ));
    }
    let secret = two_factor::new_secret();
    let otpauth_url = two_factor::otpauth_url(&secret, &staff.member.email)
        .ok_or_else(|| ApiError::internal("a new secret makes no otpauth link"))?;
    let qr_code = two_factor::qr_code(&otpauth_url)
        .ok_or_else(|| ApiError::internal("the otpauth link makes no QR code"))?;
    staff_security::set_pending_secret(&state.db, staff.member.id, &secret).await?;
    Ok(Json(TwoFactorSetup {
        secret,
        otpauth_url,
        qr_code,
    }))
}

/// Turns two-factor sign-in on with the first code from the new secret, and answers
/// the recovery codes, shown this once. The account's other sessions end: they gave
/// no code.
#[utoipa::path(
    post, path = "/api/v1/staff/me/two-factor/confirm", tag = "staff",
    security(("session" = [])),
    request_body = TwoFactorConfirmation,
    responses(
        (status = 200, description = "On; keep these recovery codes", body = RecoveryCodes),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Nothing is being set up (or it is on already)", body = ErrorBody),
        (status = 422, description = "`code` is not the app's current code", body = ErrorBody),
    )
)]
pub async fn confirm_two_factor(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(request): ApiJson<TwoFactorConfirmation>,
) -> ApiResult<Json<RecoveryCodes>> {
    let standing = staff_security::two_factor(&state.db, staff.member.id).await?;
    let Some(pending) = standing.and_then(|s| s.pending_secret) else {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "Start setting up two-factor sign-in first",
        ));
    };
    let now = unix_now().max(0) as u64;
    let Some(step) = two_factor::accepted_step(&pending, &request.code, now, 0) else {
        return Err(FieldError::new("code", Reason::NotAllowed)
            .because("This is not the code the app shows now; check the app's clock and try the next code")
            .into());
    };
    let codes = two_factor::new_recovery_codes();
    let hashes = recovery_hashes(staff.member.id, &codes);
    if !staff_security::confirm_secret(
        &state.db,
        staff.member.id,
        &pending,
        step as i64,
        &hashes,
        &staff.session_hash,
    )
    .await?
    {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "The set-up was started again elsewhere; scan the newest QR code",
        ));
    }
    tracing::info!(staff_id = staff.member.id, "two-factor sign-in turned on");
    Ok(Json(RecoveryCodes { codes }))
}

fn recovery_hashes(staff_id: i64, codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .filter_map(|c| two_factor::normalised_recovery_code(c))
        .map(|c| two_factor::recovery_code_hash(staff_id, &c))
        .collect()
}

/// Turns two-factor sign-in off (the password is asked again). Admins cannot where
/// the portal requires it.
#[utoipa::path(
    post, path = "/api/v1/staff/me/two-factor/disable", tag = "staff",
    security(("session" = [])),
    request_body = PasswordConfirmation,
    responses(
        (status = 204, description = "Off; the recovery codes no longer work"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "`password` is not the current password, or (`field: \"two_factor\"`) admins must keep it on here", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn turn_off_two_factor(
    State(state): State<AppState>,
    client: ClientAddr,
    staff: Staff,
    ApiJson(request): ApiJson<PasswordConfirmation>,
) -> ApiResult<StatusCode> {
    if state.staff_sign_in.require_2fa && staff.member.role.is_admin() {
        return Err(FieldError::new("two_factor", Reason::NotAllowed)
            .because("This help desk requires two-factor sign-in of admins (SELFDESK_REQUIRE_2FA)")
            .into());
    }
    confirm_password(&state, &client, &staff.member, request.password, "password").await?;
    staff_security::turn_off(&state.db, staff.member.id).await?;
    tracing::info!(staff_id = staff.member.id, "two-factor sign-in turned off");
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes in place of the old ones (the password is asked again).
#[utoipa::path(
    post, path = "/api/v1/staff/me/two-factor/recovery-codes", tag = "staff",
    security(("session" = [])),
    request_body = PasswordConfirmation,
    responses(
        (status = 200, description = "The new codes, shown this once; the old ones no longer work", body = RecoveryCodes),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Two-factor sign-in is off", body = ErrorBody),
        (status = 422, description = "`password` is not the current password", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn new_recovery_codes(
    State(state): State<AppState>,
    client: ClientAddr,
    staff: Staff,
    ApiJson(request): ApiJson<PasswordConfirmation>,
) -> ApiResult<Json<RecoveryCodes>> {
    if !staff.member.two_factor {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "Two-factor sign-in is off, so there are no recovery codes",
        ));
    }
    confirm_password(&state, &client, &staff.member, request.password, "password").await?;
    let codes = two_factor::new_recovery_codes();
    staff_security::replace_recovery_codes(
        &state.db,
        staff.member.id,
        &recovery_hashes(staff.member.id, &codes),
    )
    .await?;
    Ok(Json(RecoveryCodes { codes }))
}

/// A one-time link for a colleague to choose a new password: emailed to them when
/// this help desk sends email, otherwise answered here, once, for the admin to pass
/// on. An earlier unused link for the account stops working.
#[utoipa::path(
    post, path = "/api/v1/staff/{id}/password-reset", tag = "staff",
    security(("session" = [])),
    params(("id" = i64, Path, description = "Staff account id")),
    responses(
        (status = 201, description = "Issued: emailed (`emailed_to`) or here (`link`)", body = PasswordResetIssued),
        (status = 400, description = "`id` is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "The account is deactivated", body = ErrorBody),
    )
)]
pub async fn issue_password_reset(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<PasswordResetIssued>)> {
    let member = staff::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Staff account"))?;
    if !member.active {
        return Err(FieldError::new("active", Reason::NotAllowed)
            .because("Reactivate the account first")
            .into());
    }
    let token = session::new_token();
    let link = reset_link_url(&state.public_url, &token);
    let now = unix_now();
    let email = match state.mailer.as_ref() {
        Some(mailer) => {
            let language = staff_notifications::settings(&state.db, id)
                .await?
                .map(|s| s.language)
                .unwrap_or(selfdesk_shared::language::Language::En);
            let message = password_reset_messages::password_reset_link(
                language,
                &member.display_name,
                &link,
                RESET_LIFETIME_SECS / 3600,
            );
            Some(NewEmail::new(
                &state.outbox,
                "password_reset",
                &member.email,
                message,
                &mailer.domain(),
                now,
            ))
        }
        None => None,
    };
    staff_security::insert_reset(
        &state.db,
        &NewReset {
            token_hash: &session::token_hash(&token),
            staff_id: id,
            issued_by: admin.id,
            now,
        },
        email.as_ref(),
    )
    .await?;
    tracing::info!(
        staff_id = id,
        admin_id = admin.id,
        "password reset link issued"
    );
    let emailed = email.is_some();
    if emailed {
        state.outbox.wake();
    }
    Ok((
        StatusCode::CREATED,
        Json(PasswordResetIssued {
            emailed_to: emailed.then(|| member.email.clone()),
            link: (!emailed).then_some(link),
            expires_at: now + RESET_LIFETIME_SECS,
        }),
    ))
}

/// Sets a new password with a reset link's token: its first use only, within a day.
/// Every session of the account ends; the member then signs in with it.
#[utoipa::path(
    post, path = "/api/v1/auth/password-reset", tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 204, description = "The password is set; every session of the account has ended"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "The link was used already, has expired, was replaced by a newer one, or is not one this portal issued", body = ErrorBody),
        (status = 422, description = "`new_password` is too short or too long, or `token` is empty or longer than 100 characters", body = ErrorBody),
        (status = 429, description = "Too many tries from this client; `Retry-After` gives seconds", body = ErrorBody),
    )
)]
pub async fn reset_password(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    if request.token.is_empty() || request.token.chars().count() > 100 {
        return Err(FieldError::new("token", Reason::BadFormat)
            .because("The link is cut short or changed; open it from the email again")
            .into());
    }
    if let Some(problem) = new_password_problem(&request.new_password) {
        return Err(problem);
    }
    // Each try costs a slow hash: limited per client like sign-ins.
    rate_limits::take_one(&state, Action::SignIn, &client).await?;
    let hash = password::hash(request.new_password).await?;
    let refused = |why: &str| ApiError::new(ErrorCode::Unauthenticated, why);
    match staff_security::reset_password(
        &state.db,
        &session::token_hash(&request.token),
        &hash,
        unix_now(),
    )
    .await?
    {
        ResetOutcome::Done { staff_id } => {
            tracing::info!(staff_id, "staff password set with a reset link");
            Ok(StatusCode::NO_CONTENT)
        }
        ResetOutcome::Used => Err(refused(
            "This link was used already; ask an admin for a new one",
        )),
        ResetOutcome::Expired => Err(refused(
            "This link has expired (links work for a day); ask an admin for a new one",
        )),
        ResetOutcome::Unknown => Err(refused(
            "This link is not one this help desk issued, or a newer one replaced it; ask an admin for a new one",
        )),
    }
}
