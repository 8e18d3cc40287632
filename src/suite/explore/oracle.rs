//! The oracle: for any request a case can describe, what the contract makes it expect, in the
//! vocabulary of a case file, so that the suite's own checks judge it and a finding is saved
//! as it was judged.
//!
//! It follows the hand-written cases: a credential other than an account's exact key is
//! refused (a 4xx) and changes nothing; a deleteFiles body the docs make invalid is exactly
//! 400; a delete of what the account holds is exactly 200 and removes exactly that; a delete
//! naming anything else may be refused or accepted as a no-op, and removes at most what it
//! named and the account held; another account's key changes nothing of this one's; a read of
//! what the account holds succeeds, of anything else is refused.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::contract::case::{
    Auth, BodySpec, Expect, FixtureSpec, Placeholder, RequestSpec, StatusPattern,
};
use crate::contract::endpoint::{Endpoint, MediaType};

/// An id field as the oracle sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Id {
    /// Fixture classification N.
    Classification(usize),
    /// Fixture batch N.
    Batch(usize),
    /// Fixture file N.
    File(usize),
    /// Any other string: an id the account does not hold.
    Other,
}

/// What the fixture holds, for the oracle: each batch's classification, each file's batch.
struct Held<'a> {
    spec: &'a FixtureSpec,
    file_batches: Vec<usize>,
}

impl<'a> Held<'a> {
    fn new(spec: &'a FixtureSpec) -> Self {
        let file_batches = spec
            .batches
            .iter()
            .enumerate()
            .flat_map(|(b, batch)| std::iter::repeat_n(b, batch.files))
            .collect();
        Held { spec, file_batches }
    }

    /// What a string names.
    fn id(&self, text: &str) -> Id {
        let inner = text
            .strip_prefix("{{")
            .and_then(|rest| rest.strip_suffix("}}"))
            .filter(|inner| !inner.contains("{{"));
        match inner.and_then(Placeholder::parse) {
            Some(Placeholder::Classification(n)) if n < self.spec.classification_count() => {
                Id::Classification(n)
            }
            Some(Placeholder::Batch(n)) if n < self.spec.batches.len() => Id::Batch(n),
            Some(Placeholder::File(n)) if n < self.file_batches.len() => Id::File(n),
            _ => Id::Other,
        }
    }

    /// The classification of batch `b`.
    fn classification_of(&self, b: usize) -> Option<usize> {
        self.spec.batches.get(b).map(|batch| batch.classification)
    }

    /// The batch of file `f`.
    fn batch_of(&self, f: usize) -> Option<usize> {
        self.file_batches.get(f).copied()
    }

    /// Whether `classification` and `batch` name a batch of the fixture in that
    /// classification: its number.
    fn batch_in(&self, classification: Id, batch: Id) -> Option<usize> {
        match (classification, batch) {
            (Id::Classification(c), Id::Batch(b)) if self.classification_of(b) == Some(c) => {
                Some(b)
            }
            _ => None,
        }
    }
}

/// What must come back, and what the request may do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Outcome {
    status: Vec<StatusPattern>,
    deleted: Vec<usize>,
    may_delete: Vec<usize>,
    deleted_batches: Vec<usize>,
    added: Vec<usize>,
}

const OK: StatusPattern = StatusPattern::Exact(200);
const SUCCESS: StatusPattern = StatusPattern::Class(2);
const REFUSED: StatusPattern = StatusPattern::Class(4);
const BAD_BODY: StatusPattern = StatusPattern::Exact(400);

impl Outcome {
    fn status(status: &[StatusPattern]) -> Outcome {
        Outcome {
            status: status.to_vec(),
            ..Outcome::default()
        }
    }

    /// The outcome when the body went as another media type than JSON: what a success would
    /// have done may happen, and a refusal is as good.
    fn lenient(self) -> Outcome {
        let succeeds = self.status.iter().any(|p| p.matches(200));
        if !succeeds {
            return Outcome::status(&[REFUSED]);
        }
        let mut may_delete = self.deleted;
        may_delete.extend(self.may_delete);
        Outcome {
            status: vec![self.status[0], REFUSED],
            deleted: Vec::new(),
            may_delete,
            deleted_batches: self.deleted_batches,
            added: self.added,
        }
    }
}

