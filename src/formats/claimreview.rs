//! schema.org `ClaimReview` (JSON-LD): verdicts out, fact-check feeds in.
//!
//! **Export** ([`Ledger::export_claim_reviews`]): a JSON array with one
//! `ClaimReview` per verdict (by verdict ID), each with its own `@context`
//! (`https://schema.org`), holding what Google's fact-check structured data
//! requires (`claimReviewed`, `reviewRating` with `alternateName`, `url`) and
//! recommends (`author`, `datePublished`, `itemReviewed` with the claim's
//! `author`, `datePublished` and `appearance`, the rating's `name`,
//! `ratingValue`, `bestRating`, `worstRating`):
//!
//! | property | from |
//! | --- | --- |
//! | `@id` | `urn:uuid:` and the verdict's ID |
//! | `url` | the verdict's URL (the fact-check's page): **required**, a verdict without one refuses the export ([`Error::InvalidInput`] naming the verdict) |
//! | `claimReviewed` | the claim's text |
//! | `itemReviewed` | a `Claim`: `author` (who made the claim: a `Person` or `Organization` as recorded, `Person` when not said, with `url`), `datePublished` (when the claim was made), and `appearance`, the article as a `CreativeWork` with `headline` (title), `url` (identifier), `datePublished`, `author` (`Person`s, names in display order: `Jane Doe` for `Doe, Jane`) and `publisher` (`Organization`) when known |
//! | `reviewRating` | a `Rating`: `alternateName` and `name` (the textual rating), and `ratingValue`, `bestRating`, `worstRating` when the desk uses a scale |
//! | `author` | the verdict's author: a `Person` or `Organization` as recorded (`Organization`, a desk, when not said), with `url` |
//! | `datePublished` | the verdict's date |
//!
//! Properties the verdict lacks are left out. The verdict's note is not
//! published.
//!
//! **Import** ([`Ledger::import_claim_reviews`]), the way a fact-checking
//! platform ingests partners' feeds: a `ClaimReview` object, an array of them,
//! a `DataFeed` whose `dataFeedElement` holds them (directly or as a
//! `DataFeedItem`'s `item`), or an `@graph`; other objects are skipped and
//! counted. A review without a `reviewRating` or a textual rating
//! (`alternateName` or `name`) is skipped with a warning naming it
//! ([`ClaimReviewImport::warnings`]); the rest of the feed is imported. For each
//! review, in one transaction:
//!
//! 1. the article: `itemReviewed` is either a `Claim` whose `appearance` (or
//!    `firstAppearance`: an object or a URL) is the article, or, in the older
//!    form, the `CreativeWork` the claim appeared in. The document whose
//!    identifier is its `url` is the article, else the article titled by its
//!    `headline` (or `name`), else a new article document (no text) with that
//!    url, headline, date and authors;
//! 2. the claim: when the article's latest revision holds the `claimReviewed`
//!    text in exactly one place (exactly, or after normalizing typography), the
//!    claim there that covers it, or a new claim on it; otherwise (the article's
//!    text is not in the ledger, or the review paraphrases it) a claim on the
//!    whole text of a revision holding `claimReviewed`, in a document of kind
//!    `other` titled by the claim, whose metadata `appearance` names the article
//!    document (or is null without one; reused on the next import, and followed
//!    back to the article on export);
//! 3. the verdict: `reviewRating`'s `alternateName` (or `name`), and
//!    `ratingValue`, `bestRating` (default 5) and `worstRating` (default 1) when
//!    it has a value (whole numbers, or strings of them); `author`'s name, type
//!    (`Person` or `Organization`) and `url` (or `sameAs`); `datePublished` (a
//!    date, or the date of a date-time) and `url`; who made the claim and when
//!    (`itemReviewed`'s `author` and `datePublished`, in either form). A review
//!    whose `@id` is `urn:uuid:` keeps that ID. One the ledger holds already
//!    (same ID with the same content, or same claim, textual rating, author and
//!    url) is not added again; the same ID with another rating or other details
//!    is a conflict ([`Error::Conflict`]), as in a bundle.
//!
//! A review without `claimReviewed`, a rating off its scale, or a malformed
//! date refuses the whole import ([`Error::InvalidInput`] naming the review)
//! and nothing is written.

