//! Bundles carry re-anchorings: the sample traced, a corrected edition of its
//! report added and re-anchored, exported as a bundle and imported elsewhere,
//! audits, refuses a second re-anchoring and exports exactly as the original.
//! And withdrawals of evidence, which the audit reads the same way.

use claimledger::cli::sample;
use claimledger::formats::Scope;
use claimledger::formats::bundle::BundleCounts;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use serde_json::Value;
use std::process::{Command, Output};

const TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";
const ARTICLE_TITLE: &str = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";
const RELEASED: &str = "payments Halvorsen Marine Works made to a consultant";

/// A corrected edition of the sample report: a sentence added at the top (so
/// everything after it moves), a figure corrected, a paragraph removed and the
/// `[Harm to Ongoing Matter]` redaction lifted. Returns the text and its
/// redaction file (the `[Personal Privacy]` redaction kept at its new place).
fn corrected_edition() -> (String, String) {
    let text = sample::REPORT
        .replace("[Harm to Ongoing Matter]", RELEASED)
        .replace("I. Summary\n\n", "I. Summary\n\nThis edition corrects the report and releases withheld material.\n\n")
        .replace("the median delay was 23 days", "the median delay was 32 days")
        .replace(
            "The Department’s written response, dated August 30, 2023, accepted all three recommendations.\n\n",
            "",
        );
    assert_ne!(text, sample::REPORT);
    let byte = text.find("[Personal Privacy]").unwrap();
    let start = text[..byte].chars().count();
    let end = start + "[Personal Privacy]".chars().count();
    let redactions = serde_json::json!({
        "text": "report-2.txt",
        "offsets": "unicode code points, end exclusive",
        "redactions": [{"type": "TextPositionSelector", "start": start, "end": end,
                        "exact": "[Personal Privacy]", "label": "Personal Privacy"}]
    });
    (text, redactions.to_string())
}

/// The sample traced, a corrected edition added and re-anchored:
/// (ledger, report, article).
fn reanchored_sample(path: &std::path::Path) -> (Ledger, DocumentId, DocumentId) {
    let mut l = Ledger::open(path).unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, TITLE), sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).unwrap());
    let src = l.import_source(imp).unwrap();
    let out = l.import_trace(sample::ARTICLE, &TraceFile::from_toml(sample::TRACE).unwrap()).unwrap();
    let (text, redactions) = corrected_edition();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), text);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(&redactions).unwrap());
    imp.revision_of = Some(src.document.id);
    assert_eq!(l.import_source(imp).unwrap().revision.seq, 2);
    let moved = l.reanchor(src.document.id, 1, 2).unwrap();
    assert_eq!(moved.counts.released, 1);
    (l, src.document.id, out.article.id)
}

fn bundle(l: &Ledger, scope: Scope) -> Vec<u8> {
    let mut out = Vec::new();
    l.export_bundle(scope, &mut out).unwrap();
    out
}

fn lines(b: &[u8]) -> Vec<Value> {
    std::str::from_utf8(b).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// A bundle's records without the logs (each ledger's own, and the logs it
/// imported: a copy holds the original's) and their counts.
fn records(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in std::str::from_utf8(b).unwrap().lines().enumerate() {
        if i == 0 {
            let mut v: Value = serde_json::from_str(line).unwrap();
            v["counts"].as_object_mut().unwrap().remove("events");
            v["counts"].as_object_mut().unwrap().remove("foreign_events");
            out.push(serde_json::to_string(&v).unwrap());
        } else if !line.starts_with(r#"{"type":"event""#) && !line.starts_with(r#"{"type":"foreign_event""#) {
            out.push(line.to_string());
        }
    }
    out
}

fn assert_same_records(a: &[u8], b: &[u8]) {
    let (a, b) = (records(a), records(b));
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "records differ at line {}", i + 1);
    }
    assert_eq!(a.len(), b.len());
}

fn audit_json(l: &Ledger, d: DocumentId) -> Value {
    serde_json::to_value(l.audit(d).unwrap()).unwrap()
}

