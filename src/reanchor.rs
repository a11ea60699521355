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
//! The position hint comes first: every search runs in a window around the
//! expected place (every tier, across page breaks), and only when the window
//! holds the words nowhere are they looked for in the whole new text, as they
//! are (typography aside; no fuzzy scan of a whole long text per anchor, which
//! is what made a long report take minutes).
//!
//! Footnotes are carried in their order. When several places match (short
//! repeated footnotes: `Id.`), the one printed after the footnote's number
//! (`45 Id.`, `[^45]: Id.`) is taken, else the first after the footnote before
//! it. A footnote marker (`[^45]`) has no words of its own: it follows its
//! footnote, to a marker of the same number in the new text, else to the number
//! printed after the same words in the text before the footnote's new place (a
//! PDF's superscript, `... as "specialists."42`; when the scan misread the
//! words, `meetin members of the Trum Cam ai n.997`, their letters and digits
//! within the fuzzy tier's edit budget, the fewest edits winning), else to the
//! footnote's number where the footnote now starts (`changed`), else to the
//! footnote itself (`changed`). A marker looked for again (its footnote
//! placed anew or orphaned late) is expected where the markers before it
//! landed in the body, not where the last marker of the text did. A marker
//! still orphaned whose words are lost (withheld: a redaction right before
//! it; or under a box, which the scan left as a wide gap before the number:
//! `Podobn [box] laint. 535`) is its number printed once, as a number of its
//! own (not a page's number), between the numbers the body prints for the
//! markers before and after it (markers are printed in order), at most the
//! marker window apart; printed twice there, nothing decides, and other
//! words before the number are no sign of it. A footnote
//! that is nothing but a redaction follows its
//! redaction (nothing but several, `[Personal Privacy] [Grand Jury]`: their
//! places, each kept, in order, on one page; and its redactions follow it
//! wherever it is placed); when the text around that redaction is other footnotes (printed
//! elsewhere in a paged text), the run of such footnotes takes the labels
//! printed between the footnotes that landed before and after it, when there are
//! as many labels as footnotes at the end or the start of that gap with nothing
//! but label-like noise around them. Redactions are expected where the
//! passages and markers around them landed.
//!
//! A passage of the body (no footnote) found neither in its window nor as
//! it is anywhere (pages of contents before it put it far past its old
//! offset, and the scan misread it) is searched once more through every
//! tier in the whole text: few passages come that far.
//!
//! Passages still orphaned are searched again, every tier, in the stretch
//! bounded by where their neighbours landed: a footnote between the footnotes
//! before and after it, any other passage between the footnote markers before
//! and after it that landed on a number the body prints (the expected place of
//! a passage far from any other passage of its kind can be pages off).
//!
//! A footnote still orphaned after that is looked for by its number: a paged
//! text prints each footnote after its number at the head of a line, in order,
//! so a line starting with `n` between the places of the nearest footnotes
//! before and after it that landed (else between the nearest whose own
//! numbers were read at their places: the others may sit on a neighbour's
//! identical text) is footnote `n`'s (a number alone on the
//! last line of a page is the page's own number; when several lines print `n`,
//! a body's superscript on a line of its own among them, the only one whose
//! text holds the footnote is). Numbers are read through the scan's usual
//! slips: `58 1` alone on its line is 581, `94` alone with the next line
//! starting with `°` is 940, a stray mark before the number is passed over
//! (`. 346 Hearing`), and so is a box's edge read as a run of strokes set off
//! by a wide space (`1111       1027`, read both ways), and a number split before its words reads both ways
//! (`84 1 Information` is 841, or 84 whose text starts with `1`, as in `12 18
//! U.S.C.`: the number looked for decides). A number printed right before a
//! place (`45 See ...`, a superscript against its word: `n.997`) is read
//! through one letter a scan reads for a digit beside digits (`5l` is 51,
//! `20S` 205), and never cut from a letter after its digits (`5l` is not 5). Its text is what follows the
//! number, up to the next line that starts with a later number (at most
//! fifty later: a line of its text may start with a year) or is a
//! number alone, within the page: taken (`changed`, with its differences) when it holds most of the old
//! footnote's words, or of its letters and digits (words a scan split or
//! joined, `Comp laint`, `,r34`); for a label-only footnote,
//! the label printed there with nothing but scan noise around it. A footnote
//! whose number is printed with nothing legible after it stays orphaned and
//! says so (its text is withheld without a label), and its marker, when the
//! body prints no number either, lands on that printed number. A footnote
//! that landed on other words (`changed`) right after another footnote's
//! number is placed by its own number instead when that is found, and its
//! marker follows again; so is one whose place lies below another footnote's
//! numbered line on its page (short repeated footnotes found in a neighbour's
//! text), with a lower share of its words: where it landed is surely not its
//! place. A paged text prints its footnotes in the order of their numbers:
//! a footnote whose place falls in no longest run of places rising with the
//! numbers (equal places allowed: one label for several footnotes) landed
//! where other footnotes are printed, and is tried by its number the same
//! way. A footnote surely misplaced that its own number does not place either
//! is no neighbour for the footnotes after it (the stretch where their
//! numbers are looked for is not bounded by a place surely wrong), and is
//! orphaned when the footnote whose numbered line stands above its place
//! landed there too (its words are that footnote's) or when its place breaks
//! the order of the numbers; otherwise it keeps its place. A footnote whose
//! own number is printed with nothing legible after it (its text withheld
//! there) is orphaned when it was found only where other footnotes are
//! printed (surely misplaced) or, label-only, on a label of another page than
//! its number, unless the scan printed the number right after the text where
//! it landed (noise and its own labels between); its marker then lands on
//! that number, and no run of labels takes it. A label-only
//! footnote placed by the text around its redaction (in a paged text, other
//! footnotes) and not right after its own number takes the label printed
//! after its number when there is one, and its redaction follows it. A
//! paged text prints a page's footnotes below its body: a label-only
//! footnote whose label lies above the first footnote of its page whose own
//! number is read at its place took a black box of the body, and is orphaned
//! with its redaction (its marker looked for again), as soon as it lands
//! there (by the text around its redaction) and again at the end. The
//! nearest landed neighbours out of order with each other (one of them
//! misplaced) are passed over for the next ones out.
//!
//! A footnote continued on the next page (a paged text prints the rest of a
//! long footnote at the foot of the next page, below that page's body) lands
//! on its first piece, up to its page's foot, `changed`, its differences
//! naming the words printed on the next page: no one span holds both pieces
//! without the next page's running head and body. So a footnote found over a
//! page break is cut at the page's foot when the piece before it is the
//! footnote's head, and the text after a footnote's number that runs to its
//! page's foot is taken when it is the footnote's head (85% of its letters
//! the footnote's) and holds at least 15% of the footnote's letters, or at
//! least the fuzzy tier's least letters (a long footnote, a quoted statute,
//! may print only its first line before the page's foot). Likewise a
//! footnote's place ends before the next footnote's numbered line (a line
//! starting with a number at most fifty after its own) inside it, when the
//! piece before that line is the footnote's (85% of its letters, the new
//! text's labels aside) and holds 60% of the footnote's: a search with a
//! redaction's ellipsis may run on through the footnotes after it.
//!
//! A footnote that withholds material may lose more to the new text's box
//! than its old label covered (`DJTJR00445 [box] and Trump Jr.);` for two
//! emails and a label): the text after its number is its place, `changed`,
//! with at least 15% of its letters and digits, when all of that text is
//! the footnote's (85%). Letters are compared as trigrams read through the
//! slips of scans and typists (`o` as `0`, `l` and `i` as `1`:
//! `DJTJRO0445` is `DJTJR00445`). A footnote found a few bytes past the head
//! of the text after its own number, on that line (the fuzzy tier leaving
//! out a misread head, `NOSC000215 l 7-20` found from `7-20`), is widened
//! to that text when all of it is the footnote's and it holds as much of
//! it. The text after a number runs to the next number printed: when the
//! numbers after it are withheld under a box, it runs on through their
//! footnotes, so a footnote's place ends before the first line (after its
//! first) that is more the words of a later footnote that landed nowhere
//! than its own (a later footnote printed after its own number elsewhere
//! is not read into it: the PDF may print other words than the clean text
//! for a footnote, and those are its words). A footnote
//! with words whose number the new text does not print (the scan lost it,
//! or a box withheld it with the footnote's head) is the text between the
//! end of the nearest footnote before it that landed and the next line that
//! starts with a later number, on one page, when all of it is its own and it
//! holds most (half) of its letters. And a footnote kept where it landed on
//! the text of a footnote that its own number placed later (numbers are
//! tried in order) is orphaned like one found there at once.
//!
//! One black box may withhold several footnotes, numbers and all, under one
//! printed label: label-only footnotes whose numbers the new text does not
//! print share the single label between the footnotes with words around them
//! (nothing but scan noise around it), or the label a neighbouring label-only
//! footnote landed on when nothing but noise lies between it and the footnote
//! with words on the other side. A box starts after the number it follows, so
//! the footnote after a label-only footnote landed on one label takes that
//! label too (and the next after it, in a run) when nothing but noise lies
//! between that label and the next footnote that landed, one with words or
//! one whose own number is printed at its place (`35`, a label, `37` and a
//! label: 36 is under 35's box), or when that label stands at its page's
//! foot and the next page prints nothing between its body's last line and
//! that footnote's number (no box there for the footnotes between); never
//! a label on another page than the number the body prints for the
//! footnote (a footnote is printed on its marker's page), never the label
//! after the next footnote's own printed number (that box starts after it:
//! the footnote before it has no box there), and only a label of the
//! footnote's own reason (one box prints one label: footnotes withholding
//! grand jury material are not under a box printed `Investigative
//! Technique`). Between
//! two labels with no number printed
//! nothing is shared: which box is whose cannot be told. A run of label-only
//! footnotes withheld with their numbers (not one whose number is printed
//! with nothing legible after it: the labels of the gap are not its own)
//! takes as many labels, in order,
//! among the notes between the footnotes around it: a label above the first
//! footnote of its page whose own number is read at its place is a box of
//! the page's body, no footnote's, and a label-only footnote on one is no
//! neighbour of a run (it is orphaned as soon as it lands there, see above).
//! Such a run under fewer boxes than footnotes, between footnotes that have
//! words or whose own numbers are printed at their places, the boxes all on
//! one page with nothing but noise around them (up to the page's foot when
//! the next footnote is printed on the next page) and all naming a reason
//! of every footnote of the run, lies under those boxes (`900 Harm to
//! Ongoing Matter`, three more such labels, `905`: footnotes 901 to 904 are
//! under them). Each box holds one footnote of the run at least, in order,
//! so the i-th of k footnotes under b boxes is under one of boxes i - (k -
//! b) to i: the first footnote is under the first box, the last under the
//! last, and which box is whose in between cannot be told, but that each
//! footnote is under one of its boxes can, and their label is each one's
//! text: each lands on the stretch of the boxes that may be its own,
//! `changed`, and its reason says the place is shared when that stretch
//! holds several boxes or its one box is another footnote's too (no guess
//! about its text, and no new state needed). A label-only footnote is one
//! redaction or several (`[Harm to Ongoing Matter] [Grand Jury]`: one box
//! may print one label for both). A label-only footnote placed only by the
//! text around its redaction (other footnotes, in a paged text), not at its
//! own number, is a guess when the run around it lies under fewer boxes
//! than footnotes: the run is taken with it.
//! A redaction whose place would run into lines
//! that start with a footnote's number is not reported `released` (its place
//! ran into other footnotes) but orphaned with that reason.
//!
//! Each anchor gets a state ([`AnchorState`]): `same` (same text at the same
//! code-point offsets), `moved` (the same words elsewhere; typography, line
//! breaks and page furniture aside), `changed` (close text that differs in
//! words: the differences are kept) or `orphaned` (not found, or found in several
//! places that nothing decides: the reason is kept). A redaction is located by
//! the text right before and right after it: when its place in the new text
//! holds a label (a redaction of the new revision, a reason's name printed
//! as loose words, or the short form of a reason the taxonomy knows, `HOM`,
//! in capitals on a line of its own: a narrow box; scan noise around it
//! allowed) or nothing legible (a black
//! box's noise) it is `kept`; when it holds other words it is `released` and
//! the words are reported; a place that runs over a page break and prints no
//! label is `orphaned` (its words would be running heads and footnotes), and
//! so is one whose words the old text prints beside the redaction (85% of
//! their letters within 300 bytes of it: a scan's line order, `recalled` of
//! `recalled hearing [box]`, or a place run over the words between two
//! boxes): those are no withheld words.
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
    /// Why it is orphaned; for a label-only footnote that landed on the
    /// boxes it shares with others withheld with it, why its place is shared.
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
/// Words next to a redaction searched when its whole context is not found.
const NEXT_WORDS: usize = 6;
/// Passages longer than this (bytes of searched text) are also tried by head and tail.
const LONG_PASSAGE: usize = 400;
/// Words of a long passage's head or tail.
const HEAD_WORDS: usize = 24;

/// One side of a re-anchoring: a revision prepared for the matcher.
struct Side {
    rev: Revision,
    prepared: PreparedSource,
    redactions: Vec<Redaction>,
    /// Footnote markers: place and number.
    markers: Vec<(Range<usize>, u32)>,
    chars: CharIndex,
    pages: Pages,
    /// Redaction labels the text prints: its redactions, and the names of
    /// redaction reasons as loose words (a PDF's text prints them where the
    /// black boxes were), sorted.
    printed: Vec<Range<usize>>,
    /// The reason code each of `printed` names (`hom`), when the taxonomy
    /// knows it.
    printed_reasons: Vec<Option<String>>,
}

