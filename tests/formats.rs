//! Exchange formats: the bundle (round trip, merge, refusals), W3C Web
//! Annotation, schema.org ClaimReview, CSL-JSON and FEVER, on the embedded sample
//! and small texts written here.

mod common;

use claimledger::cli::sample;
use claimledger::formats::Scope;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::taxonomy::RedactionReason;
use claimledger::trace::TraceFile;
use claimledger::*;
use serde_json::Value;

/// The sample: the report with its redactions and footnotes, the traced article,
/// two verdicts, and a redaction of the desk's own scheme.
struct Sample {
    ledger: Ledger,
    article: DocumentId,
    report: DocumentId,
}

fn sample_ledger(path: &std::path::Path) -> Sample {
    let mut l = Ledger::open(path).unwrap();
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    let mut imp =
        SourceImport::new(NewDocument::new(DocumentKind::Report, trace.sources[0].title.clone()), sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).unwrap());
    let report = l.import_source(imp).unwrap();
    let out = l.import_trace(sample::ARTICLE, &trace).unwrap();
    let claims = l.claims(out.revision.id).unwrap();
    let text = |c: &Claim| out.revision.text[c.span.start..c.span.end].to_string();
    let misquote = claims.iter().find(|c| text(c).contains("found three weaknesses")).unwrap();
    let mut v = NewVerdict::new(misquote.id, "Misquoted").rated(2, 1, 5);
    v.author = Some("Harbor Desk".into());
    v.date_published = Some(time::macros::date!(2023 - 09 - 20));
    v.url = Some("https://desk.example/checks/ferry-misquote".into());
    v.note = Some("“found” for “identified”".into());
    l.add_verdict(v).unwrap();
    let gulls = claims.iter().find(|c| text(c).contains("gulls")).unwrap();
    l.add_verdict(NewVerdict::new(gulls.id, "Unverifiable")).unwrap();
    // A reason of the desk's own scheme, used by a redaction of the report.
    l.register_redaction_reason(
        RedactionReason { scheme: "desk".into(), code: "src".into(), label: "Source protection".into() },
        &["Protected source".to_string()],
    )
    .unwrap();
    let pos = sample::REPORT.find("Halvorsen").unwrap();
    l.add_redaction(NewRedaction {
        span: Span::new(report.revision.id, pos, pos + "Halvorsen".len()),
        label: "Protected source".into(),
        approx_chars: None,
    })
    .unwrap();
    Sample { ledger: l, article: out.article.id, report: report.document.id }
}

/// Everything in the ledger, read through the public API, as comparable text.
fn dump(l: &Ledger) -> String {
    let mut out = String::new();
    for d in l.documents().unwrap() {
        out += &format!("{d:?}\n");
        for r in l.revisions(d.id).unwrap() {
            out += &format!("{:?} {} {} {}\n", r.id, r.seq, r.sha256, r.created_at);
            for c in l.claims(r.id).unwrap() {
                out += &format!(
                    "{c:?} {:?} {:?} {:?}\n",
                    l.citations(c.id).unwrap(),
                    l.quotations(c.id).unwrap(),
                    l.verdicts(c.id).unwrap()
                );
            }
            for p in l.passages(r.id).unwrap() {
                out += &format!("{p:?} {:?}\n", l.derivations_from(p.id).unwrap());
            }
            out += &format!("{:?}\n", l.redactions(r.id).unwrap());
        }
    }
    out += &format!("{:?}\n", l.taxonomy().reasons());
    out
}

fn bundle(l: &Ledger, scope: Scope) -> Vec<u8> {
    let mut out = Vec::new();
    l.export_bundle(scope, &mut out).unwrap();
    out
}

/// Asserts two bundles are the same bytes, showing the first line that differs.
fn assert_same(a: &[u8], b: &[u8]) {
    if a == b {
        return;
    }
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let cut = |s: &str| s.chars().take(600).collect::<String>();
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            panic!("bundles differ at line {}:\n{}\n{}", i + 1, cut(x), cut(y));
        }
    }
    panic!("bundles differ in length: {} and {} lines", a.lines().count(), b.lines().count());
}

