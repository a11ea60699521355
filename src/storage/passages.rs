//! Passages: spans of a source revision that evidence points to, kept with their
//! W3C Web Annotation selectors so they can be found again in another copy of the
//! text (TextQuoteSelector: exact, prefix, suffix; TextPositionSelector: code-point
//! offsets) and with the page they start on.

use super::{CachedText, Hot, HotSql, TextCache, from_millis};
use crate::{Error, PassageId, PassageKind, Result, RevisionId, Span};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How many code points of context the prefix and suffix selectors keep.
pub const CONTEXT_CHARS: usize = 32;

/// A W3C `TextQuoteSelector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuoteSelector {
    /// The text of the passage.
    pub exact: String,
    /// Up to 32 code points right before it.
    pub prefix: String,
    /// Up to 32 code points right after it.
    pub suffix: String,
}

/// A W3C `TextPositionSelector`: code-point offsets, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPositionSelector {
    /// Start, in code points.
    pub start: usize,
    /// End, in code points, exclusive.
    pub end: usize,
}

/// A passage to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassage {
    /// The span of the source revision.
    pub span: Span,
    /// What it is.
    pub kind: PassageKind,
    /// The footnote number, for footnote passages.
    #[serde(default)]
    pub footnote: Option<u32>,
}

impl NewPassage {
    /// A passage of body text.
    pub fn new(span: Span) -> NewPassage {
        NewPassage { span, kind: PassageKind::Text, footnote: None }
    }

    /// The text of footnote `number`.
    pub fn footnote(span: Span, number: u32) -> NewPassage {
        NewPassage { span, kind: PassageKind::Footnote, footnote: Some(number) }
    }
}

/// A stored passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Its ID.
    pub id: PassageId,
    /// Its span (byte offsets).
    pub span: Span,
    /// What it is.
    pub kind: PassageKind,
    /// The footnote number, for footnote passages.
    pub footnote: Option<u32>,
    /// Quote selector.
    pub quote: TextQuoteSelector,
    /// Position selector (code points).
    pub position: TextPositionSelector,
    /// The page it starts on, for paged texts.
    pub page: Option<u32>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Selectors of a byte range of a cached text.
pub(crate) fn selectors(
    text: &CachedText,
    start: usize,
    end: usize,
) -> Result<(TextQuoteSelector, TextPositionSelector)> {
    selectors_of(&text.index, start, end)
}

/// W3C selectors of a byte range of an indexed text: the quote with
/// [`CONTEXT_CHARS`] code points of prefix and suffix, and the code-point position.
///
/// # Errors
///
/// [`crate::Error::InvalidSpan`] when the range is not a valid span of the text.
pub(crate) fn selectors_of(
    index: &crate::CharIndex,
    start: usize,
    end: usize,
) -> Result<(TextQuoteSelector, TextPositionSelector)> {
    let (cs, ce) = index.range_to_chars(start, end)?;
    let t = index.text();
    let pre_start = index.to_byte(cs.saturating_sub(CONTEXT_CHARS)).unwrap_or(0);
    let suf_end = index.to_byte((ce + CONTEXT_CHARS).min(index.char_len())).unwrap_or(t.len());
    Ok((
        TextQuoteSelector {
            exact: t[start..end].to_string(),
            prefix: t[pre_start..start].to_string(),
            suffix: t[end..suf_end].to_string(),
        },
        TextPositionSelector { start: cs, end: ce },
    ))
}

/// Inserts a passage, or returns the existing one on the same span and kind (the
/// flag says whether it was created).
pub(crate) fn ensure(
    hot: &mut Hot<'_>,
    cache: &mut TextCache,
    id: PassageId,
    p: &NewPassage,
) -> Result<(Passage, bool)> {
    let text = checked_text(hot.tx(), cache, p)?;
    if let Some(e) = at(hot.tx(), &p.span, p.kind)? {
        return Ok((e, false));
    }
    Ok((insert_checked(hot, &text, id, p, hot.now())?, true))
}

/// Inserts a passage; a passage on the same span and kind is a conflict.
pub(crate) fn insert(hot: &mut Hot<'_>, cache: &mut TextCache, id: PassageId, p: &NewPassage) -> Result<Passage> {
    insert_at(hot, cache, id, p, hot.now())
}

/// Inserts a passage with a given ID and creation instant (Unix milliseconds), as a
/// bundle import does; [`insert`] is this with the current time.
pub(crate) fn insert_at(
    hot: &mut Hot<'_>,
    cache: &mut TextCache,
    id: PassageId,
    p: &NewPassage,
    created: i64,
) -> Result<Passage> {
    let text = checked_text(hot.tx(), cache, p)?;
    insert_checked(hot, &text, id, p, created)
}

