//! The case model: one JSON file in `cases/<endpoint>/` per case, checked against
//! `schemas/case.json` before it is used.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::endpoint::{Endpoint, STATUS_SCHEMA};
use super::schema::SchemaSet;

/// A contract case: one request and what must come back.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Case {
    /// The case's name: its file name without `.json`.
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

/// The data a case needs, provisioned through the public API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureSpec {
    /// Files per batch, in order.
    #[serde(default)]
    pub batches: Vec<usize>,
}

impl FixtureSpec {
    /// How many files the fixture holds across all batches.
    pub fn file_count(&self) -> usize {
        self.batches.iter().sum()
    }
}

/// Which credentials a request carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// The run's API key.
    #[default]
    Valid,
    /// No `Authorization` header at all.
    Missing,
    /// A key that belongs to no account.
    Invalid,
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
    /// The `Content-Type` header, if any.
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
    /// The schema the answer's body must satisfy.
    pub schema: String,
    /// Top-level fields whose values must match exactly.
    pub body: serde_json::Map<String, Value>,
    /// Fixture files that must be gone.
    pub deleted: Vec<usize>,
    /// Fixture files that may be gone or remain.
    pub may_delete: Vec<usize>,
}

/// Why a case file could not be used. Every variant names the file.
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
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCase {
    description: String,
    #[serde(default)]
    fixture: FixtureSpec,
    request: RawRequest,
    expect: RawExpect,
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
    #[serde(default = "one")]
    repeat: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExpect {
    status: RawStatus,
    #[serde(default = "json_media_type")]
    content_type: String,
    #[serde(default = "status_schema")]
    schema: String,
    #[serde(default)]
    body: serde_json::Map<String, Value>,
    #[serde(default)]
    deleted: Vec<usize>,
    #[serde(default)]
    may_delete: Vec<usize>,
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
fn status_schema() -> String {
    STATUS_SCHEMA.to_owned()
}
fn one() -> u32 {
    1
}

/// The placeholders a request may use, besides indexed ones.
const PLAIN_PLACEHOLDERS: &[&str] = &["classificationId", "batchId", "unknownId"];

impl Case {
    /// Reads and checks one case file.
    ///
    /// # Errors
    /// When the file cannot be read, is not JSON, or is not a valid case; the error names the
    /// file and every offending field.
    pub fn load(path: &Path) -> Result<Case, CaseError> {
        let text = std::fs::read_to_string(path).map_err(|source| CaseError::Read {
            path: path.to_owned(),
            source,
        })?;
        Case::parse(path, &text)
    }

    /// Checks the text of a case file; `path` names it in errors and gives the case its name.
    ///
    /// # Errors
    /// As [`Case::load`].
    pub fn parse(path: &Path, text: &str) -> Result<Case, CaseError> {
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
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let case = Case {
            name,
            path: path.to_owned(),
            description: raw.description,
            fixture: raw.fixture,
            request: RequestSpec {
                // The case schema admits only the methods of its enum.
                method: http::Method::from_bytes(raw.request.method.as_bytes())
                    .map_err(|e| invalid(vec![format!("/request/method: {e}")]))?,
                path: raw.request.path,
                auth: raw.request.auth,
                content_type: raw.request.content_type,
                body: match (raw.request.json, raw.request.raw) {
                    (Some(json), _) => BodySpec::Json(json),
                    (None, Some(raw)) => BodySpec::Raw(raw),
                    (None, None) => BodySpec::None,
                },
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
            },
        };
        let problems = case.problems(schemas);
        if problems.is_empty() {
            Ok(case)
        } else {
            Err(invalid(problems))
        }
    }

    /// What the schema cannot see: references to fixture items that do not exist.
    fn problems(&self, schemas: &SchemaSet) -> Vec<String> {
        let mut problems = Vec::new();
        let files = self.fixture.file_count();
        let batches = self.fixture.batches.len();
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
        if schemas.names().all(|name| name != self.expect.schema) {
            problems.push(format!(
                "/expect/schema: no schema named `{}`",
                self.expect.schema
            ));
        }
        let mut texts = Vec::new();
        match &self.request.body {
            BodySpec::Json(json) => collect_strings(json, &mut texts),
            BodySpec::Raw(raw) => texts.push(raw.as_str()),
            BodySpec::None => {}
        }
        for text in texts {
            for placeholder in placeholders(text) {
                match Placeholder::parse(placeholder) {
                    Some(Placeholder::Batch(n)) if n >= batches.max(1) => problems.push(format!(
                        "/request: {{{{{placeholder}}}}} names batch {n}, the fixture has {batches}"
                    )),
                    Some(Placeholder::File(n)) if n >= files => problems.push(format!(
                        "/request: {{{{{placeholder}}}}} names file {n}, the fixture has {files}"
                    )),
                    Some(_) => {}
                    None => problems.push(format!(
                        "/request: unknown placeholder {{{{{placeholder}}}}}; known: {}, batchId:N, fileId:N",
                        PLAIN_PLACEHOLDERS.join(", ")
                    )),
                }
            }
        }
        problems
    }
}

/// A placeholder in a case's request, filled from its fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// The run's classification.
    Classification,
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
                "classificationId" => Some(Placeholder::Classification),
                "batchId" => Some(Placeholder::Batch(0)),
                "unknownId" => Some(Placeholder::Unknown),
                _ => None,
            },
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

/// Loads every `*.json` case below `dir` (recursively), sorted by path.
///
/// # Errors
/// The first file that cannot be used, or [`CaseError::Empty`] when there is none.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, CaseError> {
    let mut paths = Vec::new();
    collect_case_paths(dir, &mut paths)?;
    if paths.is_empty() {
        return Err(CaseError::Empty {
            path: dir.to_owned(),
        });
    }
    paths.sort();
    paths.iter().map(|p| Case::load(p)).collect()
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
        Case::parse(Path::new("cases/delete-files/example.json"), text)
    }

    const MINIMAL: &str = r#"{"description": "d",
        "fixture": {"batches": [2]},
        "request": {"method": "DELETE", "path": "/documentClassification/deleteFiles",
                    "json": {"classificationId": "{{classificationId}}", "batchId": "{{batchId}}", "fileIds": ["{{fileId:1}}"]}},
        "expect": {"status": 200, "deleted": [1]}}"#;

    #[test]
    fn a_minimal_case_gets_the_documented_defaults() {
        let case = parse(MINIMAL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(case.name, "example");
        assert_eq!(case.request.auth, Auth::Valid);
        assert_eq!(
            case.request.content_type.as_deref(),
            Some("application/json")
        );
        assert_eq!(case.expect.status, vec![StatusPattern::Exact(200)]);
        assert_eq!(case.expect.schema, "status.response");
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
        assert!(error.contains("unknown placeholder {{batch}}"), "{error}");
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
    fn the_shipped_cases_all_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        let cases = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(cases.len() >= 20, "only {} cases", cases.len());
    }
}
