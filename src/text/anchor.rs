//! Locate a quotation in one or many sources, in tiers, never silently.
//!
//! # Design
//!
//! A [`SourceText`] borrows a source and builds its case-folded [`Normalized`]
//! view once (skip ranges — footnote markers, redaction labels — dropped), so
//! each quote costs a substring search, not a normalization.
//!
//! [`anchor`] tries, over all sources, and stops at the first tier with a hit:
//! 1. [`Tier::Exact`]: `memchr::memmem` on the original text; hits overlapping a
//!    skip range are refused (a label is not the source's words).
//! 2. [`Tier::Normalized`]: `memmem` of the normalized quote on the normalized
//!    text (typography, whitespace, case, hyphenation, skip ranges ignored),
//!    mapped back with [`Normalized::to_original`].
//! 3. [`Tier::Fuzzy`]: [`myers::find_approx`] on the normalized text with
//!    `max_distance = min(ceil(0.15 × len), MAX_FUZZY_DISTANCE)`, only when the
//!    searched piece has at least [`MIN_FUZZY_LEN`] normalized bytes (and at most
//!    [`MAX_FUZZY_PATTERN`]); a hit is kept when `score = 1 - distance / len` is at
//!    least [`MIN_FUZZY_SCORE`].
//! 4. [`Tier::RedactionLabel`]: only when nothing above matched, the quote is
//!    compared (normalized, case-folded, brackets stripped; Levenshtein within the
//!    fuzzy budget for long names) with the labels given to
//!    [`SourceText::with_labels`]; a hit is the label's span.
//!
//! A quote is cut into pieces at ellipses (`…`, `...`, `. . .`) and bracketed
//! insertions (`[t]he`, `[the Special Counsel]`); `[sic]` is simply removed. The
//! longest piece is searched; the others must follow in order, each starting
//! within [`ELLIPSIS_GAP`] (or [`BRACKET_GAP`]) bytes of the previous one (in the
//! tier's coordinates); the span runs from the first piece to the last (and over
//! the word a glued bracket like `[t]he` stands in). A trailing `,` or `.` of the
//! quote is not searched (American punctuation inside the closing mark); the span
//! takes it in when the source has the same mark right there. A quote ending in
//! marks that close with a quote mark (a nested quotation, `do it.’`) takes in the
//! source's same marks after the span, any quote glyph for any other.
//!
//! Candidates whose edges cut a word (`find` inside `finding`) are dropped when
//! some candidate respects word boundaries. When several remain, fuzzy ones are
//! first ranked by score (a lead of [`FUZZY_SCORE_MARGIN`] decides), then the
//! [`Hint`] scores the contenders: `support = overlap + proximity`, where
//! overlap is the share of the context sentence's content words (3+ letters, not
//! stop words, not words of the quote) found within [`CONTEXT_WINDOW`] bytes
//! around the candidate, and proximity is `exp(-d / NEAR_SCALE)` for the nearest
//! `near` anchor in the same source (a place inside a footnote declared with
//! [`SourceText::with_footnotes`] also counts as standing at its marker). The
//! best is chosen only when its support leads the runner-up by
//! [`DECISION_MARGIN`] and is at least [`MIN_EVIDENCE`]; otherwise the outcome is
//! [`Outcome::Ambiguous`] (`best` is `None`) with the candidates, best first.
//! Beyond [`MAX_SCORED`] candidates no scoring is attempted (ambiguous).
//!
//! Within a tier every piece is searched in that tier (in the fuzzy tier the
//! other pieces are tried normalized, then fuzzily). Labels are a separate tier,
//! [`Tier::RedactionLabel`], so a caller can tell "the report says these words"
//! from "the report withheld something under this name".
//!
//! **The index.** A whole-text search of the normalized and fuzzy tiers can
//! read a q-gram index of the normalized view ([`super::qgram`]) instead of
//! passing over it: the fuzzy tier verifies only the windows its counting
//! filter passes, the normalized tier compares the quote where its rarest
//! q-gram stands. Results are the same as the passes' (the filter is
//! lossless); only the cost differs, so when to build it is a matter of cost
//! ([`IndexPolicy`]): a batch builds it on first use, a single process once
//! its fuzzy passes have cost what the build costs ([`IndexPolicy::Auto`]),
//! never for one quote searched once. A batch also indexes the original text
//! (every [`TEXT_INDEX_STEP`]-th offset, after [`TEXT_INDEX_AFTER`] passes)
//! for the exact tier, whose `memmem`
//! pass per quote and source was a tenth of a batch's work once the fuzzy
//! tier read the view's index: the index's exact search returns the
//! occurrences `memmem` returns, in the same order. A batch may bound what
//! its indexes take together ([`IndexBudget`]): an index that would not fit
//! is not built, and its searches pass over the text, with the same results.
//! [`SourceText::memory`] says what a source holds, by structure.
//!
//! **A quote searched once** (the one-shot `locate`, [`search_once`]) needs
//! no whole view of a long source: the normalized and fuzzy tiers take the
//! lead's hits from the view's pieces as they are built (no offset map), and
//! only the pieces around those hits are built again with their map to place
//! each hit ([`place_hit`], the code the whole search runs on each of its
//! hits). The lead's exact hits joined in the pieces' order are `memmem`'s
//! over the whole view; the fuzzy matcher's candidates of the ends each
//! window owns, selected together, are its matches over the whole view
//! ([`myers::approx_candidates`], [`myers::select_approx`]). So the
//! candidates, their order, scores and spans, and with them the tie-breaks,
//! are the whole search's (a property test cuts views at every allowed
//! place).
//!
//! Cost per quote (release, both report volumes, 1.1 MB): exact tier ≈ a
//! `memmem` pass (tens of GB/s), normalized tier ≈ 0.03 ms, fuzzy ≈ 2 ms; the
//! normalization itself (≈ 700 MB/s) is paid once per source.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use memchr::memmem;

use super::myers;
use super::normalize::{NormalizeOptions, Normalized, Pieces, Window};
use super::qgram::{IndexParams, QgramIndex};
use super::verify::{self, Verification};
use crate::{Error, Result};

/// Longest quote (or selector) accepted, in bytes.
pub const MAX_QUOTE: usize = 10_000;
/// Shortest normalized piece searched fuzzily, in bytes.
pub const MIN_FUZZY_LEN: usize = 12;
/// Fuzzy budget: distance allowed per byte of the piece.
pub const FUZZY_RATE: f64 = 0.15;
/// Cap of the fuzzy distance budget.
pub const MAX_FUZZY_DISTANCE: usize = 200;
/// Longest piece searched fuzzily (the matcher's documented cap), in bytes.
pub const MAX_FUZZY_PATTERN: usize = 4096;
/// Least score (`1 - distance / len`) of a kept fuzzy hit.
pub const MIN_FUZZY_SCORE: f64 = 0.85;
/// Largest source gap an ellipsis stands for, in bytes.
pub const ELLIPSIS_GAP: usize = 600;
/// Largest source gap a bracketed insertion stands for, in bytes.
pub const BRACKET_GAP: usize = 80;
/// Number of candidates listed in [`Anchored::candidates`].
pub const MAX_LISTED: usize = 20;
/// Past this many candidates, no hint scoring (outcome ambiguous).
pub const MAX_SCORED: usize = 5_000;
/// Bytes on each side of a candidate compared with the hint's context.
pub const CONTEXT_WINDOW: usize = 400;
/// Proximity decay length for `near` anchors, in bytes.
pub const NEAR_SCALE: f64 = 5_000.0;
/// Lead in hint support needed to pick one candidate.
pub const DECISION_MARGIN: f64 = 0.15;
/// Least hint support of a picked candidate.
pub const MIN_EVIDENCE: f64 = 0.2;
/// Lead in fuzzy score that decides without the hint.
pub const FUZZY_SCORE_MARGIN: f64 = 0.05;

/// How a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Byte-identical in the original text.
    Exact,
    /// Identical after normalization (typography, whitespace, case, skips).
    Normalized,
    /// Within the fuzzy edit budget of the normalized text.
    Fuzzy,
    /// The quote names a redaction label; the span is the label's.
    RedactionLabel,
}

/// A source text prepared for anchoring.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    text: &'a str,
    skip: Vec<Range<usize>>,
    /// The normalized view, built on first use: an exact-tier hit never needs
    /// it, and it is the largest part of preparing a source (one pass over the
    /// text and a copy of it). Built with `skip` (the ranges as given would
    /// snap, sort and merge to the same list).
    norm: OnceLock<Normalized>,
    /// Labels sorted by span, each naming its entry in `names`.
    labels: Vec<Label>,
    /// The distinct label names with their comparison keys ([`label_key`]): a
    /// source repeats a few names many times.
    names: Vec<(String, String)>,
    /// Footnote bodies and the offset of their marker, sorted by body start.
    footnotes: Vec<(Range<usize>, usize)>,
    /// Where exact searches of the whole text find their pattern, found for
    /// many patterns in one pass by [`SourceText::prefetch_exact`].
    known: KnownHits,
    /// The q-gram index of the normalized view, and when to build it.
    index: IndexSlot,
}

/// When a [`SourceText`] builds the q-gram index of its normalized view
/// ([`QgramIndex`]), which makes a whole-text search of the normalized and
/// fuzzy tiers cost what the quote's q-grams occur instead of a pass (same
/// results). Building it costs about five fuzzy passes (see [`INDEX_AFTER_SCANS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndexPolicy {
    /// Never: every search passes over the text.
    Never,
    /// Once [`INDEX_AFTER_SCANS`] whole-text fuzzy passes were made over the
    /// view: a source searched fuzzily a few times (one `locate`, an article
    /// with a few edited quotes) never pays for it, one searched many times
    /// (a quote crossing page breaks tried head by head, a long article)
    /// pays at most about twice what the cheaper choice would have.
    #[default]
    Auto,
    /// On the first whole-text search of the normalized view: many quotes
    /// against the same sources (a batch of articles). The exact tier's
    /// whole-text searches then also read an index of the original text,
    /// of every [`TEXT_INDEX_STEP`]-th offset, built once
    /// [`TEXT_INDEX_AFTER`] of them have passed over the text.
    Always,
}

/// Whole-text fuzzy passes after which [`IndexPolicy::Auto`] builds the
/// index. Measured on the corpus volumes (PERFORMANCE.md): building costs
/// about five passes of the fuzzy tier and a search through the index still
/// a fifth to a third of one, so the index pays for itself only in a source
/// searched fuzzily about eight times or more; after that many passes the
/// build at most doubles what the searches cost (the ski-rental rule).
pub const INDEX_AFTER_SCANS: usize = 8;

/// Offsets sampled by the index of the original text that the exact tier
/// reads under [`IndexPolicy::Always`]: every fourth one (about 0.8 bytes
/// per byte of the text), since its exact search needs only one of any
/// `step` consecutive offsets ([`QgramIndex::find_exact`]); the view's
/// index keeps every offset for the fuzzy tier's filters. Measured on the
/// 200 distinct articles of the batch bench (PERFORMANCE.md): against no
/// such index (a `memmem` pass per quote and source), every second offset
/// saves 24% of the batch's instructions, every fourth 0.5% less than that,
/// every eighth 2% less; the fourth keeps nearly all of it for half the
/// memory of the second. Exact hits cannot be read from the view's index
/// instead: the view folds case, rewrites typography and spacing and drops
/// markers and labels, so an occurrence there is not one in the text, and
/// taking the view's occurrences of the normalized pattern as candidates
/// would be complete only where normalization maps every occurrence of the
/// pattern to one of its normalized form, which its context-dependent rules
/// (spaces collapsed across a dropped marker) do not promise.
pub const TEXT_INDEX_STEP: usize = 4;

/// Whole-text exact searches (`memmem` passes) after which
/// [`IndexPolicy::Always`] builds the index of the original text: building
/// it costs about 35 M instructions for a report volume (0.55 MB), a pass
/// about 0.2 M, so it pays for itself after some 175 passes (the
/// ski-rental rule, as [`INDEX_AFTER_SCANS`]). A batch of 200 articles makes
/// thousands; a batch of a few distinct texts (most quotes answered by the
/// batch's memo) does not pay for it.
pub const TEXT_INDEX_AFTER: usize = 128;

/// The bytes a [`SourceText`] holds, by structure ([`SourceText::memory`]):
/// what it has built so far, besides the text it reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewMemory {
    /// The normalized view's text.
    pub view: usize,
    /// The view's offset map (runs, long units).
    pub offset_map: usize,
    /// Skip ranges, redaction labels and footnote links.
    pub marks: usize,
    /// The q-gram index of the view.
    pub view_index: usize,
    /// The q-gram index of the original text.
    pub text_index: usize,
    /// Exact hits found in bulk for many quotes at once and kept (a cache
    /// that grows with the quotes searched, not the source), about.
    pub exact_hits: usize,
}

/// Bytes the q-gram indexes of several [`SourceText`]s may still take,
/// shared by them ([`SourceText::with_index_budget`]): each index takes the
/// most it can hold ([`QgramIndex::memory_for`]) from it before it is built
/// and gives back what it does not hold once built, and is not built (its
/// searches pass over the text, with the same results) when that most
/// would not fit in what is left.
#[derive(Debug)]
pub struct IndexBudget(AtomicUsize);

impl IndexBudget {
    /// A budget of `bytes` (`usize::MAX`: no bound).
    pub fn new(bytes: usize) -> IndexBudget {
        IndexBudget(AtomicUsize::new(bytes))
    }

    /// The bytes left.
    pub fn left(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// Takes `bytes` when that many are left.
    fn take(&self, bytes: usize) -> bool {
        self.0.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(bytes)).is_ok()
    }

    /// Gives back `bytes` taken.
    fn give(&self, bytes: usize) {
        let _ = self.0.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| Some(left.saturating_add(bytes)));
    }
}

/// The index of a view, built once (by [`IndexPolicy`]); `None` inside when
/// it could not be built (a view of 4 GiB or more) or would not fit its
/// budget.
#[derive(Debug, Default)]
struct IndexSlot {
    policy: IndexPolicy,
    /// What the indexes may take (no bound when `None`).
    budget: Option<Arc<IndexBudget>>,
    built: OnceLock<Option<Arc<QgramIndex>>>,
    /// The index of the original text (only under [`IndexPolicy::Always`]).
    text: OnceLock<Option<Arc<QgramIndex>>>,
    /// Whole-text exact searches asked for the index of the original text.
    text_passes: AtomicUsize,
    /// After how many of them it is built ([`TEXT_INDEX_AFTER`] when `None`).
    text_after: Option<usize>,
    /// Bytes passed over by whole-text fuzzy searches without the index.
    scanned: AtomicUsize,
}

