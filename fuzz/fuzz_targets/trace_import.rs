//! libFuzzer's entry for the `trace_import` target. The target itself is
//! `fuzz/targets/trace_import.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/trace_import/`.
#![no_main]

#[path = "../targets/trace_import.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
