-- Requests for a fresh tracking link by ticket number and email address. SQLite twin:
-- migrations/sqlite/0006_ticket_lookups.sql.
--
-- Counted per number, matched or not, so that one ticket's requester cannot be flooded
-- with emails and one number cannot be tried against address after address. In the
-- database rather than in memory so that the limit holds across restarts and replicas.
-- Rows older than the window are deleted as new lookups arrive.
CREATE TABLE ticket_lookups (
    id           BIGSERIAL PRIMARY KEY,
    number       TEXT   NOT NULL,
    requested_at BIGINT NOT NULL
);
CREATE INDEX ticket_lookups_by_number ON ticket_lookups (number, requested_at);
CREATE INDEX ticket_lookups_by_time ON ticket_lookups (requested_at);
