//! Keyboard moves through the queue, on the queue page and from one ticket to the
//! next. The queue's current order is kept in this tab (sessionStorage), so `n` / `p`
//! on a ticket follow the list the technician was working from.

use std::cell::Cell;

use selfdesk_shared::queue::QueueItem;
use wasm_bindgen::JsCast;

use crate::web_storage::keys;

thread_local! {
    static CURRENT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Keeps the numbers shown, in order.
pub fn remember_order(rows: &[QueueItem]) {
    let numbers: Vec<String> = rows.iter().map(|r| r.number.to_string()).collect();
    keys::queue_order().save(&numbers);
}

/// The ticket before (`step` = -1) or after (`step` = 1) `number` in the queue last
/// shown.
pub fn neighbour(number: &str, step: isize) -> Option<String> {
    let numbers = keys::queue_order().load()?;
    let at = numbers.iter().position(|n| n == number)?;
    let target = at.checked_add_signed(step)?;
    numbers.get(target).cloned()
}

pub fn set_current(index: usize) {
    CURRENT.with(|c| c.set(Some(index)));
}

/// Whether a key press belongs to a text field (and must not be a shortcut).
pub fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return true;
    }
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        })
}

/// Moves focus to the ticket link in row `index`.
pub fn focus_row(index: usize) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Ok(links) = document.query_selector_all(".queue-table a.ticket-link") else {
        return false;
    };
    let Some(link) = links
        .get(index as u32)
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    let _ = link.focus();
    set_current(index);
    true
}

/// The row whose ticket link has the focus, if any.
pub fn focused_row() -> Option<usize> {
    let active = web_sys::window()?.document()?.active_element()?;
    active.closest(".queue-table a.ticket-link").ok()??;
    CURRENT.with(Cell::get)
}

/// Focuses row `index` once the redrawn table is in the page.
pub fn focus_row_soon(index: usize) {
    leptos::prelude::set_timeout(
        move || {
            focus_row(index);
        },
        std::time::Duration::ZERO,
    );
}

/// `j` / `k` anywhere on the page (outside text fields) move to the next or previous
/// ticket; the arrow keys do the same only inside the table, so they still scroll
/// the page everywhere else.
pub fn on_queue_key(ev: &web_sys::KeyboardEvent) {
    if typing(ev) {
        return;
    }
    let in_table = || focused_row().is_some();
    let step: isize = match ev.key().as_str() {
        "j" => 1,
        "k" => -1,
        "ArrowDown" if in_table() => 1,
        "ArrowUp" if in_table() => -1,
        _ => return,
    };
    let target = match CURRENT.with(Cell::get) {
        None => 0,
        Some(at) => at.saturating_add_signed(step),
    };
    if focus_row(target) {
        ev.prevent_default();
    }
}
