//! The frame around every page: skip link, header with navigation, language and
//! staff menu, and the footer.

use crate::router::A;
use leptos::prelude::*;

use crate::say::say;

use super::language::LanguageSwitcher;
use crate::api;
use crate::i18n::{t_string, use_i18n};
use crate::session::use_session;

/// `staff_menu`: in the staff app, the signed-in member's menu; elsewhere (`None`) a
/// link to the staff area (which asks to sign in when needed). A function pointer
/// rather than a flag, so the other apps never link the staff menu's code.
#[component]
pub fn Header(#[prop(optional_no_strip)] staff_menu: Option<fn() -> AnyView>) -> impl IntoView {
    let i18n = use_i18n();
    let location = crate::router::use_location();
    view! {
        <a class="skip-link" href="#main">
            {say!(i18n, skip_to_content)}
        </a>
        <header class="site-header">
            <div class="header-inner">
                <A href="/" attr:class="brand">
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                        <rect x="3" y="5" width="26" height="18" rx="3" />
                        <path d="M11 28h10M16 23v5" />
                        <path class="tick" d="M10 14l4 4 8-8" />
                    </svg>
                    <span class="brand-name">{say!(i18n, app_name)}</span>
                    <span class="brand-tagline">{say!(i18n, tagline)}</span>
                </A>
                <div class="header-tools">
                    <LanguageSwitcher />
                    {match staff_menu {
                        Some(menu) => menu(),
                        None => {
                            view! {
                                {requester_sign_in_link(location.pathname)}
                                <A href="/staff" attr:class="button button-quiet">
                                    {say!(i18n, staff_sign_in)}
                                </A>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </div>
            <nav class="main-nav" aria-label=move || t_string!(i18n, nav_label)>
                <A href="/kb">{say!(i18n, nav_kb)}</A>
                <A href="/diagnose">{say!(i18n, nav_diagnose)}</A>
                <A href="/tickets/new">{say!(i18n, nav_new_ticket)}</A>
                // Not `A`: its prefix match would mark "My tickets" on the new-ticket
                // form too. Tracking a ticket (/tickets/SD-…) still counts as here.
                <a
                    href="/tickets"
                    aria-current=move || {
                        let path = location.pathname.get();
                        (path == "/tickets"
                            || (path.starts_with("/tickets/") && path != "/tickets/new"))
                            .then_some("page")
                    }
                >
                    {say!(i18n, nav_track)}
                </a>
            </nav>
        </header>
    }
}

/// "Sign in" for requesters, when the portal offers it and this browser is not
/// signed in; it comes back to the page it was clicked on.
fn requester_sign_in_link(path: Memo<String>) -> Option<AnyView> {
    let ways = crate::requester_sign_in::ways();
    if !ways.any() || crate::requester_sign_in::holds_session() {
        return None;
    }
    let i18n = use_i18n();
    let href = move || crate::requester_sign_in::sign_in_path(&path.get());
    Some(
        view! {
            <a class="button button-quiet" href=href>
                {say!(i18n, requester_sign_in)}
            </a>
        }
        .into_any(),
    )
}

/// The staff app's header menu (see `Header`).
pub fn staff_menu() -> AnyView {
    view! { <StaffMenu /> }.into_any()
}

/// "Staff sign-in" for visitors; the queue, the staff area (the member's name) and
/// "Sign out" once signed in.
#[component]
fn StaffMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = Action::new_local(|_: &()| api::sign_out());
    Effect::new(move || {
        // Whatever the answer (even a 401 for an already-ended session), the browser
        // no longer holds a usable session. A full load of the home page, rather than a
        // client-side navigation, drops every piece of staff data held in memory.
        if sign_out.value().get().is_some() {
            let _ = window().location().assign("/");
        }
    });
    move || match session.member.get() {
        // Until the server answers, the menu's place is kept (hidden) at the size it
        // has for a signed-in member, who is nearly everyone opening a staff page:
        // the page below does not jump down when the answer comes.
        None if !session.checked.get() => view! {
            <div class="staff-menu staff-menu-pending" aria-hidden="true">
                <span class="button button-quiet">{say!(i18n, staff_nav_queue)}</span>
                <span class="staff-name staff-name-pending"></span>
                <span class="button button-quiet">{say!(i18n, sign_out)}</span>
            </div>
        }
        .into_any(),
        Some(member) => view! {
            <div class="staff-menu">
                <A href="/staff/tickets" attr:class="button button-quiet">
                    {say!(i18n, staff_nav_queue)}
                </A>
                <A href="/staff" attr:class="staff-name">
                    {member.display_name}
                </A>
                <button
                    type="button"
                    class="button button-quiet"
                    on:click=move |_| {
                        sign_out.dispatch(());
                    }
                    disabled=move || sign_out.pending().get()
                >
                    {move || {
                        if sign_out.pending().get() {
                            say!(i18n, signing_out).into_any()
                        } else {
                            say!(i18n, sign_out).into_any()
                        }
                    }}
                </button>
            </div>
        }
        .into_any(),
        None => view! {
            <A href="/staff/sign-in" attr:class="button button-quiet">
                {say!(i18n, staff_sign_in)}
            </A>
        }
        .into_any(),
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{say!(i18n, footer_text)}</p>
        </footer>
    }
}

/// A page's heading and lead paragraph.
#[component]
pub fn PageHeader(title: AnyView, lead: AnyView) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
        </header>
    }
}

/// Shown by sections whose feature has not shipped yet: says so plainly instead of
/// pretending, and tells the user what to do meanwhile.
#[component]
pub fn NotOpenYet() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panel panel-info" role="status">
            <p>{say!(i18n, section_not_open)}</p>
        </div>
    }
}
