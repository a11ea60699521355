//! Concurrency: several processes write and read one ledger file at once.
//!
//! The test binary spawns itself as workers (the `worker` test, ignored in a
//! normal run, does the work when `CLAIMLEDGER_WORKER` names a role). Writers add
//! a claim and its citation in one transaction; readers check, on one snapshot,
//! that every writer's claims and citations are equally many and that no claim is
//! uncited, which a read of half a transaction would violate. The only error a
//! worker accepts is [`Error::Busy`], and only after the busy timeout; at the end
//! every write must be there.

mod common;

use claimledger::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WRITERS: usize = 4;
const READERS: usize = 2;
const OPS: usize = 150;
const BUSY_TIMEOUT: Duration = Duration::from_millis(150);
/// Rounds of simultaneous first opens.
const ROUNDS: usize = 8;
const ARTICLE: &str = "Article";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn options(read_only: bool) -> OpenOptions {
    OpenOptions { busy_timeout: BUSY_TIMEOUT, read_only, ..OpenOptions::default() }
}

/// Runs `f`, retrying on [`Error::Busy`] (which must come after the timeout) and
/// failing on any other error. Returns the value and how many Busy errors it met.
fn retry<T>(mut f: impl FnMut() -> Result<T>) -> (T, usize) {
    let mut busy = 0;
    loop {
        match f() {
            Ok(v) => return (v, busy),
            Err(e) if e.is_busy() => {
                // That Busy comes only after the timeout is tested without a clock by
                // `a_writer_waits_for_a_lock_released_within_its_busy_timeout`.
                busy += 1;
                assert!(busy < 200, "starved: {busy} Busy errors in a row");
            }
            Err(e) => panic!("unexpected error (only Busy is allowed): {e:?}"),
        }
    }
}

fn article_revision(l: &Ledger, w: usize) -> RevisionId {
    let doc = l.documents_titled(&format!("{ARTICLE} {w}")).unwrap().remove(0);
    l.latest_revision(doc.id).unwrap().unwrap().id
}

/// The worker processes' entry point (see the module docs).
#[test]
#[ignore = "a worker process of the concurrency tests"]
fn worker() {
    let path = PathBuf::from(env("CLAIMLEDGER_LEDGER"));
    match env("CLAIMLEDGER_WORKER").as_str() {
        "writer" => writer(&path, env("CLAIMLEDGER_WORKER_ID").parse().unwrap()),
        "reader" => reader(&path, env("CLAIMLEDGER_WORKER_ID") == "0"),
        "open" => {
            // Start together: sleep until the agreed instant.
            let at: u128 = env("CLAIMLEDGER_START_AT").parse().unwrap();
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros();
            std::thread::sleep(Duration::from_micros(at.saturating_sub(now) as u64));
            let (l, busy) = retry(|| Ledger::open_with(&path, &options(false)));
            assert_eq!(l.documents().unwrap().len(), 0);
            println!("busy={busy}");
        }
        other => panic!("unknown role {other}"),
    }
}

fn writer(path: &Path, w: usize) {
    let (mut l, mut busy) = retry(|| Ledger::open_with(path, &options(false)));
    let rev = article_revision(&l, w);
    let src = l.documents_titled("Source").unwrap().remove(0);
    let srev = l.latest_revision(src.id).unwrap().unwrap().id;
    let passage = l.passages(srev).unwrap().remove(0).id;
    for i in 0..OPS {
        let ((), b) = retry(|| {
            l.write(|tx| {
                let c = tx.add_claim(&NewClaim::new(Span::new(rev, i, i + 1)))?;
                // Hold the write lock a little, so that writers overlap.
                std::thread::sleep(Duration::from_micros((i % 4) as u64 * 300));
                tx.add_citation(&NewCitation::new(c.id, passage, Relation::Supports))?;
                Ok(())
            })
        });
        busy += b;
        if i % 50 == 49 {
            // Reopen now and then: the open path runs under contention too.
            drop(l);
            let (again, b) = retry(|| Ledger::open_with(path, &options(false)));
            l = again;
            busy += b;
        }
    }
    println!("busy={busy} ops={OPS}");
}

