//! Finding the evidence: ranked suggestions of source passages for the
//! statements of an article.
//!
//! # Design
//!
//! A suggestion is never a citation: nothing here writes, and nothing in the
//! audit, coverage or exports reads suggestions. They are a fact-checker's
//! starting points, each with its score and the terms that matched.
//!
//! **The index** (schema V8, `storage::search`) holds every source revision's
//! sentences and footnote texts; it is written with the revision, in its
//! transaction.
//!
//! **First stage.** The statement's weighted query ([`crate::text::rank::Query`]:
//! names, numbers, dates and quoted words up, stop words and the article's own
//! framing down) is run term by term against each source revision's range of
//! the index: a BM25 score with the query weights, the index's passage counts
//! and word counts (`k1 = 1.2`, `b = 0.75`; the index keeps no positions, so a
//! term counts once per passage). Windows of two adjacent sentences (no page
//! break between them) are scored too, from their sentences' postings (a
//! window holds a word when either sentence does; its length is theirs
//! together, normalized against twice the average), for the sentences among
//! the best `3 * POOL` raw sums: a
//! statement whose words a source spreads over two sentences is still found.
//! The best [`POOL`] passages and windows go on; a window stands for its two
//! sentences.
//!
//! **Reranking** ([`crate::text::rank::rerank`]) scores each candidate sentence
//! or footnote on its text, its footnotes and its neighbouring sentences.
//! Candidates are ordered by score, then by source and position
//! (deterministic), and a candidate overlapping a better one is dropped.
//!
//! **Which sources.** By default the latest revision of every document that is
//! not an article (and not the statement's own document); [`SuggestOptions::sources`]
//! names documents instead (an article named there must have been indexed with
//! [`Ledger::index_revision`]).

use crate::storage::search::{self, IndexedRevision};
use crate::storage::{self, documents};
use crate::text::passages::SearchKind;
use crate::text::quotes::quotations;
use crate::text::rank::{ArticleWords, Candidate, Prepared, Query, Scorer, rerank};
use crate::{
    CharIndex, Claim, ClaimId, Document, DocumentId, DocumentKind, Entity, Error, Ledger, Pages, Result, Revision,
    RevisionId, Span,
};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// A hasher for passage IDs: one multiplication (Fibonacci hashing) instead of
/// SipHash, as the first stage hashes every posting of every query term (the
/// keys are row IDs of the ledger, not input an attacker chooses per query).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_i64(&mut self, v: i64) {
        self.0 = (self.0 ^ v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by passage or revision row IDs.
type IdMap<V> = HashMap<i64, V, BuildHasherDefault<IdHasher>>;

/// How many first-stage passages are reranked.
pub const POOL: usize = 400;

/// How many of a query's terms the first stage tracks one by one, to score a
/// window of two sentences from theirs (terms past these add to a sentence's
/// score but not to a window's).
const MASK_TERMS: usize = 128;

/// How much of the mass of terms that earlier suggestions already hold is
/// taken off a candidate's score (times the share of the query's mass).
const REDUNDANCY: f64 = 3.0;

/// BM25 parameters of the first stage.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// What to suggest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestOptions {
    /// Suggestions per statement (default 5).
    pub top: usize,
    /// The documents to search (their latest revisions); `None` for every
    /// document that is not an article.
    pub sources: Option<Vec<DocumentId>>,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions { top: 5, sources: None }
    }
}

/// A suggested passage of a source for a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The source document.
    pub document: DocumentId,
    /// Its title.
    pub title: String,
    /// The span of the source revision (UTF-8 bytes).
    pub span: Span,
    /// The span in code points.
    pub chars: (usize, usize),
    /// The page it starts on, for paged sources.
    pub page: Option<u32>,
    /// A sentence or a footnote's text.
    pub kind: SearchKind,
    /// The footnote number, for a footnote.
    pub note: Option<u32>,
    /// Its score (higher is better; comparable within one statement).
    pub score: f64,
    /// The statement's terms found in it, in the statement's order.
    pub matched: Vec<String>,
    /// Its text.
    pub text: String,
}

