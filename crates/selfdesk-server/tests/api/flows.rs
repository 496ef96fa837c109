//! Guided diagnostics over HTTP: the seeded flows are served, technicians write
//! drafts that are checked as they are saved, publish numbered versions (old ones
//! stay for walks under way), export them, and walks are measured anonymously.

use reqwest::StatusCode;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::flows::Flow;
use selfdesk_shared::flows::api::{FlowStats, StaffFlowListItem, StaffFlowView, WalkState};
use selfdesk_shared::kb::{FlowHit, SearchResults};
use selfdesk_shared::self_service::SelfServiceSummary;
use serde_json::json;

use crate::helpers::{Staff, TestApp, expect_error, expect_json, spawn_app};

const SOURCE: &str = r#"
slug = "headset"
title = { en = "My headset doesn't work", fr = "Mon casque ne marche pas" }
languages = ["en", "fr"]
start = "plugged"

[nodes.plugged]
type = "question"
text = { en = "How is the headset connected?", fr = "Comment le casque est-il branché ?" }
[[nodes.plugged.answers]]
id = "usb"
label = { en = "USB", fr = "USB" }
next = "article"
[[nodes.plugged.answers]]
id = "bluetooth"
label = { en = "Bluetooth", fr = "Bluetooth" }
next = "ticket"

[nodes.article]
type = "article"
article = "sound-microphone-video-calls"
text = { en = "Check the sound settings.", fr = "Vérifiez les réglages du son." }
helped = "done"
not_helped = "ticket"

[nodes.done]
type = "resolved"

[nodes.ticket]
type = "ticket"
category = "hardware"
impact = "me"
urgency = "slowed"
subject = { en = "Headset over {answer:plugged} not working", fr = "Casque {answer:plugged} en panne" }
"#;

async fn save(staff: &Staff<'_>, slug: &str, source: &str) -> StaffFlowView {
    let path = format!("/api/v1/staff/flows/{slug}/draft");
    expect_json(
        staff.put(&path, &json!({ "source": source })).await,
        StatusCode::OK,
    )
    .await
}

async fn publish(staff: &Staff<'_>, slug: &str) -> reqwest::Response {
    let path = format!("/api/v1/staff/flows/{slug}/publish");
    staff.client().post(staff.url(&path)).send().await.unwrap()
}

