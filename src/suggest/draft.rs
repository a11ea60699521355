//! Drafting a trace file for an article from the ledger's suggestions.
//!
//! # Design
//!
//! The draft is a trace file (format 1) that imports as it is and cites
//! nothing: a fact-checker edits it, then `trace` imports it.
//!
//! - `[article]` with its title guessed from the text's first line;
//! - a `[[source]]` per source of the ledger (every document that is not an
//!   article, latest revision), keyed `source1`, `source2`, ...;
//! - `[[exempt]]` guesses, marked for review: the first line when it is not a
//!   sentence (`headline`), and every other stand-alone line (`heading`);
//! - a `[[claim]]` per sentence, its `statement` the whole sentence, with its
//!   top suggestions as commented-out `[[claim.cite]]` blocks (`exact`, plus a
//!   `prefix`, or the `footnote` number, when the words occur more than once;
//!   `relation = "supports"` to be checked), each preceded by a comment with
//!   the score, page and matched terms;
//! - a `[[claim.quote]]` per quotation of the statement, in order: where the
//!   quote checker ([`crate::quotecheck`], the article's sentences deciding
//!   short quotes) locates it at one place, pinned there with `source` and an
//!   `exact` selector of the source's words around it, widened until the trace
//!   import finds that one place and the quote once inside it (checked with the
//!   import's own functions); otherwise its text alone, with a comment saying
//!   why it is not pinned.
//!
//! Every selector written is checked with the trace import's own matching
//! ([`crate::text::selector::find`]): a statement quote must name one statement,
//! a passage selector one place. What cannot be named uniquely is left as a
//! comment, never written as a selector that would fail the import. Nothing is
//! written to the ledger.

use super::{Searcher, SuggestOptions, Suggestion};
use crate::QuoteLocation;
use crate::quotecheck::{self, CheckedQuote, PreparedSource};
use crate::text::normalize::{NormalizeOptions, Normalized};
use crate::text::passages::SearchKind;
use crate::text::segment::{StatementKind, statements};
use crate::text::selector::{Selector, find};
use crate::{DocumentId, Error, Ledger, Result};
use std::collections::HashMap;
use std::fmt::Write;

/// Characters of prefix added to an `exact` that occurs more than once.
const PREFIX_CHARS: usize = 40;

