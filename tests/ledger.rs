//! The core ledger: every entity round-trips through a file, bad input is refused
//! with typed errors and leaves the ledger as it was, foreign files are refused
//! untouched.

mod common;

use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::*;
use common::file_digest;

const SOURCE: &str = "Page one of the review.[^1] The contract was signed on 3 May.\x0cPage two: the buyer, [Personal Privacy], paid “in full.”\n\nFootnotes\n[^1]: Contract file 17, p. 4.\n";
const ARTICLE: &str =
    "Review: deal done\n\nThe contract was signed in May, the review says. The buyer “paid in full.” Weather was fine.";

fn seed(ledger: &mut Ledger) -> (Revision, Revision, Claim, Passage) {
    let report = ledger
        .add_document(NewDocument {
            creators: vec!["Office of Review".into()],
            publisher: Some("Ministry".into()),
            published: Some(time::macros::date!(2024 - 03 - 01)),
            identifier: Some("https://example.org/review".into()),
            ..NewDocument::new(DocumentKind::Report, "Contract review")
        })
        .unwrap();
    let src = ledger
        .add_revision(report.id, NewRevision { text: SOURCE.into(), page_labels: Some(vec!["i".into(), "ii".into()]) })
        .unwrap();
    let article = ledger.add_document(NewDocument::new(DocumentKind::Article, "Deal done")).unwrap();
    let art = ledger.add_revision(article.id, NewRevision::new(ARTICLE)).unwrap();
    let s = ARTICLE.find("The contract").unwrap();
    let e = ARTICLE.find("says.").unwrap() + 5;
    let claim = ledger.add_claim(NewClaim::new(Span::new(art.id, s, e))).unwrap();
    let ps = SOURCE.find("The contract").unwrap();
    let pe = SOURCE.find("3 May.").unwrap() + 6;
    let passage = ledger.add_passage(NewPassage::new(Span::new(src.id, ps, pe))).unwrap();
    (src, art, claim, passage)
}

/// Everything a ledger holds, as text, to compare before and after.
fn dump(ledger: &Ledger) -> String {
    let mut out = String::new();
    for d in ledger.documents().unwrap() {
        out += &format!("{d:?}\n");
        for r in ledger.revisions(d.id).unwrap() {
            out += &format!("{:?} {} {}\n", r.id, r.seq, r.sha256);
            for c in ledger.claims(r.id).unwrap() {
                out += &format!("{c:?}\n");
                for q in ledger.quotations(c.id).unwrap() {
                    out += &format!("{q:?}\n");
                }
                for t in ledger.citations(c.id).unwrap() {
                    out += &format!("{t:?}\n");
                }
            }
            for p in ledger.passages(r.id).unwrap() {
                out += &format!("{p:?}\n");
                for d in ledger.derivations_from(p.id).unwrap() {
                    out += &format!("{d:?}\n");
                }
            }
            for x in ledger.redactions(r.id).unwrap() {
                out += &format!("{x:?}\n");
            }
        }
    }
    out
}

