//! Normalisation of observations into stable snapshot values.
//!
//! Two runs against the same healthy vendor must produce the same value: every id the run
//! generated is replaced by its placeholder name wherever it appears (also inside messages),
//! timestamps become `[timestamp]`, and maps are sorted. The API key is already redacted by
//! the target before an observation exists.

use serde_json::{Map, Value, json};

use crate::fixtures::Fixture;
use crate::observation::Observation;

/// What every timestamp becomes.
pub const TIMESTAMP: &str = "[timestamp]";

/// The stable form of `observation`: status, content type, body and the batches afterwards.
pub fn normalise(observation: &Observation, fixture: &Fixture) -> Value {
    let names = fixture.names();
    let body = match &observation.response.json {
        Some(json) => stabilise(json, &names, None),
        None => Value::String(replace_ids(&observation.response.text, &names)),
    };
    let batches: Vec<Value> = observation
        .batches
        .iter()
        .map(|files| match files {
            Ok(ids) => Value::Array(
                ids.iter()
                    .map(|id| Value::String(replace_ids(id, &names)))
                    .collect(),
            ),
            Err(_) => Value::String("[unreadable]".to_owned()),
        })
        .collect();
    let mut snapshot = json!({
        "status": observation.response.status,
        "contentType": observation.response.content_type,
        "body": body,
        "batchesAfter": batches,
    });
    if !observation.earlier.is_empty() {
        snapshot["earlierStatuses"] = json!(observation.earlier);
    }
    stabilise(&snapshot, &[], None)
}

fn replace_ids(text: &str, names: &[(String, String)]) -> String {
    names
        .iter()
        .filter(|(id, _)| !id.is_empty())
        .fold(text.to_owned(), |text, (id, name)| text.replace(id, name))
}

/// Sorts maps, names ids and timestamps; `key` is the field `value` stands under.
fn stabilise(value: &Value, names: &[(String, String)], key: Option<&str>) -> Value {
    match value {
        Value::String(s) => Value::String(replace_ids(s, names)),
        Value::Number(_) if key.is_some_and(is_timestamp_field) => {
            Value::String(TIMESTAMP.to_owned())
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| stabilise(v, names, None)).collect())
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let sorted: Map<String, Value> = keys
                .into_iter()
                .map(|k| (replace_ids(k, names), stabilise(&map[k], names, Some(k))))
                .collect();
            Value::Object(sorted)
        }
        other => other.clone(),
    }
}

/// `createdAt`, `updatedAt`, `deletedAt`, `timestamp`...
fn is_timestamp_field(key: &str) -> bool {
    key.ends_with("At") || key.eq_ignore_ascii_case("timestamp")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Response;

    fn fixture(suffix: &str) -> Fixture {
        Fixture {
            classification_id: format!("cls-{suffix}"),
            batch_ids: vec![format!("batch-{suffix}")],
            files: vec![
                (0, format!("file-{suffix}1")),
                (0, format!("file-{suffix}2")),
            ],
        }
    }

    fn observation(f: &Fixture) -> Observation {
        let body = json!({"status": "error", "message": format!("file {} not found", f.files[0].1),
            "deletedAt": 1_712_547_789_609_u64, "a": 1});
        Observation {
            earlier: vec![],
            response: Response {
                status: 404,
                content_type: Some("application/json".into()),
                text: body.to_string(),
                json: Some(body),
            },
            batches: vec![Ok(vec![f.files[1].1.clone()])],
        }
    }

    #[test]
    fn two_runs_with_other_ids_normalise_alike() {
        let (one, two) = (fixture("aaa"), fixture("bbbbbb"));
        assert_eq!(
            normalise(&observation(&one), &one),
            normalise(&observation(&two), &two)
        );
    }

    #[test]
    fn ids_in_messages_and_timestamps_get_names_and_maps_are_sorted() {
        let f = fixture("x");
        let value = normalise(&observation(&f), &f);
        assert_eq!(value["body"]["message"], "file [fileId:0] not found");
        assert_eq!(value["body"]["deletedAt"], TIMESTAMP);
        assert_eq!(value["batchesAfter"], json!([["[fileId:1]"]]));
        let keys: Vec<&String> = value["body"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["a", "deletedAt", "message", "status"]);
    }
}
