//! Where focus goes after a client-side navigation: to the new page's heading, as
//! after a page load a screen reader starts at the top and a keyboard user's next Tab
//! is the page's first control. Without it, focus stays on the link just followed (or
//! falls to the document when that link is gone), and a screen reader says nothing of
//! the new page.
//!
//! Only a change of path counts: a change of the query alone (a walk's next step, a
//! search as one types) leaves focus where the page puts it. A page that places focus
//! itself (a form's first error, a search box) keeps it: the heading is focused only
//! while focus is still where the navigation left it.

use std::time::Duration;

use crate::router::use_location;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// How long the new page may take to draw its heading (it may wait for data).
const WAIT_FOR_HEADING_MS: u64 = 3_000;
const POLL_MS: u64 = 50;

/// Put inside the router, once per app.
#[component]
pub fn FocusOnNavigate() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            let left_on = document().active_element();
            focus_heading_when_drawn(left_on, WAIT_FOR_HEADING_MS / POLL_MS);
        }
        path
    });
}

fn focus_heading_when_drawn(left_on: Option<web_sys::Element>, tries: u64) {
    set_timeout(
        move || {
            let active = document().active_element();
            let body: Option<web_sys::Element> = document().body().map(Into::into);
            if active.is_some() && active != left_on && active != body {
                return;
            }
            let heading = document()
                .query_selector("main h1")
                .ok()
                .flatten()
                .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
            match heading {
                Some(h) => {
                    if !h.has_attribute("tabindex") {
                        let _ = h.set_attribute("tabindex", "-1");
                    }
                    let _ = h.focus();
                }
                None if tries > 0 => focus_heading_when_drawn(left_on, tries - 1),
                None => {}
            }
        },
        Duration::from_millis(POLL_MS),
    );
}
