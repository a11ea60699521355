//! schema.org ClaimReview as Google documents it: required and recommended
//! properties on export (a verdict without a url refused), real publishers'
//! markup on import (both `itemReviewed` forms, claim author and dates), feeds
//! with unrated items, a changed rating under a known `@id`, and the `verdict`
//! command.

use claimledger::formats::Scope;
use claimledger::*;
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/claimreview");

/// An article with two creators and a verdict with every detail recorded.
fn rated() -> (Ledger, ClaimId) {
    let mut l = Ledger::open_in_memory().unwrap();
    let mut doc = NewDocument::new(DocumentKind::Article, "Pier fixed");
    doc.creators = vec!["Doe, Jane".into(), "Harbor Wire".into()];
    doc.identifier = Some("https://news.example/pier".into());
    doc.published = Some(time::macros::date!(2023 - 09 - 15));
    doc.publisher = Some("Harbor Herald".into());
    let art = l.add_article(doc, "The pier was fixed in 2021. It cost nothing.").unwrap();
    let claim = art.claims[1].id;
    let mut v = NewVerdict::new(claim, "Mostly false").rated(2, 1, 5);
    v.url = Some("https://desk.example/checks/pier".into());
    v.author = Some("Ann Checker".into());
    v.date_published = Some(time::macros::date!(2023 - 09 - 20));
    v.details = ReviewDetails {
        author_type: Some(AgentType::Person),
        author_url: Some("https://desk.example/staff/ann".into()),
        claim_author: Some(Agent {
            name: "Port Authority".into(),
            kind: Some(AgentType::Organization),
            url: Some("https://port.example".into()),
        }),
        claim_date: Some(time::macros::date!(2023 - 09 - 14)),
    };
    l.add_verdict(v).unwrap();
    (l, claim)
}