fn lines(b: &[u8]) -> Vec<Value> {
    std::str::from_utf8(b).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn audit_json(l: &Ledger, d: DocumentId) -> Value {
    serde_json::to_value(l.audit(d).unwrap()).unwrap()
}

#[test]
fn bundle_round_trip_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_ledger(&dir.path().join("a.ledger"));
    for scope in [Scope::Ledger, Scope::Document(s.article)] {
        let first = bundle(&s.ledger, scope);
        let records = lines(&first);
        assert_eq!(records[0]["format"], "claimledger-bundle");
        assert_eq!(records[0]["version"], 1);
        let mut copy = Ledger::open(dir.path().join(format!("copy-{}.ledger", first.len()))).unwrap();
        let imported = copy.import_bundle(&first[..]).unwrap();
        let counts: formats::bundle::BundleCounts = serde_json::from_value(records[0]["counts"].clone()).unwrap();
        assert_eq!(imported.new, counts);
        assert_eq!(imported.merged.total(), 0);
        assert_eq!(counts.total() as usize, records.len() - 1);
        let again = bundle(&copy, scope);
        assert_same(&first, &again);
        // The copy audits the article exactly as the original does.
        assert_eq!(audit_json(&copy, s.article), audit_json(&s.ledger, s.article));
    }

    // The ledger bundle holds every kind of record, in dependency order.
    let all = lines(&bundle(&s.ledger, Scope::Ledger));
    let kinds: Vec<&str> = all[1..].iter().map(|r| r["type"].as_str().unwrap()).collect();
    let order = [
        "document",
        "revision",
        "claim",
        "passage",
        "redaction",
        "quotation",
        "citation",
        "derivation",
        "verdict",
        "redaction_reason",
    ];
    let ranks: Vec<usize> = kinds.iter().map(|k| order.iter().position(|o| o == k).unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
    for k in order {
        assert!(kinds.contains(&k), "no {k}");
    }
    let rev = all.iter().find(|r| r["type"] == "revision" && r["text"] == sample::REPORT).unwrap();
    assert_eq!(rev["sha256"], ContentHash::of(sample::REPORT).to_string());
}

#[test]
fn document_bundle_holds_the_trace_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_ledger(&dir.path().join("a.ledger"));
    let other = s.ledger.add_document(NewDocument::new(DocumentKind::WebPage, "Unrelated page")).unwrap();
    s.ledger.add_revision(other.id, NewRevision::new("Nothing to see.")).unwrap();
    let b = lines(&bundle(&s.ledger, Scope::Document(s.article)));
    let docs: Vec<&str> = b.iter().filter(|r| r["type"] == "document").map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert!(!docs.contains(&"Unrelated page"));
    // Footnote 3 is reached through the marker inside a cited passage.
    assert!(b.iter().any(|r| r["type"] == "passage" && r["kind"] == "footnote" && r["footnote"] == 3));
    assert!(b.iter().any(|r| r["type"] == "derivation"));
    assert_eq!(b.iter().filter(|r| r["type"] == "verdict").count(), 2);
    assert!(b.iter().any(|r| r["type"] == "redaction_reason" && r["scheme"] == "desk"));
    let _ = s.report;
}

#[test]
fn offsets_are_code_points_with_bytes_beside() {
    let mut l = Ledger::open_in_memory().unwrap();
    let d = l.add_document(NewDocument::new(DocumentKind::Article, "Clefs")).unwrap();
    let text = "𝄞🎉 intro. The choir sang 40 songs. Más 𝄞 después.";
    let r = l.add_revision(d.id, NewRevision::new(text)).unwrap();
    let start = text.find("The choir").unwrap();
    let end = text.find(" Más").unwrap();
    l.add_claim(NewClaim::new(Span::new(r.id, start, end))).unwrap();
    let b = lines(&bundle(&l, Scope::Ledger));
    let c = b.iter().find(|r| r["type"] == "claim").unwrap();
    let cp = |b: usize| text[..b].chars().count();
    assert_eq!(c["start"], cp(start));
    assert_eq!(c["start"], 10, "two astral characters count one each");
    assert_eq!(c["end"], cp(end));
    assert_eq!(c["byte_start"], start);
    assert_eq!(c["exact"], "The choir sang 40 songs.");
}

/// Imports `bytes` and expects a typed error, the ledger unchanged.
fn refused(l: &mut Ledger, bytes: &[u8]) -> Error {
    let before = dump(l);
    let err = l.import_bundle(bytes).unwrap_err();
    assert_eq!(dump(l), before, "a refused bundle wrote something: {err}");
    err
}

