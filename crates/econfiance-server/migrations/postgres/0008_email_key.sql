-- E-mail addresses compare under one key on both engines: `lower(email)`, which folds
-- ASCII letters only (see SQLite's migration 0008). The ICU `nocase` collation of 0001
-- went further — it took zero-width characters, full-width letters or "ß" and "ss" for the
-- same address, while the per-e-mail limits (keyed in Rust) did not, so each such spelling
-- brought its own allowance. The columns become plain "C" text, unique on the key. The
-- collation itself stays (unused) for instances of the previous release still running
-- during an upgrade, whose queries name it.
ALTER TABLE users DROP CONSTRAINT users_email_key;
ALTER TABLE users ALTER COLUMN email TYPE TEXT COLLATE "C";
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

DROP INDEX auth_requests_email;
DROP INDEX auth_requests_email_client;
ALTER TABLE auth_requests ALTER COLUMN email TYPE TEXT COLLATE "C";
CREATE INDEX auth_requests_email_key ON auth_requests (lower(email), kind, client, created_at);

ALTER TABLE demo_requests ALTER COLUMN email TYPE TEXT COLLATE "C";
CREATE INDEX demo_requests_email_key ON demo_requests (lower(email));