#[test]
fn the_export_has_googles_required_and_recommended_properties() {
    let (l, _) = rated();
    let out = l.export_claim_reviews(Scope::Ledger).unwrap();
    let r = &out[0];
    // Required.
    assert_eq!(r["url"], "https://desk.example/checks/pier");
    assert_eq!(r["claimReviewed"], "It cost nothing.");
    assert_eq!(r["reviewRating"]["alternateName"], "Mostly false");
    // Recommended.
    assert_eq!(r["reviewRating"]["name"], "Mostly false");
    assert_eq!(r["reviewRating"]["ratingValue"], 2);
    assert_eq!(r["reviewRating"]["bestRating"], 5);
    assert_eq!(r["reviewRating"]["worstRating"], 1);
    assert_eq!(r["author"], json!({"@type": "Person", "name": "Ann Checker", "url": "https://desk.example/staff/ann"}));
    assert_eq!(r["datePublished"], "2023-09-20");
    let item = &r["itemReviewed"];
    assert_eq!(item["@type"], "Claim");
    assert_eq!(
        item["author"],
        json!({"@type": "Organization", "name": "Port Authority", "url": "https://port.example"})
    );
    assert_eq!(item["datePublished"], "2023-09-14");
    let app = &item["appearance"];
    assert_eq!(app["url"], "https://news.example/pier");
    assert_eq!(app["headline"], "Pier fixed");
    assert_eq!(app["datePublished"], "2023-09-15");
    let names: Vec<&str> = app["author"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Jane Doe", "Harbor Wire"], "names in display order");
    assert_eq!(app["publisher"], json!({"@type": "Organization", "name": "Harbor Herald"}));
}

#[test]
fn a_verdict_without_a_url_is_refused_at_export_by_name() {
    let (mut l, claim) = rated();
    let bare = l.add_verdict(NewVerdict::new(claim, "Unproven")).unwrap();
    let err = l.export_claim_reviews(Scope::Ledger).unwrap_err();
    assert!(err.is_invalid_input());
    let msg = err.to_string();
    assert!(msg.contains(&bare.id.to_string()) && msg.contains("has no url") && msg.contains("Unproven"), "{msg}");
}

#[test]
fn export_import_export_is_identical_and_a_changed_rating_is_refused() {
    let (l, _) = rated();
    let out = l.export_claim_reviews(Scope::Ledger).unwrap();
    let text = out.to_string();
    let mut e = Ledger::open_in_memory().unwrap();
    let got = e.import_claim_reviews(&text).unwrap();
    assert_eq!(got.verdicts_created, 1);
    assert!(got.warnings.is_empty());
    assert_eq!(e.export_claim_reviews(Scope::Ledger).unwrap(), out, "everything exported is imported");
    let v = &e.documents().unwrap().into_iter().find(|d| d.title == "Pier fixed").unwrap();
    assert_eq!(v.creators, ["Jane Doe", "Harbor Wire"]);

    // The same @id with another rating: a conflict, as in a bundle, and nothing written.
    let mut changed = out.clone();
    changed[0]["reviewRating"]["alternateName"] = json!("True");
    changed[0]["reviewRating"]["ratingValue"] = json!(5);
    let before = e.export_claim_reviews(Scope::Ledger).unwrap();
    let err = e.import_claim_reviews(&changed.to_string()).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert!(err.to_string().contains("Mostly false") && err.to_string().contains("True"), "{err}");
    assert_eq!(e.export_claim_reviews(Scope::Ledger).unwrap(), before);
    // Another claim author under the same @id is a conflict too.
    let mut changed = out.clone();
    changed[0]["itemReviewed"]["author"]["name"] = json!("Someone else");
    assert!(matches!(e.import_claim_reviews(&changed.to_string()).unwrap_err(), Error::Conflict { .. }));
    // The same review again: already there.
    assert_eq!(e.import_claim_reviews(&text).unwrap().verdicts_existing, 1);
}

#[test]
fn real_published_markup_keeps_the_claim_author_dates_and_urls() {
    let text = std::fs::read_to_string(format!("{FIXTURES}/defacto-afp.json")).unwrap();
    let mut l = Ledger::open_in_memory().unwrap();
    let got = l.import_claim_reviews(&text).unwrap();
    assert_eq!((got.verdicts_created, got.documents_created, got.claims_created), (1, 2, 1));
    let article = l
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.identifier.as_deref() == Some("https://twitter.com/RomanAude/status/1599114199145193472"))
        .expect("the appearance, by its url");
    assert_eq!(article.kind, DocumentKind::Article);
    let out = l.export_claim_reviews(Scope::Ledger).unwrap();
    let r = &out[0];
    assert_eq!(r["claimReviewed"], "Le contrôle du FIJAIS n'est plus exigé pour l'agrément d'assistant maternel");
    assert_eq!(r["reviewRating"]["alternateName"], "Faux");
    assert_eq!(r["reviewRating"]["ratingValue"], 1);
    assert_eq!(r["author"], json!({"@type": "Organization", "name": "XXXXXXXXXXX"}), "`type` read as the kind");
    assert_eq!(r["datePublished"], "2022-12-09");
    assert_eq!(r["itemReviewed"]["author"], json!({"@type": "Person", "name": "Sources multiples"}));
    assert_eq!(r["itemReviewed"]["datePublished"], "2022-12-03");
    assert_eq!(r["itemReviewed"]["appearance"]["url"], "https://twitter.com/RomanAude/status/1599114199145193472");
    assert_eq!(
        r["url"],
        "https://defacto-observatoire.fr/Medias/Factuel/Fact-checks/Non-un-arrete-n-autorise-pas-des-pedocriminels-a-devenir-assistants-maternels/"
    );
}

