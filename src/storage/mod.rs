//! Storage: one open path, one transaction helper, one module per aggregate.
//!
//! # Design
//!
//! **Opening** goes through [`open`] and nothing else. The order matters:
//!
//! 1. open the file with SQLite's flags (never truncating, never deleting);
//! 2. harden the connection before it reads anything from the file: defensive mode
//!    on, `trusted_schema` off, extension loading off, so a crafted file cannot make
//!    its schema run functions;
//! 3. probe read-only: is it a SQLite database at all, is it ours (the
//!    `application_id` in the header, or an empty file), which schema version does
//!    it hold (a history this build knows, rows well formed), does it hold every
//!    table and index of that version as the migrations define them, and does it
//!    hold triggers or views (the schema has none)? A file that fails any of these
//!    is refused with a typed error and is not written to;
//! 4. only then set the write pragmas (`foreign_keys`, WAL, `synchronous=NORMAL`,
//!    `cache_spill` off so a rolled-back transaction never reaches the WAL)
//!    and run the migrations, all pending ones in one IMMEDIATE transaction
//!    ([`migrate`]);
//! 5. check the schema version once more.
//!
//! **Writing** goes through [`write()`]: an IMMEDIATE transaction (so a writer never
//! has to upgrade a read lock, the usual source of `SQLITE_BUSY` deadlocks in WAL
//! mode), a closure that gets `&Transaction`, commit on `Ok`, roll back on `Err` or
//! panic. Writers in the aggregate modules take `&Transaction`; readers take
//! `&Connection`. The raw connection never leaves this crate.
//!
//! **Aggregates**: each module (`documents`, `claims`, `passages`, `quotations`,
//! `redactions`, `citations`, `verdicts`) holds its record types and its SQL side by side;
//! `coverage` holds the aggregate queries that compute audit figures in SQL;
//! `search` the passage index (the one place storage calls the text engine: a
//! source revision is cut into passages when it is written).
//! Statements are prepared with `prepare_cached`; the inserts a bulk write
//! repeats (claims, passages, citations) are held by the writer for the whole
//! transaction ([`Hot`]), and the row IDs it wrote are remembered ([`RowCache`]),
//! so a bulk insert costs one bind and one `sqlite3_step` per row. No SQL is ever
//! built by formatting user input.

pub mod citations;
pub mod claims;
pub mod coverage;
pub mod documents;
pub(crate) mod events;
pub mod evidence;
pub mod parts;
pub mod passages;
pub mod quotations;
pub mod reanchors;
pub mod redactions;
pub(crate) mod search;
pub mod verdicts;

use crate::{Error, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) mod migrate;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// `PRAGMA application_id` of a ledger file ('CLGG').
pub const APPLICATION_ID: i64 = 0x434C_4747;

/// Options for opening a ledger.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// How long a writer waits for another connection's lock before
    /// [`Error::Busy`]. Default: 5 seconds.
    pub busy_timeout: Duration,
    /// Open without the right to write: no migrations, writes fail with
    /// [`Error::ReadOnly`]. Default: false.
    pub read_only: bool,
    /// Who writes, as the history records it (each event's `actor`). Default:
    /// none.
    pub actor: Option<String>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions { busy_timeout: Duration::from_secs(5), read_only: false, actor: None }
    }
}

/// The newest schema version this build knows (the last embedded migration).
pub fn supported_version() -> i64 {
    migrate::embedded().iter().map(|m| m.version).max().unwrap_or(0)
}

/// Opens (creating if needed) a ledger with the embedded migrations. `None` opens
/// a private in-memory ledger.
pub(crate) fn open(path: Option<&Path>, opts: &OpenOptions) -> Result<Connection> {
    open_with(path, opts, &migrate::embedded())
}

/// [`open`] with an explicit migration list (the embedded ones, or those plus
/// extra ones in tests).
///
/// SQLite does not call the busy handler everywhere: a file being created, having
/// its journal mode switched or its WAL recovered by another process can answer
/// `SQLITE_BUSY` at once. Opening is idempotent (a fresh connection, a read-only
/// probe, one IMMEDIATE migration transaction), so a Busy answer is retried until
/// the busy timeout has passed: [`Error::Busy`] only ever comes after it.
pub(crate) fn open_with(
    path: Option<&Path>,
    opts: &OpenOptions,
    migrations: &[migrate::Migration],
) -> Result<Connection> {
    let started = std::time::Instant::now();
    loop {
        match open_once(path, opts, migrations) {
            Err(e) if e.is_busy() && started.elapsed() < opts.busy_timeout => {
                std::thread::sleep(Duration::from_millis(2));
            }
            other => return other,
        }
    }
}

