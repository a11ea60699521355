//! The history of a ledger: the event log every write appends to, and its
//! verification.
//!
//! Every write of the library appends one event in its own transaction (what,
//! when, who, how many rows of each table, a digest of every row written), and
//! the events form a hash chain; `storage::events` holds the canonical forms and
//! the recording. This module reads the log ([`Ledger::log`]) and checks it
//! against the ledger's rows ([`Ledger::verify`]).
//!
//! **What `verify` finds**, in this order, naming the first problem:
//!
//! 1. the chain: an event edited (its hash no longer matches), removed, inserted
//!    or reordered (the next event's `prev_hash` no longer matches);
//! 2. each event's row list (`event_rows`) edited: its `rows_digest` or its
//!    counts no longer match;
//! 3. the logs that bundle imports kept, at every depth ([`Ledger::imported_logs`]):
//!    each chain recomputed from the zero hash, naming an edited event by its
//!    ID; the bundle's own log must end at the head its import event recorded,
//!    a nested log at a head an event of the ledger or of another imported log
//!    recorded. An import event of form 2 (written since schema V17) recorded
//!    in its hashed form each log it kept, with its head, depth and number of
//!    events ([`KeptLog`]): the logs stored under it must be exactly those, so
//!    a nested log deleted, cut, lengthened or added behind the library's back
//!    is named with the event; and an import event of form 2 in an imported
//!    log names the logs its ledger kept, whose heads the ledger must hold. A
//!    head that a form-1 event of an imported log recorded and that no bundle
//!    carried (a bundle written before logs travelled) is counted
//!    ([`Verification::uncarried_logs`]), not a problem;
//! 4. the rows: every row of every tracked table is digested again and compared
//!    with the newest digest the log holds for it: a row edited, added or
//!    deleted behind the library's back (with plain SQL, another program, a
//!    restored backup of one table) is named by table, row ID and UUID. Rows of
//!    the tables without an INTEGER PRIMARY KEY ([`tables_checked_by_content`])
//!    are matched by content, since SQLite may renumber their row IDs (`VACUUM`):
//!    a row no event recorded is named by its current row ID, a recorded row
//!    that is gone by the row ID and event that recorded it. The passage
//!    index rows an `index` event recorded (an article's revision indexed on
//!    demand) are checked the same way, edited or deleted; the index rows no
//!    event recorded (a source's, written with its revision) are not.
//!
//! ```
//! use claimledger::*;
//! # fn main() -> claimledger::Result<()> {
//! let mut ledger = Ledger::open_in_memory()?;
//! ledger.set_actor(Some("desk@example.org".into()));
//! let doc = ledger.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
//! ledger.add_revision(doc.id, NewRevision::new("Costs rose. Staff fell."))?;
//! let log = ledger.log()?;
//! assert_eq!(log.len(), 2);
//! assert_eq!(log[1].what, EventKind::AddRevision);
//! assert_eq!(log[1].actor.as_deref(), Some("desk@example.org"));
//! assert_eq!(log[1].prev_hash, log[0].hash);
//! assert!(ledger.verify()?.is_ok());
//! # Ok(()) }
//! ```

use crate::Result;
use crate::id::EventId;
use crate::ledger::Ledger;
use crate::model::EventKind;
use crate::storage::documents::ContentHash;
pub use crate::storage::events::KeptLog;
use crate::storage::events::{self, DELETED, StoredEvent};
use crate::storage::from_millis;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The tables whose rows the history digests (the ledger's records).
pub fn tracked_tables() -> &'static [&'static str] {
    events::TRACKED
}

/// The tables the history leaves out, each with the reason.
pub fn untracked_tables() -> &'static [(&'static str, &'static str)] {
    events::UNTRACKED
}

/// The tracked tables whose rows `verify` matches by content rather than by
/// row ID (they have no INTEGER PRIMARY KEY, so SQLite may renumber them).
pub fn tables_checked_by_content() -> &'static [&'static str] {
    events::BY_CONTENT
}

