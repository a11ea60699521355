//! CSL-JSON: documents as citation items, for reference managers and citation
//! processors (Zotero, citeproc-js, citeproc-py, pandoc).
//!
//! **Export** ([`Ledger::export_csl`]): a JSON array of items, one per
//! document of the scope (by ID):
//!
//! | CSL | from |
//! | --- | --- |
//! | `id` | the item's original CSL `id` when the document came from a CSL import, else the document's ID |
//! | `type` | the kind: `article` → `article-newspaper`, `report` → `report`, `email` → `personal_communication`, `interview` → `interview`, `court_filing` → `legal_case`, `web_page` → `webpage`, `other` → `document` (or the imported type) |
//! | `title` | the title |
//! | `author` | the creators: `Family, Given` as `{"family", "given"}`, any other name as `{"literal"}` |
//! | `issued` | the publication date as `{"date-parts": [[y, m, d]]}` |
//! | `container-title` | the publisher of an outlet: newspapers, magazines, journals, web sites and blogs (`article-newspaper`, `article-magazine`, `article-journal`, `webpage`, `post`, `post-weblog`), which is what styles print as the outlet |
//! | `publisher` | the publisher of anything else (reports, books, ...) |
//! | `URL` | the identifier |
//! | `number-of-pages` | the pages of the latest revision, when it has page breaks |
//!
//! Fields an import could not map exactly onto the model are kept in the
//! document's metadata under `csl` (`page`, `DOI`, `editor`, partial dates, the
//! original `type` when the kind does not map back to it, ...) and written back
//! as they were, over the fields above: an imported item exports again as it
//! was, field for field.
//!
//! **Import** ([`Ledger::import_csl`]): an array of items (or one item) creates
//! documents without text, in one transaction, one document per distinct item.
//! Every item is first held to the official CSL data schema
//! (vendored in `src/formats/schema/`: fields, types, names, dates) with
//! calendar-valid integer date parts; the first item that fails refuses the
//! whole file with [`Error::InvalidInput`] naming the item (number and `id`) and
//! the field, and nothing is written. Two items with the same `id` and different
//! content are refused too (a CSL `id` names one item of a file).
//!
//! Merging is by two keys, neither of which can merge distinct items:
//!
//! - the `id` is a UUID the ledger has as a document ID (the ledger's own
//!   export): that document, left as it is;
//! - the item exports to exactly the CSL item a document imported before
//!   exported to (the SHA-256 of its canonical JSON, kept in the document's
//!   metadata as `csl_sha256`): that document, left as it is.
//!
//! Items that share only a URL or an `id` across files stay distinct. A new
//! document keeps the `id` as its ID when it is a UUID, else as `csl_id` in its
//! metadata (a string or number, exported again as it was, unless two
//! documents of an export share it: then both are written with their document
//! IDs, since an `id` names one item of a file). Types map back
//! (`article-newspaper`, `article-magazine`, `article` → article; `report`;
//! `personal_communication` → email; `interview`; `legal_case` → court filing;
//! `webpage`, `post`, `post-weblog` → web page; any other → other). Authors with
//! `family` become `Family, Given`, others their `literal` name. A full `issued`
//! date becomes the publication date; an outlet's `container-title` (or else its
//! `publisher`), and any other item's `publisher`, become the publisher. An item
//! without a title is refused (the ledger's documents have titles).

use super::csl_schema;
use super::{Records, Scope};
use crate::storage::documents;
use crate::{ContentHash, Document, DocumentId, DocumentKind, Error, Ledger, NewDocument, Result};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The metadata key keeping CSL fields the model does not hold exactly.
pub const METADATA_KEY: &str = "csl";
/// The metadata key keeping an item's CSL `id` when it is not the document's ID.
pub const ID_KEY: &str = "csl_id";
/// The metadata key keeping the SHA-256 of the CSL item a document was imported as.
pub const DIGEST_KEY: &str = "csl_sha256";
/// The largest CSL-JSON input accepted (256 MiB).
pub const MAX_INPUT: usize = 256 << 20;

