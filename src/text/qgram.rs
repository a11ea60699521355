//! A q-gram index of a text, built once, so that searching a pattern in it
//! costs what the pattern's q-grams occur, not a pass over the text.
//!
//! # Design
//!
//! **The index.** The text's q-grams (`q` bytes, `q <= 4`, packed big-endian
//! into a `u32`) are taken at every `step`-th offset (`0, step, 2 step, ...`;
//! `step = 1` takes them all) and their offsets are sorted into one array
//! by a counting sort on a hash of the q-gram (a table of bucket starts, one
//! bucket per 16 to 32 sampled offsets), then, inside each bucket, by q-gram
//! and offset. The offsets of one q-gram are thus one sorted slice, found by a
//! binary search of its bucket; building it is two passes over the text and
//! a sort of each (small) bucket.
//!
//! **Memory.** An offset takes 3 bytes when the text is at most
//! [`NARROW_MAX`] (16 MiB) long, 4 above (the searches are written once
//! over both forms, the `Offset` trait); the bucket starts take 4 bytes
//! every 16 buckets and 2 for each (4 for each when a group of 16 buckets
//! spans more than 65,535 offsets). So `3 / step` bytes per text byte for
//! the offsets plus about 0.1 to 0.2 for the starts (was `4 / step` plus 1:
//! 4-byte offsets, a 4-byte start per 4 to 8 offsets). The floor of an
//! index of every offset that can be read at any place (the cover test
//! gallops through lists) is `ceil(log2 n)` bits an offset: 19 bits for a
//! report volume's 0.5 MB view, 22 for a 3.5 MB text, so 3 bytes an offset
//! is within 2 to 5 bits of it; only a compressed form (deltas inside each
//! list) would go below, at the cost of reading lists from their start.
//! Measured on the report volumes' batch (PERFORMANCE.md): 3-byte offsets
//! cost the searches a few percent of instructions (the offset is put
//! together from 3 bytes at each read), one bucket per 16 to 32 offsets
//! rather than 4 to 8 about 1% more (longer binary searches of a bucket).
//!
//! **Approximate search: a counting filter (the q-gram lemma).** Let an
//! alignment of a pattern `P` (`m` bytes) with `text[s..e]` take at most `k`
//! edits (insertions, deletions, substitutions). Then `e - s >= m - k`, so the
//! alignment covers at least `floor((m - k - q + 1) / step)` sampled text
//! q-grams. An edit touches at most `q` consecutive q-gram offsets of the text
//! (a deletion `q - 1`), of which at most `ceil(q / step)` are sampled. Every
//! other sampled q-gram inside the alignment is copied unchanged from the
//! pattern: it equals `P[i..i + q]` for the pattern offset `i` the alignment
//! maps it to, and its *diagonal* `p + m - i` (where the pattern would start,
//! shifted by `m`) differs from `s + m` by at most `k` (the insertions minus the
//! deletions before it). So at least
//! `t = floor((m - k - q + 1) / step) - k * ceil(q / step)` hits (text offset,
//! pattern offset) of equal q-grams lie on diagonals within `[s + m - k, s + m + k]`.
//! The filter counts the hits of the pattern's q-grams in bands of `B >= 2k`
//! diagonals: the `2k + 1` diagonals of an alignment fall in two adjacent
//! bands, so a pair of adjacent bands `(c, c + 1)` holding fewer than `t` hits
//! holds no alignment whose first band is `c`, and every alignment has a first
//! band. The alignments whose first band is `c` start at `s` with
//! `c B + k <= s + m < (c + 1) B + k` and end before `s + m + k`: the pair's
//! window is `[c B + k - m, (c + 1) B + 2k)`. Each passing pair's window is
//! verified by the bit-parallel matcher ([`myers`]), and since every alignment
//! of at most `k` edits lies inside one window (once windows are merged), the
//! result is the one of the plain scan ([`myers::find_approx_unfiltered`]),
//! tie-breaks included: this is the argument [`myers`]' own filter rests on.
//!
//! **Where the hits lie: the cover test.** The count cannot tell a band pair
//! holding a copy of the pattern from one where a phrase the text repeats
//! (`the special counsel's office`: 25 hits on one diagonal) and a few chance
//! hits reach the threshold, and on report prose at the fuzzy tier's budget
//! (15% of the pattern, which lets the edits spoil 60% of its q-grams) most
//! pairs that pass are of that kind. So a passing pair is tested again, on
//! the *pattern's* side: an edit spoils at most `q` consecutive
//! pattern offsets (those of the q-grams holding the byte it substitutes or
//! deletes, or both bytes it inserts between), and every other pattern
//! q-gram is copied unchanged onto a diagonal of the pair's (only those of
//! an alignment whose first band is `c`: `[c B, (c + 1) B + 2k)`). The
//! pattern offsets with no hit on those diagonals must therefore be covered
//! by at most `k` runs of `q` offsets; the greedy cover (a run from each
//! first offset not yet covered) takes the fewest runs, so a pair needing
//! more holds no alignment (lossless), and the test stops at the
//! `k + 1`-th run. Each offset it visits costs a binary search of its
//! q-gram's offsets. A repeated phrase covers its own 25 offsets and leaves
//! some 30 runs to cover in a 150-byte piece with 23 edits allowed: on the
//! bench's quotes, 14,394 windows of pieces checked by the matcher became
//! 111, with the same alignments found. Only with every offset indexed
//! (`step = 1`: a sampled index misses copied q-grams). The offsets at
//! `0, q, 2q, ...` are looked at first: a run holds one of them, so more than
//! `k` of them without a hit already need more than `k` runs, found in
//! fewer lookups than the cover (which walks a repeated phrase offset by
//! offset). The pairs are tested in increasing order, so each offset's
//! place in its list is found by galloping on from the last one.
//!
//! **The count, sampled.** The same argument makes a cheaper count: a run
//! of `q` spoiled offsets holds exactly one of the offsets `0, q, 2q, ...`,
//! so an alignment with at most `k` edits has a hit on its diagonals for
//! all of those `floor((m - q) / q) + 1` offsets but `k` at most. With every
//! text offset indexed, the count reads only their hits against that
//! threshold (less the offsets of the frequent q-grams left out, as above):
//! the share of the offsets the lemma asks (`1 - kq / (m - q + 1)`,
//! nearly), for a quarter of the hits to count, and a repeated phrase (6
//! such offsets of 37 where 14 are asked) no longer reaches it. On the
//! bench's first 20 articles this took the batch from 709 M to 544 M
//! instructions; the lemma's count stays for a sampled index.
//!
//! The pigeonhole filter below applies the same test to each hit that
//! would open a window: an alignment that keeps a piece intact on a hit at
//! diagonal `d` starts at `s` with `s + m` within `k` of `d`, so its copied
//! q-grams lie on diagonals within `2k` of `d`.
//!
//! The filter is **lossless** whatever it counts in excess: a q-gram that
//! occurs at several pattern offsets counts a hit at each (more hits, never
//! fewer), and a q-gram too frequent in the text to be worth fetching is left
//! out while the threshold is lowered by the number of pattern offsets it
//! stands at (each left-out offset loses at most one counted hit of an
//! alignment, since an alignment maps distinct text q-grams to distinct
//! pattern offsets). When the threshold would fall to zero (a short pattern
//! with a large `k`, few sampled q-grams), or the hits would cost more than a
//! pass, the search falls back to [`myers::find_approx`], with the same result.
//!
//! **Exact search.** A pattern's occurrence at `c` holds, at one of any `step`
//! consecutive pattern offsets `o`, a sampled q-gram at `c + o`: the slices of
//! the `step` consecutive q-grams with the fewest offsets give every candidate,
//! each compared in place. The occurrences are returned as a left-to-right
//! non-overlapping search returns them (`memchr::memmem::find_iter`).
//!
//! **Cost.** A search fetches the slices of the pattern's q-grams (minus the
//! skipped ones) and counts each hit once per pattern offset of its q-gram
//! into an array of `(n + m) / B` counters; the cover test costs at most a
//! binary search per pattern offset of each passing pair; the verification
//! scans only the windows left, `O((B + m + 2k) * ceil(k / 64))` words each.
//! For a quote of 100 bytes with 15 edits allowed in 1 MB of prose this is
//! tens of thousands of hits and a few windows, against a pass of the whole
//! text.
//!
//! Offsets are byte offsets; the index knows nothing of UTF-8 (callers
//! snap to character boundaries).