impl Clone for IndexSlot {
    fn clone(&self) -> Self {
        IndexSlot {
            policy: self.policy,
            budget: self.budget.clone(),
            built: self.built.clone(),
            text: self.text.clone(),
            text_passes: AtomicUsize::new(self.text_passes.load(Ordering::Relaxed)),
            text_after: self.text_after,
            scanned: AtomicUsize::new(self.scanned.load(Ordering::Relaxed)),
        }
    }
}

/// Patterns searched for in the whole text, each with its occurrences as a
/// whole-text exact search takes them: non-overlapping, in text order (what
/// `memmem::find_iter` yields), up to the `LEAD_LIMIT + 1`-th one that does
/// not overlap a skip range (where such a search stops).
#[derive(Debug, Default)]
struct KnownHits(Mutex<HashMap<String, Arc<[usize]>>>);

impl Clone for KnownHits {
    /// A copy starts with nothing known (it is only a cache).
    fn clone(&self) -> Self {
        KnownHits::default()
    }
}

/// Most hits a whole-text search of a quote's leading piece takes (then the
/// quote has more candidates than are scored, [`MAX_SCORED`]).
const LEAD_LIMIT: usize = MAX_SCORED * 4;
/// Fewest new patterns for which [`SourceText::prefetch_exact`] makes its one
/// pass. Measured on the corpus volumes (1.1 MB) with articles of real
/// quotations, a `memmem` pass per pattern costs less than the automaton up
/// to about 165 patterns (its prefilter skips most of the text); the one pass
/// wins when the patterns share their rare bytes (many quotes of one template,
/// where `memmem` stops at every near-miss) and grows with the source. 64
/// keeps typical articles (8 to 25 quotes) on `memmem`.
const PREFETCH_MIN: usize = 64;
/// Most patterns a view keeps the hits of; past it the cache starts over.
const KNOWN_MAX: usize = 100_000;
/// Most occurrences of one pattern [`SourceText::prefetch_exact`] collects.
const RAW_MAX: usize = 1 << 20;

#[derive(Debug, Clone)]
struct Label {
    range: Range<usize>,
    /// Index of its name in [`SourceText::names`].
    name: usize,
}

/// Comparison key of a label name or of a quote naming one: normalized, case
/// folded, without surrounding brackets or a final `,` / `.`.
fn label_key(s: &str) -> String {
    let n = fold(s);
    let n = n.trim().trim_end_matches([',', '.']).trim();
    n.trim_start_matches('[').trim_end_matches(']').trim().to_string()
}

fn fold(s: &str) -> String {
    Normalized::new(s, &NormalizeOptions { fold_case: true, skip: Vec::new() }).as_str().to_string()
}

impl<'a> SourceText<'a> {
    /// Prepares `text`; `skip` are byte ranges (footnote markers, redaction
    /// labels) that the normalized tiers read through. A text over 1 GiB is only
    /// normalized in its first 1 GiB (see [`SourceText::try_new`]).
    pub fn new(text: &'a str, skip: Vec<Range<usize>>) -> Self {
        Self::with_labels(text, skip, Vec::new())
    }

    /// Like [`SourceText::new`], refusing texts over 1 GiB.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `text` is longer than [`super::normalize::MAX_TEXT_LEN`].
    pub fn try_new(text: &'a str, skip: Vec<Range<usize>>) -> Result<Self> {
        if text.len() > super::normalize::MAX_TEXT_LEN {
            return Err(Error::TooLarge { what: "source text", len: text.len(), max: super::normalize::MAX_TEXT_LEN });
        }
        Ok(Self::new(text, skip))
    }

    /// Like [`SourceText::new`], with redaction labels: `(span in text, name)`.
    /// The label spans are added to the skip ranges; a quote that anchors nowhere
    /// in the text is matched against the names ([`Tier::RedactionLabel`]).
    pub fn with_labels(text: &'a str, skip: Vec<Range<usize>>, labels: Vec<(Range<usize>, String)>) -> Self {
        Self::with_label_names(text, skip, labels.iter().map(|(r, n)| (r.clone(), n.as_str())))
    }

    /// [`SourceText::with_labels`] with borrowed names: each distinct name is
    /// copied (and folded into its key) once, however often it recurs.
    pub(crate) fn with_label_names<'n>(
        text: &'a str,
        skip: Vec<Range<usize>>,
        labels: impl ExactSizeIterator<Item = (Range<usize>, &'n str)> + Clone,
    ) -> Self {
        let mut all = skip;
        all.reserve(labels.len());
        all.extend(labels.clone().map(|(r, _)| r));
        let skip = merge_ranges(text, all);
        let mut index: HashMap<&'n str, usize> = HashMap::new();
        let mut names: Vec<(String, String)> = Vec::new();
        let mut labels: Vec<Label> = labels
            .filter(|(r, _)| r.start < r.end && r.end <= text.len())
            .filter(|(r, _)| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
            .map(|(range, name)| {
                let name = *index.entry(name).or_insert_with(|| {
                    names.push((name.to_string(), label_key(name)));
                    names.len() - 1
                });
                Label { range, name }
            })
            .collect();
        // Stable: a list already in order (the usual case) is left as it is.
        if !labels.is_sorted_by_key(|l| (l.range.start, l.range.end)) {
            labels.sort_by_key(|l| (l.range.start, l.range.end));
        }
        SourceText {
            text,
            skip,
            norm: OnceLock::new(),
            labels,
            names,
            footnotes: Vec::new(),
            known: KnownHits::default(),
            index: IndexSlot::default(),
        }
    }

    /// Sets when the q-gram index of the normalized view is built (default
    /// [`IndexPolicy::Auto`]); results do not depend on it, only their cost.
    pub fn with_index(mut self, policy: IndexPolicy) -> Self {
        self.index.policy = policy;
        self
    }

    /// Builds its indexes only while they fit `budget`, shared with other
    /// sources (default: no bound); results do not depend on it, only their
    /// cost.
    pub fn with_index_budget(mut self, budget: Arc<IndexBudget>) -> Self {
        self.index.budget = Some(budget);
        self
    }

    /// Indexes `text` with `params` when its index fits the budget.
    fn build_index(&self, text: &str, params: IndexParams) -> Option<Arc<QgramIndex>> {
        let most = QgramIndex::memory_for(text.len(), params);
        let budget = self.index.budget.as_deref();
        if budget.is_some_and(|b| !b.take(most)) {
            return None;
        }
        let built = QgramIndex::with_params(text.as_bytes(), params).ok();
        if let Some(b) = budget {
            b.give(most.saturating_sub(built.as_ref().map_or(0, QgramIndex::memory)));
        }
        built.map(Arc::new)
    }

    /// Whether the q-gram index of the normalized view has been built.
    pub fn index_built(&self) -> bool {
        self.index.built.get().is_some_and(Option::is_some)
    }

    /// The index for a whole-text search of the normalized view: the one
    /// built, or built now when the policy says so (`fuzzy`: for the fuzzy
    /// tier, whose passes [`IndexPolicy::Auto`] counts).
    fn view_index(&self, fuzzy: bool) -> Option<&QgramIndex> {
        if let Some(built) = self.index.built.get() {
            return built.as_deref();
        }
        let build = match self.index.policy {
            IndexPolicy::Never => false,
            IndexPolicy::Always => true,
            IndexPolicy::Auto => {
                fuzzy
                    && self.index.scanned.load(Ordering::Relaxed)
                        >= INDEX_AFTER_SCANS.saturating_mul(self.normalized().len().max(1))
            }
        };
        if !build {
            return None;
        }
        self.index.built.get_or_init(|| self.build_index(self.normalized().as_str(), IndexParams::default())).as_deref()
    }

    /// The bytes it holds now, by structure (what it has built so far; the
    /// text itself is its owner's).
    pub fn memory(&self) -> ViewMemory {
        let (view, offset_map) = self.norm.get().map_or((0, 0), Normalized::heap_bytes);
        let index = |slot: &OnceLock<Option<Arc<QgramIndex>>>| {
            slot.get().and_then(Option::as_deref).map_or(0, QgramIndex::memory)
        };
        let marks = self.skip.capacity() * size_of::<Range<usize>>()
            + self.labels.capacity() * size_of::<Label>()
            + self.names.iter().map(|(a, b)| a.capacity() + b.capacity()).sum::<usize>()
            + self.names.capacity() * size_of::<(String, String)>()
            + self.footnotes.capacity() * size_of::<(Range<usize>, usize)>();
        let exact_hits = self.known.0.lock().map_or(0, |known| {
            known.iter().map(|(k, v)| k.capacity() + v.len() * size_of::<usize>() + 64).sum::<usize>()
        });
        ViewMemory {
            view,
            offset_map,
            marks,
            view_index: index(&self.index.built),
            text_index: index(&self.index.text),
            exact_hits,
        }
    }

    /// Sets after how many whole-text exact searches [`IndexPolicy::Always`]
    /// builds the index of the original text (tests: 0 builds it on the first).
    #[cfg(test)]
    fn with_text_index_after(mut self, passes: usize) -> Self {
        self.index.text_after = Some(passes);
        self
    }

    /// Whether the index of the original text has been built.
    #[cfg(test)]
    fn text_index_built(&self) -> bool {
        self.index.text.get().is_some_and(Option::is_some)
    }

    /// The index of the original text for a whole-text exact search: built
    /// under [`IndexPolicy::Always`] once [`TEXT_INDEX_AFTER`] such searches
    /// were asked for, never otherwise (a `memmem` pass costs a few
    /// hundredths of a build: only a batch searches a text often enough).
    fn text_index(&self) -> Option<&QgramIndex> {
        if self.index.policy != IndexPolicy::Always {
            return None;
        }
        if let Some(built) = self.index.text.get() {
            return built.as_deref();
        }
        let after = self.index.text_after.unwrap_or(TEXT_INDEX_AFTER);
        if self.index.text_passes.fetch_add(1, Ordering::Relaxed) < after {
            return None;
        }
        self.index
            .text
            .get_or_init(|| self.build_index(self.text, IndexParams { q: 4, step: TEXT_INDEX_STEP }))
            .as_deref()
    }

    /// Declares footnotes: `(span of the footnote's text, offset of its marker in
    /// the body)`. Hint scoring then treats a candidate (or a `near` anchor) inside
    /// a footnote as also standing at its marker: proximity is measured from
    /// either place and the context is compared around either place. Overlapping
    /// or out-of-range entries are ignored.
    pub fn with_footnotes(mut self, mut notes: Vec<(Range<usize>, usize)>) -> Self {
        notes.retain(|(r, m)| r.start < r.end && r.end <= self.text.len() && *m <= self.text.len());
        // Stable: a list already in order (the usual case) is left as it is.
        if !notes.is_sorted_by_key(|(r, _)| (r.start, r.end)) {
            notes.sort_by_key(|(r, _)| (r.start, r.end));
        }
        let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(notes.len());
        for n in notes {
            if kept.last().is_none_or(|l| l.0.end <= n.0.start) {
                kept.push(n);
            }
        }
        self.footnotes = kept;
        self
    }

    /// The marker offset of the footnote containing `offset`, if any.
    pub fn footnote_marker(&self, offset: usize) -> Option<usize> {
        let k = self.footnotes.partition_point(|(r, _)| r.end <= offset);
        self.footnotes.get(k).filter(|(r, _)| r.start <= offset).map(|&(_, m)| m)
    }

    /// The original text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The normalized (case-folded, skips dropped) view, built on first use and
    /// kept.
    pub fn normalized(&self) -> &Normalized {
        self.norm
            .get_or_init(|| Normalized::new(self.text, &NormalizeOptions { fold_case: true, skip: self.skip.clone() }))
    }

    /// The skip ranges (sorted, merged, on char boundaries; labels included).
    pub fn skip(&self) -> &[Range<usize>] {
        &self.skip
    }

    /// The redaction label whose span is exactly `range`, if any.
    pub fn label_at(&self, range: &Range<usize>) -> Option<&str> {
        self.labels
            .binary_search_by_key(&(range.start, range.end), |l| (l.range.start, l.range.end))
            .ok()
            .and_then(|k| self.names.get(self.labels[k].name))
            .map(|(name, _)| name.as_str())
    }

    /// The text of `range` with the skip ranges removed and the whitespace around
    /// each removal collapsed (what [`verify::verify`] should compare with). The
    /// range is clamped and snapped to char boundaries.
    pub fn clean_span(&self, range: Range<usize>) -> String {
        let (s, e) = snap(self.text, range);
        let mut out = String::with_capacity(e - s);
        let mut pos = s;
        let mut after_skip = false;
        let first = self.skip.partition_point(|r| r.end <= s);
        for r in self.skip.iter().skip(first) {
            if r.start >= e {
                break;
            }
            push_piece(&mut out, self.text.get(pos..r.start.max(pos)).unwrap_or(""), after_skip);
            pos = pos.max(r.end.min(e));
            after_skip = true;
        }
        push_piece(&mut out, self.text.get(pos..e).unwrap_or(""), after_skip);
        out
    }

    /// The text of `range` as verification reads it: each skip range inside it
    /// (a footnote marker, a redaction label) stands as one
    /// [`verify::OMITTED`] mark, so an ellipsis of the quote may stand for it.
    pub fn marked_span(&self, range: Range<usize>) -> String {
        let (s, e) = snap(self.text, range);
        let mut out = String::with_capacity(e - s + 8);
        let mut pos = s;
        let first = self.skip.partition_point(|r| r.end <= s);
        for r in self.skip.iter().skip(first) {
            if r.start >= e {
                break;
            }
            out.push_str(self.text.get(pos..r.start.max(pos)).unwrap_or(""));
            if !out.ends_with(verify::OMITTED) {
                out.push(verify::OMITTED);
            }
            pos = pos.max(r.end.min(e));
        }
        out.push_str(self.text.get(pos..e).unwrap_or(""));
        out
    }

    fn overlaps_skip(&self, r: &Range<usize>) -> bool {
        let k = self.skip.partition_point(|x| x.end <= r.start);
        self.skip.get(k).is_some_and(|x| x.start < r.end)
    }

    /// Finds where each of `patterns` stands in the whole text, all of them in
    /// one pass (Aho-Corasick), and keeps it: a later exact search of the whole
    /// text for one of them (the leading piece of a quote, see
    /// [`exact_lead`]) reads the hits kept instead of passing over the text
    /// again, with the same result. An article's quotes are searched for
    /// together this way, so what a quote costs does not grow with the source
    /// by a pass each. Does nothing for fewer than [`PREFETCH_MIN`] new
    /// patterns (a `memmem` pass each costs less then).
    pub(crate) fn prefetch_exact(&self, patterns: &[&str]) {
        self.prefetch_at_least(patterns, PREFETCH_MIN);
    }

    /// [`SourceText::prefetch_exact`] for `min` new patterns or more.
    fn prefetch_at_least(&self, patterns: &[&str], min: usize) {
        let mut new: Vec<&str> = {
            let Ok(known) = self.known.0.lock() else { return };
            patterns.iter().copied().filter(|p| !p.is_empty() && !known.contains_key(*p)).collect()
        };
        new.sort_unstable();
        new.dedup();
        if new.is_empty() || new.len() < min {
            return;
        }
        // A contiguous NFA: building a DFA costs more than its faster pass
        // saves for one pass over a text (measured: 100 quotes in 1 MB, 510k
        // instructions per hit with a DFA, 330k with this).
        let Ok(ac) =
            aho_corasick::AhoCorasick::builder().kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA)).build(&new)
        else {
            return;
        };
        // A pattern found too often to be worth keeping (a word, not a quote)
        // is left to its own search.
        let mut starts: Vec<Option<Vec<usize>>> = vec![Some(Vec::new()); new.len()];
        for m in ac.find_overlapping_iter(self.text) {
            if let Some(slot) = starts.get_mut(m.pattern().as_usize()) {
                match slot {
                    Some(v) if v.len() >= RAW_MAX => *slot = None,
                    Some(v) => v.push(m.start()),
                    None => {}
                }
            }
        }
        let Ok(mut known) = self.known.0.lock() else { return };
        if known.len() + new.len() > KNOWN_MAX {
            known.clear();
        }
        for (pat, all) in new.into_iter().zip(starts) {
            let Some(mut all) = all else { continue };
            all.sort_unstable();
            // Non-overlapping in text order, as `memmem::find_iter` takes them.
            let mut kept = Vec::new();
            let mut accepted = 0usize;
            let mut next = 0usize;
            for p in all {
                if p < next {
                    continue;
                }
                next = p + pat.len();
                kept.push(p);
                if !self.overlaps_skip(&(p..next)) {
                    accepted += 1;
                    if accepted > LEAD_LIMIT {
                        break;
                    }
                }
            }
            known.insert(pat.to_string(), kept.into());
        }
    }

    /// The hits kept for `pattern` by [`SourceText::prefetch_exact`].
    fn known_exact(&self, pattern: &str) -> Option<Arc<[usize]>> {
        self.known.0.lock().ok()?.get(pattern).cloned()
    }
}

