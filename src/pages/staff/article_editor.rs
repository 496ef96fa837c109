//! Writing an article in one language: fields, the Markdown editor with preview,
//! save (a new revision), publish, archive, history with diff and restore, and how
//! readers rate it. Unsaved edits live in this browser until the server has them
//! (`crate::drafts`), so a reload or a failed request loses nothing.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use selfdesk_shared::kb_authoring::{
    ArticleStatus, PublishRequest, Revision, SaveRevisionRequest, StaffArticle, check_body,
    check_summary, check_tags, check_title,
};
use selfdesk_shared::language::Language;

use crate::api::{self, ApiError};
use crate::components::article_fields::{
    category_options, field_message, refusals, server_problem,
};
use crate::components::article_stats::ArticleStatsPanel;
use crate::components::dates::date_time;
use crate::components::form::{ErrorSummary, Field, Problems};
use crate::components::language::current_language;
use crate::components::markdown_editor::MarkdownEditor;
use crate::components::page_title::page_title;
use crate::components::revision_history::RevisionHistory;
use crate::components::status::{ErrorText, Loaded};
use crate::drafts::{self, ArticleDraft};
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::staff::articles::StatusBadge;

#[component]
pub fn ArticleEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let lang = move || {
        query
            .read()
            .get("lang")
            .as_deref()
            .and_then(Language::from_tag)
            .unwrap_or(Language::En)
    };
    let article = LocalResource::new(move || {
        let slug = slug();
        async move { api::staff_article(&slug).await }
    });
    // Outlives the editor, which is rebuilt when the article reloads after publishing.
    let notice = RwSignal::new(Notice::None);
    view! {
        <Loaded resource=article let:loaded>
            {
                let lang = lang();
                view! { <Editor article=loaded lang notice on_changed=move |_| article.refetch() /> }
            }
        </Loaded>
    }
}

/// The fields as the form holds them.
#[derive(Clone, PartialEq)]
struct Fields {
    title: String,
    summary: String,
    tags: String,
    category: String,
    body: String,
}

impl Fields {
    fn of(revision: &Revision) -> Self {
        Self {
            title: revision.title.clone(),
            summary: revision.summary.clone(),
            tags: revision.tags.join(", "),
            category: revision.category.clone(),
            body: revision.body.clone(),
        }
    }

    fn tags(&self) -> Vec<String> {
        self.tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Clone)]
enum Notice {
    None,
    Restored(f64),
    Saved(i64),
    Published(i64),
    StatusChanged,
    Failed(ApiError),
}

