//! Quotations as journalism marks them, checked and traced: a quote inside
//! someone else's quote, a quotation over several paragraphs, marks that do not
//! balance. Written for these tests; every name and sentence is made up.

use claimledger::import::SourceImport;
use claimledger::quotecheck::{self, PreparedSource};
use claimledger::trace::TraceFile;
use claimledger::*;
use std::sync::Arc;

const REPORT: &str = "The review found no record of the payment to the harbor contractor. \
The board approved the change orders without a vote.\n\n\
Inspectors visited the pier twice in March. They found the pilings sound but the ramp unsafe.\n";

fn sources() -> Vec<PreparedSource> {
    vec![PreparedSource::new("report.txt", Arc::from(REPORT), Vec::new())]
}

/// The quotes of `article`: (text, status, parent, unbalanced).
fn checked(article: &str) -> Vec<(String, QuoteStatus, Option<usize>, Option<&'static str>)> {
    let src = sources();
    let index = CharIndex::new(article);
    quotecheck::check_article(article, &src)
        .unwrap()
        .iter()
        .map(|q| {
            let j = q.to_json(Some(&index), &src);
            (j.text, j.status, j.parent, j.unbalanced)
        })
        .collect()
}

/// The minister's words are not the report's; the words he quotes are, and they
/// are checked on their own.
#[test]
fn an_inner_quote_of_a_not_found_quote_is_checked_against_the_sources() {
    let article =
        "“The counsel writes that ‘the review found no record of the payment’, and we accept it,” the minister said.";
    let got = checked(article);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].1, QuoteStatus::NotFound);
    assert_eq!(got[0].2, None);
    assert_eq!(got[1].0, "the review found no record of the payment");
    assert_eq!(got[1].1, QuoteStatus::Normalized, "first-letter case only");
    assert_eq!(got[1].2, Some(0));
}

/// A short quote nested in double marks inside a double-marked quotation.
#[test]
fn a_short_double_quote_nested_in_a_double_quote_is_checked_on_its_own() {
    let article = "The senator read out “a finding that “the ramp unsafe” was old news,” then sat down.";
    let got = checked(article);
    assert_eq!(got[1].0, "the ramp unsafe");
    assert_eq!(got[1].1, QuoteStatus::Verbatim);
    assert_eq!(got[1].2, Some(0));
}

#[test]
fn a_quotation_over_paragraphs_is_checked_as_one() {
    let article = "The report was blunt: “Inspectors visited the pier twice in March.\n\n“They found the pilings sound but the ramp unsafe.”\n";
    let got = checked(article);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0].0,
        "Inspectors visited the pier twice in March.\n\n“They found the pilings sound but the ramp unsafe."
    );
    assert_ne!(got[0].1, QuoteStatus::NotFound);
    assert_ne!(got[0].1, QuoteStatus::Altered, "{got:?}");
    assert_eq!(got[0].3, None);
}

/// The unclosed quote is reported and checked with the extent assumed; the
/// warning names the mark, the extent and its statement.
#[test]
fn an_unclosed_quote_is_checked_with_the_extent_assumed_and_warned_about() {
    let article = "Later it said “the board approved the change orders without a vote.\n\nThe minister disagreed.";
    let got = checked(article);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "the board approved the change orders without a vote.");
    assert_eq!(got[0].1, QuoteStatus::Normalized);
    assert_eq!(got[0].3, Some("unclosed"));
    let w = quotecheck::warnings_json(article, &CharIndex::new(article)).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].kind, w[0].mark, w[0].quote), ("unclosed", 14, Some(0)));
    assert_eq!((w[0].start, w[0].end), (15, 15 + got[0].0.chars().count()));
    assert_eq!((w[0].statement_start, w[0].statement_end), (0, 67));
    assert!(w[0].message.contains("never closed"), "{}", w[0].message);
}

const TRACE: &str = r#"
format = 1

[article]
title = "Harbor payments"

[[source]]
key = "report"
title = "Harbor review"

[[claim]]
statement = "the minister said"

  [[claim.cite]]
  source = "report"
  exact = "The review found no record of the payment"
  relation = "quotes"

[[claim]]
statement = "Later it said"

  [[claim.cite]]
  source = "report"
  exact = "The board approved the change orders without a vote."
  relation = "quotes"
"#;

/// In a ledger: the nested quotation is stored beside the outer one, and the
/// audit shows the unbalanced mark on its statement.
#[test]
fn traced_nested_quotes_are_stored_and_the_audit_lists_unbalanced_marks() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(dir.path().join("h.ledger")).unwrap();
    l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Harbor review"), REPORT)).unwrap();
    let article = "Harbor payments\n\n“The counsel writes that ‘the review found no record of the payment’,” the minister said.\n\nLater it said “the board approved the change orders without a vote.\n";
    let out = l.import_trace(article, &TraceFile::from_toml(TRACE).unwrap()).unwrap();
    assert_eq!(out.quotations, 3, "outer, inner and the unclosed one");
    let a = l.audit(out.article.id).unwrap();
    assert_eq!(a.quotations.total, 3);
    assert_eq!(a.quotations.by_status.get("not_found"), Some(&1), "{:?}", a.quotations.by_status);
    assert_eq!(a.quotations.unbalanced.len(), 1);
    let u = &a.quotations.unbalanced[0];
    assert_eq!(u.kind, "unclosed");
    assert_eq!(u.assumed, "the board approved the change orders without a vote.");
    assert!(u.statement.starts_with("Later it said"), "{}", u.statement);
    assert!(a.to_text().contains("Quote marks that do not balance"), "{}", a.to_text());
}

/// A quote ending in a nested mark the article makes single where the source
/// has a double one, with the period inside: the conventions, not an
/// alteration (the source's closing mark is read with the words before it).
#[test]
fn a_nested_closing_mark_single_in_the_article_and_double_in_the_source_is_no_alteration() {
    let src = vec![PreparedSource::new(
        "memo.txt",
        Arc::from("The chair wrote to him, telling him “the ramp must close” and “report back by Friday.” He did."),
        Vec::new(),
    )];
    let article = "It said “telling him ‘the ramp must close’.” Nobody replied.";
    let got = quotecheck::check_article(article, &src).unwrap();
    let j = got[0].to_json(None, &src);
    assert_eq!(j.text, "telling him ‘the ramp must close’.");
    assert_eq!(j.status, QuoteStatus::Verbatim, "{:?}", j.differences);
    let kinds: Vec<&str> = j.edits.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.contains(&"nested_quotes") && kinds.contains(&"punctuation_inside"), "{kinds:?}");
    // The place reported is the words', without the source's mark.
    assert_eq!(got[0].finding.place.as_ref().map(|(_, r)| r.end), Some(src[0].text().find("” and").unwrap()));
}