impl Side {
    fn new(rev: Revision, redactions: Vec<Redaction>) -> Side {
        let text = rev.text.clone();
        let reds = redactions
            .iter()
            .map(|r| (r.span.start..r.span.end, r.label.clone(), r.reason.as_ref().map(|x| x.code.clone())))
            .collect();
        let markers = footnotes::footnotes(&rev.text).markers.iter().map(|m| (m.start..m.end, m.number)).collect();
        let chars = CharIndex::shared(text.clone());
        let pages = Pages::new(&rev.text);
        let printed = Vec::new();
        Side {
            printed_reasons: Vec::new(),
            prepared: PreparedSource::new(rev.id.to_string(), text, reds),
            redactions,
            markers,
            chars,
            pages,
            printed,
            rev,
        }
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
            .filter(|(m, _)| m.start < r.end && m.end > r.start)
            .map(|(m, _)| (m.clone(), ""))
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

/// How to decide between several places of one search: the place to take,
/// or `None` when nothing decides.
type Decide<'a> = &'a dyn Fn(&[Range<usize>]) -> Option<Range<usize>>;

/// No rule: several places stay undecided.
fn undecided(_: &[Range<usize>]) -> Option<Range<usize>> {
    None
}

fn landing(f: &Finding, decide: Decide<'_>) -> Landing {
    match (f.location, &f.place) {
        (QuoteLocation::Ambiguous, _) => {
            let places: Vec<Range<usize>> = f.places.iter().map(|p| p.range.clone()).collect();
            match decide(&places) {
                Some(range) => {
                    let score = f.places.iter().find(|p| p.range == range).map(|p| p.score).unwrap_or(1.0);
                    Landing::Found { range, score }
                }
                None => Landing::Orphaned(format!(
                    "{} places match and neither position nor footnote number decides between them",
                    f.candidate_count
                )),
            }
        }
        (QuoteLocation::Unique, Some((_, r))) => Landing::Found { range: r.clone(), score: f.score.unwrap_or(1.0) },
        _ => Landing::Orphaned("not found".into()),
    }
}

/// Bytes before the expected offset searched first.
const WINDOW_BACK: usize = 3_000;
/// Bytes after the expected offset searched first: a paged text prints a
/// footnote on the page of its marker, a page or two after where a text with
/// end notes would have it.
const WINDOW_AHEAD: usize = 12_000;

/// Finds `query` in the window around `near` first (the position hint: every
/// tier, across page breaks), and only when the window holds it nowhere, its
/// words as they are (typography aside) anywhere in the new text. A fuzzy search
/// of a whole long text for every anchor would cost a scan of the text each.
fn find(
    new: &Side,
    view: &SourceText<'_>,
    query: &str,
    hint: &Hint,
    near: usize,
    decide: Decide<'_>,
) -> Result<Landing> {
    let w = near.saturating_sub(WINDOW_BACK)..near.saturating_add(WINDOW_AHEAD).min(new.text().len());
    let windowed = w.start > 0 || w.end < new.text().len();
    if windowed {
        let f = quotecheck::find_in_window(&new.prepared, w, query, hint)?;
        if f.location != QuoteLocation::None {
            return Ok(landing(&f, decide));
        }
    }
    let whole = if windowed {
        quotecheck::find_normalized_in(&new.prepared, view, query, hint)?
    } else {
        quotecheck::find_in(&new.prepared, view, query, hint)?
    };
    Ok(match landing(&whole, decide) {
        Landing::Orphaned(_) if windowed && whole.location == QuoteLocation::None => Landing::Orphaned(format!(
            "not found within {WINDOW_BACK} bytes before or {WINDOW_AHEAD} after its expected place, nor its words as they are anywhere"
        )),
        l => l,
    })
}

/// Searches `query` in the new side, hinted by `context` and an expected offset.
fn search(
    new: &Side,
    view: &SourceText<'_>,
    query: &str,
    context: Option<String>,
    near: usize,
    decide: Decide<'_>,
) -> Result<Landing> {
    if query.split_whitespace().all(|w| w == "…") || query.trim().is_empty() {
        return Ok(Landing::Orphaned("nothing but redaction labels and footnote markers to search".into()));
    }
    let near = near.min(new.text().len());
    let focus = context.as_deref().and_then(|c| c.find(query).map(|s| s..s + query.len()));
    let hint = Hint { context, focus, near: vec![(0, near)] };
    if query.len() <= crate::text::anchor::MAX_QUOTE {
        let l = find(new, view, query, &hint, near, decide)?;
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
    let Landing::Found { range: hr, score: hs } = find(new, view, &head, &hint, near, decide)? else {
        return Ok(Landing::Orphaned("neither the whole nor its beginning found".into()));
    };
    let end = (hr.start + query.len()).min(new.text().len());
    let hint = Hint { near: vec![(0, end)], ..hint };
    let Landing::Found { range: tr, score: ts } = find(new, view, &tail, &hint, end, &undecided)? else {
        return Ok(Landing::Orphaned("its beginning found, its end not".into()));
    };
    let len = tr.end.saturating_sub(hr.start);
    if tr.end <= hr.start || len > query.len() * 2 + 200 || len * 2 < query.len() {
        return Ok(Landing::Orphaned("its beginning and end found apart".into()));
    }
    Ok(Landing::Found { range: hr.start..tr.end, score: hs.min(ts) })
}

/// The number printed right before `at` (a footnote's number at the head of its
/// text: `45 See ...`, `[^45]: See ...`), if any.
///
/// Only punctuation may follow the digits (`45.`, `[^45]:`): a letter after
/// them makes the token no plain number (`5l` is not 5). A token that is a
/// number but for one letter a scan reads for a digit (`l` or `I` for 1, `O`
/// or `o` for 0, `S` for 5), beside at least one digit, is read through that
/// slip (`5l` is 51, `20S` 205), the fuzzy tier's budget for so short a text.
fn number_before(text: &str, at: usize) -> Option<u32> {
    let before = text.get(..at)?.trim_end();
    let token = before.rsplit(char::is_whitespace).next()?;
    let tail = token.trim_end_matches(|c: char| !c.is_alphanumeric());
    // `5l`, `20S`: the token's last word, digits and one misread letter.
    let word = tail.rsplit(|c: char| !c.is_alphanumeric()).next()?;
    let read = |c: char| match c {
        'l' | 'I' => Some('1'),
        'O' | 'o' => Some('0'),
        'S' => Some('5'),
        _ => None,
    };
    let slips = word.chars().filter(|c| !c.is_ascii_digit()).count();
    if slips == 1 && word.bytes().any(|b| b.is_ascii_digit()) && word.len() <= NUMBER_DIGITS {
        let misread: Option<String> =
            word.chars().map(|c| if c.is_ascii_digit() { Some(c) } else { read(c) }).collect();
        if let Some(n) = misread.and_then(|m| m.parse().ok()) {
            return Some(n);
        }
    }
    // Digits at the token's end (after a word they were printed against:
    // `n.997`), only punctuation after them.
    let digits = tail.trim_start_matches(|c: char| !c.is_ascii_digit());
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

/// Lower-cased alphanumeric words of `s`.
fn word_list(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
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

/// The old anchor a move is about.
#[derive(Clone, Copy)]
enum Target {
    Passage(PassageId),
    Redaction(crate::RedactionId),
    Quotation(crate::QuotationId),
}

/// Where an anchor landed and how, before it becomes a [`Planned`] move.
struct Outcome {
    state: AnchorState,
    range: Option<Range<usize>>,
    score: Option<f64>,
    differences: Vec<Difference>,
    released_text: Option<String>,
    reason: Option<String>,
}

impl From<Located> for Outcome {
    fn from((state, range, score, differences, reason): Located) -> Outcome {
        Outcome { state, range, score, differences, released_text: None, reason }
    }
}

impl Planned {
    /// The move (as reported) and its row (as written) from one outcome.
    fn new(target: Target, old: Place, new: &Side, o: Outcome, follow: Option<(NewPassage, PassageId)>) -> Planned {
        let (kind, id, passage, redaction, quotation) = match target {
            Target::Passage(x) => (AnchorKind::Passage, x.to_string(), Some(x), None, None),
            Target::Redaction(x) => (AnchorKind::Redaction, x.to_string(), None, Some(x), None),
            Target::Quotation(x) => (AnchorKind::Quotation, x.to_string(), None, None, Some(x)),
        };
        let mv = AnchorMove {
            kind,
            id,
            state: o.state,
            old,
            new: o.range.as_ref().map(|x| new.place(x)),
            score: o.score,
            differences: o.differences.clone(),
            released_text: o.released_text.clone(),
            reason: o.reason.clone(),
            passage: None,
        };
        let row = MoveRow {
            kind,
            passage,
            redaction,
            quotation,
            state: o.state,
            span: o.range.map(|x| (x.start, x.end)),
            new_passage: None,
            score: o.score,
            differences: o.differences,
            released_text: o.released_text,
            reason: o.reason,
        };
        Planned { mv, row, follow }
    }
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
        let mut new = Side::new(new_rev, new_reds);
        new.printed = printed_labels(self, &new);
        new.printed_reasons = new.printed.iter().map(|r| printed_reason(self, &new, r)).collect();
        let plan = plan(self, &old, &new, &old_passages, &old_quotations)?;
        let anchors_before = (old_passages.len(), old.redactions.len());

        let (old_id, new_id) = (old.rev.id, new.rev.id);
        let actor = options.actor.clone().or_else(|| self.actor().map(str::to_string));
        let citations = self.write_event(crate::EventKind::Reanchor, actor.as_deref(), |w| {
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
                        // Footnotes sharing one box land on one passage: a
                        // claim citing both is carried there once.
                        citations += usize::from(w.ensure_citation_created(&nc)?.1);
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

    // Passages other than footnote markers (footnotes in their order), then
    // the markers, which follow their footnote; then the redactions, expected
    // where the anchors around them landed; then the footnotes that are nothing
    // but a redaction, which follow it.
    let marker_of = |p: &Passage| old.markers.iter().find(|(m, _)| m.start == p.span.start && m.end == p.span.end);
    let mut located: HashMap<PassageId, Located> = HashMap::new();
    let mut notes: HashMap<u32, Range<usize>> = HashMap::new();
    let mut deltas: HashMap<crate::PassageKind, i64> = HashMap::new();
    let mut prev_note_end = 0;
    let no_redactions = RedactionLandings::new();
    let numbers = numbered_lines(new);
    for p in passages.iter().filter(|p| marker_of(p).is_none() && !label_only(old, p)) {
        let delta = deltas.get(&p.kind).copied().unwrap_or(0);
        let expected = (p.span.start as i64 + delta).max(0) as usize;
        let after = if p.footnote.is_some() { prev_note_end } else { 0 };
        let mut got = locate_passage(old, new, &view, p, expected, after, &no_redactions)?;
        if p.footnote.is_some() && new.pages.is_paged() {
            got = footnote_bounds(old, new, p, &numbers, got);
        }
        if let Some(nr) = &got.1 {
            deltas.insert(p.kind, nr.start as i64 - p.span.start as i64);
            if let Some(n) = p.footnote {
                notes.insert(n, nr.clone());
                prev_note_end = nr.end;
            }
        }
        located.insert(p.id, got);
    }
    let locate_markers = |located: &mut HashMap<PassageId, Located>,
                          deltas: &mut HashMap<crate::PassageKind, i64>,
                          notes: &HashMap<u32, Range<usize>>,
                          only_orphans: bool,
                          redo: &std::collections::HashSet<u32>| {
        for p in passages {
            let Some((m, n)) = marker_of(p) else { continue };
            if only_orphans && !redo.contains(n) && located.get(&p.id).is_some_and(|x| x.0 != AnchorState::Orphaned) {
                // Markers looked for again are expected where the markers
                // before them landed in the body, not where the last marker
                // of the text did.
                if let Some((AnchorState::Moved, Some(nr), ..)) = located.get(&p.id) {
                    deltas.insert(p.kind, nr.start as i64 - p.span.start as i64);
                }
                continue;
            }
            let delta = deltas.get(&p.kind).copied().unwrap_or(0);
            let expected = (p.span.start as i64 + delta).max(0) as usize;
            let got = locate_marker(old, new, m, *n, notes.get(n), expected);
            if let Some(nr) = &got.1 {
                deltas.insert(p.kind, nr.start as i64 - p.span.start as i64);
            }
            located.insert(p.id, got);
        }
    };
    locate_markers(&mut located, &mut deltas, &notes, false, &Default::default());

    // Where the old text's anchors landed: (old start, new start), by old start.
    // (A marker that only found its footnote says nothing of the body.)
    let mut map: Vec<(usize, usize)> = passages
        .iter()
        .filter(|p| marker_of(p).is_none() || located.get(&p.id).is_some_and(|x| x.0 == AnchorState::Moved))
        .filter_map(|p| located.get(&p.id).and_then(|x| x.1.as_ref()).map(|nr| (p.span.start, nr.start)))
        .collect();
    map.sort_unstable();
    let mut red_landing: RedactionLandings = HashMap::new();
    let mut red_moves: Vec<RedactionMove> = Vec::new();
    let mut delta: i64 = 0;
    for (i, r) in old.redactions.iter().enumerate() {
        let prev_end = i.checked_sub(1).and_then(|j| old.redactions.get(j)).map(|x| x.span.end).unwrap_or(0);
        let next_start = old.redactions.get(i + 1).map(|x| x.span.start).unwrap_or(old.text().len());
        let k = map.partition_point(|&(o, _)| o <= r.span.start);
        let expected = match k.checked_sub(1).map(|j| map[j]) {
            Some((o, n)) => n + (r.span.start - o),
            None => (r.span.start as i64 + delta).max(0) as usize,
        };
        let (state, range, words, reason) = locate_redaction(l, old, new, &view, r, prev_end, next_start, expected)?;
        if let Some(nr) = &range {
            delta = nr.start as i64 - r.span.start as i64;
        }
        red_landing.insert(r.id, (state, range.clone(), words.clone()));
        let o = Outcome { state, range, score: None, differences: Vec::new(), released_text: words, reason };
        red_moves.push((r.id, old.place(&(r.span.start..r.span.end)), o));
    }
    for p in passages.iter().filter(|p| label_only(old, p)) {
        let got = locate_passage(old, new, &view, p, 0, 0, &red_landing)?;
        if let (Some(n), Some(nr)) = (p.footnote, &got.1) {
            notes.insert(n, nr.clone());
        }
        located.insert(p.id, got);
    }
    // (Not on a box of a page's body: see below; no neighbour there either.)
    drop_body_labels(old, new, passages, &numbers, &mut notes, &mut located, &mut red_moves);

    // Label-only footnotes whose redaction was not found by the text around it
    // (its neighbours are other footnotes, elsewhere in a paged text): the
    // labels between the footnotes that landed before and after.
    place_label_runs(old, new, passages, &mut located, &mut notes, &mut red_moves, &Default::default(), &numbers);
    // Passages still orphaned: searched again (every tier) between the places
    // where their neighbours landed: footnotes between the footnotes before and
    // after them, other passages between the markers before and after them
    // that landed on a number printed in the body.
    let mut body: Vec<(usize, usize)> = passages
        .iter()
        .filter(|p| marker_of(p).is_some() && located.get(&p.id).is_some_and(|x| x.0 == AnchorState::Moved))
        .filter_map(|p| located.get(&p.id).and_then(|x| x.1.as_ref()).map(|nr| (p.span.start, nr.start)))
        .collect();
    body.sort_unstable();
    for p in passages {
        if marker_of(p).is_some() || label_only(old, p) || located.get(&p.id).is_none_or(|x| x.1.is_some()) {
            continue;
        }
        let bounds = match p.footnote {
            Some(n) => neighbours(&notes, n, new.text().len()),
            None => {
                let k = body.partition_point(|&(o, _)| o < p.span.start);
                let j = body.partition_point(|&(o, _)| o < p.span.end);
                let lo = k.checked_sub(1).map_or(0, |k| body[k].1);
                let hi = body.get(j).map_or(new.text().len(), |x| x.1);
                Some((lo, hi))
            }
        };
        let Some((lo, hi)) = bounds else { continue };
        if lo > hi || hi - lo > BOUNDED_WINDOW {
            continue;
        }
        let old_r = p.span.start..p.span.end;
        let query = old.query(old_r.clone());
        if !query.chars().any(char::is_alphanumeric) || query.len() > crate::text::anchor::MAX_QUOTE {
            continue;
        }
        let w = snap(new.text(), lo.saturating_sub(BOUNDED_SLACK))..snap(new.text(), hi + BOUNDED_SLACK);
        let hint = Hint { near: vec![(0, lo)], ..Hint::default() };
        let f = quotecheck::find_in_window(&new.prepared, w, &query, &hint)?;
        if let Landing::Found { range, score } = landing(&f, &undecided) {
            let (s, sc, d) = judge(old, new, &old_r, &range, score);
            let mut got = (s, Some(range), Some(sc), d, None);
            if p.footnote.is_some() && new.pages.is_paged() {
                got = footnote_bounds(old, new, p, &numbers, got);
            }
            if let (Some(n), Some(range)) = (p.footnote, &got.1) {
                notes.insert(n, range.clone());
            }
            located.insert(p.id, got);
        }
    }
    // Footnotes still orphaned: by their number printed at the head of a line
    // between the footnotes that landed before and after them.
    let mut printed_numbers: HashMap<u32, Range<usize>> = HashMap::new();
    let mut ordered: Vec<&Passage> = passages.iter().filter(|p| p.footnote.is_some()).collect();
    ordered.sort_by_key(|p| p.footnote);
    let footnote_numbers: std::collections::HashSet<u32> = ordered.iter().filter_map(|p| p.footnote).collect();
    // Footnotes placed anew by their number (or orphaned): their markers follow again.
    let mut replaced = std::collections::HashSet::new();
    // Footnotes whose number is printed with nothing legible after it, taken
    // off a place found elsewhere: no label of a gap is theirs.
    let mut withheld_at_number = std::collections::HashSet::new();
    // Footnotes whose places break the order of their numbers.
    // (Trusted: the footnotes whose own number is read at their place.)
    let mut trusted: std::collections::HashSet<u32> = notes
        .iter()
        .filter(|(n, r)| {
            line_above(new, &numbers, r.start) == Some(**n) || number_before(new.text(), r.start) == Some(**n)
        })
        .map(|(n, _)| *n)
        .collect();
    let disorder = out_of_order(&notes, &trusted);
    for p in ordered {
        let Some(n) = p.footnote else { continue };
        // A footnote that landed on other words after another footnote's
        // number is tried by its own.
        // So is one whose place lies below another footnote's numbered line
        // on its page (short repeated footnotes, `Cohen 9/12/18 302, at 9.`,
        // found in a neighbour's text), and one whose place is out of the
        // order of the footnotes' numbers.
        let other = |m: u32| m != n && footnote_numbers.contains(&m);
        let landed = located.get(&p.id).and_then(|x| Some((x.0, x.1.clone()?)));
        // (A label-only footnote whose number a black box withheld lies below
        // its neighbour's numbered line as a matter of course: it is misplaced
        // only on the place of the footnote whose line that is.)
        let misplaced = landed.as_ref().map(|(state, r)| {
            let below_other = if label_only(old, p) {
                holder(new, &numbers, &notes, &footnote_numbers, n, r).is_some()
            } else {
                (*state == AnchorState::Changed && number_before(new.text(), r.start).is_some_and(other))
                    || line_above(new, &numbers, r.start).is_some_and(other)
            };
            below_other || disorder.contains(&n)
        });
        // A label-only footnote placed by the text around its redaction (in a
        // paged text, other footnotes), not after its own number: the label
        // printed after its number, when there is one, is its place.
        let relabel =
            label_only(old, p) && landed.as_ref().is_some_and(|(_, r)| number_before(new.text(), r.start) != Some(n));
        if misplaced == Some(false) && !relabel {
            continue;
        }
        let surely = misplaced == Some(true);
        // A footnote found in another footnote's text needs fewer of its words
        // after its own number: where it landed is surely not its place.
        let least = if surely { MISPLACED_WORDS } else { NUMBER_WORDS };
        // Between its neighbours; when its number is not printed there, between
        // its nearest neighbours whose own numbers were read at their places
        // (the others may have landed on a neighbour's identical text).
        let mut lines = footnote_number(new, &numbers, &notes, n);
        if lines.is_empty() {
            let sure: HashMap<u32, Range<usize>> =
                notes.iter().filter(|(k, _)| trusted.contains(k)).map(|(k, r)| (*k, r.clone())).collect();
            lines = footnote_number(new, &numbers, &sure, n);
        }
        let placed = match lines[..] {
            [] => Err("its number is not printed at the head of a line between its neighbours"),
            [line] => Ok((line, by_number(old, new, p, line, label_only(old, p), least))),
            // Several lines print its number (a body's superscript on a line
            // of its own, a page's number): the only one whose text holds it.
            ref lines => {
                let mut found = lines
                    .iter()
                    .map(|&line| (line, by_number(old, new, p, line, label_only(old, p), least)))
                    .filter(|(_, got)| got.1.is_some());
                match (found.next(), found.next()) {
                    (Some(one), None) => Ok(one),
                    _ => Err("no one line printing its number is followed by its text"),
                }
            }
        };
        if let Ok((line, _)) = &placed {
            printed_numbers.insert(n, line.digits.clone());
        }
        let failed = match &placed {
            Err(why) => Some(*why),
            Ok((_, got)) if landed.is_some() && got.1.is_none() => Some("the text after its number does not hold it"),
            Ok(_) => None,
        };
        // Its number printed with nothing legible after it: its text is
        // withheld there (the page of that number), unless the scan printed
        // the number after the text (where it landed, right before it).
        let bare = match (&placed, &landed) {
            (Ok((line, got)), Some((_, r))) if got.1.is_none() => {
                let t = new.text();
                let (region, ..) = number_text(t, line, old.query(p.span.start..p.span.end).len());
                // (Between them, noise and the labels of the footnote's own
                // redactions, `... & 180 Harm to Ongoing Matter` then `14`.)
                let gap = r.end..line.digits.start.max(r.end);
                let mut at = gap.start;
                let mut quiet = r.end <= line.digits.start;
                for l in labels_in(new, &gap) {
                    quiet &= is_noise(&t[at..l.start]);
                    at = l.end;
                }
                let before_it = quiet && is_noise(&t[at..gap.end]);
                (is_noise(&t[region]) && !before_it).then(|| new.pages.page_of(line.digits.start))
            }
            _ => None,
        };
        let got = match (placed, failed) {
            (Ok((_, got)), None) => got,
            (_, why) => {
                // Where a footnote withheld at its number landed is not its
                // place when that place is doubtful: found in other
                // footnotes' text or out of their order, or, for a
                // label-only footnote, a label on another page.
                if let (Some(page), Some((_, r))) = (bare, &landed) {
                    let elsewhere = label_only(old, p) && new.pages.is_paged() && new.pages.page_of(r.start) != page;
                    if surely || elsewhere {
                        notes.remove(&n);
                        let reason = if elsewhere {
                            "the new text prints its footnote number with nothing legible after it (its label \
                             withheld too), on another page than the label its redaction was found at"
                        } else {
                            "the new text prints its footnote number with nothing legible after it (its text \
                             withheld there), and it was found only where other footnotes are printed"
                        };
                        if label_only(old, p) {
                            drop_redaction(old, p, r, reason, &mut red_moves);
                        }
                        located.insert(p.id, (AnchorState::Orphaned, None, None, Vec::new(), Some(reason.into())));
                        replaced.insert(n);
                        withheld_at_number.insert(n);
                        continue;
                    }
                }
                // Where a footnote surely misplaced stays when its number does
                // not place it is no neighbour for the footnotes after it; when
                // that place breaks the order of the numbers, it is orphaned.
                if let (true, Some((_, r))) = (surely, &landed) {
                    notes.remove(&n);
                    let why = why.unwrap_or_default();
                    let reason = match holder(new, &numbers, &notes, &footnote_numbers, n, r) {
                        Some(m) => Some(format!("it was found only in footnote {m}'s text, after {m}'s number, and {why}")),
                        None => disorder.contains(&n).then(|| format!(
                            "it was found only out of the order of the footnotes' numbers (where other footnotes are printed), and {why}"
                        )),
                    };
                    if let Some(reason) = reason {
                        located.insert(p.id, (AnchorState::Orphaned, None, None, Vec::new(), Some(reason)));
                        replaced.insert(n);
                    }
                }
                continue;
            }
        };
        if got.1.is_some() {
            trusted.insert(n);
        }
        if let (Some((_, was)), Some(nr)) = (&landed, &got.1) {
            replaced.insert(n);
            if label_only(old, p) {
                move_redaction(old, p, was, nr, &mut red_moves);
            }
        }
        if let Some(nr) = &got.1 {
            notes.insert(n, nr.clone());
            if label_only(old, p) {
                keep_redaction(old, p, nr, &mut red_moves);
            }
        }
        located.insert(p.id, got);
    }
    // A footnote kept where it landed that lies on the text of a footnote
    // placed by its own number after it (numbers are tried in order) is
    // orphaned the same way: that text is the other footnote's.
    for p in passages {
        let Some(n) = p.footnote else { continue };
        let Some(r) = located.get(&p.id).and_then(|x| x.1.clone()) else { continue };
        if label_only(old, p) || trusted.contains(&n) {
            continue;
        }
        if let Some(m) = holder(new, &numbers, &notes, &footnote_numbers, n, &r).filter(|m| trusted.contains(m)) {
            notes.remove(&n);
            let why = format!(
                "it was found only in footnote {m}'s text, after {m}'s number, and its number is not printed at the head of a line between its neighbours"
            );
            located.insert(p.id, (AnchorState::Orphaned, None, None, Vec::new(), Some(why)));
            replaced.insert(n);
        }
    }
    // A footnote's place that runs on through the words of footnotes after
    // it that landed nowhere (their numbers withheld) ends before them.
    if new.pages.is_paged() {
        for (p, got) in own_texts(old, new, passages, &located, &notes) {
            if let (Some(n), Some(nr)) = (p.footnote, &got.1) {
                notes.insert(n, nr.clone());
                replaced.insert(n);
            }
            located.insert(p.id, got);
        }
    }
    // Footnotes with words still orphaned whose number the new text does not
    // print: the text between the footnote that landed before them and the
    // next number printed.
    for (p, got) in unnumbered_texts(old, new, passages, &located, &notes, &printed_numbers, &numbers) {
        if let (Some(n), Some(nr)) = (p.footnote, &got.1) {
            notes.insert(n, nr.clone());
            replaced.insert(n);
        }
        located.insert(p.id, got);
    }
    // Runs of label-only footnotes again, between the footnotes that landed
    // since (not those withheld at their printed number).
    // (Nor those whose number is printed, with nothing legible after it: a
    // run is of footnotes withheld with their numbers.)
    let printed_bare: std::collections::HashSet<u32> =
        withheld_at_number.iter().chain(printed_numbers.keys().filter(|n| !notes.contains_key(n))).copied().collect();
    place_label_runs(old, new, passages, &mut located, &mut notes, &mut red_moves, &printed_bare, &numbers);
    // Label-only footnotes whose number is not printed: one black box may
    // withhold several footnotes under one label.
    for (p, place) in shared_labels(old, new, passages, &located, &notes, &printed_numbers, &numbers) {
        let old_r = p.span.start..p.span.end;
        let (st, sc, d) = judge(old, new, &old_r, &place, 1.0);
        if let Some(n) = p.footnote {
            notes.insert(n, place.clone());
        }
        keep_redaction(old, p, &place, &mut red_moves);
        located.insert(p.id, (st, Some(place), Some(sc), d, None));
    }
    // Label-only footnotes on a label of a page's body: a paged text prints
    // a page's footnotes below its body, so a label above the first footnote
    // of the page whose own number is read at its place is the body's black
    // box, not the footnote's.
    replaced.extend(drop_body_labels(old, new, passages, &numbers, &mut notes, &mut located, &mut red_moves));
    // Markers whose footnote landed only now.
    locate_markers(&mut located, &mut deltas, &notes, true, &replaced);
    // Markers whose footnote is still not found: the footnote's number where
    // the new text prints it.
    for p in passages {
        let Some((m, n)) = marker_of(p) else { continue };
        if located.get(&p.id).is_some_and(|x| x.0 != AnchorState::Orphaned) {
            continue;
        }
        let Some(digits) = printed_numbers.get(n) else { continue };
        let d = vec![Difference {
            quoted: old.text()[m.clone()].to_string(),
            source: new.text()[digits.clone()].to_string(),
        }];
        located.insert(p.id, (AnchorState::Changed, Some(digits.clone()), Some(1.0), d, None));
    }
    // Markers still orphaned whose words before them a scan lost or garbled
    // beyond the fuzzy budget (`Podobn [box] laint. 535`): markers are
    // printed in order, so the number printed once, as a number of its own,
    // between the numbers the body prints for the markers before and after
    // it, is its marker.
    let on_body: std::collections::BTreeMap<u32, Range<usize>> = passages
        .iter()
        .filter_map(|p| {
            let (_, n) = marker_of(p)?;
            let x = located.get(&p.id)?;
            (x.0 == AnchorState::Moved).then(|| Some((*n, x.1.clone()?))).flatten()
        })
        .collect();
    for p in passages {
        let Some((m, n)) = marker_of(p) else { continue };
        if located.get(&p.id).is_some_and(|x| x.0 != AnchorState::Orphaned) {
            continue;
        }
        let (Some((_, lo)), Some((_, hi))) = (
            on_body.range(..*n).next_back(),
            on_body.range((std::ops::Bound::Excluded(*n), std::ops::Bound::Unbounded)).next(),
        ) else {
            continue;
        };
        if lo.end >= hi.start || hi.start - lo.end > MARKER_WINDOW {
            continue;
        }
        let digits = n.to_string();
        let t = new.text();
        // Its words are lost: withheld (a redaction right before the
        // marker) or under a box the scan left as a wide gap before the
        // number (other words before the number are no sign of it).
        let withheld = old.redactions.iter().any(|r| {
            r.span.end <= m.start
                && old.text()[r.span.end..m.start].chars().all(|c| c.is_whitespace() || c.is_ascii_punctuation())
        });
        let boxed = |r: &Range<usize>| {
            let mut from = r.start.saturating_sub(LOST_WORDS).max(lo.end);
            while !t.is_char_boundary(from) {
                from += 1;
            }
            t[from..r.start].contains(BOX_GAP)
        };
        let mut hits = candidates(t, &(lo.end..hi.start), &digits).filter(|r| !is_page_number(t, r));
        if let (Some(r), None) = (hits.next(), hits.next())
            && (withheld || boxed(&r))
        {
            let d = vec![Difference { quoted: old.text()[m.clone()].to_string(), source: t[r.clone()].to_string() }];
            located.insert(p.id, (AnchorState::Changed, Some(r), Some(1.0), d, None));
        }
    }

    for p in passages {
        let Some(got) = located.remove(&p.id) else { continue };
        let follow = got.1.as_ref().map(|nr| {
            (NewPassage { span: Span::new(new.rev.id, nr.start, nr.end), kind: p.kind, footnote: p.footnote }, p.id)
        });
        out.push(Planned::new(Target::Passage(p.id), old.place(&(p.span.start..p.span.end)), new, got.into(), follow));
    }
    out.extend(red_moves.into_iter().map(|(id, place, o)| Planned::new(Target::Redaction(id), place, new, o, None)));

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
        let got: Located = match find(new, &view, words, &hint(near_new), near_new, &undecided)? {
            Landing::Found { range, score } => {
                let (s, sc, d) = judge(old, new, &old_r, &range, score);
                (s, Some(range), Some(sc), d, None)
            }
            Landing::Orphaned(why) => (AnchorState::Orphaned, None, None, Vec::new(), Some(why)),
        };
        out.push(Planned::new(Target::Quotation(q.id), old.place(&old_r), new, got.into(), None));
    }
    Ok(out)
}

/// Widest stretch between landed neighbours searched again for an orphan.
const BOUNDED_WINDOW: usize = 40_000;
/// Bytes beyond the neighbours' places searched too.
const BOUNDED_SLACK: usize = 300;

/// Landed footnotes tried on each side of a footnote for a pair in order.
const NEIGHBOURS: usize = 4;

/// The end of the nearest footnote before `n` that landed and the start of
/// the nearest after it (the text's start or end where there is none), when
/// at least one landed. A neighbour out of order with the other (a footnote
/// landed in the wrong place) is passed over for the next one out.
fn neighbours(notes: &HashMap<u32, Range<usize>>, n: u32, len: usize) -> Option<(usize, usize)> {
    // (The landed numbers in order, not every number between: footnote
    // numbers may be anything up to `u32::MAX`.)
    let mut keys: Vec<u32> = notes.keys().copied().collect();
    keys.sort_unstable();
    let at = keys.partition_point(|&k| k < n);
    let below: Vec<usize> = keys[..at].iter().rev().map(|k| notes[k].end).take(NEIGHBOURS).collect();
    let above: Vec<usize> = keys[at..].iter().filter(|&&k| k > n).map(|k| notes[k].start).take(NEIGHBOURS).collect();
    if below.is_empty() && above.is_empty() {
        return None;
    }
    let below: Vec<usize> = if below.is_empty() { vec![0] } else { below };
    let above: Vec<usize> = if above.is_empty() { vec![len] } else { above };
    // The nearest pair in order, fewest neighbours passed over first.
    (0..below.len() + above.len())
        .flat_map(|d| (0..=d).map(move |i| (i, d - i)))
        .filter_map(|(i, j)| Some((*below.get(i)?, *above.get(j)?)))
        .find(|(lo, hi)| lo <= hi)
}

/// A line of the new text that starts with a number (a footnote's number in a
/// paged text: `45 See ...`, or `45` on a line of its own).
struct NumberedLine {
    number: u32,
    /// The digits.
    digits: Range<usize>,
    /// Where the line's text after the number starts (the line's end when
    /// nothing follows).
    text: usize,
}

/// Most digits a footnote number has.
const NUMBER_DIGITS: usize = 5;

/// A footnote number printed at the head of a line.
struct PrintedNumber {
    number: u32,
    /// The digits as printed (a split number's two runs and the space
    /// between).
    digits: Range<usize>,
    /// Where the footnote's text after it starts.
    text: usize,
    /// Nothing else on its line.
    alone: bool,
}

/// The footnote numbers the line `body` (starting at byte `start` of `t`)
/// may print at its head, read through the scan's usual slips: `45 See ...`,
/// `45` alone, `58 1` alone (a number split by a space: 581), `94` alone with
/// the next line starting with `°` (a final 0 read as a degree sign: 940, its
/// text after the sign), a stray mark before the number (`. 346 Hearing`).
/// A number split by a space before words (`84 1 Information`) reads both
/// ways, 841 and 84 (whose text starts with `1`, as in `12 18 U.S.C.`): the
/// number looked for decides. Readings in the order of their texts.
///
/// A black box's edge read as a run of strokes before the number, set off by
/// a wide space (`1111       1027`, `____    1186`), is passed over too, its
/// reading after the line's own (the number looked for decides).
fn printed_number(t: &str, start: usize, body: &str) -> Vec<PrintedNumber> {
    let mut out = line_head_number(t, start, body);
    let lead = body.len() - body.trim_start().len();
    let edge = body[lead..].find(char::is_whitespace).map_or(body.len(), |i| lead + i);
    let gap = body[edge..].len() - body[edge..].trim_start().len();
    if body[lead..edge].chars().count() >= BOX_EDGE
        && body[lead..edge].chars().all(|c| "1lI|!_".contains(c))
        && gap >= 2
    {
        out.extend(line_head_number(t, start + edge + gap, &body[edge + gap..]));
    }
    out
}

/// Fewest strokes a box's edge is read as before a footnote's number.
const BOX_EDGE: usize = 3;

/// [`printed_number`] without a box's edge before the number.
fn line_head_number(t: &str, start: usize, body: &str) -> Vec<PrintedNumber> {
    let mut lead = body.len() - body.trim_start().len();
    // A stray mark (one or two signs, then a space) before the number.
    let marks: usize =
        body[lead..].chars().take_while(|c| !c.is_alphanumeric() && !c.is_whitespace()).map(char::len_utf8).sum();
    if marks > 0 && body[lead..lead + marks].chars().count() <= 2 {
        let after = &body[lead + marks..];
        let ws = after.len() - after.trim_start().len();
        if ws > 0 && after[ws..].starts_with(|c: char| c.is_ascii_digit()) {
            lead += marks + ws;
        }
    }
    let head = &body[lead..];
    let digits = head.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > NUMBER_DIGITS {
        return Vec::new();
    }
    let rest = &head[digits..];
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return Vec::new();
    }
    let Ok(n) = head[..digits].parse::<u32>() else { return Vec::new() };
    let d = start + lead..start + lead + digits;
    let line_end = start + body.len();
    if rest.trim().is_empty() {
        let next = t.get(line_end + 1..).unwrap_or("");
        let next = next.split('\n').next().unwrap_or("");
        let ws = next.len() - next.trim_start().len();
        if next[ws..].starts_with('°') && digits < NUMBER_DIGITS {
            let text = line_end + 1 + ws + '°'.len_utf8();
            return vec![PrintedNumber { number: n * 10, digits: d, text, alone: false }];
        }
        return vec![PrintedNumber { number: n, digits: d, text: line_end, alone: true }];
    }
    let tail = rest.trim();
    let gap = rest.len() - rest.trim_start().len();
    if gap == 1 && tail.len() <= 2 && digits + tail.len() <= NUMBER_DIGITS && tail.bytes().all(|b| b.is_ascii_digit()) {
        let Ok(number) = format!("{}{tail}", &head[..digits]).parse() else { return Vec::new() };
        let digits = d.start..d.end + 1 + tail.len();
        return vec![PrintedNumber { number, digits, text: line_end, alone: true }];
    }
    let mut out = vec![PrintedNumber { number: n, digits: d.clone(), text: d.end + gap, alone: false }];
    // `84 1 Information`: the number split by one space, then words.
    let text = &rest[gap..];
    let more = text.bytes().take_while(u8::is_ascii_digit).count();
    let after = &text[more..];
    let ws = after.len() - after.trim_start().len();
    if gap == 1
        && (1..=2).contains(&more)
        && digits + more <= NUMBER_DIGITS
        && ws > 0
        && after[ws..].starts_with(|c: char| !c.is_ascii_digit())
        && let Ok(number) = format!("{}{}", &head[..digits], &text[..more]).parse()
    {
        let split = d.start..d.end + 1 + more;
        out.push(PrintedNumber { number, digits: split.clone(), text: split.end + ws, alone: false });
    }
    out
}

/// The lines of `new` that start with a number followed by a space or the
/// line's end (scan slips read through, see [`printed_number`]), except a
/// number alone on the last line of a page (the page's own number), in text
/// order.
fn numbered_lines(new: &Side) -> Vec<NumberedLine> {
    let t = new.text();
    let mut out = Vec::new();
    let mut at = 0;
    for line in t.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        for p in printed_number(t, start, body) {
            if p.alone && new.pages.is_paged() {
                // The page's own number: nothing but at most one line after it on its page.
                let page_end = t[at..].find('\x0c').map_or(t.len(), |i| at + i);
                if t[at..page_end].lines().filter(|l| !l.trim().is_empty()).count() <= 1 {
                    continue;
                }
            }
            out.push(NumberedLine { number: p.number, digits: p.digits, text: p.text });
        }
    }
    out
}

/// The number of the nearest numbered line at or above `at` on its page, in a
/// paged text.
fn line_above(new: &Side, lines: &[NumberedLine], at: usize) -> Option<u32> {
    if !new.pages.is_paged() {
        return None;
    }
    let k = lines.partition_point(|l| l.text <= at).checked_sub(1)?;
    let line = &lines[k];
    (!new.text()[line.digits.start..at].contains('\x0c')).then_some(line.number)
}

/// Widest stretch between two landed footnotes searched for the number of a
/// footnote between them.
const NUMBER_GAP: usize = 60_000;

/// The lines printing footnote `n`'s number: the lines starting with `n`
/// between the places of the nearest footnotes before and after it that
/// landed (`notes`), when those are in order and close.
fn footnote_number<'a>(
    new: &Side,
    lines: &'a [NumberedLine],
    notes: &HashMap<u32, Range<usize>>,
    n: u32,
) -> Vec<&'a NumberedLine> {
    let (lo, hi) = neighbours(notes, n, new.text().len()).unwrap_or((0, new.text().len()));
    if lo > hi || hi - lo > NUMBER_GAP {
        return Vec::new();
    }
    let a = lines.partition_point(|l| l.digits.start < lo);
    let b = lines.partition_point(|l| l.digits.start < hi);
    lines[a..b].iter().filter(|l| l.number == n).collect()
}

/// Most numbers a footnote's text ends before: the next footnote's number
/// printed at the head of a line is at most this many after its own (a run
/// of footnotes withheld with their numbers lies between). A line starting
/// with a larger number (`2016 meeting`, `20 16` read as one) is the
/// footnote's text.
const LATER_NUMBERS: u32 = 50;
/// Longest text after a footnote's number taken as the footnote, beyond the
/// old footnote's own length.
const NUMBER_SLACK: usize = 200;
/// Share of the old footnote's words the text after its number must hold.
const NUMBER_WORDS: f64 = 0.6;
/// The same for a footnote that landed in another footnote's text.
const MISPLACED_WORDS: f64 = 0.4;

/// A footnote found over a page break is the piece on its first page, up to
/// the page's foot (its own number and the line after it), when that piece is
/// the footnote's head: a paged text prints the rest of a long footnote at the
/// foot of the next page, below that page's body, so a span over the break
/// would hold the next page's running head and body. Re-judged on the piece.
fn cut_at_page_foot(old: &Side, new: &Side, p: &Passage, got: Located) -> Located {
    let t = new.text();
    let Some(r) = got.1.clone() else { return got };
    let Some(brk) = t[r.clone()].find('\x0c') else { return got };
    let brk = r.start + brk;
    let end = r.start + page_foot(&t[r.start..brk]);
    let piece = t[r.start..end].trim_end();
    if piece.is_empty() {
        return got;
    }
    let old_r = p.span.start..p.span.end;
    if letter_share(piece, &old.clean(old_r.clone())) < CONTINUED_HEAD {
        return got;
    }
    let piece = r.start..r.start + piece.len();
    let share = letter_share(&old.clean(old_r.clone()), &t[piece.clone()]);
    let (s, sc, d) = judge(old, new, &old_r, &piece, got.2.unwrap_or(1.0).min(share));
    (s, Some(piece), Some(sc), d, None)
}

/// A footnote whose place runs over a later footnote's numbered line (a line
/// starting with a number at most [`LATER_NUMBERS`] after its own: a search
/// with a redaction's ellipsis may run on through the next footnotes) ends
/// before that line, when the piece before it is the footnote's (85% of its
/// letters, the new text's labels aside) and holds most of the footnote's
/// (60%; a line of its own text that starts with a number leaves less).
/// Re-judged on the piece.
fn cut_at_next_number(old: &Side, new: &Side, p: &Passage, got: Located) -> Located {
    let (Some(n), Some(r)) = (p.footnote, got.1.clone()) else { return got };
    let t = new.text();
    let mut at = r.start;
    let mut cut = None;
    for l in t[r.clone()].split_inclusive('\n') {
        if at > r.start
            && printed_number(t, at, l.trim_end_matches(['\n', '\r']))
                .iter()
                .any(|x| x.number > n && x.number - n <= LATER_NUMBERS)
        {
            cut = Some(at);
            break;
        }
        at += l.len();
    }
    let Some(cut) = cut else { return got };
    let piece = r.start..r.start + t[r.start..cut].trim_end().len();
    let old_r = p.span.start..p.span.end;
    // (The labels the new text prints, as words or redactions, aside.)
    let mut mine = String::new();
    let mut from = piece.start;
    for l in labels_in(new, &piece) {
        mine.push_str(&t[from..l.start]);
        from = l.end;
    }
    mine.push_str(&t[from..piece.end]);
    let theirs = old.clean(old_r.clone());
    if piece.is_empty() || letter_share(&mine, &theirs) < CONTINUED_HEAD || letter_share(&theirs, &mine) < NUMBER_WORDS
    {
        return got;
    }
    let (s, sc, d) = judge(old, new, &old_r, &piece, got.2.unwrap_or(1.0));
    (s, Some(piece), Some(sc), d, None)
}

/// Where the page's foot starts in `page` (the text of a page up to its
/// break): the start of the line holding the page's own number, alone, among
/// its last two lines that are not blank; the page's end when there is none.
fn page_foot(page: &str) -> usize {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for l in page.split_inclusive('\n') {
        lines.push((at, l));
        at += l.len();
    }
    lines
        .iter()
        .rev()
        .filter(|(_, l)| !l.trim().is_empty())
        .take(2)
        .find(|(_, l)| l.trim().bytes().all(|b| b.is_ascii_digit()))
        .map_or(page.len(), |(start, _)| *start)
}

/// Least share of its words a footnote continued on the next page shows on
/// its first page, unless that piece holds at least the fuzzy tier's least
/// letters ([`crate::text::anchor::MIN_FUZZY_LEN`]): a long footnote (a
/// quoted statute) may print only its first line before the page's foot.
const CONTINUED_SHARE: f64 = 0.15;
/// Least share of the text on its first page that must be the footnote's.
const CONTINUED_HEAD: f64 = 0.85;

/// The share of `a`'s letter-and-digit trigrams (lower-cased, spaces and
/// punctuation dropped, each counted as often as it occurs) that `b` holds.
/// The letters a scan reads for digits, and the digits a typist reads for
/// letters in an identifier (`DJTJRO0445` for `DJTJR00445`), count as the
/// same: `o` as `0`, `l` and `i` as `1`.
fn letter_share(a: &str, b: &str) -> f64 {
    let fold = |c: char| match c {
        'o' => '0',
        'l' | 'i' => '1',
        c => c,
    };
    let grams = |s: &str| -> Vec<[char; 3]> {
        let c: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).map(fold).collect();
        c.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() {
        return 0.0;
    }
    let mut bag: HashMap<[char; 3], usize> = HashMap::new();
    for g in gb {
        *bag.entry(g).or_default() += 1;
    }
    let hit = ga
        .iter()
        .filter(|g| {
            bag.get_mut(*g).is_some_and(|k| {
                let had = *k > 0;
                *k = k.saturating_sub(1);
                had
            })
        })
        .count();
    hit as f64 / ga.len() as f64
}

/// True when `end` (where a footnote's text after its number stopped) is its
/// page's foot: the page's own number and at most one line after it, then the
/// page break (`page_end`, short of the search's `bound`).
fn at_page_foot(t: &str, end: usize, page_end: usize, bound: usize) -> bool {
    if page_end >= bound || t.as_bytes().get(page_end) != Some(&b'\x0c') {
        return false;
    }
    let foot: Vec<&str> = t[end..page_end].lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    foot.is_empty() || (foot.len() <= 2 && foot[0].bytes().all(|b| b.is_ascii_digit()))
}

/// Least share of a footnote's letters and digits the text between its
/// neighbours must hold to be its place ([`unnumbered_texts`]).
const GAP_SHARE: f64 = 0.5;

/// Footnotes with words still orphaned whose number the new text does not
/// print (a scan lost it, `~~ccifer20@aol.fr ... ■` under footnote 147's
/// text; or a box withheld it with the footnote's head), each with the text
/// between the end of the nearest footnote before it that landed (every
/// footnote between orphaned) and the next line that starts with a later
/// number, on one page, when all of that text is its own (85% of its
/// letters and digits, read through the scan's usual slips) and it holds
/// most of the footnote's. A paged text prints its footnotes in order, so
/// that text is no other footnote's: `changed`, with its differences.
fn unnumbered_texts<'p>(
    old: &Side,
    new: &Side,
    passages: &'p [Passage],
    located: &HashMap<PassageId, Located>,
    notes: &HashMap<u32, Range<usize>>,
    printed_numbers: &HashMap<u32, Range<usize>>,
    numbers: &[NumberedLine],
) -> Vec<(&'p Passage, Located)> {
    let t = new.text();
    let mut out = Vec::new();
    if !new.pages.is_paged() {
        return out;
    }
    for p in passages {
        let Some(n) = p.footnote else { continue };
        if label_only(old, p) || printed_numbers.contains_key(&n) || located.get(&p.id).is_none_or(|x| x.1.is_some()) {
            continue;
        }
        let Some((_, prev)) = notes.iter().filter(|(k, _)| **k < n).max_by_key(|(k, _)| **k) else { continue };
        let k = numbers.partition_point(|l| l.digits.start < prev.end);
        let Some(next) = numbers.get(k) else { continue };
        if next.number <= n || next.number > n.saturating_add(LATER_NUMBERS) {
            continue;
        }
        let raw = prev.end..next.digits.start;
        if t[raw.clone()].contains('\x0c') || notes.values().any(|r| r.start < raw.end && raw.start < r.end) {
            continue;
        }
        let start = raw.start + (t[raw.clone()].len() - t[raw.clone()].trim_start().len());
        let gap = start..start + t[raw.clone()].trim().len();
        let letters = t[gap.clone()].chars().filter(|c| c.is_alphanumeric()).count();
        let old_r = p.span.start..p.span.end;
        let old_clean = old.clean(old_r.clone());
        let share = letter_share(&old_clean, &t[gap.clone()]);
        if letters < crate::text::anchor::MIN_FUZZY_LEN
            || share < GAP_SHARE
            || letter_share(&t[gap.clone()], &old_clean) < CONTINUED_HEAD
        {
            continue;
        }
        let (s, sc, d) = judge(old, new, &old_r, &gap, share);
        out.push((p, (s, Some(gap), Some(sc), d, None)));
    }
    out
}

/// Most bytes of its own printed text a footnote's place may leave out at
/// its head and still be widened to it ([`from_own_number`]).
const SKIPPED_HEAD: usize = 24;

/// A footnote that landed inside the text printed after its own number, a
/// few bytes past its head, on the same line: the fuzzy tier left out the
/// head the scan misread (`NOSC000215 l 7-20 (10/21/16 ...` for
/// `NOSC00021517–20 (10/21/16 ...`, found from `7-20`). That text is its
/// place when all of it is the footnote's (its letters and digits, read
/// through the scan's usual slips) and it holds at least as much of the
/// footnote as the place found.
fn from_own_number(old: &Side, new: &Side, p: &Passage, numbers: &[NumberedLine], got: Located) -> Located {
    let (Some(n), Some(r)) = (p.footnote, got.1.clone()) else { return got };
    let t = new.text();
    let k = numbers.partition_point(|l| l.text <= r.start);
    let Some(line) = k.checked_sub(1).map(|k| &numbers[k]) else { return got };
    if line.number != n
        || line.text >= r.start
        || r.start - line.text > SKIPPED_HEAD
        || t[line.text..r.start].trim_start().contains('\n')
    {
        return got;
    }
    let old_r = p.span.start..p.span.end;
    let (region, ..) = number_text(t, line, old.query(old_r.clone()).len());
    if region.start >= r.start || region.end < r.end {
        return got;
    }
    let old_clean = old.clean(old_r.clone());
    let (mine, found) = (letter_share(&old_clean, &t[region.clone()]), letter_share(&old_clean, &t[r.clone()]));
    if letter_share(&t[region.clone()], &old_clean) < CONTINUED_HEAD || mine < found {
        return got;
    }
    let (s, sc, d) = judge(old, new, &old_r, &region, mine);
    (s, Some(region), Some(sc), d, None)
}

/// A footnote found by its printed number (`line`): a label-only footnote is
/// the label printed after its number (nothing but scan noise around it); any
/// other is looked for in the text after its number, up to the next line that
/// starts with a number, else it is that text when it holds most of the old
/// footnote's words.
fn by_number(old: &Side, new: &Side, p: &Passage, line: &NumberedLine, label_only: bool, least: f64) -> Located {
    let t = new.text();
    let old_r = p.span.start..p.span.end;
    let (region, end, page_end, bound) = number_text(t, line, old.query(old_r.clone()).len());
    if label_only {
        let labels = labels_in(new, &region);
        let (Some(first), Some(last)) = (labels.first(), labels.last()) else {
            let why = if is_noise(&t[region]) {
                "the new text prints its footnote number and no words or label after it"
            } else {
                "the new text prints no label after its footnote number"
            };
            return (AnchorState::Orphaned, None, None, Vec::new(), Some(why.into()));
        };
        let place = first.start..last.end;
        if !is_noise(&t[region.start..place.start]) || !is_noise(&t[place.end..region.end]) {
            return (
                AnchorState::Orphaned,
                None,
                None,
                Vec::new(),
                Some("the new text prints words besides a label after its footnote number".into()),
            );
        }
        let (s, sc, d) = judge(old, new, &old_r, &place, 1.0);
        return (s, Some(place), Some(sc), d, None);
    }
    if region.is_empty() {
        return (
            AnchorState::Orphaned,
            None,
            None,
            Vec::new(),
            Some("the new text prints its footnote number and nothing after it".into()),
        );
    }
    let old_words = word_list(&old.clean(old_r.clone()));
    let new_words = word_list(&t[region.clone()]);
    let mut bag: HashMap<&str, usize> = HashMap::new();
    for w in &new_words {
        *bag.entry(w.as_str()).or_default() += 1;
    }
    let mut hit = 0;
    for w in &old_words {
        if let Some(k) = bag.get_mut(w.as_str())
            && *k > 0
        {
            *k -= 1;
            hit += 1;
        }
    }
    let share = if old_words.is_empty() { 0.0 } else { hit as f64 / old_words.len() as f64 };
    // Words a scan split or joined (`Comp laint`, `Graffto`) still hold
    // their letters.
    let old_clean = old.clean(old_r.clone());
    let share = share.max(letter_share(&old_clean, &t[region.clone()]));
    // A footnote continued on the next page: the text after its number runs
    // to its page's foot and is the footnote's head (its rest is printed at
    // the foot of the next page, below that page's body, where no one span
    // reaches it): the head is its place.
    let letters = t[region.clone()].chars().filter(|c| c.is_alphanumeric()).count();
    // A footnote that withholds material: the new text's box may hide more
    // of it than the old text's label did (`DJTJR00445 [box] and Trump
    // Jr.);` for a footnote of two emails and a label). The text after its
    // number is its place when all of it is the footnote's.
    let withholds = old.redactions.iter().any(|r| r.span.start < old_r.end && old_r.start < r.span.end);
    if share < least
        && share >= CONTINUED_SHARE
        && letters >= crate::text::anchor::MIN_FUZZY_LEN
        && withholds
        && letter_share(&t[region.clone()], &old_clean) >= CONTINUED_HEAD
    {
        let (s, sc, d) = judge(old, new, &old_r, &region, share);
        return (s, Some(region), Some(sc), d, None);
    }
    if share < least
        && (share >= CONTINUED_SHARE || letters >= crate::text::anchor::MIN_FUZZY_LEN)
        && at_page_foot(t, end, page_end, bound)
        && letter_share(&t[region.clone()], &old_clean) >= CONTINUED_HEAD
    {
        let (s, sc, d) = judge(old, new, &old_r, &region, share);
        return (s, Some(region), Some(sc), d, None);
    }
    if share < least {
        return (
            AnchorState::Orphaned,
            None,
            None,
            Vec::new(),
            Some(format!(
                "the text after its footnote number holds {:.0}% of its words, too few to take it",
                100.0 * share
            )),
        );
    }
    let (s, sc, d) = judge(old, new, &old_r, &region, share);
    (s, Some(region), Some(sc), d, None)
}

/// A footnote's place found by a search of a paged text, bounded by the
/// layout: cut at its page's foot and before the next footnote's numbered
/// line ([`cut_at_page_foot`], [`cut_at_next_number`]) and widened to the
/// head of the text after its own number ([`from_own_number`]).
fn footnote_bounds(old: &Side, new: &Side, p: &Passage, numbers: &[NumberedLine], got: Located) -> Located {
    let got = cut_at_next_number(old, new, p, cut_at_page_foot(old, new, p, got));
    from_own_number(old, new, p, numbers, got)
}

/// Footnotes with words whose place runs on through the words of footnotes
/// after them that landed nowhere, each with its place ended before them
/// ([`own_lines`]).
fn own_texts<'p>(
    old: &Side,
    new: &Side,
    passages: &'p [Passage],
    located: &HashMap<PassageId, Located>,
    notes: &HashMap<u32, Range<usize>>,
) -> Vec<(&'p Passage, Located)> {
    let words: std::collections::BTreeMap<u32, (&Passage, String)> = passages
        .iter()
        .filter_map(|p| Some((p.footnote?, (p, old.clean(p.span.start..p.span.end)))))
        .filter(|(_, (_, w))| w.chars().any(char::is_alphanumeric))
        .collect();
    let mut out = Vec::new();
    for (&n, (p, mine)) in &words {
        let Some(got) = located.get(&p.id) else { continue };
        let Some(r) = got.1.clone() else { continue };
        let later: Vec<&str> = words
            .range(n..=n.saturating_add(LATER_NUMBERS))
            .filter(|(k, _)| **k > n && !notes.contains_key(k))
            .map(|(_, (_, w))| w.as_str())
            .collect();
        let place = own_lines(new.text(), r.clone(), mine, &later);
        if place != r {
            let old_r = p.span.start..p.span.end;
            let (s, sc, d) = judge(old, new, &old_r, &place, got.2.unwrap_or(1.0));
            out.push((*p, (s, Some(place), Some(sc), d, None)));
        }
    }
    out
}

