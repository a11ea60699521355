//! Ranking evidence for a statement: the weighted query a statement makes, and
//! the reranking of a candidate passage on its text.
//!
//! # Design
//!
//! Pure functions over `&str`; the index and its first stage live in the ledger
//! (`crate::suggest`), which hands candidates here.
//!
//! **Words.** A word is a maximal run of letters and digits (the index's
//! tokenizer cuts the same way, so `Trump’s` is `trump` + `s`); footnote markers
//! (`[^12]`) are not words. Comparisons use a light suffix-stripping [`stem`]
//! (plurals, `-ed`, `-ing`), the same on both sides.
//!
//! **The query** ([`Query::new`]) keeps a statement's content words, one term per
//! stem, each with a weight:
//!
//! | class | weight | what |
//! | --- | --- | --- |
//! | quoted | 2.2 | a word inside the statement's quotation marks |
//! | name | 2.0 | a capitalized word that does not open the sentence |
//! | number | 1.8 | digits (`30,000` is one number, `30000`) |
//! | date | 1.8 | a month name or a year (1900–2099) |
//! | word | 1.0 | any other word that is not a stop word |
//!
//! Framing words of reporting (`said`, `according`, `reportedly`, ...) weigh 0.3,
//! and a word the article uses in many statements (its own framing: the
//! subject it keeps naming) is weighed down by `1 / (1 + ln n)` where `n` is the
//! number of the article's statements that use it ([`ArticleWords`]). Stop words
//! and one-letter words are dropped. A statement left with no term has no query.
//!
//! **Reranking** ([`rerank`]) scores one candidate passage from:
//!
//! - its first-stage score, normalized by the best one (`0.8`);
//! - the weighted share of the query's terms it holds (`2.0`);
//! - the share of the query's names it holds (`0.6`);
//! - numbers: one the statement gives appears (`+0.6`), or the candidate gives
//!   numbers and none of the statement's (`-0.3`);
//! - proximity: the matched terms' density in the shortest span holding them
//!   (`0.5`);
//! - the statement's quotations found word for word in it (`1.5` times the
//!   share found);
//! - its footnotes and neighbouring sentences: the weighted share of the terms
//!   it lacks that they hold (`0.4` and `0.25`).
//!
//! Ties are broken by the caller on position, so the ranking is deterministic.
//! The matched terms are reported in query order.

use std::collections::{HashMap, HashSet};

/// Words that carry no content.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "s",
    "t",
    "don",
    "didn",
    "won",
    "wasn",
    "weren",
    "isn",
    "aren",
    "hasn",
    "hadn",
    "doesn",
    "mr",
    "ms",
    "mrs",
    "dr",
    "like",
    "get",
    "got",
    "make",
    "made",
    "well",
    "still",
    "though",
    "although",
    "however",
    "another",
    "every",
    "via",
    "per",
    "who",
];

/// Words of reporting and framing, weighed down.
const FRAMING_WORDS: &[&str] = &[
    "said",
    "say",
    "says",
    "saying",
    "told",
    "tell",
    "according",
    "report",
    "reported",
    "reportedly",
    "reports",
    "claim",
    "claimed",
    "claims",
    "allegedly",
    "alleged",
    "noted",
    "wrote",
    "writes",
    "stated",
    "described",
    "revealed",
    "show",
    "shows",
    "showed",
    "appear",
    "appears",
    "appeared",
    "apparently",
    "seem",
    "seemed",
    "seems",
    "way",
    "thing",
    "things",
    "time",
    "times",
    "people",
    "really",
    "actually",
    "new",
    "news",
];

/// Month names, dates' words.
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether `w` (lowercase) is a stop word.
pub fn is_stop_word(w: &str) -> bool {
    STOP_WORDS.contains(&w)
}

/// A word of a text: its byte span and lowercase form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// Lowercase.
    pub lower: String,
}

/// The words of `text` (see the module docs), footnote markers skipped.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start.take() {
            push_word(text, s, i, &mut out);
        }
        // Skip a footnote marker `[^digits]`.
        if c == '['
            && let Some(j) = marker_end(bytes, i)
        {
            while iter.peek().is_some_and(|&(k, _)| k <= j) {
                iter.next();
            }
        }
    }
    if let Some(s) = start {
        push_word(text, s, text.len(), &mut out);
    }
    out
}

