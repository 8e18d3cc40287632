//! Drift: what changed between a recorded baseline and a new observation, one [`Change`] per
//! difference.

use serde_json::Value;

use super::media;
use crate::result::{Change, Snapshot};

/// Every change from `baseline` to `observed`.
pub fn diff(baseline: &Snapshot, observed: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    if baseline.status != observed.status {
        changes.push(Change::Status {
            before: baseline.status,
            after: observed.status,
        });
    }
    if !media::same(
        baseline.content_type.as_deref(),
        observed.content_type.as_deref(),
    ) {
        changes.push(Change::ContentType {
            before: baseline.content_type.clone(),
            after: observed.content_type.clone(),
        });
    }
    if baseline.earlier_statuses != observed.earlier_statuses {
        changes.push(Change::EarlierStatuses {
            before: baseline.earlier_statuses.clone(),
            after: observed.earlier_statuses.clone(),
        });
    }
    diff_body(&baseline.body, &observed.body, "", &mut changes);
    reword(&mut changes);
    let batches = baseline
        .batches_after
        .len()
        .max(observed.batches_after.len());
    for batch in 0..batches {
        let (before, after) = (
            baseline.batches_after.get(batch),
            observed.batches_after.get(batch),
        );
        if before != after {
            changes.push(Change::FilesLeft {
                batch,
                before: before.cloned(),
                after: after.cloned(),
            });
        }
    }
    changes
}

/// A `message` whose text changed is wording, when nothing else of the answer changed but
/// values: the same status, content type, types and fields.
fn reword(changes: &mut [Change]) {
    let only_values = changes
        .iter()
        .all(|c| matches!(c, Change::ValueChanged { .. }));
    if !only_values {
        return;
    }
    for change in changes.iter_mut() {
        if let Change::ValueChanged {
            path,
            before: Value::String(before),
            after: Value::String(after),
        } = change
        {
            if path.rsplit('.').next() == Some("message") {
                *change = Change::Reworded {
                    path: std::mem::take(path),
                    before: std::mem::take(before),
                    after: std::mem::take(after),
                };
            }
        }
    }
}

