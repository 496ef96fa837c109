//! Webhooks end to end: a receiver on 127.0.0.1 (allowed for these tests) checks the
//! Standard Webhooks signature with its own HMAC, answers 500 once and sees the same
//! delivery again; inside addresses are refused at registration and, for an endpoint
//! that slipped into the database, at delivery — without a connection ever reaching
//! them.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use selfdesk_server::with_pool;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::outbox::{OutboxList, OutboxStatus};
use selfdesk_shared::webhooks::{WebhookDeliveryList, WebhookEndpoint};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{Staff, TestApp, expect_error, expect_json, spawn_app, spawn_app_with};

/// One request as the receiver got it.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
    /// What the receiver answered.
    answered: u16,
}

#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<Received>>>,
    /// Requests answered 500 before the receiver starts to accept.
    fail_first: Arc<AtomicUsize>,
}

async fn hook(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> AxumStatus {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let failing = receiver
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let status = if failing {
        AxumStatus::INTERNAL_SERVER_ERROR
    } else {
        AxumStatus::NO_CONTENT
    };
    receiver.received.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
        answered: status.as_u16(),
    });
    status
}

/// Starts the receiver on a free 127.0.0.1 port; returns its URL.
async fn start_receiver(receiver: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}/hook")
}

/// The receiver's side of the standard: HMAC-SHA256 over `id.timestamp.body` with the
/// key of `whsec_<base64>`, compared with each `v1,` signature of the header.
fn signature_holds(secret: &str, received: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", received.id, received.timestamp, received.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    received
        .signature
        .split(' ')
        .any(|candidate| candidate == expected)
}

