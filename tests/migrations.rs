//! Migrations: a frozen ledger of schema version 1 (`tests/fixtures/ledger-v1.ledger`,
//! every entity represented) upgrades through every later migration with every
//! row intact and ends with the schema of a fresh ledger; a failing migration
//! rolls back; a newer ledger is refused untouched; read-only files and
//! directories give [`Error::ReadOnly`] and stay untouched.
//!
//! A second frozen ledger of schema version 3 (`tests/fixtures/ledger-v3.ledger`)
//! upgrades past the claims' evidence class (V3) with the states it had.
//!
//! Regenerate the fixtures (only ever with a build whose newest migration is V1,
//! resp. V3): `cargo test --test migrations regenerate_v1_fixture -- --ignored`.
//!
//! A third, `tests/fixtures/ledger-v12-windows.ledger`, is the demo ledger
//! (`claimledger demo --keep`) as a V12 build wrote it, whose passage index
//! (V8) holds window rows; V15 indexes it again without them.
//!
//! A fourth, `tests/fixtures/ledger-v15-import.ledger`, is a V15 ledger (B)
//! that imported the bundle of another ledger (A) and added a source of its
//! own (`claimledger add-source`, `export`, `import`, `add-source` with a V15
//! build); V16 keeps A's log as B's depth-1 imported log, and B's bundle then
//! carries it. Its bundle as the V15 build wrote it is
//! `tests/fixtures/bundle-v15-one-hop.jsonl` (`tests/bundle_hops.rs`).
//!
//! A fifth, `tests/fixtures/ledger-v16-two-hops.ledger`, is a V16 ledger (C)
//! that imported the bundle of B, which had imported A's (`add-source`,
//! `export`, `import`, `add-source`, `export`, `import` with a V16 build): it
//! keeps B's log at depth 1 and A's at depth 2, every event in form 1. V17
//! keeps every event as it was, in form 1. B's bundle as that build wrote it is
//! `tests/fixtures/bundle-v16-two-hops.jsonl` (`tests/bundle_hops.rs`).

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use common::file_digest;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v1.ledger");
const FIXTURE_V3: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v3.ledger");
const FIXTURE_V12: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v12-windows.ledger");
const FIXTURE_V15: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v15-import.ledger");
const FIXTURE_V16: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v16-two-hops.ledger");
const REPORT_TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";

/// The tables of the fixture and, per table, its columns and rows (as text).
type Dump = Vec<(String, Vec<String>, Vec<String>)>;

