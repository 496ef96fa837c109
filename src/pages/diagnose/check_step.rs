//! A check step of a walk: it says what is being checked and why, runs the check
//! (see `checks`), and goes on by itself with what the browser found, as if the
//! requester had answered. The trail then shows the result with "That's not right";
//! choosing it comes back here, where the result is shown in words with what the
//! browser found, and the requester may choose the right outcome by hand.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::flows::checks::{
    COULD_NOT_RUN, CheckAnswer, CheckKind, Decision, Finding, OutcomeDef, Unit, VALUE_WORDS,
    worth_asking,
};
use selfdesk_shared::flows::{Flow, Walk};
use selfdesk_shared::tickets::{DiagnosticTranscript, ShownFinding};
use serde::{Deserialize, Serialize};

use super::checks;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::web_storage::keys;

type I18n = leptos_i18n::I18nContext<Locale>;

/// The requester's words for a check's outcome; by hand, marked as their answer.
pub fn outcome_label(i18n: I18n, answer: CheckAnswer) -> String {
    let label = outcome_text(i18n, answer.outcome);
    if answer.by_hand {
        crate::text::fill(t_string!(i18n, walk_check_by_hand), label)
    } else {
        label
    }
}

fn outcome_text(i18n: I18n, outcome: &OutcomeDef) -> String {
    match outcome.id {
        "online" => t_string!(i18n, check_online),
        "offline" => t_string!(i18n, check_offline),
        "portal_down" => t_string!(i18n, check_portal_down),
        "reach_ok" => t_string!(i18n, check_reach_ok),
        "reach_slow" => t_string!(i18n, check_reach_slow),
        "some_unreachable" => t_string!(i18n, check_some_unreachable),
        "none_reachable" => t_string!(i18n, check_none_reachable),
        "env_ok" => t_string!(i18n, check_env_ok),
        "clock_wrong" => t_string!(i18n, check_clock_wrong),
        "old_browser" => t_string!(i18n, check_old_browser),
        "media_ok" => t_string!(i18n, check_media_ok),
        "no_microphone" => t_string!(i18n, check_no_microphone),
        "no_camera" => t_string!(i18n, check_no_camera),
        "media_blocked" => t_string!(i18n, check_media_blocked),
        "storage_ok" => t_string!(i18n, check_storage_ok),
        "storage_blocked" => t_string!(i18n, check_storage_blocked),
        "storage_full" => t_string!(i18n, check_storage_full),
        "one_screen" => t_string!(i18n, check_one_screen),
        "several_screens" => t_string!(i18n, check_several_screens),
        _ => t_string!(i18n, check_could_not_run),
    }
    .to_owned()
}

/// What a finding is, in `locale`'s words; an unknown key is shown as it is.
fn finding_label(locale: Locale, key: &str) -> String {
    match key {
        "portal" => td_string!(locale, finding_portal),
        "network" => td_string!(locale, finding_network),
        "cookies" => td_string!(locale, finding_cookies),
        "local_storage" => td_string!(locale, finding_local_storage),
        "storage_quota" => td_string!(locale, finding_storage_quota),
        "browser" => td_string!(locale, finding_browser),
        "os" => td_string!(locale, finding_os),
        "device" => td_string!(locale, finding_device),
        "screen" => td_string!(locale, finding_screen),
        "pixel_ratio" => td_string!(locale, finding_pixel_ratio),
        "language" => td_string!(locale, finding_language),
        "time_zone" => td_string!(locale, finding_time_zone),
        "clock" => td_string!(locale, finding_clock),
        "cameras" => td_string!(locale, finding_cameras),
        "microphones" => td_string!(locale, finding_microphones),
        "speakers" => td_string!(locale, finding_speakers),
        "camera_permission" => td_string!(locale, finding_camera_permission),
        "microphone_permission" => td_string!(locale, finding_microphone_permission),
        "service" => td_string!(locale, finding_service),
        "screens" => td_string!(locale, finding_screens),
        "screens_permission" => td_string!(locale, finding_screens_permission),
        other => return other.to_owned(),
    }
    .to_owned()
}

/// A finding's value in `locale`'s words: one of the known words translated, a
/// measure with its unit as the language writes it, anything else as found (a
/// version, a size, a time zone).
fn finding_value(locale: Locale, finding: &Finding) -> String {
    let value = finding.value.as_str();
    match finding.unit {
        Some(Unit::Milliseconds) => {
            return crate::text::fill(td_string!(locale, finding_unit_ms), value);
        }
        Some(Unit::Megabytes) => {
            return crate::text::fill(td_string!(locale, finding_unit_mb), value);
        }
        None => {}
    }
    if !VALUE_WORDS.contains(&value) {
        return value.to_owned();
    }
    match value {
        "works" => td_string!(locale, finding_value_works),
        "blocked" => td_string!(locale, finding_value_blocked),
        "yes" => td_string!(locale, finding_value_yes),
        "no" => td_string!(locale, finding_value_no),
        "granted" => td_string!(locale, finding_value_granted),
        "denied" => td_string!(locale, finding_value_denied),
        "prompt" => td_string!(locale, finding_value_prompt),
        "computer" => td_string!(locale, finding_value_computer),
        "phone" => td_string!(locale, finding_value_phone),
        "tablet" => td_string!(locale, finding_value_tablet),
        "right" => td_string!(locale, finding_value_right),
        "no_answer" => td_string!(locale, finding_value_no_answer),
        "timed_out" => td_string!(locale, finding_value_timed_out),
        _ => td_string!(locale, finding_value_unknown),
    }
    .to_owned()
}

