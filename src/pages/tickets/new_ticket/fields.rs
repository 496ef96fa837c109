//! The form's two groups of fields: who is asking, and what the problem is (with the
//! category's own questions, the description and its preview, files, and how urgent
//! it is). Each control writes straight into the draft.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::requester::RequesterMe;
use selfdesk_shared::tickets::{Impact, TicketCategory, Urgency, priority};

use super::{control_id, error_at};
use crate::components::attachment_picker::AttachmentPicker;
use crate::components::form::{ChoiceField, Field, Problems, TextField, TextKind};
use crate::components::markdown_text::MarkdownText;
use crate::components::ticket_words::{impact_label, priority_label, urgency_label};
use crate::i18n::{t_string, use_i18n};
use crate::requester_storage::TicketDraft;
use crate::text::fill;

/// Who is asking. A signed-in requester is not asked again: the account's address
/// (and name, when it has one) fill the draft, and the fields give way to a line that
/// says where replies go.
#[component]
pub(super) fn AboutYou(draft: RwSignal<TicketDraft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    let account = RwSignal::new(None::<RequesterMe>);
    if crate::requester_sign_in::holds_session() {
        leptos::task::spawn_local(async move {
            if let Ok(Some(me)) = crate::api::requester_me().await {
                draft.update(|d| {
                    d.email = me.email.clone();
                    if !me.display_name.is_empty() {
                        d.name = me.display_name.clone();
                    }
                });
                account.try_set(Some(me));
            }
        });
    }
    let ask_name = move || account.with(|a| a.as_ref().is_none_or(|me| me.display_name.is_empty()));
    let signed_in_line = move || {
        account.get().map(|me| {
            let who = if me.display_name.is_empty() {
                me.email
            } else {
                format!("{} ({})", me.display_name, me.email)
            };
            view! { <p class="hint">{fill(t_string!(i18n, ticket_signed_in_as), who)}</p> }
        })
    };
    view! {
        <fieldset class="fieldset">
            <legend>{say!(i18n, ticket_about_you)}</legend>
            {signed_in_line}
            {move || {
                ask_name()
                    .then(|| {
                        view! {
                            <TextField
                                id="ticket-name"
                                label=move || t_string!(i18n, ticket_name)
                                error=error_at(problems, "name")
                                autocomplete="name"
                                value=Signal::derive(move || draft.with(|d| d.name.clone()))
                                on_input=move |v: String| draft.update(|d| d.name = v)
                            />
                        }
                    })
            }}
            {move || {
                account
                    .with(Option::is_none)
                    .then(|| {
                        view! {
                            <TextField
                                id="ticket-email"
                                label=move || t_string!(i18n, email_label)
                                hint=move || t_string!(i18n, ticket_email_hint)
                                error=error_at(problems, "email")
                                kind=TextKind::Email
                                autocomplete="email"
                                value=Signal::derive(move || draft.with(|d| d.email.clone()))
                                on_input=move |v: String| draft.update(|d| d.email = v)
                            />
                        }
                    })
            }}
        </fieldset>
    }
}

#[component]
pub(super) fn AboutProblem(
    draft: RwSignal<TicketDraft>,
    problems: Problems,
    categories: Signal<Vec<TicketCategory>>,
    /// The chosen one, whose own questions follow it.
    category: Memo<Option<TicketCategory>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="fieldset">
            <legend>{say!(i18n, ticket_about_problem)}</legend>
            <CategoryChoice draft problems categories category />
            <TextField
                id="ticket-subject"
                label=move || t_string!(i18n, ticket_subject)
                hint=move || t_string!(i18n, ticket_subject_hint)
                error=error_at(problems, "subject")
                autocomplete="off"
                value=Signal::derive(move || draft.with(|d| d.subject.clone()))
                on_input=move |v: String| draft.update(|d| d.subject = v)
            />
            <DescriptionField draft problems />
            <div id="ticket-attachments">
                {move || {
                    error_at(problems, "attachments")
                        .get()
                        .map(|m| view! { <p class="error-message">{m}</p> })
                }}
                <AttachmentPicker
                    id="ticket-files"
                    files=Signal::derive(move || draft.with(|d| d.attachments.clone()))
                    on_change=Callback::new(move |files| draft.update(|d| d.attachments = files))
                />
            </div>
            <HowUrgent draft problems />
        </fieldset>
    }
}

