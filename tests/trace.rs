//! Trace files on the embedded sample: import, idempotency, the audit's findings,
//! and typed errors that leave the ledger unchanged.

use claimledger::audit::Policy;
use claimledger::cli::sample;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;

fn ledger_with_report(path: &std::path::Path) -> Ledger {
    let mut l = Ledger::open(path).unwrap();
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    let mut imp =
        SourceImport::new(NewDocument::new(DocumentKind::Report, trace.sources[0].title.clone()), sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).unwrap());
    l.import_source(imp).unwrap();
    l
}

/// Everything in the ledger, as comparable text.
fn dump(l: &Ledger) -> String {
    let mut out = String::new();
    for d in l.documents().unwrap() {
        out += &format!("{d:?}\n");
        for r in l.revisions(d.id).unwrap() {
            for c in l.claims(r.id).unwrap() {
                out += &format!("{c:?} {:?} {:?}\n", l.citations(c.id).unwrap(), l.quotations(c.id).unwrap());
            }
            out += &format!("{:?}\n{:?}\n", l.passages(r.id).unwrap(), l.redactions(r.id).unwrap());
        }
    }
    out
}

#[test]
fn the_sample_trace_imports_and_audits() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger_with_report(&dir.path().join("s.ledger"));
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    let out = l.import_trace(sample::ARTICLE, &trace).unwrap();
    assert_eq!(out.statements, 17);
    assert_eq!(out.exempt, 2);
    assert_eq!(out.quotations, 3);

    let a = l.audit(out.article.id).unwrap();
    // The one sentence the trace leaves uncited on purpose.
    assert_eq!(a.uncited.len(), 1);
    assert!(a.uncited[0].text.contains("gulls"), "{}", a.uncited[0].text);
    // The loose "three years" is context only.
    assert_eq!(a.not_as_written.len(), 1);
    assert_eq!(a.not_as_written[0].relation, Relation::Context);
    assert!(a.not_as_written[0].statement.text.contains("three years"));
    // The misquote is altered, word for word.
    assert_eq!(a.quotations.altered.len(), 1);
    let d = &a.quotations.altered[0].differences;
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].quoted.as_str(), d[0].source.as_str()), ("found", "identified"));
    assert_eq!(a.quotations.by_status.get("normalized"), Some(&1));
    assert_eq!(a.quotations.by_status.get("verbatim"), Some(&1));
    // The blacked-out passage is withheld as Harm to Ongoing Matter, and the
    // inspector's name through footnote 3 as Personal Privacy.
    let hom = a.withheld.iter().find(|w| w.statement.contains("blacked out")).expect("the redacted passage is flagged");
    assert!(hom.redactions.iter().any(|r| r.code.as_deref() == Some("hom") && r.via == "passage"));
    let pp = a
        .withheld
        .iter()
        .find(|w| w.statement.contains("former inspector"))
        .expect("the footnote's redaction is flagged");
    assert!(pp.redactions.iter().any(|r| r.code.as_deref() == Some("pp") && r.via == "footnote 3"));
    // Coverage: 14 of 15 statements needing a source are cited.
    assert_eq!(a.statements.total - a.statements.exempt, 15);
    assert!((a.coverage.statements - 14.0 / 15.0).abs() < 1e-9);
    assert!(a.coverage.characters > 0.8 && a.coverage.characters < 1.0);

    // The policy lists both failures readably.
    let f = a.check(&Policy::complete()).unwrap_err();
    let msg = f.to_string();
    assert_eq!(f.failures.len(), 2, "{msg}");
    assert!(msg.contains("uncited") && msg.contains("commuters stepped around puddles"), "{msg}");
    assert!(msg.contains("altered quote") && msg.contains("\"found\" vs source \"identified\""), "{msg}");
    // Strict also fails on the context-only statement and the withheld-only ones.
    assert!(a.check(&Policy::strict()).unwrap_err().failures.len() > 2);
    // As the crate's error, for `?` in tests.
    let e: Error = f.into();
    assert!(e.is_policy_failure());
}

#[test]
fn importing_a_trace_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger_with_report(&dir.path().join("s.ledger"));
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    l.import_trace(sample::ARTICLE, &trace).unwrap();
    let before = dump(&l);
    let again = l.import_trace(sample::ARTICLE, &trace).unwrap();
    assert_eq!(again.quotations, 0, "quotations already checked are kept");
    assert_eq!(dump(&l), before);
}

