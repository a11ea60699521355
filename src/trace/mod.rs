//! Tracing an article: import a [`TraceFile`] into the ledger.
//!
//! # Design
//!
//! A trace is editorial work recorded by a person; the importer's job is to make
//! it mechanical and safe:
//!
//! - every statement of the article becomes a claim (idempotently: claims already
//!   on the same spans are reused), so nothing can be left out by omission;
//! - statements and passages are found by short quotes, through the same
//!   two-tier selector matching (exact, then normalized), and each must match
//!   exactly one place: no match or several matches is an [`Error::Trace`] naming
//!   the statement and the selector, never a guess;
//! - a statement right only in part is divided into parts (`[[claim.part]]`,
//!   each a short quote that must occur once inside the statement), each with
//!   its own citations linked to it; a part citing exactly what the whole
//!   statement cites is an error (cite it once, for one or the other);
//! - a passage is the whole source sentence(s) around the selector (or the whole
//!   footnote with `footnote = N`), so the audit sees redaction labels next to
//!   the words the fact-checker typed;
//! - the quotations inside each statement are anchored into the passages the
//!   statement cites first (a quote of one word is then unambiguous), then into
//!   the cited sources as a whole, and verified; each is stored with its
//!   speaker: the trace's `speaker` when it names one, else the speaker the
//!   article gives (`text::attribution`), else none;
//! - everything runs in one transaction: an error leaves the ledger as it was, and
//!   importing the same file again changes nothing.

mod file;

pub use file::{
    ArticleMeta, CiteEntry, ClaimEntry, ExemptEntry, FORMAT, MAX_TRACE_FILE, PartEntry, QuoteEntry, SourceRef,
    TraceFile,
};

use crate::quotecheck::{self, PreparedSource};
use crate::storage::claims;
use crate::text::places::QuoteInSentence;
use crate::text::rank::ArticleWords;
use crate::text::{attribution, quotes, segment, selector};
use crate::{
    CitationId, Claim, ClaimKind, Document, DocumentKind, Error, Exemption, Ledger, NewCitation, NewClaim,
    NewClaimPart, NewDocument, NewPassage, NewQuotation, NewRevision, QuoteLocation, QuoteStatus, Redaction, Relation,
    Result, Revision, RevisionId, Span, Writer,
};
use std::collections::HashMap;
use std::ops::Range;

/// What [`Ledger::import_trace`] did.
#[derive(Debug, Clone)]
pub struct TraceOutcome {
    /// The article document.
    pub article: Document,
    /// The article revision traced.
    pub revision: Revision,
    /// Statements (claims) of the revision.
    pub statements: usize,
    /// Statements marked exempt.
    pub exempt: usize,
    /// Citations the trace names (new or already present).
    pub citations: usize,
    /// Claim parts the trace names (new or already present).
    pub parts: usize,
    /// Quotations checked.
    pub quotations: usize,
}

/// An article added with its statements as claims.
#[derive(Debug, Clone)]
pub struct AddedArticle {
    /// The document.
    pub document: Document,
    /// The revision.
    pub revision: Revision,
    /// Its claims, one per statement, in text order.
    pub claims: Vec<Claim>,
}

impl Ledger {
    /// Adds an article: its document (reused when one with the same title and
    /// kind exists), a revision of `text`, and a claim for every statement
    /// (headings and other one-line paragraphs as [`ClaimKind::Heading`]).
    /// Idempotent: the same text adds nothing the second time.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let a = ledger.add_article(
    ///     NewDocument::new(DocumentKind::Article, "Budget"),
    ///     "Budget passes\n\nSen. J. Smith (R-IA) voted yes. The bill “cuts waste,” he said.",
    /// )?;
    /// let texts: Vec<String> = a.claims.iter().map(|c| ledger.text(&c.span)).collect::<Result<_>>()?;
    /// assert_eq!(texts, ["Budget passes", "Sen. J. Smith (R-IA) voted yes.", "The bill “cuts waste,” he said."]);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Writer::add_revision`] and [`Writer::add_claim`].
    pub fn add_article(&mut self, document: NewDocument, text: &str) -> Result<AddedArticle> {
        let existing = self.documents_titled(&document.title)?.into_iter().find(|d| d.kind == document.kind);
        self.write_event(crate::EventKind::AddArticle, None, |w| {
            let document = match existing {
                Some(d) => d,
                None => w.add_document(&document)?,
            };
            let revision = w.add_revision(document.id, &NewRevision::new(text))?;
            let claims = ensure_claims(w, &revision)?;
            Ok(AddedArticle { document, revision, claims })
        })
    }

