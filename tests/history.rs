//! The history: every write path appends one hash-chained event in its own
//! transaction; `verify` finds rows, events and row lists changed behind the
//! library's back (edited here with plain rusqlite), and `log` lists the events.

use claimledger::cli::sample;
use claimledger::history::{Mismatch, Verification};
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use rusqlite::Connection;
use std::path::Path;
use std::process::{Command, Output};

const TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";

fn sample_import() -> SourceImport {
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, TITLE), sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).unwrap());
    imp
}

/// The sample imported and traced into a ledger file.
fn traced_file(path: &Path) -> Ledger {
    let options = OpenOptions { actor: Some("desk@example.org".into()), ..OpenOptions::default() };
    let mut l = Ledger::open_with(path, &options).unwrap();
    l.import_source(sample_import()).unwrap();
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    l.import_trace(sample::ARTICLE, &trace).unwrap();
    l
}

/// Runs SQL on the file with a plain connection (no library, no hook).
fn tamper(path: &Path, sql: &str) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(sql).unwrap();
}

fn first(v: &Verification) -> &Mismatch {
    v.problems.first().unwrap_or_else(|| panic!("verify found nothing: {v:?}"))
}

fn count(path: &Path, sql: &str) -> i64 {
    Connection::open(path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn each_write_path_appends_one_chained_event_with_its_actor_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.ledger");
    let l = traced_file(&path);
    let log = l.log().unwrap();
    let what: Vec<EventKind> = log.iter().map(|e| e.what).collect();
    assert_eq!(what, [EventKind::ImportSource, EventKind::Trace]);
    assert!(log.iter().all(|e| e.actor.as_deref() == Some("desk@example.org")));
    assert_eq!(log[0].seq, 1);
    assert_eq!(log[0].prev_hash, ContentHash([0; 32]));
    assert_eq!(log[1].prev_hash, log[0].hash);
    // Counts are the rows each event wrote, per table, as the ledger holds them.
    let passages = count(&path, "SELECT count(*) FROM passages") as u64;
    let redactions = count(&path, "SELECT count(*) FROM redactions") as u64;
    let claims = count(&path, "SELECT count(*) FROM claims") as u64;
    let citations = count(&path, "SELECT count(*) FROM citations") as u64;
    assert_eq!(log[0].counts.get("revisions"), Some(&1));
    assert_eq!(log[0].counts.get("documents"), Some(&1));
    assert_eq!(log[0].counts.get("redactions"), Some(&redactions));
    assert!(log[0].counts.get("passages").is_some_and(|n| *n > 0 && *n < passages), "{:?}", log[0].counts);
    assert_eq!(log[1].counts.get("claims"), Some(&claims));
    assert_eq!(log[1].counts.get("citations"), Some(&citations));
    assert_eq!(log[0].counts.get("passages").unwrap() + log[1].counts.get("passages").unwrap(), passages);
    // One digest per written row.
    let listed = count(&path, "SELECT count(*) FROM event_rows") as u64;
    assert_eq!(listed, log.iter().map(|e| e.counts.values().sum::<u64>()).sum::<u64>());
    let v = l.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.events, 2);
    assert_eq!(v.head, Some(log[1].hash));
    assert!(v.rows > 40, "{}", v.rows);
}