/// The cached text of the passage's revision, with the passage checked against it.
fn checked_text(tx: &Transaction<'_>, cache: &mut TextCache, p: &NewPassage) -> Result<std::sync::Arc<CachedText>> {
    let text = cache.get(tx, p.span.revision)?;
    text.check(p.span.start, p.span.end)?;
    if p.span.is_empty() {
        return Err(Error::InvalidSpan {
            start: p.span.start,
            end: p.span.end,
            len: text.text().len(),
            reason: "a passage cannot be empty".into(),
        });
    }
    if (p.kind == PassageKind::Footnote) != p.footnote.is_some() {
        return Err(Error::invalid("footnote", "a footnote passage needs a footnote number, and only it"));
    }
    Ok(text)
}

pub(crate) const INSERT: &str = "INSERT INTO passages (uuid, revision_id, start, end, kind, footnote, exact, prefix, suffix, cp_start, cp_end, page, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

fn insert_checked(
    hot: &mut Hot<'_>,
    text: &CachedText,
    id: PassageId,
    p: &NewPassage,
    created: i64,
) -> Result<Passage> {
    let (quote, position) = selectors(text, p.span.start, p.span.end)?;
    let page = text.pages.is_paged().then(|| text.pages.page_of(p.span.start));
    hot.stmt(HotSql::Passage)?.execute(params![
        id,
        text.row,
        p.span.start as i64,
        p.span.end as i64,
        p.kind,
        p.footnote,
        quote.exact,
        quote.prefix,
        quote.suffix,
        position.start as i64,
        position.end as i64,
        page,
        created
    ])?;
    Ok(Passage {
        id,
        span: p.span,
        kind: p.kind,
        footnote: p.footnote,
        quote,
        position,
        page,
        created_at: from_millis(created),
    })
}

pub(crate) const COLS: &str = "p.uuid, r.uuid, p.start, p.end, p.kind, p.footnote, p.exact, p.prefix, p.suffix, p.cp_start, p.cp_end, p.page, p.created_at";

pub(crate) fn row(r: &Row<'_>) -> rusqlite::Result<Passage> {
    Ok(Passage {
        id: r.get(0)?,
        span: Span::new(r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize),
        kind: r.get(4)?,
        footnote: r.get(5)?,
        quote: TextQuoteSelector { exact: r.get(6)?, prefix: r.get(7)?, suffix: r.get(8)? },
        position: TextPositionSelector { start: r.get::<_, i64>(9)? as usize, end: r.get::<_, i64>(10)? as usize },
        page: r.get(11)?,
        created_at: from_millis(r.get(12)?),
    })
}

pub(crate) fn get(conn: &Connection, id: PassageId) -> Result<Option<Passage>> {
    let sql = format!("SELECT {COLS} FROM passages p JOIN revisions r ON r.id = p.revision_id WHERE p.uuid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], row).optional()?)
}

/// The passage of `kind` on exactly this span, if any.
pub(crate) fn at(conn: &Connection, span: &Span, kind: PassageKind) -> Result<Option<Passage>> {
    let sql = format!(
        "SELECT {COLS} FROM passages p JOIN revisions r ON r.id = p.revision_id
         WHERE r.uuid = ?1 AND p.start = ?2 AND p.end = ?3 AND p.kind = ?4"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![span.revision, span.start as i64, span.end as i64, kind], row)
        .optional()?)
}

/// Calls `f` with every passage, by revision (UUID order), then in text order.
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(Passage) -> Result<()>) -> Result<()> {
    let sql = format!(
        "SELECT {COLS} FROM passages p JOIN revisions r ON r.id = p.revision_id ORDER BY r.uuid, p.start, p.end, p.uuid"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(row(r)?)?;
    }
    Ok(())
}

/// Passages of a revision in text order.
pub(crate) fn of_revision(conn: &Connection, rev: RevisionId) -> Result<Vec<Passage>> {
    let sql = format!(
        "SELECT {COLS} FROM passages p JOIN revisions r ON r.id = p.revision_id WHERE r.uuid = ?1 ORDER BY p.start, p.end"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Passages of a revision that derive from other passages (footnote markers,
/// passages quoting others), in text order: one query, using the
/// `derivations(from_id, ...)` index.
pub(crate) fn deriving_of_revision(conn: &Connection, rev: RevisionId) -> Result<Vec<Passage>> {
    let sql = format!(
        "SELECT {COLS} FROM passages p JOIN revisions r ON r.id = p.revision_id
         WHERE r.uuid = ?1 AND EXISTS (SELECT 1 FROM derivations d WHERE d.from_id = p.id)
         ORDER BY p.start, p.end"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
