//! Everything the web apps keep in this browser, in `localStorage` or
//! `sessionStorage`, goes through here. Each key is declared once, in [`keys`]: its
//! area, its name and the version of its format, and the Rust type it holds, so no page
//! spells a key or parses what is stored by itself.
//!
//! A value is kept as JSON in a small envelope, `{"v": <version>, "value": <value>}`.
//! Reading a key:
//!
//! - at the key's version: the value;
//! - at an older version, or not readable as the key's type: read as absent, and the
//!   entry removed — right for drafts, ids and preferences. A key that holds records
//!   (My tickets, [`Key::records`]) moves such a value aside to `<name>.unreadable`
//!   instead, so no build ever destroys what only this browser has;
//! - at a newer version (another tab already runs a later build): absent, but left in
//!   place for that build; a records key is then not written over either;
//! - without an envelope: written before versions existed, and read as version 1 —
//!   either the JSON itself or, for the keys that kept plain text (the language, the
//!   voter id, walk ids), the text as a string. It is left as it is until the value is
//!   next saved, so a tab still running the previous build keeps reading it. So every
//!   key kept before this module is still read under the same name.
//!
//! JSON is parsed and written by the browser (`JSON.parse` / `JSON.stringify`, read
//! through `crate::js_decode`, written through serde-wasm-bindgen), like API bodies, so serde_json stays out of the bundle. The
//! rules above are written once over a [`Json`] and a [`Shelf`], so the host tests run
//! them with serde_json and a map.

pub mod keys;

use std::cmp::Ordering;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Which of the browser's storages a key lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Kept until removed: drafts, preferences, My tickets.
    Local,
    /// Ends with the tab.
    Session,
}

impl Area {
    fn storage(self) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match self {
            Area::Local => window.local_storage(),
            Area::Session => window.session_storage(),
        }
        .ok()
        .flatten()
    }
}

/// One stored value of type `T`; made by the functions in [`keys`].
#[derive(Debug, Clone)]
pub struct Key<T> {
    area: Area,
    name: String,
    version: u32,
    /// What only this browser has (see the module's doc).
    records: bool,
    value: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    fn new(area: Area, name: impl Into<String>, version: u32) -> Self {
        Self {
            area,
            name: name.into(),
            version,
            records: false,
            value: PhantomData,
        }
    }

    /// Records, not a draft: an unreadable value is moved aside, never removed, and a
    /// newer build's value is never written over.
    fn records(mut self) -> Self {
        self.records = true;
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Forgets the value.
    pub fn remove(&self) {
        if let Some(storage) = self.area.storage() {
            let _ = storage.remove_item(&self.name);
        }
    }
}

impl<T: Serialize + DeserializeOwned> Key<T> {
    /// The value kept, if there is one this build can read (see the module's doc).
    pub fn load(&self) -> Option<T> {
        load::<BrowserJson, T>(&self.area.storage()?, &self.slot())
    }

    /// Returns false when the browser refused (storage full or disabled), or when a
    /// records key holds a newer build's value.
    pub fn save(&self, value: &T) -> bool {
        self.area
            .storage()
            .is_some_and(|storage| save::<BrowserJson, T>(&storage, &self.slot(), value))
    }

    fn slot(&self) -> Slot<'_> {
        Slot {
            name: &self.name,
            version: self.version,
            records: self.records,
        }
    }
}

/// A key as the rules below see it.
struct Slot<'a> {
    name: &'a str,
    version: u32,
    records: bool,
}

/// A place that keeps text by name: the browser's `Storage`, a map in tests.
trait Shelf {
    fn get(&self, name: &str) -> Option<String>;
    fn set(&self, name: &str, text: &str) -> bool;
    fn remove(&self, name: &str);
}

impl Shelf for web_sys::Storage {
    fn get(&self, name: &str) -> Option<String> {
        self.get_item(name).ok().flatten()
    }