/// Rewrites the lines of a bundle with `f` (which sees every record) and its
/// header's counts to what the lines hold.
fn rewrite(b: &[u8], f: impl Fn(&mut Value)) -> Vec<u8> {
    let mut ls = lines(b);
    for v in &mut ls[1..] {
        f(v);
    }
    let mut counts = BundleCounts::default();
    let plural = |t: &str| match t {
        "anchor_move" => "anchor_moves".to_string(),
        t => format!("{t}s"),
    };
    let mut c = serde_json::to_value(counts).unwrap();
    for v in &ls[1..] {
        let k = plural(v["type"].as_str().unwrap());
        c[&k] = Value::from(c.get(&k).and_then(Value::as_u64).unwrap_or(0) + 1);
    }
    counts = serde_json::from_value(c).unwrap();
    ls[0]["counts"] = serde_json::to_value(counts).unwrap();
    ls.iter().map(|v| serde_json::to_string(v).unwrap() + "\n").collect::<String>().into_bytes()
}

/// Everything a refused import must leave as it was.
fn state(l: &Ledger) -> (Vec<String>, usize) {
    (records(&bundle(l, Scope::Ledger)), l.log().unwrap().len())
}

#[test]
fn a_reanchored_ledger_survives_a_bundle_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, report, article) = reanchored_sample(&dir.path().join("a.ledger"));
    let want = audit_json(&l, article);
    // The original: the lifted redaction listed, citations to review, and the
    // carried citations not stale (only the orphaned one is).
    assert_eq!(want["released"][0]["released_text"], RELEASED, "{want}");
    assert!(!want["review"].as_array().unwrap().is_empty(), "{want}");
    let stale_before = want["stale"].as_array().unwrap().len();
    assert_eq!(stale_before, 1, "{want}");
    let again = l.reanchor(report, 1, 2).unwrap_err();
    assert!(again.is_conflict(), "{again}");

    let first = bundle(&l, Scope::Ledger);
    let header = &lines(&first)[0];
    assert_eq!(header["version"], 1);
    assert_eq!(header["counts"]["reanchorings"], 1, "{header}");
    let moves = header["counts"]["anchor_moves"].as_u64().unwrap();
    assert!(moves > 10, "{header}");
    // The re-anchoring comes after what it names, before the log.
    let kinds: Vec<String> = lines(&first)[1..].iter().map(|v| v["type"].as_str().unwrap().to_string()).collect();
    let rank = |k: &str| match k {
        "reanchoring" => 1,
        "anchor_move" => 2,
        "event" => 3,
        _ => 0,
    };
    assert!(kinds.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "anchor_move").count() as u64, moves);

    let mut copy = Ledger::open(dir.path().join("copy.ledger")).unwrap();
    let imported = copy.import_bundle(&first[..]).unwrap();
    assert_eq!(imported.new.reanchorings, 1);
    assert_eq!(imported.new.anchor_moves, moves);
    // The copy audits the article exactly as the original: review lists,
    // released lists, stale counts.
    assert_eq!(audit_json(&copy, article), want);
    // Re-anchoring the same revisions again is refused there too.
    let e = copy.reanchor(report, 1, 2).unwrap_err();
    assert!(e.is_conflict(), "{e}");
    assert_eq!(e.to_string(), again.to_string());
    // The import's event covers every row it wrote.
    let check = copy.verify().unwrap();
    assert!(check.is_ok(), "{check:?}");
    // Exported again: the same records, byte for byte.
    let second = bundle(&copy, Scope::Ledger);
    assert_same_records(&first, &second);

    // The same bundle again, into the copy or the original: merged, nothing new.
    for target in [&mut copy, &mut l] {
        let before = state(target);
        let twice = target.import_bundle(&first[..]).unwrap();
        assert_eq!((twice.new.reanchorings, twice.new.anchor_moves), (0, 0));
        assert_eq!((twice.merged.reanchorings, twice.merged.anchor_moves), (1, moves));
        assert_eq!(records(&bundle(target, Scope::Ledger)), before.0);
    }
}

