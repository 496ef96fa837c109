//! Ninety days of help-desk history for the demo, so that the numbers managers read
//! (Insight) have something to show: about 700 tickets with their whole timelines,
//! two known incidents, and the searches, article reads, "Did this help?" answers and
//! guided diagnostics of the visitors who helped themselves or filed anyway.
//!
//! Only with `--seed-demo-history` (besides `--seed-demo`, as `cargo xtask run` does);
//! never in production, and not for the tests, which count the tickets they file.
//! Written once: a marker in `server_settings`, claimed in the same transaction as the
//! rows, says the history is there. The same day gives the same history (a fixed seed);
//! it is laid out backwards from the moment it is written.
//!
//! The rows are what the server itself would have written (`plan` decides every change
//! with the real state machine), so whatever is later derived from tickets, events and
//! pauses is derived from believable data.

mod content;
pub mod plan;

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Context;
use selfdesk_shared::auth::StaffRole;
use selfdesk_shared::language::Language;
use selfdesk_shared::search::normalise_query;
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::TicketCategory;

pub use content::Content;
use plan::{History, Inputs, Technician};

use crate::auth::session::{new_token, token_hash};
use crate::db::Db;
use crate::search::{self, Match, SearchIndex};
use crate::store::{flows, queue as settings, staff, tickets};
use crate::tickets::{SlaPolicy, policy};
use crate::{unix_now, with_pool};

/// The `server_settings` key that says the history was written (its value: when).
pub const MARKER: &str = "demo_history";

/// Technicians the history needs besides the demo accounts (`seed::DEMO_STAFF`); the
/// last one has left and is deactivated, his past work still counts.
const TECHNICIANS: [(&str, &str, StaffRole); 3] = [
    ("tier1b@demo.selfdesk", "Olga Petrova", StaffRole::Tier1),
    ("tier2b@demo.selfdesk", "Ingrid Solberg", StaffRole::Tier2),
    ("former@demo.selfdesk", "Marc Dubois", StaffRole::Tier1),
];
const FORMER: &str = "former@demo.selfdesk";
/// When the former technician left.
const LEFT_DAYS_AGO: i64 = 40;

/// How much of each tier's work each technician does.
fn weight(email: &str) -> u32 {
    match email {
        "tier1@demo.selfdesk" => 45,
        "tier1b@demo.selfdesk" => 35,
        FORMER => 20,
        "tier2@demo.selfdesk" => 55,
        "tier2b@demo.selfdesk" => 45,
        "tier3@demo.selfdesk" => 90,
        "admin@demo.selfdesk" => 10,
        _ => 0,
    }
}

/// What was written, for the log and the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub tickets: usize,
    pub events: usize,
    pub searches: usize,
    pub service_events: usize,
    pub walks: usize,
    pub votes: usize,
}

/// Writes the history unless it is already there. Expects the demo content and
/// accounts (`seed::demo`). `Ok(None)`: nothing to do.
pub async fn load_if_missing(db: &Db) -> anyhow::Result<Option<Written>> {
    if settings::setting(db, MARKER).await?.is_some() {
        return Ok(None);
    }
    let started = Instant::now();
    let now = unix_now();
    let technicians = technicians(db, now).await?;
    let content = Content::load()?;
    let policy = policy::load(db).await?;
    let flows = flows::published(db).await?;
    let hits = search_hits(db, &content).await?;
    let mut categories = HashMap::new();
    for lang in Language::ALL {
        for category in tickets::categories(db, lang).await? {
            categories.insert((lang, category.slug.as_str().to_owned()), category);
        }
    }
    let parts = Parts {
        now,
        policy: &policy,
        content: &content,
        technicians: &technicians,
        flows: &flows,
        hits: &hits,
        categories: &categories,
    };
    let written = write(db, &parts).await?;
    if let Some(w) = written {
        tracing::info!(
            tickets = w.tickets,
            events = w.events,
            searches = w.searches,
            walks = w.walks,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "seeded {} days of demo history",
            plan::DAYS
        );
    }
    Ok(written)
}