fn reader(path: &Path, read_only: bool) {
    let (mut l, mut busy) = retry(|| Ledger::open_with(path, &options(read_only)));
    let revs: Vec<RevisionId> = (0..WRITERS).map(|w| article_revision(&l, w)).collect();
    let mut last = [0usize; WRITERS];
    let mut reads = 0usize;
    // A watchdog against a hang (writers that never finish), not a speed check:
    // generous, since the whole run takes seconds even on a loaded machine.
    let deadline = Instant::now() + Duration::from_secs(900);
    loop {
        let (seen, b) = retry(|| {
            l.snapshot(|s| {
                let mut seen = Vec::new();
                for &rev in &revs {
                    let claims = s.claims(rev)?.len();
                    let citations = s.citations_of_revision(rev)?.len();
                    assert_eq!(claims, citations, "a snapshot shows half a transaction");
                    assert!(s.uncited_claims(rev)?.is_empty(), "a claim without its citation");
                    seen.push(claims);
                }
                Ok(seen)
            })
        });
        busy += b;
        // Outside a snapshot, each call sees the latest committed state.
        for &rev in &revs {
            let (uncited, b) = retry(|| l.uncited_claims(rev));
            busy += b;
            assert!(uncited.is_empty(), "a claim without its citation");
        }
        reads += 1;
        for (w, (&now, prev)) in seen.iter().zip(last.iter_mut()).enumerate() {
            assert!(now >= *prev, "writer {w}: {now} claims after {prev}: a committed write went missing");
            *prev = now;
        }
        if seen.iter().all(|&n| n == OPS) {
            break;
        }
        assert!(Instant::now() < deadline, "writers did not finish: {seen:?}");
    }
    println!("busy={busy} reads={reads}");
}

fn spawn(role: &str, id: usize, path: &Path) -> std::process::Child {
    spawn_at(role, id, path, 0)
}

/// Spawns a worker; an `open` worker waits until `start_at` (Unix microseconds).
fn spawn_at(role: &str, id: usize, path: &Path, start_at: u128) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "worker", "--ignored", "--nocapture", "--test-threads=1"])
        .env("CLAIMLEDGER_WORKER", role)
        .env("CLAIMLEDGER_WORKER_ID", id.to_string())
        .env("CLAIMLEDGER_LEDGER", path)
        .env("CLAIMLEDGER_START_AT", start_at.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a worker; returns its `key=value` figures.
fn finish(child: std::process::Child, what: &str) -> Vec<(String, usize)> {
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{what} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    // The harness prints "test worker ... " before the worker's own line.
    let line = stdout
        .lines()
        .find_map(|l| l.find("busy=").map(|i| &l[i..]))
        .unwrap_or_else(|| panic!("{what} printed no figures"));
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
        .collect()
}

fn figure(figures: &[(String, usize)], key: &str) -> usize {
    figures.iter().find(|(k, _)| k == key).map(|(_, v)| *v).unwrap_or(0)
}

#[test]
fn writers_and_readers_in_several_processes_lose_nothing_and_never_see_half_a_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ledger");
    {
        let mut l = Ledger::open(&path).unwrap();
        let src = l.add_document(NewDocument::new(DocumentKind::Report, "Source")).unwrap();
        let srev = l.add_revision(src.id, NewRevision::new("The harbour fees rose by a tenth in 2022.")).unwrap();
        l.add_passage(NewPassage::new(Span::new(srev.id, 0, 41))).unwrap();
        for w in 0..WRITERS {
            let d = l.add_document(NewDocument::new(DocumentKind::Article, format!("{ARTICLE} {w}"))).unwrap();
            l.add_revision(d.id, NewRevision::new("x".repeat(OPS + 1))).unwrap();
        }
    }
    let started = Instant::now();
    let readers: Vec<_> = (0..READERS).map(|r| spawn("reader", r, &path)).collect();
    let writers: Vec<_> = (0..WRITERS).map(|w| spawn("writer", w, &path)).collect();
    let mut busy = 0;
    let mut reads = 0;
    for (w, c) in writers.into_iter().enumerate() {
        let f = finish(c, &format!("writer {w}"));
        assert_eq!(figure(&f, "ops"), OPS);
        busy += figure(&f, "busy");
    }
    for (r, c) in readers.into_iter().enumerate() {
        let f = finish(c, &format!("reader {r}"));
        busy += figure(&f, "busy");
        reads += figure(&f, "reads");
    }
    // No lost write.
    let mut l = Ledger::open(&path).unwrap();
    let total = l
        .snapshot(|s| {
            let mut total = 0;
            for w in 0..WRITERS {
                let rev = article_revision(s, w);
                let claims = s.claims(rev)?;
                assert_eq!(claims.len(), OPS, "writer {w}");
                assert_eq!(s.citations_of_revision(rev)?.len(), OPS, "writer {w}");
                let starts: Vec<usize> = claims.iter().map(|c| c.span.start).collect();
                assert_eq!(starts, (0..OPS).collect::<Vec<_>>(), "writer {w}: every operation, once");
                total += claims.len();
            }
            Ok(total)
        })
        .unwrap();
    println!(
        "{WRITERS} writers x {OPS} transactions ({total} claims + {total} citations) and {READERS} readers ({reads} snapshot reads) in {:?}; {busy} Busy errors retried",
        started.elapsed()
    );
}

