//! CSL-JSON against real files and a real processor: Zotero's own CSL export
//! test fixture (every item kept, exported again field for field), the official
//! CSL data schema on import (a clear error naming item and field, nothing
//! written), and citeproc-py (PyPI `citeproc-py`, which `.ci/run` installs)
//! rendering the export with a real style that prints the outlet.

mod common;

use claimledger::formats::Scope;
use claimledger::*;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

/// Zotero's CSL export test fixture: one CSL item per Zotero item type, keyed by
/// type (see `tests/fixtures/zotero/README.md`).
fn zotero_items() -> Vec<Value> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/zotero/citeProcJSExport.js"))
            .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v.as_object().unwrap().values().cloned().collect()
}

fn bundle(l: &Ledger) -> Vec<u8> {
    let mut out = Vec::new();
    l.export_bundle(Scope::Ledger, &mut out).unwrap();
    out
}

#[test]
fn zoteros_export_fixture_imports_every_item_and_exports_it_again() {
    let items = zotero_items();
    assert_eq!(items.len(), 34);
    assert!(items.iter().all(|i| i["URL"] == "http://www.example.com"), "every item shares one URL");
    let file = Value::Array(items.clone()).to_string();
    let mut l = Ledger::open_in_memory().unwrap();
    let got = l.import_csl(&file).unwrap();
    assert_eq!((got.items, got.created, got.existing), (34, 34, 0), "each item kept separately");
    assert_eq!(l.documents().unwrap().len(), 34);

    // Exported again: the original ids, every field as it was.
    let out = l.export_csl(Scope::Ledger).unwrap();
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 34);
    for it in &items {
        let again = out.iter().find(|o| o["id"] == it["id"]).unwrap_or_else(|| panic!("id {} exported", it["id"]));
        assert_eq!(again, it, "item {} exports as it was imported", it["id"]);
    }
    // The outlet went to the publisher and comes back as the container.
    let news = items.iter().find(|i| i["type"] == "article-newspaper").unwrap();
    let doc = l
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.kind == DocumentKind::Article && d.metadata["csl_id"] == news["id"]);
    assert_eq!(doc.unwrap().publisher.as_deref(), news["container-title"].as_str());

    // The export imported again, and the fixture again: nothing new.
    let before = bundle(&l);
    let again = l.import_csl(&Value::Array(out.clone()).to_string()).unwrap();
    assert_eq!((again.created, again.existing), (0, 34));
    assert_eq!(l.import_csl(&file).unwrap().existing, 34);
    assert_eq!(bundle(&l), before, "a repeated import writes nothing");

    // One at a time, into another ledger: the same 34 documents.
    let mut m = Ledger::open_in_memory().unwrap();
    for it in &items {
        assert_eq!(m.import_csl(&it.to_string()).unwrap().created, 1);
    }
    assert_eq!(m.export_csl(Scope::Ledger).unwrap().as_array().unwrap().len(), 34);
}

#[test]
fn distinct_items_sharing_an_id_or_url_across_files_stay_distinct() {
    let mut l = Ledger::open_in_memory().unwrap();
    let a = json!([{"id": "1", "type": "report", "title": "Harbor audit 2021", "URL": "https://port.example/"}]);
    let b = json!([{"id": "1", "type": "report", "title": "Harbor audit 2022", "URL": "https://port.example/"}]);
    assert_eq!(l.import_csl(&a.to_string()).unwrap().created, 1);
    assert_eq!(l.import_csl(&b.to_string()).unwrap().created, 1, "another file's item 1 is another item");
    assert_eq!(l.documents().unwrap().len(), 2);
    // Exported together, their shared original id cannot name both: both carry document IDs.
    let out = l.export_csl(Scope::Ledger).unwrap();
    let ids: Vec<&str> = out.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert!(ids.iter().all(|i| i.parse::<DocumentId>().is_ok()), "{ids:?}");
    assert_eq!(l.import_csl(&out.to_string()).unwrap().existing, 2, "the ledger's own export merges by ID");

    // In one file, one id names one item.
    let mut m = Ledger::open_in_memory().unwrap();
    let twice = json!([
        {"id": "x", "type": "report", "title": "One"},
        {"id": "x", "type": "report", "title": "Two"}
    ]);
    let err = m.import_csl(&twice.to_string()).unwrap_err();
    assert!(err.is_invalid_input());
    let msg = err.to_string();
    assert!(msg.contains("CSL item 2 (id \"x\")") && msg.contains("item 1"), "{msg}");
    assert!(m.documents().unwrap().is_empty());
    // The same item twice is one document.
    let same = json!([{"id": "x", "type": "report", "title": "One"}, {"id": "x", "type": "report", "title": "One"}]);
    let got = m.import_csl(&same.to_string()).unwrap();
    assert_eq!((got.created, got.existing), (1, 1));
}

