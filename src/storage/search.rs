//! The passage index (schema V8): the searchable passages of every source
//! revision, their words in an FTS5 table, and a marker per indexed revision.
//!
//! # Design
//!
//! - **When.** A revision of a source (a document that is not an article) is
//!   indexed by the one revision insert (`documents::insert_revision_at`), in its
//!   transaction: `import_source`, `add_revision`, bundle imports and every later
//!   path that adds a revision index it, and a failed write leaves no index row.
//!   The revisions a ledger held before V8 are indexed in the upgrade
//!   transaction, right after the migration (SQL cannot segment text; the runner
//!   calls [`index_missing`] for the migration named [`MIGRATION`]). Indexes
//!   written before V15 held window rows too; V15 empties the index and the
//!   runner indexes the same revisions again ([`reindex`], migration
//!   [`REBUILD`]). An article's
//!   revision is indexed on demand when it is asked for as a source
//!   ([`index_revision`], `Ledger::index_revision`).
//! - **What.** [`crate::text::passages::search_passages`] cuts the text; each
//!   revision's passages get consecutive IDs (so one revision is one rowid range
//!   of the FTS table, and neighbouring sentences neighbouring IDs), and
//!   `search_revisions` records the range, the passage count and the words.
//! - **The FTS table** is contentless and keeps no positions (`detail=none`): the
//!   text is in `revisions` already and the reranking reads it from there. It is
//!   only queried one term at a time ([`postings`]), with the term quoted as an
//!   FTS5 string, within a revision's rowid range.
//! - **Untrusted files.** The probe checks the tables as the migrations define
//!   them (shadow tables included) and [`check_config`] the FTS table's
//!   configuration (only its format version). Corrupt index data is reported by
//!   SQLite as corruption: an error, never a crash.

use crate::text::passages::{SearchKind, index_body, search_passages};
use crate::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// The name of the migration that creates the index (the runner indexes the
/// existing revisions right after it, whatever its number).
pub(crate) const MIGRATION: &str = "passage_index";

/// The name of the migration that empties the index to rebuild it without
/// window rows (the runner calls [`reindex`] right after it).
pub(crate) const REBUILD: &str = "passage_index_rebuild";

/// One indexed revision: its ID range and totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IndexedRevision {
    /// Row ID of the revision.
    pub revision: i64,
    /// First passage ID.
    pub first: i64,
    /// Last passage ID (`first - 1` when it has none).
    pub last: i64,
    /// How many passages.
    pub passages: i64,
    /// How many words in all.
    pub tokens: i64,
}

/// One indexed passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    /// Its ID (the FTS rowid).
    pub id: i64,
    /// Row ID of its revision.
    pub revision: i64,
    /// What it is.
    pub kind: SearchKind,
    /// Byte span.
    pub start: usize,
    /// Byte span end.
    pub end: usize,
    /// Footnote number.
    pub note: Option<u32>,
    /// Words.
    pub tokens: u32,
}

/// Indexes revision `revision` (row ID) holding `text` when its document is not
/// an article. Called by the revision insert.
pub(crate) fn index_new_revision(tx: &Transaction<'_>, document: i64, revision: i64, text: &str) -> Result<()> {
    let kind: String =
        tx.prepare_cached("SELECT kind FROM documents WHERE id = ?1")?.query_row([document], |r| r.get(0))?;
    if kind == crate::DocumentKind::Article.code() {
        return Ok(());
    }
    index_revision(tx, revision, text).map(|_| ())
}