fn open_once(path: Option<&Path>, opts: &OpenOptions, migrations: &[migrate::Migration]) -> Result<Connection> {
    let display: PathBuf = path.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(":memory:"));
    let refuse =
        |reason: String, source: Option<rusqlite::Error>| Error::NotALedger { path: display.clone(), reason, source };

    let mut flags = OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_EXRESCODE;
    if opts.read_only {
        flags |= OpenFlags::SQLITE_OPEN_READ_ONLY;
    } else {
        flags |= OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = match path {
        Some(p) => {
            if p.is_dir() {
                return Err(refuse("is a directory".into(), None));
            }
            Connection::open_with_flags(p, flags).map_err(|e| classify(&display, e))?
        }
        None => Connection::open_in_memory_with_flags(flags)?,
    };

    // 2. Harden before reading anything the file controls: no schema functions,
    // no triggers, no views (the schema has none; a crafted file's would not run
    // even if one slipped past the probe), no extensions.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.busy_timeout(opts.busy_timeout)?;

    // 3. Probe, read-only.
    let objects: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(|e| classify(&display, e))?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| classify(&display, e))?;
    let supported = migrations.iter().map(|m| m.version).max().unwrap_or(0);
    let mut found = None;
    if objects > 0 {
        if app_id != APPLICATION_ID {
            return Err(refuse(format!("a SQLite database of another application (application_id {app_id})"), None));
        }
        let applied = match migrate::history(&conn).map_err(|e| match e {
            Error::Sqlite(s) => refuse("schema history is unreadable".into(), Some(s)),
            other => other,
        })? {
            Ok(Some(h)) if !h.is_empty() => h,
            Ok(_) => return Err(refuse("no schema history".into(), None)),
            Err(reason) => return Err(refuse(reason, None)),
        };
        let v = applied.iter().map(|a| a.version).max().unwrap_or(0);
        if v > supported {
            return Err(Error::IncompatibleSchema { found: v, supported });
        }
        migrate::check_history(&applied, migrations).map_err(|r| refuse(r, None))?;
        check_objects(&conn).map_err(|reason| refuse(reason, None))?;
        migrate::check_schema(&conn, migrations, v)?.map_err(|reason| refuse(reason, None))?;
        search::check_config(&conn)
            .map_err(|e| match e {
                Error::Sqlite(s) => refuse("the passage index is unreadable".into(), Some(s)),
                other => other,
            })?
            .map_err(|reason| refuse(reason, None))?;
        found = Some(v);
    }

    if opts.read_only {
        if objects == 0 {
            return Err(refuse("empty file (a read-only open cannot create a ledger)".into(), None));
        }
        if found != Some(supported) {
            return Err(Error::ReadOnly {
                reason: "the ledger needs a schema upgrade, which a read-only open cannot do".into(),
                source: None,
            });
        }
        conn.pragma_update(None, "query_only", true)?;
        return Ok(conn);
    }
    if path.is_some() && conn.is_readonly(rusqlite::MAIN_DB)? {
        return Err(Error::ReadOnly {
            reason: format!("{} cannot be written (open it read-only to read it)", display.display()),
            source: None,
        });
    }

    // 4. Write pragmas, then migrations.
    conn.pragma_update(None, "foreign_keys", true)?;
    if path.is_some() {
        let mode: String =
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| classify(&display, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::ReadOnly {
                reason: format!("could not switch to WAL (journal mode is {mode}); is the directory writable?"),
                source: None,
            });
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Keep a transaction's pages in memory until it commits: a write that
        // fails and rolls back then leaves the WAL byte for byte as it was (a
        // spilled page would stay there as an uncommitted, ignored frame).
        conn.pragma_update(None, "cache_spill", false)?;
    }
    if found != Some(supported) {
        // Re-reads the history under the write lock: another process may have
        // migrated the file since the probe.
        migrate::run(&mut conn, &display, migrations)?;
    }

    // 5. Check.
    match applied_version(&conn)? {
        Some(v) if v == supported => Ok(conn),
        found => Err(Error::IncompatibleSchema { found: found.unwrap_or(0), supported }),
    }
}

