//! The staff half of the test client: a signed-in demo account and what technicians
//! do to tickets.
//!
//! Typed calls check the status and return the wire type; `_raw` calls return the
//! response, for tests that look at refusals. [`Staff::client`] is the session itself,
//! for requests no method covers.

use reqwest::{Client, Response, StatusCode};
use selfdesk_shared::auth::StaffMember;
use selfdesk_shared::incidents::{CloseIncident, Incident, LinkIncidentRequest, NewIncident};
use selfdesk_shared::queue::{AssignRequest, AssigneeList, PriorityChangeRequest, QueuePage};
use selfdesk_shared::sla::Priority;
use selfdesk_shared::tickets::{
    StaffReplyRequest, StatusChangeRequest, TicketEvent, TicketStatus, TicketView,
    TierChangeRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{TestApp, expect_json, read_events};

/// The seeded demo account of a role: `"tier1"`, `"tier2"`, `"tier3"` or `"admin"`
/// (see `src/seed`).
pub fn demo_email(role: &str) -> String {
    format!("{role}@demo.selfdesk")
}

impl TestApp {
    /// Signed in as the demo account of `role` (see [`demo_email`]).
    pub async fn staff(&self, role: &str) -> Staff<'_> {
        Staff {
            app: self,
            client: self.signed_in(&demo_email(role)).await,
        }
    }
}

/// A staff session on one server.
#[derive(Clone)]
pub struct Staff<'a> {
    app: &'a TestApp,
    client: Client,
}

