//! Bit-parallel approximate string matching (Myers 1999, in Hyyrö's formulation).
//!
//! [`find_approx`] finds every locally best occurrence of a byte pattern in a byte
//! text with at most `k` unit-cost edits (Levenshtein: insertions, deletions,
//! substitutions). The design, in order of what runs:
//!
//! 1. **Filter** (pigeonhole). The pattern is cut into `k + 1` pieces; any
//!    occurrence with at most `k` edits contains one piece verbatim. Every piece is
//!    searched with [`memchr::memmem::Finder`] (overlapping hits too; with more than
//!    16 distinct pieces, one pass hashing every q-gram of the text against the
//!    pieces' leading q-grams replaces the many `memmem` passes), and each hit of
//!    the piece at pattern offset `o` found at text offset `p` opens the window
//!    `[p - o - k, p - o + m + k]`, which contains the start and the end of every
//!    alignment that maps that piece onto that hit. Windows are merged; only the
//!    merged windows are verified. When `k + 2` pieces are still at least 4
//!    bytes, the pattern is cut into `k + 2` pieces instead and a hit opens its
//!    window only when a hit of a piece at another pattern offset lies within
//!    `k` *diagonals* of it (diagonal: where the pattern would start, `p - o`):
//!    an occurrence with at most `k` edits keeps two pieces intact, and edits
//!    between them shift one against the other by at most `k`. In prose, lone
//!    hits of common pieces (` by th`) are most hits; they open no window.
//!    In a text of 1 MiB or more the pieces need not cut the pattern one
//!    after the other: any disjoint pieces keep the argument, so the bytes an
//!    even cut would spread over its longer pieces are spent on moving the
//!    pieces to where their leading four bytes (what the packed searcher
//!    tests first) are rarest in a sample of the text (`rare_pieces`): for a
//!    quote in prose, pieces such as `eeken` and ` tugb` instead of `the we`
//!    and ` the t`, some twenty times fewer places to test.
//!    When the pieces are shorter than 4 bytes (too unselective), or the hits
//!    get too dense, the whole text is one window.
//! 2. **Verification** (semi-global Myers). Each window is scanned left to right with
//!    the bit-vector DP: one 64-bit word for patterns of at most 64 bytes, otherwise
//!    Myers' blocks of 64 rows with Ukkonen's cut-off (only the blocks down to the
//!    last one that can hold a value `<= k` are advanced), so a column costs about
//!    `O(k / 64)` words rather than `O(m / 64)`. This yields, for every end offset
//!    `j` in the window, `d(j) = min_s lev(pattern, text[s..j])` whenever `d(j) <= k`.
//! 3. **Selection.** The candidates `(j, d(j))` of a window are taken in order of
//!    increasing distance, then increasing end; a candidate is kept when its
//!    interval does not overlap one already kept. Merged windows never share a
//!    candidate interval, so doing this per window equals doing it over the text.
//! 4. **Start recovery.** The start of a kept candidate is found lazily (only when
//!    the overlap test needs it) by running the matcher backwards from `j`: the
//!    reversed pattern against the reversed text `text[j - m - d .. j]`, anchored at
//!    `j` (global, not semi-global, DP). That gives `lev(pattern, text[j - L..j])`
//!    for every length `L`.
//!
//! **Tie-breaking.** For an end `j` with best distance `d`, `start` is the *smallest*
//! offset `s` with `lev(pattern, text[s..j]) == d`, i.e. the longest alignment that
//! achieves `d` (so for pattern `abc` in `xbc`, the match is `xbc` with one
//! substitution, not `bc` with one deletion). Among overlapping candidates the
//! lowest distance wins, then the earliest end. The result is sorted by `start`
//! (and, since matches do not overlap, by `end`). The filtered and the unfiltered
//! paths return identical results: a candidate's best alignment always lies inside
//! one merged window, and the search inside a window only sees starts within it.
//!
//! Complexity: the filter is at most 16 `memmem` passes or one q-gram pass (one
//! packed pass where the machine has SIMD), plus a sort of the hits by diagonal
//! for the two-piece filter;
//! verification costs `O(window * ceil(k / 64))` words; each kept match (and each
//! candidate whose overlap cannot be decided from its end alone) costs one backward
//! pass of at most `O((m + d) * ceil(m / 64))` words. Kept matches are at least
//! `m - k` bytes long, so for `k` close to `m` on a long text that last term
//! dominates. Memory: `O(256 * ceil(m / 64))` words of match tables plus the
//! candidates (ends with distance `<= k`) of one window.
//!
//! Offsets are byte offsets; callers working on `&str` snap them to char boundaries.

use std::collections::BTreeMap;
use std::ops::Range;

use memchr::memmem::Finder;

use crate::{Error, Result};

/// Bits per block of the bit-parallel DP.
const W: usize = 64;
/// Largest accepted pattern, in bytes.
const MAX_PATTERN_LEN: usize = 4096;
/// Shortest filter piece worth searching with `memmem`; below it, scan everything.
const MIN_PIECE_LEN: usize = 4;
/// Up to this many distinct pieces, one `memmem` pass each; above, one q-gram pass.
const MAX_MEMMEM_PIECES: usize = 16;

/// One approximate occurrence of a pattern in a text (byte offsets into the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApproxMatch {
    /// First byte of the occurrence.
    pub start: usize,
    /// One past the last byte of the occurrence.
    pub end: usize,
    /// Levenshtein distance between the pattern and `text[start..end]`.
    pub distance: usize,
}

/// Every locally best occurrence of `pattern` in `text` with Levenshtein distance
/// <= `max_distance` (unit costs; insertions, deletions, substitutions), byte-level.
///
/// Occurrences do not overlap: among overlapping candidates the one with the lowest
/// distance (then the earliest end) wins. For each end, `start` is the smallest
/// start that achieves `distance` for that end (the longest such alignment). The
/// result is sorted by `start`. An exact-piece filter (pigeonhole over
/// `max_distance + 2` pieces, two of which must agree, or `max_distance + 1`
/// when those would be too short) limits the bit-parallel verification to
/// windows around piece hits; the result is identical to
/// [`find_approx_unfiltered`].
///
/// # Errors
///
/// - [`Error::InvalidInput`] if `pattern` is empty or `max_distance >= pattern.len()`.
/// - [`Error::TooLarge`] if `pattern` is longer than 4096 bytes.
pub fn find_approx(pattern: &[u8], text: &[u8], max_distance: usize) -> Result<Vec<ApproxMatch>> {
    find_with(pattern, text, max_distance, Mode::Filter(DEFAULT_FILTER))
}

/// Same contract and result as [`find_approx`], but verifies the whole text with the
/// bit-parallel matcher instead of filtering first. Meant for tests and benchmarks
/// that compare the two paths; [`find_approx`] already falls back to this scan when
/// its filter cannot pay off (short pieces, dense hits).
///
/// # Errors
///
/// - [`Error::InvalidInput`] if `pattern` is empty or `max_distance >= pattern.len()`.
/// - [`Error::TooLarge`] if `pattern` is longer than 4096 bytes.
pub fn find_approx_unfiltered(pattern: &[u8], text: &[u8], max_distance: usize) -> Result<Vec<ApproxMatch>> {
    find_with(pattern, text, max_distance, Mode::Full)
}

/// Same contract as [`find_approx`], verifying only `windows` (sorted, disjoint,
/// not touching, inside the text) that a caller's filter guarantees to hold
/// every alignment of `pattern` with at most `max_distance` edits, each
/// alignment inside one window (what [`super::qgram`]'s counting filter gives):
/// then the result equals [`find_approx_unfiltered`] (see the module docs:
/// a candidate's best alignment, and every alignment that ties with it, lies
/// in the window of its end).
///
/// # Errors
///
/// As [`find_approx`].
pub(crate) fn find_in_windows(
    pattern: &[u8],
    text: &[u8],
    max_distance: usize,
    windows: &[(usize, usize)],
) -> Result<Vec<ApproxMatch>> {
    validate(pattern, max_distance)?;
    let m = pattern.len();
    let mut out = Vec::new();
    if text.len() < m - max_distance {
        return Ok(out);
    }
    let mut searcher = Searcher { pattern, text, k: max_distance, fwd: Peq::new(pattern.iter().copied()), rev: None };
    for &(lo, hi) in windows {
        searcher.window(lo, hi.min(text.len()), &mut out);
    }
    Ok(out)
}

