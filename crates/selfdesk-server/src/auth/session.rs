//! Session tokens and the cookie that carries them.

use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

pub const COOKIE_NAME: &str = "sd_session";
/// A working day and a bit: technicians sign in each morning.
pub const SESSION_TTL_SECS: i64 = 12 * 60 * 60;

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
    Cookie::build((COOKIE_NAME, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(time_secs(SESSION_TTL_SECS))
        .build()
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((COOKIE_NAME, ""))
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
        assert!(cookie("t".into(), true).to_string().contains("Secure"));
    }
}
