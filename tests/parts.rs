//! Claims in parts: every state a statement can be in, derived the same way by
//! the audit (its `claims` list and counts) and the SQL coverage figures; parts
//! refused when they do not fit their claim; the completeness and strict
//! policies; verdicts that disagree with the evidence.

mod common;

use claimledger::audit::Policy;
use claimledger::*;

/// Made-up source sentences, one passage each.
const SOURCE: &str = "The files were taken from the party network. The files were published on July 25. \
                      The party had a server room. The hack began in April.";

/// Made-up article: seven statements.
const ARTICLE: &str = "The files, taken from the party network, were published on July 22. \
                       The hack, which began in April, came from abroad. \
                       The files were taken from the network and published in July. \
                       The server room was in the basement. \
                       Nobody noticed for weeks. \
                       The party network was hacked in April. \
                       Read more.";

struct Fixture {
    l: Ledger,
    art: trace::AddedArticle,
    taken: PassageId,
    published: PassageId,
    server: PassageId,
    april: PassageId,
}

fn fixture() -> Fixture {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "Report")).unwrap();
    let srev = l.add_revision(src.id, NewRevision::new(SOURCE)).unwrap();
    let mut passage = |needle: &str| {
        let start = SOURCE.find(needle).unwrap();
        l.add_passage(NewPassage::new(Span::new(srev.id, start, start + needle.len()))).unwrap().id
    };
    let taken = passage("The files were taken from the party network.");
    let published = passage("The files were published on July 25.");
    let server = passage("The party had a server room.");
    let april = passage("The hack began in April.");
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "Files"), ARTICLE).unwrap();
    assert_eq!(art.claims.len(), 7);
    Fixture { l, art, taken, published, server, april }
}

impl Fixture {
    fn span(&self, claim: usize, words: &str) -> Span {
        let c = &self.art.claims[claim];
        let at = ARTICLE[c.span.start..c.span.end].find(words).unwrap() + c.span.start;
        Span::new(self.art.revision.id, at, at + words.len())
    }

    /// Adds a part of statement `claim` on `words`, citing each `(passage, relation)`.
    fn part(&mut self, claim: usize, words: &str, cites: &[(PassageId, Relation)]) -> ClaimPart {
        let span = self.span(claim, words);
        let id = self.art.claims[claim].id;
        self.l
            .write(|w| {
                let p =
                    w.add_part(&NewClaimPart { note: Some(format!("part {words:?}")), ..NewClaimPart::new(id, span) })?;
                for &(passage, relation) in cites {
                    let c = w.ensure_citation(&NewCitation::new(id, passage, relation))?;
                    w.cite_part(p.id, c.id)?;
                }
                Ok(p)
            })
            .unwrap()
    }

    fn cite(&mut self, claim: usize, passage: PassageId, relation: Relation) {
        self.l.add_citation(NewCitation::new(self.art.claims[claim].id, passage, relation)).unwrap();
    }
}

/// Statements in every state; returns the fixture.
fn every_state() -> Fixture {
    let mut f = fixture();
    let (taken, published, server, april) = (f.taken, f.published, f.server, f.april);
    // 0: hacked (supported) but published on another date (contradicted).
    f.part(0, "taken from the party network", &[(taken, Relation::Supports)]);
    f.part(0, "published on July 22", &[(published, Relation::Contradicts)]);
    // 1: began in April (supported), from abroad (uncited): partly supported.
    f.part(1, "began in April", &[(april, Relation::Supports)]);
    f.part(1, "came from abroad", &[]);
    // 2: both parts supported: supported.
    f.part(2, "taken from the network", &[(taken, Relation::Paraphrases)]);
    f.part(2, "published in July", &[(published, Relation::Supports)]);
    // 3: context only, undivided.
    f.cite(3, server, Relation::Context);
    // 4: uncited. 5: supported, undivided. 6: exempt.
    f.cite(5, april, Relation::Supports);
    let chrome = f.art.claims[6].id;
    f.l.write(|w| w.set_exemption(chrome, Some(&Exemption { reason: ExemptionReason::SiteChrome, note: None })))
        .unwrap();
    f
}

