//! Insight: the stored facts of each ticket (`insight::facts`), written only over the
//! ticket revision they were computed from, and the reads a period's figures are
//! counted from (`insight::report`).
//!
//! A period's reads return few rows however many tickets it covers: each is one range
//! of one index, and the per-ticket values a figure needs (a day, a priority, a
//! duration, who) come back packed into one integer per ticket, all of them in one
//! value (`group_concat` on SQLite, `array_agg` on PostgreSQL), because reading 100,000
//! rows one by one costs more than the whole answer may (see [`Packed`]). The figures
//! that only add up (tickets filed, the words of their subjects, tickets filed after
//! reading an article) are read from per-day totals that triggers on `ticket_facts`
//! keep (migration 0017): a year is a few thousand small rows.

use std::collections::HashMap;

use selfdesk_shared::insight::REPEAT_WINDOW_DAYS;
use selfdesk_shared::language::Language;
use selfdesk_shared::sla::{Pause, Priority};
use selfdesk_shared::tickets::{ActorKind, TicketChange, TicketStatus};
use selfdesk_shared::tier::Tier;

use crate::db::Db;
use crate::insight::facts::{Event, Ticket, TicketFacts};
use crate::with_pool;

/// `sql`, written with `$1, $2, …` each once and in order, as the database in use
/// takes it best. Binding the `n`-th of `N` named or numbered parameters costs SQLite a
/// walk along the names of all of them, so a statement with thousands (a batch of
/// facts) would spend most of its time there; plain `?` are positional and cost
/// nothing. PostgreSQL only takes `$N`.
fn positional(db: &Db, sql: String) -> String {
    let Db::Sqlite(_) = db else { return sql };
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql.as_str();
    let mut expected = 1_usize;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        debug_assert_eq!(
            rest[at + 1..at + 1 + digits].parse::<usize>().ok(),
            Some(expected),
            "parameters in order, each once"
        );
        out.push('?');
        expected += 1;
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Up to this many tickets are read or written at once.
pub const BATCH: i64 = 500;

/// Tickets after `after` (in id order) whose facts are missing or older than the
/// ticket, at most `limit`.
pub async fn stale_ids(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT t.id FROM tickets t LEFT JOIN ticket_facts f ON f.ticket_id = t.id
             WHERE t.id > $1 AND (f.ticket_id IS NULL OR f.revision < t.revision)
             ORDER BY t.id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// Every ticket after `after`, in id order, at most `limit`.
pub async fn ids_after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<i64>> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM tickets WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
    })
}

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: i64,
    revision: i64,
    created_at: i64,
    updated_at: i64,
    category: String,
    priority: String,
    status: String,
    tier: i64,
    requester_email: String,
    subject: String,
    self_service_session_hash: Option<String>,
    incident_id: Option<i64>,
    first_responded_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<i64>,
    repeat_contact: bool,
}

/// What the facts of `ids` are computed from: each ticket, its events in order and
/// its pauses. Whether a ticket is a repeat contact is asked here, of the tickets
/// table (an index on the lower-cased address, category and time answers it).
pub async fn sources(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<(Ticket, Vec<Event>, Vec<Pause>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(2, ids.len());
    let tickets_sql = format!(
        "SELECT t.id, t.revision, t.created_at, t.updated_at, t.category, t.priority, t.status,
                t.tier, t.requester_email, t.subject, t.self_service_session_hash, t.incident_id,
                t.first_responded_at, t.resolved_at, t.closed_at, t.rating,
                EXISTS (SELECT 1 FROM tickets p
                        WHERE lower(p.requester_email) = lower(t.requester_email)
                          AND p.category = t.category
                          AND p.created_at >= t.created_at - $1 AND p.created_at <= t.created_at
                          AND p.id <> t.id
                          AND (p.created_at < t.created_at OR p.id < t.id)) AS repeat_contact
         FROM tickets t WHERE t.id IN ({list})"
    );
    let events_sql = format!(
        "SELECT ticket_id, created_at, actor, actor_staff_id, data FROM ticket_events
         WHERE ticket_id IN ({}) ORDER BY ticket_id, id",
        placeholders(1, ids.len())
    );
    let pauses_sql = format!(
        "SELECT ticket_id, from_at, until_at FROM ticket_pauses WHERE ticket_id IN ({})",
        placeholders(1, ids.len())
    );
    let (tickets_sql, events_sql, pauses_sql) = (
        positional(db, tickets_sql),
        positional(db, events_sql),
        positional(db, pauses_sql),
    );
    let window = REPEAT_WINDOW_DAYS * 86_400;
    let (tickets, events, pauses) = with_pool!(db, |pool| {
        async {
            let mut tickets = sqlx::query_as::<_, TicketRow>(&tickets_sql).bind(window);
            let mut events =
                sqlx::query_as::<_, (i64, i64, String, Option<i64>, String)>(&events_sql);
            let mut pauses = sqlx::query_as::<_, (i64, i64, Option<i64>)>(&pauses_sql);
            for id in ids {
                tickets = tickets.bind(id);
                events = events.bind(id);
                pauses = pauses.bind(id);
            }
            Ok::<_, sqlx::Error>((
                tickets.fetch_all(pool).await?,
                events.fetch_all(pool).await?,
                pauses.fetch_all(pool).await?,
            ))
        }
        .await
    })?;
    let mut events_of: HashMap<i64, Vec<Event>> = HashMap::new();
    for (ticket_id, at, actor, staff_id, data) in events {
        // An event this server cannot read (written by a newer one) tells nothing.
        let Ok(change) = serde_json::from_str::<TicketChange>(&data) else {
            continue;
        };
        let actor = match actor.as_str() {
            "staff" => ActorKind::Staff,
            "system" => ActorKind::System,
            _ => ActorKind::Requester,
        };
        events_of.entry(ticket_id).or_default().push(Event {
            at,
            actor,
            staff_id,
            change,
        });
    }
    let mut pauses_of: HashMap<i64, Vec<Pause>> = HashMap::new();
    for (ticket_id, from, until) in pauses {
        pauses_of
            .entry(ticket_id)
            .or_default()
            .push(Pause { from, until });
    }
    Ok(tickets
        .into_iter()
        .map(|row| {
            let ticket = Ticket {
                id: row.id,
                revision: row.revision,
                created_at: row.created_at,
                updated_at: row.updated_at,
                category: row.category,
                priority: Priority::parse(&row.priority).unwrap_or(Priority::P3),
                status: TicketStatus::parse(&row.status).unwrap_or(TicketStatus::New),
                tier: Tier::nearest(row.tier),
                requester_email: row.requester_email,
                subject: row.subject,
                session_hash: row.self_service_session_hash,
                incident_id: row.incident_id,
                first_responded_at: row.first_responded_at,
                resolved_at: row.resolved_at,
                closed_at: row.closed_at,
                rating: row.rating.map(|r| r.clamp(1, 5) as u8),
                repeat_contact: row.repeat_contact,
            };
            let events = events_of.remove(&ticket.id).unwrap_or_default();
            let pauses = pauses_of.remove(&ticket.id).unwrap_or_default();
            (ticket, events, pauses)
        })
        .collect())
}

/// The stored number of a priority: 1 for P1 … 4 for P4.
pub fn priority_number(priority: Priority) -> i64 {
    priority.index() as i64 + 1
}

const FACT_COLUMNS: [&str; 25] = [
    "ticket_id",
    "revision",
    "created_at",
    "category",
    "priority",
    "requester",
    "session_hash",
    "incident_id",
    "done",
    "repeat_contact",
    "first_response_at",
    "first_responder_id",
    "first_response_minutes",
    "first_response_met",
    "first_response_breach_at",
    "first_response_breach_tier",
    "resolution_breach_at",
    "resolution_breach_tier",
    "resolved_at",
    "resolver_id",
    "escalated",
    "reopened",
    "rating",
    "rated_at",
    "subject_words",
];

const RESOLUTION_COLUMNS: [&str; 13] = [
    "ticket_id",
    "seq",
    "resolved_at",
    "resolver_id",
    "category",
    "priority",
    "tier",
    "minutes",
    "met",
    "public_replies",
    "first_contact",
    "reopened_at",
    "reopened_soon",
];

const STAY_COLUMNS: [&str; 7] = [
    "ticket_id",
    "seq",
    "tier",
    "from_at",
    "until_at",
    "minutes",
    "ended",
];

/// `(…), (…)` for `rows` rows of `columns` values each, numbered from `$1`.
fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value bound into one of the writes below.
enum Value<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
}

