//! The outbox, for admins: every email and webhook delivery the help desk owes
//! someone, where it stands, why the failed ones failed, and sending one again. A
//! message's text is not shown: it carries the requester's private tracking link.

use crate::router::A;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::outbox::{OutboxMessage, OutboxStatus};

use crate::api;
use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::numbers::whole;
use crate::components::page_title::page_title;
use crate::components::status::{ActionFailure, Loaded};
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};

type I18n = leptos_i18n::I18nContext<Locale>;

#[component]
pub fn StaffOutbox() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, outbox_title).to_owned());
    let status = RwSignal::new(None::<OutboxStatus>);
    let list = Fetch::new(move || {
        let status = status.get();
        async move { api::outbox(status).await }
    });
    let retry = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::retry_outbox(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = retry.value().get() {
            list.refetch();
        }
    });
    view! {
        <header class="page-header">
            <h1>{say!(i18n, outbox_title)}</h1>
            <p class="lead">{say!(i18n, outbox_lead)}</p>
        </header>
        <div class="field filter-field">
            <label for="outbox-status">{say!(i18n, outbox_show)}</label>
            <select
                id="outbox-status"
                on:change=move |ev| status.set(OutboxStatus::parse(&event_target_value(&ev)))
            >
                <option value="" selected=move || status.get().is_none()>
                    {say!(i18n, outbox_all)}
                </option>
                {OutboxStatus::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <option value=s.as_str() selected=move || status.get() == Some(s)>
                                {move || status_name(i18n, s)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        <ActionFailure action=retry />
        <Loaded resource=list let:outbox>
            {
                let language = current_language(i18n);
                view! {
                    <dl class="facts outbox-counts">
                        <dt>{say!(i18n, outbox_pending_count)}</dt>
                        <dd>{whole(outbox.pending, language)}</dd>
                        <dt>{say!(i18n, outbox_failed_count)}</dt>
                        <dd>{whole(outbox.failed, language)}</dd>
                    </dl>
                    {if outbox.messages.is_empty() {
                        view! { <p class="empty">{say!(i18n, outbox_empty)}</p> }.into_any()
                    } else {
                        view! { <Messages messages=outbox.messages retry /> }.into_any()
                    }}
                }
            }
        </Loaded>
    }
}

#[component]
fn Messages(
    messages: Vec<OutboxMessage>,
    retry: Action<i64, Result<OutboxMessage, api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div
            class="table-scroll"
            tabindex="0"
            role="region"
            aria-label=move || t_string!(i18n, outbox_title)
        >
            <table class="table outbox-table">
                <thead>
                    <tr>
                        <th scope="col">{say!(i18n, outbox_col_written)}</th>
                        <th scope="col">{say!(i18n, outbox_col_what)}</th>
                        <th scope="col">{say!(i18n, outbox_col_to)}</th>
                        <th scope="col">{say!(i18n, col_status)}</th>
                        <th scope="col">{say!(i18n, outbox_col_tries)}</th>
                        <th scope="col">{say!(i18n, outbox_col_details)}</th>
                    </tr>
                </thead>
                <tbody>
                    {messages.into_iter().map(|m| view! { <MessageRow m retry /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MessageRow(
    m: OutboxMessage,
    retry: Action<i64, Result<OutboxMessage, api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = current_language(i18n);
    let id = m.id;
    let failed = m.status == OutboxStatus::Failed;
    let when = |at: Option<i64>| at.map(|at| date_time(at, language));
    let next = when(m.next_attempt_at).filter(|_| m.status == OutboxStatus::Pending);
    let delivered = when(m.delivered_at);
    let what = purpose_name(i18n, &m.purpose);
    // A webhook's "subject" is its event type, already shown as the purpose.
    let subject = (m.channel == "email").then_some(m.subject);
    view! {
        <tr>
            <td>{date_time(m.created_at, language)}</td>
            <td>
                {what}
                {m
                    .ticket_number
                    .map(|n| {
                        view! {
                            " · "
                            <A href=format!("/staff/tickets/{n}")>{n.clone()}</A>
                        }
                    })}
                {subject
                    .map(|s| {
                        view! {
                            <br />
                            <span class="muted">{s}</span>
                        }
                    })}
            </td>
            <td class="break-anywhere">{m.recipient}</td>
            <td>
                <span class=format!(
                    "badge outbox-{}",
                    m.status.as_str(),
                )>{move || status_name(i18n, m.status)}</span>
            </td>
            <td>{whole(m.attempts, language)}</td>
            <td>
                {next.map(|at| view! { <span>{say!(i18n, outbox_next_try)}" "{at}</span> })}
                {delivered.map(|at| view! { <span>{say!(i18n, outbox_delivered)}" "{at}</span> })}
                {m
                    .last_error
                    .map(|e| view! { <span class="error-detail break-anywhere">{e}</span> })}
                {failed
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-small"
                                disabled=move || retry.pending().get()
                                on:click=move |_| {
                                    retry.dispatch(id);
                                }
                            >
                                {say!(i18n, outbox_retry)}
                            </button>
                        }
                    })}
            </td>
        </tr>
    }
}

fn status_name(i18n: I18n, status: OutboxStatus) -> &'static str {
    match status {
        OutboxStatus::Pending => t_string!(i18n, outbox_status_pending),
        OutboxStatus::Sent => t_string!(i18n, outbox_status_sent),
        OutboxStatus::Failed => t_string!(i18n, outbox_status_failed),
        OutboxStatus::Suppressed => t_string!(i18n, outbox_status_suppressed),
    }
}

/// Why a message was written, in the reader's language; a webhook delivery shows its
/// event type (`ticket.filed`), a name receivers use too.
fn purpose_name(i18n: I18n, purpose: &str) -> String {
    let text = match purpose {
        "ticket_filed" => t_string!(i18n, outbox_purpose_ticket_filed),
        "new_link" => t_string!(i18n, outbox_purpose_new_link),
        "staff_reply" => t_string!(i18n, outbox_purpose_staff_reply),
        "waiting" => t_string!(i18n, outbox_purpose_waiting),
        "resolved" => t_string!(i18n, outbox_purpose_resolved),
        "closed" => t_string!(i18n, outbox_purpose_closed),
        "tier_changed" => t_string!(i18n, outbox_purpose_tier_changed),
        "incident_resolved" => t_string!(i18n, outbox_purpose_incident_resolved),
        "staff_requester_replied" => t_string!(i18n, outbox_purpose_staff_requester_replied),
        "staff_tier_pool" => t_string!(i18n, outbox_purpose_staff_tier_pool),
        "staff_sla_soon" => t_string!(i18n, outbox_purpose_staff_sla_soon),
        event => return crate::text::fill(t_string!(i18n, outbox_purpose_webhook), event),
    };
    text.to_owned()
}
