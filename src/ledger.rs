//! The ledger: the public face of the storage layer.

use crate::state::{Aggregate, PartEvidence};
use crate::storage::events::{self, Recorder};
use crate::storage::{
    self, Hot, OpenOptions, RowCache, TextCache, citations, claims, coverage, documents, passages, quotations,
    redactions, verdicts,
};
use crate::taxonomy::{RedactionReason, Taxonomy};
use crate::{
    Citation, CitationId, Claim, ClaimId, CoverageCounts, Derivation, DerivationId, Document, DocumentCoverage,
    DocumentId, Error, EventKind, Exemption, NewCitation, NewClaim, NewDerivation, NewDocument, NewPassage,
    NewQuotation, NewRedaction, NewRevision, NewVerdict, Passage, PassageId, Quotation, QuotationId, Redaction,
    RedactionId, Relation, Result, Revision, RevisionId, Span, Verdict, VerdictId, span,
};
use rusqlite::{Connection, Transaction};
use std::path::{Path, PathBuf};

/// A claims-and-sources ledger in one SQLite file.
///
/// Open one with [`Ledger::open`] (a file) or [`Ledger::open_in_memory`]. Every
/// write runs in a transaction: the single-record calls (`add_*`) each in their own,
/// and [`Ledger::write`] runs many writes in one, which is both atomic and much
/// faster for bulk work. Readers return `Result<Option<T>>` for one record and
/// `Result<Vec<T>>` for lists.
///
/// ```
/// use claimledger::*;
/// # fn main() -> claimledger::Result<()> {
/// let mut ledger = Ledger::open_in_memory()?;
/// let doc = ledger.add_document(NewDocument::new(DocumentKind::Report, "Annual report"))?;
/// let rev = ledger.add_revision(doc.id, NewRevision::new("Costs rose 4%. Staff fell."))?;
/// let claim = ledger.add_claim(NewClaim::new(Span::new(rev.id, 0, 14)))?;
/// assert_eq!(ledger.text(&claim.span)?, "Costs rose 4%.");
/// assert_eq!(ledger.uncited_claims(rev.id)?.len(), 1);
/// # Ok(()) }
/// ```
pub struct Ledger {
    conn: Connection,
    taxonomy: Taxonomy,
    path: Option<PathBuf>,
    /// Notes the rows each write touches, for its event (none when read-only).
    recorder: Option<Recorder>,
    /// Who writes, as the history records it.
    actor: Option<String>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("path", &self.path).finish_non_exhaustive()
    }
}

/// Writes within one transaction; see [`Ledger::write`].
pub struct Writer<'a> {
    tx: &'a Transaction<'a>,
    cache: TextCache,
    rows: RowCache,
    hot: Hot<'a>,
    /// UUIDv7 generator of this transaction: monotonic within it, no lock.
    ids: uuid::ContextV7,
    /// The clock read by the last `next_uuid` (seconds, nanoseconds).
    clock: (u64, u32),
    taxonomy: Taxonomy,
    /// Rows of the passage index this write records in its event
    /// (`storage::events::INDEX`, which the update hook does not note).
    noted: Vec<(u8, i64)>,
}

impl Ledger {
    /// Opens the ledger file at `path`, creating it when it does not exist, and
    /// upgrades its schema when it is older than this build's.
    ///
    /// # Errors
    ///
    /// - [`Error::NotALedger`]: the file is not a SQLite database, is corrupt, or is
    ///   another application's database. The file is not modified.
    /// - [`Error::IncompatibleSchema`]: written by a newer version. Not modified.
    /// - [`Error::ReadOnly`]: the file cannot be written (see [`Ledger::open_with`]
    ///   with [`OpenOptions::read_only`]).
    /// - [`Error::MigrationFailed`]: a pending migration failed; nothing was changed.
    /// - [`Error::Io`], [`Error::Busy`].
    pub fn open(path: impl AsRef<Path>) -> Result<Ledger> {
        Ledger::open_with(path, &OpenOptions::default())
    }

    /// Opens the ledger file at `path` with options.
    ///
    /// # Errors
    ///
    /// As [`Ledger::open`]; a read-only open of a missing or empty file, or of a
    /// ledger that needs an upgrade, is [`Error::NotALedger`] or [`Error::ReadOnly`].
    pub fn open_with(path: impl AsRef<Path>, options: &OpenOptions) -> Result<Ledger> {
        let path = path.as_ref();
        if options.read_only && !path.exists() {
            return Err(Error::io(path, std::io::Error::new(std::io::ErrorKind::NotFound, "no such ledger file")));
        }
        let conn = storage::open(Some(path), options)?;
        Ledger::new(conn, options, Some(path.to_path_buf()))
    }

