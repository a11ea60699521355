//! The audit's policy, rule by rule. Each case builds a small ledger that
//! breaks exactly one rule: `Policy::strict()` (every rule on) then fails with
//! exactly one line, that rule's; the same policy with that rule off passes;
//! and the rule alone (every other rule off) fails with the same line. A clean
//! ledger built the same way passes `strict`, so nothing else in the fixtures
//! fails a rule.
//!
//! Stale citations (a citation of a source revision that is no longer the
//! latest) are checked in detail too.

use claimledger::audit::{Audit, Policy};
use claimledger::*;

const SOURCE: &str =
    "The harbour fees rose by a tenth in 2022. The pier closed in May. [Grand Jury] The ferry ran twice a day.";
const SOURCE_TITLE: &str = "Harbour board minutes";

/// A ledger with the source, its `[Grand Jury]` redaction and an article of one
/// statement; the passages of the source by the text they cover.
struct Fixture {
    ledger: Ledger,
    source: Revision,
    article: Revision,
    claim: Claim,
}

impl Fixture {
    fn new(article: &str) -> Fixture {
        let mut ledger = Ledger::open_in_memory().unwrap();
        let doc = ledger.add_document(NewDocument::new(DocumentKind::Report, SOURCE_TITLE)).unwrap();
        let source = ledger.add_revision(doc.id, NewRevision::new(SOURCE)).unwrap();
        let at = SOURCE.find("[Grand Jury]").unwrap();
        ledger
            .add_redaction(NewRedaction {
                span: Span::new(source.id, at, at + "[Grand Jury]".len()),
                label: "Grand Jury".into(),
                approx_chars: None,
            })
            .unwrap();
        let added = ledger.add_article(NewDocument::new(DocumentKind::Article, "Harbour news"), article).unwrap();
        assert_eq!(added.claims.len(), 1, "the article is one statement");
        Fixture { ledger, source, article: added.revision, claim: added.claims[0].clone() }
    }

    /// The passage of the source that reads `words`.
    fn passage(&mut self, words: &str) -> PassageId {
        let at = SOURCE.find(words).unwrap_or_else(|| panic!("{words:?} is in the source"));
        self.ledger.add_passage(NewPassage::new(Span::new(self.source.id, at, at + words.len()))).unwrap().id
    }

    fn cite(&mut self, words: &str, relation: Relation) -> PassageId {
        let p = self.passage(words);
        self.ledger.add_citation(NewCitation::new(self.claim.id, p, relation)).unwrap();
        p
    }

    /// A quotation of the article's `quoted` words (between its quote marks).
    fn quote(&mut self, quoted: &str, passage: Option<PassageId>, check: QuoteCheck, acknowledged: Option<&str>) {
        let text = &self.article.text;
        let at = text.find(quoted).unwrap_or_else(|| panic!("{quoted:?} is in the article"));
        self.ledger
            .add_quotation(NewQuotation {
                claim: self.claim.id,
                span: Span::new(self.article.id, at, at + quoted.len()),
                passage,
                speaker: None,
                check,
                acknowledged: acknowledged.map(str::to_string),
            })
            .unwrap();
    }

    fn audit(&self) -> Audit {
        self.ledger.audit(self.article.document).unwrap()
    }
}

const QUOTED_ARTICLE: &str = "The board said fees “rose by a tenth in 2022” last year.";

fn check(status: QuoteStatus) -> QuoteCheck {
    QuoteCheck { status, ..QuoteCheck::unchecked() }
}

fn verbatim() -> QuoteCheck {
    QuoteCheck {
        location: QuoteLocation::Unique,
        tier: Some(Tier::Exact),
        score: Some(1.0),
        candidate_count: 1,
        ..check(QuoteStatus::Verbatim)
    }
}

fn altered() -> QuoteCheck {
    QuoteCheck {
        location: QuoteLocation::Unique,
        tier: Some(Tier::Fuzzy),
        score: Some(0.9),
        candidate_count: 1,
        differences: vec![Difference { quoted: "fifth".into(), source: "tenth".into() }],
        ..check(QuoteStatus::Altered)
    }
}

/// The clean case: a supported statement whose quote is verbatim.
fn clean() -> Fixture {
    let mut f = Fixture::new(QUOTED_ARTICLE);
    let p = f.cite("The harbour fees rose by a tenth in 2022.", Relation::Quotes);
    f.quote("rose by a tenth in 2022", Some(p), verbatim(), None);
    f
}

type Rule = fn(&mut Policy) -> &mut bool;

