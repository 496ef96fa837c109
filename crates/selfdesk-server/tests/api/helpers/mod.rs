//! Test servers and a typed client for them. A scenario reads as its steps:
//!
//! ```ignore
//! let app = spawn_app().await;
//! let ticket = app.file_ticket(TicketForm::printer("Blank pages").priority(Priority::P1)).await;
//! let tier1 = app.staff("tier1").await;
//! tier1.escalate(&ticket.number, 2, "Needs the print server team").await;
//! app.staff("tier2").await.resolve(&ticket.number, "Replaced the fuser").await;
//! app.requester(&ticket).confirm(5, "Quick and kind").await;
//! ```
//!
//! `requester.rs` holds the requester's side (the form, filing, uploads, one ticket
//! opened with its token); `staff.rs` a signed-in demo account's side; `search.rs`
//! the search reports and the staff's synonyms and search gaps.

pub mod oidc_provider;
mod requester;
mod search;
mod staff;

pub use requester::{Requester, TINY_PNG, TicketForm, key};
pub use search::{SYNONYMS, in_language, in_session, opened, search, synonyms};
pub use staff::{Staff, demo_email};

use std::net::SocketAddr;
use std::path::PathBuf;

use reqwest::{Client, Response, StatusCode};
use selfdesk_server::config::{DatabaseArgs, OutboxArgs, ProtectArgs, ServeArgs, SmtpArgs};
use selfdesk_server::db::Db;
use selfdesk_server::startup::Application;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use serde_json::Value;
use tempfile::TempDir;

pub const DEMO_PASSWORD: &str = "selfdesk-demo";

/// A stand-in for Trunk's output, with an inline loader script like Trunk writes.
pub const INDEX_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk</title>\
<script type=\"module\">import init from '/selfdesk-0123456789abcdef.js'; init();</script>\
<script>navigator.serviceWorker.register('/sw.js');</script></head><body></body></html>";

/// The staff app's page, built under `staff-app/`.
pub const STAFF_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk — staff</title>\
<script type=\"module\">import init from '/staff-app/staff-0123456789abcdef.js'; init();</script>\
</head><body></body></html>";

/// The staff area's editors and admin pages, built under `manage-app/`.
pub const MANAGE_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk — staff</title>\
<script type=\"module\">import init from '/manage-app/manage-0123456789abcdef.js'; init();</script>\
</head><body></body></html>";

/// The diagnostics app's page, built under `diagnose-app/`.
pub const DIAGNOSE_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk — diagnose</title>\
<script type=\"module\">import init from '/diagnose-app/diagnose-0123456789abcdef.js'; init();</script>\
<script>navigator.serviceWorker.register('/sw.js');</script></head><body></body></html>";

/// The ticket form's page, built under `filing-app/`.
pub const FILING_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk — tickets</title>\
<script type=\"module\">import init from '/filing-app/filing-0123456789abcdef.js'; init();</script>\
<script>navigator.serviceWorker.register('/sw.js');</script></head><body></body></html>";

/// "My tickets" and signing in, built under `my-tickets-app/`.
pub const MY_TICKETS_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk — tickets</title>\
<script type=\"module\">import init from '/my-tickets-app/my_tickets-0123456789abcdef.js'; init();</script>\
<script>navigator.serviceWorker.register('/sw.js');</script></head><body></body></html>";

/// A ticket's page, built under `tracking-app/`.
pub const TRACKING_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk — tickets</title>\
<script type=\"module\">import init from '/tracking-app/tracking-0123456789abcdef.js'; init();</script>\
<script>navigator.serviceWorker.register('/sw.js');</script></head><body></body></html>";

/// The Insight app's page, built under `insight-app/`.
pub const INSIGHT_HTML: &str = "<!DOCTYPE html><html><head><title>Selfdesk — Insight</title>\
<script type=\"module\">import init from '/insight-app/insight-0123456789abcdef.js'; init();</script>\
</head><body></body></html>";

pub struct TestApp {
    pub address: SocketAddr,
    /// Holds the SQLite file (of the first server) and the static files; removed
    /// when the test ends.
    _data_dir: TempDir,
    /// The database this server uses: a fresh SQLite file, or a fresh PostgreSQL
    /// database when `SELFDESK_TEST_POSTGRES_URL` names a server.
    pub database: DatabaseArgs,
    /// The running server's shared state (for its counters).
    pub state: selfdesk_server::state::AppState,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// The SQLite file, when the tests run on SQLite.
    pub fn database_file(&self) -> Option<PathBuf> {
        self.database
            .database_url
            .is_none()
            .then(|| self.database.data_dir.join("selfdesk.db"))
    }

