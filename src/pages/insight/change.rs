//! "Compared with the previous period": which way a figure moved and by how much —
//! relative for counts and durations (+12.5 %), in percentage points for shares
//! (−3.2 pts), as a plain difference for the 1–5 rating average (+0.3). Pure, so the
//! arrows are tested on the host; the page words and colours them.

/// What kind of number a figure is, which decides how its change is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A count of tickets, sessions, ratings: relative change.
    Count,
    /// A share in percent: difference in points.
    Percent,
    /// Business minutes: relative change.
    Duration,
    /// A mean rating: difference, one decimal.
    Score,
}

/// Which direction is good news for a figure (the colour only helps; the words and
/// the arrow say it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// Neither (tickets created: more may be good or bad).
    Neither,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Same,
}

impl Direction {
    /// ▲, ▼, or = for no change.
    pub const fn arrow(self) -> &'static str {
        match self {
            Direction::Up => "▲",
            Direction::Down => "▼",
            Direction::Same => "=",
        }
    }
}

/// A figure's move from the previous period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub direction: Direction,
    /// The size of the move, never negative, one decimal: percent of the previous
    /// value (counts, durations), points (shares) or rating steps (scores). `None`
    /// when it has no size: a count that grew from zero.
    pub amount: Option<f64>,
}

impl Change {
    /// Whether the move is good, bad or neither for a figure where `better` holds.
    pub fn verdict(self, better: Better) -> Verdict {
        match (self.direction, better) {
            (Direction::Same, _) | (_, Better::Neither) => Verdict::Neutral,
            (Direction::Up, Better::Higher) | (Direction::Down, Better::Lower) => Verdict::Good,
            _ => Verdict::Bad,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Good,
    Bad,
    Neutral,
}

impl Verdict {
    pub const fn class(self) -> &'static str {
        match self {
            Verdict::Good => "change change-good",
            Verdict::Bad => "change change-bad",
            Verdict::Neutral => "change",
        }
    }
}

/// The change from `before` to `now`; `None` when either is unknown (no resolutions
/// to take a median of, no ratings to average).
pub fn compare(measure: Measure, now: Option<f64>, before: Option<f64>) -> Option<Change> {
    let (now, before) = (now?, before?);
    let direction = if now > before {
        Direction::Up
    } else if now < before {
        Direction::Down
    } else {
        Direction::Same
    };
    let one_decimal = |v: f64| (v.abs() * 10.0).round() / 10.0;
    let amount = match measure {
        Measure::Count | Measure::Duration => {
            (before != 0.0).then(|| one_decimal((now - before) / before * 100.0))
        }
        Measure::Percent | Measure::Score => Some(one_decimal(now - before)),
    };
    let amount = match direction {
        Direction::Same => Some(0.0),
        _ => amount,
    };
    Some(Change { direction, amount })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(measure: Measure, now: f64, before: f64) -> Change {
        compare(measure, Some(now), Some(before)).unwrap()
    }

    #[test]
    fn counts_change_relatively() {
        let c = change(Measure::Count, 45.0, 40.0);
        assert_eq!((c.direction, c.amount), (Direction::Up, Some(12.5)));
        let c = change(Measure::Count, 30.0, 40.0);
        assert_eq!((c.direction, c.amount), (Direction::Down, Some(25.0)));
        let c = change(Measure::Duration, 200.0, 300.0);
        assert_eq!((c.direction, c.amount), (Direction::Down, Some(33.3)));
    }

    #[test]
    fn a_count_from_zero_rises_by_no_percentage() {
        let c = change(Measure::Count, 3.0, 0.0);
        assert_eq!((c.direction, c.amount), (Direction::Up, None));
        let c = change(Measure::Count, 0.0, 0.0);
        assert_eq!((c.direction, c.amount), (Direction::Same, Some(0.0)));
    }

    #[test]
    fn shares_change_in_points_and_scores_in_steps() {
        let c = change(Measure::Percent, 81.4, 84.6);
        assert_eq!((c.direction, c.amount), (Direction::Down, Some(3.2)));
        let c = change(Measure::Score, 4.3, 4.0);
        assert_eq!((c.direction, c.amount), (Direction::Up, Some(0.3)));
        let c = change(Measure::Percent, 50.0, 50.0);
        assert_eq!((c.direction, c.amount), (Direction::Same, Some(0.0)));
    }

    #[test]
    fn unknown_sides_have_no_change() {
        assert_eq!(compare(Measure::Percent, None, Some(3.0)), None);
        assert_eq!(compare(Measure::Duration, Some(3.0), None), None);
    }

    #[test]
    fn good_news_depends_on_the_figure() {
        let up = change(Measure::Count, 2.0, 1.0);
        let down = change(Measure::Count, 1.0, 2.0);
        assert_eq!(up.verdict(Better::Higher), Verdict::Good);
        assert_eq!(down.verdict(Better::Higher), Verdict::Bad);
        assert_eq!(up.verdict(Better::Lower), Verdict::Bad);
        assert_eq!(down.verdict(Better::Lower), Verdict::Good);
        assert_eq!(up.verdict(Better::Neither), Verdict::Neutral);
        assert_eq!(
            change(Measure::Count, 1.0, 1.0).verdict(Better::Higher),
            Verdict::Neutral
        );
        assert_eq!(Direction::Up.arrow(), "▲");
        assert_eq!(Direction::Down.arrow(), "▼");
    }
}
