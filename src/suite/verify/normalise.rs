//! Normalisation of an observation into a [`Snapshot`]: two runs against the same healthy
//! vendor must give the same value, so every id the run generated is replaced by its
//! placeholder name wherever it appears (also inside messages), timestamps become
//! `[timestamp]`, maps are sorted, and the keys the run holds become `[REDACTED]` (a snapshot
//! is written out; the checks have already seen the answer as it came).

use serde_json::{Map, Value};

use crate::redact::Redactor;
use crate::result::{BatchAfter, BatchRead, Observation, Snapshot};
use crate::suite::fixture::Fixture;

/// What every timestamp becomes.
pub const TIMESTAMP: &str = "[timestamp]";
/// What a batch that could not be read back becomes.
pub const UNREADABLE: &str = "[unreadable]";

/// The stable form of `observation`: status, content type, body and the batches afterwards.
pub fn normalise(observation: &Observation, fixture: &Fixture, redactor: &Redactor) -> Snapshot {
    let names = Names {
        ids: fixture.names(),
        redactor,
    };
    let body = match &observation.response.json {
        Some(json) => stabilise(json, &names, None),
        None => Value::String(names.replace(&observation.response.text)),
    };
    let batches_after = observation
        .batches
        .iter()
        .map(|read| match read {
            BatchRead::Listed(ids) => {
                BatchAfter::Files(ids.iter().map(|id| names.replace(id)).collect())
            }
            BatchRead::Unreadable(_) => BatchAfter::Unreadable(UNREADABLE.to_owned()),
        })
        .collect();
    Snapshot {
        batches_after,
        body,
        content_type: observation
            .response
            .content_type
            .as_deref()
            .map(|c| names.replace(c)),
        earlier_statuses: observation.earlier.clone(),
        status: observation.response.status,
    }
}

/// What text is stabilised with: the run's ids with their names, and the redactor.
struct Names<'a> {
    ids: Vec<(String, String)>,
    redactor: &'a Redactor,
}

impl Names<'_> {
    /// `text` with every id named and every secret redacted.
    fn replace(&self, text: &str) -> String {
        let named = self
            .ids
            .iter()
            .filter(|(id, _)| !id.is_empty())
            .fold(text.to_owned(), |text, (id, name)| text.replace(id, name));
        self.redactor.redact(&named)
    }
}

/// Sorts maps, names ids and timestamps; `key` is the field `value` stands under.
fn stabilise(value: &Value, names: &Names<'_>, key: Option<&str>) -> Value {
    match value {
        Value::Number(_) | Value::String(_) if key.is_some_and(is_timestamp_field) => {
            Value::String(TIMESTAMP.to_owned())
        }
        Value::String(s) if looks_like_a_date(s) => Value::String(TIMESTAMP.to_owned()),
        Value::String(s) => Value::String(names.replace(s)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| stabilise(v, names, None)).collect())
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let sorted: Map<String, Value> = keys
                .into_iter()
                .map(|k| (names.replace(k), stabilise(&map[k], names, Some(k))))
                .collect();
            Value::Object(sorted)
        }
        other => other.clone(),
    }
}

/// An RFC 3339 date or date-time, e.g. `2026-11-28T15:04:05Z`.
fn looks_like_a_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
}

/// `createdAt`, `updatedAt`, `deletedAt`, `timestamp`...
fn is_timestamp_field(key: &str) -> bool {
    key.ends_with("At") || key.eq_ignore_ascii_case("timestamp")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::ApiKey;
    use crate::result::Response;
    use serde_json::json;

    fn normalise(observation: &Observation, fixture: &Fixture) -> Snapshot {
        super::normalise(observation, fixture, &Redactor::default())
    }

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
            "deletedAt": 1_712_547_789_609_u64, "a": 1, "when": "2026-11-28T15:04:05Z"});
        Observation::new(
            vec![],
            Response::new(404, Some("application/json".into()), body.to_string()),
            vec![BatchRead::Listed(vec![f.files[1].1.clone()])],
        )
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
    fn a_key_the_vendor_echoes_is_redacted_in_the_snapshot() {
        let f = fixture("x");
        let body = json!({"status": "error", "message": "you sent Bearer sk-9f1"});
        let observed = Observation::new(
            vec![],
            Response::new(401, Some("application/json".into()), body.to_string()),
            vec![],
        );
        let redactor = Redactor::new([ApiKey::new("sk-9f1")]);
        let snapshot = super::normalise(&observed, &f, &redactor);
        assert_eq!(snapshot.body["message"], "you sent Bearer [REDACTED]");
    }

    #[test]
    fn ids_in_messages_and_timestamps_get_names_and_maps_are_sorted() {
        let f = fixture("x");
        let snapshot = normalise(&observation(&f), &f);
        assert_eq!(snapshot.body["message"], "file [fileId:0] not found");
        assert_eq!(snapshot.body["deletedAt"], TIMESTAMP);
        assert_eq!(snapshot.body["when"], TIMESTAMP);
        assert_eq!(
            snapshot.batches_after,
            [BatchAfter::Files(vec!["[fileId:1]".to_owned()])]
        );
        let keys: Vec<&String> = snapshot
            .body
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["a", "deletedAt", "message", "status", "when"]);
    }
}
