//! Article form fields' error messages in the user's language. The server and the
//! shared rules (`selfdesk_shared::kb_authoring::check_*`) name the field at fault;
//! the wording is ours, so it is never English-only.

use leptos::prelude::*;
use selfdesk_shared::kb::CategoryNode;
use selfdesk_shared::kb_authoring::FieldError;

use crate::api::ApiError;
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

/// A form's refused fields and their messages, as (field, message).
pub type FieldErrors = RwSignal<Vec<(String, String)>>;

/// The message for one field of `errors`, if it was refused.
pub fn error_for(errors: FieldErrors, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors
            .read()
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    })
}

/// The refusals among `checks` (the shared rules' results), in the user's language.
pub fn refusals(
    i18n: I18n,
    checks: impl IntoIterator<Item = Result<(), FieldError>>,
) -> Vec<(String, String)> {
    checks
        .into_iter()
        .filter_map(Result::err)
        .map(|e| (e.field.to_string(), field_message(i18n, &e.field, false)))
        .collect()
}

/// The field a server error is about, with its message.
pub fn server_field_error(i18n: I18n, error: &ApiError) -> Option<(String, String)> {
    let field = error.field()?;
    let taken = matches!(error, ApiError::Server { status: 409, .. });
    Some((field.to_owned(), field_message(i18n, field, taken)))
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
            out.push((node.slug.clone(), name.clone()));
            walk(&node.children, &name, out);
        }
    }
    let mut out = Vec::new();
    walk(nodes, "", &mut out);
    out
}
