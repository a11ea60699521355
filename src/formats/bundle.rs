//! The claimledger bundle: a ledger, or one article's trace, as JSON Lines.
//!
//! A bundle is self-describing and streams both ways. The first line is a header,
//! every other line one record, each line a JSON object ended by `\n`:
//!
//! ```text
//! {"format":"claimledger-bundle","version":1,"scope":"document","document":"0190…","offsets":"…","counts":{…}}
//! {"type":"document","id":"0190…","kind":"report","title":"…",…,"created_at":"2024-05-01T12:34:56.789Z"}
//! {"type":"revision","id":"0190…","document":"0190…","seq":1,"sha256":"…","bytes":1234,"chars":1200,…,"text":"…"}
//! {"type":"claim","id":"0190…","revision":"0190…","start":0,"end":27,"byte_start":0,"byte_end":27,"exact":"…",…}
//! ```
//!
//! Records come in dependency order: documents, revisions, claims, claim
//! parts, passages, redactions, quotations, citations, derivations, verdicts,
//! redaction reasons (the user's own reasons; redactions carry their scheme and
//! code), re-anchorings, anchor moves, withdrawals, events, imported logs' events. Within a kind, documents, revisions, citations, derivations and
//! verdicts are ordered by ID, and claims, claim parts, passages, redactions and
//! quotations by revision ID and then by position. The header's `counts` say
//! how many records of each kind follow.
//!
//! **Claim parts** (`{"type":"claim_part","id":…,"claim":…,"start":…,"end":…,
//! "byte_start":…,"byte_end":…,"exact":…,"note":…,"created_at":…}`, offsets in
//! the claim's revision) come after the claims; a citation that bears on some
//! parts only lists them in `parts` (part IDs, in ID order). Both are left out
//! when there are none (the header's `counts` then has no `claim_parts`), so a
//! ledger without parts exports the bytes it did before parts existed, and a
//! bundle written then imports as it did. A build that predates parts refuses a
//! bundle with them (an unknown record type) rather than drop them.
//!
//! **Re-anchorings** ([`Ledger::reanchor`]) come after the records they name:
//! `{"type":"reanchoring","id","from","to","actor","created_at"}` (the two
//! revisions of one document), then each anchor's landing,
//! `{"type":"anchor_move","reanchoring","kind","anchor","state","start","end",
//! "byte_start","byte_end","passage","score","differences","released_text",
//! "reason"}`: `kind` says what `anchor` names (a passage, redaction or
//! quotation of the old revision), the offsets are the place in the new
//! revision (all four null when orphaned) and `passage` the new revision's
//! passage its citations followed to (those citations are citation records of
//! their own). Moves are ordered by re-anchoring ID, kind and anchor ID. A
//! document's bundle carries the re-anchorings between two of its revisions and
//! those of their moves whose anchor (and followed passage) it holds. Without
//! them a copy would audit every carried citation as stale, lose the released
//! redactions and re-anchor the same revisions again. Both kinds are left out
//! of the header's `counts` when there are none, so bundles without
//! re-anchorings are the bytes they were.
//!
//! **Withdrawals** of evidence (and their undos) come next, in the order they
//! were recorded: `{"type":"withdrawal","id","target":"origin"|"item"|
//! "document"|"undo","origin","item","document","undoes","reason",
//! "created_at"}`, the one field the target names set and the others null.
//! Evidence items are not records of the bundle: the import reads them again
//! from the footnote passages, as an import of the source does, so an item is
//! named by `{"passage","seq","exact"}` (its footnote passage, its place there,
//! its text) and the import refuses the bundle when this build reads that
//! footnote otherwise. A document's bundle carries the withdrawals of an origin,
//! of a document or item it holds, and the undos of those.
//!
//! **What a bundle promises.** Every table the migrations create is either
//! carried as a record kind or rebuilt on import from what is carried (the
//! architecture's invariant). Rebuilt are the passage index, from the
//! revisions' texts (an article's revision indexed on demand,
//! [`Ledger::index_revision`], says so in its record, `"indexed": true`, left
//! out otherwise, and the import indexes it), and the evidence items, read
//! again from the footnote passages by the importing build's parser. So the
//! records, the logs and the audit's figures are the same in a copy; the
//! evidence items are those the importing build reads, and a copy made by a
//! build whose footnote parser differs can list other origins for the same
//! footnotes (a withdrawal names its item by footnote, place and text, and is
//! refused rather than misapplied when that build reads the footnote
//! otherwise). Items are not carried as records: they would then disagree with
//! the footnotes as the copy's build reads them, and every later import of the
//! same source would rebuild them anyway.
//!
//! **Versions.** The format version stays 1: each kind added since (claim
//! parts, events, re-anchorings, withdrawals, imported logs) is refused by a build that does not know it,
//! never dropped. Such a build stops at the header (its `counts` name a kind it
//! does not know: [`Error::Json`] on line 1); a record of an unknown `type` is
//! [`Error::InvalidInput`] naming the line, and a known record with an unknown
//! field is [`Error::Json`]. A bundle that uses none of the new kinds reads the
//! same in every build. The version is bumped only for a change an older
//! reader would misread rather than refuse.
//!
//! **The log** comes last: every event of the exporting ledger's history, in
//! chain order (`{"type":"event","seq","id","what","actor","at","counts",
//! "rows_digest","prev_hash","hash","foreign_head","form","kept"}`; the whole
//! log, whatever the scope, since a chain is only checkable whole; without the
//! events' row lists, which name the exporting ledger's rows). `form` and
//! `kept` are left out for an event of form 1, so such events are the bytes
//! they were; a bundle import written since schema V17 is of form 2, and
//! `kept` lists the imported logs it kept (`{"log","depth","events"}`, which its
//! hash covers: see `storage::events`). An event of a form this build does not
//! know is refused ([`Error::InvalidInput`] naming the line), as is one whose
//! `form` and `kept` disagree; an older build refuses a form-2 event as an
//! unknown field ([`Error::Json`]).
//!
//! **Imported logs** follow it: every log the exporting ledger keeps from its
//! own bundle imports, at every depth (the log of a ledger it imported, the log
//! that ledger had imported, and so on), each whole and in chain order,
//! `{"type":"foreign_event","log",…the fields of an event…}`, where `log` is
//! the head hash of the log the event belongs to. A log comes after the event
//! that imported it (the one whose `foreign_head` is that head): logs are
//! written in the order the ledger kept them. Without them a ledger two hops
//! away would hold an import event whose chain it cannot check. Left out of the
//! header's `counts` when there are none; an older build refuses a bundle with
//! them at the header rather than drop them. The import checks each log as it
//! checks the bundle's own (a log that no event before it imported, an event
//! that does not chain, a log cut before its head: [`Error::InvalidInput`]
//! naming the line and the event, nothing written) and keeps the bundle's own
//! log (depth 1) and every imported log whose head the ledger holds nowhere
//! (depth 2 and more, `foreign_logs`): a log that arrives by two paths is kept
//! once, one that comes back to the ledger that wrote it not at all, so a cycle
//! of bundles duplicates nothing; of a log that continues one the ledger holds
//! (a later bundle of the same ledger) only the events after the held ones are
//! kept. Such a log is written from its first kept event: its `seq` is then
//! above 1 and its `prev_hash` names an event written before it in the bundle. A bundle written before imported logs
//! travelled still imports; `verify` then counts the import events whose log
//! did not travel (`uncarried_logs`) rather than check them.
//!
//! **Offsets**: every span carries code-point offsets (`start`, `end`, end
//! exclusive) as every external format of claimledger does, and UTF-8 byte
//! offsets (`byte_start`, `byte_end`) beside them, with the `exact` text they
//! cover; a quotation's offsets point into its claim's revision. Instants are
//! RFC 3339 UTC with milliseconds; dates `YYYY-MM-DD`. Quotation `candidates`
//! are kept as the ledger stores them (byte spans).
//!
//! **Import** reads line by line (at most one line, so one revision's text, in
//! memory) and writes in one transaction. It keeps IDs and creation instants,
//! so export, import into an empty ledger and export again give the same bytes
//! for every record; the log that follows is the importing ledger's own (see
//! below). The bundle's events must form an unbroken hash chain (each hash
//! recomputed, each `prev_hash` the previous event's hash), else the bundle is
//! refused naming the line. The import appends one `bundle_import` event to the
//! ledger's own log, for the rows it wrote, holding the head hash of the
//! bundle's chain in its canonical form, and keeps the bundle's events with it
//! (`foreign_events`): the local chain covers the foreign one, and
//! [`Ledger::verify`] checks both.
//! Into a ledger that holds part of the bundle it merges: a record whose ID is
//! there already is reused when its content is the same; a revision with the
//! same document and SHA-256 under another ID, and a claim, passage, redaction,
//! quotation, citation or derivation on the same span (or the same ends and
//! relation) under another ID, is mapped to the one in the ledger, and so is a
//! re-anchoring of the same two revisions under another ID; its moves are then
//! compared anchor by anchor (a move the ledger's re-anchoring lacks is added,
//! one it holds otherwise is an [`Error::Conflict`]). A record with
//! an ID (or span) the ledger holds with other content is an
//! [`Error::Conflict`]. A bundle that is malformed, truncated, out of order, or
//! whose hashes, lengths, offsets or selectors do not match its texts is refused
//! with [`Error::InvalidInput`] or [`Error::Json`] naming the line, and nothing
//! is written.

use super::{Records, Scope, Texts, instant_text, parse_instant};
use crate::storage::events::{self, KeptLog, StoredEvent};
use crate::storage::evidence;
use crate::storage::reanchors::{self, MoveRow};
use crate::storage::{citations, claims, documents, parts, passages, quotations, redactions, verdicts};
use crate::taxonomy::RedactionReason;
use crate::{
    Agent, AgentType, AnchorKind, AnchorState, CandidateSpan, Citation, CitationId, Claim, ClaimId, ClaimKind,
    ClaimPart, ClaimPartId, ContentHash, Derivation, DerivationId, DerivationKind, Difference, Document, DocumentId,
    DocumentKind, Edit, Entity, Error, EventId, EventKind, Exemption, Ledger, NewCitation, NewClaim, NewClaimPart,
    NewDerivation, NewDocument, NewPassage, NewQuotation, NewRedaction, NewRevision, NewVerdict, Passage, PassageId,
    PassageKind, Quotation, QuotationId, QuoteCheck, QuoteLocation, QuoteStatus, Rating, Redaction, RedactionId,
    Relation, Result, ReviewDetails, Revision, RevisionId, Span, Tier, Verdict, VerdictId, Withdrawal, WithdrawalId,
    WithdrawalTarget, Writer,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read, Write};

/// The `format` of a bundle header.
pub const FORMAT: &str = "claimledger-bundle";
/// The bundle version this build writes and reads.
pub const VERSION: u32 = 1;
/// The longest line accepted (2 GiB: a revision of the largest text the ledger
/// takes, with room for JSON escapes).
pub const MAX_LINE: u64 = 2 << 30;
const OFFSETS: &str = "start/end: Unicode code points, end exclusive; byte_start/byte_end: UTF-8 bytes";

