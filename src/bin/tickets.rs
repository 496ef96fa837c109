//! Filing and tracking tickets: loaded when a visitor goes to /tickets… (see
//! `selfdesk::app`).
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(selfdesk::TicketsApp);
}