/// The newest applied migration (`None` without a history).
fn applied_version(conn: &Connection) -> Result<Option<i64>> {
    match migrate::history(conn)? {
        Ok(h) => Ok(h.and_then(|h| h.iter().map(|a| a.version).max())),
        Err(_) => Err(Error::Sqlite(rusqlite::Error::InvalidQuery)),
    }
}

/// Refuses files holding triggers or views (the schema has none): a crafted file
/// could use them to run code on our writes.
fn check_objects(conn: &Connection) -> std::result::Result<(), String> {
    let odd: Option<(String, String)> = conn
        .query_row("SELECT type, name FROM sqlite_schema WHERE type IN ('trigger', 'view') LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .map_err(|e| e.to_string())?;
    match odd {
        Some((kind, name)) => Err(format!("unexpected {kind} {name:?} in the schema")),
        None => Ok(()),
    }
}

fn classify(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            Error::NotALedger { path: path.to_path_buf(), reason: "not a SQLite database".into(), source: Some(e) }
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            Error::NotALedger { path: path.to_path_buf(), reason: "the database is corrupt".into(), source: Some(e) }
        }
        Some(ErrorCode::CannotOpen) => {
            Error::Io { path: path.to_path_buf(), source: std::io::Error::other(format!("cannot open: {e}")) }
        }
        _ => Error::from(e),
    }
}