fn flag(value: bool) -> Value<'static> {
    Value::Int(Some(i64::from(value)))
}

fn int(value: i64) -> Value<'static> {
    Value::Int(Some(value))
}

/// The row's values; `words` is the subject's words as stored, space-separated.
fn fact_values<'a>(f: &'a TicketFacts, words: &'a str) -> Vec<Value<'a>> {
    let first = f.first_response.as_ref();
    let latest = f.latest_resolution();
    vec![
        int(f.ticket_id),
        int(f.revision),
        int(f.created_at),
        Value::Text(Some(&f.category)),
        int(priority_number(f.priority)),
        Value::Text(Some(&f.requester)),
        Value::Text(f.session_hash.as_deref()),
        Value::Int(f.incident_id),
        flag(f.done),
        flag(f.repeat_contact),
        Value::Int(first.map(|r| r.at)),
        Value::Int(first.and_then(|r| r.by)),
        Value::Int(first.map(|r| r.minutes.min(MAX_MINUTES))),
        Value::Int(first.map(|r| i64::from(r.met))),
        Value::Int(f.first_response_breach.map(|b| b.at)),
        Value::Int(f.first_response_breach.map(|b| i64::from(b.tier))),
        Value::Int(f.resolution_breach.map(|b| b.at)),
        Value::Int(f.resolution_breach.map(|b| i64::from(b.tier))),
        Value::Int(latest.map(|r| r.at)),
        Value::Int(latest.and_then(|r| r.by)),
        flag(f.escalated),
        flag(f.reopened),
        Value::Int(f.rating.map(|r| i64::from(r.value))),
        Value::Int(f.rating.map(|r| r.at)),
        Value::Text(Some(words)),
    ]
}

fn resolution_values(f: &TicketFacts) -> Vec<Vec<Value<'_>>> {
    f.resolutions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                int(f.ticket_id),
                int(i as i64 + 1),
                int(r.at),
                Value::Int(r.by),
                Value::Text(Some(&f.category)),
                int(priority_number(f.priority)),
                int(i64::from(r.tier)),
                int(r.minutes.min(MAX_MINUTES)),
                flag(r.met),
                int(r.public_replies),
                flag(r.first_contact),
                Value::Int(r.reopened_at),
                flag(r.reopened_soon()),
            ]
        })
        .collect()
}

fn stay_values(f: &TicketFacts) -> Vec<Vec<Value<'_>>> {
    f.tier_stays
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                int(f.ticket_id),
                int(i as i64 + 1),
                int(i64::from(s.tier)),
                int(s.from),
                int(s.until),
                int(s.minutes.min(MAX_MINUTES)),
                Value::Text(Some(s.ended.as_str())),
            ]
        })
        .collect()
}

macro_rules! bind_all {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(*v),
            };
        }
        query
    }};
}

