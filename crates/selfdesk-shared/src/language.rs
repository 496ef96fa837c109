//! The languages Selfdesk speaks, and how a browser's language tags map onto them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Ru,
    Fr,
    /// Norwegian Bokmål.
    Nb,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::En, Language::Ru, Language::Fr, Language::Nb];

    /// The BCP 47 tag, as used in `<html lang>` and in the API.
    pub const fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
            Self::Fr => "fr",
            Self::Nb => "nb",
        }
    }

    /// The language's own name for itself: a language menu must be readable by someone
    /// who does not understand the current UI language.
    pub const fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ru => "Русский",
            Self::Fr => "Français",
            Self::Nb => "Norsk bokmål",
        }
    }

    /// Maps one language tag (`fr-CA`, `nb-NO`, `RU`) to a supported language.
    ///
    /// Browsers in Norway report `nb`, `no` or, for Nynorsk users, `nn`; Bokmål is the
    /// closest language we have for all three.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "ru" => Some(Self::Ru),
            "fr" => Some(Self::Fr),
            "nb" | "no" | "nn" => Some(Self::Nb),
            _ => None,
        }
    }

    /// The first supported language in the user's order of preference, else English.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Self {
        preferred
            .into_iter()
            .find_map(Self::from_tag)
            .unwrap_or(Self::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_regional_and_case_variants() {
        assert_eq!(Language::from_tag("fr-CA"), Some(Language::Fr));
        assert_eq!(Language::from_tag("RU"), Some(Language::Ru));
        assert_eq!(Language::from_tag("en_GB"), Some(Language::En));
        assert_eq!(Language::from_tag(" nb-NO "), Some(Language::Nb));
    }

    #[test]
    fn norwegian_variants_fall_to_bokmal() {
        assert_eq!(Language::from_tag("no"), Some(Language::Nb));
        assert_eq!(Language::from_tag("nn-NO"), Some(Language::Nb));
    }

    #[test]
    fn unknown_and_empty_tags_are_none() {
        assert_eq!(Language::from_tag("de-DE"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn negotiation_takes_the_first_supported_preference() {
        assert_eq!(Language::negotiate(["de", "fr-FR", "en"]), Language::Fr);
        assert_eq!(Language::negotiate(["de", "es"]), Language::En);
        assert_eq!(Language::negotiate([]), Language::En);
    }

    #[test]
    fn codes_round_trip() {
        for lang in Language::ALL {
            assert_eq!(Language::from_tag(lang.code()), Some(lang));
        }
    }
}