/// How many records of each kind: a bundle header's `counts`, an export's
/// result, and the halves of a [`BundleImport`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleCounts {
    /// Documents.
    pub documents: u64,
    /// Revisions.
    pub revisions: u64,
    /// Claims.
    pub claims: u64,
    /// Claim parts (absent from bundles without any, so older bundles read
    /// the same and a ledger without parts exports the bytes it did before).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub claim_parts: u64,
    /// Passages.
    pub passages: u64,
    /// Redactions.
    pub redactions: u64,
    /// Quotations.
    pub quotations: u64,
    /// Citations.
    pub citations: u64,
    /// Derivations.
    pub derivations: u64,
    /// Verdicts.
    pub verdicts: u64,
    /// Redaction reasons of the user's own schemes.
    pub redaction_reasons: u64,
    /// Re-anchorings (absent from bundles without any, so a ledger without
    /// them exports the bytes it did before they were carried).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reanchorings: u64,
    /// Anchor moves of those re-anchorings (absent when there are none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub anchor_moves: u64,
    /// Withdrawals of evidence and their undos (absent when there are none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub withdrawals: u64,
    /// Events of the exporting ledger's history (absent from bundles written
    /// before the history: 0).
    #[serde(default)]
    pub events: u64,
    /// Events of the logs the exporting ledger imported, at any depth (absent
    /// when there are none, so bundles of ledgers that imported nothing are the
    /// bytes they were).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub foreign_events: u64,
}

impl BundleCounts {
    /// The total.
    pub fn total(&self) -> u64 {
        self.documents
            + self.revisions
            + self.claims
            + self.claim_parts
            + self.passages
            + self.redactions
            + self.quotations
            + self.citations
            + self.derivations
            + self.verdicts
            + self.redaction_reasons
            + self.reanchorings
            + self.anchor_moves
            + self.withdrawals
            + self.events
            + self.foreign_events
    }

    fn slot(&mut self, kind: Kind) -> &mut u64 {
        match kind {
            Kind::Document => &mut self.documents,
            Kind::Revision => &mut self.revisions,
            Kind::Claim => &mut self.claims,
            Kind::ClaimPart => &mut self.claim_parts,
            Kind::Passage => &mut self.passages,
            Kind::Redaction => &mut self.redactions,
            Kind::Quotation => &mut self.quotations,
            Kind::Citation => &mut self.citations,
            Kind::Derivation => &mut self.derivations,
            Kind::Verdict => &mut self.verdicts,
            Kind::RedactionReason => &mut self.redaction_reasons,
            Kind::Reanchoring => &mut self.reanchorings,
            Kind::AnchorMove => &mut self.anchor_moves,
            Kind::Withdrawal => &mut self.withdrawals,
            Kind::Event => &mut self.events,
            Kind::ForeignEvent => &mut self.foreign_events,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What [`Ledger::import_bundle`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BundleImport {
    /// Records written.
    pub new: BundleCounts,
    /// Records the ledger held already (same ID, or same content under another ID).
    pub merged: BundleCounts,
}

/// The header line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
    /// `ledger` or `document`.
    scope: String,
    #[serde(default)]
    document: Option<DocumentId>,
    offsets: String,
    counts: BundleCounts,
}

/// Record kinds, in dependency order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Document,
    Revision,
    Claim,
    ClaimPart,
    Passage,
    Redaction,
    Quotation,
    Citation,
    Derivation,
    Verdict,
    RedactionReason,
    Reanchoring,
    AnchorMove,
    Withdrawal,
    Event,
    ForeignEvent,
}

impl Kind {
    fn from_code(s: &str) -> Option<Kind> {
        Some(match s {
            "document" => Kind::Document,
            "revision" => Kind::Revision,
            "claim" => Kind::Claim,
            "claim_part" => Kind::ClaimPart,
            "passage" => Kind::Passage,
            "redaction" => Kind::Redaction,
            "quotation" => Kind::Quotation,
            "citation" => Kind::Citation,
            "derivation" => Kind::Derivation,
            "verdict" => Kind::Verdict,
            "redaction_reason" => Kind::RedactionReason,
            "reanchoring" => Kind::Reanchoring,
            "anchor_move" => Kind::AnchorMove,
            "withdrawal" => Kind::Withdrawal,
            "event" => Kind::Event,
            "foreign_event" => Kind::ForeignEvent,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Revision => "revision",
            Kind::Claim => "claim",
            Kind::ClaimPart => "claim_part",
            Kind::Passage => "passage",
            Kind::Redaction => "redaction",
            Kind::Quotation => "quotation",
            Kind::Citation => "citation",
            Kind::Derivation => "derivation",
            Kind::Verdict => "verdict",
            Kind::RedactionReason => "redaction_reason",
            Kind::Reanchoring => "reanchoring",
            Kind::AnchorMove => "anchor_move",
            Kind::Withdrawal => "withdrawal",
            Kind::Event => "event",
            Kind::ForeignEvent => "foreign_event",
        }
    }

    fn entity(self) -> Entity {
        match self {
            Kind::Document => Entity::Document,
            Kind::Revision => Entity::Revision,
            Kind::Claim => Entity::Claim,
            Kind::ClaimPart => Entity::ClaimPart,
            Kind::Passage => Entity::Passage,
            Kind::Redaction => Entity::Redaction,
            Kind::Quotation => Entity::Quotation,
            Kind::Citation => Entity::Citation,
            Kind::Derivation => Entity::Derivation,
            Kind::Verdict => Entity::Verdict,
            Kind::RedactionReason => Entity::RedactionReason,
            // A re-anchoring is a fact about two revisions.
            Kind::Reanchoring | Kind::AnchorMove => Entity::Revision,
            Kind::Withdrawal => Entity::Withdrawal,
            Kind::Event | Kind::ForeignEvent => Entity::Event,
        }
    }
}

// ---- records --------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: DocumentId,
    kind: DocumentKind,
    title: String,
    creators: Vec<String>,
    publisher: Option<String>,
    published: Option<String>,
    identifier: Option<String>,
    metadata: serde_json::Map<String, serde_json::Value>,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionRec<'a> {
    #[serde(rename = "type")]
    kind_tag: String,
    id: RevisionId,
    document: DocumentId,
    seq: u32,
    sha256: ContentHash,
    bytes: u64,
    chars: u64,
    page_labels: Option<Vec<String>>,
    created_at: String,
    /// An article's revision indexed for suggestions on demand
    /// ([`Ledger::index_revision`]); absent otherwise (a source's revisions are
    /// always indexed), so bundles without such a revision are the bytes they were.
    #[serde(default, skip_serializing_if = "is_false")]
    indexed: bool,
    text: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: ClaimId,
    revision: RevisionId,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    exact: String,
    kind: ClaimKind,
    exemption: Option<Exemption>,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimPartRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: ClaimPartId,
    claim: ClaimId,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    exact: String,
    note: Option<String>,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PassageRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: PassageId,
    revision: RevisionId,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    exact: String,
    prefix: String,
    suffix: String,
    kind: PassageKind,
    footnote: Option<u32>,
    page: Option<u32>,
    created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonRef {
    scheme: String,
    code: String,
    label: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactionRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: RedactionId,
    revision: RevisionId,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    exact: String,
    label: String,
    reason: Option<ReasonRef>,
    approx_chars: Option<u32>,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotationRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: QuotationId,
    claim: ClaimId,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    exact: String,
    passage: Option<PassageId>,
    speaker: Option<String>,
    /// A verdict code; `ambiguous` in bundles written before schema V4 (read as
    /// `unchecked` with location `ambiguous`).
    status: String,
    /// Absent in bundles written before schema V4: the status implies it.
    #[serde(default)]
    location: Option<QuoteLocation>,
    tier: Option<Tier>,
    score: Option<f64>,
    candidate_count: u32,
    differences: Vec<Difference>,
    edits: Vec<Edit>,
    candidates: Vec<CandidateSpan>,
    acknowledged: Option<String>,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CitationRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: CitationId,
    claim: ClaimId,
    passage: PassageId,
    relation: Relation,
    note: Option<String>,
    recorded_by: Option<String>,
    created_at: String,
    /// The claim parts it bears on (absent when it bears on the whole claim,
    /// and in bundles written before parts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parts: Vec<ClaimPartId>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DerivationRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: DerivationId,
    from: PassageId,
    to: PassageId,
    kind: DerivationKind,
    note: Option<String>,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerdictRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: VerdictId,
    claim: ClaimId,
    rating: Option<Rating>,
    alternate_name: String,
    author: Option<String>,
    date_published: Option<String>,
    url: Option<String>,
    note: Option<String>,
    created_at: String,
    // Schema V7 (absent from older bundles, and left out when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author_type: Option<AgentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claim_author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claim_author_type: Option<AgentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claim_author_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claim_date: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonRec {
    #[serde(rename = "type")]
    kind_tag: String,
    scheme: String,
    code: String,
    label: String,
    aliases: Vec<String>,
}

/// A re-anchoring: revision `from` carried to revision `to` of one document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReanchoringRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: uuid::Uuid,
    from: RevisionId,
    to: RevisionId,
    actor: Option<String>,
    created_at: String,
}

/// Where one anchor of a re-anchoring's old revision landed in the new one.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnchorMoveRec {
    #[serde(rename = "type")]
    kind_tag: String,
    reanchoring: uuid::Uuid,
    /// Passage, redaction or quotation: what `anchor` names.
    kind: AnchorKind,
    anchor: uuid::Uuid,
    state: AnchorState,
    /// The place in the new revision: all four, or none (orphaned).
    start: Option<usize>,
    end: Option<usize>,
    byte_start: Option<usize>,
    byte_end: Option<usize>,
    /// The passage of the new revision its citations followed to.
    passage: Option<PassageId>,
    score: Option<f64>,
    differences: Vec<Difference>,
    released_text: Option<String>,
    reason: Option<String>,
}

/// A withdrawal of evidence, or the undo of one. An item is named by its
/// footnote passage and its place there (items are read again from the
/// passages on import), with its text to check that it reads the same.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawalRec {
    #[serde(rename = "type")]
    kind_tag: String,
    id: WithdrawalId,
    /// `origin`, `item`, `document` or `undo`: which of the fields below is set.
    target: String,
    origin: Option<String>,
    item: Option<ItemRef>,
    document: Option<DocumentId>,
    undoes: Option<WithdrawalId>,
    reason: String,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemRef {
    passage: PassageId,
    seq: u32,
    exact: String,
}

/// An event of a log: of the exporting ledger's own (`event`), or of a log it
/// imported, at any depth (`foreign_event`, which adds `log`, the head hash of
/// the log it belongs to, right after `type`). One record for both kinds, so
/// their fields cannot drift apart; `log` is left out of an `event` (and
/// refused on one), required on a `foreign_event`. (One struct rather than a
/// flattened one: `serde(flatten)` does not work with `deny_unknown_fields`.)
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRec {
    #[serde(rename = "type")]
    kind_tag: String,
    /// A `foreign_event`: the head hash of its log, the `foreign_head` of the
    /// event that imported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log: Option<ContentHash>,
    seq: i64,
    id: EventId,
    /// Kept as written: a newer build's kinds are part of its chain.
    what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
    at: String,
    counts: std::collections::BTreeMap<String, u64>,
    rows_digest: ContentHash,
    prev_hash: ContentHash,
    hash: ContentHash,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    foreign_head: Option<ContentHash>,
    /// The version of its canonical form, absent for form 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    form: Option<i64>,
    /// Form 2 (a bundle import): the imported logs it kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kept: Option<Vec<KeptLog>>,
}

impl EventRec {
    /// The record of a stored event: an `event`, or with `log` a `foreign_event`.
    fn of(e: &StoredEvent, log: Option<[u8; 32]>) -> Result<EventRec> {
        Ok(EventRec {
            kind_tag: tag(if log.is_some() { Kind::ForeignEvent } else { Kind::Event }),
            log: log.map(ContentHash),
            seq: e.seq,
            id: EventId::from_uuid(e.body.uuid),
            what: e.body.what.clone(),
            actor: e.body.actor.clone(),
            at: instant_text(crate::storage::from_millis(e.body.created_at)),
            counts: crate::storage::from_json("event counts", &e.body.counts)?,
            rows_digest: ContentHash(e.body.rows_digest),
            prev_hash: ContentHash(events::hash32(&e.prev_hash)),
            hash: ContentHash(events::hash32(&e.hash)),
            foreign_head: e.body.foreign_head.map(ContentHash),
            form: form_field(&e.body),
            kept: kept_field(&e.body)?,
        })
    }

