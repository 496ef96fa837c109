//! Moving a SQLite portal into PostgreSQL with the server binary's
//! `copy-to-postgres`: everything arrives (tickets with their tokens, files and
//! events, staff passwords, articles, flows, votes), the report compares every table,
//! a server on the copy carries on where the original stopped, and a database that
//! already holds a portal is refused. Needs a PostgreSQL server
//! (`SELFDESK_TEST_POSTGRES_URL`, as `cargo xtask test` gives its second pass).

use std::process::Command;

use reqwest::StatusCode;
use selfdesk_shared::tickets::TicketChange;
use serde_json::json;

use crate::helpers::{
    TINY_PNG, TestApp, TicketForm, fresh_postgres_database, postgres_base_url, spawn_app_on,
    spawn_sqlite_app,
};

fn copy(source: &TestApp, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_selfdesk-server"))
        .args(["copy-to-postgres", "--to", to])
        .env_remove("SELFDESK_DATABASE_URL")
        .env("SELFDESK_DATA_DIR", &source.database.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the server binary runs")
}

/// Reported as ignored in the SQLite pass (never as passed); the PostgreSQL pass runs
/// it with `--include-ignored`, where a missing server is a failure.
#[tokio::test]
#[ignore = "needs PostgreSQL (SELFDESK_TEST_POSTGRES_URL): `cargo xtask test-postgres` runs it"]
async fn a_sqlite_portal_moves_to_postgres_whole() {
    let base = postgres_base_url().expect("SELFDESK_TEST_POSTGRES_URL names a PostgreSQL server");
    let source = spawn_sqlite_app().await;
    // A portal with some life in it.
    let png = source.upload("screen.png", TINY_PNG.to_vec()).await;
    let ticket = source
        .file_ticket(TicketForm::printer("Moves to PostgreSQL").attachments(&[&png.id]))
        .await;
    let staff = source.staff("tier1").await;
    staff.reply(&ticket.number, "Which printer?").await;
    let vote = source
        .client()
        .put(source.url("/api/v1/kb/articles/printer-not-printing-from-laptop/vote?lang=en"))
        .json(&json!({"voter": "browser-0123456789abcdef", "helpful": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(vote.status(), StatusCode::NO_CONTENT);
    let before = source.requester(&ticket).view().await;

    let target = fresh_postgres_database(&base).await;
    let output = copy(&source, &target);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("every table reads back identical"),
        "{stdout}"
    );
    for table in [
        "tickets",
        "ticket_events",
        "ticket_attachments",
        "staff",
        "kb_translations",
        "flow_versions",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{table} ")))
            .unwrap_or_else(|| panic!("{table} in the report:\n{stdout}"));
        assert!(line.ends_with("same"), "{line}");
    }

    // A server on the copy: the same ticket, opened with the same private link.
    let moved = spawn_app_on(target.clone()).await;
    let after = moved.requester(&ticket).view().await;
    assert_eq!(after, before);
    let served = moved.requester(&ticket).attachment_raw(&png.id).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.unwrap().as_ref(), TINY_PNG);
    // The same staff password; new rows continue after the copied ids and numbers.
    let staff = moved.staff("tier1").await;
    let view = staff.reply(&ticket.number, "Answered after the move").await;
    assert!(matches!(
        &view.events.last().unwrap().change,
        TicketChange::Reply { body } if body == "Answered after the move"
    ));
    let next = moved.file("Filed after the move").await;
    assert!(
        next.number > ticket.number,
        "{} after {}",
        next.number,
        ticket.number
    );
    // The search index is built from the copied articles.
    let found = moved
        .client()
        .get(moved.url("/api/v1/kb/search?q=printer&lang=en"))
        .send()
        .await
        .unwrap();
    let found: selfdesk_shared::kb::SearchResults = found.json().await.unwrap();
    assert!(!found.hits.is_empty());

    // A database that already holds a portal is never overwritten.
    let again = copy(&source, &target);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already holds data"), "{stderr}");
}
