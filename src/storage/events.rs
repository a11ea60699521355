//! The history: an append-only, hash-chained log of every write (tables
//! `events` and `event_rows` of schema V9, written since V12).
//!
//! # Design
//!
//! **What is recorded.** Every write of the library goes through one transaction
//! helper ([`crate::Ledger::write`] and its internal twin that names the event).
//! While the transaction runs, SQLite's update hook (installed once on the
//! connection, [`Recorder`]) notes the table and row ID of every row inserted,
//! updated or deleted in a tracked table ([`TRACKED`]). Before the transaction
//! commits, [`record`] digests those rows in bulk (consecutive row IDs read with
//! one range query) and appends one event: what was done ([`crate::EventKind`]),
//! when (Unix ms), by whom (the optional actor), how many rows of each table,
//! and one `event_rows` row per written row with its digest. A transaction that
//! writes no row appends no event; one that fails appends nothing, since the
//! event is part of it. Rows written by another connection, or with plain SQL
//! behind the library's back, pass no hook and get no digest: `verify` finds
//! them.
//!
//! **Which tables.** [`TRACKED`] lists the ledger's own records; [`UNTRACKED`]
//! the tables left out and why (the log itself; the passage index, derived from
//! the revisions' text and rebuilt from it; the schema history). A test holds
//! every table the migrations create to exactly one of the two lists. One
//! write records rows of untracked tables: indexing an article's revision on
//! demand ([`crate::Ledger::index_revision`], an `index` event), whose only
//! effect is its index rows ([`INDEX`]): it names them itself
//! (`Writer::note_index_rows`), they are digested and counted as any row, and
//! `verify` checks each against the digest recorded (not the index rows no
//! event recorded: a source's index, written with its revision).
//!
//! **Canonical row form** (the same for every table, so `verify` recomputes it
//! from the current row): SHA-256 of
//!
//! ```text
//! "claimledger row 1\0"  len(table) table
//! for each column, in the table's column order (`PRAGMA table_info`), whose value is not NULL:
//!     len(name) name  tag  value
//! ```
//!
//! where `len(x)` is the byte length as 8 bytes big-endian, the tag is one byte
//! (`i` integer, `r` real, `t` text, `b` blob) and the value is an integer as 8
//! bytes big-endian (two's complement), a real as its IEEE 754 bits big-endian,
//! text (UTF-8) and blobs as `len(x) x`. NULL columns are left out, so a later
//! migration adding a nullable column leaves every digest as it was. A deleted
//! row's digest is 32 zero bytes (the library deletes nothing today).
//!
//! **Row IDs.** `event_rows` names a row by its table and row ID. Every
//! tracked table but those in [`BY_CONTENT`] has an INTEGER PRIMARY KEY, so
//! its row ID is the row's key and survives `VACUUM`, backups and dumps. The
//! others (`citation_parts`, keyed by two columns) keep SQLite's implicit row
//! ID, which `VACUUM` may renumber: `verify` checks their rows as a set of
//! digests (content, key included) instead of row by row. The row ID
//! recorded for them is right when the event is written and serves only to
//! name a row. The library runs no `VACUUM` itself; one run by hand changes
//! no digest and no answer (`tests/history.rs`).
//!
//! **Canonical event form and the chain.** `rows_digest` is the SHA-256 of
//! `"claimledger rows 1\0"` followed by, for each row of the event in (table
//! name, row ID) order, `len(table) table  row_id (8 bytes BE)  digest`.
//! `counts` is a JSON object, table name to rows written, keys sorted. The
//! event's `hash` is the SHA-256 of
//!
//! ```text
//! prev_hash  "claimledger event 1\0"  uuid (16 bytes)  len(what) what
//! actor: 0x00, or 0x01 len(actor) actor   created_at (8 bytes BE)
//! len(counts) counts  rows_digest  foreign_head: 0x00, or 0x01 and its 32 bytes
//! ```
//!
//! and `prev_hash` is the previous event's `hash` (32 zero bytes for the first).
//! That is **form 1**, the form of every event written before V17 and of every
//! event but a bundle import since. **Form 2** (a bundle import written since
//! V17; `events.form` says which) is the same with `"claimledger event 2\0"`
//! in place of `"claimledger event 1\0"` and, at the end, `len(kept) kept`:
//! `kept` is a JSON array of the imported logs the import kept, in the order
//! they are stored, `{"log": head hash, "depth": 1 for the bundle's own log, 2
//! for a log nested in it, ..., "events": how many of its events were kept}`
//! ([`KeptLog`]). An event is always hashed by the form it was written in, so
//! every older event verifies as it did; a change to what the hash covers is a
//! new form.
//! Editing an event breaks its hash; removing or reordering events breaks the
//! next one's `prev_hash`; editing `event_rows` breaks `rows_digest`; editing,
//! adding or deleting a tracked row breaks the match between the row and the
//! newest digest recorded for it. Removing the newest events together with every
//! row they wrote cannot be told from the file alone: keep the head hash
//! (`claimledger log` prints it) where the ledger is published.
//!
//! **Ledgers from before the history** (schema V9 to V11, or older): the rows
//! they hold get one `genesis` event in the upgrade transaction ([`genesis`]):
//! the history vouches for them from the upgrade on, not before.
//!
//! **Foreign chains.** A bundle carries the exporting ledger's events
//! (without their row lists: those name the exporting ledger's rows), and every
//! log that ledger imported, at any depth. A merge checks each chain, keeps the
//! bundle's own log and each nested log whose head the ledger holds nowhere
//! (`foreign_logs`, one row per log with its depth and the local event that
//! brought it; `foreign_events`, its events), and appends one local
//! `bundle_import` event for the rows it wrote, whose canonical form holds the
//! bundle's head hash: the local chain covers the bundle's, whose import events
//! cover the logs they imported in turn, and `verify` re-checks every one. A
//! log is named by its head alone (any event with that hash ends the same
//! chain), so a log reached by two paths is kept once; of a log that
//! continues one the ledger holds, only the events after the held ones are
//! kept (its first kept event's `prev_hash` names the event it continues, and
//! `verify` checks the chain from there). The import event's form 2 records
//! what it kept, so a nested log removed, cut or added with plain SQL does not
//! match it. Under a form-1 import (written before V17) nothing says so:
//! removing a nested log whole there reads as a log no bundle carried
//! (`verify` counts those, as it counts the imports of bundles written before
//! logs travelled).
//!
//! **Cost.** One hook call per written row (a push on a vector), one SHA-256 per
//! row read back by range, one `event_rows` insert per row.

