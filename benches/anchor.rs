//! Anchoring on a ~100 MB text, beside the limits measured in the same run:
//!
//! - `exact`: a quote found byte for byte (`anchor_in`, prepared source) vs
//!   `memchr::memmem` counting the same quote over the same text;
//! - `normalize_pass`: `Normalized::new` alone (the normalization pass, the limit
//!   of the normalized tier), and `prepare_source` (`SourceText::new`);
//! - `normalized_cold`: prepare the source and anchor a quote that differs in
//!   typography and case (one normalization pass plus two searches);
//!   `normalized_warm`: the same quote in an already prepared source;
//! - `myers_k10`: the fuzzy matcher alone (`myers::find_approx`), a 100-byte
//!   pattern with 4 typos, up to 10 edits, over the raw text: the input the Node
//!   peer (`benches/peers/`, Hypothesis's `approx-string-match`) gets;
//!   `fuzzy_warm`: a misquote anchored through all three tiers;
//! - `quotes_corpus`: the `quotes` command's work on the corpus article against
//!   both volumes with their redaction files, from the files (load, prepare,
//!   check).
//!
//! The text is the corpus's two clean volumes repeated (CLAIMLEDGER_CORPUS), or,
//! when the variable is not set, a generated English-like text (the output says
//! which); a made-up sentence near the end is what the quotes find. In test mode,
//! 1 MB. `cargo bench --bench anchor`.

mod common;

use claimledger::text::anchor::{self, Hint, Outcome, SourceText, Tier};
use claimledger::text::myers;
use claimledger::text::normalize::{NormalizeOptions, Normalized};
use common::*;
use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

/// The made-up sentence planted near the end of the text (it is nowhere else).
const PLANTED: &str = "Auditors for the harbor commission said the weekend overtime billed by the ferry contractor “was never approved in writing” by the board’s finance committee.";
/// The planted sentence byte for byte.
const EXACT: &str = PLANTED;
/// The same words with other quote glyphs and case: a normalized-tier hit.
const NORMALIZED: &str = "auditors for the Harbor Commission said the weekend overtime billed by the ferry contractor \"was never approved in writing\" by the board's finance committee.";
/// A misquote (four typos): a fuzzy-tier hit.
const FUZZY: &str = "Auditors for the harbour commission said the weekend overtime billed by the ferry contracter “was never aproved in writting” by the board’s finance committee.";
/// The matcher-only pattern: 100 bytes of the misquote, ASCII, 4 edits from the text.
const PATTERN: &str =
    "for the harbour commission said the weekend overtime billed by the ferry contracter was never aproved";

fn corpus_dir() -> Option<PathBuf> {
    std::env::var_os("CLAIMLEDGER_CORPUS").map(PathBuf::from)
}