/// The lines of `region` (the text after a footnote's number, up to the next
/// number printed) that are the footnote's: up to the first line after its
/// first that is more the words of a footnote after it not placed elsewhere
/// (`later`) than its own (half of that line's letter trigrams that footnote's, and more of
/// them than the footnote's own). When the numbers of the footnotes after it
/// are withheld under a box, the text runs on through theirs (`717`, its
/// text, a box's edge, the words of 719 whose head and number the box
/// hides, `720`).
fn own_lines(t: &str, region: Range<usize>, old_clean: &str, later: &[&str]) -> Range<usize> {
    let mut at = region.start;
    for (i, l) in t[region.clone()].split_inclusive('\n').enumerate() {
        if i > 0 && l.chars().filter(|c| c.is_alphanumeric()).count() >= 3 {
            let own = letter_share(l, old_clean);
            if later.iter().any(|w| {
                let theirs = letter_share(l, w);
                theirs >= OWN_LINE && theirs > own
            }) {
                let kept = t[region.start..at].trim_end();
                return region.start..region.start + kept.len();
            }
        }
        at += l.len();
    }
    region
}

/// Least share of a line's letter trigrams that must be another footnote's
/// for the line to end a footnote's text ([`own_lines`]).
const OWN_LINE: f64 = 0.5;

