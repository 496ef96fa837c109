//! Tickets: the wire types both sides use, the plain-language impact × urgency →
//! priority matrix, and the rules for a new ticket that the form checks before sending
//! and the server checks again with the same code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::attachments::{Attachment, MAX_ATTACHMENTS_PER_MESSAGE};
use crate::email::EmailAddress;
use crate::error::{FieldError, Reason};
use crate::language::Language;
use crate::sla::{Priority, SlaStanding};
use crate::slug::Slug;
use crate::ticket_number::TicketNumber;
use crate::tier::Tier;

pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_SUBJECT_CHARS: usize = 160;
pub const MAX_DESCRIPTION_CHARS: usize = 20_000;
pub const MAX_REPLY_CHARS: usize = 20_000;
pub const MAX_FIELD_CHARS: usize = 200;
pub const MAX_REASON_CHARS: usize = 2_000;
pub const MAX_TRANSCRIPT_STEPS: usize = 60;
/// A check finds a dozen facts at most; the limits bound what a script could attach.
pub const MAX_FINDINGS_PER_STEP: usize = 24;
pub const MAX_FINDING_CHARS: usize = 200;
/// The header that makes a ticket submission safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// How many people the problem stops, in the requester's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Only me.
    Me,
    /// My team or several colleagues.
    Team,
    /// Everyone, or a whole site or service.
    Everyone,
}

/// How much the problem stops the requester's work right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// It can wait a few days.
    CanWait,
    /// It slows my work down.
    Slowed,
    /// I cannot work at all.
    Blocked,
}

impl Impact {
    pub const ALL: [Impact; 3] = [Self::Me, Self::Team, Self::Everyone];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Me => "me",
            Self::Team => "team",
            Self::Everyone => "everyone",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == value)
    }
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Self::CanWait, Self::Slowed, Self::Blocked];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CanWait => "can_wait",
            Self::Slowed => "slowed",
            Self::Blocked => "blocked",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == value)
    }
}

/// The priority matrix (documented in docs/API.md):
///
/// | impact \ urgency | can wait | slowed | blocked |
/// |------------------|----------|--------|---------|
/// | everyone         | P3       | P2     | P1      |
/// | team             | P4       | P3     | P2      |
/// | me               | P4       | P4     | P3      |
///
/// One person blocked is P3, not P1: P1 is kept for what stops many people, so that a
/// desk under load works on outages first.
pub const fn priority(impact: Impact, urgency: Urgency) -> Priority {
    match (impact, urgency) {
        (Impact::Everyone, Urgency::Blocked) => Priority::P1,
        (Impact::Everyone, Urgency::Slowed) | (Impact::Team, Urgency::Blocked) => Priority::P2,
        (Impact::Everyone, Urgency::CanWait)
        | (Impact::Team, Urgency::Slowed)
        | (Impact::Me, Urgency::Blocked) => Priority::P3,
        _ => Priority::P4,
    }
}

/// Where a ticket is, in the words the requester sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    New,
    InProgress,
    /// A technician asked the requester something; the SLA clock is paused.
    WaitingForRequester,
    /// A technician says it is fixed; the requester confirms or reopens.
    Resolved,
    /// The end of the case.
    Closed,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [
        Self::New,
        Self::InProgress,
        Self::WaitingForRequester,
        Self::Resolved,
        Self::Closed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::WaitingForRequester => "waiting_for_requester",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == value)
    }

    /// Open tickets count against the SLA and accept replies.
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }

    /// The moves a technician may make by hand. Closing belongs to the requester
    /// (confirming) or to the auto-close after resolution.
    pub const fn staff_can_change_to(self, to: TicketStatus) -> bool {
        use TicketStatus::*;
        matches!(
            (self, to),
            (New | WaitingForRequester, InProgress)
                | (New | InProgress, WaitingForRequester)
                | (New | InProgress | WaitingForRequester, Resolved)
                | (Resolved, InProgress)
        )
    }
}

