-- What staff are told by email, and the SLA watch's memory. PostgreSQL twin:
-- migrations/postgres/0019_staff_notifications.sql.
--
-- Each staff member chooses the language of their emails and turns each kind off:
-- a requester replied on a ticket assigned to them, a ticket arrived unassigned in
-- their tier's pool, a ticket of theirs will breach its service level soon.
ALTER TABLE staff ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE staff ADD COLUMN notify_replies BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE staff ADD COLUMN notify_escalations BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE staff ADD COLUMN notify_sla BOOLEAN NOT NULL DEFAULT TRUE;

-- The deadline (`sla_due_at`) the assignee was warned about, and the one whose breach
-- was announced to webhooks: once per deadline, by whichever replica's conditional
-- write sets it first. A new deadline (another priority, an answer, a pause) is a new
-- warning.
ALTER TABLE tickets ADD COLUMN sla_warned_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_breach_sent_due_at INTEGER;

-- Deadlines already past when this runs were breached before anyone listened: marked
-- announced, so that the first watch does not send a year of old breaches at once.
UPDATE tickets SET sla_breach_sent_due_at = sla_due_at, sla_warned_due_at = sla_due_at
WHERE status IN ('new', 'in_progress') AND sla_due_at <= CAST(strftime('%s', 'now') AS INTEGER);

