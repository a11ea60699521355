//! A normalized view of a text for matching, with an exact offset map.
//!
//! # Design
//!
//! One left-to-right pass over the original pushes the normalized bytes into a
//! `Vec<u8>` (turned into the `String` at the end; only whole UTF-8 sequences are
//! pushed) and, for every normalized byte, one `u32` entry into a map. An entry
//! names the *unit* of the original that produced the byte: its start offset in
//! the low 30 bits and its length in the top 2 bits (1, 2 or 3 bytes; the value
//! 3 means "look the end up in a small side table", used for 4-byte characters
//! and merged units). Texts are capped at 1 GiB so offsets fit in 30 bits. The
//! map is stored as runs (a stretch copied one byte per byte is one run; a unit
//! that produced several bytes is one run), so it costs memory in proportion to
//! the irregular places of the text, not to its length (a few percent of the
//! text on prose), and a lookup is a binary search over the runs.
//!
//! Runs of plain ASCII (everything but whitespace, the apostrophe, the grave
//! accent and `-`), with single ASCII whitespace bytes between plain bytes
//! (a space, or the line break of a wrapped line, which becomes a space: one
//! byte for one byte, so the map stays a straight copy), are found sixteen
//! bytes at a time (a fixed-size loop the compiler turns into vector
//! instructions), copied as they stand, and take one run of the map; the
//! output is lowered in place a chunk at a time (64 KiB, while it is still in
//! the cache), which equals lowering each run since every other byte written
//! is already in its lowered form.
//! Everything else takes the per-character slow path, which the tests hold the
//! block copy to (the same text and map with the block copy off).
//!
//! A text of 4 MiB or more is built in pieces of about 1 MiB on one thread per
//! core: cut where two ASCII letters or digits meet outside any skip range
//! (`cut_points`: no rule looks across such a place), each piece built by a
//! fresh builder, the pieces joined in order (the offset maps where a plain
//! run crosses a cut, `OffsetMap::append`). The result is the same text,
//! map and long units as one pass (held by a proptest cutting at every
//! place allowed).
//!
//! A search that reads a long text once (the one-shot `locate`) need not
//! build the view whole: [`Pieces`] builds the same pieces (about 2 MiB),
//! on every core, without the offset map, hands each to a test with as much
//! of the next pieces as it asks for (the windows overlap), and builds a
//! run of pieces again, with the map, where the test found something: the
//! whole view's slice there, each byte mapped to the unit the whole view
//! maps it to (offsets in the whole original).
//!
//! Rules (all applied to the original text outside the `skip` ranges):
//! - quote and apostrophe glyphs (`‘ ’ ‚ ‛ ′ ´ '` and the grave accent U+0060)
//!   become `'`, double ones (`“ ” „ ‟ ″ « » "`) become `"`;
//! - a run of dashes (`- ‐ ‑ ‒ – — ― −`, so also `--`) becomes one `-`; its unit
//!   is the first dash, the rest of the run is dropped;
//! - a whitespace run (any `char::is_whitespace`, so line breaks, `\f`, NBSP and
//!   thin spaces too) becomes one space whose unit is the first whitespace char;
//!   characters dropped inside the run (zero-width, skip ranges) do not split it;
//! - whitespace between a letter or digit and an apostrophe glyph that is
//!   followed (after optional spaces) by a letter is dropped, so `WikiLeaks ' s`
//!   and `Manafort ‘s` read `wikileaks's` and `manafort's`. The whole stretch from
//!   the preceding character to that letter becomes ONE unit, so that any unit
//!   boundary slice normalizes the same way on its own. Only a letter after the
//!   apostrophe is looked at (not whether it ends a contraction), so an opening
//!   single quote after a word also loses its space (`is ‘ok’` -> `is'ok'`): this
//!   is deliberate, a rule that looked further right could not be exact on slices,
//!   and quote and source are normalized alike so matching is unaffected;
//! - a dash between two words is dropped, with the whitespace around it: a
//!   letter or digit, optionally whitespace, a run of dashes (any glyph, or a
//!   soft hyphen), optionally whitespace (spaces, a line break), then a letter
//!   or digit. So `history -- led`, `history - led` and `history—led` read alike, and
//!   `communi-\ncations` reads `communications`, and a compound broken at a line
//!   end (`election-\ninterference`, the PDF's `operations-\nviolated` for
//!   `operations—violated`) reads the same as the unbroken one: which of the two
//!   a line-end hyphen is cannot be told from the text, and dropping joining
//!   dashes on both sides makes the question moot for matching (verification
//!   still sees the original);
//! - ligatures `ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ` are expanded, `…` becomes `...`;
//! - zero-width characters (U+200B–U+200F, U+2060, U+FEFF) and soft hyphens are
//!   dropped;
//! - with `fold_case`, every other character goes through `char::to_lowercase`
//!   (context free, so the map stays exact when the length changes);
//! - `skip` ranges (snapped outwards to char boundaries, clipped, merged) are
//!   dropped entirely; whitespace around them collapses to one space.
//!
//! A rule only looks at the characters it rewrites, the unit just before and,
//! for dropped stretches (hyphenation), the character just after; merged units
//! absorb the rest. So a slice of the original taken at unit boundaries
//! normalizes to exactly the corresponding slice of the normalized text, and a
//! slice cutting an expansion (`ﬁ` -> `fi`) normalizes to a superset (both
//! tested by proptest). `to_original` is "smallest covering range" at unit
//! granularity: the dropped tail of a dash or whitespace run belongs to no unit.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};

use crate::{Error, Result};

/// Largest original text accepted (1 GiB): offsets must fit in 30 bits.
pub const MAX_TEXT_LEN: usize = 1 << 30;

const OFFSET_MASK: u32 = (1 << 30) - 1;
const LONG_CODE: u32 = 3;

/// Options of a normalization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// Fold the case of every character with `char::to_lowercase`.
    pub fold_case: bool,
    /// Original byte ranges to drop entirely (footnote markers, redaction labels).
    /// They need not be sorted, disjoint or on char boundaries (they are snapped
    /// outwards); parts beyond the text are ignored.
    pub skip: Vec<Range<usize>>,
}

/// A normalized text plus the map from each of its bytes back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    /// Per normalized byte: unit start (30 bits) | length code (2 bits), stored
    /// as runs (see [`OffsetMap`]).
    map: OffsetMap,
    /// (start, end) of units whose length code is [`LONG_CODE`], sorted by start.
    long_units: Vec<(u32, u32)>,
    /// Length of the original text that was normalized.
    original_len: usize,
}

impl Normalized {
    /// Normalizes `original`, refusing texts over [`MAX_TEXT_LEN`].
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `original` is longer than 1 GiB.
    pub fn try_new(original: &str, opts: &NormalizeOptions) -> Result<Normalized> {
        if original.len() > MAX_TEXT_LEN {
            return Err(Error::TooLarge { what: "text to normalize", len: original.len(), max: MAX_TEXT_LEN });
        }
        Ok(Self::new(original, opts))
    }

