//! Tickets: filing (numbering, idempotency, access tokens), reading, and recording
//! every change together with its timeline event in one transaction.

use std::collections::BTreeMap;

use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::language::Language;
use selfdesk_shared::sla::{Pause, Priority};
use selfdesk_shared::slug::Slug;
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::{
    ActorKind, CategoryField, DiagnosticTranscript, Impact, TicketCategory, TicketChange,
    TicketEvent, TicketStatus, Urgency,
};
use selfdesk_shared::tier::Tier;
use serde::Deserialize;
use sqlx::FromRow;

use crate::db::Db;
use crate::outbox::store::NewEmail;
use crate::tickets::notify::Notification;
use crate::webhooks::events::Event;
use crate::{unix_now, with_pool};

#[derive(FromRow)]
struct CategoryRow {
    #[sqlx(try_from = "String")]
    slug: Slug,
    names: String,
    fields: String,
}

#[derive(Deserialize)]
struct StoredField {
    key: String,
    required: bool,
    labels: BTreeMap<String, String>,
    #[serde(default)]
    hints: BTreeMap<String, String>,
}

/// The text for `lang`, else English, else any.
fn localised(texts: &BTreeMap<String, String>, lang: Language) -> String {
    texts
        .get(lang.code())
        .filter(|t| !t.is_empty())
        .or_else(|| texts.get("en"))
        .or_else(|| texts.values().next())
        .cloned()
        .unwrap_or_default()
}

impl CategoryRow {
    fn into_category(self, lang: Language) -> TicketCategory {
        let names: BTreeMap<String, String> = serde_json::from_str(&self.names).unwrap_or_default();
        let fields: Vec<StoredField> = serde_json::from_str(&self.fields).unwrap_or_default();
        TicketCategory {
            name: localised(&names, lang),
            fields: fields
                .into_iter()
                .map(|f| CategoryField {
                    label: localised(&f.labels, lang),
                    hint: localised(&f.hints, lang),
                    key: f.key,
                    required: f.required,
                })
                .collect(),
            slug: self.slug,
        }
    }
}