/// Writes the facts of several tickets in one transaction. Each ticket's row (and its
/// resolutions and tier stays) is written only if the ticket is still at the revision
/// the facts were computed from, and never over facts of a later revision. Returns how
/// many tickets' facts were written.
pub async fn write_facts(db: &Db, facts: &[TicketFacts]) -> sqlx::Result<u64> {
    if facts.is_empty() {
        return Ok(0);
    }
    let columns = FACT_COLUMNS.join(", ");
    let updates = FACT_COLUMNS[1..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let from_v = FACT_COLUMNS
        .iter()
        .map(|c| format!("v.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // A correlated EXISTS, not a join: SQLite would otherwise scan the tickets and look
    // each up in the values.
    let upsert = format!(
        "WITH v ({columns}) AS (VALUES {values})
         INSERT INTO ticket_facts ({columns})
         SELECT {from_v} FROM v
         WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.id = v.ticket_id AND t.revision = v.revision)
         ON CONFLICT (ticket_id) DO UPDATE SET {updates}
         WHERE ticket_facts.revision <= excluded.revision
         RETURNING ticket_id",
        values = value_rows(facts.len(), FACT_COLUMNS.len()),
    );
    let upsert = positional(db, upsert);
    let words: Vec<String> = facts.iter().map(|f| f.subject_words.join(" ")).collect();
    let values: Vec<Value> = facts
        .iter()
        .zip(&words)
        .flat_map(|(f, w)| fact_values(f, w))
        .collect();
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            // The first statement writes: on SQLite it takes the write lock at once.
            let written: Vec<i64> = bind_all!(sqlx::query_scalar(&upsert), &values)
                .fetch_all(&mut *tx)
                .await?;
            if written.is_empty() {
                return Ok(0);
            }
            let written_set: std::collections::HashSet<i64> = written.iter().copied().collect();
            let list = placeholders(1, written.len());
            for table in ["ticket_resolutions", "ticket_tier_stays"] {
                let sql = positional(
                    db,
                    format!("DELETE FROM {table} WHERE ticket_id IN ({list})"),
                );
                let mut query = sqlx::query(&sql);
                for id in &written {
                    query = query.bind(id);
                }
                query.execute(&mut *tx).await?;
            }
            let mine = facts.iter().filter(|f| written_set.contains(&f.ticket_id));
            let resolutions: Vec<Vec<Value>> = mine.clone().flat_map(resolution_values).collect();
            let stays: Vec<Vec<Value>> = mine.flat_map(stay_values).collect();
            for (table, columns, rows) in [
                ("ticket_resolutions", &RESOLUTION_COLUMNS[..], resolutions),
                ("ticket_tier_stays", &STAY_COLUMNS[..], stays),
            ] {
                for chunk in rows.chunks(1_000) {
                    let sql = positional(
                        db,
                        format!(
                            "INSERT INTO {table} ({}) VALUES {}",
                            columns.join(", "),
                            value_rows(chunk.len(), columns.len())
                        ),
                    );
                    bind_all!(sqlx::query(&sql), chunk.iter().flatten())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(written.len() as u64)
        }
        .await
    })
}

// ---- The reads a period's figures are counted from ----

/// Durations are stored up to this many business minutes (some 1,900 days of a
/// 9-hour desk's time), so that a read can pack them.
pub const MAX_MINUTES: i64 = (1 << 20) - 1;

/// Technicians are told apart in the reads up to this staff id; a higher one counts
/// as no technician (the team has more than 65,000 accounts).
pub const MAX_STAFF_ID: i64 = (1 << 16) - 1;

/// Categories are told apart in the reads up to this many; those beyond are counted
/// in every total, and in no category's row.
pub const MAX_CATEGORIES: usize = 255;

/// One per-ticket value of a packed read: an SQL expression over an index's columns
/// that gives a whole number from 0 to 2^`bits` − 1. `CATEGORY` stands for the
/// category's number (1 for the first of the portal's categories, 0 for none).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub sql: &'static str,
    pub bits: u32,
}

/// Several small numbers packed into one integer (the first field in the highest
/// bits), so that a read returns every ticket's values as one value: reading 100,000
/// rows one by one through sqlx costs about 170 ms on SQLite, one `group_concat` of
/// them about 20 ms. At most 63 bits, so the packed value is a positive `i64` on both
/// databases.
#[derive(Debug, Clone, Copy)]
pub struct Packed<const N: usize>(pub [Field; N]);

impl<const N: usize> Packed<N> {
    /// The SQL expression of the packed value; `category` replaces `CATEGORY`.
    pub fn sql(&self, category: &str) -> String {
        let field = |f: &Field| f.sql.replace("CATEGORY", category);
        let mut expr = format!("({})", field(&self.0[0]));
        for f in &self.0[1..] {
            expr = format!("({expr}) * {} + ({})", 1_i64 << f.bits, field(f));
        }
        expr
    }

    pub const fn bits(&self) -> u32 {
        let mut total = 0;
        let mut i = 0;
        while i < N {
            total += self.0[i].bits;
            i += 1;
        }
        total
    }

    /// The fields of one packed value, in order.
    pub fn unpack(&self, mut value: i64) -> [i64; N] {
        let mut out = [0; N];
        for i in (0..N).rev() {
            let bits = self.0[i].bits;
            out[i] = value & ((1_i64 << bits) - 1);
            value >>= bits;
        }
        out
    }
}

/// The day of a period window an instant falls on, counted from the window's start
/// (`$1`, the first instant of its first local day). Days are whole: the calendar's
/// offset from UTC is fixed.
macro_rules! day_of {
    ($column:literal) => {
        Field {
            sql: concat!("(", $column, " - $1) / 86400"),
            bits: 10,
        }
    };
}

const fn field(sql: &'static str, bits: u32) -> Field {
    Field { sql, bits }
}

/// A staff id up to [`MAX_STAFF_ID`]; 0 for none.
macro_rules! staff_field {
    ($column:literal) => {
        Field {
            sql: concat!(
                "CASE WHEN ",
                $column,
                " <= 65535 THEN ",
                $column,
                " ELSE 0 END"
            ),
            bits: 16,
        }
    };
}