#[test]
fn every_entity_round_trips_through_a_reopened_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    let (src, art, claim, passage, quotation, redaction, citation, derivation, footnote, before);
    {
        let mut ledger = Ledger::open(&path).unwrap();
        (src, art, claim, passage) = seed(&mut ledger);
        let qs = ARTICLE.find("paid in").unwrap();
        let qe = ARTICLE.find("full.").unwrap() + 5;
        let buyer_claim = ledger
            .add_claim(
                NewClaim::new(Span::new(
                    art.id,
                    ARTICLE.find("The buyer").unwrap(),
                    ARTICLE.find("full.”").unwrap() + "full.”".len(),
                ))
                .kind(ClaimKind::Quotation),
            )
            .unwrap();
        let ps = SOURCE.find("paid").unwrap();
        let quoted = ledger.add_passage(NewPassage::new(Span::new(src.id, ps, ps + "paid “in full.”".len()))).unwrap();
        quotation = ledger
            .add_quotation(NewQuotation {
                claim: buyer_claim.id,
                span: Span::new(art.id, qs, qe),
                passage: Some(quoted.id),
                speaker: Some("the review".into()),
                check: QuoteCheck {
                    status: QuoteStatus::Altered,
                    location: QuoteLocation::Unique,
                    tier: Some(Tier::Fuzzy),
                    score: Some(0.8),
                    candidate_count: 1,
                    differences: vec![Difference { quoted: "paid in".into(), source: "paid “in".into() }],
                    edits: vec![Edit { kind: "punctuation_inside".into(), text: ".".into() }],
                    candidates: vec![],
                },
                acknowledged: None,
            })
            .unwrap();
        let rs = SOURCE.find("[Personal Privacy]").unwrap();
        redaction = ledger
            .add_redaction(NewRedaction {
                span: Span::new(src.id, rs, rs + "[Personal Privacy]".len()),
                label: "PP".into(),
                approx_chars: Some(12),
            })
            .unwrap();
        citation = ledger
            .add_citation(NewCitation {
                note: Some("date only".into()),
                recorded_by: Some("desk".into()),
                ..NewCitation::new(claim.id, passage.id, Relation::Context)
            })
            .unwrap();
        let fs = SOURCE.find("Contract file").unwrap();
        footnote = ledger
            .add_passage(NewPassage::footnote(Span::new(src.id, fs, fs + "Contract file 17, p. 4.".len()), 1))
            .unwrap();
        derivation = ledger
            .add_derivation(NewDerivation {
                from: passage.id,
                to: footnote.id,
                kind: DerivationKind::Footnote,
                note: None,
            })
            .unwrap();
        before = dump(&ledger);
    }
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(dump(&ledger), before, "reopened ledger holds the same rows");

    let doc = ledger.document(ledger.revision(src.id).unwrap().unwrap().document).unwrap().unwrap();
    assert_eq!(doc.creators, vec!["Office of Review".to_string()]);
    assert_eq!(doc.published, Some(time::macros::date!(2024 - 03 - 01)));
    let rev = ledger.revision(src.id).unwrap().unwrap();
    assert_eq!(&*rev.text, SOURCE);
    assert_eq!(rev.sha256, ContentHash::of(SOURCE));
    assert_eq!(rev.pages().count(), 2);
    assert_eq!(rev.page_label(2), "ii");
    assert_eq!(ledger.claim(claim.id).unwrap().unwrap(), claim);
    let p = ledger.passage(passage.id).unwrap().unwrap();
    assert_eq!(p, passage);
    assert_eq!(p.quote.exact, "The contract was signed on 3 May.");
    assert_eq!(p.quote.prefix, "Page one of the review.[^1] ");
    assert_eq!(p.page, Some(1));
    assert_eq!(ledger.passage(footnote.id).unwrap().unwrap().page, Some(2), "footnotes sit after the page break");
    let cp = rev.char_index();
    assert_eq!(cp.to_char(p.span.start), Some(p.position.start));
    assert_eq!(ledger.quotation(quotation.id).unwrap().unwrap(), quotation);
    let x = ledger.redaction(redaction.id).unwrap().unwrap();
    assert_eq!(x, redaction);
    assert_eq!(x.reason.as_ref().unwrap().label, "Personal Privacy");
    assert_eq!(ledger.citation(citation.id).unwrap().unwrap(), citation);
    assert_eq!(ledger.derivation(derivation.id).unwrap().unwrap(), derivation);
    assert_eq!(ledger.derivations_from(passage.id).unwrap(), vec![derivation]);
    assert_eq!(ledger.citations_of_passage(passage.id).unwrap().len(), 1);
    assert_eq!(ledger.redactions_touching(&Span::new(src.id, 0, SOURCE.len())).unwrap().len(), 1);
    assert!(ledger.redactions_touching(&Span::new(src.id, 0, 10)).unwrap().is_empty());
    assert_eq!(ledger.latest_revision(rev.document).unwrap().unwrap().id, src.id);
    // The second claim quotes and has no citation: it is the one uncited claim.
    let uncited = ledger.uncited_claims(art.id).unwrap();
    assert_eq!(uncited.len(), 1);
    assert_eq!(ledger.text(&uncited[0].span).unwrap(), "The buyer “paid in full.”");
}

#[test]
fn adding_the_same_text_returns_the_same_revision() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let doc = ledger.add_document(NewDocument::new(DocumentKind::Email, "Memo")).unwrap();
    let a = ledger.add_revision(doc.id, NewRevision::new("v1")).unwrap();
    let b = ledger.add_revision(doc.id, NewRevision::new("v1")).unwrap();
    let c = ledger.add_revision(doc.id, NewRevision::new("v2")).unwrap();
    assert_eq!(a.id, b.id);
    assert_ne!(a.id, c.id);
    assert_eq!((a.seq, c.seq), (1, 2));
    assert_eq!(ledger.revisions(doc.id).unwrap().len(), 2);
    assert_eq!(ledger.latest_revision(doc.id).unwrap().unwrap().id, c.id);
}

