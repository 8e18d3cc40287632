//! What of a vendor's answer the mock can send as it is: its content type when it is not the
//! mock's own, each volatile value as a specimen of its shape, and whether a value still names
//! an id of the run (which the mock cannot copy).

use serde_json::Value;

use crate::contract::endpoint::MediaType;
use crate::result::Snapshot;
use crate::suite::verify::volatile::{TIMESTAMP, TOKEN, UUID, VOLATILE};

/// The `Content-Type` of `vendor`'s answer as it sent it, when it is not the mock's own
/// `application/json` byte for byte (`application/json; charset=utf-8` is kept as it is).
pub(super) fn content_type_of(vendor: &Snapshot) -> Option<String> {
    vendor
        .content_type
        .clone()
        .filter(|c| c != MediaType::Json.as_str())
}

/// What the mock sends for each volatile value a baseline names by its shape: a value of that
/// shape, which the run names alike (a vendor's request id or timestamp differs every time;
/// that it is there, and where, is what the mock can copy).
const SPECIMENS: [(&str, &str); 4] = [
    (UUID, "00000000-0000-4000-8000-000000000000"),
    (TIMESTAMP, "2026-01-01T00:00:00Z"),
    (TOKEN, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
    (VOLATILE, "volatile"),
];

/// `text` with each volatile value's name replaced by a specimen of its shape.
pub(super) fn specimen_text(text: &str) -> String {
    SPECIMENS
        .iter()
        .fold(text.to_owned(), |text, (name, specimen)| {
            text.replace(name, specimen)
        })
}

/// `value` with each volatile value's name replaced by a specimen of its shape.
pub(super) fn specimen(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(specimen_text(s)),
        Value::Array(items) => Value::Array(items.iter().map(specimen).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), specimen(v))).collect())
        }
        other => other.clone(),
    }
}

/// How the names a run gives the ids of its fixture, the ids a request handed out, and its
/// marker begin (`[classificationId]`, `[batchId:0]`, `[fileId:2]`, `[new:0]`, `[runMarker]`).
const RUN_NAMES: [&str; 5] = [
    "[classificationId",
    "[batchId",
    "[fileId",
    "[new:",
    "[runMarker",
];

/// Whether `text` names an id of the run.
pub(super) fn names_an_id(text: &str) -> bool {
    RUN_NAMES.iter().any(|name| text.contains(name))
}

/// Whether a value still holds a name the run gave, an id of its fixture: not a literal the
/// mock can send as it is.
pub(super) fn is_named(value: &Value) -> bool {
    match value {
        Value::String(s) => names_an_id(s),
        Value::Array(items) => items.iter().any(is_named),
        Value::Object(map) => map.values().any(is_named),
        _ => false,
    }
}
