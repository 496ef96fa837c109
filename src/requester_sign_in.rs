//! What the page says about requester sign-in, without asking the server: the server
//! writes the ways this portal offers into `<html data-sign-in="organisation email">`,
//! and `data-signed-in` when the browser holds a requester cookie (which scripts
//! cannot read: it is HttpOnly). Whether that cookie still opens a session is known
//! only when a page asks the API (`api::requester_me`).

use leptos::prelude::document;
use selfdesk_shared::requester::{SignInFailure, safe_return_path};

/// The ways to sign in here besides staff passwords.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ways {
    /// Requesters, with the organisation's account.
    pub organisation: bool,
    /// Requesters, with a link by email.
    pub email: bool,
    /// Staff, with the organisation's account.
    pub staff: bool,
    /// Requesters must sign in to use the portal at all.
    pub required: bool,
    /// Staff passwords are for admins only (the break-glass path).
    pub password_admins_only: bool,
    /// Nobody signs in as staff with a password.
    pub no_staff_password: bool,
}

impl Ways {
    /// Whether requesters may sign in at all.
    pub fn any(self) -> bool {
        self.organisation || self.email
    }
}

fn html_attribute(name: &str) -> Option<String> {
    document().document_element()?.get_attribute(name)
}

pub fn ways() -> Ways {
    let offered = html_attribute("data-sign-in").unwrap_or_default();
    Ways {
        organisation: offered.split(' ').any(|w| w == "organisation"),
        email: offered.split(' ').any(|w| w == "email"),
        staff: offered.split(' ').any(|w| w == "staff"),
        required: offered.split(' ').any(|w| w == "required"),
        password_admins_only: offered.split(' ').any(|w| w == "password-admins"),
        no_staff_password: offered.split(' ').any(|w| w == "no-password"),
    }
}

/// Whether the browser holds a requester cookie (set by a sign-in, removed by signing
/// out or by its expiry).
pub fn holds_session() -> bool {
    html_attribute("data-signed-in").is_some()
}

/// The sign-in page, coming back to `return_to` (a path on the portal) afterwards.
pub fn sign_in_path(return_to: &str) -> String {
    match safe_return_path(return_to) {
        Some(path) if path != "/tickets/sign-in" => {
            format!(
                "/tickets/sign-in?return_to={}",
                String::from(js_sys::encode_uri_component(path))
            )
        }
        _ => "/tickets/sign-in".to_owned(),
    }
}

/// Starting a requester's sign-in at the organisation's provider (a full page load:
/// the server sends the browser on).
pub fn organisation_start(return_to: &str) -> String {
    let path = safe_return_path(return_to).unwrap_or("/tickets");
    format!(
        "/api/v1/auth/oidc/start?return_to={}",
        String::from(js_sys::encode_uri_component(path))
    )
}

/// Starting a staff member's sign-in at the organisation's provider; `next` is a path
/// in the staff area.
pub fn staff_start(next: &str) -> String {
    format!(
        "/api/v1/auth/oidc/start?staff=true&return_to={}",
        String::from(js_sys::encode_uri_component(next))
    )
}

/// What the provider's callback said went wrong (`?failed=`), in the reader's words.
pub fn failure_text(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    failure: SignInFailure,
) -> &'static str {
    use crate::i18n::t_string;
    match failure {
        SignInFailure::Refused => t_string!(i18n, sign_in_failed_refused),
        SignInFailure::Unverified => t_string!(i18n, sign_in_failed_unverified),
        SignInFailure::NotStaff => t_string!(i18n, sign_in_failed_not_staff),
        SignInFailure::Unavailable => t_string!(i18n, sign_in_failed_unavailable),
    }
}
