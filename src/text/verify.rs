//! Compare a quotation with the source passage it was anchored to.
//!
//! # Design
//!
//! Both texts go through one tokenizer: words (runs of letters and digits; a
//! word broken at a line end by a hyphen, `commu-\nnications`, is joined back:
//! the only case where a dash joins two words), single punctuation marks, dash
//! runs (so `materials—hacks` is three tokens and an ellipsis next to the dash
//! never has to cut a word), ellipses (`…`, `...`, `. . .`, `. . . .`),
//! bracketed text, `[sic]`, and *breaks*: material removed from the source span
//! ([`OMITTED`], put in place of a redaction label or a footnote marker), a page
//! break (form feed) or a paragraph break (a blank line). A compound `well-known`
//! on one side and `well-\nknown` on the other are made one word each. A bracket glued to a word (`[t]he`, `support[ed]`) becomes one
//! "bracket word" token that stands for a source word with the same literal
//! parts. Whitespace is not a token: each token remembers the raw whitespace
//! before it.
//!
//! The token sequences are aligned by an LCS-style dynamic programme (match 0,
//! unmatched token 1, no substitution) after stripping the identical prefix and
//! suffix. In the quote, an ellipsis or a free-standing bracket is a *gap* that
//! may consume any number of source tokens at no cost, and `[sic]` may stand
//! against nothing at no cost; a break needs no counterpart on either side.
//! The alignment is semi-global: source tokens before the quote's first token
//! and after its last are free, and then dropped, keeping at each edge only as
//! many as the quote has unmatched tokens there (a changed first word is one
//! substitution), so a difference never reaches into the source's neighbouring
//! words; [`Verification::source_range`] says what part of the source the
//! quote covers. Tokens are compared through a key: the word folded
//! to lowercase with ligatures expanded, or the punctuation mark with quote glyphs
//! unified (single and double marks share a key so a nested-quote conversion
//! still aligns). Matched pairs are then classified:
//!
//! - raw-identical (and same whitespace before) -> nothing to report;
//! - typography only (glyph, dash style, whitespace, ligature, line-end
//!   hyphenation) -> a `typographic` entry, verdict at most `Normalized`;
//! - a case change on the first word of the quote or of a piece after an
//!   ellipsis or bracket -> `Case` edit (`Normalized`); elsewhere a difference;
//! - a single mark standing for a double one or vice versa -> `NestedQuotes`.
//!
//! Runs of unmatched tokens become one [`Difference`] (minimal word-level diff);
//! when a run is punctuation only it is widened to the glued neighbouring words
//! (`Mr` vs `Mr.`). A trailing `,` or `.` of the quote that the source does not
//! have there (or has as another mark) is the American `PunctuationInside`
//! convention. An internal ellipsis that omits nothing, a bracket that replaces
//! more than [`MAX_BRACKET_REPLACED`] bytes, count as differences.
//!
//! The programme is capped at [`MAX_CELLS`] cells; past that the differing middle
//! is reported as one difference (never a panic, never an unbounded allocation).

use std::collections::HashMap;
use std::ops::Range;

/// How faithful a quotation is to its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Same words and punctuation, editorial conventions allowed.
    Verbatim,
    /// Differs only in typography (glyphs, dashes, whitespace, first-letter case).
    Normalized,
    /// A word, number or punctuation mark differs.
    Altered,
}

/// One difference between the quotation and the source (raw text of both sides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What the quotation has (empty when it lacks something).
    pub quoted: String,
    /// What the source has (empty when the quotation added something).
    pub source: String,
}

impl Verdict {
    /// The stable code: `verbatim`, `normalized` or `altered`.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Verbatim => "verbatim",
            Verdict::Normalized => "normalized",
            Verdict::Altered => "altered",
        }
    }
}

/// An editorial convention found in the quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EditKind {
    /// An ellipsis standing for omitted source text.
    Elision,
    /// A bracketed insertion or substitution (`[t]he`, `[the Special Counsel]`).
    Insertion,
    /// A `[sic]`.
    Sic,
    /// The case of the first letter changed.
    Case,
    /// A comma or period put inside the closing quotation mark.
    PunctuationInside,
    /// A nested quotation converted between double and single marks.
    NestedQuotes,
}

impl EditKind {
    /// The stable code of the edit, as stored and in JSON.
    pub fn code(&self) -> &'static str {
        match self {
            EditKind::Elision => "elision",
            EditKind::Insertion => "insertion",
            EditKind::Sic => "sic",
            EditKind::Case => "case",
            EditKind::PunctuationInside => "punctuation_inside",
            EditKind::NestedQuotes => "nested_quotes",
        }
    }
}

/// One editorial convention applied by the quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Which convention.
    pub kind: EditKind,
    /// The quotation's text at that point (`…`, `[t]he`, `[sic]`, `,`, a word, a mark).
    pub text: String,
    /// The source text involved: the omitted text (Elision), the replaced text
    /// (Insertion), the source word (Case), the source mark or "" (PunctuationInside,
    /// NestedQuotes), "" for Sic.
    pub source: String,
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The classification.
    pub verdict: Verdict,
    /// Word-level differences (non-empty exactly when `Altered`).
    pub differences: Vec<Difference>,
    /// Typographic differences (glyphs, dashes, whitespace), informative.
    pub typographic: Vec<Difference>,
    /// Editorial conventions the quotation uses, in order.
    pub edits: Vec<Edit>,
    /// The part of the source text the quotation's words cover (byte range of
    /// the `source` given): source words at either edge that no word of the
    /// quotation stands for are left out.
    pub source_range: Range<usize>,
}

/// Largest number of alignment cells computed (quote tokens × source tokens
/// after stripping the common prefix and suffix).
pub const MAX_CELLS: usize = 4_000_000;

/// A bracket replacing more source text than this many bytes is a difference.
pub const MAX_BRACKET_REPLACED: usize = 80;

/// Compares `quote` with `source`, the text of the anchored source span (with
/// footnote markers and redaction labels already removed, e.g. by
/// `SourceText::clean_span`), and classifies the quotation.
pub fn verify(quote: &str, source: &str) -> Verification {
    let mut q = tokenize(quote);
    let mut s = tokenize(source);
    let (q_joined, s_joined) = (line_joined(quote, &q), line_joined(source, &s));
    merge_compounds(quote, &mut q, &s_joined);
    merge_compounds(source, &mut s, &q_joined);
    let mut keys = Keys::default();
    let qk: Vec<u32> = q.iter().map(|t| keys.key(quote, t)).collect();
    let sk: Vec<u32> = s.iter().map(|t| keys.key(source, t)).collect();
    let ops = align(quote, source, &q, &s, &qk, &sk).map(trim_edges);
    let covered = ops.as_ref().and_then(|ops| covered_source(ops, &s)).unwrap_or(0..source.len());
    let mut r = Report {
        quote,
        source,
        q: &q,
        s: &s,
        differences: Vec::new(),
        typo_marks: Vec::new(),
        edits: Vec::new(),
        case_edit: false,
    };
    match ops {
        Some(ops) => r.classify(&ops),
        None => {
            // Too large to align: one difference for the differing middle.
            let p = common_prefix(&qk, &sk, &q, &s, quote, source);
            let sfx = common_suffix(&qk[p..], &sk[p..], &q[p..], &s[p..], quote, source);
            r.differences.push(Difference {
                quoted: span_text(quote, &q[p..q.len() - sfx]),
                source: span_text(source, &s[p..s.len() - sfx]),
            });
        }
    }
    let mut v = r.finish();
    v.source_range = covered;
    v
}

