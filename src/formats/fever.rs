//! FEVER JSON Lines in the shape of the FEVER shared task, which the official
//! scorer (PyPI `fever-scorer`) reads: every claim that needs a source, with a
//! label and its evidence, for training and evaluating claim-verification models.
//!
//! One line per claim of the scope that is not exempt, in text order:
//!
//! ```json
//! {"id": 1, "verifiable": "VERIFIABLE", "label": "SUPPORTS",
//!  "claim": "The office found three weaknesses.",
//!  "evidence": [[[1, 1, "Review of the … Contract", 14]], [[1, 2, "Review of the … Contract", 15], [1, 2, "Review of the … Contract", 40]]],
//!  "ledger": {"claim": "0190…", "document": "0190…", "revision": "0190…",
//!             "evidence": [{"citation": "0190…", "relation": "quotes", "passages": [{"passage": "0190…", "document": "0190…", "revision": "0190…", "start": 412, "end": 470, "sentences": [14], "exact": "…"}]}, …]}}
//! {"id": 2, "verifiable": "NOT VERIFIABLE", "label": "NOT ENOUGH INFO", "claim": "…",
//!  "evidence": [[[2, null, null, null]]], "ledger": {"claim": "0190…", …, "evidence": []}}
//! ```
//!
//! # Fields
//!
//! - `id`: an integer, as FEVER has: the line's number in the file, from 1. The
//!   mapping to the ledger is in `ledger.claim` (the claim's ID); the same scope
//!   of an unchanged ledger numbers its claims the same way.
//! - `label` and `verifiable`: from the claim's one state ([`crate::state`],
//!   derived from its parts), mapped in [`crate::StatementState::fever_label`] (the one
//!   place that maps states to FEVER labels):
//!
//!   | state | label | `verifiable` | evidence sets |
//!   | --- | --- | --- | --- |
//!   | supported (every part backed, none contradicted) | `SUPPORTS` | `VERIFIABLE` | one per supporting citation |
//!   | contradicted (a part contradicted, others supported or not) | `REFUTES` | `VERIFIABLE` | one per contradicting citation |
//!   | partly supported, context only, or uncited | `NOT ENOUGH INFO` | `NOT VERIFIABLE` | `[[[id, null, null, null]]]` |
//!
//! - `evidence`: a list of evidence sets, each a list of four-field items
//!   `[annotation_id, evidence_id, page, line]`. Any one set backs the label (as
//!   in FEVER, a system has to find one whole set, not every passage): each
//!   citation is one set, holding its passage and every passage reached from it
//!   down derivations (a footnote marker inside it, the footnote, what that
//!   derives from, ...), since a derivation chain backs the claim only as a
//!   whole. `annotation_id` is the line's `id` (the ledger records one trace per
//!   claim); `evidence_id` numbers the sets through the file, from 1; `page` is
//!   the source document's title (followed by ` [ID]` when two documents of the
//!   scope share that title); `line` is the number, from 0, of a sentence of the
//!   source revision as [`text::segment::statements`](crate::text::segment::statements)
//!   splits it. A passage over several sentences gives one item per sentence.
//! - `ledger`: the ledger's own record (ignored by the scorer): the claim, its
//!   document and revision, its `state` and `partly_supported` flag, its
//!   AVeriTeC label in `averitec` (`Supported`, `Refuted`, `Not Enough
//!   Evidence`, `Conflicting Evidence/Cherrypicking`, mapped in
//!   [`crate::state::Derived::averitec_label`]), and per evidence set (same order as `evidence`) the
//!   citation, its relation and its passages with their document, revision,
//!   code-point offsets (`start`, `end`), sentence numbers and text.

use super::{Records, Scope, Texts};
use crate::state::Derived;
use crate::text::segment;
use crate::{
    Citation, ClaimId, ClaimPart, Derivation, DocumentId, Entity, Error, Ledger, Passage, PassageId, Result, RevisionId,
};
use serde_json::{Value, json};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;

/// One line, its fields in FEVER's order.
#[derive(serde::Serialize)]
struct Line<'a> {
    id: usize,
    verifiable: &'static str,
    label: &'static str,
    claim: &'a str,
    evidence: Value,
    ledger: Value,
}

/// Sentence boundaries (byte ranges) of revisions, segmented once each.
#[derive(Default)]
struct Sentences {
    map: HashMap<RevisionId, Vec<(usize, usize)>>,
}

