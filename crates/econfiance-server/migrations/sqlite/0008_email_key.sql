-- E-mail addresses compare under one key on both engines: `lower(email)`, which folds
-- ASCII letters only (SQLite's `lower` and `NOCASE`, and PostgreSQL's `lower` on a "C"
-- column, alike). The server computes the same key in Rust (`auth::email_key`) for the
-- per-e-mail limits, so that a spelling reaching an account also shares its allowance.
-- The users' unique constraint (NOCASE) already means the same; these indexes serve the
-- lookups by key (the "Renvoyer" cooldown and the data export).
DROP INDEX auth_requests_email;
DROP INDEX auth_requests_email_client;
CREATE INDEX auth_requests_email_key ON auth_requests (lower(email), kind, client, created_at);
CREATE INDEX users_email_key ON users (lower(email));
CREATE INDEX demo_requests_email_key ON demo_requests (lower(email));
