//! The technicians' queue: which open tickets need someone first, and the filters
//! that narrow it.
//!
//! The queue is ordered by each ticket's next SLA deadline. That instant only moves
//! when the ticket changes (a reply, a pause, a priority change), never as time
//! passes, so the server stores it with the ticket ([`queue_due`]) and reads the queue
//! in order straight from an index: the first page costs the same with 100 or
//! 100,000 tickets.

use serde::{Deserialize, Serialize};

use crate::auth::StaffRole;
use crate::sla::{BusinessCalendar, Pause, Priority, SlaStanding, SlaTargets, due_at};
use crate::ticket_number::TicketNumber;
use crate::tickets::TicketStatus;
use crate::tier::Tier;

/// The sort key of a ticket no deadline runs for (resolved or closed):
/// 9999-12-31T23:59:59Z, later than any real deadline, so such tickets sort last
/// and the column needs no NULL handling.
pub const NO_DEADLINE: i64 = 253_402_300_799;

/// The sort key of an open ticket whose clock stands still (waiting for the
/// requester): after every running deadline, before the finished tickets.
pub const PAUSED: i64 = NO_DEADLINE - 1;

/// Most tickets on one page of the queue.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

/// The queue's sort key for a ticket: the earliest deadline still to meet, or
/// [`PAUSED`] / [`NO_DEADLINE`].
pub fn queue_due(
    calendar: &BusinessCalendar,
    targets: &SlaTargets,
    created_at: i64,
    priority: Priority,
    status: TicketStatus,
    first_responded_at: Option<i64>,
    pauses: &[Pause],
) -> i64 {
    if !status.is_open() {
        return NO_DEADLINE;
    }
    let first = first_responded_at
        .is_none()
        .then(|| {
            due_at(
                calendar,
                created_at,
                targets.first_response(priority),
                pauses,
            )
        })
        .flatten();
    let resolution = due_at(calendar, created_at, targets.resolution(priority), pauses);
    match (first, resolution) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => PAUSED,
    }
}

/// Which tickets by status. `Open` (the default) is every ticket someone still owes
/// work on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    #[default]
    Open,
    New,
    InProgress,
    WaitingForRequester,
    Resolved,
    Closed,
    All,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 7] = [
        Self::Open,
        Self::New,
        Self::InProgress,
        Self::WaitingForRequester,
        Self::Resolved,
        Self::Closed,
        Self::All,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::WaitingForRequester => "waiting_for_requester",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
            Self::All => "all",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == value)
    }

    /// The statuses this filter admits.
    pub fn statuses(self) -> Vec<TicketStatus> {
        use TicketStatus as S;
        match self {
            Self::Open => vec![S::New, S::InProgress, S::WaitingForRequester],
            Self::New => vec![S::New],
            Self::InProgress => vec![S::InProgress],
            Self::WaitingForRequester => vec![S::WaitingForRequester],
            Self::Resolved => vec![S::Resolved],
            Self::Closed => vec![S::Closed],
            Self::All => TicketStatus::ALL.to_vec(),
        }
    }
}

/// Who a ticket is assigned to, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum AssigneeFilter {
    Anyone,
    Me,
    Unassigned,
    Staff(i64),
}

impl AssigneeFilter {
    /// The query-string form: `me`, `none`, or a staff id.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "" | "any" => Some(Self::Anyone),
            "me" => Some(Self::Me),
            "none" => Some(Self::Unassigned),
            id => id.parse().ok().filter(|id| *id > 0).map(Self::Staff),
        }
    }

    pub fn to_query(self) -> String {
        match self {
            Self::Anyone => "any".into(),
            Self::Me => "me".into(),
            Self::Unassigned => "none".into(),
            Self::Staff(id) => id.to_string(),
        }
    }
}

/// Which deadlines, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueFilter {
    /// A deadline has passed and is still unmet.
    Breached,
    /// A deadline passes within this many hours (breached ones included: they
    /// need someone even more).
    WithinHours(u32),
}

impl DueFilter {
    pub const MAX_HOURS: u32 = 24 * 31;