    /// Normalizes `original`. For callers that checked the size: a text over
    /// [`MAX_TEXT_LEN`] is not refused but only its first 1 GiB (cut at a char
    /// boundary) is normalized; use [`Normalized::try_new`] to get an error instead.
    pub fn new(original: &str, opts: &NormalizeOptions) -> Normalized {
        let mut cut = original.len().min(MAX_TEXT_LEN);
        while !original.is_char_boundary(cut) {
            cut -= 1;
        }
        let original = original.get(..cut).unwrap_or("");
        let skips = prepare_skips(original, &opts.skip);
        let threads = if original.len() >= PARALLEL_MIN {
            std::thread::available_parallelism().map_or(1, usize::from).min(MAX_THREADS)
        } else {
            1
        };
        build(original, &skips, opts.fold_case, PIECE, threads, true)
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length of the normalized text in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the normalized text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Length of the original text (as normalized: at most [`MAX_TEXT_LEN`]).
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// Bytes it holds on the heap: the normalized text, and its offset map
    /// (runs and long units).
    pub fn heap_bytes(&self) -> (usize, usize) {
        let map = 4 * (self.map.starts.capacity() + self.map.vals.capacity()) + 8 * self.long_units.capacity();
        (self.text.capacity(), map)
    }

    /// The original unit (byte range, on char boundaries) that produced the
    /// normalized byte `i`; `None` when `i` is out of range.
    pub fn unit(&self, i: usize) -> Option<Range<usize>> {
        let e = self.map.get(i)?;
        Some(self.decode(e))
    }

    /// Whether normalized offset `i` is a boundary between two units (or the start
    /// or end of the text): slicing there never splits an expansion like `ﬁ`.
    pub fn is_unit_boundary(&self, i: usize) -> bool {
        if i == 0 || i >= self.map.len() {
            return i <= self.map.len();
        }
        match (self.map.get(i), self.map.get(i - 1)) {
            (Some(a), Some(b)) => (a & OFFSET_MASK) != (b & OFFSET_MASK),
            _ => true,
        }
    }

    /// Normalized byte range -> the smallest original byte range covering the units
    /// that produced it (on char boundaries). The range is clamped to the text; an
    /// empty range maps to the empty range at the start of the unit at `r.start`
    /// (at the original length when `r.start` is at or past the end).
    pub fn to_original(&self, r: Range<usize>) -> Range<usize> {
        let len = self.map.len();
        let s = r.start.min(len);
        let e = r.end.min(len);
        if s >= e {
            let p = match self.map.get(s) {
                Some(entry) => (entry & OFFSET_MASK) as usize,
                None => self.original_len,
            };
            return p..p;
        }
        let a = self.map.get(s).map_or(self.original_len, |v| self.decode(v).start);
        let b = self.map.get(e - 1).map_or(self.original_len, |v| self.decode(v).end);
        a..b.max(a)
    }

    /// Original byte offset -> normalized byte offset: the first normalized byte
    /// whose unit starts at or after `original` (the normalized length if none).
    pub fn to_normalized(&self, original: usize) -> usize {
        let o = u32::try_from(original).unwrap_or(u32::MAX);
        self.map.first_at_or_after(o)
    }

    fn decode(&self, e: u32) -> Range<usize> {
        let start = e & OFFSET_MASK;
        let code = e >> 30;
        let end = if code < LONG_CODE {
            start + code + 1
        } else {
            match self.long_units.binary_search_by_key(&start, |&(s, _)| s) {
                Ok(k) => self.long_units[k].1,
                Err(_) => start,
            }
        };
        start as usize..end as usize
    }
}

/// The offset map, stored as runs: memory in proportion to the irregular places
/// of the text (non-ASCII characters, collapsed whitespace, dropped stretches),
/// not to its length.
///
/// Segment `k` covers normalized bytes `starts[k] .. starts[k + 1]` (the last one
/// up to `len`). A *constant* segment maps every byte to the entry `vals[k]` (one
/// unit that produced several bytes, or a single byte); a *step* segment (the top
/// bit of `starts[k]` set) maps byte `starts[k] + d` to `vals[k] + d`: a run of
/// one-byte units copied one to one, the common case. Entries are monotonic in
/// their offsets, so lookups are binary searches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct OffsetMap {
    starts: Vec<u32>,
    vals: Vec<u32>,
    len: usize,
}

const STEP: u32 = 1 << 31;

impl OffsetMap {
    fn len(&self) -> usize {
        self.len
    }

    fn start(&self, k: usize) -> usize {
        (self.starts[k] & !STEP) as usize
    }

    fn is_step(&self, k: usize) -> bool {
        self.starts[k] & STEP != 0
    }

    /// The entry of the last byte (`len > 0`).
    fn last_val(&self) -> u32 {
        let k = self.starts.len() - 1;
        let v = self.vals[k];
        if self.is_step(k) { v + (self.len - 1 - self.start(k)) as u32 } else { v }
    }

    fn last_seg_len(&self) -> usize {
        self.len - self.start(self.starts.len() - 1)
    }

    fn new_seg(&mut self, at: usize, e: u32, step: bool) {
        self.starts.push(at as u32 | if step { STEP } else { 0 });
        self.vals.push(e);
    }

    /// Appends one byte mapped to `e`.
    fn push(&mut self, e: u32) {
        if self.starts.is_empty() {
            self.new_seg(self.len, e, false);
        } else {
            let k = self.starts.len() - 1;
            let last = self.last_val();
            let one = self.last_seg_len() == 1;
            let next_step = e >> 30 == 0 && last >> 30 == 0 && e == last.wrapping_add(1);
            if self.is_step(k) {
                if next_step {
                    // extends the run
                } else if one && e == last {
                    self.starts[k] &= !STEP;
                } else {
                    self.new_seg(self.len, e, false);
                }
            } else if e == last {
                // extends the constant
            } else if one && next_step {
                self.starts[k] |= STEP;
            } else {
                self.new_seg(self.len, e, false);
            }
        }
        self.len += 1;
    }

    /// Appends bytes mapped to `e` until the map is `len` long.
    fn fill_to(&mut self, len: usize, e: u32) {
        if len <= self.len {
            return;
        }
        self.push(e);
        let more = len - self.len;
        if more == 0 {
            return;
        }
        let k = self.starts.len() - 1;
        if self.is_step(k) {
            if self.last_seg_len() == 1 {
                self.starts[k] &= !STEP;
            } else {
                // The last byte (mapped to `e`) starts a constant segment.
                self.new_seg(self.len - 1, e, false);
            }
        }
        self.len += more;
    }

    /// Appends the one-byte units `from..to` (one normalized byte each).
    fn push_identity(&mut self, from: u32, to: u32) {
        if from >= to {
            return;
        }
        self.push(from);
        let more = (to - from - 1) as usize;
        if more == 0 {
            return;
        }
        let k = self.starts.len() - 1;
        if !self.is_step(k) {
            if self.last_seg_len() == 1 {
                self.starts[k] |= STEP;
            } else {
                self.new_seg(self.len - 1, from, true);
            }
        }
        self.len += more;
    }

    /// Maps the trailing bytes whose unit starts at `offset` to `e` instead.
    fn rewrite_tail(&mut self, offset: u32, e: u32) {
        let mut first = self.len;
        while first > 0 && self.get(first - 1).is_some_and(|v| v & OFFSET_MASK == offset) {
            first -= 1;
        }
        if first == self.len {
            return;
        }
        // Drop the segments that start inside the tail, cut the one that holds its
        // first byte, then append the tail as one constant segment.
        while let Some(&s) = self.starts.last() {
            if ((s & !STEP) as usize) < first {
                break;
            }
            self.starts.pop();
            self.vals.pop();
        }
        let n = self.len;
        self.len = first;
        if let Some(k) = self.starts.len().checked_sub(1)
            && self.is_step(k)
            && self.last_seg_len() == 1
        {
            self.starts[k] &= !STEP;
        }
        self.new_seg(first, e, false);
        self.len = n;
    }

    /// The entry of normalized byte `i`.
    fn get(&self, i: usize) -> Option<u32> {
        if i >= self.len {
            return None;
        }
        let k = self.starts.partition_point(|&s| ((s & !STEP) as usize) <= i).checked_sub(1)?;
        let v = self.vals[k];
        Some(if self.is_step(k) { v + (i - self.start(k)) as u32 } else { v })
    }

    /// The first byte whose unit starts at or after `o` (`len` if none).
    fn first_at_or_after(&self, o: u32) -> usize {
        // Segments whose last entry is still below `o` lie entirely before.
        let k = self.vals.partition_point(|&v| (v & OFFSET_MASK) < o);
        // Segment k - 1 may end with entries at or after `o` (a step run).
        if let Some(p) = k.checked_sub(1)
            && self.is_step(p)
        {
            let end = self.starts.get(k).map_or(self.len, |&s| (s & !STEP) as usize);
            let base = self.vals[p] & OFFSET_MASK;
            let d = (o - base) as usize;
            let at = self.start(p) + d;
            if at < end {
                return at;
            }
        }
        self.starts.get(k).map_or(self.len, |&s| (s & !STEP) as usize)
    }

    /// Appends the map of the next piece of the text (built on its own from
    /// a cut [`cut_points`] chose). Its first segment is pushed again as one
    /// pass would have pushed it (a plain run crossing the cut is one step
    /// segment in the map of one pass, two pieces in the maps of two); the
    /// others are copied, their starts shifted.
    fn append(&mut self, other: &OffsetMap) {
        let Some(&first) = other.starts.first() else {
            return;
        };
        let shift = self.len;
        let end = other.starts.get(1).map_or(other.len, |&s| (s & !STEP) as usize);
        let v = other.vals[0];
        if first & STEP != 0 {
            self.push_identity(v, v + end as u32);
        } else {
            self.fill_to(shift + end, v);
        }
        for (&s, &v) in other.starts.iter().zip(&other.vals).skip(1) {
            self.starts.push((((s & !STEP) as usize + shift) as u32) | (s & STEP));
            self.vals.push(v);
        }
        self.len = shift + other.len;
    }

    fn clear(&mut self) {
        self.starts.clear();
        self.vals.clear();
        self.len = 0;
    }
}

/// Snap, clip, sort and merge skip ranges.
fn prepare_skips(text: &str, skip: &[Range<usize>]) -> Vec<Range<usize>> {
    let n = text.len();
    let mut v: Vec<Range<usize>> = skip
        .iter()
        .filter_map(|r| {
            let mut s = r.start.min(n);
            let mut e = r.end.min(n);
            if s >= e {
                return None;
            }
            while !text.is_char_boundary(s) {
                s -= 1;
            }
            while !text.is_char_boundary(e) {
                e += 1;
            }
            Some(s..e)
        })
        .collect();
    // Stable: a list already in order (a matcher's merged skips) is left as it is.
    if !v.is_sorted_by_key(|r| (r.start, r.end)) {
        v.sort_by_key(|r| (r.start, r.end));
    }
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Byte classes for the ASCII fast path.
const PLAIN: u8 = 1;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        let special = matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | b'\'' | b'`' | b'-');
        if !special {
            t[i] = PLAIN;
        }
        i += 1;
    }
    t
};