/// Business minutes (stored at most [`MAX_MINUTES`]).
const fn minutes_field(sql: &'static str) -> Field {
    Field { sql, bits: 20 }
}

/// Tickets filed: day, category, repeat contact, resolved or closed now.
pub const CREATED: Packed<4> = Packed([
    day_of!("created_at"),
    field("CATEGORY", 8),
    field("repeat_contact", 1),
    field("done", 1),
]);

/// Tickets filed, from the day table: day, category, repeat contact, done, tickets.
pub const FILED_DAYS: Packed<5> = Packed([
    field("day - $1", 10),
    field("CATEGORY", 8),
    field("repeat_contact", 1),
    field("done", 1),
    field(
        "CASE WHEN tickets < 16777215 THEN tickets ELSE 16777215 END",
        24,
    ),
]);

/// First answers: day, priority (0 for P1), met, who, business minutes.
pub const FIRST_RESPONSES: Packed<5> = Packed([
    day_of!("first_response_at"),
    field("priority - 1", 2),
    field("first_response_met", 1),
    staff_field!("first_responder_id"),
    minutes_field("first_response_minutes"),
]);

/// Resolutions: day, category, priority, tier, met, reopened within the window, first
/// contact, who, business minutes.
pub const RESOLUTIONS: Packed<9> = Packed([
    day_of!("resolved_at"),
    field("CATEGORY", 8),
    field("priority - 1", 2),
    field("tier", 2),
    field("met", 1),
    field("reopened_soon", 1),
    field("first_contact", 1),
    staff_field!("resolver_id"),
    minutes_field("minutes"),
]);

/// Ended stays at a tier: day, tier, how it ended (1 escalated, 2 sent back, 3
/// resolved), business minutes.
pub const STAYS: Packed<4> = Packed([
    day_of!("until_at"),
    field("tier", 2),
    field(
        "CASE ended WHEN 'escalated' THEN 1 WHEN 'sent_back' THEN 2 ELSE 3 END",
        2,
    ),
    minutes_field("minutes"),
]);

/// Ratings: day, rating, who resolved the ticket.
pub const RATINGS: Packed<3> = Packed([
    day_of!("rated_at"),
    field("rating", 3),
    staff_field!("resolver_id"),
]);

/// Reopenings: day.
pub const REOPENINGS: Packed<1> = Packed([day_of!("reopened_at")]);

/// Deadlines missed: day, tier then.
pub const FIRST_RESPONSE_BREACHES: Packed<2> = Packed([
    day_of!("first_response_breach_at"),
    field("first_response_breach_tier", 2),
]);
pub const RESOLUTION_BREACHES: Packed<2> = Packed([
    day_of!("resolution_breach_at"),
    field("resolution_breach_tier", 2),
]);

/// Numbers in a `group_concat`.
fn numbers(text: Option<String>) -> Vec<i64> {
    text.unwrap_or_default()
        .split(',')
        .filter_map(|v| v.parse().ok())
        .collect()
}

/// Runs `SELECT PACKED FROM … WHERE …` where `PACKED` stands for the aggregate of the
/// packed expression, with `$1` and `$2` bound to `from` and `until` and the slugs of
/// `categories` after them (for `CATEGORY`); returns the unpacked values.
async fn packed<const N: usize>(
    db: &Db,
    layout: &Packed<N>,
    sql: &str,
    from: i64,
    until: i64,
    categories: &[String],
) -> sqlx::Result<Vec<[i64; N]>> {
    let known = &categories[..categories.len().min(MAX_CATEGORIES)];
    let category = if known.is_empty() {
        "0".to_owned()
    } else {
        let whens: String = (0..known.len())
            .map(|i| format!(" WHEN ${} THEN {}", i + 3, i + 1))
            .collect();
        format!("CASE category{whens} ELSE 0 END")
    };
    let expr = layout.sql(&category);
    let values = match db {
        Db::Sqlite(pool) => {
            let sql = sql.replace("PACKED", &format!("group_concat({expr})"));
            let mut query = sqlx::query_scalar(&sql).bind(from).bind(until);
            if sql.contains("$3") {
                for slug in known {
                    query = query.bind(slug);
                }
            }
            numbers(query.fetch_one(pool).await?)
        }
        Db::Postgres(pool) => {
            let sql = sql.replace("PACKED", &format!("array_agg({expr})"));
            let mut query = sqlx::query_scalar(&sql).bind(from).bind(until);
            if sql.contains("$3") {
                for slug in known {
                    query = query.bind(slug);
                }
            }
            let values: Option<Vec<i64>> = query.fetch_one(pool).await?;
            values.unwrap_or_default()
        }
    };
    Ok(values.into_iter().map(|v| layout.unpack(v)).collect())
}

/// Tickets filed: day, category, repeat contact, resolved or closed now, and how many
/// tickets have these (1 when read per ticket).
pub type FiledCount = [i64; 5];

/// Tickets filed in [from, until) by day, category, repeat contact and done: from the
/// day table when `day_tables` is the UTC offset its days begin at (see
/// [`day_start`]), else from the facts. `categories` are the portal's, in order.
pub async fn created(
    db: &Db,
    from: i64,
    until: i64,
    day_tables: Option<i64>,
    categories: &[String],
) -> sqlx::Result<Vec<FiledCount>> {
    if let Some(utc_offset_seconds) = day_tables {
        // Whole local days: `from` and `until` are the first instants of theirs.
        let day = |at: i64| (at + utc_offset_seconds).div_euclid(86_400);
        return packed(
            db,
            &FILED_DAYS,
            "SELECT PACKED FROM ticket_days WHERE day >= $1 AND day < $2 AND tickets <> 0",
            day(from),
            day(until),
            categories,
        )
        .await;
    }
    let tickets = packed(
        db,
        &CREATED,
        "SELECT PACKED FROM ticket_facts WHERE created_at >= $1 AND created_at < $2",
        from,
        until,
        categories,
    )
    .await?;
    Ok(tickets
        .into_iter()
        .map(|[day, category, repeat, done]| [day, category, repeat, done, 1])
        .collect())
}

