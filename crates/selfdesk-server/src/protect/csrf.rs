//! Cross-site request forgery: a request that changes something and carries a
//! session cookie (staff or requester) must come from the portal's own pages.
//!
//! SameSite=Strict already keeps the cookie off other sites' requests in current
//! browsers; this is the second, independent check the browser cannot be talked out
//! of: `Sec-Fetch-Site: same-origin` (every current browser sends it), or else an
//! `Origin` equal to the portal's public address. Requests without the cookie (the
//! requester's token travels in a header a forger cannot set) are not affected.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use selfdesk_shared::error::ErrorCode;

use crate::auth::{requester, session};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if changes_state(request.method())
        && carries_session(request.headers())
        && !same_origin(request.headers(), &state.public_url)
    {
        return ApiError::new(
            ErrorCode::Forbidden,
            "This request did not come from the portal's own pages, so it was refused",
        )
        .into_response();
    }
    next.run(request).await
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn carries_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('=').map(|(name, _)| name.trim()))
        .any(|name| {
            session::COOKIE_NAMES.contains(&name) || requester::COOKIE_NAMES.contains(&name)
        })
}

/// `public_url` is `scheme://host[:port]` without a trailing slash.
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|origin| origin.eq_ignore_ascii_case(origin_of(public_url)))
}

/// The origin part of an absolute URL: everything before the path.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let url = "https://help.example.org";
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            url
        ));
        for other in ["same-site", "cross-site", "none"] {
            let h = headers(&[
                ("sec-fetch-site", other),
                ("origin", "https://help.example.org"),
            ]);
            assert!(!same_origin(&h, url), "{other}");
        }
    }

    #[test]
    fn otherwise_the_origin_must_be_the_public_url() {
        let url = "https://help.example.org/";
        let url = url.trim_end_matches('/');
        assert!(same_origin(
            &headers(&[("origin", "https://help.example.org")]),
            url
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example")]),
            url
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://help.example.org")]),
            url
        ));
        assert!(!same_origin(&headers(&[("origin", "null")]), url));
        assert!(!same_origin(&HeaderMap::new(), url));
        assert_eq!(
            origin_of("http://127.0.0.1:8080/x/y"),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn finds_either_session_cookie_name() {
        assert!(carries_session(&headers(&[(
            "cookie",
            "a=1; sd_session=x"
        )])));
        assert!(carries_session(&headers(&[(
            "cookie",
            "__Host-sd_session=x"
        )])));
        assert!(!carries_session(&headers(&[("cookie", "sd_sessionx=1")])));
    }
}
