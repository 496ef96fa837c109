//! Business minutes in friendly units: "45 min", "3 h 20 min", "26 h". Hours are
//! business hours (the service levels' calendar), so a long wait stays in hours
//! rather than turning into calendar days. The unit words come from the catalogs
//! ("{} h" is «{} ч» in Russian, "{} t" in Norwegian); numbers from `super::format`.

/// `minutes` as hours and minutes in the reader's words; `hours` and `mins` are the
/// catalog's templates with `{}` for the number, `number` writes a number.
pub fn text(minutes: i64, hours: &str, mins: &str, number: impl Fn(i64) -> String) -> String {
    let minutes = minutes.max(0);
    let (h, m) = (minutes / 60, minutes % 60);
    let fill = |template: &str, n: i64| template.replacen("{}", &number(n), 1);
    match (h, m) {
        (0, m) => fill(mins, m),
        (h, 0) => fill(hours, h),
        (h, m) => format!("{} {}", fill(hours, h), fill(mins, m)),
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    fn en(minutes: i64) -> String {
        text(minutes, "{} h", "{} min", |n| n.to_string())
    }

    #[test]
    fn minutes_hours_and_both() {
        assert_eq!(en(0), "0 min");
        assert_eq!(en(45), "45 min");
        assert_eq!(en(60), "1 h");
        assert_eq!(en(200), "3 h 20 min");
        assert_eq!(en(26 * 60), "26 h");
        assert_eq!(en(-5), "0 min");
    }

    #[test]
    fn the_language_gives_the_words_and_the_digits() {
        let ru = text(1_501, "{} ч", "{} мин", |n| n.to_string());
        assert_eq!(ru, "25 ч 1 мин");
        let grouped = text(120_000, "{} t", "{} min", |n| {
            if n >= 1000 {
                format!("{} {:03}", n / 1000, n % 1000)
            } else {
                n.to_string()
            }
        });
        assert_eq!(grouped, "2 000 t");
    }
}