#[test]
fn single_record_writes_and_verdicts_have_their_own_kinds_and_an_update_is_recorded() {
    let mut l = Ledger::open_in_memory().unwrap();
    let doc = l.add_document(NewDocument::new(DocumentKind::Report, "R")).unwrap();
    let rev = l.add_revision(doc.id, NewRevision::new("Fares rose. Crews left.")).unwrap();
    // The same text again writes nothing, so it appends no event.
    l.add_revision(doc.id, NewRevision::new("Fares rose. Crews left.")).unwrap();
    let art = l.add_document(NewDocument::new(DocumentKind::Article, "A")).unwrap();
    let arev = l.add_revision(art.id, NewRevision::new("Fares went up.")).unwrap();
    let p = l.add_passage(NewPassage::new(Span::new(rev.id, 0, 11))).unwrap();
    let c = l.add_claim(NewClaim::new(Span::new(arev.id, 0, 14))).unwrap();
    // The citation raises the claim's evidence class (an UPDATE of the claim):
    // the event records the claim's new digest with the citation.
    l.add_citation(NewCitation::new(c.id, p.id, Relation::Supports)).unwrap();
    l.add_verdict(NewVerdict::new(c.id, "True")).unwrap();
    l.write(|w| w.set_exemption(c.id, None)).unwrap();
    let log = l.log().unwrap();
    let what: Vec<EventKind> = log.iter().map(|e| e.what).collect();
    assert_eq!(
        what,
        [
            EventKind::AddDocument,
            EventKind::AddRevision,
            EventKind::AddDocument,
            EventKind::AddRevision,
            EventKind::AddPassage,
            EventKind::AddClaims,
            EventKind::AddCitations,
            EventKind::Verdict,
            EventKind::Write,
        ]
    );
    assert_eq!(log[6].counts.get("citations"), Some(&1));
    assert_eq!(log[6].counts.get("claims"), Some(&1), "the claim's evidence class, raised by the citation");
    assert_eq!(log[8].counts.get("claims"), Some(&1), "set_exemption updates the claim");
    assert!(log.iter().all(|e| e.actor.is_none()));
    assert!(l.verify().unwrap().is_ok());
}

#[test]
fn a_failed_write_appends_nothing() {
    let mut l = Ledger::open_in_memory().unwrap();
    let doc = l.add_document(NewDocument::new(DocumentKind::Article, "A")).unwrap();
    let rev = l.add_revision(doc.id, NewRevision::new("One. Two.")).unwrap();
    let before = l.log().unwrap();
    let err = l
        .write(|w| {
            w.add_claim(&NewClaim::new(Span::new(rev.id, 0, 4)))?;
            w.add_claim(&NewClaim::new(Span::new(rev.id, 5, 99)))
        })
        .unwrap_err();
    assert!(err.is_invalid_span());
    assert_eq!(l.log().unwrap(), before);
    // The rows the failed write noted do not leak into the next event.
    l.add_claim(NewClaim::new(Span::new(rev.id, 5, 9))).unwrap();
    let log = l.log().unwrap();
    assert_eq!(log.len(), before.len() + 1);
    assert_eq!(log.last().unwrap().counts.get("claims"), Some(&1));
    assert!(l.verify().unwrap().is_ok());
}

#[test]
fn a_row_edited_with_plain_sql_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.ledger");
    drop(traced_file(&path));
    let (row, uuid): (i64, Vec<u8>) = Connection::open(&path)
        .unwrap()
        .query_row("SELECT id, uuid FROM passages ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    tamper(&path, &format!("UPDATE passages SET exact = 'something else' WHERE id = {row}"));
    let l = Ledger::open(&path).unwrap();
    let v = l.verify().unwrap();
    let m = first(&v);
    assert_eq!((m.table.as_deref(), m.row), (Some("passages"), Some(row)), "{m}");
    assert_eq!(m.uuid.as_deref(), Some(uuid::Uuid::from_slice(&uuid).unwrap().hyphenated().to_string().as_str()));
    assert!(m.detail.contains("edited after event 2"), "{m}");
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
}

#[test]
fn a_row_added_or_deleted_with_plain_sql_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.ledger");
    drop(traced_file(&path));
    tamper(
        &path,
        "INSERT INTO documents (uuid, kind, title, metadata, created_at) VALUES (randomblob(16), 'report', 'Planted', '{}', 0)",
    );
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    let m = first(&v);
    assert_eq!(m.table.as_deref(), Some("documents"), "{m}");
    assert!(m.detail.contains("added behind the library's back"), "{m}");
    tamper(&path, "DELETE FROM documents WHERE title = 'Planted'");
    assert!(Ledger::open(&path).unwrap().verify().unwrap().is_ok());

    let row = count(&path, "SELECT max(id) FROM citations");
    tamper(
        &path,
        &format!("DELETE FROM citation_parts WHERE citation_id = {row}; DELETE FROM citations WHERE id = {row}"),
    );
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    let m = first(&v);
    assert_eq!((m.table.as_deref(), m.row), (Some("citations"), Some(row)), "{m}");
    assert!(m.detail.contains("deleted behind the library's back (event 2 wrote it)"), "{m}");
}

