//! libFuzzer's entry for the `redaction_import` target. The target itself is
//! `fuzz/targets/redaction_import.rs`, which `tests/fuzz_corpus.rs` also runs on every
//! input of `fuzz/corpus/redaction_import/`.
#![no_main]

#[path = "../targets/redaction_import.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));
