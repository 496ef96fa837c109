//! The technicians' queue over HTTP: deadline order, filters and their counts, keyset
//! pages, the stored sort key kept true through pauses, priority changes and a policy
//! change at start-up, the live stream, canned responses, and who may do what
//! (a table of endpoint × role).

use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use selfdesk_shared::canned::CannedResponseList;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::queue::{AssigneeList, NO_DEADLINE, PAUSED, QueueChange, QueuePage};
use selfdesk_shared::sla::{Priority, SlaSettings, SlaStanding};
use selfdesk_shared::tickets::{TicketChange, TicketCreated, TicketStatus, TicketView};
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_error, spawn_app};
use crate::tickets::{TECH, key, printer_ticket, staff_post, submit};

const TIER2: &str = "tier2@demo.selfdesk";
const TIER3: &str = "tier3@demo.selfdesk";
const ADMIN: &str = "admin@demo.selfdesk";

/// Files a ticket whose impact and urgency give `priority`.
async fn file_with(app: &TestApp, subject: &str, priority: Priority) -> TicketCreated {
    let (impact, urgency) = match priority {
        Priority::P1 => ("everyone", "blocked"),
        Priority::P2 => ("team", "blocked"),
        Priority::P3 => ("me", "blocked"),
        Priority::P4 => ("me", "can_wait"),
    };
    let mut body = printer_ticket(subject);
    body["impact"] = json!(impact);
    body["urgency"] = json!(urgency);
    let response = submit(app, &key(), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: TicketCreated = response.json().await.unwrap();
    assert_eq!(created.ticket.priority, priority);
    created
}

async fn queue(staff: &Client, app: &TestApp, query: &str) -> QueuePage {
    let response = staff
        .get(app.url(&format!("/api/v1/staff/tickets?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    response.json().await.unwrap()
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

async fn staff_id(staff: &Client, app: &TestApp, name: &str) -> i64 {
    let list: AssigneeList = staff
        .get(app.url("/api/v1/staff/assignees"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list.staff
        .iter()
        .find(|a| a.display_name == name)
        .unwrap_or_else(|| panic!("{name} in {list:?}"))
        .id
}

#[tokio::test]
async fn the_queue_puts_the_nearest_deadline_first_and_filters_with_counts() {
    let app = spawn_app().await;
    let staff = app.signed_in(TECH).await;
    let low = file_with(&app, "Mouse squeaks", Priority::P4).await;
    let outage = file_with(&app, "Nobody can print", Priority::P1).await;
    let mid = file_with(&app, "My printer jams", Priority::P3).await;

    let page = queue(&staff, &app, "").await;
    assert_eq!(
        numbers(&page),
        [&outage.number, &mid.number, &low.number],
        "P1's deadline is nearest"
    );
    assert!(page.next.is_none());
    assert_eq!(page.counts.open, 3);
    assert_eq!(page.counts.new, 3);
    assert_eq!(page.counts.unassigned, 3);
    assert_eq!(page.counts.tiers, [3, 0, 0]);
    assert!(matches!(
        page.tickets[0].sla,
        SlaStanding::OnTrack { .. } | SlaStanding::DueSoon { .. } | SlaStanding::Breached { .. }
    ));

    // Mine, unassigned, tier and priority.
    let me = staff_id(&staff, &app, "Tina First-Line").await;
    let assigned = staff_post(
        &staff,
        &app,
        &mid.number,
        "assignee",
        json!({"assignee": me}),
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::OK);
    let view: TicketView = assigned.json().await.unwrap();
    assert_eq!(view.assignee.unwrap().display_name, "Tina First-Line");
    let escalated = staff_post(
        &staff,
        &app,
        &low.number,
        "tier",
        json!({"tier": 2, "reason": "Needs a new mouse from stores"}),
    )
    .await;
    assert_eq!(escalated.status(), StatusCode::OK);
    assert_eq!(
        numbers(&queue(&staff, &app, "assignee=me").await),
        [&mid.number]
    );
    assert_eq!(
        numbers(&queue(&staff, &app, "assignee=none").await),
        [&outage.number, &low.number]
    );
    assert_eq!(numbers(&queue(&staff, &app, "tier=2").await), [&low.number]);
    assert_eq!(
        numbers(&queue(&staff, &app, "priority=p1").await),
        [&outage.number]
    );
    assert_eq!(
        numbers(&queue(&staff, &app, "category=network").await),
        Vec::<&str>::new()
    );
    let counts = queue(&staff, &app, "").await.counts;
    assert_eq!(
        (counts.mine, counts.unassigned, counts.tiers),
        (1, 2, [2, 1, 0])
    );

    // Newest first, and keyset pages that cover everything once.
    assert_eq!(
        numbers(&queue(&staff, &app, "sort=newest").await),
        [&mid.number, &outage.number, &low.number]
    );
    let first = queue(&staff, &app, "limit=2").await;
    assert_eq!(first.tickets.len(), 2);
    let next = first.next.clone().expect("a second page");
    let second = queue(&staff, &app, &format!("limit=2&after={next}")).await;
    assert_eq!(numbers(&second), [&low.number]);
    assert!(second.next.is_none());

    // A resolved ticket leaves the open queue and shows under its status.
    let resolved = staff_post(
        &staff,
        &app,
        &outage.number,
        "status",
        json!({"status": "resolved", "summary": "Restarted the print server"}),
    )
    .await;
    assert_eq!(resolved.status(), StatusCode::OK);
    assert_eq!(
        numbers(&queue(&staff, &app, "").await),
        [&mid.number, &low.number]
    );
    assert_eq!(
        numbers(&queue(&staff, &app, "status=resolved").await),
        [&outage.number]
    );
    assert_eq!(queue(&staff, &app, "status=all").await.tickets.len(), 3);

    // Every bad value is named.
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
        let response = staff
            .get(app.url(&format!("/api/v1/staff/tickets?{query}")))
            .send()
            .await
            .unwrap();
        let error = expect_error(
            response,
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
    let staff = app.signed_in(TECH).await;
    let t = file_with(&app, "Scanner offline", Priority::P3).await;
    let filed_key = sort_key(&app, &t.number).await;
    assert!(filed_key < PAUSED);

    // Waiting for the requester stops the clock: the ticket sorts after running ones.
    let wait = staff_post(
        &staff,
        &app,
        &t.number,
        "status",
        json!({"status": "waiting_for_requester"}),
    )
    .await;
    assert_eq!(wait.status(), StatusCode::OK);
    assert_eq!(sort_key(&app, &t.number).await, PAUSED);
    let page = queue(&staff, &app, "").await;
    assert_eq!(page.tickets[0].sla, SlaStanding::Paused);
    assert_eq!(page.counts.waiting_for_requester, 1);
    let back = staff_post(
        &staff,
        &app,
        &t.number,
        "status",
        json!({"status": "in_progress"}),
    )
    .await;
    assert_eq!(back.status(), StatusCode::OK);
    let resumed = sort_key(&app, &t.number).await;
    assert!(
        resumed >= filed_key && resumed < PAUSED,
        "{resumed} vs {filed_key}"
    );

    // Raising the priority brings the deadline forward, and the change is on the timeline.
    let raised = staff_post(
        &staff,
        &app,
        &t.number,
        "priority",
        json!({"priority": "p1"}),
    )
    .await;
    assert_eq!(raised.status(), StatusCode::OK);
    let view: TicketView = raised.json().await.unwrap();
    assert_eq!(view.priority, Priority::P1);
    assert!(view.events.iter().any(|e| matches!(
        e.change,
        TicketChange::Priority {
            from: Priority::P3,
            to: Priority::P1
        }
    )));
    assert!(sort_key(&app, &t.number).await < resumed);
    let same = staff_post(
        &staff,
        &app,
        &t.number,
        "priority",
        json!({"priority": "p1"}),
    )
    .await;
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
    assert!(sort_key(&app, &t.number).await < resumed);

    // Done tickets need nobody.
    let resolved = staff_post(
        &staff,
        &app,
        &t.number,
        "status",
        json!({"status": "resolved", "summary": "Cable"}),
    )
    .await;
    assert_eq!(resolved.status(), StatusCode::OK);
    assert_eq!(sort_key(&app, &t.number).await, NO_DEADLINE);
}

#[tokio::test]
async fn the_queue_stream_names_tickets_as_they_arrive_and_change() {
    let app = spawn_app().await;
    let staff = app.signed_in(TECH).await;
    let mut response = staff
        .get(app.url("/api/v1/staff/queue/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t = file_with(&app, "Wi-Fi drops", Priority::P2).await;
    let note = staff_post(
        &staff,
        &app,
        &t.number,
        "replies",
        json!({"body": "Checking the AP", "internal": true}),
    )
    .await;
    assert_eq!(note.status(), StatusCode::OK);
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
    let tech = app.signed_in(TECH).await;
    let admin = app.signed_in(ADMIN).await;
    let list: CannedResponseList = tech
        .get(app.url("/api/v1/staff/canned-responses"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.responses.len() >= 3, "seeded");
    assert!(list.responses[0].body.contains("{requester_name}"));

    let bad = admin
        .post(app.url("/api/v1/staff/canned-responses"))
        .json(&json!({"title": "Hi", "body": "Dear {requestor}", "tier": null}))
        .send()
        .await
        .unwrap();
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
        .post(app.url("/api/v1/staff/canned-responses"))
        .json(&json!({"title": "VPN reset", "body": "Hi {requester_name}, reset done.", "tier": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let edited = admin
        .put(app.url(&format!("/api/v1/staff/canned-responses/{id}")))
        .json(
            &json!({"title": "VPN profile reset", "body": "Hi {requester_name}, done.", "tier": 2}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::OK);
    let deleted = admin
        .delete(app.url(&format!("/api/v1/staff/canned-responses/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let again = admin
        .delete(app.url(&format!("/api/v1/staff/canned-responses/{id}")))
        .send()
        .await
        .unwrap();
    expect_error(again, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

/// Who the table acts as; `None` is nobody signed in.
const ROLES: [Option<&str>; 5] = [Some(TECH), Some(TIER2), Some(TIER3), Some(ADMIN), None];

/// One row: an action on a fresh tier-2 ticket, and the status each of
/// [tier 1, tier 2, tier 3, admin, anonymous] gets.
struct Row {
    what: &'static str,
    method: Method,
    /// `{n}` is the ticket's number; `{me}` the caller's staff id.
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
            "requester's view without a token",
            Method::GET,
            "/api/v1/tickets/{n}",
            None,
            [401, 401, 401, 401, 401],
        ),
    ]
}

#[tokio::test]
async fn every_endpoint_checks_who_may_do_what() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let mut clients = Vec::new();
    for role in ROLES {
        clients.push(match role {
            Some(email) => {
                let client = app.signed_in(email).await;
                let me: Value = client
                    .get(app.url("/api/v1/auth/me"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                (client, me["id"].as_i64().unwrap())
            }
            None => (app.client(), 0),
        });
    }
    let mut failures = Vec::new();
    for row in table() {
        for (i, (client, me)) in clients.iter().enumerate() {
            // A fresh ticket at tier 2 for every cell, so no cell depends on another.
            let t = file_with(&app, row.what, Priority::P3).await;
            let up = staff_post(
                &admin,
                &app,
                &t.number,
                "tier",
                json!({"tier": 2, "reason": "Specialists"}),
            )
            .await;
            assert_eq!(up.status(), StatusCode::OK);
            let path = row.path.replace("{n}", &t.number);
            let body = row.body.as_ref().map(|b| {
                serde_json::from_str::<Value>(&b.to_string().replace("\"{me}\"", &me.to_string()))
                    .unwrap()
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
    let tier2 = app.signed_in(TIER2).await;
    let t = file_with(&app, "Laptop fan loud", Priority::P3).await;
    let up = staff_post(
        &tier2,
        &app,
        &t.number,
        "tier",
        json!({"tier": 2, "reason": "Hardware"}),
    )
    .await;
    assert_eq!(up.status(), StatusCode::OK);
    let tina = staff_id(&tier2, &app, "Tina First-Line").await;
    let erin = staff_id(&tier2, &app, "Erin Expert").await;
    let too_low = staff_post(
        &tier2,
        &app,
        &t.number,
        "assignee",
        json!({"assignee": tina}),
    )
    .await;
    let error = expect_error(
        too_low,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("assignee"));
    let nobody = staff_post(
        &tier2,
        &app,
        &t.number,
        "assignee",
        json!({"assignee": 999_999}),
    )
    .await;
    expect_error(
        nobody,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    let to_erin = staff_post(
        &tier2,
        &app,
        &t.number,
        "assignee",
        json!({"assignee": erin}),
    )
    .await;
    assert_eq!(to_erin.status(), StatusCode::OK);
    let view: TicketView = to_erin.json().await.unwrap();
    assert_eq!(view.assignee.as_ref().unwrap().display_name, "Erin Expert");
    assert!(view.requester_email.is_some(), "staff see the address");
    assert!(view.events.iter().any(|e| matches!(&e.change, TicketChange::Assigned { to: Some(s) } if s.display_name == "Erin Expert")));
    let twice = staff_post(
        &tier2,
        &app,
        &t.number,
        "assignee",
        json!({"assignee": erin}),
    )
    .await;
    expect_error(twice, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let unassign = staff_post(
        &tier2,
        &app,
        &t.number,
        "assignee",
        json!({"assignee": null}),
    )
    .await;
    assert_eq!(unassign.status(), StatusCode::OK);

    // The requester sees neither the assignment nor the address.
    let requester: TicketView = crate::tickets::get(&app, &t.number, &t.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert!(requester.assignee.is_none() && requester.requester_email.is_none());
    assert!(
        !requester
            .events
            .iter()
            .any(|e| matches!(e.change, TicketChange::Assigned { .. }))
    );
    assert_eq!(requester.status, TicketStatus::New);
}

#[tokio::test]
async fn admins_set_the_service_levels_and_open_deadlines_follow() {
    let app = spawn_app().await;
    let tech = app.signed_in(TECH).await;
    let admin = app.signed_in(ADMIN).await;
    let t = file_with(&app, "Docking station dead", Priority::P4).await;
    let before = sort_key(&app, &t.number).await;

    let current: Value = tech
        .get(app.url("/api/v1/staff/sla"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["calendar"]["opens_at_minute"], 480);

    // Open around the clock, every day, with a holiday, and far shorter P4 targets.
    let mut settings = current.clone();
    settings["calendar"]["open_days"] = json!([true, true, true, true, true, true, true]);
    settings["calendar"]["opens_at_minute"] = json!(0);
    settings["calendar"]["closes_at_minute"] = json!(1440);
    settings["calendar"]["holidays"] = json!([{"year": 2026, "month": 12, "day": 25}]);
    settings["targets"]["first_response_minutes"][3] = json!(60);
    settings["targets"]["resolution_minutes"][3] = json!(120);

    let by_tech = tech
        .put(app.url("/api/v1/staff/sla"))
        .json(&settings)
        .send()
        .await
        .unwrap();
    expect_error(by_tech, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let mut closed = settings.clone();
    closed["calendar"]["open_days"] = json!([false, false, false, false, false, false, false]);
    let refused = admin
        .put(app.url("/api/v1/staff/sla"))
        .json(&closed)
        .send()
        .await
        .unwrap();
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
    let refused = admin
        .put(app.url("/api/v1/staff/sla"))
        .json(&zero)
        .send()
        .await
        .unwrap();
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

    let saved = admin
        .put(app.url("/api/v1/staff/sla"))
        .json(&settings)
        .send()
        .await
        .unwrap();
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
    let read: Value = tech
        .get(app.url("/api/v1/staff/sla"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["targets"]["first_response_minutes"][3], 60);
    let replica = app.replica().await;
    let on_replica: Value = replica
        .signed_in(TECH)
        .await
        .get(replica.url("/api/v1/staff/sla"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(on_replica["calendar"]["closes_at_minute"], 1440);
    let later = file_with(&replica, "Keyboard sticky", Priority::P4).await;
    let key = sort_key(&app, &later.number).await;
    assert!(key <= later.ticket.created_at + 3_600 + 60, "{key}");
}

#[tokio::test]
async fn closing_an_incident_resolves_its_linked_tickets_with_one_message() {
    let app = spawn_app().await;
    let tech = app.signed_in(TECH).await;
    let admin = app.signed_in(ADMIN).await;
    let posted = tech
        .post(app.url("/api/v1/staff/incidents"))
        .json(
            &json!({"title": "VPN down for all users since 09:10", "description": "We are on it."}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    let incident = posted.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let public: Value = app
        .client()
        .get(app.url("/api/v1/incidents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        public["incidents"][0]["title"],
        "VPN down for all users since 09:10"
    );

    let a = file_with(&app, "No VPN", Priority::P2).await;
    let b = file_with(&app, "VPN will not connect", Priority::P3).await;
    let other = file_with(&app, "Printer jam", Priority::P3).await;
    for t in [&a, &b] {
        let linked = staff_post(
            &tech,
            &app,
            &t.number,
            "incident",
            json!({"incident": incident}),
        )
        .await;
        assert_eq!(linked.status(), StatusCode::OK);
    }
    let twice = staff_post(
        &tech,
        &app,
        &a.number,
        "incident",
        json!({"incident": incident}),
    )
    .await;
    expect_error(twice, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let unknown = staff_post(
        &tech,
        &app,
        &other.number,
        "incident",
        json!({"incident": 999}),
    )
    .await;
    expect_error(
        unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    // Escalated to the experts after it was linked.
    for tier in [2, 3] {
        let up = staff_post(
            &admin,
            &app,
            &b.number,
            "tier",
            json!({"tier": tier, "reason": "Network team"}),
        )
        .await;
        assert_eq!(up.status(), StatusCode::OK);
    }

    // The requester sees which known problem the ticket is part of.
    let seen: TicketView = crate::tickets::get(&app, &a.number, &a.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen.incident.as_ref().unwrap().title,
        "VPN down for all users since 09:10"
    );
    assert!(
        seen.events
            .iter()
            .any(|e| matches!(e.change, TicketChange::Incident { incident: Some(_) }))
    );
    let list: Value = tech
        .get(app.url("/api/v1/staff/incidents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["incidents"][0]["linked_tickets"], 2);

    let close = |body: Value| {
        tech.post(app.url(&format!("/api/v1/staff/incidents/{incident}/close")))
            .json(&body)
            .send()
    };
    let silent = close(json!({"message": " ", "resolve_linked": true}))
        .await
        .unwrap();
    let error = expect_error(
        silent,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("message"));
    let closed = close(
        json!({"message": "The VPN gateway was restarted; connect again.", "resolve_linked": true}),
    )
    .await
    .unwrap();
    assert_eq!(closed.status(), StatusCode::OK);
    let resolved: TicketView = crate::tickets::get(&app, &a.number, &a.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resolved.status, TicketStatus::Resolved);
    assert!(resolved.events.iter().any(|e| matches!(&e.change,
        TicketChange::Status { to: TicketStatus::Resolved, summary: Some(s), .. } if s.contains("gateway was restarted"))));
    // The tier-3 ticket is above the tier-1 closer: it stays open, and still linked.
    let expert: TicketView = tech
        .get(app.url(&format!("/api/v1/staff/tickets/{}", b.number)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(expert.status, TicketStatus::New);
    assert_eq!(expert.incident.as_ref().map(|i| i.id), Some(incident));
    let untouched: TicketView = crate::tickets::get(&app, &other.number, &other.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(untouched.status, TicketStatus::New);
    let public: Value = app
        .client()
        .get(app.url("/api/v1/incidents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["incidents"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn admins_define_categories_with_their_fields_in_every_language() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let tech = app.signed_in(TECH).await;
    let av = json!({
        "slug": "ignored", "position": 8,
        "names": {"en": "Meeting rooms and projectors", "fr": "Salles et projecteurs"},
        "fields": [{"key": "room", "required": true,
                    "labels": {"en": "Room", "fr": "Salle"}, "hints": {"en": "e.g. 4.12"}}]
    });
    let by_tech = tech
        .put(app.url("/api/v1/staff/categories/av"))
        .json(&av)
        .send()
        .await
        .unwrap();
    expect_error(by_tech, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let created = admin
        .put(app.url("/api/v1/staff/categories/av"))
        .json(&av)
        .send()
        .await
        .unwrap();
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
    let mut ticket = printer_ticket("Projector shows no picture");
    ticket["category"] = json!("av");
    ticket["fields"] = json!({});
    let missing = submit(&app, &key(), &ticket).await;
    let error = expect_error(
        missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("fields.room"));
    ticket["fields"] = json!({"room": "4.12"});
    assert_eq!(
        submit(&app, &key(), &ticket).await.status(),
        StatusCode::CREATED
    );

    // A bad definition names the place; an edit replaces the fields.
    let mut bad = av.clone();
    bad["fields"][0]["key"] = json!("Room Number");
    let refused = admin
        .put(app.url("/api/v1/staff/categories/av"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    let error = expect_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("fields.0.key"));
    let mut edited = av.clone();
    edited["fields"][0]["required"] = json!(false);
    let saved = admin
        .put(app.url("/api/v1/staff/categories/av"))
        .json(&edited)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let all: Value = tech
        .get(app.url("/api/v1/staff/categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