    /// The query-string form: `breached`, or a number of hours.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "breached" => Some(Self::Breached),
            hours => hours
                .parse()
                .ok()
                .filter(|h| (1..=Self::MAX_HOURS).contains(h))
                .map(Self::WithinHours),
        }
    }

    pub fn to_query(self) -> String {
        match self {
            Self::Breached => "breached".into(),
            Self::WithinHours(h) => h.to_string(),
        }
    }

    /// Tickets whose sort key is below this are in.
    pub const fn before(self, now: i64) -> i64 {
        match self {
            Self::Breached => now,
            Self::WithinHours(h) => now + h as i64 * 3_600 + 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    /// The next deadline first (the default): what will breach soonest.
    #[default]
    Due,
    /// The most recently filed first.
    Newest,
}

impl QueueSort {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "due" => Some(Self::Due),
            "newest" => Some(Self::Newest),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Due => "due",
            Self::Newest => "newest",
        }
    }
}

/// A validated queue request (the server parses the query string into this; the app
/// builds it from the filter controls).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    pub status: StatusFilter,
    pub tier: Option<Tier>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    pub assignee: AssigneeFilter,
    pub due: Option<DueFilter>,
    pub sort: QueueSort,
}

impl Default for QueueFilter {
    fn default() -> Self {
        Self {
            status: StatusFilter::Open,
            tier: None,
            priority: None,
            category: None,
            assignee: AssigneeFilter::Anyone,
            due: None,
            sort: QueueSort::Due,
        }
    }
}

fn nonempty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl QueueFilter {
    /// The query string for the API and for the app's address bar (defaults left out,
    /// so a plain `/staff/tickets` is the default queue).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if self.status != StatusFilter::Open {
            parts.push(format!("status={}", self.status.as_str()));
        }
        if let Some(tier) = self.tier {
            parts.push(format!("tier={tier}"));
        }
        if let Some(priority) = self.priority {
            parts.push(format!("priority={}", priority.as_str()));
        }
        if let Some(category) = &self.category {
            parts.push(format!("category={category}"));
        }
        if self.assignee != AssigneeFilter::Anyone {
            parts.push(format!("assignee={}", self.assignee.to_query()));
        }
        if let Some(due) = self.due {
            parts.push(format!("due={}", due.to_query()));
        }
        if self.sort != QueueSort::Due {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        parts.join("&")
    }

    /// Reads the query-string values; each bad one is named with what is accepted.
    pub fn parse(
        status: Option<&str>,
        tier: Option<&str>,
        priority: Option<&str>,
        category: Option<&str>,
        assignee: Option<&str>,
        due: Option<&str>,
        sort: Option<&str>,
    ) -> Result<Self, (&'static str, String)> {
        let mut filter = Self::default();
        if let Some(v) = nonempty(status) {
            filter.status = StatusFilter::parse(v).ok_or((
                "status",
                "status is one of open, new, in_progress, waiting_for_requester, resolved, closed, all".into(),
            ))?;
        }
        if let Some(v) = nonempty(tier) {
            filter.tier = Some(Tier::parse(v).ok_or(("tier", "tier is 1, 2 or 3".into()))?);
        }
        if let Some(v) = nonempty(priority) {
            filter.priority = Some(
                Priority::parse(v)
                    .ok_or(("priority", "priority is one of p1, p2, p3, p4".into()))?,
            );
        }
        if let Some(v) = nonempty(category) {
            let valid = v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                return Err((
                    "category",
                    "category is a category slug such as printing".into(),
                ));
            }
            filter.category = Some(v.to_owned());
        }
        if let Some(v) = nonempty(assignee) {
            filter.assignee = AssigneeFilter::parse(v)
                .ok_or(("assignee", "assignee is me, none, any or a staff id".into()))?;
        }
        if let Some(v) = nonempty(due) {
            filter.due = Some(DueFilter::parse(v).ok_or((
                "due",
                format!(
                    "due is breached or a number of hours from 1 to {}",
                    DueFilter::MAX_HOURS
                ),
            ))?);
        }
        if let Some(v) = nonempty(sort) {
            filter.sort = QueueSort::parse(v).ok_or(("sort", "sort is due or newest".into()))?;
        }
        Ok(filter)
    }
}

