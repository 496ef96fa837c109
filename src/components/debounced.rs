//! A request made as the user types: sent `delay` after the input last changed, a
//! newer one aborting the one in flight, and nothing left running (or landing in a
//! disposed signal) once the component is gone.

use std::future::Future;
use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use web_sys::{AbortController, AbortSignal};

/// Runs `request` for each new value of `query` (a tracked closure; `None` means
/// nothing to ask, and clears the answer). The answer of the newest request lands in
/// the returned signal; a failed or aborted request leaves it as it was.
pub fn debounced_request<Q, R, Fut>(
    query: impl Fn() -> Option<Q> + 'static,
    delay: Duration,
    request: impl Fn(Q, AbortSignal) -> Fut + Copy + 'static,
) -> ReadSignal<Option<R>>
where
    Q: 'static,
    R: Send + Sync + 'static,
    Fut: Future<Output = Option<R>> + 'static,
{
    let answer = RwSignal::new(None::<R>);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let in_flight = StoredValue::new_local(None::<AbortController>);
    Effect::new(move |_| {
        let next = query();
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let Some(next) = next else {
            answer.set(None);
            return;
        };
        let handle = set_timeout_with_handle(
            move || {
                let Some(signal) = replace_request(in_flight) else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    if let Some(found) = request(next, signal.clone()).await
                        && !signal.aborted()
                    {
                        answer.try_set(Some(found));
                    }
                });
            },
            delay,
        )
        .ok();
        timer.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
        if let Some(request) = in_flight.try_get_value().flatten() {
            request.abort();
        }
    });
    answer.read_only()
}

/// Aborts the request in flight, if any, and starts the next one's: its signal, or
/// `None` when the browser cannot make one.
pub fn replace_request(
    in_flight: StoredValue<Option<AbortController>, LocalStorage>,
) -> Option<AbortSignal> {
    if let Some(previous) = in_flight.get_value() {
        previous.abort();
    }
    let controller = AbortController::new().ok()?;
    let signal = controller.signal();
    in_flight.set_value(Some(controller));
    Some(signal)
}