#[test]
fn concurrent_first_opens_of_a_new_file_create_one_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let mut busy = 0;
    for round in 0..ROUNDS {
        let path = dir.path().join(format!("fresh-{round}.ledger"));
        let at = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap()
            + Duration::from_millis(300))
        .as_micros();
        let children: Vec<_> = (0..4).map(|i| spawn_at("open", i, &path, at)).collect();
        for (i, c) in children.into_iter().enumerate() {
            busy += figure(&finish(c, &format!("opener {i} of round {round}")), "busy");
        }
        let conn = rusqlite::Connection::open(&path).unwrap();
        let (rows, distinct, newest): (i64, i64, i64) = conn
            .query_row("SELECT count(*), count(DISTINCT version), max(version) FROM refinery_schema_history", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(rows, distinct, "each migration applied once (numbers may have gaps)");
        assert_eq!(newest, supported_schema_version(), "every migration applied");
    }
    println!("{ROUNDS} rounds of 4 processes opening a new file at once: {busy} Busy errors retried");
}

#[test]
fn a_writer_blocked_past_the_busy_timeout_gets_a_typed_busy_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    let mut holder = Ledger::open(&path).unwrap();
    let doc = holder.add_document(NewDocument::new(DocumentKind::Report, "Held")).unwrap();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let p = path.clone();
    let other = std::thread::spawn(move || {
        locked_rx.recv().unwrap();
        let timeout = Duration::from_millis(200);
        let mut l =
            Ledger::open_with(&p, &OpenOptions { busy_timeout: timeout, read_only: false, ..OpenOptions::default() })
                .unwrap();
        let e = l.add_document(NewDocument::new(DocumentKind::Report, "Blocked")).unwrap_err();
        assert!(matches!(e, Error::Busy { .. }), "{e:?}");
        assert!(e.is_busy());
        // Readers are not blocked by the writer.
        assert_eq!(l.documents().unwrap().len(), 1);
        release_tx.send(()).unwrap();
        l
    });
    holder
        .write(|w| {
            w.add_revision(doc.id, &NewRevision::new("written while holding the lock"))?;
            locked_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            Ok(())
        })
        .unwrap();
    let mut l = other.join().unwrap();
    assert!(l.documents_titled("Blocked").unwrap().is_empty(), "the failed write left nothing");
    l.add_document(NewDocument::new(DocumentKind::Report, "Blocked")).unwrap();
    assert_eq!(l.documents().unwrap().len(), 2);
    assert_eq!(l.revisions(doc.id).unwrap().len(), 1);
}

/// The other half of the busy contract, without a clock: a writer blocked by
/// another's transaction waits (up to its busy timeout) instead of failing at
/// once, so a lock released within the timeout lets its write through.
#[test]
fn a_writer_waits_for_a_lock_released_within_its_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    let mut holder = Ledger::open(&path).unwrap();
    let doc = holder.add_document(NewDocument::new(DocumentKind::Report, "Held")).unwrap();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let (waiting_tx, waiting_rx) = std::sync::mpsc::channel();
    let p = path.clone();
    let other = std::thread::spawn(move || {
        locked_rx.recv().unwrap();
        // A timeout far longer than the hold below: only a hang reaches it.
        let mut l = Ledger::open_with(
            &p,
            &OpenOptions { busy_timeout: Duration::from_secs(120), read_only: false, ..OpenOptions::default() },
        )
        .unwrap();
        waiting_tx.send(()).unwrap();
        l.add_document(NewDocument::new(DocumentKind::Report, "Waited")).map(|_| ())
    });
    holder
        .write(|w| {
            w.add_revision(doc.id, &NewRevision::new("written while holding the lock"))?;
            locked_tx.send(()).unwrap();
            waiting_rx.recv().unwrap();
            // Hold the lock a little after the other writer has started: it must
            // be waiting, not failing, when the lock goes.
            std::thread::sleep(Duration::from_millis(300));
            Ok(())
        })
        .unwrap();
    other.join().unwrap().expect("the blocked writer waited for the lock instead of failing");
    assert_eq!(holder.documents_titled("Waited").unwrap().len(), 1);
}