/// Indexes a revision unless it is indexed already; returns its range.
pub(crate) fn index_revision(tx: &Transaction<'_>, revision: i64, text: &str) -> Result<IndexedRevision> {
    if let Some(done) = indexed(tx, revision)? {
        return Ok(done);
    }
    let passages = search_passages(text);
    let first: i64 =
        tx.prepare_cached("SELECT coalesce(max(id), 0) + 1 FROM search_passages")?.query_row([], |r| r.get(0))?;
    let mut put = tx.prepare_cached(
        "INSERT INTO search_passages (id, revision_id, kind, start, end, note, tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut fts = tx.prepare_cached("INSERT INTO search_fts (rowid, body) VALUES (?1, ?2)")?;
    let mut tokens: i64 = 0;
    for (i, p) in passages.iter().enumerate() {
        let id = first + i as i64;
        let body = text.get(p.start..p.end).ok_or_else(|| {
            Error::invalid("passage index", format!("passage {}..{} is not in the text", p.start, p.end))
        })?;
        put.execute(params![id, revision, p.kind.code(), p.start as i64, p.end as i64, p.note, p.tokens])?;
        fts.execute(params![id, index_body(body)])?;
        tokens += i64::from(p.tokens);
    }
    let out = IndexedRevision {
        revision,
        first,
        last: first + passages.len() as i64 - 1,
        passages: passages.len() as i64,
        tokens,
    };
    tx.prepare_cached(
        "INSERT INTO search_revisions (revision_id, first_id, last_id, passages, tokens) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![revision, out.first, out.last, out.passages, out.tokens])?;
    Ok(out)
}

/// Indexes every source revision that is not indexed yet (the upgrade to V8);
/// returns how many it indexed.
pub(crate) fn index_missing(tx: &Transaction<'_>) -> Result<usize> {
    let todo: Vec<i64> = tx
        .prepare(
            "SELECT r.id FROM revisions r JOIN documents d ON d.id = r.document_id
             WHERE d.kind <> 'article' AND r.id NOT IN (SELECT revision_id FROM search_revisions) ORDER BY r.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &rev in &todo {
        let text: String =
            tx.prepare_cached("SELECT text FROM revisions WHERE id = ?1")?.query_row([rev], |r| r.get(0))?;
        index_revision(tx, rev, &text)?;
    }
    Ok(todo.len())
}

/// Indexes again every revision `search_revisions` lists, after the rebuild
/// migration ([`REBUILD`]) emptied the passages and the FTS table: the marker
/// rows are replaced by the new ranges. Returns how many it indexed.
pub(crate) fn reindex(tx: &Transaction<'_>) -> Result<usize> {
    let todo: Vec<i64> = tx
        .prepare("SELECT revision_id FROM search_revisions ORDER BY revision_id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute("DELETE FROM search_revisions", [])?;
    for &rev in &todo {
        let text: String =
            tx.prepare_cached("SELECT text FROM revisions WHERE id = ?1")?.query_row([rev], |r| r.get(0))?;
        index_revision(tx, rev, &text)?;
    }
    Ok(todo.len())
}

/// The IDs of the article revisions that are indexed (on demand: a source's
/// revisions always are), for a bundle to carry.
pub(crate) fn indexed_articles(conn: &Connection) -> Result<Vec<uuid::Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.uuid FROM search_revisions s JOIN revisions r ON r.id = s.revision_id
         JOIN documents d ON d.id = r.document_id WHERE d.kind = 'article' ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for b in rows {
        out.push(uuid::Uuid::from_slice(&b?).map_err(|e| Error::invalid("revisions.uuid", e.to_string()))?);
    }
    Ok(out)
}

/// The index range of a revision, if it is indexed.
pub(crate) fn indexed(conn: &Connection, revision: i64) -> Result<Option<IndexedRevision>> {
    Ok(conn
        .prepare_cached("SELECT first_id, last_id, passages, tokens FROM search_revisions WHERE revision_id = ?1")?
        .query_row([revision], |r| {
            Ok(IndexedRevision { revision, first: r.get(0)?, last: r.get(1)?, passages: r.get(2)?, tokens: r.get(3)? })
        })
        .optional()?)
}

/// The passages of `range` holding `word` (one word as the index tokenizes it).
pub(crate) fn postings(conn: &Connection, word: &str, range: &IndexedRevision) -> Result<Vec<i64>> {
    let phrase = format!("\"{}\"", word.replace('"', "\"\""));
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![phrase, range.first, range.last], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A passage row as read: ID, revision, kind code, start, end, note, words.
type RawRow = (i64, i64, String, i64, i64, Option<u32>, u32);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn finish(
    (id, revision, kind, start, end, note, tokens): (i64, i64, String, i64, i64, Option<u32>, u32),
) -> Result<Row> {
    let kind = SearchKind::from_code(&kind)
        .ok_or_else(|| Error::invalid("passage index", format!("passage {id} has unknown kind {kind:?}")))?;
    let bound = |v: i64| usize::try_from(v).map_err(|_| Error::invalid("passage index", format!("passage {id}")));
    Ok(Row { id, revision, kind, start: bound(start)?, end: bound(end)?, note, tokens })
}

/// One passage by ID.
pub(crate) fn passage(conn: &Connection, id: i64) -> Result<Option<Row>> {
    conn.prepare_cached("SELECT id, revision_id, kind, start, end, note, tokens FROM search_passages WHERE id = ?1")?
        .query_row([id], row)
        .optional()?
        .map(finish)
        .transpose()
}

/// The footnote passage numbered `note` of a revision.
pub(crate) fn footnote(conn: &Connection, revision: i64, note: u32) -> Result<Option<Row>> {
    conn.prepare_cached(
        "SELECT id, revision_id, kind, start, end, note, tokens FROM search_passages
         WHERE revision_id = ?1 AND note = ?2 ORDER BY id LIMIT 1",
    )?
    .query_row(params![revision, note], row)
    .optional()?
    .map(finish)
    .transpose()
}

/// Checks the FTS table's configuration in a file being opened: only its format
/// version, as FTS5 writes it. `Ok(Err(reason))` refuses the file.
pub(crate) fn check_config(conn: &Connection) -> Result<std::result::Result<(), String>> {
    let exists: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'search_fts_config'",
        [],
        |r| r.get(0),
    )?;
    if exists == 0 {
        return Ok(Ok(()));
    }
    let rows: Vec<(rusqlite::types::Value, rusqlite::types::Value)> = conn
        .prepare("SELECT k, v FROM search_fts_config")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    use rusqlite::types::Value;
    for (k, v) in &rows {
        match (k, v) {
            (Value::Text(k), Value::Integer(4 | 5)) if k == "version" => {}
            _ => return Ok(Err(format!("the passage index has an unexpected setting ({k:?} = {v:?})"))),
        }
    }
    Ok(Ok(()))
}
