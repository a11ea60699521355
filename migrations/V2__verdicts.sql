-- claimledger schema, version 2: verdicts (a desk's rating of a claim, exported as
-- schema.org ClaimReview) and an index to find documents by URL.
-- Migrations are append-only: never edit this file once released.

CREATE TABLE verdicts (
    id             INTEGER PRIMARY KEY,
    uuid           BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    claim_id       INTEGER NOT NULL REFERENCES claims(id),
    rating_value   INTEGER,                   -- on the desk's scale, NULL for a textual rating only
    best_rating    INTEGER,
    worst_rating   INTEGER,
    alternate_name TEXT NOT NULL CHECK (length(alternate_name) > 0),  -- textual rating, e.g. 'Mostly false'
    author         TEXT,
    date_published TEXT,                      -- ISO 8601 date
    url            TEXT,
    note           TEXT,
    created_at     INTEGER NOT NULL,
    CHECK ((rating_value IS NULL AND best_rating IS NULL AND worst_rating IS NULL)
        OR (rating_value IS NOT NULL AND best_rating IS NOT NULL AND worst_rating IS NOT NULL
            AND worst_rating < best_rating AND rating_value BETWEEN worst_rating AND best_rating))
) STRICT;
CREATE INDEX verdicts_claim ON verdicts(claim_id);

CREATE INDEX documents_identifier ON documents(identifier);