/// The index of the `]` closing a footnote marker `[^digits]` that opens at
/// byte `i` of `bytes`, if one does.
fn marker_end(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'[') || bytes.get(i + 1) != Some(&b'^') {
        return None;
    }
    let mut j = i + 2;
    while bytes.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    (j > i + 2 && bytes.get(j) == Some(&b']')).then_some(j)
}

fn push_word(text: &str, s: usize, e: usize, out: &mut Vec<Word>) {
    if let Some(w) = text.get(s..e) {
        out.push(Word { start: s, end: e, lower: w.to_lowercase() });
    }
}

/// How many words [`words`] finds in `text`, counted without building them.
pub fn token_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() {
            in_word = true;
            continue;
        }
        if in_word {
            n += 1;
            in_word = false;
        }
        // Skip a footnote marker `[^digits]`, as `words` does.
        if c == '['
            && let Some(j) = marker_end(bytes, i)
        {
            while iter.peek().is_some_and(|&(k, _)| k <= j) {
                iter.next();
            }
        }
    }
    n + usize::from(in_word)
}

/// A light stem: lowercase `w` without a plural ending, then without `-ing` or
/// `-ed`, then without a final `e` (`shares`, `shared`, `sharing` are `shar`).
pub fn stem(w: &str) -> String {
    let mut w = w.to_lowercase();
    if w.chars().count() <= 3 || w.chars().any(|c| c.is_ascii_digit()) {
        return w;
    }
    if let Some(base) = w.strip_suffix("ies") {
        w = format!("{base}y");
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !(w.ends_with("ss") || w.ends_with("us") || w.ends_with("is")) {
        w.truncate(w.len() - 1);
    }
    let n = w.chars().count();
    if n >= 6 && w.ends_with("ing") {
        w.truncate(w.len() - 3);
    } else if let Some(base) = w.strip_suffix("ied") {
        w = format!("{base}y");
    } else if n >= 5 && w.ends_with("ed") {
        w.truncate(w.len() - 2);
    }
    if w.chars().count() > 4 && w.ends_with('e') {
        w.truncate(w.len() - 1);
    }
    w
}

/// The numbers written in `text`, normalized: digit groups joined by `,` or `.`
/// followed by digits are one number (`30,000` is `30000`, `2.5` is `2.5`).
pub fn numbers(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            let mut n = String::new();
            loop {
                while j < b.len() && b[j].is_ascii_digit() {
                    n.push(b[j] as char);
                    j += 1;
                }
                if j + 1 < b.len() && (b[j] == b',' || b[j] == b'.') && b[j + 1].is_ascii_digit() {
                    if b[j] == b'.' {
                        n.push('.');
                    }
                    j += 1;
                    continue;
                }
                break;
            }
            out.push(n);
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// What made a query term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermClass {
    /// Inside the statement's quotation marks.
    Quoted,
    /// A capitalized word that does not open the sentence.
    Name,
    /// Digits.
    Number,
    /// A month or a year.
    Date,
    /// Any other content word.
    Word,
}

impl TermClass {
    fn weight(self) -> f64 {
        match self {
            TermClass::Quoted => 2.2,
            TermClass::Name => 2.0,
            TermClass::Number | TermClass::Date => 1.8,
            TermClass::Word => 1.0,
        }
    }
}

/// One term of a [`Query`].
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The word as the index sees it (lowercase).
    pub word: String,
    /// Its [`stem`].
    pub stem: String,
    /// What made it a term.
    pub class: TermClass,
    /// Its weight (see the module docs).
    pub weight: f64,
    /// How rare it is in the sources searched (an inverse document frequency,
    /// set by the caller; 1 by default). Shares of the query are weighed by
    /// `weight * rarity`.
    pub rarity: f64,
}

impl Term {
    /// The term's share weight: `weight * rarity`.
    pub fn mass(&self) -> f64 {
        self.weight * self.rarity
    }
}