/// Calls `report(end)` for every end offset `end` of the text inside one of
/// `windows` where an alignment of `pattern` starting in the same window
/// (at or after its start) takes at most `max_distance` edits, in increasing
/// order within each window. Nothing for an empty pattern.
pub(crate) fn ends_in_windows(
    pattern: &[u8],
    text: &[u8],
    max_distance: usize,
    windows: &[(usize, usize)],
    mut report: impl FnMut(usize),
) {
    if pattern.is_empty() {
        return;
    }
    let peq = Peq::new(pattern.iter().copied());
    for &(lo, hi) in windows {
        let Some(slice) = text.get(lo..hi.min(text.len())) else {
            continue;
        };
        scan::<false>(&peq, slice.iter().copied(), max_distance, |len, _| report(lo + len));
    }
}

/// The candidates [`find_approx`] selects its occurrences from, for the ends
/// in `ends` only: every end offset `j` of `text` in `ends` where the best
/// alignment of `pattern` ending there (starting anywhere at or after the
/// text's start) takes at most `max_distance` edits, with that distance and
/// the smallest start achieving it, in increasing order of `j`.
///
/// A candidate depends only on the `pattern.len() + max_distance` bytes
/// before its end, so the text may be cut into slices overlapping by that
/// much, each giving the candidates of the ends it owns (past the overlap);
/// [`select_approx`] of them all is [`find_approx`] of the whole text (the
/// one-shot `locate` searches its source's normalized view a piece at a
/// time this way). Filtered as [`find_approx`] is (same windows).
///
/// # Errors
///
/// As [`find_approx`].
pub(crate) fn approx_candidates(
    pattern: &[u8],
    text: &[u8],
    max_distance: usize,
    ends: Range<usize>,
) -> Result<Vec<ApproxMatch>> {
    validate(pattern, max_distance)?;
    let m = pattern.len();
    let k = max_distance;
    let mut out = Vec::new();
    if text.len() < m - k || ends.start >= ends.end {
        return Ok(out);
    }
    let full = [(0, text.len())];
    let filtered = filter_windows(pattern, text, k, DEFAULT_FILTER);
    let windows: &[(usize, usize)] = filtered.as_deref().unwrap_or(&full);
    let mut searcher = Searcher { pattern, text, k, fwd: Peq::new(pattern.iter().copied()), rev: None };
    let mut ends_found: Vec<(usize, usize)> = Vec::new();
    for &(lo, hi) in windows {
        // A window's ends are lo + 1 ..= hi.
        if hi < ends.start || lo >= ends.end {
            continue;
        }
        let Some(slice) = text.get(lo..hi.min(ends.end.saturating_sub(1).max(lo))) else {
            continue;
        };
        ends_found.clear();
        scan::<false>(&searcher.fwd, slice.iter().copied(), k, |step, d| {
            if ends.contains(&(lo + step)) {
                ends_found.push((lo + step, d));
            }
        });
        for &(end, d) in &ends_found {
            let start = searcher.leftmost_start(lo, end, d);
            out.push(ApproxMatch { start, end, distance: d });
        }
    }
    Ok(out)
}

/// The occurrences [`find_approx`] keeps among `candidates` (as
/// [`approx_candidates`] gives them, each end once): by increasing
/// distance, then end, each kept unless it overlaps one kept before; sorted
/// by start.
pub(crate) fn select_approx(mut candidates: Vec<ApproxMatch>) -> Vec<ApproxMatch> {
    candidates.sort_unstable_by_key(|c| (c.distance, c.end));
    let mut kept: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for c in candidates {
        let prev_end = kept.range(..c.end).next_back().map(|(_, &(e, _))| e);
        if prev_end.is_some_and(|e| e > c.start) {
            continue;
        }
        kept.insert(c.start, (c.end, c.distance));
    }
    kept.into_iter().map(|(start, (end, distance))| ApproxMatch { start, end, distance }).collect()
}

/// Plain Levenshtein distance (for verification and tests).
///
/// Unit costs, byte-level. Runs the bit-parallel global DP (Hyyrö) with the shorter
/// input as the pattern: `O(len_long * ceil(len_short / 64))` time and
/// `O(256 * ceil(len_short / 64))` words of memory, after stripping the common
/// prefix and suffix.
pub fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (a.get(prefix..).unwrap_or(&[]), b.get(prefix..).unwrap_or(&[]));
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let a = a.get(..a.len() - suffix).unwrap_or(&[]);
    let b = b.get(..b.len() - suffix).unwrap_or(&[]);
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.len();
    }
    let peq = Peq::new(short.iter().copied());
    // A threshold no score can exceed keeps every block active (no cut-off).
    let mut last = short.len().max(long.len());
    scan::<true>(&peq, long.iter().copied(), short.len() + long.len(), |_, d| {
        last = d;
    });
    last
}

/// How [`find_with`] picks the windows it verifies.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Verify the whole text.
    Full,
    /// Pigeonhole filter first.
    Filter(FilterOpts),
}

/// Settings of the pigeonhole filter.
#[derive(Debug, Clone, Copy)]
struct FilterOpts {
    /// Shorter pieces are not selective: scan the whole text instead.
    min_piece: usize,
    /// Up to this many distinct pieces, one `memmem` pass each; more: one q-gram pass.
    max_memmem_pieces: usize,
    /// One pass of a packed (SIMD) multi-substring searcher over the text for
    /// all pieces, where the machine has one; the passes above otherwise.
    packed: bool,
    /// Cut the pattern into `k + 2` pieces and open a window only where two of
    /// them stand at consistent distances (when those pieces are still at least
    /// `min_piece` bytes); else `k + 1` pieces, a window at every hit.
    pairs: bool,
    /// Fall back to the whole text when hits are too dense to pay off: more than
    /// `n / 16` hits, or their windows covering more than half the text, or
    /// (past the first 64 KiB) three quarters of the text scanned so far.
    give_up: bool,
    /// From this text length on, the pieces stand where a sample of the text
    /// says they are rarest ([`rare_pieces`]); below, one after the other.
    choose_from: usize,
}

/// The filter settings of [`find_approx`].
const DEFAULT_FILTER: FilterOpts = FilterOpts {
    min_piece: MIN_PIECE_LEN,
    max_memmem_pieces: MAX_MEMMEM_PIECES,
    packed: true,
    pairs: true,
    give_up: true,
    choose_from: 1 << 20,
};

fn validate(pattern: &[u8], max_distance: usize) -> Result<()> {
    if pattern.is_empty() {
        return Err(Error::InvalidInput { field: "pattern".to_owned(), reason: "the pattern is empty".to_owned() });
    }
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(Error::TooLarge { what: "approximate-match pattern", len: pattern.len(), max: MAX_PATTERN_LEN });
    }
    if max_distance >= pattern.len() {
        return Err(Error::InvalidInput {
            field: "max_distance".to_owned(),
            reason: format!("{max_distance} must be smaller than the pattern length {}", pattern.len()),
        });
    }
    Ok(())
}

fn find_with(pattern: &[u8], text: &[u8], k: usize, mode: Mode) -> Result<Vec<ApproxMatch>> {
    validate(pattern, k)?;
    let m = pattern.len();
    let mut out = Vec::new();
    // Every occurrence is at least m - k bytes long.
    if text.len() < m - k {
        return Ok(out);
    }
    let full = [(0, text.len())];
    let filtered = match mode {
        Mode::Full => None,
        Mode::Filter(opts) => filter_windows(pattern, text, k, opts),
    };
    let windows: &[(usize, usize)] = filtered.as_deref().unwrap_or(&full);
    let mut searcher = Searcher { pattern, text, k, fwd: Peq::new(pattern.iter().copied()), rev: None };
    for &(lo, hi) in windows {
        searcher.window(lo, hi, &mut out);
    }
    Ok(out)
}