/// Where the next page starts: the last row's sort key and id. Opaque to clients,
/// which pass `next` back as `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("{}.{}", self.key, self.id)
    }

    pub fn parse(value: &str) -> Option<Self> {
        let (key, id) = value.split_once('.')?;
        Some(Self {
            key: key.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// A staff member as a ticket names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRef {
    pub id: i64,
    pub display_name: String,
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub number: TicketNumber,
    pub subject: String,
    pub requester_name: String,
    pub category: String,
    pub status: TicketStatus,
    pub tier: Tier,
    pub priority: Priority,
    #[serde(default)]
    pub assignee: Option<StaffRef>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The next deadline and how it stands now; `Paused` while waiting for the
    /// requester, `Met` once nothing is due.
    pub sla: SlaStanding,
}

/// How many open tickets each quick filter would show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueCounts {
    pub open: i64,
    pub new: i64,
    pub in_progress: i64,
    pub waiting_for_requester: i64,
    /// Open tickets at tier 1, 2 and 3.
    pub tiers: [i64; 3],
    pub mine: i64,
    pub unassigned: i64,
    pub breached: i64,
    /// Open tickets with a deadline within the next `due_soon_hours`.
    pub due_soon: i64,
    pub due_soon_hours: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuePage {
    pub tickets: Vec<QueueItem>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(default)]
    pub next: Option<String>,
    pub counts: QueueCounts,
}

/// Changes a ticket's priority; its deadlines are recomputed from when it was filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityChangeRequest {
    pub priority: Priority,
}

/// Assigns a ticket (`null` to unassign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignRequest {
    pub assignee: Option<i64>,
}

/// A colleague a ticket can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignee {
    pub id: i64,
    pub display_name: String,
    /// The highest tier they work at.
    pub tier: Tier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssigneeList {
    pub staff: Vec<Assignee>,
}

/// Sent on the queue's live stream when a ticket arrives or changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueChange {
    /// The ticket's number; empty when the server lost track of which tickets changed
    /// (reload the whole queue).
    pub number: String,
}

/// The highest tier a role works at; admins may act at every tier.
pub const fn role_tier(role: StaffRole) -> Tier {
    match role {
        StaffRole::Tier1 => Tier::FIRST,
        StaffRole::Tier2 => Tier::SECOND,
        StaffRole::Tier3 | StaffRole::Admin => Tier::THIRD,
    }
}

/// Whether someone with `role` may change a ticket at `tier` (status, assignment,
/// de-escalation). Anyone may read, reply, note and escalate: first line answers
/// for the ticket even while specialists work on it, but it does not overrule them.
pub const fn may_work(role: StaffRole, tier: Tier) -> bool {
    role_tier(role).get() >= tier.get()
}

