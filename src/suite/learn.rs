//! Learning a vendor profile: each case's recorded observation of the vendor beside the
//! built-in mock's own observation of the same case, and the situation the mock saw in it
//! (which refusal, or none). Where they differ, the difference becomes a choice of the
//! profile, or a case it could not learn from, with why.

use serde_json::{Map, Value};

use super::ledger::UNKNOWN_ID;
use super::verify::volatile::{TIMESTAMP, TOKEN, UUID, VOLATILE};
use crate::contract::case::{BodySpec, Case, Placeholder, placeholders};
use crate::contract::endpoint::{Endpoint, MediaType};
use crate::contract::profile::{
    Accepted, EmptyList, LearnedRefusal, LearnedSuccess, NotLearned, PROFILE_SCHEMA_ID,
    PartlyUnknown, RefusalStatus, ResultsFileId, SuccessStatus, VendorProfile,
};
use crate::contract::situation::{RefusalKey, Situation};
use crate::result::{BatchAfter, Snapshot};

/// A JSON object.
type Object = Map<String, Value>;

/// What one case teaches.
#[derive(Debug, Clone, Copy)]
pub struct Lesson<'a> {
    /// The case.
    pub case: &'a Case,
    /// The vendor's observation, from the baseline.
    pub vendor: &'a Snapshot,
    /// The plain mock's observation.
    pub mock: &'a Snapshot,
    /// The situation the mock saw in the case's request: the refusal's, or `None` when it
    /// accepted it.
    pub situation: Option<&'a Situation>,
}

