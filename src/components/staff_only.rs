//! Staff pages wait for the session check, then show their content to signed-in staff
//! and send everyone else to sign-in, with a way back.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::status::Loading;
use crate::session::use_session;

#[component]
pub fn StaffOnly(
    /// Where sign-in should bring the user back to.
    #[prop(into)]
    next: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let signed_in = Memo::new(move |_| session.member.read().is_some());
    move || {
        if !session.checked.get() {
            view! { <Loading /> }.into_any()
        } else if signed_in.get() {
            children().into_any()
        } else {
            let path = format!(
                "/staff/sign-in?next={}",
                js_sys::encode_uri_component(&next.get_untracked())
            );
            view! { <Redirect path /> }.into_any()
        }
    }
}
