//! Finding W3C `TextQuoteSelector`s in a text: `exact` with optional `prefix` and
//! `suffix` that must immediately precede and follow it.
//!
//! Two tiers, never silent about which: byte-exact first (memchr's `memmem`), then
//! on the normalized view (typography, whitespace, line-end hyphenation and case
//! folded; footnote markers skipped), mapped back to exact original offsets. A
//! selector that matches nowhere or in more than one place is for the caller to
//! report: this module returns every match.

use super::normalize::{NormalizeOptions, Normalized};
use std::ops::Range;

/// A quote selector, optionally restricted to a byte range of the text.
#[derive(Debug, Clone, Default)]
pub struct Selector<'a> {
    /// The words of the passage.
    pub exact: &'a str,
    /// Words right before.
    pub prefix: Option<&'a str>,
    /// Words right after.
    pub suffix: Option<&'a str>,
    /// Only matches inside this byte range of the text.
    pub within: Option<Range<usize>>,
}

/// How a selector matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorTier {
    /// Byte for byte.
    Exact,
    /// On the normalized view.
    Normalized,
}

/// Every match of `sel` in `text`, at the first tier that has one. `norm` must be
/// the normalized view of `text` with case folding on (skip ranges allowed).
pub fn find(text: &str, norm: &Normalized, sel: &Selector<'_>) -> (Vec<Range<usize>>, Option<SelectorTier>) {
    let exact = sel.exact.trim();
    if exact.is_empty() {
        return (Vec::new(), None);
    }
    let inside = |r: &Range<usize>| sel.within.as_ref().is_none_or(|w| w.start <= r.start && r.end <= w.end);
    let fold = NormalizeOptions { fold_case: true, skip: Vec::new() };
    let npre = sel.prefix.map(|p| Normalized::new(p, &fold).as_str().trim().to_string()).filter(|p| !p.is_empty());
    let nsuf = sel.suffix.map(|s| Normalized::new(s, &fold).as_str().trim().to_string()).filter(|s| !s.is_empty());
    let context_ok = |r: &Range<usize>| {
        let (ns, ne) = (norm.to_normalized(r.start), norm.to_normalized(r.end));
        let n = norm.as_str();
        let before = n.get(..ns).unwrap_or("").trim_end();
        let after = n.get(ne..).unwrap_or("").trim_start();
        npre.as_deref().is_none_or(|p| before.ends_with(p)) && nsuf.as_deref().is_none_or(|s| after.starts_with(s))
    };

    let hits: Vec<Range<usize>> = memchr::memmem::find_iter(text.as_bytes(), exact.as_bytes())
        .map(|s| s..s + exact.len())
        .filter(|r| inside(r) && context_ok(r))
        .collect();
    if !hits.is_empty() {
        return (hits, Some(SelectorTier::Exact));
    }

    let nexact = Normalized::new(exact, &fold);
    let needle = nexact.as_str().trim();
    if needle.is_empty() {
        return (Vec::new(), None);
    }
    let mut hits: Vec<Range<usize>> = memchr::memmem::find_iter(norm.as_str().as_bytes(), needle.as_bytes())
        .map(|s| norm.to_original(s..s + needle.len()))
        .filter(|r| inside(r) && context_ok(r))
        .collect();
    hits.dedup();
    let tier = (!hits.is_empty()).then_some(SelectorTier::Normalized);
    (hits, tier)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(t: &str) -> Normalized {
        Normalized::new(t, &NormalizeOptions { fold_case: true, skip: Vec::new() })
    }

    #[test]
    fn exact_then_normalized_with_context() {
        let t = "He said “no deal.” Then he said “no deal” again.\nThe com-\nmittee met.";
        let n = norm(t);
        let (h, tier) = find(t, &n, &Selector { exact: "no deal", ..Default::default() });
        assert_eq!((h.len(), tier), (2, Some(SelectorTier::Exact)));
        let (h, _) = find(t, &n, &Selector { exact: "no deal", prefix: Some("Then he said “"), ..Default::default() });
        assert_eq!(h.len(), 1);
        assert_eq!(&t[h[0].clone()], "no deal");
        assert!(h[0].start > t.find("Then").unwrap());
        // Straight quotes and a line break match the normalized tier.
        let (h, tier) = find(t, &n, &Selector { exact: "said \"no deal.\" then", ..Default::default() });
        assert_eq!((h.len(), tier), (1, Some(SelectorTier::Normalized)));
        assert_eq!(&t[h[0].clone()], "said “no deal.” Then");
        let (h, _) = find(t, &n, &Selector { exact: "committee met", ..Default::default() });
        assert_eq!(&t[h[0].clone()], "com-\nmittee met");
        // Suffix filters; `within` restricts.
        let (h, _) = find(t, &n, &Selector { exact: "no deal", suffix: Some("” again"), ..Default::default() });
        assert_eq!(h.len(), 1);
        let (h, _) = find(t, &n, &Selector { exact: "no deal", within: Some(0..20), ..Default::default() });
        assert_eq!(h.len(), 1);
        assert!(find(t, &n, &Selector { exact: "absent words", ..Default::default() }).0.is_empty());
        assert!(find(t, &n, &Selector { exact: "  ", ..Default::default() }).0.is_empty());
    }
}