use crate::model::EventKind;
use crate::storage::documents::ContentHash;
use crate::{Error, EventId, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// The tables whose rows the history digests (the ledger's records).
pub const TRACKED: &[&str] = &[
    "documents",
    "revisions",
    "claims",
    "passages",
    "quotations",
    "redaction_reasons",
    "redactions",
    "citations",
    "derivations",
    "verdicts",
    "claim_parts",
    "citation_parts",
    "reanchorings",
    "anchor_moves",
    "evidence_items",
    "withdrawals",
];

/// The passage index tables whose rows an `index` event records: an
/// article's revision indexed on demand ([`crate::Ledger::index_revision`])
/// has its index as the event's only effect. They stay [`UNTRACKED`] (the
/// update hook does not note them: a source's index is derived with its
/// revision, in the same event, and rebuilt by migrations), so `verify`
/// checks only the rows an event recorded: edited or deleted, not added.
pub const INDEX: &[&str] = &["search_passages", "search_revisions"];

/// The tracked tables without an INTEGER PRIMARY KEY: their row IDs are
/// SQLite's own, which `VACUUM` may renumber (it does for such a table that
/// has no index) and a dump and reload does. `verify` matches their rows with
/// the digests the log holds by content, not by row ID; their canonical form
/// covers every column, their key included. A test holds every other tracked
/// table to an INTEGER PRIMARY KEY.
pub const BY_CONTENT: &[&str] = &["citation_parts"];

/// The tables the history leaves out, with the reason.
pub const UNTRACKED: &[(&str, &str)] = &[
    ("events", "the log itself (its own hash chain)"),
    ("event_rows", "the log itself (covered by each event's rows_digest)"),
    ("foreign_logs", "imported logs (each named by its head hash, which an event holds)"),
    ("foreign_events", "imported logs (their own hash chains, covered by the import event)"),
    ("refinery_schema_history", "the schema history (checked on every open)"),
    ("search_passages", "the passage index: derived from the revisions' text (an `index` event records its rows)"),
    ("search_revisions", "the passage index: derived from the revisions' text (an `index` event records its rows)"),
    ("search_fts", "the passage index: derived from the revisions' text"),
    ("search_fts_data", "the passage index: derived from the revisions' text"),
    ("search_fts_idx", "the passage index: derived from the revisions' text"),
    ("search_fts_docsize", "the passage index: derived from the revisions' text"),
    ("search_fts_config", "the passage index: derived from the revisions' text"),
];

/// The name of the migration after which [`genesis`] runs.
pub(crate) const MIGRATION: &str = "history";

/// The digest recorded for a deleted row.
pub const DELETED: [u8; 32] = [0; 32];

/// Notes the rows each write transaction touches, through SQLite's update hook.
#[derive(Clone, Default)]
pub(crate) struct Recorder {
    changes: Arc<Mutex<Vec<(u8, i64)>>>,
}

impl Recorder {
    /// Installs the hook on a connection that will write.
    pub(crate) fn install(conn: &mut Connection) -> Result<Recorder> {
        let rec = Recorder::default();
        let changes = rec.changes.clone();
        conn.update_hook(Some(move |_action, db: &str, table: &str, row: i64| {
            if db != "main" {
                return;
            }
            if let Some(i) = TRACKED.iter().position(|t| *t == table)
                && let Ok(mut c) = changes.lock()
            {
                c.push((u8::try_from(i).unwrap_or(u8::MAX), row));
            }
        }))?;
        Ok(rec)
    }

    /// Forgets what was noted (before a transaction starts).
    pub(crate) fn clear(&self) {
        if let Ok(mut c) = self.changes.lock() {
            c.clear();
        }
    }

    /// What was noted since the last [`Recorder::clear`].
    pub(crate) fn take(&self) -> Vec<(u8, i64)> {
        self.changes.lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default()
    }
}

/// The fields of an event that its hash covers, besides `prev_hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventBody {
    pub uuid: uuid::Uuid,
    pub what: String,
    pub actor: Option<String>,
    pub created_at: i64,
    pub counts: String,
    pub rows_digest: [u8; 32],
    pub foreign_head: Option<[u8; 32]>,
    /// The version of its canonical form: [`FORM_1`] or [`FORM_2`].
    pub form: i64,
    /// Form 2: the imported logs the event kept ([`KeptLog`]s), as the JSON
    /// its hash covers (`None` in form 1).
    pub kept: Option<String>,
}