/// The history's technicians, created when missing; the former one deactivated.
async fn technicians(db: &Db, now: i64) -> anyhow::Result<Vec<Technician>> {
    for (email, name, role) in TECHNICIANS {
        if !staff::exists(db, email).await? {
            staff::create_validated(db, email, name, role, super::DEMO_PASSWORD)
                .await
                .map_err(|e| anyhow::anyhow!("seeding {email}: {}", e.message()))?;
        }
    }
    let mut technicians = Vec::new();
    for member in staff::list(db).await? {
        let weight = weight(&member.email);
        if weight == 0 {
            continue;
        }
        let former = member.email == FORMER;
        if former && member.active {
            staff::set_active(db, member.id, false).await?;
        }
        technicians.push(Technician {
            member: selfdesk_shared::auth::StaffMember {
                active: !former && member.active,
                two_factor: false,
                ..member
            },
            left_at: former.then_some(now - LEFT_DAYS_AGO * 86_400),
            weight,
        });
    }
    anyhow::ensure!(
        technicians
            .iter()
            .any(|t| t.member.role == StaffRole::Tier1 && t.left_at.is_none())
            && technicians
                .iter()
                .any(|t| t.member.role == StaffRole::Tier2)
            && technicians
                .iter()
                .any(|t| t.member.role == StaffRole::Tier3),
        "the demo history needs the demo technicians of every tier (seed::demo first)"
    );
    Ok(technicians)
}

/// What the knowledge base finds for every query the history types, as the portal's
/// search box asks (all words, eight results).
async fn search_hits(
    db: &Db,
    content: &Content,
) -> anyhow::Result<HashMap<(Language, String), (u32, Option<String>)>> {
    let index = SearchIndex::load(db).await?;
    let mut typed: Vec<(Language, String)> = Vec::new();
    for lang in Language::ALL {
        for problem in &content.problems {
            let searches = &problem.text(lang).searches;
            typed.extend(searches.iter().map(|q| (lang, q.clone())));
        }
        typed.extend(content.gaps[lang.code()].iter().map(|q| (lang, q.clone())));
    }
    let mut hits = HashMap::new();
    for (lang, text) in typed {
        let query = normalise_query(&text);
        if query.is_empty() || hits.contains_key(&(lang, query.clone())) {
            continue;
        }
        let found = search::search_kb(db, &index, &text, lang, Match::All, 8).await?;
        let first = found.hits.first().map(|h| h.slug.as_str().to_owned());
        hits.insert((lang, query), (found.hits.len() as u32, first));
    }
    Ok(hits)
}

struct Parts<'a> {
    now: i64,
    policy: &'a SlaPolicy,
    content: &'a Content,
    technicians: &'a [Technician],
    flows: &'a [selfdesk_shared::flows::Flow],
    hits: &'a HashMap<(Language, String), (u32, Option<String>)>,
    categories: &'a HashMap<(Language, String), TicketCategory>,
}

/// Rows per multi-row INSERT (at most 9 values each: far below either database's
/// limit on bound values).
const CHUNK: usize = 400;

