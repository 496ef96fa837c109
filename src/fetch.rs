//! A request's answer, read as a signal: what every page loads its data with.
//!
//! It does what these apps asked of Leptos' `LocalResource` — run an async function
//! again whenever a signal it read changes or on `refetch`, the newest answer winning —
//! without the machinery for `Suspense` and transitions, which no page uses and which
//! cost every app several kilobytes of wasm for each type of answer (measured: see
//! docs/ARCHITECTURE.md, "Web apps and bundle size").

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;

/// `None` until the first answer; then the latest (kept while a newer request runs).
pub struct Fetch<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    again: RwSignal<usize>,
}

impl<T> Clone for Fetch<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Fetch<T> {}

impl<T: 'static> Fetch<T> {
    /// Calls `fetcher` now, again whenever a signal it read (before its future) changes,
    /// and on [`refetch`](Self::refetch). An answer that a newer request overtook is
    /// dropped, and so is one that arrives after the page is gone.
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        let again = RwSignal::new(0);
        let latest = Rc::new(Cell::new(0u64));
        Effect::new(move |_| {
            again.track();
            let future = fetcher();
            let this = latest.get() + 1;
            latest.set(this);
            let latest = Rc::clone(&latest);
            leptos::task::spawn_local(async move {
                let answer = future.await;
                if latest.get() == this {
                    value.try_set(Some(answer));
                }
            });
        });
        Self { value, again }
    }

    /// Asks again.
    pub fn refetch(&self) {
        self.again.try_update(|n| *n += 1);
    }

    pub fn with<U>(&self, f: impl FnOnce(&Option<T>) -> U) -> U {
        self.value.with(f)
    }

    pub fn with_untracked<U>(&self, f: impl FnOnce(&Option<T>) -> U) -> U {
        self.value.with_untracked(f)
    }

    pub fn track(&self) {
        self.value.track();
    }

    /// `f` of the answer, once there is one.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Option<U> {
        self.value.with(|v| v.as_ref().map(f))
    }
}

impl<T: Clone + 'static> Fetch<T> {
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    pub fn get_untracked(&self) -> Option<T> {
        self.value.get_untracked()
    }
}