/// A statement with its suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementSuggestions {
    /// The claim.
    pub claim: Claim,
    /// The statement's text.
    pub text: String,
    /// The statement's span in code points.
    pub chars: (usize, usize),
    /// Ranked suggestions (empty when the statement has no content word).
    pub suggestions: Vec<Suggestion>,
}

/// Which statements of a revision [`Ledger::suggest_revision`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Statements {
    /// The statements that need a source and cite none.
    #[default]
    Uncited,
    /// Every statement that is not exempt.
    NotExempt,
}

mod draft;

/// One source revision being searched.
struct Source {
    document: Document,
    revision: Revision,
    range: IndexedRevision,
    chars: CharIndex,
    pages: Pages,
}

/// The state of one search over a set of sources: the sources, the article's
/// word use, and the rows read so far.
struct Searcher<'l> {
    ledger: &'l Ledger,
    sources: Vec<Source>,
    by_row: IdMap<usize>,
    article: ArticleWords,
    rows: IdMap<search::Row>,
    postings: HashMap<(String, i64), Arc<Vec<i64>>>,
}

impl Ledger {
    /// Indexes a revision for [`Ledger::suggest`] when it is not indexed yet (a
    /// source's revisions are indexed when written; an article's only when asked
    /// for as a source). Returns whether it indexed it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown revision.
    pub fn index_revision(&mut self, revision: RevisionId) -> Result<bool> {
        let row = storage::row_id(self.conn(), Entity::Revision, &revision)?;
        if search::indexed(self.conn(), row)?.is_some() {
            return Ok(false);
        }
        let (_, _, text) = documents::revision_text(self.conn(), revision)?;
        // The index is this event's only effect: it records the index rows
        // (`verify` then checks them), since the hook notes none of them.
        self.write_event(crate::EventKind::Index, None, |w| {
            let done = search::index_revision(w.tx(), row, &text)?;
            w.note_index_rows("search_revisions", [done.revision]);
            w.note_index_rows("search_passages", done.first..=done.last);
            Ok(())
        })?;
        Ok(true)
    }

    /// Suggests source passages for one statement (a claim), best first.
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::suggest::SuggestOptions;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Port review"))?;
    /// ledger.add_revision(src.id, NewRevision::new(
    ///     "The harbour board met twice. Fees at the Northgate terminal rose 12% in 2021. Crews left."))?;
    /// let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "News"), "Northgate fees went up 12%.")?;
    /// let found = ledger.suggest(art.claims[0].id, &SuggestOptions::default())?;
    /// assert_eq!(found[0].text, "Fees at the Northgate terminal rose 12% in 2021.");
    /// assert!(found[0].matched.contains(&"northgate".to_string()));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown claim or source; [`Error::InvalidInput`]
    /// when the ledger holds no source to search, or a source named is not
    /// indexed.
    pub fn suggest(&self, claim: ClaimId, options: &SuggestOptions) -> Result<Vec<Suggestion>> {
        let claim = self.claim(claim)?.ok_or_else(|| Error::not_found(Entity::Claim, claim))?;
        let rev = self
            .revision(claim.span.revision)?
            .ok_or_else(|| Error::not_found(Entity::Revision, claim.span.revision))?;
        let mut s = Searcher::for_revision(self, &rev, options)?;
        s.suggest(rev.text.get(claim.span.start..claim.span.end).unwrap_or_default(), options.top)
    }

    /// Suggests source passages for the statements of an article revision:
    /// the uncited ones or every one that is not exempt.
    ///
    /// # Errors
    ///
    /// As [`Ledger::suggest`]; [`Error::NotFound`] for an unknown revision.
    pub fn suggest_revision(
        &self,
        revision: RevisionId,
        which: Statements,
        options: &SuggestOptions,
    ) -> Result<Vec<StatementSuggestions>> {
        let rev = self.revision(revision)?.ok_or_else(|| Error::not_found(Entity::Revision, revision))?;
        let claims = match which {
            Statements::Uncited => self.uncited_claims(revision)?,
            Statements::NotExempt => self.claims(revision)?.into_iter().filter(|c| c.exemption.is_none()).collect(),
        };
        self.suggest_claims(&rev, claims, options)
    }

