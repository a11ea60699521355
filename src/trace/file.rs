//! The trace file: a human-writable record of which passages back each statement
//! of one article.
//!
//! TOML (or JSON with the same shape). Statements and passages are named by short
//! quotes of their own text, never by index, so a trace survives re-segmentation
//! and small edits of either text. See the README for an example.

use crate::{Error, ExemptionReason, Relation, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The trace file format this build reads.
pub const FORMAT: u32 = 1;

/// The largest trace file accepted (16 MiB).
pub const MAX_TRACE_FILE: u64 = 16 << 20;

/// A trace file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceFile {
    /// Format version; must be 1.
    pub format: u32,
    /// Metadata of the article document.
    #[serde(default)]
    pub article: ArticleMeta,
    /// The sources the citations name.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceRef>,
    /// Statements that need no source.
    #[serde(default, rename = "exempt")]
    pub exempt: Vec<ExemptEntry>,
    /// Statements with their citations.
    #[serde(default, rename = "claim")]
    pub claims: Vec<ClaimEntry>,
}

/// Metadata of the article document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// Title (the article document is found or created by it).
    #[serde(default)]
    pub title: Option<String>,
    /// Publisher.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default)]
    pub published: Option<String>,
    /// Canonical URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Authors.
    #[serde(default)]
    pub creators: Vec<String>,
}

/// A source the citations name by `key`; the ledger document is found by title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The key citations use.
    pub key: String,
    /// The document's title in the ledger.
    pub title: String,
}

/// Statements that need no source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptEntry {
    /// A short quote of the (first) statement.
    pub statement: String,
    /// A short quote of the last statement of a run to exempt.
    #[serde(default)]
    pub through: Option<String>,
    /// Why.
    pub reason: ExemptionReason,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// One statement and its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimEntry {
    /// A short quote occurring in exactly one statement of the article.
    pub statement: String,
    /// What the fact-checker found.
    #[serde(default)]
    pub note: Option<String>,
    /// The citations.
    #[serde(default, rename = "cite")]
    pub cites: Vec<CiteEntry>,
    /// Facts about quotations inside the statement.
    #[serde(default, rename = "quote")]
    pub quotes: Vec<QuoteEntry>,
    /// The statement's parts, each with its own citations: for a statement right
    /// only in part. The statement's own `cite` blocks bear on every part.
    #[serde(default, rename = "part")]
    pub parts: Vec<PartEntry>,
}

/// One part of a statement: a short quote of the statement (resolved like
/// `statement`, inside it), with its own citations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartEntry {
    /// Words of the statement that make one checkable assertion; they must occur
    /// exactly once in the statement.
    pub text: String,
    /// What the fact-checker found about this part.
    #[serde(default)]
    pub note: Option<String>,
    /// The citations of this part (none: the part is uncited, unless the
    /// statement's own citations reach it).
    #[serde(default, rename = "cite")]
    pub cites: Vec<CiteEntry>,
}

/// A citation: a selector for a passage of a source, and a relation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CiteEntry {
    /// The source's key.
    pub source: String,
    /// A few words of the passage as the source has them. Optional with `footnote`.
    #[serde(default)]
    pub exact: Option<String>,
    /// Words right before `exact`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Words right after `exact`.
    #[serde(default)]
    pub suffix: Option<String>,
    /// Only this page (from 1).
    #[serde(default)]
    pub page: Option<u32>,
    /// Only inside footnote N's text; without `exact`, the whole footnote.
    #[serde(default)]
    pub footnote: Option<u32>,
    /// How the passage bears on the statement.
    pub relation: Relation,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Facts about one quotation of the statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteEntry {
    /// The words between the quote marks, or a unique part of them.
    pub text: String,
    /// Who said or wrote them. It wins over the speaker the article gives;
    /// without it the quotation is stored with the article's speaker, if any.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Why an altered quote is accepted.
    #[serde(default)]
    pub acknowledged: Option<String>,
    /// The source the quote comes from, to pin a short or repeated quote to one
    /// place (with `exact`).
    #[serde(default)]
    pub source: Option<String>,
    /// A few words of the source around the quoted words: the quote is anchored
    /// inside this selector's one match.
    #[serde(default)]
    pub exact: Option<String>,
    /// Words right before `exact`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Words right after `exact`.
    #[serde(default)]
    pub suffix: Option<String>,
}

