//! Markdown → safe HTML for previews — the ticket form's, the reply box's, the
//! editors' — (articles and ticket text already sent come rendered by the server),
//! done by the render worker (`src/bin/render_worker.rs`)
//! with the shared renderer (`selfdesk_shared::markdown`). The worker starts on the
//! first call, so pages without Markdown never download it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use selfdesk_shared::markdown::TocEntry;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

/// Where Trunk puts the worker's loader (see index.html).
const WORKER_URL: &str = "/render_worker_loader.js";

#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// Sanitised by the shared renderer: raw HTML is text, unsafe URLs are gone.
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// The callout titles in the reader's language: note, tip, important, warning, caution.
pub type CalloutTitles = [String; 5];

/// The callout titles in the current UI language (tracked: a language change
/// re-renders).
pub fn callout_titles(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>) -> CalloutTitles {
    let labels = selfdesk_shared::markdown::CalloutLabels::for_language(
        crate::components::language::from_locale(i18n.get_locale()),
    );
    [
        labels.note.to_owned(),
        labels.tip.to_owned(),
        labels.important.to_owned(),
        labels.warning.to_owned(),
        labels.caution.to_owned(),
    ]
}

struct Renderer {
    worker: Worker,
    /// Requests wait here until the worker says it listens (it drops earlier ones).
    ready: bool,
    queue: Vec<Array>,
    pending: HashMap<u32, (Function, Function)>,
    next_id: u32,
}

type Shared = Rc<RefCell<Renderer>>;

thread_local! {
    static RENDERER: RefCell<Option<Shared>> = const { RefCell::new(None) };
}

fn start() -> Result<Shared, JsValue> {
    let worker = Worker::new(WORKER_URL)?;
    let shared: Shared = Rc::new(RefCell::new(Renderer {
        worker: worker.clone(),
        ready: false,
        queue: Vec::new(),
        pending: HashMap::new(),
        next_id: 0,
    }));
    let on_reply = shared.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let mut renderer = on_reply.borrow_mut();
        if event.data().as_string().as_deref() == Some("ready") {
            renderer.ready = true;
            for request in std::mem::take(&mut renderer.queue) {
                let _ = renderer.worker.post_message(&request);
            }
            return;
        }
        let reply: Array = event.data().unchecked_into();
        let id = reply.get(0).as_f64().unwrap_or(-1.0) as u32;
        if let Some((resolve, _)) = renderer.pending.remove(&id) {
            let _ = resolve.call1(&JsValue::NULL, &reply);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // The worker failed to load or crashed: fail every waiting render, and start
    // afresh on the next call rather than waiting forever.
    let on_failure = shared.clone();
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        for (_, (_, reject)) in on_failure.borrow_mut().pending.drain() {
            let _ = reject.call0(&JsValue::NULL);
        }
        RENDERER.with(|r| r.borrow_mut().take());
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(shared)
}

/// Renders `markdown`; `Err(())` when the worker could not be loaded (offline).
/// `ticket_text`: written by anyone, so remote images become links (see
/// `selfdesk_shared::markdown::Images`).
pub async fn render(
    markdown: &str,
    titles: &CalloutTitles,
    ticket_text: bool,
) -> Result<Rendered, ()> {
    let request = Array::new();
    request.push(&JsValue::NULL); // id, set below
    request.push(&JsValue::from_str(markdown));
    for title in titles {
        request.push(&JsValue::from_str(title));
    }
    request.push(&JsValue::from_bool(ticket_text));
    let promise = RENDERER.with(|cell| -> Result<Promise, JsValue> {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(start()?);
        }
        let mut renderer = cell.as_ref().expect("started above").borrow_mut();
        renderer.next_id = renderer.next_id.wrapping_add(1);
        let id = renderer.next_id;
        request.set(0, JsValue::from(id));
        let promise = Promise::new(&mut |resolve, reject| {
            renderer.pending.insert(id, (resolve, reject));
        });
        if renderer.ready {
            renderer.worker.post_message(&request)?;
        } else {
            renderer.queue.push(request.clone());
        }
        Ok(promise)
    });
    let reply: Array = JsFuture::from(promise.map_err(|_| ())?)
        .await
        .map_err(|_| ())?
        .unchecked_into();
    let toc = Array::from(&reply.get(2))
        .iter()
        .map(|entry| {
            let entry = Array::from(&entry);
            TocEntry {
                level: entry.get(0).as_f64().unwrap_or(2.0) as u8,
                id: entry.get(1).as_string().unwrap_or_default(),
                text: entry.get(2).as_string().unwrap_or_default(),
            }
        })
        .collect();
    Ok(Rendered {
        html: reply.get(1).as_string().unwrap_or_default(),
        toc,
    })
}
