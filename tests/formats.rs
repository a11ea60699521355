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
    let mut unverifiable = NewVerdict::new(gulls.id, "Unverifiable");
    unverifiable.url = Some("https://desk.example/checks/gulls".into());
    l.add_verdict(unverifiable).unwrap();
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

/// A bundle's records: every line but the logs' events, and the header without
/// their counts. The log is each ledger's own history (a copy's says it imported
/// the bundle, and keeps the original's as an imported log), so it is compared
/// apart (`tests/history.rs`, `tests/bundle_hops.rs`).
fn records(b: &[u8]) -> String {
    let mut out = String::new();
    for (i, line) in std::str::from_utf8(b).unwrap().lines().enumerate() {
        if i == 0 {
            let mut v: Value = serde_json::from_str(line).unwrap();
            v["counts"].as_object_mut().unwrap().remove("events");
            v["counts"].as_object_mut().unwrap().remove("foreign_events");
            out += &serde_json::to_string(&v).unwrap();
        } else if line.starts_with("{\"type\":\"event\"") || line.starts_with("{\"type\":\"foreign_event\"") {
            continue;
        } else {
            out += line;
        }
        out.push('\n');
    }
    out
}

/// Asserts two bundles hold the same records, byte for byte, showing the first
/// line that differs.
fn assert_same(a: &[u8], b: &[u8]) {
    let (a, b) = (records(a), records(b));
    if a == b {
        return;
    }
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
        // The copy's log is its own: one import event that holds the head of
        // the bundle's log, whose events it keeps.
        let log = copy.log().unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].what, EventKind::BundleImport);
        assert_eq!(log[0].foreign_head, s.ledger.log().unwrap().last().map(|e| e.hash));
        assert_eq!(log[0].foreign_events, Some(counts.events));
        assert!(copy.verify().unwrap().is_ok());
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
        "event",
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
    // Only one of the two offsets shifted: the code points and the bytes
    // disagree, and the agreement check (not the `exact` check) refuses it.
    let chars_only = edit_line(&good, "passage", |v| v["start"] = Value::from(v["start"].as_u64().unwrap() + 1));
    let bytes_only = edit_line(&good, "claim", |v| v["byte_end"] = Value::from(v["byte_end"].as_u64().unwrap() - 1));
    let bad_exact = edit_line(&good, "quotation", |v| v["exact"] = Value::from("not the words"));
    let off_scale =
        edit_line(&good, "verdict", |v| v["rating"] = serde_json::json!({"value": 9, "best": 5, "worst": 1}));
    let text = String::from_utf8(good.clone()).unwrap();
    let all: Vec<&str> = text.lines().collect();
    let truncated_at_line = all[..all.len() - 3].iter().map(|l| format!("{l}\n")).collect::<String>();
    let truncated_mid_line = &text[..text.len() - 40];
    let mut malformed = all.iter().map(|l| format!("{l}\n")).collect::<Vec<_>>();
    malformed[5] = "{\"type\": \"claim\", \"id\": \n".into();
    let malformed = malformed.concat();
    let unknown_type = edit_line(&good, "citation", |v| v["type"] = Value::from("footnote"));
    let mut out_of_order = all.iter().map(|l| format!("{l}\n")).collect::<Vec<_>>();
    let last_record = out_of_order.iter().rposition(|l| !l.starts_with("{\"type\":\"event\"")).unwrap();
    let last = out_of_order.remove(last_record);
    out_of_order.insert(1, last);
    let out_of_order = out_of_order.concat();
    let wrong_format = edit_line(&good, "claim", |_| {}).into_iter().collect::<Vec<u8>>();
    let wrong_format = String::from_utf8(wrong_format).unwrap().replacen("claimledger-bundle", "other-bundle", 1);
    // The log: an event altered, and one left out (the header's count amended).
    let altered_event = edit_line(&good, "event", |v| v["actor"] = Value::from("someone else"));
    let events: Vec<usize> =
        all.iter().enumerate().filter(|(_, l)| l.contains("\"type\":\"event\"")).map(|(i, _)| i).collect();
    assert!(events.len() >= 2, "the sample's log has several events");
    let mut cut = all.iter().map(|l| format!("{l}\n")).collect::<Vec<_>>();
    cut.remove(events[0]);
    let mut header: Value = serde_json::from_str(&cut[0]).unwrap();
    header["counts"]["events"] = Value::from(events.len() - 1);
    cut[0] = format!("{}\n", serde_json::to_string(&header).unwrap());
    let cut = cut.concat();

    for l in [&mut part, &mut empty] {
        let e = refused(l, &tampered);
        assert!(e.is_invalid_input() && e.to_string().contains("sha256"), "{e}");
        let e = refused(l, &past_end);
        assert!(e.is_invalid_input() && e.to_string().contains("do not match the text"), "{e}");
        let e = refused(l, &shifted);
        assert!(e.is_invalid_input() && e.to_string().contains("line"), "{e}");
        for (what, b) in [("code points only", &chars_only), ("bytes only", &bytes_only)] {
            let e = refused(l, b);
            let msg = e.to_string();
            assert!(e.is_invalid_input(), "{what}: {e:?}");
            assert!(
                msg.contains("bundle line") && msg.contains("are bytes") && !msg.contains("`exact`"),
                "{what}: {msg}"
            );
        }
        let e = refused(l, &bad_exact);
        assert!(e.to_string().contains("`exact`"), "{e}");
        let e = refused(l, &off_scale);
        assert!(
            e.is_invalid_input() && e.to_string().contains("bundle line") && e.to_string().contains("scale"),
            "{e}"
        );
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
        let e = refused(l, &altered_event);
        assert!(e.is_invalid_input() && e.to_string().contains("does not match its hash"), "{e}");
        let e = refused(l, cut.as_bytes());
        assert!(e.is_invalid_input() && e.to_string().contains("event seq 2 where the log's next is 1"), "{e}");
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
    let want: formats::bundle::BundleCounts = serde_json::from_value(lines(&whole)[0]["counts"].clone()).unwrap();

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
        (&mut sum.events, got.merged.events),
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

/// A source and an article with characters outside the Basic Multilingual Plane
/// before every span, a citation and a redaction.
struct Astral {
    ledger: Ledger,
    article: DocumentId,
    source_text: &'static str,
    article_text: &'static str,
}

fn astral() -> Astral {
    let source_text = "🎉𝄞 Preface. Costs rose 4% in 2023, the board said. [Grand Jury] approved it.";
    let article_text = "𝄞𝄞 Music notes. Costs rose four percent last year. Nobody knows why.";
    let mut l = Ledger::open_in_memory().unwrap();
    let mut sd = NewDocument::new(DocumentKind::Report, "Board minutes 🎼");
    sd.identifier = Some("https://board.example/minutes".into());
    let s = l.add_document(sd).unwrap();
    let srev = l.add_revision(s.id, NewRevision::new(source_text)).unwrap();
    let a = l.add_document(NewDocument::new(DocumentKind::Article, "Costs up")).unwrap();
    let arev = l.add_revision(a.id, NewRevision::new(article_text)).unwrap();
    let b = |t: &str, w: &str| t.find(w).unwrap();
    let claim =
        l.add_claim(NewClaim::new(Span::new(arev.id, b(article_text, "Costs"), b(article_text, " Nobody")))).unwrap();
    let passage =
        l.add_passage(NewPassage::new(Span::new(srev.id, b(source_text, "Costs"), b(source_text, " [Grand")))).unwrap();
    let mut c = NewCitation::new(claim.id, passage.id, Relation::Paraphrases);
    c.note = Some("four percent = 4%".into());
    c.recorded_by = Some("A. Checker".into());
    l.add_citation(c).unwrap();
    let g = b(source_text, "[Grand");
    l.add_redaction(NewRedaction {
        span: Span::new(srev.id, g, g + "[Grand Jury]".len()),
        label: "Grand Jury".into(),
        approx_chars: Some(30),
    })
    .unwrap();
    Astral { ledger: l, article: a.id, source_text, article_text }
}

fn cp(text: &str, word: &str) -> usize {
    text[..text.find(word).unwrap()].chars().count()
}

#[test]
fn w3c_annotations_carry_the_model_and_code_point_offsets() {
    let x = astral();
    let coll = x.ledger.export_annotations(Scope::Document(x.article)).unwrap();
    assert_eq!(coll["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(coll["type"], "AnnotationCollection");
    assert!(coll["id"].as_str().unwrap().starts_with("urn:"));
    assert_eq!(coll["total"], 2);
    let page = &coll["first"];
    assert_eq!(page["type"], "AnnotationPage");
    assert!(page["id"].is_string());
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for a in items {
        assert_eq!(a["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(a["type"], "Annotation");
        let id = a["id"].as_str().unwrap();
        assert!(id.starts_with("urn:uuid:") && id[9..].parse::<uuid::Uuid>().is_ok(), "{id}");
        assert!(a["created"].as_str().unwrap().ends_with('Z'));
        assert!(a["motivation"].is_string());
        assert_eq!(a["target"]["type"], "SpecificResource");
        assert!(a["target"]["source"].is_string());
        let sel = a["target"]["selector"].as_array().unwrap();
        assert_eq!(sel[0]["type"], "TextQuoteSelector");
        assert_eq!(sel[1]["type"], "TextPositionSelector");
        assert!(!a["body"].as_array().unwrap().is_empty());
    }

    // The citation: the claim in the article, the passage in the source.
    let cite = items.iter().find(|a| a["motivation"] == "linking").unwrap();
    let t = &cite["target"];
    assert_eq!(t["source"], format!("urn:uuid:{}", x.article));
    assert_eq!(t["selector"][0]["exact"], "Costs rose four percent last year.");
    assert_eq!(t["selector"][0]["prefix"], "𝄞𝄞 Music notes. ");
    assert_eq!(t["selector"][1]["start"], cp(x.article_text, "Costs"));
    assert_eq!(t["selector"][1]["start"], 16, "each 𝄞 is one code point");
    assert_eq!(t["selector"][1]["end"], cp(x.article_text, " Nobody"));
    let body = cite["body"].as_array().unwrap();
    assert_eq!(body[0]["type"], "SpecificResource");
    assert_eq!(body[0]["source"], "https://board.example/minutes");
    assert_eq!(body[0]["selector"][0]["exact"], "Costs rose 4% in 2023, the board said.");
    assert_eq!(body[0]["selector"][1]["start"], cp(x.source_text, "Costs"));
    assert_eq!(body[0]["selector"][1]["start"], 12);
    assert_eq!(body[0]["selector"][1]["end"], cp(x.source_text, " [Grand"));
    assert!(body.iter().any(|b| b["purpose"] == "tagging" && b["value"] == "paraphrases"));
    assert!(body.iter().any(|b| b["purpose"] == "commenting" && b["value"] == "four percent = 4%"));
    assert_eq!(cite["creator"]["name"], "A. Checker");

    // The redaction: tagged with its reason, on the source.
    let red = items.iter().find(|a| a["motivation"] == "tagging").unwrap();
    assert_eq!(red["target"]["selector"][0]["exact"], "[Grand Jury]");
    assert_eq!(red["target"]["selector"][1]["start"], cp(x.source_text, "[Grand"));
    let body = red["body"].as_array().unwrap();
    assert!(body.iter().any(|b| b["purpose"] == "tagging" && b["value"] == "Grand Jury"));
    assert!(body.iter().any(|b| b["purpose"] == "classifying" && b["value"] == "mueller:gj"));
    assert!(body.iter().any(|b| b["purpose"] == "describing" && b["value"].as_str().unwrap().contains("30")));

    // The sample: one annotation per citation and redaction of the trace.
    let dir = tempfile::tempdir().unwrap();
    let s = sample_ledger(&dir.path().join("a.ledger"));
    let b = lines(&bundle(&s.ledger, Scope::Document(s.article)));
    let n = b.iter().filter(|r| r["type"] == "citation" || r["type"] == "redaction").count();
    let coll = s.ledger.export_annotations(Scope::Document(s.article)).unwrap();
    assert_eq!(coll["first"]["items"].as_array().unwrap().len(), n);
}

#[test]
fn claim_reviews_carry_the_schema_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_ledger(&dir.path().join("a.ledger"));
    let reviews = s.ledger.export_claim_reviews(Scope::Document(s.article)).unwrap();
    let reviews = reviews.as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    let r = reviews.iter().find(|r| r["reviewRating"]["alternateName"] == "Misquoted").unwrap();
    assert_eq!(r["@context"], "https://schema.org");
    assert_eq!(r["@type"], "ClaimReview");
    assert!(r["@id"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_eq!(
        r["claimReviewed"],
        "The office “found three weaknesses in the Department’s oversight of the contract,” the report says."
    );
    assert_eq!(r["itemReviewed"]["@type"], "Claim");
    let app = &r["itemReviewed"]["appearance"];
    assert_eq!(app["@type"], "CreativeWork");
    assert_eq!(app["headline"], "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says");
    assert_eq!(app["datePublished"], "2023-09-15");
    assert_eq!(app["publisher"]["name"], "The Harbor Ledger");
    let rating = &r["reviewRating"];
    assert_eq!(rating["@type"], "Rating");
    assert_eq!(
        (rating["ratingValue"].as_i64(), rating["bestRating"].as_i64(), rating["worstRating"].as_i64()),
        (Some(2), Some(5), Some(1))
    );
    assert_eq!(r["author"]["name"], "Harbor Desk");
    assert_eq!(r["datePublished"], "2023-09-20");
    assert_eq!(r["url"], "https://desk.example/checks/ferry-misquote");
    let plain = reviews.iter().find(|r| r["reviewRating"]["alternateName"] == "Unverifiable").unwrap();
    assert!(plain["reviewRating"].get("ratingValue").is_none());
    assert_eq!(plain["url"], "https://desk.example/checks/gulls");

    // Into the ledger they came from: every review is already there.
    let text = serde_json::to_string(&reviews).unwrap();
    let before = dump(&s.ledger);
    let again = s.ledger.import_claim_reviews(&text).unwrap();
    assert_eq!((again.reviews, again.verdicts_existing, again.verdicts_created, again.documents_created), (2, 2, 0, 0));
    assert_eq!(dump(&s.ledger), before);

    // Into an empty ledger (no article text): the same reviews come out again.
    let mut e = Ledger::open_in_memory().unwrap();
    let got = e.import_claim_reviews(&text).unwrap();
    assert_eq!((got.verdicts_created, got.claims_created), (2, 2));
    assert_eq!(got.documents_created, 3, "the article and one document per claim");
    assert_eq!(e.export_claim_reviews(Scope::Ledger).unwrap(), Value::Array(reviews.clone()));
    let again = e.import_claim_reviews(&text).unwrap();
    assert_eq!((again.verdicts_existing, again.documents_created, again.claims_created), (2, 0, 0));
}

#[test]
fn claim_review_feeds_are_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_ledger(&dir.path().join("a.ledger"));
    let article_title = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";
    let feed = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [{
                "@type": "ClaimReview",
                "claimReviewed": "the project manager approved eleven change orders above his $150,000 limit",
                "itemReviewed": {"@type": "Claim", "appearance": {"@type": "CreativeWork", "headline": article_title}},
                "author": [{"@type": "Organization", "name": "Partner Checks"}],
                "datePublished": "2023-10-01T08:00:00Z",
                "url": "https://partner.example/eleven",
                "reviewRating": {"@type": "Rating", "ratingValue": "5", "bestRating": "5", "worstRating": "1", "alternateName": "True"}
            }]},
            {"@type": "DataFeedItem", "item": [{
                "@type": "ClaimReview",
                "claimReviewed": "Ferry managers ignored every warning 🚢",
                "url": "https://partner.example/warnings",
                "itemReviewed": {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "url": "https://other.example/ferry", "headline": "Ferry row"}]},
                "reviewRating": {"@type": "Rating", "alternateName": "Exaggerated"}
            }]},
            {"@type": "DataFeedItem", "item": [{"@type": "WebPage", "name": "not a review"}]}
        ]
    })
    .to_string();
    let out = s.ledger.import_claim_reviews(&feed).unwrap();
    assert_eq!((out.reviews, out.skipped, out.verdicts_created), (2, 1, 2));
    assert_eq!(out.documents_created, 2, "the unknown article and its claim's document");
    assert_eq!(out.claims_created, 1, "the first review rates a statement the article has");

    // The first verdict is on the article's own statement.
    let rev = s.ledger.latest_revision(s.article).unwrap().unwrap();
    let eleven = s
        .ledger
        .claims(rev.id)
        .unwrap()
        .into_iter()
        .find(|c| s.ledger.text(&c.span).unwrap().contains("eleven change orders"))
        .unwrap();
    let v = s.ledger.verdicts(eleven.id).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].rating, Some(Rating { value: 5, best: 5, worst: 1 }));
    assert_eq!(v[0].author.as_deref(), Some("Partner Checks"));
    assert_eq!(v[0].date_published, Some(time::macros::date!(2023 - 10 - 01)));
    // The second: a new article (by URL) and a document holding the claim.
    let other = s.ledger.documents().unwrap().into_iter().find(|d| d.title == "Ferry row").unwrap();
    assert_eq!(other.identifier.as_deref(), Some("https://other.example/ferry"));
    assert!(s.ledger.latest_revision(other.id).unwrap().is_none(), "no article text");
    let holder = s.ledger.documents_titled("Ferry managers ignored every warning 🚢").unwrap();
    assert_eq!(holder.len(), 1);
    assert_eq!(holder[0].metadata["appearance"], other.id.to_string());
    // Its review names the article it appeared in.
    let reviews = s.ledger.export_claim_reviews(Scope::Ledger).unwrap();
    let r = reviews.as_array().unwrap().iter().find(|r| r["reviewRating"]["alternateName"] == "Exaggerated").unwrap();
    assert_eq!(r["itemReviewed"]["appearance"]["url"], "https://other.example/ferry");
    assert_eq!(r["claimReviewed"], "Ferry managers ignored every warning 🚢");

    // Idempotent, and a bad review refuses the whole feed.
    let before = dump(&s.ledger);
    let again = s.ledger.import_claim_reviews(&feed).unwrap();
    assert_eq!((again.verdicts_existing, again.verdicts_created, again.documents_created), (2, 0, 0));
    assert_eq!(dump(&s.ledger), before);
    let bad = feed.replace(r#""ratingValue":"5""#, r#""ratingValue":"9""#);
    assert_ne!(bad, feed);
    let e = s.ledger.import_claim_reviews(&bad).unwrap_err();
    assert!(e.is_invalid_input() && e.to_string().contains("ClaimReview 1"), "{e}");
    for bad in [r#"{"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}}"#, "[]", "{"] {
        assert!(s.ledger.import_claim_reviews(bad).unwrap_err().is_invalid_input(), "{bad}");
    }
    // A review without a textual rating is skipped with a warning, not fatal.
    let unrated = r#"{"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"ratingValue": 2}}"#;
    let out = s.ledger.import_claim_reviews(unrated).unwrap();
    assert_eq!((out.verdicts_created, out.warnings.len()), (0, 1));
    assert_eq!(dump(&s.ledger), before);
}