    /// Adds the article `text` (see [`Ledger::add_article`]) and imports its trace:
    /// exemptions, passages, citations and verified quotations, in one transaction.
    /// The trace's sources must be in the ledger already (by title).
    ///
    /// # Errors
    ///
    /// [`Error::Trace`] naming the statement and selector for a statement quote or
    /// a passage selector that matches nothing or more than one place, an unknown
    /// source, or a quote entry that names no quotation of its statement. Nothing
    /// is written on error.
    pub fn import_trace(&mut self, text: &str, trace: &TraceFile) -> Result<TraceOutcome> {
        let title = trace
            .article
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Error::trace(None, "the trace needs [article] title"))?;
        let mut doc = NewDocument::new(DocumentKind::Article, title);
        doc.publisher = trace.article.publisher.clone();
        doc.identifier = trace.article.url.clone();
        doc.creators = trace.article.creators.clone();
        doc.published = trace
            .article
            .published
            .as_deref()
            .map(|d| time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")))
            .transpose()
            .map_err(|e| Error::trace(None, format!("[article] published: {e}")))?;
        let existing = self.documents_titled(&doc.title)?.into_iter().find(|d| d.kind == DocumentKind::Article);

        // Resolve the sources before writing anything.
        let mut sources: Vec<Source> = Vec::new();
        let mut by_key: HashMap<&str, usize> = HashMap::new();
        for s in &trace.sources {
            let docs = self.documents_titled(&s.title)?;
            let d = match docs.as_slice() {
                [d] => d,
                [] => {
                    return Err(Error::trace(
                        None,
                        format!("unknown source {:?}: no document titled {:?} in the ledger", s.key, s.title),
                    ));
                }
                _ => {
                    return Err(Error::trace(
                        None,
                        format!("source {:?}: {} documents are titled {:?}", s.key, docs.len(), s.title),
                    ));
                }
            };
            let rev = self
                .latest_revision(d.id)?
                .ok_or_else(|| Error::trace(None, format!("source {:?} has no text", s.key)))?;
            let redactions = self.redactions(rev.id)?;
            by_key.insert(s.key.as_str(), sources.len());
            sources.push(Source::new(s.key.clone(), rev, redactions));
        }
        let prepared: Vec<&PreparedSource> = sources.iter().map(|s| &s.prepared).collect();
        let revisions: Vec<RevisionId> = sources.iter().map(|s| s.rev.id).collect();
        let views: Vec<crate::text::anchor::SourceText<'_>> = prepared.iter().map(|p| p.source_text()).collect();

        let analysis = quotes::analyze(text)?;
        let continuations = quotecheck::Continuations::of(&analysis);
        // To whom the article attributes each quotation: the speaker stored when
        // the trace names none.
        let attributions = attribution::attributions(text, &analysis);
        let article_quotes = analysis.quotations;
        self.write_event(crate::EventKind::Trace, None, |w| {
            let document = match existing {
                Some(d) => d,
                None => w.add_document(&doc)?,
            };
            let revision = w.add_revision(document.id, &NewRevision::new(text))?;
            let claims = ensure_claims(w, &revision)?;
            let spans: Vec<Range<usize>> = claims.iter().map(|c| c.span.start..c.span.end).collect();
            let article_words = ArticleWords::new(spans.iter().map(|s| &text[s.clone()]));
            let norm = quotecheck::normalize_for_selectors(text, &[]);
            let find = |quote: &str| find_statement(text, &norm, &spans, quote);

            let mut exempt = 0;
            for e in &trace.exempt {
                let first = find(&e.statement)?;
                let last = match &e.through {
                    Some(t) => find(t)?,
                    None => first,
                };
                if last < first {
                    return Err(Error::trace(
                        Some(&e.statement),
                        format!("`through` {:?} comes before the statement", e.through.as_deref().unwrap_or("")),
                    ));
                }
                for c in &claims[first..=last] {
                    w.set_exemption(c.id, Some(&Exemption { reason: e.reason, note: e.note.clone() }))?;
                    exempt += 1;
                }
            }

            let mut citations = 0;
            let mut parts = 0;
            let mut quotations = 0;
            let mut near: Vec<(usize, usize)> = Vec::new();
            for entry in &trace.claims {
                let i = find(&entry.statement)?;
                let claim = &claims[i];
                if claim.exemption.is_some() || trace.exempt.iter().any(|e| find(&e.statement).ok() == Some(i)) {
                    return Err(Error::trace(Some(&entry.statement), "the statement is both exempt and cited"));
                }
                let mut cited: Vec<(usize, Range<usize>, bool)> = Vec::new();
                let mut whole_cites: Vec<CitationId> = Vec::new();
                for cite in &entry.cites {
                    let si = *by_key.get(cite.source.as_str()).ok_or_else(|| {
                        Error::trace(Some(&entry.statement), format!("unknown source {:?}", cite.source))
                    })?;
                    let passage =
                        sources[si].passage_for(cite).map_err(|reason| Error::trace(Some(&entry.statement), reason))?;
                    let p = w.ensure_passage(&passage)?;
                    let mut c = NewCitation::new(claim.id, p.id, cite.relation);
                    c.note = cite.note.clone().or_else(|| entry.note.clone());
                    let whole = w.ensure_citation(&c)?;
                    whole_cites.push(whole.id);
                    citations += 1;
                    cited.push((si, p.span.start..p.span.end, cite.relation == Relation::Quotes));
                }
                // Parts, each with its own citations.
                for part in &entry.parts {
                    let named = |reason: String| Error::trace(Some(&entry.statement), format!("part {:?}: {reason}", part.text));
                    let span = find_part(text, &norm, spans[i].clone(), &part.text).map_err(named)?;
                    let mut np = NewClaimPart::new(claim.id, Span::new(revision.id, span.start, span.end));
                    np.note = part.note.clone();
                    let stored = w.ensure_part(&np).map_err(|e| named(e.to_string()))?;
                    parts += 1;
                    for cite in &part.cites {
                        let si = *by_key.get(cite.source.as_str()).ok_or_else(|| named(format!("unknown source {:?}", cite.source)))?;
                        let passage = sources[si].passage_for(cite).map_err(named)?;
                        let p = w.ensure_passage(&passage)?;
                        let mut c = NewCitation::new(claim.id, p.id, cite.relation);
                        c.note = cite.note.clone().or_else(|| entry.note.clone());
                        let stored_cite = w.ensure_citation(&c)?;
                        if whole_cites.contains(&stored_cite.id) {
                            return Err(named(format!(
                                "cites {:?} ({}) that the whole statement cites too: cite it once, for the statement or for its parts",
                                cite.exact.as_deref().unwrap_or(""),
                                cite.relation
                            )));
                        }
                        w.cite_part(stored.id, stored_cite.id)?;
                        citations += 1;
                        cited.push((si, p.span.start..p.span.end, cite.relation == Relation::Quotes));
                    }
                }
                // Quotations inside the statement.
                let inside_at: Vec<usize> = (0..article_quotes.len())
                    .filter(|&k| {
                        let r = article_quotes[k].outer_range(text);
                        spans[i].start <= r.start && r.end <= spans[i].end
                    })
                    .collect();
                let inside: Vec<&quotes::Quotation> = inside_at.iter().map(|&k| &article_quotes[k]).collect();
                // Quote entries go to the quotations containing their text, in order:
                // the second entry with the same text names the second such quotation.
                let mut facts_of: Vec<Option<&QuoteEntry>> = vec![None; inside.len()];
                for qe in &entry.quotes {
                    let needle = qe.text.trim();
                    let slot = inside
                        .iter()
                        .enumerate()
                        .position(|(k, q)| facts_of[k].is_none() && text[q.range()].contains(needle));
                    match slot {
                        Some(k) => facts_of[k] = Some(qe),
                        None => {
                            return Err(Error::trace(
                                Some(&entry.statement),
                                format!("no (further) quotation of the statement contains {needle:?}"),
                            ));
                        }
                    }
                }
                let existing_quotes = w.quotations_of_claim(claim.id)?;
                let mut checked: Vec<(&quotes::Quotation, Option<&QuoteEntry>, quotecheck::Finding)> = Vec::new();
                let mut said_by: Vec<Option<&str>> = Vec::new();
                for ((q, facts), at) in inside.into_iter().zip(facts_of).zip(&inside_at) {
                    if q.start >= q.end
                        || existing_quotes.iter().any(|e| e.span.start == q.start && e.span.end == q.end)
                    {
                        continue;
                    }
                    let words = continuations.words(text, q);
                    let quoted = words.as_str();
                    let focus = q.start - spans[i].start..q.end - spans[i].start;
                    let pinned = match facts.and_then(|f| f.source.as_deref().zip(f.exact.as_deref()).map(|p| (f, p))) {
                        Some((f, (key, exact))) => {
                            let si = by_key[key];
                            let src = &sources[si];
                            let find = |scope| {
                                src.find_hit(Some(exact), f.prefix.as_deref(), f.suffix.as_deref(), None, None, scope)
                            };
                            // Inside the statement's own citations of that source first.
                            let mut in_cited: Vec<Range<usize>> = cited
                                .iter()
                                .filter(|c| c.0 == si)
                                .filter_map(|c| find(Some(c.1.clone())).ok().flatten())
                                .collect();
                            in_cited.sort_by_key(|r| (r.start, r.end));
                            in_cited.dedup();
                            let hit = match in_cited.as_slice() {
                                [one] => one.clone(),
                                _ => find(None)
                                    .map_err(|reason| Error::trace(Some(&entry.statement), reason))?
                                    .ok_or_else(|| {
                                        Error::trace(Some(&entry.statement), "a pinned quote needs `exact`")
                                    })?,
                            };
                            vec![(si, hit, true)]
                        }
                        None => Vec::new(),
                    };
                    let finding = if pinned.is_empty() {
                        quotecheck::anchor_in_trace(
                            &prepared,
                            &views,
                            &cited,
                            quoted,
                            &text[spans[i].clone()],
                            focus,
                            &near,
                        )?
                    } else {
                        let f = quotecheck::anchor_in_trace(
                            &prepared,
                            &[],
                            &pinned,
                            quoted,
                            &text[spans[i].clone()],
                            focus,
                            &[],
                        )?;
                        if f.status == QuoteStatus::NotFound || f.location != QuoteLocation::Unique {
                            return Err(Error::trace(
                                Some(&entry.statement),
                                format!(
                                    "quote {quoted:?} is not (unambiguously) inside its pinned selector {:?}",
                                    facts.and_then(|f| f.exact.as_deref()).unwrap_or("")
                                ),
                            ));
                        }
                        f
                    };
                    if let Some((si, r)) = &finding.place {
                        near.push((*si, r.start));
                    }
                    checked.push((q, facts, finding));
                    said_by.push(attributions.get(*at).and_then(Option::as_ref).map(|a| a.speaker.as_str()));
                }
                // Quotes the context left ambiguous: their places ranked by the
                // statement; quotes of it with the same words take different places.
                let mut sets: Vec<(String, Vec<usize>)> = Vec::new();
                for (k, (_, _, f)) in checked.iter().enumerate() {
                    if f.location == QuoteLocation::Ambiguous {
                        let key = text[checked[k].0.range()].trim().to_lowercase();
                        match sets.iter_mut().find(|(x, _)| *x == key) {
                            Some((_, v)) => v.push(k),
                            None => sets.push((key, vec![k])),
                        }
                    }
                }
                for (_, set) in sets {
                    let statement = &text[spans[i].clone()];
                    let at: Vec<quotecheck::InSentence<'_>> = set
                        .iter()
                        .map(|&k| quotecheck::InSentence {
                            quote: QuoteInSentence {
                                sentence: statement,
                                quote: checked[k].0.start - spans[i].start..checked[k].0.end - spans[i].start,
                            },
                            article: &article_words,
                        })
                        .collect();
                    let quoted = &text[checked[set[0]].0.range()];
                    let findings = set.iter().map(|&k| checked[k].2.clone()).collect();
                    for (&k, f) in set.iter().zip(quotecheck::resolve_by_sentences(&prepared, quoted, findings, &at)?) {
                        if let Some((si, r)) = &f.place {
                            near.push((*si, r.start));
                        }
                        checked[k].2 = f;
                    }
                }
                for ((q, facts, finding), article_speaker) in checked.into_iter().zip(said_by) {
                    let passage = match &finding.place {
                        Some((si, r)) => {
                            Some(w.ensure_passage(&NewPassage::new(Span::new(revisions[*si], r.start, r.end)))?.id)
                        }
                        None => None,
                    };
                    let check = finding.to_check(&revisions);
                    w.add_quotation(&NewQuotation {
                        claim: claim.id,
                        span: Span::new(revision.id, q.start, q.end),
                        passage,
                        // The trace's speaker wins; else the article's.
                        speaker: facts.and_then(|f| f.speaker.clone()).or_else(|| article_speaker.map(str::to_string)),
                        check,
                        acknowledged: facts.and_then(|f| f.acknowledged.clone()),
                    })?;
                    quotations += 1;
                }
            }
            Ok(TraceOutcome {
                article: document,
                revision,
                statements: claims.len(),
                exempt,
                citations,
                parts,
                quotations,
            })
        })
    }
}