/// The first canonical event form (every event written before V17, and every
/// event but a bundle import since).
pub const FORM_1: i64 = 1;
/// The second canonical event form: the first, followed by the imported logs
/// the event kept (every bundle import written since V17).
pub const FORM_2: i64 = 2;

/// One imported log a bundle import kept, as the import event's canonical form
/// (form 2) records it: `verify` compares it with the log as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeptLog {
    /// The log's head: the hash of its last event.
    pub log: ContentHash,
    /// 1 for the bundle's own log, 2 for a log one of its events had imported,
    /// and so on.
    pub depth: i64,
    /// How many of its events the import kept.
    pub events: u64,
}

/// The imported logs a form-2 event recorded (`None` for form 1, or when the
/// stored JSON does not read, which its hash then betrays).
pub(crate) fn parse_kept(body: &EventBody) -> Option<Vec<KeptLog>> {
    body.kept.as_deref().and_then(|k| serde_json::from_str(k).ok())
}

fn put_len(h: &mut Sha256, b: &[u8]) {
    h.update((b.len() as u64).to_be_bytes());
    h.update(b);
}

impl EventBody {
    /// The event's hash: SHA-256 of `prev_hash` and its canonical form.
    pub(crate) fn hash(&self, prev: &[u8; 32]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(prev);
        // Form 1 exactly as it always was; any other form names itself (a form
        // this build does not know cannot match).
        if self.form == FORM_1 {
            h.update(b"claimledger event 1\0");
        } else {
            h.update(format!("claimledger event {}\0", self.form).as_bytes());
        }
        h.update(self.uuid.as_bytes());
        put_len(&mut h, self.what.as_bytes());
        match &self.actor {
            None => h.update([0u8]),
            Some(a) => {
                h.update([1u8]);
                put_len(&mut h, a.as_bytes());
            }
        }
        h.update(self.created_at.to_be_bytes());
        put_len(&mut h, self.counts.as_bytes());
        h.update(self.rows_digest);
        match &self.foreign_head {
            None => h.update([0u8]),
            Some(f) => {
                h.update([1u8]);
                h.update(f);
            }
        }
        if self.form != FORM_1 {
            put_len(&mut h, self.kept.as_deref().unwrap_or_default().as_bytes());
        }
        h.finalize().into()
    }
}