fn open_raw(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Rows of `tables` (each with only the `columns` given), ordered by row ID.
fn dump_tables(conn: &Connection, tables: &[(String, Vec<String>)]) -> Dump {
    tables
        .iter()
        .map(|(t, cols)| {
            // Names come from the fixture's own schema, quoted as identifiers.
            let list = cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
            // FTS5 keeps some shadow tables WITHOUT ROWID: those are ordered by
            // every column.
            let order = if t == "refinery_schema_history" {
                "version".to_string()
            } else if without_rowid(conn, t) {
                (1..=cols.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
            } else {
                "rowid".to_string()
            };
            let rows = rows_of(conn, &format!("SELECT {list} FROM \"{t}\" ORDER BY {order}"));
            (t.clone(), cols.clone(), rows)
        })
        .collect()
}

/// Every row `sql` selects, each as the debug form of its values.
fn rows_of(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        let vals: Vec<Value> = (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
        Ok(format!("{vals:?}"))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn without_rowid(conn: &Connection, table: &str) -> bool {
    let sql: String = conn.query_row("SELECT sql FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0)).unwrap();
    sql.to_ascii_uppercase().contains("WITHOUT ROWID")
}

/// Tables and their columns, as the file has them (a virtual table's rows are
/// those of its shadow tables, listed themselves).
fn tables(conn: &Connection) -> Vec<(String, Vec<String>)> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
        .unwrap();
    let names: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
    names
        .into_iter()
        .map(|t| {
            let mut s = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid").unwrap();
            let cols: Vec<String> = s.query_map([&t], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
            (t, cols)
        })
        .collect()
}

/// The schema, normalized: (type, name, table, SQL with whitespace collapsed),
/// plus the header fields a ledger sets.
fn schema(conn: &Connection) -> Vec<String> {
    let mut stmt =
        conn.prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name").unwrap();
    let mut out: Vec<String> = stmt
        .query_map([], |r| {
            let sql: String = r.get(3)?;
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            Ok(format!("{} {} {} {sql}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for p in ["application_id", "user_version"] {
        let v: i64 = conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0)).unwrap();
        out.push(format!("{p} {v}"));
    }
    out
}

fn history_versions(conn: &Connection) -> Vec<i64> {
    let mut stmt = conn.prepare("SELECT version FROM refinery_schema_history ORDER BY version").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

fn copy_fixture(dir: &Path) -> PathBuf {
    let p = dir.join("v1.ledger");
    std::fs::copy(FIXTURE, &p).unwrap();
    p
}

/// The schema history of a fresh ledger: every migration this build knows
/// (numbers may have gaps).
fn fresh_history(dir: &Path) -> Vec<i64> {
    let p = dir.join("fresh-history.ledger");
    drop(Ledger::open(&p).unwrap());
    let v = history_versions(&open_raw(&p));
    assert_eq!(v.last(), Some(&supported_schema_version()));
    v
}

fn fresh_schema(dir: &Path) -> Vec<String> {
    let p = dir.join("fresh.ledger");
    drop(Ledger::open(&p).unwrap());
    schema(&open_raw(&p))
}

#[test]
fn the_fixture_is_a_v1_ledger_holding_every_entity() {
    let conn = open_raw(Path::new(FIXTURE));
    assert_eq!(history_versions(&conn), vec![1], "the fixture is frozen at V1");
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "delete", "one self-contained file");
    for (t, _) in tables(&conn) {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
        assert!(n > 0, "the fixture has no row in {t}");
    }
    // Optional columns are represented filled in, too.
    for (sql, what) in [
        (
            "SELECT count(*) FROM documents WHERE publisher IS NOT NULL AND published IS NOT NULL AND identifier IS NOT NULL AND creators <> '[]' AND metadata <> '{}'",
            "document metadata",
        ),
        ("SELECT count(*) FROM revisions WHERE page_labels IS NOT NULL", "page labels"),
        (
            "SELECT count(*) FROM claims WHERE exemption IS NOT NULL AND exemption_note IS NOT NULL",
            "exemption with a note",
        ),
        ("SELECT count(*) FROM passages WHERE kind = 'footnote' AND footnote IS NOT NULL", "footnote passage"),
        (
            "SELECT count(*) FROM quotations WHERE acknowledged IS NOT NULL AND speaker IS NOT NULL",
            "acknowledged quotation",
        ),
        (
            "SELECT count(*) FROM quotations WHERE differences <> '[]' AND edits <> '[]'",
            "quotation differences and edits",
        ),
        ("SELECT count(*) FROM redactions WHERE scheme IS NULL", "unknown redaction label"),
        ("SELECT count(*) FROM redactions WHERE approx_chars IS NOT NULL", "redaction size"),
        ("SELECT count(*) FROM citations WHERE note IS NOT NULL AND recorded_by IS NOT NULL", "citation note"),
        ("SELECT count(*) FROM derivations WHERE note IS NOT NULL", "derivation note"),
    ] {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0)).unwrap();
        assert!(n > 0, "the fixture lacks a {what}");
    }
}

#[test]
fn the_v1_fixture_upgrades_with_every_row_intact_and_a_fresh_ledgers_schema() {
    let dir = tempfile::tempdir().unwrap();
    let fixture_digest = file_digest(Path::new(FIXTURE));
    let path = copy_fixture(dir.path());
    let (v1_tables, before) = {
        let c = open_raw(&path);
        let t = tables(&c);
        let d = dump_tables(&c, &t);
        (t, d)
    };
    let ledger = Ledger::open(&path).unwrap();
    // The library reads the upgraded rows.
    assert!(ledger.documents().unwrap().len() >= 3);
    let article =
        ledger.documents_titled("Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says").unwrap();
    let audit = ledger.audit(article[0].id).unwrap();
    assert!(!audit.to_text().is_empty());
    // The upgrade indexed the sources already there (V8): claims of the article
    // find their cited passages among the suggestions.
    let rev = ledger.latest_revision(article[0].id).unwrap().unwrap();
    let claims = ledger.claims(rev.id).unwrap();
    let mut found = 0;
    for claim in claims.iter().filter(|c| c.exemption.is_none()) {
        let cited: Vec<Span> = ledger
            .citations(claim.id)
            .unwrap()
            .iter()
            .map(|c| ledger.passage(c.passage).unwrap().unwrap().span)
            .collect();
        let got = ledger.suggest(claim.id, &claimledger::suggest::SuggestOptions::default()).unwrap();
        if got.iter().any(|s| cited.iter().any(|c| c.revision == s.span.revision && s.span.touches(c))) {
            found += 1;
        }
    }
    assert!(found > 0, "no cited passage is suggested after the upgrade");
    // The upgrade recorded the rows it found in one genesis event (V12), so an
    // upgraded, untouched ledger verifies.
    let log = ledger.log().unwrap();
    assert_eq!(log.iter().map(|e| e.what).collect::<Vec<_>>(), [EventKind::Genesis]);
    let docs = ledger.documents().unwrap().len() as u64;
    assert_eq!(log[0].counts.get("documents"), Some(&docs));
    let v = ledger.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.rows, log[0].counts.values().sum::<u64>(), "the genesis holds every row");
    drop(ledger);
    let c = open_raw(&path);
    let (sources, indexed): (i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM revisions r JOIN documents d ON d.id = r.document_id WHERE d.kind <> 'article'),
                    (SELECT count(*) FROM search_revisions)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(sources > 0);
    assert_eq!(indexed, sources, "every source revision is indexed by the upgrade");
    drop(c);

    let c = open_raw(&path);
    let after = dump_tables(&c, &v1_tables);
    for ((t, _, rows_before), (_, _, rows_after)) in before.iter().zip(&after) {
        if t == "refinery_schema_history" {
            assert_eq!(&rows_after[..rows_before.len()], &rows_before[..], "history rows kept");
            assert_eq!(rows_after.len(), fresh_history(dir.path()).len(), "one row per migration");
        } else {
            assert_eq!(rows_after, rows_before, "rows of {t} changed in the upgrade");
        }
    }
    assert_eq!(schema(&c), fresh_schema(dir.path()), "upgraded schema differs from a fresh ledger's");
    assert_eq!(history_versions(&c), fresh_history(dir.path()));
    // V10: evidence items and withdrawals start empty on an upgraded ledger (items
    // are read from footnotes at import).
    for t in ["evidence_items", "withdrawals"] {
        let n: i64 = c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "{t}");
    }
    assert_eq!(file_digest(Path::new(FIXTURE)), fixture_digest, "the fixture itself is never written");
}

/// Schema V4 keeps the verdict apart from the location: a quotation stored by an
/// older build as `ambiguous` (its words never compared with a place) reads as
/// `unchecked` with location `ambiguous` and its candidates; every other row gets
/// the location its status implies.
#[test]
fn v4_splits_an_old_ambiguous_status_into_a_verdict_and_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let (ambiguous_uuid, others): (Vec<u8>, Vec<(Vec<u8>, String)>) = {
        let c = Connection::open(&path).unwrap();
        let uuid: Vec<u8> = c.query_row("SELECT uuid FROM quotations ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
        c.execute("UPDATE quotations SET status = 'ambiguous' WHERE uuid = ?1", [&uuid]).unwrap();
        let mut stmt = c.prepare("SELECT uuid, status FROM quotations WHERE uuid <> ?1").unwrap();
        let others = stmt.query_map([&uuid], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect();
        (uuid, others)
    };
    assert!(!others.is_empty(), "the fixture has more quotations");
    drop(Ledger::open(&path).unwrap());
    let c = open_raw(&path);
    let get = |uuid: &[u8]| -> (String, String) {
        c.query_row("SELECT status, location FROM quotations WHERE uuid = ?1", [uuid], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    };
    assert_eq!(get(&ambiguous_uuid), ("unchecked".to_string(), "ambiguous".to_string()));
    for (uuid, status) in &others {
        let implied = match status.as_str() {
            "not_found" | "unchecked" => "none",
            _ => "unique",
        };
        assert_eq!(get(uuid), (status.clone(), implied.to_string()));
    }
    drop(c);
    // The library reads it, and the audit lists it to pin.
    let ledger = Ledger::open(&path).unwrap();
    let mut found = false;
    for d in ledger.documents().unwrap() {
        let Some(rev) = ledger.latest_revision(d.id).unwrap() else { continue };
        for q in ledger.quotations_of_revision(rev.id).unwrap() {
            if q.check.location == QuoteLocation::Ambiguous {
                assert_eq!(q.check.status, QuoteStatus::Unchecked);
                let audit = ledger.audit(d.id).unwrap();
                assert_eq!(audit.quotations.to_pin.len(), 1);
                assert!(audit.quotations.unanchored.iter().all(|u| u.location != QuoteLocation::Ambiguous));
                found = true;
            }
        }
    }
    assert!(found, "the old ambiguous quotation is read back");
}

/// Schema V7 adds what a ClaimReview says beyond the rating: a verdict row
/// written without the new columns (as before V7) reads back with no details,
/// and a verdict with details round-trips, its kinds stored as the enum's codes.
#[test]
fn v7_adds_review_details_and_keeps_verdicts_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let ledger = Ledger::open(&path).unwrap();
    let article =
        ledger.documents_titled("Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says").unwrap()[0].id;
    let rev = ledger.latest_revision(article).unwrap().unwrap();
    let claim = ledger.claims(rev.id).unwrap()[1].id;
    drop(ledger);
    {
        let c = Connection::open(&path).unwrap();
        let old = VerdictId::new();
        c.execute(
            "INSERT INTO verdicts (uuid, claim_id, alternate_name, author, created_at)
             SELECT ?1, id, 'Unproven', 'Harbor Desk', 0 FROM claims WHERE uuid = ?2",
            rusqlite::params![old, claim],
        )
        .unwrap();
    }
    let mut ledger = Ledger::open(&path).unwrap();
    let old = ledger.verdicts(claim).unwrap();
    assert_eq!(old.len(), 1);
    assert!(old[0].details.is_empty(), "a verdict from before V7 has no details");
    let mut v = NewVerdict::new(claim, "Mostly false");
    v.details.author_type = Some(AgentType::Person);
    v.details.claim_author =
        Some(Agent { name: "Port Authority".into(), kind: Some(AgentType::Organization), url: None });
    v.details.claim_date = Some(time::macros::date!(2023 - 09 - 14));
    let added = ledger.add_verdict(v.clone()).unwrap();
    drop(ledger);
    let ledger = Ledger::open(&path).unwrap();
    let back = ledger.verdicts(claim).unwrap().into_iter().find(|x| x.id == added.id).unwrap();
    assert_eq!(back.details, v.details);
    drop(ledger);
    let c = open_raw(&path);
    let kinds: String = c
        .query_row(
            "SELECT author_type || '/' || claim_author_type || '/' || claim_date FROM verdicts WHERE uuid = ?1",
            [added.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kinds, "person/organization/2023-09-14", "stored as the enum's codes and an ISO date");
}

#[test]
fn a_later_migration_upgrades_the_fixture_and_the_result_is_refused_by_this_build() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let c = open_raw(&path);
    let v1_tables = tables(&c);
    let before = dump_tables(&c, &v1_tables);
    drop(c);
    let next = supported_schema_version() + 1;
    let name = format!("V{next}__reviewed.sql");
    let sql = "ALTER TABLE claims ADD COLUMN reviewed_by TEXT; CREATE TABLE reviews (id INTEGER PRIMARY KEY, claim_id INTEGER NOT NULL REFERENCES claims(id), verdict TEXT NOT NULL) STRICT;";
    drop(Ledger::open_with_migrations(&path, &OpenOptions::default(), &[(name.as_str(), sql)]).unwrap());
    let c = open_raw(&path);
    let after = dump_tables(&c, &v1_tables);
    assert_eq!(after[..].len(), before.len());
    for ((t, _, b), (_, _, a)) in before.iter().zip(&after) {
        if t != "refinery_schema_history" {
            assert_eq!(a, b, "rows of {t}");
        }
    }
    assert_eq!(history_versions(&c).last(), Some(&next));
    drop(c);

    // This build does not know V{next}: refused, bytes unchanged.
    let digest = file_digest(&path);
    let e = Ledger::open(&path).unwrap_err();
    assert!(
        matches!(e, Error::IncompatibleSchema { found, supported } if found == next && supported == next - 1),
        "{e}"
    );
    let e = Ledger::open_with(&path, &OpenOptions { read_only: true, ..OpenOptions::default() }).unwrap_err();
    assert!(e.is_incompatible_file(), "{e}");
    assert_eq!(file_digest(&path), digest);
}

#[test]
fn a_failing_migration_is_rolled_back_and_leaves_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    // Bring it to the current version first, so the failing attempt starts from a
    // clean, closed WAL ledger whose bytes can be compared.
    drop(Ledger::open(&path).unwrap());
    let c = open_raw(&path);
    let t = tables(&c);
    let before = dump_tables(&c, &t);
    let schema_before = schema(&c);
    drop(c);
    let digest = file_digest(&path);

    let next = supported_schema_version() + 1;
    let good = format!("V{next}__good.sql");
    let bad = format!("V{}__bad.sql", next + 1);
    let extra = [
        // Would succeed alone ...
        (
            good.as_str(),
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); ALTER TABLE documents ADD COLUMN notes TEXT;",
        ),
        // ... but this one writes, then fails half way.
        (
            bad.as_str(),
            "UPDATE claims SET kind = 'mangled'; DELETE FROM citations; INSERT INTO no_such_table VALUES (1); DROP TABLE passages;",
        ),
    ];
    let e = Ledger::open_with_migrations(&path, &OpenOptions::default(), &extra).unwrap_err();
    assert!(
        matches!(e, Error::MigrationFailed { version, ref name, .. } if version == next + 1 && name == "bad"),
        "{e:?}"
    );
    assert!(e.to_string().contains("no_such_table"), "{e}");
    assert_eq!(file_digest(&path), digest, "the file is byte for byte as it was");
    let c = open_raw(&path);
    assert_eq!(dump_tables(&c, &t), before, "every row intact");
    assert_eq!(schema(&c), schema_before, "no part of either migration applied");
    drop(c);
    // And the ledger still opens with this build.
    let l = Ledger::open(&path).unwrap();
    assert!(!l.documents().unwrap().is_empty());
}

#[test]
fn a_badly_named_extra_migration_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let digest = file_digest(&path);
    let e =
        Ledger::open_with_migrations(&path, &OpenOptions::default(), &[("no_version.sql", "SELECT 1;")]).unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert_eq!(file_digest(&path), digest);
}

