//! Evidence items at import, the `evidence` listing, origins in the audit, and
//! withdrawal (made-up sources; the corpus is in `evidence_corpus.rs`).

use claimledger::import::SourceImport;
use claimledger::*;

/// A made-up inquiry report: the first sentence rests on one witness (two
/// interviews), the second on two independent origins, the third on a withheld
/// item and a court filing.
const REPORT: &str = "The depot closed early.[^1] The manager ordered it.[^2] Fuel was sold.[^3]\n\n\
Footnotes\n\n\
[^1]: Lark 1/30/18 302, at 3; Lark 2/2/18 302, at 1.\n\
[^2]: See Lark 1/30/18 302, at 4; 3/1/17 Email, Finch to Wren (9:00 a.m.).\n\
[^3]: [Grand Jury]; Finch Indictment ¶ 12; Id. ¶ 14.\n";

const ARTICLE: &str = "The depot closed early. Its manager ordered the closure. Fuel was sold off.";

struct Fixture {
    ledger: Ledger,
    report: Document,
    article: Document,
}

fn fixture() -> Fixture {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let src = ledger
        .import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Depot inquiry"), REPORT))
        .unwrap();
    let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "Depot story"), ARTICLE).unwrap();
    assert_eq!(art.claims.len(), 3);
    // Each statement cites its sentence of the report (the marker follows it).
    for (claim, sentence) in
        art.claims.iter().zip(["The depot closed early.", "The manager ordered it.", "Fuel was sold."])
    {
        let start = REPORT.find(sentence).unwrap();
        let p = ledger.add_passage(NewPassage::new(Span::new(src.revision.id, start, start + sentence.len()))).unwrap();
        ledger.add_citation(NewCitation::new(claim.id, p.id, Relation::Supports)).unwrap();
    }
    Fixture { ledger, report: src.document, article: art.document }
}

#[test]
fn import_stores_each_footnotes_items_with_spans() {
    let f = fixture();
    let notes = f.ledger.evidence(f.report.id, None).unwrap();
    let kinds: Vec<Vec<EvidenceKind>> = notes.iter().map(|n| n.items.iter().map(|i| i.kind).collect()).collect();
    assert_eq!(
        kinds,
        vec![
            vec![EvidenceKind::Interview302, EvidenceKind::Interview302],
            vec![EvidenceKind::Interview302, EvidenceKind::Email],
            vec![EvidenceKind::Redacted, EvidenceKind::CourtFiling, EvidenceKind::CourtFiling],
        ]
    );
    let lark = &notes[0].items[1];
    assert_eq!(
        (lark.who.as_deref(), lark.date.as_deref(), lark.pin.as_deref()),
        (Some("Lark"), Some("2018-02-02"), Some("1"))
    );
    // Offsets are code points in the revision, and the text is what they cover.
    let chars: Vec<char> = REPORT.chars().collect();
    for n in &notes {
        for i in &n.items {
            assert_eq!(chars[i.start..i.end].iter().collect::<String>(), i.text);
        }
    }
    assert_eq!(notes[1].items[1].text, "3/1/17 Email, Finch to Wren (9:00 a.m.)");
    assert_eq!(notes[1].items[1].to, vec!["Wren".to_string()]);
    assert_eq!(notes[1].items[0].signal, Some(Signal::See));
    assert_eq!(notes[1].items[1].signal, Some(Signal::See), "a signal carries over the string");
    // `Id.` is the previous item, stored with a link to it.
    let id_item = f.ledger.evidence_item(notes[2].items[2].id).unwrap().unwrap();
    assert_eq!(id_item.refers_to, Some(notes[2].items[1].id));
    assert_eq!(notes[2].items[2].pin.as_deref(), Some("¶ 14"));
    // One footnote alone; a footnote the document does not have is an error.
    assert_eq!(f.ledger.evidence(f.report.id, Some(2)).unwrap().len(), 1);
    assert!(f.ledger.evidence(f.report.id, Some(9)).unwrap_err().is_not_found());
}

