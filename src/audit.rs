//! The coverage audit: what a fact-checker reads first, and what a test suite
//! asserts.
//!
//! [`Ledger::audit`] composes the ledger's records into an [`Audit`] of one
//! article revision: statements by their strongest evidence, uncited statements,
//! statements the sources do not back as written, quotations by status (with
//! differences and candidates), evidence that rests on withheld material (directly,
//! down a chain of footnotes and derivations, or, for a cited heading, in the
//! section it opens), withheld material in the same paragraph as a cited
//! passage (a weaker mark, listed apart), stale citations, and coverage.
//!
//! # How far a citation reaches
//!
//! A cited passage reaches the redactions inside or touching it, those of the
//! passages it derives to (footnotes, down the chain) and, when the passage is
//! a section heading ([`crate::text::sections`]), those of the section the
//! heading opens (to the next heading of the same or a higher level): a
//! statement that cites a heading rests on the section under it. These make
//! the statement `withheld` and are listed under `withheld`, each redaction
//! with how it was reached (`via`: `passage`, `footnote N`, `derivation`,
//! `section`). A redaction elsewhere in the cited passage's paragraph is a
//! weaker mark (the words cited are whole, but what surrounds them is not):
//! it is listed under `withheld_in_paragraph` (`via` `paragraph`) and does not
//! make the statement `withheld`.
//! [`Audit::check`] holds it against a [`Policy`] and returns an error whose
//! `Display` lists every failing statement, for `assert!`-style tests.
//!
//! ```
//! use claimledger::*;
//! use claimledger::audit::Policy;
//! # fn main() -> claimledger::Result<()> {
//! let mut ledger = Ledger::open_in_memory()?;
//! let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
//! let srev = ledger.add_revision(src.id, NewRevision::new("Sales fell 3% in 2023."))?;
//! let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "News"), "Sales fell in 2023. Staff are unhappy.")?;
//! let passage = ledger.add_passage(NewPassage::new(Span::new(srev.id, 0, 22)))?;
//! ledger.add_citation(NewCitation::new(art.claims[0].id, passage.id, Relation::Supports))?;
//!
//! let audit = ledger.audit(art.document.id)?;
//! assert_eq!(audit.statements.uncited, 1);
//! let err = audit.check(&Policy::complete()).unwrap_err();
//! assert!(err.to_string().contains("Staff are unhappy."));
//! # Ok(()) }
//! ```

use crate::state::Derived;
use crate::text::attribution::{self, Attribution, SourceNames, SpeakerKind};
use crate::{
    AnchorState, Citation, Claim, ClaimId, ClaimPart, DerivationKind, Difference, Document, DocumentId, Entity, Error,
    Ledger, Passage, PassageId, QuotationId, QuoteLocation, QuoteStatus, Redaction, Relation, Result, Revision,
    RevisionId, Standing, StatementState, Verdict,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// A statement's evidence state: the one state of [`crate::state`] (the audit
/// counts statements by it, the report colours them by it, and every export
/// that labels claims maps it in [`StatementState::fever_label`] and
/// [`crate::state::Derived::averitec_label`]).
pub type EvidenceState = StatementState;

/// The audit of one article revision.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// The article.
    pub document: DocumentRef,
    /// The revision audited.
    pub revision: RevisionId,
    /// Statement counts.
    pub statements: StatementCounts,
    /// Statements that need a source and cite none.
    pub uncited: Vec<StatementRef>,
    /// Statements whose citations do not back them as written (context only or
    /// contradicted): the list a fact-checker reads first.
    pub not_as_written: Vec<NotAsWritten>,
    /// Statements supported in part, with the parts that are not backed.
    pub partly_supported: Vec<PartlySupported>,
    /// Statements whose desk verdict disagrees with the state their evidence
    /// gives them (rated true but partly supported or contradicted; rated false
    /// but supported).
    pub verdicts_against_evidence: Vec<VerdictAgainstEvidence>,
    /// Quotations by status.
    pub quotations: QuoteSummary,
    /// Citations whose evidence contains, touches or ends in withheld material.
    pub withheld: Vec<WithheldEvidence>,
    /// Statements all of whose evidence ends in withheld material.
    pub withheld_only: Vec<StatementRef>,
    /// Citations whose passage's paragraph holds withheld material that none
    /// of the above reaches (a weaker mark: the statement is not `withheld`).
    pub withheld_in_paragraph: Vec<WithheldEvidence>,
    /// Citations pointing at a revision that is not its document's latest (and
    /// not carried to a later one by a re-anchoring).
    pub stale: Vec<StaleCitation>,
    /// Citations whose passage `changed` or was `orphaned` when its source was
    /// re-anchored: review them (an empty list when there are none).
    pub review: Vec<ReviewCitation>,
    /// Withheld material now released: statements whose evidence touched a
    /// redaction that a later revision of the source prints, with the words;
    /// review them (an empty list when there are none).
    pub released: Vec<ReleasedEvidence>,
    /// Coverage.
    pub coverage: Coverage,
    /// Every statement in text order, with its state, parts, withheld mark and
    /// verdict.
    pub claims: Vec<ClaimFinding>,
    /// Every supported or partly supported statement with the evidence items its
    /// citations reach in the sources' footnotes and their distinct origins
    /// ([`crate::evidence`]).
    pub origins: Vec<StatementEvidence>,
    /// Supported statements whose evidence rests on a single origin ("rests on one
    /// account").
    pub single_origin: Vec<SingleOrigin>,
    /// Statements whose support falls (every origin withdrawn) or thins (some
    /// withdrawn) under the withdrawals in force.
    pub withdrawn: Vec<StatementEvidence>,
}

/// A statement with the evidence behind it.
#[derive(Debug, Clone, Serialize)]
pub struct StatementEvidence {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementRef,
    /// Its evidence items, origins and standing.
    #[serde(flatten)]
    pub evidence: crate::evidence::StatementOrigins,
}

/// A supported statement resting on one origin.
#[derive(Debug, Clone, Serialize)]
pub struct SingleOrigin {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementRef,
    /// The one origin.
    pub origin: String,
    /// Withheld items beside it (what they rest on is unknown).
    pub withheld: usize,
}

/// One statement of the article, as the audit judges it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimFinding {
    /// The claim.
    pub claim: ClaimId,
    /// Start in the article (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// Its text.
    pub text: String,
    /// Its one state ([`crate::state`]).
    pub state: StatementState,
    /// True when partly supported: always for `partly_supported`, and for a
    /// contradicted statement some part of which has support.
    pub partly_supported: bool,
    /// Its parts in text order; empty when the statement is not divided (one
    /// implicit part, the whole statement, whose state is the statement's).
    pub parts: Vec<PartFinding>,
    /// True when evidence it cites rests on withheld material.
    pub withheld: bool,
    /// The desk's latest verdict (its textual rating), if any.
    pub verdict: Option<String>,
}

