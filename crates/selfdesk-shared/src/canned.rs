//! Canned responses: replies technicians reuse, kept per team (support tier) by
//! admins, with placeholders filled from the ticket being answered.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Reason};

pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_BODY_CHARS: usize = 20_000;

/// The placeholders a body may use, and what fills them.
pub const PLACEHOLDERS: [&str; 2] = ["{requester_name}", "{ticket_number}"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    /// Markdown with placeholders.
    pub body: String,
    /// The team (tier) it belongs to; `None`: every team.
    #[serde(default)]
    pub tier: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponseInput {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 120))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 20000))]
    pub body: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3))]
    pub tier: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponseList {
    pub responses: Vec<CannedResponse>,
}

/// Every problem with an input, each naming its field.
pub fn check(input: &CannedResponseInput) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let title = input.title.trim();
    if title.is_empty() {
        problems
            .push(FieldError::new("title", Reason::Required).because("Give the response a title"));
    } else if input.title.chars().count() > MAX_TITLE_CHARS {
        problems.push(
            FieldError::new("title", Reason::too_long(MAX_TITLE_CHARS)).because(format!(
                "The title must be at most {MAX_TITLE_CHARS} characters"
            )),
        );
    }
    if input.body.trim().is_empty() {
        problems.push(FieldError::new("body", Reason::Required).because("Write the response"));
    } else if input.body.chars().count() > MAX_BODY_CHARS {
        problems.push(
            FieldError::new("body", Reason::too_long(MAX_BODY_CHARS)).because(format!(
                "The response must be at most {MAX_BODY_CHARS} characters"
            )),
        );
    }
    if let Some(unknown) = unknown_placeholder(&input.body) {
        let message = format!(
            "{unknown} is not a placeholder; use {}",
            PLACEHOLDERS.join(" or ")
        );
        let found = unknown.to_owned();
        problems
            .push(FieldError::new("body", Reason::UnknownPlaceholder { found }).because(message));
    }
    if input.tier.is_some_and(|t| !(1..=3).contains(&t)) {
        problems.push(
            FieldError::new("tier", Reason::OutOfRange { min: 1, max: 3 })
                .because("The team is tier 1, 2 or 3, or every team"),
        );
    }
    problems
}

/// The first `{word}` that is not a known placeholder: most likely a typo that would
/// otherwise reach a requester as written.
fn unknown_placeholder(body: &str) -> Option<String> {
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        let tail = &rest[start..];
        let Some(end) = tail.find('}') else { break };
        let candidate = &tail[..=end];
        let word = &candidate[1..candidate.len() - 1];
        let looks_like_one =
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if looks_like_one && !PLACEHOLDERS.contains(&candidate) {
            return Some(candidate.to_owned());
        }
        rest = &tail[1..];
    }
    None
}

/// The body with its placeholders filled for one ticket.
pub fn fill(body: &str, requester_name: &str, ticket_number: &str) -> String {
    body.replace("{requester_name}", requester_name)
        .replace("{ticket_number}", ticket_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, body: &str, tier: Option<u8>) -> CannedResponseInput {
        CannedResponseInput {
            title: title.into(),
            body: body.into(),
            tier,
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(
                "Hello {requester_name}, about {ticket_number}: {requester_name}",
                "Ann",
                "SD-2026-000001"
            ),
            "Hello Ann, about SD-2026-000001: Ann"
        );
    }

    #[test]
    fn every_problem_is_named() {
        assert!(check(&input("Hi", "Hello {requester_name}", Some(2))).is_empty());
        let fields = |i| check(&i).into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(input(" ", "", Some(4))), ["title", "body", "tier"]);
        assert_eq!(
            fields(input("Hi", "Hello {requestor_name}", None)),
            ["body"]
        );
        // Braces that are not placeholder-shaped are left to Markdown.
        assert!(check(&input("Hi", "Use `{\"a\": 1}` or {} or {Name}", None)).is_empty());
    }
}
