//! CSL-JSON: documents as citation items, for reference managers and citation
//! processors (Zotero, citeproc, pandoc).
//!
//! **Export** ([`Ledger::export_csl`]): a JSON array of items, one per
//! document of the scope (by ID):
//!
//! | CSL | from |
//! | --- | --- |
//! | `id` | the document's ID |
//! | `type` | the kind: `article` → `article-newspaper`, `report` → `report`, `email` → `personal_communication`, `interview` → `interview`, `court_filing` → `legal_case`, `web_page` → `webpage`, `other` → `document` |
//! | `title` | the title |
//! | `author` | the creators: `Family, Given` as `{"family", "given"}`, any other name as `{"literal"}` |
//! | `issued` | the publication date as `{"date-parts": [[y, m, d]]}` |
//! | `publisher`, `URL` | the publisher, the identifier |
//! | `number-of-pages` | the pages of the latest revision, when it has page breaks |
//!
//! Fields an import kept in the document's metadata under `csl` (the original
//! `type` when the kind does not map back to it, `container-title`, `page`,
//! `DOI`, a partial `issued`, names with particles, ...) are written back; the
//! fields above take precedence, but for a kept `author`.
//!
//! **Import** ([`Ledger::import_csl`]): an array of items (or one item) creates
//! documents without text, in one transaction. An item is the document the
//! ledger holds already, and is left as it is, when its `id` is that
//! document's ID, or when an earlier import of the same `id`, or a document with
//! the same `URL`, is there. Otherwise a document is created, keeping the `id` as
//! its ID when it is a UUID. Types map back (`article-newspaper`,
//! `article-magazine`, `article` → article; `report`; `personal_communication`
//! → email; `interview`; `legal_case` → court filing; `webpage`, `post`,
//! `post-weblog` → web page; any other → other). Authors with `family` become
//! `Family, Given`, others their `literal` name. A full `issued` date becomes
//! the publication date. An item without a title refuses the import
//! ([`Error::InvalidInput`] naming it) and nothing is written.

use super::{Records, Scope};
use crate::storage::documents;
use crate::*;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The metadata key keeping CSL fields that have no place in the ledger's model.
pub const METADATA_KEY: &str = "csl";
/// The metadata key keeping an item's CSL `id` when it is not a UUID.
pub const ID_KEY: &str = "csl_id";
/// The largest CSL-JSON input accepted (256 MiB).
pub const MAX_INPUT: usize = 256 << 20;

/// What [`Ledger::import_csl`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CslImport {
    /// Items read.
    pub items: usize,
    /// Documents created.
    pub created: usize,
    /// Items the ledger held already.
    pub existing: usize,
}

/// The CSL type of a document kind.
pub fn csl_type(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Article => "article-newspaper",
        DocumentKind::Report => "report",
        DocumentKind::Email => "personal_communication",
        DocumentKind::Interview => "interview",
        DocumentKind::CourtFiling => "legal_case",
        DocumentKind::WebPage => "webpage",
        _ => "document",
    }
}

/// The document kind of a CSL type.
pub fn kind_of(csl: &str) -> DocumentKind {
    match csl {
        "article-newspaper" | "article-magazine" | "article" => DocumentKind::Article,
        "report" => DocumentKind::Report,
        "personal_communication" => DocumentKind::Email,
        "interview" => DocumentKind::Interview,
        "legal_case" => DocumentKind::CourtFiling,
        "webpage" | "post" | "post-weblog" => DocumentKind::WebPage,
        _ => DocumentKind::Other,
    }
}

/// A creator's name as a CSL name: `Family, Given` splits, others are literal.
fn csl_name(name: &str) -> Value {
    let parts: Vec<&str> = name.split(", ").collect();
    match parts.as_slice() {
        [family, given] if !family.trim().is_empty() && !given.trim().is_empty() && !given.contains(',') => {
            json!({"family": family, "given": given})
        }
        _ => json!({"literal": name}),
    }
}

