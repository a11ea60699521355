//! Documents and their revisions.
//!
//! A document is anything with text that says things or is cited. Its text lives
//! in immutable revisions, each identified by the SHA-256 of its UTF-8 text: adding
//! the same text again returns the existing revision, so re-importing a source is
//! idempotent and nothing pointing into it breaks.

use super::{from_json, from_millis, now_millis, row_id, to_json};
use crate::span::{CharIndex, Pages};
use crate::{DocumentId, DocumentKind, Entity, Error, Result, RevisionId};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// The largest revision text accepted (1 GiB; SQLite's default string limit).
pub const MAX_TEXT_LEN: usize = 1_000_000_000;

/// A document to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDocument {
    /// What kind of text it is.
    pub kind: DocumentKind,
    /// Its title (not empty).
    pub title: String,
    /// Authors, in order.
    #[serde(default)]
    pub creators: Vec<String>,
    /// Publisher.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Date of publication.
    #[serde(default)]
    pub published: Option<Date>,
    /// Canonical URL or other identifier (DOI, docket number).
    #[serde(default)]
    pub identifier: Option<String>,
    /// Free metadata (a JSON object).
    #[serde(default)]
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl NewDocument {
    /// A document of `kind` titled `title`, with no other metadata.
    pub fn new(kind: DocumentKind, title: impl Into<String>) -> NewDocument {
        NewDocument {
            kind,
            title: title.into(),
            creators: Vec::new(),
            publisher: None,
            published: None,
            identifier: None,
            metadata: serde_json::Map::new(),
        }
    }
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Its ID.
    pub id: DocumentId,
    /// What kind of text it is.
    pub kind: DocumentKind,
    /// Title.
    pub title: String,
    /// Authors, in order.
    pub creators: Vec<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Date of publication.
    pub published: Option<Date>,
    /// Canonical URL or other identifier.
    pub identifier: Option<String>,
    /// Free metadata.
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The SHA-256 of a revision's UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// Hashes `text`.
    pub fn of(text: &str) -> ContentHash {
        ContentHash::of_bytes(text.as_bytes())
    }

    /// Hashes bytes.
    pub fn of_bytes(bytes: &[u8]) -> ContentHash {
        let digest = Sha256::digest(bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(&digest);
        ContentHash(out)
    }
}

impl std::fmt::Display for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ContentHash {
    type Err = Error;
    fn from_str(s: &str) -> Result<ContentHash> {
        let bad = || Error::invalid("sha256", format!("{s:?} is not 64 hex digits"));
        if s.len() != 64 || !s.is_ascii() {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(ContentHash(out))
    }
}

impl Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A text snapshot to add to a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRevision {
    /// The text. A form feed (`\f`) starts a new page.
    pub text: String,
    /// Printed page labels, one per page, when they differ from 1, 2, 3...
    #[serde(default)]
    pub page_labels: Option<Vec<String>>,
}

impl NewRevision {
    /// A revision holding `text`.
    pub fn new(text: impl Into<String>) -> NewRevision {
        NewRevision { text: text.into(), page_labels: None }
    }
}

/// An immutable text snapshot of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// Its ID.
    pub id: RevisionId,
    /// The document it belongs to.
    pub document: DocumentId,
    /// 1 for the first revision of the document, 2 for the next, ...
    pub seq: u32,
    /// SHA-256 of the text.
    pub sha256: ContentHash,
    /// The text (shared, cheap to clone).
    pub text: Arc<str>,
    /// Printed page labels, if given.
    pub page_labels: Option<Vec<String>>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl Revision {
    /// The page structure (form feeds) of the text.
    pub fn pages(&self) -> Pages {
        Pages::new(&self.text)
    }

    /// An index converting byte offsets of the text to code points and back.
    pub fn char_index(&self) -> CharIndex {
        CharIndex::shared(self.text.clone())
    }

    /// The text of a byte range, checked.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSpan`] when the range is not a valid span of the text.
    pub fn slice(&self, start: usize, end: usize) -> Result<&str> {
        crate::span::check_range(&self.text, start, end)?;
        Ok(&self.text[start..end])
    }

    /// The printed label of page `n` (from 1), falling back to the number itself.
    pub fn page_label(&self, n: u32) -> String {
        self.page_labels
            .as_ref()
            .and_then(|l| l.get((n as usize).wrapping_sub(1)))
            .cloned()
            .unwrap_or_else(|| n.to_string())
    }
}

pub(crate) fn insert_document(tx: &Transaction<'_>, id: DocumentId, doc: &NewDocument) -> Result<Document> {
    insert_document_at(tx, id, doc, now_millis())
}

/// Adds a document with a given ID and creation instant (Unix milliseconds), as a
/// bundle import does; [`insert_document`] is this with the current time.
pub(crate) fn insert_document_at(
    tx: &Transaction<'_>,
    id: DocumentId,
    doc: &NewDocument,
    created: i64,
) -> Result<Document> {
    if doc.title.trim().is_empty() {
        return Err(Error::invalid("title", "a document needs a title"));
    }
    tx.prepare_cached(
        "INSERT INTO documents (uuid, kind, title, creators, publisher, published, identifier, metadata, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        doc.kind,
        doc.title,
        to_json("creators", &doc.creators)?,
        doc.publisher,
        doc.published.map(date_text),
        doc.identifier,
        to_json("metadata", &doc.metadata)?,
        created
    ])?;
    Ok(Document {
        id,
        kind: doc.kind,
        title: doc.title.clone(),
        creators: doc.creators.clone(),
        publisher: doc.publisher.clone(),
        published: doc.published,
        identifier: doc.identifier.clone(),
        metadata: doc.metadata.clone(),
        created_at: from_millis(created),
    })
}

pub(crate) fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub(crate) fn parse_date(s: &str) -> Result<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).map_err(|e| Error::invalid("published", format!("{s:?}: {e}")))
}

