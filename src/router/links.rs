//! Links: one into this app is followed without a page load; `A` marks the link to
//! where the reader is.

use leptos::prelude::*;
use selfdesk_shared::areas::AppArea;
use wasm_bindgen::JsCast;

use super::address::{self, Address, decode};
use super::{NavigateOptions, Router, use_location};

/// Follows, within the app, every click on a same-origin link to one of its own
/// paths. Left to the browser: a click with a modifier or another button (a new tab),
/// a link with `target`, `download` or `rel="external"`, one to another app (a page
/// load is how that app starts), one to the server's API (a file) and one to an
/// anchor on this page.
pub(super) fn follow_links_in_app(router: Router) -> WindowListenerHandle {
    window_event_listener(leptos::ev::click, move |ev| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = clicked_link(&ev) else {
            return;
        };
        let left_to_browser = |name: &str| link.has_attribute(name);
        let target = link.get_attribute("target").unwrap_or_default();
        if left_to_browser("download")
            || !(target.is_empty() || target == "_self")
            || link
                .get_attribute("rel")
                .is_some_and(|r| r.split_whitespace().any(|r| r == "external"))
        {
            return;
        }
        let Some(href) = link.get_attribute("href") else {
            return;
        };
        let Some(url) = address::resolve(&href) else {
            return;
        };
        let to = Address::of_url(&url);
        if AppArea::for_path(&to.path) != router.area || to.path.starts_with("/api/") {
            return;
        }
        let here = router.address.get_untracked();
        if to.path == here.path && to.search == here.search && !to.hash.is_empty() {
            return;
        }
        ev.prevent_default();
        router.go(&to.to_string(), NavigateOptions::default());
    })
}

/// The `<a>` the click was in, if any (the click may be on an icon inside it).
fn clicked_link(ev: &web_sys::MouseEvent) -> Option<web_sys::Element> {
    let element = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let link = element.closest("a[href]").ok()??;
    // An SVG `<a>` has an object for its `href`, and is not used as a page link.
    (link.namespace_uri().as_deref() == Some("http://www.w3.org/1999/xhtml")).then_some(link)
}

/// A link that says `aria-current="page"` when it leads to where the reader is: to
/// this path or (unless `exact`) to a page under it, as a section's link in a menu.
#[component]
pub fn A(
    #[prop(into)] href: String,
    #[prop(optional)] exact: bool,
    children: Children,
) -> impl IntoView {
    let location = use_location();
    // Compared decoded: the address bar's path is percent-encoded, an `href` may not be.
    let target = decode(href.split(['?', '#']).next().unwrap_or_default(), false);
    let current = move || {
        location
            .pathname
            .with(|here| leads_here(&target, &decode(here, false), exact))
            .then_some("page")
    };
    view! {
        <a href=href aria-current=current>
            {children()}
        </a>
    }
}

/// Whether a link to `target` leads to the page at `here`.
fn leads_here(target: &str, here: &str, exact: bool) -> bool {
    let trim = |p: &str| -> String {
        match p.strip_suffix('/') {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => p.to_owned(),
        }
    };
    let (target, here) = (trim(target), trim(here));
    here == target
        || (!exact
            && target != "/"
            && here
                .strip_prefix(&target)
                .is_some_and(|rest| rest.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::leads_here;

    #[test]
    fn a_link_is_current_on_its_page_and_under_it_unless_exact() {
        assert!(leads_here("/kb", "/kb", false));
        assert!(leads_here("/kb", "/kb/", true));
        assert!(leads_here("/kb", "/kb/wifi", false));
        assert!(!leads_here("/kb", "/kb/wifi", true));
        assert!(!leads_here("/kb", "/kbx", false));
        assert!(!leads_here("/kb/wifi", "/kb", false));
        // The brand's link home is not current on every page.
        assert!(leads_here("/", "/", false));
        assert!(!leads_here("/", "/kb", false));
    }
}