/// The digest of an event's row list, given in (table, row ID) order.
pub(crate) fn rows_digest<'a>(rows: impl IntoIterator<Item = (&'a str, i64, &'a [u8; 32])>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"claimledger rows 1\0");
    for (table, row, digest) in rows {
        put_len(&mut h, table.as_bytes());
        h.update(row.to_be_bytes());
        h.update(digest);
    }
    h.finalize().into()
}

/// Reads rows of a table by row ID with their digests (the canonical row form).
struct TableReader<'c> {
    stmt: rusqlite::CachedStatement<'c>,
    names: Vec<String>,
    table: &'static str,
}

impl<'c> TableReader<'c> {
    fn new(conn: &'c Connection, table: &'static str, sql: &str) -> Result<TableReader<'c>> {
        let stmt = conn.prepare_cached(sql)?;
        let names = stmt.column_names().skip(1).map(|s| s.to_string()).collect();
        Ok(TableReader { stmt, names, table })
    }

    /// Calls `f(row_id, digest)` for each row the query returns.
    fn each(&mut self, params: impl rusqlite::Params, mut f: impl FnMut(i64, [u8; 32]) -> Result<()>) -> Result<()> {
        let (names, table) = (&self.names, self.table);
        let mut rows = self.stmt.query(params)?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let mut h = Sha256::new();
            h.update(b"claimledger row 1\0");
            put_len(&mut h, table.as_bytes());
            for (i, name) in names.iter().enumerate() {
                let v = r.get_ref(i + 1)?;
                if matches!(v, ValueRef::Null) {
                    continue;
                }
                put_len(&mut h, name.as_bytes());
                match v {
                    ValueRef::Null => {}
                    ValueRef::Integer(n) => {
                        h.update(b"i");
                        h.update(n.to_be_bytes());
                    }
                    ValueRef::Real(x) => {
                        h.update(b"r");
                        h.update(x.to_bits().to_be_bytes());
                    }
                    ValueRef::Text(t) => {
                        h.update(b"t");
                        put_len(&mut h, t);
                    }
                    ValueRef::Blob(b) => {
                        h.update(b"b");
                        put_len(&mut h, b);
                    }
                }
            }
            f(id, h.finalize().into())?;
        }
        Ok(())
    }
}

/// `SELECT rowid, * FROM table ...`; table names come from [`TRACKED`] only.
fn select(table: &str, tail: &str) -> String {
    format!("SELECT rowid, * FROM \"{table}\" {tail}")
}

/// The digests of the given rows of one table (sorted, distinct row IDs), read
/// by runs of consecutive IDs; a row that is gone gets [`DELETED`].
fn digest_rows(conn: &Connection, table: &'static str, ids: &[i64], out: &mut Vec<(i64, [u8; 32])>) -> Result<()> {
    let mut reader = TableReader::new(conn, table, &select(table, "WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid"))?;
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
            j += 1;
        }
        let (lo, hi) = (ids[i], ids[j]);
        let mut next = lo;
        reader.each(params![lo, hi], |id, d| {
            while next < id {
                out.push((next, DELETED));
                next += 1;
            }
            out.push((id, d));
            next = id + 1;
            Ok(())
        })?;
        while next <= hi {
            out.push((next, DELETED));
            next += 1;
        }
        i = j + 1;
    }
    Ok(())
}