#[test]
fn bad_input_is_refused_with_typed_errors_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    let mut ledger = Ledger::open(&path).unwrap();
    let (src, art, claim, passage) = seed(&mut ledger);
    let before = dump(&ledger);

    // Spans past the text, reversed, off a character boundary, empty.
    let e = ledger.add_claim(NewClaim::new(Span::new(art.id, 0, ARTICLE.len() + 1))).unwrap_err();
    assert!(e.is_invalid_span(), "{e}");
    let e = ledger.add_claim(NewClaim::new(Span::new(art.id, 5, 2))).unwrap_err();
    assert!(e.is_invalid_span(), "{e}");
    let q = ARTICLE.find('“').unwrap();
    let e = ledger.add_passage(NewPassage::new(Span::new(art.id, q + 1, q + 5))).unwrap_err();
    assert!(matches!(e, Error::InvalidSpan { ref reason, .. } if reason.contains("character boundary")), "{e}");
    assert!(ledger.add_claim(NewClaim::new(Span::new(art.id, 3, 3))).unwrap_err().is_invalid_span());
    assert!(ledger.text(&Span::new(art.id, q + 1, q + 2)).unwrap_err().is_invalid_span());

    // Unknown IDs.
    let e = ledger.add_claim(NewClaim::new(Span::new(RevisionId::new(), 0, 1))).unwrap_err();
    assert!(matches!(e, Error::NotFound { entity: Entity::Revision, .. }), "{e}");
    let e = ledger.add_citation(NewCitation::new(claim.id, PassageId::new(), Relation::Supports)).unwrap_err();
    assert!(matches!(e, Error::NotFound { entity: Entity::Passage, .. }), "{e}");
    let e = ledger.add_citation(NewCitation::new(ClaimId::new(), passage.id, Relation::Supports)).unwrap_err();
    assert!(matches!(e, Error::NotFound { entity: Entity::Claim, .. }), "{e}");
    let e = ledger.add_revision(DocumentId::new(), NewRevision::new("x")).unwrap_err();
    assert!(matches!(e, Error::NotFound { entity: Entity::Document, .. }), "{e}");
    assert!(ledger.claim(ClaimId::new()).unwrap().is_none());

    // A quotation of a claim pointing into another document's revision.
    let e = ledger
        .add_quotation(NewQuotation {
            claim: claim.id,
            span: Span::new(src.id, 0, 4),
            passage: None,
            speaker: None,
            check: QuoteCheck::unchecked(),
            acknowledged: None,
        })
        .unwrap_err();
    assert!(matches!(e, Error::InvalidSpan { ref reason, .. } if reason.contains("claim")), "{e}");
    // ... or outside its claim.
    let e = ledger
        .add_quotation(NewQuotation {
            claim: claim.id,
            span: Span::new(art.id, 0, 4),
            passage: None,
            speaker: None,
            check: QuoteCheck::unchecked(),
            acknowledged: None,
        })
        .unwrap_err();
    assert!(e.is_invalid_span(), "{e}");

    // Duplicates.
    let e = ledger.add_claim(NewClaim::new(claim.span)).unwrap_err();
    assert!(matches!(e, Error::Conflict { entity: Entity::Claim, .. }), "{e}");
    let e = ledger.add_passage(NewPassage::new(passage.span)).unwrap_err();
    assert!(e.is_conflict(), "{e}");
    ledger.add_citation(NewCitation::new(claim.id, passage.id, Relation::Supports)).unwrap();
    let after_one = dump(&ledger);
    let e = ledger.add_citation(NewCitation::new(claim.id, passage.id, Relation::Supports)).unwrap_err();
    assert!(e.is_conflict(), "{e}");
    assert_eq!(dump(&ledger), after_one);

    // A derivation from a passage to itself; a title that is blank; page labels that do not fit.
    assert!(
        ledger
            .add_derivation(NewDerivation { from: passage.id, to: passage.id, kind: DerivationKind::Cites, note: None })
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(ledger.add_document(NewDocument::new(DocumentKind::Other, "  ")).unwrap_err().is_invalid_input());
    let doc = ledger.revision(src.id).unwrap().unwrap().document;
    assert!(
        ledger
            .add_revision(doc, NewRevision { text: "a\x0cb".into(), page_labels: Some(vec!["1".into()]) })
            .unwrap_err()
            .is_invalid_input()
    );

    // A batch with one bad row writes nothing.
    let e = ledger
        .add_claims([NewClaim::new(Span::new(art.id, 0, 7)), NewClaim::new(Span::new(art.id, 8, 9999))])
        .unwrap_err();
    assert!(e.is_invalid_span());
    // Everything above left the ledger as it was but for the one good citation.
    drop(ledger);
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(dump(&ledger), after_one);
    assert_ne!(before, after_one);
}