#[test]
fn the_audit_counts_independent_origins_and_lists_single_ones() {
    let f = fixture();
    let a = f.ledger.audit(f.article.id).unwrap();
    let by_text = |needle: &str| a.origins.iter().find(|s| s.statement.text.contains(needle)).unwrap().evidence.clone();
    let closed = by_text("closed early");
    assert_eq!(closed.items, 2);
    assert_eq!(closed.origins.iter().map(|o| o.origin.as_str()).collect::<Vec<_>>(), vec!["Lark"]);
    let ordered = by_text("manager ordered");
    assert_eq!(ordered.origins.len(), 2, "{ordered:?}");
    let sold = by_text("Fuel was sold");
    assert_eq!((sold.items, sold.withheld, sold.origins.len()), (3, 1, 1));
    assert_eq!(sold.origins[0].origin, "Finch Indictment");
    assert_eq!(sold.origins[0].items, 2, "Id. repeats the indictment: the same origin");
    let single: Vec<(&str, &str)> =
        a.single_origin.iter().map(|s| (s.statement.text.as_str(), s.origin.as_str())).collect();
    assert_eq!(single, vec![("The depot closed early.", "Lark"), ("Fuel was sold off.", "Finch Indictment")]);
    assert!(a.withdrawn.is_empty());
    assert_eq!(a.coverage.standing, a.coverage.supported);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["origins"][0]["origins"][0]["origin"], "Lark");
    assert_eq!(json["origins"][0]["standing"], "stands");
    assert_eq!(json["origins"][1]["origins"].as_array().map(Vec::len), Some(2));
    assert!(a.to_text().contains("Resting on one account:\n  - Lark: The depot closed early."));
}

#[test]
fn withdrawing_a_witness_fells_what_rests_on_it_and_thins_the_rest() {
    let mut f = fixture();
    let w = f.ledger.withdraw(&WithdrawalTarget::Origin("lark".into()), "found to have lied").unwrap();
    let a = f.ledger.audit(f.article.id).unwrap();
    let standing =
        |needle: &str| a.origins.iter().find(|s| s.statement.text.contains(needle)).unwrap().evidence.standing;
    assert_eq!(standing("closed early"), Standing::Falls);
    assert_eq!(standing("manager ordered"), Standing::Thins);
    assert_eq!(standing("Fuel was sold"), Standing::Stands);
    assert_eq!(a.withdrawn.len(), 2);
    assert!((a.coverage.supported - 1.0).abs() < 1e-9);
    assert!((a.coverage.standing - 2.0 / 3.0).abs() < 1e-9, "{}", a.coverage.standing);
    assert!(a.single_origin.iter().any(|s| s.statement.text.contains("manager") && s.origin == "Finch"));
    // The evidence listing marks the withdrawn items; nothing was deleted.
    let notes = f.ledger.evidence(f.report.id, None).unwrap();
    assert!(notes[0].items.iter().all(|i| i.withdrawn));
    assert_eq!(notes.iter().map(|n| n.items.len()).sum::<usize>(), 7);

    // Undone by a later record: the statement stands again, both records kept.
    f.ledger.undo_withdrawal(w.id, "the finding was reversed").unwrap();
    let a = f.ledger.audit(f.article.id).unwrap();
    assert!(a.withdrawn.is_empty());
    let history = f.ledger.withdrawals().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].target, WithdrawalTarget::Undo(w.id));
    assert!(f.ledger.undo_withdrawal(w.id, "again").unwrap_err().is_conflict());
    assert!(f.ledger.undo_withdrawal(history[1].id, "undo the undo").unwrap_err().is_invalid_input());
}

#[test]
fn withdrawing_an_item_or_a_document() {
    let mut f = fixture();
    let notes = f.ledger.evidence(f.report.id, None).unwrap();
    f.ledger.withdraw(&WithdrawalTarget::Item(notes[1].items[1].id), "forged email").unwrap();
    let a = f.ledger.audit(f.article.id).unwrap();
    let ordered = a.withdrawn.iter().find(|s| s.statement.text.contains("manager")).unwrap();
    assert_eq!(ordered.evidence.standing, Standing::Thins);
    f.ledger.withdraw(&WithdrawalTarget::Document(f.report.id), "the inquiry was discredited").unwrap();
    let a = f.ledger.audit(f.article.id).unwrap();
    assert_eq!(a.withdrawn.len(), 3);
    assert!(a.withdrawn.iter().all(|s| s.evidence.standing == Standing::Falls));
    assert_eq!(a.coverage.standing, 0.0);
}

#[test]
fn bad_withdrawals_are_refused_and_write_nothing() {
    let mut f = fixture();
    let e = f.ledger.withdraw(&WithdrawalTarget::Origin("Nobody".into()), "x").unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = f.ledger.withdraw(&WithdrawalTarget::Origin("Lark".into()), "  ").unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    let e = f.ledger.withdraw(&WithdrawalTarget::Item(EvidenceItemId::new()), "x").unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = f.ledger.withdraw(&WithdrawalTarget::Document(DocumentId::new()), "x").unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = f.ledger.withdraw(&WithdrawalTarget::Undo(WithdrawalId::new()), "x").unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert!(f.ledger.undo_withdrawal(WithdrawalId::new(), "x").unwrap_err().is_not_found());
    assert!(f.ledger.withdrawals().unwrap().is_empty());
}
