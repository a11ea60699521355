//! The migration runner: reads and validates the schema history, then applies
//! every pending migration in ONE `IMMEDIATE` transaction.
//!
//! # Design
//!
//! The migrations are refinery's (`migrations/V{n}__{name}.sql`, embedded at build
//! time) and the history table is refinery's `refinery_schema_history`, row for row
//! (version, name, RFC 3339 `applied_on`, decimal checksum), so files written by
//! either stay readable by the other. Running them is ours, for three reasons:
//!
//! - **one transaction, taken up front**: refinery creates its history table in a
//!   transaction of its own and applies the migrations in a second, *deferred* one.
//!   Two processes opening a fresh file at once could then see a half-created
//!   ledger (a history table and no `application_id`) or fail to upgrade their
//!   read lock. Here the write lock is taken first (`BEGIN IMMEDIATE`, which waits
//!   up to the busy timeout), the history is read under it, and everything,
//!   history table included, commits or rolls back together;
//! - **validation before use**: refinery `unwrap`s the history rows (a malformed
//!   `applied_on` or checksum in a crafted file panics); [`history`] reads and
//!   checks every row first and refuses the file with a typed error;
//! - **testability**: [`run`] takes the migration list, so tests can run an extra
//!   (failing) migration through exactly this path
//!   ([`crate::Ledger::open_with_migrations`]).

use crate::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

/// The history table, created exactly as refinery creates it.
const HISTORY_DDL: &str = "CREATE TABLE IF NOT EXISTS refinery_schema_history(
             version int4 PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));";

/// One migration: version, name and SQL, with refinery's checksum.
#[derive(Debug, Clone)]
pub(crate) struct Migration {
    pub version: i64,
    pub name: String,
    pub checksum: u64,
    pub sql: String,
}

impl Migration {
    fn from_refinery(m: &refinery::Migration) -> Migration {
        Migration {
            version: i64::from(m.version()),
            name: m.name().to_string(),
            checksum: m.checksum(),
            sql: m.sql().unwrap_or_default().to_string(),
        }
    }

    /// A migration from a file name (`V{n}__{name}.sql` or without the extension)
    /// and its SQL, with the checksum refinery would compute.
    pub(crate) fn parse(file_name: &str, sql: &str) -> Result<Migration> {
        let stem = file_name.strip_suffix(".sql").unwrap_or(file_name);
        let m = refinery::Migration::unapplied(stem, sql)
            .map_err(|e| Error::invalid("migration name", format!("{file_name:?}: {e}")))?;
        Ok(Migration::from_refinery(&m))
    }
}

/// The migrations embedded in this build, by version.
pub(crate) fn embedded() -> Vec<Migration> {
    let runner = super::embedded::migrations::runner();
    let mut v: Vec<Migration> = runner.get_migrations().iter().map(Migration::from_refinery).collect();
    v.sort_by_key(|m| m.version);
    v
}

/// One row of the history, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Applied {
    pub version: i64,
    pub name: String,
    pub checksum: u64,
}

/// Reads the schema history, validating every row the way refinery would read it
/// (a version that fits `i32`, a name, an RFC 3339 `applied_on`, a `u64`
/// checksum). `Ok(None)` when there is no history table.
///
/// # Errors
///
/// [`Error::NotALedger`]-worthy problems come back as `Err(reason)` in the inner
/// result so the caller can name the file.
pub(crate) fn history(conn: &Connection) -> Result<std::result::Result<Option<Vec<Applied>>, String>> {
    let exists: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'refinery_schema_history'",
        [],
        |r| r.get(0),
    )?;
    if exists == 0 {
        return Ok(Ok(None));
    }
    let mut stmt = match conn
        .prepare("SELECT version, name, applied_on, checksum FROM refinery_schema_history ORDER BY version")
    {
        Ok(s) => s,
        Err(e) => return Ok(Err(format!("schema history is unreadable: {e}"))),
    };
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    loop {
        let row = match rows.next() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) => return Ok(Err(format!("schema history is unreadable: {e}"))),
        };
        let parsed = (|| -> std::result::Result<Applied, String> {
            let version: i64 = row.get(0).map_err(|e| format!("version: {e}"))?;
            i32::try_from(version).map_err(|_| format!("version {version} is out of range"))?;
            let name: String = row.get(1).map_err(|e| format!("name: {e}"))?;
            let applied_on: String = row.get(2).map_err(|e| format!("applied_on: {e}"))?;
            time::OffsetDateTime::parse(&applied_on, &time::format_description::well_known::Rfc3339)
                .map_err(|e| format!("applied_on {applied_on:?}: {e}"))?;
            let checksum: String = row.get(3).map_err(|e| format!("checksum: {e}"))?;
            let checksum = checksum.parse::<u64>().map_err(|e| format!("checksum {checksum:?}: {e}"))?;
            Ok(Applied { version, name, checksum })
        })();
        match parsed {
            Ok(a) => out.push(a),
            Err(reason) => return Ok(Err(format!("malformed schema history row: {reason}"))),
        }
    }
    Ok(Ok(Some(out)))
}