impl Ledger {
    /// Drafts a trace file (TOML) for `article` against the ledger's sources:
    /// every statement uncited, its `top` suggestions commented out, exemption
    /// guesses marked for review. Nothing is written to the ledger.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Port review"))?;
    /// ledger.add_revision(src.id, NewRevision::new("Fees at the Northgate terminal rose 12% in 2021."))?;
    /// let draft = ledger.draft_trace("Northgate News\n\nNorthgate fees went up 12%.\n", 3)?;
    /// assert!(draft.contains("title = \"Northgate News\""));
    /// assert!(draft.contains("# exact = \"Fees at the Northgate terminal rose 12% in 2021.\""));
    /// // It imports as it is, citing nothing.
    /// let trace = claimledger::trace::TraceFile::from_toml(&draft)?;
    /// let out = ledger.import_trace("Northgate News\n\nNorthgate fees went up 12%.\n", &trace)?;
    /// assert_eq!((out.statements, out.exempt, out.citations), (2, 1, 0));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an article without a statement or a ledger
    /// without sources.
    pub fn draft_trace(&self, article: &str, top: usize) -> Result<String> {
        let stmts = statements(article);
        if stmts.is_empty() {
            return Err(Error::invalid("article", "the article has no statement"));
        }
        let texts: Vec<&str> = stmts.iter().map(|s| article.get(s.start..s.end).unwrap_or_default()).collect();
        let options = SuggestOptions { top, sources: None };
        let sentences = stmts.iter().zip(&texts).filter(|(s, _)| s.kind == StatementKind::Sentence).map(|(_, t)| *t);
        let mut searcher = Searcher::new(self, None, sentences, &options)?;

        let fold = NormalizeOptions { fold_case: true, skip: Vec::new() };
        let article_norm = Normalized::new(article, &fold);
        let spans: Vec<std::ops::Range<usize>> = stmts.iter().map(|s| s.start..s.end).collect();
        // Whether `quote` names exactly one statement, the `i`th.
        let names_one = |quote: &str, i: usize| {
            let (hits, _) = find(article, &article_norm, &Selector { exact: quote, ..Default::default() });
            let mut found: Vec<usize> =
                hits.iter().filter_map(|h| spans.iter().position(|s| s.start <= h.start && h.end <= s.end)).collect();
            found.sort_unstable();
            found.dedup();
            found == [i]
        };

        let mut out = String::new();
        let title = article.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
        let _ = writeln!(
            out,
            "# Draft trace written by `claimledger draft`. Review it: the exemptions are guesses, and the\n\
             # suggested citations are commented out. Uncomment the [[claim.cite]] blocks that back their\n\
             # statement, set each relation, then import: claimledger trace LEDGER --article FILE --trace THIS\n\
             format = 1\n\n[article]\ntitle = {}\n",
            toml_string(title)
        );
        let mut keys: HashMap<DocumentId, String> = HashMap::new();
        let mut norms: HashMap<DocumentId, Normalized> = HashMap::new();
        for (i, src) in searcher.sources.iter().enumerate() {
            let key = format!("source{}", i + 1);
            let _ = writeln!(
                out,
                "[[source]]\nkey = {}\ntitle = {}\n",
                toml_string(&key),
                toml_string(&src.document.title)
            );
            keys.insert(src.document.id, key);
            norms.insert(src.document.id, Normalized::new(&src.revision.text, &fold));
        }

        // The article's quotations, located in the sources as `quotes` does.
        let mut pinning: Vec<crate::trace::Source> = Vec::with_capacity(searcher.sources.len());
        for (i, src) in searcher.sources.iter().enumerate() {
            let redactions = self.redactions(src.revision.id)?;
            pinning.push(crate::trace::Source::new(format!("source{}", i + 1), src.revision.clone(), redactions));
        }
        let prepared: Vec<&PreparedSource> = pinning.iter().map(|s| &s.prepared).collect();
        let views: Vec<crate::text::anchor::SourceText<'_>> = prepared.iter().map(|p| p.source_text()).collect();
        let checked = quotecheck::check_article_refs(article, &prepared, &views)?;

        let first_line = stmts.first().map(|s| (s.kind, s.start));
        for (i, (s, text)) in stmts.iter().zip(&texts).enumerate() {
            if s.kind == StatementKind::Line {
                let reason = if first_line == Some((StatementKind::Line, s.start)) { "headline" } else { "heading" };
                if names_one(text, i) {
                    let _ = writeln!(
                        out,
                        "[[exempt]]   # guessed: review\nstatement = {}\nreason = \"{reason}\"\n",
                        toml_string(text)
                    );
                } else {
                    let _ = writeln!(out, "# (a line repeated in the article, not exempted: {})\n", toml_string(text));
                }
                continue;
            }
            if !names_one(text, i) {
                let _ = writeln!(out, "# (a statement repeated in the article, left out: {})\n", toml_string(text));
                continue;
            }
            let _ = writeln!(out, "[[claim]]\nstatement = {}", toml_string(text));
            let found = searcher.suggest(text, top)?;
            if found.is_empty() {
                let _ = writeln!(out, "  # no suggestion");
            }
            for (n, g) in found.iter().enumerate() {
                let Some(src) = searcher.sources.iter().find(|s| s.document.id == g.document) else { continue };
                let (Some(key), Some(norm)) = (keys.get(&g.document), norms.get(&g.document)) else { continue };
                cite_block(&mut out, n + 1, g, key, &src.revision.text, norm);
            }
            for c in checked.iter().filter(|c| c.article.as_ref().is_some_and(|r| s.start <= r.start && r.end <= s.end))
            {
                quote_block(&mut out, c, &pinning, &prepared, text, s.start);
            }
            out.push('\n');
        }
        Ok(out)
    }
}

/// Writes suggestion `n` as a commented-out `[[claim.cite]]` block whose
/// selector names exactly the suggested place, or a comment saying why not.
fn cite_block(out: &mut String, n: usize, g: &Suggestion, key: &str, text: &str, norm: &Normalized) {
    let page = g.page.map(|p| format!(", page {p}")).unwrap_or_default();
    let _ = writeln!(out, "  # suggestion {n}: score {:.3}{page}, matched: {}", g.score, g.matched.join(", "));
    let exact = g.text.trim();
    let place = g.span.start..g.span.end;
    let unique = |sel: &Selector<'_>| {
        let (hits, _) = find(text, norm, sel);
        hits.len() == 1 && hits[0].start >= place.start && hits[0].end <= place.end
    };
    let mut lines = vec![format!("source = {}", toml_string(key)), format!("exact = {}", toml_string(exact))];
    let note = g.note.filter(|_| g.kind == SearchKind::Footnote);
    // The words before it on its line, at most PREFIX_CHARS characters.
    let before = text.get(..place.start).unwrap_or_default();
    let line = before.get(before.rfind(['\n', '\u{c}']).map_or(0, |i| i + 1)..).unwrap_or_default();
    let cut = line.char_indices().rev().nth(PREFIX_CHARS - 1).map_or(0, |(i, _)| i);
    let prefix = line.get(cut..).unwrap_or_default();
    if unique(&Selector { exact, ..Default::default() }) {
        // The words alone name it.
    } else if let Some(note) = note
        && unique(&Selector { exact, within: Some(place.clone()), ..Default::default() })
    {
        lines.push(format!("footnote = {note}"));
    } else if !prefix.trim().is_empty() && unique(&Selector { exact, prefix: Some(prefix), ..Default::default() }) {
        lines.push(format!("prefix = {}", toml_string(prefix)));
    } else {
        let _ = writeln!(out, "  # (these words occur more than once in the source: {})", toml_string(exact));
        return;
    }
    let _ = writeln!(out, "  # [[claim.cite]]");
    for l in lines {
        let _ = writeln!(out, "  # {l}");
    }
    let _ = writeln!(out, "  # relation = \"supports\"");
}