/// The claims of an article revision, one per statement, creating the missing ones.
fn ensure_claims(w: &mut Writer<'_>, rev: &Revision) -> Result<Vec<Claim>> {
    let existing: HashMap<(usize, usize), Claim> =
        claims::of_revision(w.tx(), rev.id)?.into_iter().map(|c| ((c.span.start, c.span.end), c)).collect();
    let mut out = Vec::new();
    for s in segment::statements(&rev.text) {
        if let Some(c) = existing.get(&(s.start, s.end)) {
            out.push(c.clone());
            continue;
        }
        let kind = match s.kind {
            segment::StatementKind::Line => ClaimKind::Heading,
            _ => ClaimKind::Factual,
        };
        out.push(w.add_claim(&NewClaim::new(Span::new(rev.id, s.start, s.end)).kind(kind))?);
    }
    Ok(out)
}

/// The index of the one statement containing `quote`.
fn find_statement(
    text: &str,
    norm: &crate::text::normalize::Normalized,
    spans: &[Range<usize>],
    quote: &str,
) -> Result<usize> {
    let (hits, _) = selector::find(text, norm, &selector::Selector { exact: quote, ..Default::default() });
    let mut found: Vec<usize> =
        hits.iter().filter_map(|h| spans.iter().position(|s| s.start <= h.start && h.end <= s.end)).collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [i] => Ok(*i),
        [] if hits.is_empty() => Err(Error::trace(Some(quote), "does not occur in the article")),
        [] => Err(Error::trace(Some(quote), "runs across a statement boundary: quote words of one statement")),
        many => Err(Error::trace(Some(quote), format!("occurs in {} statements: quote more words", many.len()))),
    }
}