use std::ops::Range;

use super::myers::{self, ApproxMatch};
use crate::{Error, Result};

/// How an index samples its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexParams {
    /// Bytes per q-gram, 1 to 4.
    pub q: usize,
    /// Every `step`-th offset's q-gram is indexed (1: all of them).
    pub step: usize,
}

impl Default for IndexParams {
    /// Every 4-gram.
    fn default() -> IndexParams {
        IndexParams { q: 4, step: 1 }
    }
}

/// How [`QgramIndex::find_approx`] trades the q-grams it fetches against the
/// windows it verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FilterParams {
    /// A q-gram with more offsets than this share of the sampled offsets
    /// (`count / skip_share`) is left out, lowering the threshold...
    pub skip_share: usize,
    /// ...as long as the threshold stays at least this share of what it was
    /// (in percent) and at least 1.
    pub keep_percent: usize,
    /// Fall back to the scan when the hits to count exceed this share of the
    /// text (`n / hit_share`).
    pub hit_share: usize,
    /// Least lemma threshold of a piece (see [`QgramIndex::windows`]).
    pub piece_threshold: usize,
    /// Whether a pair of bands that passes the count must also pass the
    /// cover test ([`QgramIndex::covered`]) before its window is checked.
    pub cover: bool,
}

thread_local! {
    /// The counters of [`QgramIndex::passing_pairs`], one per band of
    /// diagonals, all zero between searches (a search resets what it
    /// touched), so a search does not clear an array as long as the text.
    static COUNTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Most runs of `step` consecutive pattern offsets [`QgramIndex::find_exact`]
/// compares the q-grams' offset counts of (a list lookup each).
const EXACT_TRIES: usize = 24;

/// Least lemma threshold of a piece (see [`QgramIndex::windows`]). Below it
/// chance coincidences pass too many windows: a phrase the source repeats
/// often (`the special counsel's office`, 28 bytes) puts 25 hits of a piece
/// that holds it on one diagonal wherever it stands. A pattern no cut of which
/// reaches it goes to the pigeonhole filter instead
/// ([`QgramIndex::pigeonhole_windows`]). Chosen on the quotes of the first 20
/// distinct bench articles against a volume (8, 12, 16, 24, 32, 40 tried:
/// bytes verified, weighted by what a byte costs each check, least at 24).
const PIECE_THRESHOLD: usize = 24;

/// The filter settings of [`QgramIndex::find_approx`].
pub(crate) const DEFAULT_FILTER: FilterParams =
    FilterParams { skip_share: 512, keep_percent: 50, hit_share: 2, piece_threshold: PIECE_THRESHOLD, cover: true };

/// A q-gram index of one text (see the module docs). It holds offsets only:
/// every search takes the text again, which must be the one indexed.
#[derive(Clone)]
pub struct QgramIndex {
    params: IndexParams,
    /// `32 - log2(buckets)`.
    shift: u32,
    /// Bucket `b` holds `offsets[starts[b]..starts[b + 1]]`.
    starts: Starts,
    /// The sampled offsets, by bucket, then q-gram, then offset.
    offsets: Offsets,
    /// Length of the text indexed.
    len: usize,
}

/// The sampled offsets of an index, each in 3 bytes when the text indexed is
/// at most [`NARROW_MAX`] bytes long, in 4 otherwise.
#[derive(Clone, Debug)]
enum Offsets {
    Narrow(Vec<U24>),
    Wide(Vec<u32>),
}

impl Offsets {
    fn len(&self) -> usize {
        match self {
            Offsets::Narrow(v) => v.len(),
            Offsets::Wide(v) => v.len(),
        }
    }

    fn memory(&self) -> usize {
        match self {
            Offsets::Narrow(v) => v.capacity() * size_of::<U24>(),
            Offsets::Wide(v) => v.capacity() * size_of::<u32>(),
        }
    }
}

/// Buckets per group of [`Starts::Narrow`], as a power of 2.
const GROUP_SHIFT: u32 = 4;

/// Where each bucket of an index starts among its offsets (`buckets + 1`
/// entries, the last one the number of offsets): the start of every
/// `2^GROUP_SHIFT`-th bucket in 4 bytes and each bucket's distance from it
/// in 2 (2.25 bytes a bucket), unless a group spans more than `u16::MAX`
/// offsets (a q-gram as frequent as `the ` in a text of some 4 MB); then
/// each start in 4 bytes.
#[derive(Clone, Debug)]
enum Starts {
    Narrow { base: Vec<u32>, delta: Vec<u16> },
    Wide(Vec<u32>),
}

impl Starts {
    /// The two-level form of `starts` when its groups allow it.
    fn new(starts: Vec<u32>) -> Starts {
        let group = |b: usize| b >> GROUP_SHIFT << GROUP_SHIFT;
        let fits = starts.iter().enumerate().all(|(b, &x)| x - starts[group(b)] <= u32::from(u16::MAX));
        if !fits {
            return Starts::Wide(starts);
        }
        let base: Vec<u32> = starts.iter().copied().step_by(1 << GROUP_SHIFT).collect();
        let delta: Vec<u16> =
            starts.iter().enumerate().map(|(b, &x)| u16::try_from(x - starts[group(b)]).unwrap_or(0)).collect();
        Starts::Narrow { base, delta }
    }

    fn buckets(&self) -> usize {
        match self {
            Starts::Narrow { delta, .. } => delta.len().saturating_sub(1),
            Starts::Wide(v) => v.len().saturating_sub(1),
        }
    }

    fn memory(&self) -> usize {
        match self {
            Starts::Narrow { base, delta } => 4 * base.capacity() + 2 * delta.capacity(),
            Starts::Wide(v) => 4 * v.capacity(),
        }
    }

    /// The range of offsets of bucket `b`.
    #[inline]
    fn bucket(&self, b: usize) -> Option<(usize, usize)> {
        match self {
            Starts::Narrow { base, delta } => {
                let at = |b: usize| Some(*base.get(b >> GROUP_SHIFT)? as usize + *delta.get(b)? as usize);
                Some((at(b)?, at(b + 1)?))
            }
            Starts::Wide(v) => Some((*v.get(b)? as usize, *v.get(b + 1)? as usize)),
        }
    }
}

/// Longest text whose index stores its offsets in 3 bytes (16 MiB).
pub const NARROW_MAX: usize = 1 << 24;

/// An offset as an index stores it: the searches are written once over
/// both forms (`&[U24]` and `&[u32]` are the packed postings, with a
/// slice's `len`, `get`, `partition_point`, and [`gallop`]).
trait Offset: Copy + Send + Sync + 'static {
    /// Bytes per offset.
    const WIDTH: usize;
    /// `p`, which fits (below `2^(8 WIDTH)`).
    fn pack(p: u32) -> Self;
    /// The offset.
    fn at(self) -> usize;
}

impl Offset for u32 {
    const WIDTH: usize = 4;
    #[inline]
    fn pack(p: u32) -> u32 {
        p
    }
    #[inline]
    fn at(self) -> usize {
        self as usize
    }
}

/// An offset below 2^24 in 3 bytes, little-endian.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct U24([u8; 3]);

impl Offset for U24 {
    const WIDTH: usize = 3;
    #[inline]
    fn pack(p: u32) -> U24 {
        let [a, b, c, _] = p.to_le_bytes();
        U24([a, b, c])
    }
    #[inline]
    fn at(self) -> usize {
        let [a, b, c] = self.0;
        u32::from_le_bytes([a, b, c, 0]) as usize
    }
}

/// Runs `$body` with `$o` bound to the index's offsets as a slice of the
/// form they are stored in.
macro_rules! with_offsets {
    ($ix:expr, $o:ident => $body:expr) => {
        match &$ix.offsets {
            Offsets::Narrow($o) => $body,
            Offsets::Wide($o) => $body,
        }
    };
}

impl std::fmt::Debug for QgramIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QgramIndex")
            .field("params", &self.params)
            .field("buckets", &self.starts.buckets())
            .field("offsets", &self.offsets.len())
            .field("len", &self.len)
            .finish()
    }
}

/// Sampled offsets per bucket of an index, as a power of 2: a bucket holds
/// `2^BUCKET_SHIFT` to twice that many (16 to 32).
const BUCKET_SHIFT: u32 = 4;