/// Checks an applied history against the known migrations: every applied one
/// must be known with the same name and checksum, and no known migration older
/// than the newest applied one may be missing. Versions newer than every known
/// migration are not checked here (the caller refuses them as a newer schema).
pub(crate) fn check_history(applied: &[Applied], known: &[Migration]) -> std::result::Result<(), String> {
    let newest_known = known.iter().map(|m| m.version).max().unwrap_or(0);
    for a in applied.iter().filter(|a| a.version <= newest_known) {
        match known.iter().find(|m| m.version == a.version) {
            None => {
                return Err(format!("schema history names V{}__{}, which this build does not know", a.version, a.name));
            }
            Some(m) if m.name != a.name || m.checksum != a.checksum => {
                return Err(format!(
                    "schema history diverges: V{}__{} (checksum {}) was applied, this build has V{}__{} (checksum {})",
                    a.version, a.name, a.checksum, m.version, m.name, m.checksum
                ));
            }
            Some(_) => {}
        }
    }
    let newest_applied = applied.iter().map(|a| a.version).max();
    if let Some(top) = newest_applied {
        for m in known.iter().filter(|m| m.version < top) {
            if !applied.iter().any(|a| a.version == m.version) {
                return Err(format!("schema history skips V{}__{}", m.version, m.name));
            }
        }
    }
    Ok(())
}

/// Applies every migration of `known` newer than the history, in one IMMEDIATE
/// transaction (history table, schema changes and history rows together).
/// Returns how many were applied.
///
/// # Errors
///
/// [`Error::Busy`] when another connection holds the write lock past the busy
/// timeout; [`Error::NotALedger`] for a malformed or divergent history (found
/// under the lock); [`Error::MigrationFailed`] when a migration's SQL fails. On
/// any error the transaction is rolled back and the file is as it was.
pub(crate) fn run(conn: &mut Connection, path: &std::path::Path, known: &[Migration]) -> Result<usize> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let refuse = |reason: String| Error::NotALedger { path: path.to_path_buf(), reason, source: None };
    let applied = match history(&tx)? {
        Ok(h) => h.unwrap_or_default(),
        Err(reason) => return Err(refuse(reason)),
    };
    check_history(&applied, known).map_err(refuse)?;
    let newest = applied.iter().map(|a| a.version).max();
    let mut pending: Vec<&Migration> = known.iter().filter(|m| newest.is_none_or(|n| m.version > n)).collect();
    pending.sort_by_key(|m| m.version);
    if pending.is_empty() {
        return Ok(0);
    }
    tx.execute_batch(HISTORY_DDL)?;
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| Error::invalid("clock", e.to_string()))?;
    for m in &pending {
        let fail = |source: rusqlite::Error| Error::MigrationFailed {
            version: m.version,
            name: m.name.clone(),
            reason: source.to_string(),
            source: Some(source),
        };
        tx.execute_batch(&m.sql).map_err(fail)?;
        tx.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![m.version, m.name, now, m.checksum.to_string()],
        )
        .map_err(fail)?;
        if m.name == super::search::MIGRATION {
            // SQL cannot segment text: the revisions already there are indexed
            // here, in the same transaction.
            super::search::index_missing(&tx).map_err(|e| Error::MigrationFailed {
                version: m.version,
                name: m.name.clone(),
                reason: format!("indexing the existing revisions: {e}"),
                source: None,
            })?;
        }
        if m.name == super::search::REBUILD {
            // The index was emptied by the migration: the revisions it held
            // are indexed again here, in the same transaction.
            super::search::reindex(&tx).map_err(|e| Error::MigrationFailed {
                version: m.version,
                name: m.name.clone(),
                reason: format!("indexing the revisions again: {e}"),
                source: None,
            })?;
        }
        if m.name == super::events::MIGRATION {
            // The rows already there get the history's first event.
            super::events::genesis(&tx).map_err(|e| Error::MigrationFailed {
                version: m.version,
                name: m.name.clone(),
                reason: format!("recording the existing rows: {e}"),
                source: None,
            })?;
        }
    }
    tx.commit()?;
    Ok(pending.len())
}

/// One schema object as stored in `sqlite_schema`: type, name, table, SQL with
/// whitespace collapsed.
type Object = (String, String, String, String);

fn objects(conn: &Connection) -> rusqlite::Result<Vec<Object>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows = stmt.query_map([], |r| {
        let sql: String = r.get(3)?;
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, sql.split_whitespace().collect::<Vec<_>>().join(" ")))
    })?;
    rows.collect()
}

