//! Verdicts: a desk's rating of a claim (the model behind a schema.org
//! `ClaimReview`).
//!
//! A verdict rates one claim on a scale the desk chooses (`worst..=best`, e.g. 1
//! to 5), always with a textual rating (`Mostly false`), and optionally names its
//! author, publication date and the URL of the published fact-check. A verdict
//! with a textual rating only (no numbers) is allowed: many fact-checkers publish
//! no numeric scale.

use super::{from_millis, now_millis, row_id};
use crate::{ClaimId, Entity, Error, Result, RevisionId, VerdictId};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// A numeric rating on the desk's scale: `worst <= value <= best`, `worst < best`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// The rating given.
    pub value: i64,
    /// The best rating of the scale (schema.org `bestRating`).
    pub best: i64,
    /// The worst rating of the scale (schema.org `worstRating`).
    pub worst: i64,
}

impl Rating {
    /// Checks the scale and the value.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `worst >= best` or the value is off the scale.
    pub fn check(&self) -> Result<()> {
        if self.worst >= self.best {
            return Err(Error::invalid(
                "rating",
                format!("the worst rating ({}) must be below the best ({})", self.worst, self.best),
            ));
        }
        if self.value < self.worst || self.value > self.best {
            return Err(Error::invalid(
                "rating",
                format!("{} is off the scale {}..={}", self.value, self.worst, self.best),
            ));
        }
        Ok(())
    }
}

/// A verdict to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVerdict {
    /// The claim rated.
    pub claim: ClaimId,
    /// The numeric rating, if the desk uses a scale.
    #[serde(default)]
    pub rating: Option<Rating>,
    /// The textual rating (schema.org `alternateName`), e.g. `Mostly false`. Not empty.
    pub alternate_name: String,
    /// Who reviewed the claim (a person or the desk).
    #[serde(default)]
    pub author: Option<String>,
    /// When the review was published.
    #[serde(default)]
    pub date_published: Option<Date>,
    /// Where the review is published.
    #[serde(default)]
    pub url: Option<String>,
    /// A note (not published in a `ClaimReview`).
    #[serde(default)]
    pub note: Option<String>,
}

impl NewVerdict {
    /// A verdict on `claim` with a textual rating only.
    pub fn new(claim: ClaimId, alternate_name: impl Into<String>) -> NewVerdict {
        NewVerdict {
            claim,
            rating: None,
            alternate_name: alternate_name.into(),
            author: None,
            date_published: None,
            url: None,
            note: None,
        }
    }

    /// The same verdict with a numeric rating `value` on the scale `worst..=best`.
    pub fn rated(mut self, value: i64, worst: i64, best: i64) -> NewVerdict {
        self.rating = Some(Rating { value, best, worst });
        self
    }
}

/// A stored verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Its ID.
    pub id: VerdictId,
    /// The claim rated.
    pub claim: ClaimId,
    /// The numeric rating, if any.
    pub rating: Option<Rating>,
    /// The textual rating.
    pub alternate_name: String,
    /// Who reviewed the claim.
    pub author: Option<String>,
    /// When the review was published.
    pub date_published: Option<Date>,
    /// Where the review is published.
    pub url: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// When it was added (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

fn check(v: &NewVerdict) -> Result<()> {
    if v.alternate_name.trim().is_empty() {
        return Err(Error::invalid("alternate_name", "a verdict needs a textual rating"));
    }
    if let Some(r) = &v.rating {
        r.check()?;
    }
    Ok(())
}

/// Adds a verdict with the current time.
pub(crate) fn insert(tx: &Transaction<'_>, id: VerdictId, v: &NewVerdict) -> Result<Verdict> {
    insert_at(tx, id, v, now_millis())
}