    /// Opens a ledger running `extra` migrations after the embedded ones, through
    /// the same open path: for testing upgrades (and failing upgrades) without
    /// shipping them. `extra` holds `(file name, SQL)` pairs named like the files in
    /// `migrations/` (`V{n}__{name}.sql`).
    ///
    /// # Errors
    ///
    /// As [`Ledger::open_with`]; [`Error::InvalidInput`] for a badly named
    /// migration; [`Error::MigrationFailed`] when one fails (nothing is changed).
    #[doc(hidden)]
    pub fn open_with_migrations(
        path: impl AsRef<Path>,
        options: &OpenOptions,
        extra: &[(&str, &str)],
    ) -> Result<Ledger> {
        let path = path.as_ref();
        let mut migrations = storage::migrate::embedded();
        for (name, sql) in extra {
            migrations.push(storage::migrate::Migration::parse(name, sql)?);
        }
        let conn = storage::open_with(Some(path), options, &migrations)?;
        Ledger::new(conn, options, Some(path.to_path_buf()))
    }

    /// Opens a private, empty ledger in memory.
    ///
    /// # Errors
    ///
    /// Only if SQLite cannot allocate it ([`Error::Sqlite`]).
    pub fn open_in_memory() -> Result<Ledger> {
        let options = OpenOptions::default();
        let conn = storage::open(None, &options)?;
        Ledger::new(conn, &options, None)
    }

    fn new(mut conn: Connection, options: &OpenOptions, path: Option<PathBuf>) -> Result<Ledger> {
        let taxonomy = redactions::load_taxonomy(&conn)?;
        let recorder = if options.read_only { None } else { Some(Recorder::install(&mut conn)?) };
        Ok(Ledger { conn, taxonomy, path, recorder, actor: options.actor.clone() })
    }

    /// Who writes from now on, as the history records it (each event's
    /// `actor`; see [`crate::history`]). `None`: nobody named.
    pub fn set_actor(&mut self, actor: Option<String>) {
        self.actor = actor;
    }

