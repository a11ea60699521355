//! The evidence-item parser over the report's footnotes:
//!
//! - `parse_volumes`: every footnote of both volumes read by one parser per volume
//!   (the footnote scan included), as an import does;
//! - `footnote_scan`: the footnote scan alone, the floor under it.
//!
//! The text is the corpus's two clean volumes (CLAIMLEDGER_CORPUS) or, when the
//! variable is not set, generated footnotes of the same shapes (the output says
//! which). In test mode every routine runs once. `cargo bench --bench evidence`.

mod common;

use claimledger::text::evidence::EvidenceParser;
use claimledger::text::footnotes::footnotes;
use common::*;
use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// Both volumes, or generated footnotes.
fn volumes() -> (Vec<String>, String) {
    match std::env::var_os("CLAIMLEDGER_CORPUS") {
        Some(dir) => {
            let dir = std::path::PathBuf::from(dir);
            let v: Vec<String> = ["mueller-report-vol1.txt", "mueller-report-vol2.txt"]
                .iter()
                .map(|f| std::fs::read_to_string(dir.join(f)).expect("corpus volume"))
                .collect();
            (v, "the corpus's two clean volumes".to_string())
        }
        None => {
            let shapes = [
                "Roe 1/30/18 302, at 3; Doe 2/2/18 302, at 1–2.",
                "6/1/17 Email, Brown to Green & Black (10:02 a.m.) (attachment).",
                "[Grand Jury]",
                "See, e.g., Jan Doe, A Headline About Things, Daily Planet (Feb. 3, 2017).",
                "Some prose that explains what the office found and why it matters. Id. at 4.",
            ];
            let mut t = String::from("Body.\n\nFootnotes\n\n");
            for n in 1..=2400 {
                t.push_str(&format!("[^{n}]: {}\n", shapes[n % shapes.len()]));
            }
            (vec![t], "generated footnotes".to_string())
        }
    }
}

fn parse_all(texts: &[String]) -> usize {
    let mut items = 0;
    for text in texts {
        let notes = footnotes(text);
        let mut p = EvidenceParser::new();
        for d in &notes.definitions {
            items += p.parse(d.number, &text[d.text_range()]).expect("under the cap").len();
        }
    }
    items
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let (texts, what) = volumes();
    let bytes: usize = texts.iter().map(String::len).sum();
    let notes: usize = texts.iter().map(|t| footnotes(t).definitions.len()).sum();
    let note_bytes: usize =
        texts.iter().map(|t| footnotes(t).definitions.iter().map(|d| d.end - d.text_start).sum::<usize>()).sum();
    let items = parse_all(&texts);
    println!("text: {bytes} bytes, {notes} footnotes ({note_bytes} bytes), {items} items: {what}");

    let mut g = c.benchmark_group("evidence");
    g.throughput(Throughput::Bytes(note_bytes as u64)).sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("parse_volumes", |b| b.iter(|| black_box(parse_all(&texts))));
    g.bench_function("footnote_scan", |b| {
        b.iter(|| texts.iter().map(|t| footnotes(t).definitions.len()).sum::<usize>())
    });
    g.finish();

    if let Some(ns) = estimate("evidence", "parse_volumes") {
        report(format!(
            "evidence parse_volumes: {notes} footnotes, {items} items in {:.1} ms ({:.1} MB/s of footnote text, {:.0} footnotes/s) ({what})",
            ns / 1e6,
            note_bytes as f64 / ns * 1e9 / 1e6,
            notes as f64 / ns * 1e9
        ));
    }
    if let Some(ns) = estimate("evidence", "footnote_scan") {
        report(format!("evidence footnote_scan: {:.2} ms", ns / 1e6));
    }
}
