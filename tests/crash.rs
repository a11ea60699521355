//! Crash safety: bulk imports run in a child process (the `claimledger` binary)
//! and are killed with SIGKILL at seeded random moments. After every kill the
//! ledger must reopen, pass `PRAGMA integrity_check` and `foreign_key_check`, and
//! hold each import wholly or not at all.
//!
//! The import loop runs until 60 kills landed while the child ran and 20 of
//! them inside its write transaction (the child held the write lock right
//! before the kill, and its import is absent afterwards). Then `init` and
//! bundle imports (`import --format bundle`) are killed too.
//!
//! The seed is printed; set `CLAIMLEDGER_CRASH_SEED` to replay a run.

use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_claimledger");
/// Kills that must land while the child is still running.
const KILLS: usize = 60;
/// Of those, kills that must land inside the child's write transaction (the
/// import absent afterwards, though the child held the write lock right
/// before the kill): the case the test is about.
const KILLS_IN_WRITE: usize = 20;
/// The tables whose row counts make up a ledger's content.
const TABLES: [&str; 9] = [
    "documents",
    "revisions",
    "claims",
    "passages",
    "quotations",
    "redactions",
    "citations",
    "derivations",
    "redaction_reasons",
];
const REPORT_TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";
const ARTICLE_TITLE: &str = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";

/// splitmix64: a small seeded generator (no dependency needed).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A made-up report of about 2.2 MB: 2,000 footnotes, a `[Grand Jury]` label every
/// few paragraphs, page breaks.
fn large_source(labels: &mut usize) -> String {
    let words = [
        "the",
        "committee",
        "reviewed",
        "ledger",
        "entries",
        "for",
        "harbour",
        "works",
        "and",
        "found",
        "that",
        "several",
        "invoices",
        "lacked",
        "approval",
        "records",
        "while",
        "auditors",
        "noted",
        "delays",
        "in",
        "payment",
        "schedules",
        "across",
        "three",
        "fiscal",
        "years",
    ];
    let mut rng = Rng(7);
    let mut out = String::with_capacity(2_400_000);
    let notes = 2_000;
    for n in 1..=notes {
        for _ in 0..10 {
            let len = 8 + rng.below(14) as usize;
            for w in 0..len {
                let word = words[rng.below(words.len() as u64) as usize];
                if w == 0 {
                    let mut c = word.chars();
                    out.extend(c.next().map(|f| f.to_ascii_uppercase()));
                    out.push_str(c.as_str());
                } else {
                    out.push(' ');
                    out.push_str(word);
                }
            }
            out.push_str(". ");
        }
        out.push_str(&format!("See the annex.[^{n}]"));
        if n % 3 == 0 {
            out.push_str(" The witness told [Grand Jury] about the payments.");
            *labels += 1;
        }
        out.push_str("\n\n");
        if n % 40 == 0 {
            out.push('\x0c');
        }
    }
    out.push_str("Notes\n\n");
    for n in 1..=notes {
        out.push_str(&format!("[^{n}]: Annex entry {n}, ledger volume {}.\n", n % 17 + 1));
    }
    out
}

fn counts(conn: &Connection) -> BTreeMap<&'static str, i64> {
    TABLES
        .iter()
        .map(|t| {
            // Table names come from the constant list above.
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap();
            (*t, n)
        })
        .collect()
}

fn diff(after: &BTreeMap<&'static str, i64>, before: &BTreeMap<&'static str, i64>) -> BTreeMap<&'static str, i64> {
    after.iter().map(|(k, v)| (*k, v - before[k])).collect()
}

fn titled(conn: &Connection, title: &str) -> i64 {
    conn.query_row("SELECT count(*) FROM documents WHERE title = ?1", [title], |r| r.get(0)).unwrap()
}