// ------------------------------------------------------------------ read-only

/// Whether this process can write a file whose mode says it cannot (root can).
fn bypasses_permissions(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::write(&probe, b"x").unwrap();
    set_mode(&probe, 0o444);
    let can = std::fs::OpenOptions::new().write(true).open(&probe).is_ok();
    set_mode(&probe, 0o644);
    std::fs::remove_file(&probe).unwrap();
    can
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// What a user who cannot write sees: run in this process, or (as root, for whom
/// modes do not bind) in a child process of this test binary running as `nobody`.
fn as_unprivileged(case: &str, path: &Path) {
    if std::env::var_os("CLAIMLEDGER_RO_CASE").is_some() || !bypasses_permissions(path.parent().unwrap()) {
        return check_read_only(path);
    }
    use std::os::unix::process::CommandExt;
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "read_only_worker", "--ignored", "--nocapture", "--test-threads=1"])
        .env("CLAIMLEDGER_RO_CASE", case)
        .env("CLAIMLEDGER_LEDGER", path)
        .uid(65534)
        .gid(65534)
        .output();
    match out {
        Ok(o) => {
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(o.status.success(), "{case}, as nobody:\n{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
            assert!(stdout.contains("1 passed"), "the worker ran: {stdout}");
            println!("{case}: checked as uid 65534 (this process is privileged)");
        }
        Err(e) => {
            // Only when this root process may not change its user (a restricted
            // container): the write refusal cannot be observed here.
            common::skip(
                &format!("read_only_files_and_directories_give_a_typed_error ({case})"),
                &format!(
                    "running as root and cannot switch to an unprivileged user ({e}); checked read-only opens only"
                ),
            );
            let l = Ledger::open_with(path, &OpenOptions { read_only: true, ..OpenOptions::default() }).unwrap();
            assert!(!l.documents().unwrap().is_empty());
        }
    }
}