/// A finding worded for the ticket: in the walk's language and in English.
fn shown(locale: Locale, finding: &Finding) -> ShownFinding {
    ShownFinding {
        label: finding_label(locale, &finding.key),
        value: finding_value(locale, finding),
        label_en: finding_label(Locale::en, &finding.key),
        value_en: finding_value(Locale::en, finding),
    }
}

/// Findings as a definition list, worded in the reader's language.
#[component]
fn Findings(findings: Vec<Finding>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let locale = i18n.get_locale();
        findings
            .iter()
            .map(|f| {
                view! {
                    <dt>{finding_label(locale, &f.key)}</dt>
                    <dd>{finding_value(locale, f)}</dd>
                }
            })
            .collect_view()
    };
    view! { <dl class="facts check-findings">{rows}</dl> }
}

/// What the browser found at one check node of a flow, in its last run in this tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundAt {
    pub node: String,
    pub outcome: String,
    pub findings: Vec<Finding>,
}

/// Kept per flow in sessionStorage (`keys::check_findings`), so that a reload in the
/// middle of a walk keeps them for the ticket it may end in, and closing the tab
/// forgets them. Nothing the browser found leaves the browser unless the requester
/// files the ticket.
fn remember(slug: &str, node: &str, decision: &Decision) {
    let key = keys::check_findings(slug);
    let mut found = key.load().unwrap_or_default();
    found.retain(|f| f.node != node);
    found.push(FoundAt {
        node: node.to_owned(),
        outcome: decision.outcome.id.to_owned(),
        findings: decision.findings.clone(),
    });
    key.save(&found);
}

/// What the browser found at `node` of `slug`, if the check's outcome was `outcome`
/// (a result the requester overruled is not attached).
fn found_at(found: &[FoundAt], node: &str, outcome: &str) -> Option<Vec<Finding>> {
    found
        .iter()
        .find(|f| f.node == node && f.outcome == outcome)
        .map(|f| f.findings.clone())
}

/// `transcript` (of `walk` through `flow`) with what the browser found at each check
/// step the walk took on the browser's word, for the requester to review on the
/// ticket form before anything is sent.
pub fn attach_findings(
    flow: &Flow,
    walk: &Walk,
    mut transcript: DiagnosticTranscript,
) -> DiagnosticTranscript {
    let locale = crate::components::language::to_locale(transcript.language);
    let kept = keys::check_findings(&flow.slug).load().unwrap_or_default();
    let nodes = walk.nodes(flow);
    for ((step, node), answer) in transcript.steps.iter_mut().zip(nodes).zip(walk.answers()) {
        if let Some(found) = found_at(&kept, node, answer) {
            step.findings = found.iter().map(|f| shown(locale, f)).collect();
        }
    }
    transcript
}

/// Why the browser would ask for a permission, and the choice to let it: the prompt
/// never comes unexplained. `skip` goes on with what was found without asking.
#[component]
fn AskFirst(kind: CheckKind, allow: Callback<()>, skip: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    let why = move || match kind {
        CheckKind::Displays => t_string!(i18n, walk_check_ask_displays),
        _ => t_string!(i18n, walk_check_ask_media),
    };
    view! {
        <div class="check-ask">
            <p>{why}</p>
            <p class="button-row">
                <button type="button" class="button button-primary" on:click=move |_| allow.run(())>
                    {say!(i18n, walk_check_ask_allow)}
                </button>
                {skip
                    .map(|skip| {
                        view! {
                            <button type="button" class="button" on:click=move |_| skip.run(())>
                                {say!(i18n, walk_check_ask_skip)}
                            </button>
                        }
                    })}
            </p>
        </div>
    }
}