#[test]
fn every_state_is_derived_once_for_the_audit_and_the_figures() {
    let f = every_state();
    let a = f.l.audit(f.art.document.id).unwrap();
    let states: Vec<(StatementState, bool)> = a.claims.iter().map(|c| (c.state, c.partly_supported)).collect();
    assert_eq!(
        states,
        [
            (StatementState::Contradicted, true),
            (StatementState::PartlySupported, true),
            (StatementState::Supported, false),
            (StatementState::ContextOnly, false),
            (StatementState::Uncited, false),
            (StatementState::Supported, false),
            (StatementState::Exempt, false),
        ]
    );
    // Parts carry their own state; an undivided statement lists none.
    let parts = |i: usize| a.claims[i].parts.iter().map(|p| (p.text.as_str(), p.state)).collect::<Vec<_>>();
    assert_eq!(
        parts(0),
        [
            ("taken from the party network", StatementState::Supported),
            ("published on July 22", StatementState::Contradicted)
        ]
    );
    assert_eq!(
        parts(1),
        [("began in April", StatementState::Supported), ("came from abroad", StatementState::Uncited)]
    );
    assert!(a.claims[3].parts.is_empty());

    let s = &a.statements;
    assert_eq!(
        (s.total, s.exempt, s.uncited, s.supported, s.partly_supported, s.context_only, s.contradicted),
        (7, 1, 1, 2, 1, 1, 1)
    );
    let cov = f.l.coverage(f.art.document.id).unwrap().counts;
    assert_eq!(
        cov,
        CoverageCounts {
            total: 7,
            exempt: 1,
            uncited: 1,
            supported: 2,
            partly_supported: 1,
            context_only: 1,
            contradicted: 1
        }
    );
    assert_eq!(f.l.coverage_all().unwrap()[0].counts, cov);
    assert!((a.coverage.partly_supported - 1.0 / 6.0).abs() < 1e-9);

    // The partly supported statement is listed with its unbacked part; the
    // contradicted one among those not backed as written, partly supported.
    assert_eq!(a.partly_supported.len(), 1);
    let p = &a.partly_supported[0];
    assert!(p.statement.text.starts_with("The hack, which began in April"));
    assert_eq!(p.unbacked.iter().map(|u| u.text.as_str()).collect::<Vec<_>>(), ["came from abroad"]);
    assert_eq!(p.notes, ["part \"began in April\"", "part \"came from abroad\""]);
    let c = a.not_as_written.iter().find(|n| n.relation == Relation::Contradicts).unwrap();
    assert!(c.partly_supported && c.statement.text.starts_with("The files, taken"));

    // The text view groups the partly supported statement with its unbacked part.
    let text = a.to_text();
    let at = text.find("Partly supported (the parts not backed):").expect(&text);
    assert!(text[at..].contains("[uncited] came from abroad"), "{text}");
    assert!(text.contains("partly supported        1"), "{text}");
}

