//! The crate's one error type.
//!
//! Every fallible call of claimledger returns [`Error`]. Its variants say what went
//! wrong in terms of the ledger (an unknown ID, a span off the text, a file that is
//! not a ledger), not in terms of SQL; the underlying SQLite, migration or I/O error
//! is kept as the [`std::error::Error::source`] where there is one. Predicates such as
//! [`Error::is_not_found`] let callers branch without matching on variants, which
//! keeps their code working when variants are added (the enum is `#[non_exhaustive]`).

use std::path::PathBuf;

/// What kind of ledger entity an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Entity {
    /// A [`crate::Document`].
    Document,
    /// A [`crate::Revision`].
    Revision,
    /// A [`crate::Claim`].
    Claim,
    /// A [`crate::ClaimPart`].
    ClaimPart,
    /// A [`crate::Passage`].
    Passage,
    /// A [`crate::Quotation`].
    Quotation,
    /// A [`crate::Redaction`].
    Redaction,
    /// A [`crate::Citation`].
    Citation,
    /// A [`crate::Derivation`].
    Derivation,
    /// A redaction reason scheme or code.
    RedactionReason,
    /// A [`crate::Verdict`].
    Verdict,
    /// A statement of an article, named by a short quote of it.
    Statement,
    /// A source named in a trace file.
    Source,
    /// A [`crate::EvidenceItem`].
    EvidenceItem,
    /// A [`crate::Withdrawal`].
    Withdrawal,
    /// An origin of evidence (a witness, sender, outlet, ...).
    Origin,
    /// An event of the history ([`crate::history::Event`]).
    Event,
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Entity::Document => "document",
            Entity::Revision => "revision",
            Entity::Claim => "claim",
            Entity::ClaimPart => "claim part",
            Entity::Passage => "passage",
            Entity::Quotation => "quotation",
            Entity::Redaction => "redaction",
            Entity::Citation => "citation",
            Entity::Derivation => "derivation",
            Entity::RedactionReason => "redaction reason",
            Entity::Verdict => "verdict",
            Entity::Statement => "statement",
            Entity::Source => "source",
            Entity::EvidenceItem => "evidence item",
            Entity::Withdrawal => "withdrawal",
            Entity::Event => "event",
            Entity::Origin => "origin",
        })
    }
}

