//! Filing a ticket, safely retried: the submitter's `Idempotency-Key` is stored (as a
//! hash) with the ticket, so the same submission sent again — after a timeout, from
//! another tab, to another replica — finds the ticket already filed.

use axum::http::StatusCode;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::error::FieldError;
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::{
    NewTicket, TicketChange, TicketCreated, TicketStatus, check_new_ticket, priority,
};

use super::{notify, view};
use crate::auth::session::{new_token, token_hash};
use crate::error::{ApiError, ApiResult};
use crate::outbox::store::NewEmail;
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::state::AppState;
use crate::store::search;
use crate::store::tickets::{self, Filed, NewTicketRow};
use crate::{sha256_hex, unix_now, webhooks};

/// Most searches a ticket keeps (`search_words`).
pub const MAX_SEARCH_WORDS: usize = 10;

/// How far back a session's searches count as made "before filing". A session lasts
/// as long as its tab; a day is the visit that led to the ticket, and keeps the read a
/// short range of the search log's time index.
///
/// The portal reports searches in batches and as its page is hidden
/// (`src/beacon_batch.rs`); going from the portal to the ticket form loads another app,
/// which hides the portal's page, so its searches are sent before the form even opens.
pub const SEARCH_WORDS_WITHIN_SECS: i64 = 24 * 60 * 60;

/// The searches a ticket keeps from its session's search log: each query once, in
/// the order first searched, at most [`MAX_SEARCH_WORDS`].
pub fn search_words(queries: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for query in queries {
        if words.len() == MAX_SEARCH_WORDS {
            break;
        }
        if !query.is_empty() && !words.contains(&query) {
            words.push(query);
        }
    }
    words
}

pub const MIN_KEY_CHARS: usize = 16;
pub const MAX_KEY_CHARS: usize = 200;

/// Checks the key's shape: long enough to be unguessable, since whoever holds it may
/// replay the submission and receive a fresh access token.
pub fn check_key(key: Option<&str>) -> ApiResult<&str> {
    let key = key.map(str::trim).unwrap_or("");
    if key.is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidParameter,
            "Send an Idempotency-Key header (a random value, e.g. a UUID, kept for retries of this submission)",
        ));
    }
    if !(MIN_KEY_CHARS..=MAX_KEY_CHARS).contains(&key.len())
        || !key.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(ApiError::new(
            ErrorCode::InvalidParameter,
            format!(
                "The Idempotency-Key must be {MIN_KEY_CHARS} to {MAX_KEY_CHARS} printable ASCII characters"
            ),
        ));
    }
    Ok(key)
}

