//! The staff area: loaded only by technicians (see `selfdesk::app`).
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(selfdesk::StaffApp);
}