/// The schema objects `known` migrations up to `version` create, computed once
/// per migration list and version in a private in-memory database.
fn expected(known: &[Migration], version: i64) -> Result<std::sync::Arc<Vec<Object>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    /// Expected schemas by (version, checksum) of the migrations run.
    type Cache = Mutex<HashMap<Vec<(i64, u64)>, Arc<Vec<Object>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key: Vec<(i64, u64)> = known.iter().filter(|m| m.version <= version).map(|m| (m.version, m.checksum)).collect();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit);
    }
    let mut mem = Connection::open_in_memory()?;
    let mut list: Vec<Migration> = known.iter().filter(|m| m.version <= version).cloned().collect();
    list.sort_by_key(|m| m.version);
    run(&mut mem, std::path::Path::new(":memory:"), &list)?;
    let objs = Arc::new(objects(&mem)?);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, objs.clone());
    }
    Ok(objs)
}

/// Checks that the file holds every table and index the migrations up to
/// `version` create, each exactly as they create it, and no other index on those
/// tables (an index expression runs on every write to its table). Extra tables,
/// with their own indexes, are allowed: nothing of ours reads or writes them, and
/// triggers and views are refused elsewhere.
pub(crate) fn check_schema(
    conn: &Connection,
    known: &[Migration],
    version: i64,
) -> Result<std::result::Result<(), String>> {
    let want = expected(known, version)?;
    let have = objects(conn)?;
    for (kind, name, _, sql) in want.iter() {
        match have.iter().find(|(k, n, _, _)| k == kind && n == name) {
            None => return Ok(Err(format!("the schema lacks {kind} {name:?}"))),
            Some((_, _, _, s)) if s != sql => {
                return Ok(Err(format!("{kind} {name:?} is not defined as this build defines it")));
            }
            Some(_) => {}
        }
    }
    for (kind, name, table, _) in &have {
        let ours = |n: &str| want.iter().any(|(_, w, _, _)| w == n);
        if kind == "index" && ours(table) && !ours(name) {
            return Ok(Err(format!("unexpected index {name:?} on table {table:?}")));
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hardening of the one open path, seen from inside the connection.
    #[test]
    fn opened_connections_are_hardened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.ledger");
        for p in [None, Some(path.as_path())] {
            let conn = crate::storage::open(p, &crate::OpenOptions::default()).unwrap();
            // Extension loading is off, the SQL function included.
            let e = conn.query_row("SELECT load_extension('/nonexistent/evil.so')", [], |r| r.get::<_, i64>(0));
            assert!(e.unwrap_err().to_string().contains("not authorized"));
            let trusted: i64 = conn.query_row("PRAGMA trusted_schema", [], |r| r.get(0)).unwrap();
            assert_eq!(trusted, 0);
            // Defensive mode: the schema cannot be written directly.
            conn.execute_batch("PRAGMA writable_schema = ON").unwrap();
            let e = conn.execute("UPDATE sqlite_schema SET sql = sql WHERE name = 'claims'", []);
            let e = e.expect_err("defensive mode lets the schema be written");
            assert!(e.to_string().contains("may not be modified"), "{e}");
            // Triggers and views are off.
            assert!(!conn.db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER).unwrap());
            assert!(!conn.db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW).unwrap());
            assert!(conn.db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap());
            // Rolled-back pages never reach the WAL.
            if p.is_some() {
                let spill: i64 = conn.query_row("PRAGMA cache_spill", [], |r| r.get(0)).unwrap();
                assert_eq!(spill, 0);
            }
        }
    }

    #[test]
    fn histories_are_checked_against_the_known_migrations() {
        let known = embedded();
        let v1 = &known[0];
        let ok = Applied { version: v1.version, name: v1.name.clone(), checksum: v1.checksum };
        assert!(check_history(std::slice::from_ref(&ok), &known).is_ok());
        let other = Applied { checksum: v1.checksum ^ 1, ..ok.clone() };
        assert!(check_history(&[other], &known).unwrap_err().contains("diverges"));
        // A newer version than any known is left to the caller (IncompatibleSchema).
        let mut all: Vec<Applied> =
            known.iter().map(|m| Applied { version: m.version, name: m.name.clone(), checksum: m.checksum }).collect();
        all.push(Applied { version: 99, name: "future".into(), checksum: 1 });
        assert!(check_history(&all, &known).is_ok());
        // A gap below the newest applied is refused.
        let list: Vec<Migration> =
            ["V1__a.sql", "V2__b.sql", "V3__c.sql"].iter().map(|n| Migration::parse(n, "SELECT 1;").unwrap()).collect();
        let applied = |m: &Migration| Applied { version: m.version, name: m.name.clone(), checksum: m.checksum };
        assert!(check_history(&[applied(&list[0]), applied(&list[2])], &list).unwrap_err().contains("skips V2__b"));
        assert!(check_history(&[applied(&list[0]), applied(&list[1])], &list).is_ok());
    }
}
