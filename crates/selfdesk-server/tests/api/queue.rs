//! The technicians' queue over HTTP: deadline order, filters and their counts, keyset
//! pages, the stored sort key kept true through pauses, priority changes and a policy
//! change at start-up, the live stream, canned responses, and who may do what
//! (a table of endpoint × role).

use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use selfdesk_shared::canned::CannedResponseList;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::incidents::IncidentList;
use selfdesk_shared::queue::{NO_DEADLINE, PAUSED, QueueChange, QueuePage};
use selfdesk_shared::sla::{Priority, SlaSettings, SlaStanding};
use selfdesk_shared::tickets::{TicketChange, TicketCreated, TicketStatus};
use serde_json::{Value, json};

use crate::helpers::{Staff, TestApp, TicketForm, expect_error, key, spawn_app};

/// Files a ticket whose impact and urgency give `priority`.
async fn file_with(app: &TestApp, subject: &str, priority: Priority) -> TicketCreated {
    let created = app
        .file_ticket(TicketForm::printer(subject).priority(priority))
        .await;
    assert_eq!(created.ticket.priority, priority);
    created
}

fn numbers(page: &QueuePage) -> Vec<&str> {
    page.tickets.iter().map(|t| t.number.as_str()).collect()
}

async fn sort_key(app: &TestApp, number: &str) -> i64 {
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT sla_due_at FROM tickets WHERE number = $1")
            .bind(number)
            .fetch_one(pool)
            .await
    })
    .unwrap()
}

#[tokio::test]
async fn the_queue_puts_the_nearest_deadline_first_and_filters_with_counts() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let low = file_with(&app, "Mouse squeaks", Priority::P4).await;
    let outage = file_with(&app, "Nobody can print", Priority::P1).await;
    let mid = file_with(&app, "My printer jams", Priority::P3).await;
    let [low, outage, mid] = [
        low.number.as_str(),
        outage.number.as_str(),
        mid.number.as_str(),
    ];

    the_nearest_deadline_comes_first(&tech, [outage, mid, low]).await;
    // Tina takes `mid`; `low` goes to tier 2.
    filters_find_mine_unassigned_a_tier_and_a_priority(&tech, outage, mid, low).await;
    pages_cover_everything_once(&tech, [mid, outage, low], low).await;
    a_resolved_ticket_leaves_the_open_queue(&tech, outage, [mid, low]).await;
}

async fn the_nearest_deadline_comes_first(tech: &Staff<'_>, by_deadline: [&str; 3]) {
    let page = tech.queue("").await;
    assert_eq!(numbers(&page), by_deadline, "P1's deadline is nearest");
    assert!(page.next.is_none());
    assert_eq!(page.counts.open, 3);
    assert_eq!(page.counts.new, 3);
    assert_eq!(page.counts.unassigned, 3);
    assert_eq!(page.counts.tiers, [3, 0, 0]);
    assert!(matches!(
        page.tickets[0].sla,
        SlaStanding::OnTrack { .. } | SlaStanding::DueSoon { .. } | SlaStanding::Breached { .. }
    ));
}

async fn filters_find_mine_unassigned_a_tier_and_a_priority(
    tech: &Staff<'_>,
    outage: &str,
    mid: &str,
    low: &str,
) {
    let me = tech.colleague_id("Tina First-Line").await;
    let view = tech.assign(mid, Some(me)).await;
    assert_eq!(view.assignee.unwrap().display_name, "Tina First-Line");
    tech.escalate(low, 2, "Needs a new mouse from stores").await;
    assert_eq!(numbers(&tech.queue("assignee=me").await), [mid]);
    assert_eq!(numbers(&tech.queue("assignee=none").await), [outage, low]);
    assert_eq!(numbers(&tech.queue("tier=2").await), [low]);
    assert_eq!(numbers(&tech.queue("priority=p1").await), [outage]);
    assert_eq!(
        numbers(&tech.queue("category=network").await),
        Vec::<&str>::new()
    );
    let counts = tech.queue("").await.counts;
    assert_eq!(
        (counts.mine, counts.unassigned, counts.tiers),
        (1, 2, [2, 1, 0])
    );
}

