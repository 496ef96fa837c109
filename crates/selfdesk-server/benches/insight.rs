//! Insight at 100,000 tickets: how long the catch-up takes to compute every ticket's
//! facts, then the latency of `GET /api/v1/staff/insight` over HTTP (a signed-in
//! administrator) for the last 30 days and the last 365 days, p50 and p95 of
//! sequential requests. Budget: p95 150 ms for both, on SQLite and on PostgreSQL.
//!
//! A year of history is written straight into the tables in multi-row INSERTs, one
//! transaction per batch, as an import would write it — tickets with their timelines
//! and pauses (answers, questions to the requester, escalations and sendings back,
//! resolutions, reopenings, confirmations, ratings) and a year of self-service (searches,
//! article views, walks, votes) — and the facts come from the server's own catch-up
//! (`insight::upkeep::catch_up`), the path imported history always takes.
//!
//! `cargo bench -p selfdesk-server --bench insight` (SQLite file in a temp dir), or
//! with `SELFDESK_BENCH_POSTGRES_URL=postgres://…/db`; `cargo xtask bench insight` runs
//! both.

mod common;

use common::{Rng, percentile};

use std::time::Instant;

use selfdesk_server::config::{DatabaseArgs, ServeArgs};
use selfdesk_server::db::{self, Db};
use selfdesk_server::seed::DEMO_PASSWORD;
use selfdesk_server::tickets::SlaPolicy;
use selfdesk_server::with_pool;
use selfdesk_shared::insight::Insight;
use selfdesk_shared::sla::Priority;
use selfdesk_shared::tickets::{TicketChange, TicketStatus};
use selfdesk_shared::tier::Tier;

const TICKETS: usize = 100_000;
/// Browser sessions with self-service over the year.
const SESSIONS: usize = 60_000;
const REQUESTS: usize = 60;
const WARM_UP: usize = 5;
const DAY: i64 = 86_400;

const CATEGORIES: [&str; 7] = [
    "hardware", "printing", "network", "software", "account", "email", "other",
];
const WORDS: [&str; 30] = [
    "printer",
    "laptop",
    "vpn",
    "outlook",
    "password",
    "wifi",
    "screen",
    "monitor",
    "teams",
    "slow",
    "crash",
    "error",
    "locked",
    "scanner",
    "toner",
    "keyboard",
    "mouse",
    "battery",
    "update",
    "license",
    "excel",
    "calendar",
    "meeting",
    "sound",
    "camera",
    "disk",
    "backup",
    "certificate",
    "phone",
    "badge",
];
const ARTICLES: [&str; 6] = [
    "printer-not-printing-from-laptop",
    "vpn-wont-connect",
    "wifi-connected-no-internet",
    "forgot-password-account-locked",
    "computer-is-slow",
    "email-not-receiving-new-mail",
];
const FLOWS: [&str; 3] = ["printer", "no-internet", "sign-in"];

struct Ticket {
    number: String,
    email: String,
    category: &'static str,
    subject: String,
    priority: Priority,
    status: TicketStatus,
    tier: i64,
    created_at: i64,
    updated_at: i64,
    first_responded_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<i64>,
    rating_comment: Option<String>,
    session: Option<String>,
    events: Vec<(i64, Option<i64>, TicketChange)>,
    pauses: Vec<(i64, Option<i64>)>,
}

