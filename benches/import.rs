//! Importing a source (`add-source`): the library against raw rusqlite writing
//! the same rows. `cargo bench --bench import`.
//!
//! The source is generated (made-up words, no corpus text): about 7 MB in
//! paragraphs, 3,800 footnotes (a `[^N]` marker in the body, a `[^N]: text`
//! definition after a `Footnotes` line) and 2,600 bracketed redaction labels
//! with a stand-off redaction file, the shape of the measurement.
//!
//! - **library**: `Ledger::import_source` (document, revision, redactions with
//!   their reasons, footnote passages, marker passages and their derivations, in
//!   one transaction) on a fresh ledger file, from the text and the parsed
//!   redaction file: it converts and checks every offset, parses the footnotes,
//!   computes every selector, ID and hash.
//! - **raw_rusqlite**: a plain connection on a copy of the same fresh ledger, same
//!   pragmas, one IMMEDIATE transaction, one prepared INSERT per table, writing
//!   the very rows the library wrote (read back from a library import before the
//!   clock starts, IDs included): SQLite's own rate for these rows.

mod common;

use claimledger::import::{RedactionEntry, RedactionFile, Redactions, SourceImport};
use claimledger::*;
use common::*;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use rusqlite::Connection;
use rusqlite::types::Value;
use std::path::Path;
use std::time::{Duration, Instant};

const LABELS: &[&str] = &["Grand Jury", "Harm to Ongoing Matter", "Personal Privacy", "Investigative Technique", "HOM"];

/// A generated source: `sentences` sentences, `notes` footnotes, `labels` labels.
fn source(sentences: usize, notes: usize, labels: usize) -> (String, RedactionFile) {
    let mut rng = Rng::new(13);
    let mut s = String::with_capacity(sentences * 80);
    let mut reds = Vec::new();
    let note_every = (sentences / notes.max(1)).max(1);
    let label_every = (sentences / labels.max(1)).max(1);
    let mut n = 0;
    for i in 0..sentences {
        if i > 0 {
            s.push_str(if i % 5 == 0 { "\n\n" } else { " " });
        }
        if i % label_every == label_every / 2 && reds.len() < labels {
            let label = LABELS[rng.below(LABELS.len())];
            let start = s.len();
            s.push('[');
            s.push_str(label);
            s.push(']');
            reds.push(RedactionEntry {
                kind: Some("TextPositionSelector".into()),
                start,
                end: s.len(),
                exact: Some(s[start..].to_string()),
                label: label.to_string(),
                approx_redacted_chars: Some(40),
            });
            s.push(' ');
        }
        sentence(&mut rng, &mut s);
        if i % note_every == 0 && n < notes {
            n += 1;
            s.push_str(&format!("[^{n}]"));
        }
    }
    s.push_str("\n\nFootnotes\n\n");
    for k in 1..=n {
        s.push_str(&format!("[^{k}]: "));
        sentence(&mut rng, &mut s);
        s.push('\n');
    }
    // The text is ASCII: byte offsets are code points.
    assert!(s.is_ascii());
    let file = RedactionFile { text: None, offsets: Some("unicode code points".into()), redactions: reds };
    (s, file)
}

fn import(l: &mut Ledger, text: &str, file: &RedactionFile) -> usize {
    let mut src = SourceImport::new(NewDocument::new(DocumentKind::Report, "Harbor report"), text);
    src.redactions = Redactions::StandOff(file.clone());
    let out = l.import_source(src).unwrap();
    assert!(out.created);
    out.redactions + out.footnotes
}

const TABLES: &[&str] = &["documents", "revisions", "redactions", "passages", "derivations"];

/// The rows a library import wrote, per table, in row-ID order.
fn rows_of(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = Connection::open(path).unwrap();
    TABLES
        .iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {t} ORDER BY id")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<Value>>>())
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap();
            (t.to_string(), rows)
        })
        .collect()
}

fn raw_open(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn
}

fn raw_import(conn: &mut Connection, rows: &[(String, Vec<Vec<Value>>)]) -> usize {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
    let mut n = 0;
    for (table, rows) in rows {
        let Some(first) = rows.first() else { continue };
        let marks = vec!["?"; first.len()].join(", ");
        let mut stmt = tx.prepare(&format!("INSERT INTO {table} VALUES ({marks})")).unwrap();
        for r in rows {
            stmt.execute(rusqlite::params_from_iter(r.iter())).unwrap();
            n += 1;
        }
    }
    tx.commit().unwrap();
    n
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let (sentences, notes, labels) = if full() { (100_000, 3_800, 2_600) } else { (2_000, 80, 50) };
    let (text, file) = source(sentences, notes, labels);
    let dir = data_dir();
    let template = dir.join("import-template.ledger");
    let work = dir.join("import-work.ledger");
    remove_ledger(&template);
    drop(Ledger::open(&template).unwrap());
    copy_ledger(&template, &work);
    let stored = {
        let mut l = Ledger::open(&work).unwrap();
        import(&mut l, &text, &file);
        drop(l);
        rows_of(&work)
    };
    let rows: usize = stored.iter().map(|(_, r)| r.len()).sum();
    println!(
        "source: {} bytes, {} footnotes, {} redactions; {rows} rows written by an import",
        text.len(),
        notes,
        file.redactions.len()
    );
    let mut g = c.benchmark_group("import");
    g.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(rows as u64));
    let size = text.len();
    g.bench_with_input(BenchmarkId::new("library", size), &size, |b, _| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                copy_ledger(&template, &work);
                let mut l = Ledger::open(&work).unwrap();
                let started = Instant::now();
                std::hint::black_box(import(&mut l, &text, &file));
                total += started.elapsed();
            }
            total
        })
    });
    g.bench_with_input(BenchmarkId::new("raw_rusqlite", size), &size, |b, _| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                copy_ledger(&template, &work);
                let mut conn = raw_open(&work);
                let started = Instant::now();
                assert_eq!(raw_import(&mut conn, &stored), rows);
                total += started.elapsed();
            }
            total
        })
    });
    if full() {
        let (l, r) = interleaved(
            9,
            || {
                copy_ledger(&template, &work);
                let mut l = Ledger::open(&work).unwrap();
                timed(|| import(&mut l, &text, &file))
            },
            || {
                copy_ledger(&template, &work);
                let mut conn = raw_open(&work);
                timed(|| raw_import(&mut conn, &stored))
            },
        );
        let rate = |d: Duration| rows as f64 / d.as_secs_f64();
        report(format!(
            "add-source {size} bytes ({rows} rows), interleaved medians: library {:.1} ms ({:.0} rows/s), raw {:.1} ms ({:.0} rows/s), library/raw = {:.2}x the time",
            l.as_secs_f64() * 1e3,
            rate(l),
            r.as_secs_f64() * 1e3,
            rate(r),
            l.as_secs_f64() / r.as_secs_f64()
        ));
    }
    if let (Some(lib), Some(raw)) =
        (estimate("import", &format!("library/{size}")), estimate("import", &format!("raw_rusqlite/{size}")))
    {
        report(format!(
            "add-source {size} bytes ({rows} rows), criterion medians: library {:.1} ms, raw {:.1} ms, library/raw = {:.2}x the time",
            lib / 1e6,
            raw / 1e6,
            lib / raw
        ));
    }
    g.finish();
    remove_ledger(&work);
    remove_ledger(&template);
    c.final_summary();
}
