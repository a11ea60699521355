//! Redactions: spans of a source withheld from publication, with their reason.
//!
//! The label is kept exactly as the source prints it; the reason is resolved from
//! it through the ledger's [`crate::Taxonomy`] when the redaction is written. An
//! unknown label is stored with no reason and reported by
//! [`crate::Ledger::unknown_redaction_labels`], never dropped.

use super::{TextCache, from_millis, now_millis};
use crate::taxonomy::{RedactionReason, Taxonomy};
use crate::{RedactionId, Result, RevisionId, Span};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A redaction to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRedaction {
    /// The span of the source revision standing for the withheld text (often the
    /// printed label, e.g. `[Grand Jury]`).
    pub span: Span,
    /// The reason as the source labels it.
    pub label: String,
    /// Estimated length, in characters, of the withheld text.
    #[serde(default)]
    pub approx_chars: Option<u32>,
}

/// A stored redaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redaction {
    /// Its ID.
    pub id: RedactionId,
    /// Its span.
    pub span: Span,
    /// The label as written in the source.
    pub label: String,
    /// The reason the label resolved to; `None` for an unknown label.
    pub reason: Option<RedactionReason>,
    /// Estimated length of the withheld text.
    pub approx_chars: Option<u32>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

pub(crate) fn insert(
    tx: &Transaction<'_>,
    cache: &mut TextCache,
    taxonomy: &Taxonomy,
    id: RedactionId,
    r: &NewRedaction,
) -> Result<Redaction> {
    let reason = taxonomy.resolve(&r.label).cloned();
    insert_at(tx, cache, id, r, reason, now_millis())
}

/// Adds a redaction with a given reason (not resolved from the label), ID and
/// creation instant (Unix milliseconds), as a bundle import does; [`insert`]
/// resolves the reason and uses the current time.
pub(crate) fn insert_at(
    tx: &Transaction<'_>,
    cache: &mut TextCache,
    id: RedactionId,
    r: &NewRedaction,
    reason: Option<RedactionReason>,
    created: i64,
) -> Result<Redaction> {
    let text = cache.get(tx, r.span.revision)?;
    text.check(r.span.start, r.span.end)?;
    tx.prepare_cached(
        "INSERT INTO redactions (uuid, revision_id, start, end, label, scheme, code, approx_chars, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        text.row,
        r.span.start as i64,
        r.span.end as i64,
        r.label,
        reason.as_ref().map(|x| x.scheme.as_str()),
        reason.as_ref().map(|x| x.code.as_str()),
        r.approx_chars,
        created
    ])?;
    Ok(Redaction {
        id,
        span: r.span,
        label: r.label.clone(),
        reason,
        approx_chars: r.approx_chars,
        created_at: from_millis(created),
    })
}

const COLS: &str = "x.uuid, r.uuid, x.start, x.end, x.label, x.scheme, x.code, x.approx_chars, x.created_at,
    (SELECT label FROM redaction_reasons rr WHERE rr.scheme = x.scheme AND rr.code = x.code)";

