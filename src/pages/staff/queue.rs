//! The technicians' queue: open tickets, the nearest deadline first, with quick
//! filters and their counts, finer filters kept in the address (so a filtered queue
//! can be bookmarked or shared), pages loaded on demand, and live updates.
//!
//! Keyboard: `j` / `k` (or the arrow keys) move between tickets, Enter opens one.

use crate::router::{use_navigate, use_query_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::queue::{
    AssigneeFilter, DueFilter, QueueCounts, QueueFilter, QueueItem, QueueSort, StatusFilter,
};
use selfdesk_shared::sla::Priority;
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::TicketCategory;
use selfdesk_shared::tier::Tier;

use crate::api::{self, ApiError};
use crate::components::form::Field;
use crate::components::language::reading_language;
use crate::components::page_title::page_title;
use crate::components::status::{ErrorPanel, Loading};
use crate::components::ticket_words::{
    priority_label, sla_countdown, status_label, tier_label, unix_now,
};
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::live::use_event_source;
use crate::pages::staff::queue_keys::{self, remember_order};
use crate::text::fill;

/// The filter in the address bar; values the queue does not know are ignored here
/// (the filter controls then show the default) rather than breaking the page.
fn filter_from_query(q: &crate::router::ParamsMap) -> QueueFilter {
    QueueFilter::parse(
        q.get("status").as_deref(),
        q.get("tier").as_deref(),
        q.get("priority").as_deref(),
        q.get("category").as_deref(),
        q.get("assignee").as_deref(),
        q.get("due").as_deref(),
        q.get("sort").as_deref(),
    )
    .unwrap_or_default()
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready,
    Failed(ApiError),
}

#[component]
pub fn StaffQueue() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, queue_title).to_owned());
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let filter = Memo::new(move |_| query.with(filter_from_query));
    let rows = RwSignal::new(Vec::<QueueItem>::new());
    let counts = RwSignal::new(None::<QueueCounts>);
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(Load::Loading);
    let announcement = RwSignal::new(String::new());
    // Answers to an older filter are dropped when a newer request is under way.
    let generation = StoredValue::new(0u32);
    let loading_more = StoredValue::new(false);
    // The language is read (tracked) before the future, so a change of it asks again.
    let categories = Fetch::new(move || {
        let language = reading_language(i18n);
        async move {
            api::ticket_categories(language)
                .await
                .map(|l| l.categories)
                .unwrap_or_default()
        }
    });
    let assignees =
        Fetch::new(|| async { api::assignees().await.map(|l| l.staff).unwrap_or_default() });

    // `more`: append the next page; otherwise read from the start, as many rows as are
    // shown up to 200 (a live refresh keeps what the technician scrolled to, within
    // the largest page the API gives).
    let load = move |more: bool| {
        let filter = filter.get_untracked();
        let after = if more { next.get_untracked() } else { None };
        let shown = rows.with_untracked(Vec::len);
        let limit = if more { 50 } else { shown.clamp(50, 200) };
        if !more && loading_more.get_value() {
            // The page being appended arrives with the newest state anyway.
            return;
        }
        loading_more.set_value(more);
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if !more && shown == 0 {
            state.set(Load::Loading);
        }
        leptos::task::spawn_local(async move {
            let mut query = filter.to_query();
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("limit={limit}"));
            let result = api::staff_queue(&query, after.as_deref()).await;
            if more {
                loading_more.try_set_value(false);
            }
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(page) => {
                    // A refresh that moves rows would drop the keyboard focus with the
                    // old table: it is put back on the same row position.
                    let focused = queue_keys::focused_row();
                    if more {
                        rows.update(|r| {
                            // Keys move while paging: a ticket already shown is not repeated.
                            let shown: std::collections::HashSet<TicketNumber> =
                                r.iter().map(|t| t.number.clone()).collect();
                            r.extend(
                                page.tickets
                                    .into_iter()
                                    .filter(|t| !shown.contains(&t.number)),
                            );
                        });
                    } else if rows.with_untracked(|r| *r != page.tickets) {
                        rows.set(page.tickets);
                    }
                    next.set(page.next);
                    counts.set(Some(page.counts));
                    if state.get_untracked() != Load::Ready {
                        state.set(Load::Ready);
                    }
                    rows.with_untracked(|r| remember_order(r));
                    if let Some(index) = focused {
                        queue_keys::focus_row_soon(index);
                    }
                }
                // A failed refresh keeps the rows on screen.
                Err(error) if rows.with_untracked(Vec::is_empty) => state.set(Load::Failed(error)),
                Err(_) => {}
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        rows.set(Vec::new());
        load(false);
    });

    // Live: every ticket event anywhere refreshes the page shown.
    let pending_refresh = StoredValue::new(false);
    let last_announced = StoredValue::new(0.0f64);
    use_event_source(
        || Some(api::staff_queue_events_url()),
        move |_| {
            // A burst of events (an incident closing many tickets) is one refresh and at
            // most one announcement every few seconds.
            if pending_refresh.get_value() {
                return;
            }
            pending_refresh.set_value(true);
            set_timeout(
                move || {
                    pending_refresh.try_set_value(false);
                    let now = js_sys::Date::now();
                    if now - last_announced.try_get_value().unwrap_or(0.0) > 5_000.0 {
                        last_announced.try_set_value(now);
                        announcement.try_set(t_string!(i18n, queue_updated).to_string());
                    }
                    load(false);
                },
                std::time::Duration::from_millis(300),
            );
        },
    );

    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        queue_keys::on_queue_key(&ev);
    });
    on_cleanup(move || keys.remove());

    let go = move |f: QueueFilter| {
        let query = f.to_query();
        let path = if query.is_empty() {
            "/staff/tickets".to_owned()
        } else {
            format!("/staff/tickets?{query}")
        };
        navigate.with_value(|n| n(&path, Default::default()));
    };

    view! {
        <p class="visually-hidden" role="status" aria-live="polite">
            {move || announcement.get()}
        </p>
        <header class="page-header">
            <h1>{say!(i18n, queue_title)}</h1>
            <p class="hint">{say!(i18n, queue_keys_hint)}</p>
        </header>
        <QuickFilters filter counts go />
        <FilterForm
            filter
            go
            categories=Signal::derive(move || categories.get().unwrap_or_default())
            assignees=Signal::derive(move || assignees.get().unwrap_or_default())
        />
        {move || match state.get() {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(error) => {
                view! { <ErrorPanel error on_retry=move || load(false) /> }.into_any()
            }
            Load::Ready => {
                view! {
                    <QueueTable
                        rows=rows.into()
                        categories=Signal::derive(move || categories.get().unwrap_or_default())
                    />
                    {move || {
                        next.get()
                            .is_some()
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="button"
                                        on:click=move |_| load(true)
                                    >
                                        {say!(i18n, queue_more)}
                                    </button>
                                }
                            })
                    }}
                }
                    .into_any()
            }
        }}
    }
}

