//! Choosing files to attach: each is uploaded as soon as it is picked, so a refused
//! file ("programs cannot be attached", "larger than 10 MB") is explained at once,
//! next to the field, and the message keeps what was already attached.
//!
//! The browser draws its file input's button and "No file chosen" in its own
//! language, whatever the page's. So the input is hidden from sight (yet still
//! focused and read by the keyboard and screen readers), a label styled as a button
//! opens it, and the line beside that label says what is attached, in the reader's
//! language (only to screen readers once the files are listed below it). Files
//! dropped on the picker are taken as if picked.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::attachments::{Attachment, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::form::Field;
use crate::components::language::current_language;
use crate::components::numbers::file_size;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;

#[component]
pub fn AttachmentPicker(
    #[prop(into)] id: String,
    files: Signal<Vec<Attachment>>,
    on_change: Callback<Vec<Attachment>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problems = RwSignal::new(Vec::<String>::new());
    let uploading = RwSignal::new(0usize);
    let input_id = id.clone();
    let attached_id = format!("{id}-attached");

    let add = move |picked: Vec<web_sys::File>| {
        problems.set(Vec::new());
        for file in picked {
            let name = file.name();
            if files.get_untracked().len() + uploading.get_untracked()
                >= MAX_ATTACHMENTS_PER_MESSAGE
            {
                problems.update(|p| {
                    p.push(fill(
                        t_string!(i18n, err_file_count),
                        MAX_ATTACHMENTS_PER_MESSAGE,
                    ))
                });
                break;
            }
            if file.size() > MAX_ATTACHMENT_BYTES as f64 {
                problems.update(|p| p.push(fill(t_string!(i18n, err_file_too_big), &name)));
                continue;
            }
            uploading.update(|n| *n += 1);
            leptos::task::spawn_local(async move {
                let result = api::upload_attachment(&file).await;
                uploading.try_update(|n| *n -= 1);
                match result {
                    // The form may be gone meanwhile (a page left): nothing to add to.
                    Ok(attachment) => {
                        if let Some(mut now) = files.try_get_untracked() {
                            now.push(attachment);
                            on_change.try_run(now);
                        }
                    }
                    Err(error) => {
                        let message = match error {
                            ApiError::Server { status: 415, .. } => t_string!(i18n, err_file_type),
                            ApiError::Server { status: 413, .. } => {
                                t_string!(i18n, err_file_too_big)
                            }
                            _ => t_string!(i18n, err_file_upload),
                        };
                        problems.try_update(|p| p.push(fill(message, &name)));
                    }
                }
            });
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let picked = input.files().map(files_of).unwrap_or_default();
        // The same file may be picked again after removing it.
        input.set_value("");
        add(picked);
    };
    // The input is out of sight, so the picker itself takes files dropped on it.
    let dragging = RwSignal::new(false);
    let on_drag_over = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    // Moving over the button inside the picker is not leaving it.
    let on_drag_leave = move |ev: web_sys::DragEvent| {
        let picker = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let to = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if !picker.is_some_and(|picker| picker.contains(to.as_ref())) {
            dragging.set(false);
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let dropped = ev
            .data_transfer()
            .and_then(|d| d.files())
            .map(files_of)
            .unwrap_or_default();
        if !dropped.is_empty() {
            add(dropped);
        }
    };

    view! {
        <div class="attachment-picker">
            <Field
                id=input_id
                label=move || t_string!(i18n, attach_label)
                hint=move || t_string!(i18n, attach_hint)
                live=true
                error=Signal::derive(move || {
                    problems.with(|p| (!p.is_empty()).then(|| p.join(" ")))
                })
                let:c
            >
                <div
                    class="file-picker"
                    class:dragging=move || dragging.get()
                    on:dragover=on_drag_over
                    on:dragleave=on_drag_leave
                    on:drop=on_drop
                >
                    <input
                        id=c.id.clone()
                        type="file"
                        multiple
                        class="file-input"
                        on:change=on_pick
                        aria-invalid=c.invalid()
                        aria-describedby={
                            let (described_by, attached_id) = (
                                c.described_by(),
                                attached_id.clone(),
                            );
                            move || Some(
                                described_by()
                                    .map_or_else(
                                        || attached_id.clone(),
                                        |ids| format!("{ids} {attached_id}"),
                                    ),
                            )
                        }
                        accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.log,.txt,.csv"
                    />
                    <label for=c.id.clone() class="button button-quiet file-button">
                        {say!(i18n, attach_choose)}
                    </label>
                    <span
                        id=attached_id.clone()
                        class=move || {
                            if files.with(Vec::is_empty) { "hint" } else { "visually-hidden" }
                        }
                    >
                        {move || {
                            files
                                .with(|f| {
                                    if f.is_empty() {
                                        t_string!(i18n, attach_none).to_owned()
                                    } else {
                                        fill(
                                            t_string!(i18n, attach_attached),
                                            f
                                                .iter()
                                                .map(|f| f.name.as_str())
                                                .collect::<Vec<_>>()
                                                .join(", "),
                                        )
                                    }
                                })
                        }}
                    </span>
                </div>
            </Field>
            <Show when=move || { uploading.get() > 0 }>
                <p class="hint" role="status">
                    {say!(i18n, attach_uploading)}
                </p>
            </Show>
            <ul class="attachment-list">
                {move || {
                    files
                        .get()
                        .into_iter()
                        .map(|file| {
                            let remove_id = file.id.clone();
                            let label = fill(t_string!(i18n, attach_remove), &file.name);
                            view! {
                                <li>
                                    <span>{file.name.clone()}</span>
                                    " "
                                    <span class="hint">
                                        {file_size(file.size, current_language(i18n))}
                                    </span>
                                    " "
                                    <button
                                        type="button"
                                        class="link-button"
                                        aria-label=label
                                        on:click=move |_| {
                                            let kept = files
                                                .get_untracked()
                                                .into_iter()
                                                .filter(|f| f.id != remove_id)
                                                .collect();
                                            on_change.run(kept);
                                        }
                                    >
                                        {say!(i18n, remove)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

fn files_of(list: web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
