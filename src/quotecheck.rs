//! Quote checking, composed from the text engine: find an article's quotations,
//! anchor each in its sources, verify it, and report where it landed (page,
//! redactions around it). Stateless: no ledger needed, so pipelines can call it
//! directly (`claimledger quotes`, `claimledger locate`), and the trace importer
//! uses the same functions.
//!
//! ```
//! use claimledger::quotecheck::{check_article, PreparedSource};
//! use claimledger::{QuoteLocation, QuoteStatus};
//! # fn main() -> claimledger::Result<()> {
//! let report = PreparedSource::new(
//!     "report.txt",
//!     "The harbour board said the repairs were \"finished on time and under budget.\" Crews left in May.",
//!     Vec::new(),
//! );
//! let article = "The board called the repairs “finished on time and under budget.” \
//!                “The crews were paid in full,” the mayor said.";
//! let quotes = check_article(article, &[report])?;
//! assert_eq!(quotes.len(), 2);
//! // The first quote stands word for word in the report.
//! assert_eq!(quotes[0].finding.status, QuoteStatus::Verbatim);
//! assert_eq!(quotes[0].finding.location, QuoteLocation::Unique);
//! // The second is nowhere in the sources, and the article gives it to the mayor.
//! assert_eq!(quotes[1].finding.status, QuoteStatus::NotFound);
//! let who = quotes[1].attribution.as_ref().expect("attributed");
//! assert_eq!((who.speaker.as_str(), who.cue.as_str()), ("the mayor", "the mayor said"));
//! # Ok(()) }
//! ```

use crate::span::{CharIndex, Pages, SharedText};
use crate::text::anchor::{self, Hint, Outcome, SourceText};
use crate::text::attribution::{self, Attribution};
use crate::text::footnotes::{self, FootnoteDef, Footnotes};
use crate::text::normalize::{NormalizeOptions, Normalized};
use crate::text::rank::ArticleWords;
use crate::text::{places, quotes, segment, verify};
use crate::{Error, QuoteLocation, QuoteStatus, Result, Tier};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

/// A source prepared for checking: its text, redaction labels, and lazily built
/// indexes (footnotes, pages, normalized views, skip ranges), each built once.
///
/// What a hit needs besides these (its sentence, the redactions around it) is
/// computed from the hit's own lines and a binary search of the sorted indexes,
/// never by segmenting or scanning the whole source: the cost of a hit does not
/// grow with the source.
#[derive(Debug)]
pub struct PreparedSource {
    name: String,
    /// The text, held once: a file read for `locate` is moved in, not copied.
    text: SharedText,
    /// Redactions: byte span, label as written, reason code if known.
    redactions: Vec<(Range<usize>, String, Option<String>)>,
    footnotes: OnceLock<Footnotes>,
    pages: OnceLock<Pages>,
    selector_norm: OnceLock<Normalized>,
    chars: OnceLock<CharIndex>,
    skips: OnceLock<Spans>,
    /// Indexes of `redactions`, by span.
    by_span: OnceLock<Spans>,
    /// (footnote number, index of its first definition), sorted by number.
    definitions: OnceLock<Vec<(u32, usize)>>,
    /// The statements of the lines segmented so far, by lines: a passage hit
    /// again (by another quote, another article of a batch) is not segmented
    /// again.
    statements: Mutex<HashMap<Range<usize>, Arc<[segment::Statement]>>>,
}

/// Byte ranges sorted by (start, end), with the longest length, so the ranges
/// overlapping a window are found by binary search.
#[derive(Debug, Default)]
struct Spans {
    ranges: Vec<Range<usize>>,
    /// What each range stands for (an index into the owner's list).
    keys: Vec<usize>,
    longest: usize,
}

impl Spans {
    /// Sorts `(range, key)` pairs (stable: equal ranges keep their order).
    fn new(mut v: Vec<(Range<usize>, usize)>) -> Spans {
        // Stable: a list already in order (the usual case) is left as it is.
        if !v.is_sorted_by_key(|(r, _)| (r.start, r.end)) {
            v.sort_by_key(|(r, _)| (r.start, r.end));
        }
        let longest = v.iter().map(|(r, _)| r.end.saturating_sub(r.start)).max().unwrap_or(0);
        let (ranges, keys) = v.into_iter().unzip();
        Spans { ranges, keys, longest }
    }

    /// Positions (in sorted order) of the ranges with `start < end_before` that
    /// may reach `from` (their start is at least `from - longest`).
    fn near(&self, from: usize, end_before: usize) -> Range<usize> {
        let lo = self.ranges.partition_point(|r| r.start < from.saturating_sub(self.longest));
        let hi = self.ranges.partition_point(|r| r.start < end_before).max(lo);
        lo..hi
    }
}

/// Normalized view used to match short selectors: case folded, footnote markers
/// (and the given ranges) skipped.
pub(crate) fn normalize_for_selectors(text: &str, extra_skip: &[Range<usize>]) -> Normalized {
    let mut skip: Vec<Range<usize>> = footnotes::footnotes(text).markers.iter().map(|m| m.start..m.end).collect();
    skip.extend(extra_skip.iter().cloned());
    Normalized::new(text, &NormalizeOptions { fold_case: true, skip })
}

impl PreparedSource {
    /// A source named `name` (a path or key, echoed in results) with its text and
    /// redactions (byte span, label, reason code). The text is an `Arc<str>`, a
    /// [`SharedText`], a `String` (moved in, not copied) or a `&str` (copied).
    pub fn new(
        name: impl Into<String>,
        text: impl Into<SharedText>,
        redactions: Vec<(Range<usize>, String, Option<String>)>,
    ) -> PreparedSource {
        PreparedSource {
            name: name.into(),
            text: text.into(),
            redactions,
            footnotes: OnceLock::new(),
            pages: OnceLock::new(),
            selector_norm: OnceLock::new(),
            chars: OnceLock::new(),
            skips: OnceLock::new(),
            by_span: OnceLock::new(),
            definitions: OnceLock::new(),
            statements: Mutex::new(HashMap::new()),
        }
    }

    /// The name given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Its footnotes.
    pub fn footnotes(&self) -> &Footnotes {
        self.footnotes.get_or_init(|| footnotes::footnotes(&self.text))
    }

    /// The first definition of footnote `n` (what [`Footnotes::definition`]
    /// finds), by a binary search instead of a scan of every definition.
    fn definition(&self, n: u32) -> Option<&FootnoteDef> {
        self.definition_index(n).and_then(|i| self.footnotes().definitions.get(i))
    }

    /// The index of the first definition of footnote `n` in
    /// [`Footnotes::definitions`].
    fn definition_index(&self, n: u32) -> Option<usize> {
        let notes = self.footnotes();
        let by_number = self.definitions.get_or_init(|| {
            let mut v: Vec<(u32, usize)> = notes.definitions.iter().enumerate().map(|(i, d)| (d.number, i)).collect();
            // Stable: of equal numbers the first definition stays first.
            if !v.is_sorted_by_key(|&(n, _)| n) {
                v.sort_by_key(|&(n, _)| n);
            }
            v.dedup_by_key(|&mut (n, _)| n);
            v.shrink_to_fit();
            v
        });
        let k = by_number.partition_point(|&(m, _)| m < n);
        by_number.get(k).filter(|&&(m, _)| m == n).map(|&(_, i)| i)
    }

    /// Bytes it holds besides its text and the views built from it, in two
    /// parts: its footnotes, pages, redactions and the spans built from them;
    /// and the rest (its code-point index, the view selectors read, the
    /// statements of the lines segmented so far). Only what was built counts.
    pub(crate) fn prepared_bytes(&self) -> (usize, usize) {
        use std::mem::size_of;
        let spans = |s: &OnceLock<Spans>| {
            s.get().map_or(0, |s| s.ranges.capacity() * size_of::<Range<usize>>() + s.keys.capacity() * 8)
        };
        let notes = self.footnotes.get().map_or(0, |f| {
            f.markers.capacity() * size_of::<footnotes::FootnoteMarker>()
                + f.definitions.capacity() * size_of::<FootnoteDef>()
        }) + self.pages.get().map_or(0, Pages::heap_bytes)
            + self.redactions.capacity() * size_of::<(Range<usize>, String, Option<String>)>()
            + self
                .redactions
                .iter()
                .map(|(_, l, r)| l.capacity() + r.as_ref().map_or(0, String::capacity))
                .sum::<usize>()
            + spans(&self.skips)
            + spans(&self.by_span)
            + self.definitions.get().map_or(0, |d| d.capacity() * size_of::<(u32, usize)>());
        let statements = self
            .statements
            .lock()
            .map_or(0, |m| m.values().map(|v| v.len() * size_of::<segment::Statement>() + 48).sum::<usize>());
        let other = self.chars.get().map_or(0, CharIndex::heap_bytes)
            + self.selector_norm.get().map_or(0, |n| n.heap_bytes().0 + n.heap_bytes().1)
            + statements;
        (notes, other)
    }

    /// Its pages.
    pub fn pages(&self) -> &Pages {
        self.pages.get_or_init(|| Pages::new(&self.text))
    }

    /// Its code-point index.
    pub fn chars(&self) -> &CharIndex {
        self.chars.get_or_init(|| CharIndex::shared(self.text.clone()))
    }

    pub(crate) fn selector_norm(&self) -> &Normalized {
        self.selector_norm.get_or_init(|| normalize_for_selectors(&self.text, &[]))
    }

    /// The byte range of the sentence(s) covering `r` (or `r` itself when it lies
    /// between sentences). Only the lines holding `r` are segmented.
    pub fn sentences_around(&self, r: Range<usize>) -> Range<usize> {
        let s = self.statements_around(r.clone());
        let first = s.partition_point(|x| x.end <= r.start);
        let mut start = r.start;
        let mut end = r.end;
        for x in s[first..].iter().take_while(|x| x.start < r.end.max(r.start + 1)) {
            start = start.min(x.start);
            end = end.max(x.end);
        }
        start..end
    }

    /// [`segment::statements_around`] in this source, each set of lines
    /// segmented once and kept (the lines around the hits of a source are few
    /// next to the source; the memo is bounded by its lines).
    fn statements_around(&self, r: Range<usize>) -> Arc<[segment::Statement]> {
        let lines = segment::lines_around(&self.text, r.clone());
        // A poisoned lock only means another thread panicked while inserting:
        // the map itself is still a valid memo.
        let lookup = |m: &HashMap<Range<usize>, Arc<[segment::Statement]>>| m.get(&lines).cloned();
        let known = match self.statements.lock() {
            Ok(m) => lookup(&m),
            Err(p) => lookup(&p.into_inner()),
        };
        if let Some(s) = known {
            return s;
        }
        let s: Arc<[segment::Statement]> = segment::statements_around(&self.text, r).into();
        match self.statements.lock() {
            Ok(mut m) => m.insert(lines, s.clone()),
            Err(p) => p.into_inner().insert(lines, s.clone()),
        };
        s
    }

    /// Ranges the matcher skips: footnote markers and redaction labels, sorted.
    fn skip_spans(&self) -> &Spans {
        self.skips.get_or_init(|| {
            let mut v: Vec<(Range<usize>, usize)> =
                self.footnotes().markers.iter().map(|m| (m.start..m.end, 0)).collect();
            v.extend(self.redactions.iter().map(|r| (r.0.clone(), 0)));
            Spans::new(v)
        })
    }