fn string<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    object.get(field).and_then(Value::as_str)
}

/// Whether the body of a request is a JSON object, and which.
enum Sent<'a> {
    NoBody,
    Malformed,
    NotAnObject,
    Object(Map<String, Value>),
    Form(&'a [(String, String)], usize),
}

fn sent(body: &BodySpec) -> Sent<'_> {
    let value = match body {
        BodySpec::None => return Sent::NoBody,
        BodySpec::Form { fields, files } => return Sent::Form(fields, *files),
        BodySpec::Json(value) => value.clone(),
        BodySpec::Raw(text) => match serde_json::from_str(text) {
            Ok(value) => value,
            Err(_) => return Sent::Malformed,
        },
    };
    match value {
        Value::Object(object) => Sent::Object(object),
        _ => Sent::NotAnObject,
    }
}

/// Whether the request says its body is JSON (a charset parameter allowed).
fn says_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';').next().is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case(MediaType::Json.as_str())
        })
    })
}

fn delete_files(object: &Map<String, Value>, held: &Held<'_>, valid: bool) -> Outcome {
    let ids = object.get("fileIds").and_then(Value::as_array);
    let (Some(classification), Some(batch), Some(ids)) = (
        string(object, "classificationId"),
        string(object, "batchId"),
        ids,
    ) else {
        return Outcome::status(&[if valid { BAD_BODY } else { REFUSED }]);
    };
    let Some(ids) = ids.iter().map(Value::as_str).collect::<Option<Vec<&str>>>() else {
        return Outcome::status(&[if valid { BAD_BODY } else { REFUSED }]);
    };
    let scope = held.batch_in(held.id(classification), held.id(batch));
    let (Some(b), true) = (scope, valid) else {
        return Outcome::status(&[OK, REFUSED]);
    };
    let mut in_batch: Vec<usize> = Vec::new();
    // Whether an id names anything but a file of the batch.
    let mut names_other = false;
    for id in &ids {
        match held.id(id) {
            Id::File(f) if held.batch_of(f) == Some(b) => {
                if !in_batch.contains(&f) {
                    in_batch.push(f);
                }
            }
            _ => names_other = true,
        }
    }
    let twice = counts(ids.iter().copied()).values().any(|n| *n > 1);
    if ids.is_empty() {
        Outcome::status(&[OK, REFUSED])
    } else if !names_other && !twice {
        Outcome {
            deleted: in_batch,
            ..Outcome::status(&[OK])
        }
    } else {
        Outcome {
            may_delete: in_batch,
            ..Outcome::status(&[OK, REFUSED])
        }
    }
}

fn delete_batch(object: &Map<String, Value>, held: &Held<'_>, valid: bool) -> Outcome {
    let (Some(classification), Some(batch)) = (
        string(object, "classificationId"),
        string(object, "batchId"),
    ) else {
        return Outcome::status(&[REFUSED]);
    };
    match (
        held.batch_in(held.id(classification), held.id(batch)),
        valid,
    ) {
        (Some(b), true) => Outcome {
            deleted_batches: vec![b],
            ..Outcome::status(&[OK])
        },
        _ => Outcome::status(&[OK, REFUSED]),
    }
}

fn delete_classification(object: &Map<String, Value>, held: &Held<'_>, valid: bool) -> Outcome {
    let Some(classification) = string(object, "classificationId") else {
        return Outcome::status(&[REFUSED]);
    };
    match (held.id(classification), valid) {
        (Id::Classification(c), true) => Outcome {
            deleted_batches: (0..held.spec.batches.len())
                .filter(|b| held.classification_of(*b) == Some(c))
                .collect(),
            ..Outcome::status(&[OK])
        },
        _ => Outcome::status(&[OK, REFUSED]),
    }
}