    /// The fields its hash covers, checked (`name` names it in errors): a
    /// `what`, an instant, and a known form.
    fn body(&mut self, at: &str, name: &str) -> Result<events::EventBody> {
        if self.what.trim().is_empty() {
            return Err(Error::invalid(at, format!("{name}: no `what`")));
        }
        let (form, kept) = read_form(&format!("{at}: {name}"), self.form, self.kept.take())?;
        Ok(events::EventBody {
            uuid: self.id.uuid(),
            what: std::mem::take(&mut self.what),
            actor: self.actor.take(),
            created_at: parse_instant(&format!("{at}: at"), &self.at)?,
            counts: crate::storage::to_json("event counts", &self.counts)?,
            rows_digest: self.rows_digest.0,
            foreign_head: self.foreign_head.map(|h| h.0),
            form,
            kept,
        })
    }
}

/// An event's `form` as a bundle writes it: left out for form 1, so that
/// every event written before form 2 existed travels as the bytes it did.
fn form_field(b: &events::EventBody) -> Option<i64> {
    (b.form != events::FORM_1).then_some(b.form)
}

/// An event's `kept` as a bundle writes it (form 2 only).
fn kept_field(b: &events::EventBody) -> Result<Option<Vec<KeptLog>>> {
    b.kept.as_deref().map(|k| crate::storage::from_json("kept logs", k)).transpose()
}

/// The form and `kept` of an event read from a bundle, checked: form 1 (the
/// field left out) holds no `kept`, form 2 holds it, and no other form is
/// known to this build. `kept` is stored as the JSON its hash covers.
fn read_form(name: &str, form: Option<i64>, kept: Option<Vec<KeptLog>>) -> Result<(i64, Option<String>)> {
    match (form, kept) {
        (None, None) => Ok((events::FORM_1, None)),
        (Some(events::FORM_2), Some(k)) => Ok((events::FORM_2, Some(crate::storage::to_json("kept logs", &k)?))),
        (None | Some(events::FORM_1), Some(_)) => {
            Err(Error::invalid(name, "`kept` on an event of form 1 (it belongs to form 2)"))
        }
        (Some(events::FORM_2), None) => Err(Error::invalid(name, "an event of form 2 without `kept`")),
        (Some(f), _) => Err(Error::invalid(
            name,
            format!("event form {f}: this build knows forms 1 (left out) and 2: written by a newer build?"),
        )),
    }
}

/// Just the `type` of a record line.
#[derive(Deserialize)]
struct Tag<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
}

fn tag(kind: Kind) -> String {
    kind.code().to_string()
}

// ---- export ---------------------------------------------------------------

struct Out<'w, W: Write> {
    out: &'w mut W,
    texts: Texts,
    /// The article revisions indexed on demand.
    indexed: HashSet<RevisionId>,
}

impl<W: Write> Out<'_, W> {
    fn line<T: Serialize>(&mut self, what: &str, v: &T) -> Result<()> {
        serde_json::to_writer(&mut *self.out, v)
            .map_err(|source| Error::Json { what: format!("bundle {what}"), source })?;
        self.out.write_all(b"\n").map_err(|e| Error::io("bundle output", e))
    }

    fn span(&mut self, ledger: &Ledger, span: &Span) -> Result<(usize, usize, String)> {
        let idx = self.texts.get(ledger, span.revision)?;
        super::code_points(&idx, span)
    }

    fn document(&mut self, d: &Document) -> Result<()> {
        let rec = DocumentRec {
            kind_tag: tag(Kind::Document),
            id: d.id,
            kind: d.kind,
            title: d.title.clone(),
            creators: d.creators.clone(),
            publisher: d.publisher.clone(),
            published: d.published.map(super::date_text),
            identifier: d.identifier.clone(),
            metadata: d.metadata.clone(),
            created_at: instant_text(d.created_at),
        };
        self.line("document", &rec)
    }

    fn revision(&mut self, r: &Revision) -> Result<()> {
        let rec = RevisionRec {
            kind_tag: tag(Kind::Revision),
            id: r.id,
            document: r.document,
            seq: r.seq,
            sha256: r.sha256,
            bytes: r.text.len() as u64,
            chars: r.text.chars().count() as u64,
            page_labels: r.page_labels.clone(),
            created_at: instant_text(r.created_at),
            indexed: self.indexed.contains(&r.id),
            text: Cow::Borrowed(&r.text),
        };
        self.line("revision", &rec)
    }

    fn claim(&mut self, ledger: &Ledger, c: &Claim) -> Result<()> {
        let (start, end, exact) = self.span(ledger, &c.span)?;
        let rec = ClaimRec {
            kind_tag: tag(Kind::Claim),
            id: c.id,
            revision: c.span.revision,
            start,
            end,
            byte_start: c.span.start,
            byte_end: c.span.end,
            exact,
            kind: c.kind,
            exemption: c.exemption.clone(),
            created_at: instant_text(c.created_at),
        };
        self.line("claim", &rec)
    }

    fn part(&mut self, ledger: &Ledger, p: &ClaimPart) -> Result<()> {
        let (start, end, exact) = self.span(ledger, &p.span)?;
        let rec = ClaimPartRec {
            kind_tag: tag(Kind::ClaimPart),
            id: p.id,
            claim: p.claim,
            start,
            end,
            byte_start: p.span.start,
            byte_end: p.span.end,
            exact,
            note: p.note.clone(),
            created_at: instant_text(p.created_at),
        };
        self.line("claim part", &rec)
    }

    fn passage(&mut self, p: &Passage) -> Result<()> {
        let rec = PassageRec {
            kind_tag: tag(Kind::Passage),
            id: p.id,
            revision: p.span.revision,
            start: p.position.start,
            end: p.position.end,
            byte_start: p.span.start,
            byte_end: p.span.end,
            exact: p.quote.exact.clone(),
            prefix: p.quote.prefix.clone(),
            suffix: p.quote.suffix.clone(),
            kind: p.kind,
            footnote: p.footnote,
            page: p.page,
            created_at: instant_text(p.created_at),
        };
        self.line("passage", &rec)
    }

    fn redaction(&mut self, ledger: &Ledger, x: &Redaction) -> Result<()> {
        let (start, end, exact) = self.span(ledger, &x.span)?;
        let rec = RedactionRec {
            kind_tag: tag(Kind::Redaction),
            id: x.id,
            revision: x.span.revision,
            start,
            end,
            byte_start: x.span.start,
            byte_end: x.span.end,
            exact,
            label: x.label.clone(),
            reason: x.reason.as_ref().map(|r| ReasonRef {
                scheme: r.scheme.clone(),
                code: r.code.clone(),
                label: r.label.clone(),
            }),
            approx_chars: x.approx_chars,
            created_at: instant_text(x.created_at),
        };
        self.line("redaction", &rec)
    }

    fn quotation(&mut self, ledger: &Ledger, q: &Quotation) -> Result<()> {
        let (start, end, exact) = self.span(ledger, &q.span)?;
        let rec = QuotationRec {
            kind_tag: tag(Kind::Quotation),
            id: q.id,
            claim: q.claim,
            start,
            end,
            byte_start: q.span.start,
            byte_end: q.span.end,
            exact,
            passage: q.passage,
            speaker: q.speaker.clone(),
            status: q.check.status.code().to_string(),
            location: Some(q.check.location),
            tier: q.check.tier,
            score: q.check.score,
            candidate_count: q.check.candidate_count,
            differences: q.check.differences.clone(),
            edits: q.check.edits.clone(),
            candidates: q.check.candidates.clone(),
            acknowledged: q.acknowledged.clone(),
            created_at: instant_text(q.created_at),
        };
        self.line("quotation", &rec)
    }

    fn citation(&mut self, c: &Citation, parts: &[ClaimPartId]) -> Result<()> {
        let rec = CitationRec {
            kind_tag: tag(Kind::Citation),
            id: c.id,
            claim: c.claim,
            passage: c.passage,
            relation: c.relation,
            note: c.note.clone(),
            recorded_by: c.recorded_by.clone(),
            created_at: instant_text(c.created_at),
            parts: parts.to_vec(),
        };
        self.line("citation", &rec)
    }

    fn derivation(&mut self, d: &Derivation) -> Result<()> {
        let rec = DerivationRec {
            kind_tag: tag(Kind::Derivation),
            id: d.id,
            from: d.from,
            to: d.to,
            kind: d.kind,
            note: d.note.clone(),
            created_at: instant_text(d.created_at),
        };
        self.line("derivation", &rec)
    }

    fn verdict(&mut self, v: &Verdict) -> Result<()> {
        let rec = VerdictRec {
            kind_tag: tag(Kind::Verdict),
            id: v.id,
            claim: v.claim,
            rating: v.rating,
            alternate_name: v.alternate_name.clone(),
            author: v.author.clone(),
            date_published: v.date_published.map(super::date_text),
            url: v.url.clone(),
            note: v.note.clone(),
            created_at: instant_text(v.created_at),
            author_type: v.details.author_type,
            author_url: v.details.author_url.clone(),
            claim_author: v.details.claim_author.as_ref().map(|a| a.name.clone()),
            claim_author_type: v.details.claim_author.as_ref().and_then(|a| a.kind),
            claim_author_url: v.details.claim_author.as_ref().and_then(|a| a.url.clone()),
            claim_date: v.details.claim_date.map(super::date_text),
        };
        self.line("verdict", &rec)
    }

    fn event(&mut self, e: &StoredEvent) -> Result<()> {
        self.line("event", &EventRec::of(e, None)?)
    }

    /// The events of every imported log the ledger keeps, log by log.
    fn foreign_logs(&mut self, logs: &[events::ForeignLog]) -> Result<()> {
        for l in logs {
            let Some(head) = l.head() else { continue };
            for e in &l.events {
                self.line("foreign event", &EventRec::of(e, Some(head))?)?;
            }
        }
        Ok(())
    }

    fn reanchoring(&mut self, x: &reanchors::Stored) -> Result<()> {
        let rec = ReanchoringRec {
            kind_tag: tag(Kind::Reanchoring),
            id: x.uuid,
            from: x.from,
            to: x.to,
            actor: x.actor.clone(),
            created_at: instant_text(crate::storage::from_millis(x.created_at)),
        };
        self.line("re-anchoring", &rec)
    }

    fn anchor_move(&mut self, ledger: &Ledger, x: &reanchors::Stored, m: &MoveRow) -> Result<()> {
        let anchor = m
            .passage
            .map(|p| p.uuid())
            .or(m.redaction.map(|r| r.uuid()))
            .or(m.quotation.map(|q| q.uuid()))
            .ok_or_else(|| {
                Error::invalid("anchor move", format!("a move of re-anchoring {} names no anchor", x.uuid))
            })?;
        let (mut start, mut end, mut byte_start, mut byte_end) = (None, None, None, None);
        if let Some((bs, be)) = m.span {
            let idx = self.texts.get(ledger, x.to)?;
            let (s, e) = idx.range_to_chars(bs, be)?;
            (start, end, byte_start, byte_end) = (Some(s), Some(e), Some(bs), Some(be));
        }
        let rec = AnchorMoveRec {
            kind_tag: tag(Kind::AnchorMove),
            reanchoring: x.uuid,
            kind: m.kind,
            anchor,
            state: m.state,
            start,
            end,
            byte_start,
            byte_end,
            passage: m.new_passage,
            score: m.score,
            differences: m.differences.clone(),
            released_text: m.released_text.clone(),
            reason: m.reason.clone(),
        };
        self.line("anchor move", &rec)
    }

    /// The re-anchorings and their moves, each move after its re-anchoring.
    fn reanchorings(&mut self, ledger: &Ledger, carried: &Carried) -> Result<()> {
        for x in &carried.reanchorings {
            self.reanchoring(x)?;
        }
        let by_id: HashMap<uuid::Uuid, &reanchors::Stored> = carried.reanchorings.iter().map(|x| (x.uuid, x)).collect();
        for (u, m) in &carried.moves {
            let x = by_id.get(u).ok_or_else(|| Error::not_found(Entity::Revision, format!("re-anchoring {u}")))?;
            self.anchor_move(ledger, x, m)?;
        }
        Ok(())
    }

    fn withdrawal(&mut self, ledger: &Ledger, w: &Withdrawal) -> Result<()> {
        let mut rec = WithdrawalRec {
            kind_tag: tag(Kind::Withdrawal),
            id: w.id,
            target: String::new(),
            origin: None,
            item: None,
            document: None,
            undoes: None,
            reason: w.reason.clone(),
            created_at: instant_text(w.created_at),
        };
        rec.target = match &w.target {
            WithdrawalTarget::Origin(o) => {
                rec.origin = Some(o.clone());
                "origin"
            }
            WithdrawalTarget::Item(i) => {
                let item =
                    evidence::get(ledger.conn(), *i)?.ok_or_else(|| Error::not_found(Entity::EvidenceItem, i))?;
                let (_, _, exact) = self.span(ledger, &item.span)?;
                rec.item = Some(ItemRef { passage: item.passage, seq: item.seq, exact });
                "item"
            }
            WithdrawalTarget::Document(d) => {
                rec.document = Some(*d);
                "document"
            }
            WithdrawalTarget::Undo(u) => {
                rec.undoes = Some(*u);
                "undo"
            }
        }
        .to_string();
        self.line("withdrawal", &rec)
    }

    fn reason(&mut self, r: &RedactionReason, aliases: &[String]) -> Result<()> {
        let rec = ReasonRec {
            kind_tag: tag(Kind::RedactionReason),
            scheme: r.scheme.clone(),
            code: r.code.clone(),
            label: r.label.clone(),
            aliases: aliases.to_vec(),
        };
        self.line("redaction reason", &rec)
    }
}

