//! The corpus article, fully traced against the two clean volumes of the report
//! (runs when CLAIMLEDGER_CORPUS is set).

mod common;

use claimledger::audit::{Audit, Policy};
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use std::path::Path;

const TRACE: &str = include_str!("fixtures/tpm-trump-russia.trace.toml");
const GOLDEN: &str = "tests/fixtures/tpm-audit.golden.json";

fn traced(dir: &Path, ledger_path: &Path) -> (Ledger, Audit) {
    let trace = TraceFile::from_toml(TRACE).unwrap();
    let mut l = Ledger::open(ledger_path).unwrap();
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
        let title = trace.sources.iter().find(|s| s.key == key).unwrap().title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), text);
        imp.redactions = Redactions::StandOff(file);
        l.import_source(imp).unwrap();
    }
    let article = std::fs::read_to_string(dir.join("tpm-trump-and-russia-worked-towards-the-same-goal.txt")).unwrap();
    let out = l.import_trace(&article, &trace).unwrap();
    assert_eq!(out.statements, 59);
    let audit = l.audit(out.article.id).unwrap();
    (l, audit)
}

/// The golden file's layout version (see `tests/fixtures/tpm-audit.golden.json`).
const GOLDEN_FORMAT: u64 = 2;
/// How many words of a statement the golden file shows beside its digest. The
/// project keeps no corpus text beyond short selectors: keep this small.
const GOLDEN_WORDS: usize = 4;
/// The review note `CLAIMLEDGER_BLESS=1` puts on every entry that is new or
/// changed; the test fails while any is left.
const UNREVIEWED: &str = "UNREVIEWED";

const HOW_TO_REVIEW: &str = "One entry per statement of the article, in text order: its number, code-point span, \
state (exempt with its reason, uncited, supported, partly_supported, context_only, contradicted; partly_supported \
for a contradicted statement with a supported part, and withheld_only, when they apply), its parts (each `state: first \
words`) when it is divided, its first words and the digest of its full text. `audit` is the audit's JSON with IDs removed \
and texts shown the same way. To update: CLAIMLEDGER_BLESS=1 rewrites this file and marks every new or changed \
entry with review \"UNREVIEWED: was ...\"; the test fails until each such note is replaced by a short reason the \
new state is right (check it against the trace and the report). Notes on unchanged entries are kept.";

/// A short, reviewable stand-in for article text: the digest and the first
/// few words.
fn shown(s: &str) -> String {
    let digest = ContentHash::of(s).to_string();
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut head: String = words.iter().take(GOLDEN_WORDS).copied().collect::<Vec<_>>().join(" ");
    if head.chars().count() > 40 {
        head = head.chars().take(40).collect();
        head.push('…');
    } else if words.len() > GOLDEN_WORDS {
        head.push('…');
    }
    format!("sha256:{} “{head}”", &digest[..16])
}

/// The audit as JSON without the IDs, which differ from run to run, and with
/// the article's words replaced by [`shown`] (digest and first words).
fn stable_json(a: &Audit) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["id", "claim", "revision"] {
                    m.remove(k);
                }
                for k in ["text", "statement"] {
                    if let Some(serde_json::Value::String(s)) = m.get(k) {
                        let s = shown(s);
                        m.insert(k.to_string(), serde_json::Value::String(s));
                    }
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(a).unwrap();
    strip(&mut v);
    v
}

/// One statement of the golden file. `review` is a person's note, never
/// compared; everything else must match the audit.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct GoldenStatement {
    n: usize,
    at: [usize; 2],
    state: String,
    #[serde(default)]
    exempt: Option<String>,
    #[serde(default)]
    partly_supported: bool,
    #[serde(default)]
    withheld_only: bool,
    /// The statement's parts, each `state: first words` (none when undivided).
    #[serde(default)]
    parts: Vec<String>,
    words: String,
    digest: String,
    #[serde(default)]
    review: Option<String>,
}

impl GoldenStatement {
    fn same_facts(&self, other: &GoldenStatement) -> bool {
        GoldenStatement { review: None, ..self.clone() } == GoldenStatement { review: None, ..other.clone() }
    }

    fn describe(&self) -> String {
        let mut s = self.state.clone();
        if let Some(r) = &self.exempt {
            s += &format!(" ({r})");
        }
        if self.partly_supported {
            s += ", partly_supported";
        }
        if self.withheld_only {
            s += ", withheld_only";
        }
        if !self.parts.is_empty() {
            s += &format!(" [{}]", self.parts.join("; "));
        }
        s
    }