pub async fn categories(db: &Db, lang: Language) -> sqlx::Result<Vec<TicketCategory>> {
    let rows: Vec<CategoryRow> = with_pool!(db, |pool| {
        sqlx::query_as("SELECT slug, names, fields FROM ticket_categories ORDER BY position, slug")
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(|r| r.into_category(lang)).collect())
}

pub async fn category(db: &Db, slug: &str, lang: Language) -> sqlx::Result<Option<TicketCategory>> {
    let row: Option<CategoryRow> = with_pool!(db, |pool| {
        sqlx::query_as("SELECT slug, names, fields FROM ticket_categories WHERE slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|r| r.into_category(lang)))
}

/// Why listed attachments could not be claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentProblem {
    /// An id that was never uploaded, already used, or swept away.
    Missing,
    /// The ticket's files would exceed the per-ticket limit.
    TooLarge,
}

/// Claims unclaimed uploads for a ticket's event inside the caller's transaction,
/// then checks the ticket's total. Evaluates to `sqlx::Result<Result<(), AttachmentProblem>>`;
/// on a problem the caller rolls back (by dropping the transaction).
macro_rules! claim_attachments {
    ($tx:expr, $ticket_id:expr, $event_id:expr, $ids:expr) => {{
        async {
            for id in $ids {
                let claimed = sqlx::query(
                    "UPDATE ticket_attachments SET ticket_id = $1, event_id = $2
                     WHERE id = $3 AND ticket_id IS NULL",
                )
                .bind($ticket_id)
                .bind($event_id)
                .bind(id)
                .execute(&mut *$tx)
                .await?;
                if claimed.rows_affected() != 1 {
                    return Ok(Err(AttachmentProblem::Missing));
                }
            }
            let total: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM ticket_attachments WHERE ticket_id = $1",
            )
            .bind($ticket_id)
            .fetch_one(&mut *$tx)
            .await?;
            if total > selfdesk_shared::attachments::MAX_TICKET_ATTACHMENT_BYTES {
                return Ok(Err(AttachmentProblem::TooLarge));
            }
            Ok::<_, sqlx::Error>(Ok(()))
        }
        .await
    }};
}

/// Everything needed to insert a ticket; the caller has validated it.
pub struct NewTicketRow<'a> {
    pub idempotency_key_hash: &'a str,
    pub request_hash: &'a str,
    pub token_hash: &'a str,
    pub requester_name: &'a str,
    pub requester_email: &'a str,
    pub language: Language,
    pub category: &'a str,
    pub subject: &'a str,
    pub description: &'a str,
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: Priority,
    pub fields: &'a BTreeMap<String, String>,
    pub transcript: Option<&'a DiagnosticTranscript>,
    pub attachments: &'a [String],
    /// Hash of the browser's self-service session, when it sent a valid one.
    pub self_service_session_hash: Option<&'a str>,
    /// That session's searches (a JSON array, see `tickets::filing::search_words`).
    pub search_words: Option<&'a str>,
    /// The queue's sort key (`selfdesk_shared::queue::queue_due`).
    pub sla_due_at: i64,
    pub year: i32,
    pub now: i64,
    /// The requester's confirmation email, written once the number is known (email
    /// on only).
    pub confirmation: Option<&'a (dyn Fn(&TicketNumber) -> NewEmail + Sync)>,
    /// The `ticket.filed` webhook event, written once the number is known.
    pub webhook: &'a (dyn Fn(&TicketNumber) -> Option<Event> + Sync),
    /// The email that files the ticket, recorded with it (`mail_in`).
    pub mail_in: Option<&'a crate::mail_in::store::MailInRecord>,
}

/// A ticket already filed with this idempotency key.
pub struct Earlier {
    pub id: i64,
    pub request_hash: String,
}

pub async fn by_idempotency_key(db: &Db, key_hash: &str) -> sqlx::Result<Option<Earlier>> {
    let row: Option<(i64, String)> = with_pool!(db, |pool| {
        sqlx::query_as("SELECT id, request_hash FROM tickets WHERE idempotency_key_hash = $1")
            .bind(key_hash)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(id, request_hash)| Earlier { id, request_hash }))
}

pub enum Filed {
    New {
        id: i64,
    },
    /// Another request with the same idempotency key won the race.
    AlreadyFiled,
    /// Nothing was filed.
    Attachments(AttachmentProblem),
}

/// Files a ticket: takes the year's next number, inserts the ticket, its first access
/// token and its `created` event, all or nothing.
pub async fn insert(db: &Db, new: &NewTicketRow<'_>) -> sqlx::Result<Filed> {
    let fields = serde_json::to_string(new.fields).unwrap_or_else(|_| "{}".into());
    let transcript = new
        .transcript
        .map(|t| serde_json::to_string(t).unwrap_or_default());
    let created = serde_json::to_string(&TicketChange::Created).unwrap_or_default();
    let result: sqlx::Result<Result<i64, AttachmentProblem>> = with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            // The counter bump is the first statement: on SQLite it takes the write lock
            // at once, so the transaction never has to upgrade a read lock (which fails
            // without waiting when another writer is active).
            let sequence: i64 = sqlx::query_scalar(
                "INSERT INTO ticket_counters (year, last_sequence) VALUES ($1, 1)
                 ON CONFLICT (year) DO UPDATE SET last_sequence = ticket_counters.last_sequence + 1
                 RETURNING last_sequence",
            )
            .bind(new.year as i64)
            .fetch_one(&mut *tx)
            .await?;
            let number = TicketNumber::new(new.year, sequence);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tickets (number, idempotency_key_hash, request_hash, requester_name,
                    requester_email, language, category, subject, description, impact, urgency,
                    priority, status, tier, fields, transcript, created_at, updated_at,
                    self_service_session_hash, sla_due_at, search_words)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'new', 1, $13, $14, $15, $15, $16, $17, $18)
                 RETURNING id",
            )
            .bind(number.as_str())
            .bind(new.idempotency_key_hash)
            .bind(new.request_hash)
            .bind(new.requester_name)
            .bind(new.requester_email)
            .bind(new.language.code())
            .bind(new.category)
            .bind(new.subject)
            .bind(new.description)
            .bind(new.impact.as_str())
            .bind(new.urgency.as_str())
            .bind(new.priority.as_str())
            .bind(&fields)
            .bind(&transcript)
            .bind(new.now)
            .bind(new.self_service_session_hash)
            .bind(new.sla_due_at)
            .bind(new.search_words)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(new.token_hash)
            .bind(id)
            .bind(new.now)
            .execute(&mut *tx)
            .await?;
            let event_id: i64 = sqlx::query_scalar(
                "INSERT INTO ticket_events (ticket_id, created_at, actor, actor_name, kind, public, data)
                 VALUES ($1, $2, 'requester', $3, 'created', TRUE, $4) RETURNING id",
            )
            .bind(id)
            .bind(new.now)
            .bind(new.requester_name)
            .bind(&created)
            .fetch_one(&mut *tx)
            .await?;
            if let Err(problem) = claim_attachments!(tx, id, event_id, new.attachments)? {
                return Ok(Err(problem));
            }
            if let Some(confirmation) = new.confirmation {
                crate::outbox_enqueue!(tx, Some(id), &confirmation(&number))?;
            }
            if let Some(event) = (new.webhook)(&number) {
                crate::webhook_enqueue!(tx, Some(id), &event)?;
            }
            if let Some(record) = new.mail_in {
                crate::mail_in_record!(tx, Some(id), record)?;
            }
            tx.commit().await?;
            Ok(Ok(id))
        }
        .await
    });
    match result {
        Ok(Ok(id)) => Ok(Filed::New { id }),
        Ok(Err(problem)) => Ok(Filed::Attachments(problem)),
        Err(err) if super::is_unique_violation(&err) => Ok(Filed::AlreadyFiled),
        Err(err) => Err(err),
    }
}