/// The sampled offsets of an index of a text of `n` bytes, and the log2 of
/// its number of buckets (one per [`BUCKET_SHIFT`]).
fn layout(n: usize, params: IndexParams) -> (usize, u32) {
    let IndexParams { q, step } = params;
    let count = if n >= q && step > 0 { (n - q) / step + 1 } else { 0 };
    let bits = (usize::BITS - count.leading_zeros()).saturating_sub(BUCKET_SHIFT).clamp(4, 28);
    (count, bits)
}

/// The q-gram of `bytes` at `p` (`q` bytes, big-endian), 0-padded past the end.
#[inline]
fn gram(bytes: &[u8], p: usize, q: usize) -> u32 {
    if let Some(word) = bytes.get(p..p + 4).and_then(|w| <[u8; 4]>::try_from(w).ok()) {
        return u32::from_be_bytes(word) >> (8 * (4 - q));
    }
    let mut v = 0u32;
    for i in 0..q {
        v = (v << 8) | u32::from(bytes.get(p + i).copied().unwrap_or(0));
    }
    v
}

/// The cover test of the module docs for one pattern: whether the pattern
/// offsets whose q-gram has no offset on a range of diagonals fit in at most
/// `k` runs of `q` consecutive offsets. The ranges are asked in increasing
/// order, so each offset's place in its list only moves forward (found by
/// galloping from where the last range left it, not by a binary search of
/// the whole list).
struct Cover<'i, T> {
    q: usize,
    m: usize,
    /// The sorted offsets of the q-gram at each pattern offset.
    lists: Vec<&'i [T]>,
    /// Per pattern offset, how many of its list's offsets lie before the
    /// last range asked (before its diagonals).
    at: Vec<usize>,
    /// The start of the last range asked.
    last: usize,
}

impl<'i, T: Offset> Cover<'i, T> {
    /// `None` when the index samples its offsets (a copied q-gram may then
    /// stand at an offset not indexed) or the pattern is shorter than `q`.
    fn new(index: &QgramIndex, offs: &'i [T], text: &[u8], pattern: &[u8]) -> Option<Cover<'i, T>> {
        let IndexParams { q, step } = index.params;
        let m = pattern.len();
        if step != 1 || m < q {
            return None;
        }
        let lists: Vec<&[T]> = (0..=m - q).map(|o| index.list(offs, text, gram(pattern, o, q))).collect();
        Some(Cover::with_lists(q, m, lists))
    }

    /// With the lists of the q-grams at each pattern offset (`m - q + 1`
    /// of them) already fetched.
    fn with_lists(q: usize, m: usize, lists: Vec<&'i [T]>) -> Cover<'i, T> {
        let at = vec![0; lists.len()];
        Cover { q, m, lists, at, last: 0 }
    }

    /// Whether the offsets without a hit on the diagonals `[lo_d, hi_d)`
    /// (diagonal `p + m - o` for text offset `p`, pattern offset `o`) fit in
    /// at most `k` runs (the greedy cover, which takes the fewest runs: one
    /// from each first offset not yet covered); it stops at the `k + 1`-th.
    /// `lo_d` never below the last call's.
    ///
    /// A run holds one offset of each residue modulo `q`, so the offsets
    /// `0, q, 2q, ...` without a hit need as many runs: they are counted
    /// first, which turns most pairs down in fewer visits than the greedy
    /// cover (a repeated phrase is walked through offset by offset there).
    fn fits(&mut self, lo_d: usize, hi_d: usize, k: usize) -> bool {
        debug_assert!(lo_d >= self.last, "ranges asked out of order");
        self.last = lo_d;
        let mut missing = 0;
        for o in (0..self.lists.len()).step_by(self.q) {
            if !self.hit(o, lo_d, hi_d) {
                missing += 1;
                if missing > k {
                    return false;
                }
            }
        }
        let mut runs = 0;
        let mut o = 0;
        while o < self.lists.len() {
            if self.hit(o, lo_d, hi_d) {
                o += 1;
            } else {
                runs += 1;
                if runs > k {
                    return false;
                }
                o += self.q;
            }
        }
        true
    }

    /// Whether the q-gram at pattern offset `o` has an offset on the
    /// diagonals `[lo_d, hi_d)`.
    #[inline]
    fn hit(&mut self, o: usize, lo_d: usize, hi_d: usize) -> bool {
        let (Some(list), Some(at)) = (self.lists.get(o), self.at.get_mut(o)) else { return false };
        let lo = (lo_d + o).saturating_sub(self.m);
        let hi = (hi_d + o).saturating_sub(self.m);
        *at = gallop(list, *at, lo);
        list.get(*at).is_some_and(|p| p.at() < hi)
    }
}

/// The first index at or after `from` of sorted `list` whose offset is at
/// least `lo`, those before `from` being below it: galloping (1, 2, 4, ...
/// entries ahead) then a binary search of the last stride.
#[inline]
fn gallop<T: Offset>(list: &[T], from: usize, lo: usize) -> usize {
    let rest = list.get(from..).unwrap_or(&[]);
    let mut bound = 1;
    while bound <= rest.len() && rest.get(bound - 1).is_some_and(|p| p.at() < lo) {
        bound *= 2;
    }
    let (a, b) = (bound / 2, bound.min(rest.len()));
    from + a + rest.get(a..b).unwrap_or(&[]).partition_point(|p| p.at() < lo)
}

/// The offsets of an index: each sampled offset (`j * step` for the `j`-th
/// key) put in its bucket (by `hash` of its key, `starts` as counted), then
/// sorted by q-gram and offset inside each bucket that mixes q-grams out of
/// order (a bucket is filled in text order).
fn fill_offsets<T: Offset>(keys: &[u32], starts: &[u32], step: usize, hash: impl Fn(u32) -> usize) -> Vec<T> {
    let buckets = starts.len().saturating_sub(1);
    let mut fill: Vec<u32> = starts.get(..buckets).unwrap_or(&[]).to_vec();
    let mut offsets = vec![T::pack(0); keys.len()];
    for (j, &v) in keys.iter().enumerate() {
        if let Some(at) = fill.get_mut(hash(v)) {
            if let Some(slot) = offsets.get_mut(*at as usize) {
                // j * step < n <= u32::MAX (checked by the caller), and below
                // 2^24 for 3-byte offsets.
                *slot = T::pack((j * step) as u32);
            }
            *at += 1;
        }
    }
    drop(fill);
    let key = |p: T| keys.get(p.at() / step).copied().unwrap_or(0);
    // Each bucket to sort is sorted as (q-gram, offset) pairs packed in a
    // `u64`, the fastest sort there is for them.
    let mut scratch: Vec<u64> = Vec::new();
    for b in 0..buckets {
        let Some(slice) = offsets.get_mut(starts[b] as usize..starts[b + 1] as usize) else {
            continue;
        };
        if slice.len() > 1 && !slice.is_sorted_by_key(|&p| key(p)) {
            scratch.clear();
            scratch.extend(slice.iter().map(|&p| (u64::from(key(p)) << 32) | p.at() as u64));
            scratch.sort_unstable();
            for (slot, &x) in slice.iter_mut().zip(&scratch) {
                *slot = T::pack(x as u32);
            }
        }
    }
    offsets
}

impl QgramIndex {
    /// Indexes `text` with the default parameters (every 4-gram).
    ///
    /// ```
    /// use claimledger::text::qgram::QgramIndex;
    /// # fn main() -> claimledger::Result<()> {
    /// let text = b"the ferry contractor billed the weekend overtime to the board";
    /// let index = QgramIndex::new(text)?;
    /// assert_eq!(index.find_exact(text, b"the ").as_deref(), Some(&[0, 28, 52][..]));
    /// let found = index.find_approx(text, b"weekend overtme", 2)?;
    /// assert_eq!((found[0].start, found[0].distance), (32, 1));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`QgramIndex::with_params`].
    pub fn new(text: &[u8]) -> Result<QgramIndex> {
        QgramIndex::with_params(text, IndexParams::default())
    }

    /// Indexes `text` with `params`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `q` is not 1 to 4 or `step` is 0;
    /// [`Error::TooLarge`] for a text of 4 GiB or more (offsets are `u32`).
    pub fn with_params(text: &[u8], params: IndexParams) -> Result<QgramIndex> {
        QgramIndex::build(text, params, text.len() > NARROW_MAX)
    }

    /// [`QgramIndex::with_params`], with 4-byte offsets when `wide` (else
    /// as the text's length says).
    fn build(text: &[u8], params: IndexParams, wide: bool) -> Result<QgramIndex> {
        let IndexParams { q, step } = params;
        if !(1..=4).contains(&q) || step == 0 {
            return Err(Error::InvalidInput {
                field: "params".to_owned(),
                reason: format!("q must be 1 to 4 and step at least 1 (q = {q}, step = {step})"),
            });
        }
        let n = text.len();
        if u32::try_from(n).is_err() {
            return Err(Error::TooLarge { what: "indexed text", len: n, max: u32::MAX as usize });
        }
        let (count, bits) = layout(n, params);
        let buckets = 1usize << bits;
        let shift = 32 - bits;
        let hash = |v: u32| (v.wrapping_mul(0x9E37_79B1) >> shift) as usize;
        // The q-gram of each sampled offset, read once.
        let keys: Vec<u32> = (0..count).map(|j| gram(text, j * step, q)).collect();
        let mut starts = vec![0u32; buckets + 1];
        for &v in &keys {
            if let Some(c) = starts.get_mut(hash(v) + 1) {
                *c += 1;
            }
        }
        for b in 0..buckets {
            starts[b + 1] += starts[b];
        }
        let offsets = if wide || n > NARROW_MAX {
            Offsets::Wide(fill_offsets(&keys, &starts, step, hash))
        } else {
            Offsets::Narrow(fill_offsets(&keys, &starts, step, hash))
        };
        drop(keys);
        Ok(QgramIndex { params, shift, starts: Starts::new(starts), offsets, len: n })
    }

    /// The parameters it was built with.
    pub fn params(&self) -> IndexParams {
        self.params
    }

    /// Bytes it holds (offsets and bucket starts).
    pub fn memory(&self) -> usize {
        self.starts.memory() + self.offsets.memory()
    }

    /// Bytes the index of a text of `len` bytes holds with `params`, at
    /// most (its bucket starts take less when its q-grams allow:
    /// [`QgramIndex::memory`] gives what it holds once built), without
    /// building it.
    pub fn memory_for(len: usize, params: IndexParams) -> usize {
        let (count, bits) = layout(len, params);
        let width = if len > NARROW_MAX { u32::WIDTH } else { U24::WIDTH };
        4 * ((1usize << bits) + 1) + width * count
    }

    /// The sorted sampled offsets of the q-gram `v` (packed as [`gram`] packs)
    /// among `offs` (this index's offsets).
    fn list<'o, T: Offset>(&self, offs: &'o [T], text: &[u8], v: u32) -> &'o [T] {
        let q = self.params.q;
        let b = (v.wrapping_mul(0x9E37_79B1) >> self.shift) as usize;
        let Some((lo, hi)) = self.starts.bucket(b) else {
            return &[];
        };
        let bucket = offs.get(lo..hi).unwrap_or(&[]);
        let first = bucket.partition_point(|p| gram(text, p.at(), q) < v);
        let rest = bucket.get(first..).unwrap_or(&[]);
        let len = rest.partition_point(|p| gram(text, p.at(), q) == v);
        rest.get(..len).unwrap_or(&[])
    }

