//! Configuration: every setting is a flag and an environment variable of the same name.

use crate::auth::portal_access::RequesterSignIn;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "selfdesk-server",
    version,
    about = "Selfdesk IT help-desk portal server"
)]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once at start-up: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal and the API (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Copy this portal's SQLite database into a new, empty PostgreSQL database, then
    /// compare every table (row counts and SHA-256 of the rows). Stop the server first.
    CopyToPostgres {
        /// The PostgreSQL database to fill, `postgres://user:password@host/database`.
        #[arg(long)]
        to: String,
    },
    /// Manage staff accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin account (for the first sign-in on a new portal).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Turn off two-factor sign-in for an account whose owner lost both the
    /// authenticator and the recovery codes (every session of it ends). From the
    /// server's console only: no one in the web app can do this for someone else.
    TurnOffTwoFactor {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Where the SQLite database and uploaded files live.
    #[arg(
        long,
        env = "SELFDESK_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// `sqlite://path/to/file.db`; defaults to `selfdesk.db` in the data directory.
    #[arg(long, env = "SELFDESK_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    pub fn url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("selfdesk.db").display()),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[arg(long, env = "SELFDESK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The built single-page app (Trunk's output).
    #[arg(long, env = "SELFDESK_STATIC_DIR", default_value = "./dist")]
    pub static_dir: PathBuf,
    /// Create demo staff and content when they are missing. Never implied: a production
    /// portal must not gain accounts with a published password.
    #[arg(long, env = "SELFDESK_SEED_DEMO", default_value_t = false)]
    pub seed_demo: bool,
    /// With `--seed-demo`: also 90 days of past tickets, searches and guided
    /// diagnostics, written once, so the help desk's numbers have something to show.
    /// Off for the tests, which count what they file.
    #[arg(long, env = "SELFDESK_SEED_DEMO_HISTORY", default_value_t = false)]
    pub seed_demo_history: bool,
    /// Mark the session cookie `Secure`; turn on whenever the portal is served over HTTPS.
    #[arg(long, env = "SELFDESK_COOKIE_SECURE", default_value_t = false)]
    pub cookie_secure: bool,
    /// Days after which a resolved ticket the requester has not answered is closed.
    #[arg(long, env = "SELFDESK_AUTO_CLOSE_DAYS", default_value_t = 7)]
    pub auto_close_days: u32,
    /// Days the anonymous search log keeps each search (for the searches that found
    /// nothing); older ones are deleted.
    #[arg(long, env = "SELFDESK_SEARCH_LOG_DAYS", default_value_t = DEFAULT_SEARCH_LOG_DAYS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub search_log_days: u32,
    /// The portal's address as people reach it (`https://help.example.org`), for the
    /// links in emails. Defaults to `http://` and the address the server listens on,
    /// which is only right when people reach the server directly.
    #[arg(long, env = "SELFDESK_PUBLIC_URL")]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub smtp: SmtpArgs,
    #[command(flatten)]
    pub outbox: OutboxArgs,
    #[command(flatten)]
    pub imap: ImapArgs,
    #[command(flatten)]
    pub protect: ProtectArgs,
    #[command(flatten)]
    pub oidc: OidcArgs,
    #[command(flatten)]
    pub staff_sign_in: StaffSignInArgs,
}

/// How long searches stay in the search log unless `SELFDESK_SEARCH_LOG_DAYS` says.
pub const DEFAULT_SEARCH_LOG_DAYS: u32 = 180;

/// Limits that keep one client, a burst or a flood from taking the portal down.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Protection")]
pub struct ProtectArgs {
    /// Load balancers and reverse proxies (CIDR blocks or addresses, comma-separated)
    /// whose `Forwarded` / `X-Forwarded-For` headers are believed. Unset: the peer is
    /// the client. Set it whenever replicas sit behind a balancer, or every limit
    /// counts the balancer as one client.
    #[arg(long, env = "SELFDESK_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: crate::protect::client_addr::TrustedProxies,
    /// The one header the trusted proxies write the client's address into; any other
    /// is the client's own word and ignored.
    #[arg(long, env = "SELFDESK_FORWARDED_HEADER", value_enum, default_value_t)]
    pub forwarded_header: crate::protect::client_addr::ForwardedHeader,
    /// Anonymous writes allowed per client address and hour, as `name=number` pairs
    /// (`filings`, `uploads`, `upload-mib`, `votes`, `walks`, `searches`, `events`,
    /// `lookups`, `affected`, `replies`, `grants`, `renewals`, `checks`, `sign-ins`); unnamed ones
    /// keep their defaults.
    #[arg(long, env = "SELFDESK_RATE_LIMITS", default_value = "")]
    pub rate_limits: crate::protect::rate_limits::RateLimits,
    /// Live streams open at once on one ticket, per replica.
    #[arg(long, env = "SELFDESK_STREAMS_PER_TICKET", default_value_t = crate::protect::stream_caps::DEFAULT_PER_TICKET)]
    pub streams_per_ticket: usize,
    /// Live streams open at once from one client address, per replica.
    #[arg(long, env = "SELFDESK_STREAMS_PER_CLIENT", default_value_t = crate::protect::stream_caps::DEFAULT_PER_CLIENT)]
    pub streams_per_client: usize,
    /// Minutes after which an unused staff session ends (besides its 12-hour life).
    #[arg(long, env = "SELFDESK_SESSION_IDLE_MINUTES", default_value_t = 120)]
    pub session_idle_minutes: u32,
    /// MiB all stored files (ticket attachments and article images) may take together.
    #[arg(long, env = "SELFDESK_STORAGE_QUOTA_MIB", default_value_t = 10 * 1024)]
    pub storage_quota_mib: u64,
    /// MiB of uploads that may wait to be attached to a ticket (swept after a day);
    /// one client address may hold a quarter of it.
    #[arg(long, env = "SELFDESK_UPLOADS_WAITING_MIB", default_value_t = 512)]
    pub uploads_waiting_mib: u64,
}

impl Default for ProtectArgs {
    fn default() -> Self {
        Self {
            trusted_proxies: Default::default(),
            forwarded_header: Default::default(),
            rate_limits: Default::default(),
            streams_per_ticket: crate::protect::stream_caps::DEFAULT_PER_TICKET,
            streams_per_client: crate::protect::stream_caps::DEFAULT_PER_CLIENT,
            session_idle_minutes: 120,
            storage_quota_mib: 10 * 1024,
            uploads_waiting_mib: 512,
        }
    }
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            static_dir: PathBuf::from("./dist"),
            seed_demo: false,
            seed_demo_history: false,
            cookie_secure: false,
            auto_close_days: 7,
            search_log_days: DEFAULT_SEARCH_LOG_DAYS,
            public_url: None,
            smtp: SmtpArgs::default(),
            outbox: OutboxArgs::default(),
            oidc: OidcArgs::default(),
            staff_sign_in: StaffSignInArgs::default(),
            imap: ImapArgs::default(),
            protect: ProtectArgs::default(),
        }
    }
}