/// The text printed after footnote number `line`, for a footnote of `len`
/// bytes: up to the next line that starts with a later number (at most
/// [`LATER_NUMBERS`] later) or is a number alone (a page's number), the
/// page's end, or a bound; trimmed. Also where it stopped, where the page or
/// the bound ends, and the bound.
fn number_text(t: &str, line: &NumberedLine, len: usize) -> (Range<usize>, usize, usize, usize) {
    let bound = snap(t, line.text + len.max(60) * 3 / 2 + NUMBER_SLACK);
    let page_end = t[line.text..bound].find('\x0c').map_or(bound, |i| line.text + i);
    let mut end = page_end;
    let mut at = line.text;
    for l in t[line.text..page_end].split_inclusive('\n') {
        let next = at + l.len();
        if at > line.text
            && printed_number(t, at, l.trim_end_matches(['\n', '\r']))
                .iter()
                .any(|p| p.alone || (p.number > line.number && p.number - line.number <= LATER_NUMBERS))
        {
            end = at;
            break;
        }
        at = next;
    }
    let trimmed = t[line.text..end].trim();
    let start = line.text + (t[line.text..end].len() - t[line.text..end].trim_start().len());
    (start..start + trimmed.len(), end, page_end, bound)
}

/// Label-only footnotes, still orphaned, whose number the new text does not
/// print, each with the label of the neighbouring label-only footnote that
/// stands for it too: the next footnote's label when nothing but scan noise
/// (no words, not its number) lies between the footnote with words that landed
/// before it and that label, else the previous footnote's label (one it
/// shares too, in a run) when nothing but noise lies between that label and
/// the footnote that landed after it, one with words or one whose own number
/// is printed at its place (its box starts after that number, so the
/// footnotes before it are under the box before it). (Between two labels
/// with no number printed, which box is whose cannot be told.)
fn shared_labels<'p>(
    old: &Side,
    new: &Side,
    passages: &'p [Passage],
    located: &HashMap<PassageId, Located>,
    notes: &HashMap<u32, Range<usize>>,
    printed_numbers: &HashMap<u32, Range<usize>>,
    lines: &[NumberedLine],
) -> Vec<(&'p Passage, Range<usize>)> {
    let t = new.text();
    let by_number: HashMap<u32, &Passage> = passages.iter().filter_map(|p| Some((p.footnote?, p))).collect();
    // The landed numbers in order (footnote numbers may be anything up to
    // `u32::MAX`: no walk over every number between).
    let mut landed: Vec<u32> = notes.keys().copied().collect();
    landed.sort_unstable();
    // The labels shared so far: a run of footnotes under one box.
    let mut shared: HashMap<u32, Range<usize>> = HashMap::new();
    let label_of = |k: u32, shared: &HashMap<u32, Range<usize>>| {
        let q = by_number.get(&k)?;
        (label_only(old, q)).then(|| shared.get(&k).or_else(|| notes.get(&k)).cloned()).flatten()
    };
    let silent = |g: &str, n: u32| is_noise(g) && !g.split(|c: char| !c.is_ascii_digit()).any(|d| d == n.to_string());
    let mut out = Vec::new();
    let mut numbers: Vec<u32> = by_number.keys().copied().collect();
    numbers.sort_unstable();
    for n in numbers {
        let p = by_number[&n];
        if !label_only(old, p) || located.get(&p.id).is_some_and(|x| x.1.is_some()) || printed_numbers.contains_key(&n)
        {
            continue;
        }
        // The neighbours on the far side are footnotes with words (between
        // two labels, which box is whose cannot be told).
        let worded = |k: &u32| by_number.get(k).is_some_and(|q| !label_only(old, q));
        let at = landed.partition_point(|&k| k < n);
        let before = at.checked_sub(1).map(|i| landed[i]).filter(worded).map(|k| notes[&k].end);
        // (After it, a footnote whose own number is printed at its place
        // too: its box starts after that number.)
        let own = |k: &u32| own_number(new, lines, *k, &notes[k]);
        let after_k = landed[at..].iter().copied().find(|&k| k > n).filter(|k| worded(k) || own(k));
        let after = after_k.map(|k| notes[&k].start);
        // Nothing between: noise, or the page's foot and the next page's body
        // up to that footnote's number (no box between them).
        let quiet = |from: usize, a: usize| {
            silent(&t[from..a], n) || after_k.is_some_and(|k| box_at_page_foot(new, lines, from, a, k, &silent, n))
        };
        // (Not the next footnote's box when its own number is printed
        // before it: a box starts after the number it follows.)
        let next = n.checked_add(1).and_then(|m| {
            label_of(m, &shared).filter(|l| {
                before.is_some_and(|b| b <= l.start && silent(&t[b..l.start], n))
                    && !(notes.contains_key(&m) && own(&m))
            })
        });
        // (One box: the previous footnote's place is one label.)
        let prev = || {
            label_of(n.checked_sub(1)?, &shared)
                .filter(|l| labels_in(new, l).len() == 1 && after.is_some_and(|a| l.end <= a && quiet(l.end, a)))
        };
        // A footnote is printed on the page of its marker: not under a box
        // of another page than the number the body prints for it.
        let marker_page = marker_page(old, new, passages, located, p);
        let on_its_page =
            |l: &Range<usize>| !new.pages.is_paged() || marker_page.is_none_or(|pg| pg == new.pages.page_of(l.start));
        // One box prints one label: the footnotes under it are of its reason.
        if let Some(place) = next.or_else(prev).filter(on_its_page).filter(|l| same_reason(old, new, p, l)) {
            shared.insert(n, place.clone());
            out.push((p, place));
        }
    }
    out
}

