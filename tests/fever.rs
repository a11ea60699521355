//! FEVER export: the shared-task shape the official scorer reads, the labels
//! against the audit's state of the same claims, and the official scorer itself
//! (PyPI `fever-scorer`, which `.ci/run` installs) run on the export.

mod common;

use claimledger::audit::Audit;
use claimledger::cli::sample;
use claimledger::formats::Scope;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

const REPORT_TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";

/// The embedded sample: the report (with footnotes and redactions) and the traced article.
fn sample_ledger() -> (Ledger, DocumentId) {
    let mut l = Ledger::open_in_memory().unwrap();
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    let mut imp =
        SourceImport::new(NewDocument::new(DocumentKind::Report, trace.sources[0].title.clone()), sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).unwrap());
    l.import_source(imp).unwrap();
    let out = l.import_trace(sample::ARTICLE, &trace).unwrap();
    (l, out.article.id)
}

fn fever(l: &Ledger, scope: Scope) -> Vec<Value> {
    let mut out = Vec::new();
    let n = l.export_fever(scope, &mut out).unwrap();
    let v: Vec<Value> = std::str::from_utf8(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(v.len(), n);
    v
}

/// Sentence `n` of a text as the segmenter splits it.
fn sentence(text: &str, n: usize) -> &str {
    let s = claimledger::text::segment::statements(text)[n];
    &text[s.start..s.end]
}

#[test]
fn lines_have_the_shared_task_shape() {
    let (l, article) = sample_ledger();
    let v = fever(&l, Scope::Document(article));
    assert_eq!(v.len(), 15, "every statement but the two exempt ones");
    let rev = l.latest_revision(article).unwrap().unwrap();
    let claims: Vec<Claim> = l.claims(rev.id).unwrap().into_iter().filter(|c| c.exemption.is_none()).collect();
    let mut raw = Vec::new();
    l.export_fever(Scope::Document(article), &mut raw).unwrap();
    for text in std::str::from_utf8(&raw).unwrap().lines() {
        let at: Vec<usize> =
            ["{\"id\":", "\"verifiable\":", "\"label\":", "\"claim\":", "\"evidence\":", "\"ledger\":"]
                .iter()
                .map(|k| text.find(k).unwrap())
                .collect();
        assert!(at[0] == 0 && at.windows(2).all(|w| w[0] < w[1]), "FEVER's field order: {text}");
    }
    for (i, line) in v.iter().enumerate() {
        assert_eq!(line.as_object().unwrap().len(), 6);
        assert_eq!(line["id"], i + 1, "integer ids: the line number");
        assert_eq!(line["ledger"]["claim"], claims[i].id.to_string(), "the id maps to the claim in text order");
        assert_eq!(line["ledger"]["document"], article.to_string());
        let sets = line["evidence"].as_array().unwrap();
        assert!(!sets.is_empty());
        for set in sets {
            for item in set.as_array().unwrap() {
                let item = item.as_array().unwrap();
                assert_eq!(item.len(), 4, "[annotation_id, evidence_id, page, line]: {item:?}");
                assert_eq!(item[0], line["id"], "annotation_id is the line's id");
            }
        }
        if line["label"] == "NOT ENOUGH INFO" {
            assert_eq!(line["verifiable"], "NOT VERIFIABLE");
            assert_eq!(line["evidence"], json!([[[i + 1, null, null, null]]]));
            assert_eq!(line["ledger"]["evidence"], json!([]));
        } else {
            assert_eq!(line["verifiable"], "VERIFIABLE");
            assert_eq!(line["ledger"]["evidence"].as_array().unwrap().len(), sets.len(), "one ledger entry per set");
            for set in sets {
                let set = set.as_array().unwrap();
                assert!(set.iter().all(|it| it[1].is_u64() && it[2].is_string() && it[3].is_u64()));
                assert!(set.iter().all(|it| it[1] == set[0][1]), "one evidence_id per set");
            }
        }
    }
    let evidence_ids: Vec<u64> =
        v.iter().flat_map(|l| l["evidence"].as_array().unwrap().iter().filter_map(|s| s[0][1].as_u64())).collect();
    assert_eq!(evidence_ids, (1..=evidence_ids.len() as u64).collect::<Vec<_>>(), "sets numbered through the file");

    let line = |needle: &str| v.iter().find(|l| l["claim"].as_str().unwrap().contains(needle)).unwrap();
    assert_eq!(line("gulls")["label"], "NOT ENOUGH INFO");
    assert_eq!(line("covered three years")["label"], "NOT ENOUGH INFO", "context only");

    // The quote: one citation, one set, one sentence, named by page and line.
    let quote = line("found three weaknesses");
    assert_eq!(quote["label"], "SUPPORTS");
    let set = quote["evidence"].as_array().unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!(set[0][0][2], REPORT_TITLE);
    let n = set[0][0][3].as_u64().unwrap() as usize;
    assert!(sentence(sample::REPORT, n).starts_with("The Office identified three weaknesses"), "line {n}");

    // The lead: three citations, three independent sets (any one backs the claim);
    // a cited sentence with a footnote marker carries the footnote in its set.
    let lead = line("approved most of the project’s change orders");
    let sets = lead["evidence"].as_array().unwrap();
    assert_eq!(sets.len(), 3, "one set per citation, not one set of every passage");
    let texts: Vec<Vec<&str>> = sets
        .iter()
        .map(|s| {
            s.as_array().unwrap().iter().map(|it| sentence(sample::REPORT, it[3].as_u64().unwrap() as usize)).collect()
        })
        .collect();
    let chained = texts.iter().find(|t| t.len() == 2).expect("a set holding a derivation chain");
    assert!(chained[1].starts_with("[^1]:"), "the second item is the footnote: {chained:?}");
    let ledger_set = &lead["ledger"]["evidence"][0];
    assert!(ledger_set["citation"].as_str().unwrap().parse::<CitationId>().is_ok());
    let p = &ledger_set["passages"][0];
    let (start, end) = (p["start"].as_u64().unwrap() as usize, p["end"].as_u64().unwrap() as usize);
    let at: String = sample::REPORT.chars().skip(start).take(end - start).collect();
    assert_eq!(at, p["exact"].as_str().unwrap(), "code-point offsets of the passage");
}

/// The label a claim's audit state calls for, read from the audit's own lists.
fn audit_labels(audit: &Audit) -> HashMap<ClaimId, &'static str> {
    let mut m = HashMap::new();
    for s in &audit.uncited {
        m.insert(s.claim, "NOT ENOUGH INFO");
    }
    for n in &audit.not_as_written {
        let label = match n.relation {
            Relation::Contradicts => "REFUTES",
            Relation::Context => "NOT ENOUGH INFO",
            other => panic!("unexpected relation {other}"),
        };
        m.insert(n.statement.claim, label);
    }
    m
}