/// Bytes the copy loop tests and copies at once.
const BLOCK: usize = 16;

/// 1 for a byte that always continues a plain run in the block test:
/// printable ASCII but the apostrophe, the grave accent and `-` (controls and
/// spaces are tested apart; non-ASCII never continues a run). Arithmetic on
/// bytes rather than booleans, so that the block loops compile to vector
/// instructions.
#[inline(always)]
fn block_plain(b: u8) -> u8 {
    u8::from(b > b' ') & u8::from(b < 0x80) & u8::from(b != b'\'') & u8::from(b != b'-') & u8::from(b != b'`')
}

/// 1 for ASCII whitespace (what `char::is_whitespace` says of a byte below 0x80).
#[inline(always)]
fn ascii_ws(b: u8) -> u8 {
    u8::from(b == b' ') | u8::from(b.wrapping_sub(0x09) < 5)
}

/// Whether all of the first [`BLOCK`] bytes of `blk` continue a plain run: a
/// byte continues it when it is plain, or ASCII whitespace followed by a plain
/// byte (`blk[i + 1]`). Conservative: a control that is not whitespace stops
/// the block although it continues the run (the byte loop of
/// [`Builder::copy_run`] takes it).
#[inline(always)]
fn block_continues(blk: &[u8; BLOCK + 1]) -> bool {
    let mut plain = [0u8; BLOCK + 1];
    for (p, &b) in plain.iter_mut().zip(blk) {
        *p = block_plain(b);
    }
    let mut stop = 0u8;
    for i in 0..BLOCK {
        stop |= !(plain[i] | (ascii_ws(blk[i]) & plain[i + 1])) & 1;
    }
    stop == 0
}

/// The end of the whole blocks of a plain run from `j` (a byte inside it): the
/// first block that does not continue the run, or the last one that fits
/// before `limit` with the byte after it. Not inlined: on its own the block
/// test compiles to vector instructions with its constants held in registers.
#[inline(never)]
fn run_blocks(bytes: &[u8], mut j: usize, limit: usize) -> usize {
    // The byte after a block must be inside the run's limit too: a space
    // before a skip range is not a run's.
    while j + BLOCK < limit {
        let Some(blk) = bytes.get(j..=j + BLOCK).and_then(|b| <&[u8; BLOCK + 1]>::try_from(b).ok()) else {
            break;
        };
        if !block_continues(blk) {
            break;
        }
        j += BLOCK;
    }
    j
}

/// Bytes of output lowered at once by [`Builder::lower_pending`]: small
/// enough to be still in the cache when lowered.
const LOWER_CHUNK: usize = 1 << 16;

/// Applies [`lower_plain`] to every byte of `buf` (a loop the compiler turns
/// into vector instructions). Every byte the builder writes other than a
/// plain run's is already what [`lower_plain`] makes of it (a space, a quote
/// mark, `-`, `.`, a lowercase letter when folding, the bytes of a character
/// past ASCII), so lowering the whole output equals lowering each run.
fn lower_in_place(buf: &mut [u8], fold: u8) {
    for b in buf {
        *b = lower_plain(*b, fold);
    }
}

/// The normalized form of a byte of a plain run: ASCII whitespace becomes a
/// space, an ASCII capital is lowercased when folding (`fold` is 0x20 or 0;
/// selects by masks, no branches, so a run is lowered with vector
/// instructions).
#[inline(always)]
fn lower_plain(b: u8, fold: u8) -> u8 {
    let upper = u8::from(b.wrapping_sub(b'A') < 26);
    let l = b | (upper.wrapping_neg() & fold);
    l ^ ((l ^ b' ') & ascii_ws(b).wrapping_neg())
}

fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}')
}

fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => return None,
    })
}

/// Texts this long or longer are normalized on several threads.
const PARALLEL_MIN: usize = 4 << 20;

/// Bytes of the original per piece of a parallel build: small enough that the
/// pieces waiting to be joined hold little memory, large enough that handing
/// them over costs nothing next to building them.
const PIECE: usize = 1 << 20;

/// Most threads a build uses.
const MAX_THREADS: usize = 8;

/// The normalized bytes, map and long units of one piece of the text.
#[derive(Debug, Default)]
struct Piece {
    out: Vec<u8>,
    map: OffsetMap,
    long_units: Vec<(u32, u32)>,
}

/// Where the text may be cut into pieces normalized apart: about every
/// `piece` bytes, the first offset `p` at or after the mark where the bytes
/// `p - 1` and `p` are both ASCII letters or digits and neither lies in a
/// skip range.
///
/// At such an offset one pass is in a plain run (or has just ended one with
/// the letter at `p - 1`), nothing is pending, and no rule looks across it:
/// every look ahead (a dash run, the whitespace after it, the spaces before
/// an apostrophe's letter, a curly quote's bytes) stops at the letter at
/// `p - 1`, and the look behind of the hyphenation and apostrophe rules
/// needs a dash or whitespace right after the unit before it, which the
/// letter at `p` is not. So a builder starting fresh at `p` writes what the
/// one pass writes from there, and the maps join where the run crosses the
/// cut ([`OffsetMap::append`]).
fn cut_points(orig: &str, skips: &[Range<usize>], piece: usize) -> Vec<usize> {
    let bytes = orig.as_bytes();
    let n = bytes.len();
    let piece = piece.max(1);
    let mut cuts = Vec::new();
    let mut si = 0;
    let mut p = piece.max(1);
    while p < n {
        let safe = bytes[p - 1].is_ascii_alphanumeric() && bytes[p].is_ascii_alphanumeric() && {
            // The first skip range that ends after `p - 1`; merged ranges
            // are sorted by their ends too.
            while skips.get(si).is_some_and(|r| r.end < p) {
                si += 1;
            }
            skips.get(si).is_none_or(|r| r.start > p)
        };
        if safe {
            cuts.push(p);
            p += piece;
        } else {
            p += 1;
        }
    }
    cuts
}

/// Normalizes `orig` (skips prepared) in pieces of about `piece` bytes, on
/// `threads` threads (1: one pass, no thread started). The calling thread
/// builds every `threads`-th piece into the final buffers and joins the
/// others, in order, as the other threads hand them over; the result is the
/// same as one pass (property test `pieces_equal_one_pass`). A thread that
/// cannot be started, or stops, leaves its pieces to the calling thread.
fn build(orig: &str, skips: &[Range<usize>], fold: bool, piece: usize, threads: usize, fast: bool) -> Normalized {
    let mut b = Builder::new(orig, fold);
    b.fast = fast;
    let mut bounds = vec![0];
    if threads > 1 {
        bounds.extend(cut_points(orig, skips, piece));
    }
    bounds.push(orig.len());
    let pieces = bounds.len() - 1;
    let threads = threads.clamp(1, pieces);
    if threads == 1 {
        b.run(skips, 0, orig.len());
        return b.finish();
    }
    std::thread::scope(|scope| {
        let bounds = &bounds;
        // Per other thread: where its pieces arrive, and where their buffers
        // go back to it.
        let mut lanes: Vec<Option<(Receiver<Piece>, Sender<Piece>)>> = Vec::with_capacity(threads - 1);
        for w in 1..threads {
            let (tx, rx) = sync_channel::<Piece>(1);
            let (back_tx, back_rx) = channel::<Piece>();
            let worker = move || {
                for k in (w..pieces).step_by(threads) {
                    let (from, to) = (bounds[k], bounds[k + 1]);
                    let mut pb = Builder::reusing(orig, fold, back_rx.try_recv().unwrap_or_default(), to - from);
                    pb.fast = fast;
                    pb.run(skips, from, to);
                    if tx.send(pb.into_piece()).is_err() {
                        return;
                    }
                }
            };
            let started = std::thread::Builder::new().name("normalize".into()).spawn_scoped(scope, worker).is_ok();
            lanes.push(started.then_some((rx, back_tx)));
        }
        for k in 0..pieces {
            let lane = (k % threads).checked_sub(1).and_then(|w| lanes.get(w)).and_then(Option::as_ref);
            match lane.and_then(|(rx, _)| rx.recv().ok()) {
                Some(p) => {
                    b.append(&p);
                    if let Some((_, back)) = lane {
                        // The other thread may be done: then the buffers go.
                        let _ = back.send(p);
                    }
                }
                None => {
                    b.run(skips, bounds[k], bounds[k + 1]);
                    b.end_piece();
                }
            }
        }
        b.finish()
    })
}

/// Bytes of the original per piece of a view built to be searched a piece at
/// a time ([`Pieces`]): each piece is searched while it is still in the
/// cache, and a piece of 2 MiB keeps a search's per-piece setup (the fuzzy
/// filter's choice of pieces samples texts of 1 MiB or more) small next to it.
const STREAM_PIECE: usize = 2 << 20;