const DOC_COLS: &str = "uuid, kind, title, creators, publisher, published, identifier, metadata, created_at";

fn document_row(r: &Row<'_>) -> rusqlite::Result<(Document, String, Option<String>, String)> {
    Ok((
        Document {
            id: r.get(0)?,
            kind: r.get(1)?,
            title: r.get(2)?,
            creators: Vec::new(),
            publisher: r.get(4)?,
            published: None,
            identifier: r.get(6)?,
            metadata: serde_json::Map::new(),
            created_at: from_millis(r.get(8)?),
        },
        r.get(3)?,
        r.get(5)?,
        r.get(7)?,
    ))
}

fn finish_document(
    (mut d, creators, published, metadata): (Document, String, Option<String>, String),
) -> Result<Document> {
    d.creators = from_json("creators", &creators)?;
    d.published = published.as_deref().map(parse_date).transpose()?;
    d.metadata = from_json("metadata", &metadata)?;
    Ok(d)
}

pub(crate) fn get_document(conn: &Connection, id: DocumentId) -> Result<Option<Document>> {
    let sql = format!("SELECT {DOC_COLS} FROM documents WHERE uuid = ?1");
    conn.prepare_cached(&sql)?.query_row([id], document_row).optional()?.map(finish_document).transpose()
}

pub(crate) fn list_documents(conn: &Connection) -> Result<Vec<Document>> {
    let sql = format!("SELECT {DOC_COLS} FROM documents ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], document_row)?;
    rows.map(|r| finish_document(r?)).collect()
}

pub(crate) fn find_documents_by_title(conn: &Connection, title: &str) -> Result<Vec<Document>> {
    let sql = format!("SELECT {DOC_COLS} FROM documents WHERE title = ?1 ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([title], document_row)?;
    rows.map(|r| finish_document(r?)).collect()
}

/// Documents with exactly this identifier (URL), oldest first.
pub(crate) fn find_documents_by_identifier(conn: &Connection, identifier: &str) -> Result<Vec<Document>> {
    let sql = format!("SELECT {DOC_COLS} FROM documents WHERE identifier = ?1 ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([identifier], document_row)?;
    rows.map(|r| finish_document(r?)).collect()
}

/// Calls `f` with every document, in ID (UUID) order.
pub(crate) fn each_document(conn: &Connection, mut f: impl FnMut(Document) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {DOC_COLS} FROM documents ORDER BY uuid");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(finish_document(document_row(r)?)?)?;
    }
    Ok(())
}

/// The revision of `document` whose text has this SHA-256, if any.
pub(crate) fn revision_by_hash(
    conn: &Connection,
    document: DocumentId,
    hash: &ContentHash,
) -> Result<Option<RevisionId>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.uuid FROM revisions r JOIN documents d ON d.id = r.document_id WHERE d.uuid = ?1 AND r.sha256 = ?2",
        )?
        .query_row(params![document, &hash.0[..]], |r| r.get(0))
        .optional()?)
}

/// Adds a revision, or returns the existing one with the same text. The flag says
/// whether it was created.
pub(crate) fn insert_revision(
    tx: &Transaction<'_>,
    document: DocumentId,
    id: RevisionId,
    rev: &NewRevision,
) -> Result<(Revision, bool)> {
    insert_revision_at(tx, document, id, rev, None, now_millis())
}