    /// The redactions, sorted by span.
    fn redaction_spans(&self) -> &Spans {
        self.by_span
            .get_or_init(|| Spans::new(self.redactions.iter().enumerate().map(|(i, r)| (r.0.clone(), i)).collect()))
    }

    /// Indexes of the redactions overlapping `a..b` in the sense of `keep`, in
    /// the order they were given.
    fn redactions_over(&self, a: usize, b: usize, keep: impl Fn(&Range<usize>) -> bool) -> Vec<usize> {
        let spans = self.redaction_spans();
        let mut v: Vec<usize> =
            spans.near(a, b.saturating_add(1)).filter(|&k| keep(&spans.ranges[k])).map(|k| spans.keys[k]).collect();
        v.sort_unstable();
        v
    }

    /// The matcher's view of the whole source (builds its normalized text).
    pub fn source_text(&self) -> SourceText<'_> {
        // The footnote markers; the view adds the redaction labels to its
        // skip ranges itself (two sorted lists: merged in one pass, where the
        // markers and redactions of `skip_spans` with the labels again were
        // sorted in full).
        SourceText::with_label_names(
            &self.text,
            self.footnotes().markers.iter().map(|m| m.start..m.end).collect(),
            self.redactions.iter().map(|(r, name, _)| (r.clone(), name.as_str())),
        )
        .with_footnotes(self.footnote_links())
    }

    /// Each footnote's text with the offset of its marker, so a candidate inside
    /// a footnote counts as standing at its marker.
    ///
    /// One link per definition, with its first marker: the markers of a number
    /// share its first definition, and of links with the same text
    /// [`SourceText::with_footnotes`] keeps the first. So the list is as long
    /// as the definitions, not the markers, and (markers and definitions in
    /// the same order, the usual case) already sorted.
    fn footnote_links(&self) -> Vec<(Range<usize>, usize)> {
        let notes = self.footnotes();
        let mut linked = vec![false; notes.definitions.len()];
        notes
            .markers
            .iter()
            .filter_map(|m| {
                let i = self.definition_index(m.number)?;
                let first = !std::mem::replace(linked.get_mut(i)?, true);
                first.then(|| (notes.definitions[i].text_range(), m.start))
            })
            .collect()
    }

    /// The matcher's view of a window of the source; offsets it reports are
    /// relative to `w.start`.
    pub(crate) fn window(&self, w: Range<usize>) -> SourceText<'_> {
        let shift = |r: &Range<usize>| r.start.saturating_sub(w.start)..r.end.min(w.end).saturating_sub(w.start);
        let inside = |r: &Range<usize>| r.start >= w.start && r.end <= w.end;
        let sk = self.skip_spans();
        let first = sk.ranges.partition_point(|r| r.start < w.start);
        let skips =
            sk.ranges[first..].iter().take_while(|r| r.start <= w.end).filter(|r| inside(r)).map(shift).collect();
        let rs = self.redaction_spans();
        let first = rs.ranges.partition_point(|r| r.start < w.start);
        let mut labels: Vec<usize> = rs.ranges[first..]
            .iter()
            .zip(&rs.keys[first..])
            .take_while(|(r, _)| r.start <= w.end)
            .filter(|(r, _)| inside(r))
            .map(|(_, &k)| k)
            .collect();
        labels.sort_unstable();
        let labels = labels.iter().map(|&k| (shift(&self.redactions[k].0), self.redactions[k].1.as_str()));
        SourceText::with_label_names(&self.text[w.clone()], skips, labels)
    }

    /// The text of `r` without footnote markers and redaction labels.
    fn clean(&self, r: Range<usize>) -> String {
        let mut out = String::with_capacity(r.len());
        let mut at = r.start;
        let sk = self.skip_spans();
        for s in &sk.ranges[sk.near(r.start, r.end)] {
            if s.end <= at || s.start >= r.end {
                continue;
            }
            if s.start > at {
                out.push_str(&self.text[at..s.start]);
            }
            at = at.max(s.end);
        }
        if at < r.end {
            out.push_str(&self.text[at..r.end]);
        }
        out
    }

    /// Redactions inside `r`, in the sentence(s) around it, or in the footnotes
    /// whose markers are in those sentences.
    fn redactions_near(&self, r: Range<usize>) -> Vec<RedactionNear> {
        let sentence = self.sentences_around(r.clone());
        let mut out = Vec::new();
        let mut push = |x: &(Range<usize>, String, Option<String>), place: &'static str| {
            if !out.iter().any(|o: &RedactionNear| o.range == x.0) {
                out.push(RedactionNear { range: x.0.clone(), label: x.1.clone(), code: x.2.clone(), place });
            }
        };
        for k in self.redactions_over(r.start, r.end, |x| x.start < r.end && x.end > r.start) {
            push(&self.redactions[k], "inside");
        }
        let (ss, se) = (sentence.start, sentence.end);
        for k in self.redactions_over(ss, se, |x| x.start <= se && x.end >= ss) {
            push(&self.redactions[k], "sentence");
        }
        let notes = self.footnotes();
        for m in notes.markers_in(sentence.clone()) {
            if let Some(def) = self.definition(m.number) {
                let fr = def.text_range();
                for k in self.redactions_over(fr.start, fr.end, |x| x.start < fr.end && x.end > fr.start) {
                    push(&self.redactions[k], "footnote");
                }
            }
        }
        out
    }
}

/// A redaction near an anchored quote.
#[derive(Debug, Clone, PartialEq)]
pub struct RedactionNear {
    /// Byte span in the source.
    pub range: Range<usize>,
    /// Label as written.
    pub label: String,
    /// Reason code, if known.
    pub code: Option<String>,
    /// `inside` the anchored span, in the same `sentence`, or in a `footnote` of it.
    pub place: &'static str,
}

/// One place where a quote's words stand: a candidate of the anchoring.
///
/// A quote whose location is [`QuoteLocation::Ambiguous`] lists every place in
/// [`Finding::places`], in the anchoring's order (fuzzy score, then the support
/// the article's context gave it). A later step that knows more (the article's
/// sentence, the desk's choice) reorders them and pins one with [`check_at`].
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Index of the source in the list given.
    pub source: usize,
    /// Byte range in that source.
    pub range: Range<usize>,
    /// The tier it matched at.
    pub tier: Tier,
    /// Similarity of the words, 1.0 for identical (`1 - distance / length`).
    pub score: f64,
    /// Support the article's context and the neighbouring quotes gave it
    /// (0 when the candidates were not compared with the context).
    pub support: f64,
    /// The score the article sentence holding the quote gave the place, when the
    /// places were ranked by it ([`crate::text::places`]; higher is better).
    pub rank: Option<f64>,
    /// The verdict about the words at this place, when they were compared with it
    /// (every listed place of an ambiguous quote, the chosen place of a unique one).
    pub status: Option<QuoteStatus>,
}

/// Where and how a quote anchored: two answers kept apart, the verdict about
/// the words (`status`) and where they stand (`location`, `place`, `places`).
#[derive(Debug, Clone)]
pub struct Finding {
    /// The verdict about the words: `verbatim`, `normalized`, `altered` or
    /// `not_found`. For a quote whose location is ambiguous, the best verdict
    /// over its places (the words are that faithful at least somewhere).
    pub status: QuoteStatus,
    /// One place, several, or none.
    pub location: QuoteLocation,
    /// The tier it anchored at.
    pub tier: Option<Tier>,
    /// Similarity score of the best candidate.
    pub score: Option<f64>,
    /// How many candidates matched at the winning tier.
    pub candidate_count: usize,
    /// The chosen place (source index into the list given, byte range), when the
    /// location is unique.
    pub place: Option<(usize, Range<usize>)>,
    /// The candidate places of the winning tier, best first (at most
    /// [`anchor::MAX_LISTED`]; `candidate_count` has the total).
    pub places: Vec<Place>,
    /// Differences, for altered quotes (at the chosen place; for an ambiguous
    /// location, at the first place with the verdict given).
    pub differences: Vec<crate::Difference>,
    /// Editorial conventions used.
    pub edits: Vec<crate::Edit>,
    /// Redactions around the chosen place.
    pub redactions: Vec<RedactionNear>,
}

fn tier(t: anchor::Tier) -> Tier {
    match t {
        anchor::Tier::Exact => Tier::Exact,
        anchor::Tier::Normalized => Tier::Normalized,
        anchor::Tier::Fuzzy => Tier::Fuzzy,
        anchor::Tier::RedactionLabel => Tier::RedactionLabel,
    }
}

/// Anchors and verifies `quote` in one source through every tier, across page
/// breaks, with `hint`: the engine the quote checker uses, for re-anchoring a
/// revision's anchors in another revision.
///
/// # Errors
///
/// As [`anchor::anchor`].
pub(crate) fn find_in(source: &PreparedSource, view: &SourceText<'_>, quote: &str, hint: &Hint) -> Result<Finding> {
    anchor_and_verify(&[source], std::slice::from_ref(view), &[0], quote, hint)
}

/// [`find_in`] without the fuzzy tier and without bridging page breaks: the
/// words as they are (typography, case and spacing aside), anywhere in a long
/// text, at the cost of a plain substring search.
pub(crate) fn find_normalized_in(
    source: &PreparedSource,
    view: &SourceText<'_>,
    quote: &str,
    hint: &Hint,
) -> Result<Finding> {
    anchor_plain_with(&[source], std::slice::from_ref(view), &[0], quote, hint, false)
}

/// [`find_in`] inside the byte window `w` of `source` only (snapped to
/// character boundaries): places come back in source offsets. `hint.near`
/// offsets are source offsets too.
pub(crate) fn find_in_window(source: &PreparedSource, w: Range<usize>, quote: &str, hint: &Hint) -> Result<Finding> {
    let t = source.text();
    let mut a = w.start.min(t.len());
    while !t.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = w.end.clamp(a, t.len());
    while !t.is_char_boundary(b) {
        b += 1;
    }
    let hint = Hint { near: hint.near.iter().map(|&(s, off)| (s, off.clamp(a, b) - a)).collect(), ..hint.clone() };
    anchor_and_verify(&[source], &[source.window(a..b)], &[a], quote, &hint)
}

/// Anchors `quote` in `sources` (their matcher views `views`, same order) and
/// verifies it. `offsets` shifts window-relative results back to source offsets.
/// A long quote found nowhere is tried once more across page breaks.
fn anchor_and_verify(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    offsets: &[usize],
    quote: &str,
    hint: &Hint,
) -> Result<Finding> {
    let f = anchor_plain(sources, views, offsets, quote, hint)?;
    if f.status == QuoteStatus::NotFound
        && let Some(b) = bridge_pages(sources, views, offsets, quote)?
    {
        return Ok(b);
    }
    Ok(f)
}

/// What anchoring quotes in one set of whole-source views computes that
/// depends only on a quote's words and the sources, kept by the words: the
/// search through the tiers (candidates, their order, the context words around
/// the contenders, [`anchor::Searched`]), for words found nowhere the try
/// across page breaks, the verification of the words at each place, and each
/// place read for ranking ([`places::PreparedPlace`]). What depends on the
/// article (the hint deciding between contenders, the article sentence ranking
/// places) is computed each time from it, so a finding is the one
/// [`anchor_and_verify`] gives. A batch shares one memo over its articles (a
/// pipeline's articles quote the same passages), an article its own over its
/// passes. Bounded: past [`MEMO_MAX`] kept candidates (or [`MEMO_PLACES`]
/// places) it starts over.
#[derive(Debug)]
pub(crate) struct Memo {
    /// The views it belongs to, by text address and length: a memo is only
    /// read for those.
    views: Vec<(usize, usize)>,
    known: Mutex<MemoMap>,
    /// Places read for ranking, by source and range (at most [`MEMO_PLACES`]).
    places: Mutex<HashMap<(usize, usize, usize), Arc<places::PreparedPlace>>>,
}

