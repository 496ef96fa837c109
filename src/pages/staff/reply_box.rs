//! The technician's reply box: a public reply or an internal note (the box itself
//! changes colour and label, so a note is never sent as a reply by mistake), in
//! Markdown with a preview, with canned responses, links to help articles and files.
//! What is typed is kept in this browser per ticket until the server has it.

use std::time::Duration;

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::canned;
use selfdesk_shared::kb::SearchHit;
use selfdesk_shared::tickets::StaffReplyRequest;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::api;
use crate::components::attachment_picker::AttachmentPicker;
use crate::components::debounced::debounced_request;
use crate::components::form::{ChoiceField, Field, RequestFailure, SubmitButton};
use crate::components::language::current_language;
use crate::components::markdown_text::MarkdownText;
use crate::components::ticket_words::ticket_field_message;
use crate::editing;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;
use crate::web_storage::Key;
use crate::web_storage::keys;

const AREA_ID: &str = "staff-reply";

/// What is being written; it outlives the ticket's view (which is rebuilt on every
/// change), and is mirrored to localStorage.
#[derive(Clone, Copy)]
pub struct Composer {
    body: RwSignal<String>,
    internal: RwSignal<bool>,
    files: RwSignal<Vec<Attachment>>,
    preview: RwSignal<bool>,
    key: StoredValue<Key<KeptReply>>,
}

/// What is kept of an unsent reply (`web_storage::keys::staff_reply`).
#[derive(Serialize, Deserialize)]
pub struct KeptReply {
    body: String,
    internal: bool,
}

impl Composer {
    pub fn new(number: &str) -> Self {
        let key = keys::staff_reply(number);
        let (body, internal) = key
            .load()
            .map_or((String::new(), false), |k| (k.body, k.internal));
        let composer = Self {
            body: RwSignal::new(body),
            internal: RwSignal::new(internal),
            files: RwSignal::new(Vec::new()),
            preview: RwSignal::new(false),
            key: StoredValue::new(key),
        };
        Effect::new(move |_| {
            let body = composer.body.get();
            let internal = composer.internal.get();
            composer.key.with_value(|key| {
                if body.trim().is_empty() {
                    key.remove();
                } else {
                    key.save(&KeptReply { body, internal });
                }
            });
        });
        composer
    }

    pub fn focus(self) {
        self.preview.set(false);
        if let Some(area) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(AREA_ID))
            .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        {
            let _ = area.focus();
        }
    }

    /// Puts `text` where the cursor is (or at the end), and returns there.
    fn insert(self, text: &str) {
        self.preview.set(false);
        let area = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(AREA_ID))
            .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
        let current = self.body.get_untracked();
        let end = current.encode_utf16().count() as u32;
        let (start, stop) = area
            .as_ref()
            .map(|a| {
                (
                    a.selection_start().ok().flatten().unwrap_or(end),
                    a.selection_end().ok().flatten().unwrap_or(end),
                )
            })
            .unwrap_or((end, end));
        let edit = editing::insert(&current, start, stop, text);
        self.body.set(edit.text.clone());
        if let Some(area) = area {
            area.set_value(&edit.text);
            let _ = area.focus();
            let _ = area.set_selection_range(edit.start, edit.end);
        }
    }

    /// Takes a reply the server has out of the box: what was written or attached while
    /// it was on its way stays.
    fn sent(self, request: &StaffReplyRequest) {
        self.body
            .try_update(|now| *now = editing::unsent_rest(now, &request.body));
        self.files
            .try_update(|now| now.retain(|f| !request.attachments.contains(&f.id)));
        self.preview.try_set(false);
    }
}