/// Claims the marker, then writes the incidents, the planned history and the
/// articles' read counts, all in one transaction. `None` when another server claimed
/// the marker first.
async fn write(db: &Db, parts: &Parts<'_>) -> anyhow::Result<Option<Written>> {
    let incidents = plan::incidents(parts.now, parts.policy, parts.content, parts.technicians);
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "INSERT INTO server_settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(MARKER)
            .bind(parts.now.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(None);
            }
            let mut incident_ids = [0i64; 2];
            for (slot, incident) in incident_ids.iter_mut().zip(&incidents) {
                let status = if incident.closed_at.is_some() { "closed" } else { "open" };
                *slot = sqlx::query_scalar(
                    "INSERT INTO incidents (title, description, category, status, created_by,
                        created_at, closed_at, closing_message)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&incident.title)
                .bind(&incident.description)
                .bind(&incident.category)
                .bind(status)
                .bind(incident.created_by)
                .bind(incident.created_at)
                .bind(incident.closed_at)
                .bind(&incident.closing_message)
                .fetch_one(&mut *tx)
                .await?;
            }
            let history: History = plan::plan(&Inputs {
                now: parts.now,
                policy: parts.policy,
                content: parts.content,
                technicians: parts.technicians,
                flows: parts.flows,
                hits: parts.hits,
                categories: parts.categories,
                incident_ids,
            })?;
            for (incident, id) in history.incidents.iter().zip(incident_ids) {
                for (name, email, at) in &incident.reports {
                    sqlx::query(
                        "INSERT INTO incident_reports (incident_id, name, email, created_at)
                         VALUES ($1, $2, $3, $4) ON CONFLICT (incident_id, email) DO NOTHING",
                    )
                    .bind(id)
                    .bind(name)
                    .bind(email)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
            }

            let mut events = 0;
            for ticket in &history.tickets {
                let year = time::OffsetDateTime::from_unix_timestamp(ticket.created_at)
                    .map(|t| t.year())
                    .unwrap_or(1970);
                let sequence: i64 = sqlx::query_scalar(
                    "INSERT INTO ticket_counters (year, last_sequence) VALUES ($1, 1)
                     ON CONFLICT (year) DO UPDATE SET last_sequence = ticket_counters.last_sequence + 1
                     RETURNING last_sequence",
                )
                .bind(i64::from(year))
                .fetch_one(&mut *tx)
                .await?;
                let number = TicketNumber::new(year, sequence);
                let state = &ticket.state;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO tickets (number, idempotency_key_hash, request_hash,
                        requester_name, requester_email, language, category, subject,
                        description, impact, urgency, priority, status, tier, assignee_id,
                        fields, transcript, created_at, updated_at, first_responded_at,
                        resolved_at, closed_at, rating, rating_comment,
                        self_service_session_hash, sla_due_at, revision, incident_id,
                        search_words)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                        $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)
                     RETURNING id",
                )
                .bind(number.as_str())
                .bind(&ticket.idempotency_key_hash)
                .bind(&ticket.request_hash)
                .bind(&ticket.requester_name)
                .bind(&ticket.requester_email)
                .bind(ticket.language.code())
                .bind(&ticket.category)
                .bind(&ticket.subject)
                .bind(&ticket.description)
                .bind(ticket.impact.as_str())
                .bind(ticket.urgency.as_str())
                .bind(state.priority.as_str())
                .bind(state.status.as_str())
                .bind(i64::from(state.tier))
                .bind(state.assignee_id)
                .bind(serde_json::to_string(&ticket.fields)?)
                .bind(
                    ticket
                        .transcript
                        .as_ref()
                        .map(serde_json::to_string)
                        .transpose()?,
                )
                .bind(ticket.created_at)
                .bind(ticket.updated_at)
                .bind(state.first_responded_at)
                .bind(state.resolved_at)
                .bind(state.closed_at)
                .bind(state.rating.map(i64::from))
                .bind(&state.rating_comment)
                .bind(&ticket.self_service_session_hash)
                .bind(ticket.sla_due_at)
                .bind(ticket.revision)
                .bind(state.incident_id)
                .bind(
                    ticket
                        .search_words
                        .as_ref()
                        .map(serde_json::to_string)
                        .transpose()?,
                )
                .fetch_one(&mut *tx)
                .await?;
                // Nobody holds a link to these tickets; a lookup by email mails a new one.
                sqlx::query(
                    "INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at)
                     VALUES ($1, $2, $3)",
                )
                .bind(token_hash(&new_token()))
                .bind(id)
                .bind(ticket.created_at)
                .execute(&mut *tx)
                .await?;
                for chunk in ticket.events.chunks(CHUNK) {
                    let mut insert = sqlx::QueryBuilder::new(
                        "INSERT INTO ticket_events
                            (ticket_id, created_at, actor, actor_staff_id, actor_name, kind, public, data) ",
                    );
                    let mut rows = Vec::with_capacity(chunk.len());
                    for event in chunk {
                        rows.push((event, serde_json::to_string(&event.change)?));
                    }
                    insert.push_values(rows, |mut row, (event, data)| {
                        row.push_bind(id)
                            .push_bind(event.at)
                            .push_bind(actor_text(event.actor))
                            .push_bind(event.staff_id)
                            .push_bind(event.actor_name.clone())
                            .push_bind(event.change.kind())
                            .push_bind(event.change.is_public())
                            .push_bind(data);
                    });
                    insert.build().execute(&mut *tx).await?;
                }
                events += ticket.events.len();
                for pause in &ticket.pauses {
                    sqlx::query(
                        "INSERT INTO ticket_pauses (ticket_id, from_at, until_at) VALUES ($1, $2, $3)",
                    )
                    .bind(id)
                    .bind(pause.from)
                    .bind(pause.until)
                    .execute(&mut *tx)
                    .await?;
                }
            }

            for chunk in history.searches.chunks(CHUNK) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO search_log (id_hash, session_hash, lang, query, hits, opened,
                        created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, s| {
                    row.push_bind(s.id_hash.clone())
                        .push_bind(s.session_hash.clone())
                        .push_bind(s.lang.code())
                        .push_bind(s.query.clone())
                        .push_bind(i64::from(s.hits))
                        .push_bind(s.opened.clone())
                        .push_bind(s.created_at)
                        .push_bind(s.updated_at);
                });
                insert.build().execute(&mut *tx).await?;
            }
            for chunk in history.service_events.chunks(CHUNK) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO self_service_events (session_hash, kind, subject, created_at) ",
                );
                insert.push_values(chunk, |mut row, e| {
                    row.push_bind(e.session_hash.clone())
                        .push_bind(e.kind)
                        .push_bind(e.subject.clone())
                        .push_bind(e.created_at);
                });
                insert.build().execute(&mut *tx).await?;
            }
            for chunk in history.walks.chunks(CHUNK) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO flow_walks (walk_hash, session_hash, flow, version, answers, node,
                        state, started_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, w| {
                    row.push_bind(w.walk_hash.clone())
                        .push_bind(w.session_hash.clone())
                        .push_bind(w.flow.clone())
                        .push_bind(w.version)
                        .push_bind(w.answers.clone())
                        .push_bind(w.node.clone())
                        .push_bind(w.state.as_str())
                        .push_bind(w.started_at)
                        .push_bind(w.updated_at);
                });
                insert.build().execute(&mut *tx).await?;
            }
            let articles: Vec<(String, i64)> =
                sqlx::query_as("SELECT slug, id FROM kb_articles WHERE status = 'published'")
                    .fetch_all(&mut *tx)
                    .await?;
            let articles: HashMap<String, i64> = articles.into_iter().collect();
            let votes: Vec<_> = history
                .votes
                .iter()
                .filter_map(|v| Some((articles.get(&v.slug).copied()?, v)))
                .collect();
            for chunk in votes.chunks(CHUNK) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO kb_votes (article_id, voter_hash, lang, helpful, reason, comment,
                        created_at, updated_at, session_hash) ",
                );
                insert.push_values(chunk, |mut row, (article, v)| {
                    row.push_bind(*article)
                        .push_bind(v.voter_hash.clone())
                        .push_bind(v.lang.code())
                        .push_bind(v.helpful)
                        .push_bind(v.reason.map(|r| r.as_str()))
                        .push_bind(None::<String>)
                        .push_bind(v.created_at)
                        .push_bind(v.created_at)
                        .push_bind(v.session_hash.clone());
                });
                insert.build().execute(&mut *tx).await?;
            }
            // Reading an article counts it (`store::kb`), so the reads above count too.
            let mut views: HashMap<&str, i64> = HashMap::new();
            for event in history
                .service_events
                .iter()
                .filter(|e| e.kind == "article_viewed")
            {
                *views.entry(event.subject.as_str()).or_default() += 1;
            }
            for (slug, count) in views {
                sqlx::query("UPDATE kb_articles SET views = views + $1 WHERE slug = $2")
                    .bind(count)
                    .bind(slug)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, anyhow::Error>(Some(Written {
                tickets: history.tickets.len(),
                events,
                searches: history.searches.len(),
                service_events: history.service_events.len(),
                walks: history.walks.len(),
                votes: votes.len(),
            }))
        }
        .await
    })
    .context("writing the demo history")
}

fn actor_text(actor: selfdesk_shared::tickets::ActorKind) -> &'static str {
    use selfdesk_shared::tickets::ActorKind;
    match actor {
        ActorKind::Requester => "requester",
        ActorKind::Staff => "staff",
        ActorKind::System => "system",
    }
}
