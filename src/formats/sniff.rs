//! Telling an import file's format from its content, for `import` without
//! `--format`.
//!
//! # Design
//!
//! Each importable format has a mark no other one has:
//!
//! | format | mark |
//! | --- | --- |
//! | bundle | the first line is a JSON object whose `format` is `"claimledger-bundle"` |
//! | ClaimReview | JSON-LD: an object (or an array of objects, or an `@graph`) with `@type` or `@context` |
//! | CSL-JSON | an array of objects (or one object) with a string `type` and no `@type` / `@context` |
//!
//! A bundle is recognized from its first line alone, so a large bundle is never
//! read whole to be sniffed. The JSON-LD and CSL marks need the parsed document.
//! Anything else is `None`: the caller says it cannot tell and asks for
//! `--format`, never guesses.

use serde_json::Value;

/// A format recognized from a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A claimledger bundle (JSON Lines with a bundle header).
    Bundle,
    /// schema.org ClaimReview JSON-LD.
    ClaimReview,
    /// CSL-JSON items.
    Csl,
}

impl Sniffed {
    /// The format's name, as `--format` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Sniffed::Bundle => "bundle",
            Sniffed::ClaimReview => "claimreview",
            Sniffed::Csl => "csl",
        }
    }
}

/// Whether `first_line` (a file's first line) is a claimledger bundle header.
///
/// ```
/// use claimledger::formats::sniff::is_bundle_header;
/// assert!(is_bundle_header(r#"{"format":"claimledger-bundle","version":1}"#));
/// assert!(!is_bundle_header(r#"[{"type":"book","title":"T"}]"#));
/// ```
pub fn is_bundle_header(first_line: &str) -> bool {
    serde_json::from_str::<Value>(first_line.trim())
        .ok()
        .and_then(|v| v.get("format").and_then(Value::as_str).map(|f| f == super::bundle::FORMAT))
        .unwrap_or(false)
}

/// The format of a whole file's text, or `None` when it shows no format's mark.
///
/// ```
/// use claimledger::formats::sniff::{sniff, Sniffed};
/// assert_eq!(sniff(r#"[{"id": "a", "type": "article-newspaper", "title": "T"}]"#), Some(Sniffed::Csl));
/// assert_eq!(sniff(r#"{"@context": "https://schema.org", "@type": "ClaimReview"}"#), Some(Sniffed::ClaimReview));
/// assert_eq!(sniff("not json"), None);
/// ```
pub fn sniff(text: &str) -> Option<Sniffed> {
    if is_bundle_header(text.lines().next().unwrap_or("")) {
        return Some(Sniffed::Bundle);
    }
    let value: Value = serde_json::from_str(text).ok()?;
    sniff_json(&value)
}

/// The format of a parsed JSON document (ClaimReview or CSL-JSON), or `None`.
pub fn sniff_json(value: &Value) -> Option<Sniffed> {
    let objects: Vec<&serde_json::Map<String, Value>> = match value {
        Value::Object(o) => vec![o],
        Value::Array(a) => a.iter().filter_map(Value::as_object).collect(),
        _ => return None,
    };
    if objects.is_empty() {
        return None;
    }
    let linked_data = |o: &serde_json::Map<String, Value>| o.contains_key("@type") || o.contains_key("@context");
    if objects.iter().any(|o| linked_data(o)) {
        return Some(Sniffed::ClaimReview);
    }
    if objects.iter().all(|o| o.get("type").is_some_and(Value::is_string)) {
        return Some(Sniffed::Csl);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_has_its_mark() {
        let bundle =
            "{\"format\":\"claimledger-bundle\",\"version\":1,\"scope\":\"ledger\"}\n{\"kind\":\"document\"}\n";
        assert_eq!(sniff(bundle), Some(Sniffed::Bundle));
        let feed = r#"{"@context":"https://schema.org","@type":"DataFeed","dataFeedElement":[]}"#;
        assert_eq!(sniff(feed), Some(Sniffed::ClaimReview));
        let graph = r#"[{"@type":"ClaimReview","claimReviewed":"x"}]"#;
        assert_eq!(sniff(graph), Some(Sniffed::ClaimReview));
        let csl_one = r#"{"id":"x","type":"report","title":"R"}"#;
        assert_eq!(sniff(csl_one), Some(Sniffed::Csl));
    }

    #[test]
    fn no_mark_is_none_never_a_guess() {
        for text in ["", "[]", "{}", "42", r#"[{"title":"no type"}]"#, r#"[{"type":7}]"#, "{\"format\":\"other\"}"] {
            assert_eq!(sniff(text), None, "{text:?}");
        }
        // A CSL array with one item lacking `type` is not called CSL.
        assert_eq!(sniff(r#"[{"type":"book"},{"title":"T"}]"#), None);
    }
}
