//! An app's table of pages: the first path pattern that matches the address chooses
//! the page; a `:name` segment matches any one segment and is read with
//! `use_params_map`.

use leptos::prelude::*;

use super::address::{ParamsMap, decode};
use super::{NavigateOptions, use_location, use_navigate};

/// A page and the path it is at (`/kb/:slug`).
pub struct Route {
    pub path: &'static str,
    pub view: fn() -> AnyView,
}

/// The page chosen, and its `:name` parts.
#[derive(Clone, Copy)]
struct Chosen(Memo<Option<(usize, ParamsMap)>>);

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
    provide_context(Chosen(chosen));
    // Each page has an owner of its own, a child of this one rather than of the
    // closure below, so that the page left is disposed only after the new one has
    // replaced it in the document: taking its elements out fires events (a focused
    // field's blur) whose handlers still read its signals.
    let parent = Owner::current().expect("Routes is drawn inside the app");
    let shown = StoredValue::new(None::<Owner>);
    move || {
        let page = match chosen.get() {
            Some((i, _)) => routes[i].view,
            None => fallback,
        };
        let owner = parent.child();
        let view = owner.with(|| untrack(page));
        if let Some(left) = shown
            .try_update_value(|shown| shown.replace(owner))
            .flatten()
        {
            queue_microtask(move || left.cleanup());
        }
        view
    }
}

pub(super) fn params() -> Memo<ParamsMap> {
    let Chosen(chosen) = use_context().expect("a page is inside Routes");
    Memo::new(move |_| {
        chosen.with(|c| {
            c.as_ref()
                .map(|(_, params)| params.clone())
                .unwrap_or_default()
        })
    })
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
