//! Writing a diagnostic flow: its TOML text on the left; on the right, every problem
//! in it (each one jumps to its line) and a preview that walks the last saved text
//! like a requester would. Edits are kept in this browser at every keystroke and
//! saved to the server (which checks them) a moment after typing stops; publishing
//! makes the saved draft the next live version, and walks already under way finish
//! on the version they began.

use crate::router::use_params_map;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::flows::api::{FlowProblem, StaffFlowView};
use selfdesk_shared::flows::{Flow, FlowErrorKind, Node, Outcome, Walk};
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::status::{ErrorText, Loaded};
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};
use crate::pages::diagnose::walk_view::WalkView;
use crate::text::fill;
use crate::web_storage::keys;

type I18n = leptos_i18n::I18nContext<Locale>;

/// Quiet time after a keystroke before the draft goes to the server.
const AUTOSAVE_MS: u64 = 1500;

#[component]
pub fn FlowEditorPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    move || view! { <FlowLoader slug=slug() /> }
}

#[component]
fn FlowLoader(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, staff_flows_title).to_owned());
    let flow = Fetch::new({
        let slug = slug.clone();
        move || {
            let slug = slug.clone();
            async move { api::staff_flow(&slug).await }
        }
    });
    view! {
        <Loaded resource=flow let:view>
            <FlowEditor initial=view />
        </Loaded>
    }
}

/// Unsaved text kept in this browser, per flow (`web_storage::keys::flow_draft`).
#[derive(Serialize, Deserialize)]
pub struct FlowDraft {
    source: String,
    saved_at: f64,
}

fn store_local(slug: &str, source: &str) {
    keys::flow_draft(slug).save(&FlowDraft {
        source: source.to_owned(),
        saved_at: js_sys::Date::now(),
    });
}

/// Where a problem is in the text: its own line, else the line of its node's table.
fn problem_line(problem: &FlowProblem, source: &str) -> Option<usize> {
    if problem.line.is_some() {
        return problem.line;
    }
    let node = problem.error.as_ref()?.node.as_deref()?;
    let header = format!("[nodes.{node}]");
    let header_dotted = format!("[nodes.{node}.");
    source
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(&header) || l.starts_with(&header_dotted)
        })
        .map(|i| i + 1)
}

/// The problem in the reader's language (a syntax error keeps the parser's English
/// detail after the localised line number).
fn problem_text(i18n: I18n, problem: &FlowProblem) -> String {
    let Some(error) = &problem.error else {
        let detail = match problem.line {
            Some(_) => problem
                .message
                .split_once(": ")
                .map_or(problem.message.as_str(), |(_, rest)| rest),
            None => problem.message.as_str(),
        };
        return match problem.line {
            Some(line) => format!("{} {detail}", fill(t_string!(i18n, flow_err_syntax), line)),
            None => detail.to_owned(),
        };
    };
    use FlowErrorKind::*;
    let template = match error.kind {
        InvalidSlug => t_string!(i18n, flow_err_invalid_slug),
        MissingEnglish => t_string!(i18n, flow_err_missing_english),
        MissingStart => t_string!(i18n, flow_err_missing_start),
        InvalidNodeId => t_string!(i18n, flow_err_invalid_node_id),
        Unreachable => t_string!(i18n, flow_err_unreachable),
        DeadEnd => t_string!(i18n, flow_err_dead_end),
        NoWayOut => t_string!(i18n, flow_err_no_way_out),
        DanglingAnswer => t_string!(i18n, flow_err_dangling_answer),
        DuplicateAnswer => t_string!(i18n, flow_err_duplicate_answer),
        InvalidAnswerId => t_string!(i18n, flow_err_invalid_answer_id),
        Untranslated => match (&error.node, &error.answer) {
            (None, _) => t_string!(i18n, flow_err_untranslated_title),
            (Some(_), None) => t_string!(i18n, flow_err_untranslated_node),
            (Some(_), Some(_)) => t_string!(i18n, flow_err_untranslated_answer),
        },
        EmptyArticle => t_string!(i18n, flow_err_empty_article),
        EmptyCategory => t_string!(i18n, flow_err_empty_category),
        EmptySubflow => t_string!(i18n, flow_err_empty_subflow),
        SelfSubflow => t_string!(i18n, flow_err_self_subflow),
        BadPlaceholder if error.detail.is_none() => {
            t_string!(i18n, flow_err_unterminated_placeholder)
        }
        BadPlaceholder => t_string!(i18n, flow_err_bad_placeholder),
        UnknownArticle => t_string!(i18n, flow_err_unknown_article),
        UnknownCategory => t_string!(i18n, flow_err_unknown_category),
        UnknownFlow => t_string!(i18n, flow_err_unknown_flow),
        SlugMismatch => t_string!(i18n, flow_err_slug_mismatch),
        MissingCheckOutcome => t_string!(i18n, flow_err_check_missing_outcome),
        UnknownCheckOutcome => t_string!(i18n, flow_err_check_unknown_outcome),
        FallbackNotQuestion => t_string!(i18n, flow_err_check_fallback),
    };
    template
        .replace("{node}", error.node.as_deref().unwrap_or(""))
        .replace("{answer}", error.answer.as_deref().unwrap_or(""))
        .replace("{detail}", error.detail.as_deref().unwrap_or(""))
        .replace(
            "{lang}",
            &error
                .language
                .map(|l| l.code().to_ascii_uppercase())
                .unwrap_or_default(),
        )
}

