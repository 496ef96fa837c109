//! The staff area's landing page. Visitors who are not signed in are sent to sign-in
//! and brought back afterwards.

use leptos::prelude::*;
use leptos_router::components::{A, Redirect};
use selfdesk_shared::auth::{StaffMember, StaffRole};

use crate::api;
use crate::components::status::{ErrorPanel, Loading};
use crate::i18n::{t, use_i18n};
use crate::session::use_session;

#[component]
pub fn StaffHome() -> impl IntoView {
    let session = use_session();
    move || {
        if !session.checked.get() {
            return view! { <Loading /> }.into_any();
        }
        match session.member.get() {
            Some(member) => view! { <Dashboard member /> }.into_any(),
            None => view! { <Redirect path="/staff/sign-in?next=/staff" /> }.into_any(),
        }
    }
}

#[component]
fn RoleName(role: StaffRole) -> impl IntoView {
    let i18n = use_i18n();
    match role {
        StaffRole::Tier1 => t!(i18n, role_tier1).into_any(),
        StaffRole::Tier2 => t!(i18n, role_tier2).into_any(),
        StaffRole::Tier3 => t!(i18n, role_tier3).into_any(),
        StaffRole::Admin => t!(i18n, role_admin).into_any(),
    }
}

#[component]
fn Dashboard(member: StaffMember) -> impl IntoView {
    let i18n = use_i18n();
    let name = member.display_name.clone();
    let is_admin = member.role.is_admin();
    view! {
        <header class="page-header">
            <h1>{t!(i18n, staff_welcome, name = move || name.clone())}</h1>
            <p class="lead">{t!(i18n, staff_lead)}</p>
        </header>
        <dl class="facts">
            <dt>{t!(i18n, your_role)}</dt>
            <dd><span class="badge"><RoleName role=member.role /></span></dd>
            <dt>{t!(i18n, email_label)}</dt>
            <dd>{member.email.clone()}</dd>
        </dl>
        <ul class="inline-links staff-links">
            <li><A href="/staff/tickets">{t!(i18n, staff_nav_queue)}</A></li>
            <li><A href="/staff/incidents">{t!(i18n, incidents_title)}</A></li>
            <li><A href="/staff/kb">{t!(i18n, staff_nav_articles)}</A></li>
            <li><A href="/staff/flows">{t!(i18n, staff_flows_title)}</A></li>
            <li><A href="/staff/canned-responses">{t!(i18n, canned_title)}</A></li>
            <li><A href="/staff/service-levels">{t!(i18n, sla_title)}</A></li>
        </ul>
        {is_admin.then(|| view! { <StaffAccounts /> })}
    }
}

/// Admins see every staff account.
#[component]
fn StaffAccounts() -> impl IntoView {
    let i18n = use_i18n();
    let accounts = LocalResource::new(api::staff_list);
    view! {
        <section class="section">
            <h2>{t!(i18n, staff_accounts_title)}</h2>
            {move || match accounts.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <ErrorPanel error on_retry=move || accounts.refetch() /> }.into_any(),
                Some(Ok(list)) => view! {
                    <div class="table-scroll">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, col_name)}</th>
                                    <th scope="col">{t!(i18n, col_email)}</th>
                                    <th scope="col">{t!(i18n, col_role)}</th>
                                    <th scope="col">{t!(i18n, col_status)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.staff.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.display_name}</td>
                                        <td>{m.email}</td>
                                        <td><RoleName role=m.role /></td>
                                        <td>
                                            {if m.active {
                                                t!(i18n, status_active).into_any()
                                            } else {
                                                t!(i18n, status_inactive).into_any()
                                            }}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
