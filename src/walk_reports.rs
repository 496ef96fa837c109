//! Measuring diagnostics without slowing them: each step's report waits in memory
//! and goes out in a batch a few seconds later, or as the page is hidden, by
//! `sendBeacon` (fire-and-forget). Only a walk's latest state matters, so a newer
//! report replaces a waiting one, and a lost batch loses nothing the walk needs.

use std::cell::{Cell, RefCell};

use selfdesk_shared::flows::api::{MAX_WALK_REPORTS, WalkReport};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api;

/// How long a report waits for others to join it.
const BATCH_MS: i32 = 4000;

thread_local! {
    static PENDING: RefCell<Vec<WalkReport>> = const { RefCell::new(Vec::new()) };
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

pub fn report(report: WalkReport) {
    PENDING.with_borrow_mut(|pending| {
        pending.retain(|r| r.walk != report.walk);
        pending.push(report);
    });
    listen_for_page_hide();
    if !SCHEDULED.replace(true) {
        let flush_later = Closure::once_into_js(flush);
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                flush_later.unchecked_ref(),
                BATCH_MS,
            );
        }
    }
}

/// Sends what is waiting.
pub fn flush() {
    SCHEDULED.set(false);
    let batch = PENDING.with_borrow_mut(std::mem::take);
    for chunk in batch.chunks(MAX_WALK_REPORTS) {
        api::report_walks(chunk);
    }
}

/// A tab closed or left mid-walk still reports where it stopped.
fn listen_for_page_hide() {
    if LISTENING.replace(true) {
        return;
    }
    let on_hide = Closure::<dyn Fn()>::new(flush);
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    }
    on_hide.forget();
}

/// A new random walk id.
pub fn new_walk_id() -> String {
    crate::requester_storage::new_idempotency_key()
}
