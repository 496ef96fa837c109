//! The history itself, worked out in memory before anything is written: who filed
//! what and when, what they searched and read first, and everything that happened to
//! each ticket since.
//!
//! Every change to a ticket is decided by the state machine the server uses
//! (`selfdesk_shared::ticket_state::decide`) at a backdated moment, with its pauses and
//! its queue key kept as `store::tickets::apply` and `tickets::queue::due_after` keep
//! them. A change the state machine refuses is not made, and nothing is made after the
//! real present: the newest tickets are simply still open.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, bail};
use selfdesk_shared::auth::{StaffMember, StaffRole};
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::flows::api::WalkState;
use selfdesk_shared::flows::{Flow, Label, Node, Outcome, StockAnswer, Walk};
use selfdesk_shared::incidents::LinkedIncident;
use selfdesk_shared::kb::VoteReason;
use selfdesk_shared::language::Language;
use selfdesk_shared::queue::{may_work, queue_due};
use selfdesk_shared::search::normalise_query;
use selfdesk_shared::sla::{Date, Pause, Priority, due_at};
use selfdesk_shared::ticket_state::{Action, Actor as Decider, Decided, TicketState, decide};
use selfdesk_shared::tickets::{
    ActorKind, DiagnosticTranscript, Impact, NewTicket, TicketCategory, TicketChange, TicketStatus,
    Urgency, check_new_ticket, priority,
};
use selfdesk_shared::tier::Tier;

use super::content::{Content, Problem, Rng};
use crate::auth::session::token_hash;
use crate::sha256_hex;
use crate::tickets::SlaPolicy;
use crate::tickets::filing::search_words;

/// How far back the history goes, in days (today included).
pub const DAYS: i64 = 90;
/// The generator's seed: the same history for the same day, every time.
const SEED: u64 = 0x5E1F_DE5C_2026_0090;
/// Resolved tickets nobody answered close after this many days, the server's default.
const AUTO_CLOSE_DAYS: i64 = 7;
const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;
/// One business day of the default calendar, in seconds.
const WORKDAY: i64 = 9 * HOUR;

/// A technician the history may use; `left_at` for one who no longer works here.
#[derive(Debug, Clone)]
pub struct Technician {
    /// As the account is today (a former technician's is deactivated).
    pub member: StaffMember,
    pub left_at: Option<i64>,
    /// How much of their tier's work they do.
    pub weight: u32,
}

/// Everything the history is made from.
pub struct Inputs<'a> {
    pub now: i64,
    pub policy: &'a SlaPolicy,
    pub content: &'a Content,
    pub technicians: &'a [Technician],
    /// The published flows.
    pub flows: &'a [Flow],
    /// What the knowledge base finds for a (language, normalised query): the number
    /// of articles shown and the first one's slug. A query not here found nothing.
    pub hits: &'a HashMap<(Language, String), (u32, Option<String>)>,
    /// Ticket categories by (language, slug): each ticket is checked as filing checks
    /// it. Empty: not checked.
    pub categories: &'a HashMap<(Language, String), TicketCategory>,
    /// The database ids of the two incidents of [`incidents`], in that order.
    pub incident_ids: [i64; 2],
}

/// A known incident as stored, with its "me too" reports (name, email, time).
#[derive(Debug, Clone)]
pub struct IncidentRow {
    pub title: String,
    pub description: String,
    pub category: Option<String>,
    pub created_by: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub closing_message: Option<String>,
    pub reports: Vec<(String, String, i64)>,
}

#[derive(Debug, Clone)]
pub struct EventRow {
    pub at: i64,
    pub actor: ActorKind,
    pub staff_id: Option<i64>,
    pub actor_name: String,
    pub change: TicketChange,
}

/// A ticket as the server would have stored it by now.
#[derive(Debug, Clone)]
pub struct TicketRow {
    pub idempotency_key_hash: String,
    pub request_hash: String,
    pub requester_name: String,
    pub requester_email: String,
    pub language: Language,
    pub category: String,
    pub subject: String,
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
    pub fields: BTreeMap<String, String>,
    pub transcript: Option<DiagnosticTranscript>,
    pub self_service_session_hash: Option<String>,
    pub search_words: Option<Vec<String>>,
    pub created_at: i64,
    /// The state after the last event.
    pub state: TicketState,
    pub updated_at: i64,
    pub revision: i64,
    pub sla_due_at: i64,
    /// Oldest first; the first is `created`.
    pub events: Vec<EventRow>,
    pub pauses: Vec<Pause>,
}