/// One part of a statement.
#[derive(Debug, Clone, Serialize)]
pub struct PartFinding {
    /// Start in the article (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// Its text.
    pub text: String,
    /// Its state, from its own citations and those of the whole statement.
    pub state: StatementState,
    /// The fact-checker's note on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A statement supported in part.
#[derive(Debug, Clone, Serialize)]
pub struct PartlySupported {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementRef,
    /// Its parts that are not supported (cited only as context, or uncited).
    pub unbacked: Vec<PartFinding>,
    /// The fact-checker's notes on its citations.
    pub notes: Vec<String>,
}

/// A verdict that disagrees with the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictAgainstEvidence {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementRef,
    /// The verdict's textual rating.
    pub verdict: String,
    /// The state its evidence gives the statement.
    pub state: StatementState,
}

/// A document, named.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentRef {
    /// ID.
    pub id: DocumentId,
    /// Title.
    pub title: String,
}

/// Statement counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StatementCounts {
    /// All statements (claims) of the revision.
    pub total: usize,
    /// Exempt ones.
    pub exempt: usize,
    /// Exempt ones by reason code.
    pub exempt_by_reason: BTreeMap<String, usize>,
    /// Non-exempt ones with no citation.
    pub uncited: usize,
    /// Backed by a supports, quotes, paraphrases or describes_redaction citation,
    /// and contradicted by none.
    pub supported: usize,
    /// Cited only as context.
    pub context_only: usize,
    /// Contradicted by a cited passage (whatever else supports it).
    pub contradicted: usize,
    /// Some parts supported, the others only context or uncited.
    pub partly_supported: usize,
}

/// A statement, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct StatementRef {
    /// The claim.
    pub claim: ClaimId,
    /// Start in the article (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// Its text.
    pub text: String,
}

/// A statement the sources do not back as written.
#[derive(Debug, Clone, Serialize)]
pub struct NotAsWritten {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementRef,
    /// `context` or `contradicts`.
    pub relation: Relation,
    /// True when other citations support part of it (a contradicted statement
    /// may be right in other respects).
    pub partly_supported: bool,
    /// The fact-checker's notes on its citations.
    pub notes: Vec<String>,
}

/// Quotations: verdicts counted, and apart from them the locations to pin.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteSummary {
    /// All quotations.
    pub total: usize,
    /// Count per verdict code (`verbatim`, `normalized`, `altered`, `not_found`,
    /// `unchecked`), whatever the location.
    pub by_status: BTreeMap<String, usize>,
    /// Altered quotations, with their differences.
    pub altered: Vec<QuoteFinding>,
    /// Quotations whose words stand at several places and nothing decided which:
    /// a place to pin (a trace selector, `prefix`/`suffix` or `page`), whatever
    /// their verdict.
    pub to_pin: Vec<QuoteFinding>,
    /// Quotations that anchored nowhere (or were never checked): misquotes of
    /// the sources, or words nobody is known to have said. A `not_found`
    /// quotation attributed to someone other than a source is not here but in
    /// `attributed_elsewhere`.
    pub unanchored: Vec<QuoteFinding>,
    /// `not_found` quotations the article (or the trace) attributes to someone
    /// other than the ledger's sources (a senator, the President's tweet): quotes
    /// of others, rightly not in the sources, so not misquotes (see
    /// [`crate::text::attribution::SourceNames`] for who counts as a source).
    pub attributed_elsewhere: Vec<QuoteOfOther>,
    /// Quote marks of the article that do not balance, each with the extent
    /// assumed for it and the statement holding it.
    pub unbalanced: Vec<UnbalancedMark>,
}

/// A `not_found` quotation attributed to someone other than the ledger's sources.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteOfOther {
    /// The quotation.
    pub id: QuotationId,
    /// The quoted text.
    pub text: String,
    /// Its statement.
    pub statement: String,
    /// Who said it: the trace's speaker, else the one the article gives.
    pub speaker: String,
    /// The article's words attributing it (`Barr said`), null when only the
    /// trace names the speaker.
    pub cue: Option<String>,
}

/// A quote mark of the article that does not balance (see
/// [`crate::text::quotes`]): what was assumed, on the statement holding it.
#[derive(Debug, Clone, Serialize)]
pub struct UnbalancedMark {
    /// `unclosed` or `unopened`.
    pub kind: &'static str,
    /// Where the mark is in the article (code points).
    pub mark: usize,
    /// The quoted words assumed (empty when nothing is left).
    pub assumed: String,
    /// The statement holding the mark.
    pub statement: String,
    /// What is wrong and what was assumed, for people.
    pub message: String,
}

/// One quotation in the audit.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteFinding {
    /// The quoted text.
    pub text: String,
    /// Its statement.
    pub statement: String,
    /// The verdict about the words.
    pub status: QuoteStatus,
    /// Where they stand: `unique`, `ambiguous` or `none`.
    pub location: QuoteLocation,
    /// Differences (altered).
    pub differences: Vec<Difference>,
    /// Candidates (location ambiguous): source title and code-point start.
    pub candidates: Vec<String>,
    /// Why the desk accepts it, if it does.
    pub acknowledged: Option<String>,
}

/// A citation resting on withheld material.
#[derive(Debug, Clone, Serialize)]
pub struct WithheldEvidence {
    /// The statement's claim.
    pub claim: ClaimId,
    /// The statement.
    pub statement: String,
    /// The relation of the citation.
    pub relation: Relation,
    /// The source's title.
    pub source: String,
    /// Page of the passage, for paged sources.
    pub page: Option<u32>,
    /// The redactions found, with how they were reached.
    pub redactions: Vec<WithheldRedaction>,
    /// True when the evidence chain ends in withheld material: the passage, or a
    /// footnote it relies on, says nothing but redaction labels.
    pub ends_in_redaction: bool,
}

/// A redaction reached from a citation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct WithheldRedaction {
    /// The label as written.
    pub label: String,
    /// The reason code (null when unknown).
    pub code: Option<String>,
    /// `passage` (in or touching the cited passage), `footnote N`,
    /// `derivation`, `section` (in the section a cited heading opens), or,
    /// under `withheld_in_paragraph` only, `paragraph`.
    pub via: String,
}

/// A citation of an old revision.
#[derive(Debug, Clone, Serialize)]
pub struct StaleCitation {
    /// The statement.
    pub statement: String,
    /// The source's title.
    pub source: String,
    /// The revision number cited.
    pub cited_revision: u32,
    /// The source's latest revision number.
    pub latest_revision: u32,
}