/// Data a category asks for besides the subject and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryField {
    /// The key under which the value is stored (`asset_tag`).
    pub key: String,
    /// The label in the requested language.
    pub label: String,
    /// A hint shown under the field.
    #[serde(default)]
    pub hint: String,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketCategory {
    pub slug: Slug,
    pub name: String,
    pub fields: Vec<CategoryField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketCategoryList {
    pub categories: Vec<TicketCategory>,
}

/// What guided diagnostics learned, attached to the ticket as data: each step in the
/// requester's language and in English for the technician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticTranscript {
    /// The flow's slug and the version walked.
    pub flow: String,
    pub flow_version: i64,
    pub language: Language,
    pub steps: Vec<TranscriptStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TranscriptStep {
    pub question: String,
    pub answer: String,
    /// The same question and answer in English, for the technician.
    pub question_en: String,
    pub answer_en: String,
    /// What the browser found at a check step (`flows::checks`), as the requester
    /// agreed to send it. Absent from transcripts without checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<ShownFinding>,
}

/// One thing the browser found, worded when the walk ends as the requester read it
/// and in English, like the step's question and answer. Worded once there, the form,
/// the tracking page and the technician's page show it without the catalogs of every
/// check's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShownFinding {
    /// What was found ("Browser"), in the transcript's language.
    pub label: String,
    /// The finding ("Firefox 133", "no"), in the transcript's language.
    pub value: String,
    pub label_en: String,
    pub value_en: String,
}

impl ShownFinding {
    fn longest_part(&self) -> usize {
        [&self.label, &self.value, &self.label_en, &self.value_en]
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0)
    }
}

/// The new-ticket form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTicket {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 120))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::email::openapi_schema))]
    pub email: String,
    /// A category slug from `GET /api/v1/tickets/categories`.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub category: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 160))]
    pub subject: String,
    /// Markdown.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 20000))]
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
    /// Values of the category's extra fields, by key.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub transcript: Option<DiagnosticTranscript>,
    /// Ids of files uploaded with `POST /api/v1/tickets/uploads`.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// The language the requester used; replies and emails follow it.
    #[serde(default = "default_language")]
    pub language: Language,
    /// The browser's self-service session (see `self_service`), so a ticket filed
    /// after reading suggestions is not counted as deflected.
    #[serde(default)]
    pub self_service_session: Option<String>,
}

fn default_language() -> Language {
    Language::En
}

/// Checks a new ticket against its category. Returns every problem, so the form can
/// show them all at once, in the order of the form's fields.
pub fn check_new_ticket(ticket: &NewTicket, category: Option<&TicketCategory>) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = Vec::new();
    fn push(errors: &mut Vec<FieldError>, result: Result<(), FieldError>) {
        if let Err(e) = result {
            errors.push(e);
        }
    }
    push(
        &mut errors,
        check_required_text(
            "name",
            &ticket.name,
            MAX_NAME_CHARS,
            "Enter your name",
            "Your name",
        ),
    );
    push(
        &mut errors,
        EmailAddress::check(&ticket.email).map_err(FieldError::from),
    );
    match category {
        None if ticket.category.trim().is_empty() => push(
            &mut errors,
            Err(FieldError::new("category", Reason::Required).because("Choose a category")),
        ),
        None => push(
            &mut errors,
            Err(FieldError::new("category", Reason::Unknown)
                .because(format!("There is no category {:?}", ticket.category))),
        ),
        Some(category) => {
            for field in &category.fields {
                let value = ticket
                    .fields
                    .get(&field.key)
                    .map(|v| v.trim())
                    .unwrap_or("");
                if field.required && value.is_empty() {
                    errors.push(
                        FieldError::new(format!("fields.{}", field.key), Reason::Required)
                            .because(format!("Fill in \u{201c}{}\u{201d}", field.label)),
                    );
                } else if value.chars().count() > MAX_FIELD_CHARS {
                    errors.push(
                        FieldError::new(
                            format!("fields.{}", field.key),
                            Reason::too_long(MAX_FIELD_CHARS),
                        )
                        .because(format!(
                            "{} must be at most {MAX_FIELD_CHARS} characters",
                            field.label
                        )),
                    );
                }
            }
            if let Some(key) = ticket
                .fields
                .keys()
                .find(|k| !category.fields.iter().any(|f| &f.key == *k))
            {
                errors.push(
                    FieldError::new(format!("fields.{key}"), Reason::Unknown).because(format!(
                        "The category {:?} has no field {key:?}",
                        category.slug
                    )),
                );
            }
        }
    }
    push(
        &mut errors,
        check_required_text(
            "subject",
            &ticket.subject,
            MAX_SUBJECT_CHARS,
            "Enter a subject: a few words saying what is wrong",
            "The subject",
        ),
    );
    push(
        &mut errors,
        check_required_text(
            "description",
            &ticket.description,
            MAX_DESCRIPTION_CHARS,
            "Describe the problem: what happened and what you expected",
            "The description",
        ),
    );
    if ticket.attachments.len() > MAX_ATTACHMENTS_PER_MESSAGE {
        errors.push(too_many_attachments());
    }
    if let Some(transcript) = &ticket.transcript
        && transcript.steps.len() > MAX_TRANSCRIPT_STEPS
    {
        errors.push(
            FieldError::new("transcript", Reason::too_many(MAX_TRANSCRIPT_STEPS)).because(format!(
                "A transcript may have at most {MAX_TRANSCRIPT_STEPS} steps"
            )),
        );
    }
    if let Some(transcript) = &ticket.transcript {
        let findings = || transcript.steps.iter().flat_map(|s| &s.findings);
        if transcript
            .steps
            .iter()
            .any(|s| s.findings.len() > MAX_FINDINGS_PER_STEP)
        {
            errors.push(
                FieldError::new("transcript", Reason::too_many(MAX_FINDINGS_PER_STEP)).because(
                    format!("A transcript step may carry at most {MAX_FINDINGS_PER_STEP} findings"),
                ),
            );
        }
        if findings().any(|f| f.longest_part() > MAX_FINDING_CHARS) {
            errors.push(
                FieldError::new("transcript", Reason::too_long(MAX_FINDING_CHARS)).because(
                    format!(
                        "A finding's name and value may have at most {MAX_FINDING_CHARS} characters"
                    ),
                ),
            );
        }
    }
    errors
}

