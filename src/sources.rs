//! Composition helpers for sources: footnotes as passages with derivations.
//!
//! Each footnote definition (`[^N]: text`) becomes a footnote passage over its
//! text; each marker (`[^N]`) in the body becomes a passage over the marker itself
//! with a derivation (kind `footnote`) to the definition. The audit walks from any
//! cited passage to the markers inside or touching it, and on to the footnotes,
//! to find evidence that ends in withheld material.
//!
//! Each footnote's text is then read by the evidence parser
//! ([`crate::text::evidence`]), in footnote order so `Id.` and `supra` resolve to
//! earlier footnotes, and its items are stored against the footnote passage.

use crate::storage::evidence::{NewItem, footnote_passages, insert_items, revisions_without_items};
use crate::text::evidence::{EvidenceParser, ItemRef};
use crate::text::footnotes;
use crate::{DerivationKind, NewDerivation, NewPassage, Result, Revision, RevisionId, Span, Writer};
use rusqlite::Transaction;
use std::collections::HashMap;

/// Adds the footnote passages and derivations of a revision the transaction has
/// just created; returns how many footnote passages were stored.
///
/// A new revision has no passages or derivations yet, so nothing is looked up:
/// each passage is one INSERT through the writer's held statement, each
/// derivation one INSERT by the row IDs the writer remembers (an import of a
/// 7 MB source with 3,800 footnotes writes its 11,400 rows this way; looking
/// each one up first cost a statement preparation per row).
pub(crate) fn add_footnotes(w: &mut Writer<'_>, rev: &Revision) -> Result<usize> {
    let notes = footnotes::footnotes(&rev.text);
    let mut by_number = HashMap::new();
    for def in &notes.definitions {
        if def.text_start >= def.end {
            continue;
        }
        let p = w.add_passage(&NewPassage::footnote(Span::new(rev.id, def.text_start, def.end), def.number))?;
        by_number.insert(def.number, p.id);
    }
    add_evidence_items(w.tx(), rev.id, &rev.text)?;
    for m in &notes.markers {
        let Some(&to) = by_number.get(&m.number) else { continue };
        let from = w.add_passage(&NewPassage::new(Span::new(rev.id, m.start, m.end)))?;
        w.add_derivation_new(&NewDerivation { from: from.id, to, kind: DerivationKind::Footnote, note: None })?;
    }
    Ok(by_number.len())
}

/// Reads the evidence items of a revision's footnote passages (in text order, so
/// `Id.` and `supra` resolve to earlier footnotes) and stores them; returns how
/// many were stored.
pub(crate) fn add_evidence_items(tx: &Transaction<'_>, rev: RevisionId, text: &str) -> Result<usize> {
    let mut parser = EvidenceParser::new();
    let mut rows: HashMap<ItemRef, i64> = HashMap::new();
    let mut stored = 0;
    for (passage_row, start, end, number) in footnote_passages(tx, rev)? {
        let note = text.get(start..end).unwrap_or("");
        let items = parser.parse(number, note)?;
        // One at a time: an `Id.` may refer to the item just before it.
        for (index, i) in items.iter().enumerate() {
            let new = NewItem {
                seq: u32::try_from(index).unwrap_or(u32::MAX),
                start: start + i.start,
                end: start + i.end,
                item: i,
                refers_to: i.refers_to.and_then(|r| rows.get(&r).copied()),
            };
            if let Some(&row) = insert_items(tx, passage_row, std::slice::from_ref(&new))?.first() {
                rows.insert(ItemRef { footnote: number, index }, row);
                stored += 1;
            }
        }
    }
    Ok(stored)
}

/// Reads the items of every revision that has footnote passages but no items
/// (one a bundle import brought, or one stored before schema V10).
pub(crate) fn fill_evidence_items(tx: &Transaction<'_>) -> Result<usize> {
    let mut n = 0;
    for rev in revisions_without_items(tx)? {
        if let Some(r) = crate::storage::documents::get_revision(tx, rev)? {
            n += add_evidence_items(tx, rev, &r.text)?;
        }
    }
    Ok(n)
}