fn get_results(object: &Map<String, Value>, held: &Held<'_>, valid: bool) -> Outcome {
    let (Some(classification), Some(batch)) = (
        string(object, "classificationId"),
        string(object, "batchId"),
    ) else {
        return Outcome::status(&[REFUSED]);
    };
    let scope = held.batch_in(held.id(classification), held.id(batch));
    let (Some(b), true) = (scope, valid) else {
        return Outcome::status(&[REFUSED]);
    };
    let file = object.get("fileId");
    let own_file = match file {
        None => true,
        Some(Value::String(id)) => {
            matches!(held.id(id), Id::File(f) if held.batch_of(f) == Some(b))
        }
        Some(_) => false,
    };
    if own_file {
        Outcome::status(&[SUCCESS])
    } else {
        Outcome::status(&[SUCCESS, REFUSED])
    }
}

fn view_classification(object: &Map<String, Value>, held: &Held<'_>, valid: bool) -> Outcome {
    match (
        string(object, "classificationId").map(|c| held.id(c)),
        valid,
    ) {
        (Some(Id::Classification(_)), true) => Outcome::status(&[SUCCESS]),
        _ => Outcome::status(&[REFUSED]),
    }
}

fn create_classification(object: &Map<String, Value>) -> Outcome {
    let Some(details) = object
        .get("classificationDetails")
        .and_then(Value::as_object)
    else {
        return Outcome::status(&[REFUSED]);
    };
    let Some(name) = details.get("name") else {
        return Outcome::status(&[REFUSED]);
    };
    let plain_name = name.as_str().is_some_and(|n| n.contains("{{runMarker}}"));
    let plain_types = details
        .get("documentTypes")
        .and_then(Value::as_array)
        .is_some_and(|types| !types.is_empty() && types.iter().all(Value::is_object));
    if plain_name && plain_types {
        Outcome::status(&[SUCCESS])
    } else {
        // The docs are loose on the details' shape: a vendor may accept more.
        Outcome::status(&[SUCCESS, REFUSED])
    }
}

fn upload(fields: &[(String, String)], files: usize, held: &Held<'_>, valid: bool) -> Outcome {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    };
    let classification = field("classificationId").map(|c| held.id(c));
    let refused = Outcome::status(&[REFUSED]);
    let (Some(Id::Classification(c)), true, true) = (classification, valid, files > 0) else {
        return refused;
    };
    match field("batchId") {
        None => Outcome::status(&[SUCCESS]),
        // A blank batchId may be taken for none (a new batch), or refused.
        Some(blank) if blank.trim().is_empty() => Outcome::status(&[SUCCESS, REFUSED]),
        Some(batch) => match held.batch_in(Id::Classification(c), held.id(batch)) {
            Some(b) => {
                let mut added = vec![0; b + 1];
                added[b] = files;
                Outcome {
                    added,
                    ..Outcome::status(&[SUCCESS])
                }
            }
            None => refused,
        },
    }
}

/// What the contract makes a request expect: `request` with placeholders for the ids of the
/// fixture `spec` (its classification 0 the run's own), in the vocabulary of a case file.
pub fn expect(request: &RequestSpec, spec: &FixtureSpec) -> Expect {
    let held = Held::new(spec);
    let outcome = outcome(request, &held);
    Expect {
        status: outcome.status,
        content_type: MediaType::Json.as_str().to_owned(),
        schema: None,
        body: Map::new(),
        deleted: outcome.deleted,
        may_delete: outcome.may_delete,
        deleted_batches: outcome.deleted_batches,
        added: outcome.added,
    }
}

fn outcome(request: &RequestSpec, held: &Held<'_>) -> Outcome {
    let Some(endpoint) = request.endpoint() else {
        return Outcome::status(&[REFUSED]);
    };
    if !request.auth.is_key() {
        return Outcome::status(&[REFUSED]);
    }
    let valid = request.auth == Auth::Valid;
    let body = sent(&request.body);
    if endpoint == Endpoint::UploadFiles {
        return match body {
            Sent::Form(fields, files) => upload(fields, files, held, valid),
            _ => Outcome::status(&[REFUSED]),
        };
    }
    let object = match body {
        Sent::Object(object) => object,
        Sent::NoBody | Sent::Malformed | Sent::NotAnObject | Sent::Form(..) => {
            let documented = endpoint == Endpoint::DeleteFiles && valid;
            return Outcome::status(&[if documented { BAD_BODY } else { REFUSED }]);
        }
    };
    let strict = match endpoint {
        Endpoint::DeleteFiles => delete_files(&object, held, valid),
        Endpoint::DeleteBatch => delete_batch(&object, held, valid),
        Endpoint::DeleteClassification => delete_classification(&object, held, valid),
        Endpoint::GetResults => get_results(&object, held, valid),
        Endpoint::ViewClassification => view_classification(&object, held, valid),
        Endpoint::CreateClassification if valid => create_classification(&object),
        _ => Outcome::status(&[SUCCESS, REFUSED]),
    };
    if says_json(request.content_type.as_deref()) {
        strict
    } else {
        strict.lenient()
    }
}