/// The page of the number the body prints for footnote `p` (its marker
/// landed `moved` on it), in a paged text.
fn marker_page(
    old: &Side,
    new: &Side,
    passages: &[Passage],
    located: &HashMap<PassageId, Located>,
    p: &Passage,
) -> Option<u32> {
    let n = p.footnote?;
    passages
        .iter()
        .find(|q| old.markers.iter().any(|(m, k)| *k == n && m.start == q.span.start && m.end == q.span.end))
        .and_then(|q| located.get(&q.id))
        .and_then(|x| (x.0 == AnchorState::Moved).then(|| x.1.clone()).flatten())
        .map(|r| new.pages.page_of(r.start))
}

/// True when `from..at` (from a label to the place of footnote `k`) runs
/// over one page break with nothing but noise before it (`silent`: the
/// page's foot) and, on the next page, nothing between the body's last line
/// (words, no label) and the line of `k`'s number: a footnote under no box
/// of the next page's notes, so under the box before the break.
fn box_at_page_foot(
    new: &Side,
    lines: &[NumberedLine],
    from: usize,
    at: usize,
    k: u32,
    silent: &dyn Fn(&str, u32) -> bool,
    n: u32,
) -> bool {
    let t = new.text();
    let Some(brk) = t[from..at].find('\x0c').map(|i| from + i) else { return false };
    if t[brk + 1..at].contains('\x0c') || !silent(&t[from..brk], n) {
        return false;
    }
    let Some(line) = lines.iter().rfind(|l| l.number == k && l.digits.start > brk && l.text <= at) else {
        return false;
    };
    let line_start = t[..line.digits.start].rfind('\n').map_or(0, |i| i + 1);
    let body = t[brk..line_start].trim_end();
    let last = body.rsplit('\n').next().unwrap_or("");
    let last_end = brk + body.len();
    !last.trim().is_empty() && !is_noise(last) && labels_in(new, &(last_end - last.len()..last_end)).is_empty()
}