/// Windows `[lo, hi)` (sorted, disjoint, not touching) that contain every
/// occurrence, or `None` when the filter does not apply and the whole text must be
/// scanned.
fn filter_windows(pattern: &[u8], text: &[u8], k: usize, opts: FilterOpts) -> Option<Vec<(usize, usize)>> {
    let m = pattern.len();
    let n = text.len();
    // With k + 2 pieces, an occurrence keeps two of them: only hits that have
    // a second piece at the right distance open a window.
    let pairs = opts.pairs && m / (k + 2) >= opts.min_piece.max(1);
    let count = k + 1 + usize::from(pairs);
    let base = m / count;
    if base < opts.min_piece.max(1) {
        return None;
    }
    let mut pieces = if n >= opts.choose_from { rare_pieces(pattern, text, count, base) } else { None }
        .unwrap_or_else(|| even_pieces(pattern, count, base));
    // Distinct pieces, each with the pattern offsets where it occurs.
    pieces.sort_unstable();
    let mut groups: Vec<(&[u8], Vec<usize>)> = Vec::new();
    for (piece, offset) in pieces {
        match groups.last_mut() {
            Some((last, offsets)) if *last == piece => offsets.push(offset),
            _ => groups.push((piece, vec![offset])),
        }
    }
    if pairs {
        return paired_windows(pattern, text, k, opts, &groups);
    }
    // One run of merged windows per (piece, offset): each run receives its hits in
    // increasing order, so it stays sorted, and merging on push keeps it small.
    let mut runs: Vec<Vec<Vec<(usize, usize)>>> =
        groups.iter().map(|(_, offsets)| vec![Vec::new(); offsets.len()]).collect();
    // Density estimate for giving up: the bytes covered by the windows of the hits
    // seen in text order (one piece after the other with memmem, all at once with
    // q-grams), counted past the furthest window end so far.
    let hit_limit = n / 16 + 64;
    let mut hits = 0usize;
    let mut last_p = 0usize;
    let mut frontier = 0usize;
    let mut covered = 0usize;
    let mut on_hit = |g: usize, p: usize| -> bool {
        let (Some(group_runs), Some((_, offsets))) = (runs.get_mut(g), groups.get(g)) else {
            return true;
        };
        for (run, &o) in group_runs.iter_mut().zip(offsets) {
            let lo = p.saturating_sub(o + k);
            let hi = (p + (m - o) + k).min(n);
            push_merged(run, lo, hi);
            if p < last_p {
                // The next piece's pass started over.
                frontier = 0;
                covered = 0;
            }
            last_p = p;
            covered += hi.saturating_sub(lo.max(frontier));
            frontier = frontier.max(hi);
        }
        hits += 1;
        let dense = hits > hit_limit || covered > n / 2 || (p >= 1 << 16 && covered / 3 > p / 4);
        !(opts.give_up && dense)
    };
    let packed = if opts.packed { packed_hits(text, &groups, &mut on_hit) } else { None };
    let completed = match packed {
        Some(completed) => completed,
        None if groups.len() > opts.max_memmem_pieces => qgram_hits(text, &groups, &mut on_hit),
        None => memmem_hits(text, &groups, &mut on_hit),
    };
    if !completed {
        return None;
    }
    let mut windows: Vec<(usize, usize)> = runs.into_iter().flatten().flatten().collect();
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    for (lo, hi) in windows {
        push_merged(&mut merged, lo, hi);
    }
    Some(merged)
}

/// The pattern cut into `count` pieces one after the other, the first
/// `m % count` of them one byte longer than `base`: (piece, pattern offset).
fn even_pieces(pattern: &[u8], count: usize, base: usize) -> Vec<(&[u8], usize)> {
    let extra = pattern.len() % count;
    let mut pieces = Vec::with_capacity(count);
    let mut offset = 0;
    for i in 0..count {
        let len = base + usize::from(i < extra);
        if let Some(piece) = pattern.get(offset..offset + len) {
            pieces.push((piece, offset));
        }
        offset += len;
    }
    pieces
}

/// Bytes of the text sampled by [`rare_pieces`]: [`SAMPLE_SLICES`] slices of
/// [`SAMPLE_SLICE`] bytes spread evenly over it.
const SAMPLE_SLICE: usize = 4096;
const SAMPLE_SLICES: usize = 32;
/// Leading bytes of a piece the packed searcher tests before comparing the
/// piece (its fingerprint).
const FINGERPRINT: usize = 4;

/// `count` disjoint pieces of `len` bytes (`count * len <= m`), placed where
/// their leading [`FINGERPRINT`] bytes are rarest in a sample of the text:
/// (piece, pattern offset), in pattern order. Any disjoint pieces keep the
/// filter exact (an edit breaks at most one of them, wherever they stand);
/// where they stand only decides how many hits the filter's pass meets. Cut
/// evenly, a quote's pieces start with common words (`the we`, ` the t`);
/// the bytes the even cut spreads over its longer pieces are spent instead on
/// moving the pieces off them. `None` when the pieces are shorter than the
/// fingerprint.
fn rare_pieces<'p>(pattern: &'p [u8], text: &[u8], count: usize, len: usize) -> Option<Vec<(&'p [u8], usize)>> {
    let m = pattern.len();
    if len < FINGERPRINT || count == 0 || count * len > m {
        return None;
    }
    let key =
        |b: &[u8]| b.get(..FINGERPRINT).and_then(|f| <[u8; FINGERPRINT]>::try_from(f).ok()).map(u32::from_be_bytes);
    // Most places of the sample hold none of the fingerprints: a table of
    // their hashes says so before any search.
    let hash = |x: u32| (x.wrapping_mul(0x9E37_79B1) >> 20) as usize;
    // The fingerprint of each possible piece start, and how often each
    // distinct one occurs in the sample.
    let prints: Vec<u32> = (0..=m - len).filter_map(|s| key(pattern.get(s..)?)).collect();
    let mut distinct = prints.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let mut seen = vec![0usize; distinct.len()];
    let mut maybe = vec![false; 1 << 12];
    for &x in &distinct {
        maybe[hash(x)] = true;
    }
    let step = (text.len() / SAMPLE_SLICES).max(SAMPLE_SLICE);
    let mut at = 0;
    while at < text.len() {
        let slice = text.get(at..(at + SAMPLE_SLICE).min(text.len())).unwrap_or(&[]);
        for w in slice.windows(FINGERPRINT) {
            if let Some(x) = key(w)
                && maybe[hash(x)]
                && let Ok(i) = distinct.binary_search(&x)
                && let Some(c) = seen.get_mut(i)
            {
                *c += 1;
            }
        }
        at += step;
    }
    let cost: Vec<usize> =
        prints.iter().map(|x| distinct.binary_search(x).ok().and_then(|i| seen.get(i).copied()).unwrap_or(0)).collect();
    // best[i][s]: the least cost of pieces i.. with piece i starting at s or
    // later; `here(i, s)`: with piece i starting at s.
    let mut best = vec![vec![usize::MAX; m + 2]; count + 1];
    best[count].fill(0);
    let here = |best: &[Vec<usize>], i: usize, s: usize| -> usize {
        if s + (count - i) * len > m {
            return usize::MAX;
        }
        best[i + 1][s + len].saturating_add(cost[s])
    };
    for i in (0..count).rev() {
        for s in (0..=m).rev() {
            best[i][s] = here(&best, i, s).min(best[i][s + 1]);
        }
    }
    if best[0][0] == usize::MAX {
        return None;
    }
    let mut pieces = Vec::with_capacity(count);
    let mut s = 0;
    for i in 0..count {
        // The earliest start that achieves the best (the even cut's, on ties).
        while s <= m && here(&best, i, s) != best[i][s] {
            s += 1;
        }
        pieces.push((pattern.get(s..s + len)?, s));
        s += len;
    }
    Some(pieces)
}

