//! The staff area's landing page.

use crate::router::A;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::auth::{CreateStaffRequest, PasswordResetIssued, StaffMember, StaffRole};

use crate::api;
use crate::components::form::{Field, RequestFailure, SubmitButton, TextField, TextKind, refusal};
use crate::components::language::current_language;
use crate::components::numbers::percent as percent_text;
use crate::components::page_title::page_title;
use crate::components::status::{ActionFailure, Loaded};
use crate::fetch::Fetch;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::staff::email_settings::EmailSettings;
use crate::session::use_session;
use crate::text::fill;

#[component]
pub fn StaffHome() -> impl IntoView {
    let session = use_session();
    // Only shown to signed-in staff (`StaffOnly`).
    move || {
        session
            .member
            .get()
            .map(|member| view! { <Dashboard member /> })
    }
}

#[component]
fn RoleName(role: StaffRole) -> impl IntoView {
    let i18n = use_i18n();
    match role {
        StaffRole::Tier1 => say!(i18n, role_tier1).into_any(),
        StaffRole::Tier2 => say!(i18n, role_tier2).into_any(),
        StaffRole::Tier3 => say!(i18n, role_tier3).into_any(),
        StaffRole::Admin => say!(i18n, role_admin).into_any(),
    }
}

#[component]
fn Dashboard(member: StaffMember) -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, staff_area).to_owned());
    let name = member.display_name.clone();
    let is_admin = member.role.is_admin();
    view! {
        <header class="page-header">
            <h1>{t!(i18n, staff_welcome, name = move || name.clone())}</h1>
            <p class="lead">{say!(i18n, staff_lead)}</p>
        </header>
        <dl class="facts">
            <dt>{say!(i18n, your_role)}</dt>
            <dd>
                <span class="badge">
                    <RoleName role=member.role />
                </span>
            </dd>
            <dt>{say!(i18n, email_label)}</dt>
            <dd>{member.email.clone()}</dd>
        </dl>
        <SecondFactorDue is_admin />
        <ul class="inline-links staff-links">
            <li>
                <A href="/staff/tickets">{say!(i18n, staff_nav_queue)}</A>
            </li>
            <li>
                <A href="/staff/security">{say!(i18n, security_title)}</A>
            </li>
            <li>
                <A href="/staff/insight">{say!(i18n, insight_title)}</A>
            </li>
            <li>
                <A href="/staff/incidents">{say!(i18n, incidents_title)}</A>
            </li>
            <li>
                <A href="/staff/kb">{say!(i18n, staff_nav_articles)}</A>
            </li>
            <li>
                <A href="/staff/search">{say!(i18n, search_gaps_title)}</A>
            </li>
            <li>
                <A href="/staff/search/synonyms">{say!(i18n, synonyms_title)}</A>
            </li>
            <li>
                <A href="/staff/flows">{say!(i18n, staff_flows_title)}</A>
            </li>
            <li>
                <A href="/staff/canned-responses">{say!(i18n, canned_title)}</A>
            </li>
            <li>
                <A href="/staff/service-levels">{say!(i18n, sla_title)}</A>
            </li>
            <li>
                <A href="/staff/categories">{say!(i18n, categories_title)}</A>
            </li>
            {is_admin
                .then(|| {
                    view! {
                        <li>
                            <A href="/staff/outbox">{say!(i18n, outbox_title)}</A>
                        </li>
                        <li>
                            <A href="/staff/webhooks">{say!(i18n, webhooks_title)}</A>
                        </li>
                        <li>
                            <A href="/staff/mail-in">{say!(i18n, mail_in_title)}</A>
                        </li>
                        <li>
                            <A href="/staff/reach-check">{say!(i18n, reach_title)}</A>
                        </li>
                    }
                })}
        </ul>
        <EmailSettings />
        {is_admin.then(|| view! { <StorageWarning /> })}
        {is_admin.then(|| view! { <StaffAccounts me=member.id /> })}
    }
}