/// The redactions a label-only footnote is, orphaned by the text around
/// them, are `kept` at the labels the footnote landed on.
fn keep_redaction(old: &Side, p: &Passage, place: &Range<usize>, red_moves: &mut [RedactionMove]) {
    for r in redactions_of(old, p) {
        if let Some((_, _, o)) = red_moves.iter_mut().find(|(id, ..)| *id == r.id)
            && o.state == AnchorState::Orphaned
        {
            *o = Outcome {
                state: AnchorState::Kept,
                range: Some(place.clone()),
                score: None,
                differences: Vec::new(),
                released_text: None,
                reason: None,
            };
        }
    }
}

/// The redactions label-only passage `p` is made of (one, or several:
/// `[Harm to Ongoing Matter] [Grand Jury]`).
fn redactions_of<'a>(old: &'a Side, p: &'a Passage) -> impl Iterator<Item = &'a Redaction> + 'a {
    old.redactions.iter().filter(|r| r.span.start < p.span.end && p.span.start < r.span.end)
}

/// The redactions a label-only footnote is, kept where the footnote first
/// landed (`was`), are orphaned with it (`why`).
fn drop_redaction(old: &Side, p: &Passage, was: &Range<usize>, why: &str, red_moves: &mut [RedactionMove]) {
    for r in redactions_of(old, p) {
        if let Some((_, _, o)) = red_moves.iter_mut().find(|(id, ..)| *id == r.id)
            && o.state == AnchorState::Kept
            && o.range.as_ref() == Some(was)
        {
            *o = Outcome {
                state: AnchorState::Orphaned,
                range: None,
                score: None,
                differences: Vec::new(),
                released_text: None,
                reason: Some(format!("its footnote is orphaned: {why}")),
            };
        }
    }
}

/// The redactions a label-only footnote is, kept where the footnote first
/// landed (`was`), follow the footnote placed anew by its number (`now`).
fn move_redaction(old: &Side, p: &Passage, was: &Range<usize>, now: &Range<usize>, red_moves: &mut [RedactionMove]) {
    for r in redactions_of(old, p) {
        if let Some((_, _, o)) = red_moves.iter_mut().find(|(id, ..)| *id == r.id)
            && o.state == AnchorState::Kept
            && o.range.as_ref() == Some(was)
        {
            o.range = Some(now.clone());
        }
    }
}

/// The footnote (not `n`) whose numbered line stands right above `r` on its
/// page, or whose number is printed right before it, when it landed on `r`
/// too (`notes`): the words at `r` are that footnote's.
fn holder(
    new: &Side,
    numbers: &[NumberedLine],
    notes: &HashMap<u32, Range<usize>>,
    footnotes: &std::collections::HashSet<u32>,
    n: u32,
    r: &Range<usize>,
) -> Option<u32> {
    let other = |m: &u32| *m != n && footnotes.contains(m);
    line_above(new, numbers, r.start)
        .filter(other)
        .or_else(|| number_before(new.text(), r.start).filter(other))
        .filter(|m| notes.get(m).is_some_and(|x| x.start < r.end && r.start < x.end))
}

/// The footnotes (numbers of `notes`, each with the place it landed) whose
/// places break the order of their numbers (a paged text prints its footnotes
/// in that order). The footnotes whose own number is read at their place
/// (`trusted`) and lie in a longest run of places rising with their numbers
/// (a number misread elsewhere falls out of it) are the skeleton; a footnote
/// is out of order when its place lies before that of a skeleton footnote
/// numbered below it or after that of one numbered above it (equal places
/// allowed: one label for several footnotes).
fn out_of_order(
    notes: &HashMap<u32, Range<usize>>,
    trusted: &std::collections::HashSet<u32>,
) -> std::collections::HashSet<u32> {
    let mut seq: Vec<(u32, usize)> =
        notes.iter().filter(|(n, _)| trusted.contains(n)).map(|(n, r)| (*n, r.start)).collect();
    seq.sort_unstable();
    let off = off_longest_run(&seq);
    let skeleton: Vec<(u32, usize)> = seq.into_iter().filter(|(n, _)| !off.contains(n)).collect();
    notes
        .iter()
        .filter(|(n, r)| {
            let k = skeleton.partition_point(|x| x.0 < **n);
            if skeleton.get(k).is_some_and(|x| x.0 == **n) {
                return false;
            }
            let below = k.checked_sub(1).map(|k| skeleton[k].1);
            let above = skeleton.get(k).map(|x| x.1);
            below.is_some_and(|b| r.start < b) || above.is_some_and(|a| r.start > a)
        })
        .map(|(n, _)| *n)
        .collect()
}

/// The numbers of `seq` ((number, place), by number) in no longest run whose
/// places do not fall.
fn off_longest_run(seq: &[(u32, usize)]) -> std::collections::HashSet<u32> {
    // The longest run ending at each, of places that do not fall.
    let runs = |places: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        let mut tails: Vec<usize> = Vec::new();
        places
            .map(|x| {
                let k = tails.partition_point(|&t| t <= x);
                if k == tails.len() {
                    tails.push(x);
                } else {
                    tails[k] = x;
                }
                k + 1
            })
            .collect()
    };
    let ending = runs(&mut seq.iter().map(|x| x.1));
    // The longest run starting at each: the same from the end, places reversed.
    let mut starting = runs(&mut seq.iter().rev().map(|x| usize::MAX - x.1));
    starting.reverse();
    let longest = ending.iter().copied().max().unwrap_or(0);
    seq.iter()
        .zip(ending.iter().zip(&starting))
        .filter(|(_, (e, s))| *e + *s - 1 != longest)
        .map(|((n, _), _)| *n)
        .collect()
}

/// Orphans the label-only footnotes of [`labels_above_notes`] (and their
/// redactions, kept where they landed); returns their numbers.
fn drop_body_labels(
    old: &Side,
    new: &Side,
    passages: &[Passage],
    numbers: &[NumberedLine],
    notes: &mut HashMap<u32, Range<usize>>,
    located: &mut HashMap<PassageId, Located>,
    red_moves: &mut [RedactionMove],
) -> Vec<u32> {
    let mut out = Vec::new();
    for (p, r, reason) in labels_above_notes(old, new, passages, numbers, notes) {
        if let Some(n) = p.footnote {
            notes.remove(&n);
            out.push(n);
        }
        drop_redaction(old, p, &r, reason, red_moves);
        located.insert(p.id, (AnchorState::Orphaned, None, None, Vec::new(), Some(reason.into())));
    }
    out
}

/// Label-only footnotes (with where they landed and why they are orphaned)
/// whose label lies above the notes of its page in a paged text: before the
/// place of the page's first footnote whose own number is read at its place
/// (a paged text prints a page's footnotes below its body, so such a label is
/// a black box of the body). A footnote whose own number is read at its place
/// is never one.
fn labels_above_notes<'p>(
    old: &Side,
    new: &Side,
    passages: &'p [Passage],
    numbers: &[NumberedLine],
    notes: &HashMap<u32, Range<usize>>,
) -> Vec<(&'p Passage, Range<usize>, &'static str)> {
    let starts = notes_starts(new, numbers, notes);
    passages
        .iter()
        .filter(|p| label_only(old, p))
        .filter_map(|p| {
            let n = p.footnote?;
            let r = notes.get(&n)?;
            (in_body(new, &starts, r) && !own_number(new, numbers, n, r)).then(|| {
                (
                    p,
                    r.clone(),
                    "the label it was found at is above the first footnote of its page (a black box of the body), \
                     and no label is printed after its footnote number",
                )
            })
        })
        .collect()
}

/// True when footnote `n`'s number is read at its place `r`: on the
/// numbered line above it on its page, or right before it.
fn own_number(new: &Side, numbers: &[NumberedLine], n: u32, r: &Range<usize>) -> bool {
    line_above(new, numbers, r.start) == Some(n) || number_before(new.text(), r.start) == Some(n)
}

/// Where each page's notes start in a paged text (by page): the place of the
/// page's first footnote (of `notes`) whose own number is read at its place.
fn notes_starts(new: &Side, numbers: &[NumberedLine], notes: &HashMap<u32, Range<usize>>) -> HashMap<u32, usize> {
    let mut starts: HashMap<u32, usize> = HashMap::new();
    if !new.pages.is_paged() {
        return starts;
    }
    for (n, r) in notes {
        if own_number(new, numbers, *n, r) {
            let s = starts.entry(new.pages.page_of(r.start)).or_insert(r.start);
            *s = (*s).min(r.start);
        }
    }
    starts
}

/// True when `r` lies above the notes of its page ([`notes_starts`]): in the
/// page's body.
fn in_body(new: &Side, starts: &HashMap<u32, usize>, r: &Range<usize>) -> bool {
    new.pages.is_paged() && starts.get(&new.pages.page_of(r.start)).is_some_and(|s| r.end <= *s)
}

/// A redaction's move before it is planned: its ID, old place and outcome.
type RedactionMove = (crate::RedactionId, Place, Outcome);

/// Places the runs of [`label_only_runs`] that the labels decide.
#[allow(clippy::too_many_arguments)]
fn place_label_runs(
    old: &Side,
    new: &Side,
    passages: &[Passage],
    located: &mut HashMap<PassageId, Located>,
    notes: &mut HashMap<u32, Range<usize>>,
    red_moves: &mut [RedactionMove],
    withheld: &std::collections::HashSet<u32>,
    numbers: &[NumberedLine],
) {
    for (run, place, shared) in label_only_runs(old, new, passages, located, withheld, numbers) {
        let twice = |r: &Range<usize>| place.iter().filter(|x| x.as_ref() == Some(r)).count() > 1;
        for (p, range) in run.iter().zip(place.iter().cloned()) {
            let Some(range) = range else { continue };
            // Shared: a stretch of boxes of which one is the footnote's, or
            // one box over several footnotes. One box the footnote's alone
            // (first of the run under the first box) is its own.
            let shared = shared.clone().filter(|_| labels_in(new, &range).len() > 1 || twice(&range));
            let old_r = p.span.start..p.span.end;
            let (st, sc, d) = judge(old, new, &old_r, &range, 1.0);
            if let Some(was) = located.get(&p.id).and_then(|x| x.1.clone()) {
                move_redaction(old, p, &was, &range, red_moves);
            }
            keep_redaction(old, p, &range, red_moves);
            if let Some(n) = p.footnote {
                notes.insert(n, range.clone());
            }
            located.insert(p.id, (st, Some(range), Some(sc), d, shared.clone()));
        }
    }
}

/// A passage that is nothing but redactions (a label-only footnote: one
/// label, or several, `[Harm to Ongoing Matter] [Grand Jury]`).
fn label_only(old: &Side, p: &Passage) -> bool {
    !old.query(p.span.start..p.span.end).chars().any(char::is_alphanumeric) && redactions_of(old, p).next().is_some()
}

/// Most words in a redaction reason's name (`Harm to Ongoing Matter`).
const LABEL_WORDS: usize = 5;
/// Fewest letters a loose label needs (`Grand Jury`; not `IT` or `PP`, which
/// are ordinary words too).
const LABEL_LETTERS: usize = 8;

/// The redaction labels `new` prints: its redactions, and the names of the
/// taxonomy's reasons printed as loose capitalized words, and their short
/// forms alone on a line ([`short_label`]).
fn printed_labels(l: &Ledger, new: &Side) -> Vec<Range<usize>> {
    let t = new.text();
    let mut words: Vec<(Range<usize>, String)> = Vec::new();
    let mut at = 0;
    for w in t.split(char::is_whitespace) {
        let start = at;
        at += w.len() + t[at + w.len()..].chars().next().map_or(0, char::len_utf8);
        let Some(s) = w.find(char::is_alphanumeric) else { continue };
        let e = w.rfind(char::is_alphanumeric).map_or(s, |e| e + w[e..].chars().next().map_or(0, char::len_utf8));
        words.push((start + s..start + e, crate::taxonomy::fold_label(&w[s..e])));
    }
    let mut out: Vec<Range<usize>> = new.redactions.iter().map(|r| r.span.start..r.span.end).collect();
    let mut i = 0;
    while i < words.len() {
        let capital = t[words[i].0.clone()].starts_with(char::is_uppercase);
        let mut hit = None;
        if capital {
            let mut joined = String::new();
            for (k, (_, w)) in words[i..].iter().take(LABEL_WORDS).enumerate() {
                joined.push_str(w);
                if joined.len() >= LABEL_LETTERS && l.taxonomy().resolve(&joined).is_some() {
                    hit = Some(k);
                }
            }
        }
        match hit {
            Some(k) => {
                out.push(words[i].0.start..words[i + k].0.end);
                i += k + 1;
            }
            None => {
                if short_label(l, t, &words[i].0) {
                    out.push(words[i].0.clone());
                }
                i += 1;
            }
        }
    }
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup_by(|a, b| a.start < b.end);
    out
}

/// True when the word at `w` is a short form of a reason the taxonomy knows
/// (`HOM`, `GJ`), printed in capitals on a line of its own (nothing but scan
/// noise around it: a label printed in a narrow box). Short forms are
/// ordinary words too (`IT`, `PP`), so only a line of their own makes them
/// labels.
fn short_label(l: &Ledger, t: &str, w: &Range<usize>) -> bool {
    let word = &t[w.clone()];
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || word.chars().any(char::is_lowercase) || l.taxonomy().resolve(word).is_none() {
        return false;
    }
    let line_start = t[..w.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = t[w.end..].find('\n').map_or(t.len(), |i| w.end + i);
    is_noise(&t[line_start..w.start]) && is_noise(&t[w.end..line_end])
}

/// The reason code a printed label names: its redaction's, or the
/// taxonomy's for the words (or short form) printed.
fn printed_reason(l: &Ledger, new: &Side, r: &Range<usize>) -> Option<String> {
    match new.redactions.iter().find(|x| x.span.start == r.start && x.span.end == r.end) {
        Some(x) => x.reason.as_ref().map(|x| x.code.clone()),
        None => l.taxonomy().resolve(&new.text()[r.clone()]).map(|x| x.code.clone()),
    }
}

/// True when the printed labels in `place` (at least one) all name a
/// reason of the redactions that label-only passage `p` is (all known).
fn same_reason(old: &Side, new: &Side, p: &Passage, place: &Range<usize>) -> bool {
    let mut own = Vec::new();
    for r in redactions_of(old, p) {
        match &r.reason {
            Some(reason) => own.push(reason.code.as_str()),
            None => return false,
        }
    }
    let from = new.printed.partition_point(|x| x.start < place.start);
    let count = labels_in(new, place).len();
    count > 0 && new.printed_reasons[from..from + count].iter().all(|r| r.as_deref().is_some_and(|c| own.contains(&c)))
}

/// The printed labels inside `r`.
fn labels_in<'a>(new: &'a Side, r: &Range<usize>) -> &'a [Range<usize>] {
    let a = new.printed.partition_point(|x| x.start < r.start);
    let b = new.printed.partition_point(|x| x.start < r.end);
    let b = (a..b).rev().find(|&k| new.printed[k].end <= r.end).map_or(a, |k| k + 1);
    &new.printed[a..b]
}

/// Farthest apart two landed footnotes may be for the label-only footnotes
/// between them to be placed.
const LABEL_GAP: usize = 20_000;

/// A run of label-only footnotes, the place of each (when decided), and
/// why the place is shared when the footnotes share it without a box each.
type LabelRun<'p> = (Vec<&'p Passage>, Vec<Option<Range<usize>>>, Option<String>);

