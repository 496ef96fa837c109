//! One ticket's facts: what the insight figures count, worked out once from the
//! ticket, its timeline and its pauses with the service levels in force, and stored
//! (`store::insight`), so that no figure recomputes business time when it is read.
//!
//! [`facts`] is pure: the caller reads the ticket, its events in order and its pauses
//! (and whether it is a repeat contact, which needs the other tickets). Durations are
//! business minutes of the service levels' calendar with the time spent waiting for
//! the requester left out, rounded up, so that a duration within its target is exactly
//! a target met. Deadlines are judged as the ticket page judges them
//! (`tickets::view::deadline`): from filing, with the ticket's priority now (a priority
//! change recomputes the deadlines from the start), paused time not counted.

use selfdesk_shared::insight::REOPEN_WINDOW_DAYS;
use selfdesk_shared::sla::{BusinessCalendar, Pause, Priority};
use selfdesk_shared::tickets::{ActorKind, TicketChange, TicketStatus};
use selfdesk_shared::tier::Tier;

use super::words::subject_words;
use crate::tickets::SlaPolicy;
use crate::tickets::view::deadline;

/// The ticket as stored, in the parts the facts need.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: i64,
    /// `tickets.revision`: the facts are written only over this revision.
    pub revision: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub category: String,
    pub priority: Priority,
    pub status: TicketStatus,
    /// The tier now (the tier at filing when no tier change was recorded).
    pub tier: Tier,
    pub requester_email: String,
    pub subject: String,
    pub session_hash: Option<String>,
    pub incident_id: Option<i64>,
    /// The stored columns, read only when the timeline does not tell (history written
    /// without events).
    pub first_responded_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub rating: Option<u8>,
    /// The same requester (address in any case) filed another ticket in the same
    /// category within `REPEAT_WINDOW_DAYS` before this one (`store::insight` asks).
    pub repeat_contact: bool,
}

/// One timeline event.
#[derive(Debug, Clone)]
pub struct Event {
    pub at: i64,
    pub actor: ActorKind,
    /// The technician who acted, when one did.
    pub staff_id: Option<i64>,
    pub change: TicketChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFacts {
    pub ticket_id: i64,
    pub revision: i64,
    pub created_at: i64,
    pub category: String,
    pub priority: Priority,
    /// The requester's address, lower-cased.
    pub requester: String,
    pub session_hash: Option<String>,
    pub incident_id: Option<i64>,
    /// Resolved or closed now, as the timeline tells (the same as the status, for any
    /// ticket the server wrote): so the tickets open now are exactly those filed, less
    /// the resolutions, plus the reopenings.
    pub done: bool,
    pub repeat_contact: bool,
    /// The first public reply by staff.
    pub first_response: Option<FirstResponse>,
    /// When the first-response deadline passed with no answer while the ticket was
    /// open — possibly still to come: readers count only those before now.
    pub first_response_breach: Option<Breach>,
    /// When the resolution deadline passed while the ticket was open (unresolved).
    pub resolution_breach: Option<Breach>,
    /// Every resolution, oldest first: a ticket resolved twice counts twice.
    pub resolutions: Vec<Resolution>,
    /// Every stay at a tier that ended (by escalation, sending back or resolution).
    pub tier_stays: Vec<TierStay>,
    /// Ever moved up a tier.
    pub escalated: bool,
    /// Ever reopened after a resolution (by the requester, or by staff).
    pub reopened: bool,
    pub rating: Option<Rating>,
    /// The subject's words worth counting (`words::subject_words`).
    pub subject_words: Vec<String>,
}

impl TicketFacts {
    /// The latest resolution.
    pub fn latest_resolution(&self) -> Option<&Resolution> {
        self.resolutions.last()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstResponse {
    pub at: i64,
    /// `None` when only the stored column tells that an answer came.
    pub by: Option<i64>,
    pub minutes: i64,
    pub met: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub at: i64,
    /// The technician who resolved it (`None`: not known).
    pub by: Option<i64>,
    /// Business minutes from filing to this resolution.
    pub minutes: i64,
    /// Made by the resolution deadline.
    pub met: bool,
    /// The tier the ticket was at.
    pub tier: Tier,
    /// When the ticket was next reopened, if it was.
    pub reopened_at: Option<i64>,
    /// Public staff replies from filing up to this resolution.
    pub public_replies: i64,
    /// Exactly one public staff reply before it, and the ticket never escalated and
    /// never reopened.
    pub first_contact: bool,
}

impl Resolution {
    /// Reopened within [`REOPEN_WINDOW_DAYS`] of this resolution.
    pub fn reopened_soon(&self) -> bool {
        self.reopened_at
            .is_some_and(|at| at - self.at <= REOPEN_WINDOW_DAYS * 86_400)
    }
}

/// A deadline that passed unmet, and the tier the ticket was at then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breach {
    pub at: i64,
    pub tier: Tier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierStay {
    pub tier: Tier,
    pub from: i64,
    pub until: i64,
    /// Business minutes at the tier, paused time left out.
    pub minutes: i64,
    pub ended: StayEnd,
}

/// How a stay at a tier ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayEnd {
    Escalated,
    SentBack,
    Resolved,
}

impl StayEnd {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Escalated => "escalated",
            Self::SentBack => "sent_back",
            Self::Resolved => "resolved",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating {
    pub value: u8,
    pub at: i64,
}

/// Business time with the ticket's pauses left out.
struct Clock<'a> {
    calendar: &'a BusinessCalendar,
    /// The pauses merged into disjoint spans, in order; an open one runs to the end
    /// of time.
    paused: Vec<(i64, i64)>,
}

impl<'a> Clock<'a> {
    fn new(calendar: &'a BusinessCalendar, pauses: &[Pause]) -> Self {
        let mut spans: Vec<(i64, i64)> = pauses
            .iter()
            .map(|p| (p.from, p.until.unwrap_or(i64::MAX)))
            .filter(|(from, until)| until > from)
            .collect();
        spans.sort_unstable();
        let mut paused: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
        for (from, until) in spans {
            match paused.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(until),
                _ => paused.push((from, until)),
            }
        }
        Self { calendar, paused }
    }

