//! The real OpenID provider of the sign-in API tests (`tests/oidc/provider.mjs`,
//! `oidc-provider`), for the browser tests: on a free loopback port, owned by xtask
//! and stopped when dropped (or when xtask dies: it stops when its input closes).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// The one client the provider knows, as the API tests name it.
pub const CLIENT_ID: &str = "selfdesk-test";
pub const CLIENT_SECRET: &str = "selfdesk-test-secret-0123456789";
/// The provider's group for tier-2 technicians (Grace Hopper is in it).
pub const TIER2_GROUP: &str = "helpdesk-tier2";

pub struct Provider {
    child: Child,
    /// Held open: the provider ends when it closes.
    _stdin: ChildStdin,
    pub issuer: String,
}

impl Provider {
    /// A provider whose client's callback is on the portal at `portal_url`.
    pub fn start(root: &Path, portal_url: &str) -> Result<Self> {
        let dir = root.join("tests/oidc");
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env(
                "OIDC_REDIRECT_URI",
                format!("{portal_url}/api/v1/auth/oidc/callback"),
            )
            // The browser tests move someone out of the staff groups over HTTP.
            .env("OIDC_TEST_CONTROL", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the OpenID provider (node tests/oidc/provider.mjs)")?;
        let stdin = child.stdin.take().context("the provider's input")?;
        let stdout = child.stdout.take().context("the provider's output")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("ready ") {
                    let _ = tx.send(port.trim().to_owned());
                }
            }
        });
        let provider = |child, port: String| Self {
            child,
            _stdin: stdin,
            issuer: format!("http://127.0.0.1:{port}"),
        };
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(port) => Ok(provider(child, port)),
            Err(_) => {
                let _ = child.kill();
                bail!("the OpenID provider did not say it was ready within 30 s")
            }
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