#[test]
fn an_event_edited_removed_or_reordered_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.ledger");
    {
        let mut l = traced_file(&path);
        let claim = l.claims(article_rev(&l)).unwrap()[0].id;
        l.add_verdict(NewVerdict::new(claim, "True")).unwrap();
    }
    let copy = |name: &str| {
        let p = dir.path().join(name);
        std::fs::copy(&path, &p).unwrap();
        p
    };
    // Edited: the actor of the first event.
    let edited = copy("edited.ledger");
    tamper(&edited, "UPDATE events SET actor = 'someone else' WHERE id = 1");
    let v = Ledger::open(&edited).unwrap().verify().unwrap();
    assert_eq!(first(&v).event, Some(1));
    assert!(first(&v).detail.contains("the event was edited"), "{}", first(&v));

    // Removed: the second event and its row list (the rows it wrote stay).
    let removed = copy("removed.ledger");
    tamper(&removed, "DELETE FROM event_rows WHERE event_id = 2; DELETE FROM events WHERE id = 2");
    let v = Ledger::open(&removed).unwrap().verify().unwrap();
    assert_eq!(first(&v).event, Some(3), "{}", first(&v));
    assert!(first(&v).detail.contains("removed, inserted or reordered"), "{}", first(&v));
    // ... and the rows it wrote have no digest any more.
    assert!(v.problems.iter().any(|m| m.table.as_deref() == Some("claims") && m.detail.contains("added")));

    // Reordered: events 2 and 3 swap places.
    let swapped = copy("swapped.ledger");
    tamper(
        &swapped,
        "PRAGMA foreign_keys = OFF;
         UPDATE events SET id = -2 WHERE id = 2; UPDATE events SET id = 2 WHERE id = 3; UPDATE events SET id = 3 WHERE id = -2;
         UPDATE event_rows SET event_id = -2 WHERE event_id = 2; UPDATE event_rows SET event_id = 2 WHERE event_id = 3;
         UPDATE event_rows SET event_id = 3 WHERE event_id = -2;",
    );
    let v = Ledger::open(&swapped).unwrap().verify().unwrap();
    assert_eq!(first(&v).event, Some(2), "{}", first(&v));
    assert!(first(&v).detail.contains("reordered"), "{}", first(&v));

    // A row list edited so that it matches an edited row.
    let relisted = copy("relisted.ledger");
    tamper(&relisted, "UPDATE event_rows SET digest = zeroblob(32) WHERE event_id = 1 AND tbl = 'documents'");
    let v = Ledger::open(&relisted).unwrap().verify().unwrap();
    assert_eq!(first(&v).event, Some(1), "{}", first(&v));
    assert!(first(&v).detail.contains("row list was edited"), "{}", first(&v));
}

fn article_rev(l: &Ledger) -> RevisionId {
    let art = l.documents().unwrap().into_iter().find(|d| d.kind == DocumentKind::Article).unwrap();
    l.latest_revision(art.id).unwrap().unwrap().id
}

#[test]
fn the_index_and_the_log_itself_are_the_only_untracked_tables() {
    // Every table a new ledger has is either tracked or left out with a reason.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    drop(Ledger::open(&path).unwrap());
    let c = Connection::open(&path).unwrap();
    let mut stmt =
        c.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'").unwrap();
    let names: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let tracked = claimledger::history::tracked_tables();
    let untracked: Vec<&str> = claimledger::history::untracked_tables().iter().map(|(t, _)| *t).collect();
    for n in &names {
        let (a, b) = (tracked.contains(&n.as_str()), untracked.contains(&n.as_str()));
        assert!(a ^ b, "table {n}: tracked {a}, untracked {b}: classify it in src/storage/events.rs");
    }
    for t in tracked.iter().chain(&untracked) {
        assert!(names.iter().any(|n| n == t), "{t} is listed but no migration creates it");
    }
}

