//! How an article does with readers: views, "Did this help?" answers and the reasons
//! given, so technicians see which articles need work.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::kb::VoteReason;

use crate::api;
use crate::components::dates::long_date;
use crate::components::language::current_language;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::use_i18n;

#[component]
pub fn ReasonName(reason: VoteReason) -> impl IntoView {
    let i18n = use_i18n();
    match reason {
        VoteReason::Outdated => say!(i18n, vote_reason_outdated).into_any(),
        VoteReason::DidNotWork => say!(i18n, vote_reason_did_not_work).into_any(),
        VoteReason::HardToFollow => say!(i18n, vote_reason_hard_to_follow).into_any(),
        VoteReason::Other => say!(i18n, vote_reason_other).into_any(),
    }
}

#[component]
pub fn ArticleStatsPanel(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let stats = Fetch::new(move || {
        let slug = slug.clone();
        async move { api::article_stats(&slug).await }
    });
    view! {
        <Loaded resource=stats let:stats>
            {
                let ui = current_language(i18n);
                let (no_reasons, no_comments) = (
                    stats.reasons.is_empty(),
                    stats.comments.is_empty(),
                );
                let reasons = stats
                    .reasons
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li>
                                <ReasonName reason=r.reason />
                                ": "
                                {r.count}
                            </li>
                        }
                    })
                    .collect_view();
                let comments = stats
                    .comments
                    .into_iter()
                    .map(|c| {
                        let when = long_date(c.at, ui);
                        view! {
                            <li>
                                <blockquote lang=c.lang.code()>{c.comment}</blockquote>
                                <p class="muted">
                                    {c
                                        .reason
                                        .map(|reason| {
                                            view! {
                                                <ReasonName reason />
                                                " · "
                                            }
                                        })}{when}
                                </p>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <dl class="stats">
                        <div>
                            <dt>{say!(i18n, stats_views)}</dt>
                            <dd>{stats.views}</dd>
                        </div>
                        <div>
                            <dt>{say!(i18n, stats_helpful)}</dt>
                            <dd>{stats.helpful}</dd>
                        </div>
                        <div>
                            <dt>{say!(i18n, stats_not_helpful)}</dt>
                            <dd>{stats.not_helpful}</dd>
                        </div>
                    </dl>
                    <h3>{say!(i18n, stats_reasons)}</h3>
                    {no_reasons.then(|| view! { <p class="muted">{say!(i18n, stats_none)}</p> })}
                    <ul class="plain-list">{reasons}</ul>
                    <h3>{say!(i18n, stats_comments)}</h3>
                    {no_comments.then(|| view! { <p class="muted">{say!(i18n, stats_none)}</p> })}
                    <ul class="comments">{comments}</ul>
                }
            }
        </Loaded>
    }
}