fn remove_ledger(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

fn copy_ledger(from: &Path, to: &Path) {
    remove_ledger(to);
    std::fs::copy(from, to).unwrap();
}

fn run_ok(args: &[&std::ffi::OsStr]) -> Duration {
    let t = Instant::now();
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(out.status.success(), "{:?}: {}", args, String::from_utf8_lossy(&out.stderr));
    t.elapsed()
}

/// Reopens the ledger through the library, then checks it with SQLite.
fn check(path: &Path) -> Connection {
    // The library's open path must accept a crashed ledger (it recovers the WAL).
    drop(claimledger::Ledger::open(path).unwrap_or_else(|e| panic!("reopen after kill: {e}")));
    let conn = Connection::open(path).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok", "integrity_check");
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
    let bad: Vec<String> =
        stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
    assert!(bad.is_empty(), "foreign_key_check: {bad:?}");
    drop(stmt);
    conn
}

/// Whether another process holds the ledger's write lock right now: a plain
/// connection tries to take it without waiting (and gives it back at once).
/// The connection is closed before returning, so it never is the last one
/// open when the child dies (which would checkpoint the WAL in its place).
fn write_lock_held(path: &Path) -> bool {
    let Ok(conn) = Connection::open(path) else { return false };
    conn.busy_timeout(std::time::Duration::ZERO).unwrap();
    match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => {
            conn.execute_batch("ROLLBACK").unwrap();
            false
        }
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => true,
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseLocked => true,
        Err(e) => panic!("probing the write lock: {e}"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Source,
    Trace,
}

#[test]
fn killed_imports_leave_a_consistent_ledger() {
    let seed = std::env::var("CLAIMLEDGER_CRASH_SEED").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    println!("crash test seed: {seed} (replay with CLAIMLEDGER_CRASH_SEED={seed})");
    let mut rng = Rng(seed);

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let w = |name: &str, body: &str| {
        std::fs::write(d.join(name), body).unwrap();
        d.join(name)
    };
    let report = w("report.txt", claimledger::cli::sample::REPORT);
    let reds = w("report.redactions.json", claimledger::cli::sample::REPORT_REDACTIONS);
    let article = w("article.txt", claimledger::cli::sample::ARTICLE);
    let trace = w("article.trace.toml", claimledger::cli::sample::TRACE);
    let mut labels = 0;
    let big = w("large.txt", &large_source(&mut labels));
    let big_size = std::fs::metadata(&big).unwrap().len();

    // The base ledger: the sample report, as `demo` adds it.
    let base = d.join("base.ledger");
    run_ok(&[
        "add-source".as_ref(),
        base.as_os_str(),
        report.as_os_str(),
        "--redactions".as_ref(),
        reds.as_os_str(),
        "--title".as_ref(),
        REPORT_TITLE.as_ref(),
    ]);
    {
        let c = Connection::open(&base).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let base_counts = counts(&check(&base));

    // Reference runs, uninterrupted: what each import adds, and how long it takes.
    let work = d.join("work.ledger");
    let source_args = |title: &str| -> Vec<std::ffi::OsString> {
        vec!["add-source".into(), work.clone().into(), big.clone().into(), "--title".into(), title.into()]
    };
    let trace_args: Vec<std::ffi::OsString> = vec![
        "trace".into(),
        work.clone().into(),
        "--article".into(),
        article.clone().into(),
        "--trace".into(),
        trace.clone().into(),
    ];
    copy_ledger(&base, &work);
    let args = source_args("Large source reference");
    let source_time = run_ok(&args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>());
    let source_delta = diff(&counts(&check(&work)), &base_counts);
    copy_ledger(&base, &work);
    let trace_time = run_ok(&trace_args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>());
    let trace_delta = diff(&counts(&check(&work)), &base_counts);
    assert_eq!(source_delta["documents"], 1);
    assert_eq!(source_delta["redactions"], labels as i64);
    assert_eq!(source_delta["derivations"], 2_000);
    assert!(trace_delta["claims"] > 0 && trace_delta["citations"] > 0 && trace_delta["quotations"] > 0);
    println!(
        "large source: {big_size} bytes, {labels} labels, 2000 footnotes, import {source_time:?}; trace import {trace_time:?}"
    );

    // Kill loop. The ledger is reset to the base every few rounds; in between,
    // the next child opens a ledger left by a killed one (hot WAL recovery).
    let (mut kills, mut finished, mut rounds, mut in_write) = (0usize, 0usize, 0usize, 0usize);
    let (mut absent, mut present) = (BTreeMap::<&str, usize>::new(), BTreeMap::<&str, usize>::new());
    let mut sources_present: Vec<String> = Vec::new();
    let mut trace_present = false;
    copy_ledger(&base, &work);
    let started = Instant::now();
    while kills < KILLS || in_write < KILLS_IN_WRITE {
        rounds += 1;
        assert!(
            rounds < KILLS * 8,
            "after {rounds} rounds only {kills} kills landed while the child ran ({finished} finished first) and {in_write} inside a write transaction"
        );
        if rng.below(3) == 0 {
            copy_ledger(&base, &work);
            sources_present.clear();
            trace_present = false;
        }
        let op = if rng.below(2) == 0 { Op::Source } else { Op::Trace };
        let title = format!("Large source {rounds}");
        let args = match op {
            Op::Source => source_args(&title),
            Op::Trace => trace_args.clone(),
        };
        let full = match op {
            Op::Source => source_time,
            Op::Trace => trace_time,
        };
        // Anywhere from the start to a little past the measured duration.
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 * 11 / 10 + 1));
        let mut child = Command::new(BIN).args(&args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let locked = write_lock_held(&work);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if running {
            kills += 1;
        } else {
            finished += 1;
            assert!(status.success(), "{op:?} failed on its own: {status:?}");
        }

        let conn = check(&work);
        let now = counts(&conn);
        let name = match op {
            Op::Source => "source",
            Op::Trace => "trace",
        };
        match op {
            Op::Source => {
                let n = titled(&conn, &title);
                assert!(n <= 1);
                if n == 1 {
                    sources_present.push(title.clone());
                } else if locked && running {
                    in_write += 1;
                }
                *(if n == 1 { &mut present } else { &mut absent }).entry(name).or_default() += 1;
            }
            Op::Trace => {
                let n = titled(&conn, ARTICLE_TITLE);
                assert!(n <= 1);
                let was = trace_present;
                trace_present = n == 1;
                assert!(!was || trace_present, "a committed trace disappeared");
                // A trace already present makes the next import a no-op: only a
                // first import can be caught inside its write.
                if !was && !trace_present && locked && running {
                    in_write += 1;
                }
                *(if trace_present { &mut present } else { &mut absent }).entry(name).or_default() += 1;
            }
        }
        // Wholly present or wholly absent: every table holds exactly the base rows
        // plus the rows of the imports that are present.
        for t in TABLES {
            let want = base_counts[t]
                + sources_present.len() as i64 * source_delta[t]
                + if trace_present { trace_delta[t] } else { 0 };
            assert_eq!(now[t], want, "{t} after {op:?} killed at {delay:?} (round {rounds}, seed {seed})");
        }
        if let Some(last) = sources_present.last() {
            // A present source has all its redactions and footnotes.
            let (reds, notes): (i64, i64) = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM redactions x JOIN revisions r ON r.id = x.revision_id JOIN documents d ON d.id = r.document_id WHERE d.title = ?1),
                            (SELECT count(*) FROM passages p JOIN revisions r ON r.id = p.revision_id JOIN documents d ON d.id = r.document_id WHERE d.title = ?1 AND p.kind = 'footnote')",
                    [last],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!((reds, notes), (labels as i64, 2_000));
        }
    }
    println!(
        "{kills} kills survived in {rounds} rounds ({finished} children finished first, {in_write} kills inside a write transaction) in {:?}; outcomes absent {absent:?}, present {present:?}",
        started.elapsed()
    );
    assert!(in_write >= KILLS_IN_WRITE);

    first_open_kills(&mut rng, d);
    bundle_kills(&mut rng, d, &base, &base_counts, &big);
}

/// Kills `init` of a new file (the first open, which creates the schema): the
/// file is afterwards missing, empty, or a whole ledger, and opens either way.
fn first_open_kills(rng: &mut Rng, d: &Path) {
    let path = d.join("fresh.ledger");
    remove_ledger(&path);
    let took = run_ok(&["init".as_ref(), path.as_os_str()]);
    let (mut kills, mut rounds) = (0, 0);
    while kills < 20 {
        rounds += 1;
        assert!(rounds < 400, "init keeps finishing before the kill");
        remove_ledger(&path);
        let delay = Duration::from_micros(rng.below(took.as_micros() as u64 * 11 / 10 + 1));
        let mut child =
            Command::new(BIN).arg("init").arg(&path).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if path.exists() {
            let conn = check(&path);
            let docs: i64 = conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0)).unwrap();
            assert_eq!(docs, 0);
        }
    }
    println!("first open: {kills} kills survived in {rounds} rounds (init {took:?})");
}