fn push_piece(out: &mut String, piece: &str, after_skip: bool) {
    if after_skip && (out.is_empty() || out.ends_with(char::is_whitespace)) {
        out.push_str(piece.trim_start());
    } else {
        out.push_str(piece);
    }
}

fn snap(text: &str, r: Range<usize>) -> (usize, usize) {
    let mut s = r.start.min(text.len());
    let mut e = r.end.min(text.len()).max(s);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}

fn merge_ranges(text: &str, mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.retain(|r| r.start < r.end && r.start < text.len());
    let mut v: Vec<Range<usize>> = v
        .into_iter()
        .map(|r| {
            let (s, e) = snap(text, r);
            s..e
        })
        .collect();
    // Stable: a list already in order (the usual case) is left as it is.
    if !v.is_sorted_by_key(|r| (r.start, r.end)) {
        v.sort_by_key(|r| (r.start, r.end));
    }
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(l) if r.start <= l.end => l.end = l.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// What the caller knows about where a quote should be.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hint {
    /// The article sentence around the quote.
    pub context: Option<String>,
    /// Where the quote sits in `context` (byte range): context words close to it
    /// count more than words far from it, so the clause around the quote decides.
    pub focus: Option<Range<usize>>,
    /// Where neighbouring quotes anchored: (source index, byte offset).
    pub near: Vec<(usize, usize)>,
}

/// One place a quote may come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the source in the slice given.
    pub source: usize,
    /// Start byte in the source's original text.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// How it was found.
    pub tier: Tier,
    /// Edit distance (normalized bytes; 0 unless fuzzy or a fuzzy label match).
    pub distance: usize,
    /// 1.0 = identical; `1 - distance / len`.
    pub score: f64,
    /// Hint support (context overlap + proximity) when candidates were compared
    /// with the hint, else 0.
    pub support: f64,
}

/// The outcome of [`anchor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// One place chosen (`best`).
    Found,
    /// Several places and nothing decides: see `candidates`.
    Ambiguous,
    /// Nowhere.
    NotFound,
}

/// Result of anchoring one quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchored {
    /// Found, ambiguous or not found.
    pub outcome: Outcome,
    /// The chosen candidate (only when `Found`).
    pub best: Option<Candidate>,
    /// The candidates of the winning tier, best first, at most [`MAX_LISTED`].
    pub candidates: Vec<Candidate>,
    /// How many candidates the winning tier had in all (after dropping those
    /// that cut words; the search of the leading piece stops after
    /// `4 × MAX_SCORED` hits per source).
    pub candidate_count: usize,
}

// ------------------------------------------------------------ quote pieces

#[derive(Debug, Clone)]
struct Piece {
    raw: String,
    norm: String,
}

#[derive(Debug, Clone)]
struct Prepared {
    pieces: Vec<Piece>,
    /// `gaps[k]`: largest gap between piece `k` and piece `k + 1`.
    gaps: Vec<usize>,
    /// A bracket glued before the first piece (`[t]he`): widen over the word.
    extend_left: bool,
    /// A bracket glued after the last piece (`support[ed]`).
    extend_right: bool,
    /// The `,` or `.` removed from the end.
    trailing: Option<char>,
    norm_len: usize,
    /// The whole quote folded, for label matching.
    whole: String,
    /// The marks after the quote's last word (`.’` of `do it.’`), when they end
    /// in a quote mark.
    tail: Vec<char>,
}

enum Sep {
    Ellipsis,
    Bracket { glued_before: bool, glued_after: bool },
}

fn prepare(quote: &str) -> Result<Prepared> {
    if quote.len() > MAX_QUOTE {
        return Err(Error::TooLarge { what: "quote", len: quote.len(), max: MAX_QUOTE });
    }
    let mut segs: Vec<(String, Option<Sep>)> = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while let Some(c) = quote.get(i..).and_then(|s| s.chars().next()) {
        if let Some(l) = verify::ellipsis_len(quote, i) {
            segs.push((std::mem::take(&mut cur), Some(Sep::Ellipsis)));
            i += l;
            continue;
        }
        if c == '['
            && let Some(be) = verify::bracket_end(quote, i)
        {
            let inner = quote.get(i + 1..be - 1).unwrap_or("");
            if !verify::is_sic(inner) {
                let before = quote.get(..i).and_then(|s| s.chars().next_back());
                let after = quote.get(be..).and_then(|s| s.chars().next());
                segs.push((
                    std::mem::take(&mut cur),
                    Some(Sep::Bracket {
                        glued_before: before.is_some_and(char::is_alphanumeric),
                        glued_after: after.is_some_and(char::is_alphanumeric),
                    }),
                ));
            }
            i = be;
            continue;
        }
        cur.push(c);
        i += c.len_utf8();
    }
    segs.push((cur, None));

    let mut pieces: Vec<Piece> = Vec::new();
    let mut gaps: Vec<usize> = Vec::new();
    let mut pending_gap = 0usize;
    let mut extend_left = false;
    let mut extend_right = false;
    let mut last_sep_glued_after = false;
    let mut right_checked = false;
    for (text, sep) in segs {
        let raw = text.trim();
        let norm = fold(raw).trim().to_string();
        if !norm.is_empty() {
            if pieces.is_empty() {
                extend_left = last_sep_glued_after;
            } else {
                gaps.push(pending_gap);
            }
            pending_gap = 0;
            right_checked = false;
            extend_right = false;
            pieces.push(Piece { raw: raw.to_string(), norm });
        }
        match sep {
            Some(Sep::Ellipsis) => {
                pending_gap += ELLIPSIS_GAP;
                last_sep_glued_after = false;
                right_checked = true;
            }
            Some(Sep::Bracket { glued_before, glued_after }) => {
                pending_gap += BRACKET_GAP;
                last_sep_glued_after = glued_after;
                if !pieces.is_empty() && !right_checked {
                    extend_right = glued_before;
                }
                right_checked = true;
            }
            None => {}
        }
    }
    // Trailing `,` / `.` (inside the closing mark).
    let mut trailing = None;
    if let Some(last) = pieces.last_mut()
        && let Some(c) = last.raw.chars().next_back().filter(|c| matches!(c, ',' | '.'))
        && last.raw.len() > 1
        && !extend_right
    {
        last.raw.pop();
        last.raw = last.raw.trim_end().to_string();
        last.norm = fold(&last.raw).trim().to_string();
        trailing = Some(c);
    }
    if pieces.iter().any(|p| p.norm.is_empty()) {
        // Only a `,` or `.` was left of the last piece: search nothing for it.
        pieces.retain(|p| !p.norm.is_empty());
        gaps.truncate(pieces.len().saturating_sub(1));
    }
    if pieces.is_empty() {
        return Err(Error::InvalidInput { field: "quote".into(), reason: "no text to search".into() });
    }
    let norm_len = pieces.iter().map(|p| p.norm.len()).sum::<usize>().max(1);
    let whole = label_key(quote);
    let trimmed = quote.trim_end();
    let tail_start = trimmed
        .rfind(char::is_alphanumeric)
        .map_or(trimmed.len(), |i| i + trimmed[i..].chars().next().map_or(0, char::len_utf8));
    let tail: Vec<char> = trimmed[tail_start..].chars().collect();
    let tail = if tail.last().is_some_and(|c| verify::quote_class(c.encode_utf8(&mut [0; 4])) != 0) {
        tail
    } else {
        Vec::new()
    };
    Ok(Prepared { pieces, gaps, extend_left, extend_right, trailing, norm_len, whole, tail })
}

// ------------------------------------------------------------ searching

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    distance: usize,
}

fn fuzzy_budget(len: usize) -> usize {
    let k = ((len as f64) * FUZZY_RATE).ceil() as usize;
    k.min(MAX_FUZZY_DISTANCE).min(len.saturating_sub(1))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Pushes onto `out` the exact hits of a pattern `len` bytes long at
/// `starts`, in their order, leaving out those over a skip range when `skip`
/// (the exact tier's: a marker or a label inside the original text), and
/// stops once `out` holds more than `limit`.
fn push_exact(
    src: &SourceText<'_>,
    starts: impl IntoIterator<Item = usize>,
    len: usize,
    skip: bool,
    limit: usize,
    out: &mut Vec<Hit>,
) {
    for p in starts {
        let hit = Hit { start: p, end: p + len, distance: 0 };
        if skip && src.overlaps_skip(&(hit.start..hit.end)) {
            continue;
        }
        out.push(hit);
        if out.len() > limit {
            break;
        }
    }
}

/// The text a tier searches: the original text (the exact tier) or the
/// normalized view, whole or a stretch of it ([`search_once`]).
#[derive(Debug, Clone, Copy)]
struct Hay<'h> {
    text: &'h str,
    /// The view `text` is (with its offset map); `None` for the original text.
    norm: Option<&'h Normalized>,
    /// Whether `text` is the source's whole text or whole view, where the
    /// indexes and the hits found in bulk may stand in for a pass.
    whole: bool,
}

impl<'a> SourceText<'a> {
    /// What `tier` searches in this source, whole.
    fn hay(&self, tier: Tier) -> Hay<'_> {
        match tier {
            Tier::Exact => Hay { text: self.text, norm: None, whole: true },
            _ => {
                let n = self.normalized();
                Hay { text: n.as_str(), norm: Some(n), whole: true }
            }
        }
    }
}

/// All hits of `pat` in `hay[win]` for `tier` (hay = original text for Exact,
/// normalized text otherwise), in window-independent offsets.
fn search(src: &SourceText<'_>, tier: Tier, pat: &str, win: Range<usize>, limit: usize) -> Result<Vec<Hit>> {
    search_in(src, src.hay(tier), tier, pat, win, limit)
}

/// [`search`] in `hay` (what `tier` searches: the original text for Exact, the
/// view or a stretch of it otherwise), in `hay`'s offsets.
fn search_in(
    src: &SourceText<'_>,
    hay: Hay<'_>,
    tier: Tier,
    pat: &str,
    win: Range<usize>,
    limit: usize,
) -> Result<Vec<Hit>> {
    let whole_hay = hay.whole;
    let hay = hay.text;
    let a = floor_boundary(hay, win.start);
    let b = ceil_boundary(hay, win.end);
    let Some(h) = hay.get(a..b) else {
        return Ok(Vec::new());
    };
    if pat.is_empty() || pat.len() > h.len() + fuzzy_budget(pat.len()) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    // A whole-text exact search whose hits were found in bulk.
    if tier == Tier::Exact
        && whole_hay
        && a == 0
        && b == hay.len()
        && limit <= LEAD_LIMIT
        && let Some(known) = src.known_exact(pat)
    {
        push_exact(src, known.iter().copied(), pat.len(), true, limit, &mut out);
        return Ok(out);
    }
    let whole = whole_hay && a == 0 && b == hay.len();
    // A whole-text search of the normalized view reads the index when there is one.
    let indexed = match tier {
        Tier::Normalized if whole => src.view_index(false).and_then(|ix| ix.find_exact(hay.as_bytes(), pat.as_bytes())),
        // And the exact tier the index of the original text, when built.
        Tier::Exact if whole => src.text_index().and_then(|ix| ix.find_exact(hay.as_bytes(), pat.as_bytes())),
        _ => None,
    };
    match tier {
        Tier::Exact | Tier::Normalized if indexed.is_some() => {
            push_exact(src, indexed.into_iter().flatten(), pat.len(), tier == Tier::Exact, limit, &mut out);
        }
        Tier::Exact | Tier::Normalized | Tier::RedactionLabel => {
            let starts = memmem::find_iter(h.as_bytes(), pat.as_bytes()).map(|p| a + p);
            push_exact(src, starts, pat.len(), tier == Tier::Exact, limit, &mut out);
        }
        Tier::Fuzzy => {
            if pat.len() < MIN_FUZZY_LEN || pat.len() > MAX_FUZZY_PATTERN {
                return Ok(Vec::new());
            }
            let k = fuzzy_budget(pat.len());
            let found = match whole.then(|| src.view_index(true)).flatten() {
                Some(ix) => ix.find_approx(h.as_bytes(), pat.as_bytes(), k)?,
                None => {
                    if whole {
                        src.index.scanned.fetch_add(h.len(), Ordering::Relaxed);
                    }
                    myers::find_approx(pat.as_bytes(), h.as_bytes(), k)?
                }
            };
            out.extend(found.iter().filter_map(|m| approx_hit(hay, a, m, k)));
        }
    }
    Ok(out)
}