/// A citation whose passage changed or vanished in a later revision of its source.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewCitation {
    /// The statement's claim.
    pub claim: ClaimId,
    /// The statement.
    pub statement: String,
    /// The relation of the citation.
    pub relation: Relation,
    /// The source's title.
    pub source: String,
    /// `changed` or `orphaned`.
    pub state: AnchorState,
    /// The revision number cited.
    pub from_revision: u32,
    /// The revision number it was re-anchored to.
    pub to_revision: u32,
    /// Word differences, cited text (`quoted`) against the new (`source`).
    pub differences: Vec<Difference>,
    /// Why it was orphaned.
    pub reason: Option<String>,
}

/// Evidence that rested on a redaction a later revision released.
#[derive(Debug, Clone, Serialize)]
pub struct ReleasedEvidence {
    /// The statement's claim.
    pub claim: ClaimId,
    /// The statement.
    pub statement: String,
    /// The relation of the citation.
    pub relation: Relation,
    /// The source's title.
    pub source: String,
    /// The redaction's label as written.
    pub label: String,
    /// The words the later revision prints in its place.
    pub released_text: String,
    /// The revision number that prints them.
    pub revision: u32,
}

/// Coverage fractions (0 to 1) over the statements that need a source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// Cited statements / statements needing a source.
    pub statements: f64,
    /// Code points of cited statements / code points of statements needing a source.
    pub characters: f64,
    /// Supported statements / statements needing a source.
    pub supported: f64,
    /// Partly supported statements / statements needing a source.
    pub partly_supported: f64,
    /// Supported statements whose support does not fall under the withdrawals in
    /// force / statements needing a source (equal to `supported` when nothing is
    /// withdrawn).
    pub standing: f64,
}

/// What an audit must satisfy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Every non-exempt statement cites something.
    pub require_cited: bool,
    /// Every quotation anchored at one place (none not found, unchecked or with
    /// an ambiguous location).
    pub require_anchored_quotes: bool,
    /// No altered quotation the trace does not acknowledge.
    pub forbid_unacknowledged_altered: bool,
    /// No contradicted statement.
    pub forbid_contradicted: bool,
    /// No statement cited only as context.
    pub forbid_context_only: bool,
    /// No statement supported only in part.
    pub forbid_partly_supported: bool,
    /// No statement whose only evidence is withheld.
    pub forbid_withheld_only: bool,
    /// No citation of an old revision.
    pub forbid_stale: bool,
}

impl Policy {
    /// The trace is complete: every statement cited, every quote anchored, every
    /// altered quote acknowledged, no stale citation. Findings about what the
    /// sources say (context only, partly supported, contradicted, withheld) are
    /// reported, not failed.
    pub fn complete() -> Policy {
        Policy {
            require_cited: true,
            require_anchored_quotes: true,
            forbid_unacknowledged_altered: true,
            forbid_contradicted: false,
            forbid_context_only: false,
            forbid_partly_supported: false,
            forbid_withheld_only: false,
            forbid_stale: true,
        }
    }

    /// Everything: complete, and every statement backed as written by material
    /// that is not withheld.
    pub fn strict() -> Policy {
        Policy {
            forbid_contradicted: true,
            forbid_context_only: true,
            forbid_partly_supported: true,
            forbid_withheld_only: true,
            ..Policy::complete()
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::complete()
    }
}

/// An audit that failed its policy. `Display` lists every failure, one a line.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFailure {
    /// The article's title.
    pub document: String,
    /// One line per failing statement or quotation.
    pub failures: Vec<String>,
}

