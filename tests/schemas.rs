//! The JSON contracts: every JSON document the command line writes for
//! pipelines validates against its JSON Schema in `schemas/` (draft 2020-12),
//! on the embedded sample and on the real corpus; and each schema is itself a
//! valid 2020-12 schema that refuses what it should.

mod common;

use claimledger::cli::sample;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().expect("the binary runs")
}

fn json_of(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

fn schema_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(name)
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(schema_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A validator for `name`, with every schema of `schemas/` registered so
/// cross-file `$ref`s resolve without any network.
fn validator(name: &str) -> jsonschema::Validator {
    let mut registry = jsonschema::Registry::new();
    for entry in std::fs::read_dir(schema_path("")).expect("schemas/") {
        let path = entry.expect("entry").path();
        let file = path.file_name().and_then(|f| f.to_str()).expect("utf-8 name").to_string();
        let schema = load(&file);
        let id = schema["$id"].as_str().unwrap_or_else(|| panic!("{file} has no $id")).to_string();
        registry = registry.add(id, jsonschema::Resource::from_contents(schema)).expect("registered");
    }
    let registry = registry.prepare().expect("registry");
    jsonschema::options()
        .with_registry(&registry)
        .build(&load(name))
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

#[track_caller]
fn assert_valid(schema: &str, doc: &Value) {
    let v = validator(schema);
    let errors: Vec<String> = v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).take(10).collect();
    assert!(errors.is_empty(), "{schema}: {} errors, first ones:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_schema_is_a_valid_2020_12_schema_with_an_id() {
    let mut names: Vec<String> = std::fs::read_dir(schema_path(""))
        .expect("schemas/")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "audit.schema.json",
            "evidence.schema.json",
            "log.schema.json",
            "quotes-batch.schema.json",
            "quotes.schema.json",
            "reanchor.schema.json",
            "suggest.schema.json",
            "verify.schema.json"
        ]
    );
    for name in &names {
        let s = load(name);
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema", "{name}");
        assert!(jsonschema::meta::is_valid(&s), "{name} is not a valid schema");
        validator(name);
    }
}

#[test]
fn the_schemas_refuse_what_breaks_the_contract() {
    let quotes = validator("quotes.schema.json");
    assert!(quotes.is_valid(&json!({"format": 1, "quotes": []})));
    assert!(!quotes.is_valid(&json!({"quotes": []})), "format is required");
    assert!(!quotes.is_valid(&json!({"format": 2, "quotes": []})), "another format version is another schema");
    let mut q = json!({"article_start": 0, "article_end": 5, "text": "words", "status": "ambiguous", "location": "unique",
        "source": "s", "start": 0, "end": 5, "page": null, "tier": "exact", "score": 1.0, "candidates": 1,
        "alternatives": [], "differences": [], "edits": [], "redactions": []});
    assert!(!quotes.is_valid(&json!({"format": 1, "quotes": [q.clone()]})), "ambiguous is a location, not a verdict");
    q["status"] = json!("verbatim");
    assert!(quotes.is_valid(&json!({"format": 1, "quotes": [q.clone()]})));
    q["attribution"] = json!({"speaker": "Barr", "cue": "Barr said", "start": 9, "end": 18,
        "speaker_start": 9, "speaker_end": 13, "pattern": "speaker_verb_after"});
    assert!(quotes.is_valid(&json!({"format": 1, "quotes": [q.clone()]})));
    q["attribution"]["pattern"] = json!("guessed");
    assert!(!quotes.is_valid(&json!({"format": 1, "quotes": [q.clone()]})), "patterns are a closed list");
    q["attribution"] = json!({"cue": "Barr said", "start": 9, "end": 18});
    assert!(!quotes.is_valid(&json!({"format": 1, "quotes": [q.clone()]})), "an attribution names its speaker");
    q["attribution"] = json!(null);
    assert!(quotes.is_valid(&json!({"format": 1, "quotes": [q.clone()]})), "no cue, no attribution");
    q["start"] = json!(-1);
    assert!(!quotes.is_valid(&json!({"format": 1, "quotes": [q]})), "offsets are not negative");

    let batch = validator("quotes-batch.schema.json");
    assert!(batch.is_valid(&json!({"format": 1, "id": "a", "quotes": []})));
    assert!(batch.is_valid(&json!({"format": 1, "id": 7, "line": 3, "error": "not JSON"})));
    assert!(!batch.is_valid(&json!({"format": 1, "id": "a"})), "a record has quotes or an error");

    let audit = validator("audit.schema.json");
    assert!(!audit.is_valid(&json!({"format": 1, "audits": [{"document": {}}]})));
    assert!(audit.is_valid(&json!({"format": 1, "audits": []})));

    let reanchor = validator("reanchor.schema.json");
    let counts = json!({"same": 0, "moved": 0, "changed": 0, "orphaned": 1, "released": 0, "kept": 0, "citations": 0});
    let mut a = json!({"kind": "passage", "id": "p", "state": "orphaned", "old": {"start": 0, "end": 4, "page": null},
        "new": null, "score": null, "differences": [], "released_text": null, "reason": "not found", "passage": null});
    let doc = |a: &Value| json!({"format": 1, "document": "d", "from": 1, "to": 2, "anchors": [a], "counts": counts});
    assert!(reanchor.is_valid(&doc(&a)));
    a["reason"] = json!(null);
    assert!(!reanchor.is_valid(&doc(&a)), "an orphan says why");
    a["reason"] = json!("not found");
    a["state"] = json!("moved");
    assert!(!reanchor.is_valid(&doc(&a)), "a moved anchor has a new place");
    a["new"] = json!({"start": 2, "end": 6, "page": 1});
    assert!(reanchor.is_valid(&doc(&a)));
    a["state"] = json!("released");
    assert!(!reanchor.is_valid(&doc(&a)), "only a redaction is released");
    assert!(!reanchor.is_valid(&json!({"document": "d", "from": 1, "to": 2, "anchors": [], "counts": counts})));
    let evidence = validator("evidence.schema.json");
    let mut item = json!({"id": "i", "kind": "interview_302", "who": "Lark", "to": [], "date": "2018-01-30",
        "pin": "3", "signal": null, "origin": "Lark", "withdrawn": false, "text": "Lark 1/30/18 302, at 3",
        "start": 40, "end": 62});
    let doc = |item: &Value| {
        json!({"format": 1, "document": "d", "title": "t",
            "footnotes": [{"number": 1, "passage": "p", "items": [item]}]})
    };
    assert!(evidence.is_valid(&doc(&item)));
    let mut unversioned = doc(&item);
    unversioned.as_object_mut().unwrap().remove("format");
    assert!(!evidence.is_valid(&unversioned), "format is required");
    item["signal"] = json!("see_eg");
    assert!(evidence.is_valid(&doc(&item)));
    item["kind"] = json!("rumour");
    assert!(!evidence.is_valid(&doc(&item)), "kinds are the stable codes");
    item["kind"] = json!("email");
    item["date"] = json!("1/30/18");
    assert!(!evidence.is_valid(&doc(&item)), "dates are ISO 8601");
    item["date"] = json!("2018-01");
    assert!(evidence.is_valid(&doc(&item)), "a partial date is a date");
    item["to"] = json!(null);
    assert!(!evidence.is_valid(&doc(&item)), "recipients are a list, empty when none");
}

/// A small source whose footnotes cite interviews and an email, an article
/// citing it, and its trace: (report, article, trace) paths.
fn write_cited_source(dir: &Path) -> [String; 3] {
    [
        (
            "inquiry.txt",
            "The depot closed early.[^1] The manager ordered it.[^2]\n\nFootnotes\n\n[^1]: Lark 1/30/18 302, at 3.\n\
             [^2]: Lark 2/2/18 302, at 1; see 3/1/17 Email, Finch to Wren.\n",
        ),
        ("depot.txt", "The depot closed early, an inquiry found. Its manager ordered it.\n"),
        (
            "depot.trace.toml",
            "format = 1\n[article]\ntitle = \"Depot story\"\n[[source]]\nkey = \"r\"\ntitle = \"Depot inquiry\"\n\
             [[claim]]\nstatement = \"The depot closed early\"\n  [[claim.cite]]\n  source = \"r\"\n  exact = \"The depot closed early.\"\n  relation = \"supports\"\n\
             [[claim]]\nstatement = \"Its manager ordered it.\"\n  [[claim.cite]]\n  source = \"r\"\n  exact = \"The manager ordered it.\"\n  relation = \"supports\"\n",
        ),
    ]
    .map(|(name, text)| {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p.to_str().expect("utf-8").to_string()
    })
}

#[test]
fn evidence_and_the_audits_origins_validate_before_and_after_a_withdrawal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [report, article, trace] = write_cited_source(dir.path());
    let ledger = dir.path().join("depot.ledger");
    let ledger = ledger.to_str().expect("utf-8");
    let o = run(&["add-source", ledger, &report, "--title", "Depot inquiry"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["trace", ledger, "--article", &article, "--trace", &trace]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let ev = json_of(&run(&["evidence", ledger, "--document", "Depot inquiry", "--format", "json"]));
    assert_eq!(ev["format"], 1);
    assert_eq!(ev["footnotes"][1]["items"].as_array().map(Vec::len), Some(2), "{ev}");
    assert_eq!(ev["footnotes"][1]["items"][1]["date"], "2017-03-01");
    assert_valid("evidence.schema.json", &ev);
    let audit = json_of(&run(&["audit", ledger, "--format", "json"]));
    assert_eq!(audit["origins"].as_array().map(Vec::len), Some(2), "{audit}");
    assert_eq!(audit["single_origin"][0]["origin"], "Lark");
    assert_valid("audit.schema.json", &audit);

    let o = run(&["withdraw", ledger, "--origin", "Lark", "--reason", "found to have lied"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ev = json_of(&run(&["evidence", ledger, "--document", "Depot inquiry", "--footnote", "2", "--format", "json"]));
    assert_eq!(ev["footnotes"][0]["items"][0]["withdrawn"], true);
    assert_valid("evidence.schema.json", &ev);
    let audit = json_of(&run(&["audit", ledger, "--format", "json"]));
    let standing: Vec<&str> =
        audit["withdrawn"].as_array().expect("a list").iter().filter_map(|w| w["standing"].as_str()).collect();
    assert_eq!(standing, ["falls", "thins"], "{audit}");
    assert_eq!(audit["coverage"]["standing"], 0.5);
    assert_valid("audit.schema.json", &audit);
}

/// `log` and `verify` on the demo ledger, and `verify` again once a row was
/// edited behind the library's back; the log schema lists every event kind.
#[test]
fn log_and_verify_outputs_validate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = dir.path().join("desk.ledger");
    let ledger = ledger.to_str().expect("utf-8");
    assert!(run(&["demo", "--keep", ledger]).status.success());
    let log = json_of(&run(&["log", ledger, "--format", "json"]));
    assert!(log["events"].as_array().is_some_and(|e| e.len() >= 2), "{log}");
    assert_valid("log.schema.json", &log);
    let ok = json_of(&run(&["verify", ledger, "--format", "json"]));
    assert_eq!(ok["problems"], json!([]));
    assert_valid("verify.schema.json", &ok);

    let conn = rusqlite::Connection::open(ledger).expect("plain connection");
    conn.execute("UPDATE documents SET title = 'Edited' WHERE id = 1", []).expect("edit");
    drop(conn);
    let o = run(&["verify", ledger, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let bad: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(bad["problems"][0]["table"], "documents", "{bad}");
    assert_valid("verify.schema.json", &bad);

    let kinds: Vec<&str> = claimledger::EventKind::ALL.iter().map(|k| k.code()).collect();
    let schema = load("log.schema.json");
    let listed: Vec<&str> = schema["properties"]["events"]["items"]["properties"]["what"]["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .map(|v| v.as_str().expect("a code"))
        .collect();
    assert_eq!(listed, kinds, "log.schema.json lists every EventKind code, in order");
    let v = validator("log.schema.json");
    assert!(!v.is_valid(&json!({"format": 1, "events": [{"seq": 1}]})), "an event has its hashes");
}

/// `log` and `verify` of a ledger two bundle hops from the first: the imported
/// logs (the bundle's own and the one nested in it) validate.
#[test]
fn log_and_verify_of_a_second_hop_copy_validate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n).to_str().expect("utf-8").to_string();
    std::fs::write(p("a.txt"), "Dredging cost 4.2 million in 2021.\n").expect("write");
    std::fs::write(p("b.txt"), "The terminal opened two years late.\n").expect("write");
    for args in [
        vec!["add-source", &p("a.ledger"), &p("a.txt"), "--actor", "desk-a"],
        vec!["export", &p("a.ledger"), "--format", "bundle", "--output", &p("a.bundle")],
        vec!["import", &p("b.ledger"), &p("a.bundle")],
        vec!["add-source", &p("b.ledger"), &p("b.txt")],
        vec!["export", &p("b.ledger"), "--format", "bundle", "--output", &p("b.bundle")],
        vec!["import", &p("c.ledger"), &p("b.bundle")],
    ] {
        let o = run(&args.iter().map(|s| s.as_ref()).collect::<Vec<&str>>());
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let log = json_of(&run(&["log", &p("c.ledger"), "--format", "json"]));
    let depths: Vec<&Value> =
        log["imported_logs"].as_array().expect("imported logs").iter().map(|g| &g["depth"]).collect();
    assert_eq!(depths, [&json!(1), &json!(2)], "{log}");
    assert_eq!(log["imported_logs"][1]["events"][0]["actor"], "desk-a", "{log}");
    // C's import and B's (kept at depth 1) are in form 2, with what they kept.
    assert_eq!(log["events"][0]["form"], 2, "{log}");
    let kept: Vec<&Value> = log["events"][0]["kept"].as_array().expect("kept").iter().map(|k| &k["depth"]).collect();
    assert_eq!(kept, [&json!(1), &json!(2)], "{log}");
    assert_eq!(log["imported_logs"][0]["events"][0]["kept"][0]["log"], log["imported_logs"][1]["head"], "{log}");
    assert_valid("log.schema.json", &log);
    let ok = json_of(&run(&["verify", &p("c.ledger"), "--format", "json"]));
    assert_eq!((&ok["problems"], &ok["foreign_logs"], &ok["uncarried_logs"]), (&json!([]), &json!(2), &json!(0)));
    assert_valid("verify.schema.json", &ok);
    let v = validator("log.schema.json");
    assert!(
        !v.is_valid(&json!({"format": 1, "events": [], "imported_logs": [{"event": 1, "depth": 0, "events": []}]})),
        "a depth is at least 1"
    );
}

#[test]
fn reanchor_and_audit_json_validate_on_a_corrected_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [report, redactions, article, trace] = write_sample(dir.path());
    let ledger = dir.path().join("desk.ledger");
    let ledger = ledger.to_str().expect("utf-8");
    let title = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";
    assert!(run(&["add-source", ledger, &report, "--redactions", &redactions, "--title", title]).status.success());
    assert!(run(&["trace", ledger, "--article", &article, "--trace", &trace]).status.success());
    // Before any re-anchoring the audit's review lists are present and empty.
    let audit = json_of(&run(&["audit", ledger, "--format", "json"]));
    assert_eq!(audit["review"], json!([]), "{audit}");
    assert_eq!(audit["released"], json!([]), "{audit}");
    // A corrected edition: a redaction lifted, a sentence added, a paragraph cut.
    let edition = sample::REPORT.replace("[Harm to Ongoing Matter]", "payments to a consultant").replacen(
        "\n\n",
        "\n\nThis edition corrects the first.\n\n",
        1,
    );
    let mut paragraphs: Vec<&str> = edition.split("\n\n").collect();
    paragraphs.remove(paragraphs.len() / 2);
    let edition = dir.path().join("report-2.txt");
    std::fs::write(&edition, paragraphs.join("\n\n")).expect("write");
    let o = run(&["add-source", ledger, edition.to_str().unwrap(), "--revision-of", title]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = json_of(&run(&["reanchor", ledger, "--document", title, "--format", "json"]));
    let states: Vec<&str> =
        out["anchors"].as_array().expect("anchors").iter().filter_map(|a| a["state"].as_str()).collect();
    for state in ["moved", "released"] {
        assert!(states.contains(&state), "{state} in {states:?}");
    }
    assert_valid("reanchor.schema.json", &out);
    let audit = json_of(&run(&["audit", ledger, "--format", "json"]));
    assert!(audit["released"].as_array().is_some_and(|r| !r.is_empty()), "{audit}");
    assert_valid("audit.schema.json", &audit);
}

/// Writes the embedded sample's files to `dir`: (report, redactions, article, trace).
fn write_sample(dir: &Path) -> [String; 4] {
    [
        ("report.txt", sample::REPORT),
        ("report.redactions.json", sample::REPORT_REDACTIONS),
        ("article.txt", sample::ARTICLE),
        ("article.trace.toml", sample::TRACE),
    ]
    .map(|(name, text)| {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p.to_str().expect("utf-8").to_string()
    })
}

#[test]
fn every_json_output_on_the_sample_validates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [report, redactions, article, trace] = write_sample(dir.path());
    let ledger = dir.path().join("desk.ledger");
    let ledger = ledger.to_str().expect("utf-8");
    assert!(run(&["demo", "--keep", ledger]).status.success());

    let quotes = json_of(&run(&[
        "quotes",
        "--article",
        &article,
        "--source",
        &report,
        "--redactions",
        &redactions,
        "--format",
        "json",
    ]));
    assert!(quotes["quotes"].as_array().is_some_and(|q| q.len() >= 3), "{quotes}");
    assert_valid("quotes.schema.json", &quotes);

    let located = json_of(&run(&["locate", "--source", &report, "--quote", "the terminal", "--format", "json"]));
    assert_valid("quotes.schema.json", &located);
    let missing =
        json_of(&run(&["locate", "--source", &report, "--quote", "words nobody wrote anywhere", "--format", "json"]));
    assert_eq!(missing["quotes"][0]["location"], "none");
    assert_valid("quotes.schema.json", &missing);

    let audit = json_of(&run(&["audit", ledger, "--format", "json"]));
    assert!(audit["claims"].as_array().is_some_and(|c| !c.is_empty()));
    assert_valid("audit.schema.json", &audit);

    let suggestions = json_of(&run(&["suggest", ledger, "--all", "--format", "json"]));
    assert!(suggestions["statements"].as_array().is_some_and(|s| !s.is_empty()), "{suggestions}");
    assert_valid("suggest.schema.json", &suggestions);

    // Several articles: the audits come under "audits".
    let second_trace = dir.path().join("second.trace.toml");
    let title = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";
    std::fs::write(&second_trace, sample::TRACE.replace(title, "Second")).expect("write");
    assert!(run(&["trace", ledger, "--article", &article, "--trace", second_trace.to_str().unwrap()]).status.success());
    let _ = trace;
    let audits = json_of(&run(&["audit", ledger, "--format", "json"]));
    assert_eq!(audits["audits"].as_array().map(Vec::len), Some(2), "{audits}");
    assert_valid("audit.schema.json", &audits);

    // Batch records, a bad line among them.
    let lines = format!(
        "{}\nnot json\n{}\n",
        json!({"id": "one", "text": sample::ARTICLE}),
        json!({"id": 2, "text": "No quotes here."})
    );
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, lines).expect("write");
    let o = run(&["quotes", "--articles", input.to_str().unwrap(), "--source", &report, "--redactions", &redactions]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let records: Vec<Value> =
        String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(records.len(), 3);
    assert!(records[1]["error"].is_string());
    for r in &records {
        assert_valid("quotes-batch.schema.json", r);
    }
}

#[test]
fn the_corpus_outputs_validate() {
    let Some(article) = common::corpus_file(
        "schemas::the_corpus_outputs_validate",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let f = |n: &str| common::corpus_file("schemas", n).expect("corpus file").to_str().expect("utf-8").to_string();
    let (v1, r1, v2, r2) = (
        f("mueller-report-vol1.txt"),
        f("mueller-report-vol1.redactions.json"),
        f("mueller-report-vol2.txt"),
        f("mueller-report-vol2.redactions.json"),
    );
    let quotes = json_of(&run(&[
        "quotes",
        "--article",
        article.to_str().unwrap(),
        "--source",
        &v1,
        "--source",
        &v2,
        "--redactions",
        &r1,
        "--redactions",
        &r2,
        "--format",
        "json",
    ]));
    assert!(quotes["quotes"].as_array().is_some_and(|q| q.len() >= 20), "{quotes}");
    assert!(
        quotes["quotes"].as_array().is_some_and(|q| q.iter().any(|q| q["attribution"]["speaker"].is_string())),
        "some quotes of the corpus article are attributed: {quotes}"
    );
    assert_valid("quotes.schema.json", &quotes);

    // The corpus article traced (the fixture trace) and audited.
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = dir.path().join("corpus.ledger");
    let ledger = ledger.to_str().expect("utf-8");
    for (text, red, title) in [
        (&v1, &r1, "Report On The Investigation Into Russian Interference In The 2016 Presidential Election, Volume I"),
        (
            &v2,
            &r2,
            "Report On The Investigation Into Russian Interference In The 2016 Presidential Election, Volume II",
        ),
    ] {
        let o = run(&["add-source", ledger, text, "--redactions", red, "--title", title]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let trace = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tpm-trump-russia.trace.toml");
    let o = run(&["trace", ledger, "--article", article.to_str().unwrap(), "--trace", trace.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let audit = json_of(&run(&["audit", ledger, "--format", "json"]));
    assert!(audit["claims"].as_array().is_some_and(|c| c.len() >= 50), "every statement is listed");
    assert!(audit["origins"].as_array().is_some_and(|o| o.len() >= 20), "supported statements name their origins");
    assert_valid("audit.schema.json", &audit);

    // Every footnote's evidence items, both volumes.
    for (volume, at_least) in [("Volume I", 1000), ("Volume II", 1000)] {
        let title = format!(
            "Report On The Investigation Into Russian Interference In The 2016 Presidential Election, {volume}"
        );
        let ev = json_of(&run(&["evidence", ledger, "--document", &title, "--format", "json"]));
        let notes = ev["footnotes"].as_array().expect("footnotes");
        assert!(notes.len() >= at_least, "{volume}: {} footnotes", notes.len());
        assert_valid("evidence.schema.json", &ev);
    }

    // Volume II's PDF text (from its first page, 208) as revision 2, re-anchored.
    let pdf = std::fs::read_to_string(f("mueller-report-doj-pdf-text.txt")).expect("PDF text");
    let pages: Vec<&str> = pdf.split('\x0c').collect();
    let volume_two = dir.path().join("vol2-pdf.txt");
    std::fs::write(&volume_two, pages[207..].join("\x0c")).expect("write");
    let title = "Report On The Investigation Into Russian Interference In The 2016 Presidential Election, Volume II";
    let o = run(&["add-source", ledger, volume_two.to_str().unwrap(), "--revision-of", title]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = json_of(&run(&["reanchor", ledger, "--document", title, "--format", "json"]));
    let anchors = out["anchors"].as_array().expect("anchors");
    assert!(anchors.len() > 2_000, "footnotes, markers, redactions and traced passages: {}", anchors.len());
    assert_valid("reanchor.schema.json", &out);
    let audit = json_of(&run(&["audit", ledger, "--format", "json"]));
    assert_valid("audit.schema.json", &audit);
}
