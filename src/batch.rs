//! Checking many articles against the same sources: the batch form of
//! [`crate::quotecheck::check_article`], for pipelines (`claimledger quotes
//! --articles FILE.jsonl`).
//!
//! # Design
//!
//! The sources are prepared once (their normalized views and the q-gram index
//! of each view built once, on first use, shared read-only by every worker:
//! see [`crate::text::qgram`]), then the articles stream through: the caller's
//! iterator is read on the calling thread, each article is checked on one of a
//! few worker threads (`std::thread::scope`, one per core by default), and each
//! result is handed to the caller's sink **in input order** as soon as it and
//! every earlier one are done. At most [`Batch::window`] articles are read and not
//! yet handed over at any moment, so memory is bounded and the first result is
//! written long before a long input is read to its end.
//!
//! **Memory.** The indexes are most of what a batch holds per source (the
//! view's index about 3 bytes per byte of the source, the text's about 0.8,
//! against 1 for the text and about 1.2 for the view and its offset map):
//! [`Batch::index_memory`] bounds what the indexes of all the sources take
//! together. An index takes the most it may hold from that budget when it is
//! built (on a source's first search that needs it) and gives back the rest;
//! one that would not fit is not built, and the searches it would serve pass
//! over the text instead: the same records, at the cost of a pass per search.
//! [`check_articles_memory`] and [`quotes_jsonl_memory`] report what each
//! source held ([`SourceMemory`]).
//!
//! An article that cannot be checked (its input was bad, or the check failed)
//! gives an error for that article; the run goes on. Only the sink's own error
//! (e.g. a closed output) stops the run.
//!
//! The results are those of [`crate::quotecheck::check_article`] on each article
//! alone. What depends only on a quote's words and the sources (its search
//! through the tiers, its verification at each place, each place read for
//! ranking) is kept for the whole run and shared by the workers, so a passage
//! that many articles quote is searched once; what depends on the article (the
//! sentence and neighbouring quotes that decide between places) is computed for
//! each article. The memo is bounded (it starts over past its size).

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::{Arc, mpsc};

use serde::Serialize;

use crate::quotecheck::{self, CheckedQuote, PreparedSource, QuoteJson};
use crate::span::CharIndex;
use crate::text::anchor::{IndexBudget, IndexPolicy, SourceText};
use crate::{Error, Result};

/// One article to check: the caller's key (echoed with its result) and its text,
/// or the reason it could not be read (echoed as its result).
#[derive(Debug)]
pub struct Article<K> {
    /// The caller's key for the article (an ID, a line number).
    pub key: K,
    /// The article's text, or why there is none.
    pub text: Result<String>,
}

/// The result for one article.
#[derive(Debug)]
pub struct Checked<K> {
    /// The key given with the article.
    pub key: K,
    /// The article's text (empty when it could not be read).
    pub text: String,
    /// Its quotations, checked; or the article's error.
    pub quotes: Result<Vec<CheckedQuote>>,
}

/// How a batch runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Most articles read and not yet handed to the sink (at least `threads`).
    pub window: usize,
    /// Most bytes the q-gram indexes of all the sources may take together
    /// (see the module docs): an index that would not fit in what is left is
    /// not built, and the searches it would have served pass over the text,
    /// with the same results. 0 builds none; `usize::MAX` has no bound.
    pub index_memory: usize,
}

/// The default of [`Batch::index_memory`]: 1 GiB, room for some 250 MB of
/// sources (about 3.1 bytes per byte of a view under 16 MiB, 4.1 above, and
/// 0.8 to 1 for the original text's index). The report volumes' indexes take
/// 4.3 MB, the PDF text's 5.1 MB: the default builds every index a batch of
/// report-sized sources asks for, which the batch's speed rests on (with no
/// index, the bench's 200 distinct articles cost 8.8 times the instructions).
pub const DEFAULT_INDEX_MEMORY: usize = 1 << 30;

impl Default for Batch {
    /// One worker per core, a window of four articles per worker, indexes
    /// within [`DEFAULT_INDEX_MEMORY`].
    fn default() -> Batch {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        Batch { threads, window: 4 * threads, index_memory: DEFAULT_INDEX_MEMORY }
    }
}