fn check_read_only(path: &Path) {
    let dir = path.parent().unwrap();
    let digest = file_digest(path);
    let files = listing(dir);
    let e = Ledger::open(path).unwrap_err();
    assert!(matches!(e, Error::ReadOnly { .. }), "{e:?}");
    assert!(e.to_string().contains("read-only"), "{e}");
    // A source import through the CLI's path fails the same way.
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "New"), "Some text.");
    imp.footnotes = false;
    let e = Ledger::open(path).and_then(|mut l| l.import_source(imp)).unwrap_err();
    assert!(matches!(e, Error::ReadOnly { .. }), "{e:?}");
    assert_eq!(file_digest(path), digest, "the file is untouched");
    assert_eq!(listing(dir), files, "no file created beside it");
}

/// The child-process side of [`as_unprivileged`].
#[test]
#[ignore = "a worker process of read_only_files_and_directories_give_a_typed_error"]
fn read_only_worker() {
    let path = PathBuf::from(std::env::var("CLAIMLEDGER_LEDGER").unwrap());
    check_read_only(&path);
}

#[test]
fn read_only_files_and_directories_give_a_typed_error() {
    let tmp = tempfile::tempdir().unwrap();
    set_mode(tmp.path(), 0o755);
    for case in ["file", "directory", "both"] {
        let dir = tmp.path().join(case);
        std::fs::create_dir(&dir).unwrap();
        let path = dir.join("t.ledger");
        std::fs::copy(FIXTURE, &path).unwrap();
        drop(Ledger::open(&path).unwrap()); // upgraded, WAL, closed cleanly
        if case != "directory" {
            set_mode(&path, 0o444);
        }
        if case != "file" {
            set_mode(&dir, 0o555);
        }
        as_unprivileged(case, &path);
        // Reading with a read-only open works, and refuses writes with ReadOnly.
        if case == "file" {
            let mut l = Ledger::open_with(&path, &OpenOptions { read_only: true, ..OpenOptions::default() }).unwrap();
            assert!(!l.documents().unwrap().is_empty());
            let e = l.add_document(NewDocument::new(DocumentKind::Other, "x")).unwrap_err();
            assert!(matches!(e, Error::ReadOnly { .. }), "{e:?}");
        }
        set_mode(&dir, 0o755);
        set_mode(&path, 0o644);
    }
}

