//! The browser tab's title, "<page> — Selfdesk" in the reader's language: what
//! history, bookmarks and tabs show, and what a screen reader announces after a
//! navigation. Every page sets its own.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};

/// Keeps the tab's title on `page` (followed as it changes: a language switch, a
/// loaded ticket). An empty text leaves only the product's name.
pub fn page_title(page: impl Fn() -> String + 'static) {
    follow_title(Box::new(page));
}

// Not generic: one effect's code for every page of an app.
fn follow_title(page: Box<dyn Fn() -> String>) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let page = page();
        let app = t_string!(i18n, app_name);
        let title = if page.is_empty() {
            app.to_owned()
        } else {
            format!("{page} — {app}")
        };
        document().set_title(&title);
    });
}
