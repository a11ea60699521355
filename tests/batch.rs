//! Batch checking of many articles (`claimledger::batch`, `claimledger quotes
//! --articles`): input order, streaming, bad records, empty input, and results
//! identical to checking each article alone.

mod common;

use claimledger::batch::{self, Article, Batch, Checked};
use claimledger::quotecheck::{self, PreparedSource};
use claimledger::{CharIndex, Error};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(name)
}

fn sample_sources() -> Vec<PreparedSource> {
    quotecheck::load_sources(&[sample("report.txt")], &[sample("report.redactions.json")]).unwrap()
}

/// Made-up articles quoting the sample report (and one quoting nothing in it).
fn articles() -> Vec<String> {
    let article = std::fs::read_to_string(sample("article.txt")).unwrap();
    let mut v = vec![article.clone()];
    for (k, p) in article.split("\n\n").filter(|p| p.contains('\u{201C}')).enumerate() {
        v.push(format!("Item {k}. {p}"));
    }
    v.push("A note that quotes \u{201C}words the report never used at all\u{201D}.".to_string());
    v.push("Nothing quoted here.".to_string());
    v
}

/// The JSON of one article checked alone, as `quotes --format json` prints it.
fn alone(text: &str, sources: &[PreparedSource]) -> serde_json::Value {
    let checked = quotecheck::check_article(text, sources).unwrap();
    let index = CharIndex::new(text);
    serde_json::to_value(checked.iter().map(|q| q.to_json(Some(&index), sources)).collect::<Vec<_>>()).unwrap()
}

fn as_json(c: &Checked<usize>, sources: &[PreparedSource]) -> serde_json::Value {
    let index = CharIndex::new(&c.text);
    let quotes = c.quotes.as_ref().unwrap();
    serde_json::to_value(quotes.iter().map(|q| q.to_json(Some(&index), sources)).collect::<Vec<_>>()).unwrap()
}