/// The category, then the questions it asks of its own (a printer's location).
#[component]
fn CategoryChoice(
    draft: RwSignal<TicketDraft>,
    problems: Problems,
    categories: Signal<Vec<TicketCategory>>,
    category: Memo<Option<TicketCategory>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field
            id="ticket-category"
            label=move || t_string!(i18n, field_category)
            error=error_at(problems, "category")
            let:c
        >
            <select
                id=c.id.clone()
                aria-invalid=c.invalid()
                aria-describedby=c.described_by()
                on:change=move |ev| draft.update(|d| d.category = event_target_value(&ev))
            >
                <option value="">{say!(i18n, field_choose)}</option>
                // Drawn again in another language with the same choice selected.
                {move || {
                    categories
                        .with(|all| {
                            all.iter()
                                .map(|c| {
                                    let slug = c.slug.clone();
                                    let selected = draft.with_untracked(|d| d.category == slug);
                                    view! {
                                        <option value=c.slug.to_string() selected=selected>
                                            {c.name.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </select>
        </Field>
        {move || {
            category
                .get()
                .map(|c| {
                    c.fields
                        .into_iter()
                        .map(|f| {
                            let key = f.key.clone();
                            let field = format!("fields.{}", f.key);
                            view! {
                                <Field
                                    id=control_id(&field).unwrap_or_default()
                                    label=f.label.clone()
                                    hint=f.hint.clone()
                                    error=error_at(problems, &field)
                                    let:c
                                >
                                    <input
                                        id=c.id.clone()
                                        type="text"
                                        autocomplete="off"
                                        aria-invalid=c.invalid()
                                        aria-describedby=c.described_by()
                                        prop:value={
                                            let key = key.clone();
                                            move || {
                                                draft
                                                    .with(|d| d.fields.get(&key).cloned().unwrap_or_default())
                                            }
                                        }
                                        on:input={
                                            let key = key.clone();
                                            move |ev| {
                                                let v = event_target_value(&ev);
                                                draft
                                                    .update(|d| {
                                                        d.fields.insert(key.clone(), v);
                                                    })
                                            }
                                        }
                                    />
                                </Field>
                            }
                        })
                        .collect_view()
                })
        }}
    }
}

/// The description, written as Markdown, with a preview of how it will read.
#[component]
fn DescriptionField(draft: RwSignal<TicketDraft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    let preview = RwSignal::new(false);
    view! {
        <Field
            id="ticket-description"
            label=move || t_string!(i18n, ticket_description)
            hint=move || t_string!(i18n, ticket_description_hint)
            error=error_at(problems, "description")
            let:c
        >
            <div class="tabs">
                <button
                    type="button"
                    class="tab"
                    aria-pressed=move || (!preview.get()).to_string()
                    on:click=move |_| preview.set(false)
                >
                    {say!(i18n, ticket_write)}
                </button>
                <button
                    type="button"
                    class="tab"
                    aria-pressed=move || preview.get().to_string()
                    on:click=move |_| preview.set(true)
                >
                    {say!(i18n, editor_preview)}
                </button>
            </div>
            <Show
                when=move || !preview.get()
                fallback=move || {
                    view! {
                        <div class="preview-box">
                            <MarkdownText text=Signal::derive(move || {
                                draft.with(|d| d.description.clone())
                            }) />
                        </div>
                    }
                }
            >
                <textarea
                    id=c.id.clone()
                    rows="8"
                    maxlength="20000"
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    prop:value=move || draft.with(|d| d.description.clone())
                    on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))
                ></textarea>
            </Show>
        </Field>
    }
}

/// Who is affected and how much it stops their work, and the priority they make.
#[component]
fn HowUrgent(draft: RwSignal<TicketDraft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ChoiceField
            id="ticket-impact"
            legend=move || t_string!(i18n, ticket_impact)
            options=Impact::ALL
                .into_iter()
                .map(|v| (v.as_str().to_owned(), TextProp::from(move || impact_label(i18n, v))))
                .collect()
            selected=Signal::derive(move || draft.with(|d| d.impact.map(|v| v.as_str().to_owned())))
            on_pick=move |v: String| draft.update(|d| d.impact = Impact::parse(&v))
            error=error_at(problems, "impact")
        />
        <ChoiceField
            id="ticket-urgency"
            legend=move || t_string!(i18n, ticket_urgency)
            options=Urgency::ALL
                .into_iter()
                .map(|v| (v.as_str().to_owned(), TextProp::from(move || urgency_label(i18n, v))))
                .collect()
            selected=Signal::derive(move || {
                draft.with(|d| d.urgency.map(|v| v.as_str().to_owned()))
            })
            on_pick=move |v: String| draft.update(|d| d.urgency = Urgency::parse(&v))
            error=error_at(problems, "urgency")
        />
        {move || {
            draft
                .with(|d| d.impact.zip(d.urgency))
                .map(|(i, u)| {
                    view! {
                        <p class="priority-note" aria-live="polite">
                            {fill(
                                t_string!(i18n, priority_is),
                                priority_label(i18n, priority(i, u)),
                            )}
                        </p>
                    }
                })
        }}
    }
}