impl Sentences {
    /// The numbers of the sentences a byte span of a revision overlaps.
    fn of(&mut self, ledger: &Ledger, texts: &mut Texts, passage: &Passage) -> Result<Vec<usize>> {
        let rev = passage.span.revision;
        let all = match self.map.entry(rev) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let idx = texts.get(ledger, rev)?;
                e.insert(segment::statements(idx.text()).iter().map(|s| (s.start, s.end)).collect())
            }
        };
        let (s, e) = (passage.span.start, passage.span.end);
        let first = all.partition_point(|&(_, end)| end <= s);
        let last = all.partition_point(|&(start, _)| start < e);
        if first < last {
            Ok((first..last).collect())
        } else if first < all.len() {
            // A passage of whitespace between sentences: the sentence after it.
            Ok(vec![first])
        } else {
            Err(Error::invalid("passage", format!("passage {} lies in no sentence of its revision", passage.id)))
        }
    }
}

impl Ledger {
    /// Writes the claims of `scope` that need a source as FEVER JSON Lines, in
    /// the shape the official scorer reads (see the
    /// [module documentation](crate::formats::fever)); returns how many lines it
    /// wrote.
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::formats::Scope;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Audit"))?;
    /// let srev = ledger.add_revision(src.id, NewRevision::new("Costs were flat. Sales rose 3% in 2023."))?;
    /// let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "News"), "Sales fell in 2023.")?;
    /// let p = ledger.add_passage(NewPassage::new(Span::new(srev.id, 17, 39)))?;
    /// ledger.add_citation(NewCitation::new(art.claims[0].id, p.id, Relation::Contradicts))?;
    /// let mut out = Vec::new();
    /// assert_eq!(ledger.export_fever(Scope::Document(art.document.id), &mut out)?, 1);
    /// let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
    /// assert_eq!(line["id"], 1);
    /// assert_eq!(line["label"], "REFUTES");
    /// assert_eq!(line["evidence"], serde_json::json!([[[1, 1, "Audit", 1]]]));
    /// assert_eq!(line["ledger"]["claim"], art.claims[0].id.to_string());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document; [`Error::Io`] when `out`
    /// fails; database errors.
    pub fn export_fever(&self, scope: Scope, out: &mut impl Write) -> Result<usize> {
        let r = Records::collect(self, scope)?;
        let mut title_count: HashMap<&str, usize> = HashMap::new();
        for d in &r.documents {
            *title_count.entry(d.title.as_str()).or_default() += 1;
        }
        let pages: HashMap<DocumentId, String> = r
            .documents
            .iter()
            .map(|d| {
                let page = if title_count.get(d.title.as_str()).copied().unwrap_or(0) > 1 {
                    format!("{} [{}]", d.title, d.id)
                } else {
                    d.title.clone()
                };
                (d.id, page)
            })
            .collect();
        let docs: HashMap<RevisionId, DocumentId> = r.revisions.iter().map(|m| (m.id, m.document)).collect();
        let passages: HashMap<PassageId, &Passage> = r.passages.iter().map(|p| (p.id, p)).collect();
        let mut by_revision: HashMap<RevisionId, Vec<&Passage>> = HashMap::new();
        for p in &r.passages {
            by_revision.entry(p.span.revision).or_default().push(p);
        }
        let mut derived: HashMap<PassageId, Vec<&Derivation>> = HashMap::new();
        for d in &r.derivations {
            derived.entry(d.from).or_default().push(d);
        }
        let mut by_claim: HashMap<ClaimId, Vec<&Citation>> = HashMap::new();
        for c in &r.citations {
            by_claim.entry(c.claim).or_default().push(c);
        }
        let passage = |id: PassageId| passages.get(&id).copied().ok_or_else(|| Error::not_found(Entity::Passage, id));
        // The cited passage, then every passage reached down derivations from a
        // passage inside it, as the audit walks them.
        let chain = |start: PassageId| -> Result<Vec<&Passage>> {
            let mut out = Vec::new();
            let mut seen = HashSet::new();
            let mut queue = VecDeque::from([start]);
            while let Some(id) = queue.pop_front() {
                if !seen.insert(id) {
                    continue;
                }
                let p = passage(id)?;
                out.push(p);
                for inner in by_revision.get(&p.span.revision).into_iter().flatten() {
                    if inner.id == p.id || (p.span.start <= inner.span.start && inner.span.end <= p.span.end) {
                        for d in derived.get(&inner.id).into_iter().flatten() {
                            queue.push_back(d.to);
                        }
                    }
                }
            }
            Ok(out)
        };

        let mut texts = Texts::default();
        let mut sentences = Sentences::default();
        let mut n = 0;
        let mut set_no = 0u64;
        for claim in &r.claims {
            let cites = by_claim.get(&claim.id).map(Vec::as_slice).unwrap_or_default();
            let parts = self.claim_parts(claim.id)?;
            let part_refs: Vec<&ClaimPart> = parts.iter().collect();
            let (derived, _) = Derived::of_claim(claim.exemption.is_some(), cites, &part_refs);
            let state = derived.state;
            let Some(label) = state.fever_label() else { continue };
            n += 1;
            let mut sets = Vec::new();
            let mut ledger_sets = Vec::new();
            for c in cites.iter().filter(|c| state.is_evidence(c.relation)) {
                set_no += 1;
                let mut items: Vec<Value> = Vec::new();
                let mut seen_items = HashSet::new();
                let mut ledger_passages = Vec::new();
                for p in chain(c.passage)? {
                    let document = docs.get(&p.span.revision).copied();
                    let page =
                        document.and_then(|d| pages.get(&d)).cloned().unwrap_or_else(|| p.span.revision.to_string());
                    let lines = sentences.of(self, &mut texts, p)?;
                    for &line in &lines {
                        if seen_items.insert((page.clone(), line)) {
                            items.push(json!([n, set_no, page, line]));
                        }
                    }
                    ledger_passages.push(json!({
                        "passage": p.id,
                        "document": document,
                        "revision": p.span.revision,
                        "start": p.position.start,
                        "end": p.position.end,
                        "sentences": lines,
                        "exact": p.quote.exact,
                    }));
                }
                sets.push(Value::Array(items));
                ledger_sets.push(json!({"citation": c.id, "relation": c.relation, "passages": ledger_passages}));
            }
            let (verifiable, evidence) = if sets.is_empty() {
                ("NOT VERIFIABLE", json!([[[n, null, null, null]]]))
            } else {
                ("VERIFIABLE", Value::Array(sets))
            };
            let idx = texts.get(self, claim.span.revision)?;
            let text = idx.text().get(claim.span.start..claim.span.end).unwrap_or_default();
            let document = docs.get(&claim.span.revision);
            let ledger = json!({
                "claim": claim.id,
                "document": document,
                "revision": claim.span.revision,
                "state": state,
                "partly_supported": derived.partly_supported,
                "averitec": derived.averitec_label(),
                "evidence": ledger_sets,
            });
            let line = Line { id: n, verifiable, label, claim: text, evidence, ledger };
            serde_json::to_writer(&mut *out, &line)
                .map_err(|source| Error::Json { what: "FEVER line".into(), source })?;
            out.write_all(b"\n").map_err(|e| Error::io("FEVER output", e))?;
        }
        out.flush().map_err(|e| Error::io("FEVER output", e))?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use crate::Relation::{self, *};
    use crate::audit::EvidenceState;

    fn label(exempt: bool, relations: &[Relation]) -> Option<&'static str> {
        EvidenceState::of(exempt, relations).fever_label()
    }

