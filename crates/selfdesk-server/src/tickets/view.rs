//! A ticket as its requester or a technician sees it, with the SLA standing computed
//! at the moment of reading.

use selfdesk_shared::incidents::LinkedIncident;
use selfdesk_shared::language::Language;
use selfdesk_shared::markdown::render_ticket_text;
use selfdesk_shared::queue::StaffRef;
use selfdesk_shared::sla::{BusinessCalendar, Pause, standing};
use selfdesk_shared::tickets::{TicketCategory, TicketEvent, TicketSla, TicketView};

use super::SlaPolicy;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::tickets::{self, TicketRecord};
use crate::store::{incidents, staff};
use crate::unix_now;

/// The deadline `target_secs` of business time after filing, as it stands when the
/// work was done (`done_at`) or, not done yet, now. A target already met is judged with
/// the clock as it stood when it was met, so a later pause cannot change the verdict.
/// `None` while the ticket waits for its requester (no deadline runs). The insight
/// facts (`insight::facts`) judge every deadline with this same function.
pub fn deadline(
    calendar: &BusinessCalendar,
    created_at: i64,
    target_secs: i64,
    pauses: &[Pause],
    done_at: Option<i64>,
) -> Option<i64> {
    let pauses: Vec<Pause> = match done_at {
        None => pauses.to_vec(),
        Some(done) => pauses
            .iter()
            .filter(|p| p.from < done)
            .map(|p| Pause {
                from: p.from,
                until: Some(p.until.map_or(done, |end| end.min(done))),
            })
            .collect(),
    };
    selfdesk_shared::sla::due_at(calendar, created_at, target_secs, &pauses)
}

/// Deadlines and their standing at `now`.
pub fn sla(policy: &SlaPolicy, record: &TicketRecord, pauses: &[Pause], now: i64) -> TicketSla {
    let judge = |target_secs: i64, done_at: Option<i64>| {
        let due = deadline(
            &policy.calendar,
            record.created_at,
            target_secs,
            pauses,
            done_at,
        );
        standing(due, done_at, now, policy.warn_before_secs)
    };
    TicketSla {
        first_response: judge(
            policy.targets.first_response(record.priority),
            record.first_responded_at,
        ),
        resolution: judge(
            policy.targets.resolution(record.priority),
            record.resolved_at.or(record.closed_at),
        ),
    }
}

/// Each event's text as safe HTML (`TicketEvent::html`), rendered here like an
/// article's body: a ticket's page shows it without a Markdown renderer of its own.
/// Callouts are titled in the ticket's language.
pub fn render_texts(events: &mut [TicketEvent], language: Language) {
    for event in events {
        event.html = event
            .change
            .text()
            .map(|text| render_ticket_text(text, language));
    }
}

/// The full view; internal notes only for staff.
pub async fn build(
    state: &AppState,
    record: TicketRecord,
    include_internal: bool,
) -> ApiResult<TicketView> {
    let category = match tickets::category(&state.db, &record.category, record.language).await? {
        Some(category) => category,
        // The column refers to a category row, so this is a slug like any other.
        None => TicketCategory {
            slug: crate::store::slug_column(record.category.clone())?,
            name: record.category.clone(),
            fields: Vec::new(),
        },
    };
    let mut events = tickets::events(&state.db, record.id, include_internal, 0).await?;
    render_texts(&mut events, record.language);
    let pauses = tickets::pauses(&state.db, record.id).await?;
    let sla = sla(&state.sla.current(), &record, &pauses, unix_now());
    let assignee = match (include_internal, record.assignee_id) {
        (true, Some(id)) => staff::get(&state.db, id).await?.map(|m| StaffRef {
            id: m.id,
            display_name: m.display_name,
        }),
        _ => None,
    };
    let incident = match record.incident_id {
        // Requesters are told while the problem is open; staff always see the link.
        Some(id) => incidents::get(&state.db, id)
            .await?
            .filter(|i| i.open || include_internal)
            .map(|i| LinkedIncident {
                id: i.id,
                title: i.title,
            }),
        None => None,
    };
    Ok(TicketView {
        number: record.number,
        subject: record.subject,
        description_html: render_ticket_text(&record.description, record.language),
        description: record.description,
        category,
        fields: record.fields,
        status: record.status,
        tier: record.tier,
        priority: record.priority,
        impact: record.impact,
        urgency: record.urgency,
        requester_name: record.requester_name,
        language: record.language,
        created_at: record.created_at,
        updated_at: record.updated_at,
        sla,
        transcript: record.transcript,
        events,
        rating: record.rating,
        incident,
        requester_email: include_internal.then_some(record.requester_email),
        assignee,
        search_words: if include_internal {
            record.search_words
        } else {
            Vec::new()
        },
    })
}