/// The re-anchorings a bundle carries, with their moves.
struct Carried {
    reanchorings: Vec<reanchors::Stored>,
    moves: Vec<(uuid::Uuid, MoveRow)>,
}

impl Carried {
    /// Every re-anchoring of the ledger and every move.
    fn all(conn: &rusqlite::Connection) -> Result<Carried> {
        Ok(Carried { reanchorings: reanchors::all(conn)?, moves: reanchors::moves(conn, None)? })
    }

    /// What a document's bundle carries: the re-anchorings between two of its
    /// revisions, and of their moves those whose anchor (and the passage its
    /// citations followed to) the bundle holds.
    fn of(conn: &rusqlite::Connection, r: &Records) -> Result<Carried> {
        let revs: HashSet<RevisionId> = r.revisions.iter().map(|m| m.id).collect();
        let passages: HashSet<PassageId> = r.passages.iter().map(|p| p.id).collect();
        let reds: HashSet<RedactionId> = r.redactions.iter().map(|x| x.id).collect();
        let quotes: HashSet<QuotationId> = r.quotations.iter().map(|q| q.id).collect();
        let mut out = Carried { reanchorings: Vec::new(), moves: Vec::new() };
        for x in reanchors::all(conn)? {
            if !(revs.contains(&x.from) && revs.contains(&x.to)) {
                continue;
            }
            for (u, m) in reanchors::moves(conn, Some(x.row))? {
                let held = m.passage.is_some_and(|p| passages.contains(&p))
                    || m.redaction.is_some_and(|d| reds.contains(&d))
                    || m.quotation.is_some_and(|q| quotes.contains(&q));
                if held && m.new_passage.is_none_or(|p| passages.contains(&p)) {
                    out.moves.push((u, m));
                }
            }
            out.reanchorings.push(x);
        }
        Ok(out)
    }
}

/// The withdrawals a document's bundle carries: those of an origin, of a
/// document it holds, of an item of a footnote passage it holds, and the undos
/// of those.
fn withdrawals_of(conn: &rusqlite::Connection, r: &Records) -> Result<Vec<Withdrawal>> {
    let docs: HashSet<DocumentId> = r.documents.iter().map(|d| d.id).collect();
    let passages: HashSet<PassageId> = r.passages.iter().map(|p| p.id).collect();
    let mut kept: HashSet<WithdrawalId> = HashSet::new();
    let mut out = Vec::new();
    for w in evidence::withdrawals(conn)? {
        let keep = match &w.target {
            WithdrawalTarget::Origin(_) => true,
            WithdrawalTarget::Document(d) => docs.contains(d),
            WithdrawalTarget::Item(i) => evidence::get(conn, *i)?.is_some_and(|x| passages.contains(&x.passage)),
            WithdrawalTarget::Undo(u) => kept.contains(u),
        };
        if keep {
            kept.insert(w.id);
            out.push(w);
        }
    }
    Ok(out)
}

impl Ledger {
    /// Writes a bundle of `scope` to `out`, line by line; returns how many
    /// records of each kind it wrote. The whole-ledger bundle streams from the
    /// database (one revision's text in memory at a time); a document's bundle
    /// collects the trace's records first (not the source texts).
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::formats::Scope;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let doc = ledger.add_document(NewDocument::new(DocumentKind::Report, "Audit"))?;
    /// ledger.add_revision(doc.id, NewRevision::new("Sales fell 3% in 2023."))?;
    /// let mut out = Vec::new();
    /// let counts = ledger.export_bundle(Scope::Ledger, &mut out)?;
    /// assert_eq!((counts.documents, counts.revisions), (1, 1));
    ///
    /// let mut copy = Ledger::open_in_memory()?;
    /// let imported = copy.import_bundle(&out[..])?;
    /// assert_eq!(imported.new, counts);
    /// let mut again = Vec::new();
    /// copy.export_bundle(Scope::Ledger, &mut again)?;
    /// // The records come back byte for byte; the log after them is the copy's
    /// // own (it says the copy imported them), followed by the original's log,
    /// // which the copy keeps; and so are the header's counts of them.
    /// let records = |b: &[u8]| -> Vec<String> {
    ///     let text = String::from_utf8_lossy(b).into_owned();
    ///     let log = |l: &str| l.starts_with(r#"{"type":"event""#) || l.starts_with(r#"{"type":"foreign_event""#);
    ///     text.lines().skip(1).filter(|l| !log(l)).map(String::from).collect()
    /// };
    /// assert_eq!(records(&out).len(), 2);
    /// assert_eq!(records(&out), records(&again));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document; [`Error::Io`] when `out`
    /// fails; database errors.
    pub fn export_bundle(&self, scope: Scope, out: &mut impl Write) -> Result<BundleCounts> {
        // One read transaction: the counts and the records agree.
        let snapshot = self.conn().unchecked_transaction()?;
        let result = self.export_bundle_in(scope, out);
        drop(snapshot);
        result
    }

    fn export_bundle_in(&self, scope: Scope, out: &mut impl Write) -> Result<BundleCounts> {
        let indexed =
            crate::storage::search::indexed_articles(self.conn())?.into_iter().map(RevisionId::from_uuid).collect();
        let mut o = Out { out, texts: Texts::default(), indexed };
        match scope {
            Scope::Document(d) => {
                let r = Records::collect(self, Scope::Document(d))?;
                let carried = Carried::of(self.conn(), &r)?;
                let withdrawals = withdrawals_of(self.conn(), &r)?;
                let log = events::all(self.conn())?;
                let foreign = events::logs(self.conn())?;
                let counts = BundleCounts {
                    reanchorings: carried.reanchorings.len() as u64,
                    anchor_moves: carried.moves.len() as u64,
                    withdrawals: withdrawals.len() as u64,
                    events: log.len() as u64,
                    foreign_events: foreign_count(&foreign),
                    ..r.counts()
                };
                o.line(
                    "header",
                    &Header {
                        format: FORMAT.into(),
                        version: VERSION,
                        scope: "document".into(),
                        document: Some(d),
                        offsets: OFFSETS.into(),
                        counts,
                    },
                )?;
                for x in &r.documents {
                    o.document(x)?;
                }
                for m in &r.revisions {
                    let rev = self.revision(m.id)?.ok_or_else(|| Error::not_found(Entity::Revision, m.id))?;
                    o.revision(&rev)?;
                }
                for x in &r.claims {
                    o.claim(self, x)?;
                }
                for x in &r.parts {
                    o.part(self, x)?;
                }
                for x in &r.passages {
                    o.passage(x)?;
                }
                for x in &r.redactions {
                    o.redaction(self, x)?;
                }
                for x in &r.quotations {
                    o.quotation(self, x)?;
                }
                for x in &r.citations {
                    let linked = r.parts.iter().filter(|p| p.citations.contains(&x.id)).map(|p| p.id);
                    let mut linked: Vec<ClaimPartId> = linked.collect();
                    linked.sort();
                    o.citation(x, &linked)?;
                }
                for x in &r.derivations {
                    o.derivation(x)?;
                }
                for x in &r.verdicts {
                    o.verdict(x)?;
                }
                for (x, aliases) in &r.reasons {
                    o.reason(x, aliases)?;
                }
                o.reanchorings(self, &carried)?;
                for w in &withdrawals {
                    o.withdrawal(self, w)?;
                }
                for e in &log {
                    o.event(e)?;
                }
                o.foreign_logs(&foreign)?;
                o.out.flush().map_err(|e| Error::io("bundle output", e))?;
                Ok(counts)
            }
            Scope::Ledger => {
                let log = events::all(self.conn())?;
                let foreign = events::logs(self.conn())?;
                let (reanchorings, anchor_moves) = reanchors::count(self.conn())?;
                let withdrawals = evidence::withdrawals(self.conn())?;
                let counts = BundleCounts {
                    reanchorings,
                    anchor_moves,
                    withdrawals: withdrawals.len() as u64,
                    events: log.len() as u64,
                    foreign_events: foreign_count(&foreign),
                    ..super::ledger_counts(self)?
                };
                o.line(
                    "header",
                    &Header {
                        format: FORMAT.into(),
                        version: VERSION,
                        scope: "ledger".into(),
                        document: None,
                        offsets: OFFSETS.into(),
                        counts,
                    },
                )?;
                let conn = self.conn();
                documents::each_document(conn, |x| o.document(&x))?;
                documents::each_revision(conn, |x| o.revision(&x))?;
                claims::each(conn, |x| o.claim(self, &x))?;
                parts::each(conn, |x| o.part(self, &x))?;
                passages::each(conn, |x| o.passage(&x))?;
                redactions::each(conn, self.taxonomy(), |x| o.redaction(self, &x))?;
                quotations::each(conn, |x| o.quotation(self, &x))?;
                let links = parts::links(conn)?;
                citations::each(conn, |x| o.citation(&x, links.get(&x.id).map(Vec::as_slice).unwrap_or(&[])))?;
                citations::each_derivation(conn, |x| o.derivation(&x))?;
                verdicts::each(conn, |x| o.verdict(&x))?;
                for (x, aliases) in redactions::stored_reasons(conn)? {
                    o.reason(&x, &aliases)?;
                }
                o.reanchorings(self, &Carried::all(conn)?)?;
                for w in &withdrawals {
                    o.withdrawal(self, w)?;
                }
                for e in &log {
                    o.event(e)?;
                }
                o.foreign_logs(&foreign)?;
                o.out.flush().map_err(|e| Error::io("bundle output", e))?;
                Ok(counts)
            }
        }
    }

