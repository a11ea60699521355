//! Suggestions: what the passage index costs `add-source` (time and file size,
//! a source imported as a report, indexed, against the same text imported as an
//! article, which is not), and the latency of suggestions per statement, on the
//! corpus (both volumes of the report, the corpus article's statements) and on
//! a generated ledger of 200k indexed passages (200k sentences of a small
//! vocabulary: every word is frequent, a hard case for the first stage).
//! Without CLAIMLEDGER_CORPUS the corpus part runs on the embedded sample and
//! says so. `cargo bench --bench suggest`; in test mode, tiny sizes once.

mod common;

use claimledger::import::{Redactions, SourceImport};
use claimledger::suggest::{Statements, SuggestOptions};
use claimledger::*;
use common::*;
use criterion::Criterion;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// (title, text) of the sources, and the article.
fn corpus() -> (&'static str, Vec<(String, String)>, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CLAIMLEDGER_CORPUS").map(PathBuf::from) {
        Some(dir) => {
            let sources = ["mueller-report-vol1", "mueller-report-vol2"]
                .iter()
                .map(|n| (n.to_string(), std::fs::read_to_string(dir.join(format!("{n}.txt"))).unwrap()))
                .collect();
            let article =
                std::fs::read_to_string(dir.join("tpm-trump-and-russia-worked-towards-the-same-goal.txt")).unwrap();
            ("corpus: both volumes, the corpus article", sources, article)
        }
        None => (
            "SAMPLE (CLAIMLEDGER_CORPUS is not set)",
            vec![("report".into(), std::fs::read_to_string(root.join("samples/report.txt")).unwrap())],
            std::fs::read_to_string(root.join("samples/article.txt")).unwrap(),
        ),
    }
}

/// Imports `sources` into a new ledger file at `path` as `kind`; returns the
/// time and the file's size once closed.
fn import(path: &Path, sources: &[(String, String)], kind: DocumentKind) -> (Duration, u64) {
    remove_ledger(path);
    let mut l = Ledger::open(path).unwrap();
    let took = timed(|| {
        for (title, text) in sources {
            let mut imp = SourceImport::new(NewDocument::new(kind, title.clone()), text.clone());
            imp.redactions = Redactions::None;
            l.import_source(imp).unwrap();
        }
    });
    drop(l);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    (took, size)
}

/// A ledger of one generated source of `sentences` sentences (cached), and an
/// article of `statements` generated sentences.
fn generated(sentences: usize, statements: usize) -> (PathBuf, String) {
    let path = data_dir().join(format!("suggest-{sentences}.ledger"));
    // A cached file this build cannot open (one written under a different
    // schema history) is built again.
    if !path.exists() || Ledger::open(&path).is_err() {
        let tmp = data_dir().join(format!("suggest-{sentences}.tmp.ledger"));
        remove_ledger(&tmp);
        let (text, _) = text_of(&mut Rng::new(7), sentences);
        let mut l = Ledger::open(&tmp).unwrap();
        l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "generated"), text)).unwrap();
        drop(l);
        std::fs::rename(&tmp, &path).unwrap();
    }
    let (article, _) = text_of(&mut Rng::new(11), statements);
    (path, article)
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let (what, sources, article) = corpus();
    println!("suggest: {what}");

    // The index's cost on add-source.
    let with = data_dir().join("suggest-with.ledger");
    let without = data_dir().join("suggest-without.ledger");
    let runs = if full() { 5 } else { 1 };
    let mut sizes = (0, 0);
    let (t_with, t_without) = interleaved(
        runs,
        || {
            let (t, s) = import(&with, &sources, DocumentKind::Report);
            sizes.0 = s;
            t
        },
        || {
            let (t, s) = import(&without, &sources, DocumentKind::Article);
            sizes.1 = s;
            t
        },
    );
    report(format!(
        "add-source with the index ({what}): {:.0} ms vs {:.0} ms without ({:.2}x), file {:.1} MB vs {:.1} MB ({:.2}x)",
        t_with.as_secs_f64() * 1e3,
        t_without.as_secs_f64() * 1e3,
        t_with.as_secs_f64() / t_without.as_secs_f64().max(1e-9),
        sizes.0 as f64 / 1e6,
        sizes.1 as f64 / 1e6,
        sizes.0 as f64 / (sizes.1 as f64).max(1.0),
    ));
    remove_ledger(&without);

    // Latency per statement on the corpus.
    let mut l = Ledger::open(&with).unwrap();
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "article"), &article).unwrap();
    let n = l.claims(art.revision.id).unwrap().iter().filter(|c| c.exemption.is_none()).count();
    let opts = SuggestOptions::default();
    let mut g = c.benchmark_group("suggest");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("corpus_article", |b| {
        b.iter(|| l.suggest_revision(art.revision.id, Statements::NotExempt, &opts).unwrap())
    });
    let one = art.claims.iter().find(|c| c.exemption.is_none()).map(|c| c.id);
    if let Some(one) = one {
        g.bench_function("corpus_one_statement", |b| b.iter(|| l.suggest(one, &opts).unwrap()));
    }

    // Latency per statement on 200k passages (one per sentence; windows of two
    // are scored at query time).
    let (sentences, statements) = if full() { (200_000, 50) } else { (500, 5) };
    let (path, generated_article) = generated(sentences, statements);
    let mut big = Ledger::open(&path).unwrap();
    let big_art =
        big.add_article(NewDocument::new(DocumentKind::Article, "generated article"), &generated_article).unwrap();
    g.bench_function("generated_article", |b| {
        b.iter(|| big.suggest_revision(big_art.revision.id, Statements::NotExempt, &opts).unwrap())
    });
    g.finish();
    if let Some(ns) = estimate("suggest", "corpus_article") {
        report(format!("suggest, {what}: {:.1} ms per statement ({n} statements)", ns / 1e6 / n as f64));
    }
    if let Some(ns) = estimate("suggest", "corpus_one_statement") {
        report(format!("suggest, one statement alone ({what}): {:.1} ms", ns / 1e6));
    }
    if let Some(ns) = estimate("suggest", "generated_article") {
        report(format!(
            "suggest, generated ledger of {sentences} sentences ({sentences} indexed passages): {:.1} ms per statement",
            ns / 1e6 / statements as f64
        ));
    }
    drop(l);
    remove_ledger(&with);
    c.final_summary();
}