    /// Suggests source passages for the claims of `rev` given, in their order.
    pub(crate) fn suggest_claims(
        &self,
        rev: &Revision,
        claims: Vec<Claim>,
        options: &SuggestOptions,
    ) -> Result<Vec<StatementSuggestions>> {
        let mut s = Searcher::for_revision(self, rev, options)?;
        let index = CharIndex::shared(rev.text.clone());
        let mut out = Vec::with_capacity(claims.len());
        for claim in claims {
            let suggestions =
                s.suggest(rev.text.get(claim.span.start..claim.span.end).unwrap_or_default(), options.top)?;
            let text = rev.text.get(claim.span.start..claim.span.end).unwrap_or_default().to_string();
            let chars = index.range_to_chars(claim.span.start, claim.span.end)?;
            out.push(StatementSuggestions { claim, text, chars, suggestions });
        }
        Ok(out)
    }
}

impl<'l> Searcher<'l> {
    /// Prepares a search for statements of `article` over the sources `options`
    /// names (or every source).
    fn for_revision(ledger: &'l Ledger, article: &Revision, options: &SuggestOptions) -> Result<Searcher<'l>> {
        let claims = ledger.claims(article.id)?;
        let statements =
            claims.iter().filter(|c| c.exemption.is_none()).filter_map(|c| article.text.get(c.span.start..c.span.end));
        Searcher::new(ledger, Some(article.document), statements, options)
    }

    /// Prepares a search for statements of an article (`own`, left out of the
    /// sources) whose statements are `statements`, over the sources `options`
    /// names (or every source).
    fn new<'a>(
        ledger: &'l Ledger,
        own: Option<DocumentId>,
        statements: impl IntoIterator<Item = &'a str>,
        options: &SuggestOptions,
    ) -> Result<Searcher<'l>> {
        let docs: Vec<Document> = match &options.sources {
            Some(ids) => ids
                .iter()
                .map(|id| ledger.document(*id)?.ok_or_else(|| Error::not_found(Entity::Document, id)))
                .collect::<Result<_>>()?,
            None => ledger
                .documents()?
                .into_iter()
                .filter(|d| d.kind != DocumentKind::Article && Some(d.id) != own)
                .collect(),
        };
        let mut sources = Vec::new();
        let conn = ledger.conn();
        for document in docs {
            let Some(revision) = ledger.latest_revision(document.id)? else { continue };
            let row = storage::row_id(conn, Entity::Revision, &revision.id)?;
            let range = search::indexed(conn, row)?.ok_or_else(|| {
                Error::invalid(
                    "sources",
                    format!(
                        "{:?} (revision {}) is not indexed; an article's revision is indexed for suggestions by Ledger::index_revision",
                        document.title, revision.seq
                    ),
                )
            })?;
            let chars = CharIndex::shared(revision.text.clone());
            let pages = revision.pages();
            sources.push(Source { document, revision, range, chars, pages });
        }
        if sources.is_empty() {
            return Err(Error::invalid(
                "sources",
                "the ledger holds no source to search (add one with `add-source` or Ledger::import_source)",
            ));
        }
        let by_row = sources.iter().enumerate().map(|(i, s)| (s.range.revision, i)).collect();
        let article_words = ArticleWords::new(statements);
        Ok(Searcher {
            ledger,
            sources,
            by_row,
            article: article_words,
            rows: IdMap::default(),
            postings: HashMap::new(),
        })
    }

    fn row(&mut self, id: i64) -> Result<Option<search::Row>> {
        if let Some(r) = self.rows.get(&id) {
            return Ok(Some(*r));
        }
        let r = search::passage(self.ledger.conn(), id)?;
        if let Some(r) = r {
            self.rows.insert(id, r);
        }
        Ok(r)
    }

    /// The sentence of source `si` starting at byte `start` (binary search over
    /// the revision's sentence IDs, which come first and ascend by position).
    fn sentence_at(&mut self, si: usize, start: usize) -> Result<Option<search::Row>> {
        let range = self.sources[si].range;
        let (mut lo, mut hi) = (range.first, range.last + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let before = self.row(mid)?.is_some_and(|r| r.kind == SearchKind::Sentence && r.start < start);
            if before {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(self.row(lo)?.filter(|r| r.kind == SearchKind::Sentence && r.start == start))
    }

    fn sentence_text(&mut self, si: usize, id: i64) -> Result<Option<String>> {
        let range = self.sources[si].range;
        if id < range.first || id > range.last {
            return Ok(None);
        }
        Ok(self
            .row(id)?
            .filter(|r| r.kind == SearchKind::Sentence)
            .and_then(|r| self.sources[si].revision.text.get(r.start..r.end).map(str::to_string)))
    }

    fn postings(&mut self, word: &str, si: usize) -> Result<Arc<Vec<i64>>> {
        let key = (word.to_string(), self.sources[si].range.revision);
        if let Some(p) = self.postings.get(&key) {
            return Ok(p.clone());
        }
        let p = Arc::new(search::postings(self.ledger.conn(), word, &self.sources[si].range)?);
        if self.postings.len() > 4096 {
            self.postings.clear();
        }
        self.postings.insert(key, p.clone());
        Ok(p)
    }

    /// The suggestions for the statement `article.text[start..end]`.
    fn suggest(&mut self, statement: &str, top: usize) -> Result<Vec<Suggestion>> {
        let quotes: Vec<std::ops::Range<usize>> = quotations(statement)?
            .into_iter()
            .filter(|q| q.depth == 0 && q.unbalanced.is_none())
            .map(|q| q.range())
            .collect();
        let mut query = Query::new(statement, &quotes, &self.article);
        if query.is_empty() || top == 0 {
            return Ok(Vec::new());
        }

        // First stage: weighted BM25 per source revision, over sentences,
        // footnotes and windows of two adjacent sentences (scored from their
        // sentences' postings: a window holds what either sentence holds).
        // An entry is (score, passage, the window's second sentence).
        let mut first: Vec<(f64, i64, Option<i64>)> = Vec::new();
        query.terms.iter_mut().for_each(|t| t.rarity = 0.0);
        for si in 0..self.sources.len() {
            let range = self.sources[si].range;
            let n = range.passages.max(1) as f64;
            let avg = (range.tokens as f64 / n).max(1.0);
            // Per passage: the sum of its terms' weights and which terms (the
            // first MASK_TERMS of the query).
            let mut acc: IdMap<(f64, u128)> = IdMap::default();
            let mut gain: Vec<f64> = vec![0.0; query.terms.len()];
            for (k, t) in query.terms.iter_mut().enumerate() {
                let ids = self.postings(&t.word, si)?;
                if ids.is_empty() {
                    continue;
                }
                let df = ids.len() as f64;
                let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                // The rarity the reranking weighs shares by: the term's rarest
                // standing in any source searched.
                t.rarity = t.rarity.max(idf);
                gain[k] = t.weight * idf;
                let bit = if k < MASK_TERMS { 1u128 << k } else { 0 };
                acc.reserve(ids.len().saturating_sub(acc.len()));
                for &id in ids.iter() {
                    let e = acc.entry(id).or_default();
                    e.0 += gain[k];
                    e.1 |= bit;
                }
            }
            // Length normalization on the best raw sums only.
            // A passage's length against the average of its kind: a window
            // (two sentences) against twice the average.
            let norm = |len: u32, avg: f64| (K1 + 1.0) / (1.0 + K1 * (1.0 - B + B * f64::from(len.max(1)) / avg));
            // The best POOL * 3 by (score, ID): selected, then sorted (the
            // order is total, IDs being unique, so this is the full sort cut).
            let mut raw: Vec<(f64, i64)> = acc.iter().map(|(&id, &(s, _))| (s, id)).collect();
            let order = |a: &(f64, i64), b: &(f64, i64)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
            if raw.len() > POOL * 3 {
                raw.select_nth_unstable_by(POOL * 3, order);
                raw.truncate(POOL * 3);
            }
            raw.sort_by(order);
            let mut windows: HashSet<i64, BuildHasherDefault<IdHasher>> = HashSet::default();
            for (s, id) in raw {
                let Some(r) = self.row(id)? else { continue };
                first.push((s * norm(r.tokens, avg), id, None));
                if r.kind != SearchKind::Sentence {
                    continue;
                }
                for (a, b) in [(id - 1, id), (id, id + 1)] {
                    if a < range.first || b > range.last || !windows.insert(a) {
                        continue;
                    }
                    let (Some(ra), Some(rb)) = (self.row(a)?, self.row(b)?) else { continue };
                    let text = &self.sources[si].revision.text;
                    if ra.kind != SearchKind::Sentence
                        || rb.kind != SearchKind::Sentence
                        || text.get(ra.end..rb.start).is_none_or(|gap| gap.contains('\u{c}'))
                    {
                        continue;
                    }
                    let mask = acc.get(&a).map_or(0, |e| e.1) | acc.get(&b).map_or(0, |e| e.1);
                    let union: f64 =
                        (0..gain.len().min(MASK_TERMS)).filter(|k| mask & (1 << k) != 0).map(|k| gain[k]).sum();
                    first.push((union * norm(ra.tokens.saturating_add(rb.tokens), 2.0 * avg), a, Some(b)));
                }
            }
        }
        // A term no source holds keeps rarity 0: it cannot be matched, so it
        // takes no share of the query.
        first.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        first.truncate(POOL);
        let best = first.first().map(|f| f.0).unwrap_or(0.0);
        if best <= 0.0 {
            return Ok(Vec::new());
        }

        // Candidates: sentences and footnotes, windows standing for their
        // sentences (so does a window row, which only a crafted file could
        // still hold since V15).
        let mut cands: IdMap<f64> = IdMap::default();
        for &(s, id, second) in &first {
            let ids: Vec<i64> = match second {
                Some(b) => vec![id, b],
                None => {
                    let Some(r) = self.row(id)? else { continue };
                    let Some(&si) = self.by_row.get(&r.revision) else { continue };
                    match r.kind {
                        SearchKind::Window => {
                            let mut v = Vec::new();
                            if let Some(a) = self.sentence_at(si, r.start)? {
                                v.push(a.id);
                                v.push(a.id + 1);
                            }
                            v
                        }
                        _ => vec![id],
                    }
                }
            };
            for c in ids {
                let e = cands.entry(c).or_insert(0.0);
                *e = e.max(s / best);
            }
        }

        let mut scored: Vec<(f64, usize, search::Row, Vec<String>, f64)> = Vec::new();
        // The query readied once for all candidates: `rerank` of each, the same scores.
        let scorer = Scorer::new(&query);
        let weighed = query.total_weight() > 0.0;
        for (id, fs) in cands {
            let Some(r) = self.row(id)? else { continue };
            if r.kind == SearchKind::Window {
                continue;
            }
            let Some(&si) = self.by_row.get(&r.revision) else { continue };
            let text = self.sources[si].revision.text.clone();
            let Some(body) = text.get(r.start..r.end) else { continue };
            let mut notes: Vec<String> = Vec::new();
            let (mut before, mut after) = (None, None);
            if r.kind == SearchKind::Sentence {
                for m in crate::text::footnotes::footnotes(body).markers {
                    if let Some(f) = search::footnote(self.ledger.conn(), r.revision, m.number)?
                        && let Some(t) = text.get(f.start..f.end)
                    {
                        notes.push(t.to_string());
                    }
                }
                before = self.sentence_text(si, id - 1)?;
                after = self.sentence_text(si, id + 1)?;
            }
            let note_refs: Vec<&str> = notes.iter().map(String::as_str).collect();
            let c = Candidate {
                text: body,
                footnotes: &note_refs,
                before: before.as_deref(),
                after: after.as_deref(),
                first_stage: fs,
            };
            let s = if weighed { scorer.score(&Prepared::new(&c)) } else { rerank(&query, &c) };
            if s.matched.is_empty() {
                continue;
            }
            scored.push((s.score, si, r, s.matched, s.quoted));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.start.cmp(&b.2.start)));

        // Greedy selection: each next pick is the best once the mass of the
        // terms the picks so far already hold is discounted (a statement
        // making several points gets a passage for each), overlapping
        // passages dropped.
        let total = query.total_weight().max(f64::MIN_POSITIVE);
        let mass: HashMap<&str, f64> = query.terms.iter().map(|t| (t.word.as_str(), t.mass())).collect();
        let mut covered: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut quotes_found = false;
        let mut out: Vec<Suggestion> = Vec::new();
        let mut taken: Vec<(usize, usize, usize)> = Vec::new();
        let mut pool = scored;
        pool.truncate(POOL);
        while out.len() < top {
            let adjusted = |(score, _, _, matched, quoted): &(f64, usize, search::Row, Vec<String>, f64)| {
                let seen: f64 = matched
                    .iter()
                    .filter(|m| covered.contains(*m))
                    .map(|m| mass.get(m.as_str()).copied().unwrap_or(0.0))
                    .sum();
                // A quotation an earlier pick holds adds nothing new.
                score - REDUNDANCY * seen / total - if quotes_found { *quoted } else { 0.0 }
            };
            let mut best: Option<(usize, f64)> = None;
            for (i, c) in pool.iter().enumerate() {
                if taken.iter().any(|&(s, a, b)| s == c.1 && c.2.start < b && a < c.2.end) {
                    continue;
                }
                let a = adjusted(c);
                if best.is_none_or(|(_, b)| a > b) {
                    best = Some((i, a));
                }
            }
            let Some((i, _)) = best else { break };
            let (score, si, r, matched, quoted) = pool.remove(i);
            covered.extend(matched.iter().cloned());
            quotes_found |= quoted > 0.0;
            taken.push((si, r.start, r.end));
            let src = &self.sources[si];
            let chars = src.chars.range_to_chars(r.start, r.end)?;
            out.push(Suggestion {
                document: src.document.id,
                title: src.document.title.clone(),
                span: Span::new(src.revision.id, r.start, r.end),
                chars,
                page: src.pages.is_paged().then(|| src.pages.page_of(r.start)),
                kind: r.kind,
                note: r.note,
                score: (score * 1000.0).round() / 1000.0,
                matched,
                text: src.revision.text.get(r.start..r.end).unwrap_or_default().to_string(),
            });
        }
        Ok(out)
    }
}

