-- Files attached to tickets and replies. PostgreSQL twin: migrations/postgres/0007_ticket_attachments.sql.
-- A file is uploaded first (ticket_id NULL: unclaimed) and claimed by the ticket or
-- reply that lists its id, in that message's transaction. Unclaimed uploads older
-- than a day are deleted by the periodic sweep.
CREATE TABLE ticket_attachments (
    -- 128 random bits, hex: knowing it is what lets a message claim the upload.
    id         TEXT   PRIMARY KEY,
    ticket_id  INTEGER REFERENCES tickets (id) ON DELETE CASCADE,
    event_id   INTEGER REFERENCES ticket_events (id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    media_type TEXT   NOT NULL,
    size       INTEGER NOT NULL,
    data       BLOB  NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments (ticket_id, event_id);
CREATE INDEX ticket_attachments_unclaimed ON ticket_attachments (created_at) WHERE ticket_id IS NULL;
