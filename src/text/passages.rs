//! The searchable passages of a source text: its sentences and its footnote
//! texts, each with the words a full-text index sees.
//!
//! # Design
//!
//! - **Sentences** are the statements of [`super::segment::statements`] that lie
//!   outside footnote definitions (stand-alone lines included: a heading or a
//!   table row is searchable too).
//! - **Footnotes** are the texts of the footnote definitions
//!   ([`super::footnotes::footnotes`]), one passage each, numbered.
//! - **Windows**, two adjacent sentences of the same page run (no form feed
//!   between them), are not passages of the index: the first stage of
//!   `crate::suggest` scores them from their two sentences' postings (a window
//!   holds a word when either sentence does), so indexing a source tokenizes
//!   its text once rather than three times. [`SearchKind::Window`] remains
//!   the code of the window rows that indexes written before schema V15 held
//!   (the upgrade to V15 indexes those revisions again without them).
//!
//! The order is fixed (sentences, then footnotes, each in text order), so a
//! store that numbers passages in that order gives neighbouring sentences
//! neighbouring numbers. [`index_body`] is the text the index sees: the
//! passage with footnote markers blanked (a marker's number is not a word of the
//! text).

use super::footnotes::footnotes;
use super::rank::token_count;
use super::segment::statements;

/// What a searchable passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchKind {
    /// A sentence or stand-alone line of the body.
    Sentence,
    /// The text of a footnote definition.
    Footnote,
    /// Two adjacent sentences (only in indexes written before schema V15;
    /// see the module docs).
    Window,
}

impl SearchKind {
    /// The stable code stored for the kind.
    pub fn code(self) -> &'static str {
        match self {
            SearchKind::Sentence => "sentence",
            SearchKind::Footnote => "footnote",
            SearchKind::Window => "window",
        }
    }

    /// The kind of a stored code.
    pub fn from_code(code: &str) -> Option<SearchKind> {
        match code {
            "sentence" => Some(SearchKind::Sentence),
            "footnote" => Some(SearchKind::Footnote),
            "window" => Some(SearchKind::Window),
            _ => None,
        }
    }
}

/// One searchable passage: a byte span of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchPassage {
    /// What it is.
    pub kind: SearchKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// The footnote number, for a footnote.
    pub note: Option<u32>,
    /// How many words the index sees in it.
    pub tokens: u32,
}

/// The searchable passages of `text`, in the fixed order of the module docs.
pub fn search_passages(text: &str) -> Vec<SearchPassage> {
    let notes = footnotes(text);
    let defs: Vec<(usize, usize)> = notes.definitions.iter().map(|d| (d.start, d.end)).collect();
    let in_def = |s: usize, e: usize| {
        let i = defs.partition_point(|&(_, de)| de <= s);
        defs.get(i).is_some_and(|&(ds, _)| ds < e)
    };
    let count = |s: usize, e: usize| u32::try_from(token_count(text.get(s..e).unwrap_or(""))).unwrap_or(u32::MAX);
    let sentences: Vec<SearchPassage> = statements(text)
        .into_iter()
        .filter(|s| !in_def(s.start, s.end))
        .map(|s| SearchPassage {
            kind: SearchKind::Sentence,
            start: s.start,
            end: s.end,
            note: None,
            tokens: count(s.start, s.end),
        })
        .filter(|p| p.tokens > 0)
        .collect();
    let mut out = sentences;
    for d in &notes.definitions {
        if d.text_start < d.end {
            out.push(SearchPassage {
                kind: SearchKind::Footnote,
                start: d.text_start,
                end: d.end,
                note: Some(d.number),
                tokens: count(d.text_start, d.end),
            });
        }
    }
    out
}

/// The text the index sees for `text[start..end]`: footnote markers (`[^12]`)
/// blanked.
pub fn index_body(passage: &str) -> String {
    if !passage.contains("[^") {
        return passage.to_string();
    }
    let notes = footnotes(passage);
    if notes.markers.is_empty() {
        return passage.to_string();
    }
    let mut out = String::with_capacity(passage.len());
    let mut at = 0;
    for m in &notes.markers {
        out.push_str(passage.get(at..m.start).unwrap_or(""));
        out.push(' ');
        at = m.end;
    }
    out.push_str(passage.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_then_footnotes_in_order() {
        let text = "Fees rose in 2020.[^1] The pier closed.\u{c}A new page.\n\n[^1]: Ledger of the port, 2020.\n";
        let ps = search_passages(text);
        let kinds: Vec<(SearchKind, &str)> = ps.iter().map(|p| (p.kind, &text[p.start..p.end])).collect();
        assert_eq!(
            kinds,
            vec![
                (SearchKind::Sentence, "Fees rose in 2020.[^1]"),
                (SearchKind::Sentence, "The pier closed."),
                (SearchKind::Sentence, "A new page."),
                (SearchKind::Footnote, "Ledger of the port, 2020."),
            ]
        );
        assert_eq!(ps[3].note, Some(1));
        // The marker's number is not counted as a word.
        assert_eq!(ps[0].tokens, 4);
        assert_eq!(index_body("Fees rose.[^12] Then"), "Fees rose.  Then");
    }

    #[test]
    fn empty_and_markup_only_texts_have_no_passages() {
        assert!(search_passages("").is_empty());
        assert!(search_passages("  \n\u{c}\n").is_empty());
        assert!(search_passages("— — —").is_empty());
    }
}
