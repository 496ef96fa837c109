//! Insight, the help desk's figures and charts (`/staff/insight`): loaded only when a
//! technician opens that page (see `selfdesk::app`), so its charts never weigh on the
//! staff area's queue.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(selfdesk::InsightApp);
}
