//! A vendor's success as the endpoint's learned success: its status, its content type, and how
//! its body and each item of its `files` differ from the mock's, field by field.

use serde_json::{Map, Value};

use super::lesson::Lesson;
use super::specimen::{content_type_of, is_named, specimen};
use crate::contract::profile::{LearnedSuccess, SuccessStatus, VendorProfile};
use crate::result::Snapshot;

/// The vendor's success in the lesson as the endpoint's learned success.
pub(super) fn learn_success(
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
        // Filled below, with every case that shows the same success.
        learned_from: Vec::new(),
    };
    let entry = profile
        .successes
        .entry(endpoint.to_owned())
        .or_insert_with(|| learned.clone());
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

/// Why the vendor's answer, neither 4xx nor 5xx, cannot be a profile's success: a status
/// without a body (204, 205, 304, a 1xx) or no 2xx at all.
pub(super) fn success_status(vendor: &Snapshot) -> Result<Option<SuccessStatus>, String> {
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

/// A JSON object.
type Object = Map<String, Value>;

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
