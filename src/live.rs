//! Live updates over Server-Sent Events, for the pages that follow a ticket or the
//! queue as it changes. A page calls one of the two hooks while it is built; the
//! stream is closed when the page is left.
//!
//! The browser reconnects by itself after a dropped connection, and the server replays
//! what was missed (`Last-Event-ID`). It gives up for good (the `EventSource` is
//! CLOSED) only when the server refuses the stream: for a staff stream, the session
//! ended, and the stream stays closed; for a requester's stream, its short-lived grant
//! expired or the server restarted, so [`use_granted_event_source`] asks for a new
//! grant and connects again.
//!
//! A ticket's page opens its stream only once it shows the ticket, asking for what
//! came after the newest event shown: the server would otherwise replay the whole
//! timeline, and the page would read the ticket again once per old event.
//!
//! The server sends only unnamed events, so each stream has one `on_message` handler,
//! given the message's data.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// How long a stream waits before asking again for a grant the server refused or
/// could not give (and a ticket's page before reading the ticket again, when its first
/// read failed and the stream cannot open yet).
pub const RETRY: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// Not yet connected.
    Connecting,
    On,
    /// Lost; the browser or the page is trying again.
    Reconnecting,
}

/// What a granted stream's `address` answers.
pub enum Grant {
    /// Connect here.
    Url(String),
    /// No grant now (the network, the server): ask again in a few seconds.
    Later,
    /// No grant will come (the link stopped working): stay disconnected.
    Never,
}

/// Opens a stream on `url` for the life of the calling component; each message's
/// data goes to `on_message`. It connects once `url` gives an address, and again
/// whenever the address it gives changes.
pub fn use_event_source(
    url: impl Fn() -> Option<String> + 'static,
    on_message: impl Fn(String) + 'static,
) -> Signal<Live> {
    let stream = Stream::new(on_message, None);
    Effect::new(move |_| {
        if let Some(url) = url() {
            untrack(|| stream.connect(&url));
        }
    });
    stream.state.into()
}

type Address = Box<dyn Fn(i64) -> Pin<Box<dyn Future<Output = Grant>>>>;

/// Opens a stream whose address carries a short-lived grant (an `EventSource` cannot
/// send an `Authorization` header). It waits until `after` gives the newest event id
/// the page shows, then asks `address` for where to connect, giving it that id; when
/// the browser gives up on the stream, it asks again with the newest id received.
pub fn use_granted_event_source<F>(
    after: impl Fn() -> Option<i64> + 'static,
    address: impl Fn(i64) -> F + 'static,
    on_message: impl Fn(String) + 'static,
) -> Signal<Live>
where
    F: Future<Output = Grant> + 'static,
{
    let address: Address = Box::new(move |after| Box::pin(address(after)));
    let stream = Stream::new(on_message, Some(StoredValue::new_local(address)));
    Effect::new(move |opened: Option<bool>| {
        if opened == Some(true) {
            return true;
        }
        let Some(after) = after() else {
            return false;
        };
        stream.last_id.set_value(after);
        // Connected after the page that asked is drawn, in a task of its own.
        leptos::task::spawn_local(async move {
            crate::next_task::next_task().await;
            stream.open();
        });
        true
    });
    stream.state.into()
}

#[derive(Clone, Copy)]
struct Stream {
    state: RwSignal<Live>,
    /// The open connection. Like the other handles here, it is gone once the page is
    /// left, which is how work finishing later (a grant, a timer) knows to stop.
    source: StoredValue<Option<web_sys::EventSource>, LocalStorage>,
    on_message: StoredValue<Box<dyn Fn(String)>, LocalStorage>,
    /// For granted streams: where the next connection goes.
    address: Option<StoredValue<Address, LocalStorage>>,
    /// The newest event id received (or, before any, the one the page started from):
    /// a granted stream connects again from there.
    last_id: StoredValue<i64>,
}

impl Stream {
    fn new(
        on_message: impl Fn(String) + 'static,
        address: Option<StoredValue<Address, LocalStorage>>,
    ) -> Self {
        let stream = Self {
            state: RwSignal::new(Live::Connecting),
            source: StoredValue::new_local(None),
            on_message: StoredValue::new_local(Box::new(on_message) as Box<dyn Fn(String)>),
            address,
            last_id: StoredValue::new(0),
        };
        on_cleanup(move || {
            if let Some(es) = stream.source.try_get_value().flatten() {
                es.close();
            }
        });
        stream
    }

    /// Asks for a grant, then connects with it.
    fn open(self) {
        let Some(next) = self
            .address
            .zip(self.last_id.try_get_value())
            .and_then(|(a, after)| a.try_with_value(|address| address(after)))
        else {
            return; // the page was left
        };
        leptos::task::spawn_local(async move {
            let grant = next.await;
            // The page may have been left while the grant was on its way.
            if self.source.try_get_value().is_none() {
                return;
            }
            match grant {
                Grant::Url(url) => self.connect(&url),
                Grant::Later => {
                    let _ = self.state.try_set(Live::Reconnecting);
                    set_timeout(move || self.open(), RETRY);
                }
                Grant::Never => {
                    let _ = self.state.try_set(Live::Reconnecting);
                }
            }
        });
    }

    fn connect(self, url: &str) {
        let Ok(es) = web_sys::EventSource::new(url) else {
            return;
        };
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let _ = self.state.try_set(Live::On);
                if let Ok(id) = ev.last_event_id().parse::<i64>() {
                    self.last_id.try_set_value(id);
                }
                let data = ev.data().as_string().unwrap_or_default();
                self.on_message.try_with_value(|handler| handler(data));
            });
        let on_open = Closure::<dyn Fn()>::new(move || {
            let _ = self.state.try_set(Live::On);
        });
        let opened = es.clone();
        let on_error = Closure::<dyn Fn()>::new(move || {
            let _ = self.state.try_set(Live::Reconnecting);
            // CLOSED: the browser will not retry by itself; a granted stream needs a
            // new grant.
            if self.address.is_some() && opened.ready_state() == web_sys::EventSource::CLOSED {
                set_timeout(move || self.open(), RETRY);
            }
        });
        es.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Each closure holds only handles into the page's reactive arena, which do
        // nothing once the page is left; the source itself is closed then.
        on_message.forget();
        on_open.forget();
        on_error.forget();
        if let Some(old) = self.source.try_get_value().flatten() {
            old.close();
        }
        self.source.try_set_value(Some(es));
    }
}