/// How the outbox delivers (see `outbox`).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Outbox (email delivery)")]
pub struct OutboxArgs {
    /// Hours a message is retried before it is given up and shown to admins as failed.
    #[arg(long, env = "SELFDESK_OUTBOX_GIVE_UP_HOURS", default_value_t = 48,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub outbox_give_up_hours: u32,
    /// Seconds before the first retry; each further retry waits twice as long, up to
    /// an hour.
    #[arg(long, env = "SELFDESK_OUTBOX_RETRY_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub outbox_retry_secs: u32,
    /// Emails one address may be sent per hour; more are kept as suppressed, unsent.
    #[arg(long, env = "SELFDESK_EMAILS_PER_RECIPIENT_HOUR", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub emails_per_recipient_hour: u32,
    /// Seconds a replica holds a message it is delivering. A replica that dies while
    /// delivering leaves it this long before another sends it again; keep it well above
    /// the 30 s an SMTP command or the 15 s a webhook may take.
    #[arg(long, env = "SELFDESK_OUTBOX_LEASE_SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub outbox_lease_secs: u32,
    /// Let webhooks reach loopback, private and link-local addresses (tests, or a help
    /// desk whose receivers are all inside). Off: such endpoints are refused.
    #[arg(long, env = "SELFDESK_WEBHOOKS_ALLOW_PRIVATE", default_value_t = false)]
    pub webhooks_allow_private: bool,
}