/// The UTC offset (seconds) the day tables' days begin at.
pub async fn day_start(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT utc_offset_seconds FROM insight_day_start")
            .fetch_one(pool)
            .await
    })
}

/// Counts the day tables again from every ticket's facts with days that begin at
/// `utc_offset_seconds`, unless they already do. Returns whether they were counted.
pub async fn count_days(db: &Db, utc_offset_seconds: i64) -> sqlx::Result<bool> {
    // Every sweep asks; only a change of offset takes the lock below.
    if day_start(db).await? == utc_offset_seconds {
        return Ok(false);
    }
    with_pool!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            if let Db::Postgres(_) = db {
                // No facts written meanwhile: their triggers would count them with
                // the offset this replaces, or count them twice.
                sqlx::query("LOCK TABLE ticket_facts IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            // Writes first: on SQLite this takes the write lock before anything is read.
            let changed = sqlx::query(
                "UPDATE insight_day_start SET utc_offset_seconds = $1
                 WHERE utc_offset_seconds <> $2",
            )
            .bind(utc_offset_seconds)
            .bind(utc_offset_seconds)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            let (words, word) = match db {
                Db::Sqlite(_) => WORDS_SQLITE,
                Db::Postgres(_) => WORDS_POSTGRES,
            };
            for sql in [
                "DELETE FROM ticket_days".to_owned(),
                "DELETE FROM ticket_word_days".to_owned(),
                "DELETE FROM ticket_article_days".to_owned(),
                "INSERT INTO ticket_article_days (day, slug, tickets)
                 SELECT (f.created_at + $1) / 86400, v.subject, COUNT(DISTINCT f.ticket_id)
                 FROM ticket_facts f
                 JOIN (SELECT DISTINCT session_hash, subject, created_at FROM self_service_events
                       WHERE kind = 'article_viewed') v
                   ON v.session_hash = f.session_hash AND v.created_at <= f.created_at
                 WHERE f.session_hash IS NOT NULL GROUP BY 1, 2"
                    .to_owned(),
                "INSERT INTO ticket_days (day, category, repeat_contact, done, tickets)
                 SELECT (created_at + $1) / 86400, category, repeat_contact, done, COUNT(*)
                 FROM ticket_facts WHERE true GROUP BY 1, 2, 3, 4"
                    .to_owned(),
                format!(
                    "INSERT INTO ticket_word_days (day, word, tickets)
                     SELECT (f.created_at + $1) / 86400, {word}, COUNT(*)
                     FROM ticket_facts f, {words} WHERE {word} <> '' GROUP BY 1, 2"
                ),
            ] {
                let query = sqlx::query(&sql);
                let query = if sql.contains("$1") {
                    query.bind(utc_offset_seconds)
                } else {
                    query
                };
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(true)
        }
        .await
    })
}

/// The words of `f.subject_words` as rows of `w`, and the column that holds each word
/// (they are letters and digits, `insight::words`: SQLite splits them as a JSON array).
const WORDS_SQLITE: (&str, &str) = (
    r#"json_each('["' || replace(replace(replace(f.subject_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') AS w"#,
    "w.value",
);
const WORDS_POSTGRES: (&str, &str) = (
    "unnest(string_to_array(f.subject_words, ' ')) AS w (word)",
    "w.word",
);

/// Tickets first answered in [from, until).
pub async fn first_responses(db: &Db, from: i64, until: i64) -> sqlx::Result<Vec<[i64; 5]>> {
    packed(
        db,
        &FIRST_RESPONSES,
        "SELECT PACKED FROM ticket_facts
         WHERE first_response_at >= $1 AND first_response_at < $2",
        from,
        until,
        &[],
    )
    .await
}

/// Resolutions made in [from, until). `categories` are the portal's, in order.
pub async fn resolutions(
    db: &Db,
    from: i64,
    until: i64,
    categories: &[String],
) -> sqlx::Result<Vec<[i64; 9]>> {
    packed(
        db,
        &RESOLUTIONS,
        "SELECT PACKED FROM ticket_resolutions WHERE resolved_at >= $1 AND resolved_at < $2",
        from,
        until,
        categories,
    )
    .await
}

/// Reopenings in [from, until).
pub async fn reopenings(db: &Db, from: i64, until: i64) -> sqlx::Result<Vec<[i64; 1]>> {
    packed(
        db,
        &REOPENINGS,
        "SELECT PACKED FROM ticket_resolutions WHERE reopened_at >= $1 AND reopened_at < $2",
        from,
        until,
        &[],
    )
    .await
}

/// Stays at a tier that ended in [from, until).
pub async fn tier_stays(db: &Db, from: i64, until: i64) -> sqlx::Result<Vec<[i64; 4]>> {
    packed(
        db,
        &STAYS,
        "SELECT PACKED FROM ticket_tier_stays WHERE until_at >= $1 AND until_at < $2",
        from,
        until,
        &[],
    )
    .await
}

/// Ratings given in [from, until).
pub async fn ratings(db: &Db, from: i64, until: i64) -> sqlx::Result<Vec<[i64; 3]>> {
    packed(
        db,
        &RATINGS,
        "SELECT PACKED FROM ticket_facts WHERE rated_at >= $1 AND rated_at < $2",
        from,
        until,
        &[],
    )
    .await
}

