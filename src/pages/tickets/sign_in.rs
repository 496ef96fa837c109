//! A requester's sign-in (`/tickets/sign-in?return_to=…`): with the organisation's
//! account (the server sends the browser to the provider and back), or with a link by
//! email. The emailed link opens this page with its token in the fragment
//! (`#link=…`, never sent to a server), and a button uses it: a mail scanner that
//! opens links to check them does not press buttons, so it cannot spend the link.
//! Signed in, the browser goes where it was going in a full page load, so every app
//! sees the new session.

use crate::router::use_query_map;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::requester::{
    EmailSignInFinish, EmailSignInRequest, SignInFailure, safe_return_path,
};

use crate::api::{self, ApiError};
use crate::components::form::{ErrorSummary, Problem, Problems, SubmitButton, TextField, TextKind};
use crate::components::language::current_language;
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::components::status::ErrorText;
use crate::i18n::{t_string, use_i18n};
use crate::requester_sign_in;
use crate::text::fill;

/// The emailed link's token, taken out of the address bar (so it is not kept in the
/// history or shown over a shoulder).
fn link_token() -> Option<String> {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    let token = hash
        .strip_prefix("#link=")
        .filter(|t| !t.is_empty())?
        .to_owned();
    if let Ok(history) = window().history() {
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
    Some(token)
}

#[component]
pub fn RequesterSignIn() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, requester_sign_in).to_owned());
    let query = use_query_map();
    let return_to = query
        .get_untracked()
        .get("return_to")
        .filter(|p| safe_return_path(p).is_some())
        .unwrap_or_else(|| "/tickets".to_owned());
    let ways = requester_sign_in::ways();
    let token = link_token();
    let failed = query
        .get_untracked()
        .get("failed")
        .and_then(|f| SignInFailure::parse(&f));
    view! {
        <PageHeader
            title=say!(i18n, requester_sign_in).into_any()
            lead=if ways.required {
                say!(i18n, requester_sign_in_lead_required).into_any()
            } else {
                say!(i18n, requester_sign_in_lead).into_any()
            }
        />
        {failed
            .map(|failure| {
                view! {
                    <p class="panel panel-error" role="alert">
                        {move || requester_sign_in::failure_text(i18n, failure)}
                    </p>
                }
            })}
        {token.map(|token| view! { <FinishEmailSignIn token /> })}
        {(!ways.any())
            .then(|| {
                view! { <p class="panel panel-info">{say!(i18n, sign_in_none)}</p> }
            })}
        {ways
            .organisation
            .then(|| {
                view! {
                    <p>
                        <a
                            class="button button-primary"
                            href=requester_sign_in::organisation_start(&return_to)
                        >
                            {say!(i18n, sign_in_organisation)}
                        </a>
                    </p>
                }
            })}
        {ways.email.then(|| view! { <EmailLinkForm return_to /> })}
    }
}

/// The button that uses an emailed link.
#[component]
fn FinishEmailSignIn(token: String) -> impl IntoView {
    let i18n = use_i18n();
    // Plain signals rather than an `Action`: each action type costs the app its own
    // copy of Leptos' action machinery (see docs/ARCHITECTURE.md on bundle size).
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(None::<ApiError>);
    let token = StoredValue::new(token);
    let on_click = move |_| {
        busy.set(true);
        let request = EmailSignInFinish {
            token: token.get_value(),
        };
        leptos::task::spawn_local(async move {
            match api::finish_email_sign_in(&request).await {
                Ok(signed_in) => {
                    let path = safe_return_path(&signed_in.return_to).unwrap_or("/tickets");
                    let _ = window().location().assign(path);
                }
                Err(error) => {
                    busy.try_set(false);
                    refused.try_set(Some(error));
                }
            }
        });
    };
    let failure = move || {
        refused.get().map(|error| match error {
            ApiError::Server {
                status: 401 | 422, ..
            } => view! {
                <p class="panel panel-error" role="alert">
                    {say!(i18n, sign_in_link_refused)}
                </p>
            }
            .into_any(),
            error => view! {
                <p class="panel panel-error" role="alert">
                    <ErrorText error />
                </p>
            }
            .into_any(),
        })
    };
    view! {
        <section class="section narrow">
            <p>{say!(i18n, sign_in_finish_lead)}</p>
            {failure}
            <button
                type="button"
                class="button button-primary"
                disabled=move || busy.get()
                on:click=on_click
            >
                {say!(i18n, requester_sign_in)}
            </button>
        </section>
    }
}

/// "Email me a link".
#[component]
fn EmailLinkForm(return_to: String) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let problems = Problems::new();
    let sent_to = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    let send = move |request: EmailSignInRequest| {
        busy.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            let result = api::email_sign_in(&request).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    sent_to.try_set(Some(request.email.trim().to_owned()));
                }
                Err(error) => {
                    failed.try_set(Some(error));
                }
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = email.get_untracked();
        let found = if EmailAddress::check(&typed).is_err() {
            vec![Problem::new(
                "sign-in-email",
                t_string!(i18n, err_email_invalid),
            )]
        } else {
            Vec::new()
        };
        if problems.show(found) {
            send(EmailSignInRequest {
                email: typed,
                return_to: Some(return_to.clone()),
                language: current_language(i18n),
            });
        }
    };
    let outcome = move || {
        if let Some(address) = sent_to.get() {
            return Some(
                view! {
                    <p class="panel panel-success" role="status">
                        {move || fill(t_string!(i18n, sign_in_email_sent), &address)}
                    </p>
                }
                .into_any(),
            );
        }
        match failed.get() {
            Some(ApiError::Server { status: 503, .. }) => Some(
                view! {
                    <p class="panel panel-info" role="alert">
                        {say!(i18n, sign_in_no_email)}
                    </p>
                }
                .into_any(),
            ),
            Some(error) => Some(
                view! {
                    <p class="panel panel-error" role="alert">
                        <ErrorText error />
                    </p>
                }
                .into_any(),
            ),
            None => None,
        }
    };
    view! {
        <section class="section narrow" aria-labelledby="sign-in-email-title">
            <h2 id="sign-in-email-title">{say!(i18n, sign_in_email_title)}</h2>
            <p>{say!(i18n, sign_in_email_lead)}</p>
            {outcome}
            <ErrorSummary problems />
            <form class="form" on:submit=on_submit novalidate>
                <TextField
                    id="sign-in-email"
                    label=move || t_string!(i18n, email_label)
                    error=problems.at("sign-in-email")
                    kind=TextKind::Email
                    autocomplete="email"
                    value=email
                    on_input=move |v: String| email.set(v)
                />
                <SubmitButton
                    class="button"
                    label=move || t_string!(i18n, sign_in_email_send)
                    busy_label=move || t_string!(i18n, ticket_sending)
                    busy=busy
                />
            </form>
        </section>
    }
}
