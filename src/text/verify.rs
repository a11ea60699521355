//! Compare a quotation with the source passage it was anchored to.
//!
//! # Design
//!
//! Both texts go through one tokenizer: words (runs of letters and digits; a
//! word broken at a line end by `lowercase-\nlowercase` is joined back), single
//! punctuation marks, dash runs, ellipses (`…`, `...`, `. . .`), bracketed text
//! and `[sic]`. A bracket glued to a word (`[t]he`, `support[ed]`) becomes one
//! "bracket word" token that stands for a source word with the same literal
//! parts. Whitespace is not a token: each token remembers the raw whitespace
//! before it.
//!
//! The token sequences are aligned by an LCS-style dynamic programme (match 0,
//! unmatched token 1, no substitution) after stripping the identical prefix and
//! suffix. In the quote, an ellipsis or a free-standing bracket is a *gap* that
//! may consume any number of source tokens at no cost, and `[sic]` may stand
//! against nothing at no cost. Tokens are compared through a key: the word folded
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
    let q = tokenize(quote);
    let s = tokenize(source);
    let mut keys = Keys::default();
    let qk: Vec<u32> = q.iter().map(|t| keys.key(quote, t)).collect();
    let sk: Vec<u32> = s.iter().map(|t| keys.key(source, t)).collect();
    let ops = align(quote, source, &q, &s, &qk, &sk);
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
    r.finish()
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

/// End of the word starting at `i`, joining words that dashes join (`a-b`,
/// `a—b`, and a line-end `a-\nb`), as the normalized view does.
fn word_end(s: &str, mut i: usize) -> usize {
    loop {
        let mut last: Option<char> = None;
        while let Some(c) = char_at(s, i) {
            if is_word_char(c) || (is_invisible(c) && last.is_some()) {
                if !is_invisible(c) {
                    last = Some(c);
                }
                i += c.len_utf8();
            } else {
                break;
            }
        }
        // word, dashes, [spaces \n spaces], word
        if last.is_some_and(char::is_alphanumeric) && char_at(s, i).is_some_and(is_joining_dash) {
            let b = s.as_bytes();
            let mut j = i;
            while let Some(d) = char_at(s, j).filter(|&d| is_joining_dash(d)) {
                j += d.len_utf8();
            }
            let mut k = j;
            while k < b.len() && matches!(b[k], b' ' | b'\t' | b'\r') {
                k += 1;
            }
            if k < b.len() && b[k] == b'\n' {
                k += 1;
                while k < b.len() && matches!(b[k], b' ' | b'\t') {
                    k += 1;
                }
                j = k;
            }
            if char_at(s, j).is_some_and(char::is_alphanumeric) {
                i = j;
                continue;
            }
        }
        return i;
    }
}

fn is_joining_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{00AD}')
}

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

/// Length of an ellipsis at `i` (`…`, 3+ dots, `. . .`), if any.
pub(crate) fn ellipsis_len(s: &str, i: usize) -> Option<usize> {
    let rest = s.get(i..)?;
    if rest.starts_with('\u{2026}') {
        return Some('\u{2026}'.len_utf8());
    }
    let dots = rest.bytes().take_while(|&b| b == b'.').count();
    if dots >= 3 {
        return Some(dots);
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
fn quote_class(p: &str) -> u8 {
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
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j as u32;
    }
    for i in 1..=a {
        let t = &qm[i - 1];
        let gap = is_gap(t);
        let free = gap || t.kind == Kind::Sic;
        let row = i * w;
        let prev = (i - 1) * w;
        d[row] = d[prev] + u32::from(!free);
        for j in 1..=b {
            let mut v = d[prev + j] + u32::from(!free);
            v = v.min(d[row + j - 1] + u32::from(!gap));
            if d[prev + j - 1] < v && compatible(t, qkm[i - 1], &sm[j - 1], skm[j - 1], source) {
                v = d[prev + j - 1];
            }
            d[row + j] = v;
        }
    }
    // Traceback.
    let mut rev: Vec<Op> = Vec::new();
    let (mut i, mut j) = (a, b);
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
        } else if d[(i - 1) * w + j] + u32::from(t.kind != Kind::Sic) == cur {
            // An unmatched quote token (free for `[sic]`).
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

    /// Turns a run of unmatched tokens (ops[group]) into a difference or a
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
        Verification { verdict, differences: self.differences, typographic, edits: self.edits }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
