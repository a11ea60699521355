//! The corpus article, fully traced against the two clean volumes of the report
//! (runs when CLAIMLEDGER_CORPUS is set).

mod common;

use claimledger::audit::{Audit, Policy};
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use std::path::Path;

const TRACE: &str = include_str!("fixtures/tpm-trump-russia.trace.toml");
const GOLDEN: &str = "tests/fixtures/tpm-audit.golden.json";

fn traced(dir: &Path, ledger_path: &Path) -> (Ledger, Audit) {
    let trace = TraceFile::from_toml(TRACE).unwrap();
    let mut l = Ledger::open(ledger_path).unwrap();
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
        let title = trace.sources.iter().find(|s| s.key == key).unwrap().title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), text);
        imp.redactions = Redactions::StandOff(file);
        l.import_source(imp).unwrap();
    }
    let article = std::fs::read_to_string(dir.join("tpm-trump-and-russia-worked-towards-the-same-goal.txt")).unwrap();
    let out = l.import_trace(&article, &trace).unwrap();
    assert_eq!(out.statements, 59);
    let audit = l.audit(out.article.id).unwrap();
    (l, audit)
}

/// The audit as JSON without the IDs, which differ from run to run, and with
/// the article's words replaced by their digests (the project keeps no corpus
/// text; offsets and digests still pin every statement).
fn stable_json(a: &Audit) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["id", "claim", "revision"] {
                    m.remove(k);
                }
                for k in ["text", "statement"] {
                    if let Some(serde_json::Value::String(s)) = m.get(k) {
                        let digest = ContentHash::of(s).to_string();
                        m.insert(k.to_string(), serde_json::Value::String(format!("sha256:{}", &digest[..16])));
                    }
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(a).unwrap();
    strip(&mut v);
    v
}

#[test]
fn every_statement_of_the_corpus_article_traces_to_the_report() {
    let Some(article) = common::corpus_file(
        "every_statement_of_the_corpus_article_traces_to_the_report",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let dir = article.parent().unwrap();
    for f in [
        "mueller-report-vol1.txt",
        "mueller-report-vol2.txt",
        "mueller-report-vol1.redactions.json",
        "mueller-report-vol2.redactions.json",
    ] {
        common::corpus_file("corpus trace", f).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let ledger_path = tmp.path().join("tpm.ledger");
    let (ledger, a) = traced(dir, &ledger_path);

    // Every non-exempt statement is cited.
    assert!(a.uncited.is_empty(), "uncited: {:?}", a.uncited);
    assert_eq!(a.statements.exempt, 18);
    assert_eq!(a.statements.exempt_by_reason.get("masthead"), Some(&13));
    assert_eq!(a.coverage.statements, 1.0);

    // A good number of statements are not backed as written.
    let naw = |needle: &str| a.not_as_written.iter().find(|n| n.statement.text.contains(needle)).map(|n| n.relation);
    assert!(a.not_as_written.len() >= 12, "{}", a.not_as_written.len());
    assert_eq!(naw("was released on July 22"), Some(Relation::Contradicts));
    assert_eq!(naw("Kilimnik shared the information"), Some(Relation::Contradicts));
    assert_eq!(naw("Trump publicly praising him"), Some(Relation::Context));
    assert_eq!(naw("Trump deputized Flynn"), Some(Relation::Context));
    assert_eq!(naw("Within five hours"), Some(Relation::Context));
    assert!(naw("Manafort “expressed excitement").is_none(), "a supported statement is not listed");
    // A contradiction outranks support: right about the meeting, wrong about the "dirt".
    let coffee = a.not_as_written.iter().find(|n| n.statement.text.contains("International coffee boy")).unwrap();
    assert_eq!((coffee.relation, coffee.partly_supported), (Relation::Contradicts, true));
    assert_eq!(a.statements.contradicted, 4);

    // Every quotation anchored; `Mr Trump` altered, the `Manafort ‘s` quotes normalized.
    assert_eq!(a.quotations.total, 23);
    assert!(
        a.quotations.to_pin.is_empty() && a.quotations.unanchored.is_empty(),
        "{:?} {:?}",
        a.quotations.to_pin,
        a.quotations.unanchored
    );
    assert_eq!(a.quotations.altered.len(), 1);
    let mr = &a.quotations.altered[0];
    assert!(mr.text.contains("Mr Trump"));
    assert_eq!(mr.differences.len(), 1);
    assert_eq!((mr.differences[0].quoted.as_str(), mr.differences[0].source.as_str()), ("Mr", "Mr."));
    assert!(mr.acknowledged.is_some());
    let rev = ledger.latest_revision(a.document.id).unwrap().unwrap();
    for q in ledger.quotations_of_revision(rev.id).unwrap() {
        let text = &rev.text[q.span.start..q.span.end];
        if text.contains("Manafort ‘s") {
            assert_eq!(q.check.status, QuoteStatus::Normalized, "{text}");
        }
        if text.starts_with("investigative technique") {
            assert_eq!(q.check.tier, Some(Tier::RedactionLabel));
            let p = ledger.passage(q.passage.unwrap()).unwrap().unwrap();
            assert_eq!(p.quote.exact, "[Investigative Technique]");
            assert_eq!(p.position.start, 505107, "the footnote of the Kilimnik message");
        }
    }

    // Statements resting on withheld material.
    let withheld = |needle: &str| -> Vec<(String, String)> {
        a.withheld
            .iter()
            .filter(|w| w.statement.contains(needle))
            .flat_map(|w| w.redactions.iter().map(|r| (r.code.clone().unwrap_or_default(), r.via.clone())))
            .collect()
    };
    let laguardia = withheld("driving to LaGuardia Airport");
    assert!(laguardia.iter().any(|(c, _)| c == "hom"), "{laguardia:?}");
    let kilimnik = withheld("Mueller cites a December 2016 message");
    assert!(kilimnik.contains(&("it".to_string(), "footnote 1197".to_string())), "{kilimnik:?}");
    assert!(withheld("redacted for grand jury reasons").iter().any(|(c, _)| c == "gj"));
    assert!(a.withheld_only.iter().any(|s| s.text.contains("Mueller cites a December 2016 message")));

    // The completeness policy holds.
    a.check(&Policy::complete()).unwrap();

    // The audit's JSON matches the reviewed golden file.
    let got = stable_json(&a);
    if std::env::var_os("CLAIMLEDGER_BLESS").is_some() {
        std::fs::write(GOLDEN, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let want: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).expect("golden file")).unwrap();
    assert_eq!(got, want, "audit JSON differs from {GOLDEN} (CLAIMLEDGER_BLESS=1 rewrites it, then review the diff)");

    // And from the command line, `audit --require-complete` exits 0.
    drop(ledger);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .args(["audit", ledger_path.to_str().unwrap(), "--require-complete", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["statements"]["uncited"], 0);
}
