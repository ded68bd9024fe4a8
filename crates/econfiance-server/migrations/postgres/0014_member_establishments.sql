-- Establishments per member and per invitation (src/scope.rs): a member with rows in
-- member_establishments sees and acts on those establishments only (their reviews,
-- customer invitations, review links, alerts); a member without sees every one. Owners
-- are never limited.
CREATE TABLE member_establishments (
    company_id        TEXT NOT NULL REFERENCES companies(id),
    user_id           TEXT NOT NULL REFERENCES users(id),
    establishment_id  TEXT NOT NULL REFERENCES establishments(id),
    PRIMARY KEY (company_id, user_id, establishment_id)
);
CREATE INDEX member_establishments_user ON member_establishments (user_id, establishment_id);

-- The establishments an open team invitation offers, copied to member_establishments when
-- it is accepted (none: all of them).
CREATE TABLE team_invitation_establishments (
    invitation_id     TEXT NOT NULL REFERENCES team_invitations(id),
    establishment_id  TEXT NOT NULL REFERENCES establishments(id),
    PRIMARY KEY (invitation_id, establishment_id)
);

-- A customer invitation asks about one establishment (the main one before this).
ALTER TABLE invitations ADD COLUMN establishment_id TEXT REFERENCES establishments(id);
UPDATE invitations SET establishment_id = 'et_' || company_id;

-- Every establishment but the main one has its own shareable review link, made when first
-- asked for; the main one keeps the company's (review_links).
ALTER TABLE establishments ADD COLUMN review_token TEXT;
CREATE UNIQUE INDEX establishments_review_token ON establishments (review_token);
