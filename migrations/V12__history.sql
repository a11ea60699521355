-- claimledger schema, version 12: the history, written.
--
-- V9 created `events` and `event_rows`; from this version on every write of the
-- library appends one event to them, in the write's own transaction (see
-- `src/storage/events.rs` for the canonical forms that the digests and the
-- hash chain cover). Two additions:
--
-- - `events.foreign_head`: a bundle import carries the exporting ledger's log;
--   its local event holds the head hash of that foreign chain, so the local
--   chain covers it;
-- - `foreign_events`: the events of the imported chains, as they were exported
--   (their row digests name the exporting ledger's rows, so only their chain is
--   checked, from the genesis to the head the local event holds).
--
-- The rows already in a ledger upgraded to this version get one `genesis`
-- event, written by the library in the upgrade transaction right after this
-- migration (`storage::events::genesis`, run by the migration runner for the
-- migration named `history`).
-- Migrations are append-only: never edit this file once released.

ALTER TABLE events ADD COLUMN foreign_head BLOB CHECK (foreign_head IS NULL OR length(foreign_head) = 32);

CREATE TABLE foreign_events (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),  -- the local bundle_import event
    seq         INTEGER NOT NULL CHECK (seq >= 1),        -- place in the foreign chain
    uuid        BLOB NOT NULL CHECK (length(uuid) = 16),
    what        TEXT NOT NULL,
    actor       TEXT,
    created_at  INTEGER NOT NULL,
    counts      TEXT NOT NULL,
    rows_digest BLOB NOT NULL CHECK (length(rows_digest) = 32),
    prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
    foreign_head BLOB CHECK (foreign_head IS NULL OR length(foreign_head) = 32),
    hash        BLOB NOT NULL CHECK (length(hash) = 32),
    UNIQUE (event_id, seq)
) STRICT;
