-- claimledger schema, version 8: the passage index, for finding evidence.
--
-- Every revision of a source (a document that is not an article) is cut into
-- searchable passages (sentences, footnote texts, windows of two adjacent
-- sentences: `text::passages`) when it is written, in the same transaction.
-- `search_passages` holds their spans (UTF-8 bytes) and word counts, numbered in
-- a fixed order per revision (sentences, footnotes, windows), so one revision's
-- passages are one contiguous range of IDs; `search_fts` holds their words
-- (contentless: the text stays in `revisions`; no positions: the reranking reads
-- the text); `search_revisions` marks each indexed revision with its range.
-- SQL cannot segment text: the revisions already in the ledger are indexed by
-- the library in the same upgrade transaction, right after this migration
-- (`storage::search::index_missing`, run by the migration runner for the
-- migration named `passage_index`).
-- It depends only on V1's tables.

CREATE TABLE search_passages (
    id          INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL REFERENCES revisions(id),
    kind        TEXT NOT NULL CHECK (kind IN ('sentence', 'footnote', 'window')),
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end > start),
    note        INTEGER CHECK (note >= 0),
    tokens      INTEGER NOT NULL CHECK (tokens >= 0)
) STRICT;

CREATE INDEX search_passages_note ON search_passages(revision_id, note) WHERE note IS NOT NULL;

CREATE TABLE search_revisions (
    revision_id INTEGER PRIMARY KEY REFERENCES revisions(id),
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL,
    passages    INTEGER NOT NULL CHECK (passages >= 0),
    tokens      INTEGER NOT NULL CHECK (tokens >= 0)
) STRICT;

CREATE VIRTUAL TABLE search_fts USING fts5(
    body,
    content = '',
    detail = none,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