#[derive(Debug, Clone)]
pub struct SearchRow {
    pub id_hash: String,
    pub session_hash: String,
    pub lang: Language,
    pub query: String,
    pub hits: u32,
    pub opened: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct ServiceEventRow {
    pub session_hash: String,
    pub kind: &'static str,
    pub subject: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct WalkRow {
    pub walk_hash: String,
    pub session_hash: String,
    pub flow: String,
    pub version: i64,
    pub answers: String,
    pub node: String,
    pub state: WalkState,
    pub started_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct VoteRow {
    pub slug: String,
    pub voter_hash: String,
    pub lang: Language,
    pub helpful: bool,
    pub reason: Option<VoteReason>,
    pub session_hash: String,
    pub created_at: i64,
}

/// Everything to write.
#[derive(Debug, Default)]
pub struct History {
    pub incidents: Vec<IncidentRow>,
    /// Oldest first.
    pub tickets: Vec<TicketRow>,
    pub searches: Vec<SearchRow>,
    pub service_events: Vec<ServiceEventRow>,
    pub walks: Vec<WalkRow>,
    pub votes: Vec<VoteRow>,
    /// Changes the state machine refused (the plan asked for something the ticket's
    /// state did not allow); they were left out.
    pub refused: usize,
}

/// When the two incidents happened.
#[derive(Debug, Clone, Copy)]
struct Timeline {
    /// The Wi-Fi outage: first reports, the incident opened, fixed and closed.
    outage_start: i64,
    outage_known: i64,
    outage_end: i64,
    /// The printer incident still open today.
    printer_known: i64,
}

fn timeline(now: i64, policy: &SlaPolicy) -> Timeline {
    let cal = &policy.calendar;
    let today = cal.local_date(now);
    let at = |date: Date, minutes: i64| date.start_in(cal.utc_offset_minutes) + minutes * MINUTE;
    let mut outage_day = today.add_days(-38);
    while !is_open_day(policy, outage_day) && outage_day < today {
        outage_day = outage_day.add_days(1);
    }
    let outage_start = at(outage_day, 9 * 60 + 40);
    // The printer problem was noticed on the last working morning at least a day ago.
    let mut printer_day = cal.local_date(now - DAY);
    for _ in 0..7 {
        if is_open_day(policy, printer_day) {
            break;
        }
        printer_day = printer_day.add_days(-1);
    }
    Timeline {
        outage_start,
        outage_known: outage_start + 25 * MINUTE,
        outage_end: outage_start + 4 * HOUR + 30 * MINUTE,
        printer_known: at(printer_day, 10 * 60 + 15).min(now - 4 * HOUR),
    }
}

fn is_open_day(policy: &SlaPolicy, date: Date) -> bool {
    policy.calendar.open_days[date.weekday()] && !policy.calendar.holidays.contains(&date)
}

/// The incidents, as they are stored (without ids): the outage, closed, and the
/// printer problem, open.
pub fn incidents(
    now: i64,
    policy: &SlaPolicy,
    content: &Content,
    technicians: &[Technician],
) -> Vec<IncidentRow> {
    let times = timeline(now, policy);
    let by_role = |role: StaffRole| {
        technicians
            .iter()
            .find(|t| t.member.role == role && t.left_at.is_none())
            .map_or(0, |t| t.member.id)
    };
    vec![
        IncidentRow {
            title: content.outage.title.clone(),
            description: content.outage.description.clone(),
            category: Some("network".into()),
            created_by: by_role(StaffRole::Tier2),
            created_at: times.outage_known,
            closed_at: Some(times.outage_end),
            closing_message: Some(content.outage.closing.clone()),
            reports: Vec::new(),
        },
        IncidentRow {
            title: content.open_incident.title.clone(),
            description: content.open_incident.description.clone(),
            category: Some("printing".into()),
            created_by: by_role(StaffRole::Tier1),
            created_at: times.printer_known,
            closed_at: None,
            closing_message: None,
            reports: Vec::new(),
        },
    ]
}

/// Works out the whole history.
pub fn plan(inputs: &Inputs<'_>) -> anyhow::Result<History> {
    let mut generator = Generator::new(inputs);
    generator.run()?;
    Ok(generator.out)
}

/// Someone who files tickets.
struct Person {
    name: String,
    first: String,
    /// As they type it (some capitalise it); stored as filing stores it.
    typed_email: String,
    lang: Language,
    weight: u32,
    /// Their laptop's asset tag.
    asset_tag: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Outage,
    PrinterIncident,
}

#[derive(Clone, Copy)]
enum Who<'a> {
    Requester,
    Staff(&'a StaffMember),
    System,
}

/// One ticket's life, change by change.
struct Sim {
    now: i64,
    created_at: i64,
    requester: String,
    state: TicketState,
    events: Vec<EventRow>,
    pauses: Vec<Pause>,
    last: i64,
    /// The present was reached: nothing more happens to this ticket.
    done: bool,
    refused: usize,
    reopened: bool,
    escalated_to: u8,
}

impl Sim {
    fn new(now: i64, created_at: i64, requester: &str, priority: Priority) -> Self {
        Sim {
            now,
            created_at,
            requester: requester.to_owned(),
            state: TicketState {
                status: TicketStatus::New,
                tier: Tier::FIRST,
                priority,
                assignee_id: None,
                incident_id: None,
                first_responded_at: None,
                resolved_at: None,
                closed_at: None,
                rating: None,
                rating_comment: None,
            },
            events: vec![EventRow {
                at: created_at,
                actor: ActorKind::Requester,
                staff_id: None,
                actor_name: requester.to_owned(),
                change: TicketChange::Created,
            }],
            pauses: Vec::new(),
            last: created_at,
            done: false,
            refused: 0,
            reopened: false,
            escalated_to: 1,
        }
    }

    /// Makes the change at `at` (or just after the previous one), as
    /// `tickets::changes::act` would; `false` if it was refused or lies in the future.
    fn act(&mut self, at: i64, who: Who<'_>, action: Action<'_>) -> bool {
        if self.done {
            return false;
        }
        let at = at.max(self.last + 1);
        if at > self.now - MINUTE {
            self.done = true;
            return false;
        }
        if action.check().is_err() {
            self.refused += 1;
            return false;
        }
        let decider = match who {
            Who::Requester => Decider::Requester,
            Who::Staff(member) => Decider::Staff(member.role),
            Who::System => Decider::System,
        };
        let Ok(Decided { next, change }) = decide(&self.state, decider, &action, at) else {
            self.refused += 1;
            return false;
        };
        let waiting = TicketStatus::WaitingForRequester;
        if self.state.status != waiting && next.status == waiting {
            self.pauses.push(Pause {
                from: at,
                until: None,
            });
        } else if self.state.status == waiting && next.status != waiting {
            for pause in self.pauses.iter_mut().filter(|p| p.until.is_none()) {
                pause.until = Some(at);
            }
        }
        let (actor, staff_id, actor_name) = match who {
            Who::Requester => (ActorKind::Requester, None, self.requester.clone()),
            Who::Staff(member) => (
                ActorKind::Staff,
                Some(member.id),
                member.display_name.clone(),
            ),
            Who::System => (ActorKind::System, None, String::new()),
        };
        if let Action::SetTier { to, .. } = action {
            self.escalated_to = self.escalated_to.max(to.get());
        }
        if let Action::Reopen { .. } = action {
            self.reopened = true;
        }
        self.events.push(EventRow {
            at,
            actor,
            staff_id,
            actor_name,
            change,
        });
        self.state = next;
        self.last = at;
        true
    }

    /// Wall-clock seconds spent waiting for the requester so far.
    fn paused_secs(&self) -> i64 {
        self.pauses
            .iter()
            .map(|p| p.until.unwrap_or(self.last) - p.from)
            .sum()
    }
}

/// A search, an article read, a walk: what one browser tab did.
struct Session {
    hash: String,
    /// Normalised queries, in the order searched.
    queries: Vec<String>,
}

struct Generator<'a> {
    inputs: &'a Inputs<'a>,
    rng: Rng,
    people: Vec<Person>,
    /// Technicians as they were while working (active).
    staff: Vec<Technician>,
    times: Timeline,
    out: History,
    /// The first day of the history.
    first_day: Date,
}

impl<'a> Generator<'a> {
    fn new(inputs: &'a Inputs<'a>) -> Self {
        let mut rng = Rng::new(SEED);
        let people = people(inputs.content, &mut rng);
        let staff = inputs
            .technicians
            .iter()
            .map(|t| Technician {
                member: StaffMember {
                    active: true,
                    two_factor: false,
                    ..t.member.clone()
                },
                ..t.clone()
            })
            .collect();
        let today = inputs.policy.calendar.local_date(inputs.now);
        Generator {
            inputs,
            rng,
            people,
            staff,
            times: timeline(inputs.now, inputs.policy),
            out: History {
                incidents: incidents(
                    inputs.now,
                    inputs.policy,
                    inputs.content,
                    inputs.technicians,
                ),
                ..History::default()
            },
            first_day: today.add_days(1 - DAYS),
        }
    }

    fn run(&mut self) -> anyhow::Result<()> {
        let mut arrivals = self.arrivals();
        arrivals.sort_by_key(|(at, _)| *at);
        // (created, person, problem) of the tickets so far, for repeat contacts.
        let mut earlier: Vec<(i64, usize, usize)> = Vec::new();
        let normal: Vec<usize> = (0..self.inputs.content.problems.len())
            .filter(|&i| !self.inputs.content.problems[i].incident)
            .collect();
        let outage_problem = self
            .inputs
            .content
            .problems
            .iter()
            .position(|p| p.incident)
            .context("seed/history.toml has no incident problem")?;
        let printer_problem = self
            .inputs
            .content
            .problems
            .iter()
            .position(|p| p.key == "printer-laptop")
            .context("seed/history.toml has no printer-laptop problem")?;
        for (at, kind) in arrivals {
            let (person, problem, repeat) = match kind {
                Kind::Outage => (self.person(), outage_problem, false),
                Kind::PrinterIncident => (self.person(), printer_problem, false),
                Kind::Normal => {
                    let recent: Vec<(usize, usize)> = earlier
                        .iter()
                        .filter(|(t, _, p)| at - t < 6 * DAY && normal.contains(p))
                        .map(|&(_, person, problem)| (person, problem))
                        .collect();
                    if !recent.is_empty() && self.rng.chance(0.1) {
                        let (person, problem) = *self.rng.pick(&recent);
                        (person, problem, true)
                    } else {
                        let day = (at - self.first_day_start()).div_euclid(DAY);
                        (self.person(), self.problem(&normal, day), false)
                    }
                }
            };
            earlier.push((at, person, problem));
            self.ticket(at, kind, person, problem, repeat)?;
        }
        self.standalone_sessions();
        self.incident_reports();
        Ok(())
    }

    fn first_day_start(&self) -> i64 {
        self.first_day
            .start_in(self.inputs.policy.calendar.utc_offset_minutes)
    }

    /// When tickets arrive: fewer at weekends, more mid-morning and early afternoon,
    /// slowly more as the weeks go by; the outage's burst; the printer's reports.
    fn arrivals(&mut self) -> Vec<(i64, Kind)> {
        let now = self.inputs.now;
        let mut arrivals = Vec::new();
        for day in 0..DAYS {
            let date = self.first_day.add_days(day);
            let open = is_open_day(self.inputs.policy, date);
            let count = if open {
                8 + self.rng.below(5) as i64 + day * 2 / DAYS
            } else {
                self.rng.below(3) as i64
            };
            for _ in 0..count {
                let at = self.moment(date, open);
                if at < now - 20 * MINUTE {
                    arrivals.push((at, Kind::Normal));
                }
            }
        }
        let t = self.times;
        for _ in 0..28 {
            // Most reports in the first hour, then fewer.
            let spread = self.rng.range(0, 3 * HOUR);
            let at = t.outage_start + spread * self.rng.range(1, 3) / 3;
            arrivals.push((at.min(t.outage_end - 20 * MINUTE), Kind::Outage));
        }
        for _ in 0..6 {
            let at = self
                .rng
                .range(t.printer_known - 2 * HOUR, now - 40 * MINUTE);
            arrivals.push((at, Kind::PrinterIncident));
        }
        arrivals
    }

    /// A moment of `date` when people work (or, at weekends, any daytime).
    fn moment(&mut self, date: Date, open: bool) -> i64 {
        const HOURS: [u32; 12] = [2, 7, 10, 10, 8, 5, 8, 9, 7, 5, 2, 1];
        let hour = if open {
            7 + self.rng.weighted(&HOURS) as i64
        } else {
            self.rng.range(9, 20)
        };
        date.start_in(self.inputs.policy.calendar.utc_offset_minutes)
            + hour * HOUR
            + self.rng.range(0, HOUR - 1)
    }

    /// A requester, the frequent ones more often.
    fn person(&mut self) -> usize {
        let weights: Vec<u32> = self.people.iter().map(|p| p.weight).collect();
        self.rng.weighted(&weights)
    }

    /// A problem for a ticket filed on `day`: printing rises over the period.
    fn problem(&mut self, normal: &[usize], day: i64) -> usize {
        let problems = &self.inputs.content.problems;
        let category_weight = |category: &str| -> u32 {
            match category {
                "hardware" => 15,
                "printing" => 6 + (12 * day / DAYS) as u32,
                "network" => 12,
                "software" => 18,
                "account" => 20,
                "email" => 13,
                _ => 9,
            }
        };
        // Each problem's share of its category's weight.
        let weights: Vec<u32> = normal
            .iter()
            .map(|&i| {
                let category = &problems[i].category;
                let in_category: u32 = normal
                    .iter()
                    .filter(|&&j| problems[j].category == *category)
                    .map(|&j| problems[j].weight)
                    .sum();
                category_weight(category) * problems[i].weight * 100 / in_category.max(1)
            })
            .collect();
        normal[self.rng.weighted(&weights)]
    }

    /// Files one ticket (with the session it came from, if any) and lives its life.
    fn ticket(
        &mut self,
        at: i64,
        kind: Kind,
        person: usize,
        problem_index: usize,
        repeat: bool,
    ) -> anyhow::Result<()> {
        let content = self.inputs.content;
        let problem = &content.problems[problem_index];
        let lang = self.people[person].lang;
        let text = problem.text(lang);
        let mut subject = if repeat {
            format!("{}{}", content.texts(lang).again, text.subject)
        } else {
            text.subject.clone()
        };
        let (mut impact, mut urgency) = match kind {
            Kind::Normal => (
                [Impact::Me, Impact::Team, Impact::Everyone][self.rng.weighted(&[72, 22, 6])],
                [Urgency::CanWait, Urgency::Slowed, Urgency::Blocked]
                    [self.rng.weighted(&[25, 50, 25])],
            ),
            Kind::Outage => (
                [Impact::Team, Impact::Everyone][self.rng.weighted(&[45, 55])],
                [Urgency::Slowed, Urgency::Blocked][self.rng.weighted(&[20, 80])],
            ),
            Kind::PrinterIncident => (
                [Impact::Me, Impact::Team][self.rng.weighted(&[60, 40])],
                Urgency::Slowed,
            ),
        };
        let mut fields = BTreeMap::new();
        match problem.category.as_str() {
            "hardware" => {
                fields.insert("asset_tag".into(), self.people[person].asset_tag.clone());
            }
            "printing" => {
                if let Some(printer) = &problem.printer {
                    fields.insert("printer".into(), printer.clone());
                }
            }
            "software" => {
                let application = problem.application.clone().unwrap_or_default();
                fields.insert("application".into(), application);
            }
            _ => {}
        }
        // Some came through guided diagnostics: the flow prefilled the form.
        let mut transcript = None;
        let mut walk = None;
        if kind == Kind::Normal
            && !repeat
            && self.rng.chance(0.22)
            && let Some((row, outcome, walked)) = self.diagnosis(&problem.category, lang, at)
        {
            if let Outcome::Ticket {
                impact: i,
                urgency: u,
                subject: s,
                ..
            } = outcome
            {
                impact = i;
                urgency = u;
                subject = s;
            }
            transcript = Some(walked);
            walk = Some(row);
        }
        let with_session = walk.is_some()
            || match kind {
                Kind::Normal => self.rng.chance(0.35),
                _ => self.rng.chance(0.15),
            };
        let session = with_session.then(|| self.session_before(lang, at, problem, walk));

        let who = &self.people[person];
        let number = self.out.tickets.len();
        let new = NewTicket {
            name: who.name.clone(),
            email: who.typed_email.clone(),
            category: problem.category.clone(),
            subject,
            description: text.description.clone(),
            impact,
            urgency,
            fields,
            transcript,
            attachments: Vec::new(),
            language: lang,
            self_service_session: session.as_ref().map(|s| s.0.clone()),
        };
        if !self.inputs.categories.is_empty() {
            let category = self.inputs.categories.get(&(lang, new.category.clone()));
            if let Some(error) = check_new_ticket(&new, category).into_iter().next() {
                bail!("demo ticket {:?} would be refused: {error}", new.subject);
            }
        }
        let email = EmailAddress::parse(&new.email)
            .map_err(|e| anyhow::anyhow!("demo requester {}: {e}", new.email))?;
        let priority = priority(impact, urgency);
        let mut sim = Sim::new(self.inputs.now, at, &new.name, priority);
        let first = who.first.clone();
        match kind {
            Kind::Normal => self.live(&mut sim, problem, lang, &first),
            Kind::Outage => self.outage(&mut sim, lang, &first),
            Kind::PrinterIncident => self.printer_incident(&mut sim, lang, &first),
        }
        self.out.refused += sim.refused;
        let policy = self.inputs.policy;
        let sla_due_at = queue_due(
            &policy.calendar,
            &policy.targets,
            at,
            sim.state.priority,
            sim.state.status,
            sim.state.first_responded_at,
            &sim.pauses,
        );
        let request_hash = sha256_hex(&serde_json::to_vec(&new)?);
        let (session_hash, words) = match session {
            Some((id, words)) => (Some(token_hash(&id)), Some(words).filter(|w| !w.is_empty())),
            None => (None, None),
        };
        self.out.tickets.push(TicketRow {
            idempotency_key_hash: sha256_hex(
                format!("demo-history-{}-{number}", self.inputs.now).as_bytes(),
            ),
            request_hash,
            requester_name: new.name.trim().to_owned(),
            requester_email: email.as_str().to_owned(),
            language: lang,
            category: new.category.trim().to_owned(),
            subject: new.subject.trim().to_owned(),
            description: new.description.trim().to_owned(),
            impact,
            urgency,
            fields: new.fields,
            transcript: new.transcript,
            self_service_session_hash: session_hash,
            search_words: words,
            created_at: at,
            updated_at: sim.last,
            revision: sim.events.len() as i64 - 1,
            sla_due_at,
            state: sim.state,
            events: sim.events,
            pauses: sim.pauses,
        });
        Ok(())
    }

    // ---- A ticket's life ------------------------------------------------------------

    /// A technician of `tier` working at `at`: the regulars most, the administrator
    /// now and then at the top tier.
    fn technician(&mut self, tier: Tier, at: i64) -> StaffMember {
        let working: Vec<&Technician> = self
            .staff
            .iter()
            .filter(|t| t.left_at.is_none_or(|left| at < left))
            .collect();
        let of_tier: Vec<&Technician> = working
            .iter()
            .copied()
            .filter(|t| role_tier(t.member.role) == tier.get())
            .collect();
        let pool = if of_tier.is_empty() {
            working
                .into_iter()
                .filter(|t| may_work(t.member.role, tier))
                .collect()
        } else {
            of_tier
        };
        let weights: Vec<u32> = pool.iter().map(|t| t.weight).collect();
        pool[self.rng.weighted(&weights)].member.clone()
    }

    /// Who works the ticket at `at`: its assignee while they may, else a technician of
    /// its tier, who mostly takes it (assigns it to themselves) first.
    fn worker(&mut self, sim: &mut Sim, at: i64) -> StaffMember {
        let tier = sim.state.tier;
        if let Some(id) = sim.state.assignee_id
            && let Some(t) = self.staff.iter().find(|t| t.member.id == id)
            && t.left_at.is_none_or(|left| at < left)
            && may_work(t.member.role, tier)
        {
            return t.member.clone();
        }
        let member = self.technician(tier, at);
        if sim.state.status.is_open() && (sim.state.assignee_id.is_some() || self.rng.chance(0.8)) {
            sim.act(
                at - self.rng.range(30, 300),
                Who::Staff(&member),
                Action::Assign { to: Some(&member) },
            );
        }
        member
    }

    /// `secs` of business time after `from`.
    fn business(&self, from: i64, secs: i64) -> i64 {
        self.inputs
            .policy
            .calendar
            .add_business_seconds(from, secs.max(0))
    }

    /// Between `lo` and `hi` seconds of business time after `from`.
    fn business_between(&mut self, from: i64, lo: i64, hi: i64) -> i64 {
        let secs = self.rng.range(lo, hi);
        self.business(from, secs)
    }

    /// `t`, or the next morning when it falls in the night: when people write.
    fn daytime(&mut self, t: i64) -> i64 {
        let offset = i64::from(self.inputs.policy.calendar.utc_offset_minutes) * MINUTE;
        let local = (t + offset).rem_euclid(DAY);
        let morning = self.rng.range(7 * HOUR, 9 * HOUR);
        if local < 7 * HOUR {
            t - local + morning
        } else if local >= 21 * HOUR {
            t - local + DAY + morning
        } else {
            t
        }
    }

    /// A fraction of `target` seconds, in hundredths: most deadlines met, some missed.
    fn toward(&mut self, target: i64, met_share: f64) -> i64 {
        let percent = if self.rng.chance(met_share) {
            self.rng.range(5, 90)
        } else {
            self.rng.range(110, 260)
        };
        target * percent / 100
    }

    fn live(&mut self, sim: &mut Sim, problem: &Problem, lang: Language, first: &str) {
        let content = self.inputs.content;
        let policy = self.inputs.policy;
        let texts = content.texts(lang);
        let targets = &policy.targets;
        let text = problem.text(lang);
        let reply = |rng: &mut Rng, list: &[String]| rng.pick(list).replace("{name}", first);

        // First response.
        let wait = self.toward(targets.first_response(sim.state.priority), 0.86);
        let at = self.business(sim.created_at, wait) + self.rng.range(0, 240);
        if self.rng.chance(0.05)
            && let Some(higher) = one_up(sim.state.priority)
        {
            let member = self.worker(sim, at - 20 * MINUTE);
            sim.act(
                at - 10 * MINUTE,
                Who::Staff(&member),
                Action::SetPriority { to: higher },
            );
        }
        let member = self.worker(sim, at);
        let body = reply(&mut self.rng, &texts.first_reply);
        sim.act(at, Who::Staff(&member), Action::Reply { body: &body });

        // Waiting for the requester's answer.
        if self.rng.chance(0.22) {
            let body = reply(&mut self.rng, &texts.question);
            let at = sim.last + self.rng.range(60, 600);
            sim.act(at, Who::Staff(&member), Action::Reply { body: &body });
            sim.act(
                at + 40,
                Who::Staff(&member),
                Action::SetStatus {
                    to: TicketStatus::WaitingForRequester,
                    summary: None,
                },
            );
            if self.rng.chance(0.8) {
                let at = sim.last + self.rng.range(2 * HOUR, 3 * DAY);
                let at = self.daytime(at);
                let body = self.rng.pick(&texts.answer).clone();
                sim.act(at, Who::Requester, Action::Reply { body: &body });
                let at = self.business_between(sim.last, 20 * MINUTE, 4 * HOUR);
                let member = self.worker(sim, at);
                let body = reply(&mut self.rng, &texts.later_reply);
                sim.act(at, Who::Staff(&member), Action::Reply { body: &body });
            } else {
                let at = self.business_between(sim.last, 3 * WORKDAY, 5 * WORKDAY);
                let member = self.worker(sim, at);
                sim.act(
                    at,
                    Who::Staff(&member),
                    Action::SetStatus {
                        to: TicketStatus::Resolved,
                        summary: Some(&texts.no_answer_fix),
                    },
                );
                self.after_resolution(sim, lang, first, problem, false);
                return;
            }
        }
        if self.rng.chance(0.06) {
            let at = sim.last + self.rng.range(DAY, 2 * DAY);
            let at = self.daytime(at);
            let body = self.rng.pick(&texts.follow_up).clone();
            sim.act(at, Who::Requester, Action::Reply { body: &body });
        }
        if self.rng.chance(0.15) {
            self.note(sim);
        }

        // Escalation, one tier at a time.
        let escalate = match problem.category.as_str() {
            "network" | "account" => 0.26,
            "hardware" => 0.22,
            "other" => 0.1,
            _ => 0.18,
        };
        if self.rng.chance(escalate) {
            if self.rng.chance(0.5) {
                self.note(sim);
            }
            let at = self.business_between(sim.last, 10 * MINUTE, 3 * HOUR);
            let member = self.worker(sim, at);
            let reason = self.rng.pick(&texts.escalation).clone();
            sim.act(
                at,
                Who::Staff(&member),
                Action::SetTier {
                    to: Tier::SECOND,
                    reason: &reason,
                },
            );
            let at = self.business_between(sim.last, 10 * MINUTE, 6 * HOUR);
            let second = self.worker(sim, at);
            let body = reply(&mut self.rng, &texts.later_reply);
            sim.act(at + 120, Who::Staff(&second), Action::Reply { body: &body });
            if self.rng.chance(0.28) {
                let at = self.business_between(sim.last, HOUR, WORKDAY);
                let reason = self.rng.pick(&texts.escalation_3).clone();
                sim.act(
                    at,
                    Who::Staff(&second),
                    Action::SetTier {
                        to: Tier::THIRD,
                        reason: &reason,
                    },
                );
                let at = self.business_between(sim.last, 15 * MINUTE, 6 * HOUR);
                let third = self.worker(sim, at);
                if self.rng.chance(0.5) {
                    self.note(sim);
                }
                let body = reply(&mut self.rng, &texts.later_reply);
                sim.act(at + 300, Who::Staff(&third), Action::Reply { body: &body });
                if self.rng.chance(0.15) {
                    let at = self.business_between(sim.last, HOUR, 2 * WORKDAY);
                    let reason = texts.send_back[0].clone();
                    sim.act(
                        at,
                        Who::Staff(&third),
                        Action::SetTier {
                            to: Tier::SECOND,
                            reason: &reason,
                        },
                    );
                }
            }
        }

        // Resolution: mostly within its target (paused time added back).
        let met_share = if sim.escalated_to > 1 { 0.65 } else { 0.82 };
        let secs = self.toward(targets.resolution(sim.state.priority), met_share);
        let aimed = self.business(sim.created_at, secs) + sim.paused_secs();
        let soonest = self.business_between(sim.last, 10 * MINUTE, 2 * HOUR);
        let at = aimed.max(soonest);
        let member = self.worker(sim, at);
        sim.act(
            at,
            Who::Staff(&member),
            Action::SetStatus {
                to: TicketStatus::Resolved,
                summary: Some(&text.fix),
            },
        );
        self.after_resolution(sim, lang, first, problem, true);
    }

    /// What the requester does once told it is fixed: confirm (and often rate), now
    /// and then reopen, or nothing, so the ticket closes by itself after a week.
    fn after_resolution(
        &mut self,
        sim: &mut Sim,
        lang: Language,
        first: &str,
        problem: &Problem,
        may_reopen: bool,
    ) {
        if sim.state.status != TicketStatus::Resolved {
            return;
        }
        let texts = self.inputs.content.texts(lang);
        let resolved_at = sim.last;
        let choice = self.rng.unit();
        if may_reopen && choice < 0.07 {
            let at = resolved_at + self.rng.range(2 * HOUR, 5 * DAY);
            let at = self.daytime(at);
            let reason = self.rng.pick(&texts.reopen).clone();
            if sim.act(at, Who::Requester, Action::Reopen { reason: &reason }) {
                let at = self.business_between(sim.last, 30 * MINUTE, 6 * HOUR);
                let member = self.worker(sim, at);
                let body = self.rng.pick(&texts.later_reply).replace("{name}", first);
                sim.act(at, Who::Staff(&member), Action::Reply { body: &body });
                let at = self.business_between(sim.last, HOUR, 2 * WORKDAY);
                let member = self.worker(sim, at);
                let fix = problem.text(lang).fix.clone();
                sim.act(
                    at,
                    Who::Staff(&member),
                    Action::SetStatus {
                        to: TicketStatus::Resolved,
                        summary: Some(&fix),
                    },
                );
                self.after_resolution(sim, lang, first, problem, false);
            }
            return;
        }
        if choice < 0.52 {
            let at = resolved_at + self.rng.range(10 * MINUTE, 2 * DAY);
            let at = self.daytime(at);
            if sim.act(at, Who::Requester, Action::Confirm) && self.rng.chance(0.7) {
                self.rate(sim, lang, sim.last + 1);
            }
        } else {
            let at = resolved_at + AUTO_CLOSE_DAYS * DAY + self.rng.range(60, 900);
            if sim.act(at, Who::System, Action::AutoClose) && self.rng.chance(0.12) {
                let at = sim.last + self.rng.range(DAY, 2 * DAY);
                let at = self.daytime(at);
                self.rate(sim, lang, at);
            }
        }
    }

    /// A rating that follows how it went: late answers, reopening and long hand-offs
    /// are rated lower.
    fn rate(&mut self, sim: &mut Sim, lang: Language, at: i64) {
        let policy = self.inputs.policy;
        let late = |done: Option<i64>, target: i64| {
            let due = due_at(&policy.calendar, sim.created_at, target, &sim.pauses);
            match (done, due) {
                (Some(done), Some(due)) => done > due,
                _ => false,
            }
        };
        let priority = sim.state.priority;
        let bad = late(
            sim.state.first_responded_at,
            policy.targets.first_response(priority),
        ) || late(sim.state.resolved_at, policy.targets.resolution(priority))
            || sim.reopened
            || sim.escalated_to == 3
            || sim.state.first_responded_at.is_none();
        let weights: [u32; 5] = if bad {
            [18, 20, 25, 22, 15]
        } else {
            [2, 4, 9, 30, 55]
        };
        let rating = self.rng.weighted(&weights) as u8 + 1;
        let texts = self.inputs.content.texts(lang);
        let comment = match rating {
            4 | 5 => self.rng.pick(&texts.good).clone(),
            3 => self.rng.pick(&texts.medium).clone(),
            _ => self.rng.pick(&texts.low).clone(),
        };
        sim.act(
            at,
            Who::Requester,
            Action::Rate {
                rating,
                comment: &comment,
            },
        );
    }

    /// A note for colleagues by whoever works the ticket.
    fn note(&mut self, sim: &mut Sim) {
        let at = self.business_between(sim.last, 10 * MINUTE, 2 * HOUR);
        let member = self.worker(sim, at);
        let body = self.rng.pick(&self.inputs.content.staff.notes).clone();
        sim.act(at, Who::Staff(&member), Action::Note { body: &body });
    }

    /// A report during the outage: linked to the incident once it is known, resolved
    /// with it when it is closed.
    fn outage(&mut self, sim: &mut Sim, lang: Language, first: &str) {
        let t = self.times;
        let incident = LinkedIncident {
            id: self.inputs.incident_ids[0],
            title: self.inputs.content.outage.title.clone(),
        };
        let at = sim.created_at.max(t.outage_known) + self.rng.range(2 * MINUTE, 20 * MINUTE);
        let member = self.worker(sim, at);
        sim.act(
            at,
            Who::Staff(&member),
            Action::LinkIncident {
                incident: Some(&incident),
            },
        );
        if self.rng.chance(0.3) {
            let texts = self.inputs.content.texts(lang);
            let body = self.rng.pick(&texts.first_reply).replace("{name}", first);
            sim.act(at + 60, Who::Staff(&member), Action::Reply { body: &body });
        }
        let closer = self
            .staff
            .iter()
            .find(|s| s.member.id == self.out.incidents[0].created_by)
            .map(|s| s.member.clone())
            .unwrap_or(member);
        let message = self.inputs.content.outage.closing.clone();
        let at = t.outage_end + self.out.tickets.len() as i64 % 60;
        sim.act(
            at,
            Who::Staff(&closer),
            Action::ResolveWithIncident { message: &message },
        );
        let problem = self
            .inputs
            .content
            .problems
            .iter()
            .find(|p| p.incident)
            .expect("the outage's problem exists");
        self.after_resolution(sim, lang, first, problem, false);
    }

    /// A report of the printer problem still open: linked, perhaps answered.
    fn printer_incident(&mut self, sim: &mut Sim, lang: Language, first: &str) {
        let incident = LinkedIncident {
            id: self.inputs.incident_ids[1],
            title: self.inputs.content.open_incident.title.clone(),
        };
        let at = sim.created_at.max(self.times.printer_known) + self.rng.range(5, 40) * MINUTE;
        let member = self.worker(sim, at);
        sim.act(
            at,
            Who::Staff(&member),
            Action::LinkIncident {
                incident: Some(&incident),
            },
        );
        if self.rng.chance(0.5) {
            let texts = self.inputs.content.texts(lang);
            let body = self.rng.pick(&texts.first_reply).replace("{name}", first);
            sim.act(at + 90, Who::Staff(&member), Action::Reply { body: &body });
        }
    }

    // ---- Self-service ---------------------------------------------------------------

    /// A walk through a flow of `category` that ends in a ticket of that category, as
    /// the requester's diagnosis before filing: the walk's row, its outcome and the
    /// transcript the form carried.
    fn diagnosis(
        &mut self,
        category: &str,
        lang: Language,
        filed_at: i64,
    ) -> Option<(WalkRow, Outcome, DiagnosticTranscript)> {
        let all = self.inputs.flows;
        let flows: Vec<&Flow> = all
            .iter()
            .filter(|f| f.languages.contains(&lang))
            .filter(|f| {
                f.nodes
                    .values()
                    .any(|n| matches!(n, Node::Ticket { category: c, .. } if c == category))
            })
            .collect();
        if flows.is_empty() {
            return None;
        }
        let flow = *self.rng.pick(&flows);
        for _ in 0..40 {
            let walk = self.random_walk(flow, 0.0);
            if let Some(outcome @ Outcome::Ticket { .. }) = walk.outcome(flow, lang)
                && matches!(&outcome, Outcome::Ticket { category: c, .. } if c == category)
            {
                let content = self.inputs.content;
                let transcript = walk.transcript(flow, lang, |a| content.stock_label(lang, a));
                let started = filed_at - self.rng.range(4 * MINUTE, 9 * MINUTE);
                let row = self.walk_row(flow, &walk, String::new(), started);
                return Some((row, outcome, transcript));
            }
        }
        None
    }

    /// Answers at random from the start; with `abandon`, the chance of leaving at
    /// each step. Instructions fix things less often than not, as in life.
    fn random_walk(&mut self, flow: &Flow, abandon: f64) -> Walk {
        let mut walk = Walk::new();
        for _ in 0..20 {
            let Ok(node) = walk.current(flow) else { break };
            if node.is_end() || (abandon > 0.0 && !walk.is_empty() && self.rng.chance(abandon)) {
                break;
            }
            let choices = node.choices();
            if choices.is_empty() {
                break;
            }
            let helpful = abandon > 0.0;
            let id = match node {
                Node::Instruction { .. } => {
                    if helpful && self.rng.chance(0.55) {
                        StockAnswer::Fixed.id()
                    } else {
                        StockAnswer::NotFixed.id()
                    }
                }
                Node::Article { .. } => {
                    if helpful && self.rng.chance(0.5) {
                        StockAnswer::Helped.id()
                    } else {
                        StockAnswer::NotHelped.id()
                    }
                }
                // What the browser found: seeded walkers never overrule a check.
                Node::Check { .. } => {
                    let found: Vec<_> = choices
                        .iter()
                        .filter(|c| !matches!(c.label, Label::Stock(StockAnswer::Check(a)) if a.by_hand))
                        .copied()
                        .collect();
                    self.rng.pick(&found).id
                }
                _ => self.rng.pick(&choices).id,
            }
            .to_owned();
            if walk.answer(flow, &id).is_err() {
                break;
            }
        }
        walk
    }

    fn walk_row(&mut self, flow: &Flow, walk: &Walk, session_hash: String, at: i64) -> WalkRow {
        let (node, state) = match walk.position(flow) {
            Ok(position) => (
                position.id.to_owned(),
                match position.node {
                    Node::Resolved { .. } => WalkState::Resolved,
                    Node::Ticket { .. } => WalkState::Ticket,
                    Node::Subflow { .. } => WalkState::Subflow,
                    _ => WalkState::UnderWay,
                },
            ),
            Err(_) => (flow.start.clone(), WalkState::UnderWay),
        };
        let steps = walk.len() as i64;
        WalkRow {
            walk_hash: token_hash(&self.rng.id()),
            session_hash,
            flow: flow.slug.clone(),
            version: flow.version,
            answers: walk.to_param(),
            node,
            state,
            started_at: at,
            updated_at: at + steps * self.rng.range(15, 50),
        }
    }

    /// The searching and reading a requester did in the minutes before filing: the
    /// session id the form sent, and the searches as filing finds them.
    fn session_before(
        &mut self,
        lang: Language,
        filed_at: i64,
        problem: &Problem,
        walk: Option<WalkRow>,
    ) -> (String, Vec<String>) {
        let id = self.rng.id();
        let mut session = Session {
            hash: token_hash(&id),
            queries: Vec::new(),
        };
        let mut at = filed_at - self.rng.range(6 * MINUTE, 25 * MINUTE);
        let text = problem.text(lang);
        if walk.is_none() || self.rng.chance(0.4) {
            let searches = 1 + self.rng.weighted(&[50, 35, 15]);
            let start = self.rng.below(text.searches.len());
            for i in 0..searches {
                // Reworded, or the same words again a little later.
                let query = text.searches[(start + i) % text.searches.len()].clone();
                self.search(&mut session, lang, &query, at, 0.45, 0.15);
                at += self.rng.range(30, 180);
            }
        }
        if let Some(article) = &problem.article
            && self.rng.chance(0.3)
        {
            self.service_event(&session, "suggestion_opened", article, at);
            self.view(&session, lang, article, at + 2, 0.2, 0.1);
        }
        if let Some(mut walk) = walk {
            walk.session_hash = session.hash.clone();
            self.out.walks.push(walk);
        }
        let words = search_words(session.queries.iter().cloned());
        (id, words)
    }

    /// One search and what came of it: an article opened (and read, and voted on).
    fn search(
        &mut self,
        session: &mut Session,
        lang: Language,
        typed: &str,
        at: i64,
        open: f64,
        helpful: f64,
    ) {
        let query = normalise_query(typed);
        if query.is_empty() {
            return;
        }
        let (hits, first) = self
            .inputs
            .hits
            .get(&(lang, query.clone()))
            .cloned()
            .unwrap_or((0, None));
        let opened = first.filter(|_| hits > 0 && self.rng.chance(open));
        let updated_at = if opened.is_some() {
            at + self.rng.range(5, 40)
        } else {
            at + 2
        };
        self.out.searches.push(SearchRow {
            id_hash: token_hash(&self.rng.id()),
            session_hash: session.hash.clone(),
            lang,
            query: query.clone(),
            hits,
            opened: opened.clone(),
            created_at: at,
            updated_at,
        });
        session.queries.push(query);
        if let Some(slug) = opened {
            self.view(session, lang, &slug, updated_at + 1, 0.3, helpful);
        }
    }

    /// An article read in the session, perhaps voted on.
    fn view(
        &mut self,
        session: &Session,
        lang: Language,
        slug: &str,
        at: i64,
        vote: f64,
        helpful: f64,
    ) {
        self.service_event(session, "article_viewed", slug, at);
        if self.rng.chance(vote) {
            let helpful = self.rng.chance(helpful);
            let reason = (!helpful).then(|| {
                *self.rng.pick(&[
                    VoteReason::DidNotWork,
                    VoteReason::DidNotWork,
                    VoteReason::HardToFollow,
                    VoteReason::Outdated,
                    VoteReason::Other,
                ])
            });
            self.out.votes.push(VoteRow {
                slug: slug.to_owned(),
                voter_hash: token_hash(&self.rng.id()),
                lang,
                helpful,
                reason: reason.filter(|_| self.rng.chance(0.7)),
                session_hash: session.hash.clone(),
                created_at: at + self.rng.range(30, 240),
            });
        }
    }

    fn service_event(&mut self, session: &Session, kind: &'static str, subject: &str, at: i64) {
        self.out.service_events.push(ServiceEventRow {
            session_hash: session.hash.clone(),
            kind,
            subject: subject.to_owned(),
            created_at: at,
        });
    }

    /// People who helped themselves (or gave up) without filing anything.
    fn standalone_sessions(&mut self) {
        let normal: Vec<usize> = (0..self.inputs.content.problems.len())
            .filter(|&i| !self.inputs.content.problems[i].incident)
            .collect();
        let now = self.inputs.now;
        for day in 0..DAYS {
            let date = self.first_day.add_days(day);
            let open = is_open_day(self.inputs.policy, date);
            let count = if open {
                15 + self.rng.below(9)
            } else {
                3 + self.rng.below(4)
            };
            for _ in 0..count {
                let at = self.moment(date, open);
                if at > now - 10 * MINUTE {
                    continue;
                }
                let person = self.person();
                let lang = self.people[person].lang;
                let problem = self.problem(&normal, day);
                self.standalone(lang, problem, at);
            }
        }
    }

    fn standalone(&mut self, lang: Language, problem_index: usize, at: i64) {
        let content = self.inputs.content;
        let problem = &content.problems[problem_index];
        let mut session = Session {
            hash: token_hash(&self.rng.id()),
            queries: Vec::new(),
        };
        let mut at = at;
        if self.rng.chance(0.12) {
            // Looked for something the knowledge base does not have.
            let query = self.rng.pick(&content.gaps[lang.code()]).clone();
            self.search(&mut session, lang, &query, at, 0.0, 0.0);
            at += self.rng.range(20, 120);
        } else if self.rng.chance(0.8) {
            let query = self.rng.pick(&problem.text(lang).searches).clone();
            self.search(&mut session, lang, &query, at, 0.7, 0.7);
            at += self.rng.range(60, 400);
        } else if let Some(article) = &problem.article {
            // Came by a link to the article.
            self.view(&session, lang, article, at, 0.3, 0.7);
            at += self.rng.range(60, 400);
        }
        if self.rng.chance(0.2) {
            self.walk_in(&session, &problem.category, at);
        }
        if let Some(article) = &problem.article
            && self.rng.chance(0.06)
        {
            // Began a ticket, read the suggested article instead, and left.
            self.service_event(&session, "suggestion_opened", article, at + 60);
            self.view(&session, lang, article, at + 62, 0.4, 0.8);
        }
    }

    /// A walk through a flow about `category` (any flow if none is), which may go on
    /// in another flow.
    fn walk_in(&mut self, session: &Session, category: &str, at: i64) {
        let flows = self.inputs.flows;
        if flows.is_empty() {
            return;
        }
        let about: Vec<&Flow> = flows
            .iter()
            .filter(|f| {
                f.nodes
                    .values()
                    .any(|n| matches!(n, Node::Ticket { category: c, .. } if c == category))
            })
            .collect();
        let flow = if about.is_empty() {
            self.rng.pick(flows)
        } else {
            *self.rng.pick(&about)
        };
        let walk = self.random_walk(flow, 0.12);
        let row = self.walk_row(flow, &walk, session.hash.clone(), at);
        let next = match walk.current(flow) {
            Ok(Node::Subflow { flow }) => flows.iter().find(|f| f.slug == *flow),
            _ => None,
        };
        let end = row.updated_at;
        self.out.walks.push(row);
        if let Some(next) = next
            && self.rng.chance(0.7)
        {
            let walk = self.random_walk(next, 0.12);
            let row = self.walk_row(next, &walk, session.hash.clone(), end + 3);
            self.out.walks.push(row);
        }
    }

    /// "Me too" on the outage from people who did not file a ticket.
    fn incident_reports(&mut self) {
        let t = self.times;
        for _ in 0..14 {
            let person = self.person();
            let at = self.rng.range(t.outage_known, t.outage_end - MINUTE);
            let who = &self.people[person];
            let Ok(email) = EmailAddress::parse(&who.typed_email) else {
                continue;
            };
            let reports = &mut self.out.incidents[0].reports;
            if reports.iter().all(|(_, e, _)| *e != email.as_str()) {
                reports.push((who.name.clone(), email.into_inner(), at));
            }
        }
    }
}

/// The tier a role works at.
fn role_tier(role: StaffRole) -> u8 {
    match role {
        StaffRole::Tier1 => 1,
        StaffRole::Tier2 => 2,
        StaffRole::Tier3 | StaffRole::Admin => 3,
    }
}

fn one_up(priority: Priority) -> Option<Priority> {
    match priority {
        Priority::P1 => None,
        Priority::P2 => Some(Priority::P1),
        Priority::P3 => Some(Priority::P2),
        Priority::P4 => Some(Priority::P3),
    }
}

/// About 150 people in the four languages, a few of whom file far more than others.
fn people(content: &Content, rng: &mut Rng) -> Vec<Person> {
    let mut people = Vec::new();
    for (lang, count) in [
        (Language::En, 65),
        (Language::Ru, 30),
        (Language::Fr, 28),
        (Language::Nb, 27),
    ] {
        let names = &content.people[lang.code()];
        let mut pairs: Vec<(usize, usize)> = (0..names.first.len())
            .flat_map(|f| (0..names.last.len()).map(move |l| (f, l)))
            .collect();
        // Shuffled, so that the first names do not come in runs.
        for i in (1..pairs.len()).rev() {
            pairs.swap(i, rng.below(i + 1));
        }
        for &(f, l) in pairs.iter().take(count) {
            let first = names.first[f].clone();
            let last = names.last[l].clone();
            let latin = |list: &[String], own: &str, i: usize| {
                list.get(i).cloned().unwrap_or_else(|| ascii(own))
            };
            let (local_first, local_last) = (
                latin(&names.latin_first, &first, f),
                latin(&names.latin_last, &last, l),
            );
            let n = people.len();
            let typed_email = if rng.chance(0.35) {
                format!(
                    "{}.{}@Example.org",
                    capitalise(&local_first),
                    capitalise(&local_last)
                )
            } else {
                format!("{local_first}.{local_last}@example.org").to_lowercase()
            };
            people.push(Person {
                name: format!("{first} {last}"),
                first,
                typed_email,
                lang,
                weight: 0,
                asset_tag: format!("LT-{:04}", 1000 + n * 7 % 9000),
            });
        }
    }
    // A few people file far more than the rest.
    for i in (1..people.len()).rev() {
        people.swap(i, rng.below(i + 1));
    }
    for (rank, person) in people.iter_mut().enumerate() {
        person.weight = 2 + 40 / (rank as u32 + 2);
    }
    people
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The name as an email address writes it: lower case, accents dropped.
fn ascii(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' | 'ø' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'å' => 'a',
            'æ' => 'e',
            other => other,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::flows::source::{Known, check};

    fn technicians(now: i64) -> Vec<Technician> {
        [
            (1, "Tina First-Line", StaffRole::Tier1, None, 45),
            (2, "Sam Specialist", StaffRole::Tier2, None, 55),
            (3, "Erin Expert", StaffRole::Tier3, None, 90),
            (4, "Alex Admin", StaffRole::Admin, None, 10),
            (5, "Olga Petrova", StaffRole::Tier1, None, 35),
            (6, "Ingrid Solberg", StaffRole::Tier2, None, 45),
            (7, "Marc Dubois", StaffRole::Tier1, Some(now - 40 * DAY), 20),
        ]
        .into_iter()
        .map(|(id, name, role, left_at, weight)| Technician {
            member: StaffMember {
                id,
                email: format!("{id}@demo.selfdesk"),
                display_name: name.into(),
                role,
                active: left_at.is_none(),
                two_factor: false,
            },
            left_at,
            weight,
        })
        .collect()
    }

    fn seed_flows() -> Vec<Flow> {
        let sources = crate::seed::flows::sources();
        let known = Known {
            articles: crate::seed::kb::article_slugs().into_iter().collect(),
            categories: [
                "hardware", "printing", "network", "software", "account", "email", "other",
            ]
            .map(String::from)
            .into_iter()
            .collect(),
            flows: sources.iter().map(|(slug, _)| slug.clone()).collect(),
        };
        sources
            .iter()
            .map(|(slug, source)| {
                let mut flow = check(source, slug, &known).0.expect("seed flows parse");
                flow.version = 1;
                flow
            })
            .collect()
    }

    /// Status and tier as the events tell them, the way a reader of the timeline
    /// (or a catch-up computing facts from it) replays them.
    fn replay(ticket: &TicketRow) -> (TicketStatus, Tier) {
        let (mut status, mut tier) = (TicketStatus::New, Tier::FIRST);
        for event in &ticket.events {
            match &event.change {
                TicketChange::Reply { .. }
                    if event.actor == ActorKind::Staff && status == TicketStatus::New
                        || event.actor == ActorKind::Requester
                            && status == TicketStatus::WaitingForRequester =>
                {
                    status = TicketStatus::InProgress;
                }
                TicketChange::Status { to, .. } => status = *to,
                TicketChange::Tier { to, .. } => tier = *to,
                TicketChange::Reopened { .. } => status = TicketStatus::InProgress,
                TicketChange::Confirmed | TicketChange::AutoClosed => status = TicketStatus::Closed,
                _ => {}
            }
        }
        (status, tier)
    }

    #[test]
    fn a_believable_history_on_any_day() {
        let content = Content::load().unwrap();
        let policy = SlaPolicy::default();
        let flows = seed_flows();
        // What the search would find: the problem's article, for its own words.
        let mut hits = HashMap::new();
        for problem in &content.problems {
            for lang in Language::ALL {
                for query in &problem.text(lang).searches {
                    let found = problem.article.clone().map_or((0, None), |a| (3, Some(a)));
                    hits.insert((lang, normalise_query(query)), found);
                }
            }
        }
        let categories = HashMap::new();
        let mut waiting = 0;
        // Several days of the week, so weekends fall on every day of the history.
        for day in 0..7 {
            let now = 1_796_000_000 + day * (DAY + 3 * HOUR + 7 * MINUTE);
            let technicians = technicians(now);
            let inputs = Inputs {
                now,
                policy: &policy,
                content: &content,
                technicians: &technicians,
                flows: &flows,
                hits: &hits,
                categories: &categories,
                incident_ids: [11, 12],
            };
            let history = plan(&inputs).unwrap();
            let again = plan(&inputs).unwrap();
            assert_eq!(history.tickets.len(), again.tickets.len(), "deterministic");
            assert_eq!(
                history.refused, 0,
                "every planned change is one the server allows"
            );
            let tickets = &history.tickets;
            assert!(
                (600..=900).contains(&tickets.len()),
                "{} tickets",
                tickets.len()
            );

            for t in tickets {
                assert!(matches!(t.events[0].change, TicketChange::Created));
                assert!(t.events.windows(2).all(|w| w[0].at < w[1].at));
                assert!(t.events.last().unwrap().at <= now);
                assert!(now - t.created_at <= DAYS * DAY + DAY);
                assert_eq!(t.revision, t.events.len() as i64 - 1);
                assert_eq!(t.updated_at, t.events.last().unwrap().at);
                assert_eq!(replay(t), (t.state.status, t.state.tier), "{}", t.subject);
                let waiting = t.state.status == TicketStatus::WaitingForRequester;
                assert_eq!(t.pauses.iter().any(|p| p.until.is_none()), waiting);
                if let Some(words) = &t.search_words {
                    assert!(!words.is_empty() && words.len() <= 10);
                    assert!(t.self_service_session_hash.is_some());
                }
            }

            let count = |f: &dyn Fn(&TicketRow) -> bool| tickets.iter().filter(|t| f(t)).count();
            let has_event = |t: &TicketRow, f: &dyn Fn(&TicketChange) -> bool| {
                t.events.iter().any(|e| f(&e.change))
            };
            for category in [
                "hardware", "printing", "network", "software", "account", "email", "other",
            ] {
                assert!(count(&|t| t.category == category) >= 20, "{category}");
            }
            for priority in Priority::ALL {
                assert!(count(&|t| t.state.priority == priority) > 0, "{priority:?}");
            }
            for lang in Language::ALL {
                assert!(count(&|t| t.language == lang) >= 60, "{lang:?}");
            }
            assert!(count(&|t| t.state.tier == Tier::THIRD) > 5);
            assert!(count(&|t| t.state.tier == Tier::SECOND) > 20);
            assert!(count(&|t| has_event(t, &|c| matches!(c, TicketChange::Reopened { .. }))) > 5);
            assert!(count(&|t| has_event(t, &|c| matches!(c, TicketChange::AutoClosed))) > 50);
            assert!(
                count(&|t| has_event(t, &|c| matches!(c, TicketChange::InternalNote { .. }))) > 30
            );
            assert!(count(&|t| t.state.rating.is_some_and(|r| r <= 2)) > 10);
            assert!(count(&|t| t.state.rating == Some(5)) > 30);
            assert!(count(&|t| t.state.incident_id == Some(11)) >= 20);
            assert!(count(&|t| t.transcript.is_some()) > 20);
            assert!(count(&|t| t.search_words.is_some()) > 100);
            // The backlog: what was filed in the last days is mostly still open.
            let recent = tickets.iter().filter(|t| now - t.created_at < 2 * DAY);
            let (open, all) = recent.fold((0, 0), |(o, a), t| {
                (o + usize::from(t.state.status.is_open()), a + 1)
            });
            assert!(open * 2 > all, "{open} of {all} recent tickets open");
            waiting += count(&|t| t.state.status == TicketStatus::WaitingForRequester);
            // The deactivated technician worked only before leaving.
            let left = now - 40 * DAY;
            assert!(
                tickets
                    .iter()
                    .flat_map(|t| &t.events)
                    .any(|e| e.staff_id == Some(7))
            );
            assert!(
                tickets
                    .iter()
                    .flat_map(|t| &t.events)
                    .all(|e| e.staff_id != Some(7) || e.at < left)
            );
            // Repeat contacts: the same person, the same category, within a week.
            let mut repeats = 0;
            for (i, t) in tickets.iter().enumerate() {
                repeats += usize::from(tickets[..i].iter().any(|e| {
                    e.requester_email == t.requester_email
                        && e.category == t.category
                        && t.created_at - e.created_at <= 7 * DAY
                }));
            }
            assert!(repeats > 30, "{repeats} repeat contacts");
            let emails: HashSet<&str> =
                tickets.iter().map(|t| t.requester_email.as_str()).collect();
            assert!(
                (100..=150).contains(&emails.len()),
                "{} requesters",
                emails.len()
            );

            let states: HashSet<&str> = history.walks.iter().map(|w| w.state.as_str()).collect();
            assert_eq!(states.len(), 4, "{states:?}");
            assert!(history.searches.len() > 1200);
            assert!(history.votes.len() > 100);
            assert!(history.service_events.len() > 500);
            assert!(
                history
                    .service_events
                    .iter()
                    .any(|e| e.kind == "suggestion_opened")
            );
            assert!(history.searches.iter().all(|s| s.created_at <= now));
        }
        assert!(
            waiting >= 14,
            "{waiting} tickets waiting for their requester"
        );
    }
}
