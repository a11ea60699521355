//! Segmentation and quote detection of arbitrary text: no panic, every span on
//! character boundaries, ordered and inside the text.

use claimledger::text::{quotes, segment};

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;
    let statements = segment::statements(text);
    let mut prev_end = 0;
    for s in &statements {
        assert!(s.start < s.end && s.end <= text.len(), "{s:?}");
        assert!(s.start >= prev_end, "overlap {s:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        prev_end = s.end;
    }
    for s in &statements {
        assert_eq!(segment::statement_at(&statements, s.start).map(|i| statements[i]), Some(*s));
    }
    let found = quotes::quotations(text).expect("under the size cap");
    let mut prev = 0;
    for q in &found {
        for off in [q.open, q.start, q.end, q.close] {
            assert!(text.is_char_boundary(off), "{q:?}");
        }
        // An unopened quotation (a closing mark nothing opened) has no opening
        // mark: `open` is its assumed start.
        assert!(q.open <= q.start && q.start <= q.end && q.end <= q.close && q.close <= text.len(), "{q:?}");
        assert!(q.start >= prev, "not ordered: {q:?}");
        assert!(q.depth as usize <= quotes::MAX_DEPTH, "{q:?}");
        prev = q.start;
    }
}
