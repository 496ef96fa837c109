//! "Did this help?" at the end of an article: one changeable answer per browser, with
//! an optional reason when it did not help, counted for the tab's self-service
//! session. No account needed.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb::{MAX_VOTE_COMMENT_CHARS, VoteReason, VoteRequest};
use selfdesk_shared::language::Language;
use serde::{Deserialize, Serialize};

use crate::api;
use crate::components::status::ErrorText;
use crate::i18n::{t_string, use_i18n};
use crate::web_storage::keys;

/// This browser's anonymous voter id: random, made once, kept in localStorage. The
/// server stores only its hash.
fn voter_id() -> String {
    let key = keys::voter();
    if let Some(id) = key.load().filter(|id| id.len() >= 16) {
        return id;
    }
    let id = crate::requester_storage::new_idempotency_key();
    key.save(&id);
    id
}

/// The answer this browser gave, remembered per article.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Ask,
    WhyNot,
    Thanks,
}

#[component]
pub fn DidThisHelp(slug: String, language: Language) -> impl IntoView {
    let i18n = use_i18n();
    let already = keys::vote(&slug).load().is_some();
    let step = RwSignal::new(if already { Step::Thanks } else { Step::Ask });
    let reason = RwSignal::new(None::<VoteReason>);
    let comment = RwSignal::new(String::new());
    let send = Action::new_local(move |request: &VoteRequest| {
        let request = request.clone();
        let slug = slug.clone();
        async move {
            let helpful = request.helpful;
            api::kb_vote(&slug, language, &request).await?;
            keys::vote(&slug).save(if helpful { &Answer::Yes } else { &Answer::No });
            step.set(Step::Thanks);
            Ok::<(), api::ApiError>(())
        }
    });
    let vote = move |helpful: bool| {
        let comment = comment.get_untracked();
        send.dispatch(VoteRequest {
            voter: voter_id(),
            helpful,
            reason: if helpful {
                None
            } else {
                reason.get_untracked()
            },
            comment: (!helpful && !comment.trim().is_empty()).then_some(comment),
            session: Some(crate::requester_storage::self_service_session()),
        });
    };
    let reasons = [
        (VoteReason::Outdated, "outdated"),
        (VoteReason::DidNotWork, "did_not_work"),
        (VoteReason::HardToFollow, "hard_to_follow"),
        (VoteReason::Other, "other"),
    ];
    let reason_label = move |r: VoteReason| match r {
        VoteReason::Outdated => t_string!(i18n, vote_reason_outdated),
        VoteReason::DidNotWork => t_string!(i18n, vote_reason_did_not_work),
        VoteReason::HardToFollow => t_string!(i18n, vote_reason_hard_to_follow),
        VoteReason::Other => t_string!(i18n, vote_reason_other),
    };
    let error = move || {
        send.value().get().and_then(Result::err).map(|error| {
            view! {
                <p class="error-message" role="alert">
                    <ErrorText error />
                </p>
            }
        })
    };
    view! {
        <section class="vote" aria-labelledby="vote-title">
            <h2 id="vote-title">{say!(i18n, vote_title)}</h2>
            {move || match step.get() {
                Step::Ask => {
                    view! {
                        <div class="vote-buttons">
                            <button
                                type="button"
                                class="button"
                                disabled=move || send.pending().get()
                                on:click=move |_| vote(true)
                            >
                                {say!(i18n, vote_yes)}
                            </button>
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| step.set(Step::WhyNot)
                            >
                                {say!(i18n, vote_no)}
                            </button>
                        </div>
                    }
                        .into_any()
                }
                Step::WhyNot => {
                    view! {
                        <form
                            class="vote-why"
                            novalidate
                            on:submit=move |ev| {
                                ev.prevent_default();
                                vote(false);
                            }
                        >
                            <fieldset>
                                <legend>{say!(i18n, vote_why)}</legend>
                                {reasons
                                    .into_iter()
                                    .map(|(r, value)| {
                                        view! {
                                            <label class="radio">
                                                <input
                                                    type="radio"
                                                    name="vote-reason"
                                                    value=value
                                                    prop:checked=move || reason.get() == Some(r)
                                                    on:change=move |_| reason.set(Some(r))
                                                />
                                                {move || reason_label(r)}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                            <label for="vote-comment">{say!(i18n, vote_comment_label)}</label>
                            <textarea
                                id="vote-comment"
                                rows="3"
                                maxlength=MAX_VOTE_COMMENT_CHARS
                                prop:value=comment
                                on:input=move |ev| comment.set(event_target_value(&ev))
                            ></textarea>
                            <button
                                type="submit"
                                class="button"
                                disabled=move || send.pending().get()
                            >
                                {say!(i18n, vote_send)}
                            </button>
                        </form>
                    }
                        .into_any()
                }
                Step::Thanks => {
                    view! {
                        <p class="vote-thanks" role="status">
                            {say!(i18n, vote_thanks)}
                            " "
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| step.set(Step::Ask)
                            >
                                {say!(i18n, vote_change)}
                            </button>
                        </p>
                    }
                        .into_any()
                }
            }}
            {error}
        </section>
    }
}
