//! An app's table of pages: the first path pattern that matches the address chooses
//! the page; a `:name` segment matches any one segment and is read with
//! `use_params_map`.

use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;

use super::address::{ParamsMap, decode};
use super::{Location, NavigateOptions, use_location, use_navigate};

/// A page and the path it is at (`/kb/:slug`).
pub struct Route {
    pub path: &'static str,
    pub view: fn() -> AnyView,
}

/// The `:name` parts of the shown page's path.
#[derive(Clone)]
struct PageParams(ParamsMap);

/// Shows the page of the first route whose path matches the address, else `fallback`.
/// The page is built again when the path names another route or other parameters;
/// a change of the query alone is the page's to follow.
#[component]
pub fn Routes(routes: &'static [Route], fallback: fn() -> AnyView) -> impl IntoView {
    let location = use_location();
    let chosen = Memo::new(move |_| {
        location.pathname.with(|path| {
            routes
                .iter()
                .enumerate()
                .find_map(|(i, route)| matching(route.path, path).map(|params| (i, params)))
        })
    });
    // Each page, its view included, has an owner of its own, a child of this one
    // rather than of the closure below, so that the page left is disposed only after
    // the new one has replaced it in the document: taking its elements out fires
    // events (a focused field's blur) whose handlers still read its signals.
    let parent = Owner::current().expect("Routes is drawn inside the app");
    let shown = StoredValue::new(None::<Owner>);
    move || {
        let key = chosen.get();
        let page = match key {
            Some((i, _)) => routes[i].view,
            None => fallback,
        };
        let owner = parent.child();
        let view = owner.with(|| {
            let params = key.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
            provide_context(PageParams(params));
            provide_context(page_location(location, chosen, key));
            untrack(page)
        });
        let left = shown.try_update_value(|shown| shown.replace(owner.clone()));
        if let Some(left) = left.flatten() {
            queue_microtask(move || left.cleanup());
        }
        OwnedView::new_with_owner(view, owner)
    }
}

/// The address as a page sees it: the router's while the page is the one chosen,
/// and its last value once another is. Between a navigation and the page's
/// disposal, a page left would otherwise run its effects again for the next page's
/// address (an article page reading and counting the next article).
fn page_location(
    location: Location,
    chosen: Memo<Option<(usize, ParamsMap)>>,
    key: Option<(usize, ParamsMap)>,
) -> Location {
    let current = Memo::new(move |_| chosen.with(|c| *c == key));
    Location {
        pathname: held(current, location.pathname),
        search: held(current, location.search),
        hash: held(current, location.hash),
        query: held(current, location.query),
    }
}

fn held<T>(current: Memo<bool>, part: Memo<T>) -> Memo<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |last: Option<&T>| match last {
        Some(last) if !current.get() => last.clone(),
        _ => part.get(),
    })
}

/// The page's `:name` parts: fixed, since another set of them is another page.
pub(super) fn params() -> Memo<ParamsMap> {
    let PageParams(params) = use_context().expect("a page is inside Routes");
    Memo::new(move |_| params.clone())
}

/// `path`'s parameters if it matches `pattern`. A trailing "/" is ignored.
fn matching(pattern: &str, path: &str) -> Option<ParamsMap> {
    let segments = |p: &'_ str| -> Vec<String> {
        p.trim_end_matches('/')
            .split('/')
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (want, have) = (segments(pattern), segments(path));
    if want.len() != have.len() {
        return None;
    }
    let mut params = ParamsMap::default();
    for (want, have) in want.iter().zip(&have) {
        match want.strip_prefix(':') {
            Some(name) if !have.is_empty() => params.insert(name, decode(have, false)),
            Some(_) => return None,
            None if want == have => {}
            None => return None,
        }
    }
    Some(params)
}

/// Goes to `path` once drawn, in place of the page asked for (Back does not return
/// to it).
#[component]
pub fn Redirect(path: String) -> impl IntoView {
    let navigate = use_navigate();
    Effect::new(move |_| {
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    });
}

#[cfg(test)]
mod tests {
    use super::matching;

    #[test]
    fn patterns_match_whole_segments_and_read_parameters() {
        assert!(matching("/", "/").is_some());
        assert!(matching("/kb", "/kb/").is_some());
        assert!(matching("/kb", "/kb/wifi").is_none());
        assert!(matching("/", "/kb").is_none());
        let p = matching("/kb/:slug", "/kb/wi%20fi").unwrap();
        assert_eq!(p.get("slug").as_deref(), Some("wi fi"));
        assert!(matching("/kb/:slug", "/kb/").is_none());
        let p = matching("/staff/tickets/:number", "/staff/tickets/SD-1042").unwrap();
        assert_eq!(p.get("number").as_deref(), Some("SD-1042"));
        assert!(matching("/staff/tickets/:number", "/staff/tickets/SD-1/x").is_none());
    }
}
