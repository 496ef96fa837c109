//! A real OpenID provider for the tests: `tests/oidc/provider.mjs` (the `oidc-provider`
//! npm package, the certified Node implementation) in a child process on a free
//! 127.0.0.1 port, and a browser-like client that signs in on its own login page.
//!
//! No mock: the server's real OpenID client (`openidconnect`) discovers, redirects,
//! exchanges codes and validates ID tokens against a real provider. Its packages are
//! installed with `npm ci` the first time (pinned in `tests/oidc/package-lock.json`);
//! when Node or npm is missing the test fails and says so, it never skips.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use reqwest::{Client, StatusCode, Url};
use selfdesk_server::config::ServeArgs;

use super::TestApp;

pub const CLIENT_ID: &str = "selfdesk-test";
pub const CLIENT_SECRET: &str = "selfdesk-test-secret-0123456789";
/// Every test person's password at the provider.
pub const PASSWORD: &str = "test-password";
/// The key id the provider signs with (`provider.mjs`).
pub const SIGNING_KEY_ID: &str = "selfdesk-test-key";

/// `tests/oidc` at the top of the repository.
pub fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc")
}

/// The provider's own signing key (PEM, PKCS#1): tests sign tokens with it that the
/// provider never issued (expired, for another nonce) to check each other rule alone.
pub fn provider_signing_key() -> String {
    std::fs::read_to_string(provider_dir().join("provider-signing-key.pem")).unwrap()
}

/// A key the provider does not have: tokens signed with it are forgeries.
pub fn forger_key() -> String {
    std::fs::read_to_string(provider_dir().join("forger-key.pem")).unwrap()
}

/// `npm ci` once per test process, and only when the package is missing.
fn install_once() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let result = INSTALLED.get_or_init(|| {
        let dir = provider_dir();
        if dir.join("node_modules/oidc-provider/package.json").exists() {
            return Ok(());
        }
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .map_err(|e| format!("cannot run npm ({e}); install Node.js 20 or later and npm"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`npm ci` in {} failed: {status}", dir.display()))
        }
    });
    if let Err(why) = result {
        panic!("cannot start the OpenID provider: {why}");
    }
}

pub struct OidcProvider {
    /// `http://127.0.0.1:<port>`, as the provider names itself.
    pub issuer: String,
    child: Child,
    /// Held open: the provider exits when it closes, so even a killed test process
    /// leaves no provider behind. Also carries the commands (`groups …`).
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl OidcProvider {
    /// Starts a provider whose one client is the portal at `app_address` (its callback
    /// is the only redirect URL registered); panics with the reason if it cannot.
    pub fn start(app_address: std::net::SocketAddr) -> OidcProvider {
        install_once();
        let dir = provider_dir();
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env(
                "OIDC_REDIRECT_URI",
                format!("http://{app_address}/api/v1/auth/oidc/callback"),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node for the OpenID provider: {e}"));
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let port = wait_for(&lines, Duration::from_secs(20), |line| {
            line.strip_prefix("ready ")?.trim().parse::<u16>().ok()
        });
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the OpenID provider (tests/oidc/provider.mjs) did not say it was ready");
        };
        OidcProvider {
            issuer: format!("http://127.0.0.1:{port}"),
            child,
            stdin,
            lines,
        }
    }

    /// Points a portal at this provider (groups asked for, for staff sign-in).
    pub fn configure(&self, serve: &mut ServeArgs) {
        serve.oidc.oidc_issuer = Some(self.issuer.clone());
        serve.oidc.oidc_client_id = Some(CLIENT_ID.into());
        serve.oidc.oidc_client_secret = Some(CLIENT_SECRET.into());
        serve.oidc.oidc_scopes = "email profile groups".into();
    }

    /// Moves a test person into these groups (none when empty) from now on.
    pub fn set_groups(&mut self, email: &str, groups: &[&str]) {
        let list = if groups.is_empty() {
            "-".to_owned()
        } else {
            groups.join(",")
        };
        writeln!(self.stdin, "groups {email} {list}").unwrap();
        self.stdin.flush().unwrap();
        let done = format!("ok {email}");
        wait_for(&self.lines, Duration::from_secs(5), |line| {
            (line == done).then_some(())
        })
        .expect("the provider confirms the change");
    }
}

/// The first line of the provider's output that `wanted` accepts, within `timeout`;
/// other lines (the provider's own notices) are passed over.
fn wait_for<T>(
    lines: &Receiver<String>,
    timeout: Duration,
    wanted: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = lines.recv_timeout(left).ok()?;
        if let Some(found) = wanted(&line) {
            return Some(found);
        }
    }
}