/// Adds another secret that opens the ticket (a replayed submission, a lookup).
pub async fn add_access_token(db: &Db, ticket_id: i64, token_hash: &str) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(ticket_id)
        .bind(unix_now())
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Adds a secret and the email that carries it, together: a link is never emailed
/// that does not open the ticket, nor a token stored for an email never written.
pub async fn add_emailed_token(
    db: &Db,
    ticket_id: i64,
    notification: &Notification,
) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(&notification.token_hash)
            .bind(ticket_id)
            .bind(notification.email.now)
            .execute(&mut *tx)
            .await?;
            crate::outbox_enqueue!(tx, Some(ticket_id), &notification.email)?;
            tx.commit().await
        }
        .await
    })
}

/// The ticket `number` if `token_hash` opens it. A token for another ticket is the
/// same as no token: the answer never says whether `number` exists.
pub async fn id_for_token(
    db: &Db,
    number: &TicketNumber,
    token_hash: &str,
) -> sqlx::Result<Option<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT t.id FROM tickets t JOIN ticket_access_tokens a ON a.ticket_id = t.id
             WHERE t.number = $1 AND a.token_hash = $2",
        )
        .bind(number.as_str())
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })
}

/// Whether `token_hash` still opens the ticket (a revoked link does not).
pub async fn token_opens(db: &Db, ticket_id: i64, token_hash: &str) -> sqlx::Result<bool> {
    let found: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT ticket_id FROM ticket_access_tokens WHERE token_hash = $1 AND ticket_id = $2",
        )
        .bind(token_hash)
        .bind(ticket_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

pub async fn id_for_number(db: &Db, number: &TicketNumber) -> sqlx::Result<Option<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM tickets WHERE number = $1")
            .bind(number.as_str())
            .fetch_optional(pool)
            .await
    })
}

