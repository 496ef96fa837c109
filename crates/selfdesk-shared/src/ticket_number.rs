//! Ticket numbers, parsed once ("parse, don't validate").

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A ticket's number, `SD-2026-000123`: `SD`, the year filed, and a per-year sequence
/// of 6 to 12 digits. Exactly as the server writes them: a lookup that accepts other
/// spellings (`sd-2026-000123 `) normalises before parsing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketNumber(String);

/// Not a ticket number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotATicketNumber;

impl fmt::Display for NotATicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("A ticket number looks like SD-2026-000123")
    }
}

impl std::error::Error for NotATicketNumber {}

impl TicketNumber {
    /// What the API document says: the same shape [`TicketNumber::parse`] accepts.
    pub const PATTERN: &str = "^SD-[0-9]{4}-[0-9]{6,12}$";

    /// The number of the `sequence`th ticket filed in `year`.
    pub fn new(year: i32, sequence: i64) -> Self {
        Self(format!("SD-{year}-{sequence:06}"))
    }

    pub fn parse(value: &str) -> Result<Self, NotATicketNumber> {
        let mut parts = value.split('-');
        let shaped = matches!(
            (parts.next(), parts.next(), parts.next(), parts.next()),
            (Some("SD"), Some(year), Some(seq), None)
                if year.len() == 4
                    && year.bytes().all(|b| b.is_ascii_digit())
                    && (6..=12).contains(&seq.len())
                    && seq.bytes().all(|b| b.is_ascii_digit())
        );
        if shaped {
            Ok(Self(value.to_owned()))
        } else {
            Err(NotATicketNumber)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// For readers that hand over an owned string (a database row).
impl TryFrom<String> for TicketNumber {
    type Error = NotATicketNumber;

    fn try_from(value: String) -> Result<Self, NotATicketNumber> {
        Self::parse(&value)?;
        Ok(Self(value))
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for TicketNumber {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for TicketNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for TicketNumber {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for TicketNumber {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for TicketNumber {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<TicketNumber> for str {
    fn eq(&self, other: &TicketNumber) -> bool {
        self == other.0
    }
}

impl PartialEq<TicketNumber> for &str {
    fn eq(&self, other: &TicketNumber) -> bool {
        *self == other.0
    }
}

impl PartialEq<TicketNumber> for String {
    fn eq(&self, other: &TicketNumber) -> bool {
        *self == other.0
    }
}

impl Serialize for TicketNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TicketNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::parse(&value).map_err(|_| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&value),
                &"a ticket number such as SD-2026-000123",
            )
        })
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for TicketNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(Self::PATTERN))
            .examples(["SD-2026-000123"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for TicketNumber {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_zero_padded_and_recognised() {
        assert_eq!(TicketNumber::new(2026, 123).as_str(), "SD-2026-000123");
        assert_eq!(
            TicketNumber::new(2026, 1_234_567).as_str(),
            "SD-2026-1234567"
        );
        for good in ["SD-2026-000123", "SD-2026-1234567", "SD-1999-999999999999"] {
            assert_eq!(TicketNumber::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "SD-2026-12",
            "sd-2026-000123",
            "SD-26-000123",
            "SD-2026-00012a",
            " SD-2026-000123",
            "SD-2026-000123-1",
            "SD-2026-0000000000001",
            "SD-２０２６-000123",
        ] {
            assert_eq!(TicketNumber::parse(bad), Err(NotATicketNumber), "{bad}");
        }
    }

    #[test]
    fn it_is_a_plain_string_on_the_wire() {
        let number = TicketNumber::new(2026, 7);
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, "\"SD-2026-000007\"");
        assert_eq!(serde_json::from_str::<TicketNumber>(&json).unwrap(), number);
        assert!(serde_json::from_str::<TicketNumber>("\"SD-2026-7\"").is_err());
        assert!(serde_json::from_str::<TicketNumber>("7").is_err());
    }
}
