//! Evidence past the report: the items each footnote cites, their origins, how
//! many independent origins back a statement, and withdrawal.
//!
//! # Design
//!
//! Items are read from footnotes at import ([`crate::text::evidence`], stored by
//! `crate::storage::evidence`). A statement reaches items through its citations:
//! a cited footnote passage directly, and a cited passage of the body through the
//! footnote markers in it or right after it (a marker that follows the cited
//! sentence's closing punctuation belongs to it) and their derivations, followed
//! down a chain as the withheld-material walk does (depth at most 8).
//!
//! An item's **origin** is its source of knowledge (the witness, sender, account,
//! outlet, speaker, author, or the document itself), compared by its normalized
//! key; distinct keys are independent origins. Redacted items are counted as
//! withheld, not as origins: what they rest on is unknown. Legal authorities and
//! cross references are no account of the facts and have no origin.
//!
//! **Withdrawal** marks evidence as no longer relied on (a witness found to have
//! lied, a retracted article): every item of an origin, one item, or every item a
//! source document's footnotes cite. Withdrawals are records, never deletions;
//! one is undone by a later record, and both stay in the history
//! ([`Ledger::withdrawals`]). A statement whose every origin is withdrawn
//! **falls**; one that keeps some **thins**.
//!
//! ```
//! use claimledger::*;
//! use claimledger::import::SourceImport;
//! # fn main() -> claimledger::Result<()> {
//! let mut ledger = Ledger::open_in_memory()?;
//! let text = "The fee doubled.[^1]\n\nFootnotes\n\n[^1]: Roe 1/30/18 302, at 3; Poe 2/2/18 302, at 1.\n";
//! let src = ledger.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Review"), text))?;
//! let notes = ledger.evidence(src.document.id, None)?;
//! assert_eq!(notes[0].items.len(), 2);
//! assert_eq!(notes[0].items[0].who.as_deref(), Some("Roe"));
//! let w = ledger.withdraw(&WithdrawalTarget::Origin("Roe".into()), "found to have lied")?;
//! assert_eq!(ledger.withdrawals()?.len(), 1);
//! ledger.undo_withdrawal(w.id, "the finding was reversed")?;
//! assert_eq!(ledger.withdrawals()?.len(), 2);
//! # Ok(()) }
//! ```

use crate::storage::evidence as store;
use crate::{
    Citation, DocumentId, Entity, Error, EvidenceItem, EvidenceItemId, EvidenceKind, Ledger, Passage, PassageId,
    PassageKind, Result, RevisionId, Signal, Standing, Withdrawal, WithdrawalId, WithdrawalTarget,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// The items of one footnote, for display and JSON.
#[derive(Debug, Clone, Serialize)]
pub struct FootnoteEvidence {
    /// The footnote number.
    pub number: u32,
    /// The footnote passage.
    pub passage: PassageId,
    /// Its items, in footnote order.
    pub items: Vec<ItemView>,
}

/// One item, with its offsets in code points within the source revision.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// The item's ID.
    pub id: EvidenceItemId,
    /// What is cited.
    pub kind: EvidenceKind,
    /// The interviewee, witness, sender, account, outlet, speaker or author.
    pub who: Option<String>,
    /// Recipients.
    pub to: Vec<String>,
    /// ISO 8601 date, full or partial.
    pub date: Option<String>,
    /// Pinpoint.
    pub pin: Option<String>,
    /// Introductory signal.
    pub signal: Option<Signal>,
    /// Its origin, as written.
    pub origin: Option<String>,
    /// True when a withdrawal in force covers it.
    pub withdrawn: bool,
    /// The item's text.
    pub text: String,
    /// Start (code points in the source revision).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
}

/// The withdrawals in force: recorded and not undone.
#[derive(Debug, Clone, Default)]
pub(crate) struct InForce {
    origins: HashSet<String>,
    items: HashSet<EvidenceItemId>,
    documents: HashSet<DocumentId>,
}