/// A CSL name as a creator: `Family, Given`, `Family`, or the literal name.
fn creator(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    if let Some(l) = s("literal") {
        return Some(l.to_string());
    }
    let family = [s("non-dropping-particle"), s("family")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let given = [s("given"), s("dropping-particle")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    match (family.is_empty(), given.is_empty()) {
        (false, false) => Some(format!("{family}, {given}")),
        (false, true) => Some(family),
        (true, false) => Some(given),
        (true, true) => None,
    }
}

/// A full `[[y, m, d]]` date.
fn full_date(issued: &Value) -> Option<time::Date> {
    let parts = issued.get("date-parts")?.as_array()?;
    let [first] = parts.as_slice() else { return None };
    let ymd: Vec<i64> =
        first.as_array()?.iter().map(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok())).collect::<Option<_>>()?;
    let [y, m, d] = ymd.as_slice() else { return None };
    let month = time::Month::try_from(u8::try_from(*m).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(*y).ok()?, month, u8::try_from(*d).ok()?).ok()
}

fn item(doc: &Document, pages: Option<usize>) -> Value {
    let mut o = match doc.metadata.get(METADATA_KEY) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    o.insert("id".into(), json!(doc.id.to_string()));
    let kept_type = o.get("type").and_then(Value::as_str).filter(|t| kind_of(t) == doc.kind).map(str::to_string);
    o.insert("type".into(), json!(kept_type.unwrap_or_else(|| csl_type(doc.kind).to_string())));
    o.insert("title".into(), json!(doc.title));
    // An `author` kept by an import is the original (the names did not map
    // losslessly); otherwise the creators.
    if !doc.creators.is_empty() && !o.contains_key("author") {
        o.insert("author".into(), Value::Array(doc.creators.iter().map(|c| csl_name(c)).collect()));
    }
    if let Some(d) = doc.published {
        o.insert("issued".into(), json!({"date-parts": [[d.year(), u8::from(d.month()), d.day()]]}));
    }
    if let Some(p) = &doc.publisher {
        o.insert("publisher".into(), json!(p));
    }
    if let Some(u) = &doc.identifier {
        o.insert("URL".into(), json!(u));
    }
    if let Some(n) = pages.filter(|n| *n > 1) {
        o.insert("number-of-pages".into(), json!(n));
    }
    Value::Object(o)
}

impl Ledger {
    /// The documents of `scope` as CSL-JSON items (see the
    /// [module documentation](crate::formats::csl)).
    ///
    /// ```
    /// use claimledger::*;
    /// use claimledger::formats::Scope;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let mut doc = NewDocument::new(DocumentKind::Report, "Harbour audit");
    /// doc.creators = vec!["Lindqvist, Marta".into(), "Office of the Inspector General".into()];
    /// ledger.add_document(doc)?;
    /// let items = ledger.export_csl(Scope::Ledger)?;
    /// assert_eq!(items[0]["type"], "report");
    /// assert_eq!(items[0]["author"][0]["family"], "Lindqvist");
    /// assert_eq!(items[0]["author"][1]["literal"], "Office of the Inspector General");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document; database errors.
    pub fn export_csl(&self, scope: Scope) -> Result<Value> {
        let r = Records::collect(self, scope)?;
        let mut out = Vec::new();
        for d in &r.documents {
            let pages = self.latest_revision(d.id)?.map(|rev| rev.pages().count());
            out.push(item(d, pages));
        }
        Ok(Value::Array(out))
    }

    /// Imports CSL-JSON items as documents without text (see the
    /// [module documentation](crate::formats::csl)), in one transaction.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] for text that is not JSON; [`Error::TooLarge`] over
    /// [`MAX_INPUT`]; [`Error::InvalidInput`] for an item that is not an object
    /// or has no title. Nothing is written on error.
    pub fn import_csl(&mut self, json: &str) -> Result<CslImport> {
        if json.len() > MAX_INPUT {
            return Err(Error::TooLarge { what: "CSL-JSON input", len: json.len(), max: MAX_INPUT });
        }
        let v: Value = serde_json::from_str(json).map_err(|source| Error::Json { what: "CSL-JSON".into(), source })?;
        let items: Vec<&Value> = match &v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) => vec![&v],
            _ => return Err(Error::invalid("CSL-JSON", "neither an array of items nor an item")),
        };
        // Earlier imports by CSL id, and documents by URL.
        let mut by_csl_id: HashMap<String, DocumentId> = HashMap::new();
        let mut by_url: HashMap<String, DocumentId> = HashMap::new();
        for d in self.documents()? {
            if let Some(id) = d.metadata.get(ID_KEY).and_then(Value::as_str) {
                by_csl_id.insert(id.to_string(), d.id);
            }
            if let Some(u) = &d.identifier {
                by_url.entry(u.clone()).or_insert(d.id);
            }
        }
        self.write(|w| {
            let mut out = CslImport { items: items.len(), ..Default::default() };
            for (i, it) in items.iter().enumerate() {
                let field = format!("CSL item {}", i + 1);
                let o = it.as_object().ok_or_else(|| Error::invalid(&field, "is not an object"))?;
                let csl_id = match o.get("id") {
                    Some(Value::String(s)) => Some(s.trim().to_string()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                };
                let uuid = csl_id.as_deref().and_then(|s| s.parse::<DocumentId>().ok());
                let url = o.get("URL").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
                let known = match uuid {
                    Some(id) if documents::get_document(w.tx(), id)?.is_some() => Some(id),
                    _ => csl_id
                        .as_ref()
                        .and_then(|c| by_csl_id.get(c))
                        .or_else(|| url.and_then(|u| by_url.get(u)))
                        .copied(),
                };
                if known.is_some() {
                    out.existing += 1;
                    continue;
                }
                let title = o
                    .get("title")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| Error::invalid(&field, "has no title"))?;
                let csl = o.get("type").and_then(Value::as_str).unwrap_or("document");
                let mut doc = NewDocument::new(kind_of(csl), title);
                doc.creators = o
                    .get("author")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(creator).collect())
                    .unwrap_or_default();
                doc.published = o.get("issued").and_then(full_date);
                doc.publisher = o.get("publisher").and_then(Value::as_str).map(str::to_string);
                doc.identifier = url.map(str::to_string);
                let mut rest = Map::new();
                for (k, v) in o {
                    let mapped = match k.as_str() {
                        "id" | "title" | "publisher" | "URL" => true,
                        "type" => csl_type(doc.kind) == csl,
                        "author" => v
                            .as_array()
                            .is_some_and(|a| a.iter().all(|x| creator(x).is_some_and(|c| csl_name(&c) == *x))),
                        "issued" => doc.published.is_some(),
                        _ => false,
                    };
                    if !mapped {
                        rest.insert(k.clone(), v.clone());
                    }
                }
                if !rest.is_empty() {
                    doc.metadata.insert(METADATA_KEY.into(), Value::Object(rest));
                }
                if uuid.is_none()
                    && let Some(c) = &csl_id
                {
                    doc.metadata.insert(ID_KEY.into(), Value::String(c.clone()));
                }
                let d = documents::insert_document(w.tx(), uuid.unwrap_or_default(), &doc)?;
                if let Some(c) = csl_id {
                    by_csl_id.insert(c, d.id);
                }
                if let Some(u) = &d.identifier {
                    by_url.entry(u.clone()).or_insert(d.id);
                }
                out.created += 1;
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_both_ways() {
        for k in DocumentKind::ALL {
            assert_eq!(kind_of(csl_type(*k)), *k, "{k}");
        }
        assert_eq!(kind_of("article-journal"), DocumentKind::Other);
        assert_eq!(kind_of("post-weblog"), DocumentKind::WebPage);
    }

    #[test]
    fn names_and_dates() {
        assert_eq!(csl_name("Lindqvist, Marta"), json!({"family": "Lindqvist", "given": "Marta"}));
        assert_eq!(csl_name("Harbor Authority"), json!({"literal": "Harbor Authority"}));
        assert_eq!(csl_name("Smith, Jones, and Co."), json!({"literal": "Smith, Jones, and Co."}));
        assert_eq!(creator(&json!({"family": "Lindqvist", "given": "Marta"})).unwrap(), "Lindqvist, Marta");
        assert_eq!(
            creator(&json!({"family": "Beethoven", "non-dropping-particle": "van", "given": "Ludwig"})).unwrap(),
            "van Beethoven, Ludwig"
        );
        assert_eq!(creator(&json!({"literal": "Harbor Authority"})).unwrap(), "Harbor Authority");
        assert!(creator(&json!({})).is_none());
        assert_eq!(full_date(&json!({"date-parts": [[2023, 9, 14]]})), Some(time::macros::date!(2023 - 09 - 14)));
        assert_eq!(full_date(&json!({"date-parts": [["2023", "9", "14"]]})), Some(time::macros::date!(2023 - 09 - 14)));
        assert_eq!(full_date(&json!({"date-parts": [[2023, 9]]})), None);
        assert_eq!(full_date(&json!({"date-parts": [[2023, 2, 30]]})), None);
        assert_eq!(full_date(&json!({"raw": "spring 2023"})), None);
    }
}