/// Every error claimledger returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No entity of that kind has that ID (or name).
    #[error("{entity} not found: {id}")]
    NotFound {
        /// The kind of entity looked up.
        entity: Entity,
        /// The ID or name that was looked up.
        id: String,
    },

    /// A span does not fit its text: past the end, reversed, or off a UTF-8
    /// character boundary.
    #[error("invalid span {start}..{end} (text is {len} bytes): {reason}")]
    InvalidSpan {
        /// Start byte offset given.
        start: usize,
        /// End byte offset given (exclusive).
        end: usize,
        /// Length in bytes of the text the span was checked against.
        len: usize,
        /// What is wrong with it.
        reason: String,
    },

    /// An input value is not acceptable.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, argument or file the value came from.
        field: String,
        /// Why it was refused.
        reason: String,
    },

    /// An input is larger than the engine accepts (a cap against pathological input).
    #[error("{what} is too large: {len} bytes, at most {max} accepted")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size in bytes.
        len: usize,
        /// The largest size accepted.
        max: usize,
    },

    /// The ledger file was written by a newer (or unknown) version of the schema.
    /// The file is left untouched.
    #[error("ledger schema version {found} is not supported (this build supports up to {supported})")]
    IncompatibleSchema {
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },

    /// The file is not a claimledger ledger, or it is corrupt. It is left untouched.
    #[error("{}: not a claimledger ledger: {reason}", path.display())]
    NotALedger {
        /// The file opened.
        path: PathBuf,
        /// What was found instead.
        reason: String,
        /// The SQLite error, if SQLite reported one.
        #[source]
        source: Option<rusqlite::Error>,
    },

    /// The ledger is locked by another writer and stayed locked past the busy timeout.
    #[error("ledger is busy (locked by another connection past the busy timeout)")]
    Busy {
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },

    /// The ledger cannot be written (read-only file or directory, or opened read-only).
    #[error("ledger is read-only: {reason}")]
    ReadOnly {
        /// Why it cannot be written.
        reason: String,
        /// The SQLite error, if SQLite reported one.
        #[source]
        source: Option<rusqlite::Error>,
    },

    /// The write conflicts with what the ledger holds (a duplicate ID or span).
    #[error("{entity} conflicts with an existing one: {detail}")]
    Conflict {
        /// The kind of entity written.
        entity: Entity,
        /// What conflicted.
        detail: String,
    },

    /// A trace file could not be imported. Nothing was written.
    #[error("trace {}: {reason}", statement.as_deref().map(|s| format!("statement {s:?}")).unwrap_or_else(|| "file".to_string()))]
    Trace {
        /// The statement (its short quote in the trace) the problem is about, if any.
        statement: Option<String>,
        /// What is wrong.
        reason: String,
    },

    /// An audit failed its policy. `Display` lists every failing statement.
    #[error("{0}")]
    PolicyFailed(Box<crate::audit::PolicyFailure>),

    /// An error from SQLite not covered by a more specific variant.
    #[error("SQLite error: {0}")]
    Sqlite(#[source] rusqlite::Error),

    /// A schema migration failed; the transaction was rolled back.
    #[error("schema migration failed: {0}")]
    Migration(#[source] Box<refinery::Error>),

    /// A schema migration's SQL failed. Every pending migration runs in one
    /// transaction, which was rolled back: the ledger is as it was before the open.
    #[error("schema migration V{version}__{name} failed, nothing was changed: {reason}")]
    MigrationFailed {
        /// The migration's version.
        version: i64,
        /// The migration's name.
        name: String,
        /// What SQLite reported.
        reason: String,
        /// The SQLite error.
        #[source]
        source: Option<rusqlite::Error>,
    },

    /// An I/O error, with the path it concerns.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A JSON document could not be read or written.
    #[error("JSON {what}: {source}")]
    Json {
        /// What was being read or written.
        what: String,
        /// The serde_json error.
        #[source]
        source: serde_json::Error,
    },
}

/// A `Result` with claimledger's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// True for [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }
    /// True for [`Error::InvalidSpan`].
    pub fn is_invalid_span(&self) -> bool {
        matches!(self, Error::InvalidSpan { .. })
    }
    /// True for errors caused by the caller's input: invalid spans, values, sizes,
    /// trace files and conflicts.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Error::InvalidSpan { .. }
                | Error::InvalidInput { .. }
                | Error::TooLarge { .. }
                | Error::Trace { .. }
                | Error::Conflict { .. }
                | Error::Json { .. }
        )
    }
    /// True for [`Error::Busy`]: retrying later may succeed.
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Busy { .. })
    }
    /// True for [`Error::Conflict`].
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Conflict { .. })
    }
    /// True when the file is not a ledger or is corrupt, or its schema is newer.
    pub fn is_incompatible_file(&self) -> bool {
        matches!(self, Error::NotALedger { .. } | Error::IncompatibleSchema { .. })
    }

    /// True for [`Error::PolicyFailed`].
    pub fn is_policy_failure(&self) -> bool {
        matches!(self, Error::PolicyFailed(_))
    }

    pub(crate) fn not_found(entity: Entity, id: impl std::fmt::Display) -> Error {
        Error::NotFound { entity, id: id.to_string() }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::InvalidInput { field: field.into(), reason: reason.into() }
    }

    pub(crate) fn trace(statement: Option<&str>, reason: impl Into<String>) -> Error {
        Error::Trace { statement: statement.map(str::to_string), reason: reason.into() }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy { source: e },
            Some(ErrorCode::ReadOnly) => {
                Error::ReadOnly { reason: "the file or its directory cannot be written".into(), source: Some(e) }
            }
            Some(ErrorCode::ConstraintViolation) => {
                let detail = e.to_string();
                Error::Conflict { entity: entity_of_constraint(&detail), detail }
            }
            _ => Error::Sqlite(e),
        }
    }
}

fn entity_of_constraint(detail: &str) -> Entity {
    let table = detail.split(':').nth(1).and_then(|s| s.trim().split('.').next()).unwrap_or("");
    match table {
        "documents" => Entity::Document,
        "revisions" => Entity::Revision,
        "claims" => Entity::Claim,
        "claim_parts" | "citation_parts" => Entity::ClaimPart,
        "passages" => Entity::Passage,
        "quotations" => Entity::Quotation,
        "redactions" => Entity::Redaction,
        "citations" => Entity::Citation,
        "derivations" => Entity::Derivation,
        "redaction_reasons" => Entity::RedactionReason,
        "verdicts" => Entity::Verdict,
        "evidence_items" => Entity::EvidenceItem,
        "withdrawals" => Entity::Withdrawal,
        _ => Entity::Document,
    }
}

impl From<refinery::Error> for Error {
    fn from(e: refinery::Error) -> Error {
        Error::Migration(Box::new(e))
    }
}

impl From<crate::audit::PolicyFailure> for Error {
    fn from(f: crate::audit::PolicyFailure) -> Error {
        Error::PolicyFailed(Box::new(f))
    }
}