/// Files the ticket, or returns the one this key already filed (200 instead of 201,
/// with a fresh access token: the first answer may never have arrived).
pub async fn file(
    state: &AppState,
    client: &ClientAddr,
    key: &str,
    new: NewTicket,
) -> ApiResult<(StatusCode, TicketCreated)> {
    let key_hash = sha256_hex(key.as_bytes());
    // serde_json writes struct fields in declaration order and `fields` is a BTreeMap,
    // so the same submission always hashes the same.
    let request_hash = sha256_hex(&serde_json::to_vec(&new).map_err(ApiError::internal)?);
    if let Some(earlier) = tickets::by_idempotency_key(&state.db, &key_hash).await? {
        // A retry counts too: its answer carries a new access token.
        rate_limits::take_one(state, Action::Filing, client).await?;
        return replay(state, earlier.id, &earlier.request_hash, &request_hash).await;
    }

    let category = tickets::category(&state.db, new.category.trim(), new.language).await?;
    if let Some(error) = check_new_ticket(&new, category.as_ref()).into_iter().next() {
        return Err(error.into());
    }
    let email =
        selfdesk_shared::email::EmailAddress::parse(&new.email).map_err(FieldError::from)?;
    // Counted once the ticket is known to be valid: a form to correct costs nothing.
    rate_limits::take_one(state, Action::Filing, client).await?;
    let token = new_token();
    let now = unix_now();
    let year = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| t.year())
        .unwrap_or(1970);
    let fields = new
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    // A malformed session id only costs the measurement, never the ticket.
    let session_hash = new
        .self_service_session
        .as_deref()
        .filter(|s| selfdesk_shared::self_service::valid_session(s))
        .map(token_hash);
    let search_words = match &session_hash {
        Some(hash) => {
            let since = now - SEARCH_WORDS_WITHIN_SECS;
            let words = search_words(search::session_queries(&state.db, hash, since).await?);
            (!words.is_empty())
                .then(|| serde_json::to_string(&words))
                .transpose()
                .map_err(ApiError::internal)?
        }
        None => None,
    };
    let priority = priority(new.impact, new.urgency);
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
    let requester_name = new.name.trim();
    let subject = new.subject.trim();
    let confirm = |number: &TicketNumber| {
        let about = notify::About {
            language: new.language,
            number: number.as_str(),
            subject,
            requester_name,
            requester_email: email.as_str(),
        };
        notify::filed(state, &about, &token, now)
            .expect("only asked for when email is on (`confirmation`)")
    };
    let category = new.category.trim();
    let webhook = |number: &TicketNumber| {
        let facts = webhooks::events::Facts {
            number: number.as_str(),
            subject,
            category,
            language: new.language,
            status: TicketStatus::New,
            tier: 1,
            priority: priority.as_str(),
        };
        webhooks::events::event(
            &facts,
            &TicketChange::Created,
            now,
            state.outbox.give_up_secs,
        )
    };
    let row = NewTicketRow {
        idempotency_key_hash: &key_hash,
        request_hash: &request_hash,
        token_hash: &token_hash(&token),
        requester_name,
        requester_email: email.as_str(),
        language: new.language,
        category,
        subject,
        description: new.description.trim(),
        impact: new.impact,
        urgency: new.urgency,
        priority,
        fields: &fields,
        transcript: new.transcript.as_ref(),
        attachments: &new.attachments,
        self_service_session_hash: session_hash.as_deref(),
        search_words: search_words.as_deref(),
        sla_due_at,
        year,
        now,
        confirmation: state
            .mailer
            .is_some()
            .then_some(&confirm as &(dyn Fn(&TicketNumber) -> NewEmail + Sync)),
        webhook: &webhook,
        mail_in: None,
    };
    match tickets::insert(&state.db, &row).await? {
        Filed::New { id } => {
            state.outbox.wake();
            super::changes::refresh_facts(state, id).await;
            let record = tickets::get(&state.db, id)
                .await?
                .ok_or_else(|| ApiError::internal("a filed ticket vanished"))?;
            let ticket = view::build(state, record, false).await?;
            Ok((StatusCode::CREATED, created(ticket, token)))
        }
        Filed::Attachments(problem) => Err(super::changes::attachment_error(problem)),
        // A concurrent retry with the same key committed first.
        Filed::AlreadyFiled => {
            let earlier = tickets::by_idempotency_key(&state.db, &key_hash)
                .await?
                .ok_or_else(|| ApiError::internal("idempotency conflict without a ticket"))?;
            replay(state, earlier.id, &earlier.request_hash, &request_hash).await
        }
    }
}

async fn replay(
    state: &AppState,
    id: i64,
    earlier_hash: &str,
    request_hash: &str,
) -> ApiResult<(StatusCode, TicketCreated)> {
    if earlier_hash != request_hash {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This Idempotency-Key was already used for a different ticket; use a new key for a new ticket",
        ));
    }
    let token = new_token();
    tickets::add_access_token(&state.db, id, &token_hash(&token)).await?;
    let record = tickets::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Ticket"))?;
    let ticket = view::build(state, record, false).await?;
    Ok((StatusCode::OK, created(ticket, token)))
}

fn created(ticket: selfdesk_shared::tickets::TicketView, token: String) -> TicketCreated {
    TicketCreated {
        tracking_path: format!("/tickets/{}#access={token}", ticket.number),
        number: ticket.number.clone(),
        access_token: token,
        ticket,
    }
}
