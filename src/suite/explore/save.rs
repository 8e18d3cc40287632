//! A finding kept as a regression case: the case the explorer judged, written as a case file
//! (`schemas/case.json`) in the folder of its endpoint, which `run --cases DIR` replays with the
//! same request and the same checks.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::contract::case::{BodySpec, Case, CaseError, StatusPattern};
use crate::contract::endpoint::{Endpoint, MediaType};
use crate::contract::input::write_whole;

/// Why a finding could not be kept as a case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The folder or the file could not be written.
    #[error("write the case {}: {source}", path.display())]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The case written does not read back as a valid case.
    #[error("save the case {}: it does not read back: {source}", path.display())]
    Invalid {
        /// Where.
        path: PathBuf,
        /// What is wrong with it.
        source: CaseError,
    },
}

/// The folder of an endpoint's cases: `deleteFiles` -> `delete-files`.
pub fn folder(endpoint: Endpoint) -> String {
    let mut folder = String::new();
    for c in endpoint.name().chars() {
        if c.is_ascii_uppercase() {
            folder.push('-');
            folder.push(c.to_ascii_lowercase());
        } else {
            folder.push(c);
        }
    }
    folder
}

fn status(patterns: &[StatusPattern]) -> Value {
    let values: Vec<Value> = patterns
        .iter()
        .map(|pattern| match pattern {
            StatusPattern::Exact(code) => json!(code),
            StatusPattern::Class(_) => json!(pattern.to_string()),
        })
        .collect();
    match values.as_slice() {
        [one] => one.clone(),
        _ => Value::Array(values),
    }
}

/// `case` as the text of a case file, described by `description`.
pub fn case_file(case: &Case, description: &str) -> String {
    let mut document = Map::new();
    document.insert("description".to_owned(), json!(description));
    let batches: Vec<Value> = case
        .fixture
        .batches
        .iter()
        .map(|batch| {
            if batch.classification == 0 {
                json!(batch.files)
            } else {
                json!({"files": batch.files, "classification": batch.classification})
            }
        })
        .collect();
    if !batches.is_empty() {
        document.insert("fixture".to_owned(), json!({ "batches": batches }));
    }
    let spec = &case.request;
    let mut request = Map::new();
    request.insert("method".to_owned(), json!(spec.method.as_str()));
    request.insert("path".to_owned(), json!(spec.path));
    request.insert("auth".to_owned(), json!(spec.auth.as_str()));
    let form = matches!(spec.body, BodySpec::Form { .. });
    match (&spec.content_type, form) {
        (_, true) => {}
        (Some(json_type), false) if json_type == MediaType::Json.as_str() => {}
        (Some(other), false) => {
            request.insert("contentType".to_owned(), json!(other));
        }
        (None, false) => {
            request.insert("contentType".to_owned(), Value::Null);
        }
    }
    match &spec.body {
        BodySpec::None => {}
        BodySpec::Json(value) => {
            request.insert("json".to_owned(), value.clone());
        }
        BodySpec::Raw(text) => {
            request.insert("raw".to_owned(), json!(text));
        }
        BodySpec::Form { fields, files } => {
            let fields: Map<String, Value> = fields
                .iter()
                .map(|(name, value)| (name.clone(), json!(value)))
                .collect();
            request.insert("form".to_owned(), json!({"fields": fields, "files": files}));
        }
    }
    document.insert("request".to_owned(), Value::Object(request));
    let expect = &case.expect;
    let mut expected = Map::new();
    expected.insert("status".to_owned(), status(&expect.status));
    for (field, list) in [
        ("deleted", &expect.deleted),
        ("mayDelete", &expect.may_delete),
        ("deletedBatches", &expect.deleted_batches),
        ("added", &expect.added),
    ] {
        if !list.is_empty() {
            expected.insert(field.to_owned(), json!(list));
        }
    }
    document.insert("expect".to_owned(), Value::Object(expected));
    let mut text = serde_json::to_string_pretty(&Value::Object(document)).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `text` as a new case of `endpoint` under `dir`: `<endpoint folder>/explore-<stem>-<n>.json`,
/// the first `n` free; checks it reads back as a case. Its path.
///
/// # Errors
/// When it cannot be written, or does not read back as a valid case.
pub fn save(dir: &Path, endpoint: Endpoint, stem: &str, text: &str) -> Result<PathBuf, SaveError> {
    let folder = dir.join(folder(endpoint));
    let write = |path: &Path, source| SaveError::Write {
        path: path.to_owned(),
        source,
    };
    std::fs::create_dir_all(&folder).map_err(|e| write(&folder, e))?;
    let mut n = 1;
    let path = loop {
        let path = folder.join(format!("explore-{stem}-{n}.json"));
        if !path.exists() {
            break path;
        }
        n += 1;
    };
    // Written beside, then renamed into place: a reader never sees half a case, and a link
    // planted at either name is not followed.
    write_whole(&path, text.as_bytes()).map_err(|e| write(&path, e))?;
    if let Err(source) = Case::load(dir, &path) {
        let _ = std::fs::remove_file(&path);
        return Err(SaveError::Invalid { path, source });
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_endpoint_has_the_folder_of_its_cases() {
        let folders: Vec<String> = Endpoint::ALL.into_iter().map(folder).collect();
        for name in &folders {
            assert!(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("cases")
                    .join(name)
                    .is_dir(),
                "{name}"
            );
        }
        assert_eq!(folder(Endpoint::DeleteFiles), "delete-files");
    }

    #[test]
    fn a_case_file_names_its_content_type_only_when_it_is_not_json() {
        let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        for (name, expected) in [
            ("delete-files/valid-one-file", None),
            ("delete-files/wrong-content-type", Some(json!("text/plain"))),
            ("upload-files/into-batch", None),
        ] {
            let case = Case::load(&cases, &cases.join(format!("{name}.json")))
                .unwrap_or_else(|e| panic!("{e}"));
            let text = case_file(&case, "d");
            let document: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                document["request"].get("contentType"),
                expected.as_ref(),
                "{name}: {text}"
            );
        }
    }

    #[test]
    fn a_case_written_reads_back_as_the_same_case() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        for name in [
            "delete-files/duplicate-file-ids",
            "delete-files/wrong-content-type",
            "delete-files/no-body",
            "delete-files/malformed-json",
            "delete-classification/valid",
            "upload-files/into-batch",
            "get-results/auth-key-in-query",
        ] {
            let original = Case::load(&cases, &cases.join(format!("{name}.json")))
                .unwrap_or_else(|e| panic!("{e}"));
            let endpoint = original.request.endpoint().unwrap_or(Endpoint::DeleteFiles);
            let text = case_file(&original, &original.description);
            let path = save(dir.path(), endpoint, "copy", &text).unwrap_or_else(|e| panic!("{e}"));
            let copy = Case::load(dir.path(), &path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(copy.request, original.request, "{name}");
            assert_eq!(copy.fixture, original.fixture, "{name}");
            assert_eq!(copy.expect.status, original.expect.status, "{name}");
            assert_eq!(copy.expect.may_delete, original.expect.may_delete, "{name}");
            assert_eq!(copy.expect.added, original.expect.added, "{name}");
        }
        // A second finding of the same kind does not overwrite the first.
        let again = save(dir.path(), Endpoint::DeleteFiles, "copy", "{}");
        assert!(matches!(again, Err(SaveError::Invalid { .. })));
        assert!(dir.path().join("delete-files/explore-copy-4.json").exists());
        assert!(!dir.path().join("delete-files/explore-copy-5.json").exists());
    }
}
