//! Where a short or repeated quote stands, decided by the article sentence that
//! holds it.
//!
//! # Design
//!
//! A one-word quote (`find`, `dirt`, `benefit`) stands at many places of a long
//! source, and the anchoring alone ([`super::anchor`]) often cannot tell them
//! apart: its context support compares a few hundred bytes on each side and
//! needs a clear lead. A reader decides from the sentence the article wraps
//! around the quote. This module ranks an anchoring's candidate places the way
//! the evidence ranker ranks passages for a statement, and decides only when
//! the ranking is clear.
//!
//! **Score of a place** ([`rank_places`]): the article sentence that holds the
//! quote makes a [`Query`] (the quote's own words as quoted terms, weighted
//! against the article's word use, [`ArticleWords`]); the source sentence that
//! holds the place is reranked against it with [`rank::rerank`] (names, numbers,
//! proximity, the footnotes of the sentence and its neighbouring sentences), and
//! a local term is added: [`LOCAL_WEIGHT`] times the weighted share of the
//! article's content words near the quote (within [`LOCAL_WORDS`] words, each
//! weighing its query weight times `exp(-(d - 1) / LOCAL_SCALE)` at `d` words
//! from the quote) found near the place in the source (closeness weighed the
//! same way). The local term tells apart two places in one source sentence (the
//! sentence score is the same for both). A place whose words the source itself
//! quotes (they stand inside quotation marks of the source sentence) gains
//! [`QUOTED_PLACE`]: an article that puts a word in quotation marks more often
//! quotes someone's word than the report's own prose.
//!
//! **Decision.** Places whose sentences have the same words and the place at the
//! same word are the same evidence (a passage the source repeats word for word,
//! such as an executive summary repeating an introduction): they form one
//! group, scored by its best place, and a chosen group is cited at its first
//! place in the order given (callers give places in source order). The best
//! group is chosen when its score leads the next group's by [`PLACE_MARGIN`];
//! otherwise nothing is chosen and the places stay ranked, best first, for a
//! reader. A quote whose sentence has no content words besides the quote decides
//! nothing.
//!
//! Deterministic: ties keep the order given.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::quotes;
use super::rank::{self, ArticleWords, Candidate, Query};

/// Lead of the best group of places over the next one needed to choose it.
pub const PLACE_MARGIN: f64 = 0.15;
/// Weight of the local term (the article's words next to the quote found next to
/// the place).
pub const LOCAL_WEIGHT: f64 = 1.5;
/// Bonus of a place the source itself quotes.
pub const QUOTED_PLACE: f64 = 0.3;
/// Words on each side of the quote (and of a place) compared by the local term.
pub const LOCAL_WORDS: usize = 8;
/// Decay length of the local term's closeness, in words.
pub const LOCAL_SCALE: f64 = 3.0;

/// The quote as the article has it: the sentence that holds it and where.
#[derive(Debug, Clone)]
pub struct QuoteInSentence<'a> {
    /// The article sentence (or statement) holding the quote.
    pub sentence: &'a str,
    /// The quote's words in `sentence` (byte range, marks excluded).
    pub quote: Range<usize>,
}

/// One candidate place of the quote, with the source text around it.
#[derive(Debug, Clone, Default)]
pub struct PlaceText<'a> {
    /// The source sentence holding the place.
    pub sentence: &'a str,
    /// The place inside `sentence` (byte range).
    pub at: Range<usize>,
    /// The sentence before, if any.
    pub before: Option<&'a str>,
    /// The sentence after, if any.
    pub after: Option<&'a str>,
    /// The texts of the footnotes whose markers stand in `sentence`.
    pub footnotes: &'a [&'a str],
}

/// The places ranked against the article sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Each place's score, in the order given (higher is better).
    pub scores: Vec<f64>,
    /// Indexes of the places, best first (ties in the order given).
    pub order: Vec<usize>,
    /// The place chosen, when the best group leads the next by
    /// [`PLACE_MARGIN`] (see the module docs).
    pub chosen: Option<usize>,
}

/// Ranks `places` for the quote `q` of an article whose word use is `article`,
/// and chooses one when the ranking is clear (see the module docs).
pub fn rank_places(q: &QuoteInSentence<'_>, article: &ArticleWords, places: &[PlaceText<'_>]) -> Ranking {
    rank_together(std::slice::from_ref(q), article, places).pop().unwrap_or_else(|| Ranking {
        scores: Vec::new(),
        order: Vec::new(),
        chosen: None,
    })
}

