//! libFuzzer's entry for the `segment_quotes` target. The target itself is
//! `fuzz/targets/segment_quotes.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/segment_quotes/`.
#![no_main]

#[path = "../targets/segment_quotes.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
