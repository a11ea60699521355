//! Coverage figures computed inside SQLite: per article revision, how many
//! statements there are, how many are exempt, uncited, supported, partly
//! supported, cited only as context, or contradicted.
//!
//! # Design
//!
//! The audit ([`crate::audit`]) loads every record of one article to explain its
//! findings; a pipeline that only needs the figures, for one article or for a
//! whole archive, should not pay for that. These queries aggregate on INTEGER row
//! IDs only, never through UUIDs, and count each claim in its one state
//! ([`crate::state`]: exempt, uncited, supported, partly supported, context only,
//! contradicted).
//!
//! Each claim carries the aggregate of its parts' citations in `claims.evidence`
//! and `claims.partial` (schema V3 and V5), kept up to date by the writer on every
//! citation, part and link insert, so a figure reads one row per claim and never
//! joins the citations or parts: the whole ledger is one pass
//! over `claims` grouped by revision, one article a range of the
//! `claims(revision_id, start, end)` index. (Joining 1.5 million citations to
//! classify a million claims costs about eight times as much; see
//! `PERFORMANCE.md`.)

use crate::{DocumentId, Entity, Error, Result, RevisionId};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::collections::HashMap;

/// Statement figures of one article revision, as [`crate::audit`] counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct CoverageCounts {
    /// All statements (claims) of the revision.
    pub total: usize,
    /// Exempt ones.
    pub exempt: usize,
    /// Not exempt, with no citation.
    pub uncited: usize,
    /// Every part backed by a supports, quotes, paraphrases or
    /// describes_redaction citation, none contradicted.
    pub supported: usize,
    /// Cited only as context (no supporting and no contradicting citation).
    pub context_only: usize,
    /// A part contradicted (whatever supports other parts).
    pub contradicted: usize,
    /// Some parts supported, the others cited only as context or not at all.
    pub partly_supported: usize,
}

/// The coverage figures of a document's latest revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DocumentCoverage {
    /// The document.
    pub document: DocumentId,
    /// Its latest revision, which the figures describe.
    pub revision: RevisionId,
    /// The figures.
    pub counts: CoverageCounts,
}

/// The seven figures of the claims selected by `WHERE`, from
/// `claims.exemption`, `claims.evidence` and `claims.partial` (see
/// `migrations/V5__claim_parts.sql`): the states of
/// [`crate::StatementState::of_stored`], which `the_figures_count_the_states`
/// holds them to.
macro_rules! figures_sql {
    ($select:literal, $rest:literal) => {
        concat!(
            "SELECT ",
            $select,
            "count(*), count(c.exemption), ",
            "count(c.exemption IS NULL AND c.evidence IS NULL OR NULL), ",
            "count(c.exemption IS NULL AND c.evidence = 1 AND c.partial = 0 OR NULL), ",
            "count(c.exemption IS NULL AND c.evidence = 0 OR NULL), ",
            "count(c.exemption IS NULL AND c.evidence = 2 OR NULL), ",
            "count(c.exemption IS NULL AND c.evidence = 1 AND c.partial = 1 OR NULL) ",
            $rest
        )
    };
}

/// Figures of one revision (by row ID): a range of the
/// `claims(revision_id, start, end)` index.
fn counts_of_revision(conn: &Connection, rev_row: i64) -> Result<CoverageCounts> {
    const SQL: &str = figures_sql!("", "FROM claims c WHERE c.revision_id = ?1");
    Ok(conn.prepare_cached(SQL)?.query_row([rev_row], counts_row)?)
}

fn counts_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CoverageCounts> {
    let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as usize);
    Ok(CoverageCounts {
        total: n(0)?,
        exempt: n(1)?,
        uncited: n(2)?,
        supported: n(3)?,
        context_only: n(4)?,
        contradicted: n(5)?,
        partly_supported: n(6)?,
    })
}

/// Figures of a revision, by ID.
pub(crate) fn of_revision(conn: &Connection, rev: RevisionId) -> Result<CoverageCounts> {
    let row: i64 = conn
        .prepare_cached("SELECT id FROM revisions WHERE uuid = ?1")?
        .query_row([rev], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found(Entity::Revision, rev))?;
    counts_of_revision(conn, row)
}