impl InForce {
    fn of(history: &[Withdrawal]) -> InForce {
        let undone: HashSet<WithdrawalId> = history
            .iter()
            .filter_map(|w| match w.target {
                WithdrawalTarget::Undo(u) => Some(u),
                _ => None,
            })
            .collect();
        let mut f = InForce::default();
        for w in history.iter().filter(|w| !undone.contains(&w.id)) {
            match &w.target {
                WithdrawalTarget::Origin(o) => {
                    f.origins.insert(crate::text::evidence::origin_key(o));
                }
                WithdrawalTarget::Item(i) => {
                    f.items.insert(*i);
                }
                WithdrawalTarget::Document(d) => {
                    f.documents.insert(*d);
                }
                WithdrawalTarget::Undo(_) => {}
            }
        }
        f
    }

    fn covers(&self, item: &EvidenceItem, document: DocumentId) -> bool {
        self.items.contains(&item.id)
            || self.documents.contains(&document)
            || item.origin_key.as_ref().is_some_and(|k| self.origins.contains(k))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.origins.is_empty() && self.items.is_empty() && self.documents.is_empty()
    }
}

impl Ledger {
    /// The evidence items of a document's footnotes (its latest revision), by
    /// footnote; only footnote `footnote` when given.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document, one without text, or a
    /// footnote number the document does not have.
    pub fn evidence(&self, document: DocumentId, footnote: Option<u32>) -> Result<Vec<FootnoteEvidence>> {
        let rev = self
            .latest_revision(document)?
            .ok_or_else(|| Error::not_found(Entity::Revision, format!("latest revision of {document}")))?;
        let cp = rev.char_index();
        let in_force = InForce::of(&self.withdrawals()?);
        let items = store::of_revision(self.conn(), rev.id)?;
        let mut out: Vec<FootnoteEvidence> = Vec::new();
        for p in self.passages(rev.id)?.into_iter().filter(|p| p.kind == PassageKind::Footnote) {
            let Some(n) = p.footnote else { continue };
            if footnote.is_some_and(|f| f != n) {
                continue;
            }
            out.push(FootnoteEvidence { number: n, passage: p.id, items: Vec::new() });
        }
        let at: HashMap<PassageId, usize> = out.iter().enumerate().map(|(i, f)| (f.passage, i)).collect();
        for i in items {
            let Some(&k) = at.get(&i.passage) else { continue };
            let withdrawn = in_force.covers(&i, document);
            out[k].items.push(ItemView {
                id: i.id,
                kind: i.kind,
                text: rev.text.get(i.span.start..i.span.end).unwrap_or("").to_string(),
                start: cp.to_char(i.span.start).unwrap_or(0),
                end: cp.to_char(i.span.end).unwrap_or(0),
                who: i.who,
                to: i.to,
                date: i.date,
                pin: i.pin,
                signal: i.signal,
                origin: i.origin,
                withdrawn,
            });
        }
        if let Some(n) = footnote
            && out.is_empty()
        {
            return Err(Error::not_found(Entity::Passage, format!("footnote {n} of {document}")));
        }
        out.sort_by_key(|f| f.number);
        Ok(out)
    }

