//! Extractors that make a handler staff-only: taking `Staff` as an argument answers
//! 401 for anyone not signed in; `Admin` answers 403 for a signed-in non-admin, and
//! `Expert` for anyone but admins and tier-3 technicians.

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use selfdesk_shared::auth::StaffMember;
use selfdesk_shared::error::ErrorCode;

use super::session::{cookie_name, token_hash};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::sessions::{self, SignInMethod};

/// The signed-in staff member, the hash of the session they used, and how that
/// session began.
pub struct Staff {
    pub member: StaffMember,
    pub session_hash: String,
    pub method: SignInMethod,
}

impl Staff {
    /// An admin whose session began with a password alone, where
    /// `SELFDESK_REQUIRE_2FA` asks for a second factor: such a session works the queue
    /// and sets up two-factor sign-in, but does nothing only admins may do. The
    /// session is asked, not the account: turning two-factor on elsewhere proves
    /// nothing about this session (and ends the account's other sessions).
    pub fn lacks_required_second_factor(&self, state: &AppState) -> bool {
        state.staff_sign_in.require_2fa
            && self.member.role.is_admin()
            && self.method == SignInMethod::Password
    }
}

fn second_factor_first() -> ApiError {
    ApiError::new(
        ErrorCode::Forbidden,
        "This help desk requires two-factor sign-in of admins: turn it on under Security in the staff area first",
    )
    .with_field("two_factor")
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let unauthenticated =
            || ApiError::new(ErrorCode::Unauthenticated, "Sign in as staff to do this");
        let token = jar
            .get(cookie_name(state.cookie_secure))
            .map(|c| c.value().to_owned())
            .ok_or_else(unauthenticated)?;
        let session_hash = token_hash(&token);
        // What counts as use for the idle timeout: an action, or opening the app
        // (which asks who is signed in). The reads an open page makes by itself as
        // live updates arrive do not, so an unattended tab does not keep a session.
        let used = parts.method != Method::GET || parts.uri.path() == "/api/v1/auth/me";
        let (member, method) = sessions::staff_for(
            &state.db,
            &session_hash,
            state.protect.session_idle_secs,
            used,
        )
        .await?
        .ok_or_else(unauthenticated)?;
        Ok(Self {
            member,
            session_hash,
            method,
        })
    }
}

pub struct Admin(pub StaffMember);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let staff = Staff::from_request_parts(parts, state).await?;
        if staff.lacks_required_second_factor(state) {
            Err(second_factor_first())
        } else if staff.member.role.is_admin() {
            Ok(Self(staff.member))
        } else {
            Err(ApiError::new(
                ErrorCode::Forbidden,
                "Only admins may do this",
            ))
        }
    }
}

/// An admin or a tier-3 technician: the help desk's experts, who may change what the
/// whole portal does for everyone (the synonyms search uses). 403 for other staff.
pub struct Expert(pub StaffMember);

impl FromRequestParts<AppState> for Expert {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let staff = Staff::from_request_parts(parts, state).await?;
        if staff.lacks_required_second_factor(state) {
            Err(second_factor_first())
        } else if staff.member.role.is_expert() {
            Ok(Self(staff.member))
        } else {
            Err(ApiError::new(
                ErrorCode::Forbidden,
                "Only admins and tier-3 technicians may do this",
            ))
        }
    }
}
