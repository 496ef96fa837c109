//! The requester's half of the test client: the new-ticket form, filing it, uploads,
//! and one ticket as its private link opens it.
//!
//! Typed calls check the status and return the wire type; `_raw` calls return the
//! response, for tests that look at refusals.

use reqwest::{Response, StatusCode};
use selfdesk_shared::attachments::Attachment;
use selfdesk_shared::sla::Priority;
use selfdesk_shared::tickets::{
    ConfirmRequest, IDEMPOTENCY_HEADER, ReopenRequest, ReplyRequest, TicketCreated, TicketEvent,
    TicketView,
};
use serde::Serialize;
use serde_json::{Value, json};

use super::{TestApp, expect_json, read_events, ticket_grant};

/// A real 1×1 PNG.
pub const TINY_PNG: [u8; 68] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// A fresh Idempotency-Key: one filing.
pub fn key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("test-key-{nanos}-{}", N.fetch_add(1, Ordering::Relaxed))
}

/// The new-ticket form. Kept as JSON rather than `selfdesk_shared::tickets::NewTicket`
/// so that a test can send what the real form never would (a wrong type, a missing
/// field) and so that the body sent is exactly the one written here.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct TicketForm(Value);

impl TicketForm {
    /// Ada's printer that prints blank pages: team × blocked (P2), written in French
    /// after a guided diagnosis, with the printing category's extra field.
    pub fn printer(subject: &str) -> Self {
        Self(json!({
            "name": "Ada Lovelace", "email": "Ada@Example.org", "category": "printing",
            "subject": subject, "description": "Every page comes out **blank**.",
            "impact": "team", "urgency": "blocked",
            "fields": {"printer": "3rd floor, by the kitchen"},
            "transcript": {"flow": "printer", "flow_version": 3, "language": "fr", "steps": [
                {"question": "Quel appareil ?", "answer": "Portable",
                 "question_en": "Which device?", "answer_en": "Laptop"}
            ]},
            "language": "fr"
        }))
    }

    /// The impact and urgency that give `priority` in the documented matrix.
    pub fn priority(self, priority: Priority) -> Self {
        let (impact, urgency) = match priority {
            Priority::P1 => ("everyone", "blocked"),
            Priority::P2 => ("team", "blocked"),
            Priority::P3 => ("me", "blocked"),
            Priority::P4 => ("me", "can_wait"),
        };
        self.with("impact", json!(impact))
            .with("urgency", json!(urgency))
    }

    /// Another category, with the values of its extra fields.
    pub fn category(self, slug: &str, fields: Value) -> Self {
        self.with("category", json!(slug)).with("fields", fields)
    }

    /// Files uploaded before, by id.
    pub fn attachments(self, ids: &[&str]) -> Self {
        self.with("attachments", json!(ids))
    }

    /// Any field set to any value, a wrong one included.
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.0[field] = value;
        self
    }
}

impl TestApp {
    /// Sends a filing as the portal does; `body` is a [`TicketForm`] or any JSON.
    pub async fn submit_ticket(&self, key: &str, body: &impl Serialize) -> Response {
        self.client()
            .post(self.url("/api/v1/tickets"))
            .header(IDEMPOTENCY_HEADER, key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Files a ticket under a fresh key and expects it filed.
    pub async fn file_ticket(&self, body: impl Serialize) -> TicketCreated {
        expect_json(self.submit_ticket(&key(), &body).await, StatusCode::CREATED).await
    }

    /// Files [`TicketForm::printer`] with this subject.
    pub async fn file(&self, subject: &str) -> TicketCreated {
        self.file_ticket(TicketForm::printer(subject)).await
    }

    /// The ticket as its requester reaches it: with the private link's token.
    pub fn requester(&self, ticket: &TicketCreated) -> Requester<'_> {
        Requester {
            app: self,
            number: ticket.number.to_string(),
            token: ticket.access_token.clone(),
        }
    }

    /// Uploads a file for a ticket to come (`name` as it goes into the query string).
    pub async fn upload_raw(&self, name: &str, bytes: Vec<u8>) -> Response {
        self.client()
            .post(self.url(&format!("/api/v1/tickets/uploads?name={name}")))
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .unwrap()
    }

    pub async fn upload(&self, name: &str, bytes: Vec<u8>) -> Attachment {
        expect_json(self.upload_raw(name, bytes).await, StatusCode::CREATED).await
    }
}

/// One ticket, opened with a token: the requester's tracking page.
#[derive(Clone)]
pub struct Requester<'a> {
    app: &'a TestApp,
    pub number: String,
    pub token: String,
}