    /// Every occurrence of `pattern` in `text` (the text indexed), leftmost
    /// first and not overlapping, as `memchr::memmem::find_iter` gives them.
    /// `None` when the index cannot answer: a pattern shorter than
    /// `q + step - 1` bytes, or a text of another length than the one indexed
    /// (search the text instead).
    pub fn find_exact(&self, text: &[u8], pattern: &[u8]) -> Option<Vec<usize>> {
        with_offsets!(self, o => self.find_exact_in(o, text, pattern))
    }

    fn find_exact_in<T: Offset>(&self, offs: &[T], text: &[u8], pattern: &[u8]) -> Option<Vec<usize>> {
        let IndexParams { q, step } = self.params;
        let m = pattern.len();
        if text.len() != self.len || m < q + step - 1 || m == 0 {
            return None;
        }
        let n = text.len();
        if m > n {
            return Some(Vec::new());
        }
        // Of some `step` consecutive pattern offsets (one of them is sampled
        // in any occurrence), those whose q-grams have the fewest offsets in
        // all: every run of `step` offsets is looked at in a short pattern,
        // [`EXACT_TRIES`] runs spread over a long one (any run gives every
        // occurrence; the choice only decides how many are compared).
        let mut lists: Vec<Option<&[T]>> = vec![None; m - q + 1];
        let mut list_at = |o: usize| -> &[T] {
            match lists.get_mut(o) {
                Some(Some(l)) => l,
                Some(slot) => slot.insert(self.list(offs, text, gram(pattern, o, q))),
                None => &[],
            }
        };
        let runs = m - q + 2 - step;
        let stride = runs.div_ceil(EXACT_TRIES).max(1);
        let mut best = (usize::MAX, 0usize);
        for j in (0..runs).step_by(stride) {
            let sum: usize = (j..j + step).map(|o| list_at(o).len()).sum();
            if sum < best.0 {
                best = (sum, j);
            }
        }
        let j = best.1;
        let mut found: Vec<usize> = Vec::new();
        for o in j..j + step {
            let list = list_at(o);
            for p in list.iter() {
                let Some(c) = p.at().checked_sub(o) else { continue };
                if text.get(c..c + m) == Some(pattern) {
                    found.push(c);
                }
            }
        }
        if step > 1 {
            found.sort_unstable();
        }
        let mut out = Vec::with_capacity(found.len());
        let mut next = 0;
        for c in found {
            if c >= next {
                out.push(c);
                next = c + m;
            }
        }
        Some(out)
    }

    /// [`myers::find_approx`] of `pattern` in `text` (the text indexed), with
    /// the same result, verifying only the windows the counting filter passes
    /// (see the module docs).
    ///
    /// # Errors
    /// As [`myers::find_approx`]; [`Error::InvalidInput`] when `text` is not
    /// as long as the text indexed.
    pub fn find_approx(&self, text: &[u8], pattern: &[u8], max_distance: usize) -> Result<Vec<ApproxMatch>> {
        self.find_approx_with(text, pattern, max_distance, DEFAULT_FILTER)
    }

    pub(crate) fn find_approx_with(
        &self,
        text: &[u8],
        pattern: &[u8],
        max_distance: usize,
        opts: FilterParams,
    ) -> Result<Vec<ApproxMatch>> {
        if text.len() != self.len {
            return Err(Error::InvalidInput {
                field: "text".to_owned(),
                reason: format!("{} bytes, the index was built on {}", text.len(), self.len),
            });
        }
        match self.windows(text, pattern, max_distance, opts) {
            Some(windows) => myers::find_in_windows(pattern, text, max_distance, &windows),
            None => myers::find_approx(pattern, text, max_distance),
        }
    }

    /// The windows of the counting filter (sorted, disjoint, not touching),
    /// each alignment of at most `k` edits inside one of them; `None` when
    /// the filter cannot pay off or cannot apply (then scan).
    ///
    /// A long pattern with a large `k` is cut into `r` pieces, each filtered
    /// with `floor(k / r)` edits: an alignment of the whole with at most `k`
    /// edits gives each piece the edits inside it, so some piece has at most
    /// `floor(k / r)` (else the pieces would hold `r (floor(k / r) + 1) > k`),
    /// and that piece's own alignment lies in a window of its filter. Its
    /// start is that of the whole plus the piece's offset, moved by at most
    /// `k` (the edits before it), which widens the piece's window into one for
    /// the whole pattern. Fewer edits per piece narrow the bands of diagonals
    /// counted, far more than the pieces' shorter length lowers their
    /// thresholds: `r` is the largest whose pieces keep a threshold of
    /// [`PIECE_THRESHOLD`].
    pub(crate) fn windows(
        &self,
        text: &[u8],
        pattern: &[u8],
        k: usize,
        opts: FilterParams,
    ) -> Option<Vec<(usize, usize)>> {
        with_offsets!(self, o => self.windows_in(o, text, pattern, k, opts))
    }

