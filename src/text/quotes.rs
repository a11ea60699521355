//! Quotation finding: the spans of quoted words in an article, with their marks.
//!
//! # Design
//!
//! One left-to-right pass classifies every quote-mark character by its glyph and its
//! neighbours, then pairs openers with closers on a stack of at most two frames (an
//! outermost quotation, depth 0, and one nested quotation, depth 1). Every character is
//! looked at a bounded number of times, so the pass is linear in the length of the text
//! (texts over [`MAX_TEXT_BYTES`] are refused).
//!
//! Marks:
//! - curly doubles: `“` always opens, `”` always closes; guillemets `«` / `»` likewise;
//! - straight doubles `"` pair by context: a mark *opens* after the start of the text,
//!   whitespace, `(`, `[`, `{`, a dash `—`/`–` or an opening quote mark, when followed by
//!   a non-space character; it *closes* after a non-space character when followed by the
//!   end, whitespace or punctuation. A mark in neither context (`5"x7"`) is ignored; one
//!   in both closes an open straight quotation, else opens one;
//! - single quotes (`‘…’`, `'…'`) are the nested quotations inside a double one; at the
//!   top level a single pair is accepted the same way, only when it clearly opens (after
//!   the start, whitespace, an opening bracket or mark, before a letter) and clearly
//!   closes (after a non-space, before the end, whitespace or punctuation).
//!
//! Apostrophes are never quote marks: a `’` or `'` between two alphanumerics
//! (`Trump’s`, `O'Brien`) or after whitespace (`’90s`), a would-be opener followed by a
//! digit (`‘90s`) or by an elided word of [`ELISIONS`] (`Manafort ‘s`, `‘em`, the first
//! mark of `rock ’n’ roll`), and the second mark of `’n’`. A single closer right after an
//! `s` (`the Joneses’ house`) is *weak*: it closes a single quotation only if no other
//! closer does before the next single opener, the enclosing quotation's closer or the end
//! of the paragraph; with no single quotation open it is an apostrophe.
//!
//! Paragraphs: as in [`super::segment`], every line break ends a paragraph. A quotation
//! may run over several sentences, and over a paragraph break only when the next
//! paragraph starts with the same opening mark (the newspaper convention for a quotation
//! of several paragraphs): that mark is then a continuation, not a new quotation, and
//! the one [`Quotation`] spans every paragraph (its text includes the line breaks and
//! the continuation marks). Otherwise a quotation still open at the end of a paragraph
//! is dropped, not guessed; so is a nested one, whatever the outer one does. A double
//! opener of the same glyph as the open quotation (outside that convention) also drops
//! the open one and starts anew. Quotations with only whitespace between the marks are
//! not reported.

use std::ops::Range;

use crate::{Error, Result};

/// Longest text [`quotations`] accepts, in bytes (64 MiB).
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Words that, right after a would-be single opening mark and followed by a
/// non-letter, show that the mark is an apostrophe of elision (compared ignoring ASCII
/// case): `Manafort ‘s credibility`, `rock ’n’ roll`, `‘em`, `‘til`, `‘tis`, `‘twas`,
/// `‘cause`, `‘bout`.
pub const ELISIONS: &[&str] = &["s", "n", "em", "til", "tis", "twas", "cause", "bout"];

/// The glyph family of a quotation's marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuoteMark {
    /// `“…”`
    CurlyDouble,
    /// `"…"`
    StraightDouble,
    /// `‘…’`
    CurlySingle,
    /// `'…'`
    StraightSingle,
    /// `«…»`
    Guillemet,
}

impl QuoteMark {
    /// Whether this is a single-quote family.
    pub fn is_single(self) -> bool {
        matches!(self, QuoteMark::CurlySingle | QuoteMark::StraightSingle)
    }

    /// The opening mark's character.
    pub fn opening_char(self) -> char {
        match self {
            QuoteMark::CurlyDouble => '“',
            QuoteMark::StraightDouble => '"',
            QuoteMark::CurlySingle => '‘',
            QuoteMark::StraightSingle => '\'',
            QuoteMark::Guillemet => '«',
        }
    }
}

/// One quotation: the text between two matching quote marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quotation {
    /// Byte offset of the first character after the opening mark.
    pub start: usize,
    /// Byte offset of the closing mark (the quoted text is `start..end`).
    pub end: usize,
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset of the closing mark (equal to `end`).
    pub close: usize,
    /// The marks' glyph family.
    pub mark: QuoteMark,
    /// 0 for an outermost quotation, 1 for one nested in another.
    pub depth: u8,
}