use super::{Records, Scope, date_text};
use crate::storage::{claims, documents, verdicts};
use crate::text::selector::{self, Selector};
use crate::{
    Agent, AgentType, Claim, ClaimId, Document, DocumentId, DocumentKind, Entity, Error, Ledger, NewClaim, NewDocument,
    NewRevision, NewVerdict, Rating, Result, ReviewDetails, Span, VerdictId, Writer,
};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The JSON-LD context of schema.org.
pub const CONTEXT: &str = "https://schema.org";
/// The largest ClaimReview document accepted (256 MiB).
pub const MAX_INPUT: usize = 256 << 20;
/// How deep feeds may nest.
const MAX_DEPTH: usize = 16;
/// The metadata key of a claim document that names the article it appeared in.
pub const APPEARANCE_KEY: &str = "appearance";

/// What [`Ledger::import_claim_reviews`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimReviewImport {
    /// `ClaimReview` objects read.
    pub reviews: usize,
    /// Other objects of the input, skipped.
    pub skipped: usize,
    /// Documents created (articles and claim documents).
    pub documents_created: usize,
    /// Claims created.
    pub claims_created: usize,
    /// Verdicts created.
    pub verdicts_created: usize,
    /// Reviews the ledger held already.
    pub verdicts_existing: usize,
    /// Reviews skipped, each with why (`ClaimReview 3 (@id …): has no reviewRating`).
    pub warnings: Vec<String>,
}

fn has_type(o: &Map<String, Value>, t: &str) -> bool {
    match o.get("@type") {
        Some(Value::String(s)) => s == t || s.ends_with(&format!("/{t}")),
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str().is_some_and(|s| s == t)),
        _ => false,
    }
}

/// The ClaimReview objects of a JSON-LD document; returns how many other objects
/// were skipped.
fn collect<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Map<String, Value>>) -> Result<usize> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid("ClaimReview input", format!("nested deeper than {MAX_DEPTH} levels")));
    }
    match v {
        Value::Array(a) => {
            let mut skipped = 0;
            for x in a {
                skipped += collect(x, depth + 1, out)?;
            }
            Ok(skipped)
        }
        Value::Object(o) if has_type(o, "ClaimReview") => {
            out.push(o);
            Ok(0)
        }
        Value::Object(o) => {
            for key in ["dataFeedElement", "@graph", "item"] {
                if let Some(inner) = o.get(key) {
                    return collect(inner, depth + 1, out);
                }
            }
            Ok(1)
        }
        _ => Ok(1),
    }
}

fn text<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// The first object of a property that holds an object or an array of them.
fn first_object<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    match o.get(key)? {
        Value::Object(m) => Some(m),
        Value::Array(a) => a.iter().find_map(Value::as_object),
        _ => None,
    }
}

/// Names of a property that holds a name, a `Person`/`Organization`, or an array.
fn names(o: &Map<String, Value>, key: &str) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(m) => text(m, "name").map(str::to_string),
        _ => None,
    };
    match o.get(key) {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A whole number, or a string of one.
fn whole(field: &str, v: &Value) -> Result<i64> {
    let bad = || Error::invalid(field, format!("{v} is not a whole number"));
    match v {
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(i),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(f as i64),
            _ => Err(bad()),
        },
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().or_else(|_| match s.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(f as i64),
                _ => Err(bad()),
            })
        }
        _ => Err(bad()),
    }
}

/// A date, or the date of an ISO 8601 date-time.
fn date(field: &str, s: &str) -> Result<time::Date> {
    let day = s.get(..10).unwrap_or(s);
    super::parse_date(field, day)
}