    /// Imports a bundle read line by line from `input`, in one transaction; see
    /// the [module documentation](self) for how it merges.
    ///
    /// # Errors
    ///
    /// Nothing is written on any error:
    /// - [`Error::InvalidInput`] (naming the line) for a header of another format
    ///   or version, a line that is empty, too long, not UTF-8 or not ended by a
    ///   newline, a record out of order or of an unknown type, a record naming a
    ///   document, revision, claim or passage neither in the bundle nor in the
    ///   ledger, a revision whose SHA-256 or lengths do not match its text, a span
    ///   whose offsets or text do not match its revision, passage selectors that
    ///   do not match, and counts that differ from the header's (a truncated
    ///   bundle);
    /// - [`Error::Json`] (naming the line) for a line that is not a record;
    /// - [`Error::Conflict`] for a record whose ID or span the ledger holds with
    ///   other content;
    /// - [`Error::Io`] when reading fails; [`Error::TooLarge`] for a revision
    ///   over the ledger's limit.
    pub fn import_bundle(&mut self, input: impl BufRead) -> Result<BundleImport> {
        let mut lines = Lines { input, n: 0, buf: String::new() };
        let header: Header = match lines.next()? {
            Some(line) => serde_json::from_str(line)
                .map_err(|source| Error::Json { what: "bundle line 1 (the header)".into(), source })?,
            None => return Err(Error::invalid("bundle", "empty input: no header line")),
        };
        if header.format != FORMAT {
            return Err(Error::invalid("bundle line 1", format!("format {:?} is not {FORMAT:?}", header.format)));
        }
        if header.version != VERSION {
            return Err(Error::invalid(
                "bundle line 1",
                format!("version {} is not supported (this build reads version {VERSION})", header.version),
            ));
        }
        if !matches!(header.scope.as_str(), "ledger" | "document") {
            return Err(Error::invalid("bundle line 1", format!("unknown scope {:?}", header.scope)));
        }
        self.write_logged(EventKind::BundleImport, None, |w| {
            let mut imp = Importer::new(w);
            loop {
                let n = lines.n + 1;
                let Some(line) = lines.next()? else { break };
                imp.record(n, line)?;
            }
            imp.end_log()?;
            if imp.seen != header.counts {
                return Err(Error::invalid(
                    "bundle",
                    format!(
                        "it holds {} records after the header, which announces {} ({}): truncated or altered",
                        imp.seen.total(),
                        header.counts.total(),
                        differences(&imp.seen, &header.counts)
                    ),
                ));
            }
            let logs = imp.imported_logs()?;
            let result = imp.result;
            // A bundle carries no evidence items: they are read again from the
            // footnote passages it brought, as an import of the source would.
            crate::sources::fill_evidence_items(w.tx())?;
            Ok((result, logs))
        })
    }
}

/// How many events the imported logs hold (those with a head).
fn foreign_count(logs: &[events::ForeignLog]) -> u64 {
    logs.iter().filter(|l| l.head().is_some()).map(|l| l.events.len() as u64).sum()
}

/// What identifies a move within its re-anchoring: the kind and ID of its anchor.
fn move_key(m: &MoveRow) -> Option<(AnchorKind, uuid::Uuid)> {
    let id = m.passage.map(|p| p.uuid()).or(m.redaction.map(|r| r.uuid())).or(m.quotation.map(|q| q.uuid()))?;
    Some((m.kind, id))
}

fn differences(got: &BundleCounts, want: &BundleCounts) -> String {
    let got = serde_json::to_value(got).unwrap_or_default();
    let want = serde_json::to_value(want).unwrap_or_default();
    let (Some(g), Some(w)) = (got.as_object(), want.as_object()) else { return String::new() };
    w.iter()
        .filter(|(k, v)| g.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}: {} of {v}", g.get(k).cloned().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---- import ---------------------------------------------------------------

/// An input error, restated with the line it comes from (when it does not name
/// it already); other errors as they are.
fn in_line(at: &str, e: Error) -> Error {
    match e {
        Error::InvalidInput { field, reason } if !field.starts_with("bundle line") => {
            Error::invalid(at, format!("{field}: {reason}"))
        }
        Error::InvalidSpan { start, end, len, reason } => {
            Error::invalid(at, format!("span {start}..{end} (text of {len} bytes): {reason}"))
        }
        other => other,
    }
}

/// Reads newline-ended lines, capped, counting them.
struct Lines<R: BufRead> {
    input: R,
    n: u64,
    buf: String,
}

impl<R: BufRead> Lines<R> {
    fn next(&mut self) -> Result<Option<&str>> {
        self.buf.clear();
        self.n += 1;
        let field = || format!("bundle line {}", self.n);
        let read = (&mut self.input).take(MAX_LINE + 1).read_line(&mut self.buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                Error::invalid(field(), "not UTF-8")
            } else {
                Error::io("bundle input", e)
            }
        })?;
        if read == 0 {
            return Ok(None);
        }
        if read as u64 > MAX_LINE {
            return Err(Error::invalid(field(), format!("longer than {MAX_LINE} bytes")));
        }
        let Some(line) = self.buf.strip_suffix('\n') else {
            return Err(Error::invalid(field(), "the last line is not ended by a newline: truncated?"));
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            return Err(Error::invalid(field(), "empty line"));
        }
        Ok(Some(line))
    }
}

struct Importer<'w, 'a> {
    w: &'w mut Writer<'a>,
    last: Option<Kind>,
    seen: BundleCounts,
    result: BundleImport,
    docs: HashMap<DocumentId, DocumentId>,
    revs: HashMap<RevisionId, RevisionId>,
    claims: HashMap<ClaimId, ClaimId>,
    parts: HashMap<ClaimPartId, ClaimPartId>,
    passages: HashMap<PassageId, PassageId>,
    redactions: HashMap<RedactionId, RedactionId>,
    quotations: HashMap<QuotationId, QuotationId>,
    /// The bundle's re-anchorings, by their ID in the bundle.
    reanchorings: HashMap<uuid::Uuid, Landing>,
    /// Whether the evidence items of the passages written so far were read
    /// (before the first withdrawal of an item).
    items_read: bool,
    /// The bundle's log, checked link by link as it is read.
    chain: Vec<StoredEvent>,
    /// Whether the log holds an event the ledger does not.
    fresh: bool,
    /// The head hashes the events read so far imported (`foreign_head`), each
    /// with the depth its log has in this bundle (2 for one the bundle's own
    /// log imported).
    foreign_heads: HashMap<[u8; 32], i64>,
    /// The imported logs of the bundle, checked link by link as they are read.
    logs: Vec<ReadLog>,
    /// Every event of the bundle read so far (its own log's and the imported
    /// logs'), by hash: its seq.
    hashes: HashMap<[u8; 32], i64>,
}

/// An imported log of the bundle, as read.
struct ReadLog {
    /// Its head: the hash its last event must have.
    head: [u8; 32],
    /// Its depth (2 for a log the bundle's own log imported, and so on).
    depth: i64,
    /// The hash its first event follows (zeros for a log from its first
    /// event; else an event of the bundle before it) and that event's seq.
    base: ([u8; 32], i64),
    events: Vec<StoredEvent>,
    /// Where its last event was read.
    last_line: String,
    /// Whether a later line started another log.
    closed: bool,
}

/// A re-anchoring of the bundle, as placed in the ledger.
struct Landing {
    /// Its row.
    row: i64,
    /// Its revisions, in the ledger.
    from: RevisionId,
    to: RevisionId,
    /// The moves it holds, by anchor kind and anchor ID (in the ledger).
    moves: HashMap<(AnchorKind, uuid::Uuid), MoveRow>,
}

/// Where a record of the bundle went.
enum Placed<T> {
    New(T),
    Merged(T),
}

impl<'w, 'a> Importer<'w, 'a> {
    fn new(w: &'w mut Writer<'a>) -> Self {
        Importer {
            w,
            last: None,
            seen: BundleCounts::default(),
            result: BundleImport::default(),
            docs: HashMap::new(),
            revs: HashMap::new(),
            claims: HashMap::new(),
            parts: HashMap::new(),
            passages: HashMap::new(),
            redactions: HashMap::new(),
            quotations: HashMap::new(),
            reanchorings: HashMap::new(),
            items_read: false,
            chain: Vec::new(),
            fresh: false,
            foreign_heads: HashMap::new(),
            logs: Vec::new(),
            hashes: HashMap::new(),
        }
    }

