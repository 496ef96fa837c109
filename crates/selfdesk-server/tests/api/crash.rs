//! Crash under load: 2,000 tickets, each with an attachment, filed by 32 concurrent
//! clients that retry with their Idempotency-Key on any error or timeout, while the
//! server process is killed with SIGKILL twice and started again on the same address.
//! Nothing acknowledged may be lost and nothing may be filed twice.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use selfdesk_server::with_pool;
use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::tickets::TicketCreated;
use tokio::sync::Mutex;

use crate::helpers::{TestApp, TicketForm, key, spawn_app};

const TICKETS: usize = 2_000;
const CLIENTS: usize = 32;
/// The server is killed once this many tickets are acknowledged, then again at the
/// second figure.
const KILL_AT: [usize; 2] = [500, 1_200];

struct Acknowledged {
    key: String,
    number: String,
    attachment: String,
}

/// Sends until the server answers with success, counting the tries it took.
async fn until_ok(
    retries: &AtomicUsize,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> reqwest::Response {
    let started = Instant::now();
    loop {
        match request().send().await {
            Ok(response) if response.status().is_success() => return response,
            Ok(response) => {
                // Only a dying or starting server may refuse; a 4xx would be a bug.
                assert!(
                    response.status().is_server_error(),
                    "unexpected answer {}",
                    response.status()
                );
            }
            Err(_) => {}
        }
        retries.fetch_add(1, Ordering::Relaxed);
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "a request kept failing for two minutes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn one_ticket(client: &Client, base: &str, n: usize, retries: &AtomicUsize) -> Acknowledged {
    let upload = until_ok(retries, || {
        client
            .post(format!("{base}/api/v1/tickets/uploads?name=log-{n}.txt"))
            .header("content-type", "application/octet-stream")
            .body(format!("printer log of ticket {n}\n").repeat(20))
    })
    .await;
    assert_eq!(upload.status(), StatusCode::CREATED);
    let attachment: Attachment = upload.json().await.unwrap();
    let key = key();
    let body =
        TicketForm::printer(&format!("Crash test ticket {n}")).attachments(&[&attachment.id]);
    let filed = until_ok(retries, || {
        client
            .post(format!("{base}/api/v1/tickets"))
            .header("Idempotency-Key", &key)
            .json(&body)
    })
    .await;
    let created: TicketCreated = filed.json().await.unwrap();
    Acknowledged {
        key,
        number: created.number.into_inner(),
        attachment: attachment.id,
    }
}

async fn scalar(app: &TestApp, query: &str) -> i64 {
    let db = app.db().await;
    let value = with_pool!(&db, |pool| sqlx::query_scalar::<_, i64>(query)
        .fetch_one(pool)
        .await)
    .unwrap();
    db.close().await;
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_survive_two_kills_under_load_without_loss_or_duplicates() {
    // The in-process server migrates and seeds the database; the filing goes to a
    // real process that can be killed.
    let app = spawn_app().await;
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut server = app.process_on(address).await;
    let base = format!("http://{address}");
    let client = Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let retries = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(Mutex::new(Vec::with_capacity(TICKETS)));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, base) = (client.clone(), base.clone());
            let (retries, done, next) = (retries.clone(), done.clone(), next.clone());
            let acknowledged = acknowledged.clone();
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= TICKETS {
                        return;
                    }
                    let ticket = one_ticket(&client, &base, n, &retries).await;
                    acknowledged.lock().await.push(ticket);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    // Kill at the marks, then start again on the same address while clients retry.
    let mut kills = Vec::new();
    for at in KILL_AT {
        while done.load(Ordering::Relaxed) < at {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill();
        kills.push(done.load(Ordering::Relaxed));
        tokio::time::sleep(Duration::from_millis(200)).await;
        server = app.process_on(address).await;
    }
    for client in clients {
        client.await.unwrap();
    }
    let elapsed = started.elapsed();
    drop(server);

    let acknowledged = acknowledged.lock().await;
    assert_eq!(acknowledged.len(), TICKETS);
    // Every key filed exactly one ticket, and only the acknowledged ones exist.
    let numbers: HashSet<&str> = acknowledged.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers.len(), TICKETS, "two keys got the same ticket");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM tickets").await,
        TICKETS as i64,
        "a retry filed a second ticket"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(DISTINCT number) FROM tickets").await,
        TICKETS as i64,
        "duplicate ticket numbers"
    );
    let db = app.db().await;
    for ticket in acknowledged.iter() {
        let key_hash = selfdesk_server::sha256_hex(ticket.key.as_bytes());
        let (number, attachment): (String, Option<String>) = with_pool!(&db, |pool| {
            sqlx::query_as(
                "SELECT t.number, a.id FROM tickets t
                 LEFT JOIN ticket_attachments a ON a.ticket_id = t.id AND a.id = $2
                 WHERE t.idempotency_key_hash = $1",
            )
            .bind(&key_hash)
            .bind(&ticket.attachment)
            .fetch_one(pool)
            .await
        })
        .unwrap_or_else(|e| panic!("acknowledged {} is missing: {e}", ticket.number));
        assert_eq!(number, ticket.number);
        assert_eq!(
            attachment.as_deref(),
            Some(ticket.attachment.as_str()),
            "{} lost its attachment",
            ticket.number
        );
    }
    db.close().await;
    // The database is whole: SQLite checks itself; on PostgreSQL every ticket has its
    // "created" event and its claimed file, and nothing else is claimed.
    match app.database_file() {
        Some(_) => {
            let db = app.db().await;
            let check: String =
                with_pool!(&db, |pool| sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(pool)
                    .await)
                .unwrap();
            assert_eq!(check, "ok");
        }
        None => {
            assert_eq!(
                scalar(
                    &app,
                    "SELECT COUNT(*) FROM ticket_events WHERE kind = 'created'"
                )
                .await,
                TICKETS as i64
            );
            assert_eq!(
                scalar(
                    &app,
                    "SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id IS NOT NULL"
                )
                .await,
                TICKETS as i64
            );
        }
    }
    println!(
        "crash test ({}): {TICKETS} tickets from {CLIENTS} clients in {:.1} s, {} retries, killed after {:?} acknowledged",
        app.backend(),
        elapsed.as_secs_f64(),
        retries.load(Ordering::Relaxed),
        kills
    );
}
