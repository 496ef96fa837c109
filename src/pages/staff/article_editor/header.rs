//! Above the form: the way back, the article's title and state, and one tab per
//! language (a language not written yet says so).

use crate::router::A;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb_authoring::{ArticleStatus, StaffArticle};
use selfdesk_shared::language::Language;

use crate::i18n::{t, t_string, use_i18n};
use crate::pages::staff::articles::StatusBadge;

#[component]
pub(super) fn EditorHeader(
    slug: String,
    lang: Language,
    /// As typed: the heading follows the title field.
    title: RwSignal<String>,
    status: ArticleStatus,
    /// The revision readers see in this language, if any.
    published_revision: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reader_href = format!("/kb/{slug}?lang={}", lang.code());
    let is_published_here = published_revision.is_some() && status == ArticleStatus::Published;
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs_label)>
            <ol>
                <li>
                    <A href="/staff/kb">{say!(i18n, staff_kb_title)}</A>
                </li>
            </ol>
        </nav>
        <header class="page-header page-header-row">
            <div>
                <h1>
                    {move || if title.get().trim().is_empty() { slug.clone() } else { title.get() }}
                </h1>
                <p class="meta">
                    <StatusBadge status />
                    " "
                    {published_revision
                        .map(|n| {
                            view! {
                                <span>
                                    {t!(i18n, editor_published_revision, number = move || n)}
                                </span>
                            }
                        })}
                    {is_published_here
                        .then(|| {
                            view! {
                                " · "
                                <A href=reader_href.clone()>{say!(i18n, editor_view_as_reader)}</A>
                            }
                        })}
                </p>
            </div>
        </header>
    }
}

#[component]
pub(super) fn LanguageTabs(article: StaffArticle, lang: Language) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = Language::ALL
        .into_iter()
        .map(|l| {
            let href = format!("/staff/kb/{}?lang={}", article.slug, l.code());
            let exists = article.translations.iter().any(|t| t.lang == l);
            let current = l == lang;
            view! {
                <li>
                    // A plain link: the router's <A> would mark every tab current, as
                    // they differ only in the query.
                    <a
                        href=href
                        aria-current=current.then_some("page")
                        class=if exists { "tab" } else { "tab tab-missing" }
                    >
                        {l.native_name()}
                        {(!exists)
                            .then(|| {
                                view! {
                                    <span class="visually-hidden">
                                        " "{say!(i18n, editor_not_written)}
                                    </span>
                                }
                            })}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav aria-label=move || t_string!(i18n, field_language)>
            <ul class="tabs">{tabs}</ul>
        </nav>
    }
}
