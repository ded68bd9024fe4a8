-- The client address (IPv4, or the IPv6 /64) each demo booking and support message came
-- from: one address may book 3 demos a day and send 5 support messages an hour, counted
-- in the same statement that stores them.
ALTER TABLE demo_requests ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX demo_requests_client ON demo_requests (client, created_at);
ALTER TABLE support_tickets ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX support_tickets_client ON support_tickets (client, created_at);