#[test]
fn csl_items_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_ledger(&dir.path().join("a.ledger"));
    let mut d = NewDocument::new(DocumentKind::Email, "Re: floating dock");
    d.creators = vec!["Lindqvist, Marta".into()];
    d.published = Some(time::macros::date!(2022 - 10 - 04));
    s.ledger.add_document(d).unwrap();
    let items = s.ledger.export_csl(Scope::Ledger).unwrap();
    let arr = items.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    let report = arr.iter().find(|i| i["type"] == "report").unwrap();
    assert_eq!(report["number-of-pages"], 3);
    let article = arr.iter().find(|i| i["type"] == "article-newspaper").unwrap();
    assert_eq!(article["issued"]["date-parts"], serde_json::json!([[2023, 9, 15]]));
    assert_eq!(article["container-title"], "The Harbor Ledger", "a newspaper is the container");
    assert!(article.get("publisher").is_none());
    let email = arr.iter().find(|i| i["type"] == "personal_communication").unwrap();
    assert_eq!(email["author"], serde_json::json!([{"family": "Lindqvist", "given": "Marta"}]));

    // Into an empty ledger and out again: the same items.
    let text = items.to_string();
    let mut e = Ledger::open_in_memory().unwrap();
    let got = e.import_csl(&text).unwrap();
    assert_eq!((got.items, got.created, got.existing), (3, 3, 0));
    assert_eq!(e.export_csl(Scope::Ledger).unwrap(), items);
    assert_eq!(e.import_csl(&text).unwrap().existing, 3);
    assert_eq!(e.documents().unwrap().len(), 3);

    // Items from elsewhere keep what the ledger has no place for.
    let foreign = serde_json::json!([
        {"id": "smith2020", "type": "article-journal", "title": "Ferries and their Costs",
         "author": [{"family": "Smith", "given": "Ann"}, {"literal": "Harbor Authority"}, {"family": "Berg", "non-dropping-particle": "van den", "given": "Els"}],
         "issued": {"date-parts": [[2020, 5]]}, "container-title": "Port Studies", "page": "12-19", "DOI": "10.1000/ferry"},
        {"id": 7, "type": "webpage", "title": "Terminal timetable", "URL": "https://port.example/timetable"},
    ]);
    let mut f = Ledger::open_in_memory().unwrap();
    let got = f.import_csl(&foreign.to_string()).unwrap();
    assert_eq!(got.created, 2);
    let docs = f.documents().unwrap();
    let smith = docs.iter().find(|d| d.title == "Ferries and their Costs").unwrap();
    assert_eq!(smith.kind, DocumentKind::Other);
    assert_eq!(smith.creators, ["Smith, Ann", "Harbor Authority", "van den Berg, Els"]);
    assert!(smith.published.is_none());
    let web = docs.iter().find(|d| d.kind == DocumentKind::WebPage).unwrap();
    assert_eq!(web.identifier.as_deref(), Some("https://port.example/timetable"));
    let out = f.export_csl(Scope::Ledger).unwrap();
    let item = out.as_array().unwrap().iter().find(|i| i["title"] == "Ferries and their Costs").unwrap();
    assert_eq!(item["type"], "article-journal");
    assert_eq!(item["page"], "12-19");
    assert_eq!(item["container-title"], "Port Studies");
    assert_eq!(item["DOI"], "10.1000/ferry");
    assert_eq!(item["issued"], serde_json::json!({"date-parts": [[2020, 5]]}));
    assert_eq!(item["author"], foreign[0]["author"]);
    // Importing the same items again finds them (they export to the same items).
    let again = f.import_csl(&foreign.to_string()).unwrap();
    assert_eq!((again.created, again.existing), (0, 2));
    assert!(f.import_csl(r#"[{"id": "x", "type": "report"}]"#).unwrap_err().is_invalid_input());
    assert!(f.import_csl("42").unwrap_err().is_invalid_input());
    assert_eq!(f.documents().unwrap().len(), 2);
}

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

#[test]
fn the_command_line_exports_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let out = cli(&["demo", "--keep", &p("a.ledger")]);
    assert!(out.status.success());

    // Bundle: export, import into a new ledger, export again: the same bytes.
    let out = cli(&["export", &p("a.ledger"), "--format", "bundle", "-o", &p("a.jsonl")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "no progress bar when standard error is not a terminal");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("exported "));
    let out = cli(&["import", &p("b.ledger"), "--format", "bundle", &p("a.jsonl")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 already in the ledger"));
    let out = cli(&["export", &p("b.ledger"), "--format", "bundle"]);
    assert!(out.status.success());
    assert_same(&out.stdout, &std::fs::read(p("a.jsonl")).unwrap());

    // One article, by title, in every format.
    let title = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";
    for format in ["w3c", "claimreview", "csl"] {
        let out = cli(&["export", &p("a.ledger"), "--format", format, "--document", title]);
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.is_array() || v["type"] == "AnnotationCollection", "{format}");
    }
    let out = cli(&["export", &p("a.ledger"), "--format", "fever", "--document", title]);
    assert_eq!(lines(&out.stdout).len(), 15);
    let out = cli(&["export", &p("a.ledger"), "--format", "csl", "-o", &p("a.csl.json")]);
    assert!(out.status.success());
    let out = cli(&["import", &p("c.ledger"), "--format", "csl", &p("a.csl.json")]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 documents created"), "{out:?}");

    // Errors: one line, exit 2, nothing written.
    let good = std::fs::read_to_string(p("a.jsonl")).unwrap();
    std::fs::write(p("cut.jsonl"), &good[..good.len() / 2]).unwrap();
    let before = cli(&["export", &p("c.ledger"), "--format", "bundle"]).stdout;
    let out = cli(&["import", &p("c.ledger"), "--format", "bundle", &p("cut.jsonl")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("claimledger: error: "), "{err}");
    assert_eq!(cli(&["export", &p("c.ledger"), "--format", "bundle"]).stdout, before);
    let out = cli(&["export", &p("missing.ledger"), "--format", "csl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("missing.ledger").exists(), "export never creates a ledger");
    let out = cli(&["export", &p("a.ledger"), "--format", "csl", "--document", "No such article", "-o", &p("x.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("x.json").exists() && !dir.path().join("x.json.partial").exists());

    // Help names every format.
    let help = String::from_utf8(cli(&["export", "--help"]).stdout).unwrap();
    for f in ["bundle", "w3c", "claimreview", "csl", "fever", "--document", "--output"] {
        assert!(help.contains(f), "export --help lacks {f}");
    }
    let help = String::from_utf8(cli(&["import", "--help"]).stdout).unwrap();
    for f in ["bundle", "claimreview", "csl"] {
        assert!(help.contains(f), "import --help lacks {f}");
    }
    let help = String::from_utf8(cli(&["--help"]).stdout).unwrap();
    assert!(help.contains("export") && help.contains("import"));
}

/// The corpus article's trace, bundled, imported into an empty ledger and
/// bundled again: the same bytes (runs when CLAIMLEDGER_CORPUS is set).
#[test]
fn the_corpus_trace_bundle_round_trips() {
    let Some(article) = common::corpus_file(
        "the_corpus_trace_bundle_round_trips",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let dir = article.parent().unwrap();
    let trace = TraceFile::from_toml(include_str!("fixtures/tpm-trump-russia.trace.toml")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(tmp.path().join("tpm.ledger")).unwrap();
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text =
            std::fs::read_to_string(common::corpus_file("corpus bundle", &format!("{name}.txt")).unwrap()).unwrap();
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
        let title = trace.sources.iter().find(|s| s.key == key).unwrap().title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), text);
        imp.redactions = Redactions::StandOff(file);
        l.import_source(imp).unwrap();
    }
    let text = std::fs::read_to_string(&article).unwrap();
    let out = l.import_trace(&text, &trace).unwrap();
    let first = bundle(&l, Scope::Document(out.article.id));
    let header = &lines(&first[..first.iter().position(|&b| b == b'\n').unwrap() + 1])[0];
    assert_eq!(header["counts"]["documents"], 3);
    assert_eq!(header["counts"]["claims"], 59);
    assert!(header["counts"]["redactions"].as_u64().unwrap() > 100);

    let mut copy = Ledger::open(tmp.path().join("copy.ledger")).unwrap();
    let got = copy.import_bundle(std::io::BufReader::new(&first[..])).unwrap();
    assert_eq!(got.merged.total(), 0);
    assert_same(&bundle(&copy, Scope::Document(out.article.id)), &first);
    assert_eq!(audit_json(&copy, out.article.id), audit_json(&l, out.article.id));
    // Into the ledger it came from: all of it merges.
    let again = l.import_bundle(&first[..]).unwrap();
    assert_eq!(again.new.total(), 0);
}

#[test]
fn verdicts_are_stored_and_checked() {
    let mut l = Ledger::open_in_memory().unwrap();
    let a = l.add_article(NewDocument::new(DocumentKind::Article, "Pier"), "The pier opened. It cost $4m.").unwrap();
    let mut v = NewVerdict::new(a.claims[1].id, "Mostly true").rated(4, 1, 5);
    v.date_published = Some(time::macros::date!(2024 - 02 - 29));
    let stored = l.add_verdict(v.clone()).unwrap();
    assert_eq!(l.verdict(stored.id).unwrap().unwrap(), stored);
    assert_eq!(l.verdicts(a.claims[1].id).unwrap(), std::slice::from_ref(&stored));
    assert_eq!(l.verdicts_of_revision(a.revision.id).unwrap(), [stored]);
    assert!(l.verdicts(a.claims[0].id).unwrap().is_empty());
    assert!(l.add_verdict(NewVerdict::new(ClaimId::new(), "True")).unwrap_err().is_not_found());
    assert!(l.add_verdict(NewVerdict::new(a.claims[0].id, " ")).unwrap_err().is_invalid_input());
    assert!(l.add_verdict(NewVerdict::new(a.claims[0].id, "x").rated(0, 1, 5)).unwrap_err().is_invalid_input());
    assert!(l.add_verdict(NewVerdict::new(a.claims[0].id, "x").rated(3, 5, 1)).unwrap_err().is_invalid_input());
    assert_eq!(l.verdicts_of_revision(a.revision.id).unwrap().len(), 1);
    assert!(supported_schema_version() >= 2, "verdicts came with schema 2");
}

/// A bundle written before schema V4 has no `location` and may say `ambiguous` in
/// `status`: it imports as an unchecked quotation with location `ambiguous`, and
/// the other quotations get the location their status implies.
#[test]
fn bundles_from_before_the_location_split_import() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_ledger(&dir.path().join("a.ledger"));
    let whole = bundle(&s.ledger, Scope::Ledger);
    let old = edit_line(&whole, "quotation", |v| {
        v["status"] = "ambiguous".into();
        v.as_object_mut().unwrap().remove("location");
    });
    let mut old_str = String::new();
    for line in std::str::from_utf8(&old).unwrap().lines() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        if v["type"] == "quotation" {
            assert!(v.as_object_mut().unwrap().remove("location").is_some() || v["status"] == "ambiguous");
        }
        old_str += &serde_json::to_string(&v).unwrap();
        old_str.push('\n');
    }
    let mut b = Ledger::open(dir.path().join("b.ledger")).unwrap();
    b.import_bundle(old_str.as_bytes()).unwrap();
    let mut seen = (0, 0);
    for d in b.documents().unwrap() {
        let Some(rev) = b.latest_revision(d.id).unwrap() else { continue };
        for q in b.quotations_of_revision(rev.id).unwrap() {
            let orig = s.ledger.quotation(q.id).unwrap().unwrap();
            if q.check.location == QuoteLocation::Ambiguous {
                assert_eq!(q.check.status, QuoteStatus::Unchecked);
                seen.0 += 1;
            } else {
                assert_eq!(q.check, orig.check, "the location follows from the status");
                seen.1 += 1;
            }
        }
    }
    assert_eq!(seen.0, 1);
    assert!(seen.1 >= 1);
    // An unknown status is refused, naming it.
    let bad = edit_line(&whole, "quotation", |v| v["status"] = "dubious".into());
    let mut c = Ledger::open(dir.path().join("c.ledger")).unwrap();
    let e = refused(&mut c, &bad);
    assert!(e.to_string().contains("dubious"), "{e}");
}