impl Quotation {
    /// The quoted text's byte range (`start..end`), marks excluded.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Every quotation of `text`, ordered by `start` (then by `open`); nested quotations are
/// included with depth 1.
///
/// See the [module documentation](self) for the rules.
///
/// # Errors
///
/// [`Error::TooLarge`] when `text` is longer than [`MAX_TEXT_BYTES`].
pub fn quotations(text: &str) -> Result<Vec<Quotation>> {
    check_len(text.len())?;
    let mut pairer = Pairer { text, stack: Vec::with_capacity(2), out: Vec::new() };
    let mut hist = History::default();
    let mut skip: Option<usize> = None;
    let mut i = 0;
    while let Some(c) = text.get(i..).and_then(|s| s.chars().next()) {
        if c.is_whitespace() {
            // Consume the whole whitespace run at once (linear time) and note whether it
            // holds a line break (a paragraph break).
            let mut j = i;
            let mut last = c;
            let mut line_break = false;
            while let Some(w) = text.get(j..).and_then(|s| s.chars().next()) {
                if !w.is_whitespace() {
                    break;
                }
                line_break |= is_line_terminator(w);
                last = w;
                j += w.len_utf8();
            }
            hist.push(last);
            if line_break {
                skip = pairer.paragraph_break(j);
            }
            i = j;
            continue;
        }
        let len = c.len_utf8();
        if skip == Some(i) {
            skip = None;
        } else if is_quote_char(c) {
            let next = text.get(i + len..).and_then(|s| s.chars().next());
            match classify(c, &hist, next, text.get(i + len..).unwrap_or("")) {
                Tok::Open(mark) => pairer.open(mark, i, len),
                Tok::Close(mark, strong) => pairer.close(mark, i, strong),
                Tok::Either(mark) => {
                    if pairer.stack.iter().any(|f| f.mark == mark) {
                        pairer.close(mark, i, true);
                    } else {
                        pairer.open(mark, i, len);
                    }
                }
                Tok::None => {}
            }
        }
        hist.push(c);
        i += len;
    }
    pairer.finish();
    let mut out = pairer.out;
    out.sort_unstable_by_key(|q| (q.start, q.open, q.close));
    Ok(out)
}

/// Refuse lengths over [`MAX_TEXT_BYTES`].
fn check_len(len: usize) -> Result<()> {
    if len > MAX_TEXT_BYTES {
        return Err(Error::TooLarge { what: "text to search for quotations", len, max: MAX_TEXT_BYTES });
    }
    Ok(())
}

/// The last three characters seen (most recent first).
#[derive(Default)]
struct History {
    prev: Option<char>,
    prev2: Option<char>,
    prev3: Option<char>,
}

impl History {
    fn push(&mut self, c: char) {
        self.prev3 = self.prev2;
        self.prev2 = self.prev;
        self.prev = Some(c);
    }
}

/// What a quote character is, in context.
enum Tok {
    Open(QuoteMark),
    /// A closer; `false` = weak (single closer after `s`, maybe a plural possessive).
    Close(QuoteMark, bool),
    /// A straight double in both opening and closing context.
    Either(QuoteMark),
    None,
}

fn is_quote_char(c: char) -> bool {
    matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '«' | '»')
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Punctuation that may follow a closing mark.
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '’' | '”'
                | '‘'
                | '“'
                | '—'
                | '–'
                | '‐'
                | '‑'
                | '‒'
                | '―'
                | '…'
                | '»'
                | '«'
                | '‹'
                | '›'
                | '¡'
                | '¿'
                | '·'
                | '•'
        )
}

/// Whether `prev` lets a mark open: start of text, whitespace, an opening bracket, a
/// dash or an opening quote mark (straight marks of the other family included).
fn opens_after(prev: Option<char>, single: bool) -> bool {
    match prev {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(c, '(' | '[' | '{' | '—' | '–' | '“' | '‘' | '«')
                || (single && c == '"')
                || (!single && c == '\'')
        }
    }
}

/// Whether `next` lets a mark close: end of text, whitespace or punctuation.
fn closes_before(next: Option<char>) -> bool {
    next.is_none_or(|c| c.is_whitespace() || is_punct(c))
}