/// Every rule of the policy, by name (a new rule of `Policy` gets a row here
/// and a case in `each_rule_alone_fails_exactly_its_own_case`).
const RULES: &[(&str, Rule)] = &[
    ("require_cited", |p| &mut p.require_cited),
    ("require_anchored_quotes", |p| &mut p.require_anchored_quotes),
    ("forbid_unacknowledged_altered", |p| &mut p.forbid_unacknowledged_altered),
    ("forbid_contradicted", |p| &mut p.forbid_contradicted),
    ("forbid_context_only", |p| &mut p.forbid_context_only),
    ("forbid_partly_supported", |p| &mut p.forbid_partly_supported),
    ("forbid_withheld_only", |p| &mut p.forbid_withheld_only),
    ("forbid_stale", |p| &mut p.forbid_stale),
];

fn rule(name: &str) -> Rule {
    RULES.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no rule {name}")).1
}

/// `Policy::strict()` fails `f` with exactly one line, starting `prefix`; the
/// rule `name` is the one that fails it.
fn fails_only(f: &Fixture, name: &str, prefix: &str) {
    let audit = f.audit();
    let failure = audit.check(&Policy::strict()).expect_err(name);
    assert_eq!(failure.failures.len(), 1, "{name}: {failure}");
    assert!(failure.failures[0].starts_with(prefix), "{name}: {:?} should start with {prefix:?}", failure.failures[0]);
    assert_eq!(failure.document, "Harbour news");

    let mut without = Policy::strict();
    *rule(name)(&mut without) = false;
    audit.check(&without).unwrap_or_else(|e| panic!("{name} off, yet: {e}"));

    let mut alone = Policy::strict();
    for (_, r) in RULES {
        *r(&mut alone) = false;
    }
    *rule(name)(&mut alone) = true;
    let failure_alone = audit.check(&alone).expect_err(name);
    assert_eq!(failure_alone.failures, failure.failures, "{name} alone");
}

#[test]
fn every_policy_field_has_a_rule_row() {
    let mut p = Policy::strict();
    for (_, r) in RULES {
        *r(&mut p) = false;
    }
    // Every field off: the policy equals one built with every field false. A
    // field added to `Policy` without a row in RULES stays true and fails this.
    let json = serde_json::to_value(&p).unwrap();
    let on: Vec<&String> = json.as_object().unwrap().iter().filter(|(_, v)| **v != false).map(|(k, _)| k).collect();
    assert!(on.is_empty(), "policy fields without a row in RULES: {on:?}");
}