/// The title of a claim document: the claim, cut to 100 code points.
fn claim_title(claim: &str) -> String {
    let mut t: String = claim.chars().take(100).collect();
    if t.len() < claim.len() {
        t.push('…');
    }
    t
}

/// A name in display order: `Doe, Jane` becomes `Jane Doe` (the ledger keeps
/// creators as `Family, Given`); any other name stays as it is.
pub fn display_name(name: &str) -> String {
    let parts: Vec<&str> = name.split(", ").collect();
    match parts.as_slice() {
        [family, given] if !family.trim().is_empty() && !given.trim().is_empty() && !given.contains(',') => {
            format!("{} {}", given.trim(), family.trim())
        }
        _ => name.to_string(),
    }
}

/// A `Person` or `Organization` (`default` when the kind is not recorded).
fn agent(name: &str, kind: Option<AgentType>, default: AgentType, url: Option<&str>) -> Value {
    let mut a = json!({"@type": kind.unwrap_or(default).schema_type(), "name": name});
    if let Some(u) = url {
        a["url"] = json!(u);
    }
    a
}

/// The `CreativeWork` an article appeared as.
fn appearance(doc: &Document) -> Value {
    let mut a = json!({"@type": "CreativeWork", "headline": doc.title});
    if let Some(url) = &doc.identifier {
        a["url"] = json!(url);
    }
    if let Some(d) = doc.published {
        a["datePublished"] = json!(date_text(d));
    }
    if !doc.creators.is_empty() {
        a["author"] =
            Value::Array(doc.creators.iter().map(|n| agent(&display_name(n), None, AgentType::Person, None)).collect());
    }
    if let Some(p) = &doc.publisher {
        a["publisher"] = json!({"@type": "Organization", "name": p});
    }
    a
}

/// The kind of an author object: its `@type` (or a bare `type`, as some
/// publishers write it).
fn agent_type(o: &Map<String, Value>) -> Option<AgentType> {
    let t = o.get("@type").or_else(|| o.get("type"))?;
    let is = |name: &str| match t {
        Value::String(s) => s == name || s.ends_with(&format!("/{name}")),
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some(name)),
        _ => false,
    };
    if is("Person") {
        Some(AgentType::Person)
    } else if is("Organization") || is("NewsMediaOrganization") {
        Some(AgentType::Organization)
    } else {
        None
    }
}

/// The first author of a property: a name, or an object with `name`, `@type`
/// and `url` (or `sameAs`).
fn first_agent(o: &Map<String, Value>, key: &str) -> Option<Agent> {
    let one = |v: &Value| -> Option<Agent> {
        match v {
            Value::String(s) => Some(Agent::named(s.trim())).filter(|a| !a.name.is_empty()),
            Value::Object(m) => {
                let name = text(m, "name")?;
                let url = text(m, "url").or_else(|| match m.get("sameAs") {
                    Some(Value::String(s)) => Some(s.trim()).filter(|s| !s.is_empty()),
                    Some(Value::Array(a)) => a.iter().find_map(|x| x.as_str()),
                    _ => None,
                });
                Some(Agent { name: name.to_string(), kind: agent_type(m), url: url.map(str::to_string) })
            }
            _ => None,
        }
    };
    match o.get(key)? {
        Value::Array(a) => a.iter().find_map(one),
        v => one(v),
    }
}

