//! Quotation finding: the spans of quoted words in an article, with their marks,
//! how they nest, and the marks that do not balance.
//!
//! # Design
//!
//! One left-to-right pass classifies every quote-mark character by its glyph and its
//! neighbours, then pairs openers with closers on a stack of open quotations of any
//! depth. Every character is looked at a bounded number of times and each kind of
//! mark keeps its own list of open quotations, so the pass is linear in the length
//! of the text (texts over [`MAX_TEXT_BYTES`] are refused). [`analyze`] accounts for
//! every quote character: it opens, closes or continues a quotation, is reported as
//! unbalanced, or is an apostrophe, an inch mark, or a mark of an empty pair.
//!
//! Marks:
//! - curly doubles: `“` always opens, `”` always closes; guillemets `«` / `»` likewise;
//! - straight doubles `"` pair by context: a mark *opens* after the start of the text,
//!   whitespace, `(`, `[`, `{`, a dash `—`/`–` or an opening quote mark, when followed by
//!   a non-space character; it *closes* after a non-space character when followed by the
//!   end, whitespace or punctuation. A mark in neither context (`5"x7"`) is an inch
//!   or ditto mark, and so is a closing-context mark right after a digit (`a 12"
//!   pipe`) when no double quotation is open; one in both contexts closes an open
//!   straight quotation, else opens one;
//! - straight and curly marks of the same family pair in any mix (`“…"`, `"…”`);
//! - single quotes (`‘…’`, `'…'`) are accepted only when they clearly open (after the
//!   start, whitespace, an opening bracket or mark, before a letter) and clearly
//!   close (after a non-space, before the end, whitespace or punctuation); a single
//!   closer closes only a single quotation that is the innermost open one.
//!
//! Nesting: any opener inside an open quotation starts a quotation nested in it,
//! at any depth: singles in doubles, doubles in singles, and doubles in doubles
//! (`“… recognition that “the evidence does not establish …” …”`). A closer closes
//! the innermost open quotation of its family; quotations opened inside that one
//! and still open end there (they are unbalanced). Each quotation knows its
//! `parent`. Nesting deeper than [`MAX_DEPTH`] never occurs in prose: an
//! opener beyond it ends the innermost open quotation (as unclosed) right before
//! it, which keeps the pass linear in time and in the size of its output.
//!
//! Apostrophes are never quote marks: a `’` or `'` between two alphanumerics
//! (`Trump’s`, `O'Brien`) or after whitespace (`’90s`), a would-be opener followed by a
//! digit (`‘90s`) or by an elided word of [`ELISIONS`] (`Manafort ‘s`, `‘em`, the first
//! mark of `rock ’n’ roll`), the second mark of `’n’`, a single closer after a digit
//! (a prime, `6'`), and a single closer with no single quotation innermost
//! (`runnin’`). A single closer right after an `s` (`the Joneses’ house`) is
//! *weak*: it closes a single quotation only if no other closer does before the
//! next opener, the enclosing quotation's closer, a closer nothing opened or the
//! end of the paragraph; otherwise it is an apostrophe.
//!
//! Paragraphs: as in [`super::segment`], every line break ends a paragraph. A quotation
//! may run over several sentences, and over a paragraph break when the next paragraph
//! starts with an opening mark of its family (the newspaper convention for a
//! quotation of several paragraphs: each paragraph opens with a mark, only the last
//! one closes): that mark is then a continuation, not a new quotation, and the one
//! [`Quotation`] spans every paragraph (its text includes the line breaks and the
//! continuation marks). Nested quotations continue the same way when the
//! paragraph opens with their marks too, outermost first (`“‘`).
//!
//! Unbalanced marks are never dropped silently: each gives a [`Warning`] with the
//! extent assumed, and (when that extent holds any text) a [`Quotation`] marked
//! [`Quotation::unbalanced`], which is checked like any other. An opener that
//! nothing closes is assumed to quote up to the end of its paragraph (when the
//! next paragraph does not continue it) or up to the closer of the quotation
//! holding it; a closer that nothing opened is assumed to quote from the start of
//! its paragraph, the end of the paragraph's last quotation, or the opening mark
//! of the quotation holding it, whichever comes last. Quotations with only
//! whitespace between the marks are not reported (their marks are an empty pair).

use std::ops::Range;

use crate::{Error, Result};

/// Longest text [`quotations`] accepts, in bytes (64 MiB).
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// One convention of marking quotations in an article that detection follows,
/// with an example: the README's "Finding quotations" table is this table (a test
/// holds the two together, and another runs every example).
#[derive(Debug, Clone, Copy)]
pub struct MarkConvention {
    /// Short name (the README's first column).
    pub name: &'static str,
    /// What the article does.
    pub rule: &'static str,
    /// What detection reports.
    pub found: &'static str,
    /// An example article text ...
    pub example: &'static str,
    /// ... the quoted texts found in it, in order, each with its parent's
    /// position in this list ...
    pub quotations: &'static [(&'static str, Option<usize>)],
    /// ... and the warnings it gives (unbalanced marks), in text order.
    pub warnings: &'static [Unbalanced],
}