async fn wait_until<T>(limit: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(started.elapsed() < limit, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn register(admin: &Staff<'_>, url: &str, events: &[&str]) -> reqwest::Response {
    admin
        .post(
            "/api/v1/staff/webhooks",
            &json!({"url": url, "events": events}),
        )
        .await
}

#[tokio::test]
async fn deliveries_are_signed_retried_after_a_500_and_logged() {
    let app = spawn_app_with(|serve| {
        serve.outbox.webhooks_allow_private = true;
        serve.outbox.outbox_retry_secs = 1;
    })
    .await;
    let receiver = Receiver::default();
    receiver.fail_first.store(1, Ordering::SeqCst);
    let url = start_receiver(receiver.clone()).await;
    let admin = app.staff("admin").await;
    let endpoint: WebhookEndpoint = expect_json(
        register(&admin, &url, &["ticket.filed", "ticket.replied"]).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(endpoint.secret.starts_with("whsec_"));

    let ticket = app.file("Printer prints blank pages").await;
    let tier1 = app.staff("tier1").await;
    // Not asked for (status), or staff only (a note): nothing is sent for these.
    tier1
        .note(&ticket.number, "Internal: the fuser again?")
        .await;
    tier1.reply(&ticket.number, "Please restart it").await;

    let received = wait_until(Duration::from_secs(10), "three requests", || {
        let got = receiver.received.lock().unwrap().clone();
        (got.len() >= 3).then_some(got)
    })
    .await;
    assert_eq!(received.len(), 3, "{received:#?}");
    for r in &received {
        assert!(signature_holds(&endpoint.secret, r), "{r:#?}");
        let sent_at: i64 = r.timestamp.parse().unwrap();
        assert!((selfdesk_server::unix_now() - sent_at).abs() < 60);
    }
    // The filing: refused with a 500, then the same delivery again (same id).
    let filed: Vec<&Received> = received
        .iter()
        .filter(|r| r.body.contains("\"ticket.filed\""))
        .collect();
    assert_eq!(filed.len(), 2, "{received:#?}");
    assert_eq!((filed[0].answered, filed[1].answered), (500, 204));
    assert_eq!(filed[0].id, filed[1].id, "a retry is the same message");
    assert_eq!(filed[0].body, filed[1].body);
    let body: Value = serde_json::from_str(&filed[1].body).unwrap();
    assert_eq!(body["type"], "ticket.filed");
    assert_eq!(body["data"]["number"], ticket.number.as_str());
    assert_eq!(body["data"]["status"], "new");
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    // The reply, with its text; the internal note never left.
    let replied = received
        .iter()
        .find(|r| r.body.contains("\"ticket.replied\""))
        .unwrap();
    let body: Value = serde_json::from_str(&replied.body).unwrap();
    assert_eq!(body["data"]["change"]["body"], "Please restart it");
    assert!(received.iter().all(|r| !r.body.contains("fuser")));

    // The log: each try with its status and timing, newest first.
    let log: WebhookDeliveryList = admin
        .get_json(&format!(
            "/api/v1/staff/webhooks/{}/deliveries",
            endpoint.id
        ))
        .await;
    let statuses: Vec<(String, Option<i64>)> = log
        .deliveries
        .iter()
        .map(|d| (d.event_type.clone(), d.status_code))
        .collect();
    assert_eq!(log.deliveries.len(), 3, "{statuses:?}");
    assert!(log.deliveries.iter().all(|d| d.duration_ms >= 0));
    let filed_tries: Vec<Option<i64>> = log
        .deliveries
        .iter()
        .rev()
        .filter(|d| d.event_type == "ticket.filed")
        .map(|d| d.status_code)
        .collect();
    assert_eq!(filed_tries, [Some(500), Some(204)]);
    assert!(
        log.deliveries
            .iter()
            .any(|d| d.error.as_deref().is_some_and(|e| e.contains("500")))
    );
    let outbox: OutboxList = admin.get_json("/api/v1/staff/outbox?status=sent").await;
    assert_eq!(
        outbox
            .messages
            .iter()
            .filter(|m| m.channel == "webhook")
            .count(),
        2
    );

    // Deleting the endpoint stops everything for it.
    let deleted = admin
        .delete(&format!("/api/v1/staff/webhooks/{}", endpoint.id))
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    tier1.reply(&ticket.number, "Another reply").await;
    let outbox: OutboxList = admin.get_json("/api/v1/staff/outbox?status=pending").await;
    assert!(outbox.messages.iter().all(|m| m.channel != "webhook"));
}

#[tokio::test]
async fn endpoints_are_checked_when_registered() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    for (url, events, field) in [
        ("ftp://hooks.example.org/x", vec!["ticket.filed"], "url"),
        ("not a url", vec!["ticket.filed"], "url"),
        (
            "https://user:pw@hooks.example.org/x",
            vec!["ticket.filed"],
            "url",
        ),
        (
            "https://hooks.example.org/x",
            vec!["ticket.exploded"],
            "events",
        ),
        ("https://hooks.example.org/x", vec![], "events"),
    ] {
        let response = register(&admin, url, &events).await;
        let error = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(
            error.error.field.as_deref(),
            Some(field),
            "{url} {events:?}"
        );
    }
    let bad_secret = admin
        .post(
            "/api/v1/staff/webhooks",
            &json!({"url": "https://hooks.example.org/x", "events": ["ticket.filed"], "secret": "hunter2"}),
        )
        .await;
    let error = expect_error(
        bad_secret,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("secret"));
}

/// A TCP listener that counts the connections it accepts.
fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (port, accepted)
}

async fn webhook_rows(app: &TestApp) -> Vec<(String, Option<String>)> {
    let db = app.db().await;
    let rows = with_pool!(&db, |pool| sqlx::query_as(
        "SELECT status, last_error FROM outbox WHERE channel = 'webhook' ORDER BY id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    db.close().await;
    rows
}

#[tokio::test]
async fn inside_addresses_are_refused_and_never_connected_to() {
    // The default: no private addresses.
    let app = spawn_app().await;
    let (port, accepted) = counting_listener();
    let admin = app.staff("admin").await;
    for url in [
        format!("http://127.0.0.1:{port}/hook"),
        format!("http://localhost:{port}/hook"),
        format!("http://[::1]:{port}/hook"),
        format!("http://[::ffff:127.0.0.1]:{port}/hook"),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://10.0.0.7/hook".to_owned(),
    ] {
        let error = expect_error(
            register(&admin, &url, &["ticket.filed"]).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.error.field.as_deref(), Some("url"), "{url}");
    }

    // An endpoint that reached the database another way (written before the rule, or
    // a name that resolves inside) is checked again, resolved, at delivery.
    let db = app.db().await;
    with_pool!(&db, |pool| sqlx::query(
        "INSERT INTO webhook_endpoints (url, events, secret, active, created_at)
         VALUES ($1, '[\"ticket.filed\"]', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', TRUE, 0)"
    )
    .bind(format!("http://localhost:{port}/hook"))
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    db.close().await;
    app.file("Printer prints blank pages").await;
    let started = Instant::now();
    let rows = loop {
        let rows = webhook_rows(&app).await;
        if rows.len() == 1 && rows[0].0 == OutboxStatus::Failed.as_str() {
            break rows;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let error = rows[0].1.as_deref().unwrap();
    assert!(
        error.starts_with("refused") && error.contains("loopback"),
        "{error}"
    );
    // Given up for good before any connection was made: none ever will be.
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn breaches_and_incidents_are_announced_once() {
    let app = spawn_app_with(|serve| serve.outbox.webhooks_allow_private = true).await;
    let receiver = Receiver::default();
    let url = start_receiver(receiver.clone()).await;
    let admin = app.staff("admin").await;
    let endpoint: WebhookEndpoint = expect_json(
        register(
            &admin,
            &url,
            &["ticket.sla_breached", "incident.opened", "incident.closed"],
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    // The SLA watch a minute after the deadline, twice: one announcement.
    let ticket = app.file("Printer prints blank pages").await;
    let db = app.db().await;
    let due: i64 = with_pool!(&db, |pool| sqlx::query_scalar(
        "SELECT sla_due_at FROM tickets WHERE number = $1"
    )
    .bind(ticket.number.as_str())
    .fetch_one(pool)
    .await)
    .unwrap();
    db.close().await;
    let watch = selfdesk_server::tickets::sla_watch::pass;
    assert_eq!(watch(&app.state, due - 60).await.unwrap().breached, 0);
    assert_eq!(watch(&app.state, due + 60).await.unwrap().breached, 1);
    assert_eq!(watch(&app.state, due + 120).await.unwrap().breached, 0);

    let tier1 = app.staff("tier1").await;
    let incident = tier1
        .post_incident("Mail is down <script>", "Since 9:00", None)
        .await;
    let closed = tier1
        .close_incident_raw(incident.id, "Fixed the relay", false)
        .await;
    assert_eq!(closed.status(), StatusCode::OK);

    let received = wait_until(Duration::from_secs(10), "three events", || {
        let got = receiver.received.lock().unwrap().clone();
        (got.len() >= 3).then_some(got)
    })
    .await;
    assert!(
        received
            .iter()
            .all(|r| signature_holds(&endpoint.secret, r))
    );
    let bodies: Vec<Value> = received
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    let of = |kind: &str| {
        bodies
            .iter()
            .find(|b| b["type"] == kind)
            .unwrap_or_else(|| panic!("{kind} in {bodies:#?}"))
    };
    let breached = of("ticket.sla_breached");
    assert_eq!(breached["data"]["number"], ticket.number.as_str());
    assert!(breached["data"]["due_at"].as_str().unwrap().ends_with('Z'));
    let opened = of("incident.opened");
    assert_eq!(opened["data"]["id"], incident.id);
    assert_eq!(opened["data"]["title"], "Mail is down <script>");
    let closed = of("incident.closed");
    assert_eq!(closed["data"]["closing_message"], "Fixed the relay");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received.lock().unwrap().len(), 3, "nothing twice");
}
