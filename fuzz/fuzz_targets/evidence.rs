//! libFuzzer's entry for the `evidence` target. The target itself is
//! `fuzz/targets/evidence.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/evidence/`.
#![no_main]

#[path = "../targets/evidence.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