/// One ticket's life, cut short at `now`.
fn life(rng: &mut Rng, i: usize, created_at: i64, techs: &[[i64; 2]; 3], now: i64) -> Ticket {
    let priority = match rng.below(100) {
        0..=4 => Priority::P1,
        5..=24 => Priority::P2,
        25..=74 => Priority::P3,
        _ => Priority::P4,
    };
    let words = 2 + rng.below(3);
    let subject = (0..words)
        .map(|_| *rng.pick(&WORDS))
        .collect::<Vec<_>>()
        .join(" ");
    let mut t = Ticket {
        number: format!("SD-2026-{:07}", i + 1),
        email: format!("person{}@Example.org", rng.below(30_000)),
        category: CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize],
        subject,
        priority,
        status: TicketStatus::New,
        tier: 1,
        created_at,
        updated_at: created_at,
        first_responded_at: None,
        resolved_at: None,
        closed_at: None,
        rating: None,
        rating_comment: None,
        session: None,
        events: vec![(created_at, None, TicketChange::Created)],
        pauses: Vec::new(),
    };
    let mut at = created_at;
    let tech = |rng: &mut Rng, tier: i64| techs[(tier - 1) as usize][rng.below(2) as usize];
    // Each step happens `after` seconds later, unless that is past now.
    let step = |t: &mut Ticket, at: &mut i64, after: i64, by: Option<i64>, change: TicketChange| {
        if *at + after >= now {
            return false;
        }
        *at += after;
        t.updated_at = *at;
        t.events.push((*at, by, change));
        true
    };
    let reply = || TicketChange::Reply {
        body: "Looking into it".into(),
    };
    if rng.chance(95) {
        let by = tech(rng, 1);
        let after = rng.delay(60, 2 * DAY);
        if !step(&mut t, &mut at, after, Some(by), reply()) {
            return t;
        }
        t.first_responded_at = Some(at);
        t.status = TicketStatus::InProgress;
    }
    if rng.chance(15) && t.status == TicketStatus::InProgress {
        let by = tech(rng, 1);
        let change = TicketChange::Status {
            from: TicketStatus::InProgress,
            to: TicketStatus::WaitingForRequester,
            summary: None,
        };
        if !step(&mut t, &mut at, 60, Some(by), change) {
            return t;
        }
        let from = at;
        t.status = TicketStatus::WaitingForRequester;
        let after = rng.delay(HOUR, 3 * DAY);
        let answer = TicketChange::Reply {
            body: "Here it is".into(),
        };
        if !step(&mut t, &mut at, after, None, answer) {
            t.pauses.push((from, None));
            return t;
        }
        t.pauses.push((from, Some(at)));
        t.status = TicketStatus::InProgress;
    }
    if rng.chance(12) {
        for (from, to, chance) in [(1, 2, 100), (2, 3, 25)] {
            if t.tier != from || !rng.chance(chance) {
                break;
            }
            let by = tech(rng, from);
            let change = TicketChange::Tier {
                from: Tier::new(from as u8).unwrap(),
                to: Tier::new(to as u8).unwrap(),
                reason: "Needs specialists".into(),
            };
            let after = rng.delay(600, DAY);
            if !step(&mut t, &mut at, after, Some(by), change) {
                return t;
            }
            t.tier = to;
        }
        if t.tier > 1 && rng.chance(5) {
            let by = tech(rng, t.tier);
            let change = TicketChange::Tier {
                from: Tier::new(t.tier as u8).unwrap(),
                to: Tier::new(t.tier as u8 - 1).unwrap(),
                reason: "Routine after all".into(),
            };
            if !step(&mut t, &mut at, 1_800, Some(by), change) {
                return t;
            }
            t.tier -= 1;
        }
    }
    let resolutions = if rng.chance(8) { 2 } else { 1 };
    for n in 0..resolutions {
        if n == 1 {
            let after = rng.delay(HOUR, 10 * DAY);
            let change = TicketChange::Reopened {
                reason: "Back again".into(),
            };
            if !step(&mut t, &mut at, after, None, change) {
                return t;
            }
            t.status = TicketStatus::InProgress;
            t.resolved_at = None;
        }
        let by = tech(rng, t.tier);
        let from = t.status;
        let change = TicketChange::Status {
            from,
            to: TicketStatus::Resolved,
            summary: Some("Fixed".into()),
        };
        let after = rng.delay(1_800, 6 * DAY);
        if !step(&mut t, &mut at, after, Some(by), change) {
            return t;
        }
        t.status = TicketStatus::Resolved;
        t.resolved_at = Some(at);
    }
    // Confirmed (and often rated) within days, else closed by the sweep after 7.
    if rng.chance(45) {
        let after = rng.delay(600, 3 * DAY);
        if !step(&mut t, &mut at, after, None, TicketChange::Confirmed) {
            return t;
        }
        t.status = TicketStatus::Closed;
        t.closed_at = Some(at);
        if rng.chance(70) {
            let rating = match rng.below(10) {
                0 => 1,
                1 => 2,
                2 => 3,
                3..=5 => 4,
                _ => 5,
            };
            let comment = if rating <= 2 { "Took too long" } else { "" };
            let change = TicketChange::Rated {
                rating,
                comment: comment.into(),
            };
            if step(&mut t, &mut at, 0, None, change) {
                t.rating = Some(i64::from(rating));
                t.rating_comment = Some(comment.into());
            }
        }
    } else if step(&mut t, &mut at, 7 * DAY, None, TicketChange::AutoClosed) {
        t.status = TicketStatus::Closed;
        t.closed_at = Some(at);
    }
    t
}

const HOUR: i64 = 3_600;

