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
use crate::components::kb_search::snippet;
use crate::components::language::current_language;
use crate::components::layout::PageHeader;
use crate::components::markdown_text::MarkdownText;
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
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let failure = RwSignal::new(None::<Failure>);
    let preview = RwSignal::new(false);
    let summary_ref = NodeRef::<leptos::html::Div>::new();
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
    let error_for = move |field: String| {
        Signal::derive(move || {
            errors
                .read()
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, m)| m.clone())
        })
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
                number: created.number.clone(),
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
                errors.set(vec![(
                    field.to_owned(),
                    ticket_field_message(i18n, field, category().as_ref()),
                )]);
            }
            failure.set(Some(Failure::Server(error)));
        }
        None => {}
    });
    Effect::new(move |_| {
        if (!errors.read().is_empty() || failure.read().is_some())
            && let Some(el) = summary_ref.get()
        {
            let _ = el.focus();
        }
    });

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
        let mut found: Vec<(String, String)> = check_new_ticket(&ticket, category().as_ref())
            .into_iter()
            .map(|e| {
                (
                    e.field.to_string(),
                    ticket_field_message(i18n, &e.field, category().as_ref()),
                )
            })
            .collect();
        // Impact and urgency have no default the user did not choose.
        if d.impact.is_none() {
            found.push(("impact".into(), ticket_field_message(i18n, "impact", None)));
        }
        if d.urgency.is_none() {
            found.push((
                "urgency".into(),
                ticket_field_message(i18n, "urgency", None),
            ));
        }
        let ok = found.is_empty();
        errors.set(found);
        if !ok {
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

    let field_anchor = |field: &str| format!("#ticket-{}", field.replace('.', "-"));

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
                <Show when=move || !errors.read().is_empty() || failure.read().is_some()>
                    <div class="error-summary" role="alert" tabindex="-1" node_ref=summary_ref>
                        <h2>{move || if failure.read().as_ref() == Some(&Failure::Network) {
                            t_string!(i18n, ticket_not_sent_title)
                        } else {
                            t_string!(i18n, error_summary_title)
                        }}</h2>
                        <ul>
                            {move || errors.get().into_iter().map(|(field, message)| view! {
                                <li><a href=field_anchor(&field)>{message}</a></li>
                            }).collect_view()}
                            {move || match failure.get() {
                                Some(Failure::Network) => Some(view! {
                                    <li>{t!(i18n, ticket_not_sent_kept)}</li>
                                }.into_any()),
                                Some(Failure::Server(error)) if error.field().is_none() => Some(view! {
                                    <li><ErrorText error /></li>
                                }.into_any()),
                                _ => None,
                            }}
                        </ul>
                        <Show when=move || failure.read().as_ref() == Some(&Failure::Network)>
                            <button type="submit" form="ticket-form" class="button button-primary">{t!(i18n, ticket_send_again)}</button>
                        </Show>
                    </div>
                </Show>
                <form id="ticket-form" class="form" on:submit=on_submit novalidate>
                    <fieldset class="fieldset">
                        <legend>{t!(i18n, ticket_about_you)}</legend>
                        <TextField id="ticket-name" field="name" label=t_string!(i18n, ticket_name).to_string() autocomplete="name"
                            value=Signal::derive(move || draft.with(|d| d.name.clone()))
                            on_input=move |v| draft.update(|d| d.name = v) error=error_for("name".into()) />
                        <TextField id="ticket-email" field="email" label=t_string!(i18n, email_label).to_string() autocomplete="email" kind="email"
                            hint=t_string!(i18n, ticket_email_hint).to_string()
                            value=Signal::derive(move || draft.with(|d| d.email.clone()))
                            on_input=move |v| draft.update(|d| d.email = v) error=error_for("email".into()) />
                    </fieldset>
                    <fieldset class="fieldset">
                        <legend>{t!(i18n, ticket_about_problem)}</legend>
                        <div class="field" class:field-error=move || error_for("category".into()).get().is_some()>
                            <label for="ticket-category">{t!(i18n, field_category)}</label>
                            {move || error_for("category".into()).get().map(|m| view! { <p class="field-message" id="ticket-category-error">{m}</p> })}
                            <select id="ticket-category"
                                aria-invalid=move || error_for("category".into()).get().is_some().to_string()
                                on:change=move |ev| draft.update(|d| d.category = event_target_value(&ev))>
                                <option value="">{t!(i18n, field_choose)}</option>
                                {categories.with_value(|all| all.iter().map(|c| {
                                    let slug = c.slug.clone();
                                    let selected = draft.with_untracked(|d| d.category == slug);
                                    view! { <option value=c.slug.clone() selected=selected>{c.name.clone()}</option> }
                                }).collect_view())}
                            </select>
                        </div>
                        {move || category().map(|c| c.fields.into_iter().map(|f| {
                            let key = f.key.clone();
                            let key_input = f.key.clone();
                            let id = format!("ticket-fields-{}", f.key);
                            view! {
                                <TextField id=id field="" label=f.label hint=f.hint autocomplete="off"
                                    value=Signal::derive(move || draft.with(|d| d.fields.get(&key).cloned().unwrap_or_default()))
                                    on_input=move |v| { let k = key_input.clone(); draft.update(|d| { d.fields.insert(k, v); }) }
                                    error=error_for(format!("fields.{}", f.key)) />
                            }
                        }).collect_view())}
                        <TextField id="ticket-subject" field="subject" label=t_string!(i18n, ticket_subject).to_string() autocomplete="off"
                            hint=t_string!(i18n, ticket_subject_hint).to_string()
                            value=Signal::derive(move || draft.with(|d| d.subject.clone()))
                            on_input=move |v| draft.update(|d| d.subject = v) error=error_for("subject".into()) />
                        <div class="field" class:field-error=move || error_for("description".into()).get().is_some()>
                            <label for="ticket-description">{t!(i18n, ticket_description)}</label>
                            <p class="hint">{t!(i18n, ticket_description_hint)}</p>
                            {move || error_for("description".into()).get().map(|m| view! { <p class="field-message">{m}</p> })}
                            <div class="tabs">
                                <button type="button" class="tab" aria-pressed=move || (!preview.get()).to_string() on:click=move |_| preview.set(false)>{t!(i18n, ticket_write)}</button>
                                <button type="button" class="tab" aria-pressed=move || preview.get().to_string() on:click=move |_| preview.set(true)>{t!(i18n, editor_preview)}</button>
                            </div>
                            <Show when=move || !preview.get() fallback=move || view! {
                                <div class="preview-box"><MarkdownText text=Signal::derive(move || draft.with(|d| d.description.clone())) /></div>
                            }>
                                <textarea id="ticket-description" rows="8" maxlength="20000"
                                    aria-invalid=move || error_for("description".into()).get().is_some().to_string()
                                    prop:value=move || draft.with(|d| d.description.clone())
                                    on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))></textarea>
                            </Show>
                        </div>
                        <div id="ticket-attachments">
                            {move || error_for("attachments".into()).get().map(|m| view! { <p class="field-message">{m}</p> })}
                            <AttachmentPicker id="ticket-files"
                                files=Signal::derive(move || draft.with(|d| d.attachments.clone()))
                                on_change=Callback::new(move |files| draft.update(|d| d.attachments = files)) />
                        </div>
                        <ChoiceGroup id="ticket-impact" legend=t_string!(i18n, ticket_impact).to_string()
                            options=Impact::ALL.into_iter().map(|v| (v.as_str().to_owned(), impact_label(i18n, v))).collect()
                            selected=Signal::derive(move || draft.with(|d| d.impact.map(|v| v.as_str().to_owned())))
                            on_pick=move |v: String| draft.update(|d| d.impact = Impact::parse(&v))
                            error=error_for("impact".into()) />
                        <ChoiceGroup id="ticket-urgency" legend=t_string!(i18n, ticket_urgency).to_string()
                            options=Urgency::ALL.into_iter().map(|v| (v.as_str().to_owned(), urgency_label(i18n, v))).collect()
                            selected=Signal::derive(move || draft.with(|d| d.urgency.map(|v| v.as_str().to_owned())))
                            on_pick=move |v: String| draft.update(|d| d.urgency = Urgency::parse(&v))
                            error=error_for("urgency".into()) />
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
                    <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                        {move || if submit.pending().get() { t_string!(i18n, ticket_sending) } else { t_string!(i18n, ticket_send) }}
                    </button>
                    <p class="hint">{t!(i18n, ticket_kept_hint)}</p>
                </form>
            </div>
            <Suggestions subject=Memo::new(move |_| draft.with(|d| d.subject.clone())).into() />
        </div>
    }
}

