//! The case model: one JSON file in `cases/<endpoint>/` per case, checked against
//! `schemas/case.json` and against its own fixture before it is used.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::endpoint::Endpoint;
use super::schema::SchemaSet;

/// A contract case: one request and what must come back.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Case {
    /// The case's name: its path below the cases folder, without `.json`, `/`-separated
    /// (`delete-files/valid-one-file`).
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// What it checks, as a sentence.
    pub description: String,
    /// The data it needs.
    pub fixture: FixtureSpec,
    /// What is sent.
    pub request: RequestSpec,
    /// What must come back.
    pub expect: Expectation,
}

/// One batch of a fixture: how many files, in which of the fixture's classifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSpec {
    /// Files in the batch.
    pub files: usize,
    /// The classification it is uploaded into: 0 is the run's own, 1 and up are created for
    /// the case.
    pub classification: usize,
}

/// The data a case needs, provisioned through the public API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixtureSpec {
    /// The batches, in order.
    pub batches: Vec<BatchSpec>,
}

impl FixtureSpec {
    /// A fixture of batches in the run's classification, with these file counts.
    pub fn of(files: &[usize]) -> Self {
        FixtureSpec {
            batches: files
                .iter()
                .map(|&files| BatchSpec {
                    files,
                    classification: 0,
                })
                .collect(),
        }
    }

    /// How many files the fixture holds across all batches.
    pub fn file_count(&self) -> usize {
        self.batches.iter().map(|b| b.files).sum()
    }

    /// How many classifications it spans: the run's own and those created for the case.
    pub fn classification_count(&self) -> usize {
        self.batches
            .iter()
            .map(|b| b.classification + 1)
            .max()
            .unwrap_or(1)
    }
}

/// The key sent when a case asks for an invalid one; no account has it.
#[cfg(feature = "suite")]
pub const INVALID_API_KEY: &str = "extracta-contract-invalid-key";

/// The header a case's request names its case in, so that a mock's journal can say which
/// request was whose. The suite sends it only to a built-in mock it learns from.
pub const CASE_HEADER: &str = "x-extracta-case";

/// Which credentials a request carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// The run's API key.
    #[default]
    Valid,
    /// No `Authorization` header at all.
    Missing,
    /// A key that belongs to no account.
    Invalid,
    /// The key of a second account, acting on the first one's data.
    Other,
}

/// The body of a request as the case writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum BodySpec {
    /// No body.
    None,
    /// A JSON document, placeholders in its strings.
    Json(Value),
    /// Exact characters, placeholders in them.
    Raw(String),
    /// A multipart form: text fields (placeholders in their values), then `files` sample
    /// documents under `files`.
    Form {
        /// `(name, value)` text fields, in order.
        fields: Vec<(String, String)>,
        /// How many files.
        files: usize,
    },
}

/// What a case sends.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RequestSpec {
    /// HTTP method.
    pub method: http::Method,
    /// Path below the base URL.
    pub path: String,
    /// Credentials.
    pub auth: Auth,
    /// The `Content-Type` header, if any (a form sets its own).
    pub content_type: Option<String>,
    /// The body.
    pub body: BodySpec,
    /// How many times it is sent.
    pub repeat: u32,
}

impl RequestSpec {
    /// The catalogue's endpoint at this path, when the method is the endpoint's own.
    pub fn endpoint(&self) -> Option<Endpoint> {
        Endpoint::from_path(&self.path).filter(|e| e.method() == self.method)
    }
}
/// One acceptable status: exact, or a class such as `4xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPattern {
    /// Exactly this code.
    Exact(u16),
    /// Any code of this hundred (4 for `4xx`).
    Class(u16),
}

impl StatusPattern {
    /// Whether `status` is acceptable.
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusPattern::Exact(code) => code == status,
            StatusPattern::Class(class) => status / 100 == class,
        }
    }
}

impl serde::Serialize for StatusPattern {
    /// As a case file writes it: `200` or `"4xx"`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            StatusPattern::Exact(code) => serializer.serialize_u16(*code),
            StatusPattern::Class(_) => serializer.collect_str(self),
        }
    }
}