    /// One evidence item by ID.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn evidence_item(&self, id: EvidenceItemId) -> Result<Option<EvidenceItem>> {
        store::get(self.conn(), id)
    }

    /// Records a withdrawal: evidence no longer relied on, with the reason.
    /// Nothing is deleted; [`Ledger::undo_withdrawal`] undoes it by a later record.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty reason or origin, or an `Undo` target
    /// (use [`Ledger::undo_withdrawal`]); [`Error::NotFound`] for an origin no item
    /// has, or an unknown item or document. Nothing is written on error.
    pub fn withdraw(&mut self, target: &WithdrawalTarget, reason: &str) -> Result<Withdrawal> {
        match target {
            WithdrawalTarget::Undo(_) => {
                return Err(Error::invalid("target", "to undo a withdrawal, use undo_withdrawal"));
            }
            WithdrawalTarget::Origin(o) => {
                let key = crate::text::evidence::origin_key(o);
                if !key.is_empty() && store::count_origin(self.conn(), &key)? == 0 {
                    return Err(Error::not_found(Entity::Origin, o));
                }
            }
            _ => {}
        }
        let target = target.clone();
        let reason = reason.to_string();
        self.write_event(crate::EventKind::Withdraw, None, |w| {
            store::insert_withdrawal(w.tx(), WithdrawalId::new(), &target, &reason)
        })
    }

    /// Undoes a withdrawal by a later record (kept in the history with its reason).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown withdrawal; [`Error::Conflict`] when it is
    /// already undone; [`Error::InvalidInput`] when it is itself an undo, or for an
    /// empty reason.
    pub fn undo_withdrawal(&mut self, withdrawal: WithdrawalId, reason: &str) -> Result<Withdrawal> {
        let reason = reason.to_string();
        self.write_event(crate::EventKind::UndoWithdrawal, None, |w| {
            store::insert_withdrawal(w.tx(), WithdrawalId::new(), &WithdrawalTarget::Undo(withdrawal), &reason)
        })
    }

    /// Every withdrawal and undo, oldest first.
    ///
    /// # Errors
    ///
    /// On a database failure.
    pub fn withdrawals(&self) -> Result<Vec<Withdrawal>> {
        store::withdrawals(self.conn())
    }
}

/// Whether the walk from passage `p` to the evidence reaches the footnote
/// marker `marker` (a passage of the same revision, whose text is `text`): a
/// marker inside the passage or right after it, past closing punctuation and
/// quotes. The audit and a document's bundle both walk this way.
pub(crate) fn reaches(text: &str, p: &Passage, marker: &Passage) -> bool {
    let mut reach = p.span.end;
    for (off, c) in text.get(p.span.end..).unwrap_or("").char_indices() {
        if matches!(c, '.' | ',' | ';' | ':' | '”' | '’' | '"' | ')' | '?' | '!') {
            reach = p.span.end + off + c.len_utf8();
        } else {
            break;
        }
    }
    p.span.start <= marker.span.start && marker.span.start <= reach
}

/// The evidence behind one statement: its items, origins and standing.
#[derive(Debug, Clone, Serialize)]
pub struct StatementOrigins {
    /// Evidence items reached (redacted ones included).
    pub items: usize,
    /// Items withheld (redaction labels standing for a citation).
    pub withheld: usize,
    /// Distinct origins, most items first.
    pub origins: Vec<OriginSupport>,
    /// Whether its origins stand, thin or fall under the withdrawals in force.
    pub standing: Standing,
}

/// One origin backing a statement.
#[derive(Debug, Clone, Serialize)]
pub struct OriginSupport {
    /// The origin as first written.
    pub origin: String,
    /// How many of the statement's items it accounts for.
    pub items: usize,
    /// True when every one of those items is withdrawn.
    pub withdrawn: bool,
}

impl StatementOrigins {
    /// Origins not withdrawn.
    pub fn standing_origins(&self) -> usize {
        self.origins.iter().filter(|o| !o.withdrawn).count()
    }
}

/// Walks from cited passages to the evidence items of the footnotes they reach.
pub(crate) struct OriginWalk<'a> {
    ledger: &'a Ledger,
    in_force: InForce,
    loaded: HashSet<RevisionId>,
    document_of: HashMap<RevisionId, DocumentId>,
    /// Items by footnote passage.
    items: HashMap<PassageId, Vec<EvidenceItem>>,
    /// Marker passages (deriving ones) by revision, by start.
    deriving: HashMap<RevisionId, Vec<Passage>>,
    text: HashMap<RevisionId, std::sync::Arc<str>>,
}

