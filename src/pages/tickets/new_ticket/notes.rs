//! What the form says above its fields about where its content came from: a draft
//! restored from this browser, or the answers of a guided diagnosis.

use leptos::prelude::*;

use crate::say::say;

use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::i18n::{t_string, use_i18n};
use crate::requester_storage::TicketDraft;
use crate::text::fill;

/// "Restored from this browser", with a way to start afresh (the name and email stay).
#[component]
pub(super) fn RestoredNote(
    draft: RwSignal<TicketDraft>,
    /// Whether the form started from a kept draft.
    restored: bool,
    /// When that draft was kept, in ms since 1970.
    restored_at: f64,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(restored);
    view! {
        <Show when=move || shown.get()>
            <div class="panel panel-info" role="status">
                <p>
                    {move || fill(
                        t_string!(i18n, ticket_draft_restored),
                        date_time((restored_at / 1000.0) as i64, current_language(i18n)),
                    )}
                </p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        let kept = draft.get_untracked();
                        draft
                            .set(TicketDraft {
                                name: kept.name,
                                email: kept.email,
                                ..Default::default()
                            });
                        shown.set(false);
                    }
                >
                    {say!(i18n, ticket_draft_discard)}
                </button>
            </div>
        </Show>
    }
}

/// The diagnosis's questions and answers, which are sent with the ticket.
#[component]
pub(super) fn TranscriptNote(draft: RwSignal<TicketDraft>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || draft.with(|d| d.transcript.is_some())>
            <div class="panel panel-info">
                <p id="transcript-note" tabindex="-1">
                    {say!(i18n, ticket_has_transcript)}
                </p>
                <ol class="transcript">
                    {move || {
                        draft
                            .with(|d| d.transcript.clone())
                            .map(|tr| {
                                tr.steps
                                    .into_iter()
                                    .enumerate()
                                    .map(|(index, s)| {
                                        let findings = (!s.findings.is_empty())
                                            .then(|| {
                                                view! { <FindingsToSend draft index findings=s.findings /> }
                                            });
                                        view! {
                                            <li>
                                                <span class="transcript-q">{s.question}</span>
                                                " "
                                                <strong>{s.answer}</strong>
                                                {findings}
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </ol>
            </div>
        </Show>
    }
}

/// What the browser found at one check step, exactly as it will be sent, each item
/// with a button that takes it out of the draft (and so out of the ticket).
#[component]
fn FindingsToSend(
    draft: RwSignal<TicketDraft>,
    /// The step's place in the transcript.
    index: usize,
    findings: Vec<selfdesk_shared::tickets::ShownFinding>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = findings
        .into_iter()
        .map(|f| {
            let name = fill(t_string!(i18n, ticket_finding_remove), &f.label);
            let (label, value) = (f.label.clone(), f.value.clone());
            let remove = move |event: leptos::ev::MouseEvent| {
                let place = remove_buttons()
                    .iter()
                    .position(|b| Some(b.clone().into()) == event.current_target());
                draft.update(|d| {
                    if let Some(step) = d.transcript.as_mut().and_then(|t| t.steps.get_mut(index)) {
                        step.findings.retain(|x| *x != f);
                    }
                });
                request_animation_frame(move || focus_after_removal(place));
            };
            view! {
                <li>
                    <span class="finding-label">{label}</span>
                    ": "
                    <span>{value}</span>
                    " "
                    <button type="button" class="button-link" aria-label=name on:click=remove>
                        {say!(i18n, remove)}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="findings-to-send">
            <p class="hint">{say!(i18n, ticket_findings_hint)}</p>
            <ul class="findings-list">{rows}</ul>
        </div>
    }
}

/// Every finding's remove button on the form, in page order.
fn remove_buttons() -> Vec<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let Some(found) = document()
        .query_selector_all(".findings-to-send button")
        .ok()
    else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.get(i)?.dyn_into().ok())
        .collect()
}

/// The removed finding's button is gone with it: focus moves to the button now in its
/// place, else the one before, else the note above the answers, never to the page's
/// start (where a keyboard user would have to find their way back).
fn focus_after_removal(place: Option<usize>) {
    use wasm_bindgen::JsCast;
    let buttons = remove_buttons();
    let next = place.and_then(|p| buttons.get(p).or_else(|| buttons.get(p.checked_sub(1)?)));
    let target = next.cloned().or_else(|| {
        document()
            .get_element_by_id("transcript-note")?
            .dyn_into::<web_sys::HtmlElement>()
            .ok()
    });
    if let Some(target) = target {
        let _ = target.focus();
    }
}