#[test]
fn every_evidence_state_gets_the_label_of_the_audit_state() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "Harbor minutes")).unwrap();
    let source = "The board met in May. Costs rose 4% in 2023. The pier was closed. Nobody resigned. [Name] wrote.";
    let srev = l.add_revision(src.id, NewRevision::new(source)).unwrap();
    let passage = |l: &mut Ledger, w: &str| {
        let s = source.find(w).unwrap();
        l.add_passage(NewPassage::new(Span::new(srev.id, s, s + w.len()))).unwrap().id
    };
    let met = passage(&mut l, "The board met in May.");
    let costs = passage(&mut l, "Costs rose 4% in 2023.");
    let pier = passage(&mut l, "The pier was closed.");
    let resigned = passage(&mut l, "Nobody resigned.");
    let name = passage(&mut l, "[Name] wrote.");
    let article = "Headline here\nThe board met. Costs rose. The pier stayed open. A member resigned, as costs rose. \
                   The pier was busy. Weather was fine. A name was withheld.";
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "Harbor news"), article).unwrap();
    let claims = art.claims.clone();
    assert_eq!(claims.len(), 8, "{:?}", claims.iter().map(|c| &article[c.span.start..c.span.end]).collect::<Vec<_>>());
    use Relation::*;
    let cites: [&[(PassageId, Relation)]; 8] = [
        &[],                                         // headline (exempted below)
        &[(met, Supports)],                          // supported
        &[(costs, Paraphrases), (met, Context)],     // supported and context
        &[(pier, Contradicts)],                      // contradicted
        &[(resigned, Contradicts), (costs, Quotes)], // contradicted and quoted: REFUTES
        &[(pier, Context)],                          // context only
        &[],                                         // uncited
        &[(name, DescribesRedaction)],               // describes a redaction: supported
    ];
    for (c, list) in claims.iter().zip(cites) {
        for &(p, r) in list {
            l.add_citation(NewCitation::new(c.id, p, r)).unwrap();
        }
    }
    let headline = Exemption { reason: ExemptionReason::Headline, note: None };
    l.write(|w| w.set_exemption(claims[0].id, Some(&headline))).unwrap();

    let audit = l.audit(art.document.id).unwrap();
    let expected = audit_labels(&audit);
    let v = fever(&l, Scope::Document(art.document.id));
    assert_eq!(v.len(), 7, "the exempt headline is not a claim to verify");
    let got: Vec<(&str, &str)> =
        v.iter().map(|x| (x["claim"].as_str().unwrap(), x["label"].as_str().unwrap())).collect();
    assert_eq!(
        got,
        [
            ("The board met.", "SUPPORTS"),
            ("Costs rose.", "SUPPORTS"),
            ("The pier stayed open.", "REFUTES"),
            ("A member resigned, as costs rose.", "REFUTES"),
            ("The pier was busy.", "NOT ENOUGH INFO"),
            ("Weather was fine.", "NOT ENOUGH INFO"),
            ("A name was withheld.", "SUPPORTS"),
        ]
    );
    for x in &v {
        let claim: ClaimId = x["ledger"]["claim"].as_str().unwrap().parse().unwrap();
        let want = expected.get(&claim).copied().unwrap_or("SUPPORTS");
        assert_eq!(x["label"], want, "{}: the audit's state and the FEVER label disagree", x["claim"]);
    }
    assert_eq!(audit.statements.supported, 3);
    assert_eq!(audit.statements.contradicted, 2);

    // The refuted claim that also quotes: its evidence is the contradicting passage only.
    let both = &v[3];
    assert_eq!(both["evidence"].as_array().unwrap().len(), 1);
    assert_eq!(sentence(source, both["evidence"][0][0][3].as_u64().unwrap() as usize), "Nobody resigned.");
    assert_eq!(both["ledger"]["evidence"][0]["relation"], "contradicts");

    // The same on the sample: every claim's label is its audit state's.
    let (l, article) = sample_ledger();
    let expected = audit_labels(&l.audit(article).unwrap());
    for x in fever(&l, Scope::Document(article)) {
        let claim: ClaimId = x["ledger"]["claim"].as_str().unwrap().parse().unwrap();
        assert_eq!(x["label"], expected.get(&claim).copied().unwrap_or("SUPPORTS"), "{}", x["claim"]);
    }
}

