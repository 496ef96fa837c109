//! The one error shape every API response uses:
//! `{"error": {"code": "...", "message": "...", "field": "..."}}`.
//!
//! `code` is stable and machine-readable (the app translates it for the user);
//! `message` is English prose for people reading logs or using curl; `field` names the
//! request field at fault, so a form can show the message next to that field; and
//! `reason` says what is wrong with it, with its limits, so the app can say it in the
//! reader's language.
//!
//! Every rule about a field, in the shared crate and in the server, refuses with a
//! [`FieldError`]: a field and a [`Reason`]. Its English sentence does not exist in
//! the web app's build (the accessor is compiled only off WebAssembly), so a form
//! shows a refusal in the reader's words: the reason translated, or the form's own
//! sentence for that field.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON or does not match the expected shape.
    InvalidJson,
    /// A query-string or path parameter is missing or malformed.
    InvalidParameter,
    /// The body's format is not accepted: JSON sent without `Content-Type:
    /// application/json`, or an upload that is not an accepted image type.
    UnsupportedMediaType,
    /// A field has a value the server will not accept; `field` says which.
    Validation,
    /// Not signed in, or the session has ended.
    Unauthenticated,
    /// Wrong email or password.
    InvalidCredentials,
    /// Signed in, but this account may not do this.
    Forbidden,
    NotFound,
    MethodNotAllowed,
    /// Something with the same identity already exists (e.g. an email address).
    Conflict,
    PayloadTooLarge,
    /// Too many attempts; the `Retry-After` header says when to try again.
    RateLimited,
    /// The database cannot be reached, or the request needs something this server is
    /// not set up for (asking for a ticket link by email when no mail server is set).
    Unavailable,
    /// The help desk's storage quota for files is used up: nothing was stored.
    StorageFull,
    Internal,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::InvalidParameter => "invalid_parameter",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Validation => "validation",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::StorageFull => "storage_full",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status this code is sent with. Kept here so that the client can also
    /// reason about a status it receives.
    pub const fn http_status(self) -> u16 {
        match self {
            Self::InvalidJson | Self::InvalidParameter => 400,
            Self::UnsupportedMediaType => 415,
            Self::Validation => 422,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::RateLimited => 429,
            Self::Unavailable => 503,
            Self::StorageFull => 507,
            Self::Internal => 500,
        }
    }
}

/// What is wrong with a field, in words the app translates. Limits are in characters
/// (not bytes) or in items, as each variant says. On the wire it is flat,
/// `{"kind": "too_long", "max": 200}` ([`FieldReason`]): easy for API users to
/// read, and decoded by the app without serde's buffering of tagged enums, which
/// would cost every page's bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FieldReason", into = "FieldReason")]
pub enum Reason {
    /// Empty, or only white space.
    Required,
    /// More than `max` characters.
    TooLong { max: u32 },
    /// Fewer than `min` characters.
    TooShort { min: u32 },
    /// More than `max` items (tags, files, fields, holidays …).
    TooMany { max: u32 },
    /// A number outside `min..=max`.
    OutOfRange { min: i64, max: i64 },
    /// A number below `min`, with no upper limit.
    TooSmall { min: i64 },
    /// Not an email address (like name@example.org).
    NotEmail,
    /// An address part: `min` to `max` of a-z, 0-9 and `-`, a letter or digit at
    /// each end.
    SlugFormat { min: u32, max: u32 },
    /// A key: 1 to `max` of a-z, 0-9 and `_`.
    KeyFormat { max: u32 },
    /// Line breaks or other control characters in a one-line text.
    OneLine,
    /// Not in the form this field has (a date, a ticket number, a client's id).
    BadFormat,
    /// Already used by another item.
    Duplicate,
    /// Names something that does not exist (a category, a colleague, an incident).
    Unknown,
    /// A name the portal keeps for itself.
    Reserved,
    /// Not one of the portal's languages (en, ru, fr, nb).
    NotLanguage,
    /// English is everyone's fallback, so this text must have it.
    EnglishRequired,
    /// A `{placeholder}` that a canned response cannot fill.
    UnknownPlaceholder { found: String },
    /// A file named here is gone (uploads are kept for a day).
    Expired,
    /// The value is well-formed, but the item's current state does not allow it (a
    /// tier jump, a deactivated colleague, an article that was never published …).
    NotAllowed,
}

impl Reason {
    /// More than `max` characters (limits are small: they fit a `u32`).
    pub fn too_long(max: usize) -> Self {
        Self::TooLong {
            max: u32::try_from(max).unwrap_or(u32::MAX),
        }
    }

    /// For a text refused for its length: `Required` when it is empty (after
    /// trimming), else `TooLong`.
    pub fn text_length(trimmed: &str, max: usize) -> Self {
        if trimmed.is_empty() {
            Self::Required
        } else {
            Self::too_long(max)
        }
    }

