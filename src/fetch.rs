//! A request's answer, read as a signal: what every page loads its data with.
//!
//! It does what these apps asked of Leptos' `LocalResource` — run an async function
//! again whenever a signal it read changes or on `refetch`, the newest answer winning —
//! without the machinery for `Suspense` and transitions, which no page uses and which
//! cost every app several kilobytes of wasm for each type of answer (measured: see
//! docs/ARCHITECTURE.md, "Web apps and bundle size").

use std::any::Any;
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;

use leptos::prelude::*;

/// `None` until the first answer; then the latest (kept while a newer request runs).
///
/// The answer is kept type-erased (an `Option<T>` in a `Box<dyn Any>`): every `Fetch`
/// of an app shares one signal type, so Leptos' signal machinery is compiled once, not
/// once per type of answer.
pub struct Fetch<T: 'static> {
    value: RwSignal<Box<dyn Any>, LocalStorage>,
    again: RwSignal<usize>,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Fetch<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Fetch<T> {}

/// The one signal every `Fetch` keeps its answer in.
fn answer_signal(empty: Box<dyn Any>) -> RwSignal<Box<dyn Any>, LocalStorage> {
    RwSignal::new_local(empty)
}

impl<T: 'static> Fetch<T> {
    /// Calls `fetcher` now, again whenever a signal it read (before its future) changes,
    /// and on [`refetch`](Self::refetch). An answer that a newer request overtook is
    /// dropped, and so is one that arrives after the page is gone.
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = answer_signal(Box::new(None::<T>));
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
                // Drawn in a task of its own, not in the one that read the answer.
                crate::next_task::next_task().await;
                if latest.get() == this {
                    value.try_set(Box::new(Some(answer)));
                }
            });
        });
        Self {
            value,
            again,
            answer: PhantomData,
        }
    }

    /// Asks again.
    pub fn refetch(&self) {
        self.again.try_update(|n| *n += 1);
    }

    pub fn with<U>(&self, f: impl FnOnce(&Option<T>) -> U) -> U {
        self.value.with(|v| f(answer(&**v)))
    }

    pub fn with_untracked<U>(&self, f: impl FnOnce(&Option<T>) -> U) -> U {
        self.value.with_untracked(|v| f(answer(&**v)))
    }

    pub fn track(&self) {
        self.value.track();
    }

    /// `f` of the answer, once there is one.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Option<U> {
        self.with(|v| v.as_ref().map(f))
    }
}

/// The answer a `Fetch<T>` keeps: always an `Option<T>`, as `Fetch::new` stored it.
fn answer<T: 'static>(value: &dyn Any) -> &Option<T> {
    value
        .downcast_ref::<Option<T>>()
        .expect("a Fetch keeps the type it was made for")
}

impl<T: Clone + 'static> Fetch<T> {
    pub fn get(&self) -> Option<T> {
        self.with(Option::clone)
    }

    pub fn get_untracked(&self) -> Option<T> {
        self.with_untracked(Option::clone)
    }
}
