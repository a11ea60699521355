//! Pins of what must never change once released: every migration's checksum
//! and every enumeration's codes.
//!
//! Both are tables with one row per item, so that adding a migration or a
//! variant is adding one row, and changing a released one fails here.
//!
//! - **A new migration** `migrations/V{n}__{name}.sql`: run
//!   `cargo test --test pins`; the failure prints the row to add to
//!   [`MIGRATIONS`] (version, name, refinery's checksum). Rows stay in version
//!   order. Never change a row: a changed checksum means a released migration
//!   was edited, which ledgers already migrated by it would never see (add a new
//!   migration instead).
//! - **A new variant** of an enumeration of `src/model.rs` (`code_enum!`): add
//!   `(Enum::Variant, "code")` to that enumeration's table below. **A new
//!   enumeration**: add a table and a `check!` line in
//!   `every_enumeration_code_is_pinned`; the test finds every `code_enum!` in
//!   `src/` and fails for one without a table. Never change a row: stored
//!   ledgers and exported files hold the codes.

use claimledger::*;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::Path;

/// Every migration: (version, name, refinery's checksum of it). One row per
/// migration, in version order.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", "9642624755035358216"),
    (2, "verdicts", "3744298481306729355"),
    (3, "coverage_indexes", "15688130432510450194"),
    (4, "quotation_location", "7138457624051325789"),
    (5, "claim_parts", "12711052547863526544"),
    (7, "review_details", "10873643355262525816"),
    (8, "passage_index", "16310085310125494630"),
    (9, "reanchoring", "15825489777043394630"),
    (10, "evidence_items", "16586197283218605444"),
    (12, "history", "8657381672378667222"),
    (15, "passage_index_rebuild", "12033527525176023837"),
    (16, "foreign_logs", "9778447167463882918"),
    (17, "event_form", "3776925388932158465"),
];

