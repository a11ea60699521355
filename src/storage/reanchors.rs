//! Re-anchorings: which revision of a source was carried to which, and where
//! each anchor of the old revision landed (`anchor_moves`). Rows are only ever
//! inserted; the passages and citations that follow live in their own tables.

use super::{from_json, row_id, to_json};
use crate::{AnchorKind, AnchorState, Difference, Entity, PassageId, QuotationId, RedactionId, Result, RevisionId};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// One anchor's landing, as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MoveRow {
    pub kind: AnchorKind,
    /// The old anchor: exactly one of these.
    pub passage: Option<PassageId>,
    pub redaction: Option<RedactionId>,
    pub quotation: Option<QuotationId>,
    pub state: AnchorState,
    /// Byte span in the new revision.
    pub span: Option<(usize, usize)>,
    /// The passage row of the new revision its citations followed to.
    pub new_passage: Option<PassageId>,
    pub score: Option<f64>,
    pub differences: Vec<Difference>,
    pub released_text: Option<String>,
    pub reason: Option<String>,
}

/// Whether `from` was already carried to `to`.
pub(crate) fn exists(conn: &Connection, from: RevisionId, to: RevisionId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM reanchorings x JOIN revisions f ON f.id = x.from_revision
             JOIN revisions t ON t.id = x.to_revision WHERE f.uuid = ?1 AND t.uuid = ?2",
        )?
        .query_row(params![from, to], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Inserts a re-anchoring and returns its row ID.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    uuid: uuid::Uuid,
    from: RevisionId,
    to: RevisionId,
    actor: Option<&str>,
    created: i64,
) -> Result<i64> {
    let f = row_id(tx, Entity::Revision, &from)?;
    let t = row_id(tx, Entity::Revision, &to)?;
    tx.prepare_cached(
        "INSERT INTO reanchorings (uuid, from_revision, to_revision, actor, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![uuid.as_bytes().as_slice(), f, t, actor, created])?;
    Ok(tx.last_insert_rowid())
}

/// Inserts one anchor's landing.
pub(crate) fn insert_move(tx: &Transaction<'_>, reanchoring: i64, m: &MoveRow) -> Result<()> {
    let passage = m.passage.map(|p| row_id(tx, Entity::Passage, &p)).transpose()?;
    let redaction = m.redaction.map(|r| row_id(tx, Entity::Redaction, &r)).transpose()?;
    let quotation = m.quotation.map(|q| row_id(tx, Entity::Quotation, &q)).transpose()?;
    let new_passage = m.new_passage.map(|p| row_id(tx, Entity::Passage, &p)).transpose()?;
    tx.prepare_cached(
        "INSERT INTO anchor_moves (reanchoring_id, kind, passage_id, redaction_id, quotation_id, state, start, end,
             new_passage_id, score, differences, released_text, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        reanchoring,
        m.kind,
        passage,
        redaction,
        quotation,
        m.state,
        m.span.map(|s| s.0 as i64),
        m.span.map(|s| s.1 as i64),
        new_passage,
        m.score,
        to_json("differences", &m.differences)?,
        m.released_text,
        m.reason,
    ])?;
    Ok(())
}

/// How a passage of an old revision was carried, in its latest re-anchoring.
#[derive(Debug, Clone)]
pub(crate) struct PassageFollow {
    pub state: AnchorState,
    pub new_passage: Option<PassageId>,
    /// Sequence numbers of the revisions carried from and to.
    pub from_seq: u32,
    pub to_seq: u32,
    pub differences: Vec<Difference>,
    pub reason: Option<String>,
}

