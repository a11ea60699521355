//! libFuzzer's entry for the `anchor` target. The target itself is
//! `fuzz/targets/anchor.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/anchor/`.
#![no_main]

#[path = "../targets/anchor.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
