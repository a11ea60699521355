//! # claimledger
//!
//! A claims-and-sources ledger in one SQLite file: it records which statements of
//! an article assert something, which passages of which sources back them, what the
//! quotes really say, and what the sources withhold, so that every sentence of a
//! text can be traced to where it came from.
//!
//! ```
//! use claimledger::*;
//! # fn main() -> claimledger::Result<()> {
//! let mut ledger = Ledger::open_in_memory()?;
//!
//! // A source and an article are both documents with immutable revisions.
//! let report = ledger.add_document(NewDocument::new(DocumentKind::Report, "Harbour audit"))?;
//! let src = ledger.add_revision(report.id, NewRevision::new("The pier was repaired in 2021. [Personal Privacy] signed off."))?;
//! let article = ledger.add_document(NewDocument::new(DocumentKind::Article, "Pier fixed"))?;
//! let art = ledger.add_revision(article.id, NewRevision::new("The pier was fixed in 2021. Nobody knows who approved it."))?;
//!
//! // Claims are spans of the article; passages are spans of the source.
//! let claim = ledger.add_claim(NewClaim::new(Span::new(art.id, 0, 27)))?;
//! let passage = ledger.add_passage(NewPassage::new(Span::new(src.id, 0, 30)))?;
//! ledger.add_citation(NewCitation::new(claim.id, passage.id, Relation::Paraphrases))?;
//!
//! // Redactions are spans too, with a reason resolved from the label.
//! let redaction = ledger.add_redaction(NewRedaction { span: Span::new(src.id, 31, 49), label: "Personal Privacy".into(), approx_chars: None })?;
//! assert_eq!(redaction.reason.unwrap().code, "pp");
//!
//! // The second sentence of the article is not a claim yet, the first is cited.
//! assert!(ledger.uncited_claims(art.id)?.is_empty());
//! assert_eq!(passage.quote.exact, "The pier was repaired in 2021.");
//! # Ok(()) }
//! ```
//!
//! ## Layers
//!
//! - [`text`]: the text engine, pure Rust over `&str` (no SQLite);
//! - the storage layer ([`Ledger`], [`Writer`]): one module per aggregate;
//! - composition (source import, tracing, audit, [`formats`]) over both;
//! - the `claimledger` binary, a thin CLI.
//!
//! ## Conventions
//!
//! - Offsets are UTF-8 byte offsets internally and Unicode code points in every
//!   external format; [`CharIndex`] converts exactly.
//! - IDs are UUIDv7 ([`DocumentId`] and kin); enumerations are stored as stable
//!   codes ([`Relation::code`]).
//! - Time: instants are UTC [`time::OffsetDateTime`], stored as Unix milliseconds;
//!   publication dates are [`time::Date`], stored as ISO 8601 `YYYY-MM-DD`.
#![deny(missing_docs)]

pub mod audit;
pub mod batch;
#[cfg(feature = "cli")]
pub mod cli;
mod error;
pub mod evidence;
pub mod formats;
pub mod history;
mod id;
pub mod import;
mod ledger;
mod model;
mod parts;
pub mod quotecheck;
pub mod reanchor;
pub mod report;
mod sources;
pub mod span;
pub mod state;
mod storage;
pub mod suggest;
pub mod taxonomy;
#[cfg(test)]
mod testing;
pub mod text;
pub mod trace;

pub use error::{Entity, Error, Result};

/// The version of the JSON documents claimledger writes for pipelines (the
/// command line's `quotes`, `locate`, `audit`, `suggest`, ..., and each record of
/// `quotes --articles`): every one carries it as `"format"`. Within a format
/// version fields are only ever added; a change of meaning or shape is a new
/// version. Their JSON Schemas (draft 2020-12) are in `schemas/`.
pub const JSON_FORMAT: u32 = 1;
pub use id::{
    CitationId, ClaimId, ClaimPartId, DerivationId, DocumentId, EventId, EvidenceItemId, PassageId, QuotationId,
    RedactionId, RevisionId, VerdictId, WithdrawalId,
};
pub use ledger::{Ledger, Writer};
pub use model::{
    AgentType, AnchorKind, AnchorState, ClaimKind, DerivationKind, DocumentKind, EventKind, EvidenceKind,
    ExemptionReason, PassageKind, QuoteLocation, QuoteStatus, Relation, Signal, Standing, StatementState, Tier,
};
pub use span::{CharIndex, Pages, SharedText, Span};
pub use storage::OpenOptions;
pub use storage::citations::{Citation, Derivation, NewCitation, NewDerivation};
pub use storage::claims::{Claim, Exemption, NewClaim};
pub use storage::coverage::{CoverageCounts, DocumentCoverage};
pub use storage::documents::{ContentHash, Document, NewDocument, NewRevision, Revision};
pub use storage::evidence::{EvidenceItem, Withdrawal, WithdrawalTarget};
pub use storage::parts::{ClaimPart, NewClaimPart};
pub use storage::passages::{NewPassage, Passage, TextPositionSelector, TextQuoteSelector};
pub use storage::quotations::{CandidateSpan, Difference, Edit, NewQuotation, Quotation, QuoteCheck};
pub use storage::redactions::{NewRedaction, Redaction};
pub use storage::supported_version as supported_schema_version;
pub use storage::verdicts::{Agent, NewVerdict, Rating, ReviewDetails, Verdict};
pub use taxonomy::{RedactionReason, Taxonomy};
