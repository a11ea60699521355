//! Composition helpers for sources: footnotes as passages with derivations.
//!
//! Each footnote definition (`[^N]: text`) becomes a footnote passage over its
//! text; each marker (`[^N]`) in the body becomes a passage over the marker itself
//! with a derivation (kind `footnote`) to the definition. The audit walks from any
//! cited passage to the markers inside or touching it, and on to the footnotes,
//! to find evidence that ends in withheld material.

use crate::text::footnotes;
use crate::{DerivationKind, NewDerivation, NewPassage, Result, Revision, Span, Writer};
use std::collections::HashMap;

/// Adds the footnote passages and derivations of a revision; returns how many
/// footnote passages were stored.
pub(crate) fn add_footnotes(w: &mut Writer<'_>, rev: &Revision) -> Result<usize> {
    let notes = footnotes::footnotes(&rev.text);
    let mut by_number = HashMap::new();
    for def in &notes.definitions {
        if def.text_start >= def.end {
            continue;
        }
        let p = w.ensure_passage(&NewPassage::footnote(Span::new(rev.id, def.text_start, def.end), def.number))?;
        by_number.insert(def.number, p.id);
    }
    for m in &notes.markers {
        let Some(&to) = by_number.get(&m.number) else { continue };
        let from = w.ensure_passage(&NewPassage::new(Span::new(rev.id, m.start, m.end)))?;
        w.add_derivation(&NewDerivation { from: from.id, to, kind: DerivationKind::Footnote, note: None })?;
    }
    Ok(by_number.len())
}
