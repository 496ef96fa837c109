//! One message from the mailbox, turned into what it asks for: a requester reply (or a
//! reopening) on the ticket its reply token names, a new ticket, or nothing (a loop, a
//! refusal) — recorded in `mail_in` either way, in the transaction of the change.
//!
//! The caller (`imap`) marks the message read afterwards, and flags it when something
//! in it was refused, so an admin finds it in the mailbox as well as in the list of
//! mail read (`GET /api/v1/staff/mail-in`). Nothing is deleted.

use mail_parser::{Message, MessageParser, MimeHeaders};
use selfdesk_shared::attachments::{
    AttachmentType, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE, clean_name, refused_reason,
};
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::language::Language;
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::{
    Impact, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_REASON_CHARS, MAX_REPLY_CHARS,
    MAX_SUBJECT_CHARS, TicketChange, TicketStatus, Urgency, priority,
};

use super::store::{self, MailInRecord};
use super::{ReplyAddress, loop_reason, recipients, sender, text};
use crate::auth::session::{new_token, token_hash};
use crate::error::ApiError;
use crate::outbox::store::NewEmail;
use crate::protect::rate_limits::{self, Action};
use crate::protect::storage_quota;
use crate::state::AppState;
use crate::store::tickets::{self, Filed, NewTicketRow};
use crate::tickets::{changes, notify};
use crate::{sha256_hex, unix_now, webhooks};

/// The uploader recorded for files that came by email (uploads from the web record
/// the client's address).
const EMAIL_UPLOADER: &str = "email";

/// What was done with a message, for the mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handled {
    /// `mail_in.outcome`, or `duplicate` for a message recorded before.
    pub outcome: &'static str,
    /// Something in it was refused: flag it in the mailbox for an admin.
    pub flag: bool,
}

impl Handled {
    const fn new(outcome: &'static str, flag: bool) -> Self {
        Self { outcome, flag }
    }
}

/// Handles one raw message. An `Err` is a fault of ours (the database), not of the
/// message: the caller leaves it unread to try again.
pub async fn process(state: &AppState, ours: &ReplyAddress, raw: &[u8]) -> anyhow::Result<Handled> {
    let now = unix_now();
    let Some(message) = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
    else {
        let record = MailInRecord {
            message_key: format!("sha256:{}", sha256_hex(raw)),
            received_at: now,
            sender: String::new(),
            subject: String::new(),
            outcome: "rejected",
            reason: Some("not a message that could be read (malformed MIME)".into()),
        };
        return refuse(state, None, record).await;
    };
    let message_key = match message
        .message_id()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(id) => format!("<{id}>"),
        None => format!("sha256:{}", sha256_hex(raw)),
    };
    if store::seen(&state.db, &message_key).await? {
        tracing::info!(message = %message_key, "mail in: read before; nothing to do");
        return Ok(Handled::new("duplicate", false));
    }
    let from = sender(&message).unwrap_or_default();
    let subject: String = message
        .subject()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let record = |outcome: &'static str, reason: Option<String>| MailInRecord {
        message_key: message_key.clone(),
        received_at: now,
        sender: from.clone(),
        subject: truncate(&subject, MAX_SUBJECT_CHARS),
        outcome,
        reason,
    };

    let looped = match loop_reason(&message, ours) {
        Some(reason) => Some(reason),
        None if message_key.starts_with('<')
            && store::is_our_message(&state.db, &message_key).await? =>
        {
            Some("a message this help desk sent came back".into())
        }
        None => None,
    };
    if let Some(reason) = looped {
        tracing::info!(message = %message_key, sender = %from, %reason, "mail in: an automatic message, not answered");
        store::record(&state.db, None, &record("ignored", Some(reason))).await?;
        return Ok(Handled::new("ignored", false));
    }
    let Ok(address) = EmailAddress::parse(&from) else {
        return refuse(
            state,
            None,
            record("rejected", Some("no sender address to answer".into())),
        )
        .await;
    };

    let token = recipients(&message).iter().find_map(|to| ours.token_in(to));
    let ticket_id = match &token {
        Some(token) => match store::ticket_for_token(&state.db, &token_hash(token)).await? {
            Some(id) => Some(id),
            None => {
                let reason = "its reply address names no ticket (a forged or mistyped token, or a deleted ticket); not filed";
                return refuse(state, None, record("rejected", Some(reason.into()))).await;
            }
        },
        None => None,
    };

    // One sender may file or answer only so much an hour, like one client address on
    // the portal: a mail loop the headers did not reveal, or someone flooding the
    // address, stops here (the messages stay in the mailbox, flagged).
    let action = if ticket_id.is_some() {
        Action::Reply
    } else {
        Action::Filing
    };
    let sender_key = format!("mail:{}", address.as_str().to_ascii_lowercase());
    if !rate_limits::try_take(
        &state.db,
        &state.protect.rate_limits,
        action,
        &sender_key,
        1,
        0,
    )
    .await?
    {
        let reason = format!(
            "this sender reached the limit of {} {} an hour by email; not taken",
            state.protect.rate_limits.per_hour(action),
            action.name()
        );
        return refuse(state, ticket_id, record("rejected", Some(reason))).await;
    }

    let mut refused_files = Vec::new();
    let attachments = store_attachments(state, &message, &mut refused_files).await?;
    let files_note = (!refused_files.is_empty())
        .then(|| format!("[Not attached: {}]", refused_files.join("; ")));
    if let Some(note) = &files_note {
        tracing::warn!(message = %message_key, sender = %from, refused = %note, "mail in: attachments refused");
    }
    let flag = files_note.is_some();

    match ticket_id {
        Some(ticket_id) => {
            let body = message.body_text(0).unwrap_or_default();
            let new_text = text::new_text(&body);
            reply(
                state,
                ticket_id,
                &new_text,
                &attachments,
                files_note,
                flag,
                &record,
                &message,
                &address,
            )
            .await
        }
        None => {
            let body = message.body_text(0).unwrap_or_default();
            let description = body.replace("\r\n", "\n").trim().to_owned();
            let filed = file(
                state,
                &message,
                &address,
                &subject,
                &description,
                &attachments,
                files_note.as_deref(),
                record("filed", files_note.clone()),
            )
            .await?;
            Ok(Handled::new(filed, flag))
        }
    }
}

