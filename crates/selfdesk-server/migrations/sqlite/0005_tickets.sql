-- Tickets, requester side. PostgreSQL twin: migrations/postgres/0005_tickets.sql.

-- Categories a requester files under. Names and extra-field labels are JSON objects
-- keyed by language code ({"en": "...", "ru": "..."}), so admins translate them as data.
CREATE TABLE ticket_categories (
    slug     TEXT   PRIMARY KEY,
    position INTEGER NOT NULL,
    names    TEXT   NOT NULL,
    -- [{"key": "asset_tag", "required": true, "labels": {...}, "hints": {...}}]
    fields   TEXT   NOT NULL DEFAULT '[]'
);

-- The per-year sequence behind SD-2026-000123. One row per year, bumped with an
-- atomic upsert inside the filing transaction, so concurrent filings on any replica
-- get distinct numbers.
CREATE TABLE ticket_counters (
    year          INTEGER PRIMARY KEY,
    last_sequence INTEGER NOT NULL
);

CREATE TABLE tickets (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    number               TEXT   NOT NULL UNIQUE,
    -- SHA-256 of the submitter's Idempotency-Key: a retried submission finds its ticket
    -- here instead of filing another; the UNIQUE constraint settles concurrent retries.
    idempotency_key_hash TEXT   NOT NULL UNIQUE,
    -- SHA-256 of the submitted body, to refuse a key reused for a different ticket.
    request_hash         TEXT   NOT NULL,
    requester_name       TEXT   NOT NULL,
    requester_email      TEXT   NOT NULL,
    language             TEXT   NOT NULL,
    category             TEXT   NOT NULL REFERENCES ticket_categories (slug),
    subject              TEXT   NOT NULL,
    description          TEXT   NOT NULL,
    impact               TEXT   NOT NULL,
    urgency              TEXT   NOT NULL,
    priority             TEXT   NOT NULL,
    status               TEXT   NOT NULL,
    tier                 INTEGER NOT NULL DEFAULT 1,
    assignee_id          INTEGER REFERENCES staff (id) ON DELETE SET NULL,
    fields               TEXT   NOT NULL DEFAULT '{}',
    transcript           TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    first_responded_at   INTEGER,
    resolved_at          INTEGER,
    closed_at            INTEGER,
    rating               INTEGER,
    rating_comment       TEXT
);
CREATE INDEX tickets_email ON tickets (requester_email);
CREATE INDEX tickets_resolved ON tickets (status, resolved_at);

-- Secrets that open one ticket's tracking page, stored as SHA-256 only. A ticket may
-- have several: the one given at filing, and fresh ones from a retried submission or
-- a lookup by number and email.
CREATE TABLE ticket_access_tokens (
    token_hash TEXT   PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);

-- Periods the SLA clock stood still (waiting for the requester); open while until_at
-- is NULL.
CREATE TABLE ticket_pauses (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    from_at   INTEGER NOT NULL,
    until_at  INTEGER
);
CREATE INDEX ticket_pauses_ticket ON ticket_pauses (ticket_id);

-- The timeline, and the outbox every replica tails for live updates (see live.rs).
CREATE TABLE ticket_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id      INTEGER  NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at     INTEGER  NOT NULL,
    actor          TEXT    NOT NULL,
    actor_staff_id INTEGER  REFERENCES staff (id) ON DELETE SET NULL,
    actor_name     TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    public         INTEGER NOT NULL,
    -- The event's JSON (selfdesk_shared::tickets::TicketChange).
    data           TEXT    NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

INSERT INTO ticket_categories (slug, position, names, fields) VALUES
('hardware', 1,
 '{"en":"Computer or device","ru":"Компьютер или устройство","fr":"Ordinateur ou appareil","nb":"Datamaskin eller enhet"}',
 '[{"key":"asset_tag","required":true,"labels":{"en":"Device or asset tag","ru":"Устройство или инвентарный номер","fr":"Appareil ou numéro d''inventaire","nb":"Enhet eller inventarnummer"},"hints":{"en":"The sticker on the device, e.g. LT-0042","ru":"Наклейка на устройстве, например LT-0042","fr":"L''étiquette sur l''appareil, par ex. LT-0042","nb":"Klistremerket på enheten, f.eks. LT-0042"}}]'),
('printing', 2,
 '{"en":"Printing","ru":"Печать","fr":"Impression","nb":"Utskrift"}',
 '[{"key":"printer","required":false,"labels":{"en":"Printer name or location","ru":"Название или расположение принтера","fr":"Nom ou emplacement de l''imprimante","nb":"Skrivernavn eller plassering"},"hints":{"en":"","ru":"","fr":"","nb":""}}]'),
('network', 3,
 '{"en":"Network and internet","ru":"Сеть и интернет","fr":"Réseau et internet","nb":"Nettverk og internett"}',
 '[]'),
('software', 4,
 '{"en":"Program or app","ru":"Программа или приложение","fr":"Logiciel ou application","nb":"Program eller app"}',
 '[{"key":"application","required":true,"labels":{"en":"Application name and version","ru":"Название и версия программы","fr":"Nom et version du logiciel","nb":"Programnavn og versjon"},"hints":{"en":"e.g. Outlook 2021, or \"the accounting app\"","ru":"например Outlook 2021","fr":"par ex. Outlook 2021","nb":"f.eks. Outlook 2021"}}]'),
('account', 5,
 '{"en":"Sign-in, password and access","ru":"Вход, пароль и доступ","fr":"Connexion, mot de passe et accès","nb":"Pålogging, passord og tilgang"}',
 '[]'),
('email', 6,
 '{"en":"Email and calendar","ru":"Почта и календарь","fr":"Messagerie et agenda","nb":"E-post og kalender"}',
 '[]'),
('other', 7,
 '{"en":"Something else","ru":"Другое","fr":"Autre chose","nb":"Noe annet"}',
 '[]');
