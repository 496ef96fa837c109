//! "My tickets". Signed in: every ticket filed with the requester's address, from the
//! server, on any device. Otherwise: the tickets filed from this browser, each opened
//! with the access token kept beside it (nothing comes from the server until one is
//! opened), and an offer to sign in where the portal has one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::requester::{MyTicket, MyTicketList, RequesterMe};
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::TicketLookupRequest;

use crate::api::{self, ApiError};
use crate::components::dates::date_time;
use crate::components::form::{ErrorSummary, Problem, Problems, SubmitButton, TextField, TextKind};
use crate::components::language::current_language;
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::components::status::ErrorText;
use crate::components::status::{ErrorPanel, Loading};
use crate::components::ticket_words::{sla_text, status_label};
use crate::i18n::{t_string, use_i18n};
use crate::requester_sign_in;
use crate::requester_storage::{self as stored, KeptTicket};
use crate::text::fill;

#[component]
pub fn MyTickets() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, track_title).to_owned());
    view! {
        <PageHeader
            title=say!(i18n, track_title).into_any()
            lead=say!(i18n, track_lead).into_any()
        />
        {waiting_ticket()}
        {if requester_sign_in::holds_session() {
            view! { <AccountTickets /> }.into_any()
        } else {
            browser_tickets()
        }}
        <p>
            <a class="button button-primary" href="/tickets/new">
                {say!(i18n, nav_new_ticket)}
            </a>
        </p>
        <LookupForm />
    }
}

/// The ticket in this browser's outbox, if one waits for the network: the form sends
/// it, at once when opened online.
fn waiting_ticket() -> Option<impl IntoView> {
    let i18n = use_i18n();
    let subject = stored::waiting_subject()?;
    Some(view! {
        <p class="panel panel-info" role="status">
            {say!(i18n, my_tickets_waiting)}
            " "
            <a href="/tickets/new">{subject}</a>
        </p>
    })
}

/// Signed out: the tickets kept in this browser, and an offer to sign in where the
/// portal has one.
fn browser_tickets() -> AnyView {
    let i18n = use_i18n();
    let tickets = stored::my_tickets();
    let offer = requester_sign_in::ways().any().then(|| {
        view! {
            <p class="panel panel-info">
                {say!(i18n, my_tickets_sign_in_offer)}" "
                <a href=requester_sign_in::sign_in_path(
                    "/tickets",
                )>{say!(i18n, requester_sign_in)}</a>
            </p>
        }
    });
    view! {
        {offer}
        {if tickets.is_empty() {
            view! { <p class="panel panel-info">{say!(i18n, my_tickets_empty)}</p> }.into_any()
        } else {
            kept_list(tickets)
        }}
        <p class="hint">{say!(i18n, my_tickets_browser_note)}</p>
    }
    .into_any()
}

fn kept_list(tickets: Vec<KeptTicket>) -> AnyView {
    let lang = current_language(use_i18n());
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
                            <span class="hint">" · "{date_time(kept.created_at, lang)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Signed in: every ticket of the account's address, from the server, and signing
/// out. A session that has ended meanwhile shows the browser's list instead.
/// The signed-in requester and their tickets; `None` when the session has ended.
type AccountAnswer = Option<(RequesterMe, MyTicketList)>;

#[component]
fn AccountTickets() -> impl IntoView {
    let i18n = use_i18n();
    // A signal and a task rather than `Fetch` and `Loaded`, which this app has no
    // other use for: their generic code would cost every tracking page.
    let account = RwSignal::new(None::<Result<AccountAnswer, ApiError>>);
    let load = move || {
        account.set(None);
        leptos::task::spawn_local(async move {
            let answer = match api::requester_me().await {
                Ok(None) => Ok(None),
                Ok(Some(me)) => api::requester_tickets().await.map(|list| Some((me, list))),
                Err(error) => Err(error),
            };
            account.try_set(Some(answer));
        });
    };
    load();
    move || match account.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(error)) => view! { <ErrorPanel error on_retry=move |()| load() /> }.into_any(),
        Some(Ok(found)) => match found {
            None => browser_tickets(),
            Some((me, list)) => {
                let who = if me.display_name.is_empty() {
                    me.email.clone()
                } else {
                    format!("{} ({})", me.display_name, me.email)
                };
                let on_server: Vec<String> =
                    list.tickets.iter().map(|t| t.number.to_string()).collect();
                let elsewhere: Vec<KeptTicket> = stored::my_tickets()
                    .into_iter()
                    .filter(|k| !on_server.contains(&k.number))
                    .collect();
                view! {
                    <div class="panel panel-info signed-in">
                        <p>{fill(t_string!(i18n, signed_in_as), &who)}</p>
                        <SignOutButtons />
                    </div>
                    <p class="hint">
                        {fill(t_string!(i18n, my_tickets_signed_in_note), &me.email)}
                    </p>
                    {account_list(list.tickets)}
                    {(!elsewhere.is_empty())
                        .then(|| {
                            view! {
                                <h2>{say!(i18n, my_tickets_also_here)}</h2>
                                {kept_list(elsewhere)}
                            }
                        })}
                }
                .into_any()
            }
        },
    }
}

