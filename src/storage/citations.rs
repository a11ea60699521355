//! Citations (claim to passage, with a relation) and derivations (passage to
//! passage, for chains of evidence: a report's sentence backed by its footnote, the
//! footnote citing an email).

use super::{Hot, HotSql, from_millis, now_millis, row_id};
use crate::state::EvidenceClass;
use crate::{CitationId, ClaimId, DerivationId, DerivationKind, Entity, Error, PassageId, Relation, Result};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A citation to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCitation {
    /// The claim.
    pub claim: ClaimId,
    /// The passage cited.
    pub passage: PassageId,
    /// How the passage bears on the claim.
    pub relation: Relation,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
    /// Who recorded it.
    #[serde(default)]
    pub recorded_by: Option<String>,
}

impl NewCitation {
    /// `claim` cites `passage` with `relation`.
    pub fn new(claim: ClaimId, passage: PassageId, relation: Relation) -> NewCitation {
        NewCitation { claim, passage, relation, note: None, recorded_by: None }
    }
}

/// A stored citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Its ID.
    pub id: CitationId,
    /// The claim.
    pub claim: ClaimId,
    /// The passage cited.
    pub passage: PassageId,
    /// How the passage bears on the claim.
    pub relation: Relation,
    /// A note.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: Option<String>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A derivation to add: `from` is backed by, quotes or cites `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDerivation {
    /// The passage that derives.
    pub from: PassageId,
    /// The passage it derives from.
    pub to: PassageId,
    /// How.
    pub kind: DerivationKind,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// A stored derivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivation {
    /// Its ID.
    pub id: DerivationId,
    /// The passage that derives.
    pub from: PassageId,
    /// The passage it derives from.
    pub to: PassageId,
    /// How.
    pub kind: DerivationKind,
    /// A note.
    pub note: Option<String>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Inserts a citation, or returns the existing one for the same claim, passage and
/// relation (the flag says whether it was created).
/// `claim` and `passage` are the row IDs of `c.claim` and `c.passage`.
pub(crate) fn ensure_rows(
    hot: &mut Hot<'_>,
    id: CitationId,
    claim: i64,
    passage: i64,
    c: &NewCitation,
) -> Result<(Citation, bool)> {
    let tx = hot.tx();
    let existing: Option<CitationId> = tx
        .prepare_cached("SELECT uuid FROM citations WHERE claim_id = ?1 AND passage_id = ?2 AND relation = ?3")?
        .query_row(params![claim, passage, c.relation], |r| r.get(0))
        .optional()?;
    if let Some(e) = existing {
        return Ok((get(tx, e)?.ok_or_else(|| Error::not_found(Entity::Citation, e))?, false));
    }
    Ok((insert_rows(hot, id, claim, passage, c, true)?, true))
}

/// Adds a citation with a given ID and creation instant (Unix milliseconds), as a
/// bundle import does, resolving the claim's and passage's row IDs.
pub(crate) fn insert_at(hot: &mut Hot<'_>, id: CitationId, c: &NewCitation, created: i64) -> Result<Citation> {
    let claim = row_id(hot.tx(), Entity::Claim, &c.claim)?;
    let passage = row_id(hot.tx(), Entity::Passage, &c.passage)?;
    insert_rows_at(hot, id, claim, passage, c, true, created)
}

/// Inserts a citation; `claim` and `passage` are the row IDs of `c.claim` and
/// `c.passage` (resolved by the caller, which caches them). `raise` is false
/// only when the claim was written with its evidence class already counting this
/// citation.
pub(crate) const INSERT: &str = "INSERT INTO citations (uuid, claim_id, passage_id, relation, note, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

pub(crate) fn insert_rows(
    hot: &mut Hot<'_>,
    id: CitationId,
    claim: i64,
    passage: i64,
    c: &NewCitation,
    raise: bool,
) -> Result<Citation> {
    insert_rows_at(hot, id, claim, passage, c, raise, hot.now())
}

