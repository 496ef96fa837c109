//! Staff accounts and sign-in: the wire types and the rules both sides apply.

use serde::{Deserialize, Serialize};

/// What a staff member may do. Technicians work tickets at their support tier
/// (1 = first line, 2 = specialists, 3 = experts); admins also manage the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Tier1,
    Tier2,
    Tier3,
    Admin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 4] = [Self::Tier1, Self::Tier2, Self::Tier3, Self::Admin];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Tier1 => "tier1",
            Self::Tier2 => "tier2",
            Self::Tier3 => "tier3",
            Self::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }

    pub const fn is_admin(self) -> bool {
        matches!(self, Self::Admin)
    }

    /// Admins and tier-3 technicians: they change what the help desk offers everyone
    /// (which articles are kept offline, the flows' checks).
    pub const fn is_expert(self) -> bool {
        matches!(self, Self::Tier3 | Self::Admin)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::email::openapi_schema))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
    /// For an account with two-factor sign-in: the authenticator app's 6-digit code,
    /// or one of the recovery codes. Without it, such an account's correct password
    /// is answered 422 with `field: "code"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub code: Option<String>,
}

/// A staff account as the API shows it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: StaffRole,
    pub active: bool,
    /// Signing in with the password also needs a code from an authenticator app.
    #[serde(default)]
    pub two_factor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateStaffRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::email::openapi_schema))]
    pub email: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^\\s*[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*\\s*$",
            max_length = 100
        )
    )]
    pub display_name: String,
    pub role: StaffRole,
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 1024))]
    pub password: String,
}

/// `PATCH /api/v1/staff/{id}`: deactivating ends every session of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateStaffRequest {
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffList {
    pub staff: Vec<StaffMember>,
}

/// `GET /api/v1/staff/me/security`: how the signed-in member signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecuritySettings {
    /// Password sign-in asks for an authenticator app's code.
    pub two_factor: bool,
    /// Recovery codes not used yet (each signs in once instead of a code).
    pub recovery_codes_left: u32,
    /// This portal requires two-factor sign-in of admins who sign in with a
    /// password (`SELFDESK_REQUIRE_2FA`), and this is such a session (not one through
    /// the organisation's provider); until they turn it on, admin actions are refused.
    pub two_factor_required: bool,
    /// This member may sign in with a password here (`SELFDESK_STAFF_PASSWORD_SIGN_IN`).
    pub password_sign_in: bool,
}

/// `PUT /api/v1/staff/me/password`. Every other session of the account ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 1024))]
    pub new_password: String,
}

/// The current password again, before turning two-factor sign-in off or making new
/// recovery codes: whoever finds a session left open may not do either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordConfirmation {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

/// A new authenticator secret, not in use until a code from it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorSetup {
    /// Base32, for typing into an app that cannot scan.
    pub secret: String,
    /// The `otpauth://totp/…` link the QR code holds.
    pub otpauth_url: String,
    /// The QR code as an SVG `data:` URL.
    pub qr_code: String,
}

/// The first code from the new secret, proving the app has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorConfirmation {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 32))]
    pub code: String,
}

/// Recovery codes, shown this once: each signs in once in place of a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// `POST /api/v1/staff/{id}/password-reset`: a one-time link to choose a new
/// password. Emailed to the member when the portal sends email; otherwise `link` is
/// here, shown this once, for the admin to pass on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetIssued {
    pub emailed_to: Option<String>,
    pub link: Option<String>,
    /// Unix seconds.
    pub expires_at: i64,
}

/// `POST /api/v1/auth/password-reset`: the link's token and the new password. Every
/// session of the account ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 1024))]
    pub new_password: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
}

impl std::fmt::Display for PasswordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooShort => write!(
                f,
                "Password must have at least {MIN_PASSWORD_CHARS} characters"
            ),
            Self::TooLong => write!(
                f,
                "Password must have at most {MAX_PASSWORD_CHARS} characters"
            ),
        }
    }
}

impl std::error::Error for PasswordError {}

/// A refused password is the `password` field's problem.
impl From<PasswordError> for crate::error::FieldError {
    fn from(err: PasswordError) -> Self {
        use crate::error::Reason;
        let reason = match err {
            PasswordError::TooShort => Reason::TooShort {
                min: MIN_PASSWORD_CHARS as u32,
            },
            PasswordError::TooLong => Reason::too_long(MAX_PASSWORD_CHARS),
        };
        Self::new("password", reason).because(err.to_string())
    }
}

/// Length beats composition rules (NIST SP 800-63B): long passphrases, no forced symbols.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Hashing cost grows with input; an upper bound stops a request from burning CPU.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Checks a password chosen for a new account.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        Err(PasswordError::TooLong)
    } else if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PasswordError::TooShort)
    } else {
        Ok(())
    }
}

/// A display name: 1 to 100 characters as sent, not only white space, no control
/// characters inside (white space around it is trimmed).
pub fn parse_display_name(input: &str) -> Option<String> {
    let name = input.trim();
    let ok =
        !name.is_empty() && input.chars().count() <= 100 && !name.chars().any(char::is_control);
    ok.then(|| name.to_owned())
}

/// `GET`/`PUT /api/v1/staff/me/notifications`: which emails a staff member gets, and in
/// which language. Every kind is on for a new account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSettings {
    pub language: crate::language::Language,
    /// The requester replied on a ticket assigned to me.
    pub requester_replies: bool,
    /// A ticket arrived, unassigned, in my tier's pool.
    pub tier_pool: bool,
    /// A ticket assigned to me will miss its service level within 30 minutes.
    pub sla_warnings: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert_eq!(StaffRole::parse("root"), None);
    }

    #[test]
    fn only_admin_is_admin() {
        assert!(StaffRole::Admin.is_admin());
        assert!(!StaffRole::Tier3.is_admin());
    }

    #[test]
    fn password_length_rules() {
        assert_eq!(check_new_password("short"), Err(PasswordError::TooShort));
        // Thirteen characters (25 bytes): counted as characters, not bytes.
        assert_eq!(check_new_password("пароль-пароль"), Ok(()));
        assert_eq!(check_new_password("selfdesk-demo"), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(2000)),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(parse_display_name("  Ada  ").as_deref(), Some("Ada"));
        assert_eq!(parse_display_name("   "), None);
        assert_eq!(parse_display_name(&"a".repeat(101)), None);
        assert_eq!(parse_display_name("a\u{0007}b"), None);
    }
}
