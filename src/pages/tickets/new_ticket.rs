//! Filing a ticket. What the user types is kept in this browser as they type
//! (`requester_storage`), so a reload or a lost connection loses nothing; a submit
//! that fails on the network is retried with the same idempotency key, so the server
//! files it once. While the subject is typed, matching help articles appear beside the
//! form: many problems end there.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use selfdesk_shared::incidents::MeToo;
use selfdesk_shared::self_service::{SelfServiceEvent, SelfServiceKind};
use selfdesk_shared::tickets::{
    Impact, NewTicket, TicketCategory, Urgency, check_new_ticket, priority,
};

use super::already_reported::AlreadyReportedPanel;
use crate::api::{self, ApiError};
use crate::components::attachment_picker::AttachmentPicker;
use crate::components::dates::date_time;
use crate::components::debounced::debounced_request;
use crate::components::form::{ChoiceField, ErrorSummary, Field, Problem, Problems, SubmitButton};
use crate::components::kb_search::snippet;
use crate::components::language::current_language;
use crate::components::layout::PageHeader;
use crate::components::markdown_text::MarkdownText;
use crate::components::page_title::page_title;
use crate::components::status::{ErrorText, Loading};
use crate::components::ticket_words::{
    impact_label, priority_label, ticket_field_message, urgency_label,
};
use crate::i18n::{t, t_string, use_i18n};
use crate::requester_storage::{self as stored, KeptTicket, Requester, TicketDraft};
use crate::text::fill;

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, new_ticket_title).to_owned());
    let categories =
        LocalResource::new(
            move || async move { api::ticket_categories(current_language(i18n)).await },
        );
    view! {
        <PageHeader title=t!(i18n, new_ticket_title).into_any() lead=t!(i18n, new_ticket_lead).into_any() />
        {move || match categories.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(error)) => view! {
                <div class="panel panel-error" role="alert">
                    <p><ErrorText error /></p>
                    <button type="button" class="button" on:click=move |_| categories.refetch()>{t!(i18n, retry)}</button>
                </div>
            }.into_any(),
            Some(Ok(list)) => view! { <TicketForm categories=list.categories /> }.into_any(),
        }}
    }
}

