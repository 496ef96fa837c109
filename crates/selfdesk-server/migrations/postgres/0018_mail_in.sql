-- Email in (issue 15). SQLite twin: migrations/sqlite/0018_mail_in.sql.
--
-- A reply token is the `+…` part of the Reply-To (`help+<token>@example.org`) of
-- every email sent to a requester about a ticket. It is not the tracking token: a
-- forwarded email lets the new reader reply, not open the ticket. Only its hash is
-- stored, like access tokens; each email gets a new one.
CREATE TABLE ticket_reply_tokens (
    token_hash TEXT    PRIMARY KEY,
    ticket_id  BIGINT  NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL
);
CREATE INDEX ticket_reply_tokens_ticket ON ticket_reply_tokens (ticket_id);

-- Every message read from the help desk's mailbox, once: `message_key` (the
-- Message-ID, or a hash of the raw message when it has none) is unique and written in
-- the same transaction as the ticket change the message makes, so two replicas
-- reading the same mailbox, or a restart before the message was flagged, change the
-- ticket once. `outcome`: replied, reopened, filed (a new ticket), ignored (an
-- auto-reply, a bounce, our own mail: never answered) or rejected (kept in the mailbox,
-- flagged, for an admin: `reason` says why).
CREATE TABLE mail_in (
    id          BIGSERIAL PRIMARY KEY,
    message_key TEXT    NOT NULL UNIQUE,
    received_at BIGINT  NOT NULL,
    sender      TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    ticket_id   BIGINT  REFERENCES tickets (id) ON DELETE SET NULL,
    reason      TEXT
);
CREATE INDEX mail_in_received ON mail_in (received_at);
