//! Shared by the benches: run mode, the machine, generated ledgers and texts.
//!
//! Every bench runs in two modes. `cargo bench --bench NAME` passes `--bench` and
//! gets the real sizes; `cargo test --all-targets` runs each bench binary without
//! it (criterion's test mode: every routine once) and gets tiny sizes, so the
//! benches are exercised by the test suite and cannot rot.
#![allow(dead_code)]

use claimledger::*;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// True under `cargo bench` (real sizes), false in test mode (tiny sizes).
pub fn full() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Where generated data is cached between runs: `target/bench-data/`.
pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-data");
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    dir
}

/// One line naming the machine, for the figures: cores, CPU model, SQLite.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {model}, SQLite {}, {}", rusqlite::version(), if full() { "bench" } else { "test mode" })
}

/// Prints a result line that PERFORMANCE.md quotes.
pub fn report(line: impl AsRef<str>) {
    println!("RESULT {}", line.as_ref());
}

/// Runs `f` `n` times and returns the median wall time (for the summary lines that
/// compare two routines measured in the same run).
pub fn median_of(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..n.max(1)).map(|_| f()).collect();
    v.sort();
    v[v.len() / 2]
}

// ------------------------------------------------------------ generated text

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words of a made-up municipal-news register (fictional; no corpus text).
const WORDS: &[&str] = &[
    "the",
    "council",
    "harbor",
    "ferry",
    "terminal",
    "budget",
    "report",
    "inspector",
    "contract",
    "review",
    "said",
    "found",
    "that",
    "of",
    "to",
    "and",
    "in",
    "a",
    "was",
    "were",
    "which",
    "managers",
    "warned",
    "costs",
    "rose",
    "during",
    "year",
    "after",
    "before",
    "public",
    "records",
    "show",
    "officials",
    "approved",
    "payments",
    "without",
    "written",
    "agreement",
    "auditors",
    "asked",
    "for",
    "documents",
    "about",
    "three",
    "weaknesses",
    "in",
    "oversight",
    "the",
    "commission",
    "delayed",
    "its",
    "vote",
    "until",
    "spring",
    "residents",
    "complained",
    "repairs",
    "late",
    "engineers",
    "estimated",
    "dock",
    "would",
    "need",
    "new",
    "pilings",
    "by",
    "summer",
    "mayor",
    "declined",
    "comment",
    "on",
    "the",
    "figures",
    "staff",
    "memo",
    "described",
    "overruns",
    "as",
    "modest",
    "while",
    "critics",
    "called",
    "them",
    "avoidable",
    "board",
    "minutes",
    "note",
    "objections",
    "from",
    "two",
    "members",
    "state",
    "grant",
    "covered",
    "part",
    "of",
    "work",
    "contractor",
    "billed",
    "extra",
    "hours",
    "weekend",
    "shifts",
    "department",
    "spokesperson",
    "confirmed",
    "an",
    "internal",
    "inquiry",
    "is",
    "open",
];