    /// More than `max` items.
    pub fn too_many(max: usize) -> Self {
        Self::TooMany {
            max: u32::try_from(max).unwrap_or(u32::MAX),
        }
    }

    /// The generic English sentence, for a field without a more specific one.
    #[cfg(not(target_arch = "wasm32"))]
    fn english(&self) -> String {
        match self {
            Self::Required => "Required".into(),
            Self::TooLong { max } => format!("At most {max} characters"),
            Self::TooShort { min } => format!("At least {min} characters"),
            Self::TooMany { max } => format!("At most {max}"),
            Self::OutOfRange { min, max } => format!("From {min} to {max}"),
            Self::TooSmall { min } => format!("At least {min}"),
            Self::NotEmail => "Email address must look like name@example.org".into(),
            Self::SlugFormat { min, max } => format!(
                "{min} to {max} lowercase letters a-z, digits and hyphens, starting and ending with a letter or digit"
            ),
            Self::KeyFormat { max } => format!("1 to {max} lowercase letters a-z, digits and _"),
            Self::OneLine => "Must fit on one line".into(),
            Self::BadFormat => "Not in the expected form".into(),
            Self::Duplicate => "Already used".into(),
            Self::Unknown => "Does not exist".into(),
            Self::Reserved => "Used by the portal itself".into(),
            Self::NotLanguage => "Not one of the portal's languages (en, ru, fr, nb)".into(),
            Self::EnglishRequired => "Give it in English".into(),
            Self::UnknownPlaceholder { found } => format!("{found} is not a placeholder"),
            Self::Expired => "Not found (uploads are kept for a day); attach it again".into(),
            Self::NotAllowed => "Not allowed now".into(),
        }
    }
}

/// The kinds of [`Reason`], by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    Required,
    TooLong,
    TooShort,
    TooMany,
    OutOfRange,
    TooSmall,
    NotEmail,
    SlugFormat,
    KeyFormat,
    OneLine,
    BadFormat,
    Duplicate,
    Unknown,
    Reserved,
    NotLanguage,
    EnglishRequired,
    UnknownPlaceholder,
    Expired,
    NotAllowed,
}

/// A [`Reason`] as sent: its kind and the limits that kind has (`too_long`: `max`;
/// `too_short`: `min`; `too_many`: `max`; `too_small`: `min`; `out_of_range`, `slug_format`: `min` and
/// `max`; `key_format`: `max`; `unknown_placeholder`: `found`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldReason {
    pub kind: ReasonKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

impl From<Reason> for FieldReason {
    fn from(reason: Reason) -> Self {
        let (kind, min, max, found) = match reason {
            Reason::Required => (ReasonKind::Required, None, None, None),
            Reason::TooLong { max } => (ReasonKind::TooLong, None, Some(max.into()), None),
            Reason::TooShort { min } => (ReasonKind::TooShort, Some(min.into()), None, None),
            Reason::TooMany { max } => (ReasonKind::TooMany, None, Some(max.into()), None),
            Reason::OutOfRange { min, max } => (ReasonKind::OutOfRange, Some(min), Some(max), None),
            Reason::TooSmall { min } => (ReasonKind::TooSmall, Some(min), None, None),
            Reason::NotEmail => (ReasonKind::NotEmail, None, None, None),
            Reason::SlugFormat { min, max } => (
                ReasonKind::SlugFormat,
                Some(min.into()),
                Some(max.into()),
                None,
            ),
            Reason::KeyFormat { max } => (ReasonKind::KeyFormat, None, Some(max.into()), None),
            Reason::OneLine => (ReasonKind::OneLine, None, None, None),
            Reason::BadFormat => (ReasonKind::BadFormat, None, None, None),
            Reason::Duplicate => (ReasonKind::Duplicate, None, None, None),
            Reason::Unknown => (ReasonKind::Unknown, None, None, None),
            Reason::Reserved => (ReasonKind::Reserved, None, None, None),
            Reason::NotLanguage => (ReasonKind::NotLanguage, None, None, None),
            Reason::EnglishRequired => (ReasonKind::EnglishRequired, None, None, None),
            Reason::UnknownPlaceholder { found } => {
                (ReasonKind::UnknownPlaceholder, None, None, Some(found))
            }
            Reason::Expired => (ReasonKind::Expired, None, None, None),
            Reason::NotAllowed => (ReasonKind::NotAllowed, None, None, None),
        };
        Self {
            kind,
            min,
            max,
            found,
        }
    }
}

impl TryFrom<FieldReason> for Reason {
    type Error = &'static str;

