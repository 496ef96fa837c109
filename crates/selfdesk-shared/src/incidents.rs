//! Known incidents and the "already reported?" check before filing: a problem
//! technicians already know about, or an open ticket very like the one being written,
//! is shown to the requester, who may say "me too" instead of filing again.

use serde::{Deserialize, Serialize};

pub const MAX_INCIDENT_TITLE_CHARS: usize = 160;
pub const MAX_INCIDENT_TEXT_CHARS: usize = 5_000;

/// A problem technicians know about, as requesters see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// `None`: it concerns every category.
    pub category: Option<String>,
    /// When it was posted (Unix seconds).
    pub since: i64,
    /// People who reported "me too".
    pub affected: i64,
    pub open: bool,
    #[serde(default)]
    pub closing_message: Option<String>,
    /// Open tickets linked to it (closing it can resolve them all).
    #[serde(default)]
    pub linked_tickets: i64,
}

/// The incident a ticket is part of, as the ticket shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedIncident {
    pub id: i64,
    pub title: String,
}

/// Links a ticket to a known incident (`null` to unlink).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkIncidentRequest {
    pub incident: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentList {
    pub incidents: Vec<Incident>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewIncident {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 160))]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: String,
    #[serde(default)]
    pub category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseIncident {
    /// What was done; kept with the incident.
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub message: String,
    /// Also resolve every open ticket linked to the incident, with `message` as the
    /// resolution summary each requester sees.
    #[serde(default)]
    pub resolve_linked: bool,
}

/// "This affects me too": who, so the desk can tell them when it is fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeToo {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 120))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::email::openapi_schema))]
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeTooRecorded {
    /// How many people are now known to be affected (the first reporter included for a
    /// ticket).
    pub affected: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlreadyReported {
    /// Open incidents of the category (or of every category).
    pub incidents: Vec<Incident>,
    /// How many open tickets of the category have a very similar subject. Only the
    /// count: other people's subjects and ticket numbers are theirs.
    pub similar_open: u32,
}

/// "This is my problem too" about the similar open reports the check found: the
/// server finds them again from the same category and subject and tells their
/// technicians, without the person ever learning which tickets they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarMeToo {
    pub category: String,
    pub subject: String,
    /// The language the subject is written in (`en`, `ru`, `fr`, `nb`).
    #[serde(default)]
    pub lang: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 120))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::email::openapi_schema))]
    pub email: String,
}

/// How alike two subjects are, from their analysed words (stems): the share of
/// distinct words they have in common (Jaccard), 0 to 1.
pub fn subject_similarity(a: &[String], b: &[String]) -> f32 {
    let mut a: Vec<&str> = a.iter().map(String::as_str).collect();
    let mut b: Vec<&str> = b.iter().map(String::as_str).collect();
    a.sort_unstable();
    a.dedup();
    b.sort_unstable();
    b.dedup();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|w| b.binary_search(w).is_ok()).count();
    common as f32 / (a.len() + b.len() - common) as f32
}

/// Subjects at least this alike count as "the same problem".
pub const SIMILAR_ENOUGH: f32 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn similarity_is_shared_words_over_all_words() {
        let a = words("printer 3rd floor blank pages");
        let b = words("blank pages printer 3rd floor");
        assert_eq!(subject_similarity(&a, &b), 1.0);
        let c = words("printer 3rd floor jams");
        // 3 shared of 6 distinct.
        assert_eq!(subject_similarity(&a, &c), 0.5);
        assert_eq!(subject_similarity(&a, &words("vpn drops")), 0.0);
        assert_eq!(subject_similarity(&a, &[]), 0.0);
        assert!(subject_similarity(&a, &c) >= SIMILAR_ENOUGH);
    }
}
