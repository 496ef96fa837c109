//! Requesters who sign in: who they are, the tickets filed with their verified
//! address, and the one rule about where a sign-in may send the browser back to.

use serde::{Deserialize, Serialize};

use crate::sla::SlaStanding;
use crate::ticket_number::TicketNumber;
use crate::tickets::TicketStatus;

/// The signed-in requester (`GET /api/v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequesterMe {
    /// As the identity provider verified it, in lower case.
    pub email: String,
    pub display_name: String,
}

/// One of the signed-in requester's tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTicket {
    pub number: TicketNumber,
    pub subject: String,
    pub status: TicketStatus,
    pub created_at: i64,
    /// The last change anyone made to it.
    pub updated_at: i64,
    /// The next deadline and how it stands now; `paused` while the help desk waits
    /// for the requester, `met` once nothing is due.
    pub sla: SlaStanding,
}

/// `GET /api/v1/me/tickets`: every ticket filed with the requester's verified
/// address, whether they were signed in or not, most recently changed first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTicketList {
    pub tickets: Vec<MyTicket>,
}

/// `POST /api/v1/me/tickets/{number}/access`: a link of this device's own to one of
/// the signed-in requester's tickets, and what "My tickets" keeps beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTicketAccess {
    /// Opens the ticket (`Authorization: Bearer`), like a tracking link's token.
    pub access_token: String,
    pub subject: String,
    pub created_at: i64,
}

/// `GET /api/v1/auth/sign-in-options`: which ways of signing in this portal offers
/// besides staff passwords (which always work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInOptions {
    /// Requesters may sign in with the organisation's provider.
    pub organisation: bool,
    /// Staff may sign in with it too (staff groups are set up).
    pub staff_organisation: bool,
    /// Requesters may sign in with a one-time link emailed to them (the portal
    /// sends email).
    #[serde(default)]
    pub email: bool,
}

/// `POST /api/v1/auth/email/start`: send a one-time sign-in link to this address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailSignInRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::email::openapi_schema))]
    pub email: String,
    /// Where to go once signed in: a path on this portal; "My tickets" when left out
    /// or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 512,
            pattern = r"^(/([^/\\\s\x00-\x1f\x7f-\x9f][^\\\s\x00-\x1f\x7f-\x9f]*)?)?$"
        )
    )]
    pub return_to: Option<String>,
    /// The language the email is written in.
    pub language: crate::language::Language,
}

/// The answer to [`EmailSignInRequest`]: the same for every address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailSignInSent {
    pub message: String,
}

/// `POST /api/v1/auth/email/finish`: the token from the emailed link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailSignInFinish {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub token: String,
}

/// Signed in by email: where the browser goes now (the path given when the link was
/// asked for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailSignedIn {
    pub return_to: String,
}

/// Why a sign-in with the provider ended without one, as the callback tells a
/// browser (`/tickets/sign-in?failed=…`, `/staff/sign-in?failed=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFailure {
    /// The sign-in was unknown, used, expired, from another browser, or refused by
    /// the provider: starting again is the remedy.
    Refused,
    /// The provider has not verified the person's email address.
    Unverified,
    /// Signing in as staff, the person is in none of the staff groups.
    NotStaff,
    /// The provider could not be reached.
    Unavailable,
}

impl SignInFailure {
    /// From the refusal's HTTP status, and what the sign-in was for.
    pub fn of(status: u16, purpose: Option<&str>) -> Self {
        match (status, purpose) {
            (403, Some("staff")) => Self::NotStaff,
            (403, _) => Self::Unverified,
            (503, _) => Self::Unavailable,
            _ => Self::Refused,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Unverified => "unverified",
            Self::NotStaff => "not-staff",
            Self::Unavailable => "unavailable",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Refused,
            Self::Unverified,
            Self::NotStaff,
            Self::Unavailable,
        ]
        .into_iter()
        .find(|f| f.as_str() == text)
    }
}

/// The longest `return_to` a sign-in keeps.
pub const MAX_RETURN_PATH: usize = 512;

/// Where a sign-in may send the browser back to: a path on this portal only
/// (`/tickets/SD-2026-000123?x=1`), never another site. Anything else is `None`, and
/// the caller goes to the home page instead: an open redirect would let a phishing
/// link borrow the portal's address.
///
/// Refused: absolute URLs, scheme-relative `//host` and its backslash spellings
/// (browsers read `/\host` as `//host`), control characters and whitespace (which
/// browsers strip, turning `/\t/host` into `//host`), and anything over
/// [`MAX_RETURN_PATH`] characters. The API documents the same rule as a pattern.
pub fn safe_return_path(candidate: &str) -> Option<&str> {
    let ok = candidate.chars().count() <= MAX_RETURN_PATH
        && candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate
            .chars()
            .any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_failures_read_back() {
        for (status, purpose, failure) in [
            (401, None, SignInFailure::Refused),
            (403, Some("requester"), SignInFailure::Unverified),
            (403, Some("staff"), SignInFailure::NotStaff),
            (503, Some("staff"), SignInFailure::Unavailable),
        ] {
            let got = SignInFailure::of(status, purpose);
            assert_eq!(got, failure);
            assert_eq!(SignInFailure::parse(got.as_str()), Some(got));
        }
        assert_eq!(SignInFailure::parse("other"), None);
    }

    #[test]
    fn return_paths_stay_on_the_portal() {
        for good in ["/", "/kb/printer", "/tickets?mine=1#top", "/a/b%2F/c"] {
            assert_eq!(safe_return_path(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "kb",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/ /evil.example",
            "/\n/evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
        let long = format!("/{}", "a".repeat(MAX_RETURN_PATH));
        assert_eq!(safe_return_path(&long), None);
    }
}