/// Counts how often each id appears in a list.
fn counts<'a>(ids: impl IntoIterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut counts = HashMap::new();
    for id in ids {
        *counts.entry(id).or_default() += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::contract::case::{Case, load_dir};

    fn cases() -> Vec<Case> {
        load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_placeholder_names_a_fixture_id_only_within_the_fixture() {
        let spec = FixtureSpec::of(&[2, 1]);
        let held = Held::new(&spec);
        assert_eq!(held.id("{{classificationId}}"), Id::Classification(0));
        assert_eq!(held.id("{{classificationId:1}}"), Id::Other);
        assert_eq!(held.id("{{batchId:1}}"), Id::Batch(1));
        assert_eq!(held.id("{{batchId:2}}"), Id::Other);
        assert_eq!(held.id("{{fileId:2}}"), Id::File(2));
        assert_eq!(held.id("{{fileId:3}}"), Id::Other);
        assert_eq!(held.id("{{unknownId}}"), Id::Other);
        assert_eq!(held.id("x{{batchId:0}}"), Id::Other);
        assert_eq!(held.batch_of(2), Some(1));
        assert_eq!(held.classification_of(1), Some(0));
    }

    #[test]
    fn a_blank_batch_id_in_an_upload_may_be_taken_for_none_or_refused_and_an_unknown_one_is_refused()
     {
        let upload = |batch: &str| {
            let text = format!(
                r#"{{"description": "d", "fixture": {{"batches": [1]}},
                "request": {{"method": "POST", "path": "/documentClassification/uploadFiles",
                "form": {{"fields": {{"classificationId": "{{{{classificationId}}}}",
                "batchId": "{batch}"}}, "files": 1}}}},
                "expect": {{"status": "2xx"}}}}"#
            );
            let case = Case::parse(
                Path::new("cases/upload-files/x.json"),
                "upload-files/x",
                &text,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let mut statuses: Vec<String> = expect(&case.request, &case.fixture)
                .status
                .iter()
                .map(ToString::to_string)
                .collect();
            statuses.sort();
            statuses
        };
        assert_eq!(upload(" "), ["2xx", "4xx"]);
        assert_eq!(upload("{{unknownId}}"), ["4xx"]);
        assert_eq!(upload("{{batchId}}"), ["2xx"]);
    }

    /// Every case whose request is sent once: its statuses and effects (the documented body
    /// values a case may add are the cases' own).
    #[test]
    fn the_oracle_expects_what_the_hand_written_cases_expect() {
        let mut compared = 0;
        for case in cases() {
            if case.request.repeat > 1 {
                continue;
            }
            let expected = expect(&case.request, &case.fixture);
            let mut statuses = case.expect.status.clone();
            let mut mine = expected.status.clone();
            statuses.sort_by_key(ToString::to_string);
            mine.sort_by_key(ToString::to_string);
            assert_eq!(mine, statuses, "{}: status", case.name);
            assert_eq!(
                expected.deleted, case.expect.deleted,
                "{}: deleted",
                case.name
            );
            assert_eq!(
                expected.may_delete, case.expect.may_delete,
                "{}: mayDelete",
                case.name
            );
            assert_eq!(
                expected.deleted_batches, case.expect.deleted_batches,
                "{}: deletedBatches",
                case.name
            );
            let trimmed: Vec<usize> = {
                let mut added = case.expect.added.clone();
                while added.last() == Some(&0) {
                    added.pop();
                }
                added
            };
            assert_eq!(expected.added, trimmed, "{}: added", case.name);
            compared += 1;
        }
        assert!(compared > 100, "{compared}");
    }
}
