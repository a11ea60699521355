//! The command line: the README's main command, the stateless `quotes` and
//! `locate`, the ledger commands, and how errors are reported.

use claimledger::cli::sample;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes the embedded sample to `dir` and returns the paths (report, redactions, article, trace).
fn write_sample(dir: &Path) -> [String; 4] {
    let files = [
        ("report.txt", sample::REPORT),
        ("report.redactions.json", sample::REPORT_REDACTIONS),
        ("article.txt", sample::ARTICLE),
        ("article.trace.toml", sample::TRACE),
    ];
    files.map(|(name, text)| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    })
}

#[test]
fn demo_prints_a_readable_audit_of_the_sample() {
    let o = run(&["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for expected in [
        "Statements               17",
        "uncited                 1",
        "Altered quote",
        "\"found\" (source: \"identified\")",
        "Harm to Ongoing Matter [hom]",
        "policy (complete) fails",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn the_ledger_pipeline_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let [report, redactions, article, trace] = write_sample(dir.path());
    let ledger = dir.path().join("desk.ledger");
    let ledger = ledger.to_str().unwrap();
    let title = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";

    let o = run(&["init", ledger]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["add-source", ledger, &report, "--redactions", &redactions, "--title", title]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 redactions, 4 footnotes"), "{}", stdout(&o));
    // Adding it again adds nothing.
    let o = run(&["add-source", ledger, &report, "--redactions", &redactions, "--title", title]);
    assert!(stdout(&o).contains("already present"), "{}", stdout(&o));

    let o = run(&["trace", ledger, "--article", &article, "--trace", &trace]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("17 statements, 2 exempt"), "{}", stdout(&o));

    // The sample is incomplete on purpose: --require-complete exits 1 and says why.
    let o = run(&["audit", ledger, "--require-complete"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("uncited") && stderr(&o).contains("altered quote"), "{}", stderr(&o));
    let o = run(&[
        "audit",
        ledger,
        "--format",
        "json",
        "--document",
        "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["statements"]["uncited"], 1);
    assert_eq!(json["quotations"]["altered"][0]["differences"][0]["source"], "identified");
    // Without --require-complete, findings are not failures.
    assert!(run(&["audit", ledger]).status.success());
}

#[test]
fn quotes_and_locate_print_the_documented_json() {
    let dir = tempfile::tempdir().unwrap();
    let [report, redactions, article, _] = write_sample(dir.path());
    let o =
        run(&["quotes", "--article", &article, "--source", &report, "--redactions", &redactions, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let quotes = json["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 3);
    for q in quotes {
        for field in [
            "article_start",
            "article_end",
            "text",
            "status",
            "source",
            "start",
            "end",
            "page",
            "score",
            "candidates",
            "differences",
            "edits",
            "redactions",
        ] {
            assert!(q.get(field).is_some(), "field {field} in {q}");
        }
        // Offsets are code points: the article text between them is the quote.
        let (s, e) = (q["article_start"].as_u64().unwrap() as usize, q["article_end"].as_u64().unwrap() as usize);
        let text: String = sample::ARTICLE.chars().skip(s).take(e - s).collect();
        assert_eq!(text, q["text"].as_str().unwrap());
        // The report has page breaks, so pages are numbers.
        assert!(q["page"].as_u64().is_some());
        assert_eq!(q["source"], report.as_str());
    }
    let statuses: Vec<&str> = quotes.iter().map(|q| q["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["altered", "verbatim", "normalized"]);

    let o = run(&["locate", "--source", &report, "--quote", "identified three weaknesses", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let q = &json["quotes"][0];
    assert_eq!(q["status"], "verbatim");
    assert_eq!(q["article_start"], serde_json::Value::Null);
    let (s, e) = (q["start"].as_u64().unwrap() as usize, q["end"].as_u64().unwrap() as usize);
    let text: String = sample::REPORT.chars().skip(s).take(e - s).collect();
    assert_eq!(text, "identified three weaknesses");

    // Not found: nulls, not a guess.
    let o = run(&[
        "locate",
        "--source",
        &report,
        "--quote",
        "a sentence nobody ever wrote in any report",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["quotes"][0]["status"], "not_found");
    assert_eq!(json["quotes"][0]["start"], serde_json::Value::Null);
    assert_eq!(json["quotes"][0]["page"], serde_json::Value::Null);

    // The text table.
    let o = run(&["quotes", "--article", &article, "--source", &report]);
    assert!(
        stdout(&o).contains("altered") && stdout(&o).contains("quoted \"found\", source \"identified\""),
        "{}",
        stdout(&o)
    );
}

#[test]
fn redaction_files_pair_with_sources_by_name_then_position() {
    let dir = tempfile::tempdir().unwrap();
    let [report, redactions, article, _] = write_sample(dir.path());
    // A second source with no redaction file, given first: the redaction file still
    // belongs to report.txt, which its `text` field names.
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "An unrelated memo about budgets.").unwrap();
    let o = run(&[
        "quotes",
        "--article",
        &article,
        "--source",
        other.to_str().unwrap(),
        "--source",
        &report,
        "--redactions",
        &redactions,
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A redaction file naming no source, in a position with no source: an error.
    let stray = dir.path().join("stray.json");
    std::fs::write(&stray, r#"{"text": "nowhere.txt", "redactions": []}"#).unwrap();
    let o = run(&[
        "quotes",
        "--article",
        &article,
        "--source",
        &report,
        "--redactions",
        &redactions,
        "--redactions",
        stray.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("stray.json"), "{}", stderr(&o));
}

#[test]
fn errors_are_one_line_with_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let o = run(&["locate", "--source", missing.to_str().unwrap(), "--quote", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("claimledger: error:") && err.contains("missing.txt"), "{err}");

    // A file that is not a ledger is refused and left alone.
    let junk = dir.path().join("junk.ledger");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let o = run(&["audit", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a claimledger ledger"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&junk).unwrap(), vec![7u8; 4096]);

    // Usage errors come from the parser, with a non-zero exit.
    let o = run(&["trace"]);
    assert!(!o.status.success());
    let o = run(&["--help"]);
    assert!(o.status.success());
    for cmd in ["init", "add-source", "trace", "audit", "quotes", "locate", "demo"] {
        assert!(stdout(&o).contains(cmd), "--help lists {cmd}");
    }
}

/// A reader that stops early (`claimledger quotes ... | head`) closes standard
/// output: the command stops quietly with success instead of panicking in a print.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let [report, _, _, _] = write_sample(dir.path());
    let article = dir.path().join("many-quotes.txt");
    std::fs::write(&article, "The office “identified three weaknesses” in its controls.\n\n".repeat(300)).unwrap();
    let article = article.to_str().unwrap();
    for format in ["json", "text"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimledger"))
            .args(["quotes", "--article", article, "--source", &report, "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before the command has written anything.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{format}: {:?} {}", o.status, stderr(&o));
        assert!(stderr(&o).is_empty(), "{format}: {}", stderr(&o));
    }
}

#[test]
fn evidence_and_withdraw_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("inquiry.txt");
    std::fs::write(
        &report,
        "The depot closed.[^1]\n\nFootnotes\n\n[^1]: Lark 1/30/18 302, at 3; see 3/1/17 Email, Finch to Wren.\n",
    )
    .unwrap();
    let ledger = dir.path().join("desk.ledger");
    let ledger = ledger.to_str().unwrap();
    // Withdrawing needs an existing ledger: none is created.
    let o = run(&["withdraw", ledger, "--origin", "Lark", "--reason", "lied"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!Path::new(ledger).exists());
    let o = run(&["add-source", ledger, report.to_str().unwrap(), "--title", "Depot inquiry"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = run(&["evidence", ledger, "--document", "Depot inquiry", "--footnote", "1", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = &json["footnotes"][0]["items"];
    assert_eq!(json["footnotes"][0]["number"], 1);
    assert_eq!(items[0]["kind"], "interview_302");
    assert_eq!(items[0]["who"], "Lark");
    assert_eq!(items[0]["date"], "2018-01-30");
    assert_eq!(items[0]["pin"], "3");
    assert_eq!(items[1]["kind"], "email");
    assert_eq!(items[1]["to"][0], "Wren");
    assert_eq!(items[1]["signal"], "see");
    // Offsets are code points of the revision.
    let text: Vec<char> = std::fs::read_to_string(&report).unwrap().chars().collect();
    let (s, e) = (items[0]["start"].as_u64().unwrap() as usize, items[0]["end"].as_u64().unwrap() as usize);
    assert_eq!(text[s..e].iter().collect::<String>(), "Lark 1/30/18 302, at 3");

    let o = run(&["withdraw", ledger, "--origin", "Lark", "--reason", "found to have lied"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("origin \"Lark\""), "{}", stdout(&o));
    let withdrawal = stdout(&o).trim().rsplit(' ').next().unwrap().to_string();
    let o = run(&["evidence", ledger, "--document", "Depot inquiry"]);
    assert!(stdout(&o).contains("interview_302 | Lark | 2018-01-30 | at 3 | WITHDRAWN"), "{}", stdout(&o));
    // An origin no item has, or two targets at once, is refused.
    let o = run(&["withdraw", ledger, "--origin", "Nobody", "--reason", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("origin not found"), "{}", stderr(&o));
    let o = run(&["withdraw", ledger, "--origin", "Lark", "--document", "Depot inquiry", "--reason", "x"]);
    assert_eq!(o.status.code(), Some(2));

    // Undone by a later record: the items are no longer withdrawn.
    let o = run(&["withdraw", ledger, "--undo", &withdrawal, "--reason", "the finding was reversed"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let undo = stdout(&o).trim().rsplit(' ').next().unwrap().to_string();
    assert!(stdout(&o).contains(&format!("undo of withdrawal {withdrawal}")), "{}", stdout(&o));
    let o = run(&["evidence", ledger, "--document", "Depot inquiry", "--footnote", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("interview_302 | Lark") && !stdout(&o).contains("WITHDRAWN"), "{}", stdout(&o));
    // An undo cannot itself be undone (withdraw again instead), nor a withdrawal twice.
    let o = run(&["withdraw", ledger, "--undo", &undo, "--reason", "y"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = run(&["withdraw", ledger, "--undo", &withdrawal, "--reason", "y"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// `add-source --author` records the document's authors (the audit reads them
/// to tell a quote of the source's author from a quote of someone else).
#[test]
fn add_source_records_its_authors() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("a.ledger");
    let report = dir.path().join("pier.txt");
    std::fs::write(&report, "The pier was closed in May.").unwrap();
    let (l, r) = (ledger.to_str().unwrap(), report.to_str().unwrap());
    let o =
        run(&["add-source", l, r, "--title", "Pier review", "--author", "Ada Lindqvist", "--author", "Harbor Board"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = claimledger::Ledger::open(&ledger).unwrap().documents().unwrap();
    assert_eq!(docs[0].creators, ["Ada Lindqvist", "Harbor Board"]);
}

#[test]
fn json_output_is_the_same_from_run_to_run() {
    // Each run is a new process with new hash-map seeds: a float summed or a
    // list ordered in hash-map order would show here as a difference in the
    // last digits or the order.
    let dir = tempfile::tempdir().unwrap();
    let [report, redactions, article, trace] = write_sample(dir.path());
    let ledger = dir.path().join("desk.ledger");
    let ledger = ledger.to_str().unwrap();
    let title = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";
    let o = run(&["add-source", ledger, &report, "--redactions", &redactions, "--title", title]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["trace", ledger, "--article", &article, "--trace", &trace]);
    assert!(o.status.success(), "{}", stderr(&o));
    let commands: [&[&str]; 7] = [
        &["audit", ledger, "--format", "json"],
        &["suggest", ledger, "--all", "--format", "json"],
        &["quotes", "--article", &article, "--source", &report, "--redactions", &redactions, "--format", "json"],
        &["evidence", ledger, "--document", title, "--format", "json"],
        &["export", ledger, "--format", "w3c"],
        &["export", ledger, "--format", "fever"],
        &["draft", ledger, "--article", &article],
    ];
    for args in commands {
        let first = run(args);
        assert!(first.status.success(), "{args:?}: {}", stderr(&first));
        assert!(!first.stdout.is_empty(), "{args:?} printed nothing");
        for _ in 0..3 {
            let again = run(args);
            assert_eq!(stdout(&again), stdout(&first), "{args:?} differs from run to run");
        }
    }
    // The runs compared hold scores (floats), not only integers.
    let suggest = stdout(&run(&["suggest", ledger, "--all", "--format", "json"]));
    assert!(suggest.contains("\"score\": 0."), "{suggest}");
}