/// Why the last save or publish did not go through.
#[derive(Clone, PartialEq)]
enum Notice {
    Saved(i64),
    NotSaved(ApiError),
    Published(i64),
    NotPublished(ApiError),
}

#[component]
fn FlowEditor(initial: StaffFlowView) -> impl IntoView {
    let i18n = use_i18n();
    // The flow's own title in the reader's language (its address when the draft does
    // not parse), then what the page is.
    page_title({
        let slug = initial.slug.to_string();
        let title = initial.flow.as_ref().map(|f| f.title.clone());
        move || {
            let name = title.as_ref().map_or_else(
                || slug.clone(),
                |t| t.resolve(current_language(i18n)).to_owned(),
            );
            format!("{name} — {}", t_string!(i18n, staff_flows_title))
        }
    });
    let slug = StoredValue::new(initial.slug.to_string());
    let kept = keys::flow_draft(&initial.slug)
        .load()
        .filter(|d| d.source != initial.source);
    let restored_at = kept.as_ref().map(|d| d.saved_at);
    let source = RwSignal::new(kept.map_or_else(|| initial.source.clone(), |d| d.source));
    let server = RwSignal::new(initial);
    let notice = RwSignal::new(None::<Notice>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let dirty = Memo::new(move |_| source.with(|s| server.with(|v| *s != v.source)));

    // Every keystroke is kept here until the server has the same text.
    Effect::new(move |_| {
        let text = source.get();
        if dirty.get() {
            store_local(&slug.get_value(), &text);
        } else {
            keys::flow_draft(&slug.get_value()).remove();
        }
    });

    let save = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move { api::save_flow_draft(&slug.get_value(), &text).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(view)) => {
            notice.set(view.saved_at.map(Notice::Saved));
            server.set(view);
        }
        Some(Err(error)) => notice.set(Some(Notice::NotSaved(error))),
        None => {}
    });
    let save_now = move || {
        if dirty.get_untracked() && !save.pending().get_untracked() {
            save.dispatch(source.get_untracked());
        }
    };

    // A moment after typing stops, the draft goes to the server, which checks it.
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        source.set(event_target_value(&ev));
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(save_now, std::time::Duration::from_millis(AUTOSAVE_MS)).ok();
        timer.set_value(handle);
    };
    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            save_now();
        }
    });
    on_cleanup(move || shortcut.remove());

    let publish = Action::new_local(move |_: &()| async move {
        let slug = slug.get_value();
        if source.with_untracked(|s| server.with_untracked(|v| *s != v.source)) {
            let view = api::save_flow_draft(&slug, &source.get_untracked()).await?;
            server.set(view);
        }
        let published = api::publish_flow(&slug).await?;
        let view = api::staff_flow(&slug).await?;
        server.set(view);
        Ok::<_, ApiError>(published.version)
    });
    Effect::new(move |_| match publish.value().get() {
        Some(Ok(version)) => notice.set(Some(Notice::Published(version))),
        Some(Err(error)) => notice.set(Some(Notice::NotPublished(error))),
        None => {}
    });
    let discard =
        Action::new_local(
            move |_: &()| async move { api::discard_flow_draft(&slug.get_value()).await },
        );
    Effect::new(move |_| {
        if let Some(Ok(view)) = discard.value().get() {
            source.set(view.source.clone());
            server.set(view);
            notice.set(None);
        }
    });

    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await
                && let Some(text) = text.as_string()
            {
                source.set(text.clone());
                save.dispatch(text);
            }
        });
        input.set_value("");
    };

    let go_to_line = move |line: usize| {
        let Some(area) = textarea.get_untracked() else {
            return;
        };
        let text = source.get_untracked();
        // Selection offsets count UTF-16 units.
        let start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(|l| l.encode_utf16().count())
            .sum();
        let len = text
            .split_inclusive('\n')
            .nth(line.saturating_sub(1))
            .map_or(0, |l| l.trim_end_matches('\n').encode_utf16().count());
        let _ = area.focus();
        let _ = area.set_selection_range(start as u32, (start + len) as u32);
        // Bring the line into view: about one line height per line.
        let line_height = area.scroll_height() as f64 / text.lines().count().max(1) as f64;
        area.set_scroll_top(((line as f64 - 3.0).max(0.0) * line_height) as i32);
    };

    let busy = move || save.pending().get() || publish.pending().get() || discard.pending().get();
    let published_version = move || server.with(|v| v.published_version);
    let lang = move || current_language(i18n);

    let problems = move || {
        let view = server.get();
        if dirty.get() && view.problems.is_empty() {
            return view! { <p class="muted">{say!(i18n, flow_checking)}</p> }.into_any();
        }
        if view.problems.is_empty() {
            return view! { <p class="panel panel-success">{say!(i18n, flow_no_problems)}</p> }
                .into_any();
        }
        let items = view
            .problems
            .iter()
            .map(|p| {
                let line = problem_line(p, &view.source);
                let text = problem_text(i18n, p);
                view! {
                    <li>
                        <span>{text}</span>
                        {line
                            .map(|line| {
                                view! {
                                    " "
                                    <button
                                        type="button"
                                        class="button-link"
                                        on:click=move |_| go_to_line(line)
                                    >
                                        {fill(t_string!(i18n, flow_go_to_line), line)}
                                    </button>
                                }
                            })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="panel panel-warning">
                <h3>{fill(t_string!(i18n, flow_problems_title), view.problems.len())}</h3>
                <ul class="flow-problems">{items}</ul>
            </div>
        }
        .into_any()
    };

    let notice_view = move || {
        notice.get().map(|n| match n {
            Notice::Saved(at) => view! {
                <p class="muted" role="status">
                    {fill(t_string!(i18n, flow_saved_at), date_time(at, lang()))}
                </p>
            }
            .into_any(),
            Notice::NotSaved(error) => view! {
                <div class="panel panel-error" role="alert">
                    <p>{say!(i18n, flow_not_saved)}</p>
                    <p>
                        <ErrorText error />
                    </p>
                </div>
            }
            .into_any(),
            Notice::Published(version) => view! {
                <p class="panel panel-success" role="status">
                    {fill(t_string!(i18n, flow_published), version)}
                </p>
            }
            .into_any(),
            Notice::NotPublished(error) => view! {
                <div class="panel panel-error" role="alert">
                    <p>{say!(i18n, flow_not_published)}</p>
                    <p>
                        <ErrorText error />
                    </p>
                </div>
            }
            .into_any(),
        })
    };

    let title = move || {
        server.with(|v| {
            v.flow
                .as_ref()
                .map(|f| f.title.resolve(lang()).to_owned())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| v.slug.to_string())
        })
    };

    view! {
        <header class="page-header">
            <p class="breadcrumbs">
                <a href="/staff/flows">{say!(i18n, staff_flows_title)}</a>
            </p>
            <h1>{title}</h1>
            <p class="lead">
                {move || match published_version() {
                    Some(v) => fill(t_string!(i18n, flow_live), v),
                    None => t_string!(i18n, flow_never_published).to_owned(),
                }}
                {move || {
                    server
                        .with(|v| v.is_draft)
                        .then(|| format!(" · {}", t_string!(i18n, flow_has_draft)))
                }}
            </p>
            <p>
                <a href="/staff/insight#flows">{say!(i18n, insight_flow_figures)}</a>
            </p>
        </header>
        {restored_at
            .map(|at| {
                view! {
                    <p class="panel panel-info" role="status">
                        {fill(
                            t_string!(i18n, flow_restored),
                            date_time((at / 1000.0) as i64, lang()),
                        )}
                    </p>
                }
            })}
        <div class="flow-editor">
            <div class="flow-source">
                <div
                    class="toolbar"
                    role="toolbar"
                    aria-label=move || t_string!(i18n, flow_toolbar_label)
                >
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| save_now()
                        disabled=move || busy() || !dirty.get()
                    >
                        {move || {
                            if save.pending().get() {
                                t_string!(i18n, saving)
                            } else {
                                t_string!(i18n, flow_save)
                            }
                        }}
                    </button>
                    <button
                        type="button"
                        class="button button-primary"
                        on:click=move |_| {
                            publish.dispatch(());
                        }
                        disabled=move || {
                            busy()
                                || server
                                    .with(|v| {
                                        !v.problems.is_empty() || (!v.is_draft && !dirty.get())
                                    })
                        }
                    >
                        {say!(i18n, flow_publish)}
                    </button>
                    <Show when=move || server.with(|v| v.is_draft && v.published_version.is_some())>
                        <button
                            type="button"
                            class="button button-quiet"
                            on:click=move |_| {
                                discard.dispatch(());
                            }
                            disabled=busy
                        >
                            {say!(i18n, flow_discard)}
                        </button>
                    </Show>
                    <label class="button button-quiet file-button">
                        {say!(i18n, flow_import)}
                        <input
                            type="file"
                            accept=".toml,text/plain"
                            class="visually-hidden"
                            on:change=import
                        />
                    </label>
                    <Show when=move || published_version().is_some()>
                        <a
                            class="button button-quiet"
                            href=api::flow_export_url(&slug.get_value())
                            download=""
                        >
                            {say!(i18n, flow_export)}
                        </a>
                    </Show>
                </div>
                {notice_view}
                <label for="flow-source" class="field-label">
                    {say!(i18n, flow_source_label)}
                </label>
                <p class="hint" id="flow-source-hint">
                    {say!(i18n, flow_source_hint)}
                </p>
                <textarea
                    id="flow-source"
                    class="code-editor"
                    rows="32"
                    spellcheck="false"
                    wrap="off"
                    aria-describedby="flow-source-hint"
                    node_ref=textarea
                    prop:value=source
                    on:input=on_input
                ></textarea>
            </div>
            <div class="flow-side">
                <section aria-labelledby="flow-problems-title">
                    <h2 id="flow-problems-title">{say!(i18n, flow_check_title)}</h2>
                    {problems}
                </section>
                <section aria-labelledby="flow-preview-title">
                    <h2 id="flow-preview-title">{say!(i18n, flow_preview_title)}</h2>
                    <p class="hint">{say!(i18n, flow_preview_hint)}</p>
                    {move || match server.with(|v| v.flow.clone()) {
                        Some(flow) => view! { <Preview flow /> }.into_any(),
                        None => {
                            view! { <p class="muted">{say!(i18n, flow_preview_unavailable)}</p> }
                                .into_any()
                        }
                    }}
                </section>
                <Stats slug=slug.get_value() />
            </div>
        </div>
    }
}

/// The saved draft walked as a requester would, without URLs or reports; its ends
/// say what would happen.
#[component]
fn Preview(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let walk = RwSignal::new(Walk::new());
    let flow = Signal::stored(flow);
    let go = Callback::new(move |(next,): (Walk,)| walk.set(next));
    let end = Callback::new(move |(flow, ended): (Flow, Walk)| {
        let lang = current_language(i18n);
        let text = match (ended.outcome(&flow, lang), ended.current(&flow)) {
            (Some(Outcome::Resolved { message }), _) => fill(
                t_string!(i18n, flow_preview_resolved),
                message.unwrap_or_default(),
            ),
            (
                Some(Outcome::Ticket {
                    category, subject, ..
                }),
                _,
            ) => {
                fill(t_string!(i18n, flow_preview_ticket), category).replace("{subject}", &subject)
            }
            (_, Ok(Node::Subflow { flow })) => fill(t_string!(i18n, flow_preview_subflow), flow),
            _ => String::new(),
        };
        view! {
            <div class="panel panel-info">
                <p>{text}</p>
                <button type="button" class="button" on:click=move |_| walk.set(Walk::new())>
                    {say!(i18n, walk_start_over)}
                </button>
            </div>
        }
        .into_any()
    });
    view! {
        <div class="flow-preview">
            <WalkView flow walk go end />
        </div>
    }
}

/// How walks went over the last 30 days, and where requesters gave up.
#[component]
fn Stats(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let stats = Fetch::new(move || {
        let slug = slug.clone();
        async move { api::flow_stats(&slug).await }
    });
    move || match stats.get() {
        Some(Ok(s)) if s.walks > 0 => view! {
            <section aria-labelledby="flow-stats-title">
                <h2 id="flow-stats-title">{say!(i18n, flow_stats_title)}</h2>
                <dl class="facts">
                    <dt>{say!(i18n, col_walks)}</dt>
                    <dd>{s.walks}</dd>
                    <dt>{say!(i18n, col_resolved)}</dt>
                    <dd>{s.resolved}</dd>
                    <dt>{say!(i18n, col_to_ticket)}</dt>
                    <dd>{s.tickets}</dd>
                    <dt>{say!(i18n, col_abandoned)}</dt>
                    <dd>{s.abandoned}</dd>
                </dl>
                {(!s.nodes.is_empty())
                    .then(|| {
                        view! {
                            <h3>{say!(i18n, flow_stats_abandoned_at)}</h3>
                            <ul>
                                {s
                                    .nodes
                                    .into_iter()
                                    .map(|n| {
                                        view! {
                                            <li>
                                                <code>{n.node}</code>
                                                ": "
                                                {n.abandoned}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
