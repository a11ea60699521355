//! To whom an article attributes each quotation: in the `quotes` JSON (single
//! article and batch), in the trace import (the speaker stored), and in the
//! audit (quotes of others listed apart from misquotes). Every name and
//! sentence here is made up for these tests.

use claimledger::audit::Policy;
use claimledger::batch::{self, Batch};
use claimledger::import::SourceImport;
use claimledger::quotecheck::{self, AttributionJson, PreparedSource};
use claimledger::trace::TraceFile;
use claimledger::{CharIndex, DocumentKind, Ledger, NewDocument, QuoteStatus};
use std::sync::Arc;

const REPORT: &str = "The inspectors found the ferry terminal unsafe in April. \
The harbor fund paid the contractor twice for the same ramp.\n\n\
Repairs were ordered but never began.\n";

fn sources() -> Vec<PreparedSource> {
    vec![PreparedSource::new("harbor-review.txt", Arc::from(REPORT), Vec::new())]
}

/// Every quotation of `article` as `quotes --format json` gives it: (text,
/// status, attribution).
fn quotes(article: &str) -> Vec<(String, QuoteStatus, Option<AttributionJson>)> {
    let src = sources();
    let index = CharIndex::new(article);
    quotecheck::check_article(article, &src)
        .unwrap()
        .iter()
        .map(|q| {
            let j = q.to_json(Some(&index), &src);
            (j.text, j.status, j.attribution)
        })
        .collect()
}

/// The speaker of each quotation.
fn speakers(article: &str) -> Vec<Option<String>> {
    quotes(article).into_iter().map(|(_, _, a)| a.map(|a| a.speaker)).collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// `text` from code point `start` to `end`.
fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn the_reporting_verb_after_the_quote() {
    let article = "“The terminal will reopen in May,” Mayor Ilse Varga said on Tuesday.";
    let got = quotes(article);
    let a = got[0].2.clone().expect("attributed");
    assert_eq!(
        (a.speaker.as_str(), a.cue.as_str(), a.pattern),
        ("Mayor Ilse Varga", "Mayor Ilse Varga said", "speaker_verb_after")
    );
    // Offsets in code points of the article (the curly marks are 3 bytes each).
    assert_eq!(chars(article, a.start, a.end), "Mayor Ilse Varga said");
    assert_eq!(chars(article, a.speaker_start, a.speaker_end), "Mayor Ilse Varga");
    assert_eq!(got[0].1, QuoteStatus::NotFound);
}

#[test]
fn the_reporting_verb_before_the_quote() {
    let article = "The harbormaster told reporters on Friday that “nobody warned us about the ramp.”";
    let got = quotes(article);
    let a = got[0].2.clone().expect("attributed");
    assert_eq!(a.speaker, "The harbormaster");
    assert_eq!(a.cue, "The harbormaster told reporters on Friday that");
    assert_eq!(a.pattern, "before");
}

#[test]
fn the_inverted_said_speaker() {
    let article = "“We paid what the invoices asked,” said Oskar Brandt, the fund’s treasurer.";
    let got = quotes(article);
    let a = got[0].2.clone().expect("attributed");
    assert_eq!(
        (a.speaker.as_str(), a.cue.as_str(), a.pattern),
        ("Oskar Brandt", "said Oskar Brandt", "verb_speaker_after")
    );
}

#[test]
fn according_to_before_and_after_the_quote() {
    assert_eq!(speakers("“The ramp was never built,” according to Nadia Petrov."), [some("Nadia Petrov")]);
    let article = "According to the review, “the harbor fund paid the contractor twice for the same ramp.”";
    let got = quotes(article);
    let a = got[0].2.clone().expect("attributed");
    assert_eq!((a.speaker.as_str(), a.pattern), ("the review", "according_to"));
    assert_eq!(got[0].1, QuoteStatus::Normalized, "the review's words, first letter lowered");
}

#[test]
fn a_colon_introduction() {
    let article = "The review was plain: “Repairs were ordered but never began.”";
    let got = quotes(article);
    let a = got[0].2.clone().expect("attributed");
    assert_eq!((a.speaker.as_str(), a.cue.as_str(), a.pattern), ("The review", "The review was plain:", "colon"));
    assert_eq!(got[0].1, QuoteStatus::Verbatim);
}

#[test]
fn a_speaker_carries_into_the_next_sentence_of_the_paragraph() {
    let article = "“We raised it twice,” the union steward wrote. “Nobody answered either letter.”\n\n\
“Then the ramp failed.” The council met in June.";
    let got = quotes(article);
    assert_eq!(got[0].2.as_ref().map(|a| a.speaker.as_str()), Some("the union steward"));
    let second = got[1].2.clone().expect("the steward goes on in the next sentence");
    assert_eq!((second.speaker.as_str(), second.pattern), ("the union steward", "previous_sentence"));
    // Its cue is the first sentence's words, where the article says who speaks.
    assert_eq!(chars(article, second.start, second.end), "the union steward wrote");
    // A new paragraph with no cue of its own: nobody is named.
    assert_eq!(got[2].2, None);
}

#[test]
fn a_nested_quote_is_attributed_to_the_inner_speaker() {
    let article = "“The inspectors wrote that ‘the ferry terminal was unsafe in April’ and we acted on it,” the port director said.";
    let got = quotes(article);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].2.as_ref().map(|a| a.speaker.as_str()), Some("the port director"));
    let inner = got[1].2.clone().expect("the inner quote has its own speaker");
    assert_eq!((inner.speaker.as_str(), inner.cue.as_str()), ("The inspectors", "The inspectors wrote that"));
    // With no cue inside its parent, a nested quote is attributed to nobody,
    // never to the parent's speaker.
    let got = quotes("“The ramp was a ‘temporary fix’ for years,” the port director said.");
    assert_eq!(got[0].2.as_ref().map(|a| a.speaker.as_str()), Some("the port director"));
    assert_eq!(got[1].2, None);
}