/// Runs `f` in one IMMEDIATE transaction: committed when it returns `Ok`, rolled
/// back when it returns `Err` (or panics).
pub(crate) fn write<T>(conn: &mut Connection, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// Current time as stored: Unix milliseconds, UTC.
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Converts stored Unix milliseconds to a UTC date-time.
pub(crate) fn from_millis(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// Looks up the row ID of an entity by its UUID.
pub(crate) fn row_id<I: rusqlite::ToSql + std::fmt::Display>(
    conn: &Connection,
    entity: crate::Entity,
    id: &I,
) -> Result<i64> {
    use crate::Entity as E;
    let sql = match entity {
        E::Document => "SELECT id FROM documents WHERE uuid = ?1",
        E::Revision => "SELECT id FROM revisions WHERE uuid = ?1",
        E::Claim => "SELECT id FROM claims WHERE uuid = ?1",
        E::ClaimPart => "SELECT id FROM claim_parts WHERE uuid = ?1",
        E::Passage => "SELECT id FROM passages WHERE uuid = ?1",
        E::Quotation => "SELECT id FROM quotations WHERE uuid = ?1",
        E::Redaction => "SELECT id FROM redactions WHERE uuid = ?1",
        E::Citation => "SELECT id FROM citations WHERE uuid = ?1",
        E::Derivation => "SELECT id FROM derivations WHERE uuid = ?1",
        E::Verdict => "SELECT id FROM verdicts WHERE uuid = ?1",
        E::EvidenceItem => "SELECT id FROM evidence_items WHERE uuid = ?1",
        E::Withdrawal => "SELECT id FROM withdrawals WHERE uuid = ?1",
        _ => return Err(Error::not_found(entity, id)),
    };
    conn.prepare_cached(sql)?.query_row([id], |r| r.get(0)).optional()?.ok_or_else(|| Error::not_found(entity, id))
}

/// How many rows of an entity the ledger holds.
pub(crate) fn count_rows(conn: &Connection, entity: crate::Entity) -> Result<u64> {
    use crate::Entity as E;
    let sql = match entity {
        E::Document => "SELECT count(*) FROM documents",
        E::Revision => "SELECT count(*) FROM revisions",
        E::Claim => "SELECT count(*) FROM claims",
        E::ClaimPart => "SELECT count(*) FROM claim_parts",
        E::Passage => "SELECT count(*) FROM passages",
        E::Quotation => "SELECT count(*) FROM quotations",
        E::Redaction => "SELECT count(*) FROM redactions",
        E::Citation => "SELECT count(*) FROM citations",
        E::Derivation => "SELECT count(*) FROM derivations",
        E::Verdict => "SELECT count(*) FROM verdicts",
        E::RedactionReason => "SELECT count(*) FROM redaction_reasons",
        E::EvidenceItem => "SELECT count(*) FROM evidence_items",
        E::Withdrawal => "SELECT count(*) FROM withdrawals",
        _ => return Err(Error::invalid("entity", format!("{entity} is not stored in a table"))),
    };
    let n: i64 = conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Serializes a value to a JSON column.
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(what: &str, v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|source| Error::Json { what: what.to_string(), source })
}

/// Reads a JSON column.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|source| Error::Json { what: what.to_string(), source })
}

/// Texts of revisions already read in this transaction, with their indexes, so
/// bulk writes check spans and compute selectors without re-reading the text.
#[derive(Default)]
pub(crate) struct TextCache {
    map: std::collections::HashMap<crate::RevisionId, std::sync::Arc<CachedText>, IdHash>,
}

/// One cached revision text.
pub(crate) struct CachedText {
    /// Row ID of the revision.
    pub row: i64,
    /// The text with its code-point index.
    pub index: crate::CharIndex,
    /// Its pages.
    pub pages: crate::Pages,
}

impl CachedText {
    pub(crate) fn text(&self) -> &str {
        self.index.text()
    }

    /// Checks a span against the text.
    pub(crate) fn check(&self, start: usize, end: usize) -> Result<()> {
        crate::span::check_range(self.text(), start, end)
    }
}

impl TextCache {
    /// Remembers a revision text this transaction just wrote, so spans on it are
    /// checked without reading the text back.
    pub(crate) fn put(&mut self, id: crate::RevisionId, row: i64, text: std::sync::Arc<str>) {
        let pages = crate::Pages::new(&text);
        if self.map.len() > 64 {
            self.map.clear();
        }
        self.map.insert(id, std::sync::Arc::new(CachedText { row, index: crate::CharIndex::shared(text), pages }));
    }

    pub(crate) fn get(&mut self, conn: &Connection, id: crate::RevisionId) -> Result<std::sync::Arc<CachedText>> {
        if let Some(t) = self.map.get(&id) {
            return Ok(t.clone());
        }
        let (row, _, text) = documents::revision_text(conn, id)?;
        let pages = crate::Pages::new(&text);
        let entry = std::sync::Arc::new(CachedText { row, index: crate::CharIndex::shared(text), pages });
        if self.map.len() > 64 {
            self.map.clear();
        }
        self.map.insert(id, entry.clone());
        Ok(entry)
    }
}

/// Row IDs of claims and passages this transaction wrote or looked up, so bulk
/// writes (a claim, then its citations) resolve UUIDs without an index lookup each.
/// Dropped with the transaction; capped so a huge bulk load stays bounded.
#[derive(Default)]
pub(crate) struct RowCache {
    claims: std::collections::HashMap<crate::ClaimId, i64, IdHash>,
    passages: std::collections::HashMap<crate::PassageId, i64, IdHash>,
}

/// Entries kept per kind before the cache starts over (about 100 MB at the cap).
const ROW_CACHE_CAP: usize = 1 << 22;

impl RowCache {
    pub(crate) fn claim(&mut self, conn: &Connection, id: crate::ClaimId) -> Result<i64> {
        if let Some(&r) = self.claims.get(&id) {
            return Ok(r);
        }
        let r = row_id(conn, crate::Entity::Claim, &id)?;
        self.put_claim(id, r);
        Ok(r)
    }

    pub(crate) fn passage(&mut self, conn: &Connection, id: crate::PassageId) -> Result<i64> {
        if let Some(&r) = self.passages.get(&id) {
            return Ok(r);
        }
        let r = row_id(conn, crate::Entity::Passage, &id)?;
        self.put_passage(id, r);
        Ok(r)
    }

    pub(crate) fn put_claim(&mut self, id: crate::ClaimId, row: i64) {
        if self.claims.len() >= ROW_CACHE_CAP {
            self.claims.clear();
        }
        self.claims.insert(id, row);
    }

    pub(crate) fn put_passage(&mut self, id: crate::PassageId, row: i64) {
        if self.passages.len() >= ROW_CACHE_CAP {
            self.passages.clear();
        }
        self.passages.insert(id, row);
    }
}

/// A cheap hasher for the typed UUID keys of [`RowCache`]: UUIDv7 ends in random
/// bits, so folding the 16 bytes with one multiply spreads them well. (Keys come
/// from this process's own writes or lookups, not from untrusted bulk input.)
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHash;

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

/// The hasher built by [`IdHash`].
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(29) ^ u64::from_le_bytes(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
}

/// The inserts a bulk write repeats, prepared once per transaction and held, so
/// each row costs one bind and one step (no statement-cache lookup by SQL text).
pub(crate) struct Hot<'a> {
    tx: &'a Transaction<'a>,
    stmts: [Option<rusqlite::CachedStatement<'a>>; 3],
    /// The time of the row being written (Unix ms), read once with its ID.
    now: i64,
}

/// Which held insert.
#[derive(Clone, Copy)]
pub(crate) enum HotSql {
    Claim = 0,
    Passage = 1,
    Citation = 2,
}

impl<'a> Hot<'a> {
    pub(crate) fn new(tx: &'a Transaction<'a>) -> Hot<'a> {
        Hot { tx, stmts: [None, None, None], now: now_millis() }
    }

    /// The `created_at` of the row being written.
    pub(crate) fn now(&self) -> i64 {
        self.now
    }

    /// Sets the time of the rows written next.
    pub(crate) fn set_now(&mut self, ms: i64) {
        self.now = ms;
    }

    pub(crate) fn tx(&self) -> &'a Transaction<'a> {
        self.tx
    }

    /// The held statement, prepared on first use.
    pub(crate) fn stmt(&mut self, which: HotSql) -> Result<&mut rusqlite::Statement<'a>> {
        let sql = match which {
            HotSql::Claim => claims::INSERT,
            HotSql::Passage => passages::INSERT,
            HotSql::Citation => citations::INSERT,
        };
        let slot = &mut self.stmts[which as usize];
        if slot.is_none() {
            *slot = Some(self.tx.prepare_cached(sql)?);
        }
        slot.as_deref_mut().ok_or(Error::Sqlite(rusqlite::Error::InvalidQuery))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Ledger, OpenOptions};
    use rusqlite::Connection;
    use rusqlite::config::DbConfig;

    fn pragma(conn: &Connection, name: &str) -> String {
        conn.pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap()
    }

    fn hardened(conn: &Connection) -> [bool; 4] {
        [
            conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap(),
            conn.db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA).unwrap(),
            conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER).unwrap(),
            conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW).unwrap(),
        ]
    }

    /// The connection a file ledger works with, after open (and again after a
    /// reopen of an existing file): foreign keys enforced, WAL, synchronous
    /// NORMAL, no cache spill, hardened; foreign keys are enforced for real.
    #[test]
    fn pragmas_after_open_of_a_new_and_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ledger");
        for round in ["new", "existing"] {
            let ledger = Ledger::open(&path).unwrap();
            let c = ledger.conn();
            assert_eq!(pragma(c, "foreign_keys"), "1", "{round}");
            assert_eq!(pragma(c, "journal_mode"), "wal", "{round}");
            assert_eq!(pragma(c, "synchronous"), "1", "{round}: NORMAL");
            assert_eq!(pragma(c, "cache_spill"), "0", "{round}");
            assert_eq!(pragma(c, "query_only"), "0", "{round}");
            assert_eq!(pragma(c, "application_id"), super::APPLICATION_ID.to_string(), "{round}");
            assert_eq!(
                hardened(c),
                [true, false, false, false],
                "{round}: defensive, untrusted schema, no triggers, no views"
            );
            let e = c
                .execute(
                    "INSERT INTO citations (uuid, claim_id, passage_id, relation, created_at) VALUES (zeroblob(16), 999, 999, 'supports', 0)",
                    [],
                )
                .unwrap_err();
            assert!(e.to_string().contains("FOREIGN KEY constraint failed"), "{round}: {e}");
        }
    }

    #[test]
    fn pragmas_after_a_read_only_open_and_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ledger");
        drop(Ledger::open(&path).unwrap());
        let ro = Ledger::open_with(&path, &OpenOptions { read_only: true, ..OpenOptions::default() }).unwrap();
        assert_eq!(pragma(ro.conn(), "query_only"), "1");
        assert_eq!(hardened(ro.conn()), [true, false, false, false]);

        let mem = Ledger::open_in_memory().unwrap();
        assert_eq!(pragma(mem.conn(), "foreign_keys"), "1");
        assert_eq!(pragma(mem.conn(), "query_only"), "0");
        assert_eq!(hardened(mem.conn()), [true, false, false, false]);
    }
}
