//! Claims: spans of an article revision that assert something, or that are
//! exempt from needing a source.

use super::{Hot, HotSql, TextCache, from_millis};
use crate::state::Aggregate;
use crate::{ClaimId, ClaimKind, Entity, Error, ExemptionReason, Result, RevisionId, Span};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Why a claim needs no source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemption {
    /// The reason.
    pub reason: ExemptionReason,
    /// A note, e.g. for [`ExemptionReason::Other`].
    #[serde(default)]
    pub note: Option<String>,
}

/// A claim to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClaim {
    /// The span of the article revision that makes the claim.
    pub span: Span,
    /// What kind of claim it is.
    pub kind: ClaimKind,
    /// Set when the claim needs no source.
    #[serde(default)]
    pub exemption: Option<Exemption>,
}

impl NewClaim {
    /// A factual claim on `span`.
    pub fn new(span: Span) -> NewClaim {
        NewClaim { span, kind: ClaimKind::Factual, exemption: None }
    }

    /// The same claim, of `kind`.
    pub fn kind(mut self, kind: ClaimKind) -> NewClaim {
        self.kind = kind;
        self
    }

    /// The same claim, exempt for `reason`.
    pub fn exempt(mut self, reason: ExemptionReason, note: Option<String>) -> NewClaim {
        self.exemption = Some(Exemption { reason, note });
        self
    }
}

/// A stored claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Its ID.
    pub id: ClaimId,
    /// The span it covers.
    pub span: Span,
    /// What kind of claim it is.
    pub kind: ClaimKind,
    /// Set when it needs no source.
    pub exemption: Option<Exemption>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Inserts a claim; `evidence` is the aggregate of its citations when they are
/// known up front (see `migrations/V5__claim_parts.sql`), else the default
/// (uncited).
pub(crate) const INSERT: &str =
    "INSERT INTO claims (uuid, revision_id, start, end, kind, exemption, exemption_note, created_at, evidence, partial)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

pub(crate) fn insert(
    hot: &mut Hot<'_>,
    cache: &mut TextCache,
    id: ClaimId,
    c: &NewClaim,
    evidence: Aggregate,
) -> Result<Claim> {
    insert_at(hot, cache, id, c, evidence, hot.now())
}

/// Adds a claim with a given ID and creation instant (Unix milliseconds), as a
/// bundle import does; [`insert`] is this with the current time.
pub(crate) fn insert_at(
    hot: &mut Hot<'_>,
    cache: &mut TextCache,
    id: ClaimId,
    c: &NewClaim,
    evidence: Aggregate,
    created: i64,
) -> Result<Claim> {
    let text = cache.get(hot.tx(), c.span.revision)?;
    text.check(c.span.start, c.span.end)?;
    if c.span.is_empty() {
        return Err(Error::InvalidSpan {
            start: c.span.start,
            end: c.span.end,
            len: text.text().len(),
            reason: "a claim cannot be empty".into(),
        });
    }
    let (reason, note) = match &c.exemption {
        Some(e) => (Some(e.reason), e.note.as_deref()),
        None => (None, None),
    };
    hot.stmt(HotSql::Claim)?.execute(params![
        id,
        text.row,
        c.span.start as i64,
        c.span.end as i64,
        c.kind,
        reason,
        note,
        created,
        evidence.evidence,
        evidence.partial
    ])?;
    Ok(Claim { id, span: c.span, kind: c.kind, exemption: c.exemption.clone(), created_at: from_millis(created) })
}

/// Sets or clears the exemption of a claim.
pub(crate) fn set_exemption(tx: &Transaction<'_>, id: ClaimId, exemption: Option<&Exemption>) -> Result<()> {
    let n = tx
        .prepare_cached("UPDATE claims SET exemption = ?2, exemption_note = ?3 WHERE uuid = ?1")?
        .execute(params![id, exemption.map(|e| e.reason), exemption.and_then(|e| e.note.as_deref())])?;
    if n == 0 {
        return Err(Error::not_found(Entity::Claim, id));
    }
    Ok(())
}

const COLS: &str = "c.uuid, r.uuid, c.start, c.end, c.kind, c.exemption, c.exemption_note, c.created_at";

fn row(r: &Row<'_>) -> rusqlite::Result<Claim> {
    let reason: Option<ExemptionReason> = r.get(5)?;
    Ok(Claim {
        id: r.get(0)?,
        span: Span::new(r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize),
        kind: r.get(4)?,
        exemption: reason.map(|reason| Exemption { reason, note: r.get(6).ok().flatten() }),
        created_at: from_millis(r.get(7)?),
    })
}

pub(crate) fn get(conn: &Connection, id: ClaimId) -> Result<Option<Claim>> {
    let sql = format!("SELECT {COLS} FROM claims c JOIN revisions r ON r.id = c.revision_id WHERE c.uuid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], row).optional()?)
}

/// The claim on exactly this span, if any.
pub(crate) fn at(conn: &Connection, span: &Span) -> Result<Option<Claim>> {
    let sql = format!(
        "SELECT {COLS} FROM claims c JOIN revisions r ON r.id = c.revision_id WHERE r.uuid = ?1 AND c.start = ?2 AND c.end = ?3"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![span.revision, span.start as i64, span.end as i64], row)
        .optional()?)
}

/// Calls `f` with every claim, by revision (UUID order), then in text order.
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(Claim) -> Result<()>) -> Result<()> {
    let sql = format!(
        "SELECT {COLS} FROM claims c JOIN revisions r ON r.id = c.revision_id ORDER BY r.uuid, c.start, c.end, c.uuid"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(row(r)?)?;
    }
    Ok(())
}

/// Claims of a revision in text order.
pub(crate) fn of_revision(conn: &Connection, rev: RevisionId) -> Result<Vec<Claim>> {
    let sql = format!(
        "SELECT {COLS} FROM claims c JOIN revisions r ON r.id = c.revision_id WHERE r.uuid = ?1 ORDER BY c.start, c.end"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Claims of a revision that need a source and have no citation, in text order.
pub(crate) fn uncited(conn: &Connection, rev: RevisionId) -> Result<Vec<Claim>> {
    let sql = format!(
        "SELECT {COLS} FROM claims c JOIN revisions r ON r.id = c.revision_id
         WHERE r.uuid = ?1 AND c.exemption IS NULL
           AND NOT EXISTS (SELECT 1 FROM citations t WHERE t.claim_id = c.id)
         ORDER BY c.start, c.end"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