/// A labelled one-line text input with its hint and error.
#[component]
fn TextField(
    #[prop(into)] id: String,
    /// The field's name in errors (unused: the id carries it).
    #[prop(into)]
    field: String,
    #[prop(into)] label: String,
    #[prop(into, optional)] hint: String,
    #[prop(into)] autocomplete: String,
    #[prop(into, default = "text".to_owned())] kind: String,
    value: Signal<String>,
    on_input: impl Fn(String) + 'static,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let _ = field;
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let has_hint = !hint.is_empty();
    let described = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {has_hint.then(|| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {move || error.get().map(|m| view! { <p class="field-message" id=error_id.clone()>{m}</p> })}
            <input id=id type=kind autocomplete=autocomplete
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
                prop:value=value
                on:input=move |ev| on_input(event_target_value(&ev)) />
        </div>
    }
}

/// Radio buttons in a fieldset, each with its plain-language label.
#[component]
fn ChoiceGroup(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    options: Vec<(String, String)>,
    selected: Signal<Option<String>>,
    on_pick: impl Fn(String) + Clone + 'static,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let name = id.clone();
    view! {
        <fieldset id=id class="field option-group" class:field-error=move || error.get().is_some()>
            <legend>{legend}</legend>
            {move || error.get().map(|m| view! { <p class="field-message">{m}</p> })}
            {options.into_iter().enumerate().map(|(i, (value, label))| {
                let input_id = format!("{name}-{i}");
                let checked_value = value.clone();
                let pick = on_pick.clone();
                let picked = value.clone();
                view! {
                    <div class="option">
                        <input type="radio" id=input_id.clone() name=name.clone() value=value
                            prop:checked=move || selected.get().as_deref() == Some(checked_value.as_str())
                            on:change=move |_| pick(picked.clone()) />
                        <label for=input_id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
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
