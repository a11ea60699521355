//! W3C Web Annotation: every exported TextQuoteSelector resolves to exactly one
//! place, its annotation's own span. Checked by a resolver written here from the
//! Web Annotation Data Model (independently of the exporter), and by Apache
//! Annotator (`@apache-annotator/dom` under Node, in a jsdom document) when it is
//! installed: `.ci/run` installs `tests/peers/annotator` in `target/annotator`
//! and sets `CLAIMLEDGER_ANNOTATOR`. The corpus part exports the two volumes of
//! the report with every redaction and the traced corpus article.

mod common;

use claimledger::formats::Scope;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A text with the code-point offset of every byte offset, and the places of
/// each `exact` looked up so far.
struct Text {
    text: String,
    cp: Vec<u32>,
    found: RefCell<HashMap<String, Vec<usize>>>,
}

impl Text {
    fn new(text: String) -> Text {
        let mut cp = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (i, c) in text.char_indices() {
            for b in 0..c.len_utf8() {
                cp[i + b] = n;
            }
            n += 1;
        }
        cp[text.len()] = n;
        Text { text, cp, found: RefCell::new(HashMap::new()) }
    }

    /// Every place a TextQuoteSelector selects: where `exact` occurs with
    /// `prefix` immediately before it and `suffix` immediately after (overlapping
    /// occurrences included), as code-point ranges.
    fn resolve(&self, exact: &str, prefix: &str, suffix: &str) -> Vec<(usize, usize)> {
        let t = &self.text;
        let mut found = self.found.borrow_mut();
        let places = found.entry(exact.to_string()).or_insert_with(|| {
            let mut v = Vec::new();
            let mut from = 0;
            while let Some(i) = t.get(from..).and_then(|rest| rest.find(exact)) {
                let at = from + i;
                v.push(at);
                from = at + t[at..].chars().next().map_or(1, char::len_utf8);
            }
            v
        });
        places
            .iter()
            .filter(|&&at| t[..at].ends_with(prefix) && t[at + exact.len()..].starts_with(suffix))
            .map(|&at| (self.cp[at] as usize, self.cp[at + exact.len()] as usize))
            .collect()
    }
}

/// One exported selector: the quote, the position it states, and the span the
/// annotation's record has (code points).
#[derive(Debug)]
struct Exported {
    what: String,
    source: String,
    exact: String,
    prefix: String,
    suffix: String,
    position: (usize, usize),
    own: (usize, usize),
}

/// Code points of a byte span of a revision.
fn cp_span(l: &Ledger, span: &Span) -> (usize, usize) {
    let idx = l.revision(span.revision).unwrap().unwrap().char_index();
    (idx.to_char(span.start).unwrap(), idx.to_char(span.end).unwrap())
}

/// Every TextQuoteSelector of an export, with the span of the record it stands for.
fn exported(l: &Ledger, coll: &Value) -> Vec<Exported> {
    let mut own: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for d in l.documents().unwrap() {
        let Some(rev) = l.latest_revision(d.id).unwrap() else { continue };
        for x in l.redactions(rev.id).unwrap() {
            own.insert(format!("urn:uuid:{}", x.id), vec![cp_span(l, &x.span)]);
        }
        let parts = l.claim_parts_of_revision(rev.id).unwrap();
        for c in l.citations_of_revision(rev.id).unwrap() {
            let claim = l.claim(c.claim).unwrap().unwrap();
            let passage = l.passage(c.passage).unwrap().unwrap();
            // A citation of some parts only targets those parts.
            let mut spans: Vec<(usize, usize)> =
                parts.iter().filter(|p| p.citations.contains(&c.id)).map(|p| cp_span(l, &p.span)).collect();
            if spans.is_empty() {
                spans.push(cp_span(l, &claim.span));
            }
            spans.push(cp_span(l, &passage.span));
            own.insert(format!("urn:uuid:{}", c.id), spans);
        }
        for p in &parts {
            let claim = l.claim(p.claim).unwrap().unwrap();
            own.insert(format!("urn:uuid:{}", p.id), vec![cp_span(l, &p.span), cp_span(l, &claim.span)]);
        }
    }
    let mut out = Vec::new();
    for a in coll["first"]["items"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let spans = own.get(id).unwrap_or_else(|| panic!("{id} is a record of the ledger"));
        let mut resources: Vec<&Value> = match a["target"].as_array() {
            Some(targets) => targets.iter().collect(),
            None => vec![&a["target"]],
        };
        let targets = resources.len();
        if a["motivation"] == "linking" {
            resources.push(&a["body"][0]);
        }
        if a["motivation"] == "assessing" {
            assert_eq!(a["body"][1]["purpose"], "linking", "{id}: a part links to its claim");
            resources.push(&a["body"][1]);
        }
        assert_eq!(resources.len(), spans.len(), "{id}: one resource per span of the record");
        for (k, r) in resources.into_iter().enumerate() {
            let sel = r["selector"].as_array().unwrap();
            let q = sel.iter().find(|s| s["type"] == "TextQuoteSelector").unwrap();
            let p = sel.iter().find(|s| s["type"] == "TextPositionSelector").unwrap();
            let s = |v: &Value| v.as_str().unwrap().to_string();
            let n = |v: &Value| v.as_u64().unwrap() as usize;
            out.push(Exported {
                what: format!("{id} {}", if k < targets { "target" } else { "body" }),
                source: s(&r["source"]),
                exact: s(&q["exact"]),
                prefix: s(&q["prefix"]),
                suffix: s(&q["suffix"]),
                position: (n(&p["start"]), n(&p["end"])),
                own: spans[k],
            });
        }
    }
    out
}