    fn windows_in<T: Offset>(
        &self,
        offs: &[T],
        text: &[u8],
        pattern: &[u8],
        k: usize,
        opts: FilterParams,
    ) -> Option<Vec<(usize, usize)>> {
        let m = pattern.len();
        let n = text.len();
        if m == 0 || k >= m || m > u32::MAX as usize / 2 {
            return None;
        }
        let Some(r) = self.pieces_for(m, k, opts.piece_threshold) else {
            return self.pigeonhole_windows_in(offs, text, pattern, k, opts);
        };
        let kj = k / r;
        let base = m / r;
        let extra = m % r;
        let mut windows: Vec<(usize, usize)> = Vec::new();
        let mut offset = 0;
        let mut hits = 0usize;
        for j in 0..r {
            let len = base + usize::from(j < extra);
            let piece = pattern.get(offset..offset + len)?;
            let (mut pairs, band) = self.passing_pairs_in(offs, text, piece, kj, opts, &mut hits)?;
            if opts.cover {
                self.covered_in(offs, text, piece, kj, band, &mut pairs);
            }
            // The piece's windows: its alignments whose first band is `c`
            // start in [c band + kj - len, (c + 1) band + kj - len) and end
            // before (c + 1) band + 2 kj.
            let mut piece_windows: Vec<(usize, usize)> = Vec::new();
            for c in pairs {
                let lo = (c * band + kj).saturating_sub(len);
                let hi = ((c + 1) * band + 2 * kj).min(n);
                match piece_windows.last_mut() {
                    Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                    _ if lo < hi => piece_windows.push((lo, hi)),
                    _ => {}
                }
            }
            // Only where the piece itself aligns with at most kj edits: an
            // alignment ending at `end` started in [end - len - kj, end - len + kj],
            // the whole pattern `offset` before it, give or take k.
            myers::ends_in_windows(piece, text, kj, &piece_windows, |end| {
                let lo = end.saturating_sub(len + kj + offset + k);
                let hi = (end + kj + 2 * k + m).saturating_sub(len + offset).min(n);
                if lo < hi {
                    match windows.last_mut() {
                        Some(last) if lo >= last.0 && lo <= last.1 => last.1 = last.1.max(hi),
                        _ => windows.push((lo, hi)),
                    }
                }
            });
            offset += len;
        }
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
        for (lo, hi) in windows {
            match merged.last_mut() {
                Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        Some(merged)
    }

    /// The windows of the pigeonhole filter, read from the index, for a
    /// pattern the lemma cannot filter well (short, or many edits for its
    /// length). An alignment with at most `k` edits leaves at least two of
    /// `k + 2` disjoint pieces of the pattern intact (an edit breaks at most
    /// one), and their hits stand within `k` diagonals of each other (the
    /// argument of [`myers`]' own filter): a hit opens the window
    /// `[p - o - k, p - o + m + k)` of its piece (offset `o`, text offset `p`)
    /// only when a hit of another piece lies within `k` diagonals before it.
    /// With pieces too short for that, `k + 1` pieces and a window at every
    /// hit. Where the pieces stand is free (any disjoint pieces keep the
    /// argument): they are placed where their leading q-grams have the fewest
    /// offsets. A hit opens its window only when it passes the cover test
    /// too (see the module docs; with `opts.cover`). `None` when the pieces
    /// would be shorter than `q` or the hits would cost more than a pass.
    #[cfg(test)]
    fn pigeonhole_windows(
        &self,
        text: &[u8],
        pattern: &[u8],
        k: usize,
        opts: FilterParams,
    ) -> Option<Vec<(usize, usize)>> {
        with_offsets!(self, o => self.pigeonhole_windows_in(o, text, pattern, k, opts))
    }

    fn pigeonhole_windows_in<T: Offset>(
        &self,
        offs: &[T],
        text: &[u8],
        pattern: &[u8],
        k: usize,
        opts: FilterParams,
    ) -> Option<Vec<(usize, usize)>> {
        let q = self.params.q;
        if self.params.step != 1 {
            return None;
        }
        let m = pattern.len();
        let n = text.len();
        let pairs = m / (k + 2) >= q;
        let count = k + 1 + usize::from(pairs);
        let len = m / count;
        if len < q {
            return None;
        }
        // cost[s]: offsets of the q-gram at pattern offset s.
        // The cover test needs the lists of every offset: fetched once for both.
        let fetched = if opts.cover { m - q } else { m - len };
        let lists: Vec<&[T]> = (0..=fetched).map(|s| self.list(offs, text, gram(pattern, s, q))).collect();
        // best[i][s]: least cost of pieces i.. with piece i at s or later.
        let mut best = vec![vec![usize::MAX; m + 2]; count + 1];
        best[count].fill(0);
        let here = |best: &[Vec<usize>], i: usize, s: usize| -> usize {
            if s + (count - i) * len > m {
                return usize::MAX;
            }
            best[i + 1][s + len].saturating_add(lists.get(s).map_or(usize::MAX, |l| l.len()))
        };
        for i in (0..count).rev() {
            for s in (0..=m).rev() {
                best[i][s] = here(&best, i, s).min(best[i][s + 1]);
            }
        }
        let total = best[0][0];
        if total == usize::MAX || total > n / opts.hit_share.max(1) + 64 {
            return None;
        }
        // (diagonal p + m - o, piece index) of every hit of every piece.
        let mut hits: Vec<(usize, usize)> = Vec::with_capacity(total);
        let mut s = 0;
        for i in 0..count {
            while s <= m && here(&best, i, s) != best[i][s] {
                s += 1;
            }
            let piece = pattern.get(s..s + len)?;
            for p in lists.get(s).copied().unwrap_or(&[]) {
                let p = p.at();
                if text.get(p..p + len) == Some(piece) {
                    hits.push((p + m - s, i));
                }
            }
            s += len;
        }
        hits.sort_unstable();
        // The cover test of each hit that opens a window (in increasing
        // order of diagonals): an alignment that keeps the piece intact on
        // the hit at diagonal `d` starts at `s` with `s + m` within `k` of
        // `d`, so its q-grams copied unchanged lie on diagonals within `2k`
        // of `d`.
        let mut cover = opts.cover.then(|| Cover::with_lists(q, m, lists.clone()));
        let mut windows: Vec<(usize, usize)> = Vec::new();
        let mut before: Option<usize> = None;
        for (x, &(d, i)) in hits.iter().enumerate() {
            let open = if pairs {
                // The nearest entry before it with another piece decides (the
                // entries in between are of its own piece).
                let prev = match x.checked_sub(1) {
                    Some(y) if hits[y].1 != i => Some(y),
                    _ => before,
                };
                before = prev;
                prev.is_some_and(|y| d - hits[y].0 <= k)
            } else {
                true
            };
            if open && cover.as_mut().is_none_or(|c| c.fits(d.saturating_sub(2 * k), d + 2 * k + 1, k)) {
                let lo = d.saturating_sub(m + k);
                let hi = (d + k).min(n);
                match windows.last_mut() {
                    Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                    _ if lo < hi => windows.push((lo, hi)),
                    _ => {}
                }
            }
        }
        Some(windows)
    }

    /// Keeps of `pairs` (pairs of adjacent bands of diagonals `(c, c + 1)`,
    /// `band` wide, in increasing order, as [`QgramIndex::passing_pairs`]
    /// gives them) those where the places of `pattern`'s q-grams leave room
    /// for an alignment with at most `k` edits whose first band is `c`: the
    /// cover test of the module docs ([`Cover`]). Every pair is kept when the
    /// index samples its offsets (`step > 1`).
    #[cfg(test)]
    fn covered(&self, text: &[u8], pattern: &[u8], k: usize, band: usize, pairs: &mut Vec<usize>) {
        with_offsets!(self, o => self.covered_in(o, text, pattern, k, band, pairs))
    }

    fn covered_in<T: Offset>(
        &self,
        offs: &[T],
        text: &[u8],
        pattern: &[u8],
        k: usize,
        band: usize,
        pairs: &mut Vec<usize>,
    ) {
        if pairs.is_empty() {
            return;
        }
        let Some(mut cover) = Cover::new(self, offs, text, pattern) else { return };
        // An alignment whose first band is `c` has its diagonals in
        // [c band, (c + 1) band + 2k).
        pairs.retain(|&c| cover.fits(c * band, (c + 1) * band + 2 * k, k));
    }

    /// The lemma's threshold for a pattern of `m` bytes and `k` edits.
    fn threshold(&self, m: usize, k: usize) -> usize {
        let IndexParams { q, step } = self.params;
        if k >= m || m - k < q {
            return 0;
        }
        ((m - k - q + 1) / step).saturating_sub(k * q.div_ceil(step))
    }

    /// How many pieces to cut a pattern of `m` bytes into for `k` edits: the
    /// most whose shortest piece keeps a threshold of `least` (at least 1)
    /// with its share of the edits; `None` when no cut does.
    fn pieces_for(&self, m: usize, k: usize, least: usize) -> Option<usize> {
        (1..=k + 1).rev().find(|&r| m / r > 0 && self.threshold(m / r, k / r) >= least.max(1))
    }

    /// The pairs of adjacent bands of diagonals `(c, c + 1)` of `pattern`'s
    /// hits that reach the lemma's threshold for `k` edits, in increasing
    /// order, and the band width; `hits` adds what was counted. `None` when
    /// the threshold is not positive or the hits would cost more than a pass.
    #[cfg(test)]
    fn passing_pairs(
        &self,
        text: &[u8],
        pattern: &[u8],
        k: usize,
        opts: FilterParams,
        hits: &mut usize,
    ) -> Option<(Vec<usize>, usize)> {
        with_offsets!(self, o => self.passing_pairs_in(o, text, pattern, k, opts, hits))
    }

    fn passing_pairs_in<T: Offset>(
        &self,
        offs: &[T],
        text: &[u8],
        pattern: &[u8],
        k: usize,
        opts: FilterParams,
        hits: &mut usize,
    ) -> Option<(Vec<usize>, usize)> {
        let q = self.params.q;
        let m = pattern.len();
        let n = text.len();
        if m < q {
            return None;
        }
        // With every text offset indexed, the count may read only the pattern
        // offsets `0, q, 2q, ...`: an edit spoils a run of at most `q`
        // consecutive offsets, which holds one of them, so an alignment with
        // at most `k` edits has a hit on its diagonals for all of them but
        // `k` at most (the argument of the cover test, which then follows).
        // The same share of the offsets as the lemma asks, for a quarter of
        // the hits to count.
        let sampled = opts.cover && self.params.step == 1;
        let t0 = if sampled { ((m - q) / q + 1).saturating_sub(k) } else { self.threshold(m, k) };
        if t0 == 0 {
            return None;
        }
        // The pattern's q-grams, each with its offsets in the pattern.
        let mut grams: Vec<(u32, usize)> =
            (0..=m - q).filter(|o| !sampled || o % q == 0).map(|o| (gram(pattern, o, q), o)).collect();
        grams.sort_unstable();
        let mut groups: Vec<(&[T], Range<usize>)> = Vec::new();
        let mut i = 0;
        while i < grams.len() {
            let v = grams[i].0;
            let j = i + grams[i..].partition_point(|g| g.0 == v);
            let list = self.list(offs, text, v);
            if !list.is_empty() {
                groups.push((list, i..j));
            }
            i = j;
        }
        // Leave out the most frequent q-grams while the threshold allows.
        groups.sort_unstable_by_key(|(list, r)| std::cmp::Reverse(list.len() * r.len()));
        let mut t = t0;
        let floor = (t0 * opts.keep_percent / 100).max(1);
        let long = self.offsets.len() / opts.skip_share.max(1);
        let mut skipped = 0;
        for (list, r) in &groups {
            if list.len() <= long || t.saturating_sub(r.len()) < floor {
                break;
            }
            t -= r.len();
            skipped += 1;
        }
        let kept = groups.get(skipped..).unwrap_or(&[]);
        *hits += kept.iter().map(|(list, r)| list.len() * r.len()).sum::<usize>();
        if *hits > n / opts.hit_share.max(1) + 64 {
            return None;
        }
        let band = (2 * k).max(8).next_power_of_two();
        let bshift = band.trailing_zeros();
        let bins = ((n + m) >> bshift) + 2;
        let t = u32::try_from(t).unwrap_or(u32::MAX);
        let mut pairs: Vec<usize> = Vec::new();
        COUNTS.with(|cell| {
            let mut guard = cell.borrow_mut();
            let count: &mut Vec<u32> = &mut guard;
            // Kept all zero between searches: only the touched bins are reset.
            if count.len() < bins {
                count.resize(bins, 0);
            }
            let mut touched: Vec<usize> = Vec::new();
            for (list, r) in kept {
                for &(_, o) in grams.get(r.clone()).unwrap_or(&[]) {
                    let add = m - o;
                    for p in list.iter() {
                        let b = (p.at() + add) >> bshift;
                        if let Some(c) = count.get_mut(b) {
                            if *c == 0 {
                                touched.push(b);
                            }
                            *c += 1;
                        }
                    }
                }
            }
            let at = |b: usize| count.get(b).copied().unwrap_or(0);
            for &b in &touched {
                if b > 0 && at(b - 1) + at(b) >= t {
                    pairs.push(b - 1);
                }
                if at(b) + at(b + 1) >= t {
                    pairs.push(b);
                }
            }
            for &b in &touched {
                if let Some(c) = count.get_mut(b) {
                    *c = 0;
                }
            }
            // A search of a much longer text than usual gives its memory back.
            if count.len() > 1 << 22 && bins < count.len() / 4 {
                *count = Vec::new();
            }
        });
        pairs.sort_unstable();
        pairs.dedup();
        Some((pairs, band))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::myers::{find_approx, find_approx_unfiltered};
    use proptest::prelude::*;

    const PROSE: &[u8] = b"the committee reviewed every invoice twice before the auditors arrived, \
and still the totals did not add up. in the spring of that year the harbour authority published a \
schedule of repairs for the northern pier, listing the contractors, the estimated costs and the dates \
on which each berth would close. the ferry contractor billed the weekend overtime to the board.";

    fn all_params() -> Vec<IndexParams> {
        let mut v = Vec::new();
        for q in 1..=4 {
            for step in 1..=4 {
                v.push(IndexParams { q, step });
            }
        }
        v
    }

    /// The offsets of q-gram `v` in `ix`, whatever their form.
    fn list_of(ix: &QgramIndex, text: &[u8], v: u32) -> Vec<u32> {
        with_offsets!(ix, o => ix.list(o, text, v).iter().map(|p| p.at() as u32).collect())
    }

    #[test]
    fn three_byte_offsets_hold_every_offset_below_2_to_the_24() {
        for p in [0u32, 1, 255, 256, 65_535, 65_536, 1 << 23, (1 << 24) - 1] {
            assert_eq!(U24::pack(p).at(), p as usize);
        }
        assert_eq!(size_of::<U24>(), 3);
        assert_eq!(size_of::<[U24; 5]>(), 15);
        // The form follows the text's length.
        for (len, width) in [(NARROW_MAX, 3), (NARROW_MAX + 1, 4)] {
            let (count, bits) = layout(len, IndexParams::default());
            assert_eq!(QgramIndex::memory_for(len, IndexParams::default()), 4 * ((1 << bits) + 1) + width * count);
        }
        let narrow = QgramIndex::new(PROSE).unwrap();
        assert!(matches!(narrow.offsets, Offsets::Narrow(_)));
        let wide = QgramIndex::build(PROSE, IndexParams::default(), true).unwrap();
        assert!(matches!(wide.offsets, Offsets::Wide(_)));
        assert_eq!(narrow.memory() + narrow.offsets.len(), wide.memory());
    }

    #[test]
    fn lists_hold_every_sampled_offset_once() {
        for params in all_params() {
            let ix = QgramIndex::with_params(PROSE, params).unwrap();
            let IndexParams { q, step } = params;
            let expected = (PROSE.len() - q) / step + 1;
            assert_eq!(ix.offsets.len(), expected);
            // Each sampled offset is in its q-gram's list.
            for p in (0..=PROSE.len() - q).step_by(step) {
                let list = list_of(&ix, PROSE, gram(PROSE, p, q));
                assert!(list.binary_search(&(p as u32)).is_ok(), "{params:?} offset {p}");
                assert!(list.iter().all(|&x| PROSE[x as usize..x as usize + q] == PROSE[p..p + q]));
                assert!(list.is_sorted());
            }
        }
    }

    #[test]
    fn memory_for_is_what_the_built_index_holds() {
        for params in all_params() {
            for len in [0, 1, 3, 4, 5, 17, 64, 100, 1000, PROSE.len()] {
                let text = PROSE.repeat(4);
                let text = &text[..len];
                let ix = QgramIndex::with_params(text, params).unwrap();
                let (count, bits) = layout(len, params);
                // A text this short has its bucket starts in two levels.
                let starts = 4 * (((1 << bits) >> GROUP_SHIFT) + 1) + 2 * ((1 << bits) + 1);
                assert_eq!(ix.memory(), starts + 3 * count, "{params:?}, {len} bytes");
                assert!(ix.memory() <= QgramIndex::memory_for(len, params), "{params:?}, {len} bytes");
            }
        }
    }

    #[test]
    fn bad_params_and_other_texts() {
        assert!(matches!(
            QgramIndex::with_params(PROSE, IndexParams { q: 5, step: 1 }),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            QgramIndex::with_params(PROSE, IndexParams { q: 4, step: 0 }),
            Err(Error::InvalidInput { .. })
        ));
        let ix = QgramIndex::new(PROSE).unwrap();
        assert_eq!(ix.find_exact(b"other text", b"text"), None);
        assert!(matches!(ix.find_approx(b"other text", b"text", 1), Err(Error::InvalidInput { .. })));
        assert_eq!(ix.find_exact(PROSE, b"the"), None, "shorter than q");
        let empty = QgramIndex::new(b"").unwrap();
        assert_eq!(empty.find_exact(b"", b"abcd"), Some(vec![]));
        assert_eq!(empty.find_approx(b"", b"abcd", 1).unwrap(), vec![]);
    }

    #[test]
    fn exact_equals_memmem() {
        let text = b"aaaaaaaaaa abab ababab the the. the".repeat(3);
        for params in all_params() {
            let ix = QgramIndex::with_params(&text, params).unwrap();
            for pat in [&b"aaaa"[..], b"aaa", b"abab", b"the ", b"the", b"ab ab", b"zzzz", b"aaaaaaaaaaa"] {
                let Some(found) = ix.find_exact(&text, pat) else {
                    assert!(pat.len() < params.q + params.step - 1);
                    continue;
                };
                let plain: Vec<usize> = memchr::memmem::find_iter(&text, pat).collect();
                assert_eq!(found, plain, "{params:?} {:?}", String::from_utf8_lossy(pat));
            }
        }
    }

    /// Filler: words of 2 to 9 random letters (a fixed linear congruential
    /// sequence), `len` bytes or a little more.
    fn filler(len: usize) -> Vec<u8> {
        let mut state = 13u64;
        let mut next = |below: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        let mut text = Vec::with_capacity(len + 16);
        while text.len() < len {
            for _ in 0..2 + next(8) {
                text.push(b'a' + next(26) as u8);
            }
            text.push(b' ');
        }
        text
    }

    #[test]
    fn filter_passes_an_edited_copy_and_little_else() {
        let mut text = filler(64 << 10);
        let pattern = b"the weekend overtime billed by the tugboat operator to the harbour board";
        let mut copy = pattern.to_vec();
        copy[10] = b'x';
        copy.remove(30);
        copy.insert(50, b'q');
        let at = text.len() / 2;
        text.splice(at..at, copy.iter().copied());
        let ix = QgramIndex::new(&text).unwrap();
        let k = 11;
        let windows = ix.windows(&text, pattern, k, DEFAULT_FILTER).expect("filter applies");
        let covered: usize = windows.iter().map(|(a, b)| b - a).sum();
        assert!(covered < text.len() / 10, "{covered} of {}", text.len());
        assert!(windows.iter().any(|&(a, b)| a <= at && at + copy.len() <= b));
        let found = ix.find_approx(&text, pattern, k).unwrap();
        assert_eq!(found, find_approx_unfiltered(pattern, &text, k).unwrap());
        assert!(found.iter().any(|f| f.start == at && f.distance == 3));
    }

    #[test]
    fn cover_test_drops_the_pairs_of_a_repeated_phrase() {
        // Filler with a phrase repeated every 1000 bytes, and one edited
        // copy of a long pattern that holds the phrase.
        let phrase = b"the special counsel's office said the president ";
        let mut text = Vec::new();
        for chunk in filler(96 << 10).chunks(1000) {
            text.extend_from_slice(chunk);
            text.extend_from_slice(phrase);
        }
        let pattern: &[u8] = b"investigators for the special counsel's office said the president knew the weekend \
overtime billed by the tugboat operator to the harbour board was never approved";
        let mut copy = pattern.to_vec();
        for at in [100, 70, 40, 12] {
            copy[at] = b'#';
        }
        let at = text.len() / 2;
        text.splice(at..at, copy.iter().copied());
        let ix = QgramIndex::new(&text).unwrap();
        let k = (pattern.len() * 15).div_ceil(100);
        let opts = DEFAULT_FILTER;
        assert_eq!(ix.pieces_for(pattern.len(), k, opts.piece_threshold), Some(1));
        // The lemma's count passes the pair of every copy of the phrase; the
        // cover test only the edited copy's, and so does the count of the
        // offsets `0, q, 2q, ...` alone.
        let lemma = FilterParams { cover: false, ..opts };
        let (mut pairs, band) = ix.passing_pairs(&text, pattern, k, lemma, &mut 0).expect("threshold positive");
        assert!(pairs.len() > 90, "{}", pairs.len());
        ix.covered(&text, pattern, k, band, &mut pairs);
        let copy_band = (at + pattern.len()) / band;
        let near_copy =
            |pairs: &[usize]| !pairs.is_empty() && pairs.iter().all(|&c| c + 1 >= copy_band && c <= copy_band);
        assert!(near_copy(&pairs), "{pairs:?}");
        let (sampled, _) = ix.passing_pairs(&text, pattern, k, opts, &mut 0).expect("threshold positive");
        assert!(near_copy(&sampled), "{sampled:?}");
        let plain = find_approx_unfiltered(pattern, &text, k).unwrap();
        assert!(plain.iter().any(|f| f.start <= at + 12 && f.distance <= 4), "{plain:?}");
        for o in [opts, FilterParams { cover: false, ..opts }, DEFAULT_FILTER] {
            assert_eq!(ix.find_approx_with(&text, pattern, k, o).unwrap(), plain);
        }
    }

    #[test]
    fn gallop_finds_what_a_binary_search_finds() {
        let list: Vec<u32> = vec![1, 4, 4, 9, 16, 25, 36, 49, 64, 81, 100];
        let packed: Vec<U24> = list.iter().map(|&p| U24::pack(p)).collect();
        for lo in 0..110 {
            let want = list.partition_point(|&p| (p as usize) < lo);
            for from in 0..=want {
                assert_eq!(gallop(&list, from, lo), want, "from {from}, lo {lo}");
                assert_eq!(gallop(&packed, from, lo), want, "packed, from {from}, lo {lo}");
            }
        }
        assert_eq!(gallop::<u32>(&[], 0, 5), 0);
        assert_eq!(gallop::<U24>(&[], 0, 5), 0);
    }

    #[test]
    fn pigeonhole_windows_hold_the_copy_and_little_else() {
        let mut text = filler(64 << 10);
        let pattern = b"the weekend overtime billed by the tugboat";
        let mut copy = pattern.to_vec();
        copy[5] = b'x';
        copy.remove(20);
        let at = text.len() / 3;
        text.splice(at..at, copy.iter().copied());
        let ix = QgramIndex::new(&text).unwrap();
        let opts = FilterParams { piece_threshold: usize::MAX, ..DEFAULT_FILTER };
        let k = 7;
        let windows = ix.pigeonhole_windows(&text, pattern, k, opts).expect("pieces of 4 bytes");
        assert!(windows.iter().any(|&(a, b)| a <= at && at + copy.len() <= b), "{windows:?}");
        let covered: usize = windows.iter().map(|(a, b)| b - a).sum();
        assert!(covered < text.len() / 10, "{covered}");
        let found = ix.find_approx_with(&text, pattern, k, opts).unwrap();
        assert_eq!(found, find_approx_unfiltered(pattern, &text, k).unwrap());
        assert!(found.iter().any(|f| f.start == at && f.distance == 2));
        // Pieces shorter than q: no windows from it.
        assert_eq!(ix.pigeonhole_windows(&text, b"the weekend", 3, opts), None);
    }

    #[test]
    fn frequent_grams_are_left_out_and_the_result_stays() {
        // A text of one repeated phrase: its q-grams are all frequent.
        let mut text = b"the board of the port and the board of the pier ".repeat(200);
        let pattern = b"the harbour authority published a schedule of repairs";
        text.extend_from_slice(b"the harbour authority publshed a schedule of repair");
        let ix = QgramIndex::new(&text).unwrap();
        let opts = FilterParams { skip_share: 1 << 20, ..DEFAULT_FILTER };
        for o in [
            DEFAULT_FILTER,
            opts,
            FilterParams { skip_share: 1, keep_percent: 0, hit_share: 1, piece_threshold: 1, cover: true },
        ] {
            let found = ix.find_approx_with(&text, pattern, 8, o).unwrap();
            assert_eq!(found, find_approx_unfiltered(pattern, &text, 8).unwrap());
            assert_eq!(found.len(), 1);
        }
    }

    /// A text of filler and edited copies of the pattern, over a small
    /// alphabet (so q-grams repeat), as the matcher's own property tests.
    fn case() -> impl Strategy<Value = (Vec<u8>, Vec<u8>, usize)> {
        let alphabets: [&'static [u8]; 3] = [b"ab", b"abcd", b"abcdefghijklmnop"];
        (0..3usize, 1..=120usize)
            .prop_flat_map(move |(a, len)| {
                let alphabet = alphabets[a];
                (
                    Just(alphabet),
                    proptest::collection::vec(0..alphabet.len() as u8, len),
                    0..len,
                    proptest::collection::vec(
                        (
                            proptest::collection::vec(0..alphabet.len() as u8, 0..200),
                            proptest::option::of(proptest::collection::vec(
                                (any::<proptest::sample::Index>(), 0u8..3, 0..alphabet.len() as u8),
                                0..12,
                            )),
                        ),
                        0..5,
                    ),
                )
            })
            .prop_map(|(alphabet, pat, k, parts)| {
                let pattern: Vec<u8> = pat.iter().map(|&x| alphabet[x as usize]).collect();
                let mut text = Vec::new();
                for (filler, edits) in parts {
                    text.extend(filler.iter().map(|&x| alphabet[x as usize]));
                    if let Some(edits) = edits {
                        let mut copy = pattern.clone();
                        for (at, op, ch) in edits {
                            let ch = alphabet[ch as usize];
                            match op {
                                0 if !copy.is_empty() => {
                                    let i = at.index(copy.len());
                                    copy[i] = ch;
                                }
                                1 => copy.insert(at.index(copy.len() + 1), ch),
                                _ if !copy.is_empty() => {
                                    copy.remove(at.index(copy.len()));
                                }
                                _ => {}
                            }
                        }
                        text.extend_from_slice(&copy);
                    }
                }
                (pattern, text, k)
            })
    }

    /// Settings that force the filter wherever it applies: nothing left out,
    /// or as much as the threshold allows, and never a fallback for hits;
    /// each with the cover test and without it.
    const FORCED: [FilterParams; 10] = [
        FilterParams { skip_share: usize::MAX, keep_percent: 100, hit_share: 1, piece_threshold: 1, cover: true },
        FilterParams { skip_share: usize::MAX, keep_percent: 100, hit_share: 1, piece_threshold: 1, cover: false },
        // No cut reaches it: the pigeonhole filter wherever its pieces fit.
        FilterParams {
            skip_share: usize::MAX,
            keep_percent: 100,
            hit_share: 1,
            piece_threshold: usize::MAX,
            cover: true,
        },
        FilterParams {
            skip_share: usize::MAX,
            keep_percent: 100,
            hit_share: 1,
            piece_threshold: usize::MAX,
            cover: false,
        },
        FilterParams { skip_share: 1, keep_percent: 0, hit_share: 1, piece_threshold: 1, cover: true },
        FilterParams { skip_share: 1, keep_percent: 0, hit_share: 1, piece_threshold: 1, cover: false },
        FilterParams { skip_share: 1, keep_percent: 0, hit_share: 1, piece_threshold: 3, cover: true },
        FilterParams { skip_share: 1, keep_percent: 0, hit_share: 1, piece_threshold: 3, cover: false },
        DEFAULT_FILTER,
        FilterParams { cover: false, ..DEFAULT_FILTER },
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The indexed search equals the scan, for every q and step, with the
        /// budget anywhere from exact to one below the pattern's length.
        #[test]
        fn prop_indexed_equals_scan((pattern, text, k) in case(), q in 1usize..=4, step in 1usize..=4) {
            let ix = QgramIndex::with_params(&text, IndexParams { q, step }).unwrap();
            let plain = find_approx_unfiltered(&pattern, &text, k).unwrap();
            for opts in FORCED {
                let huge = FilterParams { hit_share: usize::MAX, ..opts };
                prop_assert_eq!(&ix.find_approx_with(&text, &pattern, k, opts).unwrap(), &plain);
                prop_assert_eq!(&ix.find_approx_with(&text, &pattern, k, huge).unwrap(), &plain);
            }
            prop_assert_eq!(&find_approx(&pattern, &text, k).unwrap(), &plain);
            if let Some(found) = ix.find_exact(&text, &pattern) {
                let expected: Vec<usize> = memchr::memmem::find_iter(&text, &pattern).collect();
                prop_assert_eq!(found, expected);
            }
        }

        /// The packed offsets (3 bytes) give every list, every search and
        /// every filter's windows as the 4-byte ones do, and the scan's result.
        #[test]
        fn prop_packed_offsets_equal_wide_ones((pattern, text, k) in case(), q in 1usize..=4, step in 1usize..=4) {
            let params = IndexParams { q, step };
            let narrow = QgramIndex::with_params(&text, params).unwrap();
            let wide = QgramIndex::build(&text, params, true).unwrap();
            prop_assert!(matches!(narrow.offsets, Offsets::Narrow(_)));
            prop_assert!(matches!(wide.offsets, Offsets::Wide(_)));
            for p in 0..text.len() {
                let v = gram(&text, p, q);
                prop_assert_eq!(list_of(&narrow, &text, v), list_of(&wide, &text, v));
            }
            for v in [0u32, 1, u32::MAX >> (8 * (4 - q))] {
                prop_assert_eq!(list_of(&narrow, &text, v), list_of(&wide, &text, v));
            }
            let plain = find_approx_unfiltered(&pattern, &text, k).unwrap();
            for opts in FORCED {
                prop_assert_eq!(narrow.windows(&text, &pattern, k, opts), wide.windows(&text, &pattern, k, opts));
                prop_assert_eq!(&narrow.find_approx_with(&text, &pattern, k, opts).unwrap(), &plain);
                prop_assert_eq!(&wide.find_approx_with(&text, &pattern, k, opts).unwrap(), &plain);
            }
            prop_assert_eq!(narrow.find_exact(&text, &pattern), wide.find_exact(&text, &pattern));
        }

        /// Where the lemma's threshold is positive the filter is used, and
        /// every window it passes lies in the text.
        #[test]
        fn prop_windows_are_sorted_and_inside((pattern, text, k) in case(), q in 1usize..=4) {
            let ix = QgramIndex::with_params(&text, IndexParams { q, step: 1 }).unwrap();
            if let Some(w) = ix.windows(&text, &pattern, k, FORCED[0]) {
                for pair in w.windows(2) {
                    prop_assert!(pair[0].1 < pair[1].0);
                }
                prop_assert!(w.iter().all(|&(a, b)| a < b && b <= text.len()));
            }
        }

        /// Quotes taken from prose with editors' edits, at the fuzzy tier's
        /// budget (15% of the length), against the default index.
        #[test]
        fn prop_prose_quotes_equal_scan(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "the ", "harbor ", "board ", "ferry ", "billed ", "by ", "overtime ", "commission ",
                "never ", "board's ", "said. ", "\n\n", "weekend ", "approved ", "in ", "writing ",
            ]), 20..300),
            at in any::<proptest::sample::Index>(),
            len in 12usize..200,
            edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..3), 0..30),
        ) {
            let text = words.concat().into_bytes();
            prop_assume!(text.len() > len);
            let start = at.index(text.len() - len);
            let mut pattern = text[start..start + len].to_vec();
            myers::edit_copy(&mut pattern, &edits);
            let k = ((pattern.len() as f64) * 0.15).ceil() as usize;
            prop_assume!(k < pattern.len());
            let ix = QgramIndex::new(&text).unwrap();
            let plain = find_approx_unfiltered(&pattern, &text, k).unwrap();
            prop_assert_eq!(&ix.find_approx(&text, &pattern, k).unwrap(), &plain);
            prop_assert_eq!(&ix.find_approx_with(&text, &pattern, k, FORCED[0]).unwrap(), &plain);
            for opts in &FORCED[1..] {
                prop_assert_eq!(&ix.find_approx_with(&text, &pattern, k, *opts).unwrap(), &plain);
            }
        }
    }
}
