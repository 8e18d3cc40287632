//! A failure in the report: its kind, its name, the sentence, and its data as typed fields.

use serde::Serialize;
use serde_json::Value;

use crate::result::{Change, ChangeClass, EffectProblem, Failure, FailureKind, FileRef};

/// A failure: its aspect (`kind`), which failure of that aspect it is (`failure`), the
/// sentence, and its data.
#[derive(Serialize)]
pub(super) struct JsonFailure<'a> {
    kind: FailureKind,
    failure: &'static str,
    message: String,
    #[serde(flatten)]
    data: FailureData<'a>,
}

/// The typed fields of a failure; each failure sets those that are its own.
#[derive(Default, Serialize)]
struct FailureData<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<ChangeClass>,
    #[serde(skip_serializing_if = "Option::is_none")]
    drift: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documented: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    violation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excerpt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    of: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ids: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a FileRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waited_ms: Option<u128>,
}

/// `field` as a JSON pointer to a top-level field of the body.
fn pointer_to(field: &str) -> String {
    format!("/{}", field.replace('~', "~0").replace('/', "~1"))
}

fn json<T: Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// The name and data of a failure of the answer: its status, media type or body.
fn answer_data(failure: &Failure) -> (&'static str, FailureData<'_>) {
    let none = FailureData::default();
    match failure {
        Failure::Status {
            expected,
            actual,
            documented,
        } => (
            "status",
            FailureData {
                expected: json(expected),
                actual: json(actual),
                documented: *documented,
                ..none
            },
        ),
        Failure::EarlierStatus {
            request,
            of,
            actual,
        } => (
            "earlier-status",
            FailureData {
                expected: json(&["2xx"]),
                actual: json(actual),
                request: Some(*request),
                of: Some(*of),
                ..none
            },
        ),
        Failure::ContentType { expected, actual } => (
            "content-type",
            FailureData {
                expected: json(expected),
                actual: json(actual),
                ..none
            },
        ),
        Failure::NotJson { excerpt } => (
            "not-json",
            FailureData {
                excerpt: Some(excerpt),
                ..none
            },
        ),
        Failure::Schema { schema, violation } => (
            "schema",
            FailureData {
                schema: Some(schema),
                pointer: Some(violation.pointer.clone()),
                violation: Some(&violation.message),
                ..none
            },
        ),
        Failure::BodyField {
            field,
            expected,
            actual,
        } => (
            "body-field",
            FailureData {
                field: Some(field),
                pointer: Some(pointer_to(field)),
                expected: Some(expected.clone()),
                actual: actual.clone(),
                ..none
            },
        ),
        Failure::StatusWord {
            status,
            says,
            must_say,
        } => (
            "status-word",
            FailureData {
                pointer: Some(pointer_to("status")),
                expected: json(must_say),
                actual: json(says),
                status: Some(*status),
                ..none
            },
        ),
        // The other failures are dispatched elsewhere by `failure_json`.
        _ => ("", none),
    }
}

/// The name and data of a failure of what the request did to the data.
fn effect_data(failure: &Failure) -> (&'static str, FailureData<'_>) {
    let none = FailureData::default();
    match failure {
        Failure::Unreadable { batch, reason } => (
            "unreadable",
            FailureData {
                batch: Some(*batch),
                reason: Some(reason),
                ..none
            },
        ),
        Failure::Effect { file, problem } => {
            let (problem, status) = match problem {
                EffectProblem::DeletedByRefusal { status } => ("deleted-by-refusal", Some(*status)),
                EffectProblem::DeletedUnnamed => ("deleted-unnamed", None),
                EffectProblem::NotDeleted => ("not-deleted", None),
            };
            let data = FailureData {
                file: Some(file),
                problem: Some(problem),
                status,
                ..none
            };
            ("effect", data)
        }
        Failure::Added {
            batch,
            expected,
            ids,
        } => (
            "added",
            FailureData {
                batch: Some(*batch),
                expected: json(expected),
                actual: json(&ids.len()),
                ids: Some(ids),
                ..none
            },
        ),
        Failure::BatchGone { batch, id } | Failure::BatchRemains { batch, id } => (
            if matches!(failure, Failure::BatchGone { .. }) {
                "batch-gone"
            } else {
                "batch-remains"
            },
            FailureData {
                batch: Some(*batch),
                id: Some(id),
                ..none
            },
        ),
        // The other failures are dispatched elsewhere by `failure_json`.
        _ => ("", none),
    }
}

/// What changed, where, and from what to what.
fn drift_data(change: &Change) -> FailureData<'_> {
    let none = FailureData::default();
    let (drift, path, before, after, batch) = match change {
        Change::Status { before, after } => ("status", None, json(before), json(after), None),
        Change::ContentType { before, after } => {
            ("content-type", None, json(before), json(after), None)
        }
        Change::EarlierStatuses { before, after } => {
            ("earlier-statuses", None, json(before), json(after), None)
        }
        Change::FieldAdded { path } => ("field-added", Some(path), None, None, None),
        Change::FieldRemoved { path } => ("field-removed", Some(path), None, None, None),
        Change::TypeChanged {
            path,
            before,
            after,
        } => ("type-changed", Some(path), json(before), json(after), None),
        Change::Reworded {
            path,
            before,
            after,
        } => ("reworded", Some(path), json(before), json(after), None),
        Change::ValueChanged {
            path,
            before,
            after,
        } => (
            "value-changed",
            Some(path),
            Some(before.clone()),
            Some(after.clone()),
            None,
        ),
        Change::FilesLeft {
            batch,
            before,
            after,
        } => ("files-left", None, json(before), json(after), Some(*batch)),
    };
    FailureData {
        drift: Some(drift),
        path: path.map(String::as_str),
        before,
        after,
        batch,
        ..none
    }
}

/// A failure with its name and data; every variant is named here or in the function its
/// group is dispatched to.
pub(super) fn failure_json(failure: &Failure) -> JsonFailure<'_> {
    let none = FailureData::default();
    let (name, mut data) = match failure {
        Failure::Status { .. }
        | Failure::EarlierStatus { .. }
        | Failure::ContentType { .. }
        | Failure::NotJson { .. }
        | Failure::Schema { .. }
        | Failure::BodyField { .. }
        | Failure::StatusWord { .. } => answer_data(failure),
        Failure::Unreadable { .. }
        | Failure::Effect { .. }
        | Failure::Added { .. }
        | Failure::BatchGone { .. }
        | Failure::BatchRemains { .. } => effect_data(failure),
        Failure::Transport { cause } => (
            "transport",
            FailureData {
                cause: Some(cause),
                ..none
            },
        ),
        Failure::Setup { reason } => (
            "setup",
            FailureData {
                reason: Some(reason),
                ..none
            },
        ),
        Failure::Interrupted => ("interrupted", none),
        Failure::NotProcessed { batch, waited } => (
            "not-processed",
            FailureData {
                id: Some(batch),
                waited_ms: Some(waited.as_millis()),
                ..none
            },
        ),
        Failure::Drift(change) => ("drift", drift_data(change)),
        Failure::NoBaseline { pending } => (
            "no-baseline",
            FailureData {
                pending: Some(pending.display().to_string()),
                ..none
            },
        ),
    };
    data.change = failure.change_class();
    JsonFailure {
        kind: failure.kind(),
        failure: name,
        message: failure.message(),
        data,
    }
}