/// For an admin where the portal requires two-factor sign-in and theirs is off: admin
/// pages refuse them until it is on, so say so first, with the way there.
#[component]
fn SecondFactorDue(is_admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let settings = is_admin.then(|| Fetch::new(api::security_settings));
    move || {
        let settings = settings?.get()?.ok()?;
        (settings.two_factor_required && !settings.two_factor).then(|| {
            view! {
                <div class="panel panel-warning" role="alert">
                    <p>{say!(i18n, security_two_factor_required)}</p>
                    <p>
                        <A href="/staff/security">{say!(i18n, security_two_factor_start)}</A>
                    </p>
                </div>
            }
        })
    }
}

/// For admins, once file storage is 90 % full: uploads will soon be refused (507), so
/// someone should raise `SELFDESK_STORAGE_QUOTA_MIB` or make room. Nothing is shown
/// while there is room, or if the standing cannot be read.
#[component]
fn StorageWarning() -> impl IntoView {
    let i18n = use_i18n();
    let standing = Fetch::new(api::storage_use);
    move || {
        let standing = standing.get()?.ok().filter(|s| s.warning)?;
        let percent = standing.used_bytes.saturating_mul(100) / standing.quota_bytes.max(1);
        let text = fill(
            t_string!(i18n, storage_warning),
            percent_text(percent, current_language(i18n)),
        );
        Some(view! {
            <div class="panel panel-warning storage-warning" role="alert">
                <p>{text}</p>
            </div>
        })
    }
}

