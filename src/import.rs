//! Importing sources: text, stand-off redactions, footnotes and pages, in one
//! transaction.
//!
//! A source arrives as UTF-8 text (form feeds for page breaks) and, optionally, a
//! stand-off redaction file: W3C `TextPositionSelector`s with **code-point**
//! offsets, each with the `exact` text it covers, as the corpus ships them:
//!
//! ```json
//! {"text": "report.txt", "offsets": "unicode code points, end exclusive",
//!  "redactions": [{"type": "TextPositionSelector", "start": 10, "end": 22,
//!                  "exact": "[Grand Jury]", "label": "Grand Jury",
//!                  "approx_redacted_chars": 40}]}
//! ```
//!
//! Every selector is checked against the text (`exact` must be what the offsets
//! cover); one bad entry refuses the whole file and nothing is written. Without a
//! file, bracketed labels of the taxonomy (`[Grand Jury]`, `[HOM]`, `[Redacted]`)
//! are detected in the text.

use crate::span::CharIndex;
use crate::taxonomy::Taxonomy;
use crate::{Document, DocumentId, Error, Ledger, NewDocument, NewRedaction, NewRevision, Result, Revision, Span};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A stand-off redaction file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedactionFile {
    /// The file name of the text the offsets point into, if given.
    #[serde(default)]
    pub text: Option<String>,
    /// A description of the offsets' unit; must mention code points when present.
    #[serde(default)]
    pub offsets: Option<String>,
    /// The redactions.
    pub redactions: Vec<RedactionEntry>,
}

/// One redaction of a [`RedactionFile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedactionEntry {
    /// `TextPositionSelector` when present.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Start, in code points.
    pub start: usize,
    /// End, in code points, exclusive.
    pub end: usize,
    /// The text the offsets cover, checked when present.
    #[serde(default)]
    pub exact: Option<String>,
    /// The reason as labelled in the source (may be empty).
    #[serde(default)]
    pub label: String,
    /// Estimated length of the withheld text.
    #[serde(default)]
    pub approx_redacted_chars: Option<u32>,
}

/// The largest redaction file accepted (256 MiB).
pub const MAX_REDACTION_FILE: u64 = 256 << 20;

impl RedactionFile {
    /// Parses a redaction file from JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when it is not JSON of this shape; [`Error::InvalidInput`]
    /// when `offsets` names a unit other than code points.
    pub fn from_json(json: &str) -> Result<RedactionFile> {
        let f: RedactionFile =
            serde_json::from_str(json).map_err(|source| Error::Json { what: "redaction file".into(), source })?;
        if let Some(unit) = &f.offsets {
            let u = unit.to_ascii_lowercase();
            if !(u.contains("code point") || u.contains("codepoint")) {
                return Err(Error::invalid(
                    "redaction file offsets",
                    format!("unit {unit:?} is not supported (code points only)"),
                ));
            }
        }
        Ok(f)
    }

    /// Reads and parses a redaction file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when it cannot be read; [`Error::TooLarge`] over 256 MiB; as
    /// [`RedactionFile::from_json`].
    pub fn read(path: impl AsRef<Path>) -> Result<RedactionFile> {
        let json = read_text(path.as_ref(), MAX_REDACTION_FILE, "redaction file")?;
        RedactionFile::from_json(&json)
    }

    /// Converts the entries to byte spans of `text`, checking each.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first entry whose offsets are past the
    /// text or whose `exact` does not match.
    pub fn to_byte_spans(&self, text: &str) -> Result<Vec<(std::ops::Range<usize>, &RedactionEntry)>> {
        let index = CharIndex::new(text);
        self.redactions
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let field = || format!("redaction {i} ({}..{})", e.start, e.end);
                if let Some(kind) = &e.kind
                    && kind != "TextPositionSelector"
                {
                    return Err(Error::invalid(field(), format!("selector type {kind:?} is not supported")));
                }
                let (s, t) =
                    index.range_to_bytes(e.start, e.end).map_err(|err| Error::invalid(field(), err.to_string()))?;
                if let Some(exact) = &e.exact
                    && &text[s..t] != exact
                {
                    return Err(Error::invalid(
                        field(),
                        format!("exact {exact:?} does not match the text there ({:?})", &text[s..t]),
                    ));
                }
                Ok((s..t, e))
            })
            .collect()
    }
}

