//! Anchoring arbitrary quotes in arbitrary sources, through the engine
//! (`anchor`) and the composed checks (`locate`, `check_article`). Input: NUL
//! separated fields: quote (or article), source, optional second source.
//! Redaction labels and footnotes of the sources are detected as the CLI does.

use claimledger::Taxonomy;
use claimledger::quotecheck::{self, PreparedSource};
use claimledger::text::anchor::{self, Hint, Outcome};
use std::sync::Arc;

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let mut parts = input.split('\0');
    let quote = parts.next().unwrap_or("");
    let sources: Vec<&str> = parts.take(2).collect();
    if sources.is_empty() {
        return;
    }
    let taxonomy = Taxonomy::builtin();
    let prepared: Vec<PreparedSource> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let reds = taxonomy
                .find_labels(s)
                .into_iter()
                .map(|(r, l)| {
                    let code = taxonomy.resolve(&l).map(|x| x.code.clone());
                    (r, l, code)
                })
                .collect();
            PreparedSource::new(format!("s{i}"), Arc::from(*s), reds)
        })
        .collect();
    let views: Vec<_> = prepared.iter().map(PreparedSource::source_text).collect();

    let hint = Hint { context: Some(quote.to_string()), focus: Some(0..quote.len()), near: vec![(0, 0)] };
    match anchor::anchor(&views, quote, &hint) {
        Ok(a) => {
            assert_eq!(a.best.is_some(), a.outcome == Outcome::Found);
            for c in a.candidates.iter().chain(a.best.iter()) {
                let text = sources[c.source];
                assert!(c.start <= c.end && c.end <= text.len(), "{c:?}");
                assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end), "{c:?}");
                assert!(c.score.is_finite() && c.support.is_finite(), "{c:?}");
                let _ = anchor::verify_candidate(&views, quote, c);
            }
        }
        Err(e) => assert!(e.is_invalid_input(), "{e}"),
    }
    match quotecheck::locate(quote, &prepared) {
        Ok(q) => {
            let _ = q.to_json(None, &prepared);
        }
        Err(e) => assert!(e.is_invalid_input(), "{e}"),
    }
    // The quote field read as an article.
    let checked = quotecheck::check_article(quote, &prepared).expect("under the caps");
    let index = claimledger::CharIndex::new(quote);
    for q in &checked {
        if let Some(r) = &q.article {
            assert!(r.end <= quote.len() && quote.is_char_boundary(r.start) && quote.is_char_boundary(r.end));
        }
        let _ = q.to_json(Some(&index), &prepared);
    }
}