/// Folded keys of the words of `toks` that a line-end hyphen joined.
fn line_joined(text: &str, toks: &[Tok]) -> Vec<String> {
    let mut v: Vec<String> = toks
        .iter()
        .filter(|t| t.kind == Kind::Word && raw(text, t).contains('\n'))
        .map(|t| fold_word(raw(text, t)))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A compound `word-word` (the dash glued to both) that the other text has as
/// one word broken at a line end (`well-\nknown`) becomes one word token, so the
/// two compare as typography: which of the two a line-end hyphen was cannot be
/// told from the text.
fn merge_compounds(text: &str, toks: &mut Vec<Tok>, other_joined: &[String]) {
    if other_joined.is_empty() {
        return;
    }
    let mut k = 0;
    while k + 2 < toks.len() {
        let (a, d, b) = (&toks[k], &toks[k + 1], &toks[k + 2]);
        if a.kind == Kind::Word && d.kind == Kind::Dash && b.kind == Kind::Word && d.ws.is_empty() && b.ws.is_empty() {
            let joined = fold_word(raw(text, a)) + &fold_word(raw(text, b));
            if other_joined.binary_search(&joined).is_ok() {
                let end = b.span.end;
                toks[k].span.end = end;
                toks.drain(k + 1..k + 3);
            }
        }
        k += 1;
    }
}

/// Drops source tokens at either edge of the alignment that no quote token
/// stands for: a hit widened over a neighbouring word (`get—the` for a quote
/// starting `the`) is not part of the quote, so no difference reaches into the
/// source's neighbouring words. At an edge where the quote has unmatched tokens
/// of its own, as many source tokens as it has are kept, nearest the quote
/// first (a changed first word is one substitution).
fn trim_edges(ops: Vec<Op>) -> Vec<Op> {
    let anchored = |o: &Op| matches!(o, Op::Match(..) | Op::Gap(..));
    let Some(first) = ops.iter().position(anchored) else { return ops };
    let last = ops.iter().rposition(anchored).unwrap_or(first);
    let keep_edge = |edge: &[Op], from_end: bool| -> Vec<Op> {
        let nq = edge.iter().filter(|o| matches!(o, Op::QuoteOnly(_))).count();
        let ns = edge.iter().filter(|o| matches!(o, Op::SourceOnly(_))).count();
        let mut drop = ns.saturating_sub(nq);
        let mut out = Vec::with_capacity(edge.len());
        let mut push = |o: &Op| {
            if drop > 0 && matches!(o, Op::SourceOnly(_)) {
                drop -= 1;
            } else {
                out.push(o.clone());
            }
        };
        if from_end {
            // Trailing edge: drop the source tokens farthest from the quote (last).
            for o in edge.iter().rev() {
                push(o);
            }
            out.reverse();
        } else {
            for o in edge {
                push(o);
            }
        }
        out
    };
    let mut out = keep_edge(&ops[..first], false);
    out.extend_from_slice(&ops[first..=last]);
    out.extend(keep_edge(&ops[last + 1..], true));
    out
}

/// The byte range of the source that the aligned tokens cover.
fn covered_source(ops: &[Op], s: &[Tok]) -> Option<Range<usize>> {
    let tok = |o: &Op| -> Option<Range<usize>> {
        match o {
            Op::Match(_, j) | Op::SourceOnly(j) => s.get(*j).map(|t| t.span.clone()),
            Op::Gap(_, r) if !r.is_empty() => Some(s.get(r.start)?.span.start..s.get(r.end - 1)?.span.end),
            _ => None,
        }
    };
    let a = ops.iter().find_map(tok)?;
    let b = ops.iter().rev().find_map(tok)?;
    Some(a.start..b.end)
}

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Punct,
    Dash,
    Ellipsis,
    /// Free-standing `[...]`.
    Bracket,
    /// A word with a glued bracket: `[t]he`, `support[ed]`.
    BracketWord,
    Sic,
    /// Material that is not words: removed material ([`OMITTED`]), a page break
    /// (form feed) or a paragraph break (a blank line). It needs no counterpart,
    /// and an ellipsis may stand for it.
    Break,
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    span: Range<usize>,
    /// Raw whitespace before the token.
    ws: Range<usize>,
    /// Folded literal parts before and after the bracket (BracketWord only).
    lead: String,
    trail: String,
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

/// End of the word starting at `i`. A word broken at a line end by a hyphen
/// (`commu-\nnications`, a hyphen or soft hyphen, then optional spaces and a
/// line feed) is joined back: that is the only case where a dash joins two
/// words. A dash between words (`materials—hacks`, `well-known`, `history--led`)
/// is a token of its own, so an ellipsis or a quote's edge next to it never has
/// to cut a word.
fn word_end(s: &str, mut i: usize) -> usize {
    loop {
        let mut last: Option<char> = None;
        while let Some(c) = char_at(s, i) {
            if is_word_char(c) || (is_invisible(c) && c != '\u{00AD}' && last.is_some()) {
                if !is_invisible(c) {
                    last = Some(c);
                }
                i += c.len_utf8();
            } else if c == '\u{00AD}' && last.is_some() && char_at(s, i + c.len_utf8()).is_some_and(is_word_char) {
                // A soft hyphen inside a word is invisible.
                i += c.len_utf8();
            } else {
                break;
            }
        }
        // word, hyphens, [spaces] \n [spaces], word
        if last.is_some_and(char::is_alphanumeric) && char_at(s, i).is_some_and(is_line_end_hyphen) {
            let b = s.as_bytes();
            let mut j = i;
            while let Some(d) = char_at(s, j).filter(|&d| is_line_end_hyphen(d)) {
                j += d.len_utf8();
            }
            while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            if j < b.len() && b[j] == b'\n' {
                j += 1;
                while j < b.len() && matches!(b[j], b' ' | b'\t') {
                    j += 1;
                }
                if char_at(s, j).is_some_and(char::is_alphanumeric) {
                    i = j;
                    continue;
                }
            }
        }
        return i;
    }
}

/// A hyphen that may break a word at a line end (not a dash).
fn is_line_end_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{00AD}')
}

/// Marks material removed from a source span before verification (a redaction
/// label, a footnote marker): an ellipsis may stand for it, and it needs no
/// counterpart in the quote.
pub const OMITTED: char = '\u{FFFC}';

