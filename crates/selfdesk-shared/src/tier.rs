//! The support tier working a ticket, parsed once ("parse, don't validate").

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{FieldError, Reason};

/// 1 first line, 2 specialists, 3 experts; nothing else can be built. On the wire it is
/// the plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tier(u8);

impl Tier {
    pub const FIRST: Tier = Tier(1);
    pub const SECOND: Tier = Tier(2);
    pub const THIRD: Tier = Tier(3);
    pub const ALL: [Tier; 3] = [Self::FIRST, Self::SECOND, Self::THIRD];
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 3;

    pub const fn new(value: u8) -> Option<Self> {
        if value >= Self::MIN && value <= Self::MAX {
            Some(Self(value))
        } else {
            None
        }
    }

    /// A tier a request asked for; refused as the `tier` field.
    pub fn requested(value: u8) -> Result<Self, FieldError> {
        Self::new(value).ok_or_else(|| {
            FieldError::new(
                "tier",
                Reason::OutOfRange {
                    min: i64::from(Self::MIN),
                    max: i64::from(Self::MAX),
                },
            )
        })
    }

    /// `1`, `2` or `3` as text (a query parameter, a form's value).
    pub fn parse(value: &str) -> Option<Self> {
        value.parse().ok().and_then(Self::new)
    }

    /// The nearest tier to a stored number: the database's own check keeps it in range,
    /// so this only decides what an impossible value would mean.
    pub fn nearest(value: i64) -> Self {
        Self(value.clamp(i64::from(Self::MIN), i64::from(Self::MAX)) as u8)
    }

    pub const fn get(self) -> u8 {
        self.0
    }

    /// One tier up (escalation), if there is one.
    pub const fn up(self) -> Option<Self> {
        Self::new(self.0 + 1)
    }

    /// One tier down, if there is one.
    pub const fn down(self) -> Option<Self> {
        Self::new(self.0.saturating_sub(1))
    }

    /// Whether `other` is one step away.
    pub const fn is_next_to(self, other: Tier) -> bool {
        self.0.abs_diff(other.0) == 1
    }
}

impl From<Tier> for u8 {
    fn from(tier: Tier) -> Self {
        tier.0
    }
}

impl From<Tier> for i64 {
    fn from(tier: Tier) -> Self {
        i64::from(tier.0)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Tier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for Tier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = u8::deserialize(deserializer)?;
        Self::new(value).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Unsigned(u64::from(value)),
                &"a tier: 1, 2 or 3",
            )
        })
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Tier {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(Self::MIN))
            .maximum(Some(Self::MAX))
            .description(Some(
                "The support tier: 1 first line, 2 specialists, 3 experts",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Tier {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_to_three_are_tiers() {
        assert_eq!(Tier::new(0), None);
        assert_eq!(Tier::new(4), None);
        assert_eq!(Tier::ALL.map(Tier::get), [1, 2, 3]);
        assert_eq!(Tier::parse("2"), Some(Tier::SECOND));
        for bad in ["", "0", "4", "x", "-1", " 2"] {
            assert_eq!(Tier::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Tier::nearest(-5), Tier::FIRST);
        assert_eq!(Tier::nearest(9), Tier::THIRD);
        assert_eq!(Tier::nearest(2), Tier::SECOND);
    }

    #[test]
    fn steps_stay_within_the_tiers() {
        assert_eq!(Tier::FIRST.up(), Some(Tier::SECOND));
        assert_eq!(Tier::THIRD.up(), None);
        assert_eq!(Tier::FIRST.down(), None);
        assert_eq!(Tier::THIRD.down(), Some(Tier::SECOND));
        assert!(Tier::FIRST.is_next_to(Tier::SECOND));
        assert!(!Tier::FIRST.is_next_to(Tier::THIRD));
        assert!(!Tier::SECOND.is_next_to(Tier::SECOND));
    }

    #[test]
    fn a_requested_tier_out_of_range_is_the_tier_fields_problem() {
        assert_eq!(Tier::requested(3), Ok(Tier::THIRD));
        let err = Tier::requested(4).unwrap_err();
        assert_eq!(err.field, "tier");
        assert_eq!(err.reason, Reason::OutOfRange { min: 1, max: 3 });
        assert_eq!(err.message(), "From 1 to 3");
    }

    #[test]
    fn it_is_a_plain_number_on_the_wire() {
        assert_eq!(serde_json::to_string(&Tier::SECOND).unwrap(), "2");
        assert_eq!(serde_json::from_str::<Tier>("3").unwrap(), Tier::THIRD);
        for bad in ["0", "4", "\"2\"", "-1", "2.5"] {
            assert!(serde_json::from_str::<Tier>(bad).is_err(), "{bad}");
        }
    }
}