#[test]
fn unknown_redaction_labels_are_kept_and_reported() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let text = "A [Grand Jury] B [Redacted] C [HOM] D [Shredded]";
    let src = ledger.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "R"), text)).unwrap();
    // Detection finds the taxonomy's labels and the generic [Redacted]; not [Shredded].
    assert_eq!(src.redactions, 3);
    assert_eq!(src.unknown_labels, vec![("Redacted".to_string(), 1)]);
    let all = ledger.redactions(src.revision.id).unwrap();
    let codes: Vec<Option<&str>> = all.iter().map(|r| r.reason.as_ref().map(|x| x.code.as_str())).collect();
    assert_eq!(codes, [Some("gj"), None, Some("hom")]);
    assert_eq!(all[1].label, "Redacted");

    // A stand-off file with an empty label keeps it as unknown.
    let json = r#"{"text":"x.txt","offsets":"unicode code points, end exclusive","redactions":[{"type":"TextPositionSelector","start":2,"end":14,"exact":"[Grand Jury]","label":""}, {"start":38,"end":48,"exact":"[Shredded]","label":"Shredded","approx_redacted_chars":9}]}"#;
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "R2"), text);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(json).unwrap());
    let src = ledger.import_source(imp).unwrap();
    assert_eq!(src.redactions, 2);
    assert_eq!(src.unknown_labels, vec![(String::new(), 1), ("Shredded".to_string(), 1)]);
}

#[test]
fn a_redaction_file_that_does_not_fit_its_text_writes_nothing() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let text = "Ünïcode [Grand Jury] text";
    for (json, what) in [
        (
            r#"{"redactions":[{"start":8,"end":20,"exact":"[Grand Jury]","label":"Grand Jury"},{"start":8,"end":99,"label":"GJ"}]}"#,
            "past the end",
        ),
        (r#"{"redactions":[{"start":9,"end":21,"exact":"[Grand Jury]","label":"Grand Jury"}]}"#, "does not match"),
        (r#"{"offsets":"utf-8 bytes","redactions":[]}"#, "unit"),
        (r#"{"redactions":[{"type":"TextQuoteSelector","start":8,"end":20}]}"#, "type"),
    ] {
        let res = RedactionFile::from_json(json).and_then(|file| {
            let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "R"), text);
            imp.redactions = Redactions::StandOff(file);
            ledger.import_source(imp)
        });
        let e = res.unwrap_err();
        assert!(e.is_invalid_input(), "{what}: {e}");
        assert!(ledger.documents().unwrap().is_empty(), "{what}: nothing written");
    }
    assert!(RedactionFile::from_json("{not json").unwrap_err().is_invalid_input());
    // With code-point offsets the right span is stored.
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "R"), text);
    imp.redactions = Redactions::StandOff(
        RedactionFile::from_json(
            r#"{"redactions":[{"start":8,"end":20,"exact":"[Grand Jury]","label":"Grand Jury"}]}"#,
        )
        .unwrap(),
    );
    let src = ledger.import_source(imp).unwrap();
    let r = &ledger.redactions(src.revision.id).unwrap()[0];
    assert_eq!(&text[r.span.start..r.span.end], "[Grand Jury]");
}

#[test]
fn importing_the_same_source_twice_is_idempotent() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let a = ledger.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "R"), SOURCE)).unwrap();
    assert!(a.created);
    assert_eq!((a.redactions, a.footnotes), (1, 1));
    let before = dump(&ledger);
    let b = ledger.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "R"), SOURCE)).unwrap();
    assert!(!b.created);
    assert_eq!(a.revision.id, b.revision.id);
    assert_eq!(dump(&ledger), before);
    // The footnote marker derives from the footnote passage.
    let passages = ledger.passages(a.revision.id).unwrap();
    let marker = passages.iter().find(|p| p.quote.exact == "[^1]").unwrap();
    let d = ledger.derivations_from(marker.id).unwrap();
    assert_eq!(d.len(), 1);
    let note = ledger.passage(d[0].to).unwrap().unwrap();
    assert_eq!(
        (note.kind, note.footnote, note.quote.exact.as_str()),
        (PassageKind::Footnote, Some(1), "Contract file 17, p. 4.")
    );
}