#[test]
fn the_audit_json_lists_every_statement_with_its_parts() {
    let f = every_state();
    let a = f.l.audit(f.art.document.id).unwrap();
    let v = serde_json::to_value(&a).unwrap();
    let claims = v["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 7);
    let first = &claims[0];
    let text = first["text"].as_str().unwrap();
    assert!(text.starts_with("The files, taken"));
    assert_eq!(first["start"], 0);
    assert_eq!(first["end"].as_u64().unwrap() as usize, text.chars().count());
    assert_eq!(first["state"], "contradicted");
    assert_eq!(first["partly_supported"], true);
    assert_eq!(first["withheld"], false);
    assert_eq!(first["verdict"], serde_json::Value::Null);
    let part = &first["parts"][1];
    assert_eq!(part["text"], "published on July 22");
    assert_eq!(part["state"], "contradicted");
    // Code points in the article.
    let start = ARTICLE.find("published on July 22").unwrap();
    assert_eq!(part["start"].as_u64().unwrap() as usize, ARTICLE[..start].chars().count());
    assert_eq!(part["end"].as_u64().unwrap() - part["start"].as_u64().unwrap(), 20);
    assert_eq!(claims[6]["state"], "exempt");
    assert_eq!(v["statements"]["partly_supported"], 1);
}

#[test]
fn a_citation_of_the_whole_statement_bears_on_every_part() {
    let mut f = fixture();
    let (taken, published, server) = (f.taken, f.published, f.server);
    // The whole statement cites a context passage; one part is supported.
    f.cite(0, server, Relation::Context);
    f.part(0, "taken from the party network", &[(taken, Relation::Supports)]);
    f.part(0, "published on July 22", &[]);
    let a = f.l.audit(f.art.document.id).unwrap();
    assert_eq!(a.claims[0].state, StatementState::PartlySupported);
    assert_eq!(a.claims[0].parts[1].state, StatementState::ContextOnly, "the whole statement's context reaches it");
    // A whole-statement contradiction reaches every part.
    f.cite(0, published, Relation::Contradicts);
    let a = f.l.audit(f.art.document.id).unwrap();
    assert_eq!((a.claims[0].state, a.claims[0].partly_supported), (StatementState::Contradicted, true));
    assert!(a.claims[0].parts.iter().all(|p| p.state == StatementState::Contradicted));
    assert_eq!(f.l.coverage(f.art.document.id).unwrap().counts.contradicted, 1);
}

#[test]
fn dividing_a_statement_that_cites_as_a_whole_changes_nothing_until_a_part_is_cited() {
    let mut f = fixture();
    let taken = f.taken;
    f.cite(0, taken, Relation::Supports);
    f.part(0, "taken from the party network", &[]);
    f.part(0, "published on July 22", &[]);
    assert_eq!(f.l.coverage(f.art.document.id).unwrap().counts.supported, 1);
    // Linking the citation to one part takes it from the other.
    let id = f.art.claims[0].id;
    let parts = f.l.claim_parts(id).unwrap();
    let cite = f.l.citations(id).unwrap()[0].id;
    assert!(f.l.write(|w| w.cite_part(parts[0].id, cite)).unwrap());
    assert!(!f.l.write(|w| w.cite_part(parts[0].id, cite)).unwrap(), "linking twice changes nothing");
    let counts = f.l.coverage(f.art.document.id).unwrap().counts;
    assert_eq!((counts.supported, counts.partly_supported), (0, 1));
    assert_eq!(f.l.claim_parts(id).unwrap()[0].citations, [cite]);
}

#[test]
fn parts_that_do_not_fit_their_claim_are_refused_and_write_nothing() {
    let mut f = fixture();
    let id = f.art.claims[0].id;
    let other = f.art.claims[1].id;
    let inside = f.span(0, "published on July 22");
    f.l.add_part(NewClaimPart::new(id, inside)).unwrap();

    // Outside the claim, empty, overlapping another part, on another revision.
    let outside = f.span(1, "came from abroad");
    assert!(f.l.add_part(NewClaimPart::new(id, outside)).unwrap_err().is_invalid_span());
    let empty = Span::new(inside.revision, inside.start, inside.start);
    assert!(f.l.add_part(NewClaimPart::new(id, empty)).unwrap_err().is_invalid_span());
    let overlapping = f.span(0, "were published");
    let e = f.l.add_part(NewClaimPart::new(id, overlapping)).unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert!(e.to_string().contains("overlaps"), "{e}");
    assert!(f.l.add_part(NewClaimPart::new(id, inside)).unwrap_err().is_conflict());
    let srev = f.l.passage(f.taken).unwrap().unwrap().span.revision;
    assert!(f.l.add_part(NewClaimPart::new(id, Span::new(srev, 0, 5))).unwrap_err().is_invalid_input());
    assert!(f.l.add_part(NewClaimPart::new(ClaimId::new(), inside)).unwrap_err().is_not_found());

    // A citation of another claim cannot back the part; the failed transaction
    // leaves the citation it wrote first unwritten too.
    let part = f.l.claim_parts(id).unwrap()[0].id;
    let taken = f.taken;
    let e =
        f.l.write(|w| {
            let c = w.add_citation(&NewCitation::new(other, taken, Relation::Supports))?;
            w.cite_part(part, c.id)
        })
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert!(f.l.citations(other).unwrap().is_empty());
    assert!(f.l.write(|w| w.cite_part(ClaimPartId::new(), CitationId::new())).unwrap_err().is_not_found());
    assert_eq!(f.l.claim_parts(id).unwrap().len(), 1);
    assert_eq!(f.l.coverage(f.art.document.id).unwrap().counts.uncited, 7);
}

#[test]
fn partly_supported_statements_pass_complete_and_fail_strict() {
    let mut f = fixture();
    let april = f.april;
    f.part(1, "began in April", &[(april, Relation::Supports)]);
    f.part(1, "came from abroad", &[]);
    let mut a = f.l.audit(f.art.document.id).unwrap();
    // Only the partly supported statement matters here.
    a.uncited.clear();
    a.check(&Policy::complete()).unwrap();
    let e = a.check(&Policy::strict()).unwrap_err();
    assert_eq!(e.failures.len(), 1, "{e}");
    assert!(e.failures[0].starts_with("partly supported: \"The hack, which began in April"), "{e}");
    assert!(e.failures[0].contains("\"came from abroad\" uncited"), "{e}");
    let only = Policy { forbid_partly_supported: true, ..Policy::complete() };
    assert!(a.check(&only).is_err());
}

#[test]
fn verdicts_that_disagree_with_the_evidence_are_listed() {
    let f = every_state();
    let mut l = f.l;
    let c = &f.art.claims;
    // Rated true but contradicted in part; rated true but partly supported;
    // rated false but supported; rated true and supported (agrees); on a scale,
    // the worst value for a supported statement.
    l.add_verdict(NewVerdict::new(c[0].id, "True")).unwrap();
    l.add_verdict(NewVerdict::new(c[1].id, "true")).unwrap();
    l.add_verdict(NewVerdict::new(c[2].id, "False")).unwrap();
    l.add_verdict(NewVerdict::new(c[3].id, "Mostly false")).unwrap();
    let scaled =
        NewVerdict { rating: Some(Rating { value: 1, best: 5, worst: 1 }), ..NewVerdict::new(c[5].id, "Nope") };
    l.add_verdict(scaled).unwrap();
    let a = l.audit(f.art.document.id).unwrap();
    let got: Vec<(&str, StatementState)> =
        a.verdicts_against_evidence.iter().map(|v| (v.verdict.as_str(), v.state)).collect();
    assert_eq!(
        got,
        [
            ("True", StatementState::Contradicted),
            ("true", StatementState::PartlySupported),
            ("False", StatementState::Supported),
            ("Nope", StatementState::Supported)
        ]
    );
    assert_eq!(a.claims[3].verdict.as_deref(), Some("Mostly false"));
    assert!(a.to_text().contains("Verdicts the evidence does not bear out:"));
}

// ------------------------------------------------------------------ trace files

const TRACE: &str = r#"
format = 1

[article]
title = "Files"

[[source]]
key = "r"
title = "Report"

[[exempt]]
statement = "Read more."
reason = "site_chrome"

[[claim]]
statement = "were published on July 22"
note = "Right about the theft, wrong about the date."

  [[claim.part]]
  text = "taken from the party network"

    [[claim.part.cite]]
    source = "r"
    exact = "taken from the party network"
    relation = "supports"

  [[claim.part]]
  text = "published on July 22"
  note = "The report says July 25."

    [[claim.part.cite]]
    source = "r"
    exact = "published on July 25"
    relation = "contradicts"

[[claim]]
statement = "came from abroad"

  [[claim.cite]]
  source = "r"
  exact = "had a server room"
  relation = "context"

  [[claim.part]]
  text = "began in April"

    [[claim.part.cite]]
    source = "r"
    exact = "The hack began in April"
    relation = "supports"

  [[claim.part]]
  text = "came from abroad"
"#;

fn traced_ledger() -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "Report")).unwrap();
    l.add_revision(src.id, NewRevision::new(SOURCE)).unwrap();
    l
}