/// The common views, one click away, each with how many open tickets it holds.
#[component]
fn QuickFilters(
    filter: Memo<QueueFilter>,
    counts: RwSignal<Option<QueueCounts>>,
    go: impl Fn(QueueFilter) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = QueueFilter::default();
    let chip = move |label: String, target: QueueFilter, count: fn(&QueueCounts) -> i64| {
        let current = {
            let target = target.clone();
            move || filter.get() == target
        };
        let target_href = target.to_query();
        view! {
            <li>
                <a
                    class="chip"
                    href=format!(
                        "/staff/tickets{}{}",
                        if target_href.is_empty() { "" } else { "?" },
                        target_href,
                    )
                    aria-current=move || current().then_some("page")
                    on:click=move |ev| {
                        ev.prevent_default();
                        go(target.clone());
                    }
                >
                    {label}
                    " "
                    <span class="chip-count">
                        {move || counts.get().map(|c| count(&c).to_string()).unwrap_or_default()}
                    </span>
                </a>
            </li>
        }
    };
    let with = |f: fn(&mut QueueFilter)| {
        let mut filter = QueueFilter::default();
        f(&mut filter);
        filter
    };
    view! {
        <nav class="quick-filters" aria-label=move || t_string!(i18n, queue_quick_filters)>
            <ul>
                {chip(t_string!(i18n, queue_all_open).to_string(), open, |c| c.open)}
                {chip(
                    t_string!(i18n, queue_mine).to_string(),
                    with(|f| f.assignee = AssigneeFilter::Me),
                    |c| c.mine,
                )}
                {chip(
                    t_string!(i18n, queue_unassigned).to_string(),
                    with(|f| f.assignee = AssigneeFilter::Unassigned),
                    |c| c.unassigned,
                )}
                {chip(
                    t_string!(i18n, queue_breached).to_string(),
                    with(|f| f.due = Some(DueFilter::Breached)),
                    |c| c.breached,
                )}
                {chip(
                    t_string!(i18n, queue_due_soon).to_string(),
                    with(|f| f.due = Some(DueFilter::WithinHours(4))),
                    |c| c.due_soon,
                )}
                {chip(
                    t_string!(i18n, ticket_status_new).to_string(),
                    with(|f| f.status = StatusFilter::New),
                    |c| c.new,
                )}
                {chip(
                    t_string!(i18n, queue_waiting).to_string(),
                    with(|f| f.status = StatusFilter::WaitingForRequester),
                    |c| c.waiting_for_requester,
                )}
                {chip(
                    tier_label(i18n, Tier::FIRST),
                    with(|f| f.tier = Some(Tier::FIRST)),
                    |c| c.tiers[0],
                )}
                {chip(
                    tier_label(i18n, Tier::SECOND),
                    with(|f| f.tier = Some(Tier::SECOND)),
                    |c| c.tiers[1],
                )}
                {chip(
                    tier_label(i18n, Tier::THIRD),
                    with(|f| f.tier = Some(Tier::THIRD)),
                    |c| c.tiers[2],
                )}
            </ul>
        </nav>
    }
}