    /// Who writes, as the history records it.
    pub fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }

    /// The file this ledger lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The redaction reasons known to this ledger: the built-in schemes and every
    /// reason registered in it.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Runs `f` in one transaction: everything it writes is committed when it
    /// returns `Ok` and rolled back, leaving the ledger as it was, when it returns
    /// `Err`.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let doc = ledger.add_document(NewDocument::new(DocumentKind::Article, "A"))?;
    /// let rev = ledger.add_revision(doc.id, NewRevision::new("One. Two. Three."))?;
    /// // One transaction for many claims; a bad span rolls all of them back.
    /// let err = ledger.write(|w| {
    ///     w.add_claim(&NewClaim::new(Span::new(rev.id, 0, 4)))?;
    ///     w.add_claim(&NewClaim::new(Span::new(rev.id, 5, 99)))
    /// });
    /// assert!(err.unwrap_err().is_invalid_span());
    /// assert!(ledger.claims(rev.id)?.is_empty());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Whatever `f` returns, and [`Error::Busy`] when another connection holds the
    /// write lock past the busy timeout.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.write_event(EventKind::Write, None, f)
    }

    /// [`Ledger::write`], recording its event as `what` by `actor` (else the
    /// ledger's actor): every write path of the library comes through here.
    pub(crate) fn write_event<T>(
        &mut self,
        what: EventKind,
        actor: Option<&str>,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write_logged(what, actor, |w| f(w).map(|out| (out, events::Imported::default())))
    }

    /// [`Ledger::write_event`] for a write that also records imported logs: `f`
    /// returns them (the bundle's own log, whose head the local event holds, and
    /// the logs nested in it, stored under the local event once it exists).
    pub(crate) fn write_logged<T>(
        &mut self,
        what: EventKind,
        actor: Option<&str>,
        f: impl FnOnce(&mut Writer<'_>) -> Result<(T, events::Imported)>,
    ) -> Result<T> {
        let recorder = self.recorder.clone();
        let actor = actor.or(self.actor.as_deref()).map(str::to_string);
        if let Some(r) = &recorder {
            r.clear();
        }
        let taxonomy = self.taxonomy.clone();
        let (out, taxonomy) = storage::write(&mut self.conn, |tx| {
            let mut w = Writer {
                tx,
                cache: TextCache::default(),
                rows: RowCache::default(),
                hot: Hot::new(tx),
                ids: uuid::ContextV7::new(),
                clock: (0, 0),
                taxonomy,
                noted: Vec::new(),
            };
            let (out, foreign) = f(&mut w)?;
            let taxonomy = w.taxonomy;
            let mut changes = recorder.as_ref().map(Recorder::take).unwrap_or_default();
            changes.append(&mut w.noted);
            let head = foreign.own.as_ref().and_then(|c| c.last()).map(|e| events::hash32(&e.hash));
            let force = !foreign.nested.is_empty();
            // A bundle import records in its hashed form (form 2) the logs it
            // kept, so that `verify` finds one deleted or added later.
            let kept = (what == EventKind::BundleImport).then(|| foreign.kept());
            let recorded = events::record(tx, changes, what, actor.as_deref(), head, kept.as_deref(), force)?;
            if let Some(ev) = recorded {
                if let Some(chain) = foreign.own.as_ref().filter(|c| !c.is_empty()) {
                    events::insert_foreign(tx, ev.seq, 1, chain)?;
                }
                for (depth, chain) in &foreign.nested {
                    events::insert_foreign(tx, ev.seq, *depth, chain)?;
                }
            }
            Ok((out, taxonomy))
        })?;
        self.taxonomy = taxonomy;
        Ok(out)
    }

    /// Runs `f` on one consistent snapshot: every read inside sees the same
    /// committed state of the ledger, however many transactions other connections
    /// commit meanwhile (a read transaction; writers are not blocked in WAL mode).
    /// Single reader calls outside `snapshot` each see the latest committed state.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let doc = ledger.add_document(NewDocument::new(DocumentKind::Report, "R"))?;
    /// let rev = ledger.add_revision(doc.id, NewRevision::new("One. Two."))?;
    /// ledger.add_claim(NewClaim::new(Span::new(rev.id, 0, 4)))?;
    /// let (claims, uncited) = ledger.snapshot(|l| Ok((l.claims(rev.id)?.len(), l.uncited_claims(rev.id)?.len())))?;
    /// assert_eq!((claims, uncited), (1, 1));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Whatever `f` returns; [`Error::Busy`] or [`Error::Sqlite`] when the read
    /// transaction cannot begin or end.
    pub fn snapshot<T>(&mut self, f: impl FnOnce(&Ledger) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Deferred)?;
        let out = f(self);
        // A read transaction has nothing to keep: end it either way.
        tx.rollback()?;
        out
    }

    /// Adds a document. See [`Writer::add_document`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_document`].
    pub fn add_document(&mut self, doc: NewDocument) -> Result<Document> {
        self.write_event(EventKind::AddDocument, None, |w| w.add_document(&doc))
    }

    /// Adds a revision to a document, or returns the existing revision with the
    /// same text. See [`Writer::add_revision`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_revision`].
    pub fn add_revision(&mut self, document: DocumentId, rev: NewRevision) -> Result<Revision> {
        self.write_event(EventKind::AddRevision, None, |w| w.add_revision(document, &rev))
    }

    /// Adds a claim. See [`Writer::add_claim`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_claim`].
    pub fn add_claim(&mut self, claim: NewClaim) -> Result<Claim> {
        self.write_event(EventKind::AddClaims, None, |w| w.add_claim(&claim))
    }

    /// Adds many claims in one transaction: all or none.
    ///
    /// # Errors
    ///
    /// As [`Writer::add_claim`], for the first claim that fails.
    pub fn add_claims(&mut self, claims: impl IntoIterator<Item = NewClaim>) -> Result<Vec<Claim>> {
        self.write_event(EventKind::AddClaims, None, |w| claims.into_iter().map(|c| w.add_claim(&c)).collect())
    }

    /// Adds a passage. See [`Writer::add_passage`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_passage`].
    pub fn add_passage(&mut self, passage: NewPassage) -> Result<Passage> {
        self.write_event(EventKind::AddPassage, None, |w| w.add_passage(&passage))
    }

    /// Adds a quotation. See [`Writer::add_quotation`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_quotation`].
    pub fn add_quotation(&mut self, quotation: NewQuotation) -> Result<Quotation> {
        self.write_event(EventKind::AddQuotation, None, |w| w.add_quotation(&quotation))
    }

    /// Adds a redaction. See [`Writer::add_redaction`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_redaction`].
    pub fn add_redaction(&mut self, redaction: NewRedaction) -> Result<Redaction> {
        self.write_event(EventKind::AddRedactions, None, |w| w.add_redaction(&redaction))
    }

    /// Adds many redactions in one transaction: all or none.
    ///
    /// # Errors
    ///
    /// As [`Writer::add_redaction`], for the first that fails.
    pub fn add_redactions(&mut self, redactions: impl IntoIterator<Item = NewRedaction>) -> Result<Vec<Redaction>> {
        self.write_event(EventKind::AddRedactions, None, |w| {
            redactions.into_iter().map(|r| w.add_redaction(&r)).collect()
        })
    }

    /// Adds a citation. See [`Writer::add_citation`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_citation`].
    pub fn add_citation(&mut self, citation: NewCitation) -> Result<Citation> {
        self.write_event(EventKind::AddCitations, None, |w| w.add_citation(&citation))
    }

    /// Adds many citations in one transaction: all or none.
    ///
    /// # Errors
    ///
    /// As [`Writer::add_citation`], for the first that fails.
    pub fn add_citations(&mut self, citations: impl IntoIterator<Item = NewCitation>) -> Result<Vec<Citation>> {
        self.write_event(EventKind::AddCitations, None, |w| citations.into_iter().map(|c| w.add_citation(&c)).collect())
    }

    /// Adds a derivation. See [`Writer::add_derivation`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_derivation`].
    pub fn add_derivation(&mut self, derivation: NewDerivation) -> Result<Derivation> {
        self.write_event(EventKind::AddDerivation, None, |w| w.add_derivation(&derivation))
    }

    /// Registers a redaction reason of the user's own scheme, with aliases (labels
    /// that stand for it in sources). Redactions written afterwards resolve these
    /// labels. Returns the aliases not added because another reason has them.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty scheme, code or label.
    pub fn register_redaction_reason(&mut self, reason: RedactionReason, aliases: &[String]) -> Result<Vec<String>> {
        self.write_event(EventKind::RegisterReason, None, |w| w.register_redaction_reason(reason, aliases))
    }

    /// A document by ID.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`] and kin on a database failure.
    pub fn document(&self, id: DocumentId) -> Result<Option<Document>> {
        documents::get_document(&self.conn, id)
    }

    /// Every document, oldest first.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn documents(&self) -> Result<Vec<Document>> {
        documents::list_documents(&self.conn)
    }

    /// Documents with exactly this title, oldest first.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn documents_titled(&self, title: &str) -> Result<Vec<Document>> {
        documents::find_documents_by_title(&self.conn, title)
    }

    /// A revision by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn revision(&self, id: RevisionId) -> Result<Option<Revision>> {
        documents::get_revision(&self.conn, id)
    }

    /// The revisions of a document, oldest first.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn revisions(&self, document: DocumentId) -> Result<Vec<Revision>> {
        documents::list_revisions(&self.conn, document)
    }

    /// The latest revision of a document.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn latest_revision(&self, document: DocumentId) -> Result<Option<Revision>> {
        documents::latest_revision(&self.conn, document)
    }

    /// The text of a span.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown revision, [`Error::InvalidSpan`] for a span
    /// that does not fit its text.
    pub fn text(&self, span: &Span) -> Result<String> {
        let (_, _, text) = documents::revision_text(&self.conn, span.revision)?;
        span::check_range(&text, span.start, span.end)?;
        Ok(text[span.start..span.end].to_string())
    }

    /// A claim by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn claim(&self, id: ClaimId) -> Result<Option<Claim>> {
        claims::get(&self.conn, id)
    }

    /// The claims of a revision, in text order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn claims(&self, revision: RevisionId) -> Result<Vec<Claim>> {
        claims::of_revision(&self.conn, revision)
    }

    /// The claims of a revision that need a source and cite none, in text order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn uncited_claims(&self, revision: RevisionId) -> Result<Vec<Claim>> {
        claims::uncited(&self.conn, revision)
    }

    /// The coverage figures of a document's latest revision (total, exempt,
    /// uncited, supported, context only, contradicted statements), computed in
    /// SQL without loading the records: the counts [`Ledger::audit`] reports, at a
    /// fraction of its cost.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
    /// let srev = ledger.add_revision(src.id, NewRevision::new("Sales fell 3% in 2023."))?;
    /// let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "News"), "Sales fell. Staff left.")?;
    /// let p = ledger.add_passage(NewPassage::new(Span::new(srev.id, 0, 22)))?;
    /// ledger.add_citation(NewCitation::new(art.claims[0].id, p.id, Relation::Supports))?;
    /// let c = ledger.coverage(art.document.id)?;
    /// assert_eq!((c.counts.total, c.counts.supported, c.counts.uncited), (2, 1, 1));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document or one without text.
    pub fn coverage(&self, document: DocumentId) -> Result<DocumentCoverage> {
        coverage::of_document(&self.conn, document)
    }

    /// The coverage figures of one revision (see [`Ledger::coverage`]).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown revision.
    pub fn coverage_of_revision(&self, revision: RevisionId) -> Result<CoverageCounts> {
        coverage::of_revision(&self.conn, revision)
    }

    /// The coverage figures of every document whose latest revision has claims
    /// (every traced article), in the order the documents were added: one
    /// aggregate query over the whole ledger.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn coverage_all(&self) -> Result<Vec<DocumentCoverage>> {
        coverage::all(&self.conn)
    }

    /// A passage by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn passage(&self, id: PassageId) -> Result<Option<Passage>> {
        passages::get(&self.conn, id)
    }

    /// The passages of a revision, in text order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn passages(&self, revision: RevisionId) -> Result<Vec<Passage>> {
        passages::of_revision(&self.conn, revision)
    }

    /// The passages of a revision that derive from others, in text order.
    pub(crate) fn deriving_passages(&self, revision: RevisionId) -> Result<Vec<Passage>> {
        passages::deriving_of_revision(&self.conn, revision)
    }

    /// A quotation by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn quotation(&self, id: QuotationId) -> Result<Option<Quotation>> {
        quotations::get(&self.conn, id)
    }

    /// The quotations of a claim, in text order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn quotations(&self, claim: ClaimId) -> Result<Vec<Quotation>> {
        quotations::of_claim(&self.conn, claim)
    }

    /// The quotations of every claim of a revision, in text order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn quotations_of_revision(&self, revision: RevisionId) -> Result<Vec<Quotation>> {
        quotations::of_revision(&self.conn, revision)
    }

    /// A redaction by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn redaction(&self, id: RedactionId) -> Result<Option<Redaction>> {
        redactions::get(&self.conn, &self.taxonomy, id)
    }

    /// The redactions of a revision, in text order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn redactions(&self, revision: RevisionId) -> Result<Vec<Redaction>> {
        redactions::of_revision(&self.conn, &self.taxonomy, revision)
    }

    /// The redactions that overlap or touch a span.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn redactions_touching(&self, span: &Span) -> Result<Vec<Redaction>> {
        redactions::touching(&self.conn, &self.taxonomy, span)
    }

    /// Redaction labels of a revision that resolved to no known reason, with their
    /// counts.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn unknown_redaction_labels(&self, revision: RevisionId) -> Result<Vec<(String, u64)>> {
        redactions::unknown_labels(&self.conn, revision)
    }

    /// A citation by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn citation(&self, id: CitationId) -> Result<Option<Citation>> {
        citations::get(&self.conn, id)
    }

    /// The citations of a claim.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn citations(&self, claim: ClaimId) -> Result<Vec<Citation>> {
        citations::of_claim(&self.conn, claim)
    }

    /// The citations of every claim of a revision, in claim order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn citations_of_revision(&self, revision: RevisionId) -> Result<Vec<Citation>> {
        citations::of_revision(&self.conn, revision)
    }

    /// The citations pointing at a passage.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn citations_of_passage(&self, passage: PassageId) -> Result<Vec<Citation>> {
        citations::of_passage(&self.conn, passage)
    }

    /// A derivation by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn derivation(&self, id: DerivationId) -> Result<Option<Derivation>> {
        citations::get_derivation(&self.conn, id)
    }

    /// What a passage derives from (its footnotes, the passages it quotes or cites).
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn derivations_from(&self, passage: PassageId) -> Result<Vec<Derivation>> {
        citations::from_passage(&self.conn, passage)
    }

    /// Adds a verdict. See [`Writer::add_verdict`].
    ///
    /// # Errors
    ///
    /// As [`Writer::add_verdict`].
    pub fn add_verdict(&mut self, verdict: NewVerdict) -> Result<Verdict> {
        self.write_event(EventKind::Verdict, None, |w| w.add_verdict(&verdict))
    }

    /// A verdict by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn verdict(&self, id: VerdictId) -> Result<Option<Verdict>> {
        verdicts::get(&self.conn, id)
    }

    /// The verdicts of a claim, oldest first.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn verdicts(&self, claim: ClaimId) -> Result<Vec<Verdict>> {
        verdicts::of_claim(&self.conn, claim)
    }

    /// The verdicts of every claim of a revision, in claim order.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn verdicts_of_revision(&self, revision: RevisionId) -> Result<Vec<Verdict>> {
        verdicts::of_revision(&self.conn, revision)
    }

    /// The connection, for the crate's composing layers that read in bulk.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Copies the ledger, while it stays open, to a new file at `dest` with SQLite's
    /// online backup. An existing file at `dest` is never overwritten. The copy is
    /// one consistent snapshot: writes other connections commit meanwhile are
    /// neither blocked nor copied in part. A copy that fails is removed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `dest` exists; [`Error::Sqlite`] or
    /// [`Error::Io`] when the copy fails.
    pub fn backup_to(&self, dest: impl AsRef<Path>) -> Result<()> {
        let dest = dest.as_ref();
        if dest.exists() {
            return Err(Error::invalid(
                "backup destination",
                format!("{} exists; a backup never overwrites a file", dest.display()),
            ));
        }
        let copy = || -> Result<()> {
            let mut out = Connection::open(dest).map_err(Error::from)?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            // All pages in one step: one read snapshot of the source, which other
            // connections' writes neither block (WAL) nor restart, as they would a
            // copy made in several steps. Busy or Locked only on the destination.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            loop {
                match backup.step(-1)? {
                    rusqlite::backup::StepResult::Done => return Ok(()),
                    _ if std::time::Instant::now() > deadline => {
                        return Err(Error::Busy {
                            source: rusqlite::Error::SqliteFailure(
                                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                                Some("backup destination stayed locked".into()),
                            ),
                        });
                    }
                    _ => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        };
        let out = copy();
        if out.is_err() {
            // Never leave a partial copy behind.
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = dest.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(std::path::PathBuf::from(p));
            }
        }
        out
    }
}

