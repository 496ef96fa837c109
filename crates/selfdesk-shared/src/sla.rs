//! Service levels: when a ticket's first response and resolution are due, counted in
//! the help desk's business hours, and how each deadline stands.
//!
//! Everything here is arithmetic on Unix seconds: no clock is read (the caller passes
//! `now`) and no time-zone database is consulted, so the server and the browser compute
//! the same deadlines from the same inputs. The calendar math is Howard Hinnant's
//! `days_from_civil` / `civil_from_days`, which is exact for the proleptic Gregorian
//! calendar and needs no table.
//!
//! Long spans cost little: whole weeks without a holiday are skipped by multiplication,
//! so the work grows with the number of holidays in the span, not with its length.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Reason};

const SECS_PER_DAY: i64 = 86_400;
const MINUTES_PER_DAY: u16 = 1_440;
/// UTC+14 (Kiribati) and UTC−12 are the extremes in use; ±14 h leaves room for both.
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// Priority of a ticket: P1 most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Self::P1, Self::P2, Self::P3, Self::P4];

    /// The wire spelling, lowercase like every other enum on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::P1 => "p1",
            Self::P2 => "p2",
            Self::P3 => "p3",
            Self::P4 => "p4",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == value)
    }

    /// How people write it on screen and in mail: "P1".
    pub const fn label(self) -> &'static str {
        match self {
            Self::P1 => "P1",
            Self::P2 => "P2",
            Self::P3 => "P3",
            Self::P4 => "P4",
        }
    }

    /// The position in per-priority arrays such as [`SlaTargets`]' (P1 first).
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A calendar date with no time zone: a holiday is "25 December" wherever the desk is,
/// so it is stored as a date and placed on the time line with the desk's own offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Date {
    pub year: i32,
    /// 1 to 12 (a day that does not exist is refused by the calendar's check).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 255))]
    pub month: u8,
    /// 1 to 31.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 255))]
    pub day: u8,
}

