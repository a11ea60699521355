//! Bundle parsing and import into an in-memory ledger (empty, or holding the
//! embedded sample report when the first byte is odd, so records merge with
//! existing ones). An import either succeeds, with every span fitting its
//! text, or fails with a typed error and writes nothing.

use claimledger::cli::sample;
use claimledger::import::SourceImport;
use claimledger::{DocumentKind, Ledger, NewDocument};

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let Some((&flags, bundle)) = data.split_first() else { return };
    let mut ledger = Ledger::open_in_memory().expect("in-memory ledger");
    if flags & 1 == 1 {
        let title = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";
        ledger
            .import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, title), sample::REPORT))
            .expect("sample report");
    }
    let before = ledger.documents().expect("documents").len();
    match ledger.import_bundle(bundle) {
        Ok(_) => {
            for d in ledger.documents().expect("documents") {
                for r in ledger.revisions(d.id).expect("revisions") {
                    for c in ledger.claims(r.id).expect("claims") {
                        ledger.text(&c.span).expect("claim spans fit");
                    }
                    for p in ledger.passages(r.id).expect("passages") {
                        ledger.text(&p.span).expect("passage spans fit");
                    }
                    for x in ledger.redactions(r.id).expect("redactions") {
                        ledger.text(&x.span).expect("redaction spans fit");
                    }
                }
            }
        }
        Err(e) => {
            assert!(e.is_invalid_input() || e.is_not_found(), "{e}");
            assert_eq!(ledger.documents().expect("documents").len(), before, "a refused bundle wrote nothing");
        }
    }
}
