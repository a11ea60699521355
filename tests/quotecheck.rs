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

/// Two occurrences a sentence apart are too close for the anchoring's context
/// window to tell apart; the article's sentence holding the quote decides
/// (its words stand in the first sentence of the source only). A sentence that
/// does not decide leaves the quote ambiguous, its places ranked, rather than
/// guessed.
#[test]
fn the_sentence_decides_between_neighbouring_repeated_quotes_or_leaves_them_ranked() {
    let s = sources();
    let first = SOURCE[..SOURCE.find("The auditor found").unwrap()].chars().count();
    let got = quotecheck::check_article(
        "The minutes say “The auditor found” that the harbor fund had been drained twice.",
        &s,
    )
    .unwrap();
    assert_eq!(got.len(), 1);
    let q = got[0].to_json(None, &s);
    assert_eq!((q.location, q.candidates, q.start), (QuoteLocation::Unique, 2, Some(first)));

    let got = quotecheck::check_article("The minutes say “The auditor found” it, he said.", &s).unwrap();
    let q = got[0].to_json(None, &s);
    assert_eq!((q.location, q.candidates, q.start), (QuoteLocation::Ambiguous, 2, None));
    assert_eq!(q.alternatives.len(), 2);
    let ranks: Vec<f64> = q.alternatives.iter().map(|a| a.rank.expect("ranked by the sentence")).collect();
    assert!(ranks[0] >= ranks[1], "{ranks:?}");
    assert!(ranks[0] - ranks[1] < claimledger::text::places::PLACE_MARGIN, "{ranks:?}");
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

fn one(name: &str, text: &str, labels: &[&str]) -> Vec<PreparedSource> {
    let reds = labels
        .iter()
        .map(|l| {
            let at = text.find(l).unwrap();
            (at..at + l.len(), l.trim_matches(['[', ']']).to_string(), None)
        })
        .collect();
    vec![PreparedSource::new(name, Arc::from(text), reds)]
}

fn cp(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Class 1: an ellipsis next to a dash.
#[test]
fn an_elision_next_to_dashes_is_verbatim() {
    let text = "Officials said the unit stole materials\u{2014}hacks that, by every account, the government itself had ordered\u{2014}began in March of that year.";
    let s = one("a.txt", text, &[]);
    let q = quotecheck::locate("materials ... began in March", &s).unwrap().to_json(None, &s);
    assert_eq!((q.status, q.location), (QuoteStatus::Verbatim, QuoteLocation::Unique), "{q:?}");
    assert!(q.differences.is_empty());
    assert_eq!(q.start, Some(cp(text, text.find("materials").unwrap())));
    assert_eq!(q.end, Some(cp(text, text.find(" of that").unwrap())));
}

/// Class 2: an ellipsis over a redaction label and a footnote marker.
#[test]
fn an_elision_over_withheld_material_is_verbatim() {
    let text = "Gates recalled that before the release [Harm to Ongoing Matter][^7] Manafort told him to expect more.\n\n[^7]: Interview notes, May 2.\n";
    let s = one("b.txt", text, &["[Harm to Ongoing Matter]"]);
    for quote in ["the release \u{2026} Manafort told him", "the release ... Manafort told him to expect more"] {
        let q = quotecheck::locate(quote, &s).unwrap().to_json(None, &s);
        assert_eq!((q.status, q.location), (QuoteStatus::Verbatim, QuoteLocation::Unique), "{quote}: {q:?}");
        assert!(q.edits.iter().any(|e| e.kind == "elision"), "{q:?}");
        assert_eq!(q.redactions.len(), 1);
    }
}

/// Class 3: nested quotes rendered as single marks, closing after a period.
#[test]
fn nested_quotes_closing_after_punctuation_are_verbatim() {
    let text = "The chairman called the treasurer, telling him \u{201C}The audit has to go\u{201D} and \u{201C}Call me back when you do it.\u{201D} He did not.";
    let s = one("c.txt", text, &[]);
    let article = "The paper said the chairman rang, \u{201C}telling him \u{2018}The audit has to go\u{2019} and \u{2018}Call me back when you do it.\u{2019}\u{201D}";
    let got = quotecheck::check_article(article, &s).unwrap();
    let outer = got.iter().find(|q| q.text.starts_with("telling")).expect("the outer quote");
    let j = outer.to_json(None, &s);
    assert!(j.text.ends_with("do it.\u{2019}"), "{}", j.text);
    assert_eq!(j.status, QuoteStatus::Verbatim, "{j:?}");
    assert!(j.differences.is_empty());
    assert_eq!(j.edits.iter().filter(|e| e.kind == "nested_quotes").count(), 4, "{:?}", j.edits);
    assert_eq!(j.end, Some(cp(text, text.find(" He did").unwrap())));
}

/// Class 4: ASCII dashes for a dash.
#[test]
fn ascii_dashes_are_normalized_not_altered() {
    let text = "The review found a long history\u{2014}led by the council\u{2014}of delays and overruns.";
    let s = one("d.txt", text, &[]);
    for quote in [
        "a long history -- led by the council -- of delays",
        "a long history--led by the council--of delays",
        "a long history - led by the council - of delays",
        "history -- led",
    ] {
        let q = quotecheck::locate(quote, &s).unwrap().to_json(None, &s);
        assert_eq!((q.status, q.location), (QuoteStatus::Normalized, QuoteLocation::Unique), "{quote}: {q:?}");
        assert_ne!(q.tier, Some(claimledger::Tier::Fuzzy), "{quote}");
    }
}

/// Class 5: the same words in two places (two volumes).
#[test]
fn the_same_words_in_two_volumes_are_verbatim_with_an_ambiguous_location() {
    let remark = "this is the end of my presidency";
    let v1 = format!("In volume one the witness recalled that he said {remark} and sat down.");
    let v2 = format!("Volume two, on the firing, repeats that he said {remark} before leaving.");
    let s = vec![
        PreparedSource::new("vol1.txt", Arc::from(v1.as_str()), Vec::new()),
        PreparedSource::new("vol2.txt", Arc::from(v2.as_str()), Vec::new()),
    ];
    let q = quotecheck::locate(remark, &s).unwrap().to_json(None, &s);
    assert_eq!((q.status, q.location), (QuoteStatus::Verbatim, QuoteLocation::Ambiguous), "{q:?}");
    let places: Vec<(String, usize)> = q.alternatives.iter().map(|a| (a.source.clone(), a.start)).collect();
    assert_eq!(
        places,
        vec![
            ("vol1.txt".to_string(), cp(&v1, v1.find(remark).unwrap())),
            ("vol2.txt".to_string(), cp(&v2, v2.find(remark).unwrap()))
        ]
    );
    assert_eq!((q.source, q.start), (None, None));
}

/// Class 6: a fuzzy hit next to a dash reports only the real difference.
#[test]
fn a_fuzzy_hit_reports_only_the_changed_word() {
    let text = "He added that you get\u{2014}the prosecutors will tell you 99 percent of the time\u{2014}a plea.";
    let s = one("e.txt", text, &[]);
    let q = quotecheck::locate("the prosecutors will tell you 90 percent", &s).unwrap().to_json(None, &s);
    assert_eq!(q.status, QuoteStatus::Altered, "{q:?}");
    let diffs: Vec<(&str, &str)> = q.differences.iter().map(|d| (d.quoted.as_str(), d.source.as_str())).collect();
    assert_eq!(diffs, vec![("90", "99")]);
    assert_eq!(
        q.start,
        Some(cp(text, text.find("the prosecutors").unwrap())),
        "the place starts at the quote's first word"
    );
}

/// Bad input stays on its quote: an empty quote is not found, an oversized one
/// is `too_large`, and the other quotes of the article are still checked.
#[test]
fn bad_quotes_are_reported_on_the_quote() {
    let s = sources();
    let huge = "word ".repeat(3_000);
    let article = format!(
        "He said \u{201C}\u{2026}\u{201D} and \u{201C}{huge}\u{201D} and \u{201C}The auditor found no fraud.\u{201D}"
    );
    let got = quotecheck::check_article(&article, &s).unwrap();
    let j: Vec<quotecheck::QuoteJson> = got.iter().map(|q| q.to_json(None, &s)).collect();
    assert_eq!(j.len(), 3, "{j:?}");
    assert_eq!((j[0].status, j[0].location), (QuoteStatus::NotFound, QuoteLocation::None));
    assert_eq!(j[1].status, QuoteStatus::TooLarge);
    assert_eq!(j[2].status, QuoteStatus::Verbatim);
}

// ------------------------------------------------------------ properties
//
// Sources are generated for the purpose: distinct, dissimilar words in random
// order (so a run of words occurs once) joined by spaces, commas, periods and dashes; quotes are runs of
// whole words of them.

mod props {
    use super::*;
    use proptest::prelude::*;

    const SEPS: &[&str] = &[" ", " ", " ", " ", ", ", ". ", "\u{2014}", " \u{2013} ", "\n"];

    /// A source of `words` and the byte start and end of each word.
    fn source(words: &[String], seps: &[usize]) -> (String, Vec<(usize, usize)>) {
        let mut text = String::from("Preamble. ");
        let mut at = Vec::new();
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                text.push_str(SEPS[seps[k % seps.len()] % SEPS.len()]);
            }
            at.push((text.len(), text.len() + w.len()));
            text.push_str(w);
        }
        text.push_str(". End.");
        (text, at)
    }

    fn occurrences(text: &str, pat: &str) -> usize {
        (0..text.len()).filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(pat)).count()
    }

    fn check(text: &str, quote: &str) -> quotecheck::QuoteJson {
        let s = vec![PreparedSource::new("gen.txt", Arc::from(text), Vec::new())];
        quotecheck::locate(quote, &s).unwrap().to_json(None, &s)
    }

    /// Words unlike each other (no two within a few letters' edit), so a run of
    /// words is a place of its own, at the word level and at the letter level.
    const VOCAB: &[&str] = &[
        "harbor", "ledger", "council", "turbine", "whistle", "granite", "pelican", "mortgage", "velvet", "quorum",
        "biscuit", "lantern", "zeppelin", "orchard", "tundra", "cobalt", "dynamo", "falcon", "gazette", "hickory",
        "igloo", "jasmine", "kettle", "lobster", "meadow", "nutmeg", "oxygen", "paddock", "quiver", "rhubarb",
        "saffron", "tabloid", "umpire", "vortex", "walrus", "yachts", "zodiac", "anchovy", "bramble", "cymbal",
        "dolphin", "emerald", "fjord", "goblet", "hyphen", "inkwell", "jigsaw", "kimono", "lychee", "muffin", "nebula",
        "octopus", "pyramid", "quartz", "raccoon", "sphinx", "trumpet", "uranium", "vinegar", "wombat",
    ];

    fn words() -> impl Strategy<Value = Vec<String>> {
        prop::sample::subsequence(VOCAB, 24..48).prop_shuffle().prop_map(|v| v.iter().map(|w| w.to_string()).collect())
    }

    fn seps() -> impl Strategy<Value = Vec<usize>> {
        prop::collection::vec(0usize..SEPS.len(), 1..16)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// (a) A verbatim substring that occurs once is verbatim at its place.
        #[test]
        fn a_unique_substring_is_verbatim_at_its_place(ws in words(), sp in seps(), a in 0usize..20, n in 3usize..12) {
            let (text, at) = source(&ws, &sp);
            let (a, b) = (a, (a + n).min(ws.len() - 1));
            let quote = &text[at[a].0..at[b].1];
            prop_assume!(occurrences(&text, quote) == 1);
            let q = check(&text, quote);
            prop_assert_eq!(q.status, QuoteStatus::Verbatim);
            prop_assert_eq!(q.location, QuoteLocation::Unique);
            prop_assert_eq!((q.start, q.end), (Some(cp(&text, at[a].0)), Some(cp(&text, at[b].1))));
        }

        /// (b) One convention of the table applied to it: verbatim or normalized
        /// at the same place, never altered.
        #[test]
        fn a_convention_applied_is_never_altered(ws in words(), sp in seps(), a in 0usize..16, n in 6usize..14, which in 0usize..7) {
            let (text, at) = source(&ws, &sp);
            let b = (a + n).min(ws.len() - 1);
            let quote = &text[at[a].0..at[b].1];
            prop_assume!(occurrences(&text, quote) == 1);
            let first = &ws[a];
            let rest = &text[at[a].1..at[b].1];
            let changed = match which {
                // An ellipsis over the words after the first two.
                0 => format!("{} \u{2026} {}", &text[at[a].0..at[a + 1].1], &ws[b]),
                // Brackets for the first letter (`[t]he`).
                1 => format!("[{}]{}{rest}", first[..1].to_uppercase(), &first[1..]),
                // First-letter case.
                2 => format!("{}{}{rest}", first[..1].to_uppercase(), &first[1..]),
                // [sic] after the first word.
                3 => format!("{first} [sic]{rest}"),
                // Every dash as `--`, spaced.
                4 => quote.replace('\u{2014}', " -- ").replace('\u{2013}', "--"),
                // Whitespace: line breaks and non-breaking spaces.
                5 => quote.replace(' ', "\u{00A0}").replacen('\u{00A0}', "\n", 1),
                // A trailing comma inside the closing mark.
                _ => format!("{quote},"),
            };
            let q = check(&text, &changed);
            prop_assert!(matches!(q.status, QuoteStatus::Verbatim | QuoteStatus::Normalized), "{:?} {:?}", changed, q);
            prop_assert_eq!(q.location, QuoteLocation::Unique, "{:?}", changed);
            prop_assert_eq!(q.start, Some(cp(&text, at[a].0)), "{:?}", changed);
        }

        /// (c) One word changed, dropped or inserted: altered with exactly that
        /// one difference.
        #[test]
        fn one_changed_word_is_one_difference(ws in words(), sp in seps(), a in 0usize..12, which in 0usize..3, k in 2usize..8) {
            let (text, at) = source(&ws, &sp);
            let b = (a + 11).min(ws.len() - 1);
            let quote = &text[at[a].0..at[b].1];
            prop_assume!(occurrences(&text, quote) == 1);
            let m = a + k; // a word in the middle
            let (head, word, tail) = (&text[at[a].0..at[m].0], &ws[m], &text[at[m].1..at[b].1]);
            let (changed, want) = match which {
                0 => (format!("{head}zqxw{tail}"), ("zqxw".to_string(), word.clone())),
                1 => {
                    // Dropped with the separator after it.
                    let next = &text[at[m + 1].0..at[b].1];
                    (format!("{head}{next}"), (String::new(), word.clone()))
                }
                _ => (format!("{head}zqxw {word}{tail}"), ("zqxw".to_string(), String::new())),
            };
            prop_assume!(which != 1 || text[at[m].1..at[m + 1].0] == *" ");
            prop_assume!(occurrences(&text, &changed) == 0);
            let q = check(&text, &changed);
            prop_assert_eq!(q.status, QuoteStatus::Altered, "{:?} {:?}", changed, q);
            let diffs: Vec<(String, String)> = q.differences.iter().map(|d| (d.quoted.clone(), d.source.clone())).collect();
            prop_assert_eq!(diffs, vec![want], "{:?}", changed);
        }

        /// (d) A substring that occurs twice is verbatim, location ambiguous,
        /// with both places.
        #[test]
        fn a_repeated_substring_is_verbatim_at_both_places(ws in words(), sp in seps(), a in 0usize..8, n in 2usize..8) {
            let (one_text, at) = source(&ws, &sp);
            let b = (a + n).min(ws.len() - 1);
            let quote = one_text[at[a].0..at[b].1].to_string();
            let text = format!("{one_text} Later it says: {quote} again.");
            prop_assume!(occurrences(&text, &quote) == 2);
            let q = check(&text, &quote);
            prop_assert_eq!(q.status, QuoteStatus::Verbatim);
            prop_assert_eq!(q.location, QuoteLocation::Ambiguous);
            let starts: Vec<usize> = q.alternatives.iter().map(|x| x.start).collect();
            let second = one_text.len() + " Later it says: ".len();
            prop_assert_eq!(starts, vec![cp(&text, at[a].0), cp(&text, second)]);
        }
    }
}

