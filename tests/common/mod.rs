//! Shared test helpers.
#![allow(dead_code)]

use std::path::PathBuf;

/// The corpus file `name`, when `CLAIMLEDGER_CORPUS` is set. Without the variable
/// the test is skipped (it prints that it skipped); with it, a missing file fails.
pub fn corpus_file(test: &str, name: &str) -> Option<PathBuf> {
    match std::env::var_os("CLAIMLEDGER_CORPUS") {
        None => {
            eprintln!("SKIPPED {test}: CLAIMLEDGER_CORPUS is not set");
            None
        }
        Some(dir) => {
            let p = PathBuf::from(dir).join(name);
            assert!(p.is_file(), "CLAIMLEDGER_CORPUS is set but {} is missing", p.display());
            Some(p)
        }
    }
}

/// SHA-256 of a file's bytes, to prove a file was left untouched.
pub fn file_digest(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    claimledger::ContentHash::of_bytes(&bytes).to_string()
}

/// The schema versions the build's `migrations/` define, ascending (numbers may
/// have gaps).
pub fn migration_versions() -> Vec<i64> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut v: Vec<i64> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_prefix('V')?.split("__").next()?.parse().ok()
        })
        .collect();
    v.sort_unstable();
    v
}
