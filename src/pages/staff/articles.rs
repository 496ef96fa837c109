//! Every article, in any status, with what readers think of it: the technician's view
//! of the knowledge base, where stale or unhelpful articles stand out.

use leptos::prelude::*;
use leptos_router::components::A;
use selfdesk_shared::kb_authoring::{ArticleStatus, StaffArticleSummary};

use crate::api;
use crate::components::dates::long_date;
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::staff::search_gaps::SearchNav;

#[component]
pub fn StatusBadge(status: ArticleStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (class, label) = match status {
        ArticleStatus::Draft => ("badge badge-draft", t!(i18n, status_draft).into_any()),
        ArticleStatus::Published => (
            "badge badge-published",
            t!(i18n, status_published).into_any(),
        ),
        ArticleStatus::Archived => ("badge badge-archived", t!(i18n, status_archived).into_any()),
    };
    view! { <span class=class>{label}</span> }
}

#[component]
pub fn StaffArticles() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, staff_kb_title).to_owned());
    let filter = RwSignal::new(None::<ArticleStatus>);
    let list = Fetch::new(move || {
        let status = filter.get();
        async move { api::staff_articles(status).await }
    });
    let row = move |a: StaffArticleSummary| {
        let href = format!("/staff/kb/{}", a.slug);
        let languages = a
            .languages
            .iter()
            .map(|l| {
                let published = a.published_languages.contains(l);
                view! {
                    <span class="lang-tag" class:lang-published=published>
                        {l.code()}
                    </span>
                }
            })
            .collect_view();
        let updated = long_date(a.last_edited_at, current_language(i18n));
        let attention = a.not_helpful > a.helpful;
        view! {
            <tr>
                <td>
                    <A href=href>{a.title}</A>
                    <div class="muted small">{a.slug.to_string()}</div>
                </td>
                <td>
                    <StatusBadge status=a.status />
                </td>
                <td>{languages}</td>
                <td class="num">{a.views}</td>
                <td class="num">{a.helpful}</td>
                <td class="num" class:attention=attention>
                    {a.not_helpful}
                </td>
                <td>{updated}</td>
            </tr>
        }
    };
    view! {
        <header class="page-header page-header-row">
            <div>
                <h1>{t!(i18n, staff_kb_title)}</h1>
                <p class="lead">{t!(i18n, staff_kb_lead)}</p>
            </div>
            <A href="/staff/kb/new" attr:class="button button-primary">
                {t!(i18n, staff_kb_new)}
            </A>
        </header>
        <SearchNav />
        <div class="filters">
            <label for="status-filter">{t!(i18n, col_status)}</label>
            <select
                id="status-filter"
                on:change=move |ev| filter.set(ArticleStatus::parse(&event_target_value(&ev)))
            >
                <option value="">{t!(i18n, filter_all)}</option>
                <option value="draft">{t!(i18n, status_draft)}</option>
                <option value="published">{t!(i18n, status_published)}</option>
                <option value="archived">{t!(i18n, status_archived)}</option>
            </select>
        </div>
        <Loaded resource=list let:list>
            {match list {
                list if list.articles.is_empty() => {
                    view! { <p>{t!(i18n, staff_kb_empty)}</p> }.into_any()
                }
                list => {
                    view! {
                        <div class="table-scroll">
                            <table class="table">
                                <caption class="visually-hidden">
                                    {t!(i18n, staff_kb_title)}
                                </caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, field_title)}</th>
                                        <th scope="col">{t!(i18n, col_status)}</th>
                                        <th scope="col">{t!(i18n, col_languages)}</th>
                                        <th scope="col" class="num">
                                            {t!(i18n, stats_views)}
                                        </th>
                                        <th scope="col" class="num">
                                            {t!(i18n, stats_helpful)}
                                        </th>
                                        <th scope="col" class="num">
                                            {t!(i18n, stats_not_helpful)}
                                        </th>
                                        <th scope="col">{t!(i18n, col_edited)}</th>
                                    </tr>
                                </thead>
                                <tbody>{list.articles.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
        </Loaded>
    }
}