/// The draft to start from: the one kept in this browser, else a new one with the
/// requester's remembered name and email; then what the link asks for
/// (`?category=&impact=&urgency=&subject=`, e.g. from a diagnosis or an article).
fn starting_draft(query: &leptos_router::params::ParamsMap) -> (TicketDraft, bool) {
    let kept = stored::load_draft();
    // Coming from a diagnosis, the draft was just filled in by it, not restored.
    let restored = kept.as_ref().is_some_and(TicketDraft::has_content)
        && query.get("from").as_deref() != Some("diagnosis");
    let mut draft = kept.unwrap_or_default();
    if draft.name.is_empty()
        && draft.email.is_empty()
        && let Some(requester) = stored::load_requester()
    {
        draft.name = requester.name;
        draft.email = requester.email;
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

/// Why the last submit did not file the ticket.
#[derive(Clone, PartialEq)]
enum Failure {
    /// No answer: the ticket is kept here and may be sent again safely.
    Network,
    Server(ApiError),
}

#[component]
fn TicketForm(categories: Vec<TicketCategory>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let (initial, restored) = starting_draft(&query.get_untracked());
    let restored_at = initial.saved_at;
    let draft = RwSignal::new(initial);
    let show_restored = RwSignal::new(restored);
    let problems = Problems::new();
    let failure = RwSignal::new(None::<Failure>);
    let preview = RwSignal::new(false);
    let categories = StoredValue::new(categories);

    // Every change is written to this browser at once.
    Effect::new(move |_| {
        let mut current = draft.get();
        current.saved_at = js_sys::Date::now();
        stored::save_draft(&current);
    });

    let category = move || {
        let slug = draft.with(|d| d.category.clone());
        categories.with_value(|all| all.iter().find(|c| c.slug == slug).cloned())
    };
    let error_for = move |field: &str| problems.at(control_id(field).unwrap_or_default());
    let problem = move |field: &str| {
        Some(Problem::new(
            control_id(field)?,
            ticket_field_message(i18n, field, category().as_ref()),
        ))
    };

    let submit = Action::new_local(move |(key, ticket): &(String, NewTicket)| {
        let key = key.clone();
        let ticket = ticket.clone();
        async move { api::file_ticket(&key, &ticket).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(created)) => {
            let d = draft.get_untracked();
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
            navigate(
                &format!("/tickets/{}?filed=1", created.number),
                Default::default(),
            );
        }
        Some(Err(ApiError::Network)) => failure.set(Some(Failure::Network)),
        Some(Err(error)) => {
            if let Some(field) = error.field() {
                problems.show(problem(field).into_iter().collect());
            }
            failure.set(Some(Failure::Server(error)));
        }
        None => {}
    });
    let summary_failure = Signal::derive(move || match failure.get() {
        Some(Failure::Network) => Some(ApiError::Network),
        Some(Failure::Server(error)) => Some(error),
        None => None,
    });
    let not_sent = move || failure.read().as_ref() == Some(&Failure::Network);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let d = draft.get_untracked();
        let ticket = NewTicket {
            name: d.name.trim().to_owned(),
            email: d.email.trim().to_owned(),
            category: d.category.clone(),
            subject: d.subject.trim().to_owned(),
            description: d.description.trim().to_owned(),
            impact: d.impact.unwrap_or(Impact::Me),
            urgency: d.urgency.unwrap_or(Urgency::Slowed),
            fields: d.fields.clone(),
            transcript: d.transcript.clone(),
            attachments: d.attachments.iter().map(|a| a.id.clone()).collect(),
            language: current_language(i18n),
            self_service_session: Some(stored::self_service_session()),
        };
        let mut found: Vec<Problem> = check_new_ticket(&ticket, category().as_ref())
            .into_iter()
            .filter_map(|e| problem(&e.field))
            .collect();
        // Impact and urgency have no default the user did not choose.
        if d.impact.is_none() {
            found.extend(problem("impact"));
        }
        if d.urgency.is_none() {
            found.extend(problem("urgency"));
        }
        if !problems.show(found) {
            return;
        }
        // One key per submission, kept with the draft: a retry after a lost answer
        // sends the same key, and the server returns the ticket already filed.
        let key = match d.idempotency_key {
            Some(key) => key,
            None => {
                let key = stored::new_idempotency_key();
                draft.update(|d| d.idempotency_key = Some(key.clone()));
                key
            }
        };
        submit.dispatch((key, ticket));
    };

    view! {
        <div class="ticket-layout">
            <div class="ticket-form-column">
                <Show when=move || show_restored.get()>
                    <div class="panel panel-info" role="status">
                        <p>{move || fill(t_string!(i18n, ticket_draft_restored), date_time((restored_at / 1000.0) as i64, current_language(i18n)))}</p>
                        <button type="button" class="button" on:click=move |_| {
                            let kept = draft.get_untracked();
                            draft.set(TicketDraft { name: kept.name, email: kept.email, ..Default::default() });
                            show_restored.set(false);
                        }>{t!(i18n, ticket_draft_discard)}</button>
                    </div>
                </Show>
                <Show when=move || draft.with(|d| d.transcript.is_some())>
                    <div class="panel panel-info">
                        <p>{t!(i18n, ticket_has_transcript)}</p>
                        <ol class="transcript">
                            {move || draft.with(|d| d.transcript.clone()).map(|tr| tr.steps.into_iter().map(|s| view! {
                                <li><span class="transcript-q">{s.question}</span>" "<strong>{s.answer}</strong></li>
                            }).collect_view())}
                        </ol>
                    </div>
                </Show>
                <ErrorSummary problems failure=summary_failure
                    title=move || if not_sent() { t_string!(i18n, ticket_not_sent_title) } else { t_string!(i18n, error_summary_title) }>
                    <Show when=not_sent>
                        <p>{t!(i18n, ticket_not_sent_kept)}</p>
                        <button type="submit" form="ticket-form" class="button button-primary">{t!(i18n, ticket_send_again)}</button>
                    </Show>
                </ErrorSummary>
                <form id="ticket-form" class="form" on:submit=on_submit novalidate>
                    <fieldset class="fieldset">
                        <legend>{t!(i18n, ticket_about_you)}</legend>
                        <Field id="ticket-name" label=move || t_string!(i18n, ticket_name) error=error_for("name") let:c>
                            <input id=c.id.clone() type="text" autocomplete="name" aria-invalid=c.invalid() aria-describedby=c.described_by()
                                prop:value=move || draft.with(|d| d.name.clone())
                                on:input=move |ev| draft.update(|d| d.name = event_target_value(&ev)) />
                        </Field>
                        <Field id="ticket-email" label=move || t_string!(i18n, email_label) hint=move || t_string!(i18n, ticket_email_hint) error=error_for("email") let:c>
                            <input id=c.id.clone() type="email" autocomplete="email" spellcheck="false" aria-invalid=c.invalid() aria-describedby=c.described_by()
                                prop:value=move || draft.with(|d| d.email.clone())
                                on:input=move |ev| draft.update(|d| d.email = event_target_value(&ev)) />
                        </Field>
                    </fieldset>
                    <fieldset class="fieldset">
                        <legend>{t!(i18n, ticket_about_problem)}</legend>
                        <Field id="ticket-category" label=move || t_string!(i18n, field_category) error=error_for("category") let:c>
                            <select id=c.id.clone() aria-invalid=c.invalid() aria-describedby=c.described_by()
                                on:change=move |ev| draft.update(|d| d.category = event_target_value(&ev))>
                                <option value="">{t!(i18n, field_choose)}</option>
                                {categories.with_value(|all| all.iter().map(|c| {
                                    let slug = c.slug.clone();
                                    let selected = draft.with_untracked(|d| d.category == slug);
                                    view! { <option value=c.slug.clone() selected=selected>{c.name.clone()}</option> }
                                }).collect_view())}
                            </select>
                        </Field>
                        {move || category().map(|c| c.fields.into_iter().map(|f| {
                            let key = f.key.clone();
                            view! {
                                <Field id=control_id(&format!("fields.{}", f.key)).unwrap_or_default() label=f.label.clone() hint=f.hint.clone() error=error_for(&format!("fields.{}", f.key)) let:c>
                                    <input id=c.id.clone() type="text" autocomplete="off" aria-invalid=c.invalid() aria-describedby=c.described_by()
                                        prop:value={ let key = key.clone(); move || draft.with(|d| d.fields.get(&key).cloned().unwrap_or_default()) }
                                        on:input={ let key = key.clone(); move |ev| { let v = event_target_value(&ev); draft.update(|d| { d.fields.insert(key.clone(), v); }) } } />
                                </Field>
                            }
                        }).collect_view())}
                        <Field id="ticket-subject" label=move || t_string!(i18n, ticket_subject) hint=move || t_string!(i18n, ticket_subject_hint) error=error_for("subject") let:c>
                            <input id=c.id.clone() type="text" autocomplete="off" aria-invalid=c.invalid() aria-describedby=c.described_by()
                                prop:value=move || draft.with(|d| d.subject.clone())
                                on:input=move |ev| draft.update(|d| d.subject = event_target_value(&ev)) />
                        </Field>
                        <Field id="ticket-description" label=move || t_string!(i18n, ticket_description) hint=move || t_string!(i18n, ticket_description_hint) error=error_for("description") let:c>
                            <div class="tabs">
                                <button type="button" class="tab" aria-pressed=move || (!preview.get()).to_string() on:click=move |_| preview.set(false)>{t!(i18n, ticket_write)}</button>
                                <button type="button" class="tab" aria-pressed=move || preview.get().to_string() on:click=move |_| preview.set(true)>{t!(i18n, editor_preview)}</button>
                            </div>
                            <Show when=move || !preview.get() fallback=move || view! {
                                <div class="preview-box"><MarkdownText text=Signal::derive(move || draft.with(|d| d.description.clone())) /></div>
                            }>
                                <textarea id=c.id.clone() rows="8" maxlength="20000"
                                    aria-invalid=c.invalid() aria-describedby=c.described_by()
                                    prop:value=move || draft.with(|d| d.description.clone())
                                    on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))></textarea>
                            </Show>
                        </Field>
                        <div id="ticket-attachments">
                            {move || error_for("attachments").get().map(|m| view! { <p class="error-message">{m}</p> })}
                            <AttachmentPicker id="ticket-files"
                                files=Signal::derive(move || draft.with(|d| d.attachments.clone()))
                                on_change=Callback::new(move |files| draft.update(|d| d.attachments = files)) />
                        </div>
                        <ChoiceField id="ticket-impact" legend=move || t_string!(i18n, ticket_impact)
                            options=Impact::ALL.into_iter().map(|v| (v.as_str().to_owned(), impact_label(i18n, v))).collect()
                            selected=Signal::derive(move || draft.with(|d| d.impact.map(|v| v.as_str().to_owned())))
                            on_pick=move |v: String| draft.update(|d| d.impact = Impact::parse(&v))
                            error=error_for("impact") />
                        <ChoiceField id="ticket-urgency" legend=move || t_string!(i18n, ticket_urgency)
                            options=Urgency::ALL.into_iter().map(|v| (v.as_str().to_owned(), urgency_label(i18n, v))).collect()
                            selected=Signal::derive(move || draft.with(|d| d.urgency.map(|v| v.as_str().to_owned())))
                            on_pick=move |v: String| draft.update(|d| d.urgency = Urgency::parse(&v))
                            error=error_for("urgency") />
                        {move || draft.with(|d| d.impact.zip(d.urgency)).map(|(i, u)| view! {
                            <p class="priority-note" aria-live="polite">{fill(t_string!(i18n, priority_is), priority_label(i18n, priority(i, u)))}</p>
                        })}
                    </fieldset>
                    <AlreadyReportedPanel
                        category=Memo::new(move |_| draft.with(|d| d.category.clone())).into()
                        subject=Memo::new(move |_| draft.with(|d| d.subject.clone())).into()
                        who=Signal::derive(move || draft.with(|d| MeToo { name: d.name.clone(), email: d.email.clone() }))
                        on_joined=Callback::new(move |_| {
                            let kept = draft.get_untracked();
                            let cleared = TicketDraft { name: kept.name, email: kept.email, ..Default::default() };
                            // Saved now: the page is left at once.
                            stored::save_draft(&cleared);
                            draft.set(cleared);
                            let _ = window().location().assign("/tickets");
                        }) />
                    <SubmitButton label=move || t_string!(i18n, ticket_send) busy_label=move || t_string!(i18n, ticket_sending) busy=submit.pending() />
                    <p class="hint">{t!(i18n, ticket_kept_hint)}</p>
                </form>
            </div>
            <Suggestions subject=Memo::new(move |_| draft.with(|d| d.subject.clone())).into() />
        </div>
    }
}

