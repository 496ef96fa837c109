//! Configuration: every setting is a flag and an environment variable of the same name.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal and the API (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
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
    /// Mark the session cookie `Secure`; turn on whenever the portal is served over HTTPS.
    #[arg(long, env = "SELFDESK_COOKIE_SECURE", default_value_t = false)]
    pub cookie_secure: bool,
    /// Days after which a resolved ticket the requester has not answered is closed.
    #[arg(long, env = "SELFDESK_AUTO_CLOSE_DAYS", default_value_t = 7)]
    pub auto_close_days: u32,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            static_dir: PathBuf::from("./dist"),
            seed_demo: false,
            cookie_secure: false,
            auto_close_days: 7,
        }
    }
}