#[component]
pub fn ReplyBox(
    number: String,
    requester: String,
    composer: Composer,
    on_sent: Callback<selfdesk_shared::tickets::TicketView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Composer {
        body,
        internal,
        files,
        preview,
        ..
    } = composer;
    let number = StoredValue::new(number);
    let requester = StoredValue::new(requester);
    let send = Action::new_local(
        move |request: &selfdesk_shared::tickets::StaffReplyRequest| {
            let request = request.clone();
            let number = number.get_value();
            async move {
                let answer = api::staff_reply(&number, &request).await;
                if answer.is_ok() {
                    composer.sent(&request);
                }
                answer
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(view)) = send.value().get() {
            on_sent.run(view);
        }
    });
    let submit = move || {
        if send.pending().get_untracked() {
            return;
        }
        send.dispatch(reply_request(
            body.get_untracked(),
            &files.get_untracked(),
            internal.get_untracked(),
        ));
    };
    let canned_list = Fetch::new(|| async {
        api::canned_responses()
            .await
            .map(|l| l.responses)
            .unwrap_or_default()
    });
    let error = move || match send.value().get() {
        Some(Err(error)) => Some(error),
        _ => None,
    };

    view! {
        <form
            class="form reply-form staff-reply"
            novalidate
            class:internal=move || internal.get()
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                submit();
            }
        >
            <ChoiceField
                id="message-kind"
                class="message-kind"
                legend=move || t_string!(i18n, staff_message_kind)
                options=vec![
                    (
                        "public".to_owned(),
                        TextProp::from(move || t_string!(i18n, staff_public_reply)),
                    ),
                    (
                        "internal".to_owned(),
                        TextProp::from(move || t_string!(i18n, staff_internal_note)),
                    ),
                ]
                selected=Signal::derive(move || Some(
                    if internal.get() { "internal" } else { "public" }.to_owned(),
                ))
                on_pick=move |kind: String| internal.set(kind == "internal")
            />
            <div class="reply-tools">
                <Field id="canned" label=move || t_string!(i18n, staff_canned) let:c>
                    <select
                        id=c.id.clone()
                        on:change=move |ev| {
                            let id: Option<i64> = event_target_value(&ev).parse().ok();
                            let chosen = canned_list
                                .get_untracked()
                                .unwrap_or_default()
                                .into_iter()
                                .find(|c| Some(c.id) == id);
                            if let Some(chosen) = chosen {
                                composer
                                    .insert(
                                        &canned::fill(
                                            &chosen.body,
                                            &requester.get_value(),
                                            &number.get_value(),
                                        ),
                                    );
                            }
                            if let Some(select) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                            {
                                select.set_value("");
                            }
                        }
                    >
                        <option value="">{say!(i18n, staff_canned_choose)}</option>
                        {move || {
                            canned_list
                                .get()
                                .unwrap_or_default()
                                .into_iter()
                                .map(|c| {
                                    let team = c
                                        .tier
                                        .map(|tier| {
                                            format!(" · {}", fill(t_string!(i18n, staff_team), tier))
                                        })
                                        .unwrap_or_default();
                                    view! {
                                        <option value=c.id.to_string()>{c.title}{team}</option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </Field>
                <ArticleLinker composer />
            </div>
            <Field
                id=AREA_ID
                live=true
                label=move || {
                    if internal.get() {
                        t_string!(i18n, staff_note_label)
                    } else {
                        t_string!(i18n, staff_reply_label)
                    }
                }
                hint=move || {
                    if internal.get() {
                        t_string!(i18n, staff_note_hint)
                    } else {
                        t_string!(i18n, staff_reply_hint)
                    }
                }
                error=Signal::derive(move || {
                    error().and_then(|e| e.field().map(|f| ticket_field_message(i18n, f, None)))
                })
                aside=move || {
                    view! {
                        <button
                            type="button"
                            class="button button-quiet button-small"
                            aria-pressed=move || preview.get().to_string()
                            on:click=move |_| preview.update(|p| *p = !*p)
                        >
                            {say!(i18n, staff_preview)}
                        </button>
                    }
                }
                let:c
            >
                <textarea
                    id=c.id.clone()
                    rows="7"
                    maxlength="20000"
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    hidden=move || preview.get()
                    prop:value=body
                    on:input=move |ev| body.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "Enter" {
                            ev.prevent_default();
                            submit();
                        }
                    }
                ></textarea>
                {move || {
                    preview
                        .get()
                        .then(|| {
                            view! {
                                <div class="reply-preview" aria-live="polite">
                                    <MarkdownText text=Signal::derive(move || body.get()) />
                                </div>
                            }
                        })
                }}
            </Field>
            <RequestFailure failure=Signal::derive(error) />
            <AttachmentPicker
                id="staff-reply-files"
                files=files.into()
                on_change=Callback::new(move |f| files.set(f))
            />
            <SubmitButton
                busy=send.pending()
                busy_label=move || t_string!(i18n, ticket_sending)
                label=move || {
                    if internal.get() {
                        t_string!(i18n, staff_add_note)
                    } else {
                        t_string!(i18n, staff_send_reply)
                    }
                }
            />
            <span class="hint">" "{say!(i18n, staff_send_shortcut)}</span>
        </form>
    }
}

/// Finds a help article by its words and puts a link to it into the message.
#[component]
fn ArticleLinker(composer: Composer) -> impl IntoView {
    let i18n = use_i18n();
    let words = RwSignal::new(String::new());
    let hits = debounced_request(
        move || {
            let w = words.get();
            (w.trim().chars().count() >= 2).then_some(w)
        },
        Duration::from_millis(200),
        move |w: String, signal| async move {
            api::kb_search(&w, current_language(i18n), 5, true, 0, &signal)
                .await
                .ok()
                .map(|r| r.hits)
        },
    );
    let title = |hit: &SearchHit| {
        hit.title
            .iter()
            .map(|p| p.text.as_str())
            .collect::<String>()
    };
    view! {
        <div class="article-linker">
            <Field id="kb-link" label=move || t_string!(i18n, staff_insert_article) let:c>
                <input
                    id=c.id.clone()
                    type="search"
                    autocomplete="off"
                    prop:value=words
                    on:input=move |ev| words.set(event_target_value(&ev))
                />
            </Field>
            {move || {
                (!words.get().trim().is_empty())
                    .then(|| hits.get())
                    .flatten()
                    .map(|hits| {
                        view! {
                            <ul class="link-choices">
                                {hits
                                    .into_iter()
                                    .map(|hit| {
                                        let name = title(&hit);
                                        let link = format!(
                                            "[{}](/kb/{}?lang={})",
                                            name.replace(['[', ']'], ""),
                                            hit.slug,
                                            hit.lang.code(),
                                        );
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="button button-quiet button-small"
                                                    on:click=move |_| {
                                                        composer.insert(&link);
                                                        words.set(String::new());
                                                    }
                                                >
                                                    {name}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
            }}
        </div>
    }
}

/// The request the reply box sends.
fn reply_request(body: String, files: &[Attachment], internal: bool) -> StaffReplyRequest {
    StaffReplyRequest {
        body,
        attachments: files.iter().map(|f| f.id.clone()).collect(),
        internal,
    }
}