/// An event's row list as stored (table, row ID, digest) and its counts per table.
type EventRows = (Vec<(&'static str, i64, [u8; 32])>, BTreeMap<String, u64>);

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Its place in the chain (1 for the first event).
    pub seq: i64,
    /// Its ID.
    pub id: EventId,
    /// What was done.
    pub what: EventKind,
    /// Who did it, when the writer said so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// When (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    /// Rows written, per table.
    pub counts: BTreeMap<String, u64>,
    /// The digest of its rows' digests.
    pub rows_digest: ContentHash,
    /// The hash of the event before it (zeros for the first).
    pub prev_hash: ContentHash,
    /// Its hash: of `prev_hash` and its canonical form.
    pub hash: ContentHash,
    /// For a bundle import: the head hash of the bundle's own log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_head: Option<ContentHash>,
    /// For a bundle import: how many events of the bundle's log it kept (those
    /// the ledger did not hold already: all of them on a first import).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_events: Option<u64>,
    /// The version of its canonical form: 1, or 2 for a bundle import written
    /// since schema V17, whose hash also covers `kept`.
    pub form: i64,
    /// Form 2: the imported logs the import kept, each with its head, depth
    /// and number of events (what `verify` compares with the logs stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept: Option<Vec<KeptLog>>,
}

/// A log a bundle import brought: the bundle's own log, or one nested in it
/// (a log one of its events had imported, at any depth).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedLog {
    /// The event of this ledger's log whose import brought it (its `seq`).
    pub event: i64,
    /// 1 for the bundle's own log, 2 for a log one of its events had imported,
    /// and so on (the depth at which it arrived).
    pub depth: i64,
    /// Its head: the hash of its last event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<ContentHash>,
    /// Its events the ledger keeps, oldest first: from its first, or, for a
    /// log that continues one the ledger held already (a later bundle of the
    /// same ledger), from the first after those (its `prev_hash` is the hash of
    /// the event it continues).
    pub events: Vec<ForeignEvent>,
}

/// One event of an imported log, as its ledger wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForeignEvent {
    /// Its place in its chain.
    pub seq: i64,
    /// Its ID.
    pub id: EventId,
    /// What was done: the code as written (a newer build's kinds included).
    pub what: String,
    /// Who did it, when the writer said so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// When (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    /// Rows written in its ledger, per table.
    pub counts: BTreeMap<String, u64>,
    /// The digest of its rows' digests (rows of its own ledger).
    pub rows_digest: ContentHash,
    /// The hash of the event before it in its chain.
    pub prev_hash: ContentHash,
    /// Its hash.
    pub hash: ContentHash,
    /// For a bundle import: the head of the log it imported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_head: Option<ContentHash>,
    /// The version of its canonical form (1 or 2, as for [`Event::form`]).
    pub form: i64,
    /// Form 2: the imported logs its import kept in its own ledger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept: Option<Vec<KeptLog>>,
}

/// What [`Ledger::verify`] found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// Events checked (of the ledger's own log).
    pub events: u64,
    /// Imported logs checked, at every depth (a bundle's own log, the logs its
    /// events had imported, and so on).
    pub foreign_logs: u64,
    /// Events of those logs checked.
    pub foreign_events: u64,
    /// Heads of imported logs that no bundle carried (a log imported by a
    /// form-1 event of an imported log, from a bundle written before bundles
    /// carried nested logs): the chains behind them cannot be checked. Not a
    /// problem; said so that it is not silent. (A head a form-2 event recorded
    /// is never counted here: its ledger's bundles carried it, so its absence
    /// is a problem.)
    pub uncarried_logs: u64,
    /// Rows checked.
    pub rows: u64,
    /// The head of the chain (the newest event's hash), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<ContentHash>,
    /// The problems, the first one first (at most [`Verification::MAX_PROBLEMS`]).
    pub problems: Vec<Mismatch>,
}

impl Verification {
    /// How many problems are listed at most.
    pub const MAX_PROBLEMS: usize = 100;