#[component]
fn Editor(
    article: StaffArticle,
    lang: Language,
    notice: RwSignal<Notice>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let slug = article.slug.clone();
    let translation = article
        .translations
        .iter()
        .find(|t| t.lang == lang)
        .cloned();
    let empty = Fields {
        title: String::new(),
        summary: String::new(),
        tags: String::new(),
        category: article.category.clone(),
        body: String::new(),
    };
    let server = RwSignal::new(
        translation
            .as_ref()
            .map_or(empty, |t| Fields::of(&t.latest)),
    );
    let base = RwSignal::new(translation.as_ref().map(|t| t.latest.number));
    let published_revision = translation.as_ref().and_then(|t| t.published_revision);
    let status = article.status;

    // A draft left in this browser wins over the server's text: it is newer work.
    let local = drafts::load(&slug, lang).filter(|d| {
        d.base_revision == base.get_untracked()
            && Fields {
                title: d.title.clone(),
                summary: d.summary.clone(),
                tags: d.tags.clone(),
                category: d.category.clone(),
                body: d.body.clone(),
            } != server.get_untracked()
    });
    let start = match &local {
        Some(d) => Fields {
            title: d.title.clone(),
            summary: d.summary.clone(),
            tags: d.tags.clone(),
            category: d.category.clone(),
            body: d.body.clone(),
        },
        None => server.get_untracked(),
    };
    if let Some(d) = &local {
        notice.set(Notice::Restored(d.saved_at));
    }
    let title = RwSignal::new(start.title);
    page_title(move || title.get());
    let summary = RwSignal::new(start.summary);
    let tags = RwSignal::new(start.tags);
    let category = RwSignal::new(start.category);
    let body = RwSignal::new(start.body);
    let problems = Problems::new();
    // `base_revision` (someone saved meanwhile) is the notice's to explain.
    let id_of = |field: &str| {
        ["title", "category", "summary", "tags", "body"]
            .contains(&field)
            .then(|| format!("edit-{field}"))
    };
    let history_version = RwSignal::new(0u32);
    let current = move || Fields {
        title: title.get(),
        summary: summary.get(),
        tags: tags.get(),
        category: category.get(),
        body: body.get(),
    };
    let dirty = Memo::new(move |_| current() != server.get());

    // Every edit goes to this browser's storage at once.
    {
        let slug = slug.clone();
        Effect::new(move |_| {
            let fields = current();
            if fields == server.get() {
                drafts::clear(&slug, lang);
                return;
            }
            drafts::store(
                &slug,
                lang,
                &ArticleDraft {
                    title: fields.title,
                    summary: fields.summary,
                    tags: fields.tags,
                    category: fields.category,
                    body: fields.body,
                    base_revision: base.get_untracked(),
                    saved_at: js_sys::Date::now(),
                },
            );
        });
    }

    let check = move |fields: &Fields| {
        refusals(
            i18n,
            [
                check_title(&fields.title).map(|_| ()),
                check_summary(&fields.summary).map(|_| ()),
                check_tags(&fields.tags()).map(|_| ()),
                check_body(&fields.body),
            ],
            id_of,
        )
    };

    // Saves the form as a new revision if it differs from the server's; returns the
    // revision the server now has.
    let save_slug = slug.clone();
    let save = move || {
        let slug = save_slug.clone();
        async move {
            let fields = current();
            if fields == server.get_untracked()
                && let Some(number) = base.get_untracked()
            {
                return Ok(Some(number));
            }
            if !problems.show(check(&fields)) {
                return Ok(None);
            }
            let request = SaveRevisionRequest {
                lang: lang.code().to_owned(),
                title: fields.title.trim().to_owned(),
                summary: fields.summary.trim().to_owned(),
                body: fields.body.clone(),
                tags: fields.tags(),
                category: fields.category.clone(),
                base_revision: base.get_untracked(),
            };
            match api::save_revision(&slug, &request).await {
                Ok(revision) => {
                    problems.clear();
                    base.set(Some(revision.number));
                    server.set(fields);
                    drafts::clear(&slug, lang);
                    history_version.update(|v| *v += 1);
                    Ok(Some(revision.number))
                }
                Err(error) => {
                    if let Some(found) = server_problem(i18n, &error, id_of) {
                        problems.show(vec![found]);
                    }
                    Err(error)
                }
            }
        }
    };
    let save_action = {
        let save = save.clone();
        Action::new_local(move |_: &()| {
            let save = save.clone();
            async move {
                match save().await {
                    Ok(Some(number)) => notice.set(Notice::Saved(number)),
                    Ok(None) => {}
                    Err(error) => notice.set(Notice::Failed(error)),
                }
            }
        })
    };
    let publish_action = {
        let save = save.clone();
        let slug = slug.clone();
        Action::new_local(move |_: &()| {
            let save = save.clone();
            let slug = slug.clone();
            async move {
                let number = match save().await {
                    Ok(Some(number)) => number,
                    Ok(None) => return,
                    Err(error) => return notice.set(Notice::Failed(error)),
                };
                let request = PublishRequest {
                    lang: lang.code().to_owned(),
                    revision: number,
                };
                match api::publish(&slug, &request).await {
                    Ok(_) => {
                        notice.set(Notice::Published(number));
                        on_changed.run(());
                    }
                    Err(error) => notice.set(Notice::Failed(error)),
                }
            }
        })
    };
    let status_action = {
        let slug = slug.clone();
        Action::new_local(move |to: &ArticleStatus| {
            let (slug, to) = (slug.clone(), *to);
            async move {
                match api::set_status(&slug, to).await {
                    Ok(_) => {
                        notice.set(Notice::StatusChanged);
                        on_changed.run(());
                    }
                    Err(error) => notice.set(Notice::Failed(error)),
                }
            }
        })
    };
    let busy = move || {
        save_action.pending().get()
            || publish_action.pending().get()
            || status_action.pending().get()
    };

    // Ctrl+S (⌘S) saves from anywhere on the page, instead of the browser's "Save page".
    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            save_action.dispatch(());
        }
    });
    on_cleanup(move || shortcut.remove());

    let on_restored = move |revision: Revision| {
        let fields = Fields::of(&revision);
        title.set(fields.title.clone());
        summary.set(fields.summary.clone());
        tags.set(fields.tags.clone());
        category.set(fields.category.clone());
        body.set(fields.body.clone());
        base.set(Some(revision.number));
        server.set(fields);
        history_version.update(|v| *v += 1);
        notice.set(Notice::Saved(revision.number));
    };
    let discard = {
        let slug = slug.clone();
        move |_| {
            let fields = server.get_untracked();
            title.set(fields.title);
            summary.set(fields.summary);
            tags.set(fields.tags);
            category.set(fields.category);
            body.set(fields.body);
            drafts::clear(&slug, lang);
            notice.set(Notice::None);
        }
    };

    let notice_view = move || {
        match notice.get() {
        Notice::None => ().into_any(),
        Notice::Restored(saved_at) => view! {
            <div class="panel panel-info" role="status">
                <p>{t!(i18n, editor_restored_local, time = move || date_time((saved_at / 1000.0) as i64, current_language(i18n)))}</p>
                <button type="button" class="button button-quiet" on:click=discard.clone()>{t!(i18n, editor_discard)}</button>
            </div>
        }.into_any(),
        Notice::Saved(n) => view! { <p class="panel panel-info" role="status">{t!(i18n, editor_saved, number = move || n)}</p> }.into_any(),
        Notice::Published(n) => view! { <p class="panel panel-info" role="status">{t!(i18n, editor_published, number = move || n)}</p> }.into_any(),
        Notice::StatusChanged => view! { <p class="panel panel-info" role="status">{t!(i18n, editor_status_changed)}</p> }.into_any(),
        Notice::Failed(error) => {
            let kept = error == ApiError::Network;
            view! {
                <div class="panel panel-error" role="alert">
                    <p><ErrorText error=error.clone() /></p>
                    {kept.then(|| view! { <p>{t!(i18n, editor_kept_locally)}</p> })}
                    {error.field().map(|f| view! { <p>{field_message(i18n, f, matches!(error, ApiError::Server { status: 409, .. }))}</p> })}
                </div>
            }.into_any()
        }
    }
    };

    let categories =
        LocalResource::new(move || async move { api::kb_categories(Language::En).await });
    let language_tabs = Language::ALL
        .into_iter()
        .map(|l| {
            let href = format!("/staff/kb/{}?lang={}", article.slug, l.code());
            let exists = article.translations.iter().any(|t| t.lang == l);
            let current = l == lang;
            view! {
                <li>
                    // A plain link: the router's <A> would mark every tab current, as
                    // they differ only in the query.
                    <a href=href aria-current=current.then_some("page") class=if exists { "tab" } else { "tab tab-missing" }>
                        {l.native_name()}
                        {(!exists).then(|| view! { <span class="visually-hidden">" "{t!(i18n, editor_not_written)}</span> })}
                    </a>
                </li>
            }
        })
        .collect_view();
    let reader_href = format!("/kb/{}?lang={}", article.slug, lang.code());
    let is_published_here = published_revision.is_some() && status == ArticleStatus::Published;

    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs_label)>
            <ol><li><A href="/staff/kb">{t!(i18n, staff_kb_title)}</A></li></ol>
        </nav>
        <header class="page-header page-header-row">
            <div>
                <h1>{move || if title.get().trim().is_empty() { article.slug.clone() } else { title.get() }}</h1>
                <p class="meta"><StatusBadge status />" "
                    {published_revision.map(|n| view! { <span>{t!(i18n, editor_published_revision, number = move || n)}</span> })}
                    {is_published_here.then(|| view! { " · "<A href=reader_href.clone()>{t!(i18n, editor_view_as_reader)}</A> })}
                </p>
            </div>
        </header>
        <nav aria-label=move || t_string!(i18n, field_language)>
            <ul class="tabs">{language_tabs}</ul>
        </nav>
        {notice_view}
        <form class="form editor-form" novalidate
            on:submit=move |ev| { ev.prevent_default(); save_action.dispatch(()); }>
            <ErrorSummary problems />
            <div class="editor-fields">
                <Field id="edit-title" label=move || t_string!(i18n, field_title) error=problems.at("edit-title") let:c>
                    <input id=c.id.clone() type="text" maxlength="200" aria-invalid=c.invalid() aria-describedby=c.described_by()
                        prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                </Field>
                <Field id="edit-category" label=move || t_string!(i18n, field_category) error=problems.at("edit-category") let:c>
                    {move || categories.get().and_then(Result::ok).map(|tree| view! {
                        <select id=c.id.clone() aria-invalid=c.invalid() aria-describedby=c.described_by() on:change=move |ev| category.set(event_target_value(&ev))>
                            {category_options(&tree.categories).into_iter().map(|(slug, name)| {
                                let selected = category.get_untracked() == slug;
                                view! { <option value=slug selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    })}
                </Field>
                <Field id="edit-summary" label=move || t_string!(i18n, field_summary) hint=move || t_string!(i18n, field_summary_hint) error=problems.at("edit-summary") let:c>
                    <textarea id=c.id.clone() rows="2" maxlength="500" aria-invalid=c.invalid() aria-describedby=c.described_by()
                        prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                </Field>
                <Field id="edit-tags" label=move || t_string!(i18n, field_tags) hint=move || t_string!(i18n, field_tags_hint) error=problems.at("edit-tags") let:c>
                    <input id=c.id.clone() type="text" aria-invalid=c.invalid() aria-describedby=c.described_by()
                        prop:value=tags on:input=move |ev| tags.set(event_target_value(&ev)) />
                </Field>
            </div>
            <MarkdownEditor id="edit-body" value=body error=problems.at("edit-body") />
            <div class="form-actions">
                <p class="save-state" role="status">
                    {move || if dirty.get() { t!(i18n, editor_unsaved).into_any() } else { t!(i18n, editor_all_saved).into_any() }}
                </p>
                <button type="submit" class="button" disabled=busy>{t!(i18n, editor_save)}</button>
                <button type="button" class="button button-primary" disabled=busy
                    on:click=move |_| { publish_action.dispatch(()); }>{t!(i18n, editor_publish)}</button>
                {(status == ArticleStatus::Published).then(|| view! {
                    <button type="button" class="button button-quiet" disabled=busy
                        on:click=move |_| { status_action.dispatch(ArticleStatus::Archived); }>{t!(i18n, editor_archive)}</button>
                })}
                {(status == ArticleStatus::Archived).then(|| view! {
                    <button type="button" class="button button-quiet" disabled=busy
                        on:click=move |_| { status_action.dispatch(ArticleStatus::Published); }>{t!(i18n, editor_republish)}</button>
                })}
            </div>
        </form>
        <section class="section" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, history_title)}</h2>
            <RevisionHistory slug=slug.clone() lang refresh=history_version.into() on_restored />
        </section>
        <section class="section" aria-labelledby="stats-title">
            <h2 id="stats-title">{t!(i18n, stats_title)}</h2>
            <ArticleStatsPanel slug=slug.clone() />
        </section>
    }
}