/// How often an article uses each word: the statements holding each stem.
#[derive(Debug, Clone, Default)]
pub struct ArticleWords {
    counts: HashMap<String, u32>,
}

impl ArticleWords {
    /// Counts, for each stem, the statements of `statements` that use it.
    pub fn new<'a>(statements: impl IntoIterator<Item = &'a str>) -> ArticleWords {
        let mut counts: HashMap<String, u32> = HashMap::new();
        for s in statements {
            let stems: HashSet<String> = words(s).iter().map(|w| stem(&w.lower)).collect();
            for st in stems {
                *counts.entry(st).or_default() += 1;
            }
        }
        ArticleWords { counts }
    }

    /// The number of statements using `stem`.
    pub fn count(&self, stem: &str) -> u32 {
        self.counts.get(stem).copied().unwrap_or(0)
    }
}

/// The weighted query a statement makes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Terms, one per stem, in the statement's order.
    pub terms: Vec<Term>,
    /// The statement's numbers (see [`numbers`]).
    pub numbers: Vec<String>,
    /// The statement's quotations, each as its word stems.
    pub quotes: Vec<Vec<String>>,
}

impl Query {
    /// The query of `statement`, whose quotations are the byte ranges `quotes`
    /// (marks excluded), weighted against the article's word use.
    pub fn new(statement: &str, quotes: &[std::ops::Range<usize>], article: &ArticleWords) -> Query {
        let ws = words(statement);
        let mut terms: Vec<Term> = Vec::new();
        let mut first = true;
        for w in &ws {
            let opens = first;
            first = false;
            let lower = w.lower.as_str();
            let is_digit = lower.chars().all(|c| c.is_ascii_digit());
            if (lower.chars().count() < 2 && !is_digit) || is_stop_word(lower) {
                continue;
            }
            let quoted = quotes.iter().any(|q| q.start <= w.start && w.end <= q.end);
            let capital = statement.get(w.start..w.end).and_then(|s| s.chars().next()).is_some_and(char::is_uppercase);
            let class = if quoted {
                TermClass::Quoted
            } else if is_digit && lower.len() == 4 && (lower.starts_with("19") || lower.starts_with("20")) {
                TermClass::Date
            } else if is_digit {
                TermClass::Number
            } else if MONTHS.contains(&lower) {
                TermClass::Date
            } else if capital && !opens {
                TermClass::Name
            } else {
                TermClass::Word
            };
            let st = stem(lower);
            let mut weight = class.weight();
            if FRAMING_WORDS.contains(&lower) && class != TermClass::Quoted {
                weight = 0.3;
            }
            let n = article.count(&st);
            if n > 1 {
                weight /= 1.0 + f64::from(n).ln();
            }
            match terms.iter_mut().find(|t| t.stem == st) {
                Some(t) => {
                    if weight > t.weight {
                        t.weight = weight;
                        t.class = class;
                    }
                }
                None => terms.push(Term { word: lower.to_string(), stem: st, class, weight, rarity: 1.0 }),
            }
        }
        let quotes = quotes
            .iter()
            .filter_map(|q| statement.get(q.clone()))
            .map(|q| words(q).iter().map(|w| stem(&w.lower)).collect::<Vec<_>>())
            .filter(|q| !q.is_empty())
            .collect();
        Query { terms, numbers: numbers(statement), quotes }
    }

    /// Whether the statement has no content word.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The sum of the terms' masses ([`Term::mass`]).
    pub fn total_weight(&self) -> f64 {
        self.terms.iter().map(Term::mass).sum()
    }
}

/// A candidate passage with what lies around it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Candidate<'a> {
    /// The passage.
    pub text: &'a str,
    /// The texts of the footnotes its markers point to.
    pub footnotes: &'a [&'a str],
    /// The sentence before it, if any.
    pub before: Option<&'a str>,
    /// The sentence after it, if any.
    pub after: Option<&'a str>,
    /// Its first-stage score divided by the best first-stage score (0..=1).
    pub first_stage: f64,
}

