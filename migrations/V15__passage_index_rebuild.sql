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
-- The schema is unchanged (the `window` kind stays allowed, and unused).
-- Migrations are append-only: never edit this file once released.

INSERT INTO search_fts (search_fts) VALUES ('delete-all');

DELETE FROM search_passages;
