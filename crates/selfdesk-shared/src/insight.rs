//! Insight: the numbers a help desk is judged by, for one period of the desk's local
//! dates (`GET /api/v1/staff/insight?from=…&to=…`).
//!
//! Each figure's definition is written once, on the field that carries it, and again
//! for people in docs/INSIGHT.md ("What each number means"). The server computes them
//! (`selfdesk_server::insight`); the pure arithmetic they share — the period, the
//! percentages, the median and 90th percentile, day or week buckets — lives here so the
//! page and the server cannot disagree.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Reason};
use crate::sla::{Date, Priority};

/// The longest period one request may cover, in days.
pub const MAX_DAYS: i64 = 366;
/// Periods longer than this are charted by week instead of by day.
pub const MAX_DAILY_DAYS: i64 = 90;
/// A ticket resolved and reopened within this many days counts as reopened.
pub const REOPEN_WINDOW_DAYS: i64 = 7;
/// A ticket is a repeat contact when the same requester filed another ticket in the
/// same category within this many days before it.
pub const REPEAT_WINDOW_DAYS: i64 = 7;
/// Ratings at or below this are "low"; their comments are listed.
pub const LOW_RATING: u8 = 2;
/// Ratings at or above this are "good".
pub const GOOD_RATING: u8 = 4;

/// A period of whole local days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// Reads `from` and `to` as `YYYY-MM-DD`; refuses a bad date, a reversed range and
    /// one longer than [`MAX_DAYS`], naming the field at fault.
    pub fn parse(from: &str, to: &str) -> Result<Period, FieldError> {
        let date = |field: &'static str, text: &str| {
            Date::parse(text).ok_or_else(|| {
                FieldError::new(field, Reason::BadFormat)
                    .because(format!("`{field}` must be a date written YYYY-MM-DD"))
            })
        };
        let period = Period {
            from: date("from", from)?,
            to: date("to", to)?,
        };
        if period.to < period.from {
            return Err(
                FieldError::new("to", Reason::NotAllowed).because("`to` must not be before `from`")
            );
        }
        if period.days() > MAX_DAYS {
            return Err(FieldError::new(
                "to",
                Reason::OutOfRange {
                    min: 1,
                    max: MAX_DAYS,
                },
            )
            .because(format!("A period covers at most {MAX_DAYS} days")));
        }
        Ok(period)
    }

    /// The last `days` days up to and including `today`.
    pub fn last_days(today: Date, days: i64) -> Period {
        Period {
            from: today.add_days(1 - days.max(1)),
            to: today,
        }
    }

    /// Number of days, both ends included.
    pub fn days(self) -> i64 {
        self.to.days_since(self.from) + 1
    }

    /// The period of the same length that ends the day before this one starts.
    pub fn previous(self) -> Period {
        Period {
            from: self.from.add_days(-self.days()),
            to: self.from.add_days(-1),
        }
    }

    /// Whether the trend chart counts by day or by week.
    pub fn bucket(self) -> Bucket {
        if self.days() > MAX_DAILY_DAYS {
            Bucket::Week
        } else {
            Bucket::Day
        }
    }

    /// The first day of each chart bucket, in order: every day, or every seventh day
    /// from `from` (the last week may be shorter).
    pub fn bucket_starts(self) -> Vec<Date> {
        let step = match self.bucket() {
            Bucket::Day => 1,
            Bucket::Week => 7,
        };
        (0..self.days())
            .step_by(step)
            .map(|offset| self.from.add_days(offset))
            .collect()
    }
}

/// How the trend chart's points are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Day,
    Week,
}

/// `part` of `whole` in percent with one decimal; `None` when `whole` is 0 (never
/// NaN, never a division error).
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// A mean with one decimal; `None` for no values.
pub fn mean(sum: i64, count: i64) -> Option<f64> {
    (count > 0).then(|| (sum as f64 * 10.0 / count as f64).round() / 10.0)
}

/// The median and 90th percentile of `values` by the nearest-rank method (the value
/// at rank ⌈p·n⌉ of the sorted values, so the answer is always one of them: a median
/// of 10 and 20 minutes is 10, not 15).
pub fn spread(mut values: Vec<i64>) -> Spread {
    values.sort_unstable();
    let count = values.len() as i64;
    Spread {
        count,
        median: nearest_rank(&values, 50),
        p90: nearest_rank(&values, 90),
    }
}