/// A candidate's score and the query terms it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The score (higher is better).
    pub score: f64,
    /// The query's terms found in the passage, in query order (the word as the
    /// statement has it, lowercase).
    pub matched: Vec<String>,
    /// The part of the score owed to the statement's quotations found in it.
    pub quoted: f64,
}

/// Scores `c` for `q` (see the module docs for the features and weights).
pub fn rerank(q: &Query, c: &Candidate<'_>) -> Scored {
    if q.total_weight() <= 0.0 {
        return Scored { score: 0.0, matched: Vec::new(), quoted: 0.0 };
    }
    rerank_prepared(q, &Prepared::new(c))
}

/// What [`rerank`] reads of a candidate, read once: a candidate scored for
/// many queries (one place of a quote in many articles) is tokenized once.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The passage's stems, in order.
    stems: Vec<String>,
    /// The same, as a set.
    held: HashSet<String>,
    /// The stems outside square brackets (empty strings inside).
    own: Vec<String>,
    /// The passage's numbers.
    numbers: Vec<String>,
    /// Its first-stage score.
    first_stage: f64,
    /// The stems of each footnote.
    notes: Vec<HashSet<String>>,
    /// The stems of the sentence before and of the one after, those given.
    near: Vec<HashSet<String>>,
}

impl Prepared {
    /// Reads `c`.
    pub fn new(c: &Candidate<'_>) -> Prepared {
        let ws = words(c.text);
        let stems: Vec<String> = ws.iter().map(|w| stem(&w.lower)).collect();
        let held: HashSet<String> = stems.iter().cloned().collect();
        // Words in square brackets are the editor's (a redaction label, an
        // insertion), not the source's: a quotation is not found in them.
        let brackets = bracketed(c.text);
        let own: Vec<String> =
            ws.iter()
                .zip(&stems)
                .map(|(w, s)| {
                    if brackets.iter().any(|r| r.start <= w.start && w.end <= r.end) {
                        String::new()
                    } else {
                        s.clone()
                    }
                })
                .collect();
        let set = |text: &str| -> HashSet<String> { words(text).iter().map(|w| stem(&w.lower)).collect() };
        Prepared {
            stems,
            held,
            own,
            numbers: numbers(c.text),
            first_stage: c.first_stage,
            notes: c.footnotes.iter().map(|f| set(f)).collect(),
            near: [c.before, c.after].iter().flatten().map(|s| set(s)).collect(),
        }
    }
}

/// [`rerank`] of a prepared candidate: the same score.
pub fn rerank_prepared(q: &Query, c: &Prepared) -> Scored {
    Scorer::new(q).score(c)
}

/// A query made ready to score many prepared candidates ([`rerank_prepared`]
/// of each, with what depends only on the query computed once).
#[derive(Debug)]
pub struct Scorer<'q> {
    q: &'q Query,
    /// Each term's stem, to its index.
    want: HashMap<&'q str, usize>,
}

