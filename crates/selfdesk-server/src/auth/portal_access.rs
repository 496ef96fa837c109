//! Who may use the requesters' side of the portal (`SELFDESK_REQUESTER_SIGN_IN`):
//! everyone, signed in or not (`optional`, the default); only people signed in
//! (`required`: a private portal, the usual setting for an organisation's own IT); or
//! everyone anonymously, with requester sign-in not offered at all (`off`).
//!
//! With `required`, [`require_sign_in`] guards the API and [`page_needs_sign_in`] the
//! pages. What stays open: signing in itself, the health check and API document, the
//! staff area (which has its own checks), and a ticket's own endpoints, which need
//! the ticket's token or grant anyway — so a tracking link keeps working for someone
//! who never signs in.

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use clap::ValueEnum;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::ticket_number::TicketNumber;

use super::extract::Staff;
use super::requester::{COOKIE_NAMES, Requester};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum RequesterSignIn {
    /// Anyone may use the portal; requesters may sign in to see their tickets anywhere.
    #[default]
    Optional,
    /// Articles, diagnostics and filing only after signing in.
    Required,
    /// No requester sign-in: the portal is anonymous (staff sign-in is unchanged).
    Off,
}

impl RequesterSignIn {
    pub fn offered(self) -> bool {
        self != Self::Off
    }
}

/// API paths open to everyone even on a private portal.
fn open_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        // Not the API: the pages are `page_needs_sign_in`'s.
        return true;
    };
    let first = rest.split('/').next().unwrap_or("");
    match first {
        "auth" | "me" | "staff" | "health" | "openapi.json" => true,
        // `/api/v1/tickets/{number}…` needs the ticket's token (or a grant); filing,
        // uploads, categories, "already reported" and asking for a lost link do not.
        "tickets" => rest
            .split('/')
            .nth(1)
            .is_some_and(|number| TicketNumber::parse(number).is_ok()),
        _ => false,
    }
}

/// On a private portal, the API answers only people signed in — requesters or staff
/// — apart from [`open_path`]s: 401 `unauthenticated` for anyone else.
pub async fn require_sign_in(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.requester_sign_in != RequesterSignIn::Required || open_path(request.uri().path()) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let signed_in = Requester::from_request_parts(&mut parts, &state)
        .await
        .is_ok()
        || Staff::from_request_parts(&mut parts, &state).await.is_ok();
    if !signed_in {
        return ApiError::new(
            ErrorCode::Unauthenticated,
            "This help desk is for signed-in people only: sign in first",
        )
        .into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Whether a requester page must send the browser to sign in first: on a private
/// portal, when it holds neither a requester nor a staff cookie. Only the cookie's
/// presence is looked at here; the API checks the session behind it.
pub fn page_needs_sign_in(mode: RequesterSignIn, path: &str, cookie_names: &[&str]) -> bool {
    if mode != RequesterSignIn::Required || path == "/tickets/sign-in" {
        return false;
    }
    let staff = crate::auth::session::COOKIE_NAMES;
    !cookie_names
        .iter()
        .any(|name| COOKIE_NAMES.contains(name) || staff.contains(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_portal_keeps_sign_in_tickets_own_endpoints_and_staff_open() {
        for open in [
            "/api/v1/auth/oidc/start",
            "/api/v1/auth/email/start",
            "/api/v1/me",
            "/api/v1/staff/tickets",
            "/api/v1/health",
            "/api/v1/openapi.json",
            "/api/v1/tickets/SD-2026-000001",
            "/api/v1/tickets/SD-2026-000001/events",
            "/favicon.svg",
        ] {
            assert!(open_path(open), "{open}");
        }
        for closed in [
            "/api/v1/kb/articles",
            "/api/v1/kb/search",
            "/api/v1/flows",
            "/api/v1/tickets",
            "/api/v1/tickets/",
            "/api/v1/tickets/lookup",
            "/api/v1/tickets/uploads",
            "/api/v1/tickets/categories",
            "/api/v1/tickets/already-reported",
            "/api/v1/tickets/similar/affected",
            "/api/v1/tickets/not-a-number/events",
            "/api/v1/incidents",
        ] {
            assert!(!open_path(closed), "{closed}");
        }
    }

    #[test]
    fn pages_ask_for_sign_in_only_on_a_private_portal_without_a_cookie() {
        let required = RequesterSignIn::Required;
        assert!(page_needs_sign_in(required, "/kb", &[]));
        assert!(page_needs_sign_in(required, "/kb", &["other"]));
        assert!(!page_needs_sign_in(required, "/kb", &["sd_requester"]));
        assert!(!page_needs_sign_in(required, "/kb", &["sd_session"]));
        assert!(!page_needs_sign_in(required, "/tickets/sign-in", &[]));
        assert!(!page_needs_sign_in(RequesterSignIn::Optional, "/kb", &[]));
        assert!(!page_needs_sign_in(RequesterSignIn::Off, "/kb", &[]));
    }
}