#[test]
fn a_clean_ledger_passes_the_strict_policy() {
    let audit = clean().audit();
    audit.check(&Policy::strict()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((audit.statements.total, audit.statements.supported), (1, 1));
    assert_eq!(audit.quotations.by_status.get("verbatim"), Some(&1));
}

#[test]
fn each_rule_alone_fails_exactly_its_own_case() {
    // require_cited: the statement cites nothing.
    let f = Fixture::new(QUOTED_ARTICLE);
    fails_only(&f, "require_cited", "uncited: \"The board said fees");

    // require_anchored_quotes: a quote not found, or never checked.
    for status in [QuoteStatus::NotFound, QuoteStatus::Unchecked] {
        let mut f = Fixture::new(QUOTED_ARTICLE);
        f.cite("The harbour fees rose by a tenth in 2022.", Relation::Supports);
        f.quote("rose by a tenth in 2022", None, check(status), None);
        fails_only(&f, "require_anchored_quotes", &format!("{status} quote \"rose by a tenth in 2022\""));
    }
    // ... and a verbatim quote standing at two places nothing decides between.
    let mut f = Fixture::new(QUOTED_ARTICLE);
    let p = f.cite("The harbour fees rose by a tenth in 2022.", Relation::Supports);
    let twice = f.passage("The ferry ran twice a day.");
    let places: Vec<CandidateSpan> = [p, twice]
        .iter()
        .map(|id| CandidateSpan { span: f.ledger.passage(*id).unwrap().unwrap().span, tier: Tier::Exact, score: 1.0 })
        .collect();
    let to_pin =
        QuoteCheck { location: QuoteLocation::Ambiguous, candidate_count: 2, candidates: places, ..verbatim() };
    f.quote("rose by a tenth in 2022", None, to_pin, None);
    fails_only(
        &f,
        "require_anchored_quotes",
        "quote \"rose by a tenth in 2022\" (verbatim) stands at 2 places, to pin",
    );

    // forbid_unacknowledged_altered: an altered quote nobody accepted; the same
    // quote acknowledged passes strict.
    let article = "The board said fees “rose by a fifth in 2022” last year.";
    let mut f = Fixture::new(article);
    let p = f.cite("The harbour fees rose by a tenth in 2022.", Relation::Supports);
    f.quote("rose by a fifth in 2022", Some(p), altered(), None);
    fails_only(
        &f,
        "forbid_unacknowledged_altered",
        "altered quote \"rose by a fifth in 2022\" (\"fifth\" vs source \"tenth\")",
    );
    let mut f = Fixture::new(article);
    let p = f.cite("The harbour fees rose by a tenth in 2022.", Relation::Supports);
    f.quote("rose by a fifth in 2022", Some(p), altered(), Some("the desk corrected it in print"));
    f.audit().check(&Policy::strict()).unwrap_or_else(|e| panic!("acknowledged: {e}"));

    // forbid_contradicted: a contradicting passage, even beside a supporting one.
    let mut f = Fixture::new("The pier stayed open all year.");
    f.cite("The pier closed in May.", Relation::Contradicts);
    fails_only(&f, "forbid_contradicted", "contradicted: \"The pier stayed open all year.\"");
    let mut f = Fixture::new("The pier stayed open all year.");
    f.cite("The pier closed in May.", Relation::Contradicts);
    f.cite("The ferry ran twice a day.", Relation::Supports);
    fails_only(&f, "forbid_contradicted", "contradicted: \"The pier stayed open all year.\"");

    // forbid_context_only: only context.
    let mut f = Fixture::new("The ferry was popular.");
    f.cite("The ferry ran twice a day.", Relation::Context);
    fails_only(&f, "forbid_context_only", "context only: \"The ferry was popular.\"");

    // forbid_withheld_only: the only evidence is a passage that is nothing but
    // the redaction label.
    let mut f = Fixture::new("A witness told the grand jury about the fees.");
    f.cite("[Grand Jury]", Relation::Supports);
    fails_only(&f, "forbid_withheld_only", "rests only on withheld material: \"A witness told the grand jury");

    // forbid_stale: the cited source has a newer revision.
    let mut f = Fixture::new("Harbour fees rose by a tenth in 2022.");
    f.cite("The harbour fees rose by a tenth in 2022.", Relation::Supports);
    let doc = f.ledger.revision(f.source.id).unwrap().unwrap().document;
    f.ledger.add_revision(doc, NewRevision::new(format!("{SOURCE} Corrected."))).unwrap();
    fails_only(&f, "forbid_stale", "stale citation of \"Harbour board minutes\" (revision 1 of 2)");
}

#[test]
fn a_citation_of_an_older_source_revision_is_stale_and_a_new_citation_is_not() {
    let mut f = Fixture::new("Harbour fees rose by a tenth in 2022.");
    f.cite("The harbour fees rose by a tenth in 2022.", Relation::Supports);
    let doc = f.ledger.revision(f.source.id).unwrap().unwrap().document;
    assert!(f.audit().stale.is_empty(), "the cited revision is the latest");

    let newer = f.ledger.add_revision(doc, NewRevision::new(format!("{SOURCE} Corrected."))).unwrap();
    assert_eq!(newer.seq, 2);
    let audit = f.audit();
    assert_eq!(audit.stale.len(), 1);
    let s = &audit.stale[0];
    assert_eq!(
        (s.source.as_str(), s.cited_revision, s.latest_revision, s.statement.as_str()),
        (SOURCE_TITLE, 1, 2, "Harbour fees rose by a tenth in 2022.")
    );
    // Stale is not unsupported: the statement still counts as supported.
    assert_eq!(audit.statements.supported, 1);
    // `complete` forbids stale citations.
    let failure = audit.check(&Policy::complete()).unwrap_err();
    assert_eq!(failure.failures, vec![
        "stale citation of \"Harbour board minutes\" (revision 1 of 2) for \"Harbour fees rose by a tenth in 2022.\"".to_string()
    ]);

    // Citing the same words in the latest revision as well: the old citation
    // is still stale (one entry), the new one is not.
    let p = f.ledger.add_passage(NewPassage::new(Span::new(newer.id, 0, 41))).unwrap();
    assert_eq!(f.ledger.text(&p.span).unwrap(), "The harbour fees rose by a tenth in 2022.");
    f.ledger.add_citation(NewCitation::new(f.claim.id, p.id, Relation::Supports)).unwrap();
    let audit = f.audit();
    assert_eq!(audit.stale.len(), 1);
    assert_eq!(audit.stale[0].cited_revision, 1);
}
