//! Staff sign-in, in the GOV.UK pattern: an error summary on top that links to each
//! field, and each field's own message beside it.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use selfdesk_shared::auth::SignInRequest;
use selfdesk_shared::email::EmailAddress;

use crate::api::{self, ApiError};
use crate::components::layout::PageHeader;
use crate::components::status::ErrorText;
use crate::i18n::{t, use_i18n};
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
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email_invalid = RwSignal::new(false);
    let password_missing = RwSignal::new(false);
    let summary = NodeRef::<html::Div>::new();

    let action = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { api::sign_in(&request).await }
    });
    let server_error = move || action.value().get().and_then(Result::err);

    Effect::new(move || {
        if let Some(Ok(member)) = action.value().get() {
            session.member.set(Some(member));
        }
    });
    Effect::new(move || {
        if session.member.get().is_some() {
            navigate(&safe_next(query.read().get("next")), Default::default());
        }
    });
    // Move focus to the summary when errors appear, so screen readers announce them.
    Effect::new(move || {
        let has_errors = email_invalid.get() || password_missing.get() || server_error().is_some();
        if has_errors && let Some(el) = summary.get() {
            let _ = el.focus();
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let parsed = EmailAddress::parse(&email.get_untracked());
        email_invalid.set(parsed.is_err());
        password_missing.set(password.get_untracked().is_empty());
        if let (Ok(address), false) = (parsed, password_missing.get_untracked()) {
            action.dispatch(SignInRequest {
                email: address.into_inner(),
                password: password.get_untracked(),
            });
        }
    };

    let has_errors =
        move || email_invalid.get() || password_missing.get() || server_error().is_some();

    view! {
        <div class="narrow">
            <PageHeader title=t!(i18n, sign_in_title).into_any() lead=t!(i18n, sign_in_lead).into_any() />
            <Show when=has_errors>
                <div class="error-summary" role="alert" tabindex="-1" node_ref=summary>
                    <h2>{t!(i18n, error_summary_title)}</h2>
                    <ul>
                        <Show when=move || email_invalid.get()>
                            <li><a href="#email">{t!(i18n, err_email_invalid)}</a></li>
                        </Show>
                        <Show when=move || password_missing.get()>
                            <li><a href="#password">{t!(i18n, err_password_required)}</a></li>
                        </Show>
                        {move || server_error().map(|error: ApiError| view! { <li><ErrorText error /></li> })}
                    </ul>
                </div>
            </Show>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field" class:field-error=move || email_invalid.get()>
                    <label for="email">{t!(i18n, email_label)}</label>
                    <Show when=move || email_invalid.get()>
                        <p class="field-message" id="email-error">{t!(i18n, err_email_invalid)}</p>
                    </Show>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        spellcheck="false"
                        required
                        aria-invalid=move || email_invalid.get().to_string()
                        aria-describedby=move || email_invalid.get().then_some("email-error")
                        bind:value=email
                    />
                </div>
                <div class="field" class:field-error=move || password_missing.get()>
                    <label for="password">{t!(i18n, password_label)}</label>
                    <Show when=move || password_missing.get()>
                        <p class="field-message" id="password-error">{t!(i18n, err_password_required)}</p>
                    </Show>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || password_missing.get().to_string()
                        aria-describedby=move || password_missing.get().then_some("password-error")
                        bind:value=password
                    />
                </div>
                <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                    {move || {
                        if action.pending().get() {
                            t!(i18n, signing_in).into_any()
                        } else {
                            t!(i18n, sign_in_button).into_any()
                        }
                    }}
                </button>
            </form>
        </div>
    }
}
