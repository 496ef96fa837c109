//! Requester sessions: a cookie of their own, a table of their own
//! (`requester_sessions`) and an extractor of their own, so that no code path can take
//! a requester for staff. The staff extractors read only the staff cookie and table;
//! [`Requester`] reads only these.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use selfdesk_shared::error::ErrorCode;

use super::session::token_hash;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::requesters::{self, RequesterAccount};

/// The cookie on plain-HTTP portals.
pub const COOKIE_NAME: &str = "sd_requester";
/// On HTTPS portals (see `session::SECURE_COOKIE_NAME` for the prefix).
pub const SECURE_COOKIE_NAME: &str = "__Host-sd_requester";
pub const COOKIE_NAMES: [&str; 2] = [COOKIE_NAME, SECURE_COOKIE_NAME];
/// Requesters come back now and then over weeks (a ticket takes days); signing in
/// every day would only teach them to ignore the provider's page.
pub const SESSION_TTL_SECS: i64 = 14 * 24 * 60 * 60;

/// Whether requester cookies are `Secure` (and `__Host-`): with
/// `SELFDESK_COOKIE_SECURE`, or whenever the portal's public address is HTTPS.
pub fn secure(state: &AppState) -> bool {
    state.cookie_secure || state.public_url.starts_with("https://")
}

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// HttpOnly like the staff cookie, but SameSite=Lax: it is set on the answer to the
/// provider's redirect, a navigation another site started, and must be sent with the
/// next one (the page the requester was going to). Lax still keeps it off other
/// sites' POSTs, and `protect::csrf` checks those anyway.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((cookie_name(secure), token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(SESSION_TTL_SECS))
        .build()
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((cookie_name(secure), ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(0))
        .build()
}

/// Begins a session for the account (a sign-in proved who they are): the cookie to
/// set. Expired sessions of anyone are swept on the way.
pub async fn begin_session(state: &AppState, account_id: i64) -> sqlx::Result<Cookie<'static>> {
    requesters::delete_expired_sessions(&state.db).await?;
    let token = super::session::new_token();
    requesters::insert_session(&state.db, &token_hash(&token), account_id, SESSION_TTL_SECS)
        .await?;
    Ok(cookie(token, secure(state)))
}

/// The signed-in requester, and the hash of the session they used. 401 for anyone
/// else — staff included: a staff session is not a requester session either.
pub struct Requester {
    pub account: RequesterAccount,
    pub session_hash: String,
}

impl FromRequestParts<AppState> for Requester {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthenticated = || ApiError::new(ErrorCode::Unauthenticated, "Sign in to see this");
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(cookie_name(secure(state)))
            .map(|c| c.value().to_owned())
            .ok_or_else(unauthenticated)?;
        let session_hash = token_hash(&token);
        let account = requesters::for_session(&state.db, &session_hash)
            .await?
            .ok_or_else(unauthenticated)?;
        Ok(Self {
            account,
            session_hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_is_http_only_and_lax_and_not_the_staff_one() {
        let text = cookie("t".into(), false).to_string();
        assert!(text.starts_with("sd_requester=t"), "{text}");
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax"));
        assert!(!text.contains("Secure"));
        let secure = cookie("t".into(), true).to_string();
        assert!(secure.starts_with("__Host-sd_requester=t"), "{secure}");
        assert!(secure.contains("Secure") && secure.contains("Path=/"));
        for name in COOKIE_NAMES {
            assert!(!crate::auth::session::COOKIE_NAMES.contains(&name));
        }
    }
}