/// The newest event's hash (32 zero bytes when there is none).
fn head(conn: &Connection) -> Result<[u8; 32]> {
    let h: Option<Vec<u8>> = conn
        .prepare_cached("SELECT hash FROM events ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(h.and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok()).unwrap_or([0; 32]))
}

/// What [`record`] appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recorded {
    /// The event's row ID (its place in the chain).
    pub seq: i64,
    /// The event's ID.
    pub id: EventId,
    /// Its hash.
    pub hash: [u8; 32],
}

/// Appends one event for the rows `changes` names (tracked-table index, row ID,
/// as [`Recorder`] notes them; an index past [`TRACKED`] names a table of
/// [`INDEX`]), in the caller's transaction. Nothing is written
/// when `changes` is empty and there is no foreign chain to record.
/// `force` appends an event even then (an import that wrote no row but brings
/// logs nested in one the ledger holds). `kept`, the imported logs a bundle
/// import keeps, makes the event's form 2 (its hash covers them); `None`
/// writes form 1, as every event was before V17.
pub(crate) fn record(
    tx: &Transaction<'_>,
    changes: Vec<(u8, i64)>,
    what: EventKind,
    actor: Option<&str>,
    foreign_head: Option<[u8; 32]>,
    kept: Option<&[KeptLog]>,
    force: bool,
) -> Result<Option<Recorded>> {
    if changes.is_empty() && foreign_head.is_none() && !force {
        return Ok(None);
    }
    let mut by_table: Vec<Vec<i64>> = vec![Vec::new(); TRACKED.len() + INDEX.len()];
    for (t, row) in changes {
        if let Some(v) = by_table.get_mut(usize::from(t)) {
            v.push(row);
        }
    }
    // (table, row, digest) in (table name, row ID) order.
    let name = |i: usize| TRACKED.get(i).or_else(|| INDEX.get(i - TRACKED.len())).copied().unwrap_or_default();
    let mut order: Vec<usize> = (0..by_table.len()).collect();
    order.sort_by_key(|&i| name(i));
    let mut rows: Vec<(&'static str, i64, [u8; 32])> = Vec::new();
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut digests = Vec::new();
    for i in order {
        let ids = &mut by_table[i];
        if ids.is_empty() {
            continue;
        }
        ids.sort_unstable();
        ids.dedup();
        digests.clear();
        let table = name(i);
        digest_rows(tx, table, ids, &mut digests)?;
        counts.insert(table, digests.len() as u64);
        rows.extend(digests.iter().map(|&(r, d)| (table, r, d)));
    }
    let body = EventBody {
        uuid: EventId::new().uuid(),
        what: what.code().to_string(),
        actor: actor.map(str::to_string),
        created_at: super::now_millis(),
        counts: super::to_json("event counts", &counts)?,
        rows_digest: rows_digest(rows.iter().map(|(t, r, d)| (*t, *r, d))),
        foreign_head,
        form: if kept.is_some() { FORM_2 } else { FORM_1 },
        kept: kept.map(|k| super::to_json("kept logs", k)).transpose()?,
    };
    let prev = head(tx)?;
    let hash = body.hash(&prev);
    // A form-1 event names only the columns that existed before V17: the
    // `genesis` event is written by the upgrade to V12.
    let sql = if body.form == FORM_1 {
        "INSERT INTO events (uuid, what, actor, created_at, counts, rows_digest, prev_hash, hash, foreign_head)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    } else {
        "INSERT INTO events (uuid, what, actor, created_at, counts, rows_digest, prev_hash, hash, foreign_head, form, kept)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    };
    let mut stmt = tx.prepare_cached(sql)?;
    let common = params![
        body.uuid.as_bytes().as_slice(),
        body.what,
        body.actor,
        body.created_at,
        body.counts,
        body.rows_digest.as_slice(),
        prev.as_slice(),
        hash.as_slice(),
        body.foreign_head.as_ref().map(|f| f.as_slice()),
    ];
    if body.form == FORM_1 {
        stmt.execute(common)?;
    } else {
        let mut all: Vec<&dyn rusqlite::ToSql> = common.to_vec();
        all.push(&body.form);
        all.push(&body.kept);
        stmt.execute(all.as_slice())?;
    }
    let seq = tx.last_insert_rowid();
    let mut ins =
        tx.prepare_cached("INSERT INTO event_rows (event_id, tbl, row_id, digest) VALUES (?1, ?2, ?3, ?4)")?;
    for (t, r, d) in &rows {
        ins.execute(params![seq, t, r, d.as_slice()])?;
    }
    Ok(Some(Recorded { seq, id: EventId::from_uuid(body.uuid), hash }))
}

/// The `genesis` event of a ledger upgraded to the history's schema: every row
/// of every tracked table (none on a new ledger, and then no event).
pub(crate) fn genesis(tx: &Transaction<'_>) -> Result<()> {
    let mut changes = Vec::new();
    for (i, t) in TRACKED.iter().enumerate() {
        let mut stmt = tx.prepare(&format!("SELECT rowid FROM \"{t}\" ORDER BY rowid"))?;
        let ids = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        for id in ids {
            changes.push((u8::try_from(i).unwrap_or(u8::MAX), id?));
        }
    }
    record(tx, changes, EventKind::Genesis, None, None, None, false).map(|_| ())
}

/// One event as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredEvent {
    pub seq: i64,
    pub body: EventBody,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

fn to32(v: &[u8]) -> [u8; 32] {
    hash32(v)
}

/// A stored 32-byte hash (zeros when the column holds another length, which
/// its CHECK forbids).
pub(crate) fn hash32(v: &[u8]) -> [u8; 32] {
    <[u8; 32]>::try_from(v).unwrap_or([0; 32])
}

/// Every event, in chain order.
pub(crate) fn all(conn: &Connection) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uuid, what, actor, created_at, counts, rows_digest, prev_hash, hash, foreign_head, form, kept
         FROM events ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| foreign_event(r, 0))?;
    rows.collect::<rusqlite::Result<_>>().map_err(Error::from)
}