/// Whether `after` (the text right after a single mark) starts with an elided word.
fn starts_with_elision(after: &str) -> bool {
    let word_len = after.bytes().take(8).take_while(u8::is_ascii_alphabetic).count();
    if word_len == 0 || word_len >= 8 {
        return false;
    }
    let followed_by_letter = after.get(word_len..).and_then(|s| s.chars().next()).is_some_and(char::is_alphabetic);
    if followed_by_letter {
        return false;
    }
    let word = &after.as_bytes()[..word_len];
    ELISIONS.iter().any(|e| e.as_bytes().eq_ignore_ascii_case(word))
}

/// Classify quote character `c` with the characters before (`hist`) and after it.
fn classify(c: char, hist: &History, next: Option<char>, after: &str) -> Tok {
    let prev = hist.prev;
    let prev_solid = prev.is_some_and(|p| !p.is_whitespace());
    match c {
        '“' => Tok::Open(QuoteMark::CurlyDouble),
        '”' => Tok::Close(QuoteMark::CurlyDouble, true),
        '«' => Tok::Open(QuoteMark::Guillemet),
        '»' => Tok::Close(QuoteMark::Guillemet, true),
        '"' => {
            let open = opens_after(prev, false) && next.is_some_and(|n| !n.is_whitespace());
            let close = prev_solid && closes_before(next);
            match (open, close) {
                (true, true) => Tok::Either(QuoteMark::StraightDouble),
                (true, false) => Tok::Open(QuoteMark::StraightDouble),
                (false, true) => Tok::Close(QuoteMark::StraightDouble, true),
                (false, false) => Tok::None,
            }
        }
        '‘' | '’' | '\'' => {
            let mark = if c == '\'' { QuoteMark::StraightSingle } else { QuoteMark::CurlySingle };
            // Inside a word: an apostrophe.
            if prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric) {
                return Tok::None;
            }
            if c != '’'
                && opens_after(prev, true)
                && next.is_some_and(char::is_alphabetic)
                && !starts_with_elision(after)
            {
                return Tok::Open(mark);
            }
            if c != '‘' && prev_solid && closes_before(next) {
                // The second mark of `’n’`.
                let n_elision = prev == Some('n')
                    && hist.prev2.is_some_and(|q| matches!(q, '‘' | '’' | '\''))
                    && hist.prev3.is_none_or(char::is_whitespace);
                if n_elision {
                    return Tok::None;
                }
                let strong = !matches!(prev, Some('s' | 'S'));
                return Tok::Close(mark, strong);
            }
            Tok::None
        }
        _ => Tok::None,
    }
}

/// An open quotation.
struct Frame {
    mark: QuoteMark,
    /// Byte offset of the opening mark.
    open: usize,
    /// Byte length of the opening mark.
    open_len: usize,
    /// For single quotations: the last weak closer seen.
    weak: Option<usize>,
}

/// The pairing state: at most two open frames.
struct Pairer<'a> {
    text: &'a str,
    stack: Vec<Frame>,
    out: Vec<Quotation>,
}