/// What [`Ledger::import_csl`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CslImport {
    /// Items read.
    pub items: usize,
    /// Documents created.
    pub created: usize,
    /// Items the ledger held already (or that repeat an earlier item of the file).
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

/// CSL types whose publisher is an outlet, written as `container-title` (what
/// styles print after the title: the newspaper, magazine, journal or site).
pub fn is_outlet(csl: &str) -> bool {
    matches!(csl, "article-newspaper" | "article-magazine" | "article-journal" | "webpage" | "post" | "post-weblog")
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
    let ymd: Vec<i64> = first
        .as_array()?
        .iter()
        .map(|p| p.as_i64().or_else(|| p.as_str()?.trim().parse().ok()))
        .collect::<Option<_>>()?;
    let [y, m, d] = ymd.as_slice() else { return None };
    let month = time::Month::try_from(u8::try_from(*m).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(*y).ok()?, month, u8::try_from(*d).ok()?).ok()
}

/// The fields the model gives an item (before kept fields go over them).
struct Fields<'a> {
    kind: DocumentKind,
    title: &'a str,
    creators: &'a [String],
    published: Option<time::Date>,
    publisher: Option<&'a str>,
    identifier: Option<&'a str>,
    pages: Option<usize>,
}

/// The item of a document: the model's fields, then the kept ones over them.
fn item_of(f: &Fields<'_>, id: Value, kept: &Map<String, Value>) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), id);
    let ty = kept.get("type").and_then(Value::as_str).unwrap_or(csl_type(f.kind)).to_string();
    o.insert("type".into(), json!(csl_type(f.kind)));
    o.insert("title".into(), json!(f.title));
    if !f.creators.is_empty() {
        o.insert("author".into(), Value::Array(f.creators.iter().map(|c| csl_name(c)).collect()));
    }
    if let Some(d) = f.published {
        o.insert("issued".into(), json!({"date-parts": [[d.year(), u8::from(d.month()), d.day()]]}));
    }
    if let Some(p) = f.publisher {
        // An outlet is the container; a kept `publisher` (an outlet item that
        // named its publisher so) keeps that place.
        if is_outlet(&ty) && !kept.contains_key("publisher") {
            o.insert("container-title".into(), json!(p));
        } else {
            o.insert("publisher".into(), json!(p));
        }
    }
    if let Some(u) = f.identifier {
        o.insert("URL".into(), json!(u));
    }
    if let Some(n) = f.pages.filter(|n| *n > 1) {
        o.insert("number-of-pages".into(), json!(n));
    }
    for (k, v) in kept {
        if k != "id" {
            o.insert(k.clone(), v.clone());
        }
    }
    Value::Object(o)
}

/// An `id` as the text that identifies it (`"7"` and `7` name the same item).
fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

/// The item of a document; with `original_id`, its kept CSL `id`.
fn item(doc: &Document, pages: Option<usize>, original_id: bool) -> Value {
    let kept = match doc.metadata.get(METADATA_KEY) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let id = doc.metadata.get(ID_KEY).filter(|v| original_id && (v.is_string() || v.is_number())).cloned();
    let fields = Fields {
        kind: doc.kind,
        title: &doc.title,
        creators: &doc.creators,
        published: doc.published,
        publisher: doc.publisher.as_deref(),
        identifier: doc.identifier.as_deref(),
        pages,
    };
    item_of(&fields, id.unwrap_or_else(|| json!(doc.id.to_string())), &kept)
}

/// The SHA-256 of an item's canonical JSON (keys sorted, no whitespace).
fn digest(item: &Value) -> String {
    ContentHash::of_bytes(item.to_string().as_bytes()).to_string()
}

/// How an item names itself in errors: `CSL item 3 (id "ITEM-3")`.
fn item_name(n: usize, item: &Value) -> String {
    match item.get("id") {
        Some(id @ (Value::String(_) | Value::Number(_))) => format!("CSL item {n} (id {id})"),
        _ => format!("CSL item {n}"),
    }
}

/// One item read and mapped: the document to create and the item it exports to.
struct Mapped {
    doc: NewDocument,
    uuid: Option<DocumentId>,
    exported: Value,
}