/// The hit an approximate match `m` of a pattern with budget `k` in
/// `hay[a..]` makes: snapped to characters and widened to whole words.
fn approx_hit(hay: &str, a: usize, m: &myers::ApproxMatch, k: usize) -> Option<Hit> {
    let s = floor_boundary(hay, a + m.start);
    let e = ceil_boundary(hay, a + m.end);
    // An approximate match may start or end inside a word (`fied` for `found`
    // against `identified`): widen it to whole words so verification compares
    // words, not fragments.
    let (s, e) = widen_to_words(hay, s, e, k.max(8));
    (s < e).then_some(Hit { start: s, end: e, distance: m.distance })
}

/// Finds piece `k` right after `end` (starting within `gap` bytes) in `hay`
/// (what `tier` searches).
fn follow(src: &SourceText<'_>, hay: Hay<'_>, tier: Tier, piece: &str, end: usize, gap: usize) -> Result<Option<Hit>> {
    let win = end..end.saturating_add(gap + piece.len() + fuzzy_budget(piece.len()));
    for &t in tiers_for_piece(tier) {
        let hits = search_in(src, hay, t, piece, win.clone(), usize::MAX)?;
        if let Some(h) = hits.into_iter().find(|h| h.start <= end + gap) {
            return Ok(Some(h));
        }
    }
    Ok(None)
}

/// Finds piece `k` right before `start` (ending within `gap` bytes) in `hay`
/// (what `tier` searches).
fn precede(
    src: &SourceText<'_>,
    hay: Hay<'_>,
    tier: Tier,
    piece: &str,
    start: usize,
    gap: usize,
) -> Result<Option<Hit>> {
    let win = start.saturating_sub(gap + piece.len() + fuzzy_budget(piece.len()))..start;
    for &t in tiers_for_piece(tier) {
        let hits = search_in(src, hay, t, piece, win.clone(), usize::MAX)?;
        if let Some(h) = hits.into_iter().rev().find(|h| h.end + gap >= start && h.end <= start) {
            return Ok(Some(h));
        }
    }
    Ok(None)
}

fn tiers_for_piece(tier: Tier) -> &'static [Tier] {
    match tier {
        Tier::Exact => &[Tier::Exact],
        Tier::Fuzzy => &[Tier::Normalized, Tier::Fuzzy],
        _ => &[Tier::Normalized],
    }
}

/// Widens `s..e` of `text` to whole words, by at most `limit` bytes a side.
fn widen_to_words(text: &str, mut s: usize, mut e: usize, limit: usize) -> (usize, usize) {
    let (floor, ceil) = (s.saturating_sub(limit), e.saturating_add(limit));
    let first = text.get(s..).and_then(|t| t.chars().next());
    if first.is_some_and(is_word) {
        while let Some(c) = text.get(..s).and_then(|t| t.chars().next_back()) {
            if !is_word(c) || s - c.len_utf8() < floor {
                break;
            }
            s -= c.len_utf8();
        }
    }
    let last = text.get(..e).and_then(|t| t.chars().next_back());
    if last.is_some_and(is_word) {
        while let Some(c) = text.get(e..).and_then(|t| t.chars().next()) {
            if !is_word(c) || e + c.len_utf8() > ceil {
                break;
            }
            e += c.len_utf8();
        }
    }
    (s, e)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `text[start..end]` does not cut a word at either edge.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let span = text.get(start..end).unwrap_or("");
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    let first = span.chars().next();
    let last = span.chars().next_back();
    let left_ok = !(first.is_some_and(is_word) && before.is_some_and(is_word));
    let right_ok = !(last.is_some_and(is_word) && after.is_some_and(is_word));
    left_ok && right_ok
}

/// The leading piece of a prepared quote: the longest (first of equals),
/// which every candidate's search starts from.
fn lead_of(prep: &Prepared) -> usize {
    prep.pieces.iter().enumerate().max_by_key(|(k, p)| (p.norm.len(), std::cmp::Reverse(*k))).map_or(0, |(k, _)| k)
}

/// What `tier` searches for piece `p`: as written for the exact tier, else
/// normalized.
fn piece_pattern(p: &Piece, tier: Tier) -> &str {
    match tier {
        Tier::Exact => &p.raw,
        _ => &p.norm,
    }
}

/// Candidates of one tier in one source; `count` gets the number found.
fn tier_candidates(src: &SourceText<'_>, si: usize, prep: &Prepared, tier: Tier) -> Result<Vec<Candidate>> {
    let m = lead_of(prep);
    let hay = src.hay(tier);
    let hits = search_in(src, hay, tier, piece_pattern(&prep.pieces[m], tier), 0..hay.text.len(), LEAD_LIMIT)?;
    let mut out = Vec::new();
    for h in hits {
        out.extend(place_hit(src, si, prep, tier, hay, m, h)?);
    }
    Ok(out)
}

/// The candidate that hit `h` of the lead (piece `m`) in `hay` (what `tier`
/// searches, whole or a stretch of the view) makes: the other pieces found
/// after and before it within their gaps, the span mapped to the original
/// and widened as the quote asks, or `None` when a piece is missing or a
/// fuzzy candidate scores too low. Reads `hay` at most [`reach`] bytes
/// before and after the hit.
fn place_hit(
    src: &SourceText<'_>,
    si: usize,
    prep: &Prepared,
    tier: Tier,
    hay: Hay<'_>,
    m: usize,
    h: Hit,
) -> Result<Option<Candidate>> {
    let (mut start, mut end, mut dist) = (h.start, h.end, h.distance);
    for k in m + 1..prep.pieces.len() {
        match follow(src, hay, tier, piece_pattern(&prep.pieces[k], tier), end, prep.gaps[k - 1])? {
            Some(x) => {
                end = x.end;
                dist += x.distance;
            }
            None => return Ok(None),
        }
    }
    for k in (0..m).rev() {
        match precede(src, hay, tier, piece_pattern(&prep.pieces[k], tier), start, prep.gaps[k])? {
            Some(x) => {
                start = x.start;
                dist += x.distance;
            }
            None => return Ok(None),
        }
    }
    let mut r = match hay.norm {
        None => start..end,
        Some(n) => n.to_original(start..end),
    };
    let text = src.text;
    if prep.extend_left {
        let floor = r.start.saturating_sub(BRACKET_GAP);
        while let Some(c) = text.get(..r.start).and_then(|s| s.chars().next_back()) {
            if !is_word(c) || r.start - c.len_utf8() < floor {
                break;
            }
            r.start -= c.len_utf8();
        }
    }
    if prep.extend_right {
        let ceil = r.end + BRACKET_GAP;
        while let Some(c) = text.get(r.end..).and_then(|s| s.chars().next()) {
            if !is_word(c) || r.end + c.len_utf8() > ceil {
                break;
            }
            r.end += c.len_utf8();
        }
    }
    if let Some(t) = prep.trailing
        && text.get(r.end..).is_some_and(|s| s.starts_with(t))
    {
        r.end += t.len_utf8();
    }
    r = extend_over_tail(text, r, &prep.tail);
    let score = if dist == 0 { 1.0 } else { 1.0 - dist as f64 / prep.norm_len as f64 };
    if tier == Tier::Fuzzy && score < MIN_FUZZY_SCORE {
        return Ok(None);
    }
    Ok(Some(Candidate { source: si, start: r.start, end: r.end, tier, distance: dist, score, support: 0.0 }))
}

/// How far before and after a hit of the lead (piece `m`) [`place_hit`]
/// may read the view: each other piece is looked for within its gap, its
/// length and its fuzzy budget of the last one found, and a fuzzy hit is
/// widened to whole words by at most its budget (or 8 bytes) and a
/// character; with some slack.
fn reach(prep: &Prepared, m: usize) -> (usize, usize) {
    let widen = |len: usize| fuzzy_budget(len).max(8) + 8;
    let step = |p: &Piece, gap: usize| gap + p.norm.len() + fuzzy_budget(p.norm.len()) + widen(p.norm.len()) + 8;
    let lead = widen(prep.pieces[m].norm.len()) + 64;
    let before: usize = (0..m).map(|k| step(&prep.pieces[k], prep.gaps[k])).sum();
    let after: usize = (m + 1..prep.pieces.len()).map(|k| step(&prep.pieces[k], prep.gaps[k - 1])).sum();
    (lead + before, lead + after)
}

/// The piece of `quote` an exact search of a whole text looks for first (its
/// longest piece, as written): what [`SourceText::prefetch_exact`] takes.
/// `None` for a quote with nothing to search or over the cap.
pub(crate) fn exact_lead(quote: &str) -> Option<String> {
    let prep = prepare(quote).ok()?;
    Some(prep.pieces.get(lead_of(&prep))?.raw.clone())
}

/// A quote ending in a closing quote mark after its last word (a nested
/// quotation closing with it, `do it.’`) takes in the source's marks right after
/// the span when they are the same marks, any quote glyph standing for any
/// other: a fuzzy hit may stop short of them.
fn extend_over_tail(text: &str, r: Range<usize>, tail: &[char]) -> Range<usize> {
    if tail.is_empty() {
        return r;
    }
    let span = text.get(r.clone()).unwrap_or("");
    let have = span.rfind(char::is_alphanumeric).map_or(0, |i| span[i..].chars().count().saturating_sub(1));
    let same = |a: char, b: char| {
        let class = |c: char| verify::quote_class(c.encode_utf8(&mut [0; 4]));
        a == b || (class(a) != 0 && class(b) != 0)
    };
    let mut end = r.end;
    for &want in tail.iter().skip(have) {
        match text.get(end..).and_then(|s| s.chars().next()) {
            Some(c) if same(c, want) => end += c.len_utf8(),
            _ => return r,
        }
    }
    r.start..end
}

fn label_candidates(sources: &[SourceText<'_>], prep: &Prepared) -> Vec<Candidate> {
    let q = prep.whole.as_str();
    let mut out = Vec::new();
    if q.is_empty() {
        return out;
    }
    for (si, src) in sources.iter().enumerate() {
        // Each distinct name compared once: its distance if it is kept.
        let kept: Vec<Option<usize>> = src
            .names
            .iter()
            .map(|(_, key)| {
                let distance = if key == q {
                    0
                } else if q.len() >= MIN_FUZZY_LEN && key.len().abs_diff(q.len()) <= fuzzy_budget(q.len()) {
                    let d = myers::levenshtein(q.as_bytes(), key.as_bytes());
                    if d > fuzzy_budget(q.len()) {
                        return None;
                    }
                    d
                } else {
                    return None;
                };
                let score = 1.0 - distance as f64 / q.len().max(1) as f64;
                (distance == 0 || score >= MIN_FUZZY_SCORE).then_some(distance)
            })
            .collect();
        for l in &src.labels {
            let Some(&Some(distance)) = kept.get(l.name) else {
                continue;
            };
            let score = 1.0 - distance as f64 / q.len().max(1) as f64;
            out.push(Candidate {
                source: si,
                start: l.range.start,
                end: l.range.end,
                tier: Tier::RedactionLabel,
                distance,
                score,
                support: 0.0,
            });
        }
    }
    out
}

// ------------------------------------------------------------ deciding

const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "that", "this", "with", "from", "was", "were", "are", "has", "had", "have", "his", "her",
    "its", "their", "they", "them", "who", "whom", "which", "what", "when", "where", "would", "could", "should",
    "will", "did", "not", "but", "than", "then", "there", "these", "those", "been", "being", "into", "about", "also",
    "after", "before", "over", "said", "says", "one", "all", "any", "our", "out", "him", "she", "you", "how", "why",
    "can", "may", "more", "most", "such", "other", "some", "only", "very", "just", "while",
];

fn content_words(s: &str) -> Vec<String> {
    let mut v: Vec<String> = positioned_words(s).into_iter().map(|(w, _)| w).collect();
    v.sort();
    v.dedup();
    v
}

/// Calls `f` with every word of `s` (a run of alphanumeric characters) as
/// written, lowercased, and its byte offset. A word already in lowercase ASCII
/// is passed as it is, without a copy.
fn each_word(s: &str, mut f: impl FnMut(&str, &str, usize)) {
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                let w = &s[b..i];
                if w.bytes().all(|x| x.is_ascii_lowercase() || x.is_ascii_digit()) {
                    f(w, w, b);
                } else {
                    f(w, &w.to_lowercase(), b);
                }
                start = None;
            }
            _ => {}
        }
    }
}

/// Whether a word (as written, and lowercased) counts as a content word: three
/// characters or more, not a stop word.
fn is_content_word(written: &str, lower: &str) -> bool {
    written.chars().count() >= 3 && !STOP_WORDS.contains(&lower)
}

/// Content words of `s` with their byte offsets.
fn positioned_words(s: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    each_word(s, |w, lower, at| {
        if is_content_word(w, lower) {
            out.push((lower.to_string(), at));
        }
    });
    out
}

/// How far (bytes) a context word may be from the quote, in the article and in
/// the source, before its weight falls to 1/e.
const ARTICLE_SCALE: f64 = 80.0;
const SOURCE_SCALE: f64 = 150.0;

/// Context words with weights: near the focus (the quote) in the article they
/// weigh up to 1, far from it less.
fn weighted_context(context: &str, focus: Option<&Range<usize>>, exclude: &[String]) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for (w, at) in positioned_words(context) {
        if exclude.binary_search(&w).is_ok() {
            continue;
        }
        let weight = match focus {
            Some(f) => (-(distance_to(at, f) as f64) / ARTICLE_SCALE).exp(),
            None => 1.0,
        };
        match out.iter_mut().find(|(x, _)| *x == w) {
            Some(e) => e.1 = e.1.max(weight),
            None => out.push((w, weight)),
        }
    }
    out
}

/// The content words of the normalized source within [`CONTEXT_WINDOW`] bytes
/// around `start..end` (original offsets), each once, sorted, with its
/// closeness to the place (`exp(-d / SOURCE_SCALE)` for the nearest
/// occurrence, `d` in normalized bytes): what [`overlap`] compares a context
/// with. It depends only on the place, so a place scored against many hints
/// (another article, another pass) is read once.
fn words_near(src: &SourceText<'_>, start: usize, end: usize) -> WordsNear {
    let n = src.normalized();
    let a = n.to_normalized(start.saturating_sub(CONTEXT_WINDOW));
    let b = n.to_normalized(end.saturating_add(CONTEXT_WINDOW));
    let (ns_, ne_) = (n.to_normalized(start), n.to_normalized(end));
    let ns = n.as_str();
    let lo = floor_boundary(ns, a);
    let win = ns.get(lo..floor_boundary(ns, b)).unwrap_or("");
    let cand = ns_.saturating_sub(lo)..ne_.saturating_sub(lo);
    let mut out: Vec<(String, f64)> = Vec::new();
    each_word(win, |w, lower, at| {
        if is_content_word(w, lower) {
            out.push((lower.to_string(), (-(distance_to(at, &cand) as f64) / SOURCE_SCALE).exp()));
        }
    });
    // Each word once, at its closest occurrence (`max` is exact: the value
    // kept is one of those computed).
    out.sort_by(|x, y| x.0.cmp(&y.0));
    out.dedup_by(|later, kept| {
        if later.0 == kept.0 {
            kept.1 = kept.1.max(later.1);
            true
        } else {
            false
        }
    });
    out
}