/// Kills `import --format bundle` of a bundle exported from a ledger holding the
/// large source and the trace, into a fresh copy of the base ledger each round:
/// afterwards the ledger holds exactly the base rows or the base rows plus the
/// whole bundle.
fn bundle_kills(rng: &mut Rng, d: &Path, base: &Path, base_counts: &BTreeMap<&'static str, i64>, big: &Path) {
    let full = d.join("full.ledger");
    copy_ledger(base, &full);
    run_ok(&[
        "add-source".as_ref(),
        full.as_os_str(),
        big.as_os_str(),
        "--title".as_ref(),
        "Large source for the bundle".as_ref(),
    ]);
    let (article, trace) = (d.join("article.txt"), d.join("article.trace.toml"));
    run_ok(&[
        "trace".as_ref(),
        full.as_os_str(),
        "--article".as_ref(),
        article.as_os_str(),
        "--trace".as_ref(),
        trace.as_os_str(),
    ]);
    let bundle = d.join("full.bundle.jsonl");
    run_ok(&[
        "export".as_ref(),
        full.as_os_str(),
        "--format".as_ref(),
        "bundle".as_ref(),
        "--output".as_ref(),
        bundle.as_os_str(),
    ]);
    let work = d.join("bundle-work.ledger");
    copy_ledger(base, &work);
    let args = ["import".as_ref(), work.as_os_str(), "--format".as_ref(), "bundle".as_ref(), bundle.as_os_str()];
    let took = run_ok(&args);
    let with_bundle = counts(&check(&work));
    assert!(with_bundle["redactions"] > base_counts["redactions"], "the bundle adds the large source");
    let (mut kills, mut rounds, mut present) = (0, 0, 0);
    while kills < 20 {
        rounds += 1;
        assert!(rounds < 200, "bundle imports keep finishing before the kill");
        copy_ledger(base, &work);
        let delay = Duration::from_micros(rng.below(took.as_micros() as u64 * 11 / 10 + 1));
        let mut child = Command::new(BIN).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let now = counts(&check(&work));
        if now == with_bundle {
            present += 1;
        } else {
            assert_eq!(&now, base_counts, "bundle import killed at {delay:?}: neither absent nor whole");
        }
    }
    println!("bundle: {kills} kills survived in {rounds} rounds (import {took:?}); present after {present}");
}