impl std::fmt::Display for PolicyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{:?} fails its citation policy ({} problems):", self.document, self.failures.len())?;
        for line in &self.failures {
            writeln!(f, "  - {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyFailure {}

fn short(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 90 { format!("{}…", s.chars().take(89).collect::<String>()) } else { s }
}

impl Audit {
    /// Holds the audit against `policy`.
    ///
    /// # Errors
    ///
    /// [`PolicyFailure`] listing every failing statement and quotation.
    pub fn check(&self, policy: &Policy) -> std::result::Result<(), PolicyFailure> {
        let mut failures = Vec::new();
        if policy.require_cited {
            failures.extend(self.uncited.iter().map(|s| format!("uncited: {:?}", short(&s.text))));
        }
        if policy.forbid_contradicted || policy.forbid_context_only {
            for n in &self.not_as_written {
                let fail = match n.relation {
                    Relation::Contradicts => policy.forbid_contradicted,
                    _ => policy.forbid_context_only,
                };
                if fail {
                    failures.push(format!(
                        "{}: {:?}",
                        if n.relation == Relation::Contradicts { "contradicted" } else { "context only" },
                        short(&n.statement.text)
                    ));
                }
            }
        }
        if policy.forbid_partly_supported {
            for p in &self.partly_supported {
                let parts: Vec<String> =
                    p.unbacked.iter().map(|u| format!("{:?} {}", short(&u.text), u.state)).collect();
                failures.push(format!(
                    "partly supported: {:?} (not backed: {})",
                    short(&p.statement.text),
                    parts.join("; ")
                ));
            }
        }
        if policy.forbid_unacknowledged_altered {
            for q in self.quotations.altered.iter().filter(|q| q.acknowledged.is_none()) {
                let diffs: Vec<String> =
                    q.differences.iter().map(|d| format!("{:?} vs source {:?}", d.quoted, d.source)).collect();
                failures.push(format!(
                    "altered quote {:?} ({}) in {:?}",
                    short(&q.text),
                    diffs.join("; "),
                    short(&q.statement)
                ));
            }
        }
        if policy.require_anchored_quotes {
            for q in &self.quotations.to_pin {
                failures.push(format!(
                    "quote {:?} ({}) stands at {} places, to pin, in {:?}",
                    short(&q.text),
                    q.status,
                    q.candidates.len(),
                    short(&q.statement)
                ));
            }
            for q in &self.quotations.unanchored {
                failures.push(format!("{} quote {:?} in {:?}", q.status, short(&q.text), short(&q.statement)));
            }
        }
        if policy.forbid_withheld_only {
            failures.extend(
                self.withheld_only.iter().map(|s| format!("rests only on withheld material: {:?}", short(&s.text))),
            );
        }
        if policy.forbid_stale {
            failures.extend(self.stale.iter().map(|s| {
                format!(
                    "stale citation of {:?} (revision {} of {}) for {:?}",
                    s.source,
                    s.cited_revision,
                    s.latest_revision,
                    short(&s.statement)
                )
            }));
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(PolicyFailure { document: self.document.title.clone(), failures })
        }
    }

    /// The audit as a readable report.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut o = String::new();
        let s = &self.statements;
        let _ = writeln!(o, "Audit of {:?} (revision {})", self.document.title, self.revision);
        let _ = writeln!(o);
        let _ = writeln!(o, "Statements            {:>5}", s.total);
        let _ = writeln!(
            o,
            "  exempt              {:>5}  {}",
            s.exempt,
            s.exempt_by_reason.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
        );
        let _ = writeln!(o, "  supported           {:>5}", s.supported);
        let _ = writeln!(o, "  partly supported    {:>5}", s.partly_supported);
        let _ = writeln!(o, "  context only        {:>5}", s.context_only);
        let _ = writeln!(o, "  contradicted        {:>5}", s.contradicted);
        let _ = writeln!(o, "  uncited             {:>5}", s.uncited);
        let _ = writeln!(
            o,
            "Coverage              {:>5.1}% of statements, {:.1}% of characters cited; {:.1}% of statements supported, {:.1}% partly",
            self.coverage.statements * 100.0,
            self.coverage.characters * 100.0,
            self.coverage.supported * 100.0,
            self.coverage.partly_supported * 100.0
        );
        let _ = writeln!(
            o,
            "Quotations            {:>5}  {}{}",
            self.quotations.total,
            self.quotations.by_status.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
            match self.quotations.attributed_elsewhere.len() {
                0 => String::new(),
                1 => "; 1 not_found quote of others".to_string(),
                n => format!("; {n} not_found quotes of others"),
            }
        );
        if !self.uncited.is_empty() {
            let _ = writeln!(o, "\nUncited statements:");
            for u in &self.uncited {
                let _ = writeln!(o, "  - {}", short(&u.text));
            }
        }
        if !self.not_as_written.is_empty() {
            let _ = writeln!(o, "\nNot backed as written:");
            for n in &self.not_as_written {
                let _ = writeln!(
                    o,
                    "  - [{}{}] {}",
                    n.relation,
                    if n.partly_supported { ", partly supported" } else { "" },
                    short(&n.statement.text)
                );
            }
        }
        if !self.partly_supported.is_empty() {
            let _ = writeln!(o, "\nPartly supported (the parts not backed):");
            for p in &self.partly_supported {
                let _ = writeln!(o, "  - {}", short(&p.statement.text));
                for u in &p.unbacked {
                    let _ = writeln!(o, "      [{}] {}", u.state, short(&u.text));
                }
            }
        }
        if !self.verdicts_against_evidence.is_empty() {
            let _ = writeln!(o, "\nVerdicts the evidence does not bear out:");
            for v in &self.verdicts_against_evidence {
                let _ = writeln!(o, "  - rated {:?}, {}: {}", v.verdict, v.state, short(&v.statement.text));
            }
        }
        for q in &self.quotations.altered {
            let diffs: Vec<String> =
                q.differences.iter().map(|d| format!("{:?} (source: {:?})", d.quoted, d.source)).collect();
            let _ = writeln!(
                o,
                "\nAltered quote: {:?}\n  {}{}",
                short(&q.text),
                diffs.join("; "),
                q.acknowledged.as_ref().map(|a| format!("\n  acknowledged: {a}")).unwrap_or_default()
            );
        }
        if !self.quotations.to_pin.is_empty() {
            let _ = writeln!(o, "\nQuotes to pin (the words stand at several places):");
            for q in &self.quotations.to_pin {
                let _ = writeln!(o, "  - [{}] {:?} ({})", q.status, short(&q.text), q.candidates.join(", "));
            }
        }
        for q in &self.quotations.unanchored {
            let _ = writeln!(o, "\n{} quote: {:?}", q.status, short(&q.text));
        }
        if !self.quotations.attributed_elsewhere.is_empty() {
            let _ = writeln!(o, "\nQuotes of others (not in the sources, attributed to someone else; not misquotes):");
            for q in &self.quotations.attributed_elsewhere {
                let _ = writeln!(
                    o,
                    "  - {}: {:?}{}",
                    q.speaker,
                    short(&q.text),
                    q.cue.as_ref().map(|c| format!(" (cue: {c:?})")).unwrap_or_default()
                );
            }
        }
        if !self.quotations.unbalanced.is_empty() {
            let _ = writeln!(o, "\nQuote marks that do not balance (extent assumed):");
            for u in &self.quotations.unbalanced {
                let _ = writeln!(o, "  - {}\n      in: {}", u.message, short(&u.statement));
            }
        }
        if !self.withheld.is_empty() {
            let _ = writeln!(o, "\nEvidence resting on withheld material:");
            for w in &self.withheld {
                let labels: Vec<String> = w
                    .redactions
                    .iter()
                    .map(|r| format!("{} [{}] via {}", r.label, r.code.as_deref().unwrap_or("unknown"), r.via))
                    .collect();
                let _ = writeln!(
                    o,
                    "  - {}\n      {} {}{}: {}",
                    short(&w.statement),
                    w.relation,
                    w.source,
                    w.page.map(|p| format!(" p. {p}")).unwrap_or_default(),
                    labels.join("; ")
                );
            }
        }
        if !self.withheld_only.is_empty() {
            let _ = writeln!(o, "\nStatements resting only on withheld material:");
            for u in &self.withheld_only {
                let _ = writeln!(o, "  - {}", short(&u.text));
            }
        }
        if !self.withheld_in_paragraph.is_empty() {
            let _ = writeln!(
                o,
                "\nWithheld material in the same paragraph as cited evidence (not in the words cited; a weaker mark):"
            );
            for w in &self.withheld_in_paragraph {
                let labels: Vec<String> = w
                    .redactions
                    .iter()
                    .map(|r| format!("{} [{}]", r.label, r.code.as_deref().unwrap_or("unknown")))
                    .collect();
                let _ = writeln!(
                    o,
                    "  - {}\n      {} {}{}: {}",
                    short(&w.statement),
                    w.relation,
                    w.source,
                    w.page.map(|p| format!(" p. {p}")).unwrap_or_default(),
                    labels.join("; ")
                );
            }
        }
        if !self.review.is_empty() {
            let _ = writeln!(o, "\nCitations to review (their source changed):");
            for r in &self.review {
                let what = match (&r.reason, r.differences.is_empty()) {
                    (Some(why), _) => why.clone(),
                    (None, false) => r
                        .differences
                        .iter()
                        .map(|d| format!("{:?} now {:?}", d.quoted, d.source))
                        .collect::<Vec<_>>()
                        .join("; "),
                    _ => String::new(),
                };
                let _ = writeln!(
                    o,
                    "  - {}\n      {} {} (revision {} -> {}): {} {}",
                    short(&r.statement),
                    r.relation,
                    r.source,
                    r.from_revision,
                    r.to_revision,
                    r.state,
                    what
                );
            }
        }
        if !self.released.is_empty() {
            let _ = writeln!(o, "\nWithheld material now released: review");
            for r in &self.released {
                let _ = writeln!(
                    o,
                    "  - {}\n      {} {}: [{}] now reads {:?} (revision {})",
                    short(&r.statement),
                    r.relation,
                    r.source,
                    r.label,
                    r.released_text,
                    r.revision
                );
            }
        }
        if !self.origins.is_empty() {
            let n = |k: usize| self.origins.iter().filter(|s| s.evidence.standing_origins() == k).count();
            let many = self.origins.iter().filter(|s| s.evidence.standing_origins() >= 2).count();
            let _ = writeln!(
                o,
                "\nIndependent origins of supported statements: {} with none reached, {} with one, {} with two or more",
                n(0),
                n(1),
                many
            );
            for s in &self.origins {
                let names: Vec<String> = s
                    .evidence
                    .origins
                    .iter()
                    .map(|x| format!("{}{}", x.origin, if x.withdrawn { " (withdrawn)" } else { "" }))
                    .collect();
                let _ = writeln!(
                    o,
                    "  - {} origin{}{}: {}\n      {}",
                    s.evidence.standing_origins(),
                    if s.evidence.standing_origins() == 1 { "" } else { "s" },
                    if s.evidence.withheld > 0 {
                        format!(" (+{} withheld)", s.evidence.withheld)
                    } else {
                        String::new()
                    },
                    short(&s.statement.text),
                    if names.is_empty() { "-".to_string() } else { names.join("; ") }
                );
            }
        }
        if !self.single_origin.is_empty() {
            let _ = writeln!(o, "\nResting on one account:");
            for s in &self.single_origin {
                let _ = writeln!(o, "  - {}: {}", s.origin, short(&s.statement.text));
            }
        }
        if !self.withdrawn.is_empty() {
            let _ = writeln!(
                o,
                "\nSupport withdrawn ({:.1}% of statements still stand supported):",
                self.coverage.standing * 100.0
            );
            for s in &self.withdrawn {
                let _ = writeln!(o, "  - [{}] {}", s.evidence.standing, short(&s.statement.text));
            }
        }
        if !self.stale.is_empty() {
            let _ = writeln!(o, "\nStale citations:");
            for st in &self.stale {
                let _ = writeln!(
                    o,
                    "  - {} cites revision {} of {} (latest {})",
                    short(&st.statement),
                    st.cited_revision,
                    st.source,
                    st.latest_revision
                );
            }
        }
        o
    }
}

impl Ledger {
    /// Audits the latest revision of an article.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document or one without text.
    pub fn audit(&self, document: DocumentId) -> Result<Audit> {
        let doc = self.document(document)?.ok_or_else(|| Error::not_found(Entity::Document, document))?;
        let rev = self
            .latest_revision(document)?
            .ok_or_else(|| Error::not_found(Entity::Revision, format!("latest revision of {document}")))?;
        self.audit_revision(&doc, &rev)
    }

    /// Finds a document by ID or, failing that, by exact title (which must be unique).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when nothing matches; [`Error::InvalidInput`] when several
    /// documents have that title.
    pub fn find_document(&self, id_or_title: &str) -> Result<Document> {
        if let Ok(id) = id_or_title.parse::<DocumentId>()
            && let Some(d) = self.document(id)?
        {
            return Ok(d);
        }
        let mut found = self.documents_titled(id_or_title)?;
        match found.len() {
            0 => Err(Error::not_found(Entity::Document, id_or_title)),
            1 => Ok(found.remove(0)),
            n => Err(Error::invalid("document", format!("{n} documents are titled {id_or_title:?}; name one by ID"))),
        }
    }

    /// A `not_found` quotation as a quote of someone other than the ledger's
    /// sources, when its speaker (the trace's, else the article's) is one;
    /// `None` when it is a source, nobody named, or nobody at all. `names` is
    /// filled on first use with the names of the ledger's sources (every
    /// document that is not an article).
    fn quote_of_other(
        &self,
        q: &crate::Quotation,
        f: &QuoteFinding,
        said: Option<&Attribution>,
        names: &mut Option<SourceNames>,
    ) -> Result<Option<QuoteOfOther>> {
        let Some(speaker) = q.speaker.clone().or_else(|| said.map(|a| a.speaker.clone())) else {
            return Ok(None);
        };
        if names.is_none() {
            let docs: Vec<Document> =
                self.documents()?.into_iter().filter(|d| d.kind != crate::DocumentKind::Article).collect();
            let all = docs.iter().flat_map(|d| {
                std::iter::once(d.title.as_str())
                    .chain(d.creators.iter().map(String::as_str))
                    .chain(d.publisher.as_deref())
            });
            *names = Some(SourceNames::new(all));
        }
        let kind = names.as_ref().map_or(SpeakerKind::Other, |n| n.classify(&speaker));
        Ok((kind == SpeakerKind::Other).then(|| QuoteOfOther {
            id: q.id,
            text: f.text.clone(),
            statement: f.statement.clone(),
            speaker,
            cue: said.map(|a| a.cue.clone()),
        }))
    }

    fn audit_revision(&self, doc: &Document, rev: &Revision) -> Result<Audit> {
        let cp = rev.char_index();
        let claims = self.claims(rev.id)?;
        let citations = self.citations_of_revision(rev.id)?;
        let quotations = self.quotations_of_revision(rev.id)?;
        let parts = self.claim_parts_of_revision(rev.id)?;
        let verdicts = self.verdicts_of_revision(rev.id)?;
        let mut by_claim: HashMap<ClaimId, Vec<&Citation>> = HashMap::new();
        for c in &citations {
            by_claim.entry(c.claim).or_default().push(c);
        }
        let mut parts_of: HashMap<ClaimId, Vec<&ClaimPart>> = HashMap::new();
        for p in &parts {
            parts_of.entry(p.claim).or_default().push(p);
        }
        // The latest verdict of each claim.
        let mut verdict_of: HashMap<ClaimId, &Verdict> = HashMap::new();
        for v in &verdicts {
            let e = verdict_of.entry(v.claim).or_insert(v);
            if (v.created_at, v.id) > (e.created_at, e.id) {
                *e = v;
            }
        }
        let span_ref = |start: usize, end: usize| {
            (
                cp.to_char(start).unwrap_or(0),
                cp.to_char(end).unwrap_or(0),
                rev.text.get(start..end).unwrap_or("").to_string(),
            )
        };
        let text_of = |c: &Claim| rev.text.get(c.span.start..c.span.end).unwrap_or("").to_string();
        let sref = |c: &Claim| StatementRef {
            claim: c.id,
            start: cp.to_char(c.span.start).unwrap_or(0),
            end: cp.to_char(c.span.end).unwrap_or(0),
            text: text_of(c),
        };

        let mut ctx = Walk::new(self);
        let mut origin_walk = crate::evidence::OriginWalk::new(self)?;
        let (mut origins, mut single_origin, mut withdrawn) = (vec![], vec![], vec![]);
        let mut falls = 0usize;
        let mut counts = StatementCounts { total: claims.len(), ..Default::default() };
        let (mut uncited, mut not_as_written, mut withheld, mut withheld_only, mut stale) =
            (vec![], vec![], vec![], vec![], vec![]);
        let mut in_paragraph = vec![];
        let (mut findings, mut partly, mut against) = (vec![], vec![], vec![]);
        let (mut follows, mut review, mut released) = (crate::reanchor::Follows::default(), vec![], vec![]);
        let (mut need_chars, mut cited_chars, mut need) = (0usize, 0usize, 0usize);
        for claim in &claims {
            let chars = sref(claim);
            let cites = by_claim.get(&claim.id).map(Vec::as_slice).unwrap_or(&[]);
            let own_parts = parts_of.get(&claim.id).map(Vec::as_slice).unwrap_or(&[]);
            // The one state, from the parts (one implicit part when undivided).
            let (derived, evidence) = Derived::of_claim(claim.exemption.is_some(), cites, own_parts);
            let part_findings: Vec<PartFinding> = own_parts
                .iter()
                .zip(&evidence)
                .map(|(p, e)| {
                    let (start, end, text) = span_ref(p.span.start, p.span.end);
                    PartFinding { start, end, text, state: e.derived().state, note: p.note.clone() }
                })
                .collect();
            let verdict = verdict_of.get(&claim.id).map(|v| v.alternate_name.clone());
            let mut finding = ClaimFinding {
                claim: claim.id,
                start: chars.start,
                end: chars.end,
                text: chars.text.clone(),
                state: derived.state,
                partly_supported: derived.partly_supported,
                parts: part_findings,
                withheld: false,
                verdict: verdict.clone(),
            };
            if let Some(v) = verdict_of.get(&claim.id)
                && let Some(rated_true) = rated_true(v)
            {
                let disagrees = match derived.state {
                    StatementState::PartlySupported | StatementState::Contradicted => rated_true,
                    StatementState::Supported => !rated_true,
                    _ => false,
                };
                if disagrees {
                    against.push(VerdictAgainstEvidence {
                        statement: chars.clone(),
                        verdict: v.alternate_name.clone(),
                        state: derived.state,
                    });
                }
            }
            if let Some(e) = &claim.exemption {
                counts.exempt += 1;
                *counts.exempt_by_reason.entry(e.reason.code().to_string()).or_default() += 1;
                findings.push(finding);
                continue;
            }
            need += 1;
            need_chars += chars.end - chars.start;
            if derived.state == StatementState::Uncited {
                counts.uncited += 1;
                uncited.push(chars);
                findings.push(finding);
                continue;
            }
            cited_chars += chars.end - chars.start;
            let mut notes: Vec<String> = Vec::new();
            for n in
                cites.iter().filter_map(|c| c.note.as_ref()).chain(own_parts.iter().filter_map(|p| p.note.as_ref()))
            {
                if !notes.contains(n) {
                    notes.push(n.clone());
                }
            }
            match derived.state {
                StatementState::Supported => counts.supported += 1,
                StatementState::PartlySupported => {
                    counts.partly_supported += 1;
                    let unbacked =
                        finding.parts.iter().filter(|p| p.state != StatementState::Supported).cloned().collect();
                    partly.push(PartlySupported { statement: chars.clone(), unbacked, notes });
                }
                state => {
                    // A contradiction outranks support: a statement contradicted
                    // even in part is not backed as written.
                    let relation = if state == StatementState::Contradicted {
                        counts.contradicted += 1;
                        Relation::Contradicts
                    } else {
                        counts.context_only += 1;
                        Relation::Context
                    };
                    not_as_written.push(NotAsWritten {
                        statement: chars.clone(),
                        relation,
                        partly_supported: derived.partly_supported,
                        notes,
                    });
                }
            }
            if cites.iter().any(|c| c.relation.is_supporting()) {
                let evidence = origin_walk.statement(cites)?;
                let standing = evidence.standing_origins();
                if standing == 1
                    && derived.state == StatementState::Supported
                    && let Some(o) = evidence.origins.iter().find(|o| !o.withdrawn)
                {
                    single_origin.push(SingleOrigin {
                        statement: chars.clone(),
                        origin: o.origin.clone(),
                        withheld: evidence.withheld,
                    });
                }
                let e = StatementEvidence { statement: chars.clone(), evidence };
                if matches!(e.evidence.standing, Standing::Falls | Standing::Thins) {
                    if e.evidence.standing == Standing::Falls && derived.state == StatementState::Supported {
                        falls += 1;
                    }
                    withdrawn.push(e.clone());
                }
                origins.push(e);
            }
            let mut all_withheld = true;
            let mut any_evidence = false;
            for c in cites {
                let passage = ctx.passage(c.passage)?;
                let (title, seq, latest_seq) = {
                    let s = ctx.source_of(&passage)?;
                    (s.title.clone(), s.seq, s.latest_seq)
                };
                let follow = follows.passage(self, &passage)?;
                if let Some(f) = &follow
                    && matches!(f.state, AnchorState::Changed | AnchorState::Orphaned)
                {
                    review.push(ReviewCitation {
                        claim: claim.id,
                        statement: chars.text.clone(),
                        relation: c.relation,
                        source: title.clone(),
                        state: f.state,
                        from_revision: f.from_seq,
                        to_revision: f.to_seq,
                        differences: f.differences.clone(),
                        reason: f.reason.clone(),
                    });
                }
                for (label, words, revision) in follows.released(self, &passage)? {
                    released.push(ReleasedEvidence {
                        claim: claim.id,
                        statement: chars.text.clone(),
                        relation: c.relation,
                        source: title.clone(),
                        label,
                        released_text: words,
                        revision,
                    });
                }
                // A citation carried to a later revision is superseded by its copy
                // there, which this loop meets too.
                if follow.is_some_and(|f| f.new_passage.is_some()) {
                    continue;
                }
                if latest_seq != seq {
                    stale.push(StaleCitation {
                        statement: chars.text.clone(),
                        source: title.clone(),
                        cited_revision: seq,
                        latest_revision: latest_seq,
                    });
                }
                let (reds, ends) = ctx.withheld(&passage)?;
                if c.relation.is_supporting() || c.relation == Relation::Context {
                    any_evidence = true;
                    all_withheld &= ends;
                }
                let nearby = ctx.withheld_in_paragraph(&passage)?;
                if !nearby.is_empty() {
                    in_paragraph.push(WithheldEvidence {
                        claim: claim.id,
                        statement: chars.text.clone(),
                        relation: c.relation,
                        source: title.clone(),
                        page: passage.page,
                        redactions: nearby,
                        ends_in_redaction: false,
                    });
                }
                if !reds.is_empty() {
                    finding.withheld = true;
                    withheld.push(WithheldEvidence {
                        claim: claim.id,
                        statement: chars.text.clone(),
                        relation: c.relation,
                        source: title,
                        page: passage.page,
                        redactions: reds,
                        ends_in_redaction: ends,
                    });
                }
            }
            if any_evidence && all_withheld {
                withheld_only.push(chars);
            }
            findings.push(finding);
        }

        let mut qs = QuoteSummary { total: quotations.len(), ..Default::default() };
        let claim_text: HashMap<ClaimId, String> = claims.iter().map(|c| (c.id, text_of(c))).collect();
        // The article's quotations and to whom it attributes them (one pass over
        // its text, no storage: the quotations stored were found the same way).
        let analysis = crate::text::quotes::analyze(&rev.text)?;
        let said: HashMap<(usize, usize), Attribution> = analysis
            .quotations
            .iter()
            .zip(attribution::attributions(&rev.text, &analysis))
            .filter_map(|(q, a)| Some(((q.start, q.end), a?)))
            .collect();
        let mut source_names: Option<SourceNames> = None;
        for q in &quotations {
            *qs.by_status.entry(q.check.status.code().to_string()).or_default() += 1;
            let mut candidates = Vec::new();
            for c in &q.check.candidates {
                let title = ctx.revision_title(c.span.revision)?;
                let at =
                    self.revision(c.span.revision)?.and_then(|r| r.char_index().to_char(c.span.start)).unwrap_or(0);
                candidates.push(format!("{title} @{at}"));
            }
            let f = QuoteFinding {
                text: rev.text.get(q.span.start..q.span.end).unwrap_or("").to_string(),
                statement: claim_text.get(&q.claim).cloned().unwrap_or_default(),
                status: q.check.status,
                location: q.check.location,
                differences: q.check.differences.clone(),
                candidates,
                acknowledged: q.acknowledged.clone(),
            };
            if q.check.status == QuoteStatus::Altered {
                qs.altered.push(f.clone());
            }
            if q.check.location == QuoteLocation::Ambiguous {
                qs.to_pin.push(f);
            } else if q.check.status == QuoteStatus::NotFound
                && let Some(other) =
                    self.quote_of_other(q, &f, said.get(&(q.span.start, q.span.end)), &mut source_names)?
            {
                qs.attributed_elsewhere.push(other);
            } else if matches!(q.check.status, QuoteStatus::NotFound | QuoteStatus::TooLarge | QuoteStatus::Unchecked) {
                qs.unanchored.push(f);
            }
        }
        // The article's marks that do not balance, on their statements.
        for w in analysis.warnings {
            let statement =
                claims.iter().find(|c| c.span.start <= w.mark && w.mark < c.span.end).map(text_of).unwrap_or_default();
            qs.unbalanced.push(UnbalancedMark {
                kind: w.kind.code(),
                mark: cp.to_char(w.mark).unwrap_or(0),
                assumed: rev.text.get(w.extent.clone()).unwrap_or("").to_string(),
                statement,
                message: w.message(&rev.text),
            });
        }
        // The figures come from the SQL aggregate (what `Ledger::coverage` reports);
        // the walk above classified the same claims the same way for its lists.
        let figures = self.coverage_of_revision(rev.id)?;
        debug_assert_eq!(
            (
                counts.total,
                counts.exempt,
                counts.uncited,
                counts.supported,
                counts.context_only,
                counts.contradicted,
                counts.partly_supported
            ),
            (
                figures.total,
                figures.exempt,
                figures.uncited,
                figures.supported,
                figures.context_only,
                figures.contradicted,
                figures.partly_supported
            )
        );
        let counts = StatementCounts {
            total: figures.total,
            exempt: figures.exempt,
            exempt_by_reason: counts.exempt_by_reason,
            uncited: figures.uncited,
            supported: figures.supported,
            context_only: figures.context_only,
            contradicted: figures.contradicted,
            partly_supported: figures.partly_supported,
        };
        let frac = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let coverage = Coverage {
            statements: frac(need - counts.uncited, need),
            characters: frac(cited_chars, need_chars),
            supported: frac(counts.supported, need),
            partly_supported: frac(counts.partly_supported, need),
            standing: frac(counts.supported.saturating_sub(falls), need),
        };
        debug_assert!(falls == 0 || origin_walk.any_withdrawn());
        Ok(Audit {
            document: DocumentRef { id: doc.id, title: doc.title.clone() },
            revision: rev.id,
            statements: counts,
            uncited,
            not_as_written,
            partly_supported: partly,
            verdicts_against_evidence: against,
            quotations: qs,
            withheld,
            withheld_only,
            withheld_in_paragraph: in_paragraph,
            stale,
            review,
            released,
            coverage,
            claims: findings,
            origins,
            single_origin,
            withdrawn,
        })
    }
}

/// Per-audit caches: source revisions, their passages, redactions and derivations.
struct Walk<'a> {
    ledger: &'a Ledger,
    passages: HashMap<PassageId, Passage>,
    sources: HashMap<RevisionId, SourceInfo>,
}