/// The content words around a place, each with its closeness ([`words_near`]).
type WordsNear = Vec<(String, f64)>;

/// Weighted share of the context words found around a place (its words from
/// [`words_near`]), each counted by its closeness to the place.
fn overlap(near: &[(String, f64)], ctx: &[(String, f64)]) -> f64 {
    let total: f64 = ctx.iter().map(|(_, a)| a).sum();
    if total <= 0.0 {
        return 0.0;
    }
    ctx.iter()
        .map(|(w, a)| {
            let s = near.binary_search_by(|(x, _)| x.as_str().cmp(w)).map_or(0.0, |k| near[k].1);
            a * s
        })
        .sum::<f64>()
        / total
}

fn distance_to(off: usize, r: &Range<usize>) -> usize {
    if off < r.start { r.start - off } else { off.saturating_sub(r.end) }
}

/// The places a candidate stands at: its span, and the marker of the footnote
/// holding it.
fn places_of(src: &SourceText<'_>, c: &Candidate) -> Vec<Range<usize>> {
    let mut places: Vec<Range<usize>> = Vec::with_capacity(2);
    places.push(c.start..c.end);
    if let Some(m) = src.footnote_marker(c.start) {
        places.push(m..m);
    }
    places
}

/// Support of candidate `c` (whose places' words are `words`, one list per
/// place of [`places_of`]) for the context `ctx` and the `near` anchors.
fn support(
    src: &SourceText<'_>,
    c: &Candidate,
    words: &[WordsNear],
    ctx: &[(String, f64)],
    near: &[(usize, usize)],
) -> f64 {
    let places = places_of(src, c);
    let mut total = 0.0;
    if !ctx.is_empty() {
        total += words.iter().map(|w| overlap(w, ctx)).fold(0.0, f64::max);
    }
    let prox = near
        .iter()
        .filter(|(s, _)| *s == c.source)
        .flat_map(|&(_, off)| [Some(off), src.footnote_marker(off)])
        .flatten()
        .map(|off| {
            let d = places.iter().map(|p| distance_to(off, p)).min().unwrap_or(usize::MAX);
            (-(d as f64) / NEAR_SCALE).exp()
        })
        .fold(0.0, f64::max);
    total + prox
}

/// The part of anchoring a quote that depends only on the quote and the
/// sources, not on the [`Hint`]: the candidates of the first tier that has any
/// (deduplicated; those cutting words dropped when some do not; by score), how
/// many contend for first place, and (built on first use) the context words
/// around each contender. Anchoring the same words again with another hint
/// (the same quote in another article, or in a second pass) starts from it:
/// [`settle`] gives what [`anchor`] gives.
#[derive(Debug)]
pub(crate) struct Searched {
    /// Candidates by score (see the module docs); only the first [`MAX_LISTED`] when
    /// there are more than [`MAX_SCORED`].
    cands: Vec<Candidate>,
    /// How many there were.
    count: usize,
    /// The outcome when the hint cannot change it.
    fixed: Option<Outcome>,
    /// How many lead within [`FUZZY_SCORE_MARGIN`] of the best score.
    contenders: usize,
    /// The quote's content words (left out of a context).
    quote_words: Vec<String>,
    /// Per contender, per place of [`places_of`], its [`words_near`].
    words: OnceLock<Vec<Vec<WordsNear>>>,
}

impl Searched {
    /// How many candidates the search found (what [`Anchored::candidate_count`] says).
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// Roughly how many candidates it keeps (for bounding a memo of them).
    pub(crate) fn size(&self) -> usize {
        self.cands.len() + 1
    }
}