/// The one place `quote` occurs inside the statement `within`, found like a
/// statement quote (exactly, then after normalizing).
fn find_part(
    text: &str,
    norm: &crate::text::normalize::Normalized,
    within: Range<usize>,
    quote: &str,
) -> std::result::Result<Range<usize>, String> {
    let sel = selector::Selector { exact: quote, within: Some(within), ..Default::default() };
    let (hits, _) = selector::find(text, norm, &sel);
    match hits.as_slice() {
        [h] => Ok(h.clone()),
        [] => Err("does not occur in the statement".into()),
        many => Err(format!("occurs {} times in the statement: quote more words", many.len())),
    }
}

/// A trace source, with what selector matching needs, built once.
pub(crate) struct Source {
    pub(crate) key: String,
    pub(crate) rev: Revision,
    pub(crate) prepared: PreparedSource,
}

impl Source {
    pub(crate) fn new(key: String, rev: Revision, redactions: Vec<Redaction>) -> Source {
        let labels = redactions
            .iter()
            .map(|r| (r.span.start..r.span.end, r.label.clone(), r.reason.as_ref().map(|x| x.code.clone())))
            .collect();
        let prepared = PreparedSource::new(key.clone(), rev.text.clone(), labels);
        Source { key, rev, prepared }
    }