    /// One line of JSON, keys in reading order.
    fn line(&self) -> String {
        let j = |s: &str| serde_json::to_string(s).unwrap();
        let mut o =
            format!("{{\"n\": {}, \"at\": [{}, {}], \"state\": {}", self.n, self.at[0], self.at[1], j(&self.state));
        if let Some(r) = &self.exempt {
            o += &format!(", \"exempt\": {}", j(r));
        }
        if self.partly_supported {
            o += ", \"partly_supported\": true";
        }
        if self.withheld_only {
            o += ", \"withheld_only\": true";
        }
        if !self.parts.is_empty() {
            o += &format!(", \"parts\": {}", serde_json::to_string(&self.parts).unwrap());
        }
        o += &format!(", \"words\": {}, \"digest\": {}", j(&self.words), j(&self.digest));
        if let Some(r) = &self.review {
            o += &format!(", \"review\": {}", j(r));
        }
        o + "}"
    }
}

/// Every statement of the article with its state, read from the audit's lists
/// (a statement in none of them is supported). The audit's counts are checked
/// against the states, so the two views cannot drift apart.
fn statement_states(ledger: &Ledger, a: &Audit) -> Vec<GoldenStatement> {
    let rev = ledger.latest_revision(a.document.id).unwrap().unwrap();
    let mut claims = ledger.claims(rev.id).unwrap();
    claims.sort_by_key(|c| c.span.start);
    let cp = |byte: usize| rev.text[..byte].chars().count();
    let out: Vec<GoldenStatement> = claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let text = &rev.text[c.span.start..c.span.end];
            // The audit's one state of the statement, and its parts with theirs.
            let finding = a.claims.iter().find(|f| f.claim == c.id).expect("every statement is in the claims list");
            let state = finding.state.code();
            let parts: Vec<String> = finding
                .parts
                .iter()
                .map(|p| format!("{}: {}", p.state, shown(&p.text).split_once(' ').map(|x| x.1).unwrap_or("")))
                .collect();
            let shown = shown(text);
            let (digest, words) = shown.split_once(' ').unwrap();
            GoldenStatement {
                n: i + 1,
                at: [cp(c.span.start), cp(c.span.end)],
                state: state.to_string(),
                exempt: c.exemption.as_ref().map(|e| e.reason.code().to_string()),
                partly_supported: finding.partly_supported && finding.state != StatementState::PartlySupported,
                parts,
                withheld_only: a.withheld_only.iter().any(|w| w.claim == c.id),
                words: words.to_string(),
                digest: digest.to_string(),
                review: None,
            }
        })
        .collect();
    let count = |s: &str| out.iter().filter(|g| g.state == s).count();
    let s = &a.statements;
    assert_eq!(
        (
            count("exempt"),
            count("uncited"),
            count("supported"),
            count("partly_supported"),
            count("context_only"),
            count("contradicted")
        ),
        (s.exempt, s.uncited, s.supported, s.partly_supported, s.context_only, s.contradicted),
        "per-statement states disagree with the audit's counts"
    );
    assert_eq!(out.len(), s.total);
    out
}

/// The golden file's text: statements one per line (a diff shows exactly which
/// changed), then the audit.
fn render_golden(title: &str, statements: &[GoldenStatement], audit: &serde_json::Value) -> String {
    let mut o = String::from("{\n");
    o += &format!("  \"format\": {GOLDEN_FORMAT},\n");
    o += &format!("  \"how_to_review\": {},\n", serde_json::to_string(HOW_TO_REVIEW).unwrap());
    o += &format!("  \"document\": {},\n", serde_json::to_string(title).unwrap());
    o += "  \"statements\": [\n";
    for (i, s) in statements.iter().enumerate() {
        o += &format!("    {}{}\n", s.line(), if i + 1 < statements.len() { "," } else { "" });
    }
    o += "  ],\n";
    let audit = serde_json::to_string_pretty(audit).unwrap().replace('\n', "\n  ");
    o += &format!("  \"audit\": {audit}\n}}\n");
    o
}

/// Carries each unchanged entry's review note over from the previous golden
/// file and marks every new or changed entry for review.
fn bless(previous: Option<&Golden>, statements: &mut [GoldenStatement]) {
    for s in statements.iter_mut() {
        let old = previous.and_then(|p| {
            p.statements.iter().find(|o| o.digest == s.digest).or_else(|| p.statements.iter().find(|o| o.at == s.at))
        });
        s.review = match old {
            Some(o) if o.same_facts(s) => o.review.clone(),
            Some(o) if o.digest == s.digest => Some(format!("{UNREVIEWED}: was {}", o.describe())),
            Some(o) => Some(format!("{UNREVIEWED}: text changed; was {} {} {}", o.words, o.digest, o.describe())),
            None => Some(format!("{UNREVIEWED}: new statement")),
        };
    }
}