impl Pairer<'_> {
    /// Record the quotation of `frame` closed at byte `close`, at `depth`.
    fn emit(&mut self, frame: &Frame, close: usize, depth: usize) {
        let start = frame.open + frame.open_len;
        let blank = self.text.get(start..close).is_none_or(|s| s.trim().is_empty());
        if blank {
            return;
        }
        self.out.push(Quotation {
            start,
            end: close,
            open: frame.open,
            close,
            mark: frame.mark,
            depth: u8::try_from(depth).unwrap_or(u8::MAX),
        });
    }

    /// Pop the top frame (a single quotation): close it at its weak closer, if any, else
    /// drop it.
    fn resolve_top(&mut self) {
        if let Some(frame) = self.stack.pop()
            && let Some(w) = frame.weak
        {
            let depth = self.stack.len();
            self.emit(&frame, w, depth);
        }
    }

    fn open(&mut self, mark: QuoteMark, pos: usize, len: usize) {
        let frame = Frame { mark, open: pos, open_len: len, weak: None };
        loop {
            let Some(top) = self.stack.last() else {
                self.stack.push(frame);
                return;
            };
            let depth = self.stack.len();
            match (top.mark.is_single(), mark.is_single()) {
                // A single after a single: the open one ends here at best.
                (true, true) => self.resolve_top(),
                // A double inside a top-level single quotation.
                (true, false) if depth == 1 => {
                    self.stack.push(frame);
                    return;
                }
                (true, false) => self.resolve_top(),
                (false, true) => {
                    if depth == 1 {
                        self.stack.push(frame);
                    }
                    // No depth 2: ignored.
                    return;
                }
                (false, false) if top.mark == mark => {
                    // Same glyph reopened: the open quotation was never closed.
                    self.stack.pop();
                }
                (false, false) => {
                    if depth == 1 {
                        self.stack.push(frame);
                    }
                    return;
                }
            }
        }
    }

    fn close(&mut self, mark: QuoteMark, pos: usize, strong: bool) {
        if mark.is_single() {
            match self.stack.last_mut() {
                Some(top) if top.mark == mark => {
                    if strong {
                        if let Some(frame) = self.stack.pop() {
                            let depth = self.stack.len();
                            self.emit(&frame, pos, depth);
                        }
                    } else {
                        top.weak = Some(pos);
                    }
                }
                // An apostrophe (or a stray mark).
                _ => {}
            }
            return;
        }
        let Some(idx) = self.stack.iter().rposition(|f| f.mark == mark) else {
            return; // a stray closer
        };
        while self.stack.len() > idx + 1 {
            if self.stack.last().is_some_and(|f| f.mark.is_single()) {
                self.resolve_top();
            } else {
                self.stack.pop();
            }
        }
        if let Some(frame) = self.stack.pop() {
            self.emit(&frame, pos, idx);
        }
    }

    /// A paragraph break; `next` is the byte offset of the next paragraph's first
    /// character. Returns the offset of a continuation mark to skip, if any.
    fn paragraph_break(&mut self, next: usize) -> Option<usize> {
        while self.stack.last().is_some_and(|f| f.mark.is_single()) {
            self.resolve_top();
        }
        self.stack.truncate(1);
        let mark = self.stack.first()?.mark;
        let first = self.text.get(next..).and_then(|s| s.chars().next());
        if first == Some(mark.opening_char()) {
            Some(next)
        } else {
            self.stack.clear();
            None
        }
    }

    /// End of text: pending single quotations close at their weak closer; the rest is
    /// dropped.
    fn finish(&mut self) {
        while let Some(top) = self.stack.last() {
            if top.mark.is_single() {
                self.resolve_top();
            } else {
                self.stack.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (quoted text, mark, depth) of every quotation.
    fn found(text: &str) -> Vec<(&str, QuoteMark, u8)> {
        quotations(text).expect("quotations").iter().map(|q| (&text[q.start..q.end], q.mark, q.depth)).collect()
    }

    use QuoteMark::*;

    #[test]
    fn curly_doubles_with_offsets() {
        let t = "Aides said the deal was “done” and “final.”";
        let q = quotations(t).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(&t[q[0].range()], "done");
        assert_eq!(q[0].open, t.find('“').unwrap());
        assert_eq!(q[0].start, q[0].open + '“'.len_utf8());
        assert_eq!(q[0].close, q[0].end);
        assert_eq!(&t[q[0].close..q[0].close + 3], "”");
        assert_eq!(&t[q[1].range()], "final.");
        assert_eq!(q[1].depth, 0);
        assert_eq!(q[1].mark, CurlyDouble);
    }

    #[test]
    fn straight_doubles_pair_by_context() {
        let t = "He said \"yes\" and then \"no.\" A 5\"x7\" print was \"framed\"; (\"odd\")";
        assert_eq!(
            found(t),
            [
                ("yes", StraightDouble, 0),
                ("no.", StraightDouble, 0),
                ("framed", StraightDouble, 0),
                ("odd", StraightDouble, 0),
            ]
        );
        assert_eq!(
            found("\"We will win,\" she said.—\"Maybe.\""),
            [("We will win,", StraightDouble, 0), ("Maybe.", StraightDouble, 0)]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let t = "Trump’s aide read WikiLeaks’s posts from the ’90s, hummed rock ’n’ roll and parked at the Joneses’ house. O'Brien's '80s car. The ‘90s too.";
        assert!(found(t).is_empty(), "{:?}", found(t));
        let t2 = "“Because of doubts about Garner ‘s credibility, the desk could not verify it,” the editor wrote.";
        assert_eq!(
            found(t2),
            [("Because of doubts about Garner ‘s credibility, the desk could not verify it,", CurlyDouble, 0)]
        );
        assert!(found("Tapes and records ‘em all, rock ‘n’ roll ‘til dawn.").is_empty());
    }

    #[test]
    fn nested_singles_inside_doubles() {
        let t = "“He told me ‘we are done’ and left,” she said. \"Call it 'final,' he said.\"";
        assert_eq!(
            found(t),
            [
                ("He told me ‘we are done’ and left,", CurlyDouble, 0),
                ("we are done", CurlySingle, 1),
                ("Call it 'final,' he said.", StraightDouble, 0),
                ("final,", StraightSingle, 1),
            ]
        );
    }

    #[test]
    fn weak_closer_after_s() {
        // The possessive inside the nested quote does not close it.
        let t = "“She called it ‘the Joneses’ house’ twice,” he said.";
        assert_eq!(
            found(t),
            [("She called it ‘the Joneses’ house’ twice,", CurlyDouble, 0), ("the Joneses’ house", CurlySingle, 1),]
        );
        // A weak closer is used when nothing better comes.
        let t2 = "“They are ‘the Smiths’,” he said.";
        assert_eq!(found(t2), [("They are ‘the Smiths’,", CurlyDouble, 0), ("the Smiths", CurlySingle, 1),]);
        // A weak closer when no single quote is open is an apostrophe.
        assert_eq!(found("“We met the Joneses’ lawyer,” he said."), [("We met the Joneses’ lawyer,", CurlyDouble, 0)]);
    }

    #[test]
    fn top_level_single_pairs() {
        assert_eq!(
            found("The memo called it ‘a witch hunt’ twice. It was 'over' by noon."),
            [("a witch hunt", CurlySingle, 0), ("over", StraightSingle, 0)]
        );
        // British style: doubles nested in singles.
        assert_eq!(
            found("‘He said “never” to me,’ she wrote."),
            [("He said “never” to me,", CurlySingle, 0), ("never", CurlyDouble, 1),]
        );
    }

    #[test]
    fn quote_over_several_sentences() {
        let t = "“We met. We talked. We left,” he said.";
        assert_eq!(found(t), [("We met. We talked. We left,", CurlyDouble, 0)]);
    }

    #[test]
    fn quote_over_paragraphs_needs_a_continuation_mark() {
        let t = "He wrote: “The first part ends here.\n\n“The second part ends here.”\nDone.";
        let q = quotations(t).unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].open, t.find('“').unwrap());
        assert_eq!(&t[q[0].range()], "The first part ends here.\n\n“The second part ends here.");
        // Without the continuation mark the unclosed quote is dropped.
        let t2 = "He wrote: “The first part ends here.\n\nThe second part ends here.” Then “done.”";
        assert_eq!(found(t2), [("done.", CurlyDouble, 0)]);
        // Any line break is a paragraph break.
        let t3 = "He wrote: “The first line\r\nand the second.”";
        assert!(found(t3).is_empty());
    }

    #[test]
    fn unclosed_nested_is_dropped_at_paragraph_end() {
        let t = "“She said ‘maybe and left.\n“It went on.”";
        assert_eq!(found(t), [("She said ‘maybe and left.\n“It went on.", CurlyDouble, 0)]);
    }

    #[test]
    fn reopened_double_drops_the_unclosed_one() {
        let t = "A stray “opener here, and then “the real quote” later.";
        assert_eq!(found(t), [("the real quote", CurlyDouble, 0)]);
    }

    #[test]
    fn stray_closers_and_empty_quotes_are_ignored() {
        assert!(found("A stray ” closer and “” and “  ” and \"\" here.").is_empty());
    }

    #[test]
    fn guillemets() {
        assert_eq!(
            found("Il a dit « non » puis “fine «ok» then”."),
            [(" non ", Guillemet, 0), ("fine «ok» then", CurlyDouble, 0), ("ok", Guillemet, 1),]
        );
    }

    #[test]
    fn news_sample() {
        let t = "Officials “expressed excitement about the release,” Ortiz said, while on July 9 the mayor asked the city to “find” them.\n\n“The Campaign showed interest in the releases,” the report reads. Later it says the aide “perceived a shift in the Campaign’s approach toward Ruritania.”\n\nLatest News";
        assert_eq!(
            found(t),
            [
                ("expressed excitement about the release,", CurlyDouble, 0),
                ("find", CurlyDouble, 0),
                ("The Campaign showed interest in the releases,", CurlyDouble, 0),
                ("perceived a shift in the Campaign’s approach toward Ruritania.", CurlyDouble, 0),
            ]
        );
    }

    #[test]
    fn too_large() {
        assert!(check_len(MAX_TEXT_BYTES).is_ok());
        assert!(matches!(
            check_len(MAX_TEXT_BYTES + 1),
            Err(Error::TooLarge { len, max, .. }) if len == MAX_TEXT_BYTES + 1 && max == MAX_TEXT_BYTES
        ));
        let big = " ".repeat(MAX_TEXT_BYTES + 1);
        assert!(matches!(quotations(&big), Err(Error::TooLarge { .. })));
    }

    /// A text of nothing but quote marks (about 2 MB): every quotation found is
    /// ordered, on character boundaries, and holds only marks. Its speed is the
    /// benches' business (`benches/anchor.rs`), not asserted here.
    #[test]
    fn a_text_of_only_quote_marks_gives_ordered_quotations_of_marks() {
        let unit = "“”\"'‘’«»\"\"''“““”””‘‘’’";
        let text = unit.repeat(200_000 / unit.len() * 10);
        let q = quotations(&text).unwrap();
        for w in q.windows(2) {
            assert!((w[0].start, w[0].open) <= (w[1].start, w[1].open));
        }
        for x in &q {
            assert!(x.open < x.start && x.start <= x.end && x.end == x.close && x.close < text.len(), "{x:?}");
            assert!([x.open, x.start, x.end, x.close].iter().all(|&o| text.is_char_boundary(o)));
            assert!(text[x.range()].chars().all(|c| unit.contains(c)), "{x:?}");
        }
    }

    /// Each family of marks, and a single quotation nested in a double one.
    #[test]
    fn every_family_of_marks_and_one_nesting() {
        let t = "“a ‘b’ c” 'd' \"e\" «f»";
        assert_eq!(
            found(t),
            [
                ("a ‘b’ c", CurlyDouble, 0),
                ("b", CurlySingle, 1),
                ("d", StraightSingle, 0),
                ("e", StraightDouble, 0),
                ("f", Guillemet, 0)
            ]
        );
    }

    /// A check against the real corpus, when `CLAIMLEDGER_CORPUS` names its
    /// folder (CI sets it); without it the test skips, visibly.
    #[test]
    fn corpus_smoke() {
        let Some(dir) = crate::testing::corpus_dir("text::quotes::tests::corpus_smoke") else {
            return;
        };
        for file in [
            "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
            "mueller-report-vol1.txt",
            "mueller-report-vol2.txt",
        ] {
            let path = std::path::Path::new(&dir).join(file);
            let text = std::fs::read_to_string(&path).expect("corpus file readable");
            check(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            let q = quotations(&text).expect("quotations");
            // Almost every curly opener pairs (the sources have a few typos).
            let openers = text.matches('“').count();
            let paired = q.iter().filter(|x| x.mark == CurlyDouble).count();
            assert!(paired * 100 >= openers * 99, "{file}: {paired} of {openers}");
            // No quotation starts with an elided `s` (`Manafort ‘s`).
            for x in &q {
                let body = &text[x.range()];
                assert!(!body.starts_with("s "), "{file}: {body:?}");
            }
        }
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let q = quotations(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut prev: Option<&Quotation> = None;
        for x in &q {
            for off in [x.start, x.end, x.open, x.close] {
                prop_assert!(text.is_char_boundary(off), "{x:?}");
            }
            prop_assert!(x.start <= x.end, "{x:?}");
            prop_assert!(x.open < x.start, "{x:?}");
            prop_assert!(x.end <= x.close, "{x:?}");
            prop_assert!(x.close < text.len(), "{x:?}");
            prop_assert!(x.depth <= 1);
            prop_assert!(is_quote_char(text[x.open..].chars().next().unwrap_or(' ')));
            prop_assert!(is_quote_char(text[x.close..].chars().next().unwrap_or(' ')));
            if let Some(p) = prev {
                prop_assert!(p.start <= x.start, "not ordered: {p:?} then {x:?}");
            }
            prev = Some(x);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn invariants_any_string(text in any::<String>()) {
            check(&text)?;
        }

        #[test]
        fn invariants_quote_heavy(text in "([a-z]{1,4}|[ .,\n“”\"'‘’«»()sn]){0,80}") {
            check(&text)?;
        }
    }
}