#[test]
fn custom_redaction_schemes_persist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    {
        let mut ledger = Ledger::open(&path).unwrap();
        let taken = ledger
            .register_redaction_reason(
                RedactionReason { scheme: "desk".into(), code: "src".into(), label: "Source protection".into() },
                &["SRC".into(), "PP".into()],
            )
            .unwrap();
        assert_eq!(taken, vec!["PP".to_string()]);
        assert!(
            ledger
                .register_redaction_reason(
                    RedactionReason { scheme: "".into(), code: "x".into(), label: "y".into() },
                    &[]
                )
                .unwrap_err()
                .is_invalid_input()
        );
    }
    let mut ledger = Ledger::open(&path).unwrap();
    let src = ledger
        .import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "R"), "Told by [SRC] and [PP]."))
        .unwrap();
    let reasons: Vec<String> =
        ledger.redactions(src.revision.id).unwrap().into_iter().map(|r| r.reason.unwrap().scheme).collect();
    assert_eq!(reasons, ["desk", "mueller"]);
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ledger");
    {
        let mut ledger = Ledger::open(&path).unwrap();
        seed(&mut ledger);
    }
    {
        // Simulate a later version of the crate having migrated the file.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?1, 'future', '2030-01-01T00:00:00Z', '1')",
            [supported_schema_version() + 1],
        )
        .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let digest = file_digest(&path);
    let e = Ledger::open(&path).unwrap_err();
    assert!(matches!(e, Error::IncompatibleSchema { found, supported } if found == supported + 1), "{e}");
    assert!(e.is_incompatible_file());
    assert_eq!(file_digest(&path), digest);
}

#[test]
fn files_that_are_not_ledgers_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // Random bytes.
    let junk = dir.path().join("junk.ledger");
    let mut bytes = vec![0u8; 8192];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for b in &mut bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    std::fs::write(&junk, &bytes).unwrap();
    let e = Ledger::open(&junk).unwrap_err();
    assert!(matches!(e, Error::NotALedger { .. }), "{e}");
    assert_eq!(std::fs::read(&junk).unwrap(), bytes);

    // A text file.
    let txt = dir.path().join("notes.txt");
    std::fs::write(&txt, "just some notes, not a database, long enough to have a header........................................................").unwrap();
    let d = file_digest(&txt);
    assert!(Ledger::open(&txt).unwrap_err().is_incompatible_file());
    assert_eq!(file_digest(&txt), d);

    // Another application's SQLite database.
    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    }
    let d = file_digest(&other);
    let e = Ledger::open(&other).unwrap_err();
    assert!(matches!(e, Error::NotALedger { ref reason, .. } if reason.contains("another application")), "{e}");
    assert_eq!(file_digest(&other), d);

    // A directory.
    assert!(Ledger::open(dir.path()).unwrap_err().is_incompatible_file());
}

#[test]
fn read_only_opens_read_and_refuse_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ledger");
    {
        let mut ledger = Ledger::open(&path).unwrap();
        seed(&mut ledger);
    }
    let mut ro = Ledger::open_with(&path, &OpenOptions { read_only: true, ..OpenOptions::default() }).unwrap();
    assert_eq!(ro.documents().unwrap().len(), 2);
    let e = ro.add_document(NewDocument::new(DocumentKind::Other, "x")).unwrap_err();
    assert!(matches!(e, Error::ReadOnly { .. } | Error::Sqlite(_)), "{e}");
    let missing = dir.path().join("missing.ledger");
    let e = Ledger::open_with(&missing, &OpenOptions { read_only: true, ..OpenOptions::default() }).unwrap_err();
    assert!(matches!(e, Error::Io { ref path, .. } if *path == missing), "{e:?}");
    assert!(!missing.exists(), "a read-only open creates nothing");
}

#[test]
fn backup_copies_an_open_ledger_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("a.ledger")).unwrap();
    seed(&mut ledger);
    let dest = dir.path().join("b.ledger");
    ledger.backup_to(&dest).unwrap();
    let copy = Ledger::open(&dest).unwrap();
    assert_eq!(dump(&copy), dump(&ledger));
    assert!(ledger.backup_to(&dest).unwrap_err().is_invalid_input());
}
