//! Re-anchoring a revision's passages into another revision of its source
//! (`Ledger::reanchor`), the search and the write together:
//!
//! - `reanchor/body`: 300 passages (every third sentence) of the body of a
//!   generated report (about 75 KB) carried into three new texts: `moved` (20 KB of a table of
//!   contents and a page break before the body: every passage far from its
//!   old offset, found as it is in the whole text), `misread` (the same with
//!   one letter of each passage dropped, as a scan drops one: found by the
//!   one search of every tier over the whole text a passage gets when it is
//!   neither near its expected place nor anywhere as it is) and `absent` (600
//!   KB of other words on pages: every passage orphaned after that search);
//! - `reanchor/corpus`: with CLAIMLEDGER_CORPUS, Volume I of the report (its
//!   stand-off redactions, its 1,200 footnotes and their markers) into its
//!   pages of the Justice Department's PDF text.
//!
//! Each sample re-anchors a fresh in-memory ledger holding both revisions
//! (built outside the timing). `cargo bench --bench reanchor`; in test mode,
//! 30 passages once and no corpus.

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::*;
use common::*;
use criterion::{BatchSize, Criterion};
use std::path::PathBuf;
use std::time::Duration;

/// A report of `3 n` generated sentences, every third a passage (bytes).
fn generated(n: usize) -> (String, Vec<(usize, usize)>) {
    let (text, spans) = text_of(&mut Rng::new(11), 3 * n);
    (text, spans.iter().step_by(3).map(|r| (r.start, r.end)).collect())
}

/// `text` with a table of contents of `bytes` and a page break before it.
fn moved(text: &str, bytes: usize) -> String {
    let line = "Chapter on the ferry timetable ........................................ 12\n";
    format!("{}\x0c{text}", line.repeat(bytes / line.len()))
}

/// The same with one letter of every passage dropped, as a scan drops one.
fn misread(text: &str, spans: &[(usize, usize)], bytes: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(s, e) in spans {
        let mid = (s + (e - s) / 2..e).find(|&i| text.as_bytes()[i].is_ascii_alphabetic()).unwrap_or(e);
        out.push_str(&text[at..mid]);
        at = (mid + 1).min(e);
    }
    out.push_str(&text[at..]);
    moved(&out, bytes)
}

/// `bytes` of other words, on pages of about 3 KB.
fn absent(bytes: usize) -> String {
    const WORDS: [&str; 10] =
        ["council", "river", "bridge", "minutes", "tender", "clerk", "mayor", "budget", "vote", "report"];
    let mut rng = Rng::new(7);
    let mut out = String::new();
    let mut page = 0;
    while out.len() < bytes {
        out.push_str(WORDS[rng.below(WORDS.len())]);
        out.push(if rng.below(12) == 0 { '\n' } else { ' ' });
        if out.len() - page > 3_000 {
            out.push('\x0c');
            page = out.len();
        }
    }
    out
}

/// A ledger holding `old` (with passages at `spans`) and `new` as its second revision.
fn ledger(old: &str, spans: &[(usize, usize)], new: &str) -> (Ledger, DocumentId) {
    let mut l = Ledger::open_in_memory().unwrap();
    let src =
        l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Ferry"), old.to_string())).unwrap();
    for &(s, e) in spans {
        l.add_passage(NewPassage::new(Span::new(src.revision.id, s, e))).unwrap();
    }
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), new.to_string());
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    (l, src.document.id)
}

/// Volume I and its pages of the PDF text, when the corpus is there.
fn corpus() -> Option<(String, RedactionFile, String)> {
    let dir = PathBuf::from(std::env::var_os("CLAIMLEDGER_CORPUS")?);
    let text = std::fs::read_to_string(dir.join("mueller-report-vol1.txt")).ok()?;
    let reds = RedactionFile::read(dir.join("mueller-report-vol1.redactions.json")).ok()?;
    let pdf = std::fs::read_to_string(dir.join("mueller-report-doj-pdf-text.txt")).ok()?;
    // Volume II starts on the PDF's page 208.
    let pages: Vec<&str> = pdf.split('\x0c').collect();
    Some((text, reds, pages[..207].join("\x0c")))
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let (n, contents, other) = if full() { (300, 20_000, 600_000) } else { (30, 2_000, 20_000) };
    let (old, spans) = generated(n);
    let cases =
        [("moved", moved(&old, contents)), ("misread", misread(&old, &spans, contents)), ("absent", absent(other))];
    let mut g = c.benchmark_group("reanchor");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    for (name, new) in &cases {
        let (mut l, doc) = ledger(&old, &spans, new);
        let counts = l.reanchor(doc, 1, 2).unwrap().counts;
        println!(
            "reanchor {name}: {n} passages, {} moved, {} changed, {} orphaned",
            counts.moved, counts.changed, counts.orphaned
        );
        g.bench_function(format!("body_{name}"), |b| {
            b.iter_batched(
                || ledger(&old, &spans, new),
                |(mut l, doc)| std::hint::black_box(l.reanchor(doc, 1, 2).unwrap()),
                BatchSize::PerIteration,
            )
        });
        if let Some(ns) = estimate("reanchor", &format!("body_{name}")) {
            report(format!("reanchor {n} body passages, {name}: {:.1} ms", ns / 1e6));
        }
    }
    match corpus().filter(|_| full()) {
        Some((text, reds, pdf)) => {
            let build = || {
                let mut l = Ledger::open_in_memory().unwrap();
                let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "Volume I"), text.clone());
                imp.redactions = Redactions::StandOff(reds.clone());
                let doc = l.import_source(imp).unwrap().document.id;
                let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "PDF"), pdf.clone());
                imp.redactions = Redactions::Detect;
                imp.revision_of = Some(doc);
                l.import_source(imp).unwrap();
                (l, doc)
            };
            g.sample_size(10).measurement_time(Duration::from_secs(30));
            g.bench_function("corpus_volume_one", |b| {
                b.iter_batched(
                    build,
                    |(mut l, doc)| std::hint::black_box(l.reanchor(doc, 1, 2).unwrap()),
                    BatchSize::PerIteration,
                )
            });
            if let Some(ns) = estimate("reanchor", "corpus_volume_one") {
                report(format!("reanchor Volume I into the PDF text: {:.0} ms", ns / 1e6));
            }
        }
        None => println!("reanchor corpus: not run (needs CLAIMLEDGER_CORPUS and cargo bench)"),
    }
    g.finish();
    c.final_summary();
}
