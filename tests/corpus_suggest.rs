//! Suggestions measured against the corpus trace (runs when CLAIMLEDGER_CORPUS
//! is set): for every statement the fact-checker backed with `supports`,
//! `quotes` or `paraphrases` as a whole (not divided into parts), is one of the
//! passages it cites among the first suggestions? A suggestion counts when it overlaps a cited passage. The
//! article is a development set: the ranker has no rule for it.

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::suggest::{Statements, SuggestOptions};
use claimledger::trace::TraceFile;
use claimledger::*;

const TRACE: &str = include_str!("fixtures/tpm-trump-russia.trace.toml");

/// A ledger holding both volumes of the report.
fn sources(dir: &std::path::Path, trace: &TraceFile) -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
        let title = trace.sources.iter().find(|s| s.key == key).unwrap().title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), text);
        imp.redactions = Redactions::StandOff(file);
        l.import_source(imp).unwrap();
    }
    l
}

#[test]
fn the_draft_of_the_corpus_article_imports_as_it_is() {
    let Some(article) = common::corpus_file(
        "the_draft_of_the_corpus_article_imports_as_it_is",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let trace = TraceFile::from_toml(TRACE).unwrap();
    let mut l = sources(article.parent().unwrap(), &trace);
    let text = std::fs::read_to_string(&article).unwrap();
    let draft_text = l.draft_trace(&text, 5).unwrap();
    let cites = draft_text.lines().filter(|l| l.trim_start() == "# [[claim.cite]]").count();
    let claims = draft_text.lines().filter(|l| *l == "[[claim]]").count();
    assert!(claims >= 35, "{claims} claims drafted");
    assert!(cites >= claims * 4, "{cites} suggested citations for {claims} claims");
    let draft = TraceFile::from_toml(&draft_text).unwrap();
    let out = l.import_trace(&text, &draft).unwrap();
    assert_eq!(out.statements, 59);
    assert_eq!(out.citations, 0);
    // Every commented-out selector anchors: uncommented, the whole draft imports.
    let mut all = TraceFile::from_toml(&uncomment(&draft_text)).unwrap();
    all.article.title = Some("Draft with every suggestion cited".into());
    let out = l.import_trace(&text, &all).unwrap();
    assert_eq!(out.citations, cites);
}

/// The draft with every suggested `[[claim.cite]]` block uncommented.
fn uncomment(draft: &str) -> String {
    let keys = ["# [[claim.cite]]", "# source = ", "# exact = ", "# prefix = ", "# footnote = ", "# relation = "];
    draft
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if keys.iter().any(|k| t.starts_with(k)) { format!("  {}\n", &t[2..]) } else { format!("{l}\n") }
        })
        .collect()
}

#[test]
fn suggestions_find_the_traced_evidence_of_the_corpus_article() {
    let Some(article) = common::corpus_file(
        "suggestions_find_the_traced_evidence_of_the_corpus_article",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let trace = TraceFile::from_toml(TRACE).unwrap();
    let mut l = sources(article.parent().unwrap(), &trace);
    let text = std::fs::read_to_string(&article).unwrap();
    let out = l.import_trace(&text, &trace).unwrap();

    let started = std::time::Instant::now();
    let all = l.suggest_revision(out.revision.id, Statements::NotExempt, &SuggestOptions::default()).unwrap();
    let elapsed = started.elapsed();
    let (mut traced, mut at1, mut at5) = (0usize, 0usize, 0usize);
    let mut missed = Vec::new();
    for s in &all {
        let backing: Vec<Span> = l
            .citations(s.claim.id)
            .unwrap()
            .iter()
            .filter(|c| matches!(c.relation, Relation::Supports | Relation::Quotes | Relation::Paraphrases))
            .map(|c| l.passage(c.passage).unwrap().unwrap().span)
            .collect();
        // A statement in parts is backed part by part: its passages back a few
        // of its words, not the statement a suggestion is for.
        if backing.is_empty() || !l.claim_parts(s.claim.id).unwrap().is_empty() {
            continue;
        }
        traced += 1;
        let hit = |sug: &claimledger::suggest::Suggestion| {
            backing.iter().any(|b| b.revision == sug.span.revision && sug.span.start < b.end && b.start < sug.span.end)
        };
        match s.suggestions.iter().position(hit) {
            Some(0) => {
                at1 += 1;
                at5 += 1;
            }
            Some(i) if i < 5 => at5 += 1,
            _ => {
                missed.push(s.chars);
                if std::env::var_os("SUGGEST_DEBUG").is_some() {
                    println!(
                        "MISSED {:?}\n  cited: {:?}",
                        s.text,
                        backing.iter().map(|b| l.text(b).unwrap()).collect::<Vec<_>>()
                    );
                    let deep = l.suggest(s.claim.id, &SuggestOptions { top: 400, sources: None }).unwrap();
                    let pos = deep.iter().position(hit);
                    println!("  rank in 400: {pos:?} of {}", deep.len());
                    if let Some(p) = pos {
                        println!("  it: {:.3} {:?} {:?}", deep[p].score, deep[p].matched, deep[p].text);
                    }
                    for g in &s.suggestions {
                        println!("  got {:.3} {:?} {:?}", g.score, g.matched, g.text);
                    }
                }
            }
        }
    }
    let r1 = at1 as f64 / traced as f64;
    let r5 = at5 as f64 / traced as f64;
    println!(
        "corpus suggestions: {traced} traced statements, recall@1 {r1:.3}, recall@5 {r5:.3}, {} statements in {:?}; missed at 5: {missed:?}",
        all.len(),
        elapsed
    );
    assert!(traced >= 20, "the trace backs {traced} statements");
    assert!(r5 >= 0.85, "recall@5 {r5:.3} is under 0.85 (recall@1 {r1:.3})");
}

/// The index segments every source: its sentence boundaries, computed only
/// around the characters that may end a sentence, are the UAX #29 boundaries
/// of every line of the corpus texts (and of each whole text).
#[test]
fn sentence_boundaries_on_the_corpus_are_the_unicode_rules() {
    use unicode_segmentation::UnicodeSegmentation;
    let Some(article) = common::corpus_file(
        "sentence_boundaries_on_the_corpus_are_the_unicode_rules",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let dir = article.parent().unwrap();
    let mut lines = 0;
    for name in [
        "mueller-report-vol1.txt",
        "mueller-report-vol2.txt",
        "mueller-report-doj-pdf-text.txt",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let expected = |t: &str| -> Vec<usize> {
            t.split_sentence_bound_indices().map(|(i, _)| i).filter(|&i| i > 0 && i < t.len()).collect()
        };
        for line in text.lines() {
            assert_eq!(text::segment::sentence_boundaries(line), expected(line), "{name}: {line:?}");
            lines += 1;
        }
        assert_eq!(text::segment::sentence_boundaries(&text), expected(&text), "{name}");
    }
    assert!(lines > 10_000, "{lines} lines");
}
