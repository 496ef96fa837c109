//! Guided diagnostics, filing and tracking tickets: loaded when a visitor goes to
//! /tickets… or /diagnose… (see `selfdesk::app`).
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(selfdesk::TicketsApp);
}
