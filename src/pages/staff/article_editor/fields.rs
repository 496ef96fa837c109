//! The form's controls and the bar of buttons under them.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb_authoring::ArticleStatus;
use selfdesk_shared::language::Language;

use super::saving::EditorActions;
use super::state::Form;
use crate::api;
use crate::components::article_fields::category_options;
use crate::components::form::{Field, Problems, TextField};
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};

/// Title, category, summary and tags; the body has its own editor.
#[component]
pub(super) fn ArticleFields(form: Form, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    let Form {
        title,
        summary,
        tags,
        category,
        ..
    } = form;
    let categories = Fetch::new(move || async move { api::kb_categories(Language::En).await });
    view! {
        <div class="editor-fields">
            <TextField
                id="edit-title"
                label=move || t_string!(i18n, field_title)
                error=problems.at("edit-title")
                maxlength=200
                value=title
                on_input=move |v: String| title.set(v)
            />
            <Field
                id="edit-category"
                label=move || t_string!(i18n, field_category)
                error=problems.at("edit-category")
                let:c
            >
                {move || {
                    categories
                        .get()
                        .and_then(Result::ok)
                        .map(|tree| {
                            view! {
                                <select
                                    id=c.id.clone()
                                    aria-invalid=c.invalid()
                                    aria-describedby=c.described_by()
                                    on:change=move |ev| category.set(event_target_value(&ev))
                                >
                                    {category_options(&tree.categories)
                                        .into_iter()
                                        .map(|(slug, name)| {
                                            let selected = category.get_untracked() == slug;
                                            view! {
                                                <option value=slug selected=selected>
                                                    {name}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            }
                        })
                }}
            </Field>
            <Field
                id="edit-summary"
                label=move || t_string!(i18n, field_summary)
                hint=move || t_string!(i18n, field_summary_hint)
                error=problems.at("edit-summary")
                let:c
            >
                <textarea
                    id=c.id.clone()
                    rows="2"
                    maxlength="500"
                    aria-invalid=c.invalid()
                    aria-describedby=c.described_by()
                    prop:value=summary
                    on:input=move |ev| summary.set(event_target_value(&ev))
                ></textarea>
            </Field>
            <TextField
                id="edit-tags"
                label=move || t_string!(i18n, field_tags)
                hint=move || t_string!(i18n, field_tags_hint)
                error=problems.at("edit-tags")
                value=tags
                on_input=move |v: String| tags.set(v)
            />
        </div>
    }
}

/// Whether everything is saved, and the buttons: save (the form's submit), publish,
/// and archive or republish by the article's state.
#[component]
pub(super) fn SaveBar(
    actions: EditorActions,
    status: ArticleStatus,
    dirty: Memo<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = move || actions.busy();
    view! {
        <div class="form-actions">
            <p class="save-state" role="status">
                {move || {
                    if dirty.get() {
                        say!(i18n, editor_unsaved).into_any()
                    } else {
                        say!(i18n, editor_all_saved).into_any()
                    }
                }}
            </p>
            <button type="submit" class="button" disabled=busy>
                {say!(i18n, editor_save)}
            </button>
            <button
                type="button"
                class="button button-primary"
                disabled=busy
                on:click=move |_| {
                    actions.publish.dispatch(());
                }
            >
                {say!(i18n, editor_publish)}
            </button>
            {(status == ArticleStatus::Published)
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button-quiet"
                            disabled=busy
                            on:click=move |_| {
                                actions.status.dispatch(ArticleStatus::Archived);
                            }
                        >
                            {say!(i18n, editor_archive)}
                        </button>
                    }
                })}
            {(status == ArticleStatus::Archived)
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button-quiet"
                            disabled=busy
                            on:click=move |_| {
                                actions.status.dispatch(ArticleStatus::Published);
                            }
                        >
                            {say!(i18n, editor_republish)}
                        </button>
                    }
                })}
        </div>
    }
}
