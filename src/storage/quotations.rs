//! Quotations: the words between quote marks inside a claim, the passage they
//! reproduce, and the result of checking them against it.

use super::{TextCache, from_json, from_millis, now_millis, row_id, to_json};
use crate::{ClaimId, Entity, Error, PassageId, QuotationId, QuoteLocation, QuoteStatus, Result, Span, Tier};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One difference between a quote and its source: the quoted words against the
/// source's words (either may be empty for an insertion or omission).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// As quoted.
    pub quoted: String,
    /// As the source has it.
    pub source: String,
}

/// An editorial change the conventions of quoting allow (an ellipsis, a bracketed
/// insertion, `[sic]`, a changed first-letter case, punctuation moved inside the
/// closing mark, nested quote marks converted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// Stable code: `elision`, `insertion`, `sic`, `case`, `punctuation_inside`, `nested_quotes`.
    pub kind: String,
    /// The text concerned.
    pub text: String,
}

/// A place a quote could anchor, kept for quotes whose location is ambiguous.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateSpan {
    /// The span of the source revision.
    pub span: Span,
    /// The tier it matched at.
    pub tier: Tier,
    /// Similarity, 1.0 for identical.
    pub score: f64,
}

/// The outcome of checking a quotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteCheck {
    /// The verdict about the quoted words.
    pub status: QuoteStatus,
    /// Where they stand: one place, several (see `candidates`), or none (schema V4).
    pub location: QuoteLocation,
    /// The tier it anchored at.
    pub tier: Option<Tier>,
    /// Similarity of the anchored text, 1.0 for identical.
    pub score: Option<f64>,
    /// How many places matched at that tier.
    pub candidate_count: u32,
    /// Differences (for altered quotes).
    pub differences: Vec<Difference>,
    /// Editorial changes the conventions allow.
    pub edits: Vec<Edit>,
    /// Every place the words stand, best first, when the location is ambiguous.
    pub candidates: Vec<CandidateSpan>,
}

impl QuoteCheck {
    /// A quotation not checked yet.
    pub fn unchecked() -> QuoteCheck {
        QuoteCheck {
            status: QuoteStatus::Unchecked,
            location: QuoteLocation::None,
            tier: None,
            score: None,
            candidate_count: 0,
            differences: vec![],
            edits: vec![],
            candidates: vec![],
        }
    }
}

/// A quotation to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewQuotation {
    /// The claim it is part of.
    pub claim: ClaimId,
    /// The span between the quote marks (in the claim's revision, inside the claim).
    pub span: Span,
    /// The passage it reproduces, when anchored.
    pub passage: Option<PassageId>,
    /// Who said or wrote the quoted words, if known.
    pub speaker: Option<String>,
    /// The check.
    pub check: QuoteCheck,
    /// Set when the desk accepts an altered quote, saying why.
    pub acknowledged: Option<String>,
}

/// A stored quotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quotation {
    /// Its ID.
    pub id: QuotationId,
    /// The claim it is part of.
    pub claim: ClaimId,
    /// The span between the quote marks.
    pub span: Span,
    /// The passage it reproduces.
    pub passage: Option<PassageId>,
    /// Who said or wrote it.
    pub speaker: Option<String>,
    /// The check.
    pub check: QuoteCheck,
    /// Why an altered quote is accepted.
    pub acknowledged: Option<String>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

pub(crate) fn insert(
    tx: &Transaction<'_>,
    cache: &mut TextCache,
    id: QuotationId,
    q: &NewQuotation,
) -> Result<Quotation> {
    insert_at(tx, cache, id, q, now_millis())
}