#[test]
fn results_come_in_input_order_and_equal_single_article_checks() {
    let sources = sample_sources();
    let texts = articles();
    assert!(texts.len() >= 4, "the sample article should give several articles");
    // Repeat them so the window turns over many times.
    let all: Vec<String> = (0..6).flat_map(|_| texts.iter().cloned()).collect();
    let mut got = Vec::new();
    let input = all.iter().enumerate().map(|(k, t)| Article { key: k, text: Ok(t.clone()) });
    batch::check_articles(&sources, input, Batch { threads: 3, window: 4, ..Batch::default() }, |c| {
        got.push((c.key, as_json(&c, &sources)));
        Ok(())
    })
    .unwrap();
    assert_eq!(got.iter().map(|(k, _)| *k).collect::<Vec<_>>(), (0..all.len()).collect::<Vec<_>>());
    for (k, json) in &got {
        assert_eq!(json, &alone(&all[*k], &sources), "article {k}");
    }
    // The first article quotes the report: the check found something.
    assert!(got[0].1.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn the_first_result_is_handed_over_before_the_last_article_is_read() {
    let sources = sample_sources();
    let texts = articles();
    let n = 30;
    let written = AtomicUsize::new(0);
    let read_last_after = AtomicUsize::new(usize::MAX);
    let input = (0..n).map(|k| {
        if k == n - 1 {
            read_last_after.store(written.load(Ordering::SeqCst), Ordering::SeqCst);
        }
        Article { key: k, text: Ok(texts[k % texts.len()].clone()) }
    });
    let mut keys = Vec::new();
    batch::check_articles(&sources, input, Batch { threads: 2, window: 3, ..Batch::default() }, |c| {
        written.fetch_add(1, Ordering::SeqCst);
        keys.push(c.key);
        Ok(())
    })
    .unwrap();
    assert_eq!(keys, (0..n).collect::<Vec<_>>());
    // With a window of 3, at most 3 articles are read and not yet written: when
    // the last is read, all but the last 3 have been written.
    assert!(read_last_after.load(Ordering::SeqCst) >= n - 1 - 3, "{}", read_last_after.load(Ordering::SeqCst));
}

#[test]
fn a_bad_article_gives_its_error_and_the_run_goes_on() {
    let sources = sample_sources();
    let texts = articles();
    let input = vec![
        Article { key: 0, text: Ok(texts[0].clone()) },
        Article { key: 1, text: Err(Error::InvalidInput { field: "line 2".into(), reason: "not JSON".into() }) },
        // A quotation over the matcher's cap (reported on the quotation).
        Article {
            key: 2,
            text: Ok(format!("It said \u{201C}{}\u{201D}.", "word ".repeat(claimledger::text::anchor::MAX_QUOTE / 4))),
        },
        Article { key: 3, text: Ok(texts[1].clone()) },
    ];
    let mut got = Vec::new();
    batch::check_articles(&sources, input, Batch { threads: 2, window: 2, ..Batch::default() }, |c| {
        got.push(c);
        Ok(())
    })
    .unwrap();
    assert_eq!(got.len(), 4);
    assert_eq!(as_json(&got[0], &sources), alone(&texts[0], &sources));
    assert!(matches!(&got[1].quotes, Err(e) if e.is_invalid_input()), "{:?}", got[1].quotes);
    // An oversized quotation is reported on that quotation, not on the article.
    match &got[2].quotes {
        Ok(q) => {
            assert_eq!(q.len(), 1);
            assert_eq!(q[0].finding.status, claimledger::QuoteStatus::TooLarge);
        }
        Err(e) => panic!("{e}"),
    }
    assert_eq!(as_json(&got[3], &sources), alone(&texts[1], &sources));
}

#[test]
fn no_articles_no_results() {
    let sources = sample_sources();
    let mut calls = 0;
    batch::check_articles(&sources, Vec::<Article<usize>>::new(), Batch::default(), |_| {
        calls += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(calls, 0);
}

#[test]
fn a_sink_error_stops_the_run() {
    let sources = sample_sources();
    let texts = articles();
    let input = (0..10).map(|k| Article { key: k, text: Ok(texts[k % texts.len()].clone()) });
    let mut seen = 0;
    let r = batch::check_articles(&sources, input, Batch { threads: 2, window: 2, ..Batch::default() }, |_| {
        seen += 1;
        if seen == 3 { Err(Error::InvalidInput { field: "output".into(), reason: "closed".into() }) } else { Ok(()) }
    });
    assert!(matches!(r, Err(e) if e.is_invalid_input()));
    assert_eq!(seen, 3);
}

// ------------------------------------------------------------ the command line

fn run(args: &[&std::ffi::OsStr], stdin: &[u8]) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses its arguments exits before it reads its input:
    // the pipe closed under the write is that, not a failure of the test.
    match child.stdin.take().unwrap().write_all(stdin) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.unwrap(),
    }
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn single(article: &Path, sources: &[&Path], redactions: &[&Path]) -> serde_json::Value {
    let mut args: Vec<&std::ffi::OsStr> = vec!["quotes".as_ref(), "--article".as_ref(), article.as_os_str()];
    for s in sources {
        args.extend(["--source".as_ref(), s.as_os_str()]);
    }
    for r in redactions {
        args.extend(["--redactions".as_ref(), r.as_os_str()]);
    }
    args.extend(["--format", "json"].map(std::ffi::OsStr::new));
    let (ok, out, err) = run(&args, b"");
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["quotes"].clone()
}

fn batch_cli(input: &[u8], sources: &[&Path], redactions: &[&Path]) -> Vec<serde_json::Value> {
    let mut args: Vec<&std::ffi::OsStr> = vec!["quotes".as_ref(), "--articles".as_ref(), "-".as_ref()];
    for s in sources {
        args.extend(["--source".as_ref(), s.as_os_str()]);
    }
    for r in redactions {
        args.extend(["--redactions".as_ref(), r.as_os_str()]);
    }
    let (ok, out, err) = run(&args, input);
    assert!(ok, "{err}");
    assert!(err.is_empty(), "no progress bar off a terminal: {err:?}");
    out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn cli_batch_equals_single_article_quotes_on_the_sample() {
    let article = sample("article.txt");
    let (report, reds) = (sample("report.txt"), sample("report.redactions.json"));
    let expected = single(&article, &[&report], &[&reds]);
    let text = std::fs::read_to_string(&article).unwrap();
    let line = serde_json::json!({"id": "sample", "text": text}).to_string();
    let input = format!("{line}\n{}\n{line}\n", serde_json::json!({"id": 7, "text": "Nothing quoted."}));
    let got = batch_cli(input.as_bytes(), &[&report], &[&reds]);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["id"], "sample");
    assert_eq!(got[0]["quotes"], expected);
    assert!(expected.as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(got[1], serde_json::json!({"format": 1, "id": 7, "quotes": [], "warnings": []}));
    assert_eq!(got[2]["quotes"], expected);
}

#[test]
fn cli_batch_equals_single_article_quotes_on_the_corpus() {
    let Some(article) = common::corpus_file(
        "cli_batch_equals_single_article_quotes_on_the_corpus",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let f = |n: &str| common::corpus_file("cli_batch", n).unwrap();
    let (v1, v2, r1, r2) = (
        f("mueller-report-vol1.txt"),
        f("mueller-report-vol2.txt"),
        f("mueller-report-vol1.redactions.json"),
        f("mueller-report-vol2.redactions.json"),
    );
    let expected = single(&article, &[&v1, &v2], &[&r1, &r2]);
    assert!(expected.as_array().is_some_and(|a| a.len() > 10));
    let text = std::fs::read_to_string(&article).unwrap();
    let mut input = String::new();
    for k in 0..5 {
        input.push_str(&serde_json::json!({"id": format!("tpm-{k}"), "text": text}).to_string());
        input.push('\n');
    }
    let got = batch_cli(input.as_bytes(), &[&v1, &v2], &[&r1, &r2]);
    assert_eq!(got.len(), 5);
    for (k, g) in got.iter().enumerate() {
        assert_eq!(g["id"], format!("tpm-{k}"));
        assert_eq!(g["quotes"], expected, "article {k}");
    }
}

/// A pipeline's articles quote the same passages with other sentences around
/// them: a batch keeps what depends only on a quote's words (its search, its
/// places read for ranking, their verification) and decides each article
/// with its own sentences. Each result must equal the article checked alone.
#[test]
fn a_batch_of_articles_quoting_the_same_passages_equals_each_article_alone_on_the_corpus() {
    let test = "a_batch_of_articles_quoting_the_same_passages_equals_each_article_alone_on_the_corpus";
    let Some(article) = common::corpus_file(test, "tpm-trump-and-russia-worked-towards-the-same-goal.txt") else {
        return;
    };
    let f = |n: &str| common::corpus_file(test, n).unwrap();
    let sources = quotecheck::load_sources(
        &[f("mueller-report-vol1.txt"), f("mueller-report-vol2.txt")],
        &[f("mueller-report-vol1.redactions.json"), f("mueller-report-vol2.redactions.json")],
    )
    .unwrap();
    let text = std::fs::read_to_string(&article).unwrap();
    let paragraphs: Vec<&str> = text.split("\n\n").filter(|p| p.contains('\u{201C}')).collect();
    assert!(paragraphs.len() >= 8, "the corpus article should have quoting paragraphs");
    // Paragraphs alone (other sentences around the same quotes, no
    // neighbours), last first, then the whole article, then two again.
    let mut all: Vec<String> = paragraphs.iter().rev().take(8).map(|p| p.to_string()).collect();
    all.push(text.clone());
    all.extend(paragraphs.iter().take(2).map(|p| format!("A reader wrote: {p}")));
    let mut got = Vec::new();
    let input = all.iter().enumerate().map(|(k, t)| Article { key: k, text: Ok(t.clone()) });
    batch::check_articles(&sources, input, Batch { threads: 2, window: 3, ..Batch::default() }, |c| {
        got.push((c.key, as_json(&c, &sources)));
        Ok(())
    })
    .unwrap();
    assert_eq!(got.len(), all.len());
    let mut placed = 0;
    for (k, json) in &got {
        assert_eq!(json, &alone(&all[*k], &sources), "article {k}");
        placed += json.as_array().map_or(0, |a| a.iter().filter(|q| q["location"] == "unique").count());
    }
    assert!(placed > 20, "the articles' quotes are placed in the report ({placed})");
}

#[test]
fn cli_bad_lines_give_error_records_in_place() {
    let (report, reds) = (sample("report.txt"), sample("report.redactions.json"));
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": \"a\", \"text\": \"It said \\u201Cnothing\\u201D.\"}\n");
    input.extend_from_slice(b"this is not JSON\n");
    input.extend_from_slice(b"{\"id\": \"no-text\"}\n");
    input.extend_from_slice(b"{\"id\": \"number\", \"text\": 5}\n");
    input.extend_from_slice(b"{\"id\": \"latin1\", \"text\": \"caf\xe9\"}\n");
    input.extend_from_slice(b"[1, 2]\n");
    input.extend_from_slice(b"{\"id\": \"z\", \"text\": \"Nothing quoted.\"}");
    let got = batch_cli(&input, &[&report], &[&reds]);
    assert_eq!(got.len(), 7, "{got:?}");
    assert_eq!(got[0]["id"], "a");
    assert!(got[0]["quotes"].is_array());
    for (k, g) in got.iter().enumerate().take(6).skip(1) {
        assert!(g["error"].as_str().is_some_and(|e| !e.is_empty()), "line {}: {g}", k + 1);
        assert_eq!(g["line"], k + 1, "{g}");
        assert!(g.get("quotes").is_none());
    }
    assert_eq!(got[2]["id"], "no-text");
    assert_eq!(got[3]["id"], "number");
    assert!(got[4]["error"].as_str().is_some_and(|e| e.contains("UTF-8")), "{}", got[4]);
    assert_eq!(got[6], serde_json::json!({"format": 1, "id": "z", "quotes": [], "warnings": []}));
}

#[test]
fn cli_empty_input_writes_nothing() {
    let (report, reds) = (sample("report.txt"), sample("report.redactions.json"));
    assert!(batch_cli(b"", &[&report], &[&reds]).is_empty());
    // Blank lines carry no record.
    assert!(batch_cli(b"\n\n", &[&report], &[&reds]).is_empty());
    // From a file too.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.jsonl");
    std::fs::write(&file, b"").unwrap();
    let (ok, out, err) = run(
        &["quotes".as_ref(), "--articles".as_ref(), file.as_os_str(), "--source".as_ref(), report.as_os_str()],
        b"",
    );
    assert!(ok, "{err}");
    assert!(out.is_empty());
}

#[test]
fn cli_needs_one_of_article_or_articles() {
    let report = sample("report.txt");
    let (ok, _, err) = run(&["quotes".as_ref(), "--source".as_ref(), report.as_os_str()], b"");
    assert!(!ok);
    assert!(err.contains("--article"), "{err}");
    let article = sample("article.txt");
    let (ok, _, _) = run(
        &[
            "quotes".as_ref(),
            "--article".as_ref(),
            article.as_os_str(),
            "--articles".as_ref(),
            "-".as_ref(),
            "--source".as_ref(),
            report.as_os_str(),
        ],
        b"",
    );
    assert!(!ok);
}

// ------------------------------------------------------------ the index budget

/// Articles quoting the corpus volumes: sentences cut out of them at fixed
/// places (none copied into the repository), some quoted as written, some
/// with a letter dropped (the fuzzy tier), so each source's view index and,
/// past `TEXT_INDEX_AFTER` exact searches, its text index are built.
fn corpus_articles(volumes: &[String]) -> Vec<String> {
    let mut quotes = Vec::new();
    for text in volumes {
        let sentences: Vec<&str> = text
            .split(". ")
            .map(str::trim)
            .filter(|s| (60..200).contains(&s.len()) && !s.contains(['[', ']', '"', '\u{201C}', '\u{201D}', '\n']))
            .collect();
        let stride = (sentences.len() / 100).max(1);
        for (k, s) in sentences.iter().step_by(stride).take(100).enumerate() {
            let mut q = s.to_string();
            if k % 3 == 0 {
                // Drop one ASCII letter in the middle.
                if let Some((i, _)) = q.char_indices().skip(q.len() / 2).find(|(_, c)| c.is_ascii_alphabetic()) {
                    q.remove(i);
                }
            }
            quotes.push(q);
        }
    }
    quotes
        .chunks(12)
        .enumerate()
        .map(|(a, qs)| {
            let body: Vec<String> =
                qs.iter().enumerate().map(|(k, q)| format!("Reader {a}.{k} noted that \u{201C}{q}\u{201D}.")).collect();
            body.join("\n\n")
        })
        .collect()
}

fn records_with(sources: &[PreparedSource], input: &str, index_memory: usize) -> (String, Vec<batch::SourceMemory>) {
    let mut out = Vec::new();
    let b = Batch { threads: 2, window: 4, index_memory };
    let (n, memory) = batch::quotes_jsonl_memory(input.as_bytes(), &mut out, sources, b, |_| {}).unwrap();
    assert_eq!(n, input.lines().count());
    (String::from_utf8(out).unwrap(), memory)
}

/// The index budget changes what a batch holds, never what it writes: no
/// index at all, budgets that let some of the indexes be built, and all of
/// them give byte-identical records; every budget is kept, as the memory
/// report counts it.
#[test]
fn an_index_budget_keeps_the_records_and_bounds_the_indexes_on_the_corpus() {
    let test = "an_index_budget_keeps_the_records_and_bounds_the_indexes_on_the_corpus";
    let Some(v1) = common::corpus_file(test, "mueller-report-vol1.txt") else {
        return;
    };
    let f = |n: &str| common::corpus_file(test, n).unwrap();
    let paths = [v1, f("mueller-report-vol2.txt")];
    let sources = quotecheck::load_sources(
        &paths,
        &[f("mueller-report-vol1.redactions.json"), f("mueller-report-vol2.redactions.json")],
    )
    .unwrap();
    let volumes: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let mut input = String::new();
    for (k, text) in corpus_articles(&volumes).into_iter().enumerate() {
        input.push_str(&serde_json::json!({"id": k, "text": text}).to_string());
        input.push('\n');
    }
    let (expected, all) = records_with(&sources, &input, usize::MAX);
    assert!(expected.contains("\"fuzzy\""), "some quotes are found by the fuzzy tier");
    // Every index was built: both views' and both texts'.
    assert!(all.iter().all(|m| m.view_index > 0 && m.text_index > 0), "{all:?}");
    let total: usize = all.iter().map(batch::SourceMemory::indexes).sum();
    assert_eq!(records_with(&sources, &input, batch::DEFAULT_INDEX_MEMORY), (expected.clone(), all.clone()));
    // A source takes the most its index can hold before building it and
    // gives back the rest: budgets around what they hold build some of them.
    for budget in [0, all[0].view_index - 1, all[0].view_index + all[1].view_index, total - 1, total, 2 * total] {
        let (got, memory) = records_with(&sources, &input, budget);
        assert!(got == expected, "budget {budget}: the records differ");
        let used: usize = memory.iter().map(batch::SourceMemory::indexes).sum();
        assert!(used <= budget, "budget {budget}: {used} bytes of indexes");
        for (m, a) in memory.iter().zip(&all) {
            // The rest of what a source holds does not depend on the budget.
            assert_eq!((m.text, m.view, m.offset_map, m.notes), (a.text, a.view, a.offset_map, a.notes));
            assert!(m.view_index == 0 || m.view_index == a.view_index);
            assert!(m.text_index == 0 || m.text_index == a.text_index);
        }
        if budget == 0 {
            assert_eq!(used, 0);
        }
        if budget == 2 * total {
            assert_eq!(used, total, "a budget twice what they hold builds them all");
        }
    }
}

#[test]
fn cli_index_memory_none_writes_the_same_records_and_reports_no_index() {
    let (report, reds) = (sample("report.txt"), sample("report.redactions.json"));
    let text = std::fs::read_to_string(sample("article.txt")).unwrap();
    let input = format!("{}\n", serde_json::json!({"id": "sample", "text": text}));
    let args = |extra: &[&str]| {
        let mut v: Vec<std::ffi::OsString> = vec!["quotes".into(), "--articles".into(), "-".into()];
        v.extend(["--source".into(), report.clone().into_os_string()]);
        v.extend(["--redactions".into(), reds.clone().into_os_string()]);
        v.extend(extra.iter().map(std::ffi::OsString::from));
        v
    };
    let call = |extra: &[&str]| {
        let a = args(extra);
        let refs: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
        run(&refs, input.as_bytes())
    };
    let (ok, default_out, err) = call(&["--memory-report"]);
    assert!(ok, "{err}");
    let row = |err: &str| -> Vec<String> {
        err.lines().find(|l| l.contains("report.txt")).unwrap_or("").split_whitespace().map(String::from).collect()
    };
    let built = row(&err);
    assert_eq!(built.len(), 9, "{err}");
    assert_eq!(built[1], report.metadata().unwrap().len().to_string(), "the text's bytes: {err}");
    for (flag, none) in [("none", true), ("0", true), ("64K", false), ("1G", false)] {
        let (ok, out, err) = call(&["--index-memory", flag, "--memory-report"]);
        assert!(ok, "{err}");
        assert_eq!(out, default_out, "--index-memory {flag}");
        let got = row(&err);
        assert_eq!(got.len(), 9, "{err}");
        // Columns: name, text, view, offset map, notes, view index, text index, other, ratio.
        assert_eq!(got[5] == "0", none, "--index-memory {flag}: {err}");
        assert_eq!(got[2], built[2], "{err}");
    }
    assert!(built[5] != "0", "the default budget builds the view's index: {err}");
    // Without the report, nothing on standard error.
    let (ok, out, err) = call(&["--index-memory", "none"]);
    assert!(ok && err.is_empty(), "{err}");
    assert_eq!(out, default_out);
    for bad in ["12X", "1.5M", "lots", ""] {
        let (ok, _, err) = call(&["--index-memory", bad]);
        assert!(!ok && err.contains("--index-memory"), "{bad:?}: {err}");
    }
    // Only for a batch.
    let (ok, _, err) = run(
        &[
            "quotes".as_ref(),
            "--article".as_ref(),
            sample("article.txt").as_os_str(),
            "--source".as_ref(),
            report.as_os_str(),
            "--index-memory".as_ref(),
            "none".as_ref(),
        ],
        b"",
    );
    assert!(!ok && err.contains("--articles"), "{err}");
}
