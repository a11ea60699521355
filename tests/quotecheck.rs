//! Quote checking through the whole engine (find, anchor, verify), every status
//! and editorial convention, on sample text written for the test.

use claimledger::quotecheck::{self, PreparedSource};
use claimledger::{QuoteLocation, QuoteStatus};
use std::sync::Arc;

const SOURCE: &str = "The council met on Tuesday. The treasurer said the budget “is balanced for the first time in a decade,” and the mayor agreed.[^1] \
The auditor found that the harbor fund had been drained twice. The auditor found no fraud. \
The committee will report in May.\x0cIn a letter, the chief engineer wrote that the bridge was safe [Personal Privacy] and that repairs could wait until spring.\n\nFootnotes\n[^1]: Minutes, p. 3.\n";

fn sources() -> Vec<PreparedSource> {
    let label = SOURCE.find("[Personal Privacy]").unwrap();
    vec![PreparedSource::new(
        "minutes.txt",
        Arc::from(SOURCE),
        vec![(label..label + "[Personal Privacy]".len(), "Personal Privacy".to_string(), Some("pp".to_string()))],
    )]
}

fn locate(q: &str) -> quotecheck::QuoteJson {
    let s = sources();
    quotecheck::locate(q, &s).unwrap().to_json(None, &s)
}

#[test]
fn every_status() {
    let v = locate("is balanced for the first time in a decade");
    assert_eq!(v.status, QuoteStatus::Verbatim);
    assert_eq!(v.page, Some(1));

    let n = locate("the bridge was safe and that repairs could wait until spring");
    assert_eq!(n.status, QuoteStatus::Verbatim, "the redaction label is not a word of the source");
    assert_eq!(n.page, Some(2));
    assert_eq!(n.redactions.len(), 1);
    assert_eq!((n.redactions[0].code.as_deref(), n.redactions[0].place), (Some("pp"), "inside"));

    let t = locate("is  balanced\nfor the first time in a decade");
    assert_eq!(t.status, QuoteStatus::Normalized, "whitespace only");

    let a = locate("is balanced for the second time in a decade");
    assert_eq!(a.status, QuoteStatus::Altered);
    assert_eq!(a.differences.len(), 1);
    assert_eq!((a.differences[0].quoted.as_str(), a.differences[0].source.as_str()), ("second", "first"));

    let nf = locate("the zoning board approved the stadium plan unanimously");
    assert_eq!(nf.status, QuoteStatus::NotFound);
    assert_eq!((nf.start, nf.page, nf.score), (None, None, None));

    // The same words at two places: a verdict about the words, and a location
    // that lists both places without guessing.
    let amb = locate("The auditor found");
    assert_eq!(amb.status, QuoteStatus::Verbatim);
    assert_eq!(amb.location, QuoteLocation::Ambiguous);
    assert_eq!(amb.candidates, 2);
    let starts: Vec<usize> = amb.alternatives.iter().map(|a| a.start).collect();
    let first = SOURCE.find("The auditor found").unwrap();
    let second = SOURCE[first + 1..].find("The auditor found").unwrap() + first + 1;
    let cp = |b: usize| SOURCE[..b].chars().count();
    assert_eq!(starts, vec![cp(first), cp(second)]);
    assert!(amb.alternatives.iter().all(|a| a.status == Some(QuoteStatus::Verbatim)));
    assert_eq!(amb.start, None, "no guess");
    assert_eq!(v.location, QuoteLocation::Unique);
    assert_eq!(nf.location, QuoteLocation::None);
}

#[test]
fn editorial_conventions_are_verbatim_with_edits() {
    let e = locate("the budget … is balanced");
    assert_eq!(e.status, QuoteStatus::Verbatim);
    assert!(e.edits.iter().any(|x| x.kind == "elision"), "{:?}", e.edits);

    let b = locate("[t]he auditor found no fraud");
    assert_eq!(b.status, QuoteStatus::Verbatim);
    assert!(b.edits.iter().any(|x| x.kind == "insertion"), "{:?}", b.edits);

    let p = locate("will report in May,");
    assert_eq!(p.status, QuoteStatus::Verbatim);
    assert!(p.edits.iter().any(|x| x.kind == "punctuation_inside"), "{:?}", p.edits);

    let c = locate("The bridge was safe");
    assert!(matches!(c.status, QuoteStatus::Normalized), "first-letter case: {:?}", c.status);
}