/// Newest first, and keyset pages that cover everything once.
async fn pages_cover_everything_once(
    tech: &Staff<'_>,
    newest_first: [&str; 3],
    last_by_deadline: &str,
) {
    assert_eq!(numbers(&tech.queue("sort=newest").await), newest_first);
    let first = tech.queue("limit=2").await;
    assert_eq!(first.tickets.len(), 2);
    let next = first.next.clone().expect("a second page");
    let second = tech.queue(&format!("limit=2&after={next}")).await;
    assert_eq!(numbers(&second), [last_by_deadline]);
    assert!(second.next.is_none());
}

/// A resolved ticket leaves the open queue and shows under its status.
async fn a_resolved_ticket_leaves_the_open_queue(
    tech: &Staff<'_>,
    resolved: &str,
    still_open: [&str; 2],
) {
    tech.resolve(resolved, "Restarted the print server").await;
    assert_eq!(numbers(&tech.queue("").await), still_open);
    assert_eq!(numbers(&tech.queue("status=resolved").await), [resolved]);
    assert_eq!(tech.queue("status=all").await.tickets.len(), 3);
}

#[tokio::test]
async fn every_bad_queue_filter_is_named() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    for (query, says) in [
        ("status=opened", "status is one of"),
        ("tier=7", "tier is 1, 2 or 3"),
        ("priority=urgent", "priority is one of"),
        ("assignee=someone", "assignee is me"),
        ("due=0", "due is breached"),
        ("sort=oldest", "sort is due"),
        ("after=yesterday", "after is the `next`"),
        ("limit=1000", "limit is 1 to 200"),
    ] {
        let error = expect_error(
            tech.queue_raw(query).await,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        )
        .await;
        assert!(
            error.error.message.contains(says),
            "{query}: {}",
            error.error.message
        );
    }
}

#[tokio::test]
async fn the_stored_deadline_follows_pauses_priority_and_the_policy() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let t = file_with(&app, "Scanner offline", Priority::P3).await;
    let n = &t.number;
    let filed_key = sort_key(&app, n).await;
    assert!(filed_key < PAUSED);

    // Waiting for the requester stops the clock: the ticket sorts after running ones.
    tech.set_status(n, TicketStatus::WaitingForRequester).await;
    assert_eq!(sort_key(&app, n).await, PAUSED);
    let page = tech.queue("").await;
    assert_eq!(page.tickets[0].sla, SlaStanding::Paused);
    assert_eq!(page.counts.waiting_for_requester, 1);
    tech.set_status(n, TicketStatus::InProgress).await;
    let resumed = sort_key(&app, n).await;
    assert!(
        resumed >= filed_key && resumed < PAUSED,
        "{resumed} vs {filed_key}"
    );

    // Raising the priority brings the deadline forward, and the change is on the timeline.
    let view = tech.set_priority(n, Priority::P1).await;
    assert_eq!(view.priority, Priority::P1);
    assert!(view.events.iter().any(|e| matches!(
        e.change,
        TicketChange::Priority {
            from: Priority::P3,
            to: Priority::P1
        }
    )));
    assert!(sort_key(&app, n).await < resumed);
    let same = tech.set_priority_raw(n, Priority::P1).await;
    expect_error(same, StatusCode::CONFLICT, ErrorCode::Conflict).await;

    // A key computed under another policy (or before the column existed) is redone at
    // start-up.
    let db = app.db().await;
    selfdesk_server::with_pool!(&db, |pool| async {
        sqlx::query("UPDATE tickets SET sla_due_at = $1")
            .bind(NO_DEADLINE)
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM server_settings")
            .execute(pool)
            .await
            .unwrap();
    }
    .await);
    let _restarted = app.replica().await;
    assert!(sort_key(&app, n).await < resumed);

    // Done tickets need nobody.
    tech.resolve(n, "Cable").await;
    assert_eq!(sort_key(&app, n).await, NO_DEADLINE);
}

