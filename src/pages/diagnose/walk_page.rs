//! A requester's walk through one flow, at `/diagnose/:slug?v=<version>&w=<answers>`.
//!
//! Every answer is a new URL (the walk is in `w`, see `selfdesk_shared::flows::Walk`),
//! so the browser's back button steps back, a reload resumes, and a link can be
//! shared. `v` pins the version the walk began on, so a flow published meanwhile does
//! not change the questions under the requester's feet. A subflow continues at
//! `/diagnose/<other>?prev=<slug>~<version>~<answers>,…`: the walks before it, so the
//! ticket at the end carries the whole transcript.
//!
//! At a ticket outcome the page fills the ticket draft (category, impact, urgency,
//! subject, transcript in both languages) and opens the form; at a resolved one it
//! says so, and the walk counts as a deflected contact.

use crate::router::NavigateOptions;
use crate::router::{use_navigate, use_params_map, use_query_map};
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::flows::api::{WalkReport, WalkState};
use selfdesk_shared::flows::{Flow, Node, Outcome, Walk, concat_transcripts};

use super::check_step::attach_findings;
use super::walk_view::{WalkView, stock_label};
use crate::api::{self, ApiError};
use crate::components::language::current_language;
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::components::status::{ErrorPanel, Loading};
use crate::fetch::Fetch;
use crate::i18n::{Locale, use_i18n};
use crate::requester_storage as stored;
use crate::walk_reports;
use crate::web_storage::keys;

/// Flows fetched by this page, by slug and version: going back and forth, or on to
/// a subflow and its transcript, fetches each once, and an answer needs no network.
#[derive(Default)]
struct FlowCache(Vec<(String, Option<i64>, Flow)>);

impl FlowCache {
    fn get(&self, slug: &str, version: Option<i64>) -> Option<Flow> {
        self.0
            .iter()
            .find(|(s, v, _)| s == slug && *v == version)
            .map(|(_, _, f)| f.clone())
    }
}

async fn cached_flow(
    cache: StoredValue<FlowCache, LocalStorage>,
    slug: String,
    version: Option<i64>,
) -> Result<Option<Flow>, ApiError> {
    if let Some(flow) = cache.with_value(|c| c.get(&slug, version)) {
        return Ok(Some(flow));
    }
    let flow = api::flow(&slug, version).await?;
    if let Some(flow) = &flow {
        cache.update_value(|c| {
            c.0.push((slug.clone(), version, flow.clone()));
            c.0.push((slug, Some(flow.version), flow.clone()));
        });
    }
    Ok(flow)
}

/// One earlier walk of the chain in `prev`.
struct Earlier {
    slug: String,
    version: i64,
    walk: Walk,
}

fn parse_prev(prev: &str) -> Vec<Earlier> {
    prev.split(',')
        .filter_map(|part| {
            let mut fields = part.splitn(3, '~');
            let slug = fields.next()?.to_owned();
            let version = fields.next()?.parse().ok()?;
            let walk = Walk::from_param(fields.next()?).ok()?;
            Some(Earlier {
                slug,
                version,
                walk,
            })
        })
        .take(5)
        .collect()
}

/// The walk id of this tab's walk through `slug`, made when a walk starts and
/// forgotten when it ends (so the next walk is counted as a new one).
fn walk_id(slug: &str) -> String {
    let key = keys::walk(slug);
    if let Some(id) = key.load() {
        return id;
    }
    let id = walk_reports::new_walk_id();
    key.save(&id);
    id
}

fn forget_walk(slug: &str) {
    keys::walk(slug).remove();
}

#[component]
pub fn WalkPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let version = Memo::new(move |_| query.read().get("v").and_then(|v| v.parse::<i64>().ok()));
    let answers = Memo::new(move |_| query.read().get("w").unwrap_or_default());
    let prev = Memo::new(move |_| query.read().get("prev").unwrap_or_default());
    let cache = StoredValue::new_local(FlowCache::default());
    page_title(move || crate::i18n::t_string!(i18n, diagnose_title).to_owned());

    let flow = Fetch::new(move || cached_flow(cache, slug.get(), version.get()));
    // The first answer adds `v=` to the URL, which asks for the same flow again (from
    // the cache). Compared by value, so the steps are not drawn afresh and keep their
    // focus handling.
    let loaded_flow = Memo::new(move |_| flow.get());

    let go_to = move |flow: &Flow, walk: &Walk, replace: bool| {
        let mut url = format!("/diagnose/{}", flow.slug);
        let mut params = Vec::new();
        if !walk.is_empty() {
            params.push(format!("v={}", flow.version));
            params.push(format!("w={}", walk.to_param()));
        }
        let prev = prev.get_untracked();
        if !prev.is_empty() {
            params.push(format!("prev={prev}"));
        }
        if !params.is_empty() {
            url.push('?');
            url.push_str(&params.join("&"));
        }
        navigate.with_value(|nav| {
            nav(
                &url,
                NavigateOptions {
                    scroll: false,
                    replace,
                },
            )
        });
    };

    view! {
        {move || match loaded_flow.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(error)) => {
                view! { <ErrorPanel error on_retry=move |_| flow.refetch() /> }.into_any()
            }
            Some(Ok(None)) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
            Some(Ok(Some(loaded))) => {
                let lang = current_language(i18n);
                let title = loaded.title.resolve(lang).to_owned();
                if loaded.nodes.values().any(|n| matches!(n, Node::Check { .. })) {
                    super::checks::preload();
                }
                page_title({
                    let title = title.clone();
                    move || title.clone()
                });
                let loaded = Signal::stored(loaded);
                let walk = Signal::derive(move || {
                    Walk::from_param(&answers.get()).unwrap_or_default()
                });
                let broken_link = Signal::derive(move || Walk::from_param(&answers.get()).is_err());
                report_each_step(loaded, walk);
                let go = Callback::new(move |(next,): (Walk,)| {
                    if next.is_empty() {
                        forget_walk(&loaded.with_untracked(|f| f.slug.clone()));
                    }
                    loaded.with_untracked(|f| go_to(f, &next, false));
                });
                let advance = Callback::new(move |(next,): (Walk,)| {
                    loaded.with_untracked(|f| go_to(f, &next, true));
                });
                let replace_to = Callback::new(move |(url,): (String,)| {
                    navigate
                        .with_value(|nav| nav(
                            &url,
                            NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        ));
                });
                let end = Callback::new(move |(flow, walk): (Flow, Walk)| {
                    end_view(i18n, flow, walk, prev.get_untracked(), cache, replace_to)
                });
                // A check's answer replaces the check's URL: see `WalkView::advance`.
                view! {
                    <PageHeader
                        title=view! { {title} }.into_any()
                        lead=say!(i18n, walk_lead).into_any()
                    />
                    <Show when=move || broken_link.get()>
                        <p class="panel panel-warning" role="alert">
                            {say!(i18n, walk_outdated_text)}
                        </p>
                    </Show>
                    <WalkView flow=loaded walk go advance end />
                }
                    .into_any()
            }
        }}
    }
}