impl fmt::Display for StatusPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusPattern::Exact(code) => write!(f, "{code}"),
            StatusPattern::Class(class) => write!(f, "{class}xx"),
        }
    }
}

/// What must come back, and what the request must have done.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Expectation {
    /// Acceptable statuses (any one of them).
    pub status: Vec<StatusPattern>,
    /// The media type of the answer.
    pub content_type: String,
    /// The schema the answer's body must satisfy; by default the endpoint's reply schema for a
    /// 2xx and `status.response` (the error shape) for anything else.
    pub schema: Option<String>,
    /// Top-level fields whose values must match exactly (placeholders filled).
    pub body: serde_json::Map<String, Value>,
    /// Fixture files that must be gone.
    pub deleted: Vec<usize>,
    /// Fixture files that may be gone or remain.
    pub may_delete: Vec<usize>,
    /// Fixture batches that must be gone (getResults refuses them or lists nothing).
    pub deleted_batches: Vec<usize>,
    /// How many new files each fixture batch must hold afterwards (missing entries: none).
    pub added: Vec<usize>,
}

/// Why case files could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The file or folder could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not JSON.
    #[error("parse case file {path}: {reason}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and what.
        reason: String,
    },
    /// JSON, but not a valid case.
    #[error("load case file {path}: {problems}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Each problem with the field it concerns, `; ` separated.
        problems: String,
    },
    /// No case files where they were looked for.
    #[error("find cases: no *.json case files under {path}")]
    Empty {
        /// The folder searched.
        path: PathBuf,
    },
    /// Several case files are unusable: every one of them.
    #[error("load cases: {} case file(s) are unusable:\n  {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Many(Vec<CaseError>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCase {
    description: String,
    #[serde(default)]
    fixture: RawFixture,
    request: RawRequest,
    expect: RawExpect,
}