#[derive(Debug, Default)]
struct MemoMap {
    map: HashMap<String, Arc<Known>>,
    /// Candidates kept in all.
    size: usize,
}

/// The hint-independent anchoring of one quote's words.
#[derive(Debug)]
struct Known {
    searched: anchor::Searched,
    /// For words found nowhere: the finding across page breaks, if any.
    bridged: Option<Finding>,
    /// The words compared with each place verified so far.
    verified: Verified,
}

/// Verifications of one quote's words at places of whole-source views, by
/// candidate (source, start, end, tier): a verification depends on nothing else.
#[derive(Debug, Default)]
struct Verified(Mutex<HashMap<(usize, usize, usize, anchor::Tier), Checked>>);

impl Verified {
    /// [`verify_at`] of candidate `c`, kept.
    fn at(
        &self,
        sources: &[&PreparedSource],
        views: &[SourceText<'_>],
        offsets: &[usize],
        quote: &str,
        c: &anchor::Candidate,
    ) -> Checked {
        let key = (c.source, c.start, c.end, c.tier);
        let kept = match self.0.lock() {
            Ok(m) => m.get(&key).cloned(),
            Err(p) => p.into_inner().get(&key).cloned(),
        };
        if let Some(v) = kept {
            return v;
        }
        let v = verify_at(sources, views, offsets, quote, c);
        match self.0.lock() {
            Ok(mut m) => m.insert(key, v.clone()),
            Err(p) => p.into_inner().insert(key, v.clone()),
        };
        v
    }
}

/// Most candidates a [`Memo`] keeps (a few tens of MB at most).
const MEMO_MAX: usize = 200_000;
/// Most places read for ranking a [`Memo`] keeps (each a sentence's words).
const MEMO_PLACES: usize = 50_000;

impl Memo {
    /// An empty memo for `views` (whole sources, offsets 0).
    pub(crate) fn new(views: &[SourceText<'_>]) -> Memo {
        Memo { views: Self::key(views), known: Mutex::new(MemoMap::default()), places: Mutex::new(HashMap::new()) }
    }

    fn key(views: &[SourceText<'_>]) -> Vec<(usize, usize)> {
        views.iter().map(|v| (v.text().as_ptr() as usize, v.text().len())).collect()
    }

    fn get(&self, quote: &str) -> Option<Arc<Known>> {
        let m = match self.known.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        m.map.get(quote).cloned()
    }

    /// The place `range` of source `source` read for ranking: kept, or read by
    /// `read` and kept.
    fn place(
        &self,
        source: usize,
        range: &Range<usize>,
        read: impl FnOnce() -> places::PreparedPlace,
    ) -> Arc<places::PreparedPlace> {
        let key = (source, range.start, range.end);
        let kept = match self.places.lock() {
            Ok(m) => m.get(&key).cloned(),
            Err(p) => p.into_inner().get(&key).cloned(),
        };
        if let Some(p) = kept {
            return p;
        }
        let p = Arc::new(read());
        let mut m = match self.places.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if m.len() >= MEMO_PLACES {
            m.clear();
        }
        m.insert(key, p.clone());
        p
    }

    fn put(&self, quote: &str, known: Arc<Known>) {
        let mut m = match self.known.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        // Its candidates, and the places it may verify.
        let size = known.searched.size() + anchor::MAX_LISTED;
        if m.size + size > MEMO_MAX {
            m.map.clear();
            m.size = 0;
        }
        if m.map.insert(quote.to_string(), known).is_none() {
            m.size += size;
        }
    }
}

/// [`anchor_and_verify`] in whole-source `views` (offsets 0), reading and
/// filling `memo` (see [`Memo`]): the same finding.
fn anchor_and_verify_memo(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    quote: &str,
    hint: &Hint,
    memo: &Memo,
) -> Result<Finding> {
    let offsets = vec![0; views.len()];
    if memo.views != Memo::key(views) {
        return anchor_and_verify(sources, views, &offsets, quote, hint);
    }
    let known = match memo.get(quote) {
        Some(k) => k,
        None => {
            let searched = anchor::search_quote(views, quote, true)?;
            let bridged = if searched.count() == 0 { bridge_pages(sources, views, &offsets, quote)? } else { None };
            let k = Arc::new(Known { searched, bridged, verified: Verified::default() });
            memo.put(quote, k.clone());
            k
        }
    };
    let a = anchor::settle(views, hint, &known.searched);
    let f = finding_with(sources, views, &offsets, quote, a, Some(&known.verified));
    if f.status == QuoteStatus::NotFound {
        if known.searched.count() == 0 {
            if let Some(b) = &known.bridged {
                return Ok(b.clone());
            }
        } else if let Some(b) = bridge_pages(sources, views, &offsets, quote)? {
            return Ok(b);
        }
    }
    Ok(f)
}

/// Fewest words a quote needs before it is tried across a page break.
const BRIDGE_MIN_WORDS: usize = 8;
/// How much page furniture (footer, header, footnotes) a quote may skip.
const BRIDGE_GAP: usize = 3_000;

/// A quote that runs over a page break in paged text (PDF text) has the page's
/// footer, the form feed, the next page's running header and sometimes the
/// footnotes between its words. Finds the longest leading part of the quote that
/// anchors in one place, then the rest within [`BRIDGE_GAP`] bytes after it with
/// a form feed in between; the skipped furniture is reported as a `page_break`
/// edit, and each part is verified on its own.
fn bridge_pages(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    offsets: &[usize],
    quote: &str,
) -> Result<Option<Finding>> {
    let starts: Vec<usize> = quote.split_whitespace().map(|w| w.as_ptr() as usize - quote.as_ptr() as usize).collect();
    let n = starts.len();
    if n < BRIDGE_MIN_WORDS {
        return Ok(None);
    }
    for (si, src) in sources.iter().enumerate() {
        if !src.pages().is_paged() {
            continue;
        }
        // Borrowed: a copy of the view would copy its normalized text.
        let one = std::slice::from_ref(&views[si]);
        // The longest head found without fuzziness first; a fuzzy head only when
        // there is none (a fuzzy head can swallow the first word after the break).
        let mut heads = Vec::new();
        for k in (3.max(n / 5)..n - 2).rev() {
            let head = quote[..starts[k]].trim_end();
            let a = match anchor_plain(&[*src], one, &[offsets[si]], head, &Hint::default()) {
                Ok(a) => a,
                // A head of only punctuation has nothing to search.
                Err(Error::InvalidInput { .. }) => continue,
                Err(e) => return Err(e),
            };
            if a.status == QuoteStatus::NotFound {
                continue;
            }
            let exactish = a.tier != Some(Tier::Fuzzy);
            heads.push((k, a));
            if exactish {
                break;
            }
        }
        heads.sort_by_key(|(k, a)| (a.tier == Some(Tier::Fuzzy), std::cmp::Reverse(*k)));
        if let Some((k, a)) = heads.into_iter().next() {
            let tail = &quote[starts[k]..];
            let Some((_, ra)) = a.place.clone() else { continue };
            let t = src.text();
            let mut end = (ra.end + BRIDGE_GAP).min(t.len());
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            let window = [src.window(ra.end..end)];
            let b = anchor_plain(&[*src], &window, &[ra.end], tail, &Hint::default())?;
            let Some((_, rb)) = b.place.clone() else { continue };
            if !t[ra.end..rb.start].contains('\x0c') {
                continue;
            }
            let worst = a.status.max(b.status);
            let mut edits = a.edits;
            edits.push(crate::Edit { kind: "page_break".into(), text: t[ra.end..rb.start].to_string() });
            edits.extend(b.edits);
            let mut differences = a.differences;
            differences.extend(b.differences);
            let mut redactions = a.redactions;
            for x in b.redactions {
                if !redactions.iter().any(|r| r.range == x.range) {
                    redactions.push(x);
                }
            }
            return Ok(Some(Finding {
                status: worst,
                tier: a.tier.max(b.tier),
                score: a.score.zip(b.score).map(|(x, y)| x.min(y)),
                candidate_count: 1,
                location: QuoteLocation::Unique,
                place: Some((si, ra.start..rb.end)),
                places: Vec::new(),
                differences,
                edits,
                redactions,
            }));
        }
    }
    Ok(None)
}

/// Anchors and verifies without the page-break fallback.
fn anchor_plain(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    offsets: &[usize],
    quote: &str,
    hint: &Hint,
) -> Result<Finding> {
    anchor_plain_with(sources, views, offsets, quote, hint, true)
}

/// [`anchor_plain`], with the fuzzy tier or without it.
fn anchor_plain_with(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    offsets: &[usize],
    quote: &str,
    hint: &Hint,
    fuzzy: bool,
) -> Result<Finding> {
    let a = anchor::anchor_with(views, quote, hint, fuzzy)?;
    Ok(finding_with(sources, views, offsets, quote, a, None))
}

/// The finding of an anchoring `a` of `quote` in `views`: each place verified
/// as the outcome asks (reading and filling `verified` when given), the
/// redactions around a unique one.
fn finding_with(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    offsets: &[usize],
    quote: &str,
    a: anchor::Anchored,
    verified: Option<&Verified>,
) -> Finding {
    let verify = |c: &anchor::Candidate| match verified {
        Some(v) => v.at(sources, views, offsets, quote, c),
        None => verify_at(sources, views, offsets, quote, c),
    };
    let mut f = Finding {
        status: QuoteStatus::NotFound,
        location: QuoteLocation::None,
        tier: a.best.as_ref().map(|c| tier(c.tier)),
        score: a.best.as_ref().map(|c| c.score),
        candidate_count: a.candidate_count,
        place: None,
        places: a
            .candidates
            .iter()
            .map(|c| Place {
                source: c.source,
                range: c.start + offsets[c.source]..c.end + offsets[c.source],
                tier: tier(c.tier),
                score: c.score,
                support: c.support,
                rank: None,
                status: None,
            })
            .collect(),
        differences: Vec::new(),
        edits: Vec::new(),
        redactions: Vec::new(),
    };
    match a.outcome {
        Outcome::NotFound => {}
        Outcome::Ambiguous => {
            // The words are checked at every place: the verdict is the best one,
            // and each place keeps its own.
            f.location = QuoteLocation::Ambiguous;
            let mut best: Option<Checked> = None;
            for (k, c) in a.candidates.iter().enumerate() {
                let v = verify(c);
                f.places[k].status = Some(v.status);
                if best.as_ref().is_none_or(|b| v.status < b.status) {
                    best = Some(v);
                }
            }
            if let Some(b) = best {
                f.tier = f.places.first().map(|p| p.tier);
                f.score = f.places.first().map(|p| p.score);
                f.status = b.status;
                f.differences = b.differences;
                f.edits = b.edits;
            }
        }
        Outcome::Found => {
            let Some(best) = a.best else { return f };
            let v = verify(&best);
            let src = sources[best.source];
            if let Some(p) = f.places.iter_mut().find(|p| p.source == best.source && p.range == v.range) {
                p.status = Some(v.status);
            }
            f.location = QuoteLocation::Unique;
            f.status = v.status;
            f.differences = v.differences;
            f.edits = v.edits;
            f.redactions = src.redactions_near(v.range.clone());
            f.place = Some((best.source, v.range));
        }
    }
    f
}

/// The words of a quote compared with one place.
#[derive(Debug, Clone)]
struct Checked {
    status: QuoteStatus,
    differences: Vec<crate::Difference>,
    edits: Vec<crate::Edit>,
    /// The place, in source offsets.
    range: Range<usize>,
}

/// Verifies `quote` at candidate `c` of `views` (window offsets in `offsets`).
fn verify_at(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    offsets: &[usize],
    quote: &str,
    c: &anchor::Candidate,
) -> Checked {
    let src = sources[c.source];
    let mut r = c.start + offsets[c.source]..c.end + offsets[c.source];
    let v = anchor::verify_candidate(views, quote, c).unwrap_or_else(|| verify::verify(quote, &src.clean(r.clone())));
    // Source words at the edges that no word of the quote stands for (a fuzzy hit
    // widened over a neighbour) are not part of the place: narrow it when the
    // trimmed edges are plain text (no marked skip), so offsets stay exact.
    if c.tier != anchor::Tier::RedactionLabel
        && let Some(view) = views.get(c.source)
    {
        let marked = view.marked_span(c.start..c.end);
        let (a, b) = (v.source_range.start, v.source_range.end);
        let t = src.text();
        let tail = marked.len().saturating_sub(b);
        if a <= b
            && b <= marked.len()
            && a + tail <= r.len()
            && marked.get(..a).is_some_and(|m| t.get(r.start..r.start + a) == Some(m))
            && marked.get(b..).is_some_and(|m| t.get(r.end - tail..r.end) == Some(m))
        {
            r = r.start + a..r.end - tail;
        }
    }
    Checked {
        status: match v.verdict {
            verify::Verdict::Verbatim => QuoteStatus::Verbatim,
            verify::Verdict::Normalized => QuoteStatus::Normalized,
            verify::Verdict::Altered => QuoteStatus::Altered,
        },
        differences: v
            .differences
            .into_iter()
            .map(|d| crate::Difference { quoted: d.quoted, source: d.source })
            .collect(),
        edits: v.edits.into_iter().map(|e| crate::Edit { kind: e.kind.code().to_string(), text: e.text }).collect(),
        range: r,
    }
}

/// Checks `quote` at one place of `sources` (a [`Place`] of an earlier
/// [`Finding`], chosen by a reranker or a reader): the finding has location
/// `unique` at that place, with the verdict about the words there.
///
/// # Errors
///
/// [`crate::Error::TooLarge`] for a quote over the engine's cap;
/// [`crate::Error::InvalidInput`] for a place outside its source, or a quote with
/// nothing to search.
pub fn check_at(quote: &str, sources: &[PreparedSource], place: &Place) -> Result<Finding> {
    let src = sources
        .get(place.source)
        .ok_or_else(|| Error::invalid("place", format!("no source {} (of {})", place.source, sources.len())))?;
    let r = place.range.clone();
    if r.start > r.end || src.text().get(r.clone()).is_none() {
        return Err(Error::invalid("place", format!("{}..{} is not a range of {}", r.start, r.end, src.name())));
    }
    let refs = [src];
    let views = [src.window(r.clone())];
    let mut f = anchor_and_verify(&refs, &views, &[r.start], quote, &Hint::default())?;
    if f.location == QuoteLocation::Unique {
        f.place = f.place.map(|(_, r)| (place.source, r));
        f.places = f.places.into_iter().map(|p| Place { source: place.source, ..p }).collect();
    }
    Ok(f)
}

/// The article sentence that holds a quote, for ranking the quote's places
/// ([`crate::text::places`]).
#[derive(Debug, Clone)]
pub(crate) struct InSentence<'a> {
    /// The sentence and where the quote stands in it.
    pub quote: places::QuoteInSentence<'a>,
    /// How often the article uses each word.
    pub article: &'a ArticleWords,
}

/// Quotes with the same words whose locations are ambiguous (`found`, each
/// with the article sentence that holds it in `at`, same order): their places
/// ranked against those sentences ([`places::rank_together`]), best first, each
/// with its `rank`; a quote the ranking decides is checked at its chosen place
/// and its location is `unique` (the ranked places stay listed). Findings that
/// are not ambiguous pass through; so does every finding when `at` is not given
/// for each.
pub(crate) fn resolve_by_sentences(
    sources: &[&PreparedSource],
    quote: &str,
    found: Vec<Finding>,
    at: &[InSentence<'_>],
) -> Result<Vec<Finding>> {
    resolve_by_sentences_memo(sources, quote, found, at, None)
}

/// A place of a source read for ranking ([`places::PreparedPlace`]): the
/// source sentence holding it, the sentences on either side, the footnotes of
/// its markers.
fn prepare_place(src: &PreparedSource, range: &Range<usize>) -> places::PreparedPlace {
    let sentence = src.sentences_around(range.clone());
    let local = src.statements_around(sentence.clone());
    let before = local.iter().rev().find(|x| x.end <= sentence.start).map(segment::Statement::range);
    let after = local.iter().find(|x| x.start >= sentence.end).map(segment::Statement::range);
    let t = src.text();
    let notes: Vec<&str> = src
        .footnotes()
        .markers_in(sentence.clone())
        .iter()
        .filter_map(|m| src.definition(m.number).map(FootnoteDef::text_range))
        .filter_map(|r| t.get(r))
        .collect();
    places::PreparedPlace::new(&places::PlaceText {
        sentence: t.get(sentence.clone()).unwrap_or(""),
        at: range.start.saturating_sub(sentence.start)..range.end.saturating_sub(sentence.start),
        before: before.and_then(|r| t.get(r)),
        after: after.and_then(|r| t.get(r)),
        footnotes: &notes,
    })
}

/// [`resolve_by_sentences`], reading the places from `memo` (whose sources
/// `sources` are) and keeping those it reads there.
fn resolve_by_sentences_memo(
    sources: &[&PreparedSource],
    quote: &str,
    mut found: Vec<Finding>,
    at: &[InSentence<'_>],
    memo: Option<&Memo>,
) -> Result<Vec<Finding>> {
    let open: Vec<usize> = (0..found.len()).filter(|&i| found[i].location == QuoteLocation::Ambiguous).collect();
    if open.is_empty() || at.len() != found.len() {
        return Ok(found);
    }
    // Every place of any of them, once, in source order (so a passage the
    // source repeats is cited where it first stands).
    let mut all: Vec<Place> = Vec::new();
    for &i in &open {
        for p in &found[i].places {
            if !all.iter().any(|x| x.source == p.source && x.range == p.range) {
                all.push(Place { rank: None, ..p.clone() });
            }
        }
    }
    if all.len() < 2 || all.iter().any(|p| p.source >= sources.len()) {
        return Ok(found);
    }
    all.sort_by_key(|p| (p.source, p.range.start, p.range.end));
    let prepared: Vec<Arc<places::PreparedPlace>> = all
        .iter()
        .map(|p| match memo {
            Some(m) => m.place(p.source, &p.range, || prepare_place(sources[p.source], &p.range)),
            None => Arc::new(prepare_place(sources[p.source], &p.range)),
        })
        .collect();
    let texts: Vec<&places::PreparedPlace> = prepared.iter().map(|p| p.as_ref()).collect();
    let qs: Vec<places::QuoteInSentence<'_>> = open.iter().map(|&i| at[i].quote.clone()).collect();
    let article = at[open[0]].article;
    let rankings = places::rank_prepared(&qs, article, &texts);
    for (&i, ranking) in open.iter().zip(rankings) {
        let ranked: Vec<Place> =
            ranking.order.iter().map(|&k| Place { rank: Some(ranking.scores[k]), ..all[k].clone() }).collect();
        let f = &mut found[i];
        f.places = ranked;
        let Some(p) = ranking.chosen.map(|k| all[k].clone()) else { continue };
        let src = sources[p.source];
        let mut g =
            anchor_and_verify(&[src], &[src.window(p.range.clone())], &[p.range.start], quote, &Hint::default())?;
        if g.location != QuoteLocation::Unique {
            continue;
        }
        g.place = g.place.map(|(_, r)| (p.source, r));
        g.candidate_count = f.candidate_count;
        g.places = std::mem::take(&mut f.places);
        *f = g;
    }
    Ok(found)
}

/// One quotation of an article, checked, with to whom the article attributes it.
///
/// ```
/// use claimledger::quotecheck::{check_article, PreparedSource};
/// use claimledger::text::attribution::Pattern;
/// # fn main() -> claimledger::Result<()> {
/// let report = PreparedSource::new("report.txt", "The pier was closed in May.", Vec::new());
/// let article = "“We reopened it in June,” said the harbour master. The review notes that “the pier was closed in May.”";
/// let quotes = check_article(article, &[report])?;
/// let who = quotes[0].attribution.as_ref().expect("attributed");
/// assert_eq!(who.speaker, "the harbour master");
/// assert_eq!(who.pattern, Pattern::VerbSpeakerAfter);
/// // Byte offsets in the article (the JSON gives code points).
/// assert_eq!(&article[who.cue_range.clone()], "said the harbour master");
/// assert_eq!(quotes[1].attribution.as_ref().map(|a| a.speaker.as_str()), Some("The review"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct CheckedQuote {
    /// Byte range of the text between the quote marks in the article (`None` for
    /// a quote given alone).
    pub article: Option<Range<usize>>,
    /// The quoted text.
    pub text: String,
    /// The finding.
    pub finding: Finding,
    /// Index (in the article's list of checked quotes) of the quote this one is
    /// nested in.
    pub parent: Option<usize>,
    /// Set when the quote's marks do not balance and its extent is assumed.
    pub unbalanced: Option<quotes::Unbalanced>,
    /// To whom the article attributes the quote (speaker and cue, byte ranges in
    /// the article; see [`crate::text::attribution`]): `None` when it gives no
    /// cue, and for a quote given alone.
    pub attribution: Option<Attribution>,
}

/// The continuation marks of an article (a paragraph of a long quotation
/// opening with a quote mark): the article's marks, not the quoted words, so
/// they are left out of what is checked.
pub(crate) struct Continuations(Vec<usize>);

impl Continuations {
    pub(crate) fn of(analysis: &quotes::Analysis) -> Continuations {
        Continuations(
            analysis.marks.iter().filter(|m| matches!(m.role, quotes::Role::Continues(_))).map(|m| m.at).collect(),
        )
    }

    /// The words of quotation `q` of `article` to check: its text without
    /// continuation marks.
    pub(crate) fn words(&self, article: &str, q: &quotes::Quotation) -> String {
        let r = q.range();
        let first = self.0.partition_point(|&at| at < r.start);
        let mut out = String::with_capacity(r.len());
        let mut at = r.start;
        for &c in self.0[first..].iter().take_while(|&&c| c < r.end) {
            out.push_str(&article[at..c]);
            at = c + article[c..].chars().next().map_or(0, char::len_utf8);
        }
        out.push_str(&article[at..r.end]);
        out
    }
}

/// Anchors and verifies every quotation of `article` in `sources`: nested ones
/// each on their own (an inner quote of a `not_found` outer one is checked
/// against the sources too), and those whose marks do not balance with the
/// extent assumed for them (see [`crate::text::quotes`]).
///
/// Context decides between candidates: each quote is anchored with the sentence
/// around it and with where the article's earlier quotes anchored as hints.
///
/// A quotation with nothing to search is `not_found`, one over the engine's cap
/// on a quote is `too_large`; neither stops the others being checked.
///
/// # Errors
///
/// [`crate::Error::TooLarge`] for an article over the engine's cap.
pub fn check_article(article: &str, sources: &[PreparedSource]) -> Result<Vec<CheckedQuote>> {
    let views: Vec<SourceText<'_>> = sources.iter().map(PreparedSource::source_text).collect();
    check_article_in(article, sources, &views)
}

/// [`check_article`] with the sources' matcher views already built (`views[i]` is
/// `sources[i].source_text()`), so many articles share one preparation.
pub(crate) fn check_article_in(
    article: &str,
    sources: &[PreparedSource],
    views: &[SourceText<'_>],
) -> Result<Vec<CheckedQuote>> {
    let refs: Vec<&PreparedSource> = sources.iter().collect();
    check_article_refs(article, &refs, views)
}

/// [`check_article_in`] over borrowed sources.
pub(crate) fn check_article_refs(
    article: &str,
    refs: &[&PreparedSource],
    views: &[SourceText<'_>],
) -> Result<Vec<CheckedQuote>> {
    check_article_memo(article, refs, views, &Memo::new(views))
}

/// [`check_article_refs`] with a [`Memo`] of `views` shared with other
/// articles (a batch): the same results.
pub(crate) fn check_article_memo(
    article: &str,
    refs: &[&PreparedSource],
    views: &[SourceText<'_>],
    memo: &Memo,
) -> Result<Vec<CheckedQuote>> {
    check_article_and_warnings(article, refs, views, memo, None).map(|(quotes, _)| quotes)
}

/// [`check_article_memo`], and when `index` (the article's) is given, the
/// article's [`warnings_json`] from the same analysis of its marks and
/// statements (a batch writes both; the article is segmented once).
pub(crate) fn check_article_and_warnings(
    article: &str,
    refs: &[&PreparedSource],
    views: &[SourceText<'_>],
    memo: &Memo,
    index: Option<&CharIndex>,
) -> Result<(Vec<CheckedQuote>, Vec<WarningJson>)> {
    // A memo of other views is not read.
    let own;
    let memo = if memo.views == Memo::key(views) {
        memo
    } else {
        own = Memo::new(views);
        &own
    };
    let sentences = segment::statements(article);
    let analysis = quotes::analyze(article)?;
    let found = &analysis.quotations;
    let mut attributions = attribution::attributions_in(article, &sentences, &analysis).into_iter();
    let continuations = Continuations::of(&analysis);
    let words_of = |q: &quotes::Quotation| continuations.words(article, q);
    let hint_for = |q: &quotes::Quotation, near: Vec<(usize, usize)>| {
        let sentence = segment::statement_at(&sentences, q.start).map(|i| sentences[i].range());
        Hint {
            context: sentence.as_ref().map(|s| article[s.clone()].to_string()),
            focus: sentence.as_ref().map(|s| q.start - s.start..q.end - s.start),
            near,
        }
    };
    // How the article uses its words: only a quote whose places are ranked reads it.
    let article_words: std::cell::OnceCell<ArticleWords> = std::cell::OnceCell::new();
    let in_sentence = |q: &quotes::Quotation| {
        segment::statement_at(&sentences, q.start).map(|i| {
            let s = sentences[i].range();
            InSentence {
                quote: places::QuoteInSentence {
                    sentence: &article[s.clone()],
                    quote: q.start - s.start..q.end - s.start,
                },
                article: article_words.get_or_init(|| ArticleWords::new(sentences.iter().map(|s| &article[s.range()]))),
            }
        })
    };
    let words: Vec<String> = found.iter().map(words_of).collect();
    // Many quotes: their leading pieces are found in each source in one pass.
    // (Words the memo knows are not searched again.)
    let leads: Vec<String> =
        words.iter().filter(|w| memo.get(w).is_none()).filter_map(|w| anchor::exact_lead(w)).collect();
    let leads: Vec<&str> = leads.iter().map(String::as_str).collect();
    for v in views {
        v.prefetch_exact(&leads);
    }
    // First pass: each quote with where the earlier ones anchored.
    let mut out: Vec<CheckedQuote> = Vec::new();
    for (q, checked_words) in found.iter().zip(&words) {
        let near: Vec<(usize, usize)> = out
            .iter()
            .rev()
            .take(NEIGHBOURS)
            .filter_map(|c| c.finding.place.as_ref().map(|(s, r)| (*s, r.start)))
            .collect();
        let text = &article[q.range()];
        let finding = per_quote(anchor_and_verify_memo(refs, views, checked_words, &hint_for(q, near), memo))?;
        out.push(CheckedQuote {
            article: Some(q.range()),
            text: text.to_string(),
            finding,
            parent: q.parent,
            unbalanced: q.unbalanced,
            attribution: attributions.next().flatten(),
        });
    }
    // Second pass: an ambiguous quote may be decided by the quotes around it on
    // both sides (a later quote often anchors right next to it).
    for i in 0..out.len() {
        if out[i].finding.location != QuoteLocation::Ambiguous {
            continue;
        }
        let lo = i.saturating_sub(NEIGHBOURS);
        let near: Vec<(usize, usize)> = (lo..(i + NEIGHBOURS + 1).min(out.len()))
            .filter(|&j| j != i)
            .filter_map(|j| out[j].finding.place.as_ref().map(|(s, r)| (*s, r.start)))
            .collect();
        if near.is_empty() {
            continue;
        }
        let finding = per_quote(anchor_and_verify_memo(refs, views, &words[i], &hint_for(&found[i], near), memo))?;
        if finding.location != QuoteLocation::Ambiguous {
            out[i].finding = finding;
        }
    }
    // Third pass: the places of a quote still ambiguous ranked by the sentence
    // holding it; quotes of one sentence with the same words take different
    // places.
    let mut sets: Vec<((usize, String), Vec<usize>)> = Vec::new();
    for (i, q) in found.iter().enumerate() {
        if out[i].finding.location != QuoteLocation::Ambiguous {
            continue;
        }
        let Some(k) = segment::statement_at(&sentences, q.start) else { continue };
        let key = (k, out[i].text.trim().to_lowercase());
        match sets.iter_mut().find(|(x, _)| *x == key) {
            Some((_, v)) => v.push(i),
            None => sets.push((key, vec![i])),
        }
    }
    for (_, set) in sets {
        let at: Vec<InSentence<'_>> = set.iter().filter_map(|&i| in_sentence(&found[i])).collect();
        let findings: Vec<Finding> = set.iter().map(|&i| out[i].finding.clone()).collect();
        let text = out[set[0]].text.clone();
        let resolved = resolve_by_sentences_memo(refs, &text, findings, &at, Some(memo))?;
        for (&i, f) in set.iter().zip(resolved) {
            out[i].finding = f;
        }
    }
    let warnings = index.map(|index| warnings_of(article, &analysis, &sentences, index)).unwrap_or_default();
    Ok((out, warnings))
}

/// Reads source files and pairs redaction files with them (what `claimledger
/// quotes` and `locate` do): a redaction file belongs to the source whose file
/// name its `text` field names, else to the source in the same position. A source
/// without a redaction file gets the redaction labels found in its text.
///
/// # Errors
///
/// [`crate::Error::Io`] or [`crate::Error::TooLarge`] for an unreadable or oversized file;
/// [`crate::Error::Json`] for a malformed redaction file; [`crate::Error::InvalidInput`] for a
/// redaction file that pairs with no source, a second one for the same source, or
/// offsets that do not fit the text.
pub fn load_sources(sources: &[std::path::PathBuf], redactions: &[std::path::PathBuf]) -> Result<Vec<PreparedSource>> {
    load_sources_with(sources, redactions, |p| {
        crate::import::read_text(p, crate::storage::documents::MAX_TEXT_LEN as u64, "source text").map(SharedText::from)
    })
}

/// [`load_sources`] with the texts read into memory the process keeps until
/// it exits ([`crate::import::read_text_kept`]): for the one-shot `locate`
/// command, which leaves its buffers to the exit.
#[cfg(feature = "cli")]
pub(crate) fn load_sources_kept(
    sources: &[std::path::PathBuf],
    redactions: &[std::path::PathBuf],
) -> Result<Vec<PreparedSource>> {
    load_sources_with(sources, redactions, |p| {
        crate::import::read_text_kept(p, crate::storage::documents::MAX_TEXT_LEN as u64, "source text")
            .map(SharedText::from_static)
    })
}

/// [`load_sources`], each source's text read by `read`.
fn load_sources_with(
    sources: &[std::path::PathBuf],
    redactions: &[std::path::PathBuf],
    read: impl Fn(&std::path::Path) -> Result<SharedText>,
) -> Result<Vec<PreparedSource>> {
    let texts: Vec<SharedText> = sources.iter().map(|p| read(p)).collect::<Result<_>>()?;
    let mut files: Vec<Option<crate::import::RedactionFile>> = vec![None; sources.len()];
    for (i, rp) in redactions.iter().enumerate() {
        let f = crate::import::RedactionFile::read(rp)?;
        let by_name = f
            .text
            .as_deref()
            .and_then(|name| sources.iter().position(|s| s.file_name().is_some_and(|n| n.to_string_lossy() == name)));
        let slot = by_name.or((i < sources.len()).then_some(i)).ok_or_else(|| {
            crate::Error::invalid(rp.display().to_string(), "names no --source and has no --source in its position")
        })?;
        if files[slot].is_some() {
            return Err(crate::Error::invalid(
                rp.display().to_string(),
                format!("a second redaction file for {}", sources[slot].display()),
            ));
        }
        files[slot] = Some(f);
    }
    let taxonomy = crate::Taxonomy::builtin();
    let mut out = Vec::new();
    for ((path, text), file) in sources.iter().zip(texts).zip(files) {
        type Labelled = Vec<(std::ops::Range<usize>, String, Option<String>)>;
        let redactions = || -> Result<Labelled> {
            Ok(match &file {
                Some(f) => f
                    .to_byte_spans(&text)
                    .map_err(|e| crate::Error::invalid(path.display().to_string(), e.to_string()))?
                    .into_iter()
                    .map(|(r, e)| (r, e.label.clone(), taxonomy.resolve(&e.label).map(|x| x.code.clone())))
                    .collect(),
                None => taxonomy
                    .find_labels_resolved(&text)
                    .into_iter()
                    .map(|(r, l, reason)| (r, l, reason.map(|x| x.code.clone())))
                    .collect(),
            })
        };
        // The footnotes and pages of a large text are found on another
        // thread while its redactions are (each is a pass over the text; the
        // labels take about as long as the other two).
        let (reds, found) = if text.len() >= PARALLEL_MIN {
            std::thread::scope(|scope| {
                let other = std::thread::Builder::new()
                    .name("prepare".into())
                    .spawn_scoped(scope, || (footnotes::footnotes(&text), Pages::new(&text)))
                    .ok();
                let reds = redactions();
                (reds, other.and_then(|h| h.join().ok()))
            })
        } else {
            (redactions(), None)
        };
        let reds = reds?;
        // Moved in whole: an `Arc<str>` would copy the text once more.
        let source = PreparedSource::new(path.display().to_string(), text, reds);
        if let Some((notes, pages)) = found {
            // Fresh cells: neither is set yet.
            let _ = source.footnotes.set(notes);
            let _ = source.pages.set(pages);
        }
        out.push(source);
    }
    Ok(out)
}

/// Sources this long or longer have their footnotes and pages found on a
/// thread of their own while their redactions are found ([`load_sources`]).
const PARALLEL_MIN: usize = 1 << 20;

/// How many quotes on each side count as neighbours for proximity hints.
const NEIGHBOURS: usize = 3;

/// Anchors and verifies one quote in `sources`.
///
/// # Errors
///
/// [`crate::Error::TooLarge`] for a quote over the engine's cap.
pub fn locate(quote: &str, sources: &[PreparedSource]) -> Result<CheckedQuote> {
    locate_in(quote, sources, &matcher_views(sources))
}

/// The matcher's views of `sources` ([`PreparedSource::source_text`]), for
/// [`locate_in`] and [`locate_in_sentence_in`]: a caller that keeps them
/// decides when their memory goes (the one-shot `locate` command leaves it
/// to the process's exit).
pub(crate) fn matcher_views(sources: &[PreparedSource]) -> Vec<SourceText<'_>> {
    sources.iter().map(PreparedSource::source_text).collect()
}

/// [`locate`] with the views of [`matcher_views`].
pub(crate) fn locate_in(quote: &str, sources: &[PreparedSource], views: &[SourceText<'_>]) -> Result<CheckedQuote> {
    let refs: Vec<&PreparedSource> = sources.iter().collect();
    let finding = anchor_once(&refs, views, quote, &Hint::default())?;
    Ok(CheckedQuote::outside_an_article(quote, finding))
}

/// [`anchor_and_verify`] of a quote searched once in whole sources (`locate`):
/// the same finding, without building a normalized view of a long source
/// that the search does not need whole. The tiers' search is
/// [`anchor::search_once`]: the exact tier on the texts as they are, then
/// the normalized and fuzzy tiers on each view a piece at a time, as it is
/// built, only the pieces around what they find built again with their
/// offset map; a quote found nowhere builds no view at all, and what is
/// left of the search (the redaction labels) needs none. A quote of at
/// least [`BRIDGE_MIN_WORDS`] words found nowhere in a paged source is
/// then tried across page breaks as [`anchor_and_verify`] tries it (head
/// by head, each a search of the whole view, which is built for it).
fn anchor_once(sources: &[&PreparedSource], views: &[SourceText<'_>], quote: &str, hint: &Hint) -> Result<Finding> {
    anchor_once_cut(sources, views, quote, hint, None)
}

/// [`anchor_once`], views not built yet cut into pieces as `cut` says
/// ([`anchor::search_once`]).
fn anchor_once_cut(
    sources: &[&PreparedSource],
    views: &[SourceText<'_>],
    quote: &str,
    hint: &Hint,
    cut: Option<(usize, usize)>,
) -> Result<Finding> {
    let offsets = vec![0; views.len()];
    let searched = anchor::search_once(views, quote, cut)?;
    let a = anchor::settle(views, hint, &searched);
    let f = finding_with(sources, views, &offsets, quote, a, None);
    // What `anchor_and_verify` does after the same search.
    if f.status == QuoteStatus::NotFound
        && let Some(b) = bridge_pages(sources, views, &offsets, quote)?
    {
        return Ok(b);
    }
    Ok(f)
}

/// Anchors and verifies one quote in `sources` with the article sentence that
/// holds it (`sentence`, which must contain the quote as written): the sentence
/// is the anchoring's context, and when the quote's location is still
/// `ambiguous` its places are ranked against the sentence by the rule of
/// [`crate::text::places`], as `quotes` and the trace import do. The best place
/// is taken when it leads the next by [`places::PLACE_MARGIN`]; else the
/// location stays `ambiguous` with the places ranked.
///
/// ```
/// use claimledger::quotecheck::{PreparedSource, locate_in_sentence};
/// # fn main() -> claimledger::Result<()> {
/// let text = "Crews moved the dirt to the north quay. Inspectors found dirt in the fuel tanks of two ferries. \
///             Residents swept dirt off the promenade.";
/// let src = PreparedSource::new("port.txt", std::sync::Arc::from(text), Vec::new());
/// let q = locate_in_sentence("dirt", "Inspectors said they found dirt in the ferries' fuel tanks.", &[src])?;
/// let (_, at) = q.finding.place.clone().expect("placed");
/// assert_eq!(at.start, text.find("dirt in the fuel").unwrap());
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// [`crate::Error::InvalidInput`] when `sentence` does not contain the quote;
/// [`crate::Error::TooLarge`] for a quote over the engine's cap.
pub fn locate_in_sentence(quote: &str, sentence: &str, sources: &[PreparedSource]) -> Result<CheckedQuote> {
    locate_in_sentence_in(quote, sentence, sources, &matcher_views(sources))
}

/// [`locate_in_sentence`] with the views of [`matcher_views`].
pub(crate) fn locate_in_sentence_in(
    quote: &str,
    sentence: &str,
    sources: &[PreparedSource],
    views: &[SourceText<'_>],
) -> Result<CheckedQuote> {
    let start = sentence.find(quote).filter(|_| !quote.is_empty()).ok_or_else(|| {
        Error::invalid("context", format!("the sentence does not contain the quote {quote:?} as written"))
    })?;
    let focus = start..start + quote.len();
    let refs: Vec<&PreparedSource> = sources.iter().collect();
    let hint = Hint { context: Some(sentence.to_string()), focus: Some(focus.clone()), near: Vec::new() };
    let finding = anchor_once(&refs, views, quote, &hint)?;
    let words = ArticleWords::new([sentence]);
    let at = [InSentence { quote: places::QuoteInSentence { sentence, quote: focus }, article: &words }];
    let finding = resolve_by_sentences(&refs, quote, vec![finding.clone()], &at)?.pop().unwrap_or(finding);
    Ok(CheckedQuote::outside_an_article(quote, finding))
}

impl CheckedQuote {
    /// A quote checked on its own, not found in an article (`locate`): no
    /// article span, parent, unbalanced mark or attribution.
    fn outside_an_article(quote: &str, finding: Finding) -> Self {
        CheckedQuote {
            article: None,
            text: quote.to_string(),
            finding,
            parent: None,
            unbalanced: None,
            attribution: None,
        }
    }
}

/// How far around a cited passage a trace looks for the statement's quotes first.
const WINDOW: usize = 2_000;

/// Anchors a quote of a traced statement: first inside the passages the
/// statement cites as what it quotes (`cited`: source index, byte range, and
/// whether the relation is `quotes`), then in windows around every passage it
/// cites, then in the whole of every source. `focus` is where the quote sits in
/// `context` (the statement). Returns the finding with indexes into `sources`;
/// places the context does not decide are left for [`resolve_by_sentences`].
pub(crate) fn anchor_in_trace(
    sources: &[&PreparedSource],
    full: &[SourceText<'_>],
    cited: &[(usize, Range<usize>, bool)],
    quote: &str,
    context: &str,
    focus: Range<usize>,
    near: &[(usize, usize)],
) -> Result<Finding> {
    or_not_found(anchor_in_trace_inner(sources, full, cited, quote, context, focus, near))
}

fn anchor_in_trace_inner(
    sources: &[&PreparedSource],
    full: &[SourceText<'_>],
    cited: &[(usize, Range<usize>, bool)],
    quote: &str,
    context: &str,
    focus: Range<usize>,
    near: &[(usize, usize)],
) -> Result<Finding> {
    let hint = Hint { context: Some(context.to_string()), focus: Some(focus), near: near.to_vec() };
    let quoted: Vec<(usize, Range<usize>)> = cited.iter().filter(|c| c.2).map(|c| (c.0, c.1.clone())).collect();
    let all: Vec<(usize, Range<usize>)> = cited.iter().map(|c| (c.0, c.1.clone())).collect();
    for (places, margin) in [(&quoted, 0), (&all, WINDOW)] {
        if places.is_empty() {
            continue;
        }
        let f = anchor_in_places(sources, places, margin, quote, &hint)?;
        if f.status != QuoteStatus::NotFound {
            return Ok(f);
        }
    }
    let offsets = vec![0; sources.len()];
    anchor_and_verify(sources, full, &offsets, quote, &hint)
}

/// Anchors `quote` inside the given places of the sources, each widened by `margin`.
fn anchor_in_places(
    sources: &[&PreparedSource],
    places: &[(usize, Range<usize>)],
    margin: usize,
    quote: &str,
    hint: &Hint,
) -> Result<Finding> {
    {
        let mut srcs = Vec::new();
        let mut views = Vec::new();
        let mut offsets = Vec::new();
        let mut index = Vec::new();
        for (s, r) in places {
            let src = sources[*s];
            let t = src.text();
            let mut a = r.start.saturating_sub(margin);
            while !t.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (r.end + margin).min(t.len());
            while !t.is_char_boundary(b) {
                b += 1;
            }
            srcs.push(src);
            views.push(src.window(a..b));
            offsets.push(a);
            index.push(*s);
        }
        let window_hint = Hint { near: Vec::new(), ..hint.clone() };
        let mut f = anchor_and_verify(&srcs, &views, &offsets, quote, &window_hint)?;
        {
            // Windows may overlap: candidates at the same place are one place.
            f.place = f.place.map(|(i, r)| (index[i], r));
            let mut seen = std::collections::HashSet::new();
            f.places = f
                .places
                .into_iter()
                .map(|p| Place { source: index[p.source], ..p })
                .filter(|p| seen.insert((p.source, p.range.start, p.range.end)))
                .collect();
            if f.location == QuoteLocation::Ambiguous && f.places.len() == 1 {
                let (i, r) = (f.places[0].source, f.places[0].range.clone());
                return anchor_and_verify(
                    &[sources[i]],
                    &[sources[i].window(r.clone())],
                    &[r.start],
                    quote,
                    &window_hint,
                )
                .map(|mut g| {
                    g.place = g.place.map(|(_, r)| (i, r));
                    g.places = g.places.into_iter().map(|p| Place { source: i, ..p }).collect();
                    g
                });
            }
            Ok(f)
        }
    }
}

/// JSON shape of one checked quote, as the `quotes` and `locate` commands print
/// it: offsets in code points, `page` null for unpaged sources.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteJson {
    /// Start of the text between the quote marks in the article (code points).
    pub article_start: Option<usize>,
    /// End of it (code points, exclusive).
    pub article_end: Option<usize>,
    /// The quoted text.
    pub text: String,
    /// The verdict about the words: `verbatim`, `normalized`, `altered` or
    /// `not_found` (for an ambiguous location, the best over its places).
    pub status: QuoteStatus,
    /// Where they stand: `unique` (`source`, `start`, `end` say where),
    /// `ambiguous` (every place in `alternatives`) or `none`.
    pub location: QuoteLocation,
    /// The source it anchored in, as named on the command line.
    pub source: Option<String>,
    /// Start in the source (code points).
    pub start: Option<usize>,
    /// End in the source (code points, exclusive).
    pub end: Option<usize>,
    /// Page of the start, for paged sources.
    pub page: Option<u32>,
    /// The tier it anchored at.
    pub tier: Option<Tier>,
    /// Similarity, 1.0 for identical.
    pub score: Option<f64>,
    /// How many places matched at the winning tier.
    pub candidates: usize,
    /// Every place the words stand, best first, when the location is ambiguous.
    pub alternatives: Vec<AlternativeJson>,
    /// Differences, for altered quotes.
    pub differences: Vec<crate::Difference>,
    /// Editorial conventions used.
    pub edits: Vec<crate::Edit>,
    /// Redactions inside, in the same sentence, or in its footnotes.
    pub redactions: Vec<RedactionJson>,
    /// Index (in the same list) of the quote this one is nested in, null for an
    /// outermost quote (and for `locate`).
    pub parent: Option<usize>,
    /// `unclosed` or `unopened` when the quote's marks do not balance and its
    /// extent is assumed (see the article's `warnings`), else null.
    pub unbalanced: Option<&'static str>,
    /// To whom the article attributes the quote, null when it gives no cue
    /// (and for `locate`).
    pub attribution: Option<AttributionJson>,
}

/// To whom an article attributes a quote, as `quotes --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributionJson {
    /// The speaker as the article names them (`Barr`, `the report`, `he`).
    pub speaker: String,
    /// The words that attribute the quote (`Barr said`, `according to Gates`).
    pub cue: String,
    /// Start of the cue in the article (code points).
    pub start: usize,
    /// End of the cue (code points, exclusive).
    pub end: usize,
    /// Start of the speaker in the article (code points).
    pub speaker_start: usize,
    /// End of the speaker (code points, exclusive).
    pub speaker_end: usize,
    /// The pattern that found it: `speaker_verb_after`, `verb_speaker_after`,
    /// `according_to`, `before`, `colon` or `previous_sentence`.
    pub pattern: &'static str,
}

impl AttributionJson {
    /// The JSON shape of `a`, offsets converted with `index` (the article's).
    pub fn of(a: &Attribution, index: &CharIndex) -> AttributionJson {
        let cp = |b: usize| index.to_char(b).unwrap_or(0);
        AttributionJson {
            speaker: a.speaker.clone(),
            cue: a.cue.clone(),
            start: cp(a.cue_range.start),
            end: cp(a.cue_range.end),
            speaker_start: cp(a.speaker_range.start),
            speaker_end: cp(a.speaker_range.end),
            pattern: a.pattern.code(),
        }
    }
}

/// A quote mark of an article that does not balance, with the extent assumed for
/// it: `quotes --format json` lists them under `warnings`.
#[derive(Debug, Clone, Serialize)]
pub struct WarningJson {
    /// `unclosed` (an opening mark nothing closes) or `unopened` (a closing mark
    /// nothing opened).
    pub kind: &'static str,
    /// Where the mark is (code points).
    pub mark: usize,
    /// Start of the quoted words assumed (code points).
    pub start: usize,
    /// End of them (code points, exclusive); equal to `start` when nothing is left.
    pub end: usize,
    /// Index of the quote reported with that extent, null when it is blank.
    pub quote: Option<usize>,
    /// Start of the statement holding the mark (code points).
    pub statement_start: usize,
    /// End of that statement (code points, exclusive).
    pub statement_end: usize,
    /// What is wrong and what was assumed, for people.
    pub message: String,
}

/// The unbalanced quote marks of `article`, with the extent assumed for each and
/// the statement holding it; offsets in code points of `index` (the article's).
///
/// # Errors
///
/// [`crate::Error::TooLarge`] for an article over the engine's cap.
pub fn warnings_json(article: &str, index: &CharIndex) -> Result<Vec<WarningJson>> {
    let a = quotes::analyze(article)?;
    let sentences = segment::statements(article);
    Ok(warnings_of(article, &a, &sentences, index))
}

/// [`warnings_json`] from the article's analysis `a` and statements `sentences`.
fn warnings_of(
    article: &str,
    a: &quotes::Analysis,
    sentences: &[segment::Statement],
    index: &CharIndex,
) -> Vec<WarningJson> {
    let cp = |b: usize| index.to_char(b).unwrap_or(0);
    a.warnings
        .iter()
        .map(|w| {
            let statement = segment::statement_at(sentences, w.mark)
                .map(|i| sentences[i].range())
                .unwrap_or_else(|| w.mark..w.mark + article[w.mark..].chars().next().map_or(0, char::len_utf8));
            WarningJson {
                kind: w.kind.code(),
                mark: cp(w.mark),
                start: cp(w.extent.start),
                end: cp(w.extent.end),
                quote: w.quotation,
                statement_start: cp(statement.start),
                statement_end: cp(statement.end),
                message: w.message(article),
            }
        })
        .collect()
}

/// One candidate place of a quote whose location is ambiguous.
#[derive(Debug, Clone, Serialize)]
pub struct AlternativeJson {
    /// Source name.
    pub source: String,
    /// Start (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// Page, for paged sources.
    pub page: Option<u32>,
    /// Similarity.
    pub score: f64,
    /// The score the article sentence holding the quote gave this place (the
    /// alternatives are listed best first by it), null when the places were
    /// not ranked by a sentence.
    pub rank: Option<f64>,
    /// The verdict about the words at this place.
    pub status: Option<QuoteStatus>,
}

/// A redaction near a quote.
#[derive(Debug, Clone, Serialize)]
pub struct RedactionJson {
    /// Start in the source (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// The label as written.
    pub label: String,
    /// The reason code, null when the label is unknown.
    pub code: Option<String>,
    /// `inside`, `sentence` or `footnote`.
    pub place: &'static str,
}

impl CheckedQuote {
    /// The JSON shape, with offsets converted to code points.
    pub fn to_json(&self, article: Option<&CharIndex>, sources: &[PreparedSource]) -> QuoteJson {
        let f = &self.finding;
        let cp = |s: &PreparedSource, b: usize| s.chars().to_char(b).unwrap_or(0);
        let page = |s: &PreparedSource, b: usize| s.pages().is_paged().then(|| s.pages().page_of(b));
        let loc = f.place.as_ref().map(|(i, r)| (&sources[*i], r.clone()));
        QuoteJson {
            article_start: self.article.as_ref().and_then(|r| article.and_then(|a| a.to_char(r.start))),
            article_end: self.article.as_ref().and_then(|r| article.and_then(|a| a.to_char(r.end))),
            text: self.text.clone(),
            status: f.status,
            location: f.location,
            source: loc.as_ref().map(|(s, _)| s.name.clone()),
            start: loc.as_ref().map(|(s, r)| cp(s, r.start)),
            end: loc.as_ref().map(|(s, r)| cp(s, r.end)),
            page: loc.as_ref().and_then(|(s, r)| page(s, r.start)),
            tier: f.tier,
            score: f.score,
            candidates: f.candidate_count,
            alternatives: if f.location == QuoteLocation::Ambiguous {
                f.places
                    .iter()
                    .map(|p| AlternativeJson {
                        source: sources[p.source].name.clone(),
                        start: cp(&sources[p.source], p.range.start),
                        end: cp(&sources[p.source], p.range.end),
                        page: page(&sources[p.source], p.range.start),
                        score: p.score,
                        rank: p.rank,
                        status: p.status,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            differences: f.differences.clone(),
            edits: f.edits.clone(),
            redactions: loc
                .map(|(s, _)| {
                    f.redactions
                        .iter()
                        .map(|x| RedactionJson {
                            start: cp(s, x.range.start),
                            end: cp(s, x.range.end),
                            label: x.label.clone(),
                            code: x.code.clone(),
                            place: x.place,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            parent: self.parent,
            unbalanced: self.unbalanced.map(quotes::Unbalanced::code),
            attribution: self.attribution.as_ref().and_then(|a| article.map(|index| AttributionJson::of(a, index))),
        }
    }
}

/// A quotation of an article that holds nothing to search (only punctuation,
/// ellipses or invisible characters, e.g. `“…”`) is not found; it is no reason to
/// fail the whole article. Other errors pass through.
fn or_not_found(r: Result<Finding>) -> Result<Finding> {
    match r {
        Err(Error::InvalidInput { .. }) => Ok(Finding::not_found()),
        other => other,
    }
}

/// What one quotation of an article gives, whatever its input: a quotation
/// with nothing to search is `not_found`, one over the engine's cap is
/// `too_large` (reported on that quotation); the article's other quotations are
/// still checked. Other errors pass through.
fn per_quote(r: Result<Finding>) -> Result<Finding> {
    match or_not_found(r) {
        Err(Error::TooLarge { .. }) => Ok(Finding { status: QuoteStatus::TooLarge, ..Finding::not_found() }),
        other => other,
    }
}

impl Finding {
    fn not_found() -> Finding {
        Finding {
            status: QuoteStatus::NotFound,
            location: QuoteLocation::None,
            tier: None,
            score: None,
            candidate_count: 0,
            place: None,
            places: Vec::new(),
            differences: Vec::new(),
            edits: Vec::new(),
            redactions: Vec::new(),
        }
    }

    /// The ledger's record of this finding; `revisions` maps source indexes to the
    /// revision each source is.
    pub(crate) fn to_check(&self, revisions: &[crate::RevisionId]) -> crate::QuoteCheck {
        crate::QuoteCheck {
            status: self.status,
            location: self.location,
            tier: self.tier,
            score: self.score,
            candidate_count: self.candidate_count as u32,
            differences: self.differences.clone(),
            edits: self.edits.clone(),
            candidates: if self.location == QuoteLocation::Ambiguous {
                self.places
                    .iter()
                    .map(|p| crate::CandidateSpan {
                        span: crate::Span::new(revisions[p.source], p.range.start, p.range.end),
                        tier: p.tier,
                        score: p.score,
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PreparedSource;
    use proptest::prelude::*;

    /// Made-up prose with what the normalized view rewrites or drops: curly
    /// quotes, dashes, line-end hyphens, apostrophes after a space, footnote
    /// markers and redaction labels (skip ranges), a ligature, characters
    /// past ASCII, runs of whitespace.
    fn prose() -> impl Strategy<Value = String> {
        prop::collection::vec(word(), 0..60).prop_map(|w| w.join(" "))
    }

    /// A word of [`prose`].
    fn word() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "the",
            "board",
            "said",
            "ferry",
            "contractor",
            "overtime",
            "was",
            "never",
            "approved",
            "in",
            "writing",
            "\u{201C}paid\u{201D}",
            "tele-\ncommunications",
            "\u{2014}",
            "--",
            "Spencer \u{2019}s",
            "[^3]",
            "[^12]",
            "[Grand Jury]",
            "[Personal Privacy]",
            "\u{FB01}nal",
            "Z\u{FC}rich",
            "\u{130}stanbul",
            "harbor",
            "\n\n",
            "  ",
            "1.2",
            "A",
            "ZZ9",
            "\u{c}",
        ])
    }

    /// `s` edited as `how` says at character `at`: unchanged, a character
    /// replaced, dropped or added, or upper-cased with straight quotes.
    fn edited(s: &str, how: u8, at: prop::sample::Index) -> String {
        let mut c: Vec<char> = s.chars().collect();
        if c.is_empty() {
            return String::new();
        }
        let i = at.index(c.len());
        match how % 5 {
            1 => c[i] = 'x',
            2 => {
                c.remove(i);
            }
            3 => c.iter_mut().for_each(|x| *x = if *x == '\u{201C}' { '"' } else { x.to_ascii_uppercase() }),
            4 => c.insert(i, 'q'),
            _ => {}
        }
        c.into_iter().collect()
    }

    /// A sentence, and a text holding copies of it among made-up prose,
    /// each copy edited a little or not at all: near occurrences of a quote
    /// in several places (several pieces of a view cut small), for the
    /// normalized and fuzzy tiers to choose among.
    fn echoes() -> impl Strategy<Value = (String, String)> {
        let sentence = prop::collection::vec(word(), 3..16).prop_map(|w| w.join(" "));
        let copies = prop::collection::vec(
            (prop::collection::vec(word(), 0..12), any::<u8>(), any::<prop::sample::Index>()),
            1..5,
        );
        (sentence, copies, prop::collection::vec(word(), 0..8)).prop_map(|(s, copies, tail)| {
            let mut text = String::new();
            for (filler, how, at) in copies {
                text.push_str(&filler.join(" "));
                text.push(' ');
                text.push_str(&edited(&s, how % 4, at));
                text.push(' ');
            }
            text.push_str(&tail.join(" "));
            (text, s)
        })
    }

    /// A quote of `sentence` as an article may give it: edited as
    /// [`edited`] does, and with a word left out for an ellipsis or a word
    /// put in brackets when `gap` says so.
    fn quote_of(sentence: &str, how: u8, at: prop::sample::Index, gap: (u8, prop::sample::Index)) -> String {
        let q = edited(sentence, how, at);
        let words: Vec<&str> = q.split(' ').collect();
        if words.len() < 3 {
            return q;
        }
        let w = 1 + gap.1.index(words.len() - 2);
        match gap.0 % 3 {
            1 => [words[..w].join(" "), words[w + 1..].join(" ")].join(" ... "),
            2 => {
                let mut v: Vec<String> = words.iter().map(|x| x.to_string()).collect();
                v[w] = format!("[{}]", v[w]);
                v.join(" ")
            }
            _ => q,
        }
    }

    /// A quote for `text`: characters cut out of it, edited a little or not
    /// at all, or words it may not hold.
    fn quote_for(text: &str, pick: (prop::sample::Index, usize, u8, prop::sample::Index)) -> String {
        let (at, len, how, edit) = pick;
        let t: Vec<char> = text.chars().collect();
        if t.is_empty() || how % 5 == 4 {
            return "the tugboat operator was never signed off by the harbor board".to_string();
        }
        let start = at.index(t.len());
        let mut q: Vec<char> = t[start..(start + len).min(t.len())].to_vec();
        if !q.is_empty() {
            let i = edit.index(q.len());
            match how % 5 {
                1 => q[i] = 'x',
                2 => {
                    q.remove(i);
                }
                3 => q.iter_mut().for_each(|c| *c = if *c == '\u{201C}' { '"' } else { c.to_ascii_uppercase() }),
                _ => {}
            }
        }
        q.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// A quote searched once in sources whose views are not built
        /// (`locate`) gets the finding of the search through every tier of
        /// the whole views, byte for byte in its JSON (same place, status,
        /// tier, score, candidates and their order), or the same error,
        /// with the views cut into pieces at every place allowed, at spacings
        /// and on 1 to 3 threads. Quotes cut out of made-up prose (as
        /// written, edited, upper-cased, or made up), and quotes of a
        /// sentence the text holds several copies of, each edited a little
        /// or not at all (found by the normalized or the fuzzy tier among
        /// near occurrences in several pieces, across cuts, with an
        /// ellipsis or a bracket).
        #[test]
        fn a_quote_searched_once_is_found_as_in_the_whole_views(
            plain in prose(),
            echo in echoes(),
            other in prose(),
            pick in (any::<prop::sample::Index>(), 1usize..60, any::<u8>(), any::<prop::sample::Index>()),
            near in (any::<bool>(), (any::<u8>(), (any::<u8>(), any::<prop::sample::Index>()))),
            context in any::<bool>(),
        ) {
            let (text, quote) = if near.0 {
                let (text, sentence) = echo;
                let (how, gap) = near.1;
                let q = quote_of(&sentence, how, pick.3, gap);
                (text, q)
            } else {
                let q = quote_for(&plain, pick);
                (plain, q)
            };
            let labels = |t: &str| -> Vec<(std::ops::Range<usize>, String, Option<String>)> {
                ["[Grand Jury]", "[Personal Privacy]"]
                    .iter()
                    .flat_map(|l| t.match_indices(l).map(|(i, m)| (i..i + m.len(), m[1..m.len() - 1].to_string(), None)))
                    .collect()
            };
            let sources = [
                PreparedSource::new("a.txt", text.as_str(), labels(&text)),
                PreparedSource::new("b.txt", other.as_str(), labels(&other)),
            ];
            let refs: Vec<&PreparedSource> = sources.iter().collect();
            let hint = if context {
                super::Hint { context: Some(format!("The board said {quote} on Monday.")), ..super::Hint::default() }
            } else {
                super::Hint::default()
            };
            let json = |r: crate::Result<super::Finding>| -> Result<String, String> {
                r.map(|f| {
                    let q = super::CheckedQuote::outside_an_article(&quote, f);
                    serde_json::to_string(&q.to_json(None, &sources)).unwrap_or_default()
                })
                .map_err(|e| e.to_string())
            };
            let views = super::matcher_views(&sources);
            let want = json(super::anchor_and_verify(&refs, &views, &[0, 0], &quote, &hint));
            for v in &views {
                v.normalized();
            }
            for cut in [None, Some((1, 1)), Some((1, 3)), Some((5, 2)), Some((23, 2)), Some((usize::MAX, 1))] {
                let fresh = super::matcher_views(&sources);
                let got = json(super::anchor_once_cut(&refs, &fresh, &quote, &hint, cut));
                prop_assert_eq!(&got, &want, "cut {:?}, quote {:?} in {:?}", cut, quote, text);
            }
        }
    }

    /// Paged text (form feeds, a running header and a page number between
    /// pages) searched once, cut into pieces: a quote the fuzzy tier finds
    /// builds no whole view; one found nowhere is tried across the page
    /// breaks, and one running over a break is found there, each as the
    /// search of the whole view finds it.
    #[test]
    fn a_quote_searched_once_in_paged_text_is_found_as_in_the_whole_view() {
        let page = |n: usize| {
            format!(
                "Harbor Report {n}\n\nCrews moved the dirt to the north quay and the board\u{2019}s clerk filed it. \
                 The inspectors counted {n} ferries in the yard that week.\n\n{n}\n\u{c}"
            )
        };
        let mut text: String = (1..40).map(page).collect();
        let at = text.find("counted 20 ferries").unwrap_or(0);
        text.insert_str(
            at,
            "The weekend overtime billed by the ferry contractor was never approved in writing by the board. ",
        );
        let end = text.find("Harbor Report 31").unwrap_or(0);
        text.insert_str(end - 3, " The contractor said the harbor commission knew of the overtime");
        text.insert_str(end + 64 + "Harbor Report 31\n\n".len(), "and approved every hour of it. ");
        let sources = [PreparedSource::new("paged.txt", text.as_str(), Vec::new())];
        assert!(sources[0].pages().is_paged());
        let refs: Vec<&PreparedSource> = sources.iter().collect();
        let json = |f: super::Finding| {
            let q = super::CheckedQuote::outside_an_article("", f);
            serde_json::to_string(&q.to_json(None, &sources)).unwrap_or_default()
        };
        let cases = [
            ("the weekend overtime billed by the ferry contracter was never aproved in writing", Some("fuzzy"), false),
            ("the tugboat operator was never signed off by the harbor board at all", None, false),
            ("the harbor commission knew of the overtime and approved every hour of it", Some("exact"), true),
        ];
        for (quote, tier, crosses) in cases {
            let whole = super::matcher_views(&sources);
            let want = super::anchor_and_verify(&refs, &whole, &[0], quote, &super::Hint::default())
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(want.tier.map(|t| t.code()), tier, "{quote}");
            assert_eq!(want.edits.iter().any(|e| e.kind == "page_break"), crosses, "{quote}");
            for cut in [Some((64, 1)), Some((200, 2)), Some((1, 3))] {
                let fresh = super::matcher_views(&sources);
                let got = super::anchor_once_cut(&refs, &fresh, quote, &super::Hint::default(), cut)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(json(got), json(want.clone()), "{quote} {cut:?}");
                // Only a quote found nowhere is tried head by head in the whole view.
                assert_eq!(fresh[0].view_built(), tier.is_none() || crosses, "{quote} {cut:?}");
            }
        }
    }

    proptest! {

        /// The prepared source's lookup by number answers what the scan of
        /// every definition answers: the first definition of each number,
        /// none for a number without one, numbers repeated and out of order.
        #[test]
        fn definition_lookup_equals_the_scan(numbers in prop::collection::vec(0u32..12, 0..30), asked in 0u32..14) {
            let mut text = String::from("Body text[^1] and more[^7].\n\n");
            for (i, n) in numbers.iter().enumerate() {
                text.push_str(&format!("[^{n}]: note {i} for {n}\n"));
            }
            let src = PreparedSource::new("notes.txt", text.as_str(), Vec::new());
            let by_scan = src.footnotes().definition(asked).map(|d| d.start);
            prop_assert_eq!(src.definition(asked).map(|d| d.start), by_scan);
            for n in &numbers {
                prop_assert_eq!(src.definition(*n).map(|d| d.start), src.footnotes().definition(*n).map(|d| d.start));
            }
        }

        /// The matcher's footnotes (one link per definition) place every
        /// offset at the marker that one link per marker places it at:
        /// numbers repeated (two volumes in one text), markers inside
        /// definitions, definitions out of order and missing.
        #[test]
        fn footnote_links_equal_one_link_per_marker(
            body in prop::collection::vec((0u32..6, 0usize..3), 0..12),
            defs in prop::collection::vec(0u32..6, 0..8),
            volumes in 1usize..3,
        ) {
            let mut text = String::new();
            for v in 0..volumes {
                for (n, words) in &body {
                    text.push_str(&format!("Claim{v} {}[^{n}] ", "w ".repeat(*words)));
                }
                text.push_str("\n\nFootnotes\n");
                for (i, n) in defs.iter().enumerate() {
                    let inner = if i % 3 == 0 { format!(" see[^{n}]") } else { String::new() };
                    text.push_str(&format!("[^{n}]: note {i} of {v}{inner}\n"));
                }
            }
            let src = PreparedSource::new("notes.txt", text.as_str(), Vec::new());
            let notes = src.footnotes();
            let per_marker: Vec<(std::ops::Range<usize>, usize)> = notes
                .markers
                .iter()
                .filter_map(|m| notes.definition(m.number).map(|d| (d.text_range(), m.start)))
                .collect();
            let want = crate::text::anchor::SourceText::new(&text, Vec::new()).with_footnotes(per_marker);
            let got = src.source_text();
            for o in 0..=text.len() {
                prop_assert_eq!(got.footnote_marker(o), want.footnote_marker(o), "offset {} of {:?}", o, text);
            }
        }

        /// The matcher skips the footnote markers and redaction labels
        /// (overlapping, nested, out of order, off char boundaries, past the
        /// end) as it did when given both lists and the labels again.
        #[test]
        fn matcher_skips_markers_and_labels(
            spans in prop::collection::vec((0usize..120, 0usize..30), 0..8),
            notes in prop::collection::vec(0u32..4, 0..10),
        ) {
            let mut text = String::new();
            for (i, n) in notes.iter().enumerate() {
                text.push_str(&format!("Word \u{2019}{i}[^{n}] and "));
            }
            let reds: Vec<(std::ops::Range<usize>, String, Option<String>)> =
                spans.iter().map(|&(s, l)| (s..s + l, format!("label {s}"), None)).collect();
            let src = PreparedSource::new("t.txt", text.as_str(), reds.clone());
            let mut all: Vec<std::ops::Range<usize>> =
                src.footnotes().markers.iter().map(|m| m.start..m.end).collect();
            all.extend(reds.iter().map(|r| r.0.clone()));
            let labels: Vec<(std::ops::Range<usize>, String)> = reds.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
            let want = crate::text::anchor::SourceText::with_labels(&text, all, labels);
            let got = src.source_text();
            prop_assert_eq!(got.skip(), want.skip());
            prop_assert_eq!(got.normalized(), want.normalized());
        }
    }
}
