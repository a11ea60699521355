//! Exchange formats: the ledger in the ecosystem's formats, out and in.
//!
//! | module | format | direction |
//! | --- | --- | --- |
//! | [`bundle`] | claimledger bundle: JSON Lines, every record with its ID | export, import (lossless) |
//! | [`w3c`] | W3C Web Annotation (JSON-LD): citations and redactions | export |
//! | [`claimreview`] | schema.org `ClaimReview` (JSON-LD): verdicts | export, import |
//! | [`csl`] | CSL-JSON: documents as citation items | export, import |
//! | [`fever`] | FEVER JSON Lines (the shared task's shape): claims with labels and evidence | export |
//!
//! Every export covers a [`Scope`]: the whole ledger, or one article's trace (its
//! latest revision, the claims, quotations, citations and verdicts on it, the
//! cited passages, the derivations reachable from them, their source revisions
//! and documents, and the redactions of every revision included). Offsets in
//! every format are Unicode code points, end exclusive; the bundle carries UTF-8
//! byte offsets beside them.

pub mod bundle;
pub mod claimreview;
pub mod csl;
mod csl_schema;
pub mod fever;
pub mod sniff;
pub mod w3c;

use crate::storage::{self, citations, claims, documents, passages, quotations, redactions, verdicts};
use crate::taxonomy::RedactionReason;
use crate::{
    CharIndex, Citation, CitationId, Claim, ClaimPart, ClaimPartId, Derivation, DerivationId, Document, DocumentId,
    Entity, Error, Ledger, Passage, PassageId, Quotation, Redaction, Result, RevisionId, Span, Verdict,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use time::OffsetDateTime;

/// What an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything in the ledger.
    Ledger,
    /// One article's trace: its latest revision and everything the trace points at.
    Document(DocumentId),
}

/// Unix milliseconds of an instant (how the ledger stores instants).
pub(crate) fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// An instant as RFC 3339 in UTC with milliseconds: `2024-05-01T12:34:56.789Z`.
pub(crate) fn instant_text(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Parses an RFC 3339 instant to Unix milliseconds.
pub(crate) fn parse_instant(field: &str, s: &str) -> Result<i64> {
    let t = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| Error::invalid(field, format!("{s:?} is not an RFC 3339 instant: {e}")))?;
    Ok(millis(t))
}

/// A calendar date as ISO 8601 `YYYY-MM-DD`.
pub(crate) fn date_text(d: time::Date) -> String {
    documents::date_text(d)
}

/// Parses an ISO 8601 `YYYY-MM-DD` date.
pub(crate) fn parse_date(field: &str, s: &str) -> Result<time::Date> {
    documents::parse_date(s).map_err(|e| Error::invalid(field, e.to_string()))
}

/// A revision without its text.
#[derive(Debug, Clone)]
pub(crate) struct RevisionMeta {
    pub id: RevisionId,
    pub document: DocumentId,
    pub created_at: OffsetDateTime,
}

/// The records an export covers, each list in export order: documents, revisions,
/// citations, derivations and verdicts by ID; claims, passages, redactions and
/// quotations by revision ID, then by position (the order of the storage scans).
#[derive(Debug, Default)]
pub(crate) struct Records {
    pub documents: Vec<Document>,
    pub revisions: Vec<RevisionMeta>,
    pub claims: Vec<Claim>,
    /// Parts of the claims, by revision, then in text order, with their links.
    pub parts: Vec<ClaimPart>,
    pub passages: Vec<Passage>,
    pub redactions: Vec<Redaction>,
    pub quotations: Vec<Quotation>,
    pub citations: Vec<Citation>,
    pub derivations: Vec<Derivation>,
    pub verdicts: Vec<Verdict>,
    pub reasons: Vec<(RedactionReason, Vec<String>)>,
}

impl Records {
    /// Collects the records of a scope.
    pub(crate) fn collect(ledger: &Ledger, scope: Scope) -> Result<Records> {
        match scope {
            Scope::Ledger => Records::all(ledger),
            Scope::Document(d) => Records::trace(ledger, d),
        }
    }