    /// Whether everything matched.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing that does not match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The event concerned (its `seq`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<i64>,
    /// The table concerned, for a row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The row ID, for a row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<i64>,
    /// The row's UUID, when its table has one and the row exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// What is wrong.
    pub detail: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.table, self.row) {
            (Some(t), Some(r)) => {
                write!(f, "row {r} of {t}")?;
                if let Some(u) = &self.uuid {
                    write!(f, " ({u})")?;
                }
            }
            _ => {
                if let Some(e) = self.event {
                    write!(f, "event {e}")?;
                }
            }
        }
        write!(f, ": {}", self.detail)
    }
}

fn to_event(e: &StoredEvent, foreign: Option<u64>) -> Result<Event> {
    let hash = |v: &[u8]| ContentHash(<[u8; 32]>::try_from(v).unwrap_or([0; 32]));
    Ok(Event {
        seq: e.seq,
        id: EventId::from_uuid(e.body.uuid),
        what: e.body.what.parse()?,
        actor: e.body.actor.clone(),
        at: from_millis(e.body.created_at),
        counts: events::parse_counts(&e.body.counts).into_iter().collect(),
        rows_digest: ContentHash(e.body.rows_digest),
        prev_hash: hash(&e.prev_hash),
        hash: hash(&e.hash),
        foreign_head: e.body.foreign_head.map(ContentHash),
        foreign_events: foreign,
        form: e.body.form,
        kept: events::parse_kept(&e.body),
    })
}

