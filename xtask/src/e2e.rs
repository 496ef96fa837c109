//! Browser tests: the release app on a real server with a fresh database (a SQLite
//! file, or a PostgreSQL database), driven by Playwright in Debian's Chromium.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::mail;
use crate::shell::cargo;

/// Which server a browser test file runs against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Portal {
    /// Demo staff and content.
    Plain,
    /// And 90 days of demo tickets (Insight's tests).
    History,
    /// And real mail servers, out (SMTP) and in (IMAP).
    Mail,
    /// And the organisation's OpenID provider, for requesters and staff, and an SMTP
    /// server for sign-in links by email.
    Identity,
    /// Like `Identity`, but private: requesters must sign in
    /// (`SELFDESK_REQUESTER_SIGN_IN=required`).
    Private,
}

/// Stops the server however the tests end.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs every browser test once. `database_url`: an empty PostgreSQL database to serve
/// from; without it, a fresh SQLite file.
pub fn run(root: &Path, database_url: Option<&str>) -> Result<()> {
    run_some(root, database_url, None)
}

/// [`run`], only the spec files whose name contains `only` when given
/// (`cargo xtask e2e search`).
pub fn run_some(root: &Path, database_url: Option<&str>, only: Option<&str>) -> Result<()> {
    run_cargo_build()?;
    let screenshots = root.join(if database_url.is_some() {
        "target/e2e-screenshots-postgres"
    } else {
        "target/e2e-screenshots"
    });
    std::fs::create_dir_all(&screenshots)?;

    let tests: Vec<String> = std::fs::read_dir(root.join("tests/e2e"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        // Every page in every language and scheme checks how pages are drawn, which the
        // database does not change: once, on SQLite, is enough (and 2 minutes less).
        .filter(|p| database_url.is_none() || !p.to_string_lossy().ends_with("every_page.test.mjs"))
        .filter(|p| {
            only.is_none_or(|o| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(o))
            })
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    // Most tests count what they file, on a portal with demo staff and content only.
    // Insight's read the 90 days of demo history, on a server of their own started
    // after the others (on PostgreSQL, on the same database); the email tests' server
    // sends and reads mail through real SMTP and IMAP servers of its own.
    let mut groups: Vec<(Portal, Vec<String>)> = vec![
        (Portal::Plain, vec![]),
        (Portal::History, vec![]),
        (Portal::Mail, vec![]),
        (Portal::Identity, vec![]),
        (Portal::Private, vec![]),
    ];
    for test in tests {
        let portal = if test.ends_with("insight.test.mjs") {
            Portal::History
        } else if test.ends_with("email.test.mjs") {
            Portal::Mail
        } else if test.ends_with("requester_sign_in.test.mjs") {
            Portal::Identity
        } else if test.ends_with("private_portal.test.mjs") {
            Portal::Private
        } else {
            Portal::Plain
        };
        if let Some((_, group)) = groups.iter_mut().find(|(p, _)| *p == portal) {
            group.push(test);
        }
    }
    for (portal, tests) in groups {
        if tests.is_empty() {
            continue;
        }
        let data_dir = root.join(match portal {
            Portal::Plain => "target/e2e-data",
            Portal::History => "target/e2e-data-history",
            Portal::Mail => "target/e2e-data-mail",
            Portal::Identity => "target/e2e-data-identity",
            Portal::Private => "target/e2e-data-private",
        });
        let _ = std::fs::remove_dir_all(&data_dir);
        std::fs::create_dir_all(&data_dir)?;
        let mut env = vec![(
            "SELFDESK_SEED_DEMO_HISTORY",
            (portal == Portal::History).to_string(),
        )];
        let mut node_env: Vec<(&str, String)> = vec![];
        let mut mail_servers = None;
        if portal == Portal::Mail {
            let outgoing = data_dir.join("sent-mail");
            let smtp = mail::SmtpSink::start(root, &outgoing)?;
            let imap = mail::Dovecot::start(root)?;
            env.extend([
                ("SELFDESK_SMTP_HOST", "127.0.0.1".to_owned()),
                ("SELFDESK_SMTP_PORT", smtp.port.to_string()),
                ("SELFDESK_SMTP_TLS", "none".to_owned()),
                (
                    "SELFDESK_SMTP_FROM",
                    format!("Selfdesk <{}>", mail::IMAP_ADDRESS),
                ),
                ("SELFDESK_IMAP_HOST", "127.0.0.1".to_owned()),
                ("SELFDESK_IMAP_PORT", imap.port.to_string()),
                ("SELFDESK_IMAP_USER", mail::IMAP_USER.to_owned()),
                ("SELFDESK_IMAP_PASSWORD", mail::IMAP_PASSWORD.to_owned()),
                ("SELFDESK_IMAP_TLS", "none".to_owned()),
                ("SELFDESK_IMAP_POLL_SECS", "1".to_owned()),
                ("SELFDESK_IMAP_ADDRESS", mail::IMAP_ADDRESS.to_owned()),
            ]);
            node_env.extend([
                ("SENT_MAIL_DIR", outgoing.display().to_string()),
                ("IMAP_PORT", imap.port.to_string()),
                ("IMAP_USER", mail::IMAP_USER.to_owned()),
                ("IMAP_PASSWORD", mail::IMAP_PASSWORD.to_owned()),
            ]);
            mail_servers = Some((smtp, imap));
        }
        let mut provider = None;
        if matches!(portal, Portal::Identity | Portal::Private) {
            let outgoing = data_dir.join("sent-mail");
            let smtp = mail::SmtpSink::start(root, &outgoing)?;
            // The provider must know the portal's callback before the portal starts,
            // and the portal its provider: the portal's port is chosen first.
            let port = std::net::TcpListener::bind("127.0.0.1:0")?
                .local_addr()?
                .port();
            let portal_url = format!("http://127.0.0.1:{port}");
            let oidc = crate::oidc::Provider::start(root, &portal_url)?;
            env.extend([
                ("SELFDESK_BIND", format!("127.0.0.1:{port}")),
                ("SELFDESK_PUBLIC_URL", portal_url),
                ("SELFDESK_SMTP_HOST", "127.0.0.1".to_owned()),
                ("SELFDESK_SMTP_PORT", smtp.port.to_string()),
                ("SELFDESK_SMTP_TLS", "none".to_owned()),
                (
                    "SELFDESK_SMTP_FROM",
                    "Selfdesk <help@selfdesk.test>".to_owned(),
                ),
                ("SELFDESK_OIDC_ISSUER", oidc.issuer.clone()),
                ("SELFDESK_OIDC_CLIENT_ID", crate::oidc::CLIENT_ID.to_owned()),
                (
                    "SELFDESK_OIDC_CLIENT_SECRET",
                    crate::oidc::CLIENT_SECRET.to_owned(),
                ),
                ("SELFDESK_OIDC_SCOPES", "email profile groups".to_owned()),
                (
                    "SELFDESK_OIDC_GROUP_TIER2",
                    crate::oidc::TIER2_GROUP.to_owned(),
                ),
            ]);
            if portal == Portal::Private {
                env.push(("SELFDESK_REQUESTER_SIGN_IN", "required".to_owned()));
            }
            node_env.extend([
                ("SENT_MAIL_DIR", outgoing.display().to_string()),
                ("OIDC_ISSUER", oidc.issuer.clone()),
            ]);
            provider = Some((oidc, smtp));
        }
        let (server, url) = start_server(root, &data_dir, database_url, &env)?;
        let result = crate::shell::run(
            Command::new("node")
                .arg("--test")
                .arg("--test-concurrency=1")
                .args(&tests)
                .envs(node_env)
                .env("SELFDESK_URL", &url)
                .env("SCREENSHOT_DIR", &screenshots),
        );
        drop(server);
        drop(mail_servers);
        drop(provider);
        result?;
    }
    Ok(())
}

/// Lighthouse against the release app in dist/ on a fresh SQLite portal with demo
/// content; reports go to `target/audit/`.
pub fn audit(root: &Path) -> Result<()> {
    run_cargo_build()?;
    let data_dir = root.join("target/audit-data");
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir)?;
    let (server, url) = start_server(root, &data_dir, None, &[])?;
    let result = crate::shell::run(
        Command::new("node")
            .arg(root.join("tests/audit/audit.mjs"))
            .env("SELFDESK_URL", &url)
            .env("AUDIT_DIR", root.join("target/audit")),
    );
    drop(server);
    result
}

/// Builds the server binary the way `cargo test --workspace` does (it builds bins for
/// the integration tests), so after the test step nothing is compiled a second time
/// with a different feature set.
pub fn run_cargo_build() -> Result<()> {
    crate::shell::run(cargo().args(["test", "--workspace", "--no-run"]))
}

/// Starts the debug server on a port the OS picks and reads the address back from
/// its start-up line, so there is no race for a "free" port.
pub fn start_server(
    root: &Path,
    data_dir: &Path,
    database_url: Option<&str>,
    extra_env: &[(&str, String)],
) -> Result<(Server, String)> {
    let mut command = Command::new(root.join("target/debug/selfdesk-server"));
    for (name, value) in extra_env {
        command.env(name, value);
    }
    match database_url {
        Some(url) => command.env("SELFDESK_DATABASE_URL", url),
        None => command.env_remove("SELFDESK_DATABASE_URL"),
    };
    // A port the OS picks, unless the caller chose one (`SELFDESK_BIND`).
    let bind = extra_env
        .iter()
        .find(|(name, _)| *name == "SELFDESK_BIND")
        .map_or_else(|| "127.0.0.1:0".to_owned(), |(_, value)| value.clone());
    let mut child = command
        .args(["serve", "--seed-demo", "--bind", &bind, "--static-dir"])
        .arg(root.join("dist"))
        .env("SELFDESK_DATA_DIR", data_dir)
        // Every test browser is 127.0.0.1: the per-address limits for anonymous writes
        // are for scripts, and the suite files and reports far more than an office.
        .env(
            "SELFDESK_RATE_LIMITS",
            "filings=10000,uploads=10000,upload-mib=10000,votes=10000,walks=10000,searches=10000,events=100000,lookups=10000,affected=10000,replies=10000,grants=10000,renewals=10000,checks=10000",
        )
        .env("RUST_LOG", "info,tower_http=warn")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .spawn()
        .context("starting selfdesk-server")?;
    let stdout = child.stdout.take().context("server stdout")?;
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.split("listening on ").nth(1) {
                let _ = tx.send(url.trim().to_owned());
            }
            eprintln!("[server] {line}");
        }
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(url) => Ok((server, url)),
        Err(_) => bail!("the server did not start within 60 s"),
    }
}
