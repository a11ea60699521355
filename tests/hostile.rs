//! Hostile and malformed input: pathological sizes get typed errors or bounded
//! work, and properties over arbitrary input (the same entry points the fuzz
//! targets in `fuzz/` drive) hold: no panic, every span valid, a failed import
//! writes nothing. Regressions found this way are pinned here too.

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::quotecheck::{self, PreparedSource};
use claimledger::text::anchor::{self, Hint};
use claimledger::text::normalize::{NormalizeOptions, Normalized};
use claimledger::text::{quotes, segment, verify};
use claimledger::trace::TraceFile;
use claimledger::*;
use proptest::prelude::*;
use std::sync::Arc;

const REPORT_TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";

fn sample_source() -> PreparedSource {
    let taxonomy = Taxonomy::builtin();
    let text = cli::sample::REPORT;
    let reds = taxonomy
        .find_labels(text)
        .into_iter()
        .map(|(r, l)| {
            let code = taxonomy.resolve(&l).map(|x| x.code.clone());
            (r, l, code)
        })
        .collect();
    PreparedSource::new("report", Arc::from(text), reds)
}

fn sample_ledger() -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, REPORT_TITLE), cli::sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(cli::sample::REPORT_REDACTIONS).unwrap());
    l.import_source(imp).unwrap();
    l
}

/// The embedded sample (report and traced article) as a bundle.
fn sample_bundle() -> Vec<u8> {
    static BUNDLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BUNDLE
        .get_or_init(|| {
            let mut l = sample_ledger();
            l.import_trace(cli::sample::ARTICLE, &TraceFile::from_toml(cli::sample::TRACE).unwrap()).unwrap();
            let mut out = Vec::new();
            l.export_bundle(claimledger::formats::Scope::Ledger, &mut out).unwrap();
            out
        })
        .clone()
}

