//! A ticket's states and choices in the user's language: the shared crate gives the
//! values, the catalogs the words.

use leptos::prelude::*;
use selfdesk_shared::sla::{Priority, SlaStanding};
use selfdesk_shared::tickets::{Impact, TicketCategory, TicketStatus, Urgency};
use selfdesk_shared::tier::Tier;

use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::i18n::{Locale, t_string};
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

pub fn impact_label(i18n: I18n, impact: Impact) -> String {
    match impact {
        Impact::Me => t_string!(i18n, impact_me),
        Impact::Team => t_string!(i18n, impact_team),
        Impact::Everyone => t_string!(i18n, impact_everyone),
    }
    .to_string()
}

pub fn urgency_label(i18n: I18n, urgency: Urgency) -> String {
    match urgency {
        Urgency::CanWait => t_string!(i18n, urgency_can_wait),
        Urgency::Slowed => t_string!(i18n, urgency_slowed),
        Urgency::Blocked => t_string!(i18n, urgency_blocked),
    }
    .to_string()
}

/// "P2 — high".
pub fn priority_label(i18n: I18n, priority: Priority) -> String {
    let name = match priority {
        Priority::P1 => t_string!(i18n, priority_p1),
        Priority::P2 => t_string!(i18n, priority_p2),
        Priority::P3 => t_string!(i18n, priority_p3),
        Priority::P4 => t_string!(i18n, priority_p4),
    };
    format!("{} — {name}", priority.label())
}

/// The status in the requester's words.
pub fn status_label(i18n: I18n, status: TicketStatus) -> String {
    match status {
        TicketStatus::New => t_string!(i18n, ticket_status_new),
        TicketStatus::InProgress => t_string!(i18n, ticket_status_in_progress),
        TicketStatus::WaitingForRequester => t_string!(i18n, ticket_status_waiting),
        TicketStatus::Resolved => t_string!(i18n, ticket_status_resolved),
        TicketStatus::Closed => t_string!(i18n, ticket_status_closed),
    }
    .to_string()
}

pub fn tier_label(i18n: I18n, tier: Tier) -> String {
    match tier {
        Tier::FIRST => t_string!(i18n, tier_1),
        Tier::SECOND => t_string!(i18n, tier_2),
        _ => t_string!(i18n, tier_3),
    }
    .to_string()
}

/// A deadline in words, never by colour alone: "Due by Tue 25 Nov, 10:00 (on track)".
pub fn sla_text(i18n: I18n, standing: SlaStanding) -> (String, &'static str) {
    let lang = current_language(i18n);
    let when = |at: i64| date_time(at, lang);
    match standing {
        SlaStanding::Met { at } => (fill(t_string!(i18n, sla_met), when(at)), "sla-met"),
        SlaStanding::OnTrack { due } => (fill(t_string!(i18n, sla_on_track), when(due)), "sla-ok"),
        SlaStanding::DueSoon { due } => {
            (fill(t_string!(i18n, sla_due_soon), when(due)), "sla-soon")
        }
        SlaStanding::Breached { due } => (
            fill(t_string!(i18n, sla_breached), when(due)),
            "sla-breached",
        ),
        SlaStanding::Paused => (t_string!(i18n, sla_paused).to_string(), "sla-paused"),
    }
}

/// The message for a refused ticket field, in the user's language. A category's own
/// fields (`fields.<key>`) are named by their label, which comes with the category.
pub fn ticket_field_message(i18n: I18n, field: &str, category: Option<&TicketCategory>) -> String {
    if let Some(key) = field.strip_prefix("fields.") {
        let label = category
            .and_then(|c| c.fields.iter().find(|f| f.key == key))
            .map_or_else(|| key.to_owned(), |f| f.label.clone());
        return fill(t_string!(i18n, err_ticket_extra_field), label);
    }
    match field {
        "name" => t_string!(i18n, err_ticket_name),
        "email" => t_string!(i18n, err_email_invalid),
        "category" => t_string!(i18n, err_category),
        "subject" => t_string!(i18n, err_ticket_subject),
        "description" => t_string!(i18n, err_ticket_description),
        "impact" => t_string!(i18n, err_ticket_impact),
        "urgency" => t_string!(i18n, err_ticket_urgency),
        "body" => t_string!(i18n, err_reply_body),
        "reason" => t_string!(i18n, err_reason),
        "rating" => t_string!(i18n, err_rating),
        "attachments" => t_string!(i18n, err_attachments),
        "summary" => t_string!(i18n, err_resolution_summary),
        "assignee" => t_string!(i18n, err_assignee),
        "tier" => t_string!(i18n, err_tier),
        _ => t_string!(i18n, err_server),
    }
    .to_string()
}

/// A span of time in the largest two units: "2 d 3 h", "5 h 10 min", "25 min".
pub fn span_words(i18n: I18n, secs: i64) -> String {
    let minutes = (secs.max(0) + 59) / 60;
    let (days, hours, mins) = (minutes / 1_440, minutes / 60 % 24, minutes % 60);
    let unit_day = t_string!(i18n, unit_day);
    let unit_hour = t_string!(i18n, unit_hour);
    let unit_min = t_string!(i18n, unit_min);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} {unit_min}"),
        (0, h, 0) => format!("{h} {unit_hour}"),
        (0, h, m) => format!("{h} {unit_hour} {m} {unit_min}"),
        (d, 0, _) => format!("{d} {unit_day}"),
        (d, h, _) => format!("{d} {unit_day} {h} {unit_hour}"),
    }
}

/// A deadline as a technician needs it: how long is left, or how late it is, with the
/// class that colours it (the words carry the meaning too, never the colour alone).
pub fn sla_countdown(i18n: I18n, standing: SlaStanding, now: i64) -> (String, &'static str) {
    match standing {
        SlaStanding::Breached { due } => (
            fill(t_string!(i18n, sla_overdue_by), span_words(i18n, now - due)),
            "sla-breached",
        ),
        SlaStanding::DueSoon { due } => (
            fill(t_string!(i18n, sla_due_in), span_words(i18n, due - now)),
            "sla-soon",
        ),
        SlaStanding::OnTrack { due } => (
            fill(t_string!(i18n, sla_due_in), span_words(i18n, due - now)),
            "sla-ok",
        ),
        SlaStanding::Paused => (t_string!(i18n, sla_paused_staff).to_string(), "sla-paused"),
        SlaStanding::Met { .. } => (t_string!(i18n, sla_nothing_due).to_string(), "sla-met"),
    }
}

/// Now, in Unix seconds, by the browser's clock.
pub fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The answers to the ticket category's own questions (a printer's location), as
/// `<div><dt>question</dt><dd>answer</dd></div>` items of a facts list, in the
/// category's order; questions left unanswered are not shown.
pub fn category_answers(view: &selfdesk_shared::tickets::TicketView) -> impl IntoView + use<> {
    view.category
        .fields
        .iter()
        .filter_map(|f| {
            view.fields.get(&f.key).map(|v| {
                view! {
                    <div>
                        <dt>{f.label.clone()}</dt>
                        <dd>{v.clone()}</dd>
                    </div>
                }
            })
        })
        .collect_view()
}
