//! A ticket's page (`/tickets/:number`): loaded when a visitor goes there (see
//! `selfdesk::app`).
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(selfdesk::TrackingApp);
}