fn insert_rows_at(
    hot: &mut Hot<'_>,
    id: CitationId,
    claim: i64,
    passage: i64,
    c: &NewCitation,
    raise: bool,
    created: i64,
) -> Result<Citation> {
    hot.stmt(HotSql::Citation)?.execute(params![id, claim, passage, c.relation, c.note, c.recorded_by, created])?;
    if raise {
        raise_evidence(hot.tx(), claim, c.relation)?;
    }
    Ok(Citation {
        id,
        claim: c.claim,
        passage: c.passage,
        relation: c.relation,
        note: c.note.clone(),
        recorded_by: c.recorded_by.clone(),
        created_at: from_millis(created),
    })
}

/// Keeps the claim's evidence aggregate (`claims.evidence`, `claims.partial`,
/// see `migrations/V5__claim_parts.sql`) up to date after a citation insert. A
/// claim without parts is one implicit part: the class is raised, never
/// lowered, and `partial` set once the claim is both supported and
/// contradicted; written only when it changes. A claim with parts is
/// recomputed from them ([`super::parts::refresh`]).
fn raise_evidence(tx: &Transaction<'_>, claim: i64, r: Relation) -> Result<()> {
    if super::parts::has_parts(tx, claim)? {
        return super::parts::refresh(tx, claim);
    }
    tx.prepare_cached(
        "UPDATE claims SET evidence = max(coalesce(evidence, -1), ?2),
             partial = (max(coalesce(evidence, -1), ?2) = 2 AND (?2 = 1 OR coalesce(evidence, -1) = 1 OR partial = 1))
         WHERE id = ?1 AND (evidence IS NULL OR evidence < ?2 OR (?2 = 1 AND evidence = 2 AND partial = 0))",
    )?
    .execute(params![claim, EvidenceClass::of(r).code()])?;
    Ok(())
}

const COLS: &str = "t.uuid, c.uuid, p.uuid, t.relation, t.note, t.recorded_by, t.created_at";
const FROM: &str = "citations t JOIN claims c ON c.id = t.claim_id JOIN passages p ON p.id = t.passage_id";

fn row(r: &Row<'_>) -> rusqlite::Result<Citation> {
    Ok(Citation {
        id: r.get(0)?,
        claim: r.get(1)?,
        passage: r.get(2)?,
        relation: r.get(3)?,
        note: r.get(4)?,
        recorded_by: r.get(5)?,
        created_at: from_millis(r.get(6)?),
    })
}

pub(crate) fn get(conn: &Connection, id: CitationId) -> Result<Option<Citation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE t.uuid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], row).optional()?)
}

/// The citation of `claim` to `passage` with `relation`, if any.
pub(crate) fn find(
    conn: &Connection,
    claim: ClaimId,
    passage: PassageId,
    relation: Relation,
) -> Result<Option<Citation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.uuid = ?1 AND p.uuid = ?2 AND t.relation = ?3");
    Ok(conn.prepare_cached(&sql)?.query_row(params![claim, passage, relation], row).optional()?)
}

/// Calls `f` with every citation, in ID (UUID) order.
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(Citation) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {COLS} FROM {FROM} ORDER BY t.uuid");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(row(r)?)?;
    }
    Ok(())
}

