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

-- The history: an append-only log of every change, written in the same
-- transaction as the change. Each event says what was done, when and by whom,
-- how many rows of each table it wrote, and holds the SHA-256 digest of each of
-- those rows (`event_rows`, the row's canonical form); `rows_digest` is the
-- digest of that list, and `hash` the SHA-256 of the previous event's hash and
-- this event's canonical form (a hash chain: `prev_hash` of the first event is
-- 32 zero bytes). `claimledger verify` recomputes all of it.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,              -- the chain's order
    uuid        BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    what        TEXT NOT NULL,                    -- import_source | trace | reanchor | verdict | bundle_import | ...
    actor       TEXT,
    created_at  INTEGER NOT NULL,
    counts      TEXT NOT NULL DEFAULT '{}',       -- JSON object: rows written per table
    rows_digest BLOB NOT NULL CHECK (length(rows_digest) = 32),
    prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash        BLOB NOT NULL UNIQUE CHECK (length(hash) = 32)
) STRICT;

CREATE TABLE event_rows (
    event_id INTEGER NOT NULL REFERENCES events(id),
    tbl      TEXT NOT NULL,
    row_id   INTEGER NOT NULL,
    digest   BLOB NOT NULL CHECK (length(digest) = 32),
    PRIMARY KEY (event_id, tbl, row_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_rows_row ON event_rows(tbl, row_id);