impl Ledger {
    /// Every verdict of `scope` as a `ClaimReview` (see the
    /// [module documentation](crate::formats::claimreview)), as a JSON array.
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::formats::Scope;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "Pier fixed"), "The pier was fixed in 2021.")?;
    /// let mut v = NewVerdict::new(art.claims[0].id, "Mostly true").rated(4, 1, 5);
    /// assert!(ledger.add_verdict(v.clone()).is_ok());
    /// // Google requires the fact-check's url: a verdict without one is refused.
    /// assert!(ledger.export_claim_reviews(Scope::Ledger).unwrap_err().to_string().contains("has no url"));
    ///
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "Pier fixed"), "The pier was fixed in 2021.")?;
    /// v.claim = art.claims[0].id;
    /// v.url = Some("https://desk.example/pier".into());
    /// v.author = Some("Harbor Desk".into());
    /// ledger.add_verdict(v)?;
    /// let reviews = ledger.export_claim_reviews(Scope::Ledger)?;
    /// assert_eq!(reviews[0]["@type"], "ClaimReview");
    /// assert_eq!(reviews[0]["url"], "https://desk.example/pier");
    /// assert_eq!(reviews[0]["claimReviewed"], "The pier was fixed in 2021.");
    /// assert_eq!(reviews[0]["reviewRating"]["ratingValue"], 4);
    /// assert_eq!(reviews[0]["reviewRating"]["name"], "Mostly true");
    /// assert_eq!(reviews[0]["author"]["@type"], "Organization");
    /// assert_eq!(reviews[0]["itemReviewed"]["appearance"]["headline"], "Pier fixed");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first verdict without a url (Google
    /// requires it); [`Error::NotFound`] for an unknown document; database errors.
    pub fn export_claim_reviews(&self, scope: Scope) -> Result<Value> {
        let r = Records::collect(self, scope)?;
        let claims_by_id: HashMap<ClaimId, &Claim> = r.claims.iter().map(|c| (c.id, c)).collect();
        let mut out = Vec::new();
        for v in &r.verdicts {
            let claim = match claims_by_id.get(&v.claim) {
                Some(c) => (*c).clone(),
                None => self.claim(v.claim)?.ok_or_else(|| Error::not_found(Entity::Claim, v.claim))?,
            };
            let text = self.text(&claim.span)?;
            let rev = self
                .revision(claim.span.revision)?
                .ok_or_else(|| Error::not_found(Entity::Revision, claim.span.revision))?;
            let mut doc =
                Some(self.document(rev.document)?.ok_or_else(|| Error::not_found(Entity::Document, rev.document))?);
            // A claim document stands for the article it appeared in (or none).
            if let Some(link) = doc.as_ref().and_then(|d| d.metadata.get(APPEARANCE_KEY)).cloned() {
                doc = match link.as_str().and_then(|s| s.parse::<DocumentId>().ok()) {
                    Some(id) => self.document(id)?,
                    None => None,
                };
            }
            let Some(url) = &v.url else {
                return Err(Error::invalid(
                    format!("verdict {}", v.id),
                    format!(
                        "rating {:?} of {:?} has no url; Google requires a ClaimReview's url (the fact-check's page): \
                         record it (claimledger verdict ... --url URL) and export again",
                        v.alternate_name,
                        claim_title(&text)
                    ),
                ));
            };
            let mut item = json!({"@type": "Claim"});
            if let Some(a) = &v.details.claim_author {
                item["author"] = agent(&a.name, a.kind, AgentType::Person, a.url.as_deref());
            }
            if let Some(d) = v.details.claim_date {
                item["datePublished"] = json!(date_text(d));
            }
            if let Some(doc) = doc {
                item["appearance"] = appearance(&doc);
            }
            let mut rating = json!({"@type": "Rating", "alternateName": v.alternate_name, "name": v.alternate_name});
            if let Some(x) = v.rating {
                rating["ratingValue"] = json!(x.value);
                rating["bestRating"] = json!(x.best);
                rating["worstRating"] = json!(x.worst);
            }
            let mut review = json!({
                "@context": CONTEXT,
                "@type": "ClaimReview",
                "@id": format!("urn:uuid:{}", v.id),
                "url": url,
                "claimReviewed": text,
                "itemReviewed": item,
                "reviewRating": rating,
            });
            if let Some(a) = &v.author {
                review["author"] =
                    agent(a, v.details.author_type, AgentType::Organization, v.details.author_url.as_deref());
            }
            if let Some(d) = v.date_published {
                review["datePublished"] = json!(date_text(d));
            }
            out.push(review);
        }
        Ok(Value::Array(out))
    }

    /// Imports `ClaimReview`s from JSON-LD text (see the
    /// [module documentation](crate::formats::claimreview)), in one transaction.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let feed = r#"{"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
    ///   {"@type": "DataFeedItem", "item": [{"@type": "ClaimReview",
    ///     "claimReviewed": "The pier cost nothing.", "url": "https://checks.example/pier",
    ///     "itemReviewed": {"@type": "Claim", "appearance": {"@type": "CreativeWork", "url": "https://news.example/pier", "headline": "Pier fixed"}},
    ///     "reviewRating": {"@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1", "alternateName": "False"}}]}]}"#;
    /// let out = ledger.import_claim_reviews(feed)?;
    /// assert_eq!((out.reviews, out.verdicts_created), (1, 1));
    /// assert_eq!(ledger.import_claim_reviews(feed)?.verdicts_existing, 1);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Json`] for text that is not JSON; [`Error::TooLarge`] over
    /// [`MAX_INPUT`]; [`Error::InvalidInput`] for input with no `ClaimReview`, or
    /// a review without `claimReviewed` or a textual rating, with a rating off
    /// its scale or a malformed date. Nothing is written on error.
    pub fn import_claim_reviews(&mut self, json: &str) -> Result<ClaimReviewImport> {
        if json.len() > MAX_INPUT {
            return Err(Error::TooLarge { what: "ClaimReview input", len: json.len(), max: MAX_INPUT });
        }
        let v: Value =
            serde_json::from_str(json).map_err(|source| Error::Json { what: "ClaimReview".into(), source })?;
        let mut reviews = Vec::new();
        let skipped = collect(&v, 0, &mut reviews)?;
        if reviews.is_empty() {
            return Err(Error::invalid("ClaimReview input", "holds no ClaimReview"));
        }
        self.write_event(crate::EventKind::ClaimReviewImport, None, |w| {
            let mut out = ClaimReviewImport { reviews: reviews.len(), skipped, ..Default::default() };
            for (i, r) in reviews.iter().enumerate() {
                if let Some(why) = unrated(r) {
                    let id = r.get("@id").and_then(Value::as_str).map(|s| format!(" (@id {s})")).unwrap_or_default();
                    out.warnings.push(format!("ClaimReview {}{id}: {why}; skipped", i + 1));
                    continue;
                }
                import_one(w, i + 1, r, &mut out)?;
            }
            Ok(out)
        })
    }
}