/// The value at percentile `p` (1–100) of sorted `values`, nearest-rank.
pub fn nearest_rank(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Durations in business minutes (the service levels' calendar, paused time left out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spread {
    /// How many durations were measured.
    pub count: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// The answer of `GET /api/v1/staff/insight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Insight {
    /// First day of the period (desk's local date, `YYYY-MM-DD`).
    pub from: String,
    /// Last day of the period, included.
    pub to: String,
    pub tickets: TicketFigures,
    pub first_response_minutes: Spread,
    pub resolution_minutes: Spread,
    pub sla: SlaFigures,
    pub satisfaction: Satisfaction,
    pub self_service: SelfServiceFunnel,
    /// The same headline figures for the period of equal length just before.
    pub previous: Headline,
    /// Speed and service levels per priority (P1 first), for tickets resolved in the
    /// period.
    pub by_priority: Vec<PriorityFigures>,
    /// Deadlines missed in the period, by the tier the ticket was at when the deadline
    /// passed.
    pub breaches_by_tier: Vec<TierBreaches>,
    /// Categories with the most repeat contacts, most first.
    pub repeat_categories: Vec<CategoryCount>,
    /// Ratings of [`LOW_RATING`] or less given in the period, with their comments,
    /// newest first (at most 20).
    pub low_ratings: Vec<LowRating>,
    /// Every category, in the portal's order.
    pub by_category: Vec<CategoryFigures>,
    /// The most frequent words of the subjects of tickets created in the period (stop
    /// words left out), most first (at most 20).
    pub subject_words: Vec<WordCount>,
    /// Known incidents with tickets created in the period, most tickets first.
    pub incidents: Vec<IncidentFigures>,
    /// One row per technician who resolved or first-answered a ticket in the period.
    /// For a non-administrator only their own row.
    pub by_technician: Vec<TechnicianFigures>,
    /// The whole team's figures, shown beside a technician's own row.
    pub team: TeamFigures,
    pub by_tier: Vec<TierFigures>,
    /// Searches that found nothing, per language and query, most frequent first (at
    /// most 20 per language): the articles to write next.
    pub searches_without_results: Vec<SearchGap>,
    /// Articles read in the period, most viewed first (at most 50).
    pub articles: Vec<ArticleFigures>,
    /// Guided diagnostics walked in the period, most walks first.
    pub flows: Vec<FlowFigures>,
    /// Whether `daily` counts by day or by week.
    pub bucket: Bucket,
    /// The trend: one point per day, or per week when the period is longer than
    /// [`MAX_DAILY_DAYS`] days.
    pub daily: Vec<DayFigures>,
}

/// The figures compared with the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Headline {
    pub from: String,
    pub to: String,
    pub tickets: TicketFigures,
    pub first_response_minutes: Spread,
    pub resolution_minutes: Spread,
    pub sla: SlaFigures,
    pub satisfaction: Satisfaction,
    pub self_service: SelfServiceFunnel,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketFigures {
    /// Tickets filed in the period.
    pub created: i64,
    /// Tickets resolved in the period (a ticket resolved twice counts twice).
    pub resolved: i64,
    /// `resolved` ÷ `created`, in percent.
    pub resolved_pct: Option<f64>,
    /// Of the tickets filed in the period, how many are resolved or closed now.
    pub created_resolved_now: i64,
    /// `created_resolved_now` ÷ `created`, in percent.
    pub created_resolved_now_pct: Option<f64>,
    /// Tickets open (neither resolved nor closed) at the end of the period's last day.
    pub backlog_end: i64,
    /// Resolutions in the period followed by a reopen within [`REOPEN_WINDOW_DAYS`].
    pub reopened: i64,
    /// `reopened` ÷ `resolved`, in percent.
    pub reopen_rate_pct: Option<f64>,
    /// Resolutions in the period of tickets with exactly one public staff reply before
    /// the resolution, never escalated and never reopened.
    pub first_contact_resolutions: i64,
    /// `first_contact_resolutions` ÷ `resolved`, in percent.
    pub first_contact_resolution_pct: Option<f64>,
    /// Tickets filed in the period whose requester (email, any case) filed another
    /// ticket in the same category within [`REPEAT_WINDOW_DAYS`] days before.
    pub repeat_contacts: i64,
    /// `repeat_contacts` ÷ `created`, in percent.
    pub repeat_contact_rate_pct: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaFigures {
    /// Of the tickets first answered in the period, the share answered by the
    /// first-response deadline, in percent.
    pub first_response_met_pct: Option<f64>,
    /// Of the resolutions in the period, the share made by the resolution deadline.
    pub resolution_met_pct: Option<f64>,
    /// Deadlines (first response or resolution) that passed in the period unmet.
    pub breaches: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Satisfaction {
    /// Ratings given in the period.
    pub responses: i64,
    /// `responses` ÷ resolutions in the period, in percent.
    pub response_rate_pct: Option<f64>,
    /// Mean rating, 1–5, one decimal.
    pub average: Option<f64>,
    /// Share of ratings of [`GOOD_RATING`] or more, in percent.
    pub good_pct: Option<f64>,
}

/// The deflection funnel, counted in anonymous browser sessions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfServiceFunnel {
    /// Sessions that searched, read an article, opened a suggestion or walked a flow.
    pub sessions: i64,
    /// Of those, sessions that read an article or started a guided diagnostic.
    pub engaged: i64,
    /// Of those, sessions that said an article helped or reached a "fixed" end.
    pub helped: i64,
    /// Of `sessions`, sessions that filed a ticket anyway.
    pub filed: i64,
    /// Self-service score: `sessions` ÷ tickets filed in the period (all tickets, with
    /// or without a session), one decimal; `None` without tickets.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityFigures {
    pub priority: Priority,
    pub first_response_minutes: Spread,
    pub resolution_minutes: Spread,
    pub first_response_met_pct: Option<f64>,
    pub resolution_met_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierBreaches {
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 1, maximum = 3))]
    pub tier: u8,
    pub first_response: i64,
    pub resolution: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    pub category: String,
    /// The category's name in the language asked for.
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LowRating {
    pub number: String,
    pub rating: u8,
    pub comment: String,
    /// Unix seconds.
    pub rated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryFigures {
    pub category: String,
    pub name: String,
    /// Tickets filed in the period in this category.
    pub created: i64,
    /// Resolutions in the period of tickets in this category.
    pub resolved: i64,
    /// Tickets filed in this category in the previous period.
    pub previous_created: i64,
    /// Tickets filed per chart bucket (the sparkline), aligned with `daily`.
    pub trend: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordCount {
    pub word: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentFigures {
    pub id: i64,
    pub title: String,
    /// Tickets filed in the period now linked to the incident.
    pub tickets: i64,
    /// Whether the incident is still open.
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianFigures {
    pub id: i64,
    pub display_name: String,
    /// False for a deactivated account: their past work still counts.
    pub active: bool,
    /// Resolutions in the period made by them.
    pub resolved: i64,
    /// Tickets whose first public staff reply in the period was theirs.
    pub first_responses: i64,
    /// Median business minutes from filing to their resolutions.
    pub resolution_minutes_median: Option<i64>,
    /// Ratings given in the period to tickets they resolved.
    pub satisfaction_responses: i64,
    pub satisfaction_average: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamFigures {
    /// Technicians with at least one resolution or first response in the period.
    pub technicians: i64,
    pub resolved: i64,
    pub first_responses: i64,
    pub resolution_minutes_median: Option<i64>,
    pub satisfaction_average: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierFigures {
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 1, maximum = 3))]
    pub tier: u8,
    /// Resolutions in the period made while the ticket was at this tier.
    pub resolved: i64,
    /// Escalations in the period from this tier to the next.
    pub escalated: i64,
    /// `escalated` ÷ (`resolved` + `escalated`), in percent.
    pub escalation_rate_pct: Option<f64>,
    /// Median business minutes a ticket spent at this tier, over stays that ended
    /// (by resolution, escalation or sending back) in the period.
    pub minutes_at_tier_median: Option<i64>,
}

/// Named `InsightSearchGap` in the OpenAPI document: `search::SearchGap` (the search
/// gaps report's row, with more fields) has the plain name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = InsightSearchGap))]
pub struct SearchGap {
    pub lang: String,
    pub query: String,
    pub searches: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleFigures {
    pub slug: String,
    pub title: String,
    /// Sessions that opened the article in the period.
    pub views: i64,
    /// "Did this help?" answers given in the period.
    pub helpful: i64,
    pub not_helpful: i64,
    /// `helpful` ÷ (`helpful` + `not_helpful`), in percent.
    pub helpful_pct: Option<f64>,
    /// Tickets filed in a session that had opened the article before filing.
    pub tickets_after: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowFigures {
    pub slug: String,
    pub title: String,
    /// Walks started in the period.
    pub walks: i64,
    /// Walks that reached an end (fixed, or a ticket).
    pub completed: i64,
    /// Walks that ended "fixed it".
    pub fixed: i64,
    pub completion_pct: Option<f64>,
    pub fixed_pct: Option<f64>,
    /// Walks left unfinished, by the step they stopped at, most first.
    pub drop_off: Vec<StepDropOff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepDropOff {
    pub node: String,
    pub walks: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayFigures {
    /// The bucket's first day, `YYYY-MM-DD`.
    pub date: String,
    pub created: i64,
    pub resolved: i64,
    /// Tickets open at the end of the bucket's last day.
    pub backlog: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn periods_are_read_and_refused_by_field() {
        let p = Period::parse("2026-01-01", "2026-01-31").unwrap();
        assert_eq!(p.days(), 31);
        assert_eq!(
            p.previous(),
            Period {
                from: date("2025-12-01"),
                to: date("2025-12-31")
            }
        );
        assert_eq!(
            Period::parse("2026-1-1", "2026-01-31").unwrap_err().field,
            "from"
        );
        assert_eq!(
            Period::parse("2026-01-01", "yesterday").unwrap_err().field,
            "to"
        );
        assert_eq!(
            Period::parse("2026-02-01", "2026-01-31").unwrap_err().field,
            "to"
        );
        assert!(
            Period::parse("2024-01-01", "2024-12-31").is_ok(),
            "366 days in a leap year"
        );
        assert_eq!(
            Period::parse("2025-01-01", "2026-01-02").unwrap_err().field,
            "to"
        );
        assert_eq!(Period::parse("2026-03-05", "2026-03-05").unwrap().days(), 1);
    }

    #[test]
    fn last_days_end_today() {
        let p = Period::last_days(date("2026-03-01"), 7);
        assert_eq!((p.from, p.to), (date("2026-02-23"), date("2026-03-01")));
        assert_eq!(p.days(), 7);
    }

    #[test]
    fn long_periods_are_charted_by_week() {
        let p = Period::parse("2026-01-01", "2026-03-31").unwrap();
        assert_eq!(p.bucket(), Bucket::Day);
        assert_eq!(p.bucket_starts().len(), 90);
        let year = Period::parse("2025-01-01", "2025-12-31").unwrap();
        assert_eq!(year.bucket(), Bucket::Week);
        let starts = year.bucket_starts();
        assert_eq!(starts.len(), 53);
        assert_eq!(starts[1], date("2025-01-08"));
        assert_eq!(starts[52], date("2025-12-31"));
    }

    #[test]
    fn percentages_have_one_decimal_and_no_zero_division() {
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 5), Some(0.0));
        assert_eq!(percent(5, 0), None);
        assert_eq!(mean(9, 2), Some(4.5));
        assert_eq!(mean(0, 0), None);
    }

    #[test]
    fn spreads_are_nearest_rank() {
        assert_eq!(spread(vec![]), Spread::default());
        let s = spread(vec![20, 10]);
        assert_eq!((s.count, s.median, s.p90), (2, Some(10), Some(20)));
        let s = spread((1..=10).rev().collect());
        assert_eq!((s.median, s.p90), (Some(5), Some(9)));
        let s = spread(vec![7]);
        assert_eq!((s.median, s.p90), (Some(7), Some(7)));
    }
}