#[tokio::test]
async fn the_queue_stream_names_tickets_as_they_arrive_and_change() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let mut response = tech.get("/api/v1/staff/queue/events").await;
    assert_eq!(response.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t = file_with(&app, "Wi-Fi drops", Priority::P2).await;
    tech.note(&t.number, "Checking the AP").await;
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut changes = Vec::new();
    while changes.len() < 2 {
        let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, response.chunk()).await else {
            break;
        };
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let frame: String = text.drain(..end + 2).collect();
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) {
                changes.push(serde_json::from_str::<QueueChange>(data.trim()).unwrap());
            }
        }
    }
    assert_eq!(changes.len(), 2, "filing and the note");
    assert!(changes.iter().all(|c| c.number == t.number));

    let anonymous = app
        .client()
        .get(app.url("/api/v1/staff/queue/events"))
        .send()
        .await
        .unwrap();
    expect_error(
        anonymous,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
}

#[tokio::test]
async fn canned_responses_are_read_by_staff_and_kept_by_admins() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let admin = app.staff("admin").await;
    let canned = "/api/v1/staff/canned-responses";
    let list: CannedResponseList = tech.get_json(canned).await;
    assert!(list.responses.len() >= 3, "seeded");
    assert!(list.responses[0].body.contains("{requester_name}"));

    let bad = admin
        .post(
            canned,
            &json!({"title": "Hi", "body": "Dear {requestor}", "tier": null}),
        )
        .await;
    let error = expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;
    assert_eq!(error.error.field.as_deref(), Some("body"));
    assert!(
        error.error.message.contains("{requestor}"),
        "{}",
        error.error.message
    );
    let found = "{requestor}".to_owned();
    assert_eq!(
        error.error.reason,
        Some(selfdesk_shared::error::Reason::UnknownPlaceholder { found })
    );

    let created = admin
        .post(
            canned,
            &json!({"title": "VPN reset", "body": "Hi {requester_name}, reset done.", "tier": 2}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let one = format!("{canned}/{id}");
    let edited = admin
        .put(
            &one,
            &json!({"title": "VPN profile reset", "body": "Hi {requester_name}, done.", "tier": 2}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let deleted = admin.delete(&one).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let again = admin.delete(&one).await;
    expect_error(again, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

/// Who the table acts as; `None` is nobody signed in.
const ROLES: [Option<&str>; 5] = [
    Some("tier1"),
    Some("tier2"),
    Some("tier3"),
    Some("admin"),
    None,
];

/// One row: an action on a fresh tier-2 ticket, and the status each of
/// [tier 1, tier 2, tier 3, admin, anonymous] gets.
struct Row {
    what: &'static str,
    method: Method,
    /// `{n}` is the ticket's number; `{me}` the caller's staff id. In the body,
    /// `"{me}"` becomes that id and `{role}` the caller's role (`anonymous` for
    /// nobody), for what must differ between callers.
    path: &'static str,
    body: Option<Value>,
    expect: [u16; 5],
}

fn table() -> Vec<Row> {
    let row = |what, method, path, body: Option<Value>, expect| Row {
        what,
        method,
        path,
        body,
        expect,
    };
    vec![
        row(
            "read the queue",
            Method::GET,
            "/api/v1/staff/tickets",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "read assignees",
            Method::GET,
            "/api/v1/staff/assignees",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "read a ticket",
            Method::GET,
            "/api/v1/staff/tickets/{n}",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "reply",
            Method::POST,
            "/api/v1/staff/tickets/{n}/replies",
            Some(json!({"body": "On it"})),
            [200, 200, 200, 200, 401],
        ),
        row(
            "note",
            Method::POST,
            "/api/v1/staff/tickets/{n}/replies",
            Some(json!({"body": "Hm", "internal": true})),
            [200, 200, 200, 200, 401],
        ),
        row(
            "escalate",
            Method::POST,
            "/api/v1/staff/tickets/{n}/tier",
            Some(json!({"tier": 3, "reason": "Needs an expert"})),
            [200, 200, 200, 200, 401],
        ),
        row(
            "de-escalate",
            Method::POST,
            "/api/v1/staff/tickets/{n}/tier",
            Some(json!({"tier": 1, "reason": "Routine"})),
            [403, 200, 200, 200, 401],
        ),
        row(
            "take it",
            Method::POST,
            "/api/v1/staff/tickets/{n}/assignee",
            Some(json!({"assignee": "{me}"})),
            [403, 200, 200, 200, 401],
        ),
        row(
            "start work",
            Method::POST,
            "/api/v1/staff/tickets/{n}/status",
            Some(json!({"status": "in_progress"})),
            [403, 200, 200, 200, 401],
        ),
        row(
            "resolve",
            Method::POST,
            "/api/v1/staff/tickets/{n}/status",
            Some(json!({"status": "resolved", "summary": "Fixed"})),
            [403, 200, 200, 200, 401],
        ),
        row(
            "change priority",
            Method::POST,
            "/api/v1/staff/tickets/{n}/priority",
            Some(json!({"priority": "p1"})),
            [403, 200, 200, 200, 401],
        ),
        row(
            "read canned responses",
            Method::GET,
            "/api/v1/staff/canned-responses",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "add a canned response",
            Method::POST,
            "/api/v1/staff/canned-responses",
            Some(json!({"title": "T", "body": "B"})),
            [403, 403, 403, 201, 401],
        ),
        row(
            "list staff accounts",
            Method::GET,
            "/api/v1/staff",
            None,
            [403, 403, 403, 200, 401],
        ),
        row(
            "read service levels",
            Method::GET,
            "/api/v1/staff/sla",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "set service levels",
            Method::PUT,
            "/api/v1/staff/sla",
            Some(serde_json::to_value(SlaSettings::default()).unwrap()),
            [403, 403, 403, 200, 401],
        ),
        row(
            "read the storage in use",
            Method::GET,
            "/api/v1/staff/storage",
            None,
            [403, 403, 403, 200, 401],
        ),
        row(
            "read the outbox",
            Method::GET,
            "/api/v1/staff/outbox",
            None,
            [403, 403, 403, 200, 401],
        ),
        row(
            "send a failed message again (none failed)",
            Method::POST,
            "/api/v1/staff/outbox/424242/retry",
            None,
            [403, 403, 403, 404, 401],
        ),
        row(
            "read the mail read from the mailbox",
            Method::GET,
            "/api/v1/staff/mail-in",
            None,
            [403, 403, 403, 200, 401],
        ),
        row(
            "read my email settings",
            Method::GET,
            "/api/v1/staff/me/notifications",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "change my email settings",
            Method::PUT,
            "/api/v1/staff/me/notifications",
            Some(
                json!({"language": "en", "requester_replies": true, "tier_pool": true, "sla_warnings": true}),
            ),
            [200, 200, 200, 200, 401],
        ),
        row(
            "read my sign-in security",
            Method::GET,
            "/api/v1/staff/me/security",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "change my password, giving a wrong current one",
            Method::PUT,
            "/api/v1/staff/me/password",
            Some(
                json!({"current_password": "not my password", "new_password": "a long new passphrase"}),
            ),
            [422, 422, 422, 422, 401],
        ),
        row(
            "make new recovery codes with two-factor sign-in off",
            Method::POST,
            "/api/v1/staff/me/two-factor/recovery-codes",
            Some(json!({"password": "selfdesk-demo"})),
            [409, 409, 409, 409, 401],
        ),
        row(
            "issue a password-reset link (no such account)",
            Method::POST,
            "/api/v1/staff/424242/password-reset",
            None,
            [403, 403, 403, 404, 401],
        ),
        row(
            "read the webhook endpoints",
            Method::GET,
            "/api/v1/staff/webhooks",
            None,
            [403, 403, 403, 200, 401],
        ),
        row(
            "register a webhook endpoint",
            Method::POST,
            "/api/v1/staff/webhooks",
            Some(json!({"url": "https://hooks.example.org/selfdesk", "events": ["ticket.filed"]})),
            [403, 403, 403, 201, 401],
        ),
        row(
            "change a webhook endpoint (none)",
            Method::PUT,
            "/api/v1/staff/webhooks/424242",
            Some(json!({"url": "https://hooks.example.org/selfdesk", "events": ["ticket.filed"]})),
            [403, 403, 403, 404, 401],
        ),
        row(
            "delete a webhook endpoint (none)",
            Method::DELETE,
            "/api/v1/staff/webhooks/424242",
            None,
            [403, 403, 403, 404, 401],
        ),
        row(
            "read a webhook endpoint's deliveries (none)",
            Method::GET,
            "/api/v1/staff/webhooks/424242/deliveries",
            None,
            [403, 403, 403, 404, 401],
        ),
        row(
            "read categories",
            Method::GET,
            "/api/v1/staff/categories",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "define a category",
            Method::PUT,
            "/api/v1/staff/categories/table-test",
            Some(
                json!({"slug": "table-test", "position": 9, "names": {"en": "Test"}, "fields": []}),
            ),
            [403, 403, 403, 201, 401],
        ),
        row(
            "link an incident (none open)",
            Method::POST,
            "/api/v1/staff/tickets/{n}/incident",
            Some(json!({"incident": 424242})),
            [422, 422, 422, 422, 401],
        ),
        row(
            "read the flows",
            Method::GET,
            "/api/v1/staff/flows",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "read the services a reach check tries (anyone)",
            Method::GET,
            "/api/v1/reach-services",
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            "replace the services a reach check tries",
            Method::PUT,
            "/api/v1/staff/reach-services",
            Some(json!({"services": []})),
            [403, 403, 403, 200, 401],
        ),
        row(
            "read the articles kept for offline use (anyone)",
            Method::GET,
            "/api/v1/offline",
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            "mark articles available offline",
            Method::PUT,
            "/api/v1/staff/offline",
            Some(
                json!({"articles": ["vpn-wont-connect", "wifi-connected-no-internet", "forgot-password-account-locked"]}),
            ),
            [403, 403, 200, 200, 401],
        ),
        row(
            "read the search synonyms",
            Method::GET,
            "/api/v1/staff/search/synonyms",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "add search synonyms",
            Method::POST,
            "/api/v1/staff/search/synonyms",
            Some(json!({"lang": "en", "words": ["one{role}", "two{role}"]})),
            [403, 403, 201, 201, 401],
        ),
        row(
            "replace search synonyms (no such group)",
            Method::PUT,
            "/api/v1/staff/search/synonyms/424242",
            Some(json!({"lang": "en", "words": ["three{role}", "four{role}"]})),
            [403, 403, 404, 404, 401],
        ),
        row(
            "delete search synonyms (no such group)",
            Method::DELETE,
            "/api/v1/staff/search/synonyms/424242",
            None,
            [403, 403, 404, 404, 401],
        ),
        row(
            "read the searches that did not help",
            Method::GET,
            "/api/v1/staff/kb/search-gaps",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "report searches (anonymous)",
            Method::POST,
            "/api/v1/kb/searches",
            Some(
                json!([{"id": "table-search-{role}-0001", "lang": "en", "query": "vpn", "hits": 0}]),
            ),
            [204, 204, 204, 204, 204],
        ),
        row(
            "read the insight",
            Method::GET,
            "/api/v1/staff/insight?from=2026-01-01&to=2026-01-31",
            None,
            [200, 200, 200, 200, 401],
        ),
        row(
            "requester's view without a token",
            Method::GET,
            "/api/v1/tickets/{n}",
            None,
            [401, 401, 401, 401, 401],
        ),
        // A staff session is never a requester's (issue 14).
        row(
            "who the signed-in requester is",
            Method::GET,
            "/api/v1/me",
            None,
            [401, 401, 401, 401, 401],
        ),
        row(
            "the signed-in requester's tickets",
            Method::GET,
            "/api/v1/me/tickets",
            None,
            [401, 401, 401, 401, 401],
        ),
        row(
            "open one of the signed-in requester's tickets",
            Method::POST,
            "/api/v1/me/tickets/{n}/access",
            None,
            [401, 401, 401, 401, 401],
        ),
        row(
            "requester sign-out",
            Method::POST,
            "/api/v1/me/sign-out",
            None,
            [401, 401, 401, 401, 401],
        ),
        row(
            "requester sign-out everywhere",
            Method::POST,
            "/api/v1/me/sign-out-everywhere",
            None,
            [401, 401, 401, 401, 401],
        ),
        row(
            "the ways to sign in",
            Method::GET,
            "/api/v1/auth/sign-in-options",
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            "start a sign-in with the provider (none set up)",
            Method::GET,
            "/api/v1/auth/oidc/start?return_to=/",
            None,
            [404, 404, 404, 404, 404],
        ),
        row(
            "ask for an email sign-in link (this portal sends no email)",
            Method::POST,
            "/api/v1/auth/email/start",
            Some(json!({"email": "{role}@example.org", "language": "en"})),
            [503, 503, 503, 503, 503],
        ),
        row(
            "sign in with an emailed link never sent",
            Method::POST,
            "/api/v1/auth/email/finish",
            Some(json!({"token": "never-sent-{role}"})),
            [401, 401, 401, 401, 401],
        ),
    ]
}

#[tokio::test]
async fn every_endpoint_checks_who_may_do_what() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let mut clients: Vec<(Client, i64)> = Vec::new();
    for role in ROLES {
        clients.push(match role {
            Some(role) => {
                let staff = app.staff(role).await;
                let me = staff.me().await.id;
                (staff.client().clone(), me)
            }
            None => (app.client(), 0),
        });
    }
    let mut failures = Vec::new();
    for row in table() {
        for (i, (client, me)) in clients.iter().enumerate() {
            // A fresh ticket at tier 2 for every cell, so no cell depends on another.
            let t = file_with(&app, row.what, Priority::P3).await;
            admin.escalate(&t.number, 2, "Specialists").await;
            let path = row.path.replace("{n}", &t.number);
            let role = ROLES[i].unwrap_or("anonymous");
            let body = row.body.as_ref().map(|b| {
                let text = b
                    .to_string()
                    .replace("\"{me}\"", &me.to_string())
                    .replace("{role}", role);
                serde_json::from_str::<Value>(&text).unwrap()
            });
            let mut request = client.request(row.method.clone(), app.url(&path));
            if let Some(body) = body {
                request = request.json(&body);
            }
            let status = request.send().await.unwrap().status().as_u16();
            if status != row.expect[i] {
                failures.push(format!(
                    "{} as {}: {status}, expected {}",
                    row.what,
                    ROLES[i].unwrap_or("anonymous"),
                    row.expect[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn assignment_names_a_colleague_at_the_tickets_tier() {
    let app = spawn_app().await;
    let tier2 = app.staff("tier2").await;
    let t = file_with(&app, "Laptop fan loud", Priority::P3).await;
    let n = &t.number;
    tier2.escalate(n, 2, "Hardware").await;
    let tina = tier2.colleague_id("Tina First-Line").await;
    let erin = tier2.colleague_id("Erin Expert").await;
    let too_low = tier2.assign_raw(n, Some(tina)).await;
    let error = expect_error(
        too_low,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("assignee"));
    let nobody = tier2.assign_raw(n, Some(999_999)).await;
    expect_error(
        nobody,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let view = tier2.assign(n, Some(erin)).await;
    assert_eq!(view.assignee.as_ref().unwrap().display_name, "Erin Expert");
    assert!(view.requester_email.is_some(), "staff see the address");
    assert!(view.events.iter().any(|e| matches!(&e.change, TicketChange::Assigned { to: Some(s) } if s.display_name == "Erin Expert")));
    let twice = tier2.assign_raw(n, Some(erin)).await;
    expect_error(twice, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    tier2.assign(n, None).await;

    // The requester sees neither the assignment nor the address.
    let requester = app.requester(&t).view().await;
    assert!(requester.assignee.is_none() && requester.requester_email.is_none());
    assert!(
        !requester
            .events
            .iter()
            .any(|e| matches!(e.change, TicketChange::Assigned { .. }))
    );
    assert_eq!(requester.status, TicketStatus::New);
}

const SLA: &str = "/api/v1/staff/sla";

/// The seeded service levels changed to: open around the clock, every day, with a
/// holiday, and far shorter P4 targets (an hour to answer, two to resolve).
async fn round_the_clock(tech: &Staff<'_>) -> Value {
    let current: Value = tech.get_json(SLA).await;
    assert_eq!(current["calendar"]["opens_at_minute"], 480);
    let mut settings = current.clone();
    settings["calendar"]["open_days"] = json!([true, true, true, true, true, true, true]);
    settings["calendar"]["opens_at_minute"] = json!(0);
    settings["calendar"]["closes_at_minute"] = json!(1440);
    settings["calendar"]["holidays"] = json!([{"year": 2026, "month": 12, "day": 25}]);
    settings["targets"]["first_response_minutes"][3] = json!(60);
    settings["targets"]["resolution_minutes"][3] = json!(120);
    settings
}

#[tokio::test]
async fn service_levels_are_set_by_admins_and_refusals_name_the_field() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let admin = app.staff("admin").await;
    let settings = round_the_clock(&tech).await;

    let by_tech = tech.put(SLA, &settings).await;
    expect_error(by_tech, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let mut closed = settings.clone();
    closed["calendar"]["open_days"] = json!([false, false, false, false, false, false, false]);
    let refused = admin.put(SLA, &closed).await;
    let error = expect_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    // The refusal names the very field, and why.
    assert_eq!(error.error.field.as_deref(), Some("calendar.open_days"));
    assert_eq!(
        error.error.reason,
        Some(selfdesk_shared::error::Reason::Required)
    );
    let mut zero = settings.clone();
    zero["targets"]["resolution_minutes"][0] = json!(0);
    let refused = admin.put(SLA, &zero).await;
    let error = expect_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(
        error.error.field.as_deref(),
        Some("targets.resolution_minutes")
    );
}

#[tokio::test]
async fn saved_service_levels_move_open_deadlines_and_reach_every_replica() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let admin = app.staff("admin").await;
    let t = file_with(&app, "Docking station dead", Priority::P4).await;
    let before = sort_key(&app, &t.number).await;
    let settings = round_the_clock(&tech).await;

    let saved = admin.put(SLA, &settings).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Value = saved.json().await.unwrap();
    assert!(saved["recomputed"].as_u64().unwrap() >= 1);
    let after = sort_key(&app, &t.number).await;
    let filed_at = t.ticket.created_at;
    assert!(after < before, "{after} < {before}");
    assert!(
        after <= filed_at + 3_600 + 60,
        "an hour of round-the-clock time"
    );

    // What staff read, what a new filing and a new replica use: the saved levels.
    let read: Value = tech.get_json(SLA).await;
    assert_eq!(read["targets"]["first_response_minutes"][3], 60);
    let replica = app.replica().await;
    let on_replica: Value = replica.staff("tier1").await.get_json(SLA).await;
    assert_eq!(on_replica["calendar"]["closes_at_minute"], 1440);
    let later = file_with(&replica, "Keyboard sticky", Priority::P4).await;
    let key = sort_key(&app, &later.number).await;
    assert!(key <= later.ticket.created_at + 3_600 + 60, "{key}");
}

/// The open incidents requesters see.
async fn public_incidents(app: &TestApp) -> IncidentList {
    let response = app
        .client()
        .get(app.url("/api/v1/incidents"))
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

#[tokio::test]
async fn closing_an_incident_resolves_its_linked_tickets_with_one_message() {
    let app = spawn_app().await;
    let tech = app.staff("tier1").await;
    let admin = app.staff("admin").await;
    let incident = tech
        .post_incident("VPN down for all users since 09:10", "We are on it.", None)
        .await
        .id;
    let public = public_incidents(&app).await;
    assert_eq!(
        public.incidents[0].title,
        "VPN down for all users since 09:10"
    );

    let a = file_with(&app, "No VPN", Priority::P2).await;
    let b = file_with(&app, "VPN will not connect", Priority::P3).await;
    let other = file_with(&app, "Printer jam", Priority::P3).await;
    tickets_are_linked_once_and_to_a_known_incident(&tech, incident, [&a, &b], &other).await;
    // Escalated to the experts after it was linked.
    for tier in [2, 3] {
        admin.escalate(&b.number, tier, "Network team").await;
    }
    the_requester_and_staff_see_the_link(&app, &tech, &a).await;

    closing_takes_a_message_for_the_requesters(&tech, incident).await;
    let resolved = app.requester(&a).view().await;
    assert_eq!(resolved.status, TicketStatus::Resolved);
    assert!(resolved.events.iter().any(|e| matches!(&e.change,
        TicketChange::Status { to: TicketStatus::Resolved, summary: Some(s), .. } if s.contains("gateway was restarted"))));
    // The tier-3 ticket is above the tier-1 closer: it stays open, and still linked.
    let expert = tech.ticket(&b.number).await;
    assert_eq!(expert.status, TicketStatus::New);
    assert_eq!(expert.incident.as_ref().map(|i| i.id), Some(incident));
    let untouched = app.requester(&other).view().await;
    assert_eq!(untouched.status, TicketStatus::New);
    assert_eq!(public_incidents(&app).await.incidents.len(), 0);
}

async fn tickets_are_linked_once_and_to_a_known_incident(
    tech: &Staff<'_>,
    incident: i64,
    linked: [&TicketCreated; 2],
    other: &TicketCreated,
) {
    for t in linked {
        let response = tech.link_incident_raw(&t.number, incident).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let twice = tech.link_incident_raw(&linked[0].number, incident).await;
    expect_error(twice, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let unknown = tech.link_incident_raw(&other.number, 999).await;
    expect_error(
        unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
}

/// The requester sees which known problem the ticket is part of; staff see how many
/// tickets are.
async fn the_requester_and_staff_see_the_link(app: &TestApp, tech: &Staff<'_>, t: &TicketCreated) {
    let seen = app.requester(t).view().await;
    assert_eq!(
        seen.incident.as_ref().unwrap().title,
        "VPN down for all users since 09:10"
    );
    assert!(
        seen.events
            .iter()
            .any(|e| matches!(e.change, TicketChange::Incident { incident: Some(_) }))
    );
    let list: IncidentList = tech.get_json("/api/v1/staff/incidents").await;
    assert_eq!(list.incidents[0].linked_tickets, 2);
}

async fn closing_takes_a_message_for_the_requesters(tech: &Staff<'_>, incident: i64) {
    let silent = tech.close_incident_raw(incident, " ", true).await;
    let error = expect_error(
        silent,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("message"));
    let closed = tech
        .close_incident_raw(
            incident,
            "The VPN gateway was restarted; connect again.",
            true,
        )
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
}

const AV: &str = "/api/v1/staff/categories/av";

fn meeting_rooms() -> Value {
    json!({
        "slug": "ignored", "position": 8,
        "names": {"en": "Meeting rooms and projectors", "fr": "Salles et projecteurs"},
        "fields": [{"key": "room", "required": true,
                    "labels": {"en": "Room", "fr": "Salle"}, "hints": {"en": "e.g. 4.12"}}]
    })
}

#[tokio::test]
async fn admins_define_categories_with_their_fields_in_every_language() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let tech = app.staff("tier1").await;
    let by_tech = tech.put(AV, &meeting_rooms()).await;
    expect_error(by_tech, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let created = admin.put(AV, &meeting_rooms()).await;
    assert_eq!(created.status(), StatusCode::CREATED);

    // Requesters get it in their language, with its field.
    let listed: Value = app
        .client()
        .get(app.url("/api/v1/tickets/categories?lang=fr"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let found = listed["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "av")
        .unwrap()
        .clone();
    assert_eq!(found["name"], "Salles et projecteurs");
    assert_eq!(found["fields"][0]["label"], "Salle");
    let ticket = TicketForm::printer("Projector shows no picture").category("av", json!({}));
    let missing = app.submit_ticket(&key(), &ticket).await;
    let error = expect_error(
        missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("fields.room"));
    let ticket = ticket.with("fields", json!({"room": "4.12"}));
    assert_eq!(
        app.submit_ticket(&key(), &ticket).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_bad_category_definition_names_the_place_and_an_edit_replaces_the_fields() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let tech = app.staff("tier1").await;
    let created = admin.put(AV, &meeting_rooms()).await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let mut bad = meeting_rooms();
    bad["fields"][0]["key"] = json!("Room Number");
    let refused = admin.put(AV, &bad).await;
    let error = expect_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("fields.0.key"));
    let mut edited = meeting_rooms();
    edited["fields"][0]["required"] = json!(false);
    let saved = admin.put(AV, &edited).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let all: Value = tech.get_json("/api/v1/staff/categories").await;
    let av = all["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "av")
        .unwrap()
        .clone();
    assert_eq!(av["fields"][0]["required"], false);
    assert_eq!(av["names"]["fr"], "Salles et projecteurs");
}