    pub fn backend(&self) -> &'static str {
        if self.database_file().is_some() {
            "sqlite"
        } else {
            "postgres"
        }
    }

    /// A direct connection to the server's database, for checking what it stored.
    pub async fn db(&self) -> Db {
        selfdesk_server::db::connect(&self.database).await.unwrap()
    }

    /// A client with its own cookie jar, like one browser on the portal's own pages:
    /// browsers mark such requests `Sec-Fetch-Site: same-origin`, which the server's
    /// cross-site check asks of every state-changing request with a session cookie.
    pub fn client(&self) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "sec-fetch-site",
            reqwest::header::HeaderValue::from_static("same-origin"),
        );
        Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// A client with its own cookie jar that sends no fetch metadata (a script, or a
    /// page of another site when a browser is told to send the cookie anyway).
    pub fn bare_client(&self) -> Client {
        Client::builder().cookie_store(true).build().unwrap()
    }

    /// A client signed in as one of the seeded demo accounts.
    pub async fn signed_in(&self, email: &str) -> Client {
        let client = self.client();
        let response = client
            .post(self.url("/api/v1/auth/sign-in"))
            .json(&serde_json::json!({"email": email, "password": DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "signing in as {email}");
        client
    }
}

/// Starts the server with the demo staff seeded, as `cargo xtask run` does.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with settings changed first (e.g. an SMTP server).
pub async fn spawn_app_with(configure: impl FnOnce(&mut ServeArgs)) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let database_url = match std::env::var("SELFDESK_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => Some(fresh_postgres_database(&base).await),
        _ => None,
    };
    let database = DatabaseArgs {
        data_dir: data_dir.path().to_owned(),
        database_url,
    };
    start(database, data_dir, configure).await
}

/// The PostgreSQL server the tests may create databases on, if one is given.
pub fn postgres_base_url() -> Option<String> {
    std::env::var("SELFDESK_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A server on a fresh SQLite file, whatever database the other tests use.
pub async fn spawn_sqlite_app() -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let database = DatabaseArgs {
        data_dir: data_dir.path().to_owned(),
        database_url: None,
    };
    start(database, data_dir, |_| {}).await
}

/// A server on the given database (e.g. one a copy was made into).
pub async fn spawn_app_on(database_url: String) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let database = DatabaseArgs {
        data_dir: data_dir.path().to_owned(),
        database_url: Some(database_url),
    };
    start(database, data_dir, |_| {}).await
}

impl TestApp {
    /// A second server on the same database, as another replica behind a load
    /// balancer would be. It must outlive nothing: `self` keeps the database.
    pub async fn replica(&self) -> TestApp {
        self.replica_with(|_| {}).await
    }

    /// Like [`TestApp::replica`], with settings changed first.
    pub async fn replica_with(&self, configure: impl FnOnce(&mut ServeArgs)) -> TestApp {
        start(
            self.database.clone(),
            tempfile::tempdir().unwrap(),
            configure,
        )
        .await
    }
}

/// A replica in an operating-system process of its own: the real `selfdesk-server`
/// binary, sharing nothing with the others but the database. Killed when dropped.
pub struct ServerProcess {
    pub address: SocketAddr,
    child: std::process::Child,
    _dir: TempDir,
}

impl ServerProcess {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// SIGKILL: the process ends at once, mid-request, with nothing flushed or closed.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestApp {
    /// The server binary started on this app's database, on a free port, once it
    /// answers its health check. The app has already applied the migrations and
    /// seeded the demo accounts.
    pub async fn process_replica(&self) -> ServerProcess {
        // A port the system just gave out and took back: free unless another test
        // takes it in the next instant, which the health check would reveal.
        let address = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        self.process_on(address).await
    }

    /// The server binary on this app's database at `address` (again, after a crash).
    pub async fn process_on(&self, address: SocketAddr) -> ServerProcess {
        self.process_with(address, &[]).await
    }