impl<'a> Writer<'a> {
    /// A new time-ordered (UUIDv7) identity for a row of this transaction, and
    /// the row's `created_at`, from one reading of the clock.
    fn next_uuid(&mut self) -> uuid::Uuid {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        self.clock = (now.as_secs(), now.subsec_nanos());
        self.hot.set_now(i64::try_from(now.as_millis()).unwrap_or(i64::MAX));
        self.uuid_now()
    }

    /// Another identity at the time of the last [`Writer::next_uuid`] (rows
    /// written together: a claim and its citations).
    fn uuid_now(&self) -> uuid::Uuid {
        uuid::Uuid::new_v7(uuid::Timestamp::from_unix(&self.ids, self.clock.0, self.clock.1))
    }

    /// The transaction, for the crate's composing layers.
    pub(crate) fn tx(&self) -> &Transaction<'_> {
        self.tx
    }

    /// Records rows this write made in a passage index table
    /// (`storage::events::INDEX`) in its event, as the hook records the rows
    /// of tracked tables.
    pub(crate) fn note_index_rows(&mut self, table: &str, rows: impl IntoIterator<Item = i64>) {
        if let Some(t) = events::index_table(table) {
            self.noted.extend(rows.into_iter().map(|r| (t, r)));
        }
    }

    /// Adds a document with a new ID.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty title.
    pub fn add_document(&mut self, doc: &NewDocument) -> Result<Document> {
        documents::insert_document(self.tx, DocumentId::new(), doc)
    }

    /// Adds a revision holding `rev.text` to a document, or returns the document's
    /// existing revision with the same text (same SHA-256).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document; [`Error::InvalidInput`] when
    /// page labels do not match the pages; [`Error::TooLarge`] over 1 GB.
    pub fn add_revision(&mut self, document: DocumentId, rev: &NewRevision) -> Result<Revision> {
        let (r, created) = documents::insert_revision(self.tx, document, RevisionId::new(), rev)?;
        if created {
            // Its INSERT was the last one: the spans written next on it (an
            // import's redactions and footnotes) need not read the text back.
            self.cache.put(r.id, self.tx.last_insert_rowid(), r.text.clone());
        }
        Ok(r)
    }

    /// Adds a claim.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown revision; [`Error::InvalidSpan`] for an
    /// empty span or one that does not fit the text; [`Error::Conflict`] when a claim
    /// already covers exactly that span.
    pub fn add_claim(&mut self, claim: &NewClaim) -> Result<Claim> {
        let id = ClaimId::from_uuid(self.next_uuid());
        let c = claims::insert(&mut self.hot, &mut self.cache, id, claim, Aggregate::default())?;
        self.rows.put_claim(c.id, self.tx.last_insert_rowid());
        Ok(c)
    }

    /// Adds a claim with its citations: the bulk path for loading traced
    /// articles. The same as [`Writer::add_claim`] followed by
    /// [`Writer::add_citation`] for each `(passage, relation)`, but the claim is
    /// written knowing its evidence, so no row is written twice.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
    /// let srev = ledger.add_revision(src.id, NewRevision::new("Fares rose. Crews left."))?;
    /// let art = ledger.add_document(NewDocument::new(DocumentKind::Article, "News"))?;
    /// let arev = ledger.add_revision(art.id, NewRevision::new("Fares went up."))?;
    /// let (claim, cites) = ledger.write(|w| {
    ///     let p = w.add_passage(&NewPassage::new(Span::new(srev.id, 0, 11)))?;
    ///     w.add_claim_citing(&NewClaim::new(Span::new(arev.id, 0, 14)), &[(p.id, Relation::Paraphrases)])
    /// })?;
    /// assert_eq!(cites[0].claim, claim.id);
    /// assert_eq!(ledger.coverage(art.id)?.counts.supported, 1);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Writer::add_claim`] and [`Writer::add_citation`] (an unknown passage
    /// is found before anything is written; the same passage and relation twice
    /// is [`Error::Conflict`]).
    pub fn add_claim_citing(
        &mut self,
        claim: &NewClaim,
        cites: &[(PassageId, Relation)],
    ) -> Result<(Claim, Vec<Citation>)> {
        // Passage rows first (an unknown passage writes nothing); on the stack for
        // the usual handful of citations.
        let mut small = [0i64; 8];
        let big: Vec<i64>;
        let passages: &[i64] = if cites.len() <= small.len() {
            for (slot, (p, _)) in small.iter_mut().zip(cites) {
                *slot = self.rows.passage(self.tx, *p)?;
            }
            small.get(..cites.len()).unwrap_or(&[])
        } else {
            big = cites.iter().map(|(p, _)| self.rows.passage(self.tx, *p)).collect::<Result<_>>()?;
            &big
        };
        let evidence = Aggregate::of_parts(&[PartEvidence::of(cites.iter().map(|(_, r)| *r))]);
        let id = ClaimId::from_uuid(self.next_uuid());
        let c = claims::insert(&mut self.hot, &mut self.cache, id, claim, evidence)?;
        // Not remembered in `rows`: its citations come with it (a later citation
        // of it looks its row up once).
        let row = self.tx.last_insert_rowid();
        let mut out = Vec::with_capacity(cites.len());
        for (&(passage, relation), &passage_row) in cites.iter().zip(passages) {
            let nc = NewCitation::new(c.id, passage, relation);
            let id = CitationId::from_uuid(self.uuid_now());
            out.push(citations::insert_rows(&mut self.hot, id, row, passage_row, &nc, false)?);
        }
        Ok((c, out))
    }

    /// Sets or clears the exemption of a claim.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown claim.
    pub fn set_exemption(&mut self, claim: ClaimId, exemption: Option<&Exemption>) -> Result<()> {
        claims::set_exemption(self.tx, claim, exemption)
    }

    /// Adds a passage, computing its W3C selectors and page from the text.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown revision; [`Error::InvalidSpan`];
    /// [`Error::InvalidInput`] for a footnote passage without a number;
    /// [`Error::Conflict`] when a passage of that kind already covers that span
    /// (use [`Writer::ensure_passage`] to reuse it instead).
    pub fn add_passage(&mut self, passage: &NewPassage) -> Result<Passage> {
        let id = PassageId::from_uuid(self.next_uuid());
        let p = passages::insert(&mut self.hot, &mut self.cache, id, passage)?;
        self.rows.put_passage(p.id, self.tx.last_insert_rowid());
        Ok(p)
    }

    /// Adds a passage, or returns the existing one of the same kind on the same span.
    ///
    /// # Errors
    ///
    /// As [`Writer::add_passage`], but never a conflict.
    pub fn ensure_passage(&mut self, passage: &NewPassage) -> Result<Passage> {
        let id = PassageId::from_uuid(self.next_uuid());
        let (p, created) = passages::ensure(&mut self.hot, &mut self.cache, id, passage)?;
        if created {
            self.rows.put_passage(p.id, self.tx.last_insert_rowid());
        }
        Ok(p)
    }

    /// Adds a quotation.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown claim or passage; [`Error::InvalidSpan`]
    /// when the span is not inside its claim (or on another revision);
    /// [`Error::Conflict`] for a second quotation on the same span.
    pub fn add_quotation(&mut self, quotation: &NewQuotation) -> Result<Quotation> {
        quotations::insert(self.tx, &mut self.cache, QuotationId::new(), quotation)
    }

    /// Adds a redaction, resolving its label to a reason. An unknown label is kept
    /// as written, with no reason.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown revision; [`Error::InvalidSpan`];
    /// [`Error::Conflict`] for a second redaction on the same span.
    pub fn add_redaction(&mut self, redaction: &NewRedaction) -> Result<Redaction> {
        redactions::insert(self.tx, &mut self.cache, &self.taxonomy, RedactionId::new(), redaction)
    }

    /// Adds a citation.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown claim or passage; [`Error::Conflict`] when
    /// the claim already cites the passage with that relation (use
    /// [`Writer::ensure_citation`] to reuse it instead).
    pub fn add_citation(&mut self, citation: &NewCitation) -> Result<Citation> {
        let claim = self.rows.claim(self.tx, citation.claim)?;
        let passage = self.rows.passage(self.tx, citation.passage)?;
        let id = CitationId::from_uuid(self.next_uuid());
        citations::insert_rows(&mut self.hot, id, claim, passage, citation, true)
    }

    /// Adds a citation, or returns the existing one for the same claim, passage and
    /// relation.
    ///
    /// # Errors
    ///
    /// As [`Writer::add_citation`], but never a conflict.
    pub fn ensure_citation(&mut self, citation: &NewCitation) -> Result<Citation> {
        self.ensure_citation_created(citation).map(|(c, _)| c)
    }

    /// [`Writer::ensure_citation`], with whether the citation was created.
    pub(crate) fn ensure_citation_created(&mut self, citation: &NewCitation) -> Result<(Citation, bool)> {
        let claim = self.rows.claim(self.tx, citation.claim)?;
        let passage = self.rows.passage(self.tx, citation.passage)?;
        let id = CitationId::from_uuid(self.next_uuid());
        citations::ensure_rows(&mut self.hot, id, claim, passage, citation)
    }

    /// Adds a derivation, or returns the existing identical one.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown passage; [`Error::InvalidInput`] when a
    /// passage would derive from itself.
    pub fn add_derivation(&mut self, derivation: &NewDerivation) -> Result<Derivation> {
        citations::ensure_derivation(self.tx, DerivationId::new(), derivation).map(|(d, _)| d)
    }

    /// Adds a derivation between passages this transaction wrote (their row IDs
    /// are remembered), without looking for an identical one: the bulk path of
    /// an import into a new revision, where none can exist.
    pub(crate) fn add_derivation_new(&mut self, derivation: &NewDerivation) -> Result<Derivation> {
        let from = self.rows.passage(self.tx, derivation.from)?;
        let to = self.rows.passage(self.tx, derivation.to)?;
        citations::insert_derivation_rows(self.tx, DerivationId::new(), from, to, derivation, self.hot.now())
    }

    /// Adds a verdict on a claim.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown claim; [`Error::InvalidInput`] for an
    /// empty textual rating or a rating off its scale.
    pub fn add_verdict(&mut self, verdict: &NewVerdict) -> Result<Verdict> {
        verdicts::insert(self.tx, VerdictId::new(), verdict)
    }

    /// The transaction, its text cache and its taxonomy, for the crate's importers
    /// that write records with given IDs.
    pub(crate) fn parts(&mut self) -> (&Transaction<'_>, &mut TextCache, &Taxonomy, &mut Hot<'a>) {
        (self.tx, &mut self.cache, &self.taxonomy, &mut self.hot)
    }

    /// Registers a redaction reason; see [`Ledger::register_redaction_reason`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty scheme, code or label.
    pub fn register_redaction_reason(&mut self, reason: RedactionReason, aliases: &[String]) -> Result<Vec<String>> {
        for (field, v) in [("scheme", &reason.scheme), ("code", &reason.code), ("label", &reason.label)] {
            if v.trim().is_empty() {
                return Err(Error::invalid(field, "must not be empty"));
            }
        }
        redactions::insert_reason(self.tx, &reason, aliases)?;
        Ok(self.taxonomy.register(reason, aliases))
    }

    /// The ledger's taxonomy as this transaction sees it.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The quotations of a claim, as this transaction sees them.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn quotations_of_claim(&self, claim: ClaimId) -> Result<Vec<Quotation>> {
        quotations::of_claim(self.tx, claim)
    }

    /// How many revisions a document has, as this transaction sees it.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn revision_count(&self, document: DocumentId) -> Result<usize> {
        documents::count_revisions(self.tx, document)
    }

    /// A revision by ID, as this transaction sees it.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn revision(&self, id: RevisionId) -> Result<Option<Revision>> {
        documents::get_revision(self.tx, id)
    }
}
