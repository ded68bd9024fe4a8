-- Teams (src/team.rs): a company's members with a role, pending invitations, the company
-- each session acts for, and who wrote each public reply.

-- A person's place in a company. `owner` does everything (members, contract, deletion
-- request); `manager` answers, invites customers, keeps templates and the company's
-- details; `reader` sees and changes nothing. The server keeps at least one owner.
-- users.company_id is no longer read: a person's companies are their memberships.
CREATE TABLE memberships (
    company_id      TEXT NOT NULL REFERENCES companies(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    role            TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'reader')),
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
INSERT INTO memberships (company_id, user_id, role, created_at)
    SELECT company_id, id, 'owner', created_at FROM users WHERE company_id IS NOT NULL;

-- A colleague invited by e-mail, until they first log in (accepted_at), the owner
-- withdraws it (withdrawn_at) or it expires; mailed send_count times (capped).
CREATE TABLE team_invitations (
    id            TEXT PRIMARY KEY,
    company_id    TEXT NOT NULL REFERENCES companies(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'reader')),
    invited_by    TEXT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    sent_at       BIGINT NOT NULL,
    send_count    BIGINT NOT NULL DEFAULT 1,
    expires_at    BIGINT NOT NULL,
    accepted_at   BIGINT,
    withdrawn_at  BIGINT
);
CREATE INDEX team_invitations_company ON team_invitations (company_id, created_at);
CREATE INDEX team_invitations_user ON team_invitations (user_id);

-- The company a session acts for: chosen after login by a person of several companies,
-- changed in place when they switch.
ALTER TABLE sessions ADD COLUMN company_id TEXT REFERENCES companies(id);
UPDATE sessions SET company_id = (SELECT company_id FROM users WHERE users.id = sessions.user_id);

-- Who wrote the public reply (NULL for replies written before teams).
ALTER TABLE reviews ADD COLUMN reply_author_id TEXT REFERENCES users(id);
