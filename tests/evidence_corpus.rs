//! The evidence-item parser on the real report: measured against four
//! hand-labelled random samples (`tests/fixtures/evidence-sample.psv`, the
//! development sample; `evidence-heldout.psv`, held out for its first run only;
//! `evidence-fresh.psv`, held out for its first run only; `evidence-fourth.psv`,
//! the held-out sample now; `tests/fixtures/evidence-draw.py` redraws all four)
//! and over every footnote.
//!
//! Each sample's labels were written before the parser ran on its footnotes; the
//! figures this test prints are the ones PERFORMANCE.md and the README quote.

mod common;

use claimledger::EvidenceKind;
use claimledger::text::evidence::{EvidenceParser, ParsedItem, origin_key};
use claimledger::text::footnotes::footnotes;
use std::collections::{BTreeMap, HashMap};

const VOLUMES: [(u8, &str); 2] = [(1, "mueller-report-vol1.txt"), (2, "mueller-report-vol2.txt")];

/// Every footnote of a volume with its items, read in order by one parser.
fn read_volume(text: &str) -> Vec<(u32, String, Vec<ParsedItem>)> {
    let notes = footnotes(text);
    let mut p = EvidenceParser::new();
    let mut out = Vec::new();
    for d in &notes.definitions {
        let t = &text[d.text_range()];
        let items = p.parse(d.number, t).expect("a report footnote parses");
        out.push((d.number, t.to_string(), items));
    }
    out
}

#[derive(Debug, Clone)]
struct Label {
    kind: String,
    who: String,
    to: String,
    date: String,
    pin: String,
    signal: String,
}

fn labels(text: &str) -> BTreeMap<(u8, u32), Vec<Label>> {
    let mut out: BTreeMap<(u8, u32), Vec<Label>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('|').collect();
        assert_eq!(f.len(), 8, "malformed label line {line:?}");
        let vol: u8 = f[0].parse().expect("volume");
        let n: u32 = f[1].parse().expect("footnote");
        let entry = out.entry((vol, n)).or_default();
        if f[2] == "-" {
            continue; // a footnote that cites nothing
        }
        assert!(EvidenceKind::from_code(f[2]).is_some(), "unknown kind in {line:?}");
        entry.push(Label {
            kind: f[2].to_string(),
            who: f[3].to_string(),
            to: f[4].to_string(),
            date: f[5].to_string(),
            pin: f[6].to_string(),
            signal: f[7].to_string(),
        });
    }
    out
}

fn signal_label(i: &ParsedItem) -> String {
    i.signal.map(|s| s.label().to_string()).unwrap_or_default()
}

/// Multiset intersection size of two lists of keys.
fn common(a: &[String], b: &[String]) -> usize {
    let mut counts: HashMap<&String, usize> = HashMap::new();
    for k in a {
        *counts.entry(k).or_default() += 1;
    }
    let mut n = 0;
    for k in b {
        if let Some(c) = counts.get_mut(k)
            && *c > 0
        {
            *c -= 1;
            n += 1;
        }
    }
    n
}

