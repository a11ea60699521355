//! Headings, the sections they open, and paragraphs: how far a citation
//! reaches in a source beyond its own words.
//!
//! # Design
//!
//! Paragraphs are separated by blank lines (a line of only whitespace). A
//! **heading** is a paragraph of one line that is not a sentence (a
//! [`StatementKind::Line`] of [`segment`]: it does not end with
//! terminal punctuation) and that starts, after any Markdown `#` marks, with a
//! letter or a digit; a paragraph that starts with a bracket (a redaction label
//! standing alone, `[Harm to Ongoing Matter]`) or a quote mark is not one, and
//! neither is a footnote definition (`[^12]: …`).
//!
//! A heading's **level** comes from its marker, when it has one: Markdown `#`
//! marks (`#` is 1, `##` is 2, …), or an outline label followed by `.` or `)`:
//! a Roman numeral of several letters or `I` (1), another capital letter (2),
//! digits (3), a lower-case letter (4), a lower-case Roman numeral of several
//! letters (5). A heading without a marker has no known level.
//!
//! A heading's **section** is the text after its line up to the next heading of
//! the same or a higher level (a smaller number); for a heading of unknown
//! level, up to the next heading of any kind (the narrowest reading: without a
//! level the next heading may be a subsection, and the section claims no more
//! than it can show). A section never runs into the footnote definitions: it
//! ends at the first line that defines a footnote (`[^N]:`).
//!
//! All offsets are bytes of the text; the work is linear in the lines scanned.

use super::segment::{self, StatementKind};
use std::ops::Range;

/// A heading line of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The heading's line, trimmed (bytes).
    pub line: Range<usize>,
    /// Its level (1 the highest), when its marker says it.
    pub level: Option<u8>,
}

/// The start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
}

/// The end of the line holding byte `at` (before its line break).
fn line_end(text: &str, at: usize) -> usize {
    text.get(at..).and_then(|t| t.find('\n')).map_or(text.len(), |i| at + i)
}

fn is_blank(text: &str, line: &Range<usize>) -> bool {
    text.get(line.clone()).is_none_or(|l| l.trim().is_empty())
}

/// True when the line defines a footnote (`[^12]: …`).
fn is_footnote_definition(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("[^") else { return false };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && rest[digits..].starts_with("]:")
}

/// The trimmed range of a line.
fn trimmed(text: &str, line: &Range<usize>) -> Range<usize> {
    let l = &text[line.clone()];
    let lead = l.len() - l.trim_start().len();
    let trail = l.len() - l.trim_end().len();
    line.start + lead..line.end - trail
}

/// The heading on this line, when the line is one: a paragraph of its own
/// (blank or no lines around it), not a sentence, starting with a letter or
/// digit after any `#` marks.
fn heading_of_line(text: &str, line: &Range<usize>) -> Option<Heading> {
    let words = trimmed(text, line);
    if words.is_empty() {
        return None;
    }
    let before_blank = line.start == 0 || is_blank(text, &(line_start(text, line.start - 1)..line.start - 1));
    let after_blank = line.end >= text.len() || is_blank(text, &(line.end + 1..line_end(text, line.end + 1)));
    if !before_blank || !after_blank {
        return None;
    }
    let s = &text[words.clone()];
    let unmarked = s.trim_start_matches('#').trim_start();
    if !unmarked.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let stmts = segment::statements(s);
    if stmts.len() != 1 || stmts[0].kind != StatementKind::Line {
        return None;
    }
    Some(Heading { line: words, level: level(s) })
}

/// The level a heading's marker gives, if any.
fn level(s: &str) -> Option<u8> {
    let hashes = s.bytes().take_while(|b| *b == b'#').count();
    if hashes > 0 {
        return u8::try_from(hashes).ok();
    }
    let label: &str = s.split(['.', ')']).next()?;
    if label.len() == s.len() || label.is_empty() || label.len() > 6 || !s[label.len() + 1..].starts_with(' ') {
        return None;
    }
    let roman_upper = |c: char| "IVXLCDM".contains(c);
    let roman_lower = |c: char| "ivxlcdm".contains(c);
    if label.chars().all(|c| c.is_ascii_digit()) {
        Some(3)
    } else if label == "I" || (label.len() > 1 && label.chars().all(roman_upper)) {
        Some(1)
    } else if label.len() == 1 && label.chars().all(|c| c.is_ascii_uppercase()) {
        Some(2)
    } else if label.len() > 1 && label.chars().all(roman_lower) {
        Some(5)
    } else if label.len() == 1 && label.chars().all(|c| c.is_ascii_lowercase()) {
        Some(4)
    } else {
        None
    }
}

/// The heading a span of `text` cites: the span lies on one heading line and
/// covers at least half of its words (a cited heading, not a word of it).
pub fn heading_at(text: &str, span: Range<usize>) -> Option<Heading> {
    if span.start >= span.end || span.end > text.len() || !text.is_char_boundary(span.start) {
        return None;
    }
    let line = line_start(text, span.start)..line_end(text, span.start);
    if span.end > line.end {
        return None;
    }
    // The cheap test first: most cited passages are a sentence of a long line.
    let words = trimmed(text, &line);
    let covered = span.end.min(words.end).saturating_sub(span.start.max(words.start));
    if covered * 2 < words.len() {
        return None;
    }
    heading_of_line(text, &line)
}

