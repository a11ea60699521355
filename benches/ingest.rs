//! Ingest: claims, passages and citations through the typed bulk API
//! (`Ledger::write` with `add_passage`, `add_claim`, `add_citation`) versus raw
//! rusqlite inserting the same rows into the same schema, with the same pragmas
//! (WAL, synchronous=NORMAL, foreign_keys=ON), one transaction, cached prepared
//! statements, every value (UUIDs, selectors, timestamps, each claim's evidence
//! class) computed beforehand.
//! At 10k, 100k and 1M claims (per 100 claims: 50 passages, 150 citations).
//!
//! `cargo bench --bench ingest`; in test mode, 2k claims once.

mod common;

use claimledger::*;
use common::*;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use rusqlite::{Connection, params};
use std::path::Path;
use std::time::{Duration, Instant};

/// The rows of one ingest, every value computed, for the raw inserter.
struct RawRows {
    /// Per article: its passages, then its claims with their citations.
    articles: Vec<RawArticle>,
    rows: usize,
}

struct RawArticle {
    passages: Vec<RawPassage>,
    claims: Vec<RawClaim>,
}

struct RawPassage {
    uuid: [u8; 16],
    rev: i64,
    start: i64,
    end: i64,
    exact: String,
    prefix: String,
    suffix: String,
    cp_start: i64,
    cp_end: i64,
}

struct RawClaim {
    uuid: [u8; 16],
    rev: i64,
    start: i64,
    end: i64,
    exemption: Option<&'static str>,
    /// The class of its strongest citation (`claims.evidence`, schema V3).
    evidence: Option<i64>,
    citations: Vec<([u8; 16], usize, &'static str)>,
}

fn raw_rows(conn: &Connection, shape: &Shape, t: &Template) -> RawRows {
    let row = |id: &RevisionId| -> i64 {
        conn.query_row("SELECT id FROM revisions WHERE uuid = ?1", [id.uuid().as_bytes().as_slice()], |r| r.get(0))
            .unwrap()
    };
    let src_rows: Vec<i64> = t.sources.iter().map(row).collect();
    let indexes: Vec<CharIndex> = shape.sources.iter().map(|(s, _)| CharIndex::new(s)).collect();
    let mut rows = 0;
    let mut articles = Vec::new();
    for (a, (_, spans)) in shape.articles.iter().enumerate() {
        let art_row = row(&t.articles[a]);
        let src = a / ARTICLES_PER_SOURCE;
        let first = (a % ARTICLES_PER_SOURCE) * PASSAGES;
        let text = indexes[src].text();
        let passages: Vec<RawPassage> = shape.sources[src].1[first..first + PASSAGES]
            .iter()
            .map(|s| {
                let idx = &indexes[src];
                let (cs, ce) = idx.range_to_chars(s.start, s.end).unwrap();
                let pre = idx.to_byte(cs.saturating_sub(32)).unwrap();
                let suf = idx.to_byte((ce + 32).min(idx.char_len())).unwrap();
                RawPassage {
                    uuid: *PassageId::new().uuid().as_bytes(),
                    rev: src_rows[src],
                    start: s.start as i64,
                    end: s.end as i64,
                    exact: text[s.clone()].to_string(),
                    prefix: text[pre..s.start].to_string(),
                    suffix: text[s.end..suf].to_string(),
                    cp_start: cs as i64,
                    cp_end: ce as i64,
                }
            })
            .collect();
        rows += passages.len();
        let claims: Vec<RawClaim> = spans
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let (exempt, cites) = plan(k);
                rows += 1 + cites.len();
                RawClaim {
                    uuid: *ClaimId::new().uuid().as_bytes(),
                    rev: art_row,
                    start: s.start as i64,
                    end: s.end as i64,
                    exemption: exempt.then_some("site_chrome"),
                    evidence: cites.iter().map(|(_, r)| class(*r)).max(),
                    citations: cites
                        .into_iter()
                        .map(|(p, r)| (*CitationId::new().uuid().as_bytes(), p, r.code()))
                        .collect(),
                }
            })
            .collect();
        articles.push(RawArticle { passages, claims });
    }
    RawRows { articles, rows }
}

/// `claims.evidence` of a relation: 2 supporting, 1 contradicting, 0 other.
fn class(r: Relation) -> i64 {
    if r == Relation::Contradicts {
        2
    } else if r.is_supporting() {
        1
    } else {
        0
    }
}

fn raw_open(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn
}