/// The latest text of every document, by the IRI the export names it with.
fn texts(l: &Ledger) -> HashMap<String, Text> {
    let mut m = HashMap::new();
    for d in l.documents().unwrap() {
        let Some(rev) = l.latest_revision(d.id).unwrap() else { continue };
        let iri = d.identifier.clone().unwrap_or_else(|| format!("urn:uuid:{}", d.id));
        m.insert(iri, Text::new(rev.text.to_string()));
    }
    m
}

/// Resolves every exported selector with the resolver above: one place each,
/// the annotation's own span. Returns how many selectors the plain 32-code-point
/// context would have left ambiguous.
fn check_all(sels: &[Exported], texts: &HashMap<String, Text>) -> usize {
    let mut were_ambiguous = 0;
    for e in sels {
        let t = &texts[&e.source];
        assert_eq!(e.position, e.own, "{}: the position selector is the record's span", e.what);
        assert_eq!(t.resolve(&e.exact, &e.prefix, &e.suffix), [e.own], "{}: resolves once, to its own span", e.what);
        // With only 32 code points of context each side, as before.
        let short = |s: &str, from_end: bool| -> String {
            let c: Vec<char> = s.chars().collect();
            let n = c.len().min(32);
            if from_end { c[c.len() - n..].iter().collect() } else { c[..n].iter().collect() }
        };
        if t.resolve(&e.exact, &short(&e.prefix, true), &short(&e.suffix, false)).len() > 1 {
            were_ambiguous += 1;
            assert!(e.prefix.chars().count() > 32 || e.suffix.chars().count() > 32, "{}: extended", e.what);
        }
    }
    were_ambiguous
}

/// The Apache Annotator peer, when installed (`CLAIMLEDGER_ANNOTATOR`: its
/// directory, with `node_modules`); with `CI` set, a missing peer fails.
fn annotator(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("CLAIMLEDGER_ANNOTATOR").map(PathBuf::from);
    let ok = dir.as_ref().is_some_and(|d| d.join("node_modules/@apache-annotator/dom").is_dir());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("CLAIMLEDGER_ANNOTATOR").is_none(),
            "{test}: Apache Annotator is not installed in CLAIMLEDGER_ANNOTATOR (.ci/run installs it)"
        );
        common::skip(test, "Apache Annotator is not installed (the Rust resolver alone checked)");
        return None;
    }
    dir
}