    /// Like [`TestApp::process_on`], with more environment variables (settings).
    pub async fn process_with(
        &self,
        address: SocketAddr,
        settings: &[(&str, String)],
    ) -> ServerProcess {
        let dir = tempfile::tempdir().unwrap();
        let static_dir = write_static_files(dir.path());
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_selfdesk-server"));
        command
            .arg("serve")
            .arg("--bind")
            .arg(address.to_string())
            .arg("--static-dir")
            .arg(&static_dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("RUST_LOG", "warn")
            .env("SELFDESK_DATA_DIR", &self.database.data_dir)
            .env("SELFDESK_RATE_LIMITS", TEST_RATE_LIMITS)
            .stdout(std::process::Stdio::null());
        if let Some(url) = &self.database.database_url {
            command.env("SELFDESK_DATABASE_URL", url);
        }
        for (name, value) in settings {
            command.env(name, value);
        }
        let child = command.spawn().expect("the server binary starts");
        let process = ServerProcess {
            address,
            child,
            _dir: dir,
        };
        let client = Client::new();
        for _ in 0..200 {
            if let Ok(response) = client.get(process.url("/api/v1/health")).send().await
                && response.status() == StatusCode::OK
            {
                return process;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the server process did not answer on {address} within 10 s");
    }
}

/// The files `--static-dir` must hold: the eight apps' pages (the requester ones with
/// the same service worker registration, as built) and the portal's loader.
fn write_static_files(dir: &std::path::Path) -> PathBuf {
    let static_dir = dir.join("dist");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), INDEX_HTML).unwrap();
    std::fs::create_dir_all(static_dir.join("staff-app")).unwrap();
    std::fs::write(static_dir.join("staff-app/index.html"), STAFF_HTML).unwrap();
    for (dir, html) in [
        ("diagnose-app", DIAGNOSE_HTML),
        ("filing-app", FILING_HTML),
        ("my-tickets-app", MY_TICKETS_HTML),
        ("tracking-app", TRACKING_HTML),
        ("manage-app", MANAGE_HTML),
    ] {
        std::fs::create_dir_all(static_dir.join(dir)).unwrap();
        std::fs::write(static_dir.join(dir).join("index.html"), html).unwrap();
    }
    std::fs::create_dir_all(static_dir.join("insight-app")).unwrap();
    std::fs::write(static_dir.join("insight-app/index.html"), INSIGHT_HTML).unwrap();
    std::fs::write(
        static_dir.join("selfdesk-0123456789abcdef.js"),
        "export default function init() {}",
    )
    .unwrap();
    static_dir
}

async fn start(
    database: DatabaseArgs,
    data_dir: TempDir,
    configure: impl FnOnce(&mut ServeArgs),
) -> TestApp {
    let static_dir = write_static_files(data_dir.path());
    let mut serve = ServeArgs {
        bind: "127.0.0.1:0".parse().unwrap(),
        static_dir,
        seed_demo: true,
        seed_demo_history: false,
        cookie_secure: false,
        auto_close_days: 7,
        search_log_days: selfdesk_server::config::DEFAULT_SEARCH_LOG_DAYS,
        public_url: None,
        smtp: SmtpArgs::default(),
        outbox: OutboxArgs::default(),
        imap: Default::default(),
        protect: test_protection(),
        oidc: Default::default(),
        staff_sign_in: Default::default(),
    };
    configure(&mut serve);
    let app = Application::build(&database, &serve)
        .await
        .expect("server builds");
    let address = app.local_addr();
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        _data_dir: data_dir,
        database,
        state,
    }
}

pub const TEST_RATE_LIMITS: &str = "filings=100000,uploads=100000,upload-mib=100000,votes=100000,walks=100000,searches=100000,events=100000,lookups=100000,affected=100000,replies=100000,grants=100000,renewals=100000,checks=100000,sign-ins=100000";

/// The tests file, upload and vote far more from 127.0.0.1 in a minute than any
/// office would in an hour; the per-address limits are raised for them. The limit
/// tests set the real defaults (`RateLimits::default()`) or lower ones themselves.
pub fn test_protection() -> ProtectArgs {
    ProtectArgs {
        rate_limits: TEST_RATE_LIMITS.parse().unwrap(),
        streams_per_client: 10_000,
        ..ProtectArgs::default()
    }
}

/// Creates an empty database on the PostgreSQL server and returns its URL, so each
/// test starts from nothing, exactly as with a fresh SQLite file.
pub async fn fresh_postgres_database(base_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("selfdesk_test_{}", unique_suffix());
    let mut admin = sqlx::PgConnection::connect(base_url)
        .await
        .expect("PostgreSQL is reachable");
    // Simple-query protocol: CREATE DATABASE takes no parameters; `name` is ours.
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("creating a test database");
    let (prefix, _) = base_url.rsplit_once('/').expect("URL has a database name");
    format!("{prefix}/{name}")
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A short-lived grant for a ticket's stream (`purpose` "events") or a download
/// ("download"), asked for with its access token from the server at `base`.
pub async fn ticket_grant(base: &str, number: &str, token: &str, purpose: &str) -> String {
    let response = Client::new()
        .post(format!("{base}/api/v1/tickets/{number}/grants"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "purpose": purpose }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "asking for a grant");
    let body: Value = response.json().await.unwrap();
    body["grant"].as_str().unwrap().to_owned()
}

/// Expects `status` and a JSON body of type `T`; on a mismatch, shows the body.
pub async fn expect_json<T: serde::de::DeserializeOwned>(
    response: Response,
    status: StatusCode,
) -> T {
    let got = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Asserts the documented error shape and returns it.
pub async fn expect_error(response: Response, status: StatusCode, code: ErrorCode) -> ErrorBody {
    assert_eq!(response.status(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "content type {content_type}"
    );
    let body: Value = response.json().await.unwrap();
    let parsed: ErrorBody =
        serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(parsed.error.code, code, "{body}");
    assert!(!parsed.error.message.is_empty());
    parsed
}

/// Reads a live stream's events until `count` arrive or 1.5 s pass.
pub async fn read_events(
    mut response: Response,
    count: usize,
) -> Vec<selfdesk_shared::tickets::TicketEvent> {
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(1500);
    while events.len() < count {
        let chunk = match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            _ => break,
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) {
                events.push(serde_json::from_str(data.trim()).unwrap());
            }
        }
    }
    events
}