/// `($n, $n+1, …)` rows for a multi-row INSERT; plain `?` on SQLite, which binds a
/// numbered parameter only after walking the names of all of them.
fn rows(db: &Db, count: usize, columns: usize) -> String {
    (0..count)
        .map(|r| {
            let values: Vec<String> = (1..=columns)
                .map(|c| match db {
                    Db::Sqlite(_) => "?".to_owned(),
                    Db::Postgres(_) => format!("${}", r * columns + c),
                })
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

enum V {
    I(Option<i64>),
    T(Option<String>),
    B(bool),
}

/// Inserts `values` (rows of `columns` values) into `table`, `per` rows a statement,
/// one transaction per statement.
async fn insert(
    db: &Db,
    table: &str,
    columns: &[&str],
    values: Vec<Vec<V>>,
    per: usize,
) -> anyhow::Result<()> {
    for chunk in values.chunks(per) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            rows(db, chunk.len(), columns.len())
        );
        with_pool!(db, |pool| async {
            let mut query = sqlx::query(&sql);
            for row in chunk {
                for value in row {
                    query = match value {
                        V::I(v) => query.bind(*v),
                        V::T(v) => query.bind(v.as_deref()),
                        V::B(v) => query.bind(*v),
                    };
                }
            }
            let mut tx = pool.begin().await?;
            query.execute(&mut *tx).await?;
            tx.commit().await
        }
        .await)?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    // SELFDESK_BENCH_DATA_DIR keeps the SQLite file for a closer look afterwards.
    let data_dir = std::env::var_os("SELFDESK_BENCH_DATA_DIR")
        .map_or_else(|| temp.path().to_owned(), std::path::PathBuf::from);
    let database = DatabaseArgs {
        data_dir,
        database_url: std::env::var("SELFDESK_BENCH_POSTGRES_URL").ok(),
    };
    let backend = if database.database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let serve = ServeArgs {
        bind: "127.0.0.1:0".parse()?,
        static_dir: std::env::temp_dir().join("selfdesk-bench-no-app"),
        seed_demo: true,
        ..ServeArgs::default()
    };
    let app = selfdesk_server::startup::Application::build(&database, &serve).await?;
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    let db = db::connect(&database).await?;

    // Two technicians per tier besides the demo accounts; one of them since left.
    let now = selfdesk_server::unix_now();
    let mut techs = [[0_i64; 2]; 3];
    for (tier, pair) in techs.iter_mut().enumerate() {
        for (n, slot) in pair.iter_mut().enumerate() {
            *slot = with_pool!(&db, |pool| {
                sqlx::query_scalar(
                    "INSERT INTO staff (email, display_name, role, password_hash, active, created_at)
                     VALUES ($1, $2, $3, 'not-a-hash', $4, $5) RETURNING id",
                )
                .bind(format!("tech{tier}{n}@bench.selfdesk"))
                .bind(format!("Bench Tech {}{}", tier + 1, n))
                .bind(format!("tier{}", tier + 1))
                .bind(!(tier == 0 && n == 1))
                .bind(now)
                .fetch_one(pool)
                .await
            })?;
        }
    }

    // A year of tickets, the newest last.
    let started = Instant::now();
    let mut rng = Rng(0x1a5_16e7);
    let first = now - 365 * DAY;
    let mut tickets: Vec<Ticket> = (0..TICKETS)
        .map(|i| {
            let created = first + (i as i64) * (365 * DAY / TICKETS as i64) + rng.below(300) as i64;
            life(&mut rng, i, created, &techs, now)
        })
        .collect();
    // Self-service sessions over the year (searches within the search log's 180 days);
    // one in five files a ticket filed about then.
    let mut searches = Vec::new();
    let mut events = Vec::new();
    let mut walks = Vec::new();
    let mut votes = Vec::new();
    let article_ids: Vec<(String, i64)> = with_pool!(&db, |pool| {
        sqlx::query_as("SELECT slug, id FROM kb_articles")
            .fetch_all(pool)
            .await
    })?;
    let article_id = |slug: &str| {
        article_ids
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, id)| *id)
    };
    for s in 0..SESSIONS {
        // 64 hex digits like the SHA-256 the server stores, distinct in their first 16
        // (the funnel tells sessions apart by those).
        let mixed = (s as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        let session = format!("{mixed:032x}{s:032x}");
        let at = first + (s as i64) * (365 * DAY / SESSIONS as i64);
        if at > now - 180 * DAY {
            for q in 0..1 + rng.below(2) {
                let hits = if rng.chance(20) {
                    0
                } else {
                    1 + rng.below(8) as i64
                };
                let query = format!("{} {}", rng.pick(&WORDS), rng.pick(&WORDS));
                searches.push(vec![
                    V::T(Some(format!("{session}-{q}"))),
                    V::T(Some(session.clone())),
                    V::T(Some(["en", "ru", "fr", "nb"][rng.below(4) as usize].into())),
                    V::T(Some(query)),
                    V::I(Some(hits)),
                    V::I(Some(at + q as i64 * 30)),
                    V::I(Some(at + q as i64 * 30)),
                ]);
            }
        }
        if rng.chance(55) {
            let slug = *rng.pick(&ARTICLES);
            events.push(vec![
                V::T(Some(session.clone())),
                V::T(Some("article_viewed".into())),
                V::T(Some(slug.into())),
                V::I(Some(at + 60)),
            ]);
            if rng.chance(15)
                && let Some(id) = article_id(slug)
            {
                votes.push(vec![
                    V::I(Some(id)),
                    V::T(Some(format!("voter-{s}"))),
                    V::T(Some("en".into())),
                    V::B(rng.chance(70)),
                    V::I(Some(at + 120)),
                    V::I(Some(at + 120)),
                    V::T(Some(session.clone())),
                ]);
            }
        }
        if rng.chance(20) {
            let state = *rng.pick(&["resolved", "ticket", "under_way", "resolved"]);
            walks.push(vec![
                V::T(Some(format!("walk-{s}"))),
                V::T(Some(session.clone())),
                V::T(Some((*rng.pick(&FLOWS)).into())),
                V::I(Some(1)),
                V::T(Some("a.b".into())),
                V::T(Some(
                    if state == "under_way" {
                        "device"
                    } else {
                        "end"
                    }
                    .into(),
                )),
                V::T(Some(state.into())),
                V::I(Some(at + 90)),
                V::I(Some(at + 300)),
            ]);
        }
        if rng.chance(20) {
            let index = ((at - first) / (365 * DAY / TICKETS as i64)).clamp(0, TICKETS as i64 - 1);
            tickets[index as usize].session = Some(session);
        }
    }

    let ticket_rows: Vec<Vec<V>> = tickets
        .iter()
        .map(|t| {
            vec![
                V::T(Some(t.number.clone())),
                V::T(Some(t.number.clone())),
                V::T(Some(t.email.clone())),
                V::T(Some(t.category.into())),
                V::T(Some(t.subject.clone())),
                V::T(Some(t.priority.as_str().into())),
                V::T(Some(t.status.as_str().into())),
                V::I(Some(t.tier)),
                V::I(Some(t.created_at)),
                V::I(Some(t.updated_at)),
                V::I(t.first_responded_at),
                V::I(t.resolved_at),
                V::I(t.closed_at),
                V::I(t.rating),
                V::T(t.rating_comment.clone()),
                V::T(t.session.clone()),
                V::T(Some("bench".into())),
                V::T(Some("Bench Requester".into())),
                V::T(Some("en".into())),
                V::T(Some("Generated".into())),
                V::T(Some("me".into())),
                V::T(Some("slowed".into())),
            ]
        })
        .collect();
    insert(
        &db,
        "tickets",
        &[
            "number",
            "idempotency_key_hash",
            "requester_email",
            "category",
            "subject",
            "priority",
            "status",
            "tier",
            "created_at",
            "updated_at",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "rating",
            "rating_comment",
            "self_service_session_hash",
            "request_hash",
            "requester_name",
            "language",
            "description",
            "impact",
            "urgency",
        ],
        ticket_rows,
        500,
    )
    .await?;
    let ids: Vec<(String, i64)> = with_pool!(&db, |pool| {
        sqlx::query_as("SELECT number, id FROM tickets")
            .fetch_all(pool)
            .await
    })?;
    let id_of: std::collections::HashMap<String, i64> = ids.into_iter().collect();
    let mut event_rows = Vec::new();
    let mut pause_rows = Vec::new();
    for t in &tickets {
        let id = id_of[&t.number];
        for (at, by, change) in &t.events {
            let actor = match (by, change) {
                (Some(_), _) => "staff",
                (None, TicketChange::AutoClosed) => "system",
                _ => "requester",
            };
            event_rows.push(vec![
                V::I(Some(id)),
                V::I(Some(*at)),
                V::T(Some(actor.into())),
                V::I(*by),
                V::T(Some(change.kind().into())),
                V::B(change.is_public()),
                V::T(Some(serde_json::to_string(change)?)),
                V::T(Some(
                    if by.is_some() {
                        "Bench Tech"
                    } else {
                        "Bench Requester"
                    }
                    .into(),
                )),
            ]);
        }
        for (from, until) in &t.pauses {
            pause_rows.push(vec![V::I(Some(id)), V::I(Some(*from)), V::I(*until)]);
        }
    }
    let event_count = event_rows.len();
    insert(
        &db,
        "ticket_events",
        &[
            "ticket_id",
            "created_at",
            "actor",
            "actor_staff_id",
            "kind",
            "public",
            "data",
            "actor_name",
        ],
        event_rows,
        2_000,
    )
    .await?;
    insert(
        &db,
        "ticket_pauses",
        &["ticket_id", "from_at", "until_at"],
        pause_rows,
        2_000,
    )
    .await?;
    let self_service = searches.len() + events.len() + walks.len() + votes.len();
    let counts = (searches.len(), events.len(), walks.len(), votes.len());
    insert(
        &db,
        "search_log",
        &[
            "id_hash",
            "session_hash",
            "lang",
            "query",
            "hits",
            "created_at",
            "updated_at",
        ],
        searches,
        2_000,
    )
    .await?;
    insert(
        &db,
        "self_service_events",
        &["session_hash", "kind", "subject", "created_at"],
        events,
        2_000,
    )
    .await?;
    insert(
        &db,
        "flow_walks",
        &[
            "walk_hash",
            "session_hash",
            "flow",
            "version",
            "answers",
            "node",
            "state",
            "started_at",
            "updated_at",
        ],
        walks,
        2_000,
    )
    .await?;
    insert(
        &db,
        "kb_votes",
        &[
            "article_id",
            "voter_hash",
            "lang",
            "helpful",
            "created_at",
            "updated_at",
            "session_hash",
        ],
        votes,
        2_000,
    )
    .await?;
    println!(
        "{TICKETS} tickets, {event_count} events, {self_service} self-service rows \
         (searches {}, article views {}, walks {}, votes {}) written in {:.1} s on {backend} ({} cores)",
        counts.0,
        counts.1,
        counts.2,
        counts.3,
        started.elapsed().as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );

    // Their facts, as the server's catch-up computes imported history's.
    let started = Instant::now();
    let written = selfdesk_server::insight::upkeep::catch_up(&db, &SlaPolicy::default()).await?;
    anyhow::ensure!(
        written == TICKETS as u64,
        "facts for every ticket: {written}"
    );
    println!(
        "insight: catch-up computed the facts of {written} tickets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Fresh statistics, and on PostgreSQL the visibility map autovacuum keeps (without
    // it no scan is from the index alone), as a running portal's would be.
    match &db {
        Db::Sqlite(pool) => sqlx::query("ANALYZE").execute(pool).await.map(|_| ())?,
        Db::Postgres(pool) => sqlx::query("VACUUM ANALYZE")
            .execute(pool)
            .await
            .map(|_| ())?,
    }

    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let signed_in = client
        .post(format!("{base}/api/v1/auth/sign-in"))
        .json(&serde_json::json!({"email": "admin@demo.selfdesk", "password": DEMO_PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(
        signed_in.status().is_success(),
        "sign-in: {}",
        signed_in.status()
    );

    let today = selfdesk_shared::sla::BusinessCalendar::default().local_date(now);
    for days in [30, 365] {
        let from = today.add_days(1 - days);
        let url = format!("{base}/api/v1/staff/insight?from={from}&to={today}");
        let mut latencies = Vec::with_capacity(REQUESTS);
        let mut last = None;
        for i in 0..WARM_UP + REQUESTS {
            let sent = Instant::now();
            let response = client.get(&url).send().await?;
            anyhow::ensure!(
                response.status().is_success(),
                "{days} days: {}",
                response.status()
            );
            let insight: Insight = response.json().await?;
            if i >= WARM_UP {
                latencies.push(sent.elapsed());
            }
            last = Some(insight);
        }
        let insight = last.expect("answers");
        latencies.sort_unstable();
        println!(
            "insight: {days:>3} days ({:>6} filed, {:>6} resolved)   p50 {:>6.1} ms   p95 {:>6.1} ms",
            insight.tickets.created,
            insight.tickets.resolved,
            percentile(&latencies, 0.50).as_secs_f64() * 1e3,
            percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        );
    }
    db.close().await;
    Ok(())
}