fn check_spans(text: &str) {
    let st = segment::statements(text);
    let mut prev = 0;
    for s in &st {
        assert!(s.start < s.end && s.end <= text.len() && s.start >= prev, "{s:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        prev = s.end;
    }
    for q in quotes::quotations(text).unwrap() {
        assert!(q.open <= q.start && q.start < q.end && q.end == q.close && q.close <= text.len(), "{q:?}");
        for o in [q.open, q.start, q.end, q.close] {
            assert!(text.is_char_boundary(o));
        }
    }
}

// ------------------------------------------------------------------ caps

#[test]
fn a_quote_of_a_million_characters_is_refused_with_a_typed_error() {
    let src = [sample_source()];
    let quote = "ferry ".repeat(170_000);
    let e = quotecheck::locate(&quote, &src).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
    let view = src[0].source_text();
    let e = anchor::anchor_in(&view, &quote, &Hint::default()).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
    // Inside an article, the quote is reported, not a reason to fail the article.
    let article = format!("The report said “{quote}” in full.");
    let checked = quotecheck::check_article(&article, &src);
    match checked {
        Ok(qs) => assert!(qs.iter().all(|q| q.text.len() <= article.len())),
        Err(e) => assert!(matches!(e, Error::TooLarge { .. }), "{e:?}"),
    }
}

/// Texts of nothing but one quote mark (200,000 of them), as an article, a
/// quote and a source: valid spans, no error, nothing found. (Their speed is
/// the benches' business; a quadratic pass would show there.)
#[test]
fn a_text_of_only_quote_marks_gives_valid_spans_and_finds_nothing() {
    for mark in ["\"", "“", "”", "'", "‘", "’", "«", "»", "„"] {
        let text = mark.repeat(200_000);
        check_spans(&text);
        let src = [sample_source()];
        let checked = quotecheck::check_article(&text, &src).unwrap();
        // Quotations of nothing but marks: nothing to search, so not found; the
        // unclosed ones that run to the end of the text are over the cap on a
        // quote, so too large.
        for q in &checked {
            let expected = if q.text.len() > claimledger::text::anchor::MAX_QUOTE {
                QuoteStatus::TooLarge
            } else {
                QuoteStatus::NotFound
            };
            assert_eq!(q.finding.status, expected, "{mark}");
        }
        // As a quote: not found, or nothing to search for.
        match quotecheck::locate(&mark.repeat(5_000), &src) {
            Ok(q) => assert_eq!(q.finding.status, QuoteStatus::NotFound, "{mark}"),
            Err(e) => assert!(e.is_invalid_input(), "{mark}: {e}"),
        }
        // As a source.
        let many = [PreparedSource::new("marks", Arc::from(text.as_str()), Vec::new())];
        let q = quotecheck::locate("the pier was repaired", &many).unwrap();
        assert_eq!(q.finding.status, QuoteStatus::NotFound);
    }
    // Alternating and nested marks, with words.
    let text = "“a ‘b “c ‘d ".repeat(5_000);
    check_spans(&text);
    quotecheck::check_article(&text, &[sample_source()]).unwrap();
}

/// Fuzzing regression: a quotation with nothing to search (`“…”`, a zero-width
/// space) made `check_article` (the `quotes` command) and trace imports fail the
/// whole article with "no text to search". It is now a quote not found.
#[test]
fn quotations_with_nothing_to_search_are_not_found_and_do_not_fail_the_article() {
    let src = [sample_source()];
    for inner in ["\u{200b}", "…", "...", "[…]", "\u{ad}"] {
        let article = format!("The report called it “{inner}” and said “three weaknesses” too.");
        let checked = quotecheck::check_article(&article, &src).unwrap_or_else(|e| panic!("{inner:?}: {e}"));
        assert_eq!(checked.len(), 2, "{inner:?}");
        assert_eq!(checked[0].finding.status, QuoteStatus::NotFound, "{inner:?}");
        assert_ne!(checked[1].finding.status, QuoteStatus::NotFound, "{inner:?}");
        // A direct `locate` of such a quote is the caller's mistake: a typed error.
        assert!(quotecheck::locate(inner, &src).unwrap_err().is_invalid_input());
    }
    // In a traced statement.
    let mut l = sample_ledger();
    let article = cli::sample::ARTICLE.replacen("three years of work", "three years “…” of work", 1);
    assert_ne!(article, cli::sample::ARTICLE);
    let trace = TraceFile::from_toml(cli::sample::TRACE).unwrap();
    l.import_trace(&article, &trace).unwrap();
}

#[test]
fn huge_verifications_stay_within_the_cell_cap() {
    let quote = "word ".repeat(20_000);
    let source = "other ".repeat(20_000);
    let v = verify::verify(&quote, &source);
    assert_eq!(v.verdict, verify::Verdict::Altered);
    assert!(!v.differences.is_empty());
}

#[test]
fn a_trace_of_only_quote_marks_or_a_huge_statement_is_refused_cleanly() {
    let mut l = sample_ledger();
    let before = common::dump(&l);
    let mut t = TraceFile::from_toml(cli::sample::TRACE).unwrap();
    let article = "”".repeat(100_000);
    let e = l.import_trace(&article, &t).unwrap_err();
    assert!(e.is_invalid_input(), "{e:?}");
    assert_eq!(common::dump(&l), before, "a refused trace wrote something");
    t.claims[0].statement = "x".repeat(2_000_000);
    let e = l.import_trace(cli::sample::ARTICLE, &t).unwrap_err();
    assert!(e.is_invalid_input(), "{e:?}");
    assert_eq!(common::dump(&l), before, "a refused trace wrote something");
}

// ------------------------------------------------------------------ properties

/// Text from an alphabet that exercises the engine: quote marks, sentence ends,
/// brackets, footnote markers, whitespace of every kind, ligatures, combining marks.
fn tricky(max: usize) -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "a",
        "The",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\x0c",
        "\u{a0}",
        "\t",
        ".",
        ". ",
        "?",
        "!",
        "…",
        "...",
        ",",
        ";",
        ":",
        "\"",
        "“",
        "”",
        "'",
        "‘",
        "’",
        "«",
        "»",
        "„",
        "`",
        "-",
        "—",
        "–",
        "[",
        "]",
        "[^1]",
        "[^2]: ",
        "[Grand Jury]",
        "[HOM]",
        "(",
        ")",
        "ﬁ",
        "é",
        "e\u{301}",
        "\u{200b}",
        "\u{ad}",
        "Mr.",
        "U.S.",
        "3.5",
        "1",
        "quote",
        "said",
        "ferry",
        "pier",
        "report",
        "🙂",
        "ß",
        "İ",
    ]);
    prop::collection::vec(atoms, 0..max).prop_map(|v| v.concat())
}

