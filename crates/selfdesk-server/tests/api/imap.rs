//! A real IMAP server for the email-in tests: Debian's Dovecot, installed once when
//! missing (`apt-get install dovecot-imapd`, as root), started per test with a
//! configuration of its own in a temporary directory — a free loopback port, a maildir,
//! a password file — and stopped when the test ends. Nothing of the machine's own
//! Dovecot (if any) is used or touched.
//!
//! Dovecot runs unprivileged: as the user running the tests, or as `nobody` when that
//! user is root, so the whole server (master, login, mail processes) is one user's.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_imap::{Client, Session};
use futures_util::TryStreamExt;
use selfdesk_server::config::{ImapTls, ServeArgs};
use tempfile::TempDir;
use tokio::net::TcpStream;

pub const USER: &str = "desk";
pub const PASSWORD: &str = "imap-test-password";
/// The help desk's address in the tests; replies go to `help+<token>@selfdesk.test`.
pub const ADDRESS: &str = "help@selfdesk.test";

/// The Dovecot binary, installed when missing.
fn dovecot() -> &'static Result<PathBuf, String> {
    static DOVECOT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DOVECOT.get_or_init(|| {
        let found = || {
            ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
                .into_iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
        };
        if let Some(path) = found() {
            return Ok(path);
        }
        if !running_as_root() {
            return Err("Dovecot is not installed; run `apt-get install dovecot-imapd` (or `cargo xtask setup`) as root".into());
        }
        // Debian starts its own Dovecot after installing it where services may start;
        // these tests never use that one.
        let installed = Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "dovecot-imapd"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            let _ = Command::new("apt-get").arg("update").stdout(Stdio::null()).status();
            let _ = Command::new("apt-get")
                .args(["install", "-y", "--no-install-recommends", "dovecot-imapd"])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdout(Stdio::null())
                .status();
        }
        found().ok_or_else(|| "installing dovecot-imapd with apt-get failed".into())
    })
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn id(flag: &str, user: Option<&str>) -> String {
    let mut command = Command::new("id");
    command.arg(flag);
    if let Some(user) = user {
        command.arg(user);
    }
    String::from_utf8(command.output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct ImapServer {
    pub port: u16,
    dir: TempDir,
    child: Child,
}

impl ImapServer {
    pub fn start() -> Arc<ImapServer> {
        let dovecot = match dovecot() {
            Ok(path) => path,
            Err(why) => panic!("cannot start the IMAP server: {why}"),
        };
        let dir = tempfile::tempdir().unwrap();
        let root = running_as_root();
        let run_as = if root { Some("nobody") } else { None };
        let (user, uid, gid) = (id("-un", run_as), id("-u", run_as), id("-g", run_as));
        let group = id("-gn", run_as);
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let port = free_port();
        let path = dir.path();
        std::fs::write(
            path.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .unwrap();
        let config = include_str!("../dovecot.conf.in")
            .replace("{base}", &path.display().to_string())
            .replace("{user}", &user)
            .replace("{group}", &group)
            .replace("{uid}", &uid)
            .replace("{gid}", &gid)
            .replace("{port}", &port.to_string());
        std::fs::write(path.join("dovecot.conf"), config).unwrap();
        let mut command = if root {
            // The whole directory becomes nobody's, the server runs as nobody.
            let _ = Command::new("chown")
                .args(["-R", "nobody:nogroup"])
                .arg(path)
                .status();
            let _ = Command::new("chmod").args(["0755"]).arg(path).status();
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg(dovecot);
            command
        } else {
            Command::new(dovecot)
        };
        let child = command
            .arg("-F")
            .arg("-c")
            .arg(path.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", dovecot.display()));
        let server = ImapServer { port, dir, child };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(15) {
                panic!(
                    "Dovecot did not listen on {port} within 15 s:\n{}",
                    server.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Arc::new(server)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Reads this mailbox, as the help desk's, with a poll of a second (IDLE wakes it
    /// sooner).
    pub fn configure(&self, serve: &mut ServeArgs) {
        serve.imap.imap_host = Some("127.0.0.1".into());
        serve.imap.imap_port = self.port;
        serve.imap.imap_user = Some(USER.into());
        serve.imap.imap_password = Some(PASSWORD.into());
        serve.imap.imap_tls = ImapTls::None;
        serve.imap.imap_poll_secs = 1;
        serve.imap.imap_address = Some(ADDRESS.into());
    }

    pub async fn session(&self) -> Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        let mut session = client
            .login(USER, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .unwrap_or_else(|e| panic!("signing in to Dovecot: {e}\n{}", self.log()));
        session.select("INBOX").await.unwrap();
        session
    }

    /// Delivers a message into the mailbox, as the mail server would.
    pub async fn append(&self, raw: &[u8]) {
        let mut session = self.session().await;
        session
            .append("INBOX", None, None, raw)
            .await
            .unwrap_or_else(|e| panic!("APPEND: {e}\n{}", self.log()));
        session.logout().await.ok();
    }

    /// Each message's flags, in order.
    pub async fn flags(&self) -> Vec<Vec<String>> {
        let mut session = self.session().await;
        let fetches: Vec<_> = session
            .fetch("1:*", "FLAGS")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap_or_default();
        let mut out: Vec<(u32, Vec<String>)> = fetches
            .iter()
            .map(|f| {
                (
                    f.message,
                    f.flags().map(|flag| format!("{flag:?}")).collect(),
                )
            })
            .collect();
        out.sort();
        session.logout().await.ok();
        out.into_iter().map(|(_, flags)| flags).collect()
    }

    /// Waits until the help desk has marked `count` messages read.
    pub async fn wait_until_read(&self, count: usize) -> Vec<Vec<String>> {
        let started = Instant::now();
        loop {
            let flags = self.flags().await;
            if flags.len() >= count
                && flags
                    .iter()
                    .filter(|f| f.iter().any(|x| x == "Seen"))
                    .count()
                    >= count
            {
                return flags;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{count} message(s) not read within 20 s: {flags:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Marks every message unread again, as a person with a mail program might.
    pub async fn mark_all_unread(&self) {
        let mut session = self.session().await;
        let _: Vec<_> = session
            .store("1:*", "-FLAGS (\\Seen)")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        session.logout().await.ok();
    }
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        // TERM lets the master stop its login and mail processes; a kill would leave
        // them running.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A message as a mail program would send it (CRLF line ends).
pub fn message(headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = String::new();
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("MIME-Version: 1.0\r\n");
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        out.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&body.replace("\r\n", "\n").replace('\n', "\r\n"));
    out.into_bytes()
}

/// A text message with one attachment (base64).
pub fn with_attachment(
    headers: &[(&str, &str)],
    text: &str,
    name: &str,
    media_type: &str,
    data: &[u8],
) -> Vec<u8> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(data);
    let mut lines = String::new();
    for chunk in encoded.as_bytes().chunks(76) {
        lines.push_str(std::str::from_utf8(chunk).unwrap());
        lines.push_str("\r\n");
    }
    let mut headers = headers.to_vec();
    headers.push(("Content-Type", "multipart/mixed; boundary=\"sd-boundary\""));
    let body = format!(
        "--sd-boundary\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n--sd-boundary\r\nContent-Type: {media_type}\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{lines}--sd-boundary--\r\n"
    );
    let mut out = String::new();
    for (name, value) in &headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("MIME-Version: 1.0\r\n\r\n");
    out.push_str(&body);
    out.into_bytes()
}