/// The frozen V3 ledger: every row intact past V3, `claims.partial` filled in
/// from the citations (both supported and contradicted: contradicted and partly
/// supported), the figures and the audit as a V3 build gave them, and the
/// schema of a fresh ledger.
#[test]
fn the_v3_fixture_upgrades_with_the_evidence_it_had_and_a_fresh_ledgers_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.ledger");
    std::fs::copy(FIXTURE_V3, &path).unwrap();
    let digest = file_digest(Path::new(FIXTURE_V3));
    let (v3_tables, before) = {
        let c = open_raw(&path);
        assert_eq!(history_versions(&c), vec![1, 2, 3], "the fixture is frozen at V3");
        let t = tables(&c);
        let d = dump_tables(&c, &t);
        (t, d)
    };
    let ledger = Ledger::open(&path).unwrap();
    let notes = ledger.documents_titled("Ferry notes").unwrap();
    let a = ledger.audit(notes[0].id).unwrap();
    let states: Vec<(StatementState, bool)> = a.claims.iter().map(|c| (c.state, c.partly_supported)).collect();
    assert_eq!(
        states,
        [
            (StatementState::Contradicted, true),
            (StatementState::Contradicted, false),
            (StatementState::ContextOnly, false)
        ]
    );
    assert!(a.claims.iter().all(|c| c.parts.is_empty()), "a V3 claim is one implicit part");
    let counts = ledger.coverage(notes[0].id).unwrap().counts;
    assert_eq!((counts.contradicted, counts.context_only, counts.partly_supported), (2, 1, 0));
    let sample = ledger.documents_titled("Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says").unwrap();
    let s = ledger.audit(sample[0].id).unwrap().statements;
    assert_eq!((s.supported, s.context_only, s.partly_supported), (13, 1, 0));
    let log = ledger.log().unwrap();
    assert_eq!(log.iter().map(|e| e.what).collect::<Vec<_>>(), [EventKind::Genesis]);
    assert!(ledger.verify().unwrap().is_ok());
    drop(ledger);

    let c = open_raw(&path);
    let after = dump_tables(&c, &v3_tables);
    for ((t, _, rows_before), (_, _, rows_after)) in before.iter().zip(&after) {
        if t != "refinery_schema_history" {
            assert_eq!(rows_after, rows_before, "rows of {t} changed in the upgrade");
        }
    }
    let partial: Vec<(Option<i64>, i64)> = c
        .prepare("SELECT evidence, partial FROM claims WHERE evidence IS NOT NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(partial.iter().filter(|p| p.1 == 1).count(), 1, "{partial:?}");
    assert!(partial.iter().all(|p| p.1 == 0 || p.0 == Some(2)));
    assert_eq!(schema(&c), fresh_schema(dir.path()), "upgraded schema differs from a fresh ledger's");
    assert_eq!(history_versions(&c), fresh_history(dir.path()));
    assert_eq!(file_digest(Path::new(FIXTURE_V3)), digest, "the fixture itself is never written");
}

// ------------------------------------------------------------------ the fixture