/// Deadlines that passed unmet in [from, until): first responses, then resolutions.
pub async fn breaches(
    db: &Db,
    from: i64,
    until: i64,
) -> sqlx::Result<(Vec<[i64; 2]>, Vec<[i64; 2]>)> {
    let first = packed(
        db,
        &FIRST_RESPONSE_BREACHES,
        "SELECT PACKED FROM ticket_facts
         WHERE first_response_breach_at >= $1 AND first_response_breach_at < $2",
        from,
        until,
        &[],
    );
    let resolution = packed(
        db,
        &RESOLUTION_BREACHES,
        "SELECT PACKED FROM ticket_facts
         WHERE resolution_breach_at >= $1 AND resolution_breach_at < $2",
        from,
        until,
        &[],
    );
    tokio::try_join!(first, resolution)
}

/// Counts of facts on one side of an instant: tickets filed, resolutions, reopenings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub filed: i64,
    pub resolved: i64,
    pub reopened: i64,
}

/// Tickets filed, resolutions and reopenings before `at`.
pub async fn totals_before(db: &Db, at: i64) -> sqlx::Result<Totals> {
    totals(db, at, "<").await
}

/// Tickets filed, resolutions and reopenings at `at` or later.
pub async fn totals_since(db: &Db, at: i64) -> sqlx::Result<Totals> {
    totals(db, at, ">=").await
}

async fn totals(db: &Db, at: i64, side: &str) -> sqlx::Result<Totals> {
    // `side` is one of two fixed operators.
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM ticket_facts WHERE created_at {side} $1),
                (SELECT COUNT(*) FROM ticket_resolutions WHERE resolved_at {side} $1),
                (SELECT COUNT(*) FROM ticket_resolutions WHERE reopened_at {side} $1)"
    );
    let (filed, resolved, reopened): (i64, i64, i64) = with_pool!(db, |pool| {
        sqlx::query_as(&sql).bind(at).fetch_one(pool).await
    })?;
    Ok(Totals {
        filed,
        resolved,
        reopened,
    })
}

/// Tickets open now (by their facts), and when the first ticket was filed.
pub async fn open_now(db: &Db) -> sqlx::Result<(i64, Option<i64>)> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM ticket_facts WHERE done = 0),
                    (SELECT MIN(created_at) FROM ticket_facts)",
        )
        .fetch_one(pool)
        .await
    })
}

/// A rating of `at_most` or less given in [from, until): the ticket's number, the
/// rating, its comment, when.
pub async fn low_ratings(
    db: &Db,
    from: i64,
    until: i64,
    at_most: u8,
    limit: i64,
) -> sqlx::Result<Vec<(String, i64, String, i64)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT t.number, f.rating, COALESCE(t.rating_comment, ''), f.rated_at
             FROM ticket_facts f JOIN tickets t ON t.id = f.ticket_id
             WHERE f.rated_at >= $1 AND f.rated_at < $2 AND f.rating <= $3
             ORDER BY f.rated_at DESC, f.ticket_id DESC LIMIT $4",
        )
        .bind(from)
        .bind(until)
        .bind(i64::from(at_most))
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// The words of the subjects of the tickets filed in [from, until), each with how
/// many subjects have it: from the day table when `day_tables` is the UTC offset its
/// days begin at, else from the facts.
pub async fn subject_words(
    db: &Db,
    from: i64,
    until: i64,
    day_tables: Option<i64>,
) -> sqlx::Result<Vec<(String, i64)>> {
    if let Some(utc_offset_seconds) = day_tables {
        let day = |at: i64| (at + utc_offset_seconds).div_euclid(86_400);
        return with_pool!(db, |pool| {
            sqlx::query_as(
                "SELECT word, CAST(SUM(tickets) AS BIGINT) FROM ticket_word_days
                 WHERE day >= $1 AND day < $2 AND tickets <> 0
                 GROUP BY word HAVING SUM(tickets) > 0",
            )
            .bind(day(from))
            .bind(day(until))
            .fetch_all(pool)
            .await
        });
    }
    let text: Option<String> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar(
                "SELECT group_concat(subject_words, ' ') FROM ticket_facts
                 WHERE created_at >= $1 AND created_at < $2 AND subject_words <> ''",
            )
            .bind(from)
            .bind(until)
            .fetch_one(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar(
                "SELECT string_agg(subject_words, ' ') FROM ticket_facts
                 WHERE created_at >= $1 AND created_at < $2 AND subject_words <> ''",
            )
            .bind(from)
            .bind(until)
            .fetch_one(pool)
            .await?
        }
    };
    let mut counts: HashMap<String, i64> = HashMap::new();
    for word in text.as_deref().unwrap_or_default().split(' ') {
        if !word.is_empty() {
            *counts.entry(word.to_owned()).or_default() += 1;
        }
    }
    Ok(counts.into_iter().collect())
}

/// Known incidents with tickets filed in [from, until) linked to them now: id, title,
/// open, tickets; most tickets first.
pub async fn incidents(
    db: &Db,
    from: i64,
    until: i64,
) -> sqlx::Result<Vec<(i64, String, bool, i64)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT i.id, i.title, i.status = 'open', COUNT(*)
             FROM ticket_facts f JOIN incidents i ON i.id = f.incident_id
             WHERE f.incident_id IS NOT NULL AND f.created_at >= $1 AND f.created_at < $2
             GROUP BY i.id, i.title, i.status
             ORDER BY COUNT(*) DESC, i.id",
        )
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await
    })
}

/// The browser sessions of [from, until) by what they did, each list as its sessions'
/// hashes (their first 16 characters): searched, opened an article or a suggestion, walked a flow, reached a
/// "fixed" end, answered "Did this help?", answered yes, and filed a ticket. A session
/// is in a list as often as it did the thing; `insight::report` counts each once.
/// Beside them, per article of the knowledge base, the sessions that opened it then.
#[derive(Debug, Default)]
pub struct Sessions {
    pub searched: String,
    pub opened: String,
    /// Slug, sessions (by their whole hash).
    pub article_views: Vec<(String, i64)>,
    pub walked: String,
    pub fixed: String,
    pub voted: String,
    pub helped: String,
    pub filed: String,
}

