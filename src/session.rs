//! Who is signed in, shared by the header and the staff pages.

use leptos::prelude::*;
use leptos::task::spawn_local;
use selfdesk_shared::auth::StaffMember;

use crate::api;

/// `checked` is false until the server has answered once, so staff pages can wait
/// instead of bouncing a signed-in technician to the sign-in form on reload.
#[derive(Clone, Copy)]
pub struct StaffSession {
    pub member: RwSignal<Option<StaffMember>>,
    pub checked: RwSignal<bool>,
}

/// Asks the server once at start-up and puts the answer in context.
pub fn provide() {
    let session = StaffSession {
        member: RwSignal::new(None),
        checked: RwSignal::new(false),
    };
    provide_context(session);
    spawn_local(async move {
        // A network failure here counts as "not signed in"; the staff page will ask
        // again and show a retry if the server is really unreachable.
        if let Ok(member) = api::current_staff().await {
            session.member.set(member);
        }
        session.checked.set(true);
    });
}

pub fn use_session() -> StaffSession {
    expect_context::<StaffSession>()
}