/// The bytes one source of a batch holds once the batch is done, by
/// structure: what it prepared once and kept for every article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SourceMemory {
    /// The source's text.
    pub text: usize,
    /// The normalized view's text.
    pub view: usize,
    /// The view's offset map.
    pub offset_map: usize,
    /// Footnotes, pages, redactions, skip ranges and labels.
    pub notes: usize,
    /// The q-gram index of the view.
    pub view_index: usize,
    /// The q-gram index of the original text.
    pub text_index: usize,
    /// Caches that grow with the quotes searched, not with the source
    /// (exact hits found in bulk, statements of lines segmented), and the
    /// source's code-point index.
    pub other: usize,
}

impl SourceMemory {
    /// What the source holds besides the caches ([`SourceMemory::other`]).
    pub fn prepared(&self) -> usize {
        self.text + self.view + self.offset_map + self.notes + self.view_index + self.text_index
    }

    /// Both indexes.
    pub fn indexes(&self) -> usize {
        self.view_index + self.text_index
    }
}

/// What each of `sources` holds, as searched through `views` (one per source).
fn memory_of(sources: &[PreparedSource], views: &[SourceText<'_>]) -> Vec<SourceMemory> {
    sources
        .iter()
        .zip(views)
        .map(|(s, v)| {
            let m = v.memory();
            let (notes, other) = s.prepared_bytes();
            SourceMemory {
                text: s.text().len(),
                view: m.view,
                offset_map: m.offset_map,
                notes: notes + m.marks,
                view_index: m.view_index,
                text_index: m.text_index,
                other: other + m.exact_hits,
            }
        })
        .collect()
}

/// Checks every article of `articles` against `sources`, handing each result to
/// `sink` in input order, as soon as it and every earlier one are done.
///
/// ```
/// use std::sync::Arc;
/// use claimledger::batch::{self, Article, Batch};
/// use claimledger::quotecheck::PreparedSource;
/// # fn main() -> claimledger::Result<()> {
/// let source = PreparedSource::new("report.txt", Arc::from("The fees rose sharply in May."), Vec::new());
/// let articles = vec![
///     Article { key: "a", text: Ok("It said the fees \u{201C}rose sharply\u{201D}.".to_string()) },
///     Article { key: "b", text: Ok("Nothing quoted here.".to_string()) },
/// ];
/// let mut seen = Vec::new();
/// batch::check_articles(&[source], articles, Batch::default(), |c| {
///     seen.push((c.key, c.quotes?.len()));
///     Ok(())
/// })?;
/// assert_eq!(seen, vec![("a", 1), ("b", 0)]);
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// Only the sink's: an article's own error is handed to the sink as its result.
pub fn check_articles<K, I, F>(sources: &[PreparedSource], articles: I, batch: Batch, sink: F) -> Result<()>
where
    K: Send,
    I: IntoIterator<Item = Article<K>>,
    F: FnMut(Checked<K>) -> Result<()>,
{
    check_articles_then(sources, articles, batch, sink, |_| {})
}

/// [`check_articles`], returning what each source held once every article
/// was checked ([`SourceMemory`], in the order of `sources`).
///
/// ```
/// use std::sync::Arc;
/// use claimledger::batch::{self, Article, Batch};
/// use claimledger::quotecheck::PreparedSource;
/// # fn main() -> claimledger::Result<()> {
/// let source = PreparedSource::new("report.txt", Arc::from("The fees rose sharply in May."), Vec::new());
/// let articles = vec![Article { key: 1, text: Ok("It said the fees \u{201C}rose sharpy\u{201D}.".to_string()) }];
/// let none = Batch { index_memory: 0, ..Batch::default() };
/// let memory = batch::check_articles_memory(&[source], articles, none, |_| Ok(()))?;
/// assert_eq!((memory[0].text, memory[0].indexes()), (29, 0));
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As [`check_articles`].
pub fn check_articles_memory<K, I, F>(
    sources: &[PreparedSource],
    articles: I,
    batch: Batch,
    sink: F,
) -> Result<Vec<SourceMemory>>
where
    K: Send,
    I: IntoIterator<Item = Article<K>>,
    F: FnMut(Checked<K>) -> Result<()>,
{
    let mut memory = Vec::new();
    check_articles_then(sources, articles, batch, sink, |views| memory = memory_of(sources, views))?;
    Ok(memory)
}

/// The views a batch searches: each builds the q-gram index of its
/// normalized view on its first search there (see [`crate::text::qgram`]),
/// since many quotes will be searched in the same views, so a quote the
/// exact tier misses costs what its q-grams occur, not a pass over the source;
/// all of them within `batch.index_memory`.
fn batch_views(sources: &[PreparedSource], batch: Batch) -> Vec<SourceText<'_>> {
    let budget = Arc::new(IndexBudget::new(batch.index_memory));
    sources.iter().map(|s| s.source_text().with_index(IndexPolicy::Always).with_index_budget(budget.clone())).collect()
}

