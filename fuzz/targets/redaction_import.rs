//! Redaction-file parsing and source import into an in-memory ledger. Input:
//! redaction file JSON NUL source text (the sample report when absent). The
//! import either stores every entry or fails with a typed input error and
//! writes nothing; detection of labels in the text never fails.

use claimledger::cli::sample;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::{DocumentKind, Ledger, NewDocument};

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let (json, text) = input.split_once('\0').unwrap_or((&input, sample::REPORT));
    let mut ledger = Ledger::open_in_memory().expect("in-memory ledger");
    match RedactionFile::from_json(json) {
        Ok(file) => {
            let n = file.redactions.len();
            let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "fuzzed"), text);
            imp.redactions = Redactions::StandOff(file);
            match ledger.import_source(imp) {
                Ok(out) => {
                    assert_eq!(out.redactions, n);
                    for r in ledger.redactions(out.revision.id).expect("redactions") {
                        ledger.text(&r.span).expect("redaction spans fit");
                    }
                }
                Err(e) => {
                    assert!(e.is_invalid_input(), "{e}");
                    assert!(ledger.documents().expect("documents").is_empty(), "nothing written");
                }
            }
        }
        Err(e) => assert!(e.is_invalid_input(), "{e}"),
    }
    // Detection on the same text, in a second document.
    let imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "detected"), text);
    match ledger.import_source(imp) {
        Ok(out) => {
            for r in ledger.redactions(out.revision.id).expect("redactions") {
                ledger.text(&r.span).expect("redaction spans fit");
            }
        }
        Err(e) => assert!(e.is_invalid_input(), "{e}"),
    }
}
