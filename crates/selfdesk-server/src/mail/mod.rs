//! Email to requesters over SMTP: the confirmation when a ticket is filed, and a fresh
//! tracking link when one is asked for by number and address (`routes::ticket_lookup`).
//!
//! Sending never holds up or fails the request that caused it: each message goes out in
//! a task of its own, and a failure is logged as a warning. A mail server that is slow
//! or down must not stop anyone from filing a ticket; the page shown after filing
//! already carries the link.
//!
//! The texts live in [`messages`]; this module is the transport.

pub mod messages;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use selfdesk_shared::tickets::TicketView;

use crate::config::{SmtpArgs, SmtpTls};
use crate::state::AppState;
pub use messages::Email;
use messages::{TicketFacts, one_line};

/// For each SMTP command. lettre's default is a minute; a message in a background task
/// can wait that long, but a hung server should not pile up tasks for longer.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// The configured mail server and sender.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `None` when no SMTP host is configured: the portal then sends no email. A
    /// malformed sender or half-given credentials stop the server at start, where the
    /// mistake is seen, rather than at the first ticket.
    pub fn from_args(args: &SmtpArgs) -> anyhow::Result<Option<Self>> {
        let Some(host) = args
            .smtp_host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            return Ok(None);
        };
        let from: Mailbox = args.smtp_from.parse().with_context(|| {
            format!(
                "--smtp-from / SELFDESK_SMTP_FROM {:?} is not an address like `Selfdesk <help@example.org>`",
                args.smtp_from
            )
        })?;
        let builder = match args.smtp_tls {
            // Both check the server's certificate against `host` and Mozilla's roots.
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .context("setting up STARTTLS for the SMTP server")?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .context("setting up TLS for the SMTP server")?,
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        };
        let mut builder = builder.port(args.smtp_port).timeout(Some(COMMAND_TIMEOUT));
        match (&args.smtp_username, &args.smtp_password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (Some(_), None) => bail!(
                "--smtp-username is set but no password: set SELFDESK_SMTP_PASSWORD (or --smtp-password)"
            ),
            (None, Some(_)) => bail!("an SMTP password is set without --smtp-username"),
            (None, None) => {}
        }
        Ok(Some(Self {
            transport: builder.build(),
            from,
        }))
    }

    /// Sends one plain-text message and waits for the server to accept it.
    pub async fn send(&self, to: &str, email: &Email) -> anyhow::Result<()> {
        let to: Mailbox = to
            .parse()
            .context("the recipient is not an address the mail library accepts")?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            // lettre encodes header values too; stripping line breaks here means a
            // subject typed with one cannot even reach it.
            .subject(one_line(&email.subject))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .context("building the message")?;
        self.transport
            .send(message)
            .await
            .context("the SMTP server did not take the message")?;
        Ok(())
    }

    /// Sends in a task of its own and returns at once. `about` (a ticket number, never
    /// the address) goes into the warning if sending fails.
    pub fn send_later(self: &Arc<Self>, to: String, email: Email, about: String) {
        let mailer = Arc::clone(self);
        tokio::spawn(async move {
            match mailer.send(&to, &email).await {
                Ok(()) => tracing::debug!(ticket = %about, "email sent"),
                Err(err) => {
                    tracing::warn!(ticket = %about, error = %format!("{err:#}"), "sending an email failed");
                }
            }
        });
    }
}

/// The tracking page with its access token, as the app reads it (`#access=` stays in
/// the browser: a fragment is never sent to a server, so it does not reach access logs).
pub fn tracking_link(public_url: &str, number: &str, token: &str) -> String {
    format!(
        "{}/tickets/{number}#access={token}",
        public_url.trim_end_matches('/')
    )
}

/// Emails the requester of a newly filed ticket its number and private link, when
/// email is configured. Returns at once.
pub fn confirm_filing(state: &AppState, ticket: &TicketView, to: &str, token: &str) {
    let Some(mailer) = &state.mailer else {
        return;
    };
    let link = tracking_link(&state.public_url, &ticket.number, token);
    let email = messages::ticket_filed(&TicketFacts {
        language: ticket.language,
        number: &ticket.number,
        subject: &ticket.subject,
        requester_name: &ticket.requester_name,
        link: &link,
    });
    mailer.send_later(to.to_owned(), email, ticket.number.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(tls: SmtpTls) -> SmtpArgs {
        SmtpArgs {
            smtp_host: Some("smtp.example.org".into()),
            smtp_tls: tls,
            ..SmtpArgs::default()
        }
    }

    #[test]
    fn no_host_means_no_mailer() {
        assert!(Mailer::from_args(&SmtpArgs::default()).unwrap().is_none());
        let blank = SmtpArgs {
            smtp_host: Some("  ".into()),
            ..SmtpArgs::default()
        };
        assert!(Mailer::from_args(&blank).unwrap().is_none());
    }

    /// Builds the TLS settings of each mode, so a missing rustls crypto provider shows
    /// here rather than at the first email.
    #[test]
    fn every_tls_mode_builds() {
        for tls in [SmtpTls::Starttls, SmtpTls::Tls, SmtpTls::None] {
            assert!(Mailer::from_args(&args(tls)).unwrap().is_some(), "{tls:?}");
        }
    }

    #[test]
    fn refuses_a_bad_sender_and_half_credentials() {
        let bad_from = SmtpArgs {
            smtp_from: "not an address".into(),
            ..args(SmtpTls::Starttls)
        };
        assert!(Mailer::from_args(&bad_from).is_err());
        let no_password = SmtpArgs {
            smtp_username: Some("desk".into()),
            ..args(SmtpTls::Starttls)
        };
        let err = Mailer::from_args(&no_password).err().unwrap().to_string();
        assert!(err.contains("SELFDESK_SMTP_PASSWORD"), "{err}");
    }

    #[test]
    fn links_carry_the_token_in_the_fragment() {
        assert_eq!(
            tracking_link("https://help.example.org/", "SD-2026-000001", "tok"),
            "https://help.example.org/tickets/SD-2026-000001#access=tok"
        );
    }
}