impl Default for OutboxArgs {
    fn default() -> Self {
        Self {
            outbox_give_up_hours: 48,
            outbox_retry_secs: 30,
            emails_per_recipient_hour: 20,
            outbox_lease_secs: 300,
            webhooks_allow_private: false,
        }
    }
}

/// Sign-in with the organisation's OpenID provider (Entra ID, Google Workspace, Okta,
/// Keycloak, Authentik …). All three set: requesters may sign in; none: the portal is
/// anonymous as before. The provider must know the redirect URL
/// `SELFDESK_PUBLIC_URL` + `/api/v1/auth/oidc/callback`.
#[derive(Clone, Args)]
#[command(next_help_heading = "Sign-in (OpenID Connect)")]
pub struct OidcArgs {
    /// The provider's issuer URL; its `/.well-known/openid-configuration` is read on
    /// the first sign-in.
    #[arg(long, env = "SELFDESK_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// This portal's client id at the provider.
    #[arg(long, env = "SELFDESK_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// This portal's client secret. Prefer the environment variable: a flag is visible
    /// to every user of the machine in the process list.
    #[arg(long, env = "SELFDESK_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// Scopes asked for besides `openid`, space- or comma-separated. Add the one that
    /// makes the provider send groups (`groups` at most providers) for staff sign-in.
    #[arg(long, env = "SELFDESK_OIDC_SCOPES", default_value = DEFAULT_OIDC_SCOPES)]
    pub oidc_scopes: String,
    /// The ID token claim that lists the person's groups (or roles), for staff
    /// sign-in.
    #[arg(long, env = "SELFDESK_OIDC_ROLE_CLAIM", default_value = DEFAULT_OIDC_ROLE_CLAIM)]
    pub oidc_role_claim: String,
    /// The provider group whose members are tier-1 technicians. Staff sign-in with the
    /// provider is on when at least one of the four groups is set.
    #[arg(long, env = "SELFDESK_OIDC_GROUP_TIER1")]
    pub oidc_group_tier1: Option<String>,
    /// The group of tier-2 technicians.
    #[arg(long, env = "SELFDESK_OIDC_GROUP_TIER2")]
    pub oidc_group_tier2: Option<String>,
    /// The group of tier-3 technicians.
    #[arg(long, env = "SELFDESK_OIDC_GROUP_TIER3")]
    pub oidc_group_tier3: Option<String>,
    /// The group of admins.
    #[arg(long, env = "SELFDESK_OIDC_GROUP_ADMIN")]
    pub oidc_group_admin: Option<String>,
    /// Who may use the requesters' side: `optional` (everyone; signing in shows
    /// one's tickets anywhere), `required` (signed-in people only: a private portal;
    /// needs a provider or email) or `off` (anonymous only; no requester sign-in).
    #[arg(
        long,
        env = "SELFDESK_REQUESTER_SIGN_IN",
        value_enum,
        default_value = "optional"
    )]
    pub requester_sign_in: RequesterSignIn,
}

/// How staff sign in with passwords.
#[derive(Clone, Debug, Default, Args)]
pub struct StaffSignInArgs {
    /// Who may sign in with a password: `on` (everyone with an account), `admins`
    /// (admins only: the break-glass path when technicians use the organisation's
    /// provider) or `off` (nobody; needs the provider's staff groups).
    #[arg(
        long,
        env = "SELFDESK_STAFF_PASSWORD_SIGN_IN",
        value_enum,
        default_value = "on"
    )]
    pub staff_password_sign_in: PasswordSignIn,
    /// Admins who sign in with a password must turn on two-factor sign-in (an
    /// authenticator app's codes) before any admin action.
    #[arg(long, env = "SELFDESK_REQUIRE_2FA", default_value_t = false, action = clap::ArgAction::Set)]
    pub require_2fa: bool,
}

