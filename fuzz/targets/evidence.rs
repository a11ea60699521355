//! The evidence-item parser over arbitrary footnotes (one per line, read in order
//! by one parser so `Id.` and `supra` resolve across them): no panic; every item
//! on character boundaries, inside its footnote, in order and not overlapping;
//! every reference points at an earlier item.

use claimledger::text::evidence::EvidenceParser;

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut p = EvidenceParser::new();
    let mut counts = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let items = p.parse(n, line).expect("a line is under the size cap");
        let mut prev = 0;
        for i in &items {
            assert!(i.start <= i.end && i.end <= line.len(), "{i:?}");
            assert!(line.is_char_boundary(i.start) && line.is_char_boundary(i.end), "{i:?}");
            assert!(i.start >= prev, "overlap {i:?}");
            prev = i.end;
            if let Some(r) = i.refers_to {
                assert!(r.footnote <= n);
                let earlier = usize::try_from(r.footnote).ok().and_then(|f| counts.get(f).copied());
                assert!(r.footnote == n || earlier.is_some_and(|c| r.index < c), "{r:?}");
            }
        }
        counts.push(items.len());
    }
}