/// How one control changes the filter.
type FilterEdit = Box<dyn Fn(&mut QueueFilter, &str)>;

/// Every filter, as labelled controls; each change applies at once.
#[component]
fn FilterForm(
    filter: Memo<QueueFilter>,
    go: impl Fn(QueueFilter) + Copy + Send + Sync + 'static,
    categories: Signal<Vec<TicketCategory>>,
    assignees: Signal<Vec<selfdesk_shared::queue::Assignee>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let change = move |edit: FilterEdit| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let mut f = filter.get_untracked();
            edit(&mut f, &value);
            go(f);
        }
    };
    let statuses = [
        (
            StatusFilter::Open,
            t_string!(i18n, queue_all_open).to_string(),
        ),
        (
            StatusFilter::New,
            t_string!(i18n, ticket_status_new).to_string(),
        ),
        (
            StatusFilter::InProgress,
            t_string!(i18n, ticket_status_in_progress).to_string(),
        ),
        (
            StatusFilter::WaitingForRequester,
            t_string!(i18n, queue_waiting).to_string(),
        ),
        (
            StatusFilter::Resolved,
            t_string!(i18n, ticket_status_resolved).to_string(),
        ),
        (
            StatusFilter::Closed,
            t_string!(i18n, ticket_status_closed).to_string(),
        ),
        (
            StatusFilter::All,
            t_string!(i18n, queue_all_statuses).to_string(),
        ),
    ];
    view! {
        <form class="queue-filters" on:submit=|ev| ev.prevent_default()>
            <Field id="f-status" label=move || t_string!(i18n, ticket_status) let:c>
                <select
                    id=c.id.clone()
                    prop:value=move || filter.get().status.as_str()
                    on:change=change(
                        Box::new(|f, v| f.status = StatusFilter::parse(v).unwrap_or_default()),
                    )
                >
                    {statuses
                        .clone()
                        .into_iter()
                        .map(|(s, label)| {
                            view! {
                                <option value=s.as_str() selected=move || filter.get().status == s>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field id="f-tier" label=move || t_string!(i18n, queue_tier) let:c>
                <select
                    id=c.id.clone()
                    prop:value=move || filter.get().tier.map(|t| t.to_string()).unwrap_or_default()
                    on:change=change(Box::new(|f, v| f.tier = Tier::parse(v)))
                >
                    <option value="" selected=move || filter.get().tier.is_none()>
                        {say!(i18n, queue_any)}
                    </option>
                    {Tier::ALL
                        .map(|tier| {
                            view! {
                                <option
                                    value=tier.to_string()
                                    selected=move || filter.get().tier == Some(tier)
                                >
                                    {tier_label(i18n, tier)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field id="f-priority" label=move || t_string!(i18n, ticket_priority) let:c>
                <select
                    id=c.id.clone()
                    prop:value=move || filter.get().priority.map(|p| p.as_str()).unwrap_or_default()
                    on:change=change(Box::new(|f, v| f.priority = Priority::parse(v)))
                >
                    <option value="" selected=move || filter.get().priority.is_none()>
                        {say!(i18n, queue_any)}
                    </option>
                    {Priority::ALL
                        .into_iter()
                        .map(|p| {
                            view! {
                                <option
                                    value=p.as_str()
                                    selected=move || filter.get().priority == Some(p)
                                >
                                    {priority_label(i18n, p)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field id="f-category" label=move || t_string!(i18n, field_category) let:c>
                <select
                    id=c.id.clone()
                    prop:value=move || filter.get().category.unwrap_or_default()
                    on:change=change(
                        Box::new(|f, v| f.category = (!v.is_empty()).then(|| v.to_owned())),
                    )
                >
                    <option value="" selected=move || filter.get().category.is_none()>
                        {say!(i18n, queue_any)}
                    </option>
                    {move || {
                        categories
                            .get()
                            .into_iter()
                            .map(|c| {
                                let slug = c.slug.clone();
                                view! {
                                    <option
                                        value=c.slug.to_string()
                                        selected=move || {
                                            filter.get().category.as_deref() == Some(slug.as_str())
                                        }
                                    >
                                        {c.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </Field>
            <Field id="f-assignee" label=move || t_string!(i18n, queue_assignee) let:c>
                <select
                    id=c.id.clone()
                    prop:value=move || filter.get().assignee.to_query()
                    on:change=change(
                        Box::new(|f, v| {
                            f.assignee = AssigneeFilter::parse(v).unwrap_or(AssigneeFilter::Anyone);
                        }),
                    )
                >
                    <option
                        value="any"
                        selected=move || filter.get().assignee == AssigneeFilter::Anyone
                    >
                        {say!(i18n, queue_any)}
                    </option>
                    <option value="me" selected=move || filter.get().assignee == AssigneeFilter::Me>
                        {say!(i18n, queue_mine)}
                    </option>
                    <option
                        value="none"
                        selected=move || filter.get().assignee == AssigneeFilter::Unassigned
                    >
                        {say!(i18n, queue_unassigned)}
                    </option>
                    {move || {
                        assignees
                            .get()
                            .into_iter()
                            .map(|a| {
                                let id = a.id;
                                view! {
                                    <option
                                        value=id.to_string()
                                        selected=move || {
                                            filter.get().assignee == AssigneeFilter::Staff(id)
                                        }
                                    >
                                        {a.display_name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </Field>
            <Field id="f-due" label=move || t_string!(i18n, queue_deadline) let:c>
                <select
                    id=c.id.clone()
                    prop:value=move || filter.get().due.map(|d| d.to_query()).unwrap_or_default()
                    on:change=change(Box::new(|f, v| f.due = DueFilter::parse(v)))
                >
                    <option value="" selected=move || filter.get().due.is_none()>
                        {say!(i18n, queue_any)}
                    </option>
                    <option
                        value="breached"
                        selected=move || filter.get().due == Some(DueFilter::Breached)
                    >
                        {say!(i18n, queue_breached)}
                    </option>
                    {[1u32, 4, 8, 24]
                        .into_iter()
                        .map(|h| {
                            view! {
                                <option
                                    value=h.to_string()
                                    selected=move || {
                                        filter.get().due == Some(DueFilter::WithinHours(h))
                                    }
                                >
                                    {fill(t_string!(i18n, queue_due_within), h)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field id="f-sort" label=move || t_string!(i18n, queue_sort) let:c>
                <select
                    id=c.id.clone()
                    prop:value=move || filter.get().sort.as_str()
                    on:change=change(
                        Box::new(|f, v| f.sort = QueueSort::parse(v).unwrap_or_default()),
                    )
                >
                    <option value="due" selected=move || filter.get().sort == QueueSort::Due>
                        {say!(i18n, queue_sort_due)}
                    </option>
                    <option value="newest" selected=move || filter.get().sort == QueueSort::Newest>
                        {say!(i18n, queue_sort_newest)}
                    </option>
                </select>
            </Field>
        </form>
    }
}

#[component]
fn QueueTable(
    rows: Signal<Vec<QueueItem>>,
    categories: Signal<Vec<TicketCategory>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let category_name = move |slug: &str| {
        categories.with(|list| {
            list.iter()
                .find(|c| c.slug == slug)
                .map_or_else(|| slug.to_owned(), |c| c.name.clone())
        })
    };
    move || {
        let now = unix_now();
        let list = rows.get();
        if list.is_empty() {
            return view! { <p class="panel panel-info">{say!(i18n, queue_empty)}</p> }.into_any();
        }
        view! {
            <div class="table-scroll">
                <table class="table queue-table">
                    <caption class="visually-hidden">{say!(i18n, queue_title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{say!(i18n, queue_col_deadline)}</th>
                            <th scope="col">{say!(i18n, queue_col_ticket)}</th>
                            <th scope="col">{say!(i18n, queue_col_requester)}</th>
                            <th scope="col">{say!(i18n, ticket_priority)}</th>
                            <th scope="col">{say!(i18n, queue_tier)}</th>
                            <th scope="col">{say!(i18n, ticket_status)}</th>
                            <th scope="col">{say!(i18n, queue_assignee)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list
                            .into_iter()
                            .enumerate()
                            .map(|(i, row)| {
                                let (sla, class) = sla_countdown(i18n, row.sla, now);
                                let href = format!("/staff/tickets/{}", row.number);
                                view! {
                                    <tr>
                                        <td>
                                            <span class=format!("sla-badge {class}")>{sla}</span>
                                        </td>
                                        <td>
                                            <a
                                                class="ticket-link"
                                                href=href
                                                on:focus=move |_| queue_keys::set_current(i)
                                            >
                                                <span class="ticket-number">{row.number.to_string()}</span>
                                                " "
                                                <span class="ticket-subject">{row.subject.clone()}</span>
                                            </a>
                                            <span class="hint">
                                                " · "{category_name(&row.category)}
                                            </span>
                                        </td>
                                        <td>{row.requester_name.clone()}</td>
                                        <td>
                                            <span class=format!(
                                                "priority priority-{}",
                                                row.priority.as_str(),
                                            )>{priority_label(i18n, row.priority)}</span>
                                        </td>
                                        <td>{row.tier.get()}</td>
                                        <td>{status_label(i18n, row.status)}</td>
                                        <td>
                                            {row
                                                .assignee
                                                .map_or_else(
                                                    || t_string!(i18n, queue_nobody).to_string(),
                                                    |a| a.display_name,
                                                )}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    }
}
