//! Normalization and its offset map. Input: one flags byte (bit 0: fold case;
//! bits 1-2: how many skip ranges), 4 bytes per skip range (start, length as
//! u16), then the text. Asserts the map invariants the module documents.

use claimledger::text::normalize::{NormalizeOptions, Normalized};
use std::ops::Range;

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else { return };
    let fold_case = flags & 1 == 1;
    let n_skips = usize::from((flags >> 1) & 3);
    if rest.len() < 4 * n_skips {
        return;
    }
    let (skip_bytes, text_bytes) = rest.split_at(4 * n_skips);
    let skip: Vec<Range<usize>> = skip_bytes
        .chunks_exact(4)
        .map(|c| {
            let s = usize::from(u16::from_le_bytes([c[0], c[1]]));
            s..s + usize::from(u16::from_le_bytes([c[2], c[3]]) % 64)
        })
        .collect();
    let text = String::from_utf8_lossy(text_bytes);
    let text: &str = &text;
    let n = Normalized::try_new(text, &NormalizeOptions { fold_case, skip: skip.clone() }).expect("small text");
    let ns = n.as_str();
    assert_eq!(n.original_len(), text.len());

    // Every normalized byte maps to a non-empty unit on char boundaries, in order.
    let mut prev_start = 0;
    for i in 0..n.len() {
        let u = n.unit(i).expect("in range");
        assert!(u.start < u.end && u.end <= text.len(), "unit {u:?} at {i}");
        assert!(text.is_char_boundary(u.start) && text.is_char_boundary(u.end));
        assert!(u.start >= prev_start, "map not monotone at {i}");
        prev_start = u.start;
    }
    assert!(n.unit(n.len()).is_none());

    // to_original / to_normalized on every char boundary of the normalized text.
    let bounds: Vec<usize> = (0..=ns.len()).filter(|&i| ns.is_char_boundary(i)).collect();
    for w in bounds.windows(2) {
        let (i, j) = (w[0], w[1]);
        let r = n.to_original(i..j);
        assert!(r.start <= r.end && r.end <= text.len(), "{r:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        if n.is_unit_boundary(i) {
            assert_eq!(n.to_normalized(r.start), i, "left inverse at unit start {i}");
        }
    }
    let whole = n.to_original(0..n.len());
    assert!(whole.end <= text.len());

    // Without skips, a slice at unit boundaries normalizes to the same slice.
    if skip.is_empty() && bounds.len() > 2 {
        let pick = |k: usize| bounds[k % bounds.len()];
        let mut i = pick(usize::from(flags));
        let mut j = pick(text_bytes.len());
        if i > j {
            std::mem::swap(&mut i, &mut j);
        }
        if i < j {
            let r = n.to_original(i..j);
            let again = Normalized::new(&text[r.clone()], &NormalizeOptions { fold_case, skip: Vec::new() });
            let want = ns[i..j].trim_matches(' ');
            let got = again.as_str().trim_matches(' ');
            if n.is_unit_boundary(i) && n.is_unit_boundary(j) {
                assert_eq!(got, want, "slice {:?}", &text[r]);
            } else {
                assert!(got.contains(want), "slice {:?}: {got:?} !~ {want:?}", &text[r]);
            }
        }
    }
}