#[derive(Debug, serde::Deserialize)]
struct Golden {
    format: u64,
    document: String,
    statements: Vec<GoldenStatement>,
    audit: serde_json::Value,
}

fn read_golden() -> Option<Golden> {
    let text = std::fs::read_to_string(GOLDEN).ok()?;
    serde_json::from_str(&text).ok()
}

/// Compares the audit with the golden file (or rewrites it under
/// `CLAIMLEDGER_BLESS`), statement by statement, then the rest of the audit.
fn check_golden(ledger: &Ledger, a: &Audit) {
    let mut statements = statement_states(ledger, a);
    let audit = stable_json(a);
    if std::env::var_os("CLAIMLEDGER_BLESS").is_some() {
        let previous = read_golden();
        bless(previous.as_ref(), &mut statements);
        std::fs::write(GOLDEN, render_golden(&a.document.title, &statements, &audit)).unwrap();
    }
    let text = std::fs::read_to_string(GOLDEN).expect("golden file");
    let want: Golden = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!("{GOLDEN} is not a format-{GOLDEN_FORMAT} golden file ({e}); CLAIMLEDGER_BLESS=1 rewrites it")
    });
    assert_eq!(want.format, GOLDEN_FORMAT);
    assert_eq!(want.document, a.document.title);
    let unreviewed: Vec<String> = want
        .statements
        .iter()
        .filter(|s| s.review.as_deref().is_some_and(|r| r.starts_with(UNREVIEWED)))
        .map(|s| format!("#{} {} {}: {}", s.n, s.words, s.describe(), s.review.as_deref().unwrap_or("")))
        .collect();
    assert!(
        unreviewed.is_empty(),
        "{GOLDEN} has entries nobody reviewed; replace each note with why the new state is right:\n{}",
        unreviewed.join("\n")
    );
    let mut differ = Vec::new();
    for (i, got) in statements.iter().enumerate() {
        match want.statements.get(i) {
            Some(w) if w.same_facts(got) => {}
            Some(w) => differ.push(format!(
                "#{}: golden {} {} {}\n     now    {} {} {}",
                got.n,
                w.words,
                w.digest,
                w.describe(),
                got.words,
                got.digest,
                got.describe()
            )),
            None => differ.push(format!("#{}: not in the golden file: {} {}", got.n, got.words, got.describe())),
        }
    }
    for w in want.statements.iter().skip(statements.len()) {
        differ.push(format!("#{}: in the golden file only: {} {}", w.n, w.words, w.describe()));
    }
    assert!(
        differ.is_empty(),
        "statements differ from {GOLDEN} (CLAIMLEDGER_BLESS=1 rewrites it and marks the changes for review):\n{}",
        differ.join("\n")
    );
    assert_eq!(
        audit, want.audit,
        "audit JSON differs from {GOLDEN} (CLAIMLEDGER_BLESS=1 rewrites it, then review the diff)"
    );
}

