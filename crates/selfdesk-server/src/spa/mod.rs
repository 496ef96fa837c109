//! Serving the built single-page apps: hashed assets cached forever, the page
//! revalidated every time and returned for every client-side route — the page of the
//! app that owns the path (`selfdesk_shared::areas`: `insight-app/index.html` for
//! `/staff/insight…`, `staff-app/index.html` for sign-in, the queue, tickets and
//! incidents, `manage-app/index.html` for the rest of `/staff…` (editors, admin),
//! `filing-app/index.html` for `/tickets/new`, `my-tickets-app/index.html` for
//! `/tickets` and `/tickets/sign-in`, `tracking-app/index.html` for the rest of
//! `/tickets…`, `diagnose-app/index.html` for `/diagnose…`, the portal's for the
//! rest) — and a Content Security Policy that allows exactly the apps' own scripts.
//! Pages that show ticket text or what people typed (every app but the portal) load
//! images only from the portal itself: a remote image in someone's ticket
//! would tell its owner who opened the ticket, and when. The diagnostics app may
//! also connect to the services its reach check tries, as admins list them
//! (`flows::reach_services`), and nowhere else.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use selfdesk_shared::areas::AppArea;

use crate::auth::portal_access::{RequesterSignIn, page_needs_sign_in};
use crate::flows::reach_services::ReachHolder;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

pub mod shell;

/// `text` made safe for a query string's value.
fn url_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The apps' pages and the policy computed from them, read once at start-up.
#[derive(Clone)]
struct Index {
    /// The ways requesters may sign in, written into every page (`shell::requester`).
    sign_in: shell::SignInWays,
    /// With `required`, requester pages send a browser without a session to sign in.
    mode: RequesterSignIn,
    /// Each area's page, by `AppArea::ALL` order; `None` when not built.
    pages: [Option<Arc<str>>; AppArea::ALL.len()],
    /// Each area's policy, by `AppArea::ALL` order.
    csp: [HeaderValue; AppArea::ALL.len()],
    /// The reach check's services, read at each diagnostics page.
    reach: Arc<ReachHolder>,
}

impl Index {
    fn page(&self, area: AppArea) -> Option<Arc<str>> {
        let at = |a: AppArea| AppArea::ALL.iter().position(|x| *x == a).unwrap_or(0);
        // An app that was not built falls back to the portal, which then explains.
        self.pages[at(area)]
            .clone()
            .or_else(|| self.pages[at(AppArea::Portal)].clone())
    }
}

pub fn service(
    static_dir: &Path,
    sign_in: shell::SignInWays,
    mode: RequesterSignIn,
    reach: Arc<ReachHolder>,
) -> Router {
    let index = load_index(static_dir, sign_in, mode, reach);
    let fallback = get(index_or_404).with_state(index.clone());
    let files = ServeDir::new(static_dir)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(fallback);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(index, headers))
}

fn load_index(
    static_dir: &Path,
    sign_in: shell::SignInWays,
    mode: RequesterSignIn,
    reach: Arc<ReachHolder>,
) -> Index {
    let pages: [Option<Arc<str>>; AppArea::ALL.len()] = AppArea::ALL.map(|area| {
        let dir: PathBuf = match area.dir() {
            Some(dir) => static_dir.join(dir),
            None => static_dir.to_owned(),
        };
        let path = dir.join("index.html");
        let html = std::fs::read_to_string(&path).ok();
        if html.is_none() {
            tracing::warn!(path = %path.display(), "a web app is not built");
        }
        html.map(Arc::<str>::from)
    });
    // One policy for every page: the union of their inline scripts' hashes.
    let all: String = pages.iter().flatten().map(|p| p.to_string()).collect();
    let csp = AppArea::ALL.map(|area| {
        let images = if area == AppArea::Portal {
            RemoteImages::Allowed
        } else {
            RemoteImages::Blocked
        };
        HeaderValue::from_str(&content_security_policy(&all, images))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
    });
    Index {
        sign_in,
        mode,
        pages,
        csp,
        reach,
    }
}