/// [`check_articles`], handing the views it searched to `done` once every
/// article is checked (tests look at what they built).
fn check_articles_then<K, I, F>(
    sources: &[PreparedSource],
    articles: I,
    batch: Batch,
    sink: F,
    done: impl FnOnce(&[SourceText<'_>]),
) -> Result<()>
where
    K: Send,
    I: IntoIterator<Item = Article<K>>,
    F: FnMut(Checked<K>) -> Result<()>,
{
    let views = batch_views(sources, batch);
    // What anchoring depends on only in a quote's words is kept for the whole
    // run: articles of a pipeline quote the same passages.
    let memo = quotecheck::Memo::new(&views);
    let refs: Vec<&PreparedSource> = sources.iter().collect();
    run(articles, batch, |article| check_one(&refs, &views, &memo, article), sink)?;
    done(&views);
    Ok(())
}

/// Runs `work` on every article of `articles` on `batch.threads` worker threads
/// and hands each result to `sink` in input order, as soon as it and every
/// earlier one are done (see the module docs).
fn run<K, T, I, W, F>(articles: I, batch: Batch, work: W, mut sink: F) -> Result<()>
where
    K: Send,
    T: Send,
    I: IntoIterator<Item = Article<K>>,
    W: Fn(Article<K>) -> T + Sync,
    F: FnMut(T) -> Result<()>,
{
    let threads = batch.threads.max(1);
    let window = batch.window.max(threads);
    let work = &work;
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Article<K>)>(window);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| {
        // Owned by this closure, so every way out of it (the end of the input, a
        // sink error) closes the queue and the workers stop before the scope joins them.
        let job_tx = job_tx;
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || {
                loop {
                    // The lock is held only to take the next job.
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, article)) = job else { return };
                    let done = work(article);
                    if done_tx.send((seq, done)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut next = 0usize;
        let mut read = 0usize;
        // Hands over every result that is next in order.
        let mut flush = |pending: &mut BTreeMap<usize, T>, next: &mut usize| -> Result<()> {
            while let Some(c) = pending.remove(next) {
                *next += 1;
                sink(c)?;
            }
            Ok(())
        };
        let mut result = Ok(());
        for article in articles {
            // Keep the window: wait for results until there is room.
            while read - next >= window {
                match done_rx.recv() {
                    Ok((seq, c)) => {
                        pending.insert(seq, c);
                    }
                    Err(_) => return Err(worker_lost()),
                }
                flush(&mut pending, &mut next)?;
            }
            if job_tx.send((read, article)).is_err() {
                result = Err(worker_lost());
                break;
            }
            read += 1;
            while let Ok((seq, c)) = done_rx.try_recv() {
                pending.insert(seq, c);
            }
            flush(&mut pending, &mut next)?;
        }
        drop(job_tx);
        result?;
        while next < read {
            match done_rx.recv() {
                Ok((seq, c)) => {
                    pending.insert(seq, c);
                }
                Err(_) => return Err(worker_lost()),
            }
            flush(&mut pending, &mut next)?;
        }
        Ok(())
    })
}

fn worker_lost() -> Error {
    Error::invalid("batch", "a worker thread stopped before its article was checked")
}

/// Checks one article; a panic in the check (a bug) is that article's error, so
/// the run and the order of results survive it.
fn check_one<K>(
    refs: &[&PreparedSource],
    views: &[SourceText<'_>],
    memo: &quotecheck::Memo,
    article: Article<K>,
) -> Checked<K> {
    let Article { key, text } = article;
    match text {
        Ok(text) => {
            let quotes = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                quotecheck::check_article_memo(&text, refs, views, memo)
            }))
            .unwrap_or_else(|_| Err(Error::invalid("article", "checking it failed unexpectedly")));
            Checked { key, text, quotes }
        }
        Err(e) => Checked { key, text: String::new(), quotes: Err(e) },
    }
}