/// More files than one message may carry (the form and the server say the same).
pub fn too_many_attachments() -> FieldError {
    FieldError::new("attachments", Reason::too_many(MAX_ATTACHMENTS_PER_MESSAGE)).because(format!(
        "Attach at most {MAX_ATTACHMENTS_PER_MESSAGE} files"
    ))
}

fn check_required_text(
    field: &'static str,
    value: &str,
    max_chars: usize,
    empty_message: &str,
    what: &str,
) -> Result<(), FieldError> {
    // The length counts what was sent, spaces around it included, as the API's
    // document says (`maxLength`); only emptiness is judged on the trimmed text.
    if value.trim().is_empty() {
        Err(FieldError::new(field, Reason::Required).because(empty_message.to_owned()))
    } else if value.chars().count() > max_chars {
        Err(FieldError::new(field, Reason::too_long(max_chars))
            .because(format!("{what} must be at most {max_chars} characters")))
    } else {
        Ok(())
    }
}

/// A reply's text: required, bounded.
pub fn check_reply(body: &str) -> Result<(), FieldError> {
    check_required_text(
        "body",
        body,
        MAX_REPLY_CHARS,
        "Write a message before sending",
        "A message",
    )
}

/// A reason (reopening, escalating): required, bounded.
pub fn check_reason(reason: &str) -> Result<(), FieldError> {
    check_required_text(
        "reason",
        reason,
        MAX_REASON_CHARS,
        "Give a reason",
        "The reason",
    )
}

/// Answer to filing a ticket: its number, the secret that opens its tracking page
/// (shown once; the server keeps only a hash), and the ticket itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketCreated {
    pub number: TicketNumber,
    pub access_token: String,
    /// The tracking page's path, with the token in the fragment (never sent to a server).
    pub tracking_path: String,
    pub ticket: TicketView,
}

/// What a grant opens: the live event stream, or one download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrantPurpose {
    Events,
    Download,
}

/// Asks for a short-lived grant, sent with the ticket's access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketGrantRequest {
    pub purpose: GrantPurpose,
}

/// A grant for the URLs a browser opens without headers (`?grant=`): it opens only
/// this ticket, only for its purpose, and only for `expires_in` seconds, so the access
/// token itself never appears in a URL, a log or a Referer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketGrant {
    pub grant: String,
    pub expires_in: i64,
}

/// A new tracking link after "someone else has my link": every earlier link of the
/// ticket has stopped working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketAccessRenewed {
    pub access_token: String,
    /// The tracking page's path, with the new token in the fragment.
    pub tracking_path: String,
}

/// Who did something on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Requester,
    Staff,
    /// The server itself (auto-close).
    System,
}