impl Sessions {
    /// The hashes of one list.
    pub fn hashes(list: &str) -> impl Iterator<Item = &str> {
        list.split(',').filter(|h| !h.is_empty())
    }
}

/// [`Sessions`] of [from, until): each list read from one index alone, so that the
/// counting (which on SQLite would sort every hash) is done in Rust. The period's
/// self-service events are read once, for the sessions that opened something and for
/// the sessions per article (a `COUNT(DISTINCT …)` per article sorted every hash again).
pub async fn sessions(db: &Db, from: i64, until: i64) -> sqlx::Result<Sessions> {
    let lists = [
        "FROM search_log WHERE created_at >= $1 AND created_at < $2 AND session_hash IS NOT NULL",
        "FROM flow_walks WHERE started_at >= $1 AND started_at < $2 AND session_hash IS NOT NULL",
        "FROM flow_walks WHERE started_at >= $1 AND started_at < $2 AND session_hash IS NOT NULL
           AND state = 'resolved'",
        "FROM kb_votes WHERE updated_at >= $1 AND updated_at < $2 AND session_hash IS NOT NULL",
        "FROM kb_votes WHERE updated_at >= $1 AND updated_at < $2 AND session_hash IS NOT NULL
           AND helpful",
        "FROM ticket_facts WHERE created_at >= $1 AND created_at < $2 AND session_hash IS NOT NULL",
    ];
    // A session is told apart by the first 64 bits of its hash: a quarter of the text
    // to gather and compare, and two of a million sessions share them with a chance of
    // one in 30 million.
    let (agg, all) = match db {
        Db::Sqlite(_) => (
            "group_concat(substr(session_hash, 1, 16))",
            "group_concat(session_hash)",
        ),
        Db::Postgres(_) => (
            "string_agg(substr(session_hash, 1, 16), ',')",
            "string_agg(session_hash, ',')",
        ),
    };
    let columns: Vec<String> = lists
        .iter()
        .map(|from| format!("(SELECT {agg} {from})"))
        .collect();
    let sql = format!("SELECT {}", columns.join(", "));
    let events_sql = format!(
        "SELECT g.kind, g.subject, EXISTS (SELECT 1 FROM kb_articles a WHERE a.slug = g.subject),
                g.hashes
         FROM (SELECT kind, subject, {all} AS hashes FROM self_service_events
               WHERE created_at >= $1 AND created_at < $2 GROUP BY kind, subject) g"
    );
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (row, events): (Row, Vec<(String, String, bool, String)>) = with_pool!(db, |pool| {
        let lists = sqlx::query_as(&sql).bind(from).bind(until).fetch_one(pool);
        let events = sqlx::query_as(&events_sql)
            .bind(from)
            .bind(until)
            .fetch_all(pool);
        tokio::try_join!(lists, events)
    })?;
    let mut opened = String::new();
    let mut article_views = Vec::new();
    for (kind, subject, article, hashes) in &events {
        if kind == "article_viewed" && *article {
            let distinct: std::collections::HashSet<&str> = Sessions::hashes(hashes).collect();
            article_views.push((subject.clone(), distinct.len() as i64));
        }
        for hash in Sessions::hashes(hashes) {
            if !opened.is_empty() {
                opened.push(',');
            }
            opened.push_str(hash.get(..16).unwrap_or(hash));
        }
    }
    Ok(Sessions {
        searched: row.0.unwrap_or_default(),
        opened,
        article_views,
        walked: row.1.unwrap_or_default(),
        fixed: row.2.unwrap_or_default(),
        voted: row.3.unwrap_or_default(),
        helped: row.4.unwrap_or_default(),
        filed: row.5.unwrap_or_default(),
    })
}

/// The queries in `lang` searched in [from, until) that found nothing, with how many
/// searches, most first, at most `limit`.
pub async fn searches_without_results(
    db: &Db,
    from: i64,
    until: i64,
    lang: Language,
    limit: i64,
) -> sqlx::Result<Vec<(String, i64)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT query, COUNT(*) FROM search_log
             WHERE lang = $3 AND hits = 0 AND created_at >= $1 AND created_at < $2
             GROUP BY query ORDER BY COUNT(*) DESC, query LIMIT $4",
        )
        .bind(from)
        .bind(until)
        .bind(lang.code())
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// Per article of the knowledge base: sessions that opened it in [from, until)
/// (`views`, from [`sessions`]), "Did this help?" answers given then (yes, no), and
/// tickets filed then in a session that had opened it before filing. Only articles
/// with some of these.
pub async fn article_figures(
    db: &Db,
    from: i64,
    until: i64,
    day_tables: Option<i64>,
) -> sqlx::Result<ArticleFigures> {
    let day = |at: i64| (at + day_tables.unwrap_or(0)).div_euclid(86_400);
    let tickets_sql = if day_tables.is_some() {
        "SELECT d.slug, CAST(SUM(d.tickets) AS BIGINT) FROM ticket_article_days d
         WHERE d.day >= $1 AND d.day < $2 AND d.tickets <> 0
           AND EXISTS (SELECT 1 FROM kb_articles a WHERE a.slug = d.slug)
         GROUP BY d.slug HAVING SUM(d.tickets) > 0"
    } else {
        "SELECT e.subject, COUNT(DISTINCT f.ticket_id)
         FROM ticket_facts f
         JOIN self_service_events e ON e.session_hash = f.session_hash
          AND e.kind = 'article_viewed' AND e.created_at <= f.created_at
         WHERE f.session_hash IS NOT NULL AND f.created_at >= $1 AND f.created_at < $2
           AND EXISTS (SELECT 1 FROM kb_articles a WHERE a.slug = e.subject)
         GROUP BY e.subject"
    };
    let (tickets_from, tickets_until) = match day_tables {
        Some(_) => (day(from), day(until)),
        None => (from, until),
    };
    let (votes, tickets) = with_pool!(db, |pool| {
        async {
            let votes = sqlx::query_as::<_, (String, i64, i64)>(
                "SELECT a.slug, COALESCE(SUM(CASE WHEN v.helpful THEN 1 ELSE 0 END), 0),
                        COALESCE(SUM(CASE WHEN v.helpful THEN 0 ELSE 1 END), 0)
                 FROM kb_votes v JOIN kb_articles a ON a.id = v.article_id
                 WHERE v.updated_at >= $1 AND v.updated_at < $2
                 GROUP BY a.slug",
            )
            .bind(from)
            .bind(until)
            .fetch_all(pool);
            let tickets = sqlx::query_as::<_, (String, i64)>(tickets_sql)
                .bind(tickets_from)
                .bind(tickets_until)
                .fetch_all(pool);
            tokio::try_join!(votes, tickets)
        }
        .await
    })?;
    Ok(ArticleFigures { votes, tickets })
}

