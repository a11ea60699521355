//! Claim parts: spans inside a claim, each one checkable assertion of the
//! statement with its own citations, and the claim's evidence aggregate they
//! feed.
//!
//! # Design
//!
//! A part lies inside its claim's span, on the claim's revision, is not empty,
//! and overlaps no other part of the claim. A citation is recorded on the claim
//! as always (`citations`), and linked to the parts it bears on
//! (`citation_parts`); a citation linked to no part bears on every part, so a
//! claim without parts is one implicit part and means what it meant before
//! parts existed (`migrations/V5__claim_parts.sql`).
//!
//! The claim's aggregate (`claims.evidence`, `claims.partial`) is what the
//! coverage figures read. For a claim without parts the citation insert raises
//! it in SQL; once a claim has parts, every write to its parts or links
//! recomputes it here from the parts' citations through
//! [`Aggregate::of_parts`], the one definition ([`crate::state`]).

use super::{TextCache, from_millis};
use crate::state::Aggregate;
use crate::{CitationId, ClaimId, ClaimPartId, Entity, Error, Relation, Result, RevisionId, Span};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A part of a claim to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClaimPart {
    /// The claim it is part of.
    pub claim: ClaimId,
    /// Its span: inside the claim's span, on the claim's revision.
    pub span: Span,
    /// What the fact-checker found about this part.
    #[serde(default)]
    pub note: Option<String>,
}

impl NewClaimPart {
    /// The part of `claim` on `span`.
    pub fn new(claim: ClaimId, span: Span) -> NewClaimPart {
        NewClaimPart { claim, span, note: None }
    }
}

/// A stored part of a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimPart {
    /// Its ID.
    pub id: ClaimPartId,
    /// The claim it is part of.
    pub claim: ClaimId,
    /// Its span, inside the claim's.
    pub span: Span,
    /// A note.
    pub note: Option<String>,
    /// The citations linked to it, in the order they were recorded. Citations of
    /// the claim linked to no part bear on this part too.
    pub citations: Vec<CitationId>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The claim a part is added to: row, revision and span.
fn claim_row(tx: &Transaction<'_>, claim: ClaimId) -> Result<(i64, RevisionId, usize, usize)> {
    tx.prepare_cached(
        "SELECT c.id, r.uuid, c.start, c.end FROM claims c JOIN revisions r ON r.id = c.revision_id WHERE c.uuid = ?1",
    )?
    .query_row([claim], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize)))
    .optional()?
    .ok_or_else(|| Error::not_found(Entity::Claim, claim))
}

/// Adds a part, or returns the one already on the same span of the claim (the
/// flag says whether it was created).
pub(crate) fn ensure(
    tx: &Transaction<'_>,
    cache: &mut TextCache,
    id: ClaimPartId,
    p: &NewClaimPart,
    created: i64,
) -> Result<(ClaimPart, bool)> {
    let existing: Option<ClaimPartId> = tx
        .prepare_cached(
            "SELECT p.uuid FROM claim_parts p JOIN claims c ON c.id = p.claim_id
             WHERE c.uuid = ?1 AND p.start = ?2 AND p.end = ?3",
        )?
        .query_row(params![p.claim, p.span.start as i64, p.span.end as i64], |r| r.get(0))
        .optional()?;
    if let Some(e) = existing {
        return Ok((get(tx, e)?.ok_or_else(|| Error::not_found(Entity::ClaimPart, e))?, false));
    }
    Ok((insert_at(tx, cache, id, p, created)?, true))
}