fn row(taxonomy: &Taxonomy) -> impl Fn(&Row<'_>) -> rusqlite::Result<Redaction> + '_ {
    move |r| {
        let scheme: Option<String> = r.get(5)?;
        let code: Option<String> = r.get(6)?;
        let stored_label: Option<String> = r.get(9)?;
        let reason = match (scheme, code) {
            (Some(scheme), Some(code)) => {
                let label = stored_label
                    .or_else(|| {
                        taxonomy
                            .reasons()
                            .iter()
                            .find(|x| x.scheme == scheme && x.code == code)
                            .map(|x| x.label.clone())
                    })
                    .unwrap_or_else(|| code.clone());
                Some(RedactionReason { scheme, code, label })
            }
            _ => None,
        };
        Ok(Redaction {
            id: r.get(0)?,
            span: Span::new(r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize),
            label: r.get(4)?,
            reason,
            approx_chars: r.get(7)?,
            created_at: from_millis(r.get(8)?),
        })
    }
}

pub(crate) fn get(conn: &Connection, taxonomy: &Taxonomy, id: RedactionId) -> Result<Option<Redaction>> {
    let sql = format!("SELECT {COLS} FROM redactions x JOIN revisions r ON r.id = x.revision_id WHERE x.uuid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], row(taxonomy)).optional()?)
}

/// The redaction on exactly this span, if any.
pub(crate) fn at(conn: &Connection, taxonomy: &Taxonomy, span: &Span) -> Result<Option<Redaction>> {
    let sql = format!(
        "SELECT {COLS} FROM redactions x JOIN revisions r ON r.id = x.revision_id
         WHERE r.uuid = ?1 AND x.start = ?2 AND x.end = ?3"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![span.revision, span.start as i64, span.end as i64], row(taxonomy))
        .optional()?)
}

/// Calls `f` with every redaction, by revision (UUID order), then in text order.
pub(crate) fn each(conn: &Connection, taxonomy: &Taxonomy, mut f: impl FnMut(Redaction) -> Result<()>) -> Result<()> {
    let sql = format!(
        "SELECT {COLS} FROM redactions x JOIN revisions r ON r.id = x.revision_id ORDER BY r.uuid, x.start, x.end, x.uuid"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let read = row(taxonomy);
    while let Some(r) = rows.next()? {
        f(read(r)?)?;
    }
    Ok(())
}

/// Redactions of a revision in text order.
pub(crate) fn of_revision(conn: &Connection, taxonomy: &Taxonomy, rev: RevisionId) -> Result<Vec<Redaction>> {
    let sql = format!(
        "SELECT {COLS} FROM redactions x JOIN revisions r ON r.id = x.revision_id WHERE r.uuid = ?1 ORDER BY x.start, x.end"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row(taxonomy))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Redactions of the span's revision that overlap or touch the span.
pub(crate) fn touching(conn: &Connection, taxonomy: &Taxonomy, span: &Span) -> Result<Vec<Redaction>> {
    let sql = format!(
        "SELECT {COLS} FROM redactions x JOIN revisions r ON r.id = x.revision_id
         WHERE r.uuid = ?1 AND x.start <= ?3 AND x.end >= ?2 ORDER BY x.start, x.end"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![span.revision, span.start as i64, span.end as i64], row(taxonomy))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores a user's reason with its aliases.
pub(crate) fn insert_reason(tx: &Transaction<'_>, reason: &RedactionReason, aliases: &[String]) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO redaction_reasons (scheme, code, label, aliases) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (scheme, code) DO UPDATE SET label = excluded.label, aliases = excluded.aliases",
    )?
    .execute(params![reason.scheme, reason.code, reason.label, super::to_json("aliases", aliases)?])?;
    Ok(())
}

/// The reasons users stored, with their aliases, in (scheme, code) order.
pub(crate) fn stored_reasons(conn: &Connection) -> Result<Vec<(RedactionReason, Vec<String>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT scheme, code, label, aliases FROM redaction_reasons ORDER BY scheme, code")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (scheme, code, label, aliases) = row?;
        out.push((RedactionReason { scheme, code, label }, super::from_json("aliases", &aliases)?));
    }
    Ok(out)
}

/// The built-in taxonomy plus every reason users stored.
pub(crate) fn load_taxonomy(conn: &Connection) -> Result<Taxonomy> {
    let mut t = Taxonomy::builtin();
    let mut stmt = conn.prepare("SELECT scheme, code, label, aliases FROM redaction_reasons ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (scheme, code, label, aliases) = row?;
        let aliases: Vec<String> = super::from_json("aliases", &aliases)?;
        t.register(RedactionReason { scheme, code, label }, &aliases);
    }
    Ok(t)
}

/// Labels of a revision that resolved to no reason, with how often each occurs.
pub(crate) fn unknown_labels(conn: &Connection, rev: RevisionId) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT x.label, count(*) FROM redactions x JOIN revisions r ON r.id = x.revision_id
         WHERE r.uuid = ?1 AND x.code IS NULL GROUP BY x.label ORDER BY x.label",
    )?;
    let rows = stmt.query_map([rev], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
