//! Importing the corpus trace end to end: a fresh ledger file, both volumes of
//! the report imported with their stand-off redactions and footnotes, then the
//! article with `tests/fixtures/tpm-trump-russia.trace.toml` (statements,
//! exemptions, passages, citations, quotations anchored and verified), then its
//! audit. Without CLAIMLEDGER_CORPUS it runs on the embedded made-up sample
//! instead, and says so. `cargo bench --bench trace`.

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use common::*;
use criterion::Criterion;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Input {
    what: &'static str,
    trace: TraceFile,
    /// (title, text, redaction file)
    sources: Vec<(String, String, Option<RedactionFile>)>,
    article: String,
}

fn input() -> Input {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CLAIMLEDGER_CORPUS").map(PathBuf::from) {
        Some(dir) => {
            let trace = TraceFile::read(root.join("tests/fixtures/tpm-trump-russia.trace.toml")).unwrap();
            let sources = [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")]
                .iter()
                .map(|(key, name)| {
                    let title = trace.sources.iter().find(|s| s.key == *key).unwrap().title.clone();
                    let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
                    let reds = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
                    (title, text, Some(reds))
                })
                .collect();
            let article =
                std::fs::read_to_string(dir.join("tpm-trump-and-russia-worked-towards-the-same-goal.txt")).unwrap();
            Input { what: "corpus article against both volumes", trace, sources, article }
        }
        None => {
            let trace = TraceFile::read(root.join("samples/article.trace.toml")).unwrap();
            let title = trace.sources[0].title.clone();
            let text = std::fs::read_to_string(root.join("samples/report.txt")).unwrap();
            let reds = RedactionFile::read(root.join("samples/report.redactions.json")).unwrap();
            let article = std::fs::read_to_string(root.join("samples/article.txt")).unwrap();
            Input {
                what: "SAMPLE (CLAIMLEDGER_CORPUS is not set)",
                trace,
                sources: vec![(title, text, Some(reds))],
                article,
            }
        }
    }
}

fn run(input: &Input, path: &Path) -> (usize, usize) {
    let mut l = Ledger::open(path).unwrap();
    for (title, text, reds) in &input.sources {
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title.clone()), text.clone());
        if let Some(r) = reds {
            imp.redactions = Redactions::StandOff(r.clone());
        }
        l.import_source(imp).unwrap();
    }
    let out = l.import_trace(&input.article, &input.trace).unwrap();
    let audit = l.audit(out.article.id).unwrap();
    (out.statements, audit.quotations.total)
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let input = input();
    println!("trace: {}", input.what);
    let path = data_dir().join("trace-work.ledger");
    remove_ledger(&path);
    let (statements, quotes) = run(&input, &path);
    println!("trace: {statements} statements, {quotes} quotations");
    let mut g = c.benchmark_group("trace");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("import_end_to_end", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                remove_ledger(&path);
                let started = Instant::now();
                std::hint::black_box(run(&input, &path));
                total += started.elapsed();
            }
            total
        })
    });
    g.finish();
    remove_ledger(&path);
    if let Some(ns) = estimate("trace", "import_end_to_end") {
        report(format!("trace import end to end ({}): {:.0} ms", input.what, ns / 1e6));
    }
    c.final_summary();
}