/// Reads a UTF-8 text file, refusing files over `max` bytes.
pub(crate) fn read_text(path: &Path, max: u64, what: &'static str) -> Result<String> {
    let bytes = read_file(path, max, what)?;
    String::from_utf8(bytes).map_err(|e| not_utf8(path, e.utf8_error()))
}

/// [`read_text`] into memory the process keeps until it exits, for a
/// one-shot command that leaves its buffers to the exit (`claimledger
/// locate`): the bytes read are the text, borrowed, so they are checked as
/// UTF-8 by `simdutf8` (a vectorized check, several times the standard
/// library's speed on a large file) instead of being handed to
/// `String::from_utf8`, which checks them again. Same text and same errors as
/// [`read_text`] (a file that is not UTF-8 is checked again by the standard
/// library for the message, with its offset).
#[cfg(any(feature = "cli", test))]
pub(crate) fn read_text_kept(path: &Path, max: u64, what: &'static str) -> Result<&'static str> {
    let bytes: &'static [u8] = read_file(path, max, what)?.leak();
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes).map_err(|e| not_utf8(path, e)),
    }
}

/// The bytes of a file of at most `max` bytes.
fn read_file(path: &Path, max: u64, what: &'static str) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > max {
        return Err(Error::TooLarge { what, len: meta.len() as usize, max: max as usize });
    }
    read_bytes(path, meta.len()).map_err(|e| Error::io(path, e))
}

/// The error of a file that is not UTF-8.
fn not_utf8(path: &Path, e: std::str::Utf8Error) -> Error {
    Error::invalid(path.display().to_string(), format!("not UTF-8 text: {e}"))
}

/// Files this long or longer are read by two threads, a half each.
const SPLIT_READ_MIN: u64 = 4 << 20;

/// The bytes of the file at `path`, about `len` long. A large file is read in
/// two halves at once (the copy from the page cache and the faults of the
/// fresh buffer are most of reading it); if the file is not exactly as long
/// as its open handle says once both halves are in (it changed meanwhile),
/// it is read again from the start to its end, as `std::fs::read` reads.
fn read_bytes(path: &Path, len: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    if len >= SPLIT_READ_MIN
        && let Some(bytes) = read_halves(path)?
    {
        return Ok(bytes);
    }
    let _ = len;
    std::fs::read(path)
}