/// One window of the normalized view, handed to the test of [`Pieces::scan`]:
/// piece `piece` of the view (`text[..own]`), followed by at least the
/// overlap asked for of the pieces after it (fewer only at the view's end).
#[derive(Debug)]
pub(crate) struct Window<'w> {
    /// Which piece, counted from the view's start.
    pub(crate) piece: usize,
    /// The piece and what follows it: a slice of the view's bytes (UTF-8;
    /// given as bytes since the searches read bytes, so they are not
    /// checked again).
    pub(crate) text: &'w [u8],
    /// How long the piece itself is.
    pub(crate) own: usize,
}

/// The normalized view of a text cut into pieces, to be searched a piece at
/// a time and never built whole: a search that looks at a text once (the
/// one-shot `locate`) needs no view of the whole text, no offset map of it,
/// and none of the page faults of either, and builds with its map only the
/// pieces around what it found ([`Pieces::view`]).
///
/// The pieces are those of the parallel build ([`cut_points`], about
/// [`STREAM_PIECE`] bytes of the original each, on one thread per core for
/// a text of [`PARALLEL_MIN`] or more; a shorter text is one piece), each
/// built by a fresh builder, so the pieces, in order, are the view (what
/// [`build`] joins), and a run of them built by one builder is the view's
/// slice there with the whole view's offset map for it.
#[derive(Debug)]
pub(crate) struct Pieces<'t> {
    orig: &'t str,
    skips: Vec<Range<usize>>,
    fold: bool,
    /// Where each piece starts in the original, then the text's end.
    bounds: Vec<usize>,
    threads: usize,
}