/// Runs of consecutive label-only footnotes (their text is one redaction) that
/// are orphaned, each with the place of each footnote in the new text when the
/// labels between the footnotes that landed around the run decide it: as many
/// labels as footnotes, at the end of the gap (the foot of the page before the
/// next footnote) or at its start, with nothing but label-like noise (numbers,
/// stray marks) between them and the neighbouring footnote; or, when the gap
/// holds a single label with nothing but such noise around it and none of the
/// run's numbers, and the footnotes around the run have words, that label for
/// every footnote of the run (one black box withholding them all); or, when
/// the gap holds fewer labels than footnotes, all on one page, with nothing
/// but such noise around them and none of the run's numbers, all naming the
/// reason of every footnote of the run, between footnotes that have words
/// or whose own numbers are printed at their places, the stretch of those
/// labels for every footnote of the run, said to be shared (which box is
/// whose cannot be told, but each footnote is under one of them: the
/// stretch is the place of each, and its label is each one's text).
fn label_only_runs<'p>(
    old: &Side,
    new: &Side,
    passages: &'p [Passage],
    located: &HashMap<PassageId, Located>,
    withheld: &std::collections::HashSet<u32>,
    numbers: &[NumberedLine],
) -> Vec<LabelRun<'p>> {
    let mut notes: Vec<&Passage> = passages.iter().filter(|p| p.footnote.is_some()).collect();
    notes.sort_by_key(|p| p.footnote);
    let landed = |p: &Passage| located.get(&p.id).and_then(|l| l.1.clone());
    // A label of a page's body is no footnote's.
    let places: HashMap<u32, Range<usize>> = notes.iter().filter_map(|p| Some((p.footnote?, landed(p)?))).collect();
    let starts = notes_starts(new, numbers, &places);
    // A footnote withheld at its printed number is in no run (the labels of
    // the gap are not its own).
    let label_only = |p: &Passage| label_only(old, p) && !p.footnote.is_some_and(|n| withheld.contains(&n));
    let t = new.text();
    let noise_between = |chosen: &[Range<usize>], from: usize, to: usize| {
        let mut at = from;
        for r in chosen {
            if !is_noise(&t[at..r.start]) {
                return false;
            }
            at = r.end;
        }
        is_noise(&t[at..to])
    };
    // The run `notes[i..j]` under fewer boxes than footnotes, all of their
    // reason, on one page between neighbours with words or their own
    // numbers printed at their places: the stretch of those boxes, and why
    // it is shared.
    let fewer_boxes = |i: usize, j: usize| -> Option<(Vec<Option<Range<usize>>>, String)> {
        let run = &notes[i..j];
        let k = run.len();
        let before = notes[..i].iter().rev().find_map(|p| landed(p)).map(|r| r.end).unwrap_or(0);
        let after = notes[j..].iter().find_map(|p| landed(p)).map(|r| r.start).unwrap_or(t.len());
        if before >= after || after - before > LABEL_GAP {
            return None;
        }
        let labels: Vec<Range<usize>> =
            labels_in(new, &(before..after)).iter().filter(|l| !in_body(new, &starts, l)).cloned().collect();
        let (first, last) = (labels.first()?, labels.last()?);
        if labels.len() >= k {
            return None;
        }
        let stretch = first.start..last.end;
        // Boxes at a page's foot: the next footnote may be printed on the
        // next page, after its running head and body.
        let page_foot = match new.pages.range(new.pages.page_of(last.end)) {
            Some(page) if new.pages.is_paged() => after.min(page.end),
            _ => after,
        };
        // The neighbours bound the gap: words, or their own number
        // printed at their place (a box starts after its number).
        let bounds = |p: Option<&&Passage>| {
            p.and_then(|p| Some((p, landed(p)?)))
                .is_some_and(|(p, r)| !label_only(p) || p.footnote.is_some_and(|n| own_number(new, numbers, n, &r)))
        };
        let one_page = !new.pages.is_paged()
            || (new.pages.page_of(first.start) == new.pages.page_of(last.end)
                && run.iter().all(|p| {
                    marker_page(old, new, passages, located, p).is_none_or(|pg| pg == new.pages.page_of(first.start))
                }));
        let gap = &t[before..after];
        let unnumbered = !run
            .iter()
            .filter_map(|p| p.footnote)
            .any(|n| gap.split(|c: char| !c.is_ascii_digit()).any(|d| d.parse::<u32>().is_ok_and(|d| d == n)));
        let ok = bounds(notes[..i].iter().rev().find(|p| landed(p).is_some()))
            && bounds(notes[j..].iter().find(|p| landed(p).is_some()))
            && one_page
            && noise_between(&labels, before, page_foot)
            && unnumbered
            && run.iter().all(|p| same_reason(old, new, p, &stretch));
        let (a, b) = (run[0].footnote.unwrap_or(0), run[k - 1].footnote.unwrap_or(0));
        // Each box holds one footnote of the run at least, in order: the
        // i-th footnote is under one of boxes i - (k - boxes) to i.
        let places = (0..k)
            .map(|x| {
                let lo = x.saturating_sub(k - labels.len());
                let hi = x.min(labels.len() - 1);
                Some(labels[lo].start..labels[hi].end)
            })
            .collect();
        ok.then(|| {
            (
                places,
                format!(
                    "it shares the place of footnotes {a} to {b}: their numbers are not printed, and the {} \
                     labels of their reason printed where they stand are fewer than they are, so which box is \
                     whose cannot be told",
                    labels.len()
                ),
            )
        })
    };
    // Placed only by the text around its redaction (other footnotes, in a
    // paged text), not at its own number: a guess when its run's boxes are
    // fewer than its footnotes.
    let weak = |p: &Passage| {
        label_only(p)
            && p.footnote.is_some_and(|n| {
                landed(p).is_some_and(|r| !own_number(new, numbers, n, &r) && number_before(t, r.start) != Some(n))
            })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < notes.len() {
        if !(label_only(notes[i]) && landed(notes[i]).is_none()) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < notes.len() && label_only(notes[j]) && landed(notes[j]).is_none() {
            j += 1;
        }
        // With the neighbours placed only by guess, the run may lie under
        // fewer boxes than footnotes: then all of them share the stretch.
        let (mut wi, mut wj) = (i, j);
        let member = |p: &Passage| weak(p) || (label_only(p) && landed(p).is_none());
        while wi > 0 && member(notes[wi - 1]) {
            wi -= 1;
        }
        while wj < notes.len() && member(notes[wj]) {
            wj += 1;
        }
        if (wi, wj) != (i, j)
            && let Some((places, why)) = fewer_boxes(wi, wj)
        {
            out.push((notes[wi..wj].to_vec(), places, Some(why)));
            i = wj;
            continue;
        }
        let run: Vec<&Passage> = notes[i..j].to_vec();
        let mut shared = None;
        let before = notes[..i].iter().rev().find_map(|p| landed(p)).map(|r| r.end).unwrap_or(0);
        let after = notes[j..].iter().find_map(|p| landed(p)).map(|r| r.start).unwrap_or(t.len());
        // Both footnotes around the run have words (next to another label,
        // which box is whose cannot be told).
        let worded = notes[..i].iter().rev().find(|p| landed(p).is_some()).is_some_and(|p| !label_only(p))
            && notes[j..].iter().find(|p| landed(p).is_some()).is_some_and(|p| !label_only(p));
        // A label printed after the footnote's number (`52 Harm to Ongoing
        // Matter`) is that footnote's.
        let (lo, hi) = (before.min(after).saturating_sub(WINDOW_BACK), before.max(after).saturating_add(WINDOW_BACK));
        let near_labels = labels_in(new, &(lo..hi.min(t.len())));
        let mut place: Vec<Option<Range<usize>>> = run
            .iter()
            .map(|p| {
                let mut hits =
                    near_labels.iter().filter(|r| p.footnote.is_some() && number_before(t, r.start) == p.footnote);
                match (hits.next(), hits.next()) {
                    (Some(one), None) => Some(one.clone()),
                    _ => None,
                }
            })
            .collect();
        if place.iter().all(Option::is_none) && before < after && after - before <= LABEL_GAP {
            let labels: Vec<Range<usize>> =
                labels_in(new, &(before..after)).iter().filter(|l| !in_body(new, &starts, l)).cloned().collect();
            let labels = &labels[..];
            let k = run.len();
            let unnumbered = || {
                let gap = &t[before..after];
                !run.iter()
                    .filter_map(|p| p.footnote)
                    .any(|n| gap.split(|c: char| !c.is_ascii_digit()).any(|d| d.parse::<u32>().is_ok_and(|d| d == n)))
            };
            if let [one] = labels
                && k > 1
                && worded
                && noise_between(std::slice::from_ref(one), before, after)
                && unnumbered()
            {
                // One black box withholding them all, under one label.
                place = vec![Some(one.clone()); k];
            } else if labels.len() >= k {
                let tail = &labels[labels.len() - k..];
                let head = &labels[..k];
                // The tail's noise runs up to the next footnote; the head's from the one before.
                let tail_ok = {
                    let mut ok = true;
                    for w in tail.windows(2) {
                        ok &= is_noise(&t[w[0].end..w[1].start]);
                    }
                    ok && is_noise(&t[tail[k - 1].end..after])
                };
                let head_ok = noise_between(head, before, head[k - 1].end) && head[k - 1].end <= after;
                let pick = if tail_ok {
                    Some(tail)
                } else if head_ok {
                    Some(head)
                } else {
                    None
                };
                if let Some(pick) = pick {
                    place = pick.iter().cloned().map(Some).collect();
                }
            } else if let Some((places, why)) = fewer_boxes(i, j) {
                // Fewer boxes than footnotes, all of their reason: they share
                // the stretch of those boxes that may be theirs.
                shared = Some(why);
                place = places;
            }
        }
        out.push((run, place, shared));
        i = j;
    }
    out
}

/// Text that is no words: whitespace, numbers (footnote and page numbers) and
/// what a scan leaves of a black box's edges: stray marks, letters at most two
/// in a row, or runs of thin strokes read as `l`, `i`, `j`, `f`, `1`, `|`.
fn is_noise(s: &str) -> bool {
    const THIN: &str = "lIijJf1|!/\\()[]{}'`\".,;:-_=~•·■";
    s.split_whitespace().all(|token| {
        let short = token.split(|c: char| !c.is_alphabetic()).all(|w| w.chars().count() <= 2);
        let n = token.chars().count();
        let thin = token.chars().filter(|c| THIN.contains(*c)).count();
        short || thin * 5 >= n * 4
    })
}

/// Lines at the top of a page that may be its running head.
const HEAD_LINES: usize = 2;

/// True when `r` runs over a page break or into the running head at the top of
/// a page (a paged text's furniture, not the report's words).
fn over_page_furniture(side: &Side, r: &Range<usize>) -> bool {
    let t = side.text();
    if !side.pages.is_paged() {
        return false;
    }
    if t[r.clone()].contains('\x0c') {
        return true;
    }
    let Some(page) = side.pages.range(side.pages.page_of(r.start)) else { return false };
    let head_end = t[page.start..].match_indices('\n').nth(HEAD_LINES - 1).map_or(t.len(), |(i, _)| page.start + i);
    r.start < head_end
}

/// Bytes before a footnote's new place searched for its marker (the marker is
/// on the footnote's page, or in the text before a note at the end).
const MARKER_WINDOW: usize = 8_000;
/// Words right before a marker compared with the words before a printed number.
const MARKER_WORDS: usize = 4;

/// A footnote marker of the old revision (`m`, number `n`): it follows its
/// footnote, whose new place is `note` when it landed. In order: a marker of
/// the same number in the new text; the number printed after the same words
/// in the text before the footnote (a PDF's superscript); the footnote's
/// number where the footnote now starts; the footnote itself.
fn locate_marker(
    old: &Side,
    new: &Side,
    m: &Range<usize>,
    n: u32,
    note: Option<&Range<usize>>,
    expected: usize,
) -> Located {
    let t = new.text();
    let same = new.markers.iter().filter(|(_, k)| *k == n).min_by_key(|(r, _)| r.start.abs_diff(expected));
    if let Some((r, _)) = same {
        let (s, sc, d) = judge(old, new, m, r, 1.0);
        return (s, Some(r.clone()), Some(sc), d, None);
    }
    let before = word_list(&old.clean(snap(old.text(), m.start.saturating_sub(160))..m.start));
    let before = &before[before.len().saturating_sub(MARKER_WORDS)..];
    let end = note.map(|r| r.start).unwrap_or(expected.saturating_add(MARKER_WINDOW / 2)).min(t.len());
    let w = snap(t, end.saturating_sub(MARKER_WINDOW))..snap(t, end);
    let digits = n.to_string();
    let own_number =
        |r: &Range<usize>| note.is_some_and(|f| t.get(r.end..f.start).is_some_and(|g| g.trim().is_empty()));
    let mut best: Option<(usize, Range<usize>)> = None;
    for r in candidates(t, &w, &digits) {
        if own_number(&r) {
            continue;
        }
        let words = word_list(&t[snap(t, r.start.saturating_sub(160))..r.start]);
        let words = &words[words.len().saturating_sub(MARKER_WORDS + 2)..];
        let last_near = before.last().is_some_and(|l| words.iter().rev().take(2).any(|w| w == l));
        let hits = before.iter().filter(|b| words.contains(b)).count();
        if !before.is_empty() && last_near && hits >= before.len().min(MARKER_WORDS - 1) {
            // The closest before the footnote wins a tie (the marker is on its page).
            if best.as_ref().is_none_or(|(h, _)| hits >= *h) {
                best = Some((hits, r));
            }
        }
    }
    // The same words as the scan printed them (`meetin members of the Trum
    // Cam ai n.997`): their letters and digits within the fuzzy tier's edit
    // budget, the fewest edits winning (then the closest before the footnote).
    let words = word_list(&old.clean(snap(old.text(), m.start.saturating_sub(160))..m.start));
    let want: Vec<char> = words[words.len().saturating_sub(MARKER_WORDS + 2)..].concat().chars().collect();
    if best.is_none() && want.len() >= crate::text::anchor::MIN_FUZZY_LEN {
        let budget = (want.len() as f64 * crate::text::anchor::FUZZY_RATE).floor() as usize;
        let mut fewest: Option<(usize, Range<usize>)> = None;
        for r in candidates(t, &w, &digits) {
            if own_number(&r) {
                continue;
            }
            let got: Vec<char> = t[snap(t, r.start.saturating_sub(want.len() * 3 + 40))..r.start]
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            let d = suffix_distance(&want, &got);
            if d <= budget && fewest.as_ref().is_none_or(|(e, _)| d <= *e) {
                fewest = Some((d, r));
            }
        }
        best = fewest;
    }
    if let Some((_, r)) = best {
        return (AnchorState::Moved, Some(r), Some(1.0), Vec::new(), None);
    }
    let marker_text = old.text()[m.clone()].to_string();
    let Some(f) = note else {
        let after_redaction = old
            .redactions
            .iter()
            .any(|r| r.span.end <= m.start && old.text().get(r.span.end..m.start).is_some_and(|g| g.trim().is_empty()));
        let why = if after_redaction {
            format!("it follows withheld material: the new text prints neither its number nor its footnote {n}")
        } else {
            format!("its footnote {n} was not found and the number is not printed after the same words")
        };
        return (AnchorState::Orphaned, None, None, Vec::new(), Some(why));
    };
    // The footnote's number where the footnote starts.
    let head = t[..f.start].trim_end();
    if number_before(t, f.start) == Some(n) {
        let r = head.len() - head.rsplit(char::is_whitespace).next().unwrap_or("").len()..head.len();
        let r = r.start + (t[r.clone()].len() - t[r.clone()].trim_start_matches(|c: char| !c.is_ascii_digit()).len())
            ..r.start + t[r.clone()].trim_end_matches(|c: char| !c.is_ascii_digit()).len();
        let d = vec![Difference { quoted: marker_text, source: t[r.clone()].to_string() }];
        return (AnchorState::Changed, Some(r), Some(1.0), d, None);
    }
    let d = vec![Difference { quoted: marker_text, source: t[f.clone()].to_string() }];
    (AnchorState::Changed, Some(f.clone()), Some(0.0), d, None)
}

/// Bytes before a number looked at for the gap a box leaves where a
/// marker's words were.
const LOST_WORDS: usize = 80;
/// The gap a black box leaves in a scan's text line.
const BOX_GAP: &str = "     ";

