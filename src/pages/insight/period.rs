//! Which period the page shows, read from and written to its address: `?days=7`
//! (the last 7, 30 or 90 days, ending today) or `?from=YYYY-MM-DD&to=YYYY-MM-DD`.
//! Keeping it in the address is what makes reload, Back and a shared link show the
//! same figures. Pure: "today" is given, so the host tests can pin it.

use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::insight::{MAX_DAYS, Period};
use selfdesk_shared::sla::Date;

/// The ready-made periods, in days; the page opens on [`DEFAULT_DAYS`].
pub const PRESETS: [i64; 3] = [7, 30, 90];
pub const DEFAULT_DAYS: i64 = 30;

/// What the address asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The last `n` days, today included.
    Last(i64),
    Custom(Period),
}

impl Choice {
    /// From the query's `days`, `from` and `to`. Anything unreadable (a days value
    /// not offered, a reversed or too long range) falls back to the default: a link
    /// never shows an error page, and the form is where ranges are checked.
    pub fn from_query(days: Option<&str>, from: Option<&str>, to: Option<&str>) -> Choice {
        if let (Some(from), Some(to)) = (from, to)
            && let Ok(period) = Period::parse(from, to)
        {
            return Choice::Custom(period);
        }
        days.and_then(|d| d.parse().ok())
            .filter(|d| PRESETS.contains(d))
            .map_or(Choice::Last(DEFAULT_DAYS), Choice::Last)
    }

    /// The query string (without `?`) that asks for this choice.
    pub fn to_query(self) -> String {
        match self {
            Choice::Last(days) => format!("days={days}"),
            Choice::Custom(p) => format!("from={}&to={}", p.from, p.to),
        }
    }

    /// The days covered, with `today` the desk's current date.
    pub fn period(self, today: Date) -> Period {
        match self {
            Choice::Last(days) => Period::last_days(today, days),
            Choice::Custom(period) => period,
        }
    }
}

/// Why a custom range typed into the form is refused: which input, and what to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    /// The field is empty.
    Missing(Field),
    /// Not a date (a browser without a date picker lets anything through).
    NotADate(Field),
    /// `to` is before `from`.
    Reversed,
    /// Longer than [`MAX_DAYS`].
    TooLong,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    From,
    To,
}

impl RangeProblem {
    /// The input the message belongs under.
    pub fn field(self) -> Field {
        match self {
            RangeProblem::Missing(f) | RangeProblem::NotADate(f) => f,
            RangeProblem::Reversed | RangeProblem::TooLong => Field::To,
        }
    }
}

/// The range typed into the form, checked by the same rules the server applies
/// ([`Period::parse`]), each refusal told apart so the page can say it in its words.
pub fn check_range(from: &str, to: &str) -> Result<Period, RangeProblem> {
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() {
        return Err(RangeProblem::Missing(Field::From));
    }
    if to.is_empty() {
        return Err(RangeProblem::Missing(Field::To));
    }
    Period::parse(from, to).map_err(|error: FieldError| {
        match (error.field.as_ref(), error.reason) {
            ("from", _) => RangeProblem::NotADate(Field::From),
            (_, Reason::BadFormat) => RangeProblem::NotADate(Field::To),
            (_, Reason::OutOfRange { .. }) => RangeProblem::TooLong,
            _ => RangeProblem::Reversed,
        }
    })
}

/// The longest range, for the message that says it.
pub const fn max_days() -> i64 {
    MAX_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn the_address_chooses_the_period_and_nonsense_falls_back() {
        assert_eq!(Choice::from_query(None, None, None), Choice::Last(30));
        assert_eq!(Choice::from_query(Some("7"), None, None), Choice::Last(7));
        assert_eq!(Choice::from_query(Some("90"), None, None), Choice::Last(90));
        assert_eq!(Choice::from_query(Some("8"), None, None), Choice::Last(30));
        assert_eq!(Choice::from_query(Some("x"), None, None), Choice::Last(30));
        let custom = Choice::from_query(Some("7"), Some("2026-01-01"), Some("2026-01-31"));
        assert_eq!(
            custom,
            Choice::Custom(Period {
                from: date("2026-01-01"),
                to: date("2026-01-31")
            })
        );
        // A reversed range in a link is not an error page: the default is shown.
        assert_eq!(
            Choice::from_query(None, Some("2026-02-01"), Some("2026-01-01")),
            Choice::Last(30)
        );
        assert_eq!(
            Choice::from_query(Some("90"), Some("2026-02-01"), None),
            Choice::Last(90)
        );
    }

    #[test]
    fn choices_round_trip_through_the_address() {
        for choice in [
            Choice::Last(7),
            Choice::Last(90),
            Choice::Custom(Period::parse("2025-12-24", "2026-01-02").unwrap()),
        ] {
            let query = choice.to_query();
            let get = |key: &str| {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
            };
            assert_eq!(
                Choice::from_query(get("days"), get("from"), get("to")),
                choice
            );
        }
        assert_eq!(Choice::Last(7).to_query(), "days=7");
    }

    #[test]
    fn the_last_days_end_today() {
        let p = Choice::Last(7).period(date("2026-03-01"));
        assert_eq!((p.from, p.to), (date("2026-02-23"), date("2026-03-01")));
        let custom = Period::parse("2026-01-01", "2026-01-02").unwrap();
        assert_eq!(Choice::Custom(custom).period(date("2030-01-01")), custom);
    }

    #[test]
    fn a_typed_range_is_refused_with_its_reason() {
        assert!(check_range("2026-01-01", "2026-01-31").is_ok());
        assert!(check_range(" 2026-01-01 ", "2026-01-01").is_ok());
        assert_eq!(
            check_range("", "2026-01-31"),
            Err(RangeProblem::Missing(Field::From))
        );
        assert_eq!(
            check_range("2026-01-01", ""),
            Err(RangeProblem::Missing(Field::To))
        );
        assert_eq!(
            check_range("01/01/2026", "2026-01-31"),
            Err(RangeProblem::NotADate(Field::From))
        );
        assert_eq!(
            check_range("2026-01-01", "2026-02-30"),
            Err(RangeProblem::NotADate(Field::To))
        );
        let reversed = check_range("2026-02-01", "2026-01-01");
        assert_eq!(reversed, Err(RangeProblem::Reversed));
        assert_eq!(reversed.unwrap_err().field(), Field::To);
        assert_eq!(
            check_range("2025-01-01", "2026-01-02"),
            Err(RangeProblem::TooLong)
        );
    }
}