    #[test]
    fn a_contradiction_outranks_support_in_the_label() {
        assert_eq!(label(false, &[Supports]), Some("SUPPORTS"));
        assert_eq!(label(false, &[Contradicts, Quotes]), Some("REFUTES"));
        assert_eq!(label(false, &[Quotes, Contradicts, Supports]), Some("REFUTES"));
        assert_eq!(label(false, &[DescribesRedaction]), Some("SUPPORTS"));
        assert_eq!(label(false, &[Context, Paraphrases]), Some("SUPPORTS"));
        assert_eq!(label(false, &[Contradicts, Context]), Some("REFUTES"));
        assert_eq!(label(false, &[Context]), Some("NOT ENOUGH INFO"));
        assert_eq!(label(false, &[]), Some("NOT ENOUGH INFO"));
        assert_eq!(label(true, &[Supports]), None, "exempt statements are not exported");
    }

    #[test]
    fn evidence_relations_follow_the_state() {
        let s = EvidenceState::of(false, &[Contradicts, Quotes]);
        assert!(s.is_evidence(Contradicts));
        assert!(!s.is_evidence(Quotes), "a refuted claim's evidence is the contradicting passages only");
        let s = EvidenceState::Supported;
        assert!(s.is_evidence(Quotes) && s.is_evidence(DescribesRedaction));
        assert!(!s.is_evidence(Context) && !s.is_evidence(Contradicts));
        assert!(!EvidenceState::ContextOnly.is_evidence(Context));
    }
}
