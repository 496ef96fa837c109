//! "Choose a new password" (`/staff/reset-password#token=…`): the page an admin's
//! one-time link opens. The token is in the fragment, so it reaches no server log; it
//! is spent only when the new password is sent, so a mail scanner opening the link
//! spends nothing.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::auth::{MIN_PASSWORD_CHARS, PasswordResetRequest, check_new_password};
use selfdesk_shared::error::ErrorCode;

use crate::api;
use crate::components::form::{
    ErrorSummary, Problem, Problems, SubmitButton, TextField, TextKind, problem_for,
};
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;

fn token_in_fragment() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let token = hash.strip_prefix("#token=")?;
    (!token.is_empty()).then(|| token.to_owned())
}

#[component]
pub fn ResetPassword() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, reset_title).to_owned());
    let token = token_in_fragment();
    view! {
        <div class="narrow">
            <PageHeader
                title=say!(i18n, reset_title).into_any()
                lead=say!(i18n, reset_lead).into_any()
            />
            {match token {
                Some(token) => view! { <ResetForm token /> }.into_any(),
                None => {
                    view! {
                        <p class="panel panel-error" role="alert">
                            {say!(i18n, reset_link_incomplete)}
                        </p>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problems = Problems::new();
    let send = Action::new_local(|request: &PasswordResetRequest| {
        let request = request.clone();
        async move { api::reset_password(&request).await }
    });
    let done = Signal::derive(move || matches!(send.value().get(), Some(Ok(()))));
    // A link that no longer works is said plainly, with what to do.
    let link_refused = Signal::derive(
        move || matches!(send.value().get(), Some(Err(e)) if e.code() == Some(ErrorCode::Unauthenticated)),
    );
    let failure = Signal::derive(move || {
        send.value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.code() != Some(ErrorCode::Unauthenticated))
    });
    Effect::new(move || {
        if let Some(Err(error)) = send.value().get() {
            let place = |field: &str| {
                (field == "new_password").then(|| {
                    (
                        "new-password".to_owned(),
                        t_string!(i18n, security_new_password).to_owned(),
                    )
                })
            };
            if let Some(problem) = problem_for(i18n, &error, place) {
                problems.add(problem);
            }
        }
    });
    let token = StoredValue::new(token);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = password.get_untracked();
        let mut found = Vec::new();
        if check_new_password(&chosen).is_err() {
            found.push(Problem::new(
                "new-password",
                fill(
                    t_string!(i18n, reset_password_rule),
                    MIN_PASSWORD_CHARS.to_string(),
                ),
            ));
        } else if again.get_untracked() != chosen {
            found.push(Problem::new(
                "new-password-again",
                t_string!(i18n, reset_passwords_differ),
            ));
        }
        if problems.show(found) {
            send.dispatch(PasswordResetRequest {
                token: token.get_value(),
                new_password: chosen,
            });
        }
    };
    view! {
        <Show
            when=move || !done.get()
            fallback=move || {
                view! {
                    <div class="panel panel-success" role="status">
                        <p>{say!(i18n, reset_done)}</p>
                        <p>
                            <a class="button button-primary" href="/staff/sign-in">
                                {say!(i18n, sign_in_button)}
                            </a>
                        </p>
                    </div>
                }
            }
        >
            <Show when=move || link_refused.get()>
                <p class="panel panel-error" role="alert">
                    {say!(i18n, reset_link_refused)}
                </p>
            </Show>
            <ErrorSummary problems failure />
            <form class="form" novalidate on:submit=on_submit>
                <TextField
                    id="new-password"
                    label=move || t_string!(i18n, security_new_password)
                    hint=move || t_string!(i18n, security_new_password_hint)
                    error=problems.at("new-password")
                    kind=TextKind::Password
                    autocomplete="new-password"
                    required=true
                    value=password
                    on_input=move |v: String| password.set(v)
                />
                <TextField
                    id="new-password-again"
                    label=move || t_string!(i18n, reset_password_again)
                    error=problems.at("new-password-again")
                    kind=TextKind::Password
                    autocomplete="new-password"
                    required=true
                    value=again
                    on_input=move |v: String| again.set(v)
                />
                <SubmitButton
                    label=move || t_string!(i18n, reset_submit)
                    busy_label=move || t_string!(i18n, saving)
                    busy=send.pending()
                />
            </form>
        </Show>
    }
}
