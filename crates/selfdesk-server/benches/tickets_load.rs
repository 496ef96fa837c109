//! Ticket API load: filing tickets and reading them over HTTP, against one server and
//! against two servers sharing the database (as replicas behind a load balancer, here
//! in one process on one machine), with throughput and p50/p99 latency. For scale, the
//! same run times a raw loop of single-row INSERT transactions into `tickets` on the
//! same database: the floor that filing (number, ticket, token, event in one
//! transaction, plus HTTP and JSON) is measured against.
//!
//! `cargo bench -p selfdesk-server --bench tickets_load` (SQLite file in a temp dir), or
//! with `SELFDESK_BENCH_POSTGRES_URL=postgres://…/db`; `cargo xtask bench` runs both.

mod common;

use common::percentile;

use std::sync::Arc;
use std::time::{Duration, Instant};

use selfdesk_server::config::{DatabaseArgs, ProtectArgs, ServeArgs};
use selfdesk_server::db;
use selfdesk_server::startup::Application;
use selfdesk_server::with_pool;
use selfdesk_shared::tickets::TicketCreated;
use serde_json::json;
use tokio::sync::Semaphore;

const TICKETS: usize = 2_000;
const CONCURRENCY: usize = 32;

fn report(what: &str, mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort_unstable();
    println!(
        "{what:<44} {:>7.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
}

async fn start(database: &DatabaseArgs) -> anyhow::Result<String> {
    let serve = ServeArgs {
        bind: "127.0.0.1:0".parse()?,
        static_dir: std::env::temp_dir().join("selfdesk-bench-no-app"),
        // Every request comes from 127.0.0.1: the per-address limits for anonymous
        // writes would stop the benchmark after 20 filings.
        protect: ProtectArgs {
            rate_limits: "filings=10000000".parse().map_err(anyhow::Error::msg)?,
            ..ProtectArgs::default()
        },
        ..ServeArgs::default()
    };
    let app = Application::build(database, &serve).await?;
    let url = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    Ok(url)
}

/// Files `TICKETS` tickets spread over `servers`, `CONCURRENCY` at a time; returns
/// each ticket's number and token, for the read phase.
async fn file_tickets(
    client: &reqwest::Client,
    servers: &[String],
    run: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let gate = Arc::new(Semaphore::new(CONCURRENCY));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..TICKETS {
        let permit = gate.clone().acquire_owned().await?;
        let client = client.clone();
        let url = format!("{}/api/v1/tickets", servers[i % servers.len()]);
        let key = format!("bench-{run}-{i:06}-key");
        tasks.push(tokio::spawn(async move {
            let body = json!({
                "name": "Bench Requester", "email": "bench@example.org", "category": "network",
                "subject": format!("No internet on floor {}", i % 7),
                "description": "The cable is plugged in and the light is off.",
                "impact": "me", "urgency": "slowed"
            });
            let sent = Instant::now();
            let response = client
                .post(url)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await;
            let latency = sent.elapsed();
            drop(permit);
            let created: TicketCreated = response?.error_for_status()?.json().await?;
            anyhow::Ok((latency, created.number.into_inner(), created.access_token))
        }));
    }
    let mut latencies = Vec::new();
    let mut tickets = Vec::new();
    for task in tasks {
        let (latency, number, token) = task.await??;
        latencies.push(latency);
        tickets.push((number, token));
    }
    report(
        &format!("file a ticket, {} server(s)", servers.len()),
        latencies,
        started.elapsed(),
    );
    Ok(tickets)
}

async fn read_tickets(
    client: &reqwest::Client,
    servers: &[String],
    tickets: &[(String, String)],
) -> anyhow::Result<()> {
    let gate = Arc::new(Semaphore::new(CONCURRENCY));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (number, token)) in tickets.iter().enumerate() {
        let permit = gate.clone().acquire_owned().await?;
        let client = client.clone();
        let url = format!("{}/api/v1/tickets/{number}", servers[i % servers.len()]);
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let response = client.get(url).bearer_auth(token).send().await?;
            response.error_for_status()?.bytes().await?;
            let latency = sent.elapsed();
            drop(permit);
            anyhow::Ok(latency)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.push(task.await??);
    }
    report(
        &format!("read a ticket, {} server(s)", servers.len()),
        latencies,
        started.elapsed(),
    );
    Ok(())
}

/// Single-row INSERT transactions straight into `tickets`, one after another.
async fn raw_inserts(database: &DatabaseArgs) -> anyhow::Result<()> {
    let db = db::connect(database).await?;
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(TICKETS);
    for i in 0..TICKETS {
        let sent = Instant::now();
        with_pool!(&db, |pool| {
            sqlx::query(
                "INSERT INTO tickets (number, idempotency_key_hash, request_hash, requester_name,
                    requester_email, language, category, subject, description, impact, urgency,
                    priority, status, tier, fields, created_at, updated_at)
                 VALUES ($1, $2, 'h', 'Raw', 'raw@example.org', 'en', 'network', 'Raw insert',
                    'Raw insert', 'me', 'slowed', 'p4', 'new', 1, '{}', 0, 0)",
            )
            .bind(format!("RAW-{i:08}"))
            .bind(format!("raw-{i:08}"))
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        latencies.push(sent.elapsed());
    }
    report(
        "raw INSERT into tickets, sequential",
        latencies,
        started.elapsed(),
    );
    db.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let database = DatabaseArgs {
        data_dir: temp.path().to_owned(),
        database_url: std::env::var("SELFDESK_BENCH_POSTGRES_URL").ok(),
    };
    let first = start(&database).await?;
    let second = start(&database).await?;
    println!(
        "{TICKETS} tickets per phase, {CONCURRENCY} requests in flight, on {} ({} cores)",
        if database.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()?;
    let run = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos()
    );
    let one = vec![first.clone()];
    let two = vec![first, second];
    let tickets = file_tickets(&client, &one, &format!("{run}-1")).await?;
    read_tickets(&client, &one, &tickets).await?;
    let tickets = file_tickets(&client, &two, &format!("{run}-2")).await?;
    read_tickets(&client, &two, &tickets).await?;
    raw_inserts(&database).await?;
    println!("(both servers run in this one process and share its cores)");
    Ok(())
}