/// Writes `tests/fixtures/ledger-v1.ledger`. Run only with a build whose newest
/// migration is V1 (see the module docs).
#[test]
#[ignore = "regenerates the frozen fixture"]
fn regenerate_v1_fixture() {
    assert_eq!(supported_schema_version(), 1, "the fixture must be written by a V1 build");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.ledger");
    {
        let mut l = Ledger::open(&path).unwrap();
        l.register_redaction_reason(
            RedactionReason { scheme: "desk".into(), code: "src".into(), label: "Source protection".into() },
            &["SRC".into()],
        )
        .unwrap();
        let mut imp = SourceImport::new(
            NewDocument {
                creators: vec!["Office of the Inspector General".into()],
                publisher: Some("Northgate Port Authority".into()),
                published: Some(time::macros::date!(2023 - 09 - 14)),
                identifier: Some("OIG-2023-07".into()),
                metadata: serde_json::json!({"pages": 3}).as_object().cloned().unwrap(),
                ..NewDocument::new(DocumentKind::Report, REPORT_TITLE)
            },
            cli::sample::REPORT,
        );
        imp.page_labels = Some(vec!["1".into(), "2".into(), "3".into()]);
        imp.redactions = Redactions::StandOff(RedactionFile::from_json(cli::sample::REPORT_REDACTIONS).unwrap());
        l.import_source(imp).unwrap();
        // A second source with a custom label, an unknown one and a footnote.
        let memo = l
            .import_source(SourceImport::new(
                NewDocument::new(DocumentKind::Email, "Harbour memo"),
                "Told by [SRC] and [Redacted] that the ferry ran late.[^1]\n\n[^1]: Timetable of May.\n",
            ))
            .unwrap();
        let out = l.import_trace(cli::sample::ARTICLE, &TraceFile::from_toml(cli::sample::TRACE).unwrap()).unwrap();
        let claims = l.claims(out.revision.id).unwrap();
        let uncited = l.uncited_claims(out.revision.id).unwrap();
        l.write(|w| {
            w.set_exemption(
                uncited[0].id,
                Some(&Exemption { reason: ExemptionReason::Other, note: Some("opinion of the writer".into()) }),
            )
        })
        .unwrap();
        let passages = l.passages(memo.revision.id).unwrap();
        let body = passages.iter().find(|p| p.kind != PassageKind::Footnote && p.quote.exact.len() > 4);
        let body = match body {
            Some(p) => p.clone(),
            None => l.add_passage(NewPassage::new(Span::new(memo.revision.id, 0, 13))).unwrap(),
        };
        let src_passages = l
            .passages(l.latest_revision(l.documents_titled(REPORT_TITLE).unwrap()[0].id).unwrap().unwrap().id)
            .unwrap();
        l.add_derivation(NewDerivation {
            from: body.id,
            to: src_passages[0].id,
            kind: DerivationKind::Cites,
            note: Some("the memo repeats the report".into()),
        })
        .unwrap();
        // An acknowledged, altered quotation with every field filled in.
        let brief = "The memo said the ferry \u{201c}ran late, often.\u{201d}";
        let art = l.add_article(NewDocument::new(DocumentKind::Article, "Ferry brief"), brief).unwrap();
        let (qs, qe) = (brief.find("ran").unwrap(), brief.find("often.").unwrap() + "often.".len());
        l.add_quotation(NewQuotation {
            claim: art.claims[0].id,
            span: Span::new(art.revision.id, qs, qe),
            passage: Some(body.id),
            speaker: Some("the memo".into()),
            check: QuoteCheck {
                status: QuoteStatus::Altered,
                location: QuoteLocation::Unique,
                tier: Some(Tier::Fuzzy),
                score: Some(0.9),
                candidate_count: 2,
                differences: vec![Difference { quoted: "often".into(), source: String::new() }],
                edits: vec![Edit { kind: "punctuation_inside".into(), text: ".".into() }],
                candidates: vec![CandidateSpan { span: body.span, tier: Tier::Fuzzy, score: 0.9 }],
            },
            acknowledged: Some("the desk accepts the emphasis".into()),
        })
        .unwrap();
        l.add_citation(NewCitation::new(art.claims[0].id, body.id, Relation::Quotes)).unwrap();
        l.add_citation(NewCitation {
            note: Some("the memo agrees".into()),
            recorded_by: Some("desk".into()),
            ..NewCitation::new(claims[2].id, body.id, Relation::Context)
        })
        .unwrap();
    }
    let c = Connection::open(&path).unwrap();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM;").unwrap();
    drop(c);
    std::fs::copy(&path, FIXTURE).unwrap();
    println!("wrote {FIXTURE}");
}

/// Writes `tests/fixtures/ledger-v3.ledger`: the sample article traced, plus a
/// statement both supported and contradicted and one contradicted only, so the
/// upgrade past V3 has every evidence class to carry over. Run only with a build
/// whose newest migration is V3.
#[test]
#[ignore = "regenerates the frozen fixture"]
fn regenerate_v3_fixture() {
    assert_eq!(supported_schema_version(), 3, "the fixture must be written by a V3 build");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.ledger");
    {
        let mut l = Ledger::open(&path).unwrap();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, REPORT_TITLE), cli::sample::REPORT);
        imp.redactions = Redactions::StandOff(RedactionFile::from_json(cli::sample::REPORT_REDACTIONS).unwrap());
        l.import_source(imp).unwrap();
        let out = l.import_trace(cli::sample::ARTICLE, &TraceFile::from_toml(cli::sample::TRACE).unwrap()).unwrap();
        let report = l.documents_titled(REPORT_TITLE).unwrap()[0].id;
        let srev = l.latest_revision(report).unwrap().unwrap();
        let p = l.add_passage(NewPassage::new(Span::new(srev.id, 0, 40))).unwrap();
        let text = "Ferry fares rose twice. The terminal opened in 2019. The pier is red.";
        let art = l.add_article(NewDocument::new(DocumentKind::Article, "Ferry notes"), text).unwrap();
        // Supported and contradicted (V3 class 2), contradicted only, context only.
        l.add_citation(NewCitation::new(art.claims[0].id, p.id, Relation::Supports)).unwrap();
        l.add_citation(NewCitation::new(art.claims[0].id, p.id, Relation::Contradicts)).unwrap();
        l.add_citation(NewCitation::new(art.claims[1].id, p.id, Relation::Contradicts)).unwrap();
        l.add_citation(NewCitation::new(art.claims[2].id, p.id, Relation::Context)).unwrap();
        assert!(out.statements > 3);
    }
    let c = Connection::open(&path).unwrap();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM;").unwrap();
    drop(c);
    let target = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger-v3.ledger");
    std::fs::copy(&path, target).unwrap();
    println!("wrote {target}");
}

