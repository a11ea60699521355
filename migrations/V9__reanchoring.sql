-- claimledger schema, version 9: sources change.
--
-- A re-anchoring carries the passages, redactions and quotations of one revision
-- of a source to another revision of the same document. Nothing is updated in
-- place: a passage that lands gets a passage row of the new revision (the
-- citations of the old one are copied to it as new citation rows), and
-- `anchor_moves` records, for every anchor of the old revision, where it landed
-- and in what state. It depends only on V1's tables.
-- Migrations are append-only: never edit this file once released.

CREATE TABLE reanchorings (
    id            INTEGER PRIMARY KEY,
    uuid          BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    from_revision INTEGER NOT NULL REFERENCES revisions(id),
    to_revision   INTEGER NOT NULL REFERENCES revisions(id),
    actor         TEXT,
    created_at    INTEGER NOT NULL,
    CHECK (from_revision <> to_revision),
    UNIQUE (from_revision, to_revision)
) STRICT;

CREATE TABLE anchor_moves (
    id             INTEGER PRIMARY KEY,
    reanchoring_id INTEGER NOT NULL REFERENCES reanchorings(id),
    kind           TEXT NOT NULL,                 -- passage | redaction | quotation
    passage_id     INTEGER REFERENCES passages(id),     -- the anchor of the old revision:
    redaction_id   INTEGER REFERENCES redactions(id),   -- exactly one of these three
    quotation_id   INTEGER REFERENCES quotations(id),
    state          TEXT NOT NULL,                 -- same | moved | changed | orphaned | released | kept
    start          INTEGER CHECK (start >= 0),    -- bytes in the new revision, NULL when orphaned
    end            INTEGER CHECK (end >= start),
    new_passage_id INTEGER REFERENCES passages(id),     -- the passage row the citations followed to
    score          REAL,
    differences    TEXT NOT NULL DEFAULT '[]',    -- JSON [{"quoted" (old), "source" (new)}]
    released_text  TEXT,                          -- the words in a released redaction's place
    reason         TEXT,                          -- why an anchor is orphaned
    CHECK ((passage_id IS NOT NULL) + (redaction_id IS NOT NULL) + (quotation_id IS NOT NULL) = 1),
    CHECK ((start IS NULL) = (end IS NULL))
) STRICT;
CREATE INDEX anchor_moves_reanchoring ON anchor_moves(reanchoring_id);
CREATE INDEX anchor_moves_passage ON anchor_moves(passage_id);
CREATE INDEX anchor_moves_redaction ON anchor_moves(redaction_id);
CREATE INDEX anchor_moves_new_passage ON anchor_moves(new_passage_id);