fn edit_line(b: &[u8], kind: &str, f: impl Fn(&mut Value)) -> Vec<u8> {
    let mut out = String::new();
    let mut done = false;
    for line in std::str::from_utf8(b).unwrap().lines() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        if !done && v["type"] == kind {
            f(&mut v);
            done = true;
        }
        out += &serde_json::to_string(&v).unwrap();
        out.push('\n');
    }
    assert!(done, "no {kind} line");
    out.into_bytes()
}

#[test]
fn bad_bundles_are_refused_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_ledger(&dir.path().join("a.ledger"));
    let good = bundle(&s.ledger, Scope::Document(s.article));
    // A ledger holding part of it (the report's own bundle), and an empty one.
    let mut part = Ledger::open(dir.path().join("part.ledger")).unwrap();
    part.import_bundle(&bundle(&s.ledger, Scope::Document(s.report))[..]).unwrap();
    let mut empty = Ledger::open(dir.path().join("empty.ledger")).unwrap();

    let tampered = edit_line(&good, "revision", |v| {
        let t = v["text"].as_str().unwrap().replacen("three", "four", 1);
        v["text"] = Value::String(t);
    });
    let past_end = edit_line(&good, "claim", |v| {
        v["end"] = Value::from(1_000_000);
        v["byte_end"] = Value::from(1_000_000);
    });
    let shifted = edit_line(&good, "passage", |v| {
        v["start"] = Value::from(v["start"].as_u64().unwrap() + 1);
        v["byte_start"] = Value::from(v["byte_start"].as_u64().unwrap() + 1);
    });
    let bad_exact = edit_line(&good, "quotation", |v| v["exact"] = Value::from("not the words"));
    let text = String::from_utf8(good.clone()).unwrap();
    let all: Vec<&str> = text.lines().collect();
    let truncated_at_line = all[..all.len() - 3].iter().map(|l| format!("{l}\n")).collect::<String>();
    let truncated_mid_line = &text[..text.len() - 40];
    let mut malformed = all.iter().map(|l| format!("{l}\n")).collect::<Vec<_>>();
    malformed[5] = "{\"type\": \"claim\", \"id\": \n".into();
    let malformed = malformed.concat();
    let unknown_type = edit_line(&good, "citation", |v| v["type"] = Value::from("footnote"));
    let mut out_of_order = all.iter().map(|l| format!("{l}\n")).collect::<Vec<_>>();
    let last = out_of_order.pop().unwrap();
    out_of_order.insert(1, last);
    let out_of_order = out_of_order.concat();
    let wrong_format = edit_line(&good, "claim", |_| {}).into_iter().collect::<Vec<u8>>();
    let wrong_format = String::from_utf8(wrong_format).unwrap().replacen("claimledger-bundle", "other-bundle", 1);

    for l in [&mut part, &mut empty] {
        let e = refused(l, &tampered);
        assert!(e.is_invalid_input() && e.to_string().contains("sha256"), "{e}");
        let e = refused(l, &past_end);
        assert!(e.is_invalid_input() && e.to_string().contains("do not match the text"), "{e}");
        let e = refused(l, &shifted);
        assert!(e.is_invalid_input() && e.to_string().contains("line"), "{e}");
        let e = refused(l, &bad_exact);
        assert!(e.to_string().contains("`exact`"), "{e}");
        let e = refused(l, truncated_at_line.as_bytes());
        assert!(e.is_invalid_input() && e.to_string().contains("truncated"), "{e}");
        let e = refused(l, truncated_mid_line.as_bytes());
        assert!(e.is_invalid_input(), "{e}");
        let e = refused(l, malformed.as_bytes());
        assert!(matches!(e, Error::Json { .. }) && e.to_string().contains("line 6"), "{e}");
        let e = refused(l, &unknown_type);
        assert!(e.to_string().contains("unknown type"), "{e}");
        let e = refused(l, out_of_order.as_bytes());
        assert!(e.to_string().contains("dependency order"), "{e}");
        let e = refused(l, wrong_format.as_bytes());
        assert!(e.to_string().contains("other-bundle"), "{e}");
        let e = refused(l, b"");
        assert!(e.is_invalid_input(), "{e}");
        let e = refused(l, b"\xff\xfe\n");
        assert!(e.is_invalid_input(), "{e}");
    }
    // The untouched bundle still imports.
    part.import_bundle(&good[..]).unwrap();
}