async fn index_or_404(State(index): State<Index>, request: Request) -> Response {
    // A path whose last segment has a dot is a file; a missing file is a 404, not the
    // app (which would answer with HTML where a script or image was expected).
    let last = request.uri().path().rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let area = AppArea::for_path(request.uri().path());
    let language = shell::language_of(
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    // Only which cookies the browser holds: whether they still open a session is the
    // API's to say, when a page asks.
    let cookies: Vec<&str> = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, _)| name)
        .collect();
    let signed_in = cookies
        .iter()
        .any(|name| crate::auth::requester::COOKIE_NAMES.contains(name));
    let path = request.uri().path();
    if area.is_requesters() && page_needs_sign_in(index.mode, path, &cookies) {
        let wanted = request.uri().path_and_query().map_or(path, |p| p.as_str());
        let back = url_escape(wanted);
        return Redirect::to(&format!("/tickets/sign-in?return_to={back}")).into_response();
    }
    match index.page(area) {
        Some(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::VARY, "Accept-Language, Cookie"),
            ],
            shell::requester(
                &shell::localized(&html, area, language),
                index.sign_in,
                signed_in,
            ),
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The Selfdesk web app has not been built. Run `cargo xtask run`.",
        )
            .into_response(),
    }
}

async fn headers(State(index): State<Index>, request: Request<Body>, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    // The service worker and the manifest keep their names across deploys: a browser
    // must see a new one at once (see public/sw.js).
    let unhashed_but_current = matches!(request.uri().path(), "/sw.js" | "/manifest.webmanifest");
    let area = AppArea::for_path(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let redirect = response.status().is_redirection();
    let h = response.headers_mut();
    // A redirect (a private portal sending a browser to sign in) depends on the
    // cookies sent: it must never be kept.
    let cache = if redirect {
        "no-store"
    } else if immutable && !is_html {
        "public, max-age=31536000, immutable"
    } else if is_html || unhashed_but_current {
        "no-cache"
    } else {
        "public, max-age=3600"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if is_html {
        let at = AppArea::ALL.iter().position(|a| *a == area).unwrap_or(0);
        let reach = (area == AppArea::Diagnose).then(|| index.reach.current());
        let csp = match reach {
            Some(reach) if !reach.connect_sources.is_empty() => {
                let policy = index.csp[at].to_str().unwrap_or_default();
                HeaderValue::from_str(&with_connect_sources(policy, &reach.connect_sources))
                    .unwrap_or_else(|_| index.csp[at].clone())
            }
            _ => index.csp[at].clone(),
        };
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// Trunk names built assets `name-<16+ hex digits>[_bg].ext`; their content never
/// changes under the same name, so browsers may keep them for a year.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let Some((stem, _ext)) = file.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether a page may show images from other sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteImages {
    /// The portal: articles, written by staff, may show images from anywhere on HTTPS.
    Allowed,
    /// Pages with ticket text: the portal's own images and inline ones only.
    Blocked,
}

/// Allows the app's own files, WebAssembly compilation, and each inline script of
/// `index.html` by its hash (Trunk's loader is inline), and nothing else: even if
/// untrusted text ever slipped through as HTML, the browser would not run it.
pub fn content_security_policy(index_html: &str, images: RemoteImages) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    let mut hashes: Vec<String> = inline_scripts(index_html)
        .into_iter()
        .map(|body| STANDARD.encode(Sha256::digest(body.as_bytes())))
        .collect();
    // The same script on several pages (the service worker's registration) once.
    hashes.sort();
    hashes.dedup();
    for hash in hashes {
        script_src.push_str(&format!(" 'sha256-{hash}'"));
    }
    let img_src = match images {
        RemoteImages::Allowed => "'self' data: https:",
        RemoteImages::Blocked => "'self' data:",
    };
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; \
         img-src {img_src}; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// `policy` with `sources` (checked origins, space-separated) added to `connect-src`.
fn with_connect_sources(policy: &str, sources: &str) -> String {
    policy.replacen(
        "connect-src 'self'",
        &format!("connect-src 'self' {sources}"),
        1,
    )
}

fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = &after[tag_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            found.push(&body_start[..close]);
        }
        rest = &body_start[close..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_assets() {
        assert!(is_hashed_asset("/selfdesk-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/favicon.svg"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/tickets/new"));
        assert!(!is_hashed_asset("/my-file-name.js"));
    }

    #[test]
    fn hashes_inline_scripts_and_ignores_external_ones() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        let csp = content_security_policy(html, RemoteImages::Allowed);
        let expected = STANDARD.encode(Sha256::digest(b"init()"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert_eq!(csp.matches("sha256-").count(), 1);
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("img-src 'self' data: https:;"));
        let tickets = content_security_policy(html, RemoteImages::Blocked);
        assert!(tickets.contains("img-src 'self' data:;"), "{tickets}");
        let diagnose = with_connect_sources(&tickets, "https://intranet.example.org");
        assert!(
            diagnose.contains("; connect-src 'self' https://intranet.example.org; "),
            "{diagnose}"
        );
    }
}
