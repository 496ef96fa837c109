//! A ticket's history as requesters and technicians both see it: who did what and
//! when, with the message and its files. Staff pages also get the staff-only events
//! (internal notes, assignments, "me too" reports), marked so they cannot be
//! mistaken for what the requester sees.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::tickets::{ActorKind, TicketChange, TicketEvent};

use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::numbers::file_size;
use crate::components::rendered_text::RenderedText;
use crate::components::ticket_words::{priority_label, status_label, tier_label};
use crate::i18n::{Locale, t_string, use_i18n};
use crate::text::fill;

/// What an event says, and the text that goes with it.
pub fn event_words(
    i18n: leptos_i18n::I18nContext<Locale>,
    change: TicketChange,
) -> (String, Option<String>) {
    match change {
        TicketChange::Created => (t_string!(i18n, event_created).to_string(), None),
        TicketChange::Reply { body } => (t_string!(i18n, event_reply).to_string(), Some(body)),
        TicketChange::InternalNote { body } => {
            (t_string!(i18n, event_note).to_string(), Some(body))
        }
        TicketChange::Status { to, summary, .. } => (
            fill(t_string!(i18n, event_status), status_label(i18n, to)),
            summary,
        ),
        TicketChange::Tier { from, to, reason } => (
            fill(
                if to > from {
                    t_string!(i18n, event_escalated)
                } else {
                    t_string!(i18n, event_deescalated)
                },
                tier_label(i18n, to),
            ),
            Some(reason),
        ),
        TicketChange::Priority { to, .. } => (priority_label(i18n, to), None),
        TicketChange::Reopened { reason } => {
            (t_string!(i18n, event_reopened).to_string(), Some(reason))
        }
        TicketChange::Confirmed => (t_string!(i18n, event_confirmed).to_string(), None),
        TicketChange::Rated { rating, comment } => (
            fill(t_string!(i18n, ticket_rated), rating),
            (!comment.is_empty()).then_some(comment),
        ),
        TicketChange::AutoClosed => (t_string!(i18n, event_auto_closed).to_string(), None),
        TicketChange::AlsoAffected { name, email } => (
            fill(
                t_string!(i18n, event_also_affected),
                format!("{name} <{email}>"),
            ),
            None,
        ),
        TicketChange::Assigned { to: Some(who) } => (
            fill(t_string!(i18n, event_assigned), who.display_name),
            None,
        ),
        TicketChange::Incident {
            incident: Some(incident),
        } => (fill(t_string!(i18n, event_incident), incident.title), None),
        TicketChange::Incident { incident: None } => {
            (t_string!(i18n, event_incident_unlinked).to_string(), None)
        }
        TicketChange::Assigned { to: None } => {
            (t_string!(i18n, event_unassigned).to_string(), None)
        }
    }
}

/// One entry. `file_url` gives the download address of an attached file by its id
/// (requesters and staff fetch files through different, differently checked routes);
/// `open_file`, when given, opens a file instead of following its link (requesters:
/// it asks for a download grant first).
#[component]
pub fn TimelineEntry(
    event: TicketEvent,
    file_url: Callback<String, String>,
    #[prop(optional)] open_file: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = current_language(i18n);
    let who = match event.actor {
        ActorKind::System => t_string!(i18n, actor_system).to_string(),
        _ => event.actor_name.clone(),
    };
    let staff = event.actor == ActorKind::Staff;
    let internal = !event.change.is_public();
    let files = (!event.attachments.is_empty()).then(|| {
        view! {
            <ul class="attachment-list">
                {event
                    .attachments
                    .iter()
                    .map(|file| {
                        let id = file.id.clone();
                        view! {
                            <li>
                                <a
                                    href=file_url.run(file.id.clone())
                                    download=file.name.clone()
                                    on:click=move |ev| {
                                        if let Some(open) = open_file {
                                            ev.prevent_default();
                                            open.run(id.clone());
                                        }
                                    }
                                >
                                    {file.name.clone()}
                                </a>
                                " "
                                <span class="hint">
                                    {file_size(file.size, current_language(i18n))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let html = event.html;
    let (text, body) = event_words(i18n, event.change);
    view! {
        <li class="timeline-entry" class:from-staff=staff class:internal=internal>
            {internal
                .then(|| view! { <p class="internal-label">{say!(i18n, staff_only_label)}</p> })}
            <p class="timeline-meta">
                <strong>{who}</strong>
                " · "
                {text}
                " · "
                <time>{date_time(event.at, lang)}</time>
            </p>
            {body
                .map(|b| {
                    view! {
                        <div class="timeline-body">
                            <RenderedText html text=b />
                        </div>
                    }
                })}
            {files}
        </li>
    }
}
