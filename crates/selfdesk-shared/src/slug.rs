//! The addresses of articles, flows and categories, parsed once ("parse, don't
//! validate").

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A slug: lowercase letters `a-z`, digits and hyphens, a letter or digit at each end,
/// 2 to 80 characters, so it is safe in any URL as it is. Each kind of thing narrows
/// the length (`kb_authoring::check_slug`: articles and flows 3 to 80;
/// `categories::check_slug`: categories 2 to 40) where it is created, with field
/// errors; this type is what every slug has in common once it exists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

/// Not a slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotASlug;

impl fmt::Display for NotASlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("A slug is 2 to 80 lowercase letters, digits and hyphens")
    }
}

impl std::error::Error for NotASlug {}

impl Slug {
    pub const MIN_CHARS: usize = 2;
    pub const MAX_CHARS: usize = 80;
    /// What the API document says: the shape [`Slug::parse`] accepts.
    pub const PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";

    pub fn parse(value: &str) -> Result<Self, NotASlug> {
        let shaped = (Self::MIN_CHARS..=Self::MAX_CHARS).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if shaped {
            Ok(Self(value.to_owned()))
        } else {
            Err(NotASlug)
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
impl TryFrom<String> for Slug {
    type Error = NotASlug;

    fn try_from(value: String) -> Result<Self, NotASlug> {
        Self::parse(&value)?;
        Ok(Self(value))
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Slug {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Slug {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Slug {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Slug {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<Slug> for str {
    fn eq(&self, other: &Slug) -> bool {
        self == other.0
    }
}

impl PartialEq<Slug> for &str {
    fn eq(&self, other: &Slug) -> bool {
        *self == other.0
    }
}

impl PartialEq<Slug> for String {
    fn eq(&self, other: &Slug) -> bool {
        *self == other.0
    }
}

impl Serialize for Slug {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::parse(&value).map_err(|_| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&value),
                &"a slug: 2 to 80 of a-z, 0-9 and -, a letter or digit at each end",
            )
        })
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Slug {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(Self::PATTERN))
            .min_length(Some(Self::MIN_CHARS))
            .max_length(Some(Self::MAX_CHARS))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Slug {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe_as_they_are() {
        for good in ["ab", "reset-password", "vpn2", &"a".repeat(80)] {
            assert_eq!(Slug::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "a",
            "-ab",
            "ab-",
            "Reset",
            "re set",
            "ré",
            "a_b",
            "a/b",
            &"a".repeat(81),
        ] {
            assert_eq!(Slug::parse(bad), Err(NotASlug), "{bad:?}");
        }
    }

    /// Whatever the narrower rules of each kind accept is a slug.
    #[test]
    fn every_article_and_category_slug_is_a_slug() {
        for s in ["abc", "a-1", &"x".repeat(80)] {
            assert!(crate::kb_authoring::check_slug(s).is_ok());
            assert!(Slug::parse(s).is_ok(), "{s}");
        }
        for s in ["ab", "a-1", &"x".repeat(40)] {
            assert!(crate::categories::check_slug(s).is_ok());
            assert!(Slug::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn it_is_a_plain_string_on_the_wire() {
        let slug = Slug::parse("printing").unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"printing\"");
        assert_eq!(serde_json::from_str::<Slug>("\"printing\"").unwrap(), slug);
        assert!(serde_json::from_str::<Slug>("\"Printing\"").is_err());
    }
}