fn account_list(tickets: Vec<MyTicket>) -> AnyView {
    let i18n = use_i18n();
    if tickets.is_empty() {
        return view! { <p class="panel panel-info">{say!(i18n, my_tickets_none_for_address)}</p> }
            .into_any();
    }
    let lang = current_language(i18n);
    view! {
        <ul class="ticket-list">
            {tickets
                .into_iter()
                .map(|ticket| {
                    let (sla, sla_class) = sla_text(i18n, ticket.sla);
                    view! {
                        <li>
                            <a href=format!("/tickets/{}", ticket.number)>
                                <span class="ticket-number">{ticket.number.to_string()}</span>
                                " "
                                <span>{ticket.subject}</span>
                            </a>
                            <p class="hint ticket-meta">
                                {status_label(i18n, ticket.status)}" · "
                                {fill(
                                    t_string!(i18n, my_tickets_updated),
                                    date_time(ticket.updated_at, lang),
                                )}" · "<span class=sla_class>{sla}</span>
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// "Sign out", and "Sign out on all devices" for someone who fears another browser
/// is signed in as them. Either way, a full load of the page follows, without the
/// session.
#[component]
fn SignOutButtons() -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    let sign_out = move |everywhere: bool| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::requester_sign_out(everywhere).await {
                // Whatever the server said (a 401 for a session ended meanwhile
                // included), this browser holds no session any more.
                Ok(()) | Err(ApiError::Server { .. }) => {
                    let _ = window().location().assign("/tickets");
                }
                Err(error) => {
                    busy.try_set(false);
                    failed.try_set(Some(error));
                }
            }
        });
    };
    view! {
        <p class="button-row">
            <button
                type="button"
                class="button"
                disabled=move || busy.get()
                on:click=move |_| sign_out(false)
            >
                {say!(i18n, sign_out)}
            </button>
            <button
                type="button"
                class="button button-quiet"
                disabled=move || busy.get()
                on:click=move |_| sign_out(true)
            >
                {say!(i18n, sign_out_everywhere)}
            </button>
        </p>
        {move || {
            failed
                .get()
                .map(|error| {
                    view! {
                        <p class="panel panel-error" role="alert">
                            <ErrorText error />
                        </p>
                    }
                })
        }}
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
        let n = number.get_untracked().trim().to_ascii_uppercase();
        let mut found = Vec::new();
        if TicketNumber::parse(&n).is_err() {
            found.push(Problem::new(
                "lookup-number",
                t_string!(i18n, err_lookup_number),
            ));
        }
        if EmailAddress::check(&email.get_untracked()).is_err() {
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
                    {say!(i18n, lookup_sent)}
                </p>
            }
            .into_any(),
        ),
        Some(Err(ApiError::Server { status: 503, .. })) => Some(
            view! {
                <p class="panel panel-info" role="alert">
                    {say!(i18n, lookup_no_email)}
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
            <h2 id="lookup-title">{say!(i18n, lookup_title)}</h2>
            <p>{say!(i18n, lookup_lead)}</p>
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