/// The standing of the next deadline shown in a queue row.
pub fn row_standing(key: i64, now: i64, warn_before_secs: i64) -> SlaStanding {
    match key {
        NO_DEADLINE => SlaStanding::Met { at: now },
        PAUSED => SlaStanding::Paused,
        due => crate::sla::standing(Some(due), None, now, warn_before_secs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600;
    // Monday 2026-03-02 09:00 UTC, within the default desk hours.
    const MONDAY_9: i64 = 1_772_409_600 + 9 * HOUR;

    fn due(status: TicketStatus, responded: Option<i64>, pauses: &[Pause]) -> i64 {
        queue_due(
            &BusinessCalendar::default(),
            &SlaTargets::default(),
            MONDAY_9,
            Priority::P2,
            status,
            responded,
            pauses,
        )
    }

    #[test]
    fn the_first_response_comes_first_then_the_resolution() {
        let targets = SlaTargets::default();
        let calendar = BusinessCalendar::default();
        let first = due_at(
            &calendar,
            MONDAY_9,
            targets.first_response(Priority::P2),
            &[],
        );
        let resolution = due_at(&calendar, MONDAY_9, targets.resolution(Priority::P2), &[]);
        assert!(first < resolution);
        assert_eq!(Some(due(TicketStatus::New, None, &[])), first);
        assert_eq!(
            Some(due(TicketStatus::InProgress, Some(MONDAY_9 + 60), &[])),
            resolution
        );
    }

    #[test]
    fn finished_and_waiting_tickets_sort_last() {
        assert_eq!(due(TicketStatus::Resolved, None, &[]), NO_DEADLINE);
        assert_eq!(due(TicketStatus::Closed, Some(MONDAY_9), &[]), NO_DEADLINE);
        let waiting = [Pause {
            from: MONDAY_9 + 60,
            until: None,
        }];
        assert_eq!(
            due(
                TicketStatus::WaitingForRequester,
                Some(MONDAY_9 + 30),
                &waiting
            ),
            PAUSED
        );
        const { assert!(PAUSED < NO_DEADLINE) };
    }

    #[test]
    fn a_raised_priority_brings_the_deadline_forward() {
        let calendar = BusinessCalendar::default();
        let targets = SlaTargets::default();
        let at = |p| {
            queue_due(
                &calendar,
                &targets,
                MONDAY_9,
                p,
                TicketStatus::New,
                None,
                &[],
            )
        };
        assert!(at(Priority::P1) < at(Priority::P2));
        assert!(at(Priority::P2) <= at(Priority::P4));
    }

    #[test]
    fn filters_parse_and_round_trip() {
        let filter = QueueFilter::parse(
            Some("all"),
            Some("2"),
            Some("p1"),
            Some("printing"),
            Some("me"),
            Some("4"),
            Some("newest"),
        )
        .unwrap();
        assert_eq!(filter.tier, Some(Tier::SECOND));
        assert_eq!(filter.assignee, AssigneeFilter::Me);
        assert_eq!(filter.due, Some(DueFilter::WithinHours(4)));
        assert_eq!(
            filter.to_query(),
            "status=all&tier=2&priority=p1&category=printing&assignee=me&due=4&sort=newest"
        );
        assert_eq!(QueueFilter::default().to_query(), "");
        let bad = |f: fn() -> Result<QueueFilter, (&'static str, String)>| f().unwrap_err().0;
        assert_eq!(
            bad(|| QueueFilter::parse(Some("opened"), None, None, None, None, None, None)),
            "status"
        );
        assert_eq!(
            bad(|| QueueFilter::parse(None, Some("4"), None, None, None, None, None)),
            "tier"
        );
        assert_eq!(
            bad(|| QueueFilter::parse(None, None, Some("urgent"), None, None, None, None)),
            "priority"
        );
        assert_eq!(
            bad(|| QueueFilter::parse(None, None, None, Some("Print'ing"), None, None, None)),
            "category"
        );
        assert_eq!(
            bad(|| QueueFilter::parse(None, None, None, None, Some("-3"), None, None)),
            "assignee"
        );
        assert_eq!(
            bad(|| QueueFilter::parse(None, None, None, None, None, Some("0"), None)),
            "due"
        );
        assert_eq!(
            bad(|| QueueFilter::parse(None, None, None, None, None, None, Some("oldest"))),
            "sort"
        );
    }

    #[test]
    fn cursors_round_trip_and_refuse_junk() {
        let c = Cursor {
            key: PAUSED,
            id: 42,
        };
        assert_eq!(Cursor::parse(&c.encode()), Some(c));
        for junk in ["", "12", "a.b", "1.2.3", ".5"] {
            assert_eq!(Cursor::parse(junk), None, "{junk}");
        }
    }

    #[test]
    fn who_may_work_which_tier() {
        assert!(may_work(StaffRole::Tier1, Tier::FIRST));
        assert!(!may_work(StaffRole::Tier1, Tier::SECOND));
        assert!(may_work(StaffRole::Tier2, Tier::SECOND));
        assert!(!may_work(StaffRole::Tier2, Tier::THIRD));
        assert!(may_work(StaffRole::Tier3, Tier::THIRD));
        assert!(may_work(StaffRole::Admin, Tier::THIRD));
    }

    #[test]
    fn due_within_counts_breached_too() {
        let now = MONDAY_9;
        assert_eq!(DueFilter::Breached.before(now), now);
        assert_eq!(DueFilter::WithinHours(2).before(now), now + 2 * HOUR + 1);
    }
}