/// The windows of the two-piece filter: `groups` are the `k + 2` pieces of the
/// pattern (distinct, each with its pattern offsets). An occurrence with at
/// most `k` edits leaves at least two of them intact (an edit breaks at most
/// one piece), each where the alignment puts it: the intact pieces at pattern
/// offsets `oa < ob` stand at text offsets `pa < pb` with `pb - pa` within `k`
/// of `ob - oa` (the edits between them shift one against the other by at most
/// `k`). In terms of the *diagonal* `p + m - o` of a hit (where the pattern
/// would start, shifted by `m` to stay positive), two hits of pieces at
/// different pattern offsets lie within `k` diagonals of each other. So a
/// window is opened only for a hit that has such a partner (sorted by
/// diagonal, the nearest entry before it with another offset decides), and it
/// is the one-piece filter's window of that hit, which holds the whole
/// occurrence. `None` when hits are too dense (more than one per 64 bytes) to
/// pay off.
fn paired_windows(
    pattern: &[u8],
    text: &[u8],
    k: usize,
    opts: FilterOpts,
    groups: &[(&[u8], Vec<usize>)],
) -> Option<Vec<(usize, usize)>> {
    let m = pattern.len();
    let n = text.len();
    let limit = n / 64 + 64;
    // (diagonal, pattern offset), one per hit and offset of its piece.
    let mut hits: Vec<(usize, usize)> = Vec::new();
    let mut on_hit = |g: usize, p: usize| -> bool {
        if let Some((_, offsets)) = groups.get(g) {
            hits.extend(offsets.iter().map(|&o| (p + (m - o), o)));
        }
        !(opts.give_up && hits.len() > limit)
    };
    let packed = if opts.packed { packed_hits(text, groups, &mut on_hit) } else { None };
    let completed = match packed {
        Some(completed) => completed,
        None if groups.len() > opts.max_memmem_pieces => qgram_hits(text, groups, &mut on_hit),
        None => memmem_hits(text, groups, &mut on_hit),
    };
    if !completed {
        return None;
    }
    hits.sort_unstable();
    // Either hit of a pair opens a window holding the occurrence: the later
    // one by diagonal is taken. For each entry, the nearest entry before it
    // with another offset decides (the entries in between share its offset).
    let mut before: Option<usize> = None;
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (i, &(d, o)) in hits.iter().enumerate() {
        let prev = match i.checked_sub(1) {
            Some(j) if hits[j].1 != o => Some(j),
            _ => before,
        };
        before = prev;
        if prev.is_some_and(|j| d - hits[j].0 <= k) {
            push_merged(&mut merged, d.saturating_sub(m + k), (d + k).min(n));
        }
    }
    Some(merged)
}

/// Reports every occurrence (overlapping ones too) of every piece as
/// `on_hit(piece index, text offset)`, one `memmem` pass per piece. Returns false
/// as soon as `on_hit` does.
fn memmem_hits(text: &[u8], groups: &[(&[u8], Vec<usize>)], on_hit: &mut impl FnMut(usize, usize) -> bool) -> bool {
    for (g, (piece, _)) in groups.iter().enumerate() {
        let finder = Finder::new(piece);
        let mut pos = 0;
        while let Some(rest) = text.get(pos..) {
            let Some(found) = finder.find(rest) else {
                break;
            };
            if !on_hit(g, pos + found) {
                return false;
            }
            pos += found + 1;
        }
    }
    true
}

/// Like [`memmem_hits`], in one pass over the text for all pieces, with a packed
/// multi-substring searcher (Teddy, SIMD): it finds the leftmost next
/// occurrence of any piece; every piece is then compared at that offset, so
/// pieces starting at the same offset and overlapping occurrences are all
/// reported. Hits come in increasing text order. `None` when no packed searcher
/// is available (a machine without the SIMD it needs, too many pieces).
fn packed_hits(
    text: &[u8],
    groups: &[(&[u8], Vec<usize>)],
    on_hit: &mut impl FnMut(usize, usize) -> bool,
) -> Option<bool> {
    use aho_corasick::packed::{Config, MatchKind};
    let searcher =
        Config::new().match_kind(MatchKind::LeftmostFirst).builder().extend(groups.iter().map(|(p, _)| p)).build()?;
    let mut pos = 0;
    while pos < text.len() {
        let Some(found) = searcher.find_in(text, aho_corasick::Span::from(pos..text.len())) else {
            break;
        };
        let p = found.start();
        let rest = text.get(p..).unwrap_or(&[]);
        for (g, (piece, _)) in groups.iter().enumerate() {
            if rest.starts_with(piece) && !on_hit(g, p) {
                return Some(false);
            }
        }
        pos = p + 1;
    }
    Some(true)
}

/// Like [`memmem_hits`], in a single pass over the text for many pieces: every
/// text position's q-gram (`q = min(8, shortest piece)`) is hashed and tested
/// against a bitmap of the pieces' leading q-grams; only positions that pass are
/// compared with the pieces. Hits come in increasing text order.
fn qgram_hits(text: &[u8], groups: &[(&[u8], Vec<usize>)], on_hit: &mut impl FnMut(usize, usize) -> bool) -> bool {
    let q = groups.iter().map(|(p, _)| p.len()).min().unwrap_or(0).min(8);
    if q == 0 || text.len() < q {
        return true;
    }
    let mask = if q == 8 { !0u64 } else { (1u64 << (8 * q)) - 1 };
    let hash = |key: u64| (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize;
    let load = |bytes: &[u8]| {
        let mut word = [0u8; 8];
        for (w, &b) in word.iter_mut().zip(bytes) {
            *w = b;
        }
        u64::from_le_bytes(word) & mask
    };
    // (leading q-gram, piece index), sorted by q-gram.
    let mut keys: Vec<(u64, usize)> = groups.iter().enumerate().map(|(g, (piece, _))| (load(piece), g)).collect();
    keys.sort_unstable();
    let mut bitmap = vec![0u64; (1 << 16) / 64];
    for &(key, _) in &keys {
        if let Some(word) = bitmap.get_mut(hash(key) >> 6) {
            *word |= 1 << (hash(key) & 63);
        }
    }
    let mut check = |p: usize, key: u64| -> bool {
        let h = hash(key);
        let set = bitmap.get(h >> 6).is_some_and(|w| (w >> (h & 63)) & 1 != 0);
        if !set {
            return true;
        }
        let first = keys.partition_point(|&(k, _)| k < key);
        for &(_, g) in keys.get(first..).unwrap_or(&[]).iter().take_while(|e| e.0 == key) {
            let Some((piece, _)) = groups.get(g) else {
                continue;
            };
            if text.get(p..p + piece.len()) == Some(piece) && !on_hit(g, p) {
                return false;
            }
        }
        true
    };
    // Full 8-byte loads while they fit, then the (at most 7) last positions.
    let mut p = 0;
    for window in text.windows(8) {
        let Ok(word) = <[u8; 8]>::try_from(window) else {
            break;
        };
        if !check(p, u64::from_le_bytes(word) & mask) {
            return false;
        }
        p += 1;
    }
    while p + q <= text.len() {
        if !check(p, load(text.get(p..).unwrap_or(&[]))) {
            return false;
        }
        p += 1;
    }
    true
}

/// Appends `[lo, hi)` to a run sorted by `lo`, merging it into the last window when
/// they overlap or touch.
fn push_merged(run: &mut Vec<(usize, usize)>, lo: usize, hi: usize) {
    match run.last_mut() {
        Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
        _ => run.push((lo, hi)),
    }
}

/// State shared by the windows of one search.
struct Searcher<'a> {
    pattern: &'a [u8],
    text: &'a [u8],
    k: usize,
    /// Match table of the pattern.
    fwd: Peq,
    /// Match table of the reversed pattern, built on the first start recovery.
    rev: Option<Peq>,
}

impl Searcher<'_> {
    /// Verifies `text[lo..hi]`, selects its non-overlapping local minima and
    /// appends them to `out` in order.
    fn window(&mut self, lo: usize, hi: usize, out: &mut Vec<ApproxMatch>) {
        let Some(slice) = self.text.get(lo..hi) else {
            return;
        };
        // (distance, end): sorting them gives the selection order.
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        scan::<false>(&self.fwd, slice.iter().copied(), self.k, |step, d| {
            candidates.push((d, lo + step));
        });
        if candidates.is_empty() {
            return;
        }
        candidates.sort_unstable();
        let m = self.pattern.len();
        // start -> (end, distance); disjoint intervals.
        let mut kept: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for (d, end) in candidates {
            // The kept interval with the largest start below `end` is the only one
            // that can overlap [start, end), and it does iff it ends after `start`.
            let prev_end = kept.range(..end).next_back().map(|(_, &(e, _))| e);
            // start <= end - (m - d): if the previous interval ends after that, the
            // overlap is certain and the start need not be computed.
            let latest_start = end.saturating_sub(m - d);
            if prev_end.is_some_and(|e| e > latest_start) {
                continue;
            }
            let start = self.leftmost_start(lo, end, d);
            if prev_end.is_some_and(|e| e > start) {
                continue;
            }
            kept.insert(start, (end, d));
        }
        out.extend(kept.into_iter().map(|(start, (end, distance))| ApproxMatch { start, end, distance }));
    }

    /// Smallest `s >= lo` with `lev(pattern, text[s..end]) == d`, where `d` is the
    /// minimum of that distance over `s >= lo`. Runs the reversed pattern over the
    /// reversed text, anchored at `end`.
    fn leftmost_start(&mut self, lo: usize, end: usize, d: usize) -> usize {
        let m = self.pattern.len();
        let rev = self.rev.get_or_insert_with(|| Peq::new(self.pattern.iter().rev().copied()));
        // An alignment with d edits spans at most m + d bytes.
        let from = lo.max(end.saturating_sub(m + d));
        let slice = self.text.get(from..end).unwrap_or(&[]);
        let mut best = None;
        scan::<true>(rev, slice.iter().rev().copied(), d, |len, score| {
            if score == d {
                best = Some(len);
            }
        });
        debug_assert!(best.is_some(), "no alignment of distance {d} ends at {end}");
        // Unreachable fallback: the shortest alignment length that d allows.
        end - best.unwrap_or(m - d).min(end - lo)
    }
}

