//! libFuzzer's entry for the `verify` target. The target itself is
//! `fuzz/targets/verify.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/verify/`.
#![no_main]

#[path = "../targets/verify.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
