//! Reports that must not slow the page down (walks, searches): each waits in memory
//! and goes out in a batch a few seconds later, or as the page is hidden, by
//! `sendBeacon` (fire-and-forget). Only the latest report of a thing matters, so a
//! newer one replaces a waiting one, and a lost batch costs a figure, never the
//! person's work.

use std::cell::{Cell, RefCell};
use std::thread::LocalKey;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// How long a report waits for others to join it.
const BATCH_MS: i32 = 4000;

/// One kind of report's queue, kept in a `thread_local!`.
pub struct Batch<T: 'static> {
    pending: RefCell<Vec<T>>,
    scheduled: Cell<bool>,
    listening: Cell<bool>,
    /// Whether two reports are about the same thing (the newer replaces the other).
    same: fn(&T, &T) -> bool,
    /// Sends at most `max` reports.
    send: fn(&[T]),
    max: usize,
}

impl<T: 'static> Batch<T> {
    pub const fn new(same: fn(&T, &T) -> bool, send: fn(&[T]), max: usize) -> Self {
        Self {
            pending: RefCell::new(Vec::new()),
            scheduled: Cell::new(false),
            listening: Cell::new(false),
            same,
            send,
            max,
        }
    }
}

/// Queues `report`, replacing a waiting one about the same thing.
pub fn push<T: 'static>(batch: &'static LocalKey<Batch<T>>, report: T) {
    batch.with(|b| {
        b.pending.borrow_mut().retain(|r| !(b.same)(r, &report));
        b.pending.borrow_mut().push(report);
        if !b.listening.replace(true) {
            listen_for_page_hide(batch);
        }
        if !b.scheduled.replace(true) {
            let flush_later = Closure::once_into_js(move || flush(batch));
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    flush_later.unchecked_ref(),
                    BATCH_MS,
                );
            }
        }
    });
}

/// Sends what is waiting.
pub fn flush<T: 'static>(batch: &'static LocalKey<Batch<T>>) {
    batch.with(|b| {
        b.scheduled.set(false);
        let waiting = std::mem::take(&mut *b.pending.borrow_mut());
        for chunk in waiting.chunks(b.max) {
            (b.send)(chunk);
        }
    });
}

/// A tab closed, left for another app or put in the background still reports: the
/// page may never come back to send it. `pagehide` always; `visibilitychange` when
/// the page is hidden, not shown again.
fn listen_for_page_hide<T: 'static>(batch: &'static LocalKey<Batch<T>>) {
    let on_hide = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let hidden = event.type_() == "pagehide"
            || web_sys::window()
                .and_then(|w| w.document())
                .is_none_or(|d| d.hidden());
        if hidden {
            flush(batch);
        }
    });
    if let Some(window) = web_sys::window() {
        for event in ["pagehide", "visibilitychange"] {
            let _ =
                window.add_event_listener_with_callback(event, on_hide.as_ref().unchecked_ref());
        }
    }
    on_hide.forget();
}