/// Figures of a document's latest revision: its latest revision through the
/// `documents(uuid)` and `revisions(document_id, seq)` indexes, then the range
/// of its claims.
pub(crate) fn of_document(conn: &Connection, document: DocumentId) -> Result<DocumentCoverage> {
    let latest: Option<(i64, RevisionId)> = conn
        .prepare_cached(
            "SELECT r.id, r.uuid FROM documents d JOIN revisions r ON r.document_id = d.id
             WHERE d.uuid = ?1 ORDER BY r.seq DESC LIMIT 1",
        )?
        .query_row(params![document], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match latest {
        Some((row, revision)) => Ok(DocumentCoverage { document, revision, counts: counts_of_revision(conn, row)? }),
        None => {
            let exists: Option<i64> = conn
                .prepare_cached("SELECT id FROM documents WHERE uuid = ?1")?
                .query_row([document], |r| r.get(0))
                .optional()?;
            Err(match exists {
                None => Error::not_found(Entity::Document, document),
                Some(_) => Error::not_found(Entity::Revision, format!("latest revision of {document}")),
            })
        }
    }
}

/// Figures of the latest revision of every document that has claims on it, in
/// the order the documents were added.
pub(crate) fn all(conn: &Connection) -> Result<Vec<DocumentCoverage>> {
    // The latest revision of every document, read from indexes only (the
    // revisions' rows hold their texts): (document_id, seq) for the latest, the
    // UUID indexes for the identities. The ORDER BY clauses make the planner
    // scan those covering indexes rather than the tables.
    let mut newest: HashMap<i64, (i64, i64)> = HashMap::new(); // document row -> (seq, revision row)
    {
        let mut stmt = conn.prepare_cached("SELECT id, document_id, seq FROM revisions ORDER BY document_id, seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (rev, doc, seq): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let e = newest.entry(doc).or_insert((seq, rev));
            if seq > e.0 {
                *e = (seq, rev);
            }
        }
    }
    let mut rev_uuid: HashMap<i64, RevisionId> = HashMap::with_capacity(newest.len());
    {
        let latest_revs: std::collections::HashSet<i64> = newest.values().map(|&(_, r)| r).collect();
        let mut stmt = conn.prepare_cached("SELECT id, uuid FROM revisions ORDER BY uuid")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if latest_revs.contains(&id) {
                rev_uuid.insert(id, r.get(1)?);
            }
        }
    }
    let mut latest: HashMap<i64, (i64, DocumentId, RevisionId)> = HashMap::with_capacity(newest.len());
    {
        let mut stmt = conn.prepare_cached("SELECT id, uuid FROM documents ORDER BY uuid")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let doc: i64 = r.get(0)?;
            if let Some(&(_, rev)) = newest.get(&doc)
                && let Some(&revision) = rev_uuid.get(&rev)
            {
                latest.insert(rev, (doc, r.get(1)?, revision));
            }
        }
    }
    // The figures of every revision in one pass over the claims, grouped by
    // revision row ID, kept for the latest revisions.
    const SQL: &str = figures_sql!("c.revision_id, ", "FROM claims c GROUP BY c.revision_id");
    let mut stmt = conn.prepare_cached(SQL)?;
    let mut rows = stmt.query([])?;
    let mut out: Vec<(i64, DocumentCoverage)> = Vec::new();
    while let Some(r) = rows.next()? {
        let rev: i64 = r.get(0)?;
        if let Some(&(doc_row, document, revision)) = latest.get(&rev) {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as usize);
            let counts = CoverageCounts {
                total: n(1)?,
                exempt: n(2)?,
                uncited: n(3)?,
                supported: n(4)?,
                context_only: n(5)?,
                contradicted: n(6)?,
                partly_supported: n(7)?,
            };
            out.push((doc_row, DocumentCoverage { document, revision, counts }));
        }
    }
    out.sort_unstable_by_key(|(doc_row, _)| *doc_row);
    Ok(out.into_iter().map(|(_, d)| d).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatementState;

    /// The SQL counts every stored combination of exemption, evidence and
    /// partial in the state `StatementState::of_stored` gives it, and in no other.
    #[test]
    fn the_figures_count_the_states() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE claims (revision_id INTEGER, exemption TEXT, evidence INTEGER, partial INTEGER)",
        )
        .unwrap();
        for exempt in [false, true] {
            for evidence in [None, Some(0i64), Some(1), Some(2)] {
                for partial in [false, true] {
                    conn.execute("DELETE FROM claims", []).unwrap();
                    conn.execute(
                        "INSERT INTO claims VALUES (1, ?1, ?2, ?3)",
                        params![exempt.then_some("headline"), evidence, partial],
                    )
                    .unwrap();
                    let c = counts_of_revision(&conn, 1).unwrap();
                    let want = StatementState::of_stored(exempt, evidence, partial).state;
                    let got: Vec<StatementState> = [
                        (c.exempt, StatementState::Exempt),
                        (c.uncited, StatementState::Uncited),
                        (c.supported, StatementState::Supported),
                        (c.context_only, StatementState::ContextOnly),
                        (c.contradicted, StatementState::Contradicted),
                        (c.partly_supported, StatementState::PartlySupported),
                    ]
                    .into_iter()
                    .filter(|(n, _)| *n == 1)
                    .map(|(_, s)| s)
                    .collect();
                    assert_eq!(c.total, 1);
                    assert_eq!(got, vec![want], "exempt {exempt} evidence {evidence:?} partial {partial}");
                }
            }
        }
    }
}