/// The JSON type of a value, as a change names it.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn diff_body(baseline: &Value, observed: &Value, path: &str, changes: &mut Vec<Change>) {
    match (baseline, observed) {
        (Value::Object(old), Value::Object(new)) => {
            let mut keys: Vec<&String> = old.keys().collect();
            keys.sort();
            for key in keys {
                match new.get(key) {
                    Some(new_value) => diff_body(&old[key], new_value, &join(path, key), changes),
                    None => changes.push(Change::FieldRemoved {
                        path: join(path, key),
                    }),
                }
            }
            let mut added: Vec<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
            added.sort();
            for key in added {
                changes.push(Change::FieldAdded {
                    path: join(path, key),
                });
            }
        }
        (Value::Array(old), Value::Array(new)) if old.len() == new.len() => {
            for (n, (old_item, new_item)) in old.iter().zip(new).enumerate() {
                diff_body(old_item, new_item, &format!("{path}[{n}]"), changes);
            }
        }
        (old, new) if type_name(old) != type_name(new) => changes.push(Change::TypeChanged {
            path: path.to_owned(),
            before: type_name(old),
            after: type_name(new),
        }),
        (old, new) if old != new => changes.push(Change::ValueChanged {
            path: path.to_owned(),
            before: old.clone(),
            after: new.clone(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{BatchAfter, ChangeClass};
    use serde_json::json;

    fn observed(status: u16, body: Value) -> Snapshot {
        Snapshot {
            batches_after: vec![BatchAfter::Files(vec!["[fileId:1]".to_owned()])],
            body,
            content_type: Some("application/json".to_owned()),
            earlier_statuses: vec![],
            status,
        }
    }

    fn lines(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| format!("{c} ({})", c.class()))
            .collect()
    }

    #[test]
    fn identical_observations_have_no_drift() {
        let value = observed(
            200,
            json!({"status": "success", "message": "Files deleted"}),
        );
        assert_eq!(diff(&value, &value), vec![]);
    }

    #[test]
    fn each_kind_of_change_reads_as_one_line() {
        let old = observed(
            400,
            json!({"status": "error", "message": "Files deleted", "code": 1}),
        );
        let new = observed(
            422,
            json!({"status": true, "message": "Files were deleted", "deleteAll": false}),
        );
        assert_eq!(
            lines(&diff(&old, &new)),
            [
                "HTTP status 400 -> 422 (breaking)",
                "field `code` removed (breaking)",
                // Reworded along with a status, a type and the fields: part of a breaking change.
                "field `message` \"Files deleted\" -> \"Files were deleted\" (breaking)",
                "type of `status` string -> boolean (breaking)",
                "field `deleteAll` added (additive)",
            ]
        );
    }

    #[test]
    fn a_reworded_message_is_wording_at_any_depth_and_another_field_is_not() {
        let old = observed(
            400,
            json!({"message": "Invalid batchId", "error": {"message": "a"}, "code": "X"}),
        );
        let new = observed(
            400,
            json!({"message": "Unknown batch", "error": {"message": "b"}, "code": "Y"}),
        );
        assert_eq!(
            lines(&diff(&old, &new)),
            [
                "field `code` \"X\" -> \"Y\" (breaking)",
                "field `error.message` \"a\" -> \"b\" (wording)",
                "field `message` \"Invalid batchId\" -> \"Unknown batch\" (wording)",
            ]
        );
        // A message that stops being text is a change of type, which breaks.
        let typed = observed(
            400,
            json!({"message": 3, "error": {"message": "a"}, "code": "X"}),
        );
        assert!(
            diff(&old, &typed)
                .iter()
                .any(|c| c.class() == ChangeClass::Breaking)
        );
    }

    #[test]
    fn a_content_type_and_an_effect_change_are_named() {
        let old = observed(200, json!({}));
        let mut new = observed(200, json!({}));
        new.content_type = Some("text/plain".to_owned());
        new.batches_after = vec![BatchAfter::Files(vec![])];
        assert_eq!(
            lines(&diff(&old, &new)),
            [
                "content type application/json -> text/plain (breaking)",
                "files left in batch 0 [fileId:1] -> none (breaking)",
            ]
        );
    }

    #[test]
    fn a_utf8_charset_on_json_coming_or_going_is_no_drift() {
        let old = observed(200, json!({}));
        for same in [
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
        ] {
            let mut new = observed(200, json!({}));
            new.content_type = Some(same.to_owned());
            assert_eq!(diff(&old, &new), vec![], "{same}");
            assert_eq!(diff(&new, &old), vec![], "{same}");
        }
        let mut problem = observed(200, json!({}));
        problem.content_type = Some("application/problem+json".to_owned());
        assert_eq!(
            lines(&diff(&old, &problem)),
            ["content type application/json -> application/problem+json (breaking)"]
        );
    }

    #[test]
    fn nested_fields_and_array_items_are_named_by_their_path() {
        let old = observed(
            200,
            json!({"data": {"files": [{"id": 1}, {"id": 2}], "ids": [1, 2]}}),
        );
        let new = observed(
            200,
            json!({"data": {"files": [{"id": 1}, {"id": "2"}], "ids": [1, 2, 3]}}),
        );
        assert_eq!(
            lines(&diff(&old, &new)),
            [
                "type of `data.files[1].id` number -> string (breaking)",
                "field `data.ids` [1,2] -> [1,2,3] (breaking)",
            ]
        );
    }

    #[test]
    fn statuses_answered_before_the_last_are_compared() {
        let old = observed(200, json!({}));
        let mut new = observed(200, json!({}));
        new.earlier_statuses = vec![429];
        assert_eq!(diff(&old, &new).len(), 1);
        assert_eq!(diff(&new, &new), vec![]);
    }
}