/// `Peq` table: for each byte value and block, the rows of the block where the
/// pattern has that byte.
struct Peq {
    /// Pattern length (rows).
    m: usize,
    /// Blocks of `W` rows.
    blocks: usize,
    /// `table[c * blocks + b]`.
    table: Vec<u64>,
}

impl Peq {
    /// Builds the table of a non-empty pattern given as bytes in row order.
    fn new(pattern: impl ExactSizeIterator<Item = u8>) -> Peq {
        let m = pattern.len();
        let blocks = m.div_ceil(W).max(1);
        let mut table = vec![0u64; 256 * blocks];
        for (i, c) in pattern.enumerate() {
            if let Some(word) = table.get_mut(usize::from(c) * blocks + i / W) {
                *word |= 1 << (i % W);
            }
        }
        Peq { m, blocks, table }
    }

    /// Mask of the last pattern row inside the last block.
    fn last_high(&self) -> u64 {
        1 << ((self.m.max(1) - 1) % W)
    }
}

/// Runs the DP of `peq`'s pattern against `text` and calls `report(len, d)` after
/// each consumed byte (`len` bytes so far) whose last-row value `d` is `<= k`.
///
/// `ANCHORED = false` is the search DP (a match may start anywhere: row 0 is all
/// zeros); `ANCHORED = true` is the global DP (row 0 counts the bytes consumed), so
/// `d` is the edit distance between the pattern and the whole text consumed.
/// Values `<= k` are exact; larger ones are not reported.
fn scan<const ANCHORED: bool>(peq: &Peq, text: impl Iterator<Item = u8>, k: usize, report: impl FnMut(usize, usize)) {
    if peq.blocks == 1 {
        scan_word::<ANCHORED>(peq, text, k, report);
    } else {
        scan_blocks::<ANCHORED>(peq, text, k, report);
    }
}

/// [`scan`] for patterns of at most 64 bytes: one word per column.
fn scan_word<const ANCHORED: bool>(
    peq: &Peq,
    text: impl Iterator<Item = u8>,
    k: usize,
    mut report: impl FnMut(usize, usize),
) {
    let Ok(table) = <&[u64; 256]>::try_from(peq.table.as_slice()) else {
        return;
    };
    let high = peq.last_high();
    let mut pv = !0u64;
    let mut mv = 0u64;
    let mut score = peq.m;
    for (i, c) in text.enumerate() {
        let eq = table[usize::from(c)];
        let xv = eq | mv;
        let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
        let ph = mv | !(xh | pv);
        let mh = pv & xh;
        score += usize::from(ph & high != 0);
        score -= usize::from(mh & high != 0);
        let ph = (ph << 1) | u64::from(ANCHORED);
        let mh = mh << 1;
        pv = mh | !(xv | ph);
        mv = ph & xv;
        if score <= k {
            report(i + 1, score);
        }
    }
}

/// Advances one block by one column (Myers 1999, `Advance_Block`). `hin` is the
/// horizontal delta entering the block's top row, the return value the one
/// leaving its `high` row.
#[inline(always)]
fn advance_block(pv: &mut u64, mv: &mut u64, eq: u64, hin: isize, high: u64) -> isize {
    let p = *pv;
    let m = *mv;
    let xv = eq | m;
    let eq = eq | u64::from(hin < 0);
    let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
    let ph = m | !(xh | p);
    let mh = p & xh;
    let hout = isize::from(ph & high != 0) - isize::from(mh & high != 0);
    let ph = (ph << 1) | u64::from(hin > 0);
    let mh = (mh << 1) | u64::from(hin < 0);
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    hout
}

/// [`scan`] for patterns longer than 64 bytes: blocks of 64 rows, advancing only
/// the blocks down to the last one that can hold a value `<= k` (Ukkonen's cut-off
/// as Myers applies it to blocks).
fn scan_blocks<const ANCHORED: bool>(
    peq: &Peq,
    text: impl Iterator<Item = u8>,
    k: usize,
    mut report: impl FnMut(usize, usize),
) {
    let blocks = peq.blocks;
    let m = peq.m;
    let bmax = blocks - 1;
    let last_high = peq.last_high();
    let high_of = |b: usize| {
        if b == bmax { last_high } else { 1u64 << (W - 1) }
    };
    let rows_of = |b: usize| if b == bmax { m - bmax * W } else { W };
    let k_i = isize::try_from(k).unwrap_or(isize::MAX / 2);
    let w_i = W as isize;
    let mut pv = vec![!0u64; blocks];
    let mut mv = vec![0u64; blocks];
    // score[b]: value of the last row of block b in the current column.
    let mut score: Vec<isize> = (0..blocks).map(|b| (((b + 1) * W).min(m)) as isize).collect();
    // Last active block: the one holding row k (all rows <= k are <= k in column 0).
    let mut y = if k == 0 { 0 } else { ((k - 1) / W).min(bmax) };
    for (i, c) in text.enumerate() {
        let row = usize::from(c) * blocks;
        let Some(eqs) = peq.table.get(row..row + blocks) else {
            return;
        };
        let mut carry: isize = isize::from(ANCHORED);
        for b in 0..=y {
            carry = advance_block(&mut pv[b], &mut mv[b], eqs[b], carry, high_of(b));
            score[b] += carry;
        }
        if y < bmax && score[y] - carry <= k_i && (eqs[y + 1] & 1 != 0 || carry < 0) {
            // Row k + 1 reached the next block: activate it from an all-+1 column.
            let prev = score[y] - carry;
            y += 1;
            pv[y] = !0;
            mv[y] = 0;
            let hout = advance_block(&mut pv[y], &mut mv[y], eqs[y], carry, high_of(y));
            score[y] = prev + rows_of(y) as isize + hout;
        } else {
            while y > 0 && score[y] >= k_i + w_i {
                y -= 1;
            }
        }
        if y == bmax && score[y] <= k_i {
            report(i + 1, score[y] as usize);
        }
    }
}

