//! "My tickets": the tickets filed from this browser, each opened with the access
//! token kept beside it. Nothing here comes from the server until a ticket is opened.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::TicketLookupRequest;

use crate::api::{self, ApiError};
use crate::components::dates::date_time;
use crate::components::form::{ErrorSummary, Problem, Problems, SubmitButton, TextField, TextKind};
use crate::components::language::current_language;
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::components::status::ErrorText;
use crate::i18n::{t, t_string, use_i18n};
use crate::requester_storage as stored;

#[component]
pub fn MyTickets() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, track_title).to_owned());
    let tickets = stored::my_tickets();
    let lang = current_language(i18n);
    view! {
        <PageHeader title=t!(i18n, track_title).into_any() lead=t!(i18n, track_lead).into_any() />
        {if tickets.is_empty() {
            view! { <p class="panel panel-info">{t!(i18n, my_tickets_empty)}</p> }.into_any()
        } else {
            view! {
                <ul class="ticket-list">
                    {tickets
                        .into_iter()
                        .map(|kept| {
                            view! {
                                <li>
                                    <a href=format!("/tickets/{}", kept.number)>
                                        <span class="ticket-number">{kept.number.clone()}</span>
                                        " "
                                        <span>{kept.subject}</span>
                                    </a>
                                    <span class="hint">
                                        " · "{date_time(kept.created_at, lang)}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <p class="hint">{t!(i18n, my_tickets_browser_note)}</p>
        <p>
            <a class="button button-primary" href="/tickets/new">
                {t!(i18n, nav_new_ticket)}
            </a>
        </p>
        <LookupForm />
    }
}

/// "Lost the link?": a fresh one by email, for the ticket's number and the address
/// it was filed with.
#[component]
fn LookupForm() -> impl IntoView {
    let i18n = use_i18n();
    let number = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let problems = Problems::new();
    let send = Action::new_local(move |request: &TicketLookupRequest| {
        let request = request.clone();
        async move { api::ticket_lookup(&request).await }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let n = number.get_untracked().trim().to_uppercase();
        let mut found = Vec::new();
        if TicketNumber::parse(&n).is_err() {
            found.push(Problem::new(
                "lookup-number",
                t_string!(i18n, err_lookup_number),
            ));
        }
        if EmailAddress::parse(&email.get_untracked()).is_err() {
            found.push(Problem::new(
                "lookup-email",
                t_string!(i18n, err_email_invalid),
            ));
        }
        if problems.show(found) {
            send.dispatch(TicketLookupRequest {
                number: n,
                email: email.get_untracked(),
            });
        }
    };
    let outcome = move || match send.value().get() {
        Some(Ok(())) => Some(
            view! {
                <p class="panel panel-success" role="status">
                    {t!(i18n, lookup_sent)}
                </p>
            }
            .into_any(),
        ),
        Some(Err(ApiError::Server { status: 503, .. })) => Some(
            view! {
                <p class="panel panel-info" role="alert">
                    {t!(i18n, lookup_no_email)}
                </p>
            }
            .into_any(),
        ),
        Some(Err(error)) => Some(
            view! {
                <p class="panel panel-error" role="alert">
                    <ErrorText error />
                </p>
            }
            .into_any(),
        ),
        None => None,
    };
    view! {
        <section class="section narrow" aria-labelledby="lookup-title">
            <h2 id="lookup-title">{t!(i18n, lookup_title)}</h2>
            <p>{t!(i18n, lookup_lead)}</p>
            {outcome}
            <ErrorSummary problems />
            <form class="form" on:submit=on_submit novalidate>
                <TextField
                    id="lookup-number"
                    label=move || t_string!(i18n, lookup_number)
                    error=problems.at("lookup-number")
                    kind=TextKind::Code
                    autocomplete="off"
                    placeholder="SD-2026-000123"
                    value=number
                    on_input=move |v: String| number.set(v)
                />
                <TextField
                    id="lookup-email"
                    label=move || t_string!(i18n, email_label)
                    error=problems.at("lookup-email")
                    kind=TextKind::Email
                    autocomplete="email"
                    value=email
                    on_input=move |v: String| email.set(v)
                />
                <SubmitButton
                    class="button"
                    label=move || t_string!(i18n, lookup_send)
                    busy_label=move || t_string!(i18n, ticket_sending)
                    busy=send.pending()
                />
            </form>
        </section>
    }
}
