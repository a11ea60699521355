//! libFuzzer's entry for the `normalize` target. The target itself is
//! `fuzz/targets/normalize.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/normalize/`.
#![no_main]

#[path = "../targets/normalize.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