    /// Business seconds in [from, to) while the ticket was not waiting.
    fn seconds(&self, from: i64, to: i64) -> i64 {
        let all = self.calendar.business_seconds_between(from, to);
        let waiting: i64 = self
            .paused
            .iter()
            .map(|&(a, b)| {
                self.calendar
                    .business_seconds_between(a.max(from), b.min(to))
            })
            .sum();
        (all - waiting).max(0)
    }

    /// [`Self::seconds`] in minutes, rounded up: 30 minutes and one second is 31, so a
    /// duration within a target in minutes is the target met.
    fn minutes(&self, from: i64, to: i64) -> i64 {
        (self.seconds(from, to) + 59).div_euclid(60)
    }
}

/// The facts of `ticket` from its events (in the order they happened) and pauses, with
/// the service levels of `policy`.
pub fn facts(
    ticket: &Ticket,
    events: &[Event],
    pauses: &[Pause],
    policy: &SlaPolicy,
) -> TicketFacts {
    let calendar = &policy.calendar;
    let clock = Clock::new(calendar, pauses);
    let created = ticket.created_at;

    // The tier at filing: where the first recorded tier change started from.
    let first_tier = events
        .iter()
        .find_map(|e| match e.change {
            TicketChange::Tier { from, .. } => Some(from),
            _ => None,
        })
        .unwrap_or(ticket.tier);
    let mut walk = Walk {
        created,
        tier: first_tier,
        tiers: vec![(created, first_tier)],
        open: true,
        stay_from: Some(created),
        stays: Vec::new(),
        resolutions: Vec::new(),
        staff_replies: 0,
        reopened: false,
    };
    let mut first_response: Option<(i64, Option<i64>)> = None;
    let mut escalated = false;
    let mut rating = None;
    for event in events {
        match &event.change {
            TicketChange::Reply { .. } if event.actor == ActorKind::Staff => {
                walk.staff_replies += 1;
                first_response.get_or_insert((event.at, event.staff_id));
            }
            TicketChange::Tier { from, to, .. } => {
                escalated |= to > from;
                let ended = if to > from {
                    StayEnd::Escalated
                } else {
                    StayEnd::SentBack
                };
                walk.end_stay(event.at, ended, &clock);
                walk.tier = *to;
                walk.tiers.push((event.at, *to));
                if walk.open {
                    walk.stay_from = Some(event.at);
                }
            }
            TicketChange::Status {
                to: TicketStatus::Resolved,
                ..
            } => walk.resolve(event.at, event.staff_id, &clock),
            TicketChange::Status {
                from: TicketStatus::Resolved,
                to: TicketStatus::InProgress,
                ..
            }
            | TicketChange::Reopened { .. } => walk.reopen(event.at),
            TicketChange::Rated { rating: value, .. } => {
                rating = Some(Rating {
                    value: *value,
                    at: event.at,
                })
            }
            _ => {}
        }
    }
    // History written without its events: the stored columns say what happened, if
    // not who did it.
    if walk.resolutions.is_empty() && !ticket.status.is_open() {
        let at = ticket
            .resolved_at
            .or(ticket.closed_at)
            .unwrap_or(ticket.updated_at);
        walk.resolve(at, None, &clock);
    }
    let first_response = first_response.or(ticket.first_responded_at.map(|at| (at, None)));
    let rating = rating.or(ticket.rating.map(|value| Rating {
        value,
        at: ticket.closed_at.unwrap_or(ticket.updated_at),
    }));

    let first_target = policy.targets.first_response(ticket.priority);
    let resolution_target = policy.targets.resolution(ticket.priority);
    let reopened = walk.reopened;
    let resolutions: Vec<Resolution> = walk
        .resolutions
        .iter()
        .map(|r| {
            let due = deadline(calendar, created, resolution_target, pauses, Some(r.at));
            Resolution {
                met: due.is_none_or(|due| r.at <= due),
                first_contact: r.public_replies == 1 && !escalated && !reopened,
                ..*r
            }
        })
        .collect();

    let first_response = first_response.map(|(at, by)| {
        let due = deadline(calendar, created, first_target, pauses, Some(at));
        FirstResponse {
            at,
            by,
            minutes: clock.minutes(created, at),
            met: due.is_none_or(|due| at <= due),
        }
    });
    let answered_at = first_response.map(|f| f.at);
    let first_response_breach = deadline(calendar, created, first_target, pauses, answered_at)
        .filter(|&due| answered_at.is_none_or(|at| at > due) && walk.open_at(due))
        .map(|due| Breach {
            at: due,
            tier: walk.tier_at(due),
        });
    let resolution_breach = deadline(calendar, created, resolution_target, pauses, None)
        .filter(|&due| walk.open_at(due))
        .map(|due| Breach {
            at: due,
            tier: walk.tier_at(due),
        });

    TicketFacts {
        ticket_id: ticket.id,
        revision: ticket.revision,
        created_at: created,
        category: ticket.category.clone(),
        priority: ticket.priority,
        requester: ticket.requester_email.to_lowercase(),
        session_hash: ticket.session_hash.clone(),
        incident_id: ticket.incident_id,
        done: !walk.open,
        repeat_contact: ticket.repeat_contact,
        first_response,
        first_response_breach,
        resolution_breach,
        resolutions,
        tier_stays: walk.stays,
        escalated,
        reopened,
        rating,
        subject_words: subject_words(&ticket.subject),
    }
}

/// The ticket's life as the events are walked.
struct Walk {
    created: i64,
    tier: Tier,
    /// From which instant each tier held, in order.
    tiers: Vec<(i64, Tier)>,
    /// Neither resolved nor closed.
    open: bool,
    /// When the current stay at `tier` began (none while resolved).
    stay_from: Option<i64>,
    stays: Vec<TierStay>,
    /// `met` and `first_contact` are decided once the whole timeline is known.
    resolutions: Vec<Resolution>,
    staff_replies: i64,
    reopened: bool,
}

impl Walk {
    fn end_stay(&mut self, at: i64, ended: StayEnd, clock: &Clock) {
        if let Some(from) = self.stay_from.take() {
            self.stays.push(TierStay {
                tier: self.tier,
                from,
                until: at,
                minutes: clock.minutes(from, at),
                ended,
            });
        }
    }

