//! Validation of CSL-JSON items against the official CSL data schema.
//!
//! The schema is the Citation Style Language project's `csl-data.json` (JSON
//! Schema draft-07), vendored as `src/formats/schema/csl-data.json` (MIT licence,
//! see `src/formats/schema/README.md`). This module interprets the keywords that
//! schema uses (`type`, `enum`, `properties`, `additionalProperties`, `required`,
//! `items`, `minItems`, `maxItems`, `anyOf`, `$ref` to its `definitions`);
//! a unit test holds that it uses no other validation keyword, so a newer
//! schema with one fails the build's tests instead of being half applied.
//!
//! On top of the schema, which lets any string or number be a date part, a
//! date part must be an integer (a number, or a string of digits): a year in
//! -9999..=9999, a month in 1..=12, a day in 1..=31 and valid for its month and
//! year. Those are what citation processors can render; anything else is
//! refused rather than exported as `1e+30`.

use serde_json::Value;
use std::sync::OnceLock;

/// The vendored schema text.
const SCHEMA: &str = include_str!("schema/csl-data.json");

/// The parsed schema (parsed once; the text is a constant checked by tests).
fn schema() -> &'static Value {
    static S: OnceLock<Value> = OnceLock::new();
    S.get_or_init(|| serde_json::from_str(SCHEMA).unwrap_or(Value::Null))
}

/// Where in an item a value failed, and why: (`author[0].family`, "…").
pub(crate) type Violation = (String, String);

/// Validates one item (an element of the schema's top-level array).
pub(crate) fn validate_item(item: &Value) -> Result<(), Violation> {
    let root = schema();
    let Some(items) = root.get("items") else {
        return Err((String::new(), "the vendored CSL schema has no `items`".into()));
    };
    check(items, root, item, "")?;
    dates(item)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "integer" => v.as_i64().is_some() || v.as_u64().is_some(),
        t => type_name(v) == t,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s }
}

/// Checks `v` against schema node `s`.
fn check(s: &Value, root: &Value, v: &Value, path: &str) -> Result<(), Violation> {
    let here = || if path.is_empty() { "the item".to_string() } else { path.to_string() };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let target = r
            .strip_prefix("#/definitions/")
            .and_then(|name| root.get("definitions")?.get(name))
            .ok_or_else(|| (here(), format!("the schema's reference {r} is unknown")))?;
        check(target, root, v, path)?;
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !types.iter().any(|t| has_type(v, t)) {
            return Err((here(), format!("is {} {}, expected {}", type_name(v), short(v), types.join(" or "))));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err((here(), format!("{} is not one of the schema's values", short(v))));
    }
    if let Some(alts) = s.get("anyOf").and_then(Value::as_array) {
        let mut first = None;
        for a in alts {
            match check(a, root, v, path) {
                Ok(()) => {
                    first = None;
                    break;
                }
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first {
            return Err(e);
        }
    }
    if let Value::Object(o) = v {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            for k in req.iter().filter_map(Value::as_str) {
                if !o.contains_key(k) {
                    return Err((join(path, k), "is required".into()));
                }
            }
        }
        for (k, x) in o {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(ps, root, x, &join(path, k))?,
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err((join(path, k), "is not a CSL field".into()));
                }
                None => {}
            }
        }
    }
    if let Value::Array(a) = v {
        let bound = |k: &str| s.get(k).and_then(Value::as_u64).map(|n| n as usize);
        if let Some(min) = bound("minItems")
            && a.len() < min
        {
            return Err((here(), format!("has {} elements, at least {min} expected", a.len())));
        }
        if let Some(max) = bound("maxItems")
            && a.len() > max
        {
            return Err((here(), format!("has {} elements, at most {max} expected", a.len())));
        }
        if let Some(each) = s.get("items") {
            for (i, x) in a.iter().enumerate() {
                check(each, root, x, &format!("{path}[{i}]"))?;
            }
        }
    }
    Ok(())
}

/// The date variables of the schema (every property that refers to its date definition).
fn date_fields() -> Vec<&'static str> {
    let props = schema().get("items").and_then(|i| i.get("properties")).and_then(Value::as_object);
    props
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.get("$ref").and_then(Value::as_str) == Some("#/definitions/date-variable"))
        .map(|(k, _)| k.as_str())
        .collect()
}

/// An integer date part: a JSON integer, or a string of ASCII digits (with a sign).
fn integer_part(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let t = s.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        }
        _ => None,
    }
}