/// Citations of a claim, in the order they were recorded.
pub(crate) fn of_claim(conn: &Connection, claim: ClaimId) -> Result<Vec<Citation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.uuid = ?1 ORDER BY t.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([claim], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Citations of every claim of a revision, in claim order.
pub(crate) fn of_revision(conn: &Connection, rev: crate::RevisionId) -> Result<Vec<Citation>> {
    let sql = format!(
        "SELECT {COLS} FROM {FROM} JOIN revisions r ON r.id = c.revision_id WHERE r.uuid = ?1 ORDER BY c.start, c.end, t.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Citations of a passage.
pub(crate) fn of_passage(conn: &Connection, passage: PassageId) -> Result<Vec<Citation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE p.uuid = ?1 ORDER BY t.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([passage], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts a derivation, or returns the existing identical one.
pub(crate) fn ensure_derivation(
    tx: &Transaction<'_>,
    id: DerivationId,
    d: &NewDerivation,
) -> Result<(Derivation, bool)> {
    if d.from == d.to {
        return Err(Error::invalid("derivation", "a passage cannot derive from itself"));
    }
    if let Some(e) = find_derivation(tx, d.from, d.to, d.kind)? {
        return Ok((e, false));
    }
    Ok((insert_derivation_at(tx, id, d, now_millis())?, true))
}

/// Adds a derivation with a given ID and creation instant (Unix milliseconds), as
/// a bundle import does; an identical one already stored is a conflict.
pub(crate) fn insert_derivation_at(
    tx: &Transaction<'_>,
    id: DerivationId,
    d: &NewDerivation,
    created: i64,
) -> Result<Derivation> {
    if d.from == d.to {
        return Err(Error::invalid("derivation", "a passage cannot derive from itself"));
    }
    let from = row_id(tx, Entity::Passage, &d.from)?;
    let to = row_id(tx, Entity::Passage, &d.to)?;
    insert_derivation_rows(tx, id, from, to, d, created)
}

/// The one derivation INSERT.
pub(crate) const INSERT_DERIVATION: &str =
    "INSERT INTO derivations (uuid, from_id, to_id, kind, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Adds a derivation between passages whose row IDs are known (a bulk import
/// that just wrote them): no lookup, one bind and one step of the cached INSERT.
pub(crate) fn insert_derivation_rows(
    tx: &Transaction<'_>,
    id: DerivationId,
    from: i64,
    to: i64,
    d: &NewDerivation,
    created: i64,
) -> Result<Derivation> {
    if d.from == d.to {
        return Err(Error::invalid("derivation", "a passage cannot derive from itself"));
    }
    tx.prepare_cached(INSERT_DERIVATION)?.execute(params![id, from, to, d.kind, d.note, created])?;
    Ok(Derivation { id, from: d.from, to: d.to, kind: d.kind, note: d.note.clone(), created_at: from_millis(created) })
}

const DCOLS: &str = "d.uuid, f.uuid, t.uuid, d.kind, d.note, d.created_at";
const DFROM: &str = "derivations d JOIN passages f ON f.id = d.from_id JOIN passages t ON t.id = d.to_id";

fn drow(r: &Row<'_>) -> rusqlite::Result<Derivation> {
    Ok(Derivation {
        id: r.get(0)?,
        from: r.get(1)?,
        to: r.get(2)?,
        kind: r.get(3)?,
        note: r.get(4)?,
        created_at: from_millis(r.get(5)?),
    })
}

pub(crate) fn get_derivation(conn: &Connection, id: DerivationId) -> Result<Option<Derivation>> {
    let sql = format!("SELECT {DCOLS} FROM {DFROM} WHERE d.uuid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], drow).optional()?)
}

/// The derivation from `from` to `to` of `kind`, if any.
pub(crate) fn find_derivation(
    conn: &Connection,
    from: PassageId,
    to: PassageId,
    kind: DerivationKind,
) -> Result<Option<Derivation>> {
    let sql = format!("SELECT {DCOLS} FROM {DFROM} WHERE f.uuid = ?1 AND t.uuid = ?2 AND d.kind = ?3");
    Ok(conn.prepare_cached(&sql)?.query_row(params![from, to, kind], drow).optional()?)
}

/// Calls `f` with every derivation, in ID (UUID) order.
pub(crate) fn each_derivation(conn: &Connection, mut f: impl FnMut(Derivation) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {DCOLS} FROM {DFROM} ORDER BY d.uuid");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(drow(r)?)?;
    }
    Ok(())
}

/// Derivations from a passage (what it derives from).
pub(crate) fn from_passage(conn: &Connection, passage: PassageId) -> Result<Vec<Derivation>> {
    let sql = format!("SELECT {DCOLS} FROM {DFROM} WHERE f.uuid = ?1 ORDER BY d.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([passage], drow)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