pub async fn number_for_id(db: &Db, id: i64) -> sqlx::Result<Option<TicketNumber>> {
    let number: Option<String> = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT number FROM tickets WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    number
        .map(|n| TicketNumber::try_from(n).map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .transpose()
}

/// A ticket's row, decoded.
#[derive(Debug, Clone)]
pub struct TicketRecord {
    pub id: i64,
    pub number: TicketNumber,
    pub requester_name: String,
    pub requester_email: String,
    pub language: Language,
    pub category: String,
    pub subject: String,
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: Priority,
    pub status: TicketStatus,
    pub tier: Tier,
    pub assignee_id: Option<i64>,
    pub incident_id: Option<i64>,
    /// Bumped by every change; what optimistic writes check.
    pub revision: i64,
    pub fields: BTreeMap<String, String>,
    pub transcript: Option<DiagnosticTranscript>,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_responded_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    /// What the requester searched for before filing (staff only).
    pub search_words: Vec<String>,
}

#[derive(FromRow)]
struct TicketRow {
    id: i64,
    #[sqlx(try_from = "String")]
    number: TicketNumber,
    requester_name: String,
    requester_email: String,
    language: String,
    category: String,
    subject: String,
    description: String,
    impact: String,
    urgency: String,
    priority: String,
    status: String,
    tier: i64,
    assignee_id: Option<i64>,
    incident_id: Option<i64>,
    revision: i64,
    fields: String,
    transcript: Option<String>,
    created_at: i64,
    updated_at: i64,
    first_responded_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<i64>,
    rating_comment: Option<String>,
    search_words: Option<String>,
}

impl TicketRow {
    /// Values the server wrote itself; an unreadable one falls back to the safest
    /// reading rather than failing the whole page.
    fn decode(self) -> TicketRecord {
        TicketRecord {
            id: self.id,
            number: self.number,
            requester_name: self.requester_name,
            requester_email: self.requester_email,
            language: Language::from_tag(&self.language).unwrap_or(Language::En),
            category: self.category,
            subject: self.subject,
            description: self.description,
            impact: Impact::parse(&self.impact).unwrap_or(Impact::Me),
            urgency: Urgency::parse(&self.urgency).unwrap_or(Urgency::Slowed),
            priority: Priority::parse(&self.priority).unwrap_or(Priority::P3),
            status: TicketStatus::parse(&self.status).unwrap_or(TicketStatus::New),
            tier: Tier::nearest(self.tier),
            assignee_id: self.assignee_id,
            incident_id: self.incident_id,
            revision: self.revision,
            fields: serde_json::from_str(&self.fields).unwrap_or_default(),
            transcript: self.transcript.and_then(|t| serde_json::from_str(&t).ok()),
            created_at: self.created_at,
            updated_at: self.updated_at,
            first_responded_at: self.first_responded_at,
            resolved_at: self.resolved_at,
            closed_at: self.closed_at,
            rating: self.rating.map(|r| r.clamp(1, 5) as u8),
            rating_comment: self.rating_comment,
            search_words: self
                .search_words
                .and_then(|w| serde_json::from_str(&w).ok())
                .unwrap_or_default(),
        }
    }
}

const TICKET_COLUMNS: &str = "id, number, requester_name, requester_email, language, category,
    subject, description, impact, urgency, priority, status, tier, assignee_id, incident_id, revision, fields,
    transcript, created_at, updated_at, first_responded_at, resolved_at, closed_at, rating,
    rating_comment, search_words";

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<TicketRecord>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1");
    let row: Option<TicketRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    Ok(row.map(TicketRow::decode))
}

#[derive(FromRow)]
struct EventRow {
    id: i64,
    created_at: i64,
    actor: String,
    actor_name: String,
    data: String,
}

impl EventRow {
    fn decode(self) -> Option<TicketEvent> {
        Some(TicketEvent {
            id: self.id,
            at: self.created_at,
            actor: match self.actor.as_str() {
                "staff" => ActorKind::Staff,
                "system" => ActorKind::System,
                _ => ActorKind::Requester,
            },
            actor_name: self.actor_name,
            change: serde_json::from_str(&self.data).ok()?,
            attachments: Vec::new(),
            html: None,
        })
    }
}

