//! A message as a template: each id the case's request named becomes the field that named it,
//! so the mock fills in the ids of any request.

use serde_json::{Map, Value};

use crate::contract::case::{BodySpec, Case, Placeholder, placeholders};
use crate::suite::ledger::UNKNOWN_ID;

/// The name a placeholder gets in a snapshot: `[classificationId]`, `[batchId:1]`...
fn snapshot_name(placeholder: Placeholder) -> String {
    match placeholder {
        Placeholder::Classification(0) => "[classificationId]".to_owned(),
        Placeholder::Classification(n) => format!("[classificationId:{n}]"),
        Placeholder::Batch(n) => format!("[batchId:{n}]"),
        Placeholder::File(n) => format!("[fileId:{n}]"),
        Placeholder::Unknown => UNKNOWN_ID.to_owned(),
        Placeholder::Marker => "[runMarker]".to_owned(),
    }
}

/// Every field of a JSON body that holds exactly one placeholder, as `(path, snapshot name)`.
fn fields(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => {
            let mut found = placeholders(s);
            if let (Some(inner), None) = (found.next(), found.next()) {
                if s == &format!("{{{{{inner}}}}}") {
                    if let Some(placeholder) = Placeholder::parse(inner) {
                        out.push((path.to_owned(), snapshot_name(placeholder)));
                    }
                }
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                fields(item, &format!("{path}.{n}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                fields(item, &child, out);
            }
        }
        _ => {}
    }
}

/// A normalised message as a template: each id the case's request named becomes the field
/// that named it (`[batchId:0]` -> `{batchId}`), so the mock fills in the ids of any request.
pub fn template(message: &str, case: &Case) -> String {
    let mut named = Vec::new();
    match &case.request.body {
        BodySpec::Json(body) => fields(body, "", &mut named),
        BodySpec::Form { fields: form, .. } => {
            let as_json: Map<String, Value> = form
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            fields(&Value::Object(as_json), "", &mut named);
        }
        BodySpec::Raw(_) | BodySpec::None => {}
    }
    // The first field that named a value wins; the longest names first, so `[fileId:1]` is
    // never read inside `[fileId:12]`.
    let mut seen = Vec::new();
    named.retain(|(_, name)| {
        let first = !seen.contains(name);
        seen.push(name.clone());
        first
    });
    named.sort_by_key(|(_, name)| std::cmp::Reverse(name.len()));
    named
        .into_iter()
        .fold(message.to_owned(), |message, (path, name)| {
            message.replace(&name, &format!("{{{path}}}"))
        })
}