impl<'a> Requester<'a> {
    /// The same ticket opened with another token (a renewed link, another ticket's).
    pub fn with_token(&self, token: &str) -> Requester<'a> {
        Requester {
            token: token.to_owned(),
            ..self.clone()
        }
    }

    /// Another ticket number with this token.
    pub fn at_number(&self, number: &str) -> Requester<'a> {
        Requester {
            number: number.to_owned(),
            ..self.clone()
        }
    }

    fn url(&self, rest: &str) -> String {
        self.app
            .url(&format!("/api/v1/tickets/{}{rest}", self.number))
    }

    pub async fn view_raw(&self) -> Response {
        self.app
            .client()
            .get(self.url(""))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn view(&self) -> TicketView {
        expect_json(self.view_raw().await, StatusCode::OK).await
    }

    /// POSTs `body` to `/api/v1/tickets/{number}/{action}` with the token.
    pub async fn post_raw(&self, action: &str, body: &impl Serialize) -> Response {
        self.app
            .client()
            .post(self.url(&format!("/{action}")))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn reply_raw(&self, body: &str) -> Response {
        self.reply_with_raw(body, &[]).await
    }

    pub async fn reply_with_raw(&self, body: &str, attachments: &[&str]) -> Response {
        let request = ReplyRequest {
            body: body.to_owned(),
            attachments: attachments.iter().map(|id| id.to_string()).collect(),
        };
        self.post_raw("replies", &request).await
    }

    pub async fn reply(&self, body: &str) -> TicketView {
        expect_json(self.reply_raw(body).await, StatusCode::OK).await
    }

    pub async fn reply_with(&self, body: &str, attachments: &[&str]) -> TicketView {
        expect_json(self.reply_with_raw(body, attachments).await, StatusCode::OK).await
    }

    pub async fn reopen_raw(&self, reason: &str) -> Response {
        let request = ReopenRequest {
            reason: reason.to_owned(),
        };
        self.post_raw("reopen", &request).await
    }

    pub async fn reopen(&self, reason: &str) -> TicketView {
        expect_json(self.reopen_raw(reason).await, StatusCode::OK).await
    }

    /// "Yes, it works", with a rating (1–5) and a comment.
    pub async fn confirm_raw(&self, rating: u8, comment: &str) -> Response {
        let request = ConfirmRequest {
            rating: Some(rating),
            comment: comment.to_owned(),
        };
        self.post_raw("confirm", &request).await
    }

    pub async fn confirm(&self, rating: u8, comment: &str) -> TicketView {
        expect_json(self.confirm_raw(rating, comment).await, StatusCode::OK).await
    }

    /// Rates a closed ticket afterwards.
    pub async fn rate_raw(&self, rating: u8) -> Response {
        self.post_raw("rating", &json!({ "rating": rating })).await
    }

    /// A file of the ticket, asked for with the token.
    pub async fn attachment_raw(&self, id: &str) -> Response {
        self.app
            .client()
            .get(self.url(&format!("/attachments/{id}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    /// A grant for the stream (`"events"`) or a download (`"download"`).
    pub async fn grant(&self, purpose: &str) -> String {
        ticket_grant(&self.app.url(""), &self.number, &self.token, purpose).await
    }

    /// Opens the live stream after event `after` (`?after=`, as the app asks) and
    /// reads until `count` events arrive or 1.5 s pass.
    pub async fn events(&self, after: i64, count: usize) -> Vec<TicketEvent> {
        let grant = self.grant("events").await;
        let response = self
            .app
            .client()
            .get(self.url(&format!("/events?grant={grant}&after={after}")))
            .send()
            .await
            .unwrap();
        read_events(response, count).await
    }
}
