//! Numbers as the reader's language writes them.

use selfdesk_shared::language::Language;
use wasm_bindgen::JsValue;

/// "93 %", "93%" or "93 %" (narrow space) as the language writes a whole percentage.
pub fn percent(whole_percent: i64, language: Language) -> String {
    let locales = js_sys::Array::of1(&JsValue::from_str(language.code()));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"style".into(), &"percent".into());
    let format = js_sys::Intl::NumberFormat::new(&locales, &options).format();
    format
        .call1(
            &JsValue::NULL,
            &JsValue::from_f64(whole_percent as f64 / 100.0),
        )
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{whole_percent} %"))
}

/// A whole number as the language writes it: "20 000", "20,000", "20 000".
pub fn whole(value: i64, language: Language) -> String {
    let locales = js_sys::Array::of1(&JsValue::from_str(language.code()));
    let format = js_sys::Intl::NumberFormat::new(&locales, &js_sys::Object::new()).format();
    format
        .call1(&JsValue::NULL, &JsValue::from_f64(value as f64))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| value.to_string())
}

/// A file's size as the language writes it: "2.5 MB", "2,5 МБ", "2,5 Mo", "812 kB".
pub fn file_size(bytes: i64, language: Language) -> String {
    const KB: f64 = 1024.0;
    let (value, unit) = if bytes as f64 >= KB * KB {
        (bytes as f64 / (KB * KB), "megabyte")
    } else {
        ((bytes as f64 / KB).ceil(), "kilobyte")
    };
    let locales = js_sys::Array::of1(&JsValue::from_str(language.code()));
    let options = js_sys::Object::new();
    for (key, val) in [("style", "unit"), ("unit", unit), ("unitDisplay", "short")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &val.into());
    }
    let _ = js_sys::Reflect::set(&options, &"maximumFractionDigits".into(), &1.into());
    let format = js_sys::Intl::NumberFormat::new(&locales, &options).format();
    format
        .call1(&JsValue::NULL, &JsValue::from_f64(value))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{value:.1} {unit}"))
}
