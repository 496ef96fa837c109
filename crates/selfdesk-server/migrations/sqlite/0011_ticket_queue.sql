-- The technicians' queue, tickets linked to known incidents, and canned responses. PostgreSQL twin:
-- migrations/postgres/0011_ticket_queue.sql.

-- The queue's sort key: the ticket's next SLA deadline, computed in Rust
-- (selfdesk_shared::queue::queue_due) whenever the ticket changes. 253402300799
-- (9999-12-31) means no deadline runs and 253402300798 that the clock is paused, so
-- the column needs no NULL handling and the queue reads in order from an index.
-- Rows written before this migration are filled in at start-up (tickets::queue).
ALTER TABLE tickets ADD COLUMN sla_due_at INTEGER NOT NULL DEFAULT 253402300799;
CREATE INDEX tickets_queue ON tickets (sla_due_at, id);
CREATE INDEX tickets_queue_by_tier ON tickets (tier, sla_due_at, id);
CREATE INDEX tickets_queue_by_assignee ON tickets (assignee_id, sla_due_at, id);
-- Also covers the counts beside the filters (one pass over the open tickets, read
-- from the index alone).
CREATE INDEX tickets_queue_by_status ON tickets (status, sla_due_at, tier, assignee_id);

-- Bumped by every change to a ticket: a change is written only over the revision it
-- was decided on (store::tickets::apply), and a recomputed deadline only over the
-- revision it was computed from.
ALTER TABLE tickets ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- The known incident a ticket is part of: closing the incident can resolve them all.
ALTER TABLE tickets ADD COLUMN incident_id INTEGER REFERENCES incidents (id) ON DELETE SET NULL;
CREATE INDEX tickets_by_incident ON tickets (incident_id, status);

-- Small facts the server keeps about itself, such as which SLA policy the stored
-- due times were computed with.
CREATE TABLE server_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Ready-made replies with {requester_name} and {ticket_number} placeholders. A team
-- is a support tier; NULL means every team.
CREATE TABLE canned_responses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    tier       INTEGER,
    updated_at INTEGER NOT NULL
);

INSERT INTO canned_responses (title, body, tier, updated_at) VALUES
('Looking into it',
 'Hello {requester_name},

thank you for reporting this. I am looking into ticket {ticket_number} now and will get back to you shortly.',
 NULL, 0),
('Need more details',
 'Hello {requester_name},

to move ticket {ticket_number} forward I need a little more information:

- When did the problem start?
- Does it happen every time, or only sometimes?
- Is there an error message? A screenshot helps.',
 NULL, 0),
('Escalated to specialists',
 'Hello {requester_name},

I have passed ticket {ticket_number} to our specialists, who will contact you directly.',
 1, 0);
