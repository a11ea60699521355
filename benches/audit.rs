//! Audit figures and opening, on generated ledgers of 10k, 100k and 1M claims
//! (100 claims per article, 150 citations per 100 claims), versus the
//! hand-written SQL that computes the same figures, measured in the same run:
//!
//! - `audit_all`: per-article counts (total, exempt, uncited, supported, context
//!   only, contradicted) of the whole ledger: `Ledger::coverage_all` vs raw SQL
//!   over the same schema; and, for reference, the same figures computed by
//!   joining the citations (no `claims.evidence`), and the uncited count alone;
//! - `audit_one`: one article's counts: `Ledger::coverage` vs raw SQL, and the full
//!   `Ledger::audit` (records, lists, withheld chains) for reference;
//! - `open`: `Ledger::open` (probe, pragmas, migration check, taxonomy) vs a raw
//!   `Connection::open` with the same pragmas.
//!
//! The ledgers are built once through the library and cached in
//! `target/bench-data/ledger-{claims}.ledger`. `cargo bench --bench audit`; in
//! test mode, 2k claims once.

mod common;

use claimledger::*;
use common::*;
use criterion::{BenchmarkId, Criterion, Throughput};
use rusqlite::Connection;
use std::hint::black_box;
use std::time::Duration;

/// The hand-written SQL: per revision, the seven figures, from each claim's
/// exemption and the aggregate of its parts (`claims.evidence` and
/// `claims.partial`, schema V3 and V5), no UUIDs.
const RAW_ALL: &str = "
SELECT revision_id, count(*), count(exemption),
       count(exemption IS NULL AND evidence IS NULL OR NULL),
       count(exemption IS NULL AND evidence = 1 AND partial = 0 OR NULL),
       count(exemption IS NULL AND evidence = 0 OR NULL), count(exemption IS NULL AND evidence = 2 OR NULL),
       count(exemption IS NULL AND evidence = 1 AND partial = 1 OR NULL)
FROM claims GROUP BY revision_id";

/// The same for one revision (by row ID).
const RAW_ONE: &str = "
SELECT count(*), count(exemption),
       count(exemption IS NULL AND evidence IS NULL OR NULL),
       count(exemption IS NULL AND evidence = 1 AND partial = 0 OR NULL),
       count(exemption IS NULL AND evidence = 0 OR NULL), count(exemption IS NULL AND evidence = 2 OR NULL),
       count(exemption IS NULL AND evidence = 1 AND partial = 1 OR NULL)
FROM claims WHERE revision_id = ?1";

/// Without the evidence column: classify each claim by joining its citations on
/// row IDs (what the figures cost on the V1 schema; these ledgers have no
/// claim parts, so no statement is partly supported).
const JOIN_ALL: &str = "
SELECT c.revision_id, count(*), count(c.exemption),
       count(c.exemption IS NULL AND x.class IS NULL OR NULL), count(c.exemption IS NULL AND x.class = 1 OR NULL),
       count(c.exemption IS NULL AND x.class = 0 OR NULL), count(c.exemption IS NULL AND x.class = 2 OR NULL), 0
FROM claims c
LEFT JOIN (SELECT claim_id, max(CASE relation WHEN 'supports' THEN 1 WHEN 'quotes' THEN 1 WHEN 'paraphrases' THEN 1
                                 WHEN 'describes_redaction' THEN 1 WHEN 'contradicts' THEN 2 ELSE 0 END) AS class
           FROM citations GROUP BY claim_id) x ON x.claim_id = c.id
GROUP BY c.revision_id";

/// The reference's limit: the uncited count of every article, joined on row IDs.
const JOIN_UNCITED: &str = "
SELECT c.revision_id, count(*) FROM claims c
WHERE c.exemption IS NULL AND NOT EXISTS (SELECT 1 FROM citations t WHERE t.claim_id = c.id)
GROUP BY c.revision_id";

type Figures = [i64; 7];

fn raw_all(conn: &Connection, sql: &str) -> Vec<(i64, Figures)> {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?]))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn raw_one(conn: &Connection, rev: i64) -> Figures {
    conn.prepare_cached(RAW_ONE)
        .unwrap()
        .query_row([rev], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?]))
        .unwrap()
}

fn figures(c: &CoverageCounts) -> Figures {
    [c.total, c.exempt, c.uncited, c.supported, c.context_only, c.contradicted, c.partly_supported].map(|v| v as i64)
}

