//! Email in: the help desk's mailbox, read over IMAP (`imap`), each message turned
//! into a ticket change (`process`).
//!
//! - Every email to a requester about a ticket carries a Reply-To of
//!   `help+<reply token>@example.org` (`ReplyAddress`): a random token of its own, only
//!   its hash stored (`ticket_reply_tokens`), distinct from the tracking token, so a
//!   forwarded email lets its reader answer but not open the ticket. A reply's new text
//!   (`text::new_text`) becomes a requester reply, through the same decision and
//!   transaction as one typed on the tracking page.
//! - A message with no reply token files a new ticket; one with a token that matches
//!   nothing is refused and kept, never filed (it is a forgery or a very old email).
//! - Auto-replies, bounces and our own messages are recognised (`loop_reason`) and
//!   never answered.
//! - Each message is recorded once in `mail_in`, in the same transaction as the change
//!   it makes, under its Message-ID: two replicas reading one mailbox, or a restart
//!   before the message was marked read, change the ticket once.

pub mod imap;
pub mod process;
pub mod store;
pub mod text;

use mail_parser::{Message, MimeHeaders};

/// The help desk's own address, split where the reply token goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyAddress {
    local: String,
    domain: String,
}

impl ReplyAddress {
    /// `help@example.org` (a `Name <…>` form is read too); `None` when it is not an
    /// address.
    pub fn parse(address: &str) -> Option<Self> {
        let address = match (address.rfind('<'), address.rfind('>')) {
            (Some(start), Some(end)) if start < end => &address[start + 1..end],
            _ => address,
        }
        .trim();
        let (local, domain) = address.rsplit_once('@')?;
        // A plus already in the address would make the token ambiguous.
        let local = local.split('+').next().unwrap_or(local);
        if local.is_empty() || domain.is_empty() || address.contains(char::is_whitespace) {
            return None;
        }
        Some(Self {
            local: local.to_owned(),
            domain: domain.to_ascii_lowercase(),
        })
    }

    /// The Reply-To of an email carrying `token`.
    pub fn with_token(&self, token: &str) -> String {
        format!("{}+{token}@{}", self.local, self.domain)
    }

    pub fn plain(&self) -> String {
        format!("{}@{}", self.local, self.domain)
    }

    /// The token in `address` when it is this address with one (`help+tok@…`). Local
    /// parts are compared without case: some mail servers change it.
    pub fn token_in(&self, address: &str) -> Option<String> {
        let (local, domain) = address.trim().rsplit_once('@')?;
        let (base, token) = local.split_once('+')?;
        (base.eq_ignore_ascii_case(&self.local)
            && domain.eq_ignore_ascii_case(&self.domain)
            && !token.is_empty())
        .then(|| token.to_ascii_lowercase())
    }

    /// Whether `address` is this address, with or without a token.
    pub fn is_ours(&self, address: &str) -> bool {
        let Some((local, domain)) = address.trim().rsplit_once('@') else {
            return false;
        };
        let base = local.split('+').next().unwrap_or(local);
        base.eq_ignore_ascii_case(&self.local) && domain.eq_ignore_ascii_case(&self.domain)
    }
}