/// An event from a row of `seq, uuid, what, actor, created_at, counts,
/// rows_digest, prev_hash, hash, foreign_head, form, kept` starting at column `at`.
fn foreign_event(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<StoredEvent> {
    let uuid: Vec<u8> = r.get(at + 1)?;
    let rows_digest: Vec<u8> = r.get(at + 6)?;
    let foreign: Option<Vec<u8>> = r.get(at + 9)?;
    Ok(StoredEvent {
        seq: r.get(at)?,
        body: EventBody {
            uuid: uuid::Uuid::from_slice(&uuid).unwrap_or_default(),
            what: r.get(at + 2)?,
            actor: r.get(at + 3)?,
            created_at: r.get(at + 4)?,
            counts: r.get(at + 5)?,
            rows_digest: to32(&rows_digest),
            foreign_head: foreign.as_deref().map(to32),
            form: r.get(at + 10)?,
            kept: r.get(at + 11)?,
        },
        prev_hash: r.get(at + 7)?,
        hash: r.get(at + 8)?,
    })
}

/// The events of the log a local event's import brought as the bundle's own
/// (depth 1), in their chain's order.
pub(crate) fn foreign(conn: &Connection, event: i64) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.seq, f.uuid, f.what, f.actor, f.created_at, f.counts, f.rows_digest, f.prev_hash, f.hash, f.foreign_head,
                f.form, f.kept
         FROM foreign_events f JOIN foreign_logs l ON l.id = f.log_id
         WHERE l.event_id = ?1 AND l.depth = 1 ORDER BY l.id, f.seq",
    )?;
    let rows = stmt.query_map([event], |r| foreign_event(r, 0))?;
    rows.collect::<rusqlite::Result<_>>().map_err(Error::from)
}

