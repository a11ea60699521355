-- claimledger schema, version 5: claims in parts.
--
-- A claim may be divided into parts: spans inside its own span (the words of
-- the statement that make one checkable assertion), each with its own
-- citations. A claim without parts is one implicit part, the whole statement,
-- so every ledger written before this version means what it meant.
--
-- `citation_parts` says which parts a citation bears on. A citation linked to no
-- part bears on the whole statement (every part of it); one linked to parts
-- bears on those parts only.
--
-- `claims.evidence` (V3) becomes the aggregate of the parts: the highest class
-- of any part (context < supported < contradicted). `claims.partial` completes
-- it: 1 when some part is supported (has a supporting citation) and not every
-- part is supported as written. With the exemption, the two give the
-- statement's one state (`src/state.rs`):
--   exempt            exemption IS NOT NULL
--   uncited           evidence IS NULL
--   context_only      evidence = 0
--   supported         evidence = 1 AND partial = 0
--   partly_supported  evidence = 1 AND partial = 1
--   contradicted      evidence = 2 (partial = 1: partly supported besides)
-- The writer keeps both up to date. This migration fills `partial` in for
-- existing claims (one implicit part each: a claim both supported and
-- contradicted is contradicted and partly supported, as the audit said before).
-- It depends only on V1's tables and V3's column.
-- Migrations are append-only: never edit this file once released.

ALTER TABLE claims ADD COLUMN partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1));

UPDATE claims SET partial = 1
WHERE evidence = 2
  AND EXISTS (SELECT 1 FROM citations t
              WHERE t.claim_id = claims.id
                AND t.relation IN ('supports', 'quotes', 'paraphrases', 'describes_redaction'));

CREATE TABLE claim_parts (
    id         INTEGER PRIMARY KEY,
    uuid       BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    claim_id   INTEGER NOT NULL REFERENCES claims(id),
    start      INTEGER NOT NULL CHECK (start >= 0),  -- bytes of the claim's revision, inside the claim
    end        INTEGER NOT NULL CHECK (end > start),
    note       TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (claim_id, start, end)
) STRICT;

CREATE TABLE citation_parts (
    part_id     INTEGER NOT NULL REFERENCES claim_parts(id),
    citation_id INTEGER NOT NULL REFERENCES citations(id),
    PRIMARY KEY (part_id, citation_id)
) STRICT;
CREATE INDEX citation_parts_citation ON citation_parts(citation_id);