#[test]
fn a_trace_with_parts_imports_them_with_their_citations_and_again_adds_nothing() {
    let mut l = traced_ledger();
    let trace = trace::TraceFile::from_toml(TRACE).unwrap();
    let out = l.import_trace(ARTICLE, &trace).unwrap();
    assert_eq!((out.parts, out.citations), (4, 4));
    let a = l.audit(out.article.id).unwrap();
    assert_eq!((a.claims[0].state, a.claims[0].partly_supported), (StatementState::Contradicted, true));
    assert_eq!(a.claims[1].state, StatementState::PartlySupported);
    assert_eq!(
        a.claims[1].parts.iter().map(|p| (p.text.as_str(), p.state)).collect::<Vec<_>>(),
        [("began in April", StatementState::Supported), ("came from abroad", StatementState::ContextOnly)],
        "the statement's context citation reaches the part that has none of its own"
    );
    assert_eq!(a.claims[0].parts[1].note.as_deref(), Some("The report says July 25."));
    let c = a.not_as_written.iter().find(|n| n.relation == Relation::Contradicts).unwrap();
    assert_eq!(c.notes, ["Right about the theft, wrong about the date.", "The report says July 25."]);

    // The same file again changes nothing.
    let before = serde_json::to_value(&a).unwrap();
    let again = l.import_trace(ARTICLE, &trace).unwrap();
    assert_eq!(again.parts, 4);
    assert_eq!(l.claim_parts_of_revision(again.revision.id).unwrap().len(), 4);
    assert_eq!(serde_json::to_value(l.audit(out.article.id).unwrap()).unwrap(), before);

    // The JSON shape reads the same.
    let json: serde_json::Value = toml::from_str(TRACE).unwrap();
    let from_json = trace::TraceFile::from_json(&json.to_string()).unwrap();
    assert_eq!(from_json, trace);
}