#[test]
fn import_merges_by_id_and_content_hash() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_ledger(&dir.path().join("a.ledger"));
    let whole = bundle(&s.ledger, Scope::Document(s.article));
    let want: formats::bundle::BundleCounts =
        serde_json::from_value(lines(&whole)[0]["counts"].clone()).unwrap();

    // Part of it: the report's bundle (same IDs).
    let mut b = Ledger::open(dir.path().join("b.ledger")).unwrap();
    let part = b.import_bundle(&bundle(&s.ledger, Scope::Document(s.report))[..]).unwrap();
    assert_eq!(part.new.documents, 1);
    let got = b.import_bundle(&whole[..]).unwrap();
    assert_eq!(got.merged.documents, 1);
    assert_eq!(got.merged.revisions, 1);
    assert_eq!(got.new.documents, 1, "the article");
    assert_eq!(got.new.revisions, 1);
    assert_eq!(got.merged.redactions, part.new.redactions);
    assert_eq!(got.merged.redaction_reasons, 1);
    let mut sum = got.new;
    for (a, m) in [
        (&mut sum.documents, got.merged.documents),
        (&mut sum.revisions, got.merged.revisions),
        (&mut sum.claims, got.merged.claims),
        (&mut sum.passages, got.merged.passages),
        (&mut sum.redactions, got.merged.redactions),
        (&mut sum.quotations, got.merged.quotations),
        (&mut sum.citations, got.merged.citations),
        (&mut sum.derivations, got.merged.derivations),
        (&mut sum.verdicts, got.merged.verdicts),
        (&mut sum.redaction_reasons, got.merged.redaction_reasons),
    ] {
        *a += m;
    }
    assert_eq!(sum, want);
    assert_eq!(b.documents().unwrap().len(), 2);
    assert_same(&bundle(&b, Scope::Document(s.article)), &whole);

    // Again: everything is merged, nothing new.
    let before = dump(&b);
    let again = b.import_bundle(&whole[..]).unwrap();
    assert_eq!(again.new.total(), 0);
    assert_eq!(again.merged, want);
    assert_eq!(dump(&b), before);

    // The same document holding the same text under another revision ID: mapped.
    let mut c = Ledger::open(dir.path().join("c.ledger")).unwrap();
    let doc_only: String = String::from_utf8(bundle(&s.ledger, Scope::Document(s.report)))
        .unwrap()
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    let doc_only = fix_counts(&doc_only);
    c.import_bundle(doc_only.as_bytes()).unwrap();
    let own = c.add_revision(s.report, NewRevision::new(sample::REPORT)).unwrap();
    let got = c.import_bundle(&whole[..]).unwrap();
    assert_eq!(got.merged.revisions, 1);
    assert_eq!(c.revisions(s.report).unwrap().len(), 1, "no second copy of the report");
    assert!(!c.passages(own.id).unwrap().is_empty(), "the bundle's passages moved onto the ledger's revision");
    assert_eq!(audit_json(&c, s.article)["uncited"], audit_json(&s.ledger, s.article)["uncited"]);
}

/// Rewrites a bundle header's counts to what the lines hold.
fn fix_counts(b: &str) -> String {
    let mut lines: Vec<Value> = b.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut counts = serde_json::Map::new();
    for k in [
        "documents",
        "revisions",
        "claims",
        "passages",
        "redactions",
        "quotations",
        "citations",
        "derivations",
        "verdicts",
        "redaction_reasons",
    ] {
        let t = k.trim_end_matches('s');
        let n = lines[1..].iter().filter(|r| r["type"] == t).count();
        counts.insert(k.into(), n.into());
    }
    lines[0]["counts"] = Value::Object(counts);
    lines.iter().map(|v| serde_json::to_string(v).unwrap() + "\n").collect()
}

#[test]
fn conflicting_records_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_ledger(&dir.path().join("a.ledger"));
    let whole = bundle(&s.ledger, Scope::Ledger);
    let mut b = Ledger::open(dir.path().join("b.ledger")).unwrap();
    b.import_bundle(&whole[..]).unwrap();
    let retitled = edit_line(&whole, "document", |v| v["title"] = Value::from("Another title"));
    let e = refused(&mut b, &retitled);
    assert!(e.is_conflict() && e.to_string().contains("document"), "{e}");
    let relabelled = edit_line(&whole, "verdict", |v| v["alternate_name"] = Value::from("True"));
    let e = refused(&mut b, &relabelled);
    assert!(e.is_conflict() && e.to_string().contains("verdict"), "{e}");
    let reexempt = edit_line(&whole, "claim", |v| v["kind"] = Value::from("opinion"));
    assert!(refused(&mut b, &reexempt).is_conflict());
}
