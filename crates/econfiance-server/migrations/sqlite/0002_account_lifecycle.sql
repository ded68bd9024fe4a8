-- The account lifecycle: demo bookings, company and person details (onboarding),
-- contracts, and support tickets.

CREATE TABLE demo_requests (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    company      TEXT NOT NULL,
    email        TEXT NOT NULL,
    phone        TEXT NOT NULL,
    slot_start   INTEGER NOT NULL,
    message      TEXT,
    locale       TEXT NOT NULL DEFAULT 'fr',
    created_at   INTEGER NOT NULL,
    opened_user_id TEXT REFERENCES users(id)
);
-- A slot can never be booked twice, even by concurrent requests.
CREATE UNIQUE INDEX demo_requests_slot ON demo_requests (slot_start);

ALTER TABLE companies ADD COLUMN siret TEXT;
ALTER TABLE companies ADD COLUMN address TEXT;
ALTER TABLE companies ADD COLUMN postal_code TEXT;
ALTER TABLE companies ADD COLUMN city TEXT;
ALTER TABLE companies ADD COLUMN website TEXT;
ALTER TABLE companies ADD COLUMN sector TEXT;
ALTER TABLE companies ADD COLUMN phone TEXT;
ALTER TABLE companies ADD COLUMN plan TEXT NOT NULL DEFAULT 'standard'
    CHECK (plan IN ('starter', 'standard', 'pro', 'premium'));
ALTER TABLE companies ADD COLUMN contract_started_at INTEGER;

ALTER TABLE users ADD COLUMN first_name TEXT;
ALTER TABLE users ADD COLUMN last_name TEXT;
ALTER TABLE users ADD COLUMN job_title TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN onboarded_at INTEGER;

CREATE TABLE support_tickets (
    reference      TEXT PRIMARY KEY,
    user_id        TEXT REFERENCES users(id),
    company_id     TEXT REFERENCES companies(id),
    contact_email  TEXT NOT NULL,
    locale         TEXT NOT NULL DEFAULT 'fr',
    category       TEXT NOT NULL
        CHECK (category IN ('connexion', 'bug', 'facturation', 'suppression_compte', 'autre')),
    subject        TEXT NOT NULL,
    message        TEXT NOT NULL,
    diagnostics    TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    created_at     INTEGER NOT NULL,
    respond_by     INTEGER NOT NULL,
    answer         TEXT,
    answered_at    INTEGER,
    closed_at      INTEGER
);
CREATE INDEX support_tickets_user ON support_tickets (user_id, created_at);

-- Calendar invitations travel with the demo confirmation mail.
ALTER TABLE outbox ADD COLUMN ics TEXT;