/// Records a refusal and says to flag the message.
async fn refuse(
    state: &AppState,
    ticket_id: Option<i64>,
    record: MailInRecord,
) -> anyhow::Result<Handled> {
    tracing::warn!(
        message = %record.message_key,
        sender = %record.sender,
        reason = record.reason.as_deref().unwrap_or_default(),
        "mail in: message refused; kept in the mailbox, flagged"
    );
    if store::record(&state.db, ticket_id, &record).await? {
        Ok(Handled::new("rejected", true))
    } else {
        Ok(Handled::new("duplicate", false))
    }
}

/// A reply to a ticket: reopens a resolved one that says it is not fixed, files a new
/// ticket for one already closed (its requester can no longer answer there), and is
/// otherwise the requester's reply.
#[allow(clippy::too_many_arguments)]
async fn reply(
    state: &AppState,
    ticket_id: i64,
    new_text: &str,
    attachments: &[String],
    files_note: Option<String>,
    flag: bool,
    record: &(dyn Fn(&'static str, Option<String>) -> MailInRecord + Sync),
    message: &Message<'_>,
    address: &EmailAddress,
) -> anyhow::Result<Handled> {
    let Some(ticket) = tickets::get(&state.db, ticket_id).await? else {
        return refuse(
            state,
            None,
            record("rejected", Some("its ticket is gone".into())),
        )
        .await;
    };
    let mut body = truncate(new_text, MAX_REPLY_CHARS - 200);
    if let Some(note) = &files_note {
        body = format!("{body}\n\n{note}").trim().to_owned();
    }
    if body.is_empty() && attachments.is_empty() {
        return refuse(
            state,
            Some(ticket_id),
            record(
                "rejected",
                Some("no new text in the reply (only quoted history)".into()),
            ),
        )
        .await;
    }
    if ticket.status == TicketStatus::Closed {
        let description = format!(
            "(A reply by email to {}, which is closed.)\n\n{}",
            ticket.number.as_str(),
            body
        );
        let subject = message.subject().unwrap_or_default().to_owned();
        let filed = file(
            state,
            message,
            address,
            &subject,
            &description,
            attachments,
            None,
            record(
                "filed",
                Some(format!(
                    "a reply to closed ticket {}",
                    ticket.number.as_str()
                )),
            ),
        )
        .await?;
        return Ok(Handled::new(filed, flag));
    }
    let reopen = ticket.status == TicketStatus::Resolved && text::says_not_fixed(&body);
    let result = if reopen && attachments.is_empty() {
        changes::reopen_by_email(
            state,
            ticket_id,
            &truncate(&body, MAX_REASON_CHARS),
            &record("reopened", files_note.clone()),
        )
        .await
        .map(|_| "reopened")
    } else {
        let body = if body.is_empty() {
            attachments_line(attachments)
        } else {
            body.clone()
        };
        let outcome = if reopen { "reopened" } else { "replied" };
        let done = changes::requester_email_reply(
            state,
            ticket_id,
            &body,
            attachments,
            &record(outcome, files_note.clone()),
        )
        .await
        .map(|_| outcome);
        if reopen && done.is_ok() {
            // The files ride on the reply; the reopening follows it. Were the server to
            // stop in between, the reply is there and the technician reads it.
            let first_line = body.lines().next().unwrap_or_default();
            if let Err(err) =
                changes::reopen(state, ticket_id, &truncate(first_line, MAX_REASON_CHARS)).await
            {
                tracing::warn!(ticket_id, err = %err.message(), "mail in: reopening after the reply failed");
            }
        }
        done
    };
    match result {
        Ok(outcome) => {
            tracing::info!(ticket = %ticket.number.as_str(), outcome, "mail in: reply added to the ticket");
            Ok(Handled::new(outcome, flag))
        }
        Err(err) => settle(state, Some(ticket_id), record, err).await,
    }
}

/// A change that did not go through: recorded before by another replica (its key
/// collided, so nothing was written twice), refused by the ticket's rules, or our own
/// fault (the database), which is tried again later.
async fn settle(
    state: &AppState,
    ticket_id: Option<i64>,
    record: &(dyn Fn(&'static str, Option<String>) -> MailInRecord + Sync),
    err: ApiError,
) -> anyhow::Result<Handled> {
    let probe = record("rejected", None);
    if store::seen(&state.db, &probe.message_key).await? {
        return Ok(Handled::new("duplicate", false));
    }
    if err.code() == ErrorCode::Internal {
        anyhow::bail!("the change failed: {}", err.message());
    }
    refuse(
        state,
        ticket_id,
        record(
            "rejected",
            Some(format!("the ticket did not take it: {}", err.message())),
        ),
    )
    .await
}

fn attachments_line(ids: &[String]) -> String {
    format!("({} file(s) attached by email)", ids.len())
}

/// Files a ticket for a message from an unknown thread, confirmed by the usual email.
#[allow(clippy::too_many_arguments)]
async fn file(
    state: &AppState,
    message: &Message<'_>,
    address: &EmailAddress,
    subject: &str,
    description: &str,
    attachments: &[String],
    files_note: Option<&str>,
    record: MailInRecord,
) -> anyhow::Result<&'static str> {
    let now = record.received_at;
    let language = message
        .header_raw("Content-Language")
        .and_then(|tag| Language::from_tag(tag.trim()))
        .unwrap_or(Language::En);
    let name = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.name())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            address
                .as_str()
                .split('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        });
    let name = truncate(&name, MAX_NAME_CHARS);
    let subject = match truncate(subject.trim(), MAX_SUBJECT_CHARS) {
        s if s.is_empty() => "(no subject)".to_owned(),
        s => s,
    };
    let mut description = truncate(description, MAX_DESCRIPTION_CHARS - 200);
    if let Some(note) = files_note {
        description = format!("{description}\n\n{note}");
    }
    if description.trim().is_empty() {
        description = "(no text)".into();
    }
    // The message's key is the idempotency key: a second replica filing the same
    // message meets the first one's ticket.
    let key_hash = sha256_hex(format!("mail-in:{}", record.message_key).as_bytes());
    let token = new_token();
    let year = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| t.year())
        .unwrap_or(1970);
    let (impact, urgency) = (Impact::Me, Urgency::Slowed);
    let priority = priority(impact, urgency);
    let policy = state.sla.current();
    let sla_due_at = selfdesk_shared::queue::queue_due(
        &policy.calendar,
        &policy.targets,
        now,
        priority,
        TicketStatus::New,
        None,
        &[],
    );
    let category = "other";
    let confirm = |number: &TicketNumber| {
        let about = notify::About {
            language,
            number: number.as_str(),
            subject: &subject,
            requester_name: &name,
            requester_email: address.as_str(),
        };
        notify::filed(state, &about, &token, now).expect("only asked for when email is on")
    };
    let webhook = |number: &TicketNumber| {
        webhooks::events::event(
            &webhooks::events::Facts {
                number: number.as_str(),
                subject: &subject,
                category,
                language,
                status: TicketStatus::New,
                tier: 1,
                priority: priority.as_str(),
            },
            &TicketChange::Created,
            now,
            state.outbox.give_up_secs,
        )
    };
    let fields = Default::default();
    let row = NewTicketRow {
        idempotency_key_hash: &key_hash,
        request_hash: &key_hash,
        token_hash: &token_hash(&token),
        requester_name: &name,
        requester_email: address.as_str(),
        language,
        category,
        subject: &subject,
        description: description.trim(),
        impact,
        urgency,
        priority,
        fields: &fields,
        transcript: None,
        attachments,
        self_service_session_hash: None,
        search_words: None,
        sla_due_at,
        year,
        now,
        confirmation: state
            .mailer
            .is_some()
            .then_some(&confirm as &(dyn Fn(&TicketNumber) -> NewEmail + Sync)),
        webhook: &webhook,
        mail_in: Some(&record),
    };
    let filed = match tickets::insert(&state.db, &row).await {
        Ok(filed) => filed,
        Err(err) if crate::store::is_unique_violation(&err) => Filed::AlreadyFiled,
        Err(err) => return Err(err.into()),
    };
    match filed {
        Filed::New { id } => {
            state.outbox.wake();
            changes::refresh_facts(state, id).await;
            tracing::info!(ticket_id = id, sender = %address.as_str(), "mail in: filed a new ticket");
            Ok("filed")
        }
        Filed::AlreadyFiled => Ok("duplicate"),
        Filed::Attachments(problem) => {
            // The ticket's files together are over the limit: file the text alone.
            tracing::warn!(
                ?problem,
                "mail in: the files did not fit the ticket; filed without them"
            );
            let note = format!(
                "{}[Not attached: the files together are over the ticket's limit]",
                files_note.map(|n| format!("{n}\n")).unwrap_or_default()
            );
            let mut record = record;
            record.reason = Some(note.clone());
            Box::pin(file(
                state,
                message,
                address,
                &subject,
                &description,
                &[],
                Some(&note),
                record,
            ))
            .await
        }
    }
}

/// Stores the message's attachments as uploads waiting to be claimed, after the same
/// checks as the upload endpoint (count, size, type by content, storage quota); what is
/// refused is listed in `refused` with the reason.
async fn store_attachments(
    state: &AppState,
    message: &Message<'_>,
    refused: &mut Vec<String>,
) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for part in message.attachments() {
        let name = clean_name(part.attachment_name().unwrap_or("attachment"));
        let bytes = part.contents();
        if ids.len() >= MAX_ATTACHMENTS_PER_MESSAGE {
            refused.push(format!(
                "{name}: more than {MAX_ATTACHMENTS_PER_MESSAGE} files"
            ));
            continue;
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            refused.push(format!(
                "{name}: larger than {} MiB",
                MAX_ATTACHMENT_BYTES / (1024 * 1024)
            ));
            continue;
        }
        let Some(kind) = AttachmentType::sniff(bytes) else {
            refused.push(format!("{name}: {}", refused_reason(bytes)));
            continue;
        };
        if let Err(err) = storage_quota::refuse_when_full(
            &state.db,
            state.protect.storage_quota_bytes,
            bytes.len() as i64,
        )
        .await
        {
            refused.push(format!("{name}: {}", err.message()));
            continue;
        }
        let id: String = new_token()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(22)
            .collect();
        tickets::insert_upload(
            &state.db,
            &id,
            &name,
            kind.media_type(),
            bytes,
            EMAIL_UPLOADER,
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => text[..at].trim_end().to_owned(),
        None => text.to_owned(),
    }
}
