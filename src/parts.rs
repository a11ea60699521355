//! Claims in parts: the API to divide a statement into checkable assertions and
//! cite each on its own.
//!
//! # Design
//!
//! A part is a span inside its claim ([`NewClaimPart`]); a citation is recorded
//! on the claim as always and linked to the parts it bears on
//! ([`Writer::cite_part`]). A citation linked to no part bears on the whole
//! statement, so a claim without parts is one implicit part. The statement's
//! state is derived from its parts by [`crate::state`], the one definition the
//! audit, the coverage figures, the report and the exports share; the storage
//! (`storage::parts`) keeps the claim's aggregate of them for the figures.
//!
//! ```
//! use claimledger::*;
//! # fn main() -> claimledger::Result<()> {
//! let mut ledger = Ledger::open_in_memory()?;
//! let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
//! let srev = ledger.add_revision(src.id, NewRevision::new("The files were hacked. They were released on July 25."))?;
//! let text = "The files, hacked from the network, were released on July 22.";
//! let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "News"), text)?;
//! let claim = art.claims[0].id;
//! let hacked = ledger.add_passage(NewPassage::new(Span::new(srev.id, 0, 22)))?;
//! let released = ledger.add_passage(NewPassage::new(Span::new(srev.id, 23, 53)))?;
//! ledger.write(|w| {
//!     let a = w.add_part(&NewClaimPart::new(claim, Span::new(art.revision.id, 10, 34)))?;
//!     let b = w.add_part(&NewClaimPart::new(claim, Span::new(art.revision.id, 40, 61)))?;
//!     let c = w.add_citation(&NewCitation::new(claim, hacked.id, Relation::Supports))?;
//!     w.cite_part(a.id, c.id)?;
//!     let c = w.add_citation(&NewCitation::new(claim, released.id, Relation::Context))?;
//!     w.cite_part(b.id, c.id)?;
//!     Ok(())
//! })?;
//! assert_eq!(ledger.coverage(art.document.id)?.counts.partly_supported, 1);
//! assert_eq!(ledger.claim_parts(claim)?.len(), 2);
//! # Ok(()) }
//! ```

use crate::storage::{now_millis, parts};
use crate::{CitationId, ClaimId, ClaimPart, ClaimPartId, Ledger, NewClaimPart, Result, RevisionId, Writer};

impl Ledger {
    /// Adds a part to a claim, in its own transaction; see [`Writer::add_part`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_part`].
    pub fn add_part(&mut self, part: NewClaimPart) -> Result<ClaimPart> {
        self.write_event(crate::EventKind::AddPart, None, |w| w.add_part(&part))
    }

    /// A part by ID.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`] on a database failure.
    pub fn claim_part(&self, id: ClaimPartId) -> Result<Option<ClaimPart>> {
        parts::get(self.conn(), id)
    }

    /// The parts of a claim, in text order (empty when it is not divided).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`] on a database failure.
    pub fn claim_parts(&self, claim: ClaimId) -> Result<Vec<ClaimPart>> {
        parts::of_claim(self.conn(), claim)
    }

    /// The parts of every claim of a revision, in text order.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`] on a database failure.
    pub fn claim_parts_of_revision(&self, revision: RevisionId) -> Result<Vec<ClaimPart>> {
        parts::of_revision(self.conn(), revision)
    }
}

impl Writer<'_> {
    /// Adds a part to a claim: a non-empty span inside the claim's span, on its
    /// revision, overlapping no other part of it.
    ///
    /// # Errors
    ///
    /// [`crate::Error::NotFound`] for an unknown claim;
    /// [`crate::Error::InvalidSpan`] for an empty span or one outside the claim;
    /// [`crate::Error::InvalidInput`] for a span on another revision or one
    /// overlapping another part; [`crate::Error::Conflict`] when a part already
    /// covers exactly that span (use [`Writer::ensure_part`] to reuse it).
    pub fn add_part(&mut self, part: &NewClaimPart) -> Result<ClaimPart> {
        let (tx, cache, _, _) = self.parts();
        parts::insert_at(tx, cache, ClaimPartId::new(), part, now_millis())
    }

    /// Adds a part, or returns the one already on the same span of the claim.
    ///
    /// # Errors
    ///
    /// As [`Writer::add_part`], without the conflict.
    pub fn ensure_part(&mut self, part: &NewClaimPart) -> Result<ClaimPart> {
        let (tx, cache, _, _) = self.parts();
        parts::ensure(tx, cache, ClaimPartId::new(), part, now_millis()).map(|(p, _)| p)
    }

    /// Links a citation of the claim to one of its parts: the citation then
    /// bears on the parts it is linked to only. Linking twice changes nothing;
    /// the flag says whether the link is new.
    ///
    /// # Errors
    ///
    /// [`crate::Error::NotFound`] for an unknown part or citation;
    /// [`crate::Error::InvalidInput`] when the citation is of another claim.
    pub fn cite_part(&mut self, part: ClaimPartId, citation: CitationId) -> Result<bool> {
        parts::link(self.tx(), part, citation)
    }
}