#[test]
fn a_document_bundle_carries_the_moves_of_its_passages() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, article) = reanchored_sample(&dir.path().join("a.ledger"));
    let first = bundle(&l, Scope::Document(article));
    let header = &lines(&first)[0];
    assert_eq!(header["counts"]["reanchorings"], 1, "{header}");
    let mut copy = Ledger::open(dir.path().join("copy.ledger")).unwrap();
    copy.import_bundle(&first[..]).unwrap();
    assert_eq!(audit_json(&copy, article), audit_json(&l, article));
    assert!(copy.verify().unwrap().is_ok());
    assert_same_records(&first, &bundle(&copy, Scope::Document(article)));
    // The whole ledger's bundle then merges into it: the missing moves are added.
    let whole = bundle(&l, Scope::Ledger);
    copy.import_bundle(&whole[..]).unwrap();
    assert_same_records(&whole, &bundle(&copy, Scope::Ledger));
    assert!(copy.verify().unwrap().is_ok());
}

#[test]
fn a_different_reanchoring_of_the_same_revisions_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, article) = reanchored_sample(&dir.path().join("a.ledger"));
    let first = bundle(&l, Scope::Ledger);
    let mut copy = Ledger::open(dir.path().join("copy.ledger")).unwrap();
    copy.import_bundle(&first[..]).unwrap();
    let fresh = uuid::Uuid::now_v7().to_string();
    let old = lines(&first).iter().find(|v| v["type"] == "reanchoring").unwrap()["id"].clone();
    let renamed = |v: &mut Value| {
        if v["type"] == "reanchoring" {
            v["id"] = Value::from(fresh.clone());
        }
        if v["type"] == "anchor_move" {
            assert_eq!(v["reanchoring"], old);
            v["reanchoring"] = Value::from(fresh.clone());
        }
    };
    // Another re-anchoring of the same revisions that found the same: merged.
    let same = rewrite(&first, renamed);
    let before = state(&copy);
    let got = copy.import_bundle(&same[..]).unwrap();
    assert_eq!((got.new.reanchorings, got.new.anchor_moves), (0, 0), "{got:?}");
    assert_eq!(state(&copy).0, before.0);
    // One that found otherwise: a conflict, and nothing written.
    let other = rewrite(&first, |v| {
        renamed(v);
        if v["type"] == "anchor_move" && v["state"] == "released" {
            v["released_text"] = Value::from("other words");
        }
    });
    let before = state(&copy);
    let e = copy.import_bundle(&other[..]).unwrap_err();
    assert!(e.is_conflict(), "{e}");
    assert!(e.to_string().contains("anchor_move"), "{e}");
    assert_eq!(state(&copy), before);
    // The same ID naming other revisions: a conflict.
    let swapped = rewrite(&first, |v| {
        if v["type"] == "reanchoring" {
            let (f, t) = (v["from"].clone(), v["to"].clone());
            v["from"] = t;
            v["to"] = f;
        }
    });
    let e = copy.import_bundle(&swapped[..]).unwrap_err();
    assert!(e.is_conflict() || e.is_invalid_input(), "{e}");
    assert_eq!(state(&copy), before);
    // Into an empty ledger, a move naming a passage of another revision, or
    // offsets off the text, is refused naming the line.
    let mut empty = Ledger::open(dir.path().join("empty.ledger")).unwrap();
    let passages: Vec<Value> = lines(&first).into_iter().filter(|v| v["type"] == "passage").collect();
    let from = lines(&first).iter().find(|v| v["type"] == "reanchoring").unwrap()["to"].clone();
    let on_new = passages.iter().find(|p| p["revision"] == from).unwrap()["id"].clone();
    let wrong = rewrite(&first, |v| {
        if v["type"] == "anchor_move" && v["kind"] == "passage" {
            v["anchor"] = on_new.clone();
        }
    });
    let e = empty.import_bundle(&wrong[..]).unwrap_err();
    assert!(e.is_invalid_input() && e.to_string().contains("bundle line"), "{e}");
    let off = rewrite(&first, |v| {
        if v["type"] == "anchor_move" && v["byte_start"].is_u64() {
            v["byte_start"] = Value::from(v["byte_start"].as_u64().unwrap() + 1);
        }
    });
    let e = empty.import_bundle(&off[..]).unwrap_err();
    assert!(e.is_invalid_input() && e.to_string().contains("bundle line"), "{e}");
    assert!(empty.documents().unwrap().is_empty());
    let _ = article;
}

