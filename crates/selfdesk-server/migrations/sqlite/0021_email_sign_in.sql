-- Signing in by email: a one-time link sent to the address. Like every token here,
-- only the SHA-256 of the link's token is kept; a link is marked used by its first
-- use (single use) and worthless after `expires_at` (15 minutes). Rows are kept an hour
-- after they were sent, to count the links sent to one address.
CREATE TABLE requester_sign_in_links (
    token_hash TEXT    PRIMARY KEY,
    email      TEXT    NOT NULL,
    return_to  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX requester_sign_in_links_by_email ON requester_sign_in_links (email, created_at);
