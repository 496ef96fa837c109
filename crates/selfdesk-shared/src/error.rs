//! The one error shape every API response uses:
//! `{"error": {"code": "...", "message": "...", "field": "..."}}`.
//!
//! `code` is stable and machine-readable (the app translates it for the user);
//! `message` is English prose for people reading logs or using curl; `field` names the
//! request field at fault, so a form can show the message next to that field.

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
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