/// A portal and its provider, each knowing the other's address: the portal's port
/// is chosen first (a port the system just gave out and took back), so the provider
/// can register its callback before the portal starts.
pub async fn spawn_app_with_provider() -> (TestApp, OidcProvider) {
    spawn_app_with_provider_and(|_| {}).await
}

/// Like [`spawn_app_with_provider`], with more settings changed.
pub async fn spawn_app_with_provider_and(
    configure: impl FnOnce(&mut ServeArgs),
) -> (TestApp, OidcProvider) {
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let provider = OidcProvider::start(address);
    let app = super::spawn_app_with(|serve| {
        serve.bind = address;
        provider.configure(serve);
        configure(serve);
    })
    .await;
    (app, provider)
}

/// A browser: its own cookie jar for the portal and the provider, redirects shown
/// one at a time (the tests look at each), and the fetch metadata a browser sends on
/// the portal's own pages.
pub fn browser() -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Where a redirect answer points, resolved against the URL asked for.
fn location(from: &Url, response: &reqwest::Response) -> Url {
    let to = response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("{} answered {} without Location", from, response.status()))
        .to_str()
        .unwrap();
    from.join(to).unwrap()
}

/// The `action` of the page's (first) form.
fn form_action(page: &Url, html: &str) -> Url {
    let start = html
        .find("action=\"")
        .unwrap_or_else(|| panic!("no form on {page}: {html}"))
        + "action=\"".len();
    let end = start + html[start..].find('"').unwrap();
    page.join(&html[start..end]).unwrap()
}

/// Signs `email` in at the provider the way a person does in a browser: the portal's
/// start link (`start_query`: `return_to=/x`, `staff=true`), the provider's login page (email and password typed into its form),
/// its consent page, and every redirect between. Returns the callback URL the
/// provider finally sends the browser to, not yet opened, so a test can open it, open
/// it twice, or open it from another browser.
pub async fn authorize(app: &TestApp, browser: &Client, email: &str, return_to: &str) -> Url {
    let start = Url::parse_with_params(
        &app.url("/api/v1/auth/oidc/start"),
        &[("return_to", return_to)],
    )
    .unwrap();
    authorize_from(app, browser, email, start).await
}

/// Like [`authorize`], signing in as staff (single sign-on).
pub async fn authorize_staff(app: &TestApp, browser: &Client, email: &str) -> Url {
    let start = Url::parse(&app.url("/api/v1/auth/oidc/start?staff=true")).unwrap();
    authorize_from(app, browser, email, start).await
}

async fn authorize_from(app: &TestApp, browser: &Client, email: &str, start: Url) -> Url {
    let callback = app.url("/api/v1/auth/oidc/callback");
    let mut url = start;
    let mut form: Option<Vec<(&str, &str)>> = None;
    for _ in 0..20 {
        let response = match form.take() {
            Some(fields) => browser
                .post(url.clone())
                .form(&fields)
                .send()
                .await
                .unwrap(),
            None => browser.get(url.clone()).send().await.unwrap(),
        };
        if response.status().is_redirection() {
            let next = location(&url, &response);
            if next.as_str().starts_with(&callback) {
                return next;
            }
            url = next;
            continue;
        }
        let status = response.status();
        let html = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{url}: {html}");
        url = form_action(&url, &html);
        form = Some(if html.contains("name=\"password\"") {
            vec![("email", email), ("password", PASSWORD)]
        } else {
            // The consent page: one button.
            Vec::new()
        });
    }
    panic!("the sign-in did not come back to the portal within 20 steps");
}

/// The value of the `name` cookie a response sets, with its attributes.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}