/// The JSON of suggestions for statements, as the CLI prints it:
/// `{"statements": [{"claim", "start", "end", "text", "suggestions": [{"source",
/// "document", "revision", "start", "end", "page", "score", "matched",
/// "text"}]}]}`, offsets in code points (a suggestion's into its source
/// revision), `source` the source's title.
pub fn to_json(statements: &[StatementSuggestions]) -> serde_json::Value {
    use serde_json::json;
    let list: Vec<serde_json::Value> = statements
        .iter()
        .map(|s| {
            json!({
                "claim": s.claim.id.to_string(),
                "start": s.chars.0,
                "end": s.chars.1,
                "text": s.text,
                "suggestions": s.suggestions.iter().map(|g| json!({
                    "source": g.title,
                    "document": g.document.to_string(),
                    "revision": g.span.revision.to_string(),
                    "start": g.chars.0,
                    "end": g.chars.1,
                    "page": g.page,
                    "kind": g.kind.code(),
                    "footnote": g.note,
                    "score": g.score,
                    "matched": g.matched,
                    "text": g.text,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "statements": list })
}

/// The suggestions as readable text: each statement, then its suggestions
/// ranked, with score, source, page, code-point span and matched terms.
pub fn to_text(statements: &[StatementSuggestions]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for s in statements {
        let _ = writeln!(out, "{} [{}..{}]", s.text, s.chars.0, s.chars.1);
        if s.suggestions.is_empty() {
            let _ = writeln!(out, "  (no suggestion)");
        }
        for (i, g) in s.suggestions.iter().enumerate() {
            let page = g.page.map(|p| format!(", p. {p}")).unwrap_or_default();
            let note = g.note.map(|n| format!(", footnote {n}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}. {:.3}  {}{page}{note} [{}..{}]\n     {}\n     matched: {}",
                i + 1,
                g.score,
                g.title,
                g.chars.0,
                g.chars.1,
                g.text,
                g.matched.join(", ")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewDocument, NewRevision};

    fn ledger_with_source(text: &str) -> Ledger {
        let mut l = Ledger::open_in_memory().unwrap();
        let d = l.add_document(NewDocument::new(DocumentKind::Report, "Report")).unwrap();
        l.add_revision(d.id, NewRevision::new(text)).unwrap();
        l
    }

    #[test]
    fn a_window_finds_words_spread_over_two_sentences_and_suggests_sentences() {
        let mut l = ledger_with_source(
            "Unrelated opening words. Kowalski met the envoy in Vilnius. They discussed the pipeline permit. Other matters followed.",
        );
        let art = l
            .add_article(
                NewDocument::new(DocumentKind::Article, "A"),
                "Kowalski discussed the pipeline permit in Vilnius.",
            )
            .unwrap();
        let found = l.suggest(art.claims[0].id, &SuggestOptions::default()).unwrap();
        let texts: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
        assert!(texts.contains(&"They discussed the pipeline permit."), "{texts:?}");
        assert!(texts.contains(&"Kowalski met the envoy in Vilnius."), "{texts:?}");
        assert!(found.iter().all(|s| s.kind == SearchKind::Sentence));
        // Scores descend; spans do not overlap.
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn footnotes_are_suggested_and_help_their_sentence() {
        let l0 = "The board approved the contract.[^1] Weather was mild.\n\n[^1]: Minutes of the Tarrow board, 14 March 2019.\n";
        let mut l = ledger_with_source(l0);
        let art = l
            .add_article(NewDocument::new(DocumentKind::Article, "A"), "The Tarrow board approved it in March 2019.")
            .unwrap();
        let found = l.suggest(art.claims[0].id, &SuggestOptions::default()).unwrap();
        assert_eq!(found[0].kind, SearchKind::Footnote, "{found:?}");
        assert_eq!(found[0].note, Some(1));
        assert_eq!(found[1].text, "The board approved the contract.[^1]");
    }

    #[test]
    fn no_source_is_a_clear_error_and_no_content_words_no_suggestion() {
        let mut l = Ledger::open_in_memory().unwrap();
        let art = l.add_article(NewDocument::new(DocumentKind::Article, "A"), "And so it was. Fees rose.").unwrap();
        let e = l.suggest(art.claims[1].id, &SuggestOptions::default()).unwrap_err();
        assert!(matches!(e, Error::InvalidInput { ref field, .. } if field == "sources"), "{e}");
        let d = l.add_document(NewDocument::new(DocumentKind::Report, "R")).unwrap();
        l.add_revision(d.id, NewRevision::new("And so it was. Fees rose.")).unwrap();
        assert!(l.suggest(art.claims[0].id, &SuggestOptions::default()).unwrap().is_empty());
        assert_eq!(l.suggest(art.claims[1].id, &SuggestOptions::default()).unwrap().len(), 1);
    }

    #[test]
    fn an_article_named_as_a_source_must_be_indexed_first() {
        let mut l = Ledger::open_in_memory().unwrap();
        let other = l.add_article(NewDocument::new(DocumentKind::Article, "Earlier"), "Fees rose in Tarrow.").unwrap();
        let art = l.add_article(NewDocument::new(DocumentKind::Article, "Later"), "Tarrow fees rose.").unwrap();
        let opts = SuggestOptions { top: 3, sources: Some(vec![other.document.id]) };
        let e = l.suggest(art.claims[0].id, &opts).unwrap_err();
        assert!(e.to_string().contains("not indexed"), "{e}");
        assert!(l.index_revision(other.revision.id).unwrap());
        assert!(!l.index_revision(other.revision.id).unwrap());
        assert_eq!(l.suggest(art.claims[0].id, &opts).unwrap()[0].text, "Fees rose in Tarrow.");
    }
}
