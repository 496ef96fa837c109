//! A real SMTP server for the tests: `tests/smtp_sink.py` (aiosmtpd) in a child
//! process on a free 127.0.0.1 port, keeping every message it receives as files.
//!
//! No mock: the server's real SMTP client (lettre) talks to a real SMTP server. When the
//! sink cannot start — no Python, no aiosmtpd — the test fails and says how to fix it;
//! it never skips. `cargo xtask setup` (and `cargo xtask test`) install aiosmtpd.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use selfdesk_server::config::{ServeArgs, SmtpTls};
use serde::Deserialize;
use tempfile::TempDir;

/// How long a test waits for an email to arrive.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// One message as the sink received it (see `smtp_sink.py` for the fields).
#[derive(Debug, Clone, Deserialize)]
pub struct ReceivedEmail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub from: String,
    pub to: String,
    /// Decoded (RFC 2047), as a mail client shows it.
    pub subject: String,
    pub content_type: String,
    /// The plain-text body, decoded.
    pub body: String,
    /// The HTML body, decoded, when the message has one.
    pub html: Option<String>,
    pub message_id: String,
    /// The raw message as it came over SMTP.
    #[serde(skip)]
    pub raw: String,
}

pub struct SmtpSink {
    pub port: u16,
    dir: TempDir,
    child: Child,
    /// Held open: the sink exits when it closes, so even a test process that is killed
    /// leaves no sink behind.
    _stdin: ChildStdin,
}

/// Interpreters tried in order: `SELFDESK_TEST_PYTHON` if set, the `python3` first on
/// PATH, then Debian's own (which Debian's `python3-aiosmtpd` installs for). The same
/// list as `xtask/src/setup.rs`.
fn python() -> &'static Result<String, String> {
    static PYTHON: OnceLock<Result<String, String>> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let mut candidates: Vec<String> = std::env::var("SELFDESK_TEST_PYTHON")
            .ok()
            .filter(|p| !p.is_empty())
            .into_iter()
            .collect();
        candidates.extend(["python3".to_owned(), "/usr/bin/python3".to_owned()]);
        candidates
            .iter()
            .find(|python| {
                Command::new(python)
                    .args(["-c", "import aiosmtpd"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            })
            .cloned()
            .ok_or_else(|| {
                format!(
                    "no Python with aiosmtpd for the SMTP sink (tried {}). Install it with \
                     `cargo xtask setup`, or `apt-get install python3-aiosmtpd`, or \
                     `python3 -m pip install --user aiosmtpd`; SELFDESK_TEST_PYTHON names \
                     another interpreter",
                    candidates.join(", ")
                )
            })
    })
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py")
}

impl SmtpSink {
    /// Starts a sink; panics (failing the test) with the reason if it cannot.
    pub fn start() -> SmtpSink {
        let python = match python() {
            Ok(python) => python,
            Err(why) => panic!("cannot start the SMTP sink: {why}"),
        };
        let dir = tempfile::tempdir().unwrap();
        let mails = dir.path().join("mail");
        let stderr_path = dir.path().join("sink.stderr");
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut child = Command::new(python)
            .arg(script())
            .arg(&mails)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the SMTP sink with {python}: {e}"));
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let port = receiver
            .recv_timeout(Duration::from_secs(10))
            .ok()
            .and_then(|line| line.trim().parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            panic!(
                "the SMTP sink ({python} {}) did not report its port:\n{stderr}",
                script().display()
            );
        };
        SmtpSink {
            port,
            dir,
            child,
            _stdin: stdin,
        }
    }

    /// Points a server's email at this sink (plain SMTP on 127.0.0.1).
    pub fn configure(&self, serve: &mut ServeArgs) {
        serve.smtp.smtp_host = Some("127.0.0.1".into());
        serve.smtp.smtp_port = self.port;
        serve.smtp.smtp_tls = SmtpTls::None;
        serve.smtp.smtp_from = "Selfdesk Test <desk@selfdesk.test>".into();
    }

    /// The same, as the environment of a server process.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SELFDESK_SMTP_HOST", "127.0.0.1".into()),
            ("SELFDESK_SMTP_PORT", self.port.to_string()),
            ("SELFDESK_SMTP_TLS", "none".into()),
            (
                "SELFDESK_SMTP_FROM",
                "Selfdesk Test <desk@selfdesk.test>".into(),
            ),
        ]
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedEmail> {
        let dir = self.dir.path().join("mail");
        let mut names: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).unwrap();
                let mut email: ReceivedEmail = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                email.raw = std::fs::read_to_string(path.with_extension("eml")).unwrap();
                email
            })
            .collect()
    }

    /// While on, the sink answers every message with a temporary failure (451).
    pub fn refuse(&self, refuse: bool) {
        self.flag("refuse", refuse);
    }

    /// While on, the sink refuses every message for good (550).
    pub fn reject(&self, reject: bool) {
        self.flag("reject", reject);
    }

    /// While on, the sink takes each message's text and never answers.
    pub fn hang(&self, hang: bool) {
        self.flag("hang", hang);
    }

    fn flag(&self, name: &str, on: bool) {
        let flag = self.dir.path().join(name);
        if on {
            std::fs::write(flag, b"").unwrap();
        } else {
            let _ = std::fs::remove_file(flag);
        }
    }

    /// Waits up to [`DELIVERY_TIMEOUT`] for a message to `to` whose subject contains
    /// `subject`.
    pub async fn wait_for_mail(&self, to: &str, subject: &str) -> ReceivedEmail {
        let started = Instant::now();
        loop {
            let received = self.received();
            if let Some(mail) = received
                .iter()
                .find(|m| m.rcpt_tos.iter().any(|r| r == to) && m.subject.contains(subject))
            {
                return mail.clone();
            }
            assert!(
                started.elapsed() < DELIVERY_TIMEOUT,
                "no email to {to} with {subject:?} in its subject within {DELIVERY_TIMEOUT:?}; the sink has: {:#?}",
                received
                    .iter()
                    .map(|m| (&m.rcpt_tos, &m.subject))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits up to [`DELIVERY_TIMEOUT`] until at least `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<ReceivedEmail> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                started.elapsed() < DELIVERY_TIMEOUT,
                "expected {count} email(s) within {DELIVERY_TIMEOUT:?}, the SMTP sink has {}: {received:#?}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
