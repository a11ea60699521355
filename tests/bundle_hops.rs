//! Bundles carry every log a ledger imported, at any depth: ledger A exports a
//! bundle, B imports it and exports again, C imports that; C keeps B's log and
//! A's, and `verify` on C recomputes both chains. A log that comes back to the
//! ledger that wrote it, or arrives by two paths, is kept once; the same bundle
//! imported twice changes nothing; a tampered imported log is refused naming
//! the event; a bundle written before bundles carried nested logs still imports.
//! And an article's revision indexed for suggestions on demand is indexed in
//! the copy too.

use claimledger::formats::Scope;
use claimledger::history::{ImportedLog, KeptLog};
use claimledger::*;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

const ONE_HOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bundle-v15-one-hop.jsonl");
/// The ledger that wrote [`ONE_HOP`], as that build left it.
const ONE_HOP_LEDGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v15-import.ledger");
/// A bundle of B (which imported A's bundle) as a V16 build wrote it: A's log
/// travels, every event in form 1 (the `form` field did not exist).
const TWO_HOPS_V16: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bundle-v16-two-hops.jsonl");
/// C, which imported [`TWO_HOPS_V16`], as that V16 build left it (B's log at
/// depth 1, A's at depth 2, its import event in form 1).
const TWO_HOPS_V16_LEDGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v16-two-hops.ledger");

/// A ledger with one source, written under `actor`.
fn ledger_with(path: Option<&Path>, actor: &str, title: &str, text: &str) -> Ledger {
    let mut l = match path {
        Some(p) => Ledger::open(p).unwrap(),
        None => Ledger::open_in_memory().unwrap(),
    };
    l.set_actor(Some(actor.into()));
    add(&mut l, title, text);
    l
}

fn add(l: &mut Ledger, title: &str, text: &str) {
    let doc = l.add_document(NewDocument::new(DocumentKind::Report, title)).unwrap();
    l.add_revision(doc.id, NewRevision::new(text)).unwrap();
}

fn bundle(l: &Ledger) -> Vec<u8> {
    let mut out = Vec::new();
    l.export_bundle(Scope::Ledger, &mut out).unwrap();
    out
}

fn hashes(l: &Ledger) -> Vec<ContentHash> {
    l.log().unwrap().iter().map(|e| e.hash).collect()
}

fn log_hashes(g: &ImportedLog) -> Vec<ContentHash> {
    g.events.iter().map(|e| e.hash).collect()
}

fn depths(l: &Ledger) -> Vec<i64> {
    l.imported_logs().unwrap().iter().map(|g| g.depth).collect()
}

/// A, B (which imported A's bundle and added a source of its own) and C (which
/// imported B's bundle); with B's bundle.
fn three_hops(c_path: Option<&Path>) -> (Ledger, Ledger, Ledger, Vec<u8>) {
    let a = ledger_with(None, "desk-a@example.org", "Harbour spending", "Dredging cost 4.2 million in 2021.");
    let mut b = Ledger::open_in_memory().unwrap();
    b.set_actor(Some("desk-b@example.org".into()));
    b.import_bundle(&bundle(&a)[..]).unwrap();
    add(&mut b, "Ferry terminal", "The terminal opened two years late.");
    let from_b = bundle(&b);
    let mut c = match c_path {
        Some(p) => Ledger::open(p).unwrap(),
        None => Ledger::open_in_memory().unwrap(),
    };
    c.import_bundle(&from_b[..]).unwrap();
    (a, b, c, from_b)
}

