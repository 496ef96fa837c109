//! Writing an article in one language: fields, the Markdown editor with preview,
//! save (a new revision), publish, archive, history with diff and restore, and how
//! readers rate it. Unsaved edits live in this browser until the server has them
//! (`crate::drafts`), so a reload or a failed request loses nothing.

mod fields;
mod header;
mod notice;
mod saving;
mod state;

use crate::router::{use_params_map, use_query_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb_authoring::{Revision, StaffArticle};
use selfdesk_shared::language::Language;

use self::fields::{ArticleFields, SaveBar};
use self::header::{EditorHeader, LanguageTabs};
use self::notice::{Notice, NoticePanel};
use self::saving::EditorActions;
use self::state::{Editing, Fields, Form};
use crate::api;
use crate::components::article_stats::ArticleStatsPanel;
use crate::components::form::{ErrorSummary, Problems};
use crate::components::markdown_editor::MarkdownEditor;
use crate::components::page_title::page_title;
use crate::components::revision_history::RevisionHistory;
use crate::components::status::Loaded;
use crate::drafts::{self, ArticleDraft};
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};

#[component]
pub fn ArticleEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, staff_kb_title).to_owned());
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
    let article = Fetch::new(move || {
        let slug = slug();
        async move { api::staff_article(&slug).await }
    });
    // Outlives the editor, which is rebuilt when the article reloads after publishing.
    let notice = RwSignal::new(Notice::None);
    view! {
        <Loaded resource=article let:loaded>
            {
                let lang = lang();
                view! {
                    <Editor article=loaded lang notice on_changed=move |_| article.refetch() />
                }
            }
        </Loaded>
    }
}

#[component]
fn Editor(
    article: StaffArticle,
    lang: Language,
    notice: RwSignal<Notice>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = start_editing(&article, lang, notice);
    let Editing {
        form,
        server,
        problems,
        ..
    } = editing;
    let slug = article.slug.to_string();
    // An untitled translation is named as its heading names it: by the slug.
    page_title(move || {
        let title = form.title.get();
        if title.trim().is_empty() {
            slug.clone()
        } else {
            title
        }
    });
    keep_in_browser(editing);
    let dirty = Memo::new(move |_| form.current() != server.get());
    let actions = EditorActions::new(editing, on_changed);
    actions.save_on_shortcut();
    let translation = article.translations.iter().find(|t| t.lang == lang);
    let published_revision = translation.and_then(|t| t.published_revision);
    let status = article.status;
    let slug = article.slug.to_string();

    view! {
        <EditorHeader slug=slug.clone() lang title=form.title status published_revision />
        <LanguageTabs article lang />
        <NoticePanel notice on_discard=Callback::new(move |()| discard(editing)) />
        <form
            class="form editor-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                actions.save.dispatch(());
            }
        >
            <ErrorSummary problems />
            <ArticleFields form problems />
            <MarkdownEditor id="edit-body" value=form.body error=problems.at("edit-body") />
            <SaveBar actions status dirty />
        </form>
        <section class="section" aria-labelledby="history-title">
            <h2 id="history-title">{say!(i18n, history_title)}</h2>
            <RevisionHistory
                slug=slug.clone()
                lang
                refresh=editing.history_version.into()
                on_restored=move |revision: Revision| editing.restored(revision)
            />
        </section>
        <section class="section" aria-labelledby="stats-title">
            <h2 id="stats-title">{say!(i18n, stats_title)}</h2>
            <ArticleStatsPanel slug />
        </section>
    }
}

impl Fields {
    fn of_draft(d: &ArticleDraft) -> Self {
        Self {
            title: d.title.clone(),
            summary: d.summary.clone(),
            tags: d.tags.clone(),
            category: d.category.clone(),
            body: d.body.clone(),
        }
    }
}

/// The form starts from the server's newest revision in `lang`, or from a draft left
/// in this browser: it wins over the server's text, as it is newer work.
fn start_editing(article: &StaffArticle, lang: Language, notice: RwSignal<Notice>) -> Editing {
    let slug = article.slug.to_string();
    let translation = article.translations.iter().find(|t| t.lang == lang);
    let empty = Fields {
        title: String::new(),
        summary: String::new(),
        tags: String::new(),
        category: article.category.clone(),
        body: String::new(),
    };
    let server = translation.map_or(empty, |t| Fields::of(&t.latest));
    let base = translation.map(|t| t.latest.number);
    let local = drafts::load(&slug, lang)
        .filter(|d| d.base_revision == base && Fields::of_draft(d) != server);
    if let Some(d) = &local {
        notice.set(Notice::Restored(d.saved_at));
    }
    let start = local
        .as_ref()
        .map_or_else(|| server.clone(), Fields::of_draft);
    Editing {
        slug: StoredValue::new(slug),
        lang,
        form: Form::new(start),
        server: RwSignal::new(server),
        base: RwSignal::new(base),
        problems: Problems::new(),
        notice,
        history_version: RwSignal::new(0),
    }
}

/// Every edit goes to this browser's storage at once, and leaves it once the server
/// has the same text.
fn keep_in_browser(editing: Editing) {
    let Editing {
        lang,
        form,
        server,
        base,
        ..
    } = editing;
    let slug = editing.slug.get_value();
    Effect::new(move |_| {
        let fields = form.current();
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

/// Drops a restored draft: the form goes back to the server's text.
fn discard(editing: Editing) {
    let Editing {
        lang,
        form,
        server,
        notice,
        ..
    } = editing;
    let slug = editing.slug.get_value();
    form.set(server.get_untracked());
    drafts::clear(&slug, lang);
    notice.set(Notice::None);
}
