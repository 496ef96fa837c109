//! The staff area's home, editors and admin pages (articles, flows, search, service
//! levels, categories, canned responses, accounts): loaded only when a technician opens
//! one (see `selfdesk::app`), so the queue and a ticket's page load without them.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(selfdesk::ManageApp);
}