#[tokio::test]
async fn seeded_flows_are_listed_served_and_found_by_search() {
    let app = spawn_app().await;
    let list: Vec<FlowHit> = app
        .client()
        .get(app.url("/api/v1/flows?lang=fr"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> = list.iter().map(|f| f.slug.as_str()).collect();
    for slug in [
        "computer-wont-start",
        "email",
        "external-monitor",
        "no-internet",
        "printer",
        "program-wont-start",
        "sign-in",
        "video-calls",
        "vpn-wont-connect",
        "wifi-no-internet",
    ] {
        assert!(slugs.contains(&slug), "{slug} in {slugs:?}");
    }
    let printer = list.iter().find(|f| f.slug == "printer").unwrap();
    assert_eq!(printer.title, "Mon imprimante ne fonctionne pas");
    let printer: Flow = app
        .client()
        .get(app.url("/api/v1/flows/printer"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(printer.version, 1);
    assert!(printer.title.ru.is_some() && printer.title.nb.is_some());
    let missing = app
        .client()
        .get(app.url("/api/v1/flows/nope"))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    let results: SearchResults = app
        .client()
        .get(app.url("/api/v1/kb/search?q=printer%20not%20printing%20&lang=en&flows=3"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results.flows[0].slug, "printer", "{:?}", results.flows);
    let without: SearchResults = app
        .client()
        .get(app.url("/api/v1/kb/search?q=printer%20&lang=en"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(without.flows.is_empty(), "flows only when asked for");
}

#[tokio::test]
async fn drafts_need_a_technician_and_a_slug_of_their_own() {
    let app = spawn_app().await;
    let anonymous = app
        .client()
        .put(app.url("/api/v1/staff/flows/headset/draft"))
        .json(&json!({ "source": SOURCE }))
        .send()
        .await
        .unwrap();
    expect_error(
        anonymous,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    let staff = app.staff("tier2").await;

    // A slug that names an API route could never be opened.
    let reserved = staff
        .put(
            "/api/v1/staff/flows/walks/draft",
            &json!({ "source": SOURCE.replace("\"headset\"", "\"walks\"") }),
        )
        .await;
    let error = expect_error(
        reserved,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("slug"));

    // The slug in the text must be the flow's own.
    let elsewhere = save(&staff, "other-flow", SOURCE).await;
    assert_eq!(
        format!("{:?}", elsewhere.problems[0].error.as_ref().unwrap().kind),
        "SlugMismatch"
    );
}

#[tokio::test]
async fn drafts_are_checked_published_as_versions_and_exported() {
    let app = spawn_app().await;
    let staff = app.staff("tier2").await;
    a_broken_draft_is_kept_with_its_problem_and_line(&staff).await;
    problems_name_their_node_and_references_are_checked(&staff).await;
    let changed = each_publication_is_a_version_and_old_ones_stay(&app, &staff).await;
    the_export_is_the_text_as_written(&staff).await;
    discarding_a_draft_goes_back_to_the_live_text(&staff, &changed).await;

    let list: Vec<StaffFlowListItem> = staff.get_json("/api/v1/staff/flows").await;
    let headset = list.iter().find(|f| f.slug == "headset").unwrap();
    assert_eq!(headset.published_version, Some(2));
    assert_eq!(headset.title.en.as_deref(), Some("My headset doesn't work"));
}

async fn a_broken_draft_is_kept_with_its_problem_and_line(staff: &Staff<'_>) {
    let broken = SOURCE.replace("type = \"resolved\"", "type = resolved");
    let view = save(staff, "headset", &broken).await;
    assert_eq!(view.source, broken, "nothing typed is lost");
    assert!(view.is_draft && view.flow.is_none());
    assert_eq!(view.problems.len(), 1);
    assert_eq!(view.problems[0].line, Some(27), "{:?}", view.problems);
    let refused = publish(staff, "headset").await;
    let error = expect_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert!(
        error.error.message.starts_with("Line 27"),
        "{}",
        error.error.message
    );
}

async fn problems_name_their_node_and_references_are_checked(staff: &Staff<'_>) {
    let wrong = SOURCE
        .replace("sound-microphone-video-calls", "no-such-article")
        .replace(", fr = \"Bluetooth\" }", " }");
    let view = save(staff, "headset", &wrong).await;
    let kinds: Vec<String> = view
        .problems
        .iter()
        .map(|p| {
            let e = p.error.as_ref().unwrap();
            format!("{:?}@{}", e.kind, e.node.as_deref().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        kinds,
        ["Untranslated@plugged", "UnknownArticle@article"],
        "{kinds:?}"
    );
    assert!(view.flow.is_some(), "a flow that parses is previewable");
}

/// A good draft publishes as version 1, then 2; version 1 stays available. Returns
/// the text of version 2.
async fn each_publication_is_a_version_and_old_ones_stay(
    app: &TestApp,
    staff: &Staff<'_>,
) -> String {
    save(staff, "headset", SOURCE).await;
    let first = publish(staff, "headset").await;
    assert_eq!(first.status(), StatusCode::OK);
    let again = publish(staff, "headset").await;
    expect_error(again, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let changed = SOURCE.replace(
        "Check the sound settings.",
        "Check the sound settings again.",
    );
    save(staff, "headset", &changed).await;
    let second: serde_json::Value = publish(staff, "headset").await.json().await.unwrap();
    assert_eq!(second["version"], 2);
    let live: Flow = app
        .client()
        .get(app.url("/api/v1/flows/headset"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(live.version, 2);
    let old: Flow = app
        .client()
        .get(app.url("/api/v1/flows/headset?version=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(old.version, 1, "walks under way finish on their version");
    changed
}

/// Export gives back the text as written, comments and all.
async fn the_export_is_the_text_as_written(staff: &Staff<'_>) {
    let export = staff
        .get("/api/v1/staff/flows/headset/export?version=1")
        .await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("headset-v1.toml")
    );
    assert_eq!(export.text().await.unwrap(), SOURCE);
}

async fn discarding_a_draft_goes_back_to_the_live_text(staff: &Staff<'_>, live: &str) {
    save(staff, "headset", "garbage").await;
    let discarded: StaffFlowView = staff
        .delete("/api/v1/staff/flows/headset/draft")
        .await
        .json()
        .await
        .unwrap();
    assert!(!discarded.is_draft && discarded.problems.is_empty());
    assert_eq!(discarded.source, live);
}

#[tokio::test]
async fn walks_are_measured_anonymously_and_count_as_deflection() {
    let app = spawn_app().await;
    let report = |walk: &str, session: &str, answers: &str, node: &str, state: WalkState| {
        json!({
            "walk": walk, "session": session, "flow": "printer", "version": 1,
            "answers": answers, "node": node, "state": state
        })
    };
    let post = |body: serde_json::Value| {
        let app = &app;
        async move {
            app.client()
                .post(app.url("/api/v1/flows/walks"))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let walk_a = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    let walk_b = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    let session = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";
    // A batch: walk A under way, then resolved; walk B ends at a ticket.
    let response = post(json!([
        report(walk_a, session, "", "start", WalkState::UnderWay),
        report(walk_a, session, "x.y", "done", WalkState::Resolved),
        report(walk_b, session, "x", "ticket", WalkState::Ticket),
    ]))
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // A late report cannot move a finished walk back to under way.
    let late = post(json!([report(
        walk_a,
        session,
        "x",
        "middle",
        WalkState::UnderWay
    )]))
    .await;
    assert_eq!(late.status(), StatusCode::NO_CONTENT);

    let bad = post(json!([report(
        "short",
        session,
        "",
        "start",
        WalkState::UnderWay
    )]))
    .await;
    let error = expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;
    assert_eq!(error.error.field.as_deref(), Some("0.walk"));
    let too_many: Vec<_> = (0..21)
        .map(|_| report(walk_a, session, "", "start", WalkState::UnderWay))
        .collect();
    let error = expect_error(
        post(json!(too_many)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.error.field.as_deref(), Some("reports"));

    let staff = app.staff("tier1").await;
    let stats: FlowStats = staff.get_json("/api/v1/staff/flows/printer/stats").await;
    assert_eq!((stats.walks, stats.resolved, stats.tickets), (2, 1, 1));
    let summary: SelfServiceSummary = staff.get_json("/api/v1/staff/self-service/summary").await;
    assert_eq!(summary.diagnostics_resolved, 1);

    // Only hashes of the ids are stored.
    let db = app.db().await;
    let stored: Vec<String> = selfdesk_server::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT walk_hash FROM flow_walks")
            .fetch_all(pool)
            .await
            .unwrap()
    });
    assert_eq!(stored.len(), 2);
    assert!(
        stored
            .iter()
            .all(|h| h.len() == 64 && h != walk_a && h != walk_b)
    );
}

/// The reach check's services: admins replace the list, anyone reads it, and the
/// diagnostics page (only it) may then connect to exactly those sites, on every
/// replica. The addresses are loopback ones: nothing here connects to them.
#[tokio::test]
async fn reach_services_are_kept_by_admins_and_open_the_diagnostics_policy() {
    use selfdesk_shared::flows::reach_services::{ReachService, ReachServices};

    let app = spawn_app().await;
    let empty: ReachServices = expect_json(
        reqwest::get(app.url("/api/v1/reach-services"))
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(empty.services.is_empty());

    let admin = app.staff("admin").await;
    let list = json!({"services": [
        {"name": " Intranet ", "url": "HTTP://127.0.0.1:9/status"},
        {"name": "Mail", "url": "http://localhost:10/"},
    ]});
    let saved: ReachServices = expect_json(
        admin.put("/api/v1/staff/reach-services", &list).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        saved.services[0],
        ReachService {
            name: "Intranet".into(),
            url: "http://127.0.0.1:9/status".into()
        }
    );
    let read: ReachServices = expect_json(
        reqwest::get(app.url("/api/v1/reach-services"))
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(read, saved);

    let policy = |path: &'static str, app: &TestApp| {
        let url = app.url(path);
        async move {
            let response = reqwest::get(url).await.unwrap();
            response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    let diagnose = policy("/diagnose/no-internet", &app).await;
    assert!(
        diagnose.contains("; connect-src 'self' http://127.0.0.1:9 http://localhost:10; "),
        "{diagnose}"
    );
    for other in ["/", "/tickets/new", "/staff"] {
        let csp = policy(other, &app).await;
        assert!(csp.contains("; connect-src 'self'; "), "{other}: {csp}");
    }

    // A replica started now reads the list; one running follows a change.
    let replica = app.replica().await;
    let there = policy("/diagnose", &replica).await;
    assert!(there.contains("http://127.0.0.1:9"), "{there}");

    // Refusals name the first problem by its place, and change nothing.
    for (body, field) in [
        (
            json!({"services": [{"name": "VPN", "url": "https://vpn.example.org; script-src *"}]}),
            "services.0.url",
        ),
        (
            // A CSP source cannot name an IPv6 address.
            json!({"services": [{"name": "Router", "url": "http://[::1]:10/"}]}),
            "services.0.url",
        ),
        (
            json!({"services": [{"name": "VPN", "url": "https://a.example.org/"}, {"name": "vpn", "url": "https://b.example.org/"}]}),
            "services.1.name",
        ),
        (
            json!({"services": (0..9).map(|i| json!({"name": format!("S{i}"), "url": "https://a.example.org/"})).collect::<Vec<_>>()}),
            "services",
        ),
    ] {
        let refused = expect_error(
            admin.put("/api/v1/staff/reach-services", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(refused.error.field.as_deref(), Some(field), "{body}");
    }
    let technician = app.staff("tier3").await;
    let refused = technician
        .put("/api/v1/staff/reach-services", &json!({"services": []}))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Emptied: the diagnostics page connects to the portal alone again, here at once
    // and on the replica within its follow interval.
    let cleared: ReachServices = expect_json(
        admin
            .put("/api/v1/staff/reach-services", &json!({"services": []}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(cleared.services.is_empty());
    assert!(
        policy("/diagnose", &app)
            .await
            .contains("connect-src 'self';")
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(25);
    while !policy("/diagnose", &replica)
        .await
        .contains("connect-src 'self';")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the replica kept the old list"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}