/// The latest landing of every passage of revision `rev` that was re-anchored.
pub(crate) fn passage_follows(conn: &Connection, rev: RevisionId) -> Result<Vec<(PassageId, PassageFollow)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.uuid, m.state, np.uuid, f.seq, t.seq, m.differences, m.reason
         FROM anchor_moves m JOIN passages p ON p.id = m.passage_id
         JOIN reanchorings x ON x.id = m.reanchoring_id
         JOIN revisions f ON f.id = x.from_revision JOIN revisions t ON t.id = x.to_revision
         LEFT JOIN passages np ON np.id = m.new_passage_id
         WHERE f.uuid = ?1 ORDER BY x.uuid",
    )?;
    let rows = stmt.query_map([rev], |r| {
        Ok((
            r.get::<_, PassageId>(0)?,
            r.get::<_, AnchorState>(1)?,
            r.get::<_, Option<PassageId>>(2)?,
            r.get::<_, u32>(3)?,
            r.get::<_, u32>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (p, state, new_passage, from_seq, to_seq, diffs, reason) = r?;
        let differences = from_json("differences", &diffs)?;
        // Later re-anchorings replace earlier ones (by ID, UUID v7: the order
        // they were made in, wherever they were imported).
        out.retain(|(q, _): &(PassageId, PassageFollow)| *q != p);
        out.push((p, PassageFollow { state, new_passage, from_seq, to_seq, differences, reason }));
    }
    Ok(out)
}

/// Redactions of revision `rev` that a re-anchoring found released: the
/// redaction, the words in its place, and the sequence number of the revision
/// that prints them.
pub(crate) fn released(conn: &Connection, rev: RevisionId) -> Result<Vec<(RedactionId, String, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.uuid, m.released_text, t.seq
         FROM anchor_moves m JOIN redactions d ON d.id = m.redaction_id
         JOIN reanchorings x ON x.id = m.reanchoring_id
         JOIN revisions f ON f.id = x.from_revision JOIN revisions t ON t.id = x.to_revision
         WHERE f.uuid = ?1 AND m.state = 'released' ORDER BY x.uuid, d.start, d.end, d.uuid",
    )?;
    let rows =
        stmt.query_map([rev], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default(), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Quotations anchored in a passage of revision `rev`, with that passage, in
/// text order.
pub(crate) fn quotations_on(conn: &Connection, rev: RevisionId) -> Result<Vec<(QuotationId, PassageId)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT q.uuid, p.uuid FROM quotations q JOIN passages p ON p.id = q.passage_id
         JOIN revisions r ON r.id = p.revision_id WHERE r.uuid = ?1 ORDER BY p.start, q.id",
    )?;
    let rows = stmt.query_map([rev], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A re-anchoring as stored, for the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    /// Its row ID.
    pub row: i64,
    pub uuid: uuid::Uuid,
    pub from: RevisionId,
    pub to: RevisionId,
    pub actor: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
}

const STORED: &str = "SELECT x.id, x.uuid, f.uuid, t.uuid, x.actor, x.created_at FROM reanchorings x
     JOIN revisions f ON f.id = x.from_revision JOIN revisions t ON t.id = x.to_revision";

fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    let uuid: Vec<u8> = r.get(1)?;
    let uuid = uuid::Uuid::from_slice(&uuid)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Blob, Box::new(e)))?;
    Ok(Stored { row: r.get(0)?, uuid, from: r.get(2)?, to: r.get(3)?, actor: r.get(4)?, created_at: r.get(5)? })
}

/// Every re-anchoring, by ID (UUID v7: the order they were made in).
pub(crate) fn all(conn: &Connection) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare_cached(&format!("{STORED} ORDER BY x.uuid"))?;
    let rows = stmt.query_map([], stored)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The re-anchoring with this ID.
pub(crate) fn by_uuid(conn: &Connection, uuid: uuid::Uuid) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(&format!("{STORED} WHERE x.uuid = ?1"))?
        .query_row([uuid.as_bytes().as_slice()], stored)
        .optional()?)
}

/// The re-anchoring of `from` to `to`, whatever its ID.
pub(crate) fn by_revisions(conn: &Connection, from: RevisionId, to: RevisionId) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(&format!("{STORED} WHERE f.uuid = ?1 AND t.uuid = ?2"))?
        .query_row(params![from, to], stored)
        .optional()?)
}

/// How many re-anchorings and anchor moves the ledger holds.
pub(crate) fn count(conn: &Connection) -> Result<(u64, u64)> {
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok((n("SELECT count(*) FROM reanchorings")? as u64, n("SELECT count(*) FROM anchor_moves")? as u64))
}

/// The moves of the re-anchoring with row ID `reanchoring` (every one when
/// `None`), each with its re-anchoring's ID; by re-anchoring ID, then kind, then
/// the old anchor's ID (an order of their content, so a ledger that gained them
/// in another order lists them the same).
pub(crate) fn moves(conn: &Connection, reanchoring: Option<i64>) -> Result<Vec<(uuid::Uuid, MoveRow)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT x.uuid, m.kind, p.uuid, d.uuid, q.uuid, m.state, m.start, m.end, np.uuid, m.score, m.differences,
                m.released_text, m.reason
         FROM anchor_moves m JOIN reanchorings x ON x.id = m.reanchoring_id
         LEFT JOIN passages p ON p.id = m.passage_id
         LEFT JOIN redactions d ON d.id = m.redaction_id
         LEFT JOIN quotations q ON q.id = m.quotation_id
         LEFT JOIN passages np ON np.id = m.new_passage_id
         WHERE ?1 IS NULL OR x.id = ?1
         ORDER BY x.uuid, m.kind, coalesce(p.uuid, d.uuid, q.uuid), m.id",
    )?;
    let rows = stmt.query_map([reanchoring], |r| {
        let uuid: Vec<u8> = r.get(0)?;
        let uuid = uuid::Uuid::from_slice(&uuid)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e)))?;
        let span = match (r.get::<_, Option<i64>>(6)?, r.get::<_, Option<i64>>(7)?) {
            (Some(s), Some(e)) => Some((s as usize, e as usize)),
            _ => None,
        };
        Ok((
            uuid,
            MoveRow {
                kind: r.get(1)?,
                passage: r.get(2)?,
                redaction: r.get(3)?,
                quotation: r.get(4)?,
                state: r.get(5)?,
                span,
                new_passage: r.get(8)?,
                score: r.get(9)?,
                differences: Vec::new(),
                released_text: r.get(11)?,
                reason: r.get(12)?,
            },
            r.get::<_, String>(10)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (uuid, mut m, diffs) = r?;
        m.differences = from_json("differences", &diffs)?;
        out.push((uuid, m));
    }
    Ok(out)
}