/// Every match Apache Annotator finds for each selector, in code points.
fn annotator_matches(dir: &Path, text: &str, sels: &[&Exported]) -> Vec<Vec<(usize, usize)>> {
    let input = json!({
        "text": text,
        "selectors": sels.iter().map(|e| json!({"exact": e.exact, "prefix": e.prefix, "suffix": e.suffix})).collect::<Vec<_>>(),
    });
    let mut child = Command::new("node")
        .arg(dir.join("resolve.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "Apache Annotator failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn check_with_annotator(test: &str, sels: &[Exported], texts: &HashMap<String, Text>) {
    let Some(dir) = annotator(test) else { return };
    let mut by_source: HashMap<&str, Vec<&Exported>> = HashMap::new();
    for e in sels {
        by_source.entry(e.source.as_str()).or_default().push(e);
    }
    for (source, list) in by_source {
        let got = annotator_matches(&dir, &texts[source].text, &list);
        for (e, m) in list.iter().zip(got) {
            assert_eq!(m, [e.own], "{}: Apache Annotator resolves it once, to its own span", e.what);
        }
    }
}

#[test]
fn repeated_sentences_get_selectors_that_match_once() {
    let mut l = Ledger::open_in_memory().unwrap();
    let unit = "The board met in May and the costs rose again this year. ";
    let source = format!("Preface. {} Closing.", unit.repeat(6));
    let s = l.add_document(NewDocument::new(DocumentKind::Report, "Minutes")).unwrap();
    let srev = l.add_revision(s.id, NewRevision::new(source.clone())).unwrap();
    let article = format!("Lead. {}End.", "Costs rose again. ".repeat(5));
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "Costs"), &article).unwrap();
    let starts: Vec<usize> = source.match_indices(unit.trim_end()).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), 6);
    for (i, c) in art.claims.iter().filter(|c| article[c.span.start..c.span.end] == *"Costs rose again.").enumerate() {
        let at = starts[i + 1];
        let p = l.add_passage(NewPassage::new(Span::new(srev.id, at, at + unit.trim_end().len()))).unwrap();
        l.add_citation(NewCitation::new(c.id, p.id, Relation::Supports)).unwrap();
    }
    let g = source.find("costs rose").unwrap();
    l.add_redaction(NewRedaction {
        span: Span::new(srev.id, g, g + 10),
        label: "Grand Jury".into(),
        approx_chars: None,
    })
    .unwrap();
    let coll = l.export_annotations(Scope::Ledger).unwrap();
    let sels = exported(&l, &coll);
    assert_eq!(sels.len(), 5 * 2 + 1);
    let texts = texts(&l);
    let ambiguous = check_all(&sels, &texts);
    assert!(ambiguous >= 4, "the repeated sentences are ambiguous with 32 code points of context: {ambiguous}");
    check_with_annotator("repeated_sentences_get_selectors_that_match_once", &sels, &texts);
}