/// One imported log as kept (`foreign_logs` and its `foreign_events`).
#[derive(Debug, Clone)]
pub(crate) struct ForeignLog {
    /// The local event whose import brought it.
    pub event: i64,
    /// 1 for a bundle's own log, 2 for a log one of its events imported, ...
    pub depth: i64,
    /// Its events, in chain order.
    pub events: Vec<StoredEvent>,
}

impl ForeignLog {
    /// The hash of its last event (its head), if it has any.
    pub(crate) fn head(&self) -> Option<[u8; 32]> {
        self.events.last().map(|e| to32(&e.hash))
    }
}

/// Every imported log, in the order they were kept (a log comes after the one
/// holding the event that imported it, or after the local events).
pub(crate) fn logs(conn: &Connection) -> Result<Vec<ForeignLog>> {
    let mut out: Vec<ForeignLog> = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, event_id, depth FROM foreign_logs ORDER BY id")?;
    let heads = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?;
    let mut index: HashMap<i64, usize> = HashMap::new();
    for h in heads {
        let (id, event, depth) = h?;
        index.insert(id, out.len());
        out.push(ForeignLog { event, depth, events: Vec::new() });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT log_id, seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, hash, foreign_head, form, kept
         FROM foreign_events ORDER BY log_id, seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let log: i64 = r.get(0)?;
        let e = foreign_event(r, 1)?;
        match index.get(&log) {
            Some(&i) => out[i].events.push(e),
            // An event whose log row is gone: kept as a log of its own, with no
            // importing event, so that `verify` names it.
            None => {
                index.insert(log, out.len());
                out.push(ForeignLog { event: 0, depth: 0, events: vec![e] });
            }
        }
    }
    Ok(out)
}

/// The imported logs one import brings: the bundle's own log (when the ledger
/// does not hold its head yet) and the logs nested in it that the ledger does
/// not hold either, each with its depth, parents first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Imported {
    /// The bundle's own log, when new to the ledger.
    pub own: Option<Vec<StoredEvent>>,
    /// The nested logs to keep: (depth, events).
    pub nested: Vec<(i64, Vec<StoredEvent>)>,
}

impl Imported {
    /// What the import event records it kept (form 2): each log with events,
    /// the bundle's own first, in the order they are stored.
    pub(crate) fn kept(&self) -> Vec<KeptLog> {
        let own = self.own.iter().map(|c| (1, c));
        let nested = self.nested.iter().map(|(d, c)| (*d, c));
        own.chain(nested)
            .filter_map(|(depth, chain)| {
                let head = chain.last()?;
                Some(KeptLog { log: ContentHash(to32(&head.hash)), depth, events: chain.len() as u64 })
            })
            .collect()
    }
}

/// Whether the ledger holds an event with this hash, in its own log or in a
/// log an import kept.
pub(crate) fn known_hash(conn: &Connection, hash: &[u8; 32]) -> Result<bool> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM events WHERE hash = ?1) + (SELECT count(*) FROM foreign_events WHERE hash = ?1)",
        )?
        .query_row([hash.as_slice()], |r| r.get(0))?;
    Ok(n > 0)
}

/// Stores an imported log under the local event whose import brought it.
pub(crate) fn insert_foreign(tx: &Transaction<'_>, event: i64, depth: i64, chain: &[StoredEvent]) -> Result<()> {
    tx.prepare_cached("INSERT INTO foreign_logs (event_id, depth) VALUES (?1, ?2)")?.execute(params![event, depth])?;
    let log = tx.last_insert_rowid();
    let mut ins = tx.prepare_cached(
        "INSERT INTO foreign_events (log_id, seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, foreign_head, hash, form, kept)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for e in chain {
        let b = &e.body;
        ins.execute(params![
            log,
            e.seq,
            b.uuid.as_bytes().as_slice(),
            b.what,
            b.actor,
            b.created_at,
            b.counts,
            b.rows_digest.as_slice(),
            e.prev_hash,
            b.foreign_head.as_ref().map(|f| f.as_slice()),
            e.hash,
            b.form,
            b.kept,
        ])?;
    }
    Ok(())
}

