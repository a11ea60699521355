//! The core ledger on the real corpus (runs when CLAIMLEDGER_CORPUS is set).

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::*;
use std::collections::BTreeMap;

#[test]
fn volume_one_imports_with_all_its_redactions_mapped() {
    let Some(text_path) =
        common::corpus_file("volume_one_imports_with_all_its_redactions_mapped", "mueller-report-vol1.txt")
    else {
        return;
    };
    let red_path = common::corpus_file("volume_one", "mueller-report-vol1.redactions.json").unwrap();
    let text = std::fs::read_to_string(&text_path).unwrap();
    let file = RedactionFile::read(&red_path).unwrap();
    assert_eq!(file.redactions.len(), 790);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vol1.ledger");
    let rev_id = {
        let mut ledger = Ledger::open(&path).unwrap();
        let mut imp =
            SourceImport::new(NewDocument::new(DocumentKind::Report, "Mueller report, Volume I"), text.clone());
        imp.redactions = Redactions::StandOff(file.clone());
        let out = ledger.import_source(imp).unwrap();
        assert_eq!(out.redactions, 790);
        assert_eq!(out.footnotes, 1283, "every footnote definition becomes a passage");
        // The two empty labels (`[Redacted]`) are the only true unknowns.
        assert_eq!(out.unknown_labels, vec![(String::new(), 2)]);
        out.revision.id
    };
    // Reopen and check every redaction's code against its label, independently.
    let ledger = Ledger::open(&path).unwrap();
    let stored = ledger.redactions(rev_id).unwrap();
    assert_eq!(stored.len(), 790);
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for r in &stored {
        let expected = match r.label.as_str() {
            "Grand Jury" => Some("gj"),
            "Harm to Ongoing Matter" | "Harm to Ongoing Matters" | "Harm to Ongoing Investigation" | "HOM" => {
                Some("hom")
            }
            "Investigative Technique" | "IT" => Some("it"),
            "Personal Privacy" | "Personal Privacyr" | "PP" => Some("pp"),
            "" => None,
            other => panic!("unexpected label {other:?}"),
        };
        assert_eq!(r.reason.as_ref().map(|x| x.code.as_str()), expected, "label {:?}", r.label);
        assert_eq!(r.reason.as_ref().map(|x| x.scheme.as_str()).unwrap_or("mueller"), "mueller");
        *by_code.entry(r.reason.as_ref().map(|x| x.code.clone()).unwrap_or_default()).or_default() += 1;
        // The stored byte span covers the text the file's code-point selector named.
        let t = ledger.text(&r.span).unwrap();
        assert!(t.starts_with('[') && t.ends_with(']'), "{t:?}");
    }
    assert_eq!(by_code.get("gj"), Some(&345));
    assert_eq!(by_code.get("hom"), Some(&(197 + 81 + 10 + 1)));
    assert_eq!(by_code.get("it"), Some(&90));
    assert_eq!(by_code.get("pp"), Some(&64));
    assert_eq!(by_code.get(""), Some(&2));
}

#[test]
fn pdf_text_pages_come_from_form_feeds() {
    let Some(pdf) = common::corpus_file("pdf_text_pages_come_from_form_feeds", "mueller-report-doj-pdf-text.txt")
    else {
        return;
    };
    let text = std::fs::read_to_string(pdf).unwrap();
    let mut ledger = Ledger::open_in_memory().unwrap();
    let mut imp =
        SourceImport::new(NewDocument::new(DocumentKind::Report, "Mueller report (DOJ PDF text)"), text.clone());
    imp.redactions = Redactions::None;
    imp.footnotes = false;
    let out = ledger.import_source(imp).unwrap();
    let rev = ledger.revision(out.revision.id).unwrap().unwrap();
    assert_eq!(rev.pages().count(), 448, "448 pages, 447 form feeds");

    // A known span: the heading of Volume II's introduction (the last
    // "INTRODUCTION TO VOLUME" of the file). Find the page by counting form feeds
    // independently of the library.
    let needle = "INTRODUCTION TO VOLUME";
    let at = text.rfind(needle).expect("the PDF text has Volume II's introduction heading");
    let expected_page = text[..at].matches('\x0c').count() as u32 + 1;
    let passage = ledger.add_passage(NewPassage::new(Span::new(rev.id, at, at + needle.len()))).unwrap();
    assert_eq!(passage.page, Some(expected_page));
    assert_eq!(expected_page, 213, "Volume II's introduction is on PDF page 213");
    assert!((200..=215).contains(&expected_page), "Volume II starts about two hundred pages in, got {expected_page}");
    // And the code-point selector agrees with an independent count.
    assert_eq!(passage.position.start, text[..at].chars().count());
}
