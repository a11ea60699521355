-- claimledger schema, version 1.
--
-- Stand-off model: text lives only in `revisions`; every other row that points
-- into text holds a revision row ID and a byte span of that revision's text.
-- Tables join on INTEGER row IDs; the 16-byte UUIDv7 in `uuid` is the external
-- identity. Enumerations are stored as stable lowercase codes. Instants are INTEGER
-- Unix milliseconds (UTC); calendar dates are ISO 8601 TEXT (YYYY-MM-DD).
-- Migrations are append-only: never edit this file once released.

PRAGMA application_id = 1129072455; -- 0x434C4747, 'CLGG'

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    uuid        BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    creators    TEXT NOT NULL DEFAULT '[]',  -- JSON array of names
    publisher   TEXT,
    published   TEXT,                         -- ISO 8601 date
    identifier  TEXT,                         -- canonical URL or identifier
    metadata    TEXT NOT NULL DEFAULT '{}',  -- JSON object
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX documents_title ON documents(title);

CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    uuid        BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),  -- 1, 2, ... per document
    text        TEXT NOT NULL,
    sha256      BLOB NOT NULL CHECK (length(sha256) = 32),
    byte_len    INTEGER NOT NULL,
    char_len    INTEGER NOT NULL,
    page_labels TEXT,                         -- JSON array of printed page labels, or NULL
    created_at  INTEGER NOT NULL,
    UNIQUE (document_id, sha256),
    UNIQUE (document_id, seq)
) STRICT;

CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    uuid           BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    revision_id    INTEGER NOT NULL REFERENCES revisions(id),
    start          INTEGER NOT NULL CHECK (start >= 0),
    end            INTEGER NOT NULL CHECK (end >= start),
    kind           TEXT NOT NULL,
    exemption      TEXT,                      -- reason code, NULL when the claim needs a source
    exemption_note TEXT,
    created_at     INTEGER NOT NULL,
    UNIQUE (revision_id, start, end)
) STRICT;

CREATE TABLE passages (
    id          INTEGER PRIMARY KEY,
    uuid        BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    revision_id INTEGER NOT NULL REFERENCES revisions(id),
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end >= start),
    kind        TEXT NOT NULL,
    footnote    INTEGER,                      -- footnote number for footnote passages
    exact       TEXT NOT NULL,                -- W3C TextQuoteSelector
    prefix      TEXT NOT NULL,
    suffix      TEXT NOT NULL,
    cp_start    INTEGER NOT NULL,             -- W3C TextPositionSelector (code points)
    cp_end      INTEGER NOT NULL,
    page        INTEGER,                      -- page of the start, NULL for unpaged text
    created_at  INTEGER NOT NULL,
    UNIQUE (revision_id, start, end, kind)
) STRICT;

CREATE TABLE quotations (
    id              INTEGER PRIMARY KEY,
    uuid            BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    claim_id        INTEGER NOT NULL REFERENCES claims(id),
    start           INTEGER NOT NULL CHECK (start >= 0),  -- in the claim's revision
    end             INTEGER NOT NULL CHECK (end >= start),
    passage_id      INTEGER REFERENCES passages(id),
    speaker         TEXT,
    status          TEXT NOT NULL,
    tier            TEXT,
    score           REAL,
    candidate_count INTEGER NOT NULL DEFAULT 0,
    differences     TEXT NOT NULL DEFAULT '[]',  -- JSON
    edits           TEXT NOT NULL DEFAULT '[]',  -- JSON
    candidates      TEXT NOT NULL DEFAULT '[]',  -- JSON
    acknowledged    TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (claim_id, start, end)
) STRICT;
CREATE INDEX quotations_passage ON quotations(passage_id);

CREATE TABLE redaction_reasons (
    id      INTEGER PRIMARY KEY,
    scheme  TEXT NOT NULL,
    code    TEXT NOT NULL,
    label   TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',       -- JSON array
    UNIQUE (scheme, code)
) STRICT;

CREATE TABLE redactions (
    id           INTEGER PRIMARY KEY,
    uuid         BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    revision_id  INTEGER NOT NULL REFERENCES revisions(id),
    start        INTEGER NOT NULL CHECK (start >= 0),
    end          INTEGER NOT NULL CHECK (end >= start),
    label        TEXT NOT NULL,               -- as written in the source
    scheme       TEXT,                        -- NULL when the label is unknown
    code         TEXT,
    approx_chars INTEGER,
    created_at   INTEGER NOT NULL,
    UNIQUE (revision_id, start, end)
) STRICT;

CREATE TABLE citations (
    id          INTEGER PRIMARY KEY,
    uuid        BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    claim_id    INTEGER NOT NULL REFERENCES claims(id),
    passage_id  INTEGER NOT NULL REFERENCES passages(id),
    relation    TEXT NOT NULL,
    note        TEXT,
    recorded_by TEXT,
    created_at  INTEGER NOT NULL,
    UNIQUE (claim_id, passage_id, relation)
) STRICT;
CREATE INDEX citations_passage ON citations(passage_id);

CREATE TABLE derivations (
    id         INTEGER PRIMARY KEY,
    uuid       BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    from_id    INTEGER NOT NULL REFERENCES passages(id),
    to_id      INTEGER NOT NULL REFERENCES passages(id),
    kind       TEXT NOT NULL,
    note       TEXT,
    created_at INTEGER NOT NULL,
    CHECK (from_id <> to_id),
    UNIQUE (from_id, to_id, kind)
) STRICT;
CREATE INDEX derivations_to ON derivations(to_id);