/// `[...]` at `i`: the end of the closing bracket, if it closes soon enough.
pub(crate) fn bracket_end(s: &str, i: usize) -> Option<usize> {
    let rest = s.get(i + 1..)?;
    for (k, c) in rest.char_indices() {
        if k > 200 || c == '[' || c == '\n' {
            return None;
        }
        if c == ']' {
            return (k > 0).then_some(i + 1 + k + 1);
        }
    }
    None
}

pub(crate) fn is_sic(inner: &str) -> bool {
    let t = inner.trim().trim_end_matches('!').trim_end_matches('.');
    t.eq_ignore_ascii_case("sic")
}

/// Length of an ellipsis at `i` (`…`, 3+ dots, `. . .`, `. . . .`), if any.
pub(crate) fn ellipsis_len(s: &str, i: usize) -> Option<usize> {
    let rest = s.get(i..)?;
    if rest.starts_with('\u{2026}') {
        return Some('\u{2026}'.len_utf8());
    }
    let dots = rest.bytes().take_while(|&b| b == b'.').count();
    if dots >= 3 {
        return Some(dots);
    }
    if rest.starts_with(". . . .") {
        return Some(7);
    }
    if rest.starts_with(". . .") {
        return Some(5);
    }
    None
}

/// A word with ligatures expanded and invisible characters and line-end
/// hyphenation removed, case kept.
fn norm_word(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            c if is_word_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// [`norm_word`] folded to lowercase: the comparison key of a word.
fn fold_word(raw: &str) -> String {
    norm_word(raw).to_lowercase()
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut ws_start = 0;
    let push = |out: &mut Vec<Tok>, kind, span: Range<usize>, ws: Range<usize>| {
        out.push(Tok { kind, span, ws, lead: String::new(), trail: String::new() });
    };
    while let Some(c) = char_at(s, i) {
        let ws = ws_start..i;
        if c == OMITTED || c == '\x0c' {
            push(&mut out, Kind::Break, i..i + c.len_utf8(), ws);
            i += c.len_utf8();
            ws_start = i;
            continue;
        }
        if c == '\n' && paragraph_break(s, i) {
            let mut j = i;
            while let Some(d) = char_at(s, j).filter(|d| d.is_whitespace() && *d != '\x0c') {
                j += d.len_utf8();
            }
            push(&mut out, Kind::Break, i..j, ws);
            i = j;
            ws_start = i;
            continue;
        }
        if c.is_whitespace() || is_invisible(c) {
            i += c.len_utf8();
            continue;
        }
        if is_word_char(c) {
            let end = word_end(s, i);
            // A bracket glued after the word?
            if s.get(end..).is_some_and(|r| r.starts_with('['))
                && let Some(be) = bracket_end(s, end)
            {
                let inner = s.get(end + 1..be - 1).unwrap_or("");
                if !is_sic(inner) {
                    let tail_end = if char_at(s, be).is_some_and(is_word_char) { word_end(s, be) } else { be };
                    out.push(Tok {
                        kind: Kind::BracketWord,
                        span: i..tail_end,
                        ws,
                        lead: fold_word(s.get(i..end).unwrap_or("")),
                        trail: fold_word(s.get(be..tail_end).unwrap_or("")),
                    });
                    i = tail_end;
                    ws_start = i;
                    continue;
                }
            }
            push(&mut out, Kind::Word, i..end, ws);
            i = end;
        } else if c == '[' {
            match bracket_end(s, i) {
                Some(be) => {
                    let inner = s.get(i + 1..be - 1).unwrap_or("");
                    if is_sic(inner) {
                        push(&mut out, Kind::Sic, i..be, ws);
                        i = be;
                    } else if char_at(s, be).is_some_and(is_word_char) {
                        let tail_end = word_end(s, be);
                        out.push(Tok {
                            kind: Kind::BracketWord,
                            span: i..tail_end,
                            ws,
                            lead: String::new(),
                            trail: fold_word(s.get(be..tail_end).unwrap_or("")),
                        });
                        i = tail_end;
                    } else {
                        push(&mut out, Kind::Bracket, i..be, ws);
                        i = be;
                    }
                }
                None => {
                    push(&mut out, Kind::Punct, i..i + 1, ws);
                    i += 1;
                }
            }
        } else if let Some(l) = ellipsis_len(s, i) {
            push(&mut out, Kind::Ellipsis, i..i + l, ws);
            i += l;
        } else if is_dash(c) {
            let mut j = i;
            while let Some(d) = char_at(s, j).filter(|&d| is_dash(d)) {
                j += d.len_utf8();
            }
            push(&mut out, Kind::Dash, i..j, ws);
            i = j;
        } else {
            push(&mut out, Kind::Punct, i..i + c.len_utf8(), ws);
            i += c.len_utf8();
        }
        ws_start = i;
    }
    out
}

/// A line feed followed (after horizontal whitespace) by another line feed.
fn paragraph_break(s: &str, i: usize) -> bool {
    let rest = s.as_bytes().get(i + 1..).unwrap_or(&[]);
    let k = rest.iter().take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r')).count();
    rest.get(k) == Some(&b'\n')
}

fn raw<'s>(text: &'s str, t: &Tok) -> &'s str {
    text.get(t.span.clone()).unwrap_or("")
}

fn ws<'s>(text: &'s str, t: &Tok) -> &'s str {
    text.get(t.ws.clone()).unwrap_or("")
}

