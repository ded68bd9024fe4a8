-- Establishments (src/establishments.rs): a company's shops or sites, each with its own
-- reviews. Every company has its main establishment, `et_<company id>`, made with it (and
-- here for the companies already there); a review names its establishment, the main one
-- unless told otherwise. A closed establishment keeps its reviews, read-only.
CREATE TABLE establishments (
    id           TEXT PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies(id),
    name         TEXT NOT NULL,
    address      TEXT,
    postal_code  TEXT,
    city         TEXT,
    created_at   BIGINT NOT NULL,
    closed_at    BIGINT
);
CREATE INDEX establishments_company ON establishments (company_id, created_at);
INSERT INTO establishments (id, company_id, name, address, postal_code, city, created_at)
    SELECT 'et_' || id, id, name, address, postal_code, city, created_at FROM companies;
CREATE FUNCTION companies_main_establishment() RETURNS trigger AS $$
BEGIN
    INSERT INTO establishments (id, company_id, name, created_at)
    VALUES ('et_' || NEW.id, NEW.id, NEW.name, NEW.created_at);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER companies_main_establishment AFTER INSERT ON companies
    FOR EACH ROW EXECUTE FUNCTION companies_main_establishment();

ALTER TABLE reviews ADD COLUMN establishment_id TEXT REFERENCES establishments(id);
UPDATE reviews SET establishment_id = 'et_' || company_id;
CREATE FUNCTION reviews_main_establishment() RETURNS trigger AS $$
BEGIN
    IF NEW.establishment_id IS NULL THEN
        NEW.establishment_id := 'et_' || NEW.company_id;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER reviews_main_establishment BEFORE INSERT ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_main_establishment();
CREATE INDEX reviews_establishment_status_rating ON reviews (establishment_id, status, rating, reply_created_at);
CREATE INDEX reviews_establishment_submitted ON reviews (establishment_id, submitted_at);