fn raw_ingest(conn: &mut Connection, rows: &RawRows) {
    let now = 1_700_000_000_000i64;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
    {
        let mut ip = tx
            .prepare_cached(
                "INSERT INTO passages (uuid, revision_id, start, end, kind, footnote, exact, prefix, suffix, cp_start, cp_end, page, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .unwrap();
        let mut ic = tx
            .prepare_cached(
                "INSERT INTO claims (uuid, revision_id, start, end, kind, exemption, exemption_note, created_at, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .unwrap();
        let mut it = tx
            .prepare_cached(
                "INSERT INTO citations (uuid, claim_id, passage_id, relation, note, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .unwrap();
        let mut prow = Vec::with_capacity(PASSAGES);
        for a in &rows.articles {
            prow.clear();
            for p in &a.passages {
                prow.push(
                    ip.insert(params![
                        &p.uuid[..],
                        p.rev,
                        p.start,
                        p.end,
                        "text",
                        None::<i64>,
                        p.exact,
                        p.prefix,
                        p.suffix,
                        p.cp_start,
                        p.cp_end,
                        None::<i64>,
                        now
                    ])
                    .unwrap(),
                );
            }
            for c in &a.claims {
                let claim = ic
                    .insert(params![
                        &c.uuid[..],
                        c.rev,
                        c.start,
                        c.end,
                        "factual",
                        c.exemption,
                        None::<String>,
                        now,
                        c.evidence
                    ])
                    .unwrap();
                for (uuid, p, rel) in &c.citations {
                    it.execute(params![&uuid[..], claim, prow[*p], rel, None::<String>, None::<String>, now]).unwrap();
                }
            }
        }
    }
    tx.commit().unwrap();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    println!("machine: {}", machine());
    let sizes: Vec<usize> = if full() { vec![100, 1_000, 10_000] } else { vec![20] };
    let work = data_dir().join("ingest-work.ledger");
    let mut g = c.benchmark_group("ingest");
    g.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_millis(500));
    for &articles in &sizes {
        let shape = Shape::new(articles);
        let claims = shape.claims();
        let (tpl, t) = template(&shape, &format!("template-{claims}"));
        let raw = {
            copy_ledger(&tpl, &work);
            raw_rows(&raw_open(&work), &shape, &t)
        };
        g.throughput(Throughput::Elements(raw.rows as u64));
        g.measurement_time(Duration::from_secs(if claims >= 1_000_000 { 60 } else { 10 }));
        g.bench_with_input(BenchmarkId::new("library", claims), &articles, |b, _| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    copy_ledger(&tpl, &work);
                    let mut l = Ledger::open(&work).unwrap();
                    let started = Instant::now();
                    let n = ingest(&mut l, &shape, &t);
                    total += started.elapsed();
                    assert_eq!(n, raw.rows);
                }
                total
            })
        });
        g.bench_with_input(BenchmarkId::new("raw_rusqlite", claims), &articles, |b, _| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    copy_ledger(&tpl, &work);
                    let mut conn = raw_open(&work);
                    let started = Instant::now();
                    raw_ingest(&mut conn, &raw);
                    total += started.elapsed();
                }
                total
            })
        });
        if full() {
            let (l, r) = interleaved(
                if claims >= 1_000_000 { 3 } else { 9 },
                || {
                    copy_ledger(&tpl, &work);
                    let mut l = Ledger::open(&work).unwrap();
                    timed(|| ingest(&mut l, &shape, &t))
                },
                || {
                    copy_ledger(&tpl, &work);
                    let mut conn = raw_open(&work);
                    timed(|| raw_ingest(&mut conn, &raw))
                },
            );
            let rate = |d: Duration| raw.rows as f64 / d.as_secs_f64();
            report(format!(
                "ingest {claims} claims, interleaved medians: library {:.0} rows/s, raw {:.0} rows/s, library/raw = {:.2}",
                rate(l),
                rate(r),
                r.as_secs_f64() / l.as_secs_f64()
            ));
        }
        if let (Some(lib), Some(raw_ns)) =
            (estimate("ingest", &format!("library/{claims}")), estimate("ingest", &format!("raw_rusqlite/{claims}")))
        {
            let rate = |ns: f64| raw.rows as f64 / (ns / 1e9);
            report(format!(
                "ingest {claims} claims ({} rows): library {:.0} rows/s ({:.0} claims/s), raw {:.0} rows/s, library/raw = {:.2}",
                raw.rows,
                rate(lib),
                claims as f64 / (lib / 1e9),
                rate(raw_ns),
                raw_ns / lib
            ));
        }
    }
    g.finish();
    remove_ledger(&work);
    c.final_summary();
}
