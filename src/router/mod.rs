//! Client-side routing for the seven apps: the address as signals, a link into the
//! same app followed without a page load, and each app's table of pages.
//!
//! Not leptos_router. The apps use a small part of it (a flat table of paths, a
//! `:param` per segment, the query, `navigate`), and its nested routes, transitions
//! and matching, instantiated for every page of every app, cost 31–35 KB brotli of
//! each app's first load (docs/ARCHITECTURE.md, "Routing of our own"). What this does differently on
//! purpose: a link or `navigate` to another app's path is a plain page load at once
//! (`selfdesk_shared::areas`), where leptos_router first changed the address and the
//! app then loaded the page again.

mod address;
mod links;
mod routes;

use leptos::prelude::*;
use selfdesk_shared::areas::AppArea;

pub use address::ParamsMap;
pub use links::A;
pub use routes::{Redirect, Route, Routes};

use address::Address;

/// Where the browser is. Each part changes only when it changes: a page that reads
/// the query is not told of a change of path alone, and the other way round.
#[derive(Clone, Copy)]
pub struct Location {
    /// The path, as in the address bar (percent-encoded).
    pub pathname: Memo<String>,
    /// The query, without its "?".
    pub search: Memo<String>,
    /// The fragment, with its "#" (empty without one).
    pub hash: Memo<String>,
    pub query: Memo<ParamsMap>,
}

/// How `navigate` goes there.
#[derive(Clone, Copy)]
pub struct NavigateOptions {
    /// Replaces the current history entry (Back skips it) instead of adding one.
    pub replace: bool,
    /// Scrolls to the fragment's element, or to the top without one.
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        Self {
            replace: false,
            scroll: true,
        }
    }
}

/// The router's state, one per app (`provide`).
#[derive(Clone, Copy)]
struct Router {
    area: AppArea,
    address: RwSignal<Address>,
}

impl Router {
    /// Goes to `to` (absolute, or relative to the current address): within this app
    /// by changing the address and the signals, to another app by loading its page.
    fn go(self, to: &str, options: NavigateOptions) {
        let Some(url) = address::resolve(to) else {
            return;
        };
        let target = Address::of_url(&url);
        if AppArea::for_path(&target.path) != self.area {
            let location = window().location();
            let _ = if options.replace {
                location.replace(&url.href())
            } else {
                location.assign(&url.href())
            };
            return;
        }
        let history = window().history();
        let relative = target.to_string();
        if let Ok(history) = history {
            let _ = if options.replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&relative))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&relative))
            };
        }
        let hash = target.hash.clone();
        self.address.set(target);
        if options.scroll {
            scroll_to(hash);
        }
    }
}

/// Sets up routing for the app that owns `area`'s paths; called once, by the frame,
/// before anything that reads the address.
pub fn provide(area: AppArea) {
    let address = RwSignal::new(Address::current());
    let pathname = Memo::new(move |_| address.with(|a| a.path.clone()));
    let search = Memo::new(move |_| address.with(|a| a.search.clone()));
    let location = Location {
        pathname,
        search,
        hash: Memo::new(move |_| address.with(|a| a.hash.clone())),
        query: Memo::new(move |_| search.with(|s| ParamsMap::from_query(s))),
    };
    let router = Router { area, address };
    provide_context(router);
    provide_context(location);
    // Back, Forward, and a link to an anchor on the page (which the browser follows).
    let back = window_event_listener(leptos::ev::popstate, move |_| {
        address.set(Address::current());
    });
    let clicks = links::follow_links_in_app(router);
    on_cleanup(move || {
        back.remove();
        clicks.remove();
    });
}

fn router() -> Router {
    use_context::<Router>().expect("router::provide is called by the frame")
}

/// Where the browser is: for a page, as long as it is the page shown (see
/// `routes::page_location`); for the frame, always.
pub fn use_location() -> Location {
    use_context::<Location>().expect("router::provide is called by the frame")
}

pub fn use_query_map() -> Memo<ParamsMap> {
    use_location().query
}

/// The `:name` parts of the path, for the page `Routes` chose.
pub fn use_params_map() -> Memo<ParamsMap> {
    routes::params()
}

/// Goes to a path (`navigate("/kb/wifi", Default::default())`).
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Copy + 'static {
    let router = router();
    move |to: &str, options: NavigateOptions| router.go(to, options)
}

/// After the new page is drawn: to the fragment's element if it has one, else to the
/// top, as a page load would.
fn scroll_to(hash: String) {
    request_animation_frame(move || {
        // Ids may be non-ASCII (a heading's slug); the fragment is percent-encoded.
        let id = address::decode(hash.trim_start_matches('#'), false);
        let id = id.as_str();
        let element = (!id.is_empty())
            .then(|| document().get_element_by_id(id))
            .flatten();
        match element {
            Some(element) => element.scroll_into_view(),
            None => window().scroll_to_with_x_and_y(0.0, 0.0),
        }
    });
}
