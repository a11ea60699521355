//! The text engine: pure Rust over `&str`, no SQLite.
pub mod footnotes;