impl Date {
    /// A real date in years 1 to 9999: the range that `YYYY-MM-DD` can write, so every
    /// date made here survives a round trip through its text.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let date = Date { year, month, day };
        date.is_valid().then_some(date)
    }

    /// Exactly `YYYY-MM-DD`, as an `<input type="date">` sends it. Nothing looser: a
    /// holiday list must not guess whether `03/04` is March or April.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| {
            bytes[range].iter().try_fold(0u32, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
            })
        };
        let year = i32::try_from(number(0..4)?).ok()?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        Date::new(year, month, day)
    }

    /// Whether the fields name a real date. Deserializing does not check (the derive
    /// cannot), so [`BusinessCalendar::validate`] asks this of every holiday.
    pub fn is_valid(self) -> bool {
        (1..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }

    /// 0 = Monday … 6 = Sunday: the indexing of [`BusinessCalendar::open_days`].
    pub fn weekday(self) -> usize {
        weekday_from_days(self.days_since_epoch())
    }

    fn days_since_epoch(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date `days` days later (earlier when negative).
    pub fn add_days(self, days: i64) -> Date {
        civil_from_days(self.days_since_epoch() + days)
    }

    /// Days from `earlier` to this date (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }

    /// The instant this date begins in a desk `utc_offset_minutes` ahead of UTC.
    pub fn start_in(self, utc_offset_minutes: i32) -> i64 {
        self.days_since_epoch() * SECS_PER_DAY - i64::from(utc_offset_minutes) * 60
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (negative before). Hinnant's algorithm: counting years from
/// March puts the leap day last, so a month's first day is a linear function of the
/// month and 400-year eras repeat exactly.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]. Far outside years 1 to 9999 the year may not fit
/// the date's range rules, but it is still the right proleptic Gregorian year.
fn civil_from_days(days: i64) -> Date {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date {
        year: year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
        month: month as u8,
        day: day as u8,
    }
}

/// 0 = Monday; 1970-01-01 was a Thursday.
fn weekday_from_days(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

/// When the desk works. A deadline counts only the time in which someone could have
/// acted on the ticket, so a ticket opened at closing time on Friday is not late on
/// Monday morning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessCalendar {
    /// Offset of the help desk's local time from UTC, in minutes (e.g. 60 for CET).
    /// A fixed offset: there are no daylight-saving rules, so a desk that observes them
    /// is an hour off for part of the year unless someone changes the offset. Carrying
    /// a time-zone database to the browser for that was judged not worth its size.
    pub utc_offset_minutes: i32,
    /// Open weekdays, Monday first (index 0 = Monday … 6 = Sunday).
    #[cfg_attr(feature = "openapi", schema(min_items = 7, max_items = 7))]
    pub open_days: [bool; 7],
    /// Opening time, minutes after local midnight (e.g. 480 for 08:00).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 65535))]
    pub opens_at_minute: u16,
    /// Closing time, minutes after local midnight (e.g. 1020 for 17:00); after
    /// `opens_at_minute`, at most 1440. Opening hours never cross midnight: a night
    /// shift is out of scope.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 65535))]
    pub closes_at_minute: u16,
    /// Local dates on which the desk is closed all day.
    pub holidays: Vec<Date>,
}

impl Default for BusinessCalendar {
    /// Monday to Friday, 08:00–17:00 UTC, no holidays: a placeholder until an
    /// administrator sets the desk's own hours.
    fn default() -> Self {
        Self {
            utc_offset_minutes: 0,
            open_days: [true, true, true, true, true, false, false],
            opens_at_minute: 8 * 60,
            closes_at_minute: 17 * 60,
            holidays: Vec::new(),
        }
    }
}

impl BusinessCalendar {
    /// What an administrator may save. The arithmetic below tolerates a calendar that
    /// fails this (it never panics or loops), but such a calendar has no business time,
    /// so no deadline would ever arrive.
    pub fn validate(&self) -> Result<(), FieldError> {
        let refuse = |field: &'static str, reason: Reason, message: String| {
            Err(FieldError::new(field, reason).because(message))
        };
        if !self.open_days.contains(&true) {
            return refuse(
                "calendar.open_days",
                Reason::Required,
                "The desk must be open on at least one day of the week".into(),
            );
        }
        if self.closes_at_minute > MINUTES_PER_DAY {
            return refuse(
                "calendar.closes_at_minute",
                Reason::OutOfRange {
                    min: 0,
                    max: i64::from(MINUTES_PER_DAY),
                },
                "Closing time must be at most 24:00".into(),
            );
        }
        if self.opens_at_minute >= self.closes_at_minute {
            return refuse(
                "calendar.opens_at_minute",
                Reason::NotAllowed,
                "Opening time must be before closing time".into(),
            );
        }
        if self.utc_offset_minutes.abs() > MAX_OFFSET_MINUTES {
            return refuse(
                "calendar.utc_offset_minutes",
                Reason::OutOfRange {
                    min: -i64::from(MAX_OFFSET_MINUTES),
                    max: i64::from(MAX_OFFSET_MINUTES),
                },
                "The UTC offset must be within ±14 hours".into(),
            );
        }
        if let Some(bad) = self.holidays.iter().find(|h| !h.is_valid()) {
            return refuse(
                "calendar.holidays",
                Reason::BadFormat,
                format!("Holiday {bad} is not a date"),
            );
        }
        Ok(())
    }

    /// Opening time is inside, closing time outside: at 17:00 a 08:00–17:00 desk is
    /// closed.
    pub fn is_open_at(&self, t: i64) -> bool {
        Hours::of(self).is_open_at(t)
    }

    /// Business seconds in [from, to) (0 if to <= from).
    pub fn business_seconds_between(&self, from: i64, to: i64) -> i64 {
        Hours::of(self).between(from, to)
    }

    /// The instant at which `secs` business seconds have elapsed after `start`.
    ///
    /// For a positive amount this is the *earliest* such instant, so an amount that
    /// runs out exactly at closing time gives that closing time (Friday 17:00), not the
    /// next opening (Monday 08:00): a ticket due "by end of day Friday" must not look
    /// on track all weekend.
    ///
    /// For zero (and negative amounts, taken as zero) it is the instant the clock
    /// starts running: `start` itself when the desk is open then, otherwise the next
    /// opening. A zero target therefore means "due as soon as the desk opens", not
    /// "already due at 03:00 on Sunday".
    ///
    /// A calendar without any business time (see [`Self::validate`]) never gets
    /// there: the answer is `i64::MAX`, as it is when the amount runs past the end of
    /// the representable time line.
    pub fn add_business_seconds(&self, start: i64, secs: i64) -> i64 {
        Hours::of(self).add(start, secs)
    }

    /// The desk's local date at instant `t`, e.g. to tell whether today is a holiday.
    pub fn local_date(&self, t: i64) -> Date {
        let local = t.saturating_add(i64::from(self.utc_offset_minutes) * 60);
        civil_from_days(local.div_euclid(SECS_PER_DAY))
    }
}

/// A calendar in the form the arithmetic wants: seconds, days counted from the epoch in
/// local time, and only the holidays that close an otherwise open day (sorted and
/// deduplicated, so those within a span are counted by two binary searches).
struct Hours {
    offset: i64,
    opens: i64,
    closes: i64,
    open_days: [bool; 7],
    /// Business seconds in any seven consecutive days without a holiday; 0 for a
    /// calendar that is never open.
    week: i64,
    holidays: Vec<i64>,
}

impl Hours {
    fn of(calendar: &BusinessCalendar) -> Hours {
        let opens = i64::from(calendar.opens_at_minute) * 60;
        let closes = i64::from(calendar.closes_at_minute.min(MINUTES_PER_DAY)) * 60;
        // With no time between opening and closing no day is open; saying so here
        // keeps every loop below from spinning on days that contribute nothing.
        let open_days = if opens < closes {
            calendar.open_days
        } else {
            [false; 7]
        };
        let open_count = open_days.iter().filter(|&&open| open).count() as i64;
        let mut holidays: Vec<i64> = calendar
            .holidays
            .iter()
            .map(|h| h.days_since_epoch())
            .filter(|&day| open_days[weekday_from_days(day)])
            .collect();
        holidays.sort_unstable();
        holidays.dedup();
        Hours {
            offset: i64::from(calendar.utc_offset_minutes) * 60,
            opens,
            closes,
            open_days,
            week: open_count * (closes - opens).max(0),
            holidays,
        }
    }

    /// Local (day, second of day) of instant `t`.
    fn local(&self, t: i64) -> (i64, i64) {
        let local = t.saturating_add(self.offset);
        (
            local.div_euclid(SECS_PER_DAY),
            local.rem_euclid(SECS_PER_DAY),
        )
    }

    fn instant(&self, day: i64, second: i64) -> i64 {
        day.saturating_mul(SECS_PER_DAY)
            .saturating_add(second)
            .saturating_sub(self.offset)
    }

    fn is_open_day(&self, day: i64) -> bool {
        self.open_days[weekday_from_days(day)] && self.holidays.binary_search(&day).is_err()
    }

    fn is_open_at(&self, t: i64) -> bool {
        let (day, second) = self.local(t);
        self.is_open_day(day) && (self.opens..self.closes).contains(&second)
    }

    /// Business seconds of one day within [from, to) seconds after its midnight.
    fn open_within(&self, day: i64, from: i64, to: i64) -> i64 {
        if !self.is_open_day(day) {
            return 0;
        }
        (to.min(self.closes) - from.max(self.opens)).max(0)
    }

    /// Open days in [first, end): whole weeks by multiplication, the rest of a week one
    /// by one, minus the holidays in the range.
    fn open_days_in(&self, first: i64, end: i64) -> i64 {
        if end <= first {
            return 0;
        }
        let days = end - first;
        let weeks = days / 7;
        let per_week = self.open_days.iter().filter(|&&open| open).count() as i64;
        let rest_start = first + weeks * 7;
        let rest = (rest_start..end)
            .filter(|&day| self.open_days[weekday_from_days(day)])
            .count() as i64;
        let holidays = self.holidays.partition_point(|&h| h < end)
            - self.holidays.partition_point(|&h| h < first);
        weeks * per_week + rest - holidays as i64
    }

    fn between(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        let (first_day, from_second) = self.local(from);
        let (last_day, to_second) = self.local(to);
        if first_day == last_day {
            return self.open_within(first_day, from_second, to_second);
        }
        let full_days = self.open_days_in(first_day + 1, last_day);
        self.open_within(first_day, from_second, SECS_PER_DAY)
            .saturating_add(full_days.saturating_mul(self.closes - self.opens))
            .saturating_add(self.open_within(last_day, 0, to_second))
    }

    fn add(&self, start: i64, secs: i64) -> i64 {
        if self.week == 0 {
            return i64::MAX;
        }
        let mut remaining = secs.max(0);
        let (mut day, mut from_second) = self.local(start);
        loop {
            if self.is_open_day(day) {
                let begin = from_second.max(self.opens);
                if begin < self.closes {
                    let available = self.closes - begin;
                    if remaining <= available {
                        return self.instant(day, begin + remaining);
                    }
                    remaining -= available;
                }
            }
            day += 1;
            from_second = 0;
            // Seven days without a holiday hold exactly `week` seconds wherever they
            // start, so jump over as many such weeks as the amount needs. The last
            // (partial) week is left to the walk above, which is what lands an amount
            // that ends at a closing time on that closing time. Past the last holiday
            // one jump finishes the work, so this terminates for any finite list.
            let next_holiday = self
                .holidays
                .get(self.holidays.partition_point(|&h| h < day))
                .copied()
                .unwrap_or(i64::MAX);
            let clear_weeks = next_holiday.saturating_sub(day) / 7;
            let weeks = clear_weeks.min((remaining - 1).max(0) / self.week);
            day = day.saturating_add(weeks * 7);
            remaining -= weeks * self.week;
            if day >= i64::MAX / SECS_PER_DAY {
                return i64::MAX;
            }
        }
    }
}

/// Target times per priority, in business minutes (minutes while the desk is open, not
/// wall-clock minutes), P1 first. Minutes because that is how the targets are agreed
/// and written down; the functions below give seconds, the unit of every timestamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaTargets {
    /// From the ticket's creation to the first reply by staff.
    #[cfg_attr(feature = "openapi", schema(min_items = 4, max_items = 4))]
    pub first_response_minutes: [i64; 4],
    /// From the ticket's creation to its resolution.
    #[cfg_attr(feature = "openapi", schema(min_items = 4, max_items = 4))]
    pub resolution_minutes: [i64; 4],
}

impl Default for SlaTargets {
    /// Chosen for the default 9-hour business day: a P3 gets its first answer within
    /// one business day and is resolved within a business week; a P4 gets two days and
    /// two weeks; a P1 is answered within half an hour and fixed within half a day.
    fn default() -> Self {
        Self {
            first_response_minutes: [30, 120, 540, 1080],
            resolution_minutes: [240, 1080, 2700, 5400],
        }
    }
}

impl SlaTargets {
    /// Business seconds from creation to the first staff reply.
    pub fn first_response(&self, priority: Priority) -> i64 {
        self.first_response_minutes[priority.index()].saturating_mul(60)
    }

    /// Business seconds from creation to resolution.
    pub fn resolution(&self, priority: Priority) -> i64 {
        self.resolution_minutes[priority.index()].saturating_mul(60)
    }

    /// What an administrator may save: a zero or negative target would make every
    /// ticket due the moment it arrives.
    pub fn validate(&self) -> Result<(), FieldError> {
        for priority in Priority::ALL {
            let i = priority.index();
            for (field, minutes) in [
                (
                    "targets.first_response_minutes",
                    self.first_response_minutes[i],
                ),
                ("targets.resolution_minutes", self.resolution_minutes[i]),
            ] {
                if minutes <= 0 {
                    let reason = Reason::TooSmall { min: 1 };
                    return Err(FieldError::new(field, reason).because(format!(
                        "Every {} target must be at least one minute",
                        priority.label()
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The help desk's service levels as an administrator edits them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaSettings {
    pub calendar: BusinessCalendar,
    pub targets: SlaTargets,
}

impl SlaSettings {
    /// The first problem, in `calendar.…` or `targets.…`.
    pub fn validate(&self) -> Result<(), FieldError> {
        self.calendar.validate()?;
        self.targets.validate()?;
        if self.calendar.holidays.len() > MAX_HOLIDAYS {
            return Err(
                FieldError::new("calendar.holidays", Reason::too_many(MAX_HOLIDAYS))
                    .because(format!("At most {MAX_HOLIDAYS} holidays can be listed")),
            );
        }
        Ok(())
    }
}

/// Enough for several years of public holidays.
pub const MAX_HOLIDAYS: usize = 400;

/// The answer to saving service levels: what is now in force, and how many open
/// tickets had their deadlines recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaSettingsSaved {
    pub settings: SlaSettings,
    pub recomputed: u64,
}

/// A period in which the SLA clock stood still because the ticket waited for its
/// requester: nobody can be late answering a question they are waiting on. The period
/// is [from, until); `until` is `None` while the ticket is still waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pause {
    pub from: i64,
    pub until: Option<i64>,
}

/// When `target_secs` business seconds will have elapsed since `started_at`, not
/// counting paused periods (only their business hours matter: a pause over a night
/// holds the clock back by that night's business time, which is none). `None` while a
/// pause that began before the deadline is still open: there is no due time while the
/// ticket waits for its requester.
///
/// A pause that begins after the deadline has passed changes nothing, open or not: a
/// missed deadline stays missed, otherwise putting a late ticket on hold would hide
/// the breach.
///
/// Pauses may come in any order and may overlap; time paused twice counts once. A
/// pause whose `until` is not after its `from` is ignored. A zero target follows
/// [`BusinessCalendar::add_business_seconds`]: due at the first moment the clock runs.
///
/// When a ticket's priority changes, its due times are recomputed from the ticket's
/// start with the new priority's target (common ITSM practice) — that is, call this
/// again with the new target. Raising the priority can therefore make a ticket
/// breached at once.
pub fn due_at(
    calendar: &BusinessCalendar,
    started_at: i64,
    target_secs: i64,
    pauses: &[Pause],
) -> Option<i64> {
    let hours = Hours::of(calendar);
    let mut pauses: Vec<Pause> = pauses
        .iter()
        .copied()
        .filter(|p| p.until.is_none_or(|until| until > p.from))
        .collect();
    pauses.sort_by_key(|p| p.from);

    let mut clock = started_at;
    let mut remaining = target_secs.max(0);
    for pause in pauses {
        if pause.until.is_some_and(|until| until <= clock) {
            continue;
        }
        if pause.from > clock {
            let running = hours.between(clock, pause.from);
            // `max(1)`: with nothing left to count, the deadline is the first running
            // moment, which exists before the pause only if some business time does.
            if running >= remaining.max(1) {
                return Some(hours.add(clock, remaining));
            }
            remaining -= running;
        }
        clock = pause.until?;
    }
    Some(hours.add(clock, remaining))
}

/// How a deadline stands at `now`. Read by a decoder of its own (`tagged_decoders`),
/// smaller in the web apps than the derived one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SlaStanding {
    /// Done in time; `at` is when.
    Met {
        at: i64,
    },
    OnTrack {
        due: i64,
    },
    /// Not done and the deadline is near: what a technician's queue should put first.
    DueSoon {
        due: i64,
    },
    /// Done late, or not done and the deadline has passed.
    Breached {
        due: i64,
    },
    /// Waiting for the requester: no deadline runs.
    Paused,
}

/// How a deadline stands at `now`. `due` comes from [`due_at`]; `done_at` is when the
/// first response or resolution happened, if it did.
///
/// The deadline instant itself is still in time (done at `due` is met; at `now == due`
/// the deadline is due soon, not breached), matching `due_at`'s "earliest instant at
/// which the target has elapsed". Something done while the clock stood still (`due`
/// is `None`) is met: no deadline was running, so it cannot have been missed.
pub fn standing(
    due: Option<i64>,
    done_at: Option<i64>,
    now: i64,
    warn_before_secs: i64,
) -> SlaStanding {
    match (due, done_at) {
        (Some(due), Some(done)) if done > due => SlaStanding::Breached { due },
        (_, Some(done)) => SlaStanding::Met { at: done },
        (None, None) => SlaStanding::Paused,
        (Some(due), None) if now > due => SlaStanding::Breached { due },
        (Some(due), None) if due.saturating_sub(now) <= warn_before_secs => {
            SlaStanding::DueSoon { due }
        }
        (Some(due), None) => SlaStanding::OnTrack { due },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600;
    const MINUTE: i64 = 60;

    /// A UTC instant from readable parts.
    fn at(year: i32, month: u8, day: u8, hour: i64, minute: i64) -> i64 {
        assert!(
            Date::new(year, month, day).is_some(),
            "{year}-{month}-{day}"
        );
        days_from_civil(year, month, day) * SECS_PER_DAY + hour * HOUR + minute * MINUTE
    }

    fn weekday(year: i32, month: u8, day: u8) -> usize {
        Date::new(year, month, day).unwrap().weekday()
    }

    fn desk() -> BusinessCalendar {
        BusinessCalendar::default()
    }

    // 2026-03-02 is a Monday; the tests' week runs from there.
    const MON: u8 = 2;
    const TUE: u8 = 3;
    const FRI: u8 = 6;
    const SAT: u8 = 7;
    const NEXT_MON: u8 = 9;

    #[test]
    fn days_from_civil_known_values() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        assert_eq!(weekday(1970, 1, 1), 3, "Thursday");
        assert_eq!(weekday(2000, 3, 1), 2, "Wednesday");
        assert_eq!(weekday(2026, 12, 25), 4, "Friday");
        assert_eq!(weekday(2026, 3, MON), 0);
        assert_eq!(weekday(2026, 3, SAT), 5);
        // 2026-03-02 00:00 UTC, from `date -d 2026-03-02 +%s`.
        assert_eq!(at(2026, 3, MON, 0, 0), 1_772_409_600);
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        let mut days = days_from_civil(1, 1, 1) - 800;
        let end = days_from_civil(9999, 12, 31) + 800;
        while days <= end {
            let date = civil_from_days(days);
            assert_eq!(days_from_civil(date.year, date.month, date.day), days);
            if (1..=9999).contains(&date.year) {
                assert!(date.is_valid(), "{date}");
            }
            days += 97;
        }
        for days in -800..800 {
            let date = civil_from_days(days);
            assert!(date.is_valid());
            assert_eq!(days_from_civil(date.year, date.month, date.day), days);
            assert!(civil_from_days(days + 1) > date);
        }
    }

    #[test]
    fn dates_parse_and_display() {
        for text in [
            "2026-12-25",
            "2024-02-29",
            "2000-02-29",
            "0001-01-01",
            "9999-12-31",
        ] {
            let date = Date::parse(text).unwrap();
            assert_eq!(date.to_string(), text);
        }
        assert_eq!(
            Date::parse("2026-12-25"),
            Some(Date {
                year: 2026,
                month: 12,
                day: 25
            })
        );
        for bad in [
            "2026-02-30",
            "2026-02-29",
            "2100-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "0000-01-01",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-01 ",
            "+026-01-01",
            "2026-0a-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Date::new(2026, 2, 30), None);
        assert_eq!(Date::new(10_000, 1, 1), None);
        assert!(Date::new(2026, 2, 1) < Date::new(2026, 10, 1));
    }

    #[test]
    fn priorities() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
            assert_eq!(p.label(), p.as_str().to_uppercase());
        }
        assert_eq!(Priority::P1.as_str(), "p1");
        assert_eq!(Priority::P4.label(), "P4");
        assert_eq!(Priority::parse("P1"), None);
        assert!(Priority::P1 < Priority::P4);
    }

    #[test]
    fn calendar_validation() {
        assert_eq!(desk().validate(), Ok(()));
        let bad = |change: fn(&mut BusinessCalendar)| {
            let mut calendar = desk();
            change(&mut calendar);
            calendar.validate().unwrap_err()
        };
        bad(|c| c.open_days = [false; 7]);
        bad(|c| c.closes_at_minute = 1441);
        bad(|c| c.opens_at_minute = c.closes_at_minute);
        bad(|c| c.utc_offset_minutes = -14 * 60 - 1);
        bad(|c| {
            c.holidays.push(Date {
                year: 2026,
                month: 2,
                day: 30,
            })
        });
        let mut edge = desk();
        edge.utc_offset_minutes = 14 * 60;
        edge.opens_at_minute = 0;
        edge.closes_at_minute = 1440;
        assert_eq!(edge.validate(), Ok(()));
    }

    #[test]
    fn open_at_opening_closed_at_closing() {
        let cal = desk();
        assert!(cal.is_open_at(at(2026, 3, MON, 8, 0)));
        assert!(!cal.is_open_at(at(2026, 3, MON, 8, 0) - 1));
        assert!(cal.is_open_at(at(2026, 3, MON, 17, 0) - 1));
        assert!(!cal.is_open_at(at(2026, 3, MON, 17, 0)));
        assert!(!cal.is_open_at(at(2026, 3, SAT, 12, 0)));
    }

    #[test]
    fn friday_afternoon_ticket_is_due_monday_morning() {
        let cal = desk();
        let targets = SlaTargets::default();
        let opened = at(2026, 3, FRI, 16, 0);
        let due = due_at(&cal, opened, targets.first_response(Priority::P2), &[]);
        assert_eq!(targets.first_response(Priority::P2), 2 * HOUR);
        assert_eq!(due, Some(at(2026, 3, NEXT_MON, 9, 0)));
    }

    #[test]
    fn weekend_ticket_starts_the_clock_on_monday() {
        let cal = desk();
        let opened = at(2026, 3, SAT, 10, 0);
        assert_eq!(
            cal.add_business_seconds(opened, 0),
            at(2026, 3, NEXT_MON, 8, 0)
        );
        assert_eq!(
            cal.add_business_seconds(opened, 30 * MINUTE),
            at(2026, 3, NEXT_MON, 8, 30)
        );
        assert_eq!(
            cal.business_seconds_between(opened, at(2026, 3, NEXT_MON, 8, 0)),
            0
        );
    }

    #[test]
    fn zero_starts_the_clock_and_a_deadline_can_be_closing_time() {
        let cal = desk();
        // Open: the start itself.
        let open = at(2026, 3, MON, 10, 17);
        assert_eq!(cal.add_business_seconds(open, 0), open);
        // Closed: the next opening, also on the same morning.
        assert_eq!(
            cal.add_business_seconds(at(2026, 3, MON, 6, 0), 0),
            at(2026, 3, MON, 8, 0)
        );
        assert_eq!(
            cal.add_business_seconds(at(2026, 3, MON, 17, 0), 0),
            at(2026, 3, TUE, 8, 0)
        );
        // Negative amounts are zero.
        assert_eq!(cal.add_business_seconds(open, -HOUR), open);
        // Running out at closing time is due at closing time, not next Monday.
        assert_eq!(
            cal.add_business_seconds(at(2026, 3, FRI, 16, 0), HOUR),
            at(2026, 3, FRI, 17, 0)
        );
        // One business day from an opening is that evening.
        let one_day = SlaTargets::default().first_response(Priority::P3);
        assert_eq!(
            cal.add_business_seconds(at(2026, 3, MON, 8, 0), one_day),
            at(2026, 3, MON, 17, 0)
        );
    }

    #[test]
    fn holidays_are_skipped() {
        let mut cal = desk();
        cal.holidays = vec![Date::parse("2026-12-25").unwrap()];
        assert!(!cal.is_open_at(at(2026, 12, 25, 10, 0)));
        // Thursday 16:00 before Christmas, 2 hours: 1 on Thursday, 1 on Monday.
        let opened = at(2026, 12, 24, 16, 0);
        assert_eq!(
            due_at(&cal, opened, 2 * HOUR, &[]),
            Some(at(2026, 12, 28, 9, 0))
        );
        assert_eq!(
            cal.business_seconds_between(opened, at(2026, 12, 28, 9, 0)),
            2 * HOUR
        );
        // Without the holiday it would be Friday morning.
        assert_eq!(
            due_at(&desk(), opened, 2 * HOUR, &[]),
            Some(at(2026, 12, 25, 9, 0))
        );
        // A holiday on a closed day and a repeated holiday change nothing.
        cal.holidays.push(Date::parse("2026-12-26").unwrap());
        cal.holidays.push(Date::parse("2026-12-25").unwrap());
        assert_eq!(
            due_at(&cal, opened, 2 * HOUR, &[]),
            Some(at(2026, 12, 28, 9, 0))
        );
        assert_eq!(
            cal.business_seconds_between(at(2026, 12, 21, 0, 0), at(2027, 1, 4, 0, 0)),
            9 * 9 * HOUR
        );
    }

    #[test]
    fn a_pause_holds_the_clock_back_by_its_business_time() {
        let cal = desk();
        let opened = at(2026, 3, MON, 9, 0);
        let four_hours = SlaTargets::default().resolution(Priority::P1);
        assert_eq!(
            due_at(&cal, opened, four_hours, &[]),
            Some(at(2026, 3, MON, 13, 0))
        );
        // Waiting from Monday 10:00 to Tuesday 09:00: 7 business hours on Monday and 1
        // on Tuesday, none overnight. One hour ran before the pause, three after.
        let overnight = Pause {
            from: at(2026, 3, MON, 10, 0),
            until: Some(at(2026, 3, TUE, 9, 0)),
        };
        assert_eq!(
            cal.business_seconds_between(overnight.from, overnight.until.unwrap()),
            8 * HOUR
        );
        assert_eq!(
            due_at(&cal, opened, four_hours, &[overnight]),
            Some(at(2026, 3, TUE, 12, 0))
        );
        // Overlapping and repeated pauses count once; order does not matter.
        let inner = Pause {
            from: at(2026, 3, MON, 11, 0),
            until: Some(at(2026, 3, MON, 12, 0)),
        };
        let tail = Pause {
            from: at(2026, 3, MON, 16, 0),
            until: Some(at(2026, 3, TUE, 10, 0)),
        };
        assert_eq!(
            due_at(
                &cal,
                opened,
                four_hours,
                &[tail, overnight, inner, overnight]
            ),
            Some(at(2026, 3, TUE, 13, 0))
        );
        // A pause that lies wholly outside business hours, one before the start, one
        // after the deadline and an empty one change nothing.
        let ignored = [
            Pause {
                from: at(2026, 3, SAT, 9, 0),
                until: Some(at(2026, 3, SAT, 12, 0)),
            },
            Pause {
                from: at(2026, 2, 27, 9, 0),
                until: Some(at(2026, 2, 27, 12, 0)),
            },
            Pause {
                from: at(2026, 3, MON, 14, 0),
                until: Some(at(2026, 3, MON, 16, 0)),
            },
            Pause {
                from: at(2026, 3, MON, 10, 0),
                until: Some(at(2026, 3, MON, 10, 0)),
            },
        ];
        let friday = at(2026, 3, FRI, 9, 0);
        assert_eq!(
            due_at(&cal, friday, 8 * HOUR, &ignored[..2]),
            Some(at(2026, 3, FRI, 17, 0))
        );
        assert_eq!(
            due_at(&cal, opened, four_hours, &ignored[2..]),
            Some(at(2026, 3, MON, 13, 0))
        );
    }

    #[test]
    fn an_open_pause_has_no_due_time() {
        let cal = desk();
        let opened = at(2026, 3, MON, 9, 0);
        let waiting = Pause {
            from: at(2026, 3, MON, 10, 0),
            until: None,
        };
        assert_eq!(due_at(&cal, opened, 4 * HOUR, &[waiting]), None);
        // Also when an earlier pause has ended.
        let earlier = Pause {
            from: at(2026, 3, MON, 9, 15),
            until: Some(at(2026, 3, MON, 9, 30)),
        };
        assert_eq!(due_at(&cal, opened, 4 * HOUR, &[waiting, earlier]), None);
        // Set to waiting after the deadline passed: the breach stays visible.
        let too_late = Pause {
            from: at(2026, 3, MON, 15, 0),
            until: None,
        };
        let due = due_at(&cal, opened, 4 * HOUR, &[too_late]);
        assert_eq!(due, Some(at(2026, 3, MON, 13, 0)));
        assert_eq!(
            standing(due, None, at(2026, 3, MON, 16, 0), HOUR),
            SlaStanding::Breached {
                due: at(2026, 3, MON, 13, 0)
            }
        );
    }

    #[test]
    fn a_priority_change_recomputes_from_the_start() {
        let cal = desk();
        let targets = SlaTargets::default();
        let opened = at(2026, 3, MON, 9, 0);
        let now = at(2026, 3, MON, 11, 0);
        let warn = 30 * MINUTE;

        // As a P3 the first answer is due in one business day: Tuesday 09:00.
        let p3 = due_at(&cal, opened, targets.first_response(Priority::P3), &[]);
        assert_eq!(p3, Some(at(2026, 3, TUE, 9, 0)));
        assert!(matches!(
            standing(p3, None, now, warn),
            SlaStanding::OnTrack { .. }
        ));

        // Raised to P1 at 11:00: 30 minutes from the start, so already missed.
        let p1 = due_at(&cal, opened, targets.first_response(Priority::P1), &[]);
        assert_eq!(p1, Some(at(2026, 3, MON, 9, 30)));
        assert_eq!(
            standing(p1, None, now, warn),
            SlaStanding::Breached {
                due: at(2026, 3, MON, 9, 30)
            }
        );

        // Resolution: P3 a business week, P1 four hours from the start.
        let p3 = due_at(&cal, opened, targets.resolution(Priority::P3), &[]);
        assert_eq!(p3, Some(at(2026, 3, NEXT_MON, 9, 0)));
        let p1 = due_at(&cal, opened, targets.resolution(Priority::P1), &[]);
        assert_eq!(p1, Some(at(2026, 3, MON, 13, 0)));
        assert!(matches!(
            standing(p1, None, now, warn),
            SlaStanding::OnTrack { .. }
        ));
    }

    #[test]
    fn utc_offset_moves_the_hours() {
        let mut cal = desk();
        cal.utc_offset_minutes = 60;
        // 08:00 local at UTC+1 is 07:00 UTC; 17:00 local is 16:00 UTC.
        assert!(cal.is_open_at(at(2026, 3, MON, 7, 0)));
        assert!(!cal.is_open_at(at(2026, 3, MON, 7, 0) - 1));
        assert!(!cal.is_open_at(at(2026, 3, MON, 16, 0)));
        assert_eq!(
            due_at(&cal, at(2026, 3, FRI, 15, 0), 2 * HOUR, &[]),
            Some(at(2026, 3, NEXT_MON, 8, 0))
        );
        // A holiday is the desk's local date: Christmas at UTC+1 starts at 23:00 UTC
        // the day before.
        cal.holidays = vec![Date::new(2026, 12, 25).unwrap()];
        assert!(!cal.is_open_at(at(2026, 12, 25, 7, 30)));
        assert_eq!(
            cal.local_date(at(2026, 12, 24, 23, 0)).to_string(),
            "2026-12-25"
        );

        // West of UTC the local day straddles UTC midnight: UTC−5 opens at 13:00 UTC
        // and closes at 22:00 UTC.
        let mut west = desk();
        west.utc_offset_minutes = -5 * 60;
        assert!(west.is_open_at(at(2026, 3, FRI, 21, 59)));
        assert!(!west.is_open_at(at(2026, 3, SAT, 1, 0)));
        assert_eq!(
            due_at(&west, at(2026, 3, FRI, 21, 0), 2 * HOUR, &[]),
            Some(at(2026, 3, NEXT_MON, 14, 0))
        );
        assert_eq!(
            west.local_date(at(2026, 3, SAT, 4, 59)).to_string(),
            "2026-03-06"
        );
    }

    #[test]
    fn between_is_the_inverse_of_add() {
        let mut holiday_desk = desk();
        holiday_desk.utc_offset_minutes = 60;
        holiday_desk.holidays = ["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-11"]
            .into_iter()
            .map(|d| Date::parse(d).unwrap())
            .collect();
        // Odd hours: six days a week, late evening to midnight, west of UTC.
        let evening_desk = BusinessCalendar {
            utc_offset_minutes: -330,
            open_days: [true, true, true, true, true, true, false],
            opens_at_minute: 22 * 60 + 15,
            closes_at_minute: 1440,
            holidays: vec![Date::new(2026, 3, 3).unwrap()],
        };
        let amounts = [
            0,
            1,
            59,
            HOUR,
            105 * MINUTE,
            9 * HOUR - 1,
            9 * HOUR,
            9 * HOUR + 1,
            45 * HOUR,
            45 * HOUR + 7,
            200 * HOUR + 13,
        ];
        for cal in [desk(), holiday_desk, evening_desk] {
            let mut start = at(2026, 3, 1, 0, 0);
            let end = at(2026, 3, 15, 0, 0);
            while start < end {
                for secs in amounts {
                    let due = cal.add_business_seconds(start, secs);
                    assert!(due >= start);
                    assert_eq!(
                        cal.business_seconds_between(start, due),
                        secs,
                        "{cal:?} {start} {secs}"
                    );
                    if secs > 0 {
                        // The earliest such instant.
                        assert_eq!(cal.business_seconds_between(start, due - 1), secs - 1);
                    } else {
                        assert!(cal.is_open_at(due), "{cal:?} {start}");
                    }
                    // Splitting a span anywhere does not change its total.
                    let middle = start + (due - start) / 3;
                    assert_eq!(
                        cal.business_seconds_between(start, middle)
                            + cal.business_seconds_between(middle, due),
                        secs
                    );
                }
                start += 37 * MINUTE + 13;
            }
        }
        assert_eq!(
            desk().business_seconds_between(at(2026, 3, TUE, 9, 0), at(2026, 3, MON, 9, 0)),
            0
        );
    }

    #[test]
    fn long_spans_are_arithmetic() {
        let cal = desk();
        // 30 days from Monday 2 March: four weeks and a Monday and a Tuesday.
        let from = at(2026, 3, MON, 0, 0);
        let to = at(2026, 4, 1, 0, 0);
        assert_eq!(cal.business_seconds_between(from, to), 22 * 9 * HOUR);
        assert_eq!(
            cal.add_business_seconds(from, 22 * 9 * HOUR),
            at(2026, 3, 31, 17, 0)
        );

        // Ten years, then a century, in one call each.
        let decade = cal.business_seconds_between(at(2020, 1, 1, 0, 0), at(2030, 1, 1, 0, 0));
        assert_eq!(decade, 2_609 * 9 * HOUR);
        assert_eq!(
            cal.add_business_seconds(at(2020, 1, 1, 0, 0), decade),
            at(2029, 12, 31, 17, 0)
        );
        let century = cal.business_seconds_between(at(2000, 1, 1, 0, 0), at(2100, 1, 1, 0, 0));
        assert_eq!(
            cal.add_business_seconds(at(2000, 1, 1, 0, 0), century),
            at(2099, 12, 31, 17, 0)
        );

        // Every day a holiday for three years: the first business hour is in 2029.
        let mut closed = desk();
        closed.holidays = (days_from_civil(2026, 1, 1)..days_from_civil(2029, 1, 1))
            .map(civil_from_days)
            .collect();
        assert_eq!(
            closed.add_business_seconds(at(2026, 1, 1, 0, 0), HOUR),
            at(2029, 1, 1, 9, 0)
        );

        // Absurd inputs end, without overflow.
        assert_eq!(cal.add_business_seconds(0, i64::MAX), i64::MAX);
        assert!(cal.business_seconds_between(i64::MIN, i64::MAX) > 0);
        let mut never = desk();
        never.open_days = [false; 7];
        assert_eq!(never.add_business_seconds(0, 1), i64::MAX);
        assert_eq!(never.add_business_seconds(0, 0), i64::MAX);
        assert_eq!(due_at(&never, 0, HOUR, &[]), Some(i64::MAX));
        never = desk();
        never.opens_at_minute = 17 * 60;
        never.closes_at_minute = 8 * 60;
        assert_eq!(never.business_seconds_between(0, 1_000_000_000), 0);
        assert!(!never.is_open_at(at(2026, 3, MON, 12, 0)));
    }

    #[test]
    fn standings() {
        let due = 10_000;
        let warn = 600;
        assert_eq!(
            standing(Some(due), Some(9_000), 20_000, warn),
            SlaStanding::Met { at: 9_000 }
        );
        assert_eq!(
            standing(Some(due), Some(due), 20_000, warn),
            SlaStanding::Met { at: due }
        );
        assert_eq!(
            standing(Some(due), Some(due + 1), 20_000, warn),
            SlaStanding::Breached { due }
        );
        assert_eq!(
            standing(Some(due), None, due + 1, warn),
            SlaStanding::Breached { due }
        );
        assert_eq!(
            standing(Some(due), None, due, warn),
            SlaStanding::DueSoon { due }
        );
        assert_eq!(
            standing(Some(due), None, due - warn, warn),
            SlaStanding::DueSoon { due }
        );
        assert_eq!(
            standing(Some(due), None, due - warn - 1, warn),
            SlaStanding::OnTrack { due }
        );
        assert_eq!(standing(None, None, 20_000, warn), SlaStanding::Paused);
        assert_eq!(
            standing(None, Some(9_000), 20_000, warn),
            SlaStanding::Met { at: 9_000 }
        );

        let json = |s: SlaStanding| serde_json::to_value(s).unwrap();
        assert_eq!(
            json(SlaStanding::Paused),
            serde_json::json!({ "state": "paused" })
        );
        assert_eq!(
            json(SlaStanding::DueSoon { due }),
            serde_json::json!({ "state": "due_soon", "due": due })
        );
        assert_eq!(
            serde_json::from_value::<SlaStanding>(serde_json::json!({ "state": "met", "at": 5 }))
                .unwrap(),
            SlaStanding::Met { at: 5 }
        );
    }

    #[test]
    fn default_targets() {
        let targets = SlaTargets::default();
        assert_eq!(targets.validate(), Ok(()));
        let first: Vec<i64> = Priority::ALL
            .map(|p| targets.first_response(p) / MINUTE)
            .to_vec();
        let resolution: Vec<i64> = Priority::ALL
            .map(|p| targets.resolution(p) / MINUTE)
            .to_vec();
        assert_eq!(first, [30, 120, 540, 1080]);
        assert_eq!(resolution, [240, 1080, 2700, 5400]);
        let mut zero = targets.clone();
        zero.resolution_minutes[3] = 0;
        assert!(zero.validate().unwrap_err().message().contains("P4"));
    }

    #[test]
    fn calendar_round_trips_through_json() {
        let mut cal = desk();
        cal.holidays.push(Date::new(2026, 12, 25).unwrap());
        let json = serde_json::to_string(&cal).unwrap();
        assert_eq!(
            serde_json::from_str::<BusinessCalendar>(&json).unwrap(),
            cal
        );
    }
}