impl<'t> Pieces<'t> {
    /// The pieces of the view of `original` with `opts`. `cut` = (bytes per
    /// piece, threads) sets the pieces instead of the sizes a text of its
    /// length gets (tests cut small texts at every place).
    pub(crate) fn new(original: &'t str, opts: &NormalizeOptions, cut: Option<(usize, usize)>) -> Pieces<'t> {
        let mut end = original.len().min(MAX_TEXT_LEN);
        while !original.is_char_boundary(end) {
            end -= 1;
        }
        let orig = original.get(..end).unwrap_or("");
        let skips = prepare_skips(orig, &opts.skip);
        let (piece, threads) = match cut {
            Some(c) => c,
            None if orig.len() >= PARALLEL_MIN => {
                (STREAM_PIECE, std::thread::available_parallelism().map_or(1, usize::from).min(MAX_THREADS))
            }
            None => (usize::MAX, 1),
        };
        let mut bounds = vec![0];
        if piece < orig.len() {
            bounds.extend(cut_points(orig, &skips, piece));
        }
        bounds.push(orig.len());
        let threads = threads.clamp(1, bounds.len() - 1);
        Pieces { orig, skips, fold: opts.fold_case, bounds, threads }
    }

    /// How many pieces.
    pub(crate) fn count(&self) -> usize {
        self.bounds.len() - 1
    }

    /// Runs `test` on the window of each piece (of those `only` marks, when
    /// given): the piece followed by the start of the next pieces, built on
    /// from the piece's end to a cut at least `overlap` bytes of the view
    /// further, so every stretch of the view at most `overlap + 1` bytes
    /// long stands whole in the window of the piece it starts in. Windows
    /// are built without an offset map (only their text is searched) and
    /// tested as they are built, on every thread, each thread's buffers
    /// used again. Gives, per piece, its length in the view and what `test`
    /// returned (`None` for a piece not tested); `None` when a test gave up
    /// (returned `None`: the scan stops) or a thread stopped. A thread that
    /// cannot be started leaves its pieces to the calling thread.
    pub(crate) fn scan<R: Send>(
        &self,
        overlap: usize,
        only: Option<&[bool]>,
        test: impl Fn(&Window<'_>) -> Option<R> + Sync,
    ) -> Option<Vec<Option<(usize, R)>>> {
        let (orig, skips, bounds) = (self.orig, &self.skips[..], &self.bounds[..]);
        let pieces = self.count();
        let threads = self.threads;
        let stop = AtomicBool::new(false);
        let found: std::sync::Mutex<Vec<Option<(usize, R)>>> =
            std::sync::Mutex::new((0..pieces).map(|_| None).collect());
        let lane = |w: usize| {
            let mut buffers = Piece::default();
            for k in (w..pieces).step_by(threads) {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if only.is_some_and(|o| !o.get(k).copied().unwrap_or(false)) {
                    continue;
                }
                let (from, to) = (bounds[k], bounds[k + 1]);
                let mut b = Builder::reusing(orig, self.fold, std::mem::take(&mut buffers), to - from + overlap);
                b.mapped = false;
                b.run(skips, from, to);
                b.end_piece();
                let own = b.out.len();
                let mut at = to;
                while at < orig.len() && b.out.len() - own < overlap {
                    let want = (overlap - (b.out.len() - own)).max(64);
                    let next = cut_at_or_after(orig, skips, at.saturating_add(want)).unwrap_or(orig.len());
                    b.run(skips, at, next);
                    b.end_piece();
                    at = next;
                }
                match test(&Window { piece: k, text: &b.out, own }) {
                    Some(r) => match found.lock() {
                        Ok(mut f) => f[k] = Some((own, r)),
                        Err(_) => stop.store(true, Ordering::Relaxed),
                    },
                    None => stop.store(true, Ordering::Relaxed),
                }
                buffers = b.into_piece();
            }
        };
        std::thread::scope(|scope| {
            let lane = &lane;
            let others: Vec<_> = (1..threads)
                .map(|w| (w, std::thread::Builder::new().name("normalize".into()).spawn_scoped(scope, move || lane(w))))
                .collect();
            lane(0);
            for (w, started) in others {
                match started {
                    Ok(h) => {
                        if h.join().is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                    Err(_) => lane(w),
                }
            }
        });
        if stop.into_inner() {
            return None;
        }
        found.into_inner().ok()
    }

    /// The view of the pieces `ks`, with its offset map: the whole view's
    /// slice from the start of piece `ks.start` to the end of piece
    /// `ks.end - 1`, each of its bytes mapped to the unit of the original
    /// the whole view maps it to (offsets in the whole original).
    pub(crate) fn view(&self, ks: Range<usize>) -> Normalized {
        let last = self.count();
        let from = self.bounds[ks.start.min(last)];
        let to = self.bounds[ks.end.clamp(ks.start.min(last), last)];
        let mut b = Builder::reusing(self.orig, self.fold, Piece::default(), to - from);
        b.run(&self.skips, from, to);
        b.finish()
    }
}

/// The first place at or after `p` where [`cut_points`] may cut (two ASCII
/// letters or digits meet outside any skip range), if any.
fn cut_at_or_after(orig: &str, skips: &[Range<usize>], p: usize) -> Option<usize> {
    let bytes = orig.as_bytes();
    let mut p = p.max(1);
    let mut si = skips.partition_point(|r| r.end < p);
    while p < bytes.len() {
        if bytes[p - 1].is_ascii_alphanumeric() && bytes[p].is_ascii_alphanumeric() {
            while skips.get(si).is_some_and(|r| r.end < p) {
                si += 1;
            }
            if skips.get(si).is_none_or(|r| r.start > p) {
                return Some(p);
            }
        }
        p += 1;
    }
    None
}

struct Builder<'a> {
    orig: &'a str,
    fold: bool,
    /// Normalized bytes; only whole UTF-8 sequences are ever pushed.
    out: Vec<u8>,
    map: OffsetMap,
    long_units: Vec<(u32, u32)>,
    /// First whitespace char (start, len) of a run not yet emitted.
    pending_ws: Option<(usize, usize)>,
    /// The last emitted unit.
    last_unit: Option<(usize, usize)>,
    /// Plain runs copied in blocks (always, but in the tests that hold the
    /// copy loop to the per-character rules).
    fast: bool,
    /// Bytes of `out` already lowered ([`Builder::lower_pending`]): plain runs
    /// are copied as they stand and lowered a chunk at a time.
    lowered: usize,
    /// Whether the offset map and long units are written (always, but for
    /// the windows of [`Pieces::scan`], which only search the text: nothing
    /// the builder writes into the text depends on the map).
    mapped: bool,
}

impl<'a> Builder<'a> {
    fn new(orig: &'a str, fold: bool) -> Self {
        Builder::reusing(orig, fold, Piece::default(), orig.len())
    }

    /// A builder of a piece of about `len` bytes of `orig`, writing into the
    /// buffers of `piece` (emptied; their memory is used again).
    fn reusing(orig: &'a str, fold: bool, mut piece: Piece, len: usize) -> Self {
        piece.out.clear();
        piece.out.reserve(len + len / 32 + 16);
        piece.map.clear();
        piece.long_units.clear();
        Builder {
            orig,
            fold,
            out: piece.out,
            map: piece.map,
            long_units: piece.long_units,
            pending_ws: None,
            last_unit: None,
            fast: true,
            lowered: 0,
            mapped: true,
        }
    }

    /// Ends a piece: what is pending is written and lowered, and the next
    /// piece starts as a builder of its own would (at a cut of
    /// [`cut_points`], where that reads the same as one pass).
    fn end_piece(&mut self) {
        self.flush_ws();
        self.lower_pending();
        self.pending_ws = None;
        self.last_unit = None;
    }

    /// The buffers of a finished piece.
    fn into_piece(mut self) -> Piece {
        self.end_piece();
        Piece { out: self.out, map: self.map, long_units: self.long_units }
    }

    /// Appends the next piece of the text, built by another builder from the
    /// cut where this one ended.
    fn append(&mut self, piece: &Piece) {
        self.out.extend_from_slice(&piece.out);
        self.lowered = self.out.len();
        self.map.append(&piece.map);
        self.long_units.extend_from_slice(&piece.long_units);
        self.pending_ws = None;
        self.last_unit = None;
    }

    /// Lowers the output written since the last call (see [`lower_in_place`]).
    /// The only read of the output before that, `flush_ws`'s test of its last
    /// byte for a space, reads the same answer either way: a run neither
    /// starts nor ends with whitespace.
    fn lower_pending(&mut self) {
        let fold = u8::from(self.fold) << 5;
        if let Some(tail) = self.out.get_mut(self.lowered..) {
            lower_in_place(tail, fold);
        }
        self.lowered = self.out.len();
    }

    fn finish(mut self) -> Normalized {
        self.flush_ws();
        self.lower_pending();
        // Always valid: only `str` slices and `char`s were pushed.
        let mut text =
            String::from_utf8(self.out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        // The view is kept as long as its source is prepared (a batch keeps
        // it for every article): it held 9.7% more than its length.
        text.shrink_to_fit();
        self.map.starts.shrink_to_fit();
        self.map.vals.shrink_to_fit();
        Normalized { text, map: self.map, long_units: self.long_units, original_len: self.orig.len() }
    }

    fn encode(&mut self, start: usize, end: usize) -> u32 {
        let len = end - start;
        let s = start as u32;
        if (1..=3).contains(&len) {
            s | ((len as u32 - 1) << 30)
        } else if !self.mapped {
            s | (LONG_CODE << 30)
        } else {
            match self.long_units.last_mut() {
                Some(last) if last.0 == s => last.1 = end as u32,
                _ => self.long_units.push((s, end as u32)),
            }
            s | (LONG_CODE << 30)
        }
    }

    /// Emits `s` as the normalized form of the unit `start..end`.
    fn emit(&mut self, start: usize, end: usize, s: &str) {
        self.flush_ws();
        let e = self.encode(start, end);
        self.out.extend_from_slice(s.as_bytes());
        if self.mapped {
            self.map.fill_to(self.out.len(), e);
        }
        self.last_unit = Some((start, end));
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    fn emit_char(&mut self, start: usize, end: usize, c: char) {
        self.flush_ws();
        let e = self.encode(start, end);
        if self.fold && !c.is_lowercase() {
            for l in c.to_lowercase() {
                self.push_char(l);
            }
        } else {
            self.push_char(c);
        }
        if self.mapped {
            self.map.fill_to(self.out.len(), e);
        }
        self.last_unit = Some((start, end));
    }

    fn flush_ws(&mut self) {
        if let Some((s, l)) = self.pending_ws.take()
            && self.out.last() != Some(&b' ')
        {
            let e = self.encode(s, s + l);
            self.out.push(b' ');
            if self.mapped {
                self.map.push(e);
            }
            self.last_unit = Some((s, s + l));
        }
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.orig.get(..i)?.chars().next_back()
    }

    /// Normalizes `from..to` of the text (`from` is 0 or a cut of
    /// [`cut_points`], `to` the text's end or such a cut).
    fn run(&mut self, skips: &[Range<usize>], from: usize, to: usize) {
        let orig = self.orig;
        let bytes = orig.as_bytes();
        let n = to.min(bytes.len());
        let mut si = skips.partition_point(|r| r.end <= from);
        let mut i = from;
        while i < n {
            let limit = match skips.get(si) {
                Some(r) if i >= r.start => {
                    i = i.max(r.end);
                    si += 1;
                    continue;
                }
                Some(r) => r.start.min(n),
                None => n,
            };
            let b = bytes[i];
            if CLASS[b as usize] == PLAIN && self.fast {
                self.flush_ws();
                let j = self.copy_run(i, limit);
                if self.mapped {
                    self.map.push_identity(i as u32, j as u32);
                }
                self.last_unit = Some((j - 1, j));
                i = j;
                continue;
            }
            // Curly quotes, the commonest characters past ASCII in prose: a
            // double one is always `"`, a single one `'` unless it follows
            // whitespace (the apostrophe rule may merge it then).
            if self.fast
                && b == 0xE2
                && i + 3 <= limit
                && let Some(&[0x80, low]) = bytes.get(i + 1..i + 3)
            {
                match low {
                    0x9C | 0x9D => {
                        self.emit(i, i + 3, "\"");
                        i += 3;
                        continue;
                    }
                    0x98 | 0x99 if self.pending_ws.is_none() => {
                        self.emit(i, i + 3, "'");
                        i += 3;
                        continue;
                    }
                    _ => {}
                }
            }
            let Some(c) = orig.get(i..).and_then(|s| s.chars().next()) else {
                break;
            };
            let clen = c.len_utf8();
            i = self.slow(c, i, clen, limit);
        }
    }

    /// Copies the plain run starting at `i` (a plain byte) into the output and
    /// returns its end (at most `limit`): plain bytes, and single ASCII
    /// whitespace bytes between plain bytes (each becomes one space and stays a
    /// unit of its own, as the per-character rules make it). Blocks of
    /// [`BLOCK`] bytes are tested and copied at once; the rest byte by byte.
    fn copy_run(&mut self, i: usize, limit: usize) -> usize {
        let bytes = self.orig.as_bytes();
        let mut j = i;
        'run: loop {
            j = run_blocks(bytes, j, limit);
            // Byte by byte up to the run's end, or to where blocks can go on.
            let resume = j + BLOCK;
            loop {
                let Some(&c) = bytes.get(j).filter(|_| j < limit) else {
                    break 'run;
                };
                let more = CLASS[c as usize] == PLAIN
                    || (ascii_ws(c) == 1 && j + 1 < limit && CLASS[bytes[j + 1] as usize] == PLAIN);
                if !more {
                    break 'run;
                }
                j += 1;
                if j >= resume {
                    break;
                }
            }
        }
        self.out.extend_from_slice(bytes.get(i..j).unwrap_or(&[]));
        if self.out.len() - self.lowered >= LOWER_CHUNK {
            self.lower_pending();
        }
        j
    }

    /// Handles the char `c` at `i` (length `clen`); returns the next offset.
    fn slow(&mut self, c: char, i: usize, clen: usize, limit: usize) -> usize {
        if c.is_whitespace() {
            if self.pending_ws.is_none() {
                self.pending_ws = Some((i, clen));
            }
            return i + clen;
        }
        if (is_dash(c) || c == '\u{00AD}')
            && let Some(next) = self.hyphenation(i, clen, limit)
        {
            self.pending_ws = None;
            return next;
        }
        if is_zero_width(c) {
            return i + clen;
        }
        if is_dash(c) {
            let mut j = i + clen;
            while let Some(d) = self.orig.get(j..limit).and_then(|s| s.chars().next()) {
                if !is_dash(d) {
                    break;
                }
                j += d.len_utf8();
            }
            self.emit(i, i + clen, "-");
            return j;
        }
        if is_single_quote(c) {
            if let Some(next) = self.apostrophe(i, clen, limit) {
                return next;
            }
            self.emit(i, i + clen, "'");
            return i + clen;
        }
        if is_double_quote(c) {
            self.emit(i, i + clen, "\"");
            return i + clen;
        }
        if let Some(l) = ligature(c) {
            self.emit(i, i + clen, l);
            return i + clen;
        }
        if c == '\u{2026}' {
            self.emit(i, i + clen, "...");
            return i + clen;
        }
        self.emit_char(i, i + clen, c);
        i + clen
    }

    /// A dash joining two words: returns the offset of the next word's first
    /// character when the dash run at `i` (and a line break after it) is to be
    /// dropped.
    fn hyphenation(&self, i: usize, clen: usize, limit: usize) -> Option<usize> {
        // The word before: right before the dash, or before whitespace (a spaced
        // dash, `history -- led`, reads as the unspaced one).
        let word_end = match self.pending_ws {
            None => i,
            Some((ws, _)) => {
                if !self.orig.get(ws..i)?.chars().all(char::is_whitespace) {
                    return None;
                }
                ws
            }
        };
        if self.last_unit.map(|u| u.1) != Some(word_end) {
            return None;
        }
        if !self.char_before(word_end)?.is_alphanumeric() {
            return None;
        }
        let mut j = i + clen;
        while let Some(d) = self.orig.get(j..limit).and_then(|s| s.chars().next()) {
            if !(is_dash(d) || d == '\u{00AD}') {
                break;
            }
            j += d.len_utf8();
        }
        // Any whitespace after the dash (spaces, a line break).
        while let Some(d) = self.orig.get(j..limit).and_then(|s| s.chars().next()) {
            if !d.is_whitespace() {
                break;
            }
            j += d.len_utf8();
        }
        let next = self.orig.get(j..limit)?.chars().next()?;
        next.is_alphanumeric().then_some(j)
    }

    /// `alnum ws+ APOS ws* letter`: merges everything from the unit before the
    /// whitespace to the letter into one unit and emits `'` + letter.
    fn apostrophe(&mut self, i: usize, clen: usize, limit: usize) -> Option<usize> {
        let (ws_start, _) = self.pending_ws?;
        let (prev_start, prev_end) = self.last_unit?;
        if prev_end != ws_start || !self.char_before(ws_start)?.is_alphanumeric() {
            return None;
        }
        // The whitespace must be contiguous (nothing dropped in between).
        if !self.orig.get(ws_start..i)?.chars().all(char::is_whitespace) {
            return None;
        }
        let bytes = self.orig.as_bytes();
        let mut k = i + clen;
        while k < limit && matches!(bytes[k], b' ' | b'\t') {
            k += 1;
        }
        let letter = self.orig.get(k..limit)?.chars().next()?;
        if !letter.is_alphabetic() {
            return None;
        }
        let end = k + letter.len_utf8();
        self.pending_ws = None;
        let e = self.encode(prev_start, end);
        if self.mapped {
            self.map.rewrite_tail(prev_start as u32, e);
        }
        self.out.push(b'\'');
        if self.fold && !letter.is_lowercase() {
            for l in letter.to_lowercase() {
                self.push_char(l);
            }
        } else {
            self.push_char(letter);
        }
        if self.mapped {
            self.map.fill_to(self.out.len(), e);
        }
        self.last_unit = Some((prev_start, end));
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> String {
        Normalized::new(s, &NormalizeOptions { fold_case: true, skip: vec![] }).as_str().to_string()
    }

    fn plain(s: &str) -> String {
        Normalized::new(s, &NormalizeOptions::default()).as_str().to_string()
    }

    #[test]
    fn quotes_and_apostrophes() {
        assert_eq!(plain("\u{201C}Hi,\u{201D} she said"), "\"Hi,\" she said");
        assert_eq!(plain("it\u{2019}s, \u{2018}ok\u{2019} `x\u{00B4}"), "it's, 'ok' 'x'");
        // An opening single quote after a word reads like a stray apostrophe: the
        // space goes (harmless for matching, both sides are normalized alike).
        assert_eq!(plain("is \u{2018}ok\u{2019}"), "is'ok'");
        assert_eq!(plain("\u{00AB}Oui\u{00BB} \u{201E}ja\u{201F}"), "\"Oui\" \"ja\"");
        assert_eq!(plain("5\u{2032} 6\u{2033}"), "5' 6\"");
    }

    #[test]
    fn dashes() {
        assert_eq!(plain("a\u{2014}b \u{2013} c -- d\u{2212}e"), "abcde");
        // A dash run between two words is dropped, spaced or not.
        assert_eq!(plain("x\u{2010}\u{2011}\u{2012}\u{2015}y"), "xy");
        assert_eq!(plain("---"), "-");
        assert_eq!(plain("a -- b"), "ab");
        assert_eq!(plain("history -- led"), plain("history\u{2014}led"));
        assert_eq!(plain("history - led"), plain("history \u{2013} led"));
        // Not between words: kept.
        assert_eq!(plain("a, -- b"), "a, - b");
        assert_eq!(plain("a --"), "a -");
    }

    #[test]
    fn whitespace() {
        assert_eq!(plain("a \n\t b\u{00A0}c\u{2009}d\u{202F}\u{2002}e\u{000C}f"), "a b c d e f");
        assert_eq!(plain("a \u{200B} b"), "a b");
        assert_eq!(plain(" lead"), " lead");
        assert_eq!(plain("trail \n"), "trail ");
    }

    #[test]
    fn stray_space_before_apostrophe() {
        assert_eq!(norm("Spencer ' s plan"), "spencer's plan");
        assert_eq!(norm("Spencer \u{2018}s plan"), "spencer's plan");
        assert_eq!(norm("Spencer\u{2019}s plan"), "spencer's plan");
        assert_eq!(norm("didn ' t"), "didn't");
        // Not after a letter or digit: kept.
        assert_eq!(norm("said: 'so"), "said: 'so");
        // Not followed by a letter: kept.
        assert_eq!(norm("the ' 9"), "the ' 9");
    }

    #[test]
    fn apostrophe_merged_unit_maps_back() {
        let t = "the Spencer ' s plan";
        let n = Normalized::new(t, &NormalizeOptions::default());
        assert_eq!(n.as_str(), "the Spencer's plan");
        let p = n.as_str().find("Spencer's").unwrap_or(0);
        let r = n.to_original(p..p + "Spencer's".len());
        assert_eq!(&t[r], "Spencer ' s");
    }

    #[test]
    fn hyphenation() {
        assert_eq!(plain("tele-\ncommunications"), "telecommunications");
        assert_eq!(plain("tele- \r\n  communications"), "telecommunications");
        assert_eq!(plain("tele\u{00AD}\ncommunications"), "telecommunications");
        // Any joining dash goes, so a compound broken at a line end matches the
        // unbroken compound.
        assert_eq!(plain("anti-\nTrust"), "antiTrust");
        assert_eq!(plain("well-known"), plain("well-\nknown"));
        assert_eq!(plain("well-known"), "wellknown");
        // A spaced dash between words goes too.
        assert_eq!(plain("well - known"), "wellknown");
        let t = "tele-\ncom";
        let n = Normalized::new(t, &NormalizeOptions::default());
        assert_eq!(n.to_original(0..n.len()), 0..t.len());
        assert_eq!(n.to_original(4..5), 6..7);
    }

    #[test]
    fn ligatures_ellipsis_zero_width() {
        assert_eq!(plain("\u{FB01}nal e\u{FB00}ort \u{FB03}x \u{FB04} \u{FB02}"), "final effort ffix ffl fl");
        assert_eq!(plain("wait\u{2026}"), "wait...");
        assert_eq!(plain("zero\u{200B}width\u{FEFF}x\u{00AD}y"), "zerowidthxy");
        let t = "a\u{FB01}b";
        let n = Normalized::new(t, &NormalizeOptions::default());
        assert_eq!(n.as_str(), "afib");
        assert_eq!(n.to_original(1..2), 1..4);
        assert_eq!(n.to_original(2..3), 1..4);
        assert!(!n.is_unit_boundary(2));
        assert!(n.is_unit_boundary(3));
    }

    #[test]
    fn case_folding_changes_lengths() {
        let t = "\u{0130}stanbul \u{1E9E}X";
        let n = Normalized::new(t, &NormalizeOptions { fold_case: true, skip: vec![] });
        assert_eq!(n.as_str(), "i\u{0307}stanbul \u{00DF}x");
        // "i̇" (3 bytes) maps back to İ (2 bytes).
        assert_eq!(n.to_original(0..3), 0..2);
        assert_eq!(n.to_original(3..4), 2..3);
        assert_eq!(n.to_normalized(2), 3);
        let end = n.len();
        assert_eq!(n.to_original(end - 1..end), t.len() - 1..t.len());
    }

    #[test]
    fn skip_ranges_and_markers() {
        let t = "first claim.[^12] Second claim [Grand Jury] continues";
        let m = t.find("[^12]").unwrap_or(0);
        let g = t.find("[Grand Jury]").unwrap_or(0);
        let n = Normalized::new(
            t,
            &NormalizeOptions { fold_case: true, skip: vec![g..g + "[Grand Jury]".len(), m..m + 5] },
        );
        assert_eq!(n.as_str(), "first claim. second claim continues");
        let p = n.as_str().find("claim continues").unwrap_or(0);
        let r = n.to_original(p..p + "claim continues".len());
        assert_eq!(&t[r], "claim [Grand Jury] continues");
        // Skip ranges off char boundaries are snapped outwards.
        let t2 = "a\u{2014}b c";
        let n2 = Normalized::new(t2, &NormalizeOptions { fold_case: false, skip: vec![2..3, 100..200] });
        assert_eq!(n2.as_str(), "ab c");
    }

    #[test]
    fn offsets_round_trip() {
        let t = "He said \u{201C}no\u{201D} \u{2014} twice.";
        let n = Normalized::new(t, &NormalizeOptions::default());
        assert_eq!(n.as_str(), "He said \"no\" - twice.");
        let q = n.as_str().find("\"no\"").unwrap_or(0);
        let r = n.to_original(q..q + 4);
        assert_eq!(&t[r.clone()], "\u{201C}no\u{201D}");
        assert_eq!(n.to_normalized(r.start), q);
        assert_eq!(n.to_normalized(t.len()), n.len());
        assert_eq!(n.to_original(n.len()..n.len()), t.len()..t.len());
        let (a, b) = (5, 2);
        assert_eq!(n.to_original(a..b), 5..5);
    }

    #[test]
    fn too_large_is_refused() {
        // Cannot allocate 1 GiB in a unit test; check the constant and the path.
        assert!(Normalized::try_new("small", &NormalizeOptions::default()).is_ok());
        assert_eq!(MAX_TEXT_LEN, 1 << 30);
    }

    fn tricky() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "a",
            "B",
            "z",
            "s",
            "9",
            " ",
            "  ",
            "\n",
            "\t",
            "\u{A0}",
            "\u{2009}",
            "'",
            "\u{2018}",
            "\u{2019}",
            "\"",
            "\u{201C}",
            "-",
            "--",
            "\u{2014}",
            "\u{2013}",
            "-\n",
            "\u{AD}",
            "\u{200B}",
            "\u{FB01}",
            "\u{2026}",
            "\u{130}",
            "\u{1E9E}",
            "\u{3A3}",
            "[^1]",
            ".",
            ",",
            "\u{1F600}",
            "`",
            "\u{B4}",
            "\r\n",
            "\u{FB06}",
        ]);
        prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
    }

    fn clipped(skip: &[Range<usize>], r: &Range<usize>) -> Vec<Range<usize>> {
        skip.iter()
            .filter_map(|s| {
                let a = s.start.max(r.start);
                let b = s.end.min(r.end);
                (a < b).then(|| a - r.start..b - r.start)
            })
            .collect()
    }

    /// Normalizes with the block copy of plain runs on or off (off: every
    /// character through the per-character rules).
    fn built(text: &str, opts: &NormalizeOptions, fast: bool) -> Normalized {
        let skips = prepare_skips(text, &opts.skip);
        build(text, &skips, opts.fold_case, usize::MAX, 1, fast)
    }

    /// Texts with long plain runs (so blocks are copied whole) between the
    /// characters the rules treat apart.
    fn runs() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "The Quick Brown Fox Jumps Over",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "word",
            "Word.",
            " ",
            "  ",
            "\n",
            "\t",
            "\r\n",
            "\u{B}",
            "\u{C}",
            "\u{1}",
            "\u{1F}",
            "\u{7F}",
            "'",
            "`",
            "-",
            "-\n",
            " - ",
            "\u{2019}",
            " \u{2019}s",
            "\u{2018}",
            "\u{201C}",
            "\u{201D}",
            "\u{201E}",
            "\u{2014}",
            "\u{A0}",
            "\u{AD}",
            "\u{200B}",
            "\u{FB01}",
            "\u{130}",
            "\u{212A}",
            "\u{E9}",
            "[^12]",
            ",",
        ]);
        prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
    }

    /// Texts of prose pieces and everything the rules treat apart
    /// (hyphenation, line breaks, curly quotes, dashes, apostrophes after
    /// spaces, footnote markers, redaction labels, characters past ASCII),
    /// with the markers and labels as skip ranges.
    fn marked() -> impl Strategy<Value = (String, Vec<Range<usize>>)> {
        let atoms = prop::sample::select(vec![
            "Word",
            "ab",
            "x",
            "9",
            "The quick brown fox",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\r\n",
            "\t",
            "\u{C}",
            "-",
            "-\n",
            " -- ",
            "\u{2014}",
            "\u{2013}",
            "\u{AD}",
            "'",
            " ' ",
            " \u{2019}s",
            "\u{2018}",
            "\u{2019}",
            "\u{201C}",
            "\u{201D}",
            "\"",
            "`",
            "\u{A0}",
            "\u{200B}",
            "\u{FB01}",
            "\u{FB03}",
            "\u{2026}",
            "\u{130}",
            "\u{1E9E}",
            "\u{E9}",
            "\u{1F600}",
            ".",
            ",",
            "[^7]",
            "[Harm to Ongoing Matter]",
        ]);
        prop::collection::vec(atoms, 0..80).prop_map(|v| {
            let mut text = String::new();
            let mut skip = Vec::new();
            for a in v {
                if a.starts_with('[') {
                    skip.push(text.len()..text.len() + a.len());
                }
                text.push_str(a);
            }
            (text, skip)
        })
    }

    #[test]
    fn cuts_fall_between_letters_outside_skips() {
        let t = "ab cd[^1]ef-gh";
        let marker = std::iter::once(5..9).collect::<Vec<_>>();
        let skips = prepare_skips(t, &marker);
        // Every offset between two ASCII letters or digits outside the skip.
        assert_eq!(cut_points(t, &skips, 1), vec![1, 4, 10, 13]);
        assert_eq!(cut_points(t, &skips, 5), vec![10]);
        assert!(cut_points(t, &skips, 100).is_empty());
        assert!(cut_points("", &[], 1).is_empty());
    }

    #[test]
    fn a_long_text_is_built_in_pieces_equal_to_one_pass() {
        // Over the size built on several threads, through `Normalized::new`.
        let unit = "He said \u{201C}the tele-\ncommunications[^4] plan\u{201D} \u{2014} Spencer \u{2019}s \
                    [Harm to Ongoing Matter] \u{FB01}nal\u{2026}  \u{130}stanbul's   record.\n\n";
        let mut text = String::new();
        let mut skip = Vec::new();
        while text.len() < PARALLEL_MIN + PIECE * 3 / 2 {
            let at = text.len();
            skip.push(at + unit.find("[^4]").unwrap_or(0)..at + unit.find(" plan").unwrap_or(0));
            let h = unit.find("[Harm").unwrap_or(0);
            skip.push(at + h..at + h + "[Harm to Ongoing Matter]".len());
            text.push_str(unit);
        }
        let opts = NormalizeOptions { fold_case: true, skip };
        let prepared = prepare_skips(&text, &opts.skip);
        let one = build(&text, &prepared, true, usize::MAX, 1, true);
        assert!(cut_points(&text, &prepared, PIECE).len() >= 4);
        assert_eq!(build(&text, &prepared, true, PIECE, 2, true), one);
        assert_eq!(build(&text, &prepared, true, PIECE, 3, true), one);
        assert_eq!(Normalized::new(&text, &opts), one);
    }

    /// Whether `hay` holds `pat`.
    fn has(hay: &[u8], pat: &str) -> bool {
        pat.is_empty() || hay.windows(pat.len()).any(|w| w == pat.as_bytes())
    }

    /// The windows [`Pieces::scan`] tests, in the order of their pieces:
    /// (piece, window, own length).
    fn windows(
        text: &str,
        opts: &NormalizeOptions,
        piece: usize,
        overlap: usize,
        threads: usize,
    ) -> Vec<(usize, String, usize)> {
        let pieces = Pieces::new(text, opts, Some((piece, threads)));
        let got = pieces.scan(overlap, None, |w| Some((w.piece, String::from_utf8_lossy(w.text).into_owned())));
        got.unwrap_or_default()
            .into_iter()
            .map(|x| x.map_or((usize::MAX, String::new(), 0), |(own, (k, w))| (k, w, own)))
            .collect()
    }

    /// Whether some window of the scan holds `pat` (the scan gives up at the
    /// first that does).
    fn any_holds(pieces: &Pieces<'_>, overlap: usize, pat: &str) -> bool {
        pieces.scan(overlap, None, |w| (!has(w.text, pat)).then_some(())).is_none()
    }

    #[test]
    fn a_long_text_is_scanned_in_windows_of_its_view() {
        let unit = "He said \u{201C}the tele-\ncommunications plan\u{201D} \u{2014} Spencer \u{2019}s \
                    \u{FB01}nal\u{2026}  \u{130}stanbul's   record.\n\n";
        let mut text = unit.repeat((PARALLEL_MIN + STREAM_PIECE * 2) / unit.len());
        text.push_str("the planted words");
        let opts = NormalizeOptions { fold_case: true, skip: vec![3..9, 4000..4100] };
        let view = Normalized::new(&text, &opts);
        let pieces = Pieces::new(&text, &opts, None);
        assert!(pieces.count() >= 3);
        assert!(any_holds(&pieces, 20, "the planted words"));
        assert!(any_holds(&pieces, 20, "plan\" - spencer's fina"));
        assert!(!any_holds(&pieces, 20, "planted wordz"));
        assert!(!view.as_str().contains("planted wordz"));
        let got = windows(&text, &opts, STREAM_PIECE, 100, 2);
        // A run of pieces built with its map is the view's slice, mapped alike.
        let two = pieces.view(1..3);
        let at = got[0].2;
        assert_eq!(view.as_str().get(at..at + two.len()), Some(two.as_str()));
        assert_eq!(two.to_original(0..two.len()), view.to_original(at..at + two.len()));
        assert_eq!(two.to_original(5..two.len() - 7), view.to_original(at + 5..at + two.len() - 7));
        assert!(got.len() >= 3);
        let joined: String = got.iter().map(|(_, t, own)| &t[..*own]).collect();
        assert_eq!(joined, view.as_str());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The windows of a scan, cut at every place allowed and at random
        /// spacings, on 1 to 4 threads: their pieces, in order, are the view
        /// one pass builds, each window is the slice of the view at its
        /// piece, and it reaches `overlap` bytes past its piece (or the
        /// view's end). So a pattern is in some window exactly when it is in
        /// the view.
        #[test]
        fn windows_are_slices_of_the_view_covering_it(
            (text, mut skip) in marked(),
            fold in any::<bool>(),
            more in prop::collection::vec((0usize..800, 0usize..12), 0..3),
            piece in prop::sample::select(vec![1usize, 2, 3, 7, 15, 40, usize::MAX]),
            overlap in 0usize..30,
            threads in 1usize..5,
            probe in (any::<prop::sample::Index>(), 1usize..31),
            run in (any::<prop::sample::Index>(), 0usize..4),
        ) {
            skip.extend(more.iter().map(|&(s, l)| s..s + l));
            let opts = NormalizeOptions { fold_case: fold, skip };
            let prepared = prepare_skips(&text, &opts.skip);
            let whole = build(&text, &prepared, fold, usize::MAX, 1, true);
            let view = whole.as_str();
            let got = windows(&text, &opts, piece, overlap, threads);
            let mut at = 0;
            let mut starts = Vec::new();
            for (k, (piece_no, w, own)) in got.iter().enumerate() {
                prop_assert_eq!(*piece_no, k);
                prop_assert_eq!(view.get(at..at + w.len()), Some(w.as_str()), "window {} at {}", k, at);
                prop_assert!(w.len() - own >= overlap || at + w.len() == view.len());
                starts.push(at);
                at += own;
            }
            prop_assert_eq!(at, view.len());
            starts.push(at);
            let pieces = Pieces::new(&text, &opts, Some((piece, threads)));
            // A run of pieces built with its map: the view's slice there,
            // each byte mapped to the unit the whole view maps it to.
            let first = run.0.index(pieces.count());
            let last = (first + run.1).min(pieces.count());
            let part = pieces.view(first..last);
            prop_assert_eq!(Some(part.as_str()), view.get(starts[first]..starts[last]));
            for i in 0..part.len() {
                prop_assert_eq!(part.unit(i), whole.unit(starts[first] + i), "byte {} of pieces {}..{}", i, first, last);
            }
            // A stretch of the view at most `overlap + 1` long, and a
            // pattern that is not in it.
            let len = probe.1.min(overlap + 1);
            let start = if view.is_empty() { 0 } else { probe.0.index(view.len()) };
            if let Some(pat) = view.get(start..(start + len).min(view.len())) {
                prop_assert!(any_holds(&pieces, overlap, pat), "{:?} is in the view", pat);
            }
            let absent = "\u{1F600}\u{1F600}";
            prop_assert_eq!(any_holds(&pieces, overlap, absent), view.contains(absent));
        }

        #[test]
        fn pieces_equal_one_pass(
            (text, mut skip) in marked(),
            fold in any::<bool>(),
            fast in any::<bool>(),
            more in prop::collection::vec((0usize..800, 0usize..12), 0..3),
            piece in 1usize..40,
            threads in 2usize..5,
        ) {
            skip.extend(more.iter().map(|&(s, l)| s..s + l));
            let prepared = prepare_skips(&text, &skip);
            let one = build(&text, &prepared, fold, usize::MAX, 1, fast);
            // A cut at every place allowed, and cuts about `piece` bytes apart.
            let every = build(&text, &prepared, fold, 1, threads, fast);
            prop_assert_eq!(&every, &one, "every cut of {:?} ({:?})", text, cut_points(&text, &prepared, 1));
            let spaced = build(&text, &prepared, fold, piece, threads, fast);
            prop_assert_eq!(&spaced, &one, "cuts {:?} of {:?}", cut_points(&text, &prepared, piece), text);
        }

        #[test]
        fn block_copy_equals_the_per_character_rules(
            text in runs(),
            fold in any::<bool>(),
            skips in prop::collection::vec((0usize..600, 0usize..20), 0..4),
        ) {
            let skip: Vec<Range<usize>> = skips.iter().map(|&(s, l)| s..s + l).collect();
            let opts = NormalizeOptions { fold_case: fold, skip };
            let fast = built(&text, &opts, true);
            let slow = built(&text, &opts, false);
            prop_assert_eq!(fast.as_str(), slow.as_str());
            prop_assert_eq!(&fast.long_units, &slow.long_units);
            for i in 0..=fast.len() {
                prop_assert_eq!(fast.unit(i), slow.unit(i), "byte {} of {:?}", i, text);
                prop_assert_eq!(fast.is_unit_boundary(i), slow.is_unit_boundary(i));
            }
            for o in 0..=text.len() {
                prop_assert_eq!(fast.to_normalized(o), slow.to_normalized(o));
            }
            prop_assert_eq!(&fast, &Normalized::new(&text, &opts));
        }

        #[test]
        fn offset_map_equals_a_plain_vector(ops in prop::collection::vec((0u8..4, 0u32..4, 1usize..5), 0..60)) {
            // The run-length map against the one-entry-per-byte vector it replaces.
            let mut m = OffsetMap::default();
            let mut v: Vec<u32> = Vec::new();
            let mut at = 0u32;
            for (op, code, n) in ops {
                match op {
                    0 => {
                        // one-byte units, one byte each
                        m.push_identity(at, at + n as u32);
                        v.extend(at..at + n as u32);
                        at += n as u32 + u32::from(code == 3);
                    }
                    1 => {
                        // one unit of `code + 1` bytes producing `n` bytes
                        let e = at | (code.min(2) << 30);
                        m.fill_to(v.len() + n, e);
                        v.resize(v.len() + n, e);
                        at += code.min(2) + 1;
                    }
                    2 => {
                        let e = at;
                        m.push(e);
                        v.push(e);
                        at += 1 + code;
                    }
                    _ => {
                        // merge the last unit into a longer one
                        if let Some(&last) = v.last() {
                            let off = last & OFFSET_MASK;
                            let e = off | (LONG_CODE << 30);
                            m.rewrite_tail(off, e);
                            for x in v.iter_mut().rev() {
                                if *x & OFFSET_MASK != off {
                                    break;
                                }
                                *x = e;
                            }
                        }
                    }
                }
            }
            prop_assert_eq!(m.len(), v.len());
            for (i, &x) in v.iter().enumerate() {
                prop_assert_eq!(m.get(i), Some(x), "byte {}", i);
            }
            prop_assert_eq!(m.get(v.len()), None);
            for o in 0..=at + 1 {
                prop_assert_eq!(m.first_at_or_after(o), v.partition_point(|&e| (e & OFFSET_MASK) < o), "offset {}", o);
            }
        }

        #[test]
        fn map_is_exact(text in tricky(), fold in any::<bool>(), skips in prop::collection::vec((0usize..200, 0usize..12), 0..4), picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..12)) {
            let skip: Vec<Range<usize>> = skips.iter().map(|&(s, l)| s..s + l).collect();
            let opts = NormalizeOptions { fold_case: fold, skip: skip.clone() };
            let n = Normalized::new(&text, &opts);
            let ns = n.as_str();
            let eff = prepare_skips(&text, &skip);
            // Whole range covers every letter/digit outside the skips.
            let whole = n.to_original(0..n.len());
            for (p, c) in text.char_indices() {
                if c.is_alphanumeric() && !eff.iter().any(|r| r.contains(&p)) {
                    prop_assert!(whole.contains(&p), "char {:?} at {} not covered", c, p);
                }
            }
            // Map is monotone and every unit is on char boundaries.
            for i in 0..n.len() {
                let u = n.unit(i).unwrap_or(0..0);
                prop_assert!(u.start < u.end && u.end <= text.len());
                prop_assert!(text.is_char_boundary(u.start) && text.is_char_boundary(u.end));
                if i > 0 {
                    prop_assert!(n.unit(i - 1).unwrap_or(0..0).start <= u.start);
                }
            }
            let bounds: Vec<usize> = (0..=ns.len()).filter(|&i| ns.is_char_boundary(i)).collect();
            for (a, b) in picks {
                let mut i = bounds[a.index(bounds.len())];
                let mut j = bounds[b.index(bounds.len())];
                if i > j { std::mem::swap(&mut i, &mut j); }
                if i == j { continue; }
                let r = n.to_original(i..j);
                prop_assert!(r.start <= r.end && r.end <= text.len());
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                let sub = &text[r.clone()];
                let again = Normalized::new(sub, &NormalizeOptions { fold_case: fold, skip: clipped(&eff, &r) });
                let want = ns[i..j].trim_matches(' ');
                let got = again.as_str().trim_matches(' ');
                if n.is_unit_boundary(i) && n.is_unit_boundary(j) {
                    prop_assert_eq!(got, want, "slice {:?} of {:?}", sub, text);
                } else {
                    prop_assert!(got.contains(want), "slice {:?} of {:?}: {:?} !~ {:?}", sub, text, got, want);
                }
                // to_normalized is a left inverse at unit starts.
                if n.is_unit_boundary(i) {
                    prop_assert_eq!(n.to_normalized(r.start), i);
                }
            }
        }
    }
}