#[component]
pub fn CheckStep(
    flow: Flow,
    walk: Walk,
    node: String,
    kind: CheckKind,
    /// The requester came back to overrule the result: show it and the outcomes to
    /// choose from instead of going on.
    overrule: bool,
    go: Callback<(Walk,)>,
    /// Goes on without a step in the browser's history (see `WalkView::advance`).
    advance: Callback<(Walk,)>,
    heading: NodeRef<leptos::html::H2>,
    text: String,
    count: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let decision = RwSignal::new(None::<Decision>);
    // What the browser found while it could find more with permission: the step
    // waits here, says why, and lets the person choose (see `worth_asking`).
    let asking = RwSignal::new(None::<Decision>);
    let asked = StoredValue::new(false);
    // Plain shared state, not a signal: it is read after the step's owner (and its
    // signals) may be gone. Atomic only because `on_cleanup` asks for `Sync`.
    let alive = Arc::new(AtomicBool::new(true));
    on_cleanup({
        let alive = Arc::clone(&alive);
        move || alive.store(false, Ordering::Relaxed)
    });
    let finish = {
        let flow = flow.clone();
        let walk = walk.clone();
        let node = node.clone();
        Callback::new(move |found: Decision| {
            if !overrule && !asked.get_value() && worth_asking(kind, &found) {
                asking.set(Some(found));
                return;
            }
            remember(&flow.slug, &node, &found);
            let mut next = walk.clone();
            if !overrule && next.answer(&flow, found.outcome.id).is_ok() {
                advance.run((next,));
            } else {
                decision.set(Some(found));
            }
        })
    };
    // Runs the check; the requester may have left the step before it finished.
    let run = {
        let alive = Arc::clone(&alive);
        move || {
            let alive = Arc::clone(&alive);
            checks::run(kind, move |found| {
                if alive.load(Ordering::Relaxed) {
                    finish.run(found);
                }
            });
        }
    };
    run();
    // The person chose to let the browser ask: its prompt, then the check again.
    let allow = {
        let alive = Arc::clone(&alive);
        Callback::new(move |()| {
            asked.set_value(true);
            asking.set(None);
            decision.set(None);
            let alive = Arc::clone(&alive);
            let run = run.clone();
            leptos::task::spawn_local(async move {
                checks::ask(kind).await;
                if alive.load(Ordering::Relaxed) {
                    run();
                }
            });
        })
    };
    let skip = Callback::new(move |()| {
        asked.set_value(true);
        if let Some(found) = asking.get_untracked() {
            asking.set(None);
            finish.run(found);
        }
    });

    let by_hand = {
        let flow = flow.clone();
        let walk = walk.clone();
        move |found: &'static OutcomeDef| {
            kind.outcomes()
                .iter()
                .filter(|o| o.by_hand.is_some() && o.id != found.id && o.id != COULD_NOT_RUN.id)
                .filter_map(|o| {
                    let answer = CheckAnswer {
                        kind,
                        outcome: o,
                        by_hand: true,
                    };
                    let mut next = walk.clone();
                    next.answer(&flow, answer.id()).ok()?;
                    let label = outcome_text(i18n, o);
                    Some(view! {
                        <li>
                            <button
                                type="button"
                                class="walk-answer"
                                on:click=move |_| go.run((next.clone(),))
                            >
                                {label}
                            </button>
                        </li>
                    })
                })
                .collect_view()
        }
    };

    let result = move || {
        if asking.with(Option::is_some) {
            return view! { <AskFirst kind allow skip=Some(skip) /> }.into_any();
        }
        let Some(found) = decision.get() else {
            return view! {
                <p class="check-running">
                    <span class="check-spinner" aria-hidden="true"></span>
                    {say!(i18n, walk_check_running)}
                </p>
            }
            .into_any();
        };
        let outcome = kind.outcome(found.outcome.id).unwrap_or(&COULD_NOT_RUN);
        let mut next = walk.clone();
        let can_continue = next.answer(&flow, outcome.id).is_ok();
        view! {
            <p class="check-result">
                {say!(i18n, walk_check_found)}" "<strong>{outcome_text(i18n, outcome)}</strong>
            </p>
            {(!found.findings.is_empty())
                .then(|| view! { <Findings findings=found.findings.clone() /> })}
            {can_continue
                .then(|| {
                    view! {
                        <p>
                            <button
                                type="button"
                                class="button button-primary"
                                on:click=move |_| go.run((next.clone(),))
                            >
                                {say!(i18n, walk_check_continue)}
                            </button>
                        </p>
                    }
                })}
            {(!asked.get_value() && worth_asking(kind, &found))
                .then(|| view! { <AskFirst kind allow skip=None /> })}
            <h3 id="walk-check-choose">{say!(i18n, walk_check_choose)}</h3>
            <ul class="walk-answers" role="list" aria-labelledby="walk-check-choose">
                {by_hand(outcome)}
            </ul>
        }
        .into_any()
    };

    view! {
        <div class="walk-step walk-check">
            <p class="walk-count">{count}</p>
            <h2 id="walk-question" tabindex="-1" node_ref=heading>
                {text}
            </h2>
            // Announced as it changes, without moving focus: the person may be
            // reading the text above while the check runs.
            <div role="status" aria-live="polite" class="check-status">
                {result}
            </div>
        </div>
    }
}
