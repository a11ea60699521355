//! Re-anchoring: carrying what points into one revision of a source (passages,
//! redactions, where quotations anchored) over to another revision of it.
//!
//! # Design
//!
//! Sources change: a corrected edition, an OCR'd PDF beside a clean text, a
//! re-release with redactions lifted. [`Ledger::reanchor`] locates every anchor
//! of the old revision in the new one with the quote checker's engine
//! ([`crate::quotecheck`] over [`crate::text::anchor`]): the W3C quote selector
//! (exact text with its prefix and suffix) first, then the passage's text
//! through the exact, normalized and fuzzy tiers and across page breaks, with
//! the old position (shifted by how far the previous anchor of the same kind
//! moved) and the selector's context as hints. A passage too long for the fuzzy
//! tier is found by its head and its tail. Footnote markers are dropped from the
//! searched text and redaction labels stand as ellipses (the words a release
//! prints in their place may be anything).
//!
//! Each anchor gets a state ([`AnchorState`]): `same` (same text at the same
//! code-point offsets), `moved` (the same words elsewhere; typography, line
//! breaks and page furniture aside), `changed` (close text that differs in
//! words: the differences are kept) or `orphaned` (not found, or found in several
//! places that nothing decides: the reason is kept). A redaction is located by
//! the text right before and right after it: when its place in the new text
//! holds a label (a redaction of the new revision, or words that name a
//! redaction reason) it is `kept`, when it holds other words it is `released`
//! and the words are reported.
//!
//! Nothing is updated in place. A passage that lands (`same`, `moved`,
//! `changed`) gets a passage row on the new revision (or reuses the one there,
//! e.g. a footnote the import created), and each citation of the old passage is
//! copied to it as a new citation row; `anchor_moves` links the old passage to
//! the new one. The audit then treats the old citation as carried (not stale),
//! lists the `changed` and `orphaned` ones for review, and lists statements whose
//! evidence touched a redaction that is now `released`.
//!
//! The search runs before the write transaction (it can take seconds on a long
//! report); the transaction checks that the old revision gained no anchor
//! meanwhile and writes everything at once, or nothing.

use crate::quotecheck::{self, Finding, PreparedSource};
use crate::storage;
use crate::storage::reanchors::{self, MoveRow};
use crate::text::anchor::{Hint, SourceText};
use crate::text::{footnotes, verify};
use crate::{
    AnchorKind, AnchorState, CharIndex, Difference, DocumentId, Entity, Error, Ledger, NewCitation, NewPassage, Pages,
    Passage, PassageId, QuoteLocation, Redaction, Result, Revision, Span,
};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

/// A place in a revision, in code points (end exclusive), with its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Start, in code points.
    pub start: usize,
    /// End, in code points, exclusive.
    pub end: usize,
    /// The page it starts on, for paged texts.
    pub page: Option<u32>,
}

/// Where one anchor of the old revision landed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnchorMove {
    /// Passage, redaction or quotation.
    pub kind: AnchorKind,
    /// The ID of the old passage, redaction or quotation.
    pub id: String,
    /// Its state.
    pub state: AnchorState,
    /// Where it was.
    pub old: Place,
    /// Where it is (`None` when orphaned).
    pub new: Option<Place>,
    /// Similarity of the new text to the old, 1.0 for the same words.
    pub score: Option<f64>,
    /// Word differences, old (`quoted`) against new (`source`), when changed.
    pub differences: Vec<Difference>,
    /// The words a released redaction's place holds.
    pub released_text: Option<String>,
    /// Why it is orphaned.
    pub reason: Option<String>,
    /// The passage of the new revision its citations followed to (passages).
    pub passage: Option<PassageId>,
}

/// How many anchors ended in each state, and how many citations followed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnchorCounts {
    /// `same`.
    pub same: usize,
    /// `moved`.
    pub moved: usize,
    /// `changed`.
    pub changed: usize,
    /// `orphaned`.
    pub orphaned: usize,
    /// `released` redactions.
    pub released: usize,
    /// `kept` redactions.
    pub kept: usize,
    /// Citations copied to the new revision's passages.
    pub citations: usize,
}

