-- The client address (its rate-limit key: IPv4, or the IPv6 /64) a login or reset request
-- came from: the "Renvoyer" cooldown counts per (e-mail, address), so that another address
-- asking for the same e-mail does not hold its owner back.
ALTER TABLE auth_requests ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX auth_requests_email_client ON auth_requests (email, kind, client, created_at);
