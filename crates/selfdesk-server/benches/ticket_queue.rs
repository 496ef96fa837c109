//! The technicians' queue at 100,000 tickets: latency of a queue page over HTTP (a
//! signed-in technician, the page's counts included), for the default view and the
//! common filters, p50 and p95 of sequential requests.
//!
//! The tickets are written straight into the database in multi-row INSERTs (filing
//! 100,000 through the API would measure filing, which `tickets_load` does), with the
//! mix a help desk accumulates: most closed, some open at each tier, some waiting,
//! a quarter assigned, deadlines computed by the same shared function the server uses.
//!
//! `cargo bench -p selfdesk-server --bench ticket_queue` (SQLite file in a temp dir),
//! or with `SELFDESK_BENCH_POSTGRES_URL=postgres://…/db`; `cargo xtask bench` runs both.

mod common;

use common::{Rng, percentile};

use std::time::Instant;

use selfdesk_server::config::{DatabaseArgs, ServeArgs};
use selfdesk_server::db::{self, Db};
use selfdesk_server::seed::DEMO_PASSWORD;
use selfdesk_server::startup::Application;
use selfdesk_server::with_pool;
use selfdesk_shared::queue::{QueuePage, queue_due};
use selfdesk_shared::sla::{BusinessCalendar, Pause, Priority, SlaTargets};
use selfdesk_shared::tickets::TicketStatus;

const TICKETS: usize = 100_000;
const BATCH: usize = 500;
const REQUESTS: usize = 200;
const WARM_UP: usize = 20;

struct Row {
    number: String,
    status: TicketStatus,
    priority: Priority,
    tier: i64,
    assignee: Option<i64>,
    category: &'static str,
    created_at: i64,
    sla_due_at: i64,
}

fn rows(staff: &[i64], now: i64) -> Vec<Row> {
    let calendar = BusinessCalendar::default();
    let targets = SlaTargets::default();
    let mut rng = Rng(0x5e1f_de5c);
    let categories = [
        "hardware", "printing", "network", "software", "account", "email", "other",
    ];
    (0..TICKETS)
        .map(|i| {
            // Filed over the last year, the newest last.
            let created_at = now - 365 * 86_400 + (i as i64) * (365 * 86_400 / TICKETS as i64);
            let open = rng.below(100) < 12;
            let status = if !open {
                if rng.below(10) == 0 {
                    TicketStatus::Resolved
                } else {
                    TicketStatus::Closed
                }
            } else {
                match rng.below(10) {
                    0..=3 => TicketStatus::New,
                    4..=7 => TicketStatus::InProgress,
                    _ => TicketStatus::WaitingForRequester,
                }
            };
            let priority = Priority::ALL[rng.below(4) as usize];
            let responded = (status != TicketStatus::New).then_some(created_at + 1_800);
            let pauses = (status == TicketStatus::WaitingForRequester)
                .then(|| Pause {
                    from: created_at + 3_600,
                    until: None,
                })
                .into_iter()
                .collect::<Vec<_>>();
            Row {
                number: format!("QB-{i:07}"),
                status,
                priority,
                tier: 1 + rng.below(10).saturating_sub(6).min(2) as i64,
                assignee: (rng.below(4) == 0)
                    .then(|| staff[rng.below(staff.len() as u64) as usize]),
                category: categories[rng.below(categories.len() as u64) as usize],
                created_at,
                sla_due_at: queue_due(
                    &calendar, &targets, created_at, priority, status, responded, &pauses,
                ),
            }
        })
        .collect()
}