/// The trace with `from` replaced by `to` fails on import, naming the claim and
/// the part, and writes nothing.
fn import_fails(from: &str, to: &str, says: &[&str]) {
    let mut l = traced_ledger();
    assert!(TRACE.contains(from), "{from}");
    let trace = trace::TraceFile::from_toml(&TRACE.replacen(from, to, 1)).unwrap();
    let e = l.import_trace(ARTICLE, &trace).map(|o| o.parts).expect_err(to);
    assert!(matches!(e, Error::Trace { .. }), "{e}");
    for s in says {
        assert!(e.to_string().contains(s), "{e} lacks {s:?}");
    }
    assert!(l.documents_titled("Files").unwrap().is_empty(), "nothing written");
}

#[test]
fn a_part_that_does_not_resolve_fails_naming_the_claim_and_the_part() {
    // Words not in the statement (they are in another statement).
    import_fails(
        "text = \"began in April\"",
        "text = \"in the basement\"",
        &["came from abroad", "part \"in the basement\"", "does not occur in the statement"],
    );
    // Words occurring twice in the statement.
    import_fails(
        "text = \"taken from the party network\"",
        "text = \"e\"",
        &["were published on July 22", "part \"e\"", "times in the statement: quote more words"],
    );
    // A part citation whose selector anchors nowhere.
    import_fails(
        "exact = \"published on July 25\"",
        "exact = \"published on July 26\"",
        &["were published on July 22", "part \"published on July 22\"", "does not anchor"],
    );
    // A part citing what the whole statement cites.
    import_fails(
        "exact = \"The hack began in April\"\n    relation = \"supports\"",
        "exact = \"had a server room\"\n    relation = \"context\"",
        &["came from abroad", "part \"began in April\"", "the whole statement cites too"],
    );
}