#[test]
fn outlets_are_container_titles_and_publishers_stay_publishers() {
    let mut l = Ledger::open_in_memory().unwrap();
    for (kind, title, publisher) in [
        (DocumentKind::Article, "Ferry costs rise", "Harbor Herald"),
        (DocumentKind::WebPage, "Timetable", "Port of Northgate"),
        (DocumentKind::Report, "Harbor audit", "Office of the Inspector General"),
    ] {
        let mut d = NewDocument::new(kind, title);
        d.publisher = Some(publisher.into());
        l.add_document(d).unwrap();
    }
    let out = l.export_csl(Scope::Ledger).unwrap();
    let item = |t: &str| out.as_array().unwrap().iter().find(|i| i["title"] == t).unwrap().clone();
    let news = item("Ferry costs rise");
    assert_eq!(news["container-title"], "Harbor Herald");
    assert!(news.get("publisher").is_none(), "{news}");
    assert_eq!(item("Timetable")["container-title"], "Port of Northgate");
    let report = item("Harbor audit");
    assert_eq!(report["publisher"], "Office of the Inspector General");
    assert!(report.get("container-title").is_none());
    // A journal article read from elsewhere: its journal is its outlet.
    let mut m = Ledger::open_in_memory().unwrap();
    m.import_csl(r#"{"id": "j", "type": "article-journal", "title": "Ferries", "container-title": "Port Studies"}"#)
        .unwrap();
    assert_eq!(m.documents().unwrap()[0].publisher.as_deref(), Some("Port Studies"));
}

#[test]
fn invalid_items_are_refused_naming_item_and_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ledger");
    let mut l = Ledger::open(&path).unwrap();
    l.import_csl(r#"[{"id": "ok", "type": "report", "title": "Kept"}]"#).unwrap();
    let before = bundle(&l);
    let good = json!({"id": "fine", "type": "book", "title": "Fine"});
    for (bad, field) in [
        (json!({"id": "x", "type": "book", "title": "T", "author": ["Jane Doe"]}), "author[0]"),
        (json!({"id": {"n": 1}, "type": "book", "title": "T"}), "id"),
        (
            json!({"id": "x", "type": "book", "title": "T", "issued": {"date-parts": [["abc"]]}}),
            "issued.date-parts[0][0]",
        ),
        (
            json!({"id": "x", "type": "book", "title": "T", "issued": {"date-parts": [[2020, 13]]}}),
            "issued.date-parts[0][1]",
        ),
        (
            json!({"id": "x", "type": "book", "title": "T", "issued": {"date-parts": [[1e30]]}}),
            "issued.date-parts[0][0]",
        ),
        (json!({"id": "x", "type": "book", "title": "T", "journal": "J"}), "journal"),
        (json!({"id": "x", "title": "T"}), "type"),
        (json!({"id": "x", "type": "newspaper", "title": "T"}), "type"),
        (json!({"id": "x", "type": "book"}), "title"),
    ] {
        let file = json!([good, bad]).to_string();
        let err = l.import_csl(&file).unwrap_err();
        assert!(err.is_invalid_input(), "{bad}: {err}");
        let msg = err.to_string();
        assert!(msg.contains("CSL item 2"), "names the item: {msg}");
        assert!(msg.contains(&format!("`{field}`")), "names the field {field}: {msg}");
        assert_eq!(bundle(&l), before, "nothing written for {bad}");
    }
    drop(l);
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.documents().unwrap().len(), 1);
}

/// The Python with citeproc-py (`CLAIMLEDGER_PYTHON`, else `python3`), or `None`
/// when it has none (printed); with `CLAIMLEDGER_PYTHON` or `CI` set, missing fails.
fn citeproc_python(test: &str) -> Option<String> {
    let python = std::env::var("CLAIMLEDGER_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import citeproc"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CLAIMLEDGER_PYTHON").is_none() && std::env::var_os("CI").is_none(),
            "{test}: {python} cannot import citeproc (.ci/run installs PyPI citeproc-py)"
        );
        common::skip(test, &format!("citeproc-py is not installed for {python}"));
        return None;
    }
    Some(python)
}

/// The bibliography citeproc-py renders for `items` in the Harvard style it ships.
fn render(python: &str, items: &Value) -> String {
    const SCRIPT: &str = "import json, sys\n\
        from citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem, formatter\n\
        from citeproc.source.json import CiteProcJSON\n\
        items = json.load(sys.stdin)\n\
        bib = CitationStylesBibliography(CitationStylesStyle('harvard-cite-them-right', validate=False), CiteProcJSON(items), formatter.plain)\n\
        for it in items:\n    bib.register(Citation([CitationItem(str(it['id']))]))\n\
        print('\\n'.join(str(e) for e in bib.bibliography()))\n";
    let mut child = Command::new(python)
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(items.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "citeproc-py failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn citeproc_py_renders_the_outlet_of_the_export() {
    let Some(python) = citeproc_python("citeproc_py_renders_the_outlet_of_the_export") else { return };
    let mut l = Ledger::open_in_memory().unwrap();
    let mut d = NewDocument::new(DocumentKind::Article, "Ferry costs rise");
    d.creators = vec!["Lindqvist, Marta".into()];
    d.publisher = Some("Harbor Herald".into());
    d.published = Some(time::macros::date!(2023 - 09 - 15));
    l.add_document(d).unwrap();
    let mut r = NewDocument::new(DocumentKind::Report, "Harbor audit");
    r.publisher = Some("Office of the Inspector General".into());
    l.add_document(r).unwrap();
    let out = render(&python, &l.export_csl(Scope::Ledger).unwrap());
    let news = out.lines().find(|x| x.contains("Ferry costs rise")).unwrap_or_else(|| panic!("{out}"));
    assert!(news.contains("Harbor Herald"), "the newspaper is printed: {news}");
    assert!(news.starts_with("Lindqvist, M."), "{news}");
    let report = out.lines().find(|x| x.contains("Harbor audit")).unwrap();
    assert!(report.contains("Office of the Inspector General"), "the publisher is printed: {report}");

    // Zotero's items, through the ledger: the newspaper's outlet still prints.
    let mut z = Ledger::open_in_memory().unwrap();
    let news = zotero_items().into_iter().filter(|i| i["type"] == "article-newspaper").collect::<Vec<_>>();
    z.import_csl(&Value::Array(news.clone()).to_string()).unwrap();
    let out = render(&python, &z.export_csl(Scope::Ledger).unwrap());
    assert!(out.contains(news[0]["container-title"].as_str().unwrap()), "{out}");
}