/// "The auditor found" occurs twice in a source, the two far apart (alone the
/// quote is ambiguous); in an article, the words around each quotation decide
/// which occurrence it anchors to.
#[test]
fn context_decides_between_repeated_quotes() {
    let filler = "The council then turned to the parking budget and the new ferry timetable. ".repeat(30);
    let source = format!(
        "The auditor found that the harbor fund had been drained twice. {filler}The auditor found no fraud in the ferry accounts."
    );
    let s = vec![PreparedSource::new("report.txt", Arc::from(source.as_str()), Vec::new())];
    let occurrences: Vec<usize> =
        source.match_indices("The auditor found").map(|(b, _)| source[..b].chars().count()).collect();
    assert_eq!(occurrences.len(), 2, "the quote occurs twice in the source");
    let alone = quotecheck::locate("The auditor found", &s).unwrap().to_json(None, &s);
    assert_eq!(alone.location, QuoteLocation::Ambiguous, "without context");
    for (article, want) in [
        ("The minutes say “The auditor found” that the harbor fund had been drained twice.", occurrences[0]),
        ("The minutes also say “The auditor found” no fraud in the ferry accounts.", occurrences[1]),
    ] {
        let got = quotecheck::check_article(article, &s).unwrap();
        assert_eq!(got.len(), 1, "{article}");
        let q = got[0].to_json(Some(&claimledger::CharIndex::new(article)), &s);
        assert_eq!((q.status, q.location), (QuoteStatus::Verbatim, QuoteLocation::Unique), "{article}");
        assert_eq!(q.start, Some(want), "{article}: anchored to the wrong occurrence");
    }
}

/// Two occurrences a sentence apart are too close for the context to tell
/// apart: the quote stays ambiguous rather than guessed.
#[test]
fn context_does_not_guess_between_neighbouring_repeated_quotes() {
    let s = sources();
    let got = quotecheck::check_article(
        "The minutes say “The auditor found” that the harbor fund had been drained twice.",
        &s,
    )
    .unwrap();
    assert_eq!(got.len(), 1);
    let q = got[0].to_json(None, &s);
    assert_eq!((q.location, q.candidates, q.start), (QuoteLocation::Ambiguous, 2, None));
}

#[test]
fn a_quote_of_a_redaction_label_anchors_to_the_redaction() {
    let r = locate("personal privacy");
    assert_eq!(r.tier, Some(claimledger::Tier::RedactionLabel));
    assert_eq!(r.status, QuoteStatus::Normalized, "case differs from the label");
}

#[test]
fn pathological_quotes_are_refused_with_a_typed_error() {
    let s = sources();
    let huge = "word ".repeat(200_000);
    let e = quotecheck::locate(&huge, &s).unwrap_err();
    assert!(matches!(e, claimledger::Error::TooLarge { .. }), "{e}");
    // An article of nothing but quote marks is checked without error and finds
    // nothing verbatim.
    let marks = "“”\"'‘’".repeat(20_000);
    let got = quotecheck::check_article(&marks, &s).unwrap();
    assert!(got.iter().all(|q| q.finding.status != QuoteStatus::Verbatim));
}

/// The places of an ambiguous quote are a list a later step can reorder; pinning
/// one checks the words there and gives a unique location.
#[test]
fn a_place_of_an_ambiguous_quote_can_be_pinned() {
    let s = sources();
    let f = quotecheck::locate("The auditor found", &s).unwrap().finding;
    assert_eq!(f.location, QuoteLocation::Ambiguous);
    assert_eq!(f.place, None);
    assert_eq!(f.places.len(), 2);
    assert!(f.places.iter().all(|p| p.status == Some(QuoteStatus::Verbatim)));
    let second = f.places[1].clone();
    let pinned = quotecheck::check_at("The auditor found", &s, &second).unwrap();
    assert_eq!(pinned.location, QuoteLocation::Unique);
    assert_eq!(pinned.status, QuoteStatus::Verbatim);
    assert_eq!(pinned.place, Some((0, second.range.clone())));
    // A place outside the sources is a typed error.
    let far = quotecheck::Place { range: 0..SOURCE.len() + 5, ..second.clone() };
    assert!(quotecheck::check_at("The auditor found", &s, &far).unwrap_err().is_invalid_input());
    let nowhere = quotecheck::Place { source: 3, ..second };
    assert!(quotecheck::check_at("The auditor found", &s, &nowhere).unwrap_err().is_invalid_input());
}
