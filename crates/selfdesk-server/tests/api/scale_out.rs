//! Scale-out with real processes: two `selfdesk-server` binaries on two ports sharing
//! one database (PostgreSQL when `SELFDESK_TEST_POSTGRES_URL` is set, else one SQLite
//! file). Unlike the in-process replicas of the other tests, these share no memory at
//! all, so anything one replica kept to itself would show here.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use selfdesk_shared::tickets::TicketCreated;
use serde_json::json;

use crate::helpers::{
    DEMO_PASSWORD, ServerProcess, TicketForm, demo_email, key, spawn_app, ticket_grant,
};

/// Files a ticket; the status says whether it is new (201) or the one already filed
/// with this key (200).
async fn submit(
    client: &Client,
    server: &ServerProcess,
    key: &str,
    body: &TicketForm,
) -> (StatusCode, TicketCreated) {
    let response = client
        .post(server.url("/api/v1/tickets"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert!(
        status.is_success(),
        "filing through {}: {status}",
        server.address
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn two_server_processes_share_live_updates_idempotency_and_numbers() {
    let app = spawn_app().await;
    let a = app.process_replica().await;
    let b = app.process_replica().await;
    let client = Client::new();

    // A retried submission that reaches the other replica returns the ticket filed
    // by the first.
    let retry_key = key();
    let body = TicketForm::printer("Retried across replicas");
    let (status, first) = submit(&client, &a, &retry_key, &body).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, again) = submit(&client, &b, &retry_key, &body).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the retry is answered with the filed ticket"
    );
    assert_eq!(first.number, again.number);

    // 50 concurrent submissions, alternating between the replicas: 50 numbers.
    let filings = (0..50).map(|i| {
        let server = if i % 2 == 0 { &a } else { &b };
        let client = client.clone();
        async move {
            submit(
                &client,
                server,
                &key(),
                &TicketForm::printer(&format!("Ticket {i}")),
            )
            .await
        }
    });
    let mut numbers: Vec<String> = futures_util::future::join_all(filings)
        .await
        .into_iter()
        .map(|(status, t)| {
            assert_eq!(status, StatusCode::CREATED);
            t.number.into_inner()
        })
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 50, "distinct ticket numbers");

    // A requester watching on B sees, live, a reply posted through A.
    let watched = first;
    let grant = ticket_grant(&b.url(""), &watched.number, &watched.access_token, "events").await;
    let mut watcher = tokio::spawn({
        let url = b.url(&format!(
            "/api/v1/tickets/{}/events?grant={grant}",
            watched.number
        ));
        async move {
            let mut response = Client::new().get(url).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let mut text = String::new();
            while !text.contains("Answered through replica A") {
                match response.chunk().await {
                    Ok(Some(chunk)) => text.push_str(&String::from_utf8_lossy(&chunk)),
                    _ => break,
                }
            }
            text
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let staff = app.client();
    let signed_in = staff
        .post(a.url("/api/v1/auth/sign-in"))
        .json(&json!({"email": demo_email("tier1"), "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let reply = staff
        .post(a.url(&format!("/api/v1/staff/tickets/{}/replies", watched.number)))
        .json(&json!({"body": "Answered through replica A"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let text = tokio::time::timeout(Duration::from_secs(10), &mut watcher)
        .await
        .expect("the reply reaches the other process within seconds")
        .unwrap();
    assert!(text.contains("Answered through replica A"), "{text}");

    // The session made on A is valid on B: sessions live in the database.
    let me = staff.get(b.url("/api/v1/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
}
