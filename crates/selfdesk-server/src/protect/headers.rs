//! Headers every answer carries: API answers are never cached by a browser or proxy
//! (they hold tickets and sessions) unless the handler chose otherwise (published
//! images), nothing is sniffed into another type, and HTTPS portals tell browsers to
//! stay on HTTPS.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// A year, the usual value for a site that is only ever served over HTTPS.
const HSTS: &str = "max-age=31536000";

pub async fn api_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Strict-Transport-Security, when the portal is served over HTTPS (the same setting
/// that marks the cookie `Secure`).
pub async fn hsts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if state.cookie_secure {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}