impl Staff<'_> {
    /// The signed-in client (its cookie jar holds the session).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The address of `path` on the server this session belongs to.
    pub fn url(&self, path: &str) -> String {
        self.app.url(path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.app.url(path)).send().await.unwrap()
    }

    /// GETs `path` and expects 200 with a `T`.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        expect_json(self.get(path).await, StatusCode::OK).await
    }

    pub async fn post(&self, path: &str, body: &impl Serialize) -> Response {
        let request = self.client.post(self.app.url(path)).json(body);
        request.send().await.unwrap()
    }

    pub async fn put(&self, path: &str, body: &impl Serialize) -> Response {
        let request = self.client.put(self.app.url(path)).json(body);
        request.send().await.unwrap()
    }

    pub async fn patch(&self, path: &str, body: &impl Serialize) -> Response {
        let request = self.client.patch(self.app.url(path)).json(body);
        request.send().await.unwrap()
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client.delete(self.app.url(path)).send().await.unwrap()
    }

    pub async fn me(&self) -> StaffMember {
        self.get_json("/api/v1/auth/me").await
    }

    /// A colleague's staff id, by the name the assignee list shows.
    pub async fn colleague_id(&self, display_name: &str) -> i64 {
        let list: AssigneeList = self.get_json("/api/v1/staff/assignees").await;
        list.staff
            .iter()
            .find(|a| a.display_name == display_name)
            .unwrap_or_else(|| panic!("{display_name} in {list:?}"))
            .id
    }

    /// The queue with a query string (`"tier=2&sort=newest"`, or `""`).
    pub async fn queue_raw(&self, query: &str) -> Response {
        self.get(&format!("/api/v1/staff/tickets?{query}")).await
    }

    pub async fn queue(&self, query: &str) -> QueuePage {
        let response = self.queue_raw(query).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        response.json().await.unwrap()
    }

    /// A ticket as staff see it (internal notes, address, assignee included).
    pub async fn ticket(&self, number: &str) -> TicketView {
        self.get_json(&format!("/api/v1/staff/tickets/{number}"))
            .await
    }

    /// Opens a ticket's live stream with `query` (`after=…`, or empty) and reads until
    /// `count` events arrive or 1.5 s pass.
    pub async fn events(&self, number: &str, query: &str, count: usize) -> Vec<TicketEvent> {
        let response = self
            .get(&format!("/api/v1/staff/tickets/{number}/events?{query}"))
            .await;
        read_events(response, count).await
    }

    /// POSTs `body` to `/api/v1/staff/tickets/{number}/{action}`.
    pub async fn act(&self, number: &str, action: &str, body: &impl Serialize) -> Response {
        self.post(&format!("/api/v1/staff/tickets/{number}/{action}"), body)
            .await
    }

    async fn acted(&self, response: Response) -> TicketView {
        expect_json(response, StatusCode::OK).await
    }

    pub async fn reply_raw(&self, number: &str, body: &str) -> Response {
        self.message_raw(number, body, false, &[]).await
    }

    /// A public reply (`internal: false`) or a note only staff see, with files.
    pub async fn message_raw(
        &self,
        number: &str,
        body: &str,
        internal: bool,
        attachments: &[&str],
    ) -> Response {
        let request = StaffReplyRequest {
            body: body.to_owned(),
            attachments: attachments.iter().map(|id| id.to_string()).collect(),
            internal,
        };
        self.act(number, "replies", &request).await
    }

    pub async fn reply(&self, number: &str, body: &str) -> TicketView {
        self.acted(self.reply_raw(number, body).await).await
    }

    /// An internal note.
    pub async fn note(&self, number: &str, body: &str) -> TicketView {
        let response = self.message_raw(number, body, true, &[]).await;
        self.acted(response).await
    }

    /// A status change; `summary` is what fixed it, required for `Resolved`.
    pub async fn set_status_raw(
        &self,
        number: &str,
        status: TicketStatus,
        summary: Option<&str>,
    ) -> Response {
        let request = StatusChangeRequest {
            status,
            summary: summary.map(str::to_owned),
        };
        self.act(number, "status", &request).await
    }

    pub async fn set_status(&self, number: &str, status: TicketStatus) -> TicketView {
        self.acted(self.set_status_raw(number, status, None).await)
            .await
    }

    pub async fn resolve(&self, number: &str, summary: &str) -> TicketView {
        let response = self
            .set_status_raw(number, TicketStatus::Resolved, Some(summary))
            .await;
        self.acted(response).await
    }

    /// Moves the ticket to `tier`, one step up or down.
    pub async fn escalate_raw(&self, number: &str, tier: u8, reason: &str) -> Response {
        let request = TierChangeRequest {
            tier,
            reason: reason.to_owned(),
        };
        self.act(number, "tier", &request).await
    }

    pub async fn escalate(&self, number: &str, tier: u8, reason: &str) -> TicketView {
        self.acted(self.escalate_raw(number, tier, reason).await)
            .await
    }

    /// Assigns the ticket to a staff id, or unassigns it (`None`).
    pub async fn assign_raw(&self, number: &str, assignee: Option<i64>) -> Response {
        self.act(number, "assignee", &AssignRequest { assignee })
            .await
    }

    pub async fn assign(&self, number: &str, assignee: Option<i64>) -> TicketView {
        self.acted(self.assign_raw(number, assignee).await).await
    }

    pub async fn set_priority_raw(&self, number: &str, priority: Priority) -> Response {
        self.act(number, "priority", &PriorityChangeRequest { priority })
            .await
    }

    pub async fn set_priority(&self, number: &str, priority: Priority) -> TicketView {
        self.acted(self.set_priority_raw(number, priority).await)
            .await
    }

    pub async fn link_incident_raw(&self, number: &str, incident: i64) -> Response {
        let request = LinkIncidentRequest {
            incident: Some(incident),
        };
        self.act(number, "incident", &request).await
    }

    /// Posts a known incident; `category` `None` concerns every category.
    pub async fn post_incident(
        &self,
        title: &str,
        description: &str,
        category: Option<&str>,
    ) -> Incident {
        let request = NewIncident {
            title: title.to_owned(),
            description: description.to_owned(),
            category: category.map(str::to_owned),
        };
        let response = self.post("/api/v1/staff/incidents", &request).await;
        expect_json(response, StatusCode::CREATED).await
    }

    pub async fn close_incident_raw(
        &self,
        id: i64,
        message: &str,
        resolve_linked: bool,
    ) -> Response {
        let request = CloseIncident {
            message: message.to_owned(),
            resolve_linked,
        };
        self.post(&format!("/api/v1/staff/incidents/{id}/close"), &request)
            .await
    }
}