struct SourceInfo {
    title: String,
    seq: u32,
    latest_seq: u32,
    redactions: Vec<Redaction>,
    /// Passages of the revision that derive from others, by start.
    deriving: Vec<Passage>,
    /// The revision's text, read when a reach needs it.
    text: Option<std::sync::Arc<str>>,
}

impl<'a> Walk<'a> {
    fn new(ledger: &'a Ledger) -> Walk<'a> {
        Walk { ledger, passages: HashMap::new(), sources: HashMap::new() }
    }

    fn passage(&mut self, id: PassageId) -> Result<Passage> {
        if let Some(p) = self.passages.get(&id) {
            return Ok(p.clone());
        }
        let p = self.ledger.passage(id)?.ok_or_else(|| Error::not_found(Entity::Passage, id))?;
        self.passages.insert(id, p.clone());
        Ok(p)
    }

    fn revision_title(&mut self, rev: RevisionId) -> Result<String> {
        self.load(rev)?;
        Ok(self.sources[&rev].title.clone())
    }

    fn load(&mut self, rev: RevisionId) -> Result<()> {
        if self.sources.contains_key(&rev) {
            return Ok(());
        }
        let r = self.ledger.revision(rev)?.ok_or_else(|| Error::not_found(Entity::Revision, rev))?;
        let doc = self.ledger.document(r.document)?.ok_or_else(|| Error::not_found(Entity::Document, r.document))?;
        let latest = self.ledger.latest_revision(r.document)?.map(|l| l.seq).unwrap_or(r.seq);
        let redactions = self.ledger.redactions(rev)?;
        let deriving = self.ledger.deriving_passages(rev)?;
        for p in &deriving {
            self.passages.insert(p.id, p.clone());
        }
        self.sources.insert(
            rev,
            SourceInfo { title: doc.title, seq: r.seq, latest_seq: latest, redactions, deriving, text: None },
        );
        Ok(())
    }

    fn source_of(&mut self, p: &Passage) -> Result<&SourceInfo> {
        self.load(p.span.revision)?;
        Ok(&self.sources[&p.span.revision])
    }

    /// The text of a loaded source revision (read once).
    fn text(&mut self, rev: RevisionId) -> Result<std::sync::Arc<str>> {
        self.load(rev)?;
        if let Some(t) = self.sources.get(&rev).and_then(|s| s.text.clone()) {
            return Ok(t);
        }
        let r = self.ledger.revision(rev)?.ok_or_else(|| Error::not_found(Entity::Revision, rev))?;
        let t = r.text.clone();
        if let Some(s) = self.sources.get_mut(&rev) {
            s.text = Some(t.clone());
        }
        Ok(t)
    }

    /// Redactions of the revision overlapping `range`, as reached `via`, with
    /// their spans.
    fn redactions_in(
        &self,
        rev: RevisionId,
        range: std::ops::Range<usize>,
        via: &str,
    ) -> Vec<(std::ops::Range<usize>, WithheldRedaction)> {
        let Some(info) = self.sources.get(&rev) else { return Vec::new() };
        info.redactions
            .iter()
            .filter(|r| r.span.start < range.end && r.span.end > range.start)
            .map(|r| {
                (
                    r.span.start..r.span.end,
                    WithheldRedaction {
                        label: r.label.clone(),
                        code: r.reason.as_ref().map(|x| x.code.clone()),
                        via: via.to_string(),
                    },
                )
            })
            .collect()
    }

    /// Redactions in the paragraph of the passage that its own reach does not
    /// hold: neither in nor touching the passage, nor in its section.
    fn withheld_in_paragraph(&mut self, p: &Passage) -> Result<Vec<WithheldRedaction>> {
        self.load(p.span.revision)?;
        if self.sources[&p.span.revision].redactions.is_empty() {
            return Ok(Vec::new());
        }
        let text = self.text(p.span.revision)?;
        let para = crate::text::sections::paragraph_of(&text, p.span.start);
        let section = crate::text::sections::heading_at(&text, p.span.start..p.span.end)
            .map(|h| crate::text::sections::section_of(&text, &h));
        let mut out: Vec<WithheldRedaction> = self
            .redactions_in(p.span.revision, para, "paragraph")
            .into_iter()
            .filter(|(r, _)| r.end < p.span.start || r.start > p.span.end)
            .filter(|(r, _)| section.as_ref().is_none_or(|s| r.end <= s.start || r.start >= s.end))
            .map(|(_, w)| w)
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Redactions in or touching the passage, in the section it opens when it
    /// is a heading, and at the end of its derivation chains; and whether a
    /// passage of the chain is nothing but redaction labels.
    fn withheld(&mut self, start: &Passage) -> Result<(Vec<WithheldRedaction>, bool)> {
        let mut out = Vec::new();
        let mut ends = false;
        let mut seen = HashSet::new();
        let first = start.footnote.map(|n| format!("footnote {n}")).unwrap_or_else(|| "passage".to_string());
        let mut queue = VecDeque::from([(start.clone(), first, 0u32)]);
        while let Some((p, via, depth)) = queue.pop_front() {
            if !seen.insert(p.id) || depth > 8 {
                continue;
            }
            self.load(p.span.revision)?;
            let info = &self.sources[&p.span.revision];
            let mut inside = Vec::new();
            for r in &info.redactions {
                if r.span.start <= p.span.end && r.span.end >= p.span.start {
                    out.push(WithheldRedaction {
                        label: r.label.clone(),
                        code: r.reason.as_ref().map(|x| x.code.clone()),
                        via: via.clone(),
                    });
                    inside
                        .push(r.span.start.max(p.span.start) - p.span.start..r.span.end.min(p.span.end) - p.span.start);
                }
            }
            if !inside.is_empty() && says_nothing_else(&p.quote.exact, &inside) {
                ends = true;
            }
            // Follow derivations of passages inside this one (footnote markers) and of itself.
            let inner: Vec<PassageId> = info
                .deriving
                .iter()
                .filter(|d| d.id == p.id || (p.span.start <= d.span.start && d.span.end <= p.span.end))
                .map(|d| d.id)
                .collect();
            for id in inner {
                for d in self.ledger.derivations_from(id)? {
                    let target = self.passage(d.to)?;
                    let via = match (d.kind, target.footnote) {
                        (DerivationKind::Footnote, Some(n)) => format!("footnote {n}"),
                        _ => "derivation".to_string(),
                    };
                    queue.push_back((target, via, depth + 1));
                }
            }
        }
        // A cited heading reaches the section it opens.
        self.load(start.span.revision)?;
        if !self.sources[&start.span.revision].redactions.is_empty() {
            let text = self.text(start.span.revision)?;
            if let Some(h) = crate::text::sections::heading_at(&text, start.span.start..start.span.end) {
                let section = crate::text::sections::section_of(&text, &h);
                out.extend(self.redactions_in(start.span.revision, section, "section").into_iter().map(|(_, w)| w));
            }
        }
        out.sort();
        out.dedup();
        Ok((out, ends))
    }
}

/// True when `text`, without the `labels` ranges and footnote markers, has no
/// letter or digit left: the passage says nothing but that something is withheld.
fn says_nothing_else(text: &str, labels: &[std::ops::Range<usize>]) -> bool {
    let markers = crate::text::footnotes::footnotes(text).markers;
    text.char_indices().all(|(i, c)| {
        !c.is_alphanumeric()
            || labels.iter().any(|r| r.contains(&i))
            || markers.iter().any(|m| (m.start..m.end).contains(&i))
    })
}

/// Whether a verdict rates its claim true (`Some(true)`), false (`Some(false)`),
/// or in between or in words this does not know (`None`): a scale's best or
/// worst value, else the textual rating's usual words.
fn rated_true(v: &Verdict) -> Option<bool> {
    if let Some(r) = &v.rating {
        if r.value == r.best {
            return Some(true);
        }
        if r.value == r.worst {
            return Some(false);
        }
        return None;
    }
    let name = v.alternate_name.trim().trim_end_matches(['.', '!']).to_lowercase();
    match name.as_str() {
        "true" | "correct" | "accurate" | "verified" | "supported" => Some(true),
        "false" | "incorrect" | "inaccurate" | "pants on fire" | "fake" | "wrong" | "refuted" => Some(false),
        _ => None,
    }
}