/// One to five consecutive words of `text`.
fn words_of(text: &'static str) -> impl Strategy<Value = String> {
    let words: Vec<&'static str> = text.split_whitespace().collect();
    (any::<prop::sample::Index>(), 1usize..6).prop_map(move |(at, len)| {
        let i = at.index(words.len());
        words[i..(i + len).min(words.len())].join(" ")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn segmentation_and_quotes_give_valid_spans(text in tricky(120)) {
        check_spans(&text);
    }

    #[test]
    fn normalization_maps_every_byte_to_a_unit_on_char_boundaries(
        text in tricky(80), fold in any::<bool>(), skips in prop::collection::vec((0usize..300, 0usize..20), 0..4)
    ) {
        let skip = skips.iter().map(|&(s, l)| s..s + l).collect();
        let n = Normalized::try_new(&text, &NormalizeOptions { fold_case: fold, skip }).unwrap();
        let mut prev = 0;
        for i in 0..n.len() {
            let u = n.unit(i).unwrap();
            prop_assert!(u.start < u.end && u.end <= text.len());
            prop_assert!(text.is_char_boundary(u.start) && text.is_char_boundary(u.end));
            prop_assert!(u.start >= prev);
            prev = u.start;
        }
        let ns = n.as_str();
        for i in (0..=ns.len()).filter(|&i| ns.is_char_boundary(i) && n.is_unit_boundary(i)) {
            let r = n.to_original(i..ns.len());
            prop_assert!(r.start <= r.end && r.end <= text.len());
            if i < ns.len() {
                prop_assert_eq!(n.to_normalized(r.start), i);
            }
        }
    }

    #[test]
    /// Quotes are cuts of the source at any character boundaries (so that they
    /// are found and their places checked) or, one case in three, arbitrary.
    fn anchoring_quotes_never_panics_and_spans_fit(
        source in tricky(150), other in tricky(12), at in any::<prop::sample::Index>(), len in 1usize..40, cut in 0u8..3,
    ) {
        let bounds: Vec<usize> = source.char_indices().map(|(i, _)| i).chain(std::iter::once(source.len())).collect();
        let a = at.index(bounds.len());
        let quote = if cut > 0 { source[bounds[a]..bounds[(a + len).min(bounds.len() - 1)]].to_string() } else { other };
        let prepared = [PreparedSource::new("s", Arc::from(source.as_str()), Vec::new()), sample_source()];
        match quotecheck::locate(&quote, &prepared) {
            Ok(q) => {
                if let Some((si, r)) = &q.finding.place {
                    let t = prepared[*si].text();
                    prop_assert!(r.start <= r.end && r.end <= t.len());
                    prop_assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
                }
                let _ = q.to_json(None, &prepared);
            }
            Err(e) => prop_assert!(e.is_invalid_input(), "{e:?}"),
        }
        let article = format!("{source} “{quote}” {source}");
        for q in quotecheck::check_article(&article, &prepared).unwrap() {
            let r = q.article.unwrap();
            prop_assert!(r.end <= article.len() && article.is_char_boundary(r.start) && article.is_char_boundary(r.end));
        }
    }

    #[test]
    fn verification_lists_differences_exactly_when_altered(quote in tricky(30), source in tricky(30)) {
        let v = verify::verify(&quote, &source);
        prop_assert_eq!(v.differences.is_empty(), v.verdict != verify::Verdict::Altered);
    }

    /// A quote that swaps one word of its source for another is altered, with
    /// exactly that word as the one difference.
    #[test]
    fn a_swapped_word_is_the_one_difference(
        words in prop::collection::vec(prop::sample::select(vec!["ferry", "pier", "report", "said", "harbour", "fees", "rose", "late"]), 1..12),
        at in any::<prop::sample::Index>(),
        with in prop::sample::select(vec!["tenth", "fifth", "closed"]),
    ) {
        let source = words.join(" ");
        let k = at.index(words.len());
        let quote = words.iter().enumerate().map(|(i, w)| if i == k { with } else { *w }).collect::<Vec<_>>().join(" ");
        let v = verify::verify(&quote, &source);
        prop_assert_eq!(v.verdict, verify::Verdict::Altered);
        prop_assert_eq!(
            v.differences,
            vec![verify::Difference { quoted: with.to_string(), source: words[k].to_string() }]
        );
    }

    /// Selectors are mostly a few consecutive words of the report (so that
    /// many imports succeed and their spans get checked), sometimes arbitrary.
    #[test]
    fn trace_imports_succeed_or_write_nothing(
        statement in prop_oneof![words_of(cli::sample::ARTICLE), tricky(6)],
        exact in prop_oneof![3 => words_of(cli::sample::REPORT), 1 => tricky(6)],
        relation in prop::sample::select(vec!["supports", "quotes", "context", "bogus"]),
        article in tricky(60), footnote in proptest::option::of(0u32..4), page in proptest::option::of(0u32..5),
    ) {
        let toml = format!(
            "format = 1\n[article]\ntitle = \"Fuzzed\"\n[[source]]\nkey = \"r\"\ntitle = {title:?}\n[[claim]]\nstatement = {statement:?}\n  [[claim.cite]]\n  source = \"r\"\n  exact = {exact:?}\n  relation = {relation:?}\n{fn_line}{page_line}",
            title = REPORT_TITLE,
            fn_line = footnote.map(|n| format!("  footnote = {n}\n")).unwrap_or_default(),
            page_line = page.map(|n| format!("  page = {n}\n")).unwrap_or_default(),
        );
        let trace = match TraceFile::from_toml(&toml) {
            Ok(t) => t,
            Err(e) => { prop_assert!(e.is_invalid_input(), "{e:?}"); return Ok(()); }
        };
        let mut l = sample_ledger();
        let before = common::dump(&l);
        let text = format!("{article} {statement}.");
        match l.import_trace(&text, &trace) {
            Ok(out) => {
                for c in l.claims(out.revision.id).unwrap() {
                    l.text(&c.span).unwrap();
                }
            }
            Err(e) => {
                prop_assert!(e.is_invalid_input(), "{e:?}");
                prop_assert!(common::dump(&l) == before, "a refused trace wrote something: {e}");
            }
        }
    }

    #[test]
    fn bundles_damaged_anywhere_import_whole_or_not_at_all(
        cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), byte in any::<u8>(),
        how in 0u8..4, merge in any::<bool>(),
    ) {
        let bundle = sample_bundle();
        let lines: Vec<&[u8]> = bundle.split_inclusive(|&b| b == b'\n').collect();
        let damaged: Vec<u8> = match how {
            // Truncated anywhere.
            0 => bundle[..cut.index(bundle.len())].to_vec(),
            // One byte changed.
            1 => {
                let mut v = bundle.clone();
                let i = at.index(v.len());
                v[i] = byte;
                v
            }
            // A line dropped.
            2 => {
                let k = at.index(lines.len());
                lines.iter().enumerate().filter(|(i, _)| *i != k).flat_map(|(_, l)| l.iter().copied()).collect()
            }
            // A line repeated.
            _ => {
                let k = at.index(lines.len());
                lines.iter().enumerate().flat_map(|(i, l)| if i == k { [*l, *l].concat() } else { l.to_vec() }).collect()
            }
        };
        let mut l = if merge { sample_ledger() } else { Ledger::open_in_memory().unwrap() };
        let before = common::dump(&l);
        match l.import_bundle(damaged.as_slice()) {
            Ok(_) => {
                for d in l.documents().unwrap() {
                    for r in l.revisions(d.id).unwrap() {
                        for c in l.claims(r.id).unwrap() {
                            l.text(&c.span).unwrap();
                        }
                    }
                }
            }
            Err(e) => {
                prop_assert!(e.is_invalid_input() || e.is_not_found(), "{e:?}");
                prop_assert!(common::dump(&l) == before, "a refused bundle wrote something: {e}");
            }
        }
    }

    #[test]
    fn source_imports_with_arbitrary_redaction_files_store_all_or_nothing(
        text in tricky(60),
        entries in prop::collection::vec((0usize..200, 0usize..30, any::<bool>(), tricky(3)), 0..5),
    ) {
        let body: Vec<String> = entries
            .iter()
            .map(|(s, len, with_exact, label)| {
                let exact = if *with_exact {
                    let t: String = text.chars().skip(*s).take(*len).collect();
                    format!(",\"exact\":{}", serde_json::to_string(&t).unwrap())
                } else {
                    String::new()
                };
                format!("{{\"start\":{s},\"end\":{},\"label\":{}{exact}}}", s + len, serde_json::to_string(label).unwrap())
            })
            .collect();
        let json = format!("{{\"redactions\":[{}]}}", body.join(","));
        let file = RedactionFile::from_json(&json).unwrap();
        let mut l = Ledger::open_in_memory().unwrap();
        let empty = common::dump(&l);
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "Fuzzed"), text.clone());
        imp.redactions = Redactions::StandOff(file);
        match l.import_source(imp) {
            Ok(out) => {
                prop_assert_eq!(out.redactions, entries.len());
                for r in l.redactions(out.revision.id).unwrap() {
                    l.text(&r.span).unwrap();
                }
            }
            Err(e) => {
                prop_assert!(e.is_invalid_input(), "{e:?}");
                prop_assert!(common::dump(&l) == empty, "a refused source wrote something: {e}");
            }
        }
        // Detection on the same text never fails.
        let out = l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Detected"), text)).unwrap();
        for r in l.redactions(out.revision.id).unwrap() {
            l.text(&r.span).unwrap();
        }
    }
}