#[test]
fn a_record_of_an_unknown_type_is_refused_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = reanchored_sample(&dir.path().join("a.ledger"));
    let first = bundle(&l, Scope::Ledger);
    let text = String::from_utf8(first).unwrap();
    let future = text.replace(r#"{"type":"anchor_move""#, r#"{"type":"anchor_landing""#);
    let mut empty = Ledger::open(dir.path().join("empty.ledger")).unwrap();
    let e = empty.import_bundle(future.as_bytes()).unwrap_err();
    assert!(e.is_invalid_input() && e.to_string().contains("unknown type"), "{e}");
    assert!(empty.documents().unwrap().is_empty());
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

#[test]
fn the_command_line_round_trip_keeps_the_reanchoring() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    let (text2, red2) = corrected_edition();
    let (a, b) = (p("a.ledger"), p("b.ledger"));
    let ok = |o: Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    ok(run(&[
        "add-source",
        &a,
        &file("report.txt", sample::REPORT),
        "--redactions",
        &file("report.redactions.json", sample::REPORT_REDACTIONS),
        "--title",
        TITLE,
    ]));
    ok(run(&[
        "trace",
        &a,
        "--article",
        &file("article.txt", sample::ARTICLE),
        "--trace",
        &file("article.trace.toml", sample::TRACE),
    ]));
    ok(run(&[
        "add-source",
        &a,
        &file("report-2.txt", &text2),
        "--redactions",
        &file("report-2.redactions.json", &red2),
        "--revision-of",
        TITLE,
    ]));
    ok(run(&["reanchor", &a, "--document", TITLE]));
    ok(run(&["export", &a, "--format", "bundle", "-o", &p("a.jsonl")]));
    ok(run(&["import", &b, "--format", "bundle", &p("a.jsonl")]));
    let audit = |l: &str| ok(run(&["audit", l, "--document", ARTICLE_TITLE, "--format", "json"]));
    assert_eq!(audit(&b), audit(&a));
    let refused = |l: &str| {
        let o = run(&["reanchor", l, "--document", TITLE]);
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (code, msg) = refused(&b);
    assert_eq!(code, Some(2));
    assert!(msg.contains("already re-anchored"), "{msg}");
    assert_eq!(refused(&a), (code, msg));
    assert_eq!(run(&["verify", &b]).status.code(), Some(0));
    let again = ok(run(&["export", &b, "--format", "bundle"]));
    assert_same_records(&std::fs::read(p("a.jsonl")).unwrap(), again.as_bytes());
}

/// A made-up inquiry report whose footnotes cite interviews, an email and
/// court filings, and an article citing its three sentences.
const DEPOT: &str = "The depot closed early.[^1] The manager ordered it.[^2] Fuel was sold.[^3]\n\n\
Footnotes\n\n\
[^1]: Lark 1/30/18 302, at 3; Lark 2/2/18 302, at 1.\n\
[^2]: See Lark 1/30/18 302, at 4; 3/1/17 Email, Finch to Wren (9:00 a.m.).\n\
[^3]: [Grand Jury]; Finch Indictment ¶ 12; Id. ¶ 14.\n";

/// The depot ledger with a witness withdrawn, an item withdrawn, and a whole
/// document withdrawn and then undone: (ledger, report, article).
fn withdrawn(path: &std::path::Path) -> (Ledger, DocumentId, DocumentId) {
    let mut l = Ledger::open(path).unwrap();
    let src =
        l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Depot inquiry"), DEPOT)).unwrap();
    let art = l
        .add_article(
            NewDocument::new(DocumentKind::Article, "Depot story"),
            "The depot closed early. Its manager ordered the closure. Fuel was sold off.",
        )
        .unwrap();
    for (claim, sentence) in
        art.claims.iter().zip(["The depot closed early.", "The manager ordered it.", "Fuel was sold."])
    {
        let start = DEPOT.find(sentence).unwrap();
        let p = l.add_passage(NewPassage::new(Span::new(src.revision.id, start, start + sentence.len()))).unwrap();
        l.add_citation(NewCitation::new(claim.id, p.id, Relation::Supports)).unwrap();
    }
    let notes = l.evidence(src.document.id, None).unwrap();
    l.withdraw(&WithdrawalTarget::Origin("Lark".into()), "found to have lied").unwrap();
    l.withdraw(&WithdrawalTarget::Item(notes[1].items[1].id), "forged email").unwrap();
    let w = l.withdraw(&WithdrawalTarget::Document(src.document.id), "the inquiry was discredited").unwrap();
    l.undo_withdrawal(w.id, "the inquiry was vindicated").unwrap();
    (l, src.document.id, art.document.id)
}

/// The withdrawals as comparable values, an item named by its text.
fn withdrawal_list(l: &Ledger) -> Vec<String> {
    l.withdrawals()
        .unwrap()
        .into_iter()
        .map(|w| {
            let target = match &w.target {
                WithdrawalTarget::Item(i) => {
                    let item = l.evidence_item(*i).unwrap().unwrap();
                    format!("item {} {}", item.passage, l.text(&item.span).unwrap())
                }
                t => format!("{t:?}"),
            };
            format!("{} {target} {} {}", w.id, w.reason, w.created_at)
        })
        .collect()
}

#[test]
fn withdrawals_survive_a_bundle_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, article) = withdrawn(&dir.path().join("a.ledger"));
    let want = audit_json(&l, article);
    assert_eq!(want["withdrawn"].as_array().unwrap().len(), 2, "{want}");
    let first = bundle(&l, Scope::Ledger);
    assert_eq!(lines(&first)[0]["counts"]["withdrawals"], 4);

    let mut copy = Ledger::open(dir.path().join("copy.ledger")).unwrap();
    let got = copy.import_bundle(&first[..]).unwrap();
    assert_eq!(got.new.withdrawals, 4);
    assert_eq!(withdrawal_list(&copy), withdrawal_list(&l));
    assert_eq!(audit_json(&copy, article), want);
    assert!(copy.verify().unwrap().is_ok());
    assert_same_records(&first, &bundle(&copy, Scope::Ledger));
    // Again: merged, nothing written.
    let before = state(&copy);
    let again = copy.import_bundle(&first[..]).unwrap();
    assert_eq!((again.new.withdrawals, again.merged.withdrawals), (0, 4));
    assert_eq!(state(&copy).0, before.0);

    // The article's bundle carries the withdrawals bearing on it.
    let doc = bundle(&l, Scope::Document(article));
    assert_eq!(lines(&doc)[0]["counts"]["withdrawals"], 4);
    let mut part = Ledger::open(dir.path().join("part.ledger")).unwrap();
    part.import_bundle(&doc[..]).unwrap();
    assert_eq!(audit_json(&part, article), want);
    assert!(part.verify().unwrap().is_ok());

    // The same ID with another reason: a conflict, nothing written.
    let other = rewrite(&first, |v| {
        if v["type"] == "withdrawal" && v["target"] == "item" {
            v["reason"] = Value::from("a typo");
        }
    });
    let before = state(&copy);
    let e = copy.import_bundle(&other[..]).unwrap_err();
    assert!(e.is_conflict() && e.to_string().contains("withdrawal"), "{e}");
    assert_eq!(state(&copy), before);
    // An item this ledger reads otherwise, an undo of nothing, a target
    // without its field: refused naming the line.
    let mut empty = Ledger::open(dir.path().join("empty.ledger")).unwrap();
    for bad in [
        rewrite(&first, |v| {
            if v["type"] == "withdrawal" && v["target"] == "item" {
                v["item"]["exact"] = Value::from("3/1/17 Email");
            }
        }),
        rewrite(&first, |v| {
            if v["type"] == "withdrawal" && v["target"] == "undo" {
                v["undoes"] = Value::from(uuid::Uuid::now_v7().to_string());
            }
        }),
        rewrite(&first, |v| {
            if v["type"] == "withdrawal" && v["target"] == "origin" {
                v["origin"] = Value::Null;
            }
        }),
    ] {
        let e = empty.import_bundle(&bad[..]).unwrap_err();
        assert!(e.is_invalid_input() && e.to_string().contains("bundle line"), "{e}");
        assert!(empty.documents().unwrap().is_empty());
    }
}