/// Review details as an export writes them: an author's kind not recorded is
/// written as the default (`Organization` for the review's author, `Person` for
/// the claim's), so a review read back from the ledger's own export is the same.
fn as_exported(d: &ReviewDetails, has_author: bool) -> ReviewDetails {
    let mut d = d.clone();
    if has_author {
        d.author_type.get_or_insert(AgentType::Organization);
    }
    if let Some(a) = d.claim_author.as_mut() {
        a.kind.get_or_insert(AgentType::Person);
    }
    d
}

/// Why a review has no rating to import, if it has none.
fn unrated(r: &Map<String, Value>) -> Option<&'static str> {
    match first_object(r, "reviewRating") {
        None => Some("has no reviewRating"),
        Some(rating) if text(rating, "alternateName").or_else(|| text(rating, "name")).is_none() => {
            Some("its reviewRating has no alternateName (textual rating)")
        }
        Some(_) => None,
    }
}

/// The work a claim appeared in: an `appearance` / `firstAppearance` object, or
/// a URL given as a string.
fn appearance_of(item: &Map<String, Value>) -> Option<Map<String, Value>> {
    for key in ["appearance", "firstAppearance"] {
        let found = match item.get(key) {
            Some(Value::Array(a)) => a.iter().find(|x| x.is_object() || x.is_string()),
            Some(v) => Some(v),
            None => None,
        };
        match found {
            Some(Value::Object(m)) => return Some(m.clone()),
            Some(Value::String(u)) if !u.trim().is_empty() => {
                let mut m = Map::new();
                m.insert("url".into(), json!(u.trim()));
                return Some(m);
            }
            _ => {}
        }
    }
    None
}