#[test]
fn duplicate_source_titles_get_distinct_pages() {
    let mut l = Ledger::open_in_memory().unwrap();
    let mut passages = Vec::new();
    for text in ["Sales rose in 2023.", "Sales rose sharply in 2023."] {
        let d = l.add_document(NewDocument::new(DocumentKind::Report, "Annual report")).unwrap();
        let r = l.add_revision(d.id, NewRevision::new(text)).unwrap();
        passages.push((d.id, l.add_passage(NewPassage::new(Span::new(r.id, 0, text.len()))).unwrap().id));
    }
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "News"), "Sales rose.").unwrap();
    for (_, p) in &passages {
        l.add_citation(NewCitation::new(art.claims[0].id, *p, Relation::Supports)).unwrap();
    }
    let v = fever(&l, Scope::Ledger);
    let pages: Vec<&str> = v[0]["evidence"].as_array().unwrap().iter().map(|s| s[0][2].as_str().unwrap()).collect();
    assert_eq!(pages.len(), 2);
    assert_ne!(pages[0], pages[1], "two documents titled alike are two pages");
    for (d, _) in &passages {
        assert!(pages.contains(&format!("Annual report [{d}]").as_str()), "{pages:?}");
    }
}

/// The Python that has the official scorer: `CLAIMLEDGER_PYTHON` (which
/// `.ci/run` sets to a virtual environment it installs `fever-scorer` into), else
/// `python3`. `None` (printed) when neither has it; with `CLAIMLEDGER_PYTHON` or
/// `CI` set, a missing scorer fails.
fn scorer_python(test: &str) -> Option<String> {
    let python = std::env::var("CLAIMLEDGER_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import fever.scorer"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CLAIMLEDGER_PYTHON").is_none() && std::env::var_os("CI").is_none(),
            "{test}: {python} cannot import fever.scorer (.ci/run installs PyPI fever-scorer)"
        );
        common::skip(test, &format!("the FEVER scorer (PyPI fever-scorer) is not installed for {python}"));
        return None;
    }
    Some(python)
}