/// The checks on date parts the schema leaves open.
fn dates(item: &Value) -> Result<(), Violation> {
    for field in date_fields() {
        let Some(parts) = item.get(field).and_then(|d| d.get("date-parts")).and_then(Value::as_array) else {
            continue;
        };
        for (i, p) in parts.iter().enumerate() {
            let Some(p) = p.as_array() else { continue };
            let path = format!("{field}.date-parts[{i}]");
            let mut ymd = [0i64; 3];
            for (j, x) in p.iter().enumerate() {
                let n = integer_part(x)
                    .ok_or_else(|| (format!("{path}[{j}]"), format!("{} is not an integer", short(x))))?;
                let (name, ok) = match j {
                    0 => ("year", (-9999..=9999).contains(&n)),
                    1 => ("month", (1..=12).contains(&n)),
                    _ => ("day", (1..=31).contains(&n)),
                };
                if !ok {
                    return Err((format!("{path}[{j}]"), format!("{name} {} is out of range", short(x))));
                }
                if let Some(slot) = ymd.get_mut(j) {
                    *slot = n;
                }
            }
            if p.len() == 3 {
                let valid = u8::try_from(ymd[1])
                    .ok()
                    .and_then(|m| time::Month::try_from(m).ok())
                    .zip(u8::try_from(ymd[2]).ok())
                    .and_then(|(m, d)| time::Date::from_calendar_date(ymd[0] as i32, m, d).ok());
                if valid.is_none() {
                    return Err((path, format!("{}-{}-{} is not a date", ymd[0], ymd[1], ymd[2])));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every keyword of the vendored schema is one this module applies, or an annotation.
    #[test]
    fn the_schema_uses_only_the_keywords_interpreted_here() {
        const APPLIED: &[&str] = &[
            "type",
            "enum",
            "properties",
            "additionalProperties",
            "required",
            "items",
            "minItems",
            "maxItems",
            "anyOf",
            "$ref",
            "definitions",
        ];
        const ANNOTATIONS: &[&str] = &["title", "description", "examples", "$schema", "$id", "$comment"];
        fn walk(v: &Value, in_properties: bool, seen: &mut Vec<String>) {
            match v {
                Value::Object(o) => {
                    for (k, x) in o {
                        if !in_properties && k != "examples" {
                            seen.push(k.clone());
                        }
                        if k != "examples" && k != "enum" {
                            walk(x, (k == "properties" || k == "definitions") && !in_properties, seen);
                        }
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, false, seen)),
                _ => {}
            }
        }
        assert!(schema().is_object(), "the vendored schema parses");
        let mut seen = Vec::new();
        walk(schema(), false, &mut seen);
        seen.sort();
        seen.dedup();
        for k in &seen {
            assert!(APPLIED.contains(&k.as_str()) || ANNOTATIONS.contains(&k.as_str()), "unhandled keyword {k}");
        }
        assert!(seen.len() > 10);
        assert!(date_fields().contains(&"issued") && date_fields().contains(&"accessed"));
    }

    fn err(v: Value) -> Violation {
        validate_item(&v).unwrap_err()
    }

    #[test]
    fn items_are_held_to_the_schema() {
        validate_item(&json!({"id": "a", "type": "article-newspaper", "title": "T", "container-title": "Herald",
            "author": [{"family": "Doe", "given": "Jane"}, {"literal": "Desk"}],
            "issued": {"date-parts": [["2023", 9, 14]]}, "custom": {"x": 1}}))
        .unwrap();
        validate_item(&json!({"id": 7, "type": "book", "issued": {"date-parts": [[-44, 3]]}})).unwrap();
        assert_eq!(err(json!({"type": "book"})).0, "id");
        assert_eq!(err(json!({"id": "a"})).0, "type");
        assert_eq!(err(json!({"id": {"x": 1}, "type": "book"})).0, "id");
        assert_eq!(err(json!({"id": "a", "type": "novel"})).0, "type");
        let (field, why) = err(json!({"id": "a", "type": "book", "author": ["Jane Doe"]}));
        assert_eq!(field, "author[0]");
        assert!(why.contains("expected object"), "{why}");
        assert_eq!(err(json!({"id": "a", "type": "book", "author": [{"name": "Doe"}]})).0, "author[0].name");
        assert_eq!(err(json!({"id": "a", "type": "book", "journal": "X"})).0, "journal");
        assert_eq!(err(json!({"id": "a", "type": "book", "title": 3})).0, "title");
        assert_eq!(err(json!({"id": "a", "type": "book", "issued": {"date-parts": [[]]}})).0, "issued.date-parts[0]");
    }

    #[test]
    fn date_parts_are_calendar_integers() {
        let e = err(json!({"id": "a", "type": "book", "issued": {"date-parts": [["abc"]]}}));
        assert_eq!(e.0, "issued.date-parts[0][0]");
        assert!(e.1.contains("not an integer"));
        let e = err(json!({"id": "a", "type": "book", "issued": {"date-parts": [[2020, 13]]}}));
        assert_eq!(e, ("issued.date-parts[0][1]".to_string(), "month 13 is out of range".to_string()));
        let e = err(json!({"id": "a", "type": "book", "issued": {"date-parts": [[1e30]]}}));
        assert_eq!(e.0, "issued.date-parts[0][0]");
        let e = err(json!({"id": "a", "type": "book", "accessed": {"date-parts": [[2023, 2, 30]]}}));
        assert_eq!(e.0, "accessed.date-parts[0]");
        assert!(
            err(json!({"id": "a", "type": "book", "issued": {"date-parts": [[2023.5]]}})).1.contains("not an integer")
        );
        validate_item(&json!({"id": "a", "type": "book", "issued": {"date-parts": [[2024, 2, 29]], "circa": true}}))
            .unwrap();
        validate_item(&json!({"id": "a", "type": "book", "issued": {"raw": "spring 2023"}})).unwrap();
    }
}