/// The timeline, oldest first; internal notes only when `include_internal`.
pub async fn events(
    db: &Db,
    ticket_id: i64,
    include_internal: bool,
    after_id: i64,
) -> sqlx::Result<Vec<TicketEvent>> {
    let rows: Vec<EventRow> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, created_at, actor, actor_name, data FROM ticket_events
             WHERE ticket_id = $1 AND id > $2 AND (public OR $3)
             ORDER BY id",
        )
        .bind(ticket_id)
        .bind(after_id)
        .bind(include_internal)
        .fetch_all(pool)
        .await
    })?;
    let mut events: Vec<TicketEvent> = rows.into_iter().filter_map(EventRow::decode).collect();
    if !events.is_empty() {
        let files = attachments_of(db, ticket_id).await?;
        for (event_id, file) in files {
            if let Some(event) = events.iter_mut().find(|e| e.id == event_id) {
                event.attachments.push(file);
            }
        }
    }
    Ok(events)
}

/// One event of a ticket with its files, and whether requesters may see it: what the
/// live hub reads once per new event, for every stream watching that ticket.
pub async fn event(
    db: &Db,
    ticket_id: i64,
    event_id: i64,
) -> sqlx::Result<Option<(TicketEvent, bool)>> {
    let row: Option<(i64, i64, String, String, String, bool)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, created_at, actor, actor_name, data, public FROM ticket_events
             WHERE ticket_id = $1 AND id = $2",
        )
        .bind(ticket_id)
        .bind(event_id)
        .fetch_optional(pool)
        .await
    })?;
    let Some((id, created_at, actor, actor_name, data, public)) = row else {
        return Ok(None);
    };
    let Some(mut event) = (EventRow {
        id,
        created_at,
        actor,
        actor_name,
        data,
    })
    .decode() else {
        return Ok(None);
    };
    let files: Vec<(String, String, String, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, name, media_type, size FROM ticket_attachments
             WHERE ticket_id = $1 AND event_id = $2 ORDER BY created_at, id",
        )
        .bind(ticket_id)
        .bind(event_id)
        .fetch_all(pool)
        .await
    })?;
    event.attachments = files
        .into_iter()
        .map(|(id, name, media_type, size)| Attachment {
            id,
            name,
            media_type,
            size,
        })
        .collect();
    Ok(Some((event, public)))
}

/// A ticket's claimed files, with the event each came with.
async fn attachments_of(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<(i64, Attachment)>> {
    let rows: Vec<(String, i64, String, String, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, event_id, name, media_type, size FROM ticket_attachments
             WHERE ticket_id = $1 AND event_id IS NOT NULL ORDER BY created_at, id",
        )
        .bind(ticket_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, event_id, name, media_type, size)| {
            (
                event_id,
                Attachment {
                    id,
                    name,
                    media_type,
                    size,
                },
            )
        })
        .collect())
}

/// Bytes uploaded and not (yet) attached to anything.
pub async fn unclaimed_bytes(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM ticket_attachments WHERE ticket_id IS NULL",
        )
        .fetch_one(pool)
        .await
    })
}

/// Bytes uploaded from one client address and not (yet) attached to anything.
pub async fn unclaimed_bytes_of(db: &Db, uploader: &str) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM ticket_attachments
             WHERE ticket_id IS NULL AND uploader = $1",
        )
        .bind(uploader)
        .fetch_one(pool)
        .await
    })
}

/// Stores an upload, unclaimed, with the address it came from.
pub async fn insert_upload(
    db: &Db,
    id: &str,
    name: &str,
    media_type: &str,
    data: &[u8],
    uploader: &str,
) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO ticket_attachments (id, name, media_type, size, data, created_at, uploader)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(name)
        .bind(media_type)
        .bind(data.len() as i64)
        .bind(data)
        .bind(unix_now())
        .bind(uploader)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// A claimed file of the ticket, with its bytes. `include_internal` decides whether
/// files of internal notes count.
pub async fn attachment(
    db: &Db,
    ticket_id: i64,
    id: &str,
    include_internal: bool,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT a.name, a.media_type, a.data FROM ticket_attachments a
             JOIN ticket_events e ON e.id = a.event_id
             WHERE a.ticket_id = $1 AND a.id = $2 AND (e.public OR $3)",
        )
        .bind(ticket_id)
        .bind(id)
        .bind(include_internal)
        .fetch_optional(pool)
        .await
    })
}