/// Ranks `places` for several quotes with the same words (a sentence that
/// quotes `benefit` twice, each time about another party), one [`Ranking`] per
/// quote. The quotes take different places: of every assignment of distinct
/// groups of places to the quotes, the one with the highest total score is
/// taken, and a quote is given its place only when every assignment that gives
/// it another group scores at least [`PLACE_MARGIN`] less (for one quote, the
/// rule of [`rank_places`]). More than [`MAX_TOGETHER`] quotes are ranked each
/// on its own.
pub fn rank_together(quotes: &[QuoteInSentence<'_>], article: &ArticleWords, places: &[PlaceText<'_>]) -> Vec<Ranking> {
    let prepared: Vec<PreparedPlace> = places.iter().map(PreparedPlace::new).collect();
    let refs: Vec<&PreparedPlace> = prepared.iter().collect();
    rank_prepared(quotes, article, &refs)
}

/// A place read once for ranking: what its score needs of its texts (the
/// sentence's words and stems, its footnotes' and neighbours' stems, the words
/// around the place, whether the source quotes it). A place ranked for many
/// quotes (a passage quoted by many articles of a batch) is read once.
#[derive(Debug, Clone)]
pub struct PreparedPlace {
    /// What makes two places the same evidence ([`group_key`]).
    key: (Vec<String>, usize),
    /// Whether the source sentence quotes the place.
    quoted: bool,
    /// The sentence as the reranking reads it.
    candidate: rank::Prepared,
    /// The stems around the place with their distance in words ([`around`]).
    around: Vec<(String, usize)>,
}

impl PreparedPlace {
    /// Reads `p`.
    pub fn new(p: &PlaceText<'_>) -> PreparedPlace {
        let c =
            Candidate { text: p.sentence, footnotes: p.footnotes, before: p.before, after: p.after, first_stage: 0.0 };
        PreparedPlace {
            key: group_key(p),
            quoted: quoted_in(p.sentence, &p.at),
            candidate: rank::Prepared::new(&c),
            around: around(p.sentence, &p.at),
        }
    }
}

