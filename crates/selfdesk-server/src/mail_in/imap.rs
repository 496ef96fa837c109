//! The mailbox reader every replica runs when `SELFDESK_IMAP_HOST` is set: signs in,
//! reads the unread messages one by one (`process`), marks each read — and flagged when
//! something in it was refused — then waits for new mail with IDLE where the server
//! offers it, else polls. Connection trouble is logged and retried with growing waits.
//!
//! Replicas may read the same mailbox at once: `mail_in`'s unique key makes each
//! message change its ticket once whichever replica gets there first. Messages are
//! never deleted or moved, so nothing that came in is lost: a refused one stays in the
//! mailbox, flagged, for an admin.

use std::net::ToSocketAddrs;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use async_imap::extensions::idle::IdleResponse;
use async_imap::{Client, Session};
use futures_util::TryStreamExt;
use mail_parser::MessageParser;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, pki_types::ServerName};

use super::ReplyAddress;
use super::process::{self, Handled};
use super::store::{self, MailInRecord};
use crate::config::{ImapArgs, ImapTls};
use crate::state::AppState;
use crate::{sha256_hex, unix_now};

/// Larger messages are not downloaded: a ticket takes at most 25 MiB of files, which
/// base64 makes about 34 MiB. Such a message is recorded as refused from its headers
/// and stays in the mailbox, flagged.
pub const MAX_MESSAGE_BYTES: u32 = 36 * 1024 * 1024;

/// For connecting, signing in and each command but IDLE.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The reader's settings, checked at start.
#[derive(Clone)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub mailbox: String,
    pub tls: ImapTls,
    pub poll: Duration,
}

impl ImapSettings {
    /// `None` when no host is set. Half-given credentials, or no encryption to a
    /// server that is not on this machine, stop the server at start.
    pub fn from_args(args: &ImapArgs) -> anyhow::Result<Option<Self>> {
        let Some(host) = args
            .imap_host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            return Ok(None);
        };
        let (Some(user), Some(password)) = (&args.imap_user, &args.imap_password) else {
            bail!(
                "SELFDESK_IMAP_HOST is set: set SELFDESK_IMAP_USER and SELFDESK_IMAP_PASSWORD too"
            );
        };
        if args.imap_tls == ImapTls::None {
            let loopback = (host, args.imap_port)
                .to_socket_addrs()
                .map(|mut addrs| addrs.all(|a| a.ip().is_loopback()))
                .unwrap_or(false);
            if !loopback {
                bail!(
                    "SELFDESK_IMAP_TLS=none is accepted only for a server on a loopback address; {host} is not one (use imaps or starttls)"
                );
            }
        }
        Ok(Some(Self {
            host: host.to_owned(),
            port: args.imap_port,
            user: user.clone(),
            password: password.clone(),
            mailbox: args.imap_mailbox.clone(),
            tls: args.imap_tls,
            poll: Duration::from_secs(u64::from(args.imap_poll_secs.max(1))),
        }))
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Io for T {}

type ImapSession = Session<Box<dyn Io>>;

pub fn spawn(state: AppState, settings: ImapSettings, ours: Arc<ReplyAddress>) {
    tokio::spawn(async move {
        let mut wait = Duration::from_secs(5);
        loop {
            match read_mailbox(&state, &settings, &ours).await {
                Ok(()) => wait = Duration::from_secs(5),
                Err(err) => {
                    tracing::warn!(host = %settings.host, err = %format!("{err:#}"), retry_in_secs = wait.as_secs(), "mail in: the mailbox could not be read");
                }
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(5 * 60));
        }
    });
}

/// One connection: reads what is unread, then waits for more, until the connection
/// fails.
async fn read_mailbox(
    state: &AppState,
    settings: &ImapSettings,
    ours: &ReplyAddress,
) -> anyhow::Result<()> {
    let mut session = tokio::time::timeout(TIMEOUT, connect(settings))
        .await
        .context("connecting timed out")??;
    tokio::time::timeout(TIMEOUT, session.select(&settings.mailbox))
        .await
        .context("selecting the mailbox timed out")?
        .with_context(|| format!("selecting the mailbox {:?}", settings.mailbox))?;
    let idle = session.capabilities().await?.has_str("IDLE");
    tracing::info!(host = %settings.host, mailbox = %settings.mailbox, idle, "mail in: reading the mailbox");
    loop {
        read_unread(state, &mut session, ours).await?;
        while session.unsolicited_responses.try_recv().is_ok() {}
        if idle {
            let mut handle = session.idle();
            handle.init().await?;
            let (wait, stop) = handle.wait_with_timeout(settings.poll);
            let response = wait.await?;
            drop(stop);
            if let IdleResponse::NewData(_) = response {
                tracing::debug!("mail in: the server says something changed");
            }
            session = tokio::time::timeout(TIMEOUT, handle.done())
                .await
                .context("ending IDLE timed out")??;
        } else {
            tokio::time::sleep(settings.poll).await;
            tokio::time::timeout(TIMEOUT, session.noop())
                .await
                .context("NOOP timed out")??;
        }
    }
}

async fn connect(settings: &ImapSettings) -> anyhow::Result<ImapSession> {
    let tcp = TcpStream::connect((settings.host.as_str(), settings.port))
        .await
        .with_context(|| format!("connecting to {}:{}", settings.host, settings.port))?;
    let stream: Box<dyn Io> = match settings.tls {
        ImapTls::Imaps => Box::new(tls(&settings.host, tcp).await?),
        ImapTls::Starttls => {
            let mut client = Client::new(tcp);
            client
                .read_response()
                .await?
                .context("the server sent no greeting")?;
            // A server that cannot upgrade answers NO or BAD: the password is never sent
            // in the clear.
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .context("the server refused STARTTLS")?;
            Box::new(tls(&settings.host, client.into_inner()).await?)
        }
        ImapTls::None => Box::new(tcp),
    };
    let mut client = Client::new(stream);
    if settings.tls != ImapTls::Starttls {
        client
            .read_response()
            .await?
            .context("the server sent no greeting")?;
    }
    client
        .login(&settings.user, &settings.password)
        .await
        .map_err(|(err, _)| anyhow::anyhow!("signing in as {}: {err}", settings.user))
}

/// TLS with Mozilla's roots, checked against the host name: the same stack as SMTP.
async fn tls(
    host: &str,
    tcp: TcpStream,
) -> anyhow::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name =
        ServerName::try_from(host.to_owned()).context("the IMAP host is not a valid name")?;
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .context("the TLS handshake with the IMAP server failed")
}