/// One sentence of 8 to 14 words, capitalized, ending in a period.
pub fn sentence(rng: &mut Rng, out: &mut String) {
    let n = 8 + rng.below(7);
    for i in 0..n {
        let w = WORDS[rng.below(WORDS.len())];
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push('.');
}

/// A text of `n` sentences (a paragraph break every 5), with each sentence's span.
pub fn text_of(rng: &mut Rng, n: usize) -> (String, Vec<Range<usize>>) {
    let mut s = String::with_capacity(n * 80);
    let mut spans = Vec::with_capacity(n);
    for i in 0..n {
        if i > 0 {
            s.push_str(if i % 5 == 0 { "\n\n" } else { " " });
        }
        let start = s.len();
        sentence(rng, &mut s);
        spans.push(start..s.len());
    }
    (s, spans)
}

// ------------------------------------------------------------ generated ledgers

/// Claims per article.
pub const CLAIMS: usize = 100;
/// Passages each article cites (in its source).
pub const PASSAGES: usize = 50;
/// Articles citing one source (the source has `PASSAGES` sentences per article).
pub const ARTICLES_PER_SOURCE: usize = 20;

/// The texts of a generated ledger of `articles` articles.
pub struct Shape {
    pub articles: Vec<(String, Vec<Range<usize>>)>,
    pub sources: Vec<(String, Vec<Range<usize>>)>,
}

impl Shape {
    pub fn new(articles: usize) -> Shape {
        let mut rng = Rng::new(articles as u64);
        let sources = articles.div_ceil(ARTICLES_PER_SOURCE);
        Shape {
            articles: (0..articles).map(|_| text_of(&mut rng, CLAIMS)).collect(),
            sources: (0..sources).map(|_| text_of(&mut rng, PASSAGES * ARTICLES_PER_SOURCE)).collect(),
        }
    }

    pub fn claims(&self) -> usize {
        self.articles.len() * CLAIMS
    }
}

/// What claim `k` of an article is: exempt, uncited, or its citations
/// `(passage index in the article's passages, relation)`. Per article: 5 exempt,
/// 5 uncited, 90 cited, 150 citations; relations mixed so that every audit figure
/// is non-zero.
pub fn plan(k: usize) -> (bool, Vec<(usize, Relation)>) {
    if k.is_multiple_of(20) {
        return (true, vec![]);
    }
    if k % 20 == 10 {
        return (false, vec![]);
    }
    let first = match k % 10 {
        1 | 2 | 4 => Relation::Supports,
        3 => Relation::Quotes,
        5 => Relation::Paraphrases,
        6 | 7 => Relation::Context,
        8 => Relation::Contradicts,
        _ => Relation::Supports,
    };
    let mut v = vec![(k % PASSAGES, first)];
    // 60 of the 90 cited claims cite a second passage, as context.
    let cited_index = k - (k / 20 + 1) - (k + 10) / 20;
    if cited_index % 3 != 2 {
        v.push(((k + PASSAGES / 2) % PASSAGES, Relation::Context));
    }
    (false, v)
}

/// Row IDs of a template ledger's revisions (the sidecar of the template).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Template {
    pub articles: Vec<RevisionId>,
    pub sources: Vec<RevisionId>,
    pub schema: i64,
}

/// A ledger file holding the shape's documents and revisions only, built once and
/// cached as `target/bench-data/{name}.ledger` with a JSON sidecar.
pub fn template(shape: &Shape, name: &str) -> (PathBuf, Template) {
    let path = data_dir().join(format!("{name}.ledger"));
    let side = data_dir().join(format!("{name}.json"));
    if let Ok(s) = std::fs::read_to_string(&side)
        && let Ok(t) = serde_json::from_str::<Template>(&s)
        && t.schema == supported_schema_version()
        && claimledger::Ledger::open(&path).is_ok()
        && t.articles.len() == shape.articles.len()
        && path.is_file()
    {
        return (path, t);
    }
    remove_ledger(&path);
    let _ = std::fs::remove_file(&side);
    let mut l = Ledger::open(&path).expect("open template");
    let t = l
        .write(|w| {
            let mut t = Template { articles: vec![], sources: vec![], schema: supported_schema_version() };
            for (i, (text, _)) in shape.sources.iter().enumerate() {
                let d = w.add_document(&NewDocument::new(DocumentKind::Report, format!("Source {i}")))?;
                t.sources.push(w.add_revision(d.id, &NewRevision::new(text.as_str()))?.id);
            }
            for (i, (text, _)) in shape.articles.iter().enumerate() {
                let d = w.add_document(&NewDocument::new(DocumentKind::Article, format!("Article {i}")))?;
                t.articles.push(w.add_revision(d.id, &NewRevision::new(text.as_str()))?.id);
            }
            Ok(t)
        })
        .expect("write template");
    drop(l);
    std::fs::write(&side, serde_json::to_string(&t).unwrap()).unwrap();
    (path, t)
}

