//! Insight's numbers and dates as the reader's language writes them: counts by
//! `components::numbers::whole`, the decimals, percentages and short dates this page
//! needs through the browser's `Intl` (a technicians' page, not on the requesters' first
//! loads whose blocking time `components::dates` keeps `Intl` out of).

use selfdesk_shared::language::Language;
use selfdesk_shared::sla::Date;
use wasm_bindgen::JsValue;

use crate::components::numbers::whole;

fn number_format(language: Language, options: &[(&str, JsValue)]) -> js_sys::Function {
    let locales = js_sys::Array::of1(&JsValue::from_str(language.code()));
    let object = js_sys::Object::new();
    for (key, value) in options {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    js_sys::Intl::NumberFormat::new(&locales, &object).format()
}

fn call(format: &js_sys::Function, value: f64) -> Option<String> {
    format
        .call1(&JsValue::NULL, &JsValue::from_f64(value))
        .ok()
        .and_then(|v| v.as_string())
}

/// A count: "1,234", "1 234".
pub fn count(value: i64, language: Language) -> String {
    whole(value, language)
}

/// A share given in percent with up to one decimal: "93.4%", "93,4 %".
pub fn percent(value: f64, language: Language) -> String {
    let format = number_format(
        language,
        &[
            ("style", "percent".into()),
            ("maximumFractionDigits", 1.into()),
        ],
    );
    call(&format, value / 100.0).unwrap_or_else(|| format!("{value:.1} %"))
}

/// A number with up to one decimal: "4.3", "4,3".
pub fn decimal(value: f64, language: Language) -> String {
    let format = number_format(language, &[("maximumFractionDigits", 1.into())]);
    call(&format, value).unwrap_or_else(|| format!("{value:.1}"))
}

fn js_date(date: Date) -> js_sys::Date {
    // Noon UTC, shown in UTC: the same calendar day in every time zone.
    let ms = js_sys::Date::utc(f64::from(date.year), f64::from(date.month) - 1.0)
        + (f64::from(date.day) - 1.0) * 86_400_000.0
        + 43_200_000.0;
    js_sys::Date::new(&JsValue::from_f64(ms))
}

fn date_text(date: Date, language: Language, options: &[(&str, &str)]) -> String {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"timeZone".into(), &"UTC".into());
    for (key, value) in options {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    js_date(date)
        .to_locale_date_string(language.code(), &object)
        .into()
}

/// "5 Dec", "5 déc.", "5 дек.": chart axes.
pub fn short_date(date: Date, language: Language) -> String {
    date_text(date, language, &[("day", "numeric"), ("month", "short")])
}

/// "5 December 2026": the period's ends.
pub fn long_date(date: Date, language: Language) -> String {
    date_text(date, language, &[("dateStyle", "long")])
}

/// Today in the browser's time zone: the end of "the last N days".
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
    )
    .unwrap_or(Date {
        year: 2026,
        month: 1,
        day: 1,
    })
}
