//! The server holds under abuse: one test per weakness closed (docs/ARCHITECTURE.md,
//! "Threat model"). Each runs on SQLite and again on PostgreSQL.

use std::time::Duration;

use reqwest::{Client, Response, StatusCode};
use selfdesk_server::config::ProtectArgs;
use selfdesk_server::protect::rate_limits::RateLimits;
use selfdesk_server::with_pool;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::tickets::TicketCreated;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{
    DEMO_PASSWORD, TestApp, TicketForm, expect_error, key, spawn_app, spawn_app_with,
    test_protection,
};

const TECH: &str = "tier1@demo.selfdesk";

async fn sql(app: &TestApp, statement: &str) {
    let db = app.db().await;
    with_pool!(&db, |pool| sqlx::query(statement)
        .execute(pool)
        .await
        .map(|_| ()))
    .unwrap();
}

async fn count(app: &TestApp, query: &str) -> i64 {
    let db = app.db().await;
    with_pool!(&db, |pool| sqlx::query_scalar::<_, i64>(query)
        .fetch_one(pool)
        .await)
    .unwrap()
}

fn sign_in(client: &Client, app: &TestApp, email: &str, password: &str) -> reqwest::RequestBuilder {
    client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&json!({"email": email, "password": password}))
}

/// Reads an event stream until the server ends it, or `limit` passes; true if it ended.
async fn ends_within(mut response: Response, limit: Duration) -> bool {
    assert_eq!(response.status(), StatusCode::OK);
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(_))) => continue,
            // The server finished the stream: a clean end, not a broken connection.
            Ok(Ok(None)) => return true,
            Ok(Err(err)) => panic!("the stream broke instead of ending: {err}"),
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_gets_at_most_five_checked() {
    let app = spawn_app().await;
    let attempts: Vec<_> = (0..100)
        .map(|_| {
            let client = app.client();
            let request = sign_in(&client, &app, TECH, "not-the-password");
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap());
    }
    let refused_unchecked = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS || **s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(refused_unchecked + wrong, 100, "{statuses:?}");
    // Every checked password leaves its failure; refused attempts take theirs back.
    let checked = count(
        &app,
        "SELECT COUNT(*) FROM sign_in_failures WHERE email = 'tier1@demo.selfdesk'",
    )
    .await;
    // Under a burst every attempt may see the others first and none is checked: that
    // too keeps the guarantee.
    assert!(checked <= 5, "{checked} passwords checked");
    assert!(wrong as i64 <= checked, "{wrong} answered 401");
    // And never more hashes at once than two per core, in this whole process.
    let peak = selfdesk_server::auth::password::peak_concurrent_hashes();
    assert!(
        peak <= selfdesk_server::auth::password::permits(),
        "{peak} hashes ran at once"
    );
    // Five checked failures lock the account, the right password included; fewer
    // leave it open to its owner.
    let owner = sign_in(&app.client(), &app, TECH, DEMO_PASSWORD)
        .send()
        .await
        .unwrap();
    if checked == 5 {
        assert_eq!(owner.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(owner.headers().contains_key("retry-after"));
    } else {
        assert_eq!(owner.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn staff_streams_end_after_sign_out_expiry_or_deactivation() {
    let app = spawn_app().await;
    let ticket = app.file("Streams end with the session").await;
    let ticket_stream = |client: Client| {
        let url = app.url(&format!("/api/v1/staff/tickets/{}/events", ticket.number));
        async move { client.get(url).send().await.unwrap() }
    };
    let queue_stream = |client: Client| {
        let url = app.url("/api/v1/staff/queue/events");
        async move { client.get(url).send().await.unwrap() }
    };

    // Signed out.
    let leaving = app.staff("tier2").await;
    let watched = ticket_stream(leaving.client().clone()).await;
    let queue = queue_stream(leaving.client().clone()).await;
    let out = leaving
        .client()
        .post(app.url("/api/v1/auth/sign-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);

    // Expired: the session's end is moved into the past.
    let expiring = app.staff("tier3").await;
    let expiring_stream = ticket_stream(expiring.client().clone()).await;
    sql(
        &app,
        "UPDATE staff_sessions SET expires_at = 1 WHERE staff_id = (SELECT id FROM staff WHERE email = 'tier3@demo.selfdesk')",
    )
    .await;

    // Deactivated by an admin.
    let admin = app.staff("admin").await;
    let deactivated = app.staff("tier1").await;
    let me = deactivated.me().await;
    let deactivated_stream = queue_stream(deactivated.client().clone()).await;
    let patched = admin
        .client()
        .patch(app.url(&format!("/api/v1/staff/{}", me.id)))
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);

    // A live session's stream goes on meanwhile.
    let staying = ticket_stream(admin.client().clone()).await;

    let limit = Duration::from_secs(30);
    let (a, b, c, d) = tokio::join!(
        ends_within(watched, limit),
        ends_within(queue, limit),
        ends_within(expiring_stream, limit),
        ends_within(deactivated_stream, limit),
    );
    assert!(a, "ticket stream after sign-out");
    assert!(b, "queue stream after sign-out");
    assert!(c, "ticket stream after expiry");
    assert!(d, "queue stream after deactivation");

    assert!(!ends_within(staying, Duration::from_secs(1)).await);
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // Behind a trusted balancer (this test is it), each client has its own allowance.
    let app = spawn_app_with(|serve| {
        serve.protect.trusted_proxies = "127.0.0.1/32".parse().unwrap();
    })
    .await;
    let from = |client: &str, n: usize| {
        let request = sign_in(&app.client(), &app, &format!("guess{n}@demo.selfdesk"), "x")
            .header("x-forwarded-for", format!("198.51.100.77, {client}"));
        async move { request.send().await.unwrap().status() }
    };
    for n in 0..29 {
        assert_eq!(from("203.0.113.1", n).await, StatusCode::UNAUTHORIZED);
    }
    // The 30th failure from that client uses up its allowance …
    assert_eq!(from("203.0.113.1", 29).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(from("203.0.113.1", 30).await, StatusCode::TOO_MANY_REQUESTS);
    // … and nobody else's: staff elsewhere still sign in.
    assert_eq!(from("203.0.113.2", 31).await, StatusCode::UNAUTHORIZED);
    let ok = sign_in(&app.client(), &app, TECH, DEMO_PASSWORD)
        .header("x-forwarded-for", "203.0.113.3")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    // The proxies write X-Forwarded-For: a `Forwarded` header the client added itself
    // names no one, so it cannot get a locked-out client a new allowance.
    let injected = sign_in(&app.client(), &app, "guess99@demo.selfdesk", "x")
        .header("x-forwarded-for", "203.0.113.1")
        .header("forwarded", "for=198.51.100.200")
        .send()
        .await
        .unwrap();
    assert_eq!(injected.status(), StatusCode::TOO_MANY_REQUESTS);

    // Without trusted proxies the header is the client's own word and is ignored:
    // changing it does not escape the limit.
    let direct = spawn_app().await;
    for n in 0..30 {
        let status = sign_in(
            &direct.client(),
            &direct,
            &format!("g{n}@demo.selfdesk"),
            "x",
        )
        .header("x-forwarded-for", format!("192.0.2.{n}"))
        .send()
        .await
        .unwrap()
        .status();
        assert_ne!(status, StatusCode::OK);
    }
    let spoofed = sign_in(&direct.client(), &direct, "new@demo.selfdesk", "x")
        .header("x-forwarded-for", "192.0.2.200")
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn upload_text(app: &TestApp, client_addr: &str, bytes: usize) -> Response {
    app.client()
        .post(app.url("/api/v1/tickets/uploads?name=log.txt"))
        .header("content-type", "application/octet-stream")
        .header("x-forwarded-for", client_addr)
        .body("printer log line\n".repeat(bytes / 17 + 1))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn anonymous_writes_are_limited_per_address_with_retry_after() {
    // The real defaults, behind a trusted proxy so that two clients can be told apart.
    let app = spawn_app_with(|serve| {
        serve.protect = ProtectArgs {
            trusted_proxies: "127.0.0.1/32".parse().unwrap(),
            rate_limits: RateLimits::default(),
            ..ProtectArgs::default()
        };
    })
    .await;
    twenty_filings_an_hour_from_one_address(&app).await;
    a_hundred_votes_an_hour(&app).await;
    thirty_uploads_an_hour(&app).await;
    a_hundred_and_twenty_replies_an_hour_to_ones_own_ticket(&app).await;
    replicas_count_against_the_same_limits(&app).await;
}

/// Files the printer ticket as if sent from `client`, through the trusted proxy.
async fn file_from(app: &TestApp, client: &'static str) -> Response {
    app.client()
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", key())
        .header("x-forwarded-for", client)
        .json(&TicketForm::printer("Printer jammed"))
        .send()
        .await
        .unwrap()
}

async fn twenty_filings_an_hour_from_one_address(app: &TestApp) {
    for _ in 0..20 {
        assert_eq!(
            file_from(app, "203.0.113.5").await.status(),
            StatusCode::CREATED
        );
    }
    let refused = file_from(app, "203.0.113.5").await;
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    expect_error(
        refused,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    // Another address files as usual.
    assert_eq!(
        file_from(app, "203.0.113.6").await.status(),
        StatusCode::CREATED
    );
}

async fn a_hundred_votes_an_hour(app: &TestApp) {
    let vote = |n: usize| {
        let request = app
            .client()
            .put(app.url("/api/v1/kb/articles/printer-prints-blank-pages/vote"))
            .header("x-forwarded-for", "203.0.113.7")
            .json(&json!({"voter": format!("voter-{n:020}"), "helpful": true}));
        async move { request.send().await.unwrap().status() }
    };
    let first = vote(0).await;
    assert!(
        first == StatusCode::NO_CONTENT || first == StatusCode::NOT_FOUND,
        "{first}"
    );
    for n in 1..100 {
        assert_eq!(vote(n).await, first);
    }
    assert_eq!(vote(100).await, StatusCode::TOO_MANY_REQUESTS);
}

async fn thirty_uploads_an_hour(app: &TestApp) {
    for _ in 0..30 {
        assert_eq!(
            upload_text(app, "203.0.113.8", 100).await.status(),
            StatusCode::CREATED
        );
    }
    assert_eq!(
        upload_text(app, "203.0.113.8", 100).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn a_hundred_and_twenty_replies_an_hour_to_ones_own_ticket(app: &TestApp) {
    let ticket: TicketCreated = file_from(app, "203.0.113.9").await.json().await.unwrap();
    let reply = || {
        let request = app
            .client()
            .post(app.url(&format!("/api/v1/tickets/{}/replies", ticket.number)))
            .bearer_auth(&ticket.access_token)
            .header("x-forwarded-for", "203.0.113.9")
            .json(&json!({"body": "still broken"}));
        async move { request.send().await.unwrap().status() }
    };
    for _ in 0..120 {
        assert_eq!(reply().await, StatusCode::OK);
    }
    assert_eq!(reply().await, StatusCode::TOO_MANY_REQUESTS);
}

/// The counters are in the database: a second replica counts against the same.
async fn replicas_count_against_the_same_limits(app: &TestApp) {
    let replica = app.replica_with(|serve| {
        serve.protect.trusted_proxies = "127.0.0.1/32".parse().unwrap();
        serve.protect.rate_limits = RateLimits::default();
    });
    let replica = replica.await;
    let on_replica = replica
        .client()
        .post(replica.url("/api/v1/tickets"))
        .header("Idempotency-Key", key())
        .header("x-forwarded-for", "203.0.113.5")
        .json(&TicketForm::printer("Printer jammed"))
        .send()
        .await
        .unwrap();
    assert_eq!(on_replica.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn uploads_get_a_share_per_address_and_a_full_store_is_a_clear_error() {
    let app = spawn_app_with(|serve| {
        serve.protect = ProtectArgs {
            trusted_proxies: "127.0.0.1/32".parse().unwrap(),
            uploads_waiting_mib: 4,
            storage_quota_mib: 3,
            ..test_protection()
        };
    })
    .await;
    // One address may hold a quarter of what may wait (1 MiB of 4).
    assert_eq!(
        upload_text(&app, "203.0.113.20", 740_000).await.status(),
        StatusCode::CREATED
    );
    let over_share = upload_text(&app, "203.0.113.20", 740_000).await;
    expect_error(
        over_share,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    assert_eq!(
        upload_text(&app, "203.0.113.21", 740_000).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        upload_text(&app, "203.0.113.22", 740_000).await.status(),
        StatusCode::CREATED
    );
    // 2.2 MB stored of a 3 MiB quota: the next 0.74 MB fits, the one after does not.
    assert_eq!(
        upload_text(&app, "203.0.113.23", 740_000).await.status(),
        StatusCode::CREATED
    );
    let full = upload_text(&app, "203.0.113.24", 740_000).await;
    assert_eq!(full.status().as_u16(), 507);
    let body: Value = full.json().await.unwrap();
    assert_eq!(body["error"]["code"], "storage_full");
    // Admins see the warning; a ticket without the file is still filed.
    let admin = app.staff("admin").await;
    let standing: Value = admin.get_json("/api/v1/staff/storage").await;
    assert_eq!(standing["warning"], true, "{standing}");
    assert_eq!(standing["quota_bytes"], 3 * 1024 * 1024);
    let technician = app.staff("tier1").await;
    let forbidden = technician.get("/api/v1/staff/storage").await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    app.file("Filed while the store is full").await;
}

async fn requester_stream(app: &TestApp, t: &TicketCreated) -> Response {
    let grant = app.requester(t).grant("events").await;
    app.client()
        .get(app.url(&format!(
            "/api/v1/tickets/{}/events?grant={grant}",
            t.number
        )))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn event_streams_are_capped_and_share_one_read_per_event() {
    let app = spawn_app_with(|serve| {
        serve.protect = ProtectArgs {
            streams_per_ticket: 10,
            streams_per_client: 12,
            ..test_protection()
        };
    })
    .await;
    let ticket = app.file("Watched by many").await;
    let mut open = Vec::new();
    for _ in 0..10 {
        let stream = requester_stream(&app, &ticket).await;
        assert_eq!(stream.status(), StatusCode::OK);
        open.push(stream);
    }
    let eleventh = requester_stream(&app, &ticket).await;
    expect_error(
        eleventh,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;

    // Ten watchers, three replies: one read per new event, not one per watcher.
    let events_of_ticket = format!(
        "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = (SELECT id FROM tickets WHERE number = '{}')",
        ticket.number
    );
    // The filing's own event may still be on its way through the feed.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let events_before = count(&app, &events_of_ticket).await;
    let before = app.state.hub.reads();
    let staff = app.staff("tier1").await;
    for n in 0..3 {
        staff.reply(&ticket.number, &format!("Reply {n}")).await;
    }
    let mut received = 0;
    for stream in &mut open {
        let mut text = String::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while !text.contains("Reply 2") {
            match tokio::time::timeout_at(deadline, stream.chunk()).await {
                Ok(Ok(Some(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
                _ => break,
            }
        }
        if (0..3).all(|n| text.contains(&format!("Reply {n}"))) {
            received += 1;
        }
    }
    assert_eq!(received, 10, "every watcher got every reply");
    let new_events = count(&app, &events_of_ticket).await - events_before;
    assert!(new_events >= 3);
    assert_eq!(app.state.hub.reads() - before, new_events as u64);

    // A place comes back when a stream closes; the address cap holds across tickets.
    drop(open.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = requester_stream(&app, &ticket).await;
    assert_eq!(again.status(), StatusCode::OK);
    let other = app.file("Another ticket").await;
    let mut more = Vec::new();
    for _ in 0..2 {
        let s = requester_stream(&app, &other).await;
        assert_eq!(s.status(), StatusCode::OK);
        more.push(s);
    }
    let over_address = requester_stream(&app, &other).await;
    expect_error(
        over_address,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    drop(again);
}

#[tokio::test]
async fn cross_site_writes_with_a_session_cookie_are_refused() {
    let app = spawn_app().await;
    let client = app.bare_client();
    // Signing in carries no session yet.
    let signed_in = sign_in(&client, &app, TECH, DEMO_PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let ticket = app.file("Forged requests").await;
    let note = app.url(&format!("/api/v1/staff/tickets/{}/replies", ticket.number));
    // A bodiless POST with neither fetch metadata nor a matching origin.
    let forged = client
        .post(app.url("/api/v1/auth/sign-out"))
        .send()
        .await
        .unwrap();
    expect_error(forged, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
        ("origin", "null"),
    ] {
        let forged = client
            .post(&note)
            .header(header, value)
            .json(&json!({"body": "forged", "internal": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "{header}: {value}");
    }
    // Reading is not affected; the portal's own origin or fetch metadata pass.
    let me = client.get(app.url("/api/v1/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let own = client
        .post(&note)
        .header("origin", app.url(""))
        .json(&json!({"body": "from the portal", "internal": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    let out = client
        .post(app.url("/api/v1/auth/sign-out"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    // Requests without the cookie (a requester's token) are not affected.
    let filed = app
        .bare_client()
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", key())
        .header("origin", "https://elsewhere.example")
        .json(&TicketForm::printer("Filed by a script"))
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn sessions_use_host_cookies_hsts_an_idle_timeout_and_no_store() {
    let app = spawn_app_with(|serve| serve.cookie_secure = true).await;
    let response = sign_in(&app.client(), &app, TECH, DEMO_PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-sd_session="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let page = reqwest::get(app.url("/staff")).await.unwrap();
    assert!(page.headers().contains_key("strict-transport-security"));
    let error = reqwest::get(app.url("/api/v1/nowhere")).await.unwrap();
    assert_eq!(error.headers()["cache-control"], "no-store");

    // Idle for longer than the timeout (120 minutes by default): signed out.
    let plain = spawn_app().await;
    let technician = plain.staff("tier1").await;
    let me = technician.get("/api/v1/auth/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    assert!(!me.headers().contains_key("strict-transport-security"));
    // Reads a page makes by itself as live updates arrive do not count as use: after
    // 119 idle minutes, a queue refresh still answers but does not extend the session.
    let almost = selfdesk_server::unix_now() - 119 * 60;
    sql(
        &plain,
        &format!("UPDATE staff_sessions SET last_seen_at = {almost}"),
    )
    .await;
    let refresh = technician.get("/api/v1/staff/tickets").await;
    assert_eq!(refresh.status(), StatusCode::OK);
    assert_eq!(
        count(&plain, "SELECT MAX(last_seen_at) FROM staff_sessions").await,
        almost
    );
    let long_ago = selfdesk_server::unix_now() - 121 * 60;
    sql(
        &plain,
        &format!("UPDATE staff_sessions SET last_seen_at = {long_ago}"),
    )
    .await;
    let idle = technician.get("/api/v1/auth/me").await;
    expect_error(idle, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
}

#[tokio::test]
async fn slow_clients_are_cut_off() {
    let app = spawn_app().await;
    // Headers that never finish: the connection is closed after the header timeout.
    let slow_headers = async {
        let mut socket = tokio::net::TcpStream::connect(app.address).await.unwrap();
        socket
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let started = tokio::time::Instant::now();
        let mut buffer = [0u8; 512];
        let read = tokio::time::timeout(Duration::from_secs(60), socket.read(&mut buffer)).await;
        (read, started.elapsed())
    };
    // A body that stops arriving: the request fails after the body timeout.
    let slow_body = async {
        let mut socket = tokio::net::TcpStream::connect(app.address).await.unwrap();
        socket
            .write_all(
                b"POST /api/v1/tickets/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"num",
            )
            .await
            .unwrap();
        let started = tokio::time::Instant::now();
        let mut buffer = vec![0u8; 4096];
        let read = tokio::time::timeout(Duration::from_secs(45), socket.read(&mut buffer)).await;
        let text = match &read {
            Ok(Ok(n)) => String::from_utf8_lossy(&buffer[..*n]).to_string(),
            _ => String::new(),
        };
        (read.is_ok(), text, started.elapsed())
    };
    // Cleartext HTTP/2 (which would need timeouts of its own) is not spoken at all.
    let h2c = async {
        let mut socket = tokio::net::TcpStream::connect(app.address).await.unwrap();
        socket
            .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            .await
            .unwrap();
        let mut buffer = vec![0u8; 4096];
        let mut text = String::new();
        loop {
            match tokio::time::timeout(Duration::from_secs(10), socket.read(&mut buffer)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return (true, text),
                Ok(Ok(n)) => text.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => return (false, text),
            }
        }
    };
    let ((header_read, header_time), (body_answered, body_text, body_time), (h2_closed, h2_text)) =
        tokio::join!(slow_headers, slow_body, h2c);
    assert!(h2_closed, "an HTTP/2 preface gets the connection closed");
    assert!(
        !h2_text.contains("\0\0"),
        "no HTTP/2 frames came back: {h2_text:?}"
    );
    assert!(
        header_read.is_ok(),
        "the server closes a connection whose headers never finish"
    );
    assert!(header_time < Duration::from_secs(45), "{header_time:?}");
    assert!(body_answered, "the server answers a body that stopped");
    assert!(body_time < Duration::from_secs(40), "{body_time:?}");
    assert!(!body_text.starts_with("HTTP/1.1 2"), "{body_text}");
    // Meanwhile the server answered everyone else.
    let health = reqwest::get(app.url("/api/v1/health")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn tracking_tokens_stay_out_of_urls_and_leaked_links_can_be_replaced() {
    let app = spawn_app().await;
    let ticket = app.file("My link leaked").await;
    let requester = app.requester(&ticket);
    // The token in a URL opens nothing.
    let in_url = app
        .client()
        .get(app.url(&format!(
            "/api/v1/tickets/{}/events?access={}",
            ticket.number, ticket.access_token
        )))
        .send()
        .await
        .unwrap();
    expect_error(in_url, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
    // A grant serves one purpose only, and not after it expires.
    let download = requester.grant("download").await;
    let wrong_purpose = app
        .client()
        .get(app.url(&format!(
            "/api/v1/tickets/{}/events?grant={download}",
            ticket.number
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_purpose.status(), StatusCode::UNAUTHORIZED);
    // A grant opens one stream: the same URL a second time opens nothing.
    let grant = requester.grant("events").await;
    let events_url = app.url(&format!(
        "/api/v1/tickets/{}/events?grant={grant}",
        ticket.number
    ));
    let stream = app.client().get(&events_url).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let again = app.client().get(&events_url).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    let expiring = requester.grant("events").await;
    sql(&app, "UPDATE ticket_grants SET expires_at = 1").await;
    let expired = app
        .client()
        .get(app.url(&format!(
            "/api/v1/tickets/{}/events?grant={expiring}",
            ticket.number
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);

    // "Someone else has my link": a new one; every old link, grant and stream ends.
    let unused = requester.grant("download").await;
    let renewed: Value = app
        .client()
        .post(app.url(&format!("/api/v1/tickets/{}/access/renew", ticket.number)))
        .bearer_auth(&ticket.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_token = renewed["access_token"].as_str().unwrap();
    assert!(
        renewed["tracking_path"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#access={new_token}"))
    );
    let old = requester.view_raw().await;
    expect_error(old, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let new = requester.with_token(new_token).view_raw().await;
    assert_eq!(new.status(), StatusCode::OK);
    assert!(
        ends_within(stream, Duration::from_secs(30)).await,
        "the stream opened with the old link ends"
    );
    let old_grant = app
        .client()
        .get(app.url(&format!(
            "/api/v1/tickets/{}/attachments/none?grant={unused}",
            ticket.number
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(old_grant.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn ticket_pages_load_no_remote_images() {
    let app = spawn_app().await;
    let csp = |path: &'static str| {
        let url = app.url(path);
        async move {
            reqwest::get(url).await.unwrap().headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    for path in ["/tickets/SD-2026-000001", "/tickets/new", "/staff/tickets"] {
        let policy = csp(path).await;
        assert!(policy.contains("img-src 'self' data:;"), "{path}: {policy}");
    }
    // Articles, written by staff, may show images from other sites.
    assert!(
        csp("/kb/printer")
            .await
            .contains("img-src 'self' data: https:;")
    );
}
