//! Every article, in any status, with what readers think of it: the technician's view
//! of the knowledge base, where stale or unhelpful articles stand out. Admins and
//! tier-3 technicians also choose here which articles requesters' devices keep for
//! offline use (the portal's service worker saves them).

use crate::router::A;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb_authoring::{ArticleStatus, StaffArticleSummary};
use selfdesk_shared::offline::{MAX_OFFLINE_ARTICLES, OfflineList};

use crate::api::{self, ApiError};
use crate::components::dates::long_date;
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::status::{ActionFailure, Loaded};
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::pages::staff::search_gaps::SearchNav;
use crate::session::use_session;
use crate::text::fill;

#[component]
pub fn StatusBadge(status: ArticleStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (class, label) = match status {
        ArticleStatus::Draft => ("badge badge-draft", say!(i18n, status_draft).into_any()),
        ArticleStatus::Published => (
            "badge badge-published",
            say!(i18n, status_published).into_any(),
        ),
        ArticleStatus::Archived => (
            "badge badge-archived",
            say!(i18n, status_archived).into_any(),
        ),
    };
    view! { <span class=class>{label}</span> }
}

/// The articles marked "available offline", as the server last said, and changing
/// them: each change reads the list again and sends it whole.
#[derive(Clone, Copy)]
struct OfflineMarks {
    /// `None` until the server has answered.
    slugs: RwSignal<Option<Vec<String>>>,
    save: Action<(String, bool), Result<OfflineList, ApiError>>,
    may_change: Signal<bool>,
}

impl OfflineMarks {
    fn new() -> Self {
        let slugs = RwSignal::new(None::<Vec<String>>);
        leptos::task::spawn_local(async move {
            if let Ok(list) = api::offline_articles().await {
                slugs.try_set(Some(list.articles));
            }
        });
        // The list is read again just before it is written, so a tick made meanwhile
        // by someone else is kept.
        let save = Action::new_local(|(slug, on): &(String, bool)| {
            let (slug, on) = (slug.clone(), *on);
            async move {
                let mut list = api::offline_articles().await?.articles;
                list.retain(|s| *s != slug);
                if on {
                    list.push(slug);
                }
                api::save_offline_articles(&OfflineList { articles: list }).await
            }
        });
        Effect::new(move |_| match save.value().get() {
            Some(Ok(saved)) => slugs.set(Some(saved.articles)),
            // Refused: the boxes go back to what is saved.
            Some(Err(_)) => slugs.update(|_| ()),
            None => {}
        });
        let session = use_session();
        let may_change = Signal::derive(move || {
            session
                .member
                .with(|m| m.as_ref().is_some_and(|m| m.role.is_expert()))
        });
        Self {
            slugs,
            save,
            may_change,
        }
    }

    fn has(self, slug: &str) -> bool {
        self.slugs
            .with(|list| list.as_ref().is_some_and(|l| l.iter().any(|s| s == slug)))
    }

    fn count(self) -> usize {
        self.slugs.with(|list| list.as_ref().map_or(0, Vec::len))
    }

    /// Whether the box of `slug` may be changed: by an expert, once the list is known,
    /// and a new mark only below the limit. Not disabled while a change is saved (the
    /// focus would leave the box): a change then is put back (`set`).
    fn changeable(self, slug: &str) -> bool {
        self.may_change.get()
            && self.slugs.with(Option::is_some)
            && (self.has(slug) || self.count() < MAX_OFFLINE_ARTICLES)
    }

    fn set(self, slug: String, on: bool) {
        if self.save.pending().get_untracked() {
            self.slugs.update(|_| ());
            return;
        }
        self.save.dispatch((slug, on));
    }
}

/// What the "Offline" column means, and how many are marked.
#[component]
fn OfflineNote(marks: OfflineMarks) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="hint">
            {say!(i18n, staff_kb_offline_hint)}" "
            <span role="status">
                {move || {
                    fill(
                        &fill(t_string!(i18n, staff_kb_offline_count), marks.count()),
                        MAX_OFFLINE_ARTICLES,
                    )
                }}
            </span>
        </p>
        <ActionFailure action=marks.save />
    }
}

#[component]
pub fn StaffArticles() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, staff_kb_title).to_owned());
    let marks = OfflineMarks::new();
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
        let offline_label = fill(t_string!(i18n, staff_kb_offline_label), &a.title);
        let slug = StoredValue::new(a.slug.to_string());
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
                <td class="center">
                    <input
                        type="checkbox"
                        aria-label=offline_label
                        prop:checked=move || slug.with_value(|s| marks.has(s))
                        disabled=move || !slug.with_value(|s| marks.changeable(s))
                        on:change=move |ev| marks.set(slug.get_value(), event_target_checked(&ev))
                    />
                </td>
            </tr>
        }
    };
    view! {
        <header class="page-header page-header-row">
            <div>
                <h1>{say!(i18n, staff_kb_title)}</h1>
                <p class="lead">{say!(i18n, staff_kb_lead)}</p>
            </div>
            <A href="/staff/kb/new" attr:class="button button-primary">
                {say!(i18n, staff_kb_new)}
            </A>
        </header>
        <SearchNav />
        <div class="filters">
            <label for="status-filter">{say!(i18n, col_status)}</label>
            <select
                id="status-filter"
                on:change=move |ev| filter.set(ArticleStatus::parse(&event_target_value(&ev)))
            >
                <option value="">{say!(i18n, filter_all)}</option>
                <option value="draft">{say!(i18n, status_draft)}</option>
                <option value="published">{say!(i18n, status_published)}</option>
                <option value="archived">{say!(i18n, status_archived)}</option>
            </select>
        </div>
        <OfflineNote marks />
        <Loaded resource=list let:list>
            {match list {
                list if list.articles.is_empty() => {
                    view! { <p>{say!(i18n, staff_kb_empty)}</p> }.into_any()
                }
                list => {
                    view! {
                        <div class="table-scroll">
                            <table class="table">
                                <caption class="visually-hidden">
                                    {say!(i18n, staff_kb_title)}
                                </caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{say!(i18n, field_title)}</th>
                                        <th scope="col">{say!(i18n, col_status)}</th>
                                        <th scope="col">{say!(i18n, col_languages)}</th>
                                        <th scope="col" class="num">
                                            {say!(i18n, stats_views)}
                                        </th>
                                        <th scope="col" class="num">
                                            {say!(i18n, stats_helpful)}
                                        </th>
                                        <th scope="col" class="num">
                                            {say!(i18n, stats_not_helpful)}
                                        </th>
                                        <th scope="col">{say!(i18n, col_edited)}</th>
                                        <th scope="col" class="center">
                                            {say!(i18n, staff_kb_offline_col)}
                                        </th>
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
