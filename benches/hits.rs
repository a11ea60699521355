//! Cost per hit as the hits grow, and as the source grows: an article of H
//! quotations, each found once in a generated source of S bytes (made-up words,
//! footnotes, redaction labels), checked with `batch::check_articles` (sources
//! prepared once per call). The cost of a call with no quotation (preparing the
//! source's views) is measured in the same run and subtracted, so what is left is
//! what the hits cost: anchoring, verifying, the sentence, page and redactions
//! around each. Linear in H and flat in S is the target. `cargo bench --bench hits`.

mod common;

use claimledger::batch::{self, Article, Batch};
use claimledger::quotecheck::PreparedSource;
use common::*;
use std::sync::Arc;

/// A source of about `bytes` bytes with `hits` planted unique sentences spread
/// through it; returns the text and the planted sentences.
fn source(bytes: usize, hits: usize) -> (String, Vec<String>) {
    let mut rng = Rng::new(7);
    let mut s = String::with_capacity(bytes + hits * 120);
    let mut planted = Vec::with_capacity(hits);
    let every = (bytes / hits.max(1)).max(1);
    let mut next = every / 2;
    let mut i = 0usize;
    while s.len() < bytes || planted.len() < hits {
        if i > 0 {
            s.push_str(if i.is_multiple_of(5) { "\n\n" } else { " " });
        }
        if s.len() >= next && planted.len() < hits {
            let p =
                format!("Inspector number {} found ledger entry {} signed by clerk {}.", planted.len(), i, i * 7 + 3);
            s.push_str(&p);
            planted.push(p);
            next += every;
            s.push(' ');
        }
        sentence(&mut rng, &mut s);
        if i.is_multiple_of(40) {
            s.push_str(&format!("[^{}]", i / 40 + 1));
        }
        if i % 60 == 30 {
            s.push_str(" [Grand Jury]");
        }
        i += 1;
    }
    (s, planted)
}

fn article(planted: &[String], h: usize) -> String {
    planted
        .iter()
        .take(h)
        .map(|p| format!("The memo said \u{201C}{}\u{201D} on that day.", &p[..p.len() - 1]))
        .collect::<Vec<_>>()
        .join(" ")
}

fn check(sources: &[PreparedSource], text: &str) -> usize {
    let mut n = 0;
    let one = vec![Article { key: 0, text: Ok(text.to_string()) }];
    batch::check_articles(sources, one, Batch { threads: 1, window: 1, ..Batch::default() }, |c| {
        n = c.quotes?.len();
        Ok(())
    })
    .unwrap();
    n
}

fn main() {
    println!("machine: {}", machine());
    let (sizes, hits): (Vec<usize>, Vec<usize>) =
        if full() { (vec![1 << 20, 8 << 20, 64 << 20], vec![10, 100, 1000]) } else { (vec![64 << 10], vec![4, 16]) };
    let max_hits = *hits.iter().max().unwrap_or(&1);
    for &bytes in &sizes {
        let (text, planted) = source(bytes, max_hits);
        let taxonomy = claimledger::Taxonomy::builtin();
        let reds = taxonomy.find_labels(&text).into_iter().map(|(r, l)| (r, l, None)).collect();
        let sources = vec![PreparedSource::new("source", Arc::from(text.as_str()), reds)];
        let runs = if full() { 5 } else { 1 };
        let base = median_of(runs, || timed(|| check(&sources, "No quotation here.")));
        for &h in &hits {
            let a = article(&planted, h);
            let t = median_of(runs, || timed(|| assert_eq!(check(&sources, &a), h)));
            let per_hit = t.saturating_sub(base).as_secs_f64() / h as f64;
            report(format!(
                "hits source {} bytes, {h} hits: {:.1} ms, preparing the source {:.1} ms, per hit {:.1} µs",
                text.len(),
                t.as_secs_f64() * 1e3,
                base.as_secs_f64() * 1e3,
                per_hit * 1e6
            ));
        }
    }
}
