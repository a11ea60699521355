//! Shared test helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// Records that `test` skipped, where nobody can miss it: the line goes to
/// the process's standard error directly (the harness captures only what the
/// `print!` macros write, so it shows even in a passing run), and, when
/// `CLAIMLEDGER_SKIP_LOG` names a file, is appended to it. `.ci/run` sets that
/// variable and fails when the file is not empty.
pub fn skip(test: &str, reason: &str) {
    let line = format!("SKIPPED {test}: {reason}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Some(log) = std::env::var_os("CLAIMLEDGER_SKIP_LOG") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap_or_else(|e| panic!("CLAIMLEDGER_SKIP_LOG={}: {e}", Path::new(&log).display()));
        f.write_all(line.as_bytes()).unwrap();
    }
}

/// The corpus file `name`, when `CLAIMLEDGER_CORPUS` is set. Without the variable
/// the test is skipped (see [`skip`]); with it, a missing file fails.
pub fn corpus_file(test: &str, name: &str) -> Option<PathBuf> {
    match std::env::var_os("CLAIMLEDGER_CORPUS") {
        None => {
            skip(test, "CLAIMLEDGER_CORPUS is not set");
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
pub fn file_digest(path: &Path) -> String {
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

/// Everything a ledger holds, as text: its schema, then every row of every
/// table in row order. Two ledgers with the same dump hold the same data; a
/// failed write must leave the dump unchanged. Works for in-memory ledgers too
/// (through an online backup to a temporary file).
pub fn dump(ledger: &claimledger::Ledger) -> String {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("dump.ledger");
    ledger.backup_to(&copy).unwrap();
    dump_file(&copy)
}

/// [`dump`] of a ledger file, read with a plain read-only connection.
pub fn dump_file(path: &Path) -> String {
    use rusqlite::types::Value;
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut out = String::new();
    let mut stmt = conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name").unwrap();
    let schema: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (kind, name, sql) in &schema {
        out += &format!("{kind} {name}: {sql}\n");
    }
    for (kind, name, _) in &schema {
        if kind != "table" || name.starts_with("sqlite_") {
            continue;
        }
        let without_rowid: bool =
            conn.query_row("SELECT wr FROM pragma_table_list WHERE name = ?1", [name], |r| r.get(0)).unwrap_or(false);
        // Table names come from the file's own schema, quoted as identifiers.
        let order = if without_rowid { "1" } else { "rowid" };
        let mut rows = conn.prepare(&format!("SELECT * FROM \"{name}\" ORDER BY {order}")).unwrap();
        let n = rows.column_count();
        let lines: Vec<String> = rows
            .query_map([], |r| {
                let vals: Vec<Value> = (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                Ok(format!("{vals:?}"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        out += &format!("-- {name}: {} rows\n", lines.len());
        for l in lines {
            out += &l;
            out.push('\n');
        }
    }
    out
}
