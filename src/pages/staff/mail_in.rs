//! The mail read from the help desk's mailbox, for admins: what each message became (a
//! reply on a ticket, a reopening, a new ticket) and, above all, which were ignored or
//! refused and why. The messages themselves stay in the mailbox.

use crate::router::A;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::mail_in::{MailInEntry, OUTCOMES};

use crate::api;
use crate::components::dates::date_time;
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};

type I18n = leptos_i18n::I18nContext<Locale>;

#[component]
pub fn StaffMailIn() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, mail_in_title).to_owned());
    let outcome = RwSignal::new(None::<&'static str>);
    let list = Fetch::new(move || {
        let outcome = outcome.get();
        async move { api::mail_in(outcome).await }
    });
    view! {
        <header class="page-header">
            <h1>{say!(i18n, mail_in_title)}</h1>
            <p class="lead">{say!(i18n, mail_in_lead)}</p>
        </header>
        <div class="field filter-field">
            <label for="mail-in-outcome">{say!(i18n, outbox_show)}</label>
            <select
                id="mail-in-outcome"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    outcome.set(OUTCOMES.into_iter().find(|o| *o == value));
                }
            >
                <option value="" selected=move || outcome.get().is_none()>
                    {say!(i18n, outbox_all)}
                </option>
                {OUTCOMES
                    .into_iter()
                    .map(|o| {
                        view! {
                            <option value=o selected=move || outcome.get() == Some(o)>
                                {move || outcome_name(i18n, o)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        <Loaded resource=list let:list>
            {if list.messages.is_empty() {
                view! { <p class="empty">{say!(i18n, mail_in_empty)}</p> }.into_any()
            } else {
                view! {
                    <div
                        class="table-scroll"
                        tabindex="0"
                        role="region"
                        aria-label=move || t_string!(i18n, mail_in_title)
                    >
                        <table class="table mail-in-table">
                            <thead>
                                <tr>
                                    <th scope="col">{say!(i18n, mail_in_col_received)}</th>
                                    <th scope="col">{say!(i18n, mail_in_col_from)}</th>
                                    <th scope="col">{say!(i18n, mail_in_col_subject)}</th>
                                    <th scope="col">{say!(i18n, mail_in_col_became)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .messages
                                    .into_iter()
                                    .map(|m| view! { <MessageRow m /> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </Loaded>
    }
}

#[component]
fn MessageRow(m: MailInEntry) -> impl IntoView {
    let i18n = use_i18n();
    let language = current_language(i18n);
    let refused = matches!(m.outcome.as_str(), "ignored" | "rejected");
    let outcome = m.outcome.clone();
    view! {
        <tr>
            <td>{date_time(m.received_at, language)}</td>
            <td class="break-anywhere">{m.sender}</td>
            <td class="break-anywhere">{m.subject}</td>
            <td>
                <span class=if refused {
                    "badge outbox-failed"
                } else {
                    "badge"
                }>{move || outcome_name(i18n, &outcome)}</span>
                {m
                    .ticket_number
                    .map(|n| {
                        view! {
                            " "
                            <A href=format!("/staff/tickets/{n}")>{n.clone()}</A>
                        }
                    })}
                // The reason is the server's log line, in English: it names the
                // technical cause (a header, a file type) for whoever runs the mailbox.
                {m
                    .reason
                    .map(|r| {
                        view! {
                            <span class="error-detail break-anywhere" lang="en">
                                {r}
                            </span>
                        }
                    })}
            </td>
        </tr>
    }
}

fn outcome_name(i18n: I18n, outcome: &str) -> &'static str {
    match outcome {
        "replied" => t_string!(i18n, mail_in_outcome_replied),
        "reopened" => t_string!(i18n, mail_in_outcome_reopened),
        "filed" => t_string!(i18n, mail_in_outcome_filed),
        "ignored" => t_string!(i18n, mail_in_outcome_ignored),
        _ => t_string!(i18n, mail_in_outcome_rejected),
    }
}
