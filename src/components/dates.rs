//! Dates as the reader's language writes them.

use selfdesk_shared::language::Language;

/// "23 November 2026" (or the language's own form) for a unix time in seconds.
pub fn long_date(unix_secs: i64, language: Language) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_secs as f64 * 1000.0));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    date.to_locale_date_string(language.code(), &options).into()
}

/// "23 Nov 2026, 14:05" in the reader's language, for revision lists.
pub fn date_time(unix_secs: i64, language: Language) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_secs as f64 * 1000.0));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(language.code(), &options).into()
}