#[test]
fn no_cue_no_attribution() {
    assert_eq!(speakers("The fund’s “twice paid” ramp still stands half built."), [None]);
    assert_eq!(speakers("Residents call the terminal “the ghost pier” now."), [None], "`call` is not a reporting verb");
    // A reporting verb inside another quotation is not a cue.
    assert_eq!(speakers("“The mayor said nothing.” Later, “ramp” appeared on a sign."), [None, None]);
}

#[test]
fn the_batch_output_carries_the_attribution_too() {
    let input = "{\"id\": \"a\", \"text\": \"\\u201CWe paid twice,\\u201D the treasurer admitted.\"}\n\
{\"id\": \"b\", \"text\": \"A \\u201Cghost pier\\u201D stands there.\"}\n";
    let mut out = Vec::new();
    let n = batch::quotes_jsonl(
        input.as_bytes(),
        &mut out,
        &sources(),
        Batch { threads: 2, window: 4, ..Batch::default() },
        |_| {},
    )
    .unwrap();
    assert_eq!(n, 2);
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let a = &lines[0]["quotes"][0]["attribution"];
    assert_eq!(a["speaker"], "the treasurer");
    assert_eq!(a["cue"], "the treasurer admitted");
    assert_eq!((a["start"].as_u64(), a["end"].as_u64()), (Some(17), Some(39)));
    assert!(lines[1]["quotes"][0]["attribution"].is_null());
}

const TRACE: &str = r#"
format = 1

[article]
title = "Ferry terminal"

[[source]]
key = "review"
title = "Harbor review"

[[claim]]
statement = "the treasurer said"

  [[claim.cite]]
  source = "review"
  exact = "The harbor fund paid the contractor twice for the same ramp."
  relation = "context"

[[claim]]
statement = "Senator Ruth Okafor"

  [[claim.cite]]
  source = "review"
  exact = "Repairs were ordered but never began."
  relation = "context"

  [[claim.quote]]
  text = "built to last"
  speaker = "Senator Ruth Okafor (press release)"

[[claim]]
statement = "Inspectors visited in April"

  [[claim.cite]]
  source = "review"
  exact = "The inspectors found the ferry terminal unsafe in April."
  relation = "quotes"
"#;

const ARTICLE: &str = "Ferry terminal\n\n\
“The contractor has been paid in full,” the treasurer said.\n\n\
Senator Ruth Okafor called the terminal “built to last” in 2019, the same year “the first cracks were reported,” the review says.\n\n\
Inspectors visited in April, and the review says “the ferry terminal was unsound in April.”\n";

fn traced() -> (tempfile::TempDir, Ledger, claimledger::DocumentId) {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(dir.path().join("f.ledger")).unwrap();
    l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Harbor review"), REPORT)).unwrap();
    let out = l.import_trace(ARTICLE, &TraceFile::from_toml(TRACE).unwrap()).unwrap();
    assert_eq!(out.quotations, 4);
    (dir, l, out.article.id)
}

/// The trace import stores the article's speaker when the trace names none;
/// the trace's own speaker wins.
#[test]
fn the_trace_import_fills_the_speaker_from_the_article() {
    let (_dir, l, doc) = traced();
    let rev = l.latest_revision(doc).unwrap().unwrap();
    let mut stored: Vec<(String, Option<String>)> = l
        .quotations_of_revision(rev.id)
        .unwrap()
        .into_iter()
        .map(|q| (rev.text[q.span.start..q.span.end].to_string(), q.speaker))
        .collect();
    stored.sort();
    assert_eq!(
        stored,
        [
            ("The contractor has been paid in full,".to_string(), some("the treasurer")),
            ("built to last".to_string(), some("Senator Ruth Okafor (press release)")),
            ("the ferry terminal was unsound in April.".to_string(), some("the review")),
            ("the first cracks were reported,".to_string(), some("the review")),
        ]
    );
}

