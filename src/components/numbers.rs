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