/// Precision and recall per field of the parser against a labelled sample;
/// prints the figures and every footnote that differs.
fn measure(name: &str, fixture: &str) -> HashMap<&'static str, (f64, f64)> {
    let labels = labels(fixture);
    assert!(labels.keys().any(|k| k.0 == 1) && labels.keys().any(|k| k.0 == 2), "both volumes");
    let mut parsed: HashMap<(u8, u32), Vec<ParsedItem>> = HashMap::new();
    for (vol, file) in VOLUMES {
        let path = common::corpus_file(name, file).expect("corpus");
        let text = std::fs::read_to_string(path).expect("read");
        let volume = read_volume(&text);
        for k in labels.keys().filter(|k| k.0 == vol) {
            assert!(volume.iter().any(|v| v.0 == k.1), "labelled footnote V{vol} {} exists", k.1);
        }
        for (n, _, items) in volume {
            if labels.contains_key(&(vol, n)) {
                parsed.insert((vol, n), items);
            }
        }
    }
    // Fields compared, each keyed with the kind so a right name on a wrong kind
    // does not count.
    type Key = fn(&str, &str, &str, &str, &str, &str) -> String;
    let fields: [(&'static str, Key); 6] = [
        ("kind", |k, _, _, _, _, _| k.to_string()),
        ("who", |k, w, _, _, _, _| format!("{k}|{}", origin_key(w))),
        ("to", |k, _, t, _, _, _| format!("{k}|{}", origin_key(t))),
        ("date", |k, _, _, d, _, _| format!("{k}|{d}")),
        ("pin", |k, _, _, _, p, _| format!("{k}|{p}")),
        ("signal", |k, _, _, _, _, s| format!("{k}|{s}")),
    ];
    let mut report = String::new();
    let mut misses = Vec::new();
    let mut figures = HashMap::new();
    for (field, key) in fields {
        let (mut hit, mut got_n, mut want_n) = (0, 0, 0);
        for (k, want) in &labels {
            let got = parsed.get(k).cloned().unwrap_or_default();
            let w: Vec<String> = want.iter().map(|l| key(&l.kind, &l.who, &l.to, &l.date, &l.pin, &l.signal)).collect();
            let g: Vec<String> = got
                .iter()
                .map(|i| {
                    key(
                        i.kind.code(),
                        i.who.as_deref().unwrap_or(""),
                        &i.to.join(";"),
                        i.date.as_deref().unwrap_or(""),
                        i.pin.as_deref().unwrap_or(""),
                        &signal_label(i),
                    )
                })
                .collect();
            let c = common(&w, &g);
            if c != w.len() || c != g.len() {
                misses.push(format!("{field} V{} fn {}: want {w:?} got {g:?}", k.0, k.1));
            }
            hit += c;
            got_n += g.len();
            want_n += w.len();
        }
        let p = hit as f64 / got_n.max(1) as f64;
        let r = hit as f64 / want_n.max(1) as f64;
        figures.insert(field, (p, r));
        report.push_str(&format!("{field:>6}: precision {p:.3} ({hit}/{got_n}), recall {r:.3} ({hit}/{want_n})\n"));
    }
    eprintln!("{name}, {} footnotes:\n{report}", labels.len());
    for m in &misses {
        eprintln!("  {m}");
    }
    figures
}

/// The goal the issue sets for kind and who, precision and recall alike.
const GOAL: f64 = 0.95;

/// Asserts the figures a sample achieves (the floors are exactly what was
/// measured, so a regression fails; the goal is printed beside them, and a figure
/// below it is reported, not hidden).
#[track_caller]
fn assert_achieved(name: &str, figures: &HashMap<&'static str, (f64, f64)>, floors: [(&str, f64, f64); 2]) {
    for (field, p_floor, r_floor) in floors {
        let (p, r) = figures[field];
        eprintln!(
            "{name} {field}: precision {p:.3}, recall {r:.3} (goal {GOAL}: {})",
            if p >= GOAL && r >= GOAL { "met" } else { "NOT met" }
        );
        assert!(
            p >= p_floor && r >= r_floor,
            "{name} {field}: precision {p:.3}, recall {r:.3} fell below what was achieved ({p_floor}, {r_floor})"
        );
    }
}

#[test]
fn sample_precision_and_recall_against_hand_labels() {
    let Some(_) = common::corpus_file("sample_precision_and_recall_against_hand_labels", VOLUMES[0].1) else {
        return;
    };
    let fixture = include_str!("fixtures/evidence-sample.psv");
    assert!(labels(fixture).len() >= 100, "the sample has at least 100 footnotes");
    let figures = measure("development sample", fixture);
    // The parser was developed on this sample: these are not held-out figures.
    assert_achieved("development sample", &figures, [("kind", 1.0, 1.0), ("who", 1.0, 1.0)]);
}

#[test]
fn held_out_precision_and_recall_against_hand_labels() {
    let Some(_) = common::corpus_file("held_out_precision_and_recall_against_hand_labels", VOLUMES[0].1) else {
        return;
    };
    let fixture = include_str!("fixtures/evidence-heldout.psv");
    assert_eq!(labels(fixture).len(), 60);
    let figures = measure("held-out sample", fixture);
    // Held out for its first run only (kind 0.956 / 0.926, who 0.945 / 0.915);
    // the parser was then improved on its misses, so these are development
    // figures now. The fresh sample below is the held-out measure.
    assert_achieved("second sample", &figures, [("kind", 1.0, 1.0), ("who", 93.0 / 94.0, 93.0 / 94.0)]);
}