/// Deletes uploads never claimed by a message.
pub async fn delete_unclaimed_before(db: &Db, cutoff: i64) -> sqlx::Result<u64> {
    with_pool!(db, |pool| {
        sqlx::query("DELETE FROM ticket_attachments WHERE ticket_id IS NULL AND created_at < $1")
            .bind(cutoff)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}

pub async fn pauses(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<Pause>> {
    let rows: Vec<(i64, Option<i64>)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT from_at, until_at FROM ticket_pauses WHERE ticket_id = $1 ORDER BY from_at",
        )
        .bind(ticket_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(from, until)| Pause { from, until })
        .collect())
}

/// Who makes a change.
pub struct Actor<'a> {
    pub kind: ActorKind,
    pub staff_id: Option<i64>,
    pub name: &'a str,
}

/// A change to a ticket: the state after it, and the event that tells it. `expected`
/// is the status and tier the change was decided on; if another change landed
/// meanwhile, nothing is written and `Ok(None)` comes back.
pub struct Change<'a> {
    pub ticket_id: i64,
    pub expected_status: TicketStatus,
    pub expected_tier: Tier,
    /// The ticket's `revision` when the change was decided.
    pub expected_revision: i64,
    pub status: TicketStatus,
    pub tier: Tier,
    pub priority: Priority,
    pub assignee_id: Option<i64>,
    pub incident_id: Option<i64>,
    /// The queue's sort key after the change.
    pub sla_due_at: i64,
    pub first_responded_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub rating: Option<u8>,
    pub rating_comment: Option<&'a str>,
    pub actor: Actor<'a>,
    pub event: &'a TicketChange,
    /// Upload ids the event claims.
    pub attachments: &'a [String],
    /// The requester's email about the change, with the token its links carry.
    pub notification: Option<&'a Notification>,
    /// The webhook event the change makes, delivered to the endpoints that want it.
    pub webhook: Option<&'a Event>,
    /// Technicians' emails about the change (`tickets::staff_notify`).
    pub staff_emails: &'a [NewEmail],
    /// The email that makes the change, recorded with it (`mail_in`): a second try
    /// with the same message fails on its key and writes nothing.
    pub mail_in: Option<&'a crate::mail_in::store::MailInRecord>,
    pub now: i64,
}

/// How `apply` went.
pub enum Applied {
    Done(TicketEvent),
    /// The ticket changed since it was read; nothing was written.
    Stale,
    /// Nothing was written.
    Attachments(AttachmentProblem),
}

