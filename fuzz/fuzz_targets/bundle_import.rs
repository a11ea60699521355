//! libFuzzer's entry for the `bundle_import` target. The target itself is
//! `fuzz/targets/bundle_import.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/bundle_import/`.
#![no_main]

#[path = "../targets/bundle_import.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