    fn all(ledger: &Ledger) -> Result<Records> {
        let conn = ledger.conn();
        let mut r = Records::default();
        documents::each_document(conn, |d| {
            r.documents.push(d);
            Ok(())
        })?;
        for d in &r.documents {
            for rev in ledger.revisions(d.id)? {
                r.revisions.push(RevisionMeta { id: rev.id, document: rev.document, created_at: rev.created_at });
            }
        }
        r.revisions.sort_by_key(|m| m.id);
        claims::each(conn, |c| {
            r.claims.push(c);
            Ok(())
        })?;
        let mut cited: HashMap<ClaimPartId, Vec<CitationId>> = HashMap::new();
        for (c, ps) in storage::parts::links(conn)? {
            for p in ps {
                cited.entry(p).or_default().push(c);
            }
        }
        storage::parts::each(conn, |mut p| {
            p.citations = cited.remove(&p.id).unwrap_or_default();
            p.citations.sort();
            r.parts.push(p);
            Ok(())
        })?;
        passages::each(conn, |p| {
            r.passages.push(p);
            Ok(())
        })?;
        redactions::each(conn, ledger.taxonomy(), |x| {
            r.redactions.push(x);
            Ok(())
        })?;
        quotations::each(conn, |q| {
            r.quotations.push(q);
            Ok(())
        })?;
        citations::each(conn, |c| {
            r.citations.push(c);
            Ok(())
        })?;
        citations::each_derivation(conn, |d| {
            r.derivations.push(d);
            Ok(())
        })?;
        verdicts::each(conn, |v| {
            r.verdicts.push(v);
            Ok(())
        })?;
        r.reasons = redactions::stored_reasons(conn)?;
        Ok(r)
    }

    /// One article's trace. Passages reached: the cited and quoted ones, then,
    /// as the audit walks, every passage inside a reached one, or right after it
    /// (past closing punctuation: the evidence walk's reach), that derives from
    /// another (a footnote marker), with the derivation and its target, and so on.
    fn trace(ledger: &Ledger, document: DocumentId) -> Result<Records> {
        let doc = ledger.document(document)?.ok_or_else(|| Error::not_found(Entity::Document, document))?;
        let mut r = Records::default();
        let mut docs: BTreeMap<DocumentId, Document> = BTreeMap::new();
        let mut revs: BTreeMap<RevisionId, RevisionMeta> = BTreeMap::new();
        let Some(rev) = ledger.latest_revision(doc.id)? else {
            r.documents.push(doc);
            return Ok(r);
        };
        docs.insert(doc.id, doc);
        revs.insert(rev.id, RevisionMeta { id: rev.id, document: rev.document, created_at: rev.created_at });
        r.claims = ledger.claims(rev.id)?;
        r.parts = ledger.claim_parts_of_revision(rev.id)?;
        r.quotations = ledger.quotations_of_revision(rev.id)?;
        r.citations = ledger.citations_of_revision(rev.id)?;
        r.verdicts = ledger.verdicts_of_revision(rev.id)?;

        let mut passages: BTreeMap<PassageId, Passage> = BTreeMap::new();
        let mut derivations: BTreeMap<DerivationId, Derivation> = BTreeMap::new();
        let mut by_revision: HashMap<RevisionId, (Vec<Passage>, std::sync::Arc<str>)> = HashMap::new();
        let mut queue: VecDeque<PassageId> =
            r.citations.iter().map(|c| c.passage).chain(r.quotations.iter().filter_map(|q| q.passage)).collect();
        let mut seen: HashSet<PassageId> = HashSet::new();
        while let Some(id) = queue.pop_front() {
            if !seen.insert(id) {
                continue;
            }
            let p = ledger.passage(id)?.ok_or_else(|| Error::not_found(Entity::Passage, id))?;
            if let std::collections::hash_map::Entry::Vacant(e) = by_revision.entry(p.span.revision) {
                let text = ledger
                    .revision(p.span.revision)?
                    .ok_or_else(|| Error::not_found(Entity::Revision, p.span.revision))?
                    .text;
                e.insert((ledger.passages(p.span.revision)?, text));
            }
            // Passages inside a reached one, and the markers the evidence walk
            // reaches (right after it too, `evidence::reaches`).
            let inner: Vec<PassageId> = by_revision
                .get(&p.span.revision)
                .map(|(all, text)| {
                    all.iter()
                        .filter(|d| {
                            d.id == p.id
                                || (p.span.start <= d.span.start && d.span.end <= p.span.end)
                                || crate::evidence::reaches(text, &p, d)
                        })
                        .map(|d| d.id)
                        .collect()
                })
                .unwrap_or_default();
            for from in inner {
                for d in ledger.derivations_from(from)? {
                    queue.push_back(d.from);
                    queue.push_back(d.to);
                    derivations.insert(d.id, d);
                }
            }
            passages.insert(p.id, p);
        }
        for p in passages.values() {
            if let std::collections::btree_map::Entry::Vacant(e) = revs.entry(p.span.revision) {
                let rv =
                    ledger.revision(p.span.revision)?.ok_or_else(|| Error::not_found(Entity::Revision, e.key()))?;
                e.insert(RevisionMeta { id: rv.id, document: rv.document, created_at: rv.created_at });
            }
        }
        for m in revs.values() {
            if !docs.contains_key(&m.document) {
                let d = ledger.document(m.document)?.ok_or_else(|| Error::not_found(Entity::Document, m.document))?;
                docs.insert(d.id, d);
            }
            r.redactions.extend(ledger.redactions(m.id)?);
        }
        let used: BTreeSet<(String, String)> =
            r.redactions.iter().filter_map(|x| x.reason.as_ref().map(|x| (x.scheme.clone(), x.code.clone()))).collect();
        r.reasons = redactions::stored_reasons(ledger.conn())?
            .into_iter()
            .filter(|(x, _)| used.contains(&(x.scheme.clone(), x.code.clone())))
            .collect();
        r.documents = docs.into_values().collect();
        r.revisions = revs.into_values().collect();
        r.passages = passages.into_values().collect();
        r.derivations = derivations.into_values().collect();
        r.claims.sort_by_key(|c| (c.span.revision, c.span.start, c.span.end, c.id));
        r.passages.sort_by_key(|p| (p.span.revision, p.span.start, p.span.end, p.id));
        r.redactions.sort_by_key(|x| (x.span.revision, x.span.start, x.span.end, x.id));
        r.quotations.sort_by_key(|q| (q.span.revision, q.span.start, q.span.end, q.id));
        r.citations.sort_by_key(|c| c.id);
        r.verdicts.sort_by_key(|v| v.id);
        Ok(r)
    }

