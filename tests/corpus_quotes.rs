//! `quotes` and `locate` on the real corpus, against hand-verified expectations
//! (runs when CLAIMLEDGER_CORPUS is set).

mod common;

use claimledger::quotecheck::{self, PreparedSource};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
struct Expected {
    quote: Vec<ExpectedQuote>,
}

#[derive(Deserialize)]
struct ExpectedQuote {
    text: String,
    article_start: usize,
    article_end: usize,
    source: Option<String>,
    start: Option<usize>,
    end: Option<usize>,
    status: String,
    #[serde(default = "unique")]
    location: String,
    #[serde(default)]
    differences: Vec<(String, String)>,
}

fn unique() -> String {
    "unique".into()
}

#[test]
fn quotes_of_the_corpus_article_anchor_where_a_reader_finds_them() {
    let Some(article) = common::corpus_file(
        "quotes_of_the_corpus_article_anchor_where_a_reader_finds_them",
        "tpm-trump-and-russia-worked-towards-the-same-goal.txt",
    ) else {
        return;
    };
    let f = |n: &str| common::corpus_file("quotes", n).unwrap();
    let (v1, v2, r1, r2) = (
        f("mueller-report-vol1.txt"),
        f("mueller-report-vol2.txt"),
        f("mueller-report-vol1.redactions.json"),
        f("mueller-report-vol2.redactions.json"),
    );
    // Redaction files given in the other order: they pair with their sources by the
    // file name in their `text` field.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .arg("quotes")
        .arg("--article")
        .arg(&article)
        .args(["--source".as_ref(), v1.as_os_str(), "--source".as_ref(), v2.as_os_str()])
        .args(["--redactions".as_ref(), r2.as_os_str(), "--redactions".as_ref(), r1.as_os_str()])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = json["quotes"].as_array().unwrap();
    let expected: Expected = toml::from_str(include_str!("fixtures/tpm-quotes.expected.toml")).unwrap();
    assert_eq!(got.len(), expected.quote.len(), "every quotation of the article is found");

    let mut resolved = 0;
    for (g, e) in got.iter().zip(&expected.quote) {
        let name = |v: &serde_json::Value| v.as_str().map(|s| s.rsplit('/').next().unwrap_or(s).to_string());
        let vol = e.source.as_ref().map(|s| format!("mueller-report-{s}.txt"));
        // The expectations keep only the first words of each quote.
        assert!(g["text"].as_str().unwrap().starts_with(&e.text), "{} / {}", g["text"], e.text);
        assert_eq!(
            (g["article_start"].as_u64(), g["article_end"].as_u64()),
            (Some(e.article_start as u64), Some(e.article_end as u64)),
            "{}",
            e.text
        );
        let status = g["status"].as_str().unwrap();
        assert_ne!(status, "ambiguous", "the verdict never says where the words are");
        assert_eq!(g["location"], e.location.as_str(), "{}", e.text);
        if e.location == "ambiguous" {
            // Only short quotes may have an ambiguous location; they still carry the
            // hand-verified verdict, and the right place is among the candidates.
            assert_eq!(status, e.status, "{}", e.text);
            assert_eq!((g["source"].as_str(), g["start"].as_u64()), (None, None), "no guess: {}", e.text);
            assert!(
                g["text"].as_str().unwrap().split_whitespace().count() <= 2,
                "{:?} should be decided by its context",
                e.text
            );
            let listed = g["alternatives"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| name(&a["source"]) == vol && a["start"].as_u64() == e.start.map(|s| s as u64));
            assert!(listed, "{:?}: the right place is a candidate", e.text);
            // Ranked by the article's sentence, best first.
            let ranks: Vec<f64> =
                g["alternatives"].as_array().unwrap().iter().map(|a| a["rank"].as_f64().unwrap()).collect();
            assert!(ranks.len() >= 2 && ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
            continue;
        }
        resolved += 1;
        if e.status == "redaction_label" {
            assert_eq!(g["tier"], "redaction_label", "{}", e.text);
        } else {
            assert_eq!(status, e.status, "{}", e.text);
        }
        assert_eq!(name(&g["source"]), vol, "{}", e.text);
        assert_eq!(
            (g["start"].as_u64(), g["end"].as_u64()),
            (e.start.map(|s| s as u64), e.end.map(|s| s as u64)),
            "{}",
            e.text
        );
        assert_eq!(g["page"], serde_json::Value::Null, "the clean volumes have no page breaks");
        let diffs: Vec<(String, String)> = g["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["quoted"].as_str().unwrap().to_string(), d["source"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(diffs, e.differences, "{}", e.text);
    }
    // Of the four short quotes the anchoring leaves ambiguous, the sentence
    // decides three (`find`, both `benefit`s); `dirt` stays ambiguous.
    assert_eq!(resolved, 22);
    // The misquote and the stray apostrophes.
    let by_text = |needle: &str| got.iter().find(|g| g["text"].as_str().unwrap().contains(needle)).unwrap();
    assert_eq!(by_text("Mr Trump")["status"], "altered");
    assert_eq!(by_text("Manafort ‘s credibility")["status"], "normalized");
    // The Kilimnik email's footnote is withheld as Investigative Technique.
    let it = by_text("investigative technique");
    assert!(it["redactions"].as_array().unwrap().iter().any(|r| r["code"] == "it"));
    // To whom the article attributes its quotes (read in the article): the
    // report's words given to the report, its author, or the people it quotes.
    let speaker = |needle: &str| by_text(needle)["attribution"]["speaker"].as_str().map(str::to_string);
    assert_eq!(speaker("The Trump Campaign showed interest").as_deref(), Some("the report"));
    assert_eq!(speaker("by the late summer of 2016").as_deref(), Some("Rick Gates"));
    assert_eq!(speaker("expressed excitement about the release").as_deref(), Some("Gates"));
    assert_eq!(speaker("I just finished a very productive lunch").as_deref(), Some("Papadopoulos"));
    assert_eq!(speaker("Carter Page is in Moscow today").as_deref(), Some("Kilimnik"));
    assert_eq!(speaker("Because of questions about Manafort").as_deref(), Some("Mueller"));
    // `Trump deputized Flynn to “find …”`: no reporting word, no speaker.
    assert_eq!(speaker("find the deleted Clinton emails"), None);
    let attributed = got.iter().filter(|g| g["attribution"].is_object()).count();
    eprintln!("{attributed} of {} quotes of the corpus article have a speaker", got.len());
}

#[derive(Deserialize)]
struct Pages {
    quote: Vec<PageQuote>,
}

#[derive(Deserialize)]
struct PageQuote {
    volume: u32,
    clean_start: usize,
    clean_end: usize,
    page: u32,
    pdf_start: usize,
    pdf_end: usize,
    #[serde(default)]
    ocr_slip: bool,
    #[serde(default)]
    crosses_page: bool,
}

#[test]
fn long_quotes_are_found_in_the_pdf_text_on_the_right_page() {
    let Some(pdf) = common::corpus_file(
        "long_quotes_are_found_in_the_pdf_text_on_the_right_page",
        "mueller-report-doj-pdf-text.txt",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(pdf).unwrap();
    let clean: Vec<String> = (1..=2)
        .map(|v| {
            std::fs::read_to_string(common::corpus_file("pdf", &format!("mueller-report-vol{v}.txt")).unwrap()).unwrap()
        })
        .collect();
    let sources = [PreparedSource::new("pdf", Arc::from(text.as_str()), Vec::new())];
    let expected: Pages = toml::from_str(include_str!("fixtures/pdf-pages.toml")).unwrap();
    assert!(expected.quote.len() >= 5);
    for e in &expected.quote {
        // The quote is read from the clean volume (the project keeps no corpus text).
        let vol = &clean[e.volume as usize - 1];
        let idx = claimledger::CharIndex::new(vol);
        let (s, t) = idx.range_to_bytes(e.clean_start, e.clean_end).unwrap();
        let quote = &vol[s..t];
        assert!(quote.split_whitespace().count() >= 12, "a long quote");
        let q = quotecheck::locate(quote, &sources).unwrap();
        let j = q.to_json(None, &sources);
        assert_eq!(j.page, Some(e.page), "{quote}");
        assert_eq!((j.start, j.end), (Some(e.pdf_start), Some(e.pdf_end)), "{quote}");
        let status = j.status.code();
        if e.ocr_slip {
            assert!(matches!(status, "normalized" | "altered"), "{status}: {quote}");
        } else {
            // Line breaks, hyphens at line ends and glyphs are typography.
            assert_eq!(status, "normalized", "{quote}");
        }
        assert_eq!(j.edits.iter().any(|x| x.kind == "page_break"), e.crosses_page, "{quote}");
    }
}