/// Admins see every staff account, add accounts, and deactivate them (which signs
/// the person out everywhere at once).
#[component]
fn StaffAccounts(me: i64) -> impl IntoView {
    let i18n = use_i18n();
    let accounts = Fetch::new(api::staff_list);
    let toggle = Action::new_local(|(id, active): &(i64, bool)| {
        let (id, active) = (*id, *active);
        async move { api::set_staff_active(id, active).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = toggle.value().get() {
            accounts.refetch();
        }
    });
    // A reset link for a colleague, with whose it is (for the words around it).
    let reset = Action::new_local(|(id, name): &(i64, String)| {
        let (id, name) = (*id, name.clone());
        async move {
            api::issue_password_reset(id)
                .await
                .map(|issued| (name, issued))
        }
    });
    view! {
        <section class="section">
            <h2>{say!(i18n, staff_accounts_title)}</h2>
            <ActionFailure action=toggle />
            <ActionFailure action=reset />
            <ResetIssued reset />
            <Loaded resource=accounts let:list>
                <div class="table-scroll">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{say!(i18n, col_name)}</th>
                                <th scope="col">{say!(i18n, col_email)}</th>
                                <th scope="col">{say!(i18n, col_role)}</th>
                                <th scope="col">{say!(i18n, col_status)}</th>
                                <th scope="col">{say!(i18n, col_two_factor)}</th>
                                <th scope="col">
                                    <span class="visually-hidden">
                                        {say!(i18n, staff_account_actions)}
                                    </span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .staff
                                .into_iter()
                                .map(|m| {
                                    let (id, active, name) = (
                                        m.id,
                                        m.active,
                                        m.display_name.clone(),
                                    );
                                    view! {
                                        <tr>
                                            <td>{m.display_name}</td>
                                            <td>{m.email}</td>
                                            <td>
                                                <RoleName role=m.role />
                                            </td>
                                            <td>
                                                {if m.active {
                                                    say!(i18n, status_active).into_any()
                                                } else {
                                                    say!(i18n, status_inactive).into_any()
                                                }}
                                            </td>
                                            <td>
                                                {if m.two_factor {
                                                    say!(i18n, two_factor_on_short).into_any()
                                                } else {
                                                    say!(i18n, two_factor_off_short).into_any()
                                                }}
                                            </td>
                                            <td class="account-actions">
                                                {(id != me && active)
                                                    .then(|| {
                                                        let name = name.clone();
                                                        view! {
                                                            <button
                                                                type="button"
                                                                class="button button-quiet button-small"
                                                                aria-label=fill(t_string!(i18n, staff_reset_who), &name)
                                                                disabled=move || reset.pending().get()
                                                                on:click=move |_| {
                                                                    reset.dispatch((id, name.clone()));
                                                                }
                                                            >
                                                                {say!(i18n, staff_reset)}
                                                            </button>
                                                        }
                                                    })}
                                                {(id != me)
                                                    .then(|| {
                                                        view! {
                                                            <button
                                                                type="button"
                                                                class="button button-quiet button-small"
                                                                aria-label=fill(
                                                                    if active {
                                                                        t_string!(i18n, staff_deactivate_who)
                                                                    } else {
                                                                        t_string!(i18n, staff_reactivate_who)
                                                                    },
                                                                    &name,
                                                                )
                                                                disabled=move || toggle.pending().get()
                                                                on:click=move |_| {
                                                                    toggle.dispatch((id, !active));
                                                                }
                                                            >
                                                                {if active {
                                                                    t_string!(i18n, staff_deactivate)
                                                                } else {
                                                                    t_string!(i18n, staff_reactivate)
                                                                }}
                                                            </button>
                                                        }
                                                    })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </Loaded>
            <NewAccount on_created=Callback::new(move |()| accounts.refetch()) />
        </section>
    }
}

/// What became of the last reset link: emailed to the colleague, or here to pass on
/// (shown this once: the server keeps only its hash).
#[component]
fn ResetIssued(
    reset: Action<(i64, String), Result<(String, PasswordResetIssued), api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let (name, issued) = reset.value().get()?.ok()?;
        Some(match (issued.emailed_to, issued.link) {
            (Some(address), _) => view! {
                <p class="panel panel-success" role="status">
                    {fill(&fill(t_string!(i18n, staff_reset_emailed), &name), &address)}
                </p>
            }
            .into_any(),
            (None, Some(link)) => view! {
                <div class="panel panel-info reset-link" role="status">
                    <p>{fill(t_string!(i18n, staff_reset_pass_on), &name)}</p>
                    <label for="reset-link">{say!(i18n, staff_reset_link_label)}</label>
                    <input
                        id="reset-link"
                        type="text"
                        readonly
                        value=link
                        on:focus=|ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            {
                                input.select();
                            }
                        }
                    />
                </div>
            }
            .into_any(),
            (None, None) => return None,
        })
    }
}

/// A new account with a first password the admin passes on; the shared rules check
/// it before sending, and the server's refusal names the field.
#[component]
fn NewAccount(on_created: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(StaffRole::Tier1);
    let password = RwSignal::new(String::new());
    let create = Action::new_local(move |request: &CreateStaffRequest| {
        let request = request.clone();
        async move { api::create_staff(&request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            email.set(String::new());
            name.set(String::new());
            password.set(String::new());
            on_created.run(());
        }
    });
    let failed = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <form
            class="form panel new-account"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                create
                    .dispatch(CreateStaffRequest {
                        email: email.get_untracked(),
                        display_name: name.get_untracked(),
                        role: role.get_untracked(),
                        password: password.get_untracked(),
                    });
            }
        >
            <h3>{say!(i18n, staff_new_account)}</h3>
            <RequestFailure failure=failed placed=&["display_name", "email", "password"] />
            <TextField
                id="new-staff-name"
                live=true
                label=move || t_string!(i18n, col_name)
                error=refusal(i18n, failed, "display_name")
                maxlength=100
                autocomplete="off"
                value=name
                on_input=move |v: String| name.set(v)
            />
            <TextField
                id="new-staff-email"
                live=true
                label=move || t_string!(i18n, email_label)
                error=refusal(i18n, failed, "email")
                kind=TextKind::Email
                autocomplete="off"
                value=email
                on_input=move |v: String| email.set(v)
            />
            <Field id="new-staff-role" label=move || t_string!(i18n, col_role) let:c>
                <select
                    id=c.id.clone()
                    on:change=move |ev| {
                        if let Some(r) = StaffRole::parse(&event_target_value(&ev)) {
                            role.set(r);
                        }
                    }
                >
                    {StaffRole::ALL
                        .into_iter()
                        .map(|r| {
                            view! {
                                <option value=r.as_str() selected=move || role.get() == r>
                                    <RoleName role=r />
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <TextField
                id="new-staff-password"
                live=true
                label=move || t_string!(i18n, staff_first_password)
                hint=move || t_string!(i18n, staff_first_password_hint)
                error=refusal(i18n, failed, "password")
                autocomplete="new-password"
                value=password
                on_input=move |v: String| password.set(v)
            />
            <SubmitButton
                label=move || t_string!(i18n, staff_create_account)
                busy_label=move || t_string!(i18n, saving)
                busy=create.pending()
            />
        </form>
    }
}