    fn resolve(&mut self, at: i64, by: Option<i64>, clock: &Clock) {
        if !self.open {
            return;
        }
        self.open = false;
        self.end_stay(at, StayEnd::Resolved, clock);
        self.resolutions.push(Resolution {
            at,
            by,
            minutes: clock.minutes(self.created, at),
            met: false,
            tier: self.tier,
            reopened_at: None,
            public_replies: self.staff_replies,
            first_contact: false,
        });
    }

    fn reopen(&mut self, at: i64) {
        if self.open {
            return;
        }
        self.open = true;
        self.reopened = true;
        self.stay_from = Some(at);
        if let Some(last) = self.resolutions.last_mut() {
            last.reopened_at = Some(at);
        }
    }

    /// Whether the ticket was open (filed, and not resolved) at instant `t`. Something
    /// done at a deadline is done in time, so at its own resolution instant a ticket
    /// is no longer open.
    fn open_at(&self, t: i64) -> bool {
        t >= self.created
            && !self
                .resolutions
                .iter()
                .any(|r| r.at <= t && r.reopened_at.is_none_or(|reopened| t < reopened))
    }

    fn tier_at(&self, t: i64) -> Tier {
        self.tiers
            .iter()
            .take_while(|(from, _)| *from <= t)
            .last()
            .map_or(self.tiers[0].1, |&(_, tier)| tier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use selfdesk_shared::sla::Date;

    const MIN: i64 = 60;
    const HOUR: i64 = 3_600;
    const DAY: i64 = 86_400;
    const TECH: i64 = 7;
    const EXPERT: i64 = 9;

    /// UTC instant of a date and time (the default calendar is UTC, Mon–Fri 08–17).
    fn at(y: i32, m: u8, d: u8, h: i64, min: i64) -> i64 {
        Date::new(y, m, d).unwrap().start_in(0) + h * HOUR + min * MIN
    }

    /// Monday 2 March 2026.
    fn monday(h: i64, min: i64) -> i64 {
        at(2026, 3, 2, h, min)
    }

    fn ticket(priority: Priority, status: TicketStatus, created_at: i64) -> Ticket {
        Ticket {
            id: 1,
            revision: 4,
            created_at,
            updated_at: created_at,
            category: "printing".into(),
            priority,
            status,
            tier: Tier::FIRST,
            requester_email: "Ada@Example.ORG".into(),
            subject: "Printer prints blank pages again".into(),
            session_hash: Some("abc".into()),
            incident_id: None,
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            rating: None,
            repeat_contact: false,
        }
    }

    fn staff(at: i64, id: i64, change: TicketChange) -> Event {
        Event {
            at,
            actor: ActorKind::Staff,
            staff_id: Some(id),
            change,
        }
    }

    fn requester(at: i64, change: TicketChange) -> Event {
        Event {
            at,
            actor: ActorKind::Requester,
            staff_id: None,
            change,
        }
    }

    fn reply() -> TicketChange {
        TicketChange::Reply {
            body: "On it".into(),
        }
    }

    fn status(from: TicketStatus, to: TicketStatus) -> TicketChange {
        TicketChange::Status {
            from,
            to,
            summary: None,
        }
    }

    fn resolved(from: TicketStatus) -> TicketChange {
        status(from, TicketStatus::Resolved)
    }

    fn tier(from: Tier, to: Tier) -> TicketChange {
        TicketChange::Tier {
            from,
            to,
            reason: "Needs the print server team".into(),
        }
    }

    fn policy() -> SlaPolicy {
        SlaPolicy::default()
    }

    #[test]
    fn one_answer_then_fixed_is_a_first_contact_resolution() {
        use TicketStatus::*;
        let t = ticket(Priority::P3, Closed, monday(9, 0));
        let events = [
            requester(monday(9, 0), TicketChange::Created),
            staff(monday(9, 20), TECH, reply()),
            staff(monday(10, 0), TECH, resolved(InProgress)),
            requester(monday(11, 0), TicketChange::Confirmed),
            requester(
                monday(11, 0),
                TicketChange::Rated {
                    rating: 5,
                    comment: String::new(),
                },
            ),
        ];
        let f = facts(&t, &events, &[], &policy());
        assert_eq!(
            f.first_response,
            Some(FirstResponse {
                at: monday(9, 20),
                by: Some(TECH),
                minutes: 20,
                met: true
            })
        );
        assert_eq!(
            f.resolutions,
            [Resolution {
                at: monday(10, 0),
                by: Some(TECH),
                minutes: 60,
                met: true,
                tier: Tier::FIRST,
                reopened_at: None,
                public_replies: 1,
                first_contact: true,
            }]
        );
        assert_eq!(
            f.tier_stays,
            [TierStay {
                tier: Tier::FIRST,
                from: monday(9, 0),
                until: monday(10, 0),
                minutes: 60,
                ended: StayEnd::Resolved
            }]
        );
        assert_eq!(
            f.rating,
            Some(Rating {
                value: 5,
                at: monday(11, 0)
            })
        );
        assert_eq!((f.first_response_breach, f.resolution_breach), (None, None));
        assert!(f.done && !f.escalated && !f.reopened);
        assert_eq!(f.requester, "ada@example.org");
        assert_eq!(f.subject_words, ["printer", "prints", "blank", "pages"]);
        assert_eq!((f.ticket_id, f.revision), (1, 4));
    }

    #[test]
    fn two_answers_or_an_internal_note_decide_first_contact() {
        use TicketStatus::*;
        let t = ticket(Priority::P3, Resolved, monday(9, 0));
        let mut events = vec![
            staff(monday(9, 20), TECH, reply()),
            staff(
                monday(9, 30),
                TECH,
                TicketChange::InternalNote {
                    body: "Toner?".into(),
                },
            ),
            requester(monday(9, 40), reply()),
            staff(monday(10, 0), TECH, resolved(InProgress)),
        ];
        let f = facts(&t, &events, &[], &policy());
        assert!(
            f.resolutions[0].first_contact,
            "notes and requester replies do not count"
        );
        events.insert(3, staff(monday(9, 50), TECH, reply()));
        let f = facts(&t, &events, &[], &policy());
        assert_eq!(f.resolutions[0].public_replies, 2);
        assert!(!f.resolutions[0].first_contact);
        // Resolved without any answer: no first response, and no first contact either.
        let f = facts(&t, &events[3..][1..], &[], &policy());
        assert_eq!(f.first_response, None);
        assert_eq!(f.resolutions[0].public_replies, 0);
        assert!(!f.resolutions[0].first_contact);
        assert_eq!(f.first_response_breach, None, "resolved before it was due");
    }

    #[test]
    fn waiting_for_the_requester_is_left_out_of_every_duration() {
        use TicketStatus::*;
        // P1 filed Monday 09:00, asked a question at 09:10, answered Tuesday 09:00,
        // resolved Tuesday 10:00. Business time 09:00 Mon → 10:00 Tue is 8 h + 2 h =
        // 600 min; waiting covered 09:10–17:00 Mon (470) and 08:00–09:00 Tue (60): 70.
        let t = ticket(Priority::P1, Resolved, monday(9, 0));
        let tuesday = |h, m| at(2026, 3, 3, h, m);
        let events = [
            staff(monday(9, 10), TECH, reply()),
            staff(monday(9, 10), TECH, status(InProgress, WaitingForRequester)),
            requester(tuesday(9, 0), reply()),
            staff(tuesday(10, 0), TECH, resolved(InProgress)),
        ];
        let pauses = [Pause {
            from: monday(9, 10),
            until: Some(tuesday(9, 0)),
        }];
        let f = facts(&t, &events, &pauses, &policy());
        assert_eq!(f.first_response.unwrap().minutes, 10);
        let resolution = f.resolutions[0];
        assert_eq!(resolution.minutes, 70);
        // Due after 240 running minutes: 10 on Monday, then 230 from Tuesday 09:00.
        assert!(resolution.met);
        assert_eq!(f.tier_stays[0].minutes, 70);
        assert_eq!(f.resolution_breach, None);
        // Without the pause the same resolution took 600 minutes and was late.
        let f = facts(&t, &events, &[], &policy());
        assert_eq!(f.resolutions[0].minutes, 600);
        assert!(!f.resolutions[0].met);
        assert_eq!(
            f.resolution_breach,
            Some(Breach {
                at: monday(13, 0),
                tier: Tier::FIRST
            })
        );
    }

    #[test]
    fn still_waiting_has_no_deadline_to_miss() {
        use TicketStatus::*;
        let t = ticket(Priority::P1, WaitingForRequester, monday(9, 0));
        let events = [
            staff(monday(9, 10), TECH, reply()),
            staff(monday(9, 10), TECH, status(InProgress, WaitingForRequester)),
        ];
        let pauses = [Pause {
            from: monday(9, 10),
            until: None,
        }];
        let f = facts(&t, &events, &pauses, &policy());
        assert_eq!(f.resolution_breach, None);
        assert!(f.resolutions.is_empty() && f.tier_stays.is_empty() && !f.done);
        // Never answered and not waiting: the first-response deadline is recorded
        // (readers count it once it is past).
        let f = facts(&t, &[], &[], &policy());
        assert_eq!(
            f.first_response_breach,
            Some(Breach {
                at: monday(9, 30),
                tier: Tier::FIRST
            })
        );
    }

    #[test]
    fn an_escalated_ticket_breaches_at_the_tier_it_has_then() {
        use TicketStatus::*;
        // P1: answer due 09:30, resolution 13:00. Escalated at 09:20 unanswered;
        // answered at 10:00 and resolved at 14:00 by tier 2.
        let t = ticket(Priority::P1, Resolved, monday(9, 0));
        let events = [
            staff(monday(9, 20), TECH, tier(Tier::FIRST, Tier::SECOND)),
            staff(monday(10, 0), EXPERT, reply()),
            staff(monday(14, 0), EXPERT, resolved(InProgress)),
        ];
        let f = facts(&t, &events, &[], &policy());
        let first = f.first_response.unwrap();
        assert_eq!(
            (first.by, first.minutes, first.met),
            (Some(EXPERT), 60, false)
        );
        let at_tier_2 = |at| Breach {
            at,
            tier: Tier::SECOND,
        };
        assert_eq!(f.first_response_breach, Some(at_tier_2(monday(9, 30))));
        assert_eq!(f.resolution_breach, Some(at_tier_2(monday(13, 0))));
        let resolution = f.resolutions[0];
        assert_eq!(
            (resolution.minutes, resolution.met, resolution.tier),
            (300, false, Tier::SECOND)
        );
        assert!(f.escalated && !resolution.first_contact);
        assert_eq!(
            f.tier_stays,
            [
                TierStay {
                    tier: Tier::FIRST,
                    from: monday(9, 0),
                    until: monday(9, 20),
                    minutes: 20,
                    ended: StayEnd::Escalated
                },
                TierStay {
                    tier: Tier::SECOND,
                    from: monday(9, 20),
                    until: monday(14, 0),
                    minutes: 280,
                    ended: StayEnd::Resolved
                }
            ]
        );
        // Sent back down, then resolved at tier 1.
        let events = [
            staff(monday(9, 20), TECH, tier(Tier::FIRST, Tier::SECOND)),
            staff(monday(9, 40), EXPERT, tier(Tier::SECOND, Tier::FIRST)),
            staff(monday(10, 0), TECH, resolved(InProgress)),
        ];
        let f = facts(&t, &events, &[], &policy());
        let ends: Vec<_> = f.tier_stays.iter().map(|s| (s.tier, s.ended)).collect();
        assert_eq!(
            ends,
            [
                (Tier::FIRST, StayEnd::Escalated),
                (Tier::SECOND, StayEnd::SentBack),
                (Tier::FIRST, StayEnd::Resolved)
            ]
        );
        assert_eq!(f.resolutions[0].tier, Tier::FIRST);
        assert_eq!(f.first_response_breach.unwrap().tier, Tier::SECOND);
    }

    #[test]
    fn a_reopened_ticket_counts_each_resolution() {
        use TicketStatus::*;
        // P3 (resolution due in 2,700 business minutes: 5 days of 9 hours). Resolved
        // Monday 10:00, reopened by the requester Wednesday, resolved again Thursday,
        // reopened by staff nine days later, resolved a third time.
        let t = ticket(Priority::P3, Resolved, monday(9, 0));
        let wednesday = at(2026, 3, 4, 9, 0);
        let thursday = at(2026, 3, 5, 9, 0);
        let later = thursday + 9 * DAY;
        let events = [
            staff(monday(9, 30), TECH, reply()),
            staff(monday(10, 0), TECH, resolved(InProgress)),
            requester(
                wednesday,
                TicketChange::Reopened {
                    reason: "Blank again".into(),
                },
            ),
            staff(thursday, TECH, resolved(InProgress)),
            staff(later, EXPERT, status(Resolved, InProgress)),
            staff(later + HOUR, EXPERT, resolved(InProgress)),
        ];
        let f = facts(&t, &events, &[], &policy());
        assert!(f.reopened);
        let summary: Vec<_> = f
            .resolutions
            .iter()
            .map(|r| (r.minutes, r.met, r.reopened_soon(), r.first_contact))
            .collect();
        // Mon 09:00 → 10:00 is 60 min; → Thu 09:00 is 8 + 9 + 9 + 1 hours = 1,620 min;
        // → Saturday 14 March is 8 + 4 × 9 + 5 × 9 = 89 hours, past the deadline
        // (2,700 minutes from Monday 09:00: Monday 9 March 09:00).
        assert_eq!(
            summary,
            [
                (60, true, true, false),
                (1_620, true, false, false),
                (89 * 60, false, false, false)
            ]
        );
        assert_eq!(f.resolutions[0].reopened_at, Some(wednesday));
        assert_eq!(f.resolutions[1].reopened_at, Some(later));
        assert_eq!(f.tier_stays.len(), 3);
        assert_eq!(
            f.tier_stays[1].from, wednesday,
            "a new stay begins at the reopening"
        );
        // When the resolution deadline passed (Monday 9 March 09:00) the ticket stood
        // resolved (from Thursday until the second reopening): no breach.
        assert_eq!(f.resolution_breach, None);
    }

    #[test]
    fn business_minutes_follow_the_desks_time_zone() {
        use TicketStatus::*;
        // A desk at UTC−5 (08:00–17:00 local = 13:00–22:00 UTC). Filed Friday 21:00
        // UTC (16:00 local), answered Monday 14:00 UTC (09:00 local): one hour on
        // Friday and one on Monday.
        let mut west = policy();
        west.calendar.utc_offset_minutes = -300;
        let friday = at(2026, 3, 6, 21, 0);
        let t = ticket(Priority::P4, InProgress, friday);
        let events = [staff(at(2026, 3, 9, 14, 0), TECH, reply())];
        let f = facts(&t, &events, &[], &west);
        assert_eq!(f.first_response.unwrap().minutes, 120);
        // The same instants on a desk at UTC: filed after Friday's closing, answered
        // six hours into Monday.
        let f = facts(&t, &events, &[], &policy());
        assert_eq!(f.first_response.unwrap().minutes, 360);
        // Part of a minute is a minute.
        let events = [staff(monday(9, 0) + 61, TECH, reply())];
        let f = facts(
            &ticket(Priority::P4, InProgress, monday(9, 0)),
            &events,
            &[],
            &policy(),
        );
        assert_eq!(f.first_response.unwrap().minutes, 2);
    }

    #[test]
    fn history_without_events_is_read_from_the_stored_columns() {
        use TicketStatus::*;
        let mut t = ticket(Priority::P2, Closed, monday(9, 0));
        t.tier = Tier::SECOND;
        t.first_responded_at = Some(monday(9, 45));
        t.resolved_at = Some(monday(12, 0));
        t.closed_at = Some(monday(15, 0));
        t.rating = Some(2);
        t.repeat_contact = true;
        let f = facts(&t, &[], &[], &policy());
        let first = f.first_response.unwrap();
        assert_eq!((first.by, first.minutes, first.met), (None, 45, true));
        let resolution = f.resolutions[0];
        assert_eq!(
            (resolution.by, resolution.minutes, resolution.tier),
            (None, 180, Tier::SECOND)
        );
        assert_eq!(
            f.rating,
            Some(Rating {
                value: 2,
                at: monday(15, 0)
            })
        );
        assert!(f.repeat_contact && f.done);
    }

    #[test]
    fn a_priority_raised_later_judges_from_the_start() {
        use TicketStatus::*;
        // Answered after 60 minutes: within a P3's 540, beyond a P1's 30.
        let events = [staff(monday(10, 0), TECH, reply())];
        let p3 = facts(
            &ticket(Priority::P3, InProgress, monday(9, 0)),
            &events,
            &[],
            &policy(),
        );
        assert!(p3.first_response.unwrap().met);
        let p1 = facts(
            &ticket(Priority::P1, InProgress, monday(9, 0)),
            &events,
            &[],
            &policy(),
        );
        assert!(!p1.first_response.unwrap().met);
        assert_eq!(p1.first_response_breach.unwrap().at, monday(9, 30));
    }
}