/// The README's conventions table is the code's table, row for row.
#[test]
fn the_readme_lists_every_convention_of_the_code() {
    use claimledger::text::verify::{CONVENTIONS, Verdict};
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("## Quoting conventions").nth(1).expect("a conventions section");
    let section = section.split("\n## ").next().unwrap_or("");
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| ---")).skip(1).collect();
    let want: Vec<String> = CONVENTIONS
        .iter()
        .map(|c| {
            assert_ne!(c.verdict, Verdict::Altered, "{}", c.name);
            format!(
                "| {} | {} | {} | {} |",
                c.name,
                c.rule,
                c.verdict.code(),
                c.edit.map(|e| format!("`{}`", e.code())).unwrap_or_default()
            )
        })
        .collect();
    let rows: Vec<String> = rows.iter().map(|r| r.replace("|  |", "| |")).collect();
    let want: Vec<String> = want.iter().map(|r| r.replace("|  |", "| |")).collect();
    assert_eq!(rows, want);
}

/// A one-word quote that stands at three places of a source: the article's
/// sentence around it decides, and the alternatives it did not take are kept,
/// ranked.
#[test]
fn a_one_word_quote_at_three_places_is_placed_by_its_sentence() {
    let source = "The harbour board will review the pension fund accounts every year. \
Members asked for a review of parking fees at the marina.\n\n\
In spring the council agreed to review the ferry timetable, the harbour master said.\n";
    let s = vec![PreparedSource::new("board.txt", Arc::from(source), Vec::new())];
    let places: Vec<usize> = source.match_indices("review").map(|(b, _)| source[..b].chars().count()).collect();
    assert_eq!(places.len(), 3);
    let alone = quotecheck::locate("review", &s).unwrap().to_json(None, &s);
    assert_eq!(alone.location, QuoteLocation::Ambiguous, "alone, the word stands at three places");
    let article = "The harbour master said the council would “review” the ferry timetable in spring.";
    let got = quotecheck::check_article(article, &s).unwrap();
    let q = got[0].to_json(None, &s);
    assert_eq!(
        (q.status, q.location, q.start, q.candidates),
        (QuoteStatus::Verbatim, QuoteLocation::Unique, Some(places[2]), 3)
    );
}

/// The README's table of how quotations are found is the code's table, row for row.
#[test]
fn the_readme_lists_every_convention_of_finding_quotations() {
    use claimledger::text::quotes::CONVENTIONS;
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("## Finding quotations").nth(1).expect("a section on finding quotations");
    let section = section.split("\n## ").next().unwrap_or("");
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| ---")).skip(1).collect();
    let want: Vec<String> = CONVENTIONS.iter().map(|c| format!("| {} | {} | {} |", c.name, c.rule, c.found)).collect();
    assert_eq!(rows, want);
}