// ------------------------------------------------------------ JSON Lines

/// Longest input line of [`quotes_jsonl`] (an article and its envelope), 64 MiB.
pub const MAX_LINE: usize = 64 << 20;

/// Where a JSON Lines record came from: its line number and its `"id"` (JSON
/// `null` when it has none or could not be read).
#[derive(Debug, Clone, PartialEq)]
pub struct LineKey {
    /// 1-based line number in the input.
    pub line: usize,
    /// The record's `"id"`, echoed as given.
    pub id: serde_json::Value,
}

#[derive(Serialize)]
struct QuotesRecord<'a> {
    format: u32,
    id: &'a serde_json::Value,
    quotes: Vec<QuoteJson>,
    warnings: Vec<crate::quotecheck::WarningJson>,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    format: u32,
    id: &'a serde_json::Value,
    line: usize,
    error: String,
}

/// Reads articles as JSON Lines (`{"id": ..., "text": "..."}`, one per line),
/// checks them with [`check_articles`] and writes one JSON line per article in
/// input order: `{"id": ..., "quotes": [...]}` (each quote as `claimledger quotes
/// --format json` prints it), or `{"id": ..., "line": N, "error": "..."}` for a
/// line that is not UTF-8, not JSON, not an object with a string `"text"`, over
/// [`MAX_LINE`], or whose check failed. Blank lines are not records. Each output
/// line is flushed as it is written; `progress` is called with the number of
/// records written so far. Returns that number.
///
/// ```
/// use std::sync::Arc;
/// use claimledger::batch::{self, Batch};
/// use claimledger::quotecheck::PreparedSource;
/// # fn main() -> claimledger::Result<()> {
/// let source = PreparedSource::new("report.txt", Arc::from("The fees rose sharply in May."), Vec::new());
/// let input = "{\"id\": 1, \"text\": \"It said fees \\u201Crose sharply\\u201D.\"}\nnot json\n";
/// let mut out = Vec::new();
/// let n = batch::quotes_jsonl(input.as_bytes(), &mut out, &[source], Batch::default(), |_| {})?;
/// assert_eq!(n, 2);
/// let lines: Vec<serde_json::Value> =
///     String::from_utf8_lossy(&out).lines().map(|l| serde_json::from_str(l).unwrap_or_default()).collect();
/// assert_eq!(lines[0]["quotes"][0]["status"], "verbatim");
/// assert_eq!(lines[1]["line"], 2);
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// [`Error::Io`] when the input cannot be read or the output written (the
/// records written so far stay written).
pub fn quotes_jsonl(
    input: impl BufRead,
    output: impl Write,
    sources: &[PreparedSource],
    batch: Batch,
    progress: impl FnMut(usize),
) -> Result<usize> {
    quotes_jsonl_then(input, output, sources, batch, progress, |_| {})
}

/// [`quotes_jsonl`], returning with the number of records what each source
/// held once every record was written ([`SourceMemory`], in the order of
/// `sources`): what `claimledger quotes --articles --memory-report` prints.
///
/// # Errors
///
/// As [`quotes_jsonl`].
pub fn quotes_jsonl_memory(
    input: impl BufRead,
    output: impl Write,
    sources: &[PreparedSource],
    batch: Batch,
    progress: impl FnMut(usize),
) -> Result<(usize, Vec<SourceMemory>)> {
    let mut memory = Vec::new();
    let n = quotes_jsonl_then(input, output, sources, batch, progress, |views| memory = memory_of(sources, views))?;
    Ok((n, memory))
}