    fn set(&self, name: &str, text: &str) -> bool {
        self.set_item(name, text).is_ok()
    }

    fn remove(&self, name: &str) {
        let _ = self.remove_item(name);
    }
}

/// The JSON the store reads and writes with: the browser's in the apps, serde_json in
/// the host tests.
trait Json {
    /// A parsed document.
    type Doc;
    fn parse(text: &str) -> Option<Self::Doc>;
    /// A JSON string holding `text`.
    fn string(text: &str) -> Self::Doc;
    /// A member of an object; `None` when `doc` is no object or has no such member.
    fn field(doc: &Self::Doc, name: &str) -> Option<Self::Doc>;
    fn read<T: DeserializeOwned>(doc: &Self::Doc) -> Option<T>;
    fn write<T: Serialize>(value: &T) -> Option<String>;
}

struct BrowserJson;

impl Json for BrowserJson {
    type Doc = wasm_bindgen::JsValue;

    fn parse(text: &str) -> Option<Self::Doc> {
        js_sys::JSON::parse(text).ok()
    }

    fn string(text: &str) -> Self::Doc {
        wasm_bindgen::JsValue::from_str(text)
    }

    fn field(doc: &Self::Doc, name: &str) -> Option<Self::Doc> {
        if !doc.is_object() {
            return None;
        }
        js_sys::Reflect::get(doc, &wasm_bindgen::JsValue::from_str(name))
            .ok()
            .filter(|value| !value.is_undefined())
    }

    fn read<T: DeserializeOwned>(doc: &Self::Doc) -> Option<T> {
        crate::js_decode::from_value(doc.clone()).ok()
    }

    fn write<T: Serialize>(value: &T) -> Option<String> {
        let value = value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .ok()?;
        js_sys::JSON::stringify(&value).ok().map(String::from)
    }
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    v: u32,
    value: &'a T,
}

/// What a stored text turned out to be.
#[derive(Debug, PartialEq)]
enum Read<T> {
    /// At the key's version.
    Current(T),
    /// Written before versions: to be written back in the envelope.
    Unversioned(T),
    /// A later build's; left alone.
    Newer,
    /// An older version, or not a `T`: to be removed.
    Unreadable,
}

/// The envelope's rules, apart from the value's type (one copy per JSON, not per key).
enum Opened<D> {
    Current(D),
    /// The parsed JSON if it parsed, and the text itself as a string.
    Unversioned(Option<D>, D),
    Newer,
    Stale,
}

fn open<J: Json>(text: &str, version: u32) -> Opened<J::Doc> {
    let Some(doc) = J::parse(text) else {
        return Opened::Unversioned(None, J::string(text));
    };
    let stored_version = J::field(&doc, "v").and_then(|v| J::read::<u32>(&v));
    match (stored_version, J::field(&doc, "value")) {
        (Some(stored), Some(value)) => match stored.cmp(&version) {
            Ordering::Equal => Opened::Current(value),
            Ordering::Less => Opened::Stale,
            Ordering::Greater => Opened::Newer,
        },
        // Envelopes came with version 1: unversioned text is that version's format.
        _ if version == 1 => Opened::Unversioned(Some(doc), J::string(text)),
        _ => Opened::Stale,
    }
}

fn decode<J: Json, T: DeserializeOwned>(text: &str, version: u32) -> Read<T> {
    match open::<J>(text, version) {
        Opened::Current(value) => J::read(&value).map_or(Read::Unreadable, Read::Current),
        // A plain text that happens to parse as JSON (an id of digits) is still text.
        Opened::Unversioned(json, text) => json
            .and_then(|json| J::read(&json))
            .or_else(|| J::read(&text))
            .map_or(Read::Unreadable, Read::Unversioned),
        Opened::Newer => Read::Newer,
        Opened::Stale => Read::Unreadable,
    }
}

fn encode<J: Json, T: Serialize>(value: &T, version: u32) -> Option<String> {
    J::write(&Envelope { v: version, value })
}

