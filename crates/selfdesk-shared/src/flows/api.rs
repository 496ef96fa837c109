//! What the flows API sends and receives: the published list, the anonymous walk
//! reports that measure self-service, and the technician's draft (its TOML source
//! with every problem found in it).

use serde::{Deserialize, Serialize};

use super::{Flow, FlowError, Text};
use crate::self_service::valid_session;
use crate::slug::Slug;

/// Where a walk stands when the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WalkState {
    /// Still answering; if no later report comes, the walk was abandoned at `node`.
    UnderWay,
    Resolved,
    /// Reached a ticket outcome (and was offered the prefilled form).
    Ticket,
    /// Went on in another flow, which reports on its own.
    Subflow,
}

impl WalkState {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UnderWay => "under_way",
            Self::Resolved => "resolved",
            Self::Ticket => "ticket",
            Self::Subflow => "subflow",
        }
    }
}

/// One walk's latest state. The browser sends these in batches, fire-and-forget;
/// the server keeps the latest per `walk`, so a lost or repeated report costs
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkReport {
    /// Random per walk (a restart is a new walk); stored hashed.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{16,100}$"))]
    pub walk: String,
    /// The browser's self-service session, so a walk that ended resolved counts as
    /// deflected only if no ticket followed in the same session.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{16,100}$"))]
    pub session: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub flow: String,
    pub version: i64,
    /// The answer ids so far (`Walk::to_param`).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^([a-z0-9_-]{1,32}(\\.[a-z0-9_-]{1,32}){0,59})?$")
    )]
    pub answers: String,
    /// The node the walk is at.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_-]{1,64}$"))]
    pub node: String,
    pub state: WalkState,
}

/// Reports per request: a tab sends what piled up since its last send.
pub const MAX_WALK_REPORTS: usize = 20;

impl WalkReport {
    /// The first thing wrong with the report, as `(field, message)`.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        if !valid_session(&self.walk) {
            return Some((
                "walk",
                "A walk id must be 16 to 100 letters, digits or hyphens",
            ));
        }
        if self.session.as_deref().is_some_and(|s| !valid_session(s)) {
            return Some((
                "session",
                "A session id must be 16 to 100 letters, digits or hyphens",
            ));
        }
        if self.flow.is_empty() || self.flow.chars().count() > 80 {
            return Some(("flow", "A flow slug has 1 to 80 characters"));
        }
        if super::Walk::from_param(&self.answers).is_err() {
            return Some(("answers", "The answers are not a walk"));
        }
        if !super::is_valid_node_id(&self.node) {
            return Some(("node", "The node is not a node id"));
        }
        None
    }
}

/// A technician's draft of a flow: the text they write (TOML), kept as written so
/// that nothing typed is lost, even when it does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveFlowDraft {
    pub source: String,
}

/// The longest flow source accepted (a large flow is ~20 KB).
pub const MAX_FLOW_SOURCE_BYTES: usize = 256 * 1024;

/// One problem with a draft: a syntax error (with its line and column) or a
/// validation error (with the node it concerns). `message` is English, for curl and
/// logs; the editor words its own from `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowProblem {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FlowError>,
}

impl From<FlowError> for FlowProblem {
    fn from(error: FlowError) -> Self {
        Self {
            message: error.message(),
            line: None,
            column: None,
            error: Some(error),
        }
    }
}

/// A flow as the editor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffFlowView {
    pub slug: Slug,
    /// The draft if there is one, else the published version's source.
    pub source: String,
    /// Whether `source` is a draft not yet published.
    pub is_draft: bool,
    /// When the draft was last saved (Unix seconds).
    #[serde(default)]
    pub saved_at: Option<i64>,
    #[serde(default)]
    pub published_version: Option<i64>,
    /// Everything wrong with `source`; publishing needs none.
    pub problems: Vec<FlowProblem>,
    /// `source` parsed, for the preview; `None` when it does not parse.
    #[serde(default)]
    pub flow: Option<Flow>,
}

/// A line of the staff list of flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffFlowListItem {
    pub slug: Slug,
    pub title: Text,
    #[serde(default)]
    pub published_version: Option<i64>,
    pub has_draft: bool,
    pub updated_at: i64,
    /// Walks started in the last 30 days, and how they ended.
    pub walks: i64,
    pub resolved: i64,
    pub tickets: i64,
    pub abandoned: i64,
}

/// How walks through one flow went: per node, how many walks reached it and how many
/// were abandoned there — where requesters give up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowStats {
    pub slug: String,
    pub days: i64,
    pub walks: i64,
    pub resolved: i64,
    pub tickets: i64,
    pub abandoned: i64,
    pub nodes: Vec<NodeStats>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeStats {
    pub node: String,
    pub abandoned: i64,
}

/// A walk still under way after this long is counted as abandoned.
pub const ABANDONED_AFTER_SECS: i64 = 30 * 60;

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> WalkReport {
        WalkReport {
            walk: "0123456789abcdef-walk".into(),
            session: None,
            flow: "printer".into(),
            version: 1,
            answers: "laptop.not_fixed".into(),
            node: "queue".into(),
            state: WalkState::UnderWay,
        }
    }

    #[test]
    fn reports_are_checked_field_by_field() {
        assert_eq!(report().problem(), None);
        let bad = WalkReport {
            walk: "short".into(),
            ..report()
        };
        assert_eq!(bad.problem().unwrap().0, "walk");
        let bad = WalkReport {
            answers: "Laptop".into(),
            ..report()
        };
        assert_eq!(bad.problem().unwrap().0, "answers");
        let bad = WalkReport {
            node: "a b".into(),
            ..report()
        };
        assert_eq!(bad.problem().unwrap().0, "node");
        let bad = WalkReport {
            session: Some("x".into()),
            ..report()
        };
        assert_eq!(bad.problem().unwrap().0, "session");
    }

    #[test]
    fn states_serialise_in_snake_case() {
        let json = serde_json::to_value(report()).unwrap();
        assert_eq!(json["state"], "under_way");
        assert_eq!(WalkState::Resolved.as_str(), "resolved");
    }
}