    fn try_from(wire: FieldReason) -> Result<Self, Self::Error> {
        let small = |n: Option<i64>| {
            n.and_then(|n| u32::try_from(n).ok())
                .ok_or("this kind of reason needs its limits")
        };
        Ok(match wire.kind {
            ReasonKind::Required => Self::Required,
            ReasonKind::TooLong => Self::TooLong {
                max: small(wire.max)?,
            },
            ReasonKind::TooShort => Self::TooShort {
                min: small(wire.min)?,
            },
            ReasonKind::TooMany => Self::TooMany {
                max: small(wire.max)?,
            },
            ReasonKind::OutOfRange => Self::OutOfRange {
                min: wire.min.ok_or("out_of_range needs min")?,
                max: wire.max.ok_or("out_of_range needs max")?,
            },
            ReasonKind::TooSmall => Self::TooSmall {
                min: wire.min.ok_or("too_small needs min")?,
            },
            ReasonKind::NotEmail => Self::NotEmail,
            ReasonKind::SlugFormat => Self::SlugFormat {
                min: small(wire.min)?,
                max: small(wire.max)?,
            },
            ReasonKind::KeyFormat => Self::KeyFormat {
                max: small(wire.max)?,
            },
            ReasonKind::OneLine => Self::OneLine,
            ReasonKind::BadFormat => Self::BadFormat,
            ReasonKind::Duplicate => Self::Duplicate,
            ReasonKind::Unknown => Self::Unknown,
            ReasonKind::Reserved => Self::Reserved,
            ReasonKind::NotLanguage => Self::NotLanguage,
            ReasonKind::EnglishRequired => Self::EnglishRequired,
            ReasonKind::UnknownPlaceholder => Self::UnknownPlaceholder {
                found: wire.found.unwrap_or_default(),
            },
            ReasonKind::Expired => Self::Expired,
            ReasonKind::NotAllowed => Self::NotAllowed,
        })
    }
}

/// A refused field: the request field's name (`title`, or a nested one such as
/// `fields.asset_tag` or `fields.2.key`) and why, with an English sentence for API
/// users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub reason: Reason,
    message: Option<Cow<'static, str>>,
}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, reason: Reason) -> Self {
        Self {
            field: field.into(),
            reason,
            message: None,
        }
    }

    /// A more specific English sentence than the reason's own, for API users.
    pub fn because(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The English sentence. Not in the web app: a page shows the reason, translated.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn message(&self) -> String {
        self.message
            .as_deref()
            .map_or_else(|| self.reason.english(), str::to_owned)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message())
    }
}

#[cfg(target_arch = "wasm32")]
impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}", self.field, self.reason)
    }
}

impl std::error::Error for FieldError {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `field`: what is wrong with it (`validation` errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<FieldReason>))]
    pub reason: Option<Reason>,
}

/// The body of every non-2xx API response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
                field: None,
                reason: None,
            },
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.error.field = Some(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_to_the_documented_shape() {
        let body = ErrorBody::new(ErrorCode::Validation, "Email is not valid").with_field("email");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "validation", "message": "Email is not valid", "field": "email"}})
        );
    }

    #[test]
    fn a_reason_travels_with_its_limits() {
        let mut body =
            ErrorBody::new(ErrorCode::Validation, "Title is too long").with_field("title");
        body.error.reason = Some(Reason::TooLong { max: 200 });
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json["error"]["reason"],
            serde_json::json!({"kind": "too_long", "max": 200})
        );
        let back: ErrorBody = serde_json::from_value(json).unwrap();
        assert_eq!(back, body);
        body.error.reason = Some(Reason::Required);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json["error"]["reason"],
            serde_json::json!({"kind": "required"})
        );
        let limitless = serde_json::json!({"kind": "too_long"});
        assert!(serde_json::from_value::<Reason>(limitless).is_err());
    }

    #[test]
    fn a_field_error_says_its_reason_in_english_unless_told_more() {
        let plain = FieldError::new("title", Reason::TooLong { max: 200 });
        assert_eq!(plain.message(), "At most 200 characters");
        let told = plain
            .clone()
            .because("The title must be at most 200 characters");
        assert_eq!(
            told.to_string(),
            "title: The title must be at most 200 characters"
        );
        assert_eq!(told.reason, plain.reason);
    }

    #[test]
    fn omits_field_when_absent() {
        let json =
            serde_json::to_string(&ErrorBody::new(ErrorCode::NotFound, "No such route")).unwrap();
        assert_eq!(
            json,
            r#"{"error":{"code":"not_found","message":"No such route"}}"#
        );
    }

    #[test]
    fn as_str_matches_serde_name() {
        for code in [
            ErrorCode::InvalidJson,
            ErrorCode::InvalidParameter,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::Validation,
            ErrorCode::Unauthenticated,
            ErrorCode::InvalidCredentials,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::Conflict,
            ErrorCode::PayloadTooLarge,
            ErrorCode::RateLimited,
            ErrorCode::Unavailable,
            ErrorCode::StorageFull,
            ErrorCode::Internal,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