/// Reports where the walk stands after every step (batched, see `walk_reports`).
fn report_each_step(flow: Signal<Flow>, walk: Signal<Walk>) {
    Effect::new(move |_| {
        let walk = walk.get();
        flow.with(|flow| {
            let Ok(position) = walk.position(flow) else {
                return;
            };
            let state = match position.node {
                Node::Resolved { .. } => WalkState::Resolved,
                Node::Ticket { .. } => WalkState::Ticket,
                Node::Subflow { .. } => WalkState::Subflow,
                _ => WalkState::UnderWay,
            };
            walk_reports::report(WalkReport {
                walk: walk_id(&flow.slug),
                session: Some(stored::self_service_session()),
                flow: flow.slug.clone(),
                version: flow.version,
                answers: walk.to_param(),
                node: position.id.to_owned(),
                state,
            });
            if state != WalkState::UnderWay {
                forget_walk(&flow.slug);
                // The requester may be leaving for the ticket form or another flow.
                walk_reports::flush();
            }
        });
    });
}

/// What the walk's end shows and does: resolved says so; a ticket fills the draft and
/// opens the form; a subflow goes on in the other flow.
fn end_view(
    i18n: leptos_i18n::I18nContext<Locale>,
    flow: Flow,
    walk: Walk,
    prev: String,
    cache: StoredValue<FlowCache, LocalStorage>,
    replace_to: Callback<(String,)>,
) -> AnyView {
    let lang = current_language(i18n);
    let Ok(position) = walk.position(&flow) else {
        return ().into_any();
    };
    match position.node {
        Node::Subflow { flow: next } => {
            let mut chain: Vec<String> = prev
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
            chain.push(format!(
                "{}~{}~{}",
                flow.slug,
                flow.version,
                walk.to_param()
            ));
            let url = format!("/diagnose/{next}?prev={}", chain.join(","));
            // Replace: going back from the next flow returns to the last question
            // here, not to this hand-over, which would move on again at once.
            request_animation_frame(move || replace_to.run((url,)));
            view! { <Loading /> }.into_any()
        }
        Node::Ticket { .. } => {
            let Some(Outcome::Ticket {
                category,
                impact,
                urgency,
                subject,
            }) = walk.outcome(&flow, lang)
            else {
                return ().into_any();
            };
            leptos::task::spawn_local(async move {
                let mut parts = Vec::new();
                for earlier in parse_prev(&prev) {
                    if let Ok(Some(f)) =
                        cached_flow(cache, earlier.slug, Some(earlier.version)).await
                    {
                        let part = earlier.walk.transcript(&f, lang, |a| stock_label(i18n, a));
                        parts.push(attach_findings(&f, &earlier.walk, part));
                    }
                }
                let part = walk.transcript(&flow, lang, |a| stock_label(i18n, a));
                parts.push(attach_findings(&flow, &walk, part));
                let mut draft = stored::load_draft().unwrap_or_default();
                // One ticket at a time in the outbox: the one waiting for the network
                // goes first, and the form shows it rather than this walk's.
                if draft.waiting {
                    replace_to.run(("/tickets/new".to_owned(),));
                    return;
                }
                if draft.category != category {
                    draft.fields.clear();
                }
                draft.category = category;
                draft.impact = Some(impact);
                draft.urgency = Some(urgency);
                draft.subject = subject;
                draft.transcript = concat_transcripts(parts);
                // A different problem: a new ticket, whatever was tried before.
                draft.idempotency_key = None;
                draft.saved_at = js_sys::Date::now();
                stored::save_draft(&draft);
                replace_to.run(("/tickets/new?from=diagnosis".to_owned(),));
            });
            view! { <p role="status">{say!(i18n, walk_to_ticket)}</p> }.into_any()
        }
        Node::Resolved { text } => {
            let message = text.as_ref().map(|t| t.resolve(lang).to_owned());
            view! {
                <div class="panel panel-success walk-resolved" role="status">
                    <h2 tabindex="-1">{say!(i18n, walk_resolved_title)}</h2>
                    <p>
                        {message
                            .unwrap_or_else(|| {
                                crate::i18n::t_string!(i18n, walk_resolved_text).to_owned()
                            })}
                    </p>
                    <p>
                        <a href="/" class="button">
                            {say!(i18n, walk_back_home)}
                        </a>
                    </p>
                </div>
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}
