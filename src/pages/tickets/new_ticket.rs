//! Filing a ticket. What the user types is kept in this browser as they type
//! (`requester_storage`), so a reload or a lost connection loses nothing; a submit
//! that gets no answer waits in this browser's outbox and is sent again by itself with
//! the same idempotency key, so the server files it once (`sending`). While the subject is typed, matching help articles appear beside the
//! form: many problems end there.

mod fields;
mod notes;
mod sending;
mod suggestions;

use crate::router::use_query_map;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::incidents::MeToo;
use selfdesk_shared::tickets::{Impact, TicketCategory, Urgency};

use self::fields::{AboutProblem, AboutYou};
use self::notes::{RestoredNote, TranscriptNote};
use self::sending::{SendFailure, Sending, WaitingNote};
use self::suggestions::Suggestions;
use super::already_reported::AlreadyReportedPanel;
use crate::api;
use crate::components::form::{Problem, Problems, SubmitButton};
use crate::components::language::reading_language;
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::components::status::{ErrorText, Loading};
use crate::components::ticket_words::ticket_field_message;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::requester_storage::{self as stored, KeptTicket, Requester, TicketDraft};

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, new_ticket_title).to_owned());
    // The language is read (tracked) before the future, so a change of it asks again.
    let categories = Fetch::new(move || {
        let language = reading_language(i18n);
        async move { api::ticket_categories(language).await }
    });
    // The latest list read. The form is built with the first, and then only the
    // category names (and the chosen category's own questions) follow the language:
    // it keeps what is on screen (errors, a dismissed note), and a list the network
    // cannot give in the new language (offline, not saved) leaves the one shown.
    let listed = RwSignal::new(None::<Vec<TicketCategory>>);
    Effect::new(move |_| {
        if let Some(Ok(list)) = categories.get() {
            listed.set(Some(list.categories));
        }
    });
    let ready = Memo::new(move |_| listed.with(Option::is_some));
    view! {
        <PageHeader
            title=say!(i18n, new_ticket_title).into_any()
            lead=say!(i18n, new_ticket_lead).into_any()
        />
        // Once ready, the list is no longer read here, so a new one does not rebuild
        // the form.
        {move || {
            if ready.get() {
                let categories = Signal::derive(move || listed.get().unwrap_or_default());
                return view! { <TicketForm categories /> }.into_any();
            }
            match categories.get() {
                None | Some(Ok(_)) => view! { <Loading /> }.into_any(),
                Some(Err(error)) => {
                    view! {
                        <div class="panel panel-error" role="alert">
                            <p>
                                <ErrorText error />
                            </p>
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| categories.refetch()
                            >
                                {say!(i18n, retry)}
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }
        }}
    }
}

/// The draft to start from: the one kept in this browser, else a new one with the
/// requester's remembered name and email; then what the link asks for
/// (`?category=&impact=&urgency=&subject=`, e.g. from a diagnosis or an article).
fn starting_draft(query: &crate::router::ParamsMap) -> (TicketDraft, bool) {
    let kept = stored::load_draft();
    // Coming from a diagnosis, the draft was just filled in by it, not restored; a
    // ticket waiting to be sent says so itself.
    let restored = kept.as_ref().is_some_and(|d| d.has_content() && !d.waiting)
        && query.get("from").as_deref() != Some("diagnosis");
    let mut draft = kept.unwrap_or_default();
    if draft.name.is_empty()
        && draft.email.is_empty()
        && let Some(requester) = stored::load_requester()
    {
        draft.name = requester.name;
        draft.email = requester.email;
    }
    // A ticket waiting to be sent goes as it was submitted: a link does not change it.
    if draft.waiting {
        return (draft, false);
    }
    if let Some(category) = query.get("category") {
        draft.category = category;
    }
    if let Some(impact) = query.get("impact").and_then(|v| Impact::parse(&v)) {
        draft.impact = Some(impact);
    }
    if let Some(urgency) = query.get("urgency").and_then(|v| Urgency::parse(&v)) {
        draft.urgency = Some(urgency);
    }
    if let Some(subject) = query
        .get("subject")
        .filter(|s| draft.subject.is_empty() || !s.is_empty())
    {
        draft.subject = subject;
    }
    (draft, restored)
}

#[component]
fn TicketForm(categories: Signal<Vec<TicketCategory>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (initial, restored) = starting_draft(&query.get_untracked());
    let restored_at = initial.saved_at;
    let draft = RwSignal::new(initial);
    let problems = Problems::new();

    // Every change is written to this browser at once.
    Effect::new(move |_| {
        let mut current = draft.get();
        current.saved_at = js_sys::Date::now();
        stored::save_draft(&current);
    });

    let category = Memo::new(move |_| {
        let slug = draft.with(|d| d.category.clone());
        categories.with(|all| all.iter().find(|c| c.slug == slug).cloned())
    });
    let sending = Sending::new(draft, problems, category);
    let text = move |pick: fn(&TicketDraft) -> &String| {
        Signal::from(Memo::new(move |_| draft.with(|d| pick(d).clone())))
    };

    view! {
        <div class="ticket-layout">
            <div class="ticket-form-column">
                <RestoredNote draft restored restored_at />
                <TranscriptNote draft />
                <WaitingNote sending />
                <SendFailure sending />
                <form
                    id="ticket-form"
                    class="form"
                    on:submit=move |ev| sending.submit(ev)
                    novalidate
                >
                    // Locked while the ticket waits: it is sent as it was submitted.
                    <fieldset class="form-lock" disabled=move || draft.with(|d| d.waiting)>
                        <AboutYou draft problems />
                        <AboutProblem draft problems categories category />
                        <AlreadyReportedPanel
                            category=text(|d| &d.category)
                            subject=text(|d| &d.subject)
                            who=Signal::derive(move || {
                                draft
                                    .with(|d| MeToo {
                                        name: d.name.clone(),
                                        email: d.email.clone(),
                                    })
                            })
                            on_joined=Callback::new(move |_| joined_elsewhere(draft))
                        />
                    </fieldset>
                    <SubmitButton
                        label=move || t_string!(i18n, ticket_send)
                        busy_label=move || t_string!(i18n, ticket_sending)
                        busy=sending.action.pending()
                    />
                    <p class="hint">{say!(i18n, ticket_kept_hint)}</p>
                </form>
            </div>
            <Suggestions subject=text(|d| &d.subject) />
        </div>
    }
}

/// Filed: the requester's name and email are remembered for the next ticket, the
/// ticket joins "My tickets", and the draft is done with.
fn remember_filed(d: &TicketDraft, created: &crate::api::TicketFiled) {
    stored::save_requester(&Requester {
        name: d.name.trim().to_owned(),
        email: d.email.trim().to_owned(),
    });
    stored::keep_ticket(KeptTicket {
        number: created.number.to_string(),
        subject: created.ticket.subject.clone(),
        token: created.access_token.clone(),
        created_at: created.ticket.created_at,
    });
    stored::clear_draft();
}

/// "Me too" on a known incident instead: no ticket is needed, the name and email stay
/// for next time, and the page is left for "My tickets".
fn joined_elsewhere(draft: RwSignal<TicketDraft>) {
    let kept = draft.get_untracked();
    let cleared = TicketDraft {
        name: kept.name,
        email: kept.email,
        ..Default::default()
    };
    // Saved now: the page is left at once.
    stored::save_draft(&cleared);
    draft.set(cleared);
    let _ = window().location().assign("/tickets");
}

/// The control a field of the form (or of the server's refusal) is shown at:
/// `fields.asset_tag` → `ticket-fields-asset_tag`; `None` for what the form has no
/// control for (the transcript, the language): the summary says those itself.
fn control_id(field: &str) -> Option<String> {
    (!matches!(field, "transcript" | "language" | "self_service_session"))
        .then(|| format!("ticket-{}", field.replace('.', "-")))
}

/// The message shown at the control for `field` (a name the shared rules and the
/// server use).
fn error_at(problems: Problems, field: &str) -> Signal<Option<String>> {
    problems.at(control_id(field).unwrap_or_default())
}

/// A refusal of `field` in the reader's words, at its control; `None` for a field the
/// form has no control for.
fn problem(
    i18n: leptos_i18n::I18nContext<Locale>,
    field: &str,
    category: Option<&TicketCategory>,
) -> Option<Problem> {
    Some(Problem::new(
        control_id(field)?,
        ticket_field_message(i18n, field, category),
    ))
}
