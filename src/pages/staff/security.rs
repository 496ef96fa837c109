//! "Sign-in security" (`/staff/security`): the signed-in member changes their password
//! and turns two-factor sign-in on (scan a QR code, confirm one code, keep the recovery
//! codes shown once) or off, or makes new recovery codes.

use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::auth::{ChangePasswordRequest, SecuritySettings, TwoFactorSetup};

use crate::api::{self, ApiError};
use crate::components::form::{
    RequestFailure, SubmitButton, TextField, TextKind, refusal, refusal_worded,
};
use crate::components::layout::PageHeader;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{Locale, t_string, use_i18n};

type I18n = leptos_i18n::I18nContext<Locale>;
use crate::text::fill;

#[component]
pub fn StaffSecurity() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, security_title).to_owned());
    let settings = Fetch::new(api::security_settings);
    view! {
        <div class="narrow">
            <PageHeader
                title=say!(i18n, security_title).into_any()
                lead=say!(i18n, security_lead).into_any()
            />
            <Loaded resource=settings let:current>
                {(current.two_factor_required && !current.two_factor)
                    .then(|| {
                        view! {
                            <p class="panel panel-warning" role="alert">
                                {say!(i18n, security_two_factor_required)}
                            </p>
                        }
                    })}
                {if current.password_sign_in {
                    view! { <ChangePassword /> }.into_any()
                } else {
                    view! {
                        <section class="section">
                            <h2>{say!(i18n, security_password_title)}</h2>
                            <p>{say!(i18n, security_password_by_provider)}</p>
                        </section>
                    }
                        .into_any()
                }}
                <TwoFactor current on_change=Callback::new(move |()| settings.refetch()) />
            </Loaded>
        </div>
    }
}

/// What the server's refusal of a current password means here.
fn wrong_password(i18n: I18n, _: &selfdesk_shared::error::Reason) -> Option<String> {
    Some(t_string!(i18n, security_wrong_password).to_owned())
}

#[component]
fn ChangePassword() -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Action::new_local(|request: &ChangePasswordRequest| {
        let request = request.clone();
        async move { api::change_password(&request).await }
    });
    let failed = Signal::derive(move || change.value().get().and_then(Result::err));
    let done = Signal::derive(move || matches!(change.value().get(), Some(Ok(()))));
    Effect::new(move |_| {
        if done.get() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    view! {
        <section class="section" aria-labelledby="password-title">
            <h2 id="password-title">{say!(i18n, security_password_title)}</h2>
            <form
                class="form"
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    change
                        .dispatch(ChangePasswordRequest {
                            current_password: current.get_untracked(),
                            new_password: new.get_untracked(),
                        });
                }
            >
                <RequestFailure failure=failed placed=&["current_password", "new_password"] />
                <TextField
                    id="current-password"
                    label=move || t_string!(i18n, security_current_password)
                    error=refusal_worded(i18n, failed, "current_password", wrong_password)
                    kind=TextKind::Password
                    autocomplete="current-password"
                    value=current
                    on_input=move |v: String| current.set(v)
                />
                <TextField
                    id="new-password"
                    label=move || t_string!(i18n, security_new_password)
                    hint=move || t_string!(i18n, security_new_password_hint)
                    error=refusal(i18n, failed, "new_password")
                    kind=TextKind::Password
                    autocomplete="new-password"
                    value=new
                    on_input=move |v: String| new.set(v)
                />
                <SubmitButton
                    label=move || t_string!(i18n, security_change_password)
                    busy_label=move || t_string!(i18n, saving)
                    busy=change.pending()
                />
                <p class="muted" role="status">
                    {move || done.get().then(|| t_string!(i18n, security_password_changed))}
                </p>
            </form>
        </section>
    }
}

/// Where two-factor sign-in stands on this page.
#[derive(Clone)]
enum Step {
    /// As the server said when the page loaded (or after the last change).
    Settled,
    /// A secret to scan and confirm.
    Scanning(TwoFactorSetup),
    /// Codes to keep, shown this once.
    Keep(Vec<String>),
}

#[component]
fn TwoFactor(current: SecuritySettings, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let step = RwSignal::new(Step::Settled);
    let start = Action::new_local(|(): &()| api::start_two_factor());
    Effect::new(move |_| {
        if let Some(Ok(setup)) = start.value().get() {
            step.set(Step::Scanning(setup));
        }
    });
    let start_failed = Signal::derive(move || start.value().get().and_then(Result::err));
    let status = if current.two_factor {
        fill(
            t_string!(i18n, security_two_factor_on),
            current.recovery_codes_left.to_string(),
        )
    } else {
        t_string!(i18n, security_two_factor_off).to_owned()
    };
    let may_turn_off = !current.two_factor_required;
    view! {
        <section class="section" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">{say!(i18n, security_two_factor_title)}</h2>
            <p class="hint">{say!(i18n, security_two_factor_lead)}</p>
            {move || match step.get() {
                Step::Settled if current.two_factor => {
                    view! {
                        <p>
                            <strong>{status.clone()}</strong>
                        </p>
                        <ManageTwoFactor step may_turn_off on_change />
                    }
                        .into_any()
                }
                Step::Settled => {
                    view! {
                        <p>
                            <strong>{status.clone()}</strong>
                        </p>
                        <RequestFailure failure=start_failed />
                        <button
                            type="button"
                            class="button button-primary"
                            disabled=move || start.pending().get()
                            on:click=move |_| {
                                start.dispatch(());
                            }
                        >
                            {say!(i18n, security_two_factor_start)}
                        </button>
                    }
                        .into_any()
                }
                Step::Scanning(setup) => view! { <Scan setup step /> }.into_any(),
                Step::Keep(codes) => view! { <KeepCodes codes on_change /> }.into_any(),
            }}
        </section>
    }
}