/// Adds a verdict with a given ID and creation instant (Unix milliseconds), as a
/// bundle import does; [`insert`] is this with the current time.
pub(crate) fn insert_at(tx: &Transaction<'_>, id: VerdictId, v: &NewVerdict, created: i64) -> Result<Verdict> {
    check(v)?;
    let claim = row_id(tx, Entity::Claim, &v.claim)?;
    tx.prepare_cached(
        "INSERT INTO verdicts (uuid, claim_id, rating_value, best_rating, worst_rating, alternate_name, author,
                               date_published, url, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        claim,
        v.rating.map(|r| r.value),
        v.rating.map(|r| r.best),
        v.rating.map(|r| r.worst),
        v.alternate_name,
        v.author,
        v.date_published.map(super::documents::date_text),
        v.url,
        v.note,
        created
    ])?;
    Ok(Verdict {
        id,
        claim: v.claim,
        rating: v.rating,
        alternate_name: v.alternate_name.clone(),
        author: v.author.clone(),
        date_published: v.date_published,
        url: v.url.clone(),
        note: v.note.clone(),
        created_at: from_millis(created),
    })
}

const COLS: &str = "v.uuid, c.uuid, v.rating_value, v.best_rating, v.worst_rating, v.alternate_name, v.author,
    v.date_published, v.url, v.note, v.created_at";
const FROM: &str = "verdicts v JOIN claims c ON c.id = v.claim_id";

fn row(r: &Row<'_>) -> rusqlite::Result<(Verdict, Option<String>)> {
    let value: Option<i64> = r.get(2)?;
    let best: Option<i64> = r.get(3)?;
    let worst: Option<i64> = r.get(4)?;
    let rating = match (value, best, worst) {
        (Some(value), Some(best), Some(worst)) => Some(Rating { value, best, worst }),
        _ => None,
    };
    Ok((
        Verdict {
            id: r.get(0)?,
            claim: r.get(1)?,
            rating,
            alternate_name: r.get(5)?,
            author: r.get(6)?,
            date_published: None,
            url: r.get(8)?,
            note: r.get(9)?,
            created_at: from_millis(r.get(10)?),
        },
        r.get(7)?,
    ))
}

fn finish((mut v, date): (Verdict, Option<String>)) -> Result<Verdict> {
    v.date_published = date.as_deref().map(super::documents::parse_date).transpose()?;
    Ok(v)
}

pub(crate) fn get(conn: &Connection, id: VerdictId) -> Result<Option<Verdict>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE v.uuid = ?1");
    conn.prepare_cached(&sql)?.query_row([id], row).optional()?.map(finish).transpose()
}

/// Verdicts of a claim, oldest first.
pub(crate) fn of_claim(conn: &Connection, claim: ClaimId) -> Result<Vec<Verdict>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.uuid = ?1 ORDER BY v.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([claim], row)?;
    rows.map(|r| finish(r?)).collect()
}

/// Verdicts of every claim of a revision, in claim order.
pub(crate) fn of_revision(conn: &Connection, rev: RevisionId) -> Result<Vec<Verdict>> {
    let sql = format!(
        "SELECT {COLS} FROM {FROM} JOIN revisions r ON r.id = c.revision_id WHERE r.uuid = ?1
         ORDER BY c.start, c.end, v.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([rev], row)?;
    rows.map(|r| finish(r?)).collect()
}

/// Calls `f` with every verdict, in ID (UUID) order.
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(Verdict) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {COLS} FROM {FROM} ORDER BY v.uuid");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(finish(row(r)?)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_scale_is_checked() {
        assert!(Rating { value: 2, best: 5, worst: 1 }.check().is_ok());
        assert!(Rating { value: 1, best: 5, worst: 1 }.check().is_ok());
        assert!(Rating { value: 6, best: 5, worst: 1 }.check().unwrap_err().is_invalid_input());
        assert!(Rating { value: 0, best: 5, worst: 1 }.check().unwrap_err().is_invalid_input());
        assert!(Rating { value: 3, best: 3, worst: 3 }.check().unwrap_err().is_invalid_input());
        let v = NewVerdict::new(ClaimId::new(), "  ");
        assert!(check(&v).unwrap_err().is_invalid_input());
    }
}
