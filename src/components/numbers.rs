//! Numbers as the reader's language writes them.
//!
//! Written here from CLDR's symbols (what Chromium's `Intl.NumberFormat` writes, see
//! the tests) rather than by `Intl`, whose first call of a page loads the browser's
//! ICU data on the main thread (see `components::dates`).

use selfdesk_shared::language::Language;

/// The space French puts between thousands and before a unit (narrow no-break).
const NARROW_NBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

/// "93%", "93 %" (no-break space) as the language writes a whole percentage.
pub fn percent(whole_percent: i64, language: Language) -> String {
    let number = whole(whole_percent, language);
    match language {
        Language::En => format!("{number}%"),
        Language::Ru | Language::Fr | Language::Nb => format!("{number}{NBSP}%"),
    }
}

/// A whole number as the language writes it: "20,000", "20 000", "−5" (Norwegian's
/// minus sign).
pub fn whole(value: i64, language: Language) -> String {
    let digits = grouped(&value.unsigned_abs().to_string(), language);
    if value >= 0 {
        digits
    } else if language == Language::Nb {
        format!("\u{2212}{digits}")
    } else {
        format!("-{digits}")
    }
}

/// A file's size as the language writes it: "2.5 MB", "2,5 МБ", "2,5 Mo", "812 kB".
pub fn file_size(bytes: i64, language: Language) -> String {
    const KB: f64 = 1024.0;
    let megabytes = bytes as f64 >= KB * KB;
    let value = if megabytes {
        bytes as f64 / (KB * KB)
    } else {
        (bytes as f64 / KB).ceil()
    };
    let unit = match (language, megabytes) {
        (Language::En | Language::Nb, true) => "MB",
        (Language::En | Language::Nb, false) => "kB",
        (Language::Ru, true) => "МБ",
        (Language::Ru, false) => "кБ",
        (Language::Fr, true) => "Mo",
        (Language::Fr, false) => "ko",
    };
    let space = if language == Language::Fr {
        NARROW_NBSP
    } else {
        ' '
    };
    format!("{}{space}{unit}", one_decimal(value, language))
}

/// A non-negative number with at most one decimal, rounded half away from zero as
/// `Intl` rounds: "1.3" for 1.25, "10" for 10.0.
fn one_decimal(value: f64, language: Language) -> String {
    let tenths = (value * 10.0).round() as u64;
    let whole_part = grouped(&(tenths / 10).to_string(), language);
    match tenths % 10 {
        0 => whole_part,
        tenth => {
            let point = if language == Language::En { '.' } else { ',' };
            format!("{whole_part}{point}{tenth}")
        }
    }
}

/// Digits grouped by thousands with the language's separator (from 1,000 up).
fn grouped(digits: &str, language: Language) -> String {
    let separator = match language {
        Language::En => ',',
        Language::Fr => NARROW_NBSP,
        Language::Ru | Language::Nb => NBSP,
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, Fr, Nb, Ru};

    // Every expected string is what Chromium 156's `Intl.NumberFormat` writes for the
    // same value and options.

    #[test]
    fn whole_numbers_read_as_intl_writes_them() {
        let cases = [
            (En, 5, "5"),
            (En, 999, "999"),
            (En, 1234, "1,234"),
            (En, 1_234_567, "1,234,567"),
            (En, -1234, "-1,234"),
            (Ru, 20_000, "20\u{a0}000"),
            (Ru, -1234, "-1\u{a0}234"),
            (Fr, 1_234_567, "1\u{202f}234\u{202f}567"),
            (Nb, 1234, "1\u{a0}234"),
            (Nb, -1234, "\u{2212}1\u{a0}234"),
        ];
        for (language, value, expected) in cases {
            assert_eq!(whole(value, language), expected, "{value} in {language:?}");
        }
    }

    #[test]
    fn percentages_read_as_intl_writes_them() {
        assert_eq!(percent(93, En), "93%");
        assert_eq!(percent(1234, En), "1,234%");
        assert_eq!(percent(0, Ru), "0\u{a0}%");
        assert_eq!(percent(1234, Fr), "1\u{202f}234\u{a0}%");
        assert_eq!(percent(100, Nb), "100\u{a0}%");
    }

    #[test]
    fn file_sizes_read_as_intl_writes_them() {
        const MB: i64 = 1024 * 1024;
        let cases = [
            (En, MB * 5 / 2, "2.5 MB"),
            (En, 812 * 1024, "812 kB"),
            (En, 10 * MB, "10 MB"),
            (En, MB * 5 / 4, "1.3 MB"),
            (En, 1, "1 kB"),
            (Ru, MB * 5 / 2, "2,5 МБ"),
            (Ru, 812 * 1024, "812 кБ"),
            (Fr, MB * 5 / 2, "2,5\u{202f}Mo"),
            (Fr, 812 * 1024, "812\u{202f}ko"),
            (Nb, MB * 5 / 4, "1,3 MB"),
            (Nb, 1000 * 1024, "1\u{a0}000 kB"),
        ];
        for (language, bytes, expected) in cases {
            assert_eq!(
                file_size(bytes, language),
                expected,
                "{bytes} in {language:?}"
            );
        }
    }
}
