//! Evidence items and withdrawals (schema V10).
//!
//! An evidence item is what a footnote passage cites, as the text engine's parser
//! ([`crate::text::evidence`]) reads it: stored at import, one row per item in
//! footnote order, with its span in the passage's revision, and never changed.
//! A withdrawal records that evidence is no longer relied on: every item of an
//! origin, one item, or every item of a source document. Withdrawals are never
//! deleted; one is undone by a later record naming it.

use super::{from_millis, now_millis, row_id};
use crate::text::evidence::origin_key;
use crate::{
    DocumentId, Entity, Error, EvidenceItemId, EvidenceKind, PassageId, Result, RevisionId, Signal, Span, WithdrawalId,
};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A stored evidence item: one citation of a footnote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Its ID.
    pub id: EvidenceItemId,
    /// The footnote passage citing it.
    pub passage: PassageId,
    /// The footnote number.
    pub footnote: Option<u32>,
    /// Its place among the footnote's items (0, 1, ...).
    pub seq: u32,
    /// Its span (byte offsets in the footnote's revision).
    pub span: Span,
    /// What is cited.
    pub kind: EvidenceKind,
    /// The interviewee, witness, sender, account, outlet, speaker or author.
    pub who: Option<String>,
    /// Recipients of a message or letter.
    pub to: Vec<String>,
    /// ISO 8601 date, full or partial.
    pub date: Option<String>,
    /// Pinpoint.
    pub pin: Option<String>,
    /// Introductory signal.
    pub signal: Option<Signal>,
    /// Its source of knowledge, as written; `None` for redactions, legal
    /// authorities and cross references.
    pub origin: Option<String>,
    /// The origin's comparison key ([`crate::text::evidence::origin_key`]).
    pub origin_key: Option<String>,
    /// For `Id.` and `supra`: the item it repeats.
    pub refers_to: Option<EvidenceItemId>,
}

/// What a withdrawal withdraws (or, for `Undo`, which withdrawal it undoes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "target", content = "value", rename_all = "snake_case")]
pub enum WithdrawalTarget {
    /// Every item of an origin (compared by [`crate::text::evidence::origin_key`]).
    Origin(String),
    /// One item.
    Item(EvidenceItemId),
    /// Every item cited by a source document's footnotes.
    Document(DocumentId),
    /// Undoes an earlier withdrawal.
    Undo(WithdrawalId),
}

/// A recorded withdrawal (or undo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// Its ID.
    pub id: WithdrawalId,
    /// What it withdraws or undoes.
    #[serde(flatten)]
    pub target: WithdrawalTarget,
    /// Why.
    pub reason: String,
    /// When it was recorded (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// An item to store: parsed fields with an absolute span, and the row of the item
/// it refers to.
pub(crate) struct NewItem<'a> {
    pub(crate) seq: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) item: &'a crate::text::evidence::ParsedItem,
    pub(crate) refers_to: Option<i64>,
}

/// Stores the items of one footnote passage (row `passage`); returns their rows.
pub(crate) fn insert_items(tx: &Transaction<'_>, passage: i64, items: &[NewItem<'_>]) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO evidence_items (uuid, passage_id, seq, start, end, kind, who, recipients, date, pin, signal,
             origin, origin_key, refers_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut rows = Vec::with_capacity(items.len());
    for n in items {
        let i = n.item;
        let to = super::to_json("recipients", &i.to)?;
        stmt.execute(params![
            EvidenceItemId::new(),
            passage,
            n.seq,
            n.start as i64,
            n.end as i64,
            i.kind,
            i.who,
            to,
            i.date,
            i.pin,
            i.signal,
            i.origin,
            i.origin.as_deref().map(origin_key),
            n.refers_to
        ])?;
        rows.push(tx.last_insert_rowid());
    }
    Ok(rows)
}

const COLS: &str = "e.uuid, p.uuid, p.footnote, e.seq, r.uuid, e.start, e.end, e.kind, e.who, e.recipients, e.date,
    e.pin, e.signal, e.origin, e.origin_key, (SELECT x.uuid FROM evidence_items x WHERE x.id = e.refers_to)";
const FROM: &str = "evidence_items e JOIN passages p ON p.id = e.passage_id JOIN revisions r ON r.id = p.revision_id";

fn row(r: &Row<'_>) -> rusqlite::Result<EvidenceItem> {
    let to: String = r.get(9)?;
    Ok(EvidenceItem {
        id: r.get(0)?,
        passage: r.get(1)?,
        footnote: r.get(2)?,
        seq: r.get(3)?,
        span: Span::new(r.get(4)?, r.get::<_, i64>(5)? as usize, r.get::<_, i64>(6)? as usize),
        kind: r.get(7)?,
        who: r.get(8)?,
        to: serde_json::from_str(&to).unwrap_or_default(),
        date: r.get(10)?,
        pin: r.get(11)?,
        signal: r.get(12)?,
        origin: r.get(13)?,
        origin_key: r.get(14)?,
        refers_to: r.get(15)?,
    })
}

/// The items of a revision's footnotes, in text order.
pub(crate) fn of_revision(conn: &Connection, rev: RevisionId) -> Result<Vec<EvidenceItem>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE r.uuid = ?1 ORDER BY p.start, e.seq");
    let mut stmt = conn.prepare_cached(&sql)?;
    let out = stmt.query_map([rev], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// One item by ID.
pub(crate) fn get(conn: &Connection, id: EvidenceItemId) -> Result<Option<EvidenceItem>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE e.uuid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], row).optional()?)
}

