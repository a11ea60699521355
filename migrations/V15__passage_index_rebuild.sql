-- claimledger schema, version 15: the passage index rebuilt without windows.
--
-- Up to this version the index (V8) held, besides the sentences and footnote
-- texts of each revision, a row for every window of two adjacent sentences,
-- and each revision's totals (`search_revisions.passages`, `.tokens`) counted
-- them. From this version on the windows are scored at query time from their
-- sentences' rows (`crate::suggest`), so a window row would be counted twice
-- and skew the totals every score is normalized by. The index is derived data
-- (no event digest covers it): this migration empties it, and the library
-- indexes again every revision that was indexed, in the same upgrade
-- transaction, right after this migration (`storage::search::reindex`, run by
-- the migration runner for the migration named `passage_index_rebuild`; it
-- reads the revisions to index from `search_revisions` and replaces its rows).
--
-- `search_passages` is created again, empty, with the two kinds it now holds
-- checked as two comparisons: V8's `kind IN (three values)` made SQLite build
-- a temporary table for the check on every insert, a third of the index's
-- cost on `add-source`.
-- Migrations are append-only: never edit this file once released.

INSERT INTO search_fts (search_fts) VALUES ('delete-all');

DROP TABLE search_passages;

CREATE TABLE search_passages (
    id          INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL REFERENCES revisions(id),
    kind        TEXT NOT NULL CHECK (kind = 'sentence' OR kind = 'footnote'),
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end > start),
    note        INTEGER CHECK (note >= 0),
    tokens      INTEGER NOT NULL CHECK (tokens >= 0)
) STRICT;

CREATE INDEX search_passages_note ON search_passages(revision_id, note) WHERE note IS NOT NULL;