/// Every convention of marking quotations that detection follows, with an
/// example each.
pub const CONVENTIONS: &[MarkConvention] = &[
    MarkConvention {
        name: "quotation over several paragraphs",
        rule: "each paragraph of the quotation opens with a quote mark, only the last one closes",
        found: "one quotation over every paragraph (the continuation marks are part of its text)",
        example: "He wrote: “The first part ends here.\n\n“The second part ends here.”",
        quotations: &[("The first part ends here.\n\n“The second part ends here.", None)],
        warnings: &[],
    },
    MarkConvention {
        name: "quotes inside quotes",
        rule: "a quotation holds another (single marks in double ones, doubles in singles, doubles in doubles), at any depth",
        found: "each quotation on its own, checked on its own, with `parent` naming the one holding it",
        example: "“The counsel states that ‘it does not exonerate him’,” Barr said.",
        quotations: &[
            ("The counsel states that ‘it does not exonerate him’,", None),
            ("it does not exonerate him", Some(0)),
        ],
        warnings: &[],
    },
    MarkConvention {
        name: "straight and typographic marks",
        rule: "`\"` and `“ ”`, `'` and `‘ ’` in any mix; a straight mark opens or closes by the characters around it",
        found: "the quotation, whichever marks it uses; an inch mark (`12\"`) or an apostrophe (`Trump’s`, `’90s`, `rock ’n’ roll`) is no quote mark",
        example: "He called it “a hoax\" and 'a witch hunt’ in a 12\" headline.",
        quotations: &[("a hoax", None), ("a witch hunt", None)],
        warnings: &[],
    },
    MarkConvention {
        name: "who is quoted",
        rule: "a reporting verb (`said`, `writes`), `according to` or a colon introduction names the speaker, in the quotation's sentence or the one before",
        found: "the quotation, with its `attribution` (speaker and cue; see \"Who is quoted\"), null when the article names nobody",
        example: "“The case is closed,” McConnell said.",
        quotations: &[("The case is closed,", None)],
        warnings: &[],
    },
    MarkConvention {
        name: "unclosed mark",
        rule: "an opening mark that nothing closes",
        found: "a warning, and the quotation assumed to run to the end of its paragraph (or to the closing mark of the quotation holding it)",
        example: "“The report stated that the evidence did not establish a conspiracy.\n\nThe senator left.",
        quotations: &[("The report stated that the evidence did not establish a conspiracy.", None)],
        warnings: &[Unbalanced::Unclosed],
    },
    MarkConvention {
        name: "unopened mark",
        rule: "a closing mark that nothing opened",
        found: "a warning, and the quotation assumed to start at its paragraph, after the paragraph's last quotation, or after the opening mark of the quotation holding it",
        example: "The evidence did not establish a crime,” Barr said.",
        quotations: &[("The evidence did not establish a crime,", None)],
        warnings: &[Unbalanced::Unopened],
    },
];

/// Most quotations open at once, one inside the other. An opener beyond this
/// depth ends the innermost open quotation, as unclosed, right before it.
pub const MAX_DEPTH: usize = 8;

/// Words that, right after a would-be single opening mark and followed by a
/// non-letter, show that the mark is an apostrophe of elision (compared ignoring ASCII
/// case): `Manafort ‘s credibility`, `rock ’n’ roll`, `‘em`, `‘til`, `‘tis`, `‘twas`,
/// `‘cause`, `‘bout`, and the ends of contractions after a stray space (`couldn 't`,
/// `he 'd`, `we 'll`, `they 're`, `I 've`, `I 'm`).
pub const ELISIONS: &[&str] = &["s", "n", "em", "til", "tis", "twas", "cause", "bout", "t", "d", "ll", "re", "ve", "m"];

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

/// Which marks pair with which: double marks (curly or straight, in any mix),
/// single marks (likewise), guillemets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
    Guillemet,
}

impl Kind {
    fn index(self) -> usize {
        match self {
            Kind::Double => 0,
            Kind::Single => 1,
            Kind::Guillemet => 2,
        }
    }

    /// Whether `c` opens a quotation of this kind (a continuation mark).
    fn opened_by(self, c: char) -> bool {
        match self {
            Kind::Double => matches!(c, '“' | '"'),
            Kind::Single => matches!(c, '‘' | '\''),
            Kind::Guillemet => c == '«',
        }
    }
}

impl QuoteMark {
    /// Whether this is a single-quote family.
    pub fn is_single(self) -> bool {
        matches!(self, QuoteMark::CurlySingle | QuoteMark::StraightSingle)
    }

    fn kind(self) -> Kind {
        match self {
            QuoteMark::CurlyDouble | QuoteMark::StraightDouble => Kind::Double,
            QuoteMark::CurlySingle | QuoteMark::StraightSingle => Kind::Single,
            QuoteMark::Guillemet => Kind::Guillemet,
        }
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

/// How a quotation's marks fail to balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unbalanced {
    /// An opening mark that nothing closes: the quotation is assumed to run to the
    /// end of its paragraph, or to the closing mark of the quotation holding it.
    Unclosed,
    /// A closing mark that nothing opened: the quotation is assumed to start at
    /// the start of its paragraph, after the paragraph's last quotation, or after
    /// the opening mark of the quotation holding it, whichever is last.
    Unopened,
}

impl Unbalanced {
    /// Stable code: `unclosed` or `unopened`.
    pub fn code(self) -> &'static str {
        match self {
            Unbalanced::Unclosed => "unclosed",
            Unbalanced::Unopened => "unopened",
        }
    }
}

/// One quotation: the text between two matching quote marks (or, for an
/// unbalanced mark, the extent assumed for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quotation {
    /// Byte offset of the first character after the opening mark (for an
    /// [`Unbalanced::Unopened`] quotation, the assumed start).
    pub start: usize,
    /// Byte offset of the closing mark (for an [`Unbalanced::Unclosed`] one, the
    /// assumed end); the quoted text is `start..end`.
    pub end: usize,
    /// Byte offset of the opening mark (equal to `start` when there is none).
    pub open: usize,
    /// Byte offset of the closing mark (equal to `end`).
    pub close: usize,
    /// The marks' glyph family (of the opening mark; of the closing one when
    /// there is no opening mark).
    pub mark: QuoteMark,
    /// 0 for an outermost quotation, 1 for one nested in another, and so on.
    pub depth: u32,
    /// Index (in the list returned) of the quotation this one is nested in.
    pub parent: Option<usize>,
    /// Set when the marks do not balance and the extent is assumed.
    pub unbalanced: Option<Unbalanced>,
}

impl Quotation {
    /// The quoted text's byte range (`start..end`), marks excluded.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The byte range with the marks that exist (`open` to the end of the
    /// closing mark, or to `end` when there is none).
    pub fn outer_range(&self, text: &str) -> Range<usize> {
        let close_len = if self.unbalanced == Some(Unbalanced::Unclosed) {
            0
        } else {
            text.get(self.close..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8)
        };
        self.open..self.close + close_len
    }
}

