-- claimledger schema, version 10: the evidence items footnotes cite, and
-- withdrawals of evidence.
--
-- `evidence_items` holds what the text engine's evidence parser
-- (`src/text/evidence.rs`) reads from a footnote passage: one row per cited
-- item, in footnote order (`seq`), with its byte span in the passage's revision
-- (inside the footnote passage). `origin` is the item's source of knowledge as
-- written (the witness, sender, account, outlet, speaker or author, or the
-- document itself), `origin_key` its normalized form (`origin_key` in the
-- parser); both NULL for items that are no account of the facts (redactions,
-- legal authorities, cross references). `refers_to` links an `Id.` or `supra`
-- item to the item it repeats. Items are written at import and never changed.
--
-- `withdrawals` records that evidence is no longer relied on: every item of an
-- origin (`origin_key`), one item, or every item of a source document. Nothing
-- is ever deleted: a withdrawal is undone by a later row whose `undoes` names
-- it (with its own reason), and an undo cannot itself be undone (withdraw
-- again instead). Exactly one target is set, as `target` says.
-- It depends only on V1's tables.

CREATE TABLE evidence_items (
    id          INTEGER PRIMARY KEY,
    uuid        BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    passage_id  INTEGER NOT NULL REFERENCES passages(id),
    seq         INTEGER NOT NULL CHECK (seq >= 0),
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end >= start),
    kind        TEXT NOT NULL,
    who         TEXT,
    recipients  TEXT NOT NULL DEFAULT '[]',  -- JSON array of names
    date        TEXT,                         -- ISO 8601, full or partial
    pin         TEXT,
    signal      TEXT,
    origin      TEXT,
    origin_key  TEXT,
    refers_to   INTEGER REFERENCES evidence_items(id),
    UNIQUE (passage_id, seq)
) STRICT;
CREATE INDEX evidence_items_origin ON evidence_items(origin_key);

CREATE TABLE withdrawals (
    id          INTEGER PRIMARY KEY,
    uuid        BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    target      TEXT NOT NULL CHECK (target IN ('origin', 'item', 'document', 'undo')),
    origin      TEXT,                         -- as given
    origin_key  TEXT,
    item_id     INTEGER REFERENCES evidence_items(id),
    document_id INTEGER REFERENCES documents(id),
    undoes      INTEGER REFERENCES withdrawals(id),
    reason      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    CHECK ((target = 'origin') = (origin_key IS NOT NULL)),
    CHECK ((target = 'item') = (item_id IS NOT NULL)),
    CHECK ((target = 'document') = (document_id IS NOT NULL)),
    CHECK ((target = 'undo') = (undoes IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX withdrawals_undone ON withdrawals(undoes);
