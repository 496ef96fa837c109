//! Email to requesters over SMTP: the transport. What is written is [`messages`] (laid
//! out as text and HTML by [`compose`]); when it is sent is the outbox's business
//! (`outbox`): every email is an outbox row written with the change that causes it,
//! and the outbox's worker hands it to [`Mailer::send`], retrying until the mail server
//! takes it or the outbox gives up.

pub mod compose;
pub mod messages;
pub mod password_reset_messages;
pub mod sign_in_messages;
pub mod staff_messages;

use std::time::Duration;

use anyhow::{Context, bail};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{SmtpArgs, SmtpTls};
pub use messages::Email;
use messages::one_line;

/// For each SMTP command. lettre's default is a minute; the outbox's worker can wait
/// that long, but a hung server should not hold up the other messages for longer.
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

    /// The domain of the sender's address, for Message-IDs (`<…@example.org>`).
    pub fn domain(&self) -> String {
        self.from.email.domain().to_owned()
    }

    /// Sends one message and waits for the server to accept it. `message_id` is the
    /// outbox row's, the same on every try, so a receiver can tell a repeat.
    pub async fn send(&self, to: &str, email: &Email, message_id: &str) -> Result<(), SendFailure> {
        let to: Mailbox = to.parse().map_err(|_| SendFailure {
            permanent: true,
            message: "the recipient is not an address the mail library accepts".into(),
        })?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .message_id(Some(message_id.to_owned()))
            // lettre encodes header values too; stripping line breaks here means a
            // subject with one cannot even reach it.
            .subject(one_line(&email.subject))
            .header(AutoSubmitted);
        let builder = match email.reply_to.as_deref().map(str::parse::<Mailbox>) {
            Some(Ok(reply_to)) => builder.reply_to(reply_to),
            Some(Err(_)) => {
                tracing::warn!("outbox: an email's Reply-To does not parse; sent without it");
                builder
            }
            None => builder,
        };
        let message = match &email.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                email.body.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.body.clone()),
        }
        .map_err(|err| SendFailure {
            permanent: true,
            message: format!("building the message: {err}"),
        })?;
        self.transport
            .send(message)
            .await
            .map_err(|err| SendFailure {
                // A 5xx answer will not change by asking again; anything else (a refused
                // connection, a timeout, a 4xx) may.
                permanent: err.is_permanent(),
                message: format!("the SMTP server did not take the message: {err}"),
            })?;
        Ok(())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834) on every email: a well-behaved
/// auto-responder (an out-of-office) then does not answer it, which stops the loop
/// before it reaches our mailbox.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// Why a message was not sent, and whether trying again could help.
#[derive(Debug, Clone)]
pub struct SendFailure {
    pub permanent: bool,
    pub message: String,
}

/// The tracking page with its access token, as the app reads it (`#access=` stays in
/// the browser: a fragment is never sent to a server, so it does not reach access logs).
pub fn tracking_link(public_url: &str, number: &str, token: &str) -> String {
    format!(
        "{}/tickets/{number}#access={token}",
        public_url.trim_end_matches('/')
    )
}

/// The ticket's page in the staff area (staff sign in to open it; no token).
pub fn staff_ticket_link(public_url: &str, number: &str) -> String {
    format!(
        "{}/staff/tickets/{number}",
        public_url.trim_end_matches('/')
    )
}

/// The tracking page opened at one answer to a resolution: `fixed` or `not-fixed`.
pub fn answer_link(public_url: &str, number: &str, token: &str, answer: &str) -> String {
    format!(
        "{}/tickets/{number}?answer={answer}#access={token}",
        public_url.trim_end_matches('/')
    )
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