#[test]
fn the_older_creative_work_form_and_url_appearances_are_read() {
    // The older form: itemReviewed is the work the claim appeared in, its
    // author the claim's author (as in the C2PA specification's example).
    let old = json!({
        "@context": "http://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "The world is flat",
        "url": "https://checks.example/flat",
        "reviewRating": {"@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1",
                         "alternateName": "False"},
        "itemReviewed": {"@type": "CreativeWork", "author": {"@type": "Person", "name": "A N Other", "sameAs": "https://other.example/an"},
                         "headline": "Earth: Flat.", "datePublished": "2019-03-01", "url": "https://blog.example/flat"}
    });
    // A Claim whose appearance is a bare URL.
    let bare = json!({
        "@type": "ClaimReview",
        "claimReviewed": "Tides stopped in 2020",
        "url": "https://checks.example/tides",
        "author": "Tide Desk",
        "reviewRating": {"@type": "Rating", "name": "Pants on fire"},
        "itemReviewed": {"@type": "Claim", "appearance": ["https://video.example/tides"]}
    });
    let mut l = Ledger::open_in_memory().unwrap();
    let got = l.import_claim_reviews(&json!([old, bare]).to_string()).unwrap();
    assert_eq!(got.verdicts_created, 2);
    let docs = l.documents().unwrap();
    let flat = docs.iter().find(|d| d.title == "Earth: Flat.").expect("the work, by its headline");
    assert_eq!(flat.identifier.as_deref(), Some("https://blog.example/flat"));
    assert_eq!(flat.published, Some(time::macros::date!(2019 - 03 - 01)));
    assert!(docs.iter().any(|d| d.identifier.as_deref() == Some("https://video.example/tides")));
    let out = l.export_claim_reviews(Scope::Ledger).unwrap();
    let r = out.as_array().unwrap().iter().find(|r| r["claimReviewed"] == "The world is flat").unwrap();
    assert_eq!(
        r["itemReviewed"]["author"],
        json!({"@type": "Person", "name": "A N Other", "url": "https://other.example/an"})
    );
    assert_eq!(r["itemReviewed"]["datePublished"], "2019-03-01");
    assert_eq!(r["itemReviewed"]["appearance"]["url"], "https://blog.example/flat");
    let t = out.as_array().unwrap().iter().find(|r| r["claimReviewed"] == "Tides stopped in 2020").unwrap();
    assert_eq!(t["reviewRating"]["alternateName"], "Pants on fire");
    assert_eq!(t["author"]["name"], "Tide Desk");
    assert_eq!(t["itemReviewed"]["appearance"]["url"], "https://video.example/tides");
}

#[test]
fn reviews_without_a_rating_are_skipped_with_a_warning_each() {
    let feed = json!({"@type": "DataFeed", "dataFeedElement": [
        {"@type": "ClaimReview", "claimReviewed": "Rated", "url": "https://c.example/1",
         "reviewRating": {"@type": "Rating", "alternateName": "False"}},
        {"@type": "ClaimReview", "@id": "https://c.example/2#review", "claimReviewed": "No rating", "url": "https://c.example/2"},
        {"@type": "ClaimReview", "claimReviewed": "Numbers only", "reviewRating": {"ratingValue": 2}}
    ]});
    let mut l = Ledger::open_in_memory().unwrap();
    let got = l.import_claim_reviews(&feed.to_string()).unwrap();
    assert_eq!((got.reviews, got.verdicts_created), (3, 1));
    assert_eq!(got.warnings.len(), 2, "{:?}", got.warnings);
    assert!(got.warnings[0].starts_with("ClaimReview 2 (@id https://c.example/2#review): has no reviewRating"));
    assert!(got.warnings[1].starts_with("ClaimReview 3: ") && got.warnings[1].contains("alternateName"));
    assert_eq!(l.documents().unwrap().len(), 1, "nothing of the skipped reviews is written");
}

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

#[test]
fn the_verdict_command_records_a_rating_that_exports() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("a.ledger");
    let p = ledger.to_str().unwrap();
    assert!(cli(&["demo", "--keep", p]).status.success());
    let title = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";
    let out = cli(&[
        "verdict",
        p,
        "--document",
        title,
        "--statement",
        "eleven change orders",
        "--rating",
        "Mostly false",
        "--value",
        "2",
        "--worst",
        "1",
        "--best",
        "5",
        "--url",
        "https://desk.example/checks/eleven",
        "--author",
        "Ann Checker",
        "--author-type",
        "person",
        "--date",
        "2023-09-20",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Mostly false"));
    let out = cli(&["export", p, "--format", "claimreview"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = v.as_array().unwrap().iter().find(|r| r["url"] == "https://desk.example/checks/eleven").unwrap();
    assert!(r["claimReviewed"].as_str().unwrap().contains("eleven change orders"));
    assert_eq!(r["reviewRating"]["ratingValue"], 2);
    assert_eq!(r["author"]["@type"], "Person");
    assert_eq!(r["datePublished"], "2023-09-20");

    // Words in several statements, or none: refused, exit 2, nothing written.
    let before = cli(&["export", p, "--format", "bundle"]).stdout;
    for words in ["the", "no such words anywhere"] {
        let out = cli(&["verdict", p, "--document", title, "--statement", words, "--rating", "False"]);
        assert_eq!(out.status.code(), Some(2), "{words}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("statement"), "{words}");
    }
    assert_eq!(cli(&["export", p, "--format", "bundle"]).stdout, before);
    // No ledger: refused, and none created.
    let missing = dir.path().join("missing.ledger");
    let out =
        cli(&["verdict", missing.to_str().unwrap(), "--document", title, "--statement", "x", "--rating", "False"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists());
}
