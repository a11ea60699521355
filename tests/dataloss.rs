//! No silent data loss: a failed write leaves the ledger file AND its write-ahead
//! log byte for byte as they were (late failures in large imports included), and
//! an online backup taken while another connection writes is a consistent,
//! openable ledger.

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use common::file_digest;
use std::path::{Path, PathBuf};

const REPORT_TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Digests of the ledger file and of its WAL (the `-shm` index is not data).
fn state(path: &Path) -> (String, Option<String>) {
    let wal = sibling(path, "-wal");
    (file_digest(path), wal.exists().then(|| file_digest(&wal)))
}

fn sample_ledger(path: &Path) -> Ledger {
    let mut l = Ledger::open(path).unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, REPORT_TITLE), cli::sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(cli::sample::REPORT_REDACTIONS).unwrap());
    l.import_source(imp).unwrap();
    l
}

/// A made-up text of about `n` sentences.
fn long_text(n: usize) -> String {
    (0..n).map(|i| format!("Entry {i} of the harbour ledger was checked by the clerk on duty. ")).collect()
}

#[test]
fn failed_writes_leave_the_file_and_its_wal_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    let mut l = sample_ledger(&path);
    // Some committed frames in the WAL, as in real use.
    let memo = l.add_document(NewDocument::new(DocumentKind::Email, "Memo")).unwrap();
    let memo_rev = l.add_revision(memo.id, NewRevision::new("The ferry ran late twice in May.")).unwrap();
    let before = state(&path);
    assert!(before.1.is_some(), "the ledger has a WAL while open");
    let mut failures = 0;
    let mut check = |what: &str, r: Result<()>, l: &Ledger| {
        let e = r.expect_err(what);
        assert!(e.is_invalid_input() || e.is_not_found(), "{what}: {e:?}");
        assert_eq!(state(&path), before, "{what} changed the file or its WAL");
        assert_eq!(l.documents().unwrap().len(), 2, "{what}");
        failures += 1;
    };

    // A trace whose last citation names a passage the source does not have: the
    // article, its claims and the earlier citations were written, then rolled back.
    let mut trace = TraceFile::from_toml(cli::sample::TRACE).unwrap();
    let last = trace.claims.last_mut().unwrap();
    last.cites[0].exact = Some("words the report never uses anywhere".into());
    let r = l.import_trace(cli::sample::ARTICLE, &trace).map(|_| ());
    check("trace with a bad selector", r, &l);

    // The same, on a long article (several MB written before the failure).
    let mut article = long_text(40_000);
    article.push_str(cli::sample::ARTICLE);
    let r = l.import_trace(&article, &trace).map(|_| ());
    check("long trace with a bad selector", r, &l);

    // A source whose redaction file does not fit the text: refused before writing.
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "Bad redactions"), cli::sample::REPORT);
    imp.redactions = Redactions::StandOff(
        RedactionFile::from_json(r#"{"redactions":[{"start":5,"end":999999,"label":"Grand Jury"}]}"#).unwrap(),
    );
    check("source with a bad redaction file", l.import_source(imp).map(|_| ()), &l);

    // A large source whose redaction file lists one span twice: the text and the
    // redactions before it were written, then the duplicate failed.
    let text = format!("{}[Grand Jury] and more.", long_text(60_000));
    let start = text.chars().count() - "[Grand Jury] and more.".chars().count();
    let entry = format!(r#"{{"start":{start},"end":{},"exact":"[Grand Jury]","label":"Grand Jury"}}"#, start + 12);
    let json = format!(r#"{{"redactions":[{entry},{entry}]}}"#);
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "Duplicate redactions"), text);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(&json).unwrap());
    let r = l.import_source(imp).map(|_| ());
    let e = r.as_ref().unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
    check("large source with a duplicate redaction", r, &l);

    // Single writes and batches.
    check("claim past the text", l.add_claim(NewClaim::new(Span::new(memo_rev.id, 0, 999))).map(|_| ()), &l);
    let r = l.add_claims([NewClaim::new(Span::new(memo_rev.id, 0, 10)), NewClaim::new(Span::new(memo_rev.id, 4, 2))]);
    check("batch with a bad claim last", r.map(|_| ()), &l);
    let r = l.add_citation(NewCitation::new(ClaimId::new(), PassageId::new(), Relation::Supports)).map(|_| ());
    check("citation of nothing", r, &l);
    let r = l
        .register_redaction_reason(RedactionReason { scheme: "desk".into(), code: " ".into(), label: "x".into() }, &[])
        .map(|_| ());
    check("blank redaction reason", r, &l);
    let r = l.add_article(NewDocument::new(DocumentKind::Article, "  "), "Text.").map(|_| ());
    check("article without a title", r, &l);
    let r = l.write(|w| {
        let d = w.add_document(&NewDocument::new(DocumentKind::Report, "Rolled back"))?;
        w.add_revision(d.id, &NewRevision::new(long_text(20_000)))?;
        Err(Error::InvalidInput { field: "test".into(), reason: "the caller gives up".into() })
    });
    check("a caller's transaction that gives up", r, &l);
    println!("{failures} failed writes, each leaving the file and its WAL byte for byte");
    drop(l);

    // Through the CLI, as a separate process: exit code 2, nothing changed.
    let closed = state(&path);
    let d = dir.path();
    std::fs::write(d.join("article.txt"), cli::sample::ARTICLE).unwrap();
    std::fs::write(d.join("bad.trace.toml"), trace.to_toml().unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .arg("trace")
        .arg(&path)
        .args([
            "--article".as_ref(),
            d.join("article.txt").as_os_str(),
            "--trace".as_ref(),
            d.join("bad.trace.toml").as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(state(&path), closed, "the CLI's failed trace changed the ledger");
}

/// A closure given to `Ledger::write` that panics, after writing a document,
/// a large revision and a claim: the panic reaches the caller, and the file and
/// its WAL are byte for byte as before; the ledger stays usable.
#[test]
fn a_panicking_write_closure_rolls_back_and_leaves_the_file_and_its_wal_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    let mut l = sample_ledger(&path);
    let memo = l.add_document(NewDocument::new(DocumentKind::Email, "Memo")).unwrap();
    l.add_revision(memo.id, NewRevision::new("The ferry ran late twice in May.")).unwrap();
    let before = state(&path);
    assert!(before.1.is_some(), "the ledger has a WAL while open");
    let dump_before = common::dump(&l);

    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = l.write::<()>(|w| {
            let d = w.add_document(&NewDocument::new(DocumentKind::Report, "Never committed"))?;
            let r = w.add_revision(d.id, &NewRevision::new(long_text(20_000)))?;
            w.add_claim(&NewClaim::new(Span::new(r.id, 0, 10)))?;
            panic!("the caller's code fails half-way");
        });
    }));
    std::panic::set_hook(hook);
    let payload = caught.expect_err("the panic reaches the caller");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"the caller's code fails half-way"));

    assert_eq!(state(&path), before, "the panicking write changed the file or its WAL");
    assert_eq!(common::dump(&l), dump_before, "the panicking write left rows behind");
    assert!(l.documents_titled("Never committed").unwrap().is_empty());
    // The connection is not left inside a transaction: the next write commits.
    l.add_document(NewDocument::new(DocumentKind::Report, "After the panic")).unwrap();
    drop(l);
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.documents_titled("After the panic").unwrap().len(), 1);
    assert!(l.documents_titled("Never committed").unwrap().is_empty());
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.ledger");
    let (rev, passage) = {
        let mut l = sample_ledger(&path);
        // Several MB, so that the copy takes many pages.
        let big = l.add_document(NewDocument::new(DocumentKind::Report, "Big")).unwrap();
        l.add_revision(big.id, NewRevision::new(long_text(50_000))).unwrap();
        let d = l.add_document(NewDocument::new(DocumentKind::Article, "Live")).unwrap();
        let rev = l.add_revision(d.id, NewRevision::new("x".repeat(100_000))).unwrap().id;
        let p = l.passages(l.latest_revision(big.id).unwrap().unwrap().id).unwrap();
        let passage = match p.first() {
            Some(p) => p.id,
            None => {
                l.add_passage(NewPassage::new(Span::new(l.latest_revision(big.id).unwrap().unwrap().id, 0, 10)))
                    .unwrap()
                    .id
            }
        };
        (rev, passage)
    };
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let committed = std::sync::Arc::new(AtomicUsize::new(0));
    let writer = {
        let (path, stop, committed) = (path.clone(), stop.clone(), committed.clone());
        std::thread::spawn(move || {
            let mut l = Ledger::open(&path).unwrap();
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) && n < 50_000 {
                l.write(|w| {
                    let c = w.add_claim(&NewClaim::new(Span::new(rev, n, n + 1)))?;
                    w.add_citation(&NewCitation::new(c.id, passage, Relation::Supports))?;
                    Ok(())
                })
                .unwrap();
                n += 1;
                committed.store(n, Ordering::Release);
            }
            n
        })
    };
    // Back up from a second connection three times, each after the writer has
    // committed more (no sleep: progress, not time, decides).
    let reader = Ledger::open(&path).unwrap();
    let mut copies = Vec::new();
    for i in 0..3 {
        let target = (i + 1) * 20;
        while committed.load(Ordering::Acquire) < target {
            assert!(!writer.is_finished(), "the writer stopped before {target} transactions");
            std::thread::yield_now();
        }
        let dest = dir.path().join(format!("copy-{i}.ledger"));
        reader.backup_to(&dest).unwrap();
        copies.push((dest, target));
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written >= 60);
    for (dest, at_least) in &copies {
        let conn = rusqlite::Connection::open(dest).unwrap();
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
        drop(conn);
        let mut copy = Ledger::open(dest).unwrap();
        let (claims, citations, uncited) = copy
            .snapshot(|s| Ok((s.claims(rev)?.len(), s.citations_of_revision(rev)?.len(), s.uncited_claims(rev)?.len())))
            .unwrap();
        assert_eq!((claims, uncited), (citations, 0), "the copy holds whole transactions only");
        assert!(claims <= written);
        assert!(claims >= *at_least, "the copy was taken after {at_least} commits, and holds {claims}");
        assert_eq!(copy.documents().unwrap().len(), 3);
        println!("backup {}: {claims} of the writer's {written} transactions", dest.display());
    }
}
