-- What several server instances on one database share, so that they behave as one server
-- (the same tables in PostgreSQL's migration 0007).

-- Rate limits (GCRA): one row per key — a client address, or (e-mail, address) — holding
-- its theoretical arrival time in Unix milliseconds. A key whose time has passed has its
-- whole allowance again, as if it had no row: such rows are deleted every minute.
CREATE TABLE rate_limits (
    key  TEXT PRIMARY KEY,
    tat  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_tat ON rate_limits (tat);

-- Outgoing mail waiting to be delivered: each sealed (encrypted and authenticated under a
-- key derived from the server key, so that a copy of the database does not hold the links
-- and codes of the mails), claimed by one instance at a time (`claimed_until`), retried
-- with a growing delay, and deleted once delivered or given up.
CREATE TABLE mail_queue (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    sealed           BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at);