/// A reply token: 128 random bits as lowercase hex, which survives a mail server that
/// lower-cases addresses and fits a local part (at most 64 characters) beside `help+`.
pub fn new_reply_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a message must not be answered: an auto-reply, a bounce, a mailing list's bulk
/// or our own mail come back. `None` for mail a person wrote.
pub fn loop_reason(message: &Message<'_>, ours: &ReplyAddress) -> Option<String> {
    if let Some(value) = message.header_raw("Auto-Submitted") {
        let value = value.trim().to_ascii_lowercase();
        if !value.starts_with("no") {
            return Some(format!("Auto-Submitted: {value}"));
        }
    }
    if let Some(value) = message.header_raw("Precedence") {
        let value = value.trim().to_ascii_lowercase();
        if ["bulk", "junk", "list", "auto_reply"].contains(&value.as_str()) {
            return Some(format!("Precedence: {value}"));
        }
    }
    for header in ["X-Autoreply", "X-Autorespond", "X-Autoresponder"] {
        if message.header_raw(header).is_some() {
            return Some(format!("{header} is set"));
        }
    }
    if let Some(suppress) = message.header_raw("X-Auto-Response-Suppress")
        && suppress.to_ascii_lowercase().contains("all")
        && message.header_raw("In-Reply-To").is_some()
    {
        return Some("X-Auto-Response-Suppress: All on a reply (an Exchange auto-reply)".into());
    }
    if let Some(content_type) = message.content_type()
        && content_type.ctype().eq_ignore_ascii_case("multipart")
        && content_type
            .subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    {
        return Some("a delivery or read report (multipart/report)".into());
    }
    let from = sender(message).unwrap_or_default();
    let local = from
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ["mailer-daemon", "postmaster"].contains(&local.as_str()) {
        return Some(format!("sent by {from}"));
    }
    if ours.is_ours(&from) {
        return Some("sent from the help desk's own address".into());
    }
    // The raw header: the parsed one reads `<>` as no address at all.
    if message
        .header_raw("Return-Path")
        .is_some_and(|r| r.trim().is_empty() || r.trim() == "<>")
    {
        return Some("an empty Return-Path (a bounce)".into());
    }
    None
}

/// The sender's address, lower-cased.
pub fn sender(message: &Message<'_>) -> Option<String> {
    message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(|a| a.trim().to_ascii_lowercase())
}

/// Every address the message was delivered to: where a reply token can be.
pub fn recipients(message: &Message<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for list in [message.to(), message.cc()].into_iter().flatten() {
        out.extend(list.iter().filter_map(|a| a.address()).map(str::to_owned));
    }
    for header in ["Delivered-To", "X-Original-To", "Envelope-To"] {
        if let Some(value) = message.header_raw(header) {
            out.push(value.trim().trim_matches(['<', '>']).to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use mail_parser::MessageParser;

    use super::*;

    fn ours() -> ReplyAddress {
        ReplyAddress::parse("IT desk <help@Example.org>").unwrap()
    }

    #[test]
    fn the_token_rides_in_the_plus_part() {
        let address = ours();
        let token = new_reply_token();
        assert_eq!(token.len(), 32);
        let reply_to = address.with_token(&token);
        assert_eq!(reply_to, format!("help+{token}@example.org"));
        assert_eq!(address.token_in(&reply_to.to_uppercase()), Some(token));
        assert_eq!(address.token_in("help@example.org"), None);
        assert_eq!(address.token_in("other+x@example.org"), None);
        assert!(address.is_ours("HELP+abc@example.org"));
        assert!(!address.is_ours("ada@example.org"));
        assert_eq!(ReplyAddress::parse("not an address"), None);
    }

    fn reason(headers: &str) -> Option<String> {
        let raw = format!("{headers}Subject: x\r\n\r\nbody\r\n");
        let message = MessageParser::default().parse(raw.as_bytes()).unwrap();
        loop_reason(&message, &ours())
    }

    #[test]
    fn auto_replies_bounces_and_our_own_mail_are_loops() {
        let person = "From: Ada <ada@example.net>\r\nTo: help@example.org\r\n";
        assert_eq!(reason(person), None);
        assert_eq!(reason(&format!("{person}Auto-Submitted: no\r\n")), None);
        for extra in [
            "Auto-Submitted: auto-replied\r\n",
            "Precedence: bulk\r\n",
            "Precedence: auto_reply\r\n",
            "X-Autoreply: yes\r\n",
            "Return-Path: <>\r\n",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n",
        ] {
            assert!(reason(&format!("{person}{extra}")).is_some(), "{extra}");
        }
        assert!(reason("From: MAILER-DAEMON@mx.example.net\r\n").is_some());
        assert!(reason("From: postmaster@example.net\r\n").is_some());
        assert!(reason("From: help+abc@example.org\r\n").is_some());
    }
}