/// `SELFDESK_STAFF_PASSWORD_SIGN_IN`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PasswordSignIn {
    #[default]
    On,
    Admins,
    Off,
}

impl PasswordSignIn {
    /// Whether an account with this role may sign in with its password.
    pub fn allows(self, role: selfdesk_shared::auth::StaffRole) -> bool {
        match self {
            Self::On => true,
            Self::Admins => role.is_admin(),
            Self::Off => false,
        }
    }
}

pub const DEFAULT_OIDC_SCOPES: &str = "email profile";
pub const DEFAULT_OIDC_ROLE_CLAIM: &str = "groups";

impl Default for OidcArgs {
    fn default() -> Self {
        Self {
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_scopes: DEFAULT_OIDC_SCOPES.into(),
            oidc_role_claim: DEFAULT_OIDC_ROLE_CLAIM.into(),
            oidc_group_tier1: None,
            oidc_group_tier2: None,
            oidc_group_tier3: None,
            oidc_group_admin: None,
            requester_sign_in: RequesterSignIn::Optional,
        }
    }
}

/// Never prints the secret.
impl std::fmt::Debug for OidcArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcArgs")
            .field("oidc_issuer", &self.oidc_issuer)
            .field("oidc_client_id", &self.oidc_client_id)
            .field(
                "oidc_client_secret",
                &self.oidc_client_secret.as_ref().map(|_| "…"),
            )
            .field("oidc_scopes", &self.oidc_scopes)
            .field("oidc_role_claim", &self.oidc_role_claim)
            .field("oidc_group_tier1", &self.oidc_group_tier1)
            .field("oidc_group_tier2", &self.oidc_group_tier2)
            .field("oidc_group_tier3", &self.oidc_group_tier3)
            .field("oidc_group_admin", &self.oidc_group_admin)
            .field("requester_sign_in", &self.requester_sign_in)
            .finish()
    }
}

/// The mail server for ticket emails (confirmation on filing, a new link on request).
/// Without a host the portal sends no email, and says so where it matters.
#[derive(Clone, Args)]
#[command(next_help_heading = "Email (SMTP)")]
pub struct SmtpArgs {
    /// The SMTP server; leave unset to send no email.
    #[arg(long, env = "SELFDESK_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// 587 is mail submission with STARTTLS; 465 is usual for `--smtp-tls tls`.
    #[arg(long, env = "SELFDESK_SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,
    /// The account to sign in to the SMTP server with; needs the password too. Unset:
    /// no sign-in (a relay that trusts this host).
    #[arg(long, env = "SELFDESK_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    /// Used only together with `--smtp-username`. Prefer the environment variable: a
    /// flag is visible to every user of the machine in the process list.
    #[arg(long, env = "SELFDESK_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// The sender, as `Name <address>` or a bare address.
    #[arg(
        long,
        env = "SELFDESK_SMTP_FROM",
        default_value = "Selfdesk <selfdesk@localhost>"
    )]
    pub smtp_from: String,
    #[arg(long, env = "SELFDESK_SMTP_TLS", value_enum, default_value_t = SmtpTls::Starttls)]
    pub smtp_tls: SmtpTls,
}

impl Default for SmtpArgs {
    fn default() -> Self {
        Self {
            smtp_host: None,
            smtp_port: 587,
            smtp_username: None,
            smtp_password: None,
            smtp_from: "Selfdesk <selfdesk@localhost>".into(),
            smtp_tls: SmtpTls::Starttls,
        }
    }
}

