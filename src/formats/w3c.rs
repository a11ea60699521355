//! W3C Web Annotation (JSON-LD): citations and redactions as annotations.
//!
//! The export is one `AnnotationCollection` (context
//! `http://www.w3.org/ns/anno.jsonld`) whose `first` page, an `AnnotationPage`,
//! embeds every annotation in `items`; each annotation repeats the `@context`,
//! so it can be posted to an annotation server on its own.
//!
//! **A citation** is an `Annotation` with `motivation` `linking`, `id`
//! `urn:uuid:` and the citation's ID, `created` when it was recorded, and
//! `creator` (a `Person`) when the citation names who recorded it:
//!
//! - `target`: the claim, a `SpecificResource` whose `source` is the article
//!   (its URL or other identifier, else `urn:uuid:` and the document ID), with a
//!   `TextQuoteSelector` (`exact`, `prefix`, `suffix`: at least 32 code points
//!   of context, extended, 32, 64, 128, … code points, until the selector
//!   matches exactly one place of the revision's text, so any implementation
//!   resolves it to this span)
//!   and a `TextPositionSelector` (`start`, `end` in **code points** of the
//!   revision's text, end exclusive), and a `state` (`TimeState`, `sourceDate`:
//!   when that revision was recorded) saying which text the offsets count in;
//! - `body`: first the cited passage, a `SpecificResource` on the source
//!   document with the same two selectors; then the relation
//!   (`supports`, `quotes`, `paraphrases`, `contradicts`, `context`,
//!   `describes_redaction`) as a `TextualBody` with `purpose` `tagging`; then the
//!   citation's note, if any, as a `TextualBody` with `purpose` `commenting`.
//!
//! A citation that bears on some parts of its claim only (see
//! `crate::parts`) targets those parts instead of the whole claim: its
//! `target` is the part's `SpecificResource` (selectors on the part's words),
//! or an array of them when it bears on several; clients that highlight a
//! target (Hypothesis, Apache Annotator) then highlight the words it backs.
//!
//! **A claim part** is an `Annotation` of its own with `motivation`
//! `assessing`, `id` `urn:uuid:` and the part's ID, whose `target` is the
//! part's words in the article (selectors as above) and whose `body` holds the
//! part's state (`supported`, `partly_supported`, `contradicted`,
//! `context_only`, `uncited`: the one state of [`crate::state`]) as a
//! `TextualBody` with `purpose` `tagging`, then the whole claim it is part of as
//! a `SpecificResource` on the article with `purpose` `linking`, then the part's
//! note, if any, with `purpose` `commenting`.
//!
//! **A redaction** is an `Annotation` with `motivation` `tagging` whose
//! `target` is the withheld span of the source (selectors as above) and whose
//! `body` holds the reason's label (`purpose` `tagging`), its `scheme:code`
//! (`purpose` `classifying`) when the label resolved to a known reason, and a
//! sentence with the label as printed and the estimated length (`purpose`
//! `describing`).
//!
//! Citations come first (by ID), then claim parts (by revision, then position),
//! then redactions (by revision, then position).