/// Checks a chain of events: each `prev_hash` is the previous event's hash (32
/// zero bytes first) and each hash is recomputed. The first problem, as
/// (place in `chain`, description).
pub(crate) fn check_chain(chain: &[StoredEvent]) -> Option<(usize, String)> {
    check_chain_after(chain, [0u8; 32])
}

/// [`check_chain`] for a chain whose first event follows the event of hash
/// `prev` (a log kept from after the events a ledger held already).
pub(crate) fn check_chain_after(chain: &[StoredEvent], prev: [u8; 32]) -> Option<(usize, String)> {
    let mut prev = prev;
    for (i, e) in chain.iter().enumerate() {
        if e.prev_hash.as_slice() != prev {
            return Some((
                i,
                "does not follow the event before it (prev_hash differs): an event was removed, inserted or reordered"
                    .into(),
            ));
        }
        let h = e.body.hash(&prev);
        if e.hash.as_slice() != h {
            return Some((i, "does not match its hash: the event was edited".into()));
        }
        prev = h;
    }
    None
}

/// Every `event_rows` row: event, table, row ID, digest, in (event, table, row) order.
pub(crate) fn all_rows(conn: &Connection, mut f: impl FnMut(i64, &str, i64, [u8; 32]) -> Result<()>) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT event_id, tbl, row_id, digest FROM event_rows ORDER BY event_id, tbl, row_id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let d: Vec<u8> = r.get(3)?;
        let t = r.get_ref(1)?.as_str().map_err(|e| Error::Sqlite(rusqlite::Error::from(e)))?;
        f(r.get(0)?, t, r.get(2)?, to32(&d))?;
    }
    Ok(())
}

/// Calls `f(row_id, digest)` for every row of a tracked table, in row ID order.
pub(crate) fn each_row(
    conn: &Connection,
    table: &'static str,
    f: impl FnMut(i64, [u8; 32]) -> Result<()>,
) -> Result<()> {
    let mut reader = TableReader::new(conn, table, &select(table, "ORDER BY rowid"))?;
    reader.each([], f)
}

/// The UUID of a row of a tracked table, when the table has one (to name it).
pub(crate) fn row_uuid(conn: &Connection, table: &'static str, row: i64) -> Option<uuid::Uuid> {
    if table == "citation_parts" {
        return None;
    }
    conn.query_row(&format!("SELECT uuid FROM \"{table}\" WHERE rowid = ?1"), [row], |r| r.get::<_, Vec<u8>>(0))
        .ok()
        .and_then(|b| uuid::Uuid::from_slice(&b).ok())
}

/// The tracked table of a name, as its `'static` name.
pub(crate) fn tracked(name: &str) -> Option<&'static str> {
    TRACKED.iter().find(|t| **t == name).copied()
}

/// A table an event's row list may name ([`TRACKED`] or [`INDEX`]), as its
/// `'static` name.
pub(crate) fn recorded(name: &str) -> Option<&'static str> {
    tracked(name).or_else(|| INDEX.iter().find(|t| **t == name).copied())
}

/// The index (in the numbering [`record`] takes: [`TRACKED`], then [`INDEX`])
/// of a table of [`INDEX`].
pub(crate) fn index_table(name: &str) -> Option<u8> {
    let i = INDEX.iter().position(|t| *t == name)?;
    u8::try_from(TRACKED.len() + i).ok()
}

/// The digests of the given rows (sorted, distinct row IDs) of a table of
/// [`INDEX`] as they are now ([`DELETED`] for a row that is gone).
pub(crate) fn current_digests(conn: &Connection, table: &'static str, ids: &[i64]) -> Result<Vec<(i64, [u8; 32])>> {
    let mut out = Vec::new();
    digest_rows(conn, table, ids, &mut out)?;
    Ok(out)
}

/// Counts per table as stored (the JSON object of an event).
pub(crate) fn parse_counts(s: &str) -> HashMap<String, u64> {
    serde_json::from_str(s).unwrap_or_default()
}