/// Written by hand so that the password never reaches a log through `{:?}`.
impl std::fmt::Debug for SmtpArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpArgs")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_username", &self.smtp_username)
            .field(
                "smtp_password",
                &self.smtp_password.as_ref().map(|_| "<redacted>"),
            )
            .field("smtp_from", &self.smtp_from)
            .field("smtp_tls", &self.smtp_tls)
            .finish()
    }
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SmtpTls {
    /// Connect in plain text, then upgrade with STARTTLS; refuse to send if the server
    /// cannot (port 587).
    Starttls,
    /// TLS from the first byte, "implicit TLS" (port 465).
    Tls,
    /// No encryption at all: only for a relay on the same machine or a trusted local
    /// network (a local Postfix, a test sink). Credentials and ticket links would cross
    /// the network readable by anyone on the path.
    None,
}

/// The help desk's mailbox, read over IMAP (see `mail_in`): replies to ticket emails
/// land on their tickets, other messages file new tickets. Without a host no mail is
/// read and ticket emails carry no Reply-To.
#[derive(Clone, Args)]
#[command(next_help_heading = "Email in (IMAP)")]
pub struct ImapArgs {
    /// The IMAP server; leave unset to read no mail.
    #[arg(long, env = "SELFDESK_IMAP_HOST")]
    pub imap_host: Option<String>,
    /// 993 is IMAPS; 143 is usual for `--imap-tls starttls`.
    #[arg(long, env = "SELFDESK_IMAP_PORT", default_value_t = 993)]
    pub imap_port: u16,
    #[arg(long, env = "SELFDESK_IMAP_USER")]
    pub imap_user: Option<String>,
    /// Prefer the environment variable: a flag is visible in the process list.
    #[arg(long, env = "SELFDESK_IMAP_PASSWORD", hide_env_values = true)]
    pub imap_password: Option<String>,
    /// The folder new mail arrives in.
    #[arg(long, env = "SELFDESK_IMAP_MAILBOX", default_value = "INBOX")]
    pub imap_mailbox: String,
    #[arg(long, env = "SELFDESK_IMAP_TLS", value_enum, default_value_t = ImapTls::Imaps)]
    pub imap_tls: ImapTls,
    /// Seconds between looks at the mailbox when the server has no IDLE; with IDLE,
    /// the longest wait before looking anyway.
    #[arg(long, env = "SELFDESK_IMAP_POLL_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub imap_poll_secs: u32,
    /// The address requesters write to (`help@example.org`); replies go to
    /// `help+<reply token>@example.org`, so the mailbox must receive plus-addressed
    /// mail. Defaults to the sender's address (`SELFDESK_SMTP_FROM`).
    #[arg(long, env = "SELFDESK_IMAP_ADDRESS")]
    pub imap_address: Option<String>,
}

impl Default for ImapArgs {
    fn default() -> Self {
        Self {
            imap_host: None,
            imap_port: 993,
            imap_user: None,
            imap_password: None,
            imap_mailbox: "INBOX".into(),
            imap_tls: ImapTls::Imaps,
            imap_poll_secs: 60,
            imap_address: None,
        }
    }
}

/// Written by hand so that the password never reaches a log through `{:?}`.
impl std::fmt::Debug for ImapArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapArgs")
            .field("imap_host", &self.imap_host)
            .field("imap_port", &self.imap_port)
            .field("imap_user", &self.imap_user)
            .field(
                "imap_password",
                &self.imap_password.as_ref().map(|_| "<redacted>"),
            )
            .field("imap_mailbox", &self.imap_mailbox)
            .field("imap_tls", &self.imap_tls)
            .field("imap_poll_secs", &self.imap_poll_secs)
            .field("imap_address", &self.imap_address)
            .finish()
    }
}

/// How the connection to the IMAP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImapTls {
    /// TLS from the first byte (port 993).
    Imaps,
    /// Plain, then upgraded with STARTTLS; refuses to sign in if the server cannot.
    Starttls,
    /// No encryption: accepted only for a server on a loopback address (a local
    /// Dovecot, the tests), since the password and every message would cross the
    /// network readable.
    None,
}
