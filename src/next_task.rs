//! Waiting for the browser's next task, to split work a phone would otherwise run as
//! one long task that blocks input (Lighthouse's Total Blocking Time;
//! docs/ARCHITECTURE.md, "Page speed as people meet it"). On a phone, an app's start,
//! reading an answer and drawing a page each take tens of milliseconds, much of it
//! compiling the wasm functions first called; in one task they block for their sum.

/// Resolves in a later task of the browser's event loop (a zero timeout): what
/// follows runs once input and painting have had their turn. At once in a hidden tab,
/// where nobody is typing and browsers hold timers back for up to a second.
pub async fn next_task() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.document().is_none_or(|document| document.hidden()) {
        return;
    }
    let later = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(later).await;
}
