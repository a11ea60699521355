//! The text engine: pure Rust over `&str`, no SQLite.
//!
//! Offsets are UTF-8 byte offsets into the text given, end exclusive, on character
//! boundaries. Nothing here touches the ledger: these functions can run statelessly
//! (the `quotes` and `locate` commands), be fuzzed and benchmarked alone.
//!
//! - [`segment`]: statements (sentences, one-line headings);
//! - [`sections`]: headings with their levels, the sections they open, paragraphs;
//! - [`quotes`]: quotations of an article;
//! - [`attribution`]: to whom an article attributes each quotation;
//! - [`footnotes`]: Markdown footnote markers and definitions;
//! - [`evidence`]: the evidence items a footnote cites;
//! - [`normalize`]: a normalized view with an exact offset map;
//! - [`myers`]: bit-parallel approximate matching;
//! - [`qgram`]: a q-gram index of a text, for searching many patterns in it (a counting filter in front of [`myers`]);
//! - [`anchor`]: locating a quote in sources, in tiers;
//! - [`verify`]: classifying a quote against its source;
//! - [`selector`]: W3C quote selectors;
//! - [`passages`]: the searchable passages of a source (sentences, footnotes, windows);
//! - [`rank`]: the weighted query of a statement and the reranking of evidence;
//! - [`places`]: the candidate places of a short quote ranked by the article sentence that holds it.
pub mod anchor;
pub mod attribution;
pub mod evidence;
pub mod footnotes;
pub mod myers;
pub mod normalize;
pub mod passages;
pub mod places;
pub mod qgram;
pub mod quotes;
pub mod rank;
pub mod sections;
pub mod segment;
pub mod selector;
pub mod verify;
