//! Working one ticket: everything the requester told us (with the diagnostic
//! transcript), the whole history including internal notes, and the moves — assign,
//! priority, status, escalation — beside a reply box that writes public replies or
//! internal notes, with canned responses and help-article links.
//!
//! The view is re-read from the server after every change and on every live event,
//! so what is shown is always the server's state. What the technician is typing lives
//! outside the view (and in this browser's storage), so neither a refresh nor a reload
//! loses it.
//!
//! Keyboard: `a` assigns to me, `r` goes to the reply box, `n` / `p` open the next or
//! previous ticket of the queue, Ctrl+Enter sends.

use crate::router::{use_navigate, use_params_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::queue::may_work;
use selfdesk_shared::sla::{Priority, SlaStanding};
use selfdesk_shared::tickets::{StatusChangeRequest, TicketStatus, TicketView, TierChangeRequest};

use crate::api::{self, ApiError};
use crate::components::dates::date_time;
use crate::components::form::{Field, SubmitButton};
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::status::{ErrorPanel, ErrorText, Loading, show_refreshed};
use crate::components::ticket_timeline::TimelineEntry;
use crate::components::ticket_words::{
    category_answers, priority_label, sla_countdown, sla_text, status_label, ticket_field_message,
    tier_label, unix_now,
};
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::live::use_event_source;
use crate::pages::staff::queue_keys::{neighbour, typing};
use crate::pages::staff::reply_box::{Composer, ReplyBox};
use crate::session::use_session;
use crate::text::fill;

#[component]
pub fn StaffTicketPage() -> impl IntoView {
    let params = use_params_map();
    let number = Memo::new(move |_| params.with(|p| p.get("number").unwrap_or_default()));
    move || {
        let number = number.get();
        view! { <LiveTicket number /> }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Loading,
    Failed,
    Shown,
}

/// A move the side panel can make; each answers with the updated ticket.
#[derive(Clone)]
enum Move {
    Assign(Option<i64>),
    Priority(Priority),
    Status(TicketStatus, Option<String>),
    Tier(u8, String),
    Incident(Option<i64>),
}

/// The ticket kept as the server has it: read once, read again on every live event,
/// replaced by the answer to each move; also the page's keyboard shortcuts. Shows it
/// loading, failed, or as a [`LoadedTicket`].
#[component]
fn LiveTicket(number: String) -> impl IntoView {
    let i18n = use_i18n();
    // Until the ticket has loaded, the tab says which one it will be.
    page_title({
        let number = number.clone();
        move || number.clone()
    });
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let ticket = RwSignal::new(None::<Result<TicketView, ApiError>>);
    let number = StoredValue::new(number);
    let composer = Composer::new(&number.get_value());
    let announcement = RwSignal::new(String::new());
    // The page's frame changes only between loading, failed and shown; within
    // "shown", each part follows `current` by itself.
    let phase = Memo::new(move |_| {
        ticket.with(|t| match t {
            None => Phase::Loading,
            Some(Err(_)) => Phase::Failed,
            Some(Ok(_)) => Phase::Shown,
        })
    });
    let current =
        Memo::new(move |_| ticket.with(|t| t.as_ref().and_then(|r| r.as_ref().ok()).cloned()));

    // The newest event of the ticket as first read: the live stream sends what came
    // after it.
    let first_read = RwSignal::new(None::<i64>);
    // Until then the stream cannot open: a first read that failed for a passing
    // reason is tried again every few seconds.
    let failed_first_reads = RwSignal::new(0u32);
    let load = move || {
        let number = number.get_value();
        leptos::task::spawn_local(async move {
            let result = api::staff_ticket(&number).await;
            if first_read.try_get_untracked() == Some(None) {
                match &result {
                    Ok(view) => first_read.set(Some(view.newest_event_id())),
                    Err(error) if error.passing() => {
                        failed_first_reads.try_update(|n| *n += 1);
                    }
                    Err(_) => {}
                }
            }
            show_refreshed(ticket, result);
        });
    };
    load();
    Effect::new(move |_| {
        if failed_first_reads.get() > 0 {
            set_timeout(load, crate::live::RETRY);
        }
    });

    use_event_source(
        move || {
            first_read
                .get()
                .map(|after| api::staff_ticket_events_url(&number.get_value(), after))
        },
        move |_| load(),
    );

    let act = Action::new_local(move |m: &Move| {
        let m = m.clone();
        let number = number.get_value();
        async move {
            match m {
                Move::Assign(who) => api::staff_assign(&number, who).await,
                Move::Priority(p) => api::staff_set_priority(&number, p).await,
                Move::Status(status, summary) => {
                    api::staff_set_status(&number, &StatusChangeRequest { status, summary }).await
                }
                Move::Tier(tier, reason) => {
                    api::staff_set_tier(&number, &TierChangeRequest { tier, reason }).await
                }
                Move::Incident(incident) => api::staff_link_incident(&number, incident).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(view)) = act.value().get() {
            announcement.set(t_string!(i18n, staff_ticket_saved).to_string());
            ticket.set(Some(Ok(view)));
        }
    });

    let me = move || session.member.get_untracked().map(|m| m.id);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if typing(&ev) {
            return;
        }
        match ev.key().as_str() {
            "a" => {
                let open = ticket.with_untracked(|t| {
                    matches!(t, Some(Ok(v)) if v.status.is_open() && v.assignee.as_ref().map(|a| a.id) != me())
                });
                if open && let Some(id) = me() {
                    ev.prevent_default();
                    act.dispatch(Move::Assign(Some(id)));
                }
            }
            "r" => {
                ev.prevent_default();
                composer.focus();
            }
            key @ ("n" | "p") => {
                let step = if key == "n" { 1 } else { -1 };
                if let Some(other) = neighbour(&number.get_value(), step) {
                    ev.prevent_default();
                    navigate
                        .with_value(|n| n(&format!("/staff/tickets/{other}"), Default::default()));
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <p class="visually-hidden" role="status" aria-live="polite">
            {move || announcement.get()}
        </p>
        <p class="breadcrumbs">
            <a href="/staff/tickets">{say!(i18n, queue_back)}</a>
        </p>
        {move || match phase.get() {
            Phase::Loading => view! { <Loading /> }.into_any(),
            Phase::Failed => {
                match ticket.get_untracked() {
                    Some(Err(error)) => {
                        view! { <ErrorPanel error on_retry=move || load() /> }.into_any()
                    }
                    _ => ().into_any(),
                }
            }
            Phase::Shown => {
                view! {
                    <LoadedTicket
                        current
                        act
                        composer
                        on_sent=Callback::new(move |v: TicketView| ticket.set(Some(Ok(v))))
                    />
                }
                    .into_any()
            }
        }}
    }
}

/// The page once the ticket is loaded: the record, the reply box and the moves. Only
/// the parts that show the ticket are redrawn when it changes; the reply box and the
/// reason form are built once, so neither text nor focus is lost to a colleague's
/// update.
#[component]
fn LoadedTicket(
    current: Memo<Option<TicketView>>,
    act: Action<Move, Result<TicketView, ApiError>>,
    composer: Composer,
    on_sent: Callback<TicketView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (number, requester) = current
        .with_untracked(|v| {
            v.as_ref()
                .map(|v| (v.number.to_string(), v.requester_name.clone()))
        })
        .unwrap_or_default();
    let form = RwSignal::new(None::<&'static str>);
    page_title(move || {
        current.with(|v| {
            v.as_ref()
                .map(|v| format!("{} {}", v.number, v.subject))
                .unwrap_or_default()
        })
    });
    let text = RwSignal::new(String::new());
    let closed =
        move || current.with(|v| v.as_ref().is_some_and(|v| v.status == TicketStatus::Closed));
    view! {
        {move || {
            current
                .get()
                .map(|view| {
                    view! {
                        <header class="page-header ticket-header">
                            <p class="ticket-number">{view.number.to_string()}</p>
                            <h1>{view.subject.clone()}</h1>
                        </header>
                    }
                })
        }}
        <div class="work-layout">
            <div class="work-main">
                {move || current.get().map(|view| view! { <TicketRecord view /> })}
                <Show when=move || !closed()>
                    <ReplyBox number=number.clone() requester=requester.clone() composer on_sent />
                </Show>
            </div>
            <aside class="work-side" aria-label=move || t_string!(i18n, staff_ticket_actions)>
                {move || {
                    current
                        .get()
                        .map(|view| {
                            let resolved = view
                                .events
                                .iter()
                                .any(|e| {
                                    matches!(
                                        &e.change,
                                        selfdesk_shared::tickets::TicketChange::Status {
                                            to: TicketStatus::Resolved,
                                            summary: Some(_),
                                            ..
                                        }
                                    )
                                });
                            let kb_link = format!("/staff/kb/new?from={}", view.number);
                            view! {
                                <Moves view act form />
                                {resolved
                                    .then(|| {
                                        view! {
                                            <p>
                                                <a class="button" href=kb_link>
                                                    {say!(i18n, staff_kb_from_ticket)}
                                                </a>
                                            </p>
                                        }
                                    })}
                            }
                        })
                }}
                <MoveForm current act form text />
            </aside>
        </div>
    }
}

#[component]
fn TicketRecord(view: TicketView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = current_language(i18n);
    let now = unix_now();
    // A met deadline says when; a running one how long is left.
    let deadline = |standing: SlaStanding| match standing {
        SlaStanding::Met { .. } => sla_text(i18n, standing),
        _ => sla_countdown(i18n, standing, now),
    };
    let (first_text, first_class) = deadline(view.sla.first_response);
    let (resolution_text, resolution_class) = deadline(view.sla.resolution);
    let number = view.number.clone();
    let file_url = {
        let number = number.clone();
        Callback::new(move |id: String| api::staff_attachment_url(&number, &id))
    };
    let description = view.description.clone();
    let description_html = view.description_html.clone();
    view! {
        <dl class="facts ticket-facts">
            <div>
                <dt>{say!(i18n, ticket_first_response)}</dt>
                <dd>
                    <span class=format!("sla-badge {first_class}")>{first_text}</span>
                </dd>
            </div>
            <div>
                <dt>{say!(i18n, ticket_resolution)}</dt>
                <dd>
                    <span class=format!("sla-badge {resolution_class}")>{resolution_text}</span>
                </dd>
            </div>
            <div>
                <dt>{say!(i18n, queue_col_requester)}</dt>
                <dd>
                    {view.requester_name.clone()}
                    {view
                        .requester_email
                        .clone()
                        .map(|e| {
                            view! {
                                " · "
                                <a href=format!("mailto:{e}")>{e.clone()}</a>
                            }
                        })}
                </dd>
            </div>
            <div>
                <dt>{say!(i18n, field_category)}</dt>
                <dd>{view.category.name.clone()}</dd>
            </div>
            {category_answers(&view)}
            <div>
                <dt>{say!(i18n, ticket_filed_at)}</dt>
                <dd>{date_time(view.created_at, lang)}</dd>
            </div>
            <div>
                <dt>{say!(i18n, staff_ticket_language)}</dt>
                <dd>{view.language.native_name()}</dd>
            </div>
        </dl>
        <section class="ticket-description" aria-labelledby="description-title">
            <h2 id="description-title">{say!(i18n, ticket_description)}</h2>
            <crate::components::rendered_text::RenderedText
                html=Some(description_html)
                text=description
            />
        </section>
        {view
            .transcript
            .clone()
            .map(|transcript| {
                let in_english = transcript.language == selfdesk_shared::language::Language::En;
                // In English already, the requester's words are not repeated: a
                // check's English answer says who gave it, which their words do not.
                view! {
                    <section aria-labelledby="transcript-title">
                        <h2 id="transcript-title">{say!(i18n, staff_transcript_title)}</h2>
                        <ol class="transcript">
                            {transcript
                                .steps
                                .into_iter()
                                .map(|s| {
                                    let translated = !in_english
                                        && (s.question_en != s.question || s.answer_en != s.answer);
                                    view! {
                                        <li>
                                            <span class="transcript-q">{s.question_en.clone()}</span>
                                            " "
                                            <strong>{s.answer_en.clone()}</strong>
                                            {translated
                                                .then(|| {
                                                    view! {
                                                        <span class="hint">" ("{s.question}" "{s.answer}")"</span>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })}
        {browser_findings(i18n, view.transcript.as_ref())}
        {search_words(i18n, view.search_words.clone(), view.language)}
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{say!(i18n, ticket_timeline)}</h2>
            <ol class="timeline">
                {view
                    .events
                    .clone()
                    .into_iter()
                    .map(|event| view! { <TimelineEntry event file_url /> })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// What the requester searched for before filing, each search a link to start the
/// article it would have found (the words are the requester's: text only).
fn search_words(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    words: Vec<String>,
    lang: selfdesk_shared::language::Language,
) -> Option<impl IntoView> {
    if words.is_empty() {
        return None;
    }
    let code = lang.code();
    let chips = words
        .into_iter()
        .map(|word| {
            let href = format!(
                "/staff/kb/new?title={}&lang={code}",
                js_sys::encode_uri_component(&word)
            );
            let write = fill(t_string!(i18n, search_gaps_write_about), &word);
            view! {
                <li>
                    <a class="chip" href=href lang=code title=write>
                        {word}
                    </a>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <div class="search-words" role="group" aria-labelledby="search-words-label">
            <span id="search-words-label">{say!(i18n, staff_searched_before_filing)}</span>
            <ul>{chips}</ul>
        </div>
    })
}

/// The side panel: who works it, how urgent it is, where it stands, which tier.
#[component]
fn Moves(
    view: TicketView,
    act: Action<Move, Result<TicketView, ApiError>>,
    /// Which reason form is open: resolve, escalate or send back (see `MoveForm`).
    form: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let member = session.member.get_untracked();
    let role = member.as_ref().map(|m| m.role);
    let my_id = member.as_ref().map(|m| m.id);
    let tier = view.tier;
    let status = view.status;
    let can_work = role.is_some_and(|r| may_work(r, tier));
    let open = status.is_open();
    let assignees =
        Fetch::new(|| async { api::assignees().await.map(|l| l.staff).unwrap_or_default() });
    let assigned = view.assignee.as_ref().map(|a| a.id);
    let linked = view.incident.as_ref().map(|i| i.id);
    let linked_title = StoredValue::new(view.incident.as_ref().map(|i| i.title.clone()));
    let incidents = Fetch::new(|| async {
        api::staff_incidents()
            .await
            .map(|l| {
                l.incidents
                    .into_iter()
                    .filter(|i| i.open)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let error = move || match act.value().get() {
        Some(Err(error)) => Some(error),
        _ => None,
    };
    let pending = act.pending();
    view! {
        <section class="panel work-panel" aria-labelledby="moves-title">
            <h2 id="moves-title" class="visually-hidden">
                {say!(i18n, staff_ticket_actions)}
            </h2>
            <dl class="facts">
                <div>
                    <dt>{say!(i18n, ticket_status)}</dt>
                    <dd>
                        <span class="badge">{status_label(i18n, status)}</span>
                    </dd>
                </div>
                <div>
                    <dt>{say!(i18n, queue_tier)}</dt>
                    <dd>{tier_label(i18n, tier)}</dd>
                </div>
            </dl>
            {move || {
                error()
                    .map(|error| {
                        view! {
                            <p class="error-message" role="alert">
                                <ErrorText error />
                            </p>
                        }
                    })
            }}
            <Field id="assignee" label=move || t_string!(i18n, queue_assignee) let:c>
                <select
                    id=c.id.clone()
                    disabled=!(open && can_work)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        act.dispatch(Move::Assign(value.parse().ok()));
                    }
                >
                    <option value="" selected=assigned.is_none()>
                        {say!(i18n, queue_nobody)}
                    </option>
                    {move || {
                        let mut list = assignees.get().unwrap_or_default();
                        list.retain(|a| a.tier >= tier || Some(a.id) == assigned);
                        list.into_iter()
                            .map(|a| {
                                view! {
                                    <option value=a.id.to_string() selected=Some(a.id) == assigned>
                                        {a.display_name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
                {(open && can_work && assigned != my_id)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-small"
                                disabled=move || pending.get()
                                on:click=move |_| {
                                    if let Some(id) = my_id {
                                        act.dispatch(Move::Assign(Some(id)));
                                    }
                                }
                            >
                                {say!(i18n, staff_assign_me)}
                                <kbd class="shortcut">"a"</kbd>
                            </button>
                        }
                    })}
            </Field>
            <Field id="priority" label=move || t_string!(i18n, ticket_priority) let:c>
                <select
                    id=c.id.clone()
                    disabled=!(open && can_work)
                    on:change=move |ev| {
                        if let Some(p) = Priority::parse(&event_target_value(&ev)) {
                            act.dispatch(Move::Priority(p));
                        }
                    }
                >
                    {Priority::ALL
                        .into_iter()
                        .map(|p| {
                            view! {
                                <option value=p.as_str() selected=p == view.priority>
                                    {priority_label(i18n, p)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field id="incident" label=move || t_string!(i18n, staff_incident) let:c>
                <select
                    id=c.id.clone()
                    disabled=!open
                    on:change=move |ev| {
                        act.dispatch(Move::Incident(event_target_value(&ev).parse().ok()));
                    }
                >
                    <option value="" selected=linked.is_none()>
                        {say!(i18n, staff_incident_none)}
                    </option>
                    {move || {
                        let mut choices: Vec<(i64, String)> = incidents
                            .get()
                            .unwrap_or_default()
                            .into_iter()
                            .map(|i| (i.id, i.title))
                            .collect();
                        if let (Some(id), Some(title)) = (linked, linked_title.get_value())
                            && !choices.iter().any(|(c, _)| *c == id)
                        {
                            choices.insert(0, (id, title));
                        }
                        choices
                            .into_iter()
                            .map(|(id, title)| {
                                // A closed incident stays named while the ticket points at it.
                                view! {
                                    <option value=id.to_string() selected=Some(id) == linked>
                                        {title}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </Field>
            <div class="button-row">
                {(can_work && status.staff_can_change_to(TicketStatus::InProgress))
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                disabled=move || pending.get()
                                on:click=move |_| {
                                    act.dispatch(Move::Status(TicketStatus::InProgress, None));
                                }
                            >
                                {if status == TicketStatus::Resolved {
                                    t_string!(i18n, staff_reopen)
                                } else {
                                    t_string!(i18n, staff_start_work)
                                }}
                            </button>
                        }
                    })}
                {(can_work && status.staff_can_change_to(TicketStatus::WaitingForRequester))
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                disabled=move || pending.get()
                                on:click=move |_| {
                                    act.dispatch(
                                        Move::Status(TicketStatus::WaitingForRequester, None),
                                    );
                                }
                            >
                                {say!(i18n, staff_wait_for_requester)}
                            </button>
                        }
                    })}
                {(can_work && status.staff_can_change_to(TicketStatus::Resolved))
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-primary"
                                aria-expanded=move || (form.get() == Some("resolve")).to_string()
                                on:click=move |_| form.set(Some("resolve"))
                            >
                                {say!(i18n, staff_resolve)}
                            </button>
                        }
                    })}
                {tier
                    .up()
                    .filter(|_| open)
                    .map(|up| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                aria-expanded=move || (form.get() == Some("escalate")).to_string()
                                on:click=move |_| form.set(Some("escalate"))
                            >
                                {tier_label(i18n, up)}
                                " ↑"
                            </button>
                        }
                    })}
                {tier
                    .down()
                    .filter(|_| open && can_work)
                    .map(|down| {
                        view! {
                            <button
                                type="button"
                                class="button button-quiet"
                                aria-expanded=move || (form.get() == Some("back")).to_string()
                                on:click=move |_| form.set(Some("back"))
                            >
                                {tier_label(i18n, down)}
                                " ↓"
                            </button>
                        }
                    })}
            </div>
        </section>
    }
}

/// The reason for a move (resolution summary, escalation or de-escalation reason).
/// Rendered once for the page, outside the parts a live update redraws, so what is
/// typed here keeps its text and its focus while colleagues work on the ticket.
#[component]
fn MoveForm(
    current: Memo<Option<TicketView>>,
    act: Action<Move, Result<TicketView, ApiError>>,
    form: RwSignal<Option<&'static str>>,
    text: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = act.pending();
    // A refused reason or summary, said under the text box.
    let refused = Signal::derive(move || {
        act.value().with(|v| match v {
            // Only a refusal of what this form sends: an earlier refused assignment or
            // link is the work panel's to show.
            Some(Err(error)) => error
                .field()
                .filter(|f| ["summary", "reason", "tier"].contains(f))
                .map(|f| ticket_field_message(i18n, f, None)),
            _ => None,
        })
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = act.value().get() {
            form.set(None);
            text.set(String::new());
        }
    });
    let submit_form = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = text.get_untracked();
        let Some(tier) = current.with_untracked(|v| v.as_ref().map(|v| v.tier)) else {
            return;
        };
        match form.get_untracked() {
            Some("resolve") => act.dispatch(Move::Status(TicketStatus::Resolved, Some(reason))),
            // The number asked for, even past the ends: the server says why not.
            Some("escalate") => act.dispatch(Move::Tier(tier.get() + 1, reason)),
            Some("back") => act.dispatch(Move::Tier(tier.get().saturating_sub(1), reason)),
            _ => return,
        };
    };
    view! {
        {move || {
            form.get()
                .map(|which| {
                    let label = match which {
                        "resolve" => t_string!(i18n, staff_resolution_summary),
                        "escalate" => t_string!(i18n, staff_escalate_reason),
                        _ => t_string!(i18n, staff_back_reason),
                    };
                    let hint = match which {
                        "resolve" => t_string!(i18n, staff_resolution_hint),
                        _ => t_string!(i18n, staff_reason_hint),
                    };
                    view! {
                        <form class="form move-form" novalidate on:submit=submit_form>
                            <Field
                                id="move-text"
                                live=true
                                label=label
                                hint=hint
                                error=refused
                                let:c
                            >
                                <textarea
                                    id=c.id.clone()
                                    rows="3"
                                    maxlength="2000"
                                    required
                                    aria-invalid=c.invalid()
                                    aria-describedby=c.described_by()
                                    prop:value=text
                                    on:input=move |ev| text.set(event_target_value(&ev))
                                    node_ref={
                                        let area = NodeRef::<leptos::html::Textarea>::new();
                                        area.on_load(|el| {
                                            let _ = el.focus();
                                        });
                                        area
                                    }
                                ></textarea>
                            </Field>
                            <SubmitButton
                                label=move || t_string!(i18n, staff_confirm_move)
                                busy_label=move || t_string!(i18n, saving)
                                busy=pending
                            />
                            " "
                            <button
                                type="button"
                                class="button button-quiet"
                                on:click=move |_| form.set(None)
                            >
                                {say!(i18n, cancel)}
                            </button>
                        </form>
                    }
                })
        }}
    }
}

/// "What the browser found": every check's findings in one compact list, so the
/// usual first questions are answered at a glance. In English, with the requester's
/// words beside them when they read another language, like the transcript.
fn browser_findings(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    transcript: Option<&selfdesk_shared::tickets::DiagnosticTranscript>,
) -> Option<impl IntoView + use<>> {
    let transcript = transcript?;
    let in_english = transcript.language == selfdesk_shared::language::Language::En;
    let findings: Vec<_> = transcript
        .steps
        .iter()
        .flat_map(|s| s.findings.iter().cloned())
        .collect();
    (!findings.is_empty()).then(|| {
        view! {
            <section class="browser-findings" aria-labelledby="findings-title">
                <h2 id="findings-title">{say!(i18n, walk_check_details)}</h2>
                <dl class="facts check-findings">
                    {findings
                        .into_iter()
                        .map(|f| {
                            let translated = !in_english
                                && (f.label != f.label_en || f.value != f.value_en);
                            view! {
                                <dt>{f.label_en}</dt>
                                <dd>
                                    {f.value_en}
                                    {translated
                                        .then(|| {
                                            view! {
                                                <span class="hint">" ("{f.label}": "{f.value}")"</span>
                                            }
                                        })}
                                </dd>
                            }
                        })
                        .collect_view()}
                </dl>
            </section>
        }
    })
}
