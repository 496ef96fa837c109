-- Requesters who sign in (with the organisation's OpenID provider): their accounts,
-- their sessions, and the sign-ins under way. Separate from staff and staff_sessions
-- on purpose: a requester's session can never be taken for a staff one.

-- One account per verified email address, because tickets are matched by address.
-- `issuer` + `subject` is the provider's stable id for the person: a sign-in with a
-- known subject and a new address moves the account to the new address.
CREATE TABLE requester_accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    issuer        TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_sign_in_at INTEGER NOT NULL
);
CREATE INDEX requester_accounts_by_subject ON requester_accounts (issuer, subject);

-- Like staff_sessions: only a SHA-256 of the cookie's token is kept.
CREATE TABLE requester_sessions (
    token_hash   TEXT    PRIMARY KEY,
    requester_id INTEGER NOT NULL REFERENCES requester_accounts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX requester_sessions_by_requester ON requester_sessions (requester_id);
CREATE INDEX requester_sessions_expiry ON requester_sessions (expires_at);

-- A sign-in sent to the provider and not yet back: keyed by the SHA-256 of `state`,
-- bound to the browser that started it by the SHA-256 of a cookie's token, used once
-- (deleted when the provider sends the browser back), valid for minutes. `purpose`
-- says which session it ends in: a requester's, or staff's (single sign-on).
CREATE TABLE oidc_sign_ins (
    state_hash    TEXT    PRIMARY KEY,
    purpose       TEXT    NOT NULL CHECK (purpose IN ('requester', 'staff')),
    browser_hash  TEXT    NOT NULL,
    nonce         TEXT    NOT NULL,
    pkce_verifier TEXT    NOT NULL,
    return_to     TEXT    NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX oidc_sign_ins_expiry ON oidc_sign_ins (expires_at);