impl Ledger {
    /// The claim of `document`'s latest revision that holds `words` (exactly, or
    /// after normalizing typography, whitespace and case), for recording a
    /// verdict on it (`claimledger verdict`).
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "Pier"), "The pier opened. The pier cost nothing.")?;
    /// assert_eq!(ledger.claim_quoting(art.document.id, "cost nothing")?.id, art.claims[1].id);
    /// // In two statements: quote more words.
    /// assert!(ledger.claim_quoting(art.document.id, "The pier").unwrap_err().is_invalid_input());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document or one without text;
    /// [`Error::InvalidInput`] when the words occur in no statement, in several,
    /// or across a statement boundary.
    pub fn claim_quoting(&self, document: DocumentId, words: &str) -> Result<Claim> {
        let rev = self.latest_revision(document)?.ok_or_else(|| Error::not_found(Entity::Revision, document))?;
        let norm = crate::quotecheck::normalize_for_selectors(&rev.text, &[]);
        let (hits, _) = selector::find(&rev.text, &norm, &Selector { exact: words, ..Default::default() });
        let claims = self.claims(rev.id)?;
        let mut found: Vec<&Claim> = hits
            .iter()
            .filter_map(|h| {
                claims.iter().filter(|c| c.span.start <= h.start && h.end <= c.span.end).min_by_key(|c| c.span.len())
            })
            .collect();
        found.sort_by_key(|c| c.id);
        found.dedup_by_key(|c| c.id);
        match found.as_slice() {
            [c] => Ok((*c).clone()),
            [] if hits.is_empty() => {
                Err(Error::invalid("statement", format!("{words:?} does not occur in the document")))
            }
            [] => Err(Error::invalid("statement", format!("{words:?} is in no single statement: quote words of one"))),
            many => Err(Error::invalid(
                "statement",
                format!("{words:?} occurs in {} statements: quote more words", many.len()),
            )),
        }
    }
}