/// What a quote character of the text turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The opening mark of quotation `n` (an index into [`Analysis::quotations`]).
    Opens(usize),
    /// The closing mark of quotation `n`.
    Closes(usize),
    /// A mark opening a paragraph inside quotation `n`: the quotation goes on
    /// from the previous paragraph (it is part of the quoted text).
    Continues(usize),
    /// A mark that does not balance: warning `n` of [`Analysis::warnings`].
    Unbalanced(usize),
    /// An apostrophe (`Trump’s`, `’90s`, `rock ’n’ roll`, `the Joneses’`), not a
    /// quote mark.
    Apostrophe,
    /// A straight double mark that is no quote mark: an inch or ditto mark
    /// (`5"x7"`, `a 12" pipe`).
    NotAQuote,
    /// A mark of a pair holding only whitespace (`“”`): nothing to quote.
    EmptyPair,
}

/// One quote character of the text and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mark {
    /// Byte offset.
    pub at: usize,
    /// The character.
    pub ch: char,
    /// What it is.
    pub role: Role,
}

/// A mark that does not balance, with the extent the detection assumed for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    /// Unclosed or unopened.
    pub kind: Unbalanced,
    /// Byte offset of the mark.
    pub mark: usize,
    /// The quoted text assumed (byte range; empty when nothing is left).
    pub extent: Range<usize>,
    /// The quotation reported with that extent (an index into
    /// [`Analysis::quotations`]), `None` when the extent is blank.
    pub quotation: Option<usize>,
}

impl Warning {
    /// A sentence for people: what is wrong and what was assumed.
    pub fn message(&self, text: &str) -> String {
        let ch = text.get(self.mark..).and_then(|s| s.chars().next()).unwrap_or('"');
        let words = |r: &Range<usize>| {
            let t = text.get(r.clone()).unwrap_or("");
            let mut short: String = t.chars().take(60).collect();
            if short.len() < t.len() {
                short.push('…');
            }
            short
        };
        match (self.kind, self.extent.is_empty()) {
            (Unbalanced::Unclosed, false) => {
                format!("opening mark {ch} is never closed: assumed to quote {:?}", words(&self.extent))
            }
            (Unbalanced::Unopened, false) => {
                format!("closing mark {ch} was never opened: assumed to quote {:?}", words(&self.extent))
            }
            (Unbalanced::Unclosed, true) => format!("opening mark {ch} is never closed and quotes nothing"),
            (Unbalanced::Unopened, true) => format!("closing mark {ch} was never opened and quotes nothing"),
        }
    }
}

/// Every quote character of a text accounted for: the quotations, what each mark
/// is, and the marks that do not balance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The quotations, ordered by `start` (then `open`); a quotation comes before
    /// the quotations nested in it.
    pub quotations: Vec<Quotation>,
    /// Every quote character (`“ ” " ‘ ’ ' « »`), in text order.
    pub marks: Vec<Mark>,
    /// The marks that do not balance, in text order.
    pub warnings: Vec<Warning>,
}

/// Every quotation of `text`, ordered by `start` (then by `open`), nested ones
/// included (see [`Quotation::depth`] and [`Quotation::parent`]).
///
/// See the [module documentation](self) for the rules, and [`analyze`] for what
/// each mark is and the warnings.
///
/// # Errors
///
/// [`Error::TooLarge`] when `text` is longer than [`MAX_TEXT_BYTES`].
pub fn quotations(text: &str) -> Result<Vec<Quotation>> {
    Ok(analyze(text)?.quotations)
}

/// Every quotation of `text`, what each quote character is, and the marks that
/// do not balance.
///
/// ```
/// use claimledger::text::quotes::{analyze, Unbalanced};
///
/// let text = "“The Special Counsel states that ‘it also does not exonerate him’,” Barr said.\n\
///             “This one never closes.\nDone.";
/// let a = analyze(text)?;
/// let q = &a.quotations;
/// assert_eq!(&text[q[1].range()], "it also does not exonerate him");
/// assert_eq!(q[1].parent, Some(0));
/// assert_eq!(&text[q[2].range()], "This one never closes.");
/// assert_eq!(q[2].unbalanced, Some(Unbalanced::Unclosed));
/// assert_eq!(a.warnings.len(), 1);
/// # Ok::<(), claimledger::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::TooLarge`] when `text` is longer than [`MAX_TEXT_BYTES`].
pub fn analyze(text: &str) -> Result<Analysis> {
    check_len(text.len())?;
    let mut p = Pairer {
        text,
        stack: Vec::new(),
        by_kind: [Vec::new(), Vec::new(), Vec::new()],
        slots: Vec::new(),
        marks: Vec::new(),
        para_start: 0,
        boundary: 0,
    };
    let mut hist = History::default();
    let mut skip_until = 0;
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
                skip_until = p.paragraph_break(i, j);
            }
            i = j;
            continue;
        }
        let len = c.len_utf8();
        if i >= skip_until && is_quote_char(c) {
            let next = text.get(i + len..).and_then(|s| s.chars().next());
            let tok = classify(c, &hist, next, text.get(i + len..).unwrap_or(""));
            let idx = p.marks.len();
            p.marks.push(RawMark { at: i, ch: c, role: RawRole::Other(!matches!(c, '"')) });
            match tok {
                Tok::Open(mark) => p.open(mark, i, len, idx),
                Tok::Close(QuoteMark::StraightDouble, _)
                    if hist.prev.is_some_and(|d| d.is_ascii_digit()) && p.by_kind[0].is_empty() =>
                {
                    // `12"`: an inch mark, with no double quotation open.
                }
                Tok::Close(mark, strong) => p.close(mark, i, len, strong, idx),
                Tok::Either(mark) => {
                    let innermost_straight =
                        p.by_kind[0].last().is_some_and(|&k| p.stack[k].mark == QuoteMark::StraightDouble);
                    if innermost_straight {
                        p.close(mark, i, len, true, idx);
                    } else {
                        p.open(mark, i, len, idx);
                    }
                }
                Tok::None => {}
            }
        }
        hist.push(c);
        i += len;
    }
    p.finish();
    Ok(p.into_analysis())
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

