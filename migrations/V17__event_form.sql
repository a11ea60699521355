-- claimledger schema, version 17: an event form that records what an import kept.
--
-- Up to this version nothing hashed said which imported logs a bundle import
-- kept: a log nested in an import (depth 2 or more), deleted with plain SQL
-- together with its events, read as a log that an older bundle never carried.
--
-- From this version on each event states the version of its canonical form
-- (`form`, see `src/storage/events.rs`):
--
-- - form 1: every event written before this version (they keep it, and their
--   hashes, exactly), and every event that is not a bundle import;
-- - form 2: a bundle import written since. Its canonical form adds `kept`, a
--   JSON array with one object per imported log the import kept
--   (`{"log": head hash, "depth": 1 for the bundle's own log, 2 for one nested
--   in it, ..., "events": how many of its events were kept}`), which `verify`
--   compares with `foreign_logs` and `foreign_events`.
--
-- The imported logs' events carry the same two columns, since a form-2 event
-- of another ledger is checked by its own form.
-- Migrations are append-only: never edit this file once released.

ALTER TABLE events ADD COLUMN form INTEGER NOT NULL DEFAULT 1 CHECK (form IN (1, 2));
ALTER TABLE events ADD COLUMN kept TEXT CHECK ((form = 1) = (kept IS NULL));

ALTER TABLE foreign_events ADD COLUMN form INTEGER NOT NULL DEFAULT 1 CHECK (form IN (1, 2));
ALTER TABLE foreign_events ADD COLUMN kept TEXT CHECK ((form = 1) = (kept IS NULL));