impl<'q> Scorer<'q> {
    /// Readies `q`.
    pub fn new(q: &'q Query) -> Scorer<'q> {
        Scorer { q, want: q.terms.iter().enumerate().map(|(i, t)| (t.stem.as_str(), i)).collect() }
    }

    /// [`rerank_prepared`] of `c`.
    pub fn score(&self, c: &Prepared) -> Scored {
        score_prepared(self.q, &self.want, c)
    }
}

fn score_prepared(q: &Query, want: &HashMap<&str, usize>, c: &Prepared) -> Scored {
    let total = q.total_weight();
    if total <= 0.0 {
        return Scored { score: 0.0, matched: Vec::new(), quoted: 0.0 };
    }
    let mut matched = Vec::new();
    let mut have = 0.0;
    let (mut names, mut names_have) = (0usize, 0usize);
    let mut missing: Vec<&Term> = Vec::new();
    for t in &q.terms {
        let hit = c.held.contains(t.stem.as_str());
        if t.class == TermClass::Name {
            names += 1;
            names_have += usize::from(hit);
        }
        if hit {
            have += t.mass();
            matched.push(t.word.clone());
        } else {
            missing.push(t);
        }
    }
    let coverage = have / total;
    let mut score = 0.8 * c.first_stage.clamp(0.0, 1.0) + 2.0 * coverage;
    if names > 0 {
        score += 0.6 * names_have as f64 / names as f64;
    }
    if !q.numbers.is_empty() {
        let theirs = &c.numbers;
        if theirs.iter().any(|n| q.numbers.contains(n)) {
            score += 0.6;
        } else if !theirs.is_empty() {
            score -= 0.3;
        }
    }
    score += 0.5 * proximity(want, &c.stems);
    let mut quoted = 0.0;
    if !q.quotes.is_empty() {
        let found = q.quotes.iter().filter(|quote| contains_run(&c.own, quote)).count();
        quoted = 1.5 * found as f64 / q.quotes.len() as f64;
        score += quoted;
    }
    if !missing.is_empty() {
        let share = |theirs: &HashSet<String>| -> f64 {
            missing.iter().filter(|t| theirs.contains(&t.stem)).map(|t| t.mass()).sum::<f64>() / total
        };
        let notes = c.notes.iter().map(share).fold(0.0, f64::max);
        let near = c.near.iter().map(share).fold(0.0, f64::max);
        score += 0.4 * notes + 0.25 * near;
    }
    Scored { score, matched, quoted }
}

/// The density of the query's terms in the shortest run of `stems` holding every
/// distinct term found (0 when fewer than two are found); `want` maps each
/// term's stem to its index in the query.
fn proximity(want: &HashMap<&str, usize>, stems: &[String]) -> f64 {
    let hits: Vec<(usize, usize)> =
        stems.iter().enumerate().filter_map(|(pos, s)| want.get(s.as_str()).map(|&t| (pos, t))).collect();
    let mut seen = vec![false; want.values().max().map_or(0, |&m| m + 1)];
    let mut distinct = 0usize;
    for &(_, t) in &hits {
        if !seen[t] {
            seen[t] = true;
            distinct += 1;
        }
    }
    if distinct < 2 {
        return 0.0;
    }
    // Sliding window over the hits for the shortest span holding all distinct terms.
    let mut counts = vec![0usize; seen.len()];
    let mut held = 0usize;
    let (mut lo, mut best) = (0usize, usize::MAX);
    for hi in 0..hits.len() {
        let t = hits[hi].1;
        counts[t] += 1;
        if counts[t] == 1 {
            held += 1;
        }
        while held == distinct {
            best = best.min(hits[hi].0 - hits[lo].0 + 1);
            let t = hits[lo].1;
            counts[t] -= 1;
            if counts[t] == 0 {
                held -= 1;
            }
            lo += 1;
        }
    }
    if best == usize::MAX { 0.0 } else { distinct as f64 / best as f64 }
}

/// The byte ranges of `text` inside square brackets (one level, brackets
/// included).
fn bracketed(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices() {
        match c {
            '[' => open = Some(i),
            ']' => {
                if let Some(o) = open.take() {
                    out.push(o..i + 1);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `run` occurs contiguously in `stems`.
fn contains_run(stems: &[String], run: &[String]) -> bool {
    !run.is_empty() && stems.windows(run.len()).any(|w| w == run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_markers_and_split_like_the_index() {
        let ws: Vec<String> = words("Trump’s aide,[^12] on July 27, 2016.").into_iter().map(|w| w.lower).collect();
        assert_eq!(ws, ["trump", "s", "aide", "on", "july", "27", "2016"]);
        assert_eq!(numbers("paid 30,000 dollars, 2.5% on 7. May"), ["30000", "2.5", "7"]);
    }

    #[test]
    fn token_count_counts_what_words_finds() {
        for t in [
            "",
            "one",
            "Trump’s aide,[^12] on July 27, 2016.",
            "[^3] lead[^4]trail [^x] [^] 5[^6]7 ünïcödé wörds—dashes",
            "   ",
        ] {
            assert_eq!(token_count(t), words(t).len(), "{t:?}");
        }
    }

    #[test]
    fn stems_fold_plurals_and_endings() {
        assert_eq!(stem("emails"), "email");
        assert_eq!(stem("contacts"), stem("contact"));
        assert_eq!(stem("hacked"), "hack");
        assert_eq!(stem("meetings"), stem("meeting"));
        assert_eq!(stem("shared"), stem("shares"));
        assert_eq!(stem("parties"), "party");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("2016"), "2016");
    }

    #[test]
    fn the_query_weighs_names_numbers_dates_and_quotes_up_and_framing_down() {
        let statement = "Officials said Manafort met Kilimnik in August 2016 to discuss a “peace plan” worth 30,000.";
        let open = statement.find('“').unwrap() + '“'.len_utf8();
        let close = statement.find('”').unwrap();
        let article = ArticleWords::new(["Manafort again.", "Manafort.", "Manafort said.", "A plan."]);
        let q = Query::new(statement, std::slice::from_ref(&(open..close)), &article);
        let get = |w: &str| q.terms.iter().find(|t| t.word == w).unwrap_or_else(|| panic!("no term {w}"));
        assert_eq!(get("kilimnik").class, TermClass::Name);
        assert_eq!(get("august").class, TermClass::Date);
        assert_eq!(get("2016").class, TermClass::Date);
        assert_eq!(get("30").class, TermClass::Number);
        assert_eq!(get("peace").class, TermClass::Quoted);
        assert_eq!(get("said").weight, 0.3 / (1.0 + 1f64.ln()));
        // The article keeps naming Manafort: weighed down below Kilimnik.
        assert!(get("manafort").weight < get("kilimnik").weight);
        assert!(get("discuss").weight < get("kilimnik").weight);
        assert!(q.terms.iter().all(|t| t.word != "to" && t.word != "in"));
        assert_eq!(q.numbers, ["2016", "30000"]);
        assert_eq!(q.quotes, vec![vec![stem("peace"), stem("plan")]]);
        // The word opening the sentence is not taken for a name.
        assert_eq!(get("officials").class, TermClass::Word);
    }

    #[test]
    fn a_statement_without_content_words_makes_no_query() {
        let q = Query::new("And then it was so.", &[], &ArticleWords::default());
        assert!(q.is_empty());
        let s = rerank(&q, &Candidate { text: "And then it was so.", ..Candidate::default() });
        assert_eq!(s.score, 0.0);
        assert!(s.matched.is_empty());
    }

    #[test]
    fn reranking_prefers_agreeing_numbers_quotes_and_close_words() {
        let a = ArticleWords::default();
        let statement = "Manafort shared polling data with Kilimnik in August 2016, a “peace plan” memo said.";
        let open = statement.find('“').unwrap() + '“'.len_utf8();
        let close = statement.find('”').unwrap();
        let q = Query::new(statement, std::slice::from_ref(&(open..close)), &a);
        let score = |text: &str| rerank(&q, &Candidate { text, first_stage: 0.5, ..Candidate::default() });
        let right = score("In August 2016 Manafort shared internal polling data with Kilimnik.");
        let wrong_year = score("In August 2018 Manafort shared internal polling data with Kilimnik.");
        let spread =
            score("Manafort met many people. Years later, in a data room, a man named Kilimnik shared a polling memo.");
        assert!(right.score > wrong_year.score, "{right:?} {wrong_year:?}");
        assert!(right.score > spread.score);
        assert_eq!(right.matched, ["manafort", "shared", "polling", "data", "kilimnik", "august", "2016"]);
        let quoted = score("Kilimnik called it a “peace plan” for Ukraine.");
        let unquoted = score("Kilimnik called it a plan for peace in Ukraine.");
        assert!(quoted.score > unquoted.score);
        // A footnote holding the missing words helps.
        let bare = rerank(&q, &Candidate { text: "Manafort shared polling data.", ..Candidate::default() });
        let notes = ["Kilimnik interview, August 2016."];
        let noted =
            rerank(&q, &Candidate { text: "Manafort shared polling data.", footnotes: &notes, ..Candidate::default() });
        assert!(noted.score > bare.score);
        // Deterministic.
        assert_eq!(score("Manafort shared polling data."), score("Manafort shared polling data."));
    }
}
