//! What the form says above its fields about where its content came from: a draft
//! restored from this browser, or the answers of a guided diagnosis.

use leptos::prelude::*;

use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::i18n::{t, t_string, use_i18n};
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
                    {t!(i18n, ticket_draft_discard)}
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
                <p>{t!(i18n, ticket_has_transcript)}</p>
                <ol class="transcript">
                    {move || {
                        draft
                            .with(|d| d.transcript.clone())
                            .map(|tr| {
                                tr.steps
                                    .into_iter()
                                    .map(|s| {
                                        view! {
                                            <li>
                                                <span class="transcript-q">{s.question}</span>
                                                " "
                                                <strong>{s.answer}</strong>
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
