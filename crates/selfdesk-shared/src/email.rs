//! Email addresses, parsed once at the edge ("parse, don't validate").

use std::fmt;

/// A plausible email address: trimmed, lower-cased, one `@`, a non-empty local part
/// and a domain with no spaces. Deliverability is the mail server's business; this only
/// rejects what is certainly a typo.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    Invalid,
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "Email address is required",
            Self::TooLong => "Email address is longer than 254 characters",
            Self::Invalid => "Email address must look like name@example.org",
        })
    }
}

impl std::error::Error for EmailError {}

/// A refused address is the `email` field's problem.
impl From<EmailError> for crate::error::FieldError {
    fn from(err: EmailError) -> Self {
        use crate::error::Reason;
        let reason = match err {
            EmailError::Empty => Reason::Required,
            EmailError::TooLong => Reason::too_long(EmailAddress::MAX_LEN),
            EmailError::Invalid => Reason::NotEmail,
        };
        Self::new("email", reason).because(err.to_string())
    }
}

impl EmailAddress {
    /// RFC 5321 limits a forward path to 254 characters.
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, EmailError> {
        Self::check(input)?;
        Ok(Self(input.trim().to_lowercase()))
    }

    /// Whether [`parse`](Self::parse) accepts `input`, without making its lower-cased
    /// form: what the web apps ask before sending an address, which the server parses.
    /// Lower-casing any script links Unicode's case table, about 15 KB of wasm that an
    /// app would carry only to throw the result away.
    pub fn check(input: &str) -> Result<(), EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = trimmed.split_once('@').ok_or(EmailError::Invalid)?;
        let domain_ok = !domain.is_empty()
            && !domain.contains('@')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        let no_space = !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if local.is_empty() || !domain_ok || !no_space {
            return Err(EmailError::Invalid);
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// What [`EmailAddress::parse`] accepts, as the API document says it: one `@`, no
/// white space or control characters inside, a domain of dot-separated parts, white
/// space around allowed (it is trimmed).
pub const PATTERN: &str =
    r"^\s*[^\s@\x00-\x1f\x7f-\x9f]+@[^\s@.\x00-\x1f\x7f-\x9f]+(\.[^\s@.\x00-\x1f\x7f-\x9f]+)*\s*$";

/// The schema of every email field in the API document.
#[cfg(feature = "openapi")]
pub fn openapi_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(PATTERN))
        .max_length(Some(EmailAddress::MAX_LEN))
        .build()
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let email = EmailAddress::parse("  Tier1@Demo.Selfdesk ").unwrap();
        assert_eq!(email.as_str(), "tier1@demo.selfdesk");
    }

    #[test]
    fn rejects_typos() {
        for (input, expected) in [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("no-at-sign", EmailError::Invalid),
            ("@example.org", EmailError::Invalid),
            ("name@", EmailError::Invalid),
            ("a@b@c", EmailError::Invalid),
            ("name@.example", EmailError::Invalid),
            ("name@example..org", EmailError::Invalid),
            ("na me@example.org", EmailError::Invalid),
        ] {
            assert_eq!(EmailAddress::parse(input), Err(expected), "input {input:?}");
            assert_eq!(EmailAddress::check(input), Err(expected), "input {input:?}");
        }
    }

    /// The apps only check; the server's parse lower-cases in any script.
    #[test]
    fn checks_without_lower_casing_and_parses_any_script() {
        assert_eq!(EmailAddress::check("  ОЛЯ@Пример.рф "), Ok(()));
        let parsed = EmailAddress::parse("  ОЛЯ@Пример.рф ").unwrap();
        assert_eq!(parsed.as_str(), "оля@пример.рф");
    }

    #[test]
    fn rejects_overlong_addresses() {
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
        assert_eq!(EmailAddress::check(&long), Err(EmailError::TooLong));
    }
}