#[derive(Default, Deserialize)]
struct RawFixture {
    #[serde(default)]
    batches: Vec<RawBatch>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawBatch {
    Files(usize),
    Placed {
        files: usize,
        #[serde(default)]
        classification: usize,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequest {
    method: String,
    path: String,
    #[serde(default)]
    auth: Auth,
    #[serde(default = "default_content_type")]
    content_type: Option<String>,
    json: Option<Value>,
    raw: Option<String>,
    form: Option<RawForm>,
    #[serde(default = "one")]
    repeat: u32,
}

#[derive(Deserialize)]
struct RawForm {
    #[serde(default)]
    fields: serde_json::Map<String, Value>,
    #[serde(default)]
    files: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExpect {
    status: RawStatus,
    #[serde(default = "json_media_type")]
    content_type: String,
    schema: Option<String>,
    #[serde(default)]
    body: serde_json::Map<String, Value>,
    #[serde(default)]
    deleted: Vec<usize>,
    #[serde(default)]
    may_delete: Vec<usize>,
    #[serde(default)]
    deleted_batches: Vec<usize>,
    #[serde(default)]
    added: Vec<usize>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawStatus {
    Many(Vec<Value>),
    One(Value),
}

fn default_content_type() -> Option<String> {
    Some(json_media_type())
}
fn json_media_type() -> String {
    "application/json".to_owned()
}
fn one() -> u32 {
    1
}

/// The placeholders a request may use, besides indexed ones.
const PLAIN_PLACEHOLDERS: &[&str] = &["classificationId", "batchId", "unknownId"];

/// A case's name from its path below `root`: `delete-files/valid-one-file`.
fn name_of(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if let Some(last) = parts.last_mut() {
        if let Some(stem) = last.strip_suffix(".json") {
            *last = stem.to_owned();
        }
    }
    parts.join("/")
}

impl Case {
    /// Reads and checks one case file of the folder `root`, which gives the case its name.
    ///
    /// # Errors
    /// When the file cannot be read, is not JSON, or is not a valid case; the error names the
    /// file and every offending field.
    pub fn load(root: &Path, path: &Path) -> Result<Case, CaseError> {
        let text = std::fs::read_to_string(path).map_err(|source| CaseError::Read {
            path: path.to_owned(),
            source,
        })?;
        Case::parse(path, &name_of(root, path), &text)
    }

    /// Checks the text of a case file; `path` names it in errors, `name` is the case's name.
    ///
    /// # Errors
    /// As [`Case::load`].
    pub fn parse(path: &Path, name: &str, text: &str) -> Result<Case, CaseError> {
        let invalid = |problems: Vec<String>| CaseError::Invalid {
            path: path.to_owned(),
            problems: problems.join("; "),
        };
        let document: Value = serde_json::from_str(text).map_err(|e| CaseError::Parse {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let schemas = SchemaSet::global().map_err(|e| invalid(vec![e.to_string()]))?;
        let violations = schemas
            .check("case", &document)
            .map_err(|e| invalid(vec![e.to_string()]))?;
        if !violations.is_empty() {
            return Err(invalid(
                violations.iter().map(ToString::to_string).collect(),
            ));
        }
        let raw: RawCase =
            serde_json::from_value(document).map_err(|e| invalid(vec![e.to_string()]))?;
        let body = match (raw.request.json, raw.request.raw, raw.request.form) {
            (Some(json), _, _) => BodySpec::Json(json),
            (None, Some(raw), _) => BodySpec::Raw(raw),
            (None, None, Some(form)) => BodySpec::Form {
                fields: form
                    .fields
                    .into_iter()
                    .map(|(name, value)| {
                        let value = match value {
                            Value::String(s) => s,
                            other => other.to_string(),
                        };
                        (name, value)
                    })
                    .collect(),
                files: form.files,
            },
            (None, None, None) => BodySpec::None,
        };
        let case = Case {
            name: name.to_owned(),
            path: path.to_owned(),
            description: raw.description,
            fixture: FixtureSpec {
                batches: raw
                    .fixture
                    .batches
                    .into_iter()
                    .map(|batch| match batch {
                        RawBatch::Files(files) => BatchSpec {
                            files,
                            classification: 0,
                        },
                        RawBatch::Placed {
                            files,
                            classification,
                        } => BatchSpec {
                            files,
                            classification,
                        },
                    })
                    .collect(),
            },
            request: RequestSpec {
                // The case schema admits only the methods of its enum.
                method: http::Method::from_bytes(raw.request.method.as_bytes())
                    .map_err(|e| invalid(vec![format!("/request/method: {e}")]))?,
                path: raw.request.path,
                auth: raw.request.auth,
                content_type: raw.request.content_type,
                body,
                repeat: raw.request.repeat,
            },
            expect: Expectation {
                status: match raw.expect.status {
                    RawStatus::One(value) => vec![status_pattern(&value)],
                    RawStatus::Many(values) => values.iter().map(status_pattern).collect(),
                },
                content_type: raw.expect.content_type,
                schema: raw.expect.schema,
                body: raw.expect.body,
                deleted: raw.expect.deleted,
                may_delete: raw.expect.may_delete,
                deleted_batches: raw.expect.deleted_batches,
                added: raw.expect.added,
            },
        };
        let problems = case.problems(schemas);
        if problems.is_empty() {
            Ok(case)
        } else {
            Err(invalid(problems))
        }
    }

    /// Whether every acceptable answer is a refusal.
    pub fn expects_refusal(&self) -> bool {
        self.expect.status.iter().all(|pattern| match pattern {
            StatusPattern::Exact(code) => *code >= 400,
            StatusPattern::Class(class) => *class >= 4,
        })
    }

    /// What the schema cannot see: references to fixture items that do not exist.
    fn problems(&self, schemas: &SchemaSet) -> Vec<String> {
        let mut problems = Vec::new();
        let files = self.fixture.file_count();
        let batches = self.fixture.batches.len();
        let classifications = self.fixture.classification_count();
        for (field, list) in [
            ("/expect/deleted", &self.expect.deleted),
            ("/expect/mayDelete", &self.expect.may_delete),
        ] {
            for index in list.iter().filter(|&&i| i >= files) {
                problems.push(format!(
                    "{field}: file {index} does not exist, the fixture has {files} file(s)"
                ));
            }
        }
        for index in self
            .expect
            .deleted_batches
            .iter()
            .filter(|&&i| i >= batches)
        {
            problems.push(format!(
                "/expect/deletedBatches: batch {index} does not exist, the fixture has {batches}"
            ));
        }
        if self.expect.added.len() > batches {
            problems.push(format!(
                "/expect/added: {} entries, the fixture has {batches} batch(es)",
                self.expect.added.len()
            ));
        }
        if self.request.endpoint() == Some(Endpoint::DeleteClassification) {
            if let BodySpec::Json(body) = &self.request.body {
                let named = body.get("classificationId").and_then(Value::as_str);
                if matches!(
                    named,
                    Some("{{classificationId}}" | "{{classificationId:0}}")
                ) {
                    problems.push(
                        "/request: deleteClassification names the run's own classification, which holds every other case's data; put the case's batches in a classification of its own ({\"files\": N, \"classification\": 1}) and name {{classificationId:1}}"
                            .to_owned(),
                    );
                }
            }
        }
        if let Some(schema) = &self.expect.schema {
            if schemas.names().all(|name| name != schema) {
                problems.push(format!("/expect/schema: no schema named `{schema}`"));
            }
        }
        let mut texts = Vec::new();
        match &self.request.body {
            BodySpec::Json(json) => collect_strings(json, &mut texts),
            BodySpec::Raw(raw) => texts.push(raw.as_str()),
            BodySpec::Form { fields, .. } => {
                texts.extend(fields.iter().map(|(_, value)| value.as_str()));
            }
            BodySpec::None => {}
        }
        let mut expected = Vec::new();
        for value in self.expect.body.values() {
            collect_strings(value, &mut expected);
        }
        for (field, texts) in [("/request", texts), ("/expect/body", expected)] {
            for text in texts {
                for placeholder in placeholders(text) {
                    let problem = match Placeholder::parse(placeholder) {
                        Some(Placeholder::Batch(n)) if n >= batches.max(1) => {
                            format!("names batch {n}, the fixture has {batches}")
                        }
                        Some(Placeholder::File(n)) if n >= files => {
                            format!("names file {n}, the fixture has {files}")
                        }
                        Some(Placeholder::Classification(n)) if n >= classifications => {
                            format!("names classification {n}, the fixture has {classifications}")
                        }
                        Some(_) => continue,
                        None => format!(
                            "is unknown; known: {}, classificationId:N, batchId:N, fileId:N",
                            PLAIN_PLACEHOLDERS.join(", ")
                        ),
                    };
                    problems.push(format!(
                        "{field}: placeholder {{{{{placeholder}}}}} {problem}"
                    ));
                }
            }
        }
        problems
    }
}

/// A placeholder in a case's request, filled from its fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// The fixture's classification N (0: the run's own).
    Classification(usize),
    /// The fixture's batch N.
    Batch(usize),
    /// The fixture's file N, counted across batches.
    File(usize),
    /// An id that exists nowhere.
    Unknown,
}

impl Placeholder {
    /// Reads the inside of `{{...}}`.
    pub fn parse(inner: &str) -> Option<Placeholder> {
        let index = |s: &str| s.parse::<usize>().ok();
        match inner.split_once(':') {
            None => match inner {
                "classificationId" => Some(Placeholder::Classification(0)),
                "batchId" => Some(Placeholder::Batch(0)),
                "unknownId" => Some(Placeholder::Unknown),
                _ => None,
            },
            Some(("classificationId", n)) => index(n).map(Placeholder::Classification),
            Some(("batchId", n)) => index(n).map(Placeholder::Batch),
            Some(("fileId", n)) => index(n).map(Placeholder::File),
            Some(_) => None,
        }
    }
}

/// The insides of every `{{...}}` in `text`.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(inner, _)| inner))
}

fn collect_strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            out.push(k);
            collect_strings(v, out);
        }),
        _ => {}
    }
}

fn status_pattern(value: &Value) -> StatusPattern {
    // The case schema has already admitted only integers and "Nxx" strings.
    match value {
        Value::String(class) => StatusPattern::Class(
            class
                .chars()
                .next()
                .and_then(|c| c.to_digit(10))
                .map_or(0, |d| d as u16),
        ),
        other => StatusPattern::Exact(other.as_u64().map_or(0, |n| n as u16)),
    }
}

include!(concat!(env!("OUT_DIR"), "/embedded_cases.rs"));

/// Where cases come from: a folder, or the ones built into the crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSource {
    /// The default cases, embedded at build time from the repository's `cases/`.
    BuiltIn,
    /// Every `*.json` below this folder.
    Dir(PathBuf),
}

