//! Verdicts: a desk's rating of a claim (the model behind a schema.org
//! `ClaimReview`).
//!
//! A verdict rates one claim on a scale the desk chooses (`worst..=best`, e.g. 1
//! to 5), always with a textual rating (`Mostly false`), and optionally names its
//! author, publication date and the URL of the published fact-check. A verdict
//! with a textual rating only (no numbers) is allowed: many fact-checkers publish
//! no numeric scale.

use super::{from_millis, now_millis, row_id};
use crate::{AgentType, ClaimId, Entity, Error, Result, RevisionId, VerdictId};
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

/// A person or organization named by a review: the claim's author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// The name, in display order (`Jane Doe`).
    pub name: String,
    /// Person or organization, when known.
    #[serde(default)]
    pub kind: Option<AgentType>,
    /// A URL that identifies them (schema.org `url` or `sameAs`).
    #[serde(default)]
    pub url: Option<String>,
}

impl Agent {
    /// An agent known by name only.
    pub fn named(name: impl Into<String>) -> Agent {
        Agent { name: name.into(), kind: None, url: None }
    }
}

/// What a review says beyond its rating (schema.org `ClaimReview` properties
/// Google recommends): who wrote it, and who made the claim and when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetails {
    /// Whether the verdict's author is a person or an organization, as given.
    #[serde(default)]
    pub author_type: Option<AgentType>,
    /// The URL of the verdict's author.
    #[serde(default)]
    pub author_url: Option<String>,
    /// Who made the claim (schema.org `Claim.author`).
    #[serde(default)]
    pub claim_author: Option<Agent>,
    /// When the claim was made (schema.org `Claim.datePublished`).
    #[serde(default)]
    pub claim_date: Option<Date>,
}

impl ReviewDetails {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        *self == ReviewDetails::default()
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
    /// Who wrote the review (person or organization) and who made the claim, when.
    #[serde(default)]
    pub details: ReviewDetails,
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
            details: ReviewDetails::default(),
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
    /// Who wrote the review (person or organization) and who made the claim, when.
    pub details: ReviewDetails,
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
    if v.details.claim_author.as_ref().is_some_and(|a| a.name.trim().is_empty()) {
        return Err(Error::invalid("claim_author", "a claim's author needs a name"));
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
                               date_published, url, note, created_at, author_type, author_url, claim_author,
                               claim_author_type, claim_author_url, claim_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
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
        created,
        v.details.author_type,
        v.details.author_url,
        v.details.claim_author.as_ref().map(|a| &a.name),
        v.details.claim_author.as_ref().and_then(|a| a.kind),
        v.details.claim_author.as_ref().and_then(|a| a.url.as_ref()),
        v.details.claim_date.map(super::documents::date_text),
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
        details: v.details.clone(),
        created_at: from_millis(created),
    })
}

const COLS: &str = "v.uuid, c.uuid, v.rating_value, v.best_rating, v.worst_rating, v.alternate_name, v.author,
    v.date_published, v.url, v.note, v.created_at, v.author_type, v.author_url, v.claim_author, v.claim_author_type,
    v.claim_author_url, v.claim_date";
const FROM: &str = "verdicts v JOIN claims c ON c.id = v.claim_id";

/// A row, with its two dates as stored text (publication, claim), parsed by [`finish`].
type RowDates = (Verdict, Option<String>, Option<String>);

fn row(r: &Row<'_>) -> rusqlite::Result<RowDates> {
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
            details: ReviewDetails {
                author_type: r.get(11)?,
                author_url: r.get(12)?,
                claim_author: match r.get::<_, Option<String>>(13)? {
                    Some(name) => Some(Agent { name, kind: r.get(14)?, url: r.get(15)? }),
                    None => None,
                },
                claim_date: None,
            },
            created_at: from_millis(r.get(10)?),
        },
        r.get(7)?,
        r.get(16)?,
    ))
}

fn finish((mut v, date, claim_date): RowDates) -> Result<Verdict> {
    v.date_published = date.as_deref().map(super::documents::parse_date).transpose()?;
    v.details.claim_date = claim_date.as_deref().map(super::documents::parse_date).transpose()?;
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
