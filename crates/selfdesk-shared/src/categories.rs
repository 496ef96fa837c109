//! Ticket categories as admins define them: a name in each language, and the extra
//! fields the form asks for in that category (an asset tag, a printer's location),
//! each with a label and hint in each language. Requesters see one language of this
//! (`tickets::TicketCategory`); the stored form is this one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Reason};
use crate::language::Language;

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_LABEL_CHARS: usize = 80;
pub const MAX_HINT_CHARS: usize = 200;
pub const MAX_FIELDS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldDefinition {
    /// Where the value is kept on the ticket (`asset_tag`): lowercase letters, digits
    /// and `_`. Renaming it orphans the values of tickets already filed.
    pub key: String,
    pub required: bool,
    /// By language code (`en`, `ru`, `fr`, `nb`); English is required.
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub hints: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryDefinition {
    pub slug: String,
    /// Order in the form's list, smallest first.
    pub position: i64,
    pub names: BTreeMap<String, String>,
    pub fields: Vec<FieldDefinition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryDefinitionList {
    pub categories: Vec<CategoryDefinition>,
}

fn is_slug(s: &str) -> bool {
    (2..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_key(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Texts by language: English present, only known languages, none too long.
fn check_texts(
    texts: &BTreeMap<String, String>,
    field: String,
    what: &str,
    english_required: bool,
    max: usize,
    problems: &mut Vec<FieldError>,
) {
    if english_required && texts.get("en").is_none_or(|t| t.trim().is_empty()) {
        problems.push(
            FieldError::new(field.clone(), Reason::EnglishRequired)
                .because(format!("Give the {what} in English")),
        );
    }
    for (code, text) in texts {
        if Language::from_tag(code).is_none_or(|l| l.code() != code) {
            problems.push(
                FieldError::new(field.clone(), Reason::NotLanguage).because(format!(
                    "{code:?} is not one of the portal's languages (en, ru, fr, nb)"
                )),
            );
        } else if text.chars().count() > max {
            problems.push(
                FieldError::new(field.clone(), Reason::too_long(max)).because(format!(
                    "The {what} in {code} must be at most {max} characters"
                )),
            );
        }
    }
}

/// A category's address: 2 to 40 of a-z, 0-9 and `-`, a letter or digit at each end.
pub fn check_slug(slug: &str) -> Result<(), FieldError> {
    if is_slug(slug) {
        return Ok(());
    }
    Err(
        FieldError::new("slug", Reason::SlugFormat { min: 2, max: 40 })
            .because("The address is 2 to 40 lowercase letters, digits and hyphens"),
    )
}

/// Every problem, each naming its place (`names`, `fields.2.key`, `fields.0.labels`).
pub fn check(def: &CategoryDefinition) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if let Err(problem) = check_slug(&def.slug) {
        problems.push(problem);
    }
    check_texts(
        &def.names,
        "names".into(),
        "name",
        true,
        MAX_NAME_CHARS,
        &mut problems,
    );
    if def.fields.len() > MAX_FIELDS {
        problems.push(
            FieldError::new("fields", Reason::too_many(MAX_FIELDS)).because(format!(
                "A category asks for at most {MAX_FIELDS} extra fields"
            )),
        );
    }
    for (i, field) in def.fields.iter().enumerate() {
        if !is_key(&field.key) {
            problems.push(
                FieldError::new(format!("fields.{i}.key"), Reason::KeyFormat { max: 40 })
                    .because("A field's key is 1 to 40 lowercase letters, digits and _"),
            );
        } else if def.fields[..i].iter().any(|f| f.key == field.key) {
            problems.push(
                FieldError::new(format!("fields.{i}.key"), Reason::Duplicate)
                    .because(format!("Two fields use the key {:?}", field.key)),
            );
        }
        check_texts(
            &field.labels,
            format!("fields.{i}.labels"),
            "label",
            true,
            MAX_LABEL_CHARS,
            &mut problems,
        );
        check_texts(
            &field.hints,
            format!("fields.{i}.hints"),
            "hint",
            false,
            MAX_HINT_CHARS,
            &mut problems,
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn printing() -> CategoryDefinition {
        CategoryDefinition {
            slug: "printing".into(),
            position: 2,
            names: texts(&[("en", "Printing"), ("fr", "Impression")]),
            fields: vec![FieldDefinition {
                key: "printer".into(),
                required: false,
                labels: texts(&[("en", "Printer")]),
                hints: BTreeMap::new(),
            }],
        }
    }

    #[test]
    fn a_good_definition_passes() {
        assert!(check(&printing()).is_empty());
    }

    #[test]
    fn every_problem_names_its_place() {
        let mut def = printing();
        def.slug = "Printing!".into();
        def.names = texts(&[("de", "Drucken")]);
        def.fields.push(def.fields[0].clone());
        def.fields.push(FieldDefinition {
            key: "Asset Tag".into(),
            labels: texts(&[("en", "")]),
            ..FieldDefinition::default()
        });
        let places: Vec<String> = check(&def)
            .into_iter()
            .map(|p| p.field.into_owned())
            .collect();
        assert_eq!(
            places,
            [
                "slug",
                "names",
                "names",
                "fields.1.key",
                "fields.2.key",
                "fields.2.labels"
            ]
        );
    }

    #[test]
    fn the_stored_seed_form_reads_as_definitions() {
        let stored = r#"[{"key":"asset_tag","required":true,"labels":{"en":"Device"},"hints":{"en":"The sticker"}}]"#;
        let fields: Vec<FieldDefinition> = serde_json::from_str(stored).unwrap();
        assert_eq!(fields[0].key, "asset_tag");
        assert!(fields[0].required);
    }
}