impl fmt::Display for CaseSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseSource::BuiltIn => f.write_str("the built-in cases"),
            CaseSource::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

impl CaseSource {
    /// Every case, sorted by name.
    ///
    /// # Errors
    /// As [`load_dir`].
    pub fn load(&self) -> Result<Vec<Case>, CaseError> {
        match self {
            CaseSource::Dir(dir) => load_dir(dir),
            CaseSource::BuiltIn => collect_errors(
                EMBEDDED_CASES.iter().map(|(relative, text)| {
                    let path = Path::new("cases").join(relative);
                    let name = relative.strip_suffix(".json").unwrap_or(relative);
                    Case::parse(&path, name, text)
                }),
                Path::new("cases"),
            ),
        }
    }
}

/// The cases, or every error among them (one alone as itself).
fn collect_errors(
    results: impl Iterator<Item = Result<Case, CaseError>>,
    dir: &Path,
) -> Result<Vec<Case>, CaseError> {
    let (cases, mut errors): (Vec<_>, Vec<_>) = results.partition(Result::is_ok);
    match errors.len() {
        0 if cases.is_empty() => Err(CaseError::Empty {
            path: dir.to_owned(),
        }),
        0 => {
            let mut cases: Vec<Case> = cases.into_iter().filter_map(Result::ok).collect();
            cases.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(cases)
        }
        1 => Err(errors
            .pop()
            .and_then(Result::err)
            .unwrap_or(CaseError::Empty {
                path: dir.to_owned(),
            })),
        _ => Err(CaseError::Many(
            errors.into_iter().filter_map(Result::err).collect(),
        )),
    }
}