fn load<J: Json, T: Serialize + DeserializeOwned>(shelf: &impl Shelf, slot: &Slot) -> Option<T> {
    let text = shelf.get(slot.name)?;
    match decode::<J, T>(&text, slot.version) {
        Read::Current(value) | Read::Unversioned(value) => Some(value),
        Read::Newer => None,
        Read::Unreadable => {
            if slot.records {
                shelf.set(&format!("{}.unreadable", slot.name), &text);
            }
            shelf.remove(slot.name);
            None
        }
    }
}

fn save<J: Json, T: Serialize>(shelf: &impl Shelf, slot: &Slot, value: &T) -> bool {
    if slot.records
        && shelf
            .get(slot.name)
            .is_some_and(|text| matches!(open::<J>(&text, slot.version), Opened::Newer))
    {
        return false;
    }
    encode::<J, T>(value, slot.version).is_some_and(|text| shelf.set(slot.name, &text))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    struct SerdeJson;

    impl Json for SerdeJson {
        type Doc = serde_json::Value;

        fn parse(text: &str) -> Option<Self::Doc> {
            serde_json::from_str(text).ok()
        }

        fn string(text: &str) -> Self::Doc {
            serde_json::Value::String(text.to_owned())
        }

        fn field(doc: &Self::Doc, name: &str) -> Option<Self::Doc> {
            doc.as_object()?.get(name).cloned()
        }

        fn read<T: DeserializeOwned>(doc: &Self::Doc) -> Option<T> {
            T::deserialize(doc).ok()
        }

        fn write<T: Serialize>(value: &T) -> Option<String> {
            serde_json::to_string(value).ok()
        }
    }

    #[derive(Default)]
    struct Map(RefCell<BTreeMap<String, String>>);

    impl Map {
        fn with(name: &str, text: &str) -> Self {
            let map = Map::default();
            map.set(name, text);
            map
        }
    }

    impl Shelf for Map {
        fn get(&self, name: &str) -> Option<String> {
            self.0.borrow().get(name).cloned()
        }

        fn set(&self, name: &str, text: &str) -> bool {
            self.0.borrow_mut().insert(name.to_owned(), text.to_owned());
            true
        }

        fn remove(&self, name: &str) {
            self.0.borrow_mut().remove(name);
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Draft {
        body: String,
        internal: bool,
    }

    fn draft() -> Draft {
        Draft {
            body: "Hello".into(),
            internal: true,
        }
    }

    #[test]
    fn a_value_is_written_in_its_envelope_and_read_back() {
        let text = encode::<SerdeJson, _>(&draft(), 3).unwrap();
        assert_eq!(text, r#"{"v":3,"value":{"body":"Hello","internal":true}}"#);
        assert_eq!(decode::<SerdeJson, Draft>(&text, 3), Read::Current(draft()));
    }

    #[test]
    fn an_older_version_is_unreadable_and_a_newer_one_is_left_alone() {
        let text = encode::<SerdeJson, _>(&draft(), 2).unwrap();
        assert_eq!(decode::<SerdeJson, Draft>(&text, 3), Read::Unreadable);
        assert_eq!(decode::<SerdeJson, Draft>(&text, 1), Read::Newer);
    }

    #[test]
    fn a_value_of_another_shape_is_unreadable() {
        let text = encode::<SerdeJson, _>(&"just text", 1).unwrap();
        assert_eq!(decode::<SerdeJson, Draft>(&text, 1), Read::Unreadable);
        assert_eq!(decode::<SerdeJson, Draft>("{not json", 1), Read::Unreadable);
        assert_eq!(decode::<SerdeJson, Draft>("", 1), Read::Unreadable);
    }

    #[test]
    fn json_from_before_versions_is_version_one() {
        let old = r#"{"body":"Hello","internal":true}"#;
        assert_eq!(
            decode::<SerdeJson, Draft>(old, 1),
            Read::Unversioned(draft())
        );
        assert_eq!(decode::<SerdeJson, Draft>(old, 2), Read::Unreadable);
        assert_eq!(
            decode::<SerdeJson, Vec<String>>(r#"["SD-1","SD-2"]"#, 1),
            Read::Unversioned(vec!["SD-1".to_owned(), "SD-2".to_owned()])
        );
    }

    #[test]
    fn plain_text_from_before_versions_reads_as_a_string() {
        assert_eq!(
            decode::<SerdeJson, String>("nb", 1),
            Read::Unversioned("nb".to_owned())
        );
        // An id made of digits parses as a JSON number, but was text.
        assert_eq!(
            decode::<SerdeJson, String>("1234567890123456", 1),
            Read::Unversioned("1234567890123456".to_owned())
        );
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Answer {
            Yes,
            No,
        }
        assert_eq!(
            decode::<SerdeJson, Answer>("no", 1),
            Read::Unversioned(Answer::No)
        );
    }

    fn slot(records: bool) -> Slot<'static> {
        Slot {
            name: "k",
            version: 1,
            records,
        }
    }

    #[test]
    fn unversioned_data_is_read_and_left_as_it_is_until_saved() {
        let old = r#"{"body":"Hello","internal":true}"#;
        let map = Map::with("k", old);
        assert_eq!(load::<SerdeJson, Draft>(&map, &slot(false)), Some(draft()));
        assert_eq!(
            map.get("k").as_deref(),
            Some(old),
            "a previous build still reads it"
        );
        assert!(save::<SerdeJson, _>(&map, &slot(false), &draft()));
        assert_eq!(
            map.get("k").as_deref(),
            Some(r#"{"v":1,"value":{"body":"Hello","internal":true}}"#)
        );
    }

    #[test]
    fn loading_unreadable_data_removes_it() {
        let map = Map::with("k", "{broken");
        assert_eq!(load::<SerdeJson, Draft>(&map, &slot(false)), None);
        assert_eq!(map.get("k"), None);
        assert_eq!(map.get("k.unreadable"), None);

        let map = Map::with("k", r#"{"v":1,"value":{"body":"Hello","internal":true}}"#);
        let version_2 = Slot {
            version: 2,
            ..slot(false)
        };
        assert_eq!(load::<SerdeJson, Draft>(&map, &version_2), None);
        assert_eq!(map.get("k"), None);
    }

    #[test]
    fn unreadable_records_are_moved_aside_not_destroyed() {
        let map = Map::with("k", "{broken");
        assert_eq!(load::<SerdeJson, Draft>(&map, &slot(true)), None);
        assert_eq!(map.get("k"), None);
        assert_eq!(map.get("k.unreadable").as_deref(), Some("{broken"));
    }

    #[test]
    fn a_newer_version_is_kept_and_records_are_not_written_over() {
        let newer = r#"{"v":2,"value":{"body":"Hello","internal":true,"more":1}}"#;
        let map = Map::with("k", newer);
        assert_eq!(load::<SerdeJson, Draft>(&map, &slot(true)), None);
        assert_eq!(map.get("k").as_deref(), Some(newer));
        assert!(!save::<SerdeJson, _>(&map, &slot(true), &draft()));
        assert_eq!(map.get("k").as_deref(), Some(newer));
        // A draft or a preference is this build's to write.
        assert!(save::<SerdeJson, _>(&map, &slot(false), &draft()));
    }

    #[test]
    fn saving_then_loading_round_trips() {
        let map = Map::default();
        assert!(save::<SerdeJson, _>(&map, &slot(false), &draft()));
        assert_eq!(load::<SerdeJson, Draft>(&map, &slot(false)), Some(draft()));
        let other = Slot {
            name: "other",
            ..slot(false)
        };
        assert_eq!(load::<SerdeJson, Draft>(&map, &other), None);
    }
}