/// Whether `c` is one of the quote characters: `“ ” " ‘ ’ ' « »`.
pub fn is_quote_char(c: char) -> bool {
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
/// dash, a colon or an opening quote mark (straight marks of the other family included).
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
                // After a digit (`6'`): a prime.
                if prev.is_some_and(|d| d.is_ascii_digit()) {
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

/// What a mark is while the pass runs; slots become quotations at the end.
#[derive(Clone, Copy)]
enum RawRole {
    Open(usize),
    Close(usize),
    Continue(usize),
    /// Not a quote mark: an apostrophe (`true`) or an inch/ditto mark (`false`).
    Other(bool),
}

struct RawMark {
    at: usize,
    ch: char,
    role: RawRole,
}

/// A quotation in the making: where it is once known, and the slot it is nested in.
struct Slot {
    parent: Option<usize>,
    quote: Option<Quotation>,
    /// The unbalanced mark's offset, when the marks do not balance.
    unbalanced_mark: usize,
}

/// An open quotation.
struct Frame {
    mark: QuoteMark,
    /// Byte offset of the opening mark.
    open: usize,
    /// Byte length of the opening mark.
    open_len: usize,
    slot: usize,
    /// For single quotations: the last weak closer seen (offset, index in the marks).
    weak: Option<(usize, usize)>,
}

/// The pairing state: a stack of open quotations, any depth.
struct Pairer<'a> {
    text: &'a str,
    stack: Vec<Frame>,
    /// Stack positions of the open frames of each [`Kind`], innermost last.
    by_kind: [Vec<usize>; 3],
    slots: Vec<Slot>,
    marks: Vec<RawMark>,
    /// Where the current paragraph starts.
    para_start: usize,
    /// Where text after the paragraph's last closed quotation starts.
    boundary: usize,
}

impl Pairer<'_> {
    fn new_slot(&mut self) -> usize {
        let parent = self.stack.last().map(|f| f.slot);
        self.slots.push(Slot { parent, quote: None, unbalanced_mark: 0 });
        self.slots.len() - 1
    }

    fn push(&mut self, mark: QuoteMark, open: usize, open_len: usize, mark_idx: usize) {
        let slot = self.new_slot();
        self.marks[mark_idx].role = RawRole::Open(slot);
        self.by_kind[mark.kind().index()].push(self.stack.len());
        self.stack.push(Frame { mark, open, open_len, slot, weak: None });
    }

    fn pop(&mut self) -> Option<Frame> {
        let f = self.stack.pop()?;
        self.by_kind[f.mark.kind().index()].pop();
        Some(f)
    }

    /// Record `frame` as a quotation closed by the mark at `close`.
    fn closed(&mut self, frame: &Frame, close: usize, close_len: usize, mark_idx: usize) {
        self.marks[mark_idx].role = RawRole::Close(frame.slot);
        let start = frame.open + frame.open_len;
        self.slots[frame.slot].quote = Some(Quotation {
            start,
            end: close,
            open: frame.open,
            close,
            mark: frame.mark,
            depth: 0,
            parent: None,
            unbalanced: None,
        });
        self.boundary = self.boundary.max(close + close_len);
    }

    /// Record `frame` as a quotation no mark closes, assumed to end at `limit`
    /// (trailing whitespace left out).
    fn unclosed(&mut self, frame: &Frame, limit: usize) {
        let start = frame.open + frame.open_len;
        let end = start + self.text.get(start..limit.max(start)).map_or(0, |s| s.trim_end().len());
        self.slots[frame.slot].unbalanced_mark = frame.open;
        self.slots[frame.slot].quote = Some(Quotation {
            start,
            end,
            open: frame.open,
            close: end,
            mark: frame.mark,
            depth: 0,
            parent: None,
            unbalanced: Some(Unbalanced::Unclosed),
        });
    }

    /// Pop the top frame and end it: at its weak closer if it has one, else as
    /// unclosed at `limit`.
    fn end_top(&mut self, limit: usize) {
        if let Some(frame) = self.pop() {
            match frame.weak {
                Some((w, idx)) => {
                    let len = self.marks[idx].ch.len_utf8();
                    self.closed(&frame, w, len, idx);
                }
                None => self.unclosed(&frame, limit),
            }
        }
    }

    fn open(&mut self, mark: QuoteMark, pos: usize, len: usize, mark_idx: usize) {
        // An opener after a single quotation with a weak closer: that closer
        // ended it.
        self.settle_weak(pos);
        // Deeper than prose ever nests: the innermost open quotation ends here,
        // unclosed (so hostile runs of openers cost linear time and memory).
        if self.stack.len() >= MAX_DEPTH {
            self.end_top(pos);
        }
        self.push(mark, pos, len, mark_idx);
    }

    fn close(&mut self, mark: QuoteMark, pos: usize, len: usize, strong: bool, mark_idx: usize) {
        if mark.is_single() {
            // A single closer closes only a single quotation on top; otherwise it
            // is an apostrophe (`runnin’`, a plural possessive).
            if let Some(top) = self.stack.last_mut()
                && top.mark.is_single()
            {
                if strong {
                    if let Some(frame) = self.pop() {
                        self.closed(&frame, pos, len, mark_idx);
                    }
                } else {
                    top.weak = Some((pos, mark_idx));
                }
            }
            return;
        }
        match self.by_kind[mark.kind().index()].last().copied() {
            Some(k) => {
                // Quotations opened inside it and still open end here.
                while self.stack.len() > k + 1 {
                    self.end_top(pos);
                }
                if let Some(frame) = self.pop() {
                    self.closed(&frame, pos, len, mark_idx);
                }
            }
            None => self.unopened(mark, pos, len, mark_idx),
        }
    }

    /// The top quotation, when it has a weak closer, ends there: something that
    /// comes after it (an opener, a closer it cannot hold) settles it.
    fn settle_weak(&mut self, pos: usize) {
        if self.stack.last().is_some_and(|t| t.weak.is_some()) {
            self.end_top(pos);
        }
    }

    /// A closing mark at `pos` that nothing opened.
    fn unopened(&mut self, mark: QuoteMark, pos: usize, len: usize, mark_idx: usize) {
        self.settle_weak(pos);
        let inner = self.stack.last().map_or(0, |f| f.open + f.open_len);
        let mut start = self.para_start.max(self.boundary).max(inner).min(pos);
        start += self.text.get(start..pos).map_or(0, |s| s.len() - s.trim_start().len());
        let slot = self.new_slot();
        self.marks[mark_idx].role = RawRole::Close(slot);
        self.slots[slot].unbalanced_mark = pos;
        self.slots[slot].quote = Some(Quotation {
            start,
            end: pos,
            open: start,
            close: pos,
            mark,
            depth: 0,
            parent: None,
            unbalanced: Some(Unbalanced::Unopened),
        });
        self.boundary = self.boundary.max(pos + len);
    }

    /// A paragraph break: the paragraph's text ends at `end`, the next one starts
    /// at `next`. Returns the offset after the next paragraph's continuation marks.
    fn paragraph_break(&mut self, end: usize, next: usize) -> usize {
        while self.stack.last().is_some_and(|f| f.weak.is_some()) {
            self.end_top(end);
        }
        // The next paragraph's opening marks continue the open quotations, from
        // the outermost in.
        let mut at = next;
        let mut kept = 0;
        while kept < self.stack.len() {
            let Some(c) = self.text.get(at..).and_then(|s| s.chars().next()) else { break };
            if !self.stack[kept].mark.kind().opened_by(c) {
                break;
            }
            let slot = self.stack[kept].slot;
            self.marks.push(RawMark { at, ch: c, role: RawRole::Continue(slot) });
            at += c.len_utf8();
            kept += 1;
        }
        while self.stack.len() > kept {
            self.end_top(end);
        }
        self.para_start = next;
        self.boundary = at;
        at
    }

    /// End of text: what is still open is unclosed.
    fn finish(&mut self) {
        let end = self.text.trim_end().len();
        while !self.stack.is_empty() {
            self.end_top(end);
        }
    }

    fn into_analysis(self) -> Analysis {
        let text = self.text;
        let blank = |q: &Quotation| text.get(q.range()).is_none_or(|s| s.trim().is_empty());
        // Reported slots, in order.
        let mut order: Vec<usize> =
            (0..self.slots.len()).filter(|&s| self.slots[s].quote.as_ref().is_some_and(|q| !blank(q))).collect();
        order.sort_by_key(|&s| self.slots[s].quote.map(|q| (q.start, q.open, q.close, s)));
        let mut index = vec![None; self.slots.len()];
        for (k, &s) in order.iter().enumerate() {
            index[s] = Some(k);
        }
        let mut quotations: Vec<Quotation> = Vec::with_capacity(order.len());
        for &s in &order {
            let Some(mut q) = self.slots[s].quote else { continue };
            let mut up = self.slots[s].parent;
            while let Some(p) = up {
                if index[p].is_some() {
                    break;
                }
                up = self.slots[p].parent;
            }
            q.parent = up.and_then(|p| index[p]);
            q.depth = q.parent.and_then(|p| quotations.get(p)).map_or(0, |p| p.depth.saturating_add(1));
            quotations.push(q);
        }
        // Warnings, in text order.
        let mut unbalanced: Vec<usize> =
            (0..self.slots.len()).filter(|&s| self.slots[s].quote.is_some_and(|q| q.unbalanced.is_some())).collect();
        unbalanced.sort_by_key(|&s| (self.slots[s].unbalanced_mark, s));
        let mut warning_of = vec![None; self.slots.len()];
        let mut warnings = Vec::with_capacity(unbalanced.len());
        for &s in &unbalanced {
            let Some(q) = self.slots[s].quote else { continue };
            let Some(kind) = q.unbalanced else { continue };
            warning_of[s] = Some(warnings.len());
            let extent = if blank(&q) { q.start..q.start } else { q.range() };
            warnings.push(Warning { kind, mark: self.slots[s].unbalanced_mark, extent, quotation: index[s] });
        }
        let marks = self
            .marks
            .iter()
            .map(|m| {
                let slot_role = |s: usize, reported: fn(usize) -> Role| {
                    let q = self.slots[s].quote;
                    let is_unbalanced_mark =
                        q.is_some_and(|q| q.unbalanced.is_some()) && self.slots[s].unbalanced_mark == m.at;
                    match (warning_of[s], index[s]) {
                        (Some(w), _) if is_unbalanced_mark => Role::Unbalanced(w),
                        (_, Some(k)) => reported(k),
                        _ => Role::EmptyPair,
                    }
                };
                let role = match m.role {
                    RawRole::Open(s) => slot_role(s, Role::Opens),
                    RawRole::Close(s) => slot_role(s, Role::Closes),
                    RawRole::Continue(s) => slot_role(s, Role::Continues),
                    RawRole::Other(true) => Role::Apostrophe,
                    RawRole::Other(false) => Role::NotAQuote,
                };
                Mark { at: m.at, ch: m.ch, role }
            })
            .collect::<Vec<Mark>>();
        let mut marks = marks;
        marks.sort_by_key(|m| m.at);
        Analysis { quotations, marks, warnings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (quoted text, mark, depth) of every quotation.
    fn found(text: &str) -> Vec<(&str, QuoteMark, u32)> {
        quotations(text).expect("quotations").iter().map(|q| (&text[q.start..q.end], q.mark, q.depth)).collect()
    }

    /// (quoted text, parent's text, unbalanced) of every quotation.
    fn tree(text: &str) -> Vec<(&str, Option<&str>, Option<Unbalanced>)> {
        let q = quotations(text).expect("quotations");
        q.iter().map(|x| (&text[x.range()], x.parent.map(|p| &text[q[p].range()]), x.unbalanced)).collect()
    }

    /// (kind, mark, assumed text, whether a quotation was reported) of every warning.
    fn warnings(text: &str) -> Vec<(Unbalanced, char, &str, bool)> {
        analyze(text)
            .expect("analyze")
            .warnings
            .iter()
            .map(|w| (w.kind, text[w.mark..].chars().next().unwrap(), &text[w.extent.clone()], w.quotation.is_some()))
            .collect()
    }

    use QuoteMark::*;
    use Unbalanced::*;

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
        assert_eq!(&t[q[0].outer_range(t)], "“done”");
        assert_eq!(&t[q[1].range()], "final.");
        assert_eq!(q[1].depth, 0);
        assert_eq!(q[1].parent, None);
        assert_eq!(q[1].mark, CurlyDouble);
        assert!(analyze(t).unwrap().warnings.is_empty());
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
        // An inch mark after a digit is no quote mark, and no warning.
        let a = analyze("They laid a 12\" pipe and a 3' beam.").unwrap();
        assert!(a.quotations.is_empty() && a.warnings.is_empty(), "{a:?}");
        assert_eq!(a.marks.iter().map(|m| m.role).collect::<Vec<_>>(), [Role::NotAQuote, Role::Apostrophe]);
    }

    #[test]
    fn straight_and_curly_marks_pair_in_any_mix() {
        assert_eq!(
            found("He called it “a hoax\" and \"a witch hunt” in one breath."),
            [("a hoax", CurlyDouble, 0), ("a witch hunt", StraightDouble, 0)]
        );
        assert_eq!(
            found("“It is 'over’ now,\" she said."),
            [("It is 'over’ now,", CurlyDouble, 0), ("over", StraightSingle, 1)]
        );
        assert!(analyze("“It is 'over’ now,\" she said.").unwrap().warnings.is_empty());
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let t = "Trump’s aide read WikiLeaks’s posts from the ’90s, hummed rock ’n’ roll and parked at the Joneses’ house. O'Brien's '80s car. The ‘90s too. He was 6' tall, just runnin’ around.";
        assert!(found(t).is_empty(), "{:?}", found(t));
        let a = analyze(t).unwrap();
        assert!(a.warnings.is_empty());
        assert!(a.marks.iter().all(|m| m.role == Role::Apostrophe), "{:?}", a.marks);
        let t2 = "“Because of doubts about Garner ‘s credibility, the desk could not verify it,” the editor wrote.";
        assert_eq!(
            found(t2),
            [("Because of doubts about Garner ‘s credibility, the desk could not verify it,", CurlyDouble, 0)]
        );
        assert!(found("Tapes and records ‘em all, rock ‘n’ roll ‘til dawn.").is_empty());
        // Contractions after a stray space.
        let t3 = "He \"understood the concern but couldn 't leave, we 'll see, they 're done, I 've said, I 'm sure, he 'd go.\"";
        assert!(analyze(t3).unwrap().warnings.is_empty(), "{:?}", analyze(t3).unwrap().warnings);
        assert_eq!(found(t3).len(), 1);
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
        let q = quotations(t).unwrap();
        assert_eq!(q.iter().map(|x| x.parent).collect::<Vec<_>>(), [None, Some(0), None, Some(2)]);
    }

    /// The Attorney General's words hold the report's: the inner quote is a
    /// quotation of its own, whose parent is the outer one.
    #[test]
    fn a_quote_inside_someone_elses_quote_is_its_own_quotation() {
        let t = "“The Special Counsel states that ‘while this report does not conclude that the President committed a crime, it also does not exonerate him’,” Barr said.";
        assert_eq!(
            tree(t),
            [
                (
                    "The Special Counsel states that ‘while this report does not conclude that the President committed a crime, it also does not exonerate him’,",
                    None,
                    None
                ),
                (
                    "while this report does not conclude that the President committed a crime, it also does not exonerate him",
                    Some(
                        "The Special Counsel states that ‘while this report does not conclude that the President committed a crime, it also does not exonerate him’,"
                    ),
                    None
                ),
            ]
        );
    }

    #[test]
    fn doubles_nest_in_doubles() {
        let t = "The letter cites “the Special Counsel’s recognition that “the evidence does not establish” a crime,” he said.";
        assert_eq!(
            found(t),
            [
                ("the Special Counsel’s recognition that “the evidence does not establish” a crime,", CurlyDouble, 0),
                ("the evidence does not establish", CurlyDouble, 1),
            ]
        );
        assert!(analyze(t).unwrap().warnings.is_empty());
    }

    #[test]
    fn every_convention_of_the_table_finds_its_quotations() {
        for c in CONVENTIONS {
            let a = analyze(c.example).unwrap();
            let got: Vec<(&str, Option<usize>)> =
                a.quotations.iter().map(|q| (&c.example[q.range()], q.parent)).collect();
            assert_eq!(got, c.quotations, "{}", c.name);
            let kinds: Vec<Unbalanced> = a.warnings.iter().map(|w| w.kind).collect();
            assert_eq!(kinds, c.warnings, "{}", c.name);
            check(c.example).unwrap();
        }
    }

    /// Openers beyond the depth cap end the innermost open quotation: the
    /// quotations' total length stays linear in the text's.
    #[test]
    fn nesting_beyond_the_cap_ends_the_innermost_quotation() {
        let text = "“a ".repeat(10_000);
        let a = analyze(&text).unwrap();
        assert!(a.quotations.iter().all(|q| q.depth < MAX_DEPTH as u32));
        let total: usize = a.quotations.iter().map(|q| q.end - q.start).sum();
        assert!(total <= (MAX_DEPTH + 1) * text.len(), "{total}");
        assert_eq!(a.warnings.len(), 10_000, "every opener is unclosed");
        check(&text).unwrap();
    }

    /// Quotes nested four deep, each with its parent.
    #[test]
    fn quotes_nest_at_any_depth() {
        let t = "“One said ‘two said “three said ‘four’ then” then’ then.”";
        let q = quotations(t).unwrap();
        assert_eq!(q.len(), 4);
        for (k, x) in q.iter().enumerate() {
            assert_eq!(x.depth as usize, k);
            assert_eq!(x.parent, k.checked_sub(1));
        }
        assert_eq!(&t[q[3].range()], "four");
        assert_eq!(&t[q[2].range()], "three said ‘four’ then");
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

    /// Each paragraph of a long quotation opens with a mark; only the last closes.
    #[test]
    fn a_quotation_over_paragraphs_is_one_quotation() {
        let t = "He wrote: “The first part ends here.\n\n“The second part goes on.\n\n\"The third ends here.”\nDone.";
        let a = analyze(t).unwrap();
        assert_eq!(a.quotations.len(), 1);
        let q = a.quotations[0];
        assert_eq!(q.open, t.find('“').unwrap());
        assert_eq!(&t[q.range()], "The first part ends here.\n\n“The second part goes on.\n\n\"The third ends here.");
        assert!(a.warnings.is_empty());
        let roles: Vec<Role> = a.marks.iter().map(|m| m.role).collect();
        assert_eq!(roles, [Role::Opens(0), Role::Continues(0), Role::Continues(0), Role::Closes(0)]);
    }

    /// A nested quotation continues over a paragraph break when the paragraph
    /// opens with both marks, outermost first.
    #[test]
    fn a_nested_quotation_continues_over_paragraphs_too() {
        let t = "“He read: ‘The first part.\n\n“‘The second part.’ Then he stopped.”";
        assert_eq!(
            tree(t),
            [
                ("He read: ‘The first part.\n\n“‘The second part.’ Then he stopped.", None, None),
                (
                    "The first part.\n\n“‘The second part.",
                    Some("He read: ‘The first part.\n\n“‘The second part.’ Then he stopped."),
                    None
                ),
            ]
        );
        assert!(analyze(t).unwrap().warnings.is_empty());
    }

    /// The issue's case: a paragraph opens a quotation and ends without closing
    /// it, and the next paragraph does not continue it. It is reported, with the
    /// extent assumed (to the end of its paragraph) and a warning.
    #[test]
    fn an_unclosed_quotation_is_assumed_to_end_with_its_paragraph() {
        let t = "“Mueller’s report stated that the investigation did not establish a conspiracy.\n\nThe senator left.";
        assert_eq!(
            tree(t),
            [("Mueller’s report stated that the investigation did not establish a conspiracy.", None, Some(Unclosed))]
        );
        assert_eq!(
            warnings(t),
            [(Unclosed, '“', "Mueller’s report stated that the investigation did not establish a conspiracy.", true)]
        );
        let a = analyze(t).unwrap();
        assert_eq!(a.marks[0].role, Role::Unbalanced(0));
        assert_eq!(a.marks[1].role, Role::Apostrophe);
        assert!(a.warnings[0].message(t).contains("never closed"), "{}", a.warnings[0].message(t));
        // At the end of the text too, trailing spaces left out.
        assert_eq!(warnings("She said “we won  "), [(Unclosed, '“', "we won", true)]);
        // Any line break is a paragraph break.
        assert_eq!(
            warnings("He wrote: “The first line\r\nand the second.”"),
            [(Unclosed, '“', "The first line", true), (Unopened, '”', "and the second.", true)]
        );
    }

    #[test]
    fn an_unopened_quotation_is_assumed_to_start_with_its_paragraph() {
        let t = "Intro.\nThe evidence does not establish a crime,” Barr said. Then “more.”";
        assert_eq!(
            tree(t),
            [("The evidence does not establish a crime,", None, Some(Unopened)), ("more.", None, None)]
        );
        // After the paragraph's last quotation.
        let t2 = "He said “yes.” And then no more,” she added.";
        assert_eq!(tree(t2), [("yes.", None, None), ("And then no more,", None, Some(Unopened))]);
        assert_eq!(warnings(t2), [(Unopened, '”', "And then no more,", true)]);
        // Inside an open quotation of another family: after its opening mark.
        let t3 = "‘It ended there” she wrote.’";
        assert_eq!(
            tree(t3),
            [
                ("It ended there” she wrote.", None, None),
                ("It ended there", Some("It ended there” she wrote."), Some(Unopened))
            ]
        );
    }

    #[test]
    fn an_inner_quotation_left_open_ends_where_its_parent_closes() {
        let t = "“She said ‘maybe and left,” he said.";
        assert_eq!(
            tree(t),
            [
                ("She said ‘maybe and left,", None, None),
                ("maybe and left,", Some("She said ‘maybe and left,"), Some(Unclosed))
            ]
        );
        assert_eq!(warnings(t), [(Unclosed, '‘', "maybe and left,", true)]);
        // At a paragraph end whose next paragraph continues only the outer one.
        let t2 = "“She said ‘maybe and left.\n“It went on.”";
        assert_eq!(
            tree(t2),
            [
                ("She said ‘maybe and left.\n“It went on.", None, None),
                ("maybe and left.", Some("She said ‘maybe and left.\n“It went on."), Some(Unclosed))
            ]
        );
    }

    /// A stray opener before a real quotation: the real one nests in it, and the
    /// stray one is reported with its assumed extent.
    #[test]
    fn a_stray_opener_is_reported_not_dropped() {
        let t = "A stray “opener here, and then “the real quote” later.";
        assert_eq!(
            tree(t),
            [
                ("opener here, and then “the real quote” later.", None, Some(Unclosed)),
                ("the real quote", Some("opener here, and then “the real quote” later."), None)
            ]
        );
    }

    #[test]
    fn stray_closers_are_reported_and_empty_pairs_are_not_quotations() {
        let t = "A stray ” closer and “” and “  ” and \"\" here.";
        assert_eq!(tree(t), [("A stray ", None, Some(Unopened))]);
        let a = analyze(t).unwrap();
        assert_eq!(a.marks.iter().filter(|m| m.role == Role::EmptyPair).count(), 6);
        // Marks that quote nothing still warn.
        assert_eq!(warnings("” and then “"), [(Unopened, '”', "", false), (Unclosed, '“', "", false)]);
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
        assert!(analyze(t).unwrap().warnings.is_empty());
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
    /// ordered, on character boundaries, and holds only marks; every mark is
    /// accounted for. Its speed is the benches' business (`benches/anchor.rs`),
    /// not asserted here.
    #[test]
    fn a_text_of_only_quote_marks_gives_ordered_quotations_of_marks() {
        let unit = "“”\"'‘’«»\"\"''“““”””‘‘’’";
        let text = unit.repeat(200_000 / unit.len() * 10);
        check(&text).unwrap();
        let q = quotations(&text).unwrap();
        assert!(!q.is_empty());
        for x in &q {
            assert!(text[x.range()].chars().all(|c| unit.contains(c)), "{x:?}");
        }
    }

    /// Each family of marks, and a single quotation nested in a double one.
    #[test]
    fn every_family_of_marks_and_one_nesting() {
        let t = "“a ‘b’ c” 'x' \"e\" «f»";
        assert_eq!(
            found(t),
            [
                ("a ‘b’ c", CurlyDouble, 0),
                ("b", CurlySingle, 1),
                ("x", StraightSingle, 0),
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
            let a = analyze(&text).expect("quotations");
            // Almost every curly opener pairs (the sources have a few typos).
            let openers = text.matches('“').count();
            let paired = a.quotations.iter().filter(|x| x.mark == CurlyDouble && x.unbalanced.is_none()).count();
            assert!(paired * 100 >= openers * 99, "{file}: {paired} of {openers}");
            // No quotation starts with an elided `s` (`Manafort ‘s`).
            for x in &a.quotations {
                let body = &text[x.range()];
                assert!(!body.starts_with("s "), "{file}: {body:?}");
            }
            if file.starts_with("tpm") {
                assert!(a.warnings.is_empty(), "{:?}", a.warnings);
            }
        }
    }

    /// The invariants of [`analyze`] on any text: offsets on boundaries and in
    /// order, parents before children and holding them, and every quote
    /// character accounted for, consistently with the quotations and warnings.
    fn check(text: &str) -> Result<(), TestCaseError> {
        let a = analyze(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let q = &a.quotations;
        let mut prev: Option<&Quotation> = None;
        for (k, x) in q.iter().enumerate() {
            for off in [x.start, x.end, x.open, x.close] {
                prop_assert!(text.is_char_boundary(off), "{x:?}");
            }
            prop_assert!(x.open <= x.start && x.start < x.end && x.end == x.close && x.close <= text.len(), "{x:?}");
            prop_assert!(!text[x.range()].trim().is_empty(), "{x:?}");
            let opening_mark = x.unbalanced != Some(Unbalanced::Unopened);
            let closing_mark = x.unbalanced != Some(Unbalanced::Unclosed);
            prop_assert_eq!(opening_mark, x.open < x.start, "{:?}", x);
            if opening_mark {
                prop_assert!(is_quote_char(text[x.open..].chars().next().unwrap_or(' ')));
            }
            if closing_mark {
                prop_assert!(is_quote_char(text[x.close..].chars().next().unwrap_or(' ')));
            }
            if let Some(p) = x.parent {
                prop_assert!(p < k, "parent after child: {x:?}");
                let p = &q[p];
                prop_assert!(p.start <= x.open && x.end <= p.end, "{x:?} not inside {p:?}");
                prop_assert_eq!(x.depth, p.depth + 1);
            } else {
                prop_assert_eq!(x.depth, 0);
            }
            if let Some(p) = prev {
                prop_assert!((p.start, p.open) <= (x.start, x.open), "not ordered: {p:?} then {x:?}");
            }
            prev = Some(x);
        }
        // Every quote character is a mark, once, in order.
        let chars: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| is_quote_char(*c)).collect();
        let marks: Vec<(usize, char)> = a.marks.iter().map(|m| (m.at, m.ch)).collect();
        prop_assert_eq!(chars, marks);
        let mut opened = vec![0; q.len()];
        let mut closed = vec![0; q.len()];
        let mut warned = vec![0; a.warnings.len()];
        for m in &a.marks {
            match m.role {
                Role::Opens(k) => {
                    prop_assert_eq!(q[k].open, m.at);
                    opened[k] += 1;
                }
                Role::Closes(k) => {
                    prop_assert_eq!(q[k].close, m.at);
                    closed[k] += 1;
                }
                Role::Continues(k) => prop_assert!(q[k].start < m.at && m.at < q[k].end, "{m:?}"),
                Role::Unbalanced(w) => {
                    prop_assert_eq!(a.warnings[w].mark, m.at);
                    warned[w] += 1;
                }
                Role::Apostrophe => prop_assert!(matches!(m.ch, '’' | '\'' | '‘'), "{m:?}"),
                Role::NotAQuote => prop_assert_eq!(m.ch, '"'),
                Role::EmptyPair => {}
            }
        }
        prop_assert!(warned.iter().all(|&n| n == 1), "each warning is one mark");
        for (k, x) in q.iter().enumerate() {
            // A balanced quotation has both marks; an unbalanced one the mark it
            // has is its warning's.
            match x.unbalanced {
                None => prop_assert!(opened[k] == 1 && closed[k] == 1, "{x:?}"),
                Some(_) => {
                    prop_assert!(opened[k] == 0 && closed[k] == 0, "{x:?}");
                    let w = a.warnings.iter().filter(|w| w.quotation == Some(k)).count();
                    prop_assert_eq!(w, 1);
                }
            }
        }
        for w in &a.warnings {
            prop_assert!(w.extent.start <= w.extent.end && w.extent.end <= text.len());
            if let Some(k) = w.quotation {
                prop_assert_eq!(q[k].unbalanced, Some(w.kind));
                prop_assert_eq!(q[k].range(), w.extent.clone());
            }
        }
        // Attribution: one per quotation; speaker and cue are the article's
        // words, on character boundaries, the speaker inside the cue, the cue
        // outside the quotation's own words.
        let who = crate::text::attribution::attributions(text, &a);
        prop_assert_eq!(who.len(), q.len());
        for (x, at) in q.iter().zip(&who) {
            let Some(at) = at else { continue };
            for r in [&at.speaker_range, &at.cue_range] {
                prop_assert!(r.start < r.end && r.end <= text.len(), "{at:?}");
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{at:?}");
            }
            prop_assert!(at.cue_range.start <= at.speaker_range.start && at.speaker_range.end <= at.cue_range.end);
            prop_assert_eq!(&text[at.cue_range.clone()], at.cue.as_str());
            prop_assert_eq!(&text[at.speaker_range.clone()], at.speaker.as_str());
            prop_assert!(at.cue_range.end <= x.start || at.cue_range.start >= x.end, "{at:?} in {x:?}");
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

        /// Arbitrary sequences of marks only, with spaces and line breaks.
        #[test]
        fn every_mark_is_accounted_for(text in "[“”\"'‘’«» \na]{0,60}") {
            check(&text)?;
        }

        /// Marks among reporting words, names, `according to` and colons: the
        /// attribution patterns fire (the invariants above hold for them too).
        #[test]
        fn attribution_on_quotes_among_reporting_words(
            text in "(said|wrote|according to|told|the report|Barr|Sen\\.|He|[“”\"'‘’:,.;—]|\n\n| ){0,60}"
        ) {
            check(&text)?;
        }
    }
}