/// Indexing an article's revision for suggestions on demand is an event of its
/// own: its counts and row list are the index rows it wrote, which `verify`
/// checks (an index row edited or deleted with plain SQL is named with it).
#[test]
fn indexing_on_demand_is_an_event_whose_index_rows_verify_checks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.ledger");
    let mut l = Ledger::open(&path).unwrap();
    let art =
        l.add_article(NewDocument::new(DocumentKind::Article, "Earlier"), "Fees rose in Tarrow. Staff fell.").unwrap();
    let (before, rows_before) = (l.log().unwrap().len(), l.verify().unwrap().rows);
    assert_eq!(count(&path, "SELECT count(*) FROM search_revisions"), 0, "an article is not indexed when added");

    assert!(l.index_revision(art.revision.id).unwrap());
    let log = l.log().unwrap();
    assert_eq!(log.len(), before + 1);
    let e = log.last().unwrap();
    assert_eq!((e.what, e.form), (EventKind::Index, 1));
    let passages =
        count(&path, "SELECT count(*) FROM search_passages WHERE revision_id = (SELECT max(id) FROM revisions)");
    assert!(passages >= 2, "one per sentence at least: {passages}");
    let counts: Vec<(&str, u64)> = e.counts.iter().map(|(t, n)| (t.as_str(), *n)).collect();
    assert_eq!(counts, [("search_passages", passages as u64), ("search_revisions", 1)]);
    let v = l.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.rows, rows_before + passages as u64 + 1, "its index rows are checked");
    // Indexed already: nothing written, no event.
    assert!(!l.index_revision(art.revision.id).unwrap());
    assert_eq!(l.log().unwrap().len(), before + 1);
    let seq = e.seq;
    drop(l);

    let o = run(&["log", path.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["events"][seq as usize - 1]["what"], "index", "{json}");

    // An index row edited behind the library's back is named, with the event.
    tamper(&path, "UPDATE search_passages SET tokens = tokens + 1 WHERE id = (SELECT max(id) FROM search_passages)");
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    let p = first(&v);
    assert_eq!((p.table.as_deref(), p.event), (Some("search_passages"), Some(seq)), "{p}");
    assert!(p.detail.contains("edited"), "{p}");
    // Put back, then the revision's index entry deleted: named too.
    tamper(
        &path,
        "UPDATE search_passages SET tokens = tokens - 1 WHERE id = (SELECT max(id) FROM search_passages);
         DELETE FROM search_revisions WHERE revision_id = (SELECT max(id) FROM revisions);",
    );
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    let p = first(&v);
    assert_eq!((p.table.as_deref(), p.event), (Some("search_revisions"), Some(seq)), "{p}");
    assert!(p.detail.contains("deleted"), "{p}");
    let o = run(&["verify", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

#[test]
fn log_and_verify_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let report = write("report.txt", sample::REPORT);
    let redactions = write("report.redactions.json", sample::REPORT_REDACTIONS);
    let article = write("article.txt", sample::ARTICLE);
    let trace = write("article.trace.toml", sample::TRACE);
    let ledger = d.join("desk.ledger");
    let ledger = ledger.to_str().unwrap();
    let o = run(&["add-source", ledger, &report, "--redactions", &redactions, "--title", TITLE, "--actor", "ana"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["trace", ledger, "--article", &article, "--trace", &trace, "--actor", "ben"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let o = run(&["log", ledger, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["format"], 1);
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!((events[0]["what"].as_str(), events[0]["actor"].as_str()), (Some("import_source"), Some("ana")));
    assert_eq!((events[1]["what"].as_str(), events[1]["actor"].as_str()), (Some("trace"), Some("ben")));
    assert_eq!(events[1]["prev_hash"], events[0]["hash"]);
    assert_eq!(json["head"], events[1]["hash"]);
    let o = run(&["log", ledger]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("import_source") && text.contains("ana") && text.contains("trace"), "{text}");

    let o = run(&["verify", ledger]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 events"));

    tamper(Path::new(ledger), "UPDATE claims SET exemption_note = 'tampered' WHERE id = 3");
    let o = run(&["verify", ledger]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("row 3 of claims") && out.contains("edited after event 2"), "{out}");
}

#[test]
fn a_withdrawal_and_its_undo_are_events() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.import_source(sample_import()).unwrap();
    l.set_actor(Some("standards desk".into()));
    let w = l.withdraw(&WithdrawalTarget::Document(src.document.id), "retracted by the publisher").unwrap();
    l.undo_withdrawal(w.id, "the retraction was itself withdrawn").unwrap();
    let log = l.log().unwrap();
    let what: Vec<EventKind> = log.iter().map(|e| e.what).collect();
    assert_eq!(what, [EventKind::ImportSource, EventKind::Withdraw, EventKind::UndoWithdrawal]);
    assert_eq!(log[0].actor, None);
    assert_eq!(log[1].actor.as_deref(), Some("standards desk"));
    assert_eq!(log[1].counts, [("withdrawals".to_string(), 1)].into_iter().collect());
    assert_eq!(log[2].counts, [("withdrawals".to_string(), 1)].into_iter().collect());
    assert!(l.verify().unwrap().is_ok());
}

/// The traced sample with every claim that has citations cut in two parts,
/// its citations linked to the parts in reverse order (so `citation_parts`
/// rows are not stored in key order).
fn traced_with_parts(path: &Path) -> Ledger {
    let mut l = traced_file(path);
    let rev = article_rev(&l);
    let claims = l.claims(rev).unwrap();
    let mut linked = 0;
    for c in claims {
        let cites = l.citations(c.id).unwrap();
        if cites.is_empty() {
            continue;
        }
        let text = &sample::ARTICLE[c.span.start..c.span.end];
        let mid = c.span.start + text.char_indices().map(|(i, _)| i).find(|&i| i >= text.len() / 2).unwrap();
        let (a, b) = (Span::new(rev, c.span.start, mid), Span::new(rev, mid, c.span.end));
        l.write(|w| {
            let pa = w.add_part(&NewClaimPart::new(c.id, a))?;
            let pb = w.add_part(&NewClaimPart::new(c.id, b))?;
            for t in cites.iter().rev() {
                w.cite_part(pb.id, t.id)?;
                linked += 1;
            }
            w.cite_part(pa.id, cites[0].id)?;
            Ok(())
        })
        .unwrap();
        linked += 1;
    }
    assert!(linked >= 6, "the sample should give several part links, got {linked}");
    l
}

/// What the library answers about the sample's article, as text.
fn answers(l: &Ledger) -> String {
    let rev = article_rev(l);
    let art = l.documents().unwrap().into_iter().find(|d| d.kind == DocumentKind::Article).unwrap();
    let mut parts: Vec<String> = Vec::new();
    for c in l.claims(rev).unwrap() {
        for p in l.claim_parts(c.id).unwrap() {
            parts.push(format!("{p:?}"));
        }
        for t in l.citations(c.id).unwrap() {
            parts.push(format!("{t:?}"));
        }
    }
    format!(
        "{}\n{:?}\n{}\n{}",
        serde_json::to_string(&l.audit(art.id).unwrap()).unwrap(),
        l.coverage(art.id).unwrap(),
        serde_json::to_string(&l.log().unwrap()).unwrap(),
        parts.join("\n")
    )
}

fn integrity(path: &Path) -> String {
    Connection::open(path).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_vacuum_changes_no_answer_and_verify_still_passes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.ledger");
    let l = traced_with_parts(&path);
    assert!(count(&path, "SELECT count(*) FROM citation_parts") >= 6);
    let before = answers(&l);
    assert!(l.verify().unwrap().is_ok());
    drop(l);
    // Both VACUUMs a user may run: in WAL mode and after leaving it.
    tamper(&path, "VACUUM");
    tamper(&path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM; PRAGMA journal_mode = WAL;");
    assert_eq!(integrity(&path), "ok");
    // The hardened open path accepts the vacuumed file.
    let l = Ledger::open(&path).unwrap();
    let v = l.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(answers(&l), before);
    drop(l);
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn rows_without_an_integer_key_are_checked_by_content_not_row_id() {
    // `citation_parts` has no INTEGER PRIMARY KEY: its row IDs are SQLite's
    // own, which a VACUUM may renumber (it does for such a table without an
    // index) and a dump and reload does. The same rows under new row IDs are
    // the same ledger.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.ledger");
    let l = traced_with_parts(&path);
    let before = answers(&l);
    drop(l);
    let order = |p: &Path| -> Vec<(i64, i64, i64)> {
        let c = Connection::open(p).unwrap();
        let mut s = c.prepare("SELECT rowid, part_id, citation_id FROM citation_parts ORDER BY rowid").unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    let was = order(&path);
    tamper(
        &path,
        "CREATE TEMP TABLE keep AS SELECT part_id, citation_id FROM citation_parts;
         DELETE FROM citation_parts;
         INSERT INTO citation_parts (part_id, citation_id) SELECT part_id, citation_id FROM keep ORDER BY citation_id DESC, part_id DESC;",
    );
    let now = order(&path);
    assert_ne!(was, now, "the rows should now have other row IDs");
    let l = Ledger::open(&path).unwrap();
    let v = l.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(answers(&l), before);
    drop(l);

    // A row edited, added or deleted is still found.
    let (part, cite) = (now[0].1, now[0].2);
    let other: i64 = count(
        &path,
        &format!(
            "SELECT min(id) FROM citations WHERE id NOT IN (SELECT citation_id FROM citation_parts WHERE part_id = {part})"
        ),
    );
    tamper(
        &path,
        &format!("UPDATE citation_parts SET citation_id = {other} WHERE part_id = {part} AND citation_id = {cite}"),
    );
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    let m = first(&v);
    assert_eq!((m.table.as_deref(), m.row), (Some("citation_parts"), Some(now[0].0)), "{m}");
    assert!(m.detail.contains("added or edited behind the library's back"), "{m}");
    assert!(v.problems.iter().any(|p| p.detail.contains("missing: deleted or edited")), "{:?}", v.problems);
    tamper(
        &path,
        &format!("UPDATE citation_parts SET citation_id = {cite} WHERE part_id = {part} AND citation_id = {other}"),
    );
    assert!(Ledger::open(&path).unwrap().verify().unwrap().is_ok());

    tamper(&path, &format!("DELETE FROM citation_parts WHERE part_id = {part} AND citation_id = {cite}"));
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    let m = first(&v);
    assert_eq!(m.table.as_deref(), Some("citation_parts"), "{m}");
    assert!(m.detail.contains("missing: deleted or edited"), "{m}");
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
}

#[test]
fn every_tracked_table_has_an_integer_key_or_is_checked_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    drop(Ledger::open(&path).unwrap());
    let c = Connection::open(&path).unwrap();
    for t in claimledger::history::tracked_tables() {
        let mut s = c.prepare("SELECT type, pk FROM pragma_table_info(?1) WHERE pk > 0").unwrap();
        let pk: Vec<(String, i64)> =
            s.query_map([t], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        let integer_key = pk.len() == 1 && pk[0].0.eq_ignore_ascii_case("INTEGER");
        let by_content = claimledger::history::tables_checked_by_content().contains(t);
        assert!(
            integer_key ^ by_content,
            "table {t}: INTEGER PRIMARY KEY {integer_key}, checked by content {by_content}: a table whose row IDs SQLite may renumber must be checked by content"
        );
    }
}