/// The section a heading opens: from the end of its line to the next heading
/// of the same or a higher level (any heading when its level is unknown), or
/// the first footnote definition, or the end of the text.
pub fn section_of(text: &str, heading: &Heading) -> Range<usize> {
    let start = heading.line.end;
    let mut at = line_end(text, start);
    while at < text.len() {
        let line = at + 1..line_end(text, at + 1);
        if is_footnote_definition(&text[line.clone()]) {
            return start..line.start;
        }
        if let Some(h) = heading_of_line(text, &line) {
            let ends = match (heading.level, h.level) {
                (None, _) => true,
                (Some(mine), Some(next)) => next <= mine,
                (Some(_), None) => false,
            };
            if ends {
                return start..line.start;
            }
        }
        at = line.end;
    }
    start..text.len()
}

/// The paragraph holding byte `at`: the lines around it up to the blank lines
/// (or the ends of the text), trimmed.
pub fn paragraph_of(text: &str, at: usize) -> Range<usize> {
    let at = at.min(text.len());
    let mut start = line_start(text, at);
    while start > 0 {
        let prev = line_start(text, start - 1)..start - 1;
        if is_blank(text, &prev) {
            break;
        }
        start = prev.start;
    }
    let mut end = line_end(text, at);
    while end < text.len() {
        let next = end + 1..line_end(text, end + 1);
        if is_blank(text, &next) {
            break;
        }
        end = next.end;
    }
    trimmed(text, &(start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
II. FINDINGS

A. The Budget

Spending rose in 2023. [Secret] It fell later.

1. Salaries

Staff pay went up [Grand Jury] by a tenth.

[Harm to Ongoing Matter]

2. Travel

Trips were cut.
A second line of the same paragraph [Privacy] ends here.

B. The Audit

The audit found gaps.

Unnumbered Heading

Text under it.

Another Heading

More text.[^1]

Footnotes

[^1]: A note.
";

    fn at(s: &str) -> Range<usize> {
        let i = TEXT.find(s).unwrap();
        i..i + s.len()
    }

    #[test]
    fn headings_and_their_levels() {
        let h = |s: &str| heading_at(TEXT, at(s)).map(|h| h.level);
        assert_eq!(h("II. FINDINGS"), Some(Some(1)));
        assert_eq!(h("A. The Budget"), Some(Some(2)));
        assert_eq!(h("The Budget"), Some(Some(2)), "the words without the label cite the heading");
        assert_eq!(h("1. Salaries"), Some(Some(3)));
        assert_eq!(h("Unnumbered Heading"), Some(None));
        assert_eq!(h("Budget"), None, "one word of a heading is not the heading");
        assert_eq!(h("Spending rose in 2023."), None, "a sentence");
        assert_eq!(h("[Harm to Ongoing Matter]"), None, "a label standing alone");
        assert_eq!(h("Trips were cut."), None);
        assert_eq!(h("[^1]: A note."), None);
        assert_eq!(level("# Title"), Some(1));
        assert_eq!(level("### Deep"), Some(3));
        assert_eq!(level("iv. Fourth"), Some(5));
        assert_eq!(level("b) Second"), Some(4));
        assert_eq!(level("Mr. Smith"), None);
        assert_eq!(level("2023 Results"), None);
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level_or_higher() {
        let section = |s: &str| {
            let h = heading_at(TEXT, at(s)).unwrap();
            let r = section_of(TEXT, &h);
            TEXT[r].trim().to_string()
        };
        // A level-2 section takes in its level-3 subsections.
        let budget = section("A. The Budget");
        assert!(budget.starts_with("Spending rose") && budget.ends_with("ends here."), "{budget}");
        assert!(budget.contains("[Grand Jury]") && budget.contains("[Privacy]"));
        // A level-3 section stops at the next level-3 heading.
        let salaries = section("1. Salaries");
        assert!(salaries.starts_with("Staff pay") && salaries.ends_with("[Harm to Ongoing Matter]"), "{salaries}");
        // A level-1 section runs past unnumbered headings, up to the footnotes.
        assert!(section("II. FINDINGS").ends_with("More text.[^1]\n\nFootnotes"));
        // A heading of unknown level ends at the next heading of any kind.
        assert_eq!(section("Unnumbered Heading"), "Text under it.");
        assert_eq!(section("Another Heading"), "More text.[^1]");
    }

    #[test]
    fn paragraphs_run_between_blank_lines() {
        let p = |s: &str| &TEXT[paragraph_of(TEXT, at(s).start)];
        assert_eq!(p("It fell later."), "Spending rose in 2023. [Secret] It fell later.");
        assert_eq!(p("Trips were cut."), "Trips were cut.\nA second line of the same paragraph [Privacy] ends here.");
        assert_eq!(p("ends here"), "Trips were cut.\nA second line of the same paragraph [Privacy] ends here.");
        assert_eq!(p("II. FINDINGS"), "II. FINDINGS");
        assert_eq!(&TEXT[paragraph_of(TEXT, TEXT.len())], "[^1]: A note.");
    }
}