#[test]
fn a_malformed_part_is_refused_when_the_file_is_read() {
    let e = trace::TraceFile::from_toml(&TRACE.replacen(
        "source = \"r\"\n    exact = \"published",
        "source = \"x\"\n    exact = \"published",
        1,
    ))
    .unwrap_err();
    assert!(matches!(e, Error::Trace { .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("were published on July 22")
            && msg.contains("part \"published on July 22\"")
            && msg.contains("unknown source \"x\""),
        "{msg}"
    );
    let e = trace::TraceFile::from_toml(&TRACE.replacen("text = \"began in April\"", "text = \" \"", 1)).unwrap_err();
    assert!(e.to_string().contains("a part has empty `text`"), "{e}");
    let e =
        trace::TraceFile::from_toml(&TRACE.replacen("note = \"The report", "verdict = \"The report", 1)).unwrap_err();
    assert!(e.to_string().contains("unknown field `verdict`"), "{e}");
}

/// The bundle of a scope, as bytes.
fn bundle(l: &Ledger, scope: formats::Scope) -> Vec<u8> {
    let mut out = Vec::new();
    l.export_bundle(scope, &mut out).unwrap();
    out
}

/// What the audit says of each statement and part (its `claims` list).
fn states(l: &Ledger, article: DocumentId) -> serde_json::Value {
    serde_json::to_value(&l.audit(article).unwrap().claims).unwrap()
}

#[test]
fn a_bundle_carries_parts_and_their_citations_and_round_trips() {
    let f = every_state();
    let doc = f.art.document.id;
    let want = states(&f.l, doc);
    assert_eq!(want[0]["state"], "contradicted");
    assert_eq!(want[1]["state"], "partly_supported");
    for scope in [formats::Scope::Ledger, formats::Scope::Document(doc)] {
        let out = bundle(&f.l, scope);
        let lines: Vec<serde_json::Value> =
            String::from_utf8(out.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines[0]["counts"]["claim_parts"], 6, "{scope:?}");
        let parts: Vec<&serde_json::Value> = lines.iter().filter(|l| l["type"] == "claim_part").collect();
        assert_eq!(parts.len(), 6);
        let exact: Vec<&str> = parts.iter().map(|p| p["exact"].as_str().unwrap()).collect();
        assert_eq!(
            exact,
            [
                "taken from the party network",
                "published on July 22",
                "began in April",
                "came from abroad",
                "taken from the network",
                "published in July"
            ]
        );
        assert_eq!(parts[1]["note"], "part \"published on July 22\"");
        // Five citations linked to one part each; the two of whole statements to none.
        let cites: Vec<&serde_json::Value> = lines.iter().filter(|l| l["type"] == "citation").collect();
        assert_eq!(cites.iter().filter(|c| c["parts"].as_array().is_some_and(|p| p.len() == 1)).count(), 5);
        assert_eq!(cites.iter().filter(|c| c.get("parts").is_none()).count(), 2);

        // Into an empty ledger: the same states, and the same bytes out again.
        let mut copy = Ledger::open_in_memory().unwrap();
        let got = copy.import_bundle(&out[..]).unwrap();
        assert_eq!((got.new.claim_parts, got.new.citations), (6, 7));
        assert_eq!(states(&copy, doc), want, "{scope:?}: every statement and part in the same state");
        assert_eq!(copy.coverage(doc).unwrap(), f.l.coverage(doc).unwrap(), "the stored aggregate too");
        // The same records, byte for byte; the log after them is the copy's own,
        // followed by the original's, which it keeps.
        let records = |b: &[u8]| -> Vec<String> {
            let mut v: Vec<String> = String::from_utf8(b.to_vec())
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with("{\"type\":\"event\"") && !l.starts_with("{\"type\":\"foreign_event\""))
                .map(str::to_string)
                .collect();
            let mut header: serde_json::Value = serde_json::from_str(&v[0]).unwrap();
            header["counts"].as_object_mut().unwrap().remove("events");
            header["counts"].as_object_mut().unwrap().remove("foreign_events");
            v[0] = header.to_string();
            v
        };
        assert_eq!(records(&bundle(&copy, scope)), records(&out), "{scope:?}: byte for byte");
        // Again: all merged, nothing written.
        let before = common::dump(&copy);
        let again = copy.import_bundle(&out[..]).unwrap();
        assert_eq!((again.new.total(), again.merged.claim_parts), (0, 6));
        assert_eq!(common::dump(&copy), before);
    }
}

#[test]
fn a_ledger_without_parts_exports_the_bundle_it_did_before_parts() {
    let mut f = fixture();
    let (c0, taken) = (f.art.claims[0].id, f.taken);
    f.l.add_citation(NewCitation::new(c0, taken, Relation::Supports)).unwrap();
    let out = bundle(&f.l, formats::Scope::Ledger);
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(!text.contains("claim_part") && !text.contains("\"parts\""), "no trace of parts: {text:.300}");
    // A bundle written before parts (no `claim_parts` count, no `parts`) imports.
    let mut copy = Ledger::open_in_memory().unwrap();
    let got = copy.import_bundle(&out[..]).unwrap();
    assert_eq!((got.new.claims, got.new.citations, got.new.claim_parts), (7, 1, 0));
    assert_eq!(states(&copy, f.art.document.id), states(&f.l, f.art.document.id));
}

#[test]
fn a_bundle_with_bad_parts_is_refused_and_writes_nothing() {
    let f = every_state();
    let text = String::from_utf8(bundle(&f.l, formats::Scope::Ledger)).unwrap();
    let part_line = text.lines().find(|l| l.contains("\"type\":\"claim_part\"")).unwrap();
    let part: serde_json::Value = serde_json::from_str(part_line).unwrap();
    let id = part["id"].as_str().unwrap();
    let refused = |bad: &str| {
        let mut l = Ledger::open_in_memory().unwrap();
        let before = common::dump(&l);
        let e = l.import_bundle(bad.as_bytes()).unwrap_err();
        assert_eq!(common::dump(&l), before, "nothing written: {e}");
        e
    };
    // A citation naming a part the bundle does not hold.
    let e = refused(&text.replacen(part_line, "", 1).replacen("\n\n", "\n", 1).replacen(
        "\"claim_parts\":6",
        "\"claim_parts\":5",
        1,
    ));
    assert!(e.is_invalid_input() && e.to_string().contains(&format!("claim part {id} is neither")), "{e}");
    // A part whose offsets do not match its words.
    let e = refused(&text.replacen(
        part_line,
        &part_line.replacen("taken from the party network", "taken from the party netwerk", 1),
        1,
    ));
    assert!(e.is_invalid_input() && e.to_string().contains("do not match the text"), "{e}");
    // A part outside its claim (on words of the next statement).
    let at = ARTICLE.find("The hack").unwrap();
    let moved = part_line
        .replacen(
            &format!("\"start\":{},\"end\":{}", part["start"], part["end"]),
            &format!("\"start\":{at},\"end\":{}", at + 8),
            1,
        )
        .replacen(
            &format!("\"byte_start\":{},\"byte_end\":{}", part["byte_start"], part["byte_end"]),
            &format!("\"byte_start\":{at},\"byte_end\":{}", at + 8),
            1,
        )
        .replacen("\"exact\":\"taken from the party network\"", "\"exact\":\"The hack\"", 1);
    assert_ne!(moved, part_line);
    let e = refused(&text.replacen(part_line, &moved, 1));
    assert!(e.is_invalid_input() && e.to_string().contains("inside its claim"), "{e}");

    // Into a ledger holding the part with another note: a conflict.
    let mut l = Ledger::open_in_memory().unwrap();
    l.import_bundle(text.as_bytes()).unwrap();
    let before = common::dump(&l);
    let changed = text.replacen(part_line, &part_line.replacen("\"note\":\"part ", "\"note\":\"the part ", 1), 1);
    let e = l.import_bundle(changed.as_bytes()).unwrap_err();
    assert!(e.is_conflict() && e.to_string().contains("claim_part"), "{e}");
    assert_eq!(common::dump(&l), before);
}