/// The profile the lessons teach; `learned_from` names the baseline.
pub fn learn(lessons: &[Lesson<'_>], learned_from: &str) -> VendorProfile {
    let mut profile = VendorProfile {
        schema: Some(PROFILE_SCHEMA_ID.to_owned()),
        learned_from: Some(learned_from.to_owned()),
        ..VendorProfile::default()
    };
    for lesson in lessons {
        if lesson.vendor == lesson.mock {
            continue;
        }
        if let Err(reason) = learn_one(&mut profile, lesson) {
            profile.not_learned.push(NotLearned {
                case: lesson.case.name.clone(),
                reason,
            });
        }
    }
    profile
}

/// The `Content-Type` of `vendor`'s answer as it sent it, when it is not the mock's own
/// `application/json` byte for byte (`application/json; charset=utf-8` is kept as it is).
fn content_type_of(vendor: &Snapshot) -> Option<String> {
    vendor
        .content_type
        .clone()
        .filter(|c| c != MediaType::Json.as_str())
}

/// Why the vendor's answer, neither 4xx nor 5xx, cannot be a profile's success: a status
/// without a body (204, 205, 304, a 1xx) or no 2xx at all.
fn success_status(vendor: &Snapshot) -> Result<Option<SuccessStatus>, String> {
    if vendor.status == 200 {
        return Ok(None);
    }
    SuccessStatus::new(vendor.status)
        .map(Some)
        .map_err(|_| format!(
            "the vendor answers {}, which a profile cannot hold: a success's status is {}, one whose answer carries a body",
            vendor.status,
            SuccessStatus::ALLOWED
        ))
}

/// One lesson into the profile, or why it cannot be.
fn learn_one(profile: &mut VendorProfile, lesson: &Lesson<'_>) -> Result<(), String> {
    let Some(endpoint) = lesson.case.request.endpoint() else {
        return Err("its request is to no endpoint of the catalogue".to_owned());
    };
    let (vendor, mock) = (lesson.vendor, lesson.mock);
    let refused = |status: u16| status >= 400;
    if !refused(vendor.status) {
        success_status(vendor)?;
    }
    match (
        refused(vendor.status),
        refused(mock.status),
        lesson.situation,
    ) {
        (true, true, Some(situation)) => {
            if vendor.batches_after != mock.batches_after {
                return Err(
                    "the vendor's refusal changed the data differently from the mock's".to_owned(),
                );
            }
            let refusal = refusal_of(lesson)?;
            let key = RefusalKey::new(endpoint, situation.clone());
            match profile.refusals.get(&key) {
                Some(known)
                    if (&known.status, &known.message, &known.content_type, &known.extra)
                        != (
                            &refusal.status,
                            &refusal.message,
                            &refusal.content_type,
                            &refusal.extra,
                        ) =>
                {
                    Err(format!(
                        "the vendor answers {} here and {} in {}, for what the mock takes as one situation ({key})",
                        answer(&refusal),
                        answer(known),
                        known.learned_from
                    ))
                }
                Some(_) => Ok(()),
                None => {
                    profile.refusals.insert(key, refusal);
                    Ok(())
                }
            }
        }
        (true, true, None) => Err("the mock refused it without saying which situation".to_owned()),
        (false, false, _) => {
            if endpoint == Endpoint::GetResults {
                if let Some(rule) = results_file_id(lesson, false)? {
                    adopt_file_id(profile, rule)?;
                }
            }
            learn_success(profile, lesson, endpoint.name())
        }
        // The body of the success is learned from the cases the mock accepts too; the check
        // of the learned mock tells whether it answers this one alike.
        (false, true, Some(Situation::EmptyFileIds))
            if vendor.batches_after == mock.batches_after =>
        {
            profile.behaviours.empty_file_ids = Some(EmptyList::Accept);
            Ok(())
        }
        (false, true, Some(Situation::PartlyUnknownFiles)) if deleted_some(vendor, mock) => {
            profile.behaviours.partly_unknown_file_ids = Some(PartlyUnknown::DeleteKnown);
            Ok(())
        }
        (false, true, Some(Situation::UnknownFile)) => match results_file_id(lesson, true)? {
            Some(rule) => adopt_file_id(profile, rule),
            None => Err(
                "the vendor accepts a fileId the batch does not hold, and its answer lists no files"
                    .to_owned(),
            ),
        },
        (false, true, Some(situation @ Situation::InvalidBody { signature: Some(_) }))
            if vendor.batches_after == mock.batches_after =>
        {
            profile
                .accepts
                .entry(RefusalKey::new(endpoint, situation.clone()))
                .or_insert_with(|| Accepted {
                    learned_from: lesson.case.name.clone(),
                });
            Ok(())
        }
        (false, true, situation) => Err(format!(
            "the vendor accepts what the mock refuses ({}), and no choice of the profile covers that",
            situation.map_or_else(|| "no situation".to_owned(), ToString::to_string)
        )),
        (true, false, _) => Err(
            "the vendor refuses what the mock accepts, and no choice of the profile covers that"
                .to_owned(),
        ),
    }
}

/// A refusal as a person reads it: `400 "Invalid batchId"`, and its content type when it is
/// not the mock's own.
fn answer(refusal: &LearnedRefusal) -> String {
    let mut text = format!("{} \"{}\"", refusal.status, refusal.message);
    if let Some(content_type) = &refusal.content_type {
        text.push_str(&format!(" as {content_type}"));
    }
    if !refusal.extra.is_empty() {
        text.push_str(&format!(" with {}", Value::Object(refusal.extra.clone())));
    }
    text
}

/// The ids of the files an answer lists (`files[].fileId`), if it lists files.
fn listed(snapshot: &Snapshot) -> Option<Vec<&str>> {
    snapshot
        .body
        .get("files")
        .and_then(Value::as_array)
        .map(|files| {
            files
                .iter()
                .filter_map(|file| file.get("fileId").and_then(Value::as_str))
                .collect()
        })
}

/// What a getResults lesson whose request names a `fileId` shows of that `fileId`: `None`
/// when the vendor lists the files the mock lists (nothing to learn). `unknown`: the mock
/// refused the file as one the batch does not hold.
fn results_file_id(lesson: &Lesson<'_>, unknown: bool) -> Result<Option<ResultsFileId>, String> {
    let names_file =
        matches!(&lesson.case.request.body, BodySpec::Json(body) if body.get("fileId").is_some());
    if !names_file {
        return Ok(None);
    }
    let Some(vendor) = listed(lesson.vendor) else {
        return Ok(None);
    };
    let mock = listed(lesson.mock);
    if !unknown && mock.as_ref() == Some(&vendor) {
        return Ok(None);
    }
    if unknown && vendor.is_empty() {
        return Ok(Some(ResultsFileId::FilterOrEmpty));
    }
    let whole_batch = lesson.vendor.batches_after.iter().any(|batch| {
        matches!(batch, BatchAfter::Files(ids) if !ids.is_empty() && ids.iter().map(String::as_str).eq(vendor.iter().copied()))
    });
    if whole_batch {
        return Ok(Some(ResultsFileId::Ignore));
    }
    Err(format!(
        "the vendor lists other files than the mock for a fileId ({} where the mock lists {})",
        vendor.join(", "),
        mock.map_or_else(|| "none".to_owned(), |ids| ids.join(", "))
    ))
}

/// `rule` as the profile's getResults `fileId`, unless an earlier case showed another.
fn adopt_file_id(profile: &mut VendorProfile, rule: ResultsFileId) -> Result<(), String> {
    match profile.behaviours.get_results_file_id {
        Some(known) if known != rule => Err(format!(
            "the vendor treats getResults' fileId as `{}` here and as `{}` in an earlier case",
            kebab(rule),
            kebab(known)
        )),
        _ => {
            profile.behaviours.get_results_file_id = Some(rule);
            Ok(())
        }
    }
}

/// A behaviour as the profile writes it (`filter-or-empty`).
fn kebab(rule: ResultsFileId) -> String {
    serde_json::to_value(rule)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Whether the vendor's answer deleted files the mock's refusal left (a partly unknown list,
/// deleted in part).
fn deleted_some(vendor: &Snapshot, mock: &Snapshot) -> bool {
    let count = |batches: &[BatchAfter]| -> usize {
        batches
            .iter()
            .map(|b| match b {
                BatchAfter::Files(ids) => ids.len(),
                BatchAfter::Note(_) => 0,
            })
            .sum()
    };
    count(&vendor.batches_after) < count(&mock.batches_after)
}

/// The vendor's refusal in the lesson as a profile's answer.
fn refusal_of(lesson: &Lesson<'_>) -> Result<LearnedRefusal, String> {
    let vendor = lesson.vendor;
    let status = RefusalStatus::new(vendor.status).map_err(|_| {
        format!(
            "the vendor refuses with {}, which a profile cannot hold: a refusal's status is {}, one whose answer carries a body",
            vendor.status,
            RefusalStatus::ALLOWED
        )
    })?;
    let Some(body) = vendor.body.as_object() else {
        return Err("the vendor's refusal body is not a JSON object".to_owned());
    };
    let Some(message) = body.get("message").and_then(Value::as_str) else {
        return Err("the vendor's refusal body has no `message`".to_owned());
    };
    let extra: Map<String, Value> = body
        .iter()
        .filter(|(key, _)| key.as_str() != "message")
        .map(|(k, v)| (k.clone(), specimen(v)))
        .collect();
    if let Some((key, value)) = extra.iter().find(|(_, v)| is_named(v)) {
        return Err(format!(
            "the vendor's `{key}` ({value}) holds an id the mock cannot make alike"
        ));
    }
    let message = specimen_text(&template(message, lesson.case));
    if names_an_id(&message) {
        return Err(format!(
            "the vendor's message \"{message}\" names an id its request did not send"
        ));
    }
    Ok(LearnedRefusal {
        status,
        message,
        content_type: content_type_of(vendor),
        extra,
        learned_from: lesson.case.name.clone(),
    })
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
fn specimen_text(text: &str) -> String {
    SPECIMENS
        .iter()
        .fold(text.to_owned(), |text, (name, specimen)| {
            text.replace(name, specimen)
        })
}

/// `value` with each volatile value's name replaced by a specimen of its shape.
fn specimen(value: &Value) -> Value {
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
fn names_an_id(text: &str) -> bool {
    RUN_NAMES.iter().any(|name| text.contains(name))
}

/// Whether a value still holds a name the run gave, an id of its fixture: not a literal the
/// mock can send as it is.
fn is_named(value: &Value) -> bool {
    match value {
        Value::String(s) => names_an_id(s),
        Value::Array(items) => items.iter().any(is_named),
        Value::Object(map) => map.values().any(is_named),
        _ => false,
    }
}

/// How `vendor` differs from `mock`, field by field: fields to set, fields to remove. For an
/// item of `files`, a value naming the item's own `fileId` (a URL, say) becomes a template
/// (`https://files.example/{fileId}`) the mock fills for each file.
fn shape(
    vendor: &Map<String, Value>,
    mock: &Map<String, Value>,
    item: bool,
) -> Result<(Map<String, Value>, Vec<String>), String> {
    let own_id = vendor
        .get("fileId")
        .and_then(Value::as_str)
        .filter(|_| item && vendor.len() > 1);
    let mut difference = Difference {
        own_id,
        item,
        set: Map::new(),
        remove: Vec::new(),
    };
    difference.between(vendor, mock, "")?;
    Ok((difference.set, difference.remove))
}

/// What [`shape`] collects: the fields to set and to remove, each named by its name at the
/// top (`deleteAll`) and by a JSON Pointer below it (`/classificationDetails/createdAt`).
struct Difference<'a> {
    /// The item's own `fileId`, which its other values may name.
    own_id: Option<&'a str>,
    /// Whether this is an item of `files`.
    item: bool,
    set: Map<String, Value>,
    remove: Vec<String>,
}

impl Difference<'_> {
    /// The name of `key` in the object at `pointer`.
    fn name(pointer: &str, key: &str) -> String {
        if pointer.is_empty() && !key.starts_with('/') {
            key.to_owned()
        } else {
            Self::pointer(pointer, key)
        }
    }

    /// The JSON Pointer of `key` in the object at `pointer`.
    fn pointer(pointer: &str, key: &str) -> String {
        format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
    }

    /// The differences between the objects `vendor` and `mock` found at `pointer`. A value
    /// the mock can send as it is is set whole; one that holds a name the run gave (an id,
    /// the run's marker) is followed into, where both are objects, so that the mock keeps
    /// what each request makes of it and changes only the rest.
    fn between(
        &mut self,
        vendor: &Map<String, Value>,
        mock: &Map<String, Value>,
        pointer: &str,
    ) -> Result<(), String> {
        for (key, value) in vendor {
            let top = pointer.is_empty();
            if (top && key == "files") || mock.get(key) == Some(value) {
                continue;
            }
            if self.item && top && key == "fileId" {
                return Err(format!(
                    "the vendor lists other files than the mock (its first is {value})"
                ));
            }
            let mut literal = specimen(value);
            if let (Some(id), Value::String(text)) = (self.own_id, &mut literal) {
                *text = text.replace(id, "{fileId}");
            }
            if !is_named(&literal) {
                self.set.insert(Self::name(pointer, key), literal);
                continue;
            }
            match (value, mock.get(key)) {
                (Value::Object(vendor), Some(Value::Object(mock))) => {
                    self.between(vendor, mock, &Self::pointer(pointer, key))?;
                }
                _ => {
                    return Err(format!(
                        "the vendor's `{}` ({literal}) holds an id or a timestamp the mock cannot make alike",
                        Self::name(pointer, key)
                    ));
                }
            }
        }
        self.remove.extend(
            mock.keys()
                .filter(|key| !vendor.contains_key(*key))
                .map(|key| Self::name(pointer, key)),
        );
        Ok(())
    }
}

/// The item of the vendor's `files` to learn each item's shape from, and the mock's item of
/// the same file: the first file both list, else the first of each.
fn items<'a>(vendor: &'a Object, mock: &'a Object) -> Option<(&'a Object, &'a Object)> {
    let files = |body: &'a Object| -> Vec<&'a Object> {
        body.get("files")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .collect()
    };
    let (vendor, mock) = (files(vendor), files(mock));
    vendor
        .iter()
        .find_map(|v| {
            let id = v.get("fileId")?;
            mock.iter()
                .find(|m| m.get("fileId") == Some(id))
                .map(|m| (*v, *m))
        })
        .or_else(|| Some((*vendor.first()?, *mock.first()?)))
}

/// The vendor's success in the lesson as the endpoint's learned success.
fn learn_success(
    profile: &mut VendorProfile,
    lesson: &Lesson<'_>,
    endpoint: &str,
) -> Result<(), String> {
    let (vendor, mock) = (lesson.vendor, lesson.mock);
    if vendor.earlier_statuses != mock.earlier_statuses {
        return Err("the earlier answers of the repeated request differ".to_owned());
    }
    let status = success_status(vendor)?;
    let (Some(vendor_body), Some(mock_body)) = (vendor.body.as_object(), mock.body.as_object())
    else {
        return Err("a success body is not a JSON object".to_owned());
    };
    let (set, remove) = shape(vendor_body, mock_body, false)?;
    let (file_set, file_remove) = match items(vendor_body, mock_body) {
        Some((vendor_file, mock_file)) => shape(vendor_file, mock_file, true)?,
        None => (Map::new(), Vec::new()),
    };
    let learned = LearnedSuccess {
        status,
        content_type: content_type_of(vendor),
        set,
        remove,
        file_set,
        file_remove,
        learned_from: vec![lesson.case.name.clone()],
    };
    let entry = profile
        .successes
        .entry(endpoint.to_owned())
        .or_insert_with(|| LearnedSuccess {
            learned_from: Vec::new(),
            ..learned.clone()
        });
    let same = entry.status == learned.status
        && entry.content_type == learned.content_type
        && entry.set == learned.set
        && entry.remove == learned.remove
        && entry.file_set == learned.file_set
        && entry.file_remove == learned.file_remove;
    if !same {
        return Err(format!(
            "the vendor's success here differs from its success in {}",
            entry.learned_from.join(", ")
        ));
    }
    entry.learned_from.push(lesson.case.name.clone());
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::profile::Behaviours;
    use serde_json::{Value as Json, json};
    use std::path::Path;

    fn case(name: &str) -> Case {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        Case::load(&dir, &dir.join(format!("{name}.json"))).unwrap_or_else(|e| panic!("{e}"))
    }

    fn snapshot(status: u16, body: Value, batch: &[&str]) -> Snapshot {
        Snapshot {
            batches_after: vec![BatchAfter::Files(
                batch.iter().map(|s| (*s).to_owned()).collect(),
            )],
            body,
            content_type: Some("application/json".to_owned()),
            earlier_statuses: vec![],
            status,
        }
    }

    #[test]
    fn a_refusal_is_learned_with_its_ids_as_a_template() {
        let case = case("delete-files/unknown-batch");
        let vendor = snapshot(
            400,
            json!({"status": "error", "message": "Invalid batchId extracta-contract-unknown-id in [classificationId]", "code": 7}),
            &["[fileId:0]", "[fileId:1]"],
        );
        let mock = snapshot(
            404,
            json!({"status": "error", "message": "x"}),
            &["[fileId:0]", "[fileId:1]"],
        );
        let profile = learn(
            &[Lesson {
                case: &case,
                vendor: &vendor,
                mock: &mock,
                situation: Some(&Situation::UnknownBatch),
            }],
            "snapshots/staging",
        );
        let learned = &profile.refusals["deleteFiles unknown-batch"];
        assert_eq!(learned.status, 400);
        assert_eq!(
            learned.message,
            "Invalid batchId {batchId} in {classificationId}"
        );
        assert_eq!(learned.extra.get("code"), Some(&json!(7)));
        assert!(profile.not_learned.is_empty());
    }

    #[test]
    fn an_accepted_empty_list_and_a_partial_delete_are_behaviours() {
        let empty = case("delete-files/empty-file-ids");
        let partly = case("delete-files/partly-unknown-file-ids");
        let success = json!({"status": "success", "message": "Files deleted"});
        let refusal = json!({"status": "error", "message": "x"});
        let two = ["[fileId:0]", "[fileId:1]"];
        let lessons = [
            Lesson {
                case: &empty,
                vendor: &snapshot(200, success.clone(), &two),
                mock: &snapshot(400, refusal.clone(), &two),
                situation: Some(&Situation::EmptyFileIds),
            },
            Lesson {
                case: &partly,
                vendor: &snapshot(200, success, &["[fileId:1]", "[fileId:2]"]),
                mock: &snapshot(404, refusal, &["[fileId:0]", "[fileId:1]", "[fileId:2]"]),
                situation: Some(&Situation::PartlyUnknownFiles),
            },
        ];
        let profile = learn(&lessons, "b");
        assert_eq!(profile.behaviours.empty_file_ids, Some(EmptyList::Accept));
        assert_eq!(
            profile.behaviours.partly_unknown_file_ids,
            Some(PartlyUnknown::DeleteKnown)
        );
        assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);
    }

    #[test]
    fn an_added_field_and_a_reworded_success_are_learned_and_a_contradiction_is_reported() {
        let one = case("delete-files/valid-one-file");
        let several = case("delete-files/valid-several-files");
        let mock = snapshot(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            &[],
        );
        let vendor = snapshot(
            200,
            json!({"status": "success", "message": "Files deleted", "deleteAll": false}),
            &[],
        );
        let other = snapshot(200, json!({"status": "success", "message": "Deleted"}), &[]);
        let profile = learn(
            &[
                Lesson {
                    case: &one,
                    vendor: &vendor,
                    mock: &mock,
                    situation: None,
                },
                Lesson {
                    case: &several,
                    vendor: &other,
                    mock: &mock,
                    situation: None,
                },
            ],
            "b",
        );
        assert_eq!(
            profile.successes["deleteFiles"].set.get("deleteAll"),
            Some(&json!(false))
        );
        assert_eq!(profile.not_learned.len(), 1);
        assert_eq!(
            profile.not_learned[0].case,
            "delete-files/valid-several-files"
        );
    }

    #[test]
    fn an_id_in_a_field_cannot_be_made_alike_and_says_so() {
        let one = case("delete-files/valid-one-file");
        let mock = snapshot(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            &[],
        );
        let vendor = snapshot(
            200,
            json!({"status": "success", "message": "Files deleted", "batch": "[batchId:0]"}),
            &[],
        );
        let profile = learn(
            &[Lesson {
                case: &one,
                vendor: &vendor,
                mock: &mock,
                situation: None,
            }],
            "b",
        );
        assert!(profile.successes.is_empty());
        assert!(
            profile.not_learned[0].reason.contains("`batch`"),
            "{:?}",
            profile.not_learned
        );
    }

    fn one(
        case: &Case,
        vendor: &Snapshot,
        mock: &Snapshot,
        situation: Option<&Situation>,
    ) -> VendorProfile {
        learn(
            &[Lesson {
                case,
                vendor,
                mock,
                situation,
            }],
            "b",
        )
    }

    #[test]
    fn a_status_that_carries_no_body_is_not_learned_and_says_why() {
        let refusal = json!({"status": "error", "message": "x"});
        let success = json!({"status": "success", "message": "Files deleted"});
        let two = ["[fileId:0]", "[fileId:1]"];
        let unknown = case("delete-files/unknown-batch");
        let empty = case("delete-files/empty-file-ids");
        let valid = case("delete-files/valid-one-file");
        let lessons = [
            // Refused by the mock, answered 304, 204 or 600 by the vendor.
            (
                &unknown,
                304,
                Json::Null,
                404,
                Some(Situation::UnknownBatch),
                "304",
            ),
            (
                &empty,
                204,
                Json::String(String::new()),
                400,
                Some(Situation::EmptyFileIds),
                "204",
            ),
            (
                &unknown,
                600,
                refusal.clone(),
                404,
                Some(Situation::UnknownBatch),
                "600",
            ),
            // A success the vendor answers 204.
            (&valid, 204, Json::String(String::new()), 200, None, "204"),
        ];
        for (case, status, body, mock_status, situation, named) in lessons {
            let vendor = snapshot(status, body, &two);
            let mock_body = if mock_status == 200 {
                success.clone()
            } else {
                refusal.clone()
            };
            let mock = snapshot(mock_status, mock_body, &two);
            let profile = one(case, &vendor, &mock, situation.as_ref());
            assert!(
                profile.refusals.is_empty() && profile.successes.is_empty(),
                "{profile:?}"
            );
            assert_eq!(profile.behaviours, Behaviours::default(), "{status}");
            assert_eq!(profile.not_learned.len(), 1, "{status}");
            assert!(
                profile.not_learned[0]
                    .reason
                    .contains(&format!("{named}, which a profile cannot hold")),
                "{:?}",
                profile.not_learned
            );
        }
    }

    #[test]
    fn a_content_type_is_learned_byte_for_byte_unless_it_is_the_mocks_own() {
        let unknown = case("delete-files/unknown-batch");
        let two = ["[fileId:0]", "[fileId:1]"];
        let mut vendor = snapshot(
            400,
            json!({"status": "error", "message": "Invalid batchId"}),
            &two,
        );
        vendor.content_type = Some("application/json; charset=utf-8".to_owned());
        let mock = snapshot(404, json!({"status": "error", "message": "x"}), &two);
        let profile = one(&unknown, &vendor, &mock, Some(&Situation::UnknownBatch));
        assert_eq!(
            profile.refusals["deleteFiles unknown-batch"]
                .content_type
                .as_deref(),
            Some("application/json; charset=utf-8")
        );
        vendor.content_type = Some("application/json".to_owned());
        let profile = one(&unknown, &vendor, &mock, Some(&Situation::UnknownBatch));
        assert_eq!(
            profile.refusals["deleteFiles unknown-batch"].content_type,
            None
        );

        let valid = case("delete-files/valid-one-file");
        let body = json!({"status": "success", "message": "Files deleted"});
        let mut vendor = snapshot(200, body.clone(), &[]);
        vendor.content_type = Some("application/json;charset=UTF-8".to_owned());
        let profile = one(&valid, &vendor, &snapshot(200, body, &[]), None);
        let learned = &profile.successes["deleteFiles"];
        assert_eq!(
            learned.content_type.as_deref(),
            Some("application/json;charset=UTF-8")
        );
        assert!(learned.set.is_empty() && learned.remove.is_empty());
        assert_eq!(profile.schema.as_deref(), Some(PROFILE_SCHEMA_ID));
    }

    #[test]
    fn a_field_inside_an_object_that_names_the_run_is_learned_by_its_pointer() {
        let case = case("view-classification/valid");
        let details = |created: bool| {
            let mut details =
                json!({"name": "extracta-contract run [runMarker]", "documentTypes": []});
            if created {
                details["createdAt"] = json!("[timestamp]");
            }
            details
        };
        let vendor = snapshot(
            200,
            json!({"status": "success", "classificationId": "[classificationId]", "classificationDetails": details(false), "region": "eu"}),
            &["[fileId:0]"],
        );
        let mock = snapshot(
            200,
            json!({"status": "success", "classificationId": "[classificationId]", "classificationDetails": details(true)}),
            &["[fileId:0]"],
        );
        let profile = one(&case, &vendor, &mock, None);
        let learned = &profile.successes["viewClassification"];
        assert_eq!(learned.remove, ["/classificationDetails/createdAt"]);
        assert_eq!(learned.set.get("region"), Some(&json!("eu")));
        assert!(
            !learned.set.contains_key("classificationDetails"),
            "{learned:?}"
        );
        assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);
    }

    #[test]
    fn what_get_results_does_with_a_file_id_is_learned() {
        let files = |ids: &[&str]| {
            json!({"status": "success", "classificationId": "[classificationId]", "batchId": "[batchId:0]",
                "files": ids.iter().map(|id| json!({"fileId": id, "status": "processed"})).collect::<Vec<_>>()})
        };
        let batch = ["[fileId:0]", "[fileId:1]"];
        let one_file = case("get-results/one-file");
        let vendor = snapshot(200, files(&batch), &batch);
        let mock = snapshot(200, files(&["[fileId:1]"]), &batch);
        let profile = one(&one_file, &vendor, &mock, None);
        assert_eq!(
            profile.behaviours.get_results_file_id,
            Some(ResultsFileId::Ignore)
        );
        assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);

        let unknown = case("get-results/unknown-file");
        let vendor = snapshot(200, files(&[]), &batch);
        let mock = snapshot(404, json!({"status": "error", "message": "x"}), &batch);
        let profile = one(&unknown, &vendor, &mock, Some(&Situation::UnknownFile));
        assert_eq!(
            profile.behaviours.get_results_file_id,
            Some(ResultsFileId::FilterOrEmpty)
        );
    }

    #[test]
    fn a_body_the_vendor_serves_though_the_schema_refuses_it_is_accepted() {
        let case = case("create-classification/document-types-as-object");
        let vendor = snapshot(
            200,
            json!({"status": "created", "classificationId": "[new:0]"}),
            &[],
        );
        let mock = snapshot(400, json!({"status": "error", "message": "x"}), &[]);
        let situation = Situation::InvalidBody {
            signature: Some("type:/classificationDetails/documentTypes".to_owned()),
        };
        let profile = one(&case, &vendor, &mock, Some(&situation));
        assert_eq!(
            profile
                .accepts
                .get("createClassification invalid-body type:/classificationDetails/documentTypes")
                .map(|a| a.learned_from.as_str()),
            Some("create-classification/document-types-as-object")
        );
    }
}
