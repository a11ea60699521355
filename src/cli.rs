//! The command-line interface, kept thin: parse arguments, call the library,
//! print. It lives in the library so its commands can be tested in process.

use crate::audit::Policy;
use crate::formats::Scope;
use crate::import::{RedactionFile, Redactions, SourceImport};
use crate::quotecheck;
use crate::trace::TraceFile;
use crate::{CharIndex, Document, DocumentKind, Error, Ledger, NewDocument, NewVerdict, Result, WithdrawalTarget};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `print!` that returns [`Error::Io`] instead of panicking when standard
/// output fails (a reader that stopped early, `| head`, closes the pipe).
macro_rules! out {
    ($($arg:tt)*) => {
        write!(std::io::stdout().lock(), $($arg)*).map_err(|e| Error::io("standard output", e))
    };
}

/// `println!` that returns [`Error::Io`] instead of panicking (see [`out!`]).
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(|e| Error::io("standard output", e))
    };
}

/// A claims-and-sources ledger in one SQLite file.
#[derive(Debug, Parser)]
#[command(name = "claimledger", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Text,
    /// JSON.
    Json,
}

/// Formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// claimledger bundle: JSON Lines, every record with its ID (lossless; import it back).
    Bundle,
    /// W3C Web Annotation JSON-LD: an AnnotationCollection of citations and redactions.
    W3c,
    /// schema.org ClaimReview JSON-LD: an array of the verdicts.
    Claimreview,
    /// CSL-JSON: the documents as citation items.
    Csl,
    /// FEVER-style JSON Lines: claims needing a source, labelled, with evidence.
    Fever,
}

/// Formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// A claimledger bundle (merged by ID and content).
    Bundle,
    /// schema.org ClaimReview JSON-LD: an object, an array, or a DataFeed.
    Claimreview,
    /// CSL-JSON items (documents without text).
    Csl,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty ledger file (or check an existing one).
    #[command(after_help = "Example:\n  claimledger init desk.ledger")]
    Init {
        /// The ledger file.
        ledger: PathBuf,
    },
    /// Add a source text to a ledger, with its redactions and footnotes.
    #[command(
        after_help = "Example:\n  claimledger add-source desk.ledger report.txt --redactions report.redactions.json --title \"Harbour audit\"\n  claimledger add-source desk.ledger report-corrected.txt --revision-of \"Harbour audit\""
    )]
    AddSource {
        /// The ledger file.
        ledger: PathBuf,
        /// The source text (UTF-8; form feeds separate pages).
        file: PathBuf,
        /// A stand-off redaction file (JSON, code-point offsets). Without it,
        /// bracketed redaction labels are detected in the text.
        #[arg(long)]
        redactions: Option<PathBuf>,
        /// The document's title (default: the file name).
        #[arg(long)]
        title: Option<String>,
        /// The document's kind.
        #[arg(long, default_value = "report")]
        kind: String,
        /// An author of the document (repeat for several): quotes the article
        /// attributes to them by name count as the source's in the audit.
        #[arg(long = "author", value_name = "NAME", conflicts_with = "revision_of")]
        authors: Vec<String>,
        /// Add the text as a new revision of this source (ID or title): a
        /// corrected edition or a re-release. Then `reanchor` carries its
        /// passages, redactions and citations over.
        #[arg(long, value_name = "ID-or-title", conflicts_with_all = ["title", "kind"])]
        revision_of: Option<String>,
        /// Who makes this change, as the ledger's history records it (`log`).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Anchor and verify every quotation of an article in its sources (no ledger).
    #[command(
        after_help = "Example:\n  claimledger quotes --article article.txt --source report.txt --redactions report.redactions.json --format json"
    )]
    Quotes {
        /// The article text.
        #[arg(long, required_unless_present = "articles", conflicts_with = "articles")]
        article: Option<PathBuf>,
        /// Many articles: JSON Lines of `{"id", "text"}` (`-` for standard input).
        /// Writes one JSON line per article, in input order, as each is done:
        /// `{"id", "quotes": [...]}`, or `{"id", "line", "error"}` for a bad line.
        /// The sources are prepared once; the articles are checked on every core.
        #[arg(long, value_name = "FILE.jsonl")]
        articles: Option<PathBuf>,
        /// A source text; repeat for several.
        #[arg(long = "source", required = true)]
        sources: Vec<PathBuf>,
        /// A stand-off redaction file; it belongs to the source its `text` field
        /// names, else to the source in the same position. Without one, bracketed
        /// labels are detected in the source.
        #[arg(long = "redactions")]
        redactions: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// With `--articles`: most memory the sources' search indexes may
        /// take together, in bytes (suffixes K, M, G: powers of 1024), or
        /// `none`. A source whose index does not fit is searched by passes
        /// over its text instead: same results, more time. Default 1G.
        #[arg(long, value_name = "BYTES|none", value_parser = parse_index_memory)]
        index_memory: Option<usize>,
        /// With `--articles`: once done, print on standard error the bytes
        /// each prepared source holds, by structure.
        #[arg(long)]
        memory_report: bool,
    },
    /// Locate one quote in sources and verify it (no ledger).
    #[command(
        after_help = "Example:\n  claimledger locate --source report.txt --quote \"the pier was repaired\" --format json\n  claimledger locate --source report.txt --quote dirt --context \"Inspectors found dirt in the tanks.\""
    )]
    Locate {
        /// A source text; repeat for several.
        #[arg(long = "source", required = true)]
        sources: Vec<PathBuf>,
        /// Stand-off redaction files, as for `quotes`.
        #[arg(long = "redactions")]
        redactions: Vec<PathBuf>,
        /// The quote.
        #[arg(long)]
        quote: String,
        /// The article sentence that holds the quote (containing it as
        /// written): a short or repeated quote's places are ranked against it,
        /// as `quotes` does.
        #[arg(long, value_name = "SENTENCE")]
        context: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Add an article and import its trace file (TOML, or JSON by extension).
    #[command(
        after_help = "Example:\n  claimledger trace desk.ledger --article article.txt --trace article.trace.toml"
    )]
    Trace {
        /// The ledger file.
        ledger: PathBuf,
        /// The article text.
        #[arg(long)]
        article: PathBuf,
        /// The trace file.
        #[arg(long)]
        trace: PathBuf,
        /// Who makes this change, as the ledger's history records it (`log`).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Audit the citation coverage of articles.
    #[command(
        after_help = "Example:\n  claimledger audit desk.ledger --document \"Pier fixed\" --format json --require-complete"
    )]
    Audit {
        /// The ledger file.
        ledger: PathBuf,
        /// The article, by ID or title (default: every document with claims).
        #[arg(long)]
        document: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Exit with 1 unless every statement is cited, every quote anchored and
        /// every altered quote acknowledged.
        #[arg(long)]
        require_complete: bool,
    },
    /// Write the HTML trace report of an article: one self-contained page.
    #[command(after_help = "Example:\n  claimledger report desk.ledger -o report.html")]
    Report {
        /// The ledger file (opened read-only).
        ledger: PathBuf,
        /// The article, by ID or title (default: the ledger's only article; with
        /// several, the error lists them).
        #[arg(long)]
        document: Option<String>,
        /// The HTML file to write (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Export the ledger, or one article's trace, in an exchange format: a
    /// lossless bundle, W3C Web Annotations, schema.org ClaimReviews, CSL-JSON
    /// or FEVER-style claims (formats described in the README).
    #[command(
        after_help = "Example:\n  claimledger export desk.ledger --format w3c --document \"Pier fixed\" -o annotations.json"
    )]
    Export {
        /// The ledger file (must exist).
        ledger: PathBuf,
        /// The format to write.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Only this article's trace, by ID or title: its latest revision with
        /// everything it points at (default: the whole ledger).
        #[arg(long)]
        document: Option<String>,
        /// Write to this file, replaced only once the export is complete
        /// (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Import a bundle, schema.org ClaimReviews or CSL-JSON items into a ledger,
    /// in one transaction: a file that is refused writes nothing.
    #[command(after_help = "Example:\n  claimledger import desk.ledger reviews.json")]
    Import {
        /// The ledger file (created when missing, and only if the import succeeds).
        ledger: PathBuf,
        /// The format of the file (default: told from its content; a file that
        /// shows no format's mark is refused, never guessed).
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// The file to import.
        file: PathBuf,
        /// Who makes this change, as the ledger's history records it (`log`).
        #[arg(long)]
        actor: Option<String>,
    },
    /// List the evidence items a source's footnotes cite: kind, who, recipients,
    /// date, pinpoint, signal and span (offsets in code points of the revision).
    #[command(
        after_help = "Example:\n  claimledger evidence desk.ledger --document \"Port review\" --footnote 12 --format json"
    )]
    Evidence {
        /// The ledger file (opened read-only).
        ledger: PathBuf,
        /// The source, by ID or title.
        #[arg(long)]
        document: String,
        /// Only this footnote.
        #[arg(long)]
        footnote: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Withdraw evidence (every item of an origin, one item, or every item of a
    /// source), or undo an earlier withdrawal: recorded with the reason, never
    /// deleting anything. The audit then lists the statements whose support falls
    /// or thins.
    #[command(
        after_help = "Example:\n  claimledger withdraw desk.ledger --origin \"Gates\" --reason \"pleaded guilty to lying\"\n  claimledger withdraw desk.ledger --undo WITHDRAWAL-ID --reason \"finding reversed\""
    )]
    Withdraw {
        /// The ledger file (must exist).
        ledger: PathBuf,
        /// Every item of this origin (a witness, sender, outlet, ...).
        #[arg(long, conflicts_with_all = ["item", "document", "undo"])]
        origin: Option<String>,
        /// One evidence item, by ID (see `evidence --format json`).
        #[arg(long, conflicts_with_all = ["document", "undo"])]
        item: Option<String>,
        /// Every item a source's footnotes cite, by ID or title.
        #[arg(long, conflicts_with = "undo")]
        document: Option<String>,
        /// Undo this withdrawal, by ID.
        #[arg(long)]
        undo: Option<String>,
        /// Why (kept in the history).
        #[arg(long)]
        reason: String,
        /// Who makes this change, as the ledger's history records it (`log`).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Record a verdict: a desk's rating of one statement of an article,
    /// exported as a schema.org ClaimReview.
    #[command(
        after_help = "Example:\n  claimledger verdict desk.ledger --document \"Pier fixed\" --statement \"cost nothing\" \\\n    --rating \"Mostly false\" --value 2 --worst 1 --best 5 --url https://desk.example/checks/pier \\\n    --author \"Harbor Desk\" --date 2023-09-20"
    )]
    Verdict {
        /// The ledger file (must exist).
        ledger: PathBuf,
        /// The article, by ID or title.
        #[arg(long)]
        document: String,
        /// A few words of the statement rated, as the article has them (they must
        /// occur in exactly one statement).
        #[arg(long)]
        statement: String,
        /// The textual rating, e.g. "Mostly false".
        #[arg(long)]
        rating: String,
        /// The rating on the desk's scale (with --worst and --best, default 1 and 5).
        #[arg(long)]
        value: Option<i64>,
        /// The worst rating of the scale.
        #[arg(long, requires = "value")]
        worst: Option<i64>,
        /// The best rating of the scale.
        #[arg(long, requires = "value")]
        best: Option<i64>,
        /// The URL of the published fact-check (Google requires it in a ClaimReview).
        #[arg(long)]
        url: Option<String>,
        /// Who reviewed the claim.
        #[arg(long)]
        author: Option<String>,
        /// Whether the author is a person or an organization (default: not said,
        /// exported as an organization).
        #[arg(long, requires = "author", value_parser = ["person", "organization"])]
        author_type: Option<String>,
        /// When the review was published (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        /// Who makes this change, as the ledger's history records it (`log`).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Suggest source passages for the statements of an article: by default
    /// every uncited statement of its latest revision. A suggestion is never a
    /// citation.
    #[command(
        after_help = "Example:\n  claimledger suggest desk.ledger --document \"Pier fixed\" --top 3 --format json"
    )]
    Suggest {
        /// The ledger file.
        ledger: PathBuf,
        /// The article, by ID or title (default: the ledger's only article; with
        /// several, the error lists them).
        #[arg(long)]
        document: Option<String>,
        /// Only the statements holding these words (case-insensitive).
        #[arg(long)]
        statement: Option<String>,
        /// Suggestions per statement.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Every statement that is not exempt, cited or not.
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    #[command(after_help = "Example:\n  claimledger reanchor desk.ledger --document \"Harbour audit\" --format json")]
    /// Carry a source's passages, redactions and quotations from one revision to
    /// another (default: the previous revision to the latest); citations follow
    /// their passages as new rows.
    Reanchor {
        /// The ledger file.
        ledger: PathBuf,
        /// The source, by ID or title.
        #[arg(long)]
        document: String,
        /// The revision number to carry from (default: the one before `--to`).
        #[arg(long, value_name = "SEQ")]
        from: Option<u32>,
        /// The revision number to carry to (default: the latest).
        #[arg(long, value_name = "SEQ")]
        to: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Who makes this change, as the ledger's history records it (`log`).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Draft a trace file for an article against the ledger's sources: every
    /// statement a `[[claim]]` whose suggested citations are commented out,
    /// exemption guesses marked for review. It imports as it is; edit it, then
    /// `trace` it. Writes nothing to the ledger.
    #[command(after_help = "Example:\n  claimledger draft desk.ledger --article article.txt -o article.trace.toml")]
    Draft {
        /// The ledger file.
        ledger: PathBuf,
        /// The article text.
        #[arg(long)]
        article: PathBuf,
        /// Suggestions per statement.
        #[arg(long, default_value_t = 3)]
        top: usize,
        /// The trace file to write; an existing file is never replaced
        /// (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// List the ledger's history: one event per change (what, when, who, rows
    /// written per table), each holding the hash of the one before.
    #[command(after_help = "Example:\n  claimledger log desk.ledger --format json")]
    Log {
        /// The ledger file.
        ledger: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Check the ledger's history: the hash chain, each event's row list, and
    /// every row against the digest its last event recorded. Exits 1 naming the
    /// first event or row that does not match (changed behind the library's
    /// back), 0 when everything matches.
    #[command(after_help = "Example:\n  claimledger verify desk.ledger")]
    Verify {
        /// The ledger file.
        ledger: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Run the whole pipeline on an embedded sample (a made-up report and an
    /// article citing it) and print the audit.
    #[command(after_help = "Example:\n  claimledger demo --keep demo.ledger")]
    Demo {
        /// Keep the demo ledger at this path (default: a temporary file, removed).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
}

/// Runs the command line and returns the process exit code: 0 on success, 1 when
/// a check fails, 2 on an error (printed as one line on standard error).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run_as(cli, Exit::Leave) {
        Ok(code) => code,
        // A reader that stops early (`claimledger locate ... | head`) is not an error.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("claimledger: error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs a parsed command line.
///
/// # Errors
///
/// Whatever the command's library calls return.
pub fn run(cli: Cli) -> Result<ExitCode> {
    run_as(cli, Exit::Free)
}

/// What a command does with its largest buffers when it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// Free them (a command run from a program that goes on).
    Free,
    /// Leave them to the process's exit ([`main`]: the process ends right
    /// after). Freeing a large source and its normalized view one allocation
    /// at a time is work the exit does anyway.
    Leave,
}

fn run_as(cli: Cli, exit: Exit) -> Result<ExitCode> {
    match cli.command {
        Command::Init { ledger } => {
            let l = Ledger::open(&ledger)?;
            outln!("{}: ledger ready ({} documents)", ledger.display(), l.documents()?.len())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::AddSource { ledger, file, redactions, title, kind, authors, revision_of, actor } => {
            let mut l = open_as(&ledger, actor)?;
            let imp = match &revision_of {
                Some(name) => {
                    let doc = l.find_document(name)?;
                    let mut imp =
                        source_import(&file, redactions.as_deref(), Some(doc.title.clone()), doc.kind.code())?;
                    imp.revision_of = Some(doc.id);
                    imp
                }
                None => {
                    let mut imp = source_import(&file, redactions.as_deref(), title, &kind)?;
                    imp.document.creators = authors;
                    imp
                }
            };
            let pb = progress(None, "adding the source");
            let out = l.import_source(imp);
            pb.finish_and_clear();
            let out = out?;
            outln!(
                "{} {}: revision {} (#{}, {} redactions, {} footnotes{})",
                if out.created { "added" } else { "already present:" },
                out.document.title,
                out.revision.id,
                out.revision.seq,
                out.redactions,
                out.footnotes,
                if out.unknown_labels.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", unknown labels: {}",
                        out.unknown_labels.iter().map(|(l, n)| format!("{l:?} x{n}")).collect::<Vec<_>>().join(", ")
                    )
                }
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Quotes {
            article: None,
            articles: Some(articles),
            sources,
            redactions,
            index_memory,
            memory_report,
            ..
        } => quotes_batch(&articles, &sources, &redactions, index_memory, memory_report),
        Command::Quotes { article, sources, redactions, format, index_memory, memory_report, .. } => {
            let article = article.ok_or_else(|| Error::invalid("--article", "give --article or --articles"))?;
            if index_memory.is_some() || memory_report {
                return Err(Error::invalid("--index-memory", "--index-memory and --memory-report go with --articles"));
            }
            let text = crate::import::read_text(&article, MAX_ARTICLE, "article")?;
            let prepared = quotecheck::load_sources(&sources, &redactions)?;
            let checked = quotecheck::check_article(&text, &prepared)?;
            let index = CharIndex::new(&text);
            let json: Vec<_> = checked.iter().map(|q| q.to_json(Some(&index), &prepared)).collect();
            let warnings = quotecheck::warnings_json(&text, &index)?;
            print_quotes(&json, &warnings, format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Locate { sources, redactions, quote, context, format } => {
            // The one-shot command reads its sources into memory it leaves to
            // the exit (and so checks them as UTF-8 once, borrowed).
            let prepared = if exit == Exit::Leave {
                quotecheck::load_sources_kept(&sources, &redactions)?
            } else {
                quotecheck::load_sources(&sources, &redactions)?
            };
            let views = quotecheck::matcher_views(&prepared);
            let q = match context {
                Some(sentence) => quotecheck::locate_in_sentence_in(&quote, &sentence, &prepared, &views)?,
                None => quotecheck::locate_in(&quote, &prepared, &views)?,
            };
            print_quotes(&[q.to_json(None, &prepared)], &[], format)?;
            if exit == Exit::Leave {
                std::mem::forget(views);
                std::mem::forget(prepared);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Trace { ledger, article, trace, actor } => {
            let mut l = open_as(&ledger, actor)?;
            let text = crate::import::read_text(&article, MAX_ARTICLE, "article")?;
            let t = TraceFile::read(&trace)?;
            let pb = progress(None, "tracing the article");
            let out = l.import_trace(&text, &t);
            pb.finish_and_clear();
            let out = out?;
            outln!(
                "traced {:?}: {} statements, {} exempt, {} citations, {} quotations checked",
                out.article.title,
                out.statements,
                out.exempt,
                out.citations,
                out.quotations
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { ledger, document, format, require_complete } => {
            let l = Ledger::open(&ledger)?;
            audit(&l, document.as_deref(), format, require_complete)
        }
        Command::Report { ledger, document, output } => {
            let l = Ledger::open_with(&ledger, &crate::OpenOptions { read_only: true, ..Default::default() })?;
            let doc = pick_article(&l, document.as_deref())?;
            let html = l.render_report(doc.id)?;
            match output {
                Some(path) => {
                    std::fs::write(&path, html).map_err(|e| Error::io(&path, e))?;
                    eprintln!("wrote {}", path.display());
                }
                None => out!("{html}")?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { ledger, format, document, output } => export(&ledger, format, document.as_deref(), output),
        Command::Import { ledger, format, file, actor } => import(&ledger, format, &file, actor),
        Command::Verdict {
            ledger,
            document,
            statement,
            rating,
            value,
            worst,
            best,
            url,
            author,
            author_type,
            date,
            actor,
        } => {
            if !ledger.is_file() {
                return Err(Error::io(
                    &ledger,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such ledger file"),
                ));
            }
            let mut l = open_as(&ledger, actor)?;
            let doc = l.find_document(&document)?;
            let claim = l.claim_quoting(doc.id, &statement)?;
            let mut v = NewVerdict::new(claim.id, rating);
            if let Some(value) = value {
                v = v.rated(value, worst.unwrap_or(1), best.unwrap_or(5));
            }
            v.url = url;
            v.author = author;
            v.details.author_type = author_type.as_deref().map(str::parse).transpose()?;
            v.date_published = date.as_deref().map(|d| crate::formats::parse_date("--date", d)).transpose()?;
            let added = l.add_verdict(v)?;
            let text = l.text(&claim.span)?;
            outln!("verdict {} on {:?}: {}", added.id, text, added.alternate_name)?;
            if added.url.is_none() {
                eprintln!(
                    "note: no --url; a ClaimReview export needs the fact-check's url and refuses this verdict until it has one"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Suggest { ledger, document, statement, top, all, format } => {
            let l = Ledger::open(&ledger)?;
            let doc = pick_article(&l, document.as_deref())?;
            let rev = l
                .latest_revision(doc.id)?
                .ok_or_else(|| Error::invalid("document", format!("{:?} has no text", doc.title)))?;
            let mut claims = if all || statement.is_some() {
                l.claims(rev.id)?.into_iter().filter(|c| c.exemption.is_none()).collect()
            } else {
                l.uncited_claims(rev.id)?
            };
            if let Some(words) = &statement {
                let want = words.to_lowercase();
                claims.retain(|c| {
                    rev.text.get(c.span.start..c.span.end).is_some_and(|t| t.to_lowercase().contains(&want))
                });
                if claims.is_empty() {
                    return Err(Error::invalid(
                        "statement",
                        format!("no statement of {:?} holds {words:?}", doc.title),
                    ));
                }
            }
            let options = crate::suggest::SuggestOptions { top, sources: None };
            let found = l.suggest_claims(&rev, claims, &options)?;
            match format {
                Format::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&Versioned::new(&crate::suggest::to_json(&found)))
                        .map_err(|source| Error::Json { what: "suggestions".into(), source })?
                )?,
                Format::Text => out!("{}", crate::suggest::to_text(&found))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Draft { ledger, article, top, output } => {
            let l = Ledger::open(&ledger)?;
            let text = crate::import::read_text(&article, MAX_ARTICLE, "article")?;
            let draft = l.draft_trace(&text, top)?;
            match output {
                Some(path) => {
                    let mut f = std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&path)
                        .map_err(|e| Error::io(&path, e))?;
                    f.write_all(draft.as_bytes()).map_err(|e| Error::io(&path, e))?;
                    eprintln!("wrote {}", path.display());
                }
                None => out!("{draft}")?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reanchor { ledger, document, from, to, format, actor } => {
            reanchor(&ledger, &document, from, to, format, actor)
        }
        Command::Log { ledger, format } => log(&ledger, format),
        Command::Verify { ledger, format } => verify(&ledger, format),
        Command::Demo { keep } => demo(keep),
        Command::Evidence { ledger, document, footnote, format } => {
            let l = Ledger::open_with(&ledger, &crate::OpenOptions { read_only: true, ..Default::default() })?;
            evidence(&l, &document, footnote, format)
        }
        Command::Withdraw { ledger, origin, item, document, undo, reason, actor } => {
            if !ledger.is_file() {
                return Err(Error::invalid("ledger", format!("{} does not exist", ledger.display())));
            }
            let mut l = open_as(&ledger, actor)?;
            let w = match (origin, item, document, undo) {
                (Some(o), None, None, None) => l.withdraw(&WithdrawalTarget::Origin(o), &reason)?,
                (None, Some(i), None, None) => l.withdraw(&WithdrawalTarget::Item(i.parse()?), &reason)?,
                (None, None, Some(d), None) => {
                    let doc = l.find_document(&d)?;
                    l.withdraw(&WithdrawalTarget::Document(doc.id), &reason)?
                }
                (None, None, None, Some(u)) => l.undo_withdrawal(u.parse()?, &reason)?,
                _ => return Err(Error::invalid("withdraw", "give one of --origin, --item, --document or --undo")),
            };
            let what = match &w.target {
                WithdrawalTarget::Origin(o) => format!("origin {o:?}"),
                WithdrawalTarget::Item(i) => format!("item {i}"),
                WithdrawalTarget::Document(d) => format!("document {d}"),
                WithdrawalTarget::Undo(u) => format!("undo of withdrawal {u}"),
            };
            outln!("recorded {what} as withdrawal {}", w.id)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A progress bar on standard error (bytes when `len` is known, else a spinner),
/// hidden unless standard error is a terminal.
/// `quotes --articles`: JSON Lines in, JSON Lines out (see [`crate::batch`]).
fn quotes_batch(
    articles: &Path,
    sources: &[PathBuf],
    redactions: &[PathBuf],
    index_memory: Option<usize>,
    memory_report: bool,
) -> Result<ExitCode> {
    let prepared = quotecheck::load_sources(sources, redactions)?;
    let input: Box<dyn std::io::BufRead> = if articles == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(articles).map_err(|e| Error::io(articles, e))?))
    };
    let pb = if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {pos} articles checked ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    } else {
        ProgressBar::hidden()
    };
    let mut batch = crate::batch::Batch::default();
    if let Some(bytes) = index_memory {
        batch.index_memory = bytes;
    }
    let out = crate::batch::quotes_jsonl_memory(input, std::io::stdout().lock(), &prepared, batch, |n| {
        pb.set_position(n as u64)
    });
    pb.finish_and_clear();
    let (_, memory) = out?;
    if memory_report {
        let mut err = std::io::stderr().lock();
        let mut lines = vec![format!(
            "{:<40} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>6}",
            "source (bytes held)", "text", "view", "offset map", "notes", "view index", "text index", "other", "x text"
        )];
        for (s, m) in prepared.iter().zip(&memory) {
            lines.push(format!(
                "{:<40} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>6.2}",
                s.name(),
                m.text,
                m.view,
                m.offset_map,
                m.notes,
                m.view_index,
                m.text_index,
                m.other,
                m.prepared() as f64 / m.text.max(1) as f64
            ));
        }
        for line in lines {
            writeln!(err, "{line}").map_err(|e| Error::io(Path::new("<stderr>"), e))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--index-memory`: bytes with an optional K, M or G (powers of 1024), or
/// `none` (0).
fn parse_index_memory(s: &str) -> std::result::Result<usize, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(0);
    }
    let (digits, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (t.get(..i).unwrap_or(""), c.to_ascii_uppercase()),
        _ => (t, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        _ => return Err(format!("{s:?}: a number of bytes (suffix K, M or G), or none")),
    };
    let n: usize =
        digits.trim().parse().map_err(|_| format!("{s:?}: a number of bytes (suffix K, M or G), or none"))?;
    n.checked_mul(1usize << shift).ok_or_else(|| format!("{s:?}: too large"))
}

fn progress(len: Option<u64>, message: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (pb, template) = match len {
        Some(n) => (ProgressBar::new(n), "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} ({eta})"),
        None => (ProgressBar::new_spinner(), "{spinner} {msg} {bytes} ({elapsed})"),
    };
    pb.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()));
    pb.set_message(message);
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

fn export(ledger: &Path, format: ExportFormat, document: Option<&str>, output: Option<PathBuf>) -> Result<ExitCode> {
    if !ledger.is_file() {
        return Err(Error::io(ledger, std::io::Error::new(std::io::ErrorKind::NotFound, "no such ledger file")));
    }
    let l = Ledger::open(ledger)?;
    let scope = match document {
        Some(d) => Scope::Document(l.find_document(d)?.id),
        None => Scope::Ledger,
    };
    let pb = progress(None, "exporting");
    let write = |out: &mut dyn Write| -> Result<String> {
        let mut out = std::io::BufWriter::new(pb.wrap_write(out));
        let summary = match format {
            ExportFormat::Bundle => format!("{} records", l.export_bundle(scope, &mut out)?.total()),
            ExportFormat::Fever => format!("{} claims", l.export_fever(scope, &mut out)?),
            ExportFormat::W3c | ExportFormat::Claimreview | ExportFormat::Csl => {
                let v = match format {
                    ExportFormat::W3c => l.export_annotations(scope)?,
                    ExportFormat::Claimreview => l.export_claim_reviews(scope)?,
                    _ => l.export_csl(scope)?,
                };
                serde_json::to_writer_pretty(&mut out, &v)
                    .map_err(|source| Error::Json { what: "export".into(), source })?;
                out.write_all(b"\n").map_err(|e| Error::io("export output", e))?;
                let n = v.as_array().map(Vec::len).or_else(|| v["total"].as_u64().map(|n| n as usize));
                format!("{} items", n.unwrap_or(0))
            }
        };
        out.flush().map_err(|e| Error::io("export output", e))?;
        Ok(summary)
    };
    let result = match &output {
        // A reader that stops early (`| head`) is not an error.
        None => write(&mut std::io::stdout().lock())
            .map(|_| None)
            .or_else(|e| if broken_pipe(&e) { Ok(None) } else { Err(e) }),
        Some(path) => {
            // Write beside the target, then rename: a failed export leaves no half file.
            let mut partial = path.clone().into_os_string();
            partial.push(".partial");
            let partial = PathBuf::from(partial);
            let done = std::fs::File::create(&partial)
                .map_err(|e| Error::io(&partial, e))
                .and_then(|mut f| write(&mut f))
                .and_then(|s| std::fs::rename(&partial, path).map(|_| s).map_err(|e| Error::io(path, e)));
            if done.is_err() {
                let _ = std::fs::remove_file(&partial);
            }
            done.map(|summary| Some(format!("exported {summary} to {}", path.display())))
        }
    };
    pb.finish_and_clear();
    if let Some(summary) = result? {
        outln!("{summary}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// True when standard output was closed by its reader.
fn broken_pipe(e: &Error) -> bool {
    let kind = match e {
        Error::Io { source, .. } => Some(source.kind()),
        Error::Json { source, .. } => source.io_error_kind(),
        _ => None,
    };
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

/// The format of an import file, told from its content: a bundle by its first
/// line, ClaimReview and CSL-JSON by their JSON (see [`crate::formats::sniff`]).
fn detect_import_format(file: &Path) -> Result<ImportFormat> {
    use crate::formats::sniff::{self, Sniffed};
    use std::io::{BufRead, Read};
    let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
    // The first line, at most 1 MiB of it: a bundle header is a few hundred bytes.
    let mut first = Vec::new();
    std::io::BufReader::new(f).take(1 << 20).read_until(b'\n', &mut first).map_err(|e| Error::io(file, e))?;
    let sniffed = if sniff::is_bundle_header(&String::from_utf8_lossy(&first)) {
        Some(Sniffed::Bundle)
    } else {
        let max = crate::formats::claimreview::MAX_INPUT.max(crate::formats::csl::MAX_INPUT) as u64;
        sniff::sniff(&crate::import::read_text(file, max, "import file")?)
    };
    let format = match sniffed {
        Some(Sniffed::Bundle) => ImportFormat::Bundle,
        Some(Sniffed::ClaimReview) => ImportFormat::Claimreview,
        Some(Sniffed::Csl) => ImportFormat::Csl,
        None => {
            return Err(Error::invalid(
                "--format",
                format!(
                    "{}: the content is not a bundle, ClaimReview JSON-LD or CSL-JSON that can be told apart; pass --format",
                    file.display()
                ),
            ));
        }
    };
    if let Some(s) = sniffed {
        eprintln!("{}: read as {} (told from its content)", file.display(), s.name());
    }
    Ok(format)
}

fn import(ledger: &Path, format: Option<ImportFormat>, file: &Path, actor: Option<String>) -> Result<ExitCode> {
    let format = match format {
        Some(f) => f,
        None => detect_import_format(file)?,
    };
    if ledger.exists() {
        return import_into(ledger, format, file, actor);
    }
    // No ledger yet: build it under a temporary name beside the target and move
    // it into place only when the import succeeded, so a refused import leaves
    // no file behind (and never replaces one created meanwhile).
    let name = ledger.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "ledger".into());
    let dir = ledger.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{name}.importing-{}", std::process::id()));
    let remove_tmp = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = tmp.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    };
    let out = import_into(&tmp, format, file, actor).and_then(|code| {
        let mut wal = tmp.clone().into_os_string();
        wal.push("-wal");
        if std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0) {
            return Err(Error::invalid("ledger", "the new ledger's write-ahead log was not checkpointed on close"));
        }
        // A hard link fails if the target exists: nothing is overwritten.
        std::fs::hard_link(&tmp, ledger).map_err(|e| Error::io(ledger, e))?;
        Ok(code)
    });
    remove_tmp();
    out
}

/// Imports `file` into the ledger at `ledger` (created when missing).
fn import_into(ledger: &Path, format: ImportFormat, file: &Path, actor: Option<String>) -> Result<ExitCode> {
    let mut l = open_as(ledger, actor)?;
    match format {
        ImportFormat::Bundle => {
            let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
            let len = f.metadata().map(|m| m.len()).ok();
            let pb = progress(len, "importing");
            let out = l.import_bundle(std::io::BufReader::new(pb.wrap_read(f)));
            pb.finish_and_clear();
            let out = out?;
            outln!(
                "imported {}: {} new records, {} already in the ledger",
                file.display(),
                out.new.total(),
                out.merged.total()
            )?;
        }
        ImportFormat::Claimreview => {
            let pb = progress(None, "importing");
            let text =
                crate::import::read_text(file, crate::formats::claimreview::MAX_INPUT as u64, "ClaimReview file");
            let out = text.and_then(|t| l.import_claim_reviews(&t));
            pb.finish_and_clear();
            let out = out?;
            for w in &out.warnings {
                eprintln!("warning: {w}");
            }
            outln!(
                "imported {} reviews: {} verdicts new, {} already in the ledger; {} documents and {} claims created; {} other objects skipped",
                out.reviews,
                out.verdicts_created,
                out.verdicts_existing,
                out.documents_created,
                out.claims_created,
                out.skipped
            )?;
        }
        ImportFormat::Csl => {
            let pb = progress(None, "importing");
            let text = crate::import::read_text(file, crate::formats::csl::MAX_INPUT as u64, "CSL-JSON file");
            let out = text.and_then(|t| l.import_csl(&t));
            pb.finish_and_clear();
            let out = out?;
            outln!(
                "imported {} items: {} documents created, {} already in the ledger",
                out.items,
                out.created,
                out.existing
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub use crate::JSON_FORMAT;

/// A JSON document of the command line: `"format"` first, then the body's fields.
#[derive(serde::Serialize)]
struct Versioned<'a, T: serde::Serialize> {
    format: u32,
    #[serde(flatten)]
    body: &'a T,
}

impl<'a, T: serde::Serialize> Versioned<'a, T> {
    fn new(body: &'a T) -> Self {
        Versioned { format: JSON_FORMAT, body }
    }
}

fn reanchor(
    ledger: &Path,
    document: &str,
    from: Option<u32>,
    to: Option<u32>,
    format: Format,
    actor: Option<String>,
) -> Result<ExitCode> {
    if !ledger.is_file() {
        return Err(Error::io(ledger, std::io::Error::new(std::io::ErrorKind::NotFound, "no such ledger file")));
    }
    let mut l = open_as(ledger, actor)?;
    let doc = l.find_document(document)?;
    let latest = l.latest_revision(doc.id)?.map(|r| r.seq).unwrap_or(0);
    let to = to.unwrap_or(latest);
    let from = match from {
        Some(f) => f,
        None if to > 1 => to - 1,
        None => {
            return Err(Error::invalid(
                "--from",
                format!("{:?} has only revision {to}; add another with add-source --revision-of", doc.title),
            ));
        }
    };
    let pb = progress(None, "re-anchoring");
    let out = l.reanchor(doc.id, from, to);
    pb.finish_and_clear();
    let out = out?;
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&Versioned::new(&out))
                .map_err(|source| Error::Json { what: "reanchor".into(), source })?
        )?,
        Format::Text => {
            let c = &out.counts;
            outln!(
                "re-anchored {:?} revision {from} -> {to}: {} same, {} moved, {} changed, {} orphaned; redactions {} kept, {} released; {} citations followed",
                doc.title,
                c.same,
                c.moved,
                c.changed,
                c.orphaned,
                c.kept,
                c.released,
                c.citations
            )?;
            for a in out.anchors.iter().filter(|a| {
                matches!(
                    a.state,
                    crate::AnchorState::Changed | crate::AnchorState::Orphaned | crate::AnchorState::Released
                )
            }) {
                let at = |p: &crate::reanchor::Place| {
                    format!("{}..{}{}", p.start, p.end, p.page.map(|n| format!(" p. {n}")).unwrap_or_default())
                };
                let detail = match a.state {
                    crate::AnchorState::Released => format!("now reads {:?}", a.released_text.as_deref().unwrap_or("")),
                    crate::AnchorState::Orphaned => a.reason.clone().unwrap_or_default(),
                    _ => a
                        .differences
                        .iter()
                        .map(|d| format!("{:?} now {:?}", d.quoted, d.source))
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                outln!(
                    "  {:<9} {:<9} {} -> {}  {}",
                    a.state.code(),
                    a.kind.code(),
                    at(&a.old),
                    a.new.as_ref().map(at).unwrap_or_else(|| "-".into()),
                    detail
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens a ledger to write, recording `actor` in its history.
fn open_as(ledger: &Path, actor: Option<String>) -> Result<Ledger> {
    Ledger::open_with(ledger, &crate::OpenOptions { actor, ..Default::default() })
}

/// An existing ledger (upgraded when older, as every command does: an upgrade
/// records the rows it finds in a `genesis` event).
fn open_existing(ledger: &Path) -> Result<Ledger> {
    if !ledger.is_file() {
        return Err(Error::io(ledger, std::io::Error::new(std::io::ErrorKind::NotFound, "no such ledger file")));
    }
    Ledger::open(ledger)
}

/// `log`: the events, oldest first.
fn log(ledger: &Path, format: Format) -> Result<ExitCode> {
    let l = open_existing(ledger)?;
    let events = l.log()?;
    let imported = l.imported_logs()?;
    match format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Log<'a> {
                events: &'a [crate::history::Event],
                #[serde(skip_serializing_if = "Option::is_none")]
                head: Option<crate::ContentHash>,
                #[serde(skip_serializing_if = "<[_]>::is_empty")]
                imported_logs: &'a [crate::history::ImportedLog],
            }
            let body = Log { events: &events, head: events.last().map(|e| e.hash), imported_logs: &imported };
            outln!(
                "{}",
                serde_json::to_string_pretty(&Versioned::new(&body))
                    .map_err(|source| Error::Json { what: "log".into(), source })?
            )?;
        }
        Format::Text => {
            for e in &events {
                let at =
                    e.at.format(&time::format_description::well_known::Rfc3339)
                        .map_err(|err| Error::invalid("event time", err.to_string()))?;
                let counts: Vec<String> = e.counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
                outln!(
                    "{:>4}  {at}  {:<18} {:<16} {}{}",
                    e.seq,
                    e.what.code(),
                    e.actor.as_deref().unwrap_or("-"),
                    if counts.is_empty() { "no rows".to_string() } else { counts.join(", ") },
                    e.foreign_head
                        .map(|h| format!("; merged log of {} events, head {h}", e.foreign_events.unwrap_or(0)))
                        .unwrap_or_default()
                )?;
            }
            for g in &imported {
                outln!(
                    "      imported log (depth {}) kept by event {}: {} events, head {}",
                    g.depth,
                    g.event,
                    g.events.len(),
                    g.head.map(|h| h.to_string()).unwrap_or_else(|| "none".into())
                )?;
            }
            match events.last() {
                Some(e) => outln!("head {}", e.hash)?,
                None => outln!("no events")?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `verify`: exit 1 naming the first mismatch.
fn verify(ledger: &Path, format: Format) -> Result<ExitCode> {
    let l = open_existing(ledger)?;
    let v = l.verify()?;
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&Versioned::new(&v))
                .map_err(|source| Error::Json { what: "verify".into(), source })?
        )?,
        Format::Text => match v.problems.first() {
            None => {
                outln!(
                    "ok: {} events, {} rows match{}{}",
                    v.events,
                    v.rows,
                    if v.foreign_logs > 0 {
                        format!("; {} imported logs ({} events) chain", v.foreign_logs, v.foreign_events)
                    } else {
                        String::new()
                    },
                    v.head.map(|h| format!("; head {h}")).unwrap_or_default()
                )?;
                if v.uncarried_logs > 0 {
                    outln!(
                        "note: {} log(s) imported by an imported log's events were not carried by the bundle that \
                         brought it (written before bundles carried them): the chains behind them are not checked",
                        v.uncarried_logs
                    )?;
                }
            }
            Some(first) => {
                outln!("mismatch: {first}")?;
                if v.problems.len() > 1 {
                    outln!("({} problems in all; --format json lists them)", v.problems.len())?;
                }
            }
        },
    }
    Ok(if v.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The ledger's articles: documents whose latest revision has statements.
fn articles(l: &Ledger) -> Result<Vec<Document>> {
    let mut v = Vec::new();
    for d in l.documents()? {
        if let Some(r) = l.latest_revision(d.id)?
            && !l.claims(r.id)?.is_empty()
        {
            v.push(d);
        }
    }
    Ok(v)
}

/// The article a command works on: the one named (by ID or title), else the
/// ledger's only article. No article, or several with none named, is an error
/// that lists what there is, so the user never has to guess.
fn pick_article(l: &Ledger, document: Option<&str>) -> Result<Document> {
    if let Some(d) = document {
        return l.find_document(d);
    }
    let mut all = articles(l)?;
    match all.len() {
        0 => Err(Error::invalid("--document", "the ledger holds no article with statements (trace one first)")),
        1 => Ok(all.remove(0)),
        n => Err(Error::invalid(
            "--document",
            format!(
                "the ledger holds {n} articles; name one by ID or title:\n{}",
                all.iter().map(|d| format!("  {}  {}", d.id, d.title)).collect::<Vec<_>>().join("\n")
            ),
        )),
    }
}

/// The largest article accepted (64 MiB).
const MAX_ARTICLE: u64 = 64 << 20;

/// `evidence --format json` (schema `schemas/evidence.schema.json`).
#[derive(serde::Serialize)]
struct EvidenceJson<'a> {
    document: crate::DocumentId,
    title: &'a str,
    footnotes: &'a [crate::evidence::FootnoteEvidence],
}

fn evidence(l: &Ledger, document: &str, footnote: Option<u32>, format: Format) -> Result<ExitCode> {
    let doc = l.find_document(document)?;
    let notes = l.evidence(doc.id, footnote)?;
    match format {
        Format::Json => {
            let body = EvidenceJson { document: doc.id, title: &doc.title, footnotes: &notes };
            let s = serde_json::to_string_pretty(&Versioned::new(&body))
                .map_err(|source| Error::Json { what: "evidence".into(), source })?;
            outln!("{s}")?;
        }
        Format::Text => {
            for n in &notes {
                outln!("[^{}]", n.number)?;
                for i in &n.items {
                    let mut fields = vec![i.kind.code().to_string()];
                    if let Some(s) = i.signal {
                        fields.push(s.label().to_string());
                    }
                    if let Some(w) = &i.who {
                        fields.push(if i.to.is_empty() { w.clone() } else { format!("{w} to {}", i.to.join(", ")) });
                    }
                    if let Some(d) = &i.date {
                        fields.push(d.clone());
                    }
                    if let Some(p) = &i.pin {
                        fields.push(format!("at {p}"));
                    }
                    if i.withdrawn {
                        fields.push("WITHDRAWN".to_string());
                    }
                    outln!("  {} | {:?} @{}..{}", fields.join(" | "), i.text, i.start, i.end)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn audit(l: &Ledger, document: Option<&str>, format: Format, require_complete: bool) -> Result<ExitCode> {
    let docs = match document {
        Some(d) => vec![l.find_document(d)?],
        None => articles(l)?,
    };
    let audits = docs.iter().map(|d| l.audit(d.id)).collect::<Result<Vec<_>>>()?;
    match format {
        Format::Json => {
            let json = if audits.len() == 1 {
                serde_json::to_string_pretty(&Versioned::new(&audits[0]))
            } else {
                let body = serde_json::json!({ "audits": audits });
                serde_json::to_string_pretty(&Versioned::new(&body))
            };
            outln!("{}", json.map_err(|source| Error::Json { what: "audit".into(), source })?)?;
        }
        Format::Text => {
            if audits.is_empty() {
                outln!("no article with statements in the ledger")?;
            }
            for a in &audits {
                outln!("{}", a.to_text())?;
            }
        }
    }
    let mut failed = false;
    if require_complete {
        for a in &audits {
            if let Err(f) = a.check(&Policy::complete()) {
                eprint!("{f}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The embedded sample: a made-up report and an article citing it.
pub mod sample {
    /// The report's text (three pages).
    pub const REPORT: &str = include_str!("../samples/report.txt");
    /// The report's stand-off redactions.
    pub const REPORT_REDACTIONS: &str = include_str!("../samples/report.redactions.json");
    /// The article.
    pub const ARTICLE: &str = include_str!("../samples/article.txt");
    /// The article's trace.
    pub const TRACE: &str = include_str!("../samples/article.trace.toml");
}

fn demo(keep: Option<PathBuf>) -> Result<ExitCode> {
    let trace = TraceFile::from_toml(sample::TRACE)?;
    let (path, temporary) = match keep {
        Some(p) => (p, false),
        None => (std::env::temp_dir().join(format!("claimledger-demo-{}.ledger", uuid::Uuid::now_v7())), true),
    };
    let result = (|| {
        let mut l = Ledger::open(&path)?;
        let title = trace.sources.first().map(|s| s.title.clone()).unwrap_or_default();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), sample::REPORT);
        imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS)?);
        let src = l.import_source(imp)?;
        outln!(
            "1. added the source: {} ({} redactions, {} footnotes)",
            src.document.title,
            src.redactions,
            src.footnotes
        )?;
        let out = l.import_trace(sample::ARTICLE, &trace)?;
        outln!(
            "2. traced the article: {} statements, {} exempt, {} citations, {} quotations checked",
            out.statements,
            out.exempt,
            out.citations,
            out.quotations
        )?;
        outln!("3. the audit:\n")?;
        let a = l.audit(out.article.id)?;
        outln!("{}", a.to_text())?;
        match a.check(&Policy::complete()) {
            Ok(()) => outln!("policy: complete")?,
            Err(f) => out!("policy (complete) fails, as the sample intends:\n{f}")?,
        }
        Ok(ExitCode::SUCCESS)
    })();
    if temporary {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    } else {
        outln!("\nledger kept at {}", path.display())?;
    }
    result
}

fn print_quotes(quotes: &[quotecheck::QuoteJson], warnings: &[quotecheck::WarningJson], format: Format) -> Result<()> {
    match format {
        Format::Json => {
            let body = serde_json::json!({ "quotes": quotes, "warnings": warnings });
            let v = Versioned::new(&body);
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).map_err(|source| Error::Json { what: "quotes".into(), source })?
            )?;
        }
        Format::Text => {
            outln!(
                "{:<10} {:<9} {:>6} {:<24} {:>9} {:>5}  quote",
                "status",
                "tier",
                "score",
                "source",
                "start",
                "page"
            )?;
            for q in quotes {
                let text: String = q.text.chars().take(60).collect();
                outln!(
                    "{:<10} {:<9} {:>6} {:<24} {:>9} {:>5}  {:?}",
                    q.status.code(),
                    q.tier.map(|t| t.code()).unwrap_or("-"),
                    q.score.map(|s| format!("{s:.3}")).unwrap_or_else(|| "-".into()),
                    q.source
                        .as_deref()
                        .map(|s| s.rsplit('/').next().unwrap_or(s))
                        .unwrap_or("-")
                        .chars()
                        .take(24)
                        .collect::<String>(),
                    q.start.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                    q.page.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
                    text
                )?;
                for d in &q.differences {
                    outln!("{:>12} quoted {:?}, source {:?}", "", d.quoted, d.source)?;
                }
                if q.candidates > 1 && q.location == crate::QuoteLocation::Ambiguous {
                    outln!("{:>12} {} candidates", "", q.candidates)?;
                }
                if let Some(a) = &q.attribution {
                    outln!("{:>12} speaker {} (cue {:?})", "", a.speaker, a.cue)?;
                }
                if let Some(p) = q.parent {
                    outln!(
                        "{:>12} inside quote {} ({:?})",
                        "",
                        p + 1,
                        quotes[p].text.chars().take(40).collect::<String>()
                    )?;
                }
            }
            for w in warnings {
                outln!("warning: {} (characters {}..{})", w.message, w.statement_start, w.statement_end)?;
            }
        }
    }
    Ok(())
}

/// Builds a source import from files.
fn source_import(file: &Path, redactions: Option<&Path>, title: Option<String>, kind: &str) -> Result<SourceImport> {
    let text = crate::import::read_text(file, crate::storage::documents::MAX_TEXT_LEN as u64, "source text")?;
    let kind: DocumentKind = kind.parse()?;
    let title = title.unwrap_or_else(|| file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    if title.trim().is_empty() {
        return Err(Error::invalid("--title", "the source needs a title"));
    }
    let mut imp = SourceImport::new(NewDocument::new(kind, title), text);
    if let Some(r) = redactions {
        imp.redactions = Redactions::StandOff(RedactionFile::read(r)?);
    }
    Ok(imp)
}