fn import_one(w: &mut Writer<'_>, n: usize, r: &Map<String, Value>, out: &mut ClaimReviewImport) -> Result<()> {
    let field = |what: &str| format!("ClaimReview {n} {what}");
    let claim_text = text(r, "claimReviewed").ok_or_else(|| Error::invalid(field(""), "has no claimReviewed"))?;
    let rating = first_object(r, "reviewRating").ok_or_else(|| Error::invalid(field(""), "has no reviewRating"))?;
    let alternate = text(rating, "alternateName")
        .or_else(|| text(rating, "name"))
        .ok_or_else(|| Error::invalid(field("reviewRating"), "has no alternateName"))?;
    let scale = match rating.get("ratingValue") {
        Some(v) if !v.is_null() => {
            let get = |k: &str, default: i64| -> Result<i64> {
                match rating.get(k) {
                    Some(x) if !x.is_null() => whole(&field(k), x),
                    _ => Ok(default),
                }
            };
            let x = Rating {
                value: whole(&field("ratingValue"), v)?,
                best: get("bestRating", 5)?,
                worst: get("worstRating", 1)?,
            };
            x.check().map_err(|e| Error::invalid(field("reviewRating"), e.to_string()))?;
            Some(x)
        }
        _ => None,
    };
    let author = first_agent(r, "author");
    let published = text(r, "datePublished").map(|d| date(&field("datePublished"), d)).transpose()?;
    let url = text(r, "url").map(str::to_string);
    let id = r
        .get("@id")
        .and_then(Value::as_str)
        .and_then(|s| s.strip_prefix("urn:uuid:"))
        .and_then(|u| u.parse::<VerdictId>().ok());

    // 1. The article: the Claim's appearance, or (the older form) the
    // CreativeWork the claim appeared in.
    let item = first_object(r, "itemReviewed");
    let is_claim = item.is_some_and(|i| has_type(i, "Claim"));
    let appearance = match item {
        Some(i) if is_claim => appearance_of(i),
        Some(i) => Some(i.clone()),
        None => None,
    };
    let article = match &appearance {
        Some(a) => Some(article(w, a, &field("appearance"), out)?),
        None => None,
    };
    let claim_author = item.and_then(|i| first_agent(i, "author"));
    let claim_date = item
        .and_then(|i| text(i, "datePublished"))
        .map(|d| date(&field("itemReviewed datePublished"), d))
        .transpose()?;

    // 2. The claim.
    let claim = claim(w, article.as_ref(), claim_text, out)?;

    // 3. The verdict.
    let new = NewVerdict {
        claim,
        rating: scale,
        alternate_name: alternate.to_string(),
        author: author.as_ref().map(|a| a.name.clone()),
        date_published: published,
        url,
        note: None,
        details: ReviewDetails {
            author_type: author.as_ref().and_then(|a| a.kind),
            author_url: author.and_then(|a| a.url),
            claim_author,
            claim_date,
        },
    };
    let tx = w.tx();
    let existing = match id {
        Some(id) => verdicts::get(tx, id)?,
        None => verdicts::of_claim(tx, claim)?
            .into_iter()
            .find(|e| e.alternate_name == new.alternate_name && e.author == new.author && e.url == new.url),
    };
    match existing {
        Some(e) if e.claim != new.claim => {
            return Err(Error::Conflict {
                entity: Entity::Verdict,
                detail: format!("ClaimReview {n}: verdict {} exists on another claim", e.id),
            });
        }
        Some(e)
            if id.is_some()
                && (e.rating != new.rating
                    || e.alternate_name != new.alternate_name
                    || e.author != new.author
                    || e.date_published != new.date_published
                    || e.url != new.url
                    || as_exported(&e.details, e.author.is_some())
                        != as_exported(&new.details, new.author.is_some())) =>
        {
            return Err(Error::Conflict {
                entity: Entity::Verdict,
                detail: format!(
                    "ClaimReview {n}: verdict {} is in the ledger with another rating or other details \
                     ({:?} there, {:?} here); a review's @id names one review",
                    e.id, e.alternate_name, new.alternate_name
                ),
            });
        }
        Some(_) => out.verdicts_existing += 1,
        None => {
            verdicts::insert(tx, id.unwrap_or_default(), &new).map_err(|e| match e {
                Error::InvalidInput { field: f, reason } => Error::invalid(field(&f), reason),
                other => other,
            })?;
            out.verdicts_created += 1;
        }
    }
    Ok(())
}

/// Finds or creates the article a review's `appearance` names.
fn article(w: &mut Writer<'_>, a: &Map<String, Value>, field: &str, out: &mut ClaimReviewImport) -> Result<Document> {
    let url = text(a, "url");
    let headline = text(a, "headline").or_else(|| text(a, "name"));
    let tx = w.tx();
    if let Some(u) = url
        && let Some(d) = documents::find_documents_by_identifier(tx, u)?.into_iter().next()
    {
        return Ok(d);
    }
    if url.is_none()
        && let Some(h) = headline
        && let Some(d) =
            documents::find_documents_by_title(tx, h)?.into_iter().find(|d| d.kind == DocumentKind::Article)
    {
        return Ok(d);
    }
    let title = headline.or(url).ok_or_else(|| Error::invalid(field, "has neither url nor headline"))?;
    let mut doc = NewDocument::new(DocumentKind::Article, title);
    doc.identifier = url.map(str::to_string);
    doc.published = text(a, "datePublished").map(|d| date(&format!("{field} datePublished"), d)).transpose()?;
    doc.creators = names(a, "author");
    doc.publisher = names(a, "publisher").into_iter().next();
    out.documents_created += 1;
    w.add_document(&doc)
}