fn raw_open(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let sizes: Vec<usize> = if full() { vec![100, 1_000, 10_000] } else { vec![20] };
    for &articles in &sizes {
        let claims = articles * CLAIMS;
        let (path, t) = full_ledger(articles);
        let ledger = Ledger::open(&path).unwrap();
        let conn = raw_open(&path);

        // The library and the raw SQL agree, and the audit agrees with both.
        let lib = ledger.coverage_all().unwrap();
        let raw = raw_all(&conn, RAW_ALL);
        let mut joined: Vec<Figures> = raw_all(&conn, JOIN_ALL).into_iter().map(|(_, f)| f).collect();
        joined.sort();
        assert_eq!(lib.len(), articles);
        assert_eq!(raw.len(), articles);
        let mut raw_sorted: Vec<Figures> = raw.iter().map(|(_, f)| *f).collect();
        let mut lib_sorted: Vec<Figures> = lib.iter().map(|d| figures(&d.counts)).collect();
        raw_sorted.sort();
        lib_sorted.sort();
        assert_eq!(lib_sorted, raw_sorted);
        assert_eq!(joined, raw_sorted, "the evidence column agrees with the citations");
        let mid = t.articles[articles / 2];
        let doc = ledger.revision(mid).unwrap().unwrap().document;
        let rev_row: i64 = conn
            .query_row("SELECT id FROM revisions WHERE uuid = ?1", [mid.uuid().as_bytes().as_slice()], |r| r.get(0))
            .unwrap();
        let one = ledger.coverage(doc).unwrap();
        assert_eq!(figures(&one.counts), raw_one(&conn, rev_row));
        assert_eq!(
            one.counts,
            CoverageCounts {
                total: 100,
                exempt: 5,
                uncited: 5,
                supported: 60,
                context_only: 20,
                contradicted: 10,
                partly_supported: 0
            }
        );
        let audit = ledger.audit(doc).unwrap();
        let s = &audit.statements;
        assert_eq!(
            [s.total, s.exempt, s.uncited, s.supported, s.context_only, s.contradicted, s.partly_supported]
                .map(|v| v as i64),
            figures(&one.counts)
        );

        let mut g = c.benchmark_group("audit_all");
        g.sample_size(if claims >= 1_000_000 { 10 } else { 20 }).measurement_time(Duration::from_secs(10));
        g.throughput(Throughput::Elements(claims as u64));
        g.bench_function(BenchmarkId::new("library", claims), |b| b.iter(|| black_box(ledger.coverage_all().unwrap())));
        g.bench_function(BenchmarkId::new("raw_sql", claims), |b| b.iter(|| black_box(raw_all(&conn, RAW_ALL))));
        g.bench_function(BenchmarkId::new("raw_sql_join_citations", claims), |b| {
            b.iter(|| black_box(raw_all(&conn, JOIN_ALL)))
        });
        g.bench_function(BenchmarkId::new("raw_sql_join_uncited_only", claims), |b| {
            b.iter(|| {
                let mut stmt = conn.prepare_cached(JOIN_UNCITED).unwrap();
                let n = stmt.query_map([], |r| r.get::<_, i64>(1)).unwrap().count();
                black_box(n)
            })
        });
        g.finish();

        let mut g = c.benchmark_group("audit_one");
        g.measurement_time(Duration::from_secs(5));
        g.bench_function(BenchmarkId::new("library_coverage", claims), |b| {
            b.iter(|| black_box(ledger.coverage(doc).unwrap()))
        });
        g.bench_function(BenchmarkId::new("raw_sql", claims), |b| b.iter(|| black_box(raw_one(&conn, rev_row))));
        g.bench_function(BenchmarkId::new("library_audit", claims), |b| {
            b.iter(|| black_box(ledger.audit(doc).unwrap()))
        });
        g.finish();

        drop(ledger);
        drop(conn);
        let mut g = c.benchmark_group("open");
        g.measurement_time(Duration::from_secs(5));
        g.bench_function(BenchmarkId::new("library", claims), |b| b.iter(|| black_box(Ledger::open(&path).unwrap())));
        g.bench_function(BenchmarkId::new("raw_rusqlite", claims), |b| b.iter(|| black_box(raw_open(&path))));
        g.finish();

        if full() {
            let ledger = Ledger::open(&path).unwrap();
            let conn = raw_open(&path);
            let (l, r) = interleaved(
                if claims >= 1_000_000 { 15 } else { 41 },
                || timed(|| ledger.coverage_all().unwrap()),
                || timed(|| raw_all(&conn, RAW_ALL)),
            );
            report(format!(
                "audit_all {claims} claims, interleaved medians: library {:.1} ms, raw SQL {:.1} ms, library/raw = {:.2}x",
                l.as_secs_f64() * 1e3,
                r.as_secs_f64() * 1e3,
                l.as_secs_f64() / r.as_secs_f64()
            ));
            let (l, r) =
                interleaved(2001, || timed(|| ledger.coverage(doc).unwrap()), || timed(|| raw_one(&conn, rev_row)));
            report(format!(
                "audit_one {claims} claims, interleaved medians: library {:.1} µs, raw SQL {:.1} µs, library/raw = {:.2}x",
                l.as_secs_f64() * 1e6,
                r.as_secs_f64() * 1e6,
                l.as_secs_f64() / r.as_secs_f64()
            ));
        }
        let e = |g: &str, id: &str| estimate(g, &format!("{id}/{claims}"));
        if let (Some(l), Some(r)) = (e("audit_all", "library"), e("audit_all", "raw_sql")) {
            report(format!(
                "audit_all {claims} claims: library {:.1} ms, raw SQL {:.1} ms, library/raw = {:.2}x",
                l / 1e6,
                r / 1e6,
                l / r
            ));
        }
        if let (Some(j), Some(u)) =
            (e("audit_all", "raw_sql_join_citations"), e("audit_all", "raw_sql_join_uncited_only"))
        {
            report(format!(
                "audit_all {claims} claims without the evidence column: six figures joined {:.1} ms, uncited only {:.1} ms",
                j / 1e6,
                u / 1e6
            ));
        }
        if let (Some(l), Some(r), Some(a)) =
            (e("audit_one", "library_coverage"), e("audit_one", "raw_sql"), e("audit_one", "library_audit"))
        {
            report(format!(
                "audit_one {claims} claims: library {:.1} µs, raw SQL {:.1} µs, library/raw = {:.2}x; full Ledger::audit {:.0} µs",
                l / 1e3,
                r / 1e3,
                l / r,
                a / 1e3
            ));
        }
        if let (Some(l), Some(r)) = (e("open", "library"), e("open", "raw_rusqlite")) {
            report(format!("open {claims} claims: library {:.2} ms, raw {:.2} ms", l / 1e6, r / 1e6));
        }
    }
    c.final_summary();
}