#[test]
fn an_acknowledged_altered_quote_passes_the_policy() {
    let mut l = Ledger::open_in_memory().unwrap();
    l.import_source(SourceImport::new(
        NewDocument::new(DocumentKind::Report, "R"),
        "The office identified three weaknesses in oversight.",
    ))
    .unwrap();
    let article = "The office “found three weaknesses in oversight,” it said.";
    let base = r#"
format = 1
[article]
title = "A"
[[source]]
key = "r"
title = "R"
[[claim]]
statement = "The office"
  [[claim.cite]]
  source = "r"
  exact = "identified three weaknesses"
  relation = "quotes"
"#;
    let t = TraceFile::from_toml(&format!(
        "{base}  [[claim.quote]]\n  text = \"found three\"\n  acknowledged = \"the desk accepts the paraphrase\"\n"
    ))
    .unwrap();
    let out = l.import_trace(article, &t).unwrap();
    let a = l.audit(out.article.id).unwrap();
    assert_eq!(a.quotations.altered.len(), 1);
    assert_eq!(a.quotations.altered[0].acknowledged.as_deref(), Some("the desk accepts the paraphrase"));
    a.check(&Policy::complete()).unwrap();
}

/// A base trace for the error tests; `{}` is replaced by the claim's cite.
fn trace_with(cite: &str) -> String {
    format!(
        r#"
format = 1
[article]
title = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says"
[[source]]
key = "report"
title = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)"
[[claim]]
statement = "approved most of the project’s change orders"
  [[claim.cite]]
{cite}
"#
    )
}

#[test]
fn trace_errors_are_typed_name_the_statement_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger_with_report(&dir.path().join("s.ledger"));
    let before = dump(&l);
    let cases: Vec<(String, &str)> = vec![
        (
            trace_with("  source = \"report\"\n  exact = \"words the report never uses\"\n  relation = \"supports\""),
            "does not anchor",
        ),
        (trace_with("  source = \"report\"\n  exact = \"change orders\"\n  relation = \"supports\""), "ambiguously"),
        (
            trace_with("  source = \"elsewhere\"\n  exact = \"change orders\"\n  relation = \"supports\""),
            "unknown source",
        ),
        (
            trace_with("  source = \"report\"\n  exact = \"change orders\"\n  page = 9\n  relation = \"supports\""),
            "no page 9",
        ),
        (trace_with("  source = \"report\"\n  footnote = 99\n  relation = \"supports\""), "no footnote 99"),
    ];
    for (toml, expect) in &cases {
        let e = TraceFile::from_toml(toml).and_then(|t| l.import_trace(sample::ARTICLE, &t)).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, Error::Trace { .. }), "{msg}");
        assert!(msg.contains(expect), "expected {expect:?} in {msg}");
        if *expect != "unknown source" {
            assert!(msg.contains("approved most of the project’s change orders"), "names the statement: {msg}");
        }
        assert_eq!(dump(&l), before, "nothing written for {expect}");
    }
    // A statement quote that matches nothing, or several statements.
    for (statement, expect) in [("the moon landing", "does not occur"), ("the report", "statements")] {
        let toml =
            trace_with("  source = \"report\"\n  exact = \"Issued September 14, 2023\"\n  relation = \"supports\"")
                .replace("approved most of the project’s change orders", statement);
        let e = l.import_trace(sample::ARTICLE, &TraceFile::from_toml(&toml).unwrap()).unwrap_err();
        assert!(e.to_string().contains(expect) && e.to_string().contains(statement), "{e}");
        assert_eq!(dump(&l), before);
    }
    // Malformed files: syntax, unknown keys, unknown codes, wrong format version.
    for (toml, expect) in [
        ("format = 1\n[[claim]\n", "malformed"),
        ("format = 1\ncolour = \"red\"\n", "unknown field"),
        (
            trace_with("  source = \"report\"\n  exact = \"Issued September 14, 2023\"\n  relation = \"endorses\"")
                .as_str(),
            "unknown code",
        ),
        ("format = 2\n", "format 2"),
    ] {
        let e = TraceFile::from_toml(toml).unwrap_err();
        assert!(matches!(e, Error::Trace { .. }) && e.to_string().contains(expect), "{e}");
    }
    assert!(TraceFile::from_json("{\"format\": 1, \"claim\": [").unwrap_err().to_string().contains("malformed"));
    assert_eq!(dump(&l), before);
}

#[test]
fn a_trace_needs_its_sources_in_the_ledger() {
    let mut l = Ledger::open_in_memory().unwrap();
    let t = TraceFile::from_toml(sample::TRACE).unwrap();
    let e = l.import_trace(sample::ARTICLE, &t).unwrap_err();
    assert!(e.to_string().contains("unknown source"), "{e}");
    assert!(l.documents().unwrap().is_empty());
}

#[test]
fn trace_files_round_trip_through_toml_and_json() {
    let t = TraceFile::from_toml(sample::TRACE).unwrap();
    let again = TraceFile::from_toml(&t.to_toml().unwrap()).unwrap();
    assert_eq!(t, again);
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(TraceFile::from_json(&json).unwrap(), t);
}
