//! Session tokens and the cookie that carries them.

use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// The cookie on plain-HTTP portals (development, a trusted network).
pub const COOKIE_NAME: &str = "sd_session";
/// The cookie on HTTPS portals: the `__Host-` prefix makes browsers refuse it unless it
/// is `Secure`, has `Path=/` and no `Domain`, so no sibling subdomain can set or
/// overwrite it.
pub const SECURE_COOKIE_NAME: &str = "__Host-sd_session";
/// Both, for code that recognises a session cookie whatever the setting.
pub const COOKIE_NAMES: [&str; 2] = [COOKIE_NAME, SECURE_COOKIE_NAME];
/// A working day and a bit: technicians sign in each morning.
pub const SESSION_TTL_SECS: i64 = 12 * 60 * 60;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// 256 random bits, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores instead of the token. A fast hash is right here: the token
/// has 256 bits of entropy, so there is nothing to brute-force.
pub fn token_hash(token: &str) -> String {
    crate::sha256_hex(token.as_bytes())
}

/// HttpOnly keeps scripts (and so any XSS) away from the token; SameSite=Strict keeps
/// other sites from riding on it.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((cookie_name(secure), token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(time_secs(SESSION_TTL_SECS))
        .build()
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((cookie_name(secure), ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(time_secs(0))
        .build()
}

fn time_secs(secs: i64) -> time::Duration {
    time::Duration::seconds(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_to_hex() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        let h = token_hash(&a);
        assert_eq!(h.len(), 64);
        assert_eq!(h, token_hash(&a));
    }

    #[test]
    fn cookie_is_http_only_and_strict() {
        let text = cookie("t".into(), false).to_string();
        assert!(text.contains("HttpOnly"));
        assert!(text.contains("SameSite=Strict"));
        assert!(!text.contains("Secure"));
        let secure = cookie("t".into(), true).to_string();
        assert!(secure.starts_with("__Host-sd_session=t"), "{secure}");
        assert!(secure.contains("Secure") && secure.contains("Path=/"));
        assert!(!secure.contains("Domain"));
    }
}
