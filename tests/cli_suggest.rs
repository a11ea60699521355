//! The command line's `suggest` (and `draft`, and `locate --context`): text and JSON, a ledger without
//! sources, a statement without content words. The texts are made up.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const REPORT: &str = "Harbour Board Review\n\n\
The Tarrow harbour board met eleven times in 2021.[^1] \
Dredging of the eastern channel cost 4.2 million pounds, twice the estimate. \
The board's chair, Maren Oakes, called the overrun “regrettable but unavoidable”. \
Ferry crossings fell by a third after the storm of March 2022.\n\n\
[^1]: Minutes of the Tarrow harbour board, January to December 2021.\n";

const ARTICLE: &str = "Tarrow Harbour Overspent\n\n\
Dredging the eastern channel cost twice the estimate, 4.2 million pounds. \
Board chair Maren Oakes called it “regrettable but unavoidable”. \
And so it was. \
Ferry crossings fell after the March 2022 storm.\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// A ledger holding the article (traced with one exempt headline, nothing
/// cited), with or without the report.
fn ledger(dir: &Path, with_source: bool) -> String {
    let ledger = dir.join("desk.ledger").to_str().unwrap().to_string();
    assert!(run(&["init", &ledger]).status.success());
    if with_source {
        let report = write(dir, "report.txt", REPORT);
        let o = run(&["add-source", &ledger, &report, "--title", "Harbour Board Review"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let article = write(dir, "article.txt", ARTICLE);
    let trace = write(
        dir,
        "article.trace.toml",
        "format = 1\n[article]\ntitle = \"Tarrow Harbour Overspent\"\n\n[[exempt]]\nstatement = \"Tarrow Harbour Overspent\"\nreason = \"headline\"\n",
    );
    let o = run(&["trace", &ledger, "--article", &article, "--trace", &trace]);
    assert!(o.status.success(), "{}", stderr(&o));
    ledger
}

#[test]
fn suggest_prints_ranked_passages_as_json_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger(dir.path(), true);
    let o = run(&["suggest", &ledger, "--document", "Tarrow Harbour Overspent", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let statements = json["statements"].as_array().unwrap();
    // Every uncited statement, the exempt headline left out.
    let texts: Vec<&str> = statements.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        [
            "Dredging the eastern channel cost twice the estimate, 4.2 million pounds.",
            "Board chair Maren Oakes called it “regrettable but unavoidable”.",
            "And so it was.",
            "Ferry crossings fell after the March 2022 storm.",
        ]
    );
    // Offsets in code points of the article.
    let chars: Vec<char> = ARTICLE.chars().collect();
    let s1 = &statements[1];
    let (a, b) = (s1["start"].as_u64().unwrap() as usize, s1["end"].as_u64().unwrap() as usize);
    assert_eq!(chars[a..b].iter().collect::<String>(), texts[1]);
    // Its best suggestion: the sentence with the quote, with offsets in code
    // points of the report, its source's title, score and matched terms.
    let best = &s1["suggestions"][0];
    assert_eq!(best["text"], "The board's chair, Maren Oakes, called the overrun “regrettable but unavoidable”.");
    assert_eq!(best["source"], "Harbour Board Review");
    let rchars: Vec<char> = REPORT.chars().collect();
    let (a, b) = (best["start"].as_u64().unwrap() as usize, best["end"].as_u64().unwrap() as usize);
    assert_eq!(rchars[a..b].iter().collect::<String>(), best["text"].as_str().unwrap());
    let matched: Vec<&str> = best["matched"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    for w in ["maren", "oakes", "regrettable", "unavoidable"] {
        assert!(matched.contains(&w), "{matched:?}");
    }
    assert!(best["score"].as_f64().unwrap() > statements[1]["suggestions"][1]["score"].as_f64().unwrap_or(0.0));
    assert_eq!(
        statements[0]["suggestions"][0]["text"],
        "Dredging of the eastern channel cost 4.2 million pounds, twice the estimate."
    );
    assert_eq!(
        statements[3]["suggestions"][0]["text"],
        "Ferry crossings fell by a third after the storm of March 2022."
    );
    // A statement with no content word: no suggestion, not a failure.
    assert_eq!(statements[2]["suggestions"].as_array().unwrap().len(), 0);
    // At most --top per statement.
    assert!(statements.iter().all(|s| s["suggestions"].as_array().unwrap().len() <= 5));

    // One statement by its words, in text.
    let o = run(&[
        "suggest",
        &ledger,
        "--document",
        "Tarrow Harbour Overspent",
        "--statement",
        "ferry CROSSINGS",
        "--top",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Ferry crossings fell after the March 2022 storm."), "{text}");
    assert!(text.contains("1. ") && !text.contains("2. "), "{text}");
    assert!(text.contains("Harbour Board Review"), "{text}");
    assert!(text.contains("matched: ferry, crossings, fell, march, 2022, storm"), "{text}");
    // Words no statement holds: a clear error.
    let o = run(&["suggest", &ledger, "--document", "Tarrow Harbour Overspent", "--statement", "no such words"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no statement"), "{}", stderr(&o));
}

#[test]
fn suggest_without_sources_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger(dir.path(), false);
    let o = run(&["suggest", &ledger, "--document", "Tarrow Harbour Overspent"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no source to search"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn draft_then_trace_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ledger = d.join("desk.ledger").to_str().unwrap().to_string();
    let report = write(d, "report.txt", REPORT);
    assert!(run(&["add-source", &ledger, &report, "--title", "Harbour Board Review"]).status.success());
    let article = write(d, "article.txt", ARTICLE);
    let draft = d.join("draft.trace.toml");
    let draft_path = draft.to_str().unwrap();
    let o = run(&["draft", &ledger, "--article", &article, "-o", draft_path]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(text.contains("title = \"Tarrow Harbour Overspent\""), "{text}");
    assert!(text.contains("[[source]]\nkey = \"source1\"\ntitle = \"Harbour Board Review\""), "{text}");
    assert!(
        text.contains(
            "[[exempt]]   # guessed: review\nstatement = \"Tarrow Harbour Overspent\"\nreason = \"headline\""
        ),
        "{text}"
    );
    // The suggestion for the quoted statement, commented out, with its selector.
    let block = "[[claim]]\nstatement = \"Board chair Maren Oakes called it “regrettable but unavoidable”.\"\n  # suggestion 1: ";
    assert!(text.contains(block), "{text}");
    assert!(
        text.contains(
            "  # exact = \"The board's chair, Maren Oakes, called the overrun “regrettable but unavoidable”.\""
        ),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.trim_start().starts_with("[[claim.cite]]")), "no citation is active");
    // An existing file is never replaced.
    let o = run(&["draft", &ledger, "--article", &article, "-o", draft_path]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), text);

    // The draft imports as it is: every statement uncited but the exempt headline.
    let o = run(&["trace", &ledger, "--article", &article, "--trace", draft_path]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("5 statements, 1 exempt, 0 citations"), "{}", stdout(&o));

    // Uncomment the first suggestion of the quoted statement: it becomes a
    // citation in a fresh ledger.
    let start = text.find(block).unwrap();
    let mut edited = String::new();
    let mut in_block = false;
    let mut done = false;
    for (at, line) in text.split_inclusive('\n').scan(0, |pos, l| {
        let at = *pos;
        *pos += l.len();
        Some((at, l))
    }) {
        if at > start && !done && line.starts_with("  # [[claim.cite]]") {
            in_block = true;
        }
        if in_block && line.starts_with("  # ") {
            edited.push_str(&line.replacen("  # ", "  ", 1));
            if line.starts_with("  # relation") {
                in_block = false;
                done = true;
            }
        } else {
            edited.push_str(line);
        }
    }
    assert!(done, "{text}");
    let edited_path = write(d, "edited.trace.toml", &edited);
    let ledger2 = d.join("desk2.ledger").to_str().unwrap().to_string();
    assert!(run(&["add-source", &ledger2, &report, "--title", "Harbour Board Review"]).status.success());
    let o = run(&["trace", &ledger2, "--article", &article, "--trace", &edited_path]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("5 statements, 1 exempt, 1 citations"), "{}", stdout(&o));
    let o = run(&["audit", &ledger2, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["statements"]["uncited"], 3, "{json}");
}

/// A report where one word stands at three places: the article's sentence
/// decides one quote, not the other.
const BOARD: &str = "Harbour Board Minutes\n\n\
The harbour board will review the pension fund accounts every year. \
Members asked for a review of parking fees at the marina.\n\n\
In spring the council agreed to review the ferry timetable, the harbour master said.\n";

const BOARD_ARTICLE: &str = "Ferry Timetable Under Review\n\n\
The harbour master said the council would “review” the ferry timetable in spring. \
Nobody expected the “review” to last.\n";

#[test]
fn draft_pins_the_quotations_it_locates_and_imports_with_the_pins() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ledger = d.join("desk.ledger").to_str().unwrap().to_string();
    let report = write(d, "minutes.txt", BOARD);
    assert!(run(&["add-source", &ledger, &report, "--title", "Harbour Board Minutes"]).status.success());
    let article = write(d, "article.txt", BOARD_ARTICLE);
    let draft = d.join("draft.trace.toml");
    let o = run(&["draft", &ledger, "--article", &article, "-o", draft.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&draft).unwrap();
    // The first quote is placed by its sentence (the timetable), and pinned there.
    let pinned = "  [[claim.quote]]   # located: verbatim\n  text = \"review\"\n  source = \"source1\"\n  exact = \"";
    let at = text.find(pinned).unwrap_or_else(|| panic!("{text}"));
    let exact = text[at + pinned.len()..].split('"').next().unwrap();
    // The selector names the third place, once.
    let third = BOARD.match_indices("review").nth(2).map(|(b, _)| b).unwrap();
    assert_eq!(BOARD.matches(exact).count(), 1, "{exact}");
    assert_eq!(BOARD.find(exact).map(|b| b + exact.find("review").unwrap()), Some(third), "{exact}");
    // The second one's sentence does not decide: its text alone, and why.
    assert!(
        text.contains("  [[claim.quote]]   # not pinned: its words stand at 3 places and its sentence does not decide\n  text = \"review\"\n"),
        "{text}"
    );
    // It imports as it is; the pinned quote is placed, the other left to pin.
    let o = run(&["trace", &ledger, "--article", &article, "--trace", draft.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 quotations checked"), "{}", stdout(&o));
    let o = run(&["audit", &ledger, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let to_pin = json["quotations"]["to_pin"].as_array().unwrap_or_else(|| panic!("{json}"));
    assert_eq!(to_pin.len(), 1, "{json}");
    assert!(to_pin[0].to_string().contains("Nobody expected"), "{json}");
}

/// A source where one word stands in three sentences about different things.
const DIRT: &str = "Quay Works Log\n\n\
Crews moved the dirt from the dredger to the north quay in March. \
Inspectors found dirt in the fuel tanks of two ferries after the refit. \
Residents complained about dirt on the promenade after the spring storm.\n";

#[test]
fn locate_places_a_short_quote_by_its_context_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let source = write(dir.path(), "quay.txt", DIRT);
    let locate = |extra: &[&str]| {
        let mut args = vec!["locate", "--source", source.as_str(), "--quote", "dirt", "--format", "json"];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        json["quotes"][0].clone()
    };
    let chars = |s: &str| DIRT.chars().count() - DIRT[DIRT.find(s).unwrap()..].chars().count();

    // Without a sentence, three places and no way to choose.
    let q = locate(&[]);
    assert_eq!(q["location"], "ambiguous", "{q}");
    assert_eq!(q["alternatives"].as_array().unwrap().len(), 3, "{q}");
    assert_eq!(q["start"], serde_json::Value::Null);

    // Each sentence picks its own place.
    for (context, place) in [
        ("Inspectors say they found dirt in the ferries' fuel tanks.", "dirt in the fuel"),
        ("Crews carted the dirt from the dredger to the quay.", "dirt from the dredger"),
        ("After the storm, residents complained of dirt on the promenade.", "dirt on the promenade"),
    ] {
        let q = locate(&["--context", context]);
        assert_eq!(q["location"], "unique", "{context}: {q}");
        assert_eq!(q["status"], "verbatim", "{q}");
        assert_eq!(q["start"], chars(place), "{context}: {q}");
        assert_eq!(q["end"], chars(place) + 4);
    }

    // A sentence that names nothing of any place leaves it ambiguous, the
    // places ranked.
    let q = locate(&["--context", "Nobody wants dirt."]);
    assert_eq!(q["location"], "ambiguous", "{q}");
    let alts = q["alternatives"].as_array().unwrap();
    assert_eq!(alts.len(), 3, "{q}");
    assert!(alts.iter().all(|a| a["rank"].is_number()), "ranked by the sentence: {q}");

    // The sentence must hold the quote.
    let o = run(&["locate", "--source", &source, "--quote", "dirt", "--context", "The ferries were late."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not contain the quote"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}
