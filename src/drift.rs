//! Drift: what changed between a recorded baseline observation and a new one, one precise
//! line per change, each classified breaking or additive.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// How much a change matters to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeClass {
    /// Something was added; a tolerant client keeps working.
    Additive,
    /// Something a client may rely on changed or went away.
    Breaking,
}

impl fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeClass::Additive => "additive",
            ChangeClass::Breaking => "breaking",
        })
    }
}

/// One difference between baseline and observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Breaking or additive.
    pub class: ChangeClass,
    /// What changed, e.g. `status 400 -> 422` or `field `deleteAll` added`.
    pub description: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description, self.class)
    }
}

/// Every change from `baseline` to `observed`, both normalised snapshot values.
pub fn diff(baseline: &Value, observed: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    let field = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    for (key, label) in [("status", "status"), ("contentType", "content type")] {
        let (before, after) = (field(baseline, key), field(observed, key));
        if before != after {
            changes.push(breaking(format!(
                "{label} {} -> {}",
                plain(&before),
                plain(&after)
            )));
        }
    }
    let earlier = (
        field(baseline, "earlierStatuses"),
        field(observed, "earlierStatuses"),
    );
    if earlier.0 != earlier.1 {
        changes.push(breaking(format!(
            "earlier statuses {} -> {}",
            earlier.0, earlier.1
        )));
    }
    diff_body(
        &field(baseline, "body"),
        &field(observed, "body"),
        "",
        &mut changes,
    );
    diff_batches(
        &field(baseline, "batchesAfter"),
        &field(observed, "batchesAfter"),
        &mut changes,
    );
    changes
}

fn breaking(description: String) -> Change {
    Change {
        class: ChangeClass::Breaking,
        description,
    }
}

/// A value as a person reads it: strings quoted, null as "none".
fn plain(value: &Value) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

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
    let name = if path.is_empty() {
        "body".to_owned()
    } else {
        format!("`{path}`")
    };
    match (baseline, observed) {
        (Value::Object(old), Value::Object(new)) => {
            let mut keys: Vec<&String> = old.keys().collect();
            keys.sort();
            for key in keys {
                let old_value = &old[key];
                match new.get(key) {
                    Some(new_value) => diff_body(old_value, new_value, &join(path, key), changes),
                    None => changes.push(breaking(format!("field `{}` removed", join(path, key)))),
                }
            }
            let mut added: Vec<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
            added.sort();
            for key in added {
                changes.push(Change {
                    class: ChangeClass::Additive,
                    description: format!("field `{}` added", join(path, key)),
                });
            }
        }
        (Value::Array(old), Value::Array(new)) if old.len() == new.len() => {
            for (n, (old_item, new_item)) in old.iter().zip(new).enumerate() {
                diff_body(old_item, new_item, &format!("{path}[{n}]"), changes);
            }
        }
        (old, new) if type_name(old) != type_name(new) => {
            changes.push(breaking(format!(
                "type of {name} {} -> {}",
                type_name(old),
                type_name(new)
            )));
        }
        (old, new) if old != new => {
            let label = if path.is_empty() {
                "body".to_owned()
            } else {
                path.to_owned()
            };
            changes.push(breaking(format!("{label} {old} -> {new}")));
        }
        _ => {}
    }
}

fn diff_batches(baseline: &Value, observed: &Value, changes: &mut Vec<Change>) {
    let empty = Vec::new();
    let old = baseline.as_array().unwrap_or(&empty);
    let new = observed.as_array().unwrap_or(&empty);
    for n in 0..old.len().max(new.len()) {
        let (before, after) = (
            old.get(n).unwrap_or(&Value::Null),
            new.get(n).unwrap_or(&Value::Null),
        );
        if before != after {
            changes.push(breaking(format!(
                "files left in batch {n} {} -> {}",
                files(before),
                files(after)
            )));
        }
    }
}

fn files(value: &Value) -> String {
    match value.as_array() {
        Some(ids) if ids.is_empty() => "none".to_owned(),
        Some(ids) => ids.iter().map(plain).collect::<Vec<_>>().join(", "),
        None => plain(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn observed(status: u16, body: Value) -> Value {
        json!({"status": status, "contentType": "application/json", "body": body, "batchesAfter": [["[fileId:1]"]]})
    }

    fn lines(changes: &[Change]) -> Vec<String> {
        changes.iter().map(ToString::to_string).collect()
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
                "status 400 -> 422 (breaking)",
                "field `code` removed (breaking)",
                "message \"Files deleted\" -> \"Files were deleted\" (breaking)",
                "type of `status` string -> boolean (breaking)",
                "field `deleteAll` added (additive)",
            ]
        );
    }

    #[test]
    fn a_content_type_and_an_effect_change_are_named() {
        let old = observed(200, json!({}));
        let mut new = observed(200, json!({}));
        new["contentType"] = json!("text/plain");
        new["batchesAfter"] = json!([[]]);
        assert_eq!(
            lines(&diff(&old, &new)),
            [
                "content type application/json -> text/plain (breaking)",
                "files left in batch 0 [fileId:1] -> none (breaking)",
            ]
        );
    }
}