fn searched(sources: &[SourceText<'_>], quote: &str, mut cands: Vec<Candidate>) -> Searched {
    // Deduplicate, stable order.
    cands.sort_by_key(|a| (a.source, a.start, a.end));
    cands.dedup_by(|a, b| (a.source, a.start, a.end) == (b.source, b.start, b.end));
    // Word boundaries preferred.
    if cands.iter().any(|c| sources.get(c.source).is_some_and(|s| on_word_boundaries(s.text, c.start, c.end))) {
        cands.retain(|c| sources.get(c.source).is_some_and(|s| on_word_boundaries(s.text, c.start, c.end)));
    }
    let count = cands.len();
    let by_score =
        |a: &Candidate, b: &Candidate| b.score.total_cmp(&a.score).then((a.source, a.start).cmp(&(b.source, b.start)));
    cands.sort_by(by_score);
    let fixed = match cands.len() {
        0 => Some(Outcome::NotFound),
        1 => Some(Outcome::Found),
        n if n > MAX_SCORED => {
            cands.truncate(MAX_LISTED);
            Some(Outcome::Ambiguous)
        }
        _ if cands[0].score - cands[1].score >= FUZZY_SCORE_MARGIN => Some(Outcome::Found),
        _ => None,
    };
    let top = cands.first().map_or(0.0, |c| c.score);
    let contenders =
        if fixed.is_some() { 0 } else { cands.iter().take_while(|c| c.score > top - FUZZY_SCORE_MARGIN).count() };
    let quote_words = if fixed.is_some() { Vec::new() } else { content_words(quote) };
    Searched { cands, count, fixed, contenders, quote_words, words: OnceLock::new() }
}

/// Decides among the candidates of a [`Searched`] with `hint` (see the module
/// docs): what [`anchor`] returns for the same quote, sources and hint.
pub(crate) fn settle(sources: &[SourceText<'_>], hint: &Hint, s: &Searched) -> Anchored {
    let finish = |outcome: Outcome, mut cands: Vec<Candidate>| {
        cands.truncate(MAX_LISTED);
        let best = (outcome == Outcome::Found).then(|| cands[0].clone());
        Anchored { outcome, best, candidates: cands, candidate_count: s.count }
    };
    if let Some(outcome) = s.fixed {
        return finish(outcome, s.cands.iter().take(MAX_LISTED).cloned().collect());
    }
    let contenders = s.contenders;
    let mut cands: Vec<Candidate> = s.cands.iter().take(contenders.max(MAX_LISTED)).cloned().collect();
    let ctx: Vec<(String, f64)> =
        hint.context.as_deref().map(|c| weighted_context(c, hint.focus.as_ref(), &s.quote_words)).unwrap_or_default();
    let empty: Vec<WordsNear> = Vec::new();
    let words: &[Vec<WordsNear>] = if ctx.is_empty() {
        &[]
    } else {
        s.words.get_or_init(|| {
            s.cands[..contenders]
                .iter()
                .map(|c| match sources.get(c.source) {
                    Some(src) => places_of(src, c).into_iter().map(|p| words_near(src, p.start, p.end)).collect(),
                    None => Vec::new(),
                })
                .collect()
        })
    };
    for (k, c) in cands.iter_mut().take(contenders).enumerate() {
        if let Some(src) = sources.get(c.source) {
            c.support = support(src, c, words.get(k).unwrap_or(&empty), &ctx, &hint.near);
        }
    }
    cands[..contenders].sort_by(|a, b| {
        b.support
            .total_cmp(&a.support)
            .then(b.score.total_cmp(&a.score))
            .then((a.source, a.start).cmp(&(b.source, b.start)))
    });
    let lead = cands[0].support - cands[1].support;
    if contenders == 1 || (lead >= DECISION_MARGIN && cands[0].support >= MIN_EVIDENCE) {
        finish(Outcome::Found, cands)
    } else {
        finish(Outcome::Ambiguous, cands)
    }
}

/// Locates `quote` in `sources`, tier by tier (see the module docs).
///
/// # Errors
/// [`Error::TooLarge`] for a quote over [`MAX_QUOTE`] bytes;
/// [`Error::InvalidInput`] for a quote with nothing to search (empty, only
/// ellipses or brackets).
pub fn anchor(sources: &[SourceText<'_>], quote: &str, hint: &Hint) -> Result<Anchored> {
    anchor_with(sources, quote, hint, true)
}

/// [`anchor`], with the fuzzy tier or without it (a search of a whole long text
/// that only wants the words as they are, typography aside).
pub(crate) fn anchor_with(sources: &[SourceText<'_>], quote: &str, hint: &Hint, fuzzy: bool) -> Result<Anchored> {
    Ok(settle(sources, hint, &search_quote(sources, quote, fuzzy)?))
}

/// The hint-independent part of [`anchor_with`]: the search through the tiers
/// (the first tier with a candidate in any source wins; labels when none has).
///
/// # Errors
/// As [`anchor`].
pub(crate) fn search_quote(sources: &[SourceText<'_>], quote: &str, fuzzy: bool) -> Result<Searched> {
    let tiers: &[Tier] =
        if fuzzy { &[Tier::Exact, Tier::Normalized, Tier::Fuzzy] } else { &[Tier::Exact, Tier::Normalized] };
    search_tiers(sources, quote, tiers)
}

/// [`search_quote`] through `tiers` only, then the labels: what
/// [`search_quote`] finds when the tiers left out find nothing.
///
/// # Errors
/// As [`anchor`].
pub(crate) fn search_tiers(sources: &[SourceText<'_>], quote: &str, tiers: &[Tier]) -> Result<Searched> {
    let prep = prepare(quote)?;
    for &tier in tiers {
        let mut cands = Vec::new();
        for (si, src) in sources.iter().enumerate() {
            cands.extend(tier_candidates(src, si, &prep, tier)?);
        }
        if !cands.is_empty() {
            return Ok(searched(sources, quote, cands));
        }
    }
    Ok(searched(sources, quote, label_candidates(sources, &prep)))
}

// ------------------------------------------------------------ a quote searched once

/// [`search_quote`] with the fuzzy tier, for a quote searched once in
/// `sources` (the one-shot `locate`): the same [`Searched`], without the
/// whole normalized view of a long source whose view is not built yet.
///
/// The exact tier runs on the texts as they are. The normalized and fuzzy
/// tiers search such a source's view a piece at a time instead
/// ([`Pieces`], about 2 MiB of the original each, on every core, without
/// an offset map), once for both tiers: each window (a piece and the
/// start of the next ones, as much as the lead and its fuzzy budget) gives
/// the lead's exact occurrences that start in its piece, one after the
/// other as `memmem` takes them over the whole view, and the fuzzy
/// matcher's candidates ([`myers::approx_candidates`]) for the ends it
/// owns (those past the overlap; a candidate depends only on the lead's
/// length and budget before its end). Joined in the pieces' order, the
/// occurrences are the whole view's (a piece's first one overlapping the
/// last of the piece before would break the chain: then the view is built
/// whole), cut at the same limit, and the candidates, selected together
/// ([`myers::select_approx`]), are the whole view's approximate matches.
/// Only the pieces around those (as far as [`reach`] reads) are then built
/// with their map, as one stretch of the view per run of pieces
/// ([`Pieces::view`]), and each hit is placed in its stretch by the code
/// the whole search runs ([`place_hit`]), so the candidates, their order,
/// scores and spans are the whole search's. A quote found nowhere thus
/// builds no view at all; one the normalized or fuzzy tier finds, the
/// pieces around what it found. Windows holding an exact occurrence of the
/// lead skip the fuzzy search once one was seen (the normalized tier
/// usually answers); when it does not, the windows left are searched then.
///
/// A source whose view is built, or one where the scan gives up (more than
/// [`ONCE_HELD_MAX`] pieces holding a hit of the lead, more than
/// [`ONCE_FUZZY_MAX`] fuzzy candidates in a window, an error) is searched
/// whole; so is a short one (one piece) once a window holds a hit of the
/// lead (its view costs what its piece does). `cut` sets how views are cut
/// (`None`: as their length says; tests cut small views at every place).
///
/// # Errors
/// As [`anchor`].
pub(crate) fn search_once(sources: &[SourceText<'_>], quote: &str, cut: Option<(usize, usize)>) -> Result<Searched> {
    let prep = prepare(quote)?;
    let mut cands = Vec::new();
    for (si, src) in sources.iter().enumerate() {
        cands.extend(tier_candidates(src, si, &prep, Tier::Exact)?);
    }
    if cands.is_empty() {
        let mut once: Vec<Option<Once<'_>>> = sources.iter().map(|_| None).collect();
        for tier in [Tier::Normalized, Tier::Fuzzy] {
            for (si, (src, how)) in sources.iter().zip(once.iter_mut()).enumerate() {
                cands.extend(src.once_candidates(si, &prep, tier, how, cut)?);
            }
            if !cands.is_empty() {
                break;
            }
        }
    }
    if cands.is_empty() {
        cands = label_candidates(sources, &prep);
    }
    Ok(searched(sources, quote, cands))
}

/// Most fuzzy candidates a window of [`search_once`] keeps before the
/// source is searched whole instead (a lead matching almost everywhere).
const ONCE_FUZZY_MAX: usize = 1 << 16;

/// Most pieces of a view (of their real size) holding a hit of the lead
/// before [`search_once`] stops the scan and searches the view whole: each
/// such piece (and a neighbour, at worst) is built again with its map, so a
/// quote found all over a long source would cost the scan and the view
/// twice over, where stopping costs the pieces scanned and the view once
/// (what the search of the whole view costs). A quote found in one or two
/// places costs the scan and those few pieces.
const ONCE_HELD_MAX: usize = 2;

/// How [`search_once`] searches one source's view.
enum Once<'t> {
    /// Whole, as [`search_quote`] does.
    Whole,
    /// A piece at a time.
    Pieces(Box<LeadScan<'t>>),
}

/// What the windows of a source's view hold of a quote's lead.
struct LeadScan<'t> {
    pieces: Pieces<'t>,
    /// Where each piece starts in the view, then the view's length.
    at: Vec<usize>,
    /// Per piece: the lead's exact occurrences starting in it, one after
    /// the other from its start, at most `LEAD_LIMIT + 1` (offsets in the
    /// piece).
    exact: Vec<Vec<usize>>,
    /// Per piece: the fuzzy candidates of the ends its window owns (offsets
    /// in the piece); `None` while not searched.
    fuzzy: Vec<Option<Vec<myers::ApproxMatch>>>,
    /// The lead's fuzzy budget, when it is searched fuzzily.
    budget: Option<usize>,
    /// How far each window reaches past its piece: the lead's length and budget.
    overlap: usize,
    /// Whether a tier that finds a hit of the lead searches the whole view
    /// instead (a short source, one piece: its view costs what the piece
    /// does, and is kept).
    whole_if_held: bool,
}

/// The fuzzy candidates of `lead` (budget `k`) whose ends window `w` owns:
/// past the first `overlap` bytes (all from the view's start for the first
/// piece) up to `overlap` bytes past its piece. Every end of the view is
/// owned by one window, which holds the `overlap` bytes before it.
/// `None` on an error or past [`ONCE_FUZZY_MAX`].
fn owned_candidates(lead: &[u8], w: &Window<'_>, k: usize, overlap: usize) -> Option<Vec<myers::ApproxMatch>> {
    let lo = if w.piece == 0 { 0 } else { overlap };
    let found = myers::approx_candidates(lead, w.text, k, lo + 1..w.own + overlap + 1).ok()?;
    (found.len() <= ONCE_FUZZY_MAX).then_some(found)
}

impl<'a> SourceText<'a> {
    /// The candidates of `tier` (normalized or fuzzy) in this source, for
    /// [`search_once`]: from its view's pieces when `how` says so (decided
    /// on the first call, [`SourceText::scan_lead`]), else from the whole view.
    fn once_candidates(
        &self,
        si: usize,
        prep: &Prepared,
        tier: Tier,
        how: &mut Option<Once<'a>>,
        cut: Option<(usize, usize)>,
    ) -> Result<Vec<Candidate>> {
        let how =
            how.get_or_insert_with(|| self.scan_lead(prep, cut).map_or(Once::Whole, |s| Once::Pieces(Box::new(s))));
        if let Once::Pieces(scan) = how {
            if let Some(found) = self.candidates_in_pieces(si, prep, tier, scan) {
                return Ok(found);
            }
            *how = Once::Whole;
        }
        tier_candidates(self, si, prep, tier)
    }

    /// Whether the whole normalized view has been built.
    #[cfg(test)]
    pub(crate) fn view_built(&self) -> bool {
        self.norm.get().is_some()
    }

    /// The scan of [`search_once`] over the windows of this source's view,
    /// for both tiers; `None` when the view is to be searched whole (built
    /// already, one piece, or the scan gave up).
    fn scan_lead(&self, prep: &Prepared, cut: Option<(usize, usize)>) -> Option<LeadScan<'a>> {
        if self.norm.get().is_some() {
            return None;
        }
        let pieces = Pieces::new(self.text, &NormalizeOptions { fold_case: true, skip: self.skip.clone() }, cut);
        // One piece: built whole if it holds a hit, as cheap as a piece.
        let whole_if_held = cut.is_none() && pieces.count() < 2;
        let lead = prep.pieces.get(lead_of(prep))?.norm.as_bytes();
        let budget = (MIN_FUZZY_LEN..=MAX_FUZZY_PATTERN).contains(&lead.len()).then(|| fuzzy_budget(lead.len()));
        let overlap = lead.len() + budget.unwrap_or(0);
        let finder = memmem::Finder::new(lead);
        let seen = std::sync::atomic::AtomicBool::new(false);
        // Pieces of real size holding a hit, past which the view is built whole.
        let held_max = if cut.is_none() { ONCE_HELD_MAX } else { usize::MAX };
        let held = AtomicUsize::new(0);
        let found = pieces.scan(overlap, None, |w| {
            let exact: Vec<usize> = finder.find_iter(w.text).take_while(|&p| p < w.own).take(LEAD_LIMIT + 1).collect();
            if !exact.is_empty() {
                seen.store(true, Ordering::Relaxed);
            }
            let fuzzy = match budget {
                Some(k) if !seen.load(Ordering::Relaxed) => Some(owned_candidates(lead, w, k, overlap)?),
                Some(_) => None,
                None => Some(Vec::new()),
            };
            if (!exact.is_empty() || fuzzy.as_ref().is_some_and(|f| !f.is_empty()))
                && held.fetch_add(1, Ordering::Relaxed) >= held_max
            {
                return None;
            }
            Some((exact, fuzzy))
        })?;
        let mut at = vec![0];
        let (mut exact, mut fuzzy) = (Vec::new(), Vec::new());
        for piece in found {
            let (own, (e, f)) = piece?;
            at.push(at.last().copied().unwrap_or(0) + own);
            exact.push(e);
            fuzzy.push(f);
        }
        Some(LeadScan { pieces, at, exact, fuzzy, budget, overlap, whole_if_held })
    }

    /// The candidates of `tier` from the windows of `scan` (see
    /// [`search_once`]); `None` when the view is to be searched whole.
    fn candidates_in_pieces(
        &self,
        si: usize,
        prep: &Prepared,
        tier: Tier,
        scan: &mut LeadScan<'a>,
    ) -> Option<Vec<Candidate>> {
        let m = lead_of(prep);
        let lead = prep.pieces.get(m)?.norm.as_bytes();
        // The lead's hits in the whole view: (start, end, distance).
        let leads: Vec<myers::ApproxMatch> = match tier {
            Tier::Normalized => {
                let mut out = Vec::new();
                let mut chain = 0;
                'pieces: for (k, hits) in scan.exact.iter().enumerate() {
                    for (i, &p) in hits.iter().enumerate() {
                        let g = scan.at[k] + p;
                        if i == 0 && g < chain {
                            return None;
                        }
                        chain = g + lead.len();
                        out.push(myers::ApproxMatch { start: g, end: chain, distance: 0 });
                        if out.len() > LEAD_LIMIT {
                            break 'pieces;
                        }
                    }
                }
                out
            }
            Tier::Fuzzy => {
                let Some(k) = scan.budget else {
                    return Some(Vec::new());
                };
                if scan.fuzzy.iter().any(Option::is_none) {
                    let only: Vec<bool> = scan.fuzzy.iter().map(Option::is_none).collect();
                    let overlap = scan.overlap;
                    let found = scan.pieces.scan(overlap, Some(&only), |w| owned_candidates(lead, w, k, overlap))?;
                    for (slot, got) in scan.fuzzy.iter_mut().zip(found) {
                        if let Some((_, c)) = got {
                            *slot = Some(c);
                        }
                    }
                }
                let mut all = Vec::new();
                for (k, c) in scan.fuzzy.iter().enumerate() {
                    let base = scan.at[k];
                    all.extend(c.as_ref()?.iter().map(|x| myers::ApproxMatch {
                        start: base + x.start,
                        end: base + x.end,
                        distance: x.distance,
                    }));
                }
                myers::select_approx(all)
            }
            _ => return None,
        };
        if leads.is_empty() {
            return Some(Vec::new());
        }
        if scan.whole_if_held {
            return None;
        }
        // Each run of pieces around hits built once, with its map.
        let (back, ahead) = reach(prep, m);
        let count = scan.pieces.count();
        let view_len = scan.at.last().copied().unwrap_or(0);
        let piece_of = |g: usize| scan.at.partition_point(|&a| a <= g).saturating_sub(1).min(count.saturating_sub(1));
        let mut out = Vec::new();
        let mut i = 0;
        while i < leads.len() {
            let k0 = piece_of(leads[i].start.saturating_sub(back));
            let mut k1 = piece_of(leads[i].end.saturating_add(ahead).min(view_len));
            let mut j = i + 1;
            while j < leads.len() && piece_of(leads[j].start.saturating_sub(back)) <= k1 {
                k1 = k1.max(piece_of(leads[j].end.saturating_add(ahead).min(view_len)));
                j += 1;
            }
            let view = scan.pieces.view(k0..k1 + 1);
            let base = scan.at[k0];
            let hay = Hay { text: view.as_str(), norm: Some(&view), whole: false };
            for l in &leads[i..j] {
                let local = myers::ApproxMatch { start: l.start - base, end: l.end - base, distance: l.distance };
                let hit = match scan.budget.filter(|_| tier == Tier::Fuzzy) {
                    Some(k) => approx_hit(hay.text, 0, &local, k),
                    None => Some(Hit { start: local.start, end: local.end, distance: 0 }),
                };
                if let Some(h) = hit {
                    out.extend(place_hit(self, si, prep, tier, hay, m, h).ok()?);
                }
            }
            i = j;
        }
        Some(out)
    }
}

/// [`anchor`] in a single source (candidates have `source == 0`).
///
/// # Errors
/// As [`anchor`].
pub fn anchor_in(source: &SourceText<'_>, quote: &str, hint: &Hint) -> Result<Anchored> {
    anchor(std::slice::from_ref(source), quote, hint)
}

/// Verifies `quote` against a candidate's source span: the span with each skip
/// range marked as omitted material ([`SourceText::marked_span`]), or the label's name for a
/// [`Tier::RedactionLabel`] candidate (where a case-only difference from the name
/// counts as `Normalized`). `None` if `candidate.source` is out of range.
pub fn verify_candidate(sources: &[SourceText<'_>], quote: &str, candidate: &Candidate) -> Option<Verification> {
    let src = sources.get(candidate.source)?;
    let range = candidate.start..candidate.end;
    let quote = quote.trim();
    if candidate.tier == Tier::RedactionLabel {
        // A label is named, not quoted: case and brackets do not matter.
        let name = src.label_at(&range).unwrap_or("");
        let mut v = verify::verify(quote, name);
        if v.verdict == verify::Verdict::Altered && label_key(quote) == label_key(name) {
            v.typographic = std::mem::take(&mut v.differences);
            v.verdict = verify::Verdict::Normalized;
        }
        return Some(v);
    }
    Some(verify::verify(quote, &src.marked_span(with_marks(src.text, range, quote))))
}

/// `range` widened over the source's quote marks right against it (no space
/// between) where the quote itself ends (before a final `.` or `,`) or starts
/// with a quote mark: the article's nested marks then meet the source's, and
/// verification reads a converted mark (`’` for `”`) as the convention it is,
/// not as a word the source lacks. The place reported stays the candidate's.
fn with_marks(text: &str, range: Range<usize>, quote: &str) -> Range<usize> {
    let is_mark = super::quotes::is_quote_char;
    let (mut start, mut end) = (range.start, range.end);
    let tail = quote.trim_end_matches(['.', ',']);
    if tail.ends_with(is_mark) {
        while let Some(c) = text.get(end..).and_then(|t| t.chars().next()).filter(|&c| is_mark(c)) {
            end += c.len_utf8();
        }
    }
    if quote.starts_with(is_mark) {
        while let Some(c) = text.get(..start).and_then(|t| t.chars().next_back()).filter(|&c| is_mark(c)) {
            start -= c.len_utf8();
        }
    }
    start..end
}

// ------------------------------------------------------------ selectors

/// A W3C-style TextQuoteSelector, as written in trace files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector<'q> {
    /// The words to find.
    pub exact: &'q str,
    /// Words that must immediately precede (compared normalized; one space
    /// between is tolerated).
    pub prefix: Option<&'q str>,
    /// Words that must immediately follow (compared normalized).
    pub suffix: Option<&'q str>,
    /// Restrict to this byte range of the original text (e.g. a page or a footnote).
    pub within: Option<Range<usize>>,
}

/// Every occurrence of a selector in `sources`: exact occurrences (not
/// overlapping skip ranges) passing the prefix/suffix filters; if there are
/// none, normalized occurrences passing them. Sorted by source then start.
///
/// # Errors
/// [`Error::InvalidInput`] for an empty `exact`; [`Error::TooLarge`] when
/// `exact`, `prefix` or `suffix` is over [`MAX_QUOTE`] bytes.
pub fn find_all(sources: &[SourceText<'_>], sel: &Selector<'_>) -> Result<Vec<Candidate>> {
    for s in [Some(sel.exact), sel.prefix, sel.suffix].into_iter().flatten() {
        if s.len() > MAX_QUOTE {
            return Err(Error::TooLarge { what: "selector", len: s.len(), max: MAX_QUOTE });
        }
    }
    let exact = sel.exact.trim();
    let exact_norm = fold(exact).trim().to_string();
    if exact.is_empty() || exact_norm.is_empty() {
        return Err(Error::InvalidInput { field: "exact".into(), reason: "empty selector".into() });
    }
    let prefix = sel.prefix.map(|p| fold(p).trim().to_string()).filter(|p| !p.is_empty());
    let suffix = sel.suffix.map(|p| fold(p).trim().to_string()).filter(|p| !p.is_empty());
    let passes = |src: &SourceText<'_>, ns: usize, ne: usize| -> bool {
        let n = src.normalized().as_str();
        let ok_p = prefix
            .as_ref()
            .is_none_or(|p| n.get(..ns).is_some_and(|b| b.strip_suffix(' ').unwrap_or(b).ends_with(p.as_str())));
        let ok_s = suffix
            .as_ref()
            .is_none_or(|s| n.get(ne..).is_some_and(|a| a.strip_prefix(' ').unwrap_or(a).starts_with(s.as_str())));
        ok_p && ok_s
    };
    for tier in [Tier::Exact, Tier::Normalized] {
        let mut out = Vec::new();
        for (si, src) in sources.iter().enumerate() {
            let within = sel.within.clone().unwrap_or(0..src.text.len());
            let (ws, we) = snap(src.text, within);
            let (win, pat) = match tier {
                Tier::Exact => (ws..we, exact),
                _ => (src.normalized().to_normalized(ws)..src.normalized().to_normalized(we), exact_norm.as_str()),
            };
            for h in search(src, tier, pat, win, usize::MAX)? {
                let (r, ns, ne) = match tier {
                    Tier::Exact => {
                        (h.start..h.end, src.normalized().to_normalized(h.start), src.normalized().to_normalized(h.end))
                    }
                    _ => (src.normalized().to_original(h.start..h.end), h.start, h.end),
                };
                if r.start < ws || r.end > we || !passes(src, ns, ne) {
                    continue;
                }
                out.push(Candidate {
                    source: si,
                    start: r.start,
                    end: r.end,
                    tier,
                    distance: 0,
                    score: 1.0,
                    support: 0.0,
                });
            }
        }
        if !out.is_empty() {
            return Ok(out);
        }
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::verify::Verdict;

    const FILLER: &str =
        "The committee reviewed several documents during the session and recorded its observations in the minutes. ";

    fn report() -> &'static str {
        static R: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        R.get_or_init(|| REPORT_TEMPLATE.replace("{filler}", &FILLER.repeat(15)))
    }

    const REPORT_TEMPLATE: &str = "Summary of the inquiry.\n\n\
        The treasurer said the leadership, including the mayor, is ready to meet with us and Ms. Rivera should there be time.[^3] \
        Because of questions about Spencer\u{2019}s reliability, the panel could not assess what happened to the ledger.\n\n\
        Later that week the mayor asked staff to find the missing invoices. {filler}\
        The clerk was told to find the files [Grand Jury] before the audit.[^4]\n\n\
        In March the clerk reported \u{201C}no irregularities\u{201D} to the board \u{2014} a claim the auditors \
        later identified as false. The board obtained the message through [Investigative Technique] in May.\n\n\
        {filler}\n\nFootnotes\n\n[^3]: Interview of the treasurer.\n[^4]: Summary letter to the board.\n";

    type Labels = Vec<(Range<usize>, String)>;

    fn skips(text: &str) -> (Vec<Range<usize>>, Labels) {
        let mut skip = Vec::new();
        let mut labels = Vec::new();
        let mut i = 0;
        while let Some(p) = text.get(i..).and_then(|s| s.find('[')) {
            let a = i + p;
            let Some(q) = text.get(a..).and_then(|s| s.find(']')) else {
                break;
            };
            let b = a + q + 1;
            let inner = &text[a + 1..b - 1];
            if inner.starts_with('^') {
                if !text[b..].starts_with(':') {
                    skip.push(a..b);
                }
            } else {
                labels.push((a..b, inner.to_string()));
            }
            i = b;
        }
        (skip, labels)
    }

    fn source() -> SourceText<'static> {
        let (skip, labels) = skips(report());
        SourceText::with_labels(report(), skip, labels)
    }

    fn found(a: &Anchored) -> &Candidate {
        assert_eq!(a.outcome, Outcome::Found, "{a:?}");
        a.best.as_ref().unwrap_or(&a.candidates[0])
    }

    #[test]
    fn exact_tier() {
        let s = source();
        let a = anchor_in(&s, "the panel could not assess what happened", &Hint::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a);
        assert_eq!(c.tier, Tier::Exact);
        assert_eq!(&report()[c.start..c.end], "the panel could not assess what happened");
        assert_eq!(c.score, 1.0);
    }

    #[test]
    fn normalized_tier_stray_apostrophe_and_case() {
        let s = source();
        let q = "because of questions about Spencer \u{2018}s reliability";
        let a = anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a).clone();
        assert_eq!(c.tier, Tier::Normalized);
        assert_eq!(&report()[c.start..c.end], "Because of questions about Spencer\u{2019}s reliability");
        let v = verify_candidate(std::slice::from_ref(&s), q, &c).unwrap_or_else(|| panic!());
        assert_eq!(v.verdict, Verdict::Normalized);
    }

    #[test]
    fn normalized_tier_reads_through_footnote_markers() {
        let s = source();
        let q = "should there be time. Because of questions";
        let a = anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a).clone();
        assert_eq!(c.tier, Tier::Normalized);
        assert!(report()[c.start..c.end].contains("[^3]"));
        assert_eq!(s.clean_span(c.start..c.end), "should there be time. Because of questions");
        let v = verify_candidate(std::slice::from_ref(&s), q, &c).unwrap_or_else(|| panic!());
        assert_eq!(v.verdict, Verdict::Verbatim);
    }

    #[test]
    fn fuzzy_tier_missing_period() {
        let s = source();
        let q = "is ready to meet with us and Ms Rivera should there be time.";
        let a = anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a).clone();
        assert_eq!(c.tier, Tier::Fuzzy);
        assert_eq!(c.distance, 1);
        assert!(c.score > 0.97 && c.score < 1.0);
        assert_eq!(&report()[c.start..c.end], "is ready to meet with us and Ms. Rivera should there be time.");
        let v = verify_candidate(std::slice::from_ref(&s), q, &c).unwrap_or_else(|| panic!());
        assert_eq!(v.verdict, Verdict::Altered);
        assert_eq!(v.differences[0].quoted, "Ms");
        assert_eq!(v.differences[0].source, "Ms.");
    }

    /// Quotes of every tier and outcome, for comparing the index policies.
    const POLICY_QUOTES: [&str; 9] = [
        "the panel could not assess what happened to the ledger",
        "THE PANEL could not assess what happened to the ledger",
        "is ready to meet with us and Ms Rivera should there be time.",
        "the clerk reported no irregularitys to the bord",
        "Later that week the mayor asked staff ... the missing invoices",
        "[t]he clerk was told to find the files before the audit",
        "the auditors quickly dismissed it all as true",
        "Grand Jury",
        "Ms Rivra",
    ];

    #[test]
    fn index_policies_give_the_same_anchors() {
        let plain = source().with_index(IndexPolicy::Never);
        let always = source().with_index(IndexPolicy::Always).with_text_index_after(0);
        let auto = source();
        for q in POLICY_QUOTES {
            let expected = anchor_in(&plain, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(anchor_in(&always, q, &Hint::default()).ok(), Some(expected.clone()), "{q}");
            assert_eq!(anchor_in(&auto, q, &Hint::default()).ok(), Some(expected), "{q}");
        }
        assert!(!plain.index_built());
        assert!(always.index_built());
        assert!(always.text_index_built());
        // A few fuzzy quotes: fewer passes than building would cost.
        assert!(!auto.index_built());
    }

    #[test]
    fn indexes_are_built_only_within_their_budget() {
        let plain = source().with_index(IndexPolicy::Never);
        let sizes = {
            let s = source();
            let view = QgramIndex::memory_for(s.normalized().len(), IndexParams::default());
            let params = IndexParams { q: 4, step: TEXT_INDEX_STEP };
            let text = QgramIndex::memory_for(s.text().len(), params);
            (view, text, QgramIndex::with_params(s.text().as_bytes(), params).unwrap().memory())
        };
        // An index takes the most it may hold, then gives back what it does not.
        assert!(sizes.1 < sizes.0 && sizes.2 <= sizes.1);
        // (budget, exact passes before the text index, which are built): the
        // first quote's exact search comes first, so with the text index
        // built on it, it takes its share of the budget first.
        for (budget, after, view_built, text_built) in [
            (0, 0, false, false),
            (sizes.0 - 1, usize::MAX, false, false),
            (sizes.0, usize::MAX, true, false),
            (sizes.1, 0, false, true),
            (sizes.0 + sizes.2 - 1, 0, false, true),
            (sizes.0 + sizes.2, 0, true, true),
        ] {
            let shared = Arc::new(IndexBudget::new(budget));
            let s =
                source().with_index(IndexPolicy::Always).with_text_index_after(after).with_index_budget(shared.clone());
            for q in POLICY_QUOTES {
                let expected = anchor_in(&plain, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(anchor_in(&s, q, &Hint::default()).ok(), Some(expected), "{q}, budget {budget}");
            }
            assert_eq!((s.index_built(), s.text_index_built()), (view_built, text_built), "budget {budget}");
            let m = s.memory();
            assert_eq!(m.view_index + m.text_index + shared.left(), budget, "budget {budget}");
            assert_eq!((m.view_index > 0, m.text_index > 0), (view_built, text_built));
            assert!(m.view_index <= sizes.0 && m.text_index <= sizes.1, "budget {budget}: {m:?}");
        }
    }

    #[test]
    fn the_text_index_is_built_only_after_as_many_exact_passes() {
        let s = source().with_index(IndexPolicy::Always);
        for _ in 0..TEXT_INDEX_AFTER {
            assert!(s.text_index().is_none());
        }
        assert!(!s.text_index_built());
        assert!(s.text_index().is_some());
        assert!(s.text_index_built());
        let auto = source().with_text_index_after(0);
        assert!(auto.text_index().is_none(), "only a batch's policy builds it");
    }

    #[test]
    fn auto_policy_builds_the_index_only_after_passes_that_cost_as_much() {
        let s = source();
        let fuzzy = "the clerk reported no irregularitys to the bord";
        // An exact quote passes over nothing fuzzily; a fuzzy one once.
        anchor_in(&s, "the panel could not assess", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..INDEX_AFTER_SCANS {
            assert!(!s.index_built());
            anchor_in(&s, fuzzy, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(!s.index_built());
        let again = anchor_in(&s, fuzzy, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.index_built());
        assert_eq!(found(&again).tier, Tier::Fuzzy);
    }

    #[test]
    fn fuzzy_needs_length_and_score() {
        let s = source();
        // Too short for the fuzzy tier.
        let a = anchor_in(&s, "Ms Rivra", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.outcome, Outcome::NotFound);
        // Long but too different.
        let a = anchor_in(&s, "the auditors quickly dismissed it all as true", &Hint::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.outcome, Outcome::NotFound);
    }

    #[test]
    fn trailing_comma_is_not_searched() {
        let s = source();
        let q = "the panel could not assess what happened to the ledger,";
        let a = anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a).clone();
        assert_eq!(c.tier, Tier::Exact);
        assert_eq!(&report()[c.end..c.end + 1], ".");
        let v = verify_candidate(std::slice::from_ref(&s), q, &c).unwrap_or_else(|| panic!());
        assert_eq!(v.verdict, Verdict::Verbatim);
        // A trailing period the source has is included in the span.
        let q = "what happened to the ledger.";
        let c = found(&anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert!(report()[c.start..c.end].ends_with("ledger."));
    }

    #[test]
    fn ellipsis_and_brackets_split_the_quote() {
        let s = source();
        let q = "the clerk reported \u{201C}no irregularities\u{201D} \u{2026} a claim the auditors later identified as false";
        let c = found(&anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert!(report()[c.start..c.end].starts_with("the clerk reported"));
        assert!(report()[c.start..c.end].ends_with("identified as false"));
        let v = verify_candidate(std::slice::from_ref(&s), q, &c).unwrap_or_else(|| panic!());
        assert_eq!(v.verdict, Verdict::Verbatim, "{v:?}");

        let q = "[t]he clerk was told to find the files";
        let c = found(&anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert_eq!(&report()[c.start..c.end], "The clerk was told to find the files");

        let q = "[the official] was told to find the files";
        let c = found(&anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert!(report()[c.start..c.end].ends_with("was told to find the files"));

        // Pieces too far apart: not found.
        let q = "Summary of the inquiry \u{2026} letter to the board";
        let a = anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.outcome, Outcome::NotFound);
    }

    #[test]
    fn short_quotes_are_ambiguous_without_hint() {
        let s = source();
        let a = anchor_in(&s, "find", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.outcome, Outcome::Ambiguous);
        assert_eq!(a.candidate_count, 2);
        assert!(a.best.is_none());
    }

    #[test]
    fn context_resolves_short_quotes() {
        let s = source();
        let hint = Hint {
            focus: None,
            context: Some("The mayor wanted staff to \u{201C}find\u{201D} the invoices that had gone missing.".into()),
            near: vec![],
        };
        let c = found(&anchor_in(&s, "find", &hint).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert!(report()[c.end..].starts_with(" the missing invoices"));
        assert!(c.support > 0.0);
    }

    #[test]
    fn proximity_resolves_short_quotes() {
        let s = source();
        let files = report().find("the files").unwrap_or(0);
        let hint = Hint { focus: None, context: None, near: vec![(0, files)] };
        let c = found(&anchor_in(&s, "find", &hint).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert!(report()[c.end..].starts_with(" the files"));
    }

    #[test]
    fn footnotes_stand_at_their_markers() {
        let s = source();
        let r = report();
        let m3 = r.find("[^3] ").unwrap_or(0);
        let m4 = r.find("[^4]\n").unwrap_or(0);
        let n3 = r.find("[^3]:").unwrap_or(0);
        let n4 = r.find("[^4]:").unwrap_or(0);
        let e3 = n3 + r[n3..].find('\n').unwrap_or(0);
        let e4 = n4 + r[n4..].find('\n').unwrap_or(0);
        let s = s.with_footnotes(vec![(n3..e3, m3), (n4..e4, m4)]);
        assert_eq!(s.footnote_marker(n4 + 6), Some(m4));
        assert_eq!(s.footnote_marker(m4), None);
        // "Summary" opens the body and footnote 4; a neighbour at footnote 4's
        // marker picks the footnote, but only once footnotes are declared.
        let hint = Hint { focus: None, context: None, near: vec![(0, m4)] };
        let plain = source();
        let a = anchor_in(&plain, "Summary", &hint).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.outcome, Outcome::Ambiguous);
        let a = anchor_in(&s, "Summary", &hint).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found(&a).start, n4 + 6);
    }

    #[test]
    fn word_boundaries_preferred() {
        let text = "the findings were filed; then they had to find it";
        let s = SourceText::new(text, vec![]);
        let c = found(&anchor_in(&s, "find", &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert_eq!(c.start, text.rfind("find").unwrap_or(0));
    }

    #[test]
    fn redaction_label_quote() {
        let s = source();
        let a = anchor_in(&s, "investigative technique", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a).clone();
        assert_eq!(c.tier, Tier::RedactionLabel);
        assert_eq!(&report()[c.start..c.end], "[Investigative Technique]");
        assert_eq!(s.label_at(&(c.start..c.end)), Some("Investigative Technique"));
        let v = verify_candidate(std::slice::from_ref(&s), "investigative technique.", &c).unwrap_or_else(|| panic!());
        assert_eq!(v.verdict, Verdict::Normalized);
        assert!(v.differences.is_empty());
        // The label's words never anchor as text.
        let a = anchor_in(&s, "Grand Jury", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found(&a).tier, Tier::RedactionLabel);
        // A quote that runs across a label reads through it.
        let c = found(
            &anchor_in(&s, "find the files before the audit", &Hint::default()).unwrap_or_else(|e| panic!("{e}")),
        )
        .clone();
        assert_eq!(c.tier, Tier::Normalized);
    }

    #[test]
    fn several_sources() {
        let one = SourceText::new("alpha beta gamma delta", vec![]);
        let two = SourceText::new("epsilon \u{201C}zeta\u{201D} eta theta", vec![]);
        let srcs = [one, two];
        let a = anchor(&srcs, "\"zeta\" eta", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a);
        assert_eq!((c.source, c.tier), (1, Tier::Normalized));
        // Exact in one source wins over normalized in another.
        let srcs = [SourceText::new("The Plan was set", vec![]), SourceText::new("the plan was set", vec![])];
        let c = found(&anchor(&srcs, "the plan was set", &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert_eq!((c.source, c.tier), (1, Tier::Exact));
    }

    #[test]
    fn caps_and_bad_input() {
        let s = source();
        let long = "x".repeat(MAX_QUOTE + 1);
        assert!(matches!(anchor_in(&s, &long, &Hint::default()), Err(Error::TooLarge { .. })));
        assert!(matches!(anchor_in(&s, "  ", &Hint::default()), Err(Error::InvalidInput { .. })));
        assert!(matches!(anchor_in(&s, "\u{2026}", &Hint::default()), Err(Error::InvalidInput { .. })));
    }

    #[test]
    fn selectors() {
        let s = source();
        let srcs = std::slice::from_ref(&s);
        let all = find_all(srcs, &Selector { exact: "find", ..Selector::default() }).unwrap();
        assert_eq!(all.len(), 2);
        let one = find_all(srcs, &Selector { exact: "find", prefix: Some("CLERK WAS TOLD TO"), ..Selector::default() })
            .unwrap();
        assert_eq!(one.len(), 1);
        assert!(report()[one[0].end..].starts_with(" the files"));
        let one =
            find_all(srcs, &Selector { exact: "find", suffix: Some("the missing"), ..Selector::default() }).unwrap();
        assert_eq!(one.len(), 1);
        // Prefix must immediately precede.
        let none =
            find_all(srcs, &Selector { exact: "find", prefix: Some("the mayor"), ..Selector::default() }).unwrap();
        assert!(none.is_empty());
        // Normalized tier when exact fails.
        let n = find_all(srcs, &Selector { exact: "\"no irregularities\"", ..Selector::default() }).unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].tier, Tier::Normalized);
        // Within a range.
        let start = report().find("The clerk").unwrap_or(0);
        let w = find_all(srcs, &Selector { exact: "find", within: Some(start..report().len()), ..Selector::default() })
            .unwrap();
        assert_eq!(w.len(), 1);
        assert!(matches!(find_all(srcs, &Selector::default()), Err(Error::InvalidInput { .. })));
    }

    #[test]
    fn clean_span_removes_skips() {
        let s = source();
        let a = report().find("find the files").unwrap_or(0);
        let b = report().find("audit.").unwrap_or(0) + 6;
        assert_eq!(s.clean_span(a..b + 4), "find the files before the audit.");
    }

    #[test]
    fn pdf_like_source() {
        let text = "The treasurer said the plan would be\nannounced after the commu-\nnications review was\u{000C}complete. Spencer ' s memo agreed.";
        let s = SourceText::new(text, vec![]);
        let q = "the plan would be announced after the communications review was complete.";
        let c = found(&anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert_eq!(c.tier, Tier::Normalized);
        assert!(text[c.start..c.end].starts_with("the plan") && text[c.start..c.end].ends_with("complete."));
        let v = verify_candidate(std::slice::from_ref(&s), q, &c).unwrap_or_else(|| panic!());
        assert_eq!(v.verdict, Verdict::Normalized, "{v:?}");
        let c =
            found(&anchor_in(&s, "Spencer\u{2019}s memo", &Hint::default()).unwrap_or_else(|e| panic!("{e}"))).clone();
        assert_eq!(&text[c.start..c.end], "Spencer ' s memo");
    }

    #[test]
    fn fuzzy_score_margin_decides() {
        let text = "one: the quarterly ledger was closed early. two: the quartely ledgr was clsed erly.";
        let s = SourceText::new(text, vec![]);
        let a =
            anchor_in(&s, "the quarterly ledger was closed erly", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        let c = found(&a);
        assert_eq!(c.tier, Tier::Fuzzy);
        assert!(c.start < 10);
        assert_eq!(a.candidate_count, 2);
    }

    #[test]
    fn candidate_list_is_capped() {
        let text = "tick ".repeat(100);
        let s = SourceText::new(&text, vec![]);
        let a = anchor_in(&s, "tick", &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.outcome, Outcome::Ambiguous);
        assert_eq!(a.candidate_count, 100);
        assert_eq!(a.candidates.len(), MAX_LISTED);
        // Deterministic order: by support, then position.
        assert!(a.candidates.windows(2).all(|w| w[0].start < w[1].start));
    }

    #[test]
    fn prefetched_hits_are_used_and_kept_as_a_search_takes_them() {
        // `PREFETCH_MIN` patterns or more are found in one pass; fewer are left alone.
        let text = "aaaa ba [aa] aaa the clerk. the clerk.";
        let s = SourceText::new(text, std::iter::once(8..12).collect());
        let few: Vec<String> =
            (0..PREFETCH_MIN - 3).map(|i| format!("w{i}")).chain(["aa".to_string(), "the clerk".to_string()]).collect();
        s.prefetch_exact(&few.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(s.known_exact("aa").is_none());
        let many: Vec<String> =
            (0..PREFETCH_MIN).map(|i| format!("w{i}")).chain(["aa".to_string(), "the clerk".to_string()]).collect();
        s.prefetch_exact(&many.iter().map(String::as_str).collect::<Vec<_>>());
        // Non-overlapping from the left, as memmem takes them; the one in the
        // skip range is kept (a search refuses it, as it refuses memmem's).
        assert_eq!(s.known_exact("aa").as_deref(), Some(&[0, 2, 9, 13][..]));
        assert_eq!(s.known_exact("w3").as_deref(), Some(&[][..]));
        let hits = |src: &SourceText<'_>| {
            search(src, Tier::Exact, "aa", 0..text.len(), LEAD_LIMIT)
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(|h| h.start)
                .collect::<Vec<_>>()
        };
        assert_eq!(hits(&s), vec![0, 2, 13]);
        assert_eq!(hits(&s), hits(&SourceText::new(text, std::iter::once(8..12).collect())));
        // A copy of the view starts with nothing kept.
        assert!(s.clone().known_exact("aa").is_none());
    }

    #[test]
    fn a_quote_searched_once_builds_no_whole_view() {
        let filler =
            "Crews moved the dirt to the north quay, and the board\u{2019}s clerk \u{2014} again \u{2014} filed it. ";
        let text = format!(
            "{}The ferry contractor \u{201C}was never approved in writing\u{201D} by the board.[^7] {}",
            filler.repeat(40),
            filler.repeat(60)
        );
        let marker = text.find("[^7]").unwrap_or(0);
        let skip: Vec<Range<usize>> = std::iter::once(marker..marker + 4).collect();
        let whole = [SourceText::new(&text, skip.clone())];
        let cases = [
            ("the Ferry Contractor \"was never approved in writing\" by the board.", Some(Tier::Normalized)),
            ("the ferry contractor was never aproved in writing by the board", Some(Tier::Fuzzy)),
            ("the tugboat operator was never signed off by the harbor board", None),
        ];
        for (quote, tier) in cases {
            let want =
                settle(&whole, &Hint::default(), &search_quote(&whole, quote, true).unwrap_or_else(|e| panic!("{e}")));
            assert_eq!(want.best.as_ref().map(|c| c.tier), tier, "{quote}");
            for cut in [Some((512, 1)), Some((700, 2)), Some((1, 2))] {
                let fresh = [SourceText::new(&text, skip.clone())];
                let once = search_once(&fresh, quote, cut).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(settle(&fresh, &Hint::default(), &once), want, "{quote} {cut:?}");
                assert!(!fresh[0].view_built(), "{quote} {cut:?}");
            }
        }
    }

    #[test]
    fn try_new_and_selector_skips() {
        let text = "see [Grand Jury] and the Grand Jury rules";
        let g = text.find('[').unwrap_or(0);
        let s = SourceText::try_new(text, std::iter::once(g..g + 12).collect()).unwrap_or_else(|e| panic!("{e}"));
        let hits =
            find_all(std::slice::from_ref(&s), &Selector { exact: "Grand Jury", ..Selector::default() }).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].start, text.rfind("Grand").unwrap_or(0));
        let long = "y".repeat(MAX_QUOTE + 1);
        assert!(matches!(
            find_all(std::slice::from_ref(&s), &Selector { exact: &long, ..Selector::default() }),
            Err(Error::TooLarge { .. })
        ));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            /// Quotes cut from the source at any character boundaries (not
            /// random text, which would almost never match), some with one
            /// character changed, some with the sentence around them as context:
            /// every candidate is a valid span, `best` is set exactly when the
            /// outcome is Found, and an unchanged cut of plain words is found.
            #[test]
            fn cuts_of_the_source_anchor_to_valid_spans(
                at in 0usize..4000, len in 1usize..80, edit in proptest::option::of((0usize..80, prop::sample::select(vec!['x', ' ', '\u{2019}', '"', '\u{e9}', '.']))),
                with_context in any::<bool>(),
            ) {
                let r = report();
                let bounds: Vec<usize> = r.char_indices().map(|(i, _)| i).chain(std::iter::once(r.len())).collect();
                let a = at % bounds.len();
                let (start, end) = (bounds[a], bounds[(a + len).min(bounds.len() - 1)]);
                let cut = &r[start..end];
                let q: String = match edit {
                    Some((k, c)) if !cut.is_empty() => {
                        let k = k % cut.chars().count();
                        cut.chars().enumerate().map(|(i, ch)| if i == k { c } else { ch }).collect()
                    }
                    _ => cut.to_string(),
                };
                let last = bounds.len() - 1;
                let context = with_context.then(|| r[bounds[a.saturating_sub(60)]..bounds[(a + len + 60).min(last)]].to_string());
                let s = source();
                match anchor_in(&s, &q, &Hint { context, focus: None, near: vec![] }) {
                    Ok(res) => {
                        for c in &res.candidates {
                            prop_assert!(c.start <= c.end && c.end <= r.len(), "{c:?}");
                            prop_assert!(r.is_char_boundary(c.start) && r.is_char_boundary(c.end));
                        }
                        prop_assert_eq!(res.best.is_some(), res.outcome == Outcome::Found);
                        // Words inside a redaction label or footnote marker are
                        // skipped by design (a label is not the source's words).
                        let (skip, labels) = skips(r);
                        let in_skip = skip.iter().chain(labels.iter().map(|(k, _)| k)).any(|k| k.start < end && start < k.end);
                        let plain = q == cut
                            && !in_skip
                            && cut.chars().filter(|c| c.is_alphanumeric()).count() >= 4
                            && !cut.contains(['[', ']', '\u{2026}', '.', ',', '\u{201C}', '\u{201D}', '\u{2014}', '\x0c']);
                        if plain {
                            prop_assert!(res.outcome != Outcome::NotFound, "{:?} was cut from the source: {:?}", cut, res);
                        }
                    }
                    // Nothing to search (blank, only punctuation) or too long.
                    Err(e) => prop_assert!(matches!(e, Error::InvalidInput { .. } | Error::TooLarge { .. }), "{q:?}: {e:?}"),
                }
            }

            /// A source searched through its q-gram index anchors every quote
            /// as one searched by passes: cuts of the report with editors'
            /// edits (words changed, left out with an ellipsis, case), so all
            /// tiers and outcomes occur.
            #[test]
            fn indexed_sources_anchor_as_scanned_ones(
                at in 0usize..4000, len in 8usize..160,
                edits in prop::collection::vec((0usize..160, prop::sample::select(vec!["x", "", " ... ", "Q", "qq"])), 0..5),
            ) {
                let r = report();
                let bounds: Vec<usize> = r.char_indices().map(|(i, _)| i).chain(std::iter::once(r.len())).collect();
                let a = at % bounds.len();
                let (start, end) = (bounds[a], bounds[(a + len).min(bounds.len() - 1)]);
                let mut q: Vec<String> = r[start..end].chars().map(String::from).collect();
                for (k, e) in edits {
                    if !q.is_empty() {
                        let k = k % q.len();
                        q[k] = e.to_string();
                    }
                }
                let q = q.concat();
                let plain = source().with_index(IndexPolicy::Never);
                let indexed = source().with_index(IndexPolicy::Always).with_text_index_after(0);
                let want = anchor_in(&plain, &q, &Hint::default()).map_err(|e| e.to_string());
                prop_assert_eq!(anchor_in(&indexed, &q, &Hint::default()).map_err(|e| e.to_string()), want);
            }

            /// Exact searches read from hits found in bulk give what a search
            /// of their own gives: overlapping and repeated occurrences, hits
            /// in skip ranges, patterns found too often, every quote's anchoring.
            #[test]
            fn prefetched_hits_anchor_as_searched_ones(
                text in "(ab|ba|a|b| |aab|\\[x\\]|\u{e9}){0,80}",
                quotes in prop::collection::vec("(a|b| |aab|\u{e9}){1,6}", 16..24),
                skips in prop::collection::vec((0usize..200, 0usize..6), 0..4),
            ) {
                let skip: Vec<Range<usize>> = skips.iter().map(|&(s, l)| s..s + l).collect();
                let plain = SourceText::new(&text, skip.clone());
                let bulk = SourceText::new(&text, skip);
                let leads: Vec<Option<String>> = quotes.iter().map(|q| exact_lead(q)).collect();
                // The pass itself, however few the patterns.
                bulk.prefetch_at_least(&leads.iter().flatten().map(String::as_str).collect::<Vec<_>>(), 1);
                for (q, lead) in quotes.iter().zip(&leads) {
                    let want = anchor_in(&plain, q, &Hint::default()).map_err(|e| e.to_string());
                    let got = anchor_in(&bulk, q, &Hint::default()).map_err(|e| e.to_string());
                    prop_assert_eq!(got, want, "{:?}", q);
                    let Some(lead) = lead else { continue };
                    let want = search(&plain, Tier::Exact, lead, 0..text.len(), LEAD_LIMIT).map(|h| h.iter().map(|x| (x.start, x.end)).collect::<Vec<_>>()).map_err(|e| e.to_string());
                    let got = search(&bulk, Tier::Exact, lead, 0..text.len(), LEAD_LIMIT).map(|h| h.iter().map(|x| (x.start, x.end)).collect::<Vec<_>>()).map_err(|e| e.to_string());
                    prop_assert_eq!(got, want, "{:?}", lead);
                }
            }

            #[test]
            fn source_substrings_anchor(a in 0usize..60, len in 1usize..12) {
                // Word-aligned slices of the body anchor to a span that reads the same.
                let r = report();
                let body = &r[..r.find("Later that week").unwrap_or(r.len())];
                let words: Vec<(usize, &str)> = body.split_whitespace().map(|w| (w.as_ptr() as usize - body.as_ptr() as usize, w)).collect();
                let a = a % words.len();
                let b = (a + len).min(words.len()) - 1;
                let (sa, _) = words[a];
                let (sb, wb) = words[b];
                let q = &body[sa..sb + wb.len()];
                prop_assume!(!q.contains('[') && q.trim_end_matches([',', '.']).len() > 1);
                let s = source();
                let res = anchor_in(&s, q, &Hint::default()).unwrap_or_else(|e| panic!("{e}"));
                prop_assert!(res.outcome != Outcome::NotFound);
                prop_assert!(res.candidates.iter().any(|c| c.start == sa && s.clean_span(c.start..c.end).trim_end_matches([',', '.']) == q.trim_end_matches([',', '.'])), "{:?} {:?}", q, res);
            }
        }
    }
}