/// The QR code and the key, then the first code from the app.
#[component]
fn Scan(setup: TwoFactorSetup, step: RwSignal<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let confirm = Action::new_local(|code: &String| api::confirm_two_factor(code.clone()));
    Effect::new(move |_| {
        if let Some(Ok(codes)) = confirm.value().get() {
            step.set(Step::Keep(codes.codes));
        }
    });
    let failed = Signal::derive(move || confirm.value().get().and_then(Result::err));
    // Groups of four, as authenticator apps show keys typed by hand.
    let key = setup
        .secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <ol class="steps">
            <li>
                <p>{say!(i18n, security_scan)}</p>
                <img
                    class="qr-code"
                    src=setup.qr_code
                    width="200"
                    height="200"
                    alt=move || t_string!(i18n, security_qr_alt)
                />
                <p class="hint">{say!(i18n, security_key_instead)}</p>
                <p>
                    <code class="secret-key">{key}</code>
                </p>
            </li>
            <li>
                <form
                    class="form"
                    novalidate
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        confirm.dispatch(code.get_untracked());
                    }
                >
                    <RequestFailure failure=failed placed=&["code"] />
                    <TextField
                        id="two-factor-code"
                        label=move || t_string!(i18n, security_first_code)
                        error=refusal_worded(
                            i18n,
                            failed,
                            "code",
                            |i18n, _| { Some(t_string!(i18n, security_code_not_now).to_owned()) },
                        )
                        kind=TextKind::Code
                        autocomplete="one-time-code"
                        maxlength=12
                        value=code
                        on_input=move |v: String| code.set(v)
                    />
                    <SubmitButton
                        label=move || t_string!(i18n, security_two_factor_confirm)
                        busy_label=move || t_string!(i18n, saving)
                        busy=confirm.pending()
                    />
                    <button type="button" class="button" on:click=move |_| step.set(Step::Settled)>
                        {say!(i18n, security_two_factor_cancel)}
                    </button>
                </form>
            </li>
        </ol>
    }
}

/// Recovery codes, shown once, to print, download or write down.
#[component]
fn KeepCodes(codes: Vec<String>, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let file = format!(
        "data:text/plain;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&codes.join("\r\n")))
    );
    view! {
        <div class="panel panel-warning" role="status">
            <p>
                <strong>{say!(i18n, security_codes_keep)}</strong>
            </p>
            <p>{say!(i18n, security_codes_explain)}</p>
        </div>
        <ol class="recovery-codes">
            {codes
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <code>{c}</code>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <p class="button-row">
            <a class="button" href=file download="selfdesk-recovery-codes.txt">
                {say!(i18n, security_codes_download)}
            </a>
            <button type="button" class="button button-primary" on:click=move |_| on_change.run(())>
                {say!(i18n, security_codes_kept)}
            </button>
        </p>
    }
}

/// With two-factor sign-in on: new recovery codes, or turning it off; both ask for the
/// password again.
#[component]
fn ManageTwoFactor(
    step: RwSignal<Step>,
    may_turn_off: bool,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let renew = Action::new_local(|password: &String| api::new_recovery_codes(password.clone()));
    let turn_off =
        Action::new_local(|password: &String| api::turn_off_two_factor(password.clone()));
    Effect::new(move |_| {
        if let Some(Ok(codes)) = renew.value().get() {
            step.set(Step::Keep(codes.codes));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = turn_off.value().get() {
            on_change.run(());
        }
    });
    // The refusal of the action asked last, not an older one of the other.
    let renewed_last = RwSignal::new(true);
    let failed: Signal<Option<ApiError>> = Signal::derive(move || {
        if renewed_last.get() {
            renew.value().get().and_then(Result::err)
        } else {
            turn_off.value().get().and_then(Result::err)
        }
    });
    let busy = Signal::derive(move || renew.pending().get() || turn_off.pending().get());
    view! {
        <form class="form" novalidate on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <RequestFailure failure=failed placed=&["password"] />
            <TextField
                id="confirm-password"
                label=move || t_string!(i18n, security_confirm_password)
                hint=move || t_string!(i18n, security_confirm_password_hint)
                error=refusal_worded(i18n, failed, "password", wrong_password)
                kind=TextKind::Password
                autocomplete="current-password"
                value=password
                on_input=move |v: String| password.set(v)
            />
            <p class="button-row">
                <button
                    type="submit"
                    class="button"
                    disabled=busy
                    on:click=move |_| {
                        renewed_last.set(true);
                        renew.dispatch(password.get_untracked());
                    }
                >
                    {say!(i18n, security_codes_new)}
                </button>
                {may_turn_off
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-danger"
                                disabled=busy
                                on:click=move |_| {
                                    renewed_last.set(false);
                                    turn_off.dispatch(password.get_untracked());
                                }
                            >
                                {say!(i18n, security_two_factor_turn_off)}
                            </button>
                        }
                    })}
            </p>
        </form>
    }
}