fn span_text(text: &str, toks: &[Tok]) -> String {
    match (toks.first(), toks.last()) {
        (Some(a), Some(b)) => text.get(a.span.start..b.span.end).unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// Quote-glyph class of a punctuation mark: 1 single, 2 double, 0 other.
pub(crate) fn quote_class(p: &str) -> u8 {
    match p {
        "'" | "\u{2018}" | "\u{2019}" | "\u{201A}" | "\u{201B}" | "\u{2032}" | "`" | "\u{00B4}" => 1,
        "\"" | "\u{201C}" | "\u{201D}" | "\u{201E}" | "\u{201F}" | "\u{2033}" | "\u{00AB}" | "\u{00BB}" => 2,
        _ => 0,
    }
}

/// Interned comparison keys.
#[derive(Default)]
struct Keys {
    ids: HashMap<String, u32>,
}

impl Keys {
    fn id(&mut self, k: String) -> u32 {
        let n = self.ids.len() as u32;
        *self.ids.entry(k).or_insert(n)
    }

    fn key(&mut self, text: &str, t: &Tok) -> u32 {
        let r = raw(text, t);
        let k = match t.kind {
            Kind::Word => format!("w{}", fold_word(r)),
            Kind::Punct => match quote_class(r) {
                0 => format!("p{r}"),
                _ => "pquote".to_string(),
            },
            Kind::Dash => "dash".to_string(),
            Kind::Ellipsis => "ellipsis".to_string(),
            Kind::Bracket => format!("b{r}"),
            // Bracket words compare by pattern against words; literally otherwise.
            Kind::BracketWord => format!("B{r}"),
            Kind::Sic => "sic".to_string(),
            Kind::Break => "break".to_string(),
        };
        self.id(k)
    }
}

fn is_gap(t: &Tok) -> bool {
    matches!(t.kind, Kind::Ellipsis | Kind::Bracket)
}

fn compatible(qt: &Tok, qk: u32, st: &Tok, sk: u32, source: &str) -> bool {
    if qk == sk {
        return true;
    }
    if qt.kind == Kind::BracketWord && st.kind == Kind::Word {
        let w = fold_word(raw(source, st));
        return w.len() >= qt.lead.len() + qt.trail.len() && w.starts_with(&qt.lead) && w.ends_with(&qt.trail);
    }
    false
}

// ---------------------------------------------------------------- alignment

#[derive(Debug, Clone)]
enum Op {
    Match(usize, usize),
    QuoteOnly(usize),
    SourceOnly(usize),
    /// A gap token of the quote and the source tokens it consumed.
    Gap(usize, Range<usize>),
}

fn common_prefix(qk: &[u32], sk: &[u32], q: &[Tok], s: &[Tok], quote: &str, source: &str) -> usize {
    qk.iter()
        .zip(sk)
        .zip(q.iter().zip(s))
        .take_while(|((a, b), (x, y))| a == b && raw(quote, x) == raw(source, y))
        .count()
}

fn common_suffix(qk: &[u32], sk: &[u32], q: &[Tok], s: &[Tok], quote: &str, source: &str) -> usize {
    qk.iter()
        .rev()
        .zip(sk.iter().rev())
        .zip(q.iter().rev().zip(s.iter().rev()))
        .take_while(|((a, b), (x, y))| a == b && raw(quote, x) == raw(source, y))
        .count()
}

/// Aligns the token sequences; `None` when over [`MAX_CELLS`].
fn align(quote: &str, source: &str, q: &[Tok], s: &[Tok], qk: &[u32], sk: &[u32]) -> Option<Vec<Op>> {
    let p = common_prefix(qk, sk, q, s, quote, source);
    let sfx = common_suffix(&qk[p..], &sk[p..], &q[p..], &s[p..], quote, source);
    let (a, b) = (q.len() - p - sfx, s.len() - p - sfx);
    let w = b + 1;
    if (a + 1).checked_mul(w)? > MAX_CELLS {
        return None;
    }
    let mut ops: Vec<Op> = (0..p).map(|k| Op::Match(k, k)).collect();
    let qm = &q[p..p + a];
    let sm = &s[p..p + b];
    let qkm = &qk[p..p + a];
    let skm = &sk[p..p + b];
    let mut d = vec![0u32; (a + 1) * w];
    // A source break (removed material, page or paragraph break) costs nothing
    // unmatched. Source tokens before the quote's first token and after its last
    // cost nothing either (the alignment is semi-global): they are the source's
    // neighbouring words, not the quote's ([`trim_edges`] then keeps as many of
    // them as the quote has unmatched tokens at that edge, as substitutions).
    let s_cost = |j: usize| u32::from(sm[j - 1].kind != Kind::Break);
    if p > 0 {
        // Not the quote's edge: the common prefix is matched.
        for j in 1..w {
            d[j] = d[j - 1] + s_cost(j);
        }
    }
    for i in 1..=a {
        let t = &qm[i - 1];
        let gap = is_gap(t);
        let free = gap || matches!(t.kind, Kind::Sic | Kind::Break);
        let row = i * w;
        let prev = (i - 1) * w;
        d[row] = d[prev] + u32::from(!free);
        for j in 1..=b {
            let mut v = d[prev + j] + u32::from(!free);
            v = v.min(d[row + j - 1] + if gap { 0 } else { s_cost(j) });
            if d[prev + j - 1] < v && compatible(t, qkm[i - 1], &sm[j - 1], skm[j - 1], source) {
                v = d[prev + j - 1];
            }
            d[row + j] = v;
        }
    }
    // Traceback, from the cheapest end in the last row (the latest of equals).
    let mut rev: Vec<Op> = Vec::new();
    let last = a * w;
    let end = if sfx > 0 { b } else { (0..=b).rev().min_by_key(|&j| d[last + j]).unwrap_or(b) };
    rev.extend((end..b).rev().map(|j| Op::SourceOnly(p + j)));
    let (mut i, mut j) = (a, end);
    while i > 0 || j > 0 {
        if i == 0 {
            rev.push(Op::SourceOnly(p + j - 1));
            j -= 1;
            continue;
        }
        let t = &qm[i - 1];
        let cur = d[i * w + j];
        if j > 0 && d[(i - 1) * w + j - 1] == cur && compatible(t, qkm[i - 1], &sm[j - 1], skm[j - 1], source) {
            rev.push(Op::Match(p + i - 1, p + j - 1));
            i -= 1;
            j -= 1;
        } else if is_gap(t) {
            let end = j;
            while j > 0 && d[i * w + j - 1] == cur {
                j -= 1;
            }
            rev.push(Op::Gap(p + i - 1, p + j..p + end));
            i -= 1;
        } else if d[(i - 1) * w + j] + u32::from(!matches!(t.kind, Kind::Sic | Kind::Break)) == cur {
            // An unmatched quote token (free for `[sic]` and breaks).
            rev.push(Op::QuoteOnly(p + i - 1));
            i -= 1;
        } else {
            rev.push(Op::SourceOnly(p + j - 1));
            j = j.saturating_sub(1);
        }
    }
    ops.extend(rev.into_iter().rev());
    ops.extend((0..sfx).map(|k| Op::Match(p + a + k, p + b + k)));
    Some(ops)
}

// ---------------------------------------------------------------- classification

struct Report<'a> {
    quote: &'a str,
    source: &'a str,
    q: &'a [Tok],
    s: &'a [Tok],
    differences: Vec<Difference>,
    /// (quote token range, source token range) with typographic differences.
    typo_marks: Vec<(Range<usize>, Range<usize>)>,
    edits: Vec<Edit>,
    case_edit: bool,
}

impl Report<'_> {
    fn edit(&mut self, kind: EditKind, text: &str, source: &str) {
        self.edits.push(Edit { kind, text: text.to_string(), source: source.to_string() });
    }

    fn classify(&mut self, ops: &[Op]) {
        // Piece starts: first word of the quote and first word after a gap.
        let mut piece_start = vec![false; self.q.len()];
        let mut at_start = true;
        for (k, t) in self.q.iter().enumerate() {
            match t.kind {
                Kind::Word | Kind::BracketWord => {
                    piece_start[k] = at_start;
                    at_start = false;
                }
                Kind::Ellipsis | Kind::Bracket => at_start = true,
                _ => {}
            }
        }
        let last_q = self.q.len().checked_sub(1);
        let mut group: Vec<usize> = Vec::new(); // indices into ops
        let mut prev_match = false;
        for (k, op) in ops.iter().enumerate() {
            match op {
                Op::QuoteOnly(i) if self.q[*i].kind == Kind::Sic => {
                    self.flush_group(ops, &mut group, k);
                    let r = raw(self.quote, &self.q[*i]).to_string();
                    self.edit(EditKind::Sic, &r, "");
                    prev_match = false;
                }
                Op::QuoteOnly(i) if self.q[*i].kind == Kind::Break => prev_match = false,
                Op::SourceOnly(j) if self.s[*j].kind == Kind::Break => prev_match = false,
                Op::QuoteOnly(_) | Op::SourceOnly(_) => {
                    group.push(k);
                    prev_match = false;
                }
                Op::Match(i, j) => {
                    self.flush_group(ops, &mut group, k);
                    self.classify_match(*i, *j, prev_match, piece_start[*i]);
                    prev_match = true;
                }
                Op::Gap(i, consumed) => {
                    self.flush_group(ops, &mut group, k);
                    let qt = &self.q[*i];
                    let qraw = raw(self.quote, qt).to_string();
                    let srcs = span_text(self.source, &self.s[consumed.clone()]);
                    let edge = *i == 0 || Some(*i) == last_q;
                    if qt.kind == Kind::Ellipsis {
                        if consumed.is_empty() && !edge {
                            self.differences.push(Difference { quoted: qraw, source: String::new() });
                        } else {
                            self.edit(EditKind::Elision, &qraw, &srcs);
                        }
                    } else if srcs.len() > MAX_BRACKET_REPLACED {
                        self.differences.push(Difference { quoted: qraw, source: srcs });
                    } else {
                        self.edit(EditKind::Insertion, &qraw, &srcs);
                    }
                    prev_match = false;
                }
            }
        }
        self.flush_group(ops, &mut group, ops.len());
    }

    fn classify_match(&mut self, i: usize, j: usize, prev_match: bool, piece_start: bool) {
        let (qt, st) = (&self.q[i], &self.s[j]);
        let (qr, sr) = (raw(self.quote, qt), raw(self.source, st));
        if prev_match && ws(self.quote, qt) != ws(self.source, st) {
            self.typo_marks.push((i.saturating_sub(1)..i + 1, j.saturating_sub(1)..j + 1));
        }
        if qr == sr {
            return;
        }
        match (qt.kind, st.kind) {
            (Kind::BracketWord, Kind::Word) => self.edit(EditKind::Insertion, qr, sr),
            (Kind::Word, Kind::Word) => {
                let (qn, sn) = (norm_word(qr), norm_word(sr));
                if qn == sn {
                    // Ligature or line-end hyphenation only.
                    self.typo_marks.push((i..i + 1, j..j + 1));
                } else if piece_start && first_letter_only_case(&qn, &sn) {
                    self.case_edit = true;
                    self.edit(EditKind::Case, qr, sr);
                } else {
                    self.differences.push(Difference { quoted: qr.to_string(), source: sr.to_string() });
                }
            }
            (Kind::Punct, Kind::Punct) => {
                let (a, b) = (quote_class(qr), quote_class(sr));
                if a != 0 && b != 0 && a != b {
                    self.edit(EditKind::NestedQuotes, qr, sr);
                } else {
                    self.typo_marks.push((i..i + 1, j..j + 1));
                }
            }
            _ => self.typo_marks.push((i..i + 1, j..j + 1)),
        }
    }

    /// Turns a run of unmatched tokens (`ops[group]`) into a difference or a
    /// PunctuationInside edit. `next` is the op index after the run.
    fn flush_group(&mut self, ops: &[Op], group: &mut Vec<usize>, next: usize) {
        if group.is_empty() {
            return;
        }
        let mut qi: Vec<usize> = Vec::new();
        let mut sj: Vec<usize> = Vec::new();
        for &k in group.iter() {
            match ops[k] {
                Op::QuoteOnly(i) => qi.push(i),
                Op::SourceOnly(j) => sj.push(j),
                _ => {}
            }
        }
        let first = group[0];
        group.clear();
        let at_end = next == ops.len();
        // American punctuation inside the closing mark.
        if at_end && qi.len() == 1 && qi[0] + 1 == self.q.len() && sj.len() <= 1 {
            let qr = raw(self.quote, &self.q[qi[0]]);
            let sr = sj.first().map_or("", |&j| raw(self.source, &self.s[j]));
            if matches!(qr, "," | ".") && matches!(sr, "" | "." | "," | ";" | ":") {
                let (qr, sr) = (qr.to_string(), sr.to_string());
                self.edit(EditKind::PunctuationInside, &qr, &sr);
                return;
            }
        }
        let mut qr = qi.first().zip(qi.last()).map(|(&a, &b)| a..b + 1);
        let mut sr = sj.first().zip(sj.last()).map(|(&a, &b)| a..b + 1);
        let all_marks =
            qi.iter().all(|&i| self.q[i].kind != Kind::Word) && sj.iter().all(|&j| self.s[j].kind != Kind::Word);
        if all_marks {
            // Glued to the matched word before?
            let glued_left = |t: &Tok| t.ws.is_empty();
            let left_ok = sj.first().map(|&j| glued_left(&self.s[j])).unwrap_or(true)
                && qi.first().map(|&i| glued_left(&self.q[i])).unwrap_or(true);
            if left_ok
                && first > 0
                && let Op::Match(i, j) = ops[first - 1]
            {
                qr = Some(qr.map_or(i..i + 1, |r| i..r.end));
                sr = Some(sr.map_or(j..j + 1, |r| j..r.end));
            }
            if let Some(Op::Match(i, j)) = ops.get(next)
                && self.q[*i].ws.is_empty()
                && self.s[*j].ws.is_empty()
            {
                qr = Some(qr.map_or(*i..*i + 1, |r| r.start..*i + 1));
                sr = Some(sr.map_or(*j..*j + 1, |r| r.start..*j + 1));
            }
        }
        self.differences.push(Difference {
            quoted: qr.map_or(String::new(), |r| span_text(self.quote, &self.q[r])),
            source: sr.map_or(String::new(), |r| span_text(self.source, &self.s[r])),
        });
    }

    fn finish(mut self) -> Verification {
        // Merge overlapping typographic marks into differences.
        self.typo_marks.sort_by_key(|(a, b)| (a.start, b.start));
        let mut merged: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        for (a, b) in self.typo_marks.drain(..) {
            match merged.last_mut() {
                Some((la, lb)) if a.start < la.end || b.start < lb.end => {
                    la.end = la.end.max(a.end);
                    lb.end = lb.end.max(b.end);
                }
                _ => merged.push((a, b)),
            }
        }
        // Widen to a word glued after a mark (`Spencer ‘` -> `Spencer ‘s`).
        for (a, b) in merged.iter_mut() {
            if let (Some(x), Some(y)) = (self.q.get(a.end), self.s.get(b.end)) {
                let marks = a.end > a.start && self.q[a.end - 1].kind != Kind::Word;
                if marks && x.ws.is_empty() && y.ws.is_empty() && raw(self.quote, x) == raw(self.source, y) {
                    a.end += 1;
                    b.end += 1;
                }
            }
        }
        let typographic: Vec<Difference> = merged
            .into_iter()
            .map(|(a, b)| Difference {
                quoted: span_text(self.quote, self.q.get(a).unwrap_or(&[])),
                source: span_text(self.source, self.s.get(b).unwrap_or(&[])),
            })
            .collect();
        let verdict = if !self.differences.is_empty() {
            Verdict::Altered
        } else if !typographic.is_empty() || self.case_edit {
            Verdict::Normalized
        } else {
            Verdict::Verbatim
        };
        Verification { verdict, differences: self.differences, typographic, edits: self.edits, source_range: 0..0 }
    }
}

