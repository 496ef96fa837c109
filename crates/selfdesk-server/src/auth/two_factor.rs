//! Two-factor sign-in for staff passwords: time-based codes (TOTP, RFC 6238: SHA-1,
//! 6 digits, 30-second steps, as every authenticator app reads them) and recovery
//! codes. Pure functions; the database side is `store::staff_security`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use rand::RngCore;
use totp_rs::{Algorithm, TOTP};

/// What authenticator apps show as the account's issuer.
const ISSUER: &str = "Selfdesk";
const STEP_SECS: u64 = 30;
/// Codes one step before or after now are accepted too: phone clocks drift.
const SKEW_STEPS: u64 = 1;
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// No 0/O, 1/I/L: a recovery code is read off paper.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new secret, base32: 160 random bits, the size RFC 4226 recommends.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &bytes)
}

fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, secret)?;
    // ':' separates issuer and account in the label; an address has none, but the
    // label is cosmetic, so anything odd is simply left out.
    let account = account.replace(':', "");
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS,
        bytes,
        Some(ISSUER.to_owned()),
        account,
    )
    .ok()
}

/// The `otpauth://` link an authenticator app scans.
pub fn otpauth_url(secret: &str, account: &str) -> Option<String> {
    totp(secret, account).map(|t| t.get_url())
}

/// The link drawn as a QR code: an SVG `data:` URL for an `<img>`.
pub fn qr_code(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Some(format!(
        "data:image/svg+xml;base64,{}",
        STANDARD.encode(svg)
    ))
}

/// The code an authenticator shows at `unix_secs` (for the tests, which play the
/// authenticator app).
pub fn code_at(secret: &str, unix_secs: u64) -> Option<String> {
    totp(secret, "").map(|t| t.generate(unix_secs))
}

/// The step a typed code belongs to, if it is right within a step of `now` and newer
/// than `last_step` (a code is good once: a replay within its 30 seconds fails).
pub fn accepted_step(secret: &str, typed: &str, now: u64, last_step: u64) -> Option<u64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "")?;
    let current = now / STEP_SECS;
    (current.saturating_sub(SKEW_STEPS)..=current + SKEW_STEPS)
        .filter(|step| *step > last_step)
        .find(|step| same(&totp.generate(step * STEP_SECS), &typed))
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0, |d, (x, y)| d | (x ^ y)) == 0
}

/// Fresh recovery codes, shown once: `xxxx-xxxx-xxxx` (12 characters of 31, 59 bits).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// A recovery code as typed (any case, with or without dashes and spaces) in the form
/// it was hashed in, or `None` if it cannot be one.
pub fn normalised_recovery_code(typed: &str) -> Option<String> {
    let plain: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (plain.len() == 12 && plain.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(plain)
}

/// What is stored for a recovery code: bound to its account, so equal codes of two
/// accounts differ.
pub fn recovery_code_hash(staff_id: i64, normalised: &str) -> String {
    crate::sha256_hex(format!("{staff_id}:{normalised}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B's SHA-1 secret ("12345678901234567890"), in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        // The RFC lists 8 digits; the app shows the last 6.
        assert_eq!(code_at(RFC_SECRET, 59).unwrap(), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000).unwrap(), "279037");
    }

    #[test]
    fn a_code_is_good_within_a_step_either_side_and_only_once() {
        let now = 1_111_111_109;
        let code = code_at(RFC_SECRET, now).unwrap();
        let step = now / 30;
        assert_eq!(accepted_step(RFC_SECRET, &code, now, 0), Some(step));
        assert_eq!(accepted_step(RFC_SECRET, &code, now + 30, 0), Some(step));
        assert_eq!(accepted_step(RFC_SECRET, &code, now - 30, 0), Some(step));
        assert_eq!(accepted_step(RFC_SECRET, &code, now + 90, 0), None);
        // Used: the same code, or an older one, is refused.
        assert_eq!(accepted_step(RFC_SECRET, &code, now, step), None);
        assert_eq!(accepted_step(RFC_SECRET, " 081 804 ", now, 0), Some(step));
        for wrong in ["", "08180", "0818040", "08180a", "000000"] {
            assert_eq!(accepted_step(RFC_SECRET, wrong, now, 0), None, "{wrong}");
        }
    }

    #[test]
    fn secrets_are_new_each_time_and_make_a_scannable_link() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        let url = otpauth_url(&a, "ada@example.org").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Selfdesk:ada%40example.org?"),
            "{url}"
        );
        assert!(url.contains(&format!("secret={a}")), "{url}");
        assert!(
            qr_code(&url)
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_back_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 14);
        let plain = code.replace('-', "");
        assert_eq!(
            normalised_recovery_code(code).as_deref(),
            Some(plain.as_str())
        );
        assert_eq!(
            normalised_recovery_code(&format!(" {} ", code.to_uppercase().replace('-', " "))),
            Some(plain.clone())
        );
        assert_eq!(normalised_recovery_code("123456"), None);
        assert_eq!(normalised_recovery_code("abcd-efgh-ijk0"), None);
        assert_ne!(recovery_code_hash(1, &plain), recovery_code_hash(2, &plain));
    }
}