#[test]
fn a_second_hop_keeps_the_first_ledgers_log_and_verify_checks_both() {
    let (a, b, c, from_b) = three_hops(None);
    let text = String::from_utf8(from_b).unwrap();
    let carried = text.lines().filter(|l| l.starts_with(r#"{"type":"foreign_event""#)).count();
    assert_eq!(carried, a.log().unwrap().len(), "B's bundle carries A's log");
    assert!(text.lines().next().unwrap().contains(&format!(r#""foreign_events":{carried}"#)));

    let logs = c.imported_logs().unwrap();
    assert_eq!(logs.iter().map(|g| g.depth).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(log_hashes(&logs[0]), hashes(&b), "C keeps B's log");
    assert_eq!(log_hashes(&logs[1]), hashes(&a), "and A's, which B's import brought");
    let b_import = &b.log().unwrap()[0];
    assert_eq!(b_import.what, EventKind::BundleImport);
    assert_eq!(b_import.foreign_head, logs[1].head, "A's log ends at the head B's import recorded");
    let c_import = c.log().unwrap().last().cloned().unwrap();
    assert!(logs.iter().all(|g| g.event == c_import.seq));
    assert_eq!(c_import.foreign_events, Some(b.log().unwrap().len() as u64));

    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    let all = (a.log().unwrap().len() + b.log().unwrap().len()) as u64;
    assert_eq!((v.foreign_logs, v.foreign_events, v.uncarried_logs), (2, all, 0));

    // Any depth: D imports C's bundle and keeps C's, B's and A's logs.
    let mut d = Ledger::open_in_memory().unwrap();
    d.import_bundle(&bundle(&c)[..]).unwrap();
    assert_eq!(depths(&d), [1, 2, 3]);
    let logs = d.imported_logs().unwrap();
    assert_eq!(
        [log_hashes(&logs[0]), log_hashes(&logs[1]), log_hashes(&logs[2])],
        [hashes(&c), hashes(&b), hashes(&a)]
    );
    let v = d.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!((v.foreign_logs, v.uncarried_logs), (3, 0));
}

#[test]
fn an_edited_event_of_the_first_ledger_is_named_by_verify_on_the_third() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ledger");
    let (a, _b, c, _) = three_hops(Some(&path));
    drop(c);
    let victim = a.log().unwrap()[1].id;
    let conn = rusqlite::Connection::open(&path).unwrap();
    let n = conn
        .execute(
            "UPDATE foreign_events SET actor = 'someone else' WHERE uuid = ?1",
            [victim.uuid().as_bytes().as_slice()],
        )
        .unwrap();
    assert_eq!(n, 1, "A's event is in C once");
    drop(conn);

    let c = Ledger::open(&path).unwrap();
    let v = c.verify().unwrap();
    assert!(!v.is_ok());
    let first = &v.problems[0];
    assert!(
        first.detail.contains(&victim.to_string()) && first.detail.contains("depth 2"),
        "the problem names A's event: {first}"
    );
    assert!(first.detail.contains("edited"), "{first}");
    drop(c);

    let o = run(&["verify", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("mismatch: event") && out.contains(&victim.to_string()), "{out}");
}

#[test]
fn a_tampered_or_cut_nested_log_is_refused_naming_the_line_and_nothing_is_written() {
    let (a, _b, _c, from_b) = three_hops(None);
    let text = String::from_utf8(from_b).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| l.starts_with(r#"{"type":"foreign_event""#)).unwrap();

    // An event of A's log altered (its actor changed, its hash kept).
    let victim = a.log().unwrap()[0].id;
    let mut altered: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert!(altered[first].contains(r#""actor":"desk-a@example.org""#), "{}", altered[first]);
    altered[first] = altered[first].replace("desk-a@example.org", "desk-z@example.org");
    let mut target = Ledger::open_in_memory().unwrap();
    let e = target.import_bundle(format!("{}\n", altered.join("\n")).as_bytes()).unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    let msg = e.to_string();
    assert!(msg.contains(&format!("bundle line {}", first + 1)) && msg.contains(&victim.to_string()), "{msg}");
    assert!(msg.contains("altered"), "{msg}");
    assert!(target.log().unwrap().is_empty() && target.documents().unwrap().is_empty(), "nothing written");
    assert!(target.imported_logs().unwrap().is_empty());

    // A's log cut before its head (the header's count adjusted to match).
    let n = a.log().unwrap().len();
    let mut cut: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    cut.remove(first + n - 1);
    cut[0] = cut[0].replace(&format!(r#""foreign_events":{n}"#), &format!(r#""foreign_events":{}"#, n - 1));
    let e = target.import_bundle(format!("{}\n", cut.join("\n")).as_bytes()).unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert!(e.to_string().contains("without reaching its head"), "{e}");
    assert!(target.log().unwrap().is_empty());

    // A log that no event of the bundle imported.
    let mut forged: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let head = serde_json::from_str::<serde_json::Value>(lines[first]).unwrap()["log"].as_str().unwrap().to_string();
    forged[first] = lines[first].replace(&head, &"ab".repeat(32));
    let e = target.import_bundle(format!("{}\n", forged.join("\n")).as_bytes()).unwrap_err();
    assert!(e.is_invalid_input() && e.to_string().contains("no event before this line imported"), "{e}");
}

#[test]
fn a_cycle_back_to_the_first_ledger_does_not_duplicate_its_events() {
    let (mut a, b, c, _) = three_hops(None);
    let own_before: HashSet<ContentHash> = hashes(&a).into_iter().collect();
    let from_c = bundle(&c);
    let got = a.import_bundle(&from_c[..]).unwrap();
    assert_eq!(got.new.documents, 1, "B's source is new to A");
    assert_eq!(got.merged.documents, 1, "A's own source comes back");

    let logs = a.imported_logs().unwrap();
    assert_eq!(logs.iter().map(|g| g.depth).collect::<Vec<_>>(), [1, 2], "C's log and B's, not A's own");
    assert_eq!(log_hashes(&logs[0]), hashes(&c));
    assert_eq!(log_hashes(&logs[1]), hashes(&b));
    let kept: Vec<ContentHash> = logs.iter().flat_map(log_hashes).collect();
    assert!(kept.iter().all(|h| !own_before.contains(h)), "none of A's own events is kept as imported");
    assert_eq!(kept.len(), kept.iter().collect::<HashSet<_>>().len(), "no event kept twice");
    let v = a.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 0, "B's import of A resolves in A's own log");

    // Round the cycle again: nothing new.
    let log = a.log().unwrap().len();
    let again = a.import_bundle(&from_c[..]).unwrap();
    assert_eq!(again.new.total(), 0, "{again:?}");
    assert_eq!(a.log().unwrap().len(), log);
    assert_eq!(a.imported_logs().unwrap(), logs);
}

#[test]
fn the_same_bundle_imported_twice_changes_nothing() {
    let (_a, _b, mut c, from_b) = three_hops(None);
    let (log, logs) = (c.log().unwrap(), c.imported_logs().unwrap());
    let again = c.import_bundle(&from_b[..]).unwrap();
    assert_eq!(again.new.total(), 0, "{again:?}");
    assert_eq!(again.merged.foreign_events, logs[1].events.len() as u64);
    assert_eq!(c.log().unwrap(), log, "no event appended");
    assert_eq!(c.imported_logs().unwrap(), logs, "no log kept again");
    assert!(c.verify().unwrap().is_ok());
}

#[test]
fn a_log_that_arrives_by_two_paths_is_kept_once() {
    let a = ledger_with(None, "desk-a@example.org", "Harbour spending", "Dredging cost 4.2 million in 2021.");
    let from_a = bundle(&a);
    let mut b = Ledger::open_in_memory().unwrap();
    b.import_bundle(&from_a[..]).unwrap();
    add(&mut b, "Ferry terminal", "The terminal opened two years late.");
    let mut d = Ledger::open_in_memory().unwrap();
    d.import_bundle(&from_a[..]).unwrap();
    add(&mut d, "Bridge repairs", "The bridge closed for repairs in May.");

    let mut c = Ledger::open_in_memory().unwrap();
    c.import_bundle(&bundle(&b)[..]).unwrap();
    c.import_bundle(&bundle(&d)[..]).unwrap();
    let logs = c.imported_logs().unwrap();
    let head_a = a.log().unwrap().last().map(|e| e.hash);
    assert_eq!(logs.iter().filter(|g| g.head == head_a).count(), 1, "A's log is kept once");
    assert_eq!(logs.len(), 3, "B's, A's and D's");
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 0, "D's import of A resolves in the A log B's bundle brought");
}

/// B imports A's bundle, A goes on, B imports A's bundle again: B keeps the
/// new events only (the second log continues the first), and so does C, two
/// hops away; deleting the first log behind the library's back is named.
#[test]
fn successive_bundles_of_the_same_ledger_keep_each_event_once() {
    let mut a = ledger_with(None, "desk-a@example.org", "Harbour spending", "Dredging cost 4.2 million in 2021.");
    let mut b = Ledger::open_in_memory().unwrap();
    b.import_bundle(&bundle(&a)[..]).unwrap();
    add(&mut a, "Harbour spending, 2022", "Dredging cost 3.9 million in 2022.");
    b.import_bundle(&bundle(&a)[..]).unwrap();
    let all_a = hashes(&a);
    assert_eq!(all_a.len(), 4);
    let logs = b.imported_logs().unwrap();
    assert_eq!(logs.iter().map(|g| (g.depth, g.events[0].seq)).collect::<Vec<_>>(), [(1, 1), (1, 3)]);
    assert_eq!([log_hashes(&logs[0]), log_hashes(&logs[1])].concat(), all_a, "each of A's events kept once");
    assert_eq!(logs[1].events[0].prev_hash, all_a[1], "the second log continues the first");
    assert_eq!(b.log().unwrap()[1].foreign_events, Some(2), "the second import kept A's two new events");
    let v = b.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!((v.foreign_logs, v.foreign_events), (2, 4));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ledger");
    let mut c = Ledger::open(&path).unwrap();
    c.import_bundle(&bundle(&b)[..]).unwrap();
    let logs = c.imported_logs().unwrap();
    assert_eq!(logs.iter().map(|g| (g.depth, g.events[0].seq)).collect::<Vec<_>>(), [(1, 1), (2, 1), (2, 3)]);
    assert_eq!([log_hashes(&logs[1]), log_hashes(&logs[2])].concat(), all_a);
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 0);
    drop(c);

    // The first of A's logs deleted with plain SQL: the second is named.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let first: i64 = conn
        .query_row("SELECT log_id FROM foreign_events WHERE hash = ?1", [all_a[0].0.as_slice()], |r| r.get(0))
        .unwrap();
    assert_eq!(conn.execute("DELETE FROM foreign_events WHERE log_id = ?1", [first]).unwrap(), 2);
    drop(conn);
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    assert!(
        v.problems.iter().any(|m| m.detail.contains("continues from an event the ledger does not hold")),
        "{:?}",
        v.problems
    );
}

#[test]
fn a_bundle_written_before_nested_logs_were_carried_still_imports() {
    let text = std::fs::read(ONE_HOP).unwrap();
    assert!(!String::from_utf8_lossy(&text).contains("foreign_event"), "the fixture is the older format");
    let mut c = Ledger::open_in_memory().unwrap();
    let got = c.import_bundle(&text[..]).unwrap();
    assert_eq!((got.new.documents, got.new.events), (2, 2));
    assert_eq!(depths(&c), [1], "the exporting ledger's own log only");
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 1, "its import event's log did not travel, and verify says so");
    // Exported again, it is the same, with the one log it has.
    let mut d = Ledger::open_in_memory().unwrap();
    d.import_bundle(&bundle(&c)[..]).unwrap();
    assert_eq!(depths(&d), [1, 2]);
    let v = d.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 1);
}

/// A copy that imported the older bundle, then a bundle of the same ledger
/// written by this build: the ledger's records and log are known, only the
/// nested log is new, and it is kept (under an import event that wrote no row).
#[test]
fn a_newer_bundle_of_the_same_ledger_brings_the_log_the_older_one_lacked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.ledger");
    std::fs::copy(ONE_HOP_LEDGER, &path).unwrap();
    let b = Ledger::open(&path).unwrap();
    let newer = bundle(&b);

    let mut c = Ledger::open_in_memory().unwrap();
    c.import_bundle(&std::fs::read(ONE_HOP).unwrap()[..]).unwrap();
    assert_eq!(c.verify().unwrap().uncarried_logs, 1);
    let events = c.log().unwrap().len();
    let got = c.import_bundle(&newer[..]).unwrap();
    assert_eq!((got.new.documents, got.new.revisions, got.new.events), (0, 0, 0), "{got:?}");
    assert_eq!(got.new.foreign_events, 1, "the first ledger's event");
    let log = c.log().unwrap();
    assert_eq!(log.len(), events + 1, "one import event");
    let last = log.last().unwrap();
    assert!(last.counts.is_empty() && last.foreign_head.is_none(), "{last:?}");
    let logs = c.imported_logs().unwrap();
    assert_eq!(logs.iter().map(|g| (g.depth, g.event)).collect::<Vec<_>>(), [(1, 1), (2, last.seq)]);
    assert_eq!(logs[1].head, b.log().unwrap()[0].foreign_head);
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!((v.foreign_logs, v.uncarried_logs), (2, 0));
    // And again: nothing.
    let again = c.import_bundle(&newer[..]).unwrap();
    assert_eq!(again.new.total(), 0);
    assert_eq!(c.log().unwrap().len(), events + 1);
}

#[test]
fn the_command_line_log_shows_the_imported_logs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ledger");
    let (a, b, c, _) = three_hops(Some(&path));
    drop(c);
    let p = path.to_str().unwrap();
    let o = run(&["log", p, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let logs = json["imported_logs"].as_array().unwrap();
    assert_eq!(logs.len(), 2, "{json}");
    assert_eq!(logs[1]["depth"], 2);
    assert_eq!(logs[1]["events"].as_array().unwrap().len(), a.log().unwrap().len());
    assert_eq!(logs[0]["head"], serde_json::json!(b.log().unwrap().last().unwrap().hash.to_string()));
    let text = run(&["log", p]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.contains("imported log (depth 2)"), "{out}");
    let v = run(&["verify", p]);
    assert!(v.status.success());
    assert!(String::from_utf8_lossy(&v.stdout).contains("2 imported logs"));
}

#[test]
fn an_article_indexed_on_demand_is_indexed_in_the_copy() {
    use claimledger::suggest::SuggestOptions;
    let mut l = Ledger::open_in_memory().unwrap();
    let other = l.add_article(NewDocument::new(DocumentKind::Article, "Earlier"), "Fees rose in Tarrow.").unwrap();
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "Later"), "Tarrow fees rose.").unwrap();
    let opts = SuggestOptions { top: 3, sources: Some(vec![other.document.id]) };
    let not_indexed = |l: &Ledger| {
        let e = l.suggest(art.claims[0].id, &opts).unwrap_err();
        assert!(e.is_invalid_input() && e.to_string().contains("not indexed"), "{e}");
    };

    // Not indexed: the bundle says nothing, and the copy is not indexed either.
    let plain = bundle(&l);
    assert!(!String::from_utf8_lossy(&plain).contains(r#""indexed""#), "bundles without it are unchanged");
    let mut copy = Ledger::open_in_memory().unwrap();
    copy.import_bundle(&plain[..]).unwrap();
    not_indexed(&copy);

    // Indexed on demand: the revision record says so and the copy indexes it.
    assert!(l.index_revision(other.revision.id).unwrap());
    let want = l.suggest(art.claims[0].id, &opts).unwrap();
    assert_eq!(want[0].text, "Fees rose in Tarrow.");
    let indexed = bundle(&l);
    assert_eq!(String::from_utf8_lossy(&indexed).matches(r#""indexed":true"#).count(), 1, "only that revision");
    let mut fresh = Ledger::open_in_memory().unwrap();
    fresh.import_bundle(&indexed[..]).unwrap();
    assert_eq!(fresh.suggest(art.claims[0].id, &opts).unwrap(), want);
    // A copy that holds the revision unindexed indexes it when the bundle says so.
    copy.import_bundle(&indexed[..]).unwrap();
    assert_eq!(copy.suggest(art.claims[0].id, &opts).unwrap(), want);
    // And the copy's own bundle carries it on.
    let records = |b: &[u8]| -> Vec<String> {
        let text = String::from_utf8_lossy(b).into_owned();
        text.lines()
            .skip(1)
            .filter(|l| !l.starts_with(r#"{"type":"event""#) && !l.starts_with(r#"{"type":"foreign_event""#))
            .map(String::from)
            .collect()
    };
    assert_eq!(records(&bundle(&fresh)), records(&indexed), "the copy's bundle carries it on");
    // The indexing is an event of the log, which travels with it.
    let event = String::from_utf8_lossy(&indexed).lines().filter(|l| l.contains(r#""what":"index""#)).count();
    assert_eq!(event, 1, "the bundle's log holds the index event");
    let kept = fresh.imported_logs().unwrap();
    let index = kept[0].events.iter().find(|e| e.what == "index").expect("the copy keeps the index event");
    assert_eq!(index.counts.get("search_revisions"), Some(&1), "{index:?}");
    let v = fresh.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
}

/// The log records of bundles written by older builds travel byte for byte:
/// imported into an empty ledger and exported again, each `foreign_event`
/// line is written as it was, and each `event` line as a `foreign_event` of
/// the log it heads (`log` right after `type`); the records before the log are
/// the same lines.
#[test]
fn the_log_records_of_older_bundles_are_written_again_byte_for_byte() {
    for fixture in [ONE_HOP, TWO_HOPS_V16] {
        let text = std::fs::read_to_string(fixture).unwrap();
        let mut c = Ledger::open_in_memory().unwrap();
        c.import_bundle(text.as_bytes()).unwrap();
        let again = String::from_utf8(bundle(&c)).unwrap();
        let written: HashSet<&str> = again.lines().collect();
        let own: Vec<&str> = text.lines().filter(|l| l.starts_with(r#"{"type":"event","#)).collect();
        let last: serde_json::Value = serde_json::from_str(own.last().unwrap()).unwrap();
        let head = last["hash"].as_str().unwrap();
        for l in &own {
            let want = l.replacen(r#"{"type":"event","#, &format!(r#"{{"type":"foreign_event","log":"{head}","#), 1);
            assert!(written.contains(want.as_str()), "{fixture}: {want}\nnot in\n{again}");
        }
        let nested: Vec<&str> = text.lines().filter(|l| l.starts_with(r#"{"type":"foreign_event","#)).collect();
        assert_eq!(nested.is_empty(), fixture == ONE_HOP);
        for l in nested {
            assert!(written.contains(l), "{fixture}: {l}\nnot in\n{again}");
        }
        let records = |t: &str| -> Vec<String> {
            t.lines()
                .skip(1)
                .filter(|l| !l.contains(r#""type":"event""#) && !l.contains(r#""type":"foreign_event""#))
                .map(String::from)
                .collect()
        };
        assert_eq!(records(&again), records(&text), "{fixture}");
    }
}

#[test]
fn an_event_record_with_a_log_or_a_foreign_event_without_one_is_refused() {
    let (_a, _b, _c, from_b) = three_hops(None);
    let text = String::from_utf8(from_b).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let ev = lines.iter().position(|l| l.starts_with(r#"{"type":"event","#)).unwrap();
    let fe = lines.iter().position(|l| l.starts_with(r#"{"type":"foreign_event","#)).unwrap();
    let head = serde_json::from_str::<serde_json::Value>(lines[fe]).unwrap()["log"].as_str().unwrap().to_string();
    let with = |at: usize, line: String| {
        let mut x: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        x[at] = line;
        format!("{}\n", x.join("\n"))
    };
    for (at, forged, why) in [
        (
            ev,
            lines[ev].replacen(r#""type":"event","#, &format!(r#""type":"event","log":"{head}","#), 1),
            "has no `log`",
        ),
        (fe, lines[fe].replacen(&format!(r#""log":"{head}","#), "", 1), "without `log`"),
    ] {
        assert_ne!(forged, lines[at]);
        let mut target = Ledger::open_in_memory().unwrap();
        let e = target.import_bundle(with(at, forged).as_bytes()).unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
        assert!(e.to_string().contains(&format!("bundle line {}", at + 1)) && e.to_string().contains(why), "{e}");
        assert!(target.log().unwrap().is_empty(), "nothing written");
    }
}

// ---- what an import kept, in its hashed form (event form 2) ----------------

fn kept(l: &ImportedLog) -> KeptLog {
    KeptLog { log: l.head.unwrap(), depth: l.depth, events: l.events.len() as u64 }
}

#[test]
fn an_import_event_records_the_logs_it_kept_and_its_hash_covers_them() {
    let (a, b, c, from_b) = three_hops(None);
    let a_log = a.log().unwrap();
    let head_a = a_log.last().unwrap().hash;
    let b_import = &b.log().unwrap()[0];
    assert_eq!(b_import.what, EventKind::BundleImport);
    assert_eq!(b_import.form, 2);
    let b_kept = vec![KeptLog { log: head_a, depth: 1, events: a_log.len() as u64 }];
    assert_eq!(b_import.kept.as_ref(), Some(&b_kept));
    assert!(
        a_log.iter().chain(&b.log().unwrap()[1..]).all(|e| e.form == 1 && e.kept.is_none()),
        "other events keep form 1"
    );

    let c_import = c.log().unwrap().last().cloned().unwrap();
    let logs = c.imported_logs().unwrap();
    assert_eq!(c_import.form, 2);
    assert_eq!(c_import.kept, Some(logs.iter().map(kept).collect()), "B's log (depth 1) and A's (depth 2)");
    assert_eq!(c_import.kept.as_ref().unwrap()[1].log, head_a);
    // The form travels: B's bundle writes it, C keeps B's event as it was.
    let text = String::from_utf8(from_b.clone()).unwrap();
    let line = text.lines().find(|l| l.contains(r#""what":"bundle_import""#)).unwrap();
    assert!(line.ends_with(&format!(r#","form":2,"kept":[{{"log":"{head_a}","depth":1,"events":2}}]}}"#)), "{line}");
    assert_eq!(logs[0].events[0].form, 2);
    assert_eq!(logs[0].events[0].kept, Some(b_kept));
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 0);

    // Its hash covers `kept`: a bundle that changes it is refused, naming the line.
    let at = text.lines().position(|l| l == line).unwrap() + 1;
    for (from, to, why) in [
        (r#""events":2}]"#, r#""events":3}]"#, "altered"),
        (r#""depth":1,"#, r#""depth":2,"#, "altered"),
        (r#""form":2,"#, r#""form":3,"#, "form 3"),
        (r#","form":2"#, "", "form 1"),
    ] {
        let forged = text.replace(line, &line.replace(from, to));
        assert_ne!(forged, text);
        let mut target = Ledger::open_in_memory().unwrap();
        let e = target.import_bundle(forged.as_bytes()).unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
        let msg = e.to_string();
        assert!(msg.contains(&format!("bundle line {at}")) && msg.contains(why), "{from} -> {to}: {msg}");
        assert!(target.log().unwrap().is_empty(), "nothing written");
    }
}

/// C on file, A's log (depth 2 in C) altered by `sql` behind the library's
/// back; with A, C's import event, and C's path.
fn tampered(sql: &str) -> (tempfile::TempDir, Ledger, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ledger");
    let (a, _b, c, _) = three_hops(Some(&path));
    let import = c.log().unwrap().last().unwrap().seq;
    assert!(c.verify().unwrap().is_ok(), "the untouched copy verifies");
    drop(c);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    (dir, a, import)
}

/// `verify` on the tampered C, library and CLI: exit 1, and a problem on C's
/// import event that names A's log (its head, depth 2) and says `why`.
fn assert_named(dir: &tempfile::TempDir, a: &Ledger, import: i64, why: &str) {
    let path = dir.path().join("c.ledger");
    let head_a = a.log().unwrap().last().unwrap().hash.to_string();
    let c = Ledger::open(&path).unwrap();
    let v = c.verify().unwrap();
    assert!(!v.is_ok());
    let named = v
        .problems
        .iter()
        .find(|p| p.event == Some(import) && p.detail.contains(&head_a) && p.detail.contains("depth 2"));
    let p = named.unwrap_or_else(|| panic!("no problem names A's log on event {import}: {:?}", v.problems));
    assert!(p.detail.contains(why), "{p}");
    assert_eq!(v.uncarried_logs, 0, "not taken for a log an older bundle never carried");
    drop(c);
    let o = run(&["verify", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let listed =
        out["problems"].as_array().unwrap().iter().any(|q| {
            q["event"] == import && q["detail"].as_str().is_some_and(|d| d.contains(&head_a) && d.contains(why))
        });
    assert!(listed, "{out}");
}

const A_LOG: &str = "(SELECT id FROM foreign_logs WHERE depth = 2)";

#[test]
fn a_nested_log_deleted_with_plain_sql_is_named_by_verify() {
    let (dir, a, import) = tampered(&format!(
        "DELETE FROM foreign_events WHERE log_id = {A_LOG}; DELETE FROM foreign_logs WHERE depth = 2;"
    ));
    assert_named(&dir, &a, import, "missing: deleted behind the library's back");
    let o = run(&["verify", dir.path().join("c.ledger").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with(&format!("mismatch: event {import}: the log with head")), "{out}");
}

#[test]
fn an_event_of_a_nested_log_deleted_with_plain_sql_is_named_by_verify() {
    // Its last event (the log now ends elsewhere) or its first (same head,
    // one event fewer).
    let (dir, a, import) = tampered(&format!(
        "DELETE FROM foreign_events WHERE log_id = {A_LOG} AND seq = (SELECT max(seq) FROM foreign_events WHERE log_id = {A_LOG});"
    ));
    assert_named(&dir, &a, import, "it kept is now the log with head");
    let (dir, a, import) = tampered(&format!("DELETE FROM foreign_events WHERE log_id = {A_LOG} AND seq = 1;"));
    assert_named(&dir, &a, import, "now holds 1 events");
}

#[test]
fn a_nested_log_added_with_plain_sql_is_named_by_verify() {
    // A second copy of A's log under C's import: every chain in it is sound
    // and ends at a head an event recorded; only what the import kept tells.
    let (dir, a, import) = tampered(&format!(
        "INSERT INTO foreign_logs (event_id, depth) SELECT event_id, depth FROM foreign_logs WHERE depth = 2;
         INSERT INTO foreign_events (log_id, seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, foreign_head, hash, form, kept)
           SELECT (SELECT max(id) FROM foreign_logs), seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, foreign_head, hash, form, kept
           FROM foreign_events WHERE log_id = {A_LOG} ORDER BY seq;"
    ));
    let path = dir.path().join("c.ledger");
    let c = Ledger::open(&path).unwrap();
    let v = c.verify().unwrap();
    assert_eq!(v.foreign_logs, 3);
    drop(c);
    assert_named(&dir, &a, import, "which it did not keep: added behind the library's back");
    // And one event appended to A's log (a copy of its last, renumbered: the
    // log ends at the same head).
    let (dir, a, import) = tampered(&format!(
        "INSERT INTO foreign_events (log_id, seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, foreign_head, hash, form, kept)
           SELECT log_id, seq + 1, uuid, what, actor, created_at, counts, rows_digest, hash, foreign_head, hash, form, kept
           FROM foreign_events WHERE log_id = {A_LOG} ORDER BY seq DESC LIMIT 1;"
    ));
    assert_named(&dir, &a, import, "it kept now holds 3 events");
}

/// Bundles and ledgers of a V16 build (every event in form 1) read and verify
/// as before: C's own import event holds no `kept`, so a nested log deleted
/// there still reads as one no bundle carried (the gap form 2 closes for
/// imports written since).
#[test]
fn a_v16_bundle_and_ledger_verify_as_before_and_new_imports_use_form_2() {
    let text = std::fs::read(TWO_HOPS_V16).unwrap();
    assert!(!String::from_utf8_lossy(&text).contains(r#""form""#), "the fixture is the older format");
    let mut c = Ledger::open_in_memory().unwrap();
    c.import_bundle(&text[..]).unwrap();
    assert_eq!(depths(&c), [1, 2]);
    let logs = c.imported_logs().unwrap();
    assert!(logs.iter().flat_map(|g| &g.events).all(|e| e.form == 1), "kept in form 1");
    let import = c.log().unwrap().last().cloned().unwrap();
    assert_eq!((import.form, import.kept), (2, Some(logs.iter().map(kept).collect())));
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 0);
    // Its bundle carries both forms, and a copy of it verifies.
    let mut d = Ledger::open_in_memory().unwrap();
    d.import_bundle(&bundle(&c)[..]).unwrap();
    assert_eq!(depths(&d), [1, 2, 3]);
    let v = d.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);

    // The ledger that V16 build wrote (C): upgraded, every event keeps form 1
    // and verifies.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ledger");
    std::fs::copy(TWO_HOPS_V16_LEDGER, &path).unwrap();
    let old = Ledger::open(&path).unwrap();
    assert!(old.log().unwrap().iter().all(|e| e.form == 1 && e.kept.is_none()));
    assert_eq!(depths(&old), [1, 2]);
    let v = old.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!((v.foreign_logs, v.uncarried_logs), (2, 0));
    drop(old);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!(
        "DELETE FROM foreign_events WHERE log_id = {A_LOG}; DELETE FROM foreign_logs WHERE depth = 2;"
    ))
    .unwrap();
    drop(conn);
    let v = Ledger::open(&path).unwrap().verify().unwrap();
    assert!(v.is_ok() && v.uncarried_logs == 1, "form 1 cannot tell: {v:?}");
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}
