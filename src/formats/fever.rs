//! FEVER-style JSON Lines: every claim that needs a source, with a label and
//! its evidence, for training and evaluating claim-verification models.
//!
//! One line per claim of the scope that is not exempt, in text order:
//!
//! ```json
//! {"id": "0190…", "claim": "The office found three weaknesses.", "label": "SUPPORTS",
//!  "evidence": [[["Review of the … Contract", 412, "The Office identified three weaknesses …"]]]}
//! ```
//!
//! `id` is the claim's ID; `claim` its text. The label comes from the claim's
//! citations:
//!
//! | citations | label | evidence |
//! | --- | --- | --- |
//! | at least one supporting relation (`supports`, `quotes`, `paraphrases`, `describes_redaction`) | `SUPPORTS` | the supporting passages |
//! | `contradicts` and no supporting relation | `REFUTES` | the contradicting passages |
//! | `context` only, or none | `NOT ENOUGH INFO` | none (`[]`) |
//!
//! The evidence is one set (the claim's citations are recorded together and
//! back it together): `[[[source, start, exact], ...]]`, where `source` is the
//! cited document's title, `start` the passage's start in code points of its
//! revision, and `exact` the passage's text.

use super::{Records, Scope, Texts};
use crate::*;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

/// One line, its fields in FEVER's order.
#[derive(serde::Serialize)]
struct Line<'a> {
    id: ClaimId,
    claim: &'a str,
    label: &'static str,
    evidence: Value,
}

/// FEVER's label of a claim from the relations of its citations.
pub fn label(relations: &[Relation]) -> &'static str {
    if relations.iter().any(Relation::is_supporting) {
        "SUPPORTS"
    } else if relations.contains(&Relation::Contradicts) {
        "REFUTES"
    } else {
        "NOT ENOUGH INFO"
    }
}

impl Ledger {
    /// Writes the claims of `scope` that need a source as FEVER-style JSON Lines
    /// (see the [module documentation](crate::formats::fever)); returns how many
    /// lines it wrote.
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::formats::Scope;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Audit"))?;
    /// let srev = ledger.add_revision(src.id, NewRevision::new("Sales rose 3% in 2023."))?;
    /// let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "News"), "Sales fell in 2023.")?;
    /// let p = ledger.add_passage(NewPassage::new(Span::new(srev.id, 0, 22)))?;
    /// ledger.add_citation(NewCitation::new(art.claims[0].id, p.id, Relation::Contradicts))?;
    /// let mut out = Vec::new();
    /// assert_eq!(ledger.export_fever(Scope::Document(art.document.id), &mut out)?, 1);
    /// let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
    /// assert_eq!(line["label"], "REFUTES");
    /// assert_eq!(line["evidence"][0][0][0], "Audit");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document; [`Error::Io`] when `out`
    /// fails; database errors.
    pub fn export_fever(&self, scope: Scope, out: &mut impl Write) -> Result<usize> {
        let r = Records::collect(self, scope)?;
        let titles: HashMap<DocumentId, &str> = r.documents.iter().map(|d| (d.id, d.title.as_str())).collect();
        let docs: HashMap<RevisionId, DocumentId> = r.revisions.iter().map(|m| (m.id, m.document)).collect();
        let passages: HashMap<PassageId, &Passage> = r.passages.iter().map(|p| (p.id, p)).collect();
        let mut by_claim: HashMap<ClaimId, Vec<&Citation>> = HashMap::new();
        for c in &r.citations {
            by_claim.entry(c.claim).or_default().push(c);
        }
        let mut texts = Texts::default();
        let mut n = 0;
        for claim in r.claims.iter().filter(|c| c.exemption.is_none()) {
            let cites = by_claim.get(&claim.id).map(Vec::as_slice).unwrap_or_default();
            let relations: Vec<Relation> = cites.iter().map(|c| c.relation).collect();
            let label = label(&relations);
            let keep = |rel: Relation| match label {
                "SUPPORTS" => rel.is_supporting(),
                "REFUTES" => rel == Relation::Contradicts,
                _ => false,
            };
            let mut set = Vec::new();
            for c in cites.iter().filter(|c| keep(c.relation)) {
                let p = passages.get(&c.passage).ok_or_else(|| Error::not_found(Entity::Passage, c.passage))?;
                let source = docs
                    .get(&p.span.revision)
                    .and_then(|d| titles.get(d))
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| p.span.revision.to_string());
                set.push(json!([source, p.position.start, p.quote.exact]));
            }
            let evidence = if set.is_empty() { Value::Array(vec![]) } else { json!([set]) };
            let idx = texts.get(self, claim.span.revision)?;
            let text = idx.text().get(claim.span.start..claim.span.end).unwrap_or_default();
            let line = Line { id: claim.id, claim: text, label, evidence };
            serde_json::to_writer(&mut *out, &line)
                .map_err(|source| Error::Json { what: "FEVER line".into(), source })?;
            out.write_all(b"\n").map_err(|e| Error::io("FEVER output", e))?;
            n += 1;
        }
        out.flush().map_err(|e| Error::io("FEVER output", e))?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_relations() {
        use Relation::*;
        assert_eq!(label(&[Supports]), "SUPPORTS");
        assert_eq!(label(&[Contradicts, Quotes]), "SUPPORTS");
        assert_eq!(label(&[DescribesRedaction]), "SUPPORTS");
        assert_eq!(label(&[Contradicts, Context]), "REFUTES");
        assert_eq!(label(&[Context]), "NOT ENOUGH INFO");
        assert_eq!(label(&[]), "NOT ENOUGH INFO");
    }
}