/// Adds a revision with a given ID and creation instant (Unix milliseconds), or
/// returns the existing one with the same text. `seq` is the sequence number
/// wanted (a bundle's); when it is `None` or already taken the next free one is
/// used.
pub(crate) fn insert_revision_at(
    tx: &Transaction<'_>,
    document: DocumentId,
    id: RevisionId,
    rev: &NewRevision,
    seq: Option<u32>,
    created: i64,
) -> Result<(Revision, bool)> {
    if rev.text.len() > MAX_TEXT_LEN {
        return Err(Error::TooLarge { what: "revision text", len: rev.text.len(), max: MAX_TEXT_LEN });
    }
    let doc_row = row_id(tx, Entity::Document, &document)?;
    let hash = ContentHash::of(&rev.text);
    if let Some(existing) = revision_by_hash(tx, document, &hash)? {
        let r = get_revision(tx, existing)?.ok_or_else(|| Error::not_found(Entity::Revision, existing))?;
        return Ok((r, false));
    }
    if let Some(labels) = &rev.page_labels {
        let pages = Pages::new(&rev.text).count();
        if labels.len() != pages {
            return Err(Error::invalid("page_labels", format!("{} labels for {pages} pages", labels.len())));
        }
    }
    let taken = |s: u32| -> Result<bool> {
        Ok(tx
            .prepare_cached("SELECT 1 FROM revisions WHERE document_id = ?1 AND seq = ?2")?
            .query_row(params![doc_row, s], |_| Ok(()))
            .optional()?
            .is_some())
    };
    let seq: u32 = match seq {
        Some(s) if s >= 1 && !taken(s)? => s,
        _ => tx
            .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM revisions WHERE document_id = ?1")?
            .query_row([doc_row], |r| r.get(0))?,
    };
    let labels = rev.page_labels.as_ref().map(|l| to_json("page_labels", l)).transpose()?;
    tx.prepare_cached(
        "INSERT INTO revisions (uuid, document_id, seq, text, sha256, byte_len, char_len, page_labels, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        doc_row,
        seq,
        rev.text,
        &hash.0[..],
        rev.text.len() as i64,
        rev.text.chars().count() as i64,
        labels,
        created
    ])?;
    super::search::index_new_revision(tx, doc_row, tx.last_insert_rowid(), &rev.text)?;
    Ok((
        Revision {
            id,
            document,
            seq,
            sha256: hash,
            text: Arc::from(rev.text.as_str()),
            page_labels: rev.page_labels.clone(),
            created_at: from_millis(created),
        },
        true,
    ))
}

const REV_COLS: &str = "r.uuid, d.uuid, r.seq, r.sha256, r.text, r.page_labels, r.created_at";

fn revision_row(r: &Row<'_>) -> rusqlite::Result<(Revision, Option<String>)> {
    let hash: Vec<u8> = r.get(3)?;
    let mut sha = [0u8; 32];
    if hash.len() == 32 {
        sha.copy_from_slice(&hash);
    }
    let text: String = r.get(4)?;
    Ok((
        Revision {
            id: r.get(0)?,
            document: r.get(1)?,
            seq: r.get(2)?,
            sha256: ContentHash(sha),
            text: Arc::from(text),
            page_labels: None,
            created_at: from_millis(r.get(6)?),
        },
        r.get(5)?,
    ))
}

fn finish_revision((mut rev, labels): (Revision, Option<String>)) -> Result<Revision> {
    rev.page_labels = labels.as_deref().map(|l| from_json("page_labels", l)).transpose()?;
    Ok(rev)
}

pub(crate) fn get_revision(conn: &Connection, id: RevisionId) -> Result<Option<Revision>> {
    let sql = format!("SELECT {REV_COLS} FROM revisions r JOIN documents d ON d.id = r.document_id WHERE r.uuid = ?1");
    conn.prepare_cached(&sql)?.query_row([id], revision_row).optional()?.map(finish_revision).transpose()
}

/// Revisions of a document, oldest first.
pub(crate) fn list_revisions(conn: &Connection, document: DocumentId) -> Result<Vec<Revision>> {
    let sql = format!(
        "SELECT {REV_COLS} FROM revisions r JOIN documents d ON d.id = r.document_id WHERE d.uuid = ?1 ORDER BY r.seq"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([document], revision_row)?;
    rows.map(|r| finish_revision(r?)).collect()
}

/// How many revisions a document has (without reading their texts).
pub(crate) fn count_revisions(conn: &Connection, document: DocumentId) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM revisions r JOIN documents d ON d.id = r.document_id WHERE d.uuid = ?1")?
        .query_row([document], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The latest revision of a document.
pub(crate) fn latest_revision(conn: &Connection, document: DocumentId) -> Result<Option<Revision>> {
    let sql = format!(
        "SELECT {REV_COLS} FROM revisions r JOIN documents d ON d.id = r.document_id WHERE d.uuid = ?1 ORDER BY r.seq DESC LIMIT 1"
    );
    conn.prepare_cached(&sql)?.query_row([document], revision_row).optional()?.map(finish_revision).transpose()
}

/// Calls `f` with every revision (text included, one at a time), in ID (UUID) order.
pub(crate) fn each_revision(conn: &Connection, mut f: impl FnMut(Revision) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {REV_COLS} FROM revisions r JOIN documents d ON d.id = r.document_id ORDER BY r.uuid");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(finish_revision(revision_row(r)?)?)?;
    }
    Ok(())
}

/// Row ID and text of a revision, for span checks.
pub(crate) fn revision_text(conn: &Connection, id: RevisionId) -> Result<(i64, i64, Arc<str>)> {
    conn.prepare_cached("SELECT id, document_id, text FROM revisions WHERE uuid = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, Arc::from(r.get::<_, String>(2)?))))
        .optional()?
        .ok_or_else(|| Error::not_found(Entity::Revision, id))
}