use super::{Records, RevisionMeta, Scope, Texts, document_iri, instant_text};
use crate::state::part_evidence;
use crate::storage::passages::{CONTEXT_CHARS, selectors_of};
use crate::{
    CharIndex, CitationId, Claim, ClaimId, ClaimPart, ClaimPartId, Document, DocumentId, Entity, Error, Ledger,
    Passage, PassageId, Relation, Result, RevisionId, TextPositionSelector, TextQuoteSelector,
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The JSON-LD context of the Web Annotation model.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The W3C selectors of bytes `start..end` of an indexed text: the position,
/// and a quote whose prefix and suffix grow from [`CONTEXT_CHARS`] code points,
/// doubling, until the quote matches this place only. A TextQuoteSelector
/// matches where `exact` occurs with `prefix` right before it and `suffix` right
/// after; with the whole text on both sides it matches one place, so this ends.
///
/// # Errors
///
/// [`Error::InvalidSpan`] when the range is not a valid span of the text.
pub(crate) fn unique_selectors(
    index: &CharIndex,
    start: usize,
    end: usize,
) -> Result<(TextQuoteSelector, TextPositionSelector)> {
    let (mut quote, position) = selectors_of(index, start, end)?;
    let t = index.text().as_bytes();
    let exact = quote.exact.as_bytes();
    if exact.is_empty() {
        return Ok((quote, position));
    }
    // Every other place `exact` occurs (overlapping ones too).
    let mut others = Vec::new();
    let finder = memchr::memmem::Finder::new(exact);
    let mut from = 0;
    while let Some(i) = finder.find(&t[from..]) {
        let at = from + i;
        if at != start {
            others.push(at);
        }
        from = at + 1;
    }
    let mut context = CONTEXT_CHARS;
    loop {
        let (pre, suf) = (quote.prefix.as_bytes(), quote.suffix.as_bytes());
        let matches_too =
            |o: &usize| t[..*o].ends_with(pre) && t.get(*o + exact.len()..).is_some_and(|rest| rest.starts_with(suf));
        if !others.iter().any(matches_too) {
            return Ok((quote, position));
        }
        if pre.len() == start && suf.len() == t.len() - end {
            // The whole text on both sides: unique by construction.
            return Ok((quote, position));
        }
        context *= 2;
        let pre_start = index.to_byte(position.start.saturating_sub(context)).unwrap_or(0);
        let suf_end = index.to_byte((position.end + context).min(index.char_len())).unwrap_or(t.len());
        let text = index.text();
        quote.prefix = text[pre_start..start].to_string();
        quote.suffix = text[end..suf_end].to_string();
    }
}

fn selectors(quote: &TextQuoteSelector, position: &TextPositionSelector) -> Value {
    json!([
        {"type": "TextQuoteSelector", "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
        {"type": "TextPositionSelector", "start": position.start, "end": position.end},
    ])
}

fn resource(doc: &Document, rev: &RevisionMeta, selector: Value) -> Value {
    json!({
        "type": "SpecificResource",
        "source": document_iri(doc),
        "selector": selector,
        "state": {"type": "TimeState", "sourceDate": instant_text(rev.created_at)},
    })
}

impl Ledger {
    /// The citations and redactions of `scope` as a W3C `AnnotationCollection`
    /// (see the [module documentation](crate::formats::w3c)).
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::formats::Scope;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Audit"))?;
    /// let srev = ledger.add_revision(src.id, NewRevision::new("Sales fell 3% in 2023."))?;
    /// let art = ledger.add_document(NewDocument::new(DocumentKind::Article, "News"))?;
    /// let text = "🎺 News. Sales fell in 2023.";
    /// let arev = ledger.add_revision(art.id, NewRevision::new(text))?;
    /// let claim = ledger.add_claim(NewClaim::new(Span::new(arev.id, text.find("Sales").unwrap(), text.len())))?;
    /// let p = ledger.add_passage(NewPassage::new(Span::new(srev.id, 0, 22)))?;
    /// ledger.add_citation(NewCitation::new(claim.id, p.id, Relation::Supports))?;
    ///
    /// let anno = ledger.export_annotations(Scope::Document(art.id))?;
    /// let item = &anno["first"]["items"][0];
    /// assert_eq!(item["type"], "Annotation");
    /// assert_eq!(item["motivation"], "linking");
    /// // The trumpet is one code point (four UTF-8 bytes).
    /// assert_eq!(item["target"]["selector"][1]["start"], 8);
    /// assert_eq!(item["body"][1]["value"], "supports");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document; database errors.
    pub fn export_annotations(&self, scope: Scope) -> Result<Value> {
        let r = Records::collect(self, scope)?;
        let docs: HashMap<DocumentId, &Document> = r.documents.iter().map(|d| (d.id, d)).collect();
        let revs: HashMap<RevisionId, &RevisionMeta> = r.revisions.iter().map(|m| (m.id, m)).collect();
        let claims: HashMap<ClaimId, &Claim> = r.claims.iter().map(|c| (c.id, c)).collect();
        let passages: HashMap<PassageId, &Passage> = r.passages.iter().map(|p| (p.id, p)).collect();
        let place = |rev: RevisionId| -> Result<(&RevisionMeta, &Document)> {
            let m = revs.get(&rev).ok_or_else(|| Error::not_found(Entity::Revision, rev))?;
            let d = docs.get(&m.document).ok_or_else(|| Error::not_found(Entity::Document, m.document))?;
            Ok((m, d))
        };
        let mut texts = Texts::default();
        let mut items = Vec::new();
        // The parts each citation bears on, and each part's state.
        let mut parts_of: HashMap<CitationId, Vec<&ClaimPart>> = HashMap::new();
        let mut parts_by_claim: HashMap<ClaimId, Vec<&ClaimPart>> = HashMap::new();
        for p in &r.parts {
            for c in &p.citations {
                parts_of.entry(*c).or_default().push(p);
            }
            parts_by_claim.entry(p.claim).or_default().push(p);
        }
        let mut relations_by_claim: HashMap<ClaimId, Vec<(CitationId, Relation)>> = HashMap::new();
        for c in &r.citations {
            relations_by_claim.entry(c.claim).or_default().push((c.id, c.relation));
        }
        for c in &r.citations {
            let claim = claims.get(&c.claim).ok_or_else(|| Error::not_found(Entity::Claim, c.claim))?;
            let passage = passages.get(&c.passage).ok_or_else(|| Error::not_found(Entity::Passage, c.passage))?;
            let (crev, cdoc) = place(claim.span.revision)?;
            let (prev, pdoc) = place(passage.span.revision)?;
            let idx = texts.get(self, claim.span.revision)?;
            let target = match parts_of.get(&c.id).map(Vec::as_slice) {
                None | Some([]) => {
                    let (quote, position) = unique_selectors(&idx, claim.span.start, claim.span.end)?;
                    resource(cdoc, crev, selectors(&quote, &position))
                }
                Some(parts) => {
                    let mut targets = Vec::with_capacity(parts.len());
                    for p in parts {
                        let (quote, position) = unique_selectors(&idx, p.span.start, p.span.end)?;
                        targets.push(resource(cdoc, crev, selectors(&quote, &position)));
                    }
                    if targets.len() == 1 { targets.remove(0) } else { Value::Array(targets) }
                }
            };
            let pidx = texts.get(self, passage.span.revision)?;
            let (pquote, pposition) = unique_selectors(&pidx, passage.span.start, passage.span.end)?;
            let mut body = vec![
                resource(pdoc, prev, selectors(&pquote, &pposition)),
                json!({"type": "TextualBody", "purpose": "tagging", "value": c.relation.code()}),
            ];
            if let Some(note) = &c.note {
                body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": note}));
            }
            let mut a = json!({
                "@context": CONTEXT,
                "id": format!("urn:uuid:{}", c.id),
                "type": "Annotation",
                "motivation": "linking",
                "created": instant_text(c.created_at),
                "target": target,
                "body": body,
            });
            if let Some(who) = &c.recorded_by {
                a["creator"] = json!({"type": "Person", "name": who});
            }
            items.push(a);
        }
        for claim in &r.claims {
            let Some(parts) = parts_by_claim.get(&claim.id) else { continue };
            let (crev, cdoc) = place(claim.span.revision)?;
            let idx = texts.get(self, claim.span.revision)?;
            let ids: Vec<ClaimPartId> = parts.iter().map(|p| p.id).collect();
            let links: Vec<(ClaimPartId, CitationId)> =
                parts.iter().flat_map(|p| p.citations.iter().map(move |c| (p.id, *c))).collect();
            let relations = relations_by_claim.get(&claim.id).map(Vec::as_slice).unwrap_or(&[]);
            let evidence = part_evidence(&ids, relations, &links);
            let (cquote, cposition) = unique_selectors(&idx, claim.span.start, claim.span.end)?;
            for (p, e) in parts.iter().zip(evidence) {
                let (quote, position) = unique_selectors(&idx, p.span.start, p.span.end)?;
                let mut claim_resource = resource(cdoc, crev, selectors(&cquote, &cposition));
                claim_resource["purpose"] = json!("linking");
                let mut body = vec![
                    json!({"type": "TextualBody", "purpose": "tagging", "value": e.derived().state.code()}),
                    claim_resource,
                ];
                if let Some(note) = &p.note {
                    body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": note}));
                }
                items.push(json!({
                    "@context": CONTEXT,
                    "id": format!("urn:uuid:{}", p.id),
                    "type": "Annotation",
                    "motivation": "assessing",
                    "created": instant_text(p.created_at),
                    "target": resource(cdoc, crev, selectors(&quote, &position)),
                    "body": body,
                }));
            }
        }
        for x in &r.redactions {
            let (rev, doc) = place(x.span.revision)?;
            let idx = texts.get(self, x.span.revision)?;
            let (quote, position) = unique_selectors(&idx, x.span.start, x.span.end)?;
            let mut body = vec![json!({
                "type": "TextualBody",
                "purpose": "tagging",
                "value": x.reason.as_ref().map(|r| r.label.as_str()).unwrap_or(x.label.as_str()),
            })];
            if let Some(reason) = &x.reason {
                body.push(json!({
                    "type": "TextualBody",
                    "purpose": "classifying",
                    "value": format!("{}:{}", reason.scheme, reason.code),
                }));
            }
            let size = x.approx_chars.map(|n| format!(", about {n} characters")).unwrap_or_default();
            body.push(json!({
                "type": "TextualBody",
                "purpose": "describing",
                "value": format!("Withheld, labelled {:?}{size}.", x.label),
            }));
            items.push(json!({
                "@context": CONTEXT,
                "id": format!("urn:uuid:{}", x.id),
                "type": "Annotation",
                "motivation": "tagging",
                "created": instant_text(x.created_at),
                "target": resource(doc, rev, selectors(&quote, &position)),
                "body": body,
            }));
        }
        let (id, label) = match scope {
            Scope::Ledger => ("urn:claimledger:annotations:ledger".to_string(), "Citations and redactions".to_string()),
            Scope::Document(d) => (
                format!("urn:claimledger:annotations:{d}"),
                format!(
                    "Citations and redactions of {}",
                    docs.get(&d).map(|x| x.title.as_str()).unwrap_or("the document")
                ),
            ),
        };
        Ok(json!({
            "@context": CONTEXT,
            "id": id,
            "type": "AnnotationCollection",
            "label": label,
            "total": items.len(),
            "first": {
                "id": format!("{id}:page:0"),
                "type": "AnnotationPage",
                "startIndex": 0,
                "items": items,
            },
        }))
    }
}
