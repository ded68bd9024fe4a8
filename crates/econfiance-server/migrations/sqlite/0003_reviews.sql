-- The company dashboard: reviews (with what French law asks review sites to show), one
-- public reply each, flags, an events feed for notifications, full-text search, and the
-- trust index's control points.

CREATE TABLE reviews (
    seq              INTEGER PRIMARY KEY,            -- order of arrival; paging cursor
    id               TEXT NOT NULL UNIQUE,           -- public id (random)
    company_id       TEXT NOT NULL REFERENCES companies(id),
    rating           INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    language         TEXT NOT NULL DEFAULT 'fr',
    author_name      TEXT NOT NULL,
    experience_date  TEXT NOT NULL,                  -- YYYY-MM-DD
    submitted_at     INTEGER NOT NULL,
    published_at     INTEGER,
    updated_at       INTEGER,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    rejection_reason TEXT,
    verified         INTEGER NOT NULL DEFAULT 0,
    source           TEXT NOT NULL CHECK (source IN ('invitation', 'organic', 'import')),
    reply_body       TEXT,
    reply_created_at INTEGER,
    reply_updated_at INTEGER
);
CREATE INDEX reviews_company_submitted ON reviews (company_id, submitted_at DESC, seq DESC);
CREATE INDEX reviews_company_rating ON reviews (company_id, rating);

-- Accent-folded full-text index over title, body and author (external content).
CREATE VIRTUAL TABLE reviews_fts USING fts5(
    title, body, author_name,
    content = 'reviews', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER reviews_fts_insert AFTER INSERT ON reviews BEGIN
    INSERT INTO reviews_fts (rowid, title, body, author_name)
    VALUES (new.seq, new.title, new.body, new.author_name);
END;
CREATE TRIGGER reviews_fts_delete AFTER DELETE ON reviews BEGIN
    INSERT INTO reviews_fts (reviews_fts, rowid, title, body, author_name)
    VALUES ('delete', old.seq, old.title, old.body, old.author_name);
END;
CREATE TRIGGER reviews_fts_update AFTER UPDATE OF title, body, author_name ON reviews BEGIN
    INSERT INTO reviews_fts (reviews_fts, rowid, title, body, author_name)
    VALUES ('delete', old.seq, old.title, old.body, old.author_name);
    INSERT INTO reviews_fts (rowid, title, body, author_name)
    VALUES (new.seq, new.title, new.body, new.author_name);
END;

CREATE TABLE review_flags (
    id          INTEGER PRIMARY KEY,
    review_id   TEXT NOT NULL REFERENCES reviews(id),
    company_id  TEXT NOT NULL REFERENCES companies(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    reason      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX review_flags_review ON review_flags (review_id);

-- What the app's notifications follow: one row per new or updated review.
CREATE TABLE review_events (
    seq         INTEGER PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies(id),
    kind        TEXT NOT NULL CHECK (kind IN ('review_created', 'review_updated')),
    review_id   TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX review_events_company ON review_events (company_id, seq);

-- The trust index: each control point's state for a company.
CREATE TABLE trust_points (
    company_id  TEXT NOT NULL REFERENCES companies(id),
    point       TEXT NOT NULL CHECK (point IN ('legal_information', 'ssl', 'after_sales',
                    'payment_delivery', 'marketplace', 'online_presence')),
    status      TEXT NOT NULL CHECK (status IN ('passed', 'partial', 'failed', 'pending')),
    checked_at  INTEGER NOT NULL,
    PRIMARY KEY (company_id, point)
);
