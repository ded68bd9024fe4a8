-- The fingerprint of the server key the database was first started with (src/key_check.rs):
-- an instance started with another key is refused.
CREATE TABLE server_key (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint  TEXT NOT NULL
);