    /// The counts of each kind of record.
    pub(crate) fn counts(&self) -> bundle::BundleCounts {
        bundle::BundleCounts {
            documents: self.documents.len() as u64,
            revisions: self.revisions.len() as u64,
            claims: self.claims.len() as u64,
            claim_parts: self.parts.len() as u64,
            passages: self.passages.len() as u64,
            redactions: self.redactions.len() as u64,
            quotations: self.quotations.len() as u64,
            citations: self.citations.len() as u64,
            derivations: self.derivations.len() as u64,
            verdicts: self.verdicts.len() as u64,
            redaction_reasons: self.reasons.len() as u64,
            // Counted by the bundle, which selects them.
            reanchorings: 0,
            anchor_moves: 0,
            withdrawals: 0,
            events: 0,
            foreign_events: 0,
        }
    }
}

/// Revision texts read on demand, with their code-point indexes (a few at a time).
#[derive(Default)]
pub(crate) struct Texts {
    map: HashMap<RevisionId, Arc<CharIndex>>,
}

impl Texts {
    /// The indexed text of a revision.
    pub(crate) fn get(&mut self, ledger: &Ledger, id: RevisionId) -> Result<Arc<CharIndex>> {
        if let Some(t) = self.map.get(&id) {
            return Ok(t.clone());
        }
        let rev = ledger.revision(id)?.ok_or_else(|| Error::not_found(Entity::Revision, id))?;
        let idx = Arc::new(rev.char_index());
        if self.map.len() >= 8 {
            self.map.clear();
        }
        self.map.insert(id, idx.clone());
        Ok(idx)
    }
}

/// Code-point offsets and text of a byte span of an indexed text.
pub(crate) fn code_points(index: &CharIndex, span: &Span) -> Result<(usize, usize, String)> {
    let (s, e) = index.range_to_chars(span.start, span.end)?;
    Ok((s, e, index.text()[span.start..span.end].to_string()))
}

/// The identifier external formats use for a document: its URL or other
/// identifier when it has one, else `urn:uuid:` and its ID.
pub(crate) fn document_iri(d: &Document) -> String {
    d.identifier.clone().filter(|i| !i.trim().is_empty()).unwrap_or_else(|| format!("urn:uuid:{}", d.id))
}

/// Counts rows of the whole ledger, for a bundle header.
pub(crate) fn ledger_counts(ledger: &Ledger) -> Result<bundle::BundleCounts> {
    let c = |e: Entity| storage::count_rows(ledger.conn(), e);
    Ok(bundle::BundleCounts {
        documents: c(Entity::Document)?,
        revisions: c(Entity::Revision)?,
        claims: c(Entity::Claim)?,
        claim_parts: c(Entity::ClaimPart)?,
        passages: c(Entity::Passage)?,
        redactions: c(Entity::Redaction)?,
        quotations: c(Entity::Quotation)?,
        citations: c(Entity::Citation)?,
        derivations: c(Entity::Derivation)?,
        verdicts: c(Entity::Verdict)?,
        redaction_reasons: c(Entity::RedactionReason)?,
        reanchorings: 0,
        anchor_moves: 0,
        withdrawals: 0,
        events: 0,
        foreign_events: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_with_milliseconds() {
        for ms in [0i64, 1, 999, 1_700_000_000_123, 1_726_000_000_000] {
            let t = storage::from_millis(ms);
            let s = instant_text(t);
            assert_eq!(parse_instant("t", &s).unwrap(), ms, "{s}");
        }
        assert_eq!(instant_text(storage::from_millis(1_700_000_000_123)), "2023-11-14T22:13:20.123Z");
        assert!(parse_instant("t", "yesterday").unwrap_err().is_invalid_input());
    }
}
