//! Trace-file parsing and import into an in-memory ledger holding the embedded
//! sample report. Input: trace (TOML, or JSON when it starts with `{`) NUL
//! article text (the sample article when absent). An import either succeeds or
//! fails with a typed input error and writes nothing.

use claimledger::cli::sample;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::{DocumentKind, Ledger, NewDocument};

const REPORT_TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let (trace, article) = input.split_once('\0').unwrap_or((&input, sample::ARTICLE));
    let parsed =
        if trace.trim_start().starts_with('{') { TraceFile::from_json(trace) } else { TraceFile::from_toml(trace) };
    let t = match parsed {
        Ok(t) => t,
        Err(e) => {
            assert!(e.is_invalid_input(), "{e}");
            return;
        }
    };
    // Round trip through TOML.
    if let Ok(s) = t.to_toml() {
        let back = TraceFile::from_toml(&s).expect("a written trace reads back");
        assert_eq!(back, t);
    }
    let mut ledger = Ledger::open_in_memory().expect("in-memory ledger");
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, REPORT_TITLE), sample::REPORT);
    imp.redactions =
        Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).expect("sample redactions"));
    ledger.import_source(imp).expect("sample report");
    let before = ledger.documents().expect("documents").len();
    match ledger.import_trace(article, &t) {
        Ok(out) => {
            let claims = ledger.claims(out.revision.id).expect("claims");
            assert_eq!(claims.len(), out.statements);
            for c in &claims {
                ledger.text(&c.span).expect("claim spans fit their text");
            }
        }
        Err(e) => {
            assert!(e.is_invalid_input(), "{e}");
            assert_eq!(ledger.documents().expect("documents").len(), before, "a failed import wrote nothing");
        }
    }
}