#[test]
fn every_statement_of_the_corpus_article_traces_to_the_report() {
    let Some(article) = common::corpus_file(
        "every_statement_of_the_corpus_article_traces_to_the_report",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let dir = article.parent().unwrap();
    for f in [
        "mueller-report-vol1.txt",
        "mueller-report-vol2.txt",
        "mueller-report-vol1.redactions.json",
        "mueller-report-vol2.redactions.json",
    ] {
        common::corpus_file("corpus trace", f).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let ledger_path = tmp.path().join("tpm.ledger");
    let (ledger, a) = traced(dir, &ledger_path);

    // Every non-exempt statement is cited.
    assert!(a.uncited.is_empty(), "uncited: {:?}", a.uncited);
    assert_eq!(a.statements.exempt, 18);
    let by_reason: Vec<(&str, usize)> = a.statements.exempt_by_reason.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        by_reason,
        [("heading", 2), ("headline", 1), ("masthead", 12), ("newsletter_prompt", 2), ("site_chrome", 1)]
    );
    assert_eq!(a.coverage.statements, 1.0);

    // Every statement the fact-checker judged right only in part is divided
    // into parts; its state follows from them.
    let rev = ledger.latest_revision(a.document.id).unwrap().unwrap();
    let parted: std::collections::HashSet<ClaimId> =
        ledger.claim_parts_of_revision(rev.id).unwrap().iter().map(|p| p.claim).collect();
    assert_eq!(parted.len(), 12, "statements in parts");
    let finding = |needle: &str| {
        let found: Vec<_> = a.claims.iter().filter(|c| c.text.contains(needle)).collect();
        assert_eq!(found.len(), 1, "{needle}");
        found[0]
    };
    let state = |needle: &str| {
        let f = finding(needle);
        (f.state, f.partly_supported)
    };
    // The parts of a statement that are not supported, with their states.
    let unbacked = |needle: &str| -> Vec<(StatementState, String)> {
        finding(needle)
            .parts
            .iter()
            .filter(|p| p.state != StatementState::Supported)
            .map(|p| (p.state, p.text.clone()))
            .collect()
    };
    use StatementState::{ContextOnly, Contradicted, PartlySupported, Supported};
    assert_eq!((a.statements.partly_supported, a.statements.contradicted), (9, 4));
    // Contradicted: three in part (a part supported), one as a whole.
    assert_eq!(state("was released on July 22"), (Contradicted, true));
    assert_eq!(
        unbacked("was released on July 22"),
        [
            (Contradicted, "The first batch of documents".to_string()),
            (ContextOnly, "was released on July 22".to_string())
        ]
    );
    assert_eq!(state("One of the most heavily redacted sections"), (Contradicted, true));
    assert_eq!(
        unbacked("One of the most heavily redacted sections"),
        [(Contradicted, "Wikileaks’s hacking".to_string())]
    );
    assert_eq!(state("International coffee boy"), (Contradicted, true));
    assert_eq!(state("Kilimnik shared the information"), (Contradicted, false));
    assert!(!parted.contains(&finding("Kilimnik shared the information").claim));
    // Partly supported, with the parts that are not backed; the three statements
    // the notes flag but the old encoding counted supported among them.
    let partly: Vec<(&str, Vec<&str>)> = a
        .partly_supported
        .iter()
        .map(|p| (p.statement.text.as_str(), p.unbacked.iter().map(|u| u.text.as_str()).collect()))
        .collect();
    assert_eq!(partly.len(), 9);
    let unbacked_of = |needle: &str| -> Vec<&str> {
        partly
            .iter()
            .find(|(s, _)| s.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: partly supported"))
            .1
            .clone()
    };
    assert_eq!(
        unbacked_of("The future national security advisor"),
        ["Sen. Chuck Grassley (R-IA) staffer Barbara Ledeen", "banker Peter Smith"]
    );
    assert_eq!(
        unbacked_of("That effort saw Smith"),
        ["Smith raise thousands of dollars to attempt to buy emails from unknown individuals"]
    );
    assert_eq!(unbacked_of("Page was fired"), ["apparently stayed in touch with its top operatives"]);
    assert_eq!(unbacked_of("Trump deputized Flynn"), ["Also on July 27, Trump deputized Flynn"]);
    assert_eq!(unbacked_of("Within five hours"), ["Clinton’s computer network"]);
    assert_eq!(unbacked_of("burst of Wikileaks-related activity").len(), 2);
    // Statements not divided keep the state their citations give.
    assert_eq!(state("Trump publicly praising him"), (ContextOnly, false));
    assert_eq!(state("Manafort “expressed excitement"), (Supported, false));
    for f in a.claims.iter().filter(|f| f.state == PartlySupported) {
        assert!(parted.contains(&f.claim), "partly supported only through parts: {}", f.text);
        assert!(f.parts.iter().any(|p| p.state == Supported) && f.parts.iter().any(|p| p.state != Supported));
    }

    // Every quotation anchored; `Mr Trump` altered, the `Manafort ‘s` quotes normalized.
    assert_eq!(a.quotations.total, 23);
    assert!(
        a.quotations.to_pin.is_empty() && a.quotations.unanchored.is_empty(),
        "{:?} {:?}",
        a.quotations.to_pin,
        a.quotations.unanchored
    );
    assert_eq!(a.quotations.altered.len(), 1);
    let mr = &a.quotations.altered[0];
    assert!(mr.text.contains("Mr Trump"));
    assert_eq!(mr.differences.len(), 1);
    assert_eq!((mr.differences[0].quoted.as_str(), mr.differences[0].source.as_str()), ("Mr", "Mr."));
    assert!(mr.acknowledged.is_some());
    let rev = ledger.latest_revision(a.document.id).unwrap().unwrap();
    for q in ledger.quotations_of_revision(rev.id).unwrap() {
        let text = &rev.text[q.span.start..q.span.end];
        if text.contains("Manafort ‘s") {
            assert_eq!(q.check.status, QuoteStatus::Normalized, "{text}");
        }
        if text.starts_with("investigative technique") {
            assert_eq!(q.check.tier, Some(Tier::RedactionLabel));
            let p = ledger.passage(q.passage.unwrap()).unwrap().unwrap();
            assert_eq!(p.quote.exact, "[Investigative Technique]");
            assert_eq!(p.position.start, 505107, "the footnote of the Kilimnik message");
        }
    }

    // Statements resting on withheld material.
    let withheld = |needle: &str| -> Vec<(String, String)> {
        a.withheld
            .iter()
            .filter(|w| w.statement.contains(needle))
            .flat_map(|w| w.redactions.iter().map(|r| (r.code.clone().unwrap_or_default(), r.via.clone())))
            .collect()
    };
    let laguardia = withheld("driving to LaGuardia Airport");
    assert!(laguardia.iter().any(|(c, _)| c == "hom"), "{laguardia:?}");
    let kilimnik = withheld("Mueller cites a December 2016 message");
    assert!(kilimnik.contains(&("it".to_string(), "footnote 1197".to_string())), "{kilimnik:?}");
    assert!(withheld("redacted for grand jury reasons").iter().any(|(c, _)| c == "gj"));
    // A statement about a heavily redacted section cites its heading: it rests on the section.
    let section = withheld("One of the most heavily redacted sections");
    assert_eq!(section, [("hom".to_string(), "section".to_string())], "{section:?}");
    // Redactions beside the cited words, in the same paragraph: the weaker mark, listed apart.
    let beside: Vec<&str> = a.withheld_in_paragraph.iter().map(|w| w.statement.as_str()).collect();
    assert!(beside.iter().any(|s| s.contains("The Trump Campaign showed interest")), "{beside:?}");
    assert!(a.withheld_in_paragraph.iter().all(|w| w.redactions.iter().all(|r| r.via == "paragraph")));
    assert!(a.withheld_only.iter().any(|s| s.text.contains("Mueller cites a December 2016 message")));

    // The completeness policy holds.
    a.check(&Policy::complete()).unwrap();

    // The audit matches the reviewed golden file, statement by statement.
    check_golden(&ledger, &a);

    // And from the command line, `audit --require-complete` exits 0.
    drop(ledger);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .args(["audit", ledger_path.to_str().unwrap(), "--require-complete", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["statements"]["uncited"], 0);
}

/// The golden file's review rule, without the corpus: blessing keeps the note
/// of an unchanged entry and marks a changed or new one for review, and the
/// rendered file reads back as written.
#[test]
fn blessing_the_golden_file_marks_changed_entries_for_review() {
    let entry = |n: usize, state: &str, digest: &str, review: Option<&str>| GoldenStatement {
        n,
        at: [n * 10, n * 10 + 9],
        state: state.to_string(),
        exempt: None,
        partly_supported: false,
        withheld_only: false,
        parts: Vec::new(),
        words: format!("“Words of {n}…”"),
        digest: digest.to_string(),
        review: review.map(str::to_string),
    };
    let previous = Golden {
        format: GOLDEN_FORMAT,
        document: "An article".into(),
        statements: vec![
            entry(1, "supported", "sha256:aaaa", Some("checked against the report by hand")),
            entry(2, "context_only", "sha256:bbbb", None),
            entry(3, "supported", "sha256:cccc", Some("an old note")),
        ],
        audit: serde_json::Value::Null,
    };
    let mut now = vec![
        entry(1, "supported", "sha256:aaaa", None),
        entry(2, "contradicted", "sha256:bbbb", None),
        entry(3, "supported", "sha256:zzzz", None),
        entry(4, "uncited", "sha256:dddd", None),
    ];
    bless(Some(&previous), &mut now);
    let reviews: Vec<Option<&str>> = now.iter().map(|s| s.review.as_deref()).collect();
    assert_eq!(
        reviews,
        [
            Some("checked against the report by hand"),
            Some("UNREVIEWED: was context_only"),
            Some("UNREVIEWED: text changed; was “Words of 3…” sha256:cccc supported"),
            Some("UNREVIEWED: new statement"),
        ]
    );
    let text = render_golden("An article", &now, &serde_json::json!({"coverage": {"statements": 1.0}}));
    let back: Golden = serde_json::from_str(&text).unwrap();
    assert_eq!((back.format, back.document.as_str()), (GOLDEN_FORMAT, "An article"));
    assert_eq!(back.statements, now);
    assert_eq!(back.audit["coverage"]["statements"], 1.0);
    // One line per statement, so a diff names exactly the entries that changed.
    assert_eq!(text.lines().filter(|l| l.trim_start().starts_with("{\"n\": ")).count(), 4);
}