/// [`quotes_jsonl`], handing the views it searched to `done` once every
/// record is written (tests look at what they built).
fn quotes_jsonl_then(
    input: impl BufRead,
    mut output: impl Write,
    sources: &[PreparedSource],
    batch: Batch,
    mut progress: impl FnMut(usize),
    done: impl FnOnce(&[SourceText<'_>]),
) -> Result<usize> {
    let mut read_error: Option<std::io::Error> = None;
    let mut written = 0usize;
    let articles = Lines { input, line: 0, failed: &mut read_error };
    let views = batch_views(sources, batch);
    let memo = quotecheck::Memo::new(&views);
    let refs: Vec<&PreparedSource> = sources.iter().collect();
    // Each record is checked and written out as JSON on a worker; the calling
    // thread only reads lines and writes records.
    let work = |article: Article<LineKey>| record_line(&refs, &views, &memo, sources, article);
    run(articles, batch, work, |line: Result<String>| {
        let line = line?;
        let out = Path::new("<output>");
        output.write_all(line.as_bytes()).map_err(|e| Error::io(out, e))?;
        output.write_all(b"\n").map_err(|e| Error::io(out, e))?;
        output.flush().map_err(|e| Error::io(out, e))?;
        written += 1;
        progress(written);
        Ok(())
    })?;
    done(&views);
    match read_error {
        Some(e) => Err(Error::io(Path::new("<input>"), e)),
        None => Ok(written),
    }
}

/// The output record of one article of [`quotes_jsonl`], as one JSON line
/// (without its line break): its quotes and warnings, or its error.
fn record_line(
    refs: &[&PreparedSource],
    views: &[SourceText<'_>],
    memo: &quotecheck::Memo,
    sources: &[PreparedSource],
    article: Article<LineKey>,
) -> Result<String> {
    let Article { key, text } = article;
    let checked = text.and_then(|text| {
        let index = CharIndex::new(&text);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let (quotes, warnings) = quotecheck::check_article_and_warnings(&text, refs, views, memo, Some(&index))?;
            let quotes: Vec<QuoteJson> = quotes.iter().map(|q| q.to_json(Some(&index), sources)).collect();
            Ok((quotes, warnings))
        }))
        .unwrap_or_else(|_| Err(Error::invalid("article", "checking it failed unexpectedly")))
    });
    match checked {
        Ok((quotes, warnings)) => {
            serde_json::to_string(&QuotesRecord { format: crate::JSON_FORMAT, id: &key.id, quotes, warnings })
        }
        Err(e) => serde_json::to_string(&ErrorRecord {
            format: crate::JSON_FORMAT,
            id: &key.id,
            line: key.line,
            error: e.to_string(),
        }),
    }
    .map_err(|source| Error::Json { what: "output record".into(), source })
}

/// The records of a JSON Lines input, read one line at a time. A read error ends
/// the records and is kept in `failed`.
struct Lines<'e, R> {
    input: R,
    line: usize,
    failed: &'e mut Option<std::io::Error>,
}

impl<R: BufRead> Iterator for Lines<'_, R> {
    type Item = Article<LineKey>;

    fn next(&mut self) -> Option<Article<LineKey>> {
        loop {
            let mut buf = Vec::new();
            let n = match (&mut self.input).take(MAX_LINE as u64 + 1).read_until(b'\n', &mut buf) {
                Ok(n) => n,
                Err(e) => {
                    *self.failed = Some(e);
                    return None;
                }
            };
            if n == 0 {
                return None;
            }
            self.line += 1;
            let line = self.line;
            if buf.len() > MAX_LINE && buf.last() != Some(&b'\n') {
                // Skip the rest of the over-long line.
                if let Err(e) = skip_line(&mut self.input) {
                    *self.failed = Some(e);
                    return None;
                }
                let text = Err(Error::TooLarge { what: "input line", len: buf.len(), max: MAX_LINE });
                return Some(Article { key: LineKey { line, id: serde_json::Value::Null }, text });
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(record(line, &buf));
        }
    }
}

fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', chunk) {
            Some(k) => {
                input.consume(k + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                input.consume(n);
            }
        }
    }
}

/// One input line as an article: its `"id"` and `"text"`, or why not.
fn record(line: usize, bytes: &[u8]) -> Article<LineKey> {
    let at = || format!("line {line}");
    let (json, utf8) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), true),
        Err(_) => (String::from_utf8_lossy(bytes), false),
    };
    let value: std::result::Result<serde_json::Value, _> = serde_json::from_str(&json);
    let id = value.as_ref().ok().and_then(|v| v.get("id")).cloned().unwrap_or(serde_json::Value::Null);
    let key = LineKey { line, id };
    let text = if !utf8 {
        Err(Error::invalid(at(), "not UTF-8 text"))
    } else {
        match value {
            Err(source) => Err(Error::Json { what: at(), source }),
            Ok(v) => match v.get("text") {
                Some(serde_json::Value::String(t)) => Ok(t.clone()),
                Some(_) => Err(Error::invalid(at(), "\"text\" is not a string")),
                None if v.is_object() => Err(Error::invalid(at(), "no \"text\"")),
                None => Err(Error::invalid(at(), "not a JSON object")),
            },
        }
    };
    Article { key, text }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::text::anchor::{self, Hint};

    const REPORT: &str = "The harbor commission met in May. Auditors said the weekend overtime billed by the \
ferry contractor was never approved in writing by the board's finance committee.";
    /// A quote with a slip: the exact and normalized tiers miss it, the fuzzy
    /// tier searches each whole view.
    const QUOTE: &str = "the weekend overtime billed by the ferry contractor was never aproved in writing";

    fn sources() -> Vec<PreparedSource> {
        vec![
            PreparedSource::new("report.txt", Arc::from(REPORT), Vec::new()),
            PreparedSource::new(
                "minutes.txt",
                Arc::from(
                    "The board met again in June. The finance committee approved the ferry schedule and the repairs.",
                ),
                Vec::new(),
            ),
        ]
    }

    #[test]
    fn a_single_search_of_a_prepared_source_builds_no_index() {
        // What the batch tests below tell apart: a view as a single process
        // prepares it builds no index for one fuzzy search.
        let sources = sources();
        let view = sources[0].source_text();
        let found = anchor::anchor_in(&view, QUOTE, &Hint::default()).unwrap();
        assert_eq!(found.best.map(|c| c.tier), Some(anchor::Tier::Fuzzy));
        assert!(!view.index_built());
    }

    #[test]
    fn the_command_line_batch_searches_through_each_sources_index() {
        let sources = sources();
        let input = format!("{{\"id\": 1, \"text\": \"They said \\u201C{QUOTE}\\u201D.\"}}\n");
        let mut out = Vec::new();
        let mut built = Vec::new();
        let n = quotes_jsonl_then(
            input.as_bytes(),
            &mut out,
            &sources,
            Batch::default(),
            |_| {},
            |views| {
                built = views.iter().map(SourceText::index_built).collect();
            },
        )
        .unwrap();
        assert_eq!(n, 1);
        let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(line["quotes"][0]["tier"], "fuzzy", "{line}");
        assert_eq!(built, vec![true, true]);
    }

    #[test]
    fn the_library_batch_searches_through_each_sources_index() {
        let sources = sources();
        let articles = vec![Article { key: 1, text: Ok(format!("They said \u{201C}{QUOTE}\u{201D}.")) }];
        let mut tiers = Vec::new();
        let mut built = Vec::new();
        check_articles_then(
            &sources,
            articles,
            Batch::default(),
            |c| {
                tiers.extend(c.quotes?.iter().map(|q| q.finding.tier));
                Ok(())
            },
            |views| built = views.iter().map(SourceText::index_built).collect(),
        )
        .unwrap();
        assert_eq!(tiers, vec![Some(crate::model::Tier::Fuzzy)]);
        assert_eq!(built, vec![true, true]);
    }
}