/// Adds a part with a given ID and creation instant (Unix milliseconds).
///
/// # Errors
///
/// [`Error::NotFound`] for an unknown claim; [`Error::InvalidSpan`] for an empty
/// span, one outside the claim or not on character boundaries;
/// [`Error::InvalidInput`] for a span on another revision or overlapping another
/// part; [`Error::Conflict`] for a part already on that span.
pub(crate) fn insert_at(
    tx: &Transaction<'_>,
    cache: &mut TextCache,
    id: ClaimPartId,
    p: &NewClaimPart,
    created: i64,
) -> Result<ClaimPart> {
    let (claim, rev, start, end) = claim_row(tx, p.claim)?;
    if p.span.revision != rev {
        return Err(Error::invalid(
            "claim part",
            format!("the part is on revision {}, its claim on {rev}", p.span.revision),
        ));
    }
    let text = cache.get(tx, rev)?;
    text.check(p.span.start, p.span.end)?;
    if p.span.is_empty() || p.span.start < start || p.span.end > end {
        return Err(Error::InvalidSpan {
            start: p.span.start,
            end: p.span.end,
            len: text.text().len(),
            reason: format!("a claim part must be a non-empty span inside its claim ({start}..{end})"),
        });
    }
    let overlap: Option<(i64, i64)> = tx
        .prepare_cached("SELECT start, end FROM claim_parts WHERE claim_id = ?1 AND start < ?3 AND end > ?2 LIMIT 1")?
        .query_row(params![claim, p.span.start as i64, p.span.end as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((s, e)) = overlap
        && (s as usize, e as usize) != (p.span.start, p.span.end)
    {
        return Err(Error::invalid(
            "claim part",
            format!("the part {}..{} overlaps the claim's part {s}..{e}", p.span.start, p.span.end),
        ));
    }
    tx.prepare_cached(
        "INSERT INTO claim_parts (uuid, claim_id, start, end, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, claim, p.span.start as i64, p.span.end as i64, p.note, created])?;
    refresh(tx, claim)?;
    Ok(ClaimPart {
        id,
        claim: p.claim,
        span: p.span,
        note: p.note.clone(),
        citations: Vec::new(),
        created_at: from_millis(created),
    })
}

/// Links a citation to a part of its claim (idempotent); true when the link is new.
///
/// # Errors
///
/// [`Error::NotFound`] for an unknown part or citation; [`Error::InvalidInput`]
/// when the citation is of another claim.
pub(crate) fn link(tx: &Transaction<'_>, part: ClaimPartId, citation: CitationId) -> Result<bool> {
    let (part_row, part_claim): (i64, i64) = tx
        .prepare_cached("SELECT id, claim_id FROM claim_parts WHERE uuid = ?1")?
        .query_row([part], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::not_found(Entity::ClaimPart, part))?;
    let (cite_row, cite_claim): (i64, i64) = tx
        .prepare_cached("SELECT id, claim_id FROM citations WHERE uuid = ?1")?
        .query_row([citation], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::not_found(Entity::Citation, citation))?;
    if part_claim != cite_claim {
        return Err(Error::invalid(
            "claim part",
            format!("citation {citation} is not a citation of part {part}'s claim"),
        ));
    }
    let n = tx
        .prepare_cached("INSERT OR IGNORE INTO citation_parts (part_id, citation_id) VALUES (?1, ?2)")?
        .execute(params![part_row, cite_row])?;
    if n > 0 {
        refresh(tx, part_claim)?;
    }
    Ok(n > 0)
}

/// True when the claim (by row ID) is divided into parts.
pub(crate) fn has_parts(conn: &Connection, claim: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM claim_parts WHERE claim_id = ?1 LIMIT 1")?
        .query_row([claim], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Recomputes the claim's aggregate (by row ID) from its parts and citations.
pub(crate) fn refresh(tx: &Transaction<'_>, claim: i64) -> Result<()> {
    let parts: Vec<i64> = tx
        .prepare_cached("SELECT id FROM claim_parts WHERE claim_id = ?1")?
        .query_map([claim], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let citations: Vec<(i64, Relation)> = tx
        .prepare_cached("SELECT id, relation FROM citations WHERE claim_id = ?1")?
        .query_map([claim], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let links: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT l.part_id, l.citation_id FROM citation_parts l JOIN claim_parts p ON p.id = l.part_id WHERE p.claim_id = ?1",
        )?
        .query_map([claim], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let a = Aggregate::of_parts(&crate::state::part_evidence(&parts, &citations, &links));
    tx.prepare_cached("UPDATE claims SET evidence = ?2, partial = ?3 WHERE id = ?1")?
        .execute(params![claim, a.evidence, a.partial])?;
    Ok(())
}

const COLS: &str = "p.uuid, c.uuid, r.uuid, p.start, p.end, p.note, p.created_at, p.id";
const FROM: &str = "claim_parts p JOIN claims c ON c.id = p.claim_id JOIN revisions r ON r.id = c.revision_id";

fn row(r: &Row<'_>) -> rusqlite::Result<(i64, ClaimPart)> {
    Ok((
        r.get(7)?,
        ClaimPart {
            id: r.get(0)?,
            claim: r.get(1)?,
            span: Span::new(r.get(2)?, r.get::<_, i64>(3)? as usize, r.get::<_, i64>(4)? as usize),
            note: r.get(5)?,
            citations: Vec::new(),
            created_at: from_millis(r.get(6)?),
        },
    ))
}

/// Fills in the citation links of parts (by part row).
fn with_links(conn: &Connection, mut parts: Vec<(i64, ClaimPart)>) -> Result<Vec<ClaimPart>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.uuid FROM citation_parts l JOIN citations t ON t.id = l.citation_id WHERE l.part_id = ?1 ORDER BY t.id",
    )?;
    for (row, p) in &mut parts {
        p.citations = stmt.query_map([*row], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    }
    Ok(parts.into_iter().map(|(_, p)| p).collect())
}

pub(crate) fn get(conn: &Connection, id: ClaimPartId) -> Result<Option<ClaimPart>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE p.uuid = ?1");
    let found = conn.prepare_cached(&sql)?.query_row([id], row).optional()?;
    Ok(with_links(conn, found.into_iter().collect())?.pop())
}

/// Parts of a claim in text order.
pub(crate) fn of_claim(conn: &Connection, claim: ClaimId) -> Result<Vec<ClaimPart>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.uuid = ?1 ORDER BY p.start, p.end");
    let found = conn.prepare_cached(&sql)?.query_map([claim], row)?.collect::<rusqlite::Result<_>>()?;
    with_links(conn, found)
}

/// Parts of every claim of a revision, in text order.
pub(crate) fn of_revision(conn: &Connection, rev: RevisionId) -> Result<Vec<ClaimPart>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE r.uuid = ?1 ORDER BY p.start, p.end");
    let found = conn.prepare_cached(&sql)?.query_map([rev], row)?.collect::<rusqlite::Result<_>>()?;
    with_links(conn, found)
}

/// Calls `f` with every part, by revision (UUID order), then in text order (a
/// bundle's order; the citation links are not filled in: see [`links`]).
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(ClaimPart) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {COLS} FROM {FROM} ORDER BY r.uuid, p.start, p.end, p.uuid");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(row(r)?.1)?;
    }
    Ok(())
}

/// The parts each citation is linked to (by part ID order), for every citation
/// linked to any.
pub(crate) fn links(conn: &Connection) -> Result<std::collections::HashMap<CitationId, Vec<ClaimPartId>>> {
    let mut out: std::collections::HashMap<CitationId, Vec<ClaimPartId>> = std::collections::HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT t.uuid, p.uuid FROM citation_parts l
         JOIN citations t ON t.id = l.citation_id JOIN claim_parts p ON p.id = l.part_id
         ORDER BY t.uuid, p.uuid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(out)
}

/// The parts a citation is linked to, by part ID order.
pub(crate) fn of_citation(conn: &Connection, citation: CitationId) -> Result<Vec<ClaimPartId>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.uuid FROM citation_parts l
             JOIN citations t ON t.id = l.citation_id JOIN claim_parts p ON p.id = l.part_id
             WHERE t.uuid = ?1 ORDER BY p.uuid",
        )?
        .query_map([citation], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The part of a claim on exactly this span, if any.
pub(crate) fn at(conn: &Connection, claim: ClaimId, span: &Span) -> Result<Option<ClaimPart>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.uuid = ?1 AND p.start = ?2 AND p.end = ?3");
    let found =
        conn.prepare_cached(&sql)?.query_row(params![claim, span.start as i64, span.end as i64], row).optional()?;
    Ok(with_links(conn, found.into_iter().collect())?.pop())
}