/// Runs the official `fever.scorer.fever_score` on predictions (the export's
/// lines with `predicted_label` and `predicted_evidence`); returns
/// `[strict, accuracy, precision, recall, f1]`.
fn fever_score(python: &str, predictions: &[Value]) -> Vec<f64> {
    const SCRIPT: &str = "import json, sys\n\
        from fever.scorer import fever_score\n\
        preds = [json.loads(l) for l in sys.stdin if l.strip()]\n\
        print(json.dumps(list(fever_score(preds, max_evidence=None))))\n";
    let mut child = Command::new(python)
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for p in predictions {
            writeln!(stdin, "{p}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the scorer failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The export's lines as predictions that give the gold label and the
/// `[page, line]` pairs of evidence set `pick(number of sets)`.
fn predictions(lines: &[Value], pick: impl Fn(usize) -> usize) -> Vec<Value> {
    lines
        .iter()
        .map(|l| {
            let mut p = l.clone();
            let sets = l["evidence"].as_array().unwrap();
            let evidence: Vec<Value> = if l["label"] == "NOT ENOUGH INFO" {
                vec![]
            } else {
                sets[pick(sets.len())].as_array().unwrap().iter().map(|it| json!([it[2], it[3]])).collect()
            };
            p["predicted_label"] = l["label"].clone();
            p["predicted_evidence"] = Value::Array(evidence);
            p
        })
        .collect()
}

#[test]
fn the_official_scorer_reads_the_export() {
    let Some(python) = scorer_python("the_official_scorer_reads_the_export") else { return };
    let (mut l, article) = sample_ledger();
    // A refuted claim too, so every label is scored.
    let rev = l.latest_revision(article).unwrap().unwrap();
    let claims = l.claims(rev.id).unwrap();
    let text = |c: &Claim| &rev.text[c.span.start..c.span.end];
    let gulls = claims.iter().find(|c| text(c).contains("gulls")).unwrap();
    let any_passage =
        l.citations(claims.iter().find(|c| text(c).contains("found three")).unwrap().id).unwrap()[0].passage;
    l.add_citation(NewCitation::new(gulls.id, any_passage, Relation::Contradicts)).unwrap();
    let lines = fever(&l, Scope::Document(article));
    let labels: Vec<&str> = lines.iter().map(|l| l["label"].as_str().unwrap()).collect();
    for want in ["SUPPORTS", "REFUTES", "NOT ENOUGH INFO"] {
        assert!(labels.contains(&want), "{labels:?}");
    }

    // Gold labels with the first evidence set: everything right.
    let first = fever_score(&python, &predictions(&lines, |_| 0));
    assert_eq!(first, [1.0, 1.0, 1.0, 1.0, 1.0], "[strict, accuracy, precision, recall, f1]");
    // Any one set is enough: the last set of every claim scores the same.
    let multi = lines.iter().filter(|l| l["evidence"].as_array().unwrap().len() > 1).count();
    assert!(multi >= 2, "claims with several independent sets");
    assert_eq!(fever_score(&python, &predictions(&lines, |n| n - 1)), [1.0, 1.0, 1.0, 1.0, 1.0]);

    // Half a derivation chain is not a set: strict scoring drops that claim.
    let chained = lines
        .iter()
        .position(|l| l["evidence"].as_array().unwrap().iter().any(|s| s.as_array().unwrap().len() > 1))
        .expect("a set with a derivation chain");
    let mut preds = predictions(&lines, |_| 0);
    let set = lines[chained]["evidence"].as_array().unwrap().iter().find(|s| s.as_array().unwrap().len() > 1).unwrap();
    preds[chained]["predicted_evidence"] = json!([[set[0][2], set[0][3]]]);
    // Other sets of that claim could still be predicted; predict only half of this one.
    let score = fever_score(&python, &preds);
    assert!(score[0] < 1.0, "strict score {score:?}");
    assert_eq!(score[1], 1.0, "labels are still right");

    // A wrong label is scored wrong.
    let mut preds = predictions(&lines, |_| 0);
    preds[0]["predicted_label"] = json!("REFUTES");
    let score = fever_score(&python, &preds);
    assert_eq!(score[1], (lines.len() - 1) as f64 / lines.len() as f64);
}