#[test]
fn a_v1_ledger_upgraded_to_v9_reanchors_a_new_revision_of_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let mut ledger = Ledger::open(&path).unwrap();
    let doc = ledger.find_document(REPORT_TITLE).unwrap();
    let r1 = ledger.latest_revision(doc.id).unwrap().unwrap();
    let old_passages = ledger.passages(r1.id).unwrap();
    let text = format!("Preface to the second edition.\n\n{}", r1.text);
    let r2 = ledger.add_revision(doc.id, NewRevision::new(text)).unwrap();
    let out = ledger.reanchor(doc.id, r1.seq, r2.seq).unwrap();
    assert_eq!(out.anchors.iter().filter(|a| a.kind == AnchorKind::Passage).count(), old_passages.len());
    for a in &out.anchors {
        let want = if a.kind == AnchorKind::Redaction { AnchorState::Kept } else { AnchorState::Moved };
        assert_eq!(a.state, want, "{a:?}");
    }
    drop(ledger);
    let c = open_raw(&path);
    let n: i64 = c.query_row("SELECT count(*) FROM anchor_moves", [], |r| r.get(0)).unwrap();
    assert_eq!(n as usize, out.anchors.len());
    let n: i64 = c.query_row("SELECT count(*) FROM reanchorings", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    drop(c);
    // It opens again, schema checked.
    assert!(Ledger::open(&path).is_ok());
}

/// The passage index rows of a ledger: kind, start, end, note and words of
/// every passage, per revision, in ID order; and each revision's totals.
type IndexDump = (Vec<(i64, String, i64, i64, Option<i64>, i64)>, Vec<(i64, i64, i64)>);

fn index_dump(c: &Connection) -> IndexDump {
    let rows = c
        .prepare("SELECT revision_id, kind, start, end, note, tokens FROM search_passages ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let totals = c
        .prepare("SELECT revision_id, passages, tokens FROM search_revisions ORDER BY revision_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (rows, totals)
}

/// One suggestion as compared: span, score and matched terms.
type Suggested = (usize, usize, f64, Vec<String>);

/// The suggestions for every statement of the demo article that is not exempt.
fn demo_suggestions(l: &Ledger) -> Vec<Vec<Suggested>> {
    let article = l.documents_titled("Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says").unwrap();
    let rev = l.latest_revision(article[0].id).unwrap().unwrap();
    l.claims(rev.id)
        .unwrap()
        .iter()
        .filter(|c| c.exemption.is_none())
        .map(|c| {
            l.suggest(c.id, &claimledger::suggest::SuggestOptions::default())
                .unwrap()
                .into_iter()
                .map(|s| (s.span.start, s.span.end, s.score, s.matched))
                .collect()
        })
        .collect()
}

/// V15: an index written before it holds window rows, counted in each
/// revision's totals; the upgrade indexes the same revisions again without
/// them, so the ledger suggests exactly what a ledger indexed by this build
/// suggests.
#[test]
fn v15_rebuilds_an_index_holding_window_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v12.ledger");
    std::fs::copy(FIXTURE_V12, &path).unwrap();
    {
        let c = open_raw(&path);
        assert_eq!(history_versions(&c).last(), Some(&12), "the fixture is a V12 ledger");
        let windows: i64 =
            c.query_row("SELECT count(*) FROM search_passages WHERE kind = 'window'", [], |r| r.get(0)).unwrap();
        assert!(windows > 0, "the fixture's index holds window rows");
    }

    // A ledger holding the same records, indexed by this build.
    let fresh_path = dir.path().join("fresh.ledger");
    let mut fresh = Ledger::open(&fresh_path).unwrap();
    let trace = TraceFile::from_toml(cli::sample::TRACE).unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, REPORT_TITLE), cli::sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(cli::sample::REPORT_REDACTIONS).unwrap());
    fresh.import_source(imp).unwrap();
    fresh.import_trace(cli::sample::ARTICLE, &trace).unwrap();

    let upgraded = Ledger::open(&path).unwrap();
    let report = |l: &Ledger| {
        let d = l.documents_titled(REPORT_TITLE).unwrap();
        l.latest_revision(d[0].id).unwrap().unwrap().text
    };
    assert_eq!(report(&upgraded), report(&fresh), "the fixture holds the demo report");
    let got = demo_suggestions(&upgraded);
    assert!(got.iter().any(|s| !s.is_empty()), "the upgraded ledger suggests passages");
    assert_eq!(got, demo_suggestions(&fresh), "suggestions after the upgrade differ from a fresh index's");
    drop(upgraded);
    drop(fresh);

    let c = open_raw(&path);
    let (rows, totals) = index_dump(&c);
    assert!(rows.iter().all(|r| r.1 != "window"), "window rows are gone");
    assert_eq!((rows, totals), index_dump(&open_raw(&fresh_path)), "the index equals a fresh ledger's");
    assert_eq!(history_versions(&c), fresh_history(dir.path()));
    assert_eq!(schema(&c), fresh_schema(dir.path()), "upgraded schema differs from a fresh ledger's");
}

