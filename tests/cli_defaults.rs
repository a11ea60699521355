//! The command line's defaults: the only article is taken when `--document` is
//! left out (several are listed, never guessed), and `import` tells a file's
//! format from its content when `--format` is left out.

use claimledger::cli::sample;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SAMPLE_TITLE: &str = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";

/// A ledger holding the embedded sample (one article), at `dir/desk.ledger`.
fn sample_ledger(dir: &Path) -> String {
    let ledger = dir.join("desk.ledger").to_str().expect("utf-8 path").to_string();
    let o = run(&["demo", "--keep", &ledger]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    ledger
}

#[test]
fn report_takes_the_only_article_and_lists_several() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = sample_ledger(dir.path());

    let o = run(&["report", &ledger]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = text(&o.stdout);
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..html.len().min(80)]);
    assert!(html.contains("Ferry Terminal Managers Brushed Aside Cost Warnings"));

    // A second article: the same text traced under another title.
    let article = dir.path().join("second.txt");
    std::fs::write(&article, sample::ARTICLE).expect("write");
    let trace = dir.path().join("second.trace.toml");
    assert!(sample::TRACE.contains(SAMPLE_TITLE), "the sample trace names its article");
    std::fs::write(&trace, sample::TRACE.replace(SAMPLE_TITLE, "A Second Article")).expect("write");
    let o = run(&["trace", &ledger, "--article", article.to_str().unwrap(), "--trace", trace.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let o = run(&["report", &ledger]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "no page is written when the article is not decided");
    let err = text(&o.stderr);
    assert!(err.contains("2 articles"), "{err}");
    assert!(err.contains(SAMPLE_TITLE) && err.contains("A Second Article"), "both are listed: {err}");

    // Named, either one works.
    let o = run(&["report", &ledger, "--document", "A Second Article"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("A Second Article"));
}

#[test]
fn report_on_a_ledger_without_articles_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = dir.path().join("empty.ledger");
    let ledger = ledger.to_str().unwrap();
    assert!(run(&["init", ledger]).status.success());
    let o = run(&["report", ledger]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no article"), "{}", text(&o.stderr));
}

#[test]
fn import_tells_bundle_csl_and_claimreview_from_their_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = sample_ledger(dir.path());

    // A bundle: the whole sample, into an empty ledger, without --format.
    let bundle = dir.path().join("all.jsonl");
    let o = run(&["export", &ledger, "--format", "bundle", "-o", bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let copy = dir.path().join("copy.ledger");
    let o = run(&["import", copy.to_str().unwrap(), bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("read as bundle"), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("new records"), "{}", text(&o.stdout));
    // What came in is the same ledger: its own bundle export holds the same
    // records, byte for byte (its log is its own: it says it imported them;
    // the original's log follows as an imported log).
    let again = dir.path().join("again.jsonl");
    assert!(
        run(&["export", copy.to_str().unwrap(), "--format", "bundle", "-o", again.to_str().unwrap()]).status.success()
    );
    let records = |p: &std::path::Path| -> Vec<String> {
        let t = std::fs::read_to_string(p).unwrap();
        let mut lines: Vec<String> = t
            .lines()
            .filter(|l| !l.starts_with("{\"type\":\"event\"") && !l.starts_with("{\"type\":\"foreign_event\""))
            .map(str::to_string)
            .collect();
        let mut header: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
        header["counts"].as_object_mut().unwrap().remove("events");
        header["counts"].as_object_mut().unwrap().remove("foreign_events");
        lines[0] = header.to_string();
        lines
    };
    assert_eq!(records(&bundle), records(&again));
    assert!(std::fs::read_to_string(&again).unwrap().contains("\"what\":\"bundle_import\""));

    // CSL-JSON items.
    let csl = dir.path().join("items.json");
    assert!(run(&["export", &ledger, "--format", "csl", "-o", csl.to_str().unwrap()]).status.success());
    let fresh = dir.path().join("csl.ledger");
    let o = run(&["import", fresh.to_str().unwrap(), csl.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("read as csl"), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("documents created"), "{}", text(&o.stdout));

    // ClaimReview JSON-LD, written here by hand.
    let review = dir.path().join("review.json");
    std::fs::write(
        &review,
        r#"{"@context": "https://schema.org", "@type": "ClaimReview",
            "url": "https://example.org/checks/1",
            "claimReviewed": "The terminal opened on time.",
            "itemReviewed": {"@type": "Claim", "appearance": {"@type": "CreativeWork", "url": "https://example.org/news/1", "headline": "Terminal news"}},
            "author": {"@type": "Organization", "name": "Example Checks"},
            "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 1, "worstRating": 1, "bestRating": 5}}"#,
    )
    .expect("write");
    let cr = dir.path().join("cr.ledger");
    let o = run(&["import", cr.to_str().unwrap(), review.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("read as claimreview"), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("imported 1 reviews"), "{}", text(&o.stdout));
}

#[test]
fn import_refuses_content_it_cannot_tell_and_creates_no_ledger() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = dir.path().join("none.ledger");
    for (name, content) in
        [("plain.txt", "just some words\n"), ("empty.json", "[]"), ("notype.json", r#"[{"title": "T"}]"#)]
    {
        let file = dir.path().join(name);
        std::fs::write(&file, content).expect("write");
        let o = run(&["import", ledger.to_str().unwrap(), file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = text(&o.stderr);
        assert!(err.contains("--format") && err.contains(name), "{name}: {err}");
        assert!(!ledger.exists(), "{name}: a refused import created {}", ledger.display());
    }
}

#[test]
fn every_command_help_has_an_example() {
    let o = run(&["--help"]);
    let help = text(&o.stdout);
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{help}");
    for c in commands {
        let o = run(&[c, "--help"]);
        let h = text(&o.stdout);
        assert!(h.contains("Example:\n  claimledger "), "`{c} --help` has no example:\n{h}");
    }
}
