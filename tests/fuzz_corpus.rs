//! Every fuzz target run on every input of its seed corpus (`fuzz/corpus/`),
//! as an ordinary test. The targets live in `fuzz/targets/`, shared with the
//! libFuzzer entries of `fuzz/fuzz_targets/` (which need cargo-fuzz and are not
//! built by `cargo test`), so a change of the API that breaks a target breaks
//! this test, and every input a fuzzing run kept (each one reached new code)
//! is checked against the target's invariants on every test run.
//!
//! An input that panics is named with the panic's message; the test then fails
//! after running the rest of the corpus.

use std::path::{Path, PathBuf};

#[path = "../fuzz/targets/anchor.rs"]
mod anchor;
#[path = "../fuzz/targets/bundle_import.rs"]
mod bundle_import;
#[path = "../fuzz/targets/evidence.rs"]
mod evidence;
#[path = "../fuzz/targets/normalize.rs"]
mod normalize;
#[path = "../fuzz/targets/quote_marks.rs"]
mod quote_marks;
#[path = "../fuzz/targets/redaction_import.rs"]
mod redaction_import;
#[path = "../fuzz/targets/segment_quotes.rs"]
mod segment_quotes;
#[path = "../fuzz/targets/trace_import.rs"]
mod trace_import;
#[path = "../fuzz/targets/verify.rs"]
mod verify;

/// The inputs of one target's corpus, by file name (the order a run reports).
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `run` on every input of `target`'s corpus and fails naming each input
/// that panicked.
fn replay(target: &str, run: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "fuzz/corpus/{target} holds no input");
    let mut failures = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs of {target} failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn anchor_corpus() {
    replay("anchor", anchor::run);
}

#[test]
fn bundle_import_corpus() {
    replay("bundle_import", bundle_import::run);
}

#[test]
fn evidence_corpus() {
    replay("evidence", evidence::run);
}

#[test]
fn normalize_corpus() {
    replay("normalize", normalize::run);
}

#[test]
fn quote_marks_corpus() {
    replay("quote_marks", quote_marks::run);
}

#[test]
fn redaction_import_corpus() {
    replay("redaction_import", redaction_import::run);
}

#[test]
fn segment_quotes_corpus() {
    replay("segment_quotes", segment_quotes::run);
}

#[test]
fn trace_import_corpus() {
    replay("trace_import", trace_import::run);
}

#[test]
fn verify_corpus() {
    replay("verify", verify::run);
}

#[test]
#[should_panic(expected = "1 of 1 inputs of evidence failed")]
fn an_input_that_panics_fails_the_replay_and_is_named() {
    replay("evidence", |_| panic!("broken invariant"));
}
