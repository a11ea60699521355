-- claimledger schema, version 7: what a ClaimReview says beyond the rating.
-- Whether the verdict's author is a person or an organization and its URL, and
-- who made the claim rated (name, kind, URL) and when (schema.org Claim.author,
-- Claim.datePublished).
-- Migrations are append-only: never edit this file once released.

ALTER TABLE verdicts ADD COLUMN author_type TEXT CHECK (author_type IN ('person', 'organization'));
ALTER TABLE verdicts ADD COLUMN author_url TEXT;
ALTER TABLE verdicts ADD COLUMN claim_author TEXT;
ALTER TABLE verdicts ADD COLUMN claim_author_type TEXT CHECK (claim_author_type IN ('person', 'organization'));
ALTER TABLE verdicts ADD COLUMN claim_author_url TEXT;
ALTER TABLE verdicts ADD COLUMN claim_date TEXT;  -- ISO 8601 date