/// Maps a validated item onto the model, keeping what does not map exactly.
fn map_item(name: &str, o: &Map<String, Value>) -> Result<Mapped> {
    let title = o
        .get("title")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::invalid(name, "field `title`: is required by the ledger (documents have titles)"))?;
    let id = o.get("id").cloned().unwrap_or(Value::Null);
    let uuid = id.as_str().and_then(|s| s.trim().parse::<DocumentId>().ok());
    let ty = o.get("type").and_then(Value::as_str).unwrap_or("document");
    let kind = kind_of(ty);
    let creators: Vec<String> =
        o.get("author").and_then(Value::as_array).map(|a| a.iter().filter_map(creator).collect()).unwrap_or_default();
    let published = o.get("issued").and_then(full_date);
    let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let publisher =
        if is_outlet(ty) { text("container-title").or_else(|| text("publisher")) } else { text("publisher") };
    let identifier = text("URL");
    let fields = Fields { kind, title, creators: &creators, published, publisher, identifier, pages: None };
    // Keep the item's fields that what the model alone exports lacks or writes
    // otherwise, until the export gives every field back as it was (each round
    // keeps one field more, so this ends).
    let mut kept = Map::new();
    if csl_type(kind) != ty {
        kept.insert("type".into(), json!(ty));
    }
    let exported = loop {
        let e = item_of(&fields, id.clone(), &kept);
        let before = kept.len();
        for (k, v) in o {
            if k != "id" && e.get(k) != Some(v) {
                kept.insert(k.clone(), v.clone());
            }
        }
        if kept.len() == before {
            break e;
        }
    };
    let mut doc = NewDocument::new(kind, title);
    doc.creators = creators.clone();
    doc.published = published;
    doc.publisher = publisher.map(str::to_string);
    doc.identifier = identifier.map(str::to_string);
    if !kept.is_empty() {
        doc.metadata.insert(METADATA_KEY.into(), Value::Object(kept));
    }
    if uuid.is_none() {
        doc.metadata.insert(ID_KEY.into(), id);
    }
    doc.metadata.insert(DIGEST_KEY.into(), json!(digest(&exported)));
    Ok(Mapped { doc, uuid, exported })
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
    /// let mut doc = NewDocument::new(DocumentKind::Article, "Ferry costs rise");
    /// doc.creators = vec!["Lindqvist, Marta".into(), "Harbor Desk".into()];
    /// doc.publisher = Some("Harbor Herald".into());
    /// ledger.add_document(doc)?;
    /// let items = ledger.export_csl(Scope::Ledger)?;
    /// assert_eq!(items[0]["type"], "article-newspaper");
    /// assert_eq!(items[0]["container-title"], "Harbor Herald");
    /// assert_eq!(items[0]["author"][0]["family"], "Lindqvist");
    /// assert_eq!(items[0]["author"][1]["literal"], "Harbor Desk");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown document; database errors.
    pub fn export_csl(&self, scope: Scope) -> Result<Value> {
        let r = Records::collect(self, scope)?;
        // Original ids that two documents of the export share, or that equal
        // another document's ID, are not written: ids name one item of a file.
        let mut uses: HashMap<String, usize> = HashMap::new();
        for d in &r.documents {
            *uses.entry(d.id.to_string()).or_default() += 1;
            if let Some(id) = d.metadata.get(ID_KEY).filter(|v| v.is_string() || v.is_number()) {
                *uses.entry(id_text(id)).or_default() += 1;
            }
        }
        let mut out = Vec::new();
        for d in &r.documents {
            let pages = self.latest_revision(d.id)?.map(|rev| rev.pages().count());
            let own = d.metadata.get(ID_KEY).is_some_and(|id| uses.get(&id_text(id)).copied().unwrap_or(0) == 1);
            out.push(item(d, pages, own));
        }
        Ok(Value::Array(out))
    }

    /// Imports CSL-JSON items as documents without text (see the
    /// [module documentation](crate::formats::csl)), in one transaction.
    ///
    /// ```
    /// use claimledger::*;
    /// # fn main() -> claimledger::Result<()> {
    /// let mut ledger = Ledger::open_in_memory()?;
    /// let file = r#"[
    ///   {"id": "a", "type": "article-newspaper", "title": "Ferry costs", "container-title": "Harbor Herald", "URL": "https://herald.example/"},
    ///   {"id": "b", "type": "article-newspaper", "title": "Ferry delays", "container-title": "Harbor Herald", "URL": "https://herald.example/"}
    /// ]"#;
    /// assert_eq!(ledger.import_csl(file)?.created, 2, "a shared URL does not merge distinct items");
    /// assert_eq!(ledger.import_csl(file)?.existing, 2, "the same items again are the same documents");
    /// let bad = r#"[{"id": "c", "type": "book", "title": "T", "author": ["Jane Doe"]}]"#;
    /// let err = ledger.import_csl(bad).unwrap_err();
    /// assert!(err.is_invalid_input() && err.to_string().contains("author[0]"), "{err}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Json`] for text that is not JSON; [`Error::TooLarge`] over
    /// [`MAX_INPUT`]; [`Error::InvalidInput`] naming the item and field for an
    /// item the CSL data schema refuses, a date part that is not a calendar
    /// integer, an item without a title, or an `id` repeated with other content.
    /// Nothing is written on error.
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
        // Validate and map every item before writing anything.
        let mut mapped = Vec::with_capacity(items.len());
        let mut ids: HashMap<String, (usize, &Value)> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            let name = item_name(i + 1, it);
            let Some(o) = it.as_object() else {
                return Err(Error::invalid(name, format!("is {}, not an object", it)));
            };
            csl_schema::validate_item(it).map_err(|(field, why)| {
                let field = if field.is_empty() { String::new() } else { format!("field `{field}`: ") };
                Error::invalid(&name, format!("{field}{why}"))
            })?;
            if let Some(id) = o.get("id") {
                let key = id_text(id);
                if let Some((j, other)) = ids.get(&key)
                    && *other != *it
                {
                    return Err(Error::invalid(
                        &name,
                        format!("field `id`: {id} names item {} too, with other content", j + 1),
                    ));
                }
                ids.insert(key, (i, it));
            }
            mapped.push(map_item(&name, o)?);
        }
        let mut by_digest: HashMap<String, DocumentId> = HashMap::new();
        for d in self.documents()? {
            if let Some(s) = d.metadata.get(DIGEST_KEY).and_then(Value::as_str) {
                by_digest.entry(s.to_string()).or_insert(d.id);
            }
        }
        self.write_event(crate::EventKind::CslImport, None, |w| {
            let mut out = CslImport { items: mapped.len(), ..Default::default() };
            for m in mapped {
                if let Some(id) = m.uuid
                    && documents::get_document(w.tx(), id)?.is_some()
                {
                    out.existing += 1;
                    continue;
                }
                let key = digest(&m.exported);
                if by_digest.contains_key(&key) {
                    out.existing += 1;
                    continue;
                }
                let d = documents::insert_document(w.tx(), m.uuid.unwrap_or_default(), &m.doc)?;
                by_digest.insert(key, d.id);
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
        assert!(is_outlet(csl_type(DocumentKind::Article)) && is_outlet(csl_type(DocumentKind::WebPage)));
        assert!(!is_outlet(csl_type(DocumentKind::Report)));
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

    #[test]
    fn an_item_maps_to_what_it_exports() {
        let it = json!({"id": 37, "type": "article-newspaper", "title": "T", "container-title": "Herald",
            "issued": {"date-parts": [["1999", 12, 31]]}, "page": "1-10", "author": [{"family": "Doe", "given": "Jane"}]});
        let m = map_item("item", it.as_object().unwrap()).unwrap();
        assert_eq!(m.exported, it, "an imported item exports as it was");
        assert_eq!(m.doc.publisher.as_deref(), Some("Herald"));
        assert_eq!(m.doc.published, Some(time::macros::date!(1999 - 12 - 31)));
        let kept = m.doc.metadata[METADATA_KEY].as_object().unwrap();
        let mut keys: Vec<&str> = kept.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["issued", "page"], "string date parts are kept as written");
        assert_eq!(m.doc.metadata[ID_KEY], json!(37));
    }
}
