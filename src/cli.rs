//! The command-line interface, kept thin: parse arguments, call the library,
//! print. It lives in the library so its commands can be tested in process.

use crate::import::{RedactionFile, Redactions, SourceImport};
use crate::{DocumentKind, Error, Ledger, NewDocument, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty ledger file (or check an existing one).
    Init {
        /// The ledger file.
        ledger: PathBuf,
    },
    /// Add a source text to a ledger, with its redactions and footnotes.
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
    },
}

/// Runs the command line and returns the process exit code: 0 on success, 1 when
/// a check fails, 2 on an error (printed as one line on standard error).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
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
    match cli.command {
        Command::Init { ledger } => {
            let l = Ledger::open(&ledger)?;
            println!("{}: ledger ready ({} documents)", ledger.display(), l.documents()?.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::AddSource { ledger, file, redactions, title, kind } => {
            let mut l = Ledger::open(&ledger)?;
            let out = l.import_source(source_import(&file, redactions.as_deref(), title, &kind)?)?;
            println!(
                "{} {}: revision {} ({} redactions, {} footnotes{})",
                if out.created { "added" } else { "already present:" },
                out.document.title,
                out.revision.id,
                out.redactions,
                out.footnotes,
                if out.unknown_labels.is_empty() {
                    String::new()
                } else {
                    format!(", unknown labels: {}", out.unknown_labels.iter().map(|(l, n)| format!("{l:?} x{n}")).collect::<Vec<_>>().join(", "))
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
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