/// Every unread message, oldest first.
async fn read_unread(
    state: &AppState,
    session: &mut ImapSession,
    ours: &ReplyAddress,
) -> anyhow::Result<()> {
    let mut uids: Vec<u32> = session.uid_search("UNSEEN").await?.into_iter().collect();
    uids.sort_unstable();
    for uid in uids {
        let size = fetch_one(session, uid, "RFC822.SIZE")
            .await?
            .and_then(|f| f.size)
            .unwrap_or(0);
        let handled = if size > MAX_MESSAGE_BYTES {
            let headers = fetch_one(session, uid, "BODY.PEEK[HEADER]")
                .await?
                .and_then(|f| f.header().map(<[u8]>::to_vec))
                .unwrap_or_default();
            too_large(state, &headers, size).await
        } else {
            let Some(raw) = fetch_one(session, uid, "BODY.PEEK[]")
                .await?
                .and_then(|f| f.body().map(<[u8]>::to_vec))
            else {
                // Expunged meanwhile by someone else.
                continue;
            };
            process::process(state, ours, &raw).await
        };
        match handled {
            Ok(Handled { outcome, flag }) => {
                let flags = if flag {
                    "(\\Seen \\Flagged)"
                } else {
                    "(\\Seen)"
                };
                session
                    .uid_store(uid.to_string(), format!("+FLAGS.SILENT {flags}"))
                    .await?
                    .try_collect::<Vec<_>>()
                    .await?;
                tracing::debug!(uid, outcome, "mail in: message handled");
            }
            // Left unread: tried again at the next look.
            Err(err) => {
                tracing::warn!(uid, err = %format!("{err:#}"), "mail in: a message could not be handled; left unread to try again")
            }
        }
    }
    Ok(())
}

async fn fetch_one(
    session: &mut ImapSession,
    uid: u32,
    what: &str,
) -> anyhow::Result<Option<async_imap::types::Fetch>> {
    let fetches: Vec<_> = tokio::time::timeout(TIMEOUT * 5, async {
        session
            .uid_fetch(uid.to_string(), what)
            .await?
            .try_collect::<Vec<_>>()
            .await
    })
    .await
    .context("fetching a message timed out")??;
    Ok(fetches.into_iter().find(|f| f.uid == Some(uid)))
}

/// A message too large to read: recorded as refused from its headers alone.
async fn too_large(state: &AppState, headers: &[u8], size: u32) -> anyhow::Result<Handled> {
    let parsed = MessageParser::default().parse_headers(headers);
    let message_key = parsed
        .as_ref()
        .and_then(|m| m.message_id())
        .map(|id| format!("<{id}>"))
        .unwrap_or_else(|| format!("sha256:{}", sha256_hex(headers)));
    let record = MailInRecord {
        message_key,
        received_at: unix_now(),
        sender: parsed.as_ref().and_then(super::sender).unwrap_or_default(),
        subject: parsed
            .as_ref()
            .and_then(|m| m.subject())
            .unwrap_or_default()
            .chars()
            .take(160)
            .collect(),
        outcome: "rejected",
        reason: Some(format!(
            "{} MB, over the {} MiB the help desk reads; kept in the mailbox",
            size / 1_000_000,
            MAX_MESSAGE_BYTES / (1024 * 1024)
        )),
    };
    tracing::warn!(message = %record.message_key, sender = %record.sender, size, "mail in: message too large; kept in the mailbox, flagged");
    if store::record(&state.db, None, &record).await? {
        Ok(Handled {
            outcome: "rejected",
            flag: true,
        })
    } else {
        Ok(Handled {
            outcome: "duplicate",
            flag: false,
        })
    }
}