#[test]
fn parts_are_annotations_and_citations_of_parts_target_them() {
    let mut l = Ledger::open_in_memory().unwrap();
    let source = "The board approved the plan in May. The plan cost 4 million. The board met twice.";
    let s = l.add_document(NewDocument::new(DocumentKind::Report, "Minutes")).unwrap();
    let srev = l.add_revision(s.id, NewRevision::new(source)).unwrap();
    let mut passage = |words: &str| {
        let at = source.find(words).unwrap();
        l.add_passage(NewPassage::new(Span::new(srev.id, at, at + words.len()))).unwrap().id
    };
    let (approved, cost, met) = (
        passage("The board approved the plan in May."),
        passage("The plan cost 4 million."),
        passage("The board met twice."),
    );
    // "approved in May" occurs in both statements: the part's selector must
    // not match the first.
    let article =
        "The plan was approved in May. Later the plan was approved in May and cost 3 million, the board said.";
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "Plan"), article).unwrap();
    let (first, second) = (art.claims[0].id, art.claims[1].id);
    let at = |words: &str| {
        let c = art.claims[1].span;
        let i = article[c.start..c.end].find(words).unwrap() + c.start;
        Span::new(art.revision.id, i, i + words.len())
    };
    l.add_citation(NewCitation::new(first, approved, Relation::Supports)).unwrap();
    let (a, b) = l
        .write(|w| {
            let a = w.add_part(&NewClaimPart::new(second, at("approved in May")))?;
            let b = w.add_part(&NewClaimPart {
                note: Some("The minutes say 4 million.".into()),
                ..NewClaimPart::new(second, at("cost 3 million"))
            })?;
            let c = w.add_citation(&NewCitation::new(second, approved, Relation::Supports))?;
            w.cite_part(a.id, c.id)?;
            let c = w.add_citation(&NewCitation::new(second, cost, Relation::Contradicts))?;
            w.cite_part(b.id, c.id)?;
            let c = w.add_citation(&NewCitation::new(second, met, Relation::Context))?;
            w.cite_part(a.id, c.id)?;
            w.cite_part(b.id, c.id)?;
            Ok((a, b))
        })
        .unwrap();

    let coll = l.export_annotations(Scope::Document(art.document.id)).unwrap();
    let items = coll["first"]["items"].as_array().unwrap();
    let by_id = |id: String| items.iter().find(|x| x["id"] == id).unwrap_or_else(|| panic!("{id} exported"));
    // Each part is an annotation of its own, with its state, its claim and its note.
    let pa = by_id(format!("urn:uuid:{}", a.id));
    let pb = by_id(format!("urn:uuid:{}", b.id));
    for (p, state, words) in [(pa, "supported", "approved in May"), (pb, "contradicted", "cost 3 million")] {
        assert_eq!(p["motivation"], "assessing");
        assert_eq!(p["target"]["selector"][0]["exact"], words);
        assert_eq!(p["body"][0], json!({"type": "TextualBody", "purpose": "tagging", "value": state}));
        assert_eq!(p["body"][1]["purpose"], "linking");
        assert_eq!(p["body"][1]["selector"][0]["exact"], &article[art.claims[1].span.start..art.claims[1].span.end]);
    }
    assert_eq!(pa["body"].as_array().unwrap().len(), 2, "no note");
    assert_eq!(pb["body"][2]["value"], "The minutes say 4 million.");
    // A citation of one part targets that part; of two parts, both; of the
    // whole statement, the statement.
    let targets: Vec<Value> = items
        .iter()
        .filter(|x| x["motivation"] == "linking")
        .map(|x| {
            let t = match x["target"].as_array() {
                Some(ts) => ts.iter().map(|t| t["selector"][0]["exact"].clone()).collect(),
                None => vec![x["target"]["selector"][0]["exact"].clone()],
            };
            json!([x["body"][1]["value"], t])
        })
        .collect();
    let mut targets: Vec<String> = targets.iter().map(Value::to_string).collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            r#"["context",["approved in May","cost 3 million"]]"#,
            r#"["contradicts",["cost 3 million"]]"#,
            r#"["supports",["The plan was approved in May."]]"#,
            r#"["supports",["approved in May"]]"#,
        ]
    );
    // Every selector, parts and targets of parts included, resolves once to its own span.
    let sels = exported(&l, &coll);
    assert_eq!(sels.len(), (1 + 1) + (1 + 1) + (2 + 1) + (1 + 1) + 2 * 2);
    let texts = texts(&l);
    check_all(&sels, &texts);
    check_with_annotator("parts_are_annotations_and_citations_of_parts_target_them", &sels, &texts);
}

#[test]
fn every_corpus_selector_resolves_to_its_own_span() {
    let Some(article_path) = common::corpus_file(
        "every_corpus_selector_resolves_to_its_own_span",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let dir = article_path.parent().unwrap();
    let trace = TraceFile::from_toml(include_str!("fixtures/tpm-trump-russia.trace.toml")).unwrap();
    let mut l = Ledger::open_in_memory().unwrap();
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
        let title = trace.sources.iter().find(|s| s.key == key).unwrap().title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), text);
        imp.redactions = Redactions::StandOff(file);
        l.import_source(imp).unwrap();
    }
    let article = std::fs::read_to_string(&article_path).unwrap();
    l.import_trace(&article, &trace).unwrap();
    let coll = l.export_annotations(Scope::Ledger).unwrap();
    let sels = exported(&l, &coll);
    let redactions = sels.iter().filter(|e| coll_motivation(&coll, &e.what) == "tagging").count();
    let stored: usize = l
        .documents()
        .unwrap()
        .iter()
        .filter_map(|d| l.latest_revision(d.id).unwrap())
        .map(|r| l.redactions(r.id).unwrap().len())
        .sum();
    assert!(stored > 800, "both volumes' redactions: {stored}");
    assert_eq!(redactions, stored, "every redaction is exported");
    let texts = texts(&l);
    let ambiguous = check_all(&sels, &texts);
    assert!(ambiguous >= 14, "the corpus has redactions a 32-code-point context leaves ambiguous: {ambiguous}");
    check_with_annotator("every_corpus_selector_resolves_to_its_own_span", &sels, &texts);
}

/// The motivation of the annotation an exported selector came from.
fn coll_motivation<'a>(coll: &'a Value, what: &str) -> &'a str {
    let id = what.split(' ').next().unwrap();
    coll["first"]["items"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()["motivation"].as_str().unwrap()
}
