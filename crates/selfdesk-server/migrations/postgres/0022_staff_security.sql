-- PostgreSQL twin of migrations/sqlite/0022_staff_security.sql: keep the two in step.
-- Staff security: two-factor sign-in (TOTP), recovery codes, password-reset links,
-- and how each session began.
--
-- The TOTP secret is kept as it is (base32): a code can only be checked with the
-- secret itself, so it cannot be hashed like a password. `totp_pending_secret` is a
-- secret being set up, in use only once a code from it has been confirmed.
-- `totp_last_step` is the 30-second step of the last code accepted, so a code
-- overheard or replayed within its window signs in no second time.
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- 'password' or 'provider': admins who signed in with a password need two-factor
-- sign-in when SELFDESK_REQUIRE_2FA is set; the provider answers for its own.
ALTER TABLE staff_sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

-- Recovery codes, by SHA-256 (each has 60 random bits, and sign-ins are throttled).
CREATE TABLE staff_recovery_codes (
    staff_id  BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (staff_id, code_hash)
);

-- One-time links to choose a new password, issued by an admin; like every token,
-- only its SHA-256 is kept. Used once, within `expires_at`.
CREATE TABLE staff_password_resets (
    token_hash TEXT    PRIMARY KEY,
    staff_id   BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    issued_by  BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX staff_password_resets_by_staff ON staff_password_resets (staff_id);