#[cfg(test)]
/// Applies random edits to a pattern copied from a text, for the proptests
/// of the matchers (here and in [`super::qgram`]): for each `(place, op)`,
/// `op` 0 substitutes `x`, 1 inserts `q`, 2 deletes (never the last byte).
pub(crate) fn edit_copy(pattern: &mut Vec<u8>, edits: &[(proptest::sample::Index, u8)]) {
    for (i, op) in edits {
        let p = i.index(pattern.len());
        match op {
            0 => pattern[p] = b'x',
            1 => pattern.insert(p, b'q'),
            _ if pattern.len() > 1 => {
                pattern.remove(p);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Plain O(n * m) Levenshtein.
    fn naive_lev(a: &[u8], b: &[u8]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, &x) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, &y) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    /// Minimum over all substrings of the text of lev(pattern, substring):
    /// plain semi-global DP, O(n * m).
    fn naive_min_distance(pattern: &[u8], text: &[u8]) -> usize {
        // col[i] = D[i][j]: pattern prefix i against the best text suffix ending at j.
        let mut col: Vec<usize> = (0..=pattern.len()).collect();
        let mut best = col[pattern.len()];
        for &t in text {
            let mut next = vec![0; pattern.len() + 1];
            for (i, &p) in pattern.iter().enumerate() {
                next[i + 1] = (col[i] + usize::from(p != t)).min(col[i + 1] + 1).min(next[i] + 1);
            }
            col = next;
            best = best.min(col[pattern.len()]);
        }
        best
    }

    /// The contract, implemented by brute force: for every end, the best distance
    /// and the smallest start achieving it; then greedy selection by (distance, end).
    fn reference(pattern: &[u8], text: &[u8], k: usize) -> Vec<ApproxMatch> {
        let n = text.len();
        let m = pattern.len();
        // best[j] = (distance, smallest start)
        let mut best: Vec<(usize, usize)> = vec![(usize::MAX, 0); n + 1];
        for s in 0..=n {
            // Global DP of the pattern against text[s..j] for all j.
            let mut col: Vec<usize> = (0..=m).collect();
            if col[m] < best[s].0 {
                best[s] = (col[m], s);
            }
            for (j, &t) in text[s..].iter().enumerate() {
                let mut next = vec![j + 1; m + 1];
                for (i, &p) in pattern.iter().enumerate() {
                    next[i + 1] = (col[i] + usize::from(p != t)).min(col[i + 1] + 1).min(next[i] + 1);
                }
                col = next;
                let end = s + j + 1;
                if col[m] < best[end].0 {
                    best[end] = (col[m], s);
                }
            }
        }
        let mut cands: Vec<(usize, usize, usize)> =
            best.iter().enumerate().filter(|(_, (d, _))| *d <= k).map(|(end, &(d, s))| (d, end, s)).collect();
        cands.sort();
        let mut kept: Vec<ApproxMatch> = Vec::new();
        for (d, end, start) in cands {
            if kept.iter().all(|a| a.end <= start || end <= a.start) {
                kept.push(ApproxMatch { start, end, distance: d });
            }
        }
        kept.sort_by_key(|a| a.start);
        kept
    }

    /// How [`find_forced`] finds the pieces.
    #[derive(Clone, Copy)]
    enum Pass {
        Memmem,
        Qgram,
        Packed,
    }

    /// Forces the filter whenever pieces are at least one byte, with no give-up,
    /// through `memmem`, the q-gram pass or the packed searcher; checks that the
    /// one-piece and the two-piece filters give the same result, with the
    /// pieces cut evenly and placed by the sample, and returns it.
    fn find_forced(pattern: &[u8], text: &[u8], k: usize, pass: Pass) -> Vec<ApproxMatch> {
        let opts = |pairs: bool, choose_from: usize| FilterOpts {
            min_piece: 1,
            max_memmem_pieces: if matches!(pass, Pass::Qgram) { 0 } else { usize::MAX },
            packed: matches!(pass, Pass::Packed),
            pairs,
            give_up: false,
            choose_from,
        };
        let one = find_with(pattern, text, k, Mode::Filter(opts(false, usize::MAX))).unwrap();
        let two = find_with(pattern, text, k, Mode::Filter(opts(true, usize::MAX))).unwrap();
        assert_eq!(one, two, "one-piece vs two-piece filter");
        for pairs in [false, true] {
            let placed = find_with(pattern, text, k, Mode::Filter(opts(pairs, 0))).unwrap();
            assert_eq!(placed, two, "pieces placed by the sample (pairs: {pairs})");
        }
        two
    }

    fn m(start: usize, end: usize, distance: usize) -> ApproxMatch {
        ApproxMatch { start, end, distance }
    }

    /// Both paths, checked equal, then returned.
    fn both(pattern: &[u8], text: &[u8], k: usize) -> Vec<ApproxMatch> {
        let filtered = find_approx(pattern, text, k).unwrap();
        let plain = find_approx_unfiltered(pattern, text, k).unwrap();
        assert_eq!(filtered, plain, "filtered vs unfiltered");
        assert_eq!(find_forced(pattern, text, k, Pass::Memmem), plain, "memmem filter");
        assert_eq!(find_forced(pattern, text, k, Pass::Qgram), plain, "q-gram filter");
        assert_eq!(find_forced(pattern, text, k, Pass::Packed), plain, "packed filter");
        plain
    }

    const LONG: &[u8] = b"The committee reviewed every invoice twice before the auditors \
arrived, and still the totals did not add up.";

    const LONGER: &[u8] = b"In the spring of that year the harbour authority published a \
schedule of repairs for the northern pier, listing the contractors, the estimated costs \
and the dates on which each berth would close.";

    #[test]
    fn exact_hit() {
        let text = b"a haystack with one needle inside it";
        assert_eq!(both(b"needle", text, 0), vec![m(20, 26, 0)]);
        assert_eq!(both(b"needle", text, 2), vec![m(20, 26, 0)]);
    }

    #[test]
    fn substitution_insertion_deletion() {
        // Substitution: "needle" -> "neodle".
        assert_eq!(both(b"needle", b"one neodle here", 1), vec![m(4, 10, 1)]);
        // Insertion in the text: "needle" -> "neeedle".
        assert_eq!(both(b"needle", b"one neeedle here", 1), vec![m(4, 11, 1)]);
        // Deletion in the text: "needle" -> "nedle".
        assert_eq!(both(b"needle", b"one nedle here", 1), vec![m(4, 9, 1)]);
        // Too many edits for k = 1.
        assert_eq!(both(b"needle", b"one nxxdle here", 1), vec![]);
        assert_eq!(both(b"needle", b"one nxxdle here", 2), vec![m(4, 10, 2)]);
    }

    #[test]
    fn tie_break_prefers_longest_alignment() {
        // "xbc" (1 substitution) and "bc" (1 deletion) both end at 3 with distance 1.
        assert_eq!(both(b"abc", b"xbc", 1), vec![m(0, 3, 1)]);
        // Exact occurrence beats the longer alignment with an edit.
        assert_eq!(both(b"abc", b"xabc", 1), vec![m(1, 4, 0)]);
    }

    #[test]
    fn overlap_rule_lowest_distance_then_earliest_end() {
        // Exact copies tile a periodic text; ends 4 and 8 are exact and disjoint.
        assert_eq!(both(b"aaaa", b"aaaaaaaaa", 1), vec![m(0, 4, 0), m(4, 8, 0)]);
        // The exact copy [2, 8) beats the overlapping "abcdefef" [2, 10) (2 inserts)
        // and "abcdefe" [2, 9) (1 insert).
        assert_eq!(both(b"abcdef", b"xxabcdefefxx", 2), vec![m(2, 8, 0)]);
        // A worse but disjoint occurrence is kept: "abcd" [0, 4) has 2 deletions.
        assert_eq!(both(b"abcdef", b"abcdxabcdef", 2), vec![m(0, 4, 2), m(5, 11, 0)]);
    }

    #[test]
    fn pattern_longer_than_64() {
        assert!(LONG.len() > 64 && LONG.len() <= 128);
        let mut copy = LONG.to_vec();
        copy[10] = b'X'; // substitution
        copy.remove(40); // deletion
        copy.insert(70, b'Y'); // insertion
        let mut text = b"Preamble text that has nothing to do with it. ".to_vec();
        let start = text.len();
        text.extend_from_slice(&copy);
        let end = text.len();
        text.extend_from_slice(b" And a closing remark.");
        assert_eq!(levenshtein(LONG, &copy), 3);
        assert_eq!(both(LONG, &text, 3), vec![m(start, end, 3)]);
        assert_eq!(both(LONG, &text, 10), vec![m(start, end, 3)]);
        assert_eq!(both(LONG, &text, 2), vec![]);
    }

    #[test]
    fn pattern_longer_than_128_several_hits() {
        assert!(LONGER.len() > 128);
        let mut first = LONGER.to_vec();
        first.drain(100..104); // delete 4 bytes
        let mut second = LONGER.to_vec();
        second[3] = b'Z';
        second[150] = b'Q';
        let mut text = b"Notes. ".to_vec();
        let s1 = text.len();
        text.extend_from_slice(&first);
        let e1 = text.len();
        text.extend_from_slice(b" Later, the same paragraph was reprinted: ");
        let s2 = text.len();
        text.extend_from_slice(&second);
        let e2 = text.len();
        assert_eq!(both(LONGER, &text, 6), vec![m(s1, e1, 4), m(s2, e2, 2)]);
        assert_eq!(both(LONGER, &text, 3), vec![m(s2, e2, 2)]);
    }

    #[test]
    fn pattern_at_4096_cap() {
        let pattern: Vec<u8> = (0..4096u32).map(|i| b"abcdefgh"[(i * 7 % 8) as usize] ^ (i / 512) as u8).collect();
        let mut copy = pattern.clone();
        copy[2000] = b'!';
        copy.remove(3000);
        let mut text = vec![b'-'; 100];
        text.extend_from_slice(&copy);
        text.extend_from_slice(&[b'-'; 100]);
        assert_eq!(both(&pattern, &text, 5), vec![m(100, 100 + copy.len(), 2)]);
        assert_eq!(both(&pattern, &text, 300), vec![m(100, 100 + copy.len(), 2)]);
    }

    #[test]
    fn matches_at_text_start_and_end() {
        let text = b"needle in the middle, then a neadle";
        assert_eq!(both(b"needle", text, 1), vec![m(0, 6, 0), m(29, 35, 1)]);
        let mut text = LONG.to_vec();
        text.extend_from_slice(b" -- ");
        text.extend_from_slice(LONG);
        let n = text.len();
        assert_eq!(both(LONG, &text, 5), vec![m(0, LONG.len(), 0), m(n - LONG.len(), n, 0)]);
    }

    #[test]
    fn empty_and_short_text() {
        assert_eq!(both(b"needle", b"", 2), vec![]);
        assert_eq!(both(LONG, b"", 5), vec![]);
        assert_eq!(both(b"needle", b"ne", 2), vec![]);
        assert_eq!(both(b"needle", b"nee", 3), vec![m(0, 3, 3)]);
    }

    #[test]
    fn max_distance_zero_is_exact_search() {
        let text = b"abab cabab abba abab";
        assert_eq!(both(b"abab", text, 0), vec![m(0, 4, 0), m(6, 10, 0), m(16, 20, 0)]);
        assert_eq!(both(b"abba", text, 0), vec![m(11, 15, 0)]);
        assert_eq!(both(b"abbb", text, 0), vec![]);
        let mut text = b"xx".to_vec();
        text.extend_from_slice(LONGER);
        assert_eq!(both(LONGER, &text, 0), vec![m(2, text.len(), 0)]);
    }

    #[test]
    fn invalid_inputs() {
        assert!(matches!(find_approx(b"", b"text", 0), Err(Error::InvalidInput { .. })));
        assert!(matches!(find_approx(b"abc", b"text", 3), Err(Error::InvalidInput { .. })));
        assert!(matches!(find_approx_unfiltered(b"abc", b"text", 7), Err(Error::InvalidInput { .. })));
        let big = vec![b'a'; 4097];
        assert!(matches!(find_approx(&big, b"text", 1), Err(Error::TooLarge { len: 4097, max: 4096, .. })));
        assert!(find_approx(&big[..4096], b"text", 1).unwrap().is_empty());
    }

    #[test]
    fn levenshtein_known_values() {
        assert_eq!(levenshtein(b"kitten", b"sitting"), 3);
        assert_eq!(levenshtein(b"", b""), 0);
        assert_eq!(levenshtein(b"", b"abc"), 3);
        assert_eq!(levenshtein(b"abc", b""), 3);
        assert_eq!(levenshtein(b"flaw", b"lawn"), 2);
        assert_eq!(levenshtein(LONG, LONG), 0);
        assert_eq!(levenshtein(LONG, LONGER), naive_lev(LONG, LONGER));
        assert_eq!(levenshtein(LONGER, &LONGER[1..]), 1);
    }

    #[test]
    fn pieces_are_placed_off_common_fingerprints() {
        let pattern = b"the weekend overtime billed by the tugboat operator";
        let text = b"and then the rest of the text by the way, ".repeat(50);
        let count = 8;
        let len = pattern.len() / count;
        let pieces = rare_pieces(pattern, &text, count, len).expect("pieces of 6 bytes");
        assert_eq!(pieces.len(), count);
        // Disjoint, in pattern order, each the pattern's bytes at its offset.
        for w in pieces.windows(2) {
            assert!(w[0].1 + len <= w[1].1, "{pieces:?}");
        }
        for (piece, o) in &pieces {
            assert_eq!(*piece, &pattern[*o..*o + len]);
        }
        // Their fingerprints occur less often in the text than the even cut's.
        let hits = |ps: &[(&[u8], usize)]| -> usize {
            ps.iter().map(|(p, _)| text.windows(FINGERPRINT).filter(|w| *w == &p[..FINGERPRINT]).count()).sum()
        };
        let even = even_pieces(pattern, count, len);
        assert!(hits(&pieces) * 4 < hits(&even), "{} vs {}", hits(&pieces), hits(&even));
        // Pieces shorter than the fingerprint: the even cut is used.
        assert_eq!(rare_pieces(pattern, &text, 20, 2), None);
        // The placed filter finds what the whole scan finds.
        let mut text = text;
        text.extend_from_slice(b"the weekend overtme billed by the tugboat operatr");
        let placed = FilterOpts { choose_from: 0, ..DEFAULT_FILTER };
        let found = find_with(pattern, &text, 7, Mode::Filter(placed)).unwrap();
        assert_eq!(found, find_approx_unfiltered(pattern, &text, 7).unwrap());
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn filter_is_used_and_agrees() {
        // Pieces of 10 bytes (k = 9 on a 100-byte pattern): the filter applies.
        let pattern = &LONG[..100];
        let qgram = FilterOpts { max_memmem_pieces: 0, packed: false, ..DEFAULT_FILTER };
        let memmem = FilterOpts { packed: false, ..DEFAULT_FILTER };
        let mut text = LONGER.to_vec();
        for opts in [DEFAULT_FILTER, qgram, memmem] {
            assert_eq!(filter_windows(pattern, &text, 9, opts), Some(vec![]));
        }
        let at = text.len();
        text.extend_from_slice(pattern);
        for opts in [DEFAULT_FILTER, qgram, memmem] {
            let windows = filter_windows(pattern, &text, 9, opts).unwrap();
            assert_eq!(windows, vec![(at - 9, text.len())]);
        }
        assert_eq!(both(pattern, &text, 9), vec![m(at, text.len(), 0)]);
        // A lone piece opens a window for the one-piece filter only: the
        // two-piece filter wants a second piece at the right distance.
        let one = FilterOpts { pairs: false, ..DEFAULT_FILTER };
        let lone = [LONGER, &pattern[..12], LONGER].concat();
        assert_eq!(filter_windows(pattern, &lone, 9, one).map(|w| w.len()), Some(1));
        assert_eq!(filter_windows(pattern, &lone, 9, DEFAULT_FILTER), Some(vec![]));
        let pair = [LONGER, &pattern[..12], b"xx", &pattern[19..37], LONGER].concat();
        assert_eq!(filter_windows(pattern, &pair, 9, DEFAULT_FILTER).map(|w| w.len()), Some(1));
        assert_eq!(both(pattern, &pair, 9), vec![]);
        // Pieces of 2 bytes: no filter.
        assert_eq!(filter_windows(b"abcdef", &text, 2, DEFAULT_FILTER), None);
        // Dense hits: the filter gives up (and the result is still the same).
        let dense = b"abcd".repeat(200);
        assert_eq!(filter_windows(b"abcdXabcd", &dense, 1, DEFAULT_FILTER), None);
        assert_eq!(both(b"abcdXabcd", &dense, 1).len(), 100);
    }

    // ---- property tests ----

    /// A part of a generated text: filler, then maybe a copy of the pattern with
    /// edits `(position, operation, byte)`.
    type Part = (Vec<u8>, Option<Vec<(usize, u8, u8)>>);

    /// A text made of random filler and mutated copies of the pattern.
    fn build_text(alphabet: &[u8], pattern: &[u8], parts: &[Part]) -> Vec<u8> {
        let mut text = Vec::new();
        for (filler, edits) in parts {
            text.extend(filler.iter().map(|&x| alphabet[x as usize % alphabet.len()]));
            if let Some(edits) = edits {
                let mut copy = pattern.to_vec();
                for &(pos, op, ch) in edits {
                    let ch = alphabet[ch as usize % alphabet.len()];
                    let at = pos % (copy.len() + 1);
                    match op % 3 {
                        0 if at < copy.len() => copy[at] = ch,
                        1 => copy.insert(at, ch),
                        _ if at < copy.len() => {
                            copy.remove(at);
                        }
                        _ => {}
                    }
                }
                text.extend_from_slice(&copy);
            }
        }
        text
    }

    type Case = (Vec<u8>, Vec<u8>, usize);

    /// (pattern, text, k) over a small alphabet; pattern lengths up to `max_m`.
    fn case(max_m: usize, max_filler: usize) -> impl Strategy<Value = Case> {
        let alphabets: [&'static [u8]; 3] = [b"ab", b"abc", b"abcdefgh"];
        (0..3usize, 1..=max_m)
            .prop_flat_map(move |(a, len)| {
                let alphabet = alphabets[a];
                (
                    Just(alphabet),
                    proptest::collection::vec(0..alphabet.len() as u8, len),
                    0..len,
                    proptest::collection::vec(
                        (
                            proptest::collection::vec(any::<u8>(), 0..=max_filler),
                            proptest::option::of(proptest::collection::vec(
                                (any::<usize>(), any::<u8>(), any::<u8>()),
                                0..8,
                            )),
                        ),
                        0..4,
                    ),
                )
            })
            .prop_map(|(alphabet, pat, k, parts)| {
                let pattern: Vec<u8> = pat.iter().map(|&x| alphabet[x as usize]).collect();
                let text = build_text(alphabet, &pattern, &parts);
                (pattern, text, k)
            })
    }

    /// Like `case` but with k kept small relative to m, so the filter pieces are
    /// long enough to be used by the default path too.
    fn selective_case() -> impl Strategy<Value = Case> {
        case(160, 60).prop_map(|(p, t, k)| {
            let k = k % (p.len() / 8 + 1);
            (p, t, k)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn prop_reported_matches_are_verified((pattern, text, k) in case(150, 40)) {
            let found = find_approx(&pattern, &text, k).unwrap();
            let mut last_end = 0;
            for a in &found {
                prop_assert!(a.start < a.end && a.end <= text.len());
                prop_assert!(a.start >= last_end, "sorted and disjoint");
                last_end = a.end;
                prop_assert!(a.distance <= k);
                prop_assert_eq!(levenshtein(&pattern, &text[a.start..a.end]), a.distance);
                prop_assert_eq!(naive_lev(&pattern, &text[a.start..a.end]), a.distance);
            }
        }

        #[test]
        fn prop_best_match_is_never_missed((pattern, text, k) in case(150, 40)) {
            let best = naive_min_distance(&pattern, &text);
            for found in [
                find_approx(&pattern, &text, k).unwrap(),
                find_approx_unfiltered(&pattern, &text, k).unwrap(),
            ] {
                let min = found.iter().map(|a| a.distance).min();
                if best <= k {
                    prop_assert_eq!(min, Some(best));
                } else {
                    prop_assert_eq!(min, None);
                }
            }
        }

        #[test]
        fn prop_filter_equals_unfiltered((pattern, text, k) in case(150, 40)) {
            let plain = find_approx_unfiltered(&pattern, &text, k).unwrap();
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Memmem), &plain);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Qgram), &plain);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Packed), &plain);
            prop_assert_eq!(&find_approx(&pattern, &text, k).unwrap(), &plain);
        }

        /// The text cut into slices, each searched with the
        /// `pattern.len() + k` bytes before it for the candidates of the
        /// ends it owns: selected together, they are `find_approx` of the
        /// whole text (what the one-shot `locate` does over the pieces of a
        /// view); and so are the candidates of the whole text.
        #[test]
        fn prop_candidates_of_slices_select_as_the_whole_text(
            (pattern, text, k) in prop_oneof![case(150, 40), selective_case()],
            cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..6),
        ) {
            let want = find_approx(&pattern, &text, k).unwrap();
            let all = approx_candidates(&pattern, &text, k, 0..text.len() + 1).unwrap();
            prop_assert_eq!(&select_approx(all), &want);
            let mut at: Vec<usize> = cuts.iter().map(|c| c.index(text.len() + 1)).collect();
            at.push(0);
            at.push(text.len());
            at.sort_unstable();
            at.dedup();
            let reach = pattern.len() + k;
            let mut got = Vec::new();
            for w in at.windows(2) {
                let (a, b) = (w[0], w[1]);
                let from = a.saturating_sub(reach);
                let part = approx_candidates(&pattern, &text[from..b], k, a - from + 1..b - from + 1).unwrap();
                got.extend(part.into_iter().map(|c| ApproxMatch { start: c.start + from, end: c.end + from, distance: c.distance }));
            }
            prop_assert_eq!(select_approx(got), want);
        }

        #[test]
        fn prop_filter_equals_unfiltered_selective((pattern, text, k) in selective_case()) {
            let plain = find_approx_unfiltered(&pattern, &text, k).unwrap();
            prop_assert_eq!(&find_approx(&pattern, &text, k).unwrap(), &plain);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Memmem), &plain);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Qgram), &plain);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Packed), &plain);
        }

        #[test]
        fn prop_filter_equals_unfiltered_on_normalized_prose(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "the ", "harbor ", "board ", "ferry ", "billed ", "by ", "over-\ntime ", "com-\nmission ",
                "\u{201C}never\u{201D} ", "board\u{2019}s ", "said.[^12] ", "\n\n", "\u{2014}", "a\u{2019}b ",
                "[Grand Jury] ", "weekend\n",
            ]), 20..120),
            at in any::<proptest::sample::Index>(),
            len in 24usize..90,
            edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..3), 0..14),
        ) {
            // What the fuzzy tier searches: a normalized text (hyphenation
            // joined, line breaks and curly quotes folded, footnote markers
            // and labels skipped) and a quote taken from it with a few edits.
            let text = words.concat();
            let skip: Vec<std::ops::Range<usize>> = ["[^12]", "[Grand Jury]"]
                .iter()
                .flat_map(|m| text.match_indices(m).map(|(i, x)| i..i + x.len()).collect::<Vec<_>>())
                .collect();
            let norm = crate::text::normalize::Normalized::new(
                &text,
                &crate::text::normalize::NormalizeOptions { fold_case: true, skip },
            );
            let hay = norm.as_str().as_bytes();
            prop_assume!(hay.len() > len);
            let start = at.index(hay.len() - len);
            let mut pattern = hay[start..start + len].to_vec();
            edit_copy(&mut pattern, &edits);
            let k = ((pattern.len() as f64) * 0.15).ceil() as usize;
            let plain = find_approx_unfiltered(&pattern, hay, k).unwrap();
            prop_assert_eq!(&find_approx(&pattern, hay, k).unwrap(), &plain);
            prop_assert_eq!(&find_forced(&pattern, hay, k, Pass::Packed), &plain);
            prop_assert_eq!(&find_forced(&pattern, hay, k, Pass::Memmem), &plain);
        }

        #[test]
        fn prop_levenshtein_matches_naive(
            a in proptest::collection::vec(0..4u8, 0..200),
            b in proptest::collection::vec(0..4u8, 0..200),
        ) {
            prop_assert_eq!(levenshtein(&a, &b), naive_lev(&a, &b));
        }
    }

    /// Every (end, distance) the scanner reports, for the search or the global DP.
    fn scan_all<const ANCHORED: bool>(pattern: &[u8], text: &[u8], k: usize) -> Vec<(usize, usize)> {
        let peq = Peq::new(pattern.iter().copied());
        let mut out = Vec::new();
        scan::<ANCHORED>(&peq, text.iter().copied(), k, |j, d| out.push((j, d)));
        out
    }

    /// Same, by plain DP (`ANCHORED`: row 0 is j instead of 0).
    fn dp_all(pattern: &[u8], text: &[u8], k: usize, anchored: bool) -> Vec<(usize, usize)> {
        let mut col: Vec<usize> = (0..=pattern.len()).collect();
        let mut out = Vec::new();
        for (j, &t) in text.iter().enumerate() {
            let mut next = vec![if anchored { j + 1 } else { 0 }; pattern.len() + 1];
            for (i, &p) in pattern.iter().enumerate() {
                next[i + 1] = (col[i] + usize::from(p != t)).min(col[i + 1] + 1).min(next[i] + 1);
            }
            col = next;
            if col[pattern.len()] <= k {
                out.push((j + 1, col[pattern.len()]));
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The bit-parallel scanners (one word, and blocks with the cut-off) report
        /// exactly the ends whose DP value is <= k, with that value.
        #[test]
        fn prop_scanner_equals_dp((pattern, text, k) in case(300, 120)) {
            prop_assert_eq!(scan_all::<false>(&pattern, &text, k), dp_all(&pattern, &text, k, false));
            prop_assert_eq!(scan_all::<true>(&pattern, &text, k), dp_all(&pattern, &text, k, true));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn prop_equals_brute_force_contract((pattern, text, k) in case(140, 25)) {
            let expected = reference(&pattern, &text, k);
            prop_assert_eq!(&find_approx_unfiltered(&pattern, &text, k).unwrap(), &expected);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Memmem), &expected);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Qgram), &expected);
            prop_assert_eq!(&find_forced(&pattern, &text, k, Pass::Packed), &expected);
        }
    }
}
