-- Answering faster and hearing about reviews (src/templates.rs, src/alerts.rs,
-- src/support.rs): reply templates, support conversations, e-mail alerts and the weekly
-- digest.

-- A company's reply templates; the starters are written once (templates_seeded).
CREATE TABLE reply_templates (
    id          TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies(id),
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    min_rating  INTEGER NOT NULL CHECK (min_rating BETWEEN 1 AND 5),
    max_rating  INTEGER NOT NULL CHECK (max_rating BETWEEN 1 AND 5),
    topic       TEXT CHECK (topic IN ('accueil', 'prix', 'delai', 'qualite')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX reply_templates_company ON reply_templates (company_id);
ALTER TABLE companies ADD COLUMN templates_seeded INTEGER NOT NULL DEFAULT 0;

-- The messages of a support ticket after its first (kept in support_tickets.message), in
-- order: the owner's follow-ups and the team's answers.
CREATE TABLE support_messages (
    seq         INTEGER PRIMARY KEY,
    reference   TEXT NOT NULL REFERENCES support_tickets(reference),
    author      TEXT NOT NULL CHECK (author IN ('customer', 'support')),
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX support_messages_ticket ON support_messages (reference, seq);
INSERT INTO support_messages (reference, author, body, created_at)
    SELECT reference, 'support', answer, answered_at FROM support_tickets
    WHERE answer IS NOT NULL AND answered_at IS NOT NULL;

-- E-mail alerts: each new review at or below alert_max_rating (NULL: none), and the weekly
-- digest; both per user.
ALTER TABLE users ADD COLUMN alert_max_rating INTEGER CHECK (alert_max_rating BETWEEN 1 AND 5);
ALTER TABLE users ADD COLUMN weekly_digest INTEGER NOT NULL DEFAULT 0;

-- One row per digest period ever run: the instance whose INSERT wins sends it.
CREATE TABLE digest_runs (
    period      TEXT PRIMARY KEY,
    claimed_at  INTEGER NOT NULL
);

-- New reviews waiting for their alert mails: written with the review, claimed by one
-- instance (sent_at) which queues the mails in the same transaction.
CREATE TABLE review_alerts (
    review_id   TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies(id),
    rating      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
);
CREATE INDEX review_alerts_waiting ON review_alerts (sent_at, created_at);