/// What [`Ledger::reanchor`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reanchored {
    /// The document.
    pub document: DocumentId,
    /// The revision number carried from.
    pub from: u32,
    /// The revision number carried to.
    pub to: u32,
    /// Every anchor of the old revision: passages, then redactions, then
    /// quotations, each in text order.
    pub anchors: Vec<AnchorMove>,
    /// Counts by state.
    pub counts: AnchorCounts,
}

/// Options of [`Ledger::reanchor_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReanchorOptions {
    /// Who re-anchors (recorded with the re-anchoring).
    pub actor: Option<String>,
}

/// Text around a redaction searched to find its place, in bytes.
const REDACTION_CONTEXT: usize = 160;
/// Largest gap between the text before and after a redaction in the new text.
const REDACTION_GAP: usize = 4_000;
/// Passages longer than this (bytes of searched text) are also tried by head and tail.
const LONG_PASSAGE: usize = 400;
/// Words of a long passage's head or tail.
const HEAD_WORDS: usize = 24;

/// One side of a re-anchoring: a revision prepared for the matcher.
struct Side {
    rev: Revision,
    prepared: PreparedSource,
    redactions: Vec<Redaction>,
    markers: Vec<Range<usize>>,
    chars: CharIndex,
    pages: Pages,
}

impl Side {
    fn new(rev: Revision, redactions: Vec<Redaction>) -> Side {
        let text = rev.text.clone();
        let reds = redactions
            .iter()
            .map(|r| (r.span.start..r.span.end, r.label.clone(), r.reason.as_ref().map(|x| x.code.clone())))
            .collect();
        let markers = footnotes::footnotes(&rev.text).markers.iter().map(|m| m.start..m.end).collect();
        let chars = CharIndex::shared(text.clone());
        let pages = Pages::new(&rev.text);
        Side { prepared: PreparedSource::new(rev.id.to_string(), text, reds), redactions, markers, chars, pages, rev }
    }

    fn text(&self) -> &str {
        &self.rev.text
    }

    fn place(&self, r: &Range<usize>) -> Place {
        Place {
            start: self.chars.to_char(r.start).unwrap_or(0),
            end: self.chars.to_char(r.end).unwrap_or(0),
            page: self.pages.is_paged().then(|| self.pages.page_of(r.start)),
        }
    }