/// One entry in a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketEvent {
    /// Increases with time across all tickets; the SSE stream's event id.
    pub id: i64,
    pub at: i64,
    pub actor: ActorKind,
    /// The requester's or technician's display name; empty for the system.
    pub actor_name: String,
    #[serde(flatten)]
    pub change: TicketChange,
    /// Files that came with this event (the ticket's description, a reply).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// The event's text ([`TicketChange::text`]: a reply, a note, a reason, a
    /// resolution summary, a rating's comment) as safe HTML, rendered by the server
    /// with [`crate::markdown::render_ticket_text`]: raw HTML shown as text, unsafe
    /// links dropped, remote images turned into links. In ticket views; absent when
    /// the event has no text, and in the live stream's events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

/// What happened. Internal notes exist only in staff views. Read by a decoder of its
/// own (`tagged_decoders`), smaller in the web apps than the derived one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TicketChange {
    Created,
    Reply {
        body: String,
    },
    /// Staff only: never sent to the requester.
    InternalNote {
        body: String,
    },
    Status {
        from: TicketStatus,
        to: TicketStatus,
        /// The resolution summary when `to` is `resolved`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    },
    Tier {
        from: Tier,
        to: Tier,
        reason: String,
    },
    Priority {
        from: Priority,
        to: Priority,
    },
    Reopened {
        reason: String,
    },
    /// The requester confirmed the fix; the ticket is closed.
    Confirmed,
    Rated {
        rating: u8,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
    },
    /// Resolved and not answered for the configured number of days.
    AutoClosed,
    /// Someone else said this is their problem too (staff only: it names them).
    AlsoAffected {
        name: String,
        email: String,
    },
    /// The ticket is part of a known incident (`None`: no longer).
    Incident {
        #[serde(default)]
        incident: Option<crate::incidents::LinkedIncident>,
    },
    /// Staff only: who works the ticket now (`None`: nobody).
    Assigned {
        #[serde(default)]
        to: Option<crate::queue::StaffRef>,
    },
}

impl TicketChange {
    /// The Markdown text that goes with this change, if any: what a timeline shows
    /// under the line saying what happened.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Reply { body } | Self::InternalNote { body } => Some(body.as_str()),
            Self::Status { summary, .. } => summary.as_deref(),
            Self::Tier { reason, .. } | Self::Reopened { reason } => Some(reason.as_str()),
            Self::Rated { comment, .. } => (!comment.is_empty()).then_some(comment.as_str()),
            Self::Created
            | Self::Priority { .. }
            | Self::Confirmed
            | Self::AutoClosed
            | Self::AlsoAffected { .. }
            | Self::Incident { .. }
            | Self::Assigned { .. } => None,
        }
    }

    /// Whether the requester may see this event.
    pub const fn is_public(&self) -> bool {
        !matches!(
            self,
            Self::InternalNote { .. } | Self::AlsoAffected { .. } | Self::Assigned { .. }
        )
    }

    /// The kind, as stored in the database.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Reply { .. } => "reply",
            Self::InternalNote { .. } => "internal_note",
            Self::Status { .. } => "status",
            Self::Tier { .. } => "tier",
            Self::Priority { .. } => "priority",
            Self::Reopened { .. } => "reopened",
            Self::Confirmed => "confirmed",
            Self::Rated { .. } => "rated",
            Self::AutoClosed => "auto_closed",
            Self::AlsoAffected { .. } => "also_affected",
            Self::Assigned { .. } => "assigned",
            Self::Incident { .. } => "incident",
        }
    }
}

/// The SLA deadlines of a ticket and how they stand now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketSla {
    pub first_response: SlaStanding,
    pub resolution: SlaStanding,
}

