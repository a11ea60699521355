//! Verification of an arbitrary quote against an arbitrary source span. Input:
//! quote NUL source.

use claimledger::text::verify::{Verdict, verify};

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let (quote, source) = input.split_once('\0').unwrap_or((&input, ""));
    let v = verify(quote, source);
    assert_eq!(v.differences.is_empty(), v.verdict != Verdict::Altered, "{v:?}");
    let again = verify(quote, source);
    assert_eq!(v, again, "deterministic");
}
