//! The Markdown renderer, as a Web Worker with its own small wasm module.
//!
//! pulldown-cmark is about a quarter of what the app would otherwise load up front;
//! only previews of Markdown being written (the ticket form's and the reply box's, the
//! editors') need it — ticket text already sent comes rendered by the server — so it is
//! built separately and started on first use (`src/markdown.rs`).
//! It also keeps long texts from blocking the page while they render.
//!
//! Message in: `[id, markdown, note, tip, important, warning, caution, local_images]`
//! (the callout labels in the reader's language; `local_images` true for ticket text,
//! whose remote images become links). Message out: `[id, html, [[level, id, text], …]]`.
//! Plain arrays rather than JSON keep serde out of this module. The worker says
//! `"ready"` once it listens.

use js_sys::Array;
use selfdesk_shared::markdown::{CalloutLabels, Images, render_with};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// A binary's `main` is not run by wasm-bindgen's no-modules loader; `start` is.
fn main() {}

#[wasm_bindgen(start)]
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let request: Array = event.data().unchecked_into();
        let text = |i: u32| request.get(i).as_string().unwrap_or_default();
        let (note, tip, important, warning, caution) =
            (text(2), text(3), text(4), text(5), text(6));
        let images = if request.get(7).as_bool() == Some(true) {
            Images::LocalOnly
        } else {
            Images::Any
        };
        let rendered = render_with(
            &text(1),
            &CalloutLabels {
                note: &note,
                tip: &tip,
                important: &important,
                warning: &warning,
                caution: &caution,
            },
            images,
        );
        let toc: Array = rendered
            .toc
            .iter()
            .map(|entry| {
                Array::of3(
                    &JsValue::from(entry.level),
                    &JsValue::from_str(&entry.id),
                    &JsValue::from_str(&entry.text),
                )
            })
            .collect();
        let reply = Array::of3(&request.get(0), &JsValue::from_str(&rendered.html), &toc);
        // A worker's postMessage only fails for uncloneable data; strings never are.
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive before a handler is set are dropped, and the handler can
    // only be set once the wasm has loaded: the app waits for this word.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
