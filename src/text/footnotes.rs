//! Markdown footnotes: the `[^N]` markers of a body and the `[^N]: text` definitions.
//!
//! # Design
//!
//! The sources keep footnotes in Markdown footnote syntax: a marker `[^N]` (N decimal
//! ASCII digits) where the note is called, and, after a line `Footnotes`, one
//! definition per line, `[^N]: text`. This module only recognises the syntax; it does
//! not care where the `Footnotes` line is.
//!
//! - A *definition* is a `[^N]:` at the very start of a line (start of text, or right
//!   after `\n`, `\r`, form feed, vertical tab, NEL, U+2028 or U+2029; no indentation).
//!   It spans to the end of its line, trailing whitespace excluded; its text starts after
//!   the `]:` and the spaces/tabs that follow.
//! - A *marker* is every other `[^N]`, including those inside a definition's text.
//! - `N` must fit a `u32` (`[^4294967296]` is ignored: neither marker nor definition);
//!   `[^]`, `[^x]` and `[^ 1]` are not footnote syntax.
//!
//! The scan looks for `[^` with `memchr` and reads each digit run once: linear time.

use std::ops::Range;

/// A footnote marker `[^N]` in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FootnoteMarker {
    /// The footnote number N.
    pub number: u32,
    /// Byte offset of the `[`.
    pub start: usize,
    /// Byte offset just past the `]`.
    pub end: usize,
}

/// A footnote definition line `[^N]: text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FootnoteDef {
    /// The footnote number N.
    pub number: u32,
    /// Byte offset of the `[` (a line start).
    pub start: usize,
    /// Byte offset of the end of the line, trailing whitespace excluded.
    pub end: usize,
    /// Byte offset of the note's text: after `]:` and the spaces/tabs that follow
    /// (equal to `end` for an empty definition).
    pub text_start: usize,
}

impl FootnoteDef {
    /// The byte range of the note's text (`text_start..end`).
    pub fn text_range(&self) -> Range<usize> {
        self.text_start..self.end
    }
}

/// The footnotes of a text: markers and definitions, each in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footnotes {
    /// Every marker, ascending by `start`.
    pub markers: Vec<FootnoteMarker>,
    /// Every definition, ascending by `start`.
    pub definitions: Vec<FootnoteDef>,
}

impl Footnotes {
    /// The first definition (in text order) of footnote `n`, if any.
    pub fn definition(&self, n: u32) -> Option<&FootnoteDef> {
        self.definitions.iter().find(|d| d.number == n)
    }

    /// The markers lying entirely inside byte range `r` (binary search over the
    /// ascending markers; a marker straddling a bound is not included).
    pub fn markers_in(&self, r: Range<usize>) -> &[FootnoteMarker] {
        let lo = self.markers.partition_point(|m| m.start < r.start);
        let hi = self.markers.partition_point(|m| m.end <= r.end);
        self.markers.get(lo..hi.max(lo)).unwrap_or(&[])
    }
}

/// Find the footnote markers and definitions of `text`.
///
/// See the [module documentation](self) for the syntax accepted.
pub fn footnotes(text: &str) -> Footnotes {
    let bytes = text.as_bytes();
    let mut out = Footnotes::default();
    for open in memchr::memmem::find_iter(bytes, b"[^") {
        let Some((number, close)) = parse_label(bytes, open) else {
            continue;
        };
        let end = close + 1;
        if bytes.get(end) == Some(&b':') && at_line_start(text, open) {
            let line_end = line_end(text, end + 1);
            let body = text.get(end + 1..line_end).unwrap_or("");
            let lead = body.len() - body.trim_start_matches([' ', '\t']).len();
            let trimmed_end = end + 1 + body.trim_end().len();
            let text_start = (end + 1 + lead).min(trimmed_end);
            out.definitions.push(FootnoteDef { number, start: open, end: trimmed_end, text_start });
        } else {
            out.markers.push(FootnoteMarker { number, start: open, end });
        }
    }
    out
}

/// Parse `[^digits]` at byte `open`: the number (if it fits a `u32`) and the offset of
/// the `]`.
fn parse_label(bytes: &[u8], open: usize) -> Option<(u32, usize)> {
    let digits_start = open + 2;
    let mut i = digits_start;
    let mut n: u32 = 0;
    let mut overflow = false;
    while let Some(&b) = bytes.get(i) {
        if !b.is_ascii_digit() {
            break;
        }
        match n.checked_mul(10).and_then(|v| v.checked_add(u32::from(b - b'0'))) {
            Some(v) => n = v,
            None => overflow = true,
        }
        i += 1;
    }
    if i == digits_start || overflow || bytes.get(i) != Some(&b']') {
        return None;
    }
    Some((n, i))
}

