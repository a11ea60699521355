//! Short quotes of the corpus article placed by the sentence that holds them,
//! without the places the corpus trace pins (runs when CLAIMLEDGER_CORPUS is set).

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::{CharIndex, DocumentKind, Ledger, NewDocument, QuoteLocation};
use serde::Deserialize;

const TRACE: &str = include_str!("fixtures/tpm-trump-russia.trace.toml");

#[derive(Deserialize)]
struct Expected {
    quote: Vec<ExpectedQuote>,
}

/// A hand-verified place (`tests/fixtures/tpm-quotes.expected.toml`).
#[derive(Deserialize)]
struct ExpectedQuote {
    text: String,
    article_start: usize,
    source: Option<String>,
    start: Option<usize>,
    end: Option<usize>,
}

/// The short quotes of the article (one or two words; "investigative
/// technique." is a redaction label, placed by its tier).
const SHORT: [&str; 6] = ["find", "benefit", "dark web", "dirt", "DT", "authorized"];

#[test]
fn short_quotes_land_where_the_trace_pins_them_without_the_pins() {
    let Some(dir) = common::corpus_file(
        "short_quotes_land_where_the_trace_pins_them_without_the_pins",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let dir = dir.parent().unwrap().to_path_buf();
    let mut trace = TraceFile::from_toml(TRACE).unwrap();
    // The pins the fact-checker wrote for short quotes, taken out.
    let mut pins = 0;
    for claim in &mut trace.claims {
        for q in &mut claim.quotes {
            if q.source.take().is_some() | q.exact.take().is_some() {
                pins += 1;
            }
            q.prefix = None;
            q.suffix = None;
        }
    }
    assert_eq!(pins, 4, "find, benefit twice and dirt are pinned in the trace");
    let tmp = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(tmp.path().join("corpus.ledger")).unwrap();
    let mut titles = Vec::new();
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
        let title = trace.sources.iter().find(|s| s.key == key).unwrap().title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title.clone()), text);
        imp.redactions = Redactions::StandOff(file);
        let out = l.import_source(imp).unwrap();
        titles.push((key, out.revision.id));
    }
    let article = std::fs::read_to_string(dir.join("tpm-trump-and-russia-worked-towards-the-same-goal.txt")).unwrap();
    let out = l.import_trace(&article, &trace).unwrap();
    let chars = CharIndex::new(&article);

    let expected: Expected = toml::from_str(include_str!("fixtures/tpm-quotes.expected.toml")).unwrap();
    let short: Vec<&ExpectedQuote> = expected.quote.iter().filter(|e| SHORT.contains(&e.text.as_str())).collect();
    assert_eq!(short.len(), 7, "the article's seven short quotes");
    let quotations = l.quotations_of_revision(out.revision.id).unwrap();
    for e in short {
        let q = quotations
            .iter()
            .find(|q| chars.to_char(q.span.start) == Some(e.article_start))
            .unwrap_or_else(|| panic!("{:?} was traced", e.text));
        assert_eq!(q.check.location, QuoteLocation::Unique, "{:?}: {:?}", e.text, q.check);
        let p = l.passage(q.passage.unwrap()).unwrap().unwrap();
        let vol = titles.iter().find(|(k, _)| Some(*k) == e.source.as_deref()).map(|(_, r)| *r);
        assert_eq!(Some(p.span.revision), vol, "{:?}", e.text);
        assert_eq!((Some(p.position.start), Some(p.position.end)), (e.start, e.end), "{:?}", e.text);
    }
}