/// How many items have this origin key.
pub(crate) fn count_origin(conn: &Connection, key: &str) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM evidence_items WHERE origin_key = ?1")?
        .query_row([key], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Records a withdrawal (or an undo).
pub(crate) fn insert_withdrawal(
    tx: &Transaction<'_>,
    id: WithdrawalId,
    target: &WithdrawalTarget,
    reason: &str,
) -> Result<Withdrawal> {
    insert_withdrawal_at(tx, id, target, reason, now_millis())
}

/// [`insert_withdrawal`] with its creation instant (Unix ms), as a bundle keeps it.
pub(crate) fn insert_withdrawal_at(
    tx: &Transaction<'_>,
    id: WithdrawalId,
    target: &WithdrawalTarget,
    reason: &str,
    created: i64,
) -> Result<Withdrawal> {
    if reason.trim().is_empty() {
        return Err(Error::invalid("reason", "a withdrawal needs a reason"));
    }
    let (kind, origin, key, item, doc, undoes) = match target {
        WithdrawalTarget::Origin(o) => {
            let key = origin_key(o);
            if key.is_empty() {
                return Err(Error::invalid("origin", "must not be empty"));
            }
            ("origin", Some(o.trim().to_string()), Some(key), None, None, None)
        }
        WithdrawalTarget::Item(i) => ("item", None, None, Some(row_id(tx, Entity::EvidenceItem, i)?), None, None),
        WithdrawalTarget::Document(d) => ("document", None, None, None, Some(row_id(tx, Entity::Document, d)?), None),
        WithdrawalTarget::Undo(w) => {
            let row = row_id(tx, Entity::Withdrawal, w)?;
            let (target, undone): (String, bool) = tx.prepare_cached(
                "SELECT target, EXISTS (SELECT 1 FROM withdrawals u WHERE u.undoes = w.id) FROM withdrawals w WHERE w.id = ?1",
            )?
            .query_row([row], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if target == "undo" {
                return Err(Error::invalid("withdrawal", format!("{w} is itself an undo; withdraw again instead")));
            }
            if undone {
                return Err(Error::Conflict {
                    entity: Entity::Withdrawal,
                    detail: format!("withdrawal {w} is already undone"),
                });
            }
            ("undo", None, None, None, None, Some(row))
        }
    };
    tx.prepare_cached(
        "INSERT INTO withdrawals (uuid, target, origin, origin_key, item_id, document_id, undoes, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![id, kind, origin, key, item, doc, undoes, reason.trim(), created])?;
    Ok(Withdrawal { id, target: target.clone(), reason: reason.trim().to_string(), created_at: from_millis(created) })
}

/// Every withdrawal and undo, oldest first: the history.
pub(crate) fn withdrawals(conn: &Connection) -> Result<Vec<Withdrawal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.uuid, w.target, w.origin, i.uuid, d.uuid, u.uuid, w.reason, w.created_at
         FROM withdrawals w
         LEFT JOIN evidence_items i ON i.id = w.item_id
         LEFT JOIN documents d ON d.id = w.document_id
         LEFT JOIN withdrawals u ON u.id = w.undoes
         ORDER BY w.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(1)?;
        let target = match kind.as_str() {
            "origin" => WithdrawalTarget::Origin(r.get::<_, Option<String>>(2)?.unwrap_or_default()),
            "item" => WithdrawalTarget::Item(r.get(3)?),
            "document" => WithdrawalTarget::Document(r.get(4)?),
            _ => WithdrawalTarget::Undo(r.get(5)?),
        };
        Ok(Withdrawal { id: r.get(0)?, target, reason: r.get(6)?, created_at: from_millis(r.get(7)?) })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One withdrawal by ID.
pub(crate) fn withdrawal(conn: &Connection, id: WithdrawalId) -> Result<Option<Withdrawal>> {
    Ok(withdrawals(conn)?.into_iter().find(|w| w.id == id))
}

/// The item a footnote passage cites at `seq`.
pub(crate) fn item_at(conn: &Connection, passage: PassageId, seq: u32) -> Result<Option<EvidenceItem>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE p.uuid = ?1 AND e.seq = ?2");
    Ok(conn.prepare_cached(&sql)?.query_row(params![passage, seq], row).optional()?)
}

/// The footnote passages of a revision, in text order: (row, start, end, number).
pub(crate) fn footnote_passages(conn: &Connection, rev: RevisionId) -> Result<Vec<(i64, usize, usize, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.start, p.end, p.footnote FROM passages p JOIN revisions r ON r.id = p.revision_id
         WHERE r.uuid = ?1 AND p.kind = 'footnote' AND p.footnote IS NOT NULL ORDER BY p.start, p.id",
    )?;
    let rows = stmt
        .query_map([rev], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Revisions with footnote passages and no evidence item (written before schema
/// V10, or by a bundle import, which carries no items).
pub(crate) fn revisions_without_items(conn: &Connection) -> Result<Vec<RevisionId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.uuid FROM revisions r
         WHERE EXISTS (SELECT 1 FROM passages p WHERE p.revision_id = r.id AND p.kind = 'footnote')
           AND NOT EXISTS (SELECT 1 FROM evidence_items e JOIN passages q ON q.id = e.passage_id
                           WHERE q.revision_id = r.id)
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
