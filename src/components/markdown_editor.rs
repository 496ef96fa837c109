//! A Markdown text area with a formatting toolbar, image upload and a live preview
//! drawn by the same renderer readers get (`crate::markdown`). Side by side on wide
//! screens, stacked on narrow ones (style/staff.css, `.editor-grid`).

use std::time::Duration;

use leptos::html::{Input, Textarea};
use leptos::prelude::*;

use crate::say::say;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::status::ErrorText;
use crate::editing::{self, Format};
use crate::i18n::{t_string, use_i18n};
use crate::markdown::{self, callout_titles};

const PREVIEW_DELAY: Duration = Duration::from_millis(250);

#[derive(Clone, PartialEq)]
enum Upload {
    Idle,
    Sending,
    Failed(ApiError),
}

#[component]
pub fn MarkdownEditor(
    id: &'static str,
    value: RwSignal<String>,
    /// A field error to show above the text area.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let area = NodeRef::<Textarea>::new();
    let file_input = NodeRef::<Input>::new();
    let upload = RwSignal::new(Upload::Idle);

    let replace = move |edit: editing::Edit| {
        value.set(edit.text.clone());
        if let Some(el) = area.get_untracked() {
            el.set_value(&edit.text);
            let _ = el.focus();
            let _ = el.set_selection_range(edit.start, edit.end);
        }
    };
    let selection = move || -> (String, u32, u32) {
        match area.get_untracked() {
            Some(el) => (
                el.value(),
                el.selection_start().ok().flatten().unwrap_or(0),
                el.selection_end().ok().flatten().unwrap_or(0),
            ),
            None => (value.get_untracked(), 0, 0),
        }
    };
    let format = move |format: Format| {
        let (text, start, end) = selection();
        let placeholder = match format {
            Format::Link => t_string!(i18n, editor_link_text).to_string(),
            _ => t_string!(i18n, editor_placeholder_text).to_string(),
        };
        replace(editing::apply(&text, start, end, format, &placeholder));
    };

    let on_file = move |_| {
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        upload.set(Upload::Sending);
        spawn_local(async move {
            match api::upload_image(&file).await {
                Ok(uploaded) => {
                    upload.set(Upload::Idle);
                    let (text, start, end) = selection();
                    replace(editing::insert(&text, start, end, &uploaded.markdown));
                }
                Err(error) => upload.set(Upload::Failed(error)),
            }
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
        });
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        let chosen = match ev.key().as_str() {
            "b" | "B" => Format::Bold,
            "i" | "I" => Format::Italic,
            "k" | "K" => Format::Link,
            _ => return,
        };
        ev.prevent_default();
        format(chosen);
    };

    // The preview follows the text after a short pause; a render that finishes after
    // a newer one started is dropped.
    let preview = RwSignal::new(String::new());
    let generation = StoredValue::new(0u32);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let text = value.get();
        let titles = callout_titles(i18n);
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    if let Ok(rendered) = markdown::render(&text, &titles, false).await
                        && generation.get_value() == mine
                    {
                        preview.set(rendered.html);
                    }
                });
            },
            PREVIEW_DELAY,
        )
        .ok();
        timer.set_value(handle);
    });

    let button = move |format_: Format, label: AnyView, name: Signal<String>| {
        view! {
            <button
                type="button"
                class="tool"
                title=name
                aria-label=name
                on:click=move |_| format(format_)
            >
                {label}
            </button>
        }
    };
    let text = |s: &'static str| s.into_any();
    let name = |f: fn(leptos_i18n::I18nContext<crate::i18n::Locale>) -> String| {
        Signal::derive(move || f(i18n))
    };
    let upload_message = move || match upload.get() {
        Upload::Idle => ().into_any(),
        Upload::Sending => view! {
            <p class="muted" role="status">
                {say!(i18n, editor_uploading)}
            </p>
        }
        .into_any(),
        Upload::Failed(error) => {
            let message = match &error {
                ApiError::Server { status: 415, .. } => say!(i18n, err_image_type).into_any(),
                ApiError::Server { status: 413, .. } => say!(i18n, err_image_too_big).into_any(),
                _ => view! { <ErrorText error=error.clone() /> }.into_any(),
            };
            view! {
                <p class="error-message" role="alert">
                    {message}
                </p>
            }
            .into_any()
        }
    };
    let label_id = format!("{id}-label");
    view! {
        <div class="editor-grid">
            <div class="editor-pane">
                <label id=label_id.clone() for=id class="field-label">
                    {say!(i18n, editor_body)}
                </label>
                <div
                    class="toolbar"
                    role="toolbar"
                    aria-label=move || t_string!(i18n, editor_toolbar)
                    aria-controls=id
                >
                    {button(
                        Format::Heading2,
                        text("H2"),
                        name(|i| format!("{}, H2", t_string!(i, editor_heading))),
                    )}
                    {button(
                        Format::Heading3,
                        text("H3"),
                        name(|i| format!("{}, H3", t_string!(i, editor_subheading))),
                    )}
                    {button(
                        Format::Bold,
                        text("B"),
                        name(|i| t_string!(i, editor_bold).to_string()),
                    )}
                    {button(
                        Format::Italic,
                        view! { <i>"I"</i> }.into_any(),
                        name(|i| t_string!(i, editor_italic).to_string()),
                    )}
                    {button(
                        Format::BulletList,
                        text("•"),
                        name(|i| t_string!(i, editor_bullets).to_string()),
                    )}
                    {button(
                        Format::NumberedList,
                        text("1."),
                        name(|i| format!("{}, 1.", t_string!(i, editor_steps))),
                    )}
                    {button(
                        Format::Link,
                        link_icon(),
                        name(|i| t_string!(i, editor_link).to_string()),
                    )}
                    {button(
                        Format::Code,
                        text("</>"),
                        name(|i| t_string!(i, editor_code).to_string()),
                    )}
                    {button(
                        Format::Warning,
                        text("!"),
                        name(|i| t_string!(i, editor_warning).to_string()),
                    )}
                    <button
                        type="button"
                        class="tool"
                        title=move || t_string!(i18n, editor_image)
                        aria-label=move || t_string!(i18n, editor_image)
                        disabled=move || upload.get() == Upload::Sending
                        on:click=move |_| {
                            if let Some(input) = file_input.get_untracked() {
                                input.click();
                            }
                        }
                    >
                        {image_icon()}
                    </button>
                    <input
                        type="file"
                        class="visually-hidden"
                        tabindex="-1"
                        aria-hidden="true"
                        accept="image/png,image/jpeg,image/gif,image/webp"
                        node_ref=file_input
                        on:change=on_file
                    />
                </div>
                {upload_message}
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p class="error-message" id=format!("{id}-error")>
                                    {message}
                                </p>
                            }
                        })
                }}
                <textarea
                    id=id
                    node_ref=area
                    class="markdown-input"
                    rows="24"
                    spellcheck="true"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:keydown=on_keydown
                ></textarea>
                <p class="hint">{say!(i18n, editor_hint)}</p>
            </div>
            <section class="preview-pane" aria-labelledby=format!("{id}-preview-title")>
                <h2 class="field-label" id=format!("{id}-preview-title")>
                    {say!(i18n, editor_preview)}
                </h2>
                // Safe: the shared renderer neutralises raw HTML and unsafe URLs.
                <div class="prose preview" inner_html=preview></div>
            </section>
        </div>
    }
}

// Drawn, not emoji: emoji fonts are missing on many work machines.
fn link_icon() -> AnyView {
    view! {
        <svg class="tool-icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
            <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
        </svg>
    }
    .into_any()
}

fn image_icon() -> AnyView {
    view! {
        <svg class="tool-icon" viewBox="0 0 24 24" aria-hidden="true">
            <rect x="3" y="5" width="18" height="14" rx="2" />
            <circle cx="9" cy="10" r="1.6" />
            <path d="M21 16l-5-5-8 8" />
        </svg>
    }
    .into_any()
}