    /// The one place a selector matches, within `page` and `footnote` when given.
    pub(crate) fn find_hit(
        &self,
        exact: Option<&str>,
        prefix: Option<&str>,
        suffix: Option<&str>,
        page: Option<u32>,
        footnote: Option<u32>,
        scope: Option<Range<usize>>,
    ) -> std::result::Result<Option<Range<usize>>, String> {
        let text = &self.rev.text;
        let describe = || {
            let mut s = format!("selector {:?}", exact.unwrap_or(""));
            if let Some(p) = prefix {
                s += &format!(" prefix {p:?}");
            }
            if let Some(p) = suffix {
                s += &format!(" suffix {p:?}");
            }
            if let Some(p) = page {
                s += &format!(" page {p}");
            }
            if let Some(n) = footnote {
                s += &format!(" footnote {n}");
            }
            format!("{s} in {:?}", self.key)
        };
        let mut within = scope;
        if let Some(n) = footnote {
            let def = self
                .prepared
                .footnotes()
                .definition(n)
                .ok_or_else(|| format!("{}: the source has no footnote {n}", describe()))?;
            let r = def.text_range();
            within = Some(match within {
                Some(w) => w.start.max(r.start)..w.end.min(r.end),
                None => r,
            });
        }
        if let Some(p) = page {
            let r =
                self.prepared.pages().range(p).ok_or_else(|| format!("{}: the source has no page {p}", describe()))?;
            let r = r.start..r.end.min(text.len());
            within = Some(match within {
                Some(w) => w.start.max(r.start)..w.end.min(r.end),
                None => r,
            });
        }
        let Some(exact) = exact else { return Ok(None) };
        let sel = selector::Selector { exact, prefix, suffix, within };
        let (hits, _) = selector::find(text, self.prepared.selector_norm(), &sel);
        match hits.as_slice() {
            [h] => Ok(Some(h.clone())),
            [] => Err(format!("{} does not anchor", describe())),
            many => {
                let pages: Vec<String> =
                    many.iter().take(5).map(|h| self.prepared.pages().page_of(h.start).to_string()).collect();
                Err(format!(
                    "{} anchors ambiguously ({} places{}): add a prefix, suffix or page",
                    describe(),
                    many.len(),
                    if self.prepared.pages().is_paged() {
                        format!(", pages {}", pages.join(", "))
                    } else {
                        String::new()
                    }
                ))
            }
        }
    }

    /// The passage a citation names: the whole footnote with `footnote`, else the
    /// source sentence(s) around the selector's match.
    fn passage_for(&self, cite: &CiteEntry) -> std::result::Result<NewPassage, String> {
        let hit = self.find_hit(
            cite.exact.as_deref(),
            cite.prefix.as_deref(),
            cite.suffix.as_deref(),
            cite.page,
            cite.footnote,
            None,
        )?;
        let id = self.rev.id;
        if let Some(n) = cite.footnote {
            let r = self
                .prepared
                .footnotes()
                .definition(n)
                .map(|d| d.text_range())
                .ok_or_else(|| format!("the source has no footnote {n}"))?;
            return Ok(NewPassage::footnote(Span::new(id, r.start, r.end), n));
        }
        let h = hit.ok_or_else(|| "a citation needs `exact` or `footnote`".to_string())?;
        let r = self.prepared.sentences_around(h);
        Ok(NewPassage::new(Span::new(id, r.start, r.end)))
    }
}