/// Whether byte `pos` of `text` starts a line.
fn at_line_start(text: &str, pos: usize) -> bool {
    text.get(..pos).is_some_and(|head| head.chars().next_back().is_none_or(is_line_terminator))
}

/// The byte offset of the end of the line containing byte `from` (before its
/// terminator).
///
/// Found with `memchr` rather than char by char (definitions are long lines,
/// most of a report's text): the first `\n`, then the other one-byte
/// terminators before it, then the lead bytes of NEL (`C2 85`) and U+2028/U+2029
/// (`E2 80 A8`/`A9`) before that, each confirmed by its following bytes.
fn line_end(text: &str, from: usize) -> usize {
    let Some(rest) = text.get(from..) else { return text.len() };
    let rest = rest.as_bytes();
    let mut end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    if let Some(k) = memchr::memchr3(b'\r', b'\x0B', b'\x0C', &rest[..end]) {
        end = k;
    }
    for k in memchr::memchr2_iter(0xC2, 0xE2, &rest[..end]) {
        let tail = &rest[k..];
        if tail.starts_with(&[0xC2, 0x85])
            || tail.starts_with(&[0xE2, 0x80, 0xA8])
            || tail.starts_with(&[0xE2, 0x80, 0xA9])
        {
            end = k;
            break;
        }
    }
    from + end
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "The agency opened a file in May.[^1] Officials met twice,[^2] once in Oslo.[^3]\n\nA second paragraph cites a note again.[^2]\n\nFootnotes\n\n[^1]: Interview of A. Doe, at 3.\n[^2]: Memo, Doe to Roe (Jan. 5, 2018); see also note [^1].  \r\n[^3]:\n[^10]:\tTabbed text.";

    #[test]
    fn sample_markers_and_definitions() {
        let f = footnotes(SAMPLE);
        let marker_texts: Vec<(u32, &str)> = f.markers.iter().map(|m| (m.number, &SAMPLE[m.start..m.end])).collect();
        assert_eq!(
            marker_texts,
            [
                (1, "[^1]"),
                (2, "[^2]"),
                (3, "[^3]"),
                (2, "[^2]"),
                (1, "[^1]") // inside definition 2
            ]
        );
        let defs: Vec<(u32, &str, &str)> =
            f.definitions.iter().map(|d| (d.number, &SAMPLE[d.start..d.end], &SAMPLE[d.text_range()])).collect();
        assert_eq!(
            defs,
            [
                (1, "[^1]: Interview of A. Doe, at 3.", "Interview of A. Doe, at 3."),
                (
                    2,
                    "[^2]: Memo, Doe to Roe (Jan. 5, 2018); see also note [^1].",
                    "Memo, Doe to Roe (Jan. 5, 2018); see also note [^1]."
                ),
                (3, "[^3]:", ""),
                (10, "[^10]:\tTabbed text.", "Tabbed text."),
            ]
        );
    }

    #[test]
    fn definition_lookup() {
        let f = footnotes(SAMPLE);
        assert_eq!(f.definition(2).map(|d| d.number), Some(2));
        assert_eq!(f.definition(10).map(|d| &SAMPLE[d.text_range()]), Some("Tabbed text."));
        assert!(f.definition(4).is_none());
        // Duplicates: the first in text order.
        let t = "[^7]: first\n[^7]: second";
        let f = footnotes(t);
        assert_eq!(f.definition(7).map(|d| &t[d.text_range()]), Some("first"));
    }

    #[test]
    fn markers_in_ranges() {
        let f = footnotes(SAMPLE);
        let first_para = 0..SAMPLE.find("\n\n").unwrap();
        let nums: Vec<u32> = f.markers_in(first_para).iter().map(|m| m.number).collect();
        assert_eq!(nums, [1, 2, 3]);
        assert!(f.markers_in(0..0).is_empty());
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 10..5;
        assert!(f.markers_in(reversed).is_empty());
        assert!(f.markers_in(SAMPLE.len()..usize::MAX).is_empty());
        // A marker straddling the range end is excluded.
        let m = f.markers[0];
        assert!(f.markers_in(0..m.end - 1).is_empty());
        assert_eq!(f.markers_in(m.start..m.end), &f.markers[..1]);
    }

    #[test]
    fn definitions_only_at_line_start() {
        let t = "Not a def: x [^4]: y\n  [^5]: indented\n[^6]: yes\u{0C}[^7]: after form feed";
        let f = footnotes(t);
        let defs: Vec<u32> = f.definitions.iter().map(|d| d.number).collect();
        assert_eq!(defs, [6, 7]);
        let markers: Vec<u32> = f.markers.iter().map(|m| m.number).collect();
        assert_eq!(markers, [4, 5]);
    }

    #[test]
    fn malformed_and_overflowing_labels_are_ignored() {
        let t = "[^] [^x] [^ 1] [^1 [^12a] [^4294967295] [^4294967296] [^99999999999999999999]\n[^4294967296]: big\n[^007]: padded";
        let f = footnotes(t);
        let markers: Vec<u32> = f.markers.iter().map(|m| m.number).collect();
        assert_eq!(markers, [u32::MAX]);
        let defs: Vec<u32> = f.definitions.iter().map(|d| d.number).collect();
        assert_eq!(defs, [7]);
    }

    #[test]
    fn nested_brackets_and_crlf() {
        let t = "See [[^3]] and [^[^4]].\r\n[^3]: Text.\r\n";
        let f = footnotes(t);
        let markers: Vec<(u32, usize)> = f.markers.iter().map(|m| (m.number, m.start)).collect();
        assert_eq!(markers, [(3, 5), (4, 17)]);
        assert_eq!(f.definitions.len(), 1);
        assert_eq!(&t[f.definitions[0].start..f.definitions[0].end], "[^3]: Text.");
    }

    #[test]
    fn empty_text() {
        assert_eq!(footnotes(""), Footnotes::default());
    }

    /// A check against the real corpus, when `CLAIMLEDGER_CORPUS` names its
    /// folder (CI sets it); without it the test skips, visibly.
    #[test]
    fn corpus_definition_counts() {
        let Some(dir) = crate::testing::corpus_dir("text::footnotes::tests::corpus_definition_counts") else {
            return;
        };
        for (file, count) in [("mueller-report-vol1.txt", 1283u32), ("mueller-report-vol2.txt", 1092)] {
            let path = std::path::Path::new(&dir).join(file);
            let text = std::fs::read_to_string(&path).expect("corpus file readable");
            let f = footnotes(&text);
            assert_eq!(f.definitions.len(), count as usize, "{file}");
            let numbers: Vec<u32> = f.definitions.iter().map(|d| d.number).collect();
            assert_eq!(numbers, (1..=count).collect::<Vec<_>>(), "{file}");
            for m in &f.markers {
                assert!(f.definition(m.number).is_some(), "{file}: marker {m:?}");
            }
            let body_end = f.definitions[0].start;
            let body_markers = f.markers_in(0..body_end);
            assert!(body_markers.len() >= count as usize, "{file}");
        }
    }

    proptest! {
        #[test]
        fn line_ends_are_found_as_by_chars(text in "(a|é|“|\u{85}|\u{2028}|\u{2029}|\u{2027}|\u{A0}|\n|\r|\u{0B}|\u{0C}| ){0,30}", from in 0usize..40) {
            let want = text.get(from..).and_then(|rest| rest.find(is_line_terminator).map(|k| from + k)).unwrap_or(text.len());
            prop_assert_eq!(line_end(&text, from), want);
        }

        #[test]
        fn invariants(text in "(\\[\\^[0-9]{0,11}\\]:? ?|[a-z ]{0,4}|\n|\r\n|\\[|\\^|\\]|é){0,40}") {
            let f = footnotes(&text);
            for m in &f.markers {
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                let label = &text[m.start..m.end];
                prop_assert!(label.starts_with("[^") && label.ends_with(']'));
                prop_assert_eq!(label[2..label.len() - 1].parse::<u32>().ok(), Some(m.number));
            }
            prop_assert!(f.markers.windows(2).all(|w| w[0].end <= w[1].start));
            prop_assert!(f.definitions.windows(2).all(|w| w[0].end <= w[1].start));
            for d in &f.definitions {
                prop_assert!(d.start <= d.text_start && d.text_start <= d.end);
                prop_assert!(text.is_char_boundary(d.text_start) && text.is_char_boundary(d.end));
                prop_assert!(!text[d.start..d.end].contains('\n'));
            }
            let all = f.markers_in(0..text.len());
            prop_assert_eq!(all.len(), f.markers.len());
        }
    }
}
