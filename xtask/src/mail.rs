//! Real mail servers for the browser and fuzz tests, owned by xtask and stopped when
//! dropped: the SMTP sink the API tests use (`crates/selfdesk-server/tests/smtp_sink.py`)
//! and Debian's Dovecot with the API tests' configuration
//! (`crates/selfdesk-server/tests/dovecot.conf.in`), each on a free loopback port.

use std::io::BufRead;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::shell::output;

/// Accepts every message and writes it to a folder (`NNNN.eml` and `NNNN.json`); exits
/// when its standard input closes.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
}

impl SmtpSink {
    pub fn start(root: &Path, out: &Path) -> Result<Self> {
        crate::setup::smtp_sink_tools()?;
        let python = crate::setup::python_with_aiosmtpd().context("no Python with aiosmtpd")?;
        std::fs::create_dir_all(out)?;
        let mut child = Command::new(python)
            .arg(root.join("crates/selfdesk-server/tests/smtp_sink.py"))
            .arg(out)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the SMTP sink")?;
        let stdout = child.stdout.take().context("the sink's output")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        let port = line
            .trim()
            .parse()
            .context("reading the SMTP sink's port")?;
        Ok(Self { child, port })
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The help desk's mailbox account on [`Dovecot`].
pub const IMAP_USER: &str = "desk";
pub const IMAP_PASSWORD: &str = "imap-test-password";
/// The address people write to; replies go to `help+<token>@selfdesk.test`.
pub const IMAP_ADDRESS: &str = "help@selfdesk.test";

/// Dovecot serving one mailbox over plain IMAP on a loopback port, unprivileged (as
/// `nobody` when xtask runs as root), in a directory of its own that is removed after.
pub struct Dovecot {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

impl Dovecot {
    pub fn start(root: &Path) -> Result<Self> {
        crate::setup::imap_server_tools()?;
        let binary = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .context("Dovecot is not installed (apt-get install dovecot-imapd)")?;
        let as_root = id("-u", None) == "0";
        let run_as = as_root.then_some("nobody");
        let dir = std::env::temp_dir().join(format!("selfdesk-e2e-imap-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        std::fs::write(
            dir.join("passwd"),
            format!("{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n"),
        )?;
        let template =
            std::fs::read_to_string(root.join("crates/selfdesk-server/tests/dovecot.conf.in"))?;
        let config = template
            .replace("{base}", &dir.display().to_string())
            .replace("{user}", &id("-un", run_as))
            .replace("{group}", &id("-gn", run_as))
            .replace("{uid}", &id("-u", run_as))
            .replace("{gid}", &id("-g", run_as))
            .replace("{port}", &port.to_string());
        std::fs::write(dir.join("dovecot.conf"), config)?;
        let mut command = if as_root {
            // The directory becomes nobody's and the whole server runs as nobody.
            crate::shell::run(
                Command::new("chown")
                    .args(["-R", "nobody:nogroup"])
                    .arg(&dir),
            )?;
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg(&binary);
            command
        } else {
            Command::new(&binary)
        };
        let child = command
            .arg("-F")
            .arg("-c")
            .arg(dir.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .context("starting Dovecot")?;
        let server = Self { child, dir, port };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(15) {
                let log = std::fs::read_to_string(server.dir.join("dovecot.log"));
                bail!("Dovecot did not listen on {port} within 15 s: {log:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // TERM lets the master stop its login and mail processes; a kill would leave
        // them running.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = std::fs::remove_dir_all(&self.dir);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn id(flag: &str, user: Option<&str>) -> String {
    output(Command::new("id").arg(flag).args(user))
        .unwrap_or_default()
        .trim()
        .to_owned()
}