/// Loads every `*.json` case below `dir` (recursively), sorted by name.
///
/// # Errors
/// [`CaseError::Many`] with every file that cannot be used (or the one, alone), or
/// [`CaseError::Empty`] when there is none.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, CaseError> {
    let mut paths = Vec::new();
    collect_case_paths(dir, &mut paths)?;
    if paths.is_empty() {
        return Err(CaseError::Empty {
            path: dir.to_owned(),
        });
    }
    paths.sort();
    let (cases, mut errors): (Vec<_>, Vec<_>) = paths
        .iter()
        .map(|p| Case::load(dir, p))
        .partition(Result::is_ok);
    match errors.len() {
        0 => Ok(cases.into_iter().filter_map(Result::ok).collect()),
        1 => Err(errors
            .pop()
            .and_then(Result::err)
            .unwrap_or(CaseError::Empty {
                path: dir.to_owned(),
            })),
        _ => Err(CaseError::Many(
            errors.into_iter().filter_map(Result::err).collect(),
        )),
    }
}

fn collect_case_paths(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CaseError> {
    let read = |source| CaseError::Read {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        if path.is_dir() {
            collect_case_paths(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Case, CaseError> {
        Case::parse(
            Path::new("cases/delete-files/example.json"),
            "delete-files/example",
            text,
        )
    }

    const MINIMAL: &str = r#"{"description": "d",
        "fixture": {"batches": [2]},
        "request": {"method": "DELETE", "path": "/documentClassification/deleteFiles",
                    "json": {"classificationId": "{{classificationId}}", "batchId": "{{batchId}}", "fileIds": ["{{fileId:1}}"]}},
        "expect": {"status": 200, "deleted": [1]}}"#;

    #[test]
    fn a_minimal_case_gets_the_documented_defaults() {
        let case = parse(MINIMAL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(case.name, "delete-files/example");
        assert_eq!(case.request.auth, Auth::Valid);
        assert_eq!(
            case.request.content_type.as_deref(),
            Some("application/json")
        );
        assert_eq!(case.expect.status, vec![StatusPattern::Exact(200)]);
        assert_eq!(case.expect.schema, None);
        assert_eq!(case.fixture, FixtureSpec::of(&[2]));
        assert_eq!(case.expect.content_type, "application/json");
    }

    #[test]
    fn a_status_class_and_a_list_are_read() {
        let text = MINIMAL.replace(r#""status": 200"#, r#""status": [200, "4xx"]"#);
        let case = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            case.expect.status,
            vec![StatusPattern::Exact(200), StatusPattern::Class(4)]
        );
        assert!(StatusPattern::Class(4).matches(404) && !StatusPattern::Class(4).matches(500));
    }

    #[test]
    fn a_broken_case_names_the_file_and_the_field() {
        let text = MINIMAL.replace(r#""status": 200"#, r#""status": "teapot""#);
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("cases/delete-files/example.json"), "{error}");
        assert!(error.contains("/expect/status"), "{error}");
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let text = MINIMAL.replace(
            r#""description": "d","#,
            r#""description": "d", "expected": 1,"#,
        );
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("expected"), "{error}");
    }

    #[test]
    fn a_placeholder_beyond_the_fixture_is_refused() {
        let text = MINIMAL.replace("{{fileId:1}}", "{{fileId:7}}");
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("names file 7"), "{error}");
    }

    #[test]
    fn a_misspelt_placeholder_is_refused() {
        let text = MINIMAL.replace("{{batchId}}", "{{batch}}");
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("placeholder {{batch}} is unknown"),
            "{error}"
        );
    }

    #[test]
    fn an_effect_on_a_missing_file_is_refused() {
        let text = MINIMAL.replace(r#""deleted": [1]"#, r#""deleted": [2]"#);
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("/expect/deleted: file 2"), "{error}");
    }

    #[test]
    fn malformed_json_names_the_file() {
        let error = parse("{").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error.starts_with("parse case file cases/delete-files/example.json"),
            "{error}"
        );
    }

    #[test]
    fn the_shipped_cases_all_load_named_by_their_path() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        let cases = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(cases.len() >= 20, "only {} cases", cases.len());
        assert!(
            cases
                .iter()
                .any(|c| c.name == "delete-files/valid-one-file"),
            "{:?}",
            cases.iter().map(|c| &c.name).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_built_in_cases_are_the_repository_s() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        let on_disk = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let built_in = CaseSource::BuiltIn.load().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(built_in.len(), on_disk.len());
        for (a, b) in built_in.iter().zip(&on_disk) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.request, b.request);
            assert!(b.path.ends_with(&a.path), "{:?} {:?}", a.path, b.path);
        }
    }

    #[test]
    fn two_cases_of_one_name_in_two_folders_keep_apart() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for folder in ["a", "b"] {
            let _ = std::fs::create_dir_all(dir.path().join(folder));
            let _ = std::fs::write(dir.path().join(folder).join("same.json"), MINIMAL);
        }
        let cases = load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a/same", "b/same"]);
    }

    #[test]
    fn every_broken_case_file_is_reported_in_one_pass() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::write(dir.path().join("good.json"), MINIMAL);
        let _ = std::fs::write(dir.path().join("bad-one.json"), "{");
        let _ = std::fs::write(
            dir.path().join("bad-two.json"),
            MINIMAL.replace("{{batchId}}", "{{batch}}"),
        );
        let error = load_dir(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("2 case file(s) are unusable"), "{error}");
        assert!(
            error.contains("bad-one.json") && error.contains("bad-two.json"),
            "{error}"
        );
    }

    #[test]
    fn batches_may_name_a_classification_of_their_own() {
        let text = MINIMAL.replace(
            r#""batches": [2]"#,
            r#""batches": [2, {"files": 1, "classification": 1}]"#,
        );
        let case = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(case.fixture.classification_count(), 2);
        assert_eq!(case.fixture.batches[1].classification, 1);
        let beyond = MINIMAL.replace("{{classificationId}}", "{{classificationId:1}}");
        let error = parse(&beyond)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("names classification 1"), "{error}");
    }
}