/// Applies a change and appends its event, in one transaction. Entering "waiting for
/// requester" starts an SLA pause; leaving it ends the pause. The write happens only
/// if the ticket's revision is still the one the change was decided on (every write
/// bumps it), so a decision is never written over a state it did not see.
pub async fn apply(db: &Db, change: &Change<'_>) -> sqlx::Result<Applied> {
    let data = serde_json::to_string(change.event).unwrap_or_default();
    let actor = match change.actor.kind {
        ActorKind::Requester => "requester",
        ActorKind::Staff => "staff",
        ActorKind::System => "system",
    };
    let waiting = TicketStatus::WaitingForRequester;
    let id: Result<Option<i64>, AttachmentProblem> = with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE tickets SET status = $1, tier = $2, priority = $3, first_responded_at = $4,
                    resolved_at = $5, closed_at = $6, rating = $7, rating_comment = $8,
                    updated_at = $9, assignee_id = $13, sla_due_at = $14, incident_id = $15,
                    revision = revision + 1
                 WHERE id = $10 AND status = $11 AND tier = $12 AND revision = $16",
            )
            .bind(change.status.as_str())
            .bind(i64::from(change.tier))
            .bind(change.priority.as_str())
            .bind(change.first_responded_at)
            .bind(change.resolved_at)
            .bind(change.closed_at)
            .bind(change.rating.map(i64::from))
            .bind(change.rating_comment)
            .bind(change.now)
            .bind(change.ticket_id)
            .bind(change.expected_status.as_str())
            .bind(i64::from(change.expected_tier))
            .bind(change.assignee_id)
            .bind(change.sla_due_at)
            .bind(change.incident_id)
            .bind(change.expected_revision)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Ok(Ok(None));
            }
            if change.expected_status != waiting && change.status == waiting {
                sqlx::query("INSERT INTO ticket_pauses (ticket_id, from_at) VALUES ($1, $2)")
                    .bind(change.ticket_id)
                    .bind(change.now)
                    .execute(&mut *tx)
                    .await?;
            } else if change.expected_status == waiting && change.status != waiting {
                sqlx::query(
                    "UPDATE ticket_pauses SET until_at = $1 WHERE ticket_id = $2 AND until_at IS NULL",
                )
                .bind(change.now)
                .bind(change.ticket_id)
                .execute(&mut *tx)
                .await?;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ticket_events
                    (ticket_id, created_at, actor, actor_staff_id, actor_name, kind, public, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(change.ticket_id)
            .bind(change.now)
            .bind(actor)
            .bind(change.actor.staff_id)
            .bind(change.actor.name)
            .bind(change.event.kind())
            .bind(change.event.is_public())
            .bind(&data)
            .fetch_one(&mut *tx)
            .await?;
            if let Err(problem) = claim_attachments!(tx, change.ticket_id, id, change.attachments)? {
                return Ok(Err(problem));
            }
            if let Some(notification) = change.notification {
                sqlx::query(
                    "INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(&notification.token_hash)
                .bind(change.ticket_id)
                .bind(change.now)
                .execute(&mut *tx)
                .await?;
                crate::outbox_enqueue!(tx, Some(change.ticket_id), &notification.email)?;
            }
            if let Some(event) = change.webhook {
                crate::webhook_enqueue!(tx, Some(change.ticket_id), event)?;
            }
            for email in change.staff_emails {
                crate::outbox_enqueue!(tx, Some(change.ticket_id), email)?;
            }
            if let Some(record) = change.mail_in {
                crate::mail_in_record!(tx, Some(change.ticket_id), record)?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Ok(Some(id)))
        }
        .await
    })?;
    Ok(match id {
        Err(problem) => Applied::Attachments(problem),
        Ok(None) => Applied::Stale,
        Ok(Some(id)) => Applied::Done(TicketEvent {
            id,
            at: change.now,
            actor: change.actor.kind,
            actor_name: change.actor.name.to_owned(),
            change: change.event.clone(),
            attachments: Vec::new(),
            html: None,
        }),
    })
}

/// One row of the live feed: which ticket changed, and whether requesters may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedRow {
    pub event_id: i64,
    pub ticket_id: i64,
    pub public: bool,
}

/// Events with an id above `after`, in id order (the live feed's tail).
pub async fn events_after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<FeedRow>> {
    let rows: Vec<(i64, i64, bool)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, ticket_id, public FROM ticket_events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(event_id, ticket_id, public)| FeedRow {
            event_id,
            ticket_id,
            public,
        })
        .collect())
}

pub async fn max_event_id(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM ticket_events")
            .fetch_one(pool)
            .await
    })
}

/// Resolved tickets whose requester has not answered since `resolved_before`.
pub async fn resolved_before(db: &Db, resolved_before: i64) -> sqlx::Result<Vec<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM tickets WHERE status = 'resolved' AND resolved_at < $1 ORDER BY id LIMIT 500",
        )
        .bind(resolved_before)
        .fetch_all(pool)
        .await
    })
}

/// The open tickets (not resolved or closed) assigned to a staff member.
pub async fn open_assigned_to(db: &Db, staff_id: i64) -> sqlx::Result<Vec<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM tickets
             WHERE assignee_id = $1 AND status NOT IN ('resolved', 'closed')
             ORDER BY id",
        )
        .bind(staff_id)
        .fetch_all(pool)
        .await
    })
}
