//! Dates as the reader's language writes them, in the reader's time zone.
//!
//! Written here from CLDR's patterns (the very strings Chromium's `Intl` writes, see
//! the tests) rather than by `Date.toLocaleDateString`: the first `Intl` call of a
//! page loads the browser's ICU data, 20–60 ms on the main thread, measured in
//! Chromium on the article and ticket pages' first load (docs/ARCHITECTURE.md, "Page
//! speed as people meet it"). Reading the local date from a `Date` costs nothing.

use selfdesk_shared::language::Language;

/// A moment as the reader's clock shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

impl LocalTime {
    /// A unix time in seconds in the browser's time zone.
    #[cfg(target_arch = "wasm32")]
    fn at(unix_secs: i64) -> Self {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_secs as f64 * 1000.0));
        Self {
            year: date.get_full_year() as i32,
            month: date.get_month() as u8 + 1,
            day: date.get_date() as u8,
            hour: date.get_hours() as u8,
            minute: date.get_minutes() as u8,
        }
    }

    /// Off the browser (host tests), UTC, by the calendar arithmetic the service
    /// levels use.
    #[cfg(not(target_arch = "wasm32"))]
    fn at(unix_secs: i64) -> Self {
        let epoch = selfdesk_shared::sla::Date {
            year: 1970,
            month: 1,
            day: 1,
        };
        let date = epoch.add_days(unix_secs.div_euclid(86_400));
        let secs = unix_secs.rem_euclid(86_400);
        Self {
            year: date.year,
            month: date.month,
            day: date.day,
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
        }
    }
}

/// "November 23, 2026", "23 ноября 2026 г.", "23 novembre 2026", "23. november 2026"
/// (CLDR's long date) for a unix time in seconds.
pub fn long_date(unix_secs: i64, language: Language) -> String {
    long_date_of(LocalTime::at(unix_secs), language)
}

/// "Nov 23, 2026, 2:05 PM", "23 нояб. 2026 г., 14:05", "23 nov. 2026, 14:05",
/// "23. nov. 2026, 14:05" (CLDR's medium date and short time), for revision lists and
/// ticket timelines.
pub fn date_time(unix_secs: i64, language: Language) -> String {
    date_time_of(LocalTime::at(unix_secs), language)
}

#[inline(never)]
fn long_date_of(t: LocalTime, language: Language) -> String {
    let month = long_month(t.month, language);
    let (year, day) = (t.year, t.day);
    match language {
        Language::En => format!("{month} {day}, {year}"),
        Language::Ru => format!("{day} {month} {year} г."),
        Language::Fr => format!("{day} {month} {year}"),
        Language::Nb => format!("{day}. {month} {year}"),
    }
}

#[inline(never)]
fn date_time_of(t: LocalTime, language: Language) -> String {
    let month = short_month(t.month, language);
    let (year, day, minute) = (t.year, t.day, t.minute);
    match language {
        Language::En => {
            let hour = match t.hour % 12 {
                0 => 12,
                h => h,
            };
            let noon = if t.hour < 12 { "AM" } else { "PM" };
            format!("{month} {day}, {year}, {hour}:{minute:02} {noon}")
        }
        Language::Ru => format!("{day} {month} {year} г., {:02}:{minute:02}", t.hour),
        Language::Fr => format!("{day} {month} {year}, {:02}:{minute:02}", t.hour),
        Language::Nb => format!("{day}. {month} {year}, {:02}:{minute:02}", t.hour),
    }
}

/// The month as a long date writes it (Russian's genitive: "23 ноября").
fn long_month(month: u8, language: Language) -> &'static str {
    nth_month(
        match language {
            Language::En => {
                "January February March April May June July August September October November December"
            }
            Language::Ru => {
                "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
            }
            Language::Fr => {
                "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
            }
            Language::Nb => {
                "januar februar mars april mai juni juli august september oktober november desember"
            }
        },
        month,
    )
}

/// The month as a medium date abbreviates it.
fn short_month(month: u8, language: Language) -> &'static str {
    nth_month(
        match language {
            Language::En => "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
            Language::Ru => "янв. февр. мар. апр. мая июн. июл. авг. сент. окт. нояб. дек.",
            Language::Fr => "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
            Language::Nb => "jan. feb. mars apr. mai juni juli aug. sep. okt. nov. des.",
        },
        month,
    )
}

/// The `month`th (1 to 12) of twelve names written one after the other: one string
/// per language rather than a table of twelve, which would cost each app a pointer
/// and a length per name.
fn nth_month(names: &'static str, month: u8) -> &'static str {
    names
        .split(' ')
        .nth(usize::from(month.clamp(1, 12) - 1))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, Fr, Nb, Ru};

    fn utc(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> i64 {
        // Counted forward from 2026-01-01 00:00 UTC (1767225600), months of 2026.
        const STARTS: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
        assert_eq!(year, 2026);
        1_767_225_600
            + (STARTS[usize::from(month - 1)] + i64::from(day) - 1) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
    }

    // Every expected string below is what Chromium 156's `Intl` writes for the same
    // moment in UTC (`toLocaleDateString(lang, { dateStyle: 'long' })` and
    // `toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' })`).

    #[test]
    fn long_dates_read_as_intl_writes_them() {
        let cases = [
            (En, 1, "January 3, 2026"),
            (En, 11, "November 3, 2026"),
            (Ru, 1, "3 января 2026 г."),
            (Ru, 5, "3 мая 2026 г."),
            (Ru, 12, "3 декабря 2026 г."),
            (Fr, 2, "3 février 2026"),
            (Fr, 8, "3 août 2026"),
            (Nb, 12, "3. desember 2026"),
            (Nb, 6, "3. juni 2026"),
        ];
        for (language, month, expected) in cases {
            assert_eq!(long_date(utc(2026, month, 3, 9, 5), language), expected);
        }
    }

    #[test]
    fn dates_with_times_read_as_intl_writes_them() {
        let cases = [
            (En, 1, 14, "Jan 23, 2026, 2:05 PM"),
            (En, 9, 0, "Sep 23, 2026, 12:05 AM"),
            (En, 6, 12, "Jun 23, 2026, 12:05 PM"),
            (En, 3, 9, "Mar 23, 2026, 9:05 AM"),
            (Ru, 2, 14, "23 февр. 2026 г., 14:05"),
            (Ru, 5, 0, "23 мая 2026 г., 00:05"),
            (Ru, 11, 9, "23 нояб. 2026 г., 09:05"),
            (Fr, 7, 23, "23 juil. 2026, 23:05"),
            (Fr, 3, 14, "23 mars 2026, 14:05"),
            (Nb, 9, 14, "23. sep. 2026, 14:05"),
            (Nb, 6, 9, "23. juni 2026, 09:05"),
        ];
        for (language, month, hour, expected) in cases {
            assert_eq!(date_time(utc(2026, month, 23, hour, 5), language), expected);
        }
    }

    #[test]
    fn unix_times_become_civil_dates() {
        assert_eq!(
            LocalTime::at(0),
            LocalTime {
                year: 1970,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0
            }
        );
        // A leap day, and the last minute of a year.
        assert_eq!(
            LocalTime::at(1_709_164_800 + 3600 * 23 + 59 * 60),
            LocalTime {
                year: 2024,
                month: 2,
                day: 29,
                hour: 23,
                minute: 59
            }
        );
        assert_eq!(
            LocalTime::at(1_767_225_599),
            LocalTime {
                year: 2025,
                month: 12,
                day: 31,
                hour: 23,
                minute: 59
            }
        );
    }
}
