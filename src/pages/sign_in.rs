//! Staff sign-in, in the GOV.UK pattern: an error summary on top that links to each
//! field, and each field's own message beside it.

use crate::router::{use_navigate, use_query_map};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::say::say;
use leptos::wasm_bindgen::JsCast;
use selfdesk_shared::auth::SignInRequest;
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::requester::SignInFailure;

use crate::api;
use crate::components::form::{
    ErrorSummary, Problem, Problems, SubmitButton, TextField, TextKind, problem_for,
};
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::i18n::{t_string, use_i18n};
use crate::requester_sign_in;
use crate::session::use_session;

/// Where to go after signing in: a page of the staff area on this site, so a crafted
/// link cannot bounce a technician anywhere else. `next` is resolved by the browser's
/// own URL parser, exactly as navigating would resolve it — tabs and newlines dropped,
/// `\` read as `/`, `/\t/evil.example` read as `//evil.example` — and the result must
/// have this page's origin and a path under `/staff`.
fn safe_next(next: Option<String>) -> String {
    const HOME: &str = "/staff";
    let Some(next) = next else {
        return HOME.to_owned();
    };
    let origin = window().location().origin().unwrap_or_default();
    let Ok(url) = web_sys::Url::new_with_base(&next, &format!("{origin}/staff/sign-in")) else {
        return HOME.to_owned();
    };
    let path = url.pathname();
    let in_staff = path == HOME || path.starts_with("/staff/");
    if url.origin() != origin || !in_staff || path == "/staff/sign-in" {
        return HOME.to_owned();
    }
    format!("{path}{}{}", url.search(), url.hash())
}

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, sign_in_title).to_owned());
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();

    // Staff single sign-on, and why it failed when the provider's callback sent the
    // browser back here (`?failed=`).
    let ways = requester_sign_in::ways();
    let next = query.get_untracked().get("next");
    let failed = query
        .get_untracked()
        .get("failed")
        .and_then(|f| SignInFailure::parse(&f));

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Asked for once the password was right, on accounts with two-factor sign-in.
    let code = RwSignal::new(String::new());
    let needs_code = RwSignal::new(false);
    let problems = Problems::new();

    let action = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { api::sign_in(&request).await }
    });
    // "Now the code" is the form's next step, not a failure to report.
    let failure = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| !(e.field() == Some("code") && e.code() == Some(ErrorCode::Validation)))
    });

    Effect::new(move || match action.value().get() {
        Some(Ok(member)) => session.member.set(Some(member)),
        Some(Err(error)) if error.field() == Some("code") => {
            if error.code() == Some(ErrorCode::Validation) {
                needs_code.set(true);
                // The next thing to type: once the field is drawn.
                set_timeout(
                    || {
                        if let Some(field) = document()
                            .get_element_by_id("code")
                            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = field.focus();
                        }
                    },
                    std::time::Duration::ZERO,
                );
            } else {
                code.set(String::new());
                problems.add(Problem::new("code", t_string!(i18n, sign_in_code_wrong)));
            }
        }
        // A refusal the form's own checks let through (a password over the limit).
        Some(Err(error)) => {
            let place = |field: &str| {
                let label = match field {
                    "email" => t_string!(i18n, email_label),
                    "password" => t_string!(i18n, password_label),
                    _ => return None,
                };
                Some((field.to_owned(), label.to_owned()))
            };
            if let Some(problem) = problem_for(i18n, &error, place) {
                problems.add(problem);
            }
        }
        None => {}
    });
    // Where to go once signed in: read once, since going there changes the query.
    let after = StoredValue::new(safe_next(next.clone()));
    Effect::new(move || {
        if session.member.get().is_some() {
            navigate(&after.get_value(), Default::default());
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // Sent as typed: the server parses it (trims and lower-cases it).
        let typed_email = email.get_untracked();
        let mut found = Vec::new();
        if EmailAddress::check(&typed_email).is_err() {
            found.push(Problem::new("email", t_string!(i18n, err_email_invalid)));
        }
        if password.get_untracked().is_empty() {
            found.push(Problem::new(
                "password",
                t_string!(i18n, err_password_required),
            ));
        }
        let typed_code = code.get_untracked();
        if needs_code.get_untracked() && typed_code.trim().is_empty() {
            found.push(Problem::new("code", t_string!(i18n, sign_in_code_needed)));
        }
        if problems.show(found) {
            action.dispatch(SignInRequest {
                email: typed_email,
                password: password.get_untracked(),
                code: needs_code.get_untracked().then_some(typed_code),
            });
        }
    };

    view! {
        <div class="narrow">
            <PageHeader
                title=say!(i18n, sign_in_title).into_any()
                lead=say!(i18n, sign_in_lead).into_any()
            />
            {failed
                .map(|failure| {
                    view! {
                        <p class="panel panel-error" role="alert">
                            {move || requester_sign_in::failure_text(i18n, failure)}
                        </p>
                    }
                })}
            {ways
                .staff
                .then(|| {
                    view! {
                        <p>
                            <a
                                class="button button-primary"
                                href=requester_sign_in::staff_start(&safe_next(next.clone()))
                            >
                                {say!(i18n, sign_in_organisation)}
                            </a>
                        </p>
                        {(!ways.no_staff_password)
                            .then(|| {
                                view! {
                                    <h2 class="sign-in-or">{say!(i18n, sign_in_with_password)}</h2>
                                }
                            })}
                    }
                })}
            {ways
                .password_admins_only
                .then(|| view! { <p class="hint">{say!(i18n, sign_in_password_admins_only)}</p> })}
            <ErrorSummary problems failure />
            <form class="form" on:submit=on_submit novalidate hidden=ways.no_staff_password>
                <TextField
                    id="email"
                    label=move || t_string!(i18n, email_label)
                    error=problems.at("email")
                    kind=TextKind::Email
                    name="email"
                    autocomplete="username"
                    required=true
                    value=email
                    on_input=move |v: String| email.set(v)
                />
                <TextField
                    id="password"
                    label=move || t_string!(i18n, password_label)
                    error=problems.at("password")
                    kind=TextKind::Password
                    name="password"
                    autocomplete="current-password"
                    required=true
                    value=password
                    on_input=move |v: String| password.set(v)
                />
                <Show when=move || needs_code.get()>
                    <TextField
                        id="code"
                        label=move || t_string!(i18n, sign_in_code_label)
                        hint=move || t_string!(i18n, sign_in_code_hint)
                        error=problems.at("code")
                        kind=TextKind::Code
                        autocomplete="one-time-code"
                        required=true
                        live=true
                        value=code
                        on_input=move |v: String| code.set(v)
                    />
                </Show>
                <SubmitButton
                    label=move || t_string!(i18n, sign_in_button)
                    busy_label=move || t_string!(i18n, signing_in)
                    busy=action.pending()
                />
            </form>
        </div>
    }
}
