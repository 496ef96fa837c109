//! The address as the router keeps it, and its query read as the browser's
//! `URLSearchParams` would read it.

use std::fmt;

/// A same-origin address: path, query and fragment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Address {
    pub path: String,
    /// Without its "?".
    pub search: String,
    /// With its "#" (empty without one).
    pub hash: String,
}

impl Address {
    /// Where the browser is now.
    pub fn current() -> Self {
        let location = window_location();
        Self {
            path: location.pathname().unwrap_or_else(|_| "/".to_owned()),
            search: without_question_mark(location.search().unwrap_or_default()),
            hash: location.hash().unwrap_or_default(),
        }
    }

    pub fn of_url(url: &web_sys::Url) -> Self {
        Self {
            path: url.pathname(),
            search: without_question_mark(url.search()),
            hash: url.hash(),
        }
    }
}

/// As it goes in the address bar: `/kb/wifi?lang=fr#steps`.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if !self.search.is_empty() {
            write!(f, "?{}", self.search)?;
        }
        f.write_str(&self.hash)
    }
}

fn window_location() -> web_sys::Location {
    leptos::prelude::window().location()
}

fn without_question_mark(search: String) -> String {
    match search.strip_prefix('?') {
        Some(rest) => rest.to_owned(),
        None => search,
    }
}

/// `to` made absolute against the current address, as a link's `href` is; `None`
/// for what is not a URL or is on another origin.
pub(super) fn resolve(to: &str) -> Option<web_sys::Url> {
    let here = window_location().href().ok()?;
    let url = web_sys::Url::new_with_base(to, &here).ok()?;
    (url.origin() == window_location().origin().ok()?).then_some(url)
}

/// Names and values from a query or from a path's `:name` parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    /// The first value given for `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    pub(super) fn insert(&mut self, key: &str, value: String) {
        self.0.push((key.to_owned(), value));
    }

    /// `a=1&b=two%20words`: "+" is a space, percent escapes are decoded (as UTF-8,
    /// a broken one kept as "�"), and a name without "=" has an empty value.
    pub fn from_query(search: &str) -> Self {
        Self(
            search
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(key, true), decode(value, true))
                })
                .collect(),
        )
    }
}

/// Percent-decodes `text`; in a query, "+" is a space too.
pub(super) fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|&b| (b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b'+', _, _) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_as_url_search_params_does() {
        let q = ParamsMap::from_query(
            "w=a.b&next=%2Fstaff%2Ftickets&q=wi+fi%20down&flag&lang=fr&lang=en",
        );
        assert_eq!(q.get("w").as_deref(), Some("a.b"));
        assert_eq!(q.get("next").as_deref(), Some("/staff/tickets"));
        assert_eq!(q.get("q").as_deref(), Some("wi fi down"));
        assert_eq!(q.get("flag").as_deref(), Some(""));
        assert_eq!(q.get("lang").as_deref(), Some("fr"));
        assert_eq!(q.get("missing"), None);
        assert_eq!(ParamsMap::from_query(""), ParamsMap::default());
    }

    #[test]
    fn escapes_decode_as_utf8_and_broken_ones_stay() {
        assert_eq!(
            decode("%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80", true),
            "принтер"
        );
        assert_eq!(decode("100%", true), "100%");
        assert_eq!(decode("%zz1", true), "%zz1");
        assert_eq!(decode("a+b", false), "a+b");
        assert_eq!(decode("%FF", true), "\u{FFFD}");
    }

    #[test]
    fn an_address_is_written_back_as_the_bar_shows_it() {
        let a = Address {
            path: "/kb/wifi".to_owned(),
            search: "lang=fr".to_owned(),
            hash: "#steps".to_owned(),
        };
        assert_eq!(a.to_string(), "/kb/wifi?lang=fr#steps");
        let bare = Address {
            path: "/".to_owned(),
            ..Address::default()
        };
        assert_eq!(bare.to_string(), "/");
    }
}