    fn record(&mut self, n: u64, line: &str) -> Result<()> {
        let at = format!("bundle line {n}");
        let t: Tag<'_> = serde_json::from_str(line).map_err(|source| Error::Json { what: at.clone(), source })?;
        let kind = Kind::from_code(&t.kind).ok_or_else(|| Error::invalid(&at, format!("unknown type {:?}", t.kind)))?;
        if let Some(last) = self.last
            && kind < last
        {
            return Err(Error::invalid(
                &at,
                format!("a {} after a {}: records must come in dependency order", kind.code(), last.code()),
            ));
        }
        self.last = Some(kind);
        *self.seen.slot(kind) += 1;
        let parse = |source| Error::Json { what: format!("{at} ({})", kind.code()), source };
        let placed = match kind {
            Kind::Document => self.document(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Revision => self.revision(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Claim => self.claim(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::ClaimPart => self.part(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Passage => self.passage(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Redaction => self.redaction(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Quotation => self.quotation(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Citation => self.citation(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Derivation => self.derivation(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Verdict => self.verdict(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::RedactionReason => self.reason(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Reanchoring => self.reanchoring(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::AnchorMove => self.anchor_move(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Withdrawal => self.withdrawal(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::Event => self.event(&at, serde_json::from_str(line).map_err(parse)?),
            Kind::ForeignEvent => self.foreign_event(&at, serde_json::from_str(line).map_err(parse)?),
        };
        let new = placed.map_err(|e| in_line(&at, e))?;
        *(if new { &mut self.result.new } else { &mut self.result.merged }).slot(kind) += 1;
        Ok(())
    }

    fn check_tag(at: &str, got: &str, kind: Kind) -> Result<()> {
        if got != kind.code() {
            return Err(Error::invalid(at, format!("type {got:?} is not {:?}", kind.code())));
        }
        Ok(())
    }

    fn conflict(at: &str, kind: Kind, id: impl std::fmt::Display, what: &str) -> Error {
        Error::Conflict {
            entity: kind.entity(),
            detail: format!("{at}: {} {id} differs from the one in the ledger ({what})", kind.code()),
        }
    }

    /// A document the bundle names: mapped, or already in the ledger.
    fn doc_id(&self, at: &str, id: DocumentId) -> Result<DocumentId> {
        if let Some(m) = self.docs.get(&id) {
            return Ok(*m);
        }
        if documents::get_document(self.w.tx(), id)?.is_some() {
            return Ok(id);
        }
        Err(Error::invalid(at, format!("document {id} is neither in the bundle (before this line) nor in the ledger")))
    }

    fn rev_id(&self, at: &str, id: RevisionId) -> Result<RevisionId> {
        if let Some(m) = self.revs.get(&id) {
            return Ok(*m);
        }
        if documents::get_revision(self.w.tx(), id)?.is_some() {
            return Ok(id);
        }
        Err(Error::invalid(at, format!("revision {id} is neither in the bundle (before this line) nor in the ledger")))
    }

    fn claim_id(&self, at: &str, id: ClaimId) -> Result<ClaimId> {
        if let Some(m) = self.claims.get(&id) {
            return Ok(*m);
        }
        if claims::get(self.w.tx(), id)?.is_some() {
            return Ok(id);
        }
        Err(Error::invalid(at, format!("claim {id} is neither in the bundle (before this line) nor in the ledger")))
    }

    fn passage_id(&self, at: &str, id: PassageId) -> Result<PassageId> {
        if let Some(m) = self.passages.get(&id) {
            return Ok(*m);
        }
        if passages::get(self.w.tx(), id)?.is_some() {
            return Ok(id);
        }
        Err(Error::invalid(at, format!("passage {id} is neither in the bundle (before this line) nor in the ledger")))
    }

    /// Checks a span's code-point and byte offsets and its text against the
    /// revision; returns the byte span.
    fn span(
        &mut self,
        at: &str,
        rev: RevisionId,
        start: usize,
        end: usize,
        bytes: (usize, usize),
        exact: &str,
    ) -> Result<Span> {
        let (tx, cache, _, _) = self.w.parts();
        let text = cache.get(tx, rev)?;
        let bad = |why: String| Error::invalid(at, format!("offsets {start}..{end} do not match the text: {why}"));
        let (bs, be) = text.index.range_to_bytes(start, end).map_err(|e| bad(e.to_string()))?;
        if (bs, be) != bytes {
            return Err(bad(format!("code points {start}..{end} are bytes {bs}..{be}, not {}..{}", bytes.0, bytes.1)));
        }
        if text.text().get(bs..be) != Some(exact) {
            return Err(bad("`exact` is not the text they cover".into()));
        }
        Ok(Span::new(rev, bs, be))
    }

    fn document(&mut self, at: &str, r: DocumentRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Document)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let published = r.published.as_deref().map(|d| super::parse_date(&format!("{at} published"), d)).transpose()?;
        let doc = NewDocument {
            kind: r.kind,
            title: r.title,
            creators: r.creators,
            publisher: r.publisher,
            published,
            identifier: r.identifier,
            metadata: r.metadata,
        };
        let placed = match documents::get_document(self.w.tx(), r.id)? {
            Some(e) => {
                let same = e.kind == doc.kind
                    && e.title == doc.title
                    && e.creators == doc.creators
                    && e.publisher == doc.publisher
                    && e.published == doc.published
                    && e.identifier == doc.identifier
                    && e.metadata == doc.metadata;
                if !same {
                    return Err(Self::conflict(at, Kind::Document, r.id, "metadata"));
                }
                Placed::Merged(e.id)
            }
            None => Placed::New(documents::insert_document_at(self.w.tx(), r.id, &doc, created)?.id),
        };
        Ok(self.place(placed, |s, id| {
            s.docs.insert(r.id, id);
        }))
    }

    fn place<T>(&mut self, placed: Placed<T>, map: impl FnOnce(&mut Self, T)) -> bool {
        match placed {
            Placed::New(id) => {
                map(self, id);
                true
            }
            Placed::Merged(id) => {
                map(self, id);
                false
            }
        }
    }

    fn revision(&mut self, at: &str, r: RevisionRec<'_>) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Revision)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let hash = ContentHash::of(&r.text);
        if hash != r.sha256 {
            return Err(Error::invalid(at, format!("sha256 {} is not the text's ({hash})", r.sha256)));
        }
        let chars = r.text.chars().count() as u64;
        if r.bytes != r.text.len() as u64 || r.chars != chars {
            return Err(Error::invalid(
                at,
                format!("the text has {} bytes and {chars} code points, not {} and {}", r.text.len(), r.bytes, r.chars),
            ));
        }
        let document = self.doc_id(at, r.document)?;
        // An article's revision indexed on demand is indexed here too.
        let index = r.indexed.then(|| r.text.to_string());
        let tx = self.w.tx();
        let placed = match documents::get_revision(tx, r.id)? {
            Some(e) => {
                if e.document != document || e.sha256 != hash {
                    return Err(Self::conflict(at, Kind::Revision, r.id, "document or text"));
                }
                Placed::Merged(e.id)
            }
            None => match documents::revision_by_hash(tx, document, &hash)? {
                Some(e) => Placed::Merged(e),
                None => {
                    let new = NewRevision { text: r.text.into_owned(), page_labels: r.page_labels };
                    let (rev, _) = documents::insert_revision_at(tx, document, r.id, &new, Some(r.seq), created)?;
                    Placed::New(rev.id)
                }
            },
        };
        if let Some(text) = index {
            let id = match &placed {
                Placed::New(id) | Placed::Merged(id) => *id,
            };
            let row = crate::storage::row_id(tx, Entity::Revision, &id)?;
            crate::storage::search::index_revision(tx, row, &text)?;
        }
        Ok(self.place(placed, |s, id| {
            s.revs.insert(r.id, id);
        }))
    }

    fn claim(&mut self, at: &str, r: ClaimRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Claim)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let rev = self.rev_id(at, r.revision)?;
        let span = self.span(at, rev, r.start, r.end, (r.byte_start, r.byte_end), &r.exact)?;
        let new = NewClaim { span, kind: r.kind, exemption: r.exemption };
        let same = |e: &Claim| e.span == new.span && e.kind == new.kind && e.exemption == new.exemption;
        let (tx, cache, _, hot) = self.w.parts();
        let placed = match claims::get(tx, r.id)?.or(claims::at(tx, &span)?) {
            Some(e) if same(&e) => Placed::Merged(e.id),
            Some(e) => return Err(Self::conflict(at, Kind::Claim, e.id, "span, kind or exemption")),
            None => {
                Placed::New(claims::insert_at(hot, cache, r.id, &new, crate::state::Aggregate::default(), created)?.id)
            }
        };
        Ok(self.place(placed, |s, id| {
            s.claims.insert(r.id, id);
        }))
    }

    fn part(&mut self, at: &str, r: ClaimPartRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::ClaimPart)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let claim_id = self.claim_id(at, r.claim)?;
        let claim = claims::get(self.w.tx(), claim_id)?.ok_or_else(|| Error::not_found(Entity::Claim, claim_id))?;
        let span = self.span(at, claim.span.revision, r.start, r.end, (r.byte_start, r.byte_end), &r.exact)?;
        let new = NewClaimPart { claim: claim_id, span, note: r.note };
        let (tx, cache, _, _) = self.w.parts();
        let placed = match parts::get(tx, r.id)?.or(parts::at(tx, claim_id, &span)?) {
            Some(e) if e.claim == new.claim && e.span == new.span && e.note == new.note => Placed::Merged(e.id),
            Some(e) => return Err(Self::conflict(at, Kind::ClaimPart, e.id, "claim, span or note")),
            None => Placed::New(parts::insert_at(tx, cache, r.id, &new, created)?.id),
        };
        Ok(self.place(placed, |s, id| {
            s.parts.insert(r.id, id);
        }))
    }

    /// A part the bundle names: mapped, or already in the ledger.
    fn part_id(&self, at: &str, id: ClaimPartId) -> Result<ClaimPartId> {
        if let Some(m) = self.parts.get(&id) {
            return Ok(*m);
        }
        if parts::get(self.w.tx(), id)?.is_some() {
            return Ok(id);
        }
        Err(Error::invalid(
            at,
            format!("claim part {id} is neither in the bundle (before this line) nor in the ledger"),
        ))
    }

    fn passage(&mut self, at: &str, r: PassageRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Passage)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let rev = self.rev_id(at, r.revision)?;
        let span = self.span(at, rev, r.start, r.end, (r.byte_start, r.byte_end), &r.exact)?;
        let (tx, cache, _, hot) = self.w.parts();
        let text = cache.get(tx, rev)?;
        let (quote, _) = passages::selectors(&text, span.start, span.end)?;
        let page = text.pages.is_paged().then(|| text.pages.page_of(span.start));
        if quote.prefix != r.prefix || quote.suffix != r.suffix || page != r.page {
            return Err(Error::invalid(at, "the passage's prefix, suffix or page do not match the text"));
        }
        let new = NewPassage { span, kind: r.kind, footnote: r.footnote };
        let same = |e: &Passage| e.span == new.span && e.kind == new.kind && e.footnote == new.footnote;
        let placed = match passages::get(tx, r.id)?.or(passages::at(tx, &span, r.kind)?) {
            Some(e) if same(&e) => Placed::Merged(e.id),
            Some(e) => return Err(Self::conflict(at, Kind::Passage, e.id, "span, kind or footnote")),
            None => Placed::New(passages::insert_at(hot, cache, r.id, &new, created)?.id),
        };
        Ok(self.place(placed, |s, id| {
            s.passages.insert(r.id, id);
        }))
    }

    fn redaction(&mut self, at: &str, r: RedactionRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Redaction)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let rev = self.rev_id(at, r.revision)?;
        let span = self.span(at, rev, r.start, r.end, (r.byte_start, r.byte_end), &r.exact)?;
        let reason = r.reason.map(|x| RedactionReason { scheme: x.scheme, code: x.code, label: x.label });
        let key = |x: &Option<RedactionReason>| x.as_ref().map(|x| (x.scheme.clone(), x.code.clone()));
        let new = NewRedaction { span, label: r.label, approx_chars: r.approx_chars };
        let (tx, cache, taxonomy, _) = self.w.parts();
        let existing = match redactions::get(tx, taxonomy, r.id)? {
            Some(e) => Some(e),
            None => redactions::at(tx, taxonomy, &span)?,
        };
        match existing {
            Some(e)
                if e.span == new.span
                    && e.label == new.label
                    && e.approx_chars == new.approx_chars
                    && key(&e.reason) == key(&reason) =>
            {
                self.redactions.insert(r.id, e.id);
                Ok(false)
            }
            Some(e) => Err(Self::conflict(at, Kind::Redaction, e.id, "span, label or reason")),
            None => {
                redactions::insert_at(tx, cache, r.id, &new, reason, created)?;
                self.redactions.insert(r.id, r.id);
                Ok(true)
            }
        }
    }

    fn quotation(&mut self, at: &str, r: QuotationRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Quotation)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let claim_id = self.claim_id(at, r.claim)?;
        let claim = claims::get(self.w.tx(), claim_id)?.ok_or_else(|| Error::not_found(Entity::Claim, claim_id))?;
        let span = self.span(at, claim.span.revision, r.start, r.end, (r.byte_start, r.byte_end), &r.exact)?;
        let passage = r.passage.map(|p| self.passage_id(at, p)).transpose()?;
        let (status, location) = match (r.status.as_str(), r.location) {
            ("ambiguous", None) => (QuoteStatus::Unchecked, QuoteLocation::Ambiguous),
            (code, location) => {
                let status = QuoteStatus::from_code(code)
                    .ok_or_else(|| Error::invalid(format!("{at} status"), format!("unknown quote status {code:?}")))?;
                let implied = match status {
                    QuoteStatus::NotFound | QuoteStatus::Unchecked => QuoteLocation::None,
                    _ => QuoteLocation::Unique,
                };
                (status, location.unwrap_or(implied))
            }
        };
        let candidates = r
            .candidates
            .into_iter()
            .map(|mut c| {
                if let Some(m) = self.revs.get(&c.span.revision) {
                    c.span.revision = *m;
                }
                c
            })
            .collect();
        let new = NewQuotation {
            claim: claim_id,
            span,
            passage,
            speaker: r.speaker,
            check: QuoteCheck {
                status,
                location,
                tier: r.tier,
                score: r.score,
                candidate_count: r.candidate_count,
                differences: r.differences,
                edits: r.edits,
                candidates,
            },
            acknowledged: r.acknowledged,
        };
        let same = |e: &Quotation| {
            e.claim == new.claim
                && e.span == new.span
                && e.passage == new.passage
                && e.speaker == new.speaker
                && e.check == new.check
                && e.acknowledged == new.acknowledged
        };
        let (tx, cache, _, _) = self.w.parts();
        match quotations::get(tx, r.id)?.or(quotations::at(tx, claim_id, &span)?) {
            Some(e) if same(&e) => {
                self.quotations.insert(r.id, e.id);
                Ok(false)
            }
            Some(e) => Err(Self::conflict(at, Kind::Quotation, e.id, "span, passage or check")),
            None => {
                quotations::insert_at(tx, cache, r.id, &new, created)?;
                self.quotations.insert(r.id, r.id);
                Ok(true)
            }
        }
    }

    fn citation(&mut self, at: &str, r: CitationRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Citation)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let new = NewCitation {
            claim: self.claim_id(at, r.claim)?,
            passage: self.passage_id(at, r.passage)?,
            relation: r.relation,
            note: r.note,
            recorded_by: r.recorded_by,
        };
        let mut linked = r.parts.iter().map(|p| self.part_id(at, *p)).collect::<Result<Vec<_>>>()?;
        linked.sort();
        let tx = self.w.tx();
        let existing = match citations::get(tx, r.id)? {
            Some(e) => Some(e),
            None => citations::find(tx, new.claim, new.passage, new.relation)?,
        };
        match existing {
            Some(e)
                if e.claim == new.claim
                    && e.passage == new.passage
                    && e.relation == new.relation
                    && e.note == new.note
                    && e.recorded_by == new.recorded_by
                    && parts::of_citation(tx, e.id)? == linked =>
            {
                Ok(false)
            }
            Some(e) => Err(Self::conflict(at, Kind::Citation, e.id, "claim, passage, relation, note or parts")),
            None => {
                let (_, _, _, hot) = self.w.parts();
                let c = citations::insert_at(hot, r.id, &new, created)?;
                for p in linked {
                    parts::link(self.w.tx(), p, c.id)?;
                }
                Ok(true)
            }
        }
    }

    fn derivation(&mut self, at: &str, r: DerivationRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Derivation)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let new = NewDerivation {
            from: self.passage_id(at, r.from)?,
            to: self.passage_id(at, r.to)?,
            kind: r.kind,
            note: r.note,
        };
        let tx = self.w.tx();
        let existing = match citations::get_derivation(tx, r.id)? {
            Some(e) => Some(e),
            None => citations::find_derivation(tx, new.from, new.to, new.kind)?,
        };
        match existing {
            Some(e) if e.from == new.from && e.to == new.to && e.kind == new.kind && e.note == new.note => Ok(false),
            Some(e) => Err(Self::conflict(at, Kind::Derivation, e.id, "passages, kind or note")),
            None => {
                citations::insert_derivation_at(tx, r.id, &new, created)?;
                Ok(true)
            }
        }
    }

    fn verdict(&mut self, at: &str, r: VerdictRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Verdict)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let date =
            r.date_published.as_deref().map(|d| super::parse_date(&format!("{at} date_published"), d)).transpose()?;
        let claim_date =
            r.claim_date.as_deref().map(|d| super::parse_date(&format!("{at} claim_date"), d)).transpose()?;
        if r.claim_author.is_none() && (r.claim_author_type.is_some() || r.claim_author_url.is_some()) {
            return Err(Error::invalid(at, "claim_author_type or claim_author_url without claim_author"));
        }
        let new = NewVerdict {
            claim: self.claim_id(at, r.claim)?,
            rating: r.rating,
            alternate_name: r.alternate_name,
            author: r.author,
            date_published: date,
            url: r.url,
            note: r.note,
            details: ReviewDetails {
                author_type: r.author_type,
                author_url: r.author_url,
                claim_author: r.claim_author.map(|name| Agent {
                    name,
                    kind: r.claim_author_type,
                    url: r.claim_author_url,
                }),
                claim_date,
            },
        };
        let tx = self.w.tx();
        match verdicts::get(tx, r.id)? {
            Some(e)
                if e.claim == new.claim
                    && e.rating == new.rating
                    && e.alternate_name == new.alternate_name
                    && e.author == new.author
                    && e.date_published == new.date_published
                    && e.url == new.url
                    && e.note == new.note
                    && e.details == new.details =>
            {
                Ok(false)
            }
            Some(e) => Err(Self::conflict(at, Kind::Verdict, e.id, "claim, rating or review details")),
            None => {
                verdicts::insert_at(tx, r.id, &new, created)?;
                Ok(true)
            }
        }
    }

    /// An event of the bundle's log: the next link of its chain, or an error.
    fn event(&mut self, at: &str, mut r: EventRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Event)?;
        if r.log.is_some() {
            return Err(Error::invalid(at, "an event of the bundle's own log has no `log` (a foreign_event has)"));
        }
        let want = self.chain.len() as i64 + 1;
        if r.seq != want {
            return Err(Error::invalid(at, format!("event seq {} where the log's next is {want}", r.seq)));
        }
        let body = r.body(at, &format!("event {}", r.seq))?;
        let prev = self.chain.last().map(|e| events::hash32(&e.hash)).unwrap_or([0; 32]);
        if r.prev_hash.0 != prev {
            return Err(Error::invalid(
                at,
                format!(
                    "event {} does not follow the one before it (prev_hash differs): the log was cut or reordered",
                    r.seq
                ),
            ));
        }
        if body.hash(&prev) != r.hash.0 {
            return Err(Error::invalid(at, format!("event {} does not match its hash: it was altered", r.seq)));
        }
        if let Some(h) = body.foreign_head {
            self.foreign_heads.entry(h).or_insert(2);
        }
        self.hashes.insert(r.hash.0, r.seq);
        self.chain.push(StoredEvent { seq: r.seq, body, prev_hash: prev.to_vec(), hash: r.hash.0.to_vec() });
        // An event this ledger holds already (its own, or one a former import
        // kept) is merged: importing the same log again records nothing.
        let known = events::known_hash(self.w.tx(), &r.hash.0)?;
        if !known {
            self.fresh = true;
        }
        Ok(!known)
    }

    /// An event of an imported log: the first of a log (`seq` 1) whose head an
    /// event read before imported, or the next link of the log being read.
    fn foreign_event(&mut self, at: &str, mut r: EventRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::ForeignEvent)?;
        let Some(head) = r.log else {
            return Err(Error::invalid(
                at,
                format!("foreign_event {} ({}) without `log`, its log's head", r.seq, r.id),
            ));
        };
        let name = format!("event {} ({}) of the imported log with head {head}", r.seq, r.id);
        // The log being read goes on while it has not reached its head; any
        // other event starts a log.
        let goes_on = self.logs.last().is_some_and(|l| {
            !l.closed && l.head == head.0 && l.events.last().map(|e| events::hash32(&e.hash)) != Some(l.head)
        });
        if !goes_on {
            self.end_log()?;
            let Some(&depth) = self.foreign_heads.get(&head.0) else {
                return Err(Error::invalid(
                    at,
                    format!("{name}: no event before this line imported a log with that head"),
                ));
            };
            // From its first event, or right after an event of the bundle read
            // before (a log that continues one the exporting ledger held).
            let base = if r.seq == 1 {
                ([0; 32], 0)
            } else {
                match self.hashes.get(&r.prev_hash.0) {
                    Some(&seq) if seq == r.seq - 1 => (r.prev_hash.0, seq),
                    _ => {
                        return Err(Error::invalid(
                            at,
                            format!(
                                "{name}: a log starts at its event 1, or right after an event before this line \
                                 (its prev_hash), and no event before this line has that hash and seq {}",
                                r.seq - 1
                            ),
                        ));
                    }
                }
            };
            self.logs.push(ReadLog {
                head: head.0,
                depth,
                base,
                events: Vec::new(),
                last_line: at.into(),
                closed: false,
            });
        }
        let Some(log) = self.logs.last_mut() else {
            return Err(Error::invalid(at, format!("{name}: no log to belong to")));
        };
        let next = log.base.1 + log.events.len() as i64 + 1;
        if r.seq != next {
            return Err(Error::invalid(at, format!("{name}: seq where the log's next is {next}")));
        }
        let prev = log.events.last().map(|e| events::hash32(&e.hash)).unwrap_or(log.base.0);
        let body = r.body(at, &name)?;
        if r.prev_hash.0 != prev {
            return Err(Error::invalid(
                at,
                format!("{name} does not follow the one before it (prev_hash differs): the log was cut or reordered"),
            ));
        }
        if body.hash(&prev) != r.hash.0 {
            return Err(Error::invalid(at, format!("{name} does not match its hash: it was altered")));
        }
        if let Some(h) = body.foreign_head {
            self.foreign_heads.entry(h).or_insert(log.depth + 1);
        }
        log.events.push(StoredEvent { seq: r.seq, body, prev_hash: prev.to_vec(), hash: r.hash.0.to_vec() });
        log.last_line = at.into();
        self.hashes.insert(r.hash.0, r.seq);
        Ok(!events::known_hash(self.w.tx(), &r.hash.0)?)
    }

    /// Ends the imported log being read: it must have reached its head.
    fn end_log(&mut self) -> Result<()> {
        let Some(log) = self.logs.last_mut().filter(|l| !l.closed) else { return Ok(()) };
        log.closed = true;
        if log.events.last().map(|e| events::hash32(&e.hash)) != Some(log.head) {
            return Err(Error::invalid(
                &log.last_line,
                format!(
                    "the imported log with head {} ends at its event {} without reaching its head: cut",
                    ContentHash(log.head),
                    log.events.len()
                ),
            ));
        }
        Ok(())
    }

    /// The logs this import keeps: the bundle's own log when it holds an event
    /// the ledger lacks, and each imported log whose head the ledger holds
    /// nowhere (neither in its own log, nor in a log it keeps, nor in one kept
    /// before it by this import). A log that arrives by two paths, or comes
    /// back to the ledger that wrote it, is kept once or not at all; of a log
    /// that continues one the ledger holds (the same ledger's bundle again,
    /// later), only the events after the last one it holds are kept.
    fn imported_logs(&mut self) -> Result<events::Imported> {
        let chain = std::mem::take(&mut self.chain);
        let mut have: HashSet<[u8; 32]> = HashSet::new();
        let own = if self.fresh { Some(self.new_part(chain, &mut have)?) } else { None };
        let mut nested = Vec::new();
        for log in std::mem::take(&mut self.logs) {
            if have.contains(&log.head) || events::known_hash(self.w.tx(), &log.head)? {
                continue;
            }
            nested.push((log.depth, self.new_part(log.events, &mut have)?));
        }
        Ok(events::Imported { own, nested })
    }

    /// The events of a log after the last one the ledger or this import holds
    /// (all of them when it holds none); their hashes join `have`.
    fn new_part(&self, mut log: Vec<StoredEvent>, have: &mut HashSet<[u8; 32]>) -> Result<Vec<StoredEvent>> {
        let mut held = 0;
        for (i, e) in log.iter().enumerate().rev() {
            let h = events::hash32(&e.hash);
            if have.contains(&h) || events::known_hash(self.w.tx(), &h)? {
                held = i + 1;
                break;
            }
        }
        let fresh = log.split_off(held);
        have.extend(fresh.iter().map(|e| events::hash32(&e.hash)));
        Ok(fresh)
    }

    /// A re-anchoring: the same ID, or the same two revisions, is merged (its
    /// moves then decide whether it is the same re-anchoring); else written.
    fn reanchoring(&mut self, at: &str, r: ReanchoringRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Reanchoring)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        if self.reanchorings.contains_key(&r.id) {
            return Err(Error::invalid(at, format!("re-anchoring {} twice", r.id)));
        }
        let (from, to) = (self.rev_id(at, r.from)?, self.rev_id(at, r.to)?);
        let tx = self.w.tx();
        let doc = |id| -> Result<DocumentId> {
            documents::get_revision(tx, id)?.map(|x| x.document).ok_or_else(|| Error::not_found(Entity::Revision, id))
        };
        if from == to || doc(from)? != doc(to)? {
            return Err(Error::invalid(
                at,
                format!("re-anchoring {} is not from one revision to another of the same document", r.id),
            ));
        }
        let existing = match reanchors::by_uuid(tx, r.id)? {
            Some(e) if e.from != from || e.to != to || e.actor != r.actor => {
                return Err(Self::conflict(at, Kind::Reanchoring, r.id, "revisions or actor"));
            }
            Some(e) => Some(e),
            None => reanchors::by_revisions(tx, from, to)?,
        };
        let (row, moves, new) = match existing {
            Some(e) => {
                let moves = reanchors::moves(tx, Some(e.row))?
                    .into_iter()
                    .filter_map(|(_, m)| move_key(&m).map(|k| (k, m)))
                    .collect();
                (e.row, moves, false)
            }
            None => (reanchors::insert(tx, r.id, from, to, r.actor.as_deref(), created)?, HashMap::new(), true),
        };
        self.reanchorings.insert(r.id, Landing { row, from, to, moves });
        Ok(new)
    }

    /// An anchor move of a re-anchoring before it: the same as the one the
    /// ledger holds for that anchor (merged), another (a conflict), or new.
    fn anchor_move(&mut self, at: &str, r: AnchorMoveRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::AnchorMove)?;
        let Some(x) = self.reanchorings.get(&r.reanchoring) else {
            return Err(Error::invalid(
                at,
                format!("re-anchoring {} is not in the bundle before this line", r.reanchoring),
            ));
        };
        let (from, to, row) = (x.from, x.to, x.row);
        let not_of = |what: &str, id: uuid::Uuid| {
            Error::invalid(at, format!("{what} {id} is not of the re-anchoring's old revision"))
        };
        let (tx, _, taxonomy, _) = self.w.parts();
        let mut m = MoveRow {
            kind: r.kind,
            passage: None,
            redaction: None,
            quotation: None,
            state: r.state,
            span: None,
            new_passage: None,
            score: r.score,
            differences: r.differences,
            released_text: r.released_text,
            reason: r.reason,
        };
        match r.kind {
            AnchorKind::Passage => {
                let id = self.passage_id(at, PassageId::from_uuid(r.anchor))?;
                let p = passages::get(self.w.tx(), id)?.ok_or_else(|| Error::not_found(Entity::Passage, id))?;
                if p.span.revision != from {
                    return Err(not_of("passage", r.anchor));
                }
                m.passage = Some(id);
            }
            AnchorKind::Redaction => {
                let bundled = RedactionId::from_uuid(r.anchor);
                let id = self.redactions.get(&bundled).copied().unwrap_or(bundled);
                match redactions::get(tx, taxonomy, id)? {
                    Some(d) if d.span.revision == from => m.redaction = Some(id),
                    Some(_) => return Err(not_of("redaction", r.anchor)),
                    None => {
                        return Err(Error::invalid(
                            at,
                            format!("redaction {id} is neither in the bundle (before this line) nor in the ledger"),
                        ));
                    }
                }
            }
            AnchorKind::Quotation => {
                let bundled = QuotationId::from_uuid(r.anchor);
                let id = self.quotations.get(&bundled).copied().unwrap_or(bundled);
                let Some(q) = quotations::get(tx, id)? else {
                    return Err(Error::invalid(
                        at,
                        format!("quotation {id} is neither in the bundle (before this line) nor in the ledger"),
                    ));
                };
                let on = match q.passage {
                    Some(p) => passages::get(tx, p)?.map(|p| p.span.revision),
                    None => None,
                };
                if on != Some(from) {
                    return Err(not_of("quotation", r.anchor));
                }
                m.quotation = Some(id);
            }
        }
        if let Some(p) = r.passage {
            let id = self.passage_id(at, p)?;
            let np = passages::get(self.w.tx(), id)?.ok_or_else(|| Error::not_found(Entity::Passage, id))?;
            if np.span.revision != to {
                return Err(Error::invalid(at, format!("passage {p} is not of the re-anchoring's new revision")));
            }
            m.new_passage = Some(id);
        }
        m.span = match (r.start, r.end, r.byte_start, r.byte_end) {
            (None, None, None, None) => None,
            (Some(s), Some(e), Some(bs), Some(be)) => {
                let (tx, cache, _, _) = self.w.parts();
                let text = cache.get(tx, to)?;
                let bad =
                    |why: String| Error::invalid(at, format!("offsets {s}..{e} do not match the new text: {why}"));
                let bytes = text.index.range_to_bytes(s, e).map_err(|e| bad(e.to_string()))?;
                if bytes != (bs, be) {
                    return Err(bad(format!(
                        "code points {s}..{e} are bytes {}..{}, not {bs}..{be}",
                        bytes.0, bytes.1
                    )));
                }
                Some(bytes)
            }
            _ => return Err(Error::invalid(at, "start, end, byte_start and byte_end must be all given or all null")),
        };
        let key = move_key(&m).ok_or_else(|| Error::invalid(at, "a move without an anchor"))?;
        let x = self.reanchorings.get_mut(&r.reanchoring).ok_or_else(|| Error::invalid(at, "no re-anchoring"))?;
        match x.moves.get(&key) {
            Some(e) if *e == m => Ok(false),
            Some(_) => Err(Self::conflict(
                at,
                Kind::AnchorMove,
                format!("of {} {}", r.kind.code(), r.anchor),
                "the ledger's re-anchoring of the same revisions found otherwise",
            )),
            None => {
                reanchors::insert_move(self.w.tx(), row, &m)?;
                x.moves.insert(key, m);
                Ok(true)
            }
        }
    }

    /// A withdrawal: the same ID with the same target and reason is merged,
    /// with others a conflict. An item is the one the ledger read at the same
    /// place of the same footnote passage, with the same text, else the bundle
    /// is refused (this build's parser reads that footnote otherwise).
    fn withdrawal(&mut self, at: &str, r: WithdrawalRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::Withdrawal)?;
        let created = parse_instant(&format!("{at} created_at"), &r.created_at)?;
        let target = match (r.target.as_str(), r.origin, r.item, r.document, r.undoes) {
            ("origin", Some(o), None, None, None) => WithdrawalTarget::Origin(o),
            ("document", None, None, Some(d), None) => WithdrawalTarget::Document(self.doc_id(at, d)?),
            ("undo", None, None, None, Some(u)) => {
                if evidence::withdrawal(self.w.tx(), u)?.is_none() {
                    return Err(Error::invalid(
                        at,
                        format!("withdrawal {u} is neither in the bundle (before this line) nor in the ledger"),
                    ));
                }
                WithdrawalTarget::Undo(u)
            }
            ("item", None, Some(i), None, None) => {
                let passage = self.passage_id(at, i.passage)?;
                if !self.items_read {
                    crate::sources::fill_evidence_items(self.w.tx())?;
                    self.items_read = true;
                }
                let (tx, cache, _, _) = self.w.parts();
                let Some(item) = evidence::item_at(tx, passage, i.seq)? else {
                    return Err(Error::invalid(
                        at,
                        format!("footnote passage {} has no item {} in this ledger", i.passage, i.seq),
                    ));
                };
                let text = cache.get(tx, item.span.revision)?;
                let here = text.text().get(item.span.start..item.span.end).unwrap_or_default();
                if here != i.exact {
                    return Err(Error::invalid(
                        at,
                        format!(
                            "item {} of footnote passage {} reads {here:?} in this ledger, not {:?}",
                            i.seq, i.passage, i.exact
                        ),
                    ));
                }
                WithdrawalTarget::Item(item.id)
            }
            (t, ..) => {
                return Err(Error::invalid(
                    at,
                    format!(
                        "a withdrawal of target {t:?} must give exactly that target's field (origin, item, document or undoes)"
                    ),
                ));
            }
        };
        let tx = self.w.tx();
        match evidence::withdrawal(tx, r.id)? {
            Some(e) if e.target == target && e.reason == r.reason.trim() => Ok(false),
            Some(_) => Err(Self::conflict(at, Kind::Withdrawal, r.id, "target or reason")),
            None => {
                evidence::insert_withdrawal_at(tx, r.id, &target, &r.reason, created)?;
                Ok(true)
            }
        }
    }