#[test]
fn fresh_held_out_precision_and_recall_against_hand_labels() {
    let Some(_) = common::corpus_file("fresh_held_out_precision_and_recall_against_hand_labels", VOLUMES[0].1) else {
        return;
    };
    let fixture = include_str!("fixtures/evidence-fresh.psv");
    assert_eq!(labels(fixture).len(), 64);
    let figures = measure("third sample", fixture);
    // Held out for its first run only (kind 0.972 / 0.954, who 0.962 / 0.944:
    // who's recall under the goal); the parser was then improved on its misses,
    // so these are development figures now. The fourth sample below is the
    // held-out measure.
    assert_achieved("third sample", &figures, [("kind", 1.0, 1.0), ("who", 1.0, 1.0)]);
}

#[test]
fn fourth_held_out_precision_and_recall_against_hand_labels() {
    let Some(_) = common::corpus_file("fourth_held_out_precision_and_recall_against_hand_labels", VOLUMES[0].1) else {
        return;
    };
    let fixture = include_str!("fixtures/evidence-fourth.psv");
    assert_eq!(labels(fixture).len(), 64);
    let figures = measure("fourth held-out sample", fixture);
    // Measured once, on labels written and committed before the parser ran on
    // these footnotes, with the parser unchanged since: kind 0.935 / 0.945 (86
    // of 92 items found and of 91 labelled), who 0.913 / 0.923 (84 of 92 and of
    // 91), all under the 0.95 goal. The misses are forms no earlier sample had:
    // a company's published update typed news, an interview transcript and a
    // briefing typed news, a wrapper missing its opening parenthesis, a
    // message whose wrapper lacks its closing one, a hearing's witness after
    // "Testimony of", a news title split at its inner period, and an outlet's
    // section ("New York Times Opinion") kept in its name.
    assert_achieved(
        "fourth held-out sample",
        &figures,
        [("kind", 86.0 / 92.0, 86.0 / 91.0), ("who", 84.0 / 92.0, 84.0 / 91.0)],
    );
}

#[test]
fn corpus_share_typed_and_counts_per_kind() {
    let Some(_) = common::corpus_file("corpus_share_typed_and_counts_per_kind", VOLUMES[0].1) else {
        return;
    };
    let mut per_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut notes, mut cited, mut typed, mut with_302) = (0, 0, 0, 0);
    let mut untyped = Vec::new();
    for (vol, name) in VOLUMES {
        let path = common::corpus_file("corpus", name).expect("corpus");
        let text = std::fs::read_to_string(path).expect("read");
        for (n, t, items) in read_volume(&text) {
            notes += 1;
            for i in &items {
                *per_kind.entry(i.kind.code()).or_default() += 1;
                assert!(
                    i.start <= i.end && i.end <= t.len() && t.is_char_boundary(i.start) && t.is_char_boundary(i.end)
                );
            }
            if items.is_empty() {
                continue;
            }
            cited += 1;
            if items.iter().all(|i| i.kind != EvidenceKind::Other) {
                typed += 1;
            } else if untyped.len() < 40 {
                let o: Vec<&str> =
                    items.iter().filter(|i| i.kind == EvidenceKind::Other).map(|i| &t[i.start..i.end]).collect();
                untyped.push(format!("V{vol} {n}: {o:?}"));
            }
            if items.iter().any(|i| i.kind == EvidenceKind::Interview302) {
                with_302 += 1;
            }
        }
    }
    let share = typed as f64 / cited.max(1) as f64;
    let t = std::time::Instant::now();
    for (_, name) in VOLUMES {
        let text = std::fs::read_to_string(common::corpus_file("corpus", name).expect("corpus")).expect("read");
        read_volume(&text);
    }
    eprintln!("both volumes read again in {:?} (a debug build: speed lives in benches/evidence.rs)", t.elapsed());
    eprintln!(
        "{notes} footnotes, {cited} cite at least one item, {typed} fully typed ({:.1}%), {with_302} cite a 302",
        share * 100.0
    );
    eprintln!("items per kind: {per_kind:?}");
    for u in &untyped {
        eprintln!("  other: {u}");
    }
    assert_eq!(notes, 1283 + 1092);
    // The report's own count: over 1,200 of its footnotes cite an FBI 302.
    assert!(with_302 >= 1200, "{with_302} footnotes cite a 302");
    assert!(share >= 0.9, "share of fully typed footnotes {share:.3}");
}