/// A ticket as its requester sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketView {
    pub number: TicketNumber,
    pub subject: String,
    /// Markdown, as the requester wrote it.
    pub description: String,
    /// `description` as safe HTML, rendered by the server
    /// ([`crate::markdown::render_ticket_text`]), so a ticket's page needs no
    /// Markdown renderer of its own.
    #[serde(default)]
    pub description_html: String,
    pub category: TicketCategory,
    pub fields: BTreeMap<String, String>,
    pub status: TicketStatus,
    pub tier: Tier,
    pub priority: Priority,
    pub impact: Impact,
    pub urgency: Urgency,
    pub requester_name: String,
    pub language: Language,
    pub created_at: i64,
    pub updated_at: i64,
    pub sla: TicketSla,
    #[serde(default)]
    pub transcript: Option<DiagnosticTranscript>,
    /// Public events, oldest first (staff views include internal notes).
    pub events: Vec<TicketEvent>,
    /// 1–5 once the requester has rated the outcome.
    #[serde(default)]
    pub rating: Option<u8>,
    /// The known incident it is part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<crate::incidents::LinkedIncident>,
    /// The requester's address: in staff views only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_email: Option<String>,
    /// Who works the ticket: in staff views only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<crate::queue::StaffRef>,
    /// What the requester searched for in the session they filed from, oldest first
    /// (normalised queries, at most 10): in staff views only. The requester's own
    /// words, to be shown as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search_words: Vec<String>,
}

impl TicketView {
    /// The id of the newest event shown (0 when none is): a live stream opened after
    /// reading the view asks for what came after it.
    pub fn newest_event_id(&self) -> i64 {
        self.events.iter().map(|e| e.id).max().unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyRequest {
    /// Markdown.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 20000))]
    pub body: String,
    /// Ids of uploaded files.
    #[serde(default)]
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 2000))]
    pub reason: String,
}

/// "Yes, it works": closes a resolved ticket, optionally with a rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: Option<u8>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: u8,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: String,
}

pub fn check_rating(rating: u8) -> Result<(), FieldError> {
    if (1..=5).contains(&rating) {
        Ok(())
    } else {
        Err(
            FieldError::new("rating", Reason::OutOfRange { min: 1, max: 5 })
                .because("A rating is 1 to 5 stars"),
        )
    }
}

/// A technician's message: public reply or internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffReplyRequest {
    pub body: String,
    /// Ids of uploaded files.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// `true` for a note only staff see.
    #[serde(default)]
    pub internal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChangeRequest {
    pub status: TicketStatus,
    /// Required when resolving: what fixed it.
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierChangeRequest {
    /// 1, 2 or 3: one step up (escalate) or down (de-escalate).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3))]
    pub tier: u8,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 2000))]
    pub reason: String,
}

/// Asking for a fresh tracking link without the old one: the ticket number and the
/// email address it was filed with. The link goes to that address, never into the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketLookupRequest {
    /// e.g. `SD-2026-000123`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^\\s*[Ss][Dd]-[0-9]{4}-[0-9]{6}\\s*$")
    )]
    pub number: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::email::openapi_schema))]
    pub email: String,
}

