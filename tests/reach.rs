//! How far a citation reaches into withheld material: a cited heading reaches
//! the section it opens (to the next heading of the same or a higher level),
//! and withheld material elsewhere in a cited passage's paragraph is a weaker
//! mark listed apart (JSON, text view, schema). On made-up text.

use claimledger::audit::{Audit, WithheldEvidence};
use claimledger::*;

/// A made-up report with numbered and unnumbered headings and redactions.
const REPORT: &str = "\
II. FINDINGS

A. The Budget

Spending rose in 2023. It fell later.

1. Salaries

Staff pay went up [Grand Jury] by a tenth.

2. Travel

Trips were cut. The board approved it [Personal Privacy] in May.

B. The Audit

The audit found gaps [Harm to Ongoing Matter] in the records.

Contracts

The contracts were renewed.

Vendors

One vendor [Investigative Technique] was replaced.
";

/// A made-up article: each statement cites one passage of the report.
const ARTICLE: &str = "\
The budget section is heavily redacted. \
Spending rose last year. \
The board approved the cuts. \
The audit found gaps in the records. \
Contracts were renewed.";

fn audit() -> (Ledger, Audit) {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "Report")).unwrap();
    let rev = l.add_revision(src.id, NewRevision::new(REPORT)).unwrap();
    for label in ["[Grand Jury]", "[Personal Privacy]", "[Harm to Ongoing Matter]", "[Investigative Technique]"] {
        let at = REPORT.find(label).unwrap();
        l.add_redaction(NewRedaction {
            span: Span::new(rev.id, at, at + label.len()),
            label: label.trim_matches(['[', ']']).into(),
            approx_chars: None,
        })
        .unwrap();
    }
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "News"), ARTICLE).unwrap();
    assert_eq!(art.claims.len(), 5);
    for (claim, words, relation) in [
        (0, "A. The Budget", Relation::Supports),
        (1, "Spending rose in 2023.", Relation::Supports),
        (2, "Trips were cut.", Relation::Context),
        (3, "The audit found gaps [Harm to Ongoing Matter] in the records.", Relation::Supports),
        (4, "Contracts", Relation::Context),
    ] {
        let at = REPORT.find(words).unwrap();
        let p = l.add_passage(NewPassage::new(Span::new(rev.id, at, at + words.len()))).unwrap();
        l.add_citation(NewCitation::new(art.claims[claim].id, p.id, relation)).unwrap();
    }
    let a = l.audit(art.document.id).unwrap();
    (l, a)
}

/// The (label, via) of each redaction listed for the statement starting with `words`.
fn reached(list: &[WithheldEvidence], words: &str) -> Vec<(String, String)> {
    list.iter()
        .filter(|w| w.statement.starts_with(words))
        .flat_map(|w| w.redactions.iter().map(|r| (r.label.clone(), r.via.clone())))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn a_cited_heading_reaches_its_section_and_its_subsections() {
    let (_, a) = audit();
    // "A. The Budget" (level 2) runs through "1." and "2." (level 3) to "B.".
    assert_eq!(
        reached(&a.withheld, "The budget section"),
        pairs(&[("Grand Jury", "section"), ("Personal Privacy", "section")])
    );
    let budget = a.claims.iter().find(|c| c.text.starts_with("The budget section")).unwrap();
    assert!(budget.withheld, "a statement citing a heading rests on its section");
    // An unnumbered heading's section ends at the next heading of any kind:
    // "Contracts" does not reach the vendor's redaction under "Vendors".
    assert!(reached(&a.withheld, "Contracts were renewed").is_empty());
    assert!(reached(&a.withheld_in_paragraph, "Contracts were renewed").is_empty());
    assert!(!a.claims.iter().find(|c| c.text.starts_with("Contracts")).unwrap().withheld);
}

#[test]
fn withheld_material_in_the_same_paragraph_is_a_weaker_mark_listed_apart() {
    let (_, a) = audit();
    // A sentence with no redaction of its own, in a paragraph without one: nothing.
    assert!(reached(&a.withheld, "Spending rose").is_empty());
    assert!(reached(&a.withheld_in_paragraph, "Spending rose").is_empty());
    // "Trips were cut." is whole, but its paragraph holds a redaction: the
    // weaker mark only, and the statement is not withheld.
    assert!(reached(&a.withheld, "The board approved").is_empty());
    assert_eq!(reached(&a.withheld_in_paragraph, "The board approved"), pairs(&[("Personal Privacy", "paragraph")]));
    let board = a.claims.iter().find(|c| c.text.starts_with("The board approved")).unwrap();
    assert!(!board.withheld);
    // A redaction inside the cited words is reached through the passage, and
    // not listed again as in its paragraph.
    assert_eq!(reached(&a.withheld, "The audit found"), pairs(&[("Harm to Ongoing Matter", "passage")]));
    assert!(reached(&a.withheld_in_paragraph, "The audit found").is_empty());
    // A heading's paragraph is its own line: its section is reached, not "paragraph".
    assert!(reached(&a.withheld_in_paragraph, "The budget section").is_empty());

    // The text view lists the weaker mark under its own heading.
    let text = a.to_text();
    let (strong, weak) = text.split_once("Withheld material in the same paragraph").expect(&text);
    assert!(strong.contains("Grand Jury [") && strong.contains("via section"), "{text}");
    assert!(weak.contains("The board approved the cuts.") && weak.contains("Personal Privacy"), "{text}");
    assert!(!weak.contains("Grand Jury"), "{text}");
}

#[test]
fn the_audit_json_with_reach_follows_its_schema() {
    let (_, a) = audit();
    let mut json = serde_json::to_value(&a).unwrap();
    json["format"] = 1.into();
    assert_eq!(json["withheld_in_paragraph"][0]["redactions"][0]["via"], "paragraph");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/audit.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let v = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The schema refuses a paragraph mark that claims more than a paragraph.
    json["withheld_in_paragraph"][0]["redactions"][0]["via"] = "passage".into();
    assert!(!v.is_valid(&json));
}