/// The control a field of the form (or of the server's refusal) is shown at:
/// `fields.asset_tag` → `ticket-fields-asset_tag`; `None` for what the form has no
/// control for (the transcript, the language): the summary says those itself.
fn control_id(field: &str) -> Option<String> {
    (!matches!(field, "transcript" | "language" | "self_service_session"))
        .then(|| format!("ticket-{}", field.replace('.', "-")))
}

/// Opening a suggestion may be where the contact ends: counted as deflected unless a
/// ticket is filed in this session after all.
fn suggestion_opened(subject: String) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    move |_| {
        api::report_self_service(&SelfServiceEvent {
            session: stored::self_service_session(),
            kind: SelfServiceKind::SuggestionOpened,
            subject: subject.clone(),
        })
    }
}

/// Guided diagnostics and help articles matching the subject as it is typed: the
/// answer may already exist.
#[component]
fn Suggestions(subject: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let results = debounced_request(
        move || {
            let text = subject.get();
            (text.trim().chars().count() >= 3).then_some(text)
        },
        std::time::Duration::from_millis(300),
        move |text: String, signal| {
            let lang = current_language(i18n);
            // A trailing space: every word of a subject is complete, none a prefix.
            async move {
                api::kb_search(&format!("{text} "), lang, 5, true, 2, &signal)
                    .await
                    .ok()
            }
        },
    );
    view! {
        <aside class="ticket-suggestions" aria-labelledby="suggestions-title" aria-live="polite">
            {move || results.get().filter(|r| !r.hits.is_empty() || !r.flows.is_empty()).map(|r| view! {
                <h2 id="suggestions-title">{t!(i18n, ticket_suggestions_title)}</h2>
                <p class="hint">{t!(i18n, ticket_suggestions_lead)}</p>
                <ul class="suggestion-list">
                    {r.flows.into_iter().map(|flow| {
                        let opened = suggestion_opened(format!("flow:{}", flow.slug));
                        view! {
                            <li>
                                <a href=format!("/diagnose/{}", flow.slug) on:click=opened>{flow.title}</a>
                                " "<span class="hit-kind">{t!(i18n, search_flow_kind)}</span>
                            </li>
                        }
                    }).collect_view()}
                    {r.hits.into_iter().map(|hit| {
                        let opened = suggestion_opened(hit.slug.clone());
                        view! { <li><a href=format!("/kb/{}", hit.slug) on:click=opened>{snippet(hit.title)}</a></li> }
                    }).collect_view()}
                </ul>
            })}
        </aside>
    }
}