/// Whether two words differ only in the case of their first letter.
fn first_letter_only_case(a: &str, b: &str) -> bool {
    let mut ai = a.chars();
    let mut bi = b.chars();
    match (ai.next(), bi.next()) {
        (Some(x), Some(y)) => x != y && x.to_lowercase().eq(y.to_lowercase()) && ai.as_str() == bi.as_str(),
        _ => false,
    }
}

// ---------------------------------------------------------------- conventions

/// One editorial convention of quoting: what a quotation may do to the
/// source's words and still be its words. The one table of them,
/// [`CONVENTIONS`], is the README's table too (a test holds the two together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Convention {
    /// Short name (the README's first column).
    pub name: &'static str,
    /// What the quotation does.
    pub rule: &'static str,
    /// The verdict it leaves: [`Verdict::Verbatim`] or [`Verdict::Normalized`],
    /// never [`Verdict::Altered`].
    pub verdict: Verdict,
    /// The edit it is reported as, if any (`elision`, `insertion`, `sic`, `case`,
    /// `punctuation_inside`, `nested_quotes`); typography leaves none.
    pub edit: Option<EditKind>,
    /// An example quotation ...
    pub quote: &'static str,
    /// ... of this source text.
    pub source: &'static str,
}

/// Every editorial convention verification accepts, with an example each.
pub const CONVENTIONS: &[Convention] = &[
    Convention {
        name: "ellipsis",
        rule: "`…`, `...`, `. . .` or four dots across a sentence end stand for any omitted run: words, a parenthetical, a dash-set phrase",
        verdict: Verdict::Verbatim,
        edit: Some(EditKind::Elision),
        quote: "the plan … was approved",
        source: "the plan (drafted in March) was approved",
    },
    Convention {
        name: "ellipsis over withheld or non-text material",
        rule: "an ellipsis may stand for nothing but a redaction label, a footnote marker, a page break or a paragraph break",
        verdict: Verdict::Verbatim,
        edit: Some(EditKind::Elision),
        quote: "the release … Manafort",
        source: "the release \u{FFFC} Manafort",
    },
    Convention {
        name: "brackets",
        rule: "square brackets insert or replace words (`[he]`, `[the mayor]`) or a letter (`[t]he`)",
        verdict: Verdict::Verbatim,
        edit: Some(EditKind::Insertion),
        quote: "[t]he mayor said [the budget] was final",
        source: "The mayor said it was final",
    },
    Convention {
        name: "[sic]",
        rule: "`[sic]` after a word marks an error of the source, quoted as it stands",
        verdict: Verdict::Verbatim,
        edit: Some(EditKind::Sic),
        quote: "the goverment [sic] agreed",
        source: "the goverment agreed",
    },
    Convention {
        name: "first-letter case",
        rule: "the first letter of the quotation (or of a piece after an ellipsis or bracket) changes case",
        verdict: Verdict::Normalized,
        edit: Some(EditKind::Case),
        quote: "the office declined to comment",
        source: "The office declined to comment",
    },
    Convention {
        name: "quotes inside quotes",
        rule: "double marks become single ones and back, at every nesting level, a closing mark after sentence punctuation included",
        verdict: Verdict::Verbatim,
        edit: Some(EditKind::NestedQuotes),
        quote: "telling him \u{2018}call me back when you do it.\u{2019}",
        source: "telling him \u{201C}call me back when you do it.\u{201D}",
    },
    Convention {
        name: "punctuation inside the closing mark",
        rule: "a period or comma at the end of the quotation where the source continues or has another mark (American style)",
        verdict: Verdict::Verbatim,
        edit: Some(EditKind::PunctuationInside),
        quote: "the vote was delayed until May,",
        source: "the vote was delayed until May.",
    },
    Convention {
        name: "dashes",
        rule: "em or en dash for `--` or `-`, spaced or unspaced, and any spacing around a dash",
        verdict: Verdict::Normalized,
        edit: None,
        quote: "a long history -- led by the council -- of delays",
        source: "a long history\u{2014}led by the council\u{2014}of delays",
    },
    Convention {
        name: "line-end hyphenation",
        rule: "a word broken by a hyphen at a line end reads as the whole word; the only case where a dash joins two words",
        verdict: Verdict::Normalized,
        edit: None,
        quote: "the telecommunications review",
        source: "the telecommu-\nnications review",
    },
    Convention {
        name: "apostrophes and quote glyphs",
        rule: "straight or curly apostrophes and quotation marks, primes, a stray space before an apostrophe",
        verdict: Verdict::Normalized,
        edit: None,
        quote: "the mayor's \"final\" plan",
        source: "the mayor\u{2019}s \u{201C}final\u{201D} plan",
    },
    Convention {
        name: "ligatures",
        rule: "`ﬁ`, `ﬂ`, `ﬀ`, `ﬃ`, `ﬄ` read as their letters",
        verdict: Verdict::Normalized,
        edit: None,
        quote: "the final effort",
        source: "the \u{FB01}nal e\u{FB00}ort",
    },
    Convention {
        name: "spaces",
        rule: "line breaks, non-breaking, thin and zero-width spaces, soft hyphens",
        verdict: Verdict::Normalized,
        edit: None,
        quote: "the budget was final",
        source: "the\u{00A0}bud\u{00AD}get\nwas\u{2009}fi\u{200B}nal",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_convention_of_the_table_leaves_its_verdict_and_edit() {
        for c in CONVENTIONS {
            let v = verify(c.quote, c.source);
            assert_eq!(v.verdict, c.verdict, "{}: {v:?}", c.name);
            assert!(v.differences.is_empty(), "{}: {v:?}", c.name);
            if let Some(k) = c.edit {
                assert!(kinds(&v).contains(&k), "{}: {v:?}", c.name);
            }
        }
    }

    #[test]
    fn ellipsis_forms_and_what_they_omit() {
        let paren = "the plan (drafted in March by the clerk) was approved";
        let dash = "it was filed\u{2014}twice, by the same clerk\u{2014}in May";
        let sentence = "the plan was approved. The clerk objected. Then it was filed";
        for (q, source) in [
            ("the plan ... was approved", paren),
            ("the plan \u{2026} was approved", paren),
            ("the plan . . . was approved", paren),
            ("it was filed \u{2026} in May", dash),
            ("the plan was approved.... Then it was filed", sentence),
            ("the plan was approved. . . . Then it was filed", sentence),
        ] {
            let v = verify(q, source);
            assert_eq!(v.verdict, Verdict::Verbatim, "{q}: {v:?}");
            assert_eq!(kinds(&v), vec![EditKind::Elision], "{q}");
        }
    }

    #[test]
    fn an_ellipsis_next_to_a_dash_never_glues_words() {
        // The words beside the dashes stay words of their own.
        let source = "stole materials\u{2014}hacks that, by all accounts, the government ordered\u{2014}began in March";
        let v = verify("materials ... began in March", source);
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
        assert_eq!(kinds(&v), vec![EditKind::Elision]);
        let v = verify("materials\u{2014}hacks that \u{2026} began in March", source);
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
        // A compound hyphen is a dash token too: quoting half of it is quoting a word.
        let v = verify("known risks", "the well-known risks");
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
    }

    #[test]
    fn an_ellipsis_over_withheld_or_non_text_material() {
        let o = OMITTED;
        for (source, what) in [
            (format!("before the release {o} Manafort told him"), "a redaction label"),
            (format!("before the release{o} Manafort told him"), "a footnote marker"),
            (format!("before the release {o}{o} Manafort told him"), "a label and a marker"),
            ("before the release\x0cManafort told him".to_string(), "a page break"),
            ("before the release\n\nManafort told him".to_string(), "a paragraph break"),
        ] {
            let v = verify("the release \u{2026} Manafort told him", &source);
            assert_eq!(v.verdict, Verdict::Verbatim, "{what}: {v:?}");
            assert_eq!(kinds(&v), vec![EditKind::Elision], "{what}");
            // Without the ellipsis the material needs no counterpart either.
            let v = verify("the release Manafort told him", &source);
            assert_ne!(v.verdict, Verdict::Altered, "{what}: {v:?}");
        }
        // An ellipsis over nothing at all is still a difference.
        let v = verify("the release \u{2026} Manafort", "the release Manafort");
        assert_eq!(v.verdict, Verdict::Altered);
    }

    #[test]
    fn nested_quote_marks_at_every_level() {
        let source = "telling him \u{201C}the audit has to go\u{201D} and \u{201C}call me back when you do it.\u{201D}";
        let quote = "telling him \u{2018}the audit has to go\u{2019} and \u{2018}call me back when you do it.\u{2019}";
        let v = verify(quote, source);
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
        assert_eq!(kinds(&v), vec![EditKind::NestedQuotes; 4]);
        // Two levels down: single in the source becomes double in the quote.
        let v = verify(
            "he wrote \u{201C}she said \u{2018}no\u{2019}.\u{201D}",
            "he wrote \u{2018}she said \u{201C}no\u{201D}.\u{2019}",
        );
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
        assert_eq!(kinds(&v), vec![EditKind::NestedQuotes; 4]);
        // Straight marks for curly ones of the other kind.
        let v = verify("called it 'a disaster.'", "called it \u{201C}a disaster.\u{201D}");
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
    }

    #[test]
    fn ascii_dashes_are_typography() {
        let source = "a long history\u{2014}led by the council\u{2014}of delays";
        for q in [
            "a long history -- led by the council -- of delays",
            "a long history--led by the council--of delays",
            "a long history - led by the council - of delays",
            "a long history \u{2013} led by the council \u{2013} of delays",
        ] {
            let v = verify(q, source);
            assert_eq!(v.verdict, Verdict::Normalized, "{q}: {v:?}");
            assert!(v.differences.is_empty());
        }
        // A dash where the source has none is a difference.
        let v = verify("a long history -- of delays", "a long history of delays");
        assert_eq!(v.verdict, Verdict::Altered);
    }

    #[test]
    fn a_line_end_hyphen_is_the_only_dash_that_joins_words() {
        let v = verify("the telecommunications review", "the telecommu-\nnications review");
        assert_eq!(v.verdict, Verdict::Normalized, "{v:?}");
        // A compound broken at a line end reads as the compound.
        let v = verify("the well-known risks", "the well-\nknown risks");
        assert_eq!(v.verdict, Verdict::Normalized, "{v:?}");
        let v = verify("the operations\u{2014}violated rules", "the operations-\nviolated rules");
        assert_eq!(v.verdict, Verdict::Normalized, "{v:?}");
        // An unbroken dash between words never joins them.
        let v = verify("materialshacks", "materials\u{2014}hacks");
        assert_eq!(v.verdict, Verdict::Altered);
    }

    #[test]
    fn differences_stay_inside_the_quote() {
        // A span widened over the neighbouring word: no difference for it.
        let v =
            verify("the prosecutors will tell you 90 percent", "get\u{2014}the prosecutors will tell you 99 percent");
        assert_eq!(v.verdict, Verdict::Altered);
        assert_eq!(v.differences, vec![d("90", "99")]);
        assert_eq!(
            &"get\u{2014}the prosecutors will tell you 99 percent"[v.source_range.clone()],
            "the prosecutors will tell you 99 percent"
        );
        let v = verify("the board met in May", "the board met in May, and then adjourned");
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
        // A changed first or last word is one substitution, not a neighbour.
        let v = verify("a board met in June", "said the board met in May");
        assert_eq!(v.differences, vec![d("a", "the"), d("June", "May")]);
    }

    #[test]
    fn each_change_is_exactly_one_difference() {
        let s = "the council approved 12 contracts worth 3 million dollars in total";
        let v = verify("the council approved 13 contracts worth 3 million dollars in total", s);
        assert_eq!(v.differences, vec![d("13", "12")]);
        let v = verify("the council approved 12 contracts worth 3 million in total", s);
        assert_eq!(v.differences, vec![d("", "dollars")]);
        let v = verify("the council quietly approved 12 contracts worth 3 million dollars in total", s);
        assert_eq!(v.differences, vec![d("quietly", "")]);
        let v = verify("the council rejected 12 contracts worth 3 million dollars in total", s);
        assert_eq!(v.differences, vec![d("rejected", "approved")]);
    }

    fn d(q: &str, s: &str) -> Difference {
        Difference { quoted: q.into(), source: s.into() }
    }

    fn kinds(v: &Verification) -> Vec<EditKind> {
        v.edits.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn identical_is_verbatim() {
        let s = "The committee \u{201C}found no record\u{201D} of the call \u{2014} none.";
        let v = verify(s, s);
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert!(v.differences.is_empty() && v.typographic.is_empty() && v.edits.is_empty());
    }

    #[test]
    fn missing_period_after_abbreviation_is_altered() {
        let v = verify(
            "the board will meet with us and Ms Rivera should there be time",
            "the board will meet with us and Ms. Rivera should there be time",
        );
        assert_eq!(v.verdict, Verdict::Altered);
        assert_eq!(v.differences, vec![d("Ms", "Ms.")]);
    }

    #[test]
    fn changed_word_and_missing_word() {
        let v = verify(
            "the auditors uncovered several payments to the firm",
            "the auditors identified several payments to the shell firm",
        );
        assert_eq!(v.verdict, Verdict::Altered);
        assert_eq!(v.differences, vec![d("uncovered", "identified"), d("", "shell")]);
    }

    #[test]
    fn changed_number() {
        let v = verify("about 30,000 emails", "about 33,000 emails");
        assert_eq!(v.verdict, Verdict::Altered);
        assert_eq!(v.differences, vec![d("30", "33")]);
        let v = verify("about 30,000 emails", "about 30.000 emails");
        assert_eq!(v.differences, vec![d("30,000", "30.000")]);
    }

    #[test]
    fn stray_space_and_wrong_apostrophe_is_normalized() {
        let v = verify("questions about Spencer \u{2018}s reliability", "questions about Spencer\u{2019}s reliability");
        assert_eq!(v.verdict, Verdict::Normalized);
        assert!(v.differences.is_empty());
        assert_eq!(v.typographic, vec![d("Spencer \u{2018}s", "Spencer\u{2019}s")]);
    }

    #[test]
    fn typography_is_normalized() {
        let v = verify(
            "the \"plan\" - as drafted - was 'final'",
            "the \u{201C}plan\u{201D} \u{2014} as drafted \u{2014} was \u{2018}final\u{2019}",
        );
        assert_eq!(v.verdict, Verdict::Normalized);
        assert!(v.differences.is_empty());
        let v = verify("a line\nbreak and tele-\ncommunications", "a line break and telecommunications");
        assert_eq!(v.verdict, Verdict::Normalized);
        let v = verify("an \u{FB01}nal e\u{FB00}ort", "an final effort");
        assert_eq!(v.verdict, Verdict::Normalized);
    }

    #[test]
    fn first_letter_case_is_normalized() {
        let v = verify("the office declined to comment", "The office declined to comment");
        assert_eq!(v.verdict, Verdict::Normalized);
        assert_eq!(kinds(&v), vec![EditKind::Case]);
        // Case changed in the middle of the quote: altered.
        let v = verify("the Office declined to comment", "the office declined to comment");
        assert_eq!(v.verdict, Verdict::Altered);
        assert_eq!(v.differences, vec![d("Office", "office")]);
    }

    #[test]
    fn ellipsis_is_an_elision() {
        for e in ["...", "\u{2026}", ". . ."] {
            let q = format!("the mayor said {e} that the budget was final");
            let v = verify(&q, "the mayor said on Tuesday, after the vote, that the budget was final");
            assert_eq!(v.verdict, Verdict::Verbatim, "{e}");
            assert_eq!(kinds(&v), vec![EditKind::Elision]);
            assert_eq!(v.edits[0].source, "on Tuesday, after the vote,");
        }
        // Leading and trailing ellipses omit nothing inside the span.
        let v = verify("\u{2026} the budget was final \u{2026}", "the budget was final");
        assert_eq!(v.verdict, Verdict::Verbatim);
        // An internal ellipsis that omits nothing is a difference.
        let v = verify("the budget ... was final", "the budget was final");
        assert_eq!(v.verdict, Verdict::Altered);
        // The source's own ellipsis quoted as is: no edit.
        let v = verify("he \u{2026} shall report", "he \u{2026} shall report");
        assert!(v.edits.is_empty());
        assert_eq!(v.verdict, Verdict::Verbatim);
    }

    #[test]
    fn brackets_are_insertions() {
        let v = verify("[t]he budget was final", "The budget was final");
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert_eq!(kinds(&v), vec![EditKind::Insertion]);
        assert_eq!(v.edits[0].source, "The");
        let v = verify("reports that [the treasurer] approved it", "reports that she approved it");
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert_eq!(v.edits[0].text, "[the treasurer]");
        assert_eq!(v.edits[0].source, "she");
        let v = verify("the plan [was] approved", "the plan approved");
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert_eq!(v.edits[0].source, "");
        let v = verify("the clerk support[ed] it", "the clerk supports it");
        assert_eq!(v.verdict, Verdict::Verbatim);
    }

    #[test]
    fn sic_is_noted() {
        let v = verify("the goverment [sic] agreed", "the goverment agreed");
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert_eq!(kinds(&v), vec![EditKind::Sic]);
        let v = verify("the goverment [sic] agreed", "the goverment [sic] agreed");
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert!(v.edits.is_empty());
    }

    #[test]
    fn punctuation_inside_closing_mark() {
        let v = verify("the vote was delayed until May,", "the vote was delayed until May.");
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert_eq!(kinds(&v), vec![EditKind::PunctuationInside]);
        let v = verify("the vote was delayed.", "the vote was delayed");
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert_eq!(v.edits[0].text, ".");
        // A comma elsewhere is a real difference.
        let v = verify("the vote, was delayed", "the vote was delayed");
        assert_eq!(v.verdict, Verdict::Altered);
    }

    #[test]
    fn nested_quotes_converted() {
        let v = verify(
            "she called it \u{2018}a disaster\u{2019} on air",
            "she called it \u{201C}a disaster\u{201D} on air",
        );
        assert_eq!(v.verdict, Verdict::Verbatim);
        assert_eq!(kinds(&v), vec![EditKind::NestedQuotes, EditKind::NestedQuotes]);
    }

    #[test]
    fn mixed_conventions() {
        let v = verify(
            "[t]he panel \u{2026} found \u{2018}no basis\u{2019} for it,",
            "The panel, after months, found \u{201C}no basis\u{201D} for it.",
        );
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");
        assert_eq!(
            kinds(&v),
            vec![
                EditKind::Insertion,
                EditKind::Elision,
                EditKind::NestedQuotes,
                EditKind::NestedQuotes,
                EditKind::PunctuationInside
            ]
        );
    }

    #[test]
    fn huge_inputs_fall_back() {
        let q = "alpha beta ".repeat(3000);
        let s = "gamma delta ".repeat(3000);
        let v = verify(&q, &s);
        assert_eq!(v.verdict, Verdict::Altered);
        assert_eq!(v.differences.len(), 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn self_is_verbatim(s in "(?s).{0,80}") {
            let v = verify(&s, &s);
            prop_assert_eq!(v.verdict, Verdict::Verbatim);
            prop_assert!(v.differences.is_empty());
        }

        #[test]
        fn self_is_verbatim_tricky(parts in prop::collection::vec(prop::sample::select(vec![
            "word", "Word", " ", "\n", "...", "\u{2026}", ". . .", "[", "]", "[t]", "[sic]", "-", "\u{2014}",
            "'", "\u{2019}", "\u{201C}", ",", ".", "\u{FB01}", "-\n", "x", "\u{AD}",
        ]), 0..30)) {
            let s = parts.concat();
            let v = verify(&s, &s);
            prop_assert_eq!(v.verdict, Verdict::Verbatim);
            prop_assert!(v.differences.is_empty() && v.typographic.is_empty());
        }

        #[test]
        fn never_panics(a in "(?s).{0,60}", b in "(?s).{0,60}") {
            let v = verify(&a, &b);
            prop_assert_eq!(v.differences.is_empty(), v.verdict != Verdict::Altered);
        }
    }
}
