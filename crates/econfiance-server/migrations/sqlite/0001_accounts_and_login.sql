-- Accounts, login and reset requests, sessions and their tokens, the sandbox outbox and
-- the platform status. Times are Unix seconds (UTC). Secrets are stored only as HMAC-SHA256
-- digests keyed with the server's own key.

CREATE TABLE companies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    company_id           TEXT REFERENCES companies(id),
    email                TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash        TEXT,
    locale               TEXT NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
    created_at           INTEGER NOT NULL,
    password_changed_at  INTEGER
);

-- Login and password-reset requests. A request for an unknown e-mail is stored the same
-- way (user_id NULL) so that answers and work do not reveal which e-mails exist.
CREATE TABLE auth_requests (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('login', 'reset')),
    email            TEXT NOT NULL,
    user_id          TEXT REFERENCES users(id),
    secret_digest    BLOB NOT NULL,
    code_challenge   TEXT NOT NULL,
    device_name      TEXT NOT NULL,
    device_os        TEXT NOT NULL,
    app_version      TEXT NOT NULL,
    locale           TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    consumed_at      INTEGER
);
CREATE INDEX auth_requests_email ON auth_requests (email, created_at);

-- A session is one logged-in device: the "family" of all refresh tokens rotated from its
-- first one. Revoking it ends every token of the family.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    device_name     TEXT NOT NULL,
    device_os       TEXT NOT NULL,
    app_version     TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    revoked_reason  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    digest      BLOB PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    generation  INTEGER NOT NULL,
    issued_at   INTEGER NOT NULL,
    rotated_at  INTEGER
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id, generation);

CREATE TABLE access_tokens (
    digest      BLOB PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    expires_at  INTEGER NOT NULL
);

-- Sandbox mode only: mails kept here instead of being sent, browsable at /dev/mailbox.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE platform_status (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    state       TEXT NOT NULL CHECK (state IN ('operational', 'degraded', 'outage')),
    message_fr  TEXT,
    message_en  TEXT,
    updated_at  INTEGER NOT NULL
);
