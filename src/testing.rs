//! Helpers for the crate's own unit tests (compiled only for them).

use std::io::Write;
use std::path::PathBuf;

/// Records that `test` skipped, where nobody can miss it: the line goes to the
/// process's standard error directly (the harness captures only what the
/// `print!` macros write), and, when `CLAIMLEDGER_SKIP_LOG` names a file, is
/// appended to it. `.ci/run` sets that variable and fails when the file is not
/// empty. The integration tests have the same helper (`tests/common/mod.rs`).
pub(crate) fn skip(test: &str, reason: &str) {
    let line = format!("SKIPPED {test}: {reason}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Some(log) = std::env::var_os("CLAIMLEDGER_SKIP_LOG") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap_or_else(|e| panic!("CLAIMLEDGER_SKIP_LOG={}: {e}", PathBuf::from(&log).display()));
        f.write_all(line.as_bytes()).unwrap();
    }
}

/// The corpus folder named by `CLAIMLEDGER_CORPUS`, or `None` after recording
/// the skip of `test`.
pub(crate) fn corpus_dir(test: &str) -> Option<PathBuf> {
    match std::env::var_os("CLAIMLEDGER_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            skip(test, "CLAIMLEDGER_CORPUS is not set");
            None
        }
    }
}