/// Not found in the sources: the treasurer's and the senator's words are
/// quotes of others, listed apart and not misquotes; the words the article
/// gives to the review are misquotes (the review says "unsafe", and nothing of
/// first cracks).
#[test]
fn the_audit_lists_quotes_of_others_apart_from_misquotes() {
    let (_dir, l, doc) = traced();
    let a = l.audit(doc).unwrap();
    let q = &a.quotations;
    assert_eq!(q.total, 4);
    let others: Vec<(&str, &str, Option<&str>)> =
        q.attributed_elsewhere.iter().map(|o| (o.text.as_str(), o.speaker.as_str(), o.cue.as_deref())).collect();
    assert_eq!(
        others,
        [
            ("The contractor has been paid in full,", "the treasurer", Some("the treasurer said")),
            ("built to last", "Senator Ruth Okafor (press release)", Some("Senator Ruth Okafor called the terminal")),
        ]
    );
    // Attributed to the review: a misquote, whatever the article says.
    let misquotes: Vec<&str> = q.unanchored.iter().map(|u| u.text.as_str()).collect();
    assert_eq!(misquotes, ["the first cracks were reported,", "the ferry terminal was unsound in April."]);
    // The verdicts are counted as they are: four quotes checked, none found.
    assert_eq!(q.by_status.get("not_found"), Some(&4));
    // The policy fails on the misquotes only.
    let failure = a.check(&Policy::complete()).unwrap_err();
    let text = failure.to_string();
    assert!(text.contains("the first cracks") && text.contains("unsound in April"), "{text}");
    let quote_failures: Vec<&String> = failure.failures.iter().filter(|f| f.starts_with("not_found quote")).collect();
    assert_eq!(quote_failures.len(), 2, "the quotes of others never fail the policy: {text}");
    // The text view shows them apart.
    let view = a.to_text();
    assert!(view.contains("2 not_found quotes of others"), "{view}");
    assert!(view.contains("Quotes of others"), "{view}");
    assert!(
        view.contains("  - the treasurer: \"The contractor has been paid in full,\" (cue: \"the treasurer said\")"),
        "{view}"
    );
    // The JSON lists them under `quotations.attributed_elsewhere`.
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["quotations"]["attributed_elsewhere"][1]["speaker"], "Senator Ruth Okafor (press release)");
    // The report says so on the quotation.
    let html = l.render_report(doc).unwrap();
    assert!(html.contains("a quote of the treasurer, not of the sources"), "the report marks it");
}

/// The README's table of attribution patterns is the code's table, row for row
/// (the code's unit tests run every example).
#[test]
fn the_readme_lists_every_attribution_pattern_of_the_code() {
    use claimledger::text::attribution::PATTERNS;
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("\n## Who is quoted").nth(1).expect("a section on who is quoted");
    let section = section.split("\n## ").next().unwrap_or("");
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| ---")).skip(1).collect();
    let want: Vec<String> = PATTERNS
        .iter()
        .map(|p| format!("| `{}` | {} | {} | {} | {} |", p.pattern.code(), p.rule, p.example, p.speaker, p.cue))
        .collect();
    assert_eq!(rows, want);
}

/// A quote attributed by name to a source's author is the source's: not found,
/// it stays a misquote; the same words from someone else are a quote of others.
#[test]
fn a_quote_of_a_sources_author_is_the_sources() {
    let mut l = Ledger::open_in_memory().unwrap();
    let mut doc = NewDocument::new(DocumentKind::Report, "Harbor review");
    doc.creators = vec!["Ada Lindqvist".into()];
    l.import_source(SourceImport::new(doc, REPORT)).unwrap();
    let article =
        "Pier\n\n“The ramp was finished in May,” Lindqvist said.\n\n“The ramp was finished in May,” the mayor said.\n";
    let trace = r#"
format = 1
[article]
title = "Pier"
[[source]]
key = "review"
title = "Harbor review"
[[claim]]
statement = "Lindqvist said"
  [[claim.cite]]
  source = "review"
  exact = "Repairs were ordered but never began."
  relation = "context"
[[claim]]
statement = "the mayor said"
  [[claim.cite]]
  source = "review"
  exact = "Repairs were ordered but never began."
  relation = "context"
"#;
    let out = l.import_trace(article, &TraceFile::from_toml(trace).unwrap()).unwrap();
    let a = l.audit(out.article.id).unwrap();
    let others: Vec<&str> = a.quotations.attributed_elsewhere.iter().map(|o| o.speaker.as_str()).collect();
    assert_eq!(others, ["the mayor"]);
    assert_eq!(a.quotations.unanchored.len(), 1, "Lindqvist wrote the review: a misquote");
}