async fn insert(db: &Db, rows: &[Row]) -> anyhow::Result<()> {
    for chunk in rows.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO tickets (number, idempotency_key_hash, request_hash, requester_name,
                requester_email, language, category, subject, description, impact, urgency,
                priority, status, tier, assignee_id, created_at, updated_at, sla_due_at) VALUES ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 8;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, 'bench', 'Bench Requester', 'bench@example.org', 'en', ${}, ${},
                  'Bench ticket', 'me', 'slowed', ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 1,
                b + 2,
                b + 1,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 7,
                b + 8,
            ));
        }
        with_pool!(db, |pool| {
            let mut query = sqlx::query(&sql);
            for row in chunk {
                query = query
                    .bind(&row.number)
                    .bind(row.category)
                    .bind(row.priority.as_str())
                    .bind(row.status.as_str())
                    .bind(row.tier)
                    .bind(row.assignee)
                    .bind(row.created_at)
                    .bind(row.sla_due_at);
            }
            query.execute(pool).await.map(|_| ())
        })?;
    }
    // Fresh statistics, as a running portal's would be.
    with_pool!(db, |pool| {
        sqlx::query("ANALYZE").execute(pool).await.map(|_| ())
    })?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let database = DatabaseArgs {
        data_dir: temp.path().to_owned(),
        database_url: std::env::var("SELFDESK_BENCH_POSTGRES_URL").ok(),
    };
    let serve = ServeArgs {
        bind: "127.0.0.1:0".parse()?,
        static_dir: std::env::temp_dir().join("selfdesk-bench-no-app"),
        seed_demo: true,
        ..ServeArgs::default()
    };
    let app = Application::build(&database, &serve).await?;
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());

    let db = db::connect(&database).await?;
    let staff: Vec<i64> = with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT id FROM staff ORDER BY id")
            .fetch_all(pool)
            .await
    })?;
    let now = selfdesk_server::unix_now();
    let rows = rows(&staff, now);
    let started = Instant::now();
    insert(&db, &rows).await?;
    let open = rows.iter().filter(|r| r.status.is_open()).count();
    println!(
        "{TICKETS} tickets ({open} open) written in {:.1} s on {} ({} cores); {REQUESTS} sequential requests per view",
        started.elapsed().as_secs_f64(),
        if database.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );

    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let signed_in = client
        .post(format!("{base}/api/v1/auth/sign-in"))
        .json(&serde_json::json!({"email": "tier2@demo.selfdesk", "password": DEMO_PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(
        signed_in.status().is_success(),
        "sign-in: {}",
        signed_in.status()
    );

    let first: QueuePage = client
        .get(format!("{base}/api/v1/staff/tickets"))
        .send()
        .await?
        .json()
        .await?;
    anyhow::ensure!(first.tickets.len() == 50, "a full first page");
    anyhow::ensure!(first.counts.open == open as i64, "counts match the data");
    let cursor = first.next.clone().expect("a second page");

    let views = [
        (
            "first page, nearest deadline first (default)",
            String::new(),
        ),
        ("second page (keyset cursor)", format!("after={cursor}")),
        ("assigned to me", "assignee=me".to_owned()),
        ("unassigned", "assignee=none".to_owned()),
        ("tier 2, priority P1", "tier=2&priority=p1".to_owned()),
        ("breached", "due=breached".to_owned()),
        (
            "category printing, newest first",
            "category=printing&sort=newest".to_owned(),
        ),
        (
            "every status, newest first",
            "status=all&sort=newest".to_owned(),
        ),
    ];
    for (what, query) in views {
        let url = format!("{base}/api/v1/staff/tickets?{query}");
        let mut latencies = Vec::with_capacity(REQUESTS);
        for i in 0..WARM_UP + REQUESTS {
            let sent = Instant::now();
            let response = client.get(&url).send().await?;
            anyhow::ensure!(
                response.status().is_success(),
                "{what}: {}",
                response.status()
            );
            let page: QueuePage = response.json().await?;
            if i >= WARM_UP {
                latencies.push(sent.elapsed());
            }
            std::hint::black_box(page);
        }
        latencies.sort_unstable();
        println!(
            "queue: {what:<46} p50 {:>6.2} ms   p95 {:>6.2} ms",
            percentile(&latencies, 0.50).as_secs_f64() * 1e3,
            percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        );
    }
    db.close().await;
    Ok(())
}