/// [`rank_together`] over places read once ([`PreparedPlace`]): the same
/// rankings.
pub fn rank_prepared(
    quotes: &[QuoteInSentence<'_>],
    article: &ArticleWords,
    places: &[&PreparedPlace],
) -> Vec<Ranking> {
    if quotes.len() > MAX_TOGETHER {
        return quotes
            .iter()
            .map(|q| {
                rank_prepared(std::slice::from_ref(q), article, places).pop().unwrap_or_else(|| Ranking {
                    scores: Vec::new(),
                    order: Vec::new(),
                    chosen: None,
                })
            })
            .collect();
    }
    // Groups of places that are the same evidence, each by its first place.
    let keys: Vec<&(Vec<String>, usize)> = places.iter().map(|p| &p.key).collect();
    let group_of: Vec<usize> = keys.iter().map(|k| keys.iter().position(|x| x == k).unwrap_or(0)).collect();
    let mut groups: Vec<usize> = group_of.clone();
    groups.sort_unstable();
    groups.dedup();
    let quoted: Vec<bool> = places.iter().map(|p| p.quoted).collect();
    let mut out = Vec::with_capacity(quotes.len());
    // Per quote: its score of each group, or None when its sentence cannot decide.
    let mut table: Vec<Option<Vec<f64>>> = Vec::with_capacity(quotes.len());
    for q in quotes {
        let query = Query::new(q.sentence, std::slice::from_ref(&q.quote), article);
        let near = near_quote(q, &query);
        let scorer = rank::Scorer::new(&query);
        let scores: Vec<f64> = places
            .iter()
            .zip(&quoted)
            .map(|(p, &quoted)| {
                let bonus = if quoted { QUOTED_PLACE } else { 0.0 };
                scorer.score(&p.candidate).score + LOCAL_WEIGHT * local(&near, &p.around) + bonus
            })
            .collect();
        let mut order: Vec<usize> = (0..places.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let decides = !near.is_empty() || query.terms.iter().any(|t| t.class != rank::TermClass::Quoted);
        table.push(decides.then(|| {
            groups
                .iter()
                .map(|&g| (0..places.len()).filter(|&i| group_of[i] == g).map(|i| scores[i]).fold(f64::MIN, f64::max))
                .collect()
        }));
        out.push(Ranking { scores, order, chosen: None });
    }
    let deciding: Vec<usize> = (0..quotes.len()).filter(|&i| table[i].is_some()).collect();
    let rows: Vec<&Vec<f64>> = deciding.iter().filter_map(|&i| table[i].as_ref()).collect();
    for (k, g) in assign(&rows).into_iter().enumerate() {
        if let Some(g) = g {
            out[deciding[k]].chosen = Some(groups[g]);
        }
    }
    out
}

/// Most quotes ranked together (the assignments tried grow as groups^quotes).
pub const MAX_TOGETHER: usize = 3;

/// The best assignment of distinct columns (groups) to the rows (quotes) of
/// `scores`, and for each row its column when every assignment giving the row
/// another column totals at least [`PLACE_MARGIN`] less.
fn assign(scores: &[&Vec<f64>]) -> Vec<Option<usize>> {
    let rows = scores.len();
    let cols = scores.first().map_or(0, |r| r.len());
    if rows == 0 || cols < rows {
        return vec![None; rows];
    }
    // Every injective assignment, by depth-first enumeration.
    let mut all: Vec<(f64, Vec<usize>)> = Vec::new();
    let mut pick: Vec<usize> = Vec::with_capacity(rows);
    fn walk(scores: &[&Vec<f64>], pick: &mut Vec<usize>, total: f64, all: &mut Vec<(f64, Vec<usize>)>) {
        let r = pick.len();
        if r == scores.len() {
            all.push((total, pick.clone()));
            return;
        }
        for c in 0..scores[r].len() {
            if !pick.contains(&c) {
                pick.push(c);
                walk(scores, pick, total + scores[r][c], all);
                pick.pop();
            }
        }
    }
    walk(scores, &mut pick, 0.0, &mut all);
    // Best total first; ties keep enumeration order (earlier groups first).
    let Some((best, best_pick)) = all.iter().fold(None::<&(f64, Vec<usize>)>, |b, x| match b {
        Some(b) if b.0 >= x.0 => Some(b),
        _ => Some(x),
    }) else {
        return vec![None; rows];
    };
    (0..rows)
        .map(|r| {
            let rival = all.iter().filter(|(_, p)| p[r] != best_pick[r]).map(|(t, _)| *t).fold(f64::MIN, f64::max);
            (best - rival >= PLACE_MARGIN).then_some(best_pick[r])
        })
        .collect()
}

/// The article's content words near the quote: stem -> weight (query weight
/// times closeness).
fn near_quote(q: &QuoteInSentence<'_>, query: &Query) -> BTreeMap<String, f64> {
    let weights: HashMap<&str, f64> = query
        .terms
        .iter()
        .filter(|t| t.class != rank::TermClass::Quoted)
        .map(|t| (t.stem.as_str(), t.mass()))
        .collect();
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for (stem, d) in around(q.sentence, &q.quote) {
        if let Some(&w) = weights.get(stem.as_str()) {
            let v = w * closeness(d);
            let e = out.entry(stem).or_default();
            *e = e.max(v);
        }
    }
    out
}

/// The weighted share of the article's words near the quote found near the place.
fn local(near: &BTreeMap<String, f64>, around: &[(String, usize)]) -> f64 {
    let total: f64 = near.values().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mut best: HashMap<&str, f64> = HashMap::new();
    for (stem, d) in around {
        if near.contains_key(stem) {
            let e = best.entry(stem.as_str()).or_default();
            *e = e.max(closeness(*d));
        }
    }
    near.iter().map(|(s, w)| w * best.get(s.as_str()).copied().unwrap_or(0.0)).sum::<f64>() / total
}

/// Whether `at` lies inside a quotation of `sentence`.
fn quoted_in(sentence: &str, at: &Range<usize>) -> bool {
    quotes::quotations(sentence).is_ok_and(|qs| qs.iter().any(|q| q.start <= at.start && at.end <= q.end))
}

fn closeness(d: usize) -> f64 {
    (-(d.saturating_sub(1) as f64) / LOCAL_SCALE).exp()
}

/// The stems of the words within [`LOCAL_WORDS`] of `span` in `text`, with
/// their distance in words (1 for the word next to it); the words of `span`
/// itself are left out.
fn around(text: &str, span: &Range<usize>) -> Vec<(String, usize)> {
    let ws = rank::words(text);
    let inside = |w: &rank::Word| w.start < span.end && w.end > span.start;
    let first = ws.iter().position(inside);
    let last = ws.iter().rposition(inside);
    let (first, last) = match (first, last) {
        (Some(f), Some(l)) => (f, l),
        // An empty span (or one between words): the words on either side.
        _ => {
            let k = ws.partition_point(|w| w.end <= span.start);
            (k, k.saturating_sub(1))
        }
    };
    let mut out = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let d = if i < first {
            first - i
        } else if i > last {
            i - last
        } else {
            continue;
        };
        if d <= LOCAL_WORDS {
            out.push((rank::stem(&w.lower), d));
        }
    }
    out
}

/// What makes two places the same evidence: the sentence's words and the
/// place's position among them.
fn group_key(p: &PlaceText<'_>) -> (Vec<String>, usize) {
    let ws = rank::words(p.sentence);
    let at = ws.partition_point(|w| w.end <= p.at.start);
    (ws.into_iter().map(|w| w.lower).collect(), at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `needle`'s `n`th occurrence in `text`.
    fn nth(text: &str, needle: &str, n: usize) -> Range<usize> {
        let s = text.match_indices(needle).nth(n).map(|(i, _)| i).unwrap_or_else(|| panic!("no {needle} #{n}"));
        s..s + needle.len()
    }

    fn place<'a>(sentence: &'a str, word: &str, n: usize) -> PlaceText<'a> {
        PlaceText { sentence, at: nth(sentence, word, n), ..PlaceText::default() }
    }

    #[test]
    fn the_sentence_decides_between_three_places_of_one_word() {
        let article = "The harbour master said the council would “review” the ferry timetable in spring.";
        let q = QuoteInSentence { sentence: article, quote: nth(article, "review", 0) };
        let places = [
            place("The auditors will review the pension fund accounts every year.", "review", 0),
            place("In spring the council agreed to review the ferry timetable, the harbour master said.", "review", 0),
            place("Members asked for a review of parking fees.", "review", 0),
        ];
        let r = rank_places(&q, &ArticleWords::default(), &places);
        assert_eq!(r.chosen, Some(1), "{r:?}");
        assert_eq!(r.order[0], 1);
        assert!(r.scores[1] - r.scores[0].max(r.scores[2]) >= PLACE_MARGIN, "{r:?}");
    }

    #[test]
    fn a_sentence_that_does_not_decide_leaves_the_places_ranked() {
        let article = "Nobody expected the “delay” to last.";
        let q = QuoteInSentence { sentence: article, quote: nth(article, "delay", 0) };
        let places = [
            place("The pier opened after a delay of two weeks.", "delay", 0),
            place("A delay in the ferry service angered commuters.", "delay", 0),
        ];
        let r = rank_places(&q, &ArticleWords::default(), &places);
        assert_eq!(r.chosen, None, "{r:?}");
        assert_eq!(r.order.len(), 2);
        assert_eq!(r.scores.len(), 2);
        // Only the quote's words: nothing to decide with, even for one place.
        let bare = "“Delay.”";
        let q = QuoteInSentence { sentence: bare, quote: nth(bare, "Delay", 0) };
        assert_eq!(rank_places(&q, &ArticleWords::default(), &places[..1]).chosen, None);
    }

    #[test]
    fn the_words_next_to_the_quote_decide_between_two_places_of_one_sentence() {
        let source = "The council hoped the mayor would fund the pier, and the ferry company hoped the port would fund the new quay.";
        let article = "The ferry company wanted the port to “fund” it.";
        let q = QuoteInSentence { sentence: article, quote: nth(article, "fund", 0) };
        let places = [place(source, "fund", 0), place(source, "fund", 1)];
        let r = rank_places(&q, &ArticleWords::default(), &places);
        assert_eq!(r.chosen, Some(1), "{r:?}");
    }

    #[test]
    fn a_repeated_passage_is_cited_where_it_first_stands() {
        let s = "The council agreed to repair the pier before the summer season.";
        let article = "The council promised to “repair” the pier by summer.";
        let q = QuoteInSentence { sentence: article, quote: nth(article, "repair", 0) };
        let places = [
            place("Tenders to repair roads were invited.", "repair", 0),
            PlaceText { after: Some("Work began in May."), ..place(s, "repair", 0) },
            PlaceText { after: Some("The summary ends here, on the pier."), ..place(s, "repair", 0) },
        ];
        let r = rank_places(&q, &ArticleWords::default(), &places);
        assert_eq!(r.chosen, Some(1), "{r:?}");
    }
}
