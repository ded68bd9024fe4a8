-- Asking customers for reviews (src/invitations): invitations mailed by the platform, the
-- customers who asked a company not to write again, and each company's shareable link.

-- One invitation: its form link's token is kept as a keyed digest only. `order_ref` is ''
-- when none was given, so that the 30-day rule compares e-mail and order with `=`.
CREATE TABLE invitations (
    seq              INTEGER PRIMARY KEY,            -- paging cursor, newest first
    id               TEXT NOT NULL UNIQUE,
    company_id       TEXT NOT NULL REFERENCES companies(id),
    email            TEXT NOT NULL,                  -- lower-cased
    customer_name    TEXT NOT NULL,
    order_ref        TEXT NOT NULL DEFAULT '',
    experience_date  TEXT,                           -- YYYY-MM-DD
    locale           TEXT NOT NULL CHECK (locale IN ('fr', 'en')),
    token_digest     BLOB NOT NULL UNIQUE,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    opened_at        INTEGER,
    reviewed_at      INTEGER,
    review_id        TEXT,
    refused_at       INTEGER,
    unsubscribed_at  INTEGER
);
CREATE INDEX invitations_company_created ON invitations (company_id, created_at);
CREATE INDEX invitations_company_email ON invitations (company_id, email, order_ref, created_at);

CREATE TABLE invitation_unsubscribes (
    company_id  TEXT NOT NULL REFERENCES companies(id),
    email       TEXT NOT NULL,                       -- lower-cased
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (company_id, email)
);

-- The shareable review link (a shop counter, a receipt): public, not a secret.
CREATE TABLE review_links (
    company_id  TEXT PRIMARY KEY REFERENCES companies(id),
    token       TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