impl TraceFile {
    /// Parses a TOML trace.
    ///
    /// # Errors
    ///
    /// [`Error::Trace`] with the parser's message (line and column) for malformed
    /// TOML, unknown keys or codes, or an unsupported format version.
    pub fn from_toml(s: &str) -> Result<TraceFile> {
        let t: TraceFile = toml::from_str(s).map_err(|e| Error::trace(None, format!("malformed trace file: {e}")))?;
        t.check()
    }

    /// Parses a JSON trace.
    ///
    /// # Errors
    ///
    /// As [`TraceFile::from_toml`].
    pub fn from_json(s: &str) -> Result<TraceFile> {
        let t: TraceFile =
            serde_json::from_str(s).map_err(|e| Error::trace(None, format!("malformed trace file: {e}")))?;
        t.check()
    }

    /// Reads a trace file: JSON when the name ends in `.json`, TOML otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::Io`], [`Error::TooLarge`], and as [`TraceFile::from_toml`].
    pub fn read(path: impl AsRef<Path>) -> Result<TraceFile> {
        let path = path.as_ref();
        let s = crate::import::read_text(path, MAX_TRACE_FILE, "trace file")?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            TraceFile::from_json(&s)
        } else {
            TraceFile::from_toml(&s)
        }
    }

    /// Writes the trace as TOML.
    ///
    /// # Errors
    ///
    /// [`Error::Trace`] if it cannot be represented (it always can).
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| Error::trace(None, e.to_string()))
    }

    fn check(self) -> Result<TraceFile> {
        if self.format != FORMAT {
            return Err(Error::trace(
                None,
                format!("format {} is not supported (this build reads format {FORMAT})", self.format),
            ));
        }
        let mut keys = std::collections::HashSet::new();
        for s in &self.sources {
            if !keys.insert(s.key.as_str()) {
                return Err(Error::trace(None, format!("source key {:?} is defined twice", s.key)));
            }
        }
        for c in &self.claims {
            if c.statement.trim().is_empty() {
                return Err(Error::trace(None, "a claim has an empty statement quote"));
            }
            let parts = c.parts.iter().map(|p| (Some(p), &p.cites));
            for (part, cites) in std::iter::once((None, &c.cites)).chain(parts) {
                let in_part = |what: String| match part {
                    Some(p) => format!("part {:?}: {what}", p.text),
                    None => what,
                };
                if part.is_some_and(|p| p.text.trim().is_empty()) {
                    return Err(Error::trace(Some(&c.statement), "a part has empty `text`"));
                }
                for cite in cites {
                    if !keys.contains(cite.source.as_str()) {
                        return Err(Error::trace(
                            Some(&c.statement),
                            in_part(format!("unknown source {:?} (no [[source]] has that key)", cite.source)),
                        ));
                    }
                    if cite.exact.as_deref().is_none_or(|e| e.trim().is_empty()) && cite.footnote.is_none() {
                        return Err(Error::trace(
                            Some(&c.statement),
                            in_part("a citation needs `exact` or `footnote`".into()),
                        ));
                    }
                }
            }
            for q in &c.quotes {
                if q.text.trim().is_empty() {
                    return Err(Error::trace(Some(&c.statement), "a quote entry has empty `text`"));
                }
                match (&q.source, &q.exact) {
                    (Some(src), Some(_)) if !keys.contains(src.as_str()) => {
                        return Err(Error::trace(
                            Some(&c.statement),
                            format!("unknown source {src:?} (no [[source]] has that key)"),
                        ));
                    }
                    (Some(_), Some(_)) | (None, None) => {}
                    _ => {
                        return Err(Error::trace(
                            Some(&c.statement),
                            "a quote entry pins a place with both `source` and `exact`",
                        ));
                    }
                }
            }
        }
        Ok(self)
    }
}