/// True when `r` is a page's own number in a paged text: alone on its line,
/// with at most one line that is not blank after it on its page.
fn is_page_number(t: &str, r: &Range<usize>) -> bool {
    let line_start = t[..r.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = t[r.end..].find('\n').map_or(t.len(), |i| r.end + i);
    let page_end = t[r.end..].find('\x0c').map_or(t.len(), |i| r.end + i);
    t[line_start..line_end].trim() == &t[r.clone()]
        && t[line_end.min(page_end)..page_end].lines().filter(|l| !l.trim().is_empty()).count() <= 1
}

/// The places in `w` of `t` where `digits` stand as a number of their own:
/// not inside a word or a longer number, not the tail of a decimal or a
/// section number (`600.4`, `3,4`).
fn candidates<'a>(t: &'a str, w: &Range<usize>, digits: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
    let start = w.start;
    t[w.clone()].match_indices(digits).map(move |(i, _)| start + i..start + i + digits.len()).filter(|r| {
        let prev = t[..r.start].chars().next_back();
        let next = t[r.end..].chars().next();
        let mut back = t[..r.start].chars().rev();
        let decimal =
            matches!(back.next(), Some('.' | ',' | ':' | '/' | '-')) && back.next().is_some_and(|c| c.is_ascii_digit());
        !prev.is_some_and(|c| c.is_alphanumeric()) && !next.is_some_and(|c| c.is_alphanumeric()) && !decimal
    })
}

/// The fewest edits that turn `want` into a suffix of `got` (the end of
/// `got` fixed, its start free).
fn suffix_distance(want: &[char], got: &[char]) -> usize {
    // Columns: `want` reversed against `got` reversed, so a prefix of the
    // reversed `got` is free to stop anywhere.
    let (a, b): (Vec<char>, Vec<char>) = (want.iter().rev().copied().collect(), got.iter().rev().copied().collect());
    let mut prev: Vec<usize> = (0..=a.len()).collect();
    let mut best = prev[a.len()];
    for cb in &b {
        let mut cur = vec![prev[0] + 1; a.len() + 1];
        for (i, ca) in a.iter().enumerate() {
            cur[i + 1] = (prev[i + 1] + 1).min(cur[i] + 1).min(prev[i] + usize::from(ca != cb));
        }
        best = best.min(cur[a.len()]);
        prev = cur;
    }
    best
}

type Located = (AnchorState, Option<Range<usize>>, Option<f64>, Vec<Difference>, Option<String>);

fn locate_passage(
    old: &Side,
    new: &Side,
    view: &SourceText<'_>,
    p: &Passage,
    expected: usize,
    after: usize,
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
    // Several redactions and nothing else: their places, when each was
    // kept, in order, on one page (one box may print one label for two).
    if label_only(old, p) {
        let kept: Option<Vec<Range<usize>>> = redactions_of(old, p)
            .map(|r| match reds.get(&r.id) {
                Some((AnchorState::Kept, Some(nr), _)) => Some(nr.clone()),
                _ => None,
            })
            .collect();
        let place = kept.and_then(|k| {
            let (first, last) = (k.first()?, k.last()?);
            let ordered = k.windows(2).all(|w| w[0].start <= w[1].start);
            let one_page = !new.pages.is_paged() || new.pages.page_of(first.start) == new.pages.page_of(last.end);
            (ordered && one_page && first.start < last.end).then(|| first.start..last.end.max(first.end))
        });
        return Ok(match place {
            Some(nr) => {
                let (s, sc, d) = judge(old, new, &old_r, &nr, 1.0);
                (s, Some(nr), Some(sc), d, None)
            }
            None => (AnchorState::Orphaned, None, None, Vec::new(), Some("its redactions were not found".into())),
        });
    }
    // The quote selector: exact text with its prefix and suffix, then alone,
    // around where it is expected (elsewhere, the hinted search finds it).
    let near = expected.max(after);
    let t = new.text();
    let sel = crate::text::anchor::Selector {
        exact: &p.quote.exact,
        prefix: Some(&p.quote.prefix),
        suffix: Some(&p.quote.suffix),
        within: Some(snap(t, near.saturating_sub(WINDOW_BACK))..snap(t, near.saturating_add(WINDOW_AHEAD))),
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
        // Several places: a footnote is the one printed after its number, else
        // the first after the footnote before it.
        let decide = |places: &[Range<usize>]| -> Option<Range<usize>> {
            let n = p.footnote?;
            let numbered: Vec<&Range<usize>> = places.iter().filter(|r| number_before(t, r.start) == Some(n)).collect();
            if let [one] = numbered[..] {
                return Some(one.clone());
            }
            places.iter().filter(|r| r.start >= after).min_by_key(|r| r.start).cloned()
        };
        match search(new, view, &query, Some(context.clone()), near, &decide)? {
            // A passage of the body (no footnote, no marker) far from where
            // it was expected and misread by the scan: every tier over the
            // whole text, once (few passages come this far).
            Landing::Orphaned(why) if p.footnote.is_none() && query.len() <= crate::text::anchor::MAX_QUOTE => {
                let focus = context.find(&query).map(|s| s..s + query.len());
                let hint = Hint { context: Some(context), focus, near: vec![(0, near.min(t.len()))] };
                match landing(&quotecheck::find_in(&new.prepared, view, &query, &hint)?, &decide) {
                    Landing::Found { range, score } => Landing::Found { range, score },
                    Landing::Orphaned(_) => Landing::Orphaned(why),
                }
            }
            l => l,
        }
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
    // The whole context, then only the words next to the redaction (the rest
    // may be a heading or a footnote the new text prints elsewhere).
    let next_to = |q: &str, tail: bool| {
        let w: Vec<&str> = q.split_whitespace().collect();
        (w.len() > NEXT_WORDS)
            .then(|| if tail { w[w.len() - NEXT_WORDS..].join(" ") } else { w[..NEXT_WORDS].join(" ") })
    };
    let mut b = if words(&bq) >= 2 {
        search(new, view, &bq, None, expected.saturating_sub(hint_len), &undecided)?
    } else {
        Landing::Orphaned("no text before it".into())
    };
    if let (Landing::Orphaned(_), Some(q)) = (&b, next_to(&bq, true)) {
        b = search(new, view, &q, None, expected.saturating_sub(q.len()), &undecided)?;
    }
    let near_after = match &b {
        Landing::Found { range, .. } => range.end,
        _ => expected + r.span.len(),
    };
    let mut a = if words(&aq) >= 2 {
        search(new, view, &aq, None, near_after, &undecided)?
    } else {
        Landing::Orphaned("no text after it".into())
    };
    if let (Landing::Orphaned(_), Some(q)) = (&a, next_to(&aq, false)) {
        a = search(new, view, &q, None, near_after, &undecided)?;
    }
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
    // A label printed in its place (with scan noise around it): kept. Over a
    // page break, the first label (the rest of the place is page furniture).
    let crosses = over_page_furniture(new, &place);
    let labels = labels_in(new, &place);
    if let (Some(first), Some(last)) = (labels.first(), labels.last()) {
        let end = if crosses { first.end } else { last.end };
        return Ok((AnchorState::Kept, Some(first.start..end), None, None));
    }
    let words_there = new.clean(place.clone());
    if is_label(l, &words_there, &r.label) {
        return Ok((AnchorState::Kept, Some(place), None, None));
    }
    // Nothing legible in its place (a black box's scan noise): nothing released.
    if is_noise(&words_there) {
        return Ok((AnchorState::Kept, Some(place), None, None));
    }
    if crosses {
        return Ok((
            AnchorState::Orphaned,
            None,
            None,
            Some("its place runs over a page break or into a running head and prints no label: whether it was released cannot be told".into()),
        ));
    }
    if new.pages.is_paged() && heads_a_numbered_line(t, &place) {
        return Ok((
            AnchorState::Orphaned,
            None,
            None,
            Some("its place runs into lines that start with a footnote's number (other footnotes of a paged text): whether it was released cannot be told".into()),
        ));
    }
    // Words the old text prints right beside the redaction are no withheld
    // words: a scan that printed lines out of order (`posing as` of the
    // sentence before, `recalled` of `recalled hearing [box]`) or a place
    // that ran over the words between two boxes.
    let ot = old.text();
    let around = old.clean(snap(ot, r.span.start.saturating_sub(OLD_CONTEXT))..snap(ot, r.span.start))
        + " "
        + &old.clean(snap(ot, r.span.end)..snap(ot, r.span.end + OLD_CONTEXT));
    if letter_share(&words_there, &around) >= CONTINUED_HEAD {
        return Ok((
            AnchorState::Orphaned,
            None,
            None,
            Some("its place holds words the old text prints beside it, not withheld ones: whether it was released cannot be told".into()),
        ));
    }
    Ok((AnchorState::Released, Some(place), Some(words_there), None))
}

/// Bytes of the old text on each side of a redaction whose words a place
/// said to be released may not be.
const OLD_CONTEXT: usize = 300;

/// True when a line inside `r` (after its first) starts with a number followed
/// by a space or the line's end: a footnote's number in a paged text.
fn heads_a_numbered_line(t: &str, r: &Range<usize>) -> bool {
    t[r.clone()].split('\n').skip(1).any(|l| {
        let l = l.trim_start();
        let digits = l.bytes().take_while(u8::is_ascii_digit).count();
        (1..=NUMBER_DIGITS).contains(&digits) && l[digits..].chars().next().is_none_or(char::is_whitespace)
    })
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
    let k = new.printed.partition_point(|x| x.start < at);
    if let Some(x) = new.printed.get(k).filter(|x| is_noise(&t[at..x.start])) {
        return Some(x.clone());
    }
    l.taxonomy().find_labels(&t[s..snap(t, s + 200)]).into_iter().find(|(r, _)| r.start == 0).map(|(r, _)| s..s + r.end)
}

/// A label of the new side ending at `at` (before whitespace).
fn label_before(l: &Ledger, new: &Side, at: usize) -> Option<Range<usize>> {
    let t = new.text();
    let e = t[..at].trim_end().len();
    let k = new.printed.partition_point(|x| x.end <= at);
    if let Some(x) = k.checked_sub(1).and_then(|k| new.printed.get(k)).filter(|x| is_noise(&t[x.end..at])) {
        return Some(x.clone());
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

#[cfg(test)]
mod tests {
    use super::{number_before, out_of_order, page_foot, printed_number, suffix_distance};
    use std::collections::{HashMap, HashSet};

    /// The readings of line `line` of `t`: number, digits and text as printed.
    fn readings(t: &str, line: usize) -> Vec<(u32, &str, &str)> {
        let start: usize = t.split_inclusive('\n').take(line).map(str::len).sum();
        let body = t[start..].split('\n').next().unwrap_or("");
        let line_end = start + body.len();
        printed_number(t, start, body)
            .into_iter()
            .map(|p| (p.number, &t[p.digits.clone()], t[p.text..line_end.max(p.text)].trim_end()))
            .collect()
    }

    #[test]
    fn a_line_of_one_word_after_leading_space_is_read_without_panicking() {
        // A page's first line after its form feed, or an indented line of
        // one word: no whitespace after the word (the box-edge reading used
        // to slice backwards there).
        for t in ["\x0cSummary", "   Summary"] {
            assert!(printed_number(t, 0, t).is_empty(), "{t:?}");
        }
        assert!(printed_number(" 12", 0, " 12").iter().any(|p| p.number == 12));
    }

    #[test]
    fn footnote_numbers_are_read_through_a_stray_mark_a_split_and_a_date() {
        let t = "The board met.\n\
                 . 346 Hearing on the ferry contract\n\
                 84 1 Information, Harbour Board v. Ferries Ltd\n\
                 960  2/12/18 Email, Clerk to Board\n\
                 12 18 U.S.C. § 1001\n\
                 45 See the minutes.\n\
                 58 1\n\
                 94\n\
                 °Minutes of the board.\n\
                 3.2 The ferry\n\
                 The 45 ferries\n";
        assert_eq!(readings(t, 1), vec![(346, "346", "Hearing on the ferry contract")]);
        assert_eq!(
            readings(t, 2),
            vec![
                (84, "84", "1 Information, Harbour Board v. Ferries Ltd"),
                (841, "84 1", "Information, Harbour Board v. Ferries Ltd")
            ]
        );
        assert_eq!(readings(t, 3), vec![(960, "960", "2/12/18 Email, Clerk to Board")]);
        assert_eq!(readings(t, 4), vec![(12, "12", "18 U.S.C. § 1001"), (1218, "12 18", "U.S.C. § 1001")]);
        assert_eq!(readings(t, 5), vec![(45, "45", "See the minutes.")]);
        assert_eq!(readings(t, 6), vec![(581, "58 1", "")]);
        assert_eq!(readings(t, 7)[0].0, 940);
        assert!(readings(t, 9).is_empty());
        assert!(readings(t, 10).is_empty());
        assert!(readings(t, 0).is_empty());
    }

    #[test]
    fn the_number_before_a_place_is_read_through_one_misread_letter_and_never_cut_from_one() {
        let before = |t: &str| number_before(t, t.len());
        assert_eq!(before("the ferry.45 "), Some(45));
        assert_eq!(before("[^45]: "), Some(45));
        assert_eq!(before("\n45\n"), Some(45));
        // A letter a scan reads for a digit, beside digits: read through it.
        assert_eq!(before("\n5l "), Some(51));
        assert_eq!(before("\nl5 "), Some(15));
        assert_eq!(before("\n20S\n"), Some(205));
        assert_eq!(before("(1O) "), Some(10));
        // Not a number cut from a letter after it, nor two slips, nor a word.
        assert_eq!(before("\n5x "), None);
        assert_eq!(before("\nlSl "), None);
        assert_eq!(before("\nSl "), None);
        assert_eq!(before("the ferry "), None);
        assert_eq!(before("\n5ll "), None);
    }

    #[test]
    fn the_words_before_a_marker_are_matched_at_the_end_of_the_text_before_it() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(suffix_distance(&c("membersoftheferry"), &c("thelettertothemembrsofthefery")), 2);
        assert_eq!(suffix_distance(&c("ferry"), &c("theferry")), 0);
        assert_eq!(suffix_distance(&c("ferry"), &c("thefery")), 1);
        // No letter in common: every letter of `ferry` is an edit.
        assert_eq!(suffix_distance(&c("ferry"), &c("boat")), 5);
        assert_eq!(suffix_distance(&c("abc"), &c("")), 3);
    }

    #[test]
    fn the_page_foot_is_the_line_of_the_page_number_not_the_same_digits_after_it() {
        let page = "Letter of the auditor, May 2.\n7\nPage 7\n";
        assert_eq!(&page[page_foot(page)..], "7\nPage 7\n");
        let page = "Letter of the auditor, May 2.\n7\n";
        assert_eq!(&page[page_foot(page)..], "7\n");
        let page = "Letter of the auditor, May 2.\nSee 7.\n";
        assert_eq!(page_foot(page), page.len());
    }

    #[test]
    fn footnotes_out_of_the_order_of_their_numbers_are_placed_against_the_trusted_ones() {
        let notes = |places: &[(u32, usize)]| -> HashMap<u32, std::ops::Range<usize>> {
            places.iter().map(|&(n, at)| (n, at..at + 5)).collect()
        };
        let all = |ns: &[u32]| -> HashSet<u32> { ns.iter().copied().collect() };
        // Footnote 2 landed after 3 and 4, whose numbers were read at their places.
        let got = out_of_order(&notes(&[(1, 10), (2, 90), (3, 30), (4, 40), (5, 100)]), &all(&[1, 3, 4, 5]));
        assert_eq!(got, HashSet::from([2]));
        // Three footnotes landed on one place before their trusted neighbour
        // 3: they are the ones out of order, however many.
        let got =
            out_of_order(&notes(&[(1, 10), (2, 50), (3, 30), (4, 12), (5, 12), (6, 12), (7, 60)]), &all(&[1, 2, 3, 7]));
        assert_eq!(got, HashSet::from([4, 5, 6]));
        // One label for two footnotes: equal places are in order.
        assert!(out_of_order(&notes(&[(1, 10), (2, 20), (3, 20), (4, 40)]), &all(&[1, 2, 3, 4])).is_empty());
        // A trusted footnote out of order with the other trusted ones (a
        // number misread) is judged against them.
        let got = out_of_order(&notes(&[(1, 10), (2, 20), (3, 5), (4, 40)]), &all(&[1, 2, 3, 4]));
        assert_eq!(got, HashSet::from([3]));
    }
}