/// The corpus article traced against both volumes (as `corpus_trace.rs` does).
fn traced_article(dir: &std::path::Path) -> (claimledger::Ledger, claimledger::DocumentId) {
    use claimledger::import::{RedactionFile, Redactions, SourceImport};
    use claimledger::trace::TraceFile;
    use claimledger::{DocumentKind, Ledger, NewDocument};
    let trace = TraceFile::from_toml(include_str!("fixtures/tpm-trump-russia.trace.toml")).expect("trace");
    let mut l = Ledger::open_in_memory().expect("ledger");
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("volume");
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).expect("redactions");
        let title = trace.sources.iter().find(|s| s.key == key).expect("source").title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), text);
        imp.redactions = Redactions::StandOff(file);
        l.import_source(imp).expect("import");
    }
    let article =
        std::fs::read_to_string(dir.join("tpm-trump-and-russia-worked-towards-the-same-goal.txt")).expect("article");
    let out = l.import_trace(&article, &trace).expect("trace import");
    (l, out.article.id)
}

#[test]
fn the_corpus_articles_supported_statements_name_their_origins() {
    let Some(article) = common::corpus_file(
        "the_corpus_articles_supported_statements_name_their_origins",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let (mut ledger, doc) = traced_article(article.parent().expect("dir"));
    let a = ledger.audit(doc).expect("audit");
    let text = a.to_text();
    let section = text.split("\nIndependent origins").nth(1).unwrap_or("");
    eprintln!("Independent origins{section}");
    // Every supported statement is listed with its origins.
    assert!(a.origins.len() >= a.statements.supported, "{} < {}", a.origins.len(), a.statements.supported);
    let find = |a: &claimledger::audit::Audit, needle: &str| {
        a.origins.iter().find(|s| s.statement.text.contains(needle)).map(|s| s.evidence.clone()).expect(needle)
    };
    // Checked by hand against the report: the excitement sentence cites Vol. I
    // footnote 203 (Gates 10/25/18 302) and 204–206 ([Grand Jury] each).
    let excitement = find(&a, "expressed excitement about the release");
    assert_eq!(excitement.origins.iter().map(|o| o.origin.as_str()).collect::<Vec<_>>(), vec!["Gates"]);
    assert_eq!(excitement.withheld, 3);
    assert!(a.single_origin.iter().any(|s| s.origin == "Gates" && s.statement.text.contains("expressed excitement")));
    // Vol. II footnote 23: Gates 4/10/18 302; Newman 8/23/18 302.
    let welcomed = find(&a, "welcomed the document dump");
    let mut names: Vec<&str> = welcomed.origins.iter().map(|o| o.origin.as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["Gates", "Newman"]);
    assert!(a.to_text().contains("Independent origins of supported statements:"));
    // A defendant's statement of offense is his own account: the statement that
    // cites "Papadopoulos Statement of Offense" rests on Papadopoulos, the same
    // origin as his interviews, not on an independent court record.
    let offense = find(&a, "But apart from the high-level encounters");
    assert_eq!(offense.origins.iter().map(|o| o.origin.as_str()).collect::<Vec<_>>(), vec!["Papadopoulos"]);
    assert!(a.single_origin.iter().any(|s| s.origin == "Papadopoulos" && s.statement.text.contains("But apart from")));

    // Gates withdrawn (he pleaded guilty to a false statement): what rests on him
    // alone falls, what has another origin thins, and coverage says how much stands.
    ledger
        .withdraw(&claimledger::WithdrawalTarget::Origin("Gates".into()), "credibility in question")
        .expect("withdraw");
    let w = ledger.audit(doc).expect("audit");
    assert_eq!(find(&w, "expressed excitement about the release").standing, claimledger::Standing::Falls);
    assert_eq!(find(&w, "welcomed the document dump").standing, claimledger::Standing::Thins);
    assert!(w.coverage.standing < w.coverage.supported, "{} {}", w.coverage.standing, w.coverage.supported);
    let falls = w.withdrawn.iter().filter(|s| s.evidence.standing == claimledger::Standing::Falls).count();
    eprintln!(
        "Gates withdrawn: {falls} statements fall, {} thin; {:.1}% of statements stand supported (was {:.1}%)",
        w.withdrawn.len() - falls,
        w.coverage.standing * 100.0,
        w.coverage.supported * 100.0
    );
}