/// The per-article reads of [`article_figures`], before the views are added.
#[derive(Debug, Default)]
pub struct ArticleFigures {
    votes: Vec<(String, i64, i64)>,
    tickets: Vec<(String, i64)>,
}

impl ArticleFigures {
    /// Per article: slug, sessions that opened it, yes, no, tickets after it.
    pub fn with_views(self, views: &[(String, i64)]) -> Vec<(String, i64, i64, i64, i64)> {
        let mut by_slug: std::collections::BTreeMap<String, (i64, i64, i64, i64)> =
            std::collections::BTreeMap::new();
        for (slug, n) in views {
            by_slug.entry(slug.clone()).or_default().0 = *n;
        }
        for (slug, yes, no) in self.votes {
            let entry = by_slug.entry(slug).or_default();
            entry.1 = yes;
            entry.2 = no;
        }
        for (slug, n) in self.tickets {
            by_slug.entry(slug).or_default().3 = n;
        }
        by_slug
            .into_iter()
            .map(|(slug, (views, yes, no, tickets))| (slug, views, yes, no, tickets))
            .collect()
    }
}

/// Articles' titles in `lang`, else English, else any language: slug → title.
pub async fn article_titles(
    db: &Db,
    slugs: &[String],
    lang: Language,
) -> sqlx::Result<HashMap<String, String>> {
    if slugs.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT a.slug, t.lang, t.title FROM kb_articles a
         JOIN kb_translations t ON t.article_id = a.id
         WHERE a.slug IN ({})",
        placeholders(1, slugs.len())
    );
    let rows: Vec<(String, String, String)> = with_pool!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for slug in slugs {
            query = query.bind(slug);
        }
        query.fetch_all(pool).await
    })?;
    let rank = |code: &str| {
        if code == lang.code() {
            0
        } else if code == "en" {
            1
        } else {
            2
        }
    };
    let mut best: HashMap<String, (u8, String)> = HashMap::new();
    for (slug, code, title) in rows {
        let r = rank(&code);
        match best.get(&slug) {
            Some((held, _)) if *held <= r => {}
            _ => {
                best.insert(slug, (r, title));
            }
        }
    }
    Ok(best
        .into_iter()
        .map(|(slug, (_, title))| (slug, title))
        .collect())
}

/// Per flow, walks started in [from, until): how many, how many reached an end (fixed,
/// or a ticket), how many ended fixed.
pub async fn flow_walks(
    db: &Db,
    from: i64,
    until: i64,
) -> sqlx::Result<Vec<(String, String, i64, i64, i64)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT w.flow, f.title, COUNT(*),
                    COALESCE(SUM(CASE WHEN w.state IN ('resolved', 'ticket') THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN w.state = 'resolved' THEN 1 ELSE 0 END), 0)
             FROM flow_walks w JOIN flows f ON f.slug = w.flow
             WHERE w.started_at >= $1 AND w.started_at < $2
             GROUP BY w.flow, f.title",
        )
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await
    })
}

/// Walks started in [from, until) and left unfinished (no report since
/// `stale_before`), per flow and the step they stopped at.
pub async fn flow_drop_off(
    db: &Db,
    from: i64,
    until: i64,
    stale_before: i64,
) -> sqlx::Result<Vec<(String, String, i64)>> {
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT flow, node, COUNT(*) FROM flow_walks
             WHERE started_at >= $1 AND started_at < $2 AND state = 'under_way'
               AND updated_at < $3
             GROUP BY flow, node",
        )
        .bind(from)
        .bind(until)
        .bind(stale_before)
        .fetch_all(pool)
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_values_fit_and_come_back() {
        for bits in [
            CREATED.bits(),
            FILED_DAYS.bits(),
            FIRST_RESPONSES.bits(),
            RESOLUTIONS.bits(),
            STAYS.bits(),
            RATINGS.bits(),
        ] {
            assert!(bits <= 63, "{bits}");
        }
        // The largest value of every field.
        let fields = [731, 255, 3, 3, 1, 1, 1, MAX_STAFF_ID, MAX_MINUTES];
        let mut packed: i64 = 0;
        for (value, field) in fields.iter().zip(RESOLUTIONS.0) {
            assert!(*value < 1 << field.bits);
            packed = (packed << field.bits) + value;
        }
        assert!(packed > 0);
        assert_eq!(RESOLUTIONS.unpack(packed), fields);
        assert_eq!(
            CREATED.sql("0"),
            "(((((created_at - $1) / 86400)) * 256 + (0)) * 2 + (repeat_contact)) * 2 + (done)"
        );
    }
}
