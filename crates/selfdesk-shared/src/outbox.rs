//! The outbox as admins see it: every message the help desk owes someone, where its
//! delivery stands, and the last error when it failed.

use serde::{Deserialize, Serialize};

/// Where one message's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its first try or its next retry.
    Pending,
    /// Accepted by the receiving server.
    Sent,
    /// Given up after retrying for the configured time, or refused for good by the
    /// receiver; an admin may send it again.
    Failed,
    /// Never sent: its recipient had been sent as many messages as the hourly limit
    /// allows.
    Suppressed,
}

impl OutboxStatus {
    pub const ALL: [Self; 4] = [Self::Pending, Self::Sent, Self::Failed, Self::Suppressed];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Suppressed => "suppressed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One message in the outbox. Its text is not shown: it carries the requester's
/// private tracking link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = OutboxMessage))]
pub struct OutboxMessage {
    pub id: i64,
    /// `email` (webhooks will follow).
    pub channel: String,
    /// Why it was written: `ticket_filed`, `new_link`, `staff_reply`, `waiting`,
    /// `resolved`, `closed`, `tier_changed`, `incident_resolved`.
    pub purpose: String,
    /// The ticket it is about, when there is one.
    pub ticket_number: Option<String>,
    pub recipient: String,
    pub subject: String,
    /// The same on every try, so receivers can recognise a repeat.
    pub message_id: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub created_at: i64,
    /// When the next try is due (pending rows).
    pub next_attempt_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub last_error: Option<String>,
}

/// A page of the outbox, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxList {
    pub messages: Vec<OutboxMessage>,
    /// Rows waiting for delivery and rows given up, over the whole outbox.
    pub pending: i64,
    pub failed: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back() {
        for status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(OutboxStatus::parse("lost"), None);
    }
}