/// The migrations a fresh ledger records: (version, name, checksum), as
/// refinery computed them from the files embedded in this build.
fn applied_migrations() -> Vec<(i64, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.ledger");
    drop(Ledger::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut stmt =
        conn.prepare("SELECT version, name, checksum FROM refinery_schema_history ORDER BY version").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

/// The migration files of the repository, as (version, name).
fn migration_files() -> Vec<(i64, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut out: Vec<(i64, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".sql"))
        .map(|f| {
            let stem = f.strip_suffix(".sql").unwrap();
            let (v, name) = stem
                .strip_prefix('V')
                .and_then(|s| s.split_once("__"))
                .unwrap_or_else(|| panic!("migrations/{f} is not named V{{n}}__{{name}}.sql"));
            (v.parse().unwrap_or_else(|_| panic!("migrations/{f}: version {v:?} is not a number")), name.to_string())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_migration_is_pinned_by_its_checksum() {
    let applied = applied_migrations();
    let files = migration_files();
    assert_eq!(
        applied.iter().map(|(v, n, _)| (*v, n.clone())).collect::<Vec<_>>(),
        files,
        "a fresh ledger applies exactly the files of migrations/"
    );
    let mut problems = Vec::new();
    for (version, name, checksum) in &applied {
        match MIGRATIONS.iter().find(|(v, _, _)| v == version) {
            None => problems.push(format!(
                "V{version}__{name}.sql is not pinned: add the row `({version}, {name:?}, {checksum:?}),` to MIGRATIONS in tests/pins.rs"
            )),
            Some((_, pinned_name, pinned)) if (*pinned_name, *pinned) != (name.as_str(), checksum.as_str()) => {
                problems.push(format!(
                    "V{version}__{name}.sql changed (checksum {checksum}, pinned V{version}__{pinned_name} with {pinned}): \
                     migrations are append-only: add a new migration instead"
                ))
            }
            Some(_) => {}
        }
    }
    for (version, name, _) in MIGRATIONS {
        if !applied.iter().any(|(v, _, _)| v == version) {
            problems.push(format!(
                "V{version}__{name}.sql is pinned but gone: migrations are append-only: add a new migration instead"
            ));
        }
    }
    // The frozen V1 ledger (tests/fixtures/ledger-v1.ledger) recorded V1's
    // checksum when it was made: the pin agrees with it.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger-v1.ledger");
    let conn = rusqlite::Connection::open_with_flags(&fixture, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let v1: String =
        conn.query_row("SELECT checksum FROM refinery_schema_history WHERE version = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(v1, MIGRATIONS[0].2, "V1's checksum as the frozen fixture recorded it");
    let versions: Vec<i64> = MIGRATIONS.iter().map(|(v, _, _)| *v).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "MIGRATIONS rows are in version order: {versions:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const DOCUMENT_KIND: &[(DocumentKind, &str)] = &[
    (DocumentKind::Article, "article"),
    (DocumentKind::Report, "report"),
    (DocumentKind::Email, "email"),
    (DocumentKind::Interview, "interview"),
    (DocumentKind::CourtFiling, "court_filing"),
    (DocumentKind::WebPage, "web_page"),
    (DocumentKind::Other, "other"),
];

const CLAIM_KIND: &[(ClaimKind, &str)] = &[
    (ClaimKind::Factual, "factual"),
    (ClaimKind::Quotation, "quotation"),
    (ClaimKind::Opinion, "opinion"),
    (ClaimKind::Heading, "heading"),
    (ClaimKind::Boilerplate, "boilerplate"),
];

const EXEMPTION_REASON: &[(ExemptionReason, &str)] = &[
    (ExemptionReason::Headline, "headline"),
    (ExemptionReason::Heading, "heading"),
    (ExemptionReason::SiteChrome, "site_chrome"),
    (ExemptionReason::NewsletterPrompt, "newsletter_prompt"),
    (ExemptionReason::Masthead, "masthead"),
    (ExemptionReason::Byline, "byline"),
    (ExemptionReason::Other, "other"),
];

const RELATION: &[(Relation, &str)] = &[
    (Relation::Supports, "supports"),
    (Relation::Quotes, "quotes"),
    (Relation::Paraphrases, "paraphrases"),
    (Relation::Contradicts, "contradicts"),
    (Relation::Context, "context"),
    (Relation::DescribesRedaction, "describes_redaction"),
];

const QUOTE_STATUS: &[(QuoteStatus, &str)] = &[
    (QuoteStatus::Verbatim, "verbatim"),
    (QuoteStatus::Normalized, "normalized"),
    (QuoteStatus::Altered, "altered"),
    (QuoteStatus::NotFound, "not_found"),
    (QuoteStatus::TooLarge, "too_large"),
    // "ambiguous" was a status until schema V4, which moved it to the location
    // (QuoteLocation::Ambiguous) and migrated stored rows to "unchecked".
    (QuoteStatus::Unchecked, "unchecked"),
];

const QUOTE_LOCATION: &[(QuoteLocation, &str)] =
    &[(QuoteLocation::Unique, "unique"), (QuoteLocation::Ambiguous, "ambiguous"), (QuoteLocation::None, "none")];

const STATEMENT_STATE: &[(StatementState, &str)] = &[
    (StatementState::Supported, "supported"),
    (StatementState::PartlySupported, "partly_supported"),
    (StatementState::Contradicted, "contradicted"),
    (StatementState::ContextOnly, "context_only"),
    (StatementState::Uncited, "uncited"),
    (StatementState::Exempt, "exempt"),
];

const ANCHOR_KIND: &[(AnchorKind, &str)] =
    &[(AnchorKind::Passage, "passage"), (AnchorKind::Redaction, "redaction"), (AnchorKind::Quotation, "quotation")];

const ANCHOR_STATE: &[(AnchorState, &str)] = &[
    (AnchorState::Same, "same"),
    (AnchorState::Moved, "moved"),
    (AnchorState::Changed, "changed"),
    (AnchorState::Orphaned, "orphaned"),
    (AnchorState::Released, "released"),
    (AnchorState::Kept, "kept"),
];

const PASSAGE_KIND: &[(PassageKind, &str)] = &[(PassageKind::Text, "text"), (PassageKind::Footnote, "footnote")];

const DERIVATION_KIND: &[(DerivationKind, &str)] =
    &[(DerivationKind::Footnote, "footnote"), (DerivationKind::Quotes, "quotes"), (DerivationKind::Cites, "cites")];

const AGENT_TYPE: &[(AgentType, &str)] = &[(AgentType::Person, "person"), (AgentType::Organization, "organization")];

const EVENT_KIND: &[(EventKind, &str)] = &[
    (EventKind::Genesis, "genesis"),
    (EventKind::Write, "write"),
    (EventKind::AddDocument, "add_document"),
    (EventKind::AddRevision, "add_revision"),
    (EventKind::AddClaims, "add_claims"),
    (EventKind::AddPassage, "add_passage"),
    (EventKind::AddQuotation, "add_quotation"),
    (EventKind::AddRedactions, "add_redactions"),
    (EventKind::AddCitations, "add_citations"),
    (EventKind::AddDerivation, "add_derivation"),
    (EventKind::AddPart, "add_part"),
    (EventKind::RegisterReason, "register_reason"),
    (EventKind::Verdict, "verdict"),
    (EventKind::ImportSource, "import_source"),
    (EventKind::AddArticle, "add_article"),
    (EventKind::Trace, "trace"),
    (EventKind::Reanchor, "reanchor"),
    (EventKind::BundleImport, "bundle_import"),
    (EventKind::ClaimReviewImport, "claimreview_import"),
    (EventKind::CslImport, "csl_import"),
    (EventKind::Index, "index"),
    (EventKind::Withdraw, "withdraw"),
    (EventKind::UndoWithdrawal, "undo_withdrawal"),
];

const TIER: &[(Tier, &str)] = &[
    (Tier::Exact, "exact"),
    (Tier::Normalized, "normalized"),
    (Tier::Fuzzy, "fuzzy"),
    (Tier::RedactionLabel, "redaction_label"),
];

const EVIDENCE_KIND: &[(EvidenceKind, &str)] = &[
    (EvidenceKind::Interview302, "interview_302"),
    (EvidenceKind::InterviewOther, "interview_other"),
    (EvidenceKind::GrandJury, "grand_jury"),
    (EvidenceKind::Email, "email"),
    (EvidenceKind::TextMessage, "text_message"),
    (EvidenceKind::SocialPost, "social_post"),
    (EvidenceKind::Document, "document"),
    (EvidenceKind::CourtFiling, "court_filing"),
    (EvidenceKind::Hearing, "hearing"),
    (EvidenceKind::News, "news"),
    (EvidenceKind::PublicStatement, "public_statement"),
    (EvidenceKind::GovernmentReport, "government_report"),
    (EvidenceKind::LegalAuthority, "legal_authority"),
    (EvidenceKind::CrossReference, "cross_reference"),
    (EvidenceKind::Redacted, "redacted"),
    (EvidenceKind::Other, "other"),
];

const SIGNAL: &[(Signal, &str)] = &[
    (Signal::See, "see"),
    (Signal::SeeEg, "see_eg"),
    (Signal::SeeAlso, "see_also"),
    (Signal::SeeGenerally, "see_generally"),
    (Signal::Cf, "cf"),
    (Signal::Compare, "compare"),
    (Signal::ButSee, "but_see"),
    (Signal::ButCf, "but_cf"),
    (Signal::Accord, "accord"),
    (Signal::Contra, "contra"),
    (Signal::Eg, "eg"),
];

const STANDING: &[(Standing, &str)] = &[
    (Standing::Stands, "stands"),
    (Standing::Thins, "thins"),
    (Standing::Falls, "falls"),
    (Standing::NoOrigin, "no_origin"),
];

/// Checks one enumeration against its pins: every pinned variant has its code
/// (both ways, and through serde and `FromStr`), and every variant is pinned.
fn check_codes<E>(name: &str, all: &[E], pins: &[(E, &str)], code: fn(&E) -> &'static str, problems: &mut Vec<String>)
where
    E: Copy + PartialEq + Debug + std::str::FromStr + serde::Serialize,
{
    for (v, pinned) in pins {
        if code(v) != *pinned {
            problems.push(format!(
                "{name}::{v:?} has code {:?}, pinned {pinned:?}: codes never change (stored ledgers and exported files hold them); add a new variant instead",
                code(v)
            ));
        }
        if pinned.parse::<E>().ok() != Some(*v) {
            problems.push(format!("{name}: code {pinned:?} does not parse back to {v:?}"));
        }
        if serde_json::to_value(v).unwrap() != serde_json::Value::String(pinned.to_string()) {
            problems.push(format!("{name}::{v:?} does not serialize as {pinned:?}"));
        }
    }
    for v in all {
        if !pins.iter().any(|(p, _)| p == v) {
            problems.push(format!(
                "{name}::{v:?} (code {:?}) is not pinned: add the row `({name}::{v:?}, {:?}),` to its table in tests/pins.rs",
                code(v),
                code(v)
            ));
        }
    }
    let codes: BTreeSet<&str> = pins.iter().map(|(_, c)| *c).collect();
    if codes.len() != pins.len() {
        problems.push(format!("{name}: two variants share a code"));
    }
}

/// The names of the enumerations `code_enum!` defines anywhere in `src/`.
fn code_enums_in_source() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("code_enum!(") {
                    // The name is the first line after the invocation that is not a
                    // doc comment or an attribute.
                    let name = text[at + "code_enum!(".len()..]
                        .lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty() && !l.starts_with("///") && !l.starts_with("#["))
                        .and_then(|l| l.split_whitespace().next())
                        .unwrap_or("");
                    if name.chars().next().is_some_and(char::is_uppercase) {
                        out.insert(name.to_string());
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

#[test]
fn every_enumeration_code_is_pinned() {
    let mut problems = Vec::new();
    let mut pinned = BTreeSet::new();
    macro_rules! check {
        ($enum:ident, $pins:expr) => {
            pinned.insert(stringify!($enum).to_string());
            check_codes(stringify!($enum), $enum::ALL, $pins, $enum::code, &mut problems);
        };
    }
    check!(DocumentKind, DOCUMENT_KIND);
    check!(ClaimKind, CLAIM_KIND);
    check!(ExemptionReason, EXEMPTION_REASON);
    check!(Relation, RELATION);
    check!(QuoteStatus, QUOTE_STATUS);
    check!(QuoteLocation, QUOTE_LOCATION);
    check!(StatementState, STATEMENT_STATE);
    check!(PassageKind, PASSAGE_KIND);
    check!(DerivationKind, DERIVATION_KIND);
    check!(Tier, TIER);
    check!(AnchorKind, ANCHOR_KIND);
    check!(AnchorState, ANCHOR_STATE);
    check!(EvidenceKind, EVIDENCE_KIND);
    check!(Signal, SIGNAL);
    check!(Standing, STANDING);
    check!(AgentType, AGENT_TYPE);
    check!(EventKind, EVENT_KIND);

    let defined = code_enums_in_source();
    assert!(defined.len() >= 8, "the scan of src/ finds the code_enum! enumerations: {defined:?}");
    for missing in defined.difference(&pinned) {
        problems.push(format!(
            "{missing} (a code_enum!) has no pin table: add one and a `check!({missing}, …)` line in tests/pins.rs"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