    /// The text of `r` as a query: footnote markers dropped, redaction labels as
    /// ellipses (a release may print anything in their place).
    fn query(&self, r: Range<usize>) -> String {
        let mut cuts: Vec<(Range<usize>, &str)> = self
            .markers
            .iter()
            .filter(|m| m.start < r.end && m.end > r.start)
            .map(|m| (m.clone(), ""))
            .chain(
                self.redactions
                    .iter()
                    .filter(|x| x.span.start < r.end && x.span.end > r.start)
                    .map(|x| (x.span.start..x.span.end, " … ")),
            )
            .collect();
        cuts.sort_by_key(|(c, _)| c.start);
        let t = self.text();
        let mut out = String::with_capacity(r.len());
        let mut at = r.start;
        for (c, with) in cuts {
            let (s, e) = (c.start.max(r.start), c.end.min(r.end));
            if s > at {
                out.push_str(&t[at..s]);
            }
            if e > at {
                out.push_str(with);
                at = e;
            }
        }
        if at < r.end {
            out.push_str(&t[at..r.end]);
        }
        // Ellipses at the edges stand for nothing to search.
        let trimmed = out.trim().trim_start_matches('…').trim_end_matches('…').trim();
        trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The text of `r` without footnote markers and redaction labels, for
    /// comparing words.
    fn clean(&self, r: Range<usize>) -> String {
        self.query(r).replace(" … ", " ").replace('…', " ")
    }
}

/// Where one search landed.
enum Landing {
    Found { range: Range<usize>, score: f64 },
    Orphaned(String),
}

fn snap(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn landing(f: &Finding) -> Landing {
    match (f.location, &f.place) {
        (QuoteLocation::Ambiguous, _) => {
            Landing::Orphaned(format!("{} places match and nothing decides between them", f.candidate_count))
        }
        (QuoteLocation::Unique, Some((_, r))) => Landing::Found { range: r.clone(), score: f.score.unwrap_or(1.0) },
        _ => Landing::Orphaned("not found".into()),
    }
}

/// Searches `query` in the new side, hinted by `context` and an expected offset.
fn search(new: &Side, view: &SourceText<'_>, query: &str, context: Option<String>, near: usize) -> Result<Landing> {
    if query.split_whitespace().all(|w| w == "…") || query.trim().is_empty() {
        return Ok(Landing::Orphaned("nothing but redaction labels and footnote markers to search".into()));
    }
    let focus = context.as_deref().and_then(|c| c.find(query).map(|s| s..s + query.len()));
    let hint = Hint { context, focus, near: vec![(0, near.min(new.text().len()))] };
    if query.len() <= crate::text::anchor::MAX_QUOTE {
        let f = quotecheck::find_in(&new.prepared, view, query, &hint)?;
        let l = landing(&f);
        if matches!(l, Landing::Found { .. }) || query.len() <= LONG_PASSAGE {
            return Ok(l);
        }
    }
    // Long: by its head and its tail.
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.len() < 2 * HEAD_WORDS {
        return Ok(Landing::Orphaned("not found".into()));
    }
    let head = words[..HEAD_WORDS].join(" ");
    let tail = words[words.len() - HEAD_WORDS..].join(" ");
    let h = landing(&quotecheck::find_in(&new.prepared, view, &head, &hint)?);
    let Landing::Found { range: hr, score: hs } = h else {
        return Ok(Landing::Orphaned("neither the whole nor its beginning found".into()));
    };
    let hint = Hint { near: vec![(0, hr.start + query.len())], ..hint };
    let t = landing(&quotecheck::find_in(&new.prepared, view, &tail, &hint)?);
    let Landing::Found { range: tr, score: ts } = t else {
        return Ok(Landing::Orphaned("its beginning found, its end not".into()));
    };
    let len = tr.end.saturating_sub(hr.start);
    if tr.end <= hr.start || len > query.len() * 2 + 200 || len * 2 < query.len() {
        return Ok(Landing::Orphaned("its beginning and end found apart".into()));
    }
    Ok(Landing::Found { range: hr.start..tr.end, score: hs.min(ts) })
}

/// The state of a passage or quotation found at `new_r` (was at `old_r`).
fn judge(
    old: &Side,
    new: &Side,
    old_r: &Range<usize>,
    new_r: &Range<usize>,
    score: f64,
) -> (AnchorState, f64, Vec<Difference>) {
    let (ot, nt) = (&old.text()[old_r.clone()], &new.text()[new_r.clone()]);
    if ot == nt {
        let same = old.chars.to_char(old_r.start) == new.chars.to_char(new_r.start);
        return (if same { AnchorState::Same } else { AnchorState::Moved }, 1.0, Vec::new());
    }
    let v = verify::verify(&old.clean(old_r.clone()), &new.clean(new_r.clone()));
    match v.verdict {
        verify::Verdict::Verbatim | verify::Verdict::Normalized => (AnchorState::Moved, 1.0, Vec::new()),
        verify::Verdict::Altered => (
            AnchorState::Changed,
            score.min(1.0),
            v.differences.into_iter().map(|d| Difference { quoted: d.quoted, source: d.source }).collect(),
        ),
    }
}

/// A planned move with what the write needs.
struct Planned {
    mv: AnchorMove,
    row: MoveRow,
    /// For passages that land: the new passage to ensure, and the old passage.
    follow: Option<(NewPassage, PassageId)>,
}

impl Ledger {
    /// Re-anchors revision `from` of `document` in its revision `to` (revision
    /// numbers, from 1): every passage, redaction and quotation anchor of the old
    /// revision is located in the new one and gets a state; passages that land
    /// get a passage row on the new revision and their citations follow as new
    /// citation rows (see the [module docs](crate::reanchor)). From a revision to
    /// itself nothing is done. The search runs first; the writes are one
    /// transaction.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let doc = ledger.add_document(NewDocument::new(DocumentKind::Report, "Audit"))?;
    /// let r1 = ledger.add_revision(doc.id, NewRevision::new("Fees rose. [Personal Privacy] signed the order."))?;
    /// ledger.add_redaction(NewRedaction { span: Span::new(r1.id, 11, 29), label: "Personal Privacy".into(), approx_chars: None })?;
    /// let passage = ledger.add_passage(NewPassage::new(Span::new(r1.id, 0, 10)))?;
    /// ledger.add_revision(doc.id, NewRevision::new("Summary. Fees rose. Ann Lee signed the order."))?;
    /// let out = ledger.reanchor(doc.id, 1, 2)?;
    /// assert_eq!(out.anchors[0].state, AnchorState::Moved);
    /// assert_eq!(out.anchors[1].state, AnchorState::Released);
    /// assert_eq!(out.anchors[1].released_text.as_deref(), Some("Ann Lee"));
    /// # let _ = passage; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document or revision number;
    /// [`Error::Conflict`] when `from` was already re-anchored to `to`, or when
    /// the old revision gained anchors while the search ran (run it again);
    /// [`Error::Busy`]. Nothing is written on error.
    pub fn reanchor(&mut self, document: DocumentId, from: u32, to: u32) -> Result<Reanchored> {
        self.reanchor_with(document, from, to, &ReanchorOptions::default())
    }

    /// [`Ledger::reanchor`] with options.
    ///
    /// # Errors
    ///
    /// As [`Ledger::reanchor`].
    pub fn reanchor_with(
        &mut self,
        document: DocumentId,
        from: u32,
        to: u32,
        options: &ReanchorOptions,
    ) -> Result<Reanchored> {
        if self.document(document)?.is_none() {
            return Err(Error::not_found(Entity::Document, document));
        }
        let revs = self.revisions(document)?;
        let pick = |seq: u32| {
            revs.iter()
                .find(|r| r.seq == seq)
                .cloned()
                .ok_or_else(|| Error::not_found(Entity::Revision, format!("revision {seq} of document {document}")))
        };
        let (old_rev, new_rev) = (pick(from)?, pick(to)?);
        let mut out = Reanchored { document, from, to, anchors: Vec::new(), counts: AnchorCounts::default() };
        if from == to {
            return Ok(out);
        }
        if reanchors::exists(self.conn(), old_rev.id, new_rev.id)? {
            return Err(Error::Conflict {
                entity: Entity::Revision,
                detail: format!("revision {from} of document {document} was already re-anchored to revision {to}"),
            });
        }
        let old_passages = self.passages(old_rev.id)?;
        let old_quotations = quotations_on(self, old_rev.id)?;
        let (old_reds, new_reds) = (self.redactions(old_rev.id)?, self.redactions(new_rev.id)?);
        let old = Side::new(old_rev, old_reds);
        let new = Side::new(new_rev, new_reds);
        let plan = plan(self, &old, &new, &old_passages, &old_quotations)?;
        let anchors_before = (old_passages.len(), old.redactions.len());

        let (old_id, new_id) = (old.rev.id, new.rev.id);
        let actor = options.actor.clone();
        let citations = self.write(|w| {
            let tx = w.tx();
            let now_passages = storage::passages::of_revision(tx, old_id)?.len();
            let now_redactions = storage::redactions::of_revision(tx, w.taxonomy(), old_id)?.len();
            if (now_passages, now_redactions) != anchors_before || reanchors::exists(tx, old_id, new_id)? {
                return Err(Error::Conflict {
                    entity: Entity::Revision,
                    detail: "the revision changed while it was re-anchored; run it again".into(),
                });
            }
            let row = reanchors::insert(
                w.tx(),
                uuid::Uuid::now_v7(),
                old_id,
                new_id,
                actor.as_deref(),
                storage::now_millis(),
            )?;
            let mut citations = 0;
            let mut rows = Vec::with_capacity(plan.len());
            for p in &plan {
                let mut m = p.row.clone();
                if let Some((np, old_passage)) = &p.follow {
                    let carried = w.ensure_passage(np)?;
                    m.new_passage = Some(carried.id);
                    for c in storage::citations::of_passage(w.tx(), *old_passage)? {
                        let mut nc = NewCitation::new(c.claim, carried.id, c.relation);
                        nc.note = c.note.clone();
                        nc.recorded_by = c.recorded_by.clone();
                        w.ensure_citation(&nc)?;
                        citations += 1;
                    }
                }
                reanchors::insert_move(w.tx(), row, &m)?;
                rows.push(m.new_passage);
            }
            Ok((citations, rows))
        })?;
        let (n, carried) = citations;
        out.counts.citations = n;
        for (p, new_passage) in plan.into_iter().zip(carried) {
            let mut mv = p.mv;
            mv.passage = new_passage;
            match mv.state {
                AnchorState::Same => out.counts.same += 1,
                AnchorState::Moved => out.counts.moved += 1,
                AnchorState::Changed => out.counts.changed += 1,
                AnchorState::Released => out.counts.released += 1,
                AnchorState::Kept => out.counts.kept += 1,
                _ => out.counts.orphaned += 1,
            }
            out.anchors.push(mv);
        }
        Ok(out)
    }
}

/// Quotations anchored in a passage of `rev`: (quotation, its quoted words, its passage).
fn quotations_on(l: &Ledger, rev: crate::RevisionId) -> Result<Vec<(crate::Quotation, String, PassageId)>> {
    let mut out = Vec::new();
    for (q, p) in reanchors::quotations_on(l.conn(), rev)? {
        if let Some(q) = l.quotation(q)? {
            let words = l.text(&q.span)?;
            out.push((q, words, p));
        }
    }
    Ok(out)
}

fn plan(
    l: &Ledger,
    old: &Side,
    new: &Side,
    passages: &[Passage],
    quotations: &[(crate::Quotation, String, PassageId)],
) -> Result<Vec<Planned>> {
    let view = new.prepared.source_text();
    let old_view = old.prepared.source_text();
    let mut out = Vec::new();

    // Redactions first: label-only passages follow them.
    let mut red_landing: RedactionLandings = HashMap::new();
    let mut red_moves = Vec::new();
    let mut delta: i64 = 0;
    for (i, r) in old.redactions.iter().enumerate() {
        let prev_end = i.checked_sub(1).and_then(|j| old.redactions.get(j)).map(|x| x.span.end).unwrap_or(0);
        let next_start = old.redactions.get(i + 1).map(|x| x.span.start).unwrap_or(old.text().len());
        let expected = (r.span.start as i64 + delta).max(0) as usize;
        let (state, range, words, reason) = locate_redaction(l, old, new, &view, r, prev_end, next_start, expected)?;
        if let Some(nr) = &range {
            delta = nr.start as i64 - r.span.start as i64;
        }
        red_landing.insert(r.id, (state, range.clone(), words.clone()));
        let old_r = r.span.start..r.span.end;
        let mv = AnchorMove {
            kind: AnchorKind::Redaction,
            id: r.id.to_string(),
            state,
            old: old.place(&old_r),
            new: range.as_ref().map(|x| new.place(x)),
            score: None,
            differences: Vec::new(),
            released_text: words.clone(),
            reason: reason.clone(),
            passage: None,
        };
        red_moves.push(Planned {
            row: MoveRow {
                kind: AnchorKind::Redaction,
                passage: None,
                redaction: Some(r.id),
                quotation: None,
                state,
                span: range.map(|x| (x.start, x.end)),
                new_passage: None,
                score: None,
                differences: Vec::new(),
                released_text: words,
                reason,
            },
            mv,
            follow: None,
        });
    }

    let mut deltas: HashMap<crate::PassageKind, i64> = HashMap::new();
    for p in passages {
        let old_r = p.span.start..p.span.end;
        let delta = deltas.get(&p.kind).copied().unwrap_or(0);
        let expected = (p.span.start as i64 + delta).max(0) as usize;
        let (state, range, score, differences, reason) = locate_passage(old, new, &view, p, expected, &red_landing)?;
        if let Some(nr) = &range {
            deltas.insert(p.kind, nr.start as i64 - p.span.start as i64);
        }
        let follow = range.as_ref().map(|nr| {
            (NewPassage { span: Span::new(new.rev.id, nr.start, nr.end), kind: p.kind, footnote: p.footnote }, p.id)
        });
        let mv = AnchorMove {
            kind: AnchorKind::Passage,
            id: p.id.to_string(),
            state,
            old: old.place(&old_r),
            new: range.as_ref().map(|x| new.place(x)),
            score,
            differences: differences.clone(),
            released_text: None,
            reason: reason.clone(),
            passage: None,
        };
        out.push(Planned {
            row: MoveRow {
                kind: AnchorKind::Passage,
                passage: Some(p.id),
                redaction: None,
                quotation: None,
                state,
                span: range.map(|x| (x.start, x.end)),
                new_passage: None,
                score,
                differences,
                released_text: None,
                reason,
            },
            mv,
            follow,
        });
    }
    out.extend(red_moves);

    for (q, words, passage) in quotations {
        let Some(p) = passages.iter().find(|p| p.id == *passage) else { continue };
        let near_old = p.span.start;
        let near_new = out
            .iter()
            .find(|x| x.row.passage == Some(*passage))
            .and_then(|x| x.row.span.map(|s| s.0))
            .unwrap_or(near_old);
        // Where it anchored in the old revision, then in the new one.
        let hint = |at: usize| Hint { near: vec![(0, at)], ..Hint::default() };
        let old_f = quotecheck::find_in(&old.prepared, &old_view, words, &hint(near_old))?;
        let old_r = old_f.place.as_ref().map(|(_, r)| r.clone()).unwrap_or(p.span.start..p.span.end);
        let (state, range, score, differences, reason) =
            match landing(&quotecheck::find_in(&new.prepared, &view, words, &hint(near_new))?) {
                Landing::Found { range, score } => {
                    let (s, sc, d) = judge(old, new, &old_r, &range, score);
                    (s, Some(range), Some(sc), d, None)
                }
                Landing::Orphaned(why) => (AnchorState::Orphaned, None, None, Vec::new(), Some(why)),
            };
        let mv = AnchorMove {
            kind: AnchorKind::Quotation,
            id: q.id.to_string(),
            state,
            old: old.place(&old_r),
            new: range.as_ref().map(|x| new.place(x)),
            score,
            differences: differences.clone(),
            released_text: None,
            reason: reason.clone(),
            passage: None,
        };
        out.push(Planned {
            row: MoveRow {
                kind: AnchorKind::Quotation,
                passage: None,
                redaction: None,
                quotation: Some(q.id),
                state,
                span: range.map(|x| (x.start, x.end)),
                new_passage: None,
                score,
                differences,
                released_text: None,
                reason,
            },
            mv,
            follow: None,
        });
    }
    Ok(out)
}

type Located = (AnchorState, Option<Range<usize>>, Option<f64>, Vec<Difference>, Option<String>);

fn locate_passage(
    old: &Side,
    new: &Side,
    view: &SourceText<'_>,
    p: &Passage,
    expected: usize,
    reds: &RedactionLandings,
) -> Result<Located> {
    let old_r = p.span.start..p.span.end;
    let t = new.text();
    // Unchanged in place.
    if t.get(old_r.clone()) == Some(p.quote.exact.as_str())
        && t.get(old_r.start.saturating_sub(p.quote.prefix.len())..old_r.start) == Some(p.quote.prefix.as_str())
        && t.get(old_r.end..old_r.end + p.quote.suffix.len()) == Some(p.quote.suffix.as_str())
    {
        let (s, sc, d) = judge(old, new, &old_r, &old_r, 1.0);
        return Ok((s, Some(old_r), Some(sc), d, None));
    }
    // A passage that is nothing but a redaction follows the redaction.
    let query = old.query(old_r.clone());
    if query.is_empty()
        && let Some(r) = old.redactions.iter().find(|r| r.span.start <= old_r.start && r.span.end >= old_r.end)
    {
        return Ok(match reds.get(&r.id) {
            Some((AnchorState::Kept, Some(nr), _)) => {
                let (s, sc, d) = judge(old, new, &old_r, nr, 1.0);
                (s, Some(nr.clone()), Some(sc), d, None)
            }
            Some((AnchorState::Released, Some(nr), words)) => (
                AnchorState::Changed,
                Some(nr.clone()),
                Some(0.0),
                vec![Difference { quoted: p.quote.exact.clone(), source: words.clone().unwrap_or_default() }],
                None,
            ),
            _ => (AnchorState::Orphaned, None, None, Vec::new(), Some("its redaction was not found".into())),
        });
    }
    // The quote selector: exact text with its prefix and suffix, then alone.
    let sel = crate::text::anchor::Selector {
        exact: &p.quote.exact,
        prefix: Some(&p.quote.prefix),
        suffix: Some(&p.quote.suffix),
        within: None,
    };
    let one = std::slice::from_ref(view);
    let mut hits = crate::text::anchor::find_all(one, &sel)?;
    if hits.is_empty() {
        let alone = crate::text::anchor::Selector { prefix: None, suffix: None, ..sel };
        hits = crate::text::anchor::find_all(one, &alone)?;
        if hits.len() > 1 {
            hits.clear(); // Let the hinted search decide.
        }
    }
    let found = if let Some(best) = hits.iter().min_by_key(|c| c.start.abs_diff(expected)) {
        Landing::Found { range: best.start..best.end, score: 1.0 }
    } else {
        let context = old.query(
            snap(old.text(), old_r.start.saturating_sub(p.quote.prefix.len()))
                ..snap(old.text(), old_r.end + p.quote.suffix.len()),
        );
        search(new, view, &query, Some(context), expected)?
    };
    Ok(match found {
        Landing::Found { range, score } => {
            let (s, sc, d) = judge(old, new, &old_r, &range, score);
            (s, Some(range), Some(sc), d, None)
        }
        Landing::Orphaned(why) => (AnchorState::Orphaned, None, None, Vec::new(), Some(why)),
    })
}

/// Where each redaction landed: state, place, released words.
type RedactionLandings = HashMap<crate::RedactionId, (AnchorState, Option<Range<usize>>, Option<String>)>;

type RedactionLanding = (AnchorState, Option<Range<usize>>, Option<String>, Option<String>);

#[allow(clippy::too_many_arguments)]
fn locate_redaction(
    l: &Ledger,
    old: &Side,
    new: &Side,
    view: &SourceText<'_>,
    r: &Redaction,
    prev_end: usize,
    next_start: usize,
    expected: usize,
) -> Result<RedactionLanding> {
    let ot = old.text();
    // The words right before and right after it (whole words, no other label).
    let b0 = snap(ot, r.span.start.saturating_sub(REDACTION_CONTEXT).max(prev_end));
    let mut before = b0..r.span.start;
    if b0 > prev_end
        && let Some(sp) = ot[before.clone()].find(char::is_whitespace)
    {
        before.start += sp;
    }
    let a1 = snap(ot, (r.span.end + REDACTION_CONTEXT).min(next_start));
    let mut after = r.span.end..a1;
    if a1 < next_start
        && let Some(sp) = ot[after.clone()].rfind(char::is_whitespace)
    {
        after.end = r.span.end + sp;
    }
    let words = |q: &str| q.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    let (bq, aq) = (old.query(before.clone()), old.query(after.clone()));
    let hint_len = bq.len();
    let b = if words(&bq) >= 2 {
        search(new, view, &bq, None, expected.saturating_sub(hint_len))?
    } else {
        Landing::Orphaned("no text before it".into())
    };
    let near_after = match &b {
        Landing::Found { range, .. } => range.end,
        _ => expected + r.span.len(),
    };
    let a = if words(&aq) >= 2 {
        search(new, view, &aq, None, near_after)?
    } else {
        Landing::Orphaned("no text after it".into())
    };
    let t = new.text();
    let place = match (&b, &a) {
        (Landing::Found { range: br, .. }, Landing::Found { range: ar, .. })
            if br.end <= ar.start && ar.start - br.end <= REDACTION_GAP =>
        {
            br.end..ar.start
        }
        (Landing::Found { range: br, .. }, _) => {
            // Only the text before: a label right after it is still its place.
            match label_at(l, new, br.end) {
                Some(x) => x,
                None => return Ok((AnchorState::Orphaned, None, None, Some("the text after it was not found".into()))),
            }
        }
        (_, Landing::Found { range: ar, .. }) => match label_before(l, new, ar.start) {
            Some(x) => x,
            None => return Ok((AnchorState::Orphaned, None, None, Some("the text before it was not found".into()))),
        },
        _ => return Ok((AnchorState::Orphaned, None, None, Some("the text around it was not found".into()))),
    };
    // Trim whitespace (and a footnote marker's neighbours) off the place.
    let s = &t[place.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let place = place.start + lead..place.end - trail;
    if place.is_empty() {
        return Ok((AnchorState::Orphaned, None, None, Some("nothing is left in its place".into())));
    }
    if let Some(x) = new.redactions.iter().find(|x| x.span.start < place.end && x.span.end > place.start) {
        return Ok((AnchorState::Kept, Some(x.span.start..x.span.end), None, None));
    }
    let words_there = new.clean(place.clone());
    if is_label(l, &words_there, &r.label) {
        return Ok((AnchorState::Kept, Some(place), None, None));
    }
    Ok((AnchorState::Released, Some(place), Some(words_there), None))
}

/// True when `words` name a redaction (a reason of the taxonomy, or the old label).
fn is_label(l: &Ledger, words: &str, old_label: &str) -> bool {
    let w = words.trim().trim_start_matches('[').trim_end_matches(']');
    l.taxonomy().resolve(w).is_some()
        || crate::taxonomy::fold_label(w) == crate::taxonomy::fold_label(old_label)
        || crate::taxonomy::fold_label(w) == "redacted"
}

/// A label of the new side starting at `at` (after whitespace).
fn label_at(l: &Ledger, new: &Side, at: usize) -> Option<Range<usize>> {
    let t = new.text();
    let s = at + (t[at..].len() - t[at..].trim_start().len());
    if let Some(x) = new.redactions.iter().find(|x| x.span.start == s) {
        return Some(x.span.start..x.span.end);
    }
    l.taxonomy().find_labels(&t[s..snap(t, s + 200)]).into_iter().find(|(r, _)| r.start == 0).map(|(r, _)| s..s + r.end)
}

/// A label of the new side ending at `at` (before whitespace).
fn label_before(l: &Ledger, new: &Side, at: usize) -> Option<Range<usize>> {
    let t = new.text();
    let e = t[..at].trim_end().len();
    if let Some(x) = new.redactions.iter().find(|x| x.span.end == e) {
        return Some(x.span.start..x.span.end);
    }
    let s0 = snap(t, e.saturating_sub(200));
    l.taxonomy().find_labels(&t[s0..e]).into_iter().rfind(|(r, _)| s0 + r.end == e).map(|(r, _)| s0 + r.start..e)
}

/// What the audit reads of re-anchorings, per source revision, loaded once.
#[derive(Default)]
pub(crate) struct Follows {
    revs: HashMap<crate::RevisionId, FollowsOf>,
}

#[derive(Default)]
struct FollowsOf {
    passages: HashMap<PassageId, reanchors::PassageFollow>,
    /// Released redactions: span, label, words, revision number printing them.
    released: Vec<(Range<usize>, String, String, u32)>,
}

impl Follows {
    fn load(&mut self, l: &Ledger, rev: crate::RevisionId) -> Result<&FollowsOf> {
        use std::collections::hash_map::Entry;
        match self.revs.entry(rev) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => {
                let passages = reanchors::passage_follows(l.conn(), rev)?.into_iter().collect();
                let mut released = Vec::new();
                for (id, words, seq) in reanchors::released(l.conn(), rev)? {
                    if let Some(r) = l.redaction(id)? {
                        released.push((r.span.start..r.span.end, r.label, words, seq));
                    }
                }
                Ok(e.insert(FollowsOf { passages, released }))
            }
        }
    }

    /// How the passage was carried to a later revision, if it was.
    pub(crate) fn passage(&mut self, l: &Ledger, p: &Passage) -> Result<Option<reanchors::PassageFollow>> {
        Ok(self.load(l, p.span.revision)?.passages.get(&p.id).cloned())
    }

    /// Released redactions in or touching the passage: (label, words, revision number).
    pub(crate) fn released(&mut self, l: &Ledger, p: &Passage) -> Result<Vec<(String, String, u32)>> {
        Ok(self
            .load(l, p.span.revision)?
            .released
            .iter()
            .filter(|(r, ..)| r.start <= p.span.end && r.end >= p.span.start)
            .map(|(_, label, words, seq)| (label.clone(), words.clone(), *seq))
            .collect())
    }
}
