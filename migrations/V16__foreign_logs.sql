-- claimledger schema, version 16: imported logs nested to any depth.
--
-- Up to this version a bundle import kept one foreign chain, the exporting
-- ledger's own log, in `foreign_events` keyed by the local `bundle_import`
-- event. When that ledger had itself imported a bundle, its import event held
-- the head hash of a third ledger's log, whose events did not travel: a copy
-- two hops away could not check the chain behind it.
--
-- From this version on a ledger keeps every imported log it receives, each a
-- row of `foreign_logs`:
--
-- - `event_id`: the local event whose import brought it;
-- - `depth`: 1 for the bundle's own log, 2 for a log an event of that log had
--   imported, and so on (the depth at which it arrived);
--
-- and `foreign_events` names its log instead of the local event. A log is
-- named by nothing else: its events form a hash chain from the zero hash, and
-- the log is the one whose last hash an event (local, or of another imported
-- log) holds as its `foreign_head`. The same log arriving by two paths is kept
-- once (an import keeps a log only when no event of the ledger has its head
-- hash). The logs already kept become depth-1 logs with the ID of the event
-- that imported them.
--
-- `foreign_events` is rebuilt (its key changes); its rows keep their IDs. The
-- index on `hash` serves the check, on every import, of whether a log is
-- already kept.
-- Migrations are append-only: never edit this file once released.

CREATE TABLE foreign_logs (
    id       INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),  -- the local event whose import brought it
    depth    INTEGER NOT NULL CHECK (depth >= 1)      -- 1: the bundle's own log; 2: a log one of its events imported; ...
) STRICT;

INSERT INTO foreign_logs (id, event_id, depth)
    SELECT DISTINCT event_id, event_id, 1 FROM foreign_events ORDER BY event_id;

CREATE TABLE foreign_events_v15 AS SELECT * FROM foreign_events;

DROP TABLE foreign_events;

CREATE TABLE foreign_events (
    id          INTEGER PRIMARY KEY,
    log_id      INTEGER NOT NULL REFERENCES foreign_logs(id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),        -- place in its chain
    uuid        BLOB NOT NULL CHECK (length(uuid) = 16),
    what        TEXT NOT NULL,
    actor       TEXT,
    created_at  INTEGER NOT NULL,
    counts      TEXT NOT NULL,
    rows_digest BLOB NOT NULL CHECK (length(rows_digest) = 32),
    prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
    foreign_head BLOB CHECK (foreign_head IS NULL OR length(foreign_head) = 32),
    hash        BLOB NOT NULL CHECK (length(hash) = 32),
    UNIQUE (log_id, seq)
) STRICT;

INSERT INTO foreign_events (id, log_id, seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, foreign_head, hash)
    SELECT id, event_id, seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, foreign_head, hash
    FROM foreign_events_v15 ORDER BY id;

DROP TABLE foreign_events_v15;

CREATE INDEX foreign_events_hash ON foreign_events(hash);
CREATE INDEX foreign_logs_event ON foreign_logs(event_id);