impl<'a> OriginWalk<'a> {
    pub(crate) fn new(ledger: &'a Ledger) -> Result<OriginWalk<'a>> {
        Ok(OriginWalk {
            ledger,
            in_force: InForce::of(&ledger.withdrawals()?),
            loaded: HashSet::new(),
            document_of: HashMap::new(),
            items: HashMap::new(),
            deriving: HashMap::new(),
            text: HashMap::new(),
        })
    }

    /// Whether any withdrawal is in force.
    pub(crate) fn any_withdrawn(&self) -> bool {
        !self.in_force.is_empty()
    }

    fn load(&mut self, rev: RevisionId) -> Result<()> {
        if !self.loaded.insert(rev) {
            return Ok(());
        }
        let r = self.ledger.revision(rev)?.ok_or_else(|| Error::not_found(Entity::Revision, rev))?;
        self.document_of.insert(rev, r.document);
        for i in store::of_revision(self.ledger.conn(), rev)? {
            self.items.entry(i.passage).or_default().push(i);
        }
        let mut d = self.ledger.deriving_passages(rev)?;
        d.sort_by_key(|p| p.span.start);
        self.deriving.insert(rev, d);
        self.text.insert(rev, r.text);
        Ok(())
    }

    /// The items a statement's citations reach, without repeats.
    fn items_of(&mut self, cites: &[&Citation]) -> Result<Vec<(EvidenceItem, DocumentId)>> {
        let mut out = Vec::new();
        let mut seen_items = HashSet::new();
        let mut seen = HashSet::new();
        let mut queue: VecDeque<(PassageId, u32)> =
            cites.iter().filter(|c| c.relation.is_supporting()).map(|c| (c.passage, 0)).collect();
        while let Some((id, depth)) = queue.pop_front() {
            if !seen.insert(id) || depth > 8 {
                continue;
            }
            let p = self.ledger.passage(id)?.ok_or_else(|| Error::not_found(Entity::Passage, id))?;
            let rev = p.span.revision;
            self.load(rev)?;
            let doc = self.document_of[&rev];
            for i in self.items.get(&id).into_iter().flatten() {
                if seen_items.insert(i.id) {
                    out.push((i.clone(), doc));
                }
            }
            let text = self.text[&rev].clone();
            let markers: Vec<PassageId> =
                self.deriving[&rev].iter().filter(|d| d.id == id || reaches(&text, &p, d)).map(|d| d.id).collect();
            for m in markers {
                for d in self.ledger.derivations_from(m)? {
                    queue.push_back((d.to, depth + 1));
                }
            }
        }
        Ok(out)
    }

    /// Items, origins and standing of a statement with these citations.
    pub(crate) fn statement(&mut self, cites: &[&Citation]) -> Result<StatementOrigins> {
        let items = self.items_of(cites)?;
        let mut s =
            StatementOrigins { items: items.len(), withheld: 0, origins: Vec::new(), standing: Standing::NoOrigin };
        // key -> (first spelling, items, withdrawn items)
        let mut by_key: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
        for (i, doc) in &items {
            if i.kind == EvidenceKind::Redacted {
                s.withheld += 1;
            }
            let (Some(origin), Some(key)) = (&i.origin, &i.origin_key) else { continue };
            let e = by_key.entry(key.clone()).or_insert_with(|| (origin.clone(), 0, 0));
            e.1 += 1;
            if self.in_force.covers(i, *doc) {
                e.2 += 1;
            }
        }
        s.origins =
            by_key.into_values().map(|(origin, n, w)| OriginSupport { origin, items: n, withdrawn: w == n }).collect();
        s.origins.sort_by(|a, b| b.items.cmp(&a.items).then_with(|| a.origin.cmp(&b.origin)));
        let standing = s.standing_origins();
        s.standing = match (s.origins.len(), standing) {
            (0, _) => Standing::NoOrigin,
            (_, 0) => Standing::Falls,
            (n, k) if k < n => Standing::Thins,
            _ => Standing::Stands,
        };
        Ok(s)
    }
}