/// Most words of the source added on each side of a quote to pin it.
const PIN_WORDS: usize = 12;

/// Writes a `[[claim.quote]]` entry for the checked quotation `c` of the
/// statement `statement` (starting at byte `at` of the article): pinned to its
/// place when it has one and a selector names it, else its text alone.
fn quote_block(
    out: &mut String,
    c: &CheckedQuote,
    sources: &[crate::trace::Source],
    prepared: &[&PreparedSource],
    statement: &str,
    at: usize,
) {
    // The words between the marks as the article has them (what the trace
    // import looks for in the statement's quotations).
    let text = c
        .article
        .as_ref()
        .and_then(|r| statement.get(r.start.saturating_sub(at)..r.end.saturating_sub(at)))
        .unwrap_or(&c.text)
        .trim();
    if text.is_empty() {
        return;
    }
    let why = match (&c.finding.location, &c.finding.place) {
        (QuoteLocation::Unique, Some((si, r))) => match pin(sources, prepared, *si, r, c, statement, at) {
            Some(exact) => {
                let _ = writeln!(
                    out,
                    "  [[claim.quote]]   # located: {}\n  text = {}\n  source = {}\n  exact = {}",
                    c.finding.status.code(),
                    toml_string(text),
                    toml_string(&sources[*si].key),
                    toml_string(&exact)
                );
                return;
            }
            None => "no selector of the source's words names its place".to_string(),
        },
        (QuoteLocation::Ambiguous, _) => {
            format!("its words stand at {} places and its sentence does not decide", c.finding.candidate_count)
        }
        _ => "not found in the sources".to_string(),
    };
    let _ = writeln!(out, "  [[claim.quote]]   # not pinned: {why}\n  text = {}", toml_string(text));
}

/// An `exact` selector of the source's words around `r` (in source `si`) that
/// the trace import finds at one place, with the quote found once inside it at
/// `r`; `None` when no widening up to [`PIN_WORDS`] words on each side does.
fn pin(
    sources: &[crate::trace::Source],
    prepared: &[&PreparedSource],
    si: usize,
    r: &std::ops::Range<usize>,
    c: &CheckedQuote,
    statement: &str,
    at: usize,
) -> Option<String> {
    let src = sources.get(si)?;
    let t = src.prepared.text();
    let focus = c.article.as_ref().map(|a| a.start.saturating_sub(at)..a.end.saturating_sub(at))?;
    // Word starts before the place and word ends after it, nearest first.
    let line_start = t.get(..r.start)?.rfind(['\n', '\u{c}']).map_or(0, |i| i + 1);
    let line_end = t.get(r.end..)?.find(['\n', '\u{c}']).map_or(t.len(), |i| r.end + i);
    let starts: Vec<usize> = t
        .get(line_start..r.start)?
        .split_whitespace()
        .rev()
        .take(PIN_WORDS)
        .map(|w| w.as_ptr() as usize - t.as_ptr() as usize)
        .collect();
    let ends: Vec<usize> = t
        .get(r.end..line_end)?
        .split_whitespace()
        .take(PIN_WORDS)
        .map(|w| w.as_ptr() as usize - t.as_ptr() as usize + w.len())
        .collect();
    for n in 1..=PIN_WORDS.max(1) {
        let a = starts.get(n.min(starts.len()).wrapping_sub(1)).copied().unwrap_or(r.start);
        let b = ends.get(n.min(ends.len()).wrapping_sub(1)).copied().unwrap_or(r.end);
        let exact = t.get(a..b)?.trim();
        let Ok(Some(hit)) = src.find_hit(Some(exact), None, None, None, None, None) else { continue };
        let f = quotecheck::anchor_in_trace(prepared, &[], &[(si, hit, true)], &c.text, statement, focus.clone(), &[]);
        if f.is_ok_and(|f| f.location == QuoteLocation::Unique && f.place == Some((si, r.clone()))) {
            return Some(exact.to_string());
        }
        if n >= starts.len() && n >= ends.len() {
            break;
        }
    }
    None
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_round_trip() {
        for s in ["plain", "a \"quote\" and \\ back", "tab\there", "bell\u{7}", "“curly” ‘single’"] {
            let doc = format!("v = {}", toml_string(s));
            let v: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(v["v"].as_str(), Some(s));
        }
    }
}