/// Adds a quotation with a given ID and creation instant (Unix milliseconds), as a
/// bundle import does; [`insert`] is this with the current time.
pub(crate) fn insert_at(
    tx: &Transaction<'_>,
    cache: &mut TextCache,
    id: QuotationId,
    q: &NewQuotation,
    created: i64,
) -> Result<Quotation> {
    let (claim_row, claim_span) = claim_span(tx, q.claim)?;
    if q.span.revision != claim_span.revision {
        return Err(Error::InvalidSpan {
            start: q.span.start,
            end: q.span.end,
            len: 0,
            reason: format!(
                "the quotation is on revision {} but its claim is on revision {}",
                q.span.revision, claim_span.revision
            ),
        });
    }
    let text = cache.get(tx, q.span.revision)?;
    text.check(q.span.start, q.span.end)?;
    if !claim_span.contains(&q.span) {
        return Err(Error::InvalidSpan {
            start: q.span.start,
            end: q.span.end,
            len: text.text().len(),
            reason: format!("outside its claim ({}..{})", claim_span.start, claim_span.end),
        });
    }
    let passage_row = q.passage.map(|p| row_id(tx, Entity::Passage, &p)).transpose()?;
    tx.prepare_cached(
        "INSERT INTO quotations (uuid, claim_id, start, end, passage_id, speaker, status, tier, score, candidate_count,
                                 differences, edits, candidates, acknowledged, created_at, location)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        id,
        claim_row,
        q.span.start as i64,
        q.span.end as i64,
        passage_row,
        q.speaker,
        q.check.status,
        q.check.tier,
        q.check.score,
        q.check.candidate_count,
        to_json("differences", &q.check.differences)?,
        to_json("edits", &q.check.edits)?,
        to_json("candidates", &q.check.candidates)?,
        q.acknowledged,
        created,
        q.check.location
    ])?;
    Ok(Quotation {
        id,
        claim: q.claim,
        span: q.span,
        passage: q.passage,
        speaker: q.speaker.clone(),
        check: q.check.clone(),
        acknowledged: q.acknowledged.clone(),
        created_at: from_millis(created),
    })
}

fn claim_span(conn: &Connection, claim: ClaimId) -> Result<(i64, Span)> {
    conn.prepare_cached(
        "SELECT c.id, r.uuid, c.start, c.end FROM claims c JOIN revisions r ON r.id = c.revision_id WHERE c.uuid = ?1",
    )?
    .query_row([claim], |r| {
        Ok((r.get(0)?, Span::new(r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize)))
    })
    .optional()?
    .ok_or_else(|| Error::not_found(Entity::Claim, claim))
}

const COLS: &str =
    "q.uuid, c.uuid, r.uuid, q.start, q.end, p.uuid, q.speaker, q.status, q.tier, q.score, q.candidate_count,
    q.differences, q.edits, q.candidates, q.acknowledged, q.created_at, q.location";
const FROM: &str = "quotations q JOIN claims c ON c.id = q.claim_id JOIN revisions r ON r.id = c.revision_id
    LEFT JOIN passages p ON p.id = q.passage_id";

type RawQuotation = (Quotation, String, String, String);

fn row(r: &Row<'_>) -> rusqlite::Result<RawQuotation> {
    Ok((
        Quotation {
            id: r.get(0)?,
            claim: r.get(1)?,
            span: Span::new(r.get(2)?, r.get::<_, i64>(3)? as usize, r.get::<_, i64>(4)? as usize),
            passage: r.get(5)?,
            speaker: r.get(6)?,
            check: QuoteCheck {
                status: r.get(7)?,
                location: r.get(16)?,
                tier: r.get(8)?,
                score: r.get(9)?,
                candidate_count: r.get(10)?,
                differences: vec![],
                edits: vec![],
                candidates: vec![],
            },
            acknowledged: r.get(14)?,
            created_at: from_millis(r.get(15)?),
        },
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
    ))
}

fn finish((mut q, d, e, c): RawQuotation) -> Result<Quotation> {
    q.check.differences = from_json("differences", &d)?;
    q.check.edits = from_json("edits", &e)?;
    q.check.candidates = from_json("candidates", &c)?;
    Ok(q)
}

pub(crate) fn get(conn: &Connection, id: QuotationId) -> Result<Option<Quotation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE q.uuid = ?1");
    conn.prepare_cached(&sql)?.query_row([id], row).optional()?.map(finish).transpose()
}

/// The quotation of `claim` on exactly this span, if any.
pub(crate) fn at(conn: &Connection, claim: ClaimId, span: &Span) -> Result<Option<Quotation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.uuid = ?1 AND q.start = ?2 AND q.end = ?3");
    conn.prepare_cached(&sql)?
        .query_row(params![claim, span.start as i64, span.end as i64], row)
        .optional()?
        .map(finish)
        .transpose()
}

/// Calls `f` with every quotation, by revision (UUID order), then in text order.
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(Quotation) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {COLS} FROM {FROM} ORDER BY r.uuid, q.start, q.end, q.uuid");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(finish(row(r)?)?)?;
    }
    Ok(())
}

/// Quotations of a claim in text order.
pub(crate) fn of_claim(conn: &Connection, claim: ClaimId) -> Result<Vec<Quotation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.uuid = ?1 ORDER BY q.start, q.end");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([claim], row)?;
    rows.map(|r| finish(r?)).collect()
}

/// Quotations of every claim of a revision in text order.
pub(crate) fn of_revision(conn: &Connection, rev: crate::RevisionId) -> Result<Vec<Quotation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE r.uuid = ?1 ORDER BY q.start, q.end");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row)?;
    rows.map(|r| finish(r?)).collect()
}