/// [`read_bytes`] in two halves; `None` when the file's length moved while it
/// was read, or the second thread could not run (then it is read whole).
#[cfg(unix)]
fn read_halves(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::ErrorKind;
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(path)?;
    let Ok(len) = usize::try_from(file.metadata()?.len()) else {
        return Ok(None);
    };
    let mid = len / 2;
    let mut bytes = vec![0u8; len];
    let (head, tail) = bytes.split_at_mut(mid);
    let (first, second) = std::thread::scope(|scope| {
        let file = &file;
        let other = std::thread::Builder::new()
            .name("read".into())
            .spawn_scoped(scope, move || file.read_exact_at(tail, mid as u64));
        let first = file.read_exact_at(head, 0);
        (first, other.ok().and_then(|h| h.join().ok()))
    });
    let Some(second) = second else {
        return Ok(None);
    };
    for r in [first, second] {
        match r {
            Ok(()) => {}
            // Shorter than when it was opened.
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    // Nothing past the end: it did not grow either.
    if file.read_at(&mut [0u8; 1], len as u64)? != 0 {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Where a source's redactions come from.
#[derive(Debug, Clone, Default)]
pub enum Redactions {
    /// None.
    None,
    /// Bracketed labels of the ledger's taxonomy found in the text.
    #[default]
    Detect,
    /// A stand-off file.
    StandOff(RedactionFile),
}

/// A source to import.
#[derive(Debug, Clone)]
pub struct SourceImport {
    /// The document. When a document with the same title and kind exists, the text
    /// is added to it as a revision (or found to be its existing revision).
    pub document: NewDocument,
    /// The text.
    pub text: String,
    /// Printed page labels, one per page.
    pub page_labels: Option<Vec<String>>,
    /// Where its redactions come from.
    pub redactions: Redactions,
    /// Turn Markdown footnotes (`[^N]` markers, `[^N]: text` definitions) into
    /// footnote passages with derivations. Default: true.
    pub footnotes: bool,
    /// Add the text as a new revision of this document (a corrected edition, a
    /// re-release with fewer redactions) instead of finding the document by
    /// title and kind; `document` is then ignored. Articles are refused: they
    /// change through their trace.
    pub revision_of: Option<DocumentId>,
}

impl SourceImport {
    /// A source with detected redactions and footnotes.
    pub fn new(document: NewDocument, text: impl Into<String>) -> SourceImport {
        SourceImport {
            document,
            text: text.into(),
            page_labels: None,
            redactions: Redactions::Detect,
            footnotes: true,
            revision_of: None,
        }
    }
}

/// What [`Ledger::import_source`] did.
#[derive(Debug, Clone)]
pub struct ImportedSource {
    /// The document.
    pub document: Document,
    /// The revision holding the text.
    pub revision: Revision,
    /// False when the document already had this exact text (nothing was written).
    pub created: bool,
    /// Redactions stored.
    pub redactions: usize,
    /// Labels that resolved to no reason, with counts.
    pub unknown_labels: Vec<(String, u64)>,
    /// Footnote passages stored.
    pub footnotes: usize,
}

impl Ledger {
    /// Imports a source: its document (reused when one with the same title and
    /// kind exists), a revision of its text, its redactions and footnotes, all in
    /// one transaction.
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::import::{SourceImport, Redactions};
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = SourceImport::new(
    ///     NewDocument::new(DocumentKind::Report, "Port review"),
    ///     "Fees rose.[^1] The buyer was [Personal Privacy].\n\nFootnotes\n[^1]: Ledger of 2020.\n",
    /// );
    /// let imported = ledger.import_source(src)?;
    /// assert_eq!(imported.redactions, 1);
    /// assert_eq!(imported.footnotes, 1);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a redaction entry that does not fit the text or
    /// an ambiguous title (several documents have it); [`Error::NotFound`] when
    /// `revision_of` names no document, [`Error::InvalidInput`] when it names an
    /// article (or a document with statements); the errors of
    /// [`crate::Writer::add_revision`]. Nothing is written on error.
    pub fn import_source(&mut self, src: SourceImport) -> Result<ImportedSource> {
        let spans: Vec<(std::ops::Range<usize>, String, Option<u32>)> = match &src.redactions {
            Redactions::None => Vec::new(),
            Redactions::Detect => detect(self.taxonomy(), &src.text),
            Redactions::StandOff(file) => file
                .to_byte_spans(&src.text)?
                .into_iter()
                .map(|(r, e)| (r, e.label.clone(), e.approx_redacted_chars))
                .collect(),
        };
        let existing: Vec<Document> = match src.revision_of {
            Some(id) => vec![self.revisable_source(id)?],
            None => self
                .documents_titled(&src.document.title)?
                .into_iter()
                .filter(|d| d.kind == src.document.kind)
                .collect(),
        };
        if existing.len() > 1 {
            return Err(Error::invalid(
                "title",
                format!(
                    "{} documents are titled {:?}; import into one of them by ID",
                    existing.len(),
                    src.document.title
                ),
            ));
        }
        let out = self.write_event(crate::EventKind::ImportSource, None, |w| {
            let document = match existing.into_iter().next() {
                Some(d) => d,
                None => w.add_document(&src.document)?,
            };
            let before = w.revision_count(document.id)?;
            let revision = w.add_revision(
                document.id,
                &NewRevision { text: src.text.clone(), page_labels: src.page_labels.clone() },
            )?;
            let created = w.revision_count(document.id)? > before;
            let mut redactions = 0;
            let mut footnotes = 0;
            if created {
                for (range, label, approx) in &spans {
                    w.add_redaction(&NewRedaction {
                        span: Span::new(revision.id, range.start, range.end),
                        label: label.clone(),
                        approx_chars: *approx,
                    })?;
                    redactions += 1;
                }
                if src.footnotes {
                    footnotes = crate::sources::add_footnotes(w, &revision)?;
                }
            }
            Ok(ImportedSource { document, revision, created, redactions, unknown_labels: Vec::new(), footnotes })
        })?;
        let unknown_labels = self.unknown_redaction_labels(out.revision.id)?;
        Ok(ImportedSource { unknown_labels, ..out })
    }
}

impl Ledger {
    /// The document `id`, when it may take a new revision as a source: it exists,
    /// is not an article and has no statements.
    fn revisable_source(&self, id: DocumentId) -> Result<Document> {
        let doc = self.document(id)?.ok_or_else(|| Error::not_found(crate::Entity::Document, id))?;
        let refuse = |why: &str| {
            Err(Error::invalid(
                "revision of",
                format!("{:?} is {why}; a new text of an article is traced, not added as a source", doc.title),
            ))
        };
        if doc.kind == crate::DocumentKind::Article {
            return refuse("an article");
        }
        for r in self.revisions(id)? {
            if !self.claims(r.id)?.is_empty() {
                return refuse("a document with statements");
            }
        }
        Ok(doc)
    }
}

fn detect(taxonomy: &Taxonomy, text: &str) -> Vec<(std::ops::Range<usize>, String, Option<u32>)> {
    taxonomy.find_labels(text).into_iter().map(|(r, label)| (r, label, None)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes read as kept text read as `read_text` reads them: the
        /// same text, or the same error (bad bytes, cut characters).
        #[test]
        fn kept_text_reads_as_read_text(
            parts in proptest::collection::vec(
                prop_oneof![
                    "[a-z \n]{0,20}".prop_map(String::into_bytes),
                    "[\u{e9}\u{201c}\u{2014}\u{1f600}]{1,3}".prop_map(String::into_bytes),
                    proptest::collection::vec(any::<u8>(), 1..3),
                ],
                0..12,
            ),
        ) {
            let bytes: Vec<u8> = parts.concat();
            let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let path = dir.path().join("t.txt");
            std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let want = read_text(&path, u64::MAX, "source text").map_err(|e| e.to_string());
            let got = read_text_kept(&path, u64::MAX, "source text").map(str::to_string).map_err(|e| e.to_string());
            prop_assert_eq!(got, want);
        }
    }

    /// A file over the size read in halves reads as `std::fs::read` reads it,
    /// whichever byte of a character its middle falls on, and its UTF-8 is
    /// checked whole: a bad byte in the second half is refused with the
    /// offset in the file.
    #[test]
    fn a_file_read_in_halves_is_the_file() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io(Path::new("tempdir"), e))?;
        let path = dir.path().join("big.txt");
        let unit = "\u{DC}n\u{EF}c\u{F6}d\u{E9} \u{201C}quoted\u{201D} text \u{2014} with \u{1F600} and dashes.\n";
        let mut text = String::new();
        while (text.len() as u64) < SPLIT_READ_MIN + 1000 {
            text.push_str(unit);
        }
        for pad in 0..4 {
            let t = format!("{}{text}", "x".repeat(pad));
            std::fs::write(&path, &t).map_err(|e| Error::io(&path, e))?;
            assert_eq!(read_text(&path, u64::MAX, "source text")?, t, "pad {pad}");
            assert_eq!(read_text_kept(&path, u64::MAX, "source text")?, t, "pad {pad}, kept");
        }
        let mut bad = text.into_bytes();
        let at = bad.len() * 3 / 4;
        bad[at] = 0xFF;
        std::fs::write(&path, &bad).map_err(|e| Error::io(&path, e))?;
        let want = match String::from_utf8(bad) {
            Err(e) => e.utf8_error().to_string(),
            Ok(_) => String::from("valid"),
        };
        match read_text(&path, u64::MAX, "source text") {
            Err(e) => {
                assert!(e.is_invalid_input(), "{e}");
                assert!(e.to_string().contains(&want), "{e} lacks {want}");
            }
            Ok(_) => panic!("a bad byte was read as text"),
        }
        match read_text_kept(&path, u64::MAX, "source text") {
            Err(e) => {
                assert!(e.is_invalid_input(), "{e}");
                assert!(e.to_string().contains(&want), "{e} lacks {want}");
            }
            Ok(_) => panic!("a bad byte was read as kept text"),
        }
        Ok(())
    }
}
