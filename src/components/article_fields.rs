//! Article form fields' error messages in the user's language. The server and the
//! shared rules (`selfdesk_shared::kb_authoring::check_*`) name the field at fault;
//! the wording is ours, so it is never English-only.

use selfdesk_shared::error::FieldError;
use selfdesk_shared::kb::CategoryNode;

use crate::api::ApiError;
use crate::components::form::Problem;
use crate::i18n::{Locale, t_string};

type I18n = leptos_i18n::I18nContext<Locale>;

/// The message for a refused `field`; `taken` for a slug already in use (409).
pub fn field_message(i18n: I18n, field: &str, taken: bool) -> String {
    match field {
        "title" => t_string!(i18n, err_title),
        "slug" if taken => t_string!(i18n, err_slug_taken),
        "slug" => t_string!(i18n, err_slug_format),
        "summary" => t_string!(i18n, err_summary),
        "body" => t_string!(i18n, err_body),
        "tags" => t_string!(i18n, err_tags),
        "category" => t_string!(i18n, err_category),
        "base_revision" => t_string!(i18n, err_conflict),
        _ => t_string!(i18n, err_server),
    }
    .to_string()
}

/// The refusals among `checks` (the shared rules' results), in the user's language,
/// each at the control `id_of(field)` (a field without a control is left out).
pub fn refusals(
    i18n: I18n,
    checks: impl IntoIterator<Item = Result<(), FieldError>>,
    id_of: impl Fn(&str) -> Option<String>,
) -> Vec<Problem> {
    checks
        .into_iter()
        .filter_map(Result::err)
        .filter_map(|e| {
            Some(Problem::new(
                id_of(&e.field)?,
                field_message(i18n, &e.field, false),
            ))
        })
        .collect()
}

/// The field a server error is about, with its message, at the control `id_of(field)`
/// (`None` for a field the form has no control for: the summary then says the
/// failure itself).
pub fn server_problem(
    i18n: I18n,
    error: &ApiError,
    id_of: impl Fn(&str) -> Option<String>,
) -> Option<Problem> {
    let field = error.field()?;
    let taken = matches!(error, ApiError::Server { status: 409, .. });
    Some(Problem::new(
        id_of(field)?,
        field_message(i18n, field, taken),
    ))
}

/// Every category as (slug, "Parent › Child"), in tree order, for a `<select>`.
pub fn category_options(nodes: &[CategoryNode]) -> Vec<(String, String)> {
    fn walk(nodes: &[CategoryNode], prefix: &str, out: &mut Vec<(String, String)>) {
        for node in nodes {
            let name = if prefix.is_empty() {
                node.name.clone()
            } else {
                format!("{prefix} › {}", node.name)
            };
            out.push((node.slug.to_string(), name.clone()));
            walk(&node.children, &name, out);
        }
    }
    let mut out = Vec::new();
    walk(nodes, "", &mut out);
    out
}