/// Finds or creates the claim a review rates.
fn claim(
    w: &mut Writer<'_>,
    article: Option<&Document>,
    claim_text: &str,
    out: &mut ClaimReviewImport,
) -> Result<ClaimId> {
    if let Some(a) = article
        && let Some(rev) = documents::latest_revision(w.tx(), a.id)?
    {
        let norm = crate::quotecheck::normalize_for_selectors(&rev.text, &[]);
        let (hits, _) = selector::find(&rev.text, &norm, &Selector { exact: claim_text, ..Default::default() });
        if let [hit] = hits.as_slice() {
            let covering = claims::of_revision(w.tx(), rev.id)?
                .into_iter()
                .filter(|c| c.span.start <= hit.start && hit.end <= c.span.end)
                .min_by_key(|c| c.span.len());
            if let Some(c) = covering {
                return Ok(c.id);
            }
            out.claims_created += 1;
            return Ok(w.add_claim(&NewClaim::new(Span::new(rev.id, hit.start, hit.end)))?.id);
        }
    }
    // A claim document holding the claim's text.
    let title = claim_title(claim_text);
    let link = article.map(|a| a.id.to_string());
    let found = documents::find_documents_by_title(w.tx(), &title)?.into_iter().find(|d| {
        d.kind == DocumentKind::Other && d.metadata.get(APPEARANCE_KEY).is_some_and(|v| v.as_str() == link.as_deref())
    });
    let doc = match found {
        Some(d) => d,
        None => {
            let mut d = NewDocument::new(DocumentKind::Other, title);
            d.metadata.insert(APPEARANCE_KEY.into(), link.clone().map(Value::String).unwrap_or(Value::Null));
            out.documents_created += 1;
            w.add_document(&d)?
        }
    };
    let rev = w.add_revision(doc.id, &NewRevision::new(claim_text))?;
    let span = Span::new(rev.id, 0, rev.text.len());
    if let Some(c) = claims::at(w.tx(), &span)? {
        return Ok(c.id);
    }
    out.claims_created += 1;
    Ok(w.add_claim(&NewClaim::new(span))?.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_of_feeds() {
        assert_eq!(whole("x", &json!(3)).unwrap(), 3);
        assert_eq!(whole("x", &json!("4")).unwrap(), 4);
        assert_eq!(whole("x", &json!(5.0)).unwrap(), 5);
        assert_eq!(whole("x", &json!(" 2 ")).unwrap(), 2);
        assert!(whole("x", &json!(2.5)).unwrap_err().is_invalid_input());
        assert!(whole("x", &json!("high")).unwrap_err().is_invalid_input());
        assert_eq!(date("d", "2023-09-20T10:00:00Z").unwrap(), time::macros::date!(2023 - 09 - 20));
        assert!(date("d", "20 Sept").unwrap_err().is_invalid_input());
        assert_eq!(claim_title("short"), "short");
        assert_eq!(claim_title(&"é".repeat(150)).chars().count(), 101);
    }

    #[test]
    fn feeds_of_every_shape_are_collected() {
        let cr = json!({"@type": "ClaimReview", "claimReviewed": "x"});
        let shapes = [
            cr.clone(),
            json!([cr.clone(), {"@type": "Thing"}]),
            json!({"@type": "DataFeed", "dataFeedElement": [cr.clone()]}),
            json!({"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [cr.clone()]}]}),
            json!({"@graph": [cr.clone()]}),
            json!({"@type": "https://schema.org/ClaimReview"}),
        ];
        for s in &shapes {
            let mut out = Vec::new();
            collect(s, 0, &mut out).unwrap();
            assert_eq!(out.len(), 1, "{s}");
        }
        let mut deep = cr;
        for _ in 0..40 {
            deep = json!([deep]);
        }
        assert!(collect(&deep, 0, &mut Vec::new()).unwrap_err().is_invalid_input());
    }
}
