//! libFuzzer's entry for the `quote_marks` target. The target itself is
//! `fuzz/targets/quote_marks.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/quote_marks/`.
#![no_main]

#[path = "../targets/quote_marks.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