/// Removes a ledger file with its WAL and shared-memory files.
pub fn remove_ledger(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Copies a (closed, checkpointed) ledger file to `dest`, replacing it.
pub fn copy_ledger(from: &Path, dest: &Path) {
    remove_ledger(dest);
    std::fs::copy(from, dest).expect("copy ledger");
}

/// Writes the claims, passages and citations of the shape through the typed bulk
/// API (`add_passage`, `add_claim_citing`), in one transaction. Returns the
/// number of rows written.
pub fn ingest(ledger: &mut Ledger, shape: &Shape, t: &Template) -> usize {
    ledger
        .write(|w| {
            let mut rows = 0;
            let mut passages = Vec::with_capacity(PASSAGES);
            for (a, (_, spans)) in shape.articles.iter().enumerate() {
                let src = a / ARTICLES_PER_SOURCE;
                let first = (a % ARTICLES_PER_SOURCE) * PASSAGES;
                passages.clear();
                for s in &shape.sources[src].1[first..first + PASSAGES] {
                    passages.push(w.add_passage(&NewPassage::new(Span::new(t.sources[src], s.start, s.end)))?.id);
                }
                rows += PASSAGES;
                for (k, s) in spans.iter().enumerate() {
                    let (exempt, cites) = plan(k);
                    let mut c = NewClaim::new(Span::new(t.articles[a], s.start, s.end));
                    if exempt {
                        c = c.exempt(ExemptionReason::SiteChrome, None);
                    }
                    let cites: Vec<(PassageId, Relation)> = cites.into_iter().map(|(p, r)| (passages[p], r)).collect();
                    let (_, written) = w.add_claim_citing(&c, &cites)?;
                    rows += 1 + written.len();
                }
            }
            Ok(rows)
        })
        .expect("ingest")
}

/// A complete generated ledger (template plus ingest), built once and cached as
/// `target/bench-data/ledger-{claims}.ledger`.
pub fn full_ledger(articles: usize) -> (PathBuf, Template) {
    let name = format!("ledger-{}", articles * CLAIMS);
    let path = data_dir().join(format!("{name}.ledger"));
    let side = data_dir().join(format!("{name}.json"));
    if let Ok(s) = std::fs::read_to_string(&side)
        && let Ok(t) = serde_json::from_str::<Template>(&s)
        && t.schema == supported_schema_version()
        && claimledger::Ledger::open(&path).is_ok()
        && t.articles.len() == articles
        && path.is_file()
    {
        return (path, t);
    }
    let _ = std::fs::remove_file(&side);
    let shape = Shape::new(articles);
    let (tpl, t) = template(&shape, &format!("template-{}", articles * CLAIMS));
    copy_ledger(&tpl, &path);
    let started = std::time::Instant::now();
    {
        let mut l = Ledger::open(&path).expect("open");
        ingest(&mut l, &shape, &t);
    }
    eprintln!("built {} in {:.1?}", path.display(), started.elapsed());
    std::fs::write(&side, serde_json::to_string(&t).unwrap()).unwrap();
    (path, t)
}

/// Criterion's median estimate (ns per iteration) of `group/id` from the run just
/// finished, read from `target/criterion` (absent in test mode).
pub fn estimate(group: &str, id: &str) -> Option<f64> {
    if !full() {
        return None; // test mode saves nothing; older files would be stale
    }
    let p = data_dir().parent()?.join("criterion").join(group).join(id).join("new").join("estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

/// Runs `a` and `b` alternately `n` times each and returns their median times:
/// a ratio that drifting load on a shared machine does not skew.
pub fn interleaved(n: usize, mut a: impl FnMut() -> Duration, mut b: impl FnMut() -> Duration) -> (Duration, Duration) {
    let mut ta = Vec::with_capacity(n);
    let mut tb = Vec::with_capacity(n);
    for _ in 0..n.max(1) {
        ta.push(a());
        tb.push(b());
    }
    ta.sort();
    tb.sort();
    (ta[ta.len() / 2], tb[tb.len() / 2])
}

/// Times one call.
pub fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let started = std::time::Instant::now();
    std::hint::black_box(f());
    started.elapsed()
}
