//! Admin-only staff management, and who may call it.

use reqwest::StatusCode;
use selfdesk_shared::auth::{StaffList, StaffMember, StaffRole};
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::tickets::{ActorKind, TicketChange};

use crate::helpers::{expect_error, spawn_app};

fn new_staff(email: &str) -> serde_json::Value {
    serde_json::json!({"email": email, "display_name": "New Tech", "role": "tier2", "password": "a long enough passphrase"})
}

#[tokio::test]
async fn staff_endpoints_answer_401_anonymous_and_403_for_technicians() {
    let app = spawn_app().await;
    let anonymous = app.client();
    let technician = app.signed_in("tier3@demo.selfdesk").await;
    let calls = [
        ("GET", "/api/v1/staff", None),
        ("POST", "/api/v1/staff", Some(new_staff("x@demo.selfdesk"))),
        (
            "PATCH",
            "/api/v1/staff/1",
            Some(serde_json::json!({"active": false})),
        ),
    ];
    for (method, path, body) in calls {
        for (client, status, code) in [
            (
                &anonymous,
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated,
            ),
            (&technician, StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        ] {
            let mut request = client.request(method.parse().unwrap(), app.url(path));
            if let Some(body) = &body {
                request = request.json(body);
            }
            expect_error(request.send().await.unwrap(), status, code).await;
        }
    }
}

#[tokio::test]
async fn admin_lists_and_creates_staff_with_field_errors() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.selfdesk").await;
    let list: StaffList = admin
        .get(app.url("/api/v1/staff"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.staff.len(), 4);

    let created = admin
        .post(app.url("/api/v1/staff"))
        .json(&new_staff("new@demo.selfdesk"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let member: StaffMember = created.json().await.unwrap();
    assert_eq!(member.role, StaffRole::Tier2);

    let duplicate = admin
        .post(app.url("/api/v1/staff"))
        .json(&new_staff("NEW@demo.selfdesk"))
        .send()
        .await
        .unwrap();
    let body = expect_error(duplicate, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert_eq!(body.error.field.as_deref(), Some("email"));

    for (field, value) in [
        ("email", "nope"),
        ("display_name", "   "),
        ("password", "short"),
    ] {
        let mut body = new_staff("other@demo.selfdesk");
        body[field] = value.into();
        let response = admin
            .post(app.url("/api/v1/staff"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let err = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(err.error.field.as_deref(), Some(field));
    }
}

#[tokio::test]
async fn deactivation_ends_the_accounts_sessions() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.selfdesk").await;
    let technician = app.signed_in("tier1@demo.selfdesk").await;
    let me: StaffMember = technician
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let response = admin
        .patch(app.url(&format!("/api/v1/staff/{}", me.id)))
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!response.json::<StaffMember>().await.unwrap().active);

    let after = technician
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    expect_error(after, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
}

#[tokio::test]
async fn admin_cannot_deactivate_themselves_and_unknown_ids_are_404() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.selfdesk").await;
    let me: StaffMember = admin
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let own = admin
        .patch(app.url(&format!("/api/v1/staff/{}", me.id)))
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    expect_error(own, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation).await;
    let missing = admin
        .patch(app.url("/api/v1/staff/999999"))
        .json(&serde_json::json!({"active": true}))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn deactivation_returns_the_accounts_open_tickets_to_their_pools() {
    let app = spawn_app().await;
    let admin = app.staff("admin").await;
    let tina = app.staff("tier1").await;
    let tina_id = tina.me().await.id;
    let open = app.file("Open ticket of a leaver").await;
    let done = app.file("Resolved ticket of a leaver").await;
    let others = app.file("Someone else's ticket").await;
    for ticket in [&open, &done] {
        tina.assign(ticket.number.as_ref(), Some(tina_id)).await;
    }
    tina.resolve(done.number.as_ref(), "Fixed the driver").await;
    let admin_id = admin.me().await.id;
    admin.assign(others.number.as_ref(), Some(admin_id)).await;

    let response = admin
        .client()
        .patch(app.url(&format!("/api/v1/staff/{tina_id}")))
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // The open one is back in the pool, with a timeline event by the system.
    let view = admin.ticket(open.number.as_ref()).await;
    assert!(view.assignee.is_none(), "{:?}", view.assignee);
    let last = view.events.last().unwrap();
    assert_eq!(last.actor, ActorKind::System);
    assert_eq!(last.change, TicketChange::Assigned { to: None });
    // A resolved one keeps its technician (it is done); others' tickets are untouched.
    let view = admin.ticket(done.number.as_ref()).await;
    assert_eq!(view.assignee.map(|a| a.id), Some(tina_id));
    let view = admin.ticket(others.number.as_ref()).await;
    assert_eq!(view.assignee.map(|a| a.id), Some(admin_id));
}
