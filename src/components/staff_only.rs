//! The staff area's one door: every staff page except sign-in is drawn inside
//! `StaffOnly` (see the route tables in `app`), so no page checks the session by
//! itself. It waits for the session check, then shows the page to signed-in staff and
//! sends everyone else to sign-in, with the page they asked for as `next`. What a
//! signed-in technician may do on a page (admins edit, others read) is the page's own
//! business; the server decides it either way.
//! The page is drawn again only when being signed in changes, not whenever the
//! session signal is written with the same member.

use crate::components::status::Loading;
use crate::router::{Redirect, use_location};
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn StaffOnly(page: fn() -> AnyView) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let signed_in = Memo::new(move |_| session.member.read().is_some());
    move || {
        if !session.checked.get() {
            view! { <Loading /> }.into_any()
        } else if signed_in.get() {
            untrack(page)
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