    fn reason(&mut self, at: &str, r: ReasonRec) -> Result<bool> {
        Self::check_tag(at, &r.kind_tag, Kind::RedactionReason)?;
        let existing = redactions::stored_reasons(self.w.tx())?
            .into_iter()
            .find(|(x, _)| x.scheme == r.scheme && x.code == r.code);
        match existing {
            Some((x, aliases)) if x.label == r.label && aliases == r.aliases => Ok(false),
            Some(_) => {
                Err(Self::conflict(at, Kind::RedactionReason, format!("{}:{}", r.scheme, r.code), "label or aliases"))
            }
            None => {
                let reason = RedactionReason { scheme: r.scheme, code: r.code, label: r.label };
                self.w.register_redaction_reason(reason, &r.aliases)?;
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> Result<Vec<String>> {
        let mut lines = Lines { input, n: 0, buf: String::new() };
        let mut out = Vec::new();
        while let Some(l) = lines.next()? {
            out.push(l.to_string());
        }
        Ok(out)
    }

    #[test]
    fn lines_must_end_and_hold_something() {
        assert_eq!(read_all(b"{}\n{\"a\":1}\r\n").unwrap(), ["{}", "{\"a\":1}"]);
        assert!(read_all(b"").unwrap().is_empty());
        let e = read_all(b"{}\n{\"a\":").unwrap_err();
        assert!(e.to_string().contains("line 2") && e.to_string().contains("truncated"), "{e}");
        assert!(read_all(b"{}\n\n{}\n").unwrap_err().to_string().contains("empty line"));
        assert!(read_all(b"{}\n\xc3\x28\n").unwrap_err().to_string().contains("UTF-8"));
    }

    #[test]
    fn kinds_are_in_dependency_order() {
        let order = [
            "document",
            "revision",
            "claim",
            "claim_part",
            "passage",
            "redaction",
            "quotation",
            "citation",
            "derivation",
            "verdict",
            "redaction_reason",
            "reanchoring",
            "anchor_move",
            "withdrawal",
            "event",
            "foreign_event",
        ];
        let kinds: Vec<Kind> = order.iter().map(|c| Kind::from_code(c).unwrap()).collect();
        assert!(kinds.windows(2).all(|w| w[0] < w[1]));
        assert!(kinds.iter().zip(order).all(|(k, c)| k.code() == c));
        assert!(Kind::from_code("footnote").is_none());
        let mut c = BundleCounts::default();
        for k in &kinds {
            *c.slot(*k) += 2;
        }
        assert_eq!(c.total(), 32, "every one of the 16 kinds has its own count");
        let d = differences(&c, &BundleCounts { claims: 2, ..c });
        assert!(d.is_empty());
        let d = differences(&BundleCounts { claims: 1, ..c }, &c);
        assert_eq!(d, "claims: 1 of 2");
    }
}