/// The haystack and a description of it.
fn haystack(target: usize) -> (String, String) {
    let (base, what) = match corpus_dir() {
        Some(dir) => {
            let v1 = std::fs::read_to_string(dir.join("mueller-report-vol1.txt")).expect("corpus vol1");
            let v2 = std::fs::read_to_string(dir.join("mueller-report-vol2.txt")).expect("corpus vol2");
            (format!("{v1}\n\n{v2}\n\n"), "the corpus's two clean volumes, repeated".to_string())
        }
        None => {
            let mut rng = Rng::new(7);
            let (t, _) = text_of(&mut rng, 20_000);
            (format!("{t}\n\n"), "GENERATED English-like text (CLAIMLEDGER_CORPUS is not set)".to_string())
        }
    };
    let mut s = String::with_capacity(target + base.len() + PLANTED.len() + 4);
    let plant_at = target / 10 * 9;
    let mut planted = false;
    while s.len() < target {
        if !planted && s.len() >= plant_at {
            s.push_str(PLANTED);
            s.push_str("\n\n");
            planted = true;
        }
        s.push_str(&base);
    }
    if !planted {
        s.push_str(PLANTED);
    }
    (s, what)
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let target = if full() { 100 << 20 } else { 1 << 20 };
    let (text, what) = haystack(target);
    let chars = text.chars().count();
    println!("text: {} bytes, {} chars: {what}", text.len(), chars);

    // Sanity: each quote lands on the planted sentence, in the expected tier.
    let planted_at = text.find(PLANTED).unwrap();
    let src = SourceText::new(&text, Vec::new());
    for (q, tier) in [(EXACT, Tier::Exact), (NORMALIZED, Tier::Normalized), (FUZZY, Tier::Fuzzy)] {
        let a = anchor::anchor_in(&src, q, &Hint::default()).unwrap();
        assert_eq!(a.outcome, Outcome::Found, "{q}");
        let best = a.best.unwrap();
        assert_eq!((best.tier, best.start), (tier, planted_at), "{q}");
    }
    let hits = myers::find_approx(PATTERN.as_bytes(), text.as_bytes(), 10).unwrap();
    assert_eq!(hits.len(), 1, "the pattern matches once");
    assert_eq!(memchr::memmem::find_iter(text.as_bytes(), EXACT.as_bytes()).count(), 1);

    let mut g = c.benchmark_group("anchor");
    g.throughput(Throughput::Bytes(text.len() as u64)).sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("memmem", |b| b.iter(|| memchr::memmem::find_iter(text.as_bytes(), EXACT.as_bytes()).count()));
    g.bench_function("exact", |b| b.iter(|| black_box(anchor::anchor_in(&src, EXACT, &Hint::default()).unwrap())));
    let fold = NormalizeOptions { fold_case: true, skip: Vec::new() };
    g.bench_function("normalize_pass", |b| b.iter(|| black_box(Normalized::new(&text, &fold))));
    g.bench_function("prepare_source", |b| b.iter(|| black_box(SourceText::new(&text, Vec::new()))));
    g.bench_function("normalized_cold", |b| {
        b.iter(|| {
            let s = SourceText::new(&text, Vec::new());
            black_box(anchor::anchor_in(&s, NORMALIZED, &Hint::default()).unwrap())
        })
    });
    g.bench_function("normalized_warm", |b| {
        b.iter(|| black_box(anchor::anchor_in(&src, NORMALIZED, &Hint::default()).unwrap()))
    });
    g.bench_function("myers_k10", |b| {
        b.iter(|| black_box(myers::find_approx(PATTERN.as_bytes(), text.as_bytes(), 10).unwrap()))
    });
    g.bench_function("fuzzy_warm", |b| b.iter(|| black_box(anchor::anchor_in(&src, FUZZY, &Hint::default()).unwrap())));
    g.finish();

    let mbs = |id: &str| estimate("anchor", id).map(|ns| text.len() as f64 / ns * 1e9 / 1e6);
    let line = |id: &str| mbs(id).map(|v| format!("{v:.0} MB/s")).unwrap_or_else(|| "-".into());
    report(format!("anchor text {} MB ({what})", text.len() >> 20));
    for id in [
        "memmem",
        "exact",
        "normalize_pass",
        "prepare_source",
        "normalized_cold",
        "normalized_warm",
        "myers_k10",
        "fuzzy_warm",
    ] {
        report(format!("anchor {id}: {}", line(id)));
    }
    if let (Some(e), Some(m)) = (mbs("exact"), mbs("memmem")) {
        report(format!("anchor exact/memmem = {:.2} (target >= 0.5)", e / m));
    }
    if let (Some(n), Some(p)) = (mbs("normalized_cold"), mbs("normalize_pass")) {
        report(format!(
            "anchor normalized_cold/normalize_pass = {:.2}; normalized_cold {:.0} MB/s vs reference 464 MB/s",
            n / p,
            n
        ));
    }

    // The Node peer on the same text and pattern, when installed.
    let dir = data_dir();
    let text_file = dir.join("anchor-text.txt");
    let pattern_file = dir.join("anchor-pattern.txt");
    std::fs::write(&text_file, &text).unwrap();
    std::fs::write(&pattern_file, PATTERN).unwrap();
    let peers = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/peers");
    let ours = estimate("anchor", "myers_k10").map(|ns| chars as f64 / ns * 1e9);
    if full() && peers.join("node_modules/approx-string-match").is_dir() {
        let out = std::process::Command::new("node")
            .arg(peers.join("hypothesis.mjs"))
            .arg(&text_file)
            .arg(&pattern_file)
            .arg("10")
            .output();
        match out {
            Ok(o) if o.status.success() => {
                let s = String::from_utf8_lossy(&o.stdout);
                print!("{s}");
                let theirs = s
                    .lines()
                    .find_map(|l| l.strip_prefix("chars_per_second "))
                    .and_then(|v| v.trim().parse::<f64>().ok());
                if let (Some(t), Some(o)) = (theirs, ours) {
                    report(format!(
                        "fuzzy matcher: claimledger myers {:.0} M chars/s, approx-string-match {:.0} M chars/s, ratio {:.1}x (target >= 5x)",
                        o / 1e6,
                        t / 1e6,
                        o / t
                    ));
                }
            }
            Ok(o) => println!("node peer failed: {}", String::from_utf8_lossy(&o.stderr)),
            Err(e) => println!("node peer not run: {e}"),
        }
    } else if full() {
        println!("node peer not installed: (cd benches/peers && npm install) then rerun");
    }

    // The whole `quotes` run on the corpus article, from the files.
    match corpus_dir() {
        Some(dir) => {
            let sources = [dir.join("mueller-report-vol1.txt"), dir.join("mueller-report-vol2.txt")];
            let reds =
                [dir.join("mueller-report-vol1.redactions.json"), dir.join("mueller-report-vol2.redactions.json")];
            let article = dir.join("tpm-trump-and-russia-worked-towards-the-same-goal.txt");
            let run = || {
                let article = std::fs::read_to_string(&article).unwrap();
                let prepared = claimledger::quotecheck::load_sources(&sources, &reds).unwrap();
                claimledger::quotecheck::check_article(&article, &prepared).unwrap()
            };
            assert!(run().len() >= 15, "the corpus article's quotes are found");
            let mut g = c.benchmark_group("quotes");
            g.sample_size(20).measurement_time(Duration::from_secs(10));
            g.bench_function("corpus_article", |b| b.iter(|| black_box(run())));
            g.finish();
            if let Some(ns) = estimate("quotes", "corpus_article") {
                report(format!(
                    "quotes corpus article vs both volumes, end to end: {:.1} ms (target < 50 ms)",
                    ns / 1e6
                ));
            }
        }
        None => println!("quotes/corpus_article SKIPPED: CLAIMLEDGER_CORPUS is not set"),
    }
    c.final_summary();
}