impl Ledger {
    /// The logs bundle imports brought, at every depth, in the order they were
    /// kept (a log after the one holding the event that imported it).
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::formats::Scope;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut a = Ledger::open_in_memory()?;
    /// a.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
    /// let mut bundle = Vec::new();
    /// a.export_bundle(Scope::Ledger, &mut bundle)?;
    /// let mut b = Ledger::open_in_memory()?;
    /// b.import_bundle(&bundle[..])?;
    /// let mut again = Vec::new();
    /// b.export_bundle(Scope::Ledger, &mut again)?;
    /// let mut c = Ledger::open_in_memory()?;
    /// c.import_bundle(&again[..])?;
    /// // C keeps B's log, and A's log that B's import had brought.
    /// let logs = c.imported_logs()?;
    /// assert_eq!(logs.iter().map(|l| l.depth).collect::<Vec<_>>(), [1, 2]);
    /// assert_eq!(logs[1].head, Some(a.log()?[0].hash));
    /// assert!(c.verify()?.is_ok());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn imported_logs(&self) -> Result<Vec<ImportedLog>> {
        let hash = |v: &[u8]| ContentHash(to32(v));
        Ok(events::logs(self.conn())?
            .into_iter()
            .map(|l| ImportedLog {
                event: l.event,
                depth: l.depth,
                head: l.head().map(ContentHash),
                events: l
                    .events
                    .iter()
                    .map(|e| ForeignEvent {
                        seq: e.seq,
                        id: EventId::from_uuid(e.body.uuid),
                        what: e.body.what.clone(),
                        actor: e.body.actor.clone(),
                        at: from_millis(e.body.created_at),
                        counts: events::parse_counts(&e.body.counts).into_iter().collect(),
                        rows_digest: ContentHash(e.body.rows_digest),
                        prev_hash: hash(&e.prev_hash),
                        hash: hash(&e.hash),
                        foreign_head: e.body.foreign_head.map(ContentHash),
                        form: e.body.form,
                        kept: events::parse_kept(&e.body),
                    })
                    .collect(),
            })
            .collect())
    }

    /// The event log, oldest first.
    ///
    /// # Errors
    ///
    /// On a database failure; [`crate::Error::InvalidInput`] for an event whose kind
    /// this build does not know.
    pub fn log(&self) -> Result<Vec<Event>> {
        let mut out = Vec::new();
        for e in events::all(self.conn())? {
            let foreign = if e.body.foreign_head.is_some() {
                Some(events::foreign(self.conn(), e.seq)?.len() as u64)
            } else {
                None
            };
            out.push(to_event(&e, foreign)?);
        }
        Ok(out)
    }

    /// Checks the log against itself and the ledger's rows (see the module
    /// docs): the hash chain, each event's row list, the foreign chains of bundle
    /// imports, and every row of every tracked table against the newest digest
    /// the log holds for it.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// ledger.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
    /// let v = ledger.verify()?;
    /// assert!(v.is_ok());
    /// assert_eq!((v.events, v.rows), (1, 1));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// On a database failure only: what does not match is in
    /// [`Verification::problems`].
    pub fn verify(&self) -> Result<Verification> {
        let conn = self.conn();
        let mut problems = Vec::new();
        let push = |problems: &mut Vec<Mismatch>, m: Mismatch| {
            if problems.len() < Verification::MAX_PROBLEMS {
                problems.push(m);
            }
        };
        let event_problem =
            |seq: i64, detail: String| Mismatch { event: Some(seq), table: None, row: None, uuid: None, detail };

        // 1. The chain.
        let chain = events::all(conn)?;
        if let Some((i, why)) = events::check_chain(&chain) {
            let seq = chain.get(i).map(|e| e.seq).unwrap_or(0);
            push(&mut problems, event_problem(seq, why));
        }
        for e in &chain {
            if EventKind::from_code(&e.body.what).is_none() {
                push(&mut problems, event_problem(e.seq, format!("unknown kind {:?}", e.body.what)));
            }
        }

        // 2. Each event's rows, and the newest digest of every row.
        let known: HashMap<i64, &StoredEvent> = chain.iter().map(|e| (e.seq, e)).collect();
        let mut newest: HashMap<(&'static str, i64), (i64, [u8; 32])> = HashMap::new();
        let mut per_event: BTreeMap<i64, EventRows> = BTreeMap::new();
        let mut bad_rows: Vec<Mismatch> = Vec::new();
        events::all_rows(conn, |ev, table, row, digest| {
            let Some(t) = events::recorded(table) else {
                bad_rows.push(event_problem(ev, format!("its row list names {table:?}, which is not a tracked table")));
                return Ok(());
            };
            let entry = per_event.entry(ev).or_default();
            entry.0.push((t, row, digest));
            *entry.1.entry(t.to_string()).or_default() += 1;
            newest.insert((t, row), (ev, digest));
            Ok(())
        })?;
        for p in bad_rows {
            push(&mut problems, p);
        }
        for (seq, (rows, counts)) in &per_event {
            let Some(e) = known.get(seq) else {
                push(&mut problems, event_problem(*seq, "its row list is in the log but the event is not".into()));
                continue;
            };
            if events::rows_digest(rows.iter().map(|(t, r, d)| (*t, *r, d))) != e.body.rows_digest {
                push(&mut problems, event_problem(*seq, "its row list was edited (rows_digest differs)".into()));
            } else if events::parse_counts(&e.body.counts).into_iter().collect::<BTreeMap<_, _>>() != *counts {
                push(&mut problems, event_problem(*seq, "its counts do not match its row list".into()));
            }
        }
        for e in &chain {
            if !per_event.contains_key(&e.seq) && e.body.rows_digest != events::rows_digest([]) {
                push(&mut problems, event_problem(e.seq, "its row list was removed".into()));
            }
        }

        // 3. Imported logs, at every depth.
        let logs = events::logs(conn)?;
        let (foreign_logs, foreign_events, uncarried_logs) =
            check_foreign(&chain, &logs, &mut |m| push(&mut problems, m));

        // 4. The rows.
        let mut rows = 0u64;
        let mut missing: Vec<(&'static str, i64, i64)> = Vec::new();
        for &table in events::TRACKED {
            if events::BY_CONTENT.contains(&table) {
                rows += check_by_content(conn, table, &mut newest, &mut missing, &mut problems)?;
                continue;
            }
            let mut found: Vec<Mismatch> = Vec::new();
            events::each_row(conn, table, |row, digest| {
                rows += 1;
                let detail = match newest.remove(&(table, row)) {
                    None => "added behind the library's back (no event recorded it)".to_string(),
                    Some((ev, d)) if d == DELETED => format!("recorded as deleted by event {ev}, yet present"),
                    Some((ev, d)) if d != digest => format!("edited after event {ev} wrote it (its digest differs)"),
                    Some(_) => return Ok(()),
                };
                if found.len() < Verification::MAX_PROBLEMS {
                    found.push(Mismatch { event: None, table: Some(table.into()), row: Some(row), uuid: None, detail });
                }
                Ok(())
            })?;
            for mut m in found {
                m.uuid = m.row.and_then(|r| events::row_uuid(conn, table, r)).map(|u| u.hyphenated().to_string());
                push(&mut problems, m);
            }
        }
        rows += check_index(conn, &mut newest, &mut problems)?;
        let mut gone: Vec<(&'static str, i64, i64)> =
            newest.into_iter().filter(|(_, (_, d))| *d != DELETED).map(|((t, r), (ev, _))| (t, r, ev)).collect();
        gone.sort_unstable();
        missing.sort_unstable();
        // Rows an event wrote that are no longer there: matched by content
        // (`missing`, row ID as recorded) or by row ID (`gone`).
        let by_content = missing.into_iter().map(|(t, r, ev)| {
            (t, r, ev, format!("a row event {ev} wrote is missing: deleted or edited behind the library's back (row ID as recorded)"))
        });
        let by_row = gone
            .into_iter()
            .map(|(t, r, ev)| (t, r, ev, format!("deleted behind the library's back (event {ev} wrote it)")));
        for (t, r, ev, detail) in by_content.chain(by_row) {
            push(&mut problems, Mismatch { event: Some(ev), table: Some(t.into()), row: Some(r), uuid: None, detail });
        }

        Ok(Verification {
            events: chain.len() as u64,
            foreign_logs,
            foreign_events,
            uncarried_logs,
            rows,
            head: chain.last().map(|e| ContentHash(to32(&e.hash))),
            problems,
        })
    }
}

fn to32(v: &[u8]) -> [u8; 32] {
    <[u8; 32]>::try_from(v).unwrap_or([0; 32])
}

/// Step 3 of [`Ledger::verify`]: every imported log, at every depth. Each log's
/// chain is recomputed from the zero hash; a log the ledger's own import kept as
/// the bundle's log must end at the head that import recorded; every other log
/// must end at a head some event (of the ledger's log or of an imported log)
/// recorded; an event of the ledger's log that recorded a head must find it.
/// Returns (logs checked, their events, heads no bundle carried).
fn check_foreign(
    chain: &[StoredEvent],
    logs: &[events::ForeignLog],
    push: &mut impl FnMut(Mismatch),
) -> (u64, u64, u64) {
    let problem = |seq: i64, detail: String| Mismatch { event: Some(seq), table: None, row: None, uuid: None, detail };
    // Every event hash the ledger holds (its own log and every imported log)
    // and every head an event recorded.
    let mut present: HashMap<[u8; 32], i64> = chain.iter().map(|e| (to32(&e.hash), e.seq)).collect();
    let mut heads: HashSet<[u8; 32]> = chain.iter().filter_map(|e| e.body.foreign_head).collect();
    for l in logs {
        present.extend(l.events.iter().map(|e| (to32(&e.hash), e.seq)));
        heads.extend(l.events.iter().filter_map(|e| e.body.foreign_head));
    }
    let own: HashMap<i64, &StoredEvent> = chain.iter().map(|e| (e.seq, e)).collect();
    let mut events_checked = 0u64;
    for l in logs {
        events_checked += l.events.len() as u64;
        let what = if l.depth == 1 {
            "its imported log".to_string()
        } else {
            format!("a log nested in its import (depth {})", l.depth)
        };
        // A log kept from its first event, or from after the events the ledger
        // held already (its first event follows one held elsewhere).
        let base = match l.events.first() {
            Some(first) if first.seq > 1 => {
                let base = to32(&first.prev_hash);
                if present.get(&base) != Some(&(first.seq - 1)) {
                    push(problem(
                        l.event,
                        format!(
                            "{what} continues from an event the ledger does not hold (its events before {} are gone)",
                            first.seq
                        ),
                    ));
                    continue;
                }
                base
            }
            _ => [0; 32],
        };
        if let Some((i, why)) = events::check_chain_after(&l.events, base) {
            let e = &l.events[i];
            let name = format!("event {} ({}, {})", e.seq, EventId::from_uuid(e.body.uuid), e.body.what);
            push(problem(l.event, format!("{what}, {name}: {why}")));
            continue;
        }
        let Some(head) = l.head() else {
            push(problem(l.event, format!("{what} holds no event")));
            continue;
        };
        match own.get(&l.event) {
            None => push(problem(l.event, format!("{what} names an event that is not in the log"))),
            Some(e) if l.depth == 1 && e.body.foreign_head != Some(head) => {
                push(problem(l.event, "its imported log does not end at the head it recorded".into()))
            }
            Some(_) if !heads.contains(&head) => push(problem(
                l.event,
                format!("{what} ends at a head no event recorded: added or altered behind the library's back"),
            )),
            Some(_) => {}
        }
    }
    for e in chain {
        if e.body.foreign_head.is_some() && !logs.iter().any(|l| l.event == e.seq && l.depth == 1) {
            push(problem(e.seq, "its imported log is missing".into()));
        }
        if e.body.form != events::FORM_1 {
            check_kept(e, logs, push);
        }
    }
    // A form-2 import event of an imported log recorded the logs its ledger
    // kept; that ledger's bundles carried them all, so this ledger holds each
    // head (kept, or its own). Only form-1 events' heads may be uncarried.
    let mut uncarried: HashSet<[u8; 32]> = HashSet::new();
    for l in logs {
        for e in &l.events {
            if e.body.form == events::FORM_1 {
                uncarried.extend(e.body.foreign_head.filter(|h| !present.contains_key(h)));
                continue;
            }
            for k in events::parse_kept(&e.body).unwrap_or_default() {
                if !present.contains_key(&k.log.0) {
                    let name = format!("event {} ({}, {})", e.seq, EventId::from_uuid(e.body.uuid), e.body.what);
                    push(problem(
                        l.event,
                        format!(
                            "an imported log's {name} kept the log with head {} (depth {}, {} events), which the \
                             ledger does not hold: deleted behind the library's back",
                            k.log, k.depth, k.events
                        ),
                    ));
                }
            }
        }
    }
    (logs.len() as u64, events_checked, uncarried.len() as u64)
}

/// Part of step 3 of [`Ledger::verify`] for an import event of form 2: the
/// logs stored under it against those it recorded it kept (`kept`, covered by
/// its hash). Logs are matched by head; those left over are paired in order
/// (a log whose events were deleted or added ends elsewhere), and any left
/// then was deleted whole, or added.
fn check_kept(e: &StoredEvent, logs: &[events::ForeignLog], push: &mut impl FnMut(Mismatch)) {
    let problem = |detail: String| Mismatch { event: Some(e.seq), table: None, row: None, uuid: None, detail };
    let Some(kept) = events::parse_kept(&e.body) else {
        push(problem("its record of the logs it kept does not read".into()));
        return;
    };
    let describe = |head: Option<ContentHash>, depth: i64, n: u64| match head {
        Some(h) => format!("the log with head {h} (depth {depth}, {n} events)"),
        None => format!("a log with no event (depth {depth})"),
    };
    let mut stored: Vec<&events::ForeignLog> = logs.iter().filter(|l| l.event == e.seq).collect();
    let mut missing: Vec<&KeptLog> = Vec::new();
    for k in &kept {
        match stored.iter().position(|l| l.head() == Some(k.log.0)) {
            Some(i) => {
                let l = stored.remove(i);
                let n = l.events.len() as u64;
                if (l.depth, n) != (k.depth, k.events) {
                    push(problem(format!(
                        "{} it kept now holds {n} events at depth {}: altered behind the library's back",
                        describe(Some(k.log), k.depth, k.events),
                        l.depth
                    )));
                }
            }
            None => missing.push(k),
        }
    }
    let paired = missing.len().min(stored.len());
    for (k, l) in missing.iter().zip(&stored) {
        push(problem(format!(
            "{} it kept is now {}: events of it deleted, added or edited behind the library's back",
            describe(Some(k.log), k.depth, k.events),
            describe(l.head().map(ContentHash), l.depth, l.events.len() as u64)
        )));
    }
    for k in &missing[paired..] {
        push(problem(format!(
            "{} it kept is missing: deleted behind the library's back",
            describe(Some(k.log), k.depth, k.events)
        )));
    }
    for l in &stored[paired..] {
        push(problem(format!(
            "{} is stored under it, which it did not keep: added behind the library's back",
            describe(l.head().map(ContentHash), l.depth, l.events.len() as u64)
        )));
    }
}

/// Step 4 of [`Ledger::verify`] for the passage index rows `index` events
/// recorded ([`events::INDEX`]): each against the newest digest recorded for
/// it, edited or deleted named (rows no event recorded are not checked: a
/// source's index is written with its revision, unrecorded). Takes those
/// entries out of `newest`; returns the rows checked.
fn check_index(
    conn: &rusqlite::Connection,
    newest: &mut HashMap<(&'static str, i64), (i64, [u8; 32])>,
    problems: &mut Vec<Mismatch>,
) -> Result<u64> {
    let mut rows = 0u64;
    for &table in events::INDEX {
        let mut mine: Vec<(i64, i64, [u8; 32])> =
            newest.iter().filter(|((t, _), _)| *t == table).map(|((_, r), (ev, d))| (*r, *ev, *d)).collect();
        mine.sort_unstable();
        for (r, _, _) in &mine {
            newest.remove(&(table, *r));
        }
        let ids: Vec<i64> = mine.iter().map(|m| m.0).collect();
        let now = events::current_digests(conn, table, &ids)?;
        for ((row, ev, want), (_, got)) in mine.iter().zip(now) {
            let detail = if got == DELETED && *want != DELETED {
                format!("deleted behind the library's back (event {ev} wrote it)")
            } else if got != *want {
                format!("edited after event {ev} wrote it (its digest differs)")
            } else {
                rows += 1;
                continue;
            };
            rows += u64::from(got != DELETED);
            if problems.len() < Verification::MAX_PROBLEMS {
                problems.push(Mismatch {
                    event: Some(*ev),
                    table: Some(table.into()),
                    row: Some(*row),
                    uuid: None,
                    detail,
                });
            }
        }
    }
    Ok(rows)
}

/// Step 4 of [`Ledger::verify`] for a table of [`events::BY_CONTENT`]: its
/// rows against the newest digests recorded for it, as a multiset. Takes the
/// table's entries out of `newest`; pushes a problem for each row no event
/// recorded, and adds to `missing` each recorded row that is not there (table,
/// row ID as recorded, event). Returns the rows checked.
fn check_by_content(
    conn: &rusqlite::Connection,
    table: &'static str,
    newest: &mut HashMap<(&'static str, i64), (i64, [u8; 32])>,
    missing: &mut Vec<(&'static str, i64, i64)>,
    problems: &mut Vec<Mismatch>,
) -> Result<u64> {
    let mine: Vec<(&'static str, i64)> = newest.keys().filter(|(t, _)| *t == table).copied().collect();
    let mut recorded: HashMap<[u8; 32], Vec<(i64, i64)>> = HashMap::new();
    for key in mine {
        if let Some((ev, d)) = newest.remove(&key)
            && d != DELETED
        {
            recorded.entry(d).or_default().push((key.1, ev));
        }
    }
    let mut rows = 0u64;
    let mut found: Vec<Mismatch> = Vec::new();
    events::each_row(conn, table, |row, digest| {
        rows += 1;
        if recorded.get_mut(&digest).and_then(Vec::pop).is_none() && found.len() < Verification::MAX_PROBLEMS {
            found.push(Mismatch {
                event: None,
                table: Some(table.into()),
                row: Some(row),
                uuid: None,
                detail: "added or edited behind the library's back (no event recorded a row with its content)".into(),
            });
        }
        Ok(())
    })?;
    for m in found {
        if problems.len() < Verification::MAX_PROBLEMS {
            problems.push(m);
        }
    }
    missing.extend(recorded.into_values().flatten().map(|(row, ev)| (table, row, ev)));
    Ok(rows)
}