/// V16: the log a V15 ledger kept for its bundle import becomes its depth-1
/// imported log, every event as it was; the upgraded ledger verifies, and its
/// bundle now carries that log, which a copy keeps (depth 2) and verifies.
#[test]
fn v16_keeps_the_imported_log_of_a_v15_ledger_and_its_bundle_carries_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v15.ledger");
    std::fs::copy(FIXTURE_V15, &path).unwrap();
    let before = {
        let c = open_raw(&path);
        assert_eq!(history_versions(&c).last(), Some(&15), "the fixture is a V15 ledger");
        rows_of(
            &c,
            "SELECT event_id, seq, uuid, what, actor, created_at, counts, rows_digest, prev_hash, foreign_head, hash FROM foreign_events ORDER BY id",
        )
    };
    assert_eq!(before.len(), 1, "the fixture kept one imported event");

    let b = Ledger::open(&path).unwrap();
    let logs = b.imported_logs().unwrap();
    assert_eq!(logs.len(), 1);
    let import = &b.log().unwrap()[0];
    assert_eq!((logs[0].event, logs[0].depth), (import.seq, 1));
    assert_eq!(logs[0].head, import.foreign_head, "the kept log ends at the head the import recorded");
    let v = b.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!((v.foreign_logs, v.foreign_events, v.uncarried_logs), (1, 1, 0));

    let mut bundle = Vec::new();
    b.export_bundle(claimledger::formats::Scope::Ledger, &mut bundle).unwrap();
    let mut c = Ledger::open_in_memory().unwrap();
    c.import_bundle(&bundle[..]).unwrap();
    let kept = c.imported_logs().unwrap();
    assert_eq!(kept.iter().map(|g| g.depth).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(kept[1].events, logs[0].events, "the first ledger's log travelled");
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!(v.uncarried_logs, 0);
    drop(b);

    let conn = open_raw(&path);
    let after = rows_of(
        &conn,
        "SELECT l.event_id, f.seq, f.uuid, f.what, f.actor, f.created_at, f.counts, f.rows_digest, f.prev_hash, f.foreign_head, f.hash FROM foreign_events f JOIN foreign_logs l ON l.id = f.log_id ORDER BY f.id",
    );
    assert_eq!(after, before, "every imported event kept as it was, under the same import event");
    assert_eq!(history_versions(&conn), fresh_history(dir.path()));
    assert_eq!(schema(&conn), fresh_schema(dir.path()), "upgraded schema differs from a fresh ledger's");
}

/// V17: every event of a V16 ledger, its own and its imported logs' at every
/// depth, keeps its fields and hash and is read in form 1; the ledger verifies;
/// a bundle imported since records what it kept (form 2), and the result
/// verifies and has a fresh ledger's schema.
#[test]
fn v17_keeps_every_event_of_a_v16_ledger_in_form_1_and_new_imports_use_form_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v16.ledger");
    std::fs::copy(FIXTURE_V16, &path).unwrap();
    let own = "SELECT id, uuid, what, actor, created_at, counts, rows_digest, prev_hash, hash, foreign_head FROM events ORDER BY id";
    let foreign = "SELECT l.event_id, l.depth, f.seq, f.uuid, f.what, f.actor, f.created_at, f.counts, f.rows_digest, f.prev_hash, f.foreign_head, f.hash FROM foreign_events f JOIN foreign_logs l ON l.id = f.log_id ORDER BY f.id";
    let before = {
        let c = open_raw(&path);
        assert_eq!(history_versions(&c).last(), Some(&16), "the fixture is a V16 ledger");
        (rows_of(&c, own), rows_of(&c, foreign))
    };
    assert_eq!(before.0.len(), 1, "the fixture's one import event");
    assert!(before.1.iter().any(|r| r.starts_with("[Integer(1), Integer(2),")), "a log at depth 2: {:?}", before.1);

    let mut c = Ledger::open(&path).unwrap();
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    assert_eq!((v.foreign_logs, v.foreign_events, v.uncarried_logs), (2, 3, 0));
    assert!(c.log().unwrap().iter().all(|e| e.form == 1 && e.kept.is_none()));
    assert!(c.imported_logs().unwrap().iter().flat_map(|g| &g.events).all(|e| e.form == 1 && e.kept.is_none()));

    let mut other = Ledger::open_in_memory().unwrap();
    let doc = other.add_document(NewDocument::new(DocumentKind::Report, "Bridge repairs")).unwrap();
    other.add_revision(doc.id, NewRevision::new("The bridge closed for repairs in May.")).unwrap();
    let mut bundle = Vec::new();
    other.export_bundle(claimledger::formats::Scope::Ledger, &mut bundle).unwrap();
    c.import_bundle(&bundle[..]).unwrap();
    let last = c.log().unwrap().last().cloned().unwrap();
    assert_eq!(last.form, 2);
    let head = other.log().unwrap().last().unwrap().hash;
    assert_eq!(last.kept, Some(vec![claimledger::history::KeptLog { log: head, depth: 1, events: 2 }]));
    let v = c.verify().unwrap();
    assert!(v.is_ok(), "{:?}", v.problems);
    drop(c);

    let conn = open_raw(&path);
    assert_eq!(rows_of(&conn, &format!("{own} LIMIT 1")), before.0, "the V16 event as it was");
    assert_eq!(
        rows_of(&conn, &format!("SELECT * FROM ({foreign}) LIMIT 3")),
        before.1,
        "its imported events as they were"
    );
    assert_eq!(
        rows_of(&conn, "SELECT form, kept IS NULL FROM events ORDER BY id"),
        ["[Integer(1), Integer(1)]", "[Integer(2), Integer(0)]"]
    );
    assert_eq!(history_versions(&conn), fresh_history(dir.path()));
    assert_eq!(schema(&conn), fresh_schema(dir.path()), "upgraded schema differs from a fresh ledger's");
}