/// The answer to a lookup: the same whether or not a ticket matched, so that guessing
/// numbers and addresses teaches nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketLookupAccepted {
    /// English prose for people using curl; the app shows its own translated text.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category() -> TicketCategory {
        TicketCategory {
            slug: Slug::parse("hardware").unwrap(),
            name: "Hardware".into(),
            fields: vec![CategoryField {
                key: "asset_tag".into(),
                label: "Asset tag".into(),
                hint: String::new(),
                required: true,
            }],
        }
    }

    fn ticket() -> NewTicket {
        NewTicket {
            name: "Ada".into(),
            email: "ada@example.org".into(),
            category: "hardware".into(),
            subject: "Printer jams".into(),
            description: "Every page jams.".into(),
            impact: Impact::Me,
            urgency: Urgency::Slowed,
            fields: BTreeMap::from([("asset_tag".into(), "LT-0042".into())]),
            transcript: None,
            attachments: Vec::new(),
            language: Language::En,
            self_service_session: None,
        }
    }

    fn shown(label: &str, value: &str) -> ShownFinding {
        ShownFinding {
            label: label.into(),
            value: value.into(),
            label_en: label.into(),
            value_en: value.into(),
        }
    }

    fn with_findings(findings: Vec<ShownFinding>) -> NewTicket {
        NewTicket {
            transcript: Some(DiagnosticTranscript {
                flow: "no-internet".into(),
                flow_version: 2,
                language: Language::En,
                steps: vec![TranscriptStep {
                    question: "Checking".into(),
                    answer: "Offline".into(),
                    question_en: "Checking".into(),
                    answer_en: "Offline".into(),
                    findings,
                }],
            }),
            ..ticket()
        }
    }

    #[test]
    fn findings_are_bounded_in_number_and_length() {
        let one = shown("Browser", "Chrome 131");
        assert!(check_new_ticket(&with_findings(vec![one.clone()]), Some(&category())).is_empty());
        let many = vec![one; MAX_FINDINGS_PER_STEP + 1];
        let errors = check_new_ticket(&with_findings(many), Some(&category()));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "transcript");
        let long = "x".repeat(MAX_FINDING_CHARS + 1);
        for too_long in [
            shown(&long, "yes"),
            shown("Browser", &long),
            ShownFinding {
                label_en: long.clone(),
                ..shown("Browser", "yes")
            },
            ShownFinding {
                value_en: long.clone(),
                ..shown("Browser", "yes")
            },
        ] {
            let errors = check_new_ticket(&with_findings(vec![too_long]), Some(&category()));
            assert_eq!(errors.len(), 1);
        }
    }

    #[test]
    fn transcripts_stored_before_findings_still_read() {
        let old = r#"{"flow":"printer","flow_version":1,"language":"en","steps":[
            {"question":"Q","answer":"A","question_en":"Q","answer_en":"A"}]}"#;
        let t: DiagnosticTranscript = serde_json::from_str(old).unwrap();
        assert!(t.steps[0].findings.is_empty());
        let back = serde_json::to_string(&t).unwrap();
        assert!(!back.contains("findings"), "{back}");
    }

    #[test]
    fn the_matrix_gives_p1_only_to_outages_that_block_work() {
        assert_eq!(priority(Impact::Everyone, Urgency::Blocked), Priority::P1);
        assert_eq!(priority(Impact::Team, Urgency::Blocked), Priority::P2);
        assert_eq!(priority(Impact::Everyone, Urgency::Slowed), Priority::P2);
        assert_eq!(priority(Impact::Me, Urgency::Blocked), Priority::P3);
        assert_eq!(priority(Impact::Me, Urgency::CanWait), Priority::P4);
        // Monotone: more impact or more urgency never lowers the priority.
        for (i, impact) in Impact::ALL.into_iter().enumerate() {
            for (u, urgency) in Urgency::ALL.into_iter().enumerate() {
                let p = priority(impact, urgency);
                if let Some(next) = Impact::ALL.get(i + 1) {
                    assert!(priority(*next, urgency) <= p);
                }
                if let Some(next) = Urgency::ALL.get(u + 1) {
                    assert!(priority(impact, *next) <= p);
                }
            }
        }
    }

    #[test]
    fn a_complete_ticket_passes() {
        assert!(check_new_ticket(&ticket(), Some(&category())).is_empty());
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let mut t = ticket();
        t.name = " ".into();
        t.email = "not-an-address".into();
        t.subject = "x".repeat(MAX_SUBJECT_CHARS + 1);
        t.description.clear();
        t.fields.clear();
        let fields: Vec<String> = check_new_ticket(&t, Some(&category()))
            .into_iter()
            .map(|e| e.field.to_string())
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "email",
                "fields.asset_tag",
                "subject",
                "description"
            ]
        );
    }

    #[test]
    fn unknown_categories_and_fields_are_refused() {
        let mut t = ticket();
        let errors = check_new_ticket(&t, None);
        assert_eq!(errors[0].field, "category");
        t.fields.insert("colour".into(), "red".into());
        let errors = check_new_ticket(&t, Some(&category()));
        assert_eq!(errors[0].field, "fields.colour");
    }

    #[test]
    fn only_sensible_status_moves_are_allowed_to_staff() {
        use TicketStatus::*;
        assert!(New.staff_can_change_to(InProgress));
        assert!(InProgress.staff_can_change_to(Resolved));
        assert!(Resolved.staff_can_change_to(InProgress));
        assert!(!Resolved.staff_can_change_to(Closed));
        assert!(!Closed.staff_can_change_to(InProgress));
        assert!(!New.staff_can_change_to(New));
    }

    #[test]
    fn events_serialise_with_a_type_tag() {
        let event = TicketEvent {
            id: 7,
            at: 1,
            actor: ActorKind::Staff,
            actor_name: "Tess".into(),
            change: TicketChange::Tier {
                from: Tier::FIRST,
                to: Tier::SECOND,
                reason: "Needs network team".into(),
            },
            attachments: Vec::new(),
            html: None,
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["type"], "tier");
        assert_eq!(json["to"], 2);
        let back: TicketEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
        assert!(!TicketChange::InternalNote { body: "x".into() }.is_public());
    }
}
