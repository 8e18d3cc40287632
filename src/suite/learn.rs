//! Learning a vendor profile: each case's recorded observation of the vendor beside the
//! built-in mock's own observation of the same case, and the situation the mock saw in it
//! (which refusal, or none). Where they differ, the difference becomes a choice of the
//! profile, or a case it could not learn from, with why.

use serde_json::{Map, Value};

use super::ledger::UNKNOWN_ID;
use super::verify::volatile::{TIMESTAMP, TOKEN, UUID, VOLATILE};
use crate::contract::case::{BodySpec, Case, Placeholder, placeholders};
use crate::contract::profile::{
    EmptyList, LearnedRefusal, LearnedSuccess, NotLearned, PartlyUnknown, VendorProfile,
};
use crate::contract::situation::{RefusalKey, Situation};
use crate::result::{BatchAfter, Snapshot};

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
        schema: Some("../../schemas/vendor-profile.json".to_owned()),
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

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| {
        c.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    })
}

/// One lesson into the profile, or why it cannot be.
fn learn_one(profile: &mut VendorProfile, lesson: &Lesson<'_>) -> Result<(), String> {
    let Some(endpoint) = lesson.case.request.endpoint() else {
        return Err("its request is to no endpoint of the catalogue".to_owned());
    };
    let (vendor, mock) = (lesson.vendor, lesson.mock);
    let refused = |status: u16| status >= 400;
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
                    if known.status != refusal.status || known.message != refusal.message =>
                {
                    Err(format!(
                        "the vendor answers {} \"{}\" here and {} \"{}\" in {}, for what the mock takes as one situation ({key})",
                        refusal.status,
                        refusal.message,
                        known.status,
                        known.message,
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
        (false, false, _) => learn_success(profile, lesson, endpoint.name()),
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
        status: vendor.status,
        message,
        content_type: (!is_json(vendor.content_type.as_deref()))
            .then(|| vendor.content_type.clone())
            .flatten(),
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

/// How the names a run gives the ids of its fixture, and the ids a request handed out, begin
/// (`[classificationId]`, `[batchId:0]`, `[fileId:2]`, `[new:0]`).
const RUN_NAMES: [&str; 4] = ["[classificationId", "[batchId", "[fileId", "[new:"];

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
    let mut set = Map::new();
    for (key, value) in vendor {
        if key == "files" || mock.get(key) == Some(value) {
            continue;
        }
        if item && key == "fileId" {
            return Err(format!(
                "the vendor lists other files than the mock (its first is {value})"
            ));
        }
        let mut value = specimen(value);
        if let (Some(id), Value::String(text)) = (own_id, &mut value) {
            if key != "fileId" {
                *text = text.replace(id, "{fileId}");
            }
        }
        let value = &value;
        if is_named(value) {
            return Err(format!(
                "the vendor's `{key}` ({value}) holds an id or a timestamp the mock cannot make alike"
            ));
        }
        set.insert(key.clone(), value.clone());
    }
    let remove = mock
        .keys()
        .filter(|key| !vendor.contains_key(*key))
        .cloned()
        .collect();
    Ok((set, remove))
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
    let (Some(vendor_body), Some(mock_body)) = (vendor.body.as_object(), mock.body.as_object())
    else {
        return Err("a success body is not a JSON object".to_owned());
    };
    let (set, remove) = shape(vendor_body, mock_body, false)?;
    let first = |body: &Map<String, Value>| {
        body.get("files")
            .and_then(Value::as_array)
            .and_then(|files| files.first())
            .and_then(Value::as_object)
            .cloned()
    };
    let (file_set, file_remove) = match (first(vendor_body), first(mock_body)) {
        (Some(vendor_file), Some(mock_file)) => shape(&vendor_file, &mock_file, true)?,
        _ => (Map::new(), Vec::new()),
    };
    let learned = LearnedSuccess {
        status: (vendor.status != 200).then_some(vendor.status),
        content_type: (!is_json(vendor.content_type.as_deref()))
            .then(|| vendor.content_type.clone())
            .flatten(),
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
    use serde_json::json;
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
}
