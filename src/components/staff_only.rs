//! The staff area's one door: every staff page except sign-in is a child of the route
//! whose view is `StaffOnly` (see `app::StaffApp`), so no page checks the session by
//! itself. It waits for the session check, then shows the page to signed-in staff and
//! sends everyone else to sign-in, with the page they asked for as `next`. What a
//! signed-in technician may do on a page (admins edit, others read) is the page's own
//! business; the server decides it either way.
//!
//! Not leptos_router's `ProtectedParentRoute`: it wraps the pages in a `Transition`,
//! which would hold each page's own loading states, and it draws the pages again
//! whenever the session signal is written, even with the same member.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

use crate::components::status::Loading;
use crate::session::use_session;

#[component]
pub fn StaffOnly() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let signed_in = Memo::new(move |_| session.member.read().is_some());
    move || {
        if !session.checked.get() {
            view! { <Loading /> }.into_any()
        } else if signed_in.get() {
            view! { <Outlet /> }.into_any()
        } else {
            // The address without its query, as each page gave it before (the queue's
            // filters are not carried through sign-in).
            let path = format!(
                "/staff/sign-in?next={}",
                js_sys::encode_uri_component(&location.pathname.get_untracked())
            );
            view! { <Redirect path /> }.into_any()
        }
    }
}
